/* Unit tests for lib/ops.c and lib/ops-apply.c: the op model, reading and
 * writing revision-file ops, applying ops to a schema and inverting them. */
#include "helpers.h"

#include "ops-yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static void parse_ok(const char *text, struct mig_oplist *l)
{
	mig_oplist_init(l);
	mig_assert_ok(mig_ops_parse_string("rev.yaml", text, l));
}

static char *write_ops(const struct mig_oplist *l, int indent)
{
	struct mig_str s = MIG_STR_INIT;
	mig_ops_write(&s, l, indent);
	return mig_str_detach(&s);
}

/* Parse text, write it; the written text must read back to the same text. */
static char *round_trip(const char *text, int indent)
{
	struct mig_oplist a, b;
	parse_ok(text, &a);
	char *w1 = write_ops(&a, indent);
	parse_ok(w1, &b);
	char *w2 = write_ops(&b, indent);
	if (strcmp(w1, w2) != 0) {
		fail_msg("written ops do not read back the same:\n%s\n---- then ----\n%s", w1, w2);
	}
	assert_int_equal(a.ops.n, b.ops.n);
	free(w2);
	mig_oplist_release(&a);
	mig_oplist_release(&b);
	return w1;
}

static void assert_round_trip(const char *text, const char *want)
{
	char *got = round_trip(text, 0);
	assert_string_equal(got, want);
	free(got);
}

