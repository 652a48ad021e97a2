/* The CI checks of revision files: the report and its formats, the checks
 * against a git ref (check --base) with libgit2, and the integrity check of
 * applied revisions (verify) against migrate_history's blob ids. */
#include "dialect.h"
#include "dialects/version.h"
#include "migrate/gitcheck.h"
#include "strmap.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- paths ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The real path of path, whose last part need not exist (a deleted file).
 * New string, or NULL when its folder does not exist either. */
static char *real_path(const char *path)
{
	char *r = realpath(path, NULL);
	if (r) {
		return r;
	}
	char *dir = mig_path_dirname(path);
	char *rd = realpath(dir, NULL);
	free(dir);
	if (!rd) {
		return NULL;
	}
	r = xasprintf("%s/%s", strcmp(rd, "/") == 0 ? "" : rd, base_name(path));
	free(rd);
	return r;
}

/* What follows "dir/" in path, or NULL when path is not below dir (both
 * real paths). */
static const char *below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0) {
		return path[0] == '/' && path[1] ? path + 1 : NULL;
	}
	if (strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1]) {
		return path + n + 1;
	}
	return NULL;
}

char *mig_report_shown_path(const char *path)
{
	char *real = real_path(path);
	char *cwd = getcwd(NULL, 0);
	char *rc = NULL;
	const char *rel = real && cwd ? below(real, cwd) : NULL;
	if (rel) {
		rc = xstrdup(rel);
	} else {
		rc = xstrdup(real ? real : path);
	}
	free(real);
	free(cwd);
	return rc;
}

/* The root of the git working tree that holds folder dir (a real path, no
 * final '/'), or NULL. */
static char *git_root_of(const char *dir)
{
	git_repository *git = NULL;
	char *root = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&git, dir, 0, NULL) == 0 && git_repository_workdir(git)) {
		root = realpath(git_repository_workdir(git), NULL);
	}
	git_repository_free(git);
	git_libgit2_shutdown();
	return root;
}

/* ---- findings and the report ---- */

static const char *const kind_names[MIG_FINDING_KIND_COUNT] = {
	[MIG_FINDING_HISTORY_REWRITE] = "history-rewrite",
	[MIG_FINDING_MULTIPLE_HEADS] = "multiple-heads",
	[MIG_FINDING_STALE_BRANCH] = "stale-branch",
	[MIG_FINDING_APPLIED_CHANGED] = "applied-changed",
	[MIG_FINDING_APPLIED_NO_FILE] = "applied-without-file",
	[MIG_FINDING_MODEL_CHANGE] = "model-change",
	[MIG_FINDING_NOT_APPLIED] = "not-applied",
	[MIG_FINDING_DRIFT] = "drift",
	[MIG_FINDING_NOTE] = "note",
};

const char *mig_finding_kind_name(enum mig_finding_kind k)
{
	return (unsigned)k < MIG_FINDING_KIND_COUNT ? kind_names[k] : "unknown";
}

static const char *severity_name(enum mig_severity s)
{
	switch (s) {
	case MIG_SEVERITY_ERROR:
		return "error";
	case MIG_SEVERITY_WARNING:
		return "warning";
	case MIG_SEVERITY_NOTE:
		break;
	}
	return "note";
}

void mig_report_init(struct mig_report *r)
{
	memset(r, 0, sizeof(*r));
	r->verified = -1;
}

void mig_report_release(struct mig_report *r)
{
	free(r->git_root);
	mig_vec_free(&r->findings);
	mig_vec_free(&r->added);
	mig_arena_release(&r->arena);
	mig_report_init(r);
}

void mig_report_add(struct mig_report *r, enum mig_finding_kind kind, enum mig_severity severity,
		    const char *file, unsigned line, unsigned column, const char *fmt, ...)
{
	struct mig_finding f = { kind, severity, NULL, NULL, line, column, NULL };
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	f.message = mig_arena_strdup(&r->arena, s.buf);
	mig_str_release(&s);
	if (file) {
		char *shown = mig_report_shown_path(file);
		char *real = real_path(file);
		f.file = mig_arena_strdup(&r->arena, shown);
		if (real && (!r->git_root || !below(real, r->git_root))) {
			char *dir = mig_path_dirname(real);
			char *root = git_root_of(dir);
			if (root) {
				free(r->git_root);
				r->git_root = root;
			}
			free(dir);
		}
		const char *in_repo = real && r->git_root ? below(real, r->git_root) : NULL;
		f.repo_file = mig_arena_strdup(&r->arena, in_repo);
		free(real);
		free(shown);
	}
	mig_vec_push(&r->findings, f);
}

size_t mig_report_errors(const struct mig_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.n; i++) {
		n += r->findings.v[i].severity == MIG_SEVERITY_ERROR;
	}
	return n;
}

int mig_report_format_parse(const char *name, enum mig_report_format *out)
{
	if (mig_streq(name, "text")) {
		*out = MIG_REPORT_TEXT;
	} else if (mig_streq(name, "json")) {
		*out = MIG_REPORT_JSON;
	} else if (mig_streq(name, "github")) {
		*out = MIG_REPORT_GITHUB;
	} else {
		return mig_error(MIG_ECLASS_USAGE, "unknown format '%s' (use text, json or github)",
				 name ? name : "");
	}
	return 0;
}

static void github_escape(struct mig_str *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			mig_str_add(out, "%25");
			break;
		case '\r':
			mig_str_add(out, "%0D");
			break;
		case '\n':
			mig_str_add(out, "%0A");
			break;
		case ':':
			mig_str_add(out, property ? "%3A" : ":");
			break;
		case ',':
			mig_str_add(out, property ? "%2C" : ",");
			break;
		default:
			mig_str_addch(out, *s);
		}
	}
}

void mig_github_escape_data(struct mig_str *out, const char *s)
{
	github_escape(out, s, false);
}

void mig_github_escape_property(struct mig_str *out, const char *s)
{
	github_escape(out, s, true);
}

static void join_down(struct mig_str *out, const char *const *down, size_t n)
{
	if (!n) {
		mig_str_add(out, "<base>");
	}
	for (size_t i = 0; i < n; i++) {
		mig_str_addf(out, "%s%s", i ? ", " : "", down[i]);
	}
}

/* The 12 first hex digits of a commit id, as messages show it. */
static void short_id(char *buf, const char *hex)
{
	size_t n = hex ? strnlen(hex, 12) : 0;
	memcpy(buf, hex ? hex : "", n);
	buf[n] = '\0';
}

