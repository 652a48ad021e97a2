/* Unit tests for lib/compare.c: autogenerate in memory. Each case gives the
 * models (declared) and the database (reflected, written as the dialect's
 * reflection gives it back) as model YAML, and the exact upgrade and
 * downgrade ops. Every case also checks that the upgrade applied to the
 * database's schema leaves nothing to do, and that the downgrade applied
 * after it gives the database back. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A test case: test_compare_<name>, which knows its name (for
 * COMPARE_DUMP). */
static const char *current_test = "";
#define T(name)                                                                                    \
	static void body_##name(void);                                                             \
	static void test_compare_##name(void **state)                                              \
	{                                                                                          \
		(void)state;                                                                       \
		current_test = #name;                                                              \
		body_##name();                                                                     \
	}                                                                                          \
	static void body_##name(void)

/* ---- helpers ---- */

static const struct mig_dialect_impl *dialect(const char *name)
{
	const struct mig_dialect_impl *impl = NULL;
	if (mig_dialect_find(name, &impl) < 0) {
		mig_error_clear();
		skip();
	}
	return impl;
}

static struct mig_schema *load(const char *what, const char *yaml)
{
	struct mig_schema *s = NULL;
	if (mig_model_load_string(what, yaml, &s) < 0) {
		fail_msg("%s does not load: %s", what, mig_error_last());
	}
	return s;
}

static char *ops_text(const struct mig_oplist *l)
{
	struct mig_str s = MIG_STR_INIT;
	mig_ops_write(&s, l, 0);
	return mig_str_detach(&s);
}

static char *lines(const struct mig_strlist *l)
{
	struct mig_str s = MIG_STR_INIT;
	for (size_t i = 0; i < l->n; i++) {
		mig_str_addf(&s, "%s\n", l->v[i]);
	}
	return mig_str_detach(&s);
}

/* got as C string literals, one per line, to paste into a test. */
static char *c_literal(const char *got)
{
	struct mig_str s = MIG_STR_INIT;
	const char *p = got;
	while (*p) {
		size_t n = strcspn(p, "\n");
		mig_str_add(&s, "\t\"");
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '"' || p[i] == '\\') {
				mig_str_addch(&s, '\\');
			}
			mig_str_addch(&s, p[i]);
		}
		mig_str_add(&s, p[n] ? "\\n\"\n" : "\"\n");
		p += n + (p[n] != 0);
	}
	return mig_str_detach(&s);
}

struct result {
	char *up;
	char *down;
	char *hints;
};

static void result_release(struct result *r)
{
	free(r->up);
	free(r->down);
	free(r->hints);
}

/* The ops of one compare, as text; with check, also the round trips: the
 * upgrade leaves nothing to do, the downgrade after it gives the database
 * back. */
static void run(const char *name, const char *decl_yaml, const char *refl_yaml,
		const struct mig_compare_opts *opts, bool check, struct result *r)
{
	const struct mig_dialect_impl *impl = dialect(name);
	struct mig_schema *decl = load("models.yaml", decl_yaml);
	struct mig_schema *refl = load("database.yaml", refl_yaml);
	struct mig_oplist up, down;
	struct mig_strlist hints = MIG_STRLIST_INIT;
	mig_oplist_init(&up);
	mig_oplist_init(&down);
	mig_assert_ok(mig_compare(impl, decl, refl, opts, &up, &down, &hints));
	r->up = ops_text(&up);
	r->down = ops_text(&down);
	r->hints = lines(&hints);
	if (getenv("COMPARE_DUMP")) {
		/* the actual results as files, to review and paste */
		const char *parts[3][2] = { { "up", r->up }, { "down", r->down },
					    { "hints", r->hints } };
		for (size_t i = 0; i < 3; i++) {
			char *path = xasprintf("%s/%s.%s", getenv("COMPARE_DUMP"), current_test,
					       parts[i][0]);
			FILE *f = fopen(path, "w");
			if (f) {
				fputs(parts[i][1], f);
				fclose(f);
			}
			free(path);
		}
	}
	if (getenv("COMPARE_SHOW")) {
		char *a = c_literal(r->up), *b = c_literal(r->down), *h = c_literal(r->hints);
		fprintf(stderr, "==== up\n%s==== down\n%s==== hints\n%s", a, b, h);
		free(a);
		free(b);
		free(h);
	}
	if (check) {
		/* (the renames are done then: the round trips compare without them) */
		struct mig_compare_opts again_opts;
		if (opts) {
			again_opts = *opts;
		} else {
			mig_compare_opts_init(&again_opts);
		}
		again_opts.renames = NULL;
		opts = &again_opts;
		struct mig_schema *after = mig_schema_copy(refl);
		mig_assert_ok(mig_schema_apply_all(after, &up, NULL));
		struct mig_oplist again, again_down;
		mig_oplist_init(&again);
		mig_oplist_init(&again_down);
		mig_assert_ok(mig_compare(impl, decl, after, opts, &again, &again_down, NULL));
		char *left = ops_text(&again);
		if (*left) {
			fail_msg("the upgrade leaves ops to do:\n%s", left);
		}
		free(left);
		mig_assert_ok(mig_schema_apply_all(after, &down, NULL));
		mig_oplist_release(&again);
		mig_oplist_release(&again_down);
		mig_oplist_init(&again);
		mig_oplist_init(&again_down);
		mig_assert_ok(mig_compare(impl, refl, after, opts, &again, &again_down, NULL));
		left = ops_text(&again);
		if (*left) {
			fail_msg("the downgrade does not give the database back:\n%s", left);
		}
		free(left);
		mig_oplist_release(&again);
		mig_oplist_release(&again_down);
		mig_schema_free(after);
	}
	mig_strlist_release(&hints);
	mig_oplist_release(&up);
	mig_oplist_release(&down);
	mig_schema_free(decl);
	mig_schema_free(refl);
}

static void expect_text(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		char *lit = c_literal(got);
		fail_msg("%s differ; got:\n%s---- expected:\n%s---- as C:\n%s", what, got, want,
			 lit);
		free(lit);
	}
}

/* The exact upgrade and downgrade, and no hints. */
static void expect_ops(const char *name, const char *decl, const char *refl, const char *want_up,
		       const char *want_down)
{
	struct result r;
	run(name, decl, refl, NULL, true, &r);
	expect_text("upgrade ops", r.up, want_up);
	expect_text("downgrade ops", r.down, want_down);
	expect_text("hints", r.hints, "");
	result_release(&r);
}

static void expect_same(const char *name, const char *decl, const char *refl)
{
	expect_ops(name, decl, refl, "", "");
}

static void expect_fails(const char *name, const char *decl, const char *refl,
			 const struct mig_compare_opts *opts, const char *want)
{
	const struct mig_dialect_impl *impl = dialect(name);
	struct mig_schema *d = load("models.yaml", decl);
	struct mig_schema *s = load("database.yaml", refl);
	struct mig_oplist up, down;
	mig_oplist_init(&up);
	mig_oplist_init(&down);
	mig_assert_fails_with(mig_compare(impl, d, s, opts, &up, &down, NULL), want);
	assert_int_equal(up.ops.n, 0);
	mig_oplist_release(&up);
	mig_oplist_release(&down);
	mig_schema_free(d);
	mig_schema_free(s);
}


/* ---- PostgreSQL ---- */

/* Every generic type and kind of default, as PostgreSQL gives them back
 * (format_type spellings, casts on defaults, serial and identity keys,
 * generated names of unnamed constraints): nothing to do. */
