/* MySQL and MariaDB reflection: the current database (DATABASE()) read from
 * information_schema into the schema model with a fixed number of bulk
 * queries (MY_REFLECT_QUERIES), whatever the number of tables. Objects the
 * model cannot represent are recorded by name and described in the schema's
 * warnings.
 *
 * How the catalog becomes the model:
 * - Types get the spelling the model loader reads back as the same type:
 *   integer display widths are dropped (int(11) is integer) but unsigned and
 *   zerofill are kept (int unsigned), tinyint(1) is boolean, datetime is
 *   timestamp, TIMESTAMP (stored in UTC, shown in the session's time zone) is
 *   timestamptz, decimal is numeric, float is real, double is float, blob and
 *   binary(n) are binary; other MySQL types keep their MySQL spelling
 *   (mediumtext, varbinary(n), year, set(…), char(36) stays char(36)). An
 *   inline ENUM becomes the enum <table>_<column>. MariaDB's JSON (a longtext
 *   with the column check json_valid(col)) is json, without the check.
 * - Defaults are SQL expressions, as after DEFAULT. MariaDB 10.2.7 and later
 *   give them so ('abc', 0, NULL, current_timestamp(), (1 + 2)); MySQL gives
 *   raw values and marks expressions DEFAULT_GENERATED, so its literals are
 *   quoted here and its expressions parenthesised. Either way
 *   current_timestamp() is written CURRENT_TIMESTAMP (also after ON UPDATE),
 *   a NULL default is no default, and 1 and 0 on a boolean are true and false.
 * - Unique keys over whole columns are unique constraints (MySQL makes every
 *   unique constraint a unique index); the primary key has no name (MySQL
 *   calls each one PRIMARY). RESTRICT, which the server reports for a foreign
 *   key action left out, is the default and not written; NO ACTION is kept.
 * - The index MySQL creates behind a foreign key is not a declared index
 *   (see implicit_fk_index). */
#include "mysql.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- the queries ---- */

/* The current database (the first row, with no table name), then its
 * tables, views and sequences. */
static const char sql_tables[] =
	"SELECT NULL, DATABASE(), NULL, NULL"
	" UNION ALL SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, TABLE_COLLATION"
	" FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()";

enum { TB_NAME, TB_TYPE, TB_COMMENT, TB_COLLATION };

/* The columns of every table (and view), each table's in order. */
static const char sql_columns[] =
	"SELECT TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE,"
	" COLLATION_NAME, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION"
	" FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
	" ORDER BY BINARY TABLE_NAME, ORDINAL_POSITION";

enum { CO_TABLE, CO_NAME, CO_DEFAULT, CO_NULLABLE, CO_DATA_TYPE, CO_COLUMN_TYPE, CO_COLLATION,
       CO_EXTRA, CO_COMMENT, CO_GENERATED };

/* Every index with its parts in order; %s is EXPRESSION where the server has
 * functional key parts (MySQL 8.0.13), NULL elsewhere. */
static const char sql_indexes[] =
	"SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, COLLATION, SUB_PART, INDEX_TYPE,"
	" %s FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
	" ORDER BY BINARY TABLE_NAME, BINARY INDEX_NAME, SEQ_IN_INDEX";

enum { IX_TABLE, IX_NAME, IX_NON_UNIQUE, IX_COLUMN, IX_COLLATION, IX_SUB_PART, IX_TYPE,
       IX_EXPRESSION };

/* Every foreign key: a row with its actions (position 0), then one row per
 * column pair in order. Two lists put together rather than joined: the
 * server joins information_schema tables by comparing every row with every
 * other (seconds for 5,000 keys). */
static const char sql_fks[] =
	"SELECT TABLE_NAME, CONSTRAINT_NAME, 0, NULL, NULL, UPDATE_RULE, DELETE_RULE"
	" FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
	" UNION ALL SELECT TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME,"
	" REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME"
	" FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()"
	" AND REFERENCED_TABLE_NAME IS NOT NULL"
	" ORDER BY BINARY TABLE_NAME, BINARY CONSTRAINT_NAME, 3";

/* The columns of the two kinds of rows. */
enum { FK_TABLE, FK_NAME, FK_POSITION, FK_COLUMN, FK_REF_SCHEMA, FK_REF_TABLE, FK_REF_COLUMN };
enum { FK_ON_UPDATE = FK_REF_TABLE, FK_ON_DELETE = FK_REF_COLUMN };

/* Check constraints: MariaDB names the table in CHECK_CONSTRAINTS (a column
 * check is named after its column, so names repeat across tables) and, from
 * 10.5.10, says whether a check was written on a column (LEVEL); MySQL
 * (8.0.16) names the table in TABLE_CONSTRAINTS only. Older servers have no
 * checks to read. */
static const char sql_checks_mariadb_level[] =
	"SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL"
	" FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()";
static const char sql_checks_mariadb[] =
	"SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, NULL"
	" FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()";
static const char sql_checks_mysql[] =
	"SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, NULL"
	" FROM information_schema.TABLE_CONSTRAINTS tc"
	" JOIN information_schema.CHECK_CONSTRAINTS cc"
	"  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
	"  AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
	" WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'";
static const char sql_checks_none[] = "SELECT NULL, NULL, NULL, NULL FROM DUAL WHERE FALSE";

enum { CK_TABLE, CK_NAME, CK_CLAUSE, CK_LEVEL };

/* Everything else recorded by name: triggers, routines, events and the
 * partitions of partitioned tables (one row per subpartition, with how the
 * table is partitioned). */
