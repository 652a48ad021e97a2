/* Unit tests for lib/db.c and the dialects' connections, against real SQLite
 * files, PostgreSQL ($MIGRATE_TEST_PG_URL) and MariaDB ($MIGRATE_TEST_MYSQL_URL).
 * Each run works in databases of its own, named after the process id, and
 * drops them at the end. */
#include "helpers.h"

#include "dialect.h"
#include "dialects/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the three targets ---- */

struct target {
	const char *dialect;
	const char *env;            /* the variable naming the server, or NULL */
	const char *example;        /* what the variable looks like */
	const char *version_prefix; /* of the dev and CI servers */
	bool transactional_ddl;
	char *url;                  /* of this run's own database, made on first use */
	char *admin_url;            /* the server URL as given */
};

static struct target pg = { "postgresql", "MIGRATE_TEST_PG_URL",
			    "postgresql://postgres@127.0.0.1:55432/postgres", "15.", true };
static struct target my = { "mysql", "MIGRATE_TEST_MYSQL_URL",
			    "mysql://root@127.0.0.1:53306/mysql", "10.11", false };
static struct target lite = { "sqlite", NULL, NULL, "3.40", true };

static char *tmpdir;

static char *test_db_name(void)
{
	return xasprintf("mig_test_db_%ld", (long)getpid());
}

/* url with its database (the path) replaced by name. */
static char *url_with_database(const char *url, const char *name)
{
	const char *auth = strstr(url, "://");
	auth = auth ? auth + 3 : url;
	const char *query = strchr(auth, '?');
	const char *end = query ? query : auth + strlen(auth);
	const char *slash = memchr(auth, '/', (size_t)(end - auth));
	const char *cut = slash ? slash : end;
	return xasprintf("%.*s/%s%s", (int)(cut - url), url, name, query ? query : "");
}

/* Connect to the target, creating this run's database on first use. A server
 * target whose variable is unset fails the test. */
static struct mig_db *connect_to(struct target *t)
{
	struct mig_db *db = NULL;
	if (!t->url) {
		if (!t->env) {
			t->url = xasprintf("sqlite:///%s/test.db", tmpdir);
		} else {
			const char *admin = getenv(t->env);
			if (!admin || !*admin) {
				fail_msg("%s is not set: these tests need a %s server; run them "
					 "through scripts/test or set it, e.g. %s=%s",
					 t->env, t->dialect, t->env, t->example);
			}
			char *name = test_db_name();
			mig_assert_ok(mig_db_open(&db, admin));
			mig_assert_ok(mig_db_execf(db, "DROP DATABASE IF EXISTS %s", name));
			mig_assert_ok(mig_db_execf(db, "CREATE DATABASE %s", name));
			mig_db_close(db);
			db = NULL;
			t->admin_url = xstrdup(admin);
			t->url = url_with_database(admin, name);
			free(name);
		}
	}
	mig_assert_ok(mig_db_open(&db, t->url));
	return db;
}

static void drop_database(struct target *t)
{
	struct mig_db *db;
	if (!t->admin_url) {
		return;
	}
	char *name = test_db_name();
	if (mig_db_open(&db, t->admin_url) == 0) {
		if (mig_db_execf(db, "DROP DATABASE IF EXISTS %s%s", name,
				 t == &pg ? " WITH (FORCE)" : "") < 0) {
			fprintf(stderr, "cannot drop %s: %s\n", name, mig_error_last());
		}
		mig_db_close(db);
	}
	free(name);
}

static int group_setup(void **state)
{
	tmpdir = mig_test_tmpdir();
	return 0;
}

static int group_teardown(void **state)
{
	drop_database(&pg);
	drop_database(&my);
	struct target *ts[] = { &pg, &my, &lite };
	for (size_t i = 0; i < 3; i++) {
		free(ts[i]->url);
		free(ts[i]->admin_url);
	}
	mig_test_rmtree(tmpdir);
	free(tmpdir);
	mig_error_clear();
	return 0;
}

/* The one value a query returns. */
static char *query_value(struct mig_db *db, const char *sql)
{
	struct mig_rows rows;
	mig_assert_ok(mig_db_query(db, sql, &rows));
	assert_int_equal(rows.nrows, 1);
	assert_int_equal(rows.ncols, 1);
	const char *v = mig_rows_get(&rows, 0, 0);
	char *r = v ? xstrdup(v) : NULL;
	mig_rows_release(&rows);
	return r;
}

