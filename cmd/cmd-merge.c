/* migrate merge REVS... -m MSG: a new revision whose down_revision is every
 * revision given ("heads": every head), joining branches. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int merge_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "branch-label", required_argument, NULL, 'b' },
		{ "rev-id", required_argument, NULL, 'i' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revision_opts o = { 0 };
	struct mig_strlist labels = MIG_STRLIST_INIT;
	struct mig_revgraph *g = NULL;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			o.message = optarg;
			break;
		case 'b':
			mig_strlist_push(&labels, optarg);
			break;
		case 'i':
			o.rev_id = optarg;
			break;
		case 'h':
			mig_cmd_print_help(&cmd_merge_entry, stdout);
			goto done;
		default:
			rc = mig_cmd_bad_option(&cmd_merge_entry);
			goto done;
		}
	}
	if (optind >= argc) {
		rc = mig_cmd_usage_error(&cmd_merge_entry,
					 "missing the revisions to merge ('heads' for all heads)");
		goto done;
	}
	if (!o.message) {
		rc = mig_cmd_usage_error(&cmd_merge_entry, "missing -m MESSAGE");
		goto done;
	}
	o.heads = (const char *const *)argv + optind;
	o.nheads = (size_t)(argc - optind);
	o.merge = true;
	o.branch_labels = (const char *const *)labels.v;
	o.nbranch_labels = labels.n;
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	rc = mig_cmd_write_revision(ctx, g, &o);
done:
	mig_revgraph_free(g);
	mig_strlist_release(&labels);
	return rc;
}

const struct mig_cmd cmd_merge_entry = {
	.name = "merge",
	.usage = "merge REV... -m MESSAGE [--branch-label LABEL] [--rev-id ID]",
	.summary = "write a revision that merges two or more heads",
	.help = "options:\n"
		"  -m, --message MESSAGE   what the merge is for\n"
		"      --branch-label L    give the merged branch a label\n"
		"      --rev-id ID         the id (default: 12 random hex digits)\n"
		"\n"
		"Each REV must be a head; 'heads' stands for every head. The new revision's\n"
		"down_revision lists them all and its upgrade and downgrade lists are empty.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = merge_exec,
};
