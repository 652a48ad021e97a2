/* Unit tests for lib/revgraph.c: loading and graph errors, target resolution,
 * history ranges, upgrade and downgrade paths, output.
 *
 * The fixture graph (file order = id order):
 *
 *   1a01 -> 2b02 (branchpoint) -> 3c03 [feature] -> 4d04 ---\
 *                             \-> 5e05 -------------------> 6f06 (merge) -> 7a07 (branchpoint)
 *   7a07 -> 8b08 [reports] -> 8b09 (head)
 *   7a07 -> 9c10 (head), depends_on reports (8b08)
 *   ab11 [audit] (a second base) -> ab12 (head), depends_on 2b02
 *
 * (ids are 12 characters: 1a0000000001 …) */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A1 "1a0000000001"
#define A2 "2b0000000002"
#define B1 "3c0000000003"
#define B2 "4d0000000004"
#define C1 "5e0000000005"
#define M1 "6f0000000006"
#define D1 "7a0000000007"
#define E1 "8b0000000008"
#define E2 "8b0000000009"
#define F1 "9c0000000010"
#define X1 "ab0000000011"
#define X2 "ab0000000012"

static char *tmp;
static struct mig_revgraph *graph;

static void write_rev(const char *dir, const char *id, const char *down, const char *extra,
		      const char *msg)
{
	char *name = xasprintf("%s_%s.yaml", id, "rev");
	char *text = xasprintf("revision: %s\n"
			       "down_revision: %s\n"
			       "%s"
			       "message: %s\n"
			       "create_date: 2026-01-01 00:00:00.000000\n"
			       "upgrade: []\n"
			       "downgrade: []\n",
			       id, down, extra ? extra : "", msg);
	free(mig_test_write(dir, name, text));
	free(text);
	free(name);
}

static int load_dir(const char *dir, struct mig_revgraph **g)
{
	struct mig_strlist dirs = MIG_STRLIST_INIT;
	mig_strlist_push(&dirs, dir);
	int rc = mig_revgraph_load(g, &dirs, NULL);
	mig_strlist_release(&dirs);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	tmp = mig_test_tmpdir();
	char *v = mig_path_join(tmp, "versions");
	write_rev(v, A1, "null", NULL, "create users");
	write_rev(v, A2, A1, NULL, "add email");
	write_rev(v, B1, A2, "branch_labels: [feature]\n", "feature one");
	write_rev(v, B2, B1, NULL, "feature two");
	write_rev(v, C1, A2, NULL, "hotfix");
	write_rev(v, M1, "[" B2 ", " C1 "]", NULL, "merge feature and hotfix");
	write_rev(v, D1, M1, NULL, "after merge");
	write_rev(v, E1, D1, "branch_labels: [reports]\n", "reports one");
	write_rev(v, E2, E1, NULL, "reports two");
	write_rev(v, F1, D1, "depends_on: [reports]\n", "uses reports");
	write_rev(v, X1, "null", "branch_labels: [audit]\n", "audit base");
	write_rev(v, X2, X1, "depends_on: [" A2 "]\n", "audit two");
	mig_assert_ok(load_dir(v, &graph));
	free(v);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mig_revgraph_free(graph);
	mig_test_rmtree(tmp);
	free(tmp);
	return 0;
}

/* "a b c" of a list */
static char *ids(const struct mig_revlist *l)
{
	struct mig_str s = MIG_STR_INIT;
	for (size_t i = 0; i < l->n; i++) {
		mig_str_addf(&s, "%s%s", i ? " " : "", l->v[i]->id);
	}
	return mig_str_detach(&s);
}

/* A list of revisions from "a b c" (ids of the fixture). */
static void revs(struct mig_revlist *out, const char *spec)
{
	char *copy = xstrdup(spec);
	for (char *t = strtok(copy, " "); t; t = strtok(NULL, " ")) {
		const struct mig_revision *r = mig_revgraph_get(graph, t);
		assert_non_null(r);
		mig_vec_push(out, r);
	}
	free(copy);
}

