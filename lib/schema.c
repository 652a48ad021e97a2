/* The schema model: construction, lookup, copies, type parsing and naming
 * conventions. */
#include "migrate/schema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct mig_schema *mig_schema_new(void)
{
	return xcalloc(1, sizeof(struct mig_schema));
}

void mig_column_release(struct mig_column *c)
{
	mig_vec_free(&c->type.enum_values);
}

void mig_table_release(struct mig_table *t)
{
	for (size_t i = 0; i < t->columns.n; i++) {
		mig_column_release(&t->columns.v[i]);
	}
	mig_vec_free(&t->columns);
	mig_vec_free(&t->pk.columns);
	for (size_t i = 0; i < t->indexes.n; i++) {
		mig_vec_free(&t->indexes.v[i].elems);
	}
	mig_vec_free(&t->indexes);
	for (size_t i = 0; i < t->uniques.n; i++) {
		mig_vec_free(&t->uniques.v[i].columns);
	}
	mig_vec_free(&t->uniques);
	for (size_t i = 0; i < t->fks.n; i++) {
		mig_vec_free(&t->fks.v[i].columns);
		mig_vec_free(&t->fks.v[i].ref_columns);
	}
	mig_vec_free(&t->fks);
	mig_vec_free(&t->checks);
}

void mig_schema_free(struct mig_schema *s)
{
	if (!s) {
		return;
	}
	for (size_t i = 0; i < s->tables.n; i++) {
		mig_table_release(&s->tables.v[i]);
	}
	mig_vec_free(&s->tables);
	for (size_t i = 0; i < s->enums.n; i++) {
		mig_vec_free(&s->enums.v[i].values);
	}
	mig_vec_free(&s->enums);
	mig_vec_free(&s->objects);
	mig_strlist_release(&s->warnings);
	mig_arena_release(&s->arena);
	free(s);
}

#define ADUP(s, x) mig_arena_strdup(&(s)->arena, (x))

static void copy_names(struct mig_schema *dst, void *vecp, const void *srcp)
{
	/* both are MIG_VEC(const char *) */
	MIG_VEC(const char *) *out = vecp;
	const MIG_VEC(const char *) *in = srcp;
	out->v = NULL;
	out->n = out->alloc = 0;
	for (size_t i = 0; i < in->n; i++) {
		mig_vec_push(out, ADUP(dst, in->v[i]));
	}
}

static void copy_pos(struct mig_schema *dst, struct mig_pos *out, const struct mig_pos *in)
{
	*out = *in;
	out->file = ADUP(dst, in->file);
}

void mig_column_copy(struct mig_schema *dst, struct mig_column *out, const struct mig_column *src)
{
	*out = *src;
	out->name = ADUP(dst, src->name);
	out->type.raw = ADUP(dst, src->type.raw);
	out->type.enum_name = ADUP(dst, src->type.enum_name);
	copy_names(dst, &out->type.enum_values, &src->type.enum_values);
	out->default_sql = ADUP(dst, src->default_sql);
	out->computed_sql = ADUP(dst, src->computed_sql);
	out->ref_table = ADUP(dst, src->ref_table);
	out->ref_column = ADUP(dst, src->ref_column);
	out->collation = ADUP(dst, src->collation);
	out->comment = ADUP(dst, src->comment);
	out->on_update_sql = ADUP(dst, src->on_update_sql);
	copy_pos(dst, &out->pos, &src->pos);
}