T(pg_unchanged_every_type)
{
	expect_same("postgresql",
		    "enums:\n"
		    "  mood: [happy, sad]\n"
		    "tables:\n"
		    "  parent:\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      code: {type: varchar(10), nullable: false, unique: true}\n"
		    "  everything:\n"
		    "    comment: all of them\n"
		    "    columns:\n"
		    "      id: {type: bigint, primary_key: true}\n"
		    "      parent_id: {type: int, references: parent.id, on_delete: CASCADE}\n"
		    "      c_smallint: {type: smallint, default: \"-1\"}\n"
		    "      c_integer: {type: integer, nullable: false, default: \"0\"}\n"
		    "      c_bigint: {type: bigint, default: \"'5'\"}\n"
		    "      c_boolean: {type: boolean, default: \"false\"}\n"
		    "      c_real: {type: real, default: \"1.5\"}\n"
		    "      c_float: {type: float, default: \"2.25\"}\n"
		    "      c_numeric: {type: \"numeric(10,2)\", default: \"0\"}\n"
		    "      c_varchar: {type: varchar(40), default: \"'it''s'\", comment: says it}\n"
		    "      c_char: {type: char(3), default: \"'abc'\"}\n"
		    "      c_text: {type: text, default: \"''\"}\n"
		    "      c_date: {type: date, default: CURRENT_DATE}\n"
		    "      c_time: time\n"
		    "      c_timestamp: {type: timestamp, default: CURRENT_TIMESTAMP}\n"
		    "      c_timestamptz: {type: timestamptz, default: now()}\n"
		    "      c_interval: interval\n"
		    "      c_binary: binary\n"
		    "      c_json: {type: json, default: \"'{}'\"}\n"
		    "      c_jsonb: jsonb\n"
		    "      c_uuid: uuid\n"
		    "      c_tags: text[]\n"
		    "      c_enum: {type: mood, nullable: false, default: \"'happy'\"}\n"
		    "      c_expr: {type: integer, default: \"(1 + 2)\"}\n"
		    "      c_null: {type: integer, default: \"NULL\"}\n"
		    "      c_total: {type: integer, computed: {sql: \"c_integer * 2\", stored: "
		    "true}}\n"
		    "    indexes:\n"
		    "      - {columns: [parent_id]}\n"
		    "      - {name: ix_lower_varchar, expressions: [\"lower(c_varchar)\"], "
		    "where: \"c_text IS NOT NULL\"}\n"
		    "    checks:\n"
		    "      - {name: positive, sql: \"c_integer > 0 AND c_bigint > 0\"}\n"
		    "      - {name: short, sql: \"c_char IN ('abc', 'def')\"}\n",
		    "enums:\n"
		    "  mood: [happy, sad]\n"
		    "tables:\n"
		    "  parent:\n"
		    "    columns:\n"
		    "      id: {type: integer}\n"
		    "      code: {type: varchar(10), nullable: false}\n"
		    "    primary_key: {name: parent_pkey, columns: [id]}\n"
		    "    unique:\n"
		    "      - {name: parent_code_key, columns: [code]}\n"
		    "  everything:\n"
		    "    comment: all of them\n"
		    "    columns:\n"
		    "      id: {type: bigint, nullable: false, identity: {always: false}}\n"
		    "      parent_id: integer\n"
		    "      c_smallint: {type: smallint, default: \"'-1'::integer\"}\n"
		    "      c_integer: {type: integer, nullable: false, default: \"0\"}\n"
		    "      c_bigint: {type: bigint, default: \"5\"}\n"
		    "      c_boolean: {type: boolean, default: \"false\"}\n"
		    "      c_real: {type: real, default: \"1.5\"}\n"
		    "      c_float: {type: float, default: \"2.25\"}\n"
		    "      c_numeric: {type: \"numeric(10,2)\", default: \"0.00\"}\n"
		    "      c_varchar: {type: varchar(40), default: \"'it''s'::character varying\", "
		    "comment: says it}\n"
		    "      c_char: {type: char(3), default: \"'abc'::bpchar\"}\n"
		    "      c_text: {type: text, default: \"''::text\"}\n"
		    "      c_date: {type: date, default: CURRENT_DATE}\n"
		    "      c_time: time\n"
		    "      c_timestamp: {type: timestamp, default: now()}\n"
		    "      c_timestamptz: {type: timestamptz, default: CURRENT_TIMESTAMP}\n"
		    "      c_interval: interval\n"
		    "      c_binary: binary\n"
		    "      c_json: {type: json, default: \"'{}'::json\"}\n"
		    "      c_jsonb: jsonb\n"
		    "      c_uuid: uuid\n"
		    "      c_tags: text[]\n"
		    "      c_enum: {type: mood, nullable: false, default: \"'happy'::mood\"}\n"
		    "      c_expr: {type: integer, default: \"(1 + 2)\"}\n"
		    "      c_null: integer\n"
		    "      c_total: {type: integer, computed: {sql: \"(c_integer * 2)\", stored: "
		    "true}}\n"
		    "    primary_key: {name: everything_pkey, columns: [id]}\n"
		    "    indexes:\n"
		    "      - {name: ix_everything_parent_id, columns: [parent_id]}\n"
		    "      - {name: ix_lower_varchar, expressions: [\"lower((c_varchar)::text)\"], "
		    "where: \"(c_text IS NOT NULL)\"}\n"
		    "    checks:\n"
		    "      - {name: positive, sql: \"((c_integer > 0) AND (c_bigint > 0))\"}\n"
		    "      - {name: short, sql: \"(c_char = ANY (ARRAY['abc'::bpchar, "
		    "'def'::bpchar]))\"}\n"
		    "    foreign_keys:\n"
		    "      - {name: everything_parent_id_fkey, columns: [parent_id], references: "
		    "{table: parent, columns: [id]}, on_delete: cascade}\n");
}

static const char pg_users[] =
	"tables:\n"
	"  users:\n"
	"    columns:\n"
	"      id: integer\n"
	"      name: {type: varchar(30)}\n"
	"      age: {type: integer}\n"
	"    primary_key: {name: users_pkey, columns: [id]}\n";

T(pg_varchar_longer)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      name: {type: varchar(50)}\n"
		   "      age: {type: integer}\n",
		   pg_users,
"- alter_column:\n"
		   "    table: users\n"
		   "    column: name\n"
		   "    type: varchar(50)\n"
		   "    existing_type: varchar(30)\n"
		   "    existing_nullable: true\n",
		   "- alter_column:\n"
		   "    table: users\n"
		   "    column: name\n"
		   "    type: varchar(30)\n"
		   "    existing_type: varchar(50)\n"
		   "    existing_nullable: true\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n");
}


T(pg_integer_to_bigint)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      name: {type: varchar(30)}\n"
		   "      age: {type: bigint}\n",
		   pg_users, "- alter_column:\n"
		   "    table: users\n"
		   "    column: age\n"
		   "    type: bigint\n"
		   "    existing_type: integer\n"
		   "    existing_nullable: true\n",
		   "- alter_column:\n"
		   "    table: users\n"
		   "    column: age\n"
		   "    type: integer\n"
		   "    existing_type: bigint\n"
		   "    existing_nullable: true\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n");
}

T(pg_not_null)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      name: {type: varchar(30), nullable: false}\n"
		   "      age: {type: integer}\n",
		   pg_users, "- alter_column:\n"
		   "    table: users\n"
		   "    column: name\n"
		   "    existing_type: varchar(30)\n"
		   "    nullable: false\n"
		   "    existing_nullable: true\n",
		   "- alter_column:\n"
		   "    table: users\n"
		   "    column: name\n"
		   "    existing_type: varchar(30)\n"
		   "    nullable: true\n"
		   "    existing_nullable: false\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n");
}

T(pg_default_added_and_removed)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      name: {type: varchar(30), default: \"'anonymous'\"}\n"
		   "      age: {type: integer}\n",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      name: {type: varchar(30)}\n"
		   "      age: {type: integer, default: \"18\"}\n"
		   "    primary_key: {name: users_pkey, columns: [id]}\n",
		   "- alter_column:\n"
		   "    table: users\n"
		   "    column: name\n"
		   "    existing_type: varchar(30)\n"
		   "    existing_nullable: true\n"
		   "    default: \"'anonymous'\"\n"
		   "- alter_column:\n"
		   "    table: users\n"
		   "    column: age\n"
		   "    existing_type: integer\n"
		   "    existing_nullable: true\n"
		   "    default: null\n"
		   "    existing_default: 18\n",
		   "- alter_column:\n"
		   "    table: users\n"
		   "    column: age\n"
		   "    existing_type: integer\n"
		   "    existing_nullable: true\n"
		   "    default: 18\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n"
		   "- alter_column:\n"
		   "    table: users\n"
		   "    column: name\n"
		   "    existing_type: varchar(30)\n"
		   "    existing_nullable: true\n"
		   "    default: null\n"
		   "    existing_default: \"'anonymous'\"\n"
		   "    existing_comment: null\n");
}

T(pg_unique_moved)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      org: integer\n"
		   "      email: varchar(100)\n"
		   "      login: varchar(100)\n"
		   "    unique:\n"
		   "      - {columns: [org, login]}\n",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      org: integer\n"
		   "      email: varchar(100)\n"
		   "      login: varchar(100)\n"
		   "    primary_key: {name: users_pkey, columns: [id]}\n"
		   "    unique:\n"
		   "      - {name: users_org_email_key, columns: [org, email]}\n",
		   "- drop_constraint: {table: users, name: users_org_email_key, type: unique}\n"
		   "- create_unique_constraint: {table: users, columns: [org, login]}\n",
		   "- drop_constraint: {table: users, type: unique, columns: [org, login]}\n"
		   "- create_unique_constraint: {table: users, name: users_org_email_key, columns: "
		   "[org, email]}\n");
}

static const char pg_orders_db[] =
	"tables:\n"
	"  customers:\n"
	"    columns:\n"
	"      id: integer\n"
	"    primary_key: {name: customers_pkey, columns: [id]}\n"
	"  orders:\n"
	"    columns:\n"
	"      id: integer\n"
	"      customer_id: integer\n"
	"      qty: {type: integer, nullable: false}\n"
	"    primary_key: {name: orders_pkey, columns: [id]}\n"
	"    checks:\n"
	"      - {name: qty_positive, sql: \"(qty > 0)\"}\n"
	"    indexes:\n"
	"      - {name: ix_orders_customer_id, columns: [customer_id]}\n"
	"    foreign_keys:\n"
	"      - {name: orders_customer_id_fkey, columns: [customer_id], references: {table: "
	"customers, columns: [id]}, on_delete: restrict}\n";

T(pg_fk_on_delete_changed)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  customers:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "  orders:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      customer_id: {type: integer, references: customers.id, on_delete: "
		   "CASCADE, index: true}\n"
		   "      qty: {type: integer, nullable: false}\n"
		   "    checks:\n"
		   "      - {name: qty_positive, sql: qty > 0}\n",
		   pg_orders_db,
		   "- drop_constraint: {table: orders, name: orders_customer_id_fkey, type: "
		   "foreignkey}\n"
		   "- create_foreign_key:\n"
		   "    table: orders\n"
		   "    columns: [customer_id]\n"
		   "    references: {table: customers, columns: [id]}\n"
		   "    on_delete: cascade\n",
		   "- drop_constraint:\n"
		   "    table: orders\n"
		   "    type: foreignkey\n"
		   "    columns: [customer_id]\n"
		   "    references: {table: customers, columns: [id]}\n"
		   "    on_delete: cascade\n"
		   "- create_foreign_key:\n"
		   "    table: orders\n"
		   "    name: orders_customer_id_fkey\n"
		   "    columns: [customer_id]\n"
		   "    references: {table: customers, columns: [id]}\n"
		   "    on_delete: restrict\n");
}

T(pg_check_changed)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  customers:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "  orders:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      customer_id: {type: integer, references: customers.id, on_delete: "
		   "restrict, index: true}\n"
		   "      qty: {type: integer, nullable: false}\n"
		   "    checks:\n"
		   "      - {name: qty_positive, sql: qty >= 1}\n",
		   pg_orders_db,
		   "- drop_constraint: {table: orders, name: qty_positive, type: check}\n"
		   "- create_check_constraint: {table: orders, name: qty_positive, sql: \"qty >= "
		   "1\"}\n",
		   "- drop_constraint: {table: orders, name: qty_positive, type: check, sql: \"qty "
		   ">= 1\"}\n"
		   "- create_check_constraint: {table: orders, name: qty_positive, sql: \"(qty > "
		   "0)\"}\n");
}

