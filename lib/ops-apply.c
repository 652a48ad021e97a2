/* Ops on an in-memory schema: applying an op (the schema at any revision
 * without a database) and inverting one (the downgrade of an upgrade). */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADUP(s, x) mig_arena_strdup(&(s)->arena, (x))

/* "path:line:column: <op>: <message>" as a FILE-class error with code. */
#define op_fail(op, code, ...) mig_op_error_code((op), (code), MIG_ECLASS_FILE, __VA_ARGS__)

/* "schema.name" or "name" in a static buffer per slot, for messages. */
static const char *qual(int slot, const char *schema, const char *name)
{
	static char buf[2][512];
	if (!schema) {
		return name ? name : "?";
	}
	snprintf(buf[slot], sizeof(buf[slot]), "%s.%s", schema, name ? name : "?");
	return buf[slot];
}

static int find_table(struct mig_schema *s, const struct mig_op *op, struct mig_table **out)
{
	*out = mig_schema_find_table(s, op->schema, op->table);
	if (!*out) {
		return op_fail(op, MIG_ENOTFOUND, "no table '%s'", qual(0, op->schema, op->table));
	}
	return 0;
}

static int find_column(struct mig_table *t, const struct mig_op *op, const char *name,
		       struct mig_column **out)
{
	*out = mig_table_find_column(t, name);
	if (!*out) {
		return op_fail(op, MIG_ENOTFOUND, "table '%s' has no column '%s'",
			       qual(0, t->schema, t->name), name);
	}
	return 0;
}

/* Every name in names is a column of t. */
static int check_columns(struct mig_table *t, const struct mig_op *op, const char *const *names,
			 size_t n)
{
	struct mig_column *c;
	for (size_t i = 0; i < n; i++) {
		int rc = find_column(t, op, names[i], &c);
		if (rc < 0) {
			return rc;
		}
	}
	return 0;
}

static void rename_in(const char **names, size_t n, const char *from, const char *to)
{
	for (size_t i = 0; i < n; i++) {
		if (mig_streq(names[i], from)) {
			names[i] = to;
		}
	}
}

/* Does fk reference table t? */
static bool fk_targets(const struct mig_foreign_key *f, const struct mig_table *t)
{
	return mig_streq(f->ref_table, t->name) && mig_streq(f->ref_schema, t->schema);
}

static void copy_type(struct mig_schema *s, struct mig_type *out, const struct mig_type *in)
{
	*out = *in;
	out->raw = ADUP(s, in->raw);
	out->enum_name = ADUP(s, in->enum_name);
	out->enum_values.v = NULL;
	out->enum_values.n = out->enum_values.alloc = 0;
	for (size_t i = 0; i < in->enum_values.n; i++) {
		mig_vec_push(&out->enum_values, ADUP(s, in->enum_values.v[i]));
	}
}

static void copy_names(struct mig_schema *s, void *outp, const void *inp)
{
	MIG_VEC(const char *) *out = outp;
	const MIG_VEC(const char *) *in = inp;
	out->v = NULL;
	out->n = out->alloc = 0;
	for (size_t i = 0; i < in->n; i++) {
		mig_vec_push(out, ADUP(s, in->v[i]));
	}
}

static const char *naming(const char *tmpl, const char *dflt)
{
	return tmpl ? tmpl : dflt;
}

static void pk_clear(struct mig_table *t)
{
	for (size_t i = 0; i < t->columns.n; i++) {
		t->columns.v[i].primary_key = false;
	}
	mig_vec_free(&t->pk.columns);
	t->pk.name = NULL;
}

/* ---- applying ---- */

static int apply_create_table(struct mig_schema *s, const struct mig_op *op)
{
	if (!op->table_def) {
		return op_fail(op, MIG_ERROR, "no definition of table '%s'",
			       qual(0, op->schema, op->table));
	}
	if (mig_schema_find_table(s, op->schema, op->table)) {
		return op_fail(op, MIG_EEXISTS, "table '%s' exists already",
			       qual(0, op->schema, op->table));
	}
	struct mig_table t;
	mig_table_copy(s, &t, op->table_def);
	t.schema = ADUP(s, op->schema);
	t.name = ADUP(s, op->table);
	mig_vec_push(&s->tables, t);
	mig_model_resolve_types(s, &s->tables.v[s->tables.n - 1]);
	return 0;
}

/* The length of the schema prefix "<schema>." by which o's detail names
 * table (schema, name), 0 when it names it without one, or -1 when o is not
 * a trigger or a partition of that table. A detail without a schema is a
 * table name as SQLite and MySQL give it (matched without ASCII case, as
 * SQLite matches names); PostgreSQL qualifies it with the table's schema,
 * which for a table of the default schema (schema NULL) is the object's own. */
static long object_of(const struct mig_object *o, const char *schema, const char *name)
{
	if ((o->kind != MIG_OBJ_TRIGGER && o->kind != MIG_OBJ_PARTITION) || !o->detail) {
		return -1;
	}
	if (mig_strieq(o->detail, name) && mig_streq(o->schema, schema)) {
		return 0;
	}
	const char *qs = schema ? schema : o->schema;
	size_t n = qs ? strlen(qs) : 0;
	if (qs && strncmp(o->detail, qs, n) == 0 && o->detail[n] == '.' &&
	    strcmp(o->detail + n + 1, name) == 0) {
		return (long)n + 1;
	}
	return -1;
}

