/* PostgreSQL reflection: the live database read from pg_catalog into the
 * schema model with a fixed number of bulk queries (PG_REFLECT_QUERIES),
 * whatever the number of tables. Objects the model cannot represent are
 * recorded by name and described in the schema's warnings. */
#include "postgresql.h"

#include <stdlib.h>
#include <string.h>

/* In the queries below, {ns} stands for the namespace filter on alias n and
 * {rns} for the same filter on alias rn. No query sorts what C sorts anyway,
 * and no per-row function needs a relation's cache entry where it can be
 * helped (pg_get_expr of a default gets no relation: defaults have no column
 * references), so that the cost grows with the rows, not with the tables. */

/* The default schema, the server version, the operator classes that are no
 * type's default (an index using one is reported), and whether there is
 * nothing to read: no relation, type or routine in the schemas read, no
 * extension but plpgsql, no event trigger (a new database, read in one
 * query instead of PG_REFLECT_QUERIES). */
static const char sql_settings[] =
	"SELECT current_schema(), current_setting('server_version_num'),"
	" array(SELECT oc.oid FROM pg_opclass oc WHERE NOT oc.opcdefault ORDER BY oc.oid),"
	" NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	"  WHERE {ns})"
	" AND NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	"  WHERE {ns})"
	" AND NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
	"  WHERE {ns})"
	" AND NOT EXISTS (SELECT 1 FROM pg_extension x WHERE x.extname <> 'plpgsql')"
	" AND NOT EXISTS (SELECT 1 FROM pg_event_trigger)";

enum { SET_SCHEMA, SET_VERSION, SET_OPCLASSES, SET_EMPTY };

/* Tables, partitioned tables, views, materialized views, sequences (with the
 * column that owns them) and foreign tables, in the order of their names as
 * the model writes them. */
static const char sql_relations[] =
	"SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, pn.nspname, p.relname,"
	" CASE WHEN i.inhrelid IS NOT NULL THEN"
	"  (SELECT string_agg(qn.nspname || '.' || q.relname, ', ' ORDER BY j.inhseqno)"
	"   FROM pg_inherits j JOIN pg_class q ON q.oid = j.inhparent"
	"   JOIN pg_namespace qn ON qn.oid = q.relnamespace WHERE j.inhrelid = c.oid) END,"
	" CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
	" dp.refobjid, dp.refobjsubid"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhseqno = 1"
	" LEFT JOIN pg_class p ON p.oid = i.inhparent"
	" LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace"
	" LEFT JOIN pg_depend dp ON c.relkind = 'S' AND dp.classid = 'pg_class'::regclass"
	"  AND dp.objid = c.oid AND dp.refclassid = 'pg_class'::regclass AND dp.refobjsubid > 0"
	"  AND dp.deptype IN ('a', 'i')"
	" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {ns}"
	" AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass"
	"  AND e.objid = c.oid AND e.deptype = 'e')"
	" ORDER BY (CASE WHEN n.nspname = current_schema() THEN '' ELSE n.nspname || '.' END"
	"  || c.relname) COLLATE \"C\"";

enum { REL_OID, REL_NSP, REL_NAME, REL_KIND, REL_ISPART, REL_PARENT_NSP, REL_PARENT,
       REL_PARENTS, REL_PARTKEY, REL_OWNER, REL_OWNER_COL };

/* Comments on tables (objsubid 0) and their columns. */
static const char sql_comments[] =
	"SELECT d.objoid, d.objsubid, d.description FROM pg_description d"
	" JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE d.classoid = 'pg_class'::regclass AND c.relkind IN ('r', 'p') AND {ns}";

enum { COM_OID, COM_SUB, COM_TEXT };

/* Columns of every table, with the sequence behind a serial or identity
 * column when there is one. */
static const char sql_columns[] =
	"SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
	" a.attnotnull,"
	" CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0)"
	"  ELSE pg_get_expr(ad.adbin, ad.adrelid, true) END,"
	" a.attidentity, a.attgenerated,"
	" CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,"
	" t.typtype, tn.nspname, t.typname, sq.deptype, sq.seqstart, sq.seqincrement,"
	" sq.seqid::regclass::text,"
	" CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END"
	" FROM pg_attribute a"
	" JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')"
	"  AND NOT c.relispartition"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_type t ON t.oid = a.atttypid"
	" JOIN pg_namespace tn ON tn.oid = t.typnamespace"
	" LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
	" LEFT JOIN pg_collation co ON co.oid = a.attcollation"
	" LEFT JOIN (SELECT dp.refobjid, dp.refobjsubid, dp.deptype, dp.objid AS seqid,"
	"  s.seqstart, s.seqincrement FROM pg_depend dp JOIN pg_sequence s ON s.seqrelid = dp.objid"
	"  WHERE dp.classid = 'pg_class'::regclass AND dp.refclassid = 'pg_class'::regclass"
	"  AND dp.deptype IN ('a', 'i')) sq"
	"  ON sq.refobjid = a.attrelid AND sq.refobjsubid = a.attnum"
	" WHERE a.attnum > 0 AND NOT a.attisdropped AND {ns}";