static void assert_parse_fails(const char *text, const char *want)
{
	struct mig_oplist l;
	mig_oplist_init(&l);
	mig_assert_fails_with(mig_ops_parse_string("rev.yaml", text, &l), want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
	mig_oplist_release(&l);
}

static const char model_text[] =
	"naming_convention:\n"
	"  fk: \"fk_%(table)s_%(columns)s_%(ref_table)s\"\n"
	"enums:\n"
	"  order_status: [pending, paid, shipped]\n"
	"tables:\n"
	"  orgs:\n"
	"    columns:\n"
	"      id: {type: integer, primary_key: true}\n"
	"      name: {type: varchar(100), nullable: false}\n"
	"  users:\n"
	"    comment: Registered accounts\n"
	"    columns:\n"
	"      id: {type: integer, primary_key: true}\n"
	"      email: {type: varchar(255), nullable: false, collation: C}\n"
	"      org_id: {type: integer, references: orgs.id}\n"
	"      status: {type: order_status, nullable: false, default: \"'pending'\"}\n"
	"      nickname: {type: text, comment: shown to others}\n"
	"    indexes:\n"
	"      - {name: ix_users_org_id, columns: [org_id]}\n"
	"    unique:\n"
	"      - {name: uq_users_email, columns: [email]}\n"
	"    checks:\n"
	"      - {name: ck_users_email, sql: \"email LIKE '%@%'\"}\n";

static struct mig_schema *load_model(void)
{
	struct mig_schema *s = NULL;
	mig_assert_ok(mig_model_load_string("models.yaml", model_text, &s));
	return s;
}

static char *dump(const struct mig_schema *s)
{
	struct mig_str out = MIG_STR_INIT;
	mig_model_write(&out, s);
	return mig_str_detach(&out);
}

/* Apply the single op of text to s. */
static int apply_text(struct mig_schema *s, const char *text)
{
	struct mig_oplist l;
	parse_ok(text, &l);
	assert_int_equal(l.ops.n, 1);
	int rc = mig_schema_apply(s, &l.ops.v[0]);
	mig_oplist_release(&l);
	return rc;
}

static void apply_ok(struct mig_schema *s, const char *text)
{
	mig_assert_ok(apply_text(s, text));
}

/* The op of text fails on s with want, and leaves s as it was. */
static void assert_apply_fails(struct mig_schema *s, const char *text, const char *want)
{
	char *before = dump(s);
	mig_assert_fails_with(apply_text(s, text), want);
	char *after = dump(s);
	assert_string_equal(after, before);
	free(after);
	free(before);
}

/* ---- names ---- */

static void test_ops_kind_names(void **state)
{
	(void)state;
	for (int i = 0; i < MIG_OP_KIND_COUNT; i++) {
		enum mig_op_kind k;
		const char *name = mig_op_kind_name((enum mig_op_kind)i);
		assert_int_equal(mig_op_kind_parse(name, &k), 0);
		assert_int_equal(k, i);
	}
	enum mig_op_kind k;
	assert_string_equal(mig_op_kind_name(MIG_OP_CREATE_UNIQUE_CONSTRAINT),
			    "create_unique_constraint");
	assert_int_equal(mig_op_kind_parse("create_tabel", &k), MIG_ENOTFOUND);
	assert_int_equal(mig_op_kind_parse(NULL, &k), MIG_ENOTFOUND);
	assert_string_equal(mig_constraint_type_name(MIG_CONSTRAINT_FOREIGNKEY), "foreignkey");
}

/* ---- reading and writing ---- */

/* One op as written by hand, and as mig_ops_write writes it. */
static const struct {
	const char *in;
	const char *out;
} rt_cases[] = {
	{ "- create_table:\n"
	  "    name: users\n"
	  "    comment: Registered accounts\n"
	  "    columns:\n"
	  "      id:    {type: integer, primary_key: true}\n"
	  "      email: {type: varchar(255), nullable: false, unique: true, index: true}\n"
	  "      org_id: {type: integer, references: billing.orgs.id, on_delete: cascade}\n"
	  "      nick: text\n"
	  "    indexes:\n"
	  "      - {name: ix_users_lower_email, expressions: [\"lower(email)\"], unique: true, "
	  "where: \"email IS NOT NULL\"}\n"
	  "    checks:\n"
	  "      - {name: ck_nick, sql: \"length(nick) > 2\"}\n",
	  "- create_table:\n"
	  "    name: users\n"
	  "    comment: Registered accounts\n"
	  "    columns:\n"
	  "      id: {type: integer, primary_key: true}\n"
	  "      email: {type: varchar(255), nullable: false}\n"
	  "      org_id: integer\n"
	  "      nick: text\n"
	  "    indexes:\n"
	  "      - {name: ix_users_lower_email, expressions: [lower(email)], unique: true, where: "
	  "email IS NOT NULL}\n"
	  "      - {name: ix_users_email, columns: [email]}\n"
	  "    unique:\n"
	  "      - {columns: [email]}\n"
	  "    checks:\n"
	  "      - {name: ck_nick, sql: \"length(nick) > 2\"}\n"
	  "    foreign_keys:\n"
	  "      - {columns: [org_id], references: {table: billing.orgs, columns: [id]}, "
	  "on_delete: cascade}\n" },
	{ "- drop_table: {name: old}\n",
	  "- drop_table: {name: old}\n" },
	{ "- drop_table:\n"
	  "    name: billing.old2\n"
	  "    columns:\n"
	  "      a: integer\n"
	  "      b: {type: text, default: \"'x'\"}\n"
	  "    primary_key: {name: pk_old2, columns: [a, b]}\n",
	  "- drop_table:\n"
	  "    name: billing.old2\n"
	  "    columns:\n"
	  "      a: {type: integer, nullable: false}\n"
	  "      b: {type: text, nullable: false, default: \"'x'\"}\n"
	  "    primary_key: {name: pk_old2, columns: [a, b]}\n" },
	{ "- rename_table: {name: billing.a, new_name: b}\n",
	  "- rename_table: {name: billing.a, new_name: b}\n" },
	{ "- add_column: {table: users, column: {name: age, type: integer, default: \"0\"}}\n",
	  "- add_column: {table: users, column: {name: age, type: integer, default: 0}}\n" },
	{ "- drop_column: {table: users, column: age}\n",
	  "- drop_column: {table: users, column: age}\n" },
	{ "- drop_column: {table: users, column: {name: age, type: integer, nullable: false}}\n",
	  "- drop_column: {table: users, column: {name: age, type: integer, nullable: false}}\n" },
	{ "- alter_column: {table: users, column: email, type: varchar(320), existing_type: "
	  "varchar(255), existing_nullable: false}\n",
	  "- alter_column:\n"
	  "    table: users\n"
	  "    column: email\n"
	  "    type: varchar(320)\n"
	  "    existing_type: varchar(255)\n"
	  "    existing_nullable: false\n" },
	{ "- alter_column: {table: users, column: email, new_name: mail, nullable: true, "
	  "existing_nullable: false, default: null, existing_default: \"'a'\", comment: hello, "
	  "existing_comment: null, existing_autoincrement: false, existing_collation: C, "
	  "existing_server_onupdate: CURRENT_TIMESTAMP}\n",
	  "- alter_column:\n"
	  "    table: users\n"
	  "    column: email\n"
	  "    new_name: mail\n"
	  "    nullable: true\n"
	  "    existing_nullable: false\n"
	  "    default: null\n"
	  "    existing_default: \"'a'\"\n"
	  "    comment: hello\n"
	  "    existing_comment: null\n"
	  "    existing_autoincrement: false\n"
	  "    existing_collation: C\n"
	  "    existing_server_onupdate: CURRENT_TIMESTAMP\n" },
	{ "- alter_column: {table: s.users, column: code, type: integer, "
	  "postgresql_using: \"code::integer\"}\n",
	  "- alter_column: {table: s.users, column: code, type: integer, "
	  "postgresql_using: \"code::integer\"}\n" },
	{ "- create_index: {table: users, name: ix_users_email, columns: [email], unique: true}\n",
	  "- create_index: {table: users, name: ix_users_email, columns: [email], unique: "
	  "true}\n" },
	{ "- create_index: {table: users, name: ix2, columns: [email DESC, id], using: btree}\n",
	  "- create_index: {table: users, name: ix2, columns: [email DESC, id], using: btree}\n" },
	{ "- drop_index: {table: users, name: ix_users_email}\n",
	  "- drop_index: {table: users, name: ix_users_email}\n" },
	{ "- drop_index: {table: users, name: ix_users_email, columns: [email], unique: true}\n",
	  "- drop_index: {table: users, name: ix_users_email, columns: [email], unique: true}\n" },
	{ "- create_primary_key: {table: t, name: pk_t, columns: [a, b]}\n",
	  "- create_primary_key: {table: t, name: pk_t, columns: [a, b]}\n" },
	{ "- create_unique_constraint: {table: t, name: uq_t_a, columns: [a], deferrable: true}\n",
	  "- create_unique_constraint: {table: t, name: uq_t_a, columns: [a], deferrable: "
	  "true}\n" },
	{ "- create_check_constraint: {table: t, name: ck_pos, sql: \"a > 0\"}\n",
	  "- create_check_constraint: {table: t, name: ck_pos, sql: \"a > 0\"}\n" },
	{ "- create_foreign_key: {table: t, name: fk_t_o, columns: [o_id], references: {table: "
	  "s.o, columns: [id]}, on_delete: set null}\n",
	  "- create_foreign_key:\n"
	  "    table: t\n"
	  "    name: fk_t_o\n"
	  "    columns: [o_id]\n"
	  "    references: {table: s.o, columns: [id]}\n"
	  "    on_delete: set null\n" },
	{ "- drop_constraint: {table: t, name: uq_t_a, type: unique}\n",
	  "- drop_constraint: {table: t, name: uq_t_a, type: unique}\n" },
	{ "- drop_constraint: {table: t, type: primary}\n",
	  "- drop_constraint: {table: t, type: primary}\n" },
	{ "- drop_constraint: {table: t, type: unique, columns: [a, b]}\n",
	  "- drop_constraint: {table: t, type: unique, columns: [a, b]}\n" },
	{ "- drop_constraint: {table: t, name: ck_pos, type: check, sql: \"a > 0\"}\n",
	  "- drop_constraint: {table: t, name: ck_pos, type: check, sql: \"a > 0\"}\n" },
	{ "- drop_constraint: {table: t, name: fk_t_o, type: foreignkey, columns: [o_id], "
	  "references: {table: o, columns: [id]}}\n",
	  "- drop_constraint:\n"
	  "    table: t\n"
	  "    name: fk_t_o\n"
	  "    type: foreignkey\n"
	  "    columns: [o_id]\n"
	  "    references: {table: o, columns: [id]}\n" },
	{ "- create_table_comment: {table: t, comment: \"Hello: world\", existing_comment: null}\n",
	  "- create_table_comment: {table: t, comment: \"Hello: world\", existing_comment: "
	  "null}\n" },
	{ "- drop_table_comment: {table: t, existing_comment: old}\n",
	  "- drop_table_comment: {table: t, existing_comment: old}\n" },
	{ "- create_enum: {name: order_status, values: [pending, paid, \"null\"]}\n",
	  "- create_enum: {name: order_status, values: [pending, paid, \"null\"]}\n" },
	{ "- drop_enum: {name: s.order_status}\n",
	  "- drop_enum: {name: s.order_status}\n" },
	{ "- add_enum_value: {name: order_status, value: refunded, after: paid, if_not_exists: "
	  "true}\n",
	  "- add_enum_value: {name: order_status, value: refunded, after: paid, if_not_exists: "
	  "true}\n" },
	{ "- bulk_insert: {table: t, rows: [{id: 1, name: a, f: 1.5, b: true, x: null, s: \"12\", "
	  "t: \"true\", e: \"\"}, {id: -2, name: \"x y\", f: 1e3, b: False, x: ~, s: \"-3\", t: "
	  "yes, e: \"null\"}]}\n",
	  "- bulk_insert:\n"
	  "    table: t\n"
	  "    rows:\n"
	  "      - {id: 1, name: a, f: 1.5, b: true, x: null, s: '12', t: \"true\", e: \"\"}\n"
	  "      - {id: -2, name: x y, f: 1e3, b: false, x: null, s: '-3', t: \"yes\", "
	  "e: \"null\"}\n" },
	{ "- sql: \"UPDATE users SET age = 0 WHERE age IS NULL\"\n",
	  "- sql: UPDATE users SET age = 0 WHERE age IS NULL\n" },
	{ "- sql: {postgresql: \"SELECT 1\", mysql: \"SELECT 2\", sqlite: \"SELECT 3\"}\n",
	  "- sql: {postgresql: SELECT 1, mysql: SELECT 2, sqlite: SELECT 3}\n" },
	{ "- sql: |\n"
	  "    UPDATE users\n"
	  "      SET a = 1;\n",
	  "- sql: |\n"
	  "    UPDATE users\n"
	  "      SET a = 1;\n" },
	{ "- sql:\n"
	  "    postgresql: |-\n"
	  "      CREATE FUNCTION f() RETURNS int\n"
	  "      AS $$ SELECT 1 $$ LANGUAGE sql\n"
	  "    sqlite: \"SELECT 1\"\n",
	  "- sql:\n"
	  "    postgresql: |-\n"
	  "      CREATE FUNCTION f() RETURNS int\n"
	  "      AS $$ SELECT 1 $$ LANGUAGE sql\n"
	  "    sqlite: SELECT 1\n" },
	{ "- sql: \"line1\\n  \\nline2\"\n",
	  "- sql: \"line1\\n  \\nline2\"\n" },
};

/* Every op kind reads, writes in the §6 style and reads back the same. */
static void test_ops_round_trip_every_kind(void **state)
{
	(void)state;
	bool seen[MIG_OP_KIND_COUNT] = { false };
	struct mig_str all = MIG_STR_INIT;
	for (size_t i = 0; i < sizeof(rt_cases) / sizeof(rt_cases[0]); i++) {
		struct mig_oplist l;
		parse_ok(rt_cases[i].in, &l);
		assert_int_equal(l.ops.n, 1);
		seen[l.ops.v[0].kind] = true;
		mig_oplist_release(&l);
		assert_round_trip(rt_cases[i].in, rt_cases[i].out);
		mig_str_add(&all, rt_cases[i].in);
	}
	/* create_primary_key with its name left out, drop_table_comment alone */
	assert_round_trip("- create_primary_key: {table: t, columns: [id]}\n"
			  "- drop_table_comment: {table: t}\n"
			  "- drop_enum: {name: e, values: [a, b]}\n"
			  "- add_enum_value: {name: e, value: z, before: a}\n",
			  "- create_primary_key: {table: t, columns: [id]}\n"
			  "- drop_table_comment: {table: t}\n"
			  "- drop_enum: {name: e, values: [a, b]}\n"
			  "- add_enum_value: {name: e, value: z, before: a}\n");
	/* texts a literal block would not keep: the quoted form instead */
	assert_round_trip("- sql: \"SELECT 1\\n# not a note\"\n"
			  "- sql: \"  indented\\nSELECT 1\"\n"
			  "- sql: \"two\\nblank lines at the end\\n\\n\"\n"
			  "- sql: {sqlite: \"a\\nb\", mysql: \"SELECT 1\"}\n",
			  "- sql: \"SELECT 1\\n# not a note\"\n"
			  "- sql: \"  indented\\nSELECT 1\"\n"
			  "- sql: \"two\\nblank lines at the end\\n\\n\"\n"
			  "- sql:\n"
			  "    mysql: SELECT 1\n"
			  "    sqlite: |-\n"
			  "      a\n"
			  "      b\n");
	for (int k = 0; k < MIG_OP_KIND_COUNT; k++) {
		if (!seen[k]) {
			fail_msg("no round trip case for %s",
				 mig_op_kind_name((enum mig_op_kind)k));
		}
	}
	/* all at once, indented as under "upgrade:" */
	char *w = round_trip(all.buf, 1);
	assert_true(mig_starts_with(w, "  - create_table:\n      name: users\n"));
	free(w);
	mig_str_release(&all);
}

/* The example of DESIGN §6, under "upgrade:", with notes above ops. */
static void test_ops_write_design_example(void **state)
{
	(void)state;
	struct mig_oplist l;
	const char *text =
		"upgrade:\n"
		"  - create_table:\n"
		"      name: users\n"
		"      columns:\n"
		"        id:    {type: integer, primary_key: true}\n"
		"        email: {type: varchar(255), nullable: false}\n"
		"  # rename? users.nick -> users.age\n"
		"  #\n"
		"  #   (check before applying)\n"
		"  - add_column: {table: users, column: {name: age, type: integer, "
		"default: \"0\"}}\n"
		"  - alter_column: {table: users, column: email, type: varchar(320), "
		"existing_type: "
		"varchar(255), existing_nullable: false}\n"
		"  - create_index: {table: users, name: ix_users_email, columns: [email], unique: "
		"true}\n"
		"  - sql: \"UPDATE users SET age = 0 WHERE age IS NULL\"\n"
		"  - sql: {postgresql: \"SELECT 1\", mysql: \"SELECT 2\", sqlite: \"SELECT 3\"}\n";
	struct mig_diags diags = MIG_DIAGS_INIT;
	struct mig_ydoc d;
	mig_oplist_init(&l);
	mig_assert_ok(mig_ydoc_load(&d, "rev.yaml", text, strlen(text), &diags));
	mig_assert_ok(mig_ops_parse(&d, mig_ymap_get(&d, mig_ydoc_root(&d), "upgrade"), &l));
	mig_ops_read_notes(&l, 0, text);
	mig_ydoc_release(&d);
	mig_diags_release(&diags);
	assert_int_equal(l.ops.n, 6);
	assert_null(l.ops.v[0].note);
	assert_string_equal(l.ops.v[1].note, "rename? users.nick -> users.age\n\n  (check before "
					     "applying)");
	assert_string_equal(l.ops.v[1].pos.file, "rev.yaml");
	assert_int_equal(l.ops.v[1].pos.line, 10);
	assert_int_equal(l.ops.v[1].pos.column, 5);
	char *w = write_ops(&l, 1);
	assert_string_equal(w, "  - create_table:\n"
			       "      name: users\n"
			       "      columns:\n"
			       "        id: {type: integer, primary_key: true}\n"
			       "        email: {type: varchar(255), nullable: false}\n"
			       "  # rename? users.nick -> users.age\n"
			       "  #\n"
			       "  #   (check before applying)\n"
			       "  - add_column: {table: users, column: {name: age, type: integer, "
			       "default: 0}}\n"
			       "  - alter_column:\n"
			       "      table: users\n"
			       "      column: email\n"
			       "      type: varchar(320)\n"
			       "      existing_type: varchar(255)\n"
			       "      existing_nullable: false\n"
			       "  - create_index: {table: users, name: ix_users_email, columns: "
			       "[email], unique: true}\n"
			       "  - sql: UPDATE users SET age = 0 WHERE age IS NULL\n"
			       "  - sql: {postgresql: SELECT 1, mysql: SELECT 2, sqlite: SELECT "
			       "3}\n");
	free(w);
	mig_oplist_release(&l);
	/* notes read back through mig_ops_parse_string too */
	w = round_trip("# one\n- drop_table: {name: a}\n#two\n- drop_table: {name: b}\n", 0);
	assert_string_equal(w, "# one\n- drop_table: {name: a}\n# two\n- drop_table: {name: b}\n");
	free(w);
	/* a comment that ends the body of the op above is not a note */
	w = round_trip("- create_table:\n"
		       "    name: t\n"
		       "    columns:\n"
		       "      a: integer\n"
		       "      # b: text\n"
		       "  # not aligned with the op\n"
		       "# c\n"
		       "- drop_table: {name: u}\n",
		       0);
	assert_string_equal(w, "- create_table:\n"
			       "    name: t\n"
			       "    columns:\n"
			       "      a: integer\n"
			       "# c\n"
			       "- drop_table: {name: u}\n");
	free(w);
}

/* What the parser puts in the op structs. */
static void test_ops_parsed_fields(void **state)
{
	(void)state;
	struct mig_oplist l;
	parse_ok("- alter_column: {table: s.users, column: email, default: null, comment: x, "
		 "existing_default: \"'a'\", type: varchar(10), nullable: false}\n"
		 "- alter_column: {table: users, column: email, new_name: mail}\n"
		 "- create_foreign_key: {table: t, columns: [a], references: {table: s.o, "
		 "columns: [id]}}\n"
		 "- bulk_insert: {table: t, rows: [{a: 1, b: x, c: null, d: true, e: \"2\"}]}\n"
		 "- sql: {mysql: \"SELECT 2\", postgresql: \"SELECT 1\"}\n"
		 "- create_enum: {name: s.e, values: [a, b]}\n",
		 &l);
	assert_int_equal(l.ops.n, 6);
	const struct mig_op *op = &l.ops.v[0];
	assert_int_equal(op->kind, MIG_OP_ALTER_COLUMN);
	assert_string_equal(op->schema, "s");
	assert_string_equal(op->table, "users");
	assert_string_equal(op->column, "email");
	assert_true(op->alter.default_sql.set);
	assert_null(op->alter.default_sql.value);
	assert_true(op->alter.existing_default.set);
	assert_string_equal(op->alter.existing_default.value, "'a'");
	assert_true(op->alter.comment.set);
	assert_string_equal(op->alter.comment.value, "x");
	assert_false(op->alter.existing_comment.set);
	assert_int_equal(op->alter.type.kind, MIG_TYPE_VARCHAR);
	assert_int_equal(op->alter.type.length, 10);
	assert_false(mig_type_is_set(&op->alter.existing_type));
	assert_int_equal(op->alter.nullable, MIG_FALSE);
	assert_int_equal(op->alter.existing_nullable, MIG_UNSET);
	assert_int_equal(op->pos.line, 1);
	assert_int_equal(op->pos.column, 3);

	op = &l.ops.v[1];
	assert_null(op->schema);
	assert_string_equal(op->alter.new_name, "mail");
	assert_false(op->alter.default_sql.set);
	assert_false(mig_type_is_set(&op->alter.type));

	op = &l.ops.v[2];
	assert_int_equal(op->constraint, MIG_CONSTRAINT_FOREIGNKEY);
	assert_null(op->name);
	assert_string_equal(op->fk->ref_schema, "s");
	assert_string_equal(op->fk->ref_table, "o");

	op = &l.ops.v[3];
	assert_int_equal(op->columns.n, 5);
	assert_int_equal(op->rows.n, 1);
	const struct mig_value *row = op->rows.v[0];
	assert_int_equal(row[0].kind, MIG_VALUE_NUMBER);
	assert_string_equal(row[0].text, "1");
	assert_int_equal(row[1].kind, MIG_VALUE_STRING);
	assert_int_equal(row[2].kind, MIG_VALUE_NULL);
	assert_null(row[2].text);
	assert_int_equal(row[3].kind, MIG_VALUE_BOOL);
	assert_string_equal(row[3].text, "true");
	assert_int_equal(row[4].kind, MIG_VALUE_STRING);
	assert_string_equal(row[4].text, "2");

	op = &l.ops.v[4];
	const char *sql;
	assert_null(op->sql);
	mig_assert_ok(mig_op_sql_text(op, "postgresql", &sql));
	assert_string_equal(sql, "SELECT 1");
	mig_assert_ok(mig_op_sql_text(op, "mysql", &sql));
	assert_string_equal(sql, "SELECT 2");
	mig_assert_fails_with(mig_op_sql_text(op, "sqlite", &sql),
			      "rev.yaml:5:3: sql has no text for dialect 'sqlite' (it has: "
			      "postgresql, mysql)");

	op = &l.ops.v[5];
	assert_string_equal(op->schema, "s");
	assert_string_equal(op->name, "e");
	assert_int_equal(op->enum_values.n, 2);
	mig_oplist_release(&l);

	/* a generic text serves every dialect; an empty or null list has no ops */
	parse_ok("- sql: SELECT 1\n", &l);
	mig_assert_ok(mig_op_sql_text(&l.ops.v[0], "sqlite", &sql));
	assert_string_equal(sql, "SELECT 1");
	mig_oplist_release(&l);
	parse_ok("[]\n", &l);
	assert_int_equal(l.ops.n, 0);
	mig_oplist_release(&l);
	parse_ok("", &l);
	assert_int_equal(l.ops.n, 0);
	char *w = write_ops(&l, 1);
	assert_string_equal(w, "");
	free(w);
	mig_oplist_release(&l);
}

/* ---- malformed op lists ---- */

static const struct {
	const char *text;
	const char *message;
} bad_cases[] = {
	{ "- create_tabel: {name: x}\n",
	  "rev.yaml:1:3: unknown op 'create_tabel' (did you mean 'create_table'?)" },
	{ "- frobnicate: {}\n",
	  "rev.yaml:1:3: unknown op 'frobnicate' (expected one of: create_table, drop_table, "
	  "rename_table, add_column, drop_column, alter_column, create_index, drop_index, "
	  "create_primary_key, create_unique_constraint, create_check_constraint, "
	  "create_foreign_key, drop_constraint, create_table_comment, drop_table_comment, "
	  "create_enum, drop_enum, add_enum_value, bulk_insert, sql)" },
	{ "- add_column:\n"
	  "    table: users\n"
	  "    column: {name: age, type: integer, nullabel: true}\n",
	  "rev.yaml:3:40: unknown key 'nullabel' in column 'age' (expected one of: type, "
	  "nullable, primary_key, unique, index, default, autoincrement, identity, computed, "
	  "references, on_delete, on_update, deferrable, initially_deferred, collation, "
	  "comment, server_onupdate, name)" },
	{ "- add_column: {table: users, colunm: {name: age, type: integer}}\n",
	  "rev.yaml:1:15: add_column needs 'column'\n"
	  "rev.yaml:1:30: unknown key 'colunm' in add_column (expected one of: table, column)" },
	{ "- add_column: {column: {name: age, type: integer}}\n",
	  "rev.yaml:1:15: add_column needs 'table'" },
	{ "- add_column: {table: users, column: age}\n",
	  "rev.yaml:1:38: 'column' of add_column must be a column mapping with 'name' and "
	  "'type'" },
	{ "- add_column: {table: users, column: {name: age, type: \"varchar(x)\"}}\n",
	  "rev.yaml:1:56: invalid type 'varchar(x)'" },
	{ "- alter_column: {table: t, column: c, existing_type: \"numeric(a)\", nullable: "
	  "false}\n",
	  "rev.yaml:1:54: invalid type 'numeric(a)'" },
	{ "- drop_constraint: {table: t, name: x}\n",
	  "rev.yaml:1:20: drop_constraint needs 'type' (primary, unique, check or foreignkey)" },
	{ "- drop_constraint: {table: t, name: x, type: index}\n",
	  "rev.yaml:1:46: 'type' must be primary, unique, check or foreignkey, not 'index'" },
	{ "- drop_constraint: {table: t, type: unique}\n",
	  "rev.yaml:1:20: drop_constraint needs 'name' (or, for an unnamed constraint, its "
	  "definition)" },
	{ "- drop_constraint: {table: t, name: ck, type: check, columns: [a]}\n",
	  "rev.yaml:1:54: unknown key 'columns' in drop_constraint (expected one of: table, "
	  "name, type, sql)" },
	{ "- sql: {postgresql: \"SELECT 1\", oracle: \"SELECT 2\"}\n",
	  "rev.yaml:1:33: unknown key 'oracle' in sql (expected one of: postgresql, mysql, "
	  "sqlite)" },
	{ "- sql: null\n", "rev.yaml:1:8: 'sql' must be a non-empty string" },
	{ "- sql: [SELECT 1]\n",
	  "rev.yaml:1:8: sql takes a SQL text, or a mapping of dialect (postgresql, mysql, "
	  "sqlite) to SQL text" },
	{ "- add_column: {table: users, column: {name: a, type: int}}\n"
	  "  drop_column: {table: users, column: a}\n",
	  "rev.yaml:1:3: an op is a mapping with one key, the op's name (found 2: add_column, "
	  "drop_column); start each op with its own '- '" },
	{ "- create_index: {table: t, name: ix, columns: [a], unique: maybe}\n",
	  "rev.yaml:1:60: 'unique' must be true or false, not 'maybe'" },
	{ "- add_enum_value: {name: e, value: v, if_not_exists: 2}\n",
	  "rev.yaml:1:54: 'if_not_exists' must be true or false, not '2'" },
	{ "- drop_table\n", "rev.yaml:1:3: drop_table needs its arguments, like '- drop_table: "
			    "{…}'" },
	{ "- drop_table: users\n",
	  "rev.yaml:1:15: drop_table takes a mapping of arguments, like '- drop_table: {…}'" },
	{ "- {}\n", "rev.yaml:1:3: an op must be a mapping of the op's name to its arguments, like "
		    "'- drop_table: {name: users}'" },
	{ "- create_table: {name: t}\n", "rev.yaml:1:17: table 't' needs 'columns'" },
	{ "- alter_column: {table: t, column: c}\n",
	  "rev.yaml:1:17: alter_column changes nothing (give type, nullable, default, comment or "
	  "new_name)" },
	{ "- alter_column: {table: t, column: c, postgresql_using: x, nullable: false}\n",
	  "rev.yaml:1:57: 'postgresql_using' goes with a type change ('type')" },
	{ "- alter_column: {table: t, column: c, default: [1]}\n",
	  "rev.yaml:1:48: 'default' must be a string or null" },
	{ "- add_enum_value: {name: e, value: v, before: a, after: b}\n",
	  "rev.yaml:1:57: add_enum_value takes 'before' or 'after', not both" },
	{ "- create_enum: {name: e, values: [a, a]}\n",
	  "rev.yaml:1:34: enum 'e' lists 'a' twice" },
	{ "- create_enum: {name: e, values: a}\n",
	  "rev.yaml:1:34: 'values' must be a non-empty list of names" },
	{ "- rename_table: {name: a, new_name: s.b}\n",
	  "rev.yaml:1:37: 'new_name' must be a bare table name (a table stays in its schema)" },
	{ "- drop_index: {table: t}\n", "rev.yaml:1:15: drop_index needs 'name'" },
	{ "- create_index: {table: t, columns: [a]}\n",
	  "rev.yaml:1:17: create_index needs 'name'" },
	{ "- create_table_comment: {table: t, comment: null}\n",
	  "rev.yaml:1:45: 'comment' must be a string (drop_table_comment removes a comment)" },
	{ "- drop_column: {table: t, column: {type: integer}}\n",
	  "rev.yaml:1:35: column needs a name" },
	{ "- create_foreign_key: {table: t, columns: [a, b], references: {table: o, columns: "
	  "[id]}}\n",
	  "rev.yaml:1:23: foreign key has 2 columns but references 1" },
	{ "- bulk_insert: {table: t, rows: []}\n",
	  "rev.yaml:1:33: 'rows' must be a non-empty list of mappings of column names to values" },
	{ "- bulk_insert: {table: t, rows: [{a: 1, b: 2}, {a: 1}, {a: 1, b: 2, c: 3}, {a: [1], "
	  "b: 1}]}\n",
	  "rev.yaml:1:48: row 2 of bulk_insert has no 'b' (every row gives the same columns)\n"
	  "rev.yaml:1:69: unknown key 'c' in row 3 of bulk_insert (expected one of: a, b)\n"
	  "rev.yaml:1:80: value of 'a' must be a scalar (a string, a number, true, false or "
	  "null)" },
	{ "create_table: {name: t}\n",
	  "rev.yaml:1:1: an op list must be a list of ops, like '- drop_table: {name: users}'" },
	{ "- drop_table: {name: [a]}\n", "rev.yaml:1:22: 'name' must be a non-empty string" },
	{ "- drop_constraint: {table: t, name: x, type: bogus, colour: red}\n",
	  "rev.yaml:1:46: 'type' must be primary, unique, check or foreignkey, not 'bogus'\n"
	  "rev.yaml:1:53: unknown key 'colour' in drop_constraint (expected one of: table, name, "
	  "type, columns, deferrable, sql, references, on_delete, on_update, "
	  "initially_deferred)" },
};

static void test_ops_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		assert_parse_fails(bad_cases[i].text, bad_cases[i].message);
	}
}

