/* migrate verify [--format text|json|github]: compare every applied revision
 * with its file, by the git blob id migrate_history recorded when it was
 * applied. Exit 1 when a file changed since, or an applied revision has no
 * file. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>

static int verify_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	enum mig_report_format format = MIG_REPORT_TEXT;
	struct mig_report report;
	struct mig_revgraph *g = NULL;
	struct mig_str out = MIG_STR_INIT;
	int c, rc = 0;

	mig_report_init(&report);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (mig_report_format_parse(optarg, &format) < 0) {
				return mig_cmd_usage_error(&cmd_verify_entry, "%s",
							   mig_error_last());
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_verify_entry, stdout);
			return 0;
		default:
			fprintf(stderr, "usage: migrate %s\n", cmd_verify_entry.usage);
			return MIG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		return mig_cmd_usage_error(&cmd_verify_entry, "unexpected argument '%s'",
					   argv[optind]);
	}
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0 ||
	    mig_gitcheck_verify(ctx->db, g, &ctx->cfg, &report) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (format == MIG_REPORT_TEXT) {
		/* notes go beside hints, on stderr */
		struct mig_str notes = MIG_STR_INIT;
		mig_report_format(&report, format, MIG_REPORT_NOTES, &notes);
		fputs(mig_str_cstr(&notes), stderr);
		mig_str_release(&notes);
		mig_report_format(&report, format, MIG_REPORT_ALL & ~MIG_REPORT_NOTES, &out);
	} else {
		mig_report_format(&report, format, MIG_REPORT_ALL, &out);
	}
	fputs(mig_str_cstr(&out), stdout);
	rc = mig_report_errors(&report) ? MIG_EXIT_PENDING : MIG_EXIT_OK;
done:
	mig_str_release(&out);
	mig_report_release(&report);
	mig_revgraph_free(g);
	return rc;
}

const struct mig_cmd cmd_verify_entry = {
	.name = "verify",
	.usage = "verify [--format text|json|github]",
	.summary = "check that applied revisions still match their files",
	.help = "options:\n"
		"      --format text|json|github  output format (default text); github prints\n"
		"                                 GitHub Actions annotations\n"
		"\n"
		"migrate_history records the git blob id of each revision file as it was\n"
		"applied (what 'git hash-object' prints). verify compares it with the file now,\n"
		"for the revisions in the version table and their ancestors, and reports a\n"
		"file that changed since (with the first changed line when the git repository\n"
		"still has the applied version) and a version row that no file describes.\n"
		"Notes go to stderr as 'note: …'. Exit status 1 when it reports anything.\n",
	.flags = MIG_CMD_NEEDS_CONFIG | MIG_CMD_NEEDS_DB,
	.exec = verify_exec,
};