/* What the text and github formats print before the findings: the revisions
 * the branch adds. */
static void format_added(const struct mig_report *r, struct mig_str *out)
{
	char mb[13];
	if (!r->ref) {
		return;
	}
	short_id(mb, r->merge_base);
	if (!r->added.n) {
		mig_str_addf(out, "this branch adds no revisions to %s (merge base %s)\n", r->ref,
			     mb);
		return;
	}
	mig_str_addf(out, "this branch adds %zu revision%s to %s (merge base %s):\n", r->added.n,
		     r->added.n == 1 ? "" : "s", r->ref, mb);
	for (size_t i = 0; i < r->added.n; i++) {
		const struct mig_report_rev *a = &r->added.v[i];
		mig_str_add(out, "  ");
		join_down(out, a->down, a->ndown);
		mig_str_addf(out, " -> %s", a->id);
		size_t n = strcspn(a->message, "\n");
		if (n) {
			mig_str_add(out, ", ");
			mig_str_addn(out, a->message, n);
		}
		mig_str_addch(out, '\n');
	}
}

/* The line after the findings for verify, when it found nothing wrong. */
static void format_verified(const struct mig_report *r, struct mig_str *out)
{
	if (r->verified < 0) {
		return;
	}
	for (size_t i = 0; i < r->findings.n; i++) {
		enum mig_finding_kind k = r->findings.v[i].kind;
		if (k == MIG_FINDING_APPLIED_CHANGED || k == MIG_FINDING_APPLIED_NO_FILE) {
			return;
		}
	}
	if (r->verified == 0) {
		mig_str_add(out, "no applied revisions to verify\n");
	} else if (r->verified == 1) {
		mig_str_add(out, "the 1 applied revision matches its file\n");
	} else {
		mig_str_addf(out, "all %ld applied revisions match their files\n", r->verified);
	}
}

static void format_text_finding(const struct mig_finding *f, struct mig_str *out)
{
	if (f->file) {
		mig_str_add(out, f->file);
		if (f->line) {
			mig_str_addf(out, ":%u", f->line);
			if (f->column) {
				mig_str_addf(out, ":%u", f->column);
			}
		}
		mig_str_add(out, ": ");
	}
	if (f->severity != MIG_SEVERITY_ERROR) {
		mig_str_addf(out, "%s: ", severity_name(f->severity));
	}
	mig_str_addf(out, "%s\n", f->message);
}

static void format_github_finding(const struct mig_finding *f, struct mig_str *out)
{
	static const char *const cmds[] = { "error", "warning", "notice" };
	mig_str_addf(out, "::%s", cmds[f->severity]);
	if (f->file) {
		mig_str_add(out, " file=");
		mig_github_escape_property(out, f->repo_file ? f->repo_file : f->file);
		if (f->line) {
			mig_str_addf(out, ",line=%u", f->line);
			if (f->column) {
				mig_str_addf(out, ",col=%u", f->column);
			}
		}
	}
	mig_str_add(out, "::");
	mig_github_escape_data(out, f->message);
	mig_str_addch(out, '\n');
}

static void json_uint(struct mig_str *out, unsigned v)
{
	if (v) {
		mig_str_addf(out, "%u", v);
	} else {
		mig_str_add(out, "null");
	}
}

void mig_report_json_members(const struct mig_report *r, struct mig_str *out)
{
	if (r->ref) {
		mig_str_add(out, "\"ref\": ");
		mig_json_string(out, r->ref);
		mig_str_add(out, ", \"merge_base\": ");
		mig_json_string(out, r->merge_base);
		mig_str_add(out, ", \"added_revisions\": [");
		for (size_t i = 0; i < r->added.n; i++) {
			const struct mig_report_rev *a = &r->added.v[i];
			mig_str_add(out, i ? ",\n  " : "\n  ");
			mig_str_add(out, "{\"revision\": ");
			mig_json_string(out, a->id);
			mig_str_add(out, ", \"down_revisions\": [");
			for (size_t k = 0; k < a->ndown; k++) {
				if (k) {
					mig_str_add(out, ", ");
				}
				mig_json_string(out, a->down[k]);
			}
			mig_str_add(out, "], \"message\": ");
			mig_json_string(out, a->message);
			mig_str_add(out, ", \"path\": ");
			mig_json_string(out, a->path);
			mig_str_addch(out, '}');
		}
		mig_str_add(out, r->added.n ? "\n], " : "], ");
	}
	if (r->verified >= 0) {
		mig_str_addf(out, "\"verified\": %ld, ", r->verified);
	}
	mig_str_add(out, "\"findings\": [");
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct mig_finding *f = &r->findings.v[i];
		mig_str_add(out, i ? ",\n  " : "\n  ");
		mig_str_add(out, "{\"kind\": ");
		mig_json_string(out, mig_finding_kind_name(f->kind));
		mig_str_add(out, ", \"severity\": ");
		mig_json_string(out, severity_name(f->severity));
		mig_str_add(out, ", \"file\": ");
		mig_json_string(out, f->file);
		mig_str_add(out, ", \"repo_file\": ");
		mig_json_string(out, f->repo_file);
		mig_str_add(out, ", \"line\": ");
		json_uint(out, f->line);
		mig_str_add(out, ", \"column\": ");
		json_uint(out, f->column);
		mig_str_add(out, ", \"message\": ");
		mig_json_string(out, f->message);
		mig_str_addch(out, '}');
	}
	mig_str_add(out, r->findings.n ? "\n], " : "], ");
	mig_str_addf(out, "\"errors\": %zu", mig_report_errors(r));
}

void mig_report_format(const struct mig_report *r, enum mig_report_format f, unsigned parts,
		       struct mig_str *out)
{
	if (f == MIG_REPORT_JSON) {
		mig_str_addch(out, '{');
		mig_report_json_members(r, out);
		mig_str_add(out, "}\n");
		return;
	}
	if (parts & MIG_REPORT_ADDED) {
		format_added(r, out);
	}
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct mig_finding *fi = &r->findings.v[i];
		bool note = fi->severity == MIG_SEVERITY_NOTE;
		if (!(parts & (note ? MIG_REPORT_NOTES : MIG_REPORT_FINDINGS))) {
			continue;
		}
		if (f == MIG_REPORT_GITHUB) {
			format_github_finding(fi, out);
		} else {
			format_text_finding(fi, out);
		}
	}
	if (parts & MIG_REPORT_VERIFIED) {
		format_verified(r, out);
	}
}

