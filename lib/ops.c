/* The operation model: op lists (ownership, deep copies), reading ops from
 * revision-file YAML with the model-file grammar, and writing them back in
 * the DESIGN §6 style. Applying and inverting ops lives in ops-apply.c. */
#include "ops-yaml.h"

#include "model.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PDUP(l, x) mig_arena_strdup(&(l)->pool.arena, (x))

static const char *const kind_names[MIG_OP_KIND_COUNT] = {
	[MIG_OP_CREATE_TABLE] = "create_table",
	[MIG_OP_DROP_TABLE] = "drop_table",
	[MIG_OP_RENAME_TABLE] = "rename_table",
	[MIG_OP_ADD_COLUMN] = "add_column",
	[MIG_OP_DROP_COLUMN] = "drop_column",
	[MIG_OP_ALTER_COLUMN] = "alter_column",
	[MIG_OP_CREATE_INDEX] = "create_index",
	[MIG_OP_DROP_INDEX] = "drop_index",
	[MIG_OP_CREATE_PRIMARY_KEY] = "create_primary_key",
	[MIG_OP_CREATE_UNIQUE_CONSTRAINT] = "create_unique_constraint",
	[MIG_OP_CREATE_CHECK_CONSTRAINT] = "create_check_constraint",
	[MIG_OP_CREATE_FOREIGN_KEY] = "create_foreign_key",
	[MIG_OP_DROP_CONSTRAINT] = "drop_constraint",
	[MIG_OP_CREATE_TABLE_COMMENT] = "create_table_comment",
	[MIG_OP_DROP_TABLE_COMMENT] = "drop_table_comment",
	[MIG_OP_CREATE_ENUM] = "create_enum",
	[MIG_OP_DROP_ENUM] = "drop_enum",
	[MIG_OP_ADD_ENUM_VALUE] = "add_enum_value",
	[MIG_OP_BULK_INSERT] = "bulk_insert",
	[MIG_OP_SQL] = "sql",
};

const char *mig_op_kind_name(enum mig_op_kind k)
{
	return (unsigned)k < MIG_OP_KIND_COUNT ? kind_names[k] : "?";
}

int mig_op_kind_parse(const char *name, enum mig_op_kind *out)
{
	for (int i = 0; i < MIG_OP_KIND_COUNT; i++) {
		if (mig_streq(name, kind_names[i])) {
			*out = (enum mig_op_kind)i;
			return 0;
		}
	}
	return MIG_ENOTFOUND;
}

static const char *const constraint_names[] = {
	[MIG_CONSTRAINT_NONE] = NULL,
	[MIG_CONSTRAINT_PRIMARY] = "primary",
	[MIG_CONSTRAINT_UNIQUE] = "unique",
	[MIG_CONSTRAINT_CHECK] = "check",
	[MIG_CONSTRAINT_FOREIGNKEY] = "foreignkey",
};

const char *mig_constraint_type_name(enum mig_constraint_type t)
{
	return constraint_names[t];
}

static int op_verror(const struct mig_op *op, int code, enum mig_error_class klass, const char *fmt,
		     va_list ap)
{
	struct mig_str s = MIG_STR_INIT;
	if (op->pos.file) {
		mig_str_addf(&s, "%s:%u:%u: ", op->pos.file, op->pos.line, op->pos.column);
	}
	mig_str_addf(&s, "%s: ", mig_op_kind_name(op->kind));
	mig_str_vaddf(&s, fmt, ap);
	mig_error(klass, "%s", s.buf);
	mig_str_release(&s);
	return code;
}

int mig_op_error(const struct mig_op *op, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = op_verror(op, MIG_ERROR, MIG_ECLASS_FILE, fmt, ap);
	va_end(ap);
	return rc;
}