static void assert_value(struct mig_db *db, const char *sql, const char *want)
{
	char *got = query_value(db, sql);
	if (!mig_streq(got, want)) {
		fail_msg("%s returned '%s', expected '%s'", sql, got ? got : "(null)",
			 want ? want : "(null)");
	}
	free(got);
}

static bool table_exists(struct mig_db *db, const char *name)
{
	bool exists = true;
	mig_assert_ok(mig_db_table_exists(db, NULL, name, &exists));
	return exists;
}

/* ---- cases run on every target ---- */

static void check_exec_query(struct target *t)
{
	struct mig_db *db = connect_to(t);
	struct mig_rows rows;
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE mig_people (id INTEGER PRIMARY KEY, "
				      "name VARCHAR(40) NOT NULL, note VARCHAR(40))"));
	unsigned long before = db->query_count;
	mig_assert_ok(mig_db_exec(db, "INSERT INTO mig_people (id, name, note) VALUES "
				      "(2, 'bob', NULL), (1, 'ann', 'x y')"));
	mig_assert_ok(mig_db_execf(db, "INSERT INTO mig_people (id, name) VALUES (%d, %s)", 3,
				   "'cy'"));
	assert_int_equal(db->query_count, before + 2);
	mig_assert_ok(mig_db_query(db, "SELECT id, name, note FROM mig_people ORDER BY id", &rows));
	assert_int_equal(db->query_count, before + 3);
	assert_int_equal(rows.nrows, 3);
	assert_int_equal(rows.ncols, 3);
	assert_string_equal(rows.colnames[0], "id");
	assert_string_equal(rows.colnames[1], "name");
	assert_string_equal(rows.colnames[2], "note");
	const char *want[3][3] = {
		{ "1", "ann", "x y" },
		{ "2", "bob", NULL },
		{ "3", "cy", NULL },
	};
	for (size_t r = 0; r < 3; r++) {
		for (size_t c = 0; c < 3; c++) {
			if (want[r][c]) {
				assert_string_equal(mig_rows_get(&rows, r, c), want[r][c]);
			} else {
				assert_null(mig_rows_get(&rows, r, c));
			}
		}
	}
	mig_rows_release(&rows);
	mig_rows_release(&rows);

	/* no rows, and a statement without a result set */
	mig_assert_ok(mig_db_query(db, "SELECT id FROM mig_people WHERE id > 10", &rows));
	assert_int_equal(rows.nrows, 0);
	assert_int_equal(rows.ncols, 1);
	mig_rows_release(&rows);
	mig_assert_ok(mig_db_query(db, "DELETE FROM mig_people WHERE id = 3", &rows));
	assert_int_equal(rows.nrows, 0);
	mig_rows_release(&rows);
	assert_value(db, "SELECT count(*) FROM mig_people", "2");

	mig_assert_ok(mig_db_exec(db, "DROP TABLE mig_people"));
	assert_string_equal(mig_dialect_name(mig_db_dialect(db)), t->dialect);
	mig_db_close(db);
}

static void check_transactions(struct target *t)
{
	struct mig_db *db = connect_to(t);
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE mig_tx (id INTEGER)"));

	mig_assert_ok(mig_db_begin(db));
	assert_true(db->in_transaction);
	mig_assert_ok(mig_db_exec(db, "INSERT INTO mig_tx VALUES (1)"));
	assert_value(db, "SELECT count(*) FROM mig_tx", "1");
	mig_assert_ok(mig_db_rollback(db));
	assert_false(db->in_transaction);
	assert_value(db, "SELECT count(*) FROM mig_tx", "0");

	mig_assert_ok(mig_db_begin(db));
	mig_assert_ok(mig_db_exec(db, "INSERT INTO mig_tx VALUES (2)"));
	mig_assert_ok(mig_db_commit(db));
	assert_false(db->in_transaction);
	assert_value(db, "SELECT count(*) FROM mig_tx", "1");

	/* DDL: rolled back where the dialect says it is transactional */
	assert_int_equal((mig_dialect_caps(mig_db_dialect(db)) & MIG_CAP_TRANSACTIONAL_DDL) != 0,
			 t->transactional_ddl);
	mig_assert_ok(mig_db_begin(db));
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE mig_tx_ddl (id INTEGER)"));
	mig_assert_ok(mig_db_rollback(db));
	assert_int_equal(table_exists(db, "mig_tx_ddl"), !t->transactional_ddl);
	if (!t->transactional_ddl) {
		mig_assert_ok(mig_db_exec(db, "DROP TABLE mig_tx_ddl"));
	}
	mig_assert_ok(mig_db_exec(db, "DROP TABLE mig_tx"));
	mig_db_close(db);
}