/* The number of lines of a text (a last line without a newline counts). */
static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		n += s[i] == '\n';
	}
	return n + (len && s[len - 1] != '\n');
}

unsigned mig_first_changed_line(const char *old_text, size_t old_len, const char *new_text,
				size_t new_len)
{
	size_t i = 0, line = 1;
	if (old_len == new_len && memcmp(old_text, new_text, old_len) == 0) {
		return 0;
	}
	while (i < old_len && i < new_len && old_text[i] == new_text[i]) {
		if (new_text[i] == '\n') {
			line++;
		}
		i++;
	}
	size_t last = count_lines(new_text, new_len);
	if (line > last) {
		line = last ? last : 1;
	}
	return line > UINT_MAX ? UINT_MAX : (unsigned)line;
}

/* ---- git ---- */

static int git_fail(enum mig_error_class klass, const char *fmt, ...) MIG_PRINTF(2, 3);

/* Set an error "<what>: <libgit2's message>". */
static int git_fail(enum mig_error_class klass, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_error(klass, "%s: %s", s.buf, e && e->message ? e->message : "unknown error");
	mig_str_release(&s);
	return MIG_ERROR;
}

/* A git working tree, with its root as a real path without the final '/'. */
struct repo {
	git_repository *git;
	char *root;
};

static void repo_close(struct repo *r)
{
	git_repository_free(r->git);
	free(r->root);
	r->git = NULL;
	r->root = NULL;
}

/* Open the repository whose working tree holds dir (looking upwards). When
 * there is none: with required, a usage error; without, 0 and r->git NULL. */
static int repo_open(const char *dir, bool required, struct repo *r)
{
	char *real = realpath(dir, NULL);
	int rc = 0;
	memset(r, 0, sizeof(*r));
	if (!real) {
		return mig_error(MIG_ECLASS_OS, "cannot open '%s': %s", dir, strerror(errno));
	}
	int e = git_repository_open_ext(&r->git, real, 0, NULL);
	if (e == GIT_ENOTFOUND) {
		r->git = NULL;
		if (required) {
			rc = mig_error(MIG_ECLASS_USAGE,
				       "'%s' is not in a git repository (--base compares the "
				       "revision files with a git ref)",
				       dir);
		}
		goto done;
	}
	if (e < 0) {
		rc = git_fail(MIG_ECLASS_USAGE, "cannot open the git repository of '%s'", dir);
		goto done;
	}
	const char *wd = git_repository_workdir(r->git);
	if (!wd) {
		repo_close(r);
		if (required) {
			rc = mig_error(MIG_ECLASS_USAGE,
				       "the git repository of '%s' is bare: it has no working tree",
				       dir);
		}
		goto done;
	}
	r->root = realpath(wd, NULL);
	if (!r->root) {
		r->root = xstrdup(wd);
	}
	size_t n = strlen(r->root);
	if (n > 1 && r->root[n - 1] == '/') {
		r->root[n - 1] = '\0';
	}
done:
	free(real);
	return rc;
}

/* path relative to the root of r's working tree ("" for the root itself), or
 * NULL when it is not inside; new string. */
static char *repo_relative(const struct repo *r, const char *path)
{
	char *real = realpath(path, NULL);
	char *rel = NULL;
	if (!real || !r->root) {
		free(real);
		return NULL;
	}
	size_t n = strlen(r->root);
	if (strcmp(real, r->root) == 0) {
		rel = xstrdup("");
	} else if (strncmp(real, r->root, n) == 0 && real[n] == '/') {
		rel = xstrdup(real + n + 1);
	} else if (strcmp(r->root, "/") == 0) {
		rel = xstrdup(real + 1);
	}
	free(real);
	return rel;
}

/* "dir/name", or name alone at the root; new string. */
static char *rel_join(const char *dir, const char *name)
{
	return *dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

/* The revision files (*.yaml blobs) of folder dir of a commit's tree, in
 * name order, read into memory. A folder the tree lacks gives none. */
struct blobfile {
	char *path; /* dir/name */
	git_oid id;
	char *data;
	size_t len;
};
struct blobfiles {
	struct blobfile *v;
	size_t n;
	size_t alloc;
};

static void blobfiles_release(struct blobfiles *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].path);
		free(v->v[i].data);
	}
	mig_vec_free(v);
}

static int tree_files(git_repository *git, git_commit *commit, const char *dir,
		      struct blobfiles *out)
{
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *entry = NULL;
	int rc = 0;

	if (git_commit_tree(&root, commit) < 0) {
		return git_fail(MIG_ECLASS_USAGE, "cannot read the tree of a commit");
	}
	if (!*dir) {
		sub = root;
		root = NULL;
	} else {
		int e = git_tree_entry_bypath(&entry, root, dir);
		if (e == GIT_ENOTFOUND ||
		    (e == 0 && git_tree_entry_type(entry) != GIT_OBJECT_TREE)) {
			goto done;
		}
		if (e < 0 || git_tree_lookup(&sub, git, git_tree_entry_id(entry)) < 0) {
			rc = git_fail(MIG_ECLASS_USAGE, "cannot read '%s' in a commit", dir);
			goto done;
		}
	}
	for (size_t i = 0; i < git_tree_entrycount(sub); i++) {
		const git_tree_entry *te = git_tree_entry_byindex(sub, i);
		const char *name = git_tree_entry_name(te);
		git_filemode_t mode = git_tree_entry_filemode(te);
		git_blob *blob = NULL;
		if ((mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
		    !mig_ends_with(name, ".yaml")) {
			continue;
		}
		if (git_blob_lookup(&blob, git, git_tree_entry_id(te)) < 0) {
			rc = git_fail(MIG_ECLASS_USAGE, "cannot read '%s/%s' in a commit", dir,
				      name);
			goto done;
		}
		struct blobfile bf = { rel_join(dir, name), *git_tree_entry_id(te), NULL, 0 };
		bf.len = (size_t)git_blob_rawsize(blob);
		bf.data = xmalloc(bf.len + 1);
		memcpy(bf.data, git_blob_rawcontent(blob), bf.len);
		bf.data[bf.len] = '\0';
		git_blob_free(blob);
		mig_vec_push(out, bf);
	}
done:
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_tree_free(root);
	return rc;
}

static int blobfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct blobfile *)a)->path, ((const struct blobfile *)b)->path);
}

