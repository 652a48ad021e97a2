/* A plain-text dump of a struct mig_schema, every field that is set, for
 * tests that assert an exact schema independently of the model writer.
 * Included by the tests that need it. */
#ifndef MIG_TEST_SCHEMA_DUMP_H
#define MIG_TEST_SCHEMA_DUMP_H

#include "migrate.h"

static const char *dump_kind(enum mig_type_kind k)
{
	static const char *const names[] = {
		"OTHER",       "SMALLINT", "INTEGER", "BIGINT", "BOOLEAN", "REAL", "FLOAT",
		"NUMERIC",     "VARCHAR",  "CHAR",    "TEXT",   "DATE",    "TIME", "TIMESTAMP",
		"TIMESTAMPTZ", "INTERVAL", "BINARY",  "JSON",   "UUID",    "ENUM",
	};
	return names[k];
}

static void dump_names(struct mig_str *out, const char *const *v, size_t n)
{
	mig_str_addch(out, '(');
	for (size_t i = 0; i < n; i++) {
		mig_str_addf(out, "%s%s", i ? ", " : "", v[i]);
	}
	mig_str_addch(out, ')');
}

static void dump_pos(struct mig_str *out, const struct mig_pos *p, bool with_pos)
{
	if (with_pos && p->file) {
		mig_str_addf(out, " @%s:%u:%u", p->file, p->line, p->column);
	}
}

static void dump_fk_tail(struct mig_str *out, enum mig_fk_action del, enum mig_fk_action upd,
			 bool deferrable, bool initially_deferred)
{
	if (del) {
		mig_str_addf(out, " on delete %s", mig_fk_action_name(del));
	}
	if (upd) {
		mig_str_addf(out, " on update %s", mig_fk_action_name(upd));
	}
	if (deferrable) {
		mig_str_add(out, " deferrable");
	}
	if (initially_deferred) {
		mig_str_add(out, " initially deferred");
	}
}

static void dump_column(struct mig_str *out, const struct mig_column *c, bool with_pos)
{
	const struct mig_type *t = &c->type;
	mig_str_addf(out, "  column %s: %s", c->name, dump_kind(t->kind));
	if (t->length >= 0) {
		mig_str_addf(out, " len=%d", t->length);
	}
	if (t->precision >= 0) {
		mig_str_addf(out, " prec=%d", t->precision);
	}
	if (t->scale >= 0) {
		mig_str_addf(out, " scale=%d", t->scale);
	}
	if (with_pos || t->kind == MIG_TYPE_OTHER || t->kind == MIG_TYPE_ENUM) {
		/* the text of a generic type matters only where it came from */
		mig_str_addf(out, " raw=\"%s\"", t->raw ? t->raw : "(null)");
	}
	if (t->enum_name) {
		mig_str_addf(out, " enum=%s", t->enum_name);
	}
	if (t->enum_values.n) {
		mig_str_add(out, " values=");
		dump_names(out, t->enum_values.v, t->enum_values.n);
	}
	mig_str_add(out, c->nullable ? " null" : " not-null");
	if (c->primary_key) {
		mig_str_add(out, " pk");
	}
	if (c->unique) {
		mig_str_add(out, " unique");
	}
	if (c->index) {
		mig_str_add(out, " index");
	}
	if (c->default_sql) {
		mig_str_addf(out, " default=[%s]", c->default_sql);
	}
	if (c->autoincrement) {
		mig_str_addf(out, " autoincrement=%s",
			     c->autoincrement == MIG_TRUE ? "true" : "false");
	}
	if (c->identity) {
		mig_str_addf(out, " identity(%s start=%lld increment=%lld)",
			     c->identity_always ? "always" : "by default", c->identity_start,
			     c->identity_increment);
	}
	if (c->computed_sql) {
		mig_str_addf(out, " computed=[%s]%s", c->computed_sql,
			     c->computed_stored ? " stored" : " virtual");
	}
	if (c->ref_table) {
		mig_str_addf(out, " references=%s.%s", c->ref_table, c->ref_column);
		dump_fk_tail(out, c->on_delete, c->on_update, c->deferrable, c->initially_deferred);
	}
	if (c->collation) {
		mig_str_addf(out, " collate=%s", c->collation);
	}
	if (c->comment) {
		mig_str_addf(out, " comment=[%s]", c->comment);
	}
	if (c->on_update_sql) {
		mig_str_addf(out, " on-update=[%s]", c->on_update_sql);
	}
	dump_pos(out, &c->pos, with_pos);
	mig_str_addch(out, '\n');
}

