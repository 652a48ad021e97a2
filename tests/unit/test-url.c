/* Unit tests for lib/url.c: every URL form of DESIGN §4, percent-decoding,
 * malformed URLs with their exact messages, and password masking. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

static struct mig_url *parse(const char *text)
{
	struct mig_url *url = NULL;
	mig_assert_ok(mig_url_parse(&url, text));
	assert_non_null(url);
	return url;
}

/* text must fail with exactly want, and secret (when given) must not appear
 * in the message. */
static void assert_rejected(const char *text, const char *want, const char *secret)
{
	struct mig_url *url = (struct mig_url *)1;
	mig_assert_fails_with(mig_url_parse(&url, text), want);
	assert_null(url);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	if (secret) {
		assert_null(strstr(mig_error_last(), secret));
	}
}

static void assert_masked(const char *text, const char *want)
{
	struct mig_url *url = parse(text);
	char *m = mig_url_masked(url);
	assert_string_equal(m, want);
	if (url->password && strlen(url->password) > 0) {
		assert_null(strstr(m, url->password));
	}
	free(m);
	mig_url_free(url);
}

static void test_url_postgresql_full(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql://alice:secret@db.example.com:5433/shop");
	assert_string_equal(u->dialect, "postgresql");
	assert_string_equal(u->scheme, "postgresql");
	assert_null(u->driver);
	assert_string_equal(u->user, "alice");
	assert_string_equal(u->password, "secret");
	assert_string_equal(u->host, "db.example.com");
	assert_int_equal(u->port, 5433);
	assert_string_equal(u->database, "shop");
	assert_int_equal(u->params.n, 0);
	assert_false(mig_url_is_memory(u));
	mig_url_free(u);
}

static void test_url_postgres_alias(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgres://bob@localhost/app");
	assert_string_equal(u->dialect, "postgresql");
	assert_string_equal(u->scheme, "postgres");
	assert_string_equal(u->user, "bob");
	assert_null(u->password);
	assert_string_equal(u->host, "localhost");
	assert_int_equal(u->port, 0);
	assert_string_equal(u->database, "app");
	mig_url_free(u);
}

static void test_url_scheme_case_insensitive(void **state)
{
	(void)state;
	struct mig_url *u = parse("PostgreSQL://h/db");
	assert_string_equal(u->dialect, "postgresql");
	assert_string_equal(u->scheme, "PostgreSQL");
	mig_url_free(u);
}

static void test_url_postgresql_drivers(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql+libpq://h/db");
	assert_string_equal(u->dialect, "postgresql");
	assert_string_equal(u->driver, "libpq");
	assert_string_equal(u->scheme, "postgresql+libpq");
	mig_url_free(u);
	u = parse("postgresql+psycopg2://h/db");
	assert_string_equal(u->driver, "psycopg2");
	mig_url_free(u);
	u = parse("postgres+psycopg://h/db");
	assert_string_equal(u->dialect, "postgresql");
	assert_string_equal(u->driver, "psycopg");
	mig_url_free(u);
}

static void test_url_unknown_driver(void **state)
{
	(void)state;
	assert_rejected("postgresql+asyncpg://u:pw@h/db",
			"invalid database URL 'postgresql+asyncpg://u:***@h/db': unknown driver "
			"'asyncpg' for postgresql (expected libpq, psycopg2 or psycopg)",
			"pw");
	assert_rejected("mysql+odbc://h/db",
			"invalid database URL 'mysql+odbc://h/db': unknown driver 'odbc' for mysql "
			"(expected mysqlclient, mysqldb, pymysql or mariadbconnector)",
			NULL);
	assert_rejected("postgresql+://h/db",
			"invalid database URL 'postgresql+://h/db': missing driver name after '+' "
			"(expected libpq, psycopg2 or psycopg)",
			NULL);
}

static void test_url_mysql(void **state)
{
	(void)state;
	struct mig_url *u = parse("mysql://root:pw@127.0.0.1:3307/app?charset=utf8mb4");
	assert_string_equal(u->dialect, "mysql");
	assert_string_equal(u->scheme, "mysql");
	assert_string_equal(u->user, "root");
	assert_string_equal(u->password, "pw");
	assert_string_equal(u->host, "127.0.0.1");
	assert_int_equal(u->port, 3307);
	assert_string_equal(u->database, "app");
	assert_int_equal(u->params.n, 1);
	assert_string_equal(u->params.v[0].key, "charset");
	assert_string_equal(u->params.v[0].value, "utf8mb4");
	assert_string_equal(mig_url_param(u, "charset"), "utf8mb4");
	mig_url_free(u);
}