T(pg_index_made_unique)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  customers:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "  orders:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      customer_id: {type: integer, references: customers.id, on_delete: "
		   "restrict}\n"
		   "      qty: {type: integer, nullable: false}\n"
		   "    indexes:\n"
		   "      - {name: ix_orders_customer_id, columns: [customer_id], unique: true}\n"
		   "    checks:\n"
		   "      - {name: qty_positive, sql: qty > 0}\n",
		   pg_orders_db,
		   "- drop_index: {table: orders, name: ix_orders_customer_id}\n"
		   "- create_index: {table: orders, name: ix_orders_customer_id, columns: "
		   "[customer_id], unique: true}\n",
		   "- drop_index: {table: orders, name: ix_orders_customer_id, columns: "
		   "[customer_id], unique: true}\n"
		   "- create_index: {table: orders, name: ix_orders_customer_id, columns: "
		   "[customer_id]}\n");
}

static const char pg_status_db[] =
	"enums:\n"
	"  order_status: [pending, shipped]\n"
	"tables:\n"
	"  orders:\n"
	"    columns:\n"
	"      id: integer\n"
	"      status: {type: order_status, nullable: false}\n"
	"    primary_key: {name: orders_pkey, columns: [id]}\n";

T(pg_enum_values_added)
{
	struct result r;
	run("postgresql",
	    "enums:\n"
	    "  order_status: [new, pending, paid, shipped, returned]\n"
	    "tables:\n"
	    "  orders:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n"
	    "      status: {type: order_status, nullable: false}\n",
	    pg_status_db, NULL, false, &r);
	expect_text("upgrade ops", r.up,
		    "- add_enum_value: {name: order_status, value: new, before: pending}\n"
		    "- add_enum_value: {name: order_status, value: paid, after: pending}\n"
		    "- add_enum_value: {name: order_status, value: returned}\n");
	expect_text("downgrade ops", r.down, "");
	expect_text("hints", r.hints,
		    "the upgrade adds 'new', 'paid' and 'returned' to enum 'order_status', which "
		    "the downgrade leaves: a value cannot be removed from an enum type without "
		    "recreating it\n");
	result_release(&r);
}

T(pg_enum_value_removed)
{
	expect_fails("postgresql",
		     "enums:\n"
		     "  order_status: [pending]\n"
		     "tables:\n"
		     "  orders:\n"
		     "    columns:\n"
		     "      id: {type: integer, primary_key: true}\n"
		     "      status: {type: order_status, nullable: false}\n",
		     pg_status_db, NULL,
		     "enum 'order_status': the models remove the value 'shipped', which "
		     "autogenerate "
		     "cannot do: an enum type cannot lose a value without being recreated (write "
		     "the "
		     "revision by hand: move the rows off the value, then create a new type, "
		     "convert "
		     "the columns and drop the old type)");
}

T(pg_parent_and_child_created)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  lines:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      invoice_id: {type: integer, nullable: false, references: invoices.id}\n"
		   "  invoices:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      customer_id: {type: integer, references: customers.id}\n"
		   "  customers:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n",
		   "tables: {}\n", "- create_table:\n"
		   "    name: customers\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "- create_table:\n"
		   "    name: invoices\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      customer_id: integer\n"
		   "    foreign_keys:\n"
		   "      - {columns: [customer_id], references: {table: customers, columns: "
		   "[id]}}\n"
		   "- create_table:\n"
		   "    name: lines\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      invoice_id: {type: integer, nullable: false}\n"
		   "    foreign_keys:\n"
		   "      - {columns: [invoice_id], references: {table: invoices, columns: "
		   "[id]}}\n",
		   "- drop_table:\n"
		   "    name: lines\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      invoice_id: {type: integer, nullable: false}\n"
		   "    foreign_keys:\n"
		   "      - {columns: [invoice_id], references: {table: invoices, columns: [id]}}\n"
		   "- drop_table:\n"
		   "    name: invoices\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      customer_id: integer\n"
		   "    foreign_keys:\n"
		   "      - {columns: [customer_id], references: {table: customers, columns: "
		   "[id]}}\n"
		   "- drop_table:\n"
		   "    name: customers\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n");
}

T(pg_fk_cycle_created)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  departments:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      head_id: {type: integer, references: employees.id}\n"
		   "  employees:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      department_id: {type: integer, references: departments.id}\n",
		   "tables: {}\n", "- create_table:\n"
		   "    name: departments\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      head_id: integer\n"
		   "- create_table:\n"
		   "    name: employees\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      department_id: integer\n"
		   "    foreign_keys:\n"
		   "      - {columns: [department_id], references: {table: departments, columns: "
		   "[id]}}\n"
		   "- create_foreign_key:\n"
		   "    table: departments\n"
		   "    columns: [head_id]\n"
		   "    references: {table: employees, columns: [id]}\n",
		   "- drop_constraint:\n"
		   "    table: departments\n"
		   "    type: foreignkey\n"
		   "    columns: [head_id]\n"
		   "    references: {table: employees, columns: [id]}\n"
		   "- drop_table:\n"
		   "    name: employees\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      department_id: integer\n"
		   "    foreign_keys:\n"
		   "      - {columns: [department_id], references: {table: departments, columns: "
		   "[id]}}\n"
		   "- drop_table:\n"
		   "    name: departments\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      head_id: integer\n");
}

T(pg_fk_cycle_dropped)
{
	expect_ops("postgresql", "tables:\n  keep:\n    columns:\n      id: integer\n",
		   "tables:\n"
		   "  keep:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "  departments:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      head_id: integer\n"
		   "    primary_key: {name: departments_pkey, columns: [id]}\n"
		   "    foreign_keys:\n"
		   "      - {name: departments_head_id_fkey, columns: [head_id], references: "
		   "{table: employees, columns: [id]}}\n"
		   "  employees:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      department_id: integer\n"
		   "    primary_key: {name: employees_pkey, columns: [id]}\n"
		   "    foreign_keys:\n"
		   "      - {name: employees_department_id_fkey, columns: [department_id], "
		   "references: {table: departments, columns: [id]}}\n",
		   "- drop_constraint: {table: employees, name: employees_department_id_fkey, "
		   "type: foreignkey}\n"
		   "- drop_table: {name: departments}\n"
		   "- drop_table: {name: employees}\n",
		   "- create_table:\n"
		   "    name: employees\n"
		   "    columns:\n"
		   "      id: {type: integer, nullable: false}\n"
		   "      department_id: integer\n"
		   "    primary_key: {name: employees_pkey, columns: [id]}\n"
		   "- create_table:\n"
		   "    name: departments\n"
		   "    columns:\n"
		   "      id: {type: integer, nullable: false}\n"
		   "      head_id: integer\n"
		   "    primary_key: {name: departments_pkey, columns: [id]}\n"
		   "    foreign_keys:\n"
		   "      - {name: departments_head_id_fkey, columns: [head_id], references: "
		   "{table: employees, columns: [id]}}\n"
		   "- create_foreign_key:\n"
		   "    table: employees\n"
		   "    name: employees_department_id_fkey\n"
		   "    columns: [department_id]\n"
		   "    references: {table: departments, columns: [id]}\n");
}


static const char pg_people_db[] =
	"tables:\n"
	"  people:\n"
	"    columns:\n"
	"      id: integer\n"
	"      name: varchar(80)\n"
	"      born: date\n"
	"    primary_key: {name: people_pkey, columns: [id]}\n";

static const char pg_people_renamed[] =
	"tables:\n"
	"  people:\n"
	"    columns:\n"
	"      id: {type: integer, primary_key: true}\n"
	"      full_name: varchar(80)\n"
	"      born: date\n";

T(pg_rename_column_hint)
{
	struct result r;
	run("postgresql", pg_people_renamed, pg_people_db, NULL, true, &r);
	expect_text("upgrade ops", r.up, 
		    "# possible rename: replace these two ops with `alter_column: {table: people, "
		    "column: name, new_name: full_name}` to keep the data\n"
		    "- add_column: {table: people, column: {name: full_name, type: varchar(80)}}\n"
		    "# possible rename: replace these two ops with `alter_column: {table: people, "
		    "column: name, new_name: full_name}` to keep the data\n"
		    "- drop_column: {table: people, column: name}\n");
	expect_text("downgrade ops", r.down, 
		    "- add_column: {table: people, column: {name: name, type: varchar(80)}}\n"
		    "- drop_column: {table: people, column: {name: full_name, type: "
		    "varchar(80)}}\n");
	expect_text("hints", r.hints, 
		    "possible rename of column 'people.name' to 'full_name': run again with "
		    "--rename people.name:full_name to keep its data\n");
	result_release(&r);
}

T(pg_rename_column_asked)
{
	struct mig_compare_opts o;
	struct mig_strlist renames = MIG_STRLIST_INIT;
	struct result r;
	mig_compare_opts_init(&o);
	mig_strlist_push(&renames, "people.name:full_name");
	o.renames = &renames;
	run("postgresql", pg_people_renamed, pg_people_db, &o, true, &r);
	expect_text("upgrade ops", r.up, 
		    "- alter_column:\n"
		    "    table: people\n"
		    "    column: name\n"
		    "    new_name: full_name\n"
		    "    existing_type: varchar(80)\n"
		    "    existing_nullable: true\n");
	expect_text("downgrade ops", r.down, 
		    "- alter_column:\n"
		    "    table: people\n"
		    "    column: full_name\n"
		    "    new_name: name\n"
		    "    existing_type: varchar(80)\n"
		    "    existing_nullable: true\n"
		    "    existing_default: null\n"
		    "    existing_comment: null\n");
	expect_text("hints", r.hints, 
		    "");
	result_release(&r);
	mig_strlist_release(&renames);
}

static const char pg_persons[] =
	"tables:\n"
	"  persons:\n"
	"    columns:\n"
	"      id: {type: integer, primary_key: true}\n"
	"      name: varchar(80)\n"
	"      born: date\n";

T(pg_rename_table_hint)
{
	struct result r;
	run("postgresql", pg_persons, pg_people_db, NULL, true, &r);
	expect_text("upgrade ops", r.up, 
		    "# possible rename: replace these two ops with `rename_table: {name: people, "
		    "new_name: persons}` to keep the data\n"
		    "- create_table:\n"
		    "    name: persons\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      name: varchar(80)\n"
		    "      born: date\n"
		    "# possible rename: replace these two ops with `rename_table: {name: people, "
		    "new_name: persons}` to keep the data\n"
		    "- drop_table: {name: people}\n");
	expect_text("downgrade ops", r.down, 
		    "- create_table:\n"
		    "    name: people\n"
		    "    columns:\n"
		    "      id: {type: integer, nullable: false}\n"
		    "      name: varchar(80)\n"
		    "      born: date\n"
		    "    primary_key: {name: people_pkey, columns: [id]}\n"
		    "- drop_table:\n"
		    "    name: persons\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      name: varchar(80)\n"
		    "      born: date\n");
	expect_text("hints", r.hints, 
		    "possible rename of table 'people' to 'persons': run again with --rename "
		    "people:persons to keep its data\n");
	result_release(&r);
}