static void check_server_version(struct target *t)
{
	struct mig_db *db = connect_to(t);
	const char *v = mig_db_server_version(db);
	if (!mig_starts_with(v, t->version_prefix)) {
		fail_msg("%s server version '%s' does not start with '%s'", t->dialect, v,
			 t->version_prefix);
	}
	mig_db_close(db);
}

static void check_errors(struct target *t)
{
	struct mig_db *db = connect_to(t);
	static const char missing[] = "SELECT * FROM mig_no_such_table";
	char *want;
	if (t == &pg) {
		want = xasprintf("postgresql error (42P01): relation \"mig_no_such_table\" does "
				 "not exist\n  statement: %s",
				 missing);
	} else if (t == &my) {
		char *name = test_db_name();
		want = xasprintf("mysql error (1146): Table '%s.mig_no_such_table' doesn't "
				 "exist\n  statement: %s",
				 name, missing);
		free(name);
	} else {
		want = xasprintf("sqlite error: no such table: mig_no_such_table\n  statement: %s",
				 missing);
	}
	mig_assert_fails_with(mig_db_exec(db, missing), want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_DB);
	free(want);

	struct mig_rows rows;
	const char *prefix = "sqlite error: near \"SELEC\": syntax error";
	if (t == &pg) {
		prefix = "postgresql error (42601): syntax error at or near \"SELEC\"";
	} else if (t == &my) {
		prefix = "mysql error (1064): You have an error in your SQL syntax";
	}
	assert_true(mig_db_query(db, "SELEC 1", &rows) < 0);
	mig_rows_release(&rows);
	if (!mig_starts_with(mig_error_last(), prefix) ||
	    !mig_ends_with(mig_error_last(), "\n  statement: SELEC 1")) {
		fail_msg("unexpected error: %s", mig_error_last());
	}
	/* the connection is still usable */
	assert_value(db, "SELECT 1", "1");
	mig_db_close(db);
}

static const char *const nasty_idents[] = {
	"we\"ird", "back`tick", "with space", "na\xc3\xafve", "select", "order", "MixedCase",
};

static void check_quote_ident(struct target *t)
{
	struct mig_db *db = connect_to(t);
	for (size_t i = 0; i < sizeof(nasty_idents) / sizeof(nasty_idents[0]); i++) {
		const char *name = nasty_idents[i];
		char *table = xasprintf("t %s", name);
		char *qt = mig_db_quote_ident(db, table);
		char *qc = mig_db_quote_ident(db, name);
		struct mig_rows rows;
		assert_false(table_exists(db, table));
		mig_assert_ok(mig_db_execf(db, "CREATE TABLE %s (%s INTEGER)", qt, qc));
		mig_assert_ok(mig_db_execf(db, "INSERT INTO %s (%s) VALUES (7)", qt, qc));
		char *sql = xasprintf("SELECT %s FROM %s", qc, qt);
		mig_assert_ok(mig_db_query(db, sql, &rows));
		assert_int_equal(rows.nrows, 1);
		assert_string_equal(rows.colnames[0], name);
		assert_string_equal(mig_rows_get(&rows, 0, 0), "7");
		mig_rows_release(&rows);
		assert_true(table_exists(db, table));
		mig_assert_ok(mig_db_execf(db, "DROP TABLE %s", qt));
		free(sql);
		free(qc);
		free(qt);
		free(table);
	}
	mig_db_close(db);
}

static const char *const nasty_literals[] = {
	"",
	"plain",
	"it's",
	"''",
	"back\\slash",
	"\\",
	"\\'",
	"ends with \\",
	"new\nline\r\n",
	"tab\there",
	"na\xc3\xafve \xe2\x98\x83 \xf0\x9f\x98\x80",
	"100% %s %d",
	"\"double\" `back`",
	"\x1a ctrl-z",
	"?",
};

static void check_quote_literal(struct target *t)
{
	struct mig_db *db = connect_to(t);
	for (size_t i = 0; i < sizeof(nasty_literals) / sizeof(nasty_literals[0]); i++) {
		char *lit = mig_db_quote_literal(db, nasty_literals[i]);
		char *sql = xasprintf("SELECT %s", lit);
		assert_value(db, sql, nasty_literals[i]);
		free(sql);
		free(lit);
	}
	mig_db_close(db);
}