static const char sql_objects[] =
	"SELECT 'trigger', TRIGGER_NAME, EVENT_OBJECT_TABLE, NULL"
	" FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"
	" UNION ALL SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME, NULL, NULL"
	" FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
	" UNION ALL SELECT 'event', EVENT_NAME, NULL, NULL"
	" FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"
	" UNION ALL SELECT 'partition', PARTITION_NAME, TABLE_NAME,"
	" CONCAT(PARTITION_METHOD, ' (', COALESCE(PARTITION_EXPRESSION, ''), ')',"
	"  COALESCE(CONCAT(' SUBPARTITION BY ', SUBPARTITION_METHOD, ' (',"
	"  COALESCE(SUBPARTITION_EXPRESSION, ''), ')'), ''))"
	" FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE()"
	" AND PARTITION_NAME IS NOT NULL";

enum { OB_KIND, OB_NAME, OB_TABLE, OB_DETAIL };

/* ---- the reflector ---- */

/* What reflection keeps about a column beside the model. */
struct my_cinfo {
	const char *data_type; /* DATA_TYPE, lowercase */
	bool auto_increment;
};

/* What reflection keeps about a table beside the model. */
struct my_tinfo {
	const char *collation; /* the table's default collation */
	MIG_VEC(struct my_cinfo) cols; /* parallel to the table's columns */
	bool partitioned;
};

/* A warning about a table: those of one table stay together, in the order
 * they were found. */
struct my_note {
	size_t table;
	size_t seq;
	char *text;
};

/* An object found, with its warning, sorted before both are recorded. */
struct my_found {
	struct mig_object obj;
	char *warning;
};

struct my_reflector {
	struct mig_db *db;
	const struct mig_reflect_opts *opts;
	struct mig_schema *s;
	const char *database; /* DATABASE() */
	bool mariadb;
	long version; /* major * 10000 + minor * 100 + patch */
	MIG_VEC(struct my_tinfo) tinfo; /* parallel to s->tables, sorted by name */
	MIG_VEC(struct my_note) notes;
	MIG_VEC(struct my_found) found;
};

#define ADUP(r, x) mig_arena_strdup(&(r)->s->arena, (x))
#define CELL(rows, i, c) mig_rows_get((rows), (i), (c))

static const char *nonempty(const char *v)
{
	return v && *v ? v : NULL;
}

/* ASCII case-insensitive strstr. */
static const char *find_word(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay ? hay : ""; *p; p++) {
		if (strncasecmp(p, needle, n) == 0) {
			return p;
		}
	}
	return NULL;
}

static void note(struct my_reflector *r, size_t table, const char *fmt, ...) MIG_PRINTF(3, 4);
static void note(struct my_reflector *r, size_t table, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct my_note n = { table, r->notes.n, xvasprintf(fmt, ap) };
	va_end(ap);
	mig_vec_push(&r->notes, n);
}

static void add_found(struct my_reflector *r, enum mig_object_kind kind, const char *name,
		      const char *detail, char *warning)
{
	struct my_found f;
	f.obj.kind = kind;
	f.obj.schema = NULL;
	f.obj.name = ADUP(r, name);
	f.obj.detail = ADUP(r, detail);
	f.warning = warning;
	mig_vec_push(&r->found, f);
}

/* "<what> 'name' is not represented in the model (ignored by migrate)" */
static void add_ignored(struct my_reflector *r, enum mig_object_kind kind, const char *what,
			const char *name, const char *detail)
{
	add_found(r, kind, name, detail,
		  xasprintf("%s '%s' is not represented in the model (ignored by migrate)", what,
			    name));
}

static int run(struct my_reflector *r, const char *sql, struct mig_rows *rows)
{
	*rows = (struct mig_rows)MIG_ROWS_INIT;
	return mig_db_query(r->db, sql, rows);
}