/* Resolve target with the current heads cur (NULL: no database). */
static void resolves(const char *target, const char *cur, const char *want)
{
	struct mig_revlist c = MIG_REVLIST_INIT, out = MIG_REVLIST_INIT;
	if (cur) {
		revs(&c, cur);
	}
	int rc = mig_revgraph_resolve(graph, target, cur ? &c : NULL, &out);
	if (rc < 0) {
		print_error("resolving '%s' failed: %s\n", target, mig_error_last());
		fail();
	}
	char *got = ids(&out);
	if (strcmp(got, want) != 0) {
		print_error("'%s' resolved to '%s', expected '%s'\n", target, got, want);
		fail();
	}
	free(got);
	mig_revlist_release(&c);
	mig_revlist_release(&out);
}

static void fails(const char *target, const char *cur, int code, const char *want)
{
	struct mig_revlist c = MIG_REVLIST_INIT, out = MIG_REVLIST_INIT;
	if (cur) {
		revs(&c, cur);
	}
	int rc = mig_revgraph_resolve(graph, target, cur ? &c : NULL, &out);
	if (rc >= 0) {
		char *got = ids(&out);
		print_error("'%s' resolved to '%s', expected failure '%s'\n", target, got, want);
		fail();
	}
	mig_assert_fails_at(rc, want, target, __FILE__, __LINE__);
	assert_int_equal(rc, code);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	mig_revlist_release(&c);
	mig_revlist_release(&out);
}

static void test_revgraph_shape(void **state)
{
	(void)state;
	struct mig_revlist l = MIG_REVLIST_INIT;
	assert_int_equal(mig_revgraph_count(graph), 12);
	mig_revgraph_heads(graph, false, &l);
	char *s = ids(&l);
	assert_string_equal(s, E2 " " F1 " " X2);
	free(s);
	mig_revlist_release(&l);
	mig_revgraph_heads(graph, true, &l);
	s = ids(&l);
	assert_string_equal(s, E2 " " F1 " " X2);
	free(s);
	mig_revlist_release(&l);
	mig_revgraph_bases(graph, &l);
	s = ids(&l);
	assert_string_equal(s, A1 " " X1);
	free(s);
	mig_revlist_release(&l);

	const struct mig_revision *a2 = mig_revgraph_get(graph, A2);
	assert_true(mig_revision_is_branch_point(a2));
	assert_int_equal(a2->ndependents, 1);
	assert_true(mig_revision_is_merge_point(mig_revgraph_get(graph, M1)));
	assert_ptr_equal(mig_revgraph_label(graph, "reports"), mig_revgraph_get(graph, E1));
	assert_null(mig_revgraph_label(graph, "nope"));
	assert_null(mig_revgraph_get(graph, "1a00"));

	/* labels cover their branch: from the branch point up, through merges */
	const struct mig_revision *e1 = mig_revgraph_get(graph, E1);
	assert_int_equal(e1->nlabels, 2);
	assert_string_equal(e1->labels[0], "feature");
	assert_string_equal(e1->labels[1], "reports");
	assert_int_equal(a2->nlabels, 0);
	assert_int_equal(mig_revgraph_get(graph, C1)->nlabels, 0);
	assert_int_equal(mig_revgraph_get(graph, X2)->nlabels, 1);

	mig_revgraph_walk(graph, &l);
	s = ids(&l);
	assert_string_equal(s, E2 " " F1 " " E1 " " D1 " " M1 " " B2 " " B1 " " C1 " " X2 " " X1
			       " " A2 " " A1);
	free(s);
	mig_revlist_release(&l);
}

