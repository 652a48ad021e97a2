/* MySQL/MariaDB reflection against a real server ($MIGRATE_TEST_MYSQL_URL):
 * each test creates its own database, loads DDL, reflects it and asserts the
 * exact schema, objects and warnings; the shared real-world schemas make a
 * round trip through the model writer and loader; the query count does not
 * grow with the number of tables. */
#include "helpers.h"
#include "schema-dump.h"

#include "dialects/mysql.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

/* One throwaway database per test. */
struct myr_state {
	char *name;
	struct mig_db *db;
};

static const char *server_url(void)
{
	const char *url = getenv("MIGRATE_TEST_MYSQL_URL");
	if (!url || !*url) {
		print_error("MIGRATE_TEST_MYSQL_URL is not set: run the tests with scripts/test\n");
		fail();
	}
	return url;
}

/* The test server's URL with another database (NULL: the URL's own). */
static struct mig_url *url_for(const char *name)
{
	struct mig_url *url;
	mig_assert_ok(mig_url_parse(&url, server_url()));
	if (name) {
		free(url->database);
		url->database = xstrdup(name);
	}
	return url;
}

static struct mig_db *connect_to(const char *name)
{
	struct mig_url *url = url_for(name);
	struct mig_db *db;
	mig_assert_ok(mig_db_open_url(&db, url));
	mig_url_free(url);
	return db;
}

static void admin_exec(const char *sql)
{
	struct mig_db *admin = connect_to(NULL);
	mig_assert_ok(mig_db_exec(admin, sql));
	mig_db_close(admin);
}

/* A new database with the server's usual character set, whatever the
 * server's default. */
static char *create_db(void)
{
	static unsigned seq;
	char *name = xasprintf("migrate_test_myr_%ld_%ld_%u", (long)getpid(), (long)time(NULL),
			       seq++);
	char *sql = xasprintf("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE "
			      "utf8mb4_general_ci",
			      name);
	admin_exec(sql);
	free(sql);
	return name;
}

static void drop_db(const char *name)
{
	char *sql = xasprintf("DROP DATABASE IF EXISTS `%s`", name);
	admin_exec(sql);
	free(sql);
}

static int setup_db(void **state)
{
	struct myr_state *st = xcalloc(1, sizeof(*st));
	st->name = create_db();
	st->db = connect_to(st->name);
	*state = st;
	return 0;
}

static int teardown_db(void **state)
{
	struct myr_state *st = *state;
	mig_db_close(st->db);
	drop_db(st->name);
	free(st->name);
	free(st);
	return 0;
}

/* Run each statement of a NULL-terminated list (the connection takes one
 * statement at a time). */
static void exec_all(struct mig_db *db, const char *const *stmts)
{
	for (size_t i = 0; stmts[i]; i++) {
		mig_assert_ok(mig_db_exec(db, stmts[i]));
	}
}

/* Reflect, asserting that it took exactly MY_REFLECT_QUERIES statements. */
static struct mig_schema *reflect(struct mig_db *db, const struct mig_reflect_opts *opts)
{
	struct mig_schema *s = NULL;
	unsigned long before = db->query_count;
	mig_assert_ok(mig_db_reflect(db, opts, &s));
	assert_int_equal(db->query_count - before, MY_REFLECT_QUERIES);
	return s;
}

static char *dump(const struct mig_schema *s)
{
	struct mig_str out = MIG_STR_INIT;
	dump_schema(&out, s, false);
	return mig_str_detach(&out);
}

static void assert_text(const char *want, const char *got)
{
	if (strcmp(want, got) != 0) {
		/* print_error() truncates long texts */
		fprintf(stderr, "--- expected:\n%s--- actual:\n%s---\n", want, got);
		fail();
	}
}

/* Write s as model YAML, load what was written and write again: the two
 * texts are the same, and so are the two schemas (less the objects and
 * warnings, which model files do not carry). */
static void assert_round_trip(const struct mig_schema *s, const char *path)
{
	struct mig_str first = MIG_STR_INIT, second = MIG_STR_INIT;
	mig_model_write(&first, s);
	struct mig_schema *back = NULL;
	if (mig_model_load_string(path, first.buf, &back) < 0) {
		fprintf(stderr, "%s does not load:\n%s\n--- written:\n%s\n", path,
			mig_error_last(), first.buf);
		fail();
	}
	mig_model_write(&second, back);
	assert_text(first.buf, second.buf);

	struct mig_schema *bare = mig_schema_copy(s);
	mig_vec_free(&bare->objects);
	mig_strlist_release(&bare->warnings);
	char *a = dump(bare), *b = dump(back);
	assert_text(a, b);
	free(a);
	free(b);
	mig_schema_free(bare);
	mig_schema_free(back);
	mig_str_release(&first);
	mig_str_release(&second);
}

/* ---- every kind of thing the model holds, and what it does not ---- */

/* Every type, default and constraint MySQL and MariaDB have that the model
 * holds, and the objects and details it does not (they are warned about). */
