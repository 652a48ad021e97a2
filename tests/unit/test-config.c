/* Unit tests for lib/config.c: defaults, every key, interpolation, path
 * resolution, lookup order, URL precedence, hooks, warnings and exact errors.
 * Each test runs in a fresh temporary folder that is also the current one. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
	char *old_cwd;
	char *dir; /* the temporary folder, as getcwd() spells it */
	struct mig_config cfg;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *tmp = mig_test_tmpdir();
	f->old_cwd = getcwd(NULL, 0);
	if (chdir(tmp) != 0) {
		return -1;
	}
	free(tmp);
	f->dir = getcwd(NULL, 0);
	unsetenv("MIGRATE_CONFIG");
	unsetenv("MIGRATE_URL");
	mig_config_init(&f->cfg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	mig_config_release(&f->cfg);
	if (chdir(f->old_cwd) != 0) {
		return -1;
	}
	mig_test_rmtree(f->dir);
	unsetenv("MIGRATE_CONFIG");
	unsetenv("MIGRATE_URL");
	free(f->old_cwd);
	free(f->dir);
	free(f);
	return 0;
}

/* Write name in the test folder; returns nothing, the path is name. */
static void write_file(const char *name, const char *text)
{
	free(mig_test_write(".", name, text));
}

/* f->dir + "/" + rel, compared with got. */
static void assert_in_dir(const struct fixture *f, const char *got, const char *rel)
{
	char *want = mig_path_join(f->dir, rel);
	assert_string_equal(got, want);
	free(want);
}

static void test_config_defaults(void **state)
{
	struct fixture *f = *state;
	struct mig_config *c = &f->cfg;
	assert_null(c->path);
	assert_string_equal(c->here, ".");
	assert_string_equal(c->script_location, "migrations");
	assert_int_equal(c->models.n, 1);
	assert_string_equal(c->models.v[0], "models");
	assert_null(c->url);
	assert_null(c->url_source);
	assert_string_equal(c->version_table, "migrate_version");
	assert_null(c->version_table_schema);
	assert_string_equal(c->file_template, "%(rev)s_%(slug)s");
	assert_int_equal(c->truncate_slug_length, 40);
	assert_string_equal(c->timezone, "UTC");
	assert_false(c->transaction_per_migration);
	assert_true(c->compare_type);
	assert_true(c->compare_server_default);
	assert_false(c->include_schemas);
	assert_int_equal(c->exclude_tables.n, 0);
	assert_int_equal(c->lock_timeout, 60);
	assert_int_equal(c->hooks.n, 0);
	assert_int_equal(c->warnings.n, 0);
	char *v = mig_config_versions_dir(c);
	assert_string_equal(v, "migrations/versions");
	free(v);
}

static void test_config_no_file_optional(void **state)
{
	struct fixture *f = *state;
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, false));
	assert_null(f->cfg.path);
	assert_string_equal(f->cfg.here, ".");
	assert_string_equal(f->cfg.script_location, "migrations");
	assert_null(f->cfg.url);
}

static void test_config_no_file_required(void **state)
{
	struct fixture *f = *state;
	mig_assert_fails_with(mig_config_load(&f->cfg, NULL, NULL, true),
			      "no migrate.ini found (looked for ./migrate.ini; use -c FILE or "
			      "$MIGRATE_CONFIG)");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
}

