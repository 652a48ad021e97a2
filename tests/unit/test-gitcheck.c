/* Unit tests for lib/gitcheck.c: the report formats (text, json, github and
 * its escaping), the first changed line, graphs loaded from memory, the
 * checks against a git ref in repositories built with the git CLI (a clean
 * branch, history rewrites, a stale branch, heads the branch makes, a branch
 * that merged the ref already) and verify on an SQLite file.
 *
 * Every revision file the tests write has the same layout, so the places are
 * known: line 1 "revision: <id>" (value at column 11), line 2
 * "down_revision: <id>" (value at column 16), line 3 "message: …". */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define A "aaaa00000001"
#define B "bbbb00000002"
#define C "cccc00000003"
#define D "dddd00000004"
#define M "eeee00000005"

struct fx {
	char *dir; /* the repository's root, and the current folder */
	char *cwd; /* the current folder before */
	char *versions;
	struct mig_config cfg;
	struct mig_report report;
	struct mig_str out;
};

/* Run a shell command in the fixture's folder; the test fails when it does. */
static void sh(struct fx *f, const char *fmt, ...) MIG_PRINTF(2, 3);

static void sh(struct fx *f, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	mig_str_addf(&s, "cd '%s' && (", f->dir);
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_str_add(&s, ") >/dev/null 2>&1");
	int rc = system(s.buf);
	if (rc != 0) {
		print_error("command failed (%d): %s\n", rc, s.buf);
	}
	assert_int_equal(rc, 0);
	mig_str_release(&s);
}

/* The output of a shell command run in the fixture's folder, without its
 * final newline. New string. */
static char *sh_out(struct fx *f, const char *cmd)
{
	char *full = xasprintf("cd '%s' && %s", f->dir, cmd);
	FILE *p = popen(full, "r");
	struct mig_str s = MIG_STR_INIT;
	char buf[256];
	assert_non_null(p);
	while (fgets(buf, sizeof(buf), p)) {
		mig_str_add(&s, buf);
	}
	assert_int_equal(pclose(p), 0);
	free(full);
	if (mig_str_len(&s) && s.buf[mig_str_len(&s) - 1] == '\n') {
		mig_str_setlen(&s, mig_str_len(&s) - 1);
	}
	return mig_str_detach(&s);
}

static void git(struct fx *f, const char *args)
{
	sh(f, "git -c user.name=tester -c user.email=tester@example.com -c commit.gpgsign=false "
	      "%s",
	   args);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->dir = mig_test_tmpdir();
	mig_config_init(&f->cfg);
	free(f->cfg.script_location);
	f->cfg.script_location = mig_path_join(f->dir, "db");
	f->versions = mig_config_versions_dir(&f->cfg);
	mig_mkdir_p(f->versions, 0755);
	mig_report_init(&f->report);
	f->out = (struct mig_str)MIG_STR_INIT;
	f->cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(f->dir), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	assert_int_equal(chdir(f->cwd), 0);
	free(f->cwd);
	mig_report_release(&f->report);
	mig_str_release(&f->out);
	mig_config_release(&f->cfg);
	mig_test_rmtree(f->dir);
	free(f->versions);
	free(f->dir);
	free(f);
	return 0;
}

/* Write the revision file of id on down ("" for a root; "a, b" for a
 * merge). */
static void rev(struct fx *f, const char *id, const char *down, const char *message)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_addf(&s, "revision: %s\n", id);
	if (!*down) {
		mig_str_add(&s, "down_revision: null\n");
	} else if (strchr(down, ',')) {
		mig_str_addf(&s, "down_revision: [%s]\n", down);
	} else {
		mig_str_addf(&s, "down_revision: %s\n", down);
	}
	mig_str_addf(&s,
		     "message: %s\n"
		     "upgrade:\n"
		     "  - create_table: {name: t_%s, columns: {id: integer}}\n"
		     "downgrade:\n"
		     "  - drop_table: {name: t_%s}\n",
		     message, id, id);
	char *name = xasprintf("%s_rev.yaml", id);
	free(mig_test_write(f->versions, name, s.buf));
	free(name);
	mig_str_release(&s);
}

static char *rev_path(struct fx *f, const char *id)
{
	char *name = xasprintf("%s_rev.yaml", id);
	char *p = mig_path_join(f->versions, name);
	free(name);
	return p;
}

static void rm_rev(struct fx *f, const char *id)
{
	char *p = rev_path(f, id);
	assert_int_equal(unlink(p), 0);
	free(p);
}

/* A repository whose main branch has A, and a branch "feature" made from it
 * (checked out). */
static void repo_with_a(struct fx *f)
{
	git(f, "init -q -b main .");
	rev(f, A, "", "create users");
	git(f, "add -A && git -c user.name=t -c user.email=t@example.com commit -q -m one");
	git(f, "checkout -q -b feature");
}