static const char *const features_sql[] = {
	"CREATE TABLE tmp_scratch (id INT NOT NULL PRIMARY KEY)",
	"CREATE TABLE parent (a INT NOT NULL, b INT NOT NULL, name VARCHAR(20),\n"
	"  PRIMARY KEY (a, b)) COMMENT 'the parent'",
	"CREATE TABLE kinds (\n"
	"  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
	"  i INT, bi BIGINT(20) UNSIGNED ZEROFILL, si SMALLINT DEFAULT -3, ti TINYINT,\n"
	"  mi MEDIUMINT, b BIGINT, bo BOOLEAN DEFAULT TRUE, bf TINYINT(1) NOT NULL DEFAULT 0,\n"
	"  v VARCHAR(255) NOT NULL DEFAULT 'it''s \"q\" \\\\ x', c CHAR(36), t TEXT,\n"
	"  mt MEDIUMTEXT, lt LONGTEXT,\n"
	"  dt DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, dt3 DATETIME(3),\n"
	"  ts TIMESTAMP NULL DEFAULT NULL,\n"
	"  ts6 TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),\n"
	"  d DATE DEFAULT '2020-01-01', tm TIME, tm2 TIME(2), y YEAR,\n"
	"  n DECIMAL(10,2) DEFAULT 0.00, n0 DECIMAL, nu DECIMAL(5,2) UNSIGNED,\n"
	"  dbl DOUBLE, fl FLOAT, fl2 FLOAT(10,3), du DOUBLE UNSIGNED,\n"
	"  bl BLOB, mb MEDIUMBLOB, bin BINARY(16), vb VARBINARY(100), j JSON, u UUID,\n"
	"  e ENUM('a','b''c','d,e') NOT NULL DEFAULT 'a', st SET('x','y') DEFAULT 'x,y',\n"
	"  bt BIT(1) DEFAULT b'1', nul VARCHAR(5) DEFAULT NULL, emp VARCHAR(5) DEFAULT '',\n"
	"  nstr VARCHAR(5) DEFAULT 'NULL', ex INT DEFAULT (1 + 2), fn CHAR(36) DEFAULT uuid(),\n"
	"  gen INT AS (i * 2) VIRTUAL, gs VARCHAR(10) AS (upper(v)) STORED,\n"
	"  col VARCHAR(10) COLLATE utf8mb4_bin COMMENT 'binary collated',\n"
	"  n3 NVARCHAR(3), hid INT INVISIBLE,\n"
	"  CONSTRAINT chk_i CHECK (i > 0), CHECK (si < 100),\n"
	"  UNIQUE KEY uq_v (v), UNIQUE (c), UNIQUE KEY uq_pair (i, si),\n"
	"  KEY ix_prefix (t(10), i), UNIQUE KEY uq_prefix (vb(8)), KEY ix_desc (i DESC, si),\n"
	"  FULLTEXT KEY ft (t, mt)\n"
	") COMMENT='all the kinds'",
	"CREATE TABLE child (\n"
	"  id INT NOT NULL PRIMARY KEY, pa INT, pb INT, x INT CHECK (x <> 0),\n"
	"  kind_id INT UNSIGNED, other INT, seq INT NOT NULL AUTO_INCREMENT,\n"
	"  g GEOMETRY NOT NULL,\n"
	"  KEY (seq), SPATIAL KEY sp (g),\n"
	"  CONSTRAINT fk_child_parent FOREIGN KEY (pa, pb) REFERENCES parent (a, b)\n"
	"    ON DELETE CASCADE ON UPDATE SET NULL,\n"
	"  FOREIGN KEY (kind_id) REFERENCES kinds (id) ON DELETE NO ACTION ON UPDATE RESTRICT,\n"
	"  KEY ix_child_other (other),\n"
	"  CONSTRAINT fk_child_other FOREIGN KEY (other) REFERENCES parent (a),\n"
	"  CONSTRAINT fk_child_scratch FOREIGN KEY (x) REFERENCES tmp_scratch (id))",
	"CREATE TABLE odd (ip INET6)",
	"CREATE TABLE plain_pk (id BIGINT NOT NULL PRIMARY KEY, label TEXT)",
	"CREATE TABLE tiny_pk (id TINYINT UNSIGNED NOT NULL PRIMARY KEY)",
	"CREATE TABLE events (id INT NOT NULL, at DATE NOT NULL, PRIMARY KEY (id, at))\n"
	"  PARTITION BY RANGE (year(at)) (PARTITION p2024 VALUES LESS THAN (2025),\n"
	"  PARTITION pmax VALUES LESS THAN MAXVALUE)",
	"CREATE TABLE `Mixed Case` (`Id` INT NOT NULL PRIMARY KEY)",
	"CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL,\n"
	"  PRIMARY KEY (version_num))",
	"CREATE VIEW v_child AS SELECT id, pa FROM child",
	"CREATE SEQUENCE seq_numbers",
	"CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW SET NEW.x = 1",
	"CREATE TRIGGER scratch_t AFTER INSERT ON tmp_scratch FOR EACH ROW SET @n = 1",
	"CREATE FUNCTION twice(v INT) RETURNS INT DETERMINISTIC RETURN v * 2",
	"CREATE PROCEDURE noop() BEGIN SELECT 1; END",
	"CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1",
	NULL,
};

/* Of note: child's indexes. The server made one for fk_child_parent and one
 * (named kind_id) for the unnamed key on kind_id: they are the keys' own and
 * left out. ix_child_other was declared and serves fk_child_other, so it
 * stays. fk_child_scratch references an excluded table: the key is left out
 * (with a warning), the index the server made for it stays. */