static int load_blob_graph(const struct blobfiles *files, const char *file_template,
			   struct mig_revgraph **out)
{
	struct mig_revblob *b = xcalloc(files->n + 1, sizeof(*b));
	for (size_t i = 0; i < files->n; i++) {
		b[i].path = files->v[i].path;
		b[i].text = files->v[i].data;
		b[i].len = files->v[i].len;
	}
	int rc = mig_revgraph_load_blobs(out, b, files->n, file_template);
	free(b);
	return rc;
}

/* Resolve spec to a commit. */
static int lookup_commit(git_repository *git, const char *spec, git_commit **out)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0;
	if (git_revparse_single(&obj, git, spec) < 0) {
		const git_error *e = git_error_last();
		rc = mig_error(MIG_ECLASS_USAGE,
			       "cannot resolve '%s': %s (a CI checkout needs the whole history: "
			       "fetch-depth: 0, or GIT_DEPTH: 0)",
			       spec, e && e->message ? e->message : "unknown error");
	} else if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		rc = git_fail(MIG_ECLASS_USAGE, "'%s' is not a commit", spec);
	} else {
		*out = (git_commit *)peeled;
		peeled = NULL;
	}
	git_object_free(obj);
	git_object_free(peeled);
	return rc;
}

/* Mark r and its descendants (by down_revision) in set. */
static void mark_descendants(const struct mig_revision *r, unsigned char *set)
{
	if (set[r->index]) {
		return;
	}
	set[r->index] = 1;
	for (size_t i = 0; i < r->nchildren; i++) {
		mark_descendants(r->children[i], set);
	}
}

/* ---- check --base REF ---- */

/* Everything one run of mig_gitcheck_base holds. */
struct basecheck {
	const struct mig_config *cfg;
	const char *ref;
	struct repo repo;
	char *versions;     /* the versions folder, as configured */
	char *rel;          /* the same, relative to the root of the working tree */
	char mb[GIT_OID_HEXSZ + 1];
	struct blobfiles base_files, ref_files, after_files;
	struct mig_revgraph *base, *at_ref, *after;
	/* the headers of the working tree's revision files, each read alone (a
	 * deleted file must not stop the check that reports it) */
	struct mig_arena work_arena;
	MIG_VEC(struct mig_revision *) work;
	struct mig_strmap work_ids;
};

/* Read the header of every revision file of the working tree's versions
 * folder. */
static int load_work(struct basecheck *c)
{
	static const char *const suffixes[] = { ".yaml", NULL };
	struct mig_strlist names = MIG_STRLIST_INIT;
	int rc = mig_dir_list(c->versions, suffixes, &names);
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		char *path = mig_path_join(c->versions, names.v[i]);
		struct mig_revision *r = NULL;
		rc = mig_revision_load(path, &c->work_arena, &r);
		if (rc == 0) {
			mig_vec_push(&c->work, r);
			mig_strmap_put(&c->work_ids, r->id, r);
		}
		free(path);
	}
	mig_strlist_release(&names);
	return rc;
}

/* The absolute path of a path relative to the root of the working tree. New
 * string. */
static char *abs_path(const struct basecheck *c, const char *rel)
{
	return xasprintf("%s/%s", strcmp(c->repo.root, "/") == 0 ? "" : c->repo.root, rel);
}

/* Report a history rewrite of rev's file abs: deleted (line 0) or edited
 * (from line on). */
static void report_rewrite(const struct basecheck *c, struct mig_report *report,
			   const struct mig_revision *rev, const char *abs, unsigned line)
{
	char mb[13];
	char *shown = mig_report_shown_path(abs);
	short_id(mb, c->mb);
	if (!line) {
		mig_report_add(report, MIG_FINDING_HISTORY_REWRITE, MIG_SEVERITY_ERROR, abs, 0, 0,
			       "history rewrite: revision %s was deleted, but it is in %s (merge "
			       "base %s); restore it with 'git checkout %s -- %s'",
			       rev->id, c->ref, mb, mb, shown);
	} else {
		mig_report_add(report, MIG_FINDING_HISTORY_REWRITE, MIG_SEVERITY_ERROR, abs, line,
			       0,
			       "history rewrite: revision %s was edited, but it is in %s (merge "
			       "base %s) as it was; restore it with 'git checkout %s -- %s' and "
			       "make the change in a new revision",
			       rev->id, c->ref, mb, mb, shown);
	}
	free(shown);
}

/* History rewrites: files of the merge base that the working tree changed
 * or deleted. */
static int check_rewrites(struct basecheck *c, struct mig_report *report)
{
	for (size_t i = 0; i < c->base_files.n; i++) {
		const struct blobfile *bf = &c->base_files.v[i];
		const struct mig_revision *rev = mig_revgraph_at(c->base, i);
		char *disk = mig_path_join(c->versions, base_name(bf->path));
		char *abs = abs_path(c, bf->path);
		char *data = NULL;
		size_t len = 0;
		git_oid now;
		int rc = 0;
		if (!mig_path_exists(disk)) {
			report_rewrite(c, report, rev, abs, 0);
		} else if (git_repository_hashfile(&now, c->repo.git, disk, GIT_OBJECT_BLOB,
						   NULL) < 0) {
			rc = git_fail(MIG_ECLASS_OS, "cannot read '%s'", disk);
		} else if (!git_oid_equal(&now, &bf->id)) {
			rc = mig_file_read(disk, &data, &len);
			if (rc == 0) {
				unsigned line = mig_first_changed_line(bf->data, bf->len, data,
								       len);
				report_rewrite(c, report, rev, abs, line ? line : 1);
			}
		}
		free(data);
		free(disk);
		free(abs);
		if (rc < 0) {
			return rc;
		}
	}
	return 0;
}

/* The revisions of the working tree that the merge base lacks, into the
 * report and (unless ref has them already) into the files of the merged
 * graph. */
