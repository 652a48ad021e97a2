/* Reflection of a SQLite database into the schema model: four queries over
 * sqlite_master joined with the pragma table-valued functions (tables and
 * their SQL, columns, indexes with their columns, foreign keys) for the whole
 * database, and a small tokenizer for the CREATE statements, which alone say
 * what the pragmas do not: constraint names, checks, collations,
 * AUTOINCREMENT, generated column expressions, index expressions and partial
 * index predicates, deferrable foreign keys, table options. */
#include "sqlite.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/reflect.h"

/* ---- tokens of a CREATE statement ---- */

enum tok_kind {
	TK_WORD,   /* keyword or bare identifier */
	TK_QUOTED, /* "x", [x] or `x` */
	TK_STRING, /* 'x' */
	TK_NUMBER,
	TK_PUNCT, /* one character: ( ) , ; . and operators */
};

struct tok {
	enum tok_kind kind;
	size_t start, end; /* the token's bytes in the statement */
};

struct ddl {
	const char *sql;
	MIG_VEC(struct tok) toks;
};

static bool ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Split sql into tokens, leaving out spaces and comments. */
static void ddl_lex(struct ddl *d, const char *sql)
{
	const char *s = sql;
	size_t n = strlen(s), i = 0;
	d->sql = sql;
	d->toks.v = NULL;
	d->toks.n = d->toks.alloc = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			i++;
			continue;
		}
		if (c == '-' && s[i + 1] == '-') {
			while (i < n && s[i] != '\n') {
				i++;
			}
			continue;
		}
		if (c == '/' && s[i + 1] == '*') {
			const char *e = strstr(s + i + 2, "*/");
			i = e ? (size_t)(e - s) + 2 : n;
			continue;
		}
		struct tok t = { TK_PUNCT, i, i + 1 };
		if (c == '"' || c == '`' || c == '\'' || c == '[') {
			char close = c == '[' ? ']' : (char)c;
			size_t j = i + 1;
			for (;;) {
				if (j >= n) {
					break;
				}
				if (s[j] == close) {
					/* a doubled quote is one quote, except in [x] */
					if (close != ']' && s[j + 1] == close) {
						j += 2;
						continue;
					}
					j++;
					break;
				}
				j++;
			}
			t.kind = c == '\'' ? TK_STRING : TK_QUOTED;
			t.end = j;
		} else if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
			size_t j = i;
			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '.' ||
					 ((s[j] == '+' || s[j] == '-') &&
					  (s[j - 1] == 'e' || s[j - 1] == 'E')))) {
				j++;
			}
			t.kind = TK_NUMBER;
			t.end = j;
		} else if (ident_char(c)) {
			size_t j = i;
			while (j < n && ident_char((unsigned char)s[j])) {
				j++;
			}
			t.kind = TK_WORD;
			t.end = j;
		}
		mig_vec_push(&d->toks, t);
		i = t.end;
	}
}

static void ddl_release(struct ddl *d)
{
	mig_vec_free(&d->toks);
}

/* True when token i is the keyword kw (any case). */
static bool ddl_is(const struct ddl *d, size_t i, const char *kw)
{
	if (i >= d->toks.n || d->toks.v[i].kind != TK_WORD) {
		return false;
	}
	const struct tok *t = &d->toks.v[i];
	size_t n = strlen(kw);
	return t->end - t->start == n && strncasecmp(d->sql + t->start, kw, n) == 0;
}

static bool ddl_punct(const struct ddl *d, size_t i, char c)
{
	return i < d->toks.n && d->toks.v[i].kind == TK_PUNCT && d->sql[d->toks.v[i].start] == c;
}

/* The index just past the ')' that closes the '(' at i. */
static size_t ddl_skip_parens(const struct ddl *d, size_t i)
{
	int depth = 0;
	for (; i < d->toks.n; i++) {
		if (ddl_punct(d, i, '(')) {
			depth++;
		} else if (ddl_punct(d, i, ')') && --depth == 0) {
			return i + 1;
		}
	}
	return d->toks.n;
}

/* The source text of tokens [a, b), as written. */
static const char *ddl_text(struct mig_arena *a, const struct ddl *d, size_t from, size_t to)
{
	if (from >= to) {
		return mig_arena_strdup(a, "");
	}
	size_t s = d->toks.v[from].start, e = d->toks.v[to - 1].end;
	return mig_arena_strndup(a, d->sql + s, e - s);
}

/* The name token i stands for: quotes removed, doubled quotes undone. */
static const char *ddl_ident(struct mig_arena *a, const struct ddl *d, size_t i)
{
	if (i >= d->toks.n) {
		return NULL;
	}
	const struct tok *t = &d->toks.v[i];
	const char *p = d->sql + t->start;
	size_t n = t->end - t->start;
	if (t->kind != TK_QUOTED && t->kind != TK_STRING) {
		return mig_arena_strndup(a, p, n);
	}
	char q = p[0] == '[' ? ']' : p[0];
	struct mig_str s = MIG_STR_INIT;
	for (size_t k = 1; k < n; k++) {
		if (p[k] == q) {
			if (q != ']' && k + 1 < n && p[k + 1] == q) {
				mig_str_addch(&s, q);
				k++;
				continue;
			}
			break;
		}
		mig_str_addch(&s, p[k]);
	}
	const char *r = mig_arena_strdup(a, s.buf);
	mig_str_release(&s);
	return r;
}

