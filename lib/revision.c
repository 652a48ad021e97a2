/* Revision files: the header (fast hand parser for the common layout, libyaml
 * for everything else), new ids, slugs, dates and file names, template
 * rendering and post-write hooks. */
#include "revision.h"
#include "ops-yaml.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the header, as read from either parser ---- */

enum hkey {
	K_REVISION,
	K_DOWN,
	K_LABELS,
	K_DEPENDS,
	K_MESSAGE,
	K_DATE,
	K_TRANSACTIONAL,
	K_UPGRADE,
	K_DOWNGRADE,
	K_COUNT,
};

static const char *const header_keys[] = {
	"revision", "down_revision", "branch_labels", "depends_on", "message", "create_date",
	"transactional", "upgrade", "downgrade", NULL,
};

enum vkind {
	V_NULL,
	V_SCALAR,
	V_LIST,  /* a sequence; items are kept when they are all non-null scalars */
	V_OTHER, /* a mapping, or a sequence holding something other than scalars */
};

struct hval {
	bool present;
	enum vkind kind;
	const char *str; /* V_SCALAR */
	const char **items; /* V_LIST of scalars */
	size_t nitems;
	unsigned line, col; /* the value (the key when the value is empty) */
};

struct rawhdr {
	struct hval v[K_COUNT];
	unsigned line, col; /* the mapping */
};

static const char *const reserved_words[] = { "head", "heads", "base", "current", NULL };

static bool is_reserved(const char *s)
{
	for (size_t i = 0; reserved_words[i]; i++) {
		if (strcmp(s, reserved_words[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* Why id cannot be a revision id, or NULL when it can. Pure (the graph
 * parses files on several threads). */
static const char *id_problem(const char *id)
{
	size_t n = 0;
	for (const char *p = id; *p; p++, n++) {
		if (!isalnum((unsigned char)*p) && *p != '_') {
			return "use 1 to 32 letters, digits and underscores";
		}
	}
	if (n < 1 || n > 32) {
		return "use 1 to 32 letters, digits and underscores";
	}
	return is_reserved(id) ? "it is a reserved word" : NULL;
}

int mig_revision_check_id(const char *id)
{
	const char *why = id_problem(id);
	if (why) {
		return mig_error(MIG_ECLASS_USAGE, "invalid revision id '%s': %s", id, why);
	}
	return 0;
}

static const char *label_problem(const char *s)
{
	static const char *const chars = "use letters, digits, '_', '.' and '-', starting with a "
					 "letter, digit or '_'";
	if (!*s || !(isalnum((unsigned char)*s) || *s == '_') || strlen(s) > 64) {
		return chars;
	}
	for (const char *p = s; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p)) {
			return chars;
		}
	}
	return is_reserved(s) ? "it is a reserved word" : NULL;
}

int mig_revision_check_label(const char *label)
{
	const char *why = label_problem(label);
	if (why) {
		return mig_error(MIG_ECLASS_USAGE, "invalid branch label '%s': %s", label, why);
	}
	return 0;
}

/* ---- the fast parser ----
 *
 * Revision files written by migrate (and most written by hand) have one
 * "key: value" line per header key at column 0, values that are plain or
 * simply quoted scalars or one-line flow lists, and the op lists as block
 * sequences below "upgrade:" and "downgrade:" (or "[]"). That layout is read
 * here line by line without building a YAML document, which is what makes
 * loading thousands of files cheap. Anything else (a key this parser does not
 * know, block lists in the header, escapes, anchors, tabs...) makes it give up
 * and the file is read with libyaml instead, which also reports the problems.
 * The ops are not read here: `show` and the runner load them in full. */

#define FAST_MAX_ITEMS 64

struct fastp {
	const char *p;   /* current position */
	const char *end;
	unsigned line;   /* 1-based line of p's line */
	const char *bol; /* beginning of the current line */
};

/* The text is NUL-terminated (and holds no other NUL), so the end of the
 * buffer reads as '\0'. */
static inline bool is_eol(const struct fastp *f, const char *p)
{
	(void)f;
	return *p == '\n' || *p == '\0' || (*p == '\r' && (p[1] == '\n' || p[1] == '\0'));
}

static const char *line_end(const struct fastp *f, const char *p)
{
	while (!is_eol(f, p)) {
		p++;
	}
	return p;
}

static void next_line(struct fastp *f)
{
	const char *nl = memchr(f->p, '\n', (size_t)(f->end - f->p));
	f->p = nl ? nl + 1 : f->end;
	f->line++;
	f->bol = f->p;
}

/* After a value: spaces, then an optional comment, then the end of the line. */
static bool rest_is_blank(const struct fastp *f, const char *p)
{
	bool after_space = true;
	while (!is_eol(f, p)) {
		if (*p == '#' && after_space) {
			return true;
		}
		if (*p != ' ') {
			return false;
		}
		after_space = true;
		p++;
	}
	return true;
}

/* A plain scalar that means the same to libyaml as its text: no indicator at
 * the start, no ": " or " #" inside, no trailing ':'. In a flow list, ',' and
 * ']' end it. Returns the end, or NULL. */
static const char *scan_plain(const struct fastp *f, const char *p, bool flow)
{
	const char *s = p;
	unsigned char c0 = (unsigned char)*p;
	if (is_eol(f, p) || strchr("-?:,[]{}#&*!|>'\"%@`", c0)) {
		unsigned char c1 = (unsigned char)p[1];
		/* "-1" is a plain scalar; "- x" and "-" are not */
		if (!(c0 == '-' && !is_eol(f, p + 1) && c1 != ' ' &&
		      !(flow && (c1 == ',' || c1 == ']')))) {
			return NULL;
		}
	}
	const char *last = p; /* one past the last non-space */
	for (;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n' || c == '\0' || (c == '\r' && (p[1] == '\n' || p[1] == '\0'))) {
			break;
		}
		if (flow && (c == ',' || c == ']')) {
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			return NULL;
		}
		switch (c) {
		case ':': {
			unsigned char n = (unsigned char)p[1];
			if (n == ' ' || is_eol(f, p + 1) || (flow && (n == ',' || n == ']'))) {
				return NULL;
			}
			break;
		}
		case '#':
			if (p > s && p[-1] == ' ') {
				return last;
			}
			break;
		case '{':
		case '}':
		case '[':
		case ']':
			return NULL;
		default:
			break;
		}
		if (c != ' ') {
			last = p + 1;
		}
	}
	return last;
}

/* A quoted scalar without escapes ('' in single quotes is fine). Returns the
 * position after the closing quote, the unquoted text in *out; NULL to give
 * up. */
static const char *scan_quoted(const struct fastp *f, const char *p, struct mig_arena *a,
			       const char **out)
{
	char q = *p++;
	const char *s = p;
	bool doubled = false;
	for (;;) {
		if (is_eol(f, p)) {
			return NULL;
		}
		if (q == '"' && *p == '\\') {
			return NULL;
		}
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			return NULL;
		}
		if (*p == q) {
			if (q == '\'' && p + 1 < f->end && p[1] == '\'') {
				doubled = true;
				p += 2;
				continue;
			}
			break;
		}
		p++;
	}
	char *t = mig_arena_strndup(a, s, (size_t)(p - s));
	if (doubled) {
		char *w = t;
		for (const char *r = t; *r; r++) {
			*w++ = *r;
			if (*r == '\'' && r[1] == '\'') {
				r++;
			}
		}
		*w = '\0';
	}
	*out = t;
	return p + 1;
}

static bool plain_is_null(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
			   memcmp(s, "NULL", 4) == 0));
}

