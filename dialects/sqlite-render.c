/* Rendering ops to SQLite SQL. What ALTER TABLE can do (rename a table or a
 * column, add a column, drop a column) is done with it; everything else
 * rebuilds the table the way SQLite documents it: create the new table under
 * a temporary name, copy the rows, drop the old table, rename the new one,
 * recreate the indexes and triggers. The definition after the op comes from
 * applying the op to a copy of the schema before it. */
#include "sqlite.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* The prefix of the table a rebuild fills before it takes the old one's name. */
#define REBUILD_PREFIX "_migrate_tmp_"

/* What rendering one op needs besides the op. */
struct sr {
	const struct mig_dialect_impl *impl;
	const struct mig_op *op;
	/* Where enum types are looked up: the schema before the op, or after it
	 * when a rebuild renders the new definition. NULL when unknown. */
	const struct mig_schema *enums;
	struct mig_strlist stmts; /* moved to the caller's list on success */
	struct mig_arena arena;   /* enum values read from CHECK constraints */
};

static void ident(const struct sr *r, struct mig_str *s, const char *name)
{
	r->impl->quote_ident(s, name);
}

static void literal(const struct sr *r, struct mig_str *s, const char *text)
{
	r->impl->quote_literal(s, text);
}

static void qualname(const struct sr *r, struct mig_str *s, const char *schema, const char *name)
{
	mig_render_qualname(r->impl, s, schema, name);
}

static void ident_list(const struct sr *r, struct mig_str *s, const char *const *names, size_t n)
{
	mig_render_ident_list(r->impl, s, names, n);
}

static void emit(struct sr *r, struct mig_str *s)
{
	mig_strlist_push_owned(&r->stmts, mig_str_detach(s));
}

static void emit_text(struct sr *r, const char *text)
{
	mig_strlist_push(&r->stmts, text);
}

/* ---- reading SQL text ---- */

/* Whether text is wholly one parenthesised expression: "(…)". */
static bool parenthesised(const char *text)
{
	if (text[0] != '(') {
		return false;
	}
	int depth = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
			size_t len = mig_sql_quoted_len(p);
			if (!len) {
				return false;
			}
			p += len - 1;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p[1] == '\0';
		}
	}
	return false;
}

/* A number SQLite reads as one: a decimal, or 0x and hex digits. */
static bool is_number(const char *p)
{
	const char *q = p + (*p == '+' || *p == '-');
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X') && isxdigit((unsigned char)q[2])) {
		for (q += 2; isxdigit((unsigned char)*q); q++) {
		}
		return *q == '\0';
	}
	return mig_is_decimal(p);
}

static bool is_time_keyword(const char *text)
{
	return mig_strieq(text, "CURRENT_TIMESTAMP") || mig_strieq(text, "CURRENT_DATE") ||
	       mig_strieq(text, "CURRENT_TIME");
}

/* A literal that SQLite takes bare after DEFAULT: a string, a blob, a
 * number, NULL, TRUE, FALSE. (CURRENT_TIMESTAMP and its kin are bare too,
 * but are not constants for ADD COLUMN.) */
static bool is_constant(const char *text)
{
	if (text[0] == '\'') {
		size_t len = mig_sql_quoted_len(text);
		return len && text[len] == '\0';
	}
	if ((text[0] == 'x' || text[0] == 'X') && text[1] == '\'') {
		size_t len = mig_sql_quoted_len(text + 1);
		return len && text[len + 1] == '\0';
	}
	return is_number(text) || mig_strieq(text, "NULL") || mig_strieq(text, "TRUE") ||
	       mig_strieq(text, "FALSE");
}

/* DEFAULT <expr>: SQLite takes literals bare and any other expression only
 * in parentheses. */
static void default_clause(struct mig_str *s, const char *dflt)
{
	char *text = xstrdup(dflt);
	char *t = mig_strtrim(text);
	mig_str_add(s, " DEFAULT ");
	if (is_constant(t) || is_time_keyword(t) || parenthesised(t)) {
		mig_str_add(s, t);
	} else {
		mig_str_addf(s, "(%s)", t);
	}
	free(text);
}

/* ---- types ---- */

static bool integer_kind(const struct mig_type *t)
{
	return t->kind == MIG_TYPE_SMALLINT || t->kind == MIG_TYPE_INTEGER ||
	       t->kind == MIG_TYPE_BIGINT;
}

/* The text of the identifier or string literal at *p (quotes removed,
 * doubled quotes undone), moving *p past it; NULL when there is none. */
static const char *scan_name(struct sr *r, const char **p, bool string)
{
	const char *q = *p;
	while (isspace((unsigned char)*q)) {
		q++;
	}
	if (string ? *q != '\'' : !(*q == '"' || *q == '`' || *q == '[')) {
		if (string || !mig_sql_word_char((unsigned char)*q)) {
			return NULL;
		}
		const char *start = q;
		while (mig_sql_word_char((unsigned char)*q)) {
			q++;
		}
		*p = q;
		return mig_arena_strndup(&r->arena, start, (size_t)(q - start));
	}
	size_t len = mig_sql_quoted_len(q);
	if (!len) {
		return NULL;
	}
	struct mig_str s = MIG_STR_INIT;
	mig_sql_unquote(&s, q, len);
	const char *out = mig_arena_strdup(&r->arena, s.buf);
	mig_str_release(&s);
	*p = q + len;
	return out;
}

static bool scan_punct(const char **p, char c)
{
	const char *q = *p;
	while (isspace((unsigned char)*q)) {
		q++;
	}
	if (*q != c) {
		return false;
	}
	*p = q + 1;
	return true;
}

/* Read a CHECK of the form the enum CHECKs take: <column> IN ('a', 'b').
 * The values go to the arena; false when sql has another form. */