/* Split the tokens in [a, b) at the commas outside parentheses: the items
 * are returned as pairs of token indexes. */
static void ddl_split(const struct ddl *d, size_t a, size_t b, void *itemsp)
{
	MIG_VEC(size_t) *items = itemsp;
	size_t start = a;
	for (size_t i = a; i < b;) {
		if (ddl_punct(d, i, '(')) {
			i = ddl_skip_parens(d, i);
			continue;
		}
		if (ddl_punct(d, i, ',')) {
			mig_vec_push(items, start);
			mig_vec_push(items, i);
			start = i + 1;
		}
		i++;
	}
	if (start < b) {
		mig_vec_push(items, start);
		mig_vec_push(items, b);
	}
}

/* ---- what the CREATE TABLE text says ---- */

struct p_column {
	const char *name;
	const char *collation;
	const char *generated; /* expression of a generated column */
	const char *dflt;      /* DEFAULT as written (the pragma drops parentheses) */
	bool pk_desc;          /* PRIMARY KEY DESC on the column (not a rowid alias) */
	bool autoincrement;
};

struct p_unique {
	const char *name; /* NULL when unnamed */
	MIG_VEC(const char *) columns;
	bool used; /* matched with an index of the database */
};

struct p_fk {
	const char *name;
	bool deferrable, initially_deferred;
};

struct p_table {
	const char *pk_name;
	const char *options; /* after the closing parenthesis: WITHOUT ROWID, STRICT */
	bool without_rowid;
	MIG_VEC(struct p_column) columns;
	MIG_VEC(struct p_unique) uniques;
	MIG_VEC(struct mig_check) checks;
	MIG_VEC(struct p_fk) fks; /* in the order written */
};

static void p_table_release(struct p_table *p)
{
	for (size_t i = 0; i < p->uniques.n; i++) {
		mig_vec_free(&p->uniques.v[i].columns);
	}
	mig_vec_free(&p->columns);
	mig_vec_free(&p->uniques);
	mig_vec_free(&p->checks);
	mig_vec_free(&p->fks);
}

/* ON CONFLICT <resolution> after a constraint. */
static size_t skip_conflict(const struct ddl *d, size_t i)
{
	if (ddl_is(d, i, "ON") && ddl_is(d, i + 1, "CONFLICT")) {
		return i + 3;
	}
	return i;
}

/* The clause after REFERENCES <table> [(columns)]: actions, MATCH, and
 * whether the key is deferrable. Returns the index after it. */
static size_t parse_fk_clause(const struct ddl *d, size_t i, size_t end, struct p_fk *fk)
{
	i++; /* the table */
	if (ddl_punct(d, i + 1, '.')) {
		i += 2;
	}
	i++;
	if (ddl_punct(d, i, '(')) {
		i = ddl_skip_parens(d, i);
	}
	while (i < end) {
		if (ddl_is(d, i, "ON")) {
			i += 2; /* ON DELETE|UPDATE */
			if (ddl_is(d, i, "SET") || ddl_is(d, i, "NO")) {
				i++;
			}
			i++;
		} else if (ddl_is(d, i, "MATCH")) {
			i += 2;
		} else if (ddl_is(d, i, "NOT") && ddl_is(d, i + 1, "DEFERRABLE")) {
			i += 2;
		} else if (ddl_is(d, i, "DEFERRABLE")) {
			fk->deferrable = true;
			i++;
			if (ddl_is(d, i, "INITIALLY")) {
				fk->initially_deferred = ddl_is(d, i + 1, "DEFERRED");
				i += 2;
			}
		} else if (ddl_is(d, i, "INITIALLY")) {
			fk->initially_deferred = ddl_is(d, i + 1, "DEFERRED");
			i += 2;
		} else {
			break;
		}
	}
	return i;
}

/* The check expression inside the parentheses at i; returns the index after
 * them. */
static size_t parse_check(struct mig_arena *a, const struct ddl *d, size_t i, const char *name,
			  struct p_table *p)
{
	if (!ddl_punct(d, i, '(')) {
		return i;
	}
	size_t close = ddl_skip_parens(d, i);
	struct mig_check c;
	memset(&c, 0, sizeof(c));
	c.name = name;
	c.sql = ddl_text(a, d, i + 1, close - 1);
	mig_vec_push(&p->checks, c);
	return close;
}

static bool column_constraint_start(const struct ddl *d, size_t i)
{
	static const char *const kws[] = { "CONSTRAINT", "PRIMARY",   "NOT",     "NULL",
					   "UNIQUE",     "CHECK",     "DEFAULT", "COLLATE",
					   "REFERENCES", "GENERATED", "AS",      NULL };
	for (size_t k = 0; kws[k]; k++) {
		if (ddl_is(d, i, kws[k])) {
			return true;
		}
	}
	return false;
}

