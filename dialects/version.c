/* The version table and migrate_history: their definitions as create_table
 * ops, and the statements on their rows, in SQL that every dialect accepts,
 * quoted by the dialect. */
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add a column of type type_text to t (strings copied into s's arena). */
static struct mig_column *add_column(struct mig_schema *s, struct mig_table *t, const char *name,
				     const char *type_text, bool nullable)
{
	struct mig_column c = { 0 };
	c.name = mig_arena_strdup(&s->arena, name);
	/* the types are generic ones, which parse */
	mig_type_parse(&s->arena, type_text, &c.type);
	c.nullable = nullable;
	mig_vec_push(&t->columns, c);
	return &t->columns.v[t->columns.n - 1];
}

/* Make the one-column primary key of t, named <table>_pkc. */
static void primary_key(struct mig_schema *s, struct mig_table *t, struct mig_column *c)
{
	c->primary_key = true;
	c->nullable = false;
	t->pk.name = mig_arena_printf(&s->arena, "%s_pkc", t->name);
	mig_vec_push(&t->pk.columns, c->name);
}

static void push_create(struct mig_oplist *out, struct mig_table *t)
{
	struct mig_op op = { 0 };
	op.kind = MIG_OP_CREATE_TABLE;
	op.schema = t->schema;
	op.table = t->name;
	op.table_def = t;
	mig_oplist_push(out, &op);
}

void mig_version_table_op(const char *schema, const char *table, struct mig_oplist *out)
{
	struct mig_schema *s = mig_schema_new();
	struct mig_table *t = mig_schema_add_table(s, schema, table);
	struct mig_column *c = add_column(s, t, "version_num", "varchar(32)", false);
	primary_key(s, t, c);
	push_create(out, t);
	mig_schema_free(s);
}

void mig_history_table_op(const char *schema, struct mig_oplist *out)
{
	struct mig_schema *s = mig_schema_new();
	struct mig_table *t = mig_schema_add_table(s, schema, MIG_HISTORY_TABLE);
	primary_key(s, t, add_column(s, t, "id", "integer", false));
	add_column(s, t, "revision", "varchar(32)", false);
	add_column(s, t, "direction", "varchar(16)", false);
	add_column(s, t, "checksum", "varchar(64)", true);
	add_column(s, t, "applied_at", "timestamp", false);
	add_column(s, t, "applied_by", "varchar(255)", true);
	add_column(s, t, "duration_ms", "integer", true);
	add_column(s, t, "ops_done", "integer", true);
	push_create(out, t);
	mig_schema_free(s);
}

static void ident(const struct mig_dialect_impl *impl, struct mig_str *out, const char *name)
{
	impl->quote_ident(out, name);
}

static void literal(const struct mig_dialect_impl *impl, struct mig_str *out, const char *text)
{
	if (text) {
		impl->quote_literal(out, text);
	} else {
		mig_str_add(out, "NULL");
	}
}

static void literal_list(const struct mig_dialect_impl *impl, struct mig_str *out,
			 const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i) {
			mig_str_add(out, ", ");
		}
		literal(impl, out, ids[i]);
	}
}

void mig_version_select_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, struct mig_str *out)
{
	mig_str_add(out, "SELECT ");
	ident(impl, out, "version_num");
	mig_str_add(out, " FROM ");
	mig_render_qualname(impl, out, schema, table);
	mig_str_add(out, " ORDER BY ");
	ident(impl, out, "version_num");
}

void mig_version_insert_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, const char *const *ids, size_t n,
			    struct mig_str *out)
{
	mig_str_add(out, "INSERT INTO ");
	mig_render_qualname(impl, out, schema, table);
	mig_str_add(out, " (");
	ident(impl, out, "version_num");
	mig_str_add(out, ") VALUES ");
	for (size_t i = 0; i < n; i++) {
		mig_str_add(out, i ? ", (" : "(");
		literal(impl, out, ids[i]);
		mig_str_addch(out, ')');
	}
}

