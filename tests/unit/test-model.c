/* Unit tests for the model files (lib/model.c): loading good files into the
 * exact schema, every kind of malformed file with its exact message and
 * position, and the writer's round trip. */
#include "helpers.h"
#include "schema-dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Assert that the dump of s equals want. */
#define assert_dump(s, with_pos, want) assert_dump_at((s), (with_pos), (want), __FILE__, __LINE__)
static void assert_dump_at(const struct mig_schema *s, bool with_pos, const char *want,
			   const char *file, int line)
{
	struct mig_str got = MIG_STR_INIT;
	dump_schema(&got, s, with_pos);
	if (strcmp(got.buf, want) != 0) {
		mig_test_show_difference(got.buf, want);
		mig_str_release(&got);
		_fail(file, line);
	}
	mig_str_release(&got);
}

/* ---- good files ---- */

static const char schema_yaml[] = "naming_convention:\n"
				  "  ix: \"ix_%(table)s_%(columns)s\"\n"
				  "  uq: \"uq_%(table)s_%(columns)s\"\n"
				  "  ck: \"ck_%(table)s_%(name)s\"\n"
				  "  fk: \"fk_%(table)s_%(columns)s_%(ref_table)s\"\n"
				  "  pk: \"pk_%(table)s\"\n"
				  "enums:\n"
				  "  order_status: [pending, paid, shipped]\n"
				  "  billing.currency: [eur, usd]\n";

static const char users_yaml[] =
	"tables:\n"
	"  organisations:\n"
	"    columns:\n"
	"      id: {type: integer, primary_key: true}\n"
	"      name: varchar(100)\n"
	"  users:\n"
	"    comment: Registered accounts\n"
	"    columns:\n"
	"      id: {type: bigint, primary_key: true, autoincrement: false, comment: the id}\n"
	"      email: {type: varchar(255), nullable: false, unique: true, collation: C}\n"
	"      org_id: {type: integer, references: organisations.id, on_delete: cascade,\n"
	"               on_update: set null, deferrable: true, initially_deferred: true}\n"
	"      status: {type: order_status, nullable: false, default: \"'pending'\"}\n"
	"      created_at: {type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP}\n"
	"      updated_at: {type: timestamp, server_onupdate: CURRENT_TIMESTAMP}\n"
	"      seq: {type: integer, identity: {always: true, start: 100, increment: 5}, index: "
	"true}\n"
	"      price: numeric(10, 2)\n"
	"      qty: smallint\n"
	"      total: {type: \"numeric(12,2)\", computed: {sql: price * qty, stored: true}}\n"
	"      nickname: text\n"
	"      tags: text[]\n"
	"      meta: jsonb\n"
	"      code: {type: integer, autoincrement: true}\n"
	"    indexes:\n"
	"      - {columns: [org_id]}\n"
	"      - {name: ix_users_lower_email, expressions: [\"lower(email)\"], unique: true,\n"
	"         where: email IS NOT NULL}\n"
	"      - {columns: [created_at DESC, id asc]}\n"
	"      - {expressions: [lower(nickname) DESC, status]}\n"
	"      - {columns: [meta], using: gin}\n"
	"    unique:\n"
	"      - {columns: [org_id, nickname]}\n"
	"      - {name: users_nick_key, columns: nickname, deferrable: true}\n"
	"    checks:\n"
	"      - {name: email_has_at, sql: \"email LIKE '%@%'\"}\n"
	"      - {name: ck_users_qty, sql: qty >= 0}\n";

static const char billing_yml[] =
	"tables:\n"
	"  billing.invoices:\n"
	"    columns:\n"
	"      user_id: {type: bigint, references: users.id}\n"
	"      number: integer\n"
	"      currency: billing.currency\n"
	"      status: order_status\n"
	"    primary_key: [user_id, number]\n"
	"  billing.lines:\n"
	"    columns:\n"
	"      invoice_user: {type: bigint, nullable: false}\n"
	"      invoice_number: {type: integer, nullable: false}\n"
	"      line: integer\n"
	"    primary_key: {name: lines_pkey, columns: [invoice_user, invoice_number, line]}\n"
	"    foreign_keys:\n"
	"      - columns: [invoice_user, invoice_number]\n"
	"        references: {table: billing.invoices, columns: [user_id, number]}\n"
	"        on_delete: restrict\n";

