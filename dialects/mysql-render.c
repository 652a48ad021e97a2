/* MySQL and MariaDB rendering: every op of DESIGN §6 as MySQL statements.
 *
 * - Generic types map as SQLAlchemy maps them, and so that reflection
 *   (mysql-reflect.c) reads each back as the type it came from: timestamp is
 *   DATETIME, timestamptz is TIMESTAMP, real is FLOAT, float is DOUBLE,
 *   boolean is BOOL (TINYINT(1)). docs/dialects.md has the whole table.
 * - Enums are written inline, ENUM('a', 'b'), with the values of the enum the
 *   schema declares; create_enum and drop_enum render nothing, and
 *   add_enum_value restates every column of that enum.
 * - MySQL changes a column by restating all of it (MODIFY / CHANGE COLUMN):
 *   alter_column takes what it does not change from its existing_* keys,
 *   else from the schema before the op, and fails naming the keys that
 *   neither gives rather than dropping a default, a comment or
 *   AUTO_INCREMENT without a word.
 * - Identifiers are quoted with backticks and literals with quotes by the
 *   dialect's own quoting functions. */
#include "mysql.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Rows of a bulk_insert per INSERT statement, which keeps a statement well
 * under the server's max_allowed_packet for ordinary rows. */
#define MY_INSERT_BATCH 1000

/* A list of names borrowed from elsewhere. */
struct my_names {
	const char *const *v;
	size_t n;
};

/* A column as CREATE TABLE, ADD COLUMN, MODIFY COLUMN and CHANGE COLUMN state
 * it. Strings are borrowed. */
struct my_col {
	const char *name;
	const struct mig_type *type;
	struct my_names values; /* enum values that replace the type's (n 0: none) */
	bool nullable;
	const char *default_sql;
	bool autoincrement;
	const char *on_update_sql;
	const char *computed_sql;
	bool computed_stored;
	const char *collation;
	const char *comment;
	/* MariaDB's column checks, restated with the column since MODIFY and
	 * CHANGE drop the ones they do not restate: those of table checks_of on
	 * its column checks_on, but the one named without, and then with */
	const struct mig_table *checks_of;
	const char *checks_on;
	const char *without_check;
	const struct mig_check *with_check;
};

/* "schema.name" or "name" for messages: three printf arguments for "%s%s%s". */
#define QUAL(schema, name) (schema) ? (schema) : "", (schema) ? "." : "", (name)

/* ---- quoting ---- */

static void ident(const struct mig_render_ctx *ctx, struct mig_str *out, const char *name)
{
	ctx->impl->quote_ident(out, name);
}

static void literal(const struct mig_render_ctx *ctx, struct mig_str *out, const char *text)
{
	ctx->impl->quote_literal(out, text);
}

static void table_name(const struct mig_render_ctx *ctx, struct mig_str *out, const char *schema,
		       const char *name)
{
	mig_render_qualname(ctx->impl, out, schema, name);
}

/* "(`a`, `b`)" */
static void ident_list(const struct mig_render_ctx *ctx, struct mig_str *out,
		       const char *const *names, size_t n)
{
	mig_render_ident_list(ctx->impl, out, names, n);
}

/* "ALTER TABLE `t` " */
static void alter_table(const struct mig_render_ctx *ctx, struct mig_str *out,
			const struct mig_op *op)
{
	mig_str_add(out, "ALTER TABLE ");
	table_name(ctx, out, op->schema, op->table);
	mig_str_addch(out, ' ');
}

/* ---- the schema before the op ---- */

static const struct mig_table *schema_table(const struct mig_render_ctx *ctx,
					    const struct mig_op *op)
{
	return ctx->schema ? mig_schema_find_table(ctx->schema, op->schema, op->table) : NULL;
}

/* The schema's enum that type t names, or NULL. */
static const struct mig_enum *schema_enum(const struct mig_render_ctx *ctx,
					  const struct mig_type *t)
{
	if (!ctx->schema) {
		return NULL;
	}
	if (t->kind == MIG_TYPE_ENUM) {
		const char *name = t->enum_name ? t->enum_name : t->raw;
		return name ? mig_schema_find_enum(ctx->schema, NULL, name) : NULL;
	}
	if (t->kind == MIG_TYPE_OTHER && t->raw) {
		return mig_schema_find_enum(ctx->schema, NULL, t->raw);
	}
	return NULL;
}

static bool integer_kind(enum mig_type_kind k)
{
	return k == MIG_TYPE_SMALLINT || k == MIG_TYPE_INTEGER || k == MIG_TYPE_BIGINT;
}

/* Whether t is one of MySQL's integer types, generic or written as MySQL
 * spells them (tinyint, mediumint, int unsigned). */
static bool integer_type(const struct mig_type *t)
{
	static const char *const words[] = { "tinyint",	 "smallint", "mediumint", "int",
					     "integer", "bigint",   NULL };
	if (integer_kind(t->kind)) {
		return true;
	}
	if (t->kind != MIG_TYPE_OTHER || !t->raw) {
		return false;
	}
	size_t n = 0;
	while (isalpha((unsigned char)t->raw[n])) {
		n++;
	}
	for (size_t i = 0; words[i]; i++) {
		if (strlen(words[i]) == n && strncasecmp(t->raw, words[i], n) == 0) {
			return true;
		}
	}
	return false;
}

/* Whether t takes a collation: the character types, enums and any type
 * written as MySQL spells it (which the server judges). */
static bool collatable(const struct mig_type *t)
{
	switch (t->kind) {
	case MIG_TYPE_VARCHAR:
	case MIG_TYPE_CHAR:
	case MIG_TYPE_TEXT:
	case MIG_TYPE_UUID:
	case MIG_TYPE_ENUM:
	case MIG_TYPE_OTHER:
		return true;
	default:
		return false;
	}
}

/* Whether the single primary key column of t is c: t's primary key, or, in a
 * table built in code, the column flags. */
static bool single_pk(const struct mig_table *t, const struct mig_column *c)
{
	if (!t) {
		return false;
	}
	if (t->pk.columns.n) {
		return t->pk.columns.n == 1 && strcmp(t->pk.columns.v[0], c->name) == 0;
	}
	size_t n = 0;
	for (size_t i = 0; i < t->columns.n; i++) {
		n += t->columns.v[i].primary_key;
	}
	return n == 1 && c->primary_key;
}

/* The model's rule (DESIGN §5): a single integer primary key autoincrements
 * unless told otherwise; an identity column is MySQL's AUTO_INCREMENT. */
static bool autoincrements(const struct mig_column *c, bool is_single_pk)
{
	if (c->identity || c->autoincrement == MIG_TRUE) {
		return true;
	}
	return c->autoincrement == MIG_UNSET && is_single_pk && integer_kind(c->type.kind) &&
	       !c->default_sql && !c->computed_sql;
}

static void col_from_column(const struct mig_column *c, bool is_single_pk, struct my_col *out)
{
	memset(out, 0, sizeof(*out));
	out->name = c->name;
	out->type = &c->type;
	out->nullable = c->nullable && !c->primary_key;
	out->default_sql = c->default_sql;
	out->autoincrement = autoincrements(c, is_single_pk);
	out->on_update_sql = c->on_update_sql;
	out->computed_sql = c->computed_sql;
	out->computed_stored = c->computed_stored;
	out->collation = c->collation;
	out->comment = c->comment;
}

/* Whether check k is written on its column: named after it, or unnamed
 * (MariaDB names a column check after its column). */
static bool column_check(const struct mig_check *k)
{
	return k->column && (!k->name || mig_strieq(k->name, k->column));
}

/* Restate with col the column checks of table t on its column on. */
static void keep_column_checks(struct my_col *col, const struct mig_table *t, const char *on)
{
	col->checks_of = t;
	col->checks_on = on;
}

/* ---- types ---- */

static void enum_type(const struct mig_render_ctx *ctx, struct mig_str *out,
		      const char *const *values, size_t n)
{
	mig_str_add(out, "ENUM(");
	for (size_t i = 0; i < n; i++) {
		if (i) {
			mig_str_add(out, ", ");
		}
		literal(ctx, out, values[i]);
	}
	mig_str_addch(out, ')');
}