/* One file with many problems: all are reported, in file order, and the good
 * ops still parse. */
static void test_ops_malformed_all_reported(void **state)
{
	(void)state;
	struct mig_oplist l;
	mig_oplist_init(&l);
	mig_assert_fails_with(
		mig_ops_parse_string("rev.yaml",
				     "- drop_table: {name: a}\n"
				     "- create_tabel:\n"
				     "    name: x\n"
				     "- add_column: {table: users, column: {name: age, typ: int}}\n"
				     "- drop_constraint: {table: t, name: x, type: unique_key}\n"
				     "- drop_index: {table: users, name: ix}\n"
				     "- sql: {sqlite: \"SELECT 1\", db2: \"x\"}\n"
				     "- alter_column: {table: t, column: c, nullable: perhaps}\n",
				     &l),
		"rev.yaml:2:3: unknown op 'create_tabel' (did you mean 'create_table'?)\n"
		"rev.yaml:4:38: column 'age' needs 'type'\n"
		"rev.yaml:4:50: unknown key 'typ' in column 'age' (expected one of: type, "
		"nullable, "
		"primary_key, unique, index, default, autoincrement, identity, computed, "
		"references, on_delete, on_update, deferrable, initially_deferred, collation, "
		"comment, server_onupdate, name)\n"
		"rev.yaml:5:46: 'type' must be primary, unique, check or foreignkey, not "
		"'unique_key'\n"
		"rev.yaml:7:29: unknown key 'db2' in sql (expected one of: postgresql, mysql, "
		"sqlite)\n"
		"rev.yaml:8:49: 'nullable' must be true or false, not 'perhaps'");
	assert_int_equal(l.ops.n, 2);
	assert_int_equal(l.ops.v[0].kind, MIG_OP_DROP_TABLE);
	assert_int_equal(l.ops.v[1].kind, MIG_OP_DROP_INDEX);
	mig_oplist_release(&l);
}

