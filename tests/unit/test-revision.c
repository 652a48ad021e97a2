/* Unit tests for lib/revision.c: header parsing (both parsers, every error
 * with its position), ids, slugs, dates, file names, rendering and hooks. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HDR_TAIL "upgrade: []\ndowngrade: []\n"

static struct mig_revision *parse_ok(struct mig_arena *a, const char *text)
{
	struct mig_revision *r = NULL;
	mig_assert_ok(mig_revision_parse("v/x.yaml", text, strlen(text), a, &r));
	return r;
}

static void parse_fails(const char *text, const char *want)
{
	struct mig_arena a = MIG_ARENA_INIT;
	struct mig_revision *r = NULL;
	mig_assert_fails_with(mig_revision_parse("v/x.yaml", text, strlen(text), &a, &r), want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
	mig_arena_release(&a);
}

static void test_revision_parse_basic(void **state)
{
	(void)state;
	struct mig_arena a = MIG_ARENA_INIT;
	struct mig_revision *r = parse_ok(&a, "# a comment\n"
					      "revision: 3f2a9c1b7d4e\n"
					      "down_revision: 1a2b3c4d5e6f   # the parent\n"
					      "branch_labels: []\n"
					      "depends_on: [abc, 'x''y']\n"
					      "message: add users\n"
					      "create_date: 2026-11-22 10:00:00.000000\n"
					      "transactional: false\n"
					      "upgrade:\n"
					      "  - create_table:\n"
					      "      name: users\n"
					      "\n"
					      "  # between ops\n"
					      "  - sql: \"SELECT 1\"\n"
					      "downgrade:\n"
					      "- drop_table: {name: users}\n");
	assert_string_equal(r->id, "3f2a9c1b7d4e");
	assert_int_equal(r->ndown, 1);
	assert_string_equal(r->down_revisions[0], "1a2b3c4d5e6f");
	assert_int_equal(r->nbranch_labels, 0);
	assert_int_equal(r->ndepends_on, 2);
	assert_string_equal(r->depends_on[0], "abc");
	assert_string_equal(r->depends_on[1], "x'y");
	assert_string_equal(r->message, "add users");
	assert_string_equal(r->create_date, "2026-11-22 10:00:00.000000");
	assert_false(r->transactional);
	assert_string_equal(r->path, "v/x.yaml");
	assert_int_equal(r->pos_revision.line, 2);
	assert_int_equal(r->pos_revision.column, 11);
	assert_int_equal(r->pos_down_revision.line, 3);
	assert_int_equal(r->pos_down_revision.column, 16);
	assert_int_equal(r->pos_depends_on.line, 5);

	r = parse_ok(&a, "revision: abc\ndown_revision: null\nmessage: ~\n" HDR_TAIL);
	assert_int_equal(r->ndown, 0);
	assert_string_equal(r->message, "");
	assert_null(r->create_date);
	assert_true(r->transactional);

	r = parse_ok(&a, "revision: m1\ndown_revision: [a1, b2]\nbranch_labels: feature\n"
			 "message: merge\n" HDR_TAIL);
	assert_int_equal(r->ndown, 2);
	assert_string_equal(r->down_revisions[1], "b2");
	assert_int_equal(r->nbranch_labels, 1);
	assert_string_equal(r->branch_labels[0], "feature");
	mig_arena_release(&a);
}

/* The same header through the fast parser and through libyaml (forced by a
 * block list and an escape) gives the same revision. */
static void test_revision_parse_slow_path(void **state)
{
	(void)state;
	struct mig_arena a = MIG_ARENA_INIT;
	struct mig_revision *r = parse_ok(&a, "revision: \"abc\"\n"
					      "down_revision:\n"
					      "  - a1\n"
					      "  - b2\n"
					      "branch_labels:\n"
					      "- feature\n"
					      "message: \"tab\\there\"\n"
					      "create_date: '2026-01-01 00:00:00'\n"
					      "upgrade: [{sql: SELECT 1}]\n"
					      "downgrade: []\n");
	assert_string_equal(r->id, "abc");
	assert_int_equal(r->ndown, 2);
	assert_string_equal(r->down_revisions[0], "a1");
	assert_string_equal(r->branch_labels[0], "feature");
	assert_string_equal(r->message, "tab\there");
	assert_string_equal(r->create_date, "2026-01-01 00:00:00");
	assert_int_equal(r->pos_down_revision.line, 3);
	assert_int_equal(r->pos_down_revision.column, 3);

	/* a plain message with ": " inside is not for the fast parser */
	r = parse_ok(&a, "revision: abc\ndown_revision: null\nmessage: 'a: b'\n" HDR_TAIL);
	assert_string_equal(r->message, "a: b");
	r = parse_ok(&a, "---\nrevision: abc\ndown_revision: ~\nmessage: x # c\n" HDR_TAIL "...\n");
	assert_string_equal(r->message, "x");
	mig_arena_release(&a);
}

