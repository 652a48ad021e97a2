/* migrate check [--offline|--scratch] [--base REF] [--format text|json|github]:
 * whether there is pending work. Against the database (the default) it must
 * be at the head revisions (revisions not applied yet are pending work), the
 * models must match it (what autogenerate would write is pending work), the
 * applied revisions must match their files (verify) and the database must
 * hold nothing that neither the revisions nor the models explain (drift).
 * --offline and --scratch compare the models with the schema the revisions
 * produce instead, in memory or on a throwaway database; --base REF also
 * checks the revision files against a git ref. Exit code 0 when there is
 * nothing to report, 1 when there is. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* What the models are compared with. */
enum check_mode {
	CHECK_DATABASE,
	CHECK_OFFLINE, /* the revisions applied in memory */
	CHECK_SCRATCH, /* the revisions applied to a throwaway database */
};

/* What check found. */
struct check {
	enum check_mode mode;
	struct mig_revgraph *g;
	struct mig_revlist pending; /* revisions not applied, in the order to apply them */
	bool compared;              /* the models were compared (the revisions are all applied) */
	struct mig_autogen ag;      /* the comparison; reflected is the revisions' schema
				       with --offline and --scratch */
	struct mig_report report;   /* --base, verify and drift findings, notes */
};

static void check_release(struct check *k)
{
	mig_revlist_release(&k->pending);
	mig_autogen_release(&k->ag);
	mig_revgraph_free(k->g);
	mig_report_release(&k->report);
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
	int rc = mig_cmd_pending_revisions(ctx, k->g, &current, &k->pending);
	mig_revlist_release(&current);
	return rc;
}

/* The models against the live database. */
static int check_database(struct mig_ctx *ctx, struct check *k)
{
	k->compared = true;
	return mig_cmd_autogenerate(ctx, NULL, &k->ag);
}

/* The comparison settings of migrate.ini. */
static void compare_opts(const struct mig_config *cfg, struct mig_compare_opts *copts)
{
	mig_compare_opts_init(copts);
	copts->compare_type = cfg->compare_type;
	copts->compare_server_default = cfg->compare_server_default;
	copts->exclude_tables = &cfg->exclude_tables;
	copts->version_table = cfg->version_table;
	copts->include_schemas = cfg->include_schemas;
}

/* The dialect of the configured URL, without connecting. */
static int url_dialect(struct mig_ctx *ctx, const struct mig_dialect_impl **impl)
{
	struct mig_url *url = NULL;
	int rc;
	if (!ctx->cfg.url || !*ctx->cfg.url) {
		return mig_error(MIG_ECLASS_USAGE,
				 "check --offline needs the dialect to compare in: pass --url, set "
				 "$MIGRATE_URL, or set 'url' in migrate.ini (it does not connect)");
	}
	rc = mig_url_parse(&url, ctx->cfg.url);
	if (rc == 0) {
		rc = mig_dialect_find(url->dialect, impl);
	}
	mig_url_free(url);
	return rc;
}

/* The models against the schema the revisions produce, in memory or on a
 * throwaway database. */
static int check_produced(struct mig_ctx *ctx, struct check *k)
{
	const struct mig_dialect_impl *impl = NULL;
	struct mig_compare_opts copts;
	size_t nsql = 0;
	int rc;

	mig_oplist_init(&k->ag.upgrade);
	mig_oplist_init(&k->ag.downgrade);
	k->compared = true;
	if (k->mode == CHECK_OFFLINE) {
		rc = url_dialect(ctx, &impl);
		if (rc == 0) {
			rc = mig_gitcheck_offline_schema(k->g, &k->ag.reflected, &nsql);
		}
		if (rc == 0 && nsql) {
			mig_report_add(&k->report, MIG_FINDING_NOTE, MIG_SEVERITY_NOTE, NULL, 0, 0,
				       "%zu revision%s raw sql ops; the offline schema is "
				       "approximate (use --scratch)",
				       nsql, nsql == 1 ? " contains" : "s contain");
		}
	} else if (!ctx->cfg.url || !*ctx->cfg.url) {
		rc = mig_error(MIG_ECLASS_USAGE,
			       "check --scratch needs a database server: pass --url, set "
			       "$MIGRATE_URL, or set 'url' in migrate.ini");
	} else {
		rc = mig_gitcheck_scratch_schema(ctx->cfg.url, k->g, &ctx->cfg, &k->ag.reflected,
						 &impl);
	}
	if (rc == 0) {
		rc = mig_model_load(&ctx->cfg.models, &k->ag.declared);
	}
	if (rc == 0) {
		compare_opts(&ctx->cfg, &copts);
		rc = mig_compare(impl, k->ag.declared, k->ag.reflected, &copts, &k->ag.upgrade,
				 &k->ag.downgrade, &k->ag.hints);
	}
	return rc;
}

