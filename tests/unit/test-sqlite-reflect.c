/* Unit tests for SQLite reflection (dialects/sqlite-reflect.c): the exact
 * schema of a rich database, the number of queries whatever the number of
 * tables, and the round trip through model YAML of real schemas. */
#include "helpers.h"
#include "schema-dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tables and enums of s (not its objects and warnings). */
static char *dump_tables(const struct mig_schema *s)
{
	struct mig_str out = MIG_STR_INIT;
	for (size_t i = 0; i < s->enums.n; i++) {
		mig_str_addf(&out, "enum %s\n", s->enums.v[i].name);
	}
	for (size_t i = 0; i < s->tables.n; i++) {
		dump_table(&out, &s->tables.v[i], false);
	}
	return mig_str_detach(&out);
}

/* write -> load -> write gives the same bytes, and loading gives the tables
 * that were reflected. */
static void assert_round_trip(const struct mig_schema *s, const char *name)
{
	struct mig_str first = MIG_STR_INIT, second = MIG_STR_INIT;
	mig_model_write(&first, s);
	struct mig_schema *back = NULL;
	if (mig_model_load_string(name, first.buf, &back) < 0) {
		fprintf(stderr, "%s does not load:\n%s\n--- written:\n%s\n", name, mig_error_last(),
			first.buf);
		fail();
	}
	mig_model_write(&second, back);
	mig_assert_text(second.buf, first.buf);
	char *d1 = dump_tables(s), *d2 = dump_tables(back);
	mig_assert_text(d2, d1);
	free(d1);
	free(d2);
	mig_schema_free(back);
	mig_str_release(&first);
	mig_str_release(&second);
}

static const char rich_ddl[] =
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
	"  label CURRENCY,\n"
	"  \"weird \"\"name\"\"\" BLOB,\n"
	"  untyped,\n"
	"  total REAL GENERATED ALWAYS AS (price * 2) STORED,\n"
	"  slug TEXT AS (lower(title)),\n"
	"  CONSTRAINT pk_album PRIMARY KEY (id),\n"
	"  CONSTRAINT price_positive CHECK (price >= 0),\n"
	"  UNIQUE (artist_id, title) ON CONFLICT REPLACE,\n"
	"  CHECK (flags <> 0) -- a comment, with a (\n"
	");\n"
	"CREATE INDEX ix_album_title ON album (title COLLATE NOCASE DESC, lower(title), id)\n"
	"  WHERE price > 0;\n"
	"CREATE UNIQUE INDEX \"ix album slug\" ON album (slug);\n"
	"CREATE TABLE track (\n"
	"  album_id INTEGER,\n"
	"  no INT,\n"
	"  parent_album INTEGER, /* the parent, (if any) */ parent_no INT,\n"
	"  PRIMARY KEY (album_id DESC, no),\n"
	"  FOREIGN KEY (album_id) REFERENCES album DEFERRABLE INITIALLY DEFERRED,\n"
	"  CONSTRAINT fk_parent FOREIGN KEY (parent_album, parent_no)\n"
	"    REFERENCES track (album_id, no) ON UPDATE SET NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE counters (id INT PRIMARY KEY, v INTEGER UNIQUE, w BIGINT);\n"
	"CREATE TABLE rowid_desc (id INTEGER PRIMARY KEY DESC, v TEXT);\n"
	"CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL,\n"
	"  PRIMARY KEY (version_num));\n"
	"CREATE TABLE tmp_scratch (a);\n"
	"CREATE TABLE orphan (x INTEGER REFERENCES missing_table (id));\n"
	"CREATE VIEW album_titles AS SELECT title FROM album;\n"
	"CREATE TRIGGER album_touch AFTER UPDATE ON album BEGIN\n"
	"  UPDATE album SET flags = 1 WHERE id = new.id;\n"
	"END;\n"
	"CREATE TRIGGER scratch_t AFTER INSERT ON tmp_scratch BEGIN SELECT 1; END;\n"
	"CREATE VIRTUAL TABLE docs USING fts5(body);\n"
	"CREATE TABLE edge (\n"
	"  \"id\" INTEGER PRIMARY KEY,\n"
	"  note TEXT CHECK (note <> ')' /* ) */),\n"
	"  [a,b] TEXT, -- a comma in a name\n"
	"  bin BLOB DEFAULT X'00ff',\n"
	"  CONSTRAINT \"uq \"\"edge\"\"\" UNIQUE ([a,b], note)\n"
	") STRICT;\n"
	"CREATE INDEX ix_edge_expr ON edge (coalesce(note, ','), [a,b] DESC);\n"
	"INSERT INTO \"Artist\" (Name) VALUES ('x');\n";

