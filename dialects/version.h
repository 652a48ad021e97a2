/* The SQL of the version table and of migrate_history (DESIGN §7), for the
 * runner: the tables as create_table ops that each dialect renders, and the
 * statements that read and change their rows, built from generic SQL with the
 * dialect's quoting. Private to lib/ and dialects/. */
#ifndef MIG_DIALECT_VERSION_H
#define MIG_DIALECT_VERSION_H

#include "dialect.h"

/* The history table, in the schema of the version table. */
#define MIG_HISTORY_TABLE "migrate_history"

/* Append the create_table op of the version table (version_num VARCHAR(32)
 * NOT NULL, primary key named <table>_pkc, as Alembic makes it) to out.
 * schema may be NULL. */
void mig_version_table_op(const char *schema, const char *table, struct mig_oplist *out);
/* Append the create_table op of migrate_history: id (integer primary key,
 * autoincrement), revision, direction, checksum, applied_at, applied_by,
 * duration_ms, ops_done. */
void mig_history_table_op(const char *schema, struct mig_oplist *out);

/* SELECT version_num FROM <table> ORDER BY version_num */
void mig_version_select_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, struct mig_str *out);
/* INSERT INTO <table> (version_num) VALUES ('a'), ('b') */
void mig_version_insert_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, const char *const *ids, size_t n,
			    struct mig_str *out);
/* UPDATE <table> SET version_num = 'new' WHERE version_num = 'old' */
void mig_version_update_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, const char *old_id, const char *new_id,
			    struct mig_str *out);
/* DELETE FROM <table> WHERE version_num IN ('a', 'b'); every row when n is 0 */
void mig_version_delete_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, const char *const *ids, size_t n,
			    struct mig_str *out);

/* One row of migrate_history. */
struct mig_history_row {
	const char *revision;
	const char *direction;  /* "up", "down", "stamp", "up-failed", "down-failed" */
	const char *checksum;   /* git blob id of the revision file, or NULL */
	const char *applied_at; /* "YYYY-MM-DD HH:MM:SS" (UTC), or NULL: the server's clock */
	const char *applied_by; /* "user@host", or NULL: the session user where there is one */
	long duration_ms;       /* negative: NULL */
	long ops_done;          /* negative: NULL */
};
/* SELECT revision, direction, checksum, applied_at, applied_by FROM
 * migrate_history ORDER BY id, quoted by the dialect. */
void mig_history_select_sql(const struct mig_dialect_impl *impl, const char *schema,
			    struct mig_str *out);
/* INSERT INTO migrate_history (…) VALUES (…), (…) */
void mig_history_insert_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const struct mig_history_row *rows, size_t n, struct mig_str *out);

/* The statements that open and close a transaction in a script (--sql), or
 * NULL for a dialect whose DDL is not transactional. */
const char *mig_script_begin_sql(const struct mig_dialect_impl *impl);
const char *mig_script_commit_sql(const struct mig_dialect_impl *impl);
/* What a script runs before each BEGIN and after each COMMIT, or NULL:
 * SQLite's foreign key enforcement off for the transaction and on after it
 * (table rebuilds drop tables that others reference). */
const char *mig_script_before_begin_sql(const struct mig_dialect_impl *impl);
const char *mig_script_after_commit_sql(const struct mig_dialect_impl *impl);

#endif