void mig_table_copy(struct mig_schema *dst, struct mig_table *out, const struct mig_table *src)
{
	memset(out, 0, sizeof(*out));
	out->schema = ADUP(dst, src->schema);
	out->name = ADUP(dst, src->name);
	out->comment = ADUP(dst, src->comment);
	out->options = ADUP(dst, src->options);
	copy_pos(dst, &out->pos, &src->pos);
	for (size_t i = 0; i < src->columns.n; i++) {
		struct mig_column c;
		mig_column_copy(dst, &c, &src->columns.v[i]);
		mig_vec_push(&out->columns, c);
	}
	out->pk.name = ADUP(dst, src->pk.name);
	copy_names(dst, &out->pk.columns, &src->pk.columns);
	for (size_t i = 0; i < src->indexes.n; i++) {
		const struct mig_index *si = &src->indexes.v[i];
		struct mig_index ix = *si;
		ix.name = ADUP(dst, si->name);
		ix.where = ADUP(dst, si->where);
		ix.using = ADUP(dst, si->using);
		copy_pos(dst, &ix.pos, &si->pos);
		ix.elems.v = NULL;
		ix.elems.n = ix.elems.alloc = 0;
		for (size_t j = 0; j < si->elems.n; j++) {
			struct mig_index_elem e = si->elems.v[j];
			e.column = ADUP(dst, e.column);
			e.expression = ADUP(dst, e.expression);
			mig_vec_push(&ix.elems, e);
		}
		mig_vec_push(&out->indexes, ix);
	}
	for (size_t i = 0; i < src->uniques.n; i++) {
		const struct mig_unique *su = &src->uniques.v[i];
		struct mig_unique u = *su;
		u.name = ADUP(dst, su->name);
		copy_pos(dst, &u.pos, &su->pos);
		copy_names(dst, &u.columns, &su->columns);
		mig_vec_push(&out->uniques, u);
	}
	for (size_t i = 0; i < src->fks.n; i++) {
		const struct mig_foreign_key *sf = &src->fks.v[i];
		struct mig_foreign_key f = *sf;
		f.name = ADUP(dst, sf->name);
		f.ref_schema = ADUP(dst, sf->ref_schema);
		f.ref_table = ADUP(dst, sf->ref_table);
		f.index = ADUP(dst, sf->index);
		copy_pos(dst, &f.pos, &sf->pos);
		copy_names(dst, &f.columns, &sf->columns);
		copy_names(dst, &f.ref_columns, &sf->ref_columns);
		mig_vec_push(&out->fks, f);
	}
	for (size_t i = 0; i < src->checks.n; i++) {
		struct mig_check c = src->checks.v[i];
		c.name = ADUP(dst, c.name);
		c.sql = ADUP(dst, c.sql);
		c.column = ADUP(dst, c.column);
		copy_pos(dst, &c.pos, &src->checks.v[i].pos);
		mig_vec_push(&out->checks, c);
	}
}

struct mig_schema *mig_schema_copy(const struct mig_schema *s)
{
	struct mig_schema *d = mig_schema_new();
	for (size_t i = 0; i < s->tables.n; i++) {
		struct mig_table t;
		mig_table_copy(d, &t, &s->tables.v[i]);
		mig_vec_push(&d->tables, t);
	}
	for (size_t i = 0; i < s->enums.n; i++) {
		const struct mig_enum *se = &s->enums.v[i];
		struct mig_enum e = *se;
		e.schema = ADUP(d, se->schema);
		e.name = ADUP(d, se->name);
		copy_pos(d, &e.pos, &se->pos);
		copy_names(d, &e.values, &se->values);
		mig_vec_push(&d->enums, e);
	}
	for (size_t i = 0; i < s->objects.n; i++) {
		struct mig_object o = s->objects.v[i];
		o.schema = ADUP(d, o.schema);
		o.name = ADUP(d, o.name);
		o.detail = ADUP(d, o.detail);
		o.sql = ADUP(d, o.sql);
		mig_vec_push(&d->objects, o);
	}
	d->naming.ix = ADUP(d, s->naming.ix);
	d->naming.uq = ADUP(d, s->naming.uq);
	d->naming.ck = ADUP(d, s->naming.ck);
	d->naming.fk = ADUP(d, s->naming.fk);
	d->naming.pk = ADUP(d, s->naming.pk);
	for (size_t i = 0; i < s->warnings.n; i++) {
		mig_strlist_push(&d->warnings, s->warnings.v[i]);
	}
	return d;
}

/* When schema is NULL and name is qualified ("a.b"), split it. */
static void resolve_qual(const char **schema, const char **name, char *buf, size_t bufsz)
{
	if (*schema) {
		return;
	}
	const char *dot = strchr(*name, '.');
	if (!dot || (size_t)(dot - *name) >= bufsz) {
		return;
	}
	memcpy(buf, *name, (size_t)(dot - *name));
	buf[dot - *name] = '\0';
	*schema = buf;
	*name = dot + 1;
}

