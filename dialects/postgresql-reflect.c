/* PostgreSQL reflection: the live database read from pg_catalog into the
 * schema model with a fixed number of bulk queries (PG_REFLECT_QUERIES),
 * whatever the number of tables. Objects the model cannot represent are
 * recorded by name and described in the schema's warnings. */
#include "postgresql.h"

#include <stdlib.h>
#include <string.h>

/* In the queries below, {ns} stands for the namespace filter on alias n. */

static const char sql_settings[] =
	"SELECT current_schema(), current_setting('server_version_num')";

/* Tables, partitioned tables, views, materialized views, sequences and
 * foreign tables, in the order of their names as the model writes them. */
static const char sql_relations[] =
	"SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, d.description,"
	" pn.nspname, p.relname,"
	" CASE WHEN i.inhrelid IS NOT NULL THEN"
	"  (SELECT string_agg(qn.nspname || '.' || q.relname, ', ' ORDER BY j.inhseqno)"
	"   FROM pg_inherits j JOIN pg_class q ON q.oid = j.inhparent"
	"   JOIN pg_namespace qn ON qn.oid = q.relnamespace WHERE j.inhrelid = c.oid) END,"
	" CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
	" CASE WHEN c.relkind = 'S' THEN EXISTS ("
	"  SELECT 1 FROM pg_depend dp WHERE dp.classid = 'pg_class'::regclass"
	"  AND dp.objid = c.oid AND dp.refclassid = 'pg_class'::regclass AND dp.refobjsubid > 0"
	"  AND (dp.deptype = 'i' OR (dp.deptype = 'a' AND EXISTS ("
	"   SELECT 1 FROM pg_attrdef ad WHERE ad.adrelid = dp.refobjid"
	"   AND ad.adnum = dp.refobjsubid AND pg_get_expr(ad.adbin, ad.adrelid) ="
	"   'nextval(' || quote_literal(c.oid::regclass::text) || '::regclass)')))) END"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid"
	"  AND d.objsubid = 0"
	" LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhseqno = 1"
	" LEFT JOIN pg_class p ON p.oid = i.inhparent"
	" LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace"
	" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {ns}"
	" AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass"
	"  AND e.objid = c.oid AND e.deptype = 'e')"
	" ORDER BY (CASE WHEN n.nspname = current_schema() THEN '' ELSE n.nspname || '.' END"
	"  || c.relname) COLLATE \"C\"";

enum { REL_OID, REL_NSP, REL_NAME, REL_KIND, REL_ISPART, REL_COMMENT, REL_PARENT_NSP,
       REL_PARENT, REL_PARENTS, REL_PARTKEY, REL_OWNED };

/* Columns of every table, with the sequence behind a serial or identity
 * column when there is one. */
static const char sql_columns[] =
	"SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
	" a.attnotnull,"
	" CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid)"
	"  ELSE pg_get_expr(ad.adbin, ad.adrelid, true) END,"
	" a.attidentity, a.attgenerated,"
	" CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,"
	" ds.description, t.typtype, tn.nspname, t.typname, sq.deptype, sq.seqstart,"
	" sq.seqincrement,"
	" sq.deptype = 'a' AND pg_get_expr(ad.adbin, ad.adrelid) ="
	"  'nextval(' || quote_literal(sq.seqid::regclass::text) || '::regclass)',"
	" CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END"
	" FROM pg_attribute a"
	" JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')"
	"  AND NOT c.relispartition"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_type t ON t.oid = a.atttypid"
	" JOIN pg_namespace tn ON tn.oid = t.typnamespace"
	" LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
	" LEFT JOIN pg_collation co ON co.oid = a.attcollation"
	" LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass"
	"  AND ds.objoid = a.attrelid AND ds.objsubid = a.attnum"
	" LEFT JOIN (SELECT dp.refobjid, dp.refobjsubid, dp.deptype, dp.objid AS seqid,"
	"  s.seqstart, s.seqincrement FROM pg_depend dp JOIN pg_sequence s ON s.seqrelid = dp.objid"
	"  WHERE dp.classid = 'pg_class'::regclass AND dp.refclassid = 'pg_class'::regclass"
	"  AND dp.deptype IN ('a', 'i')) sq"
	"  ON sq.refobjid = a.attrelid AND sq.refobjsubid = a.attnum"
	" WHERE a.attnum > 0 AND NOT a.attisdropped AND {ns}"
	" ORDER BY a.attrelid, a.attnum";

enum { COL_REL, COL_NUM, COL_NAME, COL_TYPE, COL_NOTNULL, COL_EXPR, COL_IDENTITY,
       COL_GENERATED, COL_COLLATION, COL_COMMENT, COL_TYPTYPE, COL_TYPNSP, COL_TYPNAME,
       COL_DEPTYPE, COL_SEQSTART, COL_SEQINCR, COL_SERIAL, COL_DOMAIN_BASE };

/* Primary keys, unique, foreign key, check and exclusion constraints (not the
 * copies that partitioning makes: conparentid = 0). */
