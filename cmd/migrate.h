/* The command table and what every command gets from the dispatcher. Private
 * to cmd/. */
#ifndef MIGRATE_CMD_H
#define MIGRATE_CMD_H

#include <stdio.h>

#include "../lib/migrate.h" /* not this file: lib's public header */

/* What the dispatcher prepares before a command runs. */
enum mig_cmd_flags {
	MIG_CMD_NEEDS_CONFIG = 1u << 0, /* a migrate.ini must be found and loaded */
	MIG_CMD_OPT_CONFIG = 1u << 1,   /* load migrate.ini when there is one */
	MIG_CMD_NEEDS_DB = 1u << 2,     /* connect to the configured URL */
};

struct mig_ctx {
	struct mig_config cfg;
	struct mig_db *db;         /* set for MIG_CMD_NEEDS_DB */
	const char *config_path;   /* -c */
	const char *url_override;  /* --url */
	const char *argv0;
};

struct mig_cmd {
	const char *name;
	const char *usage;   /* "init DIR [-t TEMPLATE]" */
	const char *summary; /* one line for `migrate --help` */
	const char *help;    /* the options, printed by --help under the usage line */
	unsigned flags;
	/* argv[0] is the command name; returns the exit code. */
	int (*exec)(struct mig_ctx *ctx, int argc, char **argv);
};

/* Print "usage: migrate <usage>" and the help text to f. */
void mig_cmd_print_help(const struct mig_cmd *cmd, FILE *f);
/* For a command's getopt loop: print a usage error and return exit code 2. */
int mig_cmd_usage_error(const struct mig_cmd *cmd, const char *fmt, ...) MIG_PRINTF(2, 3);
/* Print "error: <mig_error_last()>" and return the matching exit code. */
int mig_cmd_fail(void);
/* Open the database named by the configuration (for commands that connect
 * only on some paths). */
int mig_cmd_open_db(struct mig_ctx *ctx);

/* Standard getopt_long entry for --help; commands put it in their options
 * table and call mig_cmd_print_help when getopt returns 'h'. */
#define MIG_CMD_HELP_OPTION { "help", no_argument, NULL, 'h' }

extern const struct mig_cmd cmd_init_entry;
extern const struct mig_cmd cmd_list_templates_entry;
extern const struct mig_cmd cmd_current_entry;
extern const struct mig_cmd cmd_reflect_entry;
extern const struct mig_cmd cmd_revision_entry;
extern const struct mig_cmd cmd_merge_entry;
extern const struct mig_cmd cmd_heads_entry;
extern const struct mig_cmd cmd_branches_entry;
extern const struct mig_cmd cmd_history_entry;
extern const struct mig_cmd cmd_show_entry;
extern const struct mig_cmd cmd_edit_entry;
extern const struct mig_cmd cmd_upgrade_entry;
extern const struct mig_cmd cmd_downgrade_entry;
extern const struct mig_cmd cmd_stamp_entry;
extern const struct mig_cmd cmd_ensure_version_entry;
extern const struct mig_cmd cmd_verify_entry;

/* Shared by the revision commands (cmd-revision.c). */
/* --format: "text" or "json"; a usage error (printed) otherwise. */
int mig_cmd_parse_format(const struct mig_cmd *cmd, const char *arg, bool *json);
/* A JSON array of revisions, one object per line. */
void mig_cmd_json_revisions(struct mig_str *out, const struct mig_revlist *revs);
/* Write a new revision (mig_revision_generate), print "Generating <path> ...
 * done" and run the post-write hooks; returns the exit code. */
int mig_cmd_write_revision(struct mig_ctx *ctx, const struct mig_revgraph *g,
			   const struct mig_revision_opts *opts);

/* Shared by upgrade, downgrade, stamp and ensure-version (cmd-upgrade.c):
 * parse TARGET... [--sql] [--purge], load the graph, connect (or, with --sql,
 * only find the dialect), run, print progress or the script; returns the
 * exit code. */
int mig_cmd_run(struct mig_ctx *ctx, const struct mig_cmd *cmd, enum mig_run_mode mode, int argc,
		char **argv);

#endif