/* "upgrade:" that is not a list is named in the message. */
static void test_ops_list_not_a_list(void **state)
{
	(void)state;
	const char *text = "revision: abc\nupgrade: {drop_table: {name: a}}\ndowngrade:\n";
	struct mig_diags diags = MIG_DIAGS_INIT;
	struct mig_ydoc d;
	struct mig_oplist l;
	mig_oplist_init(&l);
	mig_assert_ok(mig_ydoc_load(&d, "versions/abc.yaml", text, strlen(text), &diags));
	yaml_node_t *root = mig_ydoc_root(&d);
	/* null is an empty list */
	assert_int_equal(mig_ops_parse(&d, mig_ymap_get(&d, root, "downgrade"), &l), 0);
	assert_int_equal(mig_ops_parse(&d, mig_ymap_get(&d, root, "upgrade"), &l), MIG_ERROR);
	mig_assert_fails_with(mig_diags_finish(&diags),
			      "versions/abc.yaml:2:10: 'upgrade' must be a list of ops, like '- "
			      "drop_table: {name: users}'");
	assert_int_equal(l.ops.n, 0);
	mig_ydoc_release(&d);
	mig_diags_release(&diags);
	mig_oplist_release(&l);
}

/* ---- applying ---- */

static void test_ops_apply_tables(void **state)
{
	(void)state;
	struct mig_schema *s = load_model();
	apply_ok(s, "- create_table:\n"
		    "    name: billing.invoices\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      user_id: {type: integer, references: users.id}\n"
		    "      status: {type: order_status, nullable: false}\n"
		    "      total: numeric(10,2)\n");
	struct mig_table *t = mig_schema_find_table(s, "billing", "invoices");
	assert_non_null(t);
	assert_int_equal(t->columns.n, 4);
	assert_int_equal(t->pk.columns.n, 1);
	assert_string_equal(t->pk.columns.v[0], "id");
	assert_int_equal(t->fks.n, 1);
	assert_string_equal(t->fks.v[0].ref_table, "users");
	assert_int_equal(t->columns.v[2].type.kind, MIG_TYPE_ENUM);
	assert_string_equal(t->columns.v[2].type.enum_name, "order_status");
	assert_apply_fails(s, "- create_table: {name: users, columns: {id: integer}}\n",
			   "rev.yaml:1:3: create_table: table 'users' exists already");

	/* rename follows the foreign keys that point at the table */
	apply_ok(s, "- rename_table: {name: orgs, new_name: organisations}\n");
	assert_null(mig_schema_find_table(s, NULL, "orgs"));
	t = mig_schema_find_table(s, NULL, "users");
	assert_string_equal(t->fks.v[0].ref_table, "organisations");
	assert_apply_fails(s, "- rename_table: {name: orgs, new_name: x}\n",
			   "rev.yaml:1:3: rename_table: no table 'orgs'");
	assert_apply_fails(s, "- rename_table: {name: users, new_name: organisations}\n",
			   "rev.yaml:1:3: rename_table: table 'organisations' exists already");
	assert_int_equal(apply_text(s, "- drop_table: {name: nope}\n"), MIG_ENOTFOUND);
	assert_string_equal(mig_error_last(), "rev.yaml:1:3: drop_table: no table 'nope'");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
	apply_ok(s, "- drop_table: {name: billing.invoices}\n");
	assert_null(mig_schema_find_table(s, "billing", "invoices"));
	assert_int_equal(s->tables.n, 2);

	apply_ok(s, "- create_table_comment: {table: organisations, comment: Customers}\n");
	assert_string_equal(mig_schema_find_table(s, NULL, "organisations")->comment, "Customers");
	apply_ok(s, "- drop_table_comment: {table: users}\n");
	assert_null(mig_schema_find_table(s, NULL, "users")->comment);
	assert_apply_fails(s, "- drop_table_comment: {table: x}\n",
			   "rev.yaml:1:3: drop_table_comment: no table 'x'");
	mig_schema_free(s);
}

