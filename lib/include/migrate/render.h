/* Rendering ops to SQL: the only way SQL text is made from ops. */
#ifndef MIGRATE_RENDER_H
#define MIGRATE_RENDER_H

#include "migrate/db.h"
#include "migrate/ops.h"
#include "migrate/schema.h"

/* Append the statements that carry out op on dialect impl to out (one
 * statement per entry, without a trailing ';'). schema is the schema just
 * before the op, or NULL when unknown (see lib/dialect.h). */
int mig_render_op(const struct mig_dialect_impl *impl, const struct mig_schema *schema,
		  bool offline, const struct mig_op *op, struct mig_strlist *out);
/* Append a schema-qualified name, each part quoted by the dialect. */
void mig_render_qualname(const struct mig_dialect_impl *impl, struct mig_str *out,
			 const char *schema, const char *name);
/* Append "(a, b)", each name quoted by the dialect. */
void mig_render_ident_list(const struct mig_dialect_impl *impl, struct mig_str *out,
			   const char *const *names, size_t n);
/* Append " ON DELETE <action>" and " ON UPDATE <action>", each only when set. */
void mig_render_fk_actions(struct mig_str *out, enum mig_fk_action on_delete,
			   enum mig_fk_action on_update);

#endif