static const char sql_constraints[] =
	"SELECT co.conrelid, co.conname, co.contype, co.condeferrable, co.condeferred,"
	" array(SELECT a.attname FROM unnest(co.conkey) WITH ORDINALITY k(attnum, o)"
	"  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum"
	"  ORDER BY k.o),"
	" rn.nspname, rc.relname,"
	" array(SELECT a.attname FROM unnest(co.confkey) WITH ORDINALITY k(attnum, o)"
	"  JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum"
	"  ORDER BY k.o),"
	" co.confupdtype, co.confdeltype,"
	" CASE WHEN co.contype = 'c' THEN pg_get_constraintdef(co.oid, true) END"
	" FROM pg_constraint co"
	" JOIN pg_class c ON c.oid = co.conrelid AND c.relkind IN ('r', 'p')"
	"  AND NOT c.relispartition"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_class rc ON rc.oid = co.confrelid"
	" LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
	" WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND co.conparentid = 0 AND {ns}"
	" ORDER BY co.conrelid, co.conname COLLATE \"C\"";

enum { CON_REL, CON_NAME, CON_TYPE, CON_DEFERRABLE, CON_DEFERRED, CON_COLS, CON_REF_NSP,
       CON_REF_TABLE, CON_REF_COLS, CON_ON_UPDATE, CON_ON_DELETE, CON_CHECK };

/* Indexes that no constraint owns. Per-column expressions only for the
 * indexes that have any. */
static const char sql_indexes[] =
	"SELECT i.indrelid, ic.relname, i.indisunique, am.amname, i.indnkeyatts, i.indnatts,"
	" i.indkey::text, i.indoption::text, pg_get_expr(i.indpred, i.indrelid, true),"
	" CASE WHEN i.indexprs IS NOT NULL THEN array(SELECT pg_get_indexdef(i.indexrelid, k,"
	"  true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k) END,"
	" EXISTS (SELECT 1 FROM pg_opclass oc WHERE oc.oid = ANY (i.indclass)"
	"  AND NOT oc.opcdefault)"
	" FROM pg_index i"
	" JOIN pg_class ic ON ic.oid = i.indexrelid"
	" JOIN pg_class c ON c.oid = i.indrelid AND c.relkind IN ('r', 'p')"
	"  AND NOT c.relispartition"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_am am ON am.oid = ic.relam"
	" WHERE {ns} AND NOT EXISTS (SELECT 1 FROM pg_constraint co"
	"  WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid"
	"  AND co.contype IN ('p', 'u', 'x'))"
	" ORDER BY i.indrelid, ic.relname COLLATE \"C\"";

enum { IX_REL, IX_NAME, IX_UNIQUE, IX_AM, IX_NKEY, IX_NATTS, IX_KEYS, IX_OPTIONS, IX_PRED,
       IX_EXPRS, IX_OPCLASS };

/* Enums (with their labels in order), domains, composite, range and base
 * types, leaving out the members of extensions. */