static bool parse_in_list(struct sr *r, const char *sql, const char **column,
			  const char *const **values, size_t *n)
{
	MIG_VEC(const char *) v = { 0 };
	const char *p = sql;
	const char *word;
	bool ok = false;
	*column = scan_name(r, &p, false);
	word = *column ? scan_name(r, &p, false) : NULL;
	if (!word || !mig_strieq(word, "IN") || !scan_punct(&p, '(')) {
		goto done;
	}
	do {
		const char *value = scan_name(r, &p, true);
		if (!value) {
			goto done;
		}
		mig_vec_push(&v, value);
	} while (scan_punct(&p, ','));
	if (!scan_punct(&p, ')')) {
		goto done;
	}
	while (isspace((unsigned char)*p)) {
		p++;
	}
	ok = *p == '\0';
	if (ok) {
		const char **copy = mig_arena_alloc(&r->arena, v.n * sizeof(*copy));
		memcpy(copy, v.v, v.n * sizeof(*copy));
		*values = copy;
		*n = v.n;
	}
done:
	mig_vec_free(&v);
	return ok;
}

/* The values of enum name as a CHECK named after it keeps them, in any table
 * of s: how a reflected SQLite database shows an enum. */
static const char *const *enum_from_checks(struct sr *r, const struct mig_schema *s,
					   const char *name, size_t *n)
{
	const char *dot = strrchr(name, '.');
	name = dot ? dot + 1 : name;
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct mig_table *t = &s->tables.v[i];
		for (size_t j = 0; j < t->checks.n; j++) {
			const char *column;
			const char *const *values;
			if (mig_streq(t->checks.v[j].name, name) &&
			    parse_in_list(r, t->checks.v[j].sql, &column, &values, n)) {
				return values;
			}
		}
	}
	return NULL;
}

/* The values of the enum a column is typed with (*n of them), or NULL when
 * its type is no enum known here. *name gets the enum's name (NULL for an
 * inline enum without one). */
static const char *const *enum_values(struct sr *r, const struct mig_type *t, const char **name,
				      size_t *n)
{
	*name = NULL;
	*n = 0;
	if (t->kind != MIG_TYPE_ENUM && t->kind != MIG_TYPE_OTHER) {
		return NULL;
	}
	const char *q = t->kind == MIG_TYPE_ENUM && t->enum_name ? t->enum_name : t->raw;
	const struct mig_enum *e = r->enums && q ? mig_schema_find_enum(r->enums, NULL, q) : NULL;
	if (e) {
		*name = e->name;
		*n = e->values.n;
		return e->values.v;
	}
	if (t->enum_values.n) {
		*name = t->kind == MIG_TYPE_ENUM ? t->enum_name : NULL;
		*n = t->enum_values.n;
		return t->enum_values.v;
	}
	const char *const *values = r->enums && q ? enum_from_checks(r, r->enums, q, n) : NULL;
	if (values) {
		*name = q;
	}
	return values;
}

/* Characters of UTF-8 text. */
static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++) {
		n += ((unsigned char)*s & 0xc0) != 0x80;
	}
	return n;
}

/* The declared type of a column (DESIGN §5, SQLite column). */
static int column_type(struct sr *r, struct mig_str *s, const struct mig_table *t,
		       const struct mig_column *c)
{
	const struct mig_type *ty = &c->type;
	const char *ename;
	size_t nvalues;
	const char *const *values = enum_values(r, ty, &ename, &nvalues);
	if (values) {
		size_t longest = 1;
		for (size_t i = 0; i < nvalues; i++) {
			size_t n = utf8_len(values[i]);
			longest = n > longest ? n : longest;
		}
		mig_str_addf(s, "VARCHAR(%zu)", longest);
		return 0;
	}
	switch (ty->kind) {
	case MIG_TYPE_SMALLINT:
		mig_str_add(s, "SMALLINT");
		return 0;
	case MIG_TYPE_INTEGER:
		mig_str_add(s, "INTEGER");
		return 0;
	case MIG_TYPE_BIGINT:
		mig_str_add(s, "BIGINT");
		return 0;
	case MIG_TYPE_BOOLEAN:
		mig_str_add(s, "BOOLEAN");
		return 0;
	case MIG_TYPE_REAL:
		mig_str_add(s, "REAL");
		return 0;
	case MIG_TYPE_FLOAT:
		mig_str_add(s, "FLOAT");
		return 0;
	case MIG_TYPE_NUMERIC:
		mig_str_add(s, "NUMERIC");
		if (ty->precision >= 0 && ty->scale >= 0) {
			mig_str_addf(s, "(%d, %d)", ty->precision, ty->scale);
		} else if (ty->precision >= 0) {
			mig_str_addf(s, "(%d)", ty->precision);
		}
		return 0;
	case MIG_TYPE_VARCHAR:
	case MIG_TYPE_CHAR:
		mig_str_add(s, ty->kind == MIG_TYPE_VARCHAR ? "VARCHAR" : "CHAR");
		if (ty->length >= 0) {
			mig_str_addf(s, "(%d)", ty->length);
		}
		return 0;
	case MIG_TYPE_TEXT:
	case MIG_TYPE_JSON:
		mig_str_add(s, "TEXT");
		return 0;
	case MIG_TYPE_DATE:
		mig_str_add(s, "DATE");
		return 0;
	case MIG_TYPE_TIME:
	case MIG_TYPE_TIMESTAMP:
	case MIG_TYPE_TIMESTAMPTZ:
		mig_str_add(s, ty->kind == MIG_TYPE_TIME	  ? "TIME"
			       : ty->kind == MIG_TYPE_TIMESTAMP ? "TIMESTAMP"
								: "TIMESTAMPTZ");
		if (ty->precision >= 0) {
			mig_str_addf(s, "(%d)", ty->precision);
		}
		return 0;
	case MIG_TYPE_INTERVAL:
		/* no interval type: the name keeps the column an interval to
		 * reflection (NUMERIC affinity, values as the application writes them) */
		mig_str_add(s, "INTERVAL");
		return 0;
	case MIG_TYPE_BINARY:
		mig_str_add(s, "BLOB");
		return 0;
	case MIG_TYPE_UUID:
		mig_str_add(s, "CHAR(36)");
		return 0;
	case MIG_TYPE_ENUM:
		return mig_op_error(r->op, "column '%s.%s' has type '%s', an enum not known here",
				    t->name, c->name, ty->enum_name ? ty->enum_name : ty->raw);
	case MIG_TYPE_OTHER:
		break;
	}
	mig_str_add(s, ty->raw ? ty->raw : "");
	return 0;
}

