/* Rendering ops to PostgreSQL SQL (the render_op slot of the PostgreSQL impl).
 * Every op becomes one or more statements that run inside a transaction;
 * every identifier is quoted and every literal escaped by the dialect's own
 * quoting, and tables are schema-qualified when the op names a schema. */
#include "postgresql.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* PostgreSQL's NAMEDATALEN: identifiers keep at most 63 bytes. */
#define PG_NAMEDATALEN 64

/* What rendering one op needs besides the op. */
struct pr {
	const struct mig_dialect_impl *impl;
	const struct mig_op *op;
	/* The schema just before the op (enum types, naming convention, the
	 * table's primary key), or NULL when unknown. */
	const struct mig_schema *schema;
	struct mig_arena arena;   /* names made while rendering */
	struct mig_strlist stmts; /* moved to the caller's list on success */
};

static void ident(const struct pr *r, struct mig_str *s, const char *name)
{
	r->impl->quote_ident(s, name);
}

static void literal(const struct pr *r, struct mig_str *s, const char *text)
{
	r->impl->quote_literal(s, text);
}

static void qualname(const struct pr *r, struct mig_str *s, const char *schema, const char *name)
{
	mig_render_qualname(r->impl, s, schema, name);
}

/* A name written "schema.name" (an enum type, a referenced table): each part
 * quoted. */
static void dotted_name(const struct pr *r, struct mig_str *s, const char *text)
{
	const char *dot = strchr(text, '.');
	if (!dot) {
		ident(r, s, text);
		return;
	}
	char *schema = xstrndup(text, (size_t)(dot - text));
	qualname(r, s, schema, dot + 1);
	free(schema);
}

/* The op's table. */
static void op_table(const struct pr *r, struct mig_str *s)
{
	qualname(r, s, r->op->schema, r->op->table);
}

static void ident_list(const struct pr *r, struct mig_str *s, const char *const *names, size_t n)
{
	mig_render_ident_list(r->impl, s, names, n);
}

static void emit(struct pr *r, struct mig_str *s)
{
	mig_strlist_push_owned(&r->stmts, mig_str_detach(s));
}

/* "ALTER TABLE <the op's table> " started in s. */
static void alter_table(const struct pr *r, struct mig_str *s)
{
	mig_str_add(s, "ALTER TABLE ");
	op_table(r, s);
	mig_str_addch(s, ' ');
}

static const struct mig_naming_convention *naming(const struct pr *r)
{
	static const struct mig_naming_convention none;
	return r->schema ? &r->schema->naming : &none;
}

/* ---- names PostgreSQL chooses ---- */

/* How many of the first n bytes of s end on a whole UTF-8 character
 * (PostgreSQL's pg_mbcliplen for a UTF-8 database). */
static size_t utf8_clip(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
		n--;
	}
	return n;
}

/* The name PostgreSQL gives an unnamed constraint: name1_name2_label cut to
 * 63 bytes the way its makeObjectName() cuts it (the longer part loses a
 * byte at a time). It may add a number when that name is taken, which this
 * cannot know. */
static const char *pg_object_name(struct pr *r, const char *name1, const char *name2,
				  const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = (name2 ? 1 : 0) + strlen(label) + 1;
	size_t avail = PG_NAMEDATALEN - 1 - overhead;
	while (n1 + n2 > avail) {
		if (n1 > n2) {
			n1--;
		} else {
			n2--;
		}
	}
	n1 = utf8_clip(name1, n1);
	if (name2) {
		n2 = utf8_clip(name2, n2);
		return mig_arena_printf(&r->arena, "%.*s_%.*s_%s", (int)n1, name1, (int)n2, name2,
					label);
	}
	return mig_arena_printf(&r->arena, "%.*s_%s", (int)n1, name1, label);
}

/* The column part of a default constraint name: the names joined with '_',
 * stopping once it reaches NAMEDATALEN, as ChooseIndexNameAddition() does. */
static const char *pg_name_addition(struct pr *r, const char *const *names, size_t n)
{
	struct mig_str s = MIG_STR_INIT;
	for (size_t i = 0; i < n && s.len < PG_NAMEDATALEN; i++) {
		if (i) {
			mig_str_addch(&s, '_');
		}
		size_t len = strlen(names[i]);
		mig_str_addn(&s, names[i], len < PG_NAMEDATALEN ? len : PG_NAMEDATALEN - 1);
	}
	const char *out = mig_arena_strdup(&r->arena, s.buf);
	mig_str_release(&s);
	return out;
}

/* ---- types and columns ---- */

static bool integer_kind(enum mig_type_kind k)
{
	return k == MIG_TYPE_SMALLINT || k == MIG_TYPE_INTEGER || k == MIG_TYPE_BIGINT;
}