static const char features_tables[] =
	"enum kinds_e (a, b'c, d,e)\n"
	"table Mixed Case\n"
	"  column Id: INTEGER not-null pk autoincrement=false\n"
	"  primary key - (Id)\n"
	"table child\n"
	"  column id: INTEGER not-null pk autoincrement=false\n"
	"  column pa: INTEGER null\n"
	"  column pb: INTEGER null\n"
	"  column x: INTEGER null\n"
	"  column kind_id: OTHER raw=\"int unsigned\" null\n"
	"  column other: INTEGER null\n"
	"  column seq: INTEGER not-null autoincrement=true\n"
	"  column g: OTHER raw=\"geometry\" not-null\n"
	"  primary key - (id)\n"
	"  index fk_child_scratch (x)\n"
	"  index ix_child_other (other)\n"
	"  index seq (seq)\n"
	"  index sp (g) using spatial\n"
	"  foreign key child_ibfk_1 (kind_id) -> kinds (id) on delete no action\n"
	"  foreign key fk_child_other (other) -> parent (a)\n"
	"  foreign key fk_child_parent (pa, pb) -> parent (a, b) on delete cascade on update set"
	" null\n"
	"  check x [`x` <> 0]\n"
	"table events\n"
	"  column id: INTEGER not-null pk\n"
	"  column at: DATE not-null pk\n"
	"  primary key - (id, at)\n"
	"table kinds comment=[all the kinds]\n"
	"  column id: OTHER raw=\"int unsigned\" not-null pk autoincrement=true\n"
	"  column i: INTEGER null\n"
	"  column bi: OTHER raw=\"bigint unsigned zerofill\" null\n"
	"  column si: SMALLINT null default=[-3]\n"
	"  column ti: OTHER raw=\"tinyint\" null\n"
	"  column mi: OTHER raw=\"mediumint\" null\n"
	"  column b: BIGINT null\n"
	"  column bo: BOOLEAN null default=[true]\n"
	"  column bf: BOOLEAN not-null default=[false]\n"
	"  column v: VARCHAR len=255 not-null default=['it''s \"q\" \\\\ x']\n"
	"  column c: CHAR len=36 null\n"
	"  column t: TEXT null\n"
	"  column mt: OTHER raw=\"mediumtext\" null\n"
	"  column lt: OTHER raw=\"longtext\" null\n"
	"  column dt: TIMESTAMP null default=[CURRENT_TIMESTAMP] on-update=[CURRENT_TIMESTAMP]\n"
	"  column dt3: TIMESTAMP prec=3 null\n"
	"  column ts: TIMESTAMPTZ null\n"
	"  column ts6: TIMESTAMPTZ prec=6 not-null default=[CURRENT_TIMESTAMP(6)]"
	" on-update=[CURRENT_TIMESTAMP(6)]\n"
	"  column d: DATE null default=['2020-01-01']\n"
	"  column tm: TIME null\n"
	"  column tm2: TIME prec=2 null\n"
	"  column y: OTHER raw=\"year\" null\n"
	"  column n: NUMERIC prec=10 scale=2 null default=[0.00]\n"
	"  column n0: NUMERIC prec=10 scale=0 null\n"
	"  column nu: OTHER raw=\"decimal(5,2) unsigned\" null\n"
	"  column dbl: FLOAT null\n"
	"  column fl: REAL null\n"
	"  column fl2: REAL null\n"
	"  column du: OTHER raw=\"double unsigned\" null\n"
	"  column bl: BINARY null\n"
	"  column mb: OTHER raw=\"mediumblob\" null\n"
	"  column bin: BINARY len=16 null\n"
	"  column vb: OTHER raw=\"varbinary(100)\" null\n"
	"  column j: JSON null\n"
	"  column u: UUID null\n"
	"  column e: ENUM raw=\"kinds_e\" enum=kinds_e not-null default=['a']\n"
	"  column st: OTHER raw=\"set('x','y')\" null default=['x,y']\n"
	"  column bt: OTHER raw=\"bit(1)\" null default=[b'1']\n"
	"  column nul: VARCHAR len=5 null\n"
	"  column emp: VARCHAR len=5 null default=['']\n"
	"  column nstr: VARCHAR len=5 null default=['NULL']\n"
	"  column ex: INTEGER null default=[(1 + 2)]\n"
	"  column fn: CHAR len=36 null default=[uuid()]\n"
	"  column gen: INTEGER null computed=[`i` * 2] virtual\n"
	"  column gs: VARCHAR len=10 null computed=[ucase(`v`)] stored\n"
	"  column col: VARCHAR len=10 null collate=utf8mb4_bin comment=[binary collated]\n"
	"  column n3: VARCHAR len=3 null collate=utf8mb3_general_ci\n"
	"  column hid: INTEGER null\n"
	"  primary key - (id)\n"
	"  index ft (t, mt) using fulltext\n"
	"  index ix_desc (i desc, si)\n"
	"  index ix_prefix ([`t`(10)], i)\n"
	"  unique index uq_prefix ([`vb`(8)])\n"
	"  unique c (c)\n"
	"  unique uq_pair (i, si)\n"
	"  unique uq_v (v)\n"
	"  check CONSTRAINT_1 [`si` < 100]\n"
	"  check chk_i [`i` > 0]\n"
	"table odd\n"
	"  column ip: OTHER raw=\"inet6\" null\n"
	"table parent comment=[the parent]\n"
	"  column a: INTEGER not-null pk\n"
	"  column b: INTEGER not-null pk\n"
	"  column name: VARCHAR len=20 null\n"
	"  primary key - (a, b)\n"
	"table plain_pk\n"
	"  column id: BIGINT not-null pk autoincrement=false\n"
	"  column label: TEXT null\n"
	"  primary key - (id)\n"
	"table tiny_pk\n"
	"  column id: OTHER raw=\"tinyint unsigned\" not-null pk autoincrement=false\n"
	"  primary key - (id)\n";

static const char features_objects[] =
	"object view v_child\n"
	"object sequence seq_numbers\n"
	"object trigger child_touch (child)\n"
	"object function twice\n"
	"object procedure noop\n"
	"object partition p2024 (events)\n"
	"object partition pmax (events)\n"
	"object object nightly (event)\n"
	"warning: foreign key 'fk_child_scratch' of table 'child' references table 'tmp_scratch',"
	" which is not reflected (left out)\n"
	"warning: table 'events' is partitioned (PARTITION BY RANGE (year(`at`))); the"
	" partitioning is not represented in the model\n"
	"warning: column 'fl2' of table 'kinds' has the type 'float(10,3)': reflected as real"
	" (the model has no precision and scale for it)\n"
	"warning: column 'hid' of table 'kinds' is invisible; reflected as a visible column (the"
	" model has no invisible columns)\n"
	"warning: column 'ip' of table 'odd' has the type 'inet6' that model files do not accept"
	" yet\n"
	"warning: view 'v_child' is not represented in the model (ignored by migrate)\n"
	"warning: sequence 'seq_numbers' is not represented in the model (ignored by migrate)\n"
	"warning: trigger 'child_touch' on table 'child' is not represented in the model (ignored"
	" by migrate)\n"
	"warning: function 'twice' is not represented in the model (ignored by migrate)\n"
	"warning: procedure 'noop' is not represented in the model (ignored by migrate)\n"
	"warning: partition 'p2024' of table 'events' is not represented in the model (ignored by"
	" migrate)\n"
	"warning: partition 'pmax' of table 'events' is not represented in the model (ignored by"
	" migrate)\n"
	"warning: event 'nightly' is not represented in the model (ignored by migrate)\n";