static void add_object(struct mig_schema *s, enum mig_object_kind kind, const char *schema,
		       const char *name, const char *detail, const char *sql)
{
	struct mig_object o = { kind };
	o.schema = mig_arena_strdup(&s->arena, schema);
	o.name = mig_arena_strdup(&s->arena, name);
	o.detail = mig_arena_strdup(&s->arena, detail);
	o.sql = mig_arena_strdup(&s->arena, sql);
	mig_vec_push(&s->objects, o);
}

/* "name:detail" of each object, one a line. */
static char *objects(const struct mig_schema *s)
{
	struct mig_str out = MIG_STR_INIT;
	for (size_t i = 0; i < s->objects.n; i++) {
		const struct mig_object *o = &s->objects.v[i];
		mig_str_addf(&out, "%s:%s\n", o->name, o->detail ? o->detail : "-");
	}
	return mig_str_detach(&out);
}

#define assert_objects(s, want)                                                                    \
	do {                                                                                       \
		char *got_ = objects(s);                                                           \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

/* Triggers and partitions, recorded by reflection with the table they belong
 * to (SQLite and MySQL: its name; PostgreSQL: schema.name), follow a renamed
 * table and go with a dropped one, so that a later SQLite rebuild neither
 * loses nor brings back a trigger. */
static void test_ops_apply_table_objects(void **state)
{
	(void)state;
	struct mig_schema *s = load_model();
	apply_ok(s, "- create_table: {name: billing.invoices, columns: {id: integer}}\n");
	add_object(s, MIG_OBJ_TRIGGER, NULL, "trg_users", "users",
		   "CREATE TRIGGER trg_users AFTER INSERT ON users BEGIN SELECT 1; END");
	add_object(s, MIG_OBJ_TRIGGER, NULL, "trg_orgs", "ORGS",
		   "CREATE TRIGGER trg_orgs AFTER INSERT ON ORGS BEGIN SELECT 1; END");
	add_object(s, MIG_OBJ_TRIGGER, "public", "pg_trg_users", "public.users", NULL);
	add_object(s, MIG_OBJ_PARTITION, "public", "users_2026", "public.users", NULL);
	add_object(s, MIG_OBJ_TRIGGER, "billing", "trg_invoices", "billing.invoices", NULL);
	add_object(s, MIG_OBJ_TRIGGER, NULL, "trg_users_other", "users_other", NULL);
	add_object(s, MIG_OBJ_VIEW, NULL, "v_users", NULL, NULL);

	apply_ok(s, "- rename_table: {name: users, new_name: members}\n");
	apply_ok(s, "- rename_table: {name: billing.invoices, new_name: bills}\n");
	assert_objects(s, "trg_users:members\n"
			  "trg_orgs:ORGS\n"
			  "pg_trg_users:public.members\n"
			  "users_2026:public.members\n"
			  "trg_invoices:billing.bills\n"
			  "trg_users_other:users_other\n"
			  "v_users:-\n");
	/* the SQL stays as reflected: the runner reads it again */
	assert_string_equal(s->objects.v[0].sql,
			    "CREATE TRIGGER trg_users AFTER INSERT ON users BEGIN SELECT 1; END");

	apply_ok(s, "- drop_table: {name: members}\n");
	assert_objects(s, "trg_orgs:ORGS\n"
			  "trg_invoices:billing.bills\n"
			  "trg_users_other:users_other\n"
			  "v_users:-\n");
	/* a table of the same name, created again, has no trigger */
	apply_ok(s, "- create_table: {name: members, columns: {id: integer}}\n");
	apply_ok(s, "- drop_table: {name: orgs}\n");
	apply_ok(s, "- drop_table: {name: billing.bills}\n");
	assert_objects(s, "trg_users_other:users_other\nv_users:-\n");
	/* an op that fails changes nothing */
	assert_apply_fails(s, "- drop_table: {name: users_other_missing}\n",
			   "rev.yaml:1:3: drop_table: no table 'users_other_missing'");
	assert_objects(s, "trg_users_other:users_other\nv_users:-\n");
	mig_schema_free(s);
}

static void test_ops_apply_columns(void **state)
{
	(void)state;
	struct mig_schema *s = load_model();
	struct mig_table *t = mig_schema_find_table(s, NULL, "users");
	/* column shorthands land in the table's lists */
	apply_ok(s, "- add_column: {table: users, column: {name: ref_id, type: integer, unique: "
		    "true, index: true, references: orgs.id, on_delete: cascade}}\n");
	struct mig_column *c = mig_table_find_column(t, "ref_id");
	assert_non_null(c);
	assert_false(c->unique || c->index || c->ref_table);
	assert_int_equal(t->uniques.n, 2);
	assert_null(t->uniques.v[1].name);
	assert_string_equal(t->uniques.v[1].columns.v[0], "ref_id");
	assert_int_equal(t->indexes.n, 2);
	assert_string_equal(t->indexes.v[1].name, "ix_users_ref_id");
	assert_int_equal(t->fks.n, 2);
	assert_string_equal(t->fks.v[1].name, "fk_users_ref_id_orgs");
	assert_int_equal(t->fks.v[1].on_delete, MIG_FK_CASCADE);
	assert_apply_fails(s, "- add_column: {table: users, column: {name: email, type: text}}\n",
			   "rev.yaml:1:3: add_column: table 'users' has a column 'email' already");
	assert_apply_fails(s, "- add_column: {table: users, column: {name: k, type: integer, "
			      "primary_key: true}}\n",
			   "rev.yaml:1:3: add_column: table 'users' has a primary key already");

	/* a dropped column takes its indexes and constraints with it */
	apply_ok(s, "- drop_column: {table: users, column: ref_id}\n");
	assert_null(mig_table_find_column(t, "ref_id"));
	assert_int_equal(t->uniques.n, 1);
	assert_int_equal(t->indexes.n, 1);
	assert_int_equal(t->fks.n, 1);
	assert_apply_fails(s, "- drop_column: {table: users, column: nope}\n",
			   "rev.yaml:1:3: drop_column: table 'users' has no column 'nope'");
	assert_apply_fails(s, "- drop_column: {table: orgs, column: id}\n",
			   "rev.yaml:1:3: drop_column: column 'orgs.id' is referenced by foreign "
			   "key 'fk_users_org_id_orgs' of table 'users'");
	apply_ok(s, "- drop_column: {table: users, column: email}\n");
	assert_int_equal(t->uniques.n, 0);
	assert_int_equal(t->columns.n, 4);

	/* alter: type, nullable, default, comment, rename everywhere it is named */
	apply_ok(s, "- alter_column: {table: users, column: nickname, type: varchar(40), "
		    "nullable: false, default: \"'anon'\", comment: null}\n");
	c = mig_table_find_column(t, "nickname");
	assert_int_equal(c->type.kind, MIG_TYPE_VARCHAR);
	assert_int_equal(c->type.length, 40);
	assert_false(c->nullable);
	assert_string_equal(c->default_sql, "'anon'");
	assert_null(c->comment);
	apply_ok(s, "- alter_column: {table: users, column: nickname, default: null}\n");
	assert_null(c->default_sql);
	apply_ok(s, "- alter_column: {table: orgs, column: id, new_name: org_key}\n");
	struct mig_table *o = mig_schema_find_table(s, NULL, "orgs");
	assert_string_equal(o->pk.columns.v[0], "org_key");
	assert_string_equal(t->fks.v[0].ref_columns.v[0], "org_key");
	apply_ok(s, "- alter_column: {table: users, column: org_id, new_name: organisation_id}\n");
	assert_string_equal(t->indexes.v[0].elems.v[0].column, "organisation_id");
	assert_string_equal(t->fks.v[0].columns.v[0], "organisation_id");
	apply_ok(s, "- alter_column: {table: users, column: nickname, type: order_status}\n");
	assert_int_equal(c->type.kind, MIG_TYPE_ENUM);
	assert_apply_fails(s, "- alter_column: {table: users, column: status, new_name: id}\n",
			   "rev.yaml:1:3: alter_column: table 'users' has a column 'id' already");
	assert_apply_fails(s, "- alter_column: {table: users, column: id, nullable: true}\n",
			   "rev.yaml:1:3: alter_column: column 'id' is part of the primary key "
			   "and cannot be nullable");
	assert_apply_fails(s, "- alter_column: {table: nope, column: id, nullable: true}\n",
			   "rev.yaml:1:3: alter_column: no table 'nope'");
	mig_schema_free(s);
}

static void test_ops_apply_indexes_and_constraints(void **state)
{
	(void)state;
	struct mig_schema *s = load_model();
	struct mig_table *t = mig_schema_find_table(s, NULL, "users");
	apply_ok(s, "- create_index: {table: users, name: ix_users_lower, expressions: "
		    "[\"lower(email)\"], unique: true}\n");
	assert_int_equal(t->indexes.n, 2);
	assert_string_equal(t->indexes.v[1].elems.v[0].expression, "lower(email)");
	assert_apply_fails(s, "- create_index: {table: users, name: ix_users_org_id, columns: "
			      "[email]}\n",
			   "rev.yaml:1:3: create_index: table 'users' has an index "
			   "'ix_users_org_id' already");
	assert_apply_fails(s, "- create_index: {table: users, name: ix_x, columns: [mail]}\n",
			   "rev.yaml:1:3: create_index: table 'users' has no column 'mail'");
	apply_ok(s, "- drop_index: {table: users, name: ix_users_org_id}\n");
	assert_int_equal(t->indexes.n, 1);
	assert_int_equal(apply_text(s, "- drop_index: {table: users, name: ix_users_org_id}\n"),
			 MIG_ENOTFOUND);
	assert_string_equal(mig_error_last(), "rev.yaml:1:3: drop_index: no index "
					      "'ix_users_org_id' on table 'users'");

	/* primary keys */
	assert_apply_fails(s, "- create_primary_key: {table: users, columns: [email]}\n",
			   "rev.yaml:1:3: create_primary_key: table 'users' has a primary key "
			   "already");
	apply_ok(s, "- drop_constraint: {table: users, type: primary}\n");
	assert_int_equal(t->pk.columns.n, 0);
	assert_false(mig_table_find_column(t, "id")->primary_key);
	assert_apply_fails(s, "- drop_constraint: {table: users, type: primary}\n",
			   "rev.yaml:1:3: drop_constraint: table 'users' has no primary key");
	assert_apply_fails(s, "- create_primary_key: {table: users, columns: [id, x]}\n",
			   "rev.yaml:1:3: create_primary_key: table 'users' has no column 'x'");
	apply_ok(s, "- create_primary_key: {table: users, name: pk_users, columns: [id, email]}\n");
	assert_string_equal(t->pk.name, "pk_users");
	assert_int_equal(t->pk.columns.n, 2);
	assert_true(mig_table_find_column(t, "email")->primary_key);

	/* unique, check, foreign key */
	apply_ok(s, "- create_unique_constraint: {table: users, name: uq_nick, columns: "
		    "[nickname, org_id]}\n");
	assert_int_equal(t->uniques.n, 2);
	assert_apply_fails(s, "- create_unique_constraint: {table: users, name: uq_nick, "
			      "columns: [email]}\n",
			   "rev.yaml:1:3: create_unique_constraint: table 'users' has a unique "
			   "constraint 'uq_nick' already");
	apply_ok(s, "- create_check_constraint: {table: users, name: ck_nick, sql: "
		    "\"length(nickname) > 1\"}\n");
	assert_int_equal(t->checks.n, 2);
	assert_apply_fails(s, "- create_check_constraint: {table: users, name: ck_nick, sql: "
			      "x}\n",
			   "rev.yaml:1:3: create_check_constraint: table 'users' has a check "
			   "constraint 'ck_nick' already");
	apply_ok(s, "- create_foreign_key: {table: users, name: fk_self, columns: [org_id], "
		    "references: {table: orgs, columns: [id]}, on_update: restrict}\n");
	assert_int_equal(t->fks.n, 2);
	assert_int_equal(t->fks.v[1].on_update, MIG_FK_RESTRICT);
	assert_apply_fails(s, "- create_foreign_key: {table: users, name: fk_self, columns: "
			      "[org_id], references: {table: orgs, columns: [id]}}\n",
			   "rev.yaml:1:3: create_foreign_key: table 'users' has a foreign key "
			   "'fk_self' already");
	apply_ok(s, "- drop_constraint: {table: users, name: uq_nick, type: unique}\n");
	apply_ok(s, "- drop_constraint: {table: users, type: unique, columns: [email]}\n");
	assert_int_equal(t->uniques.n, 0);
	apply_ok(s, "- drop_constraint: {table: users, name: ck_nick, type: check}\n");
	assert_int_equal(t->checks.n, 1);
	apply_ok(s, "- drop_constraint: {table: users, name: fk_self, type: foreignkey}\n");
	assert_int_equal(t->fks.n, 1);
	assert_int_equal(apply_text(s, "- drop_constraint: {table: users, name: fk_self, type: "
				       "foreignkey}\n"),
			 MIG_ENOTFOUND);
	assert_string_equal(mig_error_last(), "rev.yaml:1:3: drop_constraint: no foreign key "
					      "'fk_self' on table 'users'");
	assert_apply_fails(s, "- drop_constraint: {table: users, type: check, sql: \"x > 1\"}\n",
			   "rev.yaml:1:3: drop_constraint: no such unnamed check constraint on "
			   "table 'users'");
	/* a unique constraint kept as a unique index (MySQL) */
	apply_ok(s, "- create_index: {table: users, name: uq_as_index, columns: [email], unique: "
		    "true}\n");
	apply_ok(s, "- drop_constraint: {table: users, name: uq_as_index, type: unique}\n");
	assert_null(mig_table_find_index(t, "uq_as_index"));
	mig_schema_free(s);
}

static void test_ops_apply_enums_and_data(void **state)
{
	(void)state;
	struct mig_schema *s = load_model();
	apply_ok(s, "- create_enum: {name: mood, values: [sad, ok]}\n");
	struct mig_enum *e = mig_schema_find_enum(s, NULL, "mood");
	assert_int_equal(e->values.n, 2);
	assert_apply_fails(s, "- create_enum: {name: mood, values: [x]}\n",
			   "rev.yaml:1:3: create_enum: enum 'mood' exists already");
	apply_ok(s, "- add_enum_value: {name: mood, value: happy}\n");
	apply_ok(s, "- add_enum_value: {name: mood, value: meh, before: ok}\n");
	apply_ok(s, "- add_enum_value: {name: mood, value: glum, after: sad}\n");
	apply_ok(s, "- add_enum_value: {name: mood, value: ok, if_not_exists: true}\n");
	e = mig_schema_find_enum(s, NULL, "mood");
	assert_int_equal(e->values.n, 5);
	const char *want[] = { "sad", "glum", "meh", "ok", "happy" };
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(e->values.v[i], want[i]);
	}
	assert_apply_fails(s, "- add_enum_value: {name: mood, value: ok}\n",
			   "rev.yaml:1:3: add_enum_value: enum 'mood' has the value 'ok' already");
	assert_apply_fails(s, "- add_enum_value: {name: mood, value: x, after: fine}\n",
			   "rev.yaml:1:3: add_enum_value: enum 'mood' has no value 'fine'");
	assert_apply_fails(s, "- add_enum_value: {name: feeling, value: x}\n",
			   "rev.yaml:1:3: add_enum_value: no enum 'feeling'");
	assert_apply_fails(s, "- drop_enum: {name: order_status}\n",
			   "rev.yaml:1:3: drop_enum: enum 'order_status' is the type of column "
			   "'users.status'");
	apply_ok(s, "- drop_enum: {name: mood}\n");
	assert_null(mig_schema_find_enum(s, NULL, "mood"));
	assert_apply_fails(s, "- drop_enum: {name: mood}\n", "rev.yaml:1:3: drop_enum: no enum "
							     "'mood'");

	/* data and raw SQL leave the schema as it is */
	char *before = dump(s);
	assert_int_equal(apply_text(s, "- bulk_insert: {table: orgs, rows: [{id: 1, name: a}]}\n"),
			 0);
	assert_apply_fails(s, "- bulk_insert: {table: orgs, rows: [{id: 1, title: a}]}\n",
			   "rev.yaml:1:3: bulk_insert: table 'orgs' has no column 'title'");
	assert_int_equal(apply_text(s, "- sql: DROP TABLE orgs\n"), MIG_APPLY_OPAQUE);
	char *after = dump(s);
	assert_string_equal(after, before);
	free(after);
	free(before);

	struct mig_oplist l;
	size_t opaque = 0;
	parse_ok("- sql: SELECT 1\n- add_column: {table: orgs, column: {name: x, type: text}}\n"
		 "- sql: {sqlite: SELECT 2}\n- drop_column: {table: orgs, column: x}\n",
		 &l);
	mig_assert_ok(mig_schema_apply_all(s, &l, &opaque));
	assert_int_equal(opaque, 2);
	mig_oplist_release(&l);
	parse_ok("- add_column: {table: orgs, column: {name: x, type: text}}\n"
		 "- drop_table: {name: nope}\n",
		 &l);
	mig_assert_fails_with(mig_schema_apply_all(s, &l, NULL),
			      "rev.yaml:2:3: drop_table: no table 'nope'");
	mig_oplist_release(&l);
	mig_schema_free(s);
}