static void test_config_every_key(void **state)
{
	struct fixture *f = *state;
	struct mig_config *c = &f->cfg;
	write_file("migrate.ini", "# every key\n"
				  "[migrate]\n"
				  "script_location = db/migrations\n"
				  "models = db/models, shared/common.yaml\n"
				  "url = postgresql://app@localhost/shop\n"
				  "version_table = alembic_version\n"
				  "version_table_schema = meta\n"
				  "file_template = %%(year)d_%%(rev)s\n"
				  "truncate_slug_length = 20\n"
				  "timezone = Europe/Paris\n"
				  "transaction_per_migration = true\n"
				  "compare_type = false\n"
				  "compare_server_default = no\n"
				  "include_schemas = on\n"
				  "exclude_tables = spatial_ref_sys, tmp_*\n"
				  "lock_timeout = 5\n");
	mig_assert_ok(mig_config_load(c, NULL, NULL, true));
	assert_string_equal(c->path, "migrate.ini");
	assert_string_equal(c->here, f->dir);
	assert_in_dir(f, c->script_location, "db/migrations");
	assert_int_equal(c->models.n, 2);
	assert_in_dir(f, c->models.v[0], "db/models");
	assert_in_dir(f, c->models.v[1], "shared/common.yaml");
	assert_string_equal(c->url, "postgresql://app@localhost/shop");
	assert_string_equal(c->url_source, "migrate.ini:5");
	assert_string_equal(c->version_table, "alembic_version");
	assert_string_equal(c->version_table_schema, "meta");
	assert_string_equal(c->file_template, "%(year)d_%(rev)s");
	assert_int_equal(c->truncate_slug_length, 20);
	assert_string_equal(c->timezone, "Europe/Paris");
	assert_true(c->transaction_per_migration);
	assert_false(c->compare_type);
	assert_false(c->compare_server_default);
	assert_true(c->include_schemas);
	assert_int_equal(c->exclude_tables.n, 2);
	assert_string_equal(c->exclude_tables.v[0], "spatial_ref_sys");
	assert_string_equal(c->exclude_tables.v[1], "tmp_*");
	assert_int_equal(c->lock_timeout, 5);
	assert_int_equal(c->warnings.n, 0);
	char *v = mig_config_versions_dir(c);
	assert_in_dir(f, v, "db/migrations/versions");
	free(v);
}

static void test_config_defaults_resolved_against_here(void **state)
{
	struct fixture *f = *state;
	write_file("proj/migrate.ini", "[migrate]\nurl = sqlite:///app.db\n");
	mig_assert_ok(mig_config_load(&f->cfg, "proj/migrate.ini", NULL, true));
	assert_string_equal(f->cfg.path, "proj/migrate.ini");
	assert_in_dir(f, f->cfg.here, "proj");
	/* the defaults, like every relative path, are relative to the file */
	assert_in_dir(f, f->cfg.script_location, "proj/migrations");
	assert_in_dir(f, f->cfg.models.v[0], "proj/models");
	assert_string_equal(f->cfg.url_source, "proj/migrate.ini:2");
}

static void test_config_relative_paths(void **state)
{
	struct fixture *f = *state;
	write_file("a/b/migrate.ini", "[migrate]\n"
				      "script_location = ./migrations/\n"
				      "models = ../shared/models\n"
				      "    /srv/models\n"
				      "    models/extra.yml\n");
	mig_assert_ok(mig_config_load(&f->cfg, "a/b/migrate.ini", NULL, true));
	assert_in_dir(f, f->cfg.script_location, "a/b/migrations");
	assert_int_equal(f->cfg.models.n, 3);
	assert_in_dir(f, f->cfg.models.v[0], "a/shared/models");
	assert_string_equal(f->cfg.models.v[1], "/srv/models");
	assert_in_dir(f, f->cfg.models.v[2], "a/b/models/extra.yml");
}

static void test_config_here_interpolation(void **state)
{
	struct fixture *f = *state;
	write_file("conf/migrate.ini", "[migrate]\n"
				       "url = sqlite:///%(here)s/app.db\n"
				       "script_location = %(here)s/../migrations\n"
				       "models = %(HERE)s/models\n");
	mig_assert_ok(mig_config_load(&f->cfg, "conf/migrate.ini", NULL, true));
	char *want = xasprintf("sqlite:///%s/conf/app.db", f->dir);
	assert_string_equal(f->cfg.url, want);
	assert_true(mig_starts_with(f->cfg.url, "sqlite:////"));
	free(want);
	assert_in_dir(f, f->cfg.script_location, "migrations");
	assert_in_dir(f, f->cfg.models.v[0], "conf/models");
}

static void test_config_percent_escape(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n"
				  "file_template = %%(rev)s_%%(slug)s\n"
				  "url = postgresql://u:p%%40ss@h/db\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_string_equal(f->cfg.file_template, "%(rev)s_%(slug)s");
	assert_string_equal(f->cfg.url, "postgresql://u:p%40ss@h/db");
}

