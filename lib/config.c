/* migrate.ini (DESIGN §3): finding the file, reading it with inih, ConfigParser's
 * interpolation (%(here)s, %(key)s, %%), the [migrate] keys and [post_write_hooks]. */
#include "migrate/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#define MAX_INTERPOLATION_DEPTH 10 /* as ConfigParser */

/* One "name = value" of the file; continuation lines are joined with '\n'. */
struct entry {
	char *section;
	char *key; /* lowercased, as ConfigParser does */
	struct mig_str value;
	int line;
	int section_line; /* line of its [section] header */
};

/* What the line reader and the handler that inih calls share. */
struct ini_state {
	const char *text;
	size_t len, pos;
	int lineno;        /* the line last handed to inih */
	bool have_name;    /* inih holds a name that an indented line continues */
	bool continuation; /* the line last handed over continues the previous value */
	int section_line;
	bool saw_migrate;
	char *stash; /* the value of an over-long line, see read_line */
	int stash_line;
	int too_long_line;
	MIG_VEC(struct entry) entries;
};

struct loader {
	struct mig_config *cfg;
	struct ini_state st;
	struct mig_strlist unknown_sections;
};

/* ---- reading with inih ---- */

/* inih's reader. It hands over one line of the file per call, so inih's line
 * numbers are ours and the handler knows which line it is called for. inih's
 * line buffer is short (INI_MAX_LINE, 200 in most builds) and it would read
 * the rest of a longer line as a line of its own; so the value of such a line
 * is kept aside and inih gets a placeholder that on_value swaps back. */
static char *read_line(char *buf, int num, void *stream)
{
	struct ini_state *st = stream;
	if (st->pos >= st->len || st->too_long_line || num < 8) {
		return NULL;
	}
	const char *line = st->text + st->pos;
	const char *nl = memchr(line, '\n', st->len - st->pos);
	size_t n = nl ? (size_t)(nl - line) : st->len - st->pos;
	st->pos += n + (nl ? 1 : 0);
	st->lineno++;

	size_t ws = 0;
	if (st->lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		ws = 3;
	}
	size_t indent = ws;
	while (ws < n && isspace((unsigned char)line[ws])) {
		ws++;
	}
	indent = ws - indent;
	bool blank = ws == n;
	bool comment = !blank && strchr(";#", line[ws]) != NULL;
	bool cont = !blank && !comment && indent > 0 && st->have_name;
	st->continuation = cont;
	if (!blank && !comment && !cont) {
		const char *close = memchr(line + ws, ']', n - ws);
		if (line[ws] == '[' && close) {
			st->have_name = false;
			st->section_line = st->lineno;
			size_t name_len = (size_t)(close - (line + ws + 1));
			if (name_len == 7 && memcmp(line + ws + 1, "migrate", 7) == 0) {
				st->saw_migrate = true;
			}
		} else if (line[ws] != '[' &&
			   (memchr(line + ws, '=', n - ws) || memchr(line + ws, ':', n - ws))) {
			st->have_name = true;
		}
	}

	if (n + 2 <= (size_t)num) {
		memcpy(buf, line, n);
		buf[n] = '\n';
		buf[n + 1] = '\0';
		return buf;
	}
	free(st->stash);
	st->stash = NULL;
	if (blank || comment) {
		strcpy(buf, blank ? "\n" : "#\n");
		return buf;
	}
	if (cont) {
		st->stash = xstrndup(line + ws, n - ws);
		st->stash_line = st->lineno;
		strcpy(buf, " \x01\n");
		return buf;
	}
	if (line[ws] != '[') {
		size_t k = ws;
		while (k < n && line[k] != '=' && line[k] != ':') {
			k++;
		}
		if (k < n && k + 4 <= (size_t)num) {
			memcpy(buf, line, k + 1);
			memcpy(buf + k + 1, "\x01\n", 3);
			st->stash = xstrndup(line + k + 1, n - k - 1);
			st->stash_line = st->lineno;
			return buf;
		}
	}
	st->too_long_line = st->lineno;
	return NULL;
}

/* What inih makes of a raw value: cut at an inline comment (';' after
 * whitespace), then trimmed. */