static void test_model_good_folder(void **state)
{
	(void)state;
	char *dir = mig_test_tmpdir();
	char *models = mig_path_join(dir, "models");
	free(mig_test_write(models, "_schema.yaml", schema_yaml));
	free(mig_test_write(models, "users.yaml", users_yaml));
	free(mig_test_write(models, "billing/invoices.yml", billing_yml));
	free(mig_test_write(models, "empty.yaml", ""));
	free(mig_test_write(models, "comments.yaml", "# nothing declared here\n"));
	free(mig_test_write(models, "README.txt", "tables: [not, yaml, we, read]\n"));
	struct mig_strlist paths = MIG_STRLIST_INIT;
	mig_strlist_push(&paths, models);
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_model_load(&paths, &s));

	/* positions are relative to the folder given */
	char *want = xasprintf(
		"naming ix=ix_%%(table)s_%%(columns)s\n"
		"naming uq=uq_%%(table)s_%%(columns)s\n"
		"naming ck=ck_%%(table)s_%%(name)s\n"
		"naming fk=fk_%%(table)s_%%(columns)s_%%(ref_table)s\n"
		"naming pk=pk_%%(table)s\n"
		"enum order_status (pending, paid, shipped) @%1$s/_schema.yaml:8:3\n"
		"enum billing.currency (eur, usd) @%1$s/_schema.yaml:9:3\n"
		"table billing.invoices @%1$s/billing/invoices.yml:2:3\n"
		"  column user_id: BIGINT raw=\"bigint\" not-null pk "
		"@%1$s/billing/invoices.yml:4:7\n"
		"  column number: INTEGER raw=\"integer\" not-null pk "
		"@%1$s/billing/invoices.yml:5:7\n"
		"  column currency: ENUM raw=\"billing.currency\" enum=billing.currency null"
		" @%1$s/billing/invoices.yml:6:7\n"
		"  column status: ENUM raw=\"order_status\" enum=order_status null"
		" @%1$s/billing/invoices.yml:7:7\n"
		"  primary key pk_invoices (user_id, number)\n"
		"  foreign key fk_invoices_user_id_users (user_id) -> users (id)"
		" @%1$s/billing/invoices.yml:4:7\n"
		"table billing.lines @%1$s/billing/invoices.yml:9:3\n"
		"  column invoice_user: BIGINT raw=\"bigint\" not-null pk"
		" @%1$s/billing/invoices.yml:11:7\n"
		"  column invoice_number: INTEGER raw=\"integer\" not-null pk"
		" @%1$s/billing/invoices.yml:12:7\n"
		"  column line: INTEGER raw=\"integer\" not-null pk "
		"@%1$s/billing/invoices.yml:13:7\n"
		"  primary key lines_pkey (invoice_user, invoice_number, line)\n"
		"  foreign key fk_lines_invoice_user_invoice_number_invoices"
		" (invoice_user, invoice_number) -> billing.invoices (user_id, number)"
		" on delete restrict @%1$s/billing/invoices.yml:16:9\n"
		"table organisations @%1$s/users.yaml:2:3\n"
		"  column id: INTEGER raw=\"integer\" not-null pk @%1$s/users.yaml:4:7\n"
		"  column name: VARCHAR len=100 raw=\"varchar(100)\" null @%1$s/users.yaml:5:7\n"
		"  primary key pk_organisations (id)\n"
		"table users comment=[Registered accounts] @%1$s/users.yaml:6:3\n"
		"  column id: BIGINT raw=\"bigint\" not-null pk autoincrement=false"
		" comment=[the id] @%1$s/users.yaml:9:7\n"
		"  column email: VARCHAR len=255 raw=\"varchar(255)\" not-null collate=C"
		" @%1$s/users.yaml:10:7\n"
		"  column org_id: INTEGER raw=\"integer\" null @%1$s/users.yaml:11:7\n"
		"  column status: ENUM raw=\"order_status\" enum=order_status not-null"
		" default=['pending'] @%1$s/users.yaml:13:7\n"
		"  column created_at: TIMESTAMPTZ raw=\"timestamptz\" not-null"
		" default=[CURRENT_TIMESTAMP] @%1$s/users.yaml:14:7\n"
		"  column updated_at: TIMESTAMP raw=\"timestamp\" null"
		" on-update=[CURRENT_TIMESTAMP] @%1$s/users.yaml:15:7\n"
		"  column seq: INTEGER raw=\"integer\" null"
		" identity(always start=100 increment=5) @%1$s/users.yaml:16:7\n"
		"  column price: NUMERIC prec=10 scale=2 raw=\"numeric(10, 2)\" null"
		" @%1$s/users.yaml:17:7\n"
		"  column qty: SMALLINT raw=\"smallint\" null @%1$s/users.yaml:18:7\n"
		"  column total: NUMERIC prec=12 scale=2 raw=\"numeric(12,2)\" null"
		" computed=[price * qty] stored @%1$s/users.yaml:19:7\n"
		"  column nickname: TEXT raw=\"text\" null @%1$s/users.yaml:20:7\n"
		"  column tags: OTHER raw=\"text[]\" null @%1$s/users.yaml:21:7\n"
		"  column meta: OTHER raw=\"jsonb\" null @%1$s/users.yaml:22:7\n"
		"  column code: INTEGER raw=\"integer\" null autoincrement=true"
		" @%1$s/users.yaml:23:7\n"
		"  primary key pk_users (id)\n"
		"  index ix_users_org_id (org_id) @%1$s/users.yaml:25:9\n"
		"  unique index ix_users_lower_email ([lower(email)]) where [email IS NOT NULL]"
		" @%1$s/users.yaml:26:9\n"
		"  index ix_users_created_at_id (created_at desc, id) @%1$s/users.yaml:28:9\n"
		"  index ix_users_lower_nickname_status ([lower(nickname)] desc, status)"
		" @%1$s/users.yaml:29:9\n"
		"  index ix_users_meta (meta) using gin @%1$s/users.yaml:30:9\n"
		"  index ix_users_seq (seq) @%1$s/users.yaml:16:7\n"
		"  unique uq_users_org_id_nickname (org_id, nickname) @%1$s/users.yaml:32:9\n"
		"  unique users_nick_key (nickname) deferrable @%1$s/users.yaml:33:9\n"
		"  unique uq_users_email (email) @%1$s/users.yaml:10:7\n"
		"  foreign key fk_users_org_id_organisations (org_id) -> organisations (id)"
		" on delete cascade on update set null deferrable initially deferred"
		" @%1$s/users.yaml:11:7\n"
		"  check ck_users_email_has_at [email LIKE '%%@%%'] @%1$s/users.yaml:35:9\n"
		"  check ck_users_qty [qty >= 0] @%1$s/users.yaml:36:9\n",
		models);
	assert_dump(s, true, want);
	free(want);

	/* lookups across schemas */
	assert_non_null(mig_schema_find_table(s, "billing", "invoices"));
	assert_non_null(mig_schema_find_table(s, NULL, "billing.lines"));
	assert_null(mig_schema_find_table(s, NULL, "invoices"));
	assert_non_null(mig_schema_find_enum(s, "billing", "currency"));

	mig_schema_free(s);
	mig_strlist_release(&paths);
	free(models);
	mig_test_rmtree(dir);
	free(dir);
}