static void parse_column_def(struct mig_arena *a, const struct ddl *d, size_t i, size_t end,
			     struct p_table *p)
{
	struct p_column col;
	memset(&col, 0, sizeof(col));
	col.name = ddl_ident(a, d, i);
	i++;
	while (i < end && !column_constraint_start(d, i)) {
		i = ddl_punct(d, i, '(') ? ddl_skip_parens(d, i) : i + 1;
	}
	while (i < end) {
		const char *cname = NULL;
		if (ddl_is(d, i, "CONSTRAINT")) {
			cname = ddl_ident(a, d, i + 1);
			i += 2;
		}
		if (ddl_is(d, i, "PRIMARY")) {
			i += 2;
			if (ddl_is(d, i, "ASC") || ddl_is(d, i, "DESC")) {
				col.pk_desc = ddl_is(d, i, "DESC");
				i++;
			}
			i = skip_conflict(d, i);
			if (ddl_is(d, i, "AUTOINCREMENT")) {
				col.autoincrement = true;
				i++;
			}
			p->pk_name = cname;
		} else if (ddl_is(d, i, "NOT") || ddl_is(d, i, "NULL")) {
			i = skip_conflict(d, i + (ddl_is(d, i, "NOT") ? 2 : 1));
		} else if (ddl_is(d, i, "UNIQUE")) {
			struct p_unique u;
			memset(&u, 0, sizeof(u));
			u.name = cname;
			mig_vec_push(&u.columns, col.name);
			mig_vec_push(&p->uniques, u);
			i = skip_conflict(d, i + 1);
		} else if (ddl_is(d, i, "CHECK")) {
			i = parse_check(a, d, i + 1, cname, p);
		} else if (ddl_is(d, i, "DEFAULT")) {
			size_t from = ++i;
			if (ddl_punct(d, i, '(')) {
				i = ddl_skip_parens(d, i);
			} else {
				if (ddl_punct(d, i, '-') || ddl_punct(d, i, '+')) {
					i++;
				}
				/* a blob literal X'00' is a word and a string */
				if (i + 1 < end && d->toks.v[i].kind == TK_WORD &&
				    d->toks.v[i + 1].kind == TK_STRING &&
				    d->toks.v[i + 1].start == d->toks.v[i].end) {
					i++;
				}
				i++;
			}
			col.dflt = ddl_text(a, d, from, i < end ? i : end);
		} else if (ddl_is(d, i, "COLLATE")) {
			col.collation = ddl_ident(a, d, i + 1);
			i += 2;
		} else if (ddl_is(d, i, "REFERENCES")) {
			struct p_fk fk = { cname, false, false };
			i = parse_fk_clause(d, i, end, &fk);
			mig_vec_push(&p->fks, fk);
		} else if (ddl_is(d, i, "GENERATED") || ddl_is(d, i, "AS")) {
			if (ddl_is(d, i, "GENERATED")) {
				i += 2; /* GENERATED ALWAYS */
			}
			i++; /* AS */
			if (ddl_punct(d, i, '(')) {
				size_t close = ddl_skip_parens(d, i);
				col.generated = ddl_text(a, d, i + 1, close - 1);
				i = close;
			}
			if (ddl_is(d, i, "STORED") || ddl_is(d, i, "VIRTUAL")) {
				i++;
			}
		} else {
			i++;
		}
	}
	mig_vec_push(&p->columns, col);
}

static void parse_table_constraint(struct mig_arena *a, const struct ddl *d, size_t i, size_t end,
				   struct p_table *p)
{
	const char *cname = NULL;
	if (ddl_is(d, i, "CONSTRAINT")) {
		cname = ddl_ident(a, d, i + 1);
		i += 2;
	}
	if (ddl_is(d, i, "PRIMARY")) {
		p->pk_name = cname;
	} else if (ddl_is(d, i, "UNIQUE")) {
		struct p_unique u;
		memset(&u, 0, sizeof(u));
		u.name = cname;
		i++;
		if (ddl_punct(d, i, '(')) {
			MIG_VEC(size_t) items = { 0 };
			ddl_split(d, i + 1, ddl_skip_parens(d, i) - 1, &items);
			for (size_t k = 0; k < items.n; k += 2) {
				mig_vec_push(&u.columns, ddl_ident(a, d, items.v[k]));
			}
			mig_vec_free(&items);
		}
		mig_vec_push(&p->uniques, u);
	} else if (ddl_is(d, i, "CHECK")) {
		parse_check(a, d, i + 1, cname, p);
	} else if (ddl_is(d, i, "FOREIGN")) {
		i += 2;
		if (ddl_punct(d, i, '(')) {
			i = ddl_skip_parens(d, i);
		}
		struct p_fk fk = { cname, false, false };
		if (ddl_is(d, i, "REFERENCES")) {
			parse_fk_clause(d, i, end, &fk);
		}
		mig_vec_push(&p->fks, fk);
	}
}

/* Read a CREATE TABLE statement. A statement it cannot follow (CREATE TABLE
 * … AS SELECT) leaves p empty: the pragmas still give the columns. */