static int apply_drop_table(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	/* its triggers and partitions go with it */
	size_t kept = 0;
	for (size_t i = 0; i < s->objects.n; i++) {
		if (object_of(&s->objects.v[i], t->schema, t->name) < 0) {
			s->objects.v[kept++] = s->objects.v[i];
		}
	}
	s->objects.n = kept;
	mig_schema_remove_table(s, (size_t)(t - s->tables.v));
	return 0;
}

static int apply_rename_table(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	if (mig_schema_find_table(s, op->schema, op->new_name)) {
		return op_fail(op, MIG_EEXISTS, "table '%s' exists already",
			       qual(0, op->schema, op->new_name));
	}
	const char *to = ADUP(s, op->new_name);
	for (size_t i = 0; i < s->tables.n; i++) {
		struct mig_table *o = &s->tables.v[i];
		for (size_t j = 0; j < o->fks.n; j++) {
			if (fk_targets(&o->fks.v[j], t)) {
				o->fks.v[j].ref_table = to;
			}
		}
	}
	/* its triggers and partitions follow it (the SQL recorded for a trigger
	 * still names the old table: the runner reads it again) */
	for (size_t i = 0; i < s->objects.n; i++) {
		struct mig_object *o = &s->objects.v[i];
		long prefix = object_of(o, t->schema, t->name);
		if (prefix == 0) {
			o->detail = to;
		} else if (prefix > 0) {
			o->detail =
				mig_arena_printf(&s->arena, "%.*s%s", (int)prefix, o->detail, to);
		}
	}
	t->name = to;
	return 0;
}

/* Move the column-level shorthands of the last column of t (primary_key,
 * unique, index, references) into t's lists, as the model loader does. */
static void expand_column(struct mig_schema *s, struct mig_table *t)
{
	struct mig_column *c = &t->columns.v[t->columns.n - 1];
	const char *one[1] = { c->name };
	const struct mig_naming_convention *nc = &s->naming;
	if (c->primary_key) {
		mig_vec_push(&t->pk.columns, c->name);
		if (nc->pk) {
			t->pk.name = mig_naming_apply(&s->arena, nc->pk, t->name, one, 1, NULL,
						      NULL);
		}
		c->nullable = false;
	}
	if (c->unique) {
		struct mig_unique u;
		memset(&u, 0, sizeof(u));
		u.pos = c->pos;
		if (nc->uq) {
			u.name = mig_naming_apply(&s->arena, nc->uq, t->name, one, 1, NULL, NULL);
		}
		mig_vec_push(&u.columns, c->name);
		mig_vec_push(&t->uniques, u);
		c->unique = false;
	}
	if (c->index) {
		struct mig_index ix;
		memset(&ix, 0, sizeof(ix));
		ix.pos = c->pos;
		ix.name = mig_naming_apply(&s->arena, naming(nc->ix, "ix_%(table)s_%(columns)s"),
					   t->name, one, 1, NULL, NULL);
		struct mig_index_elem e = { c->name, NULL, false };
		mig_vec_push(&ix.elems, e);
		mig_vec_push(&t->indexes, ix);
		c->index = false;
	}
	if (c->ref_table) {
		struct mig_foreign_key f;
		memset(&f, 0, sizeof(f));
		f.pos = c->pos;
		mig_split_qualname(&s->arena, c->ref_table, &f.ref_schema, &f.ref_table);
		if (nc->fk) {
			f.name = mig_naming_apply(&s->arena, nc->fk, t->name, one, 1, NULL,
						  f.ref_table);
		}
		mig_table_take_column_fk(t, c, &f);
	}
}

static int apply_add_column(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	const struct mig_column *def = op->column_def;
	if (!def) {
		return op_fail(op, MIG_ERROR, "no definition of column '%s'", op->column);
	}
	if (mig_table_find_column(t, def->name)) {
		return op_fail(op, MIG_EEXISTS, "table '%s' has a column '%s' already",
			       qual(0, t->schema, t->name), def->name);
	}
	if (def->primary_key && t->pk.columns.n) {
		return op_fail(op, MIG_EEXISTS, "table '%s' has a primary key already",
			       qual(0, t->schema, t->name));
	}
	struct mig_column c;
	mig_column_copy(s, &c, def);
	mig_vec_push(&t->columns, c);
	expand_column(s, t);
	mig_model_resolve_types(s, t);
	return 0;
}

/* The foreign key of any table that references column of t, or NULL. */
static const struct mig_foreign_key *referenced_by(struct mig_schema *s, const struct mig_table *t,
						   const char *column,
						   const struct mig_table **owner)
{
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct mig_table *o = &s->tables.v[i];
		for (size_t j = 0; j < o->fks.n; j++) {
			const struct mig_foreign_key *f = &o->fks.v[j];
			if (!fk_targets(f, t) || !mig_names_have(f->ref_columns.v, f->ref_columns.n,
							      column)) {
				continue;
			}
			if (o == t && mig_names_have(f->columns.v, f->columns.n, column)) {
				continue; /* goes away with the column */
			}
			*owner = o;
			return f;
		}
	}
	return NULL;
}