/* Against the database: the applied revisions against their files (the
 * errors of verify; its notes are for verify itself), and, when the models
 * were compared, drift. */
static int check_integrity(struct mig_ctx *ctx, struct check *k)
{
	struct mig_schema *revisions = NULL;
	struct mig_compare_opts copts;
	size_t from = k->report.findings.n, nsql = 0, w = from;
	int rc = mig_gitcheck_verify(ctx->db, k->g, &ctx->cfg, &k->report);
	for (size_t i = from; i < k->report.findings.n; i++) {
		if (k->report.findings.v[i].severity != MIG_SEVERITY_NOTE) {
			k->report.findings.v[w++] = k->report.findings.v[i];
		}
	}
	k->report.findings.n = w;
	k->report.verified = -1;
	if (rc < 0 || !k->compared) {
		return rc;
	}
	if (mig_gitcheck_offline_schema(k->g, &revisions, &nsql) < 0) {
		/* a project adopted from an existing database: its first revisions
		 * change tables no revision created */
		const char *e = mig_error_last();
		mig_report_add(&k->report, MIG_FINDING_NOTE, MIG_SEVERITY_NOTE, NULL, 0, 0,
			       "drift not checked: the revisions do not build the schema from an "
			       "empty database (%.*s)",
			       (int)strcspn(e, "\n"), e);
		mig_error_clear();
		return 0;
	}
	compare_opts(&ctx->cfg, &copts);
	rc = mig_gitcheck_drift(mig_db_dialect(ctx->db), k->ag.reflected, revisions,
				k->ag.declared, &copts, nsql > 0, &k->report);
	mig_schema_free(revisions);
	return rc;
}

static bool found_work(const struct check *k)
{
	return k->pending.n || (k->compared && k->ag.upgrade.ops.n) ||
	       mig_report_errors(&k->report);
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
	if (k->mode != CHECK_DATABASE) {
		mig_str_add(out, "null");
	} else if (k->pending.n) {
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
	mig_str_add(out, ", ");
	mig_report_json_members(&k->report, out);
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
		if (!mig_report_errors(&k->report)) {
			mig_str_add(out, "no pending changes\n");
		}
		return;
	}
	if (k->mode == CHECK_DATABASE) {
		mig_str_add(out, "the models differ from the database; 'migrate revision "
				 "--autogenerate' would write:\n");
	} else {
		mig_str_addf(out,
			     "the models differ from the schema the revisions produce (%s); a new "
			     "revision needs:\n",
			     k->mode == CHECK_OFFLINE ? "in memory" : "on a scratch database");
	}
	mig_ops_write(out, &k->ag.upgrade, 0);
}

