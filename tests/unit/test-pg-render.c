/* Unit tests for the PostgreSQL renderer (dialects/postgresql-render.c)
 * against a real server ($MIGRATE_TEST_PG_URL): for every op the exact
 * statements, then those statements run on a database of the test's own,
 * whose result is read back from pg_catalog and information_schema. */
#include "helpers.h"

#include "dialect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
	char *name; /* the database's */
	struct mig_db *db;
	const struct mig_dialect_impl *impl;
	struct mig_schema *schema; /* the schema the ops have built so far */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->name = mig_test_pg_fresh_db("migrate_test_pgrn", "ENCODING 'UTF8' TEMPLATE template0");
	f->db = mig_test_connect(MIG_TEST_PG, f->name);
	f->impl = mig_db_dialect(f->db);
	f->schema = mig_schema_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	mig_db_close(f->db);
	mig_test_drop_db(MIG_TEST_PG, f->name);
	mig_schema_free(f->schema);
	free(f->name);
	free(f);
	return 0;
}

/* Render the ops of yaml against f->schema (applying each op after rendering
 * it) and run the statements; returns them, each followed by ";\n". */
static char *run_ops(struct fx *f, const char *yaml)
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
			mig_assert_ok(mig_db_exec(f->db, stmts.v[j]));
		}
		mig_strlist_release(&stmts);
		mig_assert_ok(mig_schema_apply(f->schema, &ops.ops.v[i]));
	}
	mig_oplist_release(&ops);
	return mig_str_detach(&out);
}

#define assert_ops(f, yaml, want) assert_ops_at((f), (yaml), (want), __FILE__, __LINE__)
static void assert_ops_at(struct fx *f, const char *yaml, const char *want, const char *file,
			  int line)
{
	char *got = run_ops(f, yaml);
	mig_assert_text_at(got, want, file, line);
	free(got);
}

/* Render the ops of yaml against schema (which may be NULL) without running
 * them. */
static char *render_only(struct fx *f, const struct mig_schema *schema, const char *yaml)
{
	struct mig_oplist ops;
	struct mig_str out = MIG_STR_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok(mig_ops_parse_string("ops.yaml", yaml, &ops));
	for (size_t i = 0; i < ops.ops.n; i++) {
		struct mig_strlist stmts = MIG_STRLIST_INIT;
		mig_assert_ok(mig_render_op(f->impl, schema, true, &ops.ops.v[i], &stmts));
		for (size_t j = 0; j < stmts.n; j++) {
			mig_str_addf(&out, "%s;\n", stmts.v[j]);
		}
		mig_strlist_release(&stmts);
	}
	mig_oplist_release(&ops);
	return mig_str_detach(&out);
}

/* Rendering the one op of yaml against schema fails with exactly want. */
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
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
	mig_oplist_release(&ops);
}

/* Columns of a table of the public schema: name, type, NOT NULL, default. */
#define COLUMNS_OF(table)                                                                          \
	"SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"                    \
	" pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"                                     \
	" LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"                 \
	" WHERE a.attrelid = '" table "'::regclass AND a.attnum > 0 AND NOT a.attisdropped"        \
	" ORDER BY a.attnum"

/* Constraints of the tables of a schema: table, name, type, definition. */
#define CONSTRAINTS_IN(schema)                                                                     \
	"SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)"     \
	" FROM pg_constraint c WHERE c.connamespace = '" schema "'::regnamespace"                  \
	" AND c.contype <> 'n' ORDER BY 1, 2"

/* ---- types, serial, identity, computed ---- */

static void test_pg_render_types(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_enum: {name: mood, values: [sad, ok, happy]}\n"
		   "- create_table:\n"
		   "    name: kinds\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      si: smallint\n"
		   "      bi: bigint\n"
		   "      flag: boolean\n"
		   "      vc: varchar(40)\n"
		   "      vc_any: varchar\n"
		   "      ch: char(3)\n"
		   "      body: text\n"
		   "      ts: timestamp\n"
		   "      ts3: timestamp(3)\n"
		   "      tz: timestamptz\n"
		   "      tz6: timestamptz(6)\n"
		   "      amount: numeric(10,2)\n"
		   "      num: numeric\n"
		   "      dbl: float\n"
		   "      f24: float(24)\n"
		   "      r: real\n"
		   "      doc: json\n"
		   "      uid: uuid\n"
		   "      bin: binary\n"
		   "      d: date\n"
		   "      t: time\n"
		   "      t2: time(2)\n"
		   "      span: interval\n"
		   "      feeling: {type: mood, nullable: false, default: \"'ok'\"}\n"
		   "      tags: text[]\n"
		   "      meta: jsonb\n",
		   "CREATE TYPE \"mood\" AS ENUM ('sad', 'ok', 'happy');\n"
		   "CREATE TABLE \"kinds\" (\n"
		   "\t\"id\" SERIAL NOT NULL,\n"
		   "\t\"si\" SMALLINT,\n"
		   "\t\"bi\" BIGINT,\n"
		   "\t\"flag\" BOOLEAN,\n"
		   "\t\"vc\" VARCHAR(40),\n"
		   "\t\"vc_any\" VARCHAR,\n"
		   "\t\"ch\" CHAR(3),\n"
		   "\t\"body\" TEXT,\n"
		   "\t\"ts\" TIMESTAMP WITHOUT TIME ZONE,\n"
		   "\t\"ts3\" TIMESTAMP(3) WITHOUT TIME ZONE,\n"
		   "\t\"tz\" TIMESTAMP WITH TIME ZONE,\n"
		   "\t\"tz6\" TIMESTAMP(6) WITH TIME ZONE,\n"
		   "\t\"amount\" NUMERIC(10, 2),\n"
		   "\t\"num\" NUMERIC,\n"
		   "\t\"dbl\" DOUBLE PRECISION,\n"
		   "\t\"f24\" FLOAT(24),\n"
		   "\t\"r\" REAL,\n"
		   "\t\"doc\" JSON,\n"
		   "\t\"uid\" UUID,\n"
		   "\t\"bin\" BYTEA,\n"
		   "\t\"d\" DATE,\n"
		   "\t\"t\" TIME WITHOUT TIME ZONE,\n"
		   "\t\"t2\" TIME(2) WITHOUT TIME ZONE,\n"
		   "\t\"span\" INTERVAL,\n"
		   "\t\"feeling\" \"mood\" DEFAULT 'ok' NOT NULL,\n"
		   "\t\"tags\" text[],\n"
		   "\t\"meta\" jsonb,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n");
	mig_assert_query(f->db, COLUMNS_OF("kinds"),
			 "id|integer|t|nextval('kinds_id_seq'::regclass)\n"
			 "si|smallint|f|NULL\n"
			 "bi|bigint|f|NULL\n"
			 "flag|boolean|f|NULL\n"
			 "vc|character varying(40)|f|NULL\n"
			 "vc_any|character varying|f|NULL\n"
			 "ch|character(3)|f|NULL\n"
			 "body|text|f|NULL\n"
			 "ts|timestamp without time zone|f|NULL\n"
			 "ts3|timestamp(3) without time zone|f|NULL\n"
			 "tz|timestamp with time zone|f|NULL\n"
			 "tz6|timestamp(6) with time zone|f|NULL\n"
			 "amount|numeric(10,2)|f|NULL\n"
			 "num|numeric|f|NULL\n"
			 "dbl|double precision|f|NULL\n"
			 "f24|real|f|NULL\n"
			 "r|real|f|NULL\n"
			 "doc|json|f|NULL\n"
			 "uid|uuid|f|NULL\n"
			 "bin|bytea|f|NULL\n"
			 "d|date|f|NULL\n"
			 "t|time without time zone|f|NULL\n"
			 "t2|time(2) without time zone|f|NULL\n"
			 "span|interval|f|NULL\n"
			 "feeling|mood|t|'ok'::mood\n"
			 "tags|text[]|f|NULL\n"
			 "meta|jsonb|f|NULL\n");
	mig_assert_query(f->db, "SELECT pg_get_serial_sequence('kinds', 'id')",
			 "public.kinds_id_seq\n");

	/* table options: PostgreSQL's are written after the column list, another
	 * database's are left out */
	assert_ops(f,
		   "- create_table: {name: packed, options: WITH (fillfactor = 70), columns: {a: "
		   "text}}\n"
		   "- create_table: {name: engined, options: ENGINE=InnoDB, columns: {a: text}}\n",
		   "CREATE TABLE \"packed\" (\n"
		   "\t\"a\" TEXT\n"
		   ") WITH (fillfactor = 70);\n"
		   "CREATE TABLE \"engined\" (\n"
		   "\t\"a\" TEXT\n"
		   ");\n");
	mig_assert_query(f->db, "SELECT reloptions FROM pg_class WHERE relname = 'packed'",
			 "{fillfactor=70}\n");

	/* without the schema before the op, an enum type is written as the
	 * revision file names it */
	char *got = render_only(f, NULL,
				"- create_table: {name: moods, columns: {m: {type: mood}}}\n");
	mig_assert_text(got, "CREATE TABLE \"moods\" (\n"
			     "\t\"m\" mood\n"
			     ");\n");
	free(got);
}

