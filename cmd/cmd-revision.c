/* migrate revision -m MSG [...]: write a new revision file from the
 * project's script.yaml.tmpl, then run the post-write hooks. Also the helpers
 * the other revision commands share (writing a revision, --format). */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mig_cmd_parse_format(const struct mig_cmd *cmd, const char *arg, bool *json)
{
	if (strcmp(arg, "json") == 0) {
		*json = true;
		return 0;
	}
	if (strcmp(arg, "text") == 0) {
		*json = false;
		return 0;
	}
	mig_cmd_usage_error(cmd, "unknown format '%s' (use text or json)", arg);
	return MIG_ERROR;
}

void mig_cmd_json_revisions(struct mig_str *out, const struct mig_revlist *revs)
{
	if (!revs->n) {
		mig_str_add(out, "[]\n");
		return;
	}
	mig_str_add(out, "[\n");
	for (size_t i = 0; i < revs->n; i++) {
		mig_str_add(out, "  ");
		mig_revision_format_json(out, revs->v[i]);
		mig_str_add(out, i + 1 < revs->n ? ",\n" : "\n");
	}
	mig_str_add(out, "]\n");
}

/* An absolute form of path, for the "Generating" line (as Alembic prints). */
static char *absolute(const char *path)
{
	if (path[0] == '/') {
		return xstrdup(path);
	}
	char *cwd = getcwd(NULL, 0);
	char *abs = cwd ? mig_path_join(cwd, path[0] == '.' && path[1] == '/' ? path + 2 : path)
			: xstrdup(path);
	free(cwd);
	return abs;
}

int mig_cmd_write_revision(struct mig_ctx *ctx, const struct mig_revgraph *g,
			   const struct mig_revision_opts *opts)
{
	char *path = NULL, *abs = NULL;
	int rc = 0;
	if (mig_revision_generate(g, &ctx->cfg, opts, &path) < 0) {
		return mig_cmd_fail();
	}
	abs = absolute(path);
	if (mig_verbosity > 0) {
		printf("Generating %s ... done\n", abs);
	}
	for (size_t i = 0; i < ctx->cfg.hooks.n; i++) {
		const struct mig_hook *h = &ctx->cfg.hooks.v[i];
		if (mig_verbosity > 0) {
			printf("Running post write hook '%s' ...\n", h->name);
		}
		fflush(stdout);
		if (mig_hook_run(h, abs) < 0) {
			if (mig_verbosity > 0) {
				printf("  FAILED\n");
			}
			fflush(stdout);
			rc = mig_cmd_fail();
			break;
		}
		if (mig_verbosity > 0) {
			printf("  done\n");
		}
	}
	free(abs);
	free(path);
	return rc;
}

/* "a, b" of the ids, or "base" for none. */
static void ids_text(struct mig_str *out, const struct mig_revlist *l)
{
	if (!l->n) {
		mig_str_add(out, "base");
	}
	for (size_t i = 0; i < l->n; i++) {
		mig_str_addf(out, "%s%s", i ? ", " : "", l->v[i]->id);
	}
}

/* The database must be exactly at the revision(s) the new one builds on:
 * the models are compared with what it has. When it is not, *behind gets
 * the message (a new string). */
static int require_at_base(struct mig_ctx *ctx, const struct mig_revgraph *g, const char *head,
			   char **behind)
{
	struct mig_revlist current = MIG_REVLIST_INIT, pending = MIG_REVLIST_INIT;
	struct mig_revlist base = MIG_REVLIST_INIT;
	struct mig_str now = MIG_STR_INIT, want = MIG_STR_INIT;
	*behind = NULL;
	int rc = mig_cmd_pending_revisions(ctx, g, &current, &pending);
	if (rc == 0) {
		rc = mig_revgraph_resolve(g, head ? head : "head", &current, &base);
	}
	if (rc == 0 && !mig_revlist_same_set(&current, &base)) {
		ids_text(&now, &current);
		ids_text(&want, &base);
		*behind = xasprintf("the database is not up to date: run 'migrate upgrade %s' "
				    "first (current: %s; head: %s)",
				    head ? head : "head", now.buf, want.buf);
	}
	mig_str_release(&now);
	mig_str_release(&want);
	mig_revlist_release(&current);
	mig_revlist_release(&pending);
	mig_revlist_release(&base);
	return rc;
}

