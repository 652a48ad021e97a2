/* The PostgreSQL dialect: what dialects/postgresql.c and
 * dialects/postgresql-reflect.c share. Private to dialects/. */
#ifndef MIG_DIALECT_POSTGRESQL_H
#define MIG_DIALECT_POSTGRESQL_H

#include "dialect.h"

/* The number of statements pg_reflect sends, whatever the size of the
 * database: settings, relations, types, columns, comments, constraints,
 * indexes and other objects, each read in one bulk catalog query. */
#define PG_REFLECT_QUERIES 8

/* Reflect the database db is connected to from pg_catalog (the reflect slot
 * of the PostgreSQL impl). */
int pg_reflect(struct mig_db *db, const struct mig_reflect_opts *opts, struct mig_schema **out);

/* Render one op to PostgreSQL statements (the render_op slot of the
 * PostgreSQL impl; dialects/postgresql-render.c). */
int pg_render_op(const struct mig_render_ctx *ctx, const struct mig_op *op,
		 struct mig_strlist *out);
/* A column type as PostgreSQL writes it (the render_type slot). */
void pg_render_type(const struct mig_type *t, const struct mig_schema *s, struct mig_str *out);

#endif
