/* Rendering entry point: dispatches an op to its dialect's renderer; and the
 * pieces of SQL every dialect writes alike. */
#include "dialect.h"
#include "migrate/render.h"

int mig_render_op(const struct mig_dialect_impl *impl, const struct mig_schema *schema,
		  bool offline, const struct mig_op *op, struct mig_strlist *out)
{
	if (!impl->render_op) {
		return mig_error(MIG_ECLASS_USAGE, "rendering ops is not available for %s",
				 impl->name);
	}
	struct mig_render_ctx ctx = { impl, schema, offline };
	return impl->render_op(&ctx, op, out);
}

void mig_render_qualname(const struct mig_dialect_impl *impl, struct mig_str *out,
			 const char *schema, const char *name)
{
	if (schema) {
		impl->quote_ident(out, schema);
		mig_str_addch(out, '.');
	}
	impl->quote_ident(out, name);
}

void mig_render_ident_list(const struct mig_dialect_impl *impl, struct mig_str *out,
			   const char *const *names, size_t n)
{
	mig_str_addch(out, '(');
	for (size_t i = 0; i < n; i++) {
		if (i) {
			mig_str_add(out, ", ");
		}
		impl->quote_ident(out, names[i]);
	}
	mig_str_addch(out, ')');
}

static const char *fk_action_sql(enum mig_fk_action a)
{
	switch (a) {
	case MIG_FK_NO_ACTION:
		return "NO ACTION";
	case MIG_FK_RESTRICT:
		return "RESTRICT";
	case MIG_FK_CASCADE:
		return "CASCADE";
	case MIG_FK_SET_NULL:
		return "SET NULL";
	case MIG_FK_SET_DEFAULT:
		return "SET DEFAULT";
	case MIG_FK_NONE:
		break;
	}
	return NULL;
}

void mig_render_fk_actions(struct mig_str *out, enum mig_fk_action on_delete,
			   enum mig_fk_action on_update)
{
	if (fk_action_sql(on_delete)) {
		mig_str_addf(out, " ON DELETE %s", fk_action_sql(on_delete));
	}
	if (fk_action_sql(on_update)) {
		mig_str_addf(out, " ON UPDATE %s", fk_action_sql(on_update));
	}
}