enum { COL_REL, COL_NUM, COL_NAME, COL_TYPE, COL_NOTNULL, COL_EXPR, COL_IDENTITY,
       COL_GENERATED, COL_COLLATION, COL_TYPTYPE, COL_TYPNSP, COL_TYPNAME, COL_DEPTYPE,
       COL_SEQSTART, COL_SEQINCR, COL_SEQNAME, COL_DOMAIN_BASE };

/* Primary keys, unique, foreign key, check and exclusion constraints (not the
 * copies that partitioning makes: conparentid = 0). Column numbers are named
 * from the columns already read; only a foreign key to a table that is not
 * read (another schema, a partition) has its referenced names looked up. */
static const char sql_constraints[] =
	"SELECT co.conrelid, co.conname, co.contype, co.condeferrable, co.condeferred,"
	" co.conkey::text, co.confrelid, rn.nspname, rc.relname, co.confkey::text,"
	" CASE WHEN co.contype = 'f' AND NOT (rc.relkind IN ('r', 'p') AND NOT rc.relispartition"
	"  AND {rns}) THEN array(SELECT a.attname FROM unnest(co.confkey) WITH ORDINALITY"
	"  k(attnum, o) JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum"
	"  ORDER BY k.o) END,"
	" co.confupdtype, co.confdeltype,"
	" CASE WHEN co.contype = 'c' THEN pg_get_constraintdef(co.oid, true) END,"
	" co.conindid"
	" FROM pg_constraint co"
	" JOIN pg_class c ON c.oid = co.conrelid AND c.relkind IN ('r', 'p')"
	"  AND NOT c.relispartition"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_class rc ON rc.oid = co.confrelid"
	" LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
	" WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND co.conparentid = 0 AND {ns}";

enum { CON_REL, CON_NAME, CON_TYPE, CON_DEFERRABLE, CON_DEFERRED, CON_KEY, CON_REF_OID,
       CON_REF_NSP, CON_REF_TABLE, CON_REF_KEY, CON_REF_NAMES, CON_ON_UPDATE, CON_ON_DELETE,
       CON_CHECK, CON_INDEX };

/* Indexes of every table (those behind constraints are left out in C).
 * Per-column expressions only for the indexes that have any. */
static const char sql_indexes[] =
	"SELECT i.indrelid, i.indexrelid, ic.relname, i.indisunique, am.amname, i.indnkeyatts,"
	" i.indnatts, i.indkey::text, i.indoption::text, i.indclass::text,"
	" pg_get_expr(i.indpred, i.indrelid, true),"
	" CASE WHEN i.indexprs IS NOT NULL THEN array(SELECT pg_get_indexdef(i.indexrelid, k,"
	"  true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k) END"
	" FROM pg_index i"
	" JOIN pg_class ic ON ic.oid = i.indexrelid"
	" JOIN pg_class c ON c.oid = i.indrelid AND c.relkind IN ('r', 'p')"
	"  AND NOT c.relispartition"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_am am ON am.oid = ic.relam"
	" WHERE {ns}";

enum { IX_REL, IX_OID, IX_NAME, IX_UNIQUE, IX_AM, IX_NKEY, IX_NATTS, IX_KEYS, IX_OPTIONS,
       IX_CLASSES, IX_PRED, IX_EXPRS };

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

/* The namespace filters, on a given alias: the current schema only, or every
 * schema that is not the system's (pg_catalog, pg_toast*, pg_temp*,
 * information_schema). */
static const char ns_current[] = "%s.nspname = current_schema()";
static const char ns_all[] =
	"%s.nspname NOT LIKE 'pg\\_%%' AND %s.nspname <> 'information_schema'";

/* A relation of the namespaces read, by oid. */
struct pg_rel {
	unsigned long oid;
	size_t info; /* index in pg_reflector.tinfo */
};

