/* Model files: the column and table grammar (shared with revision files), the
 * loader that builds the declared schema from *.yaml files, and the writer. */
#include "model.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ADUP(s, x) mig_arena_strdup(&(s)->arena, (x))

static const char *const column_keys[] = {
	"type", "nullable", "primary_key", "unique", "index", "default", "autoincrement",
	"identity", "computed", "references", "on_delete", "on_update", "deferrable",
	"initially_deferred", "collation", "comment", "server_onupdate", "name", NULL,
};

/* Dialect type names passed through as written (first word, lowercase). A
 * type whose first word is neither generic, nor one of these, nor a declared
 * enum is reported: it is most often a typo. */
static const char *const passthrough_types[] = {
	"jsonb", "inet", "cidr", "macaddr", "macaddr8", "tsvector", "tsquery", "xml", "money",
	"bit", "varbit", "bit varying", "citext", "hstore", "ltree", "point", "line", "lseg",
	"box", "path", "polygon", "circle", "oid", "regclass", "serial", "bigserial",
	"smallserial", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
	"timetz", "time with time zone", "name", "bpchar", "tinyint", "mediumint", "mediumtext",
	"longtext", "tinytext", "tinyblob", "mediumblob", "longblob", "varbinary", "year",
	"set", "enum", "datetime", "double", "float4", "float8", "int2", "int4", "int8",
	"unsigned", "signed", "geometry", "bytea", "nvarchar", "nchar", "native character",
	"varying character", "clob", "unsigned big int", "big int", "int unsigned",
	"integer unsigned", "bigint unsigned", "smallint unsigned", "tinyint unsigned",
	"mediumint unsigned", "decimal unsigned", "character", "character varying",
	"nvarchar2", "string", "any", NULL,
};

/* A generic type or a declared enum, by name alone. */
static bool generic_or_enum(const struct mig_schema *s, const char *name)
{
	struct mig_arena a = MIG_ARENA_INIT;
	struct mig_type t2;
	bool ok = mig_type_parse(&a, name, &t2) == 0 && t2.kind != MIG_TYPE_OTHER;
	mig_arena_release(&a);
	return ok || mig_schema_find_enum(s, NULL, name);
}

bool mig_model_type_known(const struct mig_schema *s, const struct mig_type *t)
{
	if (t->kind != MIG_TYPE_OTHER) {
		return true;
	}
	/* first word(s) before '(' or '[' ("integer[]", "timestamp(3) with time zone") */
	char buf[64];
	size_t j = 0;
	for (const char *p = t->raw; *p && *p != '(' && *p != '[' && j < sizeof(buf) - 1; p++) {
		buf[j++] = (char)tolower((unsigned char)*p);
	}
	while (j > 0 && buf[j - 1] == ' ') {
		j--;
	}
	buf[j] = '\0';
	for (size_t i = 0; passthrough_types[i]; i++) {
		if (strcmp(buf, passthrough_types[i]) == 0) {
			return true;
		}
	}
	if (strcmp(buf, t->raw) != 0 && generic_or_enum(s, buf)) {
		return true;
	}
	/* "int unsigned zerofill", "double precision unsigned": first word decides */
	char *sp = strchr(buf, ' ');
	if (sp) {
		*sp = '\0';
		if (generic_or_enum(s, buf)) {
			return true;
		}
		for (size_t i = 0; passthrough_types[i]; i++) {
			if (strcmp(buf, passthrough_types[i]) == 0) {
				return true;
			}
		}
	}
	return false;
}

static int parse_fk_shorthand(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
			      const char **table, const char **column)
{
	const char *v = mig_ynode_str(n);
	const char *dot = v ? strrchr(v, '.') : NULL;
	if (!v || !dot || dot == v || !dot[1]) {
		mig_ydoc_err(d, n, "'references' must be written table.column%s%s%s",
			     v ? ", not '" : "", v ? v : "", v ? "'" : "");
		return MIG_ERROR;
	}
	*table = mig_arena_strndup(&s->arena, v, (size_t)(dot - v));
	*column = ADUP(s, dot + 1);
	return 0;
}

static int parse_action(struct mig_ydoc *d, const yaml_node_t *n, enum mig_fk_action *out)
{
	const char *v = mig_ynode_str(n);
	if (!v || mig_fk_action_parse(v, out) < 0) {
		mig_ydoc_err(d, n,
			     "invalid referential action%s%s%s (expected cascade, restrict, set "
			     "null, set default or no action)",
			     v ? " '" : "", v ? v : "", v ? "'" : "");
		return MIG_ERROR;
	}
	return 0;
}

/* The key node of key in map (for messages about the key itself), or NULL. */
static const yaml_node_t *map_key_node(struct mig_ydoc *d, const yaml_node_t *map,
				       const char *key)
{
	for (size_t i = 0; i < mig_ymap_len(map); i++) {
		yaml_node_t *k = mig_ymap_key(d, map, i);
		if (mig_streq(mig_ynode_str(k), key)) {
			return k;
		}
	}
	return NULL;
}

/* Parse a type string; a parse problem is reported at n. */
static int parse_type(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
		      struct mig_type *out)
{
	const char *v = mig_ynode_str(n);
	if (!v || mig_ynode_is_null(n) || !*v) {
		mig_ydoc_err(d, n, "'type' must be a non-empty string");
		return MIG_ERROR;
	}
	if (mig_type_parse(&s->arena, v, out) < 0) {
		mig_ydoc_err(d, n, "%s", mig_error_last());
		out->raw = NULL;
		return MIG_ERROR;
	}
	return 0;
}