static int apply_drop_column(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	struct mig_column *c;
	int rc = find_table(s, op, &t);
	if (rc < 0 || (rc = find_column(t, op, op->column, &c)) < 0) {
		return rc;
	}
	const struct mig_table *owner = NULL;
	const struct mig_foreign_key *f = referenced_by(s, t, op->column, &owner);
	if (f) {
		return op_fail(op, MIG_ERROR,
			       "column '%s.%s' is referenced by foreign key%s%s%s of table '%s'",
			       qual(0, t->schema, t->name), op->column, f->name ? " '" : "",
			       f->name ? f->name : "", f->name ? "'" : "",
			       qual(1, owner->schema, owner->name));
	}
	/* the indexes and constraints that involve the column go with it */
	const char *name = c->name;
	if (mig_names_have(t->pk.columns.v, t->pk.columns.n, name)) {
		pk_clear(t);
	}
	for (size_t i = t->indexes.n; i-- > 0;) {
		struct mig_index *ix = &t->indexes.v[i];
		bool uses = false;
		for (size_t j = 0; j < ix->elems.n; j++) {
			uses = uses || mig_streq(ix->elems.v[j].column, name);
		}
		if (uses) {
			mig_vec_free(&ix->elems);
			memmove(ix, ix + 1, (t->indexes.n - i - 1) * sizeof(*ix));
			t->indexes.n--;
		}
	}
	for (size_t i = t->uniques.n; i-- > 0;) {
		struct mig_unique *u = &t->uniques.v[i];
		if (mig_names_have(u->columns.v, u->columns.n, name)) {
			mig_vec_free(&u->columns);
			memmove(u, u + 1, (t->uniques.n - i - 1) * sizeof(*u));
			t->uniques.n--;
		}
	}
	for (size_t i = t->fks.n; i-- > 0;) {
		struct mig_foreign_key *fk = &t->fks.v[i];
		if (mig_names_have(fk->columns.v, fk->columns.n, name)) {
			mig_vec_free(&fk->columns);
			mig_vec_free(&fk->ref_columns);
			memmove(fk, fk + 1, (t->fks.n - i - 1) * sizeof(*fk));
			t->fks.n--;
		}
	}
	/* as does a CHECK on this column alone (SQLite's enum CHECK among them) */
	for (size_t i = t->checks.n; i-- > 0;) {
		if (mig_strieq(t->checks.v[i].column, name) ||
		    mig_sql_names_only(t->checks.v[i].sql, t, name)) {
			memmove(&t->checks.v[i], &t->checks.v[i + 1],
				(t->checks.n - i - 1) * sizeof(t->checks.v[i]));
			t->checks.n--;
		}
	}
	size_t ci = (size_t)(c - t->columns.v);
	mig_column_release(c);
	memmove(c, c + 1, (t->columns.n - ci - 1) * sizeof(*c));
	t->columns.n--;
	return 0;
}

static int apply_alter_column(struct mig_schema *s, const struct mig_op *op)
{
	const struct mig_alter_column *a = &op->alter;
	struct mig_table *t;
	struct mig_column *c;
	int rc = find_table(s, op, &t);
	if (rc < 0 || (rc = find_column(t, op, op->column, &c)) < 0) {
		return rc;
	}
	if (a->new_name && !mig_streq(a->new_name, op->column) &&
	    mig_table_find_column(t, a->new_name)) {
		return op_fail(op, MIG_EEXISTS, "table '%s' has a column '%s' already",
			       qual(0, t->schema, t->name), a->new_name);
	}
	if (a->nullable == MIG_TRUE && mig_names_have(t->pk.columns.v, t->pk.columns.n, c->name)) {
		return op_fail(op, MIG_ERROR,
			       "column '%s' is part of the primary key and cannot be nullable",
			       c->name);
	}
	if (mig_type_is_set(&a->type)) {
		mig_column_release(c);
		copy_type(s, &c->type, &a->type);
	}
	if (a->nullable != MIG_UNSET) {
		c->nullable = a->nullable == MIG_TRUE;
	}
	if (a->default_sql.set) {
		c->default_sql = ADUP(s, a->default_sql.value);
	}
	if (a->comment.set) {
		c->comment = ADUP(s, a->comment.value);
	}
	if (a->new_name && !mig_streq(a->new_name, c->name)) {
		const char *from = c->name;
		const char *to = ADUP(s, a->new_name);
		c->name = to;
		rename_in(t->pk.columns.v, t->pk.columns.n, from, to);
		for (size_t i = 0; i < t->indexes.n; i++) {
			struct mig_index *ix = &t->indexes.v[i];
			for (size_t j = 0; j < ix->elems.n; j++) {
				if (mig_streq(ix->elems.v[j].column, from)) {
					ix->elems.v[j].column = to;
				}
			}
		}
		for (size_t i = 0; i < t->uniques.n; i++) {
			rename_in(t->uniques.v[i].columns.v, t->uniques.v[i].columns.n, from, to);
		}
		for (size_t i = 0; i < t->checks.n; i++) {
			if (mig_streq(t->checks.v[i].column, from)) {
				t->checks.v[i].column = to;
			}
		}
		for (size_t i = 0; i < t->fks.n; i++) {
			rename_in(t->fks.v[i].columns.v, t->fks.v[i].columns.n, from, to);
		}
		for (size_t i = 0; i < s->tables.n; i++) {
			struct mig_table *o = &s->tables.v[i];
			for (size_t j = 0; j < o->fks.n; j++) {
				struct mig_foreign_key *f = &o->fks.v[j];
				if (fk_targets(f, t)) {
					rename_in(f->ref_columns.v, f->ref_columns.n, from, to);
				}
			}
		}
	}
	mig_model_resolve_types(s, t);
	return 0;
}

