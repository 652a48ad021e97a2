/* Revision files (DESIGN §6): the header of one file (ids, parents, labels,
 * message), loading it fast for the graph, the id, slug, date and file name of
 * a new revision, rendering script.yaml.tmpl, and post-write hooks. */
#ifndef MIGRATE_REVISION_H
#define MIGRATE_REVISION_H

#include <time.h>

#include "migrate/common.h"
#include "migrate/config.h"
#include "migrate/ops.h"
#include "migrate/schema.h"

/* One revision file. Strings live in the arena the revision was loaded into
 * (the graph's, for revisions of a graph). */
struct mig_revision {
	const char *id;
	const char **down_revisions; /* 0: a base (root), 1: one parent, more: a merge point */
	size_t ndown;
	const char **branch_labels;  /* as declared in this file */
	size_t nbranch_labels;
	const char **depends_on;     /* ids or branch labels, as written */
	size_t ndepends_on;
	const char *message;         /* "" when absent */
	const char *create_date;     /* as written, or NULL */
	bool transactional;          /* default true */
	const char *path;
	/* the file's bytes (NUL-terminated), when the graph was loaded to keep
	 * them (mig_revgraph_load_text); else NULL */
	const char *text;
	size_t text_len;
	/* where the values of these keys are (for messages about the graph) */
	struct mig_pos pos_revision;
	struct mig_pos pos_down_revision;
	struct mig_pos pos_branch_labels;
	struct mig_pos pos_depends_on;

	/* Filled in by the revision graph (zero for a file loaded alone). */
	size_t index;                     /* position in the graph's file order */
	struct mig_revision **parents;    /* down_revisions, resolved (ndown of them) */
	struct mig_revision **deps;       /* depends_on, resolved to revisions */
	size_t ndeps;
	struct mig_revision **children;   /* revisions whose down_revision names this one */
	size_t nchildren;
	struct mig_revision **dependents; /* revisions whose depends_on names this one */
	size_t ndependents;
	const char **labels;              /* branch labels of its branch (declared here or
					     inherited along the branch), sorted */
	size_t nlabels;
};

/* Graph properties, Alembic's meaning. A head has no child by down_revision;
 * a "real" head has no dependent either (otherwise Alembic calls it an
 * effective head). */
static inline bool mig_revision_is_head(const struct mig_revision *r)
{
	return r->nchildren == 0;
}
static inline bool mig_revision_is_real_head(const struct mig_revision *r)
{
	return r->nchildren == 0 && r->ndependents == 0;
}
static inline bool mig_revision_is_base(const struct mig_revision *r)
{
	return r->ndown == 0;
}
static inline bool mig_revision_is_branch_point(const struct mig_revision *r)
{
	return r->nchildren > 1;
}
static inline bool mig_revision_is_merge_point(const struct mig_revision *r)
{
	return r->ndown > 1;
}

/* Parse the header of a revision file given as text (the upgrade/downgrade
 * lists are checked to be lists but not read; see ops.h for those). Every
 * problem is reported as "path:line:column: message" in one FILE-class error.
 * Strings go to arena a; *out is allocated there too. text[len] must be '\0'. */
int mig_revision_parse(const char *path, const char *text, size_t len, struct mig_arena *a,
		       struct mig_revision **out);
/* Read path and parse its header. */
int mig_revision_load(const char *path, struct mig_arena *a, struct mig_revision **out);

/* A revision file read in full: its header and both op lists. */
struct mig_revision_file {
	struct mig_revision *rev;
	struct mig_oplist upgrade;
	struct mig_oplist downgrade;
	struct mig_arena arena; /* the header's strings */
};
/* Read and parse a whole revision file (with libyaml; ops with mig_ops_parse).
 * Every problem of the header and the ops is reported as
 * "path:line:column: message" in one FILE-class error. */
int mig_revision_load_full(const char *path, struct mig_revision_file **out);
/* The same from the file's text, already read: len bytes followed by a NUL
 * (as mig_file_read leaves them); path is for the messages. */