/* One value on the rest of a key's line. Returns false to give up. */
static bool fast_value(struct fastp *f, const char *p, struct mig_arena *a, struct hval *v)
{
	v->line = f->line;
	v->col = (unsigned)(p - f->bol) + 1;
	if (*p == '[') {
		const char *items[FAST_MAX_ITEMS];
		size_t n = 0;
		p++;
		while (*p == ' ') {
			p++;
		}
		if (*p == ']') {
			p++;
		} else {
			for (;;) {
				const char *item;
				if (n == FAST_MAX_ITEMS) {
					return false;
				}
				if (*p == '"' || *p == '\'') {
					p = scan_quoted(f, p, a, &item);
					if (!p) {
						return false;
					}
				} else {
					const char *e = scan_plain(f, p, true);
					if (!e || plain_is_null(p, (size_t)(e - p))) {
						return false;
					}
					item = mig_arena_strndup(a, p, (size_t)(e - p));
					p = e;
				}
				items[n++] = item;
				while (*p == ' ') {
					p++;
				}
				if (*p == ',') {
					p++;
					while (*p == ' ') {
						p++;
					}
					continue;
				}
				if (*p == ']') {
					p++;
					break;
				}
				return false;
			}
		}
		if (!rest_is_blank(f, p)) {
			return false;
		}
		v->kind = V_LIST;
		v->nitems = n;
		v->items = mig_arena_alloc(a, (n ? n : 1) * sizeof(*v->items));
		memcpy(v->items, items, n * sizeof(*items));
		return true;
	}
	if (*p == '"' || *p == '\'') {
		p = scan_quoted(f, p, a, &v->str);
		if (!p || !rest_is_blank(f, p)) {
			return false;
		}
		v->kind = V_SCALAR;
		return true;
	}
	const char *e = scan_plain(f, p, false);
	if (!e || !rest_is_blank(f, e)) {
		return false;
	}
	if (plain_is_null(p, (size_t)(e - p))) {
		v->kind = V_NULL;
		return true;
	}
	v->kind = V_SCALAR;
	v->str = mig_arena_strndup(a, p, (size_t)(e - p));
	return true;
}

/* Whether the next line that is neither blank nor a comment starts a block
 * sequence (at column 0 or indented). */
static bool block_seq_follows(const struct fastp *f0)
{
	struct fastp f = *f0;
	next_line(&f);
	while (f.p < f.end) {
		const char *p = f.p;
		while (p < f.end && *p == ' ') {
			p++;
		}
		if (is_eol(&f, p) || *p == '#') {
			next_line(&f);
			continue;
		}
		return *p == '-' && (is_eol(&f, p + 1) || p[1] == ' ');
	}
	return false;
}