/* revision --autogenerate: compare, then fill o's op lists (new strings in
 * *up and *down). Returns an exit code. */
static int autogenerate(struct mig_ctx *ctx, const struct mig_revgraph *g, const char *head,
			const struct mig_strlist *renames, bool allow_empty,
			struct mig_revision_opts *o, char **up, char **down)
{
	struct mig_autogen a;
	struct mig_str u = MIG_STR_INIT, d = MIG_STR_INIT, line = MIG_STR_INIT;
	int rc = 0;
	char *behind = NULL;
	memset(&a, 0, sizeof(a));
	if (require_at_base(ctx, g, head, &behind) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (behind) {
		/* like check: revisions not applied are pending work */
		fprintf(stderr, "error: %s\n", behind);
		free(behind);
		rc = MIG_EXIT_PENDING;
		goto done;
	}
	if (mig_cmd_autogenerate(ctx, renames, &a) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	mig_cmd_print_hints(&a.hints);
	if (!a.upgrade.ops.n && !allow_empty) {
		fprintf(stderr, "error: no changes detected between the models and the database; "
				"use --allow-empty to write an empty revision\n");
		rc = MIG_EXIT_PENDING;
		goto done;
	}
	for (size_t i = 0; mig_verbosity > 0 && i < a.upgrade.ops.n; i++) {
		mig_str_reset(&line);
		mig_cmd_describe_op(&line, &a.upgrade.ops.v[i]);
		printf("Detected %s\n", line.buf);
	}
	mig_ops_write(&u, &a.upgrade, 0);
	mig_ops_write(&d, &a.downgrade, 0);
	*up = mig_str_detach(&u);
	*down = mig_str_detach(&d);
	o->upgrades = *up;
	o->downgrades = *down;
done:
	mig_str_release(&u);
	mig_str_release(&d);
	mig_str_release(&line);
	mig_autogen_release(&a);
	return rc;
}

static int revision_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "head", required_argument, NULL, 'H' },
		{ "splice", no_argument, NULL, 's' },
		{ "branch-label", required_argument, NULL, 'b' },
		{ "depends-on", required_argument, NULL, 'd' },
		{ "rev-id", required_argument, NULL, 'i' },
		{ "version-path", required_argument, NULL, 'p' },
		{ "autogenerate", no_argument, NULL, 'a' },
		{ "rename", required_argument, NULL, 'r' },
		{ "allow-empty", no_argument, NULL, 'e' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revision_opts o = { 0 };
	struct mig_strlist labels = MIG_STRLIST_INIT, deps = MIG_STRLIST_INIT;
	struct mig_strlist renames = MIG_STRLIST_INIT;
	struct mig_revgraph *g = NULL;
	const char *head = NULL;
	char *up = NULL, *down = NULL;
	bool autogen = false, allow_empty = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o.message = optarg;
			break;
		case 'H':
			head = optarg;
			break;
		case 's':
			o.splice = true;
			break;
		case 'b':
			mig_strlist_push(&labels, optarg);
			break;
		case 'd':
			mig_strlist_push(&deps, optarg);
			break;
		case 'i':
			o.rev_id = optarg;
			break;
		case 'p':
			o.version_path = optarg;
			break;
		case 'a':
			autogen = true;
			break;
		case 'r':
			mig_strlist_push(&renames, optarg);
			break;
		case 'e':
			allow_empty = true;
			break;
		case 'h':
			mig_cmd_print_help(&cmd_revision_entry, stdout);
			goto done;
		default:
			fprintf(stderr, "usage: migrate %s\n", cmd_revision_entry.usage);
			rc = MIG_EXIT_USAGE;
			goto done;
		}
	}
	if (optind < argc) {
		rc = mig_cmd_usage_error(&cmd_revision_entry, "unexpected argument '%s'",
					 argv[optind]);
		goto done;
	}
	if (!o.message) {
		rc = mig_cmd_usage_error(&cmd_revision_entry, "missing -m MESSAGE");
		goto done;
	}
	if (!autogen && (renames.n || allow_empty)) {
		rc = mig_cmd_usage_error(&cmd_revision_entry, "%s goes with --autogenerate",
					 renames.n ? "--rename" : "--allow-empty");
		goto done;
	}
	if (head) {
		o.heads = &head;
		o.nheads = 1;
	}
	o.branch_labels = (const char *const *)labels.v;
	o.nbranch_labels = labels.n;
	o.depends_on = (const char *const *)deps.v;
	o.ndepends_on = deps.n;
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (autogen && (rc = autogenerate(ctx, g, head, &renames, allow_empty, &o, &up, &down))) {
		goto done;
	}
	rc = mig_cmd_write_revision(ctx, g, &o);