static void parse_create_table(struct mig_arena *a, const char *sql, struct p_table *p)
{
	struct ddl d;
	memset(p, 0, sizeof(*p));
	if (!sql) {
		return;
	}
	ddl_lex(&d, sql);
	size_t i = 0;
	while (i < d.toks.n && !ddl_punct(&d, i, '(') && !ddl_is(&d, i, "AS")) {
		i++;
	}
	if (i < d.toks.n && ddl_punct(&d, i, '(')) {
		size_t close = ddl_skip_parens(&d, i);
		MIG_VEC(size_t) items = { 0 };
		ddl_split(&d, i + 1, close - 1, &items);
		for (size_t k = 0; k < items.n; k += 2) {
			size_t s = items.v[k], e = items.v[k + 1];
			if (ddl_is(&d, s, "CONSTRAINT") || ddl_is(&d, s, "PRIMARY") ||
			    ddl_is(&d, s, "UNIQUE") || ddl_is(&d, s, "CHECK") ||
			    ddl_is(&d, s, "FOREIGN")) {
				parse_table_constraint(a, &d, s, e, p);
			} else {
				parse_column_def(a, &d, s, e, p);
			}
		}
		mig_vec_free(&items);
		size_t end = d.toks.n;
		while (end > close && ddl_punct(&d, end - 1, ';')) {
			end--;
		}
		if (end > close) {
			p->options = ddl_text(a, &d, close, end);
			for (size_t k = close; k + 1 < end; k++) {
				if (ddl_is(&d, k, "WITHOUT") && ddl_is(&d, k + 1, "ROWID")) {
					p->without_rowid = true;
				}
			}
		}
	}
	ddl_release(&d);
}

static const struct p_column *p_find_column(const struct p_table *p, const char *name)
{
	for (size_t i = 0; i < p->columns.n; i++) {
		if (mig_strieq(p->columns.v[i].name, name)) {
			return &p->columns.v[i];
		}
	}
	return NULL;
}

/* What the CREATE INDEX text says: the text of each indexed term (without
 * ASC/DESC) and the WHERE predicate. */
struct p_index {
	MIG_VEC(const char *) terms;
	const char *where;
};

static void parse_create_index(struct mig_arena *a, const char *sql, struct p_index *p)
{
	struct ddl d;
	memset(p, 0, sizeof(*p));
	if (!sql) {
		return;
	}
	ddl_lex(&d, sql);
	size_t i = 0;
	while (i < d.toks.n && !ddl_punct(&d, i, '(')) {
		i++;
	}
	if (i < d.toks.n) {
		size_t close = ddl_skip_parens(&d, i);
		MIG_VEC(size_t) items = { 0 };
		ddl_split(&d, i + 1, close - 1, &items);
		for (size_t k = 0; k < items.n; k += 2) {
			size_t s = items.v[k], e = items.v[k + 1];
			if (e > s + 1 && (ddl_is(&d, e - 1, "ASC") || ddl_is(&d, e - 1, "DESC"))) {
				e--;
			}
			mig_vec_push(&p->terms, ddl_text(a, &d, s, e));
		}
		mig_vec_free(&items);
		if (ddl_is(&d, close, "WHERE")) {
			size_t end = d.toks.n;
			while (end > close + 1 && ddl_punct(&d, end - 1, ';')) {
				end--;
			}
			p->where = ddl_text(a, &d, close + 1, end);
		}
	}
	ddl_release(&d);
}

/* ---- the reflection ---- */

struct r_table {
	const char *name;
	const char *sql;
	struct mig_table *t; /* set once the tables are in the schema */
	struct p_table parsed;
	size_t nfks; /* foreign keys the pragma lists */
};

struct reflector {
	struct mig_db *db;
	const struct mig_reflect_opts *opts;
	struct mig_schema *s;
	MIG_VEC(struct r_table) tables;     /* sorted by name */
	MIG_VEC(struct r_table *) by_lower; /* sorted by name without case */
	MIG_VEC(struct mig_index) pending;  /* indexes of the table being read */
};

static int cmp_rt_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct r_table *)elem)->name);
}

static struct r_table *find_rt(struct reflector *R, const char *name)
{
	if (!name || !R->tables.n) {
		return NULL;
	}
	return bsearch(name, R->tables.v, R->tables.n, sizeof(struct r_table), cmp_rt_name);
}

static int cmp_lower(const void *a, const void *b)
{
	const struct r_table *x = *(struct r_table *const *)a, *y = *(struct r_table *const *)b;
	return strcasecmp(x->name, y->name);
}

static int cmp_lower_key(const void *key, const void *elem)
{
	return strcasecmp(key, (*(struct r_table *const *)elem)->name);
}

/* A table named as SQLite matches names: without ASCII case. */
static struct r_table *find_rt_nocase(struct reflector *R, const char *name)
{
	struct r_table *t = find_rt(R, name);
	if (t || !name || !R->by_lower.n) {
		return t;
	}
	struct r_table **p = bsearch(name, R->by_lower.v, R->by_lower.n, sizeof(struct r_table *),
				     cmp_lower_key);
	return p ? *p : NULL;
}

static void warn(struct reflector *R, const char *fmt, ...) MIG_PRINTF(2, 3);
static void warn(struct reflector *R, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mig_strlist_push_owned(&R->s->warnings, xvasprintf(fmt, ap));
	va_end(ap);
}

static void add_object(struct reflector *R, enum mig_object_kind kind, const char *name,
		       const char *detail)
{
	struct mig_object o = { kind, NULL, mig_arena_strdup(&R->s->arena, name),
				mig_arena_strdup(&R->s->arena, detail) };
	mig_vec_push(&R->s->objects, o);
}

static bool is_internal(const char *name)
{
	return strncasecmp(name, "sqlite_", 7) == 0;
}