/* ---- inverting ---- */

/* An op on the model schema, its inverse (using the schema before it), and
 * whether applying both gives back the schema exactly (a table dropped and
 * created again comes back last). */
static const struct {
	const char *op;
	const char *inverse;
	bool restores;
} inv_cases[] = {
	{ "- create_table: {name: posts, columns: {id: {type: integer, primary_key: true}, "
	  "user_id: {type: integer, references: users.id}, status: order_status}}\n",
	  "- drop_table:\n"
	  "    name: posts\n"
	  "    columns:\n"
	  "      id: {type: integer, primary_key: true}\n"
	  "      user_id: integer\n"
	  "      status: order_status\n"
	  "    foreign_keys:\n"
	  "      - {columns: [user_id], references: {table: users, columns: [id]}}\n",
	  true },
	{ "- drop_table: {name: orgs}\n",
	  "- create_table:\n"
	  "    name: orgs\n"
	  "    columns:\n"
	  "      id: {type: integer, primary_key: true}\n"
	  "      name: {type: varchar(100), nullable: false}\n",
	  false },
	{ "- rename_table: {name: orgs, new_name: organisations}\n",
	  "- rename_table: {name: organisations, new_name: orgs}\n",
	  true },
	{ "- add_column: {table: users, column: {name: age, type: integer, default: \"0\"}}\n",
	  "- drop_column: {table: users, column: {name: age, type: integer, default: 0}}\n",
	  true },
	{ "- drop_column: {table: users, column: nickname}\n",
	  "- add_column: {table: users, column: {name: nickname, type: text, comment: shown to "
	  "others}}\n",
	  true },
	{ "- alter_column: {table: users, column: email, type: varchar(320)}\n",
	  "- alter_column:\n"
	  "    table: users\n"
	  "    column: email\n"
	  "    type: varchar(255)\n"
	  "    existing_type: varchar(320)\n"
	  "    existing_nullable: false\n"
	  "    existing_default: null\n"
	  "    existing_comment: null\n"
	  "    existing_collation: C\n",
	  true },
	{ "- alter_column: {table: users, column: status, new_name: state, default: null, "
	  "existing_default: \"'pending'\"}\n",
	  "- alter_column:\n"
	  "    table: users\n"
	  "    column: state\n"
	  "    new_name: status\n"
	  "    existing_type: order_status\n"
	  "    existing_nullable: false\n"
	  "    default: \"'pending'\"\n"
	  "    existing_default: null\n"
	  "    existing_comment: null\n",
	  true },
	{ "- alter_column: {table: users, column: nickname, nullable: false, existing_nullable: "
	  "true, comment: nick, existing_type: text}\n",
	  "- alter_column:\n"
	  "    table: users\n"
	  "    column: nickname\n"
	  "    existing_type: text\n"
	  "    nullable: true\n"
	  "    existing_nullable: false\n"
	  "    existing_default: null\n"
	  "    comment: shown to others\n"
	  "    existing_comment: nick\n",
	  true },
	{ "- create_index: {table: users, name: ix_users_email, columns: [email], unique: true}\n",
	  "- drop_index: {table: users, name: ix_users_email, columns: [email], unique: true}\n",
	  true },
	{ "- drop_index: {table: users, name: ix_users_org_id}\n",
	  "- create_index: {table: users, name: ix_users_org_id, columns: [org_id]}\n",
	  true },
	{ "- create_primary_key: {table: orgs, name: pk_orgs, columns: [name]}\n",
	  "- drop_constraint: {table: orgs, name: pk_orgs, type: primary, columns: [name]}\n",
	  false },
	{ "- drop_constraint: {table: users, type: primary}\n",
	  "- create_primary_key: {table: users, columns: [id]}\n",
	  true },
	{ "- create_unique_constraint: {table: users, name: uq_users_nick, columns: [nickname]}\n",
	  "- drop_constraint: {table: users, name: uq_users_nick, type: unique, columns: "
	  "[nickname]}\n",
	  true },
	{ "- drop_constraint: {table: users, name: uq_users_email, type: unique}\n",
	  "- create_unique_constraint: {table: users, name: uq_users_email, columns: [email]}\n",
	  true },
	{ "- create_check_constraint: {table: orgs, name: ck_name, sql: \"name <> ''\"}\n",
	  "- drop_constraint: {table: orgs, name: ck_name, type: check, sql: \"name <> ''\"}\n",
	  true },
	{ "- drop_constraint: {table: users, name: ck_users_email, type: check}\n",
	  "- create_check_constraint: {table: users, name: ck_users_email, sql: \"email LIKE "
	  "'%@%'\"}\n",
	  true },
	{ "- create_foreign_key: {table: orgs, name: fk_orgs_id_users, columns: [id], references: "
	  "{table: users, columns: [id]}, on_delete: cascade}\n",
	  "- drop_constraint:\n"
	  "    table: orgs\n"
	  "    name: fk_orgs_id_users\n"
	  "    type: foreignkey\n"
	  "    columns: [id]\n"
	  "    references: {table: users, columns: [id]}\n"
	  "    on_delete: cascade\n",
	  true },
	{ "- drop_constraint: {table: users, name: fk_users_org_id_orgs, type: foreignkey}\n",
	  "- create_foreign_key:\n"
	  "    table: users\n"
	  "    name: fk_users_org_id_orgs\n"
	  "    columns: [org_id]\n"
	  "    references: {table: orgs, columns: [id]}\n",
	  true },
	{ "- create_table_comment: {table: users, comment: New}\n",
	  "- create_table_comment: {table: users, comment: Registered accounts, existing_comment: "
	  "New}\n",
	  true },
	{ "- create_table_comment: {table: orgs, comment: X}\n",
	  "- drop_table_comment: {table: orgs, existing_comment: X}\n",
	  true },
	{ "- drop_table_comment: {table: users}\n",
	  "- create_table_comment: {table: users, comment: Registered accounts, existing_comment: "
	  "null}\n",
	  true },
	{ "- create_enum: {name: mood, values: [sad, ok]}\n",
	  "- drop_enum: {name: mood, values: [sad, ok]}\n",
	  true },
	{ "- drop_enum: {name: order_status}\n",
	  "- create_enum: {name: order_status, values: [pending, paid, shipped]}\n",
	  false },
};

