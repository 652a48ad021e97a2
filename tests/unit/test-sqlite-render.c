/* Unit tests for the SQLite renderer (dialects/sqlite-render.c) and the
 * dialect's foreign key handling: the exact statements of every op, then
 * those statements run on a real database file, whose result is read back
 * from sqlite_schema and the pragma functions. */
#include "helpers.h"

#include "dialect.h"
#include "schema-dump.h"

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
	f->db = mig_test_sqlite_open(&f->dir);
	f->impl = mig_db_dialect(f->db);
	f->schema = mig_schema_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	mig_test_sqlite_close(f->db, f->dir);
	mig_schema_free(f->schema);
	free(f);
	return 0;
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
	mig_assert_text_at(got, want, file, line);
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
		   "      created_at: {type: timestamp, nullable: false, default: "
		   "CURRENT_TIMESTAMP}\n"
		   "      seen_at: timestamptz\n"
		   "      span: interval\n"
		   "      lower_code: {type: text, computed: {sql: lower(code), stored: false}}\n"
		   "      doubled: {type: integer, computed: {sql: small * 2, stored: true}}\n"
		   "      slug: {type: text, default: \"lower('X')\"}\n"
		   "      geo: point\n"
		   "      note: {type: text, comment: free text}\n"
		   "    indexes:\n"
		   "      - {name: ix_orders_status_day, columns: [status, day DESC]}\n"
		   "      - {name: ix_orders_lower_code, expressions: [lower(code)], unique: "
		   "true,\n"
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
		   "CREATE INDEX \"ix_orders_status_day\" ON \"orders\" (\"status\", \"day\" "
		   "DESC);\n"
		   "CREATE UNIQUE INDEX \"ix_orders_lower_code\" ON \"orders\" (lower(code)) "
		   "WHERE code IS NOT NULL;\n");
	/* what SQLite made of it */
	mig_assert_query(f->db,
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
	mig_assert_query(
	    f->db,
	    "SELECT name, \"unique\", origin, partial FROM pragma_index_list('orders') "
	    "ORDER BY name",
	    "ix_orders_lower_code|1|c|1\n"
	    "ix_orders_status_day|0|c|0\n"
	    "sqlite_autoindex_orders_1|1|u|0\n");
	mig_assert_query(f->db,
			 "SELECT \"table\", \"from\", \"to\", on_update, on_delete "
			 "FROM pragma_foreign_key_list('orders') ORDER BY id",
			 "orgs|org_id|id|NO ACTION|CASCADE\n"
			 "orders|small|id|SET NULL|NO ACTION\n");
	/* the rowid alias, AUTOINCREMENT, defaults, the collation and the checks work */
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO orgs (name) VALUES ('Acme')"));
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO orders (org_id, code) VALUES (1, 'ab')"));
	mig_assert_query(f->db,
			 "SELECT o.id, o.status, o.total, o.flag, o.slug, o.lower_code, "
			 "o.created_at IS NOT NULL, g.name = 'ACME' FROM orders o JOIN orgs g "
			 "ON g.id = o.org_id",
			 "1|pending|0|1|x|ab|1|1\n");
	mig_assert_query(f->db, "SELECT name, seq FROM sqlite_sequence", "orgs|1\n");
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO orders (status) VALUES ('lost')"),
			      "sqlite error: CHECK constraint failed: order_status\n"
			      "  statement: INSERT INTO orders (status) VALUES ('lost')");
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO orders (total) VALUES (-1)"),
			      "sqlite error: CHECK constraint failed: ck_orders_total\n"
			      "  statement: INSERT INTO orders (total) VALUES (-1)");
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
		   "\t\"id\" INT NOT NULL,\n"
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
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO a DEFAULT VALUES; INSERT INTO a DEFAULT "
					 "VALUES"));
	mig_assert_query(f->db, "SELECT id FROM a", "1\n2\n");
	/* with autoincrement: false, a missing id is an error */
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO b (v) VALUES ('x')"),
			      "sqlite error: NOT NULL constraint failed: b.id\n"
			      "  statement: INSERT INTO b (v) VALUES ('x')");
	mig_assert_query(f->db, "SELECT name, pk FROM pragma_table_info('c')", "x|1\ny|2\n");
	mig_assert_query(f->db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'",
			 "0\n");
	assert_render_fails(f, f->schema,
			    "- create_table:\n"
			    "    name: x\n"
			    "    primary_key: {columns: [a, b]}\n"
			    "    columns: {a: {type: integer, autoincrement: true}, b: integer}\n",
			    "ops.yaml:1:3: create_table: column 'x.a': sqlite generates values "
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
	mig_assert_query(f->db, "SELECT a, b, c, d, e IS NOT NULL, hex(f), g, h, i, j, k, l FROM t",
			 "-1|it's|x|Y|1|00FF|1500.0|ab|0|31|3| ( \n");
}

static void test_sqlite_render_table_ops(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table: {name: parent, columns: {id: {type: integer, primary_key: "
		   "true}}}\n"
		   "- create_table:\n"
		   "    name: child\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      parent_id: {type: integer, references: parent.id}\n"
		   "      name: text\n"
		   "- create_table_comment: {table: child, comment: Children}\n"
		   "- drop_table_comment: {table: child}\n"
		   "- create_enum: {name: mood, values: [happy]}\n"
		   "- drop_enum: {name: mood}\n"
		   "- create_index: {table: child, name: ix_child_name, columns: [name DESC, id],\n"
		   "                 where: name <> ''}\n"
		   "- create_index: {table: child, name: ix_child_lower, expressions: "
		   "[lower(name)],\n"
		   "                 unique: true}\n"
		   "- drop_index: {table: child, name: ix_child_lower}\n",
		   "CREATE TABLE \"parent\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY\n"
		   ");\n"
		   "CREATE TABLE \"child\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"parent_id\" INTEGER,\n"
		   "\t\"name\" TEXT,\n"
		   "\tFOREIGN KEY (\"parent_id\") REFERENCES \"parent\" (\"id\")\n"
		   ");\n"
		   "CREATE INDEX \"ix_child_name\" ON \"child\" (\"name\" DESC, \"id\") "
		   "WHERE name <> '';\n"
		   "CREATE UNIQUE INDEX \"ix_child_lower\" ON \"child\" (lower(name));\n"
		   "DROP INDEX \"ix_child_lower\";\n");
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO parent VALUES (1); "
					 "INSERT INTO child VALUES (1, 1, 'a'); "
					 "CREATE VIEW v AS SELECT c.name FROM child c "
					 "JOIN parent p ON p.id = c.parent_id"));
	assert_ops(f,
		   "- rename_table: {name: parent, new_name: mother}\n"
		   "- drop_index: {table: child, name: ix_child_name}\n",
		   "ALTER TABLE \"parent\" RENAME TO \"mother\";\n"
		   "DROP INDEX \"ix_child_name\";\n");
	/* the child's foreign key and the view follow the rename */
	mig_assert_query(f->db, "SELECT \"table\" FROM pragma_foreign_key_list('child')",
			 "mother\n");
	mig_assert_query(f->db, "SELECT name FROM v", "a\n");
	mig_assert_query(f->db, "SELECT name FROM sqlite_master WHERE type = 'index'", "");
	assert_ops(f,
		   "- drop_table: {name: child}\n"
		   "- drop_table: {name: mother}\n",
		   "DROP TABLE \"child\";\n"
		   "DROP TABLE \"mother\";\n");
	mig_assert_query(f->db, "SELECT type, name FROM sqlite_master", "view|v\n");
}