static int apply_create_index(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	struct mig_column *c;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	if (!op->index) {
		return op_fail(op, MIG_ERROR, "no definition of index '%s'", op->name);
	}
	if (op->index->name && mig_table_find_index(t, op->index->name)) {
		return op_fail(op, MIG_EEXISTS, "table '%s' has an index '%s' already",
			       qual(0, t->schema, t->name), op->index->name);
	}
	for (size_t i = 0; i < op->index->elems.n; i++) {
		const char *col = op->index->elems.v[i].column;
		if (col && (rc = find_column(t, op, col, &c)) < 0) {
			return rc;
		}
	}
	const struct mig_index *in = op->index;
	struct mig_index ix = *in;
	ix.name = ADUP(s, in->name);
	ix.where = ADUP(s, in->where);
	ix.using = ADUP(s, in->using);
	ix.pos.file = ADUP(s, in->pos.file);
	ix.elems.v = NULL;
	ix.elems.n = ix.elems.alloc = 0;
	for (size_t i = 0; i < in->elems.n; i++) {
		struct mig_index_elem e = in->elems.v[i];
		e.column = ADUP(s, e.column);
		e.expression = ADUP(s, e.expression);
		mig_vec_push(&ix.elems, e);
	}
	mig_vec_push(&t->indexes, ix);
	return 0;
}

static int apply_drop_index(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	struct mig_index *ix = mig_table_find_index(t, op->name);
	if (!op->name || !ix) {
		return op_fail(op, MIG_ENOTFOUND, "no index '%s' on table '%s'",
			       op->name ? op->name : "?", qual(0, t->schema, t->name));
	}
	size_t i = (size_t)(ix - t->indexes.v);
	mig_vec_free(&ix->elems);
	memmove(ix, ix + 1, (t->indexes.n - i - 1) * sizeof(*ix));
	t->indexes.n--;
	return 0;
}

static int apply_create_constraint(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	const char *tname = qual(0, t->schema, t->name);
	switch (op->kind) {
	case MIG_OP_CREATE_PRIMARY_KEY: {
		if (!op->pk) {
			return op_fail(op, MIG_ERROR, "no definition of the primary key");
		}
		if (t->pk.columns.n) {
			return op_fail(op, MIG_EEXISTS, "table '%s' has a primary key already",
				       tname);
		}
		if ((rc = check_columns(t, op, op->pk->columns.v, op->pk->columns.n)) < 0) {
			return rc;
		}
		t->pk.name = ADUP(s, op->pk->name);
		copy_names(s, &t->pk.columns, &op->pk->columns);
		for (size_t i = 0; i < t->pk.columns.n; i++) {
			struct mig_column *c = mig_table_find_column(t, t->pk.columns.v[i]);
			c->primary_key = true;
			c->nullable = false;
		}
		return 0;
	}
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT: {
		const struct mig_unique *in = op->unique;
		if (!in) {
			return op_fail(op, MIG_ERROR, "no definition of the unique constraint");
		}
		for (size_t i = 0; in->name && i < t->uniques.n; i++) {
			if (mig_streq(t->uniques.v[i].name, in->name)) {
				return op_fail(op, MIG_EEXISTS,
					       "table '%s' has a unique constraint '%s' already",
					       tname, in->name);
			}
		}
		if ((rc = check_columns(t, op, in->columns.v, in->columns.n)) < 0) {
			return rc;
		}
		struct mig_unique u = *in;
		u.name = ADUP(s, in->name);
		u.pos.file = ADUP(s, in->pos.file);
		copy_names(s, &u.columns, &in->columns);
		mig_vec_push(&t->uniques, u);
		return 0;
	}
	case MIG_OP_CREATE_CHECK_CONSTRAINT: {
		const struct mig_check *in = op->check;
		if (!in) {
			return op_fail(op, MIG_ERROR, "no definition of the check constraint");
		}
		for (size_t i = 0; in->name && i < t->checks.n; i++) {
			if (mig_streq(t->checks.v[i].name, in->name)) {
				return op_fail(op, MIG_EEXISTS,
					       "table '%s' has a check constraint '%s' already",
					       tname, in->name);
			}
		}
		struct mig_check ck = *in;
		ck.name = ADUP(s, in->name);
		ck.sql = ADUP(s, in->sql);
		ck.column = ADUP(s, in->column);
		ck.pos.file = ADUP(s, in->pos.file);
		mig_vec_push(&t->checks, ck);
		return 0;
	}
	default: {
		const struct mig_foreign_key *in = op->fk;
		if (!in) {
			return op_fail(op, MIG_ERROR, "no definition of the foreign key");
		}
		for (size_t i = 0; in->name && i < t->fks.n; i++) {
			if (mig_streq(t->fks.v[i].name, in->name)) {
				return op_fail(op, MIG_EEXISTS,
					       "table '%s' has a foreign key '%s' already", tname,
					       in->name);
			}
		}
		if ((rc = check_columns(t, op, in->columns.v, in->columns.n)) < 0) {
			return rc;
		}
		struct mig_foreign_key f = *in;
		f.name = ADUP(s, in->name);
		f.ref_schema = ADUP(s, in->ref_schema);
		f.ref_table = ADUP(s, in->ref_table);
		f.pos.file = ADUP(s, in->pos.file);
		copy_names(s, &f.columns, &in->columns);
		copy_names(s, &f.ref_columns, &in->ref_columns);
		mig_vec_push(&t->fks, f);
		return 0;
	}
	}
}

/* The index in t's list of the constraint drop_constraint names (by name,
 * or by definition when unnamed), or -1. */