static void check_table_exists(struct target *t)
{
	struct mig_db *db = connect_to(t);
	bool exists = true;
	char *schema = t == &pg ? xstrdup("public") : t == &my ? test_db_name() : xstrdup("main");
	mig_assert_ok(mig_db_table_exists(db, schema, "mig_exists", &exists));
	assert_false(exists);
	assert_false(table_exists(db, "mig_exists"));
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE mig_exists (id INTEGER)"));
	assert_true(table_exists(db, "mig_exists"));
	mig_assert_ok(mig_db_table_exists(db, schema, "mig_exists", &exists));
	assert_true(exists);
	mig_assert_ok(mig_db_table_exists(db, "mig_no_such_schema", "mig_exists", &exists));
	assert_false(exists);
	/* a quote in the name is a literal, not SQL */
	assert_false(table_exists(db, "mig_exists' OR '1' = '1"));
	mig_assert_ok(mig_db_exec(db, "DROP TABLE mig_exists"));
	assert_false(table_exists(db, "mig_exists"));
	free(schema);
	mig_db_close(db);
}

static void count_wait(void *arg)
{
	(*(int *)arg)++;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check_lock(struct target *t)
{
	struct mig_db *a = connect_to(t);
	struct mig_db *b = connect_to(t);
	char *name = xasprintf("mig_test_lock_%ld", (long)getpid());
	char *want = xasprintf("timed out after 1 s waiting for the migration lock '%s'", name);
	int waits = 0;

	mig_assert_ok(mig_db_lock(a, name, 1, count_wait, &waits));
	assert_int_equal(waits, 0);
	if (t == &lite) {
		/* SQLite: the lock is the write lock taken by BEGIN IMMEDIATE */
		mig_assert_ok(mig_db_begin(a));
	}
	double start = now_s();
	int rc;
	if (t == &lite) {
		mig_assert_ok(mig_db_lock(b, name, 1, count_wait, &waits));
		rc = mig_db_begin(b);
	} else {
		rc = mig_db_lock(b, name, 1, count_wait, &waits);
	}
	double waited = now_s() - start;
	assert_int_equal(rc, MIG_ELOCKED);
	assert_string_equal(mig_error_last(), want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_DB);
	assert_int_equal(waits, 1);
	if (waited < 0.9 || waited > 5) {
		fail_msg("waited %.2f s for a lock with a timeout of 1 s", waited);
	}

	if (t == &lite) {
		mig_assert_ok(mig_db_commit(a));
	}
	mig_assert_ok(mig_db_unlock(a, name));
	waits = 0;
	if (t == &lite) {
		mig_assert_ok(mig_db_begin(b));
		mig_assert_ok(mig_db_rollback(b));
	} else {
		mig_assert_ok(mig_db_lock(b, name, 1, count_wait, &waits));
	}
	assert_int_equal(waits, 0);
	assert_false(b->in_transaction);
	mig_assert_ok(mig_db_unlock(b, name));
	char *not_held = xasprintf("cannot release the migration lock '%s': not held", name);
	mig_assert_fails_with(mig_db_unlock(b, name), not_held);
	free(not_held);
	free(want);
	free(name);
	mig_db_close(b);
	mig_db_close(a);
}

#define FOR_EACH_TARGET(check)                                                                     \
	static void test_db_##check##_postgresql(void **state)                                     \
	{                                                                                          \
		check_##check(&pg);                                                                \
	}                                                                                          \
	static void test_db_##check##_mysql(void **state)                                          \
	{                                                                                          \
		check_##check(&my);                                                                \
	}                                                                                          \
	static void test_db_##check##_sqlite(void **state)                                         \
	{                                                                                          \
		check_##check(&lite);                                                              \
	}

FOR_EACH_TARGET(exec_query)
FOR_EACH_TARGET(transactions)
FOR_EACH_TARGET(server_version)
FOR_EACH_TARGET(errors)
FOR_EACH_TARGET(quote_ident)
FOR_EACH_TARGET(quote_literal)
FOR_EACH_TARGET(table_exists)
FOR_EACH_TARGET(lock)

#define TARGET_TESTS(check)                                                                        \
	cmocka_unit_test(test_db_##check##_postgresql), cmocka_unit_test(test_db_##check##_mysql), \
		cmocka_unit_test(test_db_##check##_sqlite)

/* ---- cases for one dialect or none ---- */

static void test_db_registry(void **state)
{
	const struct mig_dialect_impl *impl;
	mig_assert_fails_with(mig_dialect_find("oracle", &impl),
			      "unknown dialect 'oracle' (known: postgresql, mysql, sqlite)");
	assert_int_equal(mig_dialect_find("oracle", &impl), MIG_ENOTFOUND);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	assert_null(impl);

	const char *const *names = mig_dialect_names();
	const char *const want[] = { "postgresql", "mysql", "sqlite" };
	for (size_t i = 0; i < 3; i++) {
		assert_non_null(names[i]);
		assert_string_equal(names[i], want[i]);
		mig_assert_ok(mig_dialect_find(want[i], &impl));
		assert_string_equal(mig_dialect_name(impl), want[i]);
	}
	assert_null(names[3]);

	mig_assert_ok(mig_dialect_find("postgresql", &impl));
	assert_int_equal(mig_dialect_caps(impl),
			 MIG_CAP_TRANSACTIONAL_DDL | MIG_CAP_SCHEMAS | MIG_CAP_NATIVE_ENUMS);
	mig_assert_ok(mig_dialect_find("mysql", &impl));
	assert_int_equal(mig_dialect_caps(impl), 0);
	mig_assert_ok(mig_dialect_find("sqlite", &impl));
	assert_int_equal(mig_dialect_caps(impl), MIG_CAP_TRANSACTIONAL_DDL | MIG_CAP_ALTER_LIMITED);
}

static void assert_quoted(const char *dialect, bool ident, const char *text, const char *want)
{
	const struct mig_dialect_impl *impl;
	struct mig_str s = MIG_STR_INIT;
	mig_assert_ok(mig_dialect_find(dialect, &impl));
	if (ident) {
		mig_dialect_quote_ident(impl, &s, text);
	} else {
		mig_dialect_quote_literal(impl, &s, text);
	}
	assert_string_equal(s.buf, want);
	mig_str_release(&s);
}

static void test_db_quote_text(void **state)
{
	assert_quoted("postgresql", true, "we\"ird", "\"we\"\"ird\"");
	assert_quoted("postgresql", true, "back`tick", "\"back`tick\"");
	assert_quoted("mysql", true, "back`tick", "`back``tick`");
	assert_quoted("mysql", true, "we\"ird", "`we\"ird`");
	assert_quoted("sqlite", true, "we\"ird", "\"we\"\"ird\"");
	assert_quoted("postgresql", false, "it's", "'it''s'");
	assert_quoted("postgresql", false, "a\\b'c", "E'a\\\\b''c'");
	assert_quoted("postgresql", false, "100%", "'100%'");
	assert_quoted("mysql", false, "it's", "'it''s'");
	assert_quoted("mysql", false, "a\\b\nc", "'a\\\\b\nc'");
	assert_quoted("sqlite", false, "it's \\n", "'it''s \\n'");
}

static void assert_target(const char *url_text, const char *want)
{
	struct mig_url *url;
	mig_assert_ok(mig_url_parse(&url, url_text));
	int port = mig_streq(url->dialect, "postgresql") ? 5432 : 3306;
	char *got = mig_db_describe_target(url, port);
	assert_string_equal(got, want);
	free(got);
	mig_url_free(url);
}

static void test_db_describe_target(void **state)
{
	assert_target("postgresql://u:secret@127.0.0.1:1/db", "127.0.0.1:1/db");
	assert_target("postgresql://db.example.com/app", "db.example.com:5432/app");
	assert_target("postgresql://u@[::1]:5433/app", "[::1]:5433/app");
	assert_target("postgresql:///app?host=/run/postgresql", "socket /run/postgresql:5432/app");
	assert_target("postgresql:///app", "default socket:5432/app");
	assert_target("mysql://u@localhost/app?unix_socket=/run/mysqld/mysqld.sock",
		      "socket /run/mysqld/mysqld.sock/app");
	assert_target("mysql://h:3307/app", "h:3307/app");
	assert_target("mysql://h", "h:3306");
}

static void test_db_error_format(void **state)
{
	assert_int_equal(mig_db_error("boom\n\n", "SELECT 1", "%s error", "x"), MIG_ERROR);
	assert_string_equal(mig_error_last(), "x error: boom\n  statement: SELECT 1");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_DB);
	mig_db_error(NULL, NULL, "plain");
	assert_string_equal(mig_error_last(), "plain");
	mig_db_error("", "X", "empty");
	assert_string_equal(mig_error_last(), "empty\n  statement: X");
}

static void assert_cannot_connect(const char *url, const char *prefix)
{
	struct mig_db *db = (struct mig_db *)&db;
	assert_true(mig_db_open(&db, url) < 0);
	assert_null(db);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_DB);
	if (!mig_starts_with(mig_error_last(), prefix) || strstr(mig_error_last(), "secret")) {
		fail_msg("unexpected error: %s", mig_error_last());
	}
}

static void test_db_connect_failures(void **state)
{
	assert_cannot_connect("postgresql://u:secret@127.0.0.1:1/db",
			      "cannot connect to postgresql at 127.0.0.1:1/db: ");
	assert_cannot_connect("mysql://u:secret@127.0.0.1:1/db",
			      "cannot connect to mysql at 127.0.0.1:1/db: ");
	/* libpq names the keywords it does not know */
	assert_cannot_connect("postgresql://u:secret@127.0.0.1:1/db?no_such_keyword=1",
			      "cannot connect to postgresql at 127.0.0.1:1/db: invalid connection "
			      "option \"no_such_keyword\"");
	struct mig_db *db;
	mig_assert_fails_with(mig_db_open(&db, "mysql://u@h/db?sslmode=require"),
			      "unknown mysql URL parameter 'sslmode' (known: charset, "
			      "connect_timeout, read_default_file, read_default_group, "
			      "unix_socket)");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	mig_assert_fails_with(mig_db_open(&db, "sqlite:///x.db?journal=wal"),
			      "unknown sqlite URL parameter 'journal' (known: mode, timeout)");
	mig_db_close(NULL);
}

/* A server that refuses the login does not show the password either. */
static void test_db_refused_login(void **state)
{
	struct target *ts[] = { &pg, &my };
	for (size_t i = 0; i < 2; i++) {
		struct mig_db *db = connect_to(ts[i]);
		mig_db_close(db);
		struct mig_url *url;
		mig_assert_ok(mig_url_parse(&url, ts[i]->url));
		char *bad = xasprintf("%s://mig_no_such_user:secret@%s:%d/%s", ts[i]->dialect,
				      url->host, url->port, url->database);
		char *prefix = xasprintf("cannot connect to %s at %s:%d/%s: ", ts[i]->dialect,
					 url->host, url->port, url->database);
		assert_cannot_connect(bad, prefix);
		mig_url_free(url);
		free(prefix);
		free(bad);
	}
}

static void test_db_postgresql_commit_after_error(void **state)
{
	struct mig_db *db = connect_to(&pg);
	mig_assert_ok(mig_db_begin(db));
	assert_true(mig_db_exec(db, "SELECT 1/0") < 0);
	assert_true(mig_starts_with(mig_error_last(),
				    "postgresql error (22012): division by zero"));
	mig_assert_fails_with(mig_db_commit(db), "postgresql rolled the transaction back instead "
						 "of committing it: an earlier statement failed");
	assert_false(db->in_transaction);
	assert_value(db, "SELECT 2", "2");
	mig_db_close(db);
}

static void test_db_postgresql_details(void **state)
{
	struct mig_db *db = connect_to(&pg);
	/* a detail from the server comes on its own line */
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE mig_pk (id INTEGER PRIMARY KEY)"));
	mig_assert_ok(mig_db_exec(db, "INSERT INTO mig_pk VALUES (1)"));
	mig_assert_fails_with(mig_db_exec(db, "INSERT INTO mig_pk VALUES (1)"),
			      "postgresql error (23505): duplicate key value violates unique "
			      "constraint \"mig_pk_pkey\"\n"
			      "  detail: Key (id)=(1) already exists.\n"
			      "  statement: INSERT INTO mig_pk VALUES (1)");
	/* notices do not reach stderr; a batch runs whole */
	mig_assert_ok(mig_db_exec(db, "DROP TABLE IF EXISTS mig_none; DROP TABLE mig_pk"));
	assert_false(table_exists(db, "mig_pk"));
	/* a COPY from the client is refused, and the connection stays usable */
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE mig_copy (id INTEGER)"));
	mig_assert_fails_with(mig_db_exec(db, "COPY mig_copy FROM STDIN"),
			      "postgresql error: COPY FROM STDIN and COPY TO STDOUT are not "
			      "supported\n  statement: COPY mig_copy FROM STDIN");
	mig_assert_fails_with(mig_db_exec(db, "COPY mig_copy TO STDOUT"),
			      "postgresql error: COPY FROM STDIN and COPY TO STDOUT are not "
			      "supported\n  statement: COPY mig_copy TO STDOUT");
	assert_value(db, "SELECT count(*) FROM mig_copy", "0");
	mig_assert_ok(mig_db_exec(db, "DROP TABLE mig_copy"));
	/* the schema search path decides where an unqualified name is found */
	mig_assert_ok(mig_db_exec(db, "CREATE SCHEMA mig_s; CREATE TABLE mig_s.mig_in_s (id INT)"));
	assert_false(table_exists(db, "mig_in_s"));
	bool exists = false;
	mig_assert_ok(mig_db_table_exists(db, "mig_s", "mig_in_s", &exists));
	assert_true(exists);
	mig_assert_ok(mig_db_exec(db, "SET search_path TO mig_s, public"));
	assert_true(table_exists(db, "mig_in_s"));
	mig_assert_ok(mig_db_exec(db, "DROP SCHEMA mig_s CASCADE"));
	mig_db_close(db);
}

/* History rows go to PostgreSQL as one array per column: every value comes
 * back as it was, quotes, backslashes and NULLs included. */
static void test_db_postgresql_history_rows(void **state)
{
	(void)state;
	struct mig_db *db = connect_to(&pg);
	struct mig_oplist ops;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_history_table_op(NULL, &ops);
	mig_assert_ok(mig_render_op(mig_db_dialect(db), NULL, false, &ops.ops.v[0], &stmts));
	for (size_t i = 0; i < stmts.n; i++) {
		mig_assert_ok(mig_db_exec(db, stmts.v[i]));
	}
	struct mig_history_row rows[] = {
		{ "a1", "up", "0123abcd", "2026-11-22 10:00:01", "me@host", 12, 3 },
		{ "b2", "down", NULL, "2026-11-22 10:00:02", "o'ne \"two\" \\three, {x}", -1, -1 },
		{ "c3", "up-failed", "NULL", "2026-11-22 10:00:03", "NULL", 0, 0 },
	};
	struct mig_str sql = MIG_STR_INIT;
	mig_history_insert_sql(mig_db_dialect(db), NULL, rows, 3, &sql);
	assert_non_null(strstr(sql.buf, " SELECT * FROM unnest("));
	mig_assert_ok(mig_db_exec(db, sql.buf));
	assert_value(db,
		     "SELECT string_agg(concat_ws('|', revision, direction, coalesce(checksum, '-'),"
		     " applied_at, applied_by, coalesce(duration_ms::text, '-'),"
		     " coalesce(ops_done::text, '-')), E'\\n' ORDER BY id) FROM migrate_history",
		     "a1|up|0123abcd|2026-11-22 10:00:01|me@host|12|3\n"
		     "b2|down|-|2026-11-22 10:00:02|o'ne \"two\" \\three, {x}|-|-\n"
		     "c3|up-failed|NULL|2026-11-22 10:00:03|NULL|0|0");
	mig_assert_ok(mig_db_exec(db, "DROP TABLE migrate_history"));
	mig_str_release(&sql);
	mig_strlist_release(&stmts);
	mig_oplist_release(&ops);
	mig_db_close(db);
}

static void test_db_sqlite_files(void **state)
{
	struct mig_db *db;
	char *want;
	char *path = mig_path_join(tmpdir, "files.db");
	char *url = xasprintf("sqlite:///%s", path);
	assert_false(mig_path_exists(path));
	mig_assert_ok(mig_db_open(&db, url));
	assert_true(mig_path_exists(path));
	/* foreign keys are enforced */
	assert_value(db, "PRAGMA foreign_keys", "1");
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE a (id INTEGER PRIMARY KEY);"
				      "CREATE TABLE b (a_id INTEGER REFERENCES a (id));"
				      "INSERT INTO a VALUES (1); INSERT INTO b VALUES (1)"));
	mig_assert_fails_with(mig_db_exec(db, "INSERT INTO b VALUES (2)"),
			      "sqlite error: FOREIGN KEY constraint failed\n"
			      "  statement: INSERT INTO b VALUES (2)");
	/* a blob comes back as hex, a query is one statement */
	assert_value(db, "SELECT x'00ff10'", "00ff10");
	struct mig_rows rows;
	mig_assert_fails_with(mig_db_query(db, "SELECT 1; SELECT 2", &rows),
			      "sqlite error: a query must be a single statement\n"
			      "  statement: SELECT 1; SELECT 2");
	assert_int_equal(rows.nrows, 0);
	assert_value(db, "SELECT 3; -- a comment", "3");
	mig_db_close(db);

	/* read only */
	char *ro = xasprintf("%s?mode=ro", url);
	mig_assert_ok(mig_db_open(&db, ro));
	assert_value(db, "SELECT count(*) FROM a", "1");
	assert_true(mig_db_exec(db, "INSERT INTO a VALUES (2)") < 0);
	assert_true(mig_starts_with(mig_error_last(),
				    "sqlite error: attempt to write a readonly database"));
	mig_db_close(db);
	free(ro);

	/* a file that is not a database is found out at once */
	char *text = mig_test_write(tmpdir, "notes.txt",
				    "a text file, long enough to hold the header of a database\n");
	char *turl = xasprintf("sqlite:///%s", text);
	want = xasprintf("cannot open sqlite database '%s': file is not a database", text);
	mig_assert_fails_with(mig_db_open(&db, turl), want);
	free(want);
	free(turl);
	free(text);

	char *missing = xasprintf("%s/no/such/dir/x.db", tmpdir);
	char *murl = xasprintf("sqlite:///%s", missing);
	want = xasprintf("cannot open sqlite database '%s': unable to open database file",
			       missing);
	mig_assert_fails_with(mig_db_open(&db, murl), want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_DB);
	free(want);
	free(murl);
	free(missing);
	free(url);
	free(path);
}