static const char sql_types[] =
	"SELECT n.nspname, t.typname, t.typtype,"
	" CASE WHEN t.typtype = 'e' THEN array(SELECT e.enumlabel FROM pg_enum e"
	"  WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END"
	" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	" WHERE {ns} AND (t.typtype IN ('e', 'd', 'r')"
	"  OR (t.typtype = 'c' AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid)"
	"   = 'c')"
	"  OR (t.typtype = 'b' AND t.typcategory <> 'A'))"
	" AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass"
	"  AND e.objid = t.oid AND e.deptype = 'e')"
	" ORDER BY (CASE WHEN n.nspname = current_schema() THEN '' ELSE n.nspname || '.' END"
	"  || t.typname) COLLATE \"C\"";

enum { TY_NSP, TY_NAME, TY_TYPE, TY_LABELS };

/* Everything else recorded by name: routines, triggers, rules, policies,
 * extensions and event triggers. {trigger_filter} leaves out the triggers
 * that partitions inherit. */
static const char sql_objects[] =
	"SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'"
	"  ELSE 'function' END, n.nspname, p.proname, NULL, NULL,"
	"  pg_get_function_identity_arguments(p.oid)"
	" FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
	" WHERE {ns} AND NOT EXISTS (SELECT 1 FROM pg_depend e"
	"  WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')"
	" UNION ALL"
	" SELECT 'trigger', n.nspname, t.tgname, c.relname, c.relkind::text, NULL"
	" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE {ns} AND NOT t.tgisinternal AND {trigger_filter}"
	" UNION ALL"
	" SELECT 'rule', n.nspname, r.rulename, c.relname, c.relkind::text, NULL"
	" FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE {ns} AND r.rulename <> '_RETURN'"
	" UNION ALL"
	" SELECT 'policy', n.nspname, pol.polname, c.relname, c.relkind::text, NULL"
	" FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE {ns}"
	" UNION ALL"
	" SELECT 'extension', n.nspname, x.extname, NULL, NULL, NULL"
	" FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace"
	" WHERE x.extname <> 'plpgsql'"
	" UNION ALL"
	" SELECT 'event trigger', NULL, e.evtname, NULL, NULL, NULL FROM pg_event_trigger e";

enum { OB_KIND, OB_NSP, OB_NAME, OB_REL, OB_RELKIND, OB_ARGS };

/* The namespace filters: the current schema only, or every schema that is
 * not the system's (pg_catalog, pg_toast*, pg_temp*, information_schema). */
static const char ns_current[] = "n.nspname = current_schema()";
static const char ns_all[] = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'";

/* Where each reflected table came from. */
struct pg_rel {
	unsigned long oid;
	size_t table; /* index in schema->tables */
};

/* What reflection keeps about a table beside the model. */
struct pg_tinfo {
	MIG_VEC(long) attnums; /* parallel to the table's columns */
	MIG_VEC(bool) serial;  /* the column is a serial (owned sequence default) */
	const char *schema;    /* the real schema name, also for the default schema */
};

/* An object found, with its warning, sorted before both are recorded. */
struct pg_found {
	struct mig_object obj;
	char *warning;
};

struct pg_reflector {
	struct mig_db *db;
	const struct mig_reflect_opts *opts;
	struct mig_schema *s;
	const char *defschema; /* current_schema() */
	long version;          /* server_version_num */
	const char *ns;        /* one of ns_current, ns_all */
	MIG_VEC(struct pg_rel) rels; /* sorted by oid */
	MIG_VEC(struct pg_tinfo) tinfo; /* parallel to schema->tables */
	MIG_VEC(struct pg_found) found;
	struct mig_strlist notes; /* warnings about tables, before the objects' */
};

#define ADUP(r, x) mig_arena_strdup(&(r)->s->arena, (x))

static bool is_true(const char *v)
{
	return v && v[0] == 't' && v[1] == '\0';
}

static const char *nonempty(const char *v)
{
	return v && *v ? v : NULL;
}

/* The query text with every {ns} and {trigger_filter} filled in. */
static char *expand(const struct pg_reflector *r, const char *tmpl)
{
	static const char ns_key[] = "{ns}";
	static const char tf_key[] = "{trigger_filter}";
	const char *tf = r->version >= 130000 ? "t.tgparentid = 0" : "TRUE";
	struct mig_str out = MIG_STR_INIT;
	const char *p = tmpl;
	for (;;) {
		const char *brace = strchr(p, '{');
		if (!brace) {
			mig_str_add(&out, p);
			break;
		}
		mig_str_addn(&out, p, (size_t)(brace - p));
		if (strncmp(brace, ns_key, sizeof(ns_key) - 1) == 0) {
			mig_str_addch(&out, '(');
			mig_str_add(&out, r->ns);
			mig_str_addch(&out, ')');
			p = brace + sizeof(ns_key) - 1;
		} else if (strncmp(brace, tf_key, sizeof(tf_key) - 1) == 0) {
			mig_str_add(&out, tf);
			p = brace + sizeof(tf_key) - 1;
		} else {
			mig_str_addch(&out, '{');
			p = brace + 1;
		}
	}
	return mig_str_detach(&out);
}

static int run(struct pg_reflector *r, const char *tmpl, struct mig_rows *rows)
{
	char *sql = expand(r, tmpl);
	int rc = mig_db_query(r->db, sql, rows);
	free(sql);
	return rc;
}

/* Parse a one-dimensional text array as PostgreSQL prints it ({a,"b c",NULL})
 * into arena strings; NULL elements are left out. */
static void parse_array(struct mig_arena *a, const char *text, void *vecp)
{
	MIG_VEC(const char *) *out = vecp;
	if (!text || *text != '{') {
		return;
	}
	const char *p = text + 1;
	struct mig_str item = MIG_STR_INIT;
	while (*p && *p != '}') {
		mig_str_reset(&item);
		bool quoted = *p == '"';
		if (quoted) {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1]) {
					p++;
				}
				mig_str_addch(&item, *p);
			}
			if (*p == '"') {
				p++;
			}
		} else {
			while (*p && *p != ',' && *p != '}') {
				mig_str_addch(&item, *p++);
			}
		}
		if (quoted || strcmp(item.buf, "NULL") != 0) {
			mig_vec_push(out, mig_arena_strndup(a, item.buf, item.len));
		}
		if (*p == ',') {
			p++;
		}
	}
	mig_str_release(&item);
}

/* Space-separated whole numbers (int2vector text, "1 3 0") into out. */
static void parse_int_vector(const char *text, long *out, size_t max, size_t *n)
{
	*n = 0;
	const char *p = text ? text : "";
	while (*p && *n < max) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p) {
			break;
		}
		out[(*n)++] = v;
		p = end;
	}
}

static int rel_cmp(const void *a, const void *b)
{
	const struct pg_rel *x = a, *y = b;
	return x->oid < y->oid ? -1 : x->oid > y->oid;
}

/* The table index reflected for relation oid, or -1 when it is not one. */
static long find_table(const struct pg_reflector *r, const char *oidtext)
{
	struct pg_rel key = { strtoul(oidtext, NULL, 10), 0 };
	const struct pg_rel *hit = bsearch(&key, r->rels.v, r->rels.n, sizeof(key), rel_cmp);
	return hit ? (long)hit->table : -1;
}

/* "schema.name" for messages: always qualified. */
static char *qual(const char *schema, const char *name)
{
	return schema ? xasprintf("%s.%s", schema, name) : xstrdup(name);
}