void sqlite_render_type(const struct mig_type *t, const struct mig_schema *s,
			struct mig_str *out)
{
	struct mig_op op;
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_ALTER_COLUMN;
	struct sr r = { &mig_sqlite_impl, &op, s, MIG_STRLIST_INIT, MIG_ARENA_INIT };
	struct mig_table tab;
	struct mig_column col;
	memset(&tab, 0, sizeof(tab));
	memset(&col, 0, sizeof(col));
	tab.name = "?";
	col.name = "?";
	col.type = *t;
	if (column_type(&r, out, &tab, &col) < 0) {
		mig_error_clear();
		mig_type_format(out, t);
	}
	mig_arena_release(&r.arena);
	mig_strlist_release(&r.stmts);
}

/* <column> IN ('a', 'b'): what keeps a column to an enum's values. */
static void in_list(const struct sr *r, struct mig_str *s, const char *column,
		    const char *const *values, size_t n)
{
	ident(r, s, column);
	mig_str_add(s, " IN (");
	for (size_t i = 0; i < n; i++) {
		if (i) {
			mig_str_add(s, ", ");
		}
		literal(r, s, values[i]);
	}
	mig_str_addch(s, ')');
}

/* The CHECK that keeps an enum-typed column to its values, named by the enum
 * (as SQLAlchemy names it) or, for an enum without a name, <table>_<column>. */
static void enum_check(struct sr *r, struct mig_str *s, const struct mig_table *t,
		       const struct mig_column *c)
{
	const char *ename;
	size_t n;
	const char *const *values = enum_values(r, &c->type, &ename, &n);
	if (!values) {
		return;
	}
	mig_str_add(s, " CONSTRAINT ");
	if (ename) {
		const char *dot = strrchr(ename, '.');
		ident(r, s, dot ? dot + 1 : ename);
	} else {
		char *own = xasprintf("%s_%s", t->name, c->name);
		ident(r, s, own);
		free(own);
	}
	mig_str_add(s, " CHECK (");
	in_list(r, s, c->name, values, n);
	mig_str_addch(s, ')');
}

/* ---- definitions ---- */

/* REFERENCES <table> (<columns>) and the actions. A foreign key of SQLite
 * names its parent without a schema: the parent is in the same database. */
static void references(const struct sr *r, struct mig_str *s, const char *ref_table,
		       const char *const *ref_columns, size_t n, enum mig_fk_action on_delete,
		       enum mig_fk_action on_update, bool deferrable, bool initially_deferred)
{
	mig_str_add(s, "REFERENCES ");
	ident(r, s, ref_table);
	mig_str_addch(s, ' ');
	ident_list(r, s, ref_columns, n);
	mig_render_fk_actions(s, on_delete, on_update);
	if (deferrable || initially_deferred) {
		mig_str_add(s, initially_deferred ? " DEFERRABLE INITIALLY DEFERRED"
					       : " DEFERRABLE");
	}
}

static void constraint_name(const struct sr *r, struct mig_str *s, const char *name)
{
	if (name) {
		mig_str_add(s, "CONSTRAINT ");
		ident(r, s, name);
		mig_str_addch(s, ' ');
	}
}

static bool without_rowid(const struct mig_table *t)
{
	if (!t->options) {
		return false;
	}
	char *up = xstrdup(t->options);
	for (char *p = up; *p; p++) {
		*p = (char)toupper((unsigned char)*p);
	}
	bool r = strstr(up, "WITHOUT") && strstr(up, "ROWID");
	free(up);
	return r;
}

/* Table options SQLite has (WITHOUT ROWID, STRICT, commas between them);
 * other dialects' options (ENGINE=…) are left out. */
static bool sqlite_options(const char *options)
{
	const char *p = options;
	while (*p) {
		if (isspace((unsigned char)*p) || *p == ',') {
			p++;
			continue;
		}
		const char *start = p;
		while (isalpha((unsigned char)*p)) {
			p++;
		}
		size_t n = (size_t)(p - start);
		if (!((n == 7 && strncasecmp(start, "WITHOUT", 7) == 0) ||
		      (n == 5 && strncasecmp(start, "ROWID", 5) == 0) ||
		      (n == 6 && strncasecmp(start, "STRICT", 6) == 0))) {
			return false;
		}
	}
	return true;
}

/* The column of t that is a rowid alias (INTEGER PRIMARY KEY), or NULL: a
 * single integer primary key that autoincrements (DESIGN §5). */
static const struct mig_column *rowid_column(const struct mig_table *t)
{
	if (t->pk.columns.n != 1 || without_rowid(t)) {
		return NULL;
	}
	const struct mig_column *c = mig_table_find_column(t, t->pk.columns.v[0]);
	if (!c || !integer_kind(&c->type) || c->computed_sql) {
		return NULL;
	}
	return c->autoincrement != MIG_FALSE || c->identity ? c : NULL;
}

static int check_autoincrement(const struct sr *r, const struct mig_table *t,
			       const struct mig_column *rowid)
{
	for (size_t i = 0; i < t->columns.n; i++) {
		const struct mig_column *c = &t->columns.v[i];
		if ((c->autoincrement == MIG_TRUE || c->identity) && c != rowid) {
			return mig_op_error(
			    r->op,
			    "column '%s.%s': sqlite generates values only for a single "
			    "integer primary key of a rowid table",
			    t->name, c->name);
		}
	}
	return 0;
}

/* One column definition. rowid: the column is the table's INTEGER PRIMARY
 * KEY, written inline (pk_name is the primary key's name). */