static void test_db_sqlite_memory(void **state)
{
	const char *urls[] = { "sqlite://", "sqlite:///:memory:" };
	for (size_t i = 0; i < 2; i++) {
		struct mig_db *db, *other;
		mig_assert_ok(mig_db_open(&db, urls[i]));
		mig_assert_ok(mig_db_exec(db, "CREATE TABLE m (id INTEGER)"));
		assert_true(table_exists(db, "m"));
		assert_true(table_exists(db, "M"));
		mig_assert_ok(mig_db_open(&other, urls[i]));
		assert_false(table_exists(other, "m"));
		mig_db_close(other);
		mig_db_close(db);
	}
	/* mig_db_open_url keeps a copy of the URL */
	struct mig_url *url;
	struct mig_db *db;
	mig_assert_ok(mig_url_parse(&url, "sqlite:///:memory:?timeout=0.5"));
	mig_assert_ok(mig_db_open_url(&db, url));
	mig_url_free(url);
	assert_string_equal(db->url->dialect, "sqlite");
	assert_string_equal(mig_url_param(db->url, "timeout"), "0.5");
	assert_value(db, "SELECT 1", "1");
	mig_db_close(db);
	mig_assert_fails_with(mig_db_open(&db, "sqlite:///:memory:?timeout=soon"),
			      "invalid sqlite URL parameter timeout 'soon': expected seconds");
}

