/* MySQL/MariaDB rendering against a real server ($MIGRATE_TEST_MYSQL_URL):
 * each test reads ops from revision-file YAML, renders them with the schema
 * before each op (kept current by applying the ops in memory, as the runner
 * does), asserts the exact statements, runs them on a database of its own and
 * checks the outcome in information_schema. The errors for what MySQL cannot
 * do are asserted word for word. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One throwaway database per test, and the schema the ops so far made. */
struct myn_state {
	char *name;
	struct mig_db *db;
	struct mig_schema *schema;
	const struct mig_dialect_impl *impl;
};

static int setup_db(void **state)
{
	struct myn_state *st = xcalloc(1, sizeof(*st));
	st->name = mig_test_my_fresh_db("migrate_test_myn");
	st->db = mig_test_connect(MIG_TEST_MYSQL, st->name);
	st->schema = mig_schema_new();
	mig_assert_ok(mig_dialect_find("mysql", &st->impl));
	*state = st;
	return 0;
}

static int teardown_db(void **state)
{
	struct myn_state *st = *state;
	mig_db_close(st->db);
	mig_test_drop_db(MIG_TEST_MYSQL, st->name);
	mig_schema_free(st->schema);
	free(st->name);
	free(st);
	return 0;
}

/* ---- helpers ---- */

static void print_list(const char *title, const char *const *v, size_t n)
{
	fprintf(stderr, "--- %s (%zu):\n", title, n);
	for (size_t i = 0; i < n; i++) {
		fprintf(stderr, "[%zu] %s\n", i, v[i]);
	}
}

/* Render the ops of yaml one after the other, each with the schema before it
 * (or with no schema when with_schema is false), and apply each to the
 * state's schema; the statements must be want (NULL-terminated), and are
 * then run on the database. */
static void run_ops_at(struct myn_state *st, const char *yaml, bool with_schema,
		       const char *const *want, const char *file, int line)
{
	struct mig_oplist ops;
	struct mig_strlist got = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok_at(mig_ops_parse_string("rev.yaml", yaml, &ops), "parse", file, line);
	for (size_t i = 0; i < ops.ops.n; i++) {
		const struct mig_op *op = &ops.ops.v[i];
		mig_assert_ok_at(mig_render_op(st->impl, with_schema ? st->schema : NULL, false, op,
					       &got),
				 "mig_render_op", file, line);
		mig_assert_ok_at(mig_schema_apply(st->schema, op), "mig_schema_apply", file, line);
	}
	size_t nwant = 0;
	while (want[nwant]) {
		nwant++;
	}
	bool same = nwant == got.n;
	for (size_t i = 0; same && i < nwant; i++) {
		same = strcmp(want[i], got.v[i]) == 0;
	}
	if (!same) {
		print_list("expected", want, nwant);
		print_list("actual", (const char *const *)got.v, got.n);
		_fail(file, line);
	}
	for (size_t i = 0; i < got.n; i++) {
		mig_assert_ok_at(mig_db_exec(st->db, got.v[i]), got.v[i], file, line);
	}
	mig_strlist_release(&got);
	mig_oplist_release(&ops);
}
#define run_ops(st, yaml, ...)                                                                     \
	run_ops_at((st), (yaml), true, (const char *const[]){ __VA_ARGS__, NULL }, __FILE__,      \
		   __LINE__)
#define run_ops_no_schema(st, yaml, ...)                                                           \
	run_ops_at((st), (yaml), false, (const char *const[]){ __VA_ARGS__, NULL }, __FILE__,     \
		   __LINE__)

/* Render the ops of yaml with the schema before each (none when with_schema
 * is false): every op but the last renders and is applied, the last fails
 * with exactly message want. */
static void render_fails_at(struct myn_state *st, const char *yaml, bool with_schema,
			    const char *want, const char *file, int line)
{
	struct mig_oplist ops;
	struct mig_strlist got = MIG_STRLIST_INIT;
	mig_oplist_init(&ops);
	mig_assert_ok_at(mig_ops_parse_string("rev.yaml", yaml, &ops), "parse", file, line);
	for (size_t i = 0; i + 1 < ops.ops.n; i++) {
		mig_assert_ok_at(mig_schema_apply(st->schema, &ops.ops.v[i]), "mig_schema_apply",
				 file, line);
	}
	mig_assert_fails_at(mig_render_op(st->impl, with_schema ? st->schema : NULL, false,
					  &ops.ops.v[ops.ops.n - 1], &got),
			    want, "mig_render_op", file, line);
	if (mig_error_class_last() != MIG_ECLASS_FILE || got.n != 0) {
		print_error("expected a file-class error and no statements\n");
		_fail(file, line);
	}
	mig_strlist_release(&got);
	mig_oplist_release(&ops);
}
#define render_fails(st, yaml, want) render_fails_at((st), (yaml), true, (want), __FILE__, __LINE__)
#define render_fails_no_schema(st, yaml, want)                                                     \
	render_fails_at((st), (yaml), false, (want), __FILE__, __LINE__)


/* The columns of a table as information_schema describes them. */
static void assert_columns_at(struct myn_state *st, const char *table, const char *want,
			      const char *file, int line)
{
	char *name = mig_db_quote_literal(st->db, table);
	char *sql = xasprintf("SELECT column_name, column_type, is_nullable, column_default, "
			      "extra, column_comment, collation_name FROM "
			      "information_schema.columns "
			      "WHERE table_schema = DATABASE() AND table_name = %s "
			      "ORDER BY ordinal_position",
			      name);
	mig_assert_query_at(st->db, sql, want, file, line);
	free(sql);
	free(name);
}
#define assert_columns(st, table, want) assert_columns_at((st), (table), (want), __FILE__, __LINE__)

static void assert_indexes_at(struct myn_state *st, const char *table, const char *want,
			      const char *file, int line)
{
	char *name = mig_db_quote_literal(st->db, table);
	char *sql = xasprintf("SELECT index_name, non_unique, seq_in_index, column_name, sub_part, "
			      "collation, index_type FROM information_schema.statistics "
			      "WHERE table_schema = DATABASE() AND table_name = %s "
			      "ORDER BY index_name, seq_in_index",
			      name);
	mig_assert_query_at(st->db, sql, want, file, line);
	free(sql);
	free(name);
}
#define assert_indexes(st, table, want) assert_indexes_at((st), (table), (want), __FILE__, __LINE__)

/* The foreign keys: table|name|column|referenced table|referenced column|
 * update rule|delete rule, a line per column. Two queries joined here, since a
 * join of information_schema tables needs an on-disk temporary table, which
 * the test server does not always manage. */
static void assert_fks_at(struct myn_state *st, const char *want, const char *file, int line)
{
	struct mig_rows keys, rules;
	struct mig_str got = MIG_STR_INIT;
	mig_assert_ok(mig_db_query(st->db,
				   "SELECT table_name, constraint_name, column_name, "
				   "referenced_table_name, referenced_column_name "
				   "FROM information_schema.key_column_usage "
				   "WHERE table_schema = DATABASE() "
				   "AND referenced_table_name IS NOT NULL "
				   "ORDER BY table_name, constraint_name, ordinal_position",
				   &keys));
	mig_assert_ok(mig_db_query(st->db,
				   "SELECT table_name, constraint_name, update_rule, delete_rule "
				   "FROM information_schema.referential_constraints "
				   "WHERE constraint_schema = DATABASE()",
				   &rules));
	for (size_t i = 0; i < keys.nrows; i++) {
		const char *table = mig_rows_get(&keys, i, 0);
		const char *name = mig_rows_get(&keys, i, 1);
		mig_str_addf(&got, "%s|%s|%s|%s|%s", table, name, mig_rows_get(&keys, i, 2),
			     mig_rows_get(&keys, i, 3), mig_rows_get(&keys, i, 4));
		for (size_t j = 0; j < rules.nrows; j++) {
			if (strcmp(mig_rows_get(&rules, j, 0), table) == 0 &&
			    strcmp(mig_rows_get(&rules, j, 1), name) == 0) {
				mig_str_addf(&got, "|%s|%s", mig_rows_get(&rules, j, 2),
					     mig_rows_get(&rules, j, 3));
			}
		}
		mig_str_addch(&got, '\n');
	}
	if (strcmp(got.buf, want) != 0) {
		fprintf(stderr, "foreign keys\n--- expected:\n%s--- actual:\n%s---\n", want,
			got.buf);
		_fail(file, line);
	}
	mig_str_release(&got);
	mig_rows_release(&keys);
	mig_rows_release(&rules);
}
#define assert_fks(st, want) assert_fks_at((st), (want), __FILE__, __LINE__)

