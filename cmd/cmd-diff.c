/* migrate diff [--sql] [--rename OLD:NEW]... [--format text|json]: what
 * autogenerate would write for this database, as ops or as this database's
 * SQL, without writing anything. Also what revision --autogenerate, diff and
 * check share: loading the models, reflecting, comparing, and showing ops. */
#include "migrate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void mig_autogen_release(struct mig_autogen *a)
{
	mig_schema_free(a->declared);
	mig_schema_free(a->reflected);
	mig_oplist_release(&a->upgrade);
	mig_oplist_release(&a->downgrade);
	mig_strlist_release(&a->hints);
	memset(a, 0, sizeof(*a));
}

int mig_cmd_autogenerate(struct mig_ctx *ctx, const struct mig_strlist *renames,
			 struct mig_autogen *out)
{
	const struct mig_config *cfg = &ctx->cfg;
	memset(out, 0, sizeof(*out));
	mig_oplist_init(&out->upgrade);
	mig_oplist_init(&out->downgrade);
	if (mig_model_load(&cfg->models, &out->declared) < 0) {
		return MIG_ERROR;
	}
	if (mig_cmd_open_db(ctx) < 0) {
		return MIG_ERROR;
	}
	struct mig_reflect_opts ropts = {
		.version_table = cfg->version_table,
		.version_table_schema = cfg->version_table_schema,
		.include_schemas = cfg->include_schemas,
		.exclude_tables = &cfg->exclude_tables,
	};
	if (mig_db_reflect(ctx->db, &ropts, &out->reflected) < 0) {
		return MIG_ERROR;
	}
	if (mig_verbosity > 1) {
		for (size_t i = 0; i < out->reflected->warnings.n; i++) {
			fprintf(stderr, "warning: %s\n", out->reflected->warnings.v[i]);
		}
	}
	struct mig_compare_opts copts;
	mig_compare_opts_init(&copts);
	copts.compare_type = cfg->compare_type;
	copts.compare_server_default = cfg->compare_server_default;
	copts.exclude_tables = &cfg->exclude_tables;
	copts.version_table = cfg->version_table;
	copts.include_schemas = cfg->include_schemas;
	copts.renames = renames;
	return mig_compare(mig_db_dialect(ctx->db), out->declared, out->reflected, &copts,
			   &out->upgrade, &out->downgrade, &out->hints);
}

void mig_cmd_print_hints(const struct mig_strlist *hints)
{
	for (size_t i = 0; i < hints->n; i++) {
		fprintf(stderr, "hint: %s\n", hints->v[i]);
	}
}

void mig_cmd_describe_op(struct mig_str *out, const struct mig_op *op)
{
	const char *what = op->name;
	if (op->kind == MIG_OP_ADD_COLUMN || op->kind == MIG_OP_DROP_COLUMN ||
	    op->kind == MIG_OP_ALTER_COLUMN) {
		what = op->column;
	}
	mig_str_add(out, mig_op_kind_name(op->kind));
	if (op->table) {
		mig_str_addf(out, " '%s%s%s", op->schema ? op->schema : "", op->schema ? "." : "",
			     op->table);
		if (what) {
			mig_str_addf(out, ".%s", what);
		}
		mig_str_addch(out, '\'');
	} else if (what) {
		mig_str_addf(out, " '%s%s%s'", op->schema ? op->schema : "",
			     op->schema ? "." : "", what);
	}
	if (op->kind == MIG_OP_ADD_ENUM_VALUE) {
		mig_str_addf(out, " '%s'", op->value);
	}
	if (op->kind == MIG_OP_RENAME_TABLE || op->alter.new_name) {
		mig_str_addf(out, " to '%s'",
			     op->kind == MIG_OP_RENAME_TABLE ? op->new_name : op->alter.new_name);
	}
}

static void json_or_null(struct mig_str *out, const char *s)
{
	if (s) {
		mig_json_string(out, s);
	} else {
		mig_str_add(out, "null");
	}
}

void mig_cmd_json_ops(struct mig_str *out, const struct mig_oplist *ops, int indent)
{
	if (!ops->ops.n) {
		mig_str_add(out, "[]");
		return;
	}
	mig_str_add(out, "[\n");
	for (size_t i = 0; i < ops->ops.n; i++) {
		struct mig_op op = ops->ops.v[i];
		const char *note = op.note;
		struct mig_oplist one;
		struct mig_str yaml = MIG_STR_INIT;
		op.note = NULL;
		mig_oplist_init(&one);
		mig_oplist_push(&one, &op);
		mig_ops_write(&yaml, &one, 0);
		mig_str_addf(out, "%*s{\"op\": ", indent + 2, "");
		mig_json_string(out, mig_op_kind_name(op.kind));
		mig_str_add(out, ", \"table\": ");
		char *table = op.table ? xasprintf("%s%s%s", op.schema ? op.schema : "",
						   op.schema ? "." : "", op.table)
				       : NULL;
		json_or_null(out, table);
		free(table);
		mig_str_add(out, ", \"name\": ");
		json_or_null(out, op.name);
		mig_str_add(out, ", \"column\": ");
		json_or_null(out, op.column);
		mig_str_add(out, ", \"yaml\": ");
		mig_json_string(out, yaml.buf);
		mig_str_add(out, ", \"note\": ");
		json_or_null(out, note);
		mig_str_add(out, i + 1 < ops->ops.n ? "},\n" : "}\n");
		mig_str_release(&yaml);
		mig_oplist_release(&one);
	}
	mig_str_addf(out, "%*s]", indent, "");
}