static void test_revgraph_resolve_ids(void **state)
{
	(void)state;
	resolves(D1, NULL, D1);
	resolves("7a00", NULL, D1);
	resolves("7a000000000", NULL, D1);
	resolves("feature", NULL, B1);
	resolves("audit", NULL, X1);
	resolves("base", NULL, "");
	resolves("heads", NULL, E2 " " F1 " " X2);
	resolves("current", A2 " " X1, A2 " " X1);
	fails("8b00", NULL, MIG_EAMBIGUOUS,
	      "multiple revisions start with '8b00': " E1 ", " E2);
	fails("7a0", NULL, MIG_ENOTFOUND,
	      "no such revision or branch '7a0' (a partial revision id needs at least four "
	      "characters)");
	fails("ffff", NULL, MIG_ENOTFOUND, "no such revision or branch 'ffff'");
	fails("7A00", NULL, MIG_ENOTFOUND, "no such revision or branch '7A00'");
	fails("head", NULL, MIG_EMULTIHEAD,
	      "multiple heads are present for 'head': " E2 ", " F1 ", " X2
	      "; use 'heads', '<label>@head' or a revision id, or merge them with 'migrate "
	      "merge heads'");
	fails("current", NULL, MIG_ERROR, "target 'current' needs the database's current revision");
	fails("", NULL, MIG_ERROR, "empty revision target");
}

static void test_revgraph_resolve_branches(void **state)
{
	(void)state;
	resolves("reports@head", NULL, E2);
	resolves("audit@head", NULL, X2);
	resolves("feature@heads", NULL, E2 " " F1);
	resolves("audit@base", NULL, "");
	resolves("feature@4d00", NULL, B2);
	resolves("feature@" D1, NULL, D1);
	resolves("reports@" A1, NULL, A1); /* an ancestor shares the lineage */
	resolves(E1 "@head", NULL, E2);    /* a revision id stands for its branch */
	fails("feature@head", NULL, MIG_EMULTIHEAD,
	      "multiple heads are present for 'feature@head': " E2 ", " F1
	      "; use 'heads', '<label>@head' or a revision id, or merge them with 'migrate "
	      "merge heads'");
	fails("nosuch@head", NULL, MIG_ENOTFOUND, "no such branch 'nosuch'");
	fails("audit@" A2, NULL, MIG_ERROR,
	      "revision '" A2 "' is not a member of branch 'audit'");
	fails("feature@5e00", NULL, MIG_ENOTFOUND, "no such revision or branch '5e00'");
	fails("feature@" C1, NULL, MIG_ERROR,
	      "revision '" C1 "' is not a member of branch 'feature'");
	fails("x@", NULL, MIG_ERROR, "invalid revision target 'x@'");
	fails("@head", NULL, MIG_ERROR, "invalid revision target '@head'");
}

static void test_revgraph_resolve_relative(void **state)
{
	(void)state;
	resolves("+1", A1, A2);
	resolves("-1", A2, A1);
	resolves("-2", A2, "");
	resolves("+0", A2, A2);
	resolves(B2 "+1", NULL, M1);
	resolves(B2 "+2", NULL, D1);
	resolves("5e00+1", NULL, M1);
	resolves(D1 "-1", NULL, M1);
	resolves(E2 "-2", NULL, D1);
	resolves("audit@head-1", NULL, X1);
	resolves("audit@base+1", NULL, X1);
	resolves("audit@+1", A2, X1);
	resolves("audit@+2", A2, X2);
	resolves("audit@+1", X1, X2);
	resolves("reports@-1", E2 " " F1, E1);
	resolves("feature@" A2 "+1", NULL, B1);
	resolves("-1", X2, X1);
	fails("-3", A2, MIG_ERROR,
	      "relative target '-3' goes past the base: only 2 step(s) down from '" A2 "'");
	fails("+1", D1, MIG_ERROR,
	      "relative target '+1' is ambiguous: '" D1 "' is a branch point (" E1 ", " F1
	      "); use '<label>@+N' or '<id>+N'");
	fails("+2", A1, MIG_ERROR,
	      "relative target '+2' is ambiguous: '" A2 "' is a branch point (" B1 ", " C1
	      "); use '<label>@+N' or '<id>+N'");
	fails("-1", E2 " " F1, MIG_ERROR,
	      "relative target '-1' is ambiguous: there are several current heads (" E2 ", " F1
	      "); use '<label>@-1' or '<id>-1'");
	fails("+1", NULL, MIG_ERROR,
	      "relative target '+1' is ambiguous: there are several current heads (" E2 ", " F1
	      ", " X2 "); use '<label>@+1' or '<id>+1'");
	fails(M1 "-1", NULL, MIG_ERROR,
	      "relative target '" M1 "-1' is ambiguous: '" M1 "' is a merge point; use "
	      "'<id>-N' from one of its down revisions");
	fails("base+1", NULL, MIG_ERROR,
	      "relative target 'base+1' is ambiguous: there are several bases (" A1 ", " X1
	      "); use '<label>@+N' or '<id>+N'");
	fails("audit@+3", A2, MIG_ERROR,
	      "relative target 'audit@+3' goes past the head: only 2 step(s) up from base");
	fails("head-1", NULL, MIG_EMULTIHEAD,
	      "multiple heads are present for 'head-1': " E2 ", " F1 ", " X2
	      "; use 'heads', '<label>@head' or a revision id, or merge them with 'migrate "
	      "merge heads'");
	fails("-1", "", MIG_ERROR, "relative target '-1' goes past the base: nothing is applied");

	const struct mig_revision *r = NULL;
	mig_assert_ok(mig_revgraph_resolve_one(graph, "reports@head", NULL, &r));
	assert_string_equal(r->id, E2);
	mig_assert_ok(mig_revgraph_resolve_one(graph, "base", NULL, &r));
	assert_null(r);
	mig_assert_fails_with(mig_revgraph_resolve_one(graph, "feature@heads", NULL, &r),
			      "multiple heads are present for 'feature@heads': " E2 ", " F1
			      "; use 'heads', '<label>@head' or a revision id, or merge them with "
			      "'migrate merge heads'");
}

