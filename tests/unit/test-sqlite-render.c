/* Unit tests for the SQLite renderer (dialects/sqlite-render.c) and the
 * dialect's foreign key handling: the exact statements of every op, then
 * those statements run on a real database file, whose result is read back
 * from sqlite_schema and the pragma functions. */
#include "helpers.h"

#include "dialect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	char *dir;
	struct mig_db *db;
	const struct mig_dialect_impl *impl;
	struct mig_schema *schema; /* the schema the ops have built so far */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->dir = mig_test_tmpdir();
	char *url = xasprintf("sqlite:///%s/test.db", f->dir);
	mig_assert_ok(mig_db_open(&f->db, url));
	free(url);
	f->impl = mig_db_dialect(f->db);
	f->schema = mig_schema_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	mig_db_close(f->db);
	mig_schema_free(f->schema);
	mig_test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void show_difference(const char *got, const char *want)
{
	size_t line = 1;
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		if (*g == '\n') {
			line++;
		}
		g++;
		w++;
	}
	while (g > got && g[-1] != '\n') {
		g--;
		w--;
	}
	fprintf(stderr, "texts differ at line %zu\n got: %.*s\nwant: %.*s\n--- got in full:\n%s\n",
		line, (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"), w, got);
}

#define assert_text(got, want) assert_text_at((got), (want), __FILE__, __LINE__)
static void assert_text_at(const char *got, const char *want, const char *file, int line)
{
	if (strcmp(got, want) != 0) {
		show_difference(got, want);
		_fail(file, line);
	}
}

/* Render the ops of yaml against f->schema (applying each op after rendering
 * it), returning the statements each followed by ";\n". With run, execute
 * them too. */
static char *render_ops(struct fx *f, const char *yaml, bool run)
{
	struct mig_oplist ops;
	struct mig_str out = MIG_STR_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string("ops.yaml", yaml, &ops));
	for (size_t i = 0; i < ops.ops.n; i++) {
		struct mig_strlist stmts = MIG_STRLIST_INIT;
		mig_assert_ok(mig_render_op(f->impl, f->schema, false, &ops.ops.v[i], &stmts));
		for (size_t j = 0; j < stmts.n; j++) {
			mig_str_addf(&out, "%s;\n", stmts.v[j]);
			if (run) {
				mig_assert_ok(mig_db_exec(f->db, stmts.v[j]));
			}
		}
		mig_strlist_release(&stmts);
		mig_assert_ok(mig_schema_apply(f->schema, &ops.ops.v[i]));
	}
	mig_oplist_release(&ops);
	return mig_str_detach(&out);
}

/* The result of a query: cells joined by '|', rows ended by '\n'. */
static char *query(struct fx *f, const char *sql)
{
	struct mig_rows rows;
	struct mig_str out = MIG_STR_INIT;
	mig_assert_ok(mig_db_query(f->db, sql, &rows));
	for (size_t r = 0; r < rows.nrows; r++) {
		for (size_t c = 0; c < rows.ncols; c++) {
			const char *v = mig_rows_get(&rows, r, c);
			mig_str_addf(&out, "%s%s", c ? "|" : "", v ? v : "NULL");
		}
		mig_str_addch(&out, '\n');
	}
	mig_rows_release(&rows);
	return mig_str_detach(&out);
}

#define assert_query(f, sql, want) assert_query_at((f), (sql), (want), __FILE__, __LINE__)
static void assert_query_at(struct fx *f, const char *sql, const char *want, const char *file,
			    int line)
{
	char *got = query(f, sql);
	assert_text_at(got, want, file, line);
	free(got);
}

/* Rendering one op fails with exactly want. */
static void assert_render_fails(struct fx *f, const struct mig_schema *schema, const char *yaml,
				const char *want)
{
	struct mig_oplist ops;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string("ops.yaml", yaml, &ops));
	assert_int_equal(ops.ops.n, 1);
	mig_assert_fails_with(mig_render_op(f->impl, schema, false, &ops.ops.v[0], &stmts), want);
	assert_int_equal(stmts.n, 0);
	mig_oplist_release(&ops);
}

/* Render the ops, compare the statements with want, and run them. */
#define assert_ops(f, yaml, want) assert_ops_at((f), (yaml), (want), __FILE__, __LINE__)
static void assert_ops_at(struct fx *f, const char *yaml, const char *want, const char *file,
			  int line)
{
	char *got = render_ops(f, yaml, true);
	assert_text_at(got, want, file, line);
	free(got);
}