static int query(struct reflector *R, const char *sql, struct mig_rows *rows)
{
	*rows = (struct mig_rows)MIG_ROWS_INIT;
	return mig_db_query(R->db, sql, rows);
}

#define CELL(rows, r, c) mig_rows_get((rows), (r), (c))

/* Marks an index column whose collation is not the column's: its text in the
 * CREATE INDEX statement becomes the element. */
static const char collate_mark[] = "collate";

/* Query 1: the objects. Tables become the r_table list; views, triggers and
 * virtual tables are recorded and warned about. */
static int read_objects(struct reflector *R)
{
	struct mig_rows rows;
	int rc = query(R,
		       "SELECT type, name, tbl_name, sql FROM sqlite_master "
		       "WHERE type IN ('table', 'view', 'trigger') ORDER BY name",
		       &rows);
	if (rc < 0) {
		return rc;
	}
	struct mig_strlist vtabs = MIG_STRLIST_INIT;
	for (size_t r = 0; r < rows.nrows; r++) {
		const char *type = CELL(&rows, r, 0), *name = CELL(&rows, r, 1);
		const char *sql = CELL(&rows, r, 3);
		if (strcmp(type, "table") == 0 && sql && mig_starts_with(sql, "CREATE VIRTUAL")) {
			mig_strlist_push(&vtabs, name);
		}
	}
	for (size_t r = 0; r < rows.nrows; r++) {
		const char *type = CELL(&rows, r, 0), *name = CELL(&rows, r, 1);
		const char *tbl = CELL(&rows, r, 2), *sql = CELL(&rows, r, 3);
		if (strcmp(type, "trigger") == 0) {
			if (is_internal(tbl) || mig_reflect_excluded(R->opts, NULL, tbl)) {
				continue;
			}
			add_object(R, MIG_OBJ_TRIGGER, name, tbl);
			/* a table rebuild recreates the table's triggers from it */
			R->s->objects.v[R->s->objects.n - 1].sql =
				mig_arena_strdup(&R->s->arena, sql);
			warn(R,
			     "trigger '%s' on table '%s' is not represented in the model (ignored "
			     "by migrate)",
			     name, tbl);
			continue;
		}
		if (is_internal(name) || mig_reflect_excluded(R->opts, NULL, name)) {
			continue;
		}
		if (strcmp(type, "view") == 0) {
			add_object(R, MIG_OBJ_VIEW, name, NULL);
			warn(R, "view '%s' is not represented in the model (ignored by migrate)",
			     name);
			continue;
		}
		if (mig_strlist_has(&vtabs, name)) {
			add_object(R, MIG_OBJ_OTHER, name, "virtual table");
			warn(R,
			     "virtual table '%s' is not represented in the model (ignored by "
			     "migrate)",
			     name);
			continue;
		}
		/* the shadow tables that keep a virtual table's data */
		bool shadow = false;
		for (size_t k = 0; k < vtabs.n && !shadow; k++) {
			size_t n = strlen(vtabs.v[k]);
			shadow = strncmp(name, vtabs.v[k], n) == 0 && name[n] == '_';
		}
		if (shadow) {
			continue;
		}
		struct r_table t;
		memset(&t, 0, sizeof(t));
		t.name = mig_arena_strdup(&R->s->arena, name);
		t.sql = mig_arena_strdup(&R->s->arena, sql);
		mig_vec_push(&R->tables, t);
	}
	mig_strlist_release(&vtabs);
	mig_rows_release(&rows);
	for (size_t i = 0; i < R->tables.n; i++) {
		struct r_table *t = &R->tables.v[i];
		parse_create_table(&R->s->arena, t->sql, &t->parsed);
		t->t = mig_schema_add_table(R->s, NULL, t->name);
	}
	/* the schema's vector is complete: the pointers stay valid from here */
	for (size_t i = 0; i < R->tables.n; i++) {
		R->tables.v[i].t = &R->s->tables.v[i];
		mig_vec_push(&R->by_lower, &R->tables.v[i]);
	}
	if (R->by_lower.n) {
		qsort(R->by_lower.v, R->by_lower.n, sizeof(struct r_table *), cmp_lower);
	}
	return 0;
}

/* The join of sqlite_master with a pragma function over every table that
 * query 1 kept (the same filter in SQL, so the rows come grouped by table). */
#define TABLES_JOIN(pragma)                                                                        \
	"FROM sqlite_master m JOIN " pragma " WHERE m.type = 'table' "                             \
	"AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "                                            \
	"AND coalesce(m.sql, '') NOT LIKE 'CREATE VIRTUAL%' "

static bool is_integer_kind(const struct mig_type *t)
{
	return t->kind == MIG_TYPE_INTEGER || t->kind == MIG_TYPE_BIGINT ||
	       t->kind == MIG_TYPE_SMALLINT;
}

/* SQLite's rules for the affinity of a declared type, as a generic type. */
static const char *affinity_type(const char *declared)
{
	char *up = xstrdup(declared);
	for (char *p = up; *p; p++) {
		*p = (char)toupper((unsigned char)*p);
	}
	const char *r = "numeric";
	if (strstr(up, "INT")) {
		r = "integer";
	} else if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT")) {
		r = "text";
	} else if (strstr(up, "BLOB")) {
		r = "blob";
	} else if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB")) {
		r = "real";
	}
	free(up);
	return r;
}

