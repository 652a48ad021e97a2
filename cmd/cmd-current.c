/* migrate current [-v] [--format text|json]: the revision(s) the database is
 * at, read from the version table and shown as the graph knows them (as bare
 * ids where there are no revision files to read). A database without a
 * version table is at no revision: it prints nothing, and the table is not
 * created. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>

static int current_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revgraph *g = NULL;
	struct mig_strlist rows = MIG_STRLIST_INIT;
	struct mig_revlist revs = MIG_REVLIST_INIT;
	struct mig_str out = MIG_STR_INIT;
	bool verbose = false, json = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'f':
			if (mig_cmd_parse_format(&cmd_current_entry, optarg, &json) < 0) {
				return MIG_EXIT_USAGE;
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_current_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_current_entry);
		}
	}
	if (optind < argc) {
		return mig_cmd_unexpected_argument(&cmd_current_entry, argv[optind]);
	}
	char *versions = mig_config_versions_dir(&ctx->cfg);
	bool have_files = mig_path_is_dir(versions);
	free(versions);
	if ((have_files && mig_revgraph_load_config(&g, &ctx->cfg) < 0) ||
	    mig_run_read_versions(ctx->db, &ctx->cfg, &rows, NULL) < 0 ||
	    (g && mig_revgraph_current(g, &rows, &revs) < 0)) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (!g) {
		/* no revision files: the rows as they are */
		if (json) {
			mig_str_add(&out, rows.n ? "[\n" : "[]\n");
			for (size_t i = 0; i < rows.n; i++) {
				mig_str_add(&out, "  {\"revision\": ");
				mig_json_string(&out, rows.v[i]);
				mig_str_add(&out, i + 1 < rows.n ? "},\n" : "}\n]\n");
			}
		} else {
			if (verbose) {
				char *masked = mig_url_masked(ctx->db->url);
				mig_str_addf(&out, "Current revision(s) for %s:\n", masked);
				free(masked);
			}
			for (size_t i = 0; i < rows.n; i++) {
				mig_str_addf(&out, "%s\n", rows.v[i]);
			}
		}
	} else if (json) {
		mig_cmd_json_revisions(&out, &revs);
	} else {
		if (verbose) {
			char *masked = mig_url_masked(ctx->db->url);
			mig_str_addf(&out, "Current revision(s) for %s:\n", masked);
			free(masked);
		}
		for (size_t i = 0; i < revs.n; i++) {
			if (verbose) {
				mig_revision_format_entry(&out, revs.v[i]);
			} else {
				mig_revision_format(&out, revs.v[i],
						    MIG_REVFMT_BRANCHES | MIG_REVFMT_HEAD);
				mig_str_addch(&out, '\n');
			}
		}
	}
	fputs(mig_str_cstr(&out), stdout);
done:
	mig_str_release(&out);
	mig_revlist_release(&revs);
	mig_strlist_release(&rows);
	mig_revgraph_free(g);
	return rc;
}

const struct mig_cmd cmd_current_entry = {
	.name = "current",
	.usage = "current [-v|--verbose] [--format text|json]",
	.summary = "show the revision(s) the database is at",
	.help = "options:\n"
		"  -v, --verbose          say which database first (its URL, password masked),\n"
		"                         then each revision in full\n"
		"      --format text|json output format (default text)\n"
		"\n"
		"Prints one line per row of the version table: '<revision> (<branch labels>)\n"
		"(head)', '(head)' only when the revision is a head. A database without a version\n"
		"table prints nothing; current never creates it. A row that no revision file\n"
		"defines is an error (exit code 4). Without a versions folder (no project), the\n"
		"rows are printed as they are.\n",
	.flags = MIG_CMD_OPT_CONFIG | MIG_CMD_NEEDS_DB,
	.exec = current_exec,
};