struct mig_table *mig_schema_find_table(const struct mig_schema *s, const char *schema,
					const char *name)
{
	char buf[256];
	resolve_qual(&schema, &name, buf, sizeof(buf));
	for (size_t i = 0; i < s->tables.n; i++) {
		struct mig_table *t = &s->tables.v[i];
		if (strcmp(t->name, name) == 0 && mig_streq(t->schema, schema)) {
			return t;
		}
	}
	return NULL;
}

struct mig_enum *mig_schema_find_enum(const struct mig_schema *s, const char *schema,
				      const char *name)
{
	char buf[256];
	resolve_qual(&schema, &name, buf, sizeof(buf));
	for (size_t i = 0; i < s->enums.n; i++) {
		struct mig_enum *e = &s->enums.v[i];
		if (strcmp(e->name, name) == 0 && mig_streq(e->schema, schema)) {
			return e;
		}
	}
	return NULL;
}

bool mig_names_equal(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb) {
		return false;
	}
	for (size_t i = 0; i < na; i++) {
		if (!mig_streq(a[i], b[i])) {
			return false;
		}
	}
	return true;
}

bool mig_names_have(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (mig_streq(names[i], name)) {
			return true;
		}
	}
	return false;
}

void mig_table_take_column_fk(struct mig_table *t, struct mig_column *c,
			      struct mig_foreign_key *f)
{
	mig_vec_push(&f->columns, c->name);
	mig_vec_push(&f->ref_columns, c->ref_column);
	f->on_delete = c->on_delete;
	f->on_update = c->on_update;
	f->deferrable = c->deferrable;
	f->initially_deferred = c->initially_deferred;
	mig_vec_push(&t->fks, *f);
	c->ref_table = c->ref_column = NULL;
	c->on_delete = c->on_update = MIG_FK_NONE;
	c->deferrable = c->initially_deferred = false;
}

struct mig_column *mig_table_find_column(const struct mig_table *t, const char *name)
{
	for (size_t i = 0; i < t->columns.n; i++) {
		if (strcmp(t->columns.v[i].name, name) == 0) {
			return &t->columns.v[i];
		}
	}
	return NULL;
}

struct mig_index *mig_table_find_index(const struct mig_table *t, const char *name)
{
	for (size_t i = 0; i < t->indexes.n; i++) {
		if (mig_streq(t->indexes.v[i].name, name)) {
			return &t->indexes.v[i];
		}
	}
	return NULL;
}

struct mig_table *mig_schema_add_table(struct mig_schema *s, const char *schema, const char *name)
{
	struct mig_table t;
	memset(&t, 0, sizeof(t));
	t.schema = ADUP(s, schema);
	t.name = ADUP(s, name);
	mig_vec_push(&s->tables, t);
	return &s->tables.v[s->tables.n - 1];
}

struct mig_enum *mig_schema_add_enum(struct mig_schema *s, const char *schema, const char *name)
{
	struct mig_enum e;
	memset(&e, 0, sizeof(e));
	e.schema = ADUP(s, schema);
	e.name = ADUP(s, name);
	mig_vec_push(&s->enums, e);
	return &s->enums.v[s->enums.n - 1];
}

void mig_schema_remove_table(struct mig_schema *s, size_t i)
{
	mig_table_release(&s->tables.v[i]);
	memmove(&s->tables.v[i], &s->tables.v[i + 1], (s->tables.n - i - 1) * sizeof(s->tables.v[0]));
	s->tables.n--;
}

const char *mig_table_qualname(struct mig_schema *s, const struct mig_table *t)
{
	if (t->schema) {
		return mig_arena_printf(&s->arena, "%s.%s", t->schema, t->name);
	}
	return t->name;
}