/* Shorthand columns, a single file given by path, and the defaults. */
static void test_model_shorthand_and_defaults(void **state)
{
	(void)state;
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_model_load_string("m.yaml",
					    "tables:\n"
					    "  t:\n"
					    "    columns:\n"
					    "      id: {type: integer, primary_key: true}\n"
					    "      a: VARCHAR(40)\n"
					    "      b: double precision\n"
					    "      c: \"timestamp(3)\"\n"
					    "      d: NVARCHAR(40)\n"
					    "      e: boolean\n"
					    "      f: {type: uuid, index: true}\n"
					    "      g: blob\n"
					    "    indexes:\n"
					    "      - columns: [a, b]\n"
					    "    unique:\n"
					    "      - {columns: [c]}\n"
					    "    checks:\n"
					    "      - sql: a <> ''\n"
					    "    foreign_keys:\n",
					    &s));
	/* no naming convention: indexes still get names, constraints do not */
	assert_dump(s, false,
		    "table t\n"
		    "  column id: INTEGER not-null pk\n"
		    "  column a: VARCHAR len=40 null\n"
		    "  column b: FLOAT null\n"
		    "  column c: TIMESTAMP prec=3 null\n"
		    "  column d: OTHER raw=\"NVARCHAR(40)\" null\n"
		    "  column e: BOOLEAN null\n"
		    "  column f: UUID null\n"
		    "  column g: BINARY null\n"
		    "  primary key - (id)\n"
		    "  index ix_t_a_b (a, b)\n"
		    "  index ix_t_f (f)\n"
		    "  unique - (c)\n"
		    "  check - [a <> '']\n");
	mig_schema_free(s);

	/* an empty document and a document of comments declare nothing */
	mig_assert_ok(mig_model_load_string("e.yaml", "", &s));
	assert_int_equal(s->tables.n, 0);
	mig_schema_free(s);
	mig_assert_ok(mig_model_load_string("e.yaml", "tables:\nenums:\n", &s));
	assert_int_equal(s->tables.n, 0);
	mig_schema_free(s);
}

/* A ck convention without %(name)s names unnamed checks; one with it keeps
 * names that already have its form. */
static void test_model_check_naming(void **state)
{
	(void)state;
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_model_load_string("m.yaml",
					    "naming_convention: {ck: \"%(table)s_check\"}\n"
					    "tables:\n"
					    "  t:\n"
					    "    columns: {a: integer}\n"
					    "    checks: [{sql: a > 0}]\n",
					    &s));
	assert_string_equal(s->tables.v[0].checks.v[0].name, "t_check");
	mig_schema_free(s);
	mig_assert_ok(mig_model_load_string("m.yaml",
					    "naming_convention: {ck: \"ck_%(table)s_%(name)s\"}\n"
					    "tables:\n"
					    "  t:\n"
					    "    columns: {a: integer}\n"
					    "    checks: [{name: ck_t_positive, sql: a > 0},"
					    " {name: small, sql: a < 10}]\n",
					    &s));
	assert_string_equal(s->tables.v[0].checks.v[0].name, "ck_t_positive");
	assert_string_equal(s->tables.v[0].checks.v[1].name, "ck_t_small");
	mig_schema_free(s);
}

/* ---- malformed files: the exact messages ---- */

struct bad_case {
	const char *name; /* also the path in messages */
	const char *text;
	const char *want;
};