/* Where the models declare what op is about, or a position with no file. */
static struct mig_pos op_place(const struct mig_op *op, const struct mig_schema *declared)
{
	struct mig_pos none = { NULL, 0, 0 };
	const struct mig_pos *defs[] = {
		op->column_def ? &op->column_def->pos : NULL,
		op->index ? &op->index->pos : NULL,
		op->unique ? &op->unique->pos : NULL,
		op->check ? &op->check->pos : NULL,
		op->fk ? &op->fk->pos : NULL,
		op->table_def ? &op->table_def->pos : NULL,
	};
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		if (defs[i] && defs[i]->file) {
			return *defs[i];
		}
	}
	if (!declared) {
		return none;
	}
	if (op->kind == MIG_OP_CREATE_ENUM || op->kind == MIG_OP_ADD_ENUM_VALUE) {
		const struct mig_enum *e = mig_schema_find_enum(declared, op->schema, op->name);
		return e ? e->pos : none;
	}
	const char *table = op->kind == MIG_OP_RENAME_TABLE ? op->new_name : op->table;
	const struct mig_table *t = table ? mig_schema_find_table(declared, op->schema, table)
					  : NULL;
	if (!t) {
		return none;
	}
	const struct mig_column *c = op->column ? mig_table_find_column(t, op->column) : NULL;
	if (op->kind == MIG_OP_ALTER_COLUMN && op->alter.new_name) {
		c = mig_table_find_column(t, op->alter.new_name);
	}
	return c && c->pos.file ? c->pos : t->pos;
}

/* GitHub annotations for the pending revisions and the model changes. */
static void report_annotations(const struct check *k, struct mig_str *out)
{
	struct mig_report a;
	struct mig_str what = MIG_STR_INIT;
	mig_report_init(&a);
	for (size_t i = 0; i < k->pending.n; i++) {
		const struct mig_revision *r = k->pending.v[i];
		mig_report_add(&a, MIG_FINDING_NOT_APPLIED, MIG_SEVERITY_ERROR, r->path,
			       r->pos_revision.line, 0,
			       "revision %s is not applied to the database (run 'migrate upgrade "
			       "head')",
			       r->id);
	}
	for (size_t i = 0; k->compared && i < k->ag.upgrade.ops.n; i++) {
		const struct mig_op *op = &k->ag.upgrade.ops.v[i];
		struct mig_pos p = op_place(op, k->ag.declared);
		mig_str_reset(&what);
		mig_cmd_describe_op(&what, op);
		mig_report_add(&a, MIG_FINDING_MODEL_CHANGE, MIG_SEVERITY_ERROR, p.file, p.line,
			       p.column, "model change without a revision: %s", what.buf);
	}
	mig_report_format(&a, MIG_REPORT_GITHUB, MIG_REPORT_FINDINGS, out);
	mig_str_release(&what);
	mig_report_release(&a);
}

static int check_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "offline", no_argument, NULL, 'o' },
		{ "scratch", no_argument, NULL, 's' },
		{ "base", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	enum mig_report_format format = MIG_REPORT_TEXT;
	const char *base = NULL;
	bool offline = false, scratch = false;
	struct check k;
	struct mig_str out = MIG_STR_INIT, err = MIG_STR_INIT;
	int c, rc = 0;

	memset(&k, 0, sizeof(k));
	mig_report_init(&k.report);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			offline = true;
			break;
		case 's':
			scratch = true;
			break;
		case 'b':
			base = optarg;
			break;
		case 'f':
			if (mig_report_format_parse(optarg, &format) < 0) {
				rc = mig_cmd_usage_error(&cmd_check_entry, "%s", mig_error_last());
				goto done;
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_check_entry, stdout);
			goto done;
		default:
			fprintf(stderr, "usage: migrate %s\n", cmd_check_entry.usage);
			rc = MIG_EXIT_USAGE;
			goto done;
		}
	}
	if (optind < argc) {
		rc = mig_cmd_usage_error(&cmd_check_entry, "unexpected argument '%s'",
					 argv[optind]);
		goto done;
	}
	if (offline && scratch) {
		rc = mig_cmd_usage_error(&cmd_check_entry,
					 "--offline and --scratch exclude each other");
		goto done;
	}
	k.mode = offline ? CHECK_OFFLINE : scratch ? CHECK_SCRATCH : CHECK_DATABASE;
	/* the git checks first: a revision file deleted on the branch may be
	 * what stops the graph from loading */
	if (base && mig_gitcheck_base(&ctx->cfg, base, &k.report) < 0) {
		goto failed;
	}
	if (mig_revgraph_load_config(&k.g, &ctx->cfg) < 0) {
		goto failed;
	}
	if (k.mode != CHECK_DATABASE) {
		if (check_produced(ctx, &k) < 0) {
			goto failed;
		}
	} else if (check_revisions(ctx, &k) < 0 ||
		   /* comparing a database that misses revisions with the models
		    * would list what those revisions do: say that they are
		    * missing instead */
		   (!k.pending.n && check_database(ctx, &k) < 0) || check_integrity(ctx, &k) < 0) {
		goto failed;
	}

	if (format == MIG_REPORT_JSON) {
		report_json(&k, &out);
	} else if (format == MIG_REPORT_GITHUB) {
		mig_report_format(&k.report, format, MIG_REPORT_ALL, &out);
		report_annotations(&k, &out);
		report_text(&k, &out);
		mig_cmd_print_hints(&k.ag.hints);
	} else {
		mig_report_format(&k.report, format, MIG_REPORT_ADDED | MIG_REPORT_FINDINGS, &out);
		report_text(&k, &out);
		mig_report_format(&k.report, format, MIG_REPORT_NOTES, &err);
		fputs(mig_str_cstr(&err), stderr);
		mig_cmd_print_hints(&k.ag.hints);
	}
	fputs(mig_str_cstr(&out), stdout);
	rc = found_work(&k) ? MIG_EXIT_PENDING : MIG_EXIT_OK;
	goto done;