static int column_def(struct sr *r, struct mig_str *s, const struct mig_table *t,
		      const struct mig_column *c, bool rowid, const char *pk_name)
{
	ident(r, s, c->name);
	mig_str_addch(s, ' ');
	if (rowid) {
		mig_str_add(s, "INTEGER NOT NULL ");
		constraint_name(r, s, pk_name);
		mig_str_add(s, "PRIMARY KEY");
		if (c->autoincrement == MIG_TRUE) {
			mig_str_add(s, " AUTOINCREMENT");
		}
	} else if (c->type.kind == MIG_TYPE_INTEGER && t->pk.columns.n == 1 &&
		   mig_streq(t->pk.columns.v[0], c->name) && !without_rowid(t)) {
		/* a single integer primary key that must not autoincrement: only
		 * the exact name INTEGER makes a rowid alias */
		mig_str_add(s, c->nullable ? "INT" : "INT NOT NULL");
	} else {
		if (column_type(r, s, t, c) < 0) {
			return MIG_ERROR;
		}
		if (!c->nullable) {
			mig_str_add(s, " NOT NULL");
		}
	}
	if (c->unique) {
		mig_str_add(s, " UNIQUE");
	}
	if (c->default_sql) {
		default_clause(s, c->default_sql);
	}
	if (c->collation) {
		mig_str_add(s, " COLLATE ");
		ident(r, s, c->collation);
	}
	if (c->computed_sql) {
		mig_str_addf(s, " GENERATED ALWAYS AS (%s) %s", c->computed_sql,
			     c->computed_stored ? "STORED" : "VIRTUAL");
	}
	enum_check(r, s, t, c);
	if (c->ref_table) {
		const char *dot = strrchr(c->ref_table, '.');
		mig_str_addch(s, ' ');
		references(r, s, dot ? dot + 1 : c->ref_table, &c->ref_column, 1, c->on_delete,
			   c->on_update, c->deferrable, c->initially_deferred);
	}
	return 0;
}

/* CREATE TABLE for t under the name (schema, name): t's own name for
 * create_table, the temporary name for a rebuild. */
static int create_table_sql(struct sr *r, const struct mig_table *t, const char *schema,
			    const char *name, struct mig_str *s)
{
	const struct mig_column *rowid = rowid_column(t);
	if (check_autoincrement(r, t, rowid) < 0) {
		return MIG_ERROR;
	}
	mig_str_add(s, "CREATE TABLE ");
	qualname(r, s, schema, name);
	mig_str_add(s, " (");
	const char *sep = "\n\t";
	for (size_t i = 0; i < t->columns.n; i++) {
		const struct mig_column *c = &t->columns.v[i];
		mig_str_add(s, sep);
		if (column_def(r, s, t, c, c == rowid, t->pk.name) < 0) {
			return MIG_ERROR;
		}
		sep = ",\n\t";
	}
	if (t->pk.columns.n && !rowid) {
		mig_str_add(s, sep);
		constraint_name(r, s, t->pk.name);
		mig_str_add(s, "PRIMARY KEY ");
		ident_list(r, s, t->pk.columns.v, t->pk.columns.n);
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		const struct mig_unique *u = &t->uniques.v[i];
		mig_str_add(s, sep);
		constraint_name(r, s, u->name);
		mig_str_add(s, "UNIQUE ");
		ident_list(r, s, u->columns.v, u->columns.n);
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		const struct mig_check *c = &t->checks.v[i];
		mig_str_add(s, sep);
		constraint_name(r, s, c->name);
		mig_str_addf(s, "CHECK (%s)", c->sql);
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		const struct mig_foreign_key *f = &t->fks.v[i];
		mig_str_add(s, sep);
		constraint_name(r, s, f->name);
		mig_str_add(s, "FOREIGN KEY ");
		ident_list(r, s, f->columns.v, f->columns.n);
		mig_str_addch(s, ' ');
		references(r, s, f->ref_table, f->ref_columns.v, f->ref_columns.n, f->on_delete,
			   f->on_update, f->deferrable, f->initially_deferred);
	}
	mig_str_add(s, "\n)");
	if (t->options && sqlite_options(t->options)) {
		mig_str_addf(s, " %s", t->options);
	}
	return 0;
}