static const char kinds_yaml[] =
	"tables:\n"
	"  kinds:\n"
	"    comment: all the kinds\n"
	"    columns:\n"
	"      id: {type: int unsigned, primary_key: true, autoincrement: true}\n"
	"      i: integer\n"
	"      bi: bigint unsigned zerofill\n"
	"      si: {type: smallint, default: \"-3\"}\n"
	"      ti: tinyint\n"
	"      mi: mediumint\n"
	"      b: bigint\n"
	"      bo: {type: boolean, default: \"true\"}\n"
	"      bf: {type: boolean, nullable: false, default: \"false\"}\n"
	"      v: {type: varchar(255), nullable: false, default: \"'it''s \\\"q\\\" \\\\\\\\"
	" x'\"}\n"
	"      c: char(36)\n"
	"      t: text\n"
	"      mt: mediumtext\n"
	"      lt: longtext\n"
	"      dt: {type: timestamp, default: CURRENT_TIMESTAMP, server_onupdate:"
	" CURRENT_TIMESTAMP}\n"
	"      dt3: timestamp(3)\n"
	"      ts: timestamptz\n"
	"      ts6: {type: timestamptz(6), nullable: false, default: CURRENT_TIMESTAMP(6),"
	" server_onupdate: CURRENT_TIMESTAMP(6)}\n"
	"      d: {type: date, default: \"'2020-01-01'\"}\n"
	"      tm: time\n"
	"      tm2: time(2)\n"
	"      \"y\": year\n"
	"      \"n\": {type: \"numeric(10,2)\", default: 0.00}\n"
	"      n0: \"numeric(10,0)\"\n"
	"      nu: \"decimal(5,2) unsigned\"\n"
	"      dbl: float\n"
	"      fl: real\n"
	"      fl2: real\n"
	"      du: double unsigned\n"
	"      bl: binary\n"
	"      mb: mediumblob\n"
	"      bin: binary(16)\n"
	"      vb: varbinary(100)\n"
	"      j: json\n"
	"      u: uuid\n"
	"      e: {type: kinds_e, nullable: false, default: \"'a'\"}\n"
	"      st: {type: \"set('x','y')\", default: \"'x,y'\"}\n"
	"      bt: {type: bit(1), default: \"b'1'\"}\n"
	"      nul: varchar(5)\n"
	"      emp: {type: varchar(5), default: \"''\"}\n"
	"      nstr: {type: varchar(5), default: \"'NULL'\"}\n"
	"      ex: {type: integer, default: (1 + 2)}\n"
	"      fn: {type: char(36), default: uuid()}\n"
	"      gen: {type: integer, computed: {sql: \"`i` * 2\", stored: false}}\n"
	"      gs: {type: varchar(10), computed: {sql: \"ucase(`v`)\", stored: true}}\n"
	"      col: {type: varchar(10), collation: utf8mb4_bin, comment: binary collated}\n"
	"      n3: {type: varchar(3), collation: utf8mb3_general_ci}\n"
	"      hid: integer\n"
	"    indexes:\n"
	"      - {name: ft, columns: [t, mt], using: fulltext}\n"
	"      - {name: ix_desc, columns: [i DESC, si]}\n"
	"      - {name: ix_prefix, expressions: [\"`t`(10)\", i]}\n"
	"      - {name: uq_prefix, expressions: [\"`vb`(8)\"], unique: true}\n"
	"    unique:\n"
	"      - {name: c, columns: [c]}\n"
	"      - {name: uq_pair, columns: [i, si]}\n"
	"      - {name: uq_v, columns: [v]}\n"
	"    checks:\n"
	"      - {name: CONSTRAINT_1, sql: \"`si` < 100\"}\n"
	"      - {name: chk_i, sql: \"`i` > 0\"}\n";

static void test_my_reflect_features(void **state)
{
	struct myr_state *st = *state;
	exec_all(st->db, features_sql);
	struct mig_strlist exclude = MIG_STRLIST_INIT;
	mig_strlist_push(&exclude, "tmp_*");
	struct mig_reflect_opts opts = { .exclude_tables = &exclude };
	struct mig_schema *s = reflect(st->db, &opts);
	char *want = xasprintf("%s%s", features_tables, features_objects);
	char *got = dump(s);
	assert_text(want, got);
	free(got);
	free(want);

	/* the model YAML of the table with every type and default */
	struct mig_str yaml = MIG_STR_INIT;
	mig_model_write_table(&yaml, s, mig_schema_find_table(s, NULL, "kinds"));
	assert_text(kinds_yaml, yaml.buf);
	mig_str_release(&yaml);

	/* the object kinds and details, not only their names */
	const struct mig_object *o = &s->objects.v[s->objects.n - 1];
	assert_int_equal(o->kind, MIG_OBJ_OTHER);
	assert_string_equal(o->name, "nightly");
	assert_string_equal(o->detail, "event");
	o = &s->objects.v[2];
	assert_int_equal(o->kind, MIG_OBJ_TRIGGER);
	assert_null(o->schema);
	assert_string_equal(o->detail, "child");

	/* what model files cannot declare (inet6) aside, the YAML loads back */
	for (size_t i = 0; i < s->tables.n; i++) {
		if (strcmp(s->tables.v[i].name, "odd") == 0) {
			mig_schema_remove_table(s, i);
		}
	}
	assert_round_trip(s, "features.yaml");
	mig_schema_free(s);
	mig_strlist_release(&exclude);
}

/* The version table and the history table are never reflected; a configured
 * version table replaces the default one. */