void mig_split_qualname(struct mig_arena *a, const char *qual, const char **schema,
			const char **name)
{
	const char *dot = strchr(qual, '.');
	if (!dot) {
		*schema = NULL;
		*name = mig_arena_strdup(a, qual);
		return;
	}
	*schema = mig_arena_strndup(a, qual, (size_t)(dot - qual));
	*name = mig_arena_strdup(a, dot + 1);
}

/* ---- types ---- */

static const struct {
	const char *name;
	enum mig_type_kind kind;
} type_names[] = {
	{ "smallint", MIG_TYPE_SMALLINT },
	{ "int2", MIG_TYPE_SMALLINT },
	{ "integer", MIG_TYPE_INTEGER },
	{ "int", MIG_TYPE_INTEGER },
	{ "int4", MIG_TYPE_INTEGER },
	{ "bigint", MIG_TYPE_BIGINT },
	{ "int8", MIG_TYPE_BIGINT },
	{ "boolean", MIG_TYPE_BOOLEAN },
	{ "bool", MIG_TYPE_BOOLEAN },
	{ "real", MIG_TYPE_REAL },
	{ "float4", MIG_TYPE_REAL },
	{ "float", MIG_TYPE_FLOAT },
	{ "double", MIG_TYPE_FLOAT },
	{ "double precision", MIG_TYPE_FLOAT },
	{ "float8", MIG_TYPE_FLOAT },
	{ "numeric", MIG_TYPE_NUMERIC },
	{ "decimal", MIG_TYPE_NUMERIC },
	{ "varchar", MIG_TYPE_VARCHAR },
	{ "character varying", MIG_TYPE_VARCHAR },
	{ "char", MIG_TYPE_CHAR },
	{ "character", MIG_TYPE_CHAR },
	{ "text", MIG_TYPE_TEXT },
	{ "date", MIG_TYPE_DATE },
	{ "time", MIG_TYPE_TIME },
	{ "time without time zone", MIG_TYPE_TIME },
	{ "timestamp", MIG_TYPE_TIMESTAMP },
	{ "timestamp without time zone", MIG_TYPE_TIMESTAMP },
	{ "datetime", MIG_TYPE_TIMESTAMP },
	{ "timestamptz", MIG_TYPE_TIMESTAMPTZ },
	{ "timestamp with time zone", MIG_TYPE_TIMESTAMPTZ },
	{ "interval", MIG_TYPE_INTERVAL },
	{ "binary", MIG_TYPE_BINARY },
	{ "blob", MIG_TYPE_BINARY },
	{ "bytea", MIG_TYPE_BINARY },
	{ "json", MIG_TYPE_JSON },
	{ "uuid", MIG_TYPE_UUID },
};

static const char *const canonical_names[] = {
	[MIG_TYPE_OTHER] = NULL,
	[MIG_TYPE_SMALLINT] = "smallint",
	[MIG_TYPE_INTEGER] = "integer",
	[MIG_TYPE_BIGINT] = "bigint",
	[MIG_TYPE_BOOLEAN] = "boolean",
	[MIG_TYPE_REAL] = "real",
	[MIG_TYPE_FLOAT] = "float",
	[MIG_TYPE_NUMERIC] = "numeric",
	[MIG_TYPE_VARCHAR] = "varchar",
	[MIG_TYPE_CHAR] = "char",
	[MIG_TYPE_TEXT] = "text",
	[MIG_TYPE_DATE] = "date",
	[MIG_TYPE_TIME] = "time",
	[MIG_TYPE_TIMESTAMP] = "timestamp",
	[MIG_TYPE_TIMESTAMPTZ] = "timestamptz",
	[MIG_TYPE_INTERVAL] = "interval",
	[MIG_TYPE_BINARY] = "binary",
	[MIG_TYPE_JSON] = "json",
	[MIG_TYPE_UUID] = "uuid",
	[MIG_TYPE_ENUM] = NULL,
};