/* CREATE INDEX; SQLite puts the schema on the index, not on the table. */
static void create_index_sql(const struct sr *r, const char *schema, const char *table,
			     const struct mig_index *ix, struct mig_str *s)
{
	mig_str_add(s, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	qualname(r, s, schema, ix->name);
	mig_str_add(s, " ON ");
	ident(r, s, table);
	mig_str_add(s, " (");
	for (size_t i = 0; i < ix->elems.n; i++) {
		const struct mig_index_elem *e = &ix->elems.v[i];
		if (i) {
			mig_str_add(s, ", ");
		}
		if (e->column) {
			ident(r, s, e->column);
		} else {
			mig_str_add(s, e->expression);
		}
		if (e->desc) {
			mig_str_add(s, " DESC");
		}
	}
	mig_str_addch(s, ')');
	if (ix->where) {
		mig_str_addf(s, " WHERE %s", ix->where);
	}
}

/* ---- table rebuild ---- */

/* The triggers on table (schema, name) recorded in s with their SQL. */
static void table_triggers(const struct mig_schema *s, const char *schema, const char *name,
			   struct mig_strlist *out)
{
	for (size_t i = 0; i < s->objects.n; i++) {
		const struct mig_object *o = &s->objects.v[i];
		if (o->kind == MIG_OBJ_TRIGGER && o->sql && mig_strieq(o->detail, name) &&
		    mig_streq(o->schema, schema)) {
			mig_strlist_push(out, o->sql);
		}
	}
}

static bool autoincrements(const struct mig_table *t)
{
	const struct mig_column *c = rowid_column(t);
	return c && c->autoincrement == MIG_TRUE;
}

/* The column of before that the column now of after comes from, or NULL for
 * a new one (alter_column may have renamed it). */
static const struct mig_column *source_column(const struct sr *r, const struct mig_table *before,
					      const struct mig_column *c)
{
	const struct mig_op *op = r->op;
	if (op->kind == MIG_OP_ALTER_COLUMN && op->alter.new_name &&
	    mig_streq(c->name, op->alter.new_name)) {
		return mig_table_find_column(before, op->column);
	}
	const struct mig_column *from = mig_table_find_column(before, c->name);
	if (from && op->kind == MIG_OP_ALTER_COLUMN && op->alter.new_name &&
	    mig_streq(from->name, op->column) && !mig_streq(op->column, op->alter.new_name)) {
		return NULL; /* the old name of the renamed column */
	}
	return from;
}

/* What in t still uses column after the op dropped it (an index expression
 * or predicate, a check, a generated column: what mig_schema_apply cannot
 * tell uses it), as an error; a rebuild would fail on it half way. */
static int check_dropped_column(const struct sr *r, const struct mig_table *t, const char *column)
{
	const char *what = NULL, *name = NULL;
	for (size_t i = 0; i < t->indexes.n && !what; i++) {
		const struct mig_index *ix = &t->indexes.v[i];
		bool uses = ix->where && mig_sql_names(ix->where, column);
		for (size_t j = 0; j < ix->elems.n; j++) {
			const char *e = ix->elems.v[j].expression;
			uses = uses || (e && mig_sql_names(e, column));
		}
		if (uses) {
			what = "index";
			name = ix->name;
		}
	}
	for (size_t i = 0; i < t->checks.n && !what; i++) {
		if (mig_sql_names(t->checks.v[i].sql, column)) {
			what = "check constraint";
			name = t->checks.v[i].name;
		}
	}
	for (size_t i = 0; i < t->columns.n && !what; i++) {
		const struct mig_column *c = &t->columns.v[i];
		if (c->computed_sql && mig_sql_names(c->computed_sql, column)) {
			what = "generated column";
			name = c->name;
		}
	}
	if (!what) {
		return 0;
	}
	if (!name) {
		return mig_op_error(r->op,
				    "column '%s' of table '%s' is used by a %s (drop that first)",
				    column, t->name, what);
	}
	return mig_op_error(r->op,
			    "column '%s' of table '%s' is used by %s '%s' (drop that "
			    "first)",
			    column, t->name, what, name);
}

/* Rebuild table (schema, name) of before into its definition in after (the
 * schema with the op applied): SQLite's procedure for the changes ALTER
 * TABLE cannot make. Foreign keys are off for it (a no-op inside a
 * transaction, where the dialect's begin has turned them off already), so
 * dropping the old table deletes no rows elsewhere; legacy_alter_table keeps
 * the rename from checking views and triggers that name the table while it
 * does not exist. */
static int rebuild(struct sr *r, const struct mig_schema *before, const struct mig_schema *after,
		   const char *schema, const char *name)
{
	const struct mig_table *bt = mig_schema_find_table(before, schema, name);
	const struct mig_table *at = mig_schema_find_table(after, schema, name);
	struct mig_str s = MIG_STR_INIT, cols_to = MIG_STR_INIT, cols_from = MIG_STR_INIT;
	struct mig_strlist triggers = MIG_STRLIST_INIT;
	char *tmp = xasprintf(REBUILD_PREFIX "%s", name);
	int rc = MIG_ERROR;

	if (!bt || !at) {
		rc = mig_op_error(r->op, "no table '%s'", name);
		goto done;
	}
	if (r->op->kind == MIG_OP_DROP_COLUMN && check_dropped_column(r, at, r->op->column) < 0) {
		goto done;
	}
	for (size_t i = 0; i < at->columns.n; i++) {
		const struct mig_column *c = &at->columns.v[i];
		const struct mig_column *from = source_column(r, bt, c);
		if (c->computed_sql || (from && from->computed_sql)) {
			continue; /* generated: SQLite computes it */
		}
		if (!from) {
			/* a new NOT NULL column without a default: the copy fails
			 * with SQLite's "NOT NULL constraint failed" when there
			 * are rows, and works on an empty table */
			continue;
		}
		mig_str_add(&cols_to, cols_to.len ? ", " : "");
		ident(r, &cols_to, c->name);
		mig_str_add(&cols_from, cols_from.len ? ", " : "");
		ident(r, &cols_from, from->name);
	}
	emit_text(r, "PRAGMA foreign_keys = OFF");
	if (create_table_sql(r, at, schema, tmp, &s) < 0) {
		goto done;
	}
	emit(r, &s);
	if (autoincrements(at) && autoincrements(bt)) {
		/* AUTOINCREMENT never reuses a number: the copy starts from the old
		 * table's high-water mark */
		mig_str_add(&s, "INSERT INTO ");
		qualname(r, &s, schema, "sqlite_sequence");
		mig_str_add(&s, " (name, seq) SELECT ");
		literal(r, &s, tmp);
		mig_str_add(&s, ", seq FROM ");
		qualname(r, &s, schema, "sqlite_sequence");
		mig_str_add(&s, " WHERE name = ");
		literal(r, &s, name);
		emit(r, &s);
	}
	if (cols_to.len) {
		mig_str_add(&s, "INSERT INTO ");
		qualname(r, &s, schema, tmp);
		mig_str_addf(&s, " (%s) SELECT %s FROM ", cols_to.buf, cols_from.buf);
		qualname(r, &s, schema, name);
		emit(r, &s);
	}
	mig_str_add(&s, "DROP TABLE ");
	qualname(r, &s, schema, name);
	emit(r, &s);
	emit_text(r, "PRAGMA legacy_alter_table = ON");
	mig_str_add(&s, "ALTER TABLE ");
	qualname(r, &s, schema, tmp);
	mig_str_add(&s, " RENAME TO ");
	ident(r, &s, name);
	emit(r, &s);
	emit_text(r, "PRAGMA legacy_alter_table = OFF");
	for (size_t i = 0; i < at->indexes.n; i++) {
		create_index_sql(r, schema, name, &at->indexes.v[i], &s);
		emit(r, &s);
	}
	table_triggers(before, schema, name, &triggers);
	for (size_t i = 0; i < triggers.n; i++) {
		emit_text(r, triggers.v[i]);
	}
	emit_text(r, "PRAGMA foreign_keys = ON");
	rc = 0;
done:
	free(tmp);
	mig_strlist_release(&triggers);
	mig_str_release(&s);
	mig_str_release(&cols_to);
	mig_str_release(&cols_from);
	return rc;
}

/* The schema with the op applied, for a rebuild (NULL after an error). */
static struct mig_schema *schema_after(struct sr *r, const struct mig_schema *before)
{
	struct mig_schema *after = mig_schema_copy(before);
	if (mig_schema_apply(after, r->op) < 0) {
		mig_schema_free(after);
		return NULL;
	}
	return after;
}

/* Rebuild the op's table; what, for the message when the schema is unknown. */
static int rebuild_for_op(struct sr *r, const struct mig_render_ctx *ctx, const char *what)
{
	const struct mig_op *op = r->op;
	if (!ctx->schema) {
		return mig_op_error_code(
		    r->op, MIG_ERROR, MIG_ECLASS_USAGE,
		    "%s of table '%s' needs a table rebuild on sqlite, which needs the "
		    "table's definition (the schema before the op is not known here)",
		    what, op->table);
	}
	struct mig_schema *after = schema_after(r, ctx->schema);
	if (!after) {
		return MIG_ERROR;
	}
	const struct mig_schema *saved = r->enums;
	r->enums = after;
	int rc = rebuild(r, ctx->schema, after, op->schema, op->table);
	r->enums = saved;
	mig_schema_free(after);
	return rc;
}

/* ---- ops ---- */

static int render_create_table(struct sr *r)
{
	const struct mig_op *op = r->op;
	const struct mig_table *t = op->table_def;
	struct mig_str s = MIG_STR_INIT;
	if (!t) {
		return mig_op_error(r->op, "no definition of table '%s'", op->table);
	}
	if (create_table_sql(r, t, op->schema, op->table, &s) < 0) {
		mig_str_release(&s);
		return MIG_ERROR;
	}
	emit(r, &s);
	for (size_t i = 0; i < t->indexes.n; i++) {
		create_index_sql(r, op->schema, op->table, &t->indexes.v[i], &s);
		emit(r, &s);
	}
	return 0;
}

/* Whether ALTER TABLE ADD COLUMN can add c: SQLite's own conditions. */
static bool can_add_column(const struct mig_column *c)
{
	if (c->primary_key || c->unique || (c->computed_sql && c->computed_stored)) {
		return false;
	}
	if (c->default_sql) {
		char *text = xstrdup(c->default_sql);
		const char *t = mig_strtrim(text);
		bool constant = is_constant(t);
		bool null = mig_strieq(t, "NULL");
		free(text);
		/* a foreign key column added with a value would not be checked */
		return constant && (!c->ref_table || null) && (c->nullable || !null);
	}
	return c->nullable || c->computed_sql;
}

static int render_add_column(struct sr *r, const struct mig_render_ctx *ctx)
{
	const struct mig_op *op = r->op;
	const struct mig_column *c = op->column_def;
	struct mig_str s = MIG_STR_INIT;
	if (!c) {
		return mig_op_error(r->op, "no definition of column '%s'", op->column);
	}
	if ((c->autoincrement == MIG_TRUE || c->identity) && !c->primary_key) {
		return mig_op_error(
		    r->op,
		    "column '%s.%s': sqlite generates values only for a single integer "
		    "primary key of a rowid table",
		    op->table, c->name);
	}
	if (!can_add_column(c)) {
		return rebuild_for_op(r, ctx, "adding this column");
	}
	struct mig_table t;
	memset(&t, 0, sizeof(t));
	t.schema = op->schema;
	t.name = op->table;
	mig_str_add(&s, "ALTER TABLE ");
	qualname(r, &s, op->schema, op->table);
	mig_str_add(&s, " ADD COLUMN ");
	if (column_def(r, &s, &t, c, false, NULL) < 0) {
		mig_str_release(&s);
		return MIG_ERROR;
	}
	emit(r, &s);
	if (c->index) {
		/* the one-column index, named as mig_schema_apply names it */
		const char *tmpl = "ix_%(table)s_%(columns)s";
		if (ctx->schema && ctx->schema->naming.ix) {
			tmpl = ctx->schema->naming.ix;
		}
		struct mig_arena a = MIG_ARENA_INIT;
		struct mig_index ix;
		struct mig_index_elem e = { c->name, NULL, false };
		memset(&ix, 0, sizeof(ix));
		ix.name = mig_naming_apply(&a, tmpl, op->table, &c->name, 1, NULL, NULL);
		ix.elems.v = &e;
		ix.elems.n = 1;
		create_index_sql(r, op->schema, op->table, &ix, &s);
		emit(r, &s);
		mig_arena_release(&a);
	}
	return 0;
}

static bool names_have(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (mig_strieq(names[i], name)) {
			return true;
		}
	}
	return false;
}