static void dump_table(struct mig_str *out, const struct mig_table *t, bool with_pos)
{
	mig_str_addf(out, "table %s%s%s", t->schema ? t->schema : "", t->schema ? "." : "",
		     t->name);
	if (t->comment) {
		mig_str_addf(out, " comment=[%s]", t->comment);
	}
	if (t->options) {
		mig_str_addf(out, " options=[%s]", t->options);
	}
	dump_pos(out, &t->pos, with_pos);
	mig_str_addch(out, '\n');
	for (size_t i = 0; i < t->columns.n; i++) {
		dump_column(out, &t->columns.v[i], with_pos);
	}
	if (t->pk.columns.n) {
		mig_str_addf(out, "  primary key %s ", t->pk.name ? t->pk.name : "-");
		dump_names(out, t->pk.columns.v, t->pk.columns.n);
		mig_str_addch(out, '\n');
	}
	for (size_t i = 0; i < t->indexes.n; i++) {
		const struct mig_index *ix = &t->indexes.v[i];
		mig_str_addf(out, "  %sindex %s (", ix->unique ? "unique " : "",
			     ix->name ? ix->name : "-");
		for (size_t j = 0; j < ix->elems.n; j++) {
			const struct mig_index_elem *e = &ix->elems.v[j];
			if (e->column) {
				mig_str_addf(out, "%s%s", j ? ", " : "", e->column);
			} else {
				mig_str_addf(out, "%s[%s]", j ? ", " : "", e->expression);
			}
			if (e->desc) {
				mig_str_add(out, " desc");
			}
		}
		mig_str_addch(out, ')');
		if (ix->where) {
			mig_str_addf(out, " where [%s]", ix->where);
		}
		if (ix->using) {
			mig_str_addf(out, " using %s", ix->using);
		}
		dump_pos(out, &ix->pos, with_pos);
		mig_str_addch(out, '\n');
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		const struct mig_unique *u = &t->uniques.v[i];
		mig_str_addf(out, "  unique %s ", u->name ? u->name : "-");
		dump_names(out, u->columns.v, u->columns.n);
		if (u->deferrable) {
			mig_str_add(out, " deferrable");
		}
		dump_pos(out, &u->pos, with_pos);
		mig_str_addch(out, '\n');
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		const struct mig_foreign_key *f = &t->fks.v[i];
		mig_str_addf(out, "  foreign key %s ", f->name ? f->name : "-");
		dump_names(out, f->columns.v, f->columns.n);
		mig_str_addf(out, " -> %s%s%s ", f->ref_schema ? f->ref_schema : "",
			     f->ref_schema ? "." : "", f->ref_table);
		dump_names(out, f->ref_columns.v, f->ref_columns.n);
		dump_fk_tail(out, f->on_delete, f->on_update, f->deferrable, f->initially_deferred);
		dump_pos(out, &f->pos, with_pos);
		mig_str_addch(out, '\n');
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		const struct mig_check *c = &t->checks.v[i];
		mig_str_addf(out, "  check %s [%s]", c->name ? c->name : "-", c->sql);
		dump_pos(out, &c->pos, with_pos);
		mig_str_addch(out, '\n');
	}
}

/* The whole schema; with_pos adds where things came from: positions
 * (file:line:column) and the raw text of generic types. */
static void dump_schema(struct mig_str *out, const struct mig_schema *s, bool with_pos)
{
	const struct mig_naming_convention *nc = &s->naming;
	const char *keys[] = { "ix", "uq", "ck", "fk", "pk" };
	const char *vals[] = { nc->ix, nc->uq, nc->ck, nc->fk, nc->pk };
	for (size_t i = 0; i < 5; i++) {
		if (vals[i]) {
			mig_str_addf(out, "naming %s=%s\n", keys[i], vals[i]);
		}
	}
	for (size_t i = 0; i < s->enums.n; i++) {
		const struct mig_enum *e = &s->enums.v[i];
		mig_str_addf(out, "enum %s%s%s ", e->schema ? e->schema : "", e->schema ? "." : "",
			     e->name);
		dump_names(out, e->values.v, e->values.n);
		dump_pos(out, &e->pos, with_pos);
		mig_str_addch(out, '\n');
	}
	for (size_t i = 0; i < s->tables.n; i++) {
		dump_table(out, &s->tables.v[i], with_pos);
	}
	for (size_t i = 0; i < s->objects.n; i++) {
		const struct mig_object *o = &s->objects.v[i];
		mig_str_addf(out, "object %s %s%s%s", mig_object_kind_name(o->kind),
			     o->schema ? o->schema : "", o->schema ? "." : "", o->name);
		if (o->detail) {
			mig_str_addf(out, " (%s)", o->detail);
		}
		mig_str_addch(out, '\n');
	}
	for (size_t i = 0; i < s->warnings.n; i++) {
		mig_str_addf(out, "warning: %s\n", s->warnings.v[i]);
	}
}

#endif