int mig_model_parse_column(struct mig_ydoc *d, struct mig_schema *s, const char *name,
			   const yaml_node_t *node, bool allow_name, struct mig_column *out)
{
	int bad = 0;
	memset(out, 0, sizeof(*out));
	out->nullable = true;
	out->name = ADUP(s, name);
	out->pos = mig_ydoc_pos(d, node, &s->arena);
	if (mig_ynode_is_scalar(node)) {
		if (!out->name) {
			mig_ydoc_err(d, node, "column needs a name");
			return MIG_ERROR;
		}
		return parse_type(d, s, node, &out->type);
	}
	if (!mig_ynode_is_map(node)) {
		mig_ydoc_err(d, node, "column '%s' must be a type or a mapping", name ? name : "?");
		return MIG_ERROR;
	}
	const char *what_name = name;
	if (allow_name) {
		const yaml_node_t *nn = mig_ymap_get(d, node, "name");
		if (nn && mig_ynode_string(d, nn, "name", &s->arena, &out->name) < 0) {
			bad++;
		}
		what_name = out->name;
	}
	char *what = xasprintf("column '%s'", what_name ? what_name : "?");
	if (!out->name) {
		mig_ydoc_err(d, node, "column needs a name");
		bad++;
	}
	const char *const *allowed = allow_name ? column_keys : column_keys;
	bad += mig_ymap_check_keys(d, node, allowed, what);
	if (!allow_name && mig_ymap_get(d, node, "name")) {
		/* name is only for add_column-style specs: the key already names it */
		for (size_t i = 0; i < mig_ymap_len(node); i++) {
			yaml_node_t *k = mig_ymap_key(d, node, i);
			if (mig_streq(mig_ynode_str(k), "name")) {
				mig_ydoc_err(d, k, "unknown key 'name' in %s (the key above names "
						   "the column)", what);
				bad++;
			}
		}
	}
	bool have_type = false, nullable_given = false;
	for (size_t i = 0; i < mig_ymap_len(node); i++) {
		const char *k = mig_ynode_str(mig_ymap_key(d, node, i));
		yaml_node_t *v = mig_ymap_value(d, node, i);
		if (!k) {
			continue;
		}
		if (strcmp(k, "type") == 0) {
			have_type = true;
			if (parse_type(d, s, v, &out->type) < 0) {
				bad++;
			}
		} else if (strcmp(k, "nullable") == 0) {
			nullable_given = true;
			bad += mig_ynode_bool(d, v, k, &out->nullable) < 0;
		} else if (strcmp(k, "primary_key") == 0) {
			bad += mig_ynode_bool(d, v, k, &out->primary_key) < 0;
		} else if (strcmp(k, "unique") == 0) {
			bad += mig_ynode_bool(d, v, k, &out->unique) < 0;
		} else if (strcmp(k, "index") == 0) {
			bad += mig_ynode_bool(d, v, k, &out->index) < 0;
		} else if (strcmp(k, "default") == 0) {
			if (mig_ynode_is_null(v) && mig_ynode_is_scalar(v) &&
			    v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			    !*mig_ynode_str(v)) {
				mig_ydoc_err(d, v, "'default' must be a SQL expression (write "
						   "\"NULL\" for a NULL default)");
				bad++;
			} else if (!mig_ynode_is_scalar(v)) {
				mig_ydoc_err(d, v, "'default' must be a SQL expression");
				bad++;
			} else {
				out->default_sql = ADUP(s, mig_ynode_str(v));
			}
		} else if (strcmp(k, "autoincrement") == 0) {
			bool b;
			if (mig_ynode_bool(d, v, k, &b) < 0) {
				bad++;
			} else {
				out->autoincrement = b ? MIG_TRUE : MIG_FALSE;
			}
		} else if (strcmp(k, "identity") == 0) {
			static const char *const idkeys[] = { "always", "start", "increment", NULL };
			out->identity = true;
			if (mig_ynode_is_scalar(v)) {
				bool b = false;
				if (mig_ynode_bool(d, v, k, &b) < 0) {
					bad++;
				}
				out->identity = b;
				continue;
			}
			if (!mig_ynode_is_map(v)) {
				mig_ydoc_err(d, v, "'identity' must be true or a mapping of always, "
						   "start, increment");
				bad++;
				continue;
			}
			bad += mig_ymap_check_keys(d, v, idkeys, "identity");
			yaml_node_t *x;
			if ((x = mig_ymap_get(d, v, "always"))) {
				bad += mig_ynode_bool(d, x, "always", &out->identity_always) < 0;
			}
			if ((x = mig_ymap_get(d, v, "start"))) {
				bad += mig_ynode_llong(d, x, "start", &out->identity_start) < 0;
			}
			if ((x = mig_ymap_get(d, v, "increment"))) {
				bad += mig_ynode_llong(d, x, "increment",
						       &out->identity_increment) < 0;
			}
		} else if (strcmp(k, "computed") == 0) {
			static const char *const ckeys[] = { "sql", "stored", NULL };
			if (mig_ynode_is_scalar(v)) {
				bad += mig_ynode_string(d, v, k, &s->arena, &out->computed_sql) <
				       0;
				continue;
			}
			if (!mig_ynode_is_map(v)) {
				mig_ydoc_err(d, v, "'computed' must be a SQL expression or a "
						   "mapping of sql, stored");
				bad++;
				continue;
			}
			bad += mig_ymap_check_keys(d, v, ckeys, "computed");
			yaml_node_t *x = mig_ymap_get(d, v, "sql");
			if (!x) {
				mig_ydoc_err(d, v, "'computed' needs 'sql'");
				bad++;
			} else {
				bad += mig_ynode_string(d, x, "sql", &s->arena,
							&out->computed_sql) < 0;
			}
			if ((x = mig_ymap_get(d, v, "stored"))) {
				bad += mig_ynode_bool(d, x, "stored", &out->computed_stored) < 0;
			}
		} else if (strcmp(k, "references") == 0) {
			bad += parse_fk_shorthand(d, s, v, &out->ref_table, &out->ref_column) < 0;
		} else if (strcmp(k, "on_delete") == 0) {
			bad += parse_action(d, v, &out->on_delete) < 0;
		} else if (strcmp(k, "on_update") == 0) {
			bad += parse_action(d, v, &out->on_update) < 0;
		} else if (strcmp(k, "deferrable") == 0) {
			bad += mig_ynode_bool(d, v, k, &out->deferrable) < 0;
		} else if (strcmp(k, "initially_deferred") == 0) {
			bad += mig_ynode_bool(d, v, k, &out->initially_deferred) < 0;
		} else if (strcmp(k, "collation") == 0) {
			bad += mig_ynode_string(d, v, k, &s->arena, &out->collation) < 0;
		} else if (strcmp(k, "comment") == 0) {
			if (!mig_ynode_is_scalar(v)) {
				mig_ydoc_err(d, v, "'comment' must be a string");
				bad++;
			} else {
				out->comment = ADUP(s, mig_ynode_str(v));
			}
		} else if (strcmp(k, "server_onupdate") == 0) {
			bad += mig_ynode_string(d, v, k, &s->arena, &out->on_update_sql) < 0;
		}
	}
	if (!have_type) {
		mig_ydoc_err(d, node, "%s needs 'type'", what);
		bad++;
	}
	if (out->primary_key && !nullable_given) {
		out->nullable = false;
	} else if (out->primary_key && out->nullable) {
		mig_ydoc_err(d, mig_ymap_get(d, node, "nullable"),
			     "%s is part of the primary key and cannot be nullable", what);
		bad++;
	}
	if (!mig_ymap_get(d, node, "references")) {
		static const char *const fkkeys[] = { "on_delete", "on_update", "deferrable",
						      "initially_deferred", NULL };
		for (size_t i = 0; fkkeys[i]; i++) {
			const yaml_node_t *kn = map_key_node(d, node, fkkeys[i]);
			if (kn) {
				mig_ydoc_err(d, kn, "%s: '%s' needs 'references'", what, fkkeys[i]);
				bad++;
			}
		}
	}
	if (out->identity && out->default_sql) {
		mig_ydoc_err(d, map_key_node(d, node, "default"),
			     "%s: an identity column cannot have a default", what);
		bad++;
	}
	if (out->computed_sql && out->default_sql) {
		mig_ydoc_err(d, map_key_node(d, node, "default"),
			     "%s: a computed column cannot have a default", what);
		bad++;
	}
	if (out->identity && out->computed_sql) {
		mig_ydoc_err(d, map_key_node(d, node, "computed"),
			     "%s: an identity column cannot be computed", what);
		bad++;
	}
	free(what);
	return bad ? MIG_ERROR : 0;
}

static bool is_bare_identifier(const char *p, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)p[0]) || p[0] == '_')) {
		return false;
	}
	for (size_t i = 1; i < n; i++) {
		if (!(isalnum((unsigned char)p[i]) || p[i] == '_' || p[i] == '$')) {
			return false;
		}
	}
	return true;
}

/* The name a double-quoted SQL identifier ("a,b", with "" for a quote) stands
 * for, or NULL when p is not exactly one. */
static char *quoted_identifier(const char *p, size_t n)
{
	if (n < 3 || p[0] != '"' || p[n - 1] != '"') {
		return NULL;
	}
	struct mig_str s = MIG_STR_INIT;
	for (size_t i = 1; i < n - 1; i++) {
		if (p[i] == '"') {
			if (p[i + 1] != '"' || i + 1 >= n - 1) {
				mig_str_release(&s);
				return NULL;
			}
			i++;
		}
		mig_str_addch(&s, p[i]);
	}
	return mig_str_detach(&s);
}

/* Split "col DESC" or "lower(x) DESC" into the element and the direction. An
 * expression that is only a column name (bare or double-quoted) is that
 * column, so that an index whose columns and expressions are interleaved
 * keeps its order. */
static void parse_index_elem(struct mig_schema *s, const char *text, bool expression,
			     struct mig_index_elem *e)
{
	size_t n = strlen(text);
	e->desc = false;
	if (n > 5 && strncasecmp(text + n - 5, " desc", 5) == 0) {
		e->desc = true;
		n -= 5;
	} else if (n > 4 && strncasecmp(text + n - 4, " asc", 4) == 0) {
		n -= 4;
	}
	while (n > 0 && isspace((unsigned char)text[n - 1])) {
		n--;
	}
	char *quoted = expression ? quoted_identifier(text, n) : NULL;
	if (quoted) {
		e->column = mig_arena_strdup(&s->arena, quoted);
		e->expression = NULL;
		free(quoted);
	} else if (expression && !is_bare_identifier(text, n)) {
		e->column = NULL;
		e->expression = mig_arena_strndup(&s->arena, text, n);
	} else {
		e->column = mig_arena_strndup(&s->arena, text, n);
		e->expression = NULL;
	}
}

/* Keys allowed in an item: base plus the caller's extras. */
static const char **merge_keys(const char *const *base, const char *const *extra)
{
	size_t nb = 0, ne = 0;
	while (base[nb]) {
		nb++;
	}
	while (extra && extra[ne]) {
		ne++;
	}
	const char **r = xmalloc((nb + ne + 1) * sizeof(*r));
	memcpy(r, base, nb * sizeof(*r));
	if (ne) {
		memcpy(r + nb, extra, ne * sizeof(*r));
	}
	r[nb + ne] = NULL;
	return r;
}

/* What every item of a table list starts with: its position, a mapping
 * (else the message must), only the keys allowed (keys and extra_keys, for
 * the item called what), and its name (unless name is NULL). Returns -1 when
 * n is no mapping, else the number of problems found. */
