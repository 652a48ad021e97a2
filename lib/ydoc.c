/* YAML document helpers: libyaml loading, positioned diagnostics, typed node
 * access and a deterministic scalar writer. */
#include "ydoc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- diagnostics ---- */

void mig_diags_addf(struct mig_diags *d, const char *path, unsigned line, unsigned col,
		    const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	if (line) {
		mig_str_addf(&s, "%s:%u:%u: ", path, line, col);
	} else {
		mig_str_addf(&s, "%s: ", path);
	}
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	struct mig_diag_key k = { 0, line, col, d->msgs.n };
	size_t i = d->files.n;
	while (i > 0 && strcmp(d->files.v[i - 1], path) != 0) {
		i--;
	}
	if (i == 0) {
		mig_strlist_push(&d->files, path);
		i = d->files.n;
	}
	k.file = i - 1;
	mig_vec_push(&d->keys, k);
	mig_strlist_push_owned(&d->msgs, mig_str_detach(&s));
	d->nerrors++;
}

void mig_diags_file(struct mig_diags *d, const char *path)
{
	mig_strlist_push(&d->files, path);
}

static int key_cmp(const void *a, const void *b)
{
	const struct mig_diag_key *x = a, *y = b;
	if (x->file != y->file) {
		return x->file < y->file ? -1 : 1;
	}
	if (x->line != y->line) {
		return x->line < y->line ? -1 : 1;
	}
	if (x->column != y->column) {
		return x->column < y->column ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

int mig_diags_finish(struct mig_diags *d)
{
	if (!d->nerrors) {
		return 0;
	}
	struct mig_str s = MIG_STR_INIT;
	struct mig_diag_key *keys = xmalloc(d->keys.n * sizeof(*keys));
	memcpy(keys, d->keys.v, d->keys.n * sizeof(*keys));
	qsort(keys, d->keys.n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i < d->keys.n; i++) {
		if (i) {
			mig_str_addch(&s, '\n');
		}
		mig_str_add(&s, d->msgs.v[keys[i].seq]);
	}
	free(keys);
	mig_error(MIG_ECLASS_FILE, "%s", s.buf);
	mig_str_release(&s);
	return MIG_ERROR;
}

void mig_diags_release(struct mig_diags *d)
{
	mig_strlist_release(&d->msgs);
	mig_strlist_release(&d->files);
	mig_vec_free(&d->keys);
	d->nerrors = 0;
}

/* ---- documents ---- */

/* libyaml's message, said the way the rest of our messages are: the problem
 * first, then where the construct it was reading began. A tab where YAML
 * wants indentation gets a message that names the tab. */
static void syntax_error(struct mig_diags *diags, const char *path, const yaml_parser_t *p,
			 const char *text, size_t len)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	yaml_mark_t m = p->problem_mark;
	unsigned line = (unsigned)m.line + 1, col = (unsigned)m.column + 1;
	if ((m.index < len && text[m.index] == '\t') || strstr(problem, "tab character")) {
		mig_diags_addf(diags, path, line, col,
			       "a tab character cannot indent YAML (indent with spaces)");
	} else if (p->context) {
		mig_diags_addf(diags, path, line, col, "%s (%s at line %u, column %u)", problem,
			       p->context, (unsigned)p->context_mark.line + 1,
			       (unsigned)p->context_mark.column + 1);
	} else {
		mig_diags_addf(diags, path, line, col, "%s", problem);
	}
}

int mig_ydoc_load(struct mig_ydoc *d, const char *path, const char *text, size_t len,
		  struct mig_diags *diags)
{
	yaml_parser_t parser;
	memset(d, 0, sizeof(*d));
	d->path = path;
	d->diags = diags;
	if (!yaml_parser_initialize(&parser)) {
		mig_die("cannot initialise the YAML parser");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	mig_diags_file(diags, path);
	if (!yaml_parser_load(&parser, &d->doc)) {
		syntax_error(diags, path, &parser, text, len);
		yaml_parser_delete(&parser);
		return MIG_ERROR;
	}
	d->loaded = true;
	/* a second document in the same file is not supported */
	yaml_document_t extra;
	if (yaml_parser_load(&parser, &extra)) {
		if (yaml_document_get_root_node(&extra)) {
			yaml_node_t *r = yaml_document_get_root_node(&extra);
			mig_diags_addf(diags, path, (unsigned)r->start_mark.line + 1,
				       (unsigned)r->start_mark.column + 1,
				       "only one YAML document per file is supported");
		}
		yaml_document_delete(&extra);
	} else if (parser.problem) {
		syntax_error(diags, path, &parser, text, len);
	}
	yaml_parser_delete(&parser);
	return 0;
}

void mig_ydoc_release(struct mig_ydoc *d)
{
	if (d->loaded) {
		yaml_document_delete(&d->doc);
		d->loaded = false;
	}
}

yaml_node_t *mig_ydoc_root(struct mig_ydoc *d)
{
	return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

void mig_ydoc_err(struct mig_ydoc *d, const yaml_node_t *node, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	unsigned line = node ? (unsigned)node->start_mark.line + 1 : 0;
	unsigned col = node ? (unsigned)node->start_mark.column + 1 : 0;
	mig_diags_addf(d->diags, d->path, line, col, "%s", s.buf);
	mig_str_release(&s);
}

struct mig_pos mig_ydoc_pos(struct mig_ydoc *d, const yaml_node_t *node, struct mig_arena *a)
{
	struct mig_pos p = { NULL, 0, 0 };
	p.file = mig_arena_strdup(a, d->path);
	if (node) {
		p.line = (unsigned)node->start_mark.line + 1;
		p.column = (unsigned)node->start_mark.column + 1;
	}
	return p;
}

bool mig_ynode_is_map(const yaml_node_t *n)
{
	return n && n->type == YAML_MAPPING_NODE;
}

bool mig_ynode_is_seq(const yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE;
}

bool mig_ynode_is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

bool mig_ynode_is_null(const yaml_node_t *n)
{
	if (!n) {
		return true;
	}
	if (n->type != YAML_SCALAR_NODE) {
		return false;
	}
	if (n->tag && strcmp((const char *)n->tag, YAML_NULL_TAG) == 0) {
		return true;
	}
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		return false;
	}
	const char *v = (const char *)n->data.scalar.value;
	return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

const char *mig_ynode_str(const yaml_node_t *n)
{
	return mig_ynode_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

size_t mig_ymap_len(const yaml_node_t *map)
{
	if (!mig_ynode_is_map(map)) {
		return 0;
	}
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

yaml_node_t *mig_ymap_key(struct mig_ydoc *d, const yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&d->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *mig_ymap_value(struct mig_ydoc *d, const yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&d->doc, map->data.mapping.pairs.start[i].value);
}

yaml_node_t *mig_ymap_get(struct mig_ydoc *d, const yaml_node_t *map, const char *key)
{
	size_t n = mig_ymap_len(map);
	for (size_t i = 0; i < n; i++) {
		const char *k = mig_ynode_str(mig_ymap_key(d, map, i));
		if (k && strcmp(k, key) == 0) {
			return mig_ymap_value(d, map, i);
		}
	}
	return NULL;
}

size_t mig_yseq_len(const yaml_node_t *seq)
{
	if (!mig_ynode_is_seq(seq)) {
		return 0;
	}
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *mig_yseq_item(struct mig_ydoc *d, const yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}

int mig_ymap_check_keys(struct mig_ydoc *d, const yaml_node_t *map, const char *const *allowed,
			const char *what)
{
	int problems = 0;
	size_t n = mig_ymap_len(map);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *kn = mig_ymap_key(d, map, i);
		const char *k = mig_ynode_str(kn);
		if (!k) {
			mig_ydoc_err(d, kn, "%s: keys must be plain strings", what);
			problems++;
			continue;
		}
		bool ok = false;
		for (size_t j = 0; allowed && allowed[j]; j++) {
			if (strcmp(allowed[j], k) == 0) {
				ok = true;
				break;
			}
		}
		if (!ok) {
			struct mig_str s = MIG_STR_INIT;
			for (size_t j = 0; allowed && allowed[j]; j++) {
				mig_str_addf(&s, "%s%s", j ? ", " : "", allowed[j]);
			}
			mig_ydoc_err(d, kn, "unknown key '%s' in %s (expected one of: %s)", k, what,
				     s.buf);
			mig_str_release(&s);
			problems++;
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const char *pk = mig_ynode_str(mig_ymap_key(d, map, j));
			if (pk && strcmp(pk, k) == 0) {
				mig_ydoc_err(d, kn, "duplicate key '%s' in %s", k, what);
				problems++;
				break;
			}
		}
	}
	return problems;
}

int mig_ynode_bool(struct mig_ydoc *d, const yaml_node_t *n, const char *key, bool *out)
{
	const char *v = mig_ynode_str(n);
	if (v) {
		if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0 ||
		    strcmp(v, "yes") == 0 || strcmp(v, "on") == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 ||
		    strcmp(v, "FALSE") == 0 || strcmp(v, "no") == 0 || strcmp(v, "off") == 0) {
			*out = false;
			return 0;
		}
	}
	mig_ydoc_err(d, n, "'%s' must be true or false%s%s%s", key, v ? ", not '" : "",
		     v ? v : "", v ? "'" : "");
	return MIG_ERROR;
}

int mig_ynode_llong(struct mig_ydoc *d, const yaml_node_t *n, const char *key, long long *out)
{
	const char *v = mig_ynode_str(n);
	if (v && *v) {
		char *end;
		errno = 0;
		long long x = strtoll(v, &end, 10);
		if (!*end && errno == 0) {
			*out = x;
			return 0;
		}
	}
	mig_ydoc_err(d, n, "'%s' must be a whole number%s%s%s", key, v ? ", not '" : "",
		     v ? v : "", v ? "'" : "");
	return MIG_ERROR;
}

int mig_ynode_string(struct mig_ydoc *d, const yaml_node_t *n, const char *key,
		     struct mig_arena *a, const char **out)
{
	const char *v = mig_ynode_str(n);
	if (!v || mig_ynode_is_null(n) || !*v) {
		mig_ydoc_err(d, n, "'%s' must be a non-empty string", key);
		return MIG_ERROR;
	}
	*out = mig_arena_strdup(a, v);
	return 0;
}

int mig_ynode_strings(struct mig_ydoc *d, const yaml_node_t *n, const char *key,
		      struct mig_arena *a, void *vecp)
{
	MIG_VEC(const char *) *vec = vecp;
	if (mig_ynode_is_scalar(n) && !mig_ynode_is_null(n)) {
		const char *s;
		if (mig_ynode_string(d, n, key, a, &s) < 0) {
			return MIG_ERROR;
		}
		mig_vec_push(vec, s);
		return 0;
	}
	if (!mig_ynode_is_seq(n) || mig_yseq_len(n) == 0) {
		mig_ydoc_err(d, n, "'%s' must be a non-empty list of names", key);
		return MIG_ERROR;
	}
	int rc = 0;
	for (size_t i = 0; i < mig_yseq_len(n); i++) {
		const char *s;
		if (mig_ynode_string(d, mig_yseq_item(d, n, i), key, a, &s) < 0) {
			rc = MIG_ERROR;
			continue;
		}
		mig_vec_push(vec, s);
	}
	return rc;
}

/* ---- writer ---- */

static bool plain_ok(const char *s)
{
	static const char *const reserved[] = { "null", "Null", "NULL", "~", "true", "True",
						"TRUE", "false", "False", "FALSE", "yes", "Yes",
						"YES", "no", "No", "NO", "on", "On", "ON", "off",
						"Off", "OFF", "y", "Y", "n", "N", NULL };
	if (!*s) {
		return false;
	}
	for (size_t i = 0; reserved[i]; i++) {
		if (strcmp(s, reserved[i]) == 0) {
			return false;
		}
	}
	unsigned char c0 = (unsigned char)s[0];
	if (!(isalnum(c0) || c0 == '_' || c0 == '/' || c0 == '(' || c0 == '.' || c0 >= 0x80)) {
		return false;
	}
	if (c0 == '-' || c0 == '.') {
		/* "-1"/".5" plain are fine for us, but "..."/"- x" are not */
		if (!isdigit((unsigned char)s[1])) {
			return false;
		}
	}
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			return false;
		}
		if (strchr("{}[],&*!|>'\"%@`#:", c)) {
			return false;
		}
	}
	size_t n = strlen(s);
	if (s[n - 1] == ' ' || s[n - 1] == '\t') {
		return false;
	}
	/* line breaks beyond ASCII (NEL, LS, PS) and a byte order mark */
	if (strstr(s, "\xc2\x85") || strstr(s, "\xe2\x80\xa8") || strstr(s, "\xe2\x80\xa9") ||
	    strstr(s, "\xef\xbb\xbf")) {
		return false;
	}
	return true;
}

void mig_quoted_string(struct mig_str *out, const char *s, bool yaml)
{
	mig_str_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			mig_str_add(out, "\\\"");
			break;
		case '\\':
			mig_str_add(out, "\\\\");
			break;
		case '\n':
			mig_str_add(out, "\\n");
			break;
		case '\t':
			mig_str_add(out, "\\t");
			break;
		case '\r':
			mig_str_add(out, "\\r");
			break;
		default:
			if (!yaml) {
				if (*p < 0x20) {
					mig_str_addf(out, "\\u%04x", *p);
				} else {
					mig_str_addch(out, (char)*p);
				}
			} else if (*p == 0xc2 && p[1] == 0x85) {
				/* NEL is a line break to YAML */
				mig_str_add(out, "\\N");
				p++;
			} else if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
				/* so are LINE SEPARATOR and PARAGRAPH SEPARATOR */
				mig_str_add(out, p[2] == 0xa8 ? "\\L" : "\\P");
				p += 2;
			} else if (*p < 0x20 || *p == 0x7f) {
				mig_str_addf(out, "\\x%02x", *p);
			} else {
				mig_str_addch(out, (char)*p);
			}
		}
	}
	mig_str_addch(out, '"');
}

void mig_yaml_scalar(struct mig_str *out, const char *s)
{
	if (!s) {
		mig_str_add(out, "null");
		return;
	}
	if (plain_ok(s)) {
		mig_str_add(out, s);
		return;
	}
	mig_quoted_string(out, s, true);
}

void mig_yaml_flow_seq(struct mig_str *out, const char *const *items, size_t n)
{
	mig_str_addch(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i) {
			mig_str_add(out, ", ");
		}
		mig_yaml_scalar(out, items[i]);
	}
	mig_str_addch(out, ']');
}

void mig_yaml_indent(struct mig_str *out, int level)
{
	for (int i = 0; i < level; i++) {
		mig_str_add(out, "  ");
	}
}