static void test_url_mariadb_and_drivers(void **state)
{
	(void)state;
	struct mig_url *u = parse("mariadb://u@db/app");
	assert_string_equal(u->dialect, "mysql");
	assert_string_equal(u->scheme, "mariadb");
	mig_url_free(u);
	u = parse("mysql+mysqlclient://u@db/app");
	assert_string_equal(u->dialect, "mysql");
	assert_string_equal(u->driver, "mysqlclient");
	mig_url_free(u);
	u = parse("mariadb+mariadbconnector://u@db/app");
	assert_string_equal(u->dialect, "mysql");
	assert_string_equal(u->driver, "mariadbconnector");
	mig_url_free(u);
	u = parse("mysql+pymysql://u@db/app");
	assert_string_equal(u->driver, "pymysql");
	mig_url_free(u);
}

static void test_url_mysql_read_default_file(void **state)
{
	(void)state;
	struct mig_url *u = parse("mysql:///app?read_default_file=%2Fetc%2Fmigrate%2Fmy.cnf");
	assert_null(u->user);
	assert_null(u->host);
	assert_int_equal(u->port, 0);
	assert_string_equal(u->database, "app");
	assert_string_equal(mig_url_param(u, "read_default_file"), "/etc/migrate/my.cnf");
	mig_url_free(u);
}

static void test_url_mysql_unix_socket(void **state)
{
	(void)state;
	struct mig_url *u = parse("mysql://app@localhost/shop?unix_socket=/run/mysqld/mysqld.sock");
	assert_string_equal(u->host, "localhost");
	assert_string_equal(mig_url_param(u, "unix_socket"), "/run/mysqld/mysqld.sock");
	mig_url_free(u);
}

static void test_url_postgresql_socket_param(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql:///shop?host=/var/run/postgresql&port=5433");
	assert_null(u->host);
	assert_int_equal(u->port, 0);
	assert_string_equal(u->database, "shop");
	assert_int_equal(u->params.n, 2);
	assert_string_equal(u->params.v[0].key, "host");
	assert_string_equal(u->params.v[0].value, "/var/run/postgresql");
	assert_string_equal(u->params.v[1].key, "port");
	assert_string_equal(u->params.v[1].value, "5433");
	mig_url_free(u);
}

static void test_url_postgresql_encoded_socket_host(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql://%2Fvar%2Frun%2Fpostgresql:5433/shop");
	assert_string_equal(u->host, "/var/run/postgresql");
	assert_int_equal(u->port, 5433);
	assert_string_equal(u->database, "shop");
	char *m = mig_url_masked(u);
	assert_string_equal(m, "postgresql://%2Fvar%2Frun%2Fpostgresql:5433/shop");
	free(m);
	mig_url_free(u);
}

static void test_url_query_params(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql://h/db?sslmode=require&application_name=x");
	assert_int_equal(u->params.n, 2);
	assert_string_equal(u->params.v[0].key, "sslmode");
	assert_string_equal(u->params.v[0].value, "require");
	assert_string_equal(u->params.v[1].key, "application_name");
	assert_string_equal(u->params.v[1].value, "x");
	assert_string_equal(mig_url_param(u, "sslmode"), "require");
	assert_null(mig_url_param(u, "sslcert"));
	mig_url_free(u);
}

static void test_url_query_details(void **state)
{
	(void)state;
	/* empty pieces skipped, a bare key has an empty value, '+' is literal, the
	 * last of a repeated key wins (as in libpq), values are decoded */
	struct mig_url *u =
		parse("postgresql://h/db?a=1&&flag&a=2&options=-c%20search_path%3Dapp&x=a+b&");
	assert_int_equal(u->params.n, 5);
	assert_string_equal(u->params.v[1].key, "flag");
	assert_string_equal(u->params.v[1].value, "");
	assert_string_equal(mig_url_param(u, "a"), "2");
	assert_string_equal(mig_url_param(u, "options"), "-c search_path=app");
	assert_string_equal(mig_url_param(u, "x"), "a+b");
	mig_url_free(u);
	assert_rejected("postgresql://h/db?=x",
			"invalid database URL 'postgresql://h/db?=x': missing query parameter name "
			"in '=x'",
			NULL);
}

