/* migrate edit REV: open a revision file in $EDITOR (else $VISUAL, else vi). */
#include "migrate.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run editor on path through the shell, so that EDITOR="code -w" works. */
static int run_editor(const char *editor, const char *path)
{
	char *script = xasprintf("%s \"$@\"", editor);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		free(script);
		fprintf(stderr, "error: cannot start the editor: %s\n", strerror(errno));
		return MIG_EXIT_USAGE;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", script, editor, path, (char *)NULL);
		_exit(127);
	}
	free(script);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "error: waiting for the editor: %s\n", strerror(errno));
			return MIG_EXIT_USAGE;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		return 0;
	}
	if (WIFEXITED(status)) {
		fprintf(stderr, "error: the editor '%s' exited with status %d\n", editor,
			WEXITSTATUS(status));
	} else {
		fprintf(stderr, "error: the editor '%s' was killed by signal %d\n", editor,
			WTERMSIG(status));
	}
	return MIG_EXIT_USAGE;
}

static int edit_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_revgraph *g = NULL;
	const struct mig_revision *r = NULL;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			mig_cmd_print_help(&cmd_edit_entry, stdout);
			return 0;
		default:
			return mig_cmd_bad_option(&cmd_edit_entry);
		}
	}
	if (optind >= argc) {
		return mig_cmd_usage_error(&cmd_edit_entry, "missing the revision to edit");
	}
	if (optind + 1 < argc) {
		return mig_cmd_unexpected_argument(&cmd_edit_entry, argv[optind + 1]);
	}
	if (mig_revgraph_load_config(&g, &ctx->cfg) < 0 ||
	    mig_revgraph_resolve_one(g, argv[optind], NULL, &r) < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (!r) {
		fprintf(stderr, "error: '%s' names no revision\n", argv[optind]);
		rc = MIG_EXIT_USAGE;
		goto done;
	}
	const char *editor = getenv("EDITOR");
	if (!editor || !*editor) {
		editor = getenv("VISUAL");
	}
	if (!editor || !*editor) {
		editor = "vi";
	}
	rc = run_editor(editor, r->path);
done:
	mig_revgraph_free(g);
	return rc;
}

const struct mig_cmd cmd_edit_entry = {
	.name = "edit",
	.usage = "edit REV",
	.summary = "open a revision file in an editor",
	.help = "The editor is $EDITOR, else $VISUAL, else vi; it may carry options\n"
		"(EDITOR=\"code -w\"). REV is an id, a unique prefix, a branch label, head,\n"
		"<label>@head...\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = edit_exec,
};
