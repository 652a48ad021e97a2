/* Autogenerate: the declared schema compared with the reflected one, as ops
 * (DESIGN §1). Everything here reads and writes struct mig_op; the only SQL
 * it looks at is what both schemas carry (defaults, checks, expressions),
 * which it brings to a normal form before comparing. Types are compared as
 * the dialect writes them (its render_type slot), with its synonyms folded. */
#include "dialect.h"
#include "migrate/compare.h"
#include "migrate/reflect.h"
#include "strmap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- tokens of SQL text ---- */

enum tok_kind {
	TK_WORD,  /* keyword, identifier (quotes removed, lowercased) or number */
	TK_STR,   /* '…' as written, quotes included */
	TK_OP,    /* an operator */
	TK_PUNCT, /* ( ) , . ; [ ] { } */
};

struct tok {
	enum tok_kind kind;
	const char *text;
};

struct toks {
	MIG_VEC(struct tok) v;
	struct mig_arena *a;
};

static bool word_char(unsigned char ch)
{
	return isalnum(ch) || ch == '_' || ch == '$' || ch >= 0x80;
}

static void tok_push(struct toks *t, enum tok_kind kind, const char *text, size_t n)
{
	struct tok k = { kind, mig_arena_strndup(t->a, text, n) };
	mig_vec_push(&t->v, k);
}

/* A number as one canonical word: no leading zeros, no trailing zeros after
 * the point ("0.00" is "0", "19.990" is "19.99"). */
static void push_number(struct toks *t, const char *p, size_t n)
{
	char *s = mig_arena_strndup(t->a, p, n);
	if (strspn(s, "0123456789.") == n) {
		char *dot = strchr(s, '.');
		if (dot) {
			size_t e = n;
			while (e > (size_t)(dot - s) + 1 && s[e - 1] == '0') {
				e--;
			}
			if (e == (size_t)(dot - s) + 1) {
				e--; /* the point itself */
			}
			s[e] = '\0';
		}
		while (s[0] == '0' && isdigit((unsigned char)s[1])) {
			s++;
		}
	}
	struct tok k = { TK_WORD, s };
	mig_vec_push(&t->v, k);
}

static void lex(struct toks *t, const char *s)
{
	static const char *const ops[] = { "!~~*", "->>", "#>>", "~~*", "!~~", "<>", "<=", ">=",
					   "!=",   "==",  "||",  "::",  "~~",  "->", "#>", "@>",
					   "<@",   NULL };
	size_t i = 0, n = strlen(s);
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (isspace(ch)) {
			i++;
			continue;
		}
		if (ch == '\'') {
			size_t j = i + 1;
			while (j < n) {
				if (s[j] == '\'' && s[j + 1] == '\'') {
					j += 2;
					continue;
				}
				if (s[j] == '\'') {
					break;
				}
				j++;
			}
			j = j < n ? j + 1 : n;
			tok_push(t, TK_STR, s + i, j - i);
			i = j;
			continue;
		}
		if (ch == '"' || ch == '`') {
			struct mig_str w = MIG_STR_INIT;
			size_t j = i + 1;
			for (; j < n; j++) {
				if (s[j] == (char)ch) {
					if (s[j + 1] == (char)ch) {
						mig_str_addch(&w, (char)ch);
						j++;
						continue;
					}
					break;
				}
				mig_str_addch(&w, (char)tolower((unsigned char)s[j]));
			}
			tok_push(t, TK_WORD, w.buf, w.len);
			mig_str_release(&w);
			i = j < n ? j + 1 : n;
			continue;
		}
		if (isdigit(ch)) {
			size_t j = i;
			while (j < n && (isdigit((unsigned char)s[j]) || s[j] == '.')) {
				j++;
			}
			if (j < n && (s[j] == 'e' || s[j] == 'E') &&
			    (isdigit((unsigned char)s[j + 1]) ||
			     ((s[j + 1] == '-' || s[j + 1] == '+') &&
			      isdigit((unsigned char)s[j + 2])))) {
				j += 2;
				while (j < n && isdigit((unsigned char)s[j])) {
					j++;
				}
			}
			push_number(t, s + i, j - i);
			i = j;
			continue;
		}
		if (word_char(ch)) {
			size_t j = i;
			while (j < n && word_char((unsigned char)s[j])) {
				j++;
			}
			char *w = mig_arena_strndup(t->a, s + i, j - i);
			for (char *p = w; *p; p++) {
				*p = (char)tolower((unsigned char)*p);
			}
			struct tok k = { TK_WORD, w };
			mig_vec_push(&t->v, k);
			i = j;
			continue;
		}
		if (strchr("(),.;[]{}", ch)) {
			tok_push(t, TK_PUNCT, s + i, 1);
			i++;
			continue;
		}
		size_t len = 1;
		for (size_t k = 0; ops[k]; k++) {
			size_t l = strlen(ops[k]);
			if (strncmp(s + i, ops[k], l) == 0) {
				len = l;
				break;
			}
		}
		tok_push(t, TK_OP, s + i, len);
		i += len;
	}
}

static bool is(const struct toks *t, size_t i, const char *text)
{
	return i < t->v.n && strcmp(t->v.v[i].text, text) == 0 && t->v.v[i].kind != TK_STR;
}

static bool is_number(const char *w)
{
	return isdigit((unsigned char)w[0]);
}

/* The index of the token that closes the bracket at open, or t->v.n. */
static size_t closing(const struct toks *t, size_t open)
{
	const char *o = t->v.v[open].text;
	const char *c = strcmp(o, "(") == 0 ? ")" : "]";
	int depth = 0;
	for (size_t i = open; i < t->v.n; i++) {
		if (t->v.v[i].kind != TK_PUNCT) {
			continue;
		}
		if (strcmp(t->v.v[i].text, o) == 0) {
			depth++;
		} else if (strcmp(t->v.v[i].text, c) == 0 && --depth == 0) {
			return i;
		}
	}
	return t->v.n;
}

/* Words that may follow the first word of a type name after "::". */
static bool type_word(const char *w)
{
	static const char *const words[] = { "varying", "precision", "with", "without",
					     "time",    "zone",      NULL };
	for (size_t i = 0; words[i]; i++) {
		if (strcmp(w, words[i]) == 0) {
			return true;
		}
	}
	return false;
}