/* Whether column c is declared with a serial type: an integer column that
 * autoincrements (asked for, or the table's single primary key column left
 * automatic) and has no identity, expression or default of its own. The
 * reflection reads such a column back as its integer type with the default
 * left out, so the two agree. */
static bool is_serial(const struct mig_column *c, bool sole_pk)
{
	if (!integer_kind(c->type.kind) || c->identity || c->computed_sql || c->default_sql) {
		return false;
	}
	return c->autoincrement == MIG_TRUE || (c->autoincrement == MIG_UNSET && sole_pk);
}

static const char *serial_type(enum mig_type_kind k)
{
	return k == MIG_TYPE_SMALLINT ? "SMALLSERIAL" : k == MIG_TYPE_BIGINT ? "BIGSERIAL" : "SERIAL";
}

static void add_length(struct mig_str *s, int n)
{
	if (n >= 0) {
		mig_str_addf(s, "(%d)", n);
	}
}

/* Type t of column (for messages) in PostgreSQL's spelling (DESIGN §5). */
static int type_sql(const struct pr *r, struct mig_str *s, const struct mig_type *t,
		    const char *column)
{
	const struct mig_enum *e = NULL;
	switch (t->kind) {
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
		if (t->precision >= 0) {
			mig_str_addf(s, "FLOAT(%d)", t->precision);
		} else {
			mig_str_add(s, "DOUBLE PRECISION");
		}
		return 0;
	case MIG_TYPE_NUMERIC:
		mig_str_add(s, "NUMERIC");
		if (t->precision >= 0 && t->scale >= 0) {
			mig_str_addf(s, "(%d, %d)", t->precision, t->scale);
		} else {
			add_length(s, t->precision);
		}
		return 0;
	case MIG_TYPE_VARCHAR:
		mig_str_add(s, "VARCHAR");
		add_length(s, t->length);
		return 0;
	case MIG_TYPE_CHAR:
		mig_str_add(s, "CHAR");
		add_length(s, t->length);
		return 0;
	case MIG_TYPE_TEXT:
		mig_str_add(s, "TEXT");
		return 0;
	case MIG_TYPE_DATE:
		mig_str_add(s, "DATE");
		return 0;
	case MIG_TYPE_TIME:
		mig_str_add(s, "TIME");
		add_length(s, t->precision);
		mig_str_add(s, " WITHOUT TIME ZONE");
		return 0;
	case MIG_TYPE_TIMESTAMP:
	case MIG_TYPE_TIMESTAMPTZ:
		mig_str_add(s, "TIMESTAMP");
		add_length(s, t->precision);
		mig_str_add(s, t->kind == MIG_TYPE_TIMESTAMP ? " WITHOUT TIME ZONE"
							     : " WITH TIME ZONE");
		return 0;
	case MIG_TYPE_INTERVAL:
		mig_str_add(s, "INTERVAL");
		return 0;
	case MIG_TYPE_BINARY:
		mig_str_add(s, "BYTEA");
		return 0;
	case MIG_TYPE_JSON:
		mig_str_add(s, "JSON");
		return 0;
	case MIG_TYPE_UUID:
		mig_str_add(s, "UUID");
		return 0;
	case MIG_TYPE_ENUM:
		dotted_name(r, s, t->enum_name ? t->enum_name : t->raw);
		return 0;
	case MIG_TYPE_OTHER:
		break;
	}
	/* a revision file names an enum type as written: it is one when the
	 * schema before the op has it */
	if (t->raw && r->schema) {
		e = mig_schema_find_enum(r->schema, NULL, t->raw);
	}
	if (e) {
		qualname(r, s, e->schema, e->name);
		return 0;
	}
	if (t->enum_values.n) {
		return mig_op_error(
		    r->op,
		    "column '%s' has an inline enum type, which PostgreSQL does not have "
		    "(declare the enum under enums:)",
		    column);
	}
	if (!t->raw || !*t->raw) {
		return mig_op_error(r->op, "column '%s' has no type", column);
	}
	mig_str_add(s, t->raw);
	return 0;
}

void pg_render_type(const struct mig_type *t, const struct mig_schema *s, struct mig_str *out)
{
	struct mig_op op;
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_ALTER_COLUMN;
	struct pr r = { .impl = &mig_postgresql_impl, .op = &op, .schema = s };
	if (type_sql(&r, out, t, "?") < 0) {
		mig_error_clear();
		mig_type_format(out, t);
	}
	mig_arena_release(&r.arena);
	mig_strlist_release(&r.stmts);
}