/* What reflection keeps about a table beside the model, also about a table
 * left out by exclude_tables (whose columns name the foreign keys to it). */
struct pg_tinfo {
	long table;                /* index in schema->tables, -1 when left out */
	const char *schema;        /* the real schema name, also for the default schema */
	const char *name;
	MIG_VEC(long) attnums;     /* of the columns read, in order */
	MIG_VEC(const char *) names; /* parallel to attnums */
	MIG_VEC(bool) serial;      /* parallel: a serial (owned sequence default) */
	MIG_VEC(bool) identity;    /* parallel: an identity column */
};

/* A sequence and the column that owns it (owner 0 when none): whether it is
 * a serial or identity column's is known once the columns are read. */
struct pg_seq {
	const char *schema, *name;
	unsigned long owner;
	long attnum;
};

/* An object found, with its warning, sorted before both are recorded. */
struct pg_found {
	struct mig_object obj;
	char *warning;
};

/* A result row to visit in a fixed order: by table, then number or name. */
struct pg_rowref {
	size_t info;
	long num;
	const char *name;
	size_t row;
};

struct pg_reflector {
	struct mig_db *db;
	const struct mig_reflect_opts *opts;
	struct mig_schema *s;
	const char *defschema; /* current_schema() */
	long version;          /* server_version_num */
	bool all_schemas;
	bool empty; /* nothing to read (sql_settings) */
	MIG_VEC(unsigned long) odd_opclasses; /* sorted */
	MIG_VEC(struct pg_rel) rels;          /* sorted by oid */
	MIG_VEC(struct pg_tinfo) tinfo;
	MIG_VEC(struct pg_seq) seqs;
	MIG_VEC(unsigned long) constraint_indexes; /* sorted after the constraints */
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

static unsigned long to_oid(const char *v)
{
	return v ? strtoul(v, NULL, 10) : 0;
}

static void add_ns_filter(const struct pg_reflector *r, struct mig_str *out, const char *alias)
{
	mig_str_addch(out, '(');
	if (r->all_schemas) {
		mig_str_addf(out, ns_all, alias, alias);
	} else {
		mig_str_addf(out, ns_current, alias);
	}
	mig_str_addch(out, ')');
}

/* The query text with every {ns}, {rns} and {trigger_filter} filled in. */
static char *expand(const struct pg_reflector *r, const char *tmpl)
{
	static const char ns_key[] = "{ns}";
	static const char rns_key[] = "{rns}";
	static const char tf_key[] = "{trigger_filter}";
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
			add_ns_filter(r, &out, "n");
			p = brace + sizeof(ns_key) - 1;
		} else if (strncmp(brace, rns_key, sizeof(rns_key) - 1) == 0) {
			add_ns_filter(r, &out, "rn");
			p = brace + sizeof(rns_key) - 1;
		} else if (strncmp(brace, tf_key, sizeof(tf_key) - 1) == 0) {
			mig_str_add(&out, r->version >= 130000 ? "t.tgparentid = 0" : "TRUE");
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

/* Whole numbers separated by spaces, commas or braces (int2vector "1 3 0",
 * oidvector, smallint[] "{1,2}") into out, at most max of them. */
static size_t parse_numbers(const char *text, long *out, size_t max)
{
	size_t n = 0;
	const char *p = text ? text : "";
	while (*p && n < max) {
		if (*p == '{' || *p == '}' || *p == ',' || *p == ' ') {
			p++;
			continue;
		}
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p) {
			break;
		}
		out[n++] = v;
		p = end;
	}
	return n;
}

/* qsort() that accepts an empty vector (whose pointer is NULL). */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1) {
		qsort(v, n, size, cmp);
	}
}

static int rel_cmp(const void *a, const void *b)
{
	const struct pg_rel *x = a, *y = b;
	return x->oid < y->oid ? -1 : x->oid > y->oid;
}

static int oid_cmp(const void *a, const void *b)
{
	const unsigned long *x = a, *y = b;
	return *x < *y ? -1 : *x > *y;
}

static bool oid_in(const unsigned long *v, size_t n, unsigned long oid)
{
	return n && bsearch(&oid, v, n, sizeof(oid), oid_cmp) != NULL;
}

/* The tinfo index of a table of the namespaces read, or -1. */
static long find_info(const struct pg_reflector *r, unsigned long oid)
{
	struct pg_rel key = { oid, 0 };
	if (r->rels.n == 0) {
		return -1;
	}
	const struct pg_rel *hit = bsearch(&key, r->rels.v, r->rels.n, sizeof(key), rel_cmp);
	return hit ? (long)hit->info : -1;
}