static bool number_type(const char *w)
{
	static const char *const words[] = { "integer", "int", "int2", "int4", "int8",
					     "smallint", "bigint", "numeric", "decimal", "real",
					     "double", "float4", "float8", NULL };
	for (size_t i = 0; words[i]; i++) {
		if (strcmp(w, words[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* The string token before out as the number it holds ("-", "1"), when it
 * holds one; returns the new end of the tokens kept. */
static size_t unquote_number(struct toks *t, size_t out)
{
	const char *lit = t->v.v[out - 1].text;
	size_t n = strlen(lit);
	if (n < 3) {
		return out;
	}
	const char *p = lit + 1;
	size_t len = n - 2;
	bool minus = *p == '-';
	if (minus) {
		p++;
		len--;
	}
	if (!len || !isdigit((unsigned char)*p) || strspn(p, "0123456789.") < len) {
		return out;
	}
	/* lex the digits into a number token at out - 1 (a minus before it) */
	struct toks num = { { NULL, 0, 0 }, t->a };
	push_number(&num, p, len);
	if (minus) {
		t->v.v[out - 1].kind = TK_OP;
		t->v.v[out - 1].text = "-";
		t->v.v[out] = num.v.v[0]; /* the "::" being dropped made room */
		out++;
	} else {
		t->v.v[out - 1] = num.v.v[0];
	}
	mig_vec_free(&num.v);
	return out;
}

/* Remove every "::type" (PostgreSQL writes casts into what it shows back:
 * 'x'::character varying, (0)::numeric, email::text). */
static void strip_casts(struct toks *t)
{
	size_t out = 0;
	for (size_t i = 0; i < t->v.n;) {
		if (!is(t, i, "::")) {
			t->v.v[out++] = t->v.v[i++];
			continue;
		}
		i++;
		if (i < t->v.n && t->v.v[i].kind == TK_WORD) {
			/* '-1'::integer is how PostgreSQL shows -1 */
			if (out && t->v.v[out - 1].kind == TK_STR && number_type(t->v.v[i].text)) {
				out = unquote_number(t, out);
			}
			i++;
			while (i < t->v.n && t->v.v[i].kind == TK_WORD &&
			       type_word(t->v.v[i].text)) {
				i++;
			}
		}
		if (is(t, i, "(")) {
			size_t c = closing(t, i);
			bool numbers = c < t->v.n;
			for (size_t k = i + 1; numbers && k < c; k++) {
				numbers = is(t, k, ",") || (t->v.v[k].kind == TK_WORD &&
							    is_number(t->v.v[k].text));
			}
			if (numbers) {
				i = c + 1;
			}
		}
		while (is(t, i, "[") && is(t, i + 1, "]")) {
			i += 2;
		}
	}
	t->v.n = out;
}

static void set_tok(struct toks *t, size_t i, enum tok_kind kind, const char *text)
{
	t->v.v[i].kind = kind;
	t->v.v[i].text = text;
}

/* Drop n tokens at i. */
static void cut(struct toks *t, size_t i, size_t n)
{
	memmove(&t->v.v[i], &t->v.v[i + n], (t->v.n - i - n) * sizeof(t->v.v[0]));
	t->v.n -= n;
}

/* Put a token before i. */
static void insert(struct toks *t, size_t i, enum tok_kind kind, const char *text)
{
	mig_vec_grow(&t->v, 1);
	memmove(&t->v.v[i + 1], &t->v.v[i], (t->v.n - i) * sizeof(t->v.v[0]));
	t->v.n++;
	set_tok(t, i, kind, text);
}

/* Words after which "(" groups rather than calls. */
static bool keyword(const char *w)
{
	static const char *const words[] = {
		"and", "or", "not", "when", "then", "else", "case", "is", "like", "ilike",
		"on", "between", "as", "where", "distinct", "select", NULL,
	};
	for (size_t i = 0; words[i]; i++) {
		if (strcmp(w, words[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* What PostgreSQL and MySQL rewrite, written back the way a user writes it:
 * "x = ANY (ARRAY[a, b])" is "x IN (a, b)", "~~" is LIKE, "!=" is "<>", and
 * now() and current_timestamp() are CURRENT_TIMESTAMP. */
static void rewrite(struct toks *t)
{
	for (size_t i = 0; i < t->v.n; i++) {
		struct tok *k = &t->v.v[i];
		if (k->kind == TK_OP) {
			if (strcmp(k->text, "!=") == 0) {
				k->text = "<>";
			} else if (strcmp(k->text, "==") == 0) {
				k->text = "=";
			} else if (strcmp(k->text, "~~") == 0) {
				set_tok(t, i, TK_WORD, "like");
			} else if (strcmp(k->text, "~~*") == 0) {
				set_tok(t, i, TK_WORD, "ilike");
			} else if (strcmp(k->text, "!~~") == 0 || strcmp(k->text, "!~~*") == 0) {
				const char *w = strcmp(k->text, "!~~") == 0 ? "like" : "ilike";
				set_tok(t, i, TK_WORD, "not");
				insert(t, i + 1, TK_WORD, w);
			}
		}
		if ((is(t, i, "=") || is(t, i, "<>")) &&
		    (is(t, i + 1, "any") || is(t, i + 1, "all")) && is(t, i + 2, "(") &&
		    is(t, i + 3, "array") && is(t, i + 4, "[")) {
			size_t paren = closing(t, i + 2), bracket = closing(t, i + 4);
			bool in = is(t, i, "=") && is(t, i + 1, "any");
			bool not_in = is(t, i, "<>") && is(t, i + 1, "all");
			if ((in || not_in) && paren < t->v.n && bracket + 1 == paren) {
				cut(t, bracket, 1); /* "]" */
				cut(t, i + 3, 2);  /* "array" "[" */
				set_tok(t, i, TK_WORD, in ? "in" : "not");
				set_tok(t, i + 1, TK_WORD, "in");
				if (in) {
					cut(t, i + 1, 1);
				}
			}
		}
		if ((is(t, i, "now") || is(t, i, "current_timestamp") ||
		     is(t, i, "transaction_timestamp")) &&
		    is(t, i + 1, "(") && is(t, i + 2, ")")) {
			set_tok(t, i, TK_WORD, "current_timestamp");
			cut(t, i + 1, 2);
		}
		/* x BETWEEN a AND b, as PostgreSQL gives it back: x >= a AND x <= b */
		if (is(t, i, "between") && i > 0 && t->v.v[i - 1].kind == TK_WORD &&
		    !keyword(t->v.v[i - 1].text)) {
			size_t a = i + 1, na = is(t, a, "-") ? 2 : 1;
			size_t mid = a + na, b = mid + 1, nb = is(t, b, "-") ? 2 : 1;
			if (is(t, mid, "and") && b + nb <= t->v.n &&
			    (i < 2 || !is(t, i - 2, "not"))) {
				const char *x = t->v.v[i - 1].text;
				set_tok(t, i, TK_OP, ">=");
				set_tok(t, mid, TK_WORD, "and");
				insert(t, mid + 1, TK_OP, "<=");
				insert(t, mid + 1, TK_WORD, x);
			}
		}
		if ((is(t, i, "curdate") || is(t, i, "current_date")) && is(t, i + 1, "(") &&
		    is(t, i + 2, ")")) {
			set_tok(t, i, TK_WORD, "current_date");
			cut(t, i + 1, 2);
		}
	}
}

/* Remove the parentheses that only group: PostgreSQL adds them around every
 * comparison, MySQL around every default expression. Those of a call
 * ("lower(x)", "in (…)") stay. */
static void strip_groups(struct toks *t)
{
	bool *drop = xcalloc(t->v.n + 1, sizeof(bool));
	for (size_t i = 0; i < t->v.n; i++) {
		if (!is(t, i, "(")) {
			continue;
		}
		bool call = i > 0 && t->v.v[i - 1].kind == TK_WORD &&
			    !keyword(t->v.v[i - 1].text) && !is_number(t->v.v[i - 1].text);
		size_t c = closing(t, i);
		if (!call && c < t->v.n) {
			drop[i] = drop[c] = true;
		}
	}
	size_t out = 0;
	for (size_t i = 0; i < t->v.n; i++) {
		if (!drop[i]) {
			t->v.v[out++] = t->v.v[i];
		}
	}
	t->v.n = out;
	free(drop);
}

static char *join(const struct toks *t)
{
	struct mig_str s = MIG_STR_INIT;
	for (size_t i = 0; i < t->v.n; i++) {
		if (i) {
			mig_str_addch(&s, ' ');
		}
		mig_str_add(&s, t->v.v[i].text);
	}
	return mig_str_detach(&s);
}

static void tokens(struct toks *t, struct mig_arena *a, const char *sql)
{
	t->v.v = NULL;
	t->v.n = t->v.alloc = 0;
	t->a = a;
	lex(t, sql);
	strip_casts(t);
	rewrite(t);
	strip_groups(t);
}

char *mig_compare_norm_expr(const char *sql)
{
	struct mig_arena a = MIG_ARENA_INIT;
	struct toks t;
	tokens(&t, &a, sql ? sql : "");
	char *r = join(&t);
	mig_vec_free(&t.v);
	mig_arena_release(&a);
	return r;
}

/* ---- what each dialect does to types and constraints ---- */

struct rules {
	const char *name;
	/* Fold the dialect's synonyms in a type as it renders (lowercase, no
	 * spaces around brackets and commas). */
	void (*normalize_type)(struct mig_str *t);
	bool comments;        /* the database keeps table and column comments */
	bool deferrable;      /* constraints can be deferrable */
	bool restrict_default; /* RESTRICT and NO ACTION are the same as none (MySQL) */
	bool unique_index_is_constraint; /* a plain unique index is a unique constraint */
	bool fk_index;        /* a foreign key has an index of its own (MySQL) */
	bool rowid_pk;        /* an autoincrementing integer key is INTEGER whatever declared */
	bool enum_checks;     /* enum columns are kept to their values by named CHECKs */
	bool name_checks;     /* an unnamed check gets a name (to be dropped by it) */
};

/* Replace a leading word of t (followed by nothing, "(", "[" or " ") by to. */
static bool fold_word(struct mig_str *t, const char *from, const char *to)
{
	size_t n = strlen(from);
	if (t->len < n || strncmp(t->buf, from, n) != 0 ||
	    !(t->buf[n] == '\0' || t->buf[n] == '(' || t->buf[n] == '[' || t->buf[n] == ' ')) {
		return false;
	}
	char *rest = xstrdup(t->buf + n);
	mig_str_reset(t);
	mig_str_add(t, to);
	mig_str_add(t, rest);
	free(rest);
	return true;
}

static bool fold_whole(struct mig_str *t, const char *from, const char *to)
{
	if (strcmp(t->buf, from) != 0) {
		return false;
	}
	mig_str_reset(t);
	mig_str_add(t, to);
	return true;
}

/* Whether t is exactly "<word>(n)"; *n gets n. */
static bool one_param(const char *t, const char *word, int *n)
{
	size_t len = strlen(word);
	int end = 0;
	return strncmp(t, word, len) == 0 && t[len] == '(' &&
	       sscanf(t + len, "(%d)%n", n, &end) == 1 && end > 0 && t[len + (size_t)end] == '\0';
}

/* "float(p)": single precision up to 24 bits, double above. */
static void fold_float(struct mig_str *t, const char *single, const char *dbl)
{
	int p;
	if (one_param(t->buf, "float", &p)) {
		mig_str_reset(t);
		mig_str_add(t, p <= 24 ? single : dbl);
	}
}

static void pg_normalize_type(struct mig_str *t)
{
	static const char *const words[][2] = {
		{ "int", "integer" },	     { "int4", "integer" },
		{ "int8", "bigint" },	     { "int2", "smallint" },
		{ "serial", "integer" },     { "serial4", "integer" },
		{ "bigserial", "bigint" },   { "serial8", "bigint" },
		{ "smallserial", "smallint" }, { "serial2", "smallint" },
		{ "float8", "double precision" }, { "float4", "real" },
		{ "bool", "boolean" },	     { "decimal", "numeric" },
		{ "varchar", "character varying" }, { "char", "character" },
		{ "bpchar", "character" },   { "varbit", "bit varying" },
		{ NULL, NULL },
	};
	for (size_t i = 0; words[i][0]; i++) {
		if (fold_word(t, words[i][0], words[i][1])) {
			break;
		}
	}
	fold_whole(t, "character", "character(1)");
	fold_whole(t, "float", "double precision");
	fold_float(t, "real", "double precision");
	/* timestamptz(3) and timestamp(3) without time zone */
	static const char *const zoned[][3] = {
		{ "timestamptz", "timestamp", " with time zone" },
		{ "timetz", "time", " with time zone" },
	};
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(zoned[i][0]);
		if (strncmp(t->buf, zoned[i][0], n) == 0 &&
		    (t->buf[n] == '\0' || t->buf[n] == '(')) {
			char *rest = xstrdup(t->buf + n);
			mig_str_reset(t);
			mig_str_addf(t, "%s%s%s", zoned[i][1], rest, zoned[i][2]);
			free(rest);
		}
	}
	if (mig_ends_with(t->buf, " without time zone")) {
		mig_str_setlen(t, t->len - strlen(" without time zone"));
	}
}

/* Display widths are no part of a MySQL integer type. */
static void my_normalize_type(struct mig_str *t)
{
	static const char *const ints[] = { "tinyint", "smallint", "mediumint", "int", "bigint",
					    NULL };
	static const char *const words[][2] = {
		{ "integer", "int" },	       { "boolean", "bool" },
		{ "decimal", "numeric" },      { "dec", "numeric" },
		{ "fixed", "numeric" },	       { "double precision", "double" },
		{ "character varying", "varchar" },
		{ "character", "char" },       { "nvarchar", "varchar" },
		{ "nchar", "char" },	       { NULL, NULL },
	};
	if (fold_whole(t, "tinyint(1)", "bool")) {
		return;
	}
	for (size_t i = 0; words[i][0]; i++) {
		if (fold_word(t, words[i][0], words[i][1])) {
			break;
		}
	}
	for (size_t i = 0; ints[i]; i++) {
		size_t n = strlen(ints[i]);
		if (strncmp(t->buf, ints[i], n) == 0 && t->buf[n] == '(' && strchr(t->buf, ')')) {
			char *rest = xstrdup(strchr(t->buf, ')') + 1);
			mig_str_setlen(t, n);
			mig_str_add(t, rest);
			free(rest);
			break;
		}
	}
	int p;
	if (one_param(t->buf, "numeric", &p)) {
		mig_str_reset(t);
		mig_str_addf(t, "numeric(%d,0)", p);
	}
	fold_whole(t, "char", "char(1)");
	fold_whole(t, "bit", "bit(1)");
	fold_float(t, "float", "double");
}

static void sqlite_normalize_type(struct mig_str *t)
{
	fold_word(t, "int", "integer");
}

static const struct rules rules_pg = {
	.name = "postgresql",
	.normalize_type = pg_normalize_type,
	.comments = true,
	.deferrable = true,
	.name_checks = true,
};
static const struct rules rules_my = {
	.name = "mysql",
	.normalize_type = my_normalize_type,
	.comments = true,
	.restrict_default = true,
	.unique_index_is_constraint = true,
	.fk_index = true,
	.name_checks = true,
};
static const struct rules rules_sqlite = {
	.name = "sqlite",
	.normalize_type = sqlite_normalize_type,
	.deferrable = true,
	.rowid_pk = true,
	.enum_checks = true,
};
static const struct rules rules_generic = {
	.name = "",
	.comments = true,
	.deferrable = true,
};

static const struct rules *rules_for(const struct mig_dialect_impl *impl)
{
	const char *name = impl ? impl->name : "";
	if (strcmp(name, "postgresql") == 0) {
		return &rules_pg;
	}
	if (strcmp(name, "mysql") == 0) {
		return &rules_my;
	}
	if (strcmp(name, "sqlite") == 0) {
		return &rules_sqlite;
	}
	return &rules_generic;
}

static char *norm_type_with(const struct mig_dialect_impl *impl, const struct rules *d,
			    const struct mig_type *t, const struct mig_schema *s)
{
	struct mig_str r = MIG_STR_INIT, out = MIG_STR_INIT;
	if (impl && impl->render_type) {
		impl->render_type(t, s, &r);
	} else {
		mig_type_format(&r, t);
	}
	/* lowercase, spaces folded, none around brackets and commas */
	for (const char *p = r.buf; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (isspace(ch)) {
			const char *q = p;
			while (isspace((unsigned char)q[1])) {
				q++;
			}
			bool around = out.len && strchr("(,[", out.buf[out.len - 1]);
			if (!around && q[1] && !strchr("(),[]", q[1])) {
				mig_str_addch(&out, ' ');
			}
			p = q;
			continue;
		}
		mig_str_addch(&out, (char)tolower(ch));
	}
	mig_str_release(&r);
	if (d->normalize_type) {
		d->normalize_type(&out);
	}
	return mig_str_detach(&out);
}

char *mig_compare_norm_type(const struct mig_dialect_impl *impl, const struct mig_type *t,
			    const struct mig_schema *s)
{
	return norm_type_with(impl, rules_for(impl), t, s);
}

/* ---- defaults ---- */

static bool integer_kind(enum mig_type_kind k)
{
	return k == MIG_TYPE_SMALLINT || k == MIG_TYPE_INTEGER || k == MIG_TYPE_BIGINT;
}

/* Whether a column of type t holds numbers (so '5' is 5). */
static bool numeric_type(const struct mig_type *t)
{
	static const char *const words[] = { "tinyint", "mediumint", "int", "double", "decimal",
					     "float", "bit", "year", "money", NULL };
	switch (t->kind) {
	case MIG_TYPE_SMALLINT:
	case MIG_TYPE_INTEGER:
	case MIG_TYPE_BIGINT:
	case MIG_TYPE_REAL:
	case MIG_TYPE_FLOAT:
	case MIG_TYPE_NUMERIC:
		return true;
	case MIG_TYPE_OTHER:
		for (size_t i = 0; t->raw && words[i]; i++) {
			if (strncasecmp(t->raw, words[i], strlen(words[i])) == 0) {
				return true;
			}
		}
		return false;
	default:
		return false;
	}
}

/* The text of a '…' literal (quotes removed, '' undone), or NULL. */
static char *unquote(const char *lit)
{
	size_t n = strlen(lit);
	if (n < 2 || lit[0] != '\'' || lit[n - 1] != '\'') {
		return NULL;
	}
	struct mig_str s = MIG_STR_INIT;
	for (size_t i = 1; i + 1 < n; i++) {
		if (lit[i] == '\'' && lit[i + 1] == '\'') {
			i++;
		}
		mig_str_addch(&s, lit[i]);
	}
	return mig_str_detach(&s);
}

static bool numeric_text(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+') {
		p++;
	}
	return isdigit((unsigned char)*p) && strspn(p, "0123456789.eE+-") == strlen(p);
}

/* true, false or NULL for a boolean default in any spelling. */
static const char *boolean_word(const struct toks *t)
{
	static const char *const yes[] = { "true", "t", "1", "y", "yes", "on", NULL };
	static const char *const no[] = { "false", "f", "0", "n", "no", "off", NULL };
	const char *w = NULL;
	char *own = NULL;
	if (t->v.n == 1) {
		w = t->v.v[0].text;
		if (t->v.v[0].kind == TK_STR) {
			w = own = unquote(w);
		}
	} else if (t->v.n == 2 && is(t, 0, "b") && t->v.v[1].kind == TK_STR) {
		w = own = unquote(t->v.v[1].text); /* b'1' */
	}
	const char *r = NULL;
	for (size_t i = 0; w && !r && yes[i]; i++) {
		r = strcasecmp(w, yes[i]) == 0	 ? "true"
		    : strcasecmp(w, no[i]) == 0 ? "false"
						 : NULL;
	}
	free(own);
	return r;
}

char *mig_compare_norm_default(const struct mig_dialect_impl *impl, const struct mig_type *t,
			       const char *sql)
{
	(void)impl;
	if (!sql) {
		return NULL;
	}
	struct mig_arena a = MIG_ARENA_INIT;
	struct toks k;
	char *r = NULL;
	tokens(&k, &a, sql);
	if (k.v.n == 0 || (k.v.n == 1 && is(&k, 0, "null"))) {
		goto done;
	}
	const char *b = t->kind == MIG_TYPE_BOOLEAN ? boolean_word(&k) : NULL;
	if (b) {
		r = xstrdup(b);
		goto done;
	}
	if (numeric_type(t)) {
		char *text = NULL;
		if (k.v.n == 1 && k.v.v[0].kind == TK_STR) {
			text = unquote(k.v.v[0].text);
		} else if (k.v.n == 2 && (is(&k, 0, "-") || is(&k, 0, "+")) &&
			   k.v.v[1].kind == TK_WORD && is_number(k.v.v[1].text)) {
			text = xasprintf("%s%s", k.v.v[0].text, k.v.v[1].text);
		}
		if (text && numeric_text(text)) {
			bool minus = text[0] == '-';
			const char *digits = text + (text[0] == '-' || text[0] == '+');
			struct toks num = { { NULL, 0, 0 }, &a };
			push_number(&num, digits, strlen(digits));
			bool zero = strcmp(num.v.v[0].text, "0") == 0;
			r = xasprintf("%s%s", minus && !zero ? "-" : "", num.v.v[0].text);
			mig_vec_free(&num.v);
			free(text);
			goto done;
		}
		free(text);
	}
	r = join(&k);
done:
	mig_vec_free(&k.v);
	mig_arena_release(&a);
	return r;
}

/* ---- the comparison ---- */

/* Where an op goes in the upgrade: the order in which the ops can run. */
enum phase {
	P_CREATE_ENUM, /* create_enum, add_enum_value */
	P_RENAME,      /* rename_table, alter_column new_name (--rename) */
	P_CREATE_TABLE,
	P_DROP_FK,
	P_DROP_CONSTRAINT, /* indexes, unique, check, primary key */
	P_RECREATE,        /* drop_column of a column added again below */
	P_ADD_COLUMN,
	P_ALTER_COLUMN, /* and table comments */
	P_DROP_COLUMN,
	P_CREATE_CONSTRAINT, /* primary key, unique, check, indexes */
	P_CREATE_FK,
	P_DROP_TABLE,
	P_DROP_ENUM,
	P_COUNT
};

struct cmp {
	const struct mig_dialect_impl *impl;
	const struct rules *d;
	bool native_enums;
	const struct mig_compare_opts *opts;
	struct mig_reflect_opts ropts; /* the exclusion test */
	const struct mig_schema *decl;
	struct mig_schema *work; /* the reflected schema with the renames applied */
	struct mig_oplist phase[P_COUNT];
	struct mig_strlist *hints;
	struct mig_strlist hint_buf; /* when the caller wants none */
	struct mig_strlist needed_enums; /* declared enums the ops name (non-native) */
	struct mig_strlist check_names;  /* names given to unnamed checks */
	struct mig_strlist freed_names;  /* names of the checks of a table being dropped */
	struct mig_arena arena;          /* scratch strings */
	/* the tables of decl and work by schema and name, once the renames
	 * are done (thousands of tables are looked up by name) */
	struct mig_strmap decl_tables;
	struct mig_strmap work_tables;
};

static void hint(struct cmp *c, const char *fmt, ...) MIG_PRINTF(2, 3);
static void hint(struct cmp *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	if (!mig_strlist_has(c->hints, s)) {
		mig_strlist_push_owned(c->hints, s);
	} else {
		free(s);
	}
}

static const char *table_key(struct cmp *c, const char *schema, const char *name)
{
	return mig_arena_printf(&c->arena, "%s\x01%s", schema ? schema : "", name);
}

static void index_tables(struct cmp *c, const struct mig_schema *s, struct mig_strmap *m)
{
	mig_strmap_reserve(m, s->tables.n);
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct mig_table *t = &s->tables.v[i];
		mig_strmap_put(m, table_key(c, t->schema, t->name), (void *)t);
	}
}

/* A table of the models, or of the database (after the renames). */
static const struct mig_table *decl_table(struct cmp *c, const char *schema, const char *name)
{
	char *key = xasprintf("%s\x01%s", schema ? schema : "", name);
	const struct mig_table *t = mig_strmap_get(&c->decl_tables, key);
	free(key);
	return t;
}

static const struct mig_table *work_table(struct cmp *c, const char *schema, const char *name)
{
	char *key = xasprintf("%s\x01%s", schema ? schema : "", name);
	const struct mig_table *t = mig_strmap_get(&c->work_tables, key);
	free(key);
	return t;
}

/* "schema.name" or "name" (scratch string). */
static const char *qn(struct cmp *c, const char *schema, const char *name)
{
	return schema ? mig_arena_printf(&c->arena, "%s.%s", schema, name) : name;
}

static struct mig_op *push(struct cmp *c, enum phase p, const struct mig_op *op)
{
	return mig_oplist_push(&c->phase[p], op);
}

/* Give the op at index i of phase p a note (appended to one it has). */
static void note(struct cmp *c, enum phase p, size_t i, const char *text)
{
	struct mig_op *op = &c->phase[p].ops.v[i];
	const char *now = op->note ? mig_arena_printf(&c->phase[p].pool.arena, "%s\n%s",
						      op->note, text)
				   : mig_arena_strdup(&c->phase[p].pool.arena, text);
	op->note = now;
}

static void op_init(struct mig_op *op, enum mig_op_kind kind, const struct mig_table *t)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	if (t) {
		op->schema = t->schema;
		op->table = t->name;
	}
}

static bool considered(struct cmp *c, const char *schema, const char *name)
{
	if (mig_reflect_excluded(&c->ropts, schema, name)) {
		return false;
	}
	return !schema || c->opts->include_schemas;
}

static bool names_eq(const struct cmp *c, const char *a, const char *b)
{
	return c->d == &rules_my ? mig_strieq(a, b) : mig_streq(a, b);
}

static bool name_lists_eq(const struct cmp *c, const char *const *a, size_t na,
			  const char *const *b, size_t nb)
{
	if (na != nb) {
		return false;
	}
	for (size_t i = 0; i < na; i++) {
		if (!names_eq(c, a[i], b[i])) {
			return false;
		}
	}
	return true;
}

static bool sole_int_pk(const struct mig_table *t, const struct mig_column *col)
{
	return t->pk.columns.n == 1 && mig_streq(t->pk.columns.v[0], col->name) &&
	       integer_kind(col->type.kind);
}

/* The model's rule (DESIGN §5): a single integer primary key autoincrements
 * unless told otherwise. */
static bool autoincrements(const struct mig_table *t, const struct mig_column *col)
{
	if (col->identity || col->autoincrement == MIG_TRUE) {
		return true;
	}
	return col->autoincrement == MIG_UNSET && sole_int_pk(t, col) && !col->default_sql &&
	       !col->computed_sql;
}

/* The enum a type names in s, or NULL. */
static const struct mig_enum *type_enum(const struct mig_schema *s, const struct mig_type *t)
{
	const char *q = NULL;
	if (t->kind == MIG_TYPE_ENUM) {
		q = t->enum_name ? t->enum_name : t->raw;
	} else if (t->kind == MIG_TYPE_OTHER) {
		q = t->raw;
	}
	return q ? mig_schema_find_enum(s, NULL, q) : NULL;
}

/* A non-native dialect writes a declared enum inline: the ops that name one
 * need its values in the schema they run against, which create_enum (that
 * renders nothing there) gives them. */
static void need_enum(struct cmp *c, const struct mig_type *t)
{
	if (c->native_enums) {
		return;
	}
	const struct mig_enum *e = type_enum(c->decl, t);
	if (!e || mig_schema_find_enum(c->work, e->schema, e->name)) {
		return;
	}
	const char *q = qn(c, e->schema, e->name);
	if (!mig_strlist_has(&c->needed_enums, q)) {
		mig_strlist_push(&c->needed_enums, q);
	}
}

static void need_table_enums(struct cmp *c, const struct mig_table *t)
{
	for (size_t i = 0; i < t->columns.n; i++) {
		need_enum(c, &t->columns.v[i].type);
	}
}

/* ---- enum values kept by CHECKs (SQLite) ---- */

/* A column's enum as the database keeps it: the values, and the CHECK that
 * keeps them (SQLite) or the enum type's name. */
struct col_enum {
	const char *column;
	MIG_VEC(const char *) values;
	const char *name; /* the enum (type, or the CHECK's name) */
	size_t check;     /* index of the CHECK in the reflected table, or SIZE_MAX */
};

/* Read "<column> IN ('a', 'b')" (in any spelling the database gives back). */
static bool parse_in_list(struct cmp *c, const char *sql, const char **column, void *valuesp)
{
	MIG_VEC(const char *) *values = valuesp;
	struct toks t;
	tokens(&t, &c->arena, sql);
	bool ok = t.v.n >= 5 && t.v.v[0].kind == TK_WORD && is(&t, 1, "in") && is(&t, 2, "(") &&
		  is(&t, t.v.n - 1, ")");
	for (size_t i = 3; ok && i + 1 < t.v.n; i++) {
		bool want_str = (i - 3) % 2 == 0;
		if (want_str) {
			char *v = t.v.v[i].kind == TK_STR ? unquote(t.v.v[i].text) : NULL;
			ok = v != NULL;
			if (v) {
				mig_vec_push(values, mig_arena_strdup(&c->arena, v));
				free(v);
			}
		} else {
			ok = is(&t, i, ",");
		}
	}
	ok = ok && (t.v.n - 3) % 2 == 0;
	if (ok) {
		*column = t.v.v[0].text;
	} else {
		mig_vec_free(values);
	}
	mig_vec_free(&t.v);
	return ok;
}

/* The enum of reflected column rc of rt (for a declared column dc typed by
 * one): its type (PostgreSQL, MySQL) or the CHECK named after the enum that
 * keeps its values (SQLite). false when it has none. */
static bool reflected_enum(struct cmp *c, const struct mig_table *rt, const struct mig_column *rc,
			   const struct mig_enum *declared, struct col_enum *out)
{
	memset(out, 0, sizeof(*out));
	out->column = rc->name;
	out->check = SIZE_MAX;
	const struct mig_enum *e = type_enum(c->work, &rc->type);
	if (e) {
		out->name = qn(c, e->schema, e->name);
		for (size_t i = 0; i < e->values.n; i++) {
			mig_vec_push(&out->values, e->values.v[i]);
		}
		return true;
	}
	if (!c->d->enum_checks || !declared) {
		return false;
	}
	/* the CHECK named after the enum first, then one named <table>_<column> */
	const char *names[2] = { declared->name,
				 mig_arena_printf(&c->arena, "%s_%s", rt->name, rc->name) };
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < rt->checks.n; i++) {
			const struct mig_check *ck = &rt->checks.v[i];
			const char *col = NULL;
			if (!mig_streq(ck->name, names[pass]) ||
			    !parse_in_list(c, ck->sql, &col, &out->values)) {
				continue;
			}
			if (!mig_strieq(col, rc->name)) {
				mig_vec_free(&out->values);
				continue;
			}
			out->name = ck->name;
			out->check = i;
			return true;
		}
	}
	return false;
}

/* Whether old is new with some values left out, in the same order. */
static bool subsequence(const char *const *old, size_t nold, const char *const *now,
			size_t nnow)
{
	size_t j = 0;
	for (size_t i = 0; i < nnow && j < nold; i++) {
		if (mig_streq(old[j], now[i])) {
			j++;
		}
	}
	return j == nold;
}

/* add_enum_value ops taking enum name from old to now (old a subsequence of
 * now): each new value before the value after it when that one is old, else
 * after the value before it, else at the end. */
static void add_values(struct cmp *c, const char *schema, const char *name,
		       const char *const *old, size_t nold, const char *const *now, size_t nnow)
{
	for (size_t i = 0; i < nnow; i++) {
		if (mig_names_have(old, nold, now[i])) {
			continue;
		}
		struct mig_op op;
		op_init(&op, MIG_OP_ADD_ENUM_VALUE, NULL);
		op.schema = schema;
		op.name = name;
		op.value = now[i];
		bool old_after = false;
		for (size_t k = i + 1; k < nnow && !old_after; k++) {
			old_after = mig_names_have(old, nold, now[k]);
		}
		if (i == 0) {
			for (size_t k = 1; k < nnow && !op.before; k++) {
				op.before = mig_names_have(old, nold, now[k]) ? now[k] : NULL;
			}
		} else if (old_after) {
			op.after = now[i - 1];
		}
		push(c, P_CREATE_ENUM, &op);
	}
}

static int enum_removal_error(const char *what, const char *const *old, size_t nold,
			      const char *const *now, size_t nnow, bool native)
{
	struct mig_str gone = MIG_STR_INIT;
	for (size_t i = 0; i < nold; i++) {
		if (!mig_names_have(now, nnow, old[i])) {
			mig_str_addf(&gone, "%s'%s'", gone.len ? ", " : "", old[i]);
		}
	}
	if (gone.len) {
		mig_error(MIG_ECLASS_FILE,
			  "%s: the models remove the value%s %s, which autogenerate cannot do: %s "
			  "(write the revision by hand: move the rows off the value, then %s)",
			  what, strchr(gone.buf, ',') ? "s" : "", gone.buf,
			  native ? "an enum type cannot lose a value without being recreated"
				 : "it only ever adds values to an enum column",
			  native ? "create a new type, convert the columns and drop the old type"
				 : "alter the column's type");
	} else {
		mig_error(MIG_ECLASS_FILE,
			  "%s: the models reorder the values, which autogenerate cannot do: %s "
			  "(write the revision by hand)",
			  what,
			  native ? "an enum type cannot reorder its values without being recreated"
				 : "it only ever adds values to an enum column");
	}
	mig_str_release(&gone);
	return MIG_ERROR;
}

/* PostgreSQL: the enum types themselves (new ones created, values added);
 * drops come at the end, when nothing uses them any more. */
static int compare_enums(struct cmp *c)
{
	if (!c->native_enums) {
		return 0;
	}
	for (size_t i = 0; i < c->decl->enums.n; i++) {
		const struct mig_enum *de = &c->decl->enums.v[i];
		if (de->schema && !c->opts->include_schemas) {
			continue;
		}
		const struct mig_enum *re = mig_schema_find_enum(c->work, de->schema, de->name);
		if (!re) {
			struct mig_op op;
			op_init(&op, MIG_OP_CREATE_ENUM, NULL);
			op.schema = de->schema;
			op.name = de->name;
			op.enum_values.v = de->values.v;
			op.enum_values.n = de->values.n;
			push(c, P_CREATE_ENUM, &op);
			continue;
		}
		if (mig_names_equal(re->values.v, re->values.n, de->values.v, de->values.n)) {
			continue;
		}
		if (!subsequence(re->values.v, re->values.n, de->values.v, de->values.n)) {
			char *what = xasprintf("enum '%s'", qn(c, de->schema, de->name));
			int rc = enum_removal_error(what, re->values.v, re->values.n, de->values.v,
						    de->values.n, true);
			free(what);
			return rc;
		}
		add_values(c, de->schema, de->name, re->values.v, re->values.n, de->values.v,
			   de->values.n);
	}
	return 0;
}

/* ---- columns ---- */

static struct mig_optstr optstr(const char *v)
{
	struct mig_optstr o = { true, v };
	return o;
}

static enum mig_tristate tri(bool b)
{
	return b ? MIG_TRUE : MIG_FALSE;
}

/* The existing_* keys of an alter_column on rc (of rt): what MySQL must
 * restate and what the op's inverse needs. */
static void existing(struct cmp *c, struct mig_op *op, const struct mig_table *rt,
		     const struct mig_column *rc)
{
	struct mig_alter_column *a = &op->alter;
	a->existing_type = rc->type;
	a->existing_nullable = tri(rc->nullable);
	if (rc->default_sql) {
		a->existing_default = optstr(rc->default_sql);
	}
	if (rc->comment && c->d->comments) {
		a->existing_comment = optstr(rc->comment);
	}
	if (autoincrements(rt, rc) && c->d == &rules_my) {
		a->existing_autoincrement = MIG_TRUE;
	}
	a->existing_collation = rc->collation;
	a->existing_server_onupdate = rc->on_update_sql;
}

static bool same_default(struct cmp *c, const struct mig_column *dc, const struct mig_column *rc)
{
	char *a = mig_compare_norm_default(c->impl, &dc->type, dc->default_sql);
	char *b = mig_compare_norm_default(c->impl, &dc->type, rc->default_sql);
	bool same = mig_streq(a, b);
	free(a);
	free(b);
	return same;
}

static bool same_expr(const char *x, const char *y)
{
	if (!x || !y) {
		return !x && !y;
	}
	char *a = mig_compare_norm_expr(x);
	char *b = mig_compare_norm_expr(y);
	bool same = strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

static bool same_text(const char *a, const char *b)
{
	return mig_streq(a && *a ? a : NULL, b && *b ? b : NULL);
}

/* Whether two columns' types are the same as the database sees them. */
static bool same_type(struct cmp *c, const struct mig_table *dt, const struct mig_column *dc,
		      const struct mig_table *rt, const struct mig_column *rc)
{
	if (c->d->rowid_pk && integer_kind(dc->type.kind) && integer_kind(rc->type.kind) &&
	    autoincrements(dt, dc) && autoincrements(rt, rc)) {
		return true; /* SQLite: an INTEGER PRIMARY KEY whatever declared */
	}
	char *a = norm_type_with(c->impl, c->d, &dc->type, c->decl);
	char *b = norm_type_with(c->impl, c->d, &rc->type, c->work);
	bool same = strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

/* The column spec of an add_column (or of a create_table's column): the
 * declared column, a primary key only when it is the whole new key. */
static void added_column(const struct mig_column *dc, bool pk, struct mig_column *out)
{
	*out = *dc;
	out->primary_key = pk;
	out->unique = out->index = false;
	out->ref_table = out->ref_column = NULL;
}

static void identity_text(struct mig_str *s, const struct mig_column *col)
{
	if (col->identity) {
		mig_str_addf(s, "identity (%s", col->identity_always ? "always" : "by default");
		if (col->identity_start) {
			mig_str_addf(s, ", start %lld", col->identity_start);
		}
		if (col->identity_increment) {
			mig_str_addf(s, ", increment %lld", col->identity_increment);
		}
		mig_str_addch(s, ')');
	} else {
		mig_str_add(s, "no identity");
	}
}

/* What alter_column cannot change, said as hints. */
static void column_hints(struct cmp *c, const struct mig_table *dt, const struct mig_column *dc,
			 const struct mig_table *rt, const struct mig_column *rc)
{
	const char *where = qn(c, dt->schema, dt->name);
	/* an autoincrementing key may be an identity column in the database
	 * (DESIGN §5): only an identity the models ask for is compared */
	bool differ = dc->identity &&
		      (!rc->identity || dc->identity_always != rc->identity_always ||
		       dc->identity_start != rc->identity_start ||
		       dc->identity_increment != rc->identity_increment);
	if (differ && c->d == &rules_pg) {
		struct mig_str m = MIG_STR_INIT, r = MIG_STR_INIT;
		identity_text(&m, dc);
		identity_text(&r, rc);
		hint(c,
		     "column '%s.%s' has %s in the models but %s in the database: autogenerate "
		     "does not change identity columns (write an sql op)",
		     where, dc->name, m.buf, r.buf);
		mig_str_release(&m);
		mig_str_release(&r);
		return;
	}
	if (autoincrements(dt, dc) != autoincrements(rt, rc)) {
		hint(c,
		     "column '%s.%s' %s in the models but %s in the database: autogenerate does "
		     "not change that (write an sql op)",
		     where, dc->name,
		     autoincrements(dt, dc) ? "autoincrements" : "does not autoincrement",
		     autoincrements(rt, rc) ? "does" : "does not");
	}
	if (dc->collation && !mig_strieq(dc->collation, rc->collation)) {
		hint(c,
		     "column '%s.%s' has the collation '%s' in the models but %s%s%s in the "
		     "database: autogenerate does not change collations (write an sql op)",
		     where, dc->name, dc->collation, rc->collation ? "'" : "",
		     rc->collation ? rc->collation : "the default", rc->collation ? "'" : "");
	}
	if (dc->on_update_sql && !same_expr(dc->on_update_sql, rc->on_update_sql)) {
		hint(c,
		     "column '%s.%s' has ON UPDATE %s in the models but not in the database: "
		     "autogenerate does not change it (write an sql op)",
		     where, dc->name, dc->on_update_sql);
	}
}

/* The declared column changed where alter_column can say so; a computed
 * column whose expression changed is dropped and added again. Returns true
 * when it was recreated. */
static bool compare_column(struct cmp *c, const struct mig_table *dt, const struct mig_column *dc,
			   const struct mig_table *rt, const struct mig_column *rc,
			   const struct col_enum *re, int *err)
{
	const char *where = qn(c, dt->schema, dt->name);
	if (!same_expr(dc->computed_sql, rc->computed_sql) ||
	    (dc->computed_sql && dc->computed_stored != rc->computed_stored)) {
		struct mig_op op;
		struct mig_column col;
		op_init(&op, MIG_OP_DROP_COLUMN, rt);
		op.column = rc->name;
		size_t at = c->phase[P_RECREATE].ops.n;
		push(c, P_RECREATE, &op);
		note(c, P_RECREATE, at,
		     mig_arena_printf(&c->arena,
				      "'%s.%s' is %s: it is dropped and added again%s", where,
				      dc->name,
				      dc->computed_sql && rc->computed_sql
					      ? "computed by another expression"
				      : dc->computed_sql ? "computed now"
							  : "no longer computed",
				      rc->computed_sql ? "" : " (its values are lost)"));
		op_init(&op, MIG_OP_ADD_COLUMN, dt);
		added_column(dc, false, &col);
		op.column_def = &col;
		need_enum(c, &dc->type);
		push(c, P_ADD_COLUMN, &op);
		return true;
	}
	struct mig_op op;
	op_init(&op, MIG_OP_ALTER_COLUMN, rt);
	op.column = rc->name;
	struct mig_alter_column *a = &op.alter;
	bool change = false;
	const struct mig_enum *de = type_enum(c->decl, &dc->type);
	if (c->opts->compare_type) {
		bool same;
		if (de && re) {
			/* a native enum is its name; an inline one its values */
			same = c->native_enums ? mig_streq(qn(c, de->schema, de->name), re->name)
					       : true;
			if (!c->native_enums &&
			    !mig_names_equal(re->values.v, re->values.n, de->values.v, de->values.n)) {
				char *what = xasprintf("enum column '%s.%s'", where, dc->name);
				if (!subsequence(re->values.v, re->values.n, de->values.v,
						 de->values.n)) {
					*err = enum_removal_error(what, re->values.v, re->values.n,
								  de->values.v, de->values.n,
								  false);
					free(what);
					return false;
				}
				free(what);
				bool done = false;
				const struct mig_oplist *l = &c->phase[P_CREATE_ENUM];
				for (size_t i = 0; i < l->ops.n && !done; i++) {
					const struct mig_op *o = &l->ops.v[i];
					done = o->kind == MIG_OP_ADD_ENUM_VALUE &&
					       mig_streq(o->name, re->name);
				}
				if (!done) {
					add_values(c, NULL, re->name, re->values.v, re->values.n,
						   de->values.v, de->values.n);
				}
			}
		} else if (de || re) {
			same = false;
		} else {
			same = same_type(c, dt, dc, rt, rc);
		}
		if (!same) {
			a->type = dc->type;
			need_enum(c, &dc->type);
			change = true;
		}
	}
	if (dc->nullable != rc->nullable) {
		a->nullable = tri(dc->nullable);
		change = true;
	}
	/* serial and identity columns have the database's own default */
	bool generated = dc->computed_sql || dc->identity || rc->identity ||
			 (autoincrements(dt, dc) && rc->default_sql &&
			  mig_starts_with(rc->default_sql, "nextval("));
	if (c->opts->compare_server_default && !generated && !same_default(c, dc, rc)) {
		char *now = mig_compare_norm_default(c->impl, &dc->type, dc->default_sql);
		a->default_sql = optstr(now ? dc->default_sql : NULL);
		free(now);
		change = true;
	}
	if (c->d->comments && !same_text(dc->comment, rc->comment)) {
		a->comment = optstr(dc->comment && *dc->comment ? dc->comment : NULL);
		change = true;
	}
	column_hints(c, dt, dc, rt, rc);
	if (change) {
		existing(c, &op, rt, rc);
		push(c, P_ALTER_COLUMN, &op);
	}
	return false;
}

/* ---- indexes and constraints ---- */

static bool same_elem(const struct cmp *c, const struct mig_index_elem *a,
		      const struct mig_index_elem *b)
{
	if (a->desc != b->desc) {
		return false;
	}
	if (a->column && b->column) {
		return names_eq(c, a->column, b->column);
	}
	return same_expr(a->column ? a->column : a->expression,
			 b->column ? b->column : b->expression);
}

static bool same_using(const char *a, const char *b)
{
	a = a && !mig_strieq(a, "btree") ? a : NULL;
	b = b && !mig_strieq(b, "btree") ? b : NULL;
	return a ? mig_strieq(a, b) : !b;
}

static bool same_index(const struct cmp *c, const struct mig_index *a, const struct mig_index *b)
{
	if (a->unique != b->unique || a->elems.n != b->elems.n || !same_using(a->using, b->using) ||
	    !same_expr(a->where, b->where)) {
		return false;
	}
	for (size_t i = 0; i < a->elems.n; i++) {
		if (!same_elem(c, &a->elems.v[i], &b->elems.v[i])) {
			return false;
		}
	}
	return true;
}

/* A plain unique index over whole columns: what MySQL keeps a unique
 * constraint as. */
static bool plain_unique_index(const struct mig_index *ix)
{
	if (!ix->unique || ix->where || !same_using(ix->using, NULL)) {
		return false;
	}
	for (size_t i = 0; i < ix->elems.n; i++) {
		if (!ix->elems.v[i].column || ix->elems.v[i].desc) {
			return false;
		}
	}
	return ix->elems.n > 0;
}

/* A unique key of a declared table: a unique constraint, or (MySQL) a plain
 * unique index, which is the same thing there. */
struct ukey {
	const char *name;
	MIG_VEC(const char *) columns;
	bool deferrable;
	const struct mig_unique *unique;
	const struct mig_index *index;
};

static bool fk_same_target(const struct cmp *c, const struct mig_foreign_key *a,
			   const struct mig_foreign_key *b)
{
	return name_lists_eq(c, a->columns.v, a->columns.n, b->columns.v, b->columns.n) &&
	       names_eq(c, a->ref_table, b->ref_table) && mig_streq(a->ref_schema, b->ref_schema) &&
	       name_lists_eq(c, a->ref_columns.v, a->ref_columns.n, b->ref_columns.v,
			     b->ref_columns.n);
}

static enum mig_fk_action fk_action(const struct cmp *c, enum mig_fk_action a)
{
	if (a == MIG_FK_NO_ACTION || (c->d->restrict_default && a == MIG_FK_RESTRICT)) {
		return MIG_FK_NONE;
	}
	return a;
}

static bool fk_same(const struct cmp *c, const struct mig_foreign_key *a,
		    const struct mig_foreign_key *b)
{
	if (!fk_same_target(c, a, b) || fk_action(c, a->on_delete) != fk_action(c, b->on_delete) ||
	    fk_action(c, a->on_update) != fk_action(c, b->on_update)) {
		return false;
	}
	if (!c->d->deferrable) {
		return true;
	}
	bool da = a->deferrable || a->initially_deferred;
	bool db = b->deferrable || b->initially_deferred;
	return da == db && a->initially_deferred == b->initially_deferred;
}

/* Match declared items to reflected ones: by name first, then (what is
 * left) by definition. match[i] is the reflected index of declared item i,
 * or -1. */

static void match_items(struct cmp *c, size_t nd, const char *(*dname)(const void *, size_t),
			const void *dv, size_t nr, const char *(*rname)(const void *, size_t),
			const void *rv, bool (*same)(struct cmp *, const void *, size_t,
						     const void *, size_t),
			long *match, bool *taken)
{
	for (size_t i = 0; i < nd; i++) {
		match[i] = -1;
		const char *n = dname(dv, i);
		for (size_t j = 0; n && j < nr; j++) {
			if (!taken[j] && names_eq(c, n, rname(rv, j))) {
				match[i] = (long)j;
				taken[j] = true;
				break;
			}
		}
	}
	for (size_t i = 0; i < nd; i++) {
		for (size_t j = 0; match[i] < 0 && j < nr; j++) {
			if (!taken[j] && same(c, dv, i, rv, j)) {
				match[i] = (long)j;
				taken[j] = true;
			}
		}
	}
}

/* Accessors for match_items over the table lists. */
static const char *index_name(const void *v, size_t i)
{
	return ((const struct mig_index *const *)v)[i]->name;
}
static bool index_same(struct cmp *c, const void *d, size_t i, const void *r, size_t j)
{
	return same_index(c, ((const struct mig_index *const *)d)[i],
			  ((const struct mig_index *const *)r)[j]);
}
static const char *ukey_name(const void *v, size_t i)
{
	return ((const struct ukey *)v)[i].name;
}
static const char *unique_name(const void *v, size_t i)
{
	return ((const struct mig_unique *)v)[i].name;
}
static bool ukey_same(struct cmp *c, const void *d, size_t i, const void *r, size_t j)
{
	const struct ukey *k = &((const struct ukey *)d)[i];
	const struct mig_unique *u = &((const struct mig_unique *)r)[j];
	return name_lists_eq(c, k->columns.v, k->columns.n, u->columns.v, u->columns.n);
}
static const char *fk_name(const void *v, size_t i)
{
	return ((const struct mig_foreign_key *)v)[i].name;
}
static bool fk_same_v(struct cmp *c, const void *d, size_t i, const void *r, size_t j)
{
	return fk_same_target(c, &((const struct mig_foreign_key *)d)[i],
			      &((const struct mig_foreign_key *)r)[j]);
}
static const char *check_name(const void *v, size_t i)
{
	return ((const struct mig_check *const *)v)[i]->name;
}
static bool check_same(struct cmp *c, const void *d, size_t i, const void *r, size_t j)
{
	(void)c;
	return same_expr(((const struct mig_check *const *)d)[i]->sql,
			 ((const struct mig_check *const *)r)[j]->sql);
}

static void drop_index(struct cmp *c, const struct mig_table *rt, const struct mig_index *ix)
{
	struct mig_op op;
	op_init(&op, MIG_OP_DROP_INDEX, rt);
	op.name = ix->name;
	push(c, P_DROP_CONSTRAINT, &op);
}

static void create_index(struct cmp *c, const struct mig_table *dt, const struct mig_index *ix)
{
	struct mig_op op;
	op_init(&op, MIG_OP_CREATE_INDEX, dt);
	op.index = (struct mig_index *)ix;
	push(c, P_CREATE_CONSTRAINT, &op);
}

/* drop_constraint for a reflected constraint: by name, or by definition when
 * it has none (SQLite). */
static void drop_constraint(struct cmp *c, enum phase p, const struct mig_table *rt,
			    enum mig_constraint_type type, const char *name, const void *def)
{
	struct mig_op op;
	op_init(&op, MIG_OP_DROP_CONSTRAINT, rt);
	op.constraint = type;
	op.name = name;
	if (!name) {
		switch (type) {
		case MIG_CONSTRAINT_UNIQUE:
			op.unique = (struct mig_unique *)def;
			break;
		case MIG_CONSTRAINT_CHECK:
			op.check = (struct mig_check *)def;
			break;
		case MIG_CONSTRAINT_FOREIGNKEY:
			op.fk = (struct mig_foreign_key *)def;
			break;
		default:
			break;
		}
	}
	push(c, p, &op);
}

static void create_fk(struct cmp *c, const struct mig_table *dt, const struct mig_foreign_key *f)
{
	struct mig_op op;
	op_init(&op, MIG_OP_CREATE_FOREIGN_KEY, dt);
	op.fk = (struct mig_foreign_key *)f;
	push(c, P_CREATE_FK, &op);
}

/* MySQL gives a foreign key an index over its columns when no other index
 * serves it, and reflection leaves that index out: a declared index over
 * exactly a foreign key's columns is that index already. */
static bool fk_index_stands_in(const struct cmp *c, const struct mig_index *ix,
			       const struct mig_table *rt)
{
	if (!c->d->fk_index || ix->unique || ix->where || !same_using(ix->using, NULL)) {
		return false;
	}
	for (size_t i = 0; i < rt->fks.n; i++) {
		const struct mig_foreign_key *f = &rt->fks.v[i];
		bool same = f->columns.n == ix->elems.n;
		for (size_t k = 0; same && k < ix->elems.n; k++) {
			same = ix->elems.v[k].column && !ix->elems.v[k].desc &&
			       names_eq(c, ix->elems.v[k].column, f->columns.v[k]);
		}
		if (same) {
			return true;
		}
	}
	return false;
}

static void compare_indexes(struct cmp *c, const struct mig_table *dt, const struct mig_table *rt)
{
	MIG_VEC(const struct mig_index *) dix = { 0 };
	MIG_VEC(const struct mig_index *) rix = { 0 };
	for (size_t i = 0; i < dt->indexes.n; i++) {
		const struct mig_index *ix = &dt->indexes.v[i];
		if (!(c->d->unique_index_is_constraint && plain_unique_index(ix))) {
			mig_vec_push(&dix, ix);
		}
	}
	for (size_t i = 0; i < rt->indexes.n; i++) {
		mig_vec_push(&rix, &rt->indexes.v[i]);
	}
	long *match = xcalloc(dix.n + 1, sizeof(long));
	bool *taken = xcalloc(rix.n + 1, sizeof(bool));
	match_items(c, dix.n, index_name, dix.v, rix.n, index_name, rix.v, index_same, match,
		    taken);
	for (size_t i = 0; i < dix.n; i++) {
		if (match[i] >= 0 && !same_index(c, dix.v[i], rix.v[match[i]])) {
			drop_index(c, rt, rix.v[match[i]]);
			create_index(c, dt, dix.v[i]);
		} else if (match[i] < 0 && !fk_index_stands_in(c, dix.v[i], rt)) {
			create_index(c, dt, dix.v[i]);
		}
	}
	for (size_t j = 0; j < rix.n; j++) {
		if (!taken[j]) {
			drop_index(c, rt, rix.v[j]);
		}
	}
	free(match);
	free(taken);
	mig_vec_free(&dix);
	mig_vec_free(&rix);
}

static void compare_uniques(struct cmp *c, const struct mig_table *dt, const struct mig_table *rt)
{
	MIG_VEC(struct ukey) keys = { 0 };
	for (size_t i = 0; i < dt->uniques.n; i++) {
		const struct mig_unique *u = &dt->uniques.v[i];
		struct ukey k = { u->name, { NULL, 0, 0 }, u->deferrable, u, NULL };
		for (size_t j = 0; j < u->columns.n; j++) {
			mig_vec_push(&k.columns, u->columns.v[j]);
		}
		mig_vec_push(&keys, k);
	}
	for (size_t i = 0; c->d->unique_index_is_constraint && i < dt->indexes.n; i++) {
		const struct mig_index *ix = &dt->indexes.v[i];
		if (!plain_unique_index(ix)) {
			continue;
		}
		struct ukey k = { ix->name, { NULL, 0, 0 }, false, NULL, ix };
		for (size_t j = 0; j < ix->elems.n; j++) {
			mig_vec_push(&k.columns, ix->elems.v[j].column);
		}
		mig_vec_push(&keys, k);
	}
	long *match = xcalloc(keys.n + 1, sizeof(long));
	bool *taken = xcalloc(rt->uniques.n + 1, sizeof(bool));
	match_items(c, keys.n, ukey_name, keys.v, rt->uniques.n, unique_name, rt->uniques.v,
		    ukey_same, match, taken);
	for (size_t i = 0; i < keys.n; i++) {
		const struct ukey *k = &keys.v[i];
		if (match[i] >= 0) {
			const struct mig_unique *ru = &rt->uniques.v[match[i]];
			bool same = ukey_same(c, keys.v, i, rt->uniques.v, (size_t)match[i]) &&
				    (!c->d->deferrable || k->deferrable == ru->deferrable);
			if (same) {
				continue;
			}
			drop_constraint(c, P_DROP_CONSTRAINT, rt, MIG_CONSTRAINT_UNIQUE, ru->name,
					ru);
		}
		if (k->index) {
			create_index(c, dt, k->index);
		} else {
			struct mig_op op;
			op_init(&op, MIG_OP_CREATE_UNIQUE_CONSTRAINT, dt);
			op.unique = (struct mig_unique *)k->unique;
			push(c, P_CREATE_CONSTRAINT, &op);
		}
	}
	for (size_t j = 0; j < rt->uniques.n; j++) {
		if (!taken[j]) {
			const struct mig_unique *ru = &rt->uniques.v[j];
			drop_constraint(c, P_DROP_CONSTRAINT, rt, MIG_CONSTRAINT_UNIQUE, ru->name,
					ru);
		}
	}
	for (size_t i = 0; i < keys.n; i++) {
		mig_vec_free(&keys.v[i].columns);
	}
	mig_vec_free(&keys);
	free(match);
	free(taken);
}

static bool constraint_named(const struct mig_table *t, const char *name)
{
	if (mig_streq(t->pk.name, name)) {
		return true;
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		if (mig_streq(t->checks.v[i].name, name)) {
			return true;
		}
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		if (mig_streq(t->uniques.v[i].name, name)) {
			return true;
		}
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		if (mig_streq(t->fks.v[i].name, name)) {
			return true;
		}
	}
	return false;
}

/* The name PostgreSQL would give an unnamed check: <table>_<column>_check
 * when it names one column, else <table>_check, numbered when taken. The
 * op carries it, so that the downgrade can drop the check by name. */
static const char *check_name_for(struct cmp *c, const struct mig_table *dt,
				  const struct mig_table *rt, const char *sql)
{
	struct toks t = { { NULL, 0, 0 }, &c->arena };
	const char *column = NULL;
	bool several = false;
	lex(&t, sql);
	for (size_t i = 0; i < t.v.n; i++) {
		const struct mig_column *col = NULL;
		for (size_t k = 0; t.v.v[i].kind == TK_WORD && k < dt->columns.n && !col; k++) {
			col = mig_strieq(dt->columns.v[k].name, t.v.v[i].text) ? &dt->columns.v[k]
									       : NULL;
		}
		if (col && column && !mig_streq(column, col->name)) {
			several = true;
		} else if (col) {
			column = col->name;
		}
	}
	mig_vec_free(&t.v);
	const char *base = column && !several
				   ? mig_arena_printf(&c->arena, "%s_%s_check", dt->name, column)
				   : mig_arena_printf(&c->arena, "%s_check", dt->name);
	const char *name = base;
	for (int n = 1; (constraint_named(rt, name) && !mig_strlist_has(&c->freed_names, name)) ||
			constraint_named(dt, name) || mig_strlist_has(&c->check_names, name);
	     n++) {
		name = mig_arena_printf(&c->arena, "%s%d", base, n);
	}
	mig_strlist_push(&c->check_names, name);
	return name;
}

static void compare_checks(struct cmp *c, const struct mig_table *dt, const struct mig_table *rt,
			   const bool *enum_check)
{
	MIG_VEC(const struct mig_check *) dck = { 0 };
	MIG_VEC(const struct mig_check *) rck = { 0 };
	for (size_t i = 0; i < dt->checks.n; i++) {
		mig_vec_push(&dck, &dt->checks.v[i]);
	}
	for (size_t i = 0; i < rt->checks.n; i++) {
		if (!enum_check[i]) {
			mig_vec_push(&rck, &rt->checks.v[i]);
		}
	}
	long *match = xcalloc(dck.n + 1, sizeof(long));
	bool *taken = xcalloc(rck.n + 1, sizeof(bool));
	match_items(c, dck.n, check_name, dck.v, rck.n, check_name, rck.v, check_same, match,
		    taken);
	/* the drops first: their names are free for the new checks */
	bool *changed = xcalloc(dck.n + 1, sizeof(bool));
	for (size_t i = 0; i < dck.n; i++) {
		changed[i] = match[i] < 0 || !same_expr(dck.v[i]->sql, rck.v[match[i]]->sql);
		if (match[i] >= 0 && changed[i]) {
			const struct mig_check *rc = rck.v[match[i]];
			drop_constraint(c, P_DROP_CONSTRAINT, rt, MIG_CONSTRAINT_CHECK, rc->name,
					rc);
			mig_strlist_push(&c->freed_names, rc->name ? rc->name : "");
		}
	}
	for (size_t j = 0; j < rck.n; j++) {
		if (!taken[j]) {
			drop_constraint(c, P_DROP_CONSTRAINT, rt, MIG_CONSTRAINT_CHECK,
					rck.v[j]->name, rck.v[j]);
			mig_strlist_push(&c->freed_names, rck.v[j]->name ? rck.v[j]->name : "");
		}
	}
	for (size_t i = 0; i < dck.n; i++) {
		if (!changed[i]) {
			continue;
		}
		struct mig_op op;
		struct mig_check named = *dck.v[i];
		if (!named.name && c->d->name_checks) {
			named.name = check_name_for(c, dt, rt, named.sql);
		}
		op_init(&op, MIG_OP_CREATE_CHECK_CONSTRAINT, dt);
		op.check = &named;
		push(c, P_CREATE_CONSTRAINT, &op);
	}
	mig_strlist_release(&c->freed_names);
	free(changed);
	free(match);
	free(taken);
	mig_vec_free(&dck);
	mig_vec_free(&rck);
}

static void compare_fks(struct cmp *c, const struct mig_table *dt, const struct mig_table *rt)
{
	long *match = xcalloc(dt->fks.n + 1, sizeof(long));
	bool *taken = xcalloc(rt->fks.n + 1, sizeof(bool));
	match_items(c, dt->fks.n, fk_name, dt->fks.v, rt->fks.n, fk_name, rt->fks.v, fk_same_v,
		    match, taken);
	for (size_t i = 0; i < dt->fks.n; i++) {
		const struct mig_foreign_key *f = &dt->fks.v[i];
		if (match[i] >= 0) {
			const struct mig_foreign_key *rf = &rt->fks.v[match[i]];
			if (fk_same(c, f, rf)) {
				continue;
			}
			drop_constraint(c, P_DROP_FK, rt, MIG_CONSTRAINT_FOREIGNKEY, rf->name, rf);
		}
		create_fk(c, dt, f);
	}
	for (size_t j = 0; j < rt->fks.n; j++) {
		if (!taken[j]) {
			const struct mig_foreign_key *rf = &rt->fks.v[j];
			drop_constraint(c, P_DROP_FK, rt, MIG_CONSTRAINT_FOREIGNKEY, rf->name, rf);
		}
	}
	free(match);
	free(taken);
}

/* ---- one table in both ---- */

/* Whether a dropped column and an added one could be the same column
 * renamed: the same type (any enum for an enum). */
static bool similar_columns(struct cmp *c, const struct mig_table *dt,
			    const struct mig_column *dc, const struct mig_table *rt,
			    const struct mig_column *rc)
{
	if (type_enum(c->decl, &dc->type) || type_enum(c->work, &rc->type)) {
		return type_enum(c->decl, &dc->type) && type_enum(c->work, &rc->type);
	}
	return same_type(c, dt, dc, rt, rc);
}

static void rename_column_hint(struct cmp *c, const struct mig_table *dt, const char *old,
			       const char *now, size_t add_at, size_t drop_at)
{
	const char *t = qn(c, dt->schema, dt->name);
	const char *text = mig_arena_printf(
		&c->arena,
		"possible rename: replace these two ops with `alter_column: {table: %s, column: "
		"%s, new_name: %s}` to keep the data",
		t, old, now);
	note(c, P_ADD_COLUMN, add_at, text);
	note(c, P_DROP_COLUMN, drop_at, text);
	hint(c,
	     "possible rename of column '%s.%s' to '%s': run again with --rename %s.%s:%s to "
	     "keep its data",
	     t, old, now, t, old, now);
}

static int compare_table(struct cmp *c, const struct mig_table *dt, const struct mig_table *rt)
{
	int err = 0;
	const char *where = qn(c, dt->schema, dt->name);
	bool *enum_check = xcalloc(rt->checks.n + 1, sizeof(bool));
	MIG_VEC(size_t) added = { 0 };   /* declared column indexes, model order */
	MIG_VEC(size_t) dropped = { 0 }; /* reflected column indexes */
	/* a whole new single-column key goes with its column */
	bool pk_same = name_lists_eq(c, dt->pk.columns.v, dt->pk.columns.n, rt->pk.columns.v,
				     rt->pk.columns.n);
	const char *pk_with_column = NULL;
	if (!pk_same && rt->pk.columns.n == 0 && dt->pk.columns.n == 1 &&
	    !mig_table_find_column(rt, dt->pk.columns.v[0])) {
		pk_with_column = dt->pk.columns.v[0];
	}
	if (!pk_same && rt->pk.columns.n) {
		drop_constraint(c, P_DROP_CONSTRAINT, rt, MIG_CONSTRAINT_PRIMARY, rt->pk.name,
				NULL);
	}
	for (size_t i = 0; i < dt->columns.n; i++) {
		const struct mig_column *dc = &dt->columns.v[i];
		const struct mig_column *rc = mig_table_find_column(rt, dc->name);
		if (!rc) {
			mig_vec_push(&added, i);
			continue;
		}
		struct col_enum re;
		bool has_re = reflected_enum(c, rt, rc, type_enum(c->decl, &dc->type), &re);
		if (has_re && re.check != SIZE_MAX) {
			enum_check[re.check] = true;
		}
		compare_column(c, dt, dc, rt, rc, has_re ? &re : NULL, &err);
		mig_vec_free(&re.values);
		if (err < 0) {
			goto done;
		}
	}
	for (size_t i = rt->columns.n; i-- > 0;) {
		if (!mig_table_find_column(dt, rt->columns.v[i].name)) {
			mig_vec_push(&dropped, i);
		}
	}
	size_t first_add = c->phase[P_ADD_COLUMN].ops.n;
	for (size_t k = 0; k < added.n; k++) {
		const struct mig_column *dc = &dt->columns.v[added.v[k]];
		struct mig_op op;
		struct mig_column col;
		op_init(&op, MIG_OP_ADD_COLUMN, dt);
		added_column(dc, mig_streq(pk_with_column, dc->name), &col);
		op.column_def = &col;
		need_enum(c, &dc->type);
		push(c, P_ADD_COLUMN, &op);
		if (!dc->nullable && !dc->default_sql && !dc->computed_sql && !dc->identity &&
		    !autoincrements(dt, dc)) {
			hint(c,
			     "column '%s.%s' is added NOT NULL without a default: the upgrade "
			     "fails if the table has rows (give it a default, or add it nullable, "
			     "fill it, then make it NOT NULL)",
			     where, dc->name);
		}
	}
	size_t first_drop = c->phase[P_DROP_COLUMN].ops.n;
	for (size_t k = 0; k < dropped.n; k++) {
		struct mig_op op;
		op_init(&op, MIG_OP_DROP_COLUMN, rt);
		op.column = rt->columns.v[dropped.v[k]].name;
		push(c, P_DROP_COLUMN, &op);
	}
	/* one column lost and one of its type gained (among others): a rename? */
	for (size_t k = 0; k < added.n; k++) {
		const struct mig_column *dc = &dt->columns.v[added.v[k]];
		size_t match = 0, other = 0;
		for (size_t j = 0; j < dropped.n; j++) {
			if (similar_columns(c, dt, dc, rt, &rt->columns.v[dropped.v[j]])) {
				match++;
				other = j;
			}
		}
		if (match != 1) {
			continue;
		}
		const struct mig_column *rc = &rt->columns.v[dropped.v[other]];
		size_t back = 0;
		for (size_t j = 0; j < added.n; j++) {
			back += similar_columns(c, dt, &dt->columns.v[added.v[j]], rt, rc);
		}
		if (back == 1 && (dropped.n == 1 || added.n == 1)) {
			rename_column_hint(c, dt, rc->name, dc->name, first_add + k,
					   first_drop + other);
		}
	}
	if (!pk_same && dt->pk.columns.n && !pk_with_column) {
		struct mig_op op;
		op_init(&op, MIG_OP_CREATE_PRIMARY_KEY, dt);
		op.pk = (struct mig_primary_key *)&dt->pk;
		push(c, P_CREATE_CONSTRAINT, &op);
	}
	compare_uniques(c, dt, rt);
	compare_checks(c, dt, rt, enum_check);
	compare_indexes(c, dt, rt);
	compare_fks(c, dt, rt);
	if (c->d->comments && !same_text(dt->comment, rt->comment)) {
		struct mig_op op;
		bool now = dt->comment && *dt->comment;
		op_init(&op, now ? MIG_OP_CREATE_TABLE_COMMENT : MIG_OP_DROP_TABLE_COMMENT, dt);
		op.table_comment = now ? dt->comment : NULL;
		op.existing_comment = optstr(rt->comment && *rt->comment ? rt->comment : NULL);
		push(c, P_ALTER_COLUMN, &op);
	}
done:
	free(enum_check);
	mig_vec_free(&added);
	mig_vec_free(&dropped);
	return err;
}

/* ---- new and dropped tables ---- */

/* A list of tables (borrowed), for the mig_vec_* macros. */
struct tlist {
	const struct mig_table **v;
	size_t n;
	size_t alloc;
};

/* Whether a foreign key of a new table can be written in its CREATE TABLE:
 * its target exists before it (an older table that already has the key it
 * references, or a new table created earlier, or the table itself). */
static bool target_ready(struct cmp *c, const struct mig_table *t,
			 const struct mig_foreign_key *f, const bool *created, size_t ncreated,
			 const struct tlist *news)
{
	if (names_eq(c, f->ref_table, t->name) && mig_streq(f->ref_schema, t->schema)) {
		return true;
	}
	for (size_t i = 0; i < ncreated; i++) {
		const struct mig_table *n = news->v[i];
		if (names_eq(c, f->ref_table, n->name) && mig_streq(f->ref_schema, n->schema)) {
			return created[i];
		}
	}
	const struct mig_table *rt = work_table(c, f->ref_schema, f->ref_table);
	if (!rt) {
		return false;
	}
	if (name_lists_eq(c, rt->pk.columns.v, rt->pk.columns.n, f->ref_columns.v,
			  f->ref_columns.n)) {
		return true;
	}
	for (size_t i = 0; i < rt->uniques.n; i++) {
		const struct mig_unique *u = &rt->uniques.v[i];
		if (name_lists_eq(c, u->columns.v, u->columns.n, f->ref_columns.v,
				  f->ref_columns.n)) {
			return true;
		}
	}
	for (size_t i = 0; i < rt->indexes.n; i++) {
		const struct mig_index *ix = &rt->indexes.v[i];
		bool same = plain_unique_index(ix) && ix->elems.n == f->ref_columns.n;
		for (size_t k = 0; same && k < ix->elems.n; k++) {
			same = names_eq(c, ix->elems.v[k].column, f->ref_columns.v[k]);
		}
		if (same) {
			return true;
		}
	}
	return false;
}

/* Whether f references one of the new tables not created yet (other than t). */
static bool waits_for(struct cmp *c, const struct mig_table *t, const struct mig_foreign_key *f,
		      const bool *created, const struct tlist *news)
{
	if (names_eq(c, f->ref_table, t->name) && mig_streq(f->ref_schema, t->schema)) {
		return false;
	}
	for (size_t i = 0; i < news->n; i++) {
		const struct mig_table *n = news->v[i];
		if (names_eq(c, f->ref_table, n->name) && mig_streq(f->ref_schema, n->schema)) {
			return !created[i];
		}
	}
	return false;
}

/* create_table for each new table, each after the new tables its foreign
 * keys reference; in a cycle the first table (in model order) goes first
 * without its foreign keys to the others, which create_foreign_key adds
 * once they exist. A foreign key to an older table that does not have the
 * key yet is added after it too. Returns the index of each table's op. */
static void create_tables(struct cmp *c, const struct tlist *news, size_t *op_at)
{
	bool *created = xcalloc(news->n + 1, sizeof(bool));
	for (size_t done = 0; done < news->n; done++) {
		size_t pick = news->n;
		for (size_t i = 0; i < news->n && pick == news->n; i++) {
			bool ready = !created[i];
			const struct mig_table *t = news->v[i];
			for (size_t k = 0; ready && k < t->fks.n; k++) {
				ready = !waits_for(c, t, &t->fks.v[k], created, news);
			}
			if (ready) {
				pick = i;
			}
		}
		for (size_t i = 0; i < news->n && pick == news->n; i++) {
			pick = created[i] ? pick : i; /* a cycle: the first one left */
		}
		const struct mig_table *t = news->v[pick];
		struct mig_table def = *t;
		def.fks.v = NULL;
		def.fks.n = def.fks.alloc = 0;
		MIG_VEC(const struct mig_foreign_key *) later = { 0 };
		for (size_t k = 0; k < t->fks.n; k++) {
			const struct mig_foreign_key *f = &t->fks.v[k];
			if (target_ready(c, t, f, created, news->n, news)) {
				mig_vec_push(&def.fks, *f);
			} else {
				mig_vec_push(&later, f);
			}
		}
		struct mig_op op;
		op_init(&op, MIG_OP_CREATE_TABLE, t);
		op.table_def = &def;
		need_table_enums(c, t);
		op_at[pick] = c->phase[P_CREATE_TABLE].ops.n;
		push(c, P_CREATE_TABLE, &op);
		for (size_t k = 0; k < later.n; k++) {
			create_fk(c, t, later.v[k]);
		}
		mig_vec_free(&later);
		mig_vec_free(&def.fks);
		created[pick] = true;
	}
	free(created);
}

/* The key of table schema.name in a map of tables: names compared as
 * names_eq does (ASCII case folded on MySQL). A new string. */
static char *fk_target_key(const struct cmp *c, const char *schema, const char *name)
{
	char *k = xasprintf("%s\x1f%s", schema ? schema : "", name);
	if (c->d == &rules_my) {
		for (char *p = k; *p; p++) {
			*p = (char)tolower((unsigned char)*p);
		}
	}
	return k;
}

/* drop_table for each table the models no longer have, each before the
 * tables it references; in a cycle the foreign keys that point at the first
 * table left are dropped first. Each round drops the first table (in the
 * order of gone) that no table left references: refs[i] counts the tables
 * left that reference table i, so a round costs O(n), not a scan of every
 * foreign key of every pair. */
static void drop_tables(struct cmp *c, const struct tlist *gone, size_t *op_at)
{
	bool *dropped = xcalloc(gone->n + 1, sizeof(bool));
	size_t *refs = xcalloc(gone->n + 1, sizeof(size_t));
	/* targets.v[k]: the tables of gone that table k references (each once,
	 * itself left out) */
	MIG_VEC(size_t) *targets = xcalloc(gone->n + 1, sizeof(*targets));
	struct mig_strmap index = MIG_STRMAP_INIT;
	struct mig_strlist keys = MIG_STRLIST_INIT;
	mig_strmap_reserve(&index, gone->n);
	for (size_t i = 0; i < gone->n; i++) {
		char *k = fk_target_key(c, gone->v[i]->schema, gone->v[i]->name);
		mig_strlist_push_owned(&keys, k);
		mig_strmap_put(&index, k, (void *)(uintptr_t)(i + 1));
	}
	for (size_t k = 0; k < gone->n; k++) {
		const struct mig_table *t = gone->v[k];
		for (size_t j = 0; j < t->fks.n; j++) {
			char *key = fk_target_key(c, t->fks.v[j].ref_schema, t->fks.v[j].ref_table);
			uintptr_t hit = (uintptr_t)mig_strmap_get(&index, key);
			free(key);
			if (!hit || hit - 1 == k) {
				continue;
			}
			size_t to = hit - 1, seen = 0;
			while (seen < targets[k].n && targets[k].v[seen] != to) {
				seen++;
			}
			if (seen == targets[k].n) {
				mig_vec_push(&targets[k], to);
				refs[to]++;
			}
		}
	}
	for (size_t done = 0; done < gone->n; done++) {
		size_t pick = gone->n;
		for (size_t i = 0; i < gone->n && pick == gone->n; i++) {
			if (!dropped[i] && refs[i] == 0) {
				pick = i;
			}
		}
		if (pick == gone->n) {
			for (size_t i = 0; i < gone->n && pick == gone->n; i++) {
				pick = dropped[i] ? pick : i;
			}
			const struct mig_table *t = gone->v[pick];
			for (size_t k = 0; k < gone->n; k++) {
				const struct mig_table *o = gone->v[k];
				for (size_t j = 0; k != pick && !dropped[k] && j < o->fks.n; j++) {
					const struct mig_foreign_key *f = &o->fks.v[j];
					if (names_eq(c, f->ref_table, t->name) &&
					    mig_streq(f->ref_schema, t->schema)) {
						drop_constraint(c, P_DROP_FK, o,
								MIG_CONSTRAINT_FOREIGNKEY,
								f->name, f);
					}
				}
			}
		}
		struct mig_op op;
		op_init(&op, MIG_OP_DROP_TABLE, gone->v[pick]);
		op_at[pick] = c->phase[P_DROP_TABLE].ops.n;
		push(c, P_DROP_TABLE, &op);
		dropped[pick] = true;
		for (size_t j = 0; j < targets[pick].n; j++) {
			refs[targets[pick].v[j]]--;
		}
	}
	for (size_t k = 0; k < gone->n; k++) {
		mig_vec_free(&targets[k]);
	}
	free(targets);
	mig_strmap_release(&index);
	mig_strlist_release(&keys);
	free(refs);
	free(dropped);
}

/* Two tables of the same shape: the same columns (names and types), in the
 * same order. */
static bool same_shape(struct cmp *c, const struct mig_table *dt, const struct mig_table *rt)
{
	if (dt->columns.n != rt->columns.n) {
		return false;
	}
	for (size_t i = 0; i < dt->columns.n; i++) {
		const struct mig_column *dc = &dt->columns.v[i], *rc = &rt->columns.v[i];
		if (!names_eq(c, dc->name, rc->name)) {
			return false;
		}
		bool enums = type_enum(c->decl, &dc->type) && type_enum(c->work, &rc->type);
		if (!enums && !same_type(c, dt, dc, rt, rc)) {
			return false;
		}
	}
	return true;
}

static void rename_table_hints(struct cmp *c, const struct tlist *news, const size_t *create_at,
			       const struct tlist *gone, const size_t *drop_at)
{
	for (size_t i = 0; i < news->n; i++) {
		size_t hit = gone->n, count = 0;
		for (size_t j = 0; j < gone->n; j++) {
			if (mig_streq(news->v[i]->schema, gone->v[j]->schema) &&
			    same_shape(c, news->v[i], gone->v[j])) {
				hit = j;
				count++;
			}
		}
		if (count != 1) {
			continue;
		}
		size_t back = 0; /* the dropped table must match this one alone */
		for (size_t k = 0; k < news->n; k++) {
			back += mig_streq(news->v[k]->schema, gone->v[hit]->schema) &&
				same_shape(c, news->v[k], gone->v[hit]);
		}
		if (back != 1) {
			continue;
		}
		const char *from = qn(c, gone->v[hit]->schema, gone->v[hit]->name);
		const char *to = news->v[i]->name;
		const char *text = mig_arena_printf(
			&c->arena,
			"possible rename: replace these two ops with `rename_table: {name: %s, "
			"new_name: %s}` to keep the data",
			from, to);
		note(c, P_CREATE_TABLE, create_at[i], text);
		note(c, P_DROP_TABLE, drop_at[hit], text);
		hint(c,
		     "possible rename of table '%s' to '%s': run again with --rename %s:%s to keep "
		     "its data",
		     from, to, from, to);
	}
}

static int compare_tables(struct cmp *c)
{
	struct tlist news = { NULL, 0, 0 }, gone = { NULL, 0, 0 };
	int rc = 0;
	for (size_t i = 0; i < c->decl->tables.n; i++) {
		const struct mig_table *dt = &c->decl->tables.v[i];
		if (!considered(c, dt->schema, dt->name)) {
			if (dt->schema && !c->opts->include_schemas &&
			    !mig_reflect_excluded(&c->ropts, dt->schema, dt->name)) {
				hint(c,
				     "table '%s.%s' is in the schema '%s', which is not compared: "
				     "set include_schemas = true in migrate.ini to compare it",
				     dt->schema, dt->name, dt->schema);
			}
			continue;
		}
		const struct mig_table *rt = work_table(c, dt->schema, dt->name);
		if (!rt) {
			mig_vec_push(&news, dt);
		} else if ((rc = compare_table(c, dt, rt)) < 0) {
			goto done;
		}
	}
	for (size_t i = 0; i < c->work->tables.n; i++) {
		const struct mig_table *rt = &c->work->tables.v[i];
		if (considered(c, rt->schema, rt->name) &&
		    !decl_table(c, rt->schema, rt->name)) {
			mig_vec_push(&gone, rt);
		}
	}
	if (gone.n && !news.n && !c->decl->tables.n) {
		hint(c, "the models declare no tables: every table of the database would be "
			"dropped (is 'models' in migrate.ini right?)");
	}
	size_t *create_at = xcalloc(news.n + 1, sizeof(size_t));
	size_t *drop_at = xcalloc(gone.n + 1, sizeof(size_t));
	create_tables(c, &news, create_at);
	drop_tables(c, &gone, drop_at);
	rename_table_hints(c, &news, create_at, &gone, drop_at);
	free(create_at);
	free(drop_at);
done:
	mig_vec_free(&news);
	mig_vec_free(&gone);
	return rc;
}

/* ---- renames asked for ---- */

static int rename_error(const char *spec, const char *fmt, ...) MIG_PRINTF(2, 3);
static int rename_error(const char *spec, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_error(MIG_ECLASS_USAGE, "--rename '%s': %s", spec, s.buf);
	mig_str_release(&s);
	return MIG_ERROR;
}

static int apply_rename(struct cmp *c, const struct mig_op *op)
{
	push(c, P_RENAME, op);
	int rc = mig_schema_apply(c->work, op);
	return rc < 0 ? rc : 0;
}

static int rename_table(struct cmp *c, const char *spec, const struct mig_table *rt,
			const char *now)
{
	if (strchr(now, '.')) {
		return rename_error(spec, "the new name must be a bare table name (a table stays "
					  "in its schema)");
	}
	const char *old = qn(c, rt->schema, rt->name);
	if (mig_schema_find_table(c->decl, rt->schema, rt->name)) {
		return rename_error(spec, "the models still declare table '%s'", old);
	}
	if (!mig_schema_find_table(c->decl, rt->schema, now)) {
		return rename_error(spec, "the models declare no table '%s'",
				    qn(c, rt->schema, now));
	}
	if (mig_schema_find_table(c->work, rt->schema, now)) {
		return rename_error(spec, "the database has a table '%s' already",
				    qn(c, rt->schema, now));
	}
	struct mig_op op;
	op_init(&op, MIG_OP_RENAME_TABLE, rt);
	op.new_name = now;
	return apply_rename(c, &op);
}

static int rename_column(struct cmp *c, const char *spec, const char *table, const char *old,
			 const char *now)
{
	const char *schema, *name;
	mig_split_qualname(&c->arena, table, &schema, &name);
	const struct mig_table *rt = mig_schema_find_table(c->work, schema, name);
	const struct mig_table *dt = mig_schema_find_table(c->decl, schema, name);
	if (!rt) {
		return rename_error(spec, "the database has no table '%s'", table);
	}
	if (!dt) {
		return rename_error(spec, "the models declare no table '%s'", table);
	}
	const struct mig_column *rc = mig_table_find_column(rt, old);
	if (!rc) {
		return rename_error(spec, "table '%s' has no column '%s' in the database", table,
				    old);
	}
	if (mig_table_find_column(dt, old)) {
		return rename_error(spec, "the models still declare column '%s.%s'", table, old);
	}
	if (!mig_table_find_column(dt, now)) {
		return rename_error(spec, "the models declare no column '%s.%s'", table, now);
	}
	if (mig_table_find_column(rt, now)) {
		return rename_error(spec, "table '%s' has a column '%s' already in the database",
				    table, now);
	}
	struct mig_op op;
	op_init(&op, MIG_OP_ALTER_COLUMN, rt);
	op.column = rc->name;
	op.alter.new_name = now;
	op.alter.existing_type = rc->type;
	op.alter.existing_nullable = tri(rc->nullable);
	return apply_rename(c, &op);
}

/* --rename old:new: a table when old names one in the database, else a
 * column (table.old); tables first, so that a column rename may name its
 * table by the new name. */
static int apply_renames(struct cmp *c)
{
	const struct mig_strlist *l = c->opts->renames;
	int rc = 0;
	if (!l || !l->n) {
		return 0;
	}
	bool *column = xcalloc(l->n, sizeof(bool));
	for (size_t i = 0; i < l->n && rc == 0; i++) {
		const char *spec = l->v[i];
		const char *colon = strchr(spec, ':');
		if (!colon || colon == spec || !colon[1] || strchr(colon + 1, ':')) {
			rc = rename_error(spec, "write old:new (a table) or table.old:new (a "
						"column)");
			break;
		}
		char *old = xstrndup(spec, (size_t)(colon - spec));
		const char *schema, *name;
		mig_split_qualname(&c->arena, old, &schema, &name);
		const struct mig_table *rt = mig_schema_find_table(c->work, schema, name);
		if (rt) {
			rc = rename_table(c, spec, rt, colon + 1);
		} else if (strchr(old, '.')) {
			column[i] = true;
		} else {
			rc = rename_error(spec, "the database has no table '%s'", old);
		}
		free(old);
	}
	for (size_t i = 0; i < l->n && rc == 0; i++) {
		if (!column[i]) {
			continue;
		}
		const char *spec = l->v[i];
		const char *colon = strchr(spec, ':');
		char *old = xstrndup(spec, (size_t)(colon - spec));
		char *dot = strrchr(old, '.');
		*dot = '\0';
		rc = rename_column(c, spec, old, dot + 1, colon + 1);
		free(old);
	}
	free(column);
	return rc;
}

/* ---- putting it together ---- */

/* Enums the upgrade leaves unused (and, natively, the models do not
 * declare): dropped last. */
static int drop_enums(struct cmp *c, const struct mig_schema *reflected)
{
	if (!reflected->enums.n) {
		return 0;
	}
	struct mig_oplist all;
	mig_oplist_init(&all);
	for (int p = 0; p < P_DROP_ENUM; p++) {
		for (size_t i = 0; i < c->phase[p].ops.n; i++) {
			/* (SQLite keeps enum values in CHECKs the schema cannot follow) */
			if (c->phase[p].ops.v[i].kind != MIG_OP_ADD_ENUM_VALUE) {
				mig_oplist_push(&all, &c->phase[p].ops.v[i]);
			}
		}
	}
	struct mig_schema *after = mig_schema_copy(reflected);
	int rc = mig_schema_apply_all(after, &all, NULL);
	if (rc < 0) {
		mig_error_prefix("cannot apply the ops found to the database's schema");
		goto done;
	}
	for (size_t i = 0; i < reflected->enums.n; i++) {
		const struct mig_enum *e = &reflected->enums.v[i];
		if (e->schema && !c->opts->include_schemas) {
			continue;
		}
		if (c->native_enums && mig_schema_find_enum(c->decl, e->schema, e->name)) {
			continue;
		}
		const char *q = qn(c, e->schema, e->name);
		bool used = false;
		for (size_t t = 0; t < after->tables.n && !used; t++) {
			const struct mig_table *tt = &after->tables.v[t];
			for (size_t k = 0; k < tt->columns.n && !used; k++) {
				const struct mig_type *ty = &tt->columns.v[k].type;
				const struct mig_enum *ce = type_enum(after, ty);
				used = ce && mig_streq(qn(c, ce->schema, ce->name), q);
			}
		}
		if (used || !mig_schema_find_enum(after, e->schema, e->name)) {
			continue;
		}
		struct mig_op op;
		op_init(&op, MIG_OP_DROP_ENUM, NULL);
		op.schema = e->schema;
		op.name = e->name;
		push(c, P_DROP_ENUM, &op);
	}
done:
	mig_schema_free(after);
	mig_oplist_release(&all);
	return rc;
}

static void create_needed_enums(struct cmp *c)
{
	for (size_t i = 0; i < c->decl->enums.n; i++) {
		const struct mig_enum *e = &c->decl->enums.v[i];
		if (!mig_strlist_has(&c->needed_enums, qn(c, e->schema, e->name))) {
			continue;
		}
		struct mig_op op;
		op_init(&op, MIG_OP_CREATE_ENUM, NULL);
		op.schema = e->schema;
		op.name = e->name;
		op.enum_values.v = e->values.v;
		op.enum_values.n = e->values.n;
		push(c, P_CREATE_ENUM, &op);
	}
}

/* "'a', 'b' and 'c'" */
static void quoted_list(struct mig_str *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mig_str_addf(s, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]);
	}
}

/* The downgrade: the inverse of every op, against the schema before it.
 * A value added to an enum has none: it stays, and the downgrade says so. */
static int invert(struct cmp *c, const struct mig_oplist *up, const struct mig_schema *reflected,
		  struct mig_oplist *down)
{
	struct mig_oplist rest;
	struct mig_schema *before = mig_schema_copy(reflected);
	struct mig_str says = MIG_STR_INIT;
	int rc = 0;
	mig_oplist_init(&rest);
	for (size_t i = 0; i < up->ops.n; i++) {
		const struct mig_op *op = &up->ops.v[i];
		if (op->kind != MIG_OP_ADD_ENUM_VALUE) {
			mig_oplist_push(&rest, op);
			continue;
		}
		/* (SQLite: the enum is in CHECKs, which the schema cannot follow) */
		if (mig_schema_find_enum(before, op->schema, op->name) &&
		    (rc = mig_schema_apply(before, op)) < 0) {
			goto done;
		}
		bool first = i == 0 || up->ops.v[i - 1].kind != MIG_OP_ADD_ENUM_VALUE ||
			     !mig_streq(up->ops.v[i - 1].name, op->name) ||
			     !mig_streq(up->ops.v[i - 1].schema, op->schema);
		if (!first) {
			continue;
		}
		MIG_VEC(const char *) values = { 0 };
		for (size_t k = i; k < up->ops.n && up->ops.v[k].kind == MIG_OP_ADD_ENUM_VALUE &&
				   mig_streq(up->ops.v[k].name, op->name) &&
				   mig_streq(up->ops.v[k].schema, op->schema);
		     k++) {
			mig_vec_push(&values, up->ops.v[k].value);
		}
		mig_str_addf(&says, "%sthe upgrade adds ", says.len ? "; " : "");
		quoted_list(&says, values.v, values.n);
		mig_str_addf(&says, " to enum '%s'", qn(c, op->schema, op->name));
		mig_vec_free(&values);
	}
	size_t first = down->ops.n;
	if ((rc = mig_oplist_invert(&rest, before, down)) < 0) {
		goto done;
	}
	if (says.len) {
		static const char native[] = ", which the downgrade leaves: a value cannot be "
					     "removed from an enum type without recreating it";
		static const char inline_[] = ", which the downgrade leaves: add_enum_value has "
					      "no inverse (write one by hand if the value must go)";
		mig_str_add(&says, c->native_enums ? native : inline_);
		hint(c, "%s", says.buf);
		if (down->ops.n > first) {
			struct mig_op *o = &down->ops.v[first];
			o->note = mig_arena_strdup(&down->pool.arena, says.buf);
		}
	}
done:
	mig_str_release(&says);
	mig_oplist_release(&rest);
	mig_schema_free(before);
	return rc;
}

void mig_compare_opts_init(struct mig_compare_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->compare_type = true;
	opts->compare_server_default = true;
}

int mig_compare(const struct mig_dialect_impl *impl, const struct mig_schema *declared,
		const struct mig_schema *reflected, const struct mig_compare_opts *opts,
		struct mig_oplist *upgrade, struct mig_oplist *downgrade,
		struct mig_strlist *hints)
{
	struct mig_compare_opts defaults;
	struct cmp c;
	int rc;
	if (!opts) {
		mig_compare_opts_init(&defaults);
		opts = &defaults;
	}
	memset(&c, 0, sizeof(c));
	c.impl = impl;
	c.d = rules_for(impl);
	c.native_enums = impl && (impl->caps & MIG_CAP_NATIVE_ENUMS);
	c.opts = opts;
	c.ropts.version_table = opts->version_table;
	c.ropts.history_table = opts->history_table;
	c.ropts.exclude_tables = opts->exclude_tables;
	c.ropts.include_schemas = opts->include_schemas;
	c.decl = declared;
	c.work = mig_schema_copy(reflected);
	c.hints = hints ? hints : &c.hint_buf;
	for (int p = 0; p < P_COUNT; p++) {
		mig_oplist_init(&c.phase[p]);
	}
	if ((rc = apply_renames(&c)) < 0) {
		goto done;
	}
	index_tables(&c, c.decl, &c.decl_tables);
	index_tables(&c, c.work, &c.work_tables);
	if ((rc = compare_enums(&c)) < 0 || (rc = compare_tables(&c)) < 0) {
		goto done;
	}
	create_needed_enums(&c);
	if ((rc = drop_enums(&c, reflected)) < 0) {
		goto done;
	}
	struct mig_oplist up;
	mig_oplist_init(&up);
	for (int p = 0; p < P_COUNT; p++) {
		mig_oplist_extend(&up, &c.phase[p]);
	}
	rc = up.ops.n ? invert(&c, &up, reflected, downgrade) : 0;
	if (rc == 0) {
		mig_oplist_extend(upgrade, &up);
	}
	mig_oplist_release(&up);
done:
	for (int p = 0; p < P_COUNT; p++) {
		mig_oplist_release(&c.phase[p]);
	}
	mig_strlist_release(&c.needed_enums);
	mig_strlist_release(&c.check_names);
	mig_strmap_release(&c.decl_tables);
	mig_strmap_release(&c.work_tables);
	mig_strlist_release(&c.hint_buf);
	mig_schema_free(c.work);
	mig_arena_release(&c.arena);
	return rc;
}