static const char sql_checks[] =
	"SELECT table_name, constraint_name, check_clause FROM "
	"information_schema.check_constraints "
	"WHERE constraint_schema = DATABASE() ORDER BY table_name, constraint_name";

static const char sql_tables[] =
	"SELECT table_name, table_comment FROM information_schema.tables "
	"WHERE table_schema = DATABASE() ORDER BY table_name";

/* ---- tables, columns and types ---- */

static void test_mysql_render_every_type(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_enum: {name: mood, values: [happy, \"it's ok\", sad]}\n"
		"- create_table:\n"
		"    name: every_type\n"
		"    columns:\n"
		"      c_smallint: smallint\n"
		"      c_integer: integer\n"
		"      c_bigint: bigint\n"
		"      c_boolean: boolean\n"
		"      c_real: real\n"
		"      c_float: float\n"
		"      c_float_p: float(10)\n"
		"      c_numeric: numeric(10,2)\n"
		"      c_numeric_p: numeric(8)\n"
		"      c_varchar: varchar(40)\n"
		"      c_char: char(3)\n"
		"      c_char1: char\n"
		"      c_text: text\n"
		"      c_date: date\n"
		"      c_time: time\n"
		"      c_time_p: time(3)\n"
		"      c_timestamp: timestamp\n"
		"      c_timestamp_p: timestamp(6)\n"
		"      c_timestamptz: timestamptz\n"
		"      c_timestamptz_p: timestamptz(3)\n"
		"      c_binary: binary\n"
		"      c_binary_n: binary(16)\n"
		"      c_json: json\n"
		"      c_uuid: uuid\n"
		"      c_enum: mood\n"
		"      c_mediumtext: mediumtext\n"
		"      c_tinyint: tinyint unsigned\n",
		"CREATE TABLE `every_type` (\n"
		"  `c_smallint` SMALLINT NULL,\n"
		"  `c_integer` INTEGER NULL,\n"
		"  `c_bigint` BIGINT NULL,\n"
		"  `c_boolean` BOOL NULL,\n"
		"  `c_real` FLOAT NULL,\n"
		"  `c_float` DOUBLE NULL,\n"
		"  `c_float_p` FLOAT(10) NULL,\n"
		"  `c_numeric` NUMERIC(10, 2) NULL,\n"
		"  `c_numeric_p` NUMERIC(8) NULL,\n"
		"  `c_varchar` VARCHAR(40) NULL,\n"
		"  `c_char` CHAR(3) NULL,\n"
		"  `c_char1` CHAR NULL,\n"
		"  `c_text` TEXT NULL,\n"
		"  `c_date` DATE NULL,\n"
		"  `c_time` TIME NULL,\n"
		"  `c_time_p` TIME(3) NULL,\n"
		"  `c_timestamp` DATETIME NULL,\n"
		"  `c_timestamp_p` DATETIME(6) NULL,\n"
		"  `c_timestamptz` TIMESTAMP NULL,\n"
		"  `c_timestamptz_p` TIMESTAMP(3) NULL,\n"
		"  `c_binary` BLOB NULL,\n"
		"  `c_binary_n` BINARY(16) NULL,\n"
		"  `c_json` JSON NULL,\n"
		"  `c_uuid` CHAR(36) NULL,\n"
		"  `c_enum` ENUM('happy', 'it''s ok', 'sad') NULL,\n"
		"  `c_mediumtext` mediumtext NULL,\n"
		"  `c_tinyint` tinyint unsigned NULL\n"
		")");
	mig_assert_query(st->db,
			 "SELECT column_name, column_type FROM information_schema.columns "
			 "WHERE table_schema = DATABASE() AND table_name = 'every_type' "
			 "ORDER BY ordinal_position",
			 "c_smallint|smallint(6)\n"
			 "c_integer|int(11)\n"
			 "c_bigint|bigint(20)\n"
			 "c_boolean|tinyint(1)\n"
			 "c_real|float\n"
			 "c_float|double\n"
			 "c_float_p|float\n"
			 "c_numeric|decimal(10,2)\n"
			 "c_numeric_p|decimal(8,0)\n"
			 "c_varchar|varchar(40)\n"
			 "c_char|char(3)\n"
			 "c_char1|char(1)\n"
			 "c_text|text\n"
			 "c_date|date\n"
			 "c_time|time\n"
			 "c_time_p|time(3)\n"
			 "c_timestamp|datetime\n"
			 "c_timestamp_p|datetime(6)\n"
			 "c_timestamptz|timestamp\n"
			 "c_timestamptz_p|timestamp(3)\n"
			 "c_binary|blob\n"
			 "c_binary_n|binary(16)\n"
			 "c_json|longtext\n"
			 "c_uuid|char(36)\n"
			 "c_enum|enum('happy','it''s ok','sad')\n"
			 "c_mediumtext|mediumtext\n"
			 "c_tinyint|tinyint(3) unsigned\n");

	/* reflection reads each generic type back as itself, but for those
	 * MySQL keeps as other types (uuid, float(p)), the spellings of the same
	 * type the server fills in (numeric(8,0), char(1)) and the enum, which
	 * reflection names after the column */
	struct mig_schema *back = NULL;
	mig_assert_ok(mig_db_reflect(st->db, NULL, &back));
	const struct mig_table *want = mig_schema_find_table(st->schema, NULL, "every_type");
	const struct mig_table *got = mig_schema_find_table(back, NULL, "every_type");
	assert_non_null(got);
	assert_int_equal(got->columns.n, want->columns.n);
	struct mig_str diff = MIG_STR_INIT;
	for (size_t i = 0; i < want->columns.n; i++) {
		struct mig_str a = MIG_STR_INIT, b = MIG_STR_INIT;
		mig_type_format(&a, &want->columns.v[i].type);
		mig_type_format(&b, &got->columns.v[i].type);
		if (strcmp(a.buf, b.buf) != 0) {
			mig_str_addf(&diff, "%s: %s -> %s\n", want->columns.v[i].name, a.buf,
				     b.buf);
		}
		mig_str_release(&a);
		mig_str_release(&b);
	}
	assert_string_equal(diff.buf, "c_float_p: float(10) -> real\n"
				      "c_numeric_p: numeric(8) -> numeric(8,0)\n"
				      "c_char1: char -> char(1)\n"
				      "c_uuid: uuid -> char(36)\n"
				      "c_enum: mood -> every_type_c_enum\n");
	mig_str_release(&diff);
	mig_schema_free(back);
}

static void test_mysql_render_create_table(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_table:\n"
		"    name: orgs\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true}\n"
		"      name: {type: varchar(100), nullable: false, collation: utf8mb4_bin, "
		"comment: \"Org's name\"}\n"
		"- create_table:\n"
		"    name: users\n"
		"    comment: Registered accounts\n"
		"    columns:\n"
		"      id: {type: bigint, primary_key: true}\n"
		"      org_id: {type: integer, references: orgs.id, on_delete: cascade, "
		"on_update: set null}\n"
		"      email: {type: varchar(255), nullable: false, unique: true}\n"
		"      score: {type: integer, nullable: false, default: \"0\"}\n"
		"      token: {type: char(36), default: \"uuid()\"}\n"
		"      plus: {type: integer, default: \"1 + 2\"}\n"
		"      bio: {type: text, default: \"'none'\"}\n"
		"      created_at: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}\n"
		"      updated_at: {type: timestamp(3), nullable: false, "
		"default: CURRENT_TIMESTAMP(3), server_onupdate: CURRENT_TIMESTAMP(3)}\n"
		"      doubled: {type: integer, computed: {sql: \"score * 2\", stored: true}}\n"
		"      tripled: {type: integer, computed: \"score * 3\"}\n"
		"    indexes:\n"
		"      - {name: ix_users_email_prefix, expressions: [\"email(10)\"]}\n"
		"      - {name: ix_users_score, columns: [score DESC, id]}\n"
		"      - {name: ix_users_bio, columns: [bio], using: fulltext}\n"
		"    checks:\n"
		"      - {name: ck_users_score, sql: \"score >= 0\"}\n"
		"    options: ENGINE=InnoDB\n"
		"- create_table:\n"
		"    name: memberships\n"
		"    columns:\n"
		"      user_id: bigint\n"
		"      org_id: integer\n"
		"      since: date\n"
		"    primary_key: [user_id, org_id]\n"
		"    unique:\n"
		"      - {name: uq_memberships_since, columns: [since, user_id]}\n"
		"    foreign_keys:\n"
		"      - {name: fk_memberships_user, columns: [user_id], "
		"references: {table: users, columns: [id]}, on_delete: restrict, "
		"on_update: no action}\n"
		"    checks:\n"
		"      - {sql: \"since > '2000-01-01'\"}\n"
		"- create_table:\n"
		"    name: tickets\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true, "
		"identity: {always: true, start: 100}}\n"
		"      kind: {type: smallint, primary_key: false}\n"
		"- create_table:\n"
		"    name: codes\n"
		"    columns:\n"
		"      code: {type: integer, primary_key: true, autoincrement: false}\n",
		"CREATE TABLE `orgs` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `name` VARCHAR(100) COLLATE utf8mb4_bin NOT NULL COMMENT 'Org''s name',\n"
		"  PRIMARY KEY (`id`)\n"
		")",
		"CREATE TABLE `users` (\n"
		"  `id` BIGINT NOT NULL AUTO_INCREMENT,\n"
		"  `org_id` INTEGER NULL,\n"
		"  `email` VARCHAR(255) NOT NULL,\n"
		"  `score` INTEGER NOT NULL DEFAULT 0,\n"
		"  `token` CHAR(36) NULL DEFAULT (uuid()),\n"
		"  `plus` INTEGER NULL DEFAULT (1 + 2),\n"
		"  `bio` TEXT NULL DEFAULT ('none'),\n"
		"  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
		"  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) "
		"ON UPDATE CURRENT_TIMESTAMP(3),\n"
		"  `doubled` INTEGER GENERATED ALWAYS AS (score * 2) STORED,\n"
		"  `tripled` INTEGER GENERATED ALWAYS AS (score * 3) VIRTUAL,\n"
		"  PRIMARY KEY (`id`),\n"
		"  UNIQUE (`email`),\n"
		"  INDEX `ix_users_email_prefix` (`email`(10)),\n"
		"  INDEX `ix_users_score` (`score` DESC, `id`),\n"
		"  FULLTEXT INDEX `ix_users_bio` (`bio`),\n"
		"  FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE CASCADE "
		"ON UPDATE SET NULL,\n"
		"  CONSTRAINT `ck_users_score` CHECK (score >= 0)\n"
		") COMMENT='Registered accounts' ENGINE=InnoDB",
		"CREATE TABLE `memberships` (\n"
		"  `user_id` BIGINT NOT NULL,\n"
		"  `org_id` INTEGER NOT NULL,\n"
		"  `since` DATE NULL,\n"
		"  PRIMARY KEY (`user_id`, `org_id`),\n"
		"  CONSTRAINT `uq_memberships_since` UNIQUE (`since`, `user_id`),\n"
		"  CONSTRAINT `fk_memberships_user` FOREIGN KEY (`user_id`) REFERENCES `users` "
		"(`id`) ON DELETE RESTRICT ON UPDATE NO ACTION,\n"
		"  CHECK (since > '2000-01-01')\n"
		")",
		"CREATE TABLE `tickets` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `kind` SMALLINT NULL,\n"
		"  PRIMARY KEY (`id`)\n"
		") AUTO_INCREMENT=100",
		"CREATE TABLE `codes` (\n"
		"  `code` INTEGER NOT NULL,\n"
		"  PRIMARY KEY (`code`)\n"
		")");
	assert_columns(st, "orgs",
		       "id|int(11)|NO|NULL|auto_increment||NULL\n"
		       "name|varchar(100)|NO|NULL||Org's name|utf8mb4_bin\n");
	assert_columns(st, "users",
		       "id|bigint(20)|NO|NULL|auto_increment||NULL\n"
		       "org_id|int(11)|YES|NULL|||NULL\n"
		       "email|varchar(255)|NO|NULL|||utf8mb4_general_ci\n"
		       "score|int(11)|NO|0|||NULL\n"
		       "token|char(36)|YES|uuid()|||utf8mb4_general_ci\n"
		       "plus|int(11)|YES|(1 + 2)|||NULL\n"
		       "bio|text|YES|'none'|||utf8mb4_general_ci\n"
		       "created_at|datetime|NO|current_timestamp()|||NULL\n"
		       "updated_at|datetime(3)|NO|current_timestamp(3)|on update "
		       "current_timestamp(3)||NULL\n"
		       "doubled|int(11)|YES|NULL|STORED GENERATED||NULL\n"
		       "tripled|int(11)|YES|NULL|VIRTUAL GENERATED||NULL\n");
	assert_columns(st, "codes", "code|int(11)|NO|NULL|||NULL\n");
	assert_indexes(st, "users",
		       "email|0|1|email|NULL|A|BTREE\n"
		       "ix_users_bio|1|1|bio|NULL|NULL|FULLTEXT\n"
		       "ix_users_email_prefix|1|1|email|10|A|BTREE\n"
		       "ix_users_score|1|1|score|NULL|D|BTREE\n"
		       "ix_users_score|1|2|id|NULL|A|BTREE\n"
		       "org_id|1|1|org_id|NULL|A|BTREE\n"
		       "PRIMARY|0|1|id|NULL|A|BTREE\n");
	assert_indexes(st, "memberships",
		       "PRIMARY|0|1|user_id|NULL|A|BTREE\n"
		       "PRIMARY|0|2|org_id|NULL|A|BTREE\n"
		       "uq_memberships_since|0|1|since|NULL|A|BTREE\n"
		       "uq_memberships_since|0|2|user_id|NULL|A|BTREE\n");
	assert_fks(st, "memberships|fk_memberships_user|user_id|users|id|NO ACTION|RESTRICT\n"
		       "users|users_ibfk_1|org_id|orgs|id|SET NULL|CASCADE\n");
	mig_assert_query(st->db, sql_checks,
			 "memberships|CONSTRAINT_1|`since` > '2000-01-01'\n"
			 "users|ck_users_score|`score` >= 0\n");
	mig_assert_query(st->db, sql_tables,
			 "codes|\n"
			 "memberships|\n"
			 "orgs|\n"
			 "tickets|\n"
			 "users|Registered accounts\n");
	mig_assert_query(st->db,
			 "SELECT engine, auto_increment FROM information_schema.tables "
			 "WHERE table_schema = DATABASE() AND table_name IN ('users', 'tickets') "
			 "ORDER BY table_name",
			 "InnoDB|100\n"
			 "InnoDB|1\n");
	/* the ON UPDATE and the generated columns work */
	mig_assert_ok(mig_db_exec(st->db, "INSERT INTO orgs (name) VALUES ('a')"));
	mig_assert_ok(mig_db_exec(st->db, "INSERT INTO users (org_id, email, score, updated_at) "
					  "VALUES (1, 'a@b', 4, '2001-01-01')"));
	mig_assert_ok(mig_db_exec(st->db, "UPDATE users SET score = 5"));
	mig_assert_query(st->db,
			 "SELECT id, doubled, tripled, plus, bio, updated_at > '2001-01-02', "
			 "LENGTH(token) FROM users",
			 "1|10|15|3|none|1|36\n");
	mig_assert_ok(mig_db_exec(st->db, "INSERT INTO tickets (kind) VALUES (1)"));
	mig_assert_query(st->db, "SELECT id FROM tickets", "100\n");
}