void mig_cmd_json_strings(struct mig_str *out, const struct mig_strlist *l)
{
	mig_str_addch(out, '[');
	for (size_t i = 0; i < l->n; i++) {
		mig_str_add(out, i ? ", " : "");
		mig_json_string(out, l->v[i]);
	}
	mig_str_addch(out, ']');
}

/* The SQL of the upgrade for this database, each op rendered against the
 * schema just before it. */
static int render_sql(struct mig_ctx *ctx, const struct mig_autogen *a, struct mig_strlist *out)
{
	struct mig_schema *s = mig_schema_copy(a->reflected);
	int rc = 0;
	bool known = true;
	for (size_t i = 0; i < a->upgrade.ops.n && rc == 0; i++) {
		const struct mig_op *op = &a->upgrade.ops.v[i];
		rc = mig_render_op(mig_db_dialect(ctx->db), known ? s : NULL, false, op, out);
		if (rc == 0 && known && mig_schema_apply(s, op) != 0) {
			mig_error_clear();
			known = false;
		}
	}
	mig_schema_free(s);
	return rc;
}

static int diff_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sql", no_argument, NULL, 's' },
		{ "rename", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		MIG_CMD_HELP_OPTION,
		{ 0 },
	};
	struct mig_strlist renames = MIG_STRLIST_INIT, sql = MIG_STRLIST_INIT;
	struct mig_autogen a;
	struct mig_str out = MIG_STR_INIT;
	bool want_sql = false, json = false;
	int c, rc = 0;

	memset(&a, 0, sizeof(a));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			want_sql = true;
			break;
		case 'r':
			mig_strlist_push(&renames, optarg);
			break;
		case 'f':
			if (mig_cmd_parse_format(&cmd_diff_entry, optarg, &json) < 0) {
				rc = MIG_EXIT_USAGE;
				goto done;
			}
			break;
		case 'h':
			mig_cmd_print_help(&cmd_diff_entry, stdout);
			goto done;
		default:
			fprintf(stderr, "usage: migrate %s\n", cmd_diff_entry.usage);
			rc = MIG_EXIT_USAGE;
			goto done;
		}
	}
	if (optind < argc) {
		rc = mig_cmd_usage_error(&cmd_diff_entry, "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	if (mig_cmd_autogenerate(ctx, &renames, &a) < 0 ||
	    (want_sql && render_sql(ctx, &a, &sql) < 0)) {
		rc = mig_cmd_fail();
		goto done;
	}
	if (json) {
		mig_str_add(&out, "{");
		if (want_sql) {
			mig_str_add(&out, "\"sql\": ");
			mig_cmd_json_strings(&out, &sql);
		} else {
			mig_str_add(&out, "\"upgrade\": ");
			mig_cmd_json_ops(&out, &a.upgrade, 0);
			mig_str_add(&out, ", \"downgrade\": ");
			mig_cmd_json_ops(&out, &a.downgrade, 0);
		}
		mig_str_add(&out, ", \"hints\": ");
		mig_cmd_json_strings(&out, &a.hints);
		mig_str_add(&out, "}\n");
	} else if (want_sql) {
		for (size_t i = 0; i < sql.n; i++) {
			mig_str_addf(&out, "%s;\n", sql.v[i]);
		}
		mig_cmd_print_hints(&a.hints);
	} else {
		mig_ops_write(&out, &a.upgrade, 0);
		mig_cmd_print_hints(&a.hints);
	}
	fputs(mig_str_cstr(&out), stdout);
done:
	mig_str_release(&out);
	mig_strlist_release(&sql);
	mig_strlist_release(&renames);
	mig_autogen_release(&a);
	return rc;
}

const struct mig_cmd cmd_diff_entry = {
	.name = "diff",
	.usage = "diff [--sql] [--rename OLD:NEW]... [--format text|json]",
	.summary = "show what autogenerate would do, as ops or SQL, without writing a file",
	.help = "options:\n"
		"      --sql              print this database's SQL for the ops instead of the\n"
		"                         ops\n"
		"      --rename OLD:NEW   a table (t_old:t_new) or a column (table.c_old:c_new)\n"
		"                         that was renamed: an alter_column or rename_table\n"
		"                         instead of a drop and a create (repeatable)\n"
		"      --format text|json output format (default text)\n"
		"\n"
		"Compares the models (the 'models' of migrate.ini) with the database and prints\n"
		"the upgrade ops 'revision --autogenerate' would write, in the revision file's\n"
		"YAML; nothing when the two agree. Hints (possible renames, differences no op\n"
		"can express) go to stderr as 'hint: …'. JSON: {\"upgrade\": [...],\n"
		"\"downgrade\": [...], \"hints\": [...]}, or with --sql {\"sql\": [...],\n"
		"\"hints\": [...]}. Exit codes: 0 done (whatever the differences; see 'check'),\n"
		"2 usage, 3 database error, 4 model file error.\n",
	.flags = MIG_CMD_NEEDS_CONFIG | MIG_CMD_NEEDS_DB,
	.exec = diff_exec,
};