static int collect_added(struct basecheck *c, struct mig_report *report)
{
	for (size_t i = 0; i < c->work.n; i++) {
		const struct mig_revision *rev = c->work.v[i];
		if (mig_revgraph_get(c->base, rev->id)) {
			continue;
		}
		char *path = rel_join(c->rel, base_name(rev->path));
		char *shown = mig_report_shown_path(rev->path);
		struct mig_report_rev a = { 0 };
		a.id = mig_arena_strdup(&report->arena, rev->id);
		a.down = mig_arena_alloc(&report->arena, (rev->ndown + 1) * sizeof(*a.down));
		for (size_t k = 0; k < rev->ndown; k++) {
			a.down[k] = mig_arena_strdup(&report->arena, rev->down_revisions[k]);
		}
		a.ndown = rev->ndown;
		a.message = mig_arena_strdup(&report->arena, rev->message);
		a.path = mig_arena_strdup(&report->arena, shown);
		free(shown);
		mig_vec_push(&report->added, a);
		if (mig_revgraph_get(c->at_ref, rev->id)) {
			free(path);
			continue;
		}
		struct blobfile bf = { path, { { 0 } }, NULL, 0 };
		if (mig_file_read(rev->path, &bf.data, &bf.len) < 0) {
			free(path);
			return MIG_ERROR;
		}
		mig_vec_push(&c->after_files, bf);
	}
	return 0;
}

static void join_ids(struct mig_str *out, const struct mig_revlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		mig_str_addf(out, "%s%s", i ? ", " : "", l->v[i]->id);
	}
}

/* Report the added revision rev as based on old, a revision of ref that is
 * no longer a head there, naming the heads of ref that grew from it. */
static void report_stale(const struct basecheck *c, struct mig_report *report,
			 const struct mig_revision *rev, const struct mig_revision *old,
			 const struct mig_revlist *ref_heads)
{
	struct mig_revlist heads = MIG_REVLIST_INIT;
	struct mig_str s = MIG_STR_INIT;
	unsigned char *from = xcalloc(mig_revgraph_count(c->at_ref) + 1, 1);
	mark_descendants(old, from);
	for (size_t k = 0; k < ref_heads->n; k++) {
		if (from[ref_heads->v[k]->index]) {
			mig_vec_push(&heads, ref_heads->v[k]);
		}
	}
	join_ids(&s, &heads);
	bool one = heads.n == 1;
	char *abs = abs_path(c, rev->path);
	mig_report_add(report, MIG_FINDING_STALE_BRANCH, MIG_SEVERITY_ERROR, abs,
		       rev->pos_down_revision.line, rev->pos_down_revision.column,
		       "stale branch: revision %s is based on %s, which is no longer a head on %s "
		       "(%s %s there); bring %s into this branch and set down_revision: %s%s%s",
		       rev->id, old->id, c->ref, s.buf, one ? "is the head" : "are the heads",
		       c->ref, one ? "" : "[", s.buf, one ? "" : "]");
	free(abs);
	free(from);
	mig_str_release(&s);
	mig_revlist_release(&heads);
}

/* Stale branches: an added revision based on a revision of ref that is no
 * longer a head there, on a line that never joins ref's heads. */
static void check_stale(struct basecheck *c, struct mig_report *report)
{
	size_t n = mig_revgraph_count(c->after);
	unsigned char *joined = xcalloc(n + 1, 1);
	unsigned char *line = xcalloc(n + 1, 1);
	struct mig_revlist ref_heads = MIG_REVLIST_INIT;

	/* what descends from ref's heads in the merged graph */
	mig_revgraph_heads(c->at_ref, false, &ref_heads);
	for (size_t i = 0; i < ref_heads.n; i++) {
		mark_descendants(mig_revgraph_get(c->after, ref_heads.v[i]->id), joined);
	}
	for (size_t i = 0; i < n; i++) {
		const struct mig_revision *rev = mig_revgraph_at(c->after, i);
		if (mig_revgraph_get(c->at_ref, rev->id)) {
			continue;
		}
		memset(line, 0, n);
		mark_descendants(rev, line);
		bool joins = false;
		for (size_t k = 0; k < n && !joins; k++) {
			joins = line[k] && joined[k];
		}
		for (size_t d = 0; d < rev->ndown && !joins; d++) {
			const struct mig_revision *old =
				mig_revgraph_get(c->at_ref, rev->down_revisions[d]);
			if (old && !mig_revision_is_head(old)) {
				report_stale(c, report, rev, old, &ref_heads);
			}
		}
	}
	mig_revlist_release(&ref_heads);
	free(line);
	free(joined);
}

/* Multiple heads after the merge, more than ref has (a project may keep
 * several on purpose, with branch labels): one finding at each head. */
static void check_heads(struct basecheck *c, struct mig_report *report)
{
	struct mig_revlist heads = MIG_REVLIST_INIT, before = MIG_REVLIST_INIT;
	struct mig_str s = MIG_STR_INIT;
	bool need_ref = false;
	mig_revgraph_heads(c->after, true, &heads);
	mig_revgraph_heads(c->at_ref, true, &before);
	if (heads.n < 2 || heads.n <= before.n) {
		goto done;
	}
	for (size_t i = 0; i < heads.n; i++) {
		bool mine = !mig_revgraph_get(c->at_ref, heads.v[i]->id);
		mig_str_addf(&s, "%s%s (%s)", i ? ", " : "", heads.v[i]->id,
			     mine ? "this branch" : c->ref);
		need_ref = need_ref || !mig_strmap_get(&c->work_ids, heads.v[i]->id);
	}
	for (size_t i = 0; i < heads.n; i++) {
		const struct mig_revision *h = heads.v[i];
		char *abs = abs_path(c, h->path);
		if (need_ref) {
			mig_report_add(report, MIG_FINDING_MULTIPLE_HEADS, MIG_SEVERITY_ERROR, abs,
				       h->pos_revision.line, h->pos_revision.column,
				       "multiple heads after merging with %s: %s; bring %s "
				       "into this branch and run 'migrate merge heads -m "
				       "\"merge\"'",
				       c->ref, s.buf, c->ref);
		} else {
			mig_report_add(report, MIG_FINDING_MULTIPLE_HEADS, MIG_SEVERITY_ERROR, abs,
				       h->pos_revision.line, h->pos_revision.column,
				       "multiple heads after merging with %s: %s; run "
				       "'migrate merge heads -m \"merge\"'",
				       c->ref, s.buf);
		}
		free(abs);
	}
done:
	mig_str_release(&s);
	mig_revlist_release(&heads);
	mig_revlist_release(&before);
}