int mig_op_error_code(const struct mig_op *op, int code, enum mig_error_class klass,
		      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = op_verror(op, code, klass, fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- ownership and copies ---- */

void mig_oplist_init(struct mig_oplist *l)
{
	memset(l, 0, sizeof(*l));
}

static void release_op(struct mig_op *op)
{
	if (op->table_def) {
		mig_table_release(op->table_def);
	}
	if (op->column_def) {
		mig_column_release(op->column_def);
	}
	mig_vec_free(&op->alter.type.enum_values);
	mig_vec_free(&op->alter.existing_type.enum_values);
	if (op->index) {
		mig_vec_free(&op->index->elems);
	}
	if (op->pk) {
		mig_vec_free(&op->pk->columns);
	}
	if (op->unique) {
		mig_vec_free(&op->unique->columns);
	}
	if (op->fk) {
		mig_vec_free(&op->fk->columns);
		mig_vec_free(&op->fk->ref_columns);
	}
	mig_vec_free(&op->enum_values);
	mig_vec_free(&op->columns);
	mig_vec_free(&op->rows);
	mig_vec_free(&op->sql_dialects);
}

void mig_oplist_release(struct mig_oplist *l)
{
	for (size_t i = 0; i < l->ops.n; i++) {
		release_op(&l->ops.v[i]);
	}
	mig_vec_free(&l->ops);
	mig_arena_release(&l->pool.arena);
	memset(l, 0, sizeof(*l));
}

/* Copy a MIG_VEC(const char *) (any of the anonymous vector types). */
static void copy_names(struct mig_oplist *l, void *outp, const void *inp)
{
	MIG_VEC(const char *) *out = outp;
	const MIG_VEC(const char *) *in = inp;
	out->v = NULL;
	out->n = out->alloc = 0;
	for (size_t i = 0; i < in->n; i++) {
		mig_vec_push(out, PDUP(l, in->v[i]));
	}
}

static struct mig_pos copy_pos(struct mig_oplist *l, struct mig_pos p)
{
	p.file = PDUP(l, p.file);
	return p;
}

static void copy_type(struct mig_oplist *l, struct mig_type *out, const struct mig_type *in)
{
	*out = *in;
	out->raw = PDUP(l, in->raw);
	out->enum_name = PDUP(l, in->enum_name);
	copy_names(l, &out->enum_values, &in->enum_values);
}

static struct mig_index *copy_index(struct mig_oplist *l, const struct mig_index *in)
{
	struct mig_index *ix = mig_arena_alloc(&l->pool.arena, sizeof(*ix));
	*ix = *in;
	ix->name = PDUP(l, in->name);
	ix->where = PDUP(l, in->where);
	ix->using = PDUP(l, in->using);
	ix->pos = copy_pos(l, in->pos);
	ix->elems.v = NULL;
	ix->elems.n = ix->elems.alloc = 0;
	for (size_t i = 0; i < in->elems.n; i++) {
		struct mig_index_elem e = in->elems.v[i];
		e.column = PDUP(l, e.column);
		e.expression = PDUP(l, e.expression);
		mig_vec_push(&ix->elems, e);
	}
	return ix;
}

static struct mig_primary_key *copy_pk(struct mig_oplist *l, const struct mig_primary_key *in)
{
	struct mig_primary_key *pk = mig_arena_alloc(&l->pool.arena, sizeof(*pk));
	pk->name = PDUP(l, in->name);
	copy_names(l, &pk->columns, &in->columns);
	return pk;
}

static struct mig_unique *copy_unique(struct mig_oplist *l, const struct mig_unique *in)
{
	struct mig_unique *u = mig_arena_alloc(&l->pool.arena, sizeof(*u));
	*u = *in;
	u->name = PDUP(l, in->name);
	u->pos = copy_pos(l, in->pos);
	copy_names(l, &u->columns, &in->columns);
	return u;
}

static struct mig_check *copy_check(struct mig_oplist *l, const struct mig_check *in)
{
	struct mig_check *c = mig_arena_alloc(&l->pool.arena, sizeof(*c));
	*c = *in;
	c->name = PDUP(l, in->name);
	c->sql = PDUP(l, in->sql);
	c->column = PDUP(l, in->column);
	c->pos = copy_pos(l, in->pos);
	return c;
}

static struct mig_foreign_key *copy_fk(struct mig_oplist *l, const struct mig_foreign_key *in)
{
	struct mig_foreign_key *f = mig_arena_alloc(&l->pool.arena, sizeof(*f));
	*f = *in;
	f->name = PDUP(l, in->name);
	f->ref_schema = PDUP(l, in->ref_schema);
	f->ref_table = PDUP(l, in->ref_table);
	f->pos = copy_pos(l, in->pos);
	copy_names(l, &f->columns, &in->columns);
	copy_names(l, &f->ref_columns, &in->ref_columns);
	return f;
}

static struct mig_optstr copy_optstr(struct mig_oplist *l, struct mig_optstr o)
{
	o.value = PDUP(l, o.value);
	return o;
}

struct mig_op *mig_oplist_push(struct mig_oplist *l, const struct mig_op *in)
{
	struct mig_op op = *in;
	op.pos = copy_pos(l, in->pos);
	op.note = PDUP(l, in->note);
	op.schema = PDUP(l, in->schema);
	op.table = PDUP(l, in->table);
	op.name = PDUP(l, in->name);
	op.new_name = PDUP(l, in->new_name);
	op.column = PDUP(l, in->column);
	if (in->table_def) {
		op.table_def = mig_arena_alloc(&l->pool.arena, sizeof(*op.table_def));
		mig_table_copy(&l->pool, op.table_def, in->table_def);
	}
	if (in->column_def) {
		op.column_def = mig_arena_alloc(&l->pool.arena, sizeof(*op.column_def));
		mig_column_copy(&l->pool, op.column_def, in->column_def);
	}
	struct mig_alter_column *a = &op.alter;
	const struct mig_alter_column *ia = &in->alter;
	a->new_name = PDUP(l, ia->new_name);
	copy_type(l, &a->type, &ia->type);
	copy_type(l, &a->existing_type, &ia->existing_type);
	a->default_sql = copy_optstr(l, ia->default_sql);
	a->existing_default = copy_optstr(l, ia->existing_default);
	a->comment = copy_optstr(l, ia->comment);
	a->existing_comment = copy_optstr(l, ia->existing_comment);
	a->postgresql_using = PDUP(l, ia->postgresql_using);
	a->existing_collation = PDUP(l, ia->existing_collation);
	a->existing_server_onupdate = PDUP(l, ia->existing_server_onupdate);
	op.index = in->index ? copy_index(l, in->index) : NULL;
	op.pk = in->pk ? copy_pk(l, in->pk) : NULL;
	op.unique = in->unique ? copy_unique(l, in->unique) : NULL;
	op.check = in->check ? copy_check(l, in->check) : NULL;
	op.fk = in->fk ? copy_fk(l, in->fk) : NULL;
	op.table_comment = PDUP(l, in->table_comment);
	op.existing_comment = copy_optstr(l, in->existing_comment);
	copy_names(l, &op.enum_values, &in->enum_values);
	op.value = PDUP(l, in->value);
	op.before = PDUP(l, in->before);
	op.after = PDUP(l, in->after);
	copy_names(l, &op.columns, &in->columns);
	op.rows.v = NULL;
	op.rows.n = op.rows.alloc = 0;
	for (size_t i = 0; i < in->rows.n; i++) {
		struct mig_value *row = NULL;
		if (in->columns.n) {
			row = mig_arena_alloc(&l->pool.arena, in->columns.n * sizeof(*row));
		}
		for (size_t j = 0; j < in->columns.n; j++) {
			row[j].kind = in->rows.v[i][j].kind;
			row[j].text = PDUP(l, in->rows.v[i][j].text);
		}
		mig_vec_push(&op.rows, row);
	}
	op.sql = PDUP(l, in->sql);
	op.sql_dialects.v = NULL;
	op.sql_dialects.n = op.sql_dialects.alloc = 0;
	for (size_t i = 0; i < in->sql_dialects.n; i++) {
		struct mig_sql_text t = { PDUP(l, in->sql_dialects.v[i].dialect),
					  PDUP(l, in->sql_dialects.v[i].text) };
		mig_vec_push(&op.sql_dialects, t);
	}
	/* what an op built in code left to its kind and definition */
	if (op.constraint == MIG_CONSTRAINT_NONE) {
		switch (op.kind) {
		case MIG_OP_CREATE_PRIMARY_KEY:
			op.constraint = MIG_CONSTRAINT_PRIMARY;
			break;
		case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
			op.constraint = MIG_CONSTRAINT_UNIQUE;
			break;
		case MIG_OP_CREATE_CHECK_CONSTRAINT:
			op.constraint = MIG_CONSTRAINT_CHECK;
			break;
		case MIG_OP_CREATE_FOREIGN_KEY:
			op.constraint = MIG_CONSTRAINT_FOREIGNKEY;
			break;
		default:
			break;
		}
	}
	if (!op.table && op.table_def) {
		op.schema = op.table_def->schema;
		op.table = op.table_def->name;
	}
	if (!op.column && op.column_def) {
		op.column = op.column_def->name;
	}
	if (!op.name) {
		op.name = op.index ? op.index->name
			: op.pk	   ? op.pk->name
			: op.unique ? op.unique->name
			: op.check  ? op.check->name
			: op.fk	    ? op.fk->name
				    : NULL;
	}
	mig_vec_push(&l->ops, op);
	return &l->ops.v[l->ops.n - 1];
}

void mig_oplist_extend(struct mig_oplist *l, const struct mig_oplist *src)
{
	for (size_t i = 0; i < src->ops.n; i++) {
		mig_oplist_push(l, &src->ops.v[i]);
	}
}

int mig_op_sql_text(const struct mig_op *op, const char *dialect, const char **out)
{
	if (op->sql) {
		*out = op->sql;
		return 0;
	}
	for (size_t i = 0; i < op->sql_dialects.n; i++) {
		if (mig_streq(op->sql_dialects.v[i].dialect, dialect)) {
			*out = op->sql_dialects.v[i].text;
			return 0;
		}
	}
	struct mig_str have = MIG_STR_INIT;
	for (size_t i = 0; i < op->sql_dialects.n; i++) {
		mig_str_addf(&have, "%s%s", i ? ", " : "", op->sql_dialects.v[i].dialect);
	}
	if (op->pos.file) {
		mig_error(MIG_ECLASS_FILE,
			  "%s:%u:%u: sql has no text for dialect '%s' (it has: %s)", op->pos.file,
			  op->pos.line, op->pos.column, dialect, have.buf);
	} else {
		mig_error(MIG_ECLASS_FILE, "sql has no text for dialect '%s' (it has: %s)", dialect,
			  have.buf);
	}
	mig_str_release(&have);
	return MIG_ERROR;
}

/* ---- reading ---- */

struct pctx {
	struct mig_ydoc *d;
	struct mig_oplist *l;
	struct mig_arena *a;
	const char *what; /* the op's name, for messages */
};

static const char *const table_body_keys[] = {
	"columns", "primary_key", "indexes", "unique", "checks", "foreign_keys", "comment",
	"options", NULL,
};
static const char *const index_def_keys[] = { "columns", "expressions", "unique", "where",
					      "using", NULL };
static const char *const pk_def_keys[] = { "columns", NULL };
static const char *const unique_def_keys[] = { "columns", "deferrable", NULL };
static const char *const check_def_keys[] = { "sql", NULL };
static const char *const fk_def_keys[] = { "columns",	 "references", "on_delete",
					   "on_update", "deferrable", "initially_deferred",
					   NULL };
static const char *const sql_dialect_keys[] = { "postgresql", "mysql", "sqlite", NULL };

static bool has_any_key(struct pctx *c, const yaml_node_t *map, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++) {
		if (mig_ymap_get(c->d, map, keys[i])) {
			return true;
		}
	}
	return false;
}

/* keys = a + b (+ c) without repeats, NULL-terminated, in a heap array. */
static const char **join_keys(const char *const *a, const char *const *b, const char *const *c)
{
	size_t n = 0;
	const char *const *parts[] = { a, b, c };
	for (size_t p = 0; p < 3; p++) {
		for (size_t i = 0; parts[p] && parts[p][i]; i++) {
			n++;
		}
	}
	const char **r = xmalloc((n + 1) * sizeof(*r));
	n = 0;
	for (size_t p = 0; p < 3; p++) {
		for (size_t i = 0; parts[p] && parts[p][i]; i++) {
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++) {
				seen = strcmp(r[j], parts[p][i]) == 0;
			}
			if (!seen) {
				r[n++] = parts[p][i];
			}
		}
	}
	r[n] = NULL;
	return r;
}

static int check_keys(struct pctx *c, const yaml_node_t *map, const char *const *keys)
{
	return mig_ymap_check_keys(c->d, map, keys, c->what);
}

static int need_map(struct pctx *c, const yaml_node_t *v)
{
	if (mig_ynode_is_map(v)) {
		return 0;
	}
	mig_ydoc_err(c->d, v, "%s takes a mapping of arguments, like '- %s: {…}'", c->what,
		     c->what);
	return 1;
}