static const struct bad_case bad_cases[] = {
	{ "unknown-top.yaml",
	  "tables: {}\n"
	  "tabels: {}\n",
	  "unknown-top.yaml:2:1: unknown key 'tabels' in model file (expected one of: "
	  "naming_convention, enums, tables)" },
	{ "unknown-table-key.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    index: [{columns: [a]}]\n",
	  "unknown-table-key.yaml:4:5: unknown key 'index' in table 't' (expected one of: columns, "
	  "primary_key, indexes, unique, checks, foreign_keys, comment, options)" },
	{ "unknown-column-key.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, null: false}\n",
	  "unknown-column-key.yaml:4:26: unknown key 'null' in column 'a' (expected one of: type, "
	  "nullable, primary_key, unique, index, default, autoincrement, identity, computed, "
	  "references, on_delete, on_update, deferrable, initially_deferred, collation, comment, "
	  "server_onupdate, name)" },
	{ "column-name-key.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {name: b, type: integer}\n",
	  "column-name-key.yaml:4:11: unknown key 'name' in column 'a' (the key above names the "
	  "column)" },
	{ "unknown-type.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: integr\n",
	  "unknown-type.yaml:4:7: unknown type 'integr' for column 'a' (not a generic type, a "
	  "declared enum or a known database type)" },
	{ "invalid-type.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: varchar(x)\n"
	  "      b: varchar(1, 2)\n",
	  "invalid-type.yaml:4:10: invalid type 'varchar(x)'\n"
	  "invalid-type.yaml:5:10: invalid type 'varchar(1, 2)': varchar takes one length" },
	{ "missing-type.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {nullable: false}\n"
	  "      b:\n",
	  "missing-type.yaml:4:10: column 'a' needs 'type'\n"
	  "missing-type.yaml:5:9: 'type' must be a non-empty string" },
	{ "fk-missing-table.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: integer\n"
	  "    foreign_keys:\n"
	  "      - {columns: [a], references: {table: nope, columns: [id]}}\n",
	  "fk-missing-table.yaml:6:9: foreign key of table 't' references unknown table 'nope'" },
	{ "fk-missing-column.yaml",
	  "tables:\n"
	  "  u:\n"
	  "    columns: {id: integer}\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, references: u.ident}\n",
	  "fk-missing-column.yaml:6:7: foreign key of table 't' references unknown column "
	  "'u.ident'" },
	{ "fk-own-column.yaml",
	  "tables:\n"
	  "  u:\n"
	  "    columns: {id: integer}\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    foreign_keys:\n"
	  "      - {columns: [b], references: {table: u, columns: [id]}}\n",
	  "fk-own-column.yaml:7:9: foreign key of table 't' names unknown column 'b'" },
	{ "fk-count.yaml",
	  "tables:\n"
	  "  u:\n"
	  "    columns: {id: integer, id2: integer}\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    foreign_keys:\n"
	  "      - {columns: [a], references: {table: u, columns: [id, id2]}}\n",
	  "fk-count.yaml:7:9: foreign key has 1 columns but references 2" },
	{ "fk-shorthand.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, references: users}\n",
	  "fk-shorthand.yaml:4:38: 'references' must be written table.column, not 'users'" },
	{ "duplicate-column.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: integer\n"
	  "      b: text\n"
	  "      a: text\n",
	  "duplicate-column.yaml:6:7: column 'a' of table 't' is already declared at "
	  "duplicate-column.yaml:4:7" },
	{ "duplicate-table.yaml",
	  "tables:\n"
	  "  s.t:\n"
	  "    columns: {a: integer}\n"
	  "  s.t:\n"
	  "    columns: {a: integer}\n",
	  "duplicate-table.yaml:4:3: table 's.t' is already declared at duplicate-table.yaml:2:3" },
	{ "pk-nullable.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      id: {type: integer, primary_key: true, nullable: true}\n",
	  "pk-nullable.yaml:4:56: column 'id' is part of the primary key and cannot be nullable" },
	{ "pk-list-nullable.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, nullable: true}\n"
	  "      b: integer\n"
	  "    primary_key: [a, b]\n",
	  "pk-list-nullable.yaml:4:36: column 'a' is part of the primary key and cannot be "
	  "nullable" },
	{ "pk-twice.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, primary_key: true}\n"
	  "    primary_key: [a, c]\n",
	  "pk-twice.yaml:5:18: table 't' declares its primary key both in 'primary_key' and on "
	  "column 'a'\n"
	  "pk-twice.yaml:5:18: primary key of table 't' names unknown column 'c'" },
	{ "bad-bool.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, nullable: nope}\n"
	  "      b: {type: integer, unique: [true]}\n",
	  "bad-bool.yaml:4:36: 'nullable' must be true or false, not 'nope'\n"
	  "bad-bool.yaml:5:34: 'unique' must be true or false" },
	{ "bad-action.yaml",
	  "tables:\n"
	  "  u:\n"
	  "    columns: {id: integer}\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, references: u.id, on_delete: explode}\n",
	  "bad-action.yaml:6:55: invalid referential action 'explode' (expected cascade, "
	  "restrict, set null, set default or no action)" },
	{ "on-delete-alone.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, on_delete: cascade, deferrable: true}\n",
	  "on-delete-alone.yaml:4:26: column 'a': 'on_delete' needs 'references'\n"
	  "on-delete-alone.yaml:4:46: column 'a': 'deferrable' needs 'references'" },
	{ "identity-default.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, identity: true, default: \"1\"}\n"
	  "      b: {type: integer, computed: a + 1, default: \"2\"}\n"
	  "      c: {type: integer, identity: {always: true, cycle: true}}\n",
	  "identity-default.yaml:4:42: column 'a': an identity column cannot have a default\n"
	  "identity-default.yaml:5:43: column 'b': a computed column cannot have a default\n"
	  "identity-default.yaml:6:51: unknown key 'cycle' in identity (expected one of: always, "
	  "start, increment)" },
	{ "index-unknown-column.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    indexes:\n"
	  "      - {columns: [a, b DESC]}\n",
	  "index-unknown-column.yaml:5:9: index of table 't' names unknown column 'b'" },
	{ "unique-unknown-column.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    unique:\n"
	  "      - {name: u1, columns: [a, c]}\n",
	  "unique-unknown-column.yaml:5:9: unique constraint of table 't' names unknown column "
	  "'c'" },
	{ "check-unknown-column.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    checks:\n"
	  "      - {name: a, sql: a > 0, column: a}\n"
	  "      - {name: b, sql: b > 0, column: b}\n",
	  "check-unknown-column.yaml:6:9: check constraint of table 't' names unknown column "
	  "'b'" },
	{ "index-no-columns.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    indexes:\n"
	  "      - {name: ix_a, unique: true}\n"
	  "      - {columns: []}\n"
	  "      - a\n",
	  "index-no-columns.yaml:5:9: index 'ix_a' needs 'columns' or 'expressions'\n"
	  "index-no-columns.yaml:6:19: 'columns' must be a non-empty list of names\n"
	  "index-no-columns.yaml:7:9: an index must be a mapping with 'columns' or 'expressions'" },
	{ "enum-no-values.yaml",
	  "enums:\n"
	  "  a: []\n"
	  "  b:\n"
	  "  c: x\n"
	  "tables: {}\n",
	  "enum-no-values.yaml:2:6: enum 'a' needs at least one value\n"
	  "enum-no-values.yaml:3:3: enum 'b' needs at least one value\n"
	  "enum-no-values.yaml:4:6: enum 'c' must be a list of values" },
	{ "enum-duplicate-value.yaml",
	  "enums:\n"
	  "  status: [new, old, new]\n"
	  "  status: [x]\n",
	  "enum-duplicate-value.yaml:2:22: enum 'status' lists 'new' twice\n"
	  "enum-duplicate-value.yaml:3:3: enum 'status' is already declared at "
	  "enum-duplicate-value.yaml:2:3" },
	{ "syntax.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer\n",
	  "syntax.yaml:5:1: did not find expected ',' or '}' (while parsing a flow mapping at "
	  "line 4, column 10)" },
	{ "tabs.yaml",
	  "tables:\n"
	  "  t:\n"
	  "\tcolumns:\n"
	  "\t\ta: integer\n",
	  "tabs.yaml:3:1: a tab character cannot indent YAML (indent with spaces)" },
	{ "list.yaml",
	  "- tables\n"
	  "- enums\n",
	  "list.yaml:1:1: a model file must be a mapping with 'tables' (and optionally 'enums', "
	  "'naming_convention')" },
	{ "scalar.yaml", "just words\n",
	  "scalar.yaml:1:1: a model file must be a mapping with 'tables' (and optionally 'enums', "
	  "'naming_convention')" },
	{ "two-docs.yaml",
	  "tables: {}\n"
	  "---\n"
	  "tables: {}\n",
	  "two-docs.yaml:3:1: only one YAML document per file is supported" },
	{ "columns-not-map.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: [a, b]\n"
	  "  u:\n"
	  "    comment: no columns\n",
	  "columns-not-map.yaml:3:14: 'columns' of table 't' must be a mapping of column names to "
	  "specs\n"
	  "columns-not-map.yaml:5:5: table 'u' needs 'columns'" },
	{ "table-not-map.yaml",
	  "tables:\n"
	  "  t: [a, b]\n"
	  "  u:\n",
	  "table-not-map.yaml:2:6: table 't' must be a mapping with 'columns'\n"
	  "table-not-map.yaml:3:5: table 'u' must be a mapping with 'columns'" },
	{ "tables-not-map.yaml", "tables: [t]\n",
	  "tables-not-map.yaml:1:9: 'tables' must be a mapping of table names to tables" },
	{ "lists-not-lists.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    indexes: {columns: [a]}\n"
	  "    checks: a > 0\n",
	  "lists-not-lists.yaml:4:14: 'indexes' must be a list\n"
	  "lists-not-lists.yaml:5:13: 'checks' must be a list" },
	{ "check-no-sql.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    checks:\n"
	  "      - {name: c}\n",
	  "check-no-sql.yaml:5:9: check constraint needs 'sql'" },
	{ "naming-keys.yaml", "naming_convention: {ix: \"ix_%(table)s\", fkey: \"x\"}\n",
	  "naming-keys.yaml:1:41: unknown key 'fkey' in naming_convention (expected one of: ix, "
	  "uq, ck, fk, pk)" },
	{ "check-needs-name.yaml",
	  "naming_convention: {ck: \"ck_%(table)s_%(name)s\"}\n"
	  "tables:\n"
	  "  t:\n"
	  "    columns: {a: integer}\n"
	  "    checks: [{sql: a > 0}]\n",
	  "check-needs-name.yaml:5:14: check constraint of table 't' needs a name: the naming "
	  "convention for checks uses %(name)s" },
	{ "duplicate-names.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, index: true}\n"
	  "      b: integer\n"
	  "    indexes:\n"
	  "      - {columns: [a]}\n"
	  "    unique:\n"
	  "      - {name: k, columns: [a]}\n"
	  "    checks:\n"
	  "      - {name: k, sql: b > 0}\n",
	  "duplicate-names.yaml:7:9: index 'ix_t_a' of table 't' is already declared at "
	  "duplicate-names.yaml:4:7\n"
	  "duplicate-names.yaml:11:9: constraint 'k' of table 't' is already declared at "
	  "duplicate-names.yaml:9:9" },
	{ "bad-default.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, default: }\n"
	  "      b: {type: integer, default: [1]}\n",
	  "bad-default.yaml:4:35: 'default' must be a SQL expression (write \"NULL\" for a NULL "
	  "default)\n"
	  "bad-default.yaml:5:35: 'default' must be a SQL expression" },
	{ "bad-identity.yaml",
	  "tables:\n"
	  "  t:\n"
	  "    columns:\n"
	  "      a: {type: integer, identity: {start: one}}\n",
	  "bad-identity.yaml:4:44: 'start' must be a whole number, not 'one'" },
};