static void test_sqlite_render_add_column(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_enum: {name: state, values: [new, paid]}\n"
		   "- create_table: {name: parent, columns: {id: {type: integer, primary_key: "
		   "true}}}\n"
		   "- create_table:\n"
		   "    name: child\n"
		   "    columns: {id: {type: integer, primary_key: true}, name: text}\n"
		   "    indexes: [{name: ix_child_name, columns: [name]}]\n",
		   "CREATE TABLE \"parent\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY\n"
		   ");\n"
		   "CREATE TABLE \"child\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"name\" TEXT\n"
		   ");\n"
		   "CREATE INDEX \"ix_child_name\" ON \"child\" (\"name\");\n");
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO parent VALUES (1); "
					 "INSERT INTO child VALUES (1, 'a'), (2, 'b')"));
	/* what ALTER TABLE ADD COLUMN can do */
	assert_ops(f,
		   "- add_column: {table: child, column: {name: note, type: text}}\n"
		   "- add_column: {table: child, column: {name: qty, type: integer, nullable: "
		   "false,\n"
		   "               default: '0'}}\n"
		   "- add_column: {table: child, column: {name: parent_id, type: integer,\n"
		   "               references: parent.id, on_delete: set null, index: true}}\n"
		   "- add_column: {table: child, column: {name: st, type: state, default: "
		   "\"'paid'\"}}\n"
		   "- add_column: {table: child, column: {name: len, type: integer,\n"
		   "               computed: length(name)}}\n",
		   "ALTER TABLE \"child\" ADD COLUMN \"note\" TEXT;\n"
		   "ALTER TABLE \"child\" ADD COLUMN \"qty\" INTEGER NOT NULL DEFAULT 0;\n"
		   "ALTER TABLE \"child\" ADD COLUMN \"parent_id\" INTEGER REFERENCES \"parent\" "
		   "(\"id\") ON DELETE SET NULL;\n"
		   "CREATE INDEX \"ix_child_parent_id\" ON \"child\" (\"parent_id\");\n"
		   "ALTER TABLE \"child\" ADD COLUMN \"st\" VARCHAR(4) DEFAULT 'paid' CONSTRAINT "
		   "\"state\" CHECK (\"st\" IN ('new', 'paid'));\n"
		   "ALTER TABLE \"child\" ADD COLUMN \"len\" INTEGER GENERATED ALWAYS AS "
		   "(length(name)) VIRTUAL;\n");
	mig_assert_query(f->db, "SELECT id, name, note, qty, parent_id, st, len FROM child",
			 "1|a|NULL|0|NULL|paid|1\n"
			 "2|b|NULL|0|NULL|paid|1\n");
	/* what it cannot: a unique column, a non-constant default */
	assert_ops(f,
		   "- add_column: {table: child, column: {name: code, type: varchar(10),\n"
		   "               unique: true}}\n",
		   "PRAGMA foreign_keys = OFF;\n"
		   "CREATE TABLE \"_migrate_tmp_child\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"name\" TEXT,\n"
		   "\t\"note\" TEXT,\n"
		   "\t\"qty\" INTEGER NOT NULL DEFAULT 0,\n"
		   "\t\"parent_id\" INTEGER,\n"
		   "\t\"st\" VARCHAR(4) DEFAULT 'paid' CONSTRAINT \"state\" CHECK (\"st\" IN "
		   "('new', 'paid')),\n"
		   "\t\"len\" INTEGER GENERATED ALWAYS AS (length(name)) VIRTUAL,\n"
		   "\t\"code\" VARCHAR(10),\n"
		   "\tUNIQUE (\"code\"),\n"
		   "\tFOREIGN KEY (\"parent_id\") REFERENCES \"parent\" (\"id\") ON DELETE SET "
		   "NULL\n"
		   ");\n"
		   "INSERT INTO \"_migrate_tmp_child\" (\"id\", \"name\", \"note\", \"qty\", "
		   "\"parent_id\", \"st\") SELECT \"id\", \"name\", \"note\", \"qty\", "
		   "\"parent_id\", \"st\" FROM \"child\";\n"
		   "DROP TABLE \"child\";\n"
		   "PRAGMA legacy_alter_table = ON;\n"
		   "ALTER TABLE \"_migrate_tmp_child\" RENAME TO \"child\";\n"
		   "PRAGMA legacy_alter_table = OFF;\n"
		   "CREATE INDEX \"ix_child_name\" ON \"child\" (\"name\");\n"
		   "CREATE INDEX \"ix_child_parent_id\" ON \"child\" (\"parent_id\");\n"
		   "PRAGMA foreign_keys = ON;\n");
	char *sql = render_ops(f,
			       "- add_column: {table: child, column: {name: added, type: "
			       "timestamp,\n"
			       "               default: CURRENT_TIMESTAMP}}\n",
			       true);
	assert_non_null(strstr(sql, "CREATE TABLE \"_migrate_tmp_child\" ("));
	free(sql);
	mig_assert_query(f->db, "SELECT id, name, qty, st, code, added IS NOT NULL FROM child",
			 "1|a|0|paid|NULL|1\n"
			 "2|b|0|paid|NULL|1\n");
	mig_assert_query(f->db, "SELECT name FROM pragma_index_list('child') ORDER BY name",
			 "ix_child_name\n"
			 "ix_child_parent_id\n"
			 "sqlite_autoindex_child_1\n");
	assert_render_fails(f, f->schema,
			    "- add_column: {table: child, column: {name: n, type: integer,\n"
			    "               identity: true}}\n",
			    "ops.yaml:1:3: add_column: column 'child.n': sqlite generates values "
			    "only for a single integer primary key of a rowid table");
	/* NOT NULL without a default: a rebuild, whose copy stops on the rows
	 * that would have no value, and which works on an empty table */
	const char *must = "- add_column: {table: child, column: {name: must, type: text,\n"
			   "               nullable: false}}\n";
	struct mig_oplist ops;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string("ops.yaml", must, &ops));
	mig_assert_ok(mig_render_op(f->impl, f->schema, false, &ops.ops.v[0], &stmts));
	mig_assert_ok(mig_db_exec(f->db, "SAVEPOINT must"));
	size_t at = 0;
	while (at < stmts.n && !mig_starts_with(stmts.v[at], "INSERT INTO \"_migrate_tmp_child\"")) {
		mig_assert_ok(mig_db_exec(f->db, stmts.v[at++]));
	}
	assert_true(at < stmts.n);
	assert_int_equal(mig_db_exec(f->db, stmts.v[at]), MIG_ERROR);
	assert_true(mig_starts_with(mig_error_last(),
				    "sqlite error: NOT NULL constraint failed: _migrate_tmp_child.must\n"
				    "  statement: INSERT INTO \"_migrate_tmp_child\" "));
	mig_assert_ok(mig_db_exec(f->db, "ROLLBACK TO must"));
	mig_assert_ok(mig_db_exec(f->db, "RELEASE must"));
	mig_strlist_release(&stmts);
	mig_oplist_release(&ops);
	mig_assert_ok(mig_db_exec(f->db, "DELETE FROM child"));
	sql = render_ops(f, must, true);
	assert_non_null(strstr(sql, "CREATE TABLE \"_migrate_tmp_child\" ("));
	free(sql);
	mig_assert_query(f->db, "SELECT \"notnull\" FROM pragma_table_info('child') WHERE name = 'must'",
			 "1\n");
}

