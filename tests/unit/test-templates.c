/* Unit tests for lib/templates.c: finding the templates folder, listing, and
 * copying a template without leaving anything behind on failure. */
#include "helpers.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted listing of every path below dir ("a/", "a/b.txt"), folders with a
 * trailing slash, one per line. */
static void walk(const char *dir, const char *rel, struct mig_str *out)
{
	struct mig_strlist names = MIG_STRLIST_INIT;
	char *full = rel ? mig_path_join(dir, rel) : xstrdup(dir);
	/* mig_dir_list keeps only files: list folders by hand */
	DIR *d = opendir(full);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			mig_strlist_push(&names, e->d_name);
		}
	}
	if (d) {
		closedir(d);
	}
	if (names.n) {
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	}
	for (size_t i = 0; i < names.n; i++) {
		char *r = rel ? mig_path_join(rel, names.v[i]) : xstrdup(names.v[i]);
		char *f = mig_path_join(dir, r);
		if (mig_path_is_dir(f)) {
			mig_str_addf(out, "%s/\n", r);
			walk(dir, r, out);
		} else {
			mig_str_addf(out, "%s\n", r);
		}
		free(f);
		free(r);
	}
	mig_strlist_release(&names);
	free(full);
}

static char *listing(const char *dir)
{
	struct mig_str s = MIG_STR_INIT;
	walk(dir, NULL, &s);
	return mig_str_detach(&s);
}

static char *join_list(const struct mig_strlist *l)
{
	struct mig_str s = MIG_STR_INIT;
	for (size_t i = 0; i < l->n; i++) {
		mig_str_addf(&s, "%s\n", l->v[i]);
	}
	return mig_str_detach(&s);
}

/* A templates folder with "basic" (README, a file, an executable, an empty
 * folder, a nested file) and "plain" (no README). */
static char *make_templates(const char *root)
{
	char *dir = mig_path_join(root, "templates");
	free(mig_test_write(dir, "basic/README", "  Basic layout for tests.  \nMore text.\n"));
	free(mig_test_write(dir, "basic/app.ini", "url = x\n"));
	char *run = mig_test_write(dir, "basic/run.sh", "#!/bin/sh\n");
	chmod(run, 0755);
	free(run);
	free(mig_test_write(dir, "basic/sub/deep/file.yaml", "a: 1\n"));
	char *empty = mig_path_join(dir, "basic/empty");
	mig_assert_ok(mig_mkdir_p(empty, 0755));
	free(empty);
	free(mig_test_write(dir, "plain/only.txt", "x\n"));
	free(mig_test_write(dir, ".hidden/README", "not a template\n"));
	free(mig_test_write(dir, "stray-file", "not a template\n"));
	return dir;
}