static void with_precision(struct mig_str *out, const char *name, int precision)
{
	mig_str_add(out, name);
	if (precision >= 0) {
		mig_str_addf(out, "(%d)", precision);
	}
}

/* The MySQL type of column col (named "table.column" in messages);
 * values, when it has any, replaces an enum's values. */
static int render_type(const struct mig_render_ctx *ctx, const struct mig_op *op,
		       const char *col, const struct mig_type *t, const struct my_names *values,
		       struct mig_str *out)
{
	if (values && values->n) {
		enum_type(ctx, out, values->v, values->n);
		return 0;
	}
	switch (t->kind) {
	case MIG_TYPE_SMALLINT:
		mig_str_add(out, "SMALLINT");
		return 0;
	case MIG_TYPE_INTEGER:
		mig_str_add(out, "INTEGER");
		return 0;
	case MIG_TYPE_BIGINT:
		mig_str_add(out, "BIGINT");
		return 0;
	case MIG_TYPE_BOOLEAN:
		mig_str_add(out, "BOOL");
		return 0;
	case MIG_TYPE_REAL:
		mig_str_add(out, "FLOAT");
		return 0;
	case MIG_TYPE_FLOAT:
		/* FLOAT(p) is single precision up to 24 and DOUBLE above */
		if (t->precision >= 0) {
			mig_str_addf(out, "FLOAT(%d)", t->precision);
		} else {
			mig_str_add(out, "DOUBLE");
		}
		return 0;
	case MIG_TYPE_NUMERIC:
		if (t->precision < 0) {
			return mig_op_error(
			    op,
			    "column '%s': mysql needs a precision for numeric (without "
			    "one it is DECIMAL(10,0), which drops fractions): write "
			    "numeric(p,s)",
			    col);
		}
		if (t->scale >= 0) {
			mig_str_addf(out, "NUMERIC(%d, %d)", t->precision, t->scale);
		} else {
			mig_str_addf(out, "NUMERIC(%d)", t->precision);
		}
		return 0;
	case MIG_TYPE_VARCHAR:
		if (t->length < 0) {
			return mig_op_error(op,
					    "column '%s': mysql needs a length for varchar: write "
					    "varchar(n), or text",
					    col);
		}
		mig_str_addf(out, "VARCHAR(%d)", t->length);
		return 0;
	case MIG_TYPE_CHAR:
		with_precision(out, "CHAR", t->length);
		return 0;
	case MIG_TYPE_TEXT:
		mig_str_add(out, "TEXT");
		return 0;
	case MIG_TYPE_DATE:
		mig_str_add(out, "DATE");
		return 0;
	case MIG_TYPE_TIME:
		with_precision(out, "TIME", t->precision);
		return 0;
	case MIG_TYPE_TIMESTAMP:
		with_precision(out, "DATETIME", t->precision);
		return 0;
	case MIG_TYPE_TIMESTAMPTZ:
		/* the one MySQL type that stores an instant (in UTC) */
		with_precision(out, "TIMESTAMP", t->precision);
		return 0;
	case MIG_TYPE_INTERVAL:
		return mig_op_error(
		    op,
		    "column '%s': mysql has no interval type (store a number of seconds, "
		    "or give a mysql type as written)",
		    col);
	case MIG_TYPE_BINARY:
		if (t->length >= 0) {
			mig_str_addf(out, "BINARY(%d)", t->length);
		} else {
			mig_str_add(out, "BLOB");
		}
		return 0;
	case MIG_TYPE_JSON:
		mig_str_add(out, "JSON");
		return 0;
	case MIG_TYPE_UUID:
		mig_str_add(out, "CHAR(36)");
		return 0;
	case MIG_TYPE_ENUM:
	case MIG_TYPE_OTHER:
		break;
	}
	if (t->enum_values.n) {
		enum_type(ctx, out, t->enum_values.v, t->enum_values.n);
		return 0;
	}
	const struct mig_enum *e = schema_enum(ctx, t);
	if (e) {
		enum_type(ctx, out, e->values.v, e->values.n);
		return 0;
	}
	const char *name = t->enum_name ? t->enum_name : t->raw;
	if (t->kind == MIG_TYPE_ENUM) {
		return mig_op_error(op, "column '%s': mysql writes the enum '%s' inline, and %s",
				    col, name ? name : "?",
				    ctx->schema ? "the schema does not declare it"
						: "there is no schema to read its values from");
	}
	if (!t->raw || !*t->raw) {
		return mig_op_error(op, "column '%s' has no type", col);
	}
	mig_str_add(out, t->raw);
	return 0;
}

void my_render_type(const struct mig_type *t, const struct mig_schema *s, struct mig_str *out)
{
	struct mig_render_ctx ctx = { &mig_mysql_impl, s, false };
	struct mig_op op;
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_ALTER_COLUMN;
	if (render_type(&ctx, &op, "?", t, NULL, out) < 0) {
		mig_error_clear();
		mig_type_format(out, t);
	}
}

/* Whether MySQL refuses a plain literal default for t (TEXT, BLOB, JSON and
 * geometry take one only as an expression in parentheses, on MySQL 8). */
static bool blob_type(const struct mig_type *t)
{
	if (!t) {
		return false;
	}
	switch (t->kind) {
	case MIG_TYPE_TEXT:
	case MIG_TYPE_JSON:
		return true;
	case MIG_TYPE_BINARY:
		return t->length < 0;
	case MIG_TYPE_OTHER: {
		if (!t->raw) {
			return false;
		}
		char *low = xstrdup(t->raw);
		mig_str_lower(low);
		bool blob = strstr(low, "text") || strstr(low, "blob") || strstr(low, "json");
		free(low);
		return blob;
	}
	default:
		return false;
	}
}

/* ---- defaults ---- */

/* Length of the quoted string at s ('…' or "…", quotes doubled or
 * backslash-escaped), or 0 when s does not start one that closes. */
static size_t quoted_len(const char *s)
{
	char q = s[0];
	if (q != '\'' && q != '"') {
		return 0;
	}
	for (size_t i = 1; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			i++;
		} else if (s[i] == q && s[i + 1] == q) {
			i++;
		} else if (s[i] == q) {
			return i + 1;
		}
	}
	return 0;
}

/* CURRENT_TIMESTAMP and the synonyms MySQL takes without parentheses, with
 * an optional "()" or "(n)". */
static bool is_now(const char *s)
{
	static const char *const words[] = { "current_timestamp", "now", "localtime",
					     "localtimestamp", NULL };
	for (size_t i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (strncasecmp(s, words[i], n) != 0) {
			continue;
		}
		const char *p = s + n;
		if (!*p) {
			return strcmp(words[i], "now") != 0;
		}
		if (*p++ != '(') {
			continue;
		}
		while (isdigit((unsigned char)*p)) {
			p++;
		}
		if (p[0] == ')' && !p[1]) {
			return true;
		}
	}
	return false;
}

/* Whether text is wrapped whole in one pair of parentheses. */
static bool parenthesised(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || s[0] != '(' || s[n - 1] != ')') {
		return false;
	}
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		size_t q = quoted_len(s + i);
		if (q) {
			i += q - 1;
			continue;
		}
		if (s[i] == '(') {
			depth++;
		} else if (s[i] == ')' && --depth == 0 && i != n - 1) {
			return false;
		}
	}
	return depth == 0;
}

enum my_default_kind { MY_DEFAULT_EXPR, MY_DEFAULT_LITERAL, MY_DEFAULT_BARE };

/* A literal (a number, a string, b'…', x'…'), a word MySQL takes as it is
 * (NULL, TRUE, FALSE, CURRENT_TIMESTAMP…) or an expression. */
