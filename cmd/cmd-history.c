/* migrate history [-r RANGE] [-v] [--format text|json]: the revisions,
 * newest first, as Alembic prints them. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int history_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rev-range", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revgraph *g = NULL;
	struct mig_revlist revs = MIG_REVLIST_INIT;
	struct mig_str out = MIG_STR_INIT;
	const char *range = NULL;
	bool verbose = false, json = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "r:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			range = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'f':
			if (mig_cmd_parse_format(&cmd_history_entry, optarg, &json) < 0) {
				return MIG_EXIT_USAGE;
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_history_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_history_entry);
		}
	}
	if (optind < argc) {
		return mig_cmd_unexpected_argument(&cmd_history_entry, argv[optind]);
	}
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0 ||
	    mig_revgraph_history(g, range, NULL, &revs) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (json) {
		mig_cmd_json_revisions(&out, &revs);
	} else {
		for (size_t i = 0; i < revs.n; i++) {
			if (verbose) {
				mig_revision_format_entry(&out, revs.v[i]);
			} else {
				mig_revision_format(&out, revs.v[i],
						    MIG_REVFMT_PARENTS | MIG_REVFMT_BRANCHES |
							    MIG_REVFMT_HEAD | MIG_REVFMT_TREE |
							    MIG_REVFMT_DOC);
			}
			mig_str_addch(&out, '\n');
		}
	}
	fputs(mig_str_cstr(&out), stdout);
done:
	mig_str_release(&out);
	mig_revlist_release(&revs);
	mig_revgraph_free(g);
	return rc;
}

const struct mig_cmd cmd_history_entry = {
	.name = "history",
	.usage = "history [-r RANGE] [-v] [--format text|json]",
	.summary = "list the revisions, newest first",
	.help = "options:\n"
		"  -r, --rev-range RANGE   only [start]:[end] (both included; start defaults to\n"
		"                          base and end to heads; one side may be relative to the\n"
		"                          other: '-3:' is the last three)\n"
		"  -v, --verbose           each revision in full (parents, path, message)\n"
		"      --format text|json  output format (default text)\n"
		"\n"
		"Each line reads '<down_revision> -> <revision> (<branch labels>) (head)\n"
		"(branchpoint) (mergepoint), <message>'. Targets: an id or a unique prefix of\n"
		"four characters or more, a branch label, head, heads, base, <label>@head,\n"
		"<label>@base, <id>+N, <id>-N.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = history_exec,
};