static void commit(struct fx *f, const char *msg)
{
	char *args = xasprintf("add -A && git -c user.name=t -c user.email=t@example.com commit "
			       "-q -m '%s'",
			       msg);
	git(f, args);
	free(args);
}

static const char *format(struct fx *f, enum mig_report_format fmt)
{
	mig_str_reset(&f->out);
	mig_report_format(&f->report, fmt, MIG_REPORT_ALL, &f->out);
	return mig_str_cstr(&f->out);
}

/* ---- the report ---- */

static void test_gitcheck_report_formats(void **state)
{
	struct fx *f = *state;
	struct mig_report *r = &f->report;
	const char *down[] = { A };
	struct mig_report_rev added = { B, (const char **)down, 1, "add email\nmore", "db/b.yaml" };

	r->ref = "up/main";
	r->merge_base = "0123456789abcdef0123456789abcdef01234567";
	mig_vec_push(&r->added, added);
	mig_report_add(r, MIG_FINDING_STALE_BRANCH, MIG_SEVERITY_ERROR, "db/x,y:z.yaml", 2, 16,
		       "100%% sure\r\nnext, line: end");
	mig_report_add(r, MIG_FINDING_HISTORY_REWRITE, MIG_SEVERITY_ERROR, "db/a.yaml", 0, 0,
		       "deleted");
	mig_report_add(r, MIG_FINDING_NOTE, MIG_SEVERITY_NOTE, NULL, 0, 0, "a \"note\"");
	assert_int_equal(mig_report_errors(r), 2);

	assert_string_equal(format(f, MIG_REPORT_TEXT),
			    "this branch adds 1 revision to up/main (merge base 0123456789ab):\n"
			    "  aaaa00000001 -> bbbb00000002, add email\n"
			    "db/x,y:z.yaml:2:16: 100% sure\r\nnext, line: end\n"
			    "db/a.yaml: deleted\n"
			    "note: a \"note\"\n");
	assert_string_equal(format(f, MIG_REPORT_GITHUB),
			    "this branch adds 1 revision to up/main (merge base 0123456789ab):\n"
			    "  aaaa00000001 -> bbbb00000002, add email\n"
			    "::error file=db/x%2Cy%3Az.yaml,line=2,col=16::100%25 sure%0D%0Anext, "
			    "line: end\n"
			    "::error file=db/a.yaml::deleted\n"
			    "::notice::a \"note\"\n");
	assert_string_equal(
		format(f, MIG_REPORT_JSON),
		"{\"ref\": \"up/main\", "
		"\"merge_base\": \"0123456789abcdef0123456789abcdef01234567\", "
		"\"added_revisions\": [\n"
		"  {\"revision\": \"bbbb00000002\", \"down_revisions\": [\"aaaa00000001\"], "
		"\"message\": \"add email\\nmore\", \"path\": \"db/b.yaml\"}\n"
		"], \"findings\": [\n"
		"  {\"kind\": \"stale-branch\", \"severity\": \"error\", "
		"\"file\": \"db/x,y:z.yaml\", \"repo_file\": null, \"line\": 2, \"column\": 16, "
		"\"message\": \"100% sure\\r\\nnext, line: end\"},\n"
		"  {\"kind\": \"history-rewrite\", \"severity\": \"error\", "
		"\"file\": \"db/a.yaml\", \"repo_file\": null, \"line\": null, \"column\": null, "
		"\"message\": \"deleted\"},\n"
		"  {\"kind\": \"note\", \"severity\": \"note\", \"file\": null, "
		"\"repo_file\": null, \"line\": null, \"column\": null, "
		"\"message\": \"a \\\"note\\\"\"}\n"
		"], \"errors\": 2}\n");
	/* the parts */
	mig_str_reset(&f->out);
	mig_report_format(r, MIG_REPORT_TEXT, MIG_REPORT_NOTES, &f->out);
	assert_string_equal(mig_str_cstr(&f->out), "note: a \"note\"\n");
	mig_str_reset(&f->out);
	mig_report_format(r, MIG_REPORT_GITHUB, MIG_REPORT_FINDINGS, &f->out);
	assert_string_equal(mig_str_cstr(&f->out),
			    "::error file=db/x%2Cy%3Az.yaml,line=2,col=16::100%25 sure%0D%0Anext, "
			    "line: end\n"
			    "::error file=db/a.yaml::deleted\n");
	r->ref = NULL;
	r->merge_base = NULL;
}

/* Paths as shown (from the current folder) and as the repository names
 * them (for GitHub). */