/* Parse "(a)" or "(a, b)" of whole numbers. */
static int parse_params(const char *p, int *a, int *b)
{
	char *end;
	*a = *b = -1;
	while (isspace((unsigned char)*p)) {
		p++;
	}
	if (*p != '(') {
		return -1;
	}
	p++;
	long v = strtol(p, &end, 10);
	if (end == p || v < 0 || v > 1000000000) {
		return -1;
	}
	*a = (int)v;
	p = end;
	while (isspace((unsigned char)*p)) {
		p++;
	}
	if (*p == ',') {
		p++;
		while (isspace((unsigned char)*p)) {
			p++;
		}
		v = strtol(p, &end, 10);
		if (end == p || v < 0 || v > 1000000000) {
			return -1;
		}
		*b = (int)v;
		p = end;
		while (isspace((unsigned char)*p)) {
			p++;
		}
	}
	if (*p != ')') {
		return -1;
	}
	p++;
	while (isspace((unsigned char)*p)) {
		p++;
	}
	return *p ? -1 : 0;
}

int mig_type_parse(struct mig_arena *a, const char *text, struct mig_type *out)
{
	memset(out, 0, sizeof(*out));
	out->length = out->precision = out->scale = -1;
	out->raw = mig_arena_strdup(a, text);
	/* lowercase copy with runs of spaces folded */
	size_t n = strlen(text);
	char *low = xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (isspace(c)) {
			if (j > 0 && low[j - 1] != ' ') {
				low[j++] = ' ';
			}
			continue;
		}
		low[j++] = (char)tolower(c);
	}
	while (j > 0 && low[j - 1] == ' ') {
		j--;
	}
	low[j] = '\0';
	int rc = 0;
	if (j == 0) {
		rc = mig_error(MIG_ECLASS_FILE, "empty type");
		goto done;
	}
	/* split base and "(...)" parameters; suffix words after ')' (e.g.
	 * "timestamp(3) with time zone") are rare: treat as OTHER */
	char *paren = strchr(low, '(');
	size_t baselen = paren ? (size_t)(paren - low) : j;
	while (baselen > 0 && low[baselen - 1] == ' ') {
		baselen--;
	}
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		if (strlen(type_names[i].name) != baselen ||
		    memcmp(type_names[i].name, low, baselen) != 0) {
			continue;
		}
		enum mig_type_kind k = type_names[i].kind;
		if (paren) {
			int p1, p2;
			if (parse_params(paren, &p1, &p2) < 0) {
				if (strchr(paren, ')') && strchr(paren, ')')[1] != '\0') {
					/* "timestamp(3) with time zone" and the like */
					break;
				}
				rc = mig_error(MIG_ECLASS_FILE, "invalid type '%s'", text);
				goto done;
			}
			switch (k) {
			case MIG_TYPE_VARCHAR:
			case MIG_TYPE_CHAR:
			case MIG_TYPE_BINARY:
				if (p2 >= 0) {
					rc = mig_error(MIG_ECLASS_FILE,
						       "invalid type '%s': %s takes one length", text,
						       canonical_names[k]);
					goto done;
				}
				out->length = p1;
				break;
			case MIG_TYPE_NUMERIC:
				out->precision = p1;
				out->scale = p2;
				break;
			case MIG_TYPE_TIME:
			case MIG_TYPE_TIMESTAMP:
			case MIG_TYPE_TIMESTAMPTZ:
			case MIG_TYPE_FLOAT:
				if (p2 >= 0) {
					rc = mig_error(MIG_ECLASS_FILE, "invalid type '%s'", text);
					goto done;
				}
				out->precision = p1;
				break;
			default:
				/* int(11), tinyint(1)-style display widths: keep raw */
				goto other;
			}
		}
		out->kind = k;
		goto done;
	}
other:
	out->kind = MIG_TYPE_OTHER;
	out->length = out->precision = out->scale = -1;
done:
	free(low);
	return rc;
}

void mig_type_format(struct mig_str *out, const struct mig_type *t)
{
	const char *base = canonical_names[t->kind];
	if (t->kind == MIG_TYPE_ENUM) {
		mig_str_add(out, t->enum_name ? t->enum_name : t->raw);
		return;
	}
	if (!base) {
		mig_str_add(out, t->raw ? t->raw : "");
		return;
	}
	mig_str_add(out, base);
	if (t->length >= 0) {
		mig_str_addf(out, "(%d)", t->length);
	} else if (t->precision >= 0 && t->scale >= 0) {
		mig_str_addf(out, "(%d,%d)", t->precision, t->scale);
	} else if (t->precision >= 0) {
		mig_str_addf(out, "(%d)", t->precision);
	}
}