static enum my_default_kind default_kind(const char *sql)
{
	static const char *const bare[] = { "null", "true", "false", NULL };
	for (size_t i = 0; bare[i]; i++) {
		if (strcasecmp(sql, bare[i]) == 0) {
			return MY_DEFAULT_BARE;
		}
	}
	if (is_now(sql) || parenthesised(sql)) {
		return MY_DEFAULT_BARE;
	}
	if (mig_is_decimal(sql)) {
		return MY_DEFAULT_LITERAL;
	}
	const char *q = sql;
	if ((q[0] == 'b' || q[0] == 'B' || q[0] == 'x' || q[0] == 'X') && q[1] == '\'') {
		q++;
	}
	size_t n = quoted_len(q);
	if (n && !q[n]) {
		return MY_DEFAULT_LITERAL;
	}
	if (sql[0] == '0' && (sql[1] == 'x' || sql[1] == 'b') && sql[2]) {
		bool ok = true;
		for (const char *p = sql + 2; *p; p++) {
			ok = ok && isxdigit((unsigned char)*p);
		}
		if (ok) {
			return MY_DEFAULT_LITERAL;
		}
	}
	return MY_DEFAULT_EXPR;
}

/* The text after DEFAULT: as written when MySQL takes it so, else in
 * parentheses (MySQL 8.0.13 wants expressions so; MariaDB takes either). */
static void render_default(struct mig_str *out, const char *sql, const struct mig_type *type)
{
	enum my_default_kind k = default_kind(sql);
	if (k == MY_DEFAULT_EXPR || (k == MY_DEFAULT_LITERAL && blob_type(type))) {
		mig_str_addf(out, "(%s)", sql);
	} else {
		mig_str_add(out, sql);
	}
}

/* ---- columns ---- */

static void render_collation(const struct mig_render_ctx *ctx, struct mig_str *out,
			     const char *collation)
{
	bool word = *collation != '\0';
	for (const char *p = collation; *p; p++) {
		word = word && (isalnum((unsigned char)*p) || *p == '_');
	}
	mig_str_add(out, " COLLATE ");
	if (word) {
		mig_str_add(out, collation);
	} else {
		ident(ctx, out, collation);
	}
}

/* One column definition; table names the table in messages. */
static int render_col(const struct mig_render_ctx *ctx, const struct mig_op *op,
		      const char *schema, const char *table, const struct my_col *c,
		      struct mig_str *out)
{
	char *what = schema ? xasprintf("%s.%s.%s", schema, table, c->name)
			    : xasprintf("%s.%s", table, c->name);
	ident(ctx, out, c->name);
	mig_str_addch(out, ' ');
	int rc = render_type(ctx, op, what, c->type, &c->values, out);
	free(what);
	if (rc < 0) {
		return rc;
	}
	if (c->collation) {
		render_collation(ctx, out, c->collation);
	}
	if (c->computed_sql) {
		/* MariaDB takes no NULL after a generated column, and NOT NULL
		 * only on MySQL */
		mig_str_addf(out, " GENERATED ALWAYS AS (%s) %s", c->computed_sql,
			     c->computed_stored ? "STORED" : "VIRTUAL");
		if (!c->nullable) {
			mig_str_add(out, " NOT NULL");
		}
	} else {
		mig_str_add(out, c->nullable ? " NULL" : " NOT NULL");
		if (c->default_sql) {
			mig_str_add(out, " DEFAULT ");
			render_default(out, c->default_sql, c->type);
		}
		if (c->on_update_sql) {
			mig_str_addf(out, " ON UPDATE %s", c->on_update_sql);
		}
		if (c->autoincrement) {
			mig_str_add(out, " AUTO_INCREMENT");
		}
	}
	if (c->comment) {
		mig_str_add(out, " COMMENT ");
		literal(ctx, out, c->comment);
	}
	for (size_t i = 0; c->checks_of && i < c->checks_of->checks.n; i++) {
		const struct mig_check *k = &c->checks_of->checks.v[i];
		if (column_check(k) && mig_strieq(k->column, c->checks_on) &&
		    !(c->without_check && mig_strieq(k->name, c->without_check))) {
			mig_str_addf(out, " CHECK (%s)", k->sql);
		}
	}
	if (c->with_check) {
		mig_str_addf(out, " CHECK (%s)", c->with_check->sql);
	}
	return 0;
}

/* ---- indexes and constraints ---- */

/* "col(10)" or "`col`(10)": an index on a prefix of col, which MySQL
 * writes as an expression would be. */
static bool prefix_part(const char *expr, char **col, int *len)
{
	const char *p = expr;
	struct mig_str name = MIG_STR_INIT;
	if (*p == '`') {
		for (p++; *p && !(*p == '`' && p[1] != '`'); p++) {
			if (*p == '`') {
				p++;
			}
			mig_str_addch(&name, *p);
		}
		if (*p != '`') {
			mig_str_release(&name);
			return false;
		}
		p++;
	} else {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '$') {
			mig_str_addch(&name, *p++);
		}
	}
	while (*p == ' ') {
		p++;
	}
	char *end = NULL;
	long n = *p == '(' ? strtol(p + 1, &end, 10) : 0;
	if (name.len == 0 || n <= 0 || n > 65535 || *end != ')' || end[1]) {
		mig_str_release(&name);
		return false;
	}
	*col = mig_str_detach(&name);
	*len = (int)n;
	return true;
}

/* The parts of an index: "(`a`, `b`(10) DESC)". */
static int index_parts(const struct mig_render_ctx *ctx, const struct mig_op *op,
		       const struct mig_index *ix, struct mig_str *out)
{
	mig_str_addch(out, '(');
	for (size_t i = 0; i < ix->elems.n; i++) {
		const struct mig_index_elem *e = &ix->elems.v[i];
		if (i) {
			mig_str_add(out, ", ");
		}
		if (e->column) {
			ident(ctx, out, e->column);
		} else {
			char *col = NULL;
			int len = 0;
			if (!prefix_part(e->expression, &col, &len)) {
				return mig_op_error(
				    op,
				    "index '%s' is on the expression '%s', which mariadb "
				    "cannot index: index a generated column instead",
				    ix->name ? ix->name : "?", e->expression);
			}
			ident(ctx, out, col);
			mig_str_addf(out, "(%d)", len);
			free(col);
		}
		if (e->desc) {
			mig_str_add(out, " DESC");
		}
	}
	mig_str_addch(out, ')');
	return 0;
}

/* "[UNIQUE |FULLTEXT |SPATIAL ]INDEX `name` " into head and " USING …" into
 * tail, after checking that MySQL can make the index. */
static int index_kind(const struct mig_op *op, const struct mig_index *ix, const char **head,
		      const char **tail)
{
	const char *name = ix->name ? ix->name : "?";
	*head = ix->unique ? "UNIQUE " : "";
	*tail = "";
	if (ix->where) {
		return mig_op_error(
		    op, "index '%s' has a where clause: mysql has no partial indexes", name);
	}
	if (!ix->elems.n) {
		return mig_op_error(op, "index '%s' has no columns", name);
	}
	if (!ix->using) {
		return 0;
	}
	if (strcasecmp(ix->using, "btree") == 0) {
		*tail = " USING BTREE";
	} else if (strcasecmp(ix->using, "hash") == 0) {
		*tail = " USING HASH";
	} else if (strcasecmp(ix->using, "fulltext") == 0 ||
		   strcasecmp(ix->using, "spatial") == 0) {
		if (ix->unique) {
			return mig_op_error(op, "index '%s' cannot be both unique and %s", name,
					    ix->using);
		}
		*head = tolower((unsigned char)ix->using[0]) == 'f' ? "FULLTEXT " : "SPATIAL ";
	} else {
		return mig_op_error(
		    op,
		    "index '%s' uses '%s', which mysql does not have (it has btree, hash, "
		    "fulltext and spatial)",
		    name, ix->using);
	}
	return 0;
}

/* "[UNIQUE ]INDEX `name` (parts)[ USING BTREE]", as inside CREATE TABLE and
 * after ADD. */
static int index_def(const struct mig_render_ctx *ctx, const struct mig_op *op,
		     const struct mig_index *ix, struct mig_str *out)
{
	const char *head, *tail;
	int rc = index_kind(op, ix, &head, &tail);
	if (rc < 0) {
		return rc;
	}
	mig_str_addf(out, "%sINDEX ", head);
	if (ix->name) {
		ident(ctx, out, ix->name);
		mig_str_addch(out, ' ');
	}
	if ((rc = index_parts(ctx, op, ix, out)) < 0) {
		return rc;
	}
	mig_str_add(out, tail);
	return 0;
}