static void test_ops_invert_every_kind(void **state)
{
	(void)state;
	struct mig_schema *s0 = load_model();
	char *want_dump = dump(s0);
	bool seen[MIG_OP_KIND_COUNT] = { false };
	for (size_t i = 0; i < sizeof(inv_cases) / sizeof(inv_cases[0]); i++) {
		struct mig_oplist l, inv;
		parse_ok(inv_cases[i].op, &l);
		mig_oplist_init(&inv);
		mig_assert_ok(mig_op_invert(&l.ops.v[0], s0, &inv));
		seen[l.ops.v[0].kind] = true;
		assert_int_equal(inv.ops.n, 1);
		char *w = write_ops(&inv, 0);
		assert_string_equal(w, inv_cases[i].inverse);
		free(w);
		if (inv_cases[i].restores) {
			struct mig_schema *s = mig_schema_copy(s0);
			mig_assert_ok(mig_schema_apply(s, &l.ops.v[0]));
			mig_assert_ok(mig_schema_apply(s, &inv.ops.v[0]));
			char *got = dump(s);
			assert_string_equal(got, want_dump);
			free(got);
			mig_schema_free(s);
		}
		mig_oplist_release(&inv);
		mig_oplist_release(&l);
	}
	for (int k = 0; k < MIG_OP_KIND_COUNT; k++) {
		if (!seen[k] && k != MIG_OP_ADD_ENUM_VALUE && k != MIG_OP_BULK_INSERT &&
		    k != MIG_OP_SQL) {
			fail_msg("no invert case for %s", mig_op_kind_name((enum mig_op_kind)k));
		}
	}
	free(want_dump);
	mig_schema_free(s0);
}