void mig_version_update_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, const char *old_id, const char *new_id,
			    struct mig_str *out)
{
	mig_str_add(out, "UPDATE ");
	mig_render_qualname(impl, out, schema, table);
	mig_str_add(out, " SET ");
	ident(impl, out, "version_num");
	mig_str_add(out, " = ");
	literal(impl, out, new_id);
	mig_str_add(out, " WHERE ");
	ident(impl, out, "version_num");
	mig_str_add(out, " = ");
	literal(impl, out, old_id);
}

void mig_version_delete_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const char *table, const char *const *ids, size_t n,
			    struct mig_str *out)
{
	mig_str_add(out, "DELETE FROM ");
	mig_render_qualname(impl, out, schema, table);
	if (n == 0) {
		return;
	}
	mig_str_add(out, " WHERE ");
	ident(impl, out, "version_num");
	if (n == 1) {
		mig_str_add(out, " = ");
		literal(impl, out, ids[0]);
		return;
	}
	mig_str_add(out, " IN (");
	literal_list(impl, out, ids, n);
	mig_str_addch(out, ')');
}

/* The current UTC time as the server sees it, for a timestamp column. */
static const char *utc_now_sql(const struct mig_dialect_impl *impl)
{
	if (strcmp(impl->name, "postgresql") == 0) {
		return "(now() AT TIME ZONE 'utc')";
	}
	if (strcmp(impl->name, "mysql") == 0) {
		return "UTC_TIMESTAMP()";
	}
	return "CURRENT_TIMESTAMP"; /* SQLite: UTC */
}

/* The user running a script, as the server knows it, or NULL. */
static const char *session_user_sql(const struct mig_dialect_impl *impl)
{
	if (strcmp(impl->name, "postgresql") == 0) {
		return "session_user";
	}
	if (strcmp(impl->name, "mysql") == 0) {
		return "USER()";
	}
	return NULL;
}

static void number_or_null(struct mig_str *out, long v)
{
	if (v < 0) {
		mig_str_add(out, "NULL");
	} else {
		mig_str_addf(out, "%ld", v);
	}
}

/* One element of a PostgreSQL array literal: NULL, or the text in double
 * quotes with '"' and '\\' escaped. */
static void array_elem(struct mig_str *out, const char *text)
{
	if (!text) {
		mig_str_add(out, "NULL");
		return;
	}
	mig_str_addch(out, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\') {
			mig_str_addch(out, '\\');
		}
		mig_str_addch(out, *p);
	}
	mig_str_addch(out, '"');
}

/* The rows as one array per column, unnested: PostgreSQL parses and plans
 * seven literals instead of seven expressions a row (a quarter of the time
 * for 1,000 rows). Every row has its applied_at and applied_by. */
static void history_unnest(const struct mig_dialect_impl *impl, const struct mig_history_row *rows,
			   size_t n, struct mig_str *out)
{
	static const char *const types[] = { "text", "text", "text", "timestamp",
					     "text", "int",  "int" };
	struct mig_str a = MIG_STR_INIT;
	char num[32];
	mig_str_add(out, " SELECT * FROM unnest(");
	for (size_t c = 0; c < sizeof(types) / sizeof(types[0]); c++) {
		mig_str_reset(&a);
		mig_str_addch(&a, '{');
		for (size_t i = 0; i < n; i++) {
			const struct mig_history_row *r = &rows[i];
			long v = c == 5 ? r->duration_ms : r->ops_done;
			snprintf(num, sizeof(num), "%ld", v);
			const char *text[] = { r->revision,   r->direction,  r->checksum,
					       r->applied_at, r->applied_by, v < 0 ? NULL : num,
					       v < 0 ? NULL : num };
			mig_str_add(&a, i ? "," : "");
			array_elem(&a, text[c]);
		}
		mig_str_addch(&a, '}');
		mig_str_add(out, c ? ", " : "");
		literal(impl, out, a.buf);
		mig_str_addf(out, "::%s[]", types[c]);
	}
	mig_str_addch(out, ')');
	mig_str_release(&a);
}