/* " REFERENCES t (cols) ON DELETE … ON UPDATE … DEFERRABLE …"; ref_schema
 * NULL leaves ref_table as written ("schema.table" or "table"). */
static void references(const struct pr *r, struct mig_str *s, const char *ref_schema,
		       const char *ref_table, const char *const *cols, size_t ncols,
		       enum mig_fk_action on_delete, enum mig_fk_action on_update,
		       bool deferrable, bool initially_deferred)
{
	mig_str_add(s, " REFERENCES ");
	if (ref_schema) {
		qualname(r, s, ref_schema, ref_table);
	} else {
		dotted_name(r, s, ref_table);
	}
	if (ncols) {
		mig_str_addch(s, ' ');
		ident_list(r, s, cols, ncols);
	}
	mig_render_fk_actions(s, on_delete, on_update);
	/* INITIALLY DEFERRED needs DEFERRABLE: it implies it */
	if (deferrable || initially_deferred) {
		mig_str_add(s, " DEFERRABLE");
	}
	if (initially_deferred) {
		mig_str_add(s, " INITIALLY DEFERRED");
	}
}

/* "CONSTRAINT name " when there is a name. */
static void constraint_name(const struct pr *r, struct mig_str *s, const char *name)
{
	if (name) {
		mig_str_add(s, "CONSTRAINT ");
		ident(r, s, name);
		mig_str_addch(s, ' ');
	}
}

static void pk_sql(const struct pr *r, struct mig_str *s, const struct mig_primary_key *pk)
{
	constraint_name(r, s, pk->name);
	mig_str_add(s, "PRIMARY KEY ");
	ident_list(r, s, pk->columns.v, pk->columns.n);
}

static void unique_sql(const struct pr *r, struct mig_str *s, const struct mig_unique *u)
{
	constraint_name(r, s, u->name);
	mig_str_add(s, "UNIQUE ");
	ident_list(r, s, u->columns.v, u->columns.n);
	if (u->deferrable) {
		mig_str_add(s, " DEFERRABLE");
	}
}

static void check_sql(const struct pr *r, struct mig_str *s, const struct mig_check *c)
{
	constraint_name(r, s, c->name);
	mig_str_addf(s, "CHECK (%s)", c->sql);
}

static void fk_sql(const struct pr *r, struct mig_str *s, const struct mig_foreign_key *f)
{
	constraint_name(r, s, f->name);
	mig_str_add(s, "FOREIGN KEY ");
	ident_list(r, s, f->columns.v, f->columns.n);
	references(r, s, f->ref_schema, f->ref_table, f->ref_columns.v, f->ref_columns.n,
		   f->on_delete, f->on_update, f->deferrable, f->initially_deferred);
}

/* The definition of column c: name, type, collation, default, identity or
 * expression, NOT NULL. serial: declare it with a serial type. */
static int column_sql(const struct pr *r, struct mig_str *s, const char *table,
		      const struct mig_column *c, bool serial, bool not_null)
{
	ident(r, s, c->name);
	mig_str_addch(s, ' ');
	if (serial) {
		mig_str_add(s, serial_type(c->type.kind));
	} else if (type_sql(r, s, &c->type, c->name) < 0) {
		return MIG_ERROR;
	}
	if (c->collation) {
		mig_str_add(s, " COLLATE ");
		ident(r, s, c->collation);
	}
	if (c->default_sql) {
		mig_str_addf(s, " DEFAULT %s", c->default_sql);
	}
	if (c->identity) {
		mig_str_addf(s, " GENERATED %s AS IDENTITY",
			     c->identity_always ? "ALWAYS" : "BY DEFAULT");
		if (c->identity_start || c->identity_increment) {
			mig_str_add(s, " (");
			if (c->identity_start) {
				mig_str_addf(s, "START WITH %lld", c->identity_start);
			}
			if (c->identity_increment) {
				mig_str_addf(s, "%sINCREMENT BY %lld", c->identity_start ? " " : "",
					     c->identity_increment);
			}
			mig_str_addch(s, ')');
		}
	}
	if (c->computed_sql) {
		if (!c->computed_stored) {
			return mig_op_error(
			    r->op,
			    "computed column '%s' of table '%s' must be stored: PostgreSQL "
			    "has no virtual generated columns (write stored: true)",
			    c->name, table);
		}
		mig_str_addf(s, " GENERATED ALWAYS AS (%s) STORED", c->computed_sql);
	}
	if (not_null) {
		mig_str_add(s, " NOT NULL");
	}
	return 0;
}

