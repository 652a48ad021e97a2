/* What a dialect implements. Dialects include this header (and lib/migrate.h);
 * cmd/ never does. */
#ifndef MIGRATE_DIALECT_H
#define MIGRATE_DIALECT_H

#include "migrate.h"

struct mig_schema;
struct mig_op;
struct mig_reflect_opts;
struct mig_render_ctx;

struct mig_dialect_impl {
	const char *name; /* canonical: "postgresql", "mysql", "sqlite" */
	unsigned caps;    /* enum mig_dialect_caps */

	/* Connection. connect allocates the dialect's own struct (embedding
	 * struct mig_db first) and fills db->impl; url is borrowed. */
	int (*connect)(struct mig_db **out, const struct mig_url *url);
	void (*close)(struct mig_db *db);
	int (*exec)(struct mig_db *db, const char *sql);
	int (*query)(struct mig_db *db, const char *sql, struct mig_rows *out);
	int (*begin)(struct mig_db *db);
	int (*commit)(struct mig_db *db);
	int (*rollback)(struct mig_db *db);
	const char *(*server_version)(struct mig_db *db);
	int (*lock)(struct mig_db *db, const char *name, int timeout_s,
		    void (*on_wait)(void *arg), void *arg);
	int (*unlock)(struct mig_db *db, const char *name);

	/* Quoting (no connection). */
	void (*quote_ident)(struct mig_str *out, const char *ident);
	void (*quote_literal)(struct mig_str *out, const char *text);

	/* Reflection of the live database into a schema (issue: models and
	 * reflection). NULL until implemented. */
	int (*reflect)(struct mig_db *db, const struct mig_reflect_opts *opts,
		       struct mig_schema **out);

	/* Rendering of one op to SQL statements appended to out (one statement
	 * per list entry). ctx carries the schema the op applies to, for
	 * dialects that must rebuild tables. NULL until implemented. */
	int (*render_op)(const struct mig_render_ctx *ctx, const struct mig_op *op,
			 struct mig_strlist *out);
};

/* The registry (dialects/dialect.c). */
#if MIG_HAVE_POSTGRESQL
extern const struct mig_dialect_impl mig_postgresql_impl;
#endif
#if MIG_HAVE_MYSQL
extern const struct mig_dialect_impl mig_mysql_impl;
#endif
#if MIG_HAVE_SQLITE
extern const struct mig_dialect_impl mig_sqlite_impl;
#endif

/* Shared helpers for dialects. */
/* Set a DB-class error "<what>: <driver message>" followed by the statement on
 * its own line when sql is not NULL. */
int mig_db_error(const char *driver_msg, const char *sql, const char *fmt, ...) MIG_PRINTF(3, 4);
/* "host:port/database" description for connection errors (no password). */
char *mig_db_describe_target(const struct mig_url *url, int default_port);

#endif
