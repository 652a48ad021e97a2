/* The PostgreSQL dialect, on libpq: connection, statements, transactions,
 * the advisory migration lock, quoting and catalog look-ups (reflection is in
 * postgresql-reflect.c). */
#include "postgresql.h"

#include <assert.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PG_DEFAULT_PORT 5432
/* How many server notices a connection keeps (the latest ones). */
#define PG_MAX_NOTICES 64
/* Pause between two tries of the advisory lock. */
#define PG_LOCK_POLL_MS 150

struct pg_dialect {
	struct mig_db base;
	PGconn *conn;
	/* NOTICE and WARNING messages the server sent, silenced but kept */
	struct mig_strlist notices;
};

static struct pg_dialect *pg_from_db(struct mig_db *db)
{
	assert(db->impl == &mig_postgresql_impl);
	return (struct pg_dialect *)db;
}

/* libpq prints notices to stderr by default; lib/ never prints. */
static void pg_notice(void *arg, const char *message)
{
	struct pg_dialect *pg = arg;
	if (pg->notices.n == PG_MAX_NOTICES) {
		free(pg->notices.v[0]);
		memmove(pg->notices.v, pg->notices.v + 1, (pg->notices.n - 1) * sizeof(char *));
		pg->notices.n--;
	}
	char *m = xstrdup(message);
	size_t n = strlen(m);
	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) {
		m[--n] = '\0';
	}
	mig_strlist_push_owned(&pg->notices, m);
}

/* The error of a failed result (or of the connection when there is no
 * result): the primary message with its SQLSTATE, detail and hint. */
static int pg_result_error(struct pg_dialect *pg, const PGresult *res, const char *sql)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!primary) {
		const char *msg = res ? PQresultErrorMessage(res) : NULL;
		if (!msg || !*msg) {
			msg = PQerrorMessage(pg->conn);
		}
		return mig_db_error(msg, sql, "postgresql error");
	}
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	struct mig_str msg = MIG_STR_INIT;
	mig_str_add(&msg, primary);
	if (detail) {
		mig_str_addf(&msg, "\n  detail: %s", detail);
	}
	if (hint) {
		mig_str_addf(&msg, "\n  hint: %s", hint);
	}
	mig_db_error(msg.buf, sql, "postgresql error (%s)", state ? state : "?????");
	mig_str_release(&msg);
	return MIG_ERROR;
}

/* A COPY from or to the client has no data to work with here: end it, so the
 * connection stays usable, and say so. */
static int pg_end_copy(struct pg_dialect *pg, const char *sql)
{
	char *buf;
	PGresult *res;
	PQputCopyEnd(pg->conn, "migrate sends no COPY data");
	while (PQgetCopyData(pg->conn, &buf, 0) > 0) {
		PQfreemem(buf);
	}
	while ((res = PQgetResult(pg->conn)) != NULL) {
		PQclear(res);
	}
	return mig_db_error("COPY FROM STDIN and COPY TO STDOUT are not supported", sql,
			    "postgresql error");
}

/* Send one statement (or a batch); *out gets the result of the last one. */
static int pg_run(struct pg_dialect *pg, const char *sql, PGresult **out)
{
	PGresult *res = PQexec(pg->conn, sql);
	pg->base.query_count++;
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
		PQclear(res);
		*out = NULL;
		return pg_end_copy(pg, sql);
	}
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		pg_result_error(pg, res, sql);
		PQclear(res);
		*out = NULL;
		return MIG_ERROR;
	}
	*out = res;
	return 0;
}

/* Run a statement that returns one boolean. */
static int pg_query_bool(struct pg_dialect *pg, const char *sql, bool *out)
{
	PGresult *res;
	if (pg_run(pg, sql, &res) < 0) {
		return MIG_ERROR;
	}
	int rc = 0;
	if (PQntuples(res) != 1 || PQnfields(res) < 1) {
		rc = mig_db_error(NULL, sql, "postgresql returned %d rows where one was expected",
				  PQntuples(res));
	} else {
		*out = !PQgetisnull(res, 0, 0) && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	}
	PQclear(res);
	return rc;
}