static void test_mysql_render_tables_and_columns(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_table:\n"
		"    name: parents\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true}\n"
		"- create_table:\n"
		"    name: things\n"
		"    columns:\n"
		"      label: {type: varchar(20), nullable: false}\n"
		"- rename_table: {name: things, new_name: items}\n"
		"- add_column: {table: items, column: {name: id, type: integer, "
		"primary_key: true}}\n"
		"- add_column:\n"
		"    table: items\n"
		"    column: {name: parent_id, type: integer, references: parents.id, "
		"on_delete: set null, index: true}\n"
		"- add_column:\n"
		"    table: items\n"
		"    column: {name: code, type: varchar(10), nullable: false, default: \"'x'\", "
		"unique: true, comment: the code}\n"
		"- add_column: {table: items, column: {name: extra, type: integer}}\n"
		"- create_index: {table: items, name: ix_items_extra_code, "
		"columns: [extra, code]}\n"
		"- create_table_comment: {table: items, comment: \"Things, renamed\"}\n",
		"CREATE TABLE `parents` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  PRIMARY KEY (`id`)\n"
		")",
		"CREATE TABLE `things` (\n"
		"  `label` VARCHAR(20) NOT NULL\n"
		")",
		"RENAME TABLE `things` TO `items`",
		"ALTER TABLE `items` ADD COLUMN `id` INTEGER NOT NULL AUTO_INCREMENT, "
		"ADD PRIMARY KEY (`id`)",
		"ALTER TABLE `items` ADD COLUMN `parent_id` INTEGER NULL, "
		"ADD INDEX `ix_items_parent_id` (`parent_id`), "
		"ADD FOREIGN KEY (`parent_id`) REFERENCES `parents` (`id`) ON DELETE SET NULL",
		"ALTER TABLE `items` ADD COLUMN `code` VARCHAR(10) NOT NULL DEFAULT 'x' "
		"COMMENT 'the code', ADD UNIQUE (`code`)",
		"ALTER TABLE `items` ADD COLUMN `extra` INTEGER NULL",
		"CREATE INDEX `ix_items_extra_code` ON `items` (`extra`, `code`)",
		"ALTER TABLE `items` COMMENT='Things, renamed'");
	assert_columns(st, "items",
		       "label|varchar(20)|NO|NULL|||utf8mb4_general_ci\n"
		       "id|int(11)|NO|NULL|auto_increment||NULL\n"
		       "parent_id|int(11)|YES|NULL|||NULL\n"
		       "code|varchar(10)|NO|'x'||the code|utf8mb4_general_ci\n"
		       "extra|int(11)|YES|NULL|||NULL\n");
	assert_indexes(st, "items",
		       "code|0|1|code|NULL|A|BTREE\n"
		       "ix_items_extra_code|1|1|extra|NULL|A|BTREE\n"
		       "ix_items_extra_code|1|2|code|NULL|A|BTREE\n"
		       "ix_items_parent_id|1|1|parent_id|NULL|A|BTREE\n"
		       "PRIMARY|0|1|id|NULL|A|BTREE\n");
	assert_fks(st, "items|items_ibfk_1|parent_id|parents|id|RESTRICT|SET NULL\n");
	mig_assert_query(st->db, sql_tables, "items|Things, renamed\nparents|\n");

	/* dropping a column drops, first, what MySQL would refuse or keep: the
	 * foreign key on it (known by its name from the schema) and indexes
	 * over it and other columns */
	mig_schema_free(st->schema);
	mig_assert_ok(mig_db_reflect(st->db, NULL, &st->schema));
	run_ops(st,
		"- drop_column: {table: items, column: parent_id}\n"
		"- drop_column: {table: items, column: code}\n"
		"- drop_table_comment: {table: items}\n",
		"ALTER TABLE `items` DROP FOREIGN KEY `items_ibfk_1`, DROP COLUMN `parent_id`",
		"ALTER TABLE `items` DROP INDEX `ix_items_extra_code`, DROP COLUMN `code`",
		"ALTER TABLE `items` COMMENT=''");
	assert_columns(st, "items",
		       "label|varchar(20)|NO|NULL|||utf8mb4_general_ci\n"
		       "id|int(11)|NO|NULL|auto_increment||NULL\n"
		       "extra|int(11)|YES|NULL|||NULL\n");
	assert_indexes(st, "items", "PRIMARY|0|1|id|NULL|A|BTREE\n");
	assert_fks(st, "");
	run_ops(st, "- drop_table: {name: items}\n- drop_table: {name: parents}\n",
		"DROP TABLE `items`", "DROP TABLE `parents`");
	mig_assert_query(st->db, sql_tables, "");

	/* names qualified with the database */
	const char *db = st->name;
	char *yaml = xasprintf("- create_table:\n"
			       "    name: %s.q1\n"
			       "    columns:\n"
			       "      id: {type: integer, primary_key: true}\n"
			       "- create_table:\n"
			       "    name: %s.q2\n"
			       "    columns:\n"
			       "      q1_id: {type: integer, references: %s.q1.id}\n"
			       "- rename_table: {name: %s.q2, new_name: q3}\n"
			       "- add_column: {table: %s.q3, column: {name: n, type: smallint}}\n",
			       db, db, db, db, db);
	char *create_q1 = xasprintf("CREATE TABLE `%s`.`q1` (\n"
				    "  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
				    "  PRIMARY KEY (`id`)\n"
				    ")",
				    db);
	char *create_q2 = xasprintf("CREATE TABLE `%s`.`q2` (\n"
				    "  `q1_id` INTEGER NULL,\n"
				    "  FOREIGN KEY (`q1_id`) REFERENCES `%s`.`q1` (`id`)\n"
				    ")",
				    db, db);
	char *rename = xasprintf("RENAME TABLE `%s`.`q2` TO `%s`.`q3`", db, db);
	char *add = xasprintf("ALTER TABLE `%s`.`q3` ADD COLUMN `n` SMALLINT NULL", db);
	run_ops(st, yaml, create_q1, create_q2, rename, add);
	assert_fks(st, "q3|q3_ibfk_1|q1_id|q1|id|RESTRICT|RESTRICT\n");
	assert_columns(st, "q3", "q1_id|int(11)|YES|NULL|||NULL\nn|smallint(6)|YES|NULL|||NULL\n");
	free(yaml);
	free(create_q1);
	free(create_q2);
	free(rename);
	free(add);
}