/* "CONSTRAINT `name` " when there is a name. */
static void constraint_name(const struct mig_render_ctx *ctx, struct mig_str *out,
			    const char *name)
{
	if (name) {
		mig_str_add(out, "CONSTRAINT ");
		ident(ctx, out, name);
		mig_str_addch(out, ' ');
	}
}

static int unique_def(const struct mig_render_ctx *ctx, const struct mig_op *op,
		      const struct mig_unique *u, struct mig_str *out)
{
	if (u->deferrable) {
		return mig_op_error(
		    op,
		    "unique constraint '%s' is deferrable: mysql checks constraints at "
		    "once and has no deferrable ones",
		    u->name ? u->name : "?");
	}
	constraint_name(ctx, out, u->name);
	mig_str_add(out, "UNIQUE ");
	ident_list(ctx, out, u->columns.v, u->columns.n);
	return 0;
}

static void check_def(const struct mig_render_ctx *ctx, const struct mig_check *c,
		      struct mig_str *out)
{
	constraint_name(ctx, out, c->name);
	mig_str_addf(out, "CHECK (%s)", c->sql);
}

static int fk_def(const struct mig_render_ctx *ctx, const struct mig_op *op,
		  const struct mig_foreign_key *f, struct mig_str *out)
{
	if (f->deferrable || f->initially_deferred) {
		return mig_op_error(
		    op,
		    "foreign key '%s' is deferrable: mysql checks foreign keys at once "
		    "and has no deferrable constraints",
		    f->name ? f->name : "?");
	}
	if (!f->ref_table || !f->columns.n || f->columns.n != f->ref_columns.n) {
		return mig_op_error(op,
				    "foreign key '%s' needs as many referenced columns as columns",
				    f->name ? f->name : "?");
	}
	constraint_name(ctx, out, f->name);
	mig_str_add(out, "FOREIGN KEY ");
	ident_list(ctx, out, f->columns.v, f->columns.n);
	mig_str_add(out, " REFERENCES ");
	table_name(ctx, out, f->ref_schema, f->ref_table);
	mig_str_addch(out, ' ');
	ident_list(ctx, out, f->ref_columns.v, f->ref_columns.n);
	mig_render_fk_actions(out, f->on_delete, f->on_update);
	return 0;
}

/* The naming convention of the schema (empty without one). */
static struct mig_naming_convention naming(const struct mig_render_ctx *ctx)
{
	struct mig_naming_convention none = { 0 };
	return ctx->schema ? ctx->schema->naming : none;
}

/* What the shorthands of column c (unique, index, references) declare, as
 * the model loader and mig_schema_apply name them: the index always named,
 * the others by the naming convention. Each item goes to items with prefix
 * before it. a holds the names. */
static int column_shorthands(const struct mig_render_ctx *ctx, const struct mig_op *op,
			     struct mig_arena *a, const char *table, const struct mig_column *c,
			     const char *prefix, struct mig_strlist *items)
{
	struct mig_naming_convention nc = naming(ctx);
	const char *one[1] = { c->name };
	struct mig_str s = MIG_STR_INIT;
	int rc = 0;
	if (c->unique) {
		struct mig_unique u = { 0 };
		u.name = nc.uq ? mig_naming_apply(a, nc.uq, table, one, 1, NULL, NULL) : NULL;
		u.columns.v = (const char **)one;
		u.columns.n = 1;
		mig_str_add(&s, prefix);
		if ((rc = unique_def(ctx, op, &u, &s)) < 0) {
			goto done;
		}
		mig_strlist_push(items, s.buf);
		mig_str_reset(&s);
	}
	if (c->index) {
		struct mig_index ix = { 0 };
		struct mig_index_elem e = { c->name, NULL, false };
		const char *tmpl = nc.ix ? nc.ix : "ix_%(table)s_%(columns)s";
		ix.name = mig_naming_apply(a, tmpl, table, one, 1, NULL, NULL);
		ix.elems.v = &e;
		ix.elems.n = 1;
		mig_str_add(&s, prefix);
		if ((rc = index_def(ctx, op, &ix, &s)) < 0) {
			goto done;
		}
		mig_strlist_push(items, s.buf);
		mig_str_reset(&s);
	}
	if (c->ref_table) {
		struct mig_foreign_key f = { 0 };
		const char *ref_col[1] = { c->ref_column };
		mig_split_qualname(a, c->ref_table, &f.ref_schema, &f.ref_table);
		if (nc.fk) {
			f.name = mig_naming_apply(a, nc.fk, table, one, 1, NULL, f.ref_table);
		}
		f.columns.v = (const char **)one;
		f.columns.n = 1;
		f.ref_columns.v = (const char **)ref_col;
		f.ref_columns.n = c->ref_column ? 1 : 0;
		f.on_delete = c->on_delete;
		f.on_update = c->on_update;
		f.deferrable = c->deferrable;
		f.initially_deferred = c->initially_deferred;
		mig_str_add(&s, prefix);
		if ((rc = fk_def(ctx, op, &f, &s)) < 0) {
			goto done;
		}
		mig_strlist_push(items, s.buf);
	}
done:
	mig_str_release(&s);
	return rc;
}

/* ---- tables ---- */

static int render_create_table(const struct mig_render_ctx *ctx, const struct mig_op *op,
			       struct mig_strlist *out)
{
	const struct mig_table *t = op->table_def;
	struct mig_strlist items = MIG_STRLIST_INIT;
	struct mig_str s = MIG_STR_INIT;
	struct mig_arena names = MIG_ARENA_INIT;
	long long auto_start = 0;
	int rc = MIG_ERROR;

	if (!t) {
		rc = mig_op_error(op, "no definition of table '%s%s%s'",
				  QUAL(op->schema, op->table));
		goto done;
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		const struct mig_column *c = &t->columns.v[i];
		struct my_col col;
		if (c->identity && c->identity_increment > 1) {
			rc = mig_op_error(
			    op,
			    "column '%s%s%s.%s': mysql has no per-column increment (identity "
			    "increment %lld)",
			    QUAL(op->schema, op->table), c->name, c->identity_increment);
			goto done;
		}
		col_from_column(c, single_pk(t, c), &col);
		keep_column_checks(&col, t, c->name);
		if (col.autoincrement && c->identity_start > 1) {
			auto_start = c->identity_start;
		}
		if (render_col(ctx, op, op->schema, op->table, &col, &s) < 0) {
			goto done;
		}
		mig_strlist_push(&items, s.buf);
		mig_str_reset(&s);
	}
	if (t->pk.columns.n) {
		mig_str_add(&s, "PRIMARY KEY ");
		ident_list(ctx, &s, t->pk.columns.v, t->pk.columns.n);
	} else {
		/* a table built in code may give its primary key on the columns */
		for (size_t i = 0; i < t->columns.n; i++) {
			if (t->columns.v[i].primary_key) {
				mig_str_add(&s, s.len ? ", " : "PRIMARY KEY (");
				ident(ctx, &s, t->columns.v[i].name);
			}
		}
		if (s.len) {
			mig_str_addch(&s, ')');
		}
	}
	if (s.len) {
		mig_strlist_push(&items, s.buf);
		mig_str_reset(&s);
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		if (unique_def(ctx, op, &t->uniques.v[i], &s) < 0) {
			goto done;
		}
		mig_strlist_push(&items, s.buf);
		mig_str_reset(&s);
	}
	for (size_t i = 0; i < t->indexes.n; i++) {
		if (index_def(ctx, op, &t->indexes.v[i], &s) < 0) {
			goto done;
		}
		mig_strlist_push(&items, s.buf);
		mig_str_reset(&s);
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		if (fk_def(ctx, op, &t->fks.v[i], &s) < 0) {
			goto done;
		}
		mig_strlist_push(&items, s.buf);
		mig_str_reset(&s);
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		if (column_shorthands(ctx, op, &names, op->table, &t->columns.v[i], "",
				      &items) < 0) {
			goto done;
		}
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		const struct mig_check *k = &t->checks.v[i];
		if (column_check(k) && mig_table_find_column(t, k->column)) {
			continue; /* with its column */
		}
		check_def(ctx, k, &s);
		mig_strlist_push(&items, s.buf);
		mig_str_reset(&s);
	}
	mig_str_add(&s, "CREATE TABLE ");
	table_name(ctx, &s, op->schema, op->table);
	mig_str_add(&s, " (");
	for (size_t i = 0; i < items.n; i++) {
		mig_str_addf(&s, "%s\n  %s", i ? "," : "", items.v[i]);
	}
	mig_str_add(&s, "\n)");
	if (t->comment) {
		mig_str_add(&s, " COMMENT=");
		literal(ctx, &s, t->comment);
	}
	if (auto_start) {
		mig_str_addf(&s, " AUTO_INCREMENT=%lld", auto_start);
	}
	if (t->options) {
		mig_str_addf(&s, " %s", t->options);
	}
	mig_strlist_push(out, s.buf);
	rc = 0;
done:
	mig_strlist_release(&items);
	mig_str_release(&s);
	mig_arena_release(&names);
	return rc;
}