/* The reflected table named name (exactly), or -1. */
static long find_table(const struct my_reflector *r, const char *name)
{
	size_t lo = 0, hi = r->s->tables.n;
	while (name && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(name, r->s->tables.v[mid].name);
		if (d == 0) {
			return (long)mid;
		}
		if (d < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return -1;
}

/* A table as a foreign key names it: exactly, or else without case (as the
 * server matches names when lower_case_table_names is set). */
static long find_table_nocase(const struct my_reflector *r, const char *name)
{
	long ti = find_table(r, name);
	for (size_t i = 0; ti < 0 && i < r->s->tables.n; i++) {
		if (mig_strieq(r->s->tables.v[i].name, name)) {
			ti = (long)i;
		}
	}
	return ti;
}

/* A column's name as the table spells it (MySQL matches column names
 * without case), or name itself when there is no such column. */
static const char *column_name(struct my_reflector *r, const struct mig_table *t, const char *name)
{
	const struct mig_column *c = mig_table_find_column(t, name);
	for (size_t i = 0; !c && i < t->columns.n; i++) {
		if (mig_strieq(t->columns.v[i].name, name)) {
			c = &t->columns.v[i];
		}
	}
	return c ? c->name : ADUP(r, name);
}

static bool excluded(const struct my_reflector *r, const char *name)
{
	return mig_reflect_excluded(r->opts, NULL, name);
}

/* ---- server ---- */

/* MariaDB or MySQL, and which version: from the handshake, no query. */
static int read_server(struct my_reflector *r)
{
	const char *v = mig_db_server_version(r->db);
	r->mariadb = strstr(v, "MariaDB") != NULL;
	/* MariaDB sends "5.5.5-" before its version to clients of old */
	if (r->mariadb && strncmp(v, "5.5.5-", 6) == 0) {
		v += 6;
	}
	char *end;
	long major = strtol(v, &end, 10);
	long minor = *end == '.' ? strtol(end + 1, &end, 10) : 0;
	long patch = *end == '.' ? strtol(end + 1, &end, 10) : 0;
	r->version = major * 10000 + minor * 100 + patch;
	/* generated columns (GENERATION_EXPRESSION) and, on MariaDB, defaults
	 * written as SQL */
	if (r->mariadb ? r->version < 100207 : r->version < 50700) {
		return mig_error(MIG_ECLASS_DB,
				 "reflection needs MySQL 5.7 or MariaDB 10.2.7 or later (the "
				 "server is version %s)",
				 mig_db_server_version(r->db));
	}
	return 0;
}

/* ---- tables ---- */

struct my_trow {
	const char *name, *type, *comment, *collation;
};

static int trow_cmp(const void *a, const void *b)
{
	return strcmp(((const struct my_trow *)a)->name, ((const struct my_trow *)b)->name);
}

static int load_tables(struct my_reflector *r)
{
	struct mig_rows rows;
	MIG_VEC(struct my_trow) tables = { 0 };
	int rc = run(r, sql_tables, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		struct my_trow t = { CELL(&rows, i, TB_NAME), CELL(&rows, i, TB_TYPE),
				     nonempty(CELL(&rows, i, TB_COMMENT)),
				     CELL(&rows, i, TB_COLLATION) };
		if (!t.name) {
			r->database = ADUP(r, t.type);
			continue;
		}
		mig_vec_push(&tables, t);
	}
	if (!r->database) {
		rc = mig_error(MIG_ECLASS_USAGE,
			       "no database selected: name the database to reflect in the URL");
		goto done;
	}
	if (tables.n) {
		qsort(tables.v, tables.n, sizeof(tables.v[0]), trow_cmp);
	}
	for (size_t i = 0; i < tables.n; i++) {
		const struct my_trow *row = &tables.v[i];
		if (excluded(r, row->name)) {
			continue;
		}
		if (strcmp(row->type, "VIEW") == 0) {
			add_ignored(r, MIG_OBJ_VIEW, "view", row->name, NULL);
			continue;
		}
		if (strcmp(row->type, "SEQUENCE") == 0) {
			add_ignored(r, MIG_OBJ_SEQUENCE, "sequence", row->name, NULL);
			continue;
		}
		struct mig_table *t = mig_schema_add_table(r->s, NULL, row->name);
		t->comment = ADUP(r, row->comment);
		struct my_tinfo ti;
		memset(&ti, 0, sizeof(ti));
		ti.collation = ADUP(r, row->collation);
		mig_vec_push(&r->tinfo, ti);
		if (strcmp(row->type, "SYSTEM VERSIONED") == 0) {
			note(r, r->s->tables.n - 1,
			     "table '%s' is system-versioned; the versioning is not represented in "
			     "the model",
			     row->name);
		}
	}
done:
	mig_vec_free(&tables);
	mig_rows_release(&rows);
	return rc;
}

/* ---- columns ---- */

/* Whether a DATA_TYPE is one of MySQL's integer types. */
static bool my_integer(const char *data_type)
{
	static const char *const names[] = { "tinyint", "smallint", "mediumint", "int",
					     "integer", "bigint",   NULL };
	for (size_t i = 0; names[i]; i++) {
		if (strcmp(data_type, names[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* The values of "enum('a','b''c')" (quotes doubled or backslash-escaped)
 * into out; false when the text is not such a list or a value is empty (the
 * model's enums have no empty values). */
static bool parse_enum_values(struct my_reflector *r, const char *column_type, void *outp)
{
	MIG_VEC(const char *) *out = outp;
	const char *p = strchr(column_type, '(');
	struct mig_str v = MIG_STR_INIT;
	bool ok = p != NULL;
	for (p = p ? p + 1 : ""; ok && *p != ')';) {
		if (*p != '\'') {
			ok = false;
			break;
		}
		mig_str_reset(&v);
		for (p++;; p++) {
			if (!*p) {
				ok = false;
				break;
			}
			if (*p == '\'' && p[1] == '\'') {
				mig_str_addch(&v, '\'');
				p++;
			} else if (*p == '\\' && p[1]) {
				p++;
				mig_str_addch(&v, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
			} else if (*p == '\'') {
				p++;
				break;
			} else {
				mig_str_addch(&v, *p);
			}
		}
		if (!ok || v.len == 0) {
			ok = false;
			break;
		}
		mig_vec_push(out, mig_arena_strndup(&r->s->arena, v.buf, v.len));
		if (*p == ',') {
			p++;
		} else if (*p != ')') {
			ok = false;
		}
	}
	mig_str_release(&v);
	return ok && out->n > 0;
}

/* An inline ENUM becomes the enum <table>_<column> (numbered on a clash). */
static bool map_enum(struct my_reflector *r, const struct mig_table *t, struct mig_column *c,
		     const char *column_type)
{
	MIG_VEC(const char *) values = { 0 };
	if (!parse_enum_values(r, column_type, &values)) {
		mig_vec_free(&values);
		return false;
	}
	const char *name = mig_arena_printf(&r->s->arena, "%s_%s", t->name, c->name);
	for (int k = 2; mig_schema_find_enum(r->s, NULL, name); k++) {
		name = mig_arena_printf(&r->s->arena, "%s_%s_%d", t->name, c->name, k);
	}
	struct mig_enum *e = mig_schema_add_enum(r->s, NULL, name);
	e->values.v = values.v;
	e->values.n = values.n;
	e->values.alloc = values.alloc;
	memset(&c->type, 0, sizeof(c->type));
	c->type.kind = MIG_TYPE_ENUM;
	c->type.length = c->type.precision = c->type.scale = -1;
	c->type.enum_name = e->name;
	c->type.raw = e->name;
	return true;
}

/* The type of a column: a spelling the model loader reads back as the same
 * type (see the top of the file), parsed as the loader would. */
static void map_type(struct my_reflector *r, size_t ti, struct mig_column *c,
		     const char *data_type, const char *column_type)
{
	const struct mig_table *t = &r->s->tables.v[ti];
	size_t dl = strlen(data_type);
	/* "int(10) unsigned": parameters "10", suffix " unsigned" */
	const char *params = NULL, *suffix = "";
	size_t plen = 0;
	bool split = strncasecmp(column_type, data_type, dl) == 0;
	if (split) {
		const char *p = column_type + dl;
		if (*p == '(' && strchr(p, ')')) {
			params = p + 1;
			plen = (size_t)(strchr(p, ')') - params);
			suffix = strchr(p, ')') + 1;
		} else {
			suffix = p;
		}
	}
	char *spelling = NULL;
	const char *lost = NULL;
	if (strcmp(data_type, "enum") == 0 && map_enum(r, t, c, column_type)) {
		return;
	}
	if (!split) {
		spelling = xstrdup(column_type);
	} else if (strcmp(data_type, "tinyint") == 0 && strcmp(column_type, "tinyint(1)") == 0) {
		spelling = xstrdup("boolean");
	} else if (my_integer(data_type)) {
		const char *generic = strcmp(data_type, "int") == 0 ? "integer" : data_type;
		spelling = *suffix ? xasprintf("%s%s", data_type, suffix) : xstrdup(generic);
	} else if (strcmp(data_type, "decimal") == 0 && !*suffix) {
		spelling = params ? xasprintf("numeric(%.*s)", (int)plen, params)
				  : xstrdup("numeric");
	} else if (strcmp(data_type, "float") == 0 || strcmp(data_type, "double") == 0) {
		bool is_float = strcmp(data_type, "float") == 0;
		spelling = *suffix ? xasprintf("%s%s", data_type, suffix)
				   : xstrdup(is_float ? "real" : "float");
		lost = params ? "precision and scale" : NULL;
	} else if (strcmp(data_type, "datetime") == 0 || strcmp(data_type, "timestamp") == 0 ||
		   strcmp(data_type, "time") == 0) {
		const char *generic = strcmp(data_type, "datetime") == 0    ? "timestamp"
				      : strcmp(data_type, "timestamp") == 0 ? "timestamptz"
									    : "time";
		spelling = params ? xasprintf("%s(%.*s)%s", generic, (int)plen, params, suffix)
				  : xasprintf("%s%s", generic, suffix);
	} else if (strcmp(data_type, "year") == 0) {
		spelling = xasprintf("year%s", suffix);
	} else if (strcmp(data_type, "blob") == 0) {
		spelling = xstrdup("binary");
	} else {
		spelling = xstrdup(column_type);
	}
	struct mig_arena *a = &r->s->arena;
	if (mig_type_parse(a, spelling, &c->type) < 0) {
		mig_error_clear();
		mig_type_parse(a, column_type, &c->type);
		c->type.kind = MIG_TYPE_OTHER;
		c->type.length = c->type.precision = c->type.scale = -1;
	}
	/* the MySQL text, as PostgreSQL keeps format_type()'s */
	if (c->type.kind != MIG_TYPE_OTHER) {
		c->type.raw = mig_arena_strdup(a, column_type);
	}
	if (lost) {
		note(r, ti,
		     "column '%s' of table '%s' has the type '%s': reflected as %s (the model has "
		     "no %s for it)",
		     c->name, t->name, column_type, spelling, lost);
	} else if (!mig_model_type_known(r->s, &c->type)) {
		note(r, ti, "column '%s' of table '%s' has the type '%s' that model files do not "
			    "accept yet",
		     c->name, t->name, c->type.raw);
	}
	free(spelling);
}

/* "current_timestamp()" and "current_timestamp(6)" as the SQL standard
 * spells them; anything else as it is. */
static const char *now_spelling(struct my_reflector *r, const char *expr)
{
	static const char kw[] = "current_timestamp";
	size_t n = sizeof(kw) - 1;
	if (strncasecmp(expr, kw, n) != 0) {
		return ADUP(r, expr);
	}
	const char *p = expr + n;
	if (!*p || strcmp(p, "()") == 0) {
		return ADUP(r, "CURRENT_TIMESTAMP");
	}
	if (p[0] == '(' && isdigit((unsigned char)p[1]) && p[2] == ')' && !p[3]) {
		return mig_arena_printf(&r->s->arena, "CURRENT_TIMESTAMP(%c)", p[1]);
	}
	return ADUP(r, expr);
}

/* Whether MySQL writes a default of this DATA_TYPE without quotes. */
static bool numeric_type(const char *data_type)
{
	static const char *const names[] = { "decimal", "float", "double", "bit", "year", NULL };
	for (size_t i = 0; names[i]; i++) {
		if (strcmp(data_type, names[i]) == 0) {
			return true;
		}
	}
	return my_integer(data_type);
}

/* COLUMN_DEFAULT as the SQL after DEFAULT, or NULL for none. */
static const char *map_default(struct my_reflector *r, const struct mig_column *c,
			       const char *data_type, const char *dflt, const char *extra)
{
	if (!dflt) {
		return NULL;
	}
	bool boolean = c->type.kind == MIG_TYPE_BOOLEAN;
	if (r->mariadb) {
		/* an expression already: NULL, 'text', 0, current_timestamp(), (1 + 2) */
		if (strcmp(dflt, "NULL") == 0) {
			return NULL;
		}
	} else if (find_word(extra, "DEFAULT_GENERATED")) {
		const char *now = now_spelling(r, dflt);
		if (mig_starts_with(now, "CURRENT_TIMESTAMP")) {
			return now;
		}
		return mig_arena_printf(&r->s->arena, "(%s)", dflt);
	} else if (!numeric_type(data_type)) {
		char *q = mig_db_quote_literal(r->db, dflt);
		const char *v = ADUP(r, q);
		free(q);
		return v;
	}
	if (boolean && (strcmp(dflt, "1") == 0 || strcmp(dflt, "0") == 0)) {
		return ADUP(r, dflt[0] == '1' ? "true" : "false");
	}
	return now_spelling(r, dflt);
}

static int load_columns(struct my_reflector *r)
{
	struct mig_rows rows;
	int rc = run(r, sql_columns, &rows);
	if (rc < 0) {
		goto done;
	}
	long ti = -1;
	const char *last = NULL;
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *tname = CELL(&rows, i, CO_TABLE);
		if (!last || strcmp(tname, last) != 0) {
			ti = find_table(r, tname);
			last = tname;
		}
		if (ti < 0) {
			continue; /* a view, a sequence or an excluded table */
		}
		struct mig_table *t = &r->s->tables.v[ti];
		struct my_tinfo *info = &r->tinfo.v[ti];
		const char *extra = CELL(&rows, i, CO_EXTRA);
		char *data_type = xstrdup(CELL(&rows, i, CO_DATA_TYPE));
		mig_str_lower(data_type);
		struct mig_column c;
		memset(&c, 0, sizeof(c));
		c.name = ADUP(r, CELL(&rows, i, CO_NAME));
		c.nullable = strcmp(CELL(&rows, i, CO_NULLABLE), "YES") == 0;
		map_type(r, (size_t)ti, &c, data_type, CELL(&rows, i, CO_COLUMN_TYPE));
		const char *generated = nonempty(CELL(&rows, i, CO_GENERATED));
		if (generated && find_word(extra, "GENERATED")) {
			c.computed_sql = ADUP(r, generated);
			c.computed_stored =
				find_word(extra, "STORED") || find_word(extra, "PERSISTENT");
		} else {
			c.default_sql =
				map_default(r, &c, data_type, CELL(&rows, i, CO_DEFAULT), extra);
		}
		const char *on_update = find_word(extra, "on update ");
		if (on_update) {
			c.on_update_sql = now_spelling(r, on_update + strlen("on update "));
		}
		const char *coll = CELL(&rows, i, CO_COLLATION);
		if (coll && !mig_streq(coll, info->collation)) {
			c.collation = ADUP(r, coll);
		}
		c.comment = ADUP(r, nonempty(CELL(&rows, i, CO_COMMENT)));
		if (find_word(extra, "INVISIBLE")) {
			note(r, (size_t)ti,
			     "column '%s' of table '%s' is invisible; reflected as a visible "
			     "column (the model has no invisible columns)",
			     c.name, t->name);
		}
		struct my_cinfo ci = { ADUP(r, data_type),
				       find_word(extra, "auto_increment") != NULL };
		free(data_type);
		mig_vec_push(&t->columns, c);
		mig_vec_push(&info->cols, ci);
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- indexes ---- */

/* An index being read: its parts so far and what decides where it goes. */
struct my_ix {
	long table;
	struct mig_index ix;
	const char *type; /* INDEX_TYPE: BTREE, HASH, FULLTEXT, SPATIAL */
	bool prefix;      /* a part indexes a prefix of its column */
};

/* The primary key, a unique constraint (a unique index over whole columns,
 * which is how MySQL keeps unique constraints) or an index. */
static void place_index(struct my_reflector *r, struct my_ix *cur)
{
	struct mig_table *t = &r->s->tables.v[cur->table];
	struct mig_index *ix = &cur->ix;
	bool plain = !cur->prefix;
	for (size_t k = 0; k < ix->elems.n; k++) {
		plain = plain && ix->elems.v[k].column && !ix->elems.v[k].desc;
	}
	if (strcmp(ix->name, "PRIMARY") == 0) {
		for (size_t k = 0; k < ix->elems.n; k++) {
			const char *col = ix->elems.v[k].column;
			struct mig_column *c = col ? mig_table_find_column(t, col) : NULL;
			if (c) {
				mig_vec_push(&t->pk.columns, c->name);
				c->primary_key = true;
				c->nullable = false;
			}
		}
		if (cur->prefix) {
			note(r, (size_t)cur->table,
			     "primary key of table '%s' uses prefix lengths that the model does "
			     "not represent (reflected without them)",
			     t->name);
		}
		mig_vec_free(&ix->elems);
		return;
	}
	bool btree = strcmp(cur->type, "BTREE") == 0;
	if (ix->unique && plain && (btree || strcmp(cur->type, "HASH") == 0)) {
		/* HASH here is MariaDB's unique key over long values, made again
		 * by the server for the same columns */
		struct mig_unique u;
		memset(&u, 0, sizeof(u));
		u.name = ix->name;
		for (size_t k = 0; k < ix->elems.n; k++) {
			mig_vec_push(&u.columns, ix->elems.v[k].column);
		}
		mig_vec_push(&t->uniques, u);
		mig_vec_free(&ix->elems);
		return;
	}
	if (!btree) {
		char *using = xstrdup(cur->type);
		mig_str_lower(using);
		ix->using = ADUP(r, using);
		free(using);
	}
	mig_vec_push(&t->indexes, *ix);
}

static int load_indexes(struct my_reflector *r)
{
	struct mig_rows rows;
	/* functional key parts: MySQL 8.0.13 */
	bool expressions = !r->mariadb && r->version >= 80013;
	char *sql = xasprintf(sql_indexes, expressions ? "EXPRESSION" : "NULL");
	int rc = run(r, sql, &rows);
	free(sql);
	if (rc < 0) {
		goto done;
	}
	struct my_ix cur;
	memset(&cur, 0, sizeof(cur));
	bool open = false;
	for (size_t i = 0; i <= rows.nrows; i++) {
		const char *tname = i < rows.nrows ? CELL(&rows, i, IX_TABLE) : NULL;
		const char *iname = i < rows.nrows ? CELL(&rows, i, IX_NAME) : NULL;
		if (open && (!tname || strcmp(tname, r->s->tables.v[cur.table].name) != 0 ||
			     strcmp(iname, cur.ix.name) != 0)) {
			place_index(r, &cur);
			open = false;
		}
		if (!tname) {
			break;
		}
		if (!open) {
			long ti = find_table(r, tname);
			if (ti < 0) {
				continue;
			}
			memset(&cur, 0, sizeof(cur));
			cur.table = ti;
			cur.ix.name = ADUP(r, iname);
			cur.ix.unique = strcmp(CELL(&rows, i, IX_NON_UNIQUE), "0") == 0;
			cur.type = ADUP(r, CELL(&rows, i, IX_TYPE));
			open = true;
		}
		const struct mig_table *t = &r->s->tables.v[cur.table];
		struct mig_index_elem e = { NULL, NULL, false };
		const char *col = CELL(&rows, i, IX_COLUMN);
		const char *expr = CELL(&rows, i, IX_EXPRESSION);
		const char *sub_part = CELL(&rows, i, IX_SUB_PART);
		e.desc = mig_streq(CELL(&rows, i, IX_COLLATION), "D");
		if (expr) {
			e.expression = ADUP(r, expr);
		} else if (col && sub_part && strcmp(cur.type, "SPATIAL") != 0) {
			/* a prefix key part, as MySQL writes it: `col`(n) */
			char *q = mig_db_quote_ident(r->db, col);
			e.expression = mig_arena_printf(&r->s->arena, "%s(%s)", q, sub_part);
			free(q);
			cur.prefix = true;
		} else {
			e.column = column_name(r, t, col ? col : "?");
		}
		mig_vec_push(&cur.ix.elems, e);
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- foreign keys ---- */

static enum mig_fk_action fk_action(const char *rule)
{
	if (mig_streq(rule, "CASCADE")) {
		return MIG_FK_CASCADE;
	}
	if (mig_streq(rule, "SET NULL")) {
		return MIG_FK_SET_NULL;
	}
	if (mig_streq(rule, "SET DEFAULT")) {
		return MIG_FK_SET_DEFAULT;
	}
	if (mig_streq(rule, "NO ACTION")) {
		return MIG_FK_NO_ACTION;
	}
	return MIG_FK_NONE; /* RESTRICT: what the server does when none is given */
}

static int load_fks(struct my_reflector *r)
{
	struct mig_rows rows;
	int rc = run(r, sql_fks, &rows);
	if (rc < 0) {
		goto done;
	}
	struct mig_foreign_key *fk = NULL;
	long ti = -1, rti = -1;
	const char *on_update = NULL, *on_delete = NULL;
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *tname = CELL(&rows, i, FK_TABLE);
		const char *name = CELL(&rows, i, FK_NAME);
		bool new_key = i == 0 || strcmp(tname, CELL(&rows, i - 1, FK_TABLE)) != 0 ||
			       strcmp(name, CELL(&rows, i - 1, FK_NAME)) != 0;
		if (new_key) {
			fk = NULL;
			on_update = on_delete = NULL;
			ti = find_table(r, tname);
		}
		if (ti < 0) {
			continue;
		}
		if (strcmp(CELL(&rows, i, FK_POSITION), "0") == 0) {
			on_update = CELL(&rows, i, FK_ON_UPDATE);
			on_delete = CELL(&rows, i, FK_ON_DELETE);
			continue;
		}
		if (!fk && strcmp(CELL(&rows, i, FK_POSITION), "1") == 0) {
			const char *rschema = CELL(&rows, i, FK_REF_SCHEMA);
			const char *rtable = CELL(&rows, i, FK_REF_TABLE);
			bool here = mig_streq(rschema, r->database);
			rti = here ? find_table_nocase(r, rtable) : -1;
			if (rti < 0) {
				note(r, (size_t)ti,
				     "foreign key '%s' of table '%s' references table '%s%s%s', "
				     "which is not reflected (left out)",
				     name, tname, here ? "" : rschema, here ? "" : ".", rtable);
				ti = -1;
				continue;
			}
			struct mig_table *t = &r->s->tables.v[ti];
			struct mig_foreign_key f;
			memset(&f, 0, sizeof(f));
			f.name = ADUP(r, name);
			f.ref_table = r->s->tables.v[rti].name;
			f.on_update = fk_action(on_update);
			f.on_delete = fk_action(on_delete);
			mig_vec_push(&t->fks, f);
			fk = &t->fks.v[t->fks.n - 1];
		}
		if (!fk) {
			continue;
		}
		const struct mig_table *t = &r->s->tables.v[ti];
		const struct mig_table *rt = &r->s->tables.v[rti];
		mig_vec_push(&fk->columns, column_name(r, t, CELL(&rows, i, FK_COLUMN)));
		mig_vec_push(&fk->ref_columns, column_name(r, rt, CELL(&rows, i, FK_REF_COLUMN)));
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* The foreign key of t behind which MySQL made the index ix itself, or NULL. An
 * InnoDB foreign key needs an index whose first columns are its columns, and
 * the server creates one when there is none, named after the constraint when
 * it has a name of its own (CONSTRAINT x or FOREIGN KEY x) and else after
 * its first column (pa, or pa_2 when pa is taken); creating a usable index
 * later drops it. Such an index is the foreign key's, not a declared one:
 * creating the key again creates it again. So an index is implicit when it
 * is a plain non-unique index over exactly the key's columns, in order,
 * named after the key or after its first column. An index declared with
 * exactly that name and those columns looks the same and is read as
 * implicit too, which gives the same database back. */
static struct mig_foreign_key *implicit_fk_index(struct mig_table *t, const struct mig_index *ix)
{
	if (ix->unique || ix->using || ix->where) {
		return NULL;
	}
	for (size_t k = 0; k < ix->elems.n; k++) {
		if (!ix->elems.v[k].column || ix->elems.v[k].desc) {
			return NULL;
		}
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		struct mig_foreign_key *f = &t->fks.v[i];
		if (f->columns.n != ix->elems.n) {
			continue;
		}
		bool same = true;
		for (size_t k = 0; k < f->columns.n && same; k++) {
			same = mig_strieq(f->columns.v[k], ix->elems.v[k].column);
		}
		if (!same) {
			continue;
		}
		const char *first = f->columns.v[0];
		size_t n = strlen(first);
		if (mig_strieq(ix->name, f->name) || mig_strieq(ix->name, first)) {
			return f;
		}
		/* pa_2, pa_3 …: the first column's name was taken */
		const char *p = ix->name + n;
		if (strncasecmp(ix->name, first, n) == 0 && p[0] == '_' && p[1] >= '1' &&
		    p[1] <= '9' && strspn(p + 1, "0123456789") == strlen(p + 1)) {
			return f;
		}
	}
	return NULL;
}

static void drop_implicit_indexes(struct mig_table *t)
{
	size_t kept = 0;
	for (size_t i = 0; i < t->indexes.n; i++) {
		struct mig_foreign_key *f = implicit_fk_index(t, &t->indexes.v[i]);
		if (f) {
			f->index = t->indexes.v[i].name;
			mig_vec_free(&t->indexes.v[i].elems);
			continue;
		}
		t->indexes.v[kept++] = t->indexes.v[i];
	}
	t->indexes.n = kept;
}

/* ---- checks ---- */

/* MariaDB's JSON: a longtext with the column check json_valid(`col`),
 * named after the column. */
static bool json_check(struct my_reflector *r, size_t ti, const char *name, const char *clause,
		       const char *level)
{
	struct mig_table *t = &r->s->tables.v[ti];
	if (level && strcmp(level, "Column") != 0) {
		return false;
	}
	for (size_t k = 0; k < t->columns.n; k++) {
		struct mig_column *c = &t->columns.v[k];
		if (!mig_strieq(c->name, name) || strcmp(r->tinfo.v[ti].cols.v[k].data_type,
							 "longtext") != 0) {
			continue;
		}
		char *q = mig_db_quote_ident(r->db, c->name);
		char *want = xasprintf("json_valid(%s)", q);
		bool json = strcmp(clause, want) == 0;
		free(want);
		free(q);
		if (json) {
			mig_type_parse(&r->s->arena, "json", &c->type);
			c->type.raw = ADUP(r, "json");
			c->collation = NULL;
		}
		return json;
	}
	return false;
}

static int check_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mig_check *)a)->name, ((const struct mig_check *)b)->name);
}

static int load_checks(struct my_reflector *r)
{
	const char *sql = sql_checks_none;
	if (r->mariadb && r->version >= 100510) {
		sql = sql_checks_mariadb_level;
	} else if (r->mariadb && r->version >= 100222) {
		sql = sql_checks_mariadb;
	} else if (!r->mariadb && r->version >= 80016) {
		sql = sql_checks_mysql;
	}
	struct mig_rows rows;
	int rc = run(r, sql, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		long ti = find_table(r, CELL(&rows, i, CK_TABLE));
		if (ti < 0) {
			continue;
		}
		const char *name = CELL(&rows, i, CK_NAME);
		const char *clause = CELL(&rows, i, CK_CLAUSE);
		if (json_check(r, (size_t)ti, name, clause, CELL(&rows, i, CK_LEVEL))) {
			continue;
		}
		struct mig_check c;
		memset(&c, 0, sizeof(c));
		c.name = ADUP(r, name);
		c.sql = ADUP(r, clause);
		const char *level = CELL(&rows, i, CK_LEVEL);
		if (level && strcmp(level, "Column") == 0) {
			c.column = ADUP(r, name); /* MariaDB names it after its column */
		}
		mig_vec_push(&r->s->tables.v[ti].checks, c);
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- other objects ---- */

static bool found_partition(const struct my_reflector *r, const char *table, const char *name)
{
	for (size_t i = 0; i < r->found.n; i++) {
		const struct mig_object *o = &r->found.v[i].obj;
		if (o->kind == MIG_OBJ_PARTITION && strcmp(o->name, name) == 0 &&
		    strcmp(o->detail, table) == 0) {
			return true;
		}
	}
	return false;
}

static int load_objects(struct my_reflector *r)
{
	struct mig_rows rows;
	int rc = run(r, sql_objects, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *kind = CELL(&rows, i, OB_KIND);
		const char *name = CELL(&rows, i, OB_NAME);
		const char *table = CELL(&rows, i, OB_TABLE);
		if (strcmp(kind, "trigger") == 0) {
			if (excluded(r, table)) {
				continue;
			}
			add_found(r, MIG_OBJ_TRIGGER, name, table,
				  xasprintf("trigger '%s' on table '%s' is not represented in the "
					    "model (ignored by migrate)",
					    name, table));
		} else if (strcmp(kind, "partition") == 0) {
			long ti = find_table(r, table);
			if (ti < 0 || found_partition(r, table, name)) {
				continue;
			}
			if (!r->tinfo.v[ti].partitioned) {
				r->tinfo.v[ti].partitioned = true;
				note(r, (size_t)ti,
				     "table '%s' is partitioned (PARTITION BY %s); the "
				     "partitioning is not represented in the model",
				     table, CELL(&rows, i, OB_DETAIL));
			}
			add_found(r, MIG_OBJ_PARTITION, name, table,
				  xasprintf("partition '%s' of table '%s' is not represented in "
					    "the model (ignored by migrate)",
					    name, table));
		} else if (strcmp(kind, "function") == 0) {
			add_ignored(r, MIG_OBJ_FUNCTION, "function", name, NULL);
		} else if (strcmp(kind, "procedure") == 0) {
			add_ignored(r, MIG_OBJ_PROCEDURE, "procedure", name, NULL);
		} else {
			/* events, and MariaDB's packages (sql_mode=ORACLE) */
			add_ignored(r, MIG_OBJ_OTHER, kind, name, kind);
		}
	}
done:
	mig_rows_release(&rows);
	return rc;
}

/* ---- putting it together ---- */

static int index_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mig_index *)a)->name, ((const struct mig_index *)b)->name);
}

static int unique_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mig_unique *)a)->name, ((const struct mig_unique *)b)->name);
}

static int fk_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mig_foreign_key *)a)->name,
		      ((const struct mig_foreign_key *)b)->name);
}