static void test_model_malformed(void **state)
{
	(void)state;
	size_t failures = 0;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct mig_schema *s = NULL;
		int rc = mig_model_load_string(c->name, c->text, &s);
		if (rc >= 0) {
			print_error("%s: loaded, expected:\n%s\n", c->name, c->want);
			mig_schema_free(s);
			failures++;
			continue;
		}
		assert_null(s);
		assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
		assert_int_equal(mig_error_exit_code(), MIG_EXIT_FILE);
		if (strcmp(mig_error_last(), c->want) != 0) {
			print_error("%s: got\n%s\nexpected\n%s\n\n", c->name, mig_error_last(),
				    c->want);
			failures++;
		}
	}
	assert_true(sizeof(bad_cases) / sizeof(bad_cases[0]) >= 25);
	assert_int_equal(failures, 0);
}

/* Problems that need two files: a table declared in both, the naming
 * convention declared in both, a foreign key into another file; and a path
 * that does not exist. */
static void test_model_malformed_folder(void **state)
{
	(void)state;
	char *dir = mig_test_tmpdir();
	free(mig_test_write(dir, "a.yaml",
			    "naming_convention: {ix: \"ix_%(columns)s\"}\n"
			    "tables:\n"
			    "  users:\n"
			    "    columns: {id: integer}\n"));
	free(mig_test_write(dir, "b/b.yaml",
			    "naming_convention: {ix: \"i_%(columns)s\"}\n"
			    "tables:\n"
			    "  orders:\n"
			    "    columns: {user_id: {type: integer, references: users.uid}}\n"
			    "  users:\n"
			    "    columns: {id: integer}\n"));
	free(mig_test_write(dir, "c.yml", "tables:\n  t:\n    columns: {a: blob}\n"));
	struct mig_strlist paths = MIG_STRLIST_INIT;
	mig_strlist_push(&paths, dir);
	struct mig_schema *s = NULL;
	char *want =
		xasprintf("%1$s/b/b.yaml:1:1: naming_convention is already declared at "
			  "%1$s/a.yaml:1:1 (declare it in one file only)\n"
			  "%1$s/b/b.yaml:4:15: foreign key of table 'orders' references unknown "
			  "column 'users.uid'\n"
			  "%1$s/b/b.yaml:5:3: table 'users' is already declared at "
			  "%1$s/a.yaml:3:3",
			  dir);
	mig_assert_fails_with(mig_model_load(&paths, &s), want);
	assert_null(s);
	free(want);

	/* a path that does not exist */
	mig_strlist_release(&paths);
	char *missing = mig_path_join(dir, "nope");
	mig_strlist_push(&paths, missing);
	want = xasprintf("cannot open model path '%s': No such file or directory", missing);
	mig_assert_fails_with(mig_model_load(&paths, &s), want);
	assert_int_equal(mig_error_exit_code(), MIG_EXIT_FILE);
	free(want);
	free(missing);
	mig_strlist_release(&paths);
	mig_test_rmtree(dir);
	free(dir);
}