static int render_drop_table(const struct mig_render_ctx *ctx, const struct mig_op *op,
			     struct mig_strlist *out)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "DROP TABLE ");
	table_name(ctx, &s, op->schema, op->table);
	mig_strlist_push_owned(out, mig_str_detach(&s));
	return 0;
}

static int render_rename_table(const struct mig_render_ctx *ctx, const struct mig_op *op,
			       struct mig_strlist *out)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "RENAME TABLE ");
	table_name(ctx, &s, op->schema, op->table);
	mig_str_add(&s, " TO ");
	table_name(ctx, &s, op->schema, op->new_name);
	mig_strlist_push_owned(out, mig_str_detach(&s));
	return 0;
}

/* "ALTER TABLE `t` a, b, c" from the clauses in items. */
static void push_alter(const struct mig_render_ctx *ctx, const struct mig_op *op,
		       const struct mig_strlist *items, struct mig_strlist *out)
{
	struct mig_str s = MIG_STR_INIT;
	alter_table(ctx, &s, op);
	for (size_t i = 0; i < items->n; i++) {
		mig_str_addf(&s, "%s%s", i ? ", " : "", items->v[i]);
	}
	mig_strlist_push_owned(out, mig_str_detach(&s));
}

static int render_add_column(const struct mig_render_ctx *ctx, const struct mig_op *op,
			     struct mig_strlist *out)
{
	const struct mig_column *c = op->column_def;
	const struct mig_table *t = schema_table(ctx, op);
	struct mig_strlist items = MIG_STRLIST_INIT;
	struct mig_str s = MIG_STR_INIT;
	struct mig_arena names = MIG_ARENA_INIT;
	int rc = MIG_ERROR;

	if (!c) {
		rc =
		    mig_op_error(op, "no definition of column '%s'", op->column ? op->column : "?");
		goto done;
	}
	/* the column becomes the primary key when the table has none */
	bool pk = c->primary_key && !(t && t->pk.columns.n);
	struct my_col col;
	col_from_column(c, pk, &col);
	mig_str_add(&s, "ADD COLUMN ");
	if (render_col(ctx, op, op->schema, op->table, &col, &s) < 0) {
		goto done;
	}
	mig_strlist_push(&items, s.buf);
	mig_str_reset(&s);
	if (c->primary_key) {
		mig_str_add(&s, "ADD PRIMARY KEY ");
		ident_list(ctx, &s, &c->name, 1);
		mig_strlist_push(&items, s.buf);
	}
	if (column_shorthands(ctx, op, &names, op->table, c, "ADD ", &items) < 0) {
		goto done;
	}
	push_alter(ctx, op, &items, out);
	rc = 0;
done:
	mig_strlist_release(&items);
	mig_str_release(&s);
	mig_arena_release(&names);
	return rc;
}

/* DROP COLUMN, after dropping what mig_schema_apply drops with the column
 * but MySQL would refuse to drop (a foreign key on it) or would keep without
 * the column (an index, unique constraint or primary key over more columns). */
static int render_drop_column(const struct mig_render_ctx *ctx, const struct mig_op *op,
			      struct mig_strlist *out)
{
	const struct mig_table *t = schema_table(ctx, op);
	struct mig_strlist items = MIG_STRLIST_INIT;
	struct mig_str s = MIG_STR_INIT;
	const char *col = op->column;

	for (size_t i = 0; t && i < t->fks.n; i++) {
		const struct mig_foreign_key *f = &t->fks.v[i];
		if (f->name && mig_names_have(f->columns.v, f->columns.n, col)) {
			mig_str_add(&s, "DROP FOREIGN KEY ");
			ident(ctx, &s, f->name);
			mig_strlist_push(&items, s.buf);
			mig_str_reset(&s);
		}
	}
	if (t && t->pk.columns.n > 1 && mig_names_have(t->pk.columns.v, t->pk.columns.n, col)) {
		mig_strlist_push(&items, "DROP PRIMARY KEY");
	}
	for (size_t i = 0; t && i < t->uniques.n; i++) {
		const struct mig_unique *u = &t->uniques.v[i];
		if (u->name && u->columns.n > 1 && mig_names_have(u->columns.v, u->columns.n, col)) {
			mig_str_add(&s, "DROP INDEX ");
			ident(ctx, &s, u->name);
			mig_strlist_push(&items, s.buf);
			mig_str_reset(&s);
		}
	}
	for (size_t i = 0; t && i < t->indexes.n; i++) {
		const struct mig_index *ix = &t->indexes.v[i];
		bool uses = false;
		for (size_t j = 0; j < ix->elems.n; j++) {
			uses = uses || mig_streq(ix->elems.v[j].column, col);
		}
		if (ix->name && ix->elems.n > 1 && uses) {
			mig_str_add(&s, "DROP INDEX ");
			ident(ctx, &s, ix->name);
			mig_strlist_push(&items, s.buf);
			mig_str_reset(&s);
		}
	}
	mig_str_add(&s, "DROP COLUMN ");
	ident(ctx, &s, col);
	mig_strlist_push(&items, s.buf);
	push_alter(ctx, op, &items, out);
	mig_strlist_release(&items);
	mig_str_release(&s);
	return 0;
}

/* ---- alter_column ---- */

static void add_missing(struct mig_str *missing, const char *key)
{
	mig_str_addf(missing, "%s%s", missing->len ? ", " : "", key);
}

/* The column alter_column leaves: each attribute from the op's new value,
 * else its existing_* key, else the schema's column. The existing_* keys
 * that none of them gives are listed in missing. */
static void alter_target(const struct mig_render_ctx *ctx, const struct mig_op *op,
			 struct my_col *out, struct mig_str *missing)
{
	const struct mig_alter_column *a = &op->alter;
	const struct mig_table *t = schema_table(ctx, op);
	const struct mig_column *sc = t ? mig_table_find_column(t, op->column) : NULL;

	memset(out, 0, sizeof(*out));
	out->name = a->new_name ? a->new_name : op->column;
	if (mig_type_is_set(&a->type)) {
		out->type = &a->type;
	} else if (mig_type_is_set(&a->existing_type)) {
		out->type = &a->existing_type;
	} else if (sc) {
		out->type = &sc->type;
	} else {
		add_missing(missing, "existing_type");
	}
	if (a->nullable != MIG_UNSET) {
		out->nullable = a->nullable == MIG_TRUE;
	} else if (a->existing_nullable != MIG_UNSET) {
		out->nullable = a->existing_nullable == MIG_TRUE;
	} else if (sc) {
		out->nullable = sc->nullable && !sc->primary_key;
	} else {
		add_missing(missing, "existing_nullable");
	}
	if (a->default_sql.set) {
		out->default_sql = a->default_sql.value;
	} else if (a->existing_default.set) {
		out->default_sql = a->existing_default.value;
	} else if (sc) {
		out->default_sql = sc->default_sql;
	} else {
		add_missing(missing, "existing_default");
	}
	if (a->comment.set) {
		out->comment = a->comment.value;
	} else if (a->existing_comment.set) {
		out->comment = a->existing_comment.value;
	} else if (sc) {
		out->comment = sc->comment;
	} else {
		add_missing(missing, "existing_comment");
	}
	if (a->existing_autoincrement != MIG_UNSET) {
		out->autoincrement = a->existing_autoincrement == MIG_TRUE;
	} else if (sc) {
		out->autoincrement = autoincrements(sc, single_pk(t, sc));
	} else if (out->type && integer_type(out->type)) {
		/* only an integer column can be AUTO_INCREMENT, and MODIFY
		 * without the word takes it away */
		add_missing(missing, "existing_autoincrement");
	}
	/* no existing_* key can say "none" for these: absent is none */
	out->on_update_sql = a->existing_server_onupdate ? a->existing_server_onupdate
				: sc			  ? sc->on_update_sql
							  : NULL;
	out->collation = a->existing_collation ? a->existing_collation
			 : sc			? sc->collation
						: NULL;
	if (out->type && !integer_type(out->type)) {
		out->autoincrement = false; /* the type changed to one that cannot count */
	}
	if (out->collation && out->type && !collatable(out->type)) {
		out->collation = NULL; /* the type changed to one without a collation */
	}
	if (sc && sc->computed_sql) {
		out->computed_sql = sc->computed_sql;
		out->computed_stored = sc->computed_stored;
	}
}