static void pg_close(struct mig_db *db)
{
	struct pg_dialect *pg = pg_from_db(db);
	PQfinish(pg->conn);
	mig_strlist_release(&pg->notices);
	free(pg);
}

/* The keyword and value arrays of PQconnectdbParams. */
struct pg_keywords {
	const char **v;
	size_t n;
	size_t alloc;
};

/* Add a connection keyword, unless its value is absent. */
static void pg_key(struct pg_keywords *keys, struct pg_keywords *values, const char *key,
		   const char *value)
{
	if (value && *value) {
		mig_vec_push(keys, key);
		mig_vec_push(values, value);
	}
}

static int pg_connect(struct mig_db **out, const struct mig_url *url)
{
	struct pg_keywords keys = { 0 }, values = { 0 };
	char port[16];
	int rc = MIG_ERROR;
	char *target = NULL;
	struct pg_dialect *pg = xcalloc(1, sizeof(*pg));
	pg->base.impl = &mig_postgresql_impl;

	pg_key(&keys, &values, "host", url->host);
	if (url->port > 0) {
		snprintf(port, sizeof(port), "%d", url->port);
		pg_key(&keys, &values, "port", port);
	}
	pg_key(&keys, &values, "user", url->user);
	pg_key(&keys, &values, "password", url->password);
	pg_key(&keys, &values, "dbname", url->database);
	pg_key(&keys, &values, "fallback_application_name", "migrate");
	/* the rest of the URL's query goes to libpq as conninfo keywords; libpq
	 * reports the ones it does not know */
	for (size_t i = 0; i < url->params.n; i++) {
		mig_vec_push(&keys, url->params.v[i].key);
		mig_vec_push(&values, url->params.v[i].value ? url->params.v[i].value : "");
	}
	/* model files and revision files are UTF-8, whatever the environment says */
	pg_key(&keys, &values, "client_encoding", "UTF8");
	mig_vec_push(&keys, NULL);
	mig_vec_push(&values, NULL);

	pg->conn = PQconnectdbParams(keys.v, values.v, 0);
	if (!pg->conn || PQstatus(pg->conn) != CONNECTION_OK) {
		target = mig_db_describe_target(url, PG_DEFAULT_PORT);
		mig_db_error(pg->conn ? PQerrorMessage(pg->conn) : "out of memory", NULL,
			     "cannot connect to postgresql at %s", target);
		goto done;
	}
	PQsetNoticeProcessor(pg->conn, pg_notice, pg);
	*out = &pg->base;
	pg = NULL;
	rc = 0;
done:
	if (pg) {
		PQfinish(pg->conn);
		free(pg);
	}
	free(target);
	mig_vec_free(&keys);
	mig_vec_free(&values);
	return rc;
}

static int pg_exec(struct mig_db *db, const char *sql)
{
	PGresult *res;
	if (pg_run(pg_from_db(db), sql, &res) < 0) {
		return MIG_ERROR;
	}
	PQclear(res);
	return 0;
}

#if MIG_HAVE_PG_PIPELINE
/* The statements in libpq's pipeline mode: all sent (with one Sync after the
 * last), then each result read in order, so the batch costs one round trip
 * and every result still belongs to its statement. libpq reads what the
 * server answers while it waits to send more, so a long batch cannot fill
 * both directions of the connection and deadlock. After a failure the server
 * skips the rest up to the Sync (PGRES_PIPELINE_ABORTED). */