static void test_sqlite_render_drop_column(void **state)
{
	struct fx *f = *state;
	char *sql = render_ops(f,
			       "- create_table:\n"
			       "    name: t\n"
			       "    columns:\n"
			       "      id: {type: integer, primary_key: true}\n"
			       "      a: text\n"
			       "      b: {type: text, index: true}\n"
			       "      c: {type: text, unique: true}\n"
			       "      d: integer\n"
			       "      e: {type: integer, computed: d + 1}\n"
			       "      f: text\n"
			       "    indexes: [{name: ix_t_f, expressions: [lower(\"f\")]}]\n",
			       true);
	free(sql);
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO t (a, b, c, d, f) VALUES ('a', 'b', 'c', 1, "
					 "'f'), ('A', 'B', 'C', 2, 'F')"));
	assert_ops(f, "- drop_column: {table: t, column: a}\n",
		   "ALTER TABLE \"t\" DROP COLUMN \"a\";\n");
	/* indexed, unique, used by a generated column, used by an index expression */
	assert_ops(f, "- drop_column: {table: t, column: b}\n",
		   "PRAGMA foreign_keys = OFF;\n"
		   "CREATE TABLE \"_migrate_tmp_t\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"c\" TEXT,\n"
		   "\t\"d\" INTEGER,\n"
		   "\t\"e\" INTEGER GENERATED ALWAYS AS (d + 1) VIRTUAL,\n"
		   "\t\"f\" TEXT,\n"
		   "\tUNIQUE (\"c\")\n"
		   ");\n"
		   "INSERT INTO \"_migrate_tmp_t\" (\"id\", \"c\", \"d\", \"f\") "
		   "SELECT \"id\", \"c\", \"d\", \"f\" FROM \"t\";\n"
		   "DROP TABLE \"t\";\n"
		   "PRAGMA legacy_alter_table = ON;\n"
		   "ALTER TABLE \"_migrate_tmp_t\" RENAME TO \"t\";\n"
		   "PRAGMA legacy_alter_table = OFF;\n"
		   "CREATE INDEX \"ix_t_f\" ON \"t\" (lower(\"f\"));\n"
		   "PRAGMA foreign_keys = ON;\n");
	sql = render_ops(f, "- drop_column: {table: t, column: c}\n", true);
	assert_non_null(strstr(sql, "DROP TABLE \"t\";\n"));
	free(sql);
	sql = render_ops(f,
			 "- drop_column: {table: t, column: e}\n"
			 "- drop_column: {table: t, column: d}\n",
			 true);
	mig_assert_text(sql, "ALTER TABLE \"t\" DROP COLUMN \"e\";\n"
			     "ALTER TABLE \"t\" DROP COLUMN \"d\";\n");
	free(sql);
	/* what the schema cannot tell uses the column stops the rebuild */
	sql = render_ops(f, "- drop_index: {table: t, name: ix_t_f}\n"
			    "- create_index: {table: t, name: ix_t_f2, columns: [id],\n"
			    "                 where: F IS NOT NULL}\n"
			    "- create_check_constraint: {table: t, sql: length(\"f\") < id + 9}\n",
			 true);
	free(sql);
	assert_render_fails(f, f->schema, "- drop_column: {table: t, column: f}\n",
			    "ops.yaml:1:3: drop_column: column 'f' of table 't' is used by index "
			    "'ix_t_f2' (drop that first)");
	sql = render_ops(f, "- drop_index: {table: t, name: ix_t_f2}\n", true);
	free(sql);
	assert_render_fails(f, f->schema, "- drop_column: {table: t, column: f}\n",
			    "ops.yaml:1:3: drop_column: column 'f' of table 't' is used by a check "
			    "constraint (drop that first)");
	/* a check on the dropped column alone goes with it */
	sql = render_ops(f,
			 "- drop_constraint: {table: t, type: check, sql: length(\"f\") < id + 9}\n"
			 "- create_check_constraint: {table: t, name: ck_t_f, sql: f <> 'x'}\n",
			 true);
	free(sql);
	assert_ops(f, "- drop_column: {table: t, column: f}\n",
		   "PRAGMA foreign_keys = OFF;\n"
		   "CREATE TABLE \"_migrate_tmp_t\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY\n"
		   ");\n"
		   "INSERT INTO \"_migrate_tmp_t\" (\"id\") SELECT \"id\" FROM \"t\";\n"
		   "DROP TABLE \"t\";\n"
		   "PRAGMA legacy_alter_table = ON;\n"
		   "ALTER TABLE \"_migrate_tmp_t\" RENAME TO \"t\";\n"
		   "PRAGMA legacy_alter_table = OFF;\n"
		   "PRAGMA foreign_keys = ON;\n");
	assert_int_equal(mig_schema_find_table(f->schema, NULL, "t")->checks.n, 0);
	mig_assert_query(f->db, "SELECT * FROM t", "1\n2\n");
	mig_assert_query(f->db, "SELECT sql FROM sqlite_master WHERE name = 't'",
			 "CREATE TABLE \"t\" (\n"
			 "\t\"id\" INTEGER NOT NULL PRIMARY KEY\n"
			 ")\n");
	/* without the schema, SQLite itself judges */
	struct mig_oplist ops;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string("ops.yaml", "- drop_column: {table: x, column: y}\n",
					   &ops));
	mig_assert_ok(mig_render_op(f->impl, NULL, true, &ops.ops.v[0], &stmts));
	assert_int_equal(stmts.n, 1);
	assert_string_equal(stmts.v[0], "ALTER TABLE \"x\" DROP COLUMN \"y\"");
	mig_strlist_release(&stmts);
	mig_oplist_release(&ops);
}

