/* migrate stamp TARGET... [--purge] [--sql]: set the version table without
 * running any op. */
#include "migrate.h"

static int stamp_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	return mig_cmd_run(ctx, &cmd_stamp_entry, MIG_RUN_STAMP, argc, argv);
}

const struct mig_cmd cmd_stamp_entry = {
	.name = "stamp",
	.usage = "stamp TARGET... [--purge] [--sql]",
	.summary = "set the version table to TARGET without running ops",
	.help = "options:\n"
		"  --purge   delete every version row first, without checking what they name\n"
		"  --sql     print the SQL script instead of running it (no connection); the\n"
		"            first TARGET may then be a range FROM:TO\n"
		"\n"
		"Several targets may be given (one per branch). Each target replaces the rows of\n"
		"its own line of revisions; rows on other branches stay. 'stamp base' empties\n"
		"the table. The version table is created when missing.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = stamp_exec,
};