/* COMMENT ON COLUMN (comment NULL: IS NULL, which drops it). */
static void column_comment(struct pr *r, const char *column, const char *comment)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "COMMENT ON COLUMN ");
	op_table(r, &s);
	mig_str_addch(&s, '.');
	ident(r, &s, column);
	mig_str_add(&s, " IS ");
	if (comment) {
		literal(r, &s, comment);
	} else {
		mig_str_add(&s, "NULL");
	}
	emit(r, &s);
}

static void table_comment(struct pr *r, const char *comment)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "COMMENT ON TABLE ");
	op_table(r, &s);
	mig_str_add(&s, " IS ");
	if (comment) {
		literal(r, &s, comment);
	} else {
		mig_str_add(&s, "NULL");
	}
	emit(r, &s);
}

/* The access method of USING: a plain lowercase word as written (btree,
 * gin), anything else quoted. */
static void access_method(const struct pr *r, struct mig_str *s, const char *m)
{
	bool plain = *m && !isdigit((unsigned char)*m);
	for (const char *p = m; *p && plain; p++) {
		plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
	}
	if (plain) {
		mig_str_add(s, m);
	} else {
		ident(r, s, m);
	}
}

/* CREATE INDEX on the op's table; an expression goes in parentheses, which
 * PostgreSQL needs around anything but a function call. */
static void create_index(struct pr *r, const struct mig_index *ix)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	if (ix->name) {
		ident(r, &s, ix->name);
		mig_str_addch(&s, ' ');
	}
	mig_str_add(&s, "ON ");
	op_table(r, &s);
	if (ix->using) {
		mig_str_add(&s, " USING ");
		access_method(r, &s, ix->using);
	}
	mig_str_add(&s, " (");
	for (size_t i = 0; i < ix->elems.n; i++) {
		const struct mig_index_elem *e = &ix->elems.v[i];
		if (i) {
			mig_str_add(&s, ", ");
		}
		if (e->column) {
			ident(r, &s, e->column);
		} else {
			mig_str_addf(&s, "(%s)", e->expression);
		}
		if (e->desc) {
			mig_str_add(&s, " DESC");
		}
	}
	mig_str_addch(&s, ')');
	if (ix->where) {
		mig_str_addf(&s, " WHERE %s", ix->where);
	}
	emit(r, &s);
}

/* The one-column index a column's index: true asks for. */
static void column_index(struct pr *r, const char *table, const char *column)
{
	const char *tmpl = naming(r)->ix ? naming(r)->ix : "ix_%(table)s_%(columns)s";
	struct mig_index ix;
	memset(&ix, 0, sizeof(ix));
	struct mig_index_elem e = { column, NULL, false };
	ix.name = mig_naming_apply(&r->arena, tmpl, table, &column, 1, NULL, NULL);
	mig_vec_push(&ix.elems, e);
	create_index(r, &ix);
	mig_vec_free(&ix.elems);
}

/* A name from the naming convention for a column shorthand, or NULL. */
static const char *shorthand_name(struct pr *r, const char *tmpl, const char *table,
				  const char *column, const char *ref_table)
{
	if (!tmpl) {
		return NULL;
	}
	if (ref_table && strchr(ref_table, '.')) {
		ref_table = strchr(ref_table, '.') + 1;
	}
	return mig_naming_apply(&r->arena, tmpl, table, &column, 1, NULL, ref_table);
}

/* The foreign key a column's references: shorthand declares. */
static void shorthand_fk(struct pr *r, const char *table, const struct mig_column *c,
			 struct mig_str *s)
{
	const char *name = shorthand_name(r, naming(r)->fk, table, c->name, c->ref_table);
	constraint_name(r, s, name);
	mig_str_add(s, "FOREIGN KEY ");
	ident_list(r, s, &c->name, 1);
	references(r, s, NULL, c->ref_table, &c->ref_column, c->ref_column ? 1 : 0,
		   c->on_delete, c->on_update, c->deferrable, c->initially_deferred);
}

/* Whether table options are PostgreSQL's (WITH (…), TABLESPACE, PARTITION
 * BY, USING, INHERITS, ON COMMIT, WITHOUT OIDS): options written for another
 * database (ENGINE=…) are left out. */
static bool pg_options(const char *options)
{
	static const char *const words[] = { "with", "tablespace", "partition", "using",
					     "inherits", "on", "without", NULL };
	const char *p = options;
	while (isspace((unsigned char)*p)) {
		p++;
	}
	size_t n = 0;
	while (isalpha((unsigned char)p[n])) {
		n++;
	}
	for (size_t i = 0; words[i]; i++) {
		if (strlen(words[i]) == n && strncasecmp(p, words[i], n) == 0) {
			return true;
		}
	}
	return false;
}

/* ---- ops ---- */