static int open_item(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
		     const char *const *keys, const char *const *extra_keys, const char *what,
		     const char *must, struct mig_pos *pos, const char **name)
{
	*pos = mig_ydoc_pos(d, n, &s->arena);
	if (!mig_ynode_is_map(n)) {
		mig_ydoc_err(d, n, "%s", must);
		return -1;
	}
	const char **allowed = merge_keys(keys, extra_keys);
	int bad = mig_ymap_check_keys(d, n, allowed, what);
	free(allowed);
	yaml_node_t *x = name ? mig_ymap_get(d, n, "name") : NULL;
	if (x) {
		bad += mig_ynode_string(d, x, "name", &s->arena, name) < 0;
	}
	return bad;
}

int mig_model_parse_index(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
			  const char *const *extra_keys, struct mig_index *out)
{
	static const char *const keys[] = { "name",  "columns", "expressions", "unique",
					    "where", "using",   NULL };
	memset(out, 0, sizeof(*out));
	int bad = open_item(d, s, n, keys, extra_keys, "index",
			    "an index must be a mapping with 'columns' or 'expressions'", &out->pos, &out->name);
	if (bad < 0) {
		return MIG_ERROR;
	}
	yaml_node_t *x;
	MIG_VEC(const char *) cols = { 0 };
	if ((x = mig_ymap_get(d, n, "columns"))) {
		if (mig_ynode_strings(d, x, "columns", &s->arena, &cols) < 0) {
			bad++;
		}
		for (size_t i = 0; i < cols.n; i++) {
			struct mig_index_elem e;
			parse_index_elem(s, cols.v[i], false, &e);
			mig_vec_push(&out->elems, e);
		}
		mig_vec_free(&cols);
	}
	if ((x = mig_ymap_get(d, n, "expressions"))) {
		if (mig_ynode_strings(d, x, "expressions", &s->arena, &cols) < 0) {
			bad++;
		}
		for (size_t i = 0; i < cols.n; i++) {
			struct mig_index_elem e;
			parse_index_elem(s, cols.v[i], true, &e);
			mig_vec_push(&out->elems, e);
		}
		mig_vec_free(&cols);
	}
	if (!mig_ymap_get(d, n, "columns") && !mig_ymap_get(d, n, "expressions")) {
		mig_ydoc_err(d, n, "index%s%s%s needs 'columns' or 'expressions'",
			     out->name ? " '" : "", out->name ? out->name : "",
			     out->name ? "'" : "");
		bad++;
	}
	if ((x = mig_ymap_get(d, n, "unique"))) {
		bad += mig_ynode_bool(d, x, "unique", &out->unique) < 0;
	}
	if ((x = mig_ymap_get(d, n, "where"))) {
		bad += mig_ynode_string(d, x, "where", &s->arena, &out->where) < 0;
	}
	if ((x = mig_ymap_get(d, n, "using"))) {
		bad += mig_ynode_string(d, x, "using", &s->arena, &out->using) < 0;
	}
	return bad ? MIG_ERROR : 0;
}

int mig_model_parse_unique(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
			   const char *const *extra_keys, struct mig_unique *out)
{
	static const char *const keys[] = { "name", "columns", "deferrable", NULL };
	memset(out, 0, sizeof(*out));
	int bad = open_item(d, s, n, keys, extra_keys, "unique constraint",
			    "a unique constraint must be a mapping with 'columns'", &out->pos, &out->name);
	if (bad < 0) {
		return MIG_ERROR;
	}
	yaml_node_t *x;
	if ((x = mig_ymap_get(d, n, "columns"))) {
		bad += mig_ynode_strings(d, x, "columns", &s->arena, &out->columns) < 0;
	} else {
		mig_ydoc_err(d, n, "unique constraint needs 'columns'");
		bad++;
	}
	if ((x = mig_ymap_get(d, n, "deferrable"))) {
		bad += mig_ynode_bool(d, x, "deferrable", &out->deferrable) < 0;
	}
	return bad ? MIG_ERROR : 0;
}

int mig_model_parse_check(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
			  const char *const *extra_keys, struct mig_check *out)
{
	static const char *const keys[] = { "name", "sql", "column", NULL };
	memset(out, 0, sizeof(*out));
	int bad = open_item(d, s, n, keys, extra_keys, "check constraint",
			    "a check constraint must be a mapping with 'sql'", &out->pos, &out->name);
	if (bad < 0) {
		return MIG_ERROR;
	}
	yaml_node_t *x;
	if ((x = mig_ymap_get(d, n, "sql"))) {
		bad += mig_ynode_string(d, x, "sql", &s->arena, &out->sql) < 0;
	} else {
		mig_ydoc_err(d, n, "check constraint needs 'sql'");
		bad++;
	}
	if ((x = mig_ymap_get(d, n, "column"))) {
		bad += mig_ynode_string(d, x, "column", &s->arena, &out->column) < 0;
	}
	return bad ? MIG_ERROR : 0;
}

int mig_model_parse_fk(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
		       const char *const *extra_keys, struct mig_foreign_key *out)
{
	static const char *const keys[] = { "name",	  "columns",   "references",
					    "on_delete",  "on_update", "deferrable",
					    "initially_deferred", NULL };
	static const char *const refkeys[] = { "table", "columns", NULL };
	memset(out, 0, sizeof(*out));
	int bad = open_item(d, s, n, keys, extra_keys, "foreign key",
			    "a foreign key must be a mapping with 'columns' and 'references'", &out->pos, &out->name);
	if (bad < 0) {
		return MIG_ERROR;
	}
	yaml_node_t *x;
	if ((x = mig_ymap_get(d, n, "columns"))) {
		bad += mig_ynode_strings(d, x, "columns", &s->arena, &out->columns) < 0;
	} else {
		mig_ydoc_err(d, n, "foreign key needs 'columns'");
		bad++;
	}
	if ((x = mig_ymap_get(d, n, "references"))) {
		if (!mig_ynode_is_map(x)) {
			mig_ydoc_err(d, x, "'references' must be a mapping of table, columns");
			bad++;
		} else {
			bad += mig_ymap_check_keys(d, x, refkeys, "references");
			yaml_node_t *y;
			if ((y = mig_ymap_get(d, x, "table"))) {
				const char *qual;
				if (mig_ynode_string(d, y, "table", &s->arena, &qual) < 0) {
					bad++;
				} else {
					out->ref_table = qual;
				}
			} else {
				mig_ydoc_err(d, x, "'references' needs 'table'");
				bad++;
			}
			if ((y = mig_ymap_get(d, x, "columns"))) {
				bad += mig_ynode_strings(d, y, "columns", &s->arena,
							 &out->ref_columns) < 0;
			} else {
				mig_ydoc_err(d, x, "'references' needs 'columns'");
				bad++;
			}
		}
	} else {
		mig_ydoc_err(d, n, "foreign key needs 'references'");
		bad++;
	}
	if ((x = mig_ymap_get(d, n, "on_delete"))) {
		bad += parse_action(d, x, &out->on_delete) < 0;
	}
	if ((x = mig_ymap_get(d, n, "on_update"))) {
		bad += parse_action(d, x, &out->on_update) < 0;
	}
	if ((x = mig_ymap_get(d, n, "deferrable"))) {
		bad += mig_ynode_bool(d, x, "deferrable", &out->deferrable) < 0;
	}
	if ((x = mig_ymap_get(d, n, "initially_deferred"))) {
		bad += mig_ynode_bool(d, x, "initially_deferred", &out->initially_deferred) < 0;
	}
	if (!bad && out->ref_columns.n != out->columns.n) {
		mig_ydoc_err(d, n, "foreign key has %zu columns but references %zu",
			     out->columns.n, out->ref_columns.n);
		bad++;
	}
	return bad ? MIG_ERROR : 0;
}

/* A table list (indexes, unique, checks, foreign_keys); left empty (null) it
 * is an empty list. */
static int parse_list(struct mig_ydoc *d, const yaml_node_t *n, const char *key)
{
	if (!mig_ynode_is_seq(n) && !mig_ynode_is_null(n)) {
		mig_ydoc_err(d, n, "'%s' must be a list", key);
		return MIG_ERROR;
	}
	return 0;
}