T(pg_rename_table_asked)
{
	struct mig_compare_opts o;
	struct mig_strlist renames = MIG_STRLIST_INIT;
	struct result r;
	mig_compare_opts_init(&o);
	mig_strlist_push(&renames, "people:persons");
	o.renames = &renames;
	run("postgresql", pg_persons, pg_people_db, &o, true, &r);
	expect_text("upgrade ops", r.up, 
		    "- rename_table: {name: people, new_name: persons}\n");
	expect_text("downgrade ops", r.down, 
		    "- rename_table: {name: persons, new_name: people}\n");
	expect_text("hints", r.hints, 
		    "");
	result_release(&r);
	mig_strlist_release(&renames);
}

T(pg_rename_table_and_column_asked)
{
	struct mig_compare_opts o;
	struct mig_strlist renames = MIG_STRLIST_INIT;
	struct result r;
	mig_compare_opts_init(&o);
	mig_strlist_push(&renames, "persons.name:full_name");
	mig_strlist_push(&renames, "people:persons");
	o.renames = &renames;
	run("postgresql",
	    "tables:\n"
	    "  persons:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n"
	    "      full_name: varchar(80)\n"
	    "      born: date\n",
	    pg_people_db, &o, true, &r);
	expect_text("upgrade ops", r.up, 
		    "- rename_table: {name: people, new_name: persons}\n"
		    "- alter_column:\n"
		    "    table: persons\n"
		    "    column: name\n"
		    "    new_name: full_name\n"
		    "    existing_type: varchar(80)\n"
		    "    existing_nullable: true\n");
	expect_text("downgrade ops", r.down, 
		    "- alter_column:\n"
		    "    table: persons\n"
		    "    column: full_name\n"
		    "    new_name: name\n"
		    "    existing_type: varchar(80)\n"
		    "    existing_nullable: true\n"
		    "    existing_default: null\n"
		    "    existing_comment: null\n"
		    "- rename_table: {name: persons, new_name: people}\n");
	expect_text("hints", r.hints, 
		    "");
	result_release(&r);
	mig_strlist_release(&renames);
}

static void bad_rename_in(const char *models, const char *spec, const char *want)
{
	struct mig_compare_opts o;
	struct mig_strlist renames = MIG_STRLIST_INIT;
	mig_compare_opts_init(&o);
	mig_strlist_push(&renames, spec);
	o.renames = &renames;
	expect_fails("postgresql", models, pg_people_db, &o, want);
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	mig_strlist_release(&renames);
}

static void bad_rename(const char *spec, const char *want)
{
	bad_rename_in(pg_persons, spec, want);
}

T(pg_rename_errors)
{
	bad_rename("people",
		   "--rename 'people': "
		   "write old:new (a table) or table.old:new (a column)");
	bad_rename("nobody:persons",
		   "--rename 'nobody:persons': "
		   "the database has no table 'nobody'");
	bad_rename("people:nobody",
		   "--rename 'people:nobody': "
		   "the models declare no table 'nobody'");
	bad_rename("people.nothing:x",
		   "--rename 'people.nothing:x': "
		   "the models declare no table 'people'");
	bad_rename("persons.name:full",
		   "--rename 'persons.name:full': "
		   "the database has no table 'persons'");
	bad_rename_in(pg_people_renamed, "people.nothing:full_name",
		      "--rename 'people.nothing:full_name': table 'people' has no column 'nothing' "
		      "in "
		      "the database");
	bad_rename_in(pg_people_renamed, "people.born:full_name",
		      "--rename 'people.born:full_name': the models still declare column "
		      "'people.born'");
	bad_rename_in(pg_people_renamed, "people.name:nickname",
		      "--rename 'people.name:nickname': the models declare no column "
		      "'people.nickname'");
}

T(pg_comments)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  notes:\n"
		   "    comment: What people wrote\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      body: {type: text, comment: the text}\n"
		   "      author: {type: text}\n",
		   "tables:\n"
		   "  notes:\n"
		   "    comment: Notes\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      body: {type: text}\n"
		   "      author: {type: text, comment: who}\n"
		   "    primary_key: {name: notes_pkey, columns: [id]}\n",
		   "- alter_column:\n"
		   "    table: notes\n"
		   "    column: body\n"
		   "    existing_type: text\n"
		   "    existing_nullable: true\n"
		   "    comment: the text\n"
		   "- alter_column:\n"
		   "    table: notes\n"
		   "    column: author\n"
		   "    existing_type: text\n"
		   "    existing_nullable: true\n"
		   "    comment: null\n"
		   "    existing_comment: who\n"
		   "- create_table_comment: {table: notes, comment: What people wrote, "
		   "existing_comment: Notes}\n",
		   "- create_table_comment: {table: notes, comment: Notes, existing_comment: What "
		   "people wrote}\n"
		   "- alter_column:\n"
		   "    table: notes\n"
		   "    column: author\n"
		   "    existing_type: text\n"
		   "    existing_nullable: true\n"
		   "    existing_default: null\n"
		   "    comment: who\n"
		   "    existing_comment: null\n"
		   "- alter_column:\n"
		   "    table: notes\n"
		   "    column: body\n"
		   "    existing_type: text\n"
		   "    existing_nullable: true\n"
		   "    existing_default: null\n"
		   "    comment: null\n"
		   "    existing_comment: the text\n");
}

T(pg_primary_key_changed)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  memberships:\n"
		   "    columns:\n"
		   "      user_id: {type: integer, nullable: false}\n"
		   "      group_id: {type: integer, nullable: false}\n"
		   "      legacy_id: integer\n"
		   "    primary_key: [user_id, group_id]\n",
		   "tables:\n"
		   "  memberships:\n"
		   "    columns:\n"
		   "      user_id: {type: integer, nullable: false}\n"
		   "      group_id: {type: integer, nullable: false}\n"
		   "      legacy_id: {type: integer, nullable: false, autoincrement: false}\n"
		   "    primary_key: {name: memberships_pkey, columns: [legacy_id]}\n",
		   "- drop_constraint: {table: memberships, name: memberships_pkey, type: "
		   "primary}\n"
		   "- alter_column:\n"
		   "    table: memberships\n"
		   "    column: legacy_id\n"
		   "    existing_type: integer\n"
		   "    nullable: true\n"
		   "    existing_nullable: false\n"
		   "- create_primary_key: {table: memberships, columns: [user_id, group_id]}\n",
		   "- drop_constraint: {table: memberships, type: primary, columns: [user_id, "
		   "group_id]}\n"
		   "- alter_column:\n"
		   "    table: memberships\n"
		   "    column: legacy_id\n"
		   "    existing_type: integer\n"
		   "    nullable: false\n"
		   "    existing_nullable: true\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n"
		   "    existing_autoincrement: false\n"
		   "- create_primary_key: {table: memberships, name: memberships_pkey, columns: "
		   "[legacy_id]}\n");
}

T(pg_computed_changed)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  lines:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      price: \"numeric(10,2)\"\n"
		   "      qty: integer\n"
		   "      total: {type: \"numeric(12,2)\", computed: {sql: price * qty * 1.2, "
		   "stored: "
		   "true}}\n",
		   "tables:\n"
		   "  lines:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      price: \"numeric(10,2)\"\n"
		   "      qty: integer\n"
		   "      total: {type: \"numeric(12,2)\", computed: {sql: \"(price * "
		   "(qty)::numeric)\", "
		   "stored: true}}\n"
		   "    primary_key: {name: lines_pkey, columns: [id]}\n",
		   "# 'lines.total' is computed by another expression: it is dropped and added "
		   "again\n"
		   "- drop_column: {table: lines, column: total}\n"
		   "- add_column:\n"
		   "    table: lines\n"
		   "    column: {name: total, type: \"numeric(12,2)\", computed: {sql: \"price * "
		   "qty * 1.2\", stored: true}}\n",
		   "- drop_column:\n"
		   "    table: lines\n"
		   "    column: {name: total, type: \"numeric(12,2)\", computed: {sql: \"price * "
		   "qty * 1.2\", stored: true}}\n"
		   "- add_column:\n"
		   "    table: lines\n"
		   "    column:\n"
		   "      name: total\n"
		   "      type: \"numeric(12,2)\"\n"
		   "      computed: {sql: \"(price * (qty)::numeric)\", stored: true}\n");
}

T(pg_identity_hint)
{
	struct result r;
	run("postgresql",
	    "tables:\n"
	    "  events:\n"
	    "    columns:\n"
	    "      id: {type: bigint, primary_key: true, identity: {always: true}}\n"
	    "      seq: {type: integer, nullable: false, autoincrement: true}\n",
	    "tables:\n"
	    "  events:\n"
	    "    columns:\n"
	    "      id: {type: bigint, nullable: false, identity: {always: false, start: 100}}\n"
	    "      seq: {type: integer, nullable: false}\n"
	    "    primary_key: {name: events_pkey, columns: [id]}\n",
	    NULL, true, &r);
	expect_text("upgrade ops", r.up, 
		    "");
	expect_text("downgrade ops", r.down, 
		    "");
	expect_text("hints", r.hints, 
		    "column 'events.id' has identity (always) in the models but identity (by "
		    "default, start 100) in the database: autogenerate does not change identity "
		    "columns (write an sql op)\n"
		    "column 'events.seq' autoincrements in the models but does not in the "
		    "database: autogenerate does not change that (write an sql op)\n");
	result_release(&r);
}

