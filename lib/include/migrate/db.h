/* Database connections through a dialect: connect, execute, query, transactions,
 * lock, quoting. The SQL text itself is produced only by dialects. */
#ifndef MIGRATE_DB_H
#define MIGRATE_DB_H

#include "migrate/common.h"
#include "migrate/url.h"

struct mig_dialect_impl;

/* Capability bits of a dialect. */
enum mig_dialect_caps {
	MIG_CAP_TRANSACTIONAL_DDL = 1u << 0, /* DDL can be rolled back */
	MIG_CAP_SCHEMAS = 1u << 1,           /* has schemas (namespaces) inside a database */
	MIG_CAP_NATIVE_ENUMS = 1u << 2,      /* CREATE TYPE … AS ENUM */
	MIG_CAP_ALTER_LIMITED = 1u << 3,     /* most ALTERs need a table rebuild (SQLite) */
};

/* A result set: rows × cols cells of text; a SQL NULL is a NULL pointer. */
struct mig_rows {
	size_t nrows;
	size_t ncols;
	char **colnames; /* ncols names */
	char **cells;    /* nrows * ncols, row-major */
	struct mig_arena arena;
};
#define MIG_ROWS_INIT { 0, 0, NULL, NULL, MIG_ARENA_INIT }
static inline const char *mig_rows_get(const struct mig_rows *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}
void mig_rows_release(struct mig_rows *r);

/* A connection. Dialects embed this as the first member of their own struct. */
struct mig_db {
	const struct mig_dialect_impl *impl;
	struct mig_url *url;       /* owned */
	unsigned long query_count; /* statements sent to the server */
	bool in_transaction;
};

/* Look up a dialect by canonical name. A dialect left out of the build is an
 * error "dialect 'mysql' was disabled at build time"; an unknown one lists the
 * known ones. */
int mig_dialect_find(const char *name, const struct mig_dialect_impl **out);
const char *mig_dialect_name(const struct mig_dialect_impl *impl);
unsigned mig_dialect_caps(const struct mig_dialect_impl *impl);
/* Names of the dialects compiled in, NULL-terminated. */
const char *const *mig_dialect_names(void);

/* Connect to url (takes a copy). DB-class error naming host, port and database,
 * never the password. */
int mig_db_open(struct mig_db **out, const char *url);
int mig_db_open_url(struct mig_db **out, const struct mig_url *url);
void mig_db_close(struct mig_db *db);
const struct mig_dialect_impl *mig_db_dialect(const struct mig_db *db);
/* Run one statement (or, for a dialect that allows it, a batch). On failure the
 * DB-class error carries the driver's message and the statement. */
int mig_db_exec(struct mig_db *db, const char *sql);
int mig_db_execf(struct mig_db *db, const char *fmt, ...) MIG_PRINTF(2, 3);
/* Run a query and fetch all rows as text. out is overwritten (it need not be
 * initialised); release it with mig_rows_release, also after a failure. */
int mig_db_query(struct mig_db *db, const char *sql, struct mig_rows *out);
int mig_db_begin(struct mig_db *db);
int mig_db_commit(struct mig_db *db);
int mig_db_rollback(struct mig_db *db);
/* Server version as the server reports it ("15.4", "10.11.6-MariaDB", "3.40.1"). */
const char *mig_db_server_version(struct mig_db *db);
/* Take and release the migration lock named name, waiting up to timeout_s
 * seconds (MIG_ELOCKED on timeout; a negative timeout waits for ever). on_wait,
 * when set, is called once if the lock is busy, before waiting. SQLite has no
 * session lock: there, lock records the timeout and the next mig_db_begin
 * (BEGIN IMMEDIATE) waits for the write lock and reports MIG_ELOCKED. */
int mig_db_lock(struct mig_db *db, const char *name, int timeout_s,
		void (*on_wait)(void *arg), void *arg);
int mig_db_unlock(struct mig_db *db, const char *name);
/* Whether a table (or view) exists, by a catalog query that creates nothing.
 * schema NULL means where an unqualified name is found (PostgreSQL: the search
 * path; MySQL: the current database; SQLite: the main database). */
int mig_db_table_exists(struct mig_db *db, const char *schema, const char *table, bool *out);

/* Quoting, by dialect (no connection needed). */
void mig_dialect_quote_ident(const struct mig_dialect_impl *impl, struct mig_str *out,
			     const char *ident);
void mig_dialect_quote_literal(const struct mig_dialect_impl *impl, struct mig_str *out,
			       const char *text);
/* Convenience: quote into a new string. */
char *mig_db_quote_ident(struct mig_db *db, const char *ident);
char *mig_db_quote_literal(struct mig_db *db, const char *text);

#endif