static void test_url_percent_decoding(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql://us%65r:p%40ss@h/my%20db");
	assert_string_equal(u->user, "user");
	assert_string_equal(u->password, "p@ss");
	assert_string_equal(u->database, "my db");
	mig_url_free(u);
	u = parse("postgresql://u:a%2Fb%3Fc%3Ad%25e+f@h/db");
	assert_string_equal(u->password, "a/b?c:d%e+f");
	mig_url_free(u);
}

static void test_url_password_with_raw_at(void **state)
{
	(void)state;
	/* the user info ends at the last '@' before the path */
	struct mig_url *u = parse("postgresql://u:p@ss@h/db");
	assert_string_equal(u->user, "u");
	assert_string_equal(u->password, "p@ss");
	assert_string_equal(u->host, "h");
	mig_url_free(u);
}

static void test_url_empty_password_and_user(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql://u:@h/db");
	assert_string_equal(u->user, "u");
	assert_string_equal(u->password, "");
	mig_url_free(u);
	u = parse("postgresql://:pw@h/db");
	assert_null(u->user);
	assert_string_equal(u->password, "pw");
	mig_url_free(u);
	u = parse("postgresql://:5433/db");
	assert_null(u->host);
	assert_int_equal(u->port, 5433);
	mig_url_free(u);
}

static void test_url_ipv6(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql://u:pw@[::1]:5432/db");
	assert_string_equal(u->host, "::1");
	assert_int_equal(u->port, 5432);
	assert_string_equal(u->database, "db");
	mig_url_free(u);
	u = parse("mysql://[2001:db8::7]/app");
	assert_string_equal(u->host, "2001:db8::7");
	assert_int_equal(u->port, 0);
	mig_url_free(u);
}

static void test_url_ipv6_malformed(void **state)
{
	(void)state;
	assert_rejected("postgresql://u:pw@[::1:5432/db",
			"invalid database URL 'postgresql://u:***@[::1:5432/db': missing ']' after "
			"IPv6 address '[::1:5432'",
			"pw");
	assert_rejected("postgresql://::1/db",
			"invalid database URL 'postgresql://::1/db': IPv6 address '::1' must be in "
			"brackets, e.g. [::1]:5432",
			NULL);
	assert_rejected("postgresql://[::1]x/db",
			"invalid database URL 'postgresql://[::1]x/db': unexpected 'x' after ']'",
			NULL);
	assert_rejected("postgresql://[local]/db",
			"invalid database URL 'postgresql://[local]/db': invalid IPv6 address "
			"'[local]'",
			NULL);
}

static void test_url_empty_database(void **state)
{
	(void)state;
	struct mig_url *u = parse("postgresql://h");
	assert_string_equal(u->host, "h");
	assert_null(u->database);
	mig_url_free(u);
	u = parse("postgresql://h/");
	assert_null(u->database);
	mig_url_free(u);
	u = parse("mysql://");
	assert_string_equal(u->dialect, "mysql");
	assert_null(u->host);
	assert_null(u->user);
	assert_null(u->database);
	mig_url_free(u);
	u = parse("postgresql://h?sslmode=disable");
	assert_null(u->database);
	assert_string_equal(mig_url_param(u, "sslmode"), "disable");
	mig_url_free(u);
}

static void test_url_sqlite_relative(void **state)
{
	(void)state;
	struct mig_url *u = parse("sqlite:///relative/path.db");
	assert_string_equal(u->dialect, "sqlite");
	assert_string_equal(u->database, "relative/path.db");
	assert_null(u->host);
	assert_null(u->user);
	assert_false(mig_url_is_memory(u));
	mig_url_free(u);
}

static void test_url_sqlite_absolute(void **state)
{
	(void)state;
	struct mig_url *u = parse("sqlite:////absolute/path.db");
	assert_string_equal(u->database, "/absolute/path.db");
	assert_false(mig_url_is_memory(u));
	mig_url_free(u);
	u = parse("sqlite:////tmp/my%20app.db");
	assert_string_equal(u->database, "/tmp/my app.db");
	mig_url_free(u);
}

