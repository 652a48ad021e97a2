/* migrate current [-v]: the revision(s) the database is at, read from the
 * version table. A database without a version table is at no revision: it
 * prints nothing, and the table is not created. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>

static int current_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	const char *table = ctx->cfg.version_table ? ctx->cfg.version_table : "migrate_version";
	const char *schema = ctx->cfg.version_table_schema;
	struct mig_rows rows = MIG_ROWS_INIT;
	struct mig_str sql = MIG_STR_INIT;
	bool verbose = false, exists = false;
	char *quoted = NULL;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			mig_cmd_print_help(&cmd_current_entry, stdout);
			return 0;
		default:
			fprintf(stderr, "usage: migrate %s\n", cmd_current_entry.usage);
			return MIG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		return mig_cmd_usage_error(&cmd_current_entry, "unexpected argument '%s'",
					   argv[optind]);
	}
	if (verbose) {
		char *masked = mig_url_masked(ctx->db->url);
		printf("Current revision(s) for %s:\n", masked);
		free(masked);
	}
	if (mig_db_table_exists(ctx->db, schema, table, &exists) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (!exists) {
		goto done;
	}
	mig_str_add(&sql, "SELECT version_num FROM ");
	if (schema && *schema) {
		quoted = mig_db_quote_ident(ctx->db, schema);
		mig_str_addf(&sql, "%s.", quoted);
		free(quoted);
	}
	quoted = mig_db_quote_ident(ctx->db, table);
	mig_str_addf(&sql, "%s ORDER BY version_num", quoted);
	if (mig_db_query(ctx->db, sql.buf, &rows) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *v = mig_rows_get(&rows, i, 0);
		if (v) {
			printf("%s\n", v);
		}
	}
done:
	mig_rows_release(&rows);
	mig_str_release(&sql);
	free(quoted);
	return rc;
}

const struct mig_cmd cmd_current_entry = {
	.name = "current",
	.usage = "current [-v|--verbose]",
	.summary = "show the revision(s) the database is at",
	.help = "options:\n"
		"  -v, --verbose   say which database first (its URL, password masked)\n"
		"\n"
		"Prints one line per revision in the version table. A database without a version\n"
		"table prints nothing; current never creates it.\n",
	.flags = MIG_CMD_NEEDS_DB,
	.exec = current_exec,
};