/* ---- alter_column ---- */

static const char items_table[] =
	"- create_table:\n"
	"    name: items\n"
	"    columns:\n"
	"      id: {type: integer, primary_key: true}\n"
	"      name: {type: varchar(50), nullable: false, default: \"'unnamed'\", "
	"comment: shown name, collation: utf8mb4_bin}\n"
	"      qty: {type: integer, default: \"0\", comment: how many}\n"
	"      seen: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP, "
	"server_onupdate: CURRENT_TIMESTAMP}\n";

static void test_mysql_render_alter_column(void **state)
{
	struct myn_state *st = *state;
	run_ops(st, items_table,
		"CREATE TABLE `items` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `name` VARCHAR(50) COLLATE utf8mb4_bin NOT NULL DEFAULT 'unnamed' "
		"COMMENT 'shown name',\n"
		"  `qty` INTEGER NULL DEFAULT 0 COMMENT 'how many',\n"
		"  `seen` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE "
		"CURRENT_TIMESTAMP,\n"
		"  PRIMARY KEY (`id`)\n"
		")");
	/* what the op does not change comes from the schema: the default, the
	 * comment, the collation, AUTO_INCREMENT and ON UPDATE stay */
	run_ops(st,
		"- alter_column: {table: items, column: name, type: varchar(80), "
		"existing_type: varchar(50)}\n"
		"- alter_column: {table: items, column: id, type: bigint}\n"
		"- alter_column: {table: items, column: qty, nullable: false}\n"
		"- alter_column: {table: items, column: seen, comment: last seen}\n",
		"ALTER TABLE `items` MODIFY COLUMN `name` VARCHAR(80) COLLATE utf8mb4_bin NOT NULL "
		"DEFAULT 'unnamed' COMMENT 'shown name'",
		"ALTER TABLE `items` MODIFY COLUMN `id` BIGINT NOT NULL AUTO_INCREMENT",
		"ALTER TABLE `items` MODIFY COLUMN `qty` INTEGER NOT NULL DEFAULT 0 "
		"COMMENT 'how many'",
		"ALTER TABLE `items` MODIFY COLUMN `seen` DATETIME NOT NULL DEFAULT "
		"CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'last seen'");
	assert_columns(st, "items",
		       "id|bigint(20)|NO|NULL|auto_increment||NULL\n"
		       "name|varchar(80)|NO|'unnamed'||shown name|utf8mb4_bin\n"
		       "qty|int(11)|NO|0||how many|NULL\n"
		       "seen|datetime|NO|current_timestamp()|on update current_timestamp()|"
		       "last seen|NULL\n");
	/* a default alone, a rename alone, and a rename with more; a default
	 * alone on a column with ON UPDATE restates the column, since SET
	 * DEFAULT and DROP DEFAULT would take the ON UPDATE away */
	run_ops(st,
		"- alter_column: {table: items, column: qty, default: \"1\"}\n"
		"- alter_column: {table: items, column: name, default: \"concat('a', 'b')\"}\n"
		"- alter_column: {table: items, column: seen, default: \"'2000-01-01 00:00:00'\"}\n"
		"- alter_column: {table: items, column: qty, new_name: quantity}\n"
		"- alter_column: {table: items, column: quantity, new_name: amount, "
		"comment: the amount}\n"
		"- alter_column: {table: items, column: amount, default: null}\n"
		"- alter_column: {table: items, column: name, comment: null, nullable: true}\n",
		"ALTER TABLE `items` ALTER COLUMN `qty` SET DEFAULT 1",
		"ALTER TABLE `items` ALTER COLUMN `name` SET DEFAULT (concat('a', 'b'))",
		"ALTER TABLE `items` MODIFY COLUMN `seen` DATETIME NOT NULL DEFAULT "
		"'2000-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP COMMENT 'last seen'",
		"ALTER TABLE `items` RENAME COLUMN `qty` TO `quantity`",
		"ALTER TABLE `items` CHANGE COLUMN `quantity` `amount` INTEGER NOT NULL DEFAULT 1 "
		"COMMENT 'the amount'",
		"ALTER TABLE `items` ALTER COLUMN `amount` DROP DEFAULT",
		"ALTER TABLE `items` MODIFY COLUMN `name` VARCHAR(80) COLLATE utf8mb4_bin NULL "
		"DEFAULT (concat('a', 'b'))");
	assert_columns(st, "items",
		       "id|bigint(20)|NO|NULL|auto_increment||NULL\n"
		       "name|varchar(80)|YES|concat('a','b')|||utf8mb4_bin\n"
		       "amount|int(11)|NO|NULL||the amount|NULL\n"
		       "seen|datetime|NO|'2000-01-01 00:00:00'|on update current_timestamp()|"
		       "last seen|NULL\n");
}