/* The schema as the model writes it: NULL for the default schema. */
static const char *model_schema(const struct pg_reflector *r, const char *nsp)
{
	return nsp && strcmp(nsp, r->defschema) != 0 ? ADUP(r, nsp) : NULL;
}

static void add_found(struct pg_reflector *r, enum mig_object_kind kind, const char *schema,
		      const char *name, const char *detail, char *warning)
{
	struct pg_found f;
	f.obj.kind = kind;
	f.obj.schema = ADUP(r, schema);
	f.obj.name = ADUP(r, name);
	f.obj.detail = ADUP(r, detail);
	f.warning = warning;
	mig_vec_push(&r->found, f);
}

/* "<what> 'schema.name' is not represented in the model (ignored by migrate)" */
static void add_ignored(struct pg_reflector *r, enum mig_object_kind kind, const char *what,
			const char *schema, const char *name, const char *detail)
{
	char *q = qual(schema, name);
	add_found(r, kind, schema, name, detail,
		  xasprintf("%s '%s' is not represented in the model (ignored by migrate)", what,
			    q));
	free(q);
}

/* ---- relations ---- */

static int load_relations(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_relations, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *nsp = mig_rows_get(&rows, i, REL_NSP);
		const char *name = mig_rows_get(&rows, i, REL_NAME);
		char kind = mig_rows_get(&rows, i, REL_KIND)[0];
		const char *pnsp = mig_rows_get(&rows, i, REL_PARENT_NSP);
		const char *parent = mig_rows_get(&rows, i, REL_PARENT);
		if (mig_reflect_excluded(r->opts, nsp, name)) {
			continue;
		}
		if (is_true(mig_rows_get(&rows, i, REL_ISPART))) {
			/* one table: its partitions are not tables of their own */
			if (parent && mig_reflect_excluded(r->opts, pnsp, parent)) {
				continue;
			}
			char *pq = qual(pnsp, parent ? parent : "?");
			char *q = qual(nsp, name);
			add_found(r, MIG_OBJ_PARTITION, nsp, name, pq,
				  xasprintf("partition '%s' of table '%s' is not represented in the "
					    "model (ignored by migrate)",
					    q, pq));
			free(pq);
			free(q);
			continue;
		}
		switch (kind) {
		case 'v':
			add_ignored(r, MIG_OBJ_VIEW, "view", nsp, name, NULL);
			continue;
		case 'm':
			add_ignored(r, MIG_OBJ_MATERIALIZED_VIEW, "materialized view", nsp, name,
				    NULL);
			continue;
		case 'S':
			/* a sequence behind a serial or identity column is the column's */
			if (!is_true(mig_rows_get(&rows, i, REL_OWNED))) {
				add_ignored(r, MIG_OBJ_SEQUENCE, "sequence", nsp, name, NULL);
			}
			continue;
		case 'f':
			add_ignored(r, MIG_OBJ_OTHER, "foreign table", nsp, name, "foreign table");
			continue;
		default:
			break;
		}
		struct mig_table *t = mig_schema_add_table(r->s, model_schema(r, nsp), name);
		t->comment = ADUP(r, mig_rows_get(&rows, i, REL_COMMENT));
		struct pg_rel rel = { strtoul(mig_rows_get(&rows, i, REL_OID), NULL, 10),
				      r->s->tables.n - 1 };
		mig_vec_push(&r->rels, rel);
		struct pg_tinfo ti;
		memset(&ti, 0, sizeof(ti));
		ti.schema = ADUP(r, nsp);
		mig_vec_push(&r->tinfo, ti);
		char *q = qual(nsp, name);
		if (kind == 'p') {
			mig_strlist_push_owned(
				&r->notes,
				xasprintf("table '%s' is partitioned (PARTITION BY %s); the "
					  "partitioning is not represented in the model",
					  q, mig_rows_get(&rows, i, REL_PARTKEY)));
		}
		if (parent) {
			const char *parents = mig_rows_get(&rows, i, REL_PARENTS);
			add_found(r, MIG_OBJ_INHERITANCE, nsp, name, parents,
				  xasprintf("table '%s' inherits from '%s': the inheritance is not "
					    "represented in the model (reflected as a plain table)",
					    q, parents));
		}
		free(q);
	}
	qsort(r->rels.v, r->rels.n, sizeof(r->rels.v[0]), rel_cmp);
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- columns ---- */

/* The generic spelling of the types format_type() writes with a precision
 * before "with(out) time zone"; other types are parsed as they are. */
static char *generic_spelling(const char *pg)
{
	static const struct {
		const char *prefix, *suffix, *generic;
	} forms[] = {
		{ "timestamp(", ") without time zone", "timestamp" },
		{ "timestamp(", ") with time zone", "timestamptz" },
		{ "time(", ") without time zone", "time" },
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t pl = strlen(forms[i].prefix), sl = strlen(forms[i].suffix);
		size_t n = strlen(pg);
		if (n > pl + sl && strncmp(pg, forms[i].prefix, pl) == 0 &&
		    strcmp(pg + n - sl, forms[i].suffix) == 0) {
			return xasprintf("%s(%.*s)", forms[i].generic, (int)(n - pl - sl), pg + pl);
		}
	}
	return xstrdup(pg);
}

