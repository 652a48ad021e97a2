/* migrate downgrade TARGET [--sql]: revert the revisions above TARGET. */
#include "migrate.h"

static int downgrade_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	return mig_cmd_run(ctx, &cmd_downgrade_entry, MIG_RUN_DOWNGRADE, argc, argv);
}

const struct mig_cmd cmd_downgrade_entry = {
	.name = "downgrade",
	.usage = "downgrade TARGET [--sql]",
	.summary = "revert the revisions above TARGET",
	.help = "options:\n"
		"  --sql   print the SQL script instead of running it (no connection); TARGET\n"
		"          must then be a range FROM:TO\n"
		"\n"
		"TARGET is a revision (id, prefix, label), base, <label>@base, or relative (-1,\n"
		"<id>-2). Each reverted revision runs its downgrade ops; locking and\n"
		"transactions are as for upgrade.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = downgrade_exec,
};