static long find_constraint(const struct mig_table *t, const struct mig_op *op)
{
	switch (op->constraint) {
	case MIG_CONSTRAINT_UNIQUE:
		for (size_t i = 0; i < t->uniques.n; i++) {
			const struct mig_unique *u = &t->uniques.v[i];
			bool same = op->unique && mig_names_equal(u->columns.v, u->columns.n,
							      op->unique->columns.v,
							      op->unique->columns.n);
			if (op->name ? mig_streq(u->name, op->name) : same) {
				return (long)i;
			}
		}
		return -1;
	case MIG_CONSTRAINT_CHECK:
		for (size_t i = 0; i < t->checks.n; i++) {
			const struct mig_check *c = &t->checks.v[i];
			if (op->name ? mig_streq(c->name, op->name)
				     : op->check && mig_streq(c->sql, op->check->sql)) {
				return (long)i;
			}
		}
		return -1;
	case MIG_CONSTRAINT_FOREIGNKEY:
		for (size_t i = 0; i < t->fks.n; i++) {
			const struct mig_foreign_key *f = &t->fks.v[i];
			bool same = op->fk && mig_names_equal(f->columns.v, f->columns.n,
							  op->fk->columns.v, op->fk->columns.n);
			if (op->name ? mig_streq(f->name, op->name) : same) {
				return (long)i;
			}
		}
		return -1;
	default:
		return -1;
	}
}

static int apply_drop_constraint(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	const char *tname = qual(0, t->schema, t->name);
	if (op->constraint == MIG_CONSTRAINT_PRIMARY) {
		if (!t->pk.columns.n) {
			return op_fail(op, MIG_ENOTFOUND, "table '%s' has no primary key", tname);
		}
		pk_clear(t);
		return 0;
	}
	long i = find_constraint(t, op);
	const char *what = op->constraint == MIG_CONSTRAINT_UNIQUE  ? "unique constraint"
			   : op->constraint == MIG_CONSTRAINT_CHECK ? "check constraint"
								    : "foreign key";
	if (i < 0 && op->constraint == MIG_CONSTRAINT_UNIQUE && op->name) {
		/* MySQL keeps a unique constraint as a unique index */
		struct mig_index *ix = mig_table_find_index(t, op->name);
		if (ix && ix->unique) {
			size_t k = (size_t)(ix - t->indexes.v);
			mig_vec_free(&ix->elems);
			memmove(ix, ix + 1, (t->indexes.n - k - 1) * sizeof(*ix));
			t->indexes.n--;
			return 0;
		}
	}
	if (i < 0) {
		if (op->name) {
			return op_fail(op, MIG_ENOTFOUND, "no %s '%s' on table '%s'", what,
				       op->name, tname);
		}
		return op_fail(op, MIG_ENOTFOUND, "no such unnamed %s on table '%s'", what, tname);
	}
	size_t k = (size_t)i;
	switch (op->constraint) {
	case MIG_CONSTRAINT_UNIQUE:
		mig_vec_free(&t->uniques.v[k].columns);
		memmove(&t->uniques.v[k], &t->uniques.v[k + 1],
			(t->uniques.n - k - 1) * sizeof(t->uniques.v[0]));
		t->uniques.n--;
		break;
	case MIG_CONSTRAINT_CHECK:
		memmove(&t->checks.v[k], &t->checks.v[k + 1],
			(t->checks.n - k - 1) * sizeof(t->checks.v[0]));
		t->checks.n--;
		break;
	default:
		mig_vec_free(&t->fks.v[k].columns);
		mig_vec_free(&t->fks.v[k].ref_columns);
		memmove(&t->fks.v[k], &t->fks.v[k + 1], (t->fks.n - k - 1) * sizeof(t->fks.v[0]));
		t->fks.n--;
		break;
	}
	return 0;
}

static int apply_table_comment(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	t->comment = op->kind == MIG_OP_CREATE_TABLE_COMMENT ? ADUP(s, op->table_comment) : NULL;
	return 0;
}

static bool enum_used(const struct mig_schema *s, const struct mig_enum *e,
		      const struct mig_table **tab, const struct mig_column **col)
{
	const char *q = e->schema ? qual(1, e->schema, e->name) : e->name;
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct mig_table *t = &s->tables.v[i];
		for (size_t j = 0; j < t->columns.n; j++) {
			const struct mig_type *ty = &t->columns.v[j].type;
			if ((ty->kind == MIG_TYPE_ENUM && mig_streq(ty->enum_name, q)) ||
			    (ty->kind == MIG_TYPE_OTHER && mig_streq(ty->raw, q))) {
				*tab = t;
				*col = &t->columns.v[j];
				return true;
			}
		}
	}
	return false;
}

static int apply_create_enum(struct mig_schema *s, const struct mig_op *op)
{
	if (mig_schema_find_enum(s, op->schema, op->name)) {
		return op_fail(op, MIG_EEXISTS, "enum '%s' exists already",
			       qual(0, op->schema, op->name));
	}
	struct mig_enum *e = mig_schema_add_enum(s, op->schema, op->name);
	e->pos.file = ADUP(s, op->pos.file);
	e->pos.line = op->pos.line;
	e->pos.column = op->pos.column;
	copy_names(s, &e->values, &op->enum_values);
	/* columns typed by the name before the enum existed now resolve to it */
	for (size_t i = 0; i < s->tables.n; i++) {
		mig_model_resolve_types(s, &s->tables.v[i]);
	}
	return 0;
}

static int apply_drop_enum(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_enum *e = mig_schema_find_enum(s, op->schema, op->name);
	if (!e) {
		return op_fail(op, MIG_ENOTFOUND, "no enum '%s'", qual(0, op->schema, op->name));
	}
	const struct mig_table *t;
	const struct mig_column *c;
	if (enum_used(s, e, &t, &c)) {
		return op_fail(op, MIG_ERROR, "enum '%s' is the type of column '%s.%s'",
			       qual(0, op->schema, op->name), qual(1, t->schema, t->name),
			       c->name);
	}
	size_t i = (size_t)(e - s->enums.v);
	mig_vec_free(&e->values);
	memmove(e, e + 1, (s->enums.n - i - 1) * sizeof(*e));
	s->enums.n--;
	return 0;
}