/* Returns 0 with raw filled, or 1 when the file needs libyaml. */
static int fast_parse(const char *text, size_t len, struct mig_arena *a, struct rawhdr *raw)
{
	struct fastp f = { text, text + len, 1, text };
	bool in_block = false; /* inside the block sequence of upgrade/downgrade */
	bool seen_key = false;
	bool seen_doc_start = false;

	memset(raw, 0, sizeof(*raw));
	if (len >= 3 && (unsigned char)text[0] == 0xef) {
		return 1; /* a byte order mark */
	}
	if (memchr(text, '\0', len)) {
		return 1;
	}
	while (f.p < f.end) {
		const char *p = f.p;
		char c = *p;
		if (is_eol(&f, p) || c == '#') {
			next_line(&f);
			continue;
		}
		if (c == ' ') {
			const char *q = p;
			while (*q == ' ') {
				q++;
			}
			if (is_eol(&f, q) || *q == '#' || in_block) {
				next_line(&f);
				continue;
			}
			return 1;
		}
		if (c == '-' && (is_eol(&f, p + 1) || p[1] == ' ')) {
			if (in_block) {
				next_line(&f);
				continue;
			}
			return 1;
		}
		if (c == '-' && !seen_key && !seen_doc_start && line_end(&f, p) - p >= 3 &&
		    memcmp(p, "---", 3) == 0 && (is_eol(&f, p + 3) || p[3] == ' ')) {
			seen_doc_start = true;
			if (!rest_is_blank(&f, p + 3)) {
				return 1;
			}
			next_line(&f);
			continue;
		}
		in_block = false;
		/* key: [a-z_]+ ":" then a space or the end of the line */
		const char *k = p;
		while (*p == '_' || (*p >= 'a' && *p <= 'z')) {
			p++;
		}
		if (p == k || *p != ':' || !(is_eol(&f, p + 1) || p[1] == ' ')) {
			return 1;
		}
		size_t klen = (size_t)(p - k);
		int key = -1;
		for (int i = 0; i < K_COUNT; i++) {
			if (strlen(header_keys[i]) == klen &&
			    memcmp(header_keys[i], k, klen) == 0) {
				key = i;
				break;
			}
		}
		if (key < 0 || raw->v[key].present) {
			return 1; /* unknown or duplicate: libyaml reports it */
		}
		if (!seen_key) {
			raw->line = f.line;
			raw->col = 1;
			seen_key = true;
		}
		struct hval *v = &raw->v[key];
		v->present = true;
		p++;
		while (*p == ' ') {
			p++;
		}
		if (is_eol(&f, p) || *p == '#') {
			v->line = f.line;
			v->col = 1;
			if (block_seq_follows(&f)) {
				if (key != K_UPGRADE && key != K_DOWNGRADE) {
					return 1;
				}
				v->kind = V_LIST;
				in_block = true;
			} else {
				v->kind = V_NULL;
			}
			next_line(&f);
			continue;
		}
		if ((key == K_UPGRADE || key == K_DOWNGRADE) && *p == '[' &&
		    !(p[1] == ']' && rest_is_blank(&f, p + 2))) {
			return 1;
		}
		if (!fast_value(&f, p, a, v)) {
			return 1;
		}
		next_line(&f);
	}
	return seen_key ? 0 : 1;
}

/* ---- the libyaml parser ---- */

static void node_value(struct mig_ydoc *d, yaml_node_t *n, struct mig_arena *a, struct hval *v)
{
	v->present = true;
	v->line = (unsigned)n->start_mark.line + 1;
	v->col = (unsigned)n->start_mark.column + 1;
	if (mig_ynode_is_null(n)) {
		v->kind = V_NULL;
	} else if (mig_ynode_is_scalar(n)) {
		v->kind = V_SCALAR;
		v->str = mig_arena_strdup(a, mig_ynode_str(n));
	} else if (mig_ynode_is_seq(n)) {
		size_t len = mig_yseq_len(n);
		v->kind = V_LIST;
		v->items = mig_arena_alloc(a, (len ? len : 1) * sizeof(*v->items));
		for (size_t i = 0; i < len; i++) {
			yaml_node_t *it = mig_yseq_item(d, n, i);
			if (!mig_ynode_is_scalar(it) || mig_ynode_is_null(it)) {
				v->kind = V_OTHER;
				continue;
			}
			v->items[v->nitems++] = mig_arena_strdup(a, mig_ynode_str(it));
		}
	} else {
		v->kind = V_OTHER;
	}
}

/* The header keys of a loaded document. Returns MIG_ERROR when the root is
 * not a mapping (nothing else can be read then) or has unknown keys. */
static int header_from_doc(struct mig_ydoc *d, struct mig_arena *a, struct rawhdr *raw)
{
	yaml_node_t *root = mig_ydoc_root(d);
	memset(raw, 0, sizeof(*raw));
	if (!mig_ynode_is_map(root)) {
		mig_ydoc_err(d, root, "a revision file must be a mapping of revision keys "
				      "(revision, down_revision, message, upgrade, downgrade...)");
		return MIG_ERROR;
	}
	raw->line = (unsigned)root->start_mark.line + 1;
	raw->col = (unsigned)root->start_mark.column + 1;
	int problems = mig_ymap_check_keys(d, root, header_keys, "revision file");
	for (int i = 0; i < K_COUNT; i++) {
		yaml_node_t *n = mig_ymap_get(d, root, header_keys[i]);
		if (n) {
			node_value(d, n, a, &raw->v[i]);
		}
	}
	return problems ? MIG_ERROR : 0;
}