static void test_url_sqlite_memory(void **state)
{
	(void)state;
	const char *forms[] = { "sqlite:///:memory:", "sqlite://", "sqlite:///" };
	for (size_t i = 0; i < 3; i++) {
		struct mig_url *u = parse(forms[i]);
		assert_string_equal(u->database, ":memory:");
		assert_true(mig_url_is_memory(u));
		mig_url_free(u);
	}
}

static void test_url_sqlite_params_and_driver(void **state)
{
	(void)state;
	struct mig_url *u = parse("sqlite:///file.db?mode=ro");
	assert_string_equal(u->database, "file.db");
	assert_string_equal(mig_url_param(u, "mode"), "ro");
	mig_url_free(u);
	u = parse("sqlite+pysqlite:///file.db");
	assert_string_equal(u->dialect, "sqlite");
	assert_string_equal(u->driver, "pysqlite");
	mig_url_free(u);
}

static void test_url_sqlite_with_host(void **state)
{
	(void)state;
	const char *want_tail = "sqlite URLs take no host, user or port (use "
				"sqlite:///relative/path.db, sqlite:////absolute/path.db or "
				"sqlite:///:memory:)";
	char *want = xasprintf("invalid database URL 'sqlite://host/x.db': %s", want_tail);
	assert_rejected("sqlite://host/x.db", want, NULL);
	free(want);
	want = xasprintf("invalid database URL 'sqlite://u:***@/x.db': %s", want_tail);
	assert_rejected("sqlite://u:hunter2@/x.db", want, "hunter2");
	free(want);
}

static void test_url_whitespace_trimmed(void **state)
{
	(void)state;
	struct mig_url *u = parse("  sqlite:///app.db\n");
	assert_string_equal(u->database, "app.db");
	mig_url_free(u);
}

static void test_url_empty(void **state)
{
	(void)state;
	assert_rejected("", "database URL is empty", NULL);
	assert_rejected(" \t", "database URL is empty", NULL);
}

static void test_url_no_scheme(void **state)
{
	(void)state;
	assert_rejected("localhost/db",
			"invalid database URL 'localhost/db': missing scheme (e.g. "
			"postgresql://user@host/db or sqlite:///app.db)",
			NULL);
	assert_rejected("://h/db",
			"invalid database URL '://h/db': missing scheme (e.g. "
			"postgresql://user@host/db or sqlite:///app.db)",
			NULL);
	assert_rejected("://",
			"invalid database URL '://': missing scheme (e.g. "
			"postgresql://user@host/db or sqlite:///app.db)",
			NULL);
	/* even without a scheme the password is masked */
	assert_rejected("user:hunter2@host/db",
			"invalid database URL 'user:***@host/db': missing scheme (e.g. "
			"postgresql://user@host/db or sqlite:///app.db)",
			"hunter2");
}

static void test_url_unknown_scheme(void **state)
{
	(void)state;
	assert_rejected("oracle://scott:tiger@h/db",
			"invalid database URL 'oracle://scott:***@h/db': unknown scheme 'oracle' "
			"(expected postgresql, postgres, mysql, mariadb or sqlite, optionally with "
			"+driver)",
			"tiger");
}

static void test_url_missing_slashes(void **state)
{
	(void)state;
	assert_rejected("postgresql:/db",
			"invalid database URL 'postgresql:/db': expected '//' after 'postgresql:'",
			NULL);
	assert_rejected("sqlite:app.db",
			"invalid database URL 'sqlite:app.db': expected '//' after 'sqlite:'",
			NULL);
}

static void test_url_port_out_of_range(void **state)
{
	(void)state;
	assert_rejected("postgresql://u:secret@h:99999/db",
			"invalid database URL 'postgresql://u:***@h:99999/db': port '99999' is out "
			"of range",
			"secret");
	assert_rejected("postgresql://h:0/db",
			"invalid database URL 'postgresql://h:0/db': port '0' is out of range",
			NULL);
	assert_rejected("postgresql://h:123456789012345678901234567890/db",
			"invalid database URL 'postgresql://h:123456789012345678901234567890/db': "
			"port '123456789012345678901234567890' is out of range",
			NULL);
	struct mig_url *u = parse("postgresql://h:65535/db");
	assert_int_equal(u->port, 65535);
	mig_url_free(u);
	u = parse("postgresql://h:1");
	assert_int_equal(u->port, 1);
	mig_url_free(u);
}