static void test_my_reflect_version_table(void **state)
{
	struct myr_state *st = *state;
	static const char *const sql[] = {
		"CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
		"CREATE TABLE migrate_history (revision VARCHAR(32))",
		"CREATE TABLE my_versions (v VARCHAR(32))",
		"CREATE TABLE t (id INT PRIMARY KEY)",
		"CREATE TRIGGER my_versions_t BEFORE INSERT ON my_versions FOR EACH ROW SET @x = 1",
		NULL,
	};
	exec_all(st->db, sql);
	struct mig_schema *s = reflect(st->db, NULL);
	char *got = dump(s);
	assert_text("table my_versions\n"
		    "  column v: VARCHAR len=32 null\n"
		    "table t\n"
		    "  column id: INTEGER not-null pk autoincrement=false\n"
		    "  primary key - (id)\n"
		    "object trigger my_versions_t (my_versions)\n"
		    "warning: trigger 'my_versions_t' on table 'my_versions' is not represented in "
		    "the model (ignored by migrate)\n",
		    got);
	free(got);
	mig_schema_free(s);

	struct mig_reflect_opts opts = { .version_table = "my_versions" };
	s = reflect(st->db, &opts);
	got = dump(s);
	assert_text("table migrate_version\n"
		    "  column version_num: VARCHAR len=32 not-null pk\n"
		    "  primary key - (version_num)\n"
		    "table t\n"
		    "  column id: INTEGER not-null pk autoincrement=false\n"
		    "  primary key - (id)\n",
		    got);
	free(got);
	mig_schema_free(s);
}

/* No database in the URL: nothing to reflect, said so. */
static void test_my_reflect_no_database(void **state)
{
	(void)state;
	struct mig_url *url = url_for(NULL);
	free(url->database);
	url->database = NULL;
	struct mig_db *db;
	mig_assert_ok(mig_db_open_url(&db, url));
	mig_url_free(url);
	struct mig_schema *s = NULL;
	mig_assert_fails_with(mig_db_reflect(db, NULL, &s),
			      "cannot reflect the database: no database selected: name the "
			      "database to reflect in the URL");
	assert_null(s);
	mig_db_close(db);
}

/* ---- query count: the same for 1,000 and 5,000 tables ---- */

/* Creating a table mostly waits for the server's disk syncs (its DDL log,
 * the .frm file, InnoDB's redo log), which overlap when several connections
 * do it at once: QC_CONNECTIONS connections create the tables several times
 * faster than one. */
#define QC_CONNECTIONS 8
/* Every QC_FK_EVERY-th generated table is an InnoDB table with a foreign key
 * to the InnoDB table before it; the others are MEMORY tables, which take a
 * fraction of the time to create and drop and which information_schema
 * describes like any other (columns, defaults, indexes, unique keys,
 * checks): 5,000 InnoDB tables take minutes here. */
#define QC_FK_EVERY 20

static bool qc_innodb(int i)
{
	return i % QC_FK_EVERY == 0;
}

/* Run stmts[from, to) on a new connection with foreign key checks off (a
 * table may come before the one its key references). Runs in a child
 * process, so it reports a failure on stderr and by its result (1) rather
 * than by an assertion. */
static int run_share(const struct mig_url *url, const struct mig_strlist *stmts, size_t from,
		     size_t to)
{
	struct mig_db *db;
	if (mig_db_open_url(&db, url) < 0) {
		fprintf(stderr, "%s\n", mig_error_last());
		return 1;
	}
	int rc = mig_db_exec(db, "SET SESSION foreign_key_checks = 0");
	for (size_t i = from; rc == 0 && i < to; i++) {
		rc = mig_db_exec(db, stmts->v[i]);
	}
	if (rc < 0) {
		fprintf(stderr, "%s\n", mig_error_last());
	}
	mig_db_close(db);
	return rc < 0;
}

/* Run stmts in database name over QC_CONNECTIONS connections at once, each
 * connection a run of them in order, each in a child process (the error
 * state is per process). Returns the number of connections that failed. */
static int exec_parallel(const char *name, const struct mig_strlist *stmts)
{
	struct mig_url *url = url_for(name);
	size_t share = (stmts->n + QC_CONNECTIONS - 1) / QC_CONNECTIONS;
	pid_t pids[QC_CONNECTIONS];
	int started = 0, failed = 0;
	fflush(NULL);
	for (size_t from = 0; from < stmts->n && started < QC_CONNECTIONS; from += share) {
		size_t to = from + share < stmts->n ? from + share : stmts->n;
		pid_t pid = fork();
		if (pid == 0) {
			_exit(run_share(url, stmts, from, to));
		}
		if (pid < 0) {
			fprintf(stderr, "fork: %s\n", strerror(errno));
			failed++;
			break;
		}
		pids[started++] = pid;
	}
	for (int k = 0; k < started; k++) {
		int status;
		while (waitpid(pids[k], &status, 0) < 0) {
			if (errno != EINTR) {
				status = -1;
				break;
			}
		}
		if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			failed++;
		}
	}
	mig_url_free(url);
	return failed;
}

/* Tables t<first>…t<first+count-1> in database name, each with an index, a
 * unique key and a check (see QC_FK_EVERY for the foreign keys). */
static void create_tables(const char *name, int first, int count)
{
	struct mig_strlist stmts = MIG_STRLIST_INIT;
	struct mig_str sql = MIG_STR_INIT;
	for (int i = first; i < first + count; i++) {
		mig_str_reset(&sql);
		mig_str_addf(&sql,
			     "CREATE TABLE t%05d (id INT PRIMARY KEY AUTO_INCREMENT, prev_id INT,"
			     " name VARCHAR(50) NOT NULL, code CHAR(8),"
			     " amount DECIMAL(10,2) DEFAULT 0,"
			     " created_at DATETIME DEFAULT CURRENT_TIMESTAMP, note VARCHAR(200),"
			     " KEY ix_t%05d_name (name) USING BTREE,"
			     " UNIQUE KEY uq_t%05d_code (code) USING BTREE,"
			     " CONSTRAINT ck_t%05d_amount CHECK (amount >= 0)",
			     i, i, i, i);
		if (qc_innodb(i) && i > 0) {
			mig_str_addf(&sql,
				     ", CONSTRAINT fk_t%05d_prev FOREIGN KEY (prev_id)"
				     " REFERENCES t%05d (id)",
				     i, i - QC_FK_EVERY);
		}
		mig_str_addf(&sql, ") ENGINE=%s", qc_innodb(i) ? "InnoDB" : "MEMORY");
		mig_strlist_push(&stmts, sql.buf);
	}
	assert_int_equal(exec_parallel(name, &stmts), 0);
	mig_str_release(&sql);
	mig_strlist_release(&stmts);
}