static int yaml_parse(const char *path, const char *text, size_t len, struct mig_arena *a,
		      struct mig_diags *diags, struct rawhdr *raw)
{
	struct mig_ydoc d;
	int rc = MIG_ERROR;
	memset(raw, 0, sizeof(*raw));
	if (mig_ydoc_load(&d, path, text, len, diags) == 0) {
		rc = header_from_doc(&d, a, raw);
	}
	mig_ydoc_release(&d);
	return rc;
}

/* ---- from the raw header to a revision ---- */

static void verr(struct mig_diags *dg, const char *path, const struct hval *v, const char *fmt,
		 ...) MIG_PRINTF(4, 5);

static void verr(struct mig_diags *dg, const char *path, const struct hval *v, const char *fmt,
		 ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_diags_addf(dg, path, v->line, v->col, "%s", s.buf);
	mig_str_release(&s);
}

/* A list of names: null, a scalar, or a list of scalars. */
static bool names_value(const struct hval *v, struct mig_arena *a, const char ***out, size_t *n)
{
	switch (v->kind) {
	case V_NULL:
		*out = NULL;
		*n = 0;
		return true;
	case V_SCALAR:
		if (!*v->str) {
			return false;
		}
		*out = mig_arena_alloc(a, sizeof(**out));
		(*out)[0] = v->str;
		*n = 1;
		return true;
	case V_LIST:
		for (size_t i = 0; i < v->nitems; i++) {
			if (!*v->items[i]) {
				return false;
			}
		}
		*out = v->items;
		*n = v->nitems;
		return true;
	default:
		return false;
	}
}

static struct mig_pos vpos(const char *path, const struct hval *v)
{
	struct mig_pos p = { path, v->line, v->col };
	return p;
}

static bool bool_text(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "on", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no", "off", NULL };
	for (size_t i = 0; yes[i]; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
	}
	for (size_t i = 0; no[i]; i++) {
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static void build(const char *path, const struct rawhdr *raw, struct mig_arena *a,
		  struct mig_diags *dg, struct mig_revision *r)
{
	static const int required[] = { K_REVISION, K_DOWN, K_UPGRADE, K_DOWNGRADE };
	struct hval top = { 0 };
	top.line = raw->line;
	top.col = raw->col;
	r->path = path;
	r->message = "";
	r->transactional = true;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!raw->v[required[i]].present) {
			verr(dg, path, &top, "missing required key '%s'", header_keys[required[i]]);
		}
	}

	const struct hval *v = &raw->v[K_REVISION];
	if (v->present) {
		r->pos_revision = vpos(path, v);
		if (v->kind != V_SCALAR || !*v->str) {
			verr(dg, path, v, "'revision' must be a revision id");
		} else if (id_problem(v->str)) {
			verr(dg, path, v, "invalid revision id '%s': %s", v->str,
			     id_problem(v->str));
		} else {
			r->id = v->str;
		}
	}

	v = &raw->v[K_DOWN];
	if (v->present) {
		r->pos_down_revision = vpos(path, v);
		if (!names_value(v, a, &r->down_revisions, &r->ndown)) {
			verr(dg, path, v,
			     "'down_revision' must be null, a revision id or a list of "
			     "revision ids");
		} else {
			for (size_t i = 0; i < r->ndown; i++) {
				const char *d = r->down_revisions[i];
				if (id_problem(d)) {
					verr(dg, path, v,
					     "down_revision: invalid revision id '%s': %s", d,
					     id_problem(d));
					continue;
				}
				if (r->id && strcmp(d, r->id) == 0) {
					verr(dg, path, v,
					     "revision '%s' names itself in down_revision", d);
				}
				for (size_t j = 0; j < i; j++) {
					if (strcmp(r->down_revisions[j], d) == 0) {
						verr(dg, path, v,
						     "down_revision names '%s' twice", d);
						break;
					}
				}
			}
		}
	}

	v = &raw->v[K_LABELS];
	if (v->present) {
		r->pos_branch_labels = vpos(path, v);
		if (!names_value(v, a, &r->branch_labels, &r->nbranch_labels)) {
			verr(dg, path, v, "'branch_labels' must be a list of names");
		} else {
			for (size_t i = 0; i < r->nbranch_labels; i++) {
				const char *l = r->branch_labels[i];
				if (label_problem(l)) {
					verr(dg, path, v, "invalid branch label '%s': %s", l,
					     label_problem(l));
				}
			}
		}
	}

	v = &raw->v[K_DEPENDS];
	if (v->present) {
		r->pos_depends_on = vpos(path, v);
		if (!names_value(v, a, &r->depends_on, &r->ndepends_on)) {
			verr(dg, path, v,
			     "'depends_on' must be a list of revision ids or branch labels");
		} else {
			for (size_t i = 0; i < r->ndepends_on; i++) {
				const char *d = r->depends_on[i];
				if (r->id && strcmp(d, r->id) == 0) {
					verr(dg, path, v,
					     "revision '%s' names itself in depends_on", d);
				}
			}
		}
	}

	v = &raw->v[K_MESSAGE];
	if (v->present) {
		if (v->kind == V_SCALAR) {
			r->message = v->str;
		} else if (v->kind != V_NULL) {
			verr(dg, path, v, "'message' must be a string");
		}
	}

	v = &raw->v[K_DATE];
	if (v->present) {
		if (v->kind == V_SCALAR) {
			r->create_date = v->str;
		} else if (v->kind != V_NULL) {
			verr(dg, path, v,
			     "'create_date' must be a date, as in 2026-11-22 10:00:00");
		}
	}

	v = &raw->v[K_TRANSACTIONAL];
	if (v->present) {
		if (v->kind != V_SCALAR || !bool_text(v->str, &r->transactional)) {
			if (v->kind == V_SCALAR) {
				verr(dg, path, v, "'transactional' must be true or false, not '%s'",
				     v->str);
			} else {
				verr(dg, path, v, "'transactional' must be true or false");
			}
		}
	}

	for (int k = K_UPGRADE; k <= K_DOWNGRADE; k++) {
		v = &raw->v[k];
		if (v->present && v->kind != V_LIST && v->kind != V_OTHER) {
			verr(dg, path, v, "'%s' must be a list of operations (use [] for none)",
			     header_keys[k]);
		}
	}
}