static void history_is(const char *range, const char *want)
{
	struct mig_revlist out = MIG_REVLIST_INIT;
	int rc = mig_revgraph_history(graph, range, NULL, &out);
	if (rc < 0) {
		print_error("history '%s' failed: %s\n", range, mig_error_last());
		fail();
	}
	char *got = ids(&out);
	if (strcmp(got, want) != 0) {
		print_error("history '%s' is '%s', expected '%s'\n", range, got, want);
		fail();
	}
	free(got);
	mig_revlist_release(&out);
}

static void test_revgraph_history(void **state)
{
	(void)state;
	struct mig_revlist out = MIG_REVLIST_INIT;
	history_is(D1 ":", E2 " " F1 " " E1 " " D1);
	history_is(":4d00", B2 " " B1 " " A2 " " A1);
	history_is("5e00:" D1, D1 " " M1 " " C1);
	history_is("-2:reports@head", E2 " " E1 " " D1);
	history_is(A1 ":+1", A2 " " A1);
	history_is(X1 ":+5", X2 " " X1);
	history_is("audit@base:", X2 " " X1);
	history_is(":", E2 " " F1 " " E1 " " D1 " " M1 " " B2 " " B1 " " C1 " " X2 " " X1 " " A2
			" " A1);
	mig_assert_fails_with(mig_revgraph_history(graph, "5e00:4d00", NULL, &out),
			      "revision '" C1 "' is not an ancestor of '" B2 "'");
	mig_assert_fails_with(mig_revgraph_history(graph, "abc", NULL, &out),
			      "invalid range 'abc': write [start]:[end], [start]: or :[end]");
	mig_assert_fails_with(mig_revgraph_history(graph, "-1:+1", NULL, &out),
			      "invalid range '-1:+1': at most one side may be relative to the "
			      "other");
	mig_assert_fails_with(mig_revgraph_history(graph, "zzzz:", NULL, &out),
			      "no such revision or branch 'zzzz'");
	assert_int_equal(out.n, 0);
	char *from, *to;
	mig_assert_ok(mig_revgraph_split_range(":x", &from, &to));
	assert_null(from);
	assert_string_equal(to, "x");
	free(to);
}