/* The columns of migrate_history a run writes, in the order it writes them. */
static const char *const history_cols[] = { "revision",	 "direction",	"checksum",
					     "applied_at", "applied_by", "duration_ms",
					     "ops_done" };

void mig_history_select_sql(const struct mig_dialect_impl *impl, const char *schema,
			    struct mig_str *out)
{
	mig_str_add(out, "SELECT ");
	for (size_t i = 0; i < 5; i++) {
		mig_str_add(out, i ? ", " : "");
		ident(impl, out, history_cols[i]);
	}
	mig_str_add(out, " FROM ");
	mig_render_qualname(impl, out, schema, MIG_HISTORY_TABLE);
	mig_str_add(out, " ORDER BY ");
	ident(impl, out, "id");
}

void mig_history_insert_sql(const struct mig_dialect_impl *impl, const char *schema,
			    const struct mig_history_row *rows, size_t n, struct mig_str *out)
{
	mig_str_add(out, "INSERT INTO ");
	mig_render_qualname(impl, out, schema, MIG_HISTORY_TABLE);
	mig_str_add(out, " ");
	mig_render_ident_list(impl, out, history_cols, sizeof(history_cols) / sizeof(history_cols[0]));
	bool literals = true;
	for (size_t i = 0; i < n && literals; i++) {
		literals = rows[i].applied_at && rows[i].applied_by;
	}
	if (n > 1 && literals && strcmp(impl->name, "postgresql") == 0) {
		history_unnest(impl, rows, n, out);
		return;
	}
	mig_str_add(out, " VALUES ");
	for (size_t i = 0; i < n; i++) {
		const struct mig_history_row *r = &rows[i];
		mig_str_add(out, i ? ", (" : "(");
		literal(impl, out, r->revision);
		mig_str_add(out, ", ");
		literal(impl, out, r->direction);
		mig_str_add(out, ", ");
		literal(impl, out, r->checksum);
		mig_str_add(out, ", ");
		if (r->applied_at) {
			literal(impl, out, r->applied_at);
		} else {
			mig_str_add(out, utc_now_sql(impl));
		}
		mig_str_add(out, ", ");
		if (r->applied_by || !session_user_sql(impl)) {
			literal(impl, out, r->applied_by);
		} else {
			mig_str_add(out, session_user_sql(impl));
		}
		mig_str_add(out, ", ");
		number_or_null(out, r->duration_ms);
		mig_str_add(out, ", ");
		number_or_null(out, r->ops_done);
		mig_str_addch(out, ')');
	}
}

const char *mig_script_begin_sql(const struct mig_dialect_impl *impl)
{
	return impl->caps & MIG_CAP_TRANSACTIONAL_DDL ? "BEGIN" : NULL;
}

const char *mig_script_commit_sql(const struct mig_dialect_impl *impl)
{
	return impl->caps & MIG_CAP_TRANSACTIONAL_DDL ? "COMMIT" : NULL;
}

/* SQLite changes foreign key enforcement only outside a transaction, so a
 * script turns it off before its BEGIN, as the runner does when it begins a
 * transaction: a table rebuild's DROP TABLE must not delete (ON DELETE
 * CASCADE) or refuse to delete the rows of the tables that reference it. */
const char *mig_script_before_begin_sql(const struct mig_dialect_impl *impl)
{
	return strcmp(impl->name, "sqlite") == 0 ? "PRAGMA foreign_keys = OFF" : NULL;
}

const char *mig_script_after_commit_sql(const struct mig_dialect_impl *impl)
{
	return strcmp(impl->name, "sqlite") == 0 ? "PRAGMA foreign_keys = ON" : NULL;
}
