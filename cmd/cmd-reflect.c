/* migrate reflect [--output DIR|-]: the live database as model YAML, to adopt
 * migrate on an existing database. What the model cannot represent (views,
 * triggers, …) is named in warnings on stderr, never dropped silently. */
#include "migrate.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* 0 when dir is missing or an empty folder; else a usage error. */
static int check_output_dir(const char *dir)
{
	if (!mig_path_exists(dir)) {
		return 0;
	}
	if (!mig_path_is_dir(dir)) {
		return mig_error(MIG_ECLASS_USAGE, "output '%s' is not a folder", dir);
	}
	DIR *d = opendir(dir);
	if (!d) {
		return mig_error(MIG_ECLASS_USAGE, "cannot open folder '%s': %s", dir,
				 strerror(errno));
	}
	bool empty = true;
	struct dirent *e;
	while (empty && (e = readdir(d)) != NULL) {
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	}
	closedir(d);
	if (!empty) {
		return mig_error(MIG_ECLASS_USAGE,
				 "output folder '%s' is not empty (reflect writes only into a new "
				 "or empty folder, so that no old model file is left beside the "
				 "new ones)",
				 dir);
	}
	return 0;
}

static int reflect_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	const char *output = NULL;
	struct mig_schema *s = NULL;
	struct mig_str yaml = MIG_STR_INIT;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "o:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "yaml") != 0) {
				return mig_cmd_usage_error(&cmd_reflect_entry,
							   "unknown format '%s' (reflect writes "
							   "yaml)",
							   optarg);
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_reflect_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_reflect_entry);
		}
	}
	/* the output may also be given as the one argument: reflect - */
	if (optind < argc && !output) {
		output = argv[optind++];
	}
	if (optind < argc) {
		return mig_cmd_unexpected_argument(&cmd_reflect_entry, argv[optind]);
	}
	if (!output) {
		output = "-";
	}
	if (!*output) {
		return mig_cmd_usage_error(&cmd_reflect_entry, "--output needs a folder or '-'");
	}
	bool to_stdout = strcmp(output, "-") == 0;
	if (!to_stdout && check_output_dir(output) < 0) {
		return mig_cmd_fail();
	}

	struct mig_reflect_opts ropts = {
		.version_table = ctx->cfg.version_table,
		.version_table_schema = ctx->cfg.version_table_schema,
		.include_schemas = ctx->cfg.include_schemas,
		.exclude_tables = &ctx->cfg.exclude_tables,
	};
	if (mig_db_reflect(ctx->db, &ropts, &s) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (mig_verbosity > 0) {
		for (size_t i = 0; i < s->warnings.n; i++) {
			fprintf(stderr, "warning: %s\n", s->warnings.v[i]);
		}
	}
	if (to_stdout) {
		mig_model_write(&yaml, s);
		if (fwrite(yaml.buf, 1, yaml.len, stdout) != yaml.len || fflush(stdout) != 0) {
			mig_error(MIG_ECLASS_OS, "cannot write to standard output: %s",
				  strerror(errno));
			rc = mig_cmd_fail();
		}
		goto done;
	}
	if (mig_model_write_dir(s, output) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (mig_verbosity > 0) {
		printf("wrote %zu table%s to %s\n", s->tables.n, s->tables.n == 1 ? "" : "s",
		       output);
	}
done:
	mig_str_release(&yaml);
	mig_schema_free(s);
	return rc;
}

const struct mig_cmd cmd_reflect_entry = {
	.name = "reflect",
	.usage = "reflect [[-o|--output] DIR|-] [--format yaml]",
	.summary = "write the live database as model YAML, to adopt an existing database",
	.help = "options:\n"
		"  -o, --output DIR    write one <table>.yaml per table (and _schema.yaml for\n"
		"                      enums, when any) into DIR, which must be new or empty;\n"
		"                      '-' (the default) writes one YAML stream to stdout;\n"
		"                      DIR or '-' may also be given without -o\n"
		"      --format yaml   the output format (yaml, the only one)\n"
		"  -h, --help          print this help and exit\n"
		"\n"
		"The database comes from --url, $MIGRATE_URL or 'url' in migrate.ini. The\n"
		"version table and the tables matching exclude_tables are left out. What the\n"
		"model cannot represent (views, triggers, …) is named on stderr as\n"
		"'warning: …'. Exit codes: 0 done, 2 usage (e.g. DIR not empty), 3 database\n"
		"error.\n",
	.flags = MIG_CMD_OPT_CONFIG | MIG_CMD_NEEDS_DB,
	.exec = reflect_exec,
};