int mig_gitcheck_base(const struct mig_config *cfg, const char *ref, struct mig_report *report)
{
	struct basecheck c = { 0 };
	git_commit *head = NULL, *at_ref = NULL, *mb = NULL;
	git_oid mb_id;
	int rc = MIG_ERROR;

	git_libgit2_init();
	c.cfg = cfg;
	c.ref = ref;
	c.versions = mig_config_versions_dir(cfg);
	if (repo_open(c.versions, true, &c.repo) < 0 || load_work(&c) < 0) {
		goto done;
	}
	c.rel = repo_relative(&c.repo, c.versions);
	if (!c.rel) {
		mig_error(MIG_ECLASS_USAGE, "'%s' is not in the working tree of '%s'", c.versions,
			  c.repo.root);
		goto done;
	}
	if (lookup_commit(c.repo.git, ref, &at_ref) < 0) {
		goto done;
	}
	if (lookup_commit(c.repo.git, "HEAD", &head) < 0) {
		goto done;
	}
	int e = git_merge_base(&mb_id, c.repo.git, git_commit_id(head), git_commit_id(at_ref));
	if (e == GIT_ENOTFOUND) {
		mig_error(MIG_ECLASS_USAGE,
			  "HEAD and '%s' have no common ancestor (in a shallow clone, fetch the "
			  "whole history: git fetch --unshallow, or fetch-depth: 0)",
			  ref);
		goto done;
	}
	if (e < 0 || git_commit_lookup(&mb, c.repo.git, &mb_id) < 0) {
		git_fail(MIG_ECLASS_USAGE, "cannot find the merge base of HEAD and '%s'", ref);
		goto done;
	}
	git_oid_tostr(c.mb, sizeof(c.mb), &mb_id);
	if (tree_files(c.repo.git, mb, c.rel, &c.base_files) < 0 ||
	    tree_files(c.repo.git, at_ref, c.rel, &c.ref_files) < 0) {
		goto done;
	}
	if (load_blob_graph(&c.base_files, cfg->file_template, &c.base) < 0) {
		mig_error_prefix("the revision files at the merge base with '%s'", ref);
		goto done;
	}
	if (load_blob_graph(&c.ref_files, cfg->file_template, &c.at_ref) < 0) {
		mig_error_prefix("the revision files of '%s'", ref);
		goto done;
	}
	report->ref = mig_arena_strdup(&report->arena, ref);
	report->merge_base = mig_arena_strdup(&report->arena, c.mb);
	if (check_rewrites(&c, report) < 0) {
		goto done;
	}
	/* the graph after the merge: ref's revisions and the ones added here */
	for (size_t i = 0; i < c.ref_files.n; i++) {
		const struct blobfile *r = &c.ref_files.v[i];
		struct blobfile bf = { xstrdup(r->path), r->id, xmalloc(r->len + 1), r->len };
		memcpy(bf.data, r->data, r->len + 1);
		mig_vec_push(&c.after_files, bf);
	}
	if (collect_added(&c, report) < 0) {
		goto done;
	}
	/* in name order, as the merged working tree would load them */
	if (c.after_files.n) {
		qsort(c.after_files.v, c.after_files.n, sizeof(*c.after_files.v), blobfile_cmp);
	}
	if (load_blob_graph(&c.after_files, cfg->file_template, &c.after) < 0) {
		mig_error_prefix("the revision files after merging '%s'", ref);
		goto done;
	}
	check_stale(&c, report);
	check_heads(&c, report);
	rc = 0;
done:
	git_commit_free(head);
	git_commit_free(at_ref);
	git_commit_free(mb);
	mig_vec_free(&c.work);
	mig_strmap_release(&c.work_ids);
	mig_arena_release(&c.work_arena);
	mig_revgraph_free(c.base);
	mig_revgraph_free(c.at_ref);
	mig_revgraph_free(c.after);
	blobfiles_release(&c.base_files);
	blobfiles_release(&c.ref_files);
	blobfiles_release(&c.after_files);
	free(c.versions);
	free(c.rel);
	repo_close(&c.repo);
	git_libgit2_shutdown();
	return rc;
}

/* ---- verify ---- */

/* The last "up" or "stamp" row of one revision in migrate_history. */
struct applied_row {
	const char *checksum;
	const char *at;
	const char *by;
};

/* Report one applied revision whose file changed. */
static void report_changed(struct mig_report *report, const struct repo *repo,
			   const struct mig_revision *rev, const struct applied_row *row,
			   const char *data, size_t len)
{
	char *path = mig_report_shown_path(rev->path);
	struct mig_str when = MIG_STR_INIT;
	unsigned line = 0;
	bool have_blob = false;
	git_oid id;
	if (row->at) {
		mig_str_addf(&when, " on %s UTC", row->at);
	}
	if (row->by) {
		mig_str_addf(&when, " by %s", row->by);
	}
	if (repo->git && git_oid_fromstr(&id, row->checksum) == 0) {
		git_blob *blob = NULL;
		if (git_blob_lookup(&blob, repo->git, &id) == 0) {
			line = mig_first_changed_line(git_blob_rawcontent(blob),
						      (size_t)git_blob_rawsize(blob), data, len);
			have_blob = true;
			git_blob_free(blob);
		}
	}
	if (have_blob) {
		char sid[13];
		short_id(sid, row->checksum);
		mig_report_add(report, MIG_FINDING_APPLIED_CHANGED, MIG_SEVERITY_ERROR, rev->path,
			       line ? line : 1, 0,
			       "applied revision %s changed since it was applied%s; restore it "
			       "with 'git show %s > %s' and make the change in a new revision",
			       rev->id, when.buf, sid, path);
	} else {
		mig_report_add(report, MIG_FINDING_APPLIED_CHANGED, MIG_SEVERITY_ERROR, rev->path,
			       0, 0,
			       "applied revision %s changed since it was applied%s (it was blob "
			       "%s then); restore it as it was and make the change in a new "
			       "revision",
			       rev->id, when.buf, row->checksum);
	}
	mig_str_release(&when);
	free(path);
}

