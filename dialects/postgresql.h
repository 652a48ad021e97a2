/* The PostgreSQL dialect: what dialects/postgresql.c and
 * dialects/postgresql-reflect.c share. Private to dialects/. */
#ifndef MIG_DIALECT_POSTGRESQL_H
#define MIG_DIALECT_POSTGRESQL_H

#include "dialect.h"

/* The number of statements pg_reflect sends, whatever the size of the
 * database: settings, relations, columns, comments, constraints, indexes,
 * types and other objects, each read in one bulk catalog query. */
#define PG_REFLECT_QUERIES 8

/* Reflect the database db is connected to from pg_catalog (the reflect slot
 * of the PostgreSQL impl). */
int pg_reflect(struct mig_db *db, const struct mig_reflect_opts *opts, struct mig_schema **out);

#endif
