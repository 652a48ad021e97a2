/* The revision graph: every revision file of the version folders loaded into
 * one DAG (down_revision edges, with merge points and branch points, plus
 * depends_on edges), target resolution, history ranges, and the upgrade and
 * downgrade paths the runner follows. */
#ifndef MIGRATE_REVGRAPH_H
#define MIGRATE_REVGRAPH_H

#include "migrate/common.h"
#include "migrate/config.h"
#include "migrate/revision.h"

struct mig_revgraph;

/* A list of revisions of a graph (borrowed pointers; the list owns only its
 * array). Works with the mig_vec_* macros. */
struct mig_revlist {
	const struct mig_revision **v;
	size_t n;
	size_t alloc;
};
#define MIG_REVLIST_INIT { NULL, 0, 0 }
void mig_revlist_release(struct mig_revlist *l);
bool mig_revlist_has(const struct mig_revlist *l, const struct mig_revision *r);
/* Whether a and b hold the same revisions, in any order (neither repeats one). */
bool mig_revlist_same_set(const struct mig_revlist *a, const struct mig_revlist *b);

/* ---- loading ---- */

/* Load every *.yaml file of each folder in dirs (sorted by name, folder by
 * folder) into a new graph. file_template (NULL for the default) is used to
 * check that each file's name agrees with its revision id. Every problem of
 * every file, then every problem of the graph, is reported in one FILE-class
 * error, one "path:line:column: message" per line:
 *   missing or unknown keys, wrong values;
 *   "revision 'x' does not match the file name 'y.yaml'";
 *   "duplicate revision id 'x' (also in 'other/path.yaml')";
 *   "down_revision 'x' names no revision";
 *   "depends_on 'x' names no revision or branch label";
 *   "branch label 'l' is already used by revision 'x' ('path')";
 *   "branch label 'l' is also a revision id";
 *   "cycle in the revision graph: a -> b -> a" (at the first file of the cycle).
 * A folder that cannot be read is an OS-class error. */
int mig_revgraph_load(struct mig_revgraph **out, const struct mig_strlist *dirs,
		      const char *file_template);
/* The same for the version folders of a configuration: <script_location>/versions. */
int mig_revgraph_load_config(struct mig_revgraph **out, const struct mig_config *cfg);
/* The same, keeping each file's bytes in its revision (text, text_len) for a
 * caller that reads the whole files next (the runner). */
int mig_revgraph_load_config_text(struct mig_revgraph **out, const struct mig_config *cfg);
void mig_revgraph_free(struct mig_revgraph *g);
/* One revision file held in memory (a blob of a git tree). */
struct mig_revblob {
	const char *path; /* kept as the revision's path and named in messages */
	const char *text; /* len bytes, not necessarily NUL-terminated */
	size_t len;
};
/* Load the files given (in that order) into a new graph, with the checks and
 * messages of mig_revgraph_load; the graph has no folders. */
int mig_revgraph_load_blobs(struct mig_revgraph **out, const struct mig_revblob *files, size_t n,
			    const char *file_template);

/* The folders the graph was loaded from, in order. */
const struct mig_strlist *mig_revgraph_dirs(const struct mig_revgraph *g);
/* Every revision, in file order (index 0 … count-1). */
size_t mig_revgraph_count(const struct mig_revgraph *g);
const struct mig_revision *mig_revgraph_at(const struct mig_revgraph *g, size_t i);
/* The revision with exactly this id, or NULL. */
const struct mig_revision *mig_revgraph_get(const struct mig_revgraph *g, const char *id);
/* The revision that declares this branch label, or NULL. */
const struct mig_revision *mig_revgraph_label(const struct mig_revgraph *g, const char *label);

/* Heads (no child by down_revision), in file order; with real, only those
 * that nothing depends on either (what `heads --resolve-dependencies` shows
 * and what the target "heads" means). */
