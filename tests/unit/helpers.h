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

#endif