/* Query 2: the columns of every table. */
static int read_columns(struct reflector *R)
{
	struct mig_rows rows;
	int rc = query(
		R,
		"SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, "
		"p.hidden " TABLES_JOIN("pragma_table_xinfo(m.name) p") "ORDER BY m.name, p.cid",
		&rows);
	if (rc < 0) {
		return rc;
	}
	struct mig_arena *a = &R->s->arena;
	struct r_table *rt = NULL;
	MIG_VEC(int) pk_pos = { 0 };
	for (size_t r = 0; r <= rows.nrows; r++) {
		const char *tname = r < rows.nrows ? CELL(&rows, r, 0) : NULL;
		if (rt && (!tname || strcmp(tname, rt->name) != 0)) {
			/* the primary key, in key order */
			struct mig_table *t = rt->t;
			for (int k = 1; k <= (int)t->columns.n; k++) {
				for (size_t c = 0; c < t->columns.n; c++) {
					if (pk_pos.v[c] == k) {
						mig_vec_push(&t->pk.columns, t->columns.v[c].name);
					}
				}
			}
			t->pk.name = rt->parsed.pk_name;
			if (t->pk.columns.n == 1) {
				struct mig_column *c = mig_table_find_column(t, t->pk.columns.v[0]);
				const struct p_column *pc = p_find_column(&rt->parsed, c->name);
				bool rowid_alias = mig_strieq(c->type.raw, "INTEGER") &&
						   !rt->parsed.without_rowid &&
						   !(pc && pc->pk_desc);
				if (pc && pc->autoincrement) {
					c->autoincrement = MIG_TRUE;
				} else if (!rowid_alias && is_integer_kind(&c->type)) {
					c->autoincrement = MIG_FALSE;
				}
			}
			pk_pos.n = 0;
			rt = NULL;
		}
		if (!tname) {
			break;
		}
		if (!rt) {
			rt = find_rt(R, tname);
			if (!rt) {
				continue; /* left out by query 1 (excluded) */
			}
		}
		struct mig_column c;
		memset(&c, 0, sizeof(c));
		c.name = mig_arena_strdup(a, CELL(&rows, r, 1));
		const char *type = CELL(&rows, r, 2);
		if (!type || !*type) {
			warn(R,
			     "column '%s.%s' has no declared type; reflected as blob (the same "
			     "affinity)",
			     rt->name, c.name);
			type = "blob";
		}
		if (mig_type_parse(a, type, &c.type) < 0 || !mig_model_type_known(R->s, &c.type)) {
			/* any name is a type to SQLite, which only takes its affinity
			 * from it: a name the model does not know becomes the generic
			 * type of the same affinity */
			const char *generic = affinity_type(type);
			warn(R,
			     "column '%s.%s' has type '%s', which the model does not know; "
			     "reflected as %s (the same affinity)",
			     rt->name, c.name, type, generic);
			mig_error_clear();
			mig_type_parse(a, generic, &c.type);
		}
		int pk = atoi(CELL(&rows, r, 5));
		c.nullable = strcmp(CELL(&rows, r, 3), "0") == 0 && pk == 0;
		c.primary_key = pk > 0;
		const struct p_column *pc = p_find_column(&rt->parsed, c.name);
		const char *dflt = CELL(&rows, r, 4);
		if (dflt && pc && pc->dflt) {
			dflt = pc->dflt;
		}
		if (dflt && !mig_strieq(dflt, "NULL")) {
			c.default_sql = mig_arena_strdup(a, dflt);
		}
		int hidden = atoi(CELL(&rows, r, 6));
		if (pc) {
			c.collation = pc->collation;
			if (hidden == 2 || hidden == 3) {
				c.computed_sql = pc->generated;
				c.computed_stored = hidden == 3;
			}
		}
		if ((hidden == 2 || hidden == 3) && !c.computed_sql) {
			warn(R, "generated column '%s.%s': its expression could not be read",
			     rt->name, c.name);
		}
		mig_vec_push(&rt->t->columns, c);
		mig_vec_push(&pk_pos, pk);
	}
	mig_vec_free(&pk_pos);
	mig_rows_release(&rows);
	return 0;
}

/* The parsed UNIQUE constraint with these columns, not matched yet. */
static struct p_unique *match_unique(struct p_table *p, const struct mig_index *ix)
{
	for (size_t i = 0; i < p->uniques.n; i++) {
		struct p_unique *u = &p->uniques.v[i];
		if (u->used || u->columns.n != ix->elems.n) {
			continue;
		}
		bool same = true;
		for (size_t k = 0; k < u->columns.n && same; k++) {
			same = ix->elems.v[k].column &&
			       mig_strieq(u->columns.v[k], ix->elems.v[k].column);
		}
		if (same) {
			u->used = true;
			return u;
		}
	}
	return NULL;
}

static int cmp_index_name(const void *a, const void *b)
{
	return strcmp(((const struct mig_index *)a)->name, ((const struct mig_index *)b)->name);
}

/* An index read from the pragmas goes to the table as an index (CREATE
 * INDEX) or a unique constraint (UNIQUE in CREATE TABLE); the one behind the
 * primary key is the primary key already. */