void mig_revgraph_heads(const struct mig_revgraph *g, bool real, struct mig_revlist *out);
/* Bases (no down_revision), in file order. */
void mig_revgraph_bases(const struct mig_revgraph *g, struct mig_revlist *out);
/* Every revision in history order: newest first, each revision before its
 * down revisions and dependencies, one branch at a time (as `history`). */
void mig_revgraph_walk(const struct mig_revgraph *g, struct mig_revlist *out);

/* ---- targets ----
 *
 * Grammar (DESIGN §6, Alembic's):
 *   <id> | <unique prefix of an id, 4 characters or more> | <label>
 *   head | heads | base | current
 *   <label>@head | <label>@heads | <label>@base | <label>@<id>
 *   +N | -N | <label>@+N | <label>@-N      relative to the current heads
 *   <id>+N | <id>-N | head-N | base+N | <label>@<id>+N …
 * <label>@ restricts to the revisions of that branch (a revision id may stand
 * for the label). A whole text that is exactly an id or a label is that, even
 * when it looks like something else.
 *
 * current is the database's heads (the version table rows); NULL when there is
 * no database, and then relative targets count from the graph's heads and
 * "current" is an error. Failures are usage-class:
 *   MIG_ENOTFOUND  "no such revision or branch 'x'", "no such branch 'l'"
 *   MIG_EAMBIGUOUS "multiple revisions start with 'abcd': abcd1…, abcd2…"
 *   MIG_EMULTIHEAD "multiple heads are present for 'head': a, b; …"
 *   MIG_ERROR      relative walks that go too far or are ambiguous, etc. */

/* Resolve a target to its revisions: none for base, several for heads. */
int mig_revgraph_resolve(const struct mig_revgraph *g, const char *target,
			 const struct mig_revlist *current, struct mig_revlist *out);
/* Resolve a target that must name one revision or base (*out NULL);
 * several is MIG_EMULTIHEAD. */
int mig_revgraph_resolve_one(const struct mig_revgraph *g, const char *target,
			     const struct mig_revlist *current, const struct mig_revision **out);
/* The database's version rows as revisions. An id no file defines is a
 * FILE-class MIG_ENOTFOUND error. */
int mig_revgraph_current(const struct mig_revgraph *g, const struct mig_strlist *ids,
			 struct mig_revlist *out);

/* The revisions of a history range "[start]:[end]" (NULL for everything), in
 * history order. start defaults to base and end to heads; both are inclusive;
 * one side may be relative to the other ("-3:", ":+2"), and such walks stop at
 * the ends instead of failing. A start that is not an ancestor of end is an
 * error. */
int mig_revgraph_history(const struct mig_revgraph *g, const char *range,
			 const struct mig_revlist *current, struct mig_revlist *out);
/* Split "from:to" into new strings (NULL for an empty side). A text without
 * ':' is a usage error. */
int mig_revgraph_split_range(const char *range, char **from, char **to);

/* ---- upgrade and downgrade paths (for the runner) ---- */

/* What upgrading from current (the version rows; empty at base) to target
 * applies: every ancestor of the target revisions (down revisions and
 * dependencies) and the targets themselves that current does not already
 * include, in the order to apply them (each after its down revisions and
 * dependencies). Targets below current add nothing. */
int mig_revgraph_upgrade_revs(const struct mig_revgraph *g, const struct mig_revlist *current,
			      const struct mig_revlist *targets, struct mig_revlist *out);
/* What downgrading from current to target (NULL: base) reverts, in the order
 * to revert them (each before its down revisions): the applied descendants
 * of target's children, and what depends on them. branch (NULL for none)
 * restricts the downgrade, as "<branch>@…": with target NULL, to the
 * revisions of that branch; with a target that is a branch point, to the child
 * on that branch. A target that is not an ancestor of current is an error. */
int mig_revgraph_downgrade_revs(const struct mig_revgraph *g, const struct mig_revlist *current,
				const struct mig_revision *target, const char *branch,
				struct mig_revlist *out);