static void test_pg_render_serial_identity(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table: {name: small_ids, columns: {id: {type: smallint, "
		   "primary_key: true}}}\n"
		   "- create_table:\n"
		   "    name: big_ids\n"
		   "    columns:\n"
		   "      id: {type: bigint, primary_key: true}\n"
		   "      seq_no: {type: integer, autoincrement: true}\n"
		   "- create_table: {name: plain_ids, columns: {id: {type: integer, primary_key: "
		   "true, autoincrement: false}}}\n"
		   "- create_table: {name: pairs, columns: {a: {type: integer, primary_key: true}, "
		   "b: {type: integer, primary_key: true}}}\n"
		   "- create_table:\n"
		   "    name: idents\n"
		   "    columns:\n"
		   "      id: {type: bigint, primary_key: true, identity: {always: true, start: 100, "
		   "increment: 10}}\n"
		   "      other: {type: integer, identity: true}\n"
		   "      total: {type: bigint, computed: {sql: id * 2, stored: true}}\n",
		   "CREATE TABLE \"small_ids\" (\n"
		   "\t\"id\" SMALLSERIAL NOT NULL,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n"
		   "CREATE TABLE \"big_ids\" (\n"
		   "\t\"id\" BIGSERIAL NOT NULL,\n"
		   "\t\"seq_no\" SERIAL,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n"
		   "CREATE TABLE \"plain_ids\" (\n"
		   "\t\"id\" INTEGER NOT NULL,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n"
		   "CREATE TABLE \"pairs\" (\n"
		   "\t\"a\" INTEGER NOT NULL,\n"
		   "\t\"b\" INTEGER NOT NULL,\n"
		   "\tPRIMARY KEY (\"a\", \"b\")\n"
		   ");\n"
		   "CREATE TABLE \"idents\" (\n"
		   "\t\"id\" BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10) "
		   "NOT NULL,\n"
		   "\t\"other\" INTEGER GENERATED BY DEFAULT AS IDENTITY,\n"
		   "\t\"total\" BIGINT GENERATED ALWAYS AS (id * 2) STORED,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n");
	mig_assert_query(f->db,
			 "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
			 " a.attidentity, a.attgenerated,"
			 " pg_get_serial_sequence(quote_ident(c.relname), a.attname)"
			 " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
			 " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'"
			 " AND a.attnum > 0 ORDER BY 1, a.attnum",
			 "big_ids|id|bigint|||public.big_ids_id_seq\n"
			 "big_ids|seq_no|integer|||public.big_ids_seq_no_seq\n"
			 "idents|id|bigint|a||public.idents_id_seq\n"
			 "idents|other|integer|d||public.idents_other_seq\n"
			 "idents|total|bigint||s|NULL\n"
			 "pairs|a|integer|||NULL\n"
			 "pairs|b|integer|||NULL\n"
			 "plain_ids|id|integer|||NULL\n"
			 "small_ids|id|smallint|||public.small_ids_id_seq\n");
	mig_assert_query(
	    f->db,
	    "SELECT s.seqrelid::regclass, s.seqstart, s.seqincrement FROM pg_sequence s"
	    " WHERE s.seqrelid = 'idents_id_seq'::regclass",
	    "idents_id_seq|100|10\n");
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO idents DEFAULT VALUES"));
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO idents DEFAULT VALUES"));
	mig_assert_query(f->db, "SELECT id, other, total FROM idents ORDER BY id",
			 "100|1|200\n"
			 "110|2|220\n");

	/* the reflection reads a serial back as its integer type with the
	 * autoincrement implied (or said, off the primary key): the same model */
	struct mig_reflect_opts opts;
	memset(&opts, 0, sizeof(opts));
	struct mig_schema *back = NULL;
	mig_assert_ok(mig_db_reflect(f->db, &opts, &back));
	const struct mig_table *t = mig_schema_find_table(back, NULL, "big_ids");
	assert_non_null(t);
	assert_int_equal(t->columns.v[0].type.kind, MIG_TYPE_BIGINT);
	assert_int_equal(t->columns.v[0].autoincrement, MIG_UNSET);
	assert_null(t->columns.v[0].default_sql);
	assert_int_equal(t->columns.v[1].type.kind, MIG_TYPE_INTEGER);
	assert_int_equal(t->columns.v[1].autoincrement, MIG_TRUE);
	assert_null(t->columns.v[1].default_sql);
	t = mig_schema_find_table(back, NULL, "plain_ids");
	assert_non_null(t);
	assert_int_equal(t->columns.v[0].autoincrement, MIG_FALSE);
	mig_schema_free(back);

	/* PostgreSQL 15 has no virtual generated columns */
	assert_render_fails(f, f->schema,
			    "- create_table: {name: v, columns: {x: integer, y: {type: integer, "
			    "computed: x + 1}}}\n",
			    "ops.yaml:1:3: create_table: computed column 'y' of table 'v' must be "
			    "stored: PostgreSQL has no virtual generated columns (write stored: "
			    "true)");
}

/* ---- constraints ---- */

static void test_pg_render_constraints(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table:\n"
		   "    name: parents\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      code: {type: varchar(10), nullable: false}\n"
		   "    unique:\n"
		   "      - {name: uq_parents_code, columns: [code]}\n"
		   "- create_table:\n"
		   "    name: children\n"
		   "    primary_key: {name: pk_children, columns: [id]}\n"
		   "    columns:\n"
		   "      id: {type: integer, autoincrement: false}\n"
		   "      parent_id: {type: integer, nullable: false}\n"
		   "      parent_code: varchar(10)\n"
		   "      qty: {type: integer, default: \"1\"}\n"
		   "    checks:\n"
		   "      - {name: ck_qty_positive, sql: qty > 0}\n"
		   "    foreign_keys:\n"
		   "      - {name: fk_children_parent, columns: [parent_id], references: {table: "
		   "parents, columns: [id]}, on_delete: cascade, on_update: set null, deferrable: "
		   "true, initially_deferred: true}\n"
		   "- create_unique_constraint: {table: children, name: uq_children_pair, columns: "
		   "[parent_id, qty]}\n"
		   "- create_check_constraint: {table: children, name: ck_code_upper, sql: "
		   "parent_code = upper(parent_code)}\n"
		   "- create_foreign_key: {table: children, name: fk_children_code, columns: "
		   "[parent_code], references: {table: parents, columns: [code]}, on_delete: "
		   "restrict, on_update: no action}\n",
		   "CREATE TABLE \"parents\" (\n"
		   "\t\"id\" SERIAL NOT NULL,\n"
		   "\t\"code\" VARCHAR(10) NOT NULL,\n"
		   "\tPRIMARY KEY (\"id\"),\n"
		   "\tCONSTRAINT \"uq_parents_code\" UNIQUE (\"code\")\n"
		   ");\n"
		   "CREATE TABLE \"children\" (\n"
		   "\t\"id\" INTEGER NOT NULL,\n"
		   "\t\"parent_id\" INTEGER NOT NULL,\n"
		   "\t\"parent_code\" VARCHAR(10),\n"
		   "\t\"qty\" INTEGER DEFAULT 1,\n"
		   "\tCONSTRAINT \"pk_children\" PRIMARY KEY (\"id\"),\n"
		   "\tCONSTRAINT \"ck_qty_positive\" CHECK (qty > 0),\n"
		   "\tCONSTRAINT \"fk_children_parent\" FOREIGN KEY (\"parent_id\") REFERENCES "
		   "\"parents\" (\"id\") ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY "
		   "DEFERRED\n"
		   ");\n"
		   "ALTER TABLE \"children\" ADD CONSTRAINT \"uq_children_pair\" UNIQUE "
		   "(\"parent_id\", \"qty\");\n"
		   "ALTER TABLE \"children\" ADD CONSTRAINT \"ck_code_upper\" CHECK (parent_code = "
		   "upper(parent_code));\n"
		   "ALTER TABLE \"children\" ADD CONSTRAINT \"fk_children_code\" FOREIGN KEY "
		   "(\"parent_code\") REFERENCES \"parents\" (\"code\") ON DELETE RESTRICT ON UPDATE "
		   "NO ACTION;\n");
	mig_assert_query(
	    f->db, CONSTRAINTS_IN("public"),
	    "children|ck_code_upper|c|CHECK (((parent_code)::text = "
	    "upper((parent_code)::text)))\n"
	    "children|ck_qty_positive|c|CHECK ((qty > 0))\n"
	    "children|fk_children_code|f|FOREIGN KEY (parent_code) REFERENCES "
	    "parents(code) ON DELETE RESTRICT\n"
	    "children|fk_children_parent|f|FOREIGN KEY (parent_id) REFERENCES parents(id) "
	    "ON UPDATE SET NULL ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED\n"
	    "children|pk_children|p|PRIMARY KEY (id)\n"
	    "children|uq_children_pair|u|UNIQUE (parent_id, qty)\n"
	    "parents|parents_pkey|p|PRIMARY KEY (id)\n"
	    "parents|uq_parents_code|u|UNIQUE (code)\n");
	/* the deferred foreign key is checked at commit */
	mig_assert_ok(mig_db_begin(f->db));
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO children (id, parent_id) VALUES (1, 7)"));
	mig_assert_ok(mig_db_exec(f->db, "INSERT INTO parents (id, code) VALUES (7, 'A')"));
	mig_assert_ok(mig_db_commit(f->db));
	/* and cascades */
	mig_assert_ok(mig_db_exec(f->db, "DELETE FROM parents"));
	mig_assert_query(f->db, "SELECT count(*) FROM children", "0\n");

	/* unnamed constraints are dropped under the names PostgreSQL gave them */
	assert_ops(f,
		   "- create_table: {name: loose, columns: {a: {type: integer, nullable: false}, b: "
		   "integer}}\n"
		   "- create_primary_key: {table: loose, columns: [a]}\n"
		   "- create_unique_constraint: {table: loose, columns: [a, b]}\n"
		   "- create_foreign_key: {table: loose, columns: [b], references: {table: parents, "
		   "columns: [id]}}\n"
		   "- drop_constraint: {table: loose, type: primary}\n"
		   "- drop_constraint: {table: loose, type: unique, columns: [a, b]}\n"
		   "- drop_constraint: {table: loose, type: foreignkey, columns: [b], references: "
		   "{table: parents, columns: [id]}}\n"
		   "- drop_constraint: {table: children, name: ck_code_upper, type: check}\n"
		   "- drop_constraint: {table: children, name: fk_children_code, type: foreignkey}\n"
		   "- drop_constraint: {table: children, name: uq_children_pair, type: unique}\n"
		   "- drop_constraint: {table: children, name: pk_children, type: primary}\n",
		   "CREATE TABLE \"loose\" (\n"
		   "\t\"a\" INTEGER NOT NULL,\n"
		   "\t\"b\" INTEGER\n"
		   ");\n"
		   "ALTER TABLE \"loose\" ADD PRIMARY KEY (\"a\");\n"
		   "ALTER TABLE \"loose\" ADD UNIQUE (\"a\", \"b\");\n"
		   "ALTER TABLE \"loose\" ADD FOREIGN KEY (\"b\") REFERENCES \"parents\" (\"id\");\n"
		   "ALTER TABLE \"loose\" DROP CONSTRAINT \"loose_pkey\";\n"
		   "ALTER TABLE \"loose\" DROP CONSTRAINT \"loose_a_b_key\";\n"
		   "ALTER TABLE \"loose\" DROP CONSTRAINT \"loose_b_fkey\";\n"
		   "ALTER TABLE \"children\" DROP CONSTRAINT \"ck_code_upper\";\n"
		   "ALTER TABLE \"children\" DROP CONSTRAINT \"fk_children_code\";\n"
		   "ALTER TABLE \"children\" DROP CONSTRAINT \"uq_children_pair\";\n"
		   "ALTER TABLE \"children\" DROP CONSTRAINT \"pk_children\";\n");
	mig_assert_query(
	    f->db, CONSTRAINTS_IN("public"),
	    "children|ck_qty_positive|c|CHECK ((qty > 0))\n"
	    "children|fk_children_parent|f|FOREIGN KEY (parent_id) REFERENCES parents(id) "
	    "ON UPDATE SET NULL ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED\n"
	    "parents|parents_pkey|p|PRIMARY KEY (id)\n"
	    "parents|uq_parents_code|u|UNIQUE (code)\n");

	/* PostgreSQL's default names are cut to 63 bytes, on a character
	 * boundary: 57 letters and a two-byte letter make 59 bytes, and the
	 * primary key's name keeps 57 of them */
	static const char a57[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	assert_int_equal(strlen(a57), 57);
	char *yaml = xasprintf("- create_table: {name: %s\xc3\xa9, columns: {id: {type: integer, "
			       "primary_key: true, autoincrement: false}}}\n"
			       "- drop_constraint: {table: %s\xc3\xa9, type: primary}\n",
			       a57, a57);
	char *want = xasprintf("CREATE TABLE \"%s\xc3\xa9\" (\n"
			       "\t\"id\" INTEGER NOT NULL,\n"
			       "\tPRIMARY KEY (\"id\")\n"
			       ");\n"
			       "ALTER TABLE \"%s\xc3\xa9\" DROP CONSTRAINT \"%s_pkey\";\n",
			       a57, a57, a57);
	assert_ops(f, yaml, want);
	free(yaml);
	free(want);

	/* an unnamed check has a name PostgreSQL made from its expression */
	assert_render_fails(f, f->schema, "- drop_constraint: {table: loose, type: check, sql: a > 0}\n",
			    "ops.yaml:1:3: drop_constraint: cannot tell the name of the unnamed "
			    "check constraint of table 'loose' (give its name)");
}

/* ---- indexes ---- */

static void test_pg_render_indexes(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table:\n"
		   "    name: people\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      email: varchar(200)\n"
		   "      name: text\n"
		   "      born: date\n"
		   "      data: jsonb\n"
		   "    indexes:\n"
		   "      - {name: ix_people_born, columns: [born]}\n"
		   "- create_index: {table: people, name: ix_people_lower_email, expressions: "
		   "[lower(email)], unique: true, where: email IS NOT NULL}\n"
		   "- create_index: {table: people, name: ix_people_born_name, columns: [born DESC, "
		   "name]}\n"
		   "- create_index: {table: people, name: ix_people_data, columns: [data], using: "
		   "gin}\n"
		   "- create_index: {table: people, name: ix_people_expr_desc, expressions: "
		   "[\"name || email DESC\", \"id\"]}\n"
		   "- drop_index: {table: people, name: ix_people_born}\n",
		   "CREATE TABLE \"people\" (\n"
		   "\t\"id\" SERIAL NOT NULL,\n"
		   "\t\"email\" VARCHAR(200),\n"
		   "\t\"name\" TEXT,\n"
		   "\t\"born\" DATE,\n"
		   "\t\"data\" jsonb,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n"
		   "CREATE INDEX \"ix_people_born\" ON \"people\" (\"born\");\n"
		   "CREATE UNIQUE INDEX \"ix_people_lower_email\" ON \"people\" ((lower(email))) "
		   "WHERE email IS NOT NULL;\n"
		   "CREATE INDEX \"ix_people_born_name\" ON \"people\" (\"born\" DESC, \"name\");\n"
		   "CREATE INDEX \"ix_people_data\" ON \"people\" USING gin (\"data\");\n"
		   "CREATE INDEX \"ix_people_expr_desc\" ON \"people\" ((name || email) DESC, "
		   "\"id\");\n"
		   "DROP INDEX \"ix_people_born\";\n");
	mig_assert_query(
	    f->db,
	    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
	    " ORDER BY 1",
	    "ix_people_born_name|CREATE INDEX ix_people_born_name ON public.people USING "
	    "btree (born DESC, name)\n"
	    "ix_people_data|CREATE INDEX ix_people_data ON public.people USING gin (data)\n"
	    "ix_people_expr_desc|CREATE INDEX ix_people_expr_desc ON public.people USING "
	    "btree (((name || (email)::text)) DESC, id)\n"
	    "ix_people_lower_email|CREATE UNIQUE INDEX ix_people_lower_email ON "
	    "public.people USING btree (lower((email)::text)) WHERE (email IS NOT NULL)\n"
	    "people_pkey|CREATE UNIQUE INDEX people_pkey ON public.people USING btree "
	    "(id)\n");
}

/* ---- comments ---- */

static void test_pg_render_comments(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table:\n"
		   "    name: notes\n"
		   "    comment: \"Notes, it's said\"\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true, comment: the key}\n"
		   "      body: {type: text, comment: \"back\\\\slash \\u2603\"}\n"
		   "- create_table_comment: {table: notes, comment: Second thoughts}\n"
		   "- alter_column: {table: notes, column: body, comment: null}\n"
		   "- alter_column: {table: notes, column: id, comment: new key}\n",
		   "CREATE TABLE \"notes\" (\n"
		   "\t\"id\" SERIAL NOT NULL,\n"
		   "\t\"body\" TEXT,\n"
		   "\tPRIMARY KEY (\"id\")\n"
		   ");\n"
		   "COMMENT ON TABLE \"notes\" IS 'Notes, it''s said';\n"
		   "COMMENT ON COLUMN \"notes\".\"id\" IS 'the key';\n"
		   "COMMENT ON COLUMN \"notes\".\"body\" IS E'back\\\\slash \xe2\x98\x83';\n"
		   "COMMENT ON TABLE \"notes\" IS 'Second thoughts';\n"
		   "COMMENT ON COLUMN \"notes\".\"body\" IS NULL;\n"
		   "COMMENT ON COLUMN \"notes\".\"id\" IS 'new key';\n");
	mig_assert_query(
	    f->db,
	    "SELECT obj_description('notes'::regclass, 'pg_class'),"
	    " col_description('notes'::regclass, 1), col_description('notes'::regclass, 2)",
	    "Second thoughts|new key|NULL\n");
	/* the comment as it was written, before the later ops */
	char *stmts = run_ops(f, "- drop_table: {name: notes}\n"
				 "- create_table:\n"
				 "    name: notes\n"
				 "    columns:\n"
				 "      body: {type: text, comment: \"back\\\\slash \\u2603\"}\n");
	free(stmts);
	mig_assert_query(f->db, "SELECT col_description('notes'::regclass, 1)",
			 "back\\slash \xe2\x98\x83\n");
	assert_ops(f, "- drop_table_comment: {table: notes}\n",
		   "COMMENT ON TABLE \"notes\" IS NULL;\n");
	mig_assert_query(f->db, "SELECT obj_description('notes'::regclass, 'pg_class')", "NULL\n");
}

