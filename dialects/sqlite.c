/* The SQLite dialect, on the sqlite3 library: opening a database file,
 * statements, transactions (BEGIN IMMEDIATE, which is also the migration
 * lock, with foreign keys off for table rebuilds), the foreign key check,
 * quoting and catalog look-ups. */
#include "dialect.h"
#include "sqlite.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* How long a statement waits for another connection's lock, as Python's
 * sqlite3 module (and so Alembic) does: 5 s unless ?timeout= says otherwise. */
#define MIG_SQLITE_BUSY_MS 5000

struct sqlite_dialect {
	struct mig_db base;
	sqlite3 *conn;
	int busy_ms; /* the connection's busy timeout outside of lock waits */
	/* The migration lock asked for by mig_db_lock, taken by the next begin. */
	char *lock_name;
	int lock_timeout_s;
	void (*on_wait)(void *arg);
	void *on_wait_arg;
	/* begin turned foreign key enforcement off; commit and rollback turn it
	 * back on */
	bool fk_restore;
};

static struct sqlite_dialect *sqlite_from_db(struct mig_db *db)
{
	assert(db->impl == &mig_sqlite_impl);
	return (struct sqlite_dialect *)db;
}

static int sqlite_error(struct sqlite_dialect *sq, const char *msg, const char *sql)
{
	return mig_db_error(msg ? msg : sqlite3_errmsg(sq->conn), sql, "sqlite error");
}

/* True when text holds another statement, not only spaces and comments
 * (preparing runs nothing). */
static bool sqlite_more(struct sqlite_dialect *sq, const char *text)
{
	while (*text) {
		sqlite3_stmt *st = NULL;
		const char *next;
		if (sqlite3_prepare_v2(sq->conn, text, -1, &st, &next) != SQLITE_OK) {
			return true;
		}
		if (st) {
			sqlite3_finalize(st);
			return true;
		}
		text = next;
	}
	return false;
}

/* A cell as text: NULL stays NULL, a blob is written as lowercase hex. */
static char *sqlite_cell(struct mig_arena *arena, sqlite3_stmt *st, int col)
{
	int type = sqlite3_column_type(st, col);
	if (type == SQLITE_NULL) {
		return NULL;
	}
	if (type == SQLITE_BLOB) {
		const unsigned char *b = sqlite3_column_blob(st, col);
		size_t n = (size_t)sqlite3_column_bytes(st, col);
		char *hex = mig_arena_alloc(arena, 2 * n + 1);
		for (size_t i = 0; i < n; i++) {
			hex[2 * i] = "0123456789abcdef"[b[i] >> 4];
			hex[2 * i + 1] = "0123456789abcdef"[b[i] & 15];
		}
		return hex;
	}
	const unsigned char *t = sqlite3_column_text(st, col);
	return mig_arena_strndup(arena, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
}

/* Run the statements of sql one after the other. When rows is given, sql must
 * be one statement and rows gets its result. Returns the SQLite result code;
 * on failure *msg (when given) gets a copy of the driver's message. */
static int sqlite_run(struct sqlite_dialect *sq, const char *sql, struct mig_rows *rows,
		      char **msg)
{
	MIG_VEC(char *) cells = { 0 };
	sqlite3_stmt *st = NULL;
	const char *tail = sql;
	int rc = SQLITE_OK;

	while (*tail) {
		const char *next;
		rc = sqlite3_prepare_v2(sq->conn, tail, -1, &st, &next);
		if (rc != SQLITE_OK) {
			goto done;
		}
		if (!st) {
			/* only a comment or spaces */
			tail = next;
			continue;
		}
		if (rows && sqlite_more(sq, next)) {
			rc = SQLITE_MISUSE;
			if (msg) {
				*msg = xstrdup("a query must be a single statement");
			}
			goto done;
		}
		sq->base.query_count++;
		int ncols = sqlite3_column_count(st);
		if (rows) {
			rows->ncols = (size_t)ncols;
			size_t n = ncols ? (size_t)ncols : 1;
			rows->colnames = mig_arena_alloc(&rows->arena, n * sizeof(char *));
			for (int c = 0; c < ncols; c++) {
				rows->colnames[c] =
					mig_arena_strdup(&rows->arena, sqlite3_column_name(st, c));
			}
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int c = 0; rows && c < ncols; c++) {
				mig_vec_push(&cells, sqlite_cell(&rows->arena, st, c));
			}
			if (rows) {
				rows->nrows++;
			}
		}
		if (rc != SQLITE_DONE) {
			goto done;
		}
		rc = SQLITE_OK;
		sqlite3_finalize(st);
		st = NULL;
		tail = next;
	}
	if (rows) {
		rows->cells = mig_arena_alloc(&rows->arena,
					      (cells.n ? cells.n : 1) * sizeof(char *));
		if (cells.n) {
			memcpy(rows->cells, cells.v, cells.n * sizeof(char *));
		}
	}
done:
	if (rc != SQLITE_OK && msg && !*msg) {
		*msg = xstrdup(sqlite3_errmsg(sq->conn));
	}
	sqlite3_finalize(st);
	mig_vec_free(&cells);
	return rc;
}