int mig_model_parse_table(struct mig_ydoc *d, struct mig_schema *s, struct mig_table *t,
			  const yaml_node_t *map, const char *const *extra_keys)
{
	static const char *const keys[] = { "columns",	"primary_key", "indexes",
					    "unique",	"checks",      "foreign_keys",
					    "comment",	"options",     NULL };
	char *what = xasprintf("table '%s'", t->name ? t->name : "?");
	char *must = xasprintf("%s must be a mapping with 'columns'", what);
	int bad = open_item(d, s, map, keys, extra_keys, what, must, &t->pos, NULL);
	free(must);
	if (bad < 0) {
		free(what);
		return MIG_ERROR;
	}
	yaml_node_t *cols = mig_ymap_get(d, map, "columns");
	if (!cols) {
		mig_ydoc_err(d, map, "%s needs 'columns'", what);
		bad++;
	} else if (!mig_ynode_is_map(cols) || mig_ymap_len(cols) == 0) {
		mig_ydoc_err(d, cols, "'columns' of %s must be a mapping of column names to specs",
			     what);
		bad++;
	} else {
		for (size_t i = 0; i < mig_ymap_len(cols); i++) {
			yaml_node_t *kn = mig_ymap_key(d, cols, i);
			const char *cname = mig_ynode_str(kn);
			if (!cname || !*cname) {
				mig_ydoc_err(d, kn, "column names must be non-empty strings");
				bad++;
				continue;
			}
			const struct mig_column *prev = mig_table_find_column(t, cname);
			if (prev) {
				mig_ydoc_err(d, kn,
					     "column '%s' of %s is already declared at %s:%u:%u",
					     cname, what, prev->pos.file, prev->pos.line,
					     prev->pos.column);
				bad++;
				continue;
			}
			struct mig_column c;
			if (mig_model_parse_column(d, s, cname, mig_ymap_value(d, cols, i), false,
						   &c) < 0) {
				bad++;
			}
			c.pos = mig_ydoc_pos(d, kn, &s->arena);
			mig_vec_push(&t->columns, c);
		}
	}
	yaml_node_t *x;
	if ((x = mig_ymap_get(d, map, "primary_key"))) {
		if (mig_ynode_is_map(x)) {
			static const char *const pkkeys[] = { "name", "columns", NULL };
			bad += mig_ymap_check_keys(d, x, pkkeys, "primary_key");
			yaml_node_t *y;
			if ((y = mig_ymap_get(d, x, "name"))) {
				bad += mig_ynode_string(d, y, "name", &s->arena, &t->pk.name) < 0;
			}
			if ((y = mig_ymap_get(d, x, "columns"))) {
				bad += mig_ynode_strings(d, y, "columns", &s->arena,
							 &t->pk.columns) < 0;
			} else {
				mig_ydoc_err(d, x, "'primary_key' needs 'columns'");
				bad++;
			}
		} else {
			bad += mig_ynode_strings(d, x, "primary_key", &s->arena, &t->pk.columns) <
			       0;
		}
		for (size_t i = 0; i < t->columns.n; i++) {
			if (t->columns.v[i].primary_key) {
				mig_ydoc_err(d, x,
					     "%s declares its primary key both in 'primary_key' "
					     "and on column '%s'",
					     what, t->columns.v[i].name);
				bad++;
				break;
			}
		}
		for (size_t i = 0; i < t->pk.columns.n; i++) {
			struct mig_column *c = mig_table_find_column(t, t->pk.columns.v[i]);
			if (!c) {
				mig_ydoc_err(d, x, "primary key of %s names unknown column '%s'",
					     what, t->pk.columns.v[i]);
				bad++;
			} else if (c->nullable) {
				/* nullable defaults to false for primary key columns */
				yaml_node_t *cn = mig_ymap_get(d, cols, c->name);
				yaml_node_t *nn = mig_ynode_is_map(cn)
							  ? mig_ymap_get(d, cn, "nullable")
							  : NULL;
				if (nn) {
					mig_ydoc_err(d, nn,
						     "column '%s' is part of the primary key and "
						     "cannot be nullable",
						     c->name);
					bad++;
				}
				c->nullable = false;
			}
		}
	}
	/* the four lists of items: indexes, unique, checks, foreign_keys */
#define PARSE_LIST(key, vec, type, parse)                                                          \
	if ((x = mig_ymap_get(d, map, key))) {                                                     \
		if (parse_list(d, x, key) < 0) {                                                   \
			bad++;                                                                     \
		} else {                                                                           \
			for (size_t i = 0; i < mig_yseq_len(x); i++) {                             \
				type item_;                                                        \
				bad += parse(d, s, mig_yseq_item(d, x, i), NULL, &item_) < 0;      \
				mig_vec_push(&(vec), item_);                                       \
			}                                                                          \
		}                                                                                  \
	}
	PARSE_LIST("indexes", t->indexes, struct mig_index, mig_model_parse_index)
	PARSE_LIST("unique", t->uniques, struct mig_unique, mig_model_parse_unique)
	PARSE_LIST("checks", t->checks, struct mig_check, mig_model_parse_check)
	PARSE_LIST("foreign_keys", t->fks, struct mig_foreign_key, mig_model_parse_fk)
#undef PARSE_LIST
	if ((x = mig_ymap_get(d, map, "comment"))) {
		if (!mig_ynode_is_scalar(x)) {
			mig_ydoc_err(d, x, "'comment' must be a string");
			bad++;
		} else {
			t->comment = ADUP(s, mig_ynode_str(x));
		}
	}
	if ((x = mig_ymap_get(d, map, "options"))) {
		bad += mig_ynode_string(d, x, "options", &s->arena, &t->options) < 0;
	}
	/* references to columns of this table */
	for (size_t i = 0; i < t->indexes.n; i++) {
		for (size_t j = 0; j < t->indexes.v[i].elems.n; j++) {
			const char *c = t->indexes.v[i].elems.v[j].column;
			if (c && !mig_table_find_column(t, c)) {
				struct mig_pos p = t->indexes.v[i].pos;
				mig_diags_addf(d->diags, p.file, p.line, p.column,
					       "index of %s names unknown column '%s'", what, c);
				bad++;
			}
		}
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		for (size_t j = 0; j < t->uniques.v[i].columns.n; j++) {
			const char *c = t->uniques.v[i].columns.v[j];
			if (!mig_table_find_column(t, c)) {
				struct mig_pos p = t->uniques.v[i].pos;
				mig_diags_addf(d->diags, p.file, p.line, p.column,
					       "unique constraint of %s names unknown column '%s'",
					       what, c);
				bad++;
			}
		}
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		const char *c = t->checks.v[i].column;
		if (c && !mig_table_find_column(t, c)) {
			struct mig_pos p = t->checks.v[i].pos;
			mig_diags_addf(d->diags, p.file, p.line, p.column,
				       "check constraint of %s names unknown column '%s'", what, c);
			bad++;
		}
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		for (size_t j = 0; j < t->fks.v[i].columns.n; j++) {
			const char *c = t->fks.v[i].columns.v[j];
			if (!mig_table_find_column(t, c)) {
				struct mig_pos p = t->fks.v[i].pos;
				mig_diags_addf(d->diags, p.file, p.line, p.column,
					       "foreign key of %s names unknown column '%s'", what,
					       c);
				bad++;
			}
		}
	}
	free(what);
	return bad ? MIG_ERROR : 0;
}

/* ---- normalisation ---- */

static const char *conv(const char *tmpl, const char *dflt)
{
	return tmpl ? tmpl : dflt;
}

/* The words of an index expression joined by '_' ("lower(email)" gives
 * "lower_email"), to name an unnamed expression index. */
static const char *expr_word(struct mig_arena *a, const char *expr)
{
	struct mig_str w = MIG_STR_INIT;
	for (const char *p = expr; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) || c == '_' || c >= 0x80) {
			mig_str_addch(&w, (char)c);
		} else if (w.len && w.buf[w.len - 1] != '_') {
			mig_str_addch(&w, '_');
		}
	}
	while (w.len && w.buf[w.len - 1] == '_') {
		mig_str_setlen(&w, w.len - 1);
	}
	const char *r = mig_arena_strdup(a, w.len ? w.buf : "expr");
	mig_str_release(&w);
	return r;
}

/* True when name already has the form tmpl gives it (the prefix and suffix
 * around %(name)s), so that loading a written schema does not apply the
 * convention twice. */
static bool naming_applied(struct mig_arena *a, const char *tmpl, const char *table,
			   const char *name)
{
	const char *full = mig_naming_apply(a, tmpl, table, NULL, 0, "\x01", NULL);
	const char *mark = strchr(full, '\x01');
	size_t pre = (size_t)(mark - full), post = strlen(mark + 1), n = strlen(name);
	return n > pre + post && strncmp(name, full, pre) == 0 &&
	       strcmp(name + n - post, mark + 1) == 0;
}

