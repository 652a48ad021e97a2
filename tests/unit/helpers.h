/* Helpers shared by the cmocka unit tests. */
#ifndef MIG_TEST_HELPERS_H
#define MIG_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "migrate.h"

/* Assert that a libmigrate call succeeded; on failure print mig_error_last(). */
#define mig_assert_ok(expr) mig_assert_ok_at((expr), #expr, __FILE__, __LINE__)
void mig_assert_ok_at(int rc, const char *expr, const char *file, int line);
/* Assert that a call failed and that the error message equals want exactly. */
#define mig_assert_fails_with(expr, want) mig_assert_fails_at((expr), (want), #expr, __FILE__, __LINE__)
void mig_assert_fails_at(int rc, const char *want, const char *expr, const char *file, int line);
/* A fresh temporary directory (removed by mig_test_rmtree). New string. */
char *mig_test_tmpdir(void);
void mig_test_rmtree(const char *dir);
/* Write text to dir/name (creating folders); returns the path (new string). */
char *mig_test_write(const char *dir, const char *name, const char *text);

/* A new SQLite database file in a new folder; *dir_out (new string) is the
 * folder, for mig_test_sqlite_close, which closes db and removes the folder. */
struct mig_db *mig_test_sqlite_open(char **dir_out);
void mig_test_sqlite_close(struct mig_db *db, char *dir);

/* Assert that two texts are the same; on failure print the first line where
 * they differ and got in full (cmocka's own printing truncates). */
#define mig_assert_text(got, want) mig_assert_text_at((got), (want), __FILE__, __LINE__)
void mig_assert_text_at(const char *got, const char *want, const char *file, int line);
/* Print to stderr the first line where got and want differ, then got in full. */
void mig_test_show_difference(const char *got, const char *want);

/* The rows of a query as text: cells joined by '|', rows ended by '\n', SQL
 * NULL as "NULL". New string. */
char *mig_test_query_text(struct mig_db *db, const char *sql);
/* Assert that the rows of a query on db, as mig_test_query_text writes them,
 * are want. */
#define mig_assert_query(db, sql, want) mig_assert_query_at((db), (sql), (want), __FILE__, __LINE__)
void mig_assert_query_at(struct mig_db *db, const char *sql, const char *want, const char *file,
			 int line);

/* The test servers, named by $MIGRATE_TEST_PG_URL and $MIGRATE_TEST_MYSQL_URL
 * (a test fails when its server's variable is not set). */
enum mig_test_server {
	MIG_TEST_PG,
	MIG_TEST_MYSQL,
};
/* A connection to database name on the server (NULL: the URL's own). */
struct mig_db *mig_test_connect(enum mig_test_server srv, const char *name);
/* Create a database of the test's own on the server, named
 * "<prefix>_<pid>_<time>_<n>": on PostgreSQL with the CREATE DATABASE options
 * given ("" for none), on MySQL in utf8mb4 with utf8mb4_general_ci whatever
 * the server's default. Returns its name (new string). */
char *mig_test_pg_fresh_db(const char *prefix, const char *options);
char *mig_test_my_fresh_db(const char *prefix);
/* Drop database name from the server (even while others are connected to it,
 * on PostgreSQL). */
void mig_test_drop_db(enum mig_test_server srv, const char *name);

/* The text of the file at path rel under $MIGRATE_SOURCE_ROOT (the source
 * tree), which must be set. New string. */
char *mig_test_read_source_file(const char *rel);

#endif