int mig_gitcheck_verify(struct mig_db *db, const struct mig_revgraph *g,
			const struct mig_config *cfg, struct mig_report *report)
{
	const char *schema = cfg->version_table_schema && *cfg->version_table_schema
				     ? cfg->version_table_schema
				     : NULL;
	struct mig_strlist ids = MIG_STRLIST_INIT;
	struct mig_revlist known = MIG_REVLIST_INIT, none = MIG_REVLIST_INIT,
			   applied = MIG_REVLIST_INIT;
	struct mig_rows rows = MIG_ROWS_INIT;
	struct mig_str sql = MIG_STR_INIT;
	struct applied_row *last = NULL;
	struct repo repo = { 0 };
	size_t unrecorded = 0;
	bool have_history = false;
	int rc;

	git_libgit2_init();
	rc = mig_db_table_exists(db, schema, MIG_HISTORY_TABLE, &have_history);
	if (rc < 0) {
		goto done;
	}
	if (!have_history) {
		mig_report_add(report, MIG_FINDING_NOTE, MIG_SEVERITY_NOTE, NULL, 0, 0,
			       "the database has no %s table, so there is nothing to verify "
			       "(the next upgrade, downgrade or stamp creates it)",
			       MIG_HISTORY_TABLE);
		goto done;
	}
	rc = mig_run_read_versions(db, cfg, &ids, NULL);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < ids.n; i++) {
		const struct mig_revision *rev = mig_revgraph_get(g, ids.v[i]);
		if (rev) {
			mig_vec_push(&known, rev);
		} else {
			mig_report_add(report, MIG_FINDING_APPLIED_NO_FILE, MIG_SEVERITY_ERROR,
				       NULL, 0, 0, "applied revision %s has no revision file",
				       ids.v[i]);
		}
	}
	rc = mig_revgraph_upgrade_revs(g, &none, &known, &applied);
	if (rc < 0) {
		goto done;
	}
	mig_history_select_sql(mig_db_dialect(db), schema, &sql);
	rc = mig_db_query(db, sql.buf, &rows);
	if (rc < 0) {
		goto done;
	}
	last = xcalloc(mig_revgraph_count(g) + 1, sizeof(*last));
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *dir = mig_rows_get(&rows, i, 1);
		const struct mig_revision *rev = mig_revgraph_get(g, mig_rows_get(&rows, i, 0));
		if (rev && (mig_streq(dir, "up") || mig_streq(dir, "stamp"))) {
			struct applied_row *a = &last[rev->index];
			a->checksum = mig_rows_get(&rows, i, 2);
			a->at = mig_rows_get(&rows, i, 3);
			a->by = mig_rows_get(&rows, i, 4);
		}
	}
	if (applied.n) {
		char *dir = mig_path_dirname(applied.v[0]->path);
		rc = repo_open(dir, false, &repo);
		free(dir);
		if (rc < 0) {
			goto done;
		}
	}
	report->verified = 0;
	for (size_t i = 0; i < applied.n; i++) {
		const struct mig_revision *rev = applied.v[i];
		const struct applied_row *row = &last[rev->index];
		char *data = NULL;
		size_t len = 0;
		char hex[41];
		if (!row->checksum || !*row->checksum) {
			unrecorded++;
			continue;
		}
		rc = mig_file_read(rev->path, &data, &len);
		if (rc < 0) {
			goto done;
		}
		mig_run_checksum_data(data, len, hex);
		if (strcmp(hex, row->checksum) != 0) {
			report_changed(report, &repo, rev, row, data, len);
		}
		free(data);
		report->verified++;
	}
	if (unrecorded) {
		mig_report_add(report, MIG_FINDING_NOTE, MIG_SEVERITY_NOTE, NULL, 0, 0,
			       "%zu applied revision%s no checksum in %s (applied before it "
			       "recorded one, or below a stamped revision) and %s not verified",
			       unrecorded, unrecorded == 1 ? " has" : "s have", MIG_HISTORY_TABLE,
			       unrecorded == 1 ? "was" : "were");
	}
done:
	free(last);
	repo_close(&repo);
	mig_rows_release(&rows);
	mig_str_release(&sql);
	mig_revlist_release(&applied);
	mig_revlist_release(&known);
	mig_strlist_release(&ids);
	git_libgit2_shutdown();
	return rc;
}

/* ---- the schema the revisions produce ---- */

int mig_gitcheck_offline_schema(const struct mig_revgraph *g, struct mig_schema **out,
				size_t *nsql)
{
	struct mig_revlist none = MIG_REVLIST_INIT, heads = MIG_REVLIST_INIT,
			   revs = MIG_REVLIST_INIT;
	struct mig_schema *s = mig_schema_new();
	bool opaque = false;
	size_t n = 0;
	int rc;

	mig_revgraph_heads(g, false, &heads);
	rc = mig_revgraph_upgrade_revs(g, &none, &heads, &revs);
	for (size_t i = 0; rc == 0 && i < revs.n; i++) {
		struct mig_revision_file *f = NULL;
		bool has_sql = false;
		rc = mig_revision_load_full(revs.v[i]->path, &f);
		for (size_t k = 0; rc == 0 && k < (f ? f->upgrade.ops.n : 0); k++) {
			int a = mig_schema_apply(s, &f->upgrade.ops.v[k]);
			if (a == MIG_APPLY_OPAQUE) {
				has_sql = opaque = true;
			} else if (a < 0 && opaque) {
				/* after an sql op the schema is a guess: go on with it */
				mig_error_clear();
			} else if (a < 0) {
				rc = a;
			}
		}
		n += has_sql;
		mig_revision_file_free(f);
	}
	if (rc == 0) {
		*out = s;
		s = NULL;
		if (nsql) {
			*nsql = n;
		}
	}
	mig_schema_free(s);
	mig_revlist_release(&revs);
	mig_revlist_release(&heads);
	return rc;
}

/* The statements that make, enter and drop a throwaway schema (PostgreSQL)
 * or database (MySQL) named by the quoted name q; NULL where there is none. */
struct scratch_sql {
	char *create, *enter, *drop;
};

static void scratch_sql_init(struct scratch_sql *x, const char *dialect, const char *q)
{
	memset(x, 0, sizeof(*x));
	if (strcmp(dialect, "postgresql") == 0) {
		x->create = xasprintf("CREATE SCHEMA %s", q);
		x->enter = xasprintf("SET search_path TO %s", q);
		x->drop = xasprintf("DROP SCHEMA %s CASCADE", q);
	} else if (strcmp(dialect, "mysql") == 0) {
		x->create = xasprintf("CREATE DATABASE %s", q);
		x->enter = xasprintf("USE %s", q);
		x->drop = xasprintf("DROP DATABASE %s", q);
	}
}

static void scratch_sql_release(struct scratch_sql *x)
{
	free(x->create);
	free(x->enter);
	free(x->drop);
}