/* The generic type a format_type() text stands for, or MIG_TYPE_OTHER. */
static void parse_generic(struct pg_reflector *r, const char *pgtext, struct mig_type *out)
{
	char *generic = generic_spelling(pgtext);
	struct mig_type t;
	if (mig_type_parse(&r->s->arena, generic, &t) == 0 && t.kind != MIG_TYPE_OTHER) {
		*out = t;
	}
	free(generic);
	mig_error_clear();
}

static void map_type(struct pg_reflector *r, const char *pgtext, char typtype, const char *typnsp,
		     const char *typname, struct mig_type *out)
{
	memset(out, 0, sizeof(*out));
	out->length = out->precision = out->scale = -1;
	if (typtype == 'e') {
		out->kind = MIG_TYPE_ENUM;
		out->enum_name = strcmp(typnsp, r->defschema) == 0
					 ? ADUP(r, typname)
					 : mig_arena_printf(&r->s->arena, "%s.%s", typnsp, typname);
		out->raw = out->enum_name;
		return;
	}
	if (strcmp(typnsp, "pg_catalog") == 0) {
		parse_generic(r, pgtext, out);
	}
	out->raw = ADUP(r, pgtext);
}

/* A column type that model files cannot declare: a domain becomes its base
 * type, anything else stays as it is; either way a warning says so. */
static void check_type(struct pg_reflector *r, size_t ti, struct mig_column *c,
		       const char *domain_base)
{
	if (mig_model_type_known(r->s, &c->type)) {
		return;
	}
	char *q = qual(r->tinfo.v[ti].schema, r->s->tables.v[ti].name);
	if (domain_base) {
		mig_strlist_push_owned(&r->notes,
				       xasprintf("column '%s' of table '%s' has the domain type '%s': "
						 "reflected as its base type %s (domains are not "
						 "represented in the model)",
						 c->name, q, c->type.raw, domain_base));
		memset(&c->type, 0, sizeof(c->type));
		c->type.length = c->type.precision = c->type.scale = -1;
		parse_generic(r, domain_base, &c->type);
		c->type.raw = ADUP(r, domain_base);
	} else {
		mig_strlist_push_owned(&r->notes,
				       xasprintf("column '%s' of table '%s' has the type '%s' that "
						 "model files do not accept yet",
						 c->name, q, c->type.raw));
	}
	free(q);
}