done:
	free(up);
	free(down);
	mig_strlist_release(&renames);
	mig_revgraph_free(g);
	mig_strlist_release(&labels);
	mig_strlist_release(&deps);
	return rc;
}

const struct mig_cmd cmd_revision_entry = {
	.name = "revision",
	.usage = "revision -m MESSAGE [--autogenerate [--rename OLD:NEW]... [--allow-empty]]\n"
		 "                [--head REV] [--splice] [--branch-label LABEL]\n"
		 "                [--depends-on REV]... [--rev-id ID] [--version-path DIR]",
	.summary = "write a new revision file",
	.help = "options:\n"
		"  -m, --message MESSAGE   what the revision does (also the file name's slug)\n"
		"      --autogenerate      fill the upgrade and downgrade with the ops that make\n"
		"                          the database match the models (see 'migrate diff');\n"
		"                          the database must be at the revision the new one\n"
		"                          builds on\n"
		"      --rename OLD:NEW    with --autogenerate: a table (t_old:t_new) or a column\n"
		"                          (table.c_old:c_new) that was renamed, written as\n"
		"                          rename_table or alter_column new_name instead of a\n"
		"                          drop and a create (repeatable)\n"
		"      --allow-empty       with --autogenerate: write the revision even when the\n"
		"                          models and the database agree\n"
		"      --head REV          the revision to build on (default: head; 'heads'\n"
		"                          builds on every head, as a merge; 'base' starts a\n"
		"                          new root)\n"
		"      --splice            allow --head to name a revision that is not a head,\n"
		"                          which starts a new branch\n"
		"      --branch-label L    give the new branch a label (repeatable)\n"
		"      --depends-on REV    a revision or branch label this one depends on\n"
		"                          (repeatable)\n"
		"      --rev-id ID         the id (default: 12 random hex digits)\n"
		"      --version-path DIR  the version folder to write to\n"
		"\n"
		"The file is <script_location>/versions/<file_template>.yaml, rendered from\n"
		"<script_location>/script.yaml.tmpl, with empty upgrade and downgrade lists\n"
		"unless --autogenerate fills them; the [post_write_hooks] of migrate.ini run on\n"
		"it. $SOURCE_DATE_EPOCH, when set, is the create_date. With --autogenerate, the\n"
		"ops found are listed ('Detected …') and hints (possible renames, differences\n"
		"no op expresses) go to stderr as 'hint: …'; when there is nothing to do, no\n"
		"file is written and the exit code is 1 (--allow-empty writes one anyway).\n"
		"Exit codes: 0 written, 1 nothing to do or the database not up to date, 2 usage,\n"
		"3 database error, 4 revision or model file error.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = revision_exec,
};