static void test_gitcheck_report_paths(void **state)
{
	struct fx *f = *state;
	struct mig_report *r = &f->report;
	char *root = realpath(f->dir, NULL);
	char *inside = xasprintf("%s/db/versions/x.yaml", f->dir);
	char *outside = xasprintf("%s/top.yaml", f->dir);
	char *gone = xasprintf("%s/db/gone/x.yaml", f->dir);

	git(f, "init -q -b main .");
	assert_int_equal(chdir("db"), 0);
	mig_report_add(r, MIG_FINDING_DRIFT, MIG_SEVERITY_WARNING, inside, 7, 0, "in");
	mig_report_add(r, MIG_FINDING_DRIFT, MIG_SEVERITY_ERROR, outside, 0, 0, "out");
	mig_report_add(r, MIG_FINDING_DRIFT, MIG_SEVERITY_ERROR, "versions/y.yaml", 1, 2, "rel");
	mig_report_add(r, MIG_FINDING_DRIFT, MIG_SEVERITY_ERROR, gone, 0, 0, "gone");
	char *want = xasprintf("versions/x.yaml:7: warning: in\n"
			       "%s/top.yaml: out\n"
			       "versions/y.yaml:1:2: rel\n"
			       "%s: gone\n",
			       root, gone);
	assert_string_equal(format(f, MIG_REPORT_TEXT), want);
	free(want);
	/* a path outside any repository stays as it is (escaped) */
	struct mig_str e = MIG_STR_INIT;
	mig_github_escape_property(&e, gone);
	char *esc = mig_str_detach(&e);
	want = xasprintf("::warning file=db/versions/x.yaml,line=7::in\n"
			 "::error file=top.yaml::out\n"
			 "::error file=db/versions/y.yaml,line=1,col=2::rel\n"
			 "::error file=%s::gone\n",
			 esc);
	assert_string_equal(format(f, MIG_REPORT_GITHUB), want);
	char *shown = mig_report_shown_path(inside);
	assert_string_equal(shown, "versions/x.yaml");
	free(shown);
	free(esc);
	free(want);
	free(gone);
	free(outside);
	free(inside);
	free(root);
}

static void test_gitcheck_report_verified(void **state)
{
	struct fx *f = *state;
	struct mig_report *r = &f->report;
	enum mig_report_format fmt;

	assert_string_equal(format(f, MIG_REPORT_TEXT), "");
	assert_string_equal(format(f, MIG_REPORT_JSON), "{\"findings\": [], \"errors\": 0}\n");
	r->verified = 0;
	assert_string_equal(format(f, MIG_REPORT_TEXT), "no applied revisions to verify\n");
	r->verified = 1;
	assert_string_equal(format(f, MIG_REPORT_TEXT),
			    "the 1 applied revision matches its file\n");
	r->verified = 3;
	assert_string_equal(format(f, MIG_REPORT_GITHUB),
			    "all 3 applied revisions match their files\n");
	assert_string_equal(format(f, MIG_REPORT_JSON),
			    "{\"verified\": 3, \"findings\": [], \"errors\": 0}\n");
	mig_report_add(r, MIG_FINDING_APPLIED_NO_FILE, MIG_SEVERITY_ERROR, NULL, 0, 0, "gone");
	assert_string_equal(format(f, MIG_REPORT_TEXT), "gone\n");

	mig_assert_ok(mig_report_format_parse("github", &fmt));
	assert_int_equal(fmt, MIG_REPORT_GITHUB);
	mig_assert_ok(mig_report_format_parse("json", &fmt));
	assert_int_equal(fmt, MIG_REPORT_JSON);
	mig_assert_ok(mig_report_format_parse("text", &fmt));
	assert_int_equal(fmt, MIG_REPORT_TEXT);
	mig_assert_fails_with(mig_report_format_parse("xml", &fmt),
			      "unknown format 'xml' (use text, json or github)");
	assert_string_equal(mig_finding_kind_name(MIG_FINDING_APPLIED_NO_FILE),
			    "applied-without-file");
}

static void test_gitcheck_first_changed_line(void **state)
{
	(void)state;
	assert_int_equal(mig_first_changed_line("a\nb\n", 4, "a\nb\n", 4), 0);
	assert_int_equal(mig_first_changed_line("a\nb\nc\n", 6, "a\nX\nc\n", 6), 2);
	assert_int_equal(mig_first_changed_line("a\nb\n", 4, "X\nb\n", 4), 1);
	/* lines added at the end: the first new line */
	assert_int_equal(mig_first_changed_line("a\nb\n", 4, "a\nb\nc\n", 6), 3);
	/* lines removed at the end: the last line there is */
	assert_int_equal(mig_first_changed_line("a\nb\nc\n", 6, "a\nb\n", 4), 2);
	/* a final newline added or removed */
	assert_int_equal(mig_first_changed_line("a\nb", 3, "a\nb\n", 4), 2);
	assert_int_equal(mig_first_changed_line("a\nb\n", 4, "a\nb", 3), 2);
	/* emptied */
	assert_int_equal(mig_first_changed_line("a\n", 2, "", 0), 1);
}