/* Run sql and set the error on failure. */
static int sqlite_do(struct sqlite_dialect *sq, const char *sql, struct mig_rows *rows)
{
	char *msg = NULL;
	int rc = 0;
	if (sqlite_run(sq, sql, rows, &msg) != SQLITE_OK) {
		rc = sqlite_error(sq, msg, sql);
	}
	free(msg);
	return rc;
}

/* The URL query keys the SQLite dialect understands. */
static const char *const sqlite_params[] = { "mode", "timeout", NULL };

static int sqlite_options(const struct mig_url *url, int *flags, int *busy_ms)
{
	*flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	*busy_ms = MIG_SQLITE_BUSY_MS;
	if (mig_db_check_params(url, sqlite_params) < 0) {
		return MIG_ERROR;
	}
	for (size_t i = 0; i < url->params.n; i++) {
		const char *key = url->params.v[i].key;
		const char *value = url->params.v[i].value ? url->params.v[i].value : "";
		if (strcmp(key, "mode") == 0) {
			if (strcmp(value, "ro") == 0) {
				*flags = SQLITE_OPEN_READONLY;
			} else if (strcmp(value, "rw") == 0) {
				*flags = SQLITE_OPEN_READWRITE;
			} else if (strcmp(value, "rwc") == 0) {
				*flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
			} else {
				return mig_error(MIG_ECLASS_USAGE,
						 "invalid sqlite URL parameter mode '%s' (expected "
						 "ro, rw or rwc)",
						 value);
			}
		} else if (strcmp(key, "timeout") == 0) {
			char *end;
			errno = 0;
			double s = strtod(value, &end);
			if (errno || end == value || *end || !isfinite(s) || s < 0 ||
			    s * 1000 > INT_MAX) {
				return mig_error(MIG_ECLASS_USAGE,
						 "invalid sqlite URL parameter timeout '%s': "
						 "expected seconds",
						 value);
			}
			*busy_ms = (int)(s * 1000);
		}
	}
	return 0;
}

static void sqlite_close(struct mig_db *db)
{
	struct sqlite_dialect *sq = sqlite_from_db(db);
	sqlite3_close_v2(sq->conn);
	free(sq->lock_name);
	free(sq);
}

static int sqlite_connect(struct mig_db **out, const struct mig_url *url)
{
	struct sqlite_dialect *sq = NULL;
	char *msg = NULL;
	int flags, busy_ms;
	int rc = MIG_ERROR;
	const char *path = mig_url_is_memory(url) || !url->database || !*url->database
				   ? ":memory:"
				   : url->database;

	if (sqlite_options(url, &flags, &busy_ms) < 0) {
		goto done;
	}
	sq = xcalloc(1, sizeof(*sq));
	sq->base.impl = &mig_sqlite_impl;
	sq->busy_ms = busy_ms;
	if (sqlite3_open_v2(path, &sq->conn, flags, NULL) != SQLITE_OK) {
		mig_db_error(sq->conn ? sqlite3_errmsg(sq->conn) : "out of memory", NULL,
			     "cannot open sqlite database '%s'", path);
		goto done;
	}
	sqlite3_extended_result_codes(sq->conn, 1);
	sqlite3_busy_timeout(sq->conn, busy_ms);
	/* SQLite leaves foreign keys unenforced unless asked, per connection;
	 * reading the schema version finds a file that is not a database now
	 * rather than at the first statement */
	if (sqlite_run(sq, "PRAGMA foreign_keys = ON; PRAGMA schema_version", NULL, &msg) !=
	    SQLITE_OK) {
		mig_db_error(msg, NULL, "cannot open sqlite database '%s'", path);
		goto done;
	}
	*out = &sq->base;
	sq = NULL;
	rc = 0;
done:
	if (sq) {
		sqlite3_close_v2(sq->conn);
		free(sq);
	}
	free(msg);
	return rc;
}

static int sqlite_exec(struct mig_db *db, const char *sql)
{
	return sqlite_do(sqlite_from_db(db), sql, NULL);
}

static int sqlite_query(struct mig_db *db, const char *sql, struct mig_rows *out)
{
	return sqlite_do(sqlite_from_db(db), sql, out);
}