/* Parse the header into r, adding every problem to dg. Used by the graph,
 * which collects the problems of all files. Returns MIG_ERROR when this file
 * had problems. */
int mig_revision_parse_into(const char *path, const char *text, size_t len, struct mig_arena *a,
			    struct mig_diags *dg, struct mig_revision *r)
{
	struct rawhdr raw;
	size_t before = dg->nerrors;
	memset(r, 0, sizeof(*r));
	if (fast_parse(text, len, a, &raw) != 0) {
		if (yaml_parse(path, text, len, a, dg, &raw) < 0 && dg->nerrors == before) {
			return MIG_ERROR;
		}
		if (dg->nerrors != before && !raw.line) {
			return MIG_ERROR; /* not even a mapping */
		}
	}
	build(path, &raw, a, dg, r);
	return dg->nerrors == before ? 0 : MIG_ERROR;
}

int mig_revision_parse(const char *path, const char *text, size_t len, struct mig_arena *a,
		       struct mig_revision **out)
{
	struct mig_diags dg = MIG_DIAGS_INIT;
	struct mig_revision *r = mig_arena_alloc(a, sizeof(*r));
	const char *apath = mig_arena_strdup(a, path);
	int rc = mig_revision_parse_into(apath, text, len, a, &dg, r);
	if (rc < 0) {
		if (!dg.nerrors) {
			mig_diags_addf(&dg, path, 0, 0, "invalid revision file");
		}
		mig_diags_finish(&dg);
	} else {
		*out = r;
	}
	mig_diags_release(&dg);
	return rc;
}

int mig_revision_load(const char *path, struct mig_arena *a, struct mig_revision **out)
{
	char *text;
	size_t len;
	if (mig_file_read(path, &text, &len) < 0) {
		return MIG_ERROR;
	}
	int rc = mig_revision_parse(path, text, len, a, out);
	free(text);
	return rc;
}

int mig_revision_load_full(const char *path, struct mig_revision_file **out)
{
	char *text = NULL;
	size_t len;
	if (mig_file_read(path, &text, &len) < 0) {
		return MIG_ERROR;
	}
	int rc = mig_revision_parse_full(path, text, len, out);
	free(text);
	return rc;
}

int mig_revision_parse_full(const char *path, const char *text, size_t len,
			    struct mig_revision_file **out)
{
	struct mig_diags dg = MIG_DIAGS_INIT;
	int rc = mig_revision_parse_full_into(path, text, len, &dg, out);
	if (mig_diags_finish(&dg) < 0) {
		rc = MIG_ERROR;
	}
	mig_diags_release(&dg);
	return rc;
}

int mig_revision_parse_full_into(const char *path, const char *text, size_t len,
				 struct mig_diags *dg, struct mig_revision_file **out)
{
	struct mig_revision_file *f = xcalloc(1, sizeof(*f));
	size_t before = dg->nerrors;
	struct mig_ydoc d;
	struct rawhdr raw;
	int rc = MIG_ERROR;

	mig_oplist_init(&f->upgrade);
	mig_oplist_init(&f->downgrade);
	f->rev = mig_arena_alloc(&f->arena, sizeof(*f->rev));
	const char *apath = mig_arena_strdup(&f->arena, path);
	if (mig_ydoc_load(&d, apath, text, len, dg) == 0) {
		if (header_from_doc(&d, &f->arena, &raw) == 0 || raw.line) {
			build(apath, &raw, &f->arena, dg, f->rev);
			yaml_node_t *root = mig_ydoc_root(&d);
			yaml_node_t *up = mig_ymap_get(&d, root, "upgrade");
			yaml_node_t *down = mig_ymap_get(&d, root, "downgrade");
			if (mig_ynode_is_seq(up)) {
				mig_ops_parse(&d, up, &f->upgrade);
				mig_ops_read_notes(&f->upgrade, 0, text);
			}
			if (mig_ynode_is_seq(down)) {
				mig_ops_parse(&d, down, &f->downgrade);
				mig_ops_read_notes(&f->downgrade, 0, text);
			}
		}
	}
	mig_ydoc_release(&d);
	if (dg->nerrors == before) {
		*out = f;
		f = NULL;
		rc = 0;
	}
	mig_revision_file_free(f);
	return rc;
}

void mig_revision_file_free(struct mig_revision_file *f)
{
	if (!f) {
		return;
	}
	mig_oplist_release(&f->upgrade);
	mig_oplist_release(&f->downgrade);
	mig_arena_release(&f->arena);
	free(f);
}