/* ---- graphs from memory ---- */

static void test_gitcheck_load_blobs(void **state)
{
	(void)state;
	const char *a = "revision: " A "\ndown_revision: null\nupgrade: []\ndowngrade: []\n";
	const char *b = "revision: " B "\ndown_revision: " A "\nupgrade: []\ndowngrade: []\n";
	const char *bad = "revision: " C "\ndown_revision: ffff\nupgrade: []\ndowngrade: []\n";
	struct mig_revblob files[] = {
		{ "v/" A "_x.yaml", a, strlen(a) },
		/* not NUL-terminated where it ends */
		{ "v/" B "_y.yaml", b, strlen(b) },
	};
	struct mig_revgraph *g = NULL;
	struct mig_revlist heads = MIG_REVLIST_INIT;
	char *copy = xstrdup(b);
	copy[strlen(b)] = 'Z'; /* overwrite the NUL: the length must be used */
	files[1].text = copy;

	mig_assert_ok(mig_revgraph_load_blobs(&g, files, 2, NULL));
	assert_int_equal(mig_revgraph_count(g), 2);
	mig_revgraph_heads(g, false, &heads);
	assert_int_equal(heads.n, 1);
	assert_string_equal(heads.v[0]->id, B);
	assert_string_equal(heads.v[0]->path, "v/" B "_y.yaml");
	assert_int_equal(mig_revgraph_dirs(g)->n, 0);
	mig_revlist_release(&heads);
	mig_revgraph_free(g);
	g = NULL;

	struct mig_revblob broken[] = {
		{ "v/" A "_x.yaml", a, strlen(a) },
		{ "v/" C "_z.yaml", bad, strlen(bad) },
		{ "v/other.yaml", a, strlen(a) },
	};
	mig_assert_fails_with(mig_revgraph_load_blobs(&g, broken, 3, NULL),
			      "v/other.yaml:1:11: revision 'aaaa00000001' does not match the file "
			      "name 'other.yaml'");
	mig_assert_fails_with(mig_revgraph_load_blobs(&g, broken, 2, NULL),
			      "v/cccc00000003_z.yaml:2:16: down_revision 'ffff' names no revision");
	assert_null(g);
	mig_assert_ok(mig_revgraph_load_blobs(&g, NULL, 0, NULL));
	assert_int_equal(mig_revgraph_count(g), 0);
	mig_revgraph_free(g);
	free(copy);
}

/* ---- check --base ---- */

static void test_gitcheck_clean_branch(void **state)
{
	struct fx *f = *state;
	repo_with_a(f);
	rev(f, B, A, "add email");
	commit(f, "two");
	char *mb = sh_out(f, "git merge-base HEAD main");

	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_string_equal(f->report.ref, "main");
	assert_string_equal(f->report.merge_base, mb);
	assert_int_equal(f->report.findings.n, 0);
	assert_int_equal(f->report.added.n, 1);
	assert_string_equal(f->report.added.v[0].path, "db/versions/" B "_rev.yaml");
	char *want = xasprintf("this branch adds 1 revision to main (merge base %.12s):\n"
			       "  " A " -> " B ", add email\n",
			       mb);
	assert_string_equal(format(f, MIG_REPORT_TEXT), want);
	free(want);

	/* on main itself, with a new file not yet committed */
	mig_report_release(&f->report);
	git(f, "checkout -q main");
	rev(f, C, A, "add phone");
	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_int_equal(f->report.findings.n, 0);
	assert_int_equal(f->report.added.n, 1);
	assert_string_equal(f->report.added.v[0].id, C);
	free(mb);
}

static void test_gitcheck_history_rewrite(void **state)
{
	struct fx *f = *state;
	repo_with_a(f);
	git(f, "checkout -q main");
	rev(f, B, A, "add email");
	commit(f, "two");
	git(f, "checkout -q feature && git merge -q --ff-only main");
	char *mb = sh_out(f, "git merge-base HEAD main");
	/* line 3 changes; B goes (C, based on it, stays: the check must not
	 * need a working graph) */
	free(mig_test_write(f->versions, A "_rev.yaml",
			    "revision: " A "\n"
			    "down_revision: null\n"
			    "message: create all users\n"
			    "upgrade:\n"
			    "  - create_table: {name: t_" A ", columns: {id: integer}}\n"
			    "downgrade:\n"
			    "  - drop_table: {name: t_" A "}\n"));
	rm_rev(f, B);
	rev(f, C, B, "on b");

	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	char *want = xasprintf(
		"this branch adds 1 revision to main (merge base %.12s):\n"
		"  " B " -> " C ", on b\n"
		"db/versions/" A "_rev.yaml:3: history rewrite: revision " A " was edited, "
		"but it is in main (merge base %.12s) as it was; restore it with 'git "
		"checkout %.12s -- db/versions/" A "_rev.yaml' and make the change in a new "
		"revision\n"
		"db/versions/" B "_rev.yaml: history rewrite: revision " B " was deleted, "
		"but it is in main (merge base %.12s); restore it with 'git checkout %.12s -- "
		"db/versions/" B "_rev.yaml'\n",
		mb, mb, mb, mb, mb);
	assert_string_equal(format(f, MIG_REPORT_TEXT), want);
	assert_int_equal(f->report.findings.v[0].kind, MIG_FINDING_HISTORY_REWRITE);
	assert_int_equal(f->report.findings.v[0].line, 3);
	assert_int_equal(mig_report_errors(&f->report), 2);

	/* committed on the branch: the same */
	mig_report_release(&f->report);
	commit(f, "rewrite");
	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_string_equal(format(f, MIG_REPORT_TEXT), want);
	free(want);
	free(mb);
}