void mig_table_normalize(struct mig_schema *s, struct mig_table *t)
{
	const struct mig_naming_convention *nc = &s->naming;
	/* column-level primary key flags become the table's primary key */
	if (t->pk.columns.n == 0) {
		for (size_t i = 0; i < t->columns.n; i++) {
			if (t->columns.v[i].primary_key) {
				mig_vec_push(&t->pk.columns, t->columns.v[i].name);
			}
		}
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		struct mig_column *c = &t->columns.v[i];
		bool in_pk = false;
		for (size_t j = 0; j < t->pk.columns.n; j++) {
			if (strcmp(t->pk.columns.v[j], c->name) == 0) {
				in_pk = true;
			}
		}
		c->primary_key = in_pk;
		if (in_pk) {
			c->nullable = false;
		}
	}
	if (t->pk.columns.n && !t->pk.name && nc->pk) {
		t->pk.name = mig_naming_apply(&s->arena, nc->pk, t->name, t->pk.columns.v,
					      t->pk.columns.n, NULL, NULL);
	}
	for (size_t i = 0; i < t->columns.n; i++) {
		struct mig_column *c = &t->columns.v[i];
		const char *one[1] = { c->name };
		if (c->unique) {
			struct mig_unique u;
			memset(&u, 0, sizeof(u));
			u.pos = c->pos;
			mig_vec_push(&u.columns, c->name);
			mig_vec_push(&t->uniques, u);
			c->unique = false;
		}
		if (c->index) {
			struct mig_index ix;
			memset(&ix, 0, sizeof(ix));
			ix.pos = c->pos;
			struct mig_index_elem e = { c->name, NULL, false };
			mig_vec_push(&ix.elems, e);
			ix.name = mig_naming_apply(&s->arena, conv(nc->ix, "ix_%(table)s_%(columns)s"),
						   t->name, one, 1, NULL, NULL);
			mig_vec_push(&t->indexes, ix);
			c->index = false;
		}
		if (c->ref_table) {
			struct mig_foreign_key f;
			memset(&f, 0, sizeof(f));
			f.pos = c->pos;
			f.ref_table = c->ref_table;
			mig_table_take_column_fk(t, c, &f);
		}
	}
	/* names from the naming convention; indexes always get one */
	for (size_t i = 0; i < t->indexes.n; i++) {
		struct mig_index *ix = &t->indexes.v[i];
		if (ix->name || ix->elems.n == 0) {
			continue;
		}
		const char **cols = xcalloc(ix->elems.n + 1, sizeof(char *));
		for (size_t j = 0; j < ix->elems.n; j++) {
			const struct mig_index_elem *e = &ix->elems.v[j];
			cols[j] = e->column ? e->column : expr_word(&s->arena, e->expression);
		}
		ix->name = mig_naming_apply(&s->arena, conv(nc->ix, "ix_%(table)s_%(columns)s"),
					    t->name, cols, ix->elems.n, NULL, NULL);
		free(cols);
	}
	for (size_t i = 0; nc->uq && i < t->uniques.n; i++) {
		struct mig_unique *u = &t->uniques.v[i];
		if (!u->name) {
			u->name = mig_naming_apply(&s->arena, nc->uq, t->name, u->columns.v,
						   u->columns.n, NULL, NULL);
		}
	}
	for (size_t i = 0; nc->fk && i < t->fks.n; i++) {
		struct mig_foreign_key *f = &t->fks.v[i];
		if (!f->name) {
			const char *ref = strrchr(f->ref_table, '.');
			f->name = mig_naming_apply(&s->arena, nc->fk, t->name, f->columns.v,
						   f->columns.n, NULL, ref ? ref + 1 : f->ref_table);
		}
	}
	/* a ck convention with %(name)s turns a check's own name into the full
	 * name (an unnamed check is the loader's problem to report); one without
	 * it names unnamed checks */
	for (size_t i = 0; nc->ck && i < t->checks.n; i++) {
		struct mig_check *c = &t->checks.v[i];
		if (strstr(nc->ck, "%(name)s")) {
			if (c->name && !naming_applied(&s->arena, nc->ck, t->name, c->name)) {
				c->name = mig_naming_apply(&s->arena, nc->ck, t->name, NULL, 0,
							   c->name, NULL);
			}
		} else if (!c->name) {
			c->name = mig_naming_apply(&s->arena, nc->ck, t->name, NULL, 0, NULL,
						   NULL);
		}
	}
	/* a ref_table written "schema.table" keeps its schema apart */
	for (size_t i = 0; i < t->fks.n; i++) {
		struct mig_foreign_key *f = &t->fks.v[i];
		if (!f->ref_schema && strchr(f->ref_table, '.')) {
			mig_split_qualname(&s->arena, f->ref_table, &f->ref_schema, &f->ref_table);
		}
	}
}

void mig_model_resolve_types(struct mig_schema *s, struct mig_table *t)
{
	for (size_t i = 0; i < t->columns.n; i++) {
		struct mig_type *ty = &t->columns.v[i].type;
		if (ty->kind != MIG_TYPE_OTHER || !ty->raw) {
			continue;
		}
		struct mig_enum *e = mig_schema_find_enum(s, NULL, ty->raw);
		if (e) {
			ty->kind = MIG_TYPE_ENUM;
			ty->enum_name = e->schema ? mig_arena_printf(&s->arena, "%s.%s", e->schema,
								     e->name)
						  : e->name;
		}
	}
}

/* ---- loading ---- */

static bool enum_has_value(const struct mig_enum *e, const char *v)
{
	for (size_t i = 0; i < e->values.n; i++) {
		if (strcmp(e->values.v[i], v) == 0) {
			return true;
		}
	}
	return false;
}

struct loader {
	struct mig_schema *s;
	struct mig_diags diags;
	bool naming_seen;
	struct mig_pos naming_pos;
};

static void load_naming(struct loader *L, struct mig_ydoc *d, const yaml_node_t *key,
			const yaml_node_t *n)
{
	static const char *const keys[] = { "ix", "uq", "ck", "fk", "pk", NULL };
	if (L->naming_seen) {
		mig_ydoc_err(d, key,
			     "naming_convention is already declared at %s:%u:%u (declare it in "
			     "one file only)",
			     L->naming_pos.file, L->naming_pos.line, L->naming_pos.column);
		return;
	}
	if (!mig_ynode_is_map(n)) {
		mig_ydoc_err(d, n, "'naming_convention' must be a mapping of ix, uq, ck, fk, pk");
		return;
	}
	L->naming_seen = true;
	L->naming_pos = mig_ydoc_pos(d, key, &L->s->arena);
	mig_ymap_check_keys(d, n, keys, "naming_convention");
	const char **slots[] = { &L->s->naming.ix, &L->s->naming.uq, &L->s->naming.ck,
				 &L->s->naming.fk, &L->s->naming.pk };
	for (size_t i = 0; keys[i]; i++) {
		yaml_node_t *v = mig_ymap_get(d, n, keys[i]);
		if (v) {
			mig_ynode_string(d, v, keys[i], &L->s->arena, slots[i]);
		}
	}
}

/* Whether n, the value of a top-level key, is a mapping to walk (null is an
 * empty one; anything else is reported with the message must). */
static bool section_map(struct mig_ydoc *d, const yaml_node_t *n, const char *must)
{
	if (mig_ynode_is_null(n)) {
		return false;
	}
	if (!mig_ynode_is_map(n)) {
		mig_ydoc_err(d, n, "%s", must);
		return false;
	}
	return true;
}

/* The name of an entry (key node kn) of a section of whats, split into
 * schema and bare name; NULL, reported, when it is no non-empty string. */
static const char *entry_name(struct loader *L, struct mig_ydoc *d, yaml_node_t *kn,
			      const char *what, const char **schema, const char **bare)
{
	const char *name = mig_ynode_str(kn);
	if (!name || !*name) {
		mig_ydoc_err(d, kn, "%s names must be non-empty strings", what);
		return NULL;
	}
	mig_split_qualname(&L->s->arena, name, schema, bare);
	return name;
}

/* Report the what name at kn declared before at prev; false when it was. */
static bool first_declaration(struct mig_ydoc *d, yaml_node_t *kn, const char *what,
			      const char *name, const struct mig_pos *prev)
{
	if (prev) {
		mig_ydoc_err(d, kn, "%s '%s' is already declared at %s:%u:%u", what, name,
			     prev->file, prev->line, prev->column);
	}
	return !prev;
}