/* ---- columns and tables ---- */

static void test_pg_render_columns(void **state)
{
	struct fx *f = *state;
	char *stmts = run_ops(f, "- create_table:\n"
				 "    name: items\n"
				 "    columns:\n"
				 "      id: {type: integer, primary_key: true}\n"
				 "      code: {type: varchar(20), collation: C}\n"
				 "      price: {type: varchar(20), default: \"'0'\"}\n"
				 "      qty: {type: integer, default: \"0\", nullable: false}\n"
				 "      note: text\n"
				 "- bulk_insert: {table: items, rows: [{id: 1, code: b, price: "
				 "\"12.50\", qty: 3, note: x}]}\n");
	free(stmts);
	assert_ops(
		f,
		"- alter_column: {table: items, column: price, type: \"numeric(10,2)\", "
		"postgresql_using: \"price::numeric(10,2)\", default: \"0\"}\n"
		"- alter_column: {table: items, column: code, type: text, existing_type: "
		"varchar(20), existing_collation: C}\n"
		"- alter_column: {table: items, column: qty, nullable: true, default: null, "
		"comment: how many, new_name: quantity}\n"
		"- alter_column: {table: items, column: note, nullable: false, default: \"'none'\", "
		"comment: null}\n"
		"- alter_column: {table: items, column: quantity, type: bigint, default: null}\n",
		"ALTER TABLE \"items\" ALTER COLUMN \"price\" DROP DEFAULT;\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"price\" TYPE NUMERIC(10, 2) USING "
		"price::numeric(10,2);\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"price\" SET DEFAULT 0;\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"code\" TYPE TEXT COLLATE \"C\";\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"qty\" DROP NOT NULL;\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"qty\" DROP DEFAULT;\n"
		"COMMENT ON COLUMN \"items\".\"qty\" IS 'how many';\n"
		"ALTER TABLE \"items\" RENAME COLUMN \"qty\" TO \"quantity\";\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"note\" SET NOT NULL;\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"note\" SET DEFAULT 'none';\n"
		"COMMENT ON COLUMN \"items\".\"note\" IS NULL;\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"quantity\" DROP DEFAULT;\n"
		"ALTER TABLE \"items\" ALTER COLUMN \"quantity\" TYPE BIGINT;\n");
	mig_assert_query(f->db, COLUMNS_OF("items"),
			 "id|integer|t|nextval('items_id_seq'::regclass)\n"
			 "code|text|f|NULL\n"
			 "price|numeric(10,2)|f|0\n"
			 "quantity|bigint|f|NULL\n"
			 "note|text|t|'none'::text\n");
	mig_assert_query(f->db,
			 "SELECT a.attname, co.collname FROM pg_attribute a"
			 " JOIN pg_collation co ON co.oid = a.attcollation"
			 " WHERE a.attrelid = 'items'::regclass AND a.attname = 'code'",
			 "code|C\n");
	mig_assert_query(f->db,
			 "SELECT price, quantity, col_description('items'::regclass, 4) FROM items",
			 "12.50|3|how many\n");

	assert_ops(f,
		   "- add_column: {table: items, column: {name: sku, type: varchar(30), nullable: "
		   "false, default: \"'?'\", unique: true, index: true, comment: stock unit}}\n"
		   "- add_column: {table: items, column: {name: parent_id, type: integer, "
		   "references: items.id, on_delete: set null, deferrable: true}}\n"
		   "- add_column: {table: items, column: {name: made, type: timestamptz, "
		   "default: now()}}\n"
		   "- drop_column: {table: items, column: note}\n"
		   "- rename_table: {name: items, new_name: products}\n",
		   "ALTER TABLE \"items\" ADD COLUMN \"sku\" VARCHAR(30) DEFAULT '?' NOT NULL "
		   "UNIQUE;\n"
		   "COMMENT ON COLUMN \"items\".\"sku\" IS 'stock unit';\n"
		   "CREATE INDEX \"ix_items_sku\" ON \"items\" (\"sku\");\n"
		   "ALTER TABLE \"items\" ADD COLUMN \"parent_id\" INTEGER;\n"
		   "ALTER TABLE \"items\" ADD FOREIGN KEY (\"parent_id\") REFERENCES \"items\" "
		   "(\"id\") ON DELETE SET NULL DEFERRABLE;\n"
		   "ALTER TABLE \"items\" ADD COLUMN \"made\" TIMESTAMP WITH TIME ZONE DEFAULT "
		   "now();\n"
		   "ALTER TABLE \"items\" DROP COLUMN \"note\";\n"
		   "ALTER TABLE \"items\" RENAME TO \"products\";\n");
	mig_assert_query(f->db, COLUMNS_OF("products"),
			 "id|integer|t|nextval('items_id_seq'::regclass)\n"
			 "code|text|f|NULL\n"
			 "price|numeric(10,2)|f|0\n"
			 "quantity|bigint|f|NULL\n"
			 "sku|character varying(30)|t|'?'::character varying\n"
			 "parent_id|integer|f|NULL\n"
			 "made|timestamp with time zone|f|now()\n");
	mig_assert_query(f->db, CONSTRAINTS_IN("public"),
			 "products|items_parent_id_fkey|f|FOREIGN KEY (parent_id) REFERENCES "
			 "products(id) ON DELETE SET NULL DEFERRABLE\n"
			 "products|items_pkey|p|PRIMARY KEY (id)\n"
			 "products|items_sku_key|u|UNIQUE (sku)\n");
	mig_assert_query(f->db,
			 "SELECT indexname FROM pg_indexes WHERE tablename = 'products' ORDER BY 1",
			 "items_pkey\n"
			 "items_sku_key\n"
			 "ix_items_sku\n");

	/* a primary key column added to a table without one is a serial */
	assert_ops(f,
		   "- create_table: {name: keyless, columns: {a: text}}\n"
		   "- add_column: {table: keyless, column: {name: id, type: bigint, primary_key: "
		   "true}}\n"
		   "- drop_table: {name: keyless}\n"
		   "- drop_table: {name: products}\n",
		   "CREATE TABLE \"keyless\" (\n"
		   "\t\"a\" TEXT\n"
		   ");\n"
		   "ALTER TABLE \"keyless\" ADD COLUMN \"id\" BIGSERIAL NOT NULL PRIMARY KEY;\n"
		   "DROP TABLE \"keyless\";\n"
		   "DROP TABLE \"products\";\n");
	mig_assert_query(
	    f->db, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace",
	    "0\n");
}