static void test_sqlite_render_alter_column(void **state)
{
	struct fx *f = *state;
	char *sql = render_ops(f,
			       "- create_table:\n"
			       "    name: t\n"
			       "    columns:\n"
			       "      id: {type: integer, primary_key: true}\n"
			       "      a: varchar(10)\n"
			       "      b: {type: integer, index: true}\n",
			       true);
	free(sql);
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO t (a, b) VALUES ('x', 1), ('y', NULL)"));
	assert_ops(f,
		   "- alter_column: {table: t, column: a, new_name: aa}\n"
		   "- alter_column: {table: t, column: aa, comment: the a}\n",
		   "ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"aa\";\n");
	assert_ops(f,
		   "- alter_column: {table: t, column: aa, type: text, existing_type: "
		   "varchar(10),\n"
		   "                 default: \"'z'\"}\n",
		   "PRAGMA foreign_keys = OFF;\n"
		   "CREATE TABLE \"_migrate_tmp_t\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"aa\" TEXT DEFAULT 'z',\n"
		   "\t\"b\" INTEGER\n"
		   ");\n"
		   "INSERT INTO \"_migrate_tmp_t\" (\"id\", \"aa\", \"b\") "
		   "SELECT \"id\", \"aa\", \"b\" FROM \"t\";\n"
		   "DROP TABLE \"t\";\n"
		   "PRAGMA legacy_alter_table = ON;\n"
		   "ALTER TABLE \"_migrate_tmp_t\" RENAME TO \"t\";\n"
		   "PRAGMA legacy_alter_table = OFF;\n"
		   "CREATE INDEX \"ix_t_b\" ON \"t\" (\"b\");\n"
		   "PRAGMA foreign_keys = ON;\n");
	/* a rename with another change maps the old name to the new one */
	assert_ops(f,
		   "- sql: UPDATE t SET b = 0 WHERE b IS NULL\n"
		   "- alter_column: {table: t, column: b, new_name: bb, nullable: false,\n"
		   "                 default: '0'}\n",
		   "UPDATE t SET b = 0 WHERE b IS NULL;\n"
		   "PRAGMA foreign_keys = OFF;\n"
		   "CREATE TABLE \"_migrate_tmp_t\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"aa\" TEXT DEFAULT 'z',\n"
		   "\t\"bb\" INTEGER NOT NULL DEFAULT 0\n"
		   ");\n"
		   "INSERT INTO \"_migrate_tmp_t\" (\"id\", \"aa\", \"bb\") "
		   "SELECT \"id\", \"aa\", \"b\" FROM \"t\";\n"
		   "DROP TABLE \"t\";\n"
		   "PRAGMA legacy_alter_table = ON;\n"
		   "ALTER TABLE \"_migrate_tmp_t\" RENAME TO \"t\";\n"
		   "PRAGMA legacy_alter_table = OFF;\n"
		   "CREATE INDEX \"ix_t_b\" ON \"t\" (\"bb\");\n"
		   "PRAGMA foreign_keys = ON;\n");
	mig_assert_query(f->db, "SELECT id, aa, bb FROM t", "1|x|1\n2|y|0\n");
	mig_assert_query(f->db, "SELECT name, \"notnull\", dflt_value FROM pragma_table_info('t')",
			 "id|1|NULL\naa|0|'z'\nbb|1|0\n");
	mig_assert_query(f->db, "SELECT name FROM pragma_index_info('ix_t_b')", "bb\n");
	/* a NULL left in a column made NOT NULL stops the copy */
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO t (aa) VALUES (NULL)"));
	struct mig_oplist ops;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string("ops.yaml",
					   "- alter_column: {table: t, column: aa, nullable: "
					   "false}\n",
					   &ops));
	mig_assert_ok(mig_render_op(f->impl, f->schema, false, &ops.ops.v[0], &stmts));
	mig_assert_ok(mig_db_begin(f->db));
	mig_assert_ok(mig_db_exec(f->db, stmts.v[0]));
	mig_assert_ok(mig_db_exec(f->db, stmts.v[1]));
	mig_assert_fails_with(mig_db_exec(f->db, stmts.v[2]),
			      "sqlite error: NOT NULL constraint failed: _migrate_tmp_t.aa\n"
			      "  statement: INSERT INTO \"_migrate_tmp_t\" (\"id\", \"aa\", "
			      "\"bb\") "
			      "SELECT \"id\", \"aa\", \"bb\" FROM \"t\"");
	mig_assert_ok(mig_db_rollback(f->db));
	mig_assert_query(f->db, "SELECT count(*) FROM t", "3\n");
	mig_strlist_release(&stmts);
	mig_oplist_release(&ops);
}

/* Render one op against schema and run its statements. */
static void run_op(struct fx *f, const struct mig_schema *schema, const char *yaml)
{
	struct mig_oplist ops;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string("ops.yaml", yaml, &ops));
	for (size_t i = 0; i < ops.ops.n; i++) {
		mig_assert_ok(mig_render_op(f->impl, schema, false, &ops.ops.v[i], &stmts));
	}
	for (size_t i = 0; i < stmts.n; i++) {
		mig_assert_ok(mig_db_exec(f->db, stmts.v[i]));
	}
	mig_strlist_release(&stmts);
	mig_oplist_release(&ops);
}

static struct mig_schema *reflect(struct fx *f)
{
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_db_reflect(f->db, NULL, &s));
	return s;
}

/* A rebuild on a reflected schema keeps the rows, the AUTOINCREMENT
 * high-water mark, the indexes, the triggers, the views over the table and
 * the rows of tables that reference it (with ON DELETE CASCADE), in a
 * transaction and outside one. */
static void test_sqlite_render_rebuild_keeps(void **state)
{
	struct fx *f = *state;
	mig_assert_ok(mig_db_exec(f->db,
				  "CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, "
				  "name VARCHAR(20) NOT NULL, qty INTEGER DEFAULT 1);\n"
				  "CREATE INDEX ix_item_name ON item (name) WHERE qty > 0;\n"
				  "CREATE TABLE log (item_id INTEGER, what TEXT);\n"
				  "CREATE TRIGGER item_ins AFTER INSERT ON item BEGIN\n"
				  "  INSERT INTO log VALUES (new.id, 'insert');\n"
				  "END;\n"
				  "CREATE TABLE part (id INTEGER PRIMARY KEY, item_id INTEGER "
				  "REFERENCES item (id) ON DELETE CASCADE);\n"
				  "CREATE VIEW item_names AS SELECT name FROM item ORDER BY name;\n"
				  "INSERT INTO item (name) VALUES ('a'), ('b'), ('c'), ('d');\n"
				  "DELETE FROM item WHERE id = 4;\n"
				  "INSERT INTO part VALUES (1, 1), (2, 2);\n"));
	struct mig_schema *s = reflect(f);
	mig_assert_ok(mig_db_begin(f->db));
	mig_assert_query(f->db, "PRAGMA foreign_keys", "0\n");
	run_op(f, s, "- alter_column: {table: item, column: name, type: text}\n");
	mig_assert_ok(mig_db_dialect(f->db)->verify(f->db));
	mig_assert_ok(mig_db_commit(f->db));
	mig_assert_query(f->db, "PRAGMA foreign_keys", "1\n");
	mig_schema_free(s);

	mig_assert_query(f->db, "SELECT id, name, qty FROM item", "1|a|1\n2|b|1\n3|c|1\n");
	mig_assert_query(f->db, "SELECT count(*) FROM part", "2\n");
	mig_assert_query(f->db, "SELECT name, seq FROM sqlite_sequence", "item|4\n");
	mig_assert_query(f->db,
			 "SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name",
			 "index|ix_item_name|item\n"
			 "table|item|item\n"
			 "table|log|log\n"
			 "table|part|part\n"
			 "table|sqlite_sequence|sqlite_sequence\n"
			 "trigger|item_ins|item\n"
			 "view|item_names|item_names\n");
	mig_assert_query(f->db, "SELECT name, type FROM pragma_table_info('item')",
			 "id|INTEGER\nname|TEXT\nqty|INTEGER\n");
	mig_assert_query(f->db, "SELECT sql FROM sqlite_master WHERE name = 'ix_item_name'",
			 "CREATE INDEX \"ix_item_name\" ON \"item\" (\"name\") WHERE qty > 0\n");
	mig_assert_query(f->db, "SELECT * FROM item_names", "a\nb\nc\n");
	/* the copy fired no trigger; the trigger fires again, the id is not
	 * reused, the cascade still works */
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO item (name) VALUES ('e'); "
					 "DELETE FROM item WHERE id = 1"));
	mig_assert_query(f->db, "SELECT item_id, what FROM log",
			 "1|insert\n2|insert\n3|insert\n4|insert\n5|insert\n");
	mig_assert_query(f->db, "SELECT id, item_id FROM part", "2|2\n");
	mig_assert_query(f->db, "PRAGMA integrity_check", "ok\n");
	mig_assert_query(f->db, "PRAGMA foreign_key_check", "");

	/* outside a transaction, the rebuild turns foreign keys off itself */
	s = reflect(f);
	run_op(f, s, "- alter_column: {table: item, column: qty, nullable: false}\n");
	mig_schema_free(s);
	mig_assert_query(f->db, "PRAGMA foreign_keys", "1\n");
	mig_assert_query(f->db, "SELECT id, item_id FROM part", "2|2\n");
	mig_assert_query(f->db, "SELECT id, name, qty FROM item", "2|b|1\n3|c|1\n5|e|1\n");
	mig_assert_query(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", "1\n");
	mig_assert_query(f->db, "SELECT name, seq FROM sqlite_sequence", "item|5\n");
}