static void load_enums(struct loader *L, struct mig_ydoc *d, const yaml_node_t *n)
{
	if (!section_map(d, n, "'enums' must be a mapping of enum names to value lists")) {
		return;
	}
	for (size_t i = 0; i < mig_ymap_len(n); i++) {
		yaml_node_t *kn = mig_ymap_key(d, n, i);
		yaml_node_t *vn = mig_ymap_value(d, n, i);
		const char *schema, *bare;
		const char *name = entry_name(L, d, kn, "enum", &schema, &bare);
		if (!name) {
			continue;
		}
		struct mig_enum *prev = mig_schema_find_enum(L->s, schema, bare);
		if (!first_declaration(d, kn, "enum", name, prev ? &prev->pos : NULL)) {
			continue;
		}
		struct mig_enum *e = mig_schema_add_enum(L->s, schema, bare);
		e->pos = mig_ydoc_pos(d, kn, &L->s->arena);
		if (mig_ynode_is_null(vn) || (mig_ynode_is_seq(vn) && mig_yseq_len(vn) == 0)) {
			mig_ydoc_err(d, mig_ynode_is_null(vn) ? kn : vn,
				     "enum '%s' needs at least one value", name);
			continue;
		}
		if (!mig_ynode_is_seq(vn)) {
			mig_ydoc_err(d, vn, "enum '%s' must be a list of values", name);
			continue;
		}
		for (size_t a = 0; a < mig_yseq_len(vn); a++) {
			yaml_node_t *item = mig_yseq_item(d, vn, a);
			const char *v = mig_ynode_str(item);
			if (!v || mig_ynode_is_null(item) || !*v) {
				mig_ydoc_err(d, item,
					     "values of enum '%s' must be non-empty strings", name);
				continue;
			}
			if (enum_has_value(e, v)) {
				mig_ydoc_err(d, item, "enum '%s' lists '%s' twice", name, v);
				continue;
			}
			mig_vec_push(&e->values, ADUP(L->s, v));
		}
	}
}

static void load_tables(struct loader *L, struct mig_ydoc *d, const yaml_node_t *n)
{
	if (!section_map(d, n, "'tables' must be a mapping of table names to tables")) {
		return;
	}
	for (size_t i = 0; i < mig_ymap_len(n); i++) {
		yaml_node_t *kn = mig_ymap_key(d, n, i);
		const char *schema, *bare;
		const char *name = entry_name(L, d, kn, "table", &schema, &bare);
		if (!name) {
			continue;
		}
		struct mig_table *prev = mig_schema_find_table(L->s, schema, bare);
		if (!first_declaration(d, kn, "table", name, prev ? &prev->pos : NULL)) {
			continue;
		}
		struct mig_table *t = mig_schema_add_table(L->s, schema, bare);
		mig_model_parse_table(d, L->s, t, mig_ymap_value(d, n, i), NULL);
		t->pos = mig_ydoc_pos(d, kn, &L->s->arena);
	}
}

static void load_doc(struct loader *L, const char *path, const char *text, size_t len)
{
	static const char *const keys[] = { "naming_convention", "enums", "tables", NULL };
	struct mig_ydoc d;
	if (mig_ydoc_load(&d, path, text, len, &L->diags) < 0) {
		return;
	}
	yaml_node_t *root = mig_ydoc_root(&d);
	if (!root || mig_ynode_is_null(root)) {
		goto done; /* an empty file declares nothing */
	}
	if (!mig_ynode_is_map(root)) {
		mig_ydoc_err(&d, root, "a model file must be a mapping with 'tables' (and "
				       "optionally 'enums', 'naming_convention')");
		goto done;
	}
	mig_ymap_check_keys(&d, root, keys, "model file");
	yaml_node_t *x;
	if ((x = mig_ymap_get(&d, root, "naming_convention"))) {
		load_naming(L, &d, map_key_node(&d, root, "naming_convention"), x);
	}
	if ((x = mig_ymap_get(&d, root, "enums"))) {
		load_enums(L, &d, x);
	}
	if ((x = mig_ymap_get(&d, root, "tables"))) {
		load_tables(L, &d, x);
	}
done:
	mig_ydoc_release(&d);
}

static void diag_at(struct loader *L, const struct mig_pos *p, const char *fmt, ...)
	MIG_PRINTF(3, 4);
static void diag_at(struct loader *L, const struct mig_pos *p, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_diags_addf(&L->diags, p->file ? p->file : "?", p->line, p->column, "%s", s.buf);
	mig_str_release(&s);
}

static bool pos_before(const struct mig_pos *a, const struct mig_pos *b)
{
	return a->line < b->line || (a->line == b->line && a->column < b->column);
}

/* Two indexes, or two constraints, of one table with the same name (given, or
 * made by the naming convention) could not both be created. */
static void check_names(struct loader *L, const struct mig_table *t)
{
	for (size_t i = 0; i < t->indexes.n; i++) {
		const struct mig_index *a = &t->indexes.v[i];
		for (size_t j = 0; a->name && j < i; j++) {
			const struct mig_index *b = &t->indexes.v[j];
			if (mig_streq(a->name, b->name)) {
				const struct mig_pos *first = &b->pos, *again = &a->pos;
				if (pos_before(again, first)) {
					first = &a->pos;
					again = &b->pos;
				}
				diag_at(L, again,
					"index '%s' of table '%s' is already declared at %s:%u:%u",
					a->name, t->name, first->file, first->line, first->column);
				break;
			}
		}
	}
	struct named {
		const char *name;
		const struct mig_pos *pos;
	};
	MIG_VEC(struct named) seen = { 0 };
	if (t->pk.name) {
		struct named n = { t->pk.name, &t->pos };
		mig_vec_push(&seen, n);
	}
	for (size_t i = 0; i < t->uniques.n; i++) {
		struct named n = { t->uniques.v[i].name, &t->uniques.v[i].pos };
		mig_vec_push(&seen, n);
	}
	for (size_t i = 0; i < t->fks.n; i++) {
		struct named n = { t->fks.v[i].name, &t->fks.v[i].pos };
		mig_vec_push(&seen, n);
	}
	for (size_t i = 0; i < t->checks.n; i++) {
		struct named n = { t->checks.v[i].name, &t->checks.v[i].pos };
		mig_vec_push(&seen, n);
	}
	for (size_t i = 0; i < seen.n; i++) {
		for (size_t j = 0; seen.v[i].name && j < i; j++) {
			if (mig_streq(seen.v[i].name, seen.v[j].name)) {
				const struct mig_pos *first = seen.v[j].pos, *again = seen.v[i].pos;
				if (pos_before(again, first)) {
					first = seen.v[i].pos;
					again = seen.v[j].pos;
				}
				diag_at(L, again,
					"constraint '%s' of table '%s' is already declared at "
					"%s:%u:%u",
					seen.v[i].name, t->name, first->file, first->line,
					first->column);
				break;
			}
		}
	}
	mig_vec_free(&seen);
}

/* Checks that need every file: types, foreign keys, naming. */
static void finish(struct loader *L)
{
	struct mig_schema *s = L->s;
	for (size_t i = 0; i < s->tables.n; i++) {
		struct mig_table *t = &s->tables.v[i];
		mig_model_resolve_types(s, t);
		for (size_t j = 0; j < t->columns.n; j++) {
			struct mig_column *c = &t->columns.v[j];
			if (c->type.raw && !mig_model_type_known(s, &c->type)) {
				diag_at(L, &c->pos,
					"unknown type '%s' for column '%s' (not a generic type, a "
					"declared enum or a known database type)",
					c->type.raw, c->name);
			}
		}
		if (s->naming.ck && strstr(s->naming.ck, "%(name)s")) {
			for (size_t j = 0; j < t->checks.n; j++) {
				if (!t->checks.v[j].name) {
					diag_at(L, &t->checks.v[j].pos,
						"check constraint of table '%s' needs a name: the "
						"naming convention for checks uses %%(name)s",
						t->name);
				}
			}
		}
		mig_table_normalize(s, t);
		check_names(L, t);
	}
	for (size_t i = 0; i < s->tables.n; i++) {
		struct mig_table *t = &s->tables.v[i];
		for (size_t j = 0; j < t->fks.n; j++) {
			struct mig_foreign_key *f = &t->fks.v[j];
			struct mig_table *rt = mig_schema_find_table(s, f->ref_schema, f->ref_table);
			if (!rt) {
				diag_at(L, &f->pos,
					"foreign key of table '%s' references unknown table '%s%s%s'",
					t->name, f->ref_schema ? f->ref_schema : "",
					f->ref_schema ? "." : "", f->ref_table);
				continue;
			}
			for (size_t k = 0; k < f->ref_columns.n; k++) {
				if (!mig_table_find_column(rt, f->ref_columns.v[k])) {
					diag_at(L, &f->pos,
						"foreign key of table '%s' references unknown column "
						"'%s.%s'",
						t->name, rt->name, f->ref_columns.v[k]);
				}
			}
		}
	}
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The model files at path: the file itself, or every *.yaml / *.yml below the
 * folder (hidden entries skipped), folders recursed, in sorted order. */
static int collect(const char *path, struct mig_strlist *files)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		return mig_error(MIG_ECLASS_FILE, "cannot open model path '%s': %s", path,
				 strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		mig_strlist_push(files, path);
		return 0;
	}
	DIR *dir = opendir(path);
	if (!dir) {
		return mig_error(MIG_ECLASS_FILE, "cannot open model folder '%s': %s", path,
				 strerror(errno));
	}
	struct mig_strlist names = MIG_STRLIST_INIT;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] != '.') {
			mig_strlist_push(&names, e->d_name);
		}
	}
	closedir(dir);
	if (names.n) {
		qsort(names.v, names.n, sizeof(char *), cmp_names);
	}
	int rc = 0;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		char *p = mig_path_join(path, names.v[i]);
		if (mig_path_is_dir(p)) {
			rc = collect(p, files);
		} else if (mig_ends_with(p, ".yaml") || mig_ends_with(p, ".yml")) {
			mig_strlist_push(files, p);
		}
		free(p);
	}
	mig_strlist_release(&names);
	return rc;
}

