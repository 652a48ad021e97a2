/* migrate init DIR [-t TEMPLATE]: start a project from a template. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* "unknown template 'x' (available: a, b)" from whatever the folder offers. */
static int unknown_template(const char *dir, const char *name)
{
	struct mig_template_list list = MIG_TEMPLATE_LIST_INIT;
	fprintf(stderr, "error: unknown template '%s'", name);
	if (mig_templates_list(dir, &list) == 0 && list.n > 0) {
		fputs(" (available: ", stderr);
		for (size_t i = 0; i < list.n; i++) {
			fprintf(stderr, "%s%s", i ? ", " : "", list.v[i].name);
		}
		fputc(')', stderr);
	}
	fputs("; see 'migrate list-templates'\n", stderr);
	mig_template_list_release(&list);
	return MIG_EXIT_USAGE;
}

static int init_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "template", required_argument, NULL, 't' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_template_created created = MIG_TEMPLATE_CREATED_INIT;
	const char *template = "generic";
	char *dir = NULL, *ini = NULL;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			template = optarg;
			break;
		case 'h':
			mig_cmd_print_help(&cmd_init_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_init_entry);
		}
	}
	if (optind >= argc) {
		return mig_cmd_usage_error(&cmd_init_entry, "missing DIR");
	}
	if (optind + 1 < argc) {
		return mig_cmd_unexpected_argument(&cmd_init_entry, argv[optind + 1]);
	}
	if (mig_templates_find_dir(&dir) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	rc = mig_template_copy(dir, template, argv[optind], &created);
	if (rc == MIG_ENOTFOUND) {
		rc = unknown_template(dir, template);
		goto done;
	} else if (rc < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (mig_verbosity == 0) {
		goto done;
	}
	/* the tree is in place already (it was renamed in whole); report it the way
	 * it was built: folders, then files */
	for (size_t i = 0; i < created.dirs.n; i++) {
		printf("Creating directory '%s' ... done\n", created.dirs.v[i]);
	}
	for (size_t i = 0; i < created.files.n; i++) {
		printf("Generating '%s' ... done\n", created.files.v[i]);
		if (!ini && mig_ends_with(created.files.v[i], "/migrate.ini")) {
			ini = created.files.v[i];
		}
	}
	if (ini) {
		printf("Please edit the database URL in '%s' before running migrations against a "
		       "server (the default is a SQLite file beside it).\n",
		       ini);
	}
done:
	mig_template_created_release(&created);
	free(dir);
	return rc;
}

const struct mig_cmd cmd_init_entry = {
	.name = "init",
	.usage = "init DIR [-t TEMPLATE]",
	.summary = "create a project folder: migrate.ini, migrations/ and example models",
	.help = "options:\n"
		"  -t, --template TEMPLATE   the template to copy (default: generic); see\n"
		"                            'migrate list-templates'\n"
		"\n"
		"DIR must not exist or be empty; missing parent folders are created. Nothing is\n"
		"left behind when init fails.\n",
	.flags = 0,
	.exec = init_exec,
};
