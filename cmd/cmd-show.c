/* migrate show REV [--format text|json]: one revision in full, as Alembic
 * prints it. The file is read in full, so a broken op is reported too. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int show_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revgraph *g = NULL;
	struct mig_revlist revs = MIG_REVLIST_INIT;
	struct mig_str out = MIG_STR_INIT;
	bool json = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (mig_cmd_parse_format(&cmd_show_entry, optarg, &json) < 0) {
				return MIG_EXIT_USAGE;
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_show_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_show_entry);
		}
	}
	if (optind >= argc) {
		return mig_cmd_usage_error(&cmd_show_entry, "missing the revision to show");
	}
	if (optind + 1 < argc) {
		return mig_cmd_unexpected_argument(&cmd_show_entry, argv[optind + 1]);
	}
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0 ||
	    mig_revgraph_resolve(g, argv[optind], NULL, &revs) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (revs.n == 0) {
		fprintf(stderr, "error: '%s' names no revision\n", argv[optind]);
		rc = MIG_EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < revs.n; i++) {
		struct mig_revision_file *f = NULL;
		if (mig_revision_load_full(revs.v[i]->path, &f) < 0) {
			rc = mig_cmd_fail();
			goto done;
		}
		mig_revision_file_free(f);
	}
	if (json) {
		mig_cmd_json_revisions(&out, &revs);
	} else {
		for (size_t i = 0; i < revs.n; i++) {
			mig_revision_format_entry(&out, revs.v[i]);
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

const struct mig_cmd cmd_show_entry = {
	.name = "show",
	.usage = "show REV [--format text|json]",
	.summary = "show a revision: its parents, branches, path and message",
	.help = "options:\n"
		"      --format text|json  output format (default text)\n"
		"\n"
		"REV is an id or a unique prefix of four characters or more, a branch label,\n"
		"head, heads, <label>@head, <id>-N… ('heads' shows each head).\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = show_exec,
};