int mig_model_load(const struct mig_strlist *paths, struct mig_schema **out)
{
	struct loader L = { .s = mig_schema_new(), .diags = MIG_DIAGS_INIT };
	struct mig_strlist files = MIG_STRLIST_INIT;
	int rc = MIG_ERROR;
	for (size_t i = 0; i < paths->n; i++) {
		if (collect(paths->v[i], &files) < 0) {
			goto done;
		}
	}
	for (size_t i = 0; i < files.n; i++) {
		char *text;
		size_t len;
		if (mig_file_read(files.v[i], &text, &len) < 0) {
			mig_diags_addf(&L.diags, files.v[i], 0, 0, "%s", mig_error_last());
			continue;
		}
		load_doc(&L, files.v[i], text, len);
		free(text);
	}
	finish(&L);
	rc = mig_diags_finish(&L.diags);
done:
	mig_diags_release(&L.diags);
	mig_strlist_release(&files);
	if (rc < 0) {
		mig_schema_free(L.s);
		return rc;
	}
	*out = L.s;
	return 0;
}

int mig_model_load_string(const char *path, const char *text, struct mig_schema **out)
{
	struct loader L = { .s = mig_schema_new(), .diags = MIG_DIAGS_INIT };
	load_doc(&L, path, text, strlen(text));
	finish(&L);
	int rc = mig_diags_finish(&L.diags);
	mig_diags_release(&L.diags);
	if (rc < 0) {
		mig_schema_free(L.s);
		return rc;
	}
	*out = L.s;
	return 0;
}

/* ---- writing ---- */

static void kv(struct mig_str *out, bool *first, const char *key)
{
	mig_str_add(out, *first ? "" : ", ");
	*first = false;
	mig_str_add(out, key);
	mig_str_add(out, ": ");
}

static void kv_str(struct mig_str *out, bool *first, const char *key, const char *v)
{
	if (v) {
		kv(out, first, key);
		mig_yaml_scalar(out, v);
	}
}

static void kv_names(struct mig_str *out, bool *first, const char *key, const char *const *v,
		     size_t n)
{
	kv(out, first, key);
	mig_yaml_flow_seq(out, v, n);
}

void mig_model_write_column(struct mig_str *out, const struct mig_column *c, bool with_name,
			    bool compact)
{
	struct mig_str ty = MIG_STR_INIT;
	mig_type_format(&ty, &c->type);
	bool only_type = c->nullable && !c->primary_key && !c->unique && !c->index &&
			 !c->default_sql && c->autoincrement == MIG_UNSET && !c->identity &&
			 !c->computed_sql && !c->ref_table && !c->collation && !c->comment &&
			 !c->on_update_sql;
	if (compact && !with_name && only_type) {
		mig_yaml_scalar(out, ty.buf);
		mig_str_release(&ty);
		return;
	}
	bool first = true;
	mig_str_addch(out, '{');
	if (with_name) {
		kv_str(out, &first, "name", c->name);
	}
	kv_str(out, &first, "type", ty.buf);
	if (c->primary_key) {
		kv(out, &first, "primary_key");
		mig_str_add(out, "true");
	}
	if (!c->nullable && !c->primary_key) {
		kv(out, &first, "nullable");
		mig_str_add(out, "false");
	}
	if (c->unique) {
		kv(out, &first, "unique");
		mig_str_add(out, "true");
	}
	if (c->index) {
		kv(out, &first, "index");
		mig_str_add(out, "true");
	}
	kv_str(out, &first, "default", c->default_sql);
	if (c->autoincrement != MIG_UNSET) {
		kv(out, &first, "autoincrement");
		mig_str_add(out, c->autoincrement == MIG_TRUE ? "true" : "false");
	}
	if (c->identity) {
		kv(out, &first, "identity");
		mig_str_addf(out, "{always: %s", c->identity_always ? "true" : "false");
		if (c->identity_start) {
			mig_str_addf(out, ", start: %lld", c->identity_start);
		}
		if (c->identity_increment) {
			mig_str_addf(out, ", increment: %lld", c->identity_increment);
		}
		mig_str_addch(out, '}');
	}
	if (c->computed_sql) {
		kv(out, &first, "computed");
		mig_str_add(out, "{sql: ");
		mig_yaml_scalar(out, c->computed_sql);
		mig_str_addf(out, ", stored: %s}", c->computed_stored ? "true" : "false");
	}
	if (c->ref_table) {
		char *ref = xasprintf("%s.%s", c->ref_table, c->ref_column);
		kv_str(out, &first, "references", ref);
		free(ref);
		kv_str(out, &first, "on_delete", mig_fk_action_name(c->on_delete));
		kv_str(out, &first, "on_update", mig_fk_action_name(c->on_update));
		if (c->deferrable) {
			kv(out, &first, "deferrable");
			mig_str_add(out, "true");
		}
		if (c->initially_deferred) {
			kv(out, &first, "initially_deferred");
			mig_str_add(out, "true");
		}
	}
	kv_str(out, &first, "collation", c->collation);
	kv_str(out, &first, "comment", c->comment);
	kv_str(out, &first, "server_onupdate", c->on_update_sql);
	mig_str_addch(out, '}');
	mig_str_release(&ty);
}

void mig_model_write_index(struct mig_str *out, const struct mig_index *ix)
{
	bool first = true;
	mig_str_addch(out, '{');
	kv_str(out, &first, "name", ix->name);
	MIG_VEC(const char *) cols = { 0 };
	MIG_VEC(const char *) exprs = { 0 };
	struct mig_strlist tmp = MIG_STRLIST_INIT;
	/* columns first, then expressions, unless that would change the order:
	 * then every element goes under expressions (a column name read there is
	 * the column) */
	bool mixed = false, seen_expr = false;
	for (size_t i = 0; i < ix->elems.n; i++) {
		if (!ix->elems.v[i].column) {
			seen_expr = true;
		} else if (seen_expr) {
			mixed = true;
		}
	}
	for (size_t i = 0; i < ix->elems.n; i++) {
		const struct mig_index_elem *e = &ix->elems.v[i];
		const char *text = e->column ? e->column : e->expression;
		if (e->column && mixed && !is_bare_identifier(text, strlen(text))) {
			/* among expressions, a column is read back by its quoted name */
			struct mig_str q = MIG_STR_INIT;
			mig_str_addch(&q, '"');
			for (const char *p = text; *p; p++) {
				if (*p == '"') {
					mig_str_addch(&q, '"');
				}
				mig_str_addch(&q, *p);
			}
			mig_str_addch(&q, '"');
			mig_strlist_push_owned(&tmp, mig_str_detach(&q));
			text = tmp.v[tmp.n - 1];
		}
		if (e->desc) {
			mig_strlist_push_owned(&tmp, xasprintf("%s DESC", text));
			text = tmp.v[tmp.n - 1];
		}
		if (e->column && !mixed) {
			mig_vec_push(&cols, text);
		} else {
			mig_vec_push(&exprs, text);
		}
	}
	if (cols.n) {
		kv_names(out, &first, "columns", cols.v, cols.n);
	}
	if (exprs.n) {
		kv_names(out, &first, "expressions", exprs.v, exprs.n);
	}
	if (ix->unique) {
		kv(out, &first, "unique");
		mig_str_add(out, "true");
	}
	kv_str(out, &first, "where", ix->where);
	kv_str(out, &first, "using", ix->using);
	mig_str_addch(out, '}');
	mig_vec_free(&cols);
	mig_vec_free(&exprs);
	mig_strlist_release(&tmp);
}