static int render_alter_column(const struct mig_render_ctx *ctx, const struct mig_op *op,
			       struct mig_strlist *out)
{
	const struct mig_alter_column *a = &op->alter;
	const struct mig_table *t = schema_table(ctx, op);
	const struct mig_column *sc = t ? mig_table_find_column(t, op->column) : NULL;
	bool rename = a->new_name && !mig_streq(a->new_name, op->column);
	/* ALTER COLUMN … SET DEFAULT and DROP DEFAULT take away an ON UPDATE:
	 * a column with one is restated whole */
	bool on_update = a->existing_server_onupdate || (sc && sc->on_update_sql);
	bool others = mig_type_is_set(&a->type) || a->nullable != MIG_UNSET || a->comment.set ||
		      (on_update && a->default_sql.set);
	struct mig_str s = MIG_STR_INIT;
	struct mig_str missing = MIG_STR_INIT;
	struct my_col col;
	int rc = MIG_ERROR;

	if (!others && !rename && !a->default_sql.set) {
		return 0; /* a rename to the same name */
	}
	alter_table(ctx, &s, op);
	if (!others && !rename) {
		/* the default alone: no need to restate the column */
		mig_str_add(&s, "ALTER COLUMN ");
		ident(ctx, &s, op->column);
		if (a->default_sql.value) {
			const struct mig_type *ty = mig_type_is_set(&a->existing_type)
							    ? &a->existing_type
						    : sc ? &sc->type
							 : NULL;
			mig_str_add(&s, " SET DEFAULT ");
			render_default(&s, a->default_sql.value, ty);
		} else {
			mig_str_add(&s, " DROP DEFAULT");
		}
		goto push;
	}
	if (!others && !a->default_sql.set) {
		mig_str_add(&s, "RENAME COLUMN ");
		ident(ctx, &s, op->column);
		mig_str_add(&s, " TO ");
		ident(ctx, &s, a->new_name);
		goto push;
	}
	alter_target(ctx, op, &col, &missing);
	if (t) {
		keep_column_checks(&col, t, op->column);
	}
	if (missing.len) {
		if (!ctx->schema) {
			mig_op_error(
			    op,
			    "mysql restates the whole column '%s%s%s.%s' (MODIFY COLUMN): give %s "
			    "(there is no schema to read them from)",
			    QUAL(op->schema, op->table), op->column, missing.buf);
		} else {
			mig_op_error(
			    op,
			    "mysql restates the whole column '%s%s%s.%s' (MODIFY COLUMN): give %s "
			    "(the schema has no %s '%s%s%s%s%s')",
			    QUAL(op->schema, op->table), op->column, missing.buf,
			    t ? "column" : "table", QUAL(op->schema, op->table), t ? "." : "",
			    t ? op->column : "");
		}
		goto done;
	}
	if (rename) {
		mig_str_add(&s, "CHANGE COLUMN ");
		ident(ctx, &s, op->column);
		mig_str_addch(&s, ' ');
	} else {
		mig_str_add(&s, "MODIFY COLUMN ");
	}
	if (render_col(ctx, op, op->schema, op->table, &col, &s) < 0) {
		goto done;
	}
push:
	mig_strlist_push(out, s.buf);
	rc = 0;
done:
	mig_str_release(&s);
	mig_str_release(&missing);
	return rc;
}

/* ---- indexes and constraints as ops ---- */

static int render_create_index(const struct mig_render_ctx *ctx, const struct mig_op *op,
			       struct mig_strlist *out)
{
	const struct mig_index *ix = op->index;
	const char *head, *tail;
	struct mig_str s = MIG_STR_INIT;
	int rc;
	if (!ix || !ix->name) {
		return mig_op_error(op, "mysql needs the index's name and definition");
	}
	if ((rc = index_kind(op, ix, &head, &tail)) < 0) {
		return rc;
	}
	mig_str_addf(&s, "CREATE %sINDEX ", head);
	ident(ctx, &s, ix->name);
	mig_str_add(&s, " ON ");
	table_name(ctx, &s, op->schema, op->table);
	mig_str_addch(&s, ' ');
	if ((rc = index_parts(ctx, op, ix, &s)) < 0) {
		mig_str_release(&s);
		return rc;
	}
	mig_str_add(&s, tail);
	mig_strlist_push_owned(out, mig_str_detach(&s));
	return 0;
}

static int render_drop_index(const struct mig_render_ctx *ctx, const struct mig_op *op,
			     struct mig_strlist *out)
{
	struct mig_str s = MIG_STR_INIT;
	if (!op->name) {
		return mig_op_error(op, "mysql drops an index by its name: give 'name'");
	}
	mig_str_add(&s, "DROP INDEX ");
	ident(ctx, &s, op->name);
	mig_str_add(&s, " ON ");
	table_name(ctx, &s, op->schema, op->table);
	mig_strlist_push_owned(out, mig_str_detach(&s));
	return 0;
}

/* A column check added (with) or dropped (without, its name) by restating
 * column in MODIFY COLUMN from the schema: MariaDB keeps such a check in the
 * column's definition, where ADD CONSTRAINT and DROP CONSTRAINT do not reach.
 * Without the schema's column, the table-level form. */
static int modify_for_check(const struct mig_render_ctx *ctx, const struct mig_op *op,
			    const char *column, const char *without, const struct mig_check *with,
			    struct mig_strlist *out)
{
	const struct mig_table *t = schema_table(ctx, op);
	const struct mig_column *c = t ? mig_table_find_column(t, column) : NULL;
	struct mig_str s = MIG_STR_INIT;
	alter_table(ctx, &s, op);
	if (!c) {
		if (with) {
			mig_str_add(&s, "ADD ");
			check_def(ctx, with, &s);
		} else {
			mig_str_add(&s, "DROP CONSTRAINT ");
			ident(ctx, &s, without);
		}
		mig_strlist_push_owned(out, mig_str_detach(&s));
		return 0;
	}
	struct my_col col;
	col_from_column(c, single_pk(t, c), &col);
	keep_column_checks(&col, t, c->name);
	col.without_check = without;
	col.with_check = with;
	mig_str_add(&s, "MODIFY COLUMN ");
	if (render_col(ctx, op, op->schema, op->table, &col, &s) < 0) {
		mig_str_release(&s);
		return MIG_ERROR;
	}
	mig_strlist_push_owned(out, mig_str_detach(&s));
	return 0;
}

static int render_create_constraint(const struct mig_render_ctx *ctx, const struct mig_op *op,
				    struct mig_strlist *out)
{
	struct mig_str s = MIG_STR_INIT;
	int rc = 0;
	alter_table(ctx, &s, op);
	mig_str_add(&s, "ADD ");
	switch (op->kind) {
	case MIG_OP_CREATE_PRIMARY_KEY:
		if (!op->pk || !op->pk->columns.n) {
			rc = mig_op_error(op, "no definition of the primary key");
			break;
		}
		/* MySQL names every primary key PRIMARY: a name is not written */
		mig_str_add(&s, "PRIMARY KEY ");
		ident_list(ctx, &s, op->pk->columns.v, op->pk->columns.n);
		break;
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
		rc = op->unique ? unique_def(ctx, op, op->unique, &s)
				: mig_op_error(op, "no definition of the unique constraint");
		break;
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
		if (!op->check) {
			rc = mig_op_error(op, "no definition of the check constraint");
			break;
		}
		if (column_check(op->check)) {
			mig_str_release(&s);
			return modify_for_check(ctx, op, op->check->column, NULL, op->check, out);
		}
		check_def(ctx, op->check, &s);
		break;
	default:
		rc = op->fk ? fk_def(ctx, op, op->fk, &s)
			    : mig_op_error(op, "no definition of the foreign key");
		break;
	}
	if (rc == 0) {
		mig_strlist_push(out, s.buf);
	}
	mig_str_release(&s);
	return rc;
}