static void test_config_key_references(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[DEFAULT]\n"
				  "db_host = db.internal\n"
				  "timezone = Asia/Tokyo\n"
				  "[migrate]\n"
				  "db_name = shop\n"
				  "url = postgresql://%(db_host)s/%(db_name)s\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_string_equal(f->cfg.url, "postgresql://db.internal/shop");
	/* [DEFAULT] supplies the keys [migrate] does not set, as in ConfigParser */
	assert_string_equal(f->cfg.timezone, "Asia/Tokyo");
	/* db_name is not a migrate key */
	assert_int_equal(f->cfg.warnings.n, 1);
	assert_string_equal(f->cfg.warnings.v[0],
			    "migrate.ini:5: unknown key 'db_name' in section [migrate]");
}

static void test_config_bad_interpolation(void **state)
{
	struct fixture *f = *state;
	write_file("a.ini", "[migrate]\nurl = postgresql://u:p%40ss@h/db\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "a.ini", NULL, true),
			      "a.ini:2: '%' in 'url' must be followed by '%' or '(' (write a "
			      "literal '%' as '%%')");
	assert_null(strstr(mig_error_last(), "p%40ss"));
	write_file("b.ini", "[migrate]\n\nscript_location = %(nope)s/x\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "b.ini", NULL, true),
			      "b.ini:3: unknown interpolation '%(nope)s' in 'script_location'");
	write_file("c.ini", "[migrate]\ntimezone = %(here)d\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "c.ini", NULL, true),
			      "c.ini:2: bad interpolation in 'timezone': expected %(name)s");
	write_file("d.ini", "[migrate]\na = %(b)s\nb = %(a)s\ntimezone = %(a)s\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "d.ini", NULL, true),
			      "d.ini:4: interpolation in 'timezone' nests too deeply (does a "
			      "value refer to itself?)");
}

static void test_config_lookup_explicit(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\ntimezone = cwd\n");
	write_file("env.ini", "[migrate]\ntimezone = env\n");
	write_file("explicit.ini", "[migrate]\ntimezone = explicit\n");
	setenv("MIGRATE_CONFIG", "env.ini", 1);
	mig_assert_ok(mig_config_load(&f->cfg, "explicit.ini", NULL, true));
	assert_string_equal(f->cfg.path, "explicit.ini");
	assert_string_equal(f->cfg.timezone, "explicit");
}

static void test_config_lookup_env(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\ntimezone = cwd\n");
	write_file("conf/env.ini", "[migrate]\ntimezone = env\n");
	setenv("MIGRATE_CONFIG", "conf/env.ini", 1);
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_string_equal(f->cfg.path, "conf/env.ini");
	assert_string_equal(f->cfg.timezone, "env");
	assert_in_dir(f, f->cfg.here, "conf");
}

static void test_config_lookup_cwd(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\ntimezone = cwd\n");
	setenv("MIGRATE_CONFIG", "", 1); /* empty is unset */
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, false));
	assert_string_equal(f->cfg.path, "migrate.ini");
	assert_string_equal(f->cfg.timezone, "cwd");
}

static void test_config_lookup_missing(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "nope.ini", NULL, false),
			      "cannot open config file 'nope.ini': No such file or directory");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	setenv("MIGRATE_CONFIG", "gone.ini", 1);
	mig_assert_fails_with(mig_config_load(&f->cfg, NULL, NULL, false),
			      "cannot open config file 'gone.ini' (from $MIGRATE_CONFIG): No such "
			      "file or directory");
	mig_assert_ok(mig_mkdir_p("adir", 0755));
	mig_assert_fails_with(mig_config_load(&f->cfg, "adir", NULL, false),
			      "cannot read config file 'adir': Is a directory");
}

