/* Private interface between the parts of the SQLite dialect. */
#ifndef MIG_DIALECT_SQLITE_H
#define MIG_DIALECT_SQLITE_H

#include "dialect.h"

/* Reflect the main database of a SQLite connection (dialects/sqlite-reflect.c):
 * a fixed number of queries over sqlite_master and the pragma table-valued
 * functions, whatever the number of tables; what the pragmas do not say
 * (constraint names, checks, collations, AUTOINCREMENT, generated column and
 * index expressions, partial index predicates) is read from the CREATE
 * statements. */
int sqlite_reflect(struct mig_db *db, const struct mig_reflect_opts *opts,
		   struct mig_schema **out);

/* Render one op as SQLite statements (dialects/sqlite-render.c): ALTER TABLE
 * where SQLite has it, a table rebuild (which needs ctx->schema) elsewhere. */
int sqlite_render_op(const struct mig_render_ctx *ctx, const struct mig_op *op,
		     struct mig_strlist *out);
/* A column type as SQLite declares it (the render_type slot). */
void sqlite_render_type(const struct mig_type *t, const struct mig_schema *s,
			struct mig_str *out);

#endif