static void test_sqlite_render_create_table(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_enum: {name: order_status, values: [pending, paid, shipped]}\n"
		   "- create_table:\n"
		   "    name: orgs\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true, autoincrement: true}\n"
		   "      name: {type: text, nullable: false, collation: NOCASE}\n"
		   "- create_table:\n"
		   "    name: orders\n"
		   "    comment: Orders placed\n"
		   "    columns:\n"
		   "      id: {type: bigint, primary_key: true}\n"
		   "      org_id: {type: integer, references: orgs.id, on_delete: cascade}\n"
		   "      status: {type: order_status, nullable: false, default: \"'pending'\"}\n"
		   "      total: {type: 'numeric(10,2)', default: '0'}\n"
		   "      ratio: float\n"
		   "      score: real\n"
		   "      flag: {type: boolean, default: 'TRUE'}\n"
		   "      small: smallint\n"
		   "      code: char(3)\n"
		   "      label: varchar(20)\n"
		   "      body: text\n"
		   "      doc: json\n"
		   "      token: uuid\n"
		   "      data: binary\n"
		   "      day: date\n"
		   "      at: time\n"
		   "      created_at: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}\n"
		   "      seen_at: timestamptz\n"
		   "      span: interval\n"
		   "      lower_code: {type: text, computed: {sql: lower(code), stored: false}}\n"
		   "      doubled: {type: integer, computed: {sql: small * 2, stored: true}}\n"
		   "      slug: {type: text, default: \"lower('X')\"}\n"
		   "      geo: point\n"
		   "      note: {type: text, comment: free text}\n"
		   "    indexes:\n"
		   "      - {name: ix_orders_status_day, columns: [status, day DESC]}\n"
		   "      - {name: ix_orders_lower_code, expressions: [lower(code)], unique: true,\n"
		   "         where: code IS NOT NULL}\n"
		   "    unique:\n"
		   "      - {name: uq_orders_code, columns: [code, small]}\n"
		   "    checks:\n"
		   "      - {name: ck_orders_total, sql: total >= 0}\n"
		   "    foreign_keys:\n"
		   "      - {name: fk_orders_self, columns: [small], references: {table: orders,\n"
		   "         columns: [id]}, on_update: set null, deferrable: true,\n"
		   "         initially_deferred: true}\n",
		   "CREATE TABLE \"orgs\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
		   "\t\"name\" TEXT NOT NULL COLLATE \"NOCASE\"\n"
		   ");\n"
		   "CREATE TABLE \"orders\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"org_id\" INTEGER,\n"
		   "\t\"status\" VARCHAR(7) NOT NULL DEFAULT 'pending' CONSTRAINT \"order_status\" "
		   "CHECK (\"status\" IN ('pending', 'paid', 'shipped')),\n"
		   "\t\"total\" NUMERIC(10, 2) DEFAULT 0,\n"
		   "\t\"ratio\" FLOAT,\n"
		   "\t\"score\" REAL,\n"
		   "\t\"flag\" BOOLEAN DEFAULT TRUE,\n"
		   "\t\"small\" SMALLINT,\n"
		   "\t\"code\" CHAR(3),\n"
		   "\t\"label\" VARCHAR(20),\n"
		   "\t\"body\" TEXT,\n"
		   "\t\"doc\" TEXT,\n"
		   "\t\"token\" CHAR(36),\n"
		   "\t\"data\" BLOB,\n"
		   "\t\"day\" DATE,\n"
		   "\t\"at\" TIME,\n"
		   "\t\"created_at\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
		   "\t\"seen_at\" TIMESTAMPTZ,\n"
		   "\t\"span\" INTERVAL,\n"
		   "\t\"lower_code\" TEXT GENERATED ALWAYS AS (lower(code)) VIRTUAL,\n"
		   "\t\"doubled\" INTEGER GENERATED ALWAYS AS (small * 2) STORED,\n"
		   "\t\"slug\" TEXT DEFAULT (lower('X')),\n"
		   "\t\"geo\" point,\n"
		   "\t\"note\" TEXT,\n"
		   "\tCONSTRAINT \"uq_orders_code\" UNIQUE (\"code\", \"small\"),\n"
		   "\tCONSTRAINT \"ck_orders_total\" CHECK (total >= 0),\n"
		   "\tCONSTRAINT \"fk_orders_self\" FOREIGN KEY (\"small\") REFERENCES \"orders\" "
		   "(\"id\") ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,\n"
		   "\tFOREIGN KEY (\"org_id\") REFERENCES \"orgs\" (\"id\") ON DELETE CASCADE\n"
		   ");\n"
		   "CREATE INDEX \"ix_orders_status_day\" ON \"orders\" (\"status\", \"day\" DESC);\n"
		   "CREATE UNIQUE INDEX \"ix_orders_lower_code\" ON \"orders\" (lower(code)) "
		   "WHERE code IS NOT NULL;\n");
	/* what SQLite made of it */
	assert_query(f,
		     "SELECT name, type, \"notnull\", coalesce(dflt_value, '-'), pk, hidden "
		     "FROM pragma_table_xinfo('orders')",
		     "id|INTEGER|1|-|1|0\n"
		     "org_id|INTEGER|0|-|0|0\n"
		     "status|VARCHAR(7)|1|'pending'|0|0\n"
		     "total|NUMERIC(10, 2)|0|0|0|0\n"
		     "ratio|FLOAT|0|-|0|0\n"
		     "score|REAL|0|-|0|0\n"
		     "flag|BOOLEAN|0|TRUE|0|0\n"
		     "small|SMALLINT|0|-|0|0\n"
		     "code|CHAR(3)|0|-|0|0\n"
		     "label|VARCHAR(20)|0|-|0|0\n"
		     "body|TEXT|0|-|0|0\n"
		     "doc|TEXT|0|-|0|0\n"
		     "token|CHAR(36)|0|-|0|0\n"
		     "data|BLOB|0|-|0|0\n"
		     "day|DATE|0|-|0|0\n"
		     "at|TIME|0|-|0|0\n"
		     "created_at|TIMESTAMP|1|CURRENT_TIMESTAMP|0|0\n"
		     "seen_at|TIMESTAMPTZ|0|-|0|0\n"
		     "span|INTERVAL|0|-|0|0\n"
		     "lower_code|TEXT|0|-|0|2\n"
		     "doubled|INTEGER|0|-|0|3\n"
		     "slug|TEXT|0|lower('X')|0|0\n"
		     "geo|point|0|-|0|0\n"
		     "note|TEXT|0|-|0|0\n");
	assert_query(f,
		     "SELECT name, \"unique\", origin, partial FROM pragma_index_list('orders') "
		     "ORDER BY name",
		     "ix_orders_lower_code|1|c|1\n"
		     "ix_orders_status_day|0|c|0\n"
		     "sqlite_autoindex_orders_1|1|u|0\n");
	assert_query(f,
		     "SELECT \"table\", \"from\", \"to\", on_update, on_delete "
		     "FROM pragma_foreign_key_list('orders') ORDER BY id",
		     "orgs|org_id|id|NO ACTION|CASCADE\n"
		     "orders|small|id|SET NULL|NO ACTION\n");
	/* the rowid alias, AUTOINCREMENT, defaults, the collation and the checks work */
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO orgs (name) VALUES ('Acme')"));
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO orders (org_id, code) VALUES (1, 'ab')"));
	assert_query(f,
		     "SELECT o.id, o.status, o.total, o.flag, o.slug, o.lower_code, "
		     "o.created_at IS NOT NULL, g.name = 'ACME' FROM orders o JOIN orgs g "
		     "ON g.id = o.org_id",
		     "1|pending|0|1|x|ab|1|1\n");
	assert_query(f, "SELECT name, seq FROM sqlite_sequence", "orgs|1\n");
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO orders (status) VALUES ('lost')"),
			      "sqlite error: CHECK constraint failed: order_status\n"
			      "INSERT INTO orders (status) VALUES ('lost')");
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO orders (total) VALUES (-1)"),
			      "sqlite error: CHECK constraint failed: ck_orders_total\n"
			      "INSERT INTO orders (total) VALUES (-1)");
}