static int apply_add_enum_value(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_enum *e = mig_schema_find_enum(s, op->schema, op->name);
	const char *ename = qual(0, op->schema, op->name);
	if (!e) {
		return op_fail(op, MIG_ENOTFOUND, "no enum '%s'", ename);
	}
	if (mig_names_have(e->values.v, e->values.n, op->value)) {
		if (op->if_not_exists) {
			return 0;
		}
		return op_fail(op, MIG_EEXISTS, "enum '%s' has the value '%s' already", ename,
			       op->value);
	}
	size_t at = e->values.n;
	const char *anchor = op->before ? op->before : op->after;
	if (anchor) {
		size_t k = 0;
		while (k < e->values.n && !mig_streq(e->values.v[k], anchor)) {
			k++;
		}
		if (k == e->values.n) {
			return op_fail(op, MIG_ENOTFOUND, "enum '%s' has no value '%s'", ename,
				       anchor);
		}
		at = op->before ? k : k + 1;
	}
	mig_vec_grow(&e->values, 1);
	memmove(&e->values.v[at + 1], &e->values.v[at], (e->values.n - at) * sizeof(char *));
	e->values.v[at] = ADUP(s, op->value);
	e->values.n++;
	return 0;
}

static int apply_bulk_insert(struct mig_schema *s, const struct mig_op *op)
{
	struct mig_table *t;
	int rc = find_table(s, op, &t);
	if (rc < 0) {
		return rc;
	}
	return check_columns(t, op, op->columns.v, op->columns.n);
}

int mig_schema_apply(struct mig_schema *s, const struct mig_op *op)
{
	switch (op->kind) {
	case MIG_OP_CREATE_TABLE:
		return apply_create_table(s, op);
	case MIG_OP_DROP_TABLE:
		return apply_drop_table(s, op);
	case MIG_OP_RENAME_TABLE:
		return apply_rename_table(s, op);
	case MIG_OP_ADD_COLUMN:
		return apply_add_column(s, op);
	case MIG_OP_DROP_COLUMN:
		return apply_drop_column(s, op);
	case MIG_OP_ALTER_COLUMN:
		return apply_alter_column(s, op);
	case MIG_OP_CREATE_INDEX:
		return apply_create_index(s, op);
	case MIG_OP_DROP_INDEX:
		return apply_drop_index(s, op);
	case MIG_OP_CREATE_PRIMARY_KEY:
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
	case MIG_OP_CREATE_FOREIGN_KEY:
		return apply_create_constraint(s, op);
	case MIG_OP_DROP_CONSTRAINT:
		return apply_drop_constraint(s, op);
	case MIG_OP_CREATE_TABLE_COMMENT:
	case MIG_OP_DROP_TABLE_COMMENT:
		return apply_table_comment(s, op);
	case MIG_OP_CREATE_ENUM:
		return apply_create_enum(s, op);
	case MIG_OP_DROP_ENUM:
		return apply_drop_enum(s, op);
	case MIG_OP_ADD_ENUM_VALUE:
		return apply_add_enum_value(s, op);
	case MIG_OP_BULK_INSERT:
		return apply_bulk_insert(s, op);
	case MIG_OP_SQL:
		return MIG_APPLY_OPAQUE;
	}
	return op_fail(op, MIG_ERROR, "unknown op kind %d", (int)op->kind);
}

int mig_schema_apply_all(struct mig_schema *s, const struct mig_oplist *ops, size_t *opaque)
{
	for (size_t i = 0; i < ops->ops.n; i++) {
		int rc = mig_schema_apply(s, &ops->ops.v[i]);
		if (rc < 0) {
			return rc;
		}
		if (rc == MIG_APPLY_OPAQUE && opaque) {
			(*opaque)++;
		}
	}
	return 0;
}

/* ---- inverting ---- */

static int cannot(const struct mig_op *op, const char *why)
{
	return op_fail(op, MIG_ERROR, "cannot be inverted: %s", why);
}

static enum mig_tristate tri(bool b)
{
	return b ? MIG_TRUE : MIG_FALSE;
}

