/* Helpers shared by the cmocka unit tests. */
#include "helpers.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void mig_assert_ok_at(int rc, const char *expr, const char *file, int line)
{
	if (rc < 0) {
		print_error("%s failed (%d): %s\n", expr, rc, mig_error_last());
		_fail(file, line);
	}
}

void mig_assert_fails_at(int rc, const char *want, const char *expr, const char *file, int line)
{
	if (rc >= 0) {
		print_error("%s succeeded, expected failure '%s'\n", expr, want);
		_fail(file, line);
	}
	if (want && strcmp(mig_error_last(), want) != 0) {
		print_error("%s failed with\n  '%s'\nexpected\n  '%s'\n", expr, mig_error_last(), want);
		_fail(file, line);
	}
}

char *mig_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/migrate-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		mig_die("mkdtemp failed");
	}
	return tmpl;
}

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void mig_test_rmtree(const char *dir)
{
	nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

char *mig_test_write(const char *dir, const char *name, const char *text)
{
	char *path = mig_path_join(dir, name);
	char *parent = mig_path_dirname(path);
	mig_mkdir_p(parent, 0755);
	free(parent);
	FILE *f = fopen(path, "w");
	if (!f) {
		mig_die("cannot write %s", path);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

struct mig_db *mig_test_sqlite_open(char **dir_out)
{
	char *dir = mig_test_tmpdir();
	char *url = xasprintf("sqlite:///%s/test.db", dir);
	struct mig_db *db = NULL;
	mig_assert_ok(mig_db_open(&db, url));
	free(url);
	*dir_out = dir;
	return db;
}

void mig_test_sqlite_close(struct mig_db *db, char *dir)
{
	mig_db_close(db);
	mig_test_rmtree(dir);
	free(dir);
}

void mig_test_show_difference(const char *got, const char *want)
{
	size_t line = 1;
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		if (*g == '\n') {
			line++;
		}
		g++;
		w++;
	}
	while (g > got && g[-1] != '\n') {
		g--;
		w--;
	}
	fprintf(stderr, "texts differ at line %zu\n got: %.*s\nwant: %.*s\n--- got in full:\n%s\n",
		line, (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"), w, got);
}

void mig_assert_text_at(const char *got, const char *want, const char *file, int line)
{
	if (strcmp(got, want) != 0) {
		mig_test_show_difference(got, want);
		_fail(file, line);
	}
}

char *mig_test_query_text(struct mig_db *db, const char *sql)
{
	struct mig_rows rows;
	struct mig_str out = MIG_STR_INIT;
	mig_assert_ok(mig_db_query(db, sql, &rows));
	for (size_t r = 0; r < rows.nrows; r++) {
		for (size_t c = 0; c < rows.ncols; c++) {
			const char *v = mig_rows_get(&rows, r, c);
			mig_str_addf(&out, "%s%s", c ? "|" : "", v ? v : "NULL");
		}
		mig_str_addch(&out, '\n');
	}
	mig_rows_release(&rows);
	return mig_str_detach(&out);
}

void mig_assert_query_at(struct mig_db *db, const char *sql, const char *want, const char *file,
			 int line)
{
	char *got = mig_test_query_text(db, sql);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "query: %s\n", sql);
		mig_test_show_difference(got, want);
		free(got);
		_fail(file, line);
	}
	free(got);
}

static const char *server_env(enum mig_test_server srv)
{
	return srv == MIG_TEST_PG ? "MIGRATE_TEST_PG_URL" : "MIGRATE_TEST_MYSQL_URL";
}

struct mig_db *mig_test_connect(enum mig_test_server srv, const char *name)
{
	const char *text = getenv(server_env(srv));
	if (!text || !*text) {
		print_error("%s is not set: run the tests with scripts/test\n", server_env(srv));
		fail();
	}
	struct mig_url *url;
	mig_assert_ok(mig_url_parse(&url, text));
	if (name) {
		free(url->database);
		url->database = xstrdup(name);
	}
	struct mig_db *db;
	mig_assert_ok(mig_db_open_url(&db, url));
	mig_url_free(url);
	return db;
}

/* Run sql on the server's administrative database (PostgreSQL's "postgres",
 * MySQL's URL's own). */
static void admin_exec(enum mig_test_server srv, const char *sql)
{
	struct mig_db *admin = mig_test_connect(srv, srv == MIG_TEST_PG ? "postgres" : NULL);
	mig_assert_ok(mig_db_exec(admin, sql));
	mig_db_close(admin);
}

static char *fresh_name(const char *prefix)
{
	static unsigned seq;
	return xasprintf("%s_%ld_%ld_%u", prefix, (long)getpid(), (long)time(NULL), seq++);
}

char *mig_test_pg_fresh_db(const char *prefix, const char *options)
{
	char *name = fresh_name(prefix);
	char *sql = xasprintf("CREATE DATABASE \"%s\"%s%s", name, *options ? " " : "", options);
	admin_exec(MIG_TEST_PG, sql);
	free(sql);
	return name;
}

char *mig_test_my_fresh_db(const char *prefix)
{
	char *name = fresh_name(prefix);
	char *sql = xasprintf("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE "
			      "utf8mb4_general_ci",
			      name);
	admin_exec(MIG_TEST_MYSQL, sql);
	free(sql);
	return name;
}

void mig_test_drop_db(enum mig_test_server srv, const char *name)
{
	char *sql = srv == MIG_TEST_PG
			? xasprintf("DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name)
			: xasprintf("DROP DATABASE IF EXISTS `%s`", name);
	admin_exec(srv, sql);
	free(sql);
}

char *mig_test_read_source_file(const char *rel)
{
	const char *root = getenv("MIGRATE_SOURCE_ROOT");
	assert_non_null(root);
	char *path = xasprintf("%s/%s", root, rel);
	char *text;
	mig_assert_ok(mig_file_read(path, &text, NULL));
	free(path);
	return text;
}