/* ---- ids, slugs, dates, file names ---- */

int mig_revision_new_id(char **out)
{
	unsigned char b[6];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return mig_error(MIG_ECLASS_OS, "cannot open '/dev/urandom': %s", strerror(errno));
	}
	size_t got = 0;
	while (got < sizeof(b)) {
		ssize_t n = read(fd, b + got, sizeof(b) - got);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			return mig_error(MIG_ECLASS_OS, "cannot read '/dev/urandom': %s",
					 strerror(e));
		}
		got += (size_t)n;
	}
	close(fd);
	*out = xasprintf("%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	return 0;
}

char *mig_revision_slug(const char *message, int truncate)
{
	struct mig_str s = MIG_STR_INIT;
	const char *p = message ? message : "";
	while (*p) {
		while (*p && !(isalnum((unsigned char)*p) || *p == '_') ) {
			p++;
		}
		if (!*p) {
			break;
		}
		if (s.len) {
			mig_str_addch(&s, '_');
		}
		while (*p && (isalnum((unsigned char)*p) || *p == '_')) {
			mig_str_addch(&s, (char)tolower((unsigned char)*p));
			p++;
		}
	}
	if (truncate > 0 && s.len > (size_t)truncate) {
		mig_str_setlen(&s, (size_t)truncate);
		char *us = strrchr(s.buf, '_');
		if (us) {
			mig_str_setlen(&s, (size_t)(us - s.buf));
		}
		mig_str_addch(&s, '_');
	}
	return mig_str_detach(&s);
}

static bool zone_exists(const char *name)
{
	if (name[0] == ':') {
		name++;
	}
	if (name[0] == '/') {
		return access(name, R_OK) == 0;
	}
	if (strstr(name, "..")) {
		return false;
	}
	const char *dir = getenv("TZDIR");
	char *path = mig_path_join(dir && *dir ? dir : "/usr/share/zoneinfo", name);
	bool ok = access(path, R_OK) == 0 && !mig_path_is_dir(path);
	free(path);
	return ok;
}

int mig_revision_date_at(const char *tz, time_t t, long usec, struct mig_revision_date *out)
{
	struct tm tm;
	bool utc = !tz || !*tz || mig_strieq(tz, "UTC");
	memset(out, 0, sizeof(*out));
	if (utc) {
		gmtime_r(&t, &tm);
	} else if (mig_strieq(tz, "local")) {
		localtime_r(&t, &tm);
	} else {
		if (!zone_exists(tz)) {
			return mig_error(MIG_ECLASS_USAGE,
					 "unknown timezone '%s' (use UTC, local or a zoneinfo name "
					 "such as Europe/Paris)",
					 tz);
		}
		char *old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
		setenv("TZ", tz, 1);
		tzset();
		localtime_r(&t, &tm);
		if (old) {
			setenv("TZ", old, 1);
			free(old);
		} else {
			unsetenv("TZ");
		}
		tzset();
	}
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	out->second = tm.tm_sec;
	out->usec = usec;
	out->epoch = t;
	int n = snprintf(out->text, sizeof(out->text), "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
			 out->year, out->month, out->day, out->hour, out->minute, out->second,
			 usec);
	if (!utc && n > 0 && (size_t)n < sizeof(out->text)) {
		long off = tm.tm_gmtoff;
		char sign = off < 0 ? '-' : '+';
		off = off < 0 ? -off : off;
		snprintf(out->text + n, sizeof(out->text) - (size_t)n, "%c%02ld:%02ld", sign,
			 off / 3600, (off % 3600) / 60);
	}
	return 0;
}

int mig_revision_date_now(const char *tz, struct mig_revision_date *out)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		if (*end || errno || v < 0) {
			return mig_error(MIG_ECLASS_USAGE,
					 "invalid SOURCE_DATE_EPOCH '%s': expected seconds since "
					 "1970",
					 sde);
		}
		return mig_revision_date_at(tz, (time_t)v, 0, out);
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return mig_revision_date_at(tz, ts.tv_sec, ts.tv_nsec / 1000, out);
}