T(pg_ignored_tables)
{
	struct mig_compare_opts o;
	struct mig_strlist globs = MIG_STRLIST_INIT;
	mig_compare_opts_init(&o);
	mig_strlist_push(&globs, "tmp_*");
	o.exclude_tables = &globs;
	o.version_table = "alembic_version";
	struct mig_schema *db = load("database.yaml",
				     "tables:\n"
				     "  alembic_version:\n"
				     "    columns:\n"
				     "      version_num: {type: varchar(32), nullable: false}\n"
				     "  migrate_history:\n"
				     "    columns:\n"
				     "      id: integer\n"
				     "  tmp_import:\n"
				     "    columns:\n"
				     "      line: text\n"
				     "  kept:\n"
				     "    columns:\n"
				     "      id: integer\n");
	struct mig_schema *models = load("models.yaml",
					 "tables:\n"
					 "  kept:\n"
					 "    columns:\n"
					 "      id: integer\n"
					 "  tmp_new:\n"
					 "    columns:\n"
					 "      id: integer\n");
	struct mig_object view = { MIG_OBJ_VIEW, NULL, "active_users", NULL, NULL };
	mig_vec_push(&db->objects, view);
	struct mig_oplist up, down;
	mig_oplist_init(&up);
	mig_oplist_init(&down);
	mig_assert_ok(mig_compare(dialect("postgresql"), models, db, &o, &up, &down, NULL));
	assert_int_equal(up.ops.n, 0);
	assert_int_equal(down.ops.n, 0);
	mig_oplist_release(&up);
	mig_oplist_release(&down);
	mig_schema_free(models);
	mig_schema_free(db);
	mig_strlist_release(&globs);
}

T(pg_other_schema_hint)
{
	struct result r;
	run("postgresql",
	    "tables:\n"
	    "  billing.invoices:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n",
	    "tables: {}\n", NULL, true, &r);
	expect_text("upgrade ops", r.up, "");
	expect_text("hints", r.hints,
		    "table 'billing.invoices' is in the schema 'billing', which is not compared: "
		    "set "
		    "include_schemas = true in migrate.ini to compare it\n");
	result_release(&r);
	struct mig_compare_opts o;
	mig_compare_opts_init(&o);
	o.include_schemas = true;
	run("postgresql",
	    "tables:\n"
	    "  billing.invoices:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n",
	    "tables: {}\n", &o, true, &r);
	expect_text("upgrade ops", r.up,
		    "- create_table:\n"
		    "    name: billing.invoices\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n");
	expect_text("hints", r.hints, "");
	result_release(&r);
}

T(pg_fk_deferrable_and_unnamed)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  a:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "  b:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      a_id: {type: integer, references: a.id, deferrable: true, "
		   "initially_deferred: true}\n"
		   "      a2_id: {type: integer, references: a.id, on_update: no action}\n",
		   "tables:\n"
		   "  a:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "    primary_key: {name: a_pkey, columns: [id]}\n"
		   "  b:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      a_id: integer\n"
		   "      a2_id: integer\n"
		   "    primary_key: {name: b_pkey, columns: [id]}\n"
		   "    foreign_keys:\n"
		   "      - {name: b_a2_id_fkey, columns: [a2_id], references: {table: a, columns: "
		   "[id]}}\n"
		   "      - {name: b_a_id_fkey, columns: [a_id], references: {table: a, columns: "
		   "[id]}}\n",
		   "- drop_constraint: {table: b, name: b_a_id_fkey, type: foreignkey}\n"
		   "- create_foreign_key:\n"
		   "    table: b\n"
		   "    columns: [a_id]\n"
		   "    references: {table: a, columns: [id]}\n"
		   "    deferrable: true\n"
		   "    initially_deferred: true\n",
		   "- drop_constraint:\n"
		   "    table: b\n"
		   "    type: foreignkey\n"
		   "    columns: [a_id]\n"
		   "    references: {table: a, columns: [id]}\n"
		   "    deferrable: true\n"
		   "    initially_deferred: true\n"
		   "- create_foreign_key:\n"
		   "    table: b\n"
		   "    name: b_a_id_fkey\n"
		   "    columns: [a_id]\n"
		   "    references: {table: a, columns: [id]}\n");
}

T(pg_column_dropped_with_its_index)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  a:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "  b:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n",
		   "tables:\n"
		   "  a:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      code: {type: varchar(5), nullable: false}\n"
		   "    primary_key: {name: a_pkey, columns: [id]}\n"
		   "    unique:\n"
		   "      - {name: a_code_key, columns: [code]}\n"
		   "  b:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      a_code: varchar(5)\n"
		   "      note: text\n"
		   "    primary_key: {name: b_pkey, columns: [id]}\n"
		   "    indexes:\n"
		   "      - {name: ix_b_note, columns: [note, a_code]}\n"
		   "    foreign_keys:\n"
		   "      - {name: b_a_code_fkey, columns: [a_code], references: {table: a, "
		   "columns: [code]}}\n",
		   "- drop_constraint: {table: b, name: b_a_code_fkey, type: foreignkey}\n"
		   "- drop_constraint: {table: a, name: a_code_key, type: unique}\n"
		   "- drop_index: {table: b, name: ix_b_note}\n"
		   "- drop_column: {table: a, column: code}\n"
		   "- drop_column: {table: b, column: note}\n"
		   "- drop_column: {table: b, column: a_code}\n",
		   "- add_column: {table: b, column: {name: a_code, type: varchar(5)}}\n"
		   "- add_column: {table: b, column: {name: note, type: text}}\n"
		   "- add_column: {table: a, column: {name: code, type: varchar(5), nullable: "
		   "false}}\n"
		   "- create_index: {table: b, name: ix_b_note, columns: [note, a_code]}\n"
		   "- create_unique_constraint: {table: a, name: a_code_key, columns: [code]}\n"
		   "- create_foreign_key:\n"
		   "    table: b\n"
		   "    name: b_a_code_fkey\n"
		   "    columns: [a_code]\n"
		   "    references: {table: a, columns: [code]}\n");
}

T(pg_not_null_column_added_hint)
{
	struct result r;
	run("postgresql",
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n"
	    "      name: {type: varchar(30)}\n"
	    "      age: {type: integer}\n"
	    "      email: {type: varchar(100), nullable: false}\n"
	    "      active: {type: boolean, nullable: false, default: \"true\"}\n",
	    pg_users, NULL, true, &r);
	expect_text("upgrade ops", r.up, 
		    "- add_column: {table: users, column: {name: email, type: varchar(100), "
		    "nullable: false}}\n"
		    "- add_column:\n"
		    "    table: users\n"
		    "    column: {name: active, type: boolean, nullable: false, default: "
		    "\"true\"}\n");
	expect_text("downgrade ops", r.down, 
		    "- drop_column:\n"
		    "    table: users\n"
		    "    column: {name: active, type: boolean, nullable: false, default: "
		    "\"true\"}\n"
		    "- drop_column: {table: users, column: {name: email, type: varchar(100), "
		    "nullable: false}}\n");
	expect_text("hints", r.hints, 
		    "column 'users.email' is added NOT NULL without a default: the upgrade fails "
		    "if the table has rows (give it a default, or add it nullable, fill it, then "
		    "make it NOT NULL)\n");
	result_release(&r);
}

T(pg_enum_created_and_dropped)
{
	expect_ops("postgresql",
		   "enums:\n"
		   "  mood: [happy, sad]\n"
		   "tables:\n"
		   "  people:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      mood: mood\n",
		   "enums:\n"
		   "  old_mood: [meh]\n"
		   "tables:\n"
		   "  people:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      mood: old_mood\n"
		   "    primary_key: {name: people_pkey, columns: [id]}\n",
		   "- create_enum: {name: mood, values: [happy, sad]}\n"
		   "- alter_column:\n"
		   "    table: people\n"
		   "    column: mood\n"
		   "    type: mood\n"
		   "    existing_type: old_mood\n"
		   "    existing_nullable: true\n"
		   "- drop_enum: {name: old_mood}\n",
		   "- create_enum: {name: old_mood, values: [meh]}\n"
		   "- alter_column:\n"
		   "    table: people\n"
		   "    column: mood\n"
		   "    type: old_mood\n"
		   "    existing_type: mood\n"
		   "    existing_nullable: true\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n"
		   "- drop_enum: {name: mood, values: [happy, sad]}\n");
}

T(pg_compare_flags_off)
{
	struct mig_compare_opts o;
	mig_compare_opts_init(&o);
	o.compare_type = false;
	o.compare_server_default = false;
	struct result r;
	run("postgresql",
	    "tables:\n"
	    "  users:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n"
	    "      name: {type: text, default: \"'x'\"}\n"
	    "      age: {type: bigint, nullable: false}\n",
	    pg_users, &o, true, &r);
	expect_text("upgrade ops", r.up, 
		    "- alter_column:\n"
		    "    table: users\n"
		    "    column: age\n"
		    "    existing_type: integer\n"
		    "    nullable: false\n"
		    "    existing_nullable: true\n");
	result_release(&r);
}

T(pg_new_table_references_new_key)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  users:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      name: {type: varchar(30), unique: true}\n"
		   "      age: {type: integer}\n"
		   "  posts:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      user_id: {type: integer, references: users.id}\n"
		   "      user_name: {type: varchar(30), references: users.name}\n",
		   pg_users, "- create_table:\n"
		   "    name: posts\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      user_id: integer\n"
		   "      user_name: varchar(30)\n"
		   "    foreign_keys:\n"
		   "      - {columns: [user_id], references: {table: users, columns: [id]}}\n"
		   "- create_unique_constraint: {table: users, columns: [name]}\n"
		   "- create_foreign_key:\n"
		   "    table: posts\n"
		   "    columns: [user_name]\n"
		   "    references: {table: users, columns: [name]}\n",
		   "- drop_constraint:\n"
		   "    table: posts\n"
		   "    type: foreignkey\n"
		   "    columns: [user_name]\n"
		   "    references: {table: users, columns: [name]}\n"
		   "- drop_constraint: {table: users, type: unique, columns: [name]}\n"
		   "- drop_table:\n"
		   "    name: posts\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      user_id: integer\n"
		   "      user_name: varchar(30)\n"
		   "    foreign_keys:\n"
		   "      - {columns: [user_id], references: {table: users, columns: [id]}}\n");
}