void mig_model_write_unique(struct mig_str *out, const struct mig_unique *u)
{
	bool first = true;
	mig_str_addch(out, '{');
	kv_str(out, &first, "name", u->name);
	kv_names(out, &first, "columns", u->columns.v, u->columns.n);
	if (u->deferrable) {
		kv(out, &first, "deferrable");
		mig_str_add(out, "true");
	}
	mig_str_addch(out, '}');
}

void mig_model_write_check(struct mig_str *out, const struct mig_check *c)
{
	bool first = true;
	mig_str_addch(out, '{');
	kv_str(out, &first, "name", c->name);
	kv_str(out, &first, "sql", c->sql);
	kv_str(out, &first, "column", c->column);
	mig_str_addch(out, '}');
}

void mig_model_write_fk(struct mig_str *out, const struct mig_foreign_key *fk)
{
	bool first = true;
	mig_str_addch(out, '{');
	kv_str(out, &first, "name", fk->name);
	kv_names(out, &first, "columns", fk->columns.v, fk->columns.n);
	kv(out, &first, "references");
	mig_str_add(out, "{table: ");
	if (fk->ref_schema) {
		char *q = xasprintf("%s.%s", fk->ref_schema, fk->ref_table);
		mig_yaml_scalar(out, q);
		free(q);
	} else {
		mig_yaml_scalar(out, fk->ref_table);
	}
	mig_str_add(out, ", columns: ");
	mig_yaml_flow_seq(out, fk->ref_columns.v, fk->ref_columns.n);
	mig_str_addch(out, '}');
	kv_str(out, &first, "on_delete", mig_fk_action_name(fk->on_delete));
	kv_str(out, &first, "on_update", mig_fk_action_name(fk->on_update));
	if (fk->deferrable) {
		kv(out, &first, "deferrable");
		mig_str_add(out, "true");
	}
	if (fk->initially_deferred) {
		kv(out, &first, "initially_deferred");
		mig_str_add(out, "true");
	}
	mig_str_addch(out, '}');
}

void mig_model_write_table_body(struct mig_str *out, const struct mig_table *t, int indent)
{
	if (t->comment) {
		mig_yaml_indent(out, indent);
		mig_str_add(out, "comment: ");
		mig_yaml_scalar(out, t->comment);
		mig_str_addch(out, '\n');
	}
	mig_yaml_indent(out, indent);
	mig_str_add(out, "columns:\n");
	/* a single-column primary key is written on the column */
	bool pk_inline = t->pk.columns.n == 1 && !t->pk.name;
	for (size_t i = 0; i < t->columns.n; i++) {
		struct mig_column c = t->columns.v[i];
		c.primary_key = pk_inline && strcmp(t->pk.columns.v[0], c.name) == 0;
		mig_yaml_indent(out, indent + 1);
		mig_yaml_scalar(out, c.name);
		mig_str_add(out, ": ");
		mig_model_write_column(out, &c, false, true);
		mig_str_addch(out, '\n');
	}
	if (t->pk.columns.n && !pk_inline) {
		mig_yaml_indent(out, indent);
		if (t->pk.name) {
			mig_str_add(out, "primary_key: {name: ");
			mig_yaml_scalar(out, t->pk.name);
			mig_str_add(out, ", columns: ");
			mig_yaml_flow_seq(out, t->pk.columns.v, t->pk.columns.n);
			mig_str_add(out, "}\n");
		} else {
			mig_str_add(out, "primary_key: ");
			mig_yaml_flow_seq(out, t->pk.columns.v, t->pk.columns.n);
			mig_str_addch(out, '\n');
		}
	}
#define WRITE_LIST(key, vec, fn)                                                                   \
	if ((vec).n) {                                                                             \
		mig_yaml_indent(out, indent);                                                      \
		mig_str_add(out, key ":\n");                                                       \
		for (size_t i = 0; i < (vec).n; i++) {                                             \
			mig_yaml_indent(out, indent + 1);                                          \
			mig_str_add(out, "- ");                                                    \
			fn(out, &(vec).v[i]);                                                      \
			mig_str_addch(out, '\n');                                                  \
		}                                                                                  \
	}
	WRITE_LIST("indexes", t->indexes, mig_model_write_index)
	WRITE_LIST("unique", t->uniques, mig_model_write_unique)
	WRITE_LIST("checks", t->checks, mig_model_write_check)
	WRITE_LIST("foreign_keys", t->fks, mig_model_write_fk)
#undef WRITE_LIST
	if (t->options) {
		mig_yaml_indent(out, indent);
		mig_str_add(out, "options: ");
		mig_yaml_scalar(out, t->options);
		mig_str_addch(out, '\n');
	}
}

static void write_header(struct mig_str *out, const struct mig_schema *s)
{
	const struct mig_naming_convention *nc = &s->naming;
	if (nc->ix || nc->uq || nc->ck || nc->fk || nc->pk) {
		mig_str_add(out, "naming_convention:\n");
		const char *keys[] = { "ix", "uq", "ck", "fk", "pk" };
		const char *vals[] = { nc->ix, nc->uq, nc->ck, nc->fk, nc->pk };
		for (size_t i = 0; i < 5; i++) {
			if (vals[i]) {
				mig_str_addf(out, "  %s: ", keys[i]);
				mig_yaml_scalar(out, vals[i]);
				mig_str_addch(out, '\n');
			}
		}
	}
	if (s->enums.n) {
		mig_str_add(out, "enums:\n");
		for (size_t i = 0; i < s->enums.n; i++) {
			const struct mig_enum *e = &s->enums.v[i];
			mig_str_add(out, "  ");
			if (e->schema) {
				char *q = xasprintf("%s.%s", e->schema, e->name);
				mig_yaml_scalar(out, q);
				free(q);
			} else {
				mig_yaml_scalar(out, e->name);
			}
			mig_str_add(out, ": ");
			mig_yaml_flow_seq(out, e->values.v, e->values.n);
			mig_str_addch(out, '\n');
		}
	}
}

static void write_table_entry(struct mig_str *out, const struct mig_table *t)
{
	mig_str_add(out, "  ");
	if (t->schema) {
		char *q = xasprintf("%s.%s", t->schema, t->name);
		mig_yaml_scalar(out, q);
		free(q);
	} else {
		mig_yaml_scalar(out, t->name);
	}
	mig_str_add(out, ":\n");
	mig_model_write_table_body(out, t, 2);
}

void mig_model_write(struct mig_str *out, const struct mig_schema *s)
{
	write_header(out, s);
	if (s->tables.n) {
		mig_str_add(out, "tables:\n");
		for (size_t i = 0; i < s->tables.n; i++) {
			write_table_entry(out, &s->tables.v[i]);
		}
	}
}

void mig_model_write_table(struct mig_str *out, const struct mig_schema *s,
			   const struct mig_table *t)
{
	(void)s;
	mig_str_add(out, "tables:\n");
	write_table_entry(out, t);
}

/* A file name for a table: safe characters only, "schema.table" kept. */
static char *table_file_name(const struct mig_table *t)
{
	struct mig_str s = MIG_STR_INIT;
	if (t->schema) {
		mig_str_add(&s, t->schema);
		mig_str_addch(&s, '.');
	}
	mig_str_add(&s, t->name);
	for (char *p = s.buf; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(isalnum(c) || c == '_' || c == '.' || c == '-' || c >= 0x80)) {
			*p = '_';
		}
	}
	mig_str_add(&s, ".yaml");
	return mig_str_detach(&s);
}

int mig_model_write_dir(const struct mig_schema *s, const char *dir)
{
	if (mig_mkdir_p(dir, 0755) < 0) {
		return MIG_ERROR;
	}
	struct mig_str buf = MIG_STR_INIT;
	int rc = 0;
	write_header(&buf, s);
	if (buf.len) {
		char *p = mig_path_join(dir, "_schema.yaml");
		rc = mig_file_write_atomic(p, buf.buf, buf.len);
		free(p);
	}
	struct mig_strlist used = MIG_STRLIST_INIT;
	for (size_t i = 0; rc == 0 && i < s->tables.n; i++) {
		const struct mig_table *t = &s->tables.v[i];
		char *name = table_file_name(t);
		/* two names that map to one file name: number the second */
		for (int k = 2; mig_strlist_has(&used, name); k++) {
			free(name);
			char *base = table_file_name(t);
			base[strlen(base) - 5] = '\0';
			name = xasprintf("%s-%d.yaml", base, k);
			free(base);
		}
		mig_strlist_push(&used, name);
		mig_str_reset(&buf);
		mig_model_write_table(&buf, s, t);
		char *p = mig_path_join(dir, name);
		rc = mig_file_write_atomic(p, buf.buf, buf.len);
		free(p);
		free(name);
	}
	mig_strlist_release(&used);
	mig_str_release(&buf);
	return rc;
}
