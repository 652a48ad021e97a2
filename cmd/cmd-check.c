/* migrate check [--format text|json]: whether there is pending work. The
 * database must be at the head revisions (revisions not applied yet are
 * pending work), and the models must match it (what autogenerate would write
 * is pending work). Exit code 0 when there is none, 1 when there is. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* What check found. */
struct check {
	struct mig_revgraph *g;
	struct mig_revlist pending; /* revisions not applied, in the order to apply them */
	bool compared;              /* the models were compared (the revisions are all applied) */
	struct mig_autogen ag;      /* the comparison */
};

static void check_release(struct check *k)
{
	mig_revlist_release(&k->pending);
	mig_autogen_release(&k->ag);
	mig_revgraph_free(k->g);
}

int mig_cmd_pending_revisions(struct mig_ctx *ctx, const struct mig_revgraph *g,
			      struct mig_revlist *current, struct mig_revlist *pending)
{
	struct mig_strlist rows = MIG_STRLIST_INIT;
	struct mig_revlist heads = MIG_REVLIST_INIT;
	int rc;
	if ((rc = mig_cmd_open_db(ctx)) < 0 ||
	    (rc = mig_run_read_versions(ctx->db, &ctx->cfg, &rows, NULL)) < 0 ||
	    (rc = mig_revgraph_current(g, &rows, current)) < 0) {
		goto done;
	}
	mig_revgraph_heads(g, true, &heads);
	rc = mig_revgraph_upgrade_revs(g, current, &heads, pending);
done:
	mig_revlist_release(&heads);
	mig_strlist_release(&rows);
	return rc;
}

/* The revisions: every one applied? */
static int check_revisions(struct mig_ctx *ctx, struct check *k)
{
	struct mig_revlist current = MIG_REVLIST_INIT;
	int rc = mig_revgraph_load_config(&k->g, &ctx->cfg);
	if (rc == 0) {
		rc = mig_cmd_pending_revisions(ctx, k->g, &current, &k->pending);
	}
	mig_revlist_release(&current);
	return rc;
}

/* The models against the live database. */
static int check_database(struct mig_ctx *ctx, struct check *k)
{
	k->compared = true;
	return mig_cmd_autogenerate(ctx, NULL, &k->ag);
}

static bool found_work(const struct check *k)
{
	return k->pending.n || (k->compared && k->ag.upgrade.ops.n);
}

static void report_json(const struct check *k, struct mig_str *out)
{
	mig_str_add(out, "{\"pending_ops\": ");
	if (k->compared) {
		mig_cmd_json_ops(out, &k->ag.upgrade, 0);
	} else {
		mig_str_add(out, "null");
	}
	mig_str_add(out, ", \"pending_revisions\": ");
	if (k->pending.n) {
		struct mig_str revs = MIG_STR_INIT;
		mig_cmd_json_revisions(&revs, &k->pending);
		mig_str_setlen(&revs, revs.len - 1); /* its newline */
		mig_str_add(out, revs.buf);
		mig_str_release(&revs);
	} else {
		mig_str_add(out, "[]");
	}
	mig_str_add(out, ", \"hints\": ");
	mig_cmd_json_strings(out, &k->ag.hints);
	mig_str_add(out, "}\n");
}

static void report_text(const struct check *k, struct mig_str *out)
{
	if (k->pending.n) {
		struct mig_revlist heads = MIG_REVLIST_INIT;
		mig_revgraph_heads(k->g, true, &heads);
		mig_str_addf(out,
			     "the database is not at head: %zu revision%s not applied (run "
			     "'migrate upgrade %s'):\n",
			     k->pending.n, k->pending.n == 1 ? "" : "s",
			     heads.n > 1 ? "heads" : "head");
		mig_revlist_release(&heads);
		for (size_t i = 0; i < k->pending.n; i++) {
			mig_str_add(out, "  ");
			mig_revision_format(out, k->pending.v[i],
					    MIG_REVFMT_PARENTS | MIG_REVFMT_HEAD | MIG_REVFMT_DOC);
			mig_str_addch(out, '\n');
		}
		return;
	}
	if (!k->ag.upgrade.ops.n) {
		mig_str_add(out, "no pending changes\n");
		return;
	}
	mig_str_add(out, "the models differ from the database; 'migrate revision --autogenerate' "
			 "would write:\n");
	mig_ops_write(out, &k->ag.upgrade, 0);
}

static int check_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct check k;
	struct mig_str out = MIG_STR_INIT;
	bool json = false;
	int c, rc = 0;

	memset(&k, 0, sizeof(k));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (mig_cmd_parse_format(&cmd_check_entry, optarg, &json) < 0) {
				return MIG_EXIT_USAGE;
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_check_entry, stdout);
			return 0;
		default:
			fprintf(stderr, "usage: migrate %s\n", cmd_check_entry.usage);
			return MIG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		return mig_cmd_usage_error(&cmd_check_entry, "unexpected argument '%s'",
					   argv[optind]);
	}
	/* comparing a database that misses revisions with the models would
	 * list what those revisions do: say that they are missing instead */
	if (check_revisions(ctx, &k) < 0 || (!k.pending.n && check_database(ctx, &k) < 0)) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (json) {
		report_json(&k, &out);
	} else {
		report_text(&k, &out);
		mig_cmd_print_hints(&k.ag.hints);
	}
	fputs(mig_str_cstr(&out), stdout);
	rc = found_work(&k) ? MIG_EXIT_PENDING : MIG_EXIT_OK;
done:
	mig_str_release(&out);
	check_release(&k);
	return rc;
}

const struct mig_cmd cmd_check_entry = {
	.name = "check",
	.usage = "check [--format text|json]",
	.summary = "exit 1 when there is pending work: revisions not applied, or model changes "
		   "without a revision",
	.help = "options:\n"
		"      --format text|json output format (default text)\n"
		"\n"
		"First the revisions: when the database is not at its head revision(s), check\n"
		"lists the revisions not applied yet and stops there (run 'migrate upgrade\n"
		"head'). Then the models: when they differ from the database, it prints the ops\n"
		"'revision --autogenerate' would write. Otherwise it prints 'no pending\n"
		"changes'. Hints go to stderr as 'hint: …'. JSON: {\"pending_ops\": [...],\n"
		"\"pending_revisions\": [...], \"hints\": [...]}, pending_ops null when the\n"
		"revisions stopped the check. Exit codes: 0 nothing pending, 1 pending work,\n"
		"2 usage, 3 database error, 4 revision or model file error.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = check_exec,
};