static void test_templates_list(void **state)
{
	(void)state;
	char *root = mig_test_tmpdir();
	char *dir = make_templates(root);
	struct mig_template_list l = MIG_TEMPLATE_LIST_INIT;
	mig_assert_ok(mig_templates_list(dir, &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "basic");
	assert_string_equal(l.v[0].description, "Basic layout for tests.");
	assert_string_equal(l.v[1].name, "plain");
	assert_string_equal(l.v[1].description, "");
	mig_template_list_release(&l);

	char *missing = mig_path_join(root, "nope");
	char *want = xasprintf("cannot open directory '%s': No such file or directory", missing);
	mig_assert_fails_with(mig_templates_list(missing, &l), want);
	free(want);
	free(missing);
	mig_test_rmtree(root);
	free(dir);
	free(root);
}

static void test_templates_shipped(void **state)
{
	(void)state;
	struct mig_template_list l = MIG_TEMPLATE_LIST_INIT;
	mig_assert_ok(mig_templates_list(MIG_SOURCE_TEMPLATES_DIR, &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "ci");
	assert_string_equal(l.v[0].description, "Continuous integration jobs for migrate checks.");
	assert_string_equal(l.v[1].name, "generic");
	assert_string_equal(l.v[1].description, "Generic single-database configuration.");
	mig_template_list_release(&l);

	/* the example models load, and declare what the tutorial explains */
	struct mig_strlist paths = MIG_STRLIST_INIT;
	struct mig_schema *s = NULL;
	mig_strlist_push_owned(&paths, mig_path_join(MIG_SOURCE_TEMPLATES_DIR, "generic/models"));
	mig_assert_ok(mig_model_load(&paths, &s));
	assert_int_equal(s->tables.n, 4);
	struct mig_table *users = mig_schema_find_table(s, NULL, "users");
	assert_non_null(users);
	assert_int_equal(users->uniques.n, 1);
	assert_string_equal(users->uniques.v[0].columns.v[0], "email");
	assert_int_equal(users->fks.n, 1);
	assert_string_equal(users->fks.v[0].ref_table, "organisations");
	assert_int_equal(users->fks.v[0].on_delete, MIG_FK_CASCADE);
	assert_int_equal(users->indexes.n, 1);
	assert_string_equal(users->indexes.v[0].name, "ix_users_org_id");
	struct mig_table *aa = mig_schema_find_table(s, NULL, "article_author");
	assert_non_null(aa);
	assert_int_equal(aa->pk.columns.n, 2);
	assert_string_equal(aa->pk.columns.v[0], "article_id");
	assert_string_equal(aa->pk.columns.v[1], "user_id");
	assert_int_equal(aa->fks.n, 2);
	assert_non_null(mig_schema_find_table(s, NULL, "articles"));
	assert_non_null(mig_schema_find_table(s, NULL, "organisations"));
	mig_schema_free(s);
	mig_strlist_release(&paths);
}

static void test_templates_find_dir(void **state)
{
	(void)state;
	char *root = mig_test_tmpdir();
	char *out = NULL;

	setenv("MIGRATE_TEMPLATES_DIR", root, 1);
	mig_assert_ok(mig_templates_find_dir(&out));
	assert_string_equal(out, root);
	free(out);

	char *missing = mig_path_join(root, "nope");
	setenv("MIGRATE_TEMPLATES_DIR", missing, 1);
	char *want = xasprintf("cannot use MIGRATE_TEMPLATES_DIR '%s': not a directory", missing);
	mig_assert_fails_with(mig_templates_find_dir(&out), want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	free(want);
	free(missing);

	/* unset (or empty): the installed folder when there is one, else the source tree;
	 * the test binary is in a subfolder of the build folder */
	setenv("MIGRATE_TEMPLATES_DIR", "", 1);
	mig_assert_ok(mig_templates_find_dir(&out));
	if (mig_path_is_dir(MIG_TEMPLATES_DIR)) {
		assert_string_equal(out, MIG_TEMPLATES_DIR);
	} else {
		assert_string_equal(out, MIG_SOURCE_TEMPLATES_DIR);
	}
	free(out);
	unsetenv("MIGRATE_TEMPLATES_DIR");
	mig_test_rmtree(root);
	free(root);
}

static void test_templates_copy_missing(void **state)
{
	(void)state;
	char *root = mig_test_tmpdir();
	char *tdir = make_templates(root);
	char *work = mig_path_join(root, "work");
	mig_assert_ok(mig_mkdir_p(work, 0755));
	/* two missing parents, and slashes to tidy */
	char *dest = xasprintf("%s/a//b/proj/", work);
	struct mig_template_created c = MIG_TEMPLATE_CREATED_INIT;
	mig_assert_ok(mig_template_copy(tdir, "basic", dest, &c));

	char *got = join_list(&c.dirs);
	char *want = xasprintf("%s/a\n%s/a/b\n%s/a/b/proj\n%s/a/b/proj/empty\n%s/a/b/proj/sub\n"
			       "%s/a/b/proj/sub/deep\n",
			       work, work, work, work, work, work);
	assert_string_equal(got, want);
	free(got);
	free(want);
	got = join_list(&c.files);
	want = xasprintf("%s/a/b/proj/app.ini\n%s/a/b/proj/run.sh\n%s/a/b/proj/sub/deep/file.yaml\n",
			 work, work, work);
	assert_string_equal(got, want);
	free(got);
	free(want);
	mig_template_created_release(&c);

	got = listing(work);
	assert_string_equal(got, "a/\na/b/\na/b/proj/\na/b/proj/app.ini\na/b/proj/empty/\n"
				 "a/b/proj/run.sh\na/b/proj/sub/\na/b/proj/sub/deep/\n"
				 "a/b/proj/sub/deep/file.yaml\n");
	free(got);
	char *f = mig_path_join(work, "a/b/proj/sub/deep/file.yaml");
	char *text;
	mig_assert_ok(mig_file_read(f, &text, NULL));
	assert_string_equal(text, "a: 1\n");
	free(text);
	free(f);
	struct stat st;
	f = mig_path_join(work, "a/b/proj/run.sh");
	assert_int_equal(stat(f, &st), 0);
	assert_true(st.st_mode & S_IXUSR);
	free(f);

	/* created may be NULL; a relative dest */
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(work), 0);
	mig_assert_ok(mig_template_copy(tdir, "plain", "rel", &c));
	assert_string_equal(c.dirs.v[0], "rel");
	assert_string_equal(c.files.v[0], "rel/only.txt");
	mig_template_created_release(&c);
	mig_assert_ok(mig_template_copy(tdir, "plain", "rel2", NULL));
	assert_true(mig_path_exists("rel2/only.txt"));
	assert_int_equal(chdir(cwd), 0);
	free(cwd);

	mig_test_rmtree(root);
	free(dest);
	free(work);
	free(tdir);
	free(root);
}

static void test_templates_copy_empty(void **state)
{
	(void)state;
	char *root = mig_test_tmpdir();
	char *tdir = make_templates(root);
	char *dest = mig_path_join(root, "proj");
	mig_assert_ok(mig_mkdir_p(dest, 0755));
	struct mig_template_created c = MIG_TEMPLATE_CREATED_INIT;
	mig_assert_ok(mig_template_copy(tdir, "basic", dest, &c));
	assert_int_equal(c.dirs.n, 3); /* empty, sub, sub/deep: dest existed */
	assert_int_equal(c.files.n, 3);
	mig_template_created_release(&c);
	char *got = listing(dest);
	assert_string_equal(got, "app.ini\nempty/\nrun.sh\nsub/\nsub/deep/\nsub/deep/file.yaml\n");
	free(got);
	mig_test_rmtree(root);
	free(dest);
	free(tdir);
	free(root);
}

static void test_templates_copy_refused(void **state)
{
	(void)state;
	char *root = mig_test_tmpdir();
	char *tdir = make_templates(root);
	char *dest = mig_path_join(root, "proj");
	free(mig_test_write(dest, ".git/HEAD", "ref: refs/heads/main\n"));
	struct mig_template_created c = MIG_TEMPLATE_CREATED_INIT;

	char *want = xasprintf("directory '%s' exists and is not empty", dest);
	int rc = mig_template_copy(tdir, "basic", dest, &c);
	assert_int_equal(rc, MIG_EEXISTS);
	mig_assert_fails_with(rc, want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	assert_int_equal(c.dirs.n + c.files.n, 0);
	free(want);
	char *got = listing(dest);
	assert_string_equal(got, ".git/\n.git/HEAD\n");
	free(got);

	char *file = mig_path_join(dest, ".git/HEAD");
	want = xasprintf("'%s' exists and is not a directory", file);
	mig_assert_fails_with(mig_template_copy(tdir, "basic", file, &c), want);
	free(want);
	free(file);

	rc = mig_template_copy(tdir, "nope", dest, &c);
	assert_int_equal(rc, MIG_ENOTFOUND);
	mig_assert_fails_with(rc, "unknown template 'nope'");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	mig_assert_fails_with(mig_template_copy(tdir, "../templates/basic", dest, &c),
			      "unknown template '../templates/basic'");
	mig_assert_fails_with(mig_template_copy(tdir, ".hidden", dest, &c),
			      "unknown template '.hidden'");
	mig_assert_fails_with(mig_template_copy(tdir, "stray-file", dest, &c),
			      "unknown template 'stray-file'");
	mig_assert_fails_with(mig_template_copy(tdir, "basic", "", &c), "no directory given");

	char *dotty = mig_path_join(root, "x/../y");
	want = xasprintf("cannot create directory '%s': '.' or '..' below a missing directory",
			 dotty);
	mig_assert_fails_with(mig_template_copy(tdir, "basic", dotty, &c), want);
	free(want);
	free(dotty);

	mig_test_rmtree(root);
	free(dest);
	free(tdir);
	free(root);
}

/* A template that fails half way (a dangling symlink after good files) leaves
 * nothing behind, whether dest was missing or empty. */
static void test_templates_copy_cleanup(void **state)
{
	(void)state;
	char *root = mig_test_tmpdir();
	char *tdir = make_templates(root);
	char *bad = mig_path_join(tdir, "basic/zz-dangling");
	assert_int_equal(symlink("/nonexistent/target", bad), 0);
	char *work = mig_path_join(root, "work");
	mig_assert_ok(mig_mkdir_p(work, 0755));
	struct mig_template_created c = MIG_TEMPLATE_CREATED_INIT;

	char *dest = mig_path_join(work, "new/proj");
	char *want = xasprintf("cannot read '%s': No such file or directory", bad);
	mig_assert_fails_with(mig_template_copy(tdir, "basic", dest, &c), want);
	assert_int_equal(c.dirs.n + c.files.n, 0);
	char *got = listing(work);
	assert_string_equal(got, "");
	free(got);
	free(dest);

	dest = mig_path_join(work, "empty");
	mig_assert_ok(mig_mkdir_p(dest, 0755));
	mig_assert_fails_with(mig_template_copy(tdir, "basic", dest, &c), want);
	got = listing(work);
	assert_string_equal(got, "empty/\n");
	free(got);
	free(dest);

	free(want);
	mig_test_rmtree(root);
	free(bad);
	free(work);
	free(tdir);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates_list),
		cmocka_unit_test(test_templates_shipped),
		cmocka_unit_test(test_templates_find_dir),
		cmocka_unit_test(test_templates_copy_missing),
		cmocka_unit_test(test_templates_copy_empty),
		cmocka_unit_test(test_templates_copy_refused),
		cmocka_unit_test(test_templates_copy_cleanup),
	};
	return cmocka_run_group_tests_name("templates", tests, NULL, NULL);
}