/* The statements of a rebuild of table t into the definition body (the
 * lines between the parentheses), copying columns; indexes are the CREATE
 * INDEX statements after the rename. */
static char *rebuild_sql(const char *t, const char *body, const char *columns,
			 const char *indexes)
{
	return xasprintf("PRAGMA foreign_keys = OFF;\n"
			 "CREATE TABLE \"_migrate_tmp_%s\" (\n"
			 "%s"
			 ");\n"
			 "INSERT INTO \"_migrate_tmp_%s\" (%s) SELECT %s FROM \"%s\";\n"
			 "DROP TABLE \"%s\";\n"
			 "PRAGMA legacy_alter_table = ON;\n"
			 "ALTER TABLE \"_migrate_tmp_%s\" RENAME TO \"%s\";\n"
			 "PRAGMA legacy_alter_table = OFF;\n"
			 "%s"
			 "PRAGMA foreign_keys = ON;\n",
			 t, body, t, columns, columns, t, t, t, t, indexes);
}

#define assert_rebuild(f, yaml, t, body, columns, indexes)                                         \
	do {                                                                                       \
		char *want_ = rebuild_sql((t), (body), (columns), (indexes));                      \
		assert_ops((f), (yaml), want_);                                                    \
		free(want_);                                                                       \
	} while (0)

static void test_sqlite_render_constraints(void **state)
{
	struct fx *f = *state;
	const char *cols = "\"a\", \"b\", \"c\"";
	char *sql = render_ops(f,
			       "- create_table: {name: p, columns: {id: {type: integer, "
			       "primary_key: "
			       "true}}}\n"
			       "- create_table: {name: t, columns: {a: integer, b: text, c: "
			       "integer},\n"
			       "                 indexes: [{name: ix_t_c, columns: [c]}]}\n",
			       true);
	free(sql);
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO p VALUES (1), (2); "
					 "INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2)"));
	assert_rebuild(f, "- create_check_constraint: {table: t, name: ck_t_a, sql: a > 0}\n", "t",
		       "\t\"a\" INTEGER,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER,\n"
		       "\tCONSTRAINT \"ck_t_a\" CHECK (a > 0)\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	assert_rebuild(f, "- create_primary_key: {table: t, name: pk_t, columns: [a]}\n", "t",
		       "\t\"a\" INTEGER NOT NULL CONSTRAINT \"pk_t\" PRIMARY KEY,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER,\n"
		       "\tCONSTRAINT \"ck_t_a\" CHECK (a > 0)\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	assert_rebuild(f, "- create_unique_constraint: {table: t, name: uq_t_b, columns: [b, c]}\n",
		       "t",
		       "\t\"a\" INTEGER NOT NULL CONSTRAINT \"pk_t\" PRIMARY KEY,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER,\n"
		       "\tCONSTRAINT \"uq_t_b\" UNIQUE (\"b\", \"c\"),\n"
		       "\tCONSTRAINT \"ck_t_a\" CHECK (a > 0)\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	assert_rebuild(f,
		       "- create_foreign_key: {table: t, name: fk_t_c, columns: [c],\n"
		       "                       references: {table: p, columns: [id]},\n"
		       "                       on_delete: restrict}\n",
		       "t",
		       "\t\"a\" INTEGER NOT NULL CONSTRAINT \"pk_t\" PRIMARY KEY,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER,\n"
		       "\tCONSTRAINT \"uq_t_b\" UNIQUE (\"b\", \"c\"),\n"
		       "\tCONSTRAINT \"ck_t_a\" CHECK (a > 0),\n"
		       "\tCONSTRAINT \"fk_t_c\" FOREIGN KEY (\"c\") REFERENCES \"p\" (\"id\") "
		       "ON DELETE RESTRICT\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	mig_assert_query(f->db, "SELECT sql FROM sqlite_master WHERE name = 't'",
			 "CREATE TABLE \"t\" (\n"
			 "\t\"a\" INTEGER NOT NULL CONSTRAINT \"pk_t\" PRIMARY KEY,\n"
			 "\t\"b\" TEXT,\n"
			 "\t\"c\" INTEGER,\n"
			 "\tCONSTRAINT \"uq_t_b\" UNIQUE (\"b\", \"c\"),\n"
			 "\tCONSTRAINT \"ck_t_a\" CHECK (a > 0),\n"
			 "\tCONSTRAINT \"fk_t_c\" FOREIGN KEY (\"c\") REFERENCES \"p\" (\"id\") "
			 "ON DELETE RESTRICT\n"
			 ")\n");
	mig_assert_query(f->db, "SELECT * FROM t", "1|x|1\n2|y|2\n");
	mig_assert_query(f->db, "SELECT name FROM pragma_index_list('t') ORDER BY name",
			 "ix_t_c\nsqlite_autoindex_t_1\n");
	mig_assert_fails_with(mig_db_exec(f->db, "DELETE FROM p WHERE id = 1"),
			      "sqlite error: FOREIGN KEY constraint failed\n"
			      "  statement: DELETE FROM p WHERE id = 1");
	assert_rebuild(f, "- drop_constraint: {table: t, name: fk_t_c, type: foreignkey}\n", "t",
		       "\t\"a\" INTEGER NOT NULL CONSTRAINT \"pk_t\" PRIMARY KEY,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER,\n"
		       "\tCONSTRAINT \"uq_t_b\" UNIQUE (\"b\", \"c\"),\n"
		       "\tCONSTRAINT \"ck_t_a\" CHECK (a > 0)\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	assert_rebuild(f, "- drop_constraint: {table: t, name: uq_t_b, type: unique}\n", "t",
		       "\t\"a\" INTEGER NOT NULL CONSTRAINT \"pk_t\" PRIMARY KEY,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER,\n"
		       "\tCONSTRAINT \"ck_t_a\" CHECK (a > 0)\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	assert_rebuild(f, "- drop_constraint: {table: t, name: ck_t_a, type: check}\n", "t",
		       "\t\"a\" INTEGER NOT NULL CONSTRAINT \"pk_t\" PRIMARY KEY,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	assert_rebuild(f, "- drop_constraint: {table: t, type: primary}\n", "t",
		       "\t\"a\" INTEGER NOT NULL,\n"
		       "\t\"b\" TEXT,\n"
		       "\t\"c\" INTEGER\n",
		       cols, "CREATE INDEX \"ix_t_c\" ON \"t\" (\"c\");\n");
	mig_assert_query(f->db, "SELECT * FROM t", "1|x|1\n2|y|2\n");
	mig_assert_query(f->db, "SELECT name FROM pragma_index_list('t')", "ix_t_c\n");
	mig_assert_ok(mig_db_exec(f->db, "DELETE FROM p WHERE id = 1"));
}

/* The dialect's begin turns foreign keys off, commit and rollback turn them
 * back on; verify lists what a rebuild let through. */