/* One file with many problems: all are reported, in the order they appear in
 * the file, whichever pass found them. */
static void test_model_all_problems_in_order(void **state)
{
	(void)state;
	struct mig_schema *s = NULL;
	mig_assert_fails_with(
		mig_model_load_string(
			"many.yaml",
			"enums:\n"
			"  mood: [happy, happy]\n"
			"tables:\n"
			"  t:\n"
			"    colour: red\n"
			"    columns:\n"
			"      id: {type: integer, primary_key: true, nullable: true}\n"
			"      a: {type: strng}\n"
			"      b: {type: integer, references: nope.id}\n"
			"      c: {type: mood, on_update: cascade}\n"
			"      d: {type: integer, unique: maybe}\n"
			"    indexes:\n"
			"      - {columns: [zz]}\n"
			"    foreign_keys:\n"
			"      - {columns: [a, b], references: {table: t, columns: [id]}}\n"
			"  u:\n"
			"    columns:\n"
			"      x: {type: integer, autoincrement: sometimes}\n"
			"bogus: 1\n",
			&s),
		"many.yaml:2:17: enum 'mood' lists 'happy' twice\n"
		"many.yaml:5:5: unknown key 'colour' in table 't' (expected one of: columns, "
		"primary_key, indexes, unique, checks, foreign_keys, comment, options)\n"
		"many.yaml:7:56: column 'id' is part of the primary key and cannot be nullable\n"
		"many.yaml:8:7: unknown type 'strng' for column 'a' (not a generic type, a "
		"declared "
		"enum or a known database type)\n"
		"many.yaml:9:7: foreign key of table 't' references unknown table 'nope'\n"
		"many.yaml:10:23: column 'c': 'on_update' needs 'references'\n"
		"many.yaml:11:34: 'unique' must be true or false, not 'maybe'\n"
		"many.yaml:13:9: index of table 't' names unknown column 'zz'\n"
		"many.yaml:15:9: foreign key has 2 columns but references 1\n"
		"many.yaml:18:41: 'autoincrement' must be true or false, not 'sometimes'\n"
		"many.yaml:19:1: unknown key 'bogus' in model file (expected one of: "
		"naming_convention, enums, tables)");
	assert_null(s);
}

/* ---- the writer ---- */