static void place_index(struct reflector *R, struct r_table *rt, struct mig_index *ix,
			const char *origin, const char *sql)
{
	struct mig_table *t = rt->t;
	if (strcmp(origin, "pk") == 0) {
		mig_vec_free(&ix->elems);
		return;
	}
	if (strcmp(origin, "u") == 0) {
		struct mig_unique u;
		memset(&u, 0, sizeof(u));
		struct p_unique *pu = match_unique(&rt->parsed, ix);
		u.name = pu ? pu->name : NULL;
		for (size_t k = 0; k < ix->elems.n; k++) {
			const char *c = ix->elems.v[k].column;
			mig_vec_push(&u.columns, c ? c : ix->elems.v[k].expression);
		}
		mig_vec_push(&t->uniques, u);
		mig_vec_free(&ix->elems);
		return;
	}
	struct p_index pi;
	parse_create_index(&R->s->arena, sql, &pi);
	for (size_t k = 0; k < ix->elems.n; k++) {
		struct mig_index_elem *e = &ix->elems.v[k];
		const char *term = k < pi.terms.n ? pi.terms.v[k] : NULL;
		if (e->expression == collate_mark) {
			e->expression = term;
			e->column = term ? NULL : e->column;
		} else if (!e->column) {
			e->expression = term ? term : (e->expression ? e->expression : "?");
		}
	}
	ix->where = pi.where;
	mig_vec_free(&pi.terms);
	mig_vec_push(&R->pending, *ix);
}

/* Query 3: every index with its key columns, one row per column. */
static int read_indexes(struct reflector *R)
{
	struct mig_rows rows;
	int rc = query(
		R,
		"SELECT m.name, il.name, il.\"unique\", il.origin, x.cid, x.name, x.\"desc\", "
		"x.coll, i.sql " TABLES_JOIN("pragma_index_list(m.name) il JOIN "
					     "pragma_index_xinfo(il.name) x "
					     "LEFT JOIN sqlite_master i ON i.type = 'index' AND "
					     "i.name = il.name") "AND x.key = 1 ORDER BY m.name, "
								 "il.name, x.seqno",
		&rows);
	if (rc < 0) {
		return rc;
	}
	struct r_table *rt = NULL;
	struct mig_index ix;
	const char *origin = NULL, *sql = NULL;
	bool open = false;
	for (size_t r = 0; r <= rows.nrows; r++) {
		const char *tname = r < rows.nrows ? CELL(&rows, r, 0) : NULL;
		const char *iname = r < rows.nrows ? CELL(&rows, r, 1) : NULL;
		if (open &&
		    (!tname || strcmp(tname, rt->name) != 0 || strcmp(iname, ix.name) != 0)) {
			place_index(R, rt, &ix, origin, sql);
			open = false;
		}
		if (rt && (!tname || strcmp(tname, rt->name) != 0)) {
			/* indexes in name order (the pragma lists the newest first) */
			if (R->pending.n) {
				qsort(R->pending.v, R->pending.n, sizeof(struct mig_index),
				      cmp_index_name);
			}
			for (size_t k = 0; k < R->pending.n; k++) {
				mig_vec_push(&rt->t->indexes, R->pending.v[k]);
			}
			R->pending.n = 0;
			rt = NULL;
		}
		if (!tname) {
			break;
		}
		if (!rt) {
			rt = find_rt(R, tname);
			if (!rt) {
				continue;
			}
		}
		if (!open) {
			memset(&ix, 0, sizeof(ix));
			ix.name = mig_arena_strdup(&R->s->arena, iname);
			ix.unique = strcmp(CELL(&rows, r, 2), "0") != 0;
			origin = mig_arena_strdup(&R->s->arena, CELL(&rows, r, 3));
			sql = mig_arena_strdup(&R->s->arena, CELL(&rows, r, 8));
			open = true;
		}
		struct mig_index_elem e = { NULL, NULL, strcmp(CELL(&rows, r, 6), "0") != 0 };
		int cid = atoi(CELL(&rows, r, 4));
		if (cid >= 0 && (size_t)cid < rt->t->columns.n) {
			const struct mig_column *c = &rt->t->columns.v[cid];
			e.column = c->name;
			const char *coll = CELL(&rows, r, 7);
			const char *own = c->collation ? c->collation : "BINARY";
			if (coll && !mig_strieq(coll, own)) {
				e.expression = collate_mark;
			}
		} else {
			e.expression = cid == -1 ? "rowid" : NULL; /* -2: the text, below */
		}
		mig_vec_push(&ix.elems, e);
	}
	mig_rows_release(&rows);
	return 0;
}

static enum mig_fk_action fk_action(const char *text)
{
	enum mig_fk_action a = MIG_FK_NONE;
	if (!text || mig_fk_action_parse(text, &a) < 0) {
		mig_error_clear();
		return MIG_FK_NONE;
	}
	/* SQLite says NO ACTION for an action not written: the default */
	return a == MIG_FK_NO_ACTION ? MIG_FK_NONE : a;
}