static char *clean_value(const char *raw)
{
	char *v = xstrdup(raw);
	bool was_space = false;
	for (char *c = v; *c; c++) {
		if (was_space && *c == ';') {
			*c = '\0';
			break;
		}
		was_space = isspace((unsigned char)*c);
	}
	char *t = mig_strtrim(v);
	memmove(v, t, strlen(t) + 1);
	return v;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct ini_state *st = user;
	char *stashed = NULL;

	if (st->stash && st->stash_line == st->lineno) {
		value = stashed = clean_value(st->stash);
	}
	if (st->continuation && st->entries.n > 0) {
		struct entry *e = &st->entries.v[st->entries.n - 1];
		mig_str_addch(&e->value, '\n');
		mig_str_add(&e->value, value);
	} else {
		struct entry e = { xstrdup(section), xstrdup(name), MIG_STR_INIT, st->lineno,
				   st->section_line };
		mig_str_lower(e.key);
		mig_str_add(&e.value, value);
		mig_vec_push(&st->entries, e);
	}
	free(stashed);
	return 1;
}

static void ini_state_release(struct ini_state *st)
{
	for (size_t i = 0; i < st->entries.n; i++) {
		free(st->entries.v[i].section);
		free(st->entries.v[i].key);
		mig_str_release(&st->entries.v[i].value);
	}
	mig_vec_free(&st->entries);
	free(st->stash);
	st->stash = NULL;
}

/* ---- messages ---- */

MIG_PRINTF(3, 4)
static int config_error(const struct loader *ld, int line, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_error(MIG_ECLASS_USAGE, "%s:%d: %s", ld->cfg->path, line, s.buf);
	mig_str_release(&s);
	return MIG_ERROR;
}

MIG_PRINTF(3, 4)
static void config_warning(const struct loader *ld, int line, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	mig_str_addf(&s, "%s:%d: ", ld->cfg->path, line);
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_strlist_push_owned(&ld->cfg->warnings, mig_str_detach(&s));
}

/* ---- values ---- */

static const struct entry *find_entry(const struct loader *ld, const char *section,
				      const char *key)
{
	for (size_t i = 0; i < ld->st.entries.n; i++) {
		const struct entry *e = &ld->st.entries.v[i];
		if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0) {
			return e;
		}
	}
	return NULL;
}

/* ConfigParser's BasicInterpolation: "%%" is '%', "%(name)s" is the value of
 * name in the same section, else in [DEFAULT], else the built-in here. */
static int interpolate(const struct loader *ld, const struct entry *top, const char *section,
		       const char *value, int depth, struct mig_str *out)
{
	if (depth > MAX_INTERPOLATION_DEPTH) {
		return config_error(ld, top->line,
				    "interpolation in '%s' nests too deeply (does a value refer "
				    "to itself?)",
				    top->key);
	}
	for (const char *p = value; *p; p++) {
		if (*p != '%') {
			mig_str_addch(out, *p);
			continue;
		}
		if (p[1] == '%') {
			mig_str_addch(out, '%');
			p++;
			continue;
		}
		if (p[1] != '(') {
			return config_error(ld, top->line,
					    "'%%' in '%s' must be followed by '%%' or '(' (write a "
					    "literal '%%' as '%%%%')",
					    top->key);
		}
		const char *close = strchr(p + 2, ')');
		if (!close || close[1] != 's') {
			return config_error(ld, top->line,
					    "bad interpolation in '%s': expected %%(name)s",
					    top->key);
		}
		char *name = xstrndup(p + 2, (size_t)(close - p - 2));
		int rc = 0;
		mig_str_lower(name);
		const struct entry *ref = find_entry(ld, section, name);
		if (!ref) {
			ref = find_entry(ld, "DEFAULT", name);
		}
		if (ref) {
			rc = interpolate(ld, top, section, ref->value.buf, depth + 1, out);
		} else if (strcmp(name, "here") == 0) {
			mig_str_add(out, ld->cfg->here);
		} else {
			rc = config_error(ld, top->line, "unknown interpolation '%%(%s)s' in '%s'",
					  name, top->key);
		}
		free(name);
		if (rc < 0) {
			return rc;
		}
		p = close + 1;
	}
	return 0;
}