static void test_url_port_not_a_number(void **state)
{
	(void)state;
	assert_rejected("mysql://u:secret@h:abc/db",
			"invalid database URL 'mysql://u:***@h:abc/db': port 'abc' is not a number",
			"secret");
	assert_rejected("mysql://h:-1/db",
			"invalid database URL 'mysql://h:-1/db': port '-1' is not a number", NULL);
	assert_rejected("mysql://h:/db",
			"invalid database URL 'mysql://h:/db': missing port number after ':'",
			NULL);
}

static void test_url_bad_percent_escape(void **state)
{
	(void)state;
	assert_rejected("postgresql://h/%zzdb",
			"invalid database URL 'postgresql://h/%zzdb': invalid percent-escape "
			"'%zz' in the database name",
			NULL);
	assert_rejected("postgresql://us%4@h/db",
			"invalid database URL 'postgresql://us%4@h/db': invalid percent-escape "
			"'%4' in the user name",
			NULL);
	assert_rejected("postgresql://u:s3cr%zzet@h/db",
			"invalid database URL 'postgresql://u:***@h/db': invalid percent-escape in "
			"the password",
			"s3cr");
	assert_rejected("postgresql://h/db%00",
			"invalid database URL 'postgresql://h/db%00': invalid percent-escape "
			"'%00' in the database name",
			NULL);
	assert_rejected("postgresql://h/db?sslmode=%G1",
			"invalid database URL 'postgresql://h/db?sslmode=%G1': invalid "
			"percent-escape '%G1' in the value of query parameter 'sslmode'",
			NULL);
}

static void test_url_unencoded_password_never_leaks(void **state)
{
	(void)state;
	/* '/' in a password ends the host part early: the error still masks it */
	assert_rejected("postgresql://u:x9k/q7z@h/db",
			"invalid database URL 'postgresql://u:***@h/db': unexpected '@' after the "
			"host (percent-encode '/' in a password as %2F, '@' in a database name as "
			"%40)",
			"x9k");
	/* '?' in a password makes the rest look like a port: advice, not a quote */
	assert_rejected("postgresql://u:x9k?q7z@h/db",
			"invalid database URL 'postgresql://u:***@h/db': malformed password "
			"(percent-encode its special characters: '/' as %2F, '?' as %3F, '@' as "
			"%40, '%' as %25)",
			"x9k");
	assert_rejected("postgresql://u:%zz?q7z@h/db", NULL, "zz");
}

static void test_url_masked(void **state)
{
	(void)state;
	assert_masked("postgresql://alice:s3cret@db.example.com:5433/shop?sslmode=require",
		      "postgresql://alice:***@db.example.com:5433/shop?sslmode=require");
	assert_masked("postgres://u:p%40ss@[::1]:5432/db", "postgres://u:***@[::1]:5432/db");
	assert_masked("mysql://root@localhost/app", "mysql://root@localhost/app");
	assert_masked("mysql+mysqlclient://u:pw@h/app?charset=utf8mb4",
		      "mysql+mysqlclient://u:***@h/app?charset=utf8mb4");
	assert_masked("postgresql://h", "postgresql://h");
	assert_masked("postgresql://u:@h/db", "postgresql://u:***@h/db");
}

static void test_url_masked_encodes(void **state)
{
	(void)state;
	assert_masked("postgresql://a%40b%3Ac:pw@h/my%20db%3Fx?application_name=a%26b%3Dc",
		      "postgresql://a%40b%3Ac:***@h/my%20db%3Fx?application_name=a%26b=c");
	/* the masked form parses back to the same URL */
	struct mig_url *u = parse("postgresql://a%40b%3Ac:***@h/my%20db%3Fx");
	assert_string_equal(u->user, "a@b:c");
	assert_string_equal(u->database, "my db?x");
	mig_url_free(u);
}

static void test_url_masked_password_param(void **state)
{
	(void)state;
	assert_masked("postgresql://u@h/db?password=hunter2&sslpassword=k3y&sslmode=require",
		      "postgresql://u@h/db?password=***&sslpassword=***&sslmode=require");
	assert_masked("mysql://u@h/db?passwd=hunter2", "mysql://u@h/db?passwd=***");
}