/* One step of a plan, and how the version rows change after it. */
struct mig_step {
	const struct mig_revision *rev;
	bool upgrade;
	/* rows to delete and rows to insert (one of each: an UPDATE) */
	struct mig_revlist del;
	struct mig_revlist ins;
};
struct mig_plan {
	MIG_VEC(struct mig_step) steps;
	struct mig_revlist heads; /* the version rows after the last step */
};
#define MIG_PLAN_INIT { { NULL, 0, 0 }, MIG_REVLIST_INIT }
void mig_plan_release(struct mig_plan *p);

/* Plans for `upgrade TARGET` and `downgrade TARGET` from the version rows
 * current (relative targets count from them). The rows are always the heads
 * (by down_revision) of what is applied, as Alembic keeps them. */
int mig_revgraph_plan_upgrade(const struct mig_revgraph *g, const struct mig_revlist *current,
			      const char *target, struct mig_plan *out);
int mig_revgraph_plan_downgrade(const struct mig_revgraph *g, const struct mig_revlist *current,
				const char *target, struct mig_plan *out);
/* The version rows that mean "exactly revs and their ancestors are applied"
 * (for stamp). */
void mig_revgraph_version_rows(const struct mig_revgraph *g, const struct mig_revlist *revs,
			       struct mig_revlist *out);

/* ---- output, as Alembic prints it ---- */

enum mig_revfmt {
	MIG_REVFMT_PARENTS = 1u << 0,  /* "<down> -> <rev>" ("<base>" for a root) */
	MIG_REVFMT_BRANCHES = 1u << 1, /* " (label, …)" */
	MIG_REVFMT_HEAD = 1u << 2,     /* " (head)" / " (effective head)" */
	MIG_REVFMT_TREE = 1u << 3,     /* " (branchpoint)", " (mergepoint)" */
	MIG_REVFMT_DOC = 1u << 4,      /* ", <first line of the message>" */
};
/* One line: "a1b2 -> c3d4 (head), add users". */
void mig_revision_format(struct mig_str *out, const struct mig_revision *r, unsigned flags);
/* The verbose block ("Rev: …", "Parent: …", "Path: …", the message), ending
 * with a newline. */
void mig_revision_format_entry(struct mig_str *out, const struct mig_revision *r);
/* One JSON object with the keys revision, down_revisions, branch_labels,
 * depends_on, message, create_date, path, is_head, is_branch_point,
 * is_merge_point. */
void mig_revision_format_json(struct mig_str *out, const struct mig_revision *r);
/* A JSON string literal. */
void mig_json_string(struct mig_str *out, const char *s);

/* ---- writing a new revision ---- */

struct mig_revision_opts {
	const char *message;
	/* what the new revision is based on: targets resolved and used together
	 * (NULL or none: "head"); "base" starts a new root */
	const char *const *heads;
	size_t nheads;
	bool splice;                /* allow a base revision that is not a head */
	bool merge;                 /* a merge: at least two revisions, all heads */
	const char *const *branch_labels;
	size_t nbranch_labels;
	const char *const *depends_on; /* ids, prefixes or labels */
	size_t ndepends_on;
	const char *rev_id;         /* NULL: a random one */
	const char *version_path;   /* NULL: the folder of the head, else the first folder */
	/* the ops as YAML block sequences (mig_ops_write at indent 0), or NULL */
	const char *upgrades;
	const char *downgrades;
};

/* Write a new revision file from <script_location>/script.yaml.tmpl (g is
 * the graph it joins; reload it to see the new file). *path_out (new string)
 * is the file written. Usage-class errors for
 * the options (several heads without --head: "multiple heads are present;
 * please specify the head revision on which the new revision should be
 * based, or perform a merge"); OS-class for writing. */
int mig_revision_generate(const struct mig_revgraph *g, const struct mig_config *cfg,
			  const struct mig_revision_opts *opts, char **path_out);

#endif