static int render_create_table(struct pr *r)
{
	const struct mig_table *t = r->op->table_def;
	if (!t) {
		return mig_op_error(r->op, "no definition of table '%s'", r->op->table);
	}
	struct mig_str s = MIG_STR_INIT;
	/* the primary key: the table's, or (an op built in code) the columns'
	 * own flags */
	struct mig_primary_key pk = { t->pk.name, { NULL, 0, 0 } };
	for (size_t i = 0; i < t->columns.n && t->pk.columns.n == 0; i++) {
		if (t->columns.v[i].primary_key) {
			mig_vec_push(&pk.columns, t->columns.v[i].name);
		}
	}
	if (pk.columns.n && !pk.name && naming(r)->pk) {
		pk.name = mig_naming_apply(&r->arena, naming(r)->pk, t->name, pk.columns.v,
					   pk.columns.n, NULL, NULL);
	}
	const struct mig_primary_key *key = t->pk.columns.n ? &t->pk : &pk;
	int rc = 0;
	mig_str_add(&s, "CREATE TABLE ");
	op_table(r, &s);
	mig_str_add(&s, " (");
	const char *sep = "\n\t";
	for (size_t i = 0; i < t->columns.n; i++) {
		const struct mig_column *c = &t->columns.v[i];
		bool in_pk = false;
		for (size_t j = 0; j < key->columns.n; j++) {
			in_pk = in_pk || strcmp(key->columns.v[j], c->name) == 0;
		}
		mig_str_add(&s, sep);
		rc = column_sql(r, &s, t->name, c, is_serial(c, in_pk && key->columns.n == 1),
				!c->nullable || in_pk);
		if (rc < 0) {
			goto done;
		}
		if (c->unique) {
			mig_str_add(&s, " ");
			constraint_name(r, &s, shorthand_name(r, naming(r)->uq, t->name, c->name,
							      NULL));
			mig_str_add(&s, "UNIQUE");
		}
		sep = ",\n\t";
	}
	if (key->columns.n) {
		mig_str_add(&s, sep);
		pk_sql(r, &s, key);
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		mig_str_add(&s, sep);
		unique_sql(r, &s, &t->uniques.v[i]);
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		mig_str_add(&s, sep);
		check_sql(r, &s, &t->checks.v[i]);
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		mig_str_add(&s, sep);
		fk_sql(r, &s, &t->fks.v[i]);
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		if (t->columns.v[i].ref_table) {
			mig_str_add(&s, sep);
			shorthand_fk(r, t->name, &t->columns.v[i], &s);
		}
	}
	mig_str_add(&s, "\n)");
	if (t->options && pg_options(t->options)) {
		mig_str_addf(&s, " %s", t->options);
	}
	emit(r, &s);
	if (t->comment) {
		table_comment(r, t->comment);
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		if (t->columns.v[i].comment) {
			column_comment(r, t->columns.v[i].name, t->columns.v[i].comment);
		}
	}
	for (size_t i = 0; i < t->indexes.n; i++) {
		create_index(r, &t->indexes.v[i]);
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		if (t->columns.v[i].index) {
			column_index(r, t->name, t->columns.v[i].name);
		}
	}
done:
	mig_vec_free(&pk.columns);
	mig_str_release(&s);
	return rc;
}

static int render_drop_table(struct pr *r)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "DROP TABLE ");
	op_table(r, &s);
	emit(r, &s);
	return 0;
}

static int render_rename_table(struct pr *r)
{
	struct mig_str s = MIG_STR_INIT;
	alter_table(r, &s);
	mig_str_add(&s, "RENAME TO ");
	ident(r, &s, r->op->new_name);
	emit(r, &s);
	return 0;
}

/* The table of the op in the schema before it, or NULL. */
static const struct mig_table *op_table_def(const struct pr *r)
{
	return r->schema ? mig_schema_find_table(r->schema, r->op->schema, r->op->table) : NULL;
}

/* ADD COLUMN with its primary key and unique constraint inline; then its
 * comment, its index and its foreign key (ADD CONSTRAINT) each on its own. */