static void test_mysql_render_alter_column_existing_keys(void **state)
{
	struct myn_state *st = *state;
	run_ops(st, items_table,
		"CREATE TABLE `items` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `name` VARCHAR(50) COLLATE utf8mb4_bin NOT NULL DEFAULT 'unnamed' "
		"COMMENT 'shown name',\n"
		"  `qty` INTEGER NULL DEFAULT 0 COMMENT 'how many',\n"
		"  `seen` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE "
		"CURRENT_TIMESTAMP,\n"
		"  PRIMARY KEY (`id`)\n"
		")");
	/* without a schema, the existing_* keys give what MODIFY restates */
	run_ops_no_schema(st,
			  "- alter_column:\n"
			  "    table: items\n"
			  "    column: name\n"
			  "    type: varchar(100)\n"
			  "    existing_type: varchar(50)\n"
			  "    existing_nullable: false\n"
			  "    existing_default: \"'unnamed'\"\n"
			  "    existing_comment: shown name\n"
			  "    existing_collation: utf8mb4_bin\n"
			  "- alter_column:\n"
			  "    table: items\n"
			  "    column: id\n"
			  "    type: bigint\n"
			  "    existing_nullable: false\n"
			  "    existing_default: null\n"
			  "    existing_comment: null\n"
			  "    existing_autoincrement: true\n"
			  "- alter_column:\n"
			  "    table: items\n"
			  "    column: seen\n"
			  "    nullable: true\n"
			  "    existing_type: timestamp\n"
			  "    existing_default: CURRENT_TIMESTAMP\n"
			  "    existing_comment: null\n"
			  "    existing_server_onupdate: CURRENT_TIMESTAMP\n"
			  "- alter_column: {table: items, column: qty, default: \"2\"}\n",
			  "ALTER TABLE `items` MODIFY COLUMN `name` VARCHAR(100) COLLATE "
			  "utf8mb4_bin NOT NULL DEFAULT 'unnamed' COMMENT 'shown name'",
			  "ALTER TABLE `items` MODIFY COLUMN `id` BIGINT NOT NULL AUTO_INCREMENT",
			  "ALTER TABLE `items` MODIFY COLUMN `seen` DATETIME NULL DEFAULT "
			  "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
			  "ALTER TABLE `items` ALTER COLUMN `qty` SET DEFAULT 2");
	assert_columns(st, "items",
		       "id|bigint(20)|NO|NULL|auto_increment||NULL\n"
		       "name|varchar(100)|NO|'unnamed'||shown name|utf8mb4_bin\n"
		       "qty|int(11)|YES|2||how many|NULL\n"
		       "seen|datetime|YES|current_timestamp()|on update "
		       "current_timestamp()||NULL\n");
	/* the op's existing_* keys win over the schema */
	run_ops(st,
		"- alter_column: {table: items, column: qty, type: bigint, existing_comment: null, "
		"existing_default: \"5\"}\n",
		"ALTER TABLE `items` MODIFY COLUMN `qty` BIGINT NULL DEFAULT 5");
	assert_columns(st, "items",
		       "id|bigint(20)|NO|NULL|auto_increment||NULL\n"
		       "name|varchar(100)|NO|'unnamed'||shown name|utf8mb4_bin\n"
		       "qty|bigint(20)|YES|5|||NULL\n"
		       "seen|datetime|YES|current_timestamp()|on update "
		       "current_timestamp()||NULL\n");
}

/* ---- indexes and constraints ---- */