static void check_path(bool up, const char *cur, const char *target, const char *want_revs,
		       const char *want_heads)
{
	struct mig_revlist c = MIG_REVLIST_INIT;
	struct mig_plan plan = MIG_PLAN_INIT;
	revs(&c, cur);
	int rc = up ? mig_revgraph_plan_upgrade(graph, &c, target, &plan)
		    : mig_revgraph_plan_downgrade(graph, &c, target, &plan);
	if (rc < 0) {
		print_error("%s to '%s' failed: %s\n", up ? "upgrade" : "downgrade", target,
			    mig_error_last());
		fail();
	}
	struct mig_revlist steps = MIG_REVLIST_INIT;
	for (size_t i = 0; i < plan.steps.n; i++) {
		assert_true(plan.steps.v[i].upgrade == up);
		mig_vec_push(&steps, plan.steps.v[i].rev);
	}
	char *got = ids(&steps);
	if (strcmp(got, want_revs) != 0) {
		print_error("%s to '%s': '%s', expected '%s'\n", up ? "upgrade" : "downgrade",
			    target, got, want_revs);
		fail();
	}
	free(got);
	got = ids(&plan.heads);
	if (strcmp(got, want_heads) != 0) {
		print_error("%s to '%s' ends at '%s', expected '%s'\n",
			    up ? "upgrade" : "downgrade", target, got, want_heads);
		fail();
	}
	free(got);
	mig_revlist_release(&steps);
	mig_revlist_release(&c);
	mig_plan_release(&plan);
}

static void test_revgraph_upgrade(void **state)
{
	(void)state;
	check_path(true, "", "heads",
		   A1 " " A2 " " X1 " " X2 " " C1 " " B1 " " B2 " " M1 " " D1 " " E1 " " F1 " " E2,
		   X2 " " F1 " " E2);
	check_path(true, A2, "reports@head", C1 " " B1 " " B2 " " M1 " " D1 " " E1 " " E2, E2);
	check_path(true, B2, M1, C1 " " M1, M1);
	check_path(true, E2, F1, F1, E2 " " F1);
	check_path(true, E2, D1, "", E2); /* below current: nothing */
	check_path(true, "", "audit@head", A1 " " A2 " " X1 " " X2, A2 " " X2);
	check_path(true, A1, "+1", A2, A2);

	/* the steps and their version rows */
	struct mig_revlist c = MIG_REVLIST_INIT;
	struct mig_plan plan = MIG_PLAN_INIT;
	revs(&c, B2);
	mig_assert_ok(mig_revgraph_plan_upgrade(graph, &c, M1, &plan));
	assert_int_equal(plan.steps.n, 2);
	assert_int_equal(plan.steps.v[0].del.n, 0);
	assert_string_equal(plan.steps.v[0].ins.v[0]->id, C1);
	assert_int_equal(plan.steps.v[1].del.n, 2);
	assert_string_equal(plan.steps.v[1].del.v[0]->id, B2);
	assert_string_equal(plan.steps.v[1].del.v[1]->id, C1);
	assert_string_equal(plan.steps.v[1].ins.v[0]->id, M1);
	mig_plan_release(&plan);
	mig_revlist_release(&c);

	struct mig_revlist t = MIG_REVLIST_INIT, out = MIG_REVLIST_INIT;
	revs(&c, A1);
	revs(&t, M1);
	mig_assert_ok(mig_revgraph_upgrade_revs(graph, &c, &t, &out));
	char *s = ids(&out);
	assert_string_equal(s, A2 " " C1 " " B1 " " B2 " " M1);
	free(s);
	mig_revlist_release(&c);
	mig_revlist_release(&t);
	mig_revlist_release(&out);
}