/* The name of column attnum of a table, or NULL. */
static const char *column_name(const struct pg_tinfo *info, long attnum)
{
	for (size_t i = 0; i < info->attnums.n; i++) {
		if (info->attnums.v[i] == attnum) {
			return info->names.v[i];
		}
	}
	return NULL;
}

static int rowref_cmp(const void *a, const void *b)
{
	const struct pg_rowref *x = a, *y = b;
	if (x->info != y->info) {
		return x->info < y->info ? -1 : 1;
	}
	if (x->num != y->num) {
		return x->num < y->num ? -1 : 1;
	}
	if (x->name && y->name) {
		int d = strcmp(x->name, y->name);
		if (d) {
			return d;
		}
	}
	return x->row < y->row ? -1 : x->row > y->row;
}

/* The rows of a result whose first column is a table's oid, in the order of
 * (table, numcol or namecol), leaving out the tables not read. */
static void order_rows(const struct pg_reflector *r, const struct mig_rows *rows, int numcol,
		       int namecol, void *vecp)
{
	MIG_VEC(struct pg_rowref) *out = vecp;
	for (size_t i = 0; i < rows->nrows; i++) {
		long info = find_info(r, to_oid(mig_rows_get(rows, i, 0)));
		if (info < 0) {
			continue;
		}
		struct pg_rowref ref = { (size_t)info, 0, NULL, i };
		if (numcol >= 0) {
			ref.num = strtol(mig_rows_get(rows, i, (size_t)numcol), NULL, 10);
		}
		if (namecol >= 0) {
			ref.name = mig_rows_get(rows, i, (size_t)namecol);
		}
		mig_vec_push(out, ref);
	}
	sort(out->v, out->n, sizeof(out->v[0]), rowref_cmp);
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

static void add_info(struct pg_reflector *r, unsigned long oid, long table, const char *nsp,
		     const char *name)
{
	struct pg_tinfo ti;
	memset(&ti, 0, sizeof(ti));
	ti.table = table;
	ti.schema = ADUP(r, nsp);
	ti.name = ADUP(r, name);
	mig_vec_push(&r->tinfo, ti);
	struct pg_rel rel = { oid, r->tinfo.n - 1 };
	mig_vec_push(&r->rels, rel);
}

static int load_relations(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_relations, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		unsigned long oid = to_oid(mig_rows_get(&rows, i, REL_OID));
		const char *nsp = mig_rows_get(&rows, i, REL_NSP);
		const char *name = mig_rows_get(&rows, i, REL_NAME);
		char kind = mig_rows_get(&rows, i, REL_KIND)[0];
		const char *pnsp = mig_rows_get(&rows, i, REL_PARENT_NSP);
		const char *parent = mig_rows_get(&rows, i, REL_PARENT);
		bool table = (kind == 'r' || kind == 'p') &&
			     !is_true(mig_rows_get(&rows, i, REL_ISPART));
		if (mig_reflect_excluded(r->opts, nsp, name)) {
			if (table) {
				/* its columns still name the foreign keys to it */
				add_info(r, oid, -1, nsp, name);
			}
			continue;
		}
		if (is_true(mig_rows_get(&rows, i, REL_ISPART))) {
			/* one table: its partitions are not tables of their own */
			if (parent && mig_reflect_excluded(r->opts, pnsp, parent)) {
				continue;
			}
			char *pq = qual(pnsp, parent ? parent : "?");
			char *q = qual(nsp, name);
			char *msg = xasprintf("partition '%s' of table '%s' is not represented in "
					      "the model (ignored by migrate)",
					      q, pq);
			add_found(r, MIG_OBJ_PARTITION, nsp, name, pq, msg);
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
		case 'S': {
			/* one behind a serial or identity column is the column's: decided
			 * once the columns are read */
			struct pg_seq seq = { ADUP(r, nsp), ADUP(r, name),
						    to_oid(mig_rows_get(&rows, i, REL_OWNER)), 0 };
			const char *col = mig_rows_get(&rows, i, REL_OWNER_COL);
			seq.attnum = col ? strtol(col, NULL, 10) : 0;
			mig_vec_push(&r->seqs, seq);
			continue;
		}
		case 'f':
			add_ignored(r, MIG_OBJ_OTHER, "foreign table", nsp, name, "foreign table");
			continue;
		default:
			break;
		}
		mig_schema_add_table(r->s, model_schema(r, nsp), name);
		add_info(r, oid, (long)r->s->tables.n - 1, nsp, name);
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
	sort(r->rels.v, r->rels.n, sizeof(r->rels.v[0]), rel_cmp);
done:
	mig_rows_release(&rows);
	return rc;
}

/* The sequences that no serial or identity column of a table read owns. */
static void settle_sequences(struct pg_reflector *r)
{
	for (size_t i = 0; i < r->seqs.n; i++) {
		const struct pg_seq *seq = &r->seqs.v[i];
		long ti = seq->owner ? find_info(r, seq->owner) : -1;
		bool owned = false;
		if (ti >= 0 && r->tinfo.v[ti].table < 0) {
			owned = true; /* left out with its table */
		}
		for (size_t k = 0; ti >= 0 && !owned && k < r->tinfo.v[ti].attnums.n; k++) {
			const struct pg_tinfo *info = &r->tinfo.v[ti];
			owned = info->attnums.v[k] == seq->attnum &&
				(info->serial.v[k] || info->identity.v[k]);
		}
		if (!owned) {
			add_ignored(r, MIG_OBJ_SEQUENCE, "sequence", seq->schema, seq->name, NULL);
		}
	}
}

/* ---- comments ---- */

static int load_comments(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = run(r, sql_comments, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		long ti = find_info(r, to_oid(mig_rows_get(&rows, i, COM_OID)));
		if (ti < 0 || r->tinfo.v[ti].table < 0) {
			continue;
		}
		const struct pg_tinfo *info = &r->tinfo.v[ti];
		struct mig_table *t = &r->s->tables.v[info->table];
		long sub = strtol(mig_rows_get(&rows, i, COM_SUB), NULL, 10);
		const char *text = ADUP(r, mig_rows_get(&rows, i, COM_TEXT));
		if (sub == 0) {
			t->comment = text;
			continue;
		}
		for (size_t k = 0; k < info->attnums.n; k++) {
			if (info->attnums.v[k] == sub) {
				t->columns.v[k].comment = text;
			}
		}
	}
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
static void check_type(struct pg_reflector *r, const struct pg_tinfo *info, struct mig_column *c,
		       const char *domain_base)
{
	if (mig_model_type_known(r->s, &c->type)) {
		return;
	}
	char *q = qual(info->schema, info->name);
	if (domain_base) {
		char *msg = xasprintf("column '%s' of table '%s' has the domain type '%s': "
				      "reflected as its base type %s (domains are not represented "
				      "in the model)",
				      c->name, q, c->type.raw, domain_base);
		mig_strlist_push_owned(&r->notes, msg);
		memset(&c->type, 0, sizeof(c->type));
		c->type.length = c->type.precision = c->type.scale = -1;
		parse_generic(r, domain_base, &c->type);
		c->type.raw = ADUP(r, domain_base);
	} else {
		char *msg = xasprintf("column '%s' of table '%s' has the type '%s' that model "
				      "files do not accept yet",
				      c->name, q, c->type.raw);
		mig_strlist_push_owned(&r->notes, msg);
	}
	free(q);
}

/* The default of a serial column: nextval() of its own sequence, as
 * pg_get_expr() writes it (the name quoted as quote_literal() does). */
static bool is_serial_default(const char *expr, const char *seq)
{
	if (!expr || !seq) {
		return false;
	}
	struct mig_str want = MIG_STR_INIT;
	mig_str_add(&want, strchr(seq, '\\') ? "nextval(E'" : "nextval('");
	for (const char *p = seq; *p; p++) {
		if (*p == '\'' || *p == '\\') {
			mig_str_addch(&want, *p);
		}
		mig_str_addch(&want, *p);
	}
	mig_str_add(&want, "'::regclass)");
	bool same = strcmp(expr, want.buf) == 0;
	mig_str_release(&want);
	return same;
}

static void add_column(struct pg_reflector *r, struct pg_tinfo *info, const struct mig_rows *rows,
		       size_t i)
{
	long attnum = strtol(mig_rows_get(rows, i, COL_NUM), NULL, 10);
	const char *deptype = mig_rows_get(rows, i, COL_DEPTYPE);
	const char *expr = mig_rows_get(rows, i, COL_EXPR);
	const char *generated = nonempty(mig_rows_get(rows, i, COL_GENERATED));
	const char *identity = nonempty(mig_rows_get(rows, i, COL_IDENTITY));
	bool serial = deptype && deptype[0] == 'a' && !generated &&
		      is_serial_default(expr, mig_rows_get(rows, i, COL_SEQNAME));
	struct mig_column *last = NULL;
	if (info->table >= 0 && info->attnums.n) {
		last = &r->s->tables.v[info->table].columns.v[info->attnums.n - 1];
	}
	if (info->attnums.n && info->attnums.v[info->attnums.n - 1] == attnum) {
		/* a column that owns several sequences: the serial one counts */
		if (serial) {
			info->serial.v[info->serial.n - 1] = true;
			if (last) {
				last->default_sql = NULL;
			}
		}
		return;
	}
	const char *name = ADUP(r, mig_rows_get(rows, i, COL_NAME));
	mig_vec_push(&info->attnums, attnum);
	mig_vec_push(&info->names, name);
	mig_vec_push(&info->serial, serial);
	mig_vec_push(&info->identity, identity != NULL);
	if (info->table < 0) {
		return;
	}
	struct mig_column c;
	memset(&c, 0, sizeof(c));
	c.name = name;
	map_type(r, mig_rows_get(rows, i, COL_TYPE), mig_rows_get(rows, i, COL_TYPTYPE)[0],
		 mig_rows_get(rows, i, COL_TYPNSP), mig_rows_get(rows, i, COL_TYPNAME), &c.type);
	c.nullable = !is_true(mig_rows_get(rows, i, COL_NOTNULL));
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
			long long start = strtoll(mig_rows_get(rows, i, COL_SEQSTART), NULL, 10);
			long long incr = strtoll(mig_rows_get(rows, i, COL_SEQINCR), NULL, 10);
			/* the defaults: 1 and 1, or -1 and -1 going down */
			if (incr != 1) {
				c.identity_increment = incr;
			}
			if (start != (incr < 0 ? -1 : 1)) {
				c.identity_start = start;
			}
		}
	}
	check_type(r, info, &c, mig_rows_get(rows, i, COL_DOMAIN_BASE));
	c.collation = ADUP(r, mig_rows_get(rows, i, COL_COLLATION));
	mig_vec_push(&r->s->tables.v[info->table].columns, c);
}