/* Whether ALTER TABLE DROP COLUMN can drop column from t: SQLite refuses a
 * column that is in a key, an index, a constraint or a generated column. */
static bool can_drop_column(const struct mig_schema *s, const struct mig_table *t,
			    const char *column)
{
	if (sqlite3_libversion_number() < 3035000 || without_rowid(t) ||
	    names_have(t->pk.columns.v, t->pk.columns.n, column)) {
		return false;
	}
	const struct mig_column *c = mig_table_find_column(t, column);
	if (c && (c->unique || c->ref_table || c->index)) {
		return false;
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		if (names_have(t->uniques.v[i].columns.v, t->uniques.v[i].columns.n, column)) {
			return false;
		}
	}
	for (size_t i = 0; i < t->indexes.n; i++) {
		const struct mig_index *ix = &t->indexes.v[i];
		if (ix->where && mig_sql_names(ix->where, column)) {
			return false;
		}
		for (size_t j = 0; j < ix->elems.n; j++) {
			const struct mig_index_elem *e = &ix->elems.v[j];
			if ((e->column && mig_strieq(e->column, column)) ||
			    (e->expression && mig_sql_names(e->expression, column))) {
				return false;
			}
		}
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		if (names_have(t->fks.v[i].columns.v, t->fks.v[i].columns.n, column)) {
			return false;
		}
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		if (mig_sql_names(t->checks.v[i].sql, column)) {
			return false;
		}
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		const char *expr = t->columns.v[i].computed_sql;
		if (expr && mig_sql_names(expr, column)) {
			return false;
		}
	}
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct mig_table *o = &s->tables.v[i];
		for (size_t j = 0; j < o->fks.n; j++) {
			const struct mig_foreign_key *f = &o->fks.v[j];
			if (mig_strieq(f->ref_table, t->name) &&
			    names_have(f->ref_columns.v, f->ref_columns.n, column)) {
				return false;
			}
		}
	}
	return true;
}