/* write -> load -> write gives the same bytes, and the loaded schema is the
 * one written. */
static void round_trip(const struct mig_schema *s, const char *name)
{
	struct mig_str first = MIG_STR_INIT, second = MIG_STR_INIT;
	struct mig_str d1 = MIG_STR_INIT, d2 = MIG_STR_INIT;
	mig_model_write(&first, s);
	struct mig_schema *back = NULL;
	if (mig_model_load_string(name, first.buf, &back) < 0) {
		print_error("%s does not load:\n%s\n--- written:\n%s\n", name, mig_error_last(),
			    first.buf);
		fail();
	}
	mig_model_write(&second, back);
	mig_assert_text(second.buf, first.buf);
	dump_schema(&d1, s, false);
	dump_schema(&d2, back, false);
	mig_assert_text(d2.buf, d1.buf);
	mig_schema_free(back);
	mig_str_release(&first);
	mig_str_release(&second);
	mig_str_release(&d1);
	mig_str_release(&d2);
}

static void test_model_round_trip_loaded(void **state)
{
	(void)state;
	char *dir = mig_test_tmpdir();
	free(mig_test_write(dir, "_schema.yaml", schema_yaml));
	free(mig_test_write(dir, "users.yaml", users_yaml));
	free(mig_test_write(dir, "billing.yaml", billing_yml));
	struct mig_strlist paths = MIG_STRLIST_INIT;
	mig_strlist_push(&paths, dir);
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_model_load(&paths, &s));
	round_trip(s, "rich.yaml");

	/* the same as a folder: _schema.yaml and one file per table */
	char *out = mig_path_join(dir, "out");
	mig_assert_ok(mig_model_write_dir(s, out));
	struct mig_strlist names = MIG_STRLIST_INIT;
	mig_assert_ok(mig_dir_list(out, NULL, &names));
	assert_int_equal(names.n, 5);
	assert_string_equal(names.v[0], "_schema.yaml");
	assert_string_equal(names.v[1], "billing.invoices.yaml");
	assert_string_equal(names.v[2], "billing.lines.yaml");
	assert_string_equal(names.v[3], "organisations.yaml");
	assert_string_equal(names.v[4], "users.yaml");
	mig_strlist_release(&names);
	char *text;
	char *p = mig_path_join(out, "organisations.yaml");
	mig_assert_ok(mig_file_read(p, &text, NULL));
	mig_assert_text(text, "tables:\n"
			      "  organisations:\n"
			      "    columns:\n"
			      "      id: {type: integer, nullable: false}\n"
			      "      name: varchar(100)\n"
			      "    primary_key: {name: pk_organisations, columns: [id]}\n");
	free(text);
	free(p);
	struct mig_strlist outs = MIG_STRLIST_INIT;
	mig_strlist_push(&outs, out);
	struct mig_schema *back = NULL;
	mig_assert_ok(mig_model_load(&outs, &back));
	struct mig_str d1 = MIG_STR_INIT, d2 = MIG_STR_INIT;
	dump_schema(&d1, s, false);
	dump_schema(&d2, back, false);
	/* files load in name order, which here is the schema's order */
	mig_assert_text(d2.buf, d1.buf);
	mig_str_release(&d1);
	mig_str_release(&d2);
	mig_schema_free(back);
	mig_strlist_release(&outs);
	free(out);
	mig_schema_free(s);
	mig_strlist_release(&paths);
	mig_test_rmtree(dir);
	free(dir);
}

static struct mig_column *add_column(struct mig_schema *s, struct mig_table *t, const char *name,
				     const char *type)
{
	struct mig_column c;
	memset(&c, 0, sizeof(c));
	c.name = mig_arena_strdup(&s->arena, name);
	c.nullable = true;
	mig_assert_ok(mig_type_parse(&s->arena, type, &c.type));
	mig_vec_push(&t->columns, c);
	return &t->columns.v[t->columns.n - 1];
}

static void add_elem(struct mig_index *ix, const char *column, const char *expr, bool desc)
{
	struct mig_index_elem e = { column, expr, desc };
	mig_vec_push(&ix->elems, e);
}

/* A schema built in code the way reflection builds one, with names and text
 * that YAML must quote, and what reflection gives that the loader never makes
 * by itself (unnamed constraints, interleaved index elements). */