/* Column shorthands (primary_key, unique, index, references on the column)
 * take their names from the naming convention of the schema before the op,
 * as mig_schema_apply names them. */
static void test_pg_render_shorthands(void **state)
{
	struct fx *f = *state;
	f->schema->naming.pk = "pk_%(table)s";
	f->schema->naming.uq = "uq_%(table)s_%(columns)s";
	f->schema->naming.fk = "fk_%(table)s_%(columns)s_%(ref_table)s";
	f->schema->naming.ix = "idx_%(columns)s";
	assert_ops(f,
		   "- create_table: {name: owners, primary_key: {name: pk_owners, columns: [id]}, "
		   "columns: {id: integer}}\n"
		   "- create_table: {name: pets, columns: {name: text}}\n"
		   "- add_column: {table: pets, column: {name: id, type: integer, primary_key: "
		   "true}}\n"
		   "- add_column: {table: pets, column: {name: tag, type: text, unique: true, index: "
		   "true}}\n"
		   "- add_column: {table: pets, column: {name: owner_id, type: integer, references: "
		   "owners.id}}\n",
		   "CREATE TABLE \"owners\" (\n"
		   "\t\"id\" SERIAL NOT NULL,\n"
		   "\tCONSTRAINT \"pk_owners\" PRIMARY KEY (\"id\")\n"
		   ");\n"
		   "CREATE TABLE \"pets\" (\n"
		   "\t\"name\" TEXT\n"
		   ");\n"
		   "ALTER TABLE \"pets\" ADD COLUMN \"id\" SERIAL NOT NULL CONSTRAINT \"pk_pets\" "
		   "PRIMARY KEY;\n"
		   "ALTER TABLE \"pets\" ADD COLUMN \"tag\" TEXT CONSTRAINT \"uq_pets_tag\" UNIQUE;\n"
		   "CREATE INDEX \"idx_tag\" ON \"pets\" (\"tag\");\n"
		   "ALTER TABLE \"pets\" ADD COLUMN \"owner_id\" INTEGER;\n"
		   "ALTER TABLE \"pets\" ADD CONSTRAINT \"fk_pets_owner_id_owners\" FOREIGN KEY "
		   "(\"owner_id\") REFERENCES \"owners\" (\"id\");\n");
	/* the schema knows the primary key's name */
	assert_ops(f, "- drop_constraint: {table: pets, type: primary}\n",
		   "ALTER TABLE \"pets\" DROP CONSTRAINT \"pk_pets\";\n");
	mig_assert_query(
	    f->db, CONSTRAINTS_IN("public"),
	    "owners|pk_owners|p|PRIMARY KEY (id)\n"
	    "pets|fk_pets_owner_id_owners|f|FOREIGN KEY (owner_id) REFERENCES owners(id)\n"
	    "pets|uq_pets_tag|u|UNIQUE (tag)\n");

	/* an op built in code may leave the shorthands on its columns */
	struct mig_table t;
	memset(&t, 0, sizeof(t));
	t.name = "tags";
	struct mig_column c[3];
	memset(c, 0, sizeof(c));
	c[0].name = "id";
	c[0].primary_key = true;
	c[1].name = "label";
	c[1].nullable = true;
	c[1].unique = true;
	c[1].index = true;
	c[2].name = "owner_id";
	c[2].nullable = true;
	c[2].ref_table = "owners";
	c[2].ref_column = "id";
	c[2].on_delete = MIG_FK_CASCADE;
	for (size_t i = 0; i < 3; i++) {
		mig_assert_ok(mig_type_parse(&f->schema->arena, i == 1 ? "text" : "integer",
					     &c[i].type));
		mig_vec_push(&t.columns, c[i]);
	}
	struct mig_op op;
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_CREATE_TABLE;
	op.table = "tags";
	op.table_def = &t;
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	mig_assert_ok(mig_render_op(f->impl, f->schema, false, &op, &stmts));
	assert_int_equal(stmts.n, 2);
	mig_assert_text(stmts.v[0],
			"CREATE TABLE \"tags\" (\n"
			"\t\"id\" SERIAL NOT NULL,\n"
			"\t\"label\" TEXT CONSTRAINT \"uq_tags_label\" UNIQUE,\n"
			"\t\"owner_id\" INTEGER,\n"
			"\tCONSTRAINT \"pk_tags\" PRIMARY KEY (\"id\"),\n"
			"\tCONSTRAINT \"fk_tags_owner_id_owners\" FOREIGN KEY (\"owner_id\") "
			"REFERENCES \"owners\" (\"id\") ON DELETE CASCADE\n"
			")");
	mig_assert_text(stmts.v[1], "CREATE INDEX \"idx_label\" ON \"tags\" (\"label\")");
	for (size_t i = 0; i < stmts.n; i++) {
		mig_assert_ok(mig_db_exec(f->db, stmts.v[i]));
	}
	mig_strlist_release(&stmts);
	mig_vec_free(&t.columns);
	mig_assert_query(
	    f->db, CONSTRAINTS_IN("public"),
	    "owners|pk_owners|p|PRIMARY KEY (id)\n"
	    "pets|fk_pets_owner_id_owners|f|FOREIGN KEY (owner_id) REFERENCES owners(id)\n"
	    "pets|uq_pets_tag|u|UNIQUE (tag)\n"
	    "tags|fk_tags_owner_id_owners|f|FOREIGN KEY (owner_id) REFERENCES owners(id) "
	    "ON DELETE CASCADE\n"
	    "tags|pk_tags|p|PRIMARY KEY (id)\n"
	    "tags|uq_tags_label|u|UNIQUE (label)\n");
}