static void test_db_mysql_lock_is_per_database(void **state)
{
	struct mig_db *a = connect_to(&my);
	struct mig_db *b;
	mig_assert_ok(mig_db_open(&b, my.admin_url));
	char *name = xasprintf("mig_test_lock_%ld", (long)getpid());
	/* the same lock name in another database is another lock */
	mig_assert_ok(mig_db_lock(a, name, 0, NULL, NULL));
	mig_assert_ok(mig_db_lock(b, name, 0, NULL, NULL));
	mig_assert_ok(mig_db_unlock(b, name));
	mig_assert_ok(mig_db_unlock(a, name));
	free(name);
	mig_db_close(b);
	mig_db_close(a);
}

static void test_db_mysql_results(void **state)
{
	struct mig_db *db = connect_to(&my);
	/* a procedure's several results are all read: the next statement works */
	mig_assert_ok(mig_db_exec(db, "CREATE PROCEDURE mig_two() BEGIN SELECT 1; SELECT 2; END"));
	mig_assert_ok(mig_db_exec(db, "CALL mig_two()"));
	assert_value(db, "SELECT 3", "3");
	assert_value(db, "SELECT @@character_set_client", "utf8mb4");
	mig_assert_ok(mig_db_exec(db, "DROP PROCEDURE mig_two"));
	mig_db_close(db);

	char *latin = xasprintf("%s?charset=latin1", my.url);
	mig_assert_ok(mig_db_open(&db, latin));
	assert_value(db, "SELECT @@character_set_client", "latin1");
	mig_db_close(db);
	free(latin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_registry),
		cmocka_unit_test(test_db_quote_text),
		cmocka_unit_test(test_db_describe_target),
		cmocka_unit_test(test_db_error_format),
		cmocka_unit_test(test_db_connect_failures),
		TARGET_TESTS(exec_query),
		TARGET_TESTS(transactions),
		TARGET_TESTS(server_version),
		TARGET_TESTS(errors),
		TARGET_TESTS(quote_ident),
		TARGET_TESTS(quote_literal),
		TARGET_TESTS(table_exists),
		TARGET_TESTS(lock),
		cmocka_unit_test(test_db_refused_login),
		cmocka_unit_test(test_db_postgresql_commit_after_error),
		cmocka_unit_test(test_db_postgresql_details),
		cmocka_unit_test(test_db_postgresql_history_rows),
		cmocka_unit_test(test_db_sqlite_files),
		cmocka_unit_test(test_db_sqlite_memory),
		cmocka_unit_test(test_db_mysql_lock_is_per_database),
		cmocka_unit_test(test_db_mysql_results),
	};
	return cmocka_run_group_tests_name("db", tests, group_setup, group_teardown);
}