failed:
	/* what the git checks found is shown before the error that stopped the
	 * rest */
	if (format != MIG_REPORT_JSON) {
		mig_report_format(&k.report, format, MIG_REPORT_ALL, &out);
		fputs(mig_str_cstr(&out), stdout);
	}
	rc = mig_cmd_fail();
done:
	mig_str_release(&out);
	mig_str_release(&err);
	check_release(&k);
	return rc;
}

const struct mig_cmd cmd_check_entry = {
	.name = "check",
	.usage = "check [--offline|--scratch] [--base REF] [--format text|json|github]",
	.summary = "exit 1 when there is pending work: revisions not applied, or model changes "
		   "without a revision",
	.help = "options:\n"
		"      --offline         compare the models with the schema the revisions produce\n"
		"                        in memory: no database (the URL names the dialect only)\n"
		"      --scratch         compare the models with the schema the revisions produce\n"
		"                        on a throwaway database on the URL's server (SQLite: in\n"
		"                        memory; PostgreSQL: a schema; MySQL: a database;\n"
		"                        dropped afterwards)\n"
		"      --base REF        also check the revision files against the git ref REF\n"
		"      --format text|json|github  output format (default text); github prints\n"
		"                        GitHub Actions annotations\n"
		"\n"
		"Against the database (the default), first the revisions: when the database is\n"
		"not at its head revision(s), check lists the revisions not applied yet and\n"
		"stops there (run 'migrate upgrade head'). Then the models: when they differ\n"
		"from the database, it prints the ops 'revision --autogenerate' would write;\n"
		"otherwise 'no pending changes'. It also reports applied revisions whose file\n"
		"changed since (as verify does) and drift: what the database holds that\n"
		"neither the revisions nor the models explain. --offline and --scratch compare\n"
		"the models with what the revisions produce instead; a revision with a raw sql\n"
		"op makes --offline approximate. --base REF reports revision files of the\n"
		"merge base with REF that this branch edited or deleted, heads that the merge\n"
		"would add, and new revisions based on a revision that is no longer a head on\n"
		"REF, each with its file and line. Hints and notes go to stderr as 'hint: …'\n"
		"and 'note: …'. JSON: {\"pending_ops\": [...], \"pending_revisions\":\n"
		"[...], \"hints\": [...], \"findings\": [...], \"errors\": N} (with --base also\n"
		"ref, merge_base and added_revisions); pending_ops null when the revisions\n"
		"stopped the check, pending_revisions null without a database. Exit codes: 0\n"
		"nothing pending, 1 pending work or findings, 2 usage, 3 database error, 4\n"
		"revision or model file error.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = check_exec,
};