/* main moved on (C on A) while the branch added B on A. */
static void test_gitcheck_stale_branch(void **state)
{
	struct fx *f = *state;
	repo_with_a(f);
	rev(f, B, A, "add email");
	commit(f, "b");
	git(f, "checkout -q main");
	rev(f, C, A, "add phone");
	commit(f, "c");
	git(f, "checkout -q feature");
	char *mb = sh_out(f, "git merge-base HEAD main");

	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	char *want = xasprintf(
		"this branch adds 1 revision to main (merge base %.12s):\n"
		"  " A " -> " B ", add email\n"
		"db/versions/" B "_rev.yaml:2:16: stale branch: revision " B " is based on " A
		", which is no longer a head on main (" C " is the head there); bring main into "
		"this branch and set down_revision: " C "\n"
		"db/versions/" B "_rev.yaml:1:11: multiple heads after merging with main: " B
		" (this branch), " C " (main); bring main into this branch and run 'migrate merge "
		"heads -m \"merge\"'\n"
		"db/versions/" C "_rev.yaml:1:11: multiple heads after merging with main: " B
		" (this branch), " C " (main); bring main into this branch and run 'migrate merge "
		"heads -m \"merge\"'\n",
		mb);
	assert_string_equal(format(f, MIG_REPORT_TEXT), want);
	assert_int_equal(f->report.findings.v[0].kind, MIG_FINDING_STALE_BRANCH);
	assert_int_equal(f->report.findings.v[1].kind, MIG_FINDING_MULTIPLE_HEADS);
	free(want);
	free(mb);

	/* main merged in and the heads merged: nothing to report */
	mig_report_release(&f->report);
	git(f, "merge -q --no-edit main");
	rev(f, M, B ", " C, "merge");
	commit(f, "merge heads");
	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_int_equal(f->report.findings.n, 0);
	assert_int_equal(f->report.added.n, 2);
	assert_string_equal(f->report.added.v[0].id, B);
	assert_string_equal(f->report.added.v[1].id, M);

	/* or rebased: B on C */
	mig_report_release(&f->report);
	git(f, "reset -q --hard main");
	rev(f, B, C, "add email");
	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_int_equal(f->report.findings.n, 0);
	assert_int_equal(f->report.added.n, 1);
}

/* Two heads made on the branch itself, and a second root. */
static void test_gitcheck_branch_heads(void **state)
{
	struct fx *f = *state;
	repo_with_a(f);
	rev(f, B, A, "one");
	rev(f, D, A, "two");

	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_int_equal(f->report.findings.n, 2);
	assert_string_equal(f->report.findings.v[0].file, "db/versions/" B "_rev.yaml");
	assert_string_equal(f->report.findings.v[1].file, "db/versions/" D "_rev.yaml");
	assert_string_equal(f->report.findings.v[1].message,
			    "multiple heads after merging with main: " B " (this branch), " D
			    " (this branch); run 'migrate merge heads -m \"merge\"'");

	mig_report_release(&f->report);
	rm_rev(f, B);
	rm_rev(f, D);
	rev(f, C, "", "another root");
	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_int_equal(f->report.findings.n, 2);
	assert_string_equal(f->report.findings.v[0].message,
			    "multiple heads after merging with main: " A " (main), " C
			    " (this branch); run 'migrate merge heads -m \"merge\"'");
}

/* Two heads kept on purpose on main: a branch that adds no head is fine,
 * one that adds a third is not. */
static void test_gitcheck_heads_on_purpose(void **state)
{
	struct fx *f = *state;
	git(f, "init -q -b main .");
	rev(f, A, "", "one");
	rev(f, C, "", "other root");
	commit(f, "two roots");
	git(f, "checkout -q -b feature");
	rev(f, B, A, "on a");
	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_int_equal(f->report.findings.n, 0);

	mig_report_release(&f->report);
	rev(f, D, A, "also on a");
	mig_assert_ok(mig_gitcheck_base(&f->cfg, "main", &f->report));
	assert_int_equal(f->report.findings.n, 3);
	assert_string_equal(f->report.findings.v[0].message,
			    "multiple heads after merging with main: " B " (this branch), " C
			    " (main), " D " (this branch); run 'migrate merge heads -m \"merge\"'");
}