static int invert_alter(const struct mig_op *op, const struct mig_column *bc, struct mig_op *r)
{
	const struct mig_alter_column *a = &op->alter;
	struct mig_alter_column *ra = &r->alter;
	const char *why = NULL;
	r->column = a->new_name ? a->new_name : op->column;
	ra->new_name = a->new_name ? op->column : NULL;
	if (mig_type_is_set(&a->type)) {
		if (mig_type_is_set(&a->existing_type)) {
			ra->type = a->existing_type;
		} else if (bc) {
			ra->type = bc->type;
		} else {
			why = "it changes the type but carries no existing_type";
			goto fail;
		}
		ra->existing_type = a->type;
	} else if (mig_type_is_set(&a->existing_type)) {
		ra->existing_type = a->existing_type;
	} else if (bc) {
		ra->existing_type = bc->type;
	}
	if (a->nullable != MIG_UNSET) {
		if (a->existing_nullable != MIG_UNSET) {
			ra->nullable = a->existing_nullable;
		} else if (bc) {
			ra->nullable = tri(bc->nullable);
		} else {
			why = "it changes nullable but carries no existing_nullable";
			goto fail;
		}
		ra->existing_nullable = a->nullable;
	} else {
		ra->existing_nullable = a->existing_nullable != MIG_UNSET ? a->existing_nullable
							   : bc ? tri(bc->nullable)
								: MIG_UNSET;
	}
	struct mig_optstr from_bc = { bc != NULL, bc ? bc->default_sql : NULL };
	if (a->default_sql.set) {
		ra->default_sql = a->existing_default.set ? a->existing_default : from_bc;
		if (!ra->default_sql.set) {
			why = "it changes the default but carries no existing_default";
			goto fail;
		}
		ra->existing_default = a->default_sql;
	} else {
		ra->existing_default = a->existing_default.set ? a->existing_default : from_bc;
	}
	from_bc.value = bc ? bc->comment : NULL;
	if (a->comment.set) {
		ra->comment = a->existing_comment.set ? a->existing_comment : from_bc;
		if (!ra->comment.set) {
			why = "it changes the comment but carries no existing_comment";
			goto fail;
		}
		ra->existing_comment = a->comment;
	} else {
		ra->existing_comment = a->existing_comment.set ? a->existing_comment : from_bc;
	}
	ra->existing_autoincrement = a->existing_autoincrement != MIG_UNSET
					     ? a->existing_autoincrement
				     : bc ? bc->autoincrement
					  : MIG_UNSET;
	ra->existing_collation = a->existing_collation ? a->existing_collation
				 : bc		       ? bc->collation
							: NULL;
	ra->existing_server_onupdate = a->existing_server_onupdate ? a->existing_server_onupdate
				       : bc			   ? bc->on_update_sql
								   : NULL;
	return 0;
fail:
	return cannot(op, why);
}

/* The definition a drop_constraint drops, from the op or from t. */
static void constraint_from(const struct mig_op *op, const struct mig_table *t, struct mig_op *r)
{
	r->pk = op->pk;
	r->unique = op->unique;
	r->check = op->check;
	r->fk = op->fk;
	if (!t) {
		return;
	}
	long i;
	switch (op->constraint) {
	case MIG_CONSTRAINT_PRIMARY:
		if (!r->pk && t->pk.columns.n) {
			r->pk = (struct mig_primary_key *)&t->pk;
		}
		break;
	case MIG_CONSTRAINT_UNIQUE:
		if (!r->unique && (i = find_constraint(t, op)) >= 0) {
			r->unique = &t->uniques.v[i];
		}
		break;
	case MIG_CONSTRAINT_CHECK:
		if (!r->check && (i = find_constraint(t, op)) >= 0) {
			r->check = &t->checks.v[i];
		}
		break;
	case MIG_CONSTRAINT_FOREIGNKEY:
		if (!r->fk && (i = find_constraint(t, op)) >= 0) {
			r->fk = &t->fks.v[i];
		}
		break;
	case MIG_CONSTRAINT_NONE:
		break;
	}
}

/* r borrows from op and before (casting const away): mig_oplist_push copies
 * it before anything could change them. */