static void test_mysql_render_constraints(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_table:\n"
		"    name: parents\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true}\n"
		"- create_table:\n"
		"    name: kids\n"
		"    columns:\n"
		"      id: {type: integer, nullable: false}\n"
		"      parent_id: integer\n"
		"      a: integer\n"
		"      b: integer\n"
		"      note: text\n"
		"      spot: {type: point, nullable: false}\n"
		"- create_primary_key: {table: kids, name: pk_kids, columns: [id]}\n"
		"- create_unique_constraint: {table: kids, name: uq_kids_a_b, columns: [a, b]}\n"
		"- create_unique_constraint: {table: kids, columns: [b]}\n"
		"- create_check_constraint: {table: kids, name: ck_kids_a, sql: \"a > 0\"}\n"
		"- create_foreign_key:\n"
		"    table: kids\n"
		"    name: fk_kids_parent\n"
		"    columns: [parent_id]\n"
		"    references: {table: parents, columns: [id]}\n"
		"    on_delete: set null\n"
		"    on_update: cascade\n"
		"- create_index: {table: kids, name: ix_kids_b, columns: [b DESC], unique: true}\n"
		"- create_index: {table: kids, name: ix_kids_note, columns: [note], "
		"using: fulltext}\n"
		"- create_index: {table: kids, name: ix_kids_spot, columns: [spot], "
		"using: spatial}\n"
		"- create_index: {table: kids, name: ix_kids_ab, columns: [a, b], using: btree}\n",
		"CREATE TABLE `parents` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  PRIMARY KEY (`id`)\n"
		")",
		"CREATE TABLE `kids` (\n"
		"  `id` INTEGER NOT NULL,\n"
		"  `parent_id` INTEGER NULL,\n"
		"  `a` INTEGER NULL,\n"
		"  `b` INTEGER NULL,\n"
		"  `note` TEXT NULL,\n"
		"  `spot` point NOT NULL\n"
		")",
		"ALTER TABLE `kids` ADD PRIMARY KEY (`id`)",
		"ALTER TABLE `kids` ADD CONSTRAINT `uq_kids_a_b` UNIQUE (`a`, `b`)",
		"ALTER TABLE `kids` ADD UNIQUE (`b`)",
		"ALTER TABLE `kids` ADD CONSTRAINT `ck_kids_a` CHECK (a > 0)",
		"ALTER TABLE `kids` ADD CONSTRAINT `fk_kids_parent` FOREIGN KEY (`parent_id`) "
		"REFERENCES `parents` (`id`) ON DELETE SET NULL ON UPDATE CASCADE",
		"CREATE UNIQUE INDEX `ix_kids_b` ON `kids` (`b` DESC)",
		"CREATE FULLTEXT INDEX `ix_kids_note` ON `kids` (`note`)",
		"CREATE SPATIAL INDEX `ix_kids_spot` ON `kids` (`spot`)",
		"CREATE INDEX `ix_kids_ab` ON `kids` (`a`, `b`) USING BTREE");
	assert_indexes(st, "kids",
		       "b|0|1|b|NULL|A|BTREE\n"
		       "fk_kids_parent|1|1|parent_id|NULL|A|BTREE\n"
		       "ix_kids_ab|1|1|a|NULL|A|BTREE\n"
		       "ix_kids_ab|1|2|b|NULL|A|BTREE\n"
		       "ix_kids_b|0|1|b|NULL|D|BTREE\n"
		       "ix_kids_note|1|1|note|NULL|NULL|FULLTEXT\n"
		       "ix_kids_spot|1|1|spot|32|A|SPATIAL\n"
		       "PRIMARY|0|1|id|NULL|A|BTREE\n"
		       "uq_kids_a_b|0|1|a|NULL|A|BTREE\n"
		       "uq_kids_a_b|0|2|b|NULL|A|BTREE\n");
	assert_fks(st, "kids|fk_kids_parent|parent_id|parents|id|CASCADE|SET NULL\n");
	mig_assert_query(st->db, sql_checks, "kids|ck_kids_a|`a` > 0\n");

	/* the unnamed unique constraint is dropped by the name the server gave
	 * it, read back by reflection */
	mig_schema_free(st->schema);
	mig_assert_ok(mig_db_reflect(st->db, NULL, &st->schema));
	run_ops(st,
		"- drop_index: {table: kids, name: ix_kids_b}\n"
		"- drop_constraint: {table: kids, name: uq_kids_a_b, type: unique}\n"
		"- drop_constraint: {table: kids, type: unique, columns: [b]}\n"
		"- drop_constraint: {table: kids, name: ck_kids_a, type: check}\n"
		"- drop_constraint: {table: kids, name: fk_kids_parent, type: foreignkey}\n"
		"- drop_constraint: {table: kids, type: primary}\n",
		"DROP INDEX `ix_kids_b` ON `kids`",
		"ALTER TABLE `kids` DROP INDEX `uq_kids_a_b`",
		"ALTER TABLE `kids` DROP INDEX `b`",
		"ALTER TABLE `kids` DROP CONSTRAINT `ck_kids_a`",
		"ALTER TABLE `kids` DROP FOREIGN KEY `fk_kids_parent`",
		"ALTER TABLE `kids` DROP INDEX `fk_kids_parent`",
		"ALTER TABLE `kids` DROP PRIMARY KEY");
	/* the index the server made for the foreign key goes with it */
	assert_indexes(st, "kids",
		       "ix_kids_ab|1|1|a|NULL|A|BTREE\n"
		       "ix_kids_ab|1|2|b|NULL|A|BTREE\n"
		       "ix_kids_note|1|1|note|NULL|NULL|FULLTEXT\n"
		       "ix_kids_spot|1|1|spot|32|A|SPATIAL\n");
	assert_fks(st, "");
	mig_assert_query(st->db, sql_checks, "");

	/* the schema the ops built: the server made an index for a key on a
	 * column no index starts with, and none for one that has an index */
	run_ops(st,
		"- create_foreign_key: {table: kids, name: fk_kids_parent, columns: [parent_id],\n"
		"                       references: {table: parents, columns: [id]}}\n"
		"- create_foreign_key: {table: kids, name: fk_kids_a, columns: [a],\n"
		"                       references: {table: parents, columns: [id]}}\n",
		"ALTER TABLE `kids` ADD CONSTRAINT `fk_kids_parent` FOREIGN KEY (`parent_id`) "
		"REFERENCES `parents` (`id`)",
		"ALTER TABLE `kids` ADD CONSTRAINT `fk_kids_a` FOREIGN KEY (`a`) "
		"REFERENCES `parents` (`id`)");
	run_ops(st,
		"- drop_constraint: {table: kids, name: fk_kids_parent, type: foreignkey}\n"
		"- drop_constraint: {table: kids, name: fk_kids_a, type: foreignkey}\n",
		"ALTER TABLE `kids` DROP FOREIGN KEY `fk_kids_parent`",
		"ALTER TABLE `kids` DROP INDEX `fk_kids_parent`",
		"ALTER TABLE `kids` DROP FOREIGN KEY `fk_kids_a`");
	assert_indexes(st, "kids",
		       "ix_kids_ab|1|1|a|NULL|A|BTREE\n"
		       "ix_kids_ab|1|2|b|NULL|A|BTREE\n"
		       "ix_kids_note|1|1|note|NULL|NULL|FULLTEXT\n"
		       "ix_kids_spot|1|1|spot|32|A|SPATIAL\n");
	assert_fks(st, "");
}

/* MariaDB keeps a check written on a column in the column's definition:
 * created with it, restated by every MODIFY (which would drop it), and
 * dropped and added by restating the column. */
static void test_mysql_render_column_checks(void **state)
{
	struct myn_state *st = *state;
	static const char levels[] =
		"SELECT constraint_name, level, check_clause FROM "
		"information_schema.check_constraints "
		"WHERE constraint_schema = DATABASE() ORDER BY constraint_name";
	run_ops(st,
		"- create_table:\n"
		"    name: items\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true}\n"
		"      price: {type: integer, nullable: false}\n"
		"      qty: integer\n"
		"    checks:\n"
		"      - {name: price, sql: price > 0, column: price}\n"
		"      - {name: ck_items_qty, sql: qty >= 0, column: qty}\n",
		"CREATE TABLE `items` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `price` INTEGER NOT NULL CHECK (price > 0),\n"
		"  `qty` INTEGER NULL,\n"
		"  PRIMARY KEY (`id`),\n"
		"  CONSTRAINT `ck_items_qty` CHECK (qty >= 0)\n"
		")");
	mig_assert_query(st->db, levels,
			 "ck_items_qty|Table|`qty` >= 0\n"
			 "price|Column|`price` > 0\n");
	/* the column check survives a change of the column */
	run_ops(st, "- alter_column: {table: items, column: price, type: bigint}\n",
		"ALTER TABLE `items` MODIFY COLUMN `price` BIGINT NOT NULL CHECK (price > 0)");
	mig_assert_query(st->db, levels,
			 "ck_items_qty|Table|`qty` >= 0\n"
			 "price|Column|`price` > 0\n");
	run_ops(st, "- drop_constraint: {table: items, name: price, type: check}\n",
		"ALTER TABLE `items` MODIFY COLUMN `price` BIGINT NOT NULL");
	mig_assert_query(st->db, levels, "ck_items_qty|Table|`qty` >= 0\n");
	run_ops(st,
		"- create_check_constraint: {table: items, name: qty, sql: qty < 100, "
		"column: qty}\n",
		"ALTER TABLE `items` MODIFY COLUMN `qty` INTEGER NULL CHECK (qty < 100)");
	mig_assert_query(st->db, levels,
			 "ck_items_qty|Table|`qty` >= 0\n"
			 "qty|Column|`qty` < 100\n");
	/* reflection reads the column back, and a drop by that schema restates */
	mig_schema_free(st->schema);
	mig_assert_ok(mig_db_reflect(st->db, NULL, &st->schema));
	const struct mig_table *t = mig_schema_find_table(st->schema, NULL, "items");
	assert_non_null(t);
	assert_int_equal(t->checks.n, 2);
	assert_string_equal(t->checks.v[0].name, "ck_items_qty");
	assert_null(t->checks.v[0].column);
	assert_string_equal(t->checks.v[1].name, "qty");
	assert_string_equal(t->checks.v[1].column, "qty");
	run_ops(st, "- drop_constraint: {table: items, name: qty, type: check}\n",
		"ALTER TABLE `items` MODIFY COLUMN `qty` INTEGER NULL");
	mig_assert_query(st->db, levels, "ck_items_qty|Table|`qty` >= 0\n");
	/* without a schema: the table-level forms */
	run_ops_no_schema(st,
			  "- create_check_constraint: {table: items, name: price, "
			  "sql: price > 1, column: price}\n",
			  "ALTER TABLE `items` ADD CONSTRAINT `price` CHECK (price > 1)");
	mig_assert_query(st->db, levels,
			 "ck_items_qty|Table|`qty` >= 0\n"
			 "price|Table|`price` > 1\n");
}

/* ---- enums ---- */