static void test_sqlite_render_primary_keys(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table: {name: a, columns: {id: {type: bigint, primary_key: true}}}\n"
		   "- create_table:\n"
		   "    name: b\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true, autoincrement: false}\n"
		   "      v: text\n"
		   "- create_table:\n"
		   "    name: c\n"
		   "    primary_key: {name: pk_c, columns: [x, y]}\n"
		   "    columns: {x: integer, y: text}\n"
		   "- create_table:\n"
		   "    name: d\n"
		   "    primary_key: {name: pk_d, columns: [id]}\n"
		   "    columns: {id: integer}\n"
		   "- create_table: {name: e, columns: {code: {type: text, primary_key: true}}}\n"
		   "- create_table:\n"
		   "    name: w\n"
		   "    options: WITHOUT ROWID\n"
		   "    columns: {id: {type: integer, primary_key: true}}\n"
		   "- create_table: {name: m, options: ENGINE=InnoDB, columns: {v: text}}\n",
		   "CREATE TABLE \"a\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY\n"
		   ");\n"
		   "CREATE TABLE \"b\" (\n"
		   "\t\"id\" INTEGER NOT NULL,\n"
		   "\t\"v\" TEXT,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n"
		   "CREATE TABLE \"c\" (\n"
		   "\t\"x\" INTEGER NOT NULL,\n"
		   "\t\"y\" TEXT NOT NULL,\n"
		   "\tCONSTRAINT \"pk_c\" PRIMARY KEY (\"x\", \"y\")\n"
		   ");\n"
		   "CREATE TABLE \"d\" (\n"
		   "\t\"id\" INTEGER NOT NULL CONSTRAINT \"pk_d\" PRIMARY KEY\n"
		   ");\n"
		   "CREATE TABLE \"e\" (\n"
		   "\t\"code\" TEXT NOT NULL,\n"
		   "\tPRIMARY KEY (\"code\")\n"
		   ");\n"
		   "CREATE TABLE \"w\" (\n"
		   "\t\"id\" INTEGER NOT NULL,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ") WITHOUT ROWID;\n"
		   "CREATE TABLE \"m\" (\n"
		   "\t\"v\" TEXT\n"
		   ");\n");
	/* a bigint primary key is a rowid alias: ids come by themselves */
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO a DEFAULT VALUES; INSERT INTO a DEFAULT VALUES"));
	assert_query(f, "SELECT id FROM a", "1\n2\n");
	assert_query(f, "SELECT name, pk FROM pragma_table_info('c')", "x|1\ny|2\n");
	assert_query(f, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'", "0\n");
	assert_render_fails(f, f->schema,
			    "- create_table:\n"
			    "    name: x\n"
			    "    columns: {code: {type: text, primary_key: true, autoincrement: true}}\n",
			    "ops.yaml:1:3: create_table: column 'x.code': sqlite generates values "
			    "only for a single integer primary key of a rowid table");
}