/* A required string argument; returns the number of problems. */
static int req_str(struct pctx *c, const yaml_node_t *map, const char *key, const char **out)
{
	const yaml_node_t *x = mig_ymap_get(c->d, map, key);
	if (!x) {
		mig_ydoc_err(c->d, map, "%s needs '%s'", c->what, key);
		return 1;
	}
	return mig_ynode_string(c->d, x, key, c->a, out) < 0;
}

static int opt_str(struct pctx *c, const yaml_node_t *map, const char *key, const char **out)
{
	const yaml_node_t *x = mig_ymap_get(c->d, map, key);
	if (!x) {
		return 0;
	}
	return mig_ynode_string(c->d, x, key, c->a, out) < 0;
}

/* A required, possibly schema-qualified name split into schema and name. */
static int req_qualname(struct pctx *c, const yaml_node_t *map, const char *key,
			const char **schema, const char **name)
{
	const char *q = NULL;
	if (req_str(c, map, key, &q)) {
		return 1;
	}
	mig_split_qualname(c->a, q, schema, name);
	return 0;
}

static int opt_bool(struct pctx *c, const yaml_node_t *map, const char *key, bool *out)
{
	const yaml_node_t *x = mig_ymap_get(c->d, map, key);
	if (!x) {
		return 0;
	}
	return mig_ynode_bool(c->d, x, key, out) < 0;
}

static int opt_tristate(struct pctx *c, const yaml_node_t *map, const char *key,
			enum mig_tristate *out)
{
	const yaml_node_t *x = mig_ymap_get(c->d, map, key);
	bool b;
	if (!x) {
		return 0;
	}
	if (mig_ynode_bool(c->d, x, key, &b) < 0) {
		return 1;
	}
	*out = b ? MIG_TRUE : MIG_FALSE;
	return 0;
}

/* Absent: not set. null: set to NULL. A scalar: set to its text. */
static int opt_optstr(struct pctx *c, const yaml_node_t *map, const char *key,
		      struct mig_optstr *out)
{
	const yaml_node_t *x = mig_ymap_get(c->d, map, key);
	if (!x) {
		return 0;
	}
	if (!mig_ynode_is_scalar(x)) {
		mig_ydoc_err(c->d, x, "'%s' must be a string or null", key);
		return 1;
	}
	out->set = true;
	out->value = mig_ynode_is_null(x) ? NULL : mig_arena_strdup(c->a, mig_ynode_str(x));
	return 0;
}

static int opt_type(struct pctx *c, const yaml_node_t *map, const char *key,
		    struct mig_type *out)
{
	const yaml_node_t *x = mig_ymap_get(c->d, map, key);
	const char *text = NULL;
	if (!x) {
		return 0;
	}
	if (mig_ynode_string(c->d, x, key, c->a, &text) < 0) {
		return 1;
	}
	if (mig_type_parse(c->a, text, out) < 0) {
		mig_ydoc_err(c->d, x, "%s", mig_error_last());
		memset(out, 0, sizeof(*out));
		return 1;
	}
	return 0;
}

/* A column spec carrying name: (add_column, drop_column's definition). */
static int parse_named_column(struct pctx *c, const yaml_node_t *n, struct mig_op *op)
{
	op->column_def = mig_arena_alloc(c->a, sizeof(*op->column_def));
	int bad = mig_model_parse_column(c->d, &c->l->pool, NULL, n, true, op->column_def) < 0;
	op->column = op->column_def->name;
	return bad;
}

/* A table body (create_table, drop_table's definition) after 'name'. */
static int parse_table_def(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const extra[] = { "name", NULL };
	struct mig_table *t = mig_arena_alloc(c->a, sizeof(*t));
	t->schema = op->schema;
	t->name = op->table;
	op->table_def = t;
	if (mig_model_parse_table(c->d, &c->l->pool, t, v, extra) < 0) {
		return 1;
	}
	mig_table_normalize(&c->l->pool, t);
	return 0;
}

static int parse_create_table(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	int bad = req_qualname(c, v, "name", &op->schema, &op->table);
	return bad + parse_table_def(c, v, op);
}

static int parse_drop_table(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const base[] = { "name", NULL };
	int bad = req_qualname(c, v, "name", &op->schema, &op->table);
	if (has_any_key(c, v, table_body_keys)) {
		return bad + parse_table_def(c, v, op);
	}
	const char **keys = join_keys(base, table_body_keys, NULL);
	bad += check_keys(c, v, keys);
	free(keys);
	return bad;
}

static int parse_rename_table(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "name", "new_name", NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "name", &op->schema, &op->table);
	if (req_str(c, v, "new_name", &op->new_name) == 0 && strchr(op->new_name, '.')) {
		mig_ydoc_err(c->d, mig_ymap_get(c->d, v, "new_name"),
			     "'new_name' must be a bare table name (a table stays in its schema)");
		bad++;
	}
	return bad;
}

static int parse_add_column(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "table", "column", NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "table", &op->schema, &op->table);
	const yaml_node_t *x = mig_ymap_get(c->d, v, "column");
	if (!x) {
		mig_ydoc_err(c->d, v, "add_column needs 'column'");
		return bad + 1;
	}
	if (!mig_ynode_is_map(x)) {
		mig_ydoc_err(c->d, x, "'column' of add_column must be a column mapping with "
				      "'name' and 'type'");
		return bad + 1;
	}
	return bad + parse_named_column(c, x, op);
}

static int parse_drop_column(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "table", "column", NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "table", &op->schema, &op->table);
	const yaml_node_t *x = mig_ymap_get(c->d, v, "column");
	if (!x) {
		mig_ydoc_err(c->d, v, "drop_column needs 'column'");
		return bad + 1;
	}
	if (mig_ynode_is_map(x)) {
		return bad + parse_named_column(c, x, op);
	}
	return bad + (mig_ynode_string(c->d, x, "column", c->a, &op->column) < 0);
}

static int parse_alter_column(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = {
		"table",	     "column",		 "new_name",
		"type",		     "existing_type",	 "nullable",
		"existing_nullable", "default",		 "existing_default",
		"comment",	     "existing_comment", "postgresql_using",
		"existing_autoincrement", "existing_collation", "existing_server_onupdate",
		NULL,
	};
	struct mig_alter_column *a = &op->alter;
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "table", &op->schema, &op->table);
	bad += req_str(c, v, "column", &op->column);
	bad += opt_str(c, v, "new_name", &a->new_name);
	bad += opt_type(c, v, "type", &a->type);
	bad += opt_type(c, v, "existing_type", &a->existing_type);
	bad += opt_tristate(c, v, "nullable", &a->nullable);
	bad += opt_tristate(c, v, "existing_nullable", &a->existing_nullable);
	bad += opt_optstr(c, v, "default", &a->default_sql);
	bad += opt_optstr(c, v, "existing_default", &a->existing_default);
	bad += opt_optstr(c, v, "comment", &a->comment);
	bad += opt_optstr(c, v, "existing_comment", &a->existing_comment);
	bad += opt_str(c, v, "postgresql_using", &a->postgresql_using);
	bad += opt_tristate(c, v, "existing_autoincrement", &a->existing_autoincrement);
	bad += opt_str(c, v, "existing_collation", &a->existing_collation);
	bad += opt_str(c, v, "existing_server_onupdate", &a->existing_server_onupdate);
	if (bad) {
		return bad;
	}
	if (a->postgresql_using && !mig_type_is_set(&a->type)) {
		mig_ydoc_err(c->d, mig_ymap_get(c->d, v, "postgresql_using"),
			     "'postgresql_using' goes with a type change ('type')");
		bad++;
	}
	if (!a->new_name && !mig_type_is_set(&a->type) && !a->nullable && !a->default_sql.set &&
	    !a->comment.set) {
		mig_ydoc_err(c->d, v, "alter_column changes nothing (give type, nullable, "
				      "default, comment or new_name)");
		bad++;
	}
	return bad;
}

static int parse_create_index(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const extra[] = { "table", NULL };
	int bad = req_qualname(c, v, "table", &op->schema, &op->table);
	op->index = mig_arena_alloc(c->a, sizeof(*op->index));
	bad += mig_model_parse_index(c->d, &c->l->pool, v, extra, op->index) < 0;
	op->name = op->index->name;
	if (!mig_ymap_get(c->d, v, "name")) {
		mig_ydoc_err(c->d, v, "create_index needs 'name'");
		bad++;
	}
	return bad;
}

