/* The checks a CI job runs on revision files (DESIGN §7, §9): against a git
 * ref (`check --base REF`: history rewrites, multiple heads after the merge,
 * stale branches), against what the database applied (`verify`: each applied
 * revision's file compared with the git blob id migrate_history recorded), and
 * the report both produce, in the formats text, json and github (GitHub
 * annotation lines). lib/ builds the text; cmd/ prints it. */
#ifndef MIGRATE_GITCHECK_H
#define MIGRATE_GITCHECK_H

#include "migrate/common.h"
#include "migrate/compare.h"
#include "migrate/config.h"
#include "migrate/db.h"
#include "migrate/revgraph.h"
#include "migrate/schema.h"

/* ---- findings and the report ---- */

enum mig_finding_kind {
	MIG_FINDING_HISTORY_REWRITE = 0, /* "history-rewrite": a merged file edited or deleted */
	MIG_FINDING_MULTIPLE_HEADS,      /* "multiple-heads": more than one head after the merge */
	MIG_FINDING_STALE_BRANCH,        /* "stale-branch": a new revision on an old head */
	MIG_FINDING_APPLIED_CHANGED,     /* "applied-changed": a file changed since applied */
	MIG_FINDING_APPLIED_NO_FILE,     /* "applied-without-file": applied, but no file has it */
	MIG_FINDING_MODEL_CHANGE,        /* "model-change": the models differ from the revisions */
	MIG_FINDING_NOT_APPLIED,         /* "not-applied": a revision the database lacks */
	MIG_FINDING_DRIFT,               /* "drift": in the database, explained by nothing */
	MIG_FINDING_NOTE,                /* "note": information, with severity note */
};
#define MIG_FINDING_KIND_COUNT (MIG_FINDING_NOTE + 1)
/* "history-rewrite"… (the JSON "kind") */
const char *mig_finding_kind_name(enum mig_finding_kind k);

enum mig_severity {
	MIG_SEVERITY_ERROR = 0, /* fails the check (exit 1) */
	MIG_SEVERITY_WARNING,
	MIG_SEVERITY_NOTE,
};

struct mig_finding {
	enum mig_finding_kind kind;
	enum mig_severity severity;
	const char *file;      /* as shown: relative to the current folder when below it,
				  else absolute; NULL when no file applies */
	const char *repo_file; /* relative to the root of the git working tree that holds
				  it (what GitHub annotations name), or NULL */
	unsigned line;       /* 1-based; 0 when no line applies */
	unsigned column;     /* 1-based; 0 when no column applies */
	const char *message; /* one line, lowercase, git style */
};

/* A revision that the branch adds (check --base). */
struct mig_report_rev {
	const char *id;
	const char **down; /* its down_revisions */
	size_t ndown;
	const char *message;
	const char *path;
};

/* What the checks found. Strings live in the report's arena. */
struct mig_report {
	MIG_VEC(struct mig_finding) findings;
	/* check --base: the ref, its merge base with HEAD (40 hex digits), the
	 * revisions the branch adds (file order, paths as shown); ref NULL when
	 * not run */
	const char *ref;
	const char *merge_base;
	MIG_VEC(struct mig_report_rev) added;
	/* verify: how many applied revisions were compared with their files;
	 * negative when not run */
	long verified;
	struct mig_arena arena;
	char *git_root; /* the last git working tree a file was found in */
};

void mig_report_init(struct mig_report *r);
void mig_report_release(struct mig_report *r);
/* Add a finding. file (NULL when none applies) is any path to the file,
 * which need not exist; the finding holds it as shown and as its git
 * repository names it. Strings are copied. */
void mig_report_add(struct mig_report *r, enum mig_finding_kind kind, enum mig_severity severity,
		    const char *file, unsigned line, unsigned column, const char *fmt, ...)
	MIG_PRINTF(7, 8);
/* path as findings show it (relative to the current folder when below it,
 * else absolute; the file need not exist). New string. */
char *mig_report_shown_path(const char *path);
/* The number of findings of severity error. */
size_t mig_report_errors(const struct mig_report *r);

enum mig_report_format {
	MIG_REPORT_TEXT = 0,
	MIG_REPORT_JSON,
	MIG_REPORT_GITHUB,
};
/* "text", "json" or "github"; otherwise a usage error "unknown format 'x'
 * (use text, json or github)". */
int mig_report_format_parse(const char *name, enum mig_report_format *out);

/* The parts of a report in the text and github formats. */
enum mig_report_part {
	MIG_REPORT_ADDED = 1u << 0,    /* what the branch adds (check --base) */
	MIG_REPORT_FINDINGS = 1u << 1, /* the findings of severity error and warning */
	MIG_REPORT_NOTES = 1u << 2,    /* the findings of severity note */
	MIG_REPORT_VERIFIED = 1u << 3, /* verify's line when it found nothing wrong */
	MIG_REPORT_ALL = 0xfu,
};