static void test_config_url_precedence(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n\nurl = sqlite:///ini.db\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_string_equal(f->cfg.url, "sqlite:///ini.db");
	assert_string_equal(f->cfg.url_source, "migrate.ini:3");
	mig_config_release(&f->cfg);

	mig_config_init(&f->cfg);
	setenv("MIGRATE_URL", "sqlite:///env.db", 1);
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_string_equal(f->cfg.url, "sqlite:///env.db");
	assert_string_equal(f->cfg.url_source, "MIGRATE_URL");
	mig_config_release(&f->cfg);

	mig_config_init(&f->cfg);
	mig_assert_ok(mig_config_load(&f->cfg, NULL, "sqlite:///flag.db", true));
	assert_string_equal(f->cfg.url, "sqlite:///flag.db");
	assert_string_equal(f->cfg.url_source, "--url");
}

static void test_config_url_without_file(void **state)
{
	struct fixture *f = *state;
	setenv("MIGRATE_URL", "postgresql:///shop", 1);
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, false));
	assert_null(f->cfg.path);
	assert_string_equal(f->cfg.url, "postgresql:///shop");
	assert_string_equal(f->cfg.url_source, "MIGRATE_URL");
}

static void test_config_bad_values(void **state)
{
	struct fixture *f = *state;
	write_file("a.ini", "[migrate]\n# comment\nlock_timeout = abc\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "a.ini", NULL, true),
			      "a.ini:3: invalid value 'abc' for 'lock_timeout': expected a whole "
			      "number of seconds");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	write_file("b.ini", "[migrate]\nlock_timeout = 0\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "b.ini", NULL, true),
			      "b.ini:2: invalid value '0' for 'lock_timeout': expected a whole "
			      "number of seconds");
	write_file("c.ini", "[migrate]\ntruncate_slug_length = -4\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "c.ini", NULL, true),
			      "c.ini:2: invalid value '-4' for 'truncate_slug_length': expected a "
			      "whole number of characters");
	write_file("d.ini", "[migrate]\nlock_timeout = 99999999999\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "d.ini", NULL, true),
			      "d.ini:2: invalid value '99999999999' for 'lock_timeout': expected "
			      "a whole number of seconds");
	write_file("e.ini", "[migrate]\ncompare_type = maybe\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "e.ini", NULL, true),
			      "e.ini:2: invalid value 'maybe' for 'compare_type': expected true "
			      "or false");
}

static void test_config_booleans(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n"
				  "transaction_per_migration = YES\n"
				  "compare_type = Off\n"
				  "compare_server_default = 0\n"
				  "include_schemas = 1\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_true(f->cfg.transaction_per_migration);
	assert_false(f->cfg.compare_type);
	assert_false(f->cfg.compare_server_default);
	assert_true(f->cfg.include_schemas);
}

static void test_config_syntax_errors(void **state)
{
	struct fixture *f = *state;
	write_file("a.ini", "[migrate]\nurl = sqlite://\njust some words\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "a.ini", NULL, true),
			      "a.ini:3: syntax error");
	assert_int_equal(mig_error_class_last(), MIG_ECLASS_USAGE);
	write_file("b.ini", "# header\n[migrate\nurl = x\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "b.ini", NULL, true),
			      "b.ini:2: syntax error");
	write_file("c.ini", "url = sqlite://\n[migrate]\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "c.ini", NULL, true),
			      "c.ini:1: key 'url' before any [section]");
	write_file("d.ini", "[migrate]\nurl = sqlite://\n\nURL = sqlite:///x.db\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "d.ini", NULL, true),
			      "d.ini:4: duplicate key 'url' in section [migrate] (first set on "
			      "line 2)");
}

static void test_config_unknown_keys_warn(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n"
				  "script_locaton = db\n"
				  "Version_Table = v\n"
				  "[post_write_hooks]\n"
				  "fmt.cwd = /tmp\n"
				  "[alembic]\n"
				  "script_location = alembic\n"
				  "sqlalchemy.url = sqlite://\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	/* keys are case-insensitive, as in ConfigParser */
	assert_string_equal(f->cfg.version_table, "v");
	assert_int_equal(f->cfg.warnings.n, 3);
	assert_string_equal(f->cfg.warnings.v[0],
			    "migrate.ini:2: unknown key 'script_locaton' in section [migrate]");
	assert_string_equal(f->cfg.warnings.v[1],
			    "migrate.ini:5: unknown key 'fmt.cwd' in section [post_write_hooks]");
	assert_string_equal(f->cfg.warnings.v[2], "migrate.ini:6: unknown section [alembic]");
}