T(pg_unnamed_checks)
{
	expect_ops("postgresql",
		   "tables:\n"
		   "  items:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      qty: {type: integer, nullable: false}\n"
		   "      price: {type: integer, nullable: false}\n"
		   "    checks:\n"
		   "      - {sql: \"(QTY >= 0)\"}\n"
		   "      - {sql: \"price > 1\"}\n"
		   "      - {sql: \"price < qty * 100\"}\n",
		   "tables:\n"
		   "  items:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      qty: {type: integer, nullable: false}\n"
		   "      price: {type: integer, nullable: false}\n"
		   "    primary_key: {name: items_pkey, columns: [id]}\n"
		   "    checks:\n"
		   "      - {name: items_check, sql: \"(price <> 13)\"}\n"
		   "      - {name: items_price_check, sql: \"(price > 0)\"}\n"
		   "      - {name: items_qty_check, sql: \"(qty >= 0)\"}\n",
		   "- drop_constraint: {table: items, name: items_check, type: check}\n"
		   "- drop_constraint: {table: items, name: items_price_check, type: check}\n"
		   "- create_check_constraint: {table: items, name: items_price_check, sql: "
		   "\"price > 1\"}\n"
		   "- create_check_constraint: {table: items, name: items_check, sql: \"price < "
		   "qty * 100\"}\n",
		   "- drop_constraint: {table: items, name: items_check, type: check, sql: \"price "
		   "< qty * 100\"}\n"
		   "- drop_constraint: {table: items, name: items_price_check, type: check, sql: "
		   "\"price > 1\"}\n"
		   "- create_check_constraint: {table: items, name: items_price_check, sql: "
		   "\"(price > 0)\"}\n"
		   "- create_check_constraint: {table: items, name: items_check, sql: \"(price <> "
		   "13)\"}\n");
}

/* ---- MySQL and MariaDB ---- */

/* As MariaDB gives a database back: tinyint(1) is boolean, datetime is
 * timestamp, an inline ENUM is the enum <table>_<column>, unique indexes are
 * unique constraints, the primary key has no name, RESTRICT is no action
 * given, the index behind a foreign key is left out, checks quote names. */
T(mysql_unchanged)
{
	expect_same("mysql",
		    "enums:\n"
		    "  mood: [happy, sad]\n"
		    "tables:\n"
		    "  parent:\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      code: {type: varchar(10), nullable: false}\n"
		    "    indexes:\n"
		    "      - {name: ix_parent_code, columns: [code], unique: true}\n"
		    "  child:\n"
		    "    comment: the children\n"
		    "    columns:\n"
		    "      id: {type: bigint, primary_key: true}\n"
		    "      parent_id: {type: integer, references: parent.id, on_delete: restrict}\n"
		    "      flag: {type: boolean, nullable: false, default: \"0\"}\n"
		    "      price: {type: \"numeric(10,2)\", default: \"0\", comment: in cents}\n"
		    "      born: {type: timestamp, default: now()}\n"
		    "      seen: {type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP}\n"
		    "      day: {type: date, default: CURRENT_DATE}\n"
		    "      mood: {type: mood, default: \"'happy'\"}\n"
		    "      qty: {type: integer, default: \"'1'\"}\n"
		    "      uid: uuid\n"
		    "      notes: {type: text}\n"
		    "    indexes:\n"
		    "      - {columns: [parent_id]}\n"
		    "    checks:\n"
		    "      - {name: qty_positive, sql: qty > 0}\n",
		    "enums:\n"
		    "  child_mood: [happy, sad]\n"
		    "tables:\n"
		    "  child:\n"
		    "    comment: the children\n"
		    "    columns:\n"
		    "      id: bigint\n"
		    "      parent_id: integer\n"
		    "      flag: {type: boolean, nullable: false, default: \"false\"}\n"
		    "      price: {type: \"numeric(10,2)\", default: \"0.00\", comment: in cents}\n"
		    "      born: {type: timestamp, default: CURRENT_TIMESTAMP}\n"
		    "      seen: {type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP}\n"
		    "      day: {type: date, default: curdate()}\n"
		    "      mood: {type: child_mood, default: \"'happy'\"}\n"
		    "      qty: {type: integer, default: \"1\"}\n"
		    "      uid: char(36)\n"
		    "      notes: {type: text}\n"
		    "    primary_key: [id]\n"
		    "    checks:\n"
		    "      - {name: qty_positive, sql: \"`qty` > 0\"}\n"
		    "    foreign_keys:\n"
		    "      - {name: child_ibfk_1, columns: [parent_id], references: {table: "
		    "parent, "
		    "columns: [id]}}\n"
		    "  parent:\n"
		    "    columns:\n"
		    "      id: integer\n"
		    "      code: {type: varchar(10), nullable: false}\n"
		    "    primary_key: [id]\n"
		    "    unique:\n"
		    "      - {name: ix_parent_code, columns: [code]}\n");
}

static const char my_orders_db[] =
	"enums:\n"
	"  orders_status: [pending, shipped]\n"
	"tables:\n"
	"  orders:\n"
	"    columns:\n"
	"      id: integer\n"
	"      status: {type: orders_status, nullable: false}\n"
	"      code: varchar(10)\n"
	"    primary_key: [id]\n"
	"    unique:\n"
	"      - {name: code, columns: [code]}\n";

T(mysql_enum_value_added)
{
	struct result r;
	run("mysql",
	    "enums:\n"
	    "  order_status: [pending, paid, shipped]\n"
	    "tables:\n"
	    "  orders:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n"
	    "      status: {type: order_status, nullable: false}\n"
	    "      code: {type: varchar(10), unique: true}\n",
	    my_orders_db, NULL, false, &r);
	expect_text("upgrade ops", r.up, 
		    "- add_enum_value: {name: orders_status, value: paid, after: pending}\n");
	expect_text("downgrade ops", r.down, 
		    "");
	expect_text("hints", r.hints, 
		    "the upgrade adds 'paid' to enum 'orders_status', which the downgrade leaves: "
		    "add_enum_value has no inverse (write one by hand if the value must go)\n");
	result_release(&r);
}

T(mysql_enum_value_removed)
{
	expect_fails("mysql",
		     "enums:\n"
		     "  order_status: [shipped]\n"
		     "tables:\n"
		     "  orders:\n"
		     "    columns:\n"
		     "      id: {type: integer, primary_key: true}\n"
		     "      status: {type: order_status, nullable: false}\n"
		     "      code: {type: varchar(10), unique: true}\n",
		     my_orders_db, NULL,
		     "enum column 'orders.status': the models remove the value 'pending', which "
		     "autogenerate cannot do: it only ever adds values to an enum column (write "
		     "the "
		     "revision by hand: move the rows off the value, then alter the column's "
		     "type)");
}

T(mysql_enum_table_created_and_dropped)
{
	expect_ops("mysql",
		   "enums:\n"
		   "  order_status: [pending, shipped]\n"
		   "tables:\n"
		   "  shipments:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      status: {type: order_status, nullable: false}\n",
		   my_orders_db,
		   "- create_enum: {name: order_status, values: [pending, shipped]}\n"
		   "- create_table:\n"
		   "    name: shipments\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      status: {type: order_status, nullable: false}\n"
		   "- drop_table: {name: orders}\n"
		   "- drop_enum: {name: orders_status}\n",
		   "- create_enum: {name: orders_status, values: [pending, shipped]}\n"
		   "- create_table:\n"
		   "    name: orders\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      status: {type: orders_status, nullable: false}\n"
		   "      code: varchar(10)\n"
		   "    unique:\n"
		   "      - {name: code, columns: [code]}\n"
		   "- drop_table:\n"
		   "    name: shipments\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      status: {type: order_status, nullable: false}\n"
		   "- drop_enum: {name: order_status, values: [pending, shipped]}\n");
}

T(mysql_enum_column_type_changed)
{
	expect_ops("mysql",
		   "enums:\n"
		   "  order_status: [pending, shipped]\n"
		   "  code_kind: [a, b]\n"
		   "tables:\n"
		   "  orders:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      status: {type: varchar(20), nullable: false}\n"
		   "      code: {type: code_kind, unique: true}\n",
		   my_orders_db,
		   "- create_enum: {name: code_kind, values: [a, b]}\n"
		   "- alter_column:\n"
		   "    table: orders\n"
		   "    column: status\n"
		   "    type: varchar(20)\n"
		   "    existing_type: orders_status\n"
		   "    existing_nullable: false\n"
		   "- alter_column:\n"
		   "    table: orders\n"
		   "    column: code\n"
		   "    type: code_kind\n"
		   "    existing_type: varchar(10)\n"
		   "    existing_nullable: true\n"
		   "- drop_enum: {name: orders_status}\n",
		   "- create_enum: {name: orders_status, values: [pending, shipped]}\n"
		   "- alter_column:\n"
		   "    table: orders\n"
		   "    column: code\n"
		   "    type: varchar(10)\n"
		   "    existing_type: code_kind\n"
		   "    existing_nullable: true\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n"
		   "- alter_column:\n"
		   "    table: orders\n"
		   "    column: status\n"
		   "    type: orders_status\n"
		   "    existing_type: varchar(20)\n"
		   "    existing_nullable: false\n"
		   "    existing_default: null\n"
		   "    existing_comment: null\n"
		   "- drop_enum: {name: code_kind, values: [a, b]}\n");
}

T(mysql_unique_index_made_plain)
{
	expect_ops("mysql",
		   "enums:\n"
		   "  order_status: [pending, shipped]\n"
		   "tables:\n"
		   "  orders:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      status: {type: order_status, nullable: false}\n"
		   "      code: {type: varchar(10), index: true}\n",
		   my_orders_db,
		   "- drop_constraint: {table: orders, name: code, type: unique}\n"
		   "- create_index: {table: orders, name: ix_orders_code, columns: [code]}\n",
		   "- drop_index: {table: orders, name: ix_orders_code, columns: [code]}\n"
		   "- create_unique_constraint: {table: orders, name: code, columns: [code]}\n");
}