static int load_columns(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	MIG_VEC(struct pg_rowref) order = { 0 };
	int rc = run(r, sql_columns, &rows);
	if (rc < 0) {
		goto done;
	}
	order_rows(r, &rows, COL_NUM, -1, &order);
	for (size_t k = 0; k < order.n; k++) {
		add_column(r, &r->tinfo.v[order.v[k].info], &rows, order.v[k].row);
	}
done:
	mig_vec_free(&order);
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

/* Column names for the numbers in text ("{1,2}") from a table read. */
static void name_columns(struct pg_reflector *r, const struct pg_tinfo *info, const char *text,
			 void *vecp)
{
	MIG_VEC(const char *) *out = vecp;
	long nums[64];
	size_t n = parse_numbers(text, nums, 64);
	for (size_t k = 0; k < n; k++) {
		const char *name = info ? column_name(info, nums[k]) : NULL;
		mig_vec_push(out, name ? name : mig_arena_printf(&r->s->arena, "?%ld", nums[k]));
	}
}

static void add_constraint(struct pg_reflector *r, const struct pg_tinfo *info,
			   const struct mig_rows *rows, size_t i)
{
	struct mig_table *t = &r->s->tables.v[info->table];
	const char *name = mig_rows_get(rows, i, CON_NAME);
	const char *key = mig_rows_get(rows, i, CON_KEY);
	bool deferrable = is_true(mig_rows_get(rows, i, CON_DEFERRABLE));
	switch (mig_rows_get(rows, i, CON_TYPE)[0]) {
	case 'p':
		t->pk.name = ADUP(r, name);
		name_columns(r, info, key, &t->pk.columns);
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
		name_columns(r, info, key, &u.columns);
		u.deferrable = deferrable;
		mig_vec_push(&t->uniques, u);
		break;
	}
	case 'f': {
		struct mig_foreign_key f;
		memset(&f, 0, sizeof(f));
		f.name = ADUP(r, name);
		name_columns(r, info, key, &f.columns);
		f.ref_schema = model_schema(r, mig_rows_get(rows, i, CON_REF_NSP));
		f.ref_table = ADUP(r, mig_rows_get(rows, i, CON_REF_TABLE));
		const char *names = mig_rows_get(rows, i, CON_REF_NAMES);
		if (names) {
			parse_array(&r->s->arena, names, &f.ref_columns);
		} else {
			long ref = find_info(r, to_oid(mig_rows_get(rows, i, CON_REF_OID)));
			name_columns(r, ref >= 0 ? &r->tinfo.v[ref] : NULL,
				     mig_rows_get(rows, i, CON_REF_KEY), &f.ref_columns);
		}
		f.on_update = fk_action(mig_rows_get(rows, i, CON_ON_UPDATE));
		f.on_delete = fk_action(mig_rows_get(rows, i, CON_ON_DELETE));
		f.deferrable = deferrable;
		f.initially_deferred = is_true(mig_rows_get(rows, i, CON_DEFERRED));
		mig_vec_push(&t->fks, f);
		break;
	}
	case 'c': {
		struct mig_check c;
		memset(&c, 0, sizeof(c));
		c.name = ADUP(r, name);
		c.sql = check_expression(r, mig_rows_get(rows, i, CON_CHECK));
		mig_vec_push(&t->checks, c);
		break;
	}
	default: {
		char *q = qual(info->schema, info->name);
		char *detail = xasprintf("exclusion constraint on %s", q);
		add_found(r, MIG_OBJ_OTHER, info->schema, name, detail,
			  xasprintf("exclusion constraint '%s' on table '%s' is not represented in "
				    "the model (ignored by migrate)",
				    name, q));
		free(detail);
		free(q);
		break;
	}
	}
}

