/* Rendering entry point: dispatches an op to its dialect's renderer. */
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