T(mysql_fk_actions)
{
	expect_ops("mysql",
		   "tables:\n"
		   "  a:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "  b:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      a1: {type: integer, references: a.id, on_delete: no action}\n"
		   "      a2: {type: integer, references: a.id, on_delete: set null}\n",
		   "tables:\n"
		   "  a:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "    primary_key: [id]\n"
		   "  b:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      a1: integer\n"
		   "      a2: integer\n"
		   "    primary_key: [id]\n"
		   "    foreign_keys:\n"
		   "      - {name: b_ibfk_1, columns: [a1], references: {table: a, columns: "
		   "[id]}}\n"
		   "      - {name: b_ibfk_2, columns: [a2], references: {table: a, columns: [id]}, "
		   "on_delete: cascade}\n",
		   "- drop_constraint: {table: b, name: b_ibfk_2, type: foreignkey}\n"
		   "- create_foreign_key:\n"
		   "    table: b\n"
		   "    columns: [a2]\n"
		   "    references: {table: a, columns: [id]}\n"
		   "    on_delete: set null\n",
		   "- drop_constraint:\n"
		   "    table: b\n"
		   "    type: foreignkey\n"
		   "    columns: [a2]\n"
		   "    references: {table: a, columns: [id]}\n"
		   "    on_delete: set null\n"
		   "- create_foreign_key:\n"
		   "    table: b\n"
		   "    name: b_ibfk_2\n"
		   "    columns: [a2]\n"
		   "    references: {table: a, columns: [id]}\n"
		   "    on_delete: cascade\n");
}

T(mysql_alter_restates_column)
{
	expect_ops("mysql",
		   "tables:\n"
		   "  t:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      name: {type: varchar(60), nullable: false, default: \"'x'\", comment: "
		   "the "
		   "name}\n",
		   "tables:\n"
		   "  t:\n"
		   "    columns:\n"
		   "      id: integer\n"
		   "      name: {type: varchar(40), nullable: false, default: \"'x'\", comment: "
		   "the "
		   "name, collation: utf8mb4_bin}\n"
		   "    primary_key: [id]\n",
		   "- alter_column:\n"
		   "    table: t\n"
		   "    column: name\n"
		   "    type: varchar(60)\n"
		   "    existing_type: varchar(40)\n"
		   "    existing_nullable: false\n"
		   "    existing_default: \"'x'\"\n"
		   "    existing_comment: the name\n"
		   "    existing_collation: utf8mb4_bin\n",
		   "- alter_column:\n"
		   "    table: t\n"
		   "    column: name\n"
		   "    type: varchar(40)\n"
		   "    existing_type: varchar(60)\n"
		   "    existing_nullable: false\n"
		   "    existing_default: \"'x'\"\n"
		   "    existing_comment: the name\n"
		   "    existing_collation: utf8mb4_bin\n");
}

/* ---- SQLite ---- */

/* As SQLite gives a database back: an enum is a VARCHAR with a CHECK named
 * after it, every autoincrementing key is INTEGER, unnamed constraints have
 * no names, there are no comments, defaults are as written. */
T(sqlite_unchanged)
{
	expect_same("sqlite",
		    "enums:\n"
		    "  mood: [happy, sad]\n"
		    "tables:\n"
		    "  parent:\n"
		    "    columns:\n"
		    "      id: {type: bigint, primary_key: true}\n"
		    "      code: {type: varchar(10), nullable: false, unique: true}\n"
		    "  child:\n"
		    "    comment: not kept by sqlite\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      parent_id: {type: integer, references: parent.id, on_delete: no "
		    "action}\n"
		    "      mood: {type: mood, nullable: false, default: \"'happy'\", comment: no}\n"
		    "      flag: {type: boolean, default: \"false\"}\n"
		    "      uid: uuid\n"
		    "      doc: json\n"
		    "      n: {type: integer, default: \"-1\"}\n"
		    "      day: {type: date, default: \"(date('now'))\"}\n"
		    "    checks:\n"
		    "      - {sql: n <> 0}\n",
		    "tables:\n"
		    "  child:\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      parent_id: integer\n"
		    "      mood: {type: varchar(5), nullable: false, default: \"'happy'\"}\n"
		    "      flag: {type: boolean, default: \"false\"}\n"
		    "      uid: char(36)\n"
		    "      doc: text\n"
		    "      n: {type: integer, default: \"-1\"}\n"
		    "      day: {type: date, default: \"(date('now'))\"}\n"
		    "    checks:\n"
		    "      - {name: mood, sql: \"mood IN ('happy', 'sad')\"}\n"
		    "      - {sql: \"n <> 0\"}\n"
		    "    foreign_keys:\n"
		    "      - {columns: [parent_id], references: {table: parent, columns: [id]}}\n"
		    "  parent:\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      code: {type: varchar(10), nullable: false}\n"
		    "    unique:\n"
		    "      - {columns: [code]}\n");
}

static const char sqlite_tasks_db[] =
	"tables:\n"
	"  tasks:\n"
	"    columns:\n"
	"      id: {type: integer, primary_key: true}\n"
	"      state: {type: varchar(4), nullable: false}\n"
	"      title: text\n"
	"      owner: text\n"
	"    checks:\n"
	"      - {name: task_state, sql: \"state IN ('todo', 'done')\"}\n"
	"      - {sql: \"length(title) > 0\"}\n"
	"    unique:\n"
	"      - {columns: [title, owner]}\n";

T(sqlite_enum_value_added)
{
	struct result r;
	run("sqlite",
	    "enums:\n"
	    "  task_state: [todo, doing, done]\n"
	    "tables:\n"
	    "  tasks:\n"
	    "    columns:\n"
	    "      id: {type: integer, primary_key: true}\n"
	    "      state: {type: task_state, nullable: false}\n"
	    "      title: text\n"
	    "      owner: text\n"
	    "    checks:\n"
	    "      - {sql: length(title) > 0}\n"
	    "    unique:\n"
	    "      - {columns: [title, owner]}\n",
	    sqlite_tasks_db, NULL, false, &r);
	expect_text("upgrade ops", r.up, 
		    "- add_enum_value: {name: task_state, value: doing, after: todo}\n");
	expect_text("downgrade ops", r.down, 
		    "");
	expect_text("hints", r.hints, 
		    "the upgrade adds 'doing' to enum 'task_state', which the downgrade leaves: "
		    "add_enum_value has no inverse (write one by hand if the value must go)\n");
	result_release(&r);
}

T(sqlite_unnamed_constraints_dropped)
{
	expect_ops("sqlite",
		   "enums:\n"
		   "  task_state: [todo, done]\n"
		   "tables:\n"
		   "  tasks:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      state: {type: task_state, nullable: false}\n"
		   "      title: text\n"
		   "      owner: text\n",
		   sqlite_tasks_db,
		   "- drop_constraint: {table: tasks, type: unique, columns: [title, owner]}\n"
		   "- drop_constraint: {table: tasks, type: check, sql: \"length(title) > 0\"}\n",
		   "- create_check_constraint: {table: tasks, sql: \"length(title) > 0\"}\n"
		   "- create_unique_constraint: {table: tasks, columns: [title, owner]}\n");
}

T(sqlite_default_as_written)
{
	expect_ops("sqlite",
		   "tables:\n"
		   "  t:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      at: {type: timestamp, default: CURRENT_TIMESTAMP}\n"
		   "      d: {type: date, default: \"(date('now', 'localtime'))\"}\n",
		   "tables:\n"
		   "  t:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      at: {type: timestamp, default: current_timestamp}\n"
		   "      d: {type: date, default: \"(date('now'))\"}\n",
		   "- alter_column:\n"
		   "    table: t\n"
		   "    column: d\n"
		   "    existing_type: date\n"
		   "    existing_nullable: true\n"
		   "    default: \"(date('now', 'localtime'))\"\n"
		   "    existing_default: \"(date('now'))\"\n",
		   "- alter_column:\n"
		   "    table: t\n"
		   "    column: d\n"
		   "    existing_type: date\n"
		   "    existing_nullable: true\n"
		   "    default: \"(date('now'))\"\n"
		   "    existing_default: \"(date('now', 'localtime'))\"\n"
		   "    existing_comment: null\n");
}

T(sqlite_enum_table_created)
{
	expect_ops("sqlite",
		   "enums:\n"
		   "  task_state: [todo, done]\n"
		   "tables:\n"
		   "  tasks:\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      state: {type: task_state, nullable: false}\n",
		   "tables: {}\n", "- create_enum: {name: task_state, values: [todo, done]}\n"
		   "- create_table:\n"
		   "    name: tasks\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      state: {type: task_state, nullable: false}\n",
		   "- drop_table:\n"
		   "    name: tasks\n"
		   "    columns:\n"
		   "      id: {type: integer, primary_key: true}\n"
		   "      state: {type: task_state, nullable: false}\n"
		   "- drop_enum: {name: task_state, values: [todo, done]}\n");
}


/* ---- normal forms ---- */

static void expr_is(const char *sql, const char *want)
{
	char *got = mig_compare_norm_expr(sql);
	expect_text(sql, got, want);
	free(got);
}

T(norm_expr)
{
	expr_is("x > 0", "x > 0");
	expr_is("((x > 0))", "x > 0");
	expr_is("(\"x\" > 0) AND (y < 5)", "x > 0 and y < 5");
	expr_is("`qty` > 0 and `price` >= 0.0", "qty > 0 and price >= 0");
	expr_is("(status = ANY (ARRAY['a'::text, 'b'::text]))", "status in ( 'a' , 'b' )");
	expr_is("status IN ('a','b')", "status in ( 'a' , 'b' )");
	expr_is("(status <> ALL (ARRAY['a'::text]))", "status not in ( 'a' )");
	expr_is("((email)::text ~~ '%@%'::text)", "email like '%@%'");
	expr_is("email NOT LIKE '%@%'", "email not like '%@%'");
	expr_is("a != b", "a <> b");
	expr_is("lower((email)::text)", "lower ( email )");
	expr_is("LOWER(email)", "lower ( email )");
	expr_is("(created_at)::timestamp without time zone", "created_at");
	expr_is("x::character varying(10) = 'Y'", "x = 'Y'");
	expr_is("NOT (a)", "not a");
	expr_is("qty BETWEEN 0 AND 1000", "qty >= 0 and qty <= 1000");
	expr_is("((qty >= 0) AND (qty <= 1000))", "qty >= 0 and qty <= 1000");
	expr_is("n between -1 and 1 or n = 5", "n >= - 1 and n <= 1 or n = 5");
	expr_is("((n >= '-1'::integer) AND (n <= 1)) OR (n = 5)", "n >= - 1 and n <= 1 or n = 5");
	expr_is("x = '5'::text", "x = '5'");
}