static int render_drop_column(struct sr *r, const struct mig_render_ctx *ctx)
{
	const struct mig_op *op = r->op;
	const struct mig_table *t =
		ctx->schema ? mig_schema_find_table(ctx->schema, op->schema, op->table) : NULL;
	if (t && !can_drop_column(ctx->schema, t, op->column)) {
		return rebuild_for_op(r, ctx, "dropping this column");
	}
	/* without the schema, SQLite itself refuses a column it cannot drop */
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "ALTER TABLE ");
	qualname(r, &s, op->schema, op->table);
	mig_str_add(&s, " DROP COLUMN ");
	ident(r, &s, op->column);
	emit(r, &s);
	return 0;
}

static int render_alter_column(struct sr *r, const struct mig_render_ctx *ctx)
{
	const struct mig_op *op = r->op;
	const struct mig_alter_column *a = &op->alter;
	bool renames = a->new_name && !mig_streq(a->new_name, op->column);
	bool other = mig_type_is_set(&a->type) || a->nullable != MIG_UNSET || a->default_sql.set;
	if (other || (renames && sqlite3_libversion_number() < 3025000)) {
		return rebuild_for_op(r, ctx, "altering a column");
	}
	if (renames) {
		struct mig_str s = MIG_STR_INIT;
		mig_str_add(&s, "ALTER TABLE ");
		qualname(r, &s, op->schema, op->table);
		mig_str_add(&s, " RENAME COLUMN ");
		ident(r, &s, op->column);
		mig_str_add(&s, " TO ");
		ident(r, &s, a->new_name);
		emit(r, &s);
	}
	/* a comment alone: SQLite has no comments, the model keeps it */
	return 0;
}

/* Where add_enum_value puts its value among values (n of them): *at, or
 * *skip when the value is there and if_not_exists says so. */
static int enum_value_position(struct sr *r, const char *const *values, size_t n, size_t *at,
			       bool *skip)
{
	const struct mig_op *op = r->op;
	const char *anchor = op->before ? op->before : op->after;
	*skip = false;
	*at = n;
	for (size_t i = 0; i < n; i++) {
		if (mig_streq(values[i], op->value)) {
			if (op->if_not_exists) {
				*skip = true;
				return 0;
			}
			return mig_op_error(r->op, "enum '%s' has the value '%s' already", op->name,
					    op->value);
		}
	}
	if (!anchor) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (mig_streq(values[i], anchor)) {
			*at = op->before ? i : i + 1;
			return 0;
		}
	}
	return mig_op_error(r->op, "enum '%s' has no value '%s'", op->name, anchor);
}

/* Add the op's value to the CHECKs named after the enum in t (how a
 * reflected database shows an enum's columns), widening their VARCHAR.
 * Returns 1 when t changed. */
static int add_value_to_checks(struct sr *r, struct mig_schema *s, struct mig_table *t)
{
	const char *dot = strrchr(r->op->name, '.');
	const char *name = dot ? dot + 1 : r->op->name;
	int changed = 0;
	for (size_t i = 0; i < t->checks.n; i++) {
		struct mig_check *ck = &t->checks.v[i];
		const char *column;
		const char *const *values;
		size_t n, at;
		bool skip;
		if (!mig_streq(ck->name, name) || !parse_in_list(r, ck->sql, &column, &values, &n)) {
			continue;
		}
		if (enum_value_position(r, values, n, &at, &skip) < 0) {
			return MIG_ERROR;
		}
		if (skip) {
			continue;
		}
		const char **now = mig_arena_alloc(&r->arena, (n + 1) * sizeof(*now));
		memcpy(now, values, at * sizeof(*now));
		now[at] = r->op->value;
		memcpy(now + at + 1, values + at, (n - at) * sizeof(*now));
		struct mig_str text = MIG_STR_INIT;
		in_list(r, &text, column, now, n + 1);
		ck->sql = mig_arena_strdup(&s->arena, text.buf);
		mig_str_release(&text);
		for (size_t j = 0; j < t->columns.n; j++) {
			struct mig_type *ty = &t->columns.v[j].type;
			int len = (int)utf8_len(r->op->value);
			if (mig_strieq(t->columns.v[j].name, column) && ty->kind == MIG_TYPE_VARCHAR &&
			    ty->length >= 0 && ty->length < len) {
				ty->length = len;
			}
		}
		changed = 1;
	}
	return changed;
}

/* add_enum_value: the CHECK of every column of the enum changes, so each
 * table with one is rebuilt. Its columns are those typed by the enum in the
 * schema (which the enum is then part of) and those whose CHECK is named
 * after it (a reflected database, which knows no enums). */