/* Query 4: every foreign key, one row per column pair. */
static int read_fks(struct reflector *R)
{
	struct mig_rows rows;
	int rc = query(
		R,
		"SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, "
		"f.on_delete " TABLES_JOIN(
			"pragma_foreign_key_list(m.name) f") "ORDER BY m.name, f.id DESC, f.seq",
		&rows);
	if (rc < 0) {
		return rc;
	}
	struct mig_arena *a = &R->s->arena;
	/* how many keys each table has, to pair them with the written ones (the
	 * pragma numbers them from the last written) */
	for (size_t r = 0; r < rows.nrows; r++) {
		struct r_table *rt = find_rt(R, CELL(&rows, r, 0));
		if (rt && (r == 0 || strcmp(CELL(&rows, r, 0), CELL(&rows, r - 1, 0)) != 0 ||
			   strcmp(CELL(&rows, r, 1), CELL(&rows, r - 1, 1)) != 0)) {
			rt->nfks++;
		}
	}
	struct r_table *rt = NULL;
	struct mig_foreign_key *fk = NULL;
	bool skip = false;
	for (size_t r = 0; r < rows.nrows; r++) {
		const char *tname = CELL(&rows, r, 0);
		bool new_key = r == 0 || strcmp(tname, CELL(&rows, r - 1, 0)) != 0 ||
			       strcmp(CELL(&rows, r, 1), CELL(&rows, r - 1, 1)) != 0;
		if (!rt || strcmp(tname, rt->name) != 0) {
			rt = find_rt(R, tname);
		}
		if (!rt) {
			continue;
		}
		struct mig_table *t = rt->t;
		if (new_key) {
			skip = false;
			fk = NULL;
			const char *target = CELL(&rows, r, 2);
			struct r_table *pt = find_rt_nocase(R, target);
			if (!pt) {
				warn(R,
				     "foreign key of table '%s' references table '%s', which is "
				     "not "
				     "reflected (left out)",
				     rt->name, target);
				skip = true;
				continue;
			}
			struct mig_foreign_key f;
			memset(&f, 0, sizeof(f));
			f.ref_table = pt->name;
			f.on_update = fk_action(CELL(&rows, r, 5));
			f.on_delete = fk_action(CELL(&rows, r, 6));
			size_t id = (size_t)atoi(CELL(&rows, r, 1));
			if (rt->parsed.fks.n == rt->nfks && id < rt->nfks) {
				const struct p_fk *pf = &rt->parsed.fks.v[rt->nfks - 1 - id];
				f.name = pf->name;
				f.deferrable = pf->deferrable;
				f.initially_deferred = pf->initially_deferred;
			}
			mig_vec_push(&t->fks, f);
			fk = &t->fks.v[t->fks.n - 1];
		}
		if (skip || !fk) {
			continue;
		}
		struct r_table *pt = find_rt(R, fk->ref_table);
		const struct mig_column *from = NULL;
		for (size_t k = 0; k < t->columns.n && !from; k++) {
			if (mig_strieq(t->columns.v[k].name, CELL(&rows, r, 3))) {
				from = &t->columns.v[k];
			}
		}
		mig_vec_push(&fk->columns,
			     from ? from->name : mig_arena_strdup(a, CELL(&rows, r, 3)));
		const char *to = CELL(&rows, r, 4);
		const char *ref = NULL;
		if (!to) {
			/* REFERENCES parent without columns: the parent's primary key */
			size_t k = fk->columns.n - 1;
			ref = k < pt->t->pk.columns.n ? pt->t->pk.columns.v[k] : NULL;
		} else {
			for (size_t k = 0; k < pt->t->columns.n && !ref; k++) {
				if (mig_strieq(pt->t->columns.v[k].name, to)) {
					ref = pt->t->columns.v[k].name;
				}
			}
		}
		mig_vec_push(&fk->ref_columns, ref ? ref : mig_arena_strdup(a, to ? to : "?"));
	}
	mig_rows_release(&rows);
	return 0;
}

/* Checks are only in the CREATE TABLE text; so are the names of unique
 * constraints, which place_index took. */
static void add_checks(struct reflector *R)
{
	for (size_t i = 0; i < R->tables.n; i++) {
		struct r_table *rt = &R->tables.v[i];
		for (size_t k = 0; k < rt->parsed.checks.n; k++) {
			mig_vec_push(&rt->t->checks, rt->parsed.checks.v[k]);
		}
		rt->t->options = rt->parsed.options;
	}
}

int sqlite_reflect(struct mig_db *db, const struct mig_reflect_opts *opts, struct mig_schema **out)
{
	struct reflector R;
	memset(&R, 0, sizeof(R));
	R.db = db;
	R.opts = opts;
	R.s = mig_schema_new();
	int rc = read_objects(&R);
	if (rc == 0) {
		rc = read_columns(&R);
	}
	if (rc == 0) {
		rc = read_indexes(&R);
	}
	if (rc == 0) {
		rc = read_fks(&R);
	}
	if (rc == 0) {
		add_checks(&R);
	}
	for (size_t i = 0; i < R.tables.n; i++) {
		p_table_release(&R.tables.v[i].parsed);
	}
	mig_vec_free(&R.tables);
	mig_vec_free(&R.by_lower);
	for (size_t i = 0; i < R.pending.n; i++) {
		mig_vec_free(&R.pending.v[i].elems);
	}
	mig_vec_free(&R.pending);
	if (rc < 0) {
		mig_error_prefix("cannot reflect the database");
		mig_schema_free(R.s);
		return rc;
	}
	*out = R.s;
	return 0;
}