static void test_gitcheck_errors(void **state)
{
	struct fx *f = *state;
	char *want = xasprintf("'%s' is not in a git repository (--base compares the revision "
			       "files with a git ref)",
			       f->versions);
	mig_assert_fails_with(mig_gitcheck_base(&f->cfg, "main", &f->report), want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	free(want);

	repo_with_a(f);
	mig_assert_fails_with(mig_gitcheck_base(&f->cfg, "nope", &f->report),
			      "cannot resolve 'nope': revspec 'nope' not found (a CI checkout "
			      "needs the whole history: fetch-depth: 0, or GIT_DEPTH: 0)");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);

	/* an unrelated history */
	git(f, "checkout -q --orphan other && git rm -rq --cached . && "
	       "git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m x");
	mig_assert_fails_with(mig_gitcheck_base(&f->cfg, "main", &f->report),
			      "HEAD and 'main' have no common ancestor (in a shallow clone, fetch "
			      "the whole history: git fetch --unshallow, or fetch-depth: 0)");

	/* a broken file of the working tree */
	git(f, "checkout -q -f feature");
	free(mig_test_write(f->versions, B "_rev.yaml", "revision: [\n"));
	mig_assert_fails_with(mig_gitcheck_base(&f->cfg, "main", &f->report), NULL);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
}

#if MIG_HAVE_SQLITE
/* verify on an SQLite file, upgraded by the runner. */
static void test_gitcheck_verify(void **state)
{
	struct fx *f = *state;
	struct mig_revgraph *g = NULL;
	struct mig_db *db = NULL;
	struct mig_rows rows = MIG_ROWS_INIT;
	const char *head = "head";
	struct mig_run_opts o = { 0 };
	char *url = xasprintf("sqlite:///%s/app.db", f->dir);

	repo_with_a(f);
	rev(f, B, A, "add email");
	commit(f, "b");
	mig_assert_ok(mig_db_open(&db, url));

	/* no migrate_history yet */
	mig_assert_ok(mig_revgraph_load_config(&g, &f->cfg));
	mig_assert_ok(mig_gitcheck_verify(db, g, &f->cfg, &f->report));
	assert_string_equal(format(f, MIG_REPORT_TEXT),
			    "note: the database has no migrate_history table, so there is nothing "
			    "to verify (the next upgrade, downgrade or stamp creates it)\n");
	assert_int_equal(mig_report_errors(&f->report), 0);
	mig_report_release(&f->report);

	o.mode = MIG_RUN_UPGRADE;
	o.targets = &head;
	o.ntargets = 1;
	o.applied_by = "tester@host";
	mig_assert_ok(mig_run(db, NULL, g, &f->cfg, &o));
	mig_assert_ok(mig_gitcheck_verify(db, g, &f->cfg, &f->report));
	assert_string_equal(format(f, MIG_REPORT_TEXT),
			    "all 2 applied revisions match their files\n");
	mig_report_release(&f->report);

	mig_assert_ok(mig_db_query(
		db, "SELECT applied_at FROM migrate_history WHERE revision = '" B "'", &rows));
	char *at = xstrdup(mig_rows_get(&rows, 0, 0));
	mig_rows_release(&rows);
	char *blob = sh_out(f, "git rev-parse HEAD:db/versions/" B "_rev.yaml");
	rev(f, B, A, "add e-mail");
	mig_assert_ok(mig_gitcheck_verify(db, g, &f->cfg, &f->report));
	char *want = xasprintf("db/versions/" B "_rev.yaml:3: applied revision " B " changed since "
			       "it was applied on %s UTC by tester@host; restore it with 'git show "
			       "%.12s > db/versions/" B "_rev.yaml' and make the change in a new "
			       "revision\n",
			       at, blob);
	assert_string_equal(format(f, MIG_REPORT_TEXT), want);
	assert_int_equal(f->report.verified, 2);
	assert_int_equal(mig_report_errors(&f->report), 1);
	free(want);
	mig_report_release(&f->report);

	/* a revision applied but never committed: no blob to compare with */
	rev(f, B, A, "add email");
	rev(f, C, B, "add phone");
	char *sum = sh_out(f, "git hash-object db/versions/" C "_rev.yaml");
	mig_revgraph_free(g);
	mig_assert_ok(mig_revgraph_load_config(&g, &f->cfg));
	mig_assert_ok(mig_run(db, NULL, g, &f->cfg, &o));
	rev(f, C, B, "add phone number");
	mig_assert_ok(mig_gitcheck_verify(db, g, &f->cfg, &f->report));
	assert_int_equal(f->report.findings.n, 1);
	assert_int_equal(f->report.findings.v[0].line, 0);
	want = xasprintf("applied revision " C " changed since it was applied on %s UTC by "
			 "tester@host (it was blob %s then); restore it as it was and make the "
			 "change in a new revision",
			 "X", sum);
	/* the time of the second run differs: compare the rest */
	const char *msg = f->report.findings.v[0].message;
	assert_true(
		mig_starts_with(msg, "applied revision " C " changed since it was applied on "));
	assert_non_null(strstr(msg, " UTC by tester@host (it was blob "));
	assert_true(mig_ends_with(want, strstr(msg, " (it was blob ")));
	free(want);
	mig_report_release(&f->report);

	/* the head's file removed: its version row has no file */
	rm_rev(f, C);
	mig_revgraph_free(g);
	mig_assert_ok(mig_revgraph_load_config(&g, &f->cfg));
	mig_assert_ok(mig_gitcheck_verify(db, g, &f->cfg, &f->report));
	assert_string_equal(format(f, MIG_REPORT_TEXT),
			    "applied revision " C " has no revision file\n");
	assert_int_equal(f->report.verified, 0);
	assert_string_equal(format(f, MIG_REPORT_JSON),
			    "{\"verified\": 0, \"findings\": [\n"
			    "  {\"kind\": \"applied-without-file\", \"severity\": \"error\", "
			    "\"file\": null, \"repo_file\": null, \"line\": null, "
			    "\"column\": null, "
			    "\"message\": \"applied revision " C " has no revision file\"}\n"
			    "], \"errors\": 1}\n");
	mig_report_release(&f->report);

	/* stamped: only the stamped revision has a checksum */
	mig_assert_ok(mig_db_exec(db, "DELETE FROM migrate_history"));
	mig_assert_ok(mig_db_exec(db, "DELETE FROM migrate_version"));
	o.mode = MIG_RUN_STAMP;
	mig_assert_ok(mig_run(db, NULL, g, &f->cfg, &o));
	mig_assert_ok(mig_gitcheck_verify(db, g, &f->cfg, &f->report));
	assert_string_equal(format(f, MIG_REPORT_TEXT),
			    "note: 1 applied revision has no checksum in migrate_history (applied "
			    "before it recorded one, or below a stamped revision) and was not "
			    "verified\n"
			    "the 1 applied revision matches its file\n");

	free(sum);
	free(blob);
	free(at);
	mig_db_close(db);
	mig_revgraph_free(g);
	free(url);
}
#endif