/* ---- enums ---- */

static void test_pg_render_enums(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_enum: {name: level, values: [low, high]}\n"
		   "- add_enum_value: {name: level, value: mid, before: high}\n"
		   "- add_enum_value: {name: level, value: top, after: high}\n"
		   "- add_enum_value: {name: level, value: bottom, before: low}\n"
		   "- add_enum_value: {name: level, value: extra}\n",
		   "CREATE TYPE \"level\" AS ENUM ('low', 'high');\n"
		   "ALTER TYPE \"level\" ADD VALUE 'mid' BEFORE 'high';\n"
		   "ALTER TYPE \"level\" ADD VALUE 'top' AFTER 'high';\n"
		   "ALTER TYPE \"level\" ADD VALUE 'bottom' BEFORE 'low';\n"
		   "ALTER TYPE \"level\" ADD VALUE 'extra';\n");
	/* a value the schema has already: only with if_not_exists */
	char *got = render_only(f, NULL,
				"- add_enum_value: {name: level, value: mid, if_not_exists: true}\n");
	mig_assert_text(got, "ALTER TYPE \"level\" ADD VALUE IF NOT EXISTS 'mid';\n");
	mig_assert_ok(mig_db_exec(f->db, got));
	free(got);
	mig_assert_query(f->db,
			 "SELECT enumlabel FROM pg_enum WHERE enumtypid = 'level'::regtype"
			 " ORDER BY enumsortorder",
			 "bottom\nlow\nmid\nhigh\ntop\nextra\n");

	/* PostgreSQL 12 and later add a value inside a transaction, but the
	 * value cannot be used before the transaction commits */
	mig_assert_ok(mig_db_begin(f->db));
	mig_assert_ok(mig_db_exec(f->db, "ALTER TYPE \"level\" ADD VALUE 'new'"));
	assert_int_equal(mig_db_exec(f->db, "SELECT 'new'::level"), MIG_ERROR);
	assert_non_null(strstr(mig_error_last(), "unsafe use of new value \"new\" of enum type "
						 "level"));
	mig_assert_ok(mig_db_rollback(f->db));

	assert_ops(f, "- drop_enum: {name: level}\n", "DROP TYPE \"level\";\n");
	mig_assert_query(f->db, "SELECT count(*) FROM pg_type WHERE typname = 'level'", "0\n");
}