static void test_sqlite_render_verify(void **state)
{
	struct fx *f = *state;
	const struct mig_dialect_impl *impl = mig_db_dialect(f->db);
	char *sql = render_ops(f,
			       "- create_table: {name: parent, columns: {id: {type: integer, "
			       "primary_key: true}}}\n"
			       "- create_table: {name: child, columns: {id: {type: integer, "
			       "primary_key: true}, parent_id: integer}}\n",
			       true);
	free(sql);
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO parent VALUES (1); "
					 "INSERT INTO child VALUES (1, 1), (2, 7), (3, 8)"));
	mig_assert_ok(impl->verify(f->db));
	mig_assert_ok(mig_db_begin(f->db));
	struct mig_schema *before = mig_schema_copy(f->schema);
	sql = render_ops(f,
			 "- create_foreign_key: {table: child, name: fk_child_parent,\n"
			 "    columns: [parent_id], references: {table: parent, columns: [id]}}\n",
			 true);
	free(sql);
	mig_assert_fails_with(impl->verify(f->db),
			      "foreign key check failed (2 violations): table 'child' rowid 2 "
			      "references a missing row of 'parent'; table 'child' rowid 3 "
			      "references a missing row of 'parent'");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_DB);
	mig_assert_ok(mig_db_rollback(f->db));
	mig_assert_query(f->db, "PRAGMA foreign_keys", "1\n");
	mig_assert_query(f->db, "SELECT count(*) FROM pragma_foreign_key_list('child')", "0\n");
	mig_schema_free(f->schema);
	f->schema = before;

	mig_assert_ok(mig_db_exec(f->db, "DELETE FROM child WHERE id = 3"));
	mig_assert_ok(mig_db_begin(f->db));
	sql = render_ops(f,
			 "- create_foreign_key: {table: child, name: fk_child_parent,\n"
			 "    columns: [parent_id], references: {table: parent, columns: [id]}}\n",
			 true);
	free(sql);
	mig_assert_fails_with(impl->verify(f->db), "foreign key check failed: table 'child' "
						   "rowid 2 references a missing row of 'parent'");
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO parent VALUES (7)"));
	mig_assert_ok(impl->verify(f->db));
	mig_assert_ok(mig_db_commit(f->db));
	mig_assert_query(f->db, "PRAGMA foreign_keys", "1\n");
	/* enforced again after the commit */
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO child VALUES (9, 9)"),
			      "sqlite error: FOREIGN KEY constraint failed\n"
			      "  statement: INSERT INTO child VALUES (9, 9)");

	/* more than ten violations: the first ten and a count */
	mig_assert_ok(mig_db_exec(f->db, "PRAGMA foreign_keys = OFF; "
					 "WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 "
					 "FROM n WHERE i < 21) INSERT INTO child SELECT i, 100 "
					 "FROM n; "
					 "PRAGMA foreign_keys = ON"));
	mig_assert_fails_with(impl->verify(f->db),
			      "foreign key check failed (12 violations): "
			      "table 'child' rowid 10 references a missing row of 'parent'; "
			      "table 'child' rowid 11 references a missing row of 'parent'; "
			      "table 'child' rowid 12 references a missing row of 'parent'; "
			      "table 'child' rowid 13 references a missing row of 'parent'; "
			      "table 'child' rowid 14 references a missing row of 'parent'; "
			      "table 'child' rowid 15 references a missing row of 'parent'; "
			      "table 'child' rowid 16 references a missing row of 'parent'; "
			      "table 'child' rowid 17 references a missing row of 'parent'; "
			      "table 'child' rowid 18 references a missing row of 'parent'; "
			      "table 'child' rowid 19 references a missing row of 'parent'; "
			      "and 2 more");
}

static void test_sqlite_render_enum(void **state)
{
	struct fx *f = *state;
	char *sql = render_ops(f,
			       "- create_enum: {name: mood, values: [sad, ok]}\n"
			       "- create_table: {name: a, columns: {id: {type: integer, "
			       "primary_key: "
			       "true}, m: {type: mood, nullable: false}}}\n"
			       "- create_table: {name: b, columns: {m: mood, n: text}}\n"
			       "- create_table: {name: c, columns: {n: text}}\n",
			       true);
	free(sql);
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO a (m) VALUES ('sad'); "
					 "INSERT INTO b VALUES (NULL, 'x'), ('ok', 'y')"));
	assert_ops(f, "- add_enum_value: {name: mood, value: cheerful, after: sad}\n",
		   "PRAGMA foreign_keys = OFF;\n"
		   "CREATE TABLE \"_migrate_tmp_a\" (\n"
		   "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"m\" VARCHAR(8) NOT NULL CONSTRAINT \"mood\" CHECK (\"m\" IN ('sad', "
		   "'cheerful', 'ok'))\n"
		   ");\n"
		   "INSERT INTO \"_migrate_tmp_a\" (\"id\", \"m\") SELECT \"id\", \"m\" FROM "
		   "\"a\";\n"
		   "DROP TABLE \"a\";\n"
		   "PRAGMA legacy_alter_table = ON;\n"
		   "ALTER TABLE \"_migrate_tmp_a\" RENAME TO \"a\";\n"
		   "PRAGMA legacy_alter_table = OFF;\n"
		   "PRAGMA foreign_keys = ON;\n"
		   "PRAGMA foreign_keys = OFF;\n"
		   "CREATE TABLE \"_migrate_tmp_b\" (\n"
		   "\t\"m\" VARCHAR(8) CONSTRAINT \"mood\" CHECK (\"m\" IN ('sad', 'cheerful', "
		   "'ok')),\n"
		   "\t\"n\" TEXT\n"
		   ");\n"
		   "INSERT INTO \"_migrate_tmp_b\" (\"m\", \"n\") SELECT \"m\", \"n\" FROM \"b\";\n"
		   "DROP TABLE \"b\";\n"
		   "PRAGMA legacy_alter_table = ON;\n"
		   "ALTER TABLE \"_migrate_tmp_b\" RENAME TO \"b\";\n"
		   "PRAGMA legacy_alter_table = OFF;\n"
		   "PRAGMA foreign_keys = ON;\n");
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO a (m) VALUES ('cheerful')"));
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO b (m) VALUES ('angry')"),
			      "sqlite error: CHECK constraint failed: mood\n"
			      "  statement: INSERT INTO b (m) VALUES ('angry')");
	mig_assert_query(f->db, "SELECT * FROM a", "1|sad\n2|cheerful\n");
	mig_assert_query(f->db, "SELECT * FROM b", "NULL|x\nok|y\n");
	/* a value there already, with if_not_exists: nothing to do */
	assert_ops(f, "- add_enum_value: {name: mood, value: ok, if_not_exists: true}\n", "");

	/* a reflected database knows no enums: the CHECKs named after one say
	 * which columns have it and its values */
	struct mig_schema *s = reflect(f);
	assert_null(mig_schema_find_enum(s, NULL, "mood"));
	struct mig_oplist ops;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string(
		"ops.yaml",
		"- add_enum_value: {name: mood, value: exuberant, before: sad}\n"
		"- add_column: {table: c, column: {name: m, type: mood, default: \"'ok'\"}}\n",
		&ops));
	mig_assert_ok(mig_render_op(f->impl, s, false, &ops.ops.v[0], &stmts));
	char *want = rebuild_sql("a",
				 "\t\"id\" INTEGER NOT NULL PRIMARY KEY,\n"
				 "\t\"m\" VARCHAR(9) NOT NULL,\n"
				 "\tCONSTRAINT \"mood\" CHECK (\"m\" IN ('exuberant', 'sad', "
				 "'cheerful', 'ok'))\n",
				 "\"id\", \"m\"", "");
	char *b = rebuild_sql("b",
			      "\t\"m\" VARCHAR(9),\n"
			      "\t\"n\" TEXT,\n"
			      "\tCONSTRAINT \"mood\" CHECK (\"m\" IN ('exuberant', 'sad', 'cheerful', "
			      "'ok'))\n",
			      "\"m\", \"n\"", "");
	struct mig_str got = MIG_STR_INIT;
	for (size_t i = 0; i < stmts.n; i++) {
		mig_str_addf(&got, "%s;\n", stmts.v[i]);
		mig_assert_ok(mig_db_exec(f->db, stmts.v[i]));
	}
	char *both = xasprintf("%s%s", want, b);
	mig_assert_text(got.buf, both);
	free(both);
	free(b);
	free(want);
	mig_strlist_release(&stmts);
	mig_str_release(&got);
	mig_schema_free(s);
	s = reflect(f);
	mig_assert_ok(mig_render_op(f->impl, s, false, &ops.ops.v[1], &stmts));
	assert_int_equal(stmts.n, 1);
	assert_string_equal(stmts.v[0],
			    "ALTER TABLE \"c\" ADD COLUMN \"m\" VARCHAR(9) DEFAULT 'ok' CONSTRAINT "
			    "\"mood\" CHECK (\"m\" IN ('exuberant', 'sad', 'cheerful', 'ok'))");
	mig_assert_ok(mig_db_exec(f->db, stmts.v[0]));
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO a (m) VALUES ('exuberant'); "
					 "INSERT INTO c (m) VALUES ('exuberant')"));
	mig_assert_query(f->db, "SELECT * FROM a", "1|sad\n2|cheerful\n3|exuberant\n");
	mig_strlist_release(&stmts);
	mig_oplist_release(&ops);
	mig_schema_free(s);
}