static void test_sqlite_reflect_rich(void **state)
{
	(void)state;
	char *dir;
	struct mig_db *db = mig_test_sqlite_open(&dir);
	mig_assert_ok(mig_db_exec(db, rich_ddl));
	struct mig_strlist exclude = MIG_STRLIST_INIT;
	mig_strlist_push(&exclude, "tmp_*");
	struct mig_reflect_opts opts = { .exclude_tables = &exclude };
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_db_reflect(db, &opts, &s));

	struct mig_str got = MIG_STR_INIT;
	dump_schema(&got, s, true);
	mig_assert_text(
	    got.buf,
	    "table Artist\n"
	    "  column ArtistId: INTEGER raw=\"INTEGER\" not-null pk autoincrement=true\n"
	    "  column Name: OTHER raw=\"NVARCHAR(120)\" not-null collate=NOCASE\n"
	    "  primary key - (ArtistId)\n"
	    "  unique artist_name_uq (Name)\n"
	    "table album\n"
	    "  column id: INTEGER raw=\"INTEGER\" not-null pk\n"
	    "  column title: VARCHAR len=160 raw=\"VARCHAR(160)\" not-null"
	    " default=['untitled']\n"
	    "  column artist_id: INTEGER raw=\"INTEGER\" not-null\n"
	    "  column price: NUMERIC prec=10 scale=2 raw=\"DECIMAL(10, 2)\" null"
	    " default=[0.99]\n"
	    "  column released: DATE raw=\"DATE\" null default=[(date('now'))]\n"
	    "  column flags: INTEGER raw=\"INT\" null default=[-1]\n"
	    "  column meta: TEXT raw=\"TEXT\" null\n"
	    "  column label: NUMERIC raw=\"numeric\" null\n"
	    "  column weird \"name\": BINARY raw=\"BLOB\" null\n"
	    "  column untyped: BINARY raw=\"blob\" null\n"
	    "  column total: REAL raw=\"REAL\" null computed=[price * 2] stored\n"
	    "  column slug: TEXT raw=\"TEXT\" null computed=[lower(title)] virtual\n"
	    "  primary key pk_album (id)\n"
	    "  unique index ix album slug (slug)\n"
	    "  index ix_album_title ([title COLLATE NOCASE] desc, [lower(title)], id)"
	    " where [price > 0]\n"
	    "  unique - (artist_id, title)\n"
	    "  foreign key fk_album_artist (artist_id) -> Artist (ArtistId)"
	    " on delete cascade\n"
	    "  check - [length(title) > 0]\n"
	    "  check price_positive [price >= 0]\n"
	    "  check - [flags <> 0]\n"
	    "table counters\n"
	    "  column id: INTEGER raw=\"INT\" not-null pk autoincrement=false\n"
	    "  column v: INTEGER raw=\"INTEGER\" null\n"
	    "  column w: BIGINT raw=\"BIGINT\" null\n"
	    "  primary key - (id)\n"
	    "  unique - (v)\n"
	    "table edge options=[STRICT]\n"
	    "  column id: INTEGER raw=\"INTEGER\" not-null pk\n"
	    "  column note: TEXT raw=\"TEXT\" null\n"
	    "  column a,b: TEXT raw=\"TEXT\" null\n"
	    "  column bin: BINARY raw=\"BLOB\" null default=[X'00ff']\n"
	    "  primary key - (id)\n"
	    "  index ix_edge_expr ([coalesce(note, ',')], a,b desc)\n"
	    "  unique uq \"edge\" (a,b, note)\n"
	    "  check - [note <> ')']\n"
	    "table orphan\n"
	    "  column x: INTEGER raw=\"INTEGER\" null\n"
	    "table rowid_desc\n"
	    "  column id: INTEGER raw=\"INTEGER\" not-null pk autoincrement=false\n"
	    "  column v: TEXT raw=\"TEXT\" null\n"
	    "  primary key - (id)\n"
	    "table track options=[WITHOUT ROWID]\n"
	    "  column album_id: INTEGER raw=\"INTEGER\" not-null pk\n"
	    "  column no: INTEGER raw=\"INT\" not-null pk\n"
	    "  column parent_album: INTEGER raw=\"INTEGER\" null\n"
	    "  column parent_no: INTEGER raw=\"INT\" null\n"
	    "  primary key - (album_id, no)\n"
	    "  foreign key - (album_id) -> album (id) deferrable initially deferred\n"
	    "  foreign key fk_parent (parent_album, parent_no) -> track (album_id, no)"
	    " on update set null\n"
	    "object view album_titles\n"
	    "object trigger album_touch (album)\n"
	    "object object docs (virtual table)\n"
	    "warning: view 'album_titles' is not represented in the model (ignored by "
	    "migrate)\n"
	    "warning: trigger 'album_touch' on table 'album' is not represented in the model "
	    "(ignored by migrate)\n"
	    "warning: virtual table 'docs' is not represented in the model (ignored by "
	    "migrate)\n"
	    "warning: column 'album.label' has type 'CURRENCY', which the model does not "
	    "know; reflected as numeric (the same affinity)\n"
	    "warning: column 'album.untyped' has no declared type; reflected as blob (the "
	    "same affinity)\n"
	    "warning: foreign key of table 'orphan' references table 'missing_table', which "
	    "is not reflected (left out)\n");
	mig_str_release(&got);

	struct mig_str yaml = MIG_STR_INIT;
	mig_model_write(&yaml, s);
	mig_assert_text(
	    yaml.buf,
	    "tables:\n"
	    "  Artist:\n"
	    "    columns:\n"
	    "      ArtistId: {type: integer, primary_key: true, autoincrement: true}\n"
	    "      Name: {type: NVARCHAR(120), nullable: false, collation: NOCASE}\n"
	    "    unique:\n"
	    "      - {name: artist_name_uq, columns: [Name]}\n"
	    "  album:\n"
	    "    columns:\n"
	    "      id: {type: integer, nullable: false}\n"
	    "      title: {type: varchar(160), nullable: false, default: \"'untitled'\"}\n"
	    "      artist_id: {type: integer, nullable: false}\n"
	    "      price: {type: \"numeric(10,2)\", default: 0.99}\n"
	    "      released: {type: date, default: \"(date('now'))\"}\n"
	    "      flags: {type: integer, default: \"-1\"}\n"
	    "      meta: text\n"
	    "      label: numeric\n"
	    "      \"weird \\\"name\\\"\": binary\n"
	    "      untyped: binary\n"
	    "      total: {type: real, computed: {sql: \"price * 2\", stored: true}}\n"
	    "      slug: {type: text, computed: {sql: lower(title), stored: false}}\n"
	    "    primary_key: {name: pk_album, columns: [id]}\n"
	    "    indexes:\n"
	    "      - {name: ix album slug, columns: [slug], unique: true}\n"
	    "      - {name: ix_album_title, expressions: [title COLLATE NOCASE DESC,"
	    " lower(title), id], where: \"price > 0\"}\n"
	    "    unique:\n"
	    "      - {columns: [artist_id, title]}\n"
	    "    checks:\n"
	    "      - {sql: \"length(title) > 0\"}\n"
	    "      - {name: price_positive, sql: \"price >= 0\"}\n"
	    "      - {sql: \"flags <> 0\"}\n"
	    "    foreign_keys:\n"
	    "      - {name: fk_album_artist, columns: [artist_id], references:"
	    " {table: Artist, columns: [ArtistId]}, on_delete: cascade}\n"
	    "  counters:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true, autoincrement: false}\n"
	    "      v: integer\n"
	    "      w: bigint\n"
	    "    unique:\n"
	    "      - {columns: [v]}\n"
	    "  edge:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n"
	    "      note: text\n"
	    "      \"a,b\": text\n"
	    "      bin: {type: binary, default: \"X'00ff'\"}\n"
	    "    indexes:\n"
	    "      - {name: ix_edge_expr, expressions: [\"coalesce(note, ',')\", "
	    "\"\\\"a,b\\\" DESC\"]}\n"
	    "    unique:\n"
	    "      - {name: \"uq \\\"edge\\\"\", columns: [\"a,b\", note]}\n"
	    "    checks:\n"
	    "      - {sql: \"note <> ')'\"}\n"
	    "    options: STRICT\n"
	    "  orphan:\n"
	    "    columns:\n"
	    "      x: integer\n"
	    "  rowid_desc:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true, autoincrement: false}\n"
	    "      v: text\n"
	    "  track:\n"
	    "    columns:\n"
	    "      album_id: {type: integer, nullable: false}\n"
	    "      \"no\": {type: integer, nullable: false}\n"
	    "      parent_album: integer\n"
	    "      parent_no: integer\n"
	    "    primary_key: [album_id, \"no\"]\n"
	    "    foreign_keys:\n"
	    "      - {columns: [album_id], references: {table: album, columns: [id]},"
	    " deferrable: true, initially_deferred: true}\n"
	    "      - {name: fk_parent, columns: [parent_album, parent_no], references:"
	    " {table: track, columns: [album_id, \"no\"]}, on_update: set null}\n"
	    "    options: WITHOUT ROWID\n");
	mig_str_release(&yaml);
	assert_round_trip(s, "rich.yaml");
	mig_schema_free(s);
	mig_strlist_release(&exclude);
	mig_test_sqlite_close(db, dir);
}