/* The InnoDB tables, linked by their foreign keys, go in one DROP TABLE on
 * one connection (DROP TABLEs of linked tables on several connections at
 * once can deadlock the server); DROP DATABASE takes the MEMORY tables. */
static int teardown_generated(void **state)
{
	struct myr_state *st = *state;
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = mig_db_query(st->db,
			      "SELECT TABLE_NAME FROM information_schema.TABLES"
			      " WHERE TABLE_SCHEMA = DATABASE() AND ENGINE = 'InnoDB'",
			      &rows);
	if (rc == 0 && rows.nrows > 0) {
		struct mig_str sql = MIG_STR_INIT;
		mig_str_add(&sql, "DROP TABLE ");
		for (size_t i = 0; i < rows.nrows; i++) {
			mig_str_addf(&sql, "%s`%s`", i ? ", " : "", mig_rows_get(&rows, i, 0));
		}
		rc = mig_db_exec(st->db, "SET SESSION foreign_key_checks = 0");
		rc = rc < 0 ? rc : mig_db_exec(st->db, sql.buf);
		mig_str_release(&sql);
	}
	if (rc < 0) {
		fprintf(stderr, "%s\n", mig_error_last());
	}
	mig_rows_release(&rows);
	teardown_db(state);
	return rc < 0 ? -1 : 0;
}

/* The number of statements reflecting the test's database sends. */
static unsigned long reflect_count(struct mig_db *db, struct mig_schema **out)
{
	unsigned long before = db->query_count;
	*out = reflect(db, NULL);
	return db->query_count - before;
}

static void test_my_reflect_query_count(void **state)
{
	struct myr_state *st = *state;
	create_tables(st->name, 0, 1000);
	struct mig_schema *s;
	unsigned long q1000 = reflect_count(st->db, &s);
	assert_int_equal(s->tables.n, 1000);
	mig_schema_free(s);

	create_tables(st->name, 1000, 4000);
	unsigned long q5000 = reflect_count(st->db, &s);
	assert_int_equal(s->tables.n, 5000);
	size_t nfks = 0, nchecks = 0, nuniques = 0, nindexes = 0;
	for (size_t i = 0; i < s->tables.n; i++) {
		nfks += s->tables.v[i].fks.n;
		nchecks += s->tables.v[i].checks.n;
		nuniques += s->tables.v[i].uniques.n;
		nindexes += s->tables.v[i].indexes.n;
	}
	assert_int_equal(nfks, 5000 / QC_FK_EVERY - 1);
	assert_int_equal(nchecks, 5000);
	assert_int_equal(nuniques, 5000);
	assert_int_equal(nindexes, 5000); /* the foreign keys' own indexes left out */
	const struct mig_table *t = mig_schema_find_table(s, NULL, "t04980");
	assert_non_null(t);
	assert_int_equal(t->columns.n, 7);
	assert_int_equal(t->fks.n, 1);
	assert_string_equal(t->fks.v[0].name, "fk_t04980_prev");
	assert_string_equal(t->fks.v[0].ref_table, "t04960");
	assert_string_equal(t->fks.v[0].index, "fk_t04980_prev");
	t = mig_schema_find_table(s, NULL, "t04999");
	assert_non_null(t);
	assert_int_equal(t->columns.n, 7);
	assert_string_equal(t->columns.v[4].default_sql, "0.00");
	assert_string_equal(t->checks.v[0].name, "ck_t04999_amount");
	assert_string_equal(t->uniques.v[0].name, "uq_t04999_code");
	assert_string_equal(t->indexes.v[0].name, "ix_t04999_name");
	mig_schema_free(s);

	assert_int_equal(q1000, q5000);
	assert_int_equal(q5000, MY_REFLECT_QUERIES);
}

/* ---- the shared real-world schemas: round trip and warnings ---- */

static void shell_quote(struct mig_str *out, const char *text)
{
	mig_str_addch(out, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'') {
			mig_str_add(out, "'\\''");
		} else {
			mig_str_addch(out, *p);
		}
	}
	mig_str_addch(out, '\'');
}

/* Load a file into database name with the mariadb client, which follows the
 * DELIMITER blocks of triggers and routines. */
static void load_with_client(const char *name, const char *path)
{
	struct mig_url *url = url_for(name);
	struct mig_str cmd = MIG_STR_INIT;
	mig_str_add(&cmd, "mariadb --protocol=tcp --default-character-set=utf8mb4 -h ");
	shell_quote(&cmd, url->host ? url->host : "127.0.0.1");
	mig_str_addf(&cmd, " -P %d", url->port > 0 ? url->port : 3306);
	if (url->user) {
		mig_str_add(&cmd, " -u ");
		shell_quote(&cmd, url->user);
	}
	if (url->password) {
		setenv("MYSQL_PWD", url->password, 1);
	}
	mig_str_addch(&cmd, ' ');
	shell_quote(&cmd, name);
	mig_str_add(&cmd, " >/dev/null < ");
	shell_quote(&cmd, path);
	int rc = system(cmd.buf);
	if (rc != 0) {
		fprintf(stderr, "loading %s failed (%d): %s\n", path, rc, cmd.buf);
		fail();
	}
	mig_str_release(&cmd);
	mig_url_free(url);
}

/* What the warnings must be: one per view, trigger and routine, as
 * information_schema lists them, in the order reflection records objects
 * (views, triggers, functions, procedures; each by name). */