static void test_model_round_trip_built(void **state)
{
	(void)state;
	struct mig_schema *s = mig_schema_new();
	struct mig_enum *e = mig_schema_add_enum(s, NULL, "mood");
	mig_vec_push(&e->values, "happy, really");
	mig_vec_push(&e->values, "null");
	mig_vec_push(&e->values, "- sad");

	struct mig_table *u = mig_schema_add_table(s, NULL, "yes");
	add_column(s, u, "on", "INTEGER");
	mig_vec_push(&u->pk.columns, "on");
	u->columns.v[0].primary_key = true;
	u->columns.v[0].nullable = false;
	u->columns.v[0].autoincrement = MIG_TRUE;

	struct mig_table *t = mig_schema_add_table(s, NULL, "Order Details");
	t->comment = "line one\nline two: \"quoted\"\t# not a comment";
	struct mig_column *c = add_column(s, t, "id", "INT");
	c->nullable = false;
	c->autoincrement = MIG_FALSE;
	c = add_column(s, t, "Unit Price", "NUMERIC");
	c->default_sql = "0";
	c = add_column(s, t, "quantity", "smallint");
	c->default_sql = "-1";
	c = add_column(s, t, "note", "NVARCHAR(40)");
	c->default_sql = "'it''s: #1'";
	c->collation = "NOCASE";
	c->comment = "caf\xc3\xa9 \xe2\x80\xa8 separated";
	c = add_column(s, t, "mood", "mood");
	c->type.kind = MIG_TYPE_ENUM;
	c->type.enum_name = "mood";
	c = add_column(s, t, "123", "BLOB SUB_TYPE TEXT");
	c = add_column(s, t, "~", "text");
	c->computed_sql = "upper(note)";
	c = add_column(s, t, "when", "DATETIME");
	c->default_sql = "(datetime('now'))";
	c = add_column(s, t, "yes_id", "integer");
	mig_vec_push(&t->pk.columns, "id");
	mig_vec_push(&t->pk.columns, "quantity");
	t->columns.v[0].primary_key = true;
	t->columns.v[2].primary_key = true;
	t->columns.v[2].nullable = false;

	struct mig_index ix;
	memset(&ix, 0, sizeof(ix));
	ix.name = "ix: mixed";
	add_elem(&ix, NULL, "lower(note)", true);
	add_elem(&ix, "id", NULL, false);
	add_elem(&ix, "quantity", NULL, true);
	ix.where = "note IS NOT NULL AND \"Unit Price\" > 0";
	mig_vec_push(&t->indexes, ix);
	memset(&ix, 0, sizeof(ix));
	ix.name = "true";
	ix.unique = true;
	add_elem(&ix, "quantity", NULL, true);
	add_elem(&ix, NULL, "note || '#'", false);
	mig_vec_push(&t->indexes, ix);

	struct mig_unique uq;
	memset(&uq, 0, sizeof(uq));
	mig_vec_push(&uq.columns, "Unit Price");
	mig_vec_push(&uq.columns, "note");
	mig_vec_push(&t->uniques, uq);

	struct mig_check ck = { NULL, "\"Unit Price\" >= (0)", NULL, { NULL, 0, 0 } };
	mig_vec_push(&t->checks, ck);
	struct mig_check ck2 = { "quantity: positive", "quantity > 0", NULL, { NULL, 0, 0 } };
	mig_vec_push(&t->checks, ck2);

	struct mig_foreign_key fk;
	memset(&fk, 0, sizeof(fk));
	mig_vec_push(&fk.columns, "yes_id");
	fk.ref_table = "yes";
	mig_vec_push(&fk.ref_columns, "on");
	fk.on_delete = MIG_FK_NO_ACTION;
	fk.on_update = MIG_FK_SET_DEFAULT;
	mig_vec_push(&t->fks, fk);

	struct mig_str out = MIG_STR_INIT;
	mig_model_write(&out, s);
	mig_assert_text(
	    out.buf,
	    "enums:\n"
	    "  mood: [\"happy, really\", \"null\", \"- sad\"]\n"
	    "tables:\n"
	    "  \"yes\":\n"
	    "    columns:\n"
	    "      \"on\": {type: integer, primary_key: true, autoincrement: true}\n"
	    "  Order Details:\n"
	    "    comment: \"line one\\nline two: \\\"quoted\\\"\\t# not a comment\"\n"
	    "    columns:\n"
	    "      id: {type: integer, nullable: false, autoincrement: false}\n"
	    "      Unit Price: {type: numeric, default: 0}\n"
	    "      quantity: {type: smallint, nullable: false, default: \"-1\"}\n"
	    "      note: {type: NVARCHAR(40), default: \"'it''s: #1'\", collation: NOCASE,"
	    " comment: \"caf\xc3\xa9 \\L separated\"}\n"
	    "      mood: mood\n"
	    "      123: BLOB SUB_TYPE TEXT\n"
	    "      \"~\": {type: text, computed: {sql: upper(note), stored: false}}\n"
	    "      when: {type: timestamp, default: \"(datetime('now'))\"}\n"
	    "      yes_id: integer\n"
	    "    primary_key: [id, quantity]\n"
	    "    indexes:\n"
	    "      - {name: \"ix: mixed\", expressions: [lower(note) DESC, id, quantity DESC],"
	    " where: \"note IS NOT NULL AND \\\"Unit Price\\\" > 0\"}\n"
	    "      - {name: \"true\", columns: [quantity DESC], expressions: [\"note || '#'\"],"
	    " unique: true}\n"
	    "    unique:\n"
	    "      - {columns: [Unit Price, note]}\n"
	    "    checks:\n"
	    "      - {sql: \"\\\"Unit Price\\\" >= (0)\"}\n"
	    "      - {name: \"quantity: positive\", sql: \"quantity > 0\"}\n"
	    "    foreign_keys:\n"
	    "      - {columns: [yes_id], references: {table: \"yes\", columns: [\"on\"]},"
	    " on_delete: no action, on_update: set default}\n");
	mig_str_release(&out);
	round_trip(s, "built.yaml");
	mig_schema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_good_folder),
		cmocka_unit_test(test_model_shorthand_and_defaults),
		cmocka_unit_test(test_model_check_naming),
		cmocka_unit_test(test_model_malformed),
		cmocka_unit_test(test_model_malformed_folder),
		cmocka_unit_test(test_model_all_problems_in_order),
		cmocka_unit_test(test_model_round_trip_loaded),
		cmocka_unit_test(test_model_round_trip_built),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