int mig_revision_file_name(const char *file_template, const char *id, const char *slug,
			   const struct mig_revision_date *date, char **out)
{
	static const struct {
		const char *spec;
		int field;
	} fields[] = {
		{ "%(year)d", 0 },     { "%(month).2d", 1 }, { "%(day).2d", 2 },
		{ "%(hour).2d", 3 },   { "%(minute).2d", 4 }, { "%(second).2d", 5 },
		{ "%(month)d", 1 },    { "%(day)d", 2 },      { "%(hour)d", 3 },
		{ "%(minute)d", 4 },   { "%(second)d", 5 },
	};
	struct mig_str s = MIG_STR_INIT;
	const char *t = file_template && *file_template ? file_template : "%(rev)s_%(slug)s";
	while (*t) {
		if (*t != '%') {
			mig_str_addch(&s, *t++);
			continue;
		}
		if (t[1] == '%') {
			mig_str_addch(&s, '%');
			t += 2;
			continue;
		}
		if (mig_starts_with(t, "%(rev)s")) {
			mig_str_add(&s, id);
			t += 7;
			continue;
		}
		if (mig_starts_with(t, "%(slug)s")) {
			mig_str_add(&s, slug);
			t += 8;
			continue;
		}
		if (mig_starts_with(t, "%(epoch)s") || mig_starts_with(t, "%(epoch)d")) {
			mig_str_addf(&s, "%lld", (long long)date->epoch);
			t += 9;
			continue;
		}
		bool found = false;
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			if (mig_starts_with(t, fields[i].spec)) {
				int vals[] = { date->year, date->month, date->day,
					       date->hour, date->minute, date->second };
				bool two = strstr(fields[i].spec, ".2d") != NULL;
				mig_str_addf(&s, two ? "%02d" : "%d", vals[fields[i].field]);
				t += strlen(fields[i].spec);
				found = true;
				break;
			}
		}
		if (!found) {
			const char *e = strchr(t, ')');
			int n = e ? (int)(e - t + 2) : (int)strlen(t);
			mig_str_release(&s);
			return mig_error(MIG_ECLASS_USAGE,
					 "unknown placeholder '%.*s' in file_template '%s'", n, t,
					 file_template);
		}
	}
	if (!s.len || strchr(s.buf, '/')) {
		char *name = mig_str_detach(&s);
		int rc = mig_error(MIG_ECLASS_USAGE,
				   "file_template '%s' gives an invalid file name '%s'", t, name);
		free(name);
		return rc;
	}
	mig_str_add(&s, ".yaml");
	*out = mig_str_detach(&s);
	return 0;
}

bool mig_revision_name_matches(const char *file_template, const char *file_name, const char *id)
{
	const char *t = file_template && *file_template ? file_template : "%(rev)s_%(slug)s";
	size_t idlen = strlen(id);
	if (mig_starts_with(t, "%(rev)s")) {
		if (strncmp(file_name, id, idlen) != 0) {
			return false;
		}
		const char *after = t + 7;
		const char *rest = file_name + idlen;
		/* the literal text the template puts right after the id */
		size_t lit = strcspn(after, "%");
		if (lit) {
			return strncmp(rest, after, lit) == 0;
		}
		if (!*after) {
			return strcmp(rest, ".yaml") == 0 || strcmp(rest, ".yml") == 0;
		}
		return true;
	}
	return strstr(file_name, id) != NULL;
}

/* ---- rendering ---- */

static void render_list(struct mig_str *out, const char *const *v, size_t n)
{
	mig_yaml_flow_seq(out, v, n);
}

static void render_ops(struct mig_str *out, const char *ops)
{
	if (!ops || !*ops) {
		mig_str_add(out, " []");
		return;
	}
	/* each line of the block sequence, indented two spaces */
	const char *p = ops;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		mig_str_addch(out, '\n');
		if (n) {
			mig_str_add(out, "  ");
			mig_str_addn(out, p, n);
		}
		p += n;
		if (*p == '\n') {
			p++;
		}
	}
}

int mig_revision_render(const char *tmpl, const char *tmpl_path,
			const struct mig_revision_spec *spec, struct mig_str *out)
{
	const char *p = tmpl;
	while (*p) {
		const char *d = strstr(p, "${");
		if (!d) {
			mig_str_add(out, p);
			break;
		}
		mig_str_addn(out, p, (size_t)(d - p));
		const char *e = strchr(d, '}');
		if (!e) {
			return mig_error(MIG_ECLASS_USAGE, "%s: unterminated placeholder '%.20s'",
					 tmpl_path, d);
		}
		size_t n = (size_t)(e - d - 2);
		const char *name = d + 2;
#define IS(s) (n == strlen(s) && memcmp(name, s, n) == 0)
		if (IS("revision")) {
			mig_yaml_scalar(out, spec->id);
		} else if (IS("down_revision")) {
			if (spec->ndown == 0) {
				mig_str_add(out, "null");
			} else if (spec->ndown == 1) {
				mig_yaml_scalar(out, spec->down_revisions[0]);
			} else {
				render_list(out, spec->down_revisions, spec->ndown);
			}
		} else if (IS("branch_labels")) {
			render_list(out, spec->branch_labels, spec->nbranch_labels);
		} else if (IS("depends_on")) {
			render_list(out, spec->depends_on, spec->ndepends_on);
		} else if (IS("message")) {
			mig_yaml_scalar(out, spec->message ? spec->message : "");
		} else if (IS("create_date")) {
			/* a date reads back the same unquoted: keep it plain */
			const char *cd = spec->create_date;
			if (cd && *cd && isdigit((unsigned char)*cd) &&
			    strspn(cd, "0123456789-:. +") == strlen(cd) && !strstr(cd, ": ") &&
			    cd[strlen(cd) - 1] != ':' && cd[strlen(cd) - 1] != ' ') {
				mig_str_add(out, cd);
			} else {
				mig_yaml_scalar(out, cd);
			}
		} else if (IS("upgrades") || IS("downgrades")) {
			/* "upgrade: ${upgrades}" and "upgrade:${upgrades}" both give
			 * "upgrade: []" or "upgrade:\n  - …" */
			if (out->len && out->buf[out->len - 1] == ' ') {
				mig_str_setlen(out, out->len - 1);
			}
			render_ops(out, IS("upgrades") ? spec->upgrades : spec->downgrades);
		} else {
			return mig_error(MIG_ECLASS_USAGE, "%s: unknown placeholder '${%.*s}'",
					 tmpl_path, (int)n, name);
		}
#undef IS
		p = e + 1;
	}
	return 0;
}

