/* Helpers shared by the cmocka unit tests. */
#include "helpers.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