static void test_mysql_render_enums(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_enum: {name: status, values: [pending, paid]}\n"
		"- create_table:\n"
		"    name: orders\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true}\n"
		"      status: {type: status, nullable: false, default: \"'pending'\", "
		"comment: where it is}\n"
		"- create_table:\n"
		"    name: refunds\n"
		"    columns:\n"
		"      state: status\n"
		"      other: {type: integer}\n"
		"- add_enum_value: {name: status, value: shipped}\n"
		"- add_enum_value: {name: status, value: new, before: pending}\n"
		"- add_enum_value: {name: status, value: \"o'clock\", after: paid}\n"
		"- add_enum_value: {name: status, value: paid, if_not_exists: true}\n"
		"- create_enum: {name: unused, values: [a]}\n"
		"- add_enum_value: {name: unused, value: b}\n"
		"- drop_enum: {name: unused}\n",
		"CREATE TABLE `orders` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `status` ENUM('pending', 'paid') NOT NULL DEFAULT 'pending' "
		"COMMENT 'where it is',\n"
		"  PRIMARY KEY (`id`)\n"
		")",
		"CREATE TABLE `refunds` (\n"
		"  `state` ENUM('pending', 'paid') NULL,\n"
		"  `other` INTEGER NULL\n"
		")",
		"ALTER TABLE `orders` MODIFY COLUMN `status` ENUM('pending', 'paid', 'shipped') "
		"NOT NULL DEFAULT 'pending' COMMENT 'where it is'",
		"ALTER TABLE `refunds` MODIFY COLUMN `state` ENUM('pending', 'paid', "
		"'shipped') NULL",
		"ALTER TABLE `orders` MODIFY COLUMN `status` ENUM('new', 'pending', 'paid', "
		"'shipped') NOT NULL DEFAULT 'pending' COMMENT 'where it is'",
		"ALTER TABLE `refunds` MODIFY COLUMN `state` ENUM('new', 'pending', 'paid', "
		"'shipped') NULL",
		"ALTER TABLE `orders` MODIFY COLUMN `status` ENUM('new', 'pending', 'paid', "
		"'o''clock', 'shipped') NOT NULL DEFAULT 'pending' COMMENT 'where it is'",
		"ALTER TABLE `refunds` MODIFY COLUMN `state` ENUM('new', 'pending', 'paid', "
		"'o''clock', 'shipped') NULL");
	assert_columns(st, "orders",
		       "id|int(11)|NO|NULL|auto_increment||NULL\n"
		       "status|enum('new','pending','paid','o''clock','shipped')|NO|'pending'||"
		       "where it is|utf8mb4_general_ci\n");
	assert_columns(st, "refunds",
		       "state|enum('new','pending','paid','o''clock','shipped')|YES|NULL|||"
		       "utf8mb4_general_ci\n"
		       "other|int(11)|YES|NULL|||NULL\n");
}

/* A database reflected knows nothing of the name a model gave an enum: given
 * the model's enum (as the revisions declare it), add_enum_value finds the
 * columns by the inline enums reflection named after them. */
static void test_mysql_render_enums_reflected(void **state)
{
	struct myn_state *st = *state;
	mig_assert_ok(mig_db_exec(st->db, "CREATE TABLE orders (id INTEGER PRIMARY KEY, "
					  "status ENUM('pending', 'paid') NOT NULL DEFAULT 'paid', "
					  "other ENUM('pending', 'paid', 'x'))"));
	mig_schema_free(st->schema);
	mig_assert_ok(mig_db_reflect(st->db, NULL, &st->schema));
	struct mig_enum *e = mig_schema_add_enum(st->schema, NULL, "status");
	mig_vec_push(&e->values, "pending");
	mig_vec_push(&e->values, "paid");
	run_ops(st, "- add_enum_value: {name: status, value: shipped, before: paid}\n",
		"ALTER TABLE `orders` MODIFY COLUMN `status` ENUM('pending', 'shipped', 'paid') "
		"NOT NULL DEFAULT 'paid'");
	mig_assert_query(st->db,
			 "SELECT column_name, column_type FROM information_schema.columns "
			 "WHERE table_schema = DATABASE() AND table_name = 'orders' "
			 "ORDER BY ordinal_position",
			 "id|int(11)\n"
			 "status|enum('pending','shipped','paid')\n"
			 "other|enum('pending','paid','x')\n");
}

/* ---- names and literals ---- */

static void test_mysql_render_nasty_names(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_table:\n"
		"    name: \"we`ird 'tab' ü\"\n"
		"    comment: \"tab'le \\\\ \\\"x\\\"\\nnext line ✓\"\n"
		"    columns:\n"
		"      select: {type: integer, primary_key: true}\n"
		"      \"with space\": {type: varchar(40), default: \"'a''b\\\\\\\\c'\", "
		"comment: \"it's \\\\ a \\\"test\\\"\\nsecond ✓\"}\n"
		"      \"ünï`cöde\": {type: text}\n"
		"      \"order\": {type: varchar(10), unique: true}\n"
		"    indexes:\n"
		"      - {name: \"ix `odd` name\", columns: [\"with space\", \"order\"]}\n"
		"    checks:\n"
		"      - {name: \"ck 'quoted'\", sql: \"`order` <> ''\"}\n"
		"- create_table:\n"
		"    name: \"table\"\n"
		"    columns:\n"
		"      \"key\": {type: integer, references: \"we`ird 'tab' ü.select\"}\n"
		"- bulk_insert:\n"
		"    table: \"we`ird 'tab' ü\"\n"
		"    rows:\n"
		"      - {select: 1, \"ünï`cöde\": \"it's\\n\\\\ \\\"quoted\\\" ✓\", "
		"\"order\": null}\n"
		"      - {select: 2, \"ünï`cöde\": \"\", \"order\": \"x\"}\n"
		"- alter_column: {table: \"we`ird 'tab' ü\", column: \"with space\", "
		"new_name: \"with`tick\"}\n"
		"- alter_column: {table: \"we`ird 'tab' ü\", column: \"with`tick\", "
		"type: varchar(50)}\n",
		"CREATE TABLE `we``ird 'tab' ü` (\n"
		"  `select` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `with space` VARCHAR(40) NULL DEFAULT 'a''b\\\\c' "
		"COMMENT 'it''s \\\\ a \"test\"\nsecond ✓',\n"
		"  `ünï``cöde` TEXT NULL,\n"
		"  `order` VARCHAR(10) NULL,\n"
		"  PRIMARY KEY (`select`),\n"
		"  UNIQUE (`order`),\n"
		"  INDEX `ix ``odd`` name` (`with space`, `order`),\n"
		"  CONSTRAINT `ck 'quoted'` CHECK (`order` <> '')\n"
		") COMMENT='tab''le \\\\ \"x\"\nnext line ✓'",
		"CREATE TABLE `table` (\n"
		"  `key` INTEGER NULL,\n"
		"  FOREIGN KEY (`key`) REFERENCES `we``ird 'tab' ü` (`select`)\n"
		")",
		"INSERT INTO `we``ird 'tab' ü` (`select`, `ünï``cöde`, `order`) VALUES "
		"(1, 'it''s\n\\\\ \"quoted\" ✓', NULL), (2, '', 'x')",
		"ALTER TABLE `we``ird 'tab' ü` RENAME COLUMN `with space` TO `with``tick`",
		"ALTER TABLE `we``ird 'tab' ü` MODIFY COLUMN `with``tick` VARCHAR(50) NULL "
		"DEFAULT 'a''b\\\\c' COMMENT 'it''s \\\\ a \"test\"\nsecond ✓'");
	assert_columns(st, "we`ird 'tab' ü",
		       "select|int(11)|NO|NULL|auto_increment||NULL\n"
		       "with`tick|varchar(50)|YES|'a''b\\\\c'||it's \\ a \"test\"\nsecond ✓|"
		       "utf8mb4_general_ci\n"
		       "ünï`cöde|text|YES|NULL|||utf8mb4_general_ci\n"
		       "order|varchar(10)|YES|NULL|||utf8mb4_general_ci\n");
	mig_assert_query(st->db, sql_tables,
			 "table|\n"
			 "we`ird 'tab' ü|tab'le \\ \"x\"\nnext line ✓\n");
	assert_indexes(st, "we`ird 'tab' ü",
		       "ix `odd` name|1|1|with`tick|NULL|A|BTREE\n"
		       "ix `odd` name|1|2|order|NULL|A|BTREE\n"
		       "order|0|1|order|NULL|A|BTREE\n"
		       "PRIMARY|0|1|select|NULL|A|BTREE\n");
	mig_assert_query(st->db, sql_checks, "we`ird 'tab' ü|ck 'quoted'|`order` <> ''\n");
	assert_fks(st, "table|table_ibfk_1|key|we`ird 'tab' ü|select|RESTRICT|RESTRICT\n");
	mig_assert_query(
	    st->db, "SELECT `select`, `ünï``cöde`, `order`, `with``tick` FROM `we``ird 'tab' ü`",
	    "1|it's\n\\ \"quoted\" ✓|NULL|a'b\\c\n"
	    "2||x|a'b\\c\n");
}

/* ---- data and raw SQL ---- */