/* ---- post-write hooks ---- */

/* Split options like a POSIX shell would split words (quotes and backslash,
 * no expansion). */
static int split_words(const char *s, struct mig_strlist *out)
{
	struct mig_str w = MIG_STR_INIT;
	bool in_word = false;
	const char *p = s;
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word) {
				mig_strlist_push(out, w.buf);
				mig_str_reset(&w);
				in_word = false;
			}
			p++;
			continue;
		}
		in_word = true;
		if (*p == '\'') {
			const char *e = strchr(p + 1, '\'');
			if (!e) {
				mig_str_release(&w);
				return MIG_ERROR;
			}
			mig_str_addn(&w, p + 1, (size_t)(e - p - 1));
			p = e + 1;
		} else if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1] && strchr("\"\\$`", p[1])) {
					p++;
				}
				mig_str_addch(&w, *p++);
			}
			if (!*p) {
				mig_str_release(&w);
				return MIG_ERROR;
			}
			p++;
		} else if (*p == '\\' && p[1]) {
			mig_str_addch(&w, p[1]);
			p += 2;
		} else {
			mig_str_addch(&w, *p++);
		}
	}
	if (in_word) {
		mig_strlist_push(out, w.buf);
	}
	mig_str_release(&w);
	return 0;
}

static char *replace_all(const char *s, const char *what, const char *with)
{
	struct mig_str r = MIG_STR_INIT;
	size_t wl = strlen(what);
	for (;;) {
		const char *f = strstr(s, what);
		if (!f) {
			mig_str_add(&r, s);
			break;
		}
		mig_str_addn(&r, s, (size_t)(f - s));
		mig_str_add(&r, with);
		s = f + wl;
	}
	return mig_str_detach(&r);
}

int mig_hook_run(const struct mig_hook *hook, const char *path)
{
	struct mig_strlist argv = MIG_STRLIST_INIT;
	int errpipe[2] = { -1, -1 };
	int rc = MIG_ERROR;
	const char *name = hook->name ? hook->name : "?";
	if (!hook->type || strcmp(hook->type, "exec") != 0) {
		mig_error(MIG_ECLASS_USAGE,
			  "post-write hook '%s': unsupported type '%s' (only 'exec' is supported)",
			  name, hook->type ? hook->type : "");
		goto done;
	}
	if (!hook->executable || !*hook->executable) {
		mig_error(MIG_ECLASS_USAGE, "post-write hook '%s': no executable set", name);
		goto done;
	}
	mig_strlist_push(&argv, hook->executable);
	/* as Alembic: without the token in options, the file comes first */
	const char *opts = hook->options ? hook->options : "";
	char *optstr = strstr(opts, "REVISION_SCRIPT_FILENAME")
			       ? xstrdup(opts)
			       : xasprintf("REVISION_SCRIPT_FILENAME %s", opts);
	int split = split_words(optstr, &argv);
	free(optstr);
	if (split < 0) {
		mig_error(MIG_ECLASS_USAGE,
			  "post-write hook '%s': unbalanced quotes in options '%s'", name, opts);
		goto done;
	}
	for (size_t i = 1; i < argv.n; i++) {
		char *w = replace_all(argv.v[i], "REVISION_SCRIPT_FILENAME", path);
		free(argv.v[i]);
		argv.v[i] = w;
	}
	mig_vec_push(&argv, NULL);
	argv.n--;
	/* the child reports a failed exec through a close-on-exec pipe */
	if (pipe2(errpipe, O_CLOEXEC) != 0) {
		mig_error(MIG_ECLASS_OS, "post-write hook '%s': cannot create a pipe: %s", name,
			  strerror(errno));
		goto done;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		mig_error(MIG_ECLASS_OS, "post-write hook '%s': cannot fork: %s", name,
			  strerror(errno));
		goto done;
	}
	if (pid == 0) {
		close(errpipe[0]);
		execvp(argv.v[0], argv.v);
		int e = errno;
		ssize_t w = write(errpipe[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	}
	close(errpipe[1]);
	errpipe[1] = -1;
	int child_errno = 0;
	ssize_t got;
	do {
		got = read(errpipe[0], &child_errno, sizeof(child_errno));
	} while (got < 0 && errno == EINTR);
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			mig_error(MIG_ECLASS_OS, "post-write hook '%s': %s", name, strerror(errno));
			goto done;
		}
	}
	if (got == (ssize_t)sizeof(child_errno)) {
		mig_error(MIG_ECLASS_USAGE, "post-write hook '%s': cannot run '%s': %s", name,
			  hook->executable, strerror(child_errno));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = 0;
	} else if (WIFEXITED(status)) {
		mig_error(MIG_ECLASS_USAGE, "post-write hook '%s' ('%s') exited with status %d",
			  name, hook->executable, WEXITSTATUS(status));
	} else {
		mig_error(MIG_ECLASS_USAGE, "post-write hook '%s' ('%s') was killed by signal %d",
			  name, hook->executable, WTERMSIG(status));
	}
done:
	for (int i = 0; i < 2; i++) {
		if (errpipe[i] >= 0) {
			close(errpipe[i]);
		}
	}
	mig_strlist_release(&argv);
	return rc;
}