static int render_add_enum_value(struct sr *r, const struct mig_render_ctx *ctx)
{
	const struct mig_op *op = r->op;
	if (!ctx->schema) {
		return mig_op_error_code(
		    r->op, MIG_ERROR, MIG_ECLASS_USAGE,
		    "the columns of enum '%s' are kept to its values by CHECK constraints "
		    "on sqlite, and finding them needs the schema before the op (not known "
		    "here)",
		    op->name);
	}
	const struct mig_enum *e = mig_schema_find_enum(ctx->schema, op->schema, op->name);
	size_t at;
	bool skip = false;
	if (e && enum_value_position(r, e->values.v, e->values.n, &at, &skip) < 0) {
		return MIG_ERROR;
	}
	if (skip) {
		return 0;
	}
	struct mig_schema *after = e ? schema_after(r, ctx->schema) : mig_schema_copy(ctx->schema);
	if (!after) {
		return MIG_ERROR;
	}
	const struct mig_enum *ae = e ? mig_schema_find_enum(after, op->schema, op->name) : NULL;
	int rc = 0;
	r->enums = after;
	for (size_t i = 0; i < after->tables.n && rc == 0; i++) {
		struct mig_table *t = &after->tables.v[i];
		bool uses = false;
		for (size_t j = 0; ae && j < t->columns.n && !uses; j++) {
			const struct mig_type *ty = &t->columns.v[j].type;
			const char *ename;
			size_t n;
			uses = enum_values(r, ty, &ename, &n) == ae->values.v;
		}
		rc = add_value_to_checks(r, after, t);
		if (rc >= 0 && (uses || rc > 0)) {
			rc = rebuild(r, ctx->schema, after, t->schema, t->name);
		}
	}
	r->enums = ctx->schema;
	mig_schema_free(after);
	return rc < 0 ? rc : 0;
}

static int render_bulk_insert(struct sr *r)
{
	const struct mig_op *op = r->op;
	struct mig_str s = MIG_STR_INIT;
	if (!op->rows.n) {
		return 0;
	}
	mig_str_add(&s, "INSERT INTO ");
	qualname(r, &s, op->schema, op->table);
	mig_str_addch(&s, ' ');
	ident_list(r, &s, op->columns.v, op->columns.n);
	mig_str_add(&s, " VALUES ");
	for (size_t i = 0; i < op->rows.n; i++) {
		const struct mig_value *row = op->rows.v[i];
		mig_str_add(&s, i ? ", (" : "(");
		for (size_t j = 0; j < op->columns.n; j++) {
			const struct mig_value *v = &row[j];
			if (j) {
				mig_str_add(&s, ", ");
			}
			switch (v->kind) {
			case MIG_VALUE_NULL:
				mig_str_add(&s, "NULL");
				break;
			case MIG_VALUE_STRING:
				literal(r, &s, v->text);
				break;
			case MIG_VALUE_NUMBER:
				mig_str_add(&s, v->text);
				break;
			case MIG_VALUE_BOOL:
				mig_str_add(&s, mig_streq(v->text, "true") ? "1" : "0");
				break;
			}
		}
		mig_str_addch(&s, ')');
	}
	emit(r, &s);
	return 0;
}

static int render(struct sr *r, const struct mig_render_ctx *ctx)
{
	const struct mig_op *op = r->op;
	struct mig_str s = MIG_STR_INIT;
	const char *text;
	switch (op->kind) {
	case MIG_OP_CREATE_TABLE:
		return render_create_table(r);
	case MIG_OP_DROP_TABLE:
		mig_str_add(&s, "DROP TABLE ");
		qualname(r, &s, op->schema, op->table);
		emit(r, &s);
		return 0;
	case MIG_OP_RENAME_TABLE:
		mig_str_add(&s, "ALTER TABLE ");
		qualname(r, &s, op->schema, op->table);
		mig_str_add(&s, " RENAME TO ");
		ident(r, &s, op->new_name);
		emit(r, &s);
		return 0;
	case MIG_OP_ADD_COLUMN:
		return render_add_column(r, ctx);
	case MIG_OP_DROP_COLUMN:
		return render_drop_column(r, ctx);
	case MIG_OP_ALTER_COLUMN:
		return render_alter_column(r, ctx);
	case MIG_OP_CREATE_INDEX:
		if (!op->index) {
			return mig_op_error(r->op, "no definition of index '%s'", op->name);
		}
		create_index_sql(r, op->schema, op->table, op->index, &s);
		emit(r, &s);
		return 0;
	case MIG_OP_DROP_INDEX:
		mig_str_add(&s, "DROP INDEX ");
		qualname(r, &s, op->schema, op->name);
		emit(r, &s);
		return 0;
	case MIG_OP_CREATE_PRIMARY_KEY:
		return rebuild_for_op(r, ctx, "adding a primary key");
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
		return rebuild_for_op(r, ctx, "adding a unique constraint");
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
		return rebuild_for_op(r, ctx, "adding a check constraint");
	case MIG_OP_CREATE_FOREIGN_KEY:
		return rebuild_for_op(r, ctx, "adding a foreign key");
	case MIG_OP_DROP_CONSTRAINT:
		return rebuild_for_op(r, ctx, "dropping a constraint");
	case MIG_OP_CREATE_TABLE_COMMENT:
	case MIG_OP_DROP_TABLE_COMMENT:
	case MIG_OP_CREATE_ENUM:
	case MIG_OP_DROP_ENUM:
		/* no comments on SQLite, and an enum lives in its columns' CHECKs */
		return 0;
	case MIG_OP_ADD_ENUM_VALUE:
		return render_add_enum_value(r, ctx);
	case MIG_OP_BULK_INSERT:
		return render_bulk_insert(r);
	case MIG_OP_SQL:
		if (mig_op_sql_text(op, "sqlite", &text) < 0) {
			return MIG_ERROR;
		}
		emit_text(r, text);
		return 0;
	}
	return mig_op_error(r->op, "unknown op kind %d", (int)op->kind);
}

int sqlite_render_op(const struct mig_render_ctx *ctx, const struct mig_op *op,
		     struct mig_strlist *out)
{
	struct sr r = { ctx->impl, op, ctx->schema, MIG_STRLIST_INIT, MIG_ARENA_INIT };
	int rc = render(&r, ctx);
	mig_arena_release(&r.arena);
	if (rc == 0) {
		for (size_t i = 0; i < r.stmts.n; i++) {
			mig_strlist_push_owned(out, r.stmts.v[i]);
		}
		free(r.stmts.v);
	} else {
		mig_strlist_release(&r.stmts);
	}
	return rc;
}