static void test_sqlite_render_bulk_insert_and_sql(void **state)
{
	struct fx *f = *state;
	char *sql = render_ops(f,
			       "- create_table: {name: t, columns: {id: integer, name: text, "
			       "ok: boolean, score: float}}\n",
			       true);
	free(sql);
	assert_ops(f,
		   "- bulk_insert:\n"
		   "    table: t\n"
		   "    rows:\n"
		   "      - {id: 1, name: \"it's\", ok: true, score: 1.5}\n"
		   "      - {id: 2, name: null, ok: false, score: -2e3}\n"
		   "      - {id: '3', name: 'a \"b\" -- c', ok: 'true', score: 0}\n"
		   "- sql: UPDATE t SET score = score + 1 WHERE id = 1\n"
		   "- sql: {postgresql: SELECT 1, sqlite: \"UPDATE t SET name = 'pg' || 'lite' "
		   "WHERE id = 2; UPDATE t SET ok = 0 WHERE id = 3\"}\n",
		   "INSERT INTO \"t\" (\"id\", \"name\", \"ok\", \"score\") VALUES "
		   "(1, 'it''s', 1, 1.5), (2, NULL, 0, -2e3), ('3', 'a \"b\" -- c', 'true', 0);\n"
		   "UPDATE t SET score = score + 1 WHERE id = 1;\n"
		   "UPDATE t SET name = 'pg' || 'lite' WHERE id = 2; UPDATE t SET ok = 0 WHERE id "
		   "= "
		   "3;\n");
	mig_assert_query(f->db, "SELECT id, typeof(id), name, ok, score FROM t",
			 "1|integer|it's|1|2.5\n"
			 "2|integer|pglite|0|-2000.0\n"
			 "3|integer|a \"b\" -- c|0|0.0\n");
	assert_render_fails(f, f->schema, "- sql: {mysql: SELECT 1}\n",
			    "ops.yaml:1:3: sql has no text for dialect 'sqlite' (it has: mysql)");
}

/* Identifiers with quotes, spaces, unicode and reserved words, and literals
 * with quotes, through creation, ALTER and a rebuild. */
static void test_sqlite_render_nasty_names(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_enum: {name: \"sel\\\"ect\", values: [\"it's\", \"naïve\", "
		   "\"a\\\"b\"]}\n"
		   "- create_table:\n"
		   "    name: \"we\\\"ird tåble\"\n"
		   "    columns:\n"
		   "      \"select\": {type: integer, primary_key: true}\n"
		   "      \"has space\": {type: text, default: \"'o''k'\"}\n"
		   "      \"\\\"q\\\"\": \"sel\\\"ect\"\n"
		   "    indexes: [{name: \"ix \\\"1\\\"\", columns: [\"has space\"]}]\n",
		   "CREATE TABLE \"we\"\"ird tåble\" (\n"
		   "\t\"select\" INTEGER NOT NULL PRIMARY KEY,\n"
		   "\t\"has space\" TEXT DEFAULT 'o''k',\n"
		   "\t\"\"\"q\"\"\" VARCHAR(5) CONSTRAINT \"sel\"\"ect\" CHECK (\"\"\"q\"\"\" IN "
		   "('it''s', 'naïve', 'a\"b'))\n"
		   ");\n"
		   "CREATE INDEX \"ix \"\"1\"\"\" ON \"we\"\"ird tåble\" (\"has space\");\n");
	assert_ops(f,
		   "- bulk_insert: {table: \"we\\\"ird tåble\", rows: [{\"\\\"q\\\"\": \"it's\"},\n"
		   "                {\"\\\"q\\\"\": \"naïve\"}]}\n"
		   "- add_column: {table: \"we\\\"ird tåble\", column: {name: \"ü ber\", type: "
		   "text, default: \"'x''y'\"}}\n"
		   "- alter_column: {table: \"we\\\"ird tåble\", column: \"has space\", new_name: "
		   "\"order\"}\n",
		   "INSERT INTO \"we\"\"ird tåble\" (\"\"\"q\"\"\") VALUES ('it''s'), ('naïve');\n"
		   "ALTER TABLE \"we\"\"ird tåble\" ADD COLUMN \"ü ber\" TEXT DEFAULT 'x''y';\n"
		   "ALTER TABLE \"we\"\"ird tåble\" RENAME COLUMN \"has space\" TO \"order\";\n");
	char *sql = render_ops(f,
			       "- alter_column: {table: \"we\\\"ird tåble\", column: \"ü ber\", "
			       "nullable: false}\n"
			       "- rename_table: {name: \"we\\\"ird tåble\", new_name: \"from\"}\n",
			       true);
	free(sql);
	mig_assert_query(f->db,
			 "SELECT \"select\", \"order\", \"\"\"q\"\"\", \"ü ber\" FROM \"from\"",
			 "1|o'k|it's|x'y\n2|o'k|naïve|x'y\n");
	mig_assert_query(f->db, "SELECT name FROM pragma_table_info('from')",
			 "select\norder\n\"q\"\nü ber\n");
	mig_assert_query(f->db, "SELECT name FROM pragma_index_list('from')", "ix \"1\"\n");
	mig_assert_query(f->db, "SELECT name FROM pragma_index_info('ix \"1\"')", "order\n");
	mig_assert_fails_with(mig_db_exec(f->db, "INSERT INTO \"from\" (\"\"\"q\"\"\") VALUES "
						 "('no')"),
			      "sqlite error: CHECK constraint failed: sel\"ect\n"
			      "  statement: INSERT INTO \"from\" (\"\"\"q\"\"\") VALUES ('no')");
}

/* Rebuilding every table of a database written by hand, through its
 * reflected schema, gives a database that reflects the same. */
