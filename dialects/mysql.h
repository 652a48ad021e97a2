/* The MySQL and MariaDB dialect: what dialects/mysql.c, dialects/mysql-reflect.c
 * and dialects/mysql-render.c share. Private to dialects/. */
#ifndef MIG_DIALECT_MYSQL_H
#define MIG_DIALECT_MYSQL_H

#include "dialect.h"

/* The number of statements my_reflect sends, whatever the size of the
 * database: tables, columns, indexes, foreign keys, checks and other objects
 * (triggers, routines, events, partitions), each read from information_schema
 * in one bulk query. */
#define MY_REFLECT_QUERIES 6

/* Reflect the current database (DATABASE()) of the connection from
 * information_schema (the reflect slot of the MySQL impl). */
int my_reflect(struct mig_db *db, const struct mig_reflect_opts *opts, struct mig_schema **out);

/* Render one op as MySQL statements appended to out (the render_op slot of
 * the MySQL impl). */
int my_render_op(const struct mig_render_ctx *ctx, const struct mig_op *op,
		 struct mig_strlist *out);
/* A column type as MySQL writes it (the render_type slot). */
void my_render_type(const struct mig_type *t, const struct mig_schema *s, struct mig_str *out);

#endif
