/* migrate ensure-version [--sql]: create the version table and
 * migrate_history when they are missing. */
#include "migrate.h"

static int ensure_version_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	return mig_cmd_run(ctx, &cmd_ensure_version_entry, MIG_RUN_ENSURE_VERSION, argc, argv);
}

const struct mig_cmd cmd_ensure_version_entry = {
	.name = "ensure-version",
	.usage = "ensure-version [--sql]",
	.summary = "create the version table when it is missing",
	.help = "options:\n"
		"  --sql   print the CREATE TABLE statements instead of running them\n"
		"\n"
		"Creates the version table (version_table in migrate.ini) and migrate_history\n"
		"when they do not exist, and nothing else.\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = ensure_version_exec,
};