int mig_op_invert(const struct mig_op *op, const struct mig_schema *before,
		  struct mig_oplist *out)
{
	struct mig_op r;
	struct mig_column col;
	struct mig_unique as_unique;
	memset(&r, 0, sizeof(r));
	memset(&as_unique, 0, sizeof(as_unique));
	r.schema = op->schema;
	r.table = op->table;
	const struct mig_table *bt =
		before && op->table ? mig_schema_find_table(before, op->schema, op->table) : NULL;
	const struct mig_column *bc =
		bt && op->column ? mig_table_find_column(bt, op->column) : NULL;
	char *why = NULL;
	int rc;
	switch (op->kind) {
	case MIG_OP_CREATE_TABLE:
		r.kind = MIG_OP_DROP_TABLE;
		r.table_def = op->table_def;
		break;
	case MIG_OP_DROP_TABLE:
		r.kind = MIG_OP_CREATE_TABLE;
		r.table_def = op->table_def ? op->table_def : (struct mig_table *)bt;
		if (!r.table_def) {
			why = xasprintf("it carries no definition of table '%s'",
					qual(0, op->schema, op->table));
		}
		break;
	case MIG_OP_RENAME_TABLE:
		r.kind = MIG_OP_RENAME_TABLE;
		r.table = op->new_name;
		r.new_name = op->table;
		break;
	case MIG_OP_ADD_COLUMN:
		r.kind = MIG_OP_DROP_COLUMN;
		r.column = op->column;
		r.column_def = op->column_def;
		break;
	case MIG_OP_DROP_COLUMN:
		r.kind = MIG_OP_ADD_COLUMN;
		r.column = op->column;
		r.column_def = op->column_def;
		if (!r.column_def && bc) {
			/* the table's other lists come back with their own ops */
			col = *bc;
			col.primary_key = bt->pk.columns.n == 1 &&
					  mig_streq(bt->pk.columns.v[0], bc->name);
			r.column_def = &col;
		}
		if (!r.column_def) {
			why = xasprintf("it carries no definition of column '%s.%s'",
					qual(0, op->schema, op->table), op->column);
		}
		break;
	case MIG_OP_ALTER_COLUMN:
		r.kind = MIG_OP_ALTER_COLUMN;
		if (invert_alter(op, bc, &r) < 0) {
			return MIG_ERROR;
		}
		break;
	case MIG_OP_CREATE_INDEX:
		r.kind = MIG_OP_DROP_INDEX;
		r.name = op->name;
		r.index = op->index;
		break;
	case MIG_OP_DROP_INDEX:
		r.kind = MIG_OP_CREATE_INDEX;
		r.name = op->name;
		r.index = op->index ? op->index : bt ? mig_table_find_index(bt, op->name) : NULL;
		if (!r.index) {
			why = xasprintf("it carries no definition of index '%s'", op->name);
		}
		break;
	case MIG_OP_CREATE_PRIMARY_KEY:
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
	case MIG_OP_CREATE_FOREIGN_KEY:
		r.kind = MIG_OP_DROP_CONSTRAINT;
		r.constraint = op->constraint;
		r.name = op->name;
		r.pk = op->pk;
		r.unique = op->unique;
		r.check = op->check;
		r.fk = op->fk;
		break;
	case MIG_OP_DROP_CONSTRAINT: {
		static const enum mig_op_kind creates[] = {
			[MIG_CONSTRAINT_NONE] = MIG_OP_SQL,
			[MIG_CONSTRAINT_PRIMARY] = MIG_OP_CREATE_PRIMARY_KEY,
			[MIG_CONSTRAINT_UNIQUE] = MIG_OP_CREATE_UNIQUE_CONSTRAINT,
			[MIG_CONSTRAINT_CHECK] = MIG_OP_CREATE_CHECK_CONSTRAINT,
			[MIG_CONSTRAINT_FOREIGNKEY] = MIG_OP_CREATE_FOREIGN_KEY,
		};
		r.kind = creates[op->constraint];
		r.constraint = op->constraint;
		r.name = op->name;
		constraint_from(op, bt, &r);
		if (!r.unique && op->constraint == MIG_CONSTRAINT_UNIQUE && bt && op->name) {
			/* a unique constraint kept as a unique index (MySQL) */
			const struct mig_index *ix = mig_table_find_index(bt, op->name);
			bool plain = ix && ix->unique && !ix->where;
			for (size_t i = 0; plain && i < ix->elems.n; i++) {
				plain = ix->elems.v[i].column && !ix->elems.v[i].desc;
			}
			if (plain) {
				as_unique.name = ix->name;
				for (size_t i = 0; i < ix->elems.n; i++) {
					mig_vec_push(&as_unique.columns, ix->elems.v[i].column);
				}
				r.unique = &as_unique;
			}
		}
		if (!r.pk && !r.unique && !r.check && !r.fk) {
			why = xasprintf("it carries no definition of %s constraint%s%s%s",
					mig_constraint_type_name(op->constraint),
					op->name ? " '" : "", op->name ? op->name : "",
					op->name ? "'" : "");
		}
		break;
	}
	case MIG_OP_CREATE_TABLE_COMMENT:
	case MIG_OP_DROP_TABLE_COMMENT: {
		struct mig_optstr ex = op->existing_comment;
		if (!ex.set && bt) {
			ex.set = true;
			ex.value = bt->comment;
		}
		if (!ex.set) {
			why = xasprintf("it carries no existing_comment");
			break;
		}
		const char *now = NULL;
		if (op->kind == MIG_OP_CREATE_TABLE_COMMENT) {
			now = op->table_comment;
		}
		r.kind = ex.value ? MIG_OP_CREATE_TABLE_COMMENT : MIG_OP_DROP_TABLE_COMMENT;
		r.table_comment = ex.value;
		r.existing_comment.set = true;
		r.existing_comment.value = now;
		break;
	}
	case MIG_OP_CREATE_ENUM:
		r.kind = MIG_OP_DROP_ENUM;
		r.name = op->name;
		r.enum_values = op->enum_values;
		break;
	case MIG_OP_DROP_ENUM: {
		r.kind = MIG_OP_CREATE_ENUM;
		r.name = op->name;
		r.enum_values = op->enum_values;
		const struct mig_enum *e =
			before ? mig_schema_find_enum(before, op->schema, op->name) : NULL;
		if (!r.enum_values.n && e) {
			r.enum_values.v = e->values.v;
			r.enum_values.n = e->values.n;
		}
		if (!r.enum_values.n) {
			why = xasprintf("it carries no values of enum '%s'",
					qual(0, op->schema, op->name));
		}
		break;
	}
	case MIG_OP_ADD_ENUM_VALUE:
		why = xasprintf("a value cannot be removed from an enum (write the downgrade by "
				"hand)");
		break;
	case MIG_OP_BULK_INSERT:
		why = xasprintf("inserted rows have no known reverse (write the downgrade by "
				"hand)");
		break;
	case MIG_OP_SQL:
		why = xasprintf("raw SQL has no known reverse (write the downgrade by hand)");
		break;
	}
	if (why) {
		rc = cannot(op, why);
		free(why);
	} else {
		mig_oplist_push(out, &r);
		rc = 0;
	}
	mig_vec_free(&as_unique.columns);
	return rc;
}

int mig_oplist_invert(const struct mig_oplist *ops, const struct mig_schema *before,
		      struct mig_oplist *out)
{
	struct mig_schema *s = before ? mig_schema_copy(before) : NULL;
	struct mig_oplist tmp;
	size_t *starts = xcalloc(ops->ops.n + 1, sizeof(*starts));
	int rc = MIG_ERROR;
	mig_oplist_init(&tmp);
	for (size_t i = 0; i < ops->ops.n; i++) {
		starts[i] = tmp.ops.n;
		if (mig_op_invert(&ops->ops.v[i], s, &tmp) < 0) {
			goto done;
		}
		if (s && mig_schema_apply(s, &ops->ops.v[i]) < 0) {
			goto done;
		}
	}
	starts[ops->ops.n] = tmp.ops.n;
	for (size_t i = ops->ops.n; i-- > 0;) {
		for (size_t j = starts[i]; j < starts[i + 1]; j++) {
			mig_oplist_push(out, &tmp.ops.v[j]);
		}
	}
	rc = 0;
done:
	free(starts);
	mig_oplist_release(&tmp);
	mig_schema_free(s);
	return rc;
}
