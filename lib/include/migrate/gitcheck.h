/* The checks a CI job runs on revision files (DESIGN §7, §9): against a git
 * ref (`check --base REF`: history rewrites, multiple heads after the merge,
 * stale branches), against what the database applied (`verify`: each applied
 * revision's file compared with the git blob id migrate_history recorded), and
 * the report both produce, in the formats text, json and github (GitHub
 * annotation lines). lib/ builds the text; cmd/ prints it. */
#ifndef MIGRATE_GITCHECK_H
#define MIGRATE_GITCHECK_H

#include "migrate/common.h"
#include "migrate/config.h"
#include "migrate/db.h"
#include "migrate/revgraph.h"

/* ---- findings and the report ---- */

enum mig_finding_kind {
	MIG_FINDING_HISTORY_REWRITE = 0, /* "history-rewrite": a merged revision file edited or deleted */
	MIG_FINDING_MULTIPLE_HEADS,      /* "multiple-heads": more than one head after the merge */
	MIG_FINDING_STALE_BRANCH,        /* "stale-branch": a new revision on an old head */
	MIG_FINDING_APPLIED_CHANGED,     /* "applied-changed": a file changed since it was applied */
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
	const char *file;    /* relative to the git repository's root when the file is in
				one, else as configured; NULL when no file applies */
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
	 * revisions the branch adds (file order); ref NULL when not run */
	const char *ref;
	const char *merge_base;
	MIG_VEC(struct mig_report_rev) added;
	/* verify: how many applied revisions were compared with their files;
	 * negative when not run */
	long verified;
	struct mig_arena arena;
};

void mig_report_init(struct mig_report *r);
void mig_report_release(struct mig_report *r);
/* Add a finding (file may be NULL; strings are copied). */
void mig_report_add(struct mig_report *r, enum mig_finding_kind kind, enum mig_severity severity,
		    const char *file, unsigned line, unsigned column, const char *fmt, ...)
	MIG_PRINTF(7, 8);
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

/* The report as the format says, appended to out (ending with a newline when
 * not empty):
 *   text    what the branch adds, then one line per finding,
 *           "file:line:column: message" (as much of the place as is known;
 *           "note: " or "warning: " before the message of those), then for
 *           verify "all N applied revisions match their files" when no
 *           applied revision was found changed or missing;
 *   github  the same, with each finding as a GitHub annotation line
 *           "::error file=F,line=N,col=C::message" (::warning, ::notice);
 *   json    one object: ref, merge_base and added_revisions (check --base),
 *           verified (verify), findings (kind, severity, file, line, column,
 *           message; null where unknown) and errors. */
void mig_report_format(const struct mig_report *r, enum mig_report_format f, struct mig_str *out);

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

#endif