/* The value of e after interpolation, trimmed; new string. */
static int expand(const struct loader *ld, const struct entry *e, const char *section,
		  char **out)
{
	struct mig_str s = MIG_STR_INIT;
	*out = NULL;
	if (interpolate(ld, e, section, e->value.buf, 0, &s) < 0) {
		mig_str_release(&s);
		return MIG_ERROR;
	}
	char *t = mig_strtrim(s.buf);
	*out = xstrdup(t);
	mig_str_release(&s);
	return 0;
}

/* The items of a list value, split at any of seps, trimmed, empty ones dropped. */
static void split_list(const char *value, const char *seps, struct mig_strlist *out)
{
	const char *p = value;
	while (*p) {
		size_t n = strcspn(p, seps);
		char *item = xstrndup(p, n);
		char *t = mig_strtrim(item);
		if (*t) {
			mig_strlist_push(out, t);
		}
		free(item);
		p += n;
		if (*p) {
			p++;
		}
	}
}

/* An absolute path with "." and ".." resolved lexically, as Python's
 * os.path.abspath does. */
static char *path_normalize(const char *path)
{
	struct mig_str s = MIG_STR_INIT;
	const char *p = path;
	while (*p) {
		while (*p == '/') {
			p++;
		}
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			const char *slash = strrchr(s.buf, '/');
			mig_str_setlen(&s, slash ? (size_t)(slash - s.buf) : 0);
		} else {
			mig_str_addch(&s, '/');
			mig_str_addn(&s, p, n);
		}
		p += n;
	}
	if (mig_str_len(&s) == 0) {
		mig_str_addch(&s, '/');
	}
	return mig_str_detach(&s);
}

/* A path from the file: relative ones are relative to the file's folder. */
static char *resolve(const struct mig_config *cfg, const char *value)
{
	char *joined = mig_path_join(cfg->here, value);
	char *r = path_normalize(joined);
	free(joined);
	return r;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_positive(const char *v, int *out)
{
	long n = 0;
	if (!*v) {
		return false;
	}
	for (const char *p = v; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			return false;
		}
		n = n * 10 + (*p - '0');
		if (n > INT_MAX) {
			return false;
		}
	}
	if (n < 1) {
		return false;
	}
	*out = (int)n;
	return true;
}

/* ---- the [migrate] keys ---- */

enum kind {
	KIND_PATH,   /* resolved against here once the file is read */
	KIND_PATHS,  /* comma or line separated, each resolved against here */
	KIND_URL,
	KIND_STR,
	KIND_INT,    /* a whole number > 0 */
	KIND_BOOL,
	KIND_LIST,   /* comma or line separated */
};

static const struct key_spec {
	const char *name;
	enum kind kind;
	size_t offset;
	const char *unit; /* KIND_INT: "a whole number of <unit>" */
} key_specs[] = {
	{ "script_location", KIND_PATH, offsetof(struct mig_config, script_location), NULL },
	{ "models", KIND_PATHS, offsetof(struct mig_config, models), NULL },
	{ "url", KIND_URL, offsetof(struct mig_config, url), NULL },
	{ "version_table", KIND_STR, offsetof(struct mig_config, version_table), NULL },
	{ "version_table_schema", KIND_STR, offsetof(struct mig_config, version_table_schema),
	  NULL },
	{ "file_template", KIND_STR, offsetof(struct mig_config, file_template), NULL },
	{ "truncate_slug_length", KIND_INT, offsetof(struct mig_config, truncate_slug_length),
	  "characters" },
	{ "timezone", KIND_STR, offsetof(struct mig_config, timezone), NULL },
	{ "transaction_per_migration", KIND_BOOL,
	  offsetof(struct mig_config, transaction_per_migration), NULL },
	{ "compare_type", KIND_BOOL, offsetof(struct mig_config, compare_type), NULL },
	{ "compare_server_default", KIND_BOOL, offsetof(struct mig_config, compare_server_default),
	  NULL },
	{ "include_schemas", KIND_BOOL, offsetof(struct mig_config, include_schemas), NULL },
	{ "exclude_tables", KIND_LIST, offsetof(struct mig_config, exclude_tables), NULL },
	{ "lock_timeout", KIND_INT, offsetof(struct mig_config, lock_timeout), "seconds" },
};