static void test_url_masked_sqlite(void **state)
{
	(void)state;
	assert_masked("sqlite:///relative/path.db", "sqlite:///relative/path.db");
	assert_masked("sqlite:////absolute/path.db", "sqlite:////absolute/path.db");
	assert_masked("sqlite://", "sqlite:///:memory:");
	assert_masked("sqlite:///:memory:", "sqlite:///:memory:");
	assert_masked("sqlite:///file.db?mode=ro", "sqlite:///file.db?mode=ro");
}

static void assert_mask_text(const char *text, const char *want)
{
	char *m = mig_url_mask_text(text);
	assert_string_equal(m, want);
	free(m);
}

static void test_url_mask_text(void **state)
{
	(void)state;
	assert_mask_text("cannot connect to postgresql://u:hunter2@h/db: refused",
			 "cannot connect to postgresql://u:***@h/db: refused");
	assert_mask_text("from 'mysql://a:x@h1/a' to 'mysql://b:y@h2/b'",
			 "from 'mysql://a:***@h1/a' to 'mysql://b:***@h2/b'");
	assert_mask_text("no url here: a:b@c", "no url here: a:b@c");
	assert_mask_text("postgresql://u@h:5432/db?application_name=a@b",
			 "postgresql://u@h:5432/db?application_name=a@b");
	assert_mask_text("postgresql://h/db?sslmode=require&password=hunter2 and more",
			 "postgresql://h/db?sslmode=require&password=*** and more");
	/* does not parse, still masked: '/' and '@' inside the password */
	assert_mask_text("postgresql://u:pa/ss@word@h:bad/db", "postgresql://u:***@h:bad/db");
	assert_mask_text("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_postgresql_full),
		cmocka_unit_test(test_url_postgres_alias),
		cmocka_unit_test(test_url_scheme_case_insensitive),
		cmocka_unit_test(test_url_postgresql_drivers),
		cmocka_unit_test(test_url_unknown_driver),
		cmocka_unit_test(test_url_mysql),
		cmocka_unit_test(test_url_mariadb_and_drivers),
		cmocka_unit_test(test_url_mysql_read_default_file),
		cmocka_unit_test(test_url_mysql_unix_socket),
		cmocka_unit_test(test_url_postgresql_socket_param),
		cmocka_unit_test(test_url_postgresql_encoded_socket_host),
		cmocka_unit_test(test_url_query_params),
		cmocka_unit_test(test_url_query_details),
		cmocka_unit_test(test_url_percent_decoding),
		cmocka_unit_test(test_url_password_with_raw_at),
		cmocka_unit_test(test_url_empty_password_and_user),
		cmocka_unit_test(test_url_ipv6),
		cmocka_unit_test(test_url_ipv6_malformed),
		cmocka_unit_test(test_url_empty_database),
		cmocka_unit_test(test_url_sqlite_relative),
		cmocka_unit_test(test_url_sqlite_absolute),
		cmocka_unit_test(test_url_sqlite_memory),
		cmocka_unit_test(test_url_sqlite_params_and_driver),
		cmocka_unit_test(test_url_sqlite_with_host),
		cmocka_unit_test(test_url_whitespace_trimmed),
		cmocka_unit_test(test_url_empty),
		cmocka_unit_test(test_url_no_scheme),
		cmocka_unit_test(test_url_unknown_scheme),
		cmocka_unit_test(test_url_missing_slashes),
		cmocka_unit_test(test_url_port_out_of_range),
		cmocka_unit_test(test_url_port_not_a_number),
		cmocka_unit_test(test_url_bad_percent_escape),
		cmocka_unit_test(test_url_unencoded_password_never_leaks),
		cmocka_unit_test(test_url_masked),
		cmocka_unit_test(test_url_masked_encodes),
		cmocka_unit_test(test_url_masked_password_param),
		cmocka_unit_test(test_url_masked_sqlite),
		cmocka_unit_test(test_url_mask_text),
	};
	int rc = cmocka_run_group_tests_name("url", tests, NULL, NULL);
	mig_error_clear(); /* so that valgrind finds nothing left */
	return rc;
}
