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
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revision_opts o = { 0 };
	struct mig_strlist labels = MIG_STRLIST_INIT, deps = MIG_STRLIST_INIT;
	struct mig_revgraph *g = NULL;
	const char *head = NULL;
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
	rc = mig_cmd_write_revision(ctx, g, &o);
done:
	mig_revgraph_free(g);
	mig_strlist_release(&labels);
	mig_strlist_release(&deps);
	return rc;
}

const struct mig_cmd cmd_revision_entry = {
	.name = "revision",
	.usage = "revision -m MESSAGE [--head REV] [--splice] [--branch-label LABEL]\n"
		 "                [--depends-on REV]... [--rev-id ID] [--version-path DIR]",
	.summary = "write a new revision file",
	.help = "options:\n"
		"  -m, --message MESSAGE   what the revision does (also the file name's slug)\n"
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
		"<script_location>/script.yaml.tmpl with empty upgrade and downgrade lists; the\n"
		"[post_write_hooks] of migrate.ini run on it. $SOURCE_DATE_EPOCH, when set, is\n"
		"the create_date.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = revision_exec,
};