static const struct key_spec *find_key_spec(const char *key)
{
	for (size_t i = 0; i < sizeof(key_specs) / sizeof(key_specs[0]); i++) {
		if (strcmp(key_specs[i].name, key) == 0) {
			return &key_specs[i];
		}
	}
	return NULL;
}

/* Set one [migrate] key from entry e. An empty value leaves the default. */
static int apply_key(struct loader *ld, const struct key_spec *spec, const struct entry *e)
{
	struct mig_config *cfg = ld->cfg;
	void *field = (char *)cfg + spec->offset;
	char *v = NULL;
	int rc = 0;

	if (expand(ld, e, "migrate", &v) < 0) {
		return MIG_ERROR;
	}
	if (!*v) {
		goto done;
	}
	switch (spec->kind) {
	case KIND_PATHS:
	case KIND_LIST: {
		struct mig_strlist items = MIG_STRLIST_INIT;
		struct mig_strlist *list = field;
		split_list(v, ",\n", &items);
		if (items.n > 0) {
			mig_strlist_release(list);
			*list = items;
		}
		break;
	}
	case KIND_URL:
		free(cfg->url);
		free(cfg->url_source);
		cfg->url = xstrdup(v);
		cfg->url_source = xasprintf("%s:%d", cfg->path, e->line);
		break;
	case KIND_PATH:
	case KIND_STR:
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		break;
	case KIND_INT:
		if (!parse_positive(v, field)) {
			rc = config_error(ld, e->line,
					  "invalid value '%s' for '%s': expected a whole number "
					  "of %s",
					  v, spec->name, spec->unit);
		}
		break;
	case KIND_BOOL:
		if (!parse_bool(v, field)) {
			rc = config_error(ld, e->line,
					  "invalid value '%s' for '%s': expected true or false", v,
					  spec->name);
		}
		break;
	}
done:
	free(v);
	return rc;
}

/* ---- [post_write_hooks] ---- */

static bool is_hook_attribute(const char *key)
{
	const char *dot = strrchr(key, '.');
	if (!dot || dot == key) {
		return false;
	}
	return strcmp(dot, ".type") == 0 || strcmp(dot, ".executable") == 0 ||
	       strcmp(dot, ".options") == 0;
}

/* The value of hook attribute name.attr, or NULL when it is not set. */
static int hook_value(const struct loader *ld, const char *name, const char *attr,
		      const struct entry **where, char **out)
{
	char *key = xasprintf("%s.%s", name, attr);
	const struct entry *e = find_entry(ld, "post_write_hooks", key);
	int rc = 0;
	*out = NULL;
	*where = e;
	free(key);
	if (e) {
		rc = expand(ld, e, "post_write_hooks", out);
		if (rc == 0 && !**out) {
			free(*out);
			*out = NULL;
		}
	}
	return rc;
}

static int load_hooks(struct loader *ld, const struct entry *hooks)
{
	struct mig_strlist names = MIG_STRLIST_INIT;
	char *list = NULL;
	int rc = MIG_ERROR;

	if (expand(ld, hooks, "post_write_hooks", &list) < 0) {
		goto done;
	}
	split_list(list, ", \t\n", &names);
	for (size_t i = 0; i < names.n; i++) {
		struct mig_hook h = { 0 };
		const struct entry *type_at, *other_at;
		h.name = xstrdup(names.v[i]);
		mig_str_lower(h.name);
		mig_vec_push(&ld->cfg->hooks, h);
		struct mig_hook *hp = &ld->cfg->hooks.v[ld->cfg->hooks.n - 1];
		if (hook_value(ld, hp->name, "type", &type_at, &hp->type) < 0 ||
		    hook_value(ld, hp->name, "executable", &other_at, &hp->executable) < 0 ||
		    hook_value(ld, hp->name, "options", &other_at, &hp->options) < 0) {
			goto done;
		}
		if (!hp->type) {
			config_error(ld, hooks->line, "hook '%s' has no '%s.type' (expected exec)",
				     hp->name, hp->name);
			goto done;
		}
		if (strcasecmp(hp->type, "exec") != 0) {
			config_error(ld, type_at->line,
				     "hook '%s': type '%s' is not supported (expected exec)",
				     hp->name, hp->type);
			goto done;
		}
		if (!hp->executable) {
			config_error(ld, hooks->line, "hook '%s' has no '%s.executable'", hp->name,
				     hp->name);
			goto done;
		}
	}
	rc = 0;
done:
	free(list);
	mig_strlist_release(&names);
	return rc;
}

