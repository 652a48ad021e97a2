/* Reading SQL expression text: just enough lexing to tell which names an
 * expression uses (a CHECK, an index expression or predicate, a generated
 * column), shared by the in-memory schema and the renderers. */
#include "migrate/schema.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

bool mig_sql_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

size_t mig_sql_quoted_len(const char *p)
{
	char close = p[0] == '[' ? ']' : p[0];
	size_t i = 1;
	while (p[i]) {
		if (p[i] == close) {
			if (close != ']' && p[i + 1] == close) {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
	return 0;
}

void mig_sql_unquote(struct mig_str *out, const char *q, size_t len)
{
	char close = q[0] == '[' ? ']' : q[0];
	for (size_t i = 1; i + 1 < len; i++) {
		mig_str_addch(out, q[i]);
		if (q[i] == close && close != ']') {
			i++;
		}
	}
}

/* Call fn for every name the expression uses (a quoted name, or a bare word
 * not followed by '('), until fn returns true; returns whether it did. */
static bool each_name(const char *sql, bool (*fn)(const char *name, size_t n, void *arg),
		      void *arg)
{
	const char *p = sql;
	while (p && *p) {
		unsigned char c = (unsigned char)*p;
		if (c == '\'') {
			size_t len = mig_sql_quoted_len(p);
			p = len ? p + len : NULL;
		} else if (c == '"' || c == '`' || c == '[') {
			size_t len = mig_sql_quoted_len(p);
			if (!len) {
				return false;
			}
			struct mig_str s = MIG_STR_INIT;
			mig_sql_unquote(&s, p, len);
			bool stop = fn(s.buf ? s.buf : "", s.len, arg);
			mig_str_release(&s);
			if (stop) {
				return true;
			}
			p += len;
		} else if (mig_sql_word_char(c)) {
			const char *start = p;
			while (mig_sql_word_char((unsigned char)*p)) {
				p++;
			}
			const char *next = p;
			while (isspace((unsigned char)*next)) {
				next++;
			}
			/* a word before '(' names a function */
			if (*next != '(' && fn(start, (size_t)(p - start), arg)) {
				return true;
			}
		} else {
			p++;
		}
	}
	return false;
}

static bool same_name(const char *name, size_t n, void *arg)
{
	const char *want = arg;
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

bool mig_sql_names(const char *sql, const char *name)
{
	return each_name(sql, same_name, (void *)name);
}

struct only {
	const struct mig_table *t;
	const char *column;
};

/* Stops at a column of the table other than the one asked about. */
static bool other_column(const char *name, size_t n, void *arg)
{
	const struct only *o = arg;
	for (size_t i = 0; i < o->t->columns.n; i++) {
		const char *c = o->t->columns.v[i].name;
		if (strlen(c) == n && strncasecmp(name, c, n) == 0) {
			return !mig_strieq(c, o->column);
		}
	}
	return false;
}

bool mig_sql_names_only(const char *sql, const struct mig_table *t, const char *column)
{
	struct only o = { t, column };
	return mig_sql_names(sql, column) && !each_name(sql, other_column, &o);
}