/* Reflecting n generated tables (each with an index, a unique constraint, a
 * check and a foreign key to the previous one); returns the queries sent. */
static unsigned long queries_for(size_t n)
{
	char *dir;
	struct mig_db *db = mig_test_sqlite_open(&dir);
	struct mig_str ddl = MIG_STR_INIT;
	mig_str_add(&ddl, "BEGIN;\n");
	for (size_t i = 0; i < n; i++) {
		mig_str_addf(&ddl,
			     "CREATE TABLE t%zu (id INTEGER PRIMARY KEY, code TEXT UNIQUE,"
			     " prev INTEGER REFERENCES t%zu (id), n INT CHECK (n > 0));\n"
			     "CREATE INDEX ix_t%zu_n ON t%zu (n);\n",
			     i, i ? i - 1 : 0, i, i);
	}
	mig_str_add(&ddl, "COMMIT;\n");
	mig_assert_ok(mig_db_exec(db, ddl.buf));
	mig_str_release(&ddl);
	unsigned long before = db->query_count;
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_db_reflect(db, NULL, &s));
	unsigned long count = db->query_count - before;
	assert_int_equal(s->tables.n, n);
	const struct mig_table *t = mig_schema_find_table(s, NULL, "t1");
	assert_non_null(t);
	assert_int_equal(t->indexes.n, 1);
	assert_int_equal(t->uniques.n, 1);
	assert_int_equal(t->checks.n, 1);
	assert_int_equal(t->fks.n, 1);
	assert_string_equal(t->fks.v[0].ref_table, "t0");
	mig_schema_free(s);
	mig_test_sqlite_close(db, dir);
	return count;
}