/* The name of the constraint drop_constraint drops: the op's, else the one
 * the schema gives the constraint of the op's definition, else NULL. */
static const char *constraint_to_drop(const struct mig_render_ctx *ctx, const struct mig_op *op)
{
	const struct mig_table *t = schema_table(ctx, op);
	if (op->name || !t) {
		return op->name;
	}
	switch (op->constraint) {
	case MIG_CONSTRAINT_UNIQUE:
		for (size_t i = 0; op->unique && i < t->uniques.n; i++) {
			const struct mig_unique *u = &t->uniques.v[i];
			if (mig_names_equal(u->columns.v, u->columns.n, op->unique->columns.v,
					    op->unique->columns.n)) {
				return u->name;
			}
		}
		return NULL;
	case MIG_CONSTRAINT_CHECK:
		for (size_t i = 0; op->check && i < t->checks.n; i++) {
			if (mig_streq(t->checks.v[i].sql, op->check->sql)) {
				return t->checks.v[i].name;
			}
		}
		return NULL;
	case MIG_CONSTRAINT_FOREIGNKEY:
		for (size_t i = 0; op->fk && i < t->fks.n; i++) {
			const struct mig_foreign_key *f = &t->fks.v[i];
			if (mig_names_equal(f->columns.v, f->columns.n, op->fk->columns.v,
					    op->fk->columns.n)) {
				return f->name;
			}
		}
		return NULL;
	default:
		return NULL;
	}
}

/* Whether the first columns of names are the n columns cols. */
static bool leads_with(const char *const *names, size_t nnames, const char *const *cols, size_t n)
{
	if (nnames < n) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!mig_strieq(names[i], cols[i])) {
			return false;
		}
	}
	return true;
}

/* The index the server made itself for foreign key name of the op's table,
 * which dropping the key leaves behind: the one reflection found, or, when
 * no index, unique constraint or primary key of the table starts with the
 * key's columns, the one the server made then, named after the key. NULL
 * when there is none or the schema is not known. */
static const char *fk_index_to_drop(const struct mig_render_ctx *ctx, const struct mig_op *op,
				    const char *name)
{
	const struct mig_table *t = schema_table(ctx, op);
	const struct mig_foreign_key *f = NULL;
	for (size_t i = 0; t && i < t->fks.n && !f; i++) {
		if (mig_strieq(t->fks.v[i].name, name)) {
			f = &t->fks.v[i];
		}
	}
	if (!f || f->index) {
		return f ? f->index : NULL;
	}
	const char *const *cols = f->columns.v;
	size_t n = f->columns.n;
	if (leads_with(t->pk.columns.v, t->pk.columns.n, cols, n)) {
		return NULL;
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		if (leads_with(t->uniques.v[i].columns.v, t->uniques.v[i].columns.n, cols, n)) {
			return NULL;
		}
	}
	for (size_t i = 0; i < t->indexes.n; i++) {
		const struct mig_index *ix = &t->indexes.v[i];
		bool leads = ix->elems.n >= n;
		for (size_t j = 0; leads && j < n; j++) {
			leads = mig_strieq(ix->elems.v[j].column, cols[j]);
		}
		if (leads) {
			return NULL;
		}
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		const struct mig_column *c = &t->columns.v[i];
		if ((c->unique || c->index || c->primary_key) && n == 1 &&
		    mig_strieq(c->name, cols[0])) {
			return NULL;
		}
	}
	return f->name;
}

/* A unique constraint is an index on MySQL and goes with DROP INDEX; a
 * foreign key goes with DROP FOREIGN KEY and then DROP INDEX of the index
 * the server made for it (else the index stays, as MySQL keeps it, and
 * the database has an index no model declares); a check with DROP
 * CONSTRAINT, which MariaDB 10.2 and MySQL 8.0.19 both take (MySQL's DROP
 * CHECK is not MariaDB's). */
static int render_drop_constraint(const struct mig_render_ctx *ctx, const struct mig_op *op,
				  struct mig_strlist *out)
{
	static const char *const what[] = {
		[MIG_CONSTRAINT_UNIQUE] = "a unique constraint",
		[MIG_CONSTRAINT_CHECK] = "a check constraint",
		[MIG_CONSTRAINT_FOREIGNKEY] = "a foreign key",
	};
	struct mig_str s = MIG_STR_INIT;
	alter_table(ctx, &s, op);
	if (op->constraint == MIG_CONSTRAINT_PRIMARY) {
		mig_str_add(&s, "DROP PRIMARY KEY");
		mig_strlist_push_owned(out, mig_str_detach(&s));
		return 0;
	}
	if (op->constraint < MIG_CONSTRAINT_UNIQUE || op->constraint > MIG_CONSTRAINT_FOREIGNKEY) {
		mig_str_release(&s);
		return mig_op_error(op, "no constraint type");
	}
	const char *name = constraint_to_drop(ctx, op);
	const struct mig_table *t = schema_table(ctx, op);
	for (size_t i = 0; name && t && op->constraint == MIG_CONSTRAINT_CHECK && i < t->checks.n;
	     i++) {
		const struct mig_check *k = &t->checks.v[i];
		if (mig_strieq(k->name, name) && column_check(k)) {
			mig_str_release(&s);
			return modify_for_check(ctx, op, k->column, k->name, NULL, out);
		}
	}
	if (!name) {
		mig_str_release(&s);
		return mig_op_error(
		    op,
		    "mysql drops %s by its name, and neither the op nor the schema gives "
		    "it: give 'name'",
		    what[op->constraint]);
	}
	mig_str_add(&s, op->constraint == MIG_CONSTRAINT_UNIQUE	 ? "DROP INDEX "
			: op->constraint == MIG_CONSTRAINT_CHECK ? "DROP CONSTRAINT "
								 : "DROP FOREIGN KEY ");
	ident(ctx, &s, name);
	mig_strlist_push_owned(out, mig_str_detach(&s));
	const char *index = op->constraint == MIG_CONSTRAINT_FOREIGNKEY
				? fk_index_to_drop(ctx, op, name)
				: NULL;
	if (index) {
		alter_table(ctx, &s, op);
		mig_str_add(&s, "DROP INDEX ");
		ident(ctx, &s, index);
		mig_strlist_push_owned(out, mig_str_detach(&s));
	}
	return 0;
}

static int render_table_comment(const struct mig_render_ctx *ctx, const struct mig_op *op,
				struct mig_strlist *out)
{
	struct mig_str s = MIG_STR_INIT;
	alter_table(ctx, &s, op);
	mig_str_add(&s, "COMMENT=");
	bool set = op->kind == MIG_OP_CREATE_TABLE_COMMENT && op->table_comment;
	literal(ctx, &s, set ? op->table_comment : "");
	mig_strlist_push_owned(out, mig_str_detach(&s));
	return 0;
}

/* ---- enums ---- */

/* Whether enum e holds the values of en in the same order. */
static bool same_values(const struct mig_enum *e, const struct mig_enum *en)
{
	if (e->values.n != en->values.n) {
		return false;
	}
	for (size_t i = 0; i < e->values.n; i++) {
		if (!mig_streq(e->values.v[i], en->values.v[i])) {
			return false;
		}
	}
	return true;
}

/* Whether column c of t is of enum e: typed by it, or, in a reflected
 * schema, of the inline enum reflection named <table>_<column> (or
 * <table>_<column>_<n>) with e's values, since a database knows nothing of
 * the name a model gave the enum. */