static int enum_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mig_enum *)a)->name, ((const struct mig_enum *)b)->name);
}

#define SORT(vec, cmp)                                                                             \
	do {                                                                                       \
		if ((vec).n > 1) {                                                                 \
			qsort((vec).v, (vec).n, sizeof((vec).v[0]), cmp);                          \
		}                                                                                  \
	} while (0)

static bool integer_kind(enum mig_type_kind k)
{
	return k == MIG_TYPE_SMALLINT || k == MIG_TYPE_INTEGER || k == MIG_TYPE_BIGINT;
}

/* The model's rule: a single integer primary key autoincrements unless told
 * otherwise. Say so wherever the database disagrees, and say it outright for
 * MySQL's own integer types (tinyint, mediumint, unsigned), which the rule
 * may not cover. */
static void settle_autoincrement(struct my_reflector *r, size_t ti)
{
	struct mig_table *t = &r->s->tables.v[ti];
	for (size_t k = 0; k < t->columns.n; k++) {
		struct mig_column *c = &t->columns.v[k];
		const struct my_cinfo *ci = &r->tinfo.v[ti].cols.v[k];
		bool single_pk = t->pk.columns.n == 1 && strcmp(t->pk.columns.v[0], c->name) == 0;
		if (ci->auto_increment) {
			c->autoincrement =
				single_pk && integer_kind(c->type.kind) ? MIG_UNSET : MIG_TRUE;
		} else if (single_pk && c->type.kind != MIG_TYPE_BOOLEAN &&
			   my_integer(ci->data_type)) {
			c->autoincrement = MIG_FALSE;
		}
	}
}