static void test_sqlite_reflect_query_count(void **state)
{
	(void)state;
	unsigned long q1000 = queries_for(1000);
	unsigned long q5000 = queries_for(5000);
	assert_int_equal(q1000, 4);
	assert_int_equal(q5000, q1000);
}

/* Every real schema in ../shared/schemas/sqlite: reflected, written, loaded
 * and written again gives the same bytes and the same tables; every view and
 * trigger is named in a warning. */
static void test_sqlite_reflect_real_schemas(void **state)
{
	(void)state;
	const char *root = getenv("MIGRATE_SOURCE_ROOT");
	assert_non_null(root);
	char *sdir = xasprintf("%s/../shared/schemas/sqlite", root);
	struct mig_strlist files = MIG_STRLIST_INIT;
	const char *const sfx[] = { ".sql", NULL };
	mig_assert_ok(mig_dir_list(sdir, sfx, &files));
	assert_true(files.n >= 4);
	for (size_t f = 0; f < files.n; f++) {
		char *path = mig_path_join(sdir, files.v[f]);
		char *sql;
		mig_assert_ok(mig_file_read(path, &sql, NULL));
		char *dir;
		struct mig_db *db = mig_test_sqlite_open(&dir);
		mig_assert_ok(mig_db_exec(db, sql));
		struct mig_schema *s = NULL;
		mig_assert_ok(mig_db_reflect(db, NULL, &s));
		assert_true(s->tables.n > 5);
		assert_round_trip(s, files.v[f]);

		/* each view and trigger has its warning, and nothing else does */
		struct mig_rows rows = MIG_ROWS_INIT;
		mig_assert_ok(mig_db_query(db,
					   "SELECT type, name, tbl_name FROM sqlite_master WHERE "
					   "type IN ('view', 'trigger') ORDER BY name",
					   &rows));
		struct mig_strlist want = MIG_STRLIST_INIT;
		for (size_t r = 0; r < rows.nrows; r++) {
			const char *type = mig_rows_get(&rows, r, 0);
			const char *name = mig_rows_get(&rows, r, 1);
			if (strcmp(type, "view") == 0) {
				mig_strlist_push_owned(&want,
						       xasprintf("view '%s' is not represented in "
								 "the model (ignored by migrate)",
								 name));
			} else {
				mig_strlist_push_owned(
					&want, xasprintf("trigger '%s' on table '%s' is not "
							 "represented in the model (ignored by "
							 "migrate)",
							 name, mig_rows_get(&rows, r, 2)));
			}
		}
		mig_rows_release(&rows);
		/* in name order, whatever the kind, as the query above */
		struct mig_strlist sorted = MIG_STRLIST_INIT;
		for (size_t i = 0; i < want.n; i++) {
			mig_strlist_push(&sorted, want.v[i]);
		}
		if (sorted.n != s->warnings.n) {
			fprintf(stderr, "%s: %zu warnings, %zu views and triggers\n", files.v[f],
				s->warnings.n, sorted.n);
			for (size_t i = 0; i < s->warnings.n; i++) {
				fprintf(stderr, "  %s\n", s->warnings.v[i]);
			}
			fail();
		}
		for (size_t i = 0; i < sorted.n; i++) {
			assert_string_equal(s->warnings.v[i], sorted.v[i]);
		}
		assert_int_equal(s->objects.n, sorted.n);
		mig_strlist_release(&sorted);
		mig_strlist_release(&want);
		mig_schema_free(s);
		mig_test_sqlite_close(db, dir);
		free(sql);
		free(path);
	}
	mig_strlist_release(&files);
	free(sdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlite_reflect_rich),
		cmocka_unit_test(test_sqlite_reflect_query_count),
		cmocka_unit_test(test_sqlite_reflect_real_schemas),
	};
	return cmocka_run_group_tests_name("sqlite-reflect", tests, NULL, NULL);
}