static int render_add_column(struct pr *r)
{
	const struct mig_column *c = r->op->column_def;
	if (!c) {
		return mig_op_error(r->op, "no definition of column '%s'", r->op->column);
	}
	const struct mig_table *before = op_table_def(r);
	const char *table = r->op->table;
	bool sole_pk = c->primary_key && !(before && before->pk.columns.n);
	struct mig_str s = MIG_STR_INIT;
	alter_table(r, &s);
	mig_str_add(&s, "ADD COLUMN ");
	if (column_sql(r, &s, table, c, is_serial(c, sole_pk), !c->nullable || c->primary_key) <
	    0) {
		mig_str_release(&s);
		return MIG_ERROR;
	}
	if (c->primary_key) {
		mig_str_addch(&s, ' ');
		constraint_name(r, &s, shorthand_name(r, naming(r)->pk, table, c->name, NULL));
		mig_str_add(&s, "PRIMARY KEY");
	}
	if (c->unique) {
		mig_str_addch(&s, ' ');
		constraint_name(r, &s, shorthand_name(r, naming(r)->uq, table, c->name, NULL));
		mig_str_add(&s, "UNIQUE");
	}
	emit(r, &s);
	if (c->comment) {
		column_comment(r, c->name, c->comment);
	}
	if (c->index) {
		column_index(r, table, c->name);
	}
	if (c->ref_table) {
		alter_table(r, &s);
		mig_str_add(&s, "ADD ");
		shorthand_fk(r, table, c, &s);
		emit(r, &s);
	}
	return 0;
}

static int render_drop_column(struct pr *r)
{
	struct mig_str s = MIG_STR_INIT;
	alter_table(r, &s);
	mig_str_add(&s, "DROP COLUMN ");
	ident(r, &s, r->op->column);
	emit(r, &s);
	return 0;
}

/* "ALTER TABLE t ALTER COLUMN c " started in s. */
static void alter_column(const struct pr *r, struct mig_str *s)
{
	alter_table(r, s);
	mig_str_add(s, "ALTER COLUMN ");
	ident(r, s, r->op->column);
	mig_str_addch(s, ' ');
}

static bool collatable(enum mig_type_kind k)
{
	return k == MIG_TYPE_VARCHAR || k == MIG_TYPE_CHAR || k == MIG_TYPE_TEXT;
}

/* One statement per change, in this order: the type (a default that changes
 * too is dropped before it and set after it, since PostgreSQL converts the
 * old default to the new type and may not be able to), NOT NULL, the
 * default, the comment, and the new name last, so that every statement
 * before it names the column as it was. */
static int render_alter_column(struct pr *r)
{
	const struct mig_alter_column *a = &r->op->alter;
	struct mig_str s = MIG_STR_INIT;
	bool type = mig_type_is_set(&a->type);
	bool default_done = false;
	if (type) {
		if (a->default_sql.set) {
			alter_column(r, &s);
			mig_str_add(&s, "DROP DEFAULT");
			emit(r, &s);
			default_done = !a->default_sql.value;
		}
		alter_column(r, &s);
		mig_str_add(&s, "TYPE ");
		if (type_sql(r, &s, &a->type, r->op->column) < 0) {
			mig_str_release(&s);
			return MIG_ERROR;
		}
		/* a new type takes its own default collation: keep the column's */
		if (a->existing_collation && collatable(a->type.kind)) {
			mig_str_add(&s, " COLLATE ");
			ident(r, &s, a->existing_collation);
		}
		if (a->postgresql_using) {
			mig_str_addf(&s, " USING %s", a->postgresql_using);
		}
		emit(r, &s);
	}
	if (a->nullable != MIG_UNSET) {
		alter_column(r, &s);
		mig_str_add(&s, a->nullable == MIG_FALSE ? "SET NOT NULL" : "DROP NOT NULL");
		emit(r, &s);
	}
	if (a->default_sql.set && !default_done) {
		alter_column(r, &s);
		if (a->default_sql.value) {
			mig_str_addf(&s, "SET DEFAULT %s", a->default_sql.value);
		} else {
			mig_str_add(&s, "DROP DEFAULT");
		}
		emit(r, &s);
	}
	if (a->comment.set) {
		column_comment(r, r->op->column, a->comment.value);
	}
	if (a->new_name && strcmp(a->new_name, r->op->column) != 0) {
		alter_table(r, &s);
		mig_str_add(&s, "RENAME COLUMN ");
		ident(r, &s, r->op->column);
		mig_str_add(&s, " TO ");
		ident(r, &s, a->new_name);
		emit(r, &s);
	}
	return 0;
}

static int render_create_index(struct pr *r)
{
	if (!r->op->index) {
		return mig_op_error(r->op, "no definition of index '%s'",
				    r->op->name ? r->op->name : "");
	}
	create_index(r, r->op->index);
	return 0;
}

/* "<verb> schema.name" of the op's object (DROP INDEX, DROP TYPE). */
static int drop_named(struct pr *r, const char *verb)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, verb);
	qualname(r, &s, r->op->schema, r->op->name);
	emit(r, &s);
	return 0;
}

/* An index lives in its table's schema. */
static int render_drop_index(struct pr *r)
{
	return drop_named(r, "DROP INDEX ");
}