static int pg_exec_batch(struct mig_db *db, const struct mig_strlist *stmts, size_t *done,
			 void (*on_done)(void *arg, size_t i), void *arg)
{
	struct pg_dialect *pg = pg_from_db(db);
	size_t sent = 0;
	bool synced = false, lost = false;
	char *send_error = NULL;
	int rc = 0;

	*done = 0;
	if (!stmts->n) {
		return 0;
	}
	if (PQenterPipelineMode(pg->conn) != 1) {
		return mig_db_error(PQerrorMessage(pg->conn), NULL,
				    "postgresql error: cannot enter pipeline mode");
	}
	/* a Flush after each statement makes the server send its answer at
	 * once rather than with the Sync, so each arrives (and the progress
	 * of the statements is known) as the statement ends */
	while (sent < stmts->n &&
	       PQsendQueryParams(pg->conn, stmts->v[sent], 0, NULL, NULL, NULL, NULL, 0) == 1 &&
	       PQsendFlushRequest(pg->conn) == 1) {
		sent++;
	}
	if (sent < stmts->n) {
		/* the connection failed: reported at the statement that was not sent,
		 * once the answers to those before it are read */
		send_error = xstrdup(PQerrorMessage(pg->conn));
	}
	synced = PQpipelineSync(pg->conn) == 1;
	for (size_t i = 0; i < sent && !lost; i++) {
		PGresult *res = PQgetResult(pg->conn);
		if (!res) {
			lost = true;
			break;
		}
		pg->base.query_count++;
		ExecStatusType st = PQresultStatus(res);
		if (rc == 0 && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
				st == PGRES_EMPTY_QUERY)) {
			(*done)++;
			if (on_done) {
				on_done(arg, i);
			}
		} else if (rc == 0) {
			rc = pg_result_error(pg, res, stmts->v[i]);
		}
		PQclear(res);
		/* each statement's results end with NULL */
		while ((res = PQgetResult(pg->conn)) != NULL) {
			PQclear(res);
		}
	}
	if (!lost && synced) {
		PGresult *res = PQgetResult(pg->conn);
		lost = !res || PQresultStatus(res) != PGRES_PIPELINE_SYNC;
		PQclear(res);
	}
	if (rc == 0 && send_error) {
		rc = mig_db_error(send_error, stmts->v[sent], "postgresql error");
	}
	if ((lost || !synced || PQexitPipelineMode(pg->conn) != 1) && rc == 0) {
		const char *at = *done < stmts->n ? stmts->v[*done] : NULL;
		rc = mig_db_error(PQerrorMessage(pg->conn), at, "postgresql error");
	}
	free(send_error);
	return rc;
}
#endif

static int pg_query(struct mig_db *db, const char *sql, struct mig_rows *out)
{
	PGresult *res;
	if (pg_run(pg_from_db(db), sql, &res) < 0) {
		return MIG_ERROR;
	}
	size_t nrows = (size_t)PQntuples(res);
	size_t ncols = (size_t)PQnfields(res);
	out->nrows = nrows;
	out->ncols = ncols;
	out->colnames = mig_arena_alloc(&out->arena, (ncols ? ncols : 1) * sizeof(char *));
	out->cells = mig_arena_alloc(&out->arena, (nrows * ncols != 0 ? nrows * ncols : 1) *
							  sizeof(char *));
	for (size_t c = 0; c < ncols; c++) {
		out->colnames[c] = mig_arena_strdup(&out->arena, PQfname(res, (int)c));
	}
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			if (!PQgetisnull(res, (int)r, (int)c)) {
				out->cells[r * ncols + c] = mig_arena_strndup(
					&out->arena, PQgetvalue(res, (int)r, (int)c),
					(size_t)PQgetlength(res, (int)r, (int)c));
			}
		}
	}
	PQclear(res);
	return 0;
}

static int pg_begin(struct mig_db *db)
{
	return pg_exec(db, "BEGIN");
}

static int pg_commit(struct mig_db *db)
{
	PGresult *res;
	if (pg_run(pg_from_db(db), "COMMIT", &res) < 0) {
		return MIG_ERROR;
	}
	/* COMMIT of a transaction an earlier statement aborted succeeds as ROLLBACK */
	bool rolled_back = strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
	PQclear(res);
	if (rolled_back) {
		return mig_db_error(NULL, NULL,
				    "postgresql rolled the transaction back instead of committing "
				    "it: an earlier statement failed");
	}
	return 0;
}

static int pg_rollback(struct mig_db *db)
{
	return pg_exec(db, "ROLLBACK");
}

static const char *pg_server_version(struct mig_db *db)
{
	const char *v = PQparameterStatus(pg_from_db(db)->conn, "server_version");
	return v ? v : "";
}