/* ---- the schema the revisions produce, drift ---- */

/* Write the revision file of id with the upgrade ops given (YAML lines at
 * indent 2). */
static void rev_ops(struct fx *f, const char *id, const char *down, const char *ops)
{
	char *name = xasprintf("%s_rev.yaml", id);
	char *text = xasprintf("revision: %s\ndown_revision: %s\nmessage: m\nupgrade:\n%s"
			       "downgrade: []\n",
			       id, *down ? down : "null", ops);
	free(mig_test_write(f->versions, name, text));
	free(text);
	free(name);
}

static void test_gitcheck_offline_schema(void **state)
{
	struct fx *f = *state;
	struct mig_revgraph *g = NULL;
	struct mig_schema *s = NULL;
	size_t nsql = 99;

	rev(f, A, "", "a");
	rev(f, B, A, "b");
	mig_assert_ok(mig_revgraph_load_config(&g, &f->cfg));
	mig_assert_ok(mig_gitcheck_offline_schema(g, &s, &nsql));
	assert_int_equal(nsql, 0);
	assert_int_equal(s->tables.n, 2);
	assert_non_null(mig_schema_find_table(s, NULL, "t_" A));
	assert_non_null(mig_schema_find_table(s, NULL, "t_" B));
	mig_schema_free(s);
	mig_revgraph_free(g);

	/* an sql op: counted, and what no longer fits after it is skipped */
	rev_ops(f, C, B,
		"  - sql: CREATE TABLE made_by_sql (id integer)\n"
		"  - drop_table: {name: made_by_sql}\n"
		"  - add_column: {table: t_" A ", column: {name: x, type: integer}}\n");
	mig_assert_ok(mig_revgraph_load_config(&g, &f->cfg));
	mig_assert_ok(mig_gitcheck_offline_schema(g, &s, &nsql));
	assert_int_equal(nsql, 1);
	assert_non_null(mig_table_find_column(mig_schema_find_table(s, NULL, "t_" A), "x"));
	mig_schema_free(s);
	mig_revgraph_free(g);

	/* before any sql op, an op that does not fit is an error */
	rev_ops(f, C, B, "  - drop_table: {name: nowhere}\n");
	mig_assert_ok(mig_revgraph_load_config(&g, &f->cfg));
	s = NULL;
	char *want =
		xasprintf("%s/" C "_rev.yaml:5:5: drop_table: no table 'nowhere'", f->versions);
	mig_assert_fails_with(mig_gitcheck_offline_schema(g, &s, NULL), want);
	assert_null(s);
	free(want);
	mig_revgraph_free(g);
}

