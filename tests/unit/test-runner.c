/* Unit tests for the runner (lib/runner.c): plans applied to SQLite files,
 * the version rows kept as Alembic keeps them through a branch and a merge,
 * stamp, failures and their rollback, and the exact --sql scripts of a small
 * graph on every dialect (offline: no server needed). */
#include "helpers.h"

#include "dialect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	char *dir;
	char *versions;
	struct mig_config cfg;
	struct mig_db *db;
	struct mig_revgraph *g;
	struct mig_str log; /* progress lines */
};

static void on_progress(void *arg, enum mig_run_event ev, const struct mig_step *step, long ms,
			const char *text)
{
	struct fx *f = arg;
	switch (ev) {
	case MIG_RUN_STEP_BEGIN:
		mig_str_addf(&f->log, "%s ...", text);
		break;
	case MIG_RUN_STEP_END:
		/* durations vary: leave them out */
		mig_str_add(&f->log, " done\n");
		break;
	case MIG_RUN_STEP_FAILED:
		mig_str_add(&f->log, " failed\n");
		break;
	case MIG_RUN_LOCK_WAIT:
	case MIG_RUN_INFO:
		mig_str_addf(&f->log, "%s\n", text);
		break;
	}
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->dir = mig_test_tmpdir();
	f->versions = mig_path_join(f->dir, "versions");
	mig_mkdir_p(f->versions, 0755);
	mig_config_init(&f->cfg);
	char *url = xasprintf("sqlite:///%s/test.db", f->dir);
	mig_assert_ok(mig_db_open(&f->db, url));
	free(url);
	f->log = (struct mig_str)MIG_STR_INIT;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	mig_db_close(f->db);
	mig_revgraph_free(f->g);
	mig_config_release(&f->cfg);
	mig_str_release(&f->log);
	mig_test_rmtree(f->dir);
	free(f->versions);
	free(f->dir);
	free(f);
	return 0;
}

/* Write a revision file: id, down revisions ("" for a root, "a, b" for a
 * merge), extra header lines, and the op lists as YAML block sequences. */
static void revision(struct fx *f, const char *id, const char *down, const char *extra,
		     const char *up, const char *downgrade)
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
	mig_str_addf(&s, "%smessage: rev %s\n", extra ? extra : "", id);
	mig_str_addf(&s, "upgrade:%s%s\n", up && *up ? "\n" : " []", up ? up : "");
	mig_str_addf(&s, "downgrade:%s%s\n", downgrade && *downgrade ? "\n" : " []",
		     downgrade ? downgrade : "");
	char *name = xasprintf("%s_rev.yaml", id);
	free(mig_test_write(f->versions, name, s.buf));
	free(name);
	mig_str_release(&s);
}

static void load_graph(struct fx *f)
{
	struct mig_strlist dirs = MIG_STRLIST_INIT;
	mig_strlist_push(&dirs, f->versions);
	mig_revgraph_free(f->g);
	f->g = NULL;
	mig_assert_ok(mig_revgraph_load(&f->g, &dirs, NULL));
	mig_strlist_release(&dirs);
}

/* A revision that creates table t_<id> and drops it on the way down. */
static void table_revision(struct fx *f, const char *id, const char *down, const char *extra)
{
	char *up = xasprintf("  - create_table: {name: t_%s, columns: {id: integer}}", id);
	char *dn = xasprintf("  - drop_table: {name: t_%s}", id);
	revision(f, id, down, extra, up, dn);
	free(up);
	free(dn);
}

static int run_mode(struct fx *f, enum mig_run_mode mode, const char *target)
{
	struct mig_run_callbacks cb = { on_progress, f };
	const char *targets[] = { target };
	struct mig_run_opts o = { 0 };
	o.mode = mode;
	o.targets = targets;
	o.ntargets = target ? 1 : 0;
	o.applied_by = "tester@host";
	o.cb = &cb;
	mig_str_reset(&f->log);
	return mig_run(f->db, NULL, f->g, &f->cfg, &o);
}

static int upgrade(struct fx *f, const char *target)
{
	return run_mode(f, MIG_RUN_UPGRADE, target);
}

static int downgrade(struct fx *f, const char *target)
{
	return run_mode(f, MIG_RUN_DOWNGRADE, target);
}