int mig_revision_parse_full(const char *path, const char *text, size_t len,
			    struct mig_revision_file **out);
void mig_revision_file_free(struct mig_revision_file *f);

/* ---- a new revision: id, slug, date, file name ---- */

/* Check a revision id given by the user (--rev-id) or found in a file: 1 to 32
 * letters, digits and underscores, not a reserved word (head, heads, base,
 * current). Usage-class error. */
int mig_revision_check_id(const char *id);
/* Check a branch label: a letter, digit or underscore, then also '.' and '-';
 * not a reserved word. Usage-class error. */
int mig_revision_check_label(const char *label);
/* 12 random hex digits from /dev/urandom; new string. */
int mig_revision_new_id(char **out);
/* The file-name slug of a message, as Alembic makes it: the runs of ASCII
 * letters, digits and underscores, lowercased, joined with '_'; when longer
 * than truncate, cut at truncate and back to the last '_', which is kept.
 * New string. */
char *mig_revision_slug(const char *message, int truncate);

struct mig_revision_date {
	int year, month, day, hour, minute, second;
	long usec;
	time_t epoch;
	char text[48]; /* "2026-11-22 10:00:00.000000", with "+01:00" when not UTC */
};
/* The date of a new revision in timezone tz: "UTC" (also NULL or ""), "local"
 * (the TZ of the environment), or a zoneinfo name such as "Europe/Paris" (read
 * through TZ and tzset). The time is now, or $SOURCE_DATE_EPOCH when set (for
 * reproducible files). Usage-class error for an unknown zone. */
int mig_revision_date_now(const char *tz, struct mig_revision_date *out);
/* The same for a given time (for tests). */
int mig_revision_date_at(const char *tz, time_t t, long usec, struct mig_revision_date *out);

/* The file name for a new revision: file_template (default "%(rev)s_%(slug)s"
 * when NULL) with %(rev)s, %(slug)s, %(epoch)s, %(year)d, %(month).2d,
 * %(day).2d, %(hour).2d, %(minute).2d, %(second).2d, plus ".yaml". An unknown
 * placeholder is a usage-class error. New string. */
int mig_revision_file_name(const char *file_template, const char *id, const char *slug,
			   const struct mig_revision_date *date, char **out);
/* Whether a file name agrees with the id in its revision: key. With the
 * default template (or any starting with %(rev)s) the name must start with
 * the id followed by what the template puts after it; otherwise the id must
 * appear somewhere in the name. */
bool mig_revision_name_matches(const char *file_template, const char *file_name, const char *id);

/* What a new revision file holds, for rendering script.yaml.tmpl. */
struct mig_revision_spec {
	const char *id;
	const char *const *down_revisions;
	size_t ndown;
	const char *const *branch_labels;
	size_t nbranch_labels;
	const char *const *depends_on;
	size_t ndepends_on;
	const char *message;
	const char *create_date;
	/* The op lists as YAML block sequences at indentation 0 ("- create_table: …"
	 * lines, as mig_ops_write makes them), or NULL/"" for an empty list. */
	const char *upgrades;
	const char *downgrades;
};

/* Render a revision template. Placeholders: ${revision}, ${down_revision}
 * (null, an id, or a flow list [a, b]), ${branch_labels} and ${depends_on}
 * (flow lists), ${message} and ${create_date} (YAML scalars), ${upgrades} and
 * ${downgrades} (" []" when empty, else a newline and the block sequence
 * indented two spaces; so the template writes "upgrade:${upgrades}"). An
 * unknown placeholder is a usage-class error naming tmpl_path. */
int mig_revision_render(const char *tmpl, const char *tmpl_path,
			const struct mig_revision_spec *spec, struct mig_str *out);

/* Run one post-write hook on a written revision file. Type "exec" runs
 * executable with options split like a shell would (single and double quotes,
 * backslash), REVISION_SCRIPT_FILENAME replaced by path in each word. A hook
 * that cannot run or exits non-zero is a usage-class error. */
int mig_hook_run(const struct mig_hook *hook, const char *path);

#endif