static int parse_drop_index(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const base[] = { "table", "name", NULL };
	int bad = req_qualname(c, v, "table", &op->schema, &op->table);
	if (has_any_key(c, v, index_def_keys)) {
		static const char *const extra[] = { "table", NULL };
		op->index = mig_arena_alloc(c->a, sizeof(*op->index));
		bad += mig_model_parse_index(c->d, &c->l->pool, v, extra, op->index) < 0;
		op->name = op->index->name;
		if (!mig_ymap_get(c->d, v, "name")) {
			mig_ydoc_err(c->d, v, "drop_index needs 'name'");
			bad++;
		}
		return bad;
	}
	const char **keys = join_keys(base, index_def_keys, NULL);
	bad += check_keys(c, v, keys);
	free(keys);
	return bad + req_str(c, v, "name", &op->name);
}

/* A primary key definition: name (optional) and columns. */
static int parse_pk_def(struct pctx *c, const yaml_node_t *v, const char *const *keys,
			struct mig_op *op)
{
	int bad = check_keys(c, v, keys);
	op->pk = mig_arena_alloc(c->a, sizeof(*op->pk));
	bad += opt_str(c, v, "name", &op->pk->name);
	op->name = op->pk->name;
	const yaml_node_t *x = mig_ymap_get(c->d, v, "columns");
	if (!x) {
		mig_ydoc_err(c->d, v, "%s needs 'columns'", c->what);
		return bad + 1;
	}
	return bad + (mig_ynode_strings(c->d, x, "columns", c->a, &op->pk->columns) < 0);
}

static int parse_create_pk(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "table", "name", "columns", NULL };
	op->constraint = MIG_CONSTRAINT_PRIMARY;
	int bad = req_qualname(c, v, "table", &op->schema, &op->table);
	return bad + parse_pk_def(c, v, keys, op);
}

static int parse_unique_def(struct pctx *c, const yaml_node_t *v, const char *const *extra,
			    struct mig_op *op)
{
	op->unique = mig_arena_alloc(c->a, sizeof(*op->unique));
	int bad = mig_model_parse_unique(c->d, &c->l->pool, v, extra, op->unique) < 0;
	op->name = op->unique->name;
	return bad;
}

static int parse_check_def(struct pctx *c, const yaml_node_t *v, const char *const *extra,
			   struct mig_op *op)
{
	op->check = mig_arena_alloc(c->a, sizeof(*op->check));
	int bad = mig_model_parse_check(c->d, &c->l->pool, v, extra, op->check) < 0;
	op->name = op->check->name;
	return bad;
}

static int parse_fk_def(struct pctx *c, const yaml_node_t *v, const char *const *extra,
			struct mig_op *op)
{
	struct mig_foreign_key *f = mig_arena_alloc(c->a, sizeof(*f));
	op->fk = f;
	int bad = mig_model_parse_fk(c->d, &c->l->pool, v, extra, f) < 0;
	op->name = f->name;
	if (f->ref_table && !f->ref_schema && strchr(f->ref_table, '.')) {
		mig_split_qualname(c->a, f->ref_table, &f->ref_schema, &f->ref_table);
	}
	return bad;
}

static int parse_create_constraint(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const extra[] = { "table", NULL };
	int bad = req_qualname(c, v, "table", &op->schema, &op->table);
	switch (op->kind) {
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
		op->constraint = MIG_CONSTRAINT_UNIQUE;
		return bad + parse_unique_def(c, v, extra, op);
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
		op->constraint = MIG_CONSTRAINT_CHECK;
		return bad + parse_check_def(c, v, extra, op);
	default:
		op->constraint = MIG_CONSTRAINT_FOREIGNKEY;
		return bad + parse_fk_def(c, v, extra, op);
	}
}

static int parse_constraint_type(struct pctx *c, const yaml_node_t *x,
				 enum mig_constraint_type *out)
{
	const char *t = mig_ynode_str(x);
	for (int i = MIG_CONSTRAINT_PRIMARY; i <= MIG_CONSTRAINT_FOREIGNKEY; i++) {
		if (t && strcmp(t, constraint_names[i]) == 0) {
			*out = (enum mig_constraint_type)i;
			return 0;
		}
	}
	mig_ydoc_err(c->d, x, "'type' must be primary, unique, check or foreignkey%s%s%s",
		     t ? ", not '" : "", t ? t : "", t ? "'" : "");
	return 1;
}

static int parse_drop_constraint(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const base[] = { "table", "name", "type", NULL };
	static const char *const extra[] = { "table", "type", NULL };
	static const char *const *const def_keys[] = {
		[MIG_CONSTRAINT_NONE] = NULL,
		[MIG_CONSTRAINT_PRIMARY] = pk_def_keys,
		[MIG_CONSTRAINT_UNIQUE] = unique_def_keys,
		[MIG_CONSTRAINT_CHECK] = check_def_keys,
		[MIG_CONSTRAINT_FOREIGNKEY] = fk_def_keys,
	};
	int bad = req_qualname(c, v, "table", &op->schema, &op->table);
	const yaml_node_t *tn = mig_ymap_get(c->d, v, "type");
	if (!tn) {
		mig_ydoc_err(c->d, v, "drop_constraint needs 'type' (primary, unique, check or "
				      "foreignkey)");
		bad++;
	} else {
		bad += parse_constraint_type(c, tn, &op->constraint);
	}
	const char **keys;
	if (op->constraint == MIG_CONSTRAINT_NONE) {
		/* report only keys no constraint type knows */
		const char **some = join_keys(base, unique_def_keys, check_def_keys);
		keys = join_keys(some, fk_def_keys, NULL);
		free(some);
		bad += check_keys(c, v, keys);
		free(keys);
		return bad;
	}
	const char *const *dk = def_keys[op->constraint];
	if (!has_any_key(c, v, dk)) {
		keys = join_keys(base, dk, NULL);
		int kbad = check_keys(c, v, keys);
		free(keys);
		bad += kbad + opt_str(c, v, "name", &op->name);
		if (!kbad && !op->name && op->constraint != MIG_CONSTRAINT_PRIMARY &&
		    !mig_ymap_get(c->d, v, "name")) {
			mig_ydoc_err(c->d, v, "drop_constraint needs 'name' (or, for an unnamed "
					      "constraint, its definition)");
			bad++;
		}
		return bad;
	}
	switch (op->constraint) {
	case MIG_CONSTRAINT_PRIMARY:
		keys = join_keys(base, dk, NULL);
		bad += parse_pk_def(c, v, keys, op);
		free(keys);
		return bad;
	case MIG_CONSTRAINT_UNIQUE:
		return bad + parse_unique_def(c, v, extra, op);
	case MIG_CONSTRAINT_CHECK:
		return bad + parse_check_def(c, v, extra, op);
	default:
		return bad + parse_fk_def(c, v, extra, op);
	}
}

static int parse_create_table_comment(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "table", "comment", "existing_comment", NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "table", &op->schema, &op->table);
	const yaml_node_t *x = mig_ymap_get(c->d, v, "comment");
	if (!x) {
		mig_ydoc_err(c->d, v, "create_table_comment needs 'comment'");
		bad++;
	} else if (!mig_ynode_is_scalar(x) || mig_ynode_is_null(x)) {
		mig_ydoc_err(c->d, x, "'comment' must be a string (drop_table_comment removes "
				      "a comment)");
		bad++;
	} else {
		op->table_comment = mig_arena_strdup(c->a, mig_ynode_str(x));
	}
	return bad + opt_optstr(c, v, "existing_comment", &op->existing_comment);
}

static int parse_drop_table_comment(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "table", "existing_comment", NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "table", &op->schema, &op->table);
	return bad + opt_optstr(c, v, "existing_comment", &op->existing_comment);
}

static int parse_enum_values(struct pctx *c, const yaml_node_t *v, bool required,
			     struct mig_op *op)
{
	const yaml_node_t *x = mig_ymap_get(c->d, v, "values");
	if (!x) {
		if (required) {
			mig_ydoc_err(c->d, v, "%s needs 'values'", c->what);
			return 1;
		}
		return 0;
	}
	if (mig_ynode_is_scalar(x) || mig_ynode_strings(c->d, x, "values", c->a,
							&op->enum_values) < 0) {
		if (mig_ynode_is_scalar(x)) {
			mig_ydoc_err(c->d, x, "'values' must be a non-empty list of names");
		}
		return 1;
	}
	for (size_t i = 0; i < op->enum_values.n; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(op->enum_values.v[i], op->enum_values.v[j]) == 0) {
				mig_ydoc_err(c->d, x, "enum '%s' lists '%s' twice", op->name,
					     op->enum_values.v[i]);
				return 1;
			}
		}
	}
	return 0;
}

