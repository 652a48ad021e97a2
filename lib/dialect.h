/* What a dialect implements. Dialects include this header (and lib/migrate.h);
 * cmd/ never does. */
#ifndef MIGRATE_DIALECT_H
#define MIGRATE_DIALECT_H

#include "migrate.h"

struct mig_schema;
struct mig_type;
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
	/* Optional (NULL: the runner sends one statement at a time with exec).
	 * Run stmts in order inside the transaction the caller opened, sending
	 * them without waiting for each answer (one round trip for the lot).
	 * Each entry is one statement, not a script of several. *done gets how
	 * many succeeded; on failure the error is the one exec would give for
	 * stmts->v[*done] (the driver's message and the statement), the ones
	 * after it did not run, and the transaction is aborted. on_done, when
	 * not NULL, is called with the index of each statement that succeeds
	 * as its answer arrives, which is as the statement ends: the runner
	 * tells each revision's progress and duration from it. */
	int (*exec_batch)(struct mig_db *db, const struct mig_strlist *stmts, size_t *done,
			  void (*on_done)(void *arg, size_t i), void *arg);
	int (*query)(struct mig_db *db, const char *sql, struct mig_rows *out);
	int (*begin)(struct mig_db *db);
	int (*commit)(struct mig_db *db);
	int (*rollback)(struct mig_db *db);
	const char *(*server_version)(struct mig_db *db);
	int (*lock)(struct mig_db *db, const char *name, int timeout_s,
		    void (*on_wait)(void *arg), void *arg);
	int (*unlock)(struct mig_db *db, const char *name);
	/* Whether table (a table or view) exists, by a catalog query; schema NULL
	 * means where an unqualified name would be found. */
	int (*table_exists)(struct mig_db *db, const char *schema, const char *table, bool *out);

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

	/* A column type as this dialect writes it in a column definition, for
	 * compare (two types are the same when they render alike). s, which may
	 * be NULL, is where enum types are looked up. A type the dialect cannot
	 * write comes out in its generic spelling. NULL until implemented. */
	void (*render_type)(const struct mig_type *t, const struct mig_schema *s,
			    struct mig_str *out);

	/* Optional (NULL: nothing to check). Called by the runner after each
	 * revision's ops, inside the transaction: a check the database does not
	 * make by itself while the ops run. SQLite runs PRAGMA foreign_key_check
	 * (foreign keys are off during its transactions, for table rebuilds) and
	 * fails listing the violations (table, rowid, parent). */
	int (*verify)(struct mig_db *db);
};

/* What a renderer knows besides the op. */
struct mig_render_ctx {
	const struct mig_dialect_impl *impl;
	/* The schema just before the op: reflected from the database (and kept
	 * current by applying each op in memory) when connected, or the schema
	 * the revisions produce when writing offline SQL. NULL when unknown: a
	 * renderer that needs it (SQLite table rebuilds, MySQL MODIFY without the
	 * existing_* keys) fails with a clear error. */
	const struct mig_schema *schema;
	bool offline; /* rendering for --sql: no connection */
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
/* A usage error unless every query parameter of url is one of known
 * (NULL-terminated): "unknown <dialect> URL parameter 'x' (known: a, b)". */
int mig_db_check_params(const struct mig_url *url, const char *const *known);
/* The errors every dialect's lock gives: MIG_ELOCKED "timed out after N s
 * waiting for the migration lock 'name'", and "… not held" for unlock. */
int mig_db_lock_timed_out(const char *name, int timeout_s);
int mig_db_lock_not_held(const char *name);
/* name between two q characters, each q inside it doubled (what "…" is to
 * PostgreSQL and SQLite, and `…` to MySQL). */
void mig_db_quote_with(struct mig_str *out, const char *name, char q);

#endif