static void test_revgraph_downgrade(void **state)
{
	(void)state;
	check_path(false, E2 " " F1 " " X2, D1, E2 " " F1 " " E1, X2 " " D1);
	check_path(false, E2 " " F1 " " X2, "base",
		   E2 " " F1 " " E1 " " D1 " " M1 " " B2 " " B1 " " C1 " " X2 " " X1 " " A2 " " A1,
		   "");
	check_path(false, E2 " " F1 " " X2, "audit@base", X2 " " X1, E2 " " F1);
	check_path(false, X2, "-1", X2, X1);
	check_path(false, X2, A1, X2 " " A2, X1 " " A1);
	check_path(false, M1, A2, M1 " " B2 " " B1 " " C1, A2);
	check_path(false, M1, "feature@" A2, M1 " " B2 " " B1, C1);
	check_path(false, E2, E2, "", E2);

	struct mig_revlist c = MIG_REVLIST_INIT;
	struct mig_plan plan = MIG_PLAN_INIT;
	revs(&c, X2);
	mig_assert_fails_with(mig_revgraph_plan_downgrade(graph, &c, A2, &plan),
			      "revision '" A2 "' is not a valid downgrade target from the current "
			      "head(s) (" X2 ")");
	mig_assert_fails_with(mig_revgraph_plan_downgrade(graph, &c, "heads", &plan),
			      NULL);
	mig_plan_release(&plan);
	mig_revlist_release(&c);

	struct mig_revlist rows = MIG_REVLIST_INIT;
	revs(&c, M1 " " X2);
	mig_revgraph_version_rows(graph, &c, &rows);
	char *s = ids(&rows);
	assert_string_equal(s, M1 " " X2);
	free(s);
	mig_revlist_release(&rows);
	mig_revlist_release(&c);
}

static void test_revgraph_current(void **state)
{
	(void)state;
	struct mig_strlist in = MIG_STRLIST_INIT;
	struct mig_revlist out = MIG_REVLIST_INIT;
	mig_strlist_push(&in, E2);
	mig_strlist_push(&in, X1);
	mig_assert_ok(mig_revgraph_current(graph, &in, &out));
	assert_int_equal(out.n, 2);
	mig_strlist_push(&in, "ffffffffffff");
	mig_assert_fails_with(mig_revgraph_current(graph, &in, &out),
			      "the database is at revision 'ffffffffffff', which no revision file "
			      "defines");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
	mig_strlist_release(&in);
	mig_revlist_release(&out);
}

static void fmt_is(const char *id, unsigned flags, const char *want)
{
	struct mig_str s = MIG_STR_INIT;
	mig_revision_format(&s, mig_revgraph_get(graph, id), flags);
	assert_string_equal(s.buf, want);
	mig_str_release(&s);
}

static void test_revgraph_format(void **state)
{
	(void)state;
	unsigned all = MIG_REVFMT_PARENTS | MIG_REVFMT_BRANCHES | MIG_REVFMT_HEAD |
		       MIG_REVFMT_TREE | MIG_REVFMT_DOC;
	fmt_is(M1, all, B2 ", " C1 " -> " M1 " (feature) (mergepoint), merge feature and hotfix");
	fmt_is(A2, all, A1 " -> " A2 " (branchpoint), add email");
	fmt_is(A1, all, "<base> -> " A1 ", create users");
	fmt_is(F1, all, D1 " (reports) -> " F1 " (feature) (head), uses reports");
	fmt_is(E2, MIG_REVFMT_BRANCHES | MIG_REVFMT_HEAD, E2 " (feature, reports) (head)");
	fmt_is(X2, MIG_REVFMT_HEAD, X2 " (head)");

	struct mig_str s = MIG_STR_INIT;
	mig_revision_format_entry(&s, mig_revgraph_get(graph, M1));
	char *want = xasprintf("Rev: " M1 " (mergepoint)\n"
			       "Merges: " B2 ", " C1 "\n"
			       "Branch names: feature\n"
			       "Path: %s/versions/" M1 "_rev.yaml\n"
			       "\n"
			       "    merge feature and hotfix\n"
			       "\n"
			       "    Revision ID: " M1 "\n"
			       "    Revises: " B2 ", " C1 "\n"
			       "    Create Date: 2026-01-01 00:00:00.000000\n",
			       tmp);
	assert_string_equal(s.buf, want);
	free(want);
	mig_str_reset(&s);
	mig_revision_format_entry(&s, mig_revgraph_get(graph, A2));
	want = xasprintf("Rev: " A2 " (branchpoint)\n"
			 "Parent: " A1 "\n"
			 "Branches into: " B1 ", " C1 "\n"
			 "Path: %s/versions/" A2 "_rev.yaml\n"
			 "\n"
			 "    add email\n"
			 "\n"
			 "    Revision ID: " A2 "\n"
			 "    Revises: " A1 "\n"
			 "    Create Date: 2026-01-01 00:00:00.000000\n",
			 tmp);
	assert_string_equal(s.buf, want);
	free(want);
	mig_str_reset(&s);
	mig_revision_format_json(&s, mig_revgraph_get(graph, F1));
	want = xasprintf("{\"revision\": \"" F1 "\", \"down_revisions\": [\"" D1 "\"], "
			 "\"branch_labels\": [\"feature\"], \"depends_on\": [\"reports\"], "
			 "\"message\": \"uses reports\", \"create_date\": \"2026-01-01 "
			 "00:00:00.000000\", \"path\": \"%s/versions/" F1 "_rev.yaml\", "
			 "\"is_head\": true, \"is_branch_point\": false, \"is_merge_point\": "
			 "false}",
			 tmp);
	assert_string_equal(s.buf, want);
	free(want);
	mig_str_release(&s);
}