/* A table rebuild drops a table that others may reference: with foreign
 * keys enforced, that would delete or refuse their rows. SQLite changes the
 * setting only outside a transaction, so it is off for the whole of ours;
 * the runner calls verify (PRAGMA foreign_key_check) before committing. */
static void sqlite_fk_off(struct sqlite_dialect *sq)
{
	int on = 0;
	if (!sqlite3_get_autocommit(sq->conn)) {
		return;
	}
	sqlite3_db_config(sq->conn, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &on);
	if (on) {
		sqlite3_db_config(sq->conn, SQLITE_DBCONFIG_ENABLE_FKEY, 0, &on);
		sq->fk_restore = true;
	}
}

/* Enforce foreign keys again once the transaction is over. */
static void sqlite_fk_restore(struct sqlite_dialect *sq)
{
	int on = 0;
	if (sq->fk_restore && sqlite3_get_autocommit(sq->conn)) {
		sqlite3_db_config(sq->conn, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &on);
		sq->fk_restore = false;
	}
}

/* BEGIN IMMEDIATE takes the database's write lock at once, so two writers
 * queue here rather than fail half way. After mig_db_lock it is the
 * migration lock: tried without waiting first, so that the wait can be
 * announced, then with the lock's timeout. */
static int sqlite_begin_immediate(struct sqlite_dialect *sq)
{
	static const char sql[] = "BEGIN IMMEDIATE";
	char *msg = NULL;
	int code, rc = MIG_ERROR;

	if (!sq->lock_name) {
		return sqlite_do(sq, sql, NULL);
	}
	sqlite3_busy_timeout(sq->conn, 0);
	code = sqlite_run(sq, sql, NULL, &msg);
	if ((code & 0xff) == SQLITE_BUSY) {
		if (sq->on_wait) {
			sq->on_wait(sq->on_wait_arg);
		}
		int ms = sq->lock_timeout_s < 0 || sq->lock_timeout_s > INT_MAX / 1000
				 ? INT_MAX
				 : sq->lock_timeout_s * 1000;
		sqlite3_busy_timeout(sq->conn, ms);
		free(msg);
		msg = NULL;
		code = sqlite_run(sq, sql, NULL, &msg);
	}
	if ((code & 0xff) == SQLITE_BUSY) {
		rc = mig_db_lock_timed_out(sq->lock_name, sq->lock_timeout_s);
	} else if (code != SQLITE_OK) {
		rc = sqlite_error(sq, msg, sql);
	} else {
		rc = 0;
	}
	sqlite3_busy_timeout(sq->conn, sq->busy_ms);
	free(msg);
	return rc;
}

static int sqlite_begin(struct mig_db *db)
{
	struct sqlite_dialect *sq = sqlite_from_db(db);
	sqlite_fk_off(sq);
	int rc = sqlite_begin_immediate(sq);
	if (rc < 0) {
		sqlite_fk_restore(sq);
	}
	return rc;
}

static int sqlite_commit(struct mig_db *db)
{
	struct sqlite_dialect *sq = sqlite_from_db(db);
	int rc = sqlite_do(sq, "COMMIT", NULL);
	/* a COMMIT that found the database busy leaves the transaction open */
	db->in_transaction = !sqlite3_get_autocommit(sq->conn);
	sqlite_fk_restore(sq);
	return rc;
}

static int sqlite_rollback(struct mig_db *db)
{
	struct sqlite_dialect *sq = sqlite_from_db(db);
	int rc = sqlite_do(sq, "ROLLBACK", NULL);
	db->in_transaction = !sqlite3_get_autocommit(sq->conn);
	sqlite_fk_restore(sq);
	return rc;
}

static const char *sqlite_server_version(struct mig_db *db)
{
	return sqlite3_libversion();
}

/* SQLite has no lock apart from the database's own: remember what was asked
 * for, and let the next begin (BEGIN IMMEDIATE) take the write lock with it.
 * The runner therefore holds the lock only while it is in a transaction. */
static int sqlite_lock(struct mig_db *db, const char *name, int timeout_s,
		       void (*on_wait)(void *arg), void *arg)
{
	struct sqlite_dialect *sq = sqlite_from_db(db);
	free(sq->lock_name);
	sq->lock_name = xstrdup(name);
	sq->lock_timeout_s = timeout_s;
	sq->on_wait = on_wait;
	sq->on_wait_arg = arg;
	return 0;
}

static int sqlite_unlock(struct mig_db *db, const char *name)
{
	struct sqlite_dialect *sq = sqlite_from_db(db);
	if (!mig_streq(sq->lock_name, name)) {
		return mig_db_lock_not_held(name);
	}
	free(sq->lock_name);
	sq->lock_name = NULL;
	sq->on_wait = NULL;
	sq->on_wait_arg = NULL;
	return 0;
}

