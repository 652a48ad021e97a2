/* The runner (DESIGN §7, §8): upgrade, downgrade and stamp a database, or
 * write the SQL script that would (--sql). It takes the migration lock, reads
 * the version table, plans the steps with the revision graph, renders each op
 * through the dialect and runs it in the transactions DESIGN §8 describes,
 * keeping the version table as Alembic keeps alembic_version and adding a row
 * to migrate_history per step. */
#ifndef MIGRATE_RUNNER_H
#define MIGRATE_RUNNER_H

#include "migrate/common.h"
#include "migrate/config.h"
#include "migrate/db.h"
#include "migrate/revgraph.h"

enum mig_run_mode {
	MIG_RUN_UPGRADE,
	MIG_RUN_DOWNGRADE,
	MIG_RUN_STAMP,
	MIG_RUN_ENSURE_VERSION, /* only create the version and history tables when missing */
};

/* What the runner reports while it works. text is the line to show, without
 * a newline:
 *   MIG_RUN_STEP_BEGIN   "Running upgrade <down> -> <rev>, <message>"
 *   MIG_RUN_STEP_END     "done (12 ms)"
 *   MIG_RUN_STEP_FAILED  "failed"
 *   MIG_RUN_LOCK_WAIT    "waiting for the migration lock held by another process (up to 60 s)"
 *   MIG_RUN_INFO         a whole line: "Creating table migrate_version",
 *                        "Stamping <base> -> 1a2b3c4d5e6f" */
enum mig_run_event {
	MIG_RUN_STEP_BEGIN,
	MIG_RUN_STEP_END,
	MIG_RUN_STEP_FAILED,
	MIG_RUN_LOCK_WAIT,
	MIG_RUN_INFO,
};

struct mig_run_callbacks {
	/* step is the step the event is about (NULL for the others); ms its
	 * duration for MIG_RUN_STEP_END. */
	void (*progress)(void *arg, enum mig_run_event ev, const struct mig_step *step, long ms,
			 const char *text);
	void *arg;
};

struct mig_run_opts {
	enum mig_run_mode mode;
	/* upgrade and downgrade: one target; stamp: one or more (e.g. two heads) */
	const char *const *targets;
	size_t ntargets;
	/* stamp: delete every row first, without checking what they name */
	bool purge;
	/* Offline (db NULL): the revision the database is taken to be at (a
	 * target as in a range "from:to"; NULL: base). The script is appended
	 * to script. */
	const char *from;
	struct mig_str *script;
	/* "user@host" for migrate_history; NULL: $USER (or the passwd name) @
	 * the host name */
	const char *applied_by;
	const struct mig_run_callbacks *cb; /* may be NULL */
};

/* Run opts->mode. db is the connection, or NULL to write the script of the
 * run to opts->script without connecting (impl is then the dialect to write
 * for; with a db, impl must be its dialect). cfg gives version_table,
 * version_table_schema, transaction_per_migration, lock_timeout and the
 * reflection options. Errors: usage class for a bad target, file class for a
 * revision file (all files of the plan are read before anything runs), DB
 * class for the database; a failure says what was rolled back or, where DDL
 * is not transactional, which ops of the failed revision ran and what to do. */
int mig_run(struct mig_db *db, const struct mig_dialect_impl *impl, const struct mig_revgraph *g,
	    const struct mig_config *cfg, const struct mig_run_opts *opts);

/* The version rows of the database, sorted, without creating anything: out
 * gets the ids (none when the table does not exist; *exists, when not NULL,
 * says whether it does). */
int mig_run_read_versions(struct mig_db *db, const struct mig_config *cfg,
			  struct mig_strlist *out, bool *exists);

/* The git blob id (what `git hash-object` prints) of a file's content, as 40
 * hex digits into hex (41 bytes). */
int mig_run_checksum(const char *path, char *hex);
int mig_run_checksum_data(const char *data, size_t len, char *hex);

/* "Running upgrade <down> -> <rev>, <message>" for a step. */
void mig_run_describe_step(struct mig_str *out, const struct mig_step *step);

#endif
