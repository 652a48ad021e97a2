/* migrate heads [-v] [--resolve-dependencies] [--format text|json]: the head
 * revisions of the version folders, as Alembic prints them. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int heads_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "resolve-dependencies", no_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revgraph *g = NULL;
	struct mig_revlist heads = MIG_REVLIST_INIT;
	struct mig_str out = MIG_STR_INIT;
	bool verbose = false, resolve = false, json = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'r':
			resolve = true;
			break;
		case 'f':
			if (mig_cmd_parse_format(&cmd_heads_entry, optarg, &json) < 0) {
				return MIG_EXIT_USAGE;
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_heads_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_heads_entry);
		}
	}
	if (optind < argc) {
		return mig_cmd_unexpected_argument(&cmd_heads_entry, argv[optind]);
	}
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	mig_revgraph_heads(g, resolve, &heads);
	if (json) {
		mig_cmd_json_revisions(&out, &heads);
	} else {
		for (size_t i = 0; i < heads.n; i++) {
			if (verbose) {
				mig_revision_format_entry(&out, heads.v[i]);
			} else {
				mig_revision_format(&out, heads.v[i],
						    MIG_REVFMT_BRANCHES | MIG_REVFMT_HEAD);
			}
			mig_str_addch(&out, '\n');
		}
	}
	fputs(mig_str_cstr(&out), stdout);
done:
	mig_str_release(&out);
	mig_revlist_release(&heads);
	mig_revgraph_free(g);
	return rc;
}

const struct mig_cmd cmd_heads_entry = {
	.name = "heads",
	.usage = "heads [-v] [--resolve-dependencies] [--format text|json]",
	.summary = "show the head revisions of the version folders",
	.help = "options:\n"
		"  -v, --verbose              each head in full (parent, path, message)\n"
		"      --resolve-dependencies leave out heads that another revision depends on\n"
		"      --format text|json     output format (default text)\n"
		"\n"
		"A head is a revision that no other revision names as its down_revision. Each\n"
		"line reads '<revision> (<branch labels>) (head)'; a head that another revision\n"
		"depends on reads '(effective head)'.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = heads_exec,
};