/* What cannot be inverted is named with the op's position. */
static void test_ops_invert_impossible(void **state)
{
	(void)state;
	static const struct {
		const char *op;
		const char *message;
	} cases[] = {
		{ "- drop_table: {name: billing.orgs}\n",
		  "rev.yaml:1:3: drop_table: cannot be inverted: it carries no definition of "
		  "table 'billing.orgs'" },
		{ "- drop_column: {table: users, column: nickname}\n",
		  "rev.yaml:1:3: drop_column: cannot be inverted: it carries no definition of "
		  "column 'users.nickname'" },
		{ "- alter_column: {table: users, column: email, type: text}\n",
		  "rev.yaml:1:3: alter_column: cannot be inverted: it changes the type but "
		  "carries no existing_type" },
		{ "- alter_column: {table: users, column: email, nullable: true}\n",
		  "rev.yaml:1:3: alter_column: cannot be inverted: it changes nullable but "
		  "carries no existing_nullable" },
		{ "- alter_column: {table: users, column: email, default: \"'x'\"}\n",
		  "rev.yaml:1:3: alter_column: cannot be inverted: it changes the default but "
		  "carries no existing_default" },
		{ "- alter_column: {table: users, column: email, comment: x}\n",
		  "rev.yaml:1:3: alter_column: cannot be inverted: it changes the comment but "
		  "carries no existing_comment" },
		{ "- drop_index: {table: users, name: ix_users_org_id}\n",
		  "rev.yaml:1:3: drop_index: cannot be inverted: it carries no definition of "
		  "index 'ix_users_org_id'" },
		{ "- drop_constraint: {table: users, name: uq_users_email, type: unique}\n",
		  "rev.yaml:1:3: drop_constraint: cannot be inverted: it carries no definition "
		  "of unique constraint 'uq_users_email'" },
		{ "- drop_constraint: {table: users, type: primary}\n",
		  "rev.yaml:1:3: drop_constraint: cannot be inverted: it carries no definition "
		  "of primary constraint" },
		{ "- create_table_comment: {table: users, comment: x}\n",
		  "rev.yaml:1:3: create_table_comment: cannot be inverted: it carries no "
		  "existing_comment" },
		{ "- drop_table_comment: {table: users}\n",
		  "rev.yaml:1:3: drop_table_comment: cannot be inverted: it carries no "
		  "existing_comment" },
		{ "- drop_enum: {name: order_status}\n",
		  "rev.yaml:1:3: drop_enum: cannot be inverted: it carries no values of enum "
		  "'order_status'" },
		{ "- add_enum_value: {name: order_status, value: refunded}\n",
		  "rev.yaml:1:3: add_enum_value: cannot be inverted: a value cannot be removed "
		  "from an enum (write the downgrade by hand)" },
		{ "- bulk_insert: {table: orgs, rows: [{id: 1, name: a}]}\n",
		  "rev.yaml:1:3: bulk_insert: cannot be inverted: inserted rows have no known "
		  "reverse (write the downgrade by hand)" },
		{ "- sql: SELECT 1\n",
		  "rev.yaml:1:3: sql: cannot be inverted: raw SQL has no known reverse (write "
		  "the downgrade by hand)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mig_oplist l, inv;
		parse_ok(cases[i].op, &l);
		mig_oplist_init(&inv);
		mig_assert_fails_with(mig_op_invert(&l.ops.v[0], NULL, &inv), cases[i].message);
		assert_int_equal(mig_error_class_last(), MIG_ECLASS_FILE);
		assert_int_equal(inv.ops.n, 0);
		mig_oplist_release(&inv);
		mig_oplist_release(&l);
	}
	/* ops that carry what they change invert without a schema */
	struct mig_oplist l, inv;
	parse_ok("- alter_column: {table: users, column: email, type: text, existing_type: "
		 "varchar(10), nullable: true, existing_nullable: false, default: \"'x'\", "
		 "existing_default: null, comment: c, existing_comment: d}\n"
		 "- drop_column: {table: users, column: {name: age, type: integer}}\n"
		 "- drop_table_comment: {table: users, existing_comment: old}\n",
		 &l);
	mig_oplist_init(&inv);
	for (size_t i = 0; i < l.ops.n; i++) {
		mig_assert_ok(mig_op_invert(&l.ops.v[i], NULL, &inv));
	}
	char *w = write_ops(&inv, 0);
	assert_string_equal(w, "- alter_column:\n"
			       "    table: users\n"
			       "    column: email\n"
			       "    type: varchar(10)\n"
			       "    existing_type: text\n"
			       "    nullable: false\n"
			       "    existing_nullable: true\n"
			       "    default: null\n"
			       "    existing_default: \"'x'\"\n"
			       "    comment: d\n"
			       "    existing_comment: c\n"
			       "- add_column: {table: users, column: {name: age, type: integer}}\n"
			       "- create_table_comment: {table: users, comment: old, "
			       "existing_comment: null}\n");
	free(w);
	mig_oplist_release(&inv);
	mig_oplist_release(&l);
}

/* A whole upgrade inverts to the downgrade, last op first, each against the
 * schema just before it. */
static void test_ops_invert_list(void **state)
{
	(void)state;
	struct mig_schema *s0 = load_model();
	struct mig_oplist up, down;
	parse_ok("- add_column: {table: users, column: {name: age, type: integer}}\n"
		 "- alter_column: {table: users, column: age, new_name: years, nullable: false}\n"
		 "- create_index: {table: users, name: ix_users_years, columns: [years]}\n"
		 "- drop_constraint: {table: users, name: uq_users_email, type: unique}\n"
		 "- drop_column: {table: users, column: email}\n",
		 &up);
	mig_oplist_init(&down);
	mig_assert_ok(mig_oplist_invert(&up, s0, &down));
	char *w = write_ops(&down, 1);
	assert_string_equal(w, "  - add_column:\n"
			       "      table: users\n"
			       "      column: {name: email, type: varchar(255), nullable: false, "
			       "collation: C}\n"
			       "  - create_unique_constraint: {table: users, name: uq_users_email, "
			       "columns: [email]}\n"
			       "  - drop_index: {table: users, name: ix_users_years, columns: "
			       "[years]}\n"
			       "  - alter_column:\n"
			       "      table: users\n"
			       "      column: years\n"
			       "      new_name: age\n"
			       "      existing_type: integer\n"
			       "      nullable: true\n"
			       "      existing_nullable: false\n"
			       "      existing_default: null\n"
			       "      existing_comment: null\n"
			       "  - drop_column: {table: users, column: {name: age, type: "
			       "integer}}\n");
	free(w);
	/* upgrade then downgrade: the same tables, email now last */
	struct mig_schema *s = mig_schema_copy(s0);
	mig_assert_ok(mig_schema_apply_all(s, &up, NULL));
	mig_assert_ok(mig_schema_apply_all(s, &down, NULL));
	struct mig_table *t = mig_schema_find_table(s, NULL, "users");
	assert_int_equal(t->columns.n, 5);
	assert_string_equal(t->columns.v[4].name, "email");
	assert_int_equal(t->uniques.n, 1);
	assert_int_equal(t->indexes.n, 1);
	mig_schema_free(s);
	mig_oplist_release(&down);

	/* a failure names the op; out is left as it was */
	mig_oplist_init(&down);
	mig_oplist_release(&up);
	parse_ok("- drop_column: {table: users, column: email}\n- sql: SELECT 1\n", &up);
	mig_assert_fails_with(mig_oplist_invert(&up, s0, &down),
			      "rev.yaml:2:3: sql: cannot be inverted: raw SQL has no known reverse "
			      "(write the downgrade by hand)");
	assert_int_equal(down.ops.n, 0);
	mig_oplist_release(&up);
	parse_ok("- drop_column: {table: users, column: mail}\n", &up);
	mig_assert_fails_with(mig_oplist_invert(&up, s0, &down),
			      "rev.yaml:1:3: drop_column: cannot be inverted: it carries no "
			      "definition of column 'users.mail'");
	mig_oplist_release(&up);
	mig_oplist_release(&down);
	mig_schema_free(s0);
}

/* Ops built in code: borrowed strings are copied, names come from the
 * definitions. */
static void test_ops_built_in_code(void **state)
{
	(void)state;
	struct mig_schema *s0 = load_model();
	struct mig_table *users = mig_schema_find_table(s0, NULL, "users");
	struct mig_oplist l, copy;
	mig_oplist_init(&l);
	struct mig_op op;
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_DROP_TABLE;
	op.table_def = users;
	op.note = "users go away";
	mig_oplist_push(&l, &op);
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_CREATE_UNIQUE_CONSTRAINT;
	op.table = "orgs";
	op.unique = &users->uniques.v[0];
	mig_oplist_push(&l, &op);
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_ADD_COLUMN;
	op.table = "orgs";
	op.column_def = &users->columns.v[3];
	mig_oplist_push(&l, &op);
	memset(&op, 0, sizeof(op));
	op.kind = MIG_OP_BULK_INSERT;
	op.table = "orgs";
	const char *cols[] = { "id", "name" };
	struct mig_value row[] = { { MIG_VALUE_NUMBER, "1" }, { MIG_VALUE_STRING, "007" } };
	struct mig_value *rows[] = { row };
	op.columns.v = cols;
	op.columns.n = 2;
	op.rows.v = rows;
	op.rows.n = 1;
	mig_oplist_push(&l, &op);
	mig_schema_free(s0);

	assert_string_equal(l.ops.v[0].table, "users");
	assert_string_equal(l.ops.v[1].name, "uq_users_email");
	assert_int_equal(l.ops.v[1].constraint, MIG_CONSTRAINT_UNIQUE);
	assert_string_equal(l.ops.v[2].column, "status");
	mig_oplist_init(&copy);
	mig_oplist_extend(&copy, &l);
	mig_oplist_release(&l);
	char *w = write_ops(&copy, 0);
	assert_string_equal(w, "# users go away\n"
			       "- drop_table:\n"
			       "    name: users\n"
			       "    comment: Registered accounts\n"
			       "    columns:\n"
			       "      id: {type: integer, primary_key: true}\n"
			       "      email: {type: varchar(255), nullable: false, collation: C}\n"
			       "      org_id: integer\n"
			       "      status: {type: order_status, nullable: false, default: "
			       "\"'pending'\"}\n"
			       "      nickname: {type: text, comment: shown to others}\n"
			       "    indexes:\n"
			       "      - {name: ix_users_org_id, columns: [org_id]}\n"
			       "    unique:\n"
			       "      - {name: uq_users_email, columns: [email]}\n"
			       "    checks:\n"
			       "      - {name: ck_users_email, sql: \"email LIKE '%@%'\"}\n"
			       "    foreign_keys:\n"
			       "      - {name: fk_users_org_id_orgs, columns: [org_id], "
			       "references: "
			       "{table: orgs, columns: [id]}}\n"
			       "- create_unique_constraint: {table: orgs, name: uq_users_email, "
			       "columns: [email]}\n"
			       "- add_column:\n"
			       "    table: orgs\n"
			       "    column: {name: status, type: order_status, nullable: false, "
			       "default: \"'pending'\"}\n"
			       "- bulk_insert: {table: orgs, rows: [{id: 1, name: '007'}]}\n");
	free(w);
	mig_oplist_release(&copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops_kind_names),
		cmocka_unit_test(test_ops_round_trip_every_kind),
		cmocka_unit_test(test_ops_write_design_example),
		cmocka_unit_test(test_ops_parsed_fields),
		cmocka_unit_test(test_ops_malformed),
		cmocka_unit_test(test_ops_malformed_all_reported),
		cmocka_unit_test(test_ops_list_not_a_list),
		cmocka_unit_test(test_ops_apply_tables),
		cmocka_unit_test(test_ops_apply_table_objects),
		cmocka_unit_test(test_ops_apply_columns),
		cmocka_unit_test(test_ops_apply_indexes_and_constraints),
		cmocka_unit_test(test_ops_apply_enums_and_data),
		cmocka_unit_test(test_ops_invert_every_kind),
		cmocka_unit_test(test_ops_invert_impossible),
		cmocka_unit_test(test_ops_invert_list),
		cmocka_unit_test(test_ops_built_in_code),
	};
	return cmocka_run_group_tests_name("ops", tests, NULL, NULL);
}