static int parse_create_enum(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "name", "values", NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "name", &op->schema, &op->name);
	return bad + parse_enum_values(c, v, op->kind == MIG_OP_CREATE_ENUM, op);
}

static int parse_add_enum_value(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "name", "value", "before", "after", "if_not_exists",
					    NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "name", &op->schema, &op->name);
	bad += req_str(c, v, "value", &op->value);
	bad += opt_str(c, v, "before", &op->before);
	bad += opt_str(c, v, "after", &op->after);
	bad += opt_bool(c, v, "if_not_exists", &op->if_not_exists);
	if (mig_ymap_get(c->d, v, "before") && mig_ymap_get(c->d, v, "after")) {
		mig_ydoc_err(c->d, mig_ymap_get(c->d, v, "after"),
			     "add_enum_value takes 'before' or 'after', not both");
		bad++;
	}
	return bad;
}

static bool bool_word(const char *s)
{
	static const char *const words[] = { "true", "True", "TRUE", "false", "False", "FALSE",
					     NULL };
	for (size_t i = 0; words[i]; i++) {
		if (strcmp(s, words[i]) == 0) {
			return true;
		}
	}
	return false;
}

static int parse_value(struct pctx *c, const yaml_node_t *n, const char *column,
		       struct mig_value *out)
{
	if (!mig_ynode_is_scalar(n)) {
		mig_ydoc_err(c->d, n, "value of '%s' must be a scalar (a string, a number, true, "
				      "false or null)",
			     column);
		return 1;
	}
	const char *t = mig_ynode_str(n);
	out->text = NULL;
	if (mig_ynode_is_null(n)) {
		out->kind = MIG_VALUE_NULL;
		return 0;
	}
	out->kind = MIG_VALUE_STRING;
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (bool_word(t)) {
			out->kind = MIG_VALUE_BOOL;
			out->text = (t[0] == 't' || t[0] == 'T') ? "true" : "false";
			return 0;
		}
		if (mig_is_decimal(t)) {
			out->kind = MIG_VALUE_NUMBER;
		}
	}
	out->text = mig_arena_strdup(c->a, t);
	return 0;
}

static int parse_bulk_insert(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	static const char *const keys[] = { "table", "rows", NULL };
	int bad = check_keys(c, v, keys);
	bad += req_qualname(c, v, "table", &op->schema, &op->table);
	const yaml_node_t *rows = mig_ymap_get(c->d, v, "rows");
	if (!rows) {
		mig_ydoc_err(c->d, v, "bulk_insert needs 'rows'");
		return bad + 1;
	}
	if (!mig_ynode_is_seq(rows) || mig_yseq_len(rows) == 0) {
		mig_ydoc_err(c->d, rows, "'rows' must be a non-empty list of mappings of column "
					 "names to values");
		return bad + 1;
	}
	for (size_t i = 0; i < mig_yseq_len(rows); i++) {
		const yaml_node_t *r = mig_yseq_item(c->d, rows, i);
		if (!mig_ynode_is_map(r) || mig_ymap_len(r) == 0) {
			mig_ydoc_err(c->d, r, "row %zu of bulk_insert must be a mapping of column "
					      "names to values",
				     i + 1);
			bad++;
			continue;
		}
		if (!op->columns.n) {
			/* the first row names the columns */
			int kbad = 0;
			for (size_t j = 0; j < mig_ymap_len(r); j++) {
				const yaml_node_t *kn = mig_ymap_key(c->d, r, j);
				const char *k = mig_ynode_str(kn);
				if (!k || !*k) {
					mig_ydoc_err(c->d, kn, "column names must be non-empty "
							       "strings");
					kbad++;
					continue;
				}
				bool dup = false;
				for (size_t m = 0; m < op->columns.n; m++) {
					dup = dup || strcmp(op->columns.v[m], k) == 0;
				}
				if (dup) {
					mig_ydoc_err(c->d, kn, "duplicate key '%s' in row %zu of "
							       "bulk_insert",
						     k, i + 1);
					kbad++;
					continue;
				}
				mig_vec_push(&op->columns, mig_arena_strdup(c->a, k));
			}
			if (kbad) {
				bad += kbad;
				mig_vec_free(&op->columns);
				continue;
			}
		} else {
			const char **allowed = xcalloc(op->columns.n + 1, sizeof(*allowed));
			memcpy(allowed, op->columns.v, op->columns.n * sizeof(*allowed));
			char *what = xasprintf("row %zu of bulk_insert", i + 1);
			bad += mig_ymap_check_keys(c->d, r, allowed, what);
			free(what);
			free(allowed);
		}
		struct mig_value *row = mig_arena_alloc(c->a, op->columns.n * sizeof(*row));
		for (size_t j = 0; j < op->columns.n; j++) {
			const yaml_node_t *x = mig_ymap_get(c->d, r, op->columns.v[j]);
			if (!x) {
				mig_ydoc_err(c->d, r,
					     "row %zu of bulk_insert has no '%s' (every row gives "
					     "the same columns)",
					     i + 1, op->columns.v[j]);
				bad++;
				continue;
			}
			bad += parse_value(c, x, op->columns.v[j], &row[j]);
		}
		mig_vec_push(&op->rows, row);
	}
	return bad;
}

static int parse_sql(struct pctx *c, const yaml_node_t *v, struct mig_op *op)
{
	if (mig_ynode_is_scalar(v)) {
		return mig_ynode_string(c->d, v, "sql", c->a, &op->sql) < 0;
	}
	if (!mig_ynode_is_map(v) || mig_ymap_len(v) == 0) {
		mig_ydoc_err(c->d, v, "sql takes a SQL text, or a mapping of dialect (postgresql, "
				      "mysql, sqlite) to SQL text");
		return 1;
	}
	int bad = check_keys(c, v, sql_dialect_keys);
	for (size_t i = 0; sql_dialect_keys[i]; i++) {
		const yaml_node_t *x = mig_ymap_get(c->d, v, sql_dialect_keys[i]);
		struct mig_sql_text t = { sql_dialect_keys[i], NULL };
		if (!x) {
			continue;
		}
		if (mig_ynode_string(c->d, x, t.dialect, c->a, &t.text) < 0) {
			bad++;
			continue;
		}
		mig_vec_push(&op->sql_dialects, t);
	}
	if (!bad && op->sql_dialects.n == 0) {
		mig_ydoc_err(c->d, v, "sql needs a text for at least one dialect");
		bad++;
	}
	return bad;
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64) {
		return 99;
	}
	size_t row[65];
	for (size_t j = 0; j <= lb; j++) {
		row[j] = j;
	}
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best) {
				best = row[j] + 1;
			}
			if (row[j - 1] + 1 < best) {
				best = row[j - 1] + 1;
			}
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void unknown_op(struct mig_ydoc *d, const yaml_node_t *at, const char *name)
{
	const char *best = NULL;
	size_t bestd = 3;
	for (int i = 0; i < MIG_OP_KIND_COUNT; i++) {
		size_t dd = distance(name, kind_names[i]);
		if (dd < bestd) {
			bestd = dd;
			best = kind_names[i];
		}
	}
	if (best) {
		mig_ydoc_err(d, at, "unknown op '%s' (did you mean '%s'?)", name, best);
		return;
	}
	struct mig_str all = MIG_STR_INIT;
	for (int i = 0; i < MIG_OP_KIND_COUNT; i++) {
		mig_str_addf(&all, "%s%s", i ? ", " : "", kind_names[i]);
	}
	mig_ydoc_err(d, at, "unknown op '%s' (expected one of: %s)", name, all.buf);
	mig_str_release(&all);
}

typedef int (*parse_fn)(struct pctx *c, const yaml_node_t *v, struct mig_op *op);