/* ---- the file ---- */

static bool is_logging_section(const char *s)
{
	return strcmp(s, "loggers") == 0 || strcmp(s, "handlers") == 0 ||
	       strcmp(s, "formatters") == 0 || mig_starts_with(s, "logger_") ||
	       mig_starts_with(s, "handler_") || mig_starts_with(s, "formatter_");
}

/* Check and apply what inih read, in the order of the file. */
static int apply_entries(struct loader *ld)
{
	const struct entry *hooks = NULL;
	size_t n = ld->st.entries.n;

	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &ld->st.entries.v[i];
		if (!*e->section) {
			return config_error(ld, e->line, "key '%s' before any [section]", e->key);
		}
		if (is_logging_section(e->section)) {
			continue; /* Alembic's logging setup: not ours, and no warning */
		}
		for (size_t j = 0; j < i; j++) {
			const struct entry *d = &ld->st.entries.v[j];
			if (strcmp(d->section, e->section) == 0 && strcmp(d->key, e->key) == 0) {
				return config_error(ld, e->line,
						    "duplicate key '%s' in section [%s] (first set "
						    "on line %d)",
						    e->key, e->section, d->line);
			}
		}
		if (strcmp(e->section, "migrate") == 0) {
			const struct key_spec *spec = find_key_spec(e->key);
			if (!spec) {
				config_warning(ld, e->line, "unknown key '%s' in section [migrate]",
					       e->key);
			} else if (apply_key(ld, spec, e) < 0) {
				return MIG_ERROR;
			}
		} else if (strcmp(e->section, "post_write_hooks") == 0) {
			if (strcmp(e->key, "hooks") == 0) {
				hooks = e;
			} else if (!is_hook_attribute(e->key)) {
				config_warning(ld, e->line,
					       "unknown key '%s' in section [post_write_hooks]",
					       e->key);
			}
		} else if (strcmp(e->section, "DEFAULT") != 0 &&
			   !mig_strlist_has(&ld->unknown_sections, e->section)) {
			mig_strlist_push(&ld->unknown_sections, e->section);
			config_warning(ld, e->section_line, "unknown section [%s]", e->section);
		}
	}
	/* ConfigParser: [DEFAULT] supplies what [migrate] does not set */
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &ld->st.entries.v[i];
		const struct key_spec *spec = find_key_spec(e->key);
		if (strcmp(e->section, "DEFAULT") == 0 && spec &&
		    !find_entry(ld, "migrate", e->key) && apply_key(ld, spec, e) < 0) {
			return MIG_ERROR;
		}
	}
	if (hooks && load_hooks(ld, hooks) < 0) {
		return MIG_ERROR;
	}
	return 0;
}