/* ---- quoting ---- */

static void test_pg_render_nasty_names(void **state)
{
	struct fx *f = *state;
	assert_ops(
		f,
		"- create_enum: {name: \"Mood \\\"x\\\"\", values: [\"it's\", \"back\\\\slash\", "
		"\"na\\u00efve \\u2603\"]}\n"
		"- create_table:\n"
		"    name: \"we\\\"ird t\\u00e2ble\"\n"
		"    comment: \"it's a \\\\ table\"\n"
		"    columns:\n"
		"      select: {type: integer, primary_key: true, autoincrement: false}\n"
		"      \"a b\": {type: text, comment: \"col's \\\"comment\\\"\"}\n"
		"      \"Mixed Case\": \"Mood \\\"x\\\"\"\n"
		"      \"\\u00fcn\\u00ef\": varchar(10)\n"
		"      order: boolean\n"
		"    indexes:\n"
		"      - {name: \"ix \\\"q\\\"\", columns: [\"a b\", \"Mixed Case\"]}\n"
		"- bulk_insert:\n"
		"    table: \"we\\\"ird t\\u00e2ble\"\n"
		"    rows:\n"
		"      - {select: 1, \"a b\": \"O'Reilly \\\\ back\", \"Mixed Case\": \"it's\", "
		"\"\\u00fcn\\u00ef\": \"\\u00fcn\\u00ef \\u2603\", order: true}\n"
		"      - {select: -2, \"a b\": null, \"Mixed Case\": \"back\\\\slash\", "
		"\"\\u00fcn\\u00ef\": \"''\", order: false}\n"
		"- alter_column: {table: \"we\\\"ird t\\u00e2ble\", column: \"a b\", new_name: "
		"from}\n"
		"- rename_table: {name: \"we\\\"ird t\\u00e2ble\", new_name: \"user\"}\n",
		"CREATE TYPE \"Mood \"\"x\"\"\" AS ENUM ('it''s', E'back\\\\slash', "
		"'na\xc3\xafve \xe2\x98\x83');\n"
		"CREATE TABLE \"we\"\"ird t\xc3\xa2" "ble\" (\n"
		"\t\"select\" INTEGER NOT NULL,\n"
		"\t\"a b\" TEXT,\n"
		"\t\"Mixed Case\" \"Mood \"\"x\"\"\",\n"
		"\t\"\xc3\xbcn\xc3\xaf\" VARCHAR(10),\n"
		"\t\"order\" BOOLEAN,\n"
		"\tPRIMARY KEY (\"select\")\n"
		");\n"
		"COMMENT ON TABLE \"we\"\"ird t\xc3\xa2" "ble\" IS E'it''s a \\\\ table';\n"
		"COMMENT ON COLUMN \"we\"\"ird t\xc3\xa2" "ble\".\"a b\" IS 'col''s \"comment\"';\n"
		"CREATE INDEX \"ix \"\"q\"\"\" ON \"we\"\"ird t\xc3\xa2" "ble\" (\"a b\", \"Mixed "
		"Case\");\n"
		"INSERT INTO \"we\"\"ird t\xc3\xa2" "ble\" (\"select\", \"a b\", \"Mixed Case\", "
		"\"\xc3\xbcn\xc3\xaf\", \"order\") VALUES\n"
		"\t(1, E'O''Reilly \\\\ back', 'it''s', '\xc3\xbcn\xc3\xaf \xe2\x98\x83', true),\n"
		"\t(-2, NULL, E'back\\\\slash', '''''', false);\n"
		"ALTER TABLE \"we\"\"ird t\xc3\xa2" "ble\" RENAME COLUMN \"a b\" TO \"from\";\n"
		"ALTER TABLE \"we\"\"ird t\xc3\xa2" "ble\" RENAME TO \"user\";\n");
	mig_assert_query(f->db,
			 "SELECT \"select\", \"from\", \"Mixed Case\"::text, \"\xc3\xbcn\xc3\xaf\","
			 " \"order\" FROM \"user\" ORDER BY 1",
			 "-2|NULL|back\\slash|''|f\n"
			 "1|O'Reilly \\ back|it's|\xc3\xbcn\xc3\xaf \xe2\x98\x83|t\n");
	mig_assert_query(f->db,
			 "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
			 " WHERE t.typname = 'Mood \"x\"' ORDER BY enumsortorder",
			 "it's\nback\\slash\nna\xc3\xafve \xe2\x98\x83\n");
	mig_assert_query(f->db,
			 "SELECT obj_description('\"user\"'::regclass, 'pg_class'),"
			 " col_description('\"user\"'::regclass, 2),"
			 " (SELECT indexname FROM pg_indexes WHERE tablename = 'user'"
			 "  AND indexname LIKE 'ix%')",
			 "it's a \\ table|col's \"comment\"|ix \"q\"\n");
}