static void expected_warnings(struct mig_db *db, struct mig_strlist *out)
{
	static const char *const queries[] = {
		"SELECT 'view', TABLE_NAME, NULL FROM information_schema.TABLES"
		" WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'VIEW'"
		" ORDER BY BINARY TABLE_NAME",
		"SELECT 'trigger', TRIGGER_NAME, EVENT_OBJECT_TABLE"
		" FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"
		" ORDER BY BINARY TRIGGER_NAME, BINARY EVENT_OBJECT_TABLE",
		"SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME, NULL FROM information_schema.ROUTINES"
		" WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_TYPE, BINARY ROUTINE_NAME",
		NULL,
	};
	for (size_t q = 0; queries[q]; q++) {
		struct mig_rows rows = MIG_ROWS_INIT;
		mig_assert_ok(mig_db_query(db, queries[q], &rows));
		for (size_t i = 0; i < rows.nrows; i++) {
			const char *what = mig_rows_get(&rows, i, 0);
			const char *name = mig_rows_get(&rows, i, 1);
			const char *table = mig_rows_get(&rows, i, 2);
			char *on = table ? xasprintf(" on table '%s'", table) : xstrdup("");
			mig_strlist_push_owned(out, xasprintf("%s '%s'%s is not represented in the "
							      "model (ignored by migrate)",
							      what, name, on));
			free(on);
		}
		mig_rows_release(&rows);
	}
}

/* Load a shared schema file into a new database, reflect it, make the round
 * trip and check the warnings; returns the reflection. */
static struct mig_schema *round_trip(const char *file)
{
	const char *root = getenv("MIGRATE_SOURCE_ROOT");
	assert_non_null(root);
	char *path = xasprintf("%s/../shared/schemas/mysql/%s", root, file);
	char *name = create_db();
	load_with_client(name, path);
	struct mig_db *db = connect_to(name);
	struct mig_schema *s = reflect(db, NULL);
	assert_true(s->tables.n > 5);
	assert_round_trip(s, file);

	struct mig_strlist want = MIG_STRLIST_INIT;
	expected_warnings(db, &want);
	struct mig_str a = MIG_STR_INIT, b = MIG_STR_INIT;
	for (size_t i = 0; i < want.n; i++) {
		mig_str_addf(&a, "%s\n", want.v[i]);
	}
	for (size_t i = 0; i < s->warnings.n; i++) {
		mig_str_addf(&b, "%s\n", s->warnings.v[i]);
	}
	assert_text(a.buf, b.buf);
	assert_int_equal(s->objects.n, want.n);
	mig_str_release(&a);
	mig_str_release(&b);
	mig_strlist_release(&want);
	mig_db_close(db);
	drop_db(name);
	free(name);
	free(path);
	return s;
}

static const struct mig_column *column_of(const struct mig_schema *s, const char *table,
					  const char *column)
{
	const struct mig_table *t = mig_schema_find_table(s, NULL, table);
	assert_non_null(t);
	const struct mig_column *c = mig_table_find_column(t, column);
	assert_non_null(c);
	return c;
}

static char *dump_one(const struct mig_schema *s, const char *table)
{
	const struct mig_table *t = mig_schema_find_table(s, NULL, table);
	assert_non_null(t);
	struct mig_str out = MIG_STR_INIT;
	dump_table(&out, t, false);
	return mig_str_detach(&out);
}

/* sakila: an inline enum, a set, year, unsigned integers, TIMESTAMP with ON
 * UPDATE, a fulltext index, explicit indexes on foreign key columns. */
static void check_sakila(const struct mig_schema *s)
{
	assert_int_equal(s->tables.n, 16);
	assert_int_equal(s->enums.n, 1);
	assert_string_equal(s->enums.v[0].name, "film_rating");
	char *got = dump_one(s, "film");
	assert_text("table film\n"
		    "  column film_id: OTHER raw=\"int unsigned\" not-null pk autoincrement=true\n"
		    "  column title: VARCHAR len=255 not-null\n"
		    "  column description: TEXT null\n"
		    "  column release_year: OTHER raw=\"year\" null\n"
		    "  column language_id: OTHER raw=\"int unsigned\" not-null\n"
		    "  column original_language_id: OTHER raw=\"int unsigned\" null\n"
		    "  column rental_duration: OTHER raw=\"tinyint unsigned\" not-null"
		    " default=[3]\n"
		    "  column rental_rate: NUMERIC prec=4 scale=2 not-null default=[4.99]\n"
		    "  column length: OTHER raw=\"smallint unsigned\" null\n"
		    "  column replacement_cost: NUMERIC prec=5 scale=2 not-null default=[19.99]\n"
		    "  column rating: ENUM raw=\"film_rating\" enum=film_rating null"
		    " default=['G']\n"
		    "  column special_features: OTHER raw=\"set('Trailers','Commentaries','Deleted "
		    "Scenes','Behind the Scenes')\" null\n"
		    "  column last_update: TIMESTAMPTZ not-null default=[CURRENT_TIMESTAMP]"
		    " on-update=[CURRENT_TIMESTAMP]\n"
		    "  primary key - (film_id)\n"
		    "  index idx_fk_language_id (language_id)\n"
		    "  index idx_fk_original_language_id (original_language_id)\n"
		    "  index idx_title (title)\n"
		    "  foreign key fk_film_language (language_id) -> language (language_id)"
		    " on update cascade\n"
		    "  foreign key fk_film_language_original (original_language_id) -> language"
		    " (language_id) on update cascade\n",
		    got);
	free(got);
	got = dump_one(s, "rental");
	assert_text("table rental\n"
		    "  column rental_id: INTEGER not-null pk\n"
		    "  column rental_date: TIMESTAMP not-null\n"
		    "  column inventory_id: OTHER raw=\"int unsigned\" not-null\n"
		    "  column customer_id: OTHER raw=\"int unsigned\" not-null\n"
		    "  column return_date: TIMESTAMP null\n"
		    "  column staff_id: OTHER raw=\"int unsigned\" not-null\n"
		    "  column last_update: TIMESTAMPTZ not-null default=[CURRENT_TIMESTAMP]"
		    " on-update=[CURRENT_TIMESTAMP]\n"
		    "  primary key - (rental_id)\n"
		    "  index idx_fk_customer_id (customer_id)\n"
		    "  index idx_fk_inventory_id (inventory_id)\n"
		    "  index idx_fk_staff_id (staff_id)\n"
		    "  unique rental_date (rental_date, inventory_id, customer_id)\n"
		    "  foreign key fk_rental_customer (customer_id) -> customer (customer_id)"
		    " on update cascade\n"
		    "  foreign key fk_rental_inventory (inventory_id) -> inventory (inventory_id)"
		    " on update cascade\n"
		    "  foreign key fk_rental_staff (staff_id) -> staff (staff_id)"
		    " on update cascade\n",
		    got);
	free(got);
	got = dump_one(s, "film_text");
	assert_text("table film_text\n"
		    "  column film_id: INTEGER not-null pk autoincrement=false\n"
		    "  column title: VARCHAR len=255 not-null\n"
		    "  column description: TEXT null\n"
		    "  primary key - (film_id)\n"
		    "  index idx_title_description (title, description) using fulltext\n",
		    got);
	free(got);
	assert_string_equal(column_of(s, "staff", "password")->collation, "utf8mb3_bin");
	assert_string_equal(column_of(s, "staff", "picture")->type.raw, "mediumblob");
	assert_string_equal(column_of(s, "customer", "active")->default_sql, "true");
}