/* The result of a query: cells joined by '|', rows ended by '\n'. */
static char *query(struct fx *f, const char *sql)
{
	struct mig_rows rows;
	struct mig_str out = MIG_STR_INIT;
	mig_assert_ok(mig_db_query(f->db, sql, &rows));
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

static void show_difference(const char *got, const char *want)
{
	fprintf(stderr, "--- want:\n%s\n--- got:\n%s\n---\n", want, got);
}

#define assert_text(got, want) assert_text_at((got), (want), __FILE__, __LINE__)
static void assert_text_at(const char *got, const char *want, const char *file, int line)
{
	if (strcmp(got, want) != 0) {
		show_difference(got, want);
		_fail(file, line);
	}
}

#define assert_query(f, sql, want) assert_query_at((f), (sql), (want), __FILE__, __LINE__)
static void assert_query_at(struct fx *f, const char *sql, const char *want, const char *file,
			    int line)
{
	char *got = query(f, sql);
	assert_text_at(got, want, file, line);
	free(got);
}

/* The version rows, one a line. */
#define assert_rows(f, want)                                                                       \
	assert_query(f, "SELECT version_num FROM migrate_version ORDER BY 1", want)
/* The user tables (t_*), one a line. */
#define assert_tables(f, want)                                                                     \
	assert_query(f,                                                                            \
		     "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' "  \
		     "ESCAPE '\\' ORDER BY 1",                                                    \
		     want)

/* ---- a branch and a merge ----
 *
 *   a -> b -> c1 (left) -> m
 *          \-> c2 (right) -/
 */
static void branchy(struct fx *f)
{
	table_revision(f, "a0000000000a", "", NULL);
	table_revision(f, "b0000000000b", "a0000000000a", NULL);
	table_revision(f, "c1000000000c", "b0000000000b", "branch_labels: [left]\n");
	table_revision(f, "c2000000000c", "b0000000000b", "branch_labels: [right]\n");
	table_revision(f, "f0000000000f", "c1000000000c, c2000000000c", NULL);
	load_graph(f);
}

static void test_runner_branch_merge(void **state)
{
	struct fx *f = *state;
	branchy(f);

	mig_assert_ok(upgrade(f, "c1000000000c"));
	assert_text(f->log.buf,
		    "Creating table migrate_version\n"
		    "Creating table migrate_history\n"
		    "Running upgrade <base> -> a0000000000a, rev a0000000000a ... done\n"
		    "Running upgrade a0000000000a -> b0000000000b, rev b0000000000b ... done\n"
		    "Running upgrade b0000000000b -> c1000000000c, rev c1000000000c ... done\n");
	assert_rows(f, "c1000000000c\n");
	assert_tables(f, "t_a0000000000a\nt_b0000000000b\nt_c1000000000c\n");

	/* the other branch: a second row */
	mig_assert_ok(upgrade(f, "c2000000000c"));
	assert_text(f->log.buf, "Running upgrade b0000000000b -> c2000000000c, rev c2000000000c "
				"... done\n");
	assert_rows(f, "c1000000000c\nc2000000000c\n");

	/* the merge: one row again */
	mig_assert_ok(upgrade(f, "head"));
	assert_text(f->log.buf, "Running upgrade c1000000000c, c2000000000c -> f0000000000f, rev "
				"f0000000000f ... done\n");
	assert_rows(f, "f0000000000f\n");
	assert_tables(f, "t_a0000000000a\nt_b0000000000b\nt_c1000000000c\nt_c2000000000c\n"
			 "t_f0000000000f\n");
	mig_assert_ok(upgrade(f, "head"));
	assert_text(f->log.buf, "");

	/* down one step at a time */
	mig_assert_fails_with(downgrade(f, "-1"),
			      "relative target '-1' is ambiguous: 'f0000000000f' is a merge "
			      "point; use '<id>-N' from one of its down revisions");
	mig_assert_ok(downgrade(f, "c2000000000c"));
	assert_text(f->log.buf, "Running downgrade f0000000000f -> c1000000000c, c2000000000c, "
				"rev f0000000000f ... done\n");
	assert_rows(f, "c1000000000c\nc2000000000c\n");
	mig_assert_ok(downgrade(f, "right@-1"));
	assert_rows(f, "c1000000000c\n");
	assert_tables(f, "t_a0000000000a\nt_b0000000000b\nt_c1000000000c\n");
	mig_assert_ok(downgrade(f, "-1"));
	assert_rows(f, "b0000000000b\n");
	mig_assert_ok(downgrade(f, "-1"));
	assert_rows(f, "a0000000000a\n");
	mig_assert_ok(downgrade(f, "-1"));
	assert_rows(f, "");
	assert_tables(f, "");
	mig_assert_fails_with(downgrade(f, "-1"),
			      "relative target '-1' goes past the base: nothing is applied");

	/* up through the merge in one run: both branches, then the merge */
	mig_assert_ok(upgrade(f, "heads"));
	assert_rows(f, "f0000000000f\n");
	mig_assert_ok(downgrade(f, "b0000000000b"));
	assert_text(f->log.buf,
		    "Running downgrade f0000000000f -> c1000000000c, c2000000000c, rev "
		    "f0000000000f ... done\n"
		    "Running downgrade c1000000000c -> b0000000000b, rev c1000000000c ... done\n"
		    "Running downgrade c2000000000c -> b0000000000b, rev c2000000000c ... done\n");
	assert_rows(f, "b0000000000b\n");

	/* the history: one row per step, with the file's git blob id */
	char *sum = NULL;
	char hex[41];
	char *path = xasprintf("%s/f0000000000f_rev.yaml", f->versions);
	mig_assert_ok(mig_run_checksum(path, hex));
	sum = xasprintf("f0000000000f|up|%s|tester@host|1\n"
			"f0000000000f|down|%s|tester@host|1\n"
			"f0000000000f|up|%s|tester@host|1\n"
			"f0000000000f|down|%s|tester@host|1\n",
			hex, hex, hex, hex);
	assert_query(f,
		     "SELECT revision, direction, checksum, applied_by, ops_done FROM "
		     "migrate_history WHERE revision = 'f0000000000f' ORDER BY id",
		     sum);
	assert_query(f, "SELECT count(*) FROM migrate_history", "18\n");
	free(sum);
	free(path);
}

static void test_runner_checksum(void **state)
{
	(void)state;
	char hex[41];
	/* what `printf 'hello\n' | git hash-object --stdin` prints */
	mig_assert_ok(mig_run_checksum_data("hello\n", 6, hex));
	assert_string_equal(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
	mig_assert_ok(mig_run_checksum_data("", 0, hex));
	assert_string_equal(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	/* lengths on each side of SHA-1's 64-byte blocks and of its padding */
	static const struct {
		size_t len;
		const char *id;
	} cases[] = {
		{ 55, "4c68c05028fd6376f52e939b790a57f767b59b74" },
		{ 56, "bcc8f63645e1e308ec0d461c851522beef17bf95" },
		{ 63, "8044e8b077d2e3bd6b51201469966029d2bdcbc3" },
		{ 64, "85c1ced2408a638af43cbbc65d896fa057ab8e71" },
		{ 65, "bdadee07281b2020a0c5bdf1703a53f55ca5ccd8" },
		{ 1000, "f05c3c76ea47de4081ed0b821349d5c62a8e8461" },
	};
	char text[1000];
	for (size_t i = 0; i < sizeof(text); i++) {
		text[i] = (char)('a' + i % 26);
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* what `git hash-object` prints for the first len bytes of text */
		mig_assert_ok(mig_run_checksum_data(text, cases[i].len, hex));
		assert_string_equal(hex, cases[i].id);
	}
}

static int stamp(struct fx *f, const char *const *targets, size_t n, bool purge)
{
	struct mig_run_callbacks cb = { on_progress, f };
	struct mig_run_opts o = { 0 };
	o.mode = MIG_RUN_STAMP;
	o.targets = targets;
	o.ntargets = n;
	o.purge = purge;
	o.applied_by = "tester@host";
	o.cb = &cb;
	mig_str_reset(&f->log);
	return mig_run(f->db, NULL, f->g, &f->cfg, &o);
}

static void test_runner_stamp(void **state)
{
	struct fx *f = *state;
	branchy(f);

	const char *both[] = { "c1000000000c", "c2000000000c" };
	mig_assert_ok(stamp(f, both, 2, false));
	assert_text(f->log.buf, "Creating table migrate_version\n"
				"Creating table migrate_history\n"
				"Stamping <base> -> c1000000000c, c2000000000c\n");
	assert_rows(f, "c1000000000c\nc2000000000c\n");
	assert_tables(f, ""); /* no op ran */

	/* one branch moves, the other stays */
	const char *b[] = { "b0000000000b" };
	const char *left[] = { "c1000000000c" };
	mig_assert_ok(stamp(f, b, 1, false));
	assert_rows(f, "b0000000000b\n");
	mig_assert_ok(stamp(f, both, 2, false));
	const char *a[] = { "a0000000000a" };
	mig_assert_ok(stamp(f, a, 1, false));
	assert_rows(f, "a0000000000a\n");
	mig_assert_ok(stamp(f, left, 1, false));
	assert_rows(f, "c1000000000c\n");
	const char *right[] = { "c2000000000c" };
	mig_assert_ok(stamp(f, right, 1, false));
	/* a revision on another branch adds a row, as in Alembic */
	assert_text(f->log.buf, "Stamping c1000000000c -> c1000000000c, c2000000000c\n");
	assert_rows(f, "c1000000000c\nc2000000000c\n");

	const char *head[] = { "head" };
	mig_assert_ok(stamp(f, head, 1, false));
	assert_rows(f, "f0000000000f\n");
	mig_assert_ok(stamp(f, head, 1, false));
	assert_text(f->log.buf, "");

	const char *base[] = { "base" };
	mig_assert_ok(stamp(f, base, 1, false));
	assert_text(f->log.buf, "Stamping f0000000000f -> <base>\n");
	assert_rows(f, "");

	/* rows that name no revision: only --purge gets past them */
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO migrate_version VALUES ('dead00000000')"));
	mig_assert_fails_with(stamp(f, head, 1, false),
			      "the database is at revision 'dead00000000', which no revision file "
			      "defines\n(stamp --purge replaces the rows without reading them)");
	assert_int_equal(mig_error_exit_code(), MIG_EXIT_FILE);
	mig_assert_ok(stamp(f, head, 1, true));
	assert_text(f->log.buf, "Stamping <purged> -> f0000000000f\n");
	assert_rows(f, "f0000000000f\n");

	const char *none[] = { "nope" };
	mig_assert_fails_with(stamp(f, none, 1, false), "no such revision or branch 'nope'");
	assert_int_equal(mig_error_exit_code(), MIG_EXIT_USAGE);

	assert_query(f,
		     "SELECT revision, direction, checksum IS NOT NULL, ops_done FROM "
		     "migrate_history ORDER BY id",
		     "c1000000000c|stamp|1|0\n"
		     "c2000000000c|stamp|1|0\n"
		     "b0000000000b|stamp|1|0\n"
		     "c1000000000c|stamp|1|0\n"
		     "c2000000000c|stamp|1|0\n"
		     "a0000000000a|stamp|1|0\n"
		     "c1000000000c|stamp|1|0\n"
		     "c2000000000c|stamp|1|0\n"
		     "f0000000000f|stamp|1|0\n"
		     "base|stamp|0|0\n"
		     "f0000000000f|stamp|1|0\n");
}

/* Three revisions; the second one's third op fails. */
static void failing(struct fx *f)
{
	table_revision(f, "a0000000000a", "", NULL);
	revision(f, "b0000000000b", "a0000000000a", NULL,
		 "  - create_table: {name: t_b1, columns: {id: integer}}\n"
		 "  - add_column: {table: t_a0000000000a, column: {name: x, type: integer}}\n"
		 "  - sql: INSERT INTO no_such_table VALUES (1)\n"
		 "  - create_table: {name: t_b2, columns: {id: integer}}",
		 "  - drop_table: {name: t_b2}\n"
		 "  - drop_column: {table: t_a0000000000a, column: x}\n"
		 "  - drop_table: {name: t_b1}");
	table_revision(f, "c0000000000c", "b0000000000b", NULL);
	load_graph(f);
}

static void test_runner_failure_rolls_back(void **state)
{
	struct fx *f = *state;
	failing(f);
	char *want = xasprintf(
		"upgrade b0000000000b failed at op 3 of 4, sql (%s/b0000000000b_rev.yaml:7:5): "
		"sqlite error: no such table: no_such_table\n"
		"  statement: INSERT INTO no_such_table VALUES (1)\n"
		"the transaction was rolled back; the version table does not exist (the database "
		"is at base)",
		f->versions);
	mig_assert_fails_with(upgrade(f, "head"), want);
	free(want);
	assert_int_equal(mig_error_exit_code(), MIG_EXIT_DB);
	assert_text(f->log.buf,
		    "Creating table migrate_version\n"
		    "Creating table migrate_history\n"
		    "Running upgrade <base> -> a0000000000a, rev a0000000000a ... done\n"
		    "Running upgrade a0000000000a -> b0000000000b, rev b0000000000b ... failed\n");
	assert_query(f, "SELECT name FROM sqlite_master ORDER BY 1", "");
}

static void test_runner_failure_per_migration(void **state)
{
	struct fx *f = *state;
	failing(f);
	f->cfg.transaction_per_migration = true;
	char *want = xasprintf(
		"upgrade b0000000000b failed at op 3 of 4, sql (%s/b0000000000b_rev.yaml:7:5): "
		"sqlite error: no such table: no_such_table\n"
		"  statement: INSERT INTO no_such_table VALUES (1)\n"
		"the transaction was rolled back; the version table names a0000000000a",
		f->versions);
	mig_assert_fails_with(upgrade(f, "head"), want);
	free(want);
	assert_rows(f, "a0000000000a\n");
	assert_query(f,
		     "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
		     "migrate_history\nmigrate_version\nt_a0000000000a\n");
	assert_query(f, "SELECT sql FROM sqlite_master WHERE name = 't_a0000000000a'",
		     "CREATE TABLE \"t_a0000000000a\" (\n\t\"id\" INTEGER\n)\n");
	assert_query(f, "SELECT revision, direction FROM migrate_history", "a0000000000a|up\n");
}

/* A revision with transactional: false runs outside any transaction: what ran
 * before its failure stays, and the error says so, op by op. */
static void test_runner_failure_not_transactional(void **state)
{
	struct fx *f = *state;
	table_revision(f, "a0000000000a", "", NULL);
	revision(f, "b0000000000b", "a0000000000a", "transactional: false\n",
		 "  - create_table: {name: t_b1, columns: {id: integer}}\n"
		 "  - add_column: {table: t_a0000000000a, column: {name: x, type: integer}}\n"
		 "  - sql: INSERT INTO no_such_table VALUES (1)\n"
		 "  - create_table: {name: t_b2, columns: {id: integer}}",
		 NULL);
	load_graph(f);
	char *want = xasprintf(
		"upgrade b0000000000b failed at op 3 of 4, sql (%1$s/b0000000000b_rev.yaml:8:5): "
		"sqlite error: no such table: no_such_table\n"
		"  statement: INSERT INTO no_such_table VALUES (1)\n"
		"revision b0000000000b is not transactional, so the ops before the failed one "
		"stay applied:\n"
		"  ran:\n"
		"    1. create_table t_b1 (%1$s/b0000000000b_rev.yaml:6:5)\n"
		"    2. add_column t_a0000000000a.x (%1$s/b0000000000b_rev.yaml:7:5)\n"
		"  failed:\n"
		"    3. sql (%1$s/b0000000000b_rev.yaml:8:5)\n"
		"  not run:\n"
		"    4. create_table t_b2 (%1$s/b0000000000b_rev.yaml:9:5)\n"
		"the version table still names a0000000000a, as before upgrade b0000000000b\n"
		"to go on: either reverse ops 1-2 by hand, fix the failed op and run the upgrade "
		"again, or carry out the rest of the revision by hand and run 'migrate stamp "
		"b0000000000b'",
		f->versions);
	mig_assert_fails_with(upgrade(f, "head"), want);
	free(want);
	assert_rows(f, "a0000000000a\n");
	assert_tables(f, "t_a0000000000a\nt_b1\n");
	assert_query(f, "SELECT revision, direction, ops_done FROM migrate_history ORDER BY id",
		     "a0000000000a|up|1\nb0000000000b|up-failed|2\n");
}

/* The first revision commits before a non-transactional one, which then runs
 * on its own, and the run goes on in a new transaction. */
static void test_runner_not_transactional(void **state)
{
	struct fx *f = *state;
	table_revision(f, "a0000000000a", "", NULL);
	revision(f, "b0000000000b", "a0000000000a", "transactional: false\n",
		 "  - sql: VACUUM", "  - sql: VACUUM");
	table_revision(f, "c0000000000c", "b0000000000b", NULL);
	load_graph(f);
	mig_assert_ok(upgrade(f, "head"));
	assert_rows(f, "c0000000000c\n");
	mig_assert_ok(downgrade(f, "base"));
	assert_rows(f, "");
}

/* Where the lock lasts only as long as a transaction (SQLite), another run
 * may go on between two of ours: the version rows are read again at the next
 * begin, and what is left is planned again. Here the other run applies b
 * while a (not transactional) has just finished. */
static void other_run(void *arg, enum mig_run_event ev, const struct mig_step *step, long ms,
		      const char *text)
{
	struct fx *f = arg;
	on_progress(arg, ev, step, ms, text);
	if (ev != MIG_RUN_STEP_END || strcmp(step->rev->id, "a0000000000a") != 0) {
		return;
	}
	struct mig_db *db2;
	struct mig_run_opts o = { 0 };
	const char *targets[] = { "b0000000000b" };
	char *url = xasprintf("sqlite:///%s/test.db", f->dir);
	mig_assert_ok(mig_db_open(&db2, url));
	o.mode = MIG_RUN_UPGRADE;
	o.targets = targets;
	o.ntargets = 1;
	mig_assert_ok(mig_run(db2, NULL, f->g, &f->cfg, &o));
	mig_db_close(db2);
	free(url);
	mig_str_add(&f->log, "(another run applied b0000000000b)\n");
}

static void test_runner_recheck(void **state)
{
	struct fx *f = *state;
	table_revision(f, "a0000000000a", "", "transactional: false\n");
	table_revision(f, "b0000000000b", "a0000000000a", NULL);
	table_revision(f, "c0000000000c", "b0000000000b", NULL);
	load_graph(f);
	struct mig_run_callbacks cb = { other_run, f };
	const char *targets[] = { "head" };
	struct mig_run_opts o = { 0 };
	o.mode = MIG_RUN_UPGRADE;
	o.targets = targets;
	o.ntargets = 1;
	o.cb = &cb;
	mig_assert_ok(mig_run(f->db, NULL, f->g, &f->cfg, &o));
	assert_text(f->log.buf,
		    "Creating table migrate_version\n"
		    "Creating table migrate_history\n"
		    "Running upgrade <base> -> a0000000000a, rev a0000000000a ... done\n"
		    "(another run applied b0000000000b)\n"
		    "Running upgrade b0000000000b -> c0000000000c, rev c0000000000c ... done\n");
	assert_rows(f, "c0000000000c\n");
	assert_tables(f, "t_a0000000000a\nt_b0000000000b\nt_c0000000000c\n");
	assert_query(f, "SELECT revision, direction FROM migrate_history ORDER BY id",
		     "a0000000000a|up\nb0000000000b|up\nc0000000000c|up\n");
}

/* SQLite rewrites the triggers that name a table it renames: a rebuild of
 * the renamed table later in the run recreates its trigger from the SQL read
 * again, and a table dropped and created again in the run gets no trigger
 * back. */
static void test_runner_triggers_follow_tables(void **state)
{
	struct fx *f = *state;
	revision(f, "a0000000000a", "", NULL,
		 "  - create_table: {name: t, columns: {id: {type: integer, primary_key: true}, "
		 "v: integer}}\n"
		 "  - sql: CREATE TRIGGER trg_t AFTER INSERT ON t BEGIN UPDATE t SET v = 1 "
		 "WHERE id = new.id; END",
		 NULL);
	revision(f, "b0000000000b", "a0000000000a", NULL,
		 "  - rename_table: {name: t, new_name: u}\n"
		 "  - alter_column: {table: u, column: v, type: bigint, existing_type: integer}",
		 NULL);
	revision(f, "c0000000000c", "b0000000000b", NULL,
		 "  - drop_table: {name: u}\n"
		 "  - create_table: {name: u, columns: {id: {type: integer, primary_key: true}, "
		 "v: integer}}\n"
		 "  - alter_column: {table: u, column: v, type: bigint, existing_type: integer}",
		 NULL);
	load_graph(f);
	mig_assert_ok(upgrade(f, "b0000000000b"));
	assert_query(f, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'",
		     "trg_t|u|CREATE TRIGGER trg_t AFTER INSERT ON \"u\" BEGIN UPDATE \"u\" SET "
		     "v = 1 WHERE id = new.id; END\n");
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO u (id) VALUES (5)"));
	assert_query(f, "SELECT id, v FROM u", "5|1\n");
	assert_query(f, "SELECT type FROM pragma_table_info('u') WHERE name = 'v'", "BIGINT\n");

	/* in one run from base on a new database, the same */
	char *url = xasprintf("sqlite:///%s/test2.db", f->dir);
	mig_db_close(f->db);
	mig_assert_ok(mig_db_open(&f->db, url));
	free(url);
	mig_assert_ok(upgrade(f, "head"));
	assert_query(f, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", "0\n");
	assert_query(f, "SELECT type FROM pragma_table_info('u') WHERE name = 'v'", "BIGINT\n");
	assert_rows(f, "c0000000000c\n");
}

/* ---- scripts ---- */

static char *script(struct fx *f, const char *dialect, enum mig_run_mode mode, const char *from,
		    const char *target)
{
	const struct mig_dialect_impl *impl;
	struct mig_str out = MIG_STR_INIT;
	struct mig_run_opts o = { 0 };
	const char *targets[] = { target };
	mig_assert_ok(mig_dialect_find(dialect, &impl));
	o.mode = mode;
	o.targets = targets;
	o.ntargets = 1;
	o.from = from;
	o.script = &out;
	mig_assert_ok(mig_run(NULL, impl, f->g, &f->cfg, &o));
	return mig_str_detach(&out);
}

static void small_graph(struct fx *f)
{
	revision(f, "a0000000000a", "", NULL,
		 "  - create_table:\n"
		 "      name: users\n"
		 "      columns:\n"
		 "        id: {type: integer, primary_key: true}\n"
		 "        email: {type: varchar(255), nullable: false}",
		 "  - drop_table: {name: users}");
	revision(f, "b0000000000b", "a0000000000a", NULL,
		 "  - add_column: {table: users, column: {name: age, type: integer}}",
		 "  - drop_column: {table: users, column: age}");
	load_graph(f);
}

static void test_runner_sql_sqlite(void **state)
{
	struct fx *f = *state;
	small_graph(f);
	char *got = script(f, "sqlite", MIG_RUN_UPGRADE, NULL, "head");
	char *sa = NULL, *sb = NULL;
	char hex_a[41], hex_b[41];
	sa = xasprintf("%s/a0000000000a_rev.yaml", f->versions);
	sb = xasprintf("%s/b0000000000b_rev.yaml", f->versions);
	mig_assert_ok(mig_run_checksum(sa, hex_a));
	mig_assert_ok(mig_run_checksum(sb, hex_b));
	char *want = xasprintf(
		"PRAGMA foreign_keys = OFF;\n"
		"\n"
		"BEGIN;\n"
		"\n"
		"CREATE TABLE \"migrate_version\" (\n"
		"\t\"version_num\" VARCHAR(32) NOT NULL,\n"
		"\tCONSTRAINT \"migrate_version_pkc\" PRIMARY KEY (\"version_num\")\n"
		");\n"
		"\n"
		"CREATE TABLE \"migrate_history\" (\n"
		"\t\"id\" INTEGER NOT NULL CONSTRAINT \"migrate_history_pkc\" PRIMARY KEY,\n"
		"\t\"revision\" VARCHAR(32) NOT NULL,\n"
		"\t\"direction\" VARCHAR(16) NOT NULL,\n"
		"\t\"checksum\" VARCHAR(64),\n"
		"\t\"applied_at\" TIMESTAMP NOT NULL,\n"
		"\t\"applied_by\" VARCHAR(255),\n"
		"\t\"duration_ms\" INTEGER,\n"
		"\t\"ops_done\" INTEGER\n"
		");\n"
		"\n"
		"-- Running upgrade <base> -> a0000000000a, rev a0000000000a\n"
		"\n"
		"CREATE TABLE \"users\" (\n"
		"\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		"\t\"email\" VARCHAR(255) NOT NULL\n"
		");\n"
		"\n"
		"INSERT INTO \"migrate_version\" (\"version_num\") VALUES ('a0000000000a');\n"
		"\n"
		"INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", "
		"\"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES "
		"('a0000000000a', 'up', '%s', CURRENT_TIMESTAMP, NULL, NULL, 1);\n"
		"\n"
		"-- Running upgrade a0000000000a -> b0000000000b, rev b0000000000b\n"
		"\n"
		"ALTER TABLE \"users\" ADD COLUMN \"age\" INTEGER;\n"
		"\n"
		"UPDATE \"migrate_version\" SET \"version_num\" = 'b0000000000b' WHERE "
		"\"version_num\" = 'a0000000000a';\n"
		"\n"
		"INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", "
		"\"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES "
		"('b0000000000b', 'up', '%s', CURRENT_TIMESTAMP, NULL, NULL, 1);\n"
		"\n"
		"COMMIT;\n"
		"\n"
		"PRAGMA foreign_keys = ON;\n",
		hex_a, hex_b);
	assert_text(got, want);
	free(got);
	free(want);

	/* a range: no version table to create, and the script runs as it is */
	f->cfg.transaction_per_migration = true;
	got = script(f, "sqlite", MIG_RUN_DOWNGRADE, "b0000000000b", "base");
	want = xasprintf(
		"PRAGMA foreign_keys = OFF;\n"
		"\n"
		"BEGIN;\n"
		"\n"
		"-- Running downgrade b0000000000b -> a0000000000a, rev b0000000000b\n"
		"\n"
		"ALTER TABLE \"users\" DROP COLUMN \"age\";\n"
		"\n"
		"UPDATE \"migrate_version\" SET \"version_num\" = 'a0000000000a' WHERE "
		"\"version_num\" = 'b0000000000b';\n"
		"\n"
		"INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", "
		"\"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES "
		"('b0000000000b', 'down', '%s', CURRENT_TIMESTAMP, NULL, NULL, 1);\n"
		"\n"
		"COMMIT;\n"
		"\n"
		"PRAGMA foreign_keys = ON;\n"
		"\n"
		"PRAGMA foreign_keys = OFF;\n"
		"\n"
		"BEGIN;\n"
		"\n"
		"-- Running downgrade a0000000000a -> <base>, rev a0000000000a\n"
		"\n"
		"DROP TABLE \"users\";\n"
		"\n"
		"DELETE FROM \"migrate_version\" WHERE \"version_num\" = 'a0000000000a';\n"
		"\n"
		"INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", "
		"\"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES "
		"('a0000000000a', 'down', '%s', CURRENT_TIMESTAMP, NULL, NULL, 1);\n"
		"\n"
		"COMMIT;\n"
		"\n"
		"PRAGMA foreign_keys = ON;\n",
		hex_b, hex_a);
	assert_text(got, want);
	free(got);
	free(want);

	/* the script runs on a new database as it is */
	f->cfg.transaction_per_migration = false;
	got = script(f, "sqlite", MIG_RUN_UPGRADE, NULL, "head");
	mig_assert_ok(mig_db_exec(f->db, got));
	free(got);
	assert_rows(f, "b0000000000b\n");
	assert_query(f, "SELECT sql FROM sqlite_master WHERE name = 'users'",
		     "CREATE TABLE \"users\" (\n\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		     "\t\"email\" VARCHAR(255) NOT NULL\n, \"age\" INTEGER)\n");
	free(sa);
	free(sb);
}

/* A SQLite script with a table rebuild turns foreign key enforcement off
 * before its BEGIN (SQLite ignores the setting inside a transaction), so
 * that the rebuild's DROP TABLE does not cascade to the rows that reference
 * the table, and on again after its COMMIT. */
static void test_runner_sql_sqlite_rebuild(void **state)
{
	struct fx *f = *state;
	revision(f, "a0000000000a", "", NULL,
		 "  - create_table:\n"
		 "      name: parent\n"
		 "      columns:\n"
		 "        id: {type: integer, primary_key: true}\n"
		 "        name: varchar(10)\n"
		 "  - create_table:\n"
		 "      name: child\n"
		 "      columns:\n"
		 "        id: {type: integer, primary_key: true}\n"
		 "        parent_id: {type: integer, references: parent.id, on_delete: cascade}",
		 NULL);
	revision(f, "b0000000000b", "a0000000000a", NULL,
		 "  - alter_column: {table: parent, column: name, type: varchar(20), "
		 "existing_type: varchar(10)}",
		 NULL);
	load_graph(f);
	char hex_b[41];
	char *sb = xasprintf("%s/b0000000000b_rev.yaml", f->versions);
	mig_assert_ok(mig_run_checksum(sb, hex_b));
	free(sb);
	char *got = script(f, "sqlite", MIG_RUN_UPGRADE, "a0000000000a", "head");
	char *want = xasprintf(
		"PRAGMA foreign_keys = OFF;\n"
		"\n"
		"BEGIN;\n"
		"\n"
		"-- Running upgrade a0000000000a -> b0000000000b, rev b0000000000b\n"
		"\n"
		"PRAGMA foreign_keys = OFF;\n"
		"\n"
		"CREATE TABLE \"_migrate_tmp_parent\" (\n"
		"\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		"\t\"name\" VARCHAR(20)\n"
		");\n"
		"\n"
		"INSERT INTO \"_migrate_tmp_parent\" (\"id\", \"name\") SELECT \"id\", \"name\" "
		"FROM \"parent\";\n"
		"\n"
		"DROP TABLE \"parent\";\n"
		"\n"
		"PRAGMA legacy_alter_table = ON;\n"
		"\n"
		"ALTER TABLE \"_migrate_tmp_parent\" RENAME TO \"parent\";\n"
		"\n"
		"PRAGMA legacy_alter_table = OFF;\n"
		"\n"
		"PRAGMA foreign_keys = ON;\n"
		"\n"
		"UPDATE \"migrate_version\" SET \"version_num\" = 'b0000000000b' WHERE "
		"\"version_num\" = 'a0000000000a';\n"
		"\n"
		"INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", "
		"\"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES "
		"('b0000000000b', 'up', '%s', CURRENT_TIMESTAMP, NULL, NULL, 1);\n"
		"\n"
		"COMMIT;\n"
		"\n"
		"PRAGMA foreign_keys = ON;\n",
		hex_b);
	assert_text(got, want);
	free(want);

	/* applied where foreign keys are enforced, the script keeps the children */
	mig_assert_ok(upgrade(f, "a0000000000a"));
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO parent VALUES (1, 'p'); "
					 "INSERT INTO child VALUES (10, 1), (11, 1)"));
	assert_query(f, "PRAGMA foreign_keys", "1\n");
	mig_assert_ok(mig_db_exec(f->db, got));
	free(got);
	assert_rows(f, "b0000000000b\n");
	assert_query(f, "SELECT id, parent_id FROM child ORDER BY id", "10|1\n11|1\n");
	assert_query(f, "SELECT type FROM pragma_table_info('parent') WHERE name = 'name'",
		     "VARCHAR(20)\n");
	assert_query(f, "PRAGMA foreign_keys", "1\n");
}

#if MIG_HAVE_POSTGRESQL
static void test_runner_sql_postgresql(void **state)
{
	struct fx *f = *state;
	small_graph(f);
	char hex_b[41];
	char *sb = xasprintf("%s/b0000000000b_rev.yaml", f->versions);
	mig_assert_ok(mig_run_checksum(sb, hex_b));
	free(sb);
	f->cfg.version_table_schema = xstrdup("meta");
	char *got = script(f, "postgresql", MIG_RUN_UPGRADE, "a0000000000a", "head");
	char *want = xasprintf(
		"BEGIN;\n"
		"\n"
		"-- Running upgrade a0000000000a -> b0000000000b, rev b0000000000b\n"
		"\n"
		"ALTER TABLE \"users\" ADD COLUMN \"age\" INTEGER;\n"
		"\n"
		"UPDATE \"meta\".\"migrate_version\" SET \"version_num\" = 'b0000000000b' WHERE "
		"\"version_num\" = 'a0000000000a';\n"
		"\n"
		"INSERT INTO \"meta\".\"migrate_history\" (\"revision\", \"direction\", "
		"\"checksum\", \"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") "
		"VALUES ('b0000000000b', 'up', '%s', (now() "
		"AT TIME ZONE 'utc'), session_user, NULL, 1);\n"
		"\n"
		"COMMIT;\n",
		hex_b);
	assert_text(got, want);
	free(got);
	free(want);

	got = script(f, "postgresql", MIG_RUN_ENSURE_VERSION, NULL, NULL);
	assert_text(got, "BEGIN;\n"
			 "\n"
			 "CREATE TABLE \"meta\".\"migrate_version\" (\n"
			 "\t\"version_num\" VARCHAR(32) NOT NULL,\n"
			 "\tCONSTRAINT \"migrate_version_pkc\" PRIMARY KEY (\"version_num\")\n"
			 ");\n"
			 "\n"
			 "CREATE TABLE \"meta\".\"migrate_history\" (\n"
			 "\t\"id\" SERIAL NOT NULL,\n"
			 "\t\"revision\" VARCHAR(32) NOT NULL,\n"
			 "\t\"direction\" VARCHAR(16) NOT NULL,\n"
			 "\t\"checksum\" VARCHAR(64),\n"
			 "\t\"applied_at\" TIMESTAMP WITHOUT TIME ZONE NOT NULL,\n"
			 "\t\"applied_by\" VARCHAR(255),\n"
			 "\t\"duration_ms\" INTEGER,\n"
			 "\t\"ops_done\" INTEGER,\n"
			 "\tCONSTRAINT \"migrate_history_pkc\" PRIMARY KEY (\"id\")\n"
			 ");\n"
			 "\n"
			 "COMMIT;\n");
	free(got);
}
#endif

#if MIG_HAVE_MYSQL
static void test_runner_sql_mysql(void **state)
{
	struct fx *f = *state;
	small_graph(f);
	char hex_a[41], hex_b[41];
	char *sa = xasprintf("%s/a0000000000a_rev.yaml", f->versions);
	char *sb = xasprintf("%s/b0000000000b_rev.yaml", f->versions);
	mig_assert_ok(mig_run_checksum(sa, hex_a));
	mig_assert_ok(mig_run_checksum(sb, hex_b));
	free(sa);
	free(sb);
	char *got = script(f, "mysql", MIG_RUN_DOWNGRADE, "head", "base");
	char *want = xasprintf(
		"-- Running downgrade b0000000000b -> a0000000000a, rev b0000000000b\n"
		"\n"
		"ALTER TABLE `users` DROP COLUMN `age`;\n"
		"\n"
		"UPDATE `migrate_version` SET `version_num` = 'a0000000000a' WHERE `version_num` "
		"= 'b0000000000b';\n"
		"\n"
		"INSERT INTO `migrate_history` (`revision`, `direction`, `checksum`, `applied_at`, "
		"`applied_by`, `duration_ms`, `ops_done`) VALUES ('b0000000000b', 'down', '%s', "
		"UTC_TIMESTAMP(), USER(), NULL, 1);\n"
		"\n"
		"-- Running downgrade a0000000000a -> <base>, rev a0000000000a\n"
		"\n"
		"DROP TABLE `users`;\n"
		"\n"
		"DELETE FROM `migrate_version` WHERE `version_num` = 'a0000000000a';\n"
		"\n"
		"INSERT INTO `migrate_history` (`revision`, `direction`, `checksum`, `applied_at`, "
		"`applied_by`, `duration_ms`, `ops_done`) VALUES ('a0000000000a', 'down', '%s', "
		"UTC_TIMESTAMP(), USER(), NULL, 1);\n",
		hex_b, hex_a);
	assert_text(got, want);
	free(got);
	free(want);
}
#endif

static void test_runner_sql_errors(void **state)
{
	struct fx *f = *state;
	const struct mig_dialect_impl *impl;
	struct mig_str out = MIG_STR_INIT;
	struct mig_run_opts o = { 0 };
	const char *targets[] = { "base" };
	small_graph(f);
	mig_assert_ok(mig_dialect_find("sqlite", &impl));
	o.mode = MIG_RUN_DOWNGRADE;
	o.targets = targets;
	o.ntargets = 1;
	o.script = &out;
	mig_assert_fails_with(mig_run(NULL, impl, f->g, &f->cfg, &o),
			      "downgrade with --sql needs a range 'from:to' (the revision the "
			      "database is at, and the target)");
	mig_str_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_checksum),
		cmocka_unit_test_setup_teardown(test_runner_branch_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_stamp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_failure_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_failure_per_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_failure_not_transactional, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runner_not_transactional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_recheck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_triggers_follow_tables, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runner_sql_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_sql_sqlite_rebuild, setup, teardown),
#if MIG_HAVE_POSTGRESQL
		cmocka_unit_test_setup_teardown(test_runner_sql_postgresql, setup, teardown),
#endif
#if MIG_HAVE_MYSQL
		cmocka_unit_test_setup_teardown(test_runner_sql_mysql, setup, teardown),
#endif
		cmocka_unit_test_setup_teardown(test_runner_sql_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