static int render_add_constraint(struct pr *r)
{
	const struct mig_op *op = r->op;
	struct mig_str s = MIG_STR_INIT;
	alter_table(r, &s);
	mig_str_add(&s, "ADD ");
	if (op->pk) {
		pk_sql(r, &s, op->pk);
	} else if (op->unique) {
		unique_sql(r, &s, op->unique);
	} else if (op->check) {
		check_sql(r, &s, op->check);
	} else if (op->fk) {
		fk_sql(r, &s, op->fk);
	} else {
		mig_str_release(&s);
		return mig_op_error(r->op, "no definition of the constraint on table '%s'",
				    op->table);
	}
	emit(r, &s);
	return 0;
}

/* The name of the constraint drop_constraint drops: the op's, its
 * definition's, the one the schema knows (a primary key), or the name
 * PostgreSQL gives an unnamed one (<table>_pkey, <table>_<columns>_key,
 * <table>_<columns>_fkey). */
static const char *dropped_name(struct pr *r)
{
	const struct mig_op *op = r->op;
	if (op->name) {
		return op->name;
	}
	switch (op->constraint) {
	case MIG_CONSTRAINT_PRIMARY: {
		const struct mig_table *t = op_table_def(r);
		if (op->pk && op->pk->name) {
			return op->pk->name;
		}
		if (t && t->pk.name) {
			return t->pk.name;
		}
		return pg_object_name(r, op->table, NULL, "pkey");
	}
	case MIG_CONSTRAINT_UNIQUE:
		if (op->unique && op->unique->name) {
			return op->unique->name;
		}
		if (op->unique && op->unique->columns.n) {
			return pg_object_name(
				r, op->table,
				pg_name_addition(r, op->unique->columns.v, op->unique->columns.n),
				"key");
		}
		break;
	case MIG_CONSTRAINT_FOREIGNKEY:
		if (op->fk && op->fk->name) {
			return op->fk->name;
		}
		if (op->fk && op->fk->columns.n) {
			return pg_object_name(
				r, op->table, pg_name_addition(r, op->fk->columns.v, op->fk->columns.n),
				"fkey");
		}
		break;
	case MIG_CONSTRAINT_CHECK:
		if (op->check && op->check->name) {
			return op->check->name;
		}
		break;
	case MIG_CONSTRAINT_NONE:
		break;
	}
	return NULL;
}

static int render_drop_constraint(struct pr *r)
{
	const char *name = dropped_name(r);
	if (!name) {
		const char *type = mig_constraint_type_name(r->op->constraint);
		return mig_op_error(
		    r->op,
		    "cannot tell the name of the unnamed %s constraint of table '%s' "
		    "(give its name)",
		    type ? type : "", r->op->table);
	}
	struct mig_str s = MIG_STR_INIT;
	alter_table(r, &s);
	mig_str_add(&s, "DROP CONSTRAINT ");
	ident(r, &s, name);
	emit(r, &s);
	return 0;
}

static int render_create_enum(struct pr *r)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "CREATE TYPE ");
	qualname(r, &s, r->op->schema, r->op->name);
	mig_str_add(&s, " AS ENUM (");
	for (size_t i = 0; i < r->op->enum_values.n; i++) {
		if (i) {
			mig_str_add(&s, ", ");
		}
		literal(r, &s, r->op->enum_values.v[i]);
	}
	mig_str_addch(&s, ')');
	emit(r, &s);
	return 0;
}

static int render_drop_enum(struct pr *r)
{
	return drop_named(r, "DROP TYPE ");
}

/* ALTER TYPE … ADD VALUE. PostgreSQL 12 and later run it in a transaction,
 * but the new value cannot be used before that transaction commits. */
static int render_add_enum_value(struct pr *r)
{
	const struct mig_op *op = r->op;
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "ALTER TYPE ");
	qualname(r, &s, op->schema, op->name);
	mig_str_add(&s, op->if_not_exists ? " ADD VALUE IF NOT EXISTS " : " ADD VALUE ");
	literal(r, &s, op->value);
	if (op->before) {
		mig_str_add(&s, " BEFORE ");
		literal(r, &s, op->before);
	} else if (op->after) {
		mig_str_add(&s, " AFTER ");
		literal(r, &s, op->after);
	}
	emit(r, &s);
	return 0;
}