/* ---- a second schema ---- */

static void test_pg_render_schemas(void **state)
{
	struct fx *f = *state;
	assert_ops(
		f,
		"- sql: CREATE SCHEMA billing\n"
		"- create_enum: {name: billing.status, values: [open, paid]}\n"
		"- create_table: {name: customers, columns: {id: {type: integer, primary_key: "
		"true}}}\n"
		"- create_table:\n"
		"    name: billing.invoices\n"
		"    comment: Invoices\n"
		"    columns:\n"
		"      id: {type: bigint, primary_key: true}\n"
		"      customer_id: {type: integer, nullable: false, references: customers.id, "
		"on_delete: restrict}\n"
		"      state: {type: billing.status, nullable: false, default: \"'open'\"}\n"
		"      total: {type: \"numeric(12,2)\", comment: in cents}\n"
		"    indexes:\n"
		"      - {name: ix_invoices_customer, columns: [customer_id]}\n"
		"- create_table:\n"
		"    name: billing.lines\n"
		"    columns:\n"
		"      invoice_id: {type: bigint, references: billing.invoices.id, on_delete: "
		"cascade}\n"
		"      amount: numeric(12,2)\n"
		"- add_column: {table: billing.invoices, column: {name: note, type: text, comment: "
		"hi}}\n"
		"- alter_column: {table: billing.invoices, column: total, type: \"numeric(14,2)\", "
		"nullable: false}\n"
		"- create_index: {table: billing.invoices, name: ix_invoices_state, columns: "
		"[state]}\n"
		"- drop_index: {table: billing.invoices, name: ix_invoices_customer}\n"
		"- create_unique_constraint: {table: billing.invoices, name: uq_invoices_note, "
		"columns: [note]}\n"
		"- create_check_constraint: {table: billing.invoices, name: ck_total, sql: total "
		">= 0}\n"
		"- drop_constraint: {table: billing.invoices, name: ck_total, type: check}\n"
		"- create_table_comment: {table: billing.invoices, comment: All invoices}\n"
		"- add_enum_value: {name: billing.status, value: void, after: open}\n"
		"- rename_table: {name: billing.lines, new_name: invoice_lines}\n"
		"- bulk_insert: {table: customers, rows: [{id: 1}]}\n"
		"- bulk_insert: {table: billing.invoices, rows: [{id: 10, customer_id: 1, total: "
		"5.5, note: first}]}\n"
		"- bulk_insert: {table: billing.invoice_lines, rows: [{invoice_id: 10, amount: "
		"5.5}]}\n",
		"CREATE SCHEMA billing;\n"
		"CREATE TYPE \"billing\".\"status\" AS ENUM ('open', 'paid');\n"
		"CREATE TABLE \"customers\" (\n"
		"\t\"id\" SERIAL NOT NULL,\n"
		"\tPRIMARY KEY (\"id\")\n"
		");\n"
		"CREATE TABLE \"billing\".\"invoices\" (\n"
		"\t\"id\" BIGSERIAL NOT NULL,\n"
		"\t\"customer_id\" INTEGER NOT NULL,\n"
		"\t\"state\" \"billing\".\"status\" DEFAULT 'open' NOT NULL,\n"
		"\t\"total\" NUMERIC(12, 2),\n"
		"\tPRIMARY KEY (\"id\"),\n"
		"\tFOREIGN KEY (\"customer_id\") REFERENCES \"customers\" (\"id\") ON DELETE "
		"RESTRICT\n"
		");\n"
		"COMMENT ON TABLE \"billing\".\"invoices\" IS 'Invoices';\n"
		"COMMENT ON COLUMN \"billing\".\"invoices\".\"total\" IS 'in cents';\n"
		"CREATE INDEX \"ix_invoices_customer\" ON \"billing\".\"invoices\" "
		"(\"customer_id\");\n"
		"CREATE TABLE \"billing\".\"lines\" (\n"
		"\t\"invoice_id\" BIGINT,\n"
		"\t\"amount\" NUMERIC(12, 2),\n"
		"\tFOREIGN KEY (\"invoice_id\") REFERENCES \"billing\".\"invoices\" (\"id\") ON "
		"DELETE CASCADE\n"
		");\n"
		"ALTER TABLE \"billing\".\"invoices\" ADD COLUMN \"note\" TEXT;\n"
		"COMMENT ON COLUMN \"billing\".\"invoices\".\"note\" IS 'hi';\n"
		"ALTER TABLE \"billing\".\"invoices\" ALTER COLUMN \"total\" TYPE NUMERIC(14, 2);\n"
		"ALTER TABLE \"billing\".\"invoices\" ALTER COLUMN \"total\" SET NOT NULL;\n"
		"CREATE INDEX \"ix_invoices_state\" ON \"billing\".\"invoices\" (\"state\");\n"
		"DROP INDEX \"billing\".\"ix_invoices_customer\";\n"
		"ALTER TABLE \"billing\".\"invoices\" ADD CONSTRAINT \"uq_invoices_note\" UNIQUE "
		"(\"note\");\n"
		"ALTER TABLE \"billing\".\"invoices\" ADD CONSTRAINT \"ck_total\" CHECK (total >= "
		"0);\n"
		"ALTER TABLE \"billing\".\"invoices\" DROP CONSTRAINT \"ck_total\";\n"
		"COMMENT ON TABLE \"billing\".\"invoices\" IS 'All invoices';\n"
		"ALTER TYPE \"billing\".\"status\" ADD VALUE 'void' AFTER 'open';\n"
		"ALTER TABLE \"billing\".\"lines\" RENAME TO \"invoice_lines\";\n"
		"INSERT INTO \"customers\" (\"id\") VALUES\n"
		"\t(1);\n"
		"INSERT INTO \"billing\".\"invoices\" (\"id\", \"customer_id\", \"total\", \"note\") "
		"VALUES\n"
		"\t(10, 1, 5.5, 'first');\n"
		"INSERT INTO \"billing\".\"invoice_lines\" (\"invoice_id\", \"amount\") VALUES\n"
		"\t(10, 5.5);\n");
	mig_assert_query(f->db,
			 "SELECT table_schema, table_name FROM information_schema.tables"
			 " WHERE table_schema IN ('public', 'billing') ORDER BY 1, 2",
			 "billing|invoice_lines\n"
			 "billing|invoices\n"
			 "public|customers\n");
	mig_assert_query(f->db, COLUMNS_OF("billing.invoices"),
			 "id|bigint|t|nextval('billing.invoices_id_seq'::regclass)\n"
			 "customer_id|integer|t|NULL\n"
			 "state|billing.status|t|'open'::billing.status\n"
			 "total|numeric(14,2)|t|NULL\n"
			 "note|text|f|NULL\n");
	mig_assert_query(f->db, CONSTRAINTS_IN("billing"),
			 "billing.invoice_lines|lines_invoice_id_fkey|f|FOREIGN KEY (invoice_id) "
			 "REFERENCES billing.invoices(id) ON DELETE CASCADE\n"
			 "billing.invoices|invoices_customer_id_fkey|f|FOREIGN KEY (customer_id) "
			 "REFERENCES customers(id) ON DELETE RESTRICT\n"
			 "billing.invoices|invoices_pkey|p|PRIMARY KEY (id)\n"
			 "billing.invoices|uq_invoices_note|u|UNIQUE (note)\n");
	mig_assert_query(f->db,
			 "SELECT indexname FROM pg_indexes WHERE schemaname = 'billing' ORDER BY 1",
			 "invoices_pkey\n"
			 "ix_invoices_state\n"
			 "uq_invoices_note\n");
	mig_assert_query(f->db,
			 "SELECT obj_description('billing.invoices'::regclass, 'pg_class'),"
			 " col_description('billing.invoices'::regclass, 4),"
			 " array_to_string(enum_range(NULL::billing.status), ',')",
			 "All invoices|in cents|open,void,paid\n");
	/* the cascade crosses the schemas */
	mig_assert_ok(mig_db_exec(f->db, "DELETE FROM billing.invoices"));
	mig_assert_query(f->db, "SELECT count(*) FROM billing.invoice_lines", "0\n");

	assert_ops(f,
		   "- drop_table: {name: billing.invoice_lines}\n"
		   "- drop_table: {name: billing.invoices}\n"
		   "- drop_enum: {name: billing.status}\n",
		   "DROP TABLE \"billing\".\"invoice_lines\";\n"
		   "DROP TABLE \"billing\".\"invoices\";\n"
		   "DROP TYPE \"billing\".\"status\";\n");
	mig_assert_query(
	    f->db, "SELECT count(*) FROM pg_class WHERE relnamespace = 'billing'::regnamespace",
	    "0\n");
}

