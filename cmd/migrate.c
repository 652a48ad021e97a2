/* The migrate executable: global options, the command table, and the setup a
 * command asks for (configuration, database connection). */
#include "migrate.h"

#include <getopt.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static const struct mig_cmd *const commands[] = {
	&cmd_init_entry,
	&cmd_list_templates_entry,
	&cmd_current_entry,
	&cmd_upgrade_entry,
	&cmd_downgrade_entry,
	&cmd_stamp_entry,
	&cmd_ensure_version_entry,
	&cmd_reflect_entry,
	&cmd_revision_entry,
	&cmd_diff_entry,
	&cmd_check_entry,
	&cmd_merge_entry,
	&cmd_heads_entry,
	&cmd_branches_entry,
	&cmd_history_entry,
	&cmd_show_entry,
	&cmd_edit_entry,
	&cmd_verify_entry,
	NULL,
};

static void print_main_help(FILE *f)
{
	fputs("usage: migrate [-c FILE] [--url URL] [-q|-v] COMMAND [options]\n"
	      "\n"
	      "Schema migrations for PostgreSQL, MySQL/MariaDB and SQLite.\n"
	      "\n"
	      "global options:\n"
	      "  -c, --config FILE   configuration file (default: $MIGRATE_CONFIG, ./migrate.ini)\n"
	      "      --url URL       database URL (overrides $MIGRATE_URL and the ini file)\n"
	      "  -q, --quiet         print only errors and requested output\n"
	      "  -v, --verbose       print more detail\n"
	      "      --version       print the version and exit\n"
	      "  -h, --help          print this help and exit\n"
	      "\n"
	      "commands:\n",
	      f);
	for (size_t i = 0; commands[i]; i++) {
		fprintf(f, "  %-16s %s\n", commands[i]->name, commands[i]->summary);
	}
	fputs("\nRun 'migrate COMMAND --help' for a command's options.\n"
	      "Exit codes: 0 success, 1 check found pending work, 2 usage or configuration error,\n"
	      "3 database error, 4 revision or model file error.\n",
	      f);
}

void mig_cmd_print_help(const struct mig_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: migrate %s\n\n%s\n", cmd->usage, cmd->summary);
	if (cmd->help && *cmd->help) {
		fprintf(f, "\n%s", cmd->help);
		if (cmd->help[strlen(cmd->help) - 1] != '\n') {
			fputc('\n', f);
		}
	}
}

int mig_cmd_usage_error(const struct mig_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: migrate %s\n", cmd->usage);
	return MIG_EXIT_USAGE;
}

int mig_cmd_bad_option(const struct mig_cmd *cmd)
{
	fprintf(stderr, "usage: migrate %s\n", cmd->usage);
	return MIG_EXIT_USAGE;
}

int mig_cmd_unexpected_argument(const struct mig_cmd *cmd, const char *arg)
{
	return mig_cmd_usage_error(cmd, "unexpected argument '%s'", arg);
}

int mig_cmd_fail(void)
{
	fprintf(stderr, "error: %s\n", mig_error_last());
	return mig_error_exit_code();
}

int mig_cmd_open_db(struct mig_ctx *ctx)
{
	if (ctx->db) {
		return 0;
	}
	if (!ctx->cfg.url || !*ctx->cfg.url) {
		return mig_error(MIG_ECLASS_USAGE,
				 "no database URL: pass --url, set $MIGRATE_URL, or set 'url' in "
				 "migrate.ini");
	}
	return mig_db_open(&ctx->db, ctx->cfg.url);
}

static const struct mig_cmd *find_command(const char *name)
{
	for (size_t i = 0; commands[i]; i++) {
		if (strcmp(commands[i]->name, name) == 0) {
			return commands[i];
		}
	}
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			return false;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return true;
		}
	}
	return false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "url", required_argument, NULL, 'U' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct mig_ctx ctx = { 0 };
	const struct mig_cmd *cmd;
	char **cargv;
	int c, rc, cargc;

	/* Revision files are parsed one after another, each with buffers that
	 * libyaml allocates and frees; by default glibc hands the memory back to
	 * the system after each file and asks for it again for the next one
	 * (a quarter of the CPU time of an upgrade through 1,000 revisions). */
	mallopt(M_TOP_PAD, 4 << 20);
	ctx.argv0 = argv[0];
	mig_config_init(&ctx.cfg);
	while ((c = getopt_long(argc, argv, "+c:qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctx.config_path = optarg;
			break;
		case 'U':
			ctx.url_override = optarg;
			break;
		case 'q':
			mig_verbosity = 0;
			break;
		case 'v':
			mig_verbosity = 2;
			break;
		case 'V':
			printf("migrate %s\n", MIG_VERSION);
			rc = 0;
			goto done;
		case 'h':
			print_main_help(stdout);
			rc = 0;
			goto done;
		default:
			fputs("usage: migrate [-c FILE] [--url URL] [-q|-v] COMMAND [options]\n",
			      stderr);
			rc = MIG_EXIT_USAGE;
			goto done;
		}
	}
	if (optind >= argc) {
		print_main_help(stderr);
		rc = MIG_EXIT_USAGE;
		goto done;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "error: unknown command '%s'; see 'migrate --help'\n",
			argv[optind]);
		rc = MIG_EXIT_USAGE;
		goto done;
	}
	cargc = argc - optind;
	cargv = argv + optind;
	if (wants_help(cargc, cargv)) {
		mig_cmd_print_help(cmd, stdout);
		rc = 0;
		goto done;
	}

	if (cmd->flags & (MIG_CMD_NEEDS_CONFIG | MIG_CMD_OPT_CONFIG | MIG_CMD_NEEDS_DB)) {
		bool required = (cmd->flags & MIG_CMD_NEEDS_CONFIG) != 0;
		if (mig_config_load(&ctx.cfg, ctx.config_path, ctx.url_override, required) < 0) {
			rc = mig_cmd_fail();
			goto done;
		}
		for (size_t i = 0; i < ctx.cfg.warnings.n; i++) {
			fprintf(stderr, "warning: %s\n", ctx.cfg.warnings.v[i]);
		}
	}
	if (cmd->flags & MIG_CMD_NEEDS_DB) {
		if (mig_cmd_open_db(&ctx) < 0) {
			rc = mig_cmd_fail();
			goto done;
		}
	}
	optind = 0; /* reset getopt for the command (glibc: 0 re-initialises) */
	rc = cmd->exec(&ctx, cargc, cargv);
done:
	mig_db_close(ctx.db);
	mig_config_release(&ctx.cfg);
	mig_error_clear();
	return rc;
}
