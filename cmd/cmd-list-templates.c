/* migrate list-templates: the templates `migrate init` can copy. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int list_templates_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_template_list list = MIG_TEMPLATE_LIST_INIT;
	char *dir = NULL;
	int c, rc = 0, width = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			mig_cmd_print_help(&cmd_list_templates_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_list_templates_entry);
		}
	}
	if (optind < argc) {
		return mig_cmd_unexpected_argument(&cmd_list_templates_entry, argv[optind]);
	}
	if (mig_templates_find_dir(&dir) < 0 || mig_templates_list(dir, &list) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (list.n == 0) {
		fprintf(stderr, "error: no templates in '%s'\n", dir);
		rc = MIG_EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < list.n; i++) {
		int n = (int)strlen(list.v[i].name);
		width = n > width ? n : width;
	}
	printf("Available templates:\n\n");
	for (size_t i = 0; i < list.n; i++) {
		if (*list.v[i].description) {
			printf("  %-*s  %s\n", width, list.v[i].name, list.v[i].description);
		} else {
			printf("  %s\n", list.v[i].name);
		}
	}
	/* the example names the project template when there is one */
	const char *example = list.v[0].name;
	for (size_t i = 0; i < list.n; i++) {
		if (strcmp(list.v[i].name, "generic") == 0) {
			example = list.v[i].name;
		}
	}
	printf("\nTemplates are used via the 'init' command, e.g.:\n\n"
	       "  migrate init ./project -t %s\n",
	       example);
done:
	mig_template_list_release(&list);
	free(dir);
	return rc;
}

const struct mig_cmd cmd_list_templates_entry = {
	.name = "list-templates",
	.usage = "list-templates",
	.summary = "list the templates 'migrate init' can copy",
	.help = "The templates come from $MIGRATE_TEMPLATES_DIR when it is set, else from the\n"
		"folder installed with migrate.\n",
	.flags = 0,
	.exec = list_templates_exec,
};