static bool of_enum(const struct mig_render_ctx *ctx, const struct mig_table *t,
		    const struct mig_column *c, const struct mig_enum *e)
{
	const struct mig_enum *en = schema_enum(ctx, &c->type);
	if (!en || en == e) {
		return en == e;
	}
	size_t tn = strlen(t->name), cn = strlen(c->name);
	const char *n = en->name;
	if (strncmp(n, t->name, tn) != 0 || n[tn] != '_' || strncmp(n + tn + 1, c->name, cn) != 0) {
		return false;
	}
	const char *rest = n + tn + 1 + cn;
	if (rest[0] == '_' && isdigit((unsigned char)rest[1])) {
		for (rest++; isdigit((unsigned char)*rest); rest++) {
		}
	}
	return !*rest && same_values(e, en);
}

/* Every column of the enum restated with its new list of values: one ALTER
 * TABLE per table that has such columns. */
static int render_add_enum_value(const struct mig_render_ctx *ctx, const struct mig_op *op,
				 struct mig_strlist *out)
{
	const struct mig_schema *sch = ctx->schema;
	MIG_VEC(const char *) values = { 0 };
	struct mig_strlist items = MIG_STRLIST_INIT;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	struct mig_str s = MIG_STR_INIT;
	int rc = MIG_ERROR;

	if (!sch) {
		return mig_op_error(
		    op,
		    "mysql writes the enum '%s%s%s' inline in its columns and needs the "
		    "schema to find them",
		    QUAL(op->schema, op->name));
	}
	const struct mig_enum *e = mig_schema_find_enum(sch, op->schema, op->name);
	if (!e) {
		return mig_op_error(op, "no enum '%s%s%s' in the schema",
				    QUAL(op->schema, op->name));
	}
	if (mig_names_have(e->values.v, e->values.n, op->value)) {
		if (op->if_not_exists) {
			return 0;
		}
		return mig_op_error(op, "enum '%s%s%s' has the value '%s' already",
				    QUAL(op->schema, op->name), op->value);
	}
	size_t at = e->values.n;
	const char *anchor = op->before ? op->before : op->after;
	if (anchor) {
		for (at = 0; at < e->values.n && !mig_streq(e->values.v[at], anchor); at++) {
		}
		if (at == e->values.n) {
			return mig_op_error(op, "enum '%s%s%s' has no value '%s'",
					    QUAL(op->schema, op->name), anchor);
		}
		at += op->after != NULL;
	}
	for (size_t i = 0; i <= e->values.n; i++) {
		if (i == at) {
			mig_vec_push(&values, op->value);
		}
		if (i < e->values.n) {
			mig_vec_push(&values, e->values.v[i]);
		}
	}
	struct my_names nv = { values.v, values.n };
	for (size_t i = 0; i < sch->tables.n; i++) {
		const struct mig_table *t = &sch->tables.v[i];
		for (size_t j = 0; j < t->columns.n; j++) {
			const struct mig_column *c = &t->columns.v[j];
			if (!of_enum(ctx, t, c, e)) {
				continue;
			}
			struct my_col col;
			col_from_column(c, single_pk(t, c), &col);
			keep_column_checks(&col, t, c->name);
			col.values = nv;
			mig_str_add(&s, "MODIFY COLUMN ");
			if (render_col(ctx, op, t->schema, t->name, &col, &s) < 0) {
				goto done;
			}
			mig_strlist_push(&items, s.buf);
			mig_str_reset(&s);
		}
		if (items.n) {
			struct mig_op at_table = *op;
			at_table.schema = t->schema;
			at_table.table = t->name;
			push_alter(ctx, &at_table, &items, &stmts);
			mig_strlist_release(&items);
		}
	}
	for (size_t i = 0; i < stmts.n; i++) {
		mig_strlist_push_owned(out, stmts.v[i]);
	}
	stmts.n = 0;
	rc = 0;
done:
	mig_vec_free(&values);
	mig_strlist_release(&items);
	mig_strlist_release(&stmts);
	mig_str_release(&s);
	return rc;
}

/* ---- data and raw SQL ---- */

static void render_value(const struct mig_render_ctx *ctx, struct mig_str *out,
			 const struct mig_value *v)
{
	switch (v->kind) {
	case MIG_VALUE_NULL:
		mig_str_add(out, "NULL");
		return;
	case MIG_VALUE_BOOL:
		mig_str_add(out, mig_streq(v->text, "true") ? "TRUE" : "FALSE");
		return;
	case MIG_VALUE_NUMBER:
		if (v->text && mig_is_decimal(v->text)) {
			mig_str_add(out, v->text);
			return;
		}
		break;
	case MIG_VALUE_STRING:
		break;
	}
	literal(ctx, out, v->text ? v->text : "");
}

static int render_bulk_insert(const struct mig_render_ctx *ctx, const struct mig_op *op,
			      struct mig_strlist *out)
{
	struct mig_str head = MIG_STR_INIT;
	struct mig_str s = MIG_STR_INIT;
	if (!op->columns.n) {
		return mig_op_error(op, "no columns to insert");
	}
	mig_str_add(&head, "INSERT INTO ");
	table_name(ctx, &head, op->schema, op->table);
	mig_str_addch(&head, ' ');
	ident_list(ctx, &head, op->columns.v, op->columns.n);
	mig_str_add(&head, " VALUES ");
	for (size_t r = 0; r < op->rows.n; r++) {
		if (r % MY_INSERT_BATCH == 0) {
			if (r) {
				mig_strlist_push(out, s.buf);
			}
			mig_str_reset(&s);
			mig_str_add(&s, head.buf);
		} else {
			mig_str_add(&s, ", ");
		}
		mig_str_addch(&s, '(');
		for (size_t c = 0; c < op->columns.n; c++) {
			if (c) {
				mig_str_add(&s, ", ");
			}
			render_value(ctx, &s, &op->rows.v[r][c]);
		}
		mig_str_addch(&s, ')');
	}
	if (op->rows.n) {
		mig_strlist_push(out, s.buf);
	}
	mig_str_release(&head);
	mig_str_release(&s);
	return 0;
}

/* The op's text for mysql as one statement: without the trailing ';' and
 * blanks (the client sends one statement at a time). */
static int render_sql(const struct mig_op *op, struct mig_strlist *out)
{
	const char *text;
	int rc = mig_op_sql_text(op, "mysql", &text);
	if (rc < 0) {
		return rc;
	}
	size_t n = strlen(text);
	while (n > 0 && (isspace((unsigned char)text[n - 1]) || text[n - 1] == ';')) {
		n--;
	}
	if (n) {
		mig_strlist_push_owned(out, xstrndup(text, n));
	}
	return 0;
}

int my_render_op(const struct mig_render_ctx *ctx, const struct mig_op *op,
		 struct mig_strlist *out)
{
	switch (op->kind) {
	case MIG_OP_CREATE_TABLE:
		return render_create_table(ctx, op, out);
	case MIG_OP_DROP_TABLE:
		return render_drop_table(ctx, op, out);
	case MIG_OP_RENAME_TABLE:
		return render_rename_table(ctx, op, out);
	case MIG_OP_ADD_COLUMN:
		return render_add_column(ctx, op, out);
	case MIG_OP_DROP_COLUMN:
		return render_drop_column(ctx, op, out);
	case MIG_OP_ALTER_COLUMN:
		return render_alter_column(ctx, op, out);
	case MIG_OP_CREATE_INDEX:
		return render_create_index(ctx, op, out);
	case MIG_OP_DROP_INDEX:
		return render_drop_index(ctx, op, out);
	case MIG_OP_CREATE_PRIMARY_KEY:
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
	case MIG_OP_CREATE_FOREIGN_KEY:
		return render_create_constraint(ctx, op, out);
	case MIG_OP_DROP_CONSTRAINT:
		return render_drop_constraint(ctx, op, out);
	case MIG_OP_CREATE_TABLE_COMMENT:
	case MIG_OP_DROP_TABLE_COMMENT:
		return render_table_comment(ctx, op, out);
	case MIG_OP_CREATE_ENUM:
	case MIG_OP_DROP_ENUM:
		return 0; /* enums are written inline in their columns */
	case MIG_OP_ADD_ENUM_VALUE:
		return render_add_enum_value(ctx, op, out);
	case MIG_OP_BULK_INSERT:
		return render_bulk_insert(ctx, op, out);
	case MIG_OP_SQL:
		return render_sql(op, out);
	}
	return mig_op_error(op, "unknown op");
}
