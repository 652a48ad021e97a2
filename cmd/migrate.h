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
/* For a command's getopt loop, on an option getopt refused (it has said why):
 * print "usage: migrate <usage>" and return exit code 2. */
int mig_cmd_bad_option(const struct mig_cmd *cmd);
/* The usage error for an argument the command does not take: exit code 2. */
int mig_cmd_unexpected_argument(const struct mig_cmd *cmd, const char *arg);
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
extern const struct mig_cmd cmd_diff_entry;
extern const struct mig_cmd cmd_check_entry;

/* Shared by the revision commands (cmd-revision.c). */
/* --format: "text" or "json"; a usage error (printed) otherwise. */
int mig_cmd_parse_format(const struct mig_cmd *cmd, const char *arg, bool *json);
/* A JSON array of revisions, one object per line. */
void mig_cmd_json_revisions(struct mig_str *out, const struct mig_revlist *revs);
/* Write a new revision (mig_revision_generate), print "Generating <path> ...
 * done" and run the post-write hooks; returns the exit code. */
int mig_cmd_write_revision(struct mig_ctx *ctx, const struct mig_revgraph *g,
			   const struct mig_revision_opts *opts);

/* Shared by revision --autogenerate, diff and check (cmd-diff.c, cmd-check.c). */
/* What autogenerate compared and found. */
struct mig_autogen {
	struct mig_schema *declared;  /* the models */
	struct mig_schema *reflected; /* the database */
	struct mig_oplist upgrade;
	struct mig_oplist downgrade;
	struct mig_strlist hints;
};
void mig_autogen_release(struct mig_autogen *a);
/* Load the models, connect (when not yet), reflect the database and compare,
 * with the comparison settings of migrate.ini and renames (may be NULL).
 * The reflection's warnings are printed with -v. Sets the error. */
int mig_cmd_autogenerate(struct mig_ctx *ctx, const struct mig_strlist *renames,
			 struct mig_autogen *out);
/* Each hint on stderr as "hint: …". */
void mig_cmd_print_hints(const struct mig_strlist *hints);
/* "add_column 'users.email'": what an op is about, for progress lines. */
void mig_cmd_describe_op(struct mig_str *out, const struct mig_op *op);
/* A JSON array of ops, one object per line ({"op", "table", "name", "column",
 * "yaml", "note"}), the closing bracket at indent; a JSON array of strings. */
void mig_cmd_json_ops(struct mig_str *out, const struct mig_oplist *ops, int indent);
void mig_cmd_json_strings(struct mig_str *out, const struct mig_strlist *l);
/* The database's version rows as revisions (current), and the revisions
 * that upgrading to the heads would apply (pending), in order. Connects
 * when not yet connected. Sets the error. */
int mig_cmd_pending_revisions(struct mig_ctx *ctx, const struct mig_revgraph *g,
			      struct mig_revlist *current, struct mig_revlist *pending);

/* Shared by upgrade, downgrade, stamp and ensure-version (cmd-upgrade.c):
 * parse TARGET... [--sql] [--purge], load the graph, connect (or, with --sql,
 * only find the dialect), run, print progress or the script; returns the
 * exit code. */
int mig_cmd_run(struct mig_ctx *ctx, const struct mig_cmd *cmd, enum mig_run_mode mode, int argc,
		char **argv);

#endif