static void test_revision_parse_errors(void **state)
{
	(void)state;
	parse_fails("revision: abc\nmessage: x\n",
		    "v/x.yaml:1:1: missing required key 'down_revision'\n"
		    "v/x.yaml:1:1: missing required key 'upgrade'\n"
		    "v/x.yaml:1:1: missing required key 'downgrade'");
	parse_fails("# header\n\nrevision: abc\ndown_revision: null\ncolour: red\n" HDR_TAIL,
		    "v/x.yaml:5:1: unknown key 'colour' in revision file (expected one of: "
		    "revision, down_revision, branch_labels, depends_on, message, create_date, "
		    "transactional, upgrade, downgrade)");
	parse_fails("revision: abc\ndown_revision: null\nrevision: abd\n" HDR_TAIL,
		    "v/x.yaml:3:1: duplicate key 'revision' in revision file");
	parse_fails("revision: a-b\ndown_revision: null\n" HDR_TAIL,
		    "v/x.yaml:1:11: invalid revision id 'a-b': use 1 to 32 letters, digits and "
		    "underscores");
	parse_fails("revision: head\ndown_revision: null\n" HDR_TAIL,
		    "v/x.yaml:1:11: invalid revision id 'head': it is a reserved word");
	parse_fails("revision: [a]\ndown_revision: null\n" HDR_TAIL,
		    "v/x.yaml:1:11: 'revision' must be a revision id");
	parse_fails("revision: abc\ndown_revision: {a: 1}\n" HDR_TAIL,
		    "v/x.yaml:2:16: 'down_revision' must be null, a revision id or a list of "
		    "revision ids");
	parse_fails("revision: abc\ndown_revision: abc\n" HDR_TAIL,
		    "v/x.yaml:2:16: revision 'abc' names itself in down_revision");
	parse_fails("revision: abc\ndown_revision: [x1, x1]\n" HDR_TAIL,
		    "v/x.yaml:2:16: down_revision names 'x1' twice");
	parse_fails("revision: abc\ndown_revision: null\nbranch_labels: [1.x, \"a b\"]\n" HDR_TAIL,
		    "v/x.yaml:3:16: invalid branch label 'a b': use letters, digits, '_', '.' and "
		    "'-', starting with a letter, digit or '_'");
	parse_fails("revision: abc\ndown_revision: null\ndepends_on: [abc]\n" HDR_TAIL,
		    "v/x.yaml:3:13: revision 'abc' names itself in depends_on");
	parse_fails("revision: abc\ndown_revision: null\nmessage: [a]\n" HDR_TAIL,
		    "v/x.yaml:3:10: 'message' must be a string");
	parse_fails("revision: abc\ndown_revision: null\ntransactional: maybe\n" HDR_TAIL,
		    "v/x.yaml:3:16: 'transactional' must be true or false, not 'maybe'");
	parse_fails("revision: abc\ndown_revision: null\nupgrade:\ndowngrade: x\n",
		    "v/x.yaml:3:1: 'upgrade' must be a list of operations (use [] for none)\n"
		    "v/x.yaml:4:12: 'downgrade' must be a list of operations (use [] for none)");
	parse_fails("- a\n- b\n",
		    "v/x.yaml:1:1: a revision file must be a mapping of revision keys (revision, "
		    "down_revision, message, upgrade, downgrade...)");
	parse_fails("revision: abc\ndown_revision: [a\n",
		    "v/x.yaml:3:1: did not find expected ',' or ']' (while parsing a flow sequence "
		    "at line 2, column 16)");
	/* every problem at once, in file order */
	parse_fails("revision: a.b\ndown_revision: 7\ntransactional: 2\nupgrade: 1\n"
		    "downgrade: []\n",
		    "v/x.yaml:1:11: invalid revision id 'a.b': use 1 to 32 letters, digits and "
		    "underscores\n"
		    "v/x.yaml:3:16: 'transactional' must be true or false, not '2'\n"
		    "v/x.yaml:4:10: 'upgrade' must be a list of operations (use [] for none)");
}