static void test_config_no_migrate_section(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "# nothing yet\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_int_equal(f->cfg.warnings.n, 1);
	assert_string_equal(f->cfg.warnings.v[0],
			    "migrate.ini: no [migrate] section; using the defaults");
}

static void test_config_alembic_logging_ignored(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n"
				  "script_location = migrations\n"
				  "\n"
				  "[loggers]\n"
				  "keys = root,sqlalchemy,alembic\n"
				  "[handlers]\n"
				  "keys = console\n"
				  "[formatters]\n"
				  "keys = generic\n"
				  "[logger_root]\n"
				  "level = WARN\n"
				  "handlers = console\n"
				  "qualname =\n"
				  "[handler_console]\n"
				  "class = StreamHandler\n"
				  "args = (sys.stderr,)\n"
				  "level = NOTSET\n"
				  "formatter = generic\n"
				  "[formatter_generic]\n"
				  "format = %(levelname)-5.5s [%(name)s] %(message)s\n"
				  "datefmt = %H:%M:%S\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_int_equal(f->cfg.warnings.n, 0);
	assert_in_dir(f, f->cfg.script_location, "migrations");
}

static void test_config_hooks(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n"
				  "[post_write_hooks]\n"
				  "hooks = yamlfmt, Lint\n"
				  "yamlfmt.type = exec\n"
				  "yamlfmt.executable = %(here)s/bin/yamlfmt\n"
				  "yamlfmt.options = -w REVISION_SCRIPT_FILENAME\n"
				  "lint.type = exec\n"
				  "lint.executable = yamllint\n"
				  "spare.type = exec\n"
				  "spare.executable = unused\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_int_equal(f->cfg.warnings.n, 0);
	assert_int_equal(f->cfg.hooks.n, 2);
	const struct mig_hook *h = &f->cfg.hooks.v[0];
	assert_string_equal(h->name, "yamlfmt");
	assert_string_equal(h->type, "exec");
	char *exe = xasprintf("%s/bin/yamlfmt", f->dir);
	assert_string_equal(h->executable, exe);
	free(exe);
	assert_string_equal(h->options, "-w REVISION_SCRIPT_FILENAME");
	h = &f->cfg.hooks.v[1];
	assert_string_equal(h->name, "lint");
	assert_string_equal(h->executable, "yamllint");
	assert_null(h->options);
}

static void test_config_hook_errors(void **state)
{
	struct fixture *f = *state;
	write_file("a.ini", "[post_write_hooks]\nhooks = fmt\nfmt.executable = x\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "a.ini", NULL, true),
			      "a.ini:2: hook 'fmt' has no 'fmt.type' (expected exec)");
	write_file("b.ini", "[post_write_hooks]\nhooks = black\nblack.type = console_scripts\n"
			    "black.entrypoint = black\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "b.ini", NULL, true),
			      "b.ini:3: hook 'black': type 'console_scripts' is not supported "
			      "(expected exec)");
	write_file("c.ini", "[post_write_hooks]\nhooks = fmt\nfmt.type = exec\n");
	mig_assert_fails_with(mig_config_load(&f->cfg, "c.ini", NULL, true),
			      "c.ini:2: hook 'fmt' has no 'fmt.executable'");
}

static void test_config_empty_value_keeps_default(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "[migrate]\n"
				  "version_table_schema =\n"
				  "lock_timeout =\n"
				  "timezone = ; a comment\n"
				  "url =\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_null(f->cfg.version_table_schema);
	assert_int_equal(f->cfg.lock_timeout, 60);
	assert_string_equal(f->cfg.timezone, "UTC");
	assert_null(f->cfg.url);
	assert_null(f->cfg.url_source);
}

static void test_config_comments_and_line_endings(void **state)
{
	struct fixture *f = *state;
	write_file("migrate.ini", "\xEF\xBB\xBF; a comment\r\n"
				  "[migrate]\r\n"
				  "  # indented comment\r\n"
				  "url = sqlite:///app.db ; inline comment\r\n"
				  "timezone: UTC+2\r\n");
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_string_equal(f->cfg.url, "sqlite:///app.db");
	assert_string_equal(f->cfg.url_source, "migrate.ini:4");
	assert_string_equal(f->cfg.timezone, "UTC+2");
	assert_int_equal(f->cfg.warnings.n, 0);
}