/* The report as the format says, appended to out (each line ending with a
 * newline):
 *   text    the parts asked for: what the branch adds ("this branch adds 1
 *           revision to origin/main (merge base 0123456789ab):" and a line
 *           per revision), one line per finding,
 *           "file:line:column: message" (as much of the place as is known;
 *           "warning: " or "note: " before the message of those), verify's
 *           "all N applied revisions match their files";
 *   github  the same, each finding as a GitHub annotation line
 *           "::error file=F,line=N,col=C::message" (::warning, ::notice),
 *           F relative to the root of the repository;
 *   json    the whole report as one object (parts are ignored), as
 *           mig_report_json_members writes its members. */
void mig_report_format(const struct mig_report *r, enum mig_report_format f, unsigned parts,
		       struct mig_str *out);
/* The report's JSON object members without the braces, separated by ", ",
 * arrays with one element per line indented two spaces: "ref", "merge_base"
 * and "added_revisions" (check --base), "verified" (verify), "findings"
 * (kind, severity, file, repo_file, line, column, message; null where
 * unknown) and "errors" (how many findings are errors). For commands that
 * add members of their own. */
void mig_report_json_members(const struct mig_report *r, struct mig_str *out);

/* GitHub workflow-command escaping: the message ("%" "\r" "\n" as %25 %0D
 * %0A) and a property value (also ":" and "," as %3A %2C). */
void mig_github_escape_data(struct mig_str *out, const char *s);
void mig_github_escape_property(struct mig_str *out, const char *s);

/* The 1-based line of the working text where it first differs from the old
 * text (the end of the common leading lines), at most its last line; 0 when
 * the texts are equal. */
unsigned mig_first_changed_line(const char *old_text, size_t old_len, const char *new_text,
				size_t new_len);

/* ---- check --base REF ---- */

/* Check the revision files of cfg's versions folder, in the working tree of
 * the git repository that holds it, against ref (anything git rev-parse
 * accepts: origin/main, a tag, a commit). With M the merge base of HEAD and
 * ref, it adds to report:
 *   the revisions the working tree adds (revision ids that M lacks);
 *   history-rewrite, for each revision file of M that the working tree
 *     changed (at the first changed line) or deleted;
 *   stale-branch, for each added revision whose down_revision is a revision of
 *     ref that is no longer a head there and whose line never joins ref's
 *     heads (at its down_revision key, naming ref's head to base it on);
 *   multiple-heads, when ref's revisions plus the added ones have more than
 *     one head (at each head's revision key, with the merge command to run).
 * Errors: usage class when the folder is not in a git working tree, ref does
 * not resolve or has no merge base with HEAD; file class for revision files
 * that do not load (the working tree's, or ref's). */
int mig_gitcheck_base(const struct mig_config *cfg, const char *ref, struct mig_report *report);

/* ---- verify ---- */

/* Compare each applied revision with its file: the applied revisions are the
 * version rows and their ancestors in g; for each, the checksum of its last
 * "up" or "stamp" row in migrate_history (the git blob id of the file as it
 * was then) is compared with the blob id of the file now. Adds
 * applied-changed (at the first changed line when the git repository still
 * has the applied blob), and applied-without-file for version rows no file
 * of g describes, and sets report->verified. A database without the version
 * table has nothing applied; one without migrate_history gets a note and
 * report->verified stays negative. DB-class errors for the queries. */
int mig_gitcheck_verify(struct mig_db *db, const struct mig_revgraph *g,
			const struct mig_config *cfg, struct mig_report *report);

/* ---- the schema the revisions produce (check --offline, --scratch) ---- */

/* Apply the upgrade ops of every revision of g, from base to the heads, to a
 * new schema in memory (DESIGN §1). *nsql (may be NULL) counts the revisions
 * with sql ops, whose effect the schema cannot follow: the schema is then
 * approximate, and an op that no longer fits it after one is skipped. Before
 * any sql op, an op that does not fit is a FILE-class error naming it. */
int mig_gitcheck_offline_schema(const struct mig_revgraph *g, struct mig_schema **out,
				size_t *nsql);

/* Apply every revision of g, base to the heads, with the runner to a
 * throwaway database on the server of url, reflect it into *out, and drop it:
 * sqlite, an in-memory database (the file of url is not touched);
 * postgresql, a schema migrate_scratch_<pid> made the search_path;
 * mysql, a database migrate_scratch_<pid>. cfg gives the version table and the
 * reflection options (version_table_schema is not used: the version table
 * goes into the throwaway schema too). *impl (may be NULL) gets the dialect.
 * DB-class errors name the statement that failed; the throwaway schema or
 * database is dropped after a failure too. */
int mig_gitcheck_scratch_schema(const char *url, const struct mig_revgraph *g,
				const struct mig_config *cfg, struct mig_schema **out,
				const struct mig_dialect_impl **impl);

/* Schema drift: objects of the database (reflected) that neither the
 * revisions (revisions: the schema they produce) nor the models (declared)
 * explain, one finding of kind drift each: what compare would drop both to
 * turn the database into the revisions' schema and into the models (tables,
 * columns, indexes, constraints, enums). With approximate (the revisions
 * have sql ops), the findings are warnings. */
int mig_gitcheck_drift(const struct mig_dialect_impl *impl, const struct mig_schema *reflected,
		       const struct mig_schema *revisions, const struct mig_schema *declared,
		       const struct mig_compare_opts *opts, bool approximate,
		       struct mig_report *report);

#endif