static const parse_fn parsers[MIG_OP_KIND_COUNT] = {
	[MIG_OP_CREATE_TABLE] = parse_create_table,
	[MIG_OP_DROP_TABLE] = parse_drop_table,
	[MIG_OP_RENAME_TABLE] = parse_rename_table,
	[MIG_OP_ADD_COLUMN] = parse_add_column,
	[MIG_OP_DROP_COLUMN] = parse_drop_column,
	[MIG_OP_ALTER_COLUMN] = parse_alter_column,
	[MIG_OP_CREATE_INDEX] = parse_create_index,
	[MIG_OP_DROP_INDEX] = parse_drop_index,
	[MIG_OP_CREATE_PRIMARY_KEY] = parse_create_pk,
	[MIG_OP_CREATE_UNIQUE_CONSTRAINT] = parse_create_constraint,
	[MIG_OP_CREATE_CHECK_CONSTRAINT] = parse_create_constraint,
	[MIG_OP_CREATE_FOREIGN_KEY] = parse_create_constraint,
	[MIG_OP_DROP_CONSTRAINT] = parse_drop_constraint,
	[MIG_OP_CREATE_TABLE_COMMENT] = parse_create_table_comment,
	[MIG_OP_DROP_TABLE_COMMENT] = parse_drop_table_comment,
	[MIG_OP_CREATE_ENUM] = parse_create_enum,
	[MIG_OP_DROP_ENUM] = parse_create_enum,
	[MIG_OP_ADD_ENUM_VALUE] = parse_add_enum_value,
	[MIG_OP_BULK_INSERT] = parse_bulk_insert,
	[MIG_OP_SQL] = parse_sql,
};

/* Parse one "- op_name: {…}" item; a good op is appended to l. */
static void parse_item(struct mig_ydoc *d, const yaml_node_t *item, struct mig_oplist *l)
{
	enum mig_op_kind kind;
	const char *name = mig_ynode_str(item);
	if (name && !mig_ynode_is_null(item)) {
		if (mig_op_kind_parse(name, &kind) == 0) {
			mig_ydoc_err(d, item, "%s needs its arguments, like '- %s: {…}'", name,
				     name);
		} else {
			unknown_op(d, item, name);
		}
		return;
	}
	if (!mig_ynode_is_map(item) || mig_ymap_len(item) != 1) {
		if (mig_ymap_len(item) > 1) {
			struct mig_str keys = MIG_STR_INIT;
			for (size_t i = 0; i < mig_ymap_len(item); i++) {
				const char *k = mig_ynode_str(mig_ymap_key(d, item, i));
				mig_str_addf(&keys, "%s%s", i ? ", " : "", k ? k : "?");
			}
			mig_ydoc_err(d, item, "an op is a mapping with one key, the op's name "
					      "(found %zu: %s); start each op with its own '- '",
				     mig_ymap_len(item), keys.buf);
			mig_str_release(&keys);
		} else {
			mig_ydoc_err(d, item, "an op must be a mapping of the op's name to its "
					      "arguments, like '- drop_table: {name: users}'");
		}
		return;
	}
	const yaml_node_t *kn = mig_ymap_key(d, item, 0);
	const yaml_node_t *v = mig_ymap_value(d, item, 0);
	name = mig_ynode_str(kn);
	if (!name || mig_op_kind_parse(name, &kind) < 0) {
		unknown_op(d, kn, name ? name : "?");
		return;
	}
	struct pctx c = { d, l, &l->pool.arena, kind_names[kind] };
	struct mig_op op;
	memset(&op, 0, sizeof(op));
	op.kind = kind;
	op.pos = mig_ydoc_pos(d, kn, c.a);
	int bad;
	if (kind != MIG_OP_SQL && need_map(&c, v)) {
		bad = 1;
	} else {
		bad = parsers[kind](&c, v, &op);
	}
	if (bad) {
		release_op(&op);
		return;
	}
	mig_vec_push(&l->ops, op);
}

/* The key whose value is seq in the document's root mapping ("upgrade"). */
static const char *list_key(struct mig_ydoc *d, const yaml_node_t *seq)
{
	const yaml_node_t *root = mig_ydoc_root(d);
	for (size_t i = 0; i < mig_ymap_len(root); i++) {
		if (mig_ymap_value(d, root, i) == seq) {
			return mig_ynode_str(mig_ymap_key(d, root, i));
		}
	}
	return NULL;
}

int mig_ops_parse(struct mig_ydoc *d, const yaml_node_t *seq, struct mig_oplist *out)
{
	size_t before = d->diags->nerrors;
	if (!seq || mig_ynode_is_null(seq)) {
		return 0;
	}
	if (!mig_ynode_is_seq(seq)) {
		const char *key = list_key(d, seq);
		if (key) {
			mig_ydoc_err(d, seq, "'%s' must be a list of ops, like '- drop_table: "
					     "{name: users}'",
				     key);
		} else {
			mig_ydoc_err(d, seq, "an op list must be a list of ops, like '- "
					     "drop_table: {name: users}'");
		}
		return MIG_ERROR;
	}
	for (size_t i = 0; i < mig_yseq_len(seq); i++) {
		parse_item(d, mig_yseq_item(d, seq, i), out);
	}
	return d->diags->nerrors > before ? MIG_ERROR : 0;
}

void mig_ops_read_notes(struct mig_oplist *ops, size_t first_op, const char *text)
{
	MIG_VEC(const char *) lines = { 0 };
	for (const char *p = text; *p;) {
		mig_vec_push(&lines, p);
		const char *nl = strchr(p, '\n');
		if (!nl) {
			break;
		}
		p = nl + 1;
	}
	for (size_t i = first_op; i < ops->ops.n; i++) {
		struct mig_op *op = &ops->ops.v[i];
		size_t first = op->pos.line ? op->pos.line - 1 : 0; /* 0-based line of the op */
		if (first >= lines.n) {
			continue;
		}
		/* comments at the indentation of the op's "- ", not those that end
		 * the previous op's body */
		size_t indent = strspn(lines.v[first], " \t");
		size_t top = first;
		while (top > 0) {
			const char *l = lines.v[top - 1];
			if (strspn(l, " \t") != indent || l[indent] != '#') {
				break;
			}
			top--;
		}
		if (top == first) {
			continue;
		}
		struct mig_str note = MIG_STR_INIT;
		for (size_t k = top; k < first; k++) {
			const char *l = strchr(lines.v[k], '#') + 1;
			if (*l == ' ') {
				l++;
			}
			size_t n = strcspn(l, "\n");
			while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' ')) {
				n--;
			}
			if (k > top) {
				mig_str_addch(&note, '\n');
			}
			mig_str_addn(&note, l, n);
		}
		op->note = mig_arena_strndup(&ops->pool.arena, note.buf, note.len);
		mig_str_release(&note);
	}
	mig_vec_free(&lines);
}

int mig_ops_parse_string(const char *path, const char *text, struct mig_oplist *out)
{
	struct mig_diags diags = MIG_DIAGS_INIT;
	struct mig_ydoc d;
	size_t first = out->ops.n;
	if (mig_ydoc_load(&d, path, text, strlen(text), &diags) == 0) {
		mig_ops_parse(&d, mig_ydoc_root(&d), out);
		mig_ydoc_release(&d);
	}
	int rc = mig_diags_finish(&diags);
	mig_diags_release(&diags);
	if (rc == 0) {
		mig_ops_read_notes(out, first, text);
	}
	return rc;
}

/* ---- writing ---- */

#define WIDTH 100

/* Writes a flow mapping: "{k: v, k: v}". */
struct flow {
	struct mig_str *out;
	bool first;
};

static void fl_begin(struct flow *f, struct mig_str *out)
{
	f->out = out;
	f->first = true;
	mig_str_addch(out, '{');
}

static void fl_key(struct flow *f, const char *key)
{
	mig_str_add(f->out, f->first ? "" : ", ");
	f->first = false;
	mig_str_add(f->out, key);
	mig_str_add(f->out, ": ");
}

static void fl_str(struct flow *f, const char *key, const char *v)
{
	if (v) {
		fl_key(f, key);
		mig_yaml_scalar(f->out, v);
	}
}

static void fl_qual(struct flow *f, const char *key, const char *schema, const char *name)
{
	if (schema) {
		char *q = xasprintf("%s.%s", schema, name);
		fl_str(f, key, q);
		free(q);
	} else {
		fl_str(f, key, name);
	}
}

static void fl_bool(struct flow *f, const char *key, bool v)
{
	fl_key(f, key);
	mig_str_add(f->out, v ? "true" : "false");
}

static void fl_tristate(struct flow *f, const char *key, enum mig_tristate v)
{
	if (v != MIG_UNSET) {
		fl_bool(f, key, v == MIG_TRUE);
	}
}