static void default_is(const char *dialect_name, const char *type, const char *sql,
		       const char *want)
{
	struct mig_arena a = MIG_ARENA_INIT;
	struct mig_type t;
	mig_assert_ok(mig_type_parse(&a, type, &t));
	char *got = mig_compare_norm_default(dialect(dialect_name), &t, sql);
	if (!want || !got) {
		if (want != got) {
			fail_msg("default %s: got %s, expected %s", sql, got ? got : "none",
				 want ? want : "none");
		}
	} else {
		expect_text(sql, got, want);
	}
	free(got);
	mig_arena_release(&a);
}

T(norm_default)
{
	default_is("postgresql", "varchar(10)", "'x'::character varying", "'x'");
	default_is("postgresql", "integer", "'-1'::integer", "-1");
	default_is("postgresql", "integer", "-1", "-1");
	default_is("postgresql", "integer", "'5'", "5");
	default_is("postgresql", "numeric(10,2)", "0.00", "0");
	default_is("postgresql", "numeric(10,2)", "'19.990'::numeric", "19.99");
	default_is("postgresql", "timestamptz", "now()", "current_timestamp");
	default_is("postgresql", "timestamptz", "CURRENT_TIMESTAMP", "current_timestamp");
	default_is("mysql", "timestamp", "current_timestamp()", "current_timestamp");
	default_is("mysql", "timestamp", "CURRENT_TIMESTAMP()", "current_timestamp");
	default_is("mysql", "timestamp(6)", "current_timestamp(6)", "current_timestamp ( 6 )");
	default_is("mysql", "date", "curdate()", "current_date");
	default_is("mysql", "integer", "(1 + 2)", "1 + 2");
	default_is("postgresql", "boolean", "false", "false");
	default_is("mysql", "boolean", "0", "false");
	default_is("mysql", "boolean", "'0'", "false");
	default_is("mysql", "bit(1)", "b'0'", "b '0'");
	default_is("mysql", "boolean", "b'1'", "true");
	default_is("sqlite", "boolean", "'t'", "true");
	default_is("mysql", "integer", "NULL", NULL);
	default_is("postgresql", "text", "NULL::text", NULL);
	default_is("postgresql", "text", "'NULL'::text", "'NULL'");
	default_is("postgresql", "jsonb", "'{}'::jsonb", "'{}'");
	default_is("sqlite", "date", "(date('now'))", "date ( 'now' )");
}

static void type_is(const char *dialect_name, const char *type, const char *want)
{
	struct mig_arena a = MIG_ARENA_INIT;
	struct mig_type t;
	mig_assert_ok(mig_type_parse(&a, type, &t));
	char *got = mig_compare_norm_type(dialect(dialect_name), &t, NULL);
	expect_text(type, got, want);
	free(got);
	mig_arena_release(&a);
}

T(norm_type)
{
	type_is("postgresql", "int", "integer");
	type_is("postgresql", "int4", "integer");
	type_is("postgresql", "serial", "integer");
	type_is("postgresql", "bigserial", "bigint");
	type_is("postgresql", "character varying(30)", "character varying(30)");
	type_is("postgresql", "varchar(30)", "character varying(30)");
	type_is("postgresql", "numeric(10, 2)", "numeric(10,2)");
	type_is("postgresql", "decimal(10,2)", "numeric(10,2)");
	type_is("postgresql", "float", "double precision");
	type_is("postgresql", "float(10)", "real");
	type_is("postgresql", "timestamp", "timestamp");
	type_is("postgresql", "timestamp(3) without time zone", "timestamp(3)");
	type_is("postgresql", "timestamptz(3)", "timestamp(3) with time zone");
	type_is("postgresql", "timetz", "time with time zone");
	type_is("postgresql", "int4[]", "integer[]");
	type_is("postgresql", "char", "character(1)");
	type_is("mysql", "integer", "int");
	type_is("mysql", "int(11)", "int");
	type_is("mysql", "int(10) unsigned", "int unsigned");
	type_is("mysql", "tinyint(1)", "bool");
	type_is("mysql", "boolean", "bool");
	type_is("mysql", "timestamp", "datetime");
	type_is("mysql", "datetime", "datetime");
	type_is("mysql", "timestamptz", "timestamp");
	type_is("mysql", "decimal(10,2)", "numeric(10,2)");
	type_is("mysql", "numeric(10)", "numeric(10,0)");
	type_is("mysql", "double precision", "double");
	type_is("mysql", "uuid", "char(36)");
	type_is("mysql", "char", "char(1)");
	type_is("sqlite", "int", "integer");
	type_is("sqlite", "json", "text");
	type_is("sqlite", "uuid", "char(36)");
}

T(pg_enum_values_reordered)
{
	expect_fails("postgresql",
		     "enums:\n"
		     "  order_status: [shipped, pending]\n"
		     "tables:\n"
		     "  orders:\n"
		     "    columns:\n"
		     "      id: {type: integer, primary_key: true}\n"
		     "      status: {type: order_status, nullable: false}\n",
		     pg_status_db, NULL,
		     "enum 'order_status': the models reorder the values, which autogenerate "
		     "cannot do: an enum type cannot reorder its values without being recreated "
		     "(write the revision by hand)");
}

/* The same inputs give the same ops, byte for byte. */
T(deterministic)
{
	struct result a, b;
	const char *models = "tables:\n"
			     "  z:\n"
			     "    columns:\n"
			     "      id: {type: integer, primary_key: true}\n"
			     "      a_id: {type: integer, references: a.id}\n"
			     "  a:\n"
			     "    columns:\n"
			     "      id: {type: integer, primary_key: true}\n"
			     "      z_id: {type: integer, references: z.id}\n"
			     "  m:\n"
			     "    columns:\n"
			     "      id: {type: integer, primary_key: true}\n";
	run("postgresql", models, pg_people_db, NULL, true, &a);
	run("postgresql", models, pg_people_db, NULL, true, &b);
	expect_text("upgrade ops", a.up, b.up);
	expect_text("downgrade ops", a.down, b.down);
	expect_text("upgrade ops", a.up,
		    "- create_table:\n"
		    "    name: m\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "- create_table:\n"
		    "    name: z\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      a_id: integer\n"
		    "- create_table:\n"
		    "    name: a\n"
		    "    columns:\n"
		    "      id: {type: integer, primary_key: true}\n"
		    "      z_id: integer\n"
		    "    foreign_keys:\n"
		    "      - {columns: [z_id], references: {table: z, columns: [id]}}\n"
		    "- create_foreign_key: {table: z, columns: [a_id], references: {table: a, "
		    "columns: [id]}}\n"
		    "- drop_table: {name: people}\n");
	result_release(&a);
	result_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_pg_unchanged_every_type),
		cmocka_unit_test(test_compare_pg_varchar_longer),
		cmocka_unit_test(test_compare_pg_integer_to_bigint),
		cmocka_unit_test(test_compare_pg_not_null),
		cmocka_unit_test(test_compare_pg_default_added_and_removed),
		cmocka_unit_test(test_compare_pg_unique_moved),
		cmocka_unit_test(test_compare_pg_fk_on_delete_changed),
		cmocka_unit_test(test_compare_pg_check_changed),
		cmocka_unit_test(test_compare_pg_index_made_unique),
		cmocka_unit_test(test_compare_pg_enum_values_added),
		cmocka_unit_test(test_compare_pg_enum_value_removed),
		cmocka_unit_test(test_compare_pg_parent_and_child_created),
		cmocka_unit_test(test_compare_pg_fk_cycle_created),
		cmocka_unit_test(test_compare_pg_fk_cycle_dropped),
		cmocka_unit_test(test_compare_pg_rename_column_hint),
		cmocka_unit_test(test_compare_pg_rename_column_asked),
		cmocka_unit_test(test_compare_pg_rename_table_hint),
		cmocka_unit_test(test_compare_pg_rename_table_asked),
		cmocka_unit_test(test_compare_pg_rename_table_and_column_asked),
		cmocka_unit_test(test_compare_pg_rename_errors),
		cmocka_unit_test(test_compare_pg_comments),
		cmocka_unit_test(test_compare_pg_primary_key_changed),
		cmocka_unit_test(test_compare_pg_computed_changed),
		cmocka_unit_test(test_compare_pg_identity_hint),
		cmocka_unit_test(test_compare_pg_ignored_tables),
		cmocka_unit_test(test_compare_pg_other_schema_hint),
		cmocka_unit_test(test_compare_pg_fk_deferrable_and_unnamed),
		cmocka_unit_test(test_compare_pg_column_dropped_with_its_index),
		cmocka_unit_test(test_compare_pg_not_null_column_added_hint),
		cmocka_unit_test(test_compare_pg_enum_created_and_dropped),
		cmocka_unit_test(test_compare_pg_compare_flags_off),
		cmocka_unit_test(test_compare_pg_new_table_references_new_key),
		cmocka_unit_test(test_compare_pg_unnamed_checks),
		cmocka_unit_test(test_compare_mysql_unchanged),
		cmocka_unit_test(test_compare_mysql_enum_value_added),
		cmocka_unit_test(test_compare_mysql_enum_value_removed),
		cmocka_unit_test(test_compare_mysql_enum_table_created_and_dropped),
		cmocka_unit_test(test_compare_mysql_enum_column_type_changed),
		cmocka_unit_test(test_compare_mysql_unique_index_made_plain),
		cmocka_unit_test(test_compare_mysql_fk_actions),
		cmocka_unit_test(test_compare_mysql_alter_restates_column),
		cmocka_unit_test(test_compare_sqlite_unchanged),
		cmocka_unit_test(test_compare_sqlite_enum_value_added),
		cmocka_unit_test(test_compare_sqlite_unnamed_constraints_dropped),
		cmocka_unit_test(test_compare_sqlite_default_as_written),
		cmocka_unit_test(test_compare_sqlite_enum_table_created),
		cmocka_unit_test(test_compare_norm_expr),
		cmocka_unit_test(test_compare_norm_default),
		cmocka_unit_test(test_compare_norm_type),
		cmocka_unit_test(test_compare_pg_enum_values_reordered),
		cmocka_unit_test(test_compare_deterministic),
	};
	int failed = cmocka_run_group_tests_name("compare", tests, NULL, NULL);
	mig_error_clear();
	return failed;
}