static void test_revision_ids(void **state)
{
	(void)state;
	char *a = NULL, *b = NULL;
	mig_assert_ok(mig_revision_new_id(&a));
	mig_assert_ok(mig_revision_new_id(&b));
	assert_int_equal(strlen(a), 12);
	assert_int_equal(strspn(a, "0123456789abcdef"), 12);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	mig_assert_ok(mig_revision_check_id("ae1027a6acf"));
	mig_assert_ok(mig_revision_check_id("0001_initial"));
	mig_assert_ok(mig_revision_check_id("a"));
	mig_assert_fails_with(mig_revision_check_id(""),
			      "invalid revision id '': use 1 to 32 letters, digits and "
			      "underscores");
	mig_assert_fails_with(mig_revision_check_id("abc+1"),
			      "invalid revision id 'abc+1': use 1 to 32 letters, digits and "
			      "underscores");
	mig_assert_fails_with(mig_revision_check_id("123456789012345678901234567890123"),
			      "invalid revision id '123456789012345678901234567890123': use 1 to "
			      "32 letters, digits and underscores");
	mig_assert_fails_with(mig_revision_check_id("base"),
			      "invalid revision id 'base': it is a reserved word");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	mig_assert_ok(mig_revision_check_label("feature-x.2"));
	mig_assert_fails_with(mig_revision_check_label("-x"),
			      "invalid branch label '-x': use letters, digits, '_', '.' and '-', "
			      "starting with a letter, digit or '_'");
	mig_assert_fails_with(mig_revision_check_label("heads"),
			      "invalid branch label 'heads': it is a reserved word");
}

static void check_slug(const char *msg, int trunc, const char *want)
{
	char *s = mig_revision_slug(msg, trunc);
	assert_string_equal(s, want);
	free(s);
}

static void test_revision_slug(void **state)
{
	(void)state;
	/* expected values are what Alembic 1.8 makes of the same message */
	check_slug("Add users table", 40, "add_users_table");
	check_slug("  Hello, World!! ", 40, "hello_world");
	check_slug("add_users__table", 40, "add_users__table");
	check_slug("", 40, "");
	check_slug(NULL, 40, "");
	check_slug("aaaa bbbb cccc dddd", 10, "aaaa_bbbb_");
	check_slug("aaaa bbbb cccc dddd", 12, "aaaa_bbbb_");
	check_slug("abcdefghijkl", 5, "abcde_");
	check_slug("add a column to the users table for the e-mail address", 40,
		   "add_a_column_to_the_users_table_for_the_");
	check_slug("exactly ten", 11, "exactly_ten");
	check_slug("drop café table", 40, "drop_caf_table");
}

static void test_revision_dates(void **state)
{
	(void)state;
	struct mig_revision_date d;
	mig_assert_ok(mig_revision_date_at("UTC", 1795860000, 5, &d));
	assert_string_equal(d.text, "2026-11-28 10:00:00.000005");
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.month, 11);
	assert_int_equal(d.day, 28);
	mig_assert_ok(mig_revision_date_at(NULL, 0, 0, &d));
	assert_string_equal(d.text, "1970-01-01 00:00:00.000000");
	mig_assert_ok(mig_revision_date_at("utc", 0, 0, &d));
	assert_string_equal(d.text, "1970-01-01 00:00:00.000000");
	if (mig_path_exists("/usr/share/zoneinfo/Europe/Paris")) {
		mig_assert_ok(mig_revision_date_at("Europe/Paris", 1795860000, 0, &d));
		assert_string_equal(d.text, "2026-11-28 11:00:00.000000+01:00");
		mig_assert_ok(mig_revision_date_at("America/New_York", 1795860000, 0, &d));
		assert_string_equal(d.text, "2026-11-28 05:00:00.000000-05:00");
	}
	setenv("TZ", "UTC", 1);
	mig_assert_ok(mig_revision_date_at("local", 0, 0, &d));
	assert_string_equal(d.text, "1970-01-01 00:00:00.000000+00:00");
	unsetenv("TZ");
	mig_assert_fails_with(mig_revision_date_at("Nowhere/Town", 0, 0, &d),
			      "unknown timezone 'Nowhere/Town' (use UTC, local or a zoneinfo name "
			      "such as Europe/Paris)");
	setenv("SOURCE_DATE_EPOCH", "86400", 1);
	mig_assert_ok(mig_revision_date_now("UTC", &d));
	assert_string_equal(d.text, "1970-01-02 00:00:00.000000");
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	mig_assert_fails_with(mig_revision_date_now("UTC", &d),
			      "invalid SOURCE_DATE_EPOCH 'soon': expected seconds since 1970");
	unsetenv("SOURCE_DATE_EPOCH");
	mig_assert_ok(mig_revision_date_now("UTC", &d));
	assert_true(d.year >= 2024);
}