/* ---- sql and bulk_insert ---- */

static void test_pg_render_sql(void **state)
{
	struct fx *f = *state;
	assert_ops(f,
		   "- create_table: {name: t, columns: {a: integer, b: text, c: boolean, d: "
		   "numeric}}\n"
		   "- sql: \"INSERT INTO t (a, b) VALUES (0, 'generic');  \\n\"\n"
		   "- sql: {postgresql: \"INSERT INTO t VALUES (1, 'pg')\", sqlite: \"INSERT INTO t "
		   "VALUES (1, 'sqlite')\"}\n"
		   "- bulk_insert:\n"
		   "    table: t\n"
		   "    rows:\n"
		   "      - {a: 2, b: \"x\\ty\\n\", c: true, d: 1.5e3}\n"
		   "      - {a: 3, b: \"\", c: false, d: -0.25}\n"
		   "      - {a: null, b: \"42\", c: null, d: null}\n",
		   "CREATE TABLE \"t\" (\n"
		   "\t\"a\" INTEGER,\n"
		   "\t\"b\" TEXT,\n"
		   "\t\"c\" BOOLEAN,\n"
		   "\t\"d\" NUMERIC\n"
		   ");\n"
		   "INSERT INTO t (a, b) VALUES (0, 'generic');\n"
		   "INSERT INTO t VALUES (1, 'pg');\n"
		   "INSERT INTO \"t\" (\"a\", \"b\", \"c\", \"d\") VALUES\n"
		   "\t(2, 'x\ty\n', true, 1.5e3),\n"
		   "\t(3, '', false, -0.25),\n"
		   "\t(NULL, '42', NULL, NULL);\n");
	mig_assert_query(f->db, "SELECT a, b = E'x\\ty\\n', b, c, d FROM t ORDER BY a NULLS LAST",
			 "0|f|generic|NULL|NULL\n"
			 "1|f|pg|NULL|NULL\n"
			 "2|t|x\ty\n|t|1500\n"
			 "3|f||f|-0.25\n"
			 "NULL|f|42|NULL|NULL\n");
	assert_render_fails(f, NULL, "- sql: {mysql: SELECT 1}\n",
			    "ops.yaml:1:3: sql has no text for dialect 'postgresql' (it has: mysql)");
}

#define PG_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PG_TEST(test_pg_render_types),	    PG_TEST(test_pg_render_serial_identity),
		PG_TEST(test_pg_render_constraints), PG_TEST(test_pg_render_indexes),
		PG_TEST(test_pg_render_comments),    PG_TEST(test_pg_render_columns),
		PG_TEST(test_pg_render_shorthands),  PG_TEST(test_pg_render_enums),
		PG_TEST(test_pg_render_nasty_names), PG_TEST(test_pg_render_schemas),
		PG_TEST(test_pg_render_sql),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