static void test_mysql_render_data(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_table:\n"
		"    name: log\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true}\n"
		"      msg: text\n"
		"      n: numeric(6,2)\n"
		"      ok: boolean\n"
		"- bulk_insert:\n"
		"    table: log\n"
		"    rows:\n"
		"      - {msg: first, n: 1.5, ok: true}\n"
		"      - {msg: \"12\", n: -2, ok: false}\n"
		"      - {msg: null, n: null, ok: null}\n"
		"- sql: \"UPDATE log SET n = n * 2 WHERE id = 1;  \\n\"\n"
		"- sql: {postgresql: \"SELECT 1\", "
		"mysql: \"INSERT INTO log (msg) VALUES ('mysql')\"}\n"
		"- sql: \" ;\"\n",
		"CREATE TABLE `log` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `msg` TEXT NULL,\n"
		"  `n` NUMERIC(6, 2) NULL,\n"
		"  `ok` BOOL NULL,\n"
		"  PRIMARY KEY (`id`)\n"
		")",
		"INSERT INTO `log` (`msg`, `n`, `ok`) VALUES ('first', 1.5, TRUE), ('12', -2, "
		"FALSE), (NULL, NULL, NULL)",
		"UPDATE log SET n = n * 2 WHERE id = 1",
		"INSERT INTO log (msg) VALUES ('mysql')");
	mig_assert_query(st->db, "SELECT id, msg, n, ok FROM log ORDER BY id",
			 "1|first|3.00|1\n"
			 "2|12|-2.00|0\n"
			 "3|NULL|NULL|NULL\n"
			 "4|mysql|NULL|NULL\n");

	/* large inserts go in statements of 1000 rows */
	struct mig_op op;
	struct mig_oplist ops;
	struct mig_strlist got = MIG_STRLIST_INIT;
	const char *cols[1] = { "msg" };
	struct mig_value *rows[2500];
	struct mig_value values[2500];
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_BULK_INSERT;
	op.table = "log";
	op.columns.v = cols;
	op.columns.n = 1;
	for (size_t i = 0; i < 2500; i++) {
		values[i].kind = MIG_VALUE_NUMBER;
		values[i].text = "7";
		rows[i] = &values[i];
	}
	op.rows.v = rows;
	op.rows.n = 2500;
	mig_oplist_init(&ops);
	mig_oplist_push(&ops, &op);
	mig_assert_ok(mig_render_op(st->impl, st->schema, false, &ops.ops.v[0], &got));
	assert_int_equal(got.n, 3);
	for (size_t i = 0; i < got.n; i++) {
		mig_assert_ok(mig_db_exec(st->db, got.v[i]));
	}
	mig_assert_query(st->db, "SELECT COUNT(*) FROM log WHERE msg = '7'", "2500\n");
	mig_strlist_release(&got);
	mig_oplist_release(&ops);
}

/* ---- what MySQL cannot do ---- */

static void test_mysql_render_errors(void **state)
{
	struct myn_state *st = *state;
	run_ops(st,
		"- create_enum: {name: mood, values: [happy, sad]}\n"
		"- create_table:\n"
		"    name: users\n"
		"    columns:\n"
		"      id: {type: integer, primary_key: true}\n"
		"      email: {type: varchar(255), nullable: false}\n"
		"      feeling: mood\n",
		"CREATE TABLE `users` (\n"
		"  `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
		"  `email` VARCHAR(255) NOT NULL,\n"
		"  `feeling` ENUM('happy', 'sad') NULL,\n"
		"  PRIMARY KEY (`id`)\n"
		")");
	/* indexes MySQL and MariaDB cannot make */
	render_fails(st,
		     "- create_index: {table: users, name: ix_live, columns: [email], "
		     "where: \"id > 0\"}\n",
		     "rev.yaml:1:3: create_index: index 'ix_live' has a where clause: mysql has no "
		     "partial indexes");
	render_fails(st,
		     "- create_index: {table: users, name: ix_lower, expressions: "
		     "[\"lower(email)\"]}\n",
		     "rev.yaml:1:3: create_index: index 'ix_lower' is on the expression "
		     "'lower(email)', which mariadb cannot index: index a generated column "
		     "instead");
	render_fails(st,
		     "- create_table:\n"
		     "    name: t\n"
		     "    columns: {a: text}\n"
		     "    indexes: [{name: ix_t, columns: [a], using: gin}]\n",
		     "rev.yaml:1:3: create_table: index 'ix_t' uses 'gin', which mysql does not "
		     "have (it has btree, hash, fulltext and spatial)");
	/* constraints that cannot wait */
	render_fails(st,
		     "- create_foreign_key: {table: users, name: fk_self, columns: [id], "
		     "references: {table: users, columns: [id]}, deferrable: true}\n",
		     "rev.yaml:1:3: create_foreign_key: foreign key 'fk_self' is deferrable: mysql "
		     "checks foreign keys at once and has no deferrable constraints");
	render_fails(st,
		     "- create_unique_constraint: {table: users, name: uq_email, columns: [email], "
		     "deferrable: true}\n",
		     "rev.yaml:1:3: create_unique_constraint: unique constraint 'uq_email' is "
		     "deferrable: mysql checks constraints at once and has no deferrable ones");
	/* types MySQL does not have, or not without a size */
	render_fails(st, "- add_column: {table: users, column: {name: v, type: varchar}}\n",
		     "rev.yaml:1:3: add_column: column 'users.v': mysql needs a length for "
		     "varchar: write varchar(n), or text");
	render_fails(st, "- add_column: {table: users, column: {name: i, type: interval}}\n",
		     "rev.yaml:1:3: add_column: column 'users.i': mysql has no interval type "
		     "(store a number of seconds, or give a mysql type as written)");
	render_fails(st, "- add_column: {table: users, column: {name: n, type: numeric}}\n",
		     "rev.yaml:1:3: add_column: column 'users.n': mysql needs a precision for "
		     "numeric (without one it is DECIMAL(10,0), which drops fractions): write "
		     "numeric(p,s)");
	render_fails(st,
		     "- create_table:\n"
		     "    name: t\n"
		     "    columns:\n"
		     "      id: {type: integer, primary_key: true, identity: {increment: 2}}\n",
		     "rev.yaml:1:3: create_table: column 't.id': mysql has no per-column increment "
		     "(identity increment 2)");
	/* MODIFY restates the whole column: what neither the op nor a schema
	 * gives is an error, not a default or comment dropped without a word */
	render_fails_no_schema(st,
			       "- alter_column: {table: users, column: email, nullable: true}\n",
			       "rev.yaml:1:3: alter_column: mysql restates the whole column "
			       "'users.email' (MODIFY COLUMN): give existing_type, "
			       "existing_default, existing_comment (there is no schema to read "
			       "them from)");
	render_fails_no_schema(st,
			       "- alter_column: {table: users, column: id, type: bigint, "
			       "existing_nullable: false, existing_default: null, "
			       "existing_comment: null}\n",
			       "rev.yaml:1:3: alter_column: mysql restates the whole column "
			       "'users.id' (MODIFY COLUMN): give existing_autoincrement (there is "
			       "no schema to read them from)");
	render_fails(st, "- alter_column: {table: users, column: nope, comment: x}\n",
		     "rev.yaml:1:3: alter_column: mysql restates the whole column 'users.nope' "
		     "(MODIFY COLUMN): give existing_type, existing_nullable, existing_default "
		     "(the schema has no column 'users.nope')");
	render_fails(st, "- alter_column: {table: gone, column: c, nullable: false}\n",
		     "rev.yaml:1:3: alter_column: mysql restates the whole column 'gone.c' (MODIFY "
		     "COLUMN): give existing_type, existing_default, existing_comment (the schema "
		     "has no table 'gone')");
	/* what only the schema can tell */
	render_fails_no_schema(st,
			       "- drop_constraint: {table: users, type: unique, "
			       "columns: [email]}\n",
			       "rev.yaml:1:3: drop_constraint: mysql drops a unique constraint by "
			       "its name, and neither the op nor the schema gives it: give 'name'");
	render_fails_no_schema(st, "- add_enum_value: {name: mood, value: meh}\n",
			       "rev.yaml:1:3: add_enum_value: mysql writes the enum 'mood' inline "
			       "in its columns and needs the schema to find them");
	render_fails(st, "- add_enum_value: {name: mood, value: sad}\n",
		     "rev.yaml:1:3: add_enum_value: enum 'mood' has the value 'sad' already");
	render_fails(st, "- add_enum_value: {name: mood, value: meh, after: angry}\n",
		     "rev.yaml:1:3: add_enum_value: enum 'mood' has no value 'angry'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mysql_render_every_type, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_create_table, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_tables_and_columns, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_alter_column, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_alter_column_existing_keys,
						setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_constraints, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_column_checks, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_enums, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_enums_reflected, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_nasty_names, setup_db,
						teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_data, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_mysql_render_errors, setup_db, teardown_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