static void test_config_long_lines(void **state)
{
	struct fixture *f = *state;
	struct mig_str text = MIG_STR_INIT;
	struct mig_str url = MIG_STR_INIT;
	mig_str_add(&url, "postgresql://app@db-cluster.example.com:5432/shop?sslmode=verify-full");
	while (mig_str_len(&url) < 400) {
		mig_str_add(&url, "&application_name=migrate-with-a-rather-long-name");
	}
	mig_str_add(&text, "# ");
	for (int i = 0; i < 30; i++) {
		mig_str_add(&text, "a long comment = with equals signs; ");
	}
	mig_str_addf(&text, "\n[migrate]\nurl = %s ; trailing comment\n", url.buf);
	mig_str_add(&text, "exclude_tables = a,\n");
	mig_str_add(&text, "    ");
	for (int i = 0; i < 40; i++) {
		mig_str_addf(&text, "t%02d, ", i);
	}
	mig_str_add(&text, "\nlock_timeout = 7\n");
	write_file("migrate.ini", text.buf);
	mig_assert_ok(mig_config_load(&f->cfg, NULL, NULL, true));
	assert_string_equal(f->cfg.url, url.buf);
	assert_string_equal(f->cfg.url_source, "migrate.ini:3");
	assert_int_equal(f->cfg.exclude_tables.n, 41);
	assert_string_equal(f->cfg.exclude_tables.v[40], "t39");
	assert_int_equal(f->cfg.lock_timeout, 7);
	assert_int_equal(f->cfg.warnings.n, 0);
	mig_str_release(&text);
	mig_str_release(&url);
}

/* The files a user starts from load without a warning. */
static void test_config_shipped_files(void **state)
{
	struct fixture *f = *state;
	const char *root = getenv("MIGRATE_SOURCE_ROOT");
	if (!root) {
		skip();
	}
	const char *files[] = { "migrate.ini.example", "templates/generic/migrate.ini" };
	for (size_t i = 0; i < 2; i++) {
		char *path = mig_path_join(root, files[i]);
		mig_config_release(&f->cfg);
		mig_config_init(&f->cfg);
		mig_assert_ok(mig_config_load(&f->cfg, path, NULL, true));
		assert_int_equal(f->cfg.warnings.n, 0);
		char *url = xasprintf("sqlite:///%s/app.db", f->cfg.here);
		assert_string_equal(f->cfg.url, url);
		free(url);
		assert_string_equal(f->cfg.file_template, "%(rev)s_%(slug)s");
		assert_int_equal(f->cfg.lock_timeout, 60);
		assert_int_equal(f->cfg.hooks.n, 0);
		free(path);
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_config_defaults),
		T(test_config_no_file_optional),
		T(test_config_no_file_required),
		T(test_config_every_key),
		T(test_config_defaults_resolved_against_here),
		T(test_config_relative_paths),
		T(test_config_here_interpolation),
		T(test_config_percent_escape),
		T(test_config_key_references),
		T(test_config_bad_interpolation),
		T(test_config_lookup_explicit),
		T(test_config_lookup_env),
		T(test_config_lookup_cwd),
		T(test_config_lookup_missing),
		T(test_config_url_precedence),
		T(test_config_url_without_file),
		T(test_config_bad_values),
		T(test_config_booleans),
		T(test_config_syntax_errors),
		T(test_config_unknown_keys_warn),
		T(test_config_no_migrate_section),
		T(test_config_alembic_logging_ignored),
		T(test_config_hooks),
		T(test_config_hook_errors),
		T(test_config_empty_value_keeps_default),
		T(test_config_comments_and_line_endings),
		T(test_config_long_lines),
		T(test_config_shipped_files),
	};
#undef T
	int rc = cmocka_run_group_tests_name("config", tests, NULL, NULL);
	mig_error_clear(); /* so that valgrind finds nothing left */
	return rc;
}