/* A fresh folder with the given files, loaded; returns the load's result. */
static int load_files(const char *const *files, struct mig_revgraph **g, char **dir_out)
{
	char *dir = mig_test_tmpdir();
	for (size_t i = 0; files[i]; i += 2) {
		free(mig_test_write(dir, files[i], files[i + 1]));
	}
	int rc = load_dir(dir, g);
	*dir_out = dir;
	return rc;
}

static void graph_fails(const char *const *files, const char *want_fmt)
{
	struct mig_revgraph *g = NULL;
	char *dir = NULL;
	int rc = load_files(files, &g, &dir);
	/* want_fmt has %1$s for the folder */
	char *want = xasprintf(want_fmt, dir, dir, dir, dir);
	mig_assert_fails_with(rc, want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
	assert_null(g);
	free(want);
	mig_test_rmtree(dir);
	free(dir);
}

#define T "upgrade: []\ndowngrade: []\n"

static void test_revgraph_errors(void **state)
{
	(void)state;
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\ndown_revision: bbbb\n" T,
					   "bbbb_y.yaml", "revision: bbbb\ndown_revision: aaaa\n" T,
					   NULL },
		    "%s/aaaa_x.yaml:2:16: cycle in the revision graph: bbbb -> aaaa -> bbbb");
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\ndown_revision: null\n" T,
					   "bbbb_y.yaml",
					   "revision: bbbb\ndown_revision: [aaaa, dddd]\n" T,
					   "cccc_y.yaml", "revision: cccc\ndown_revision: bbbb\n" T,
					   "dddd_y.yaml", "revision: dddd\ndown_revision: null\n"
							  "depends_on: [cccc]\n" T,
					   NULL },
		    "%s/bbbb_y.yaml:2:16: cycle in the revision graph: cccc -> dddd -> bbbb -> "
		    "cccc");
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\ndown_revision: null\n" T,
					   "aaaa_y.yaml", "revision: aaaa\ndown_revision: null\n" T,
					   NULL },
		    "%s/aaaa_y.yaml:1:11: duplicate revision id 'aaaa' (also in '%s/aaaa_x.yaml')");
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\ndown_revision: ffff\n" T,
					   "bbbb_x.yaml",
					   "revision: bbbb\ndown_revision: [aaaa, eeee]\n" T,
					   NULL },
		    "%s/aaaa_x.yaml:2:16: down_revision 'ffff' names no revision\n"
		    "%s/bbbb_x.yaml:2:16: down_revision 'eeee' names no revision");
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\ndown_revision: null\n"
							  "depends_on: [gone]\n" T,
					   NULL },
		    "%s/aaaa_x.yaml:3:13: depends_on 'gone' names no revision or branch label");
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\ndown_revision: null\n"
							  "branch_labels: [feat]\n" T,
					   "bbbb_x.yaml", "revision: bbbb\ndown_revision: aaaa\n"
							  "branch_labels: [feat]\n" T,
					   NULL },
		    "%s/bbbb_x.yaml:3:16: branch label 'feat' is already used by revision 'aaaa' "
		    "('%s/aaaa_x.yaml')");
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\ndown_revision: null\n"
							  "branch_labels: [bbbb]\n" T,
					   "bbbb_x.yaml", "revision: bbbb\ndown_revision: aaaa\n" T,
					   NULL },
		    "%s/aaaa_x.yaml:3:16: branch label 'bbbb' is also a revision id");
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaab\ndown_revision: null\n" T,
					   NULL },
		    "%s/aaaa_x.yaml:1:11: revision 'aaab' does not match the file name "
		    "'aaaa_x.yaml'");
	/* file problems of every file come first, all of them */
	graph_fails((const char *const[]){ "aaaa_x.yaml", "revision: aaaa\n" T, "bbbb_x.yaml",
					   "revision: bbbb\ndown_revision: null\nnote: x\n" T,
					   NULL },
		    "%s/aaaa_x.yaml:1:1: missing required key 'down_revision'\n"
		    "%s/bbbb_x.yaml:3:1: unknown key 'note' in revision file (expected one of: "
		    "revision, down_revision, branch_labels, depends_on, message, create_date, "
		    "transactional, upgrade, downgrade)");

	/* an empty folder is an empty graph; a missing one is an error */
	struct mig_revgraph *g = NULL;
	char *dir = mig_test_tmpdir();
	mig_assert_ok(load_dir(dir, &g));
	assert_int_equal(mig_revgraph_count(g), 0);
	struct mig_revlist l = MIG_REVLIST_INIT;
	mig_assert_ok(mig_revgraph_resolve(g, "head", NULL, &l));
	mig_assert_ok(mig_revgraph_resolve(g, "heads", NULL, &l));
	assert_int_equal(l.n, 0);
	mig_revgraph_free(g);
	g = NULL;
	char *missing = mig_path_join(dir, "nope");
	char *want = xasprintf("cannot open directory '%s': No such file or directory", missing);
	mig_assert_fails_with(load_dir(missing, &g), want);
	free(want);
	free(missing);
	mig_test_rmtree(dir);
	free(dir);
}