static void test_revision_file_names(void **state)
{
	(void)state;
	struct mig_revision_date d;
	char *name = NULL;
	mig_assert_ok(mig_revision_date_at("UTC", 1795860000, 0, &d));
	mig_assert_ok(mig_revision_file_name(NULL, "3f2a", "add_users", &d, &name));
	assert_string_equal(name, "3f2a_add_users.yaml");
	free(name);
	mig_assert_ok(mig_revision_file_name(
		"%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s", "3f2a",
		"x", &d, &name));
	assert_string_equal(name, "2026_11_28_1000-3f2a_x.yaml");
	free(name);
	mig_assert_ok(mig_revision_file_name("%(epoch)s_%(rev)s", "3f2a", "", &d, &name));
	assert_string_equal(name, "1795860000_3f2a.yaml");
	free(name);
	mig_assert_fails_with(mig_revision_file_name("%(rev)s_%(name)s", "3f2a", "x", &d, &name),
			      "unknown placeholder '%(name)s' in file_template '%(rev)s_%(name)s'");

	assert_true(mig_revision_name_matches(NULL, "3f2a_add_users.yaml", "3f2a"));
	assert_true(mig_revision_name_matches(NULL, "3f2a_.yaml", "3f2a"));
	assert_true(mig_revision_name_matches(NULL, "0001_init_add.yaml", "0001_init"));
	assert_false(mig_revision_name_matches(NULL, "3f2ab_add.yaml", "3f2a"));
	assert_false(mig_revision_name_matches(NULL, "9999_add.yaml", "3f2a"));
	assert_true(mig_revision_name_matches("%(rev)s", "3f2a.yaml", "3f2a"));
	assert_false(mig_revision_name_matches("%(rev)s", "3f2ab.yaml", "3f2a"));
	assert_true(mig_revision_name_matches("%(year)d_%(rev)s_%(slug)s", "2026_3f2a_x.yaml",
					      "3f2a"));
	assert_false(mig_revision_name_matches("%(year)d_%(rev)s_%(slug)s", "2026_3f2b_x.yaml",
					       "3f2a"));
}

static void test_revision_render(void **state)
{
	(void)state;
	static const char *const down[] = { "a1", "b2" };
	static const char *const labels[] = { "feature" };
	static const char *const deps[] = { "c3" };
	const char *tmpl = "revision: ${revision}\n"
			   "down_revision: ${down_revision}\n"
			   "branch_labels: ${branch_labels}\n"
			   "depends_on: ${depends_on}\n"
			   "message: ${message}\n"
			   "create_date: ${create_date}\n"
			   "upgrade: ${upgrades}\n"
			   "downgrade:${downgrades}\n";
	struct mig_revision_spec spec = {
		.id = "m1", .down_revisions = down, .ndown = 2, .branch_labels = labels,
		.nbranch_labels = 1, .depends_on = deps, .ndepends_on = 1,
		.message = "merge: a and b", .create_date = "2026-01-01 00:00:00.000000",
		.upgrades = "- sql: SELECT 1\n- drop_table:\n    name: t\n",
	};
	struct mig_str out = MIG_STR_INIT;
	mig_assert_ok(mig_revision_render(tmpl, "t.tmpl", &spec, &out));
	assert_string_equal(out.buf, "revision: m1\n"
				     "down_revision: [a1, b2]\n"
				     "branch_labels: [feature]\n"
				     "depends_on: [c3]\n"
				     "message: \"merge: a and b\"\n"
				     "create_date: 2026-01-01 00:00:00.000000\n"
				     "upgrade:\n"
				     "  - sql: SELECT 1\n"
				     "  - drop_table:\n"
				     "      name: t\n"
				     "downgrade: []\n");
	struct mig_arena a = MIG_ARENA_INIT;
	struct mig_revision *r = parse_ok(&a, out.buf);
	assert_int_equal(r->ndown, 2);
	assert_string_equal(r->message, "merge: a and b");
	mig_arena_release(&a);

	mig_str_reset(&out);
	spec.ndown = 1;
	spec.nbranch_labels = 0;
	spec.upgrades = NULL;
	mig_assert_ok(mig_revision_render("d: ${down_revision} l: ${branch_labels}${upgrades}",
					  "t.tmpl", &spec, &out));
	assert_string_equal(out.buf, "d: a1 l: [] []");
	mig_str_reset(&out);
	spec.ndown = 0;
	mig_assert_ok(mig_revision_render("d: ${down_revision}", "t.tmpl", &spec, &out));
	assert_string_equal(out.buf, "d: null");
	mig_assert_fails_with(mig_revision_render("x: ${nope}", "t.tmpl", &spec, &out),
			      "t.tmpl: unknown placeholder '${nope}'");
	mig_assert_fails_with(mig_revision_render("x: ${revision", "t.tmpl", &spec, &out),
			      "t.tmpl: unterminated placeholder '${revision'");
	mig_str_release(&out);
}