int mig_gitcheck_scratch_schema(const char *url_text, const struct mig_revgraph *g,
				const struct mig_config *cfg, struct mig_schema **out,
				const struct mig_dialect_impl **impl)
{
	static const char *const heads[] = { "heads" };
	struct mig_url *url = NULL;
	struct mig_db *db = NULL;
	struct scratch_sql x = { 0 };
	struct mig_config c = *cfg;
	struct mig_run_opts o = { 0 };
	struct mig_reflect_opts ropts = { 0 };
	char *name = xasprintf("migrate_scratch_%ld", (long)getpid());
	char *q = NULL;
	bool made = false;
	int rc;

	rc = mig_url_parse(&url, url_text);
	if (rc < 0) {
		goto done;
	}
	if (strcmp(url->dialect, "sqlite") == 0) {
		rc = mig_db_open(&db, "sqlite://");
	} else {
		rc = mig_db_open_url(&db, url);
	}
	if (rc < 0) {
		goto done;
	}
	q = mig_db_quote_ident(db, name);
	scratch_sql_init(&x, mig_dialect_name(mig_db_dialect(db)), q);
	if (x.create) {
		rc = mig_db_exec(db, x.create);
		made = rc == 0;
		if (rc == 0) {
			rc = mig_db_exec(db, x.enter);
		}
		if (rc < 0) {
			goto done;
		}
	}
	/* everything, the version table too, in the throwaway schema */
	c.version_table_schema = NULL;
	o.mode = MIG_RUN_UPGRADE;
	o.targets = heads;
	o.ntargets = 1;
	rc = mig_run(db, mig_db_dialect(db), g, &c, &o);
	if (rc < 0) {
		goto done;
	}
	ropts.version_table = cfg->version_table;
	ropts.history_table = MIG_HISTORY_TABLE;
	ropts.exclude_tables = &cfg->exclude_tables;
	rc = mig_db_reflect(db, &ropts, out);
	if (rc == 0 && impl) {
		*impl = mig_db_dialect(db);
	}
done:
	if (made) {
		/* drop it whatever happened, keeping the error of a failure */
		struct mig_saved_error e = { MIG_ECLASS_NONE, NULL };
		if (rc < 0) {
			mig_error_take(&e);
		}
		int drc = mig_db_exec(db, x.drop);
		if (rc < 0) {
			mig_error_give(&e, NULL);
		} else if (drc < 0) {
			rc = drc;
			mig_schema_free(*out);
			*out = NULL;
		}
	}
	scratch_sql_release(&x);
	mig_db_close(db);
	mig_url_free(url);
	free(q);
	free(name);
	return rc;
}

/* ---- drift ---- */

/* Whether two drop ops drop the same object. */
static bool same_drop(const struct mig_op *a, const struct mig_op *b)
{
	if (a->kind != b->kind || !mig_streq(a->schema, b->schema) ||
	    !mig_streq(a->table, b->table)) {
		return false;
	}
	switch (a->kind) {
	case MIG_OP_DROP_TABLE:
		return true;
	case MIG_OP_DROP_COLUMN:
		return mig_streq(a->column, b->column);
	case MIG_OP_DROP_CONSTRAINT:
		return a->constraint == b->constraint && mig_streq(a->name, b->name);
	case MIG_OP_DROP_INDEX:
	case MIG_OP_DROP_ENUM:
		return mig_streq(a->name, b->name);
	default:
		return false;
	}
}

/* "table 'billing.invoices'", "column 'users.age'"… for a drop op. */
static void describe_drop(struct mig_str *out, const struct mig_op *op)
{
	struct mig_str t = MIG_STR_INIT;
	if (op->schema) {
		mig_str_addf(&t, "%s.", op->schema);
	}
	mig_str_add(&t, op->table ? op->table : "");
	switch (op->kind) {
	case MIG_OP_DROP_TABLE:
		mig_str_addf(out, "table '%s'", t.buf);
		break;
	case MIG_OP_DROP_COLUMN:
		mig_str_addf(out, "column '%s.%s'", t.buf, op->column);
		break;
	case MIG_OP_DROP_INDEX:
		mig_str_addf(out, "index '%s' on '%s'", op->name, t.buf);
		break;
	case MIG_OP_DROP_CONSTRAINT:
		if (op->constraint == MIG_CONSTRAINT_PRIMARY) {
			mig_str_add(out, "primary key");
		} else if (op->constraint == MIG_CONSTRAINT_FOREIGNKEY) {
			mig_str_add(out, "foreign key");
		} else {
			mig_str_addf(out, "%s constraint",
				     mig_constraint_type_name(op->constraint));
		}
		if (op->name) {
			mig_str_addf(out, " '%s'", op->name);
		}
		mig_str_addf(out, " on '%s'", t.buf);
		break;
	default: /* drop_enum */
		mig_str_addf(out, "enum '%s%s%s'", op->schema ? op->schema : "",
			     op->schema ? "." : "", op->name);
		break;
	}
	mig_str_release(&t);
}

int mig_gitcheck_drift(const struct mig_dialect_impl *impl, const struct mig_schema *reflected,
		       const struct mig_schema *revisions, const struct mig_schema *declared,
		       const struct mig_compare_opts *opts, bool approximate,
		       struct mig_report *report)
{
	struct mig_oplist to_revs, to_models, down;
	struct mig_str s = MIG_STR_INIT;
	int rc;

	mig_oplist_init(&to_revs);
	mig_oplist_init(&to_models);
	mig_oplist_init(&down);
	rc = mig_compare(impl, revisions, reflected, opts, &to_revs, &down, NULL);
	if (rc == 0) {
		rc = mig_compare(impl, declared, reflected, opts, &to_models, &down, NULL);
	}
	for (size_t i = 0; rc == 0 && i < to_revs.ops.n; i++) {
		const struct mig_op *op = &to_revs.ops.v[i];
		bool both = false;
		for (size_t k = 0; k < to_models.ops.n && !both; k++) {
			both = same_drop(op, &to_models.ops.v[k]);
		}
		if (!both) {
			continue;
		}
		mig_str_reset(&s);
		describe_drop(&s, op);
		mig_report_add(report, MIG_FINDING_DRIFT,
			       approximate ? MIG_SEVERITY_WARNING : MIG_SEVERITY_ERROR, NULL, 0, 0,
			       "drift: %s is in the database, but neither the revisions nor the "
			       "models have it",
			       s.buf);
	}
	mig_str_release(&s);
	mig_oplist_release(&to_revs);
	mig_oplist_release(&to_models);
	mig_oplist_release(&down);
	return rc;
}