/* 2,000 revisions in a chain with branch points: loading and resolving stay
 * linear (a quadratic walk would show here under valgrind). */
static void test_revgraph_large(void **state)
{
	(void)state;
	char *dir = mig_test_tmpdir();
	for (int i = 0; i < 2000; i++) {
		char id[16], down[16];
		snprintf(id, sizeof(id), "r%05d", i);
		snprintf(down, sizeof(down), "r%05d", i - 1);
		write_rev(dir, id, i ? down : "null", NULL, "step");
	}
	struct mig_revgraph *g = NULL;
	mig_assert_ok(load_dir(dir, &g));
	struct mig_revlist l = MIG_REVLIST_INIT, cur = MIG_REVLIST_INIT;
	mig_assert_ok(mig_revgraph_resolve(g, "head-1999", NULL, &l));
	assert_string_equal(l.v[0]->id, "r00000");
	mig_revlist_release(&l);
	struct mig_plan plan = MIG_PLAN_INIT;
	mig_assert_ok(mig_revgraph_plan_upgrade(g, &cur, "heads", &plan));
	assert_int_equal(plan.steps.n, 2000);
	assert_string_equal(plan.steps.v[0].rev->id, "r00000");
	mig_plan_release(&plan);
	mig_revgraph_free(g);
	mig_test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revgraph_shape),
		cmocka_unit_test(test_revgraph_resolve_ids),
		cmocka_unit_test(test_revgraph_resolve_branches),
		cmocka_unit_test(test_revgraph_resolve_relative),
		cmocka_unit_test(test_revgraph_history),
		cmocka_unit_test(test_revgraph_upgrade),
		cmocka_unit_test(test_revgraph_downgrade),
		cmocka_unit_test(test_revgraph_current),
		cmocka_unit_test(test_revgraph_format),
	};
	const struct CMUnitTest standalone[] = {
		cmocka_unit_test(test_revgraph_errors),
		cmocka_unit_test(test_revgraph_large),
	};
	int rc = cmocka_run_group_tests_name("revgraph", tests, setup, teardown);
	return rc | cmocka_run_group_tests_name("revgraph-files", standalone, NULL, NULL);
}