static void test_revision_hooks(void **state)
{
	(void)state;
	char *dir = mig_test_tmpdir();
	char *file = mig_test_write(dir, "a.yaml", "x\n");
	char *copy = xasprintf("%s.copy", file);
	struct mig_hook h = { "copy", "exec", "cp", NULL };
	h.options = "REVISION_SCRIPT_FILENAME \"REVISION_SCRIPT_FILENAME.copy\"";
	mig_assert_ok(mig_hook_run(&h, file));
	assert_true(mig_path_exists(copy));
	unlink(copy);
	/* without the token, the file goes first */
	h.options = copy;
	mig_assert_ok(mig_hook_run(&h, file));
	assert_true(mig_path_exists(copy));

	struct mig_hook bad = { "lint", "exec", "false", NULL };
	mig_assert_fails_with(mig_hook_run(&bad, file),
			      "post-write hook 'lint' ('false') exited with status 1");
	bad.executable = "/nonexistent/hook";
	mig_assert_fails_with(mig_hook_run(&bad, file),
			      "post-write hook 'lint': cannot run '/nonexistent/hook': No such "
			      "file or directory");
	bad.type = "console_scripts";
	mig_assert_fails_with(mig_hook_run(&bad, file),
			      "post-write hook 'lint': unsupported type 'console_scripts' (only "
			      "'exec' is supported)");
	bad.type = "exec";
	bad.options = "'unbalanced";
	mig_assert_fails_with(mig_hook_run(&bad, file),
			      "post-write hook 'lint': unbalanced quotes in options ''unbalanced'");
	mig_test_rmtree(dir);
	free(copy);
	free(file);
	free(dir);
}

static void test_revision_load_full(void **state)
{
	(void)state;
	char *dir = mig_test_tmpdir();
	char *path = mig_test_write(dir, "abc_x.yaml",
				    "revision: abc\n"
				    "down_revision: null\n"
				    "message: two ops\n"
				    "upgrade:\n"
				    "  # make the table\n"
				    "  - create_table:\n"
				    "      name: t\n"
				    "      columns:\n"
				    "        id: {type: integer, primary_key: true}\n"
				    "  - sql: SELECT 1\n"
				    "downgrade:\n"
				    "  - drop_table: {name: t}\n");
	struct mig_revision_file *f = NULL;
	mig_assert_ok(mig_revision_load_full(path, &f));
	assert_string_equal(f->rev->id, "abc");
	assert_string_equal(f->rev->message, "two ops");
	assert_int_equal(f->upgrade.ops.n, 2);
	assert_int_equal(f->upgrade.ops.v[0].kind, MIG_OP_CREATE_TABLE);
	assert_int_equal(f->upgrade.ops.v[1].kind, MIG_OP_SQL);
	assert_int_equal(f->downgrade.ops.n, 1);
	mig_revision_file_free(f);
	free(path);

	path = mig_test_write(dir, "abd_x.yaml",
			      "revision: abd\n"
			      "down_revision: null\n"
			      "transactional: perhaps\n"
			      "upgrade:\n"
			      "  - drop_tabel: {name: t}\n"
			      "downgrade: []\n");
	f = NULL;
	assert_true(mig_revision_load_full(path, &f) < 0);
	assert_null(f);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
	char *want = xasprintf("%s:3:16: 'transactional' must be true or false, not "
			       "'perhaps'\n%s:5:5:",
			       path, path);
	assert_true(mig_starts_with(mig_error_last(), want));
	free(want);
	free(path);
	mig_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revision_parse_basic),
		cmocka_unit_test(test_revision_parse_slow_path),
		cmocka_unit_test(test_revision_parse_errors),
		cmocka_unit_test(test_revision_ids),
		cmocka_unit_test(test_revision_slug),
		cmocka_unit_test(test_revision_dates),
		cmocka_unit_test(test_revision_file_names),
		cmocka_unit_test(test_revision_render),
		cmocka_unit_test(test_revision_hooks),
		cmocka_unit_test(test_revision_load_full),
	};
	return cmocka_run_group_tests_name("revision", tests, NULL, NULL);
}