static void test_sqlite_render_defaults(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table:\n"
		   "    name: t\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      a: {type: integer, default: '-1'}\n"
		   "      b: {type: text, default: \"'it''s'\"}\n"
		   "      c: {type: text, default: \"lower('X')\"}\n"
		   "      d: {type: text, default: \"(upper('y'))\"}\n"
		   "      e: {type: timestamp, default: current_timestamp}\n"
		   "      f: {type: binary, default: \"x'00ff'\"}\n"
		   "      g: {type: float, default: '1.5e3'}\n"
		   "      h: {type: text, default: \"'a' || 'b'\"}\n"
		   "      i: {type: boolean, default: 'false'}\n"
		   "      j: {type: integer, default: '0x1F'}\n"
		   "      k: {type: text, default: \"(1) + (2)\"}\n"
		   "      l: {type: text, default: \"' ( '\"}\n",
		   "CREATE TABLE \"t\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"a\" INTEGER DEFAULT -1,\n"
		   "\t\"b\" TEXT DEFAULT 'it''s',\n"
		   "\t\"c\" TEXT DEFAULT (lower('X')),\n"
		   "\t\"d\" TEXT DEFAULT (upper('y')),\n"
		   "\t\"e\" TIMESTAMP DEFAULT current_timestamp,\n"
		   "\t\"f\" BLOB DEFAULT x'00ff',\n"
		   "\t\"g\" FLOAT DEFAULT 1.5e3,\n"
		   "\t\"h\" TEXT DEFAULT ('a' || 'b'),\n"
		   "\t\"i\" BOOLEAN DEFAULT false,\n"
		   "\t\"j\" INTEGER DEFAULT 0x1F,\n"
		   "\t\"k\" TEXT DEFAULT ((1) + (2)),\n"
		   "\t\"l\" TEXT DEFAULT ' ( '\n"
		   ");\n");
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO t DEFAULT VALUES"));
	assert_query(f,
		     "SELECT a, b, c, d, e IS NOT NULL, hex(f), g, h, i, j, k, l FROM t",
		     "-1|it's|x|Y|1|00FF|1500.0|ab|0|31|3| ( \n");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_sqlite_render_create_table),
		T(test_sqlite_render_primary_keys),
		T(test_sqlite_render_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