static void fl_optstr(struct flow *f, const char *key, struct mig_optstr v)
{
	if (v.set) {
		fl_key(f, key);
		mig_yaml_scalar(f->out, v.value);
	}
}

static void fl_type(struct flow *f, const char *key, const struct mig_type *t)
{
	if (mig_type_is_set(t)) {
		struct mig_str s = MIG_STR_INIT;
		mig_type_format(&s, t);
		fl_str(f, key, s.buf);
		mig_str_release(&s);
	}
}

static void fl_names(struct flow *f, const char *key, const char *const *v, size_t n)
{
	fl_key(f, key);
	mig_yaml_flow_seq(f->out, v, n);
}

/* Append the body of an already written flow mapping (without its '{') as
 * more keys of f: "{name: x, columns: [a]}" → ", name: x, columns: [a]". */
static void fl_splice(struct flow *f, const char *mapping)
{
	if (strcmp(mapping, "{}") == 0) {
		return;
	}
	mig_str_add(f->out, f->first ? "" : ", ");
	f->first = false;
	mig_str_addn(f->out, mapping + 1, strlen(mapping) - 2);
}

static void fl_end(struct flow *f)
{
	mig_str_addch(f->out, '}');
}

static void write_value(struct mig_str *out, const struct mig_value *v)
{
	switch (v->kind) {
	case MIG_VALUE_NULL:
		mig_str_add(out, "null");
		break;
	case MIG_VALUE_BOOL:
	case MIG_VALUE_NUMBER:
		mig_str_add(out, v->text);
		break;
	case MIG_VALUE_STRING:
		if (mig_is_decimal(v->text)) {
			/* a string that would read back as a number */
			mig_str_addf(out, "'%s'", v->text);
		} else {
			mig_yaml_scalar(out, v->text);
		}
		break;
	}
}

/* Split the top level of a flow collection written by this file ("{…}" or
 * "[…]") into its elements; returns a list of new strings. */
static void flow_split(const char *flow, struct mig_strlist *out)
{
	int depth = 0;
	const char *start = flow + 1;
	for (const char *p = flow; *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1]) {
					p++;
				}
			}
			continue;
		}
		if (*p == '\'') {
			for (p++; *p && !(*p == '\'' && p[1] != '\''); p++) {
				if (*p == '\'') {
					p++;
				}
			}
			continue;
		}
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth == 0) {
				if (p > start) {
					char *last = xstrndup(start, (size_t)(p - start));
					mig_strlist_push_owned(out, last);
				}
				return;
			}
		} else if (*p == ',' && depth == 1) {
			mig_strlist_push_owned(out, xstrndup(start, (size_t)(p - start)));
			start = p + 2; /* ", " */
		}
	}
}

/* Length of the key of "key: value" written by this file. */
static size_t pair_key_len(const char *pair)
{
	const char *p = pair;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1]) {
				p++;
			}
		}
		return (size_t)(p + 1 - pair);
	}
	return strcspn(pair, ":");
}

/* Write "key: value" at level; a flow collection too long for one line is
 * opened into block style, one entry per line. */
static void emit_pair(struct mig_str *out, int level, const char *key, size_t keylen,
		      const char *value)
{
	size_t width = (size_t)level * 2 + keylen + 2 + strlen(value);
	mig_yaml_indent(out, level);
	mig_str_addn(out, key, keylen);
	if (width <= WIDTH || (value[0] != '{' && value[0] != '[')) {
		mig_str_add(out, ": ");
		mig_str_add(out, value);
		mig_str_addch(out, '\n');
		return;
	}
	mig_str_add(out, ":\n");
	struct mig_strlist parts = MIG_STRLIST_INIT;
	flow_split(value, &parts);
	for (size_t i = 0; i < parts.n; i++) {
		if (value[0] == '[') {
			mig_yaml_indent(out, level + 1);
			mig_str_add(out, "- ");
			mig_str_add(out, parts.v[i]);
			mig_str_addch(out, '\n');
		} else {
			size_t kl = pair_key_len(parts.v[i]);
			emit_pair(out, level + 1, parts.v[i], kl, parts.v[i] + kl + 2);
		}
	}
	mig_strlist_release(&parts);
}

/* Can s be written as a literal block scalar ("|-") and read back the same? */
static bool literal_ok(const char *s)
{
	if (!strchr(s, '\n')) {
		return false;
	}
	size_t n = strlen(s);
	if (n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n') {
		return false;
	}
	bool line_start = true, only_space = false, seen_content = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (line_start) {
			if (!seen_content && *p != '\n' && (*p == ' ' || *p == '\t')) {
				return false; /* would set the block's indentation */
			}
			const char *q = (const char *)p + strspn((const char *)p, " \t");
			if (*q == '#') {
				return false; /* would read as a note above the next op */
			}
			only_space = true;
			line_start = false;
		}
		if (*p == '\n') {
			if (only_space && p > (const unsigned char *)s && p[-1] != '\n') {
				return false; /* a line of blanks reads back empty */
			}
			line_start = true;
			continue;
		}
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
			return false;
		}
		if (*p != ' ' && *p != '\t') {
			only_space = false;
			seen_content = true;
		}
	}
	if (only_space && !line_start) {
		return false;
	}
	return true;
}

/* The block scalar header and lines of s at level (after "key:"). */
static void write_literal(struct mig_str *out, const char *s, int level)
{
	size_t n = strlen(s);
	bool final_nl = n && s[n - 1] == '\n';
	mig_str_add(out, final_nl ? " |\n" : " |-\n");
	const char *p = s;
	while (*p) {
		size_t len = strcspn(p, "\n");
		if (len) {
			mig_yaml_indent(out, level);
			mig_str_addn(out, p, len);
		}
		mig_str_addch(out, '\n');
		p += len;
		if (*p == '\n') {
			p++;
		}
	}
}

static void write_sql(struct mig_str *out, const struct mig_op *op, int indent)
{
	mig_yaml_indent(out, indent);
	mig_str_add(out, "- sql:");
	if (op->sql) {
		if (literal_ok(op->sql)) {
			write_literal(out, op->sql, indent + 2);
		} else {
			mig_str_addch(out, ' ');
			mig_yaml_scalar(out, op->sql);
			mig_str_addch(out, '\n');
		}
		return;
	}
	struct mig_str flow = MIG_STR_INIT;
	struct flow f;
	bool multiline = false;
	fl_begin(&f, &flow);
	for (size_t i = 0; i < op->sql_dialects.n; i++) {
		fl_str(&f, op->sql_dialects.v[i].dialect, op->sql_dialects.v[i].text);
		multiline = multiline || literal_ok(op->sql_dialects.v[i].text);
	}
	fl_end(&f);
	if (!multiline && (size_t)indent * 2 + 7 + flow.len <= WIDTH) {
		mig_str_addch(out, ' ');
		mig_str_add(out, flow.buf);
		mig_str_addch(out, '\n');
		mig_str_release(&flow);
		return;
	}
	mig_str_release(&flow);
	mig_str_addch(out, '\n');
	for (size_t i = 0; i < op->sql_dialects.n; i++) {
		const struct mig_sql_text *t = &op->sql_dialects.v[i];
		mig_yaml_indent(out, indent + 2);
		mig_str_add(out, t->dialect);
		mig_str_addch(out, ':');
		if (literal_ok(t->text)) {
			write_literal(out, t->text, indent + 3);
		} else {
			mig_str_addch(out, ' ');
			mig_yaml_scalar(out, t->text);
			mig_str_addch(out, '\n');
		}
	}
}

static void write_table_op(struct mig_str *out, const struct mig_op *op, int indent)
{
	mig_yaml_indent(out, indent);
	mig_str_addf(out, "- %s:\n", kind_names[op->kind]);
	mig_yaml_indent(out, indent + 2);
	mig_str_add(out, "name: ");
	if (op->schema) {
		char *q = xasprintf("%s.%s", op->schema, op->table);
		mig_yaml_scalar(out, q);
		free(q);
	} else {
		mig_yaml_scalar(out, op->table);
	}
	mig_str_addch(out, '\n');
	mig_model_write_table_body(out, op->table_def, indent + 2);
}