static const char *const fk_actions[] = {
	[MIG_FK_NONE] = NULL,
	[MIG_FK_NO_ACTION] = "no action",
	[MIG_FK_RESTRICT] = "restrict",
	[MIG_FK_CASCADE] = "cascade",
	[MIG_FK_SET_NULL] = "set null",
	[MIG_FK_SET_DEFAULT] = "set default",
};

const char *mig_fk_action_name(enum mig_fk_action a)
{
	return fk_actions[a];
}

int mig_fk_action_parse(const char *text, enum mig_fk_action *out)
{
	char buf[32];
	size_t j = 0;
	for (const char *p = text; *p && j < sizeof(buf) - 1; p++) {
		char c = (char)tolower((unsigned char)*p);
		buf[j++] = (c == '_') ? ' ' : c;
	}
	buf[j] = '\0';
	for (int i = MIG_FK_NO_ACTION; i <= MIG_FK_SET_DEFAULT; i++) {
		if (strcmp(buf, fk_actions[i]) == 0) {
			*out = (enum mig_fk_action)i;
			return 0;
		}
	}
	return mig_error(MIG_ECLASS_FILE,
			 "invalid referential action '%s' (expected cascade, restrict, set null, "
			 "set default or no action)",
			 text);
}

const char *mig_object_kind_name(enum mig_object_kind k)
{
	static const char *const names[] = {
		[MIG_OBJ_VIEW] = "view",
		[MIG_OBJ_MATERIALIZED_VIEW] = "materialized view",
		[MIG_OBJ_SEQUENCE] = "sequence",
		[MIG_OBJ_TRIGGER] = "trigger",
		[MIG_OBJ_FUNCTION] = "function",
		[MIG_OBJ_PROCEDURE] = "procedure",
		[MIG_OBJ_DOMAIN] = "domain",
		[MIG_OBJ_TYPE] = "type",
		[MIG_OBJ_PARTITION] = "partition",
		[MIG_OBJ_INHERITANCE] = "inherited table",
		[MIG_OBJ_EXTENSION] = "extension",
		[MIG_OBJ_OTHER] = "object",
	};
	return names[k];
}

const char *mig_naming_apply(struct mig_arena *a, const char *tmpl, const char *table,
			     const char *const *columns, size_t ncolumns, const char *name,
			     const char *ref_table)
{
	struct mig_str s = MIG_STR_INIT;
	const char *p = tmpl;
	while (*p) {
		if (p[0] == '%' && p[1] == '(') {
			const char *close = strstr(p, ")s");
			if (close) {
				size_t kl = (size_t)(close - (p + 2));
				const char *key = p + 2;
				if (kl == 5 && memcmp(key, "table", 5) == 0) {
					mig_str_add(&s, table ? table : "");
					p = close + 2;
					continue;
				}
				if (kl == 7 && memcmp(key, "columns", 7) == 0) {
					for (size_t i = 0; i < ncolumns; i++) {
						if (i) {
							mig_str_addch(&s, '_');
						}
						mig_str_add(&s, columns[i]);
					}
					p = close + 2;
					continue;
				}
				if (kl == 13 && memcmp(key, "column_0_name", 13) == 0) {
					mig_str_add(&s, ncolumns ? columns[0] : "");
					p = close + 2;
					continue;
				}
				if (kl == 4 && memcmp(key, "name", 4) == 0) {
					mig_str_add(&s, name ? name : "");
					p = close + 2;
					continue;
				}
				if (kl == 9 && memcmp(key, "ref_table", 9) == 0) {
					mig_str_add(&s, ref_table ? ref_table : "");
					p = close + 2;
					continue;
				}
			}
		}
		mig_str_addch(&s, *p++);
	}
	char *r = mig_arena_strndup(a, s.buf, s.len);
	mig_str_release(&s);
	return r;
}