static void test_sqlite_render_rebuild_round_trip(void **state)
{
	struct fx *f = *state;
	static const char *const tables[] = { "Artist", "album", "track", "counters",
					      "rowid_desc", "edge" };
	mig_assert_ok(mig_db_exec(
		f->db,
		"CREATE TABLE \"Artist\" (\n"
		"  [ArtistId] INTEGER PRIMARY KEY AUTOINCREMENT,\n"
		"  `Name` NVARCHAR(120) NOT NULL COLLATE NOCASE CONSTRAINT artist_name_uq UNIQUE\n"
		");\n"
		"CREATE TABLE album (\n"
		"  id INTEGER NOT NULL,\n"
		"  title VARCHAR(160) NOT NULL DEFAULT 'untitled' CHECK (length(title) > 0),\n"
		"  artist_id INTEGER NOT NULL CONSTRAINT fk_album_artist\n"
		"    REFERENCES artist (artistid) ON DELETE CASCADE,\n"
		"  price DECIMAL(10, 2) DEFAULT 0.99,\n"
		"  released DATE DEFAULT (date('now')),\n"
		"  flags INT DEFAULT -1,\n"
		"  meta TEXT DEFAULT NULL,\n"
		"  \"weird \"\"name\"\"\" BLOB,\n"
		"  total REAL GENERATED ALWAYS AS (price * 2) STORED,\n"
		"  slug TEXT AS (lower(title)),\n"
		"  CONSTRAINT pk_album PRIMARY KEY (id),\n"
		"  CONSTRAINT price_positive CHECK (price >= 0),\n"
		"  UNIQUE (artist_id, title),\n"
		"  CHECK (flags <> 0) -- a comment, with a (\n"
		");\n"
		"CREATE INDEX ix_album_title ON album (title COLLATE NOCASE DESC, lower(title), id)\n"
		"  WHERE price > 0;\n"
		"CREATE UNIQUE INDEX \"ix album slug\" ON album (slug);\n"
		"CREATE TABLE track (\n"
		"  album_id INTEGER NOT NULL,\n"
		"  no INT NOT NULL,\n"
		"  parent_album INTEGER, parent_no INT,\n"
		"  PRIMARY KEY (album_id, no),\n"
		"  FOREIGN KEY (album_id) REFERENCES album DEFERRABLE INITIALLY DEFERRED,\n"
		"  CONSTRAINT fk_parent FOREIGN KEY (parent_album, parent_no)\n"
		"    REFERENCES track (album_id, no) ON UPDATE SET NULL\n"
		") WITHOUT ROWID;\n"
		"CREATE TABLE counters (id INT PRIMARY KEY, v INTEGER UNIQUE, w BIGINT);\n"
		"CREATE TABLE rowid_desc (id INTEGER PRIMARY KEY DESC, v TEXT);\n"
		"CREATE VIEW album_titles AS SELECT title FROM album;\n"
		"CREATE TRIGGER album_touch AFTER UPDATE OF title ON album BEGIN\n"
		"  UPDATE album SET flags = 1 WHERE id = new.id;\n"
		"END;\n"
		"CREATE TABLE edge (\n"
		"  \"id\" INTEGER PRIMARY KEY,\n"
		"  note TEXT CHECK (note <> ')' /* ) */),\n"
		"  [a,b] TEXT,\n"
		"  bin BLOB DEFAULT X'00ff',\n"
		"  CONSTRAINT \"uq \"\"edge\"\"\" UNIQUE ([a,b], note)\n"
		") STRICT;\n"
		"CREATE INDEX ix_edge_expr ON edge (coalesce(note, ','), [a,b] DESC);\n"
		"INSERT INTO \"Artist\" (Name) VALUES ('x');\n"
		"INSERT INTO album (id, title, artist_id) VALUES (1, 'T', 1);\n"
		"INSERT INTO track VALUES (1, 1, NULL, NULL), (1, 2, 1, 1);\n"
		"INSERT INTO counters VALUES (5, 6, 7);\n"
		"INSERT INTO rowid_desc VALUES (3, 'r');\n"
		"INSERT INTO edge (note, [a,b]) VALUES ('n', 'ab');\n"));
	struct mig_schema *first = reflect(f);
	struct mig_str want = MIG_STR_INIT, got = MIG_STR_INIT;
	dump_schema(&want, first, false);
	char *rows_before = mig_test_query_text(
	    f->db, "SELECT * FROM \"Artist\", album, track, counters, "
		   "rowid_desc, edge ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11");
	mig_assert_ok(mig_db_begin(f->db));
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		/* a check that holds and its removal: two rebuilds, nothing changed */
		struct mig_schema *s = reflect(f);
		char *yaml = xasprintf("- create_check_constraint: {table: %s, name: ck_tmp, sql: 1}\n",
				       tables[i]);
		run_op(f, s, yaml);
		free(yaml);
		mig_schema_free(s);
		s = reflect(f);
		yaml = xasprintf("- drop_constraint: {table: %s, name: ck_tmp, type: check}\n",
				 tables[i]);
		run_op(f, s, yaml);
		free(yaml);
		mig_schema_free(s);
	}
	mig_assert_ok(mig_db_dialect(f->db)->verify(f->db));
	mig_assert_ok(mig_db_commit(f->db));
	struct mig_schema *second = reflect(f);
	dump_schema(&got, second, false);
	mig_assert_text(got.buf, want.buf);
	char *rows_after = mig_test_query_text(
	    f->db, "SELECT * FROM \"Artist\", album, track, counters, "
		   "rowid_desc, edge ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11");
	mig_assert_text(rows_after, rows_before);
	mig_assert_query(f->db,
			 "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view') "
			 "ORDER BY name",
			 "album_titles\nalbum_touch\n");
	mig_assert_query(f->db, "PRAGMA integrity_check", "ok\n");
	free(rows_before);
	free(rows_after);
	mig_str_release(&want);
	mig_str_release(&got);
	mig_schema_free(first);
	mig_schema_free(second);
}

/* A rebuild needs the schema before the op; without it, a clear error. */
static void test_sqlite_render_needs_schema(void **state)
{
	struct fx *f = *state;
	assert_render_fails(f, NULL,
			    "- alter_column: {table: t, column: a, type: text}\n",
			    "ops.yaml:1:3: alter_column: altering a column of table 't' needs a "
			    "table rebuild on sqlite, which needs the table's definition (the "
			    "schema "
			    "before the op is not known here)");
	assert_render_fails(f, NULL,
			    "- create_unique_constraint: {table: t, name: u, columns: [a]}\n",
			    "ops.yaml:1:3: create_unique_constraint: adding a unique constraint of "
			    "table 't' needs a table rebuild on sqlite, which needs the table's "
			    "definition (the schema before the op is not known here)");
	assert_render_fails(f, NULL, "- add_enum_value: {name: e, value: v}\n",
			    "ops.yaml:1:3: add_enum_value: the columns of enum 'e' are kept to its "
			    "values by CHECK constraints on sqlite, and finding them needs the "
			    "schema "
			    "before the op (not known here)");
	assert_render_fails(f, f->schema,
			    "- drop_constraint: {table: t, name: u, type: unique}\n",
			    "ops.yaml:1:3: drop_constraint: no table 't'");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_sqlite_render_create_table),
		T(test_sqlite_render_primary_keys),
		T(test_sqlite_render_defaults),
		T(test_sqlite_render_table_ops),
		T(test_sqlite_render_add_column),
		T(test_sqlite_render_drop_column),
		T(test_sqlite_render_alter_column),
		T(test_sqlite_render_rebuild_keeps),
		T(test_sqlite_render_constraints),
		T(test_sqlite_render_verify),
		T(test_sqlite_render_enum),
		T(test_sqlite_render_bulk_insert_and_sql),
		T(test_sqlite_render_nasty_names),
		T(test_sqlite_render_rebuild_round_trip),
		T(test_sqlite_render_needs_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