#if MIG_HAVE_SQLITE
static void test_gitcheck_scratch_and_drift(void **state)
{
	struct fx *f = *state;
	struct mig_revgraph *g = NULL;
	struct mig_schema *scratch = NULL, *offline = NULL, *declared = NULL, *live = NULL;
	const struct mig_dialect_impl *impl = NULL;
	struct mig_db *db = NULL;
	struct mig_compare_opts copts;
	struct mig_reflect_opts ropts = { 0 };
	char *url = xasprintf("sqlite:///%s/app.db", f->dir);
	char *file = xasprintf("%s/app.db", f->dir);
	const char *head = "head";
	struct mig_run_opts o = { 0 };

	rev(f, A, "", "a");
	rev_ops(f, B, A, "  - sql: CREATE TABLE made_by_sql (id integer)\n");
	mig_assert_ok(mig_revgraph_load_config(&g, &f->cfg));
	mig_assert_ok(mig_gitcheck_scratch_schema(url, g, &f->cfg, &scratch, &impl));
	assert_string_equal(mig_dialect_name(impl), "sqlite");
	assert_false(mig_path_exists(file)); /* an in-memory database, not the file */
	assert_int_equal(scratch->tables.n, 2);
	assert_non_null(mig_schema_find_table(scratch, NULL, "t_" A));
	assert_non_null(mig_schema_find_table(scratch, NULL, "made_by_sql"));

	/* drift: the database upgraded, then changed by hand */
	mig_assert_ok(mig_db_open(&db, url));
	o.mode = MIG_RUN_UPGRADE;
	o.targets = &head;
	o.ntargets = 1;
	mig_assert_ok(mig_run(db, NULL, g, &f->cfg, &o));
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE stray (id integer)"));
	mig_assert_ok(mig_db_exec(db, "CREATE TABLE modelled (id integer)"));
	mig_assert_ok(mig_db_exec(db, "ALTER TABLE t_" A " ADD COLUMN extra integer"));
	mig_assert_ok(mig_db_exec(db, "CREATE INDEX ix_stray ON t_" A " (id)"));
	ropts.version_table = "migrate_version";
	mig_assert_ok(mig_db_reflect(db, &ropts, &live));
	mig_assert_ok(mig_gitcheck_offline_schema(g, &offline, NULL));
	mig_assert_ok(mig_model_load_string("models.yaml",
					    "tables:\n"
					    "  t_" A ":\n"
					    "    columns:\n"
					    "      id: {type: integer, primary_key: true}\n"
					    "  modelled:\n"
					    "    columns:\n"
					    "      id: integer\n",
					    &declared));
	mig_compare_opts_init(&copts);
	mig_assert_ok(mig_gitcheck_drift(mig_db_dialect(db), live, offline, declared, &copts, false,
					 &f->report));
	assert_string_equal(format(f, MIG_REPORT_TEXT),
			    "drift: index 'ix_stray' on 't_" A "' is in the database, but neither "
			    "the revisions nor the models have it\n"
			    "drift: column 't_" A ".extra' is in the database, but neither the "
			    "revisions nor the models have it\n"
			    "drift: table 'made_by_sql' is in the database, but neither the "
			    "revisions nor the models have it\n"
			    "drift: table 'stray' is in the database, but neither the revisions "
			    "nor the models have it\n");
	mig_report_release(&f->report);
	/* approximate (made_by_sql comes from an sql op the offline schema cannot
	 * follow): warnings */
	mig_assert_ok(mig_gitcheck_drift(mig_db_dialect(db), live, offline, declared, &copts, true,
					 &f->report));
	assert_int_equal(f->report.findings.n, 4);
	assert_int_equal(mig_report_errors(&f->report), 0);
	assert_int_equal(f->report.findings.v[0].severity, MIG_SEVERITY_WARNING);

	mig_schema_free(live);
	mig_schema_free(declared);
	mig_schema_free(offline);
	mig_schema_free(scratch);
	mig_db_close(db);
	mig_revgraph_free(g);
	free(file);
	free(url);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gitcheck_report_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_report_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_report_verified, setup, teardown),
		cmocka_unit_test(test_gitcheck_first_changed_line),
		cmocka_unit_test(test_gitcheck_load_blobs),
		cmocka_unit_test_setup_teardown(test_gitcheck_clean_branch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_history_rewrite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_stale_branch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_branch_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_heads_on_purpose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_offline_schema, setup, teardown),
#if MIG_HAVE_SQLITE
		cmocka_unit_test_setup_teardown(test_gitcheck_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitcheck_scratch_and_drift, setup, teardown),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