static int value_sql(const struct pr *r, struct mig_str *s, const struct mig_value *v,
		     const char *column)
{
	switch (v->kind) {
	case MIG_VALUE_NULL:
		mig_str_add(s, "NULL");
		return 0;
	case MIG_VALUE_STRING:
		literal(r, s, v->text);
		return 0;
	case MIG_VALUE_NUMBER:
		if (!v->text || !mig_is_decimal(v->text)) {
			return mig_op_error(r->op, "value '%s' of column '%s' is not a number",
					    v->text ? v->text : "", column);
		}
		mig_str_add(s, v->text);
		return 0;
	case MIG_VALUE_BOOL:
		mig_str_add(s, mig_streq(v->text, "true") ? "true" : "false");
		return 0;
	}
	return mig_op_error(r->op, "value of column '%s' has an unknown kind", column);
}

/* One INSERT with a row per line. */
static int render_bulk_insert(struct pr *r)
{
	const struct mig_op *op = r->op;
	struct mig_str s = MIG_STR_INIT;
	if (op->rows.n == 0) {
		return 0;
	}
	mig_str_add(&s, "INSERT INTO ");
	op_table(r, &s);
	if (op->columns.n == 0) {
		/* rows without columns: each one all defaults */
		mig_str_add(&s, " DEFAULT VALUES");
		for (size_t i = 0; i < op->rows.n; i++) {
			mig_strlist_push(&r->stmts, s.buf);
		}
		mig_str_release(&s);
		return 0;
	}
	mig_str_addch(&s, ' ');
	ident_list(r, &s, op->columns.v, op->columns.n);
	mig_str_add(&s, " VALUES");
	for (size_t i = 0; i < op->rows.n; i++) {
		mig_str_add(&s, i ? ",\n\t(" : "\n\t(");
		for (size_t j = 0; j < op->columns.n; j++) {
			if (j) {
				mig_str_add(&s, ", ");
			}
			if (value_sql(r, &s, &op->rows.v[i][j], op->columns.v[j]) < 0) {
				mig_str_release(&s);
				return MIG_ERROR;
			}
		}
		mig_str_addch(&s, ')');
	}
	emit(r, &s);
	return 0;
}

/* The text as written, less trailing blanks and one trailing ';'. */
static int render_sql(struct pr *r)
{
	const char *text;
	if (mig_op_sql_text(r->op, r->impl->name, &text) < 0) {
		return MIG_ERROR;
	}
	size_t n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1])) {
		n--;
	}
	if (n > 0 && text[n - 1] == ';') {
		n--;
		while (n > 0 && isspace((unsigned char)text[n - 1])) {
			n--;
		}
	}
	if (n > 0) {
		mig_strlist_push_owned(&r->stmts, xstrndup(text, n));
	}
	return 0;
}

static int render(struct pr *r)
{
	switch (r->op->kind) {
	case MIG_OP_CREATE_TABLE:
		return render_create_table(r);
	case MIG_OP_DROP_TABLE:
		return render_drop_table(r);
	case MIG_OP_RENAME_TABLE:
		return render_rename_table(r);
	case MIG_OP_ADD_COLUMN:
		return render_add_column(r);
	case MIG_OP_DROP_COLUMN:
		return render_drop_column(r);
	case MIG_OP_ALTER_COLUMN:
		return render_alter_column(r);
	case MIG_OP_CREATE_INDEX:
		return render_create_index(r);
	case MIG_OP_DROP_INDEX:
		return render_drop_index(r);
	case MIG_OP_CREATE_PRIMARY_KEY:
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
	case MIG_OP_CREATE_FOREIGN_KEY:
		return render_add_constraint(r);
	case MIG_OP_DROP_CONSTRAINT:
		return render_drop_constraint(r);
	case MIG_OP_CREATE_TABLE_COMMENT:
		table_comment(r, r->op->table_comment);
		return 0;
	case MIG_OP_DROP_TABLE_COMMENT:
		table_comment(r, NULL);
		return 0;
	case MIG_OP_CREATE_ENUM:
		return render_create_enum(r);
	case MIG_OP_DROP_ENUM:
		return render_drop_enum(r);
	case MIG_OP_ADD_ENUM_VALUE:
		return render_add_enum_value(r);
	case MIG_OP_BULK_INSERT:
		return render_bulk_insert(r);
	case MIG_OP_SQL:
		return render_sql(r);
	}
	return mig_op_error(r->op, "cannot render this op for PostgreSQL");
}

int pg_render_op(const struct mig_render_ctx *ctx, const struct mig_op *op,
		 struct mig_strlist *out)
{
	struct pr r = { ctx->impl, op, ctx->schema, MIG_ARENA_INIT, MIG_STRLIST_INIT };
	int rc = render(&r);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < r.stmts.n; i++) {
		mig_strlist_push_owned(out, r.stmts.v[i]);
		r.stmts.v[i] = NULL;
	}
done:
	mig_strlist_release(&r.stmts);
	mig_arena_release(&r.arena);
	return rc;
}