/* The absolute folder of path, new string. */
static int abs_dirname(const char *path, char **out)
{
	char *dir = mig_path_dirname(path);
	*out = NULL;
	if (dir[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		if (!cwd) {
			free(dir);
			return mig_error(MIG_ECLASS_OS, "cannot get the current directory: %s",
					 strerror(errno));
		}
		char *joined = mig_path_join(cwd, dir);
		free(cwd);
		free(dir);
		dir = joined;
	}
	*out = path_normalize(dir);
	free(dir);
	return 0;
}

/* Read the file at path; from says where the name came from, for messages. */
static int load_file(struct mig_config *cfg, const char *path, const char *from)
{
	struct loader ld = { .cfg = cfg };
	char *text = NULL;
	size_t len = 0;
	int rc = MIG_ERROR;

	if (access(path, R_OK) != 0) {
		return mig_error(MIG_ECLASS_USAGE, "cannot open config file '%s'%s: %s", path, from,
				 strerror(errno));
	}
	if (mig_path_is_dir(path)) {
		return mig_error(MIG_ECLASS_USAGE, "cannot read config file '%s'%s: %s", path, from,
				 strerror(EISDIR));
	}
	if (mig_file_read(path, &text, &len) < 0) {
		return MIG_ERROR;
	}
	free(cfg->path);
	cfg->path = xstrdup(path);
	free(cfg->here);
	if (abs_dirname(path, &cfg->here) < 0) {
		goto done;
	}

	ld.st.text = text;
	ld.st.len = len;
	int ini_rc = ini_parse_stream(read_line, &ld.st, on_value, &ld.st);
	int bad = ld.st.too_long_line;
	if (ini_rc > 0 && (!bad || ini_rc < bad)) {
		bad = ini_rc;
	}
	if (bad) {
		mig_error(MIG_ECLASS_USAGE, "%s:%d: syntax error", path, bad);
		goto done;
	}
	if (ini_rc < 0) {
		mig_error(MIG_ECLASS_OS, "cannot parse '%s': out of memory", path);
		goto done;
	}
	if (!ld.st.saw_migrate) {
		mig_strlist_push_owned(&cfg->warnings,
				       xasprintf("%s: no [migrate] section; using the defaults",
						 path));
	}
	if (apply_entries(&ld) < 0) {
		goto done;
	}
	/* every relative path, a default one too, is relative to the file */
	char *loc = resolve(cfg, cfg->script_location);
	free(cfg->script_location);
	cfg->script_location = loc;
	for (size_t i = 0; i < cfg->models.n; i++) {
		char *m = resolve(cfg, cfg->models.v[i]);
		free(cfg->models.v[i]);
		cfg->models.v[i] = m;
	}
	rc = 0;
done:
	ini_state_release(&ld.st);
	mig_strlist_release(&ld.unknown_sections);
	free(text);
	return rc;
}

/* ---- the API ---- */

void mig_config_init(struct mig_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->here = xstrdup(".");
	cfg->script_location = xstrdup("migrations");
	mig_strlist_push(&cfg->models, "models");
	cfg->version_table = xstrdup("migrate_version");
	cfg->file_template = xstrdup("%(rev)s_%(slug)s");
	cfg->truncate_slug_length = 40;
	cfg->timezone = xstrdup("UTC");
	cfg->transaction_per_migration = false;
	cfg->compare_type = true;
	cfg->compare_server_default = true;
	cfg->include_schemas = false;
	cfg->lock_timeout = 60;
}

int mig_config_load(struct mig_config *cfg, const char *explicit_path, const char *url_override,
		    bool required)
{
	const char *env_config = getenv("MIGRATE_CONFIG");
	const char *env_url = getenv("MIGRATE_URL");
	const char *path = NULL;
	const char *from = "";

	if (explicit_path) {
		path = explicit_path;
	} else if (env_config && *env_config) {
		path = env_config;
		from = " (from $MIGRATE_CONFIG)";
	} else if (mig_path_exists("migrate.ini")) {
		path = "migrate.ini";
	} else if (required) {
		return mig_error(MIG_ECLASS_USAGE,
				 "no migrate.ini found (looked for ./migrate.ini; use -c FILE or "
				 "$MIGRATE_CONFIG)");
	}
	if (path && load_file(cfg, path, from) < 0) {
		return MIG_ERROR;
	}
	if (url_override || (env_url && *env_url)) {
		free(cfg->url);
		free(cfg->url_source);
		cfg->url = xstrdup(url_override ? url_override : env_url);
		cfg->url_source = xstrdup(url_override ? "--url" : "MIGRATE_URL");
	}
	return 0;
}

void mig_config_release(struct mig_config *cfg)
{
	free(cfg->path);
	free(cfg->here);
	free(cfg->script_location);
	mig_strlist_release(&cfg->models);
	free(cfg->url);
	free(cfg->url_source);
	free(cfg->version_table);
	free(cfg->version_table_schema);
	free(cfg->file_template);
	free(cfg->timezone);
	mig_strlist_release(&cfg->exclude_tables);
	for (size_t i = 0; i < cfg->hooks.n; i++) {
		free(cfg->hooks.v[i].name);
		free(cfg->hooks.v[i].type);
		free(cfg->hooks.v[i].executable);
		free(cfg->hooks.v[i].options);
	}
	mig_vec_free(&cfg->hooks);
	mig_strlist_release(&cfg->warnings);
	memset(cfg, 0, sizeof(*cfg));
}

char *mig_config_versions_dir(const struct mig_config *cfg)
{
	return mig_path_join(cfg->script_location, "versions");
}