/* How many violations the foreign key check lists before "and N more". */
#define MIG_SQLITE_FK_LISTED 10

/* PRAGMA foreign_key_check over the whole database: the rows whose parent
 * row is missing, as one error. */
static int sqlite_verify(struct mig_db *db)
{
	static const char sql[] = "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check "
				  "ORDER BY \"table\", rowid, parent";
	struct sqlite_dialect *sq = sqlite_from_db(db);
	struct mig_rows rows = MIG_ROWS_INIT;
	struct mig_str s = MIG_STR_INIT;
	int rc = sqlite_do(sq, sql, &rows);
	if (rc < 0 || rows.nrows == 0) {
		goto done;
	}
	if (rows.nrows == 1) {
		mig_str_add(&s, "foreign key check failed: ");
	} else {
		mig_str_addf(&s, "foreign key check failed (%zu violations): ", rows.nrows);
	}
	for (size_t i = 0; i < rows.nrows && i < MIG_SQLITE_FK_LISTED; i++) {
		const char *rowid = mig_rows_get(&rows, i, 1);
		mig_str_addf(&s, "%stable '%s' ", i ? "; " : "", mig_rows_get(&rows, i, 0));
		if (rowid) {
			mig_str_addf(&s, "rowid %s", rowid);
		} else {
			mig_str_add(&s, "(a row without rowid)");
		}
		mig_str_addf(&s, " references a missing row of '%s'", mig_rows_get(&rows, i, 2));
	}
	if (rows.nrows > MIG_SQLITE_FK_LISTED) {
		mig_str_addf(&s, "; and %zu more", rows.nrows - MIG_SQLITE_FK_LISTED);
	}
	rc = mig_error(MIG_ECLASS_DB, "%s", s.buf);
done:
	mig_str_release(&s);
	mig_rows_release(&rows);
	return rc;
}

static void sqlite_quote_ident(struct mig_str *out, const char *ident)
{
	mig_db_quote_with(out, ident, '"');
}

static void sqlite_quote_literal(struct mig_str *out, const char *text)
{
	mig_str_addch(out, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'') {
			mig_str_addch(out, '\'');
		}
		mig_str_addch(out, *p);
	}
	mig_str_addch(out, '\'');
}

static int sqlite_table_exists(struct mig_db *db, const char *schema, const char *table,
			       bool *out)
{
	struct sqlite_dialect *sq = sqlite_from_db(db);
	struct mig_str sql = MIG_STR_INIT;
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc;

	if (schema) {
		/* naming a schema that is not attached is an error, not a missing table */
		mig_str_add(&sql, "SELECT count(*) FROM pragma_database_list WHERE name = ");
		sqlite_quote_literal(&sql, schema);
		mig_str_add(&sql, " COLLATE NOCASE");
		rc = sqlite_do(sq, sql.buf, &rows);
		if (rc < 0 || rows.nrows != 1 || mig_streq(rows.cells[0], "0")) {
			goto done;
		}
		mig_rows_release(&rows);
		mig_str_reset(&sql);
	}
	/* SQLite matches table names without ASCII case, as NOCASE does */
	mig_str_add(&sql, "SELECT count(*) FROM ");
	if (schema) {
		sqlite_quote_ident(&sql, schema);
		mig_str_addch(&sql, '.');
	}
	mig_str_add(&sql, "sqlite_master WHERE type IN ('table', 'view') AND name = ");
	sqlite_quote_literal(&sql, table);
	mig_str_add(&sql, " COLLATE NOCASE");
	rc = sqlite_do(sq, sql.buf, &rows);
	if (rc == 0) {
		*out = rows.nrows == 1 && rows.cells[0] && strcmp(rows.cells[0], "0") != 0;
	}
done:
	mig_rows_release(&rows);
	mig_str_release(&sql);
	return rc;
}

const struct mig_dialect_impl mig_sqlite_impl = {
	.name = "sqlite",
	.caps = MIG_CAP_TRANSACTIONAL_DDL | MIG_CAP_ALTER_LIMITED,
	.connect = sqlite_connect,
	.close = sqlite_close,
	.exec = sqlite_exec,
	.query = sqlite_query,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.server_version = sqlite_server_version,
	.lock = sqlite_lock,
	.unlock = sqlite_unlock,
	.table_exists = sqlite_table_exists,
	.quote_ident = sqlite_quote_ident,
	.quote_literal = sqlite_quote_literal,
	.reflect = sqlite_reflect,
	.render_op = sqlite_render_op,
	.render_type = sqlite_render_type,
	.verify = sqlite_verify,
};
