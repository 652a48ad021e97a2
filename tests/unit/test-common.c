/* Unit tests for lib/common.c: string builder, vectors, arena, errors, files. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

static void test_common_str(void **state)
{
	(void)state;
	struct mig_str s = MIG_STR_INIT;
	assert_string_equal(mig_str_cstr(&s), "");
	mig_str_add(&s, "abc");
	mig_str_addch(&s, '-');
	mig_str_addf(&s, "%d:%s", 42, "x");
	assert_string_equal(s.buf, "abc-42:x");
	assert_int_equal(mig_str_len(&s), 8);
	mig_str_setlen(&s, 3);
	assert_string_equal(s.buf, "abc");
	for (int i = 0; i < 1000; i++) {
		mig_str_add(&s, "0123456789");
	}
	assert_int_equal(mig_str_len(&s), 10003);
	char *d = mig_str_detach(&s);
	assert_int_equal(strlen(d), 10003);
	assert_string_equal(mig_str_cstr(&s), "");
	free(d);
	mig_str_release(&s);
	d = mig_str_detach(&s);
	assert_string_equal(d, "");
	free(d);
}

static void test_common_vec_and_strlist(void **state)
{
	(void)state;
	MIG_VEC(int) v = { 0 };
	for (int i = 0; i < 100; i++) {
		mig_vec_push(&v, i * 2);
	}
	assert_int_equal(v.n, 100);
	assert_int_equal(v.v[99], 198);
	mig_vec_free(&v);
	assert_null(v.v);

	struct mig_strlist l = MIG_STRLIST_INIT;
	mig_strlist_push(&l, "a");
	mig_strlist_push_owned(&l, xstrdup("b"));
	assert_true(mig_strlist_has(&l, "b"));
	assert_false(mig_strlist_has(&l, "c"));
	mig_strlist_release(&l);
	assert_int_equal(l.n, 0);
}

static void test_common_arena(void **state)
{
	(void)state;
	struct mig_arena a = MIG_ARENA_INIT;
	char *s = mig_arena_strdup(&a, "hello");
	assert_string_equal(s, "hello");
	assert_null(mig_arena_strdup(&a, NULL));
	char *big = mig_arena_alloc(&a, 200000);
	memset(big, 'x', 200000);
	char *p = mig_arena_printf(&a, "%s-%d", s, 7);
	assert_string_equal(p, "hello-7");
	for (int i = 0; i < 100000; i++) {
		int *n = mig_arena_alloc(&a, sizeof(int));
		assert_int_equal(*n, 0);
		assert_int_equal((uintptr_t)n % 16, 0);
	}
	mig_arena_release(&a);
	assert_null(a.head);
}

static void test_common_errors(void **state)
{
	(void)state;
	assert_int_equal(mig_error(MIG_ECLASS_DB, "cannot %s '%s'", "open", "x"), MIG_ERROR);
	assert_string_equal(mig_error_last(), "cannot open 'x'");
	assert_int_equal(mig_error_exit_code(), MIG_EXIT_DB);
	mig_error_prefix("%s", "a.yaml");
	assert_string_equal(mig_error_last(), "a.yaml: cannot open 'x'");
	assert_int_equal(mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_FILE, "no"), MIG_ENOTFOUND);
	assert_int_equal(mig_error_exit_code(), MIG_EXIT_FILE);
	mig_error(MIG_ECLASS_USAGE, "bad");
	assert_int_equal(mig_error_exit_code(), MIG_EXIT_USAGE);
	mig_error_clear();
	assert_string_equal(mig_error_last(), "unknown error");
}

static void test_common_strings(void **state)
{
	(void)state;
	assert_true(mig_streq(NULL, NULL));
	assert_false(mig_streq("a", NULL));
	assert_true(mig_strieq("ABC", "abc"));
	assert_true(mig_starts_with("postgresql://", "postgres"));
	assert_true(mig_ends_with("x.yaml", ".yaml"));
	assert_false(mig_ends_with("yaml", ".yaml"));
	char buf[] = "  trim me \t\n";
	assert_string_equal(mig_strtrim(buf), "trim me");
	char low[] = "MiXeD";
	mig_str_lower(low);
	assert_string_equal(low, "mixed");
}

static void test_common_files(void **state)
{
	(void)state;
	char *dir = mig_test_tmpdir();
	char *sub = mig_path_join(dir, "a/b/c");
	mig_assert_ok(mig_mkdir_p(sub, 0755));
	assert_true(mig_path_is_dir(sub));
	char *f = mig_path_join(sub, "x.yaml");
	mig_assert_ok(mig_file_write_atomic(f, "one\n", 4));
	mig_assert_ok(mig_file_write_atomic(f, "two\n", 4));
	char *text;
	size_t len;
	mig_assert_ok(mig_file_read(f, &text, &len));
	assert_string_equal(text, "two\n");
	assert_int_equal(len, 4);
	free(text);
	free(mig_test_write(sub, "b.yml", ""));
	free(mig_test_write(sub, "a.yaml", ""));
	free(mig_test_write(sub, "c.txt", ""));
	struct mig_strlist names = MIG_STRLIST_INIT;
	const char *const sfx[] = { ".yaml", ".yml", NULL };
	mig_assert_ok(mig_dir_list(sub, sfx, &names));
	assert_int_equal(names.n, 3);
	assert_string_equal(names.v[0], "a.yaml");
	assert_string_equal(names.v[1], "b.yml");
	assert_string_equal(names.v[2], "x.yaml");
	mig_strlist_release(&names);
	char *missing = mig_path_join(dir, "nope");
	assert_true(mig_file_read(missing, &text, NULL) < 0);
	assert_non_null(strstr(mig_error_last(), "No such file or directory"));
	char *dn = mig_path_dirname(f);
	assert_string_equal(dn, sub);
	free(dn);
	free(missing);
	free(f);
	free(sub);
	mig_test_rmtree(dir);
	assert_false(mig_path_exists(dir));
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_str),
		cmocka_unit_test(test_common_vec_and_strlist),
		cmocka_unit_test(test_common_arena),
		cmocka_unit_test(test_common_errors),
		cmocka_unit_test(test_common_strings),
		cmocka_unit_test(test_common_files),
	};
	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