/* Per table: autoincrement settled, implicit indexes left out, everything
 * in name order. */
static void finish_tables(struct my_reflector *r)
{
	for (size_t i = 0; i < r->s->tables.n; i++) {
		struct mig_table *t = &r->s->tables.v[i];
		settle_autoincrement(r, i);
		drop_implicit_indexes(t);
		SORT(t->indexes, index_cmp);
		SORT(t->uniques, unique_cmp);
		SORT(t->fks, fk_cmp);
		SORT(t->checks, check_cmp);
	}
	SORT(r->s->enums, enum_cmp);
}

static int note_cmp(const void *a, const void *b)
{
	const struct my_note *x = a, *y = b;
	if (x->table != y->table) {
		return x->table < y->table ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_opt(const char *a, const char *b)
{
	if (!a || !b) {
		return (a != NULL) - (b != NULL);
	}
	return strcmp(a, b);
}

static int found_cmp(const void *a, const void *b)
{
	const struct my_found *x = a, *y = b;
	int d;
	if (x->obj.kind != y->obj.kind) {
		return x->obj.kind < y->obj.kind ? -1 : 1;
	}
	if ((d = strcmp(x->obj.name, y->obj.name)) != 0) {
		return d;
	}
	return cmp_opt(x->obj.detail, y->obj.detail);
}

/* The warnings about tables first (in table order), then the objects in a
 * fixed order (kind, name) with one warning each. */
static void record_found(struct my_reflector *r)
{
	SORT(r->notes, note_cmp);
	for (size_t i = 0; i < r->notes.n; i++) {
		mig_strlist_push_owned(&r->s->warnings, r->notes.v[i].text);
		r->notes.v[i].text = NULL;
	}
	SORT(r->found, found_cmp);
	for (size_t i = 0; i < r->found.n; i++) {
		mig_vec_push(&r->s->objects, r->found.v[i].obj);
		if (!mig_strlist_has(&r->s->warnings, r->found.v[i].warning)) {
			mig_strlist_push(&r->s->warnings, r->found.v[i].warning);
		}
	}
}

int my_reflect(struct mig_db *db, const struct mig_reflect_opts *opts, struct mig_schema **out)
{
	struct my_reflector r;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.opts = opts;
	r.s = mig_schema_new();
	int rc;
	if ((rc = read_server(&r)) < 0 || (rc = load_tables(&r)) < 0 ||
	    (rc = load_columns(&r)) < 0 || (rc = load_indexes(&r)) < 0 ||
	    (rc = load_fks(&r)) < 0 || (rc = load_checks(&r)) < 0 ||
	    (rc = load_objects(&r)) < 0) {
		goto done;
	}
	finish_tables(&r);
	record_found(&r);
done:
	for (size_t i = 0; i < r.tinfo.n; i++) {
		mig_vec_free(&r.tinfo.v[i].cols);
	}
	mig_vec_free(&r.tinfo);
	for (size_t i = 0; i < r.notes.n; i++) {
		free(r.notes.v[i].text);
	}
	mig_vec_free(&r.notes);
	for (size_t i = 0; i < r.found.n; i++) {
		free(r.found.v[i].warning);
	}
	mig_vec_free(&r.found);
	if (rc < 0) {
		mig_error_prefix("cannot reflect the database");
		mig_schema_free(r.s);
		return rc;
	}
	*out = r.s;
	return 0;
}