static int load_constraints(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	MIG_VEC(struct pg_rowref) order = { 0 };
	int rc = run(r, sql_constraints, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		unsigned long ix = to_oid(mig_rows_get(&rows, i, CON_INDEX));
		char type = mig_rows_get(&rows, i, CON_TYPE)[0];
		if (ix && (type == 'p' || type == 'u' || type == 'x')) {
			mig_vec_push(&r->constraint_indexes, ix);
		}
	}
	sort(r->constraint_indexes.v, r->constraint_indexes.n, sizeof(unsigned long), oid_cmp);
	order_rows(r, &rows, -1, CON_NAME, &order);
	for (size_t k = 0; k < order.n; k++) {
		const struct pg_tinfo *info = &r->tinfo.v[order.v[k].info];
		if (info->table >= 0) {
			add_constraint(r, info, &rows, order.v[k].row);
		}
	}
done:
	mig_vec_free(&order);
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
	for (size_t i = 0; i < r->tinfo.n; i++) {
		const struct pg_tinfo *info = &r->tinfo.v[i];
		if (info->table < 0) {
			continue;
		}
		struct mig_table *t = &r->s->tables.v[info->table];
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

static void add_index(struct pg_reflector *r, const struct pg_tinfo *info,
		      const struct mig_rows *rows, size_t i)
{
	struct mig_table *t = &r->s->tables.v[info->table];
	long keys[64], options[64], classes[64];
	long nkeyatts = strtol(mig_rows_get(rows, i, IX_NKEY), NULL, 10);
	long natts = strtol(mig_rows_get(rows, i, IX_NATTS), NULL, 10);
	size_t nkeys = parse_numbers(mig_rows_get(rows, i, IX_KEYS), keys, 64);
	size_t noptions = parse_numbers(mig_rows_get(rows, i, IX_OPTIONS), options, 64);
	size_t nclasses = parse_numbers(mig_rows_get(rows, i, IX_CLASSES), classes, 64);
	MIG_VEC(const char *) exprs = { 0 };
	parse_array(&r->s->arena, mig_rows_get(rows, i, IX_EXPRS), &exprs);
	struct mig_index ix;
	memset(&ix, 0, sizeof(ix));
	ix.name = ADUP(r, mig_rows_get(rows, i, IX_NAME));
	ix.unique = is_true(mig_rows_get(rows, i, IX_UNIQUE));
	ix.where = ADUP(r, mig_rows_get(rows, i, IX_PRED));
	const char *am = mig_rows_get(rows, i, IX_AM);
	ix.using = strcmp(am, "btree") != 0 ? ADUP(r, am) : NULL;
	bool nulls_odd = false, opclass_odd = false;
	for (long k = 0; k < nkeyatts && (size_t)k < nkeys; k++) {
		struct mig_index_elem e = { NULL, NULL, false };
		long opt = (size_t)k < noptions ? options[k] : 0;
		e.desc = (opt & 1) != 0;
		/* NULLS FIRST is the default for DESC, NULLS LAST for ASC */
		nulls_odd |= ((opt & 2) != 0) != e.desc;
		opclass_odd |= (size_t)k < nclasses &&
			       oid_in(r->odd_opclasses.v, r->odd_opclasses.n,
				      (unsigned long)classes[k]);
		if (keys[k] == 0) {
			e.expression = (size_t)k < exprs.n ? exprs.v[k] : "?";
		} else {
			e.column = column_name(info, keys[k]);
			if (!e.column) {
				e.expression = "?";
			}
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
	if (opclass_odd) {
		lost[nlost++] = "operator classes";
	}
	if (nlost) {
		struct mig_str msg = MIG_STR_INIT;
		char *q = qual(info->schema, info->name);
		mig_str_addf(&msg, "index '%s' on table '%s' uses ", ix.name, q);
		for (size_t k = 0; k < nlost; k++) {
			mig_str_addf(&msg, "%s%s", k == 0 ? "" : k + 1 == nlost ? " and " : ", ",
				     lost[k]);
		}
		mig_str_add(&msg, " that the model does not represent (reflected without them)");
		mig_strlist_push_owned(&r->notes, mig_str_detach(&msg));
		free(q);
	}
}

static int load_indexes(struct pg_reflector *r)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	MIG_VEC(struct pg_rowref) order = { 0 };
	int rc = run(r, sql_indexes, &rows);
	if (rc < 0) {
		goto done;
	}
	order_rows(r, &rows, -1, IX_NAME, &order);
	for (size_t k = 0; k < order.n; k++) {
		const struct pg_tinfo *info = &r->tinfo.v[order.v[k].info];
		size_t row = order.v[k].row;
		/* indexes behind a primary key, unique or exclusion constraint are
		 * the constraint's */
		if (info->table < 0 || oid_in(r->constraint_indexes.v, r->constraint_indexes.n,
					      to_oid(mig_rows_get(&rows, row, IX_OID)))) {
			continue;
		}
		add_index(r, info, &rows, row);
	}
done:
	mig_vec_free(&order);
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
	sort(r->found.v, r->found.n, sizeof(r->found.v[0]), found_cmp);
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
	int rc = run(r, sql_settings, &rows);
	if (rc < 0) {
		goto done;
	}
	if (rows.nrows != 1) {
		rc = mig_error(MIG_ECLASS_DB, "cannot read the server settings for reflection");
		goto done;
	}
	const char *cur = mig_rows_get(&rows, 0, SET_SCHEMA);
	/* an empty search_path has no current schema: public is what users mean */
	r->defschema = ADUP(r, cur ? cur : "public");
	r->version = strtol(mig_rows_get(&rows, 0, SET_VERSION), NULL, 10);
	MIG_VEC(const char *) oids = { 0 };
	parse_array(&r->s->arena, mig_rows_get(&rows, 0, SET_OPCLASSES), &oids);
	for (size_t i = 0; i < oids.n; i++) {
		mig_vec_push(&r->odd_opclasses, to_oid(oids.v[i]));
	}
	mig_vec_free(&oids);
	r->empty = mig_streq(mig_rows_get(&rows, 0, SET_EMPTY), "t");
	if (r->version < 120000) {
		rc = mig_error(MIG_ECLASS_DB,
			       "reflection needs PostgreSQL 12 or later (server_version_num %ld)",
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
	r.all_schemas = opts && opts->include_schemas;
	int rc;
	/* enums before columns: an array of an enum is a type the model knows */
	if ((rc = load_settings(&r)) < 0 || r.empty || (rc = load_relations(&r)) < 0 ||
	    (rc = load_types(&r)) < 0 || (rc = load_columns(&r)) < 0 ||
	    (rc = load_comments(&r)) < 0 || (rc = load_constraints(&r)) < 0 ||
	    (rc = load_indexes(&r)) < 0 || (rc = load_objects(&r)) < 0) {
		goto done;
	}
	settle_autoincrement(&r);
	settle_sequences(&r);
	record_found(&r);
done:
	for (size_t i = 0; i < r.tinfo.n; i++) {
		mig_vec_free(&r.tinfo.v[i].attnums);
		mig_vec_free(&r.tinfo.v[i].names);
		mig_vec_free(&r.tinfo.v[i].serial);
		mig_vec_free(&r.tinfo.v[i].identity);
	}
	mig_vec_free(&r.tinfo);
	mig_vec_free(&r.rels);
	mig_vec_free(&r.seqs);
	mig_vec_free(&r.odd_opclasses);
	mig_vec_free(&r.constraint_indexes);
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