/* employees: unnamed foreign keys whose own indexes are not declared ones. */
static void check_employees(const struct mig_schema *s)
{
	assert_int_equal(s->tables.n, 6);
	char *got = dump_one(s, "dept_manager");
	assert_text("table dept_manager\n"
		    "  column emp_no: INTEGER not-null pk\n"
		    "  column dept_no: CHAR len=4 not-null pk\n"
		    "  column from_date: DATE not-null\n"
		    "  column to_date: DATE not-null\n"
		    "  primary key - (emp_no, dept_no)\n"
		    "  foreign key dept_manager_ibfk_1 (emp_no) -> employees (emp_no) on delete "
		    "cascade\n"
		    "  foreign key dept_manager_ibfk_2 (dept_no) -> departments (dept_no)"
		    " on delete cascade\n",
		    got);
	free(got);
	got = dump_one(s, "departments");
	assert_text("table departments\n"
		    "  column dept_no: CHAR len=4 not-null pk\n"
		    "  column dept_name: VARCHAR len=40 not-null\n"
		    "  primary key - (dept_no)\n"
		    "  unique dept_name (dept_name)\n",
		    got);
	free(got);
	const struct mig_enum *e = mig_schema_find_enum(s, NULL, "employees_gender");
	assert_non_null(e);
	assert_int_equal(e->values.n, 2);
	assert_string_equal(e->values.v[1], "F");
}

/* chinook: NVARCHAR (utf8mb3 in a utf8mb4 table), NO ACTION, and explicit
 * indexes that replaced the foreign keys' own. */
static void check_chinook(const struct mig_schema *s, bool autoincrement)
{
	assert_int_equal(s->tables.n, 11);
	char *got = dump_one(s, "Album");
	char *want = xasprintf(
		"table Album\n"
		"  column AlbumId: INTEGER not-null pk%s\n"
		"  column Title: VARCHAR len=160 not-null collate=utf8mb3_general_ci\n"
		"  column ArtistId: INTEGER not-null\n"
		"  primary key - (AlbumId)\n"
		"  index IFK_AlbumArtistId (ArtistId)\n"
		"  foreign key FK_AlbumArtistId (ArtistId) -> Artist (ArtistId) on delete no action"
		" on update no action\n",
		autoincrement ? "" : " autoincrement=false");
	assert_text(want, got);
	free(want);
	free(got);
}

/* Every real schema in ../shared/schemas/mysql: reflected, written, loaded
 * and written again gives the same bytes and the same tables; every view,
 * trigger and routine is named in a warning, and nothing else is. */
static void test_my_reflect_real_schemas(void **state)
{
	(void)state;
	const char *root = getenv("MIGRATE_SOURCE_ROOT");
	assert_non_null(root);
	char *dir = xasprintf("%s/../shared/schemas/mysql", root);
	struct mig_strlist files = MIG_STRLIST_INIT;
	const char *const sfx[] = { ".sql", NULL };
	mig_assert_ok(mig_dir_list(dir, sfx, &files));
	assert_true(files.n >= 4);
	int checked = 0;
	for (size_t i = 0; i < files.n; i++) {
		const char *f = files.v[i];
		struct mig_schema *s = round_trip(f);
		if (strcmp(f, "sakila-jooq.sql") == 0) {
			check_sakila(s);
			checked++;
		} else if (strcmp(f, "employees.sql") == 0) {
			check_employees(s);
			checked++;
		} else if (strcmp(f, "chinook.sql") == 0) {
			check_chinook(s, false);
			checked++;
		} else if (strcmp(f, "chinook-autoincrement.sql") == 0) {
			check_chinook(s, true);
			checked++;
		}
		mig_schema_free(s);
	}
	assert_int_equal(checked, 4);
	mig_strlist_release(&files);
	free(dir);
}

#define MY_TEST(name) cmocka_unit_test_setup_teardown(name, setup_db, teardown_db)

int main(void)
{
	const struct CMUnitTest tests[] = {
		MY_TEST(test_my_reflect_features),
		MY_TEST(test_my_reflect_version_table),
		cmocka_unit_test(test_my_reflect_no_database),
		cmocka_unit_test_setup_teardown(test_my_reflect_query_count, setup_db,
						teardown_generated),
		cmocka_unit_test(test_my_reflect_real_schemas),
	};
	return cmocka_run_group_tests_name("mysql-reflect", tests, NULL, NULL);
}