static void write_alter(struct flow *f, const struct mig_op *op)
{
	const struct mig_alter_column *a = &op->alter;
	fl_str(f, "column", op->column);
	fl_str(f, "new_name", a->new_name);
	fl_type(f, "type", &a->type);
	fl_type(f, "existing_type", &a->existing_type);
	fl_tristate(f, "nullable", a->nullable);
	fl_tristate(f, "existing_nullable", a->existing_nullable);
	fl_optstr(f, "default", a->default_sql);
	fl_optstr(f, "existing_default", a->existing_default);
	fl_optstr(f, "comment", a->comment);
	fl_optstr(f, "existing_comment", a->existing_comment);
	fl_str(f, "postgresql_using", a->postgresql_using);
	fl_tristate(f, "existing_autoincrement", a->existing_autoincrement);
	fl_str(f, "existing_collation", a->existing_collation);
	fl_str(f, "existing_server_onupdate", a->existing_server_onupdate);
}

/* The definition of a constraint op as flow mapping text (no table). */
static void constraint_def(struct mig_str *out, const struct mig_op *op)
{
	switch (op->constraint) {
	case MIG_CONSTRAINT_PRIMARY: {
		struct flow f;
		fl_begin(&f, out);
		fl_str(&f, "name", op->pk->name);
		fl_names(&f, "columns", op->pk->columns.v, op->pk->columns.n);
		fl_end(&f);
		break;
	}
	case MIG_CONSTRAINT_UNIQUE:
		mig_model_write_unique(out, op->unique);
		break;
	case MIG_CONSTRAINT_CHECK:
		mig_model_write_check(out, op->check);
		break;
	case MIG_CONSTRAINT_FOREIGNKEY:
		mig_model_write_fk(out, op->fk);
		break;
	case MIG_CONSTRAINT_NONE:
		mig_str_add(out, "{}");
		break;
	}
}

static bool has_constraint_def(const struct mig_op *op)
{
	switch (op->constraint) {
	case MIG_CONSTRAINT_PRIMARY:
		return op->pk != NULL;
	case MIG_CONSTRAINT_UNIQUE:
		return op->unique != NULL;
	case MIG_CONSTRAINT_CHECK:
		return op->check != NULL;
	case MIG_CONSTRAINT_FOREIGNKEY:
		return op->fk != NULL;
	default:
		return false;
	}
}

/* The arguments of op as one flow mapping (every op but create_table, a
 * drop_table with its definition, and sql). */
static void op_flow(struct mig_str *out, const struct mig_op *op)
{
	struct flow f;
	struct mig_str tmp = MIG_STR_INIT;
	fl_begin(&f, out);
	switch (op->kind) {
	case MIG_OP_DROP_TABLE:
		fl_qual(&f, "name", op->schema, op->table);
		break;
	case MIG_OP_RENAME_TABLE:
		fl_qual(&f, "name", op->schema, op->table);
		fl_str(&f, "new_name", op->new_name);
		break;
	case MIG_OP_ADD_COLUMN:
	case MIG_OP_DROP_COLUMN:
		fl_qual(&f, "table", op->schema, op->table);
		fl_key(&f, "column");
		if (op->column_def) {
			mig_model_write_column(out, op->column_def, true, false);
		} else {
			mig_yaml_scalar(out, op->column);
		}
		break;
	case MIG_OP_ALTER_COLUMN:
		fl_qual(&f, "table", op->schema, op->table);
		write_alter(&f, op);
		break;
	case MIG_OP_CREATE_INDEX:
	case MIG_OP_DROP_INDEX:
		fl_qual(&f, "table", op->schema, op->table);
		if (op->index) {
			mig_model_write_index(&tmp, op->index);
			fl_splice(&f, tmp.buf);
		} else {
			fl_str(&f, "name", op->name);
		}
		break;
	case MIG_OP_CREATE_PRIMARY_KEY:
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
	case MIG_OP_CREATE_FOREIGN_KEY:
		fl_qual(&f, "table", op->schema, op->table);
		constraint_def(&tmp, op);
		fl_splice(&f, tmp.buf);
		break;
	case MIG_OP_DROP_CONSTRAINT:
		fl_qual(&f, "table", op->schema, op->table);
		if (has_constraint_def(op)) {
			constraint_def(&tmp, op);
			/* name first, then the type, then the rest of the definition */
			struct mig_strlist parts = MIG_STRLIST_INIT;
			flow_split(tmp.buf, &parts);
			size_t i = 0;
			if (parts.n && mig_starts_with(parts.v[0], "name: ")) {
				fl_key(&f, "name");
				mig_str_add(out, parts.v[0] + 6);
				i = 1;
			}
			fl_str(&f, "type", constraint_names[op->constraint]);
			for (; i < parts.n; i++) {
				mig_str_add(out, ", ");
				mig_str_add(out, parts.v[i]);
			}
			mig_strlist_release(&parts);
		} else {
			fl_str(&f, "name", op->name);
			fl_str(&f, "type", constraint_names[op->constraint]);
		}
		break;
	case MIG_OP_CREATE_TABLE_COMMENT:
		fl_qual(&f, "table", op->schema, op->table);
		fl_str(&f, "comment", op->table_comment);
		fl_optstr(&f, "existing_comment", op->existing_comment);
		break;
	case MIG_OP_DROP_TABLE_COMMENT:
		fl_qual(&f, "table", op->schema, op->table);
		fl_optstr(&f, "existing_comment", op->existing_comment);
		break;
	case MIG_OP_CREATE_ENUM:
	case MIG_OP_DROP_ENUM:
		fl_qual(&f, "name", op->schema, op->name);
		if (op->enum_values.n) {
			fl_names(&f, "values", op->enum_values.v, op->enum_values.n);
		}
		break;
	case MIG_OP_ADD_ENUM_VALUE:
		fl_qual(&f, "name", op->schema, op->name);
		fl_str(&f, "value", op->value);
		fl_str(&f, "before", op->before);
		fl_str(&f, "after", op->after);
		if (op->if_not_exists) {
			fl_bool(&f, "if_not_exists", true);
		}
		break;
	case MIG_OP_BULK_INSERT:
		fl_qual(&f, "table", op->schema, op->table);
		fl_key(&f, "rows");
		mig_str_addch(out, '[');
		for (size_t i = 0; i < op->rows.n; i++) {
			mig_str_add(out, i ? ", {" : "{");
			for (size_t j = 0; j < op->columns.n; j++) {
				mig_str_add(out, j ? ", " : "");
				mig_yaml_scalar(out, op->columns.v[j]);
				mig_str_add(out, ": ");
				write_value(out, &op->rows.v[i][j]);
			}
			mig_str_addch(out, '}');
		}
		mig_str_addch(out, ']');
		break;
	case MIG_OP_CREATE_TABLE:
	case MIG_OP_SQL:
		break;
	}
	fl_end(&f);
	mig_str_release(&tmp);
}

static void write_note(struct mig_str *out, const char *note, int indent)
{
	const char *p = note;
	for (;;) {
		size_t len = strcspn(p, "\n");
		mig_yaml_indent(out, indent);
		mig_str_addch(out, '#');
		if (len) {
			mig_str_addch(out, ' ');
			mig_str_addn(out, p, len);
		}
		mig_str_addch(out, '\n');
		if (!p[len]) {
			break;
		}
		p += len + 1;
	}
}

void mig_ops_write(struct mig_str *out, const struct mig_oplist *ops, int indent)
{
	for (size_t i = 0; i < ops->ops.n; i++) {
		const struct mig_op *op = &ops->ops.v[i];
		if (op->note) {
			write_note(out, op->note, indent);
		}
		if (op->kind == MIG_OP_SQL) {
			write_sql(out, op, indent);
			continue;
		}
		if (op->table_def &&
		    (op->kind == MIG_OP_CREATE_TABLE || op->kind == MIG_OP_DROP_TABLE)) {
			write_table_op(out, op, indent);
			continue;
		}
		struct mig_str flow = MIG_STR_INIT;
		op_flow(&flow, op);
		const char *name = kind_names[op->kind];
		size_t width = (size_t)indent * 2 + 2 + strlen(name) + 2 + flow.len;
		if (width <= WIDTH) {
			mig_yaml_indent(out, indent);
			mig_str_addf(out, "- %s: %s\n", name, flow.buf);
		} else {
			mig_yaml_indent(out, indent);
			mig_str_addf(out, "- %s:\n", name);
			struct mig_strlist parts = MIG_STRLIST_INIT;
			flow_split(flow.buf, &parts);
			for (size_t j = 0; j < parts.n; j++) {
				size_t kl = pair_key_len(parts.v[j]);
				emit_pair(out, indent + 2, parts.v[j], kl, parts.v[j] + kl + 2);
			}
			mig_strlist_release(&parts);
		}
		mig_str_release(&flow);
	}
}