static int load_columns(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_columns, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		long ti = find_table(r, mig_rows_get(&rows, i, COL_REL));
		if (ti < 0) {
			continue;
		}
		struct mig_table *t = &r->s->tables.v[ti];
		struct pg_tinfo *info = &r->tinfo.v[ti];
		long attnum = strtol(mig_rows_get(&rows, i, COL_NUM), NULL, 10);
		bool serial = is_true(mig_rows_get(&rows, i, COL_SERIAL));
		const char *deptype = mig_rows_get(&rows, i, COL_DEPTYPE);
		if (info->attnums.n && info->attnums.v[info->attnums.n - 1] == attnum) {
			/* a column that owns several sequences: the serial one counts */
			if (serial) {
				info->serial.v[info->serial.n - 1] = true;
				t->columns.v[t->columns.n - 1].default_sql = NULL;
			}
			continue;
		}
		struct mig_column c;
		memset(&c, 0, sizeof(c));
		c.name = ADUP(r, mig_rows_get(&rows, i, COL_NAME));
		map_type(r, mig_rows_get(&rows, i, COL_TYPE), mig_rows_get(&rows, i, COL_TYPTYPE)[0],
			 mig_rows_get(&rows, i, COL_TYPNSP), mig_rows_get(&rows, i, COL_TYPNAME),
			 &c.type);
		c.nullable = !is_true(mig_rows_get(&rows, i, COL_NOTNULL));
		const char *expr = mig_rows_get(&rows, i, COL_EXPR);
		const char *generated = nonempty(mig_rows_get(&rows, i, COL_GENERATED));
		const char *identity = nonempty(mig_rows_get(&rows, i, COL_IDENTITY));
		if (generated) {
			c.computed_sql = ADUP(r, expr);
			c.computed_stored = generated[0] == 's';
		} else if (!serial) {
			c.default_sql = ADUP(r, expr);
		}
		if (identity) {
			c.identity = true;
			c.identity_always = identity[0] == 'a';
			if (deptype && deptype[0] == 'i') {
				long long start = strtoll(mig_rows_get(&rows, i, COL_SEQSTART), NULL,
							  10);
				long long incr = strtoll(mig_rows_get(&rows, i, COL_SEQINCR), NULL,
							 10);
				/* the defaults: 1 and 1, or -1 and -1 going down */
				if (incr != 1) {
					c.identity_increment = incr;
				}
				if (start != (incr < 0 ? -1 : 1)) {
					c.identity_start = start;
				}
			}
		}
		check_type(r, (size_t)ti, &c, mig_rows_get(&rows, i, COL_DOMAIN_BASE));
		c.collation = ADUP(r, mig_rows_get(&rows, i, COL_COLLATION));
		c.comment = ADUP(r, mig_rows_get(&rows, i, COL_COMMENT));
		mig_vec_push(&t->columns, c);
		mig_vec_push(&info->attnums, attnum);
		mig_vec_push(&info->serial, serial);
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- constraints ---- */

static enum mig_fk_action fk_action(const char *code)
{
	switch (code ? code[0] : 'a') {
	case 'r':
		return MIG_FK_RESTRICT;
	case 'c':
		return MIG_FK_CASCADE;
	case 'n':
		return MIG_FK_SET_NULL;
	case 'd':
		return MIG_FK_SET_DEFAULT;
	default:
		return MIG_FK_NONE; /* NO ACTION, the default */
	}
}

/* The expression inside "CHECK (…)" as pg_get_constraintdef() writes it. */
static const char *check_expression(struct pg_reflector *r, const char *def)
{
	static const char prefix[] = "CHECK (";
	if (strncmp(def, prefix, sizeof(prefix) - 1) != 0) {
		return ADUP(r, def);
	}
	const char *start = def + sizeof(prefix) - 1;
	int depth = 1;
	char quote = 0; /* inside a '…' literal or a "…" identifier */
	const char *p = start;
	for (; *p; p++) {
		if (quote) {
			quote = *p == quote ? 0 : quote;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			break;
		}
	}
	return mig_arena_strndup(&r->s->arena, start, (size_t)(p - start));
}

static int load_constraints(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_constraints, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		long ti = find_table(r, mig_rows_get(&rows, i, CON_REL));
		if (ti < 0) {
			continue;
		}
		struct mig_table *t = &r->s->tables.v[ti];
		const char *name = mig_rows_get(&rows, i, CON_NAME);
		const char *cols = mig_rows_get(&rows, i, CON_COLS);
		bool deferrable = is_true(mig_rows_get(&rows, i, CON_DEFERRABLE));
		switch (mig_rows_get(&rows, i, CON_TYPE)[0]) {
		case 'p':
			t->pk.name = ADUP(r, name);
			parse_array(&r->s->arena, cols, &t->pk.columns);
			for (size_t k = 0; k < t->pk.columns.n; k++) {
				struct mig_column *c = mig_table_find_column(t, t->pk.columns.v[k]);
				if (c) {
					c->primary_key = true;
					c->nullable = false;
				}
			}
			break;
		case 'u': {
			struct mig_unique u;
			memset(&u, 0, sizeof(u));
			u.name = ADUP(r, name);
			parse_array(&r->s->arena, cols, &u.columns);
			u.deferrable = deferrable;
			mig_vec_push(&t->uniques, u);
			break;
		}
		case 'f': {
			struct mig_foreign_key f;
			memset(&f, 0, sizeof(f));
			f.name = ADUP(r, name);
			parse_array(&r->s->arena, cols, &f.columns);
			f.ref_schema = model_schema(r, mig_rows_get(&rows, i, CON_REF_NSP));
			f.ref_table = ADUP(r, mig_rows_get(&rows, i, CON_REF_TABLE));
			parse_array(&r->s->arena, mig_rows_get(&rows, i, CON_REF_COLS),
				    &f.ref_columns);
			f.on_update = fk_action(mig_rows_get(&rows, i, CON_ON_UPDATE));
			f.on_delete = fk_action(mig_rows_get(&rows, i, CON_ON_DELETE));
			f.deferrable = deferrable;
			f.initially_deferred = is_true(mig_rows_get(&rows, i, CON_DEFERRED));
			mig_vec_push(&t->fks, f);
			break;
		}
		case 'c': {
			struct mig_check c;
			memset(&c, 0, sizeof(c));
			c.name = ADUP(r, name);
			c.sql = check_expression(r, mig_rows_get(&rows, i, CON_CHECK));
			mig_vec_push(&t->checks, c);
			break;
		}
		default: {
			const char *schema = r->tinfo.v[ti].schema;
			char *q = qual(schema, t->name);
			char *detail = xasprintf("exclusion constraint on %s", q);
			add_found(r, MIG_OBJ_OTHER, schema, name, detail,
				  xasprintf("exclusion constraint '%s' on table '%s' is not "
					    "represented in the model (ignored by migrate)",
					    name, q));
			free(detail);
			free(q);
			break;
		}
		}
	}
done:
	mig_rows_release(&rows);
	return rc;
}

static bool integer_kind(enum mig_type_kind k)
{
	return k == MIG_TYPE_SMALLINT || k == MIG_TYPE_INTEGER || k == MIG_TYPE_BIGINT;
}

/* The model's rule: a single integer primary key autoincrements unless told
 * otherwise. Say so wherever the database disagrees. */
static void settle_autoincrement(struct pg_reflector *r)
{
	for (size_t i = 0; i < r->s->tables.n; i++) {
		struct mig_table *t = &r->s->tables.v[i];
		const struct pg_tinfo *info = &r->tinfo.v[i];
		for (size_t k = 0; k < t->columns.n; k++) {
			struct mig_column *c = &t->columns.v[k];
			bool automatic = t->pk.columns.n == 1 &&
					 strcmp(t->pk.columns.v[0], c->name) == 0 &&
					 integer_kind(c->type.kind);
			if (info->serial.v[k]) {
				c->autoincrement = automatic ? MIG_UNSET : MIG_TRUE;
			} else if (automatic && !c->identity) {
				c->autoincrement = MIG_FALSE;
			}
		}
	}
}

