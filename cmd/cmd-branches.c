/* migrate branches [-v]: the branch points of the history, each with the
 * revisions that grow from it, as Alembic prints them. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int branches_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revgraph *g = NULL;
	struct mig_revlist all = MIG_REVLIST_INIT;
	struct mig_str out = MIG_STR_INIT;
	bool verbose = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			mig_cmd_print_help(&cmd_branches_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_branches_entry);
		}
	}
	if (optind < argc) {
		return mig_cmd_unexpected_argument(&cmd_branches_entry, argv[optind]);
	}
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	mig_revgraph_walk(g, &all);
	for (size_t i = 0; i < all.n; i++) {
		const struct mig_revision *r = all.v[i];
		if (!mig_revision_is_branch_point(r)) {
			continue;
		}
		if (verbose) {
			mig_revision_format_entry(&out, r);
		} else {
			mig_revision_format(&out, r, MIG_REVFMT_BRANCHES | MIG_REVFMT_HEAD |
							     MIG_REVFMT_TREE);
		}
		mig_str_addch(&out, '\n');
		for (size_t k = 0; k < r->nchildren; k++) {
			mig_str_addf(&out, "%*s -> ", (int)strlen(r->id), "");
			unsigned flags = MIG_REVFMT_BRANCHES | MIG_REVFMT_HEAD | MIG_REVFMT_TREE;
			mig_revision_format(&out, r->children[k],
					    flags | (verbose ? MIG_REVFMT_DOC : 0));
			mig_str_addch(&out, '\n');
		}
		mig_str_addch(&out, '\n');
	}
	fputs(mig_str_cstr(&out), stdout);
done:
	mig_str_release(&out);
	mig_revlist_release(&all);
	mig_revgraph_free(g);
	return rc;
}

const struct mig_cmd cmd_branches_entry = {
	.name = "branches",
	.usage = "branches [-v]",
	.summary = "show the branch points of the history",
	.help = "options:\n"
		"  -v, --verbose   each branch point in full, and the message of each branch\n"
		"\n"
		"A branch point is a revision that more than one revision names as its\n"
		"down_revision. Each is printed with one ' -> <revision>' line per branch.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = branches_exec,
};