/* The advisory lock key for a lock name: 64-bit FNV-1a, the same in every
 * process and release. */
static long long pg_lock_key(const char *name)
{
	uint64_t h = 14695981039346656037ull;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return (long long)h;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0) {
	}
}

/* pg_advisory_lock would wait without a way to give up or to say that it
 * waits; polling pg_try_advisory_lock gives both. */
static int pg_lock(struct mig_db *db, const char *name, int timeout_s, void (*on_wait)(void *arg),
		   void *arg)
{
	struct pg_dialect *pg = pg_from_db(db);
	char *sql = xasprintf("SELECT pg_try_advisory_lock(%lld)", pg_lock_key(name));
	double deadline = now_s() + timeout_s;
	bool got = false;
	int rc = MIG_ERROR;

	for (bool first = true;; first = false) {
		if (pg_query_bool(pg, sql, &got) < 0) {
			goto done;
		}
		if (got) {
			break;
		}
		if (first && on_wait) {
			on_wait(arg);
		}
		double left = deadline - now_s();
		if (timeout_s >= 0 && left <= 0) {
			rc = mig_db_lock_timed_out(name, timeout_s);
			goto done;
		}
		long ms = PG_LOCK_POLL_MS;
		if (timeout_s >= 0 && left * 1000 < ms) {
			ms = (long)(left * 1000) + 1;
		}
		sleep_ms(ms);
	}
	rc = 0;
done:
	free(sql);
	return rc;
}

static int pg_unlock(struct mig_db *db, const char *name)
{
	struct pg_dialect *pg = pg_from_db(db);
	char *sql = xasprintf("SELECT pg_advisory_unlock(%lld)", pg_lock_key(name));
	bool released = false;
	int rc = pg_query_bool(pg, sql, &released);
	if (rc == 0 && !released) {
		rc = mig_db_lock_not_held(name);
	}
	free(sql);
	return rc;
}

static void pg_quote_ident(struct mig_str *out, const char *ident)
{
	mig_db_quote_with(out, ident, '"');
}

/* Like libpq's PQescapeLiteral: a backslash makes it an E'' string with
 * backslashes doubled, so the literal means the same whatever the server's
 * standard_conforming_strings says. */
static void pg_quote_literal(struct mig_str *out, const char *text)
{
	bool escape = strchr(text, '\\') != NULL;
	if (escape) {
		mig_str_addch(out, 'E');
	}
	mig_str_addch(out, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'' || (escape && *p == '\\')) {
			mig_str_addch(out, *p);
		}
		mig_str_addch(out, *p);
	}
	mig_str_addch(out, '\'');
}

static int pg_table_exists(struct mig_db *db, const char *schema, const char *table, bool *out)
{
	struct pg_dialect *pg = pg_from_db(db);
	struct mig_str sql = MIG_STR_INIT;
	mig_str_add(&sql, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
			  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
			  "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname = ");
	pg_quote_literal(&sql, table);
	if (schema) {
		mig_str_add(&sql, " AND n.nspname = ");
		pg_quote_literal(&sql, schema);
	} else {
		mig_str_add(&sql, " AND pg_catalog.pg_table_is_visible(c.oid)");
	}
	mig_str_add(&sql, ")");
	int rc = pg_query_bool(pg, sql.buf, out);
	mig_str_release(&sql);
	return rc;
}

const struct mig_dialect_impl mig_postgresql_impl = {
	.name = "postgresql",
	.caps = MIG_CAP_TRANSACTIONAL_DDL | MIG_CAP_SCHEMAS | MIG_CAP_NATIVE_ENUMS,
	.connect = pg_connect,
	.close = pg_close,
	.exec = pg_exec,
#if MIG_HAVE_PG_PIPELINE
	.exec_batch = pg_exec_batch,
#endif
	.query = pg_query,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.server_version = pg_server_version,
	.lock = pg_lock,
	.unlock = pg_unlock,
	.table_exists = pg_table_exists,
	.quote_ident = pg_quote_ident,
	.quote_literal = pg_quote_literal,
	.reflect = pg_reflect,
	.render_op = pg_render_op,
	.render_type = pg_render_type,
};