/* ---- indexes ---- */

static int load_indexes(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_indexes, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		long ti = find_table(r, mig_rows_get(&rows, i, IX_REL));
		if (ti < 0) {
			continue;
		}
		struct mig_table *t = &r->s->tables.v[ti];
		const struct pg_tinfo *info = &r->tinfo.v[ti];
		long keys[64], options[64];
		size_t nkeys, noptions;
		long nkeyatts = strtol(mig_rows_get(&rows, i, IX_NKEY), NULL, 10);
		long natts = strtol(mig_rows_get(&rows, i, IX_NATTS), NULL, 10);
		parse_int_vector(mig_rows_get(&rows, i, IX_KEYS), keys, 64, &nkeys);
		parse_int_vector(mig_rows_get(&rows, i, IX_OPTIONS), options, 64, &noptions);
		MIG_VEC(const char *) exprs = { 0 };
		parse_array(&r->s->arena, mig_rows_get(&rows, i, IX_EXPRS), &exprs);
		struct mig_index ix;
		memset(&ix, 0, sizeof(ix));
		ix.name = ADUP(r, mig_rows_get(&rows, i, IX_NAME));
		ix.unique = is_true(mig_rows_get(&rows, i, IX_UNIQUE));
		ix.where = ADUP(r, mig_rows_get(&rows, i, IX_PRED));
		const char *am = mig_rows_get(&rows, i, IX_AM);
		ix.using = strcmp(am, "btree") != 0 ? ADUP(r, am) : NULL;
		bool nulls_odd = false;
		for (long k = 0; k < nkeyatts && (size_t)k < nkeys; k++) {
			struct mig_index_elem e = { NULL, NULL, false };
			long opt = (size_t)k < noptions ? options[k] : 0;
			e.desc = (opt & 1) != 0;
			/* NULLS FIRST is the default for DESC, NULLS LAST for ASC */
			nulls_odd |= ((opt & 2) != 0) != e.desc;
			if (keys[k] == 0 && (size_t)k < exprs.n) {
				e.expression = exprs.v[k];
			}
			for (size_t c = 0; keys[k] != 0 && c < info->attnums.n; c++) {
				if (info->attnums.v[c] == keys[k]) {
					e.column = t->columns.v[c].name;
				}
			}
			if (!e.column && !e.expression) {
				e.expression = "?";
			}
			mig_vec_push(&ix.elems, e);
		}
		mig_vec_free(&exprs);
		mig_vec_push(&t->indexes, ix);
		const char *lost[3];
		size_t nlost = 0;
		if (natts > nkeyatts) {
			lost[nlost++] = "INCLUDE columns";
		}
		if (nulls_odd) {
			lost[nlost++] = "NULLS FIRST/LAST ordering";
		}
		if (is_true(mig_rows_get(&rows, i, IX_OPCLASS))) {
			lost[nlost++] = "operator classes";
		}
		if (nlost) {
			struct mig_str msg = MIG_STR_INIT;
			char *q = qual(info->schema, t->name);
			mig_str_addf(&msg, "index '%s' on table '%s' uses ", ix.name, q);
			for (size_t k = 0; k < nlost; k++) {
				mig_str_addf(&msg, "%s%s", k == 0 ? "" : k + 1 == nlost ? " and " : ", ",
					     lost[k]);
			}
			mig_str_add(&msg, " that the model does not represent (reflected without "
					  "them)");
			mig_strlist_push_owned(&r->notes, mig_str_detach(&msg));
			free(q);
		}
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- types ---- */

static int load_types(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_types, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *nsp = mig_rows_get(&rows, i, TY_NSP);
		const char *name = mig_rows_get(&rows, i, TY_NAME);
		switch (mig_rows_get(&rows, i, TY_TYPE)[0]) {
		case 'e': {
			struct mig_enum *e = mig_schema_add_enum(r->s, model_schema(r, nsp), name);
			parse_array(&r->s->arena, mig_rows_get(&rows, i, TY_LABELS), &e->values);
			break;
		}
		case 'd':
			add_ignored(r, MIG_OBJ_DOMAIN, "domain", nsp, name, NULL);
			break;
		case 'r':
			add_ignored(r, MIG_OBJ_TYPE, "range type", nsp, name, "range");
			break;
		case 'c':
			add_ignored(r, MIG_OBJ_TYPE, "composite type", nsp, name, "composite");
			break;
		default:
			add_ignored(r, MIG_OBJ_TYPE, "type", nsp, name, "base");
			break;
		}
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- other objects ---- */

static const char *relkind_noun(const char *relkind)
{
	switch (relkind ? relkind[0] : 'r') {
	case 'v':
		return "view";
	case 'm':
		return "materialized view";
	case 'f':
		return "foreign table";
	default:
		return "table";
	}
}

static int load_objects(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_objects, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *what = mig_rows_get(&rows, i, OB_KIND);
		const char *nsp = mig_rows_get(&rows, i, OB_NSP);
		const char *name = mig_rows_get(&rows, i, OB_NAME);
		const char *rel = mig_rows_get(&rows, i, OB_REL);
		if (rel) {
			/* triggers, rules and policies of a relation left out go with it */
			if (mig_reflect_excluded(r->opts, nsp, rel)) {
				continue;
			}
			char *q = qual(nsp, rel);
			const char *noun = relkind_noun(mig_rows_get(&rows, i, OB_RELKIND));
			enum mig_object_kind kind =
				strcmp(what, "trigger") == 0 ? MIG_OBJ_TRIGGER : MIG_OBJ_OTHER;
			char *detail = kind == MIG_OBJ_TRIGGER ? xstrdup(q)
							       : xasprintf("%s on %s", what, q);
			add_found(r, kind, nsp, name, detail,
				  xasprintf("%s '%s' on %s '%s' is not represented in the model "
					    "(ignored by migrate)",
					    what, name, noun, q));
			free(detail);
			free(q);
		} else if (strcmp(what, "extension") == 0) {
			add_found(r, MIG_OBJ_EXTENSION, nsp, name, NULL,
				  xasprintf("extension '%s' is not represented in the model "
					    "(ignored by migrate)",
					    name));
		} else if (strcmp(what, "event trigger") == 0) {
			add_found(r, MIG_OBJ_TRIGGER, NULL, name, "event trigger",
				  xasprintf("event trigger '%s' is not represented in the model "
					    "(ignored by migrate)",
					    name));
		} else {
			enum mig_object_kind kind = strcmp(what, "procedure") == 0
							    ? MIG_OBJ_PROCEDURE
							    : MIG_OBJ_FUNCTION;
			add_ignored(r, kind, what, nsp, name,
				    nonempty(mig_rows_get(&rows, i, OB_ARGS)));
		}
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- putting it together ---- */

static int cmp_opt(const char *a, const char *b)
{
	if (!a || !b) {
		return (a != NULL) - (b != NULL);
	}
	return strcmp(a, b);
}

static int found_cmp(const void *a, const void *b)
{
	const struct pg_found *x = a, *y = b;
	int d;
	if (x->obj.kind != y->obj.kind) {
		return x->obj.kind < y->obj.kind ? -1 : 1;
	}
	if ((d = cmp_opt(x->obj.schema, y->obj.schema)) != 0) {
		return d;
	}
	if ((d = strcmp(x->obj.name, y->obj.name)) != 0) {
		return d;
	}
	return cmp_opt(x->obj.detail, y->obj.detail);
}

/* Objects in a fixed order (kind, schema, name), then the warnings: those
 * about tables first, then one per object, each text once (overloaded
 * functions share theirs). */
static void record_found(struct pg_reflector *r)
{
	qsort(r->found.v, r->found.n, sizeof(r->found.v[0]), found_cmp);
	for (size_t i = 0; i < r->notes.n; i++) {
		mig_strlist_push(&r->s->warnings, r->notes.v[i]);
	}
	for (size_t i = 0; i < r->found.n; i++) {
		mig_vec_push(&r->s->objects, r->found.v[i].obj);
		if (!mig_strlist_has(&r->s->warnings, r->found.v[i].warning)) {
			mig_strlist_push(&r->s->warnings, r->found.v[i].warning);
		}
	}
}

static int load_settings(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = mig_db_query(r->db, sql_settings, &rows);
	if (rc < 0) {
		goto done;
	}
	const char *cur = rows.nrows ? mig_rows_get(&rows, 0, 0) : NULL;
	/* an empty search_path has no current schema: public is what users mean */
	r->defschema = ADUP(r, cur ? cur : "public");
	r->version = rows.nrows ? strtol(mig_rows_get(&rows, 0, 1), NULL, 10) : 0;
	if (r->version < 120000) {
		rc = mig_error(MIG_ECLASS_DB,
			       "reflection needs PostgreSQL 12 or later (the server is version %ld)",
			       r->version);
	}
done:
	mig_rows_release(&rows);
	return rc;
}

int pg_reflect(struct mig_db *db, const struct mig_reflect_opts *opts, struct mig_schema **out)
{
	struct pg_reflector r;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.opts = opts;
	r.s = mig_schema_new();
	r.ns = opts && opts->include_schemas ? ns_all : ns_current;
	int rc;
	if ((rc = load_settings(&r)) < 0 || (rc = load_relations(&r)) < 0 ||
	    (rc = load_columns(&r)) < 0 || (rc = load_constraints(&r)) < 0) {
		goto done;
	}
	settle_autoincrement(&r);
	if ((rc = load_indexes(&r)) < 0 || (rc = load_types(&r)) < 0 ||
	    (rc = load_objects(&r)) < 0) {
		goto done;
	}
	record_found(&r);
done:
	for (size_t i = 0; i < r.tinfo.n; i++) {
		mig_vec_free(&r.tinfo.v[i].attnums);
		mig_vec_free(&r.tinfo.v[i].serial);
	}
	mig_vec_free(&r.tinfo);
	mig_vec_free(&r.rels);
	for (size_t i = 0; i < r.found.n; i++) {
		free(r.found.v[i].warning);
	}
	mig_vec_free(&r.found);
	mig_strlist_release(&r.notes);
	if (rc < 0) {
		mig_schema_free(r.s);
		return rc;
	}
	*out = r.s;
	return 0;
}
