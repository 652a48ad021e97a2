/* Database URLs (DESIGN §4): parsing dialect[+driver]://user:password@host:port/database?query
 * into struct mig_url, printing a URL back with its password masked, and masking
 * passwords in text that may not parse at all. */
#include "migrate/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Drivers are accepted where the URL means exactly what it means to our client
 * library: the library itself and the Python drivers built on it or sharing its
 * query parameters, so URLs copied from an Alembic project keep working. */
static const char *const pg_drivers[] = { "libpq", "psycopg2", "psycopg", NULL };
static const char *const my_drivers[] = { "mysqlclient", "mysqldb", "pymysql",
					  "mariadbconnector", NULL };
static const char *const sqlite_drivers[] = { "pysqlite", NULL };

static const struct scheme_spec {
	const char *name;
	const char *dialect;
	const char *const *drivers;
} schemes[] = {
	{ "postgresql", "postgresql", pg_drivers },
	{ "postgres", "postgresql", pg_drivers },
	{ "mysql", "mysql", my_drivers },
	{ "mariadb", "mysql", my_drivers },
	{ "sqlite", "sqlite", sqlite_drivers },
};

/* ---- where the secrets are ---- */

struct region {
	size_t start, end; /* byte offsets, end exclusive */
};

#define MAX_SECRETS 16

static bool is_secret_key(const char *key, size_t n)
{
	static const char suffix[] = "password";
	size_t ls = sizeof(suffix) - 1;
	if (n == 6 && strncasecmp(key, "passwd", 6) == 0) {
		return true;
	}
	return n >= ls && strncasecmp(key + n - ls, suffix, ls) == 0;
}

static const char *memrchr_in(const char *s, size_t n, char c)
{
	while (n > 0) {
		if (s[--n] == c) {
			return s + n;
		}
	}
	return NULL;
}

/* The secret parts of one URL token s[0..n), which starts after "scheme://":
 * the password of the user info and the values of password query parameters.
 * When '/', '?' or '@' inside a password were not percent-encoded, the guess
 * errs towards hiding too much. Returns how many regions were found. */
static size_t secret_regions(const char *s, size_t n, struct region *out)
{
	size_t count = 0;
	const char *q = memchr(s, '?', n);
	size_t qpos = q ? (size_t)(q - s) : n;
	const char *at = memrchr_in(s, qpos, '@');
	if (!at) {
		at = memrchr_in(s, n, '@');
	}
	if (at) {
		const char *colon = memchr(s, ':', (size_t)(at - s));
		if (colon) {
			out[count++] = (struct region){ (size_t)(colon + 1 - s), (size_t)(at - s) };
		}
	}
	/* query parameters after the user info */
	size_t from = at ? (size_t)(at - s) + 1 : 0;
	q = memchr(s + from, '?', n - from);
	if (!q) {
		return count;
	}
	size_t i = (size_t)(q - s) + 1;
	while (i < n && count < MAX_SECRETS) {
		size_t amp = i;
		while (amp < n && s[amp] != '&') {
			amp++;
		}
		const char *eq = memchr(s + i, '=', amp - i);
		if (eq && is_secret_key(s + i, (size_t)(eq - (s + i)))) {
			out[count++] = (struct region){ (size_t)(eq + 1 - s), amp };
		}
		i = amp + 1;
	}
	return count;
}

/* Append text with every secret of the URLs in it replaced by "***". whole:
 * text is one URL, so spaces and quotes belong to it, and even without a
 * "://" its user info is found. */
static void mask_into(struct mig_str *out, const char *text, bool whole)
{
	const char *p = text;
	for (;;) {
		const char *sep = strstr(p, "://");
		const char *s;
		size_t n;
		if (sep) {
			s = sep + 3;
		} else if (whole && p == text) {
			s = text;
		} else {
			mig_str_add(out, p);
			return;
		}
		n = whole ? strlen(s) : strcspn(s, " \t\r\n'\"<>`");
		struct region r[MAX_SECRETS];
		size_t nr = secret_regions(s, n, r);
		mig_str_addn(out, p, (size_t)(s - p));
		size_t at = 0;
		for (size_t i = 0; i < nr; i++) {
			mig_str_addn(out, s + at, r[i].start - at);
			mig_str_add(out, "***");
			at = r[i].end;
		}
		mig_str_addn(out, s + at, n - at);
		p = s + n;
		if (!*p) {
			return;
		}
	}
}

char *mig_url_mask_text(const char *text)
{
	struct mig_str out = MIG_STR_INIT;
	if (text) {
		mask_into(&out, text, false);
	}
	return mig_str_detach(&out);
}

/* ---- parsing ---- */

struct parser {
	const char *text; /* the URL, trimmed */
	struct region secrets[MAX_SECRETS];
	size_t nsecrets;
};

/* Fail with "invalid database URL '<masked>': <reason>". frag is the part of
 * the text the reason quotes: when it lies in what masking hides, quoting it
 * would show part of a password, so the reason becomes advice instead. */
MIG_PRINTF(4, 5)
static int fail(const struct parser *p, const char *frag, size_t fraglen, const char *fmt, ...)
{
	struct mig_str masked = MIG_STR_INIT;
	struct mig_str reason = MIG_STR_INIT;
	va_list ap;

	mask_into(&masked, p->text, true);
	va_start(ap, fmt);
	mig_str_vaddf(&reason, fmt, ap);
	va_end(ap);
	if (frag) {
		size_t fs = (size_t)(frag - p->text), fe = fs + fraglen;
		for (size_t i = 0; i < p->nsecrets; i++) {
			if (fs < p->secrets[i].end && p->secrets[i].start < fe) {
				mig_str_reset(&reason);
				mig_str_add(&reason,
					    "malformed password (percent-encode its special "
					    "characters: '/' as %2F, '?' as %3F, '@' as %40, "
					    "'%' as %25)");
				break;
			}
		}
	}
	mig_error(MIG_ECLASS_USAGE, "invalid database URL '%s': %s", masked.buf, reason.buf);
	mig_str_release(&masked);
	mig_str_release(&reason);
	return MIG_ERROR;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* Percent-decode s[0..n) into a new string. what names the part for messages;
 * a secret part is never quoted. */
static int decode(const struct parser *p, const char *s, size_t n, const char *what, bool secret,
		  char **out)
{
	struct mig_str d = MIG_STR_INIT;
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			mig_str_addch(&d, s[i]);
			continue;
		}
		size_t elen = n - i < 3 ? n - i : 3;
		int hi = elen == 3 ? hexval(s[i + 1]) : -1;
		int lo = elen == 3 ? hexval(s[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			mig_str_release(&d);
			if (secret) {
				return fail(p, NULL, 0, "invalid percent-escape in the %s", what);
			}
			return fail(p, s + i, elen, "invalid percent-escape '%.*s' in the %s",
				    (int)elen, s + i, what);
		}
		mig_str_addch(&d, (char)(hi * 16 + lo));
		i += 2;
	}
	*out = mig_str_detach(&d);
	return 0;
}

static bool is_scheme_token(const char *s, size_t n)
{
	if (n == 0 || !isalpha((unsigned char)s[0])) {
		return false;
	}
	for (size_t i = 1; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && !strchr("+.-", s[i])) {
			return false;
		}
	}
	return true;
}

static int parse_scheme(struct parser *p, struct mig_url *url, const char **rest)
{
	const char *t = p->text;
	const char *colon = strchr(t, ':');
	size_t n = colon ? (size_t)(colon - t) : 0;

	if (!colon || !is_scheme_token(t, n)) {
		return fail(p, NULL, 0,
			    "missing scheme (e.g. postgresql://user@host/db or sqlite:///app.db)");
	}
	url->scheme = xstrndup(t, n);
	const char *plus = memchr(t, '+', n);
	size_t base = plus ? (size_t)(plus - t) : n;
	const struct scheme_spec *spec = NULL;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (strlen(schemes[i].name) == base && strncasecmp(t, schemes[i].name, base) == 0) {
			spec = &schemes[i];
			break;
		}
	}
	bool slashes = strncmp(colon, "://", 3) == 0;
	if (!spec && !slashes) {
		return fail(p, NULL, 0,
			    "missing scheme (e.g. postgresql://user@host/db or sqlite:///app.db)");
	}
	if (!spec) {
		return fail(p, NULL, 0,
			    "unknown scheme '%.*s' (expected postgresql, postgres, mysql, mariadb "
			    "or sqlite, optionally with +driver)",
			    (int)n, t);
	}
	url->dialect = xstrdup(spec->dialect);
	if (plus) {
		const char *drv = plus + 1;
		size_t dn = n - base - 1;
		bool known = false;
		for (size_t i = 0; dn > 0 && spec->drivers[i]; i++) {
			if (strlen(spec->drivers[i]) == dn &&
			    strncasecmp(drv, spec->drivers[i], dn) == 0) {
				known = true;
			}
		}
		if (!known) {
			struct mig_str list = MIG_STR_INIT;
			for (size_t i = 0; spec->drivers[i]; i++) {
				bool last = !spec->drivers[i + 1];
				mig_str_addf(&list, "%s%s", i == 0 ? "" : last ? " or " : ", ",
					     spec->drivers[i]);
			}
			if (dn == 0) {
				fail(p, NULL, 0, "missing driver name after '+' (expected %s)",
				     list.buf);
			} else {
				fail(p, NULL, 0, "unknown driver '%.*s' for %s (expected %s)",
				     (int)dn, drv, spec->dialect, list.buf);
			}
			mig_str_release(&list);
			return MIG_ERROR;
		}
		url->driver = xstrndup(drv, dn);
	}
	if (!slashes) {
		return fail(p, NULL, 0, "expected '//' after '%.*s:'", (int)n, t);
	}
	*rest = colon + 3;
	return 0;
}

static int parse_port(const struct parser *p, struct mig_url *url, const char *s, size_t n)
{
	long v = 0;
	if (n == 0) {
		return fail(p, s, 0, "missing port number after ':'");
	}
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i])) {
			return fail(p, s, n, "port '%.*s' is not a number", (int)n, s);
		}
		if (v <= 65535) {
			v = v * 10 + (s[i] - '0');
		}
	}
	if (v < 1 || v > 65535) {
		return fail(p, s, n, "port '%.*s' is out of range", (int)n, s);
	}
	url->port = (int)v;
	return 0;
}

/* [user[:password]@][host][:port], s[0..n) */
static int parse_authority(const struct parser *p, struct mig_url *url, const char *s, size_t n)
{
	const char *at = memrchr_in(s, n, '@');
	if (at) {
		size_t un = (size_t)(at - s);
		const char *colon = memchr(s, ':', un);
		size_t user_len = colon ? (size_t)(colon - s) : un;
		if (user_len > 0 && decode(p, s, user_len, "user name", false, &url->user) < 0) {
			return MIG_ERROR;
		}
		if (colon && decode(p, colon + 1, (size_t)(at - colon - 1), "password", true,
				    &url->password) < 0) {
			return MIG_ERROR;
		}
		n -= un + 1;
		s = at + 1;
	}
	if (n == 0) {
		return 0;
	}
	const char *port = NULL;
	size_t host_len;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close) {
			return fail(p, s, n, "missing ']' after IPv6 address '%.*s'", (int)n, s);
		}
		host_len = (size_t)(close - s) - 1;
		if (decode(p, s + 1, host_len, "host", false, &url->host) < 0) {
			return MIG_ERROR;
		}
		if (!strchr(url->host, ':')) {
			return fail(p, s, host_len + 2, "invalid IPv6 address '%.*s'",
				    (int)host_len + 2, s);
		}
		const char *after = close + 1;
		size_t left = n - (size_t)(after - s);
		if (left > 0 && *after != ':') {
			return fail(p, after, left, "unexpected '%.*s' after ']'", (int)left,
				    after);
		}
		port = left > 0 ? after + 1 : NULL;
	} else {
		const char *colon = memchr(s, ':', n);
		host_len = colon ? (size_t)(colon - s) : n;
		if (colon && memchr(colon + 1, ':', n - host_len - 1)) {
			return fail(p, s, n,
				    "IPv6 address '%.*s' must be in brackets, e.g. [::1]:5432",
				    (int)n, s);
		}
		if (host_len > 0 && decode(p, s, host_len, "host", false, &url->host) < 0) {
			return MIG_ERROR;
		}
		port = colon ? colon + 1 : NULL;
	}
	if (port) {
		return parse_port(p, url, port, n - (size_t)(port - s));
	}
	return 0;
}

/* key=value&key=value, s[0..n) */
static int parse_query(const struct parser *p, struct mig_url *url, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&') {
			end++;
		}
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t kn = eq ? (size_t)(eq - (s + i)) : end - i;
			struct mig_url_param prm = { NULL, NULL };
			if (kn == 0) {
				return fail(p, s + i, end - i,
					    "missing query parameter name in '%.*s'",
					    (int)(end - i), s + i);
			}
			if (decode(p, s + i, kn, "query parameter name", false, &prm.key) < 0) {
				return MIG_ERROR;
			}
			char *what = xasprintf("value of query parameter '%s'", prm.key);
			int rc = 0;
			if (eq) {
				rc = decode(p, eq + 1, end - (size_t)(eq + 1 - s), what,
					    is_secret_key(prm.key, strlen(prm.key)), &prm.value);
			} else {
				prm.value = xstrdup("");
			}
			free(what);
			if (rc < 0) {
				free(prm.key);
				return MIG_ERROR;
			}
			mig_vec_push(&url->params, prm);
		}
		i = end + 1;
	}
	return 0;
}

int mig_url_parse(struct mig_url **out, const char *text)
{
	struct parser p = { 0 };
	struct mig_url *url = NULL;
	char *copy = NULL;
	const char *rest = NULL;
	int rc = MIG_ERROR;

	*out = NULL;
	copy = xstrdup(text ? text : "");
	p.text = mig_strtrim(copy);
	if (!*p.text) {
		mig_error(MIG_ECLASS_USAGE, "database URL is empty");
		goto done;
	}
	{
		const char *sep = strstr(p.text, "://");
		const char *s = sep ? sep + 3 : p.text;
		p.nsecrets = secret_regions(s, strlen(s), p.secrets);
		for (size_t i = 0; i < p.nsecrets; i++) {
			p.secrets[i].start += (size_t)(s - p.text);
			p.secrets[i].end += (size_t)(s - p.text);
		}
	}
	url = xcalloc(1, sizeof(*url));
	if (parse_scheme(&p, url, &rest) < 0) {
		goto done;
	}

	size_t auth_len = strcspn(rest, "/?");
	const char *path = rest + auth_len;
	const char *q = strchr(path, '?');
	size_t path_len = q ? (size_t)(q - path) : strlen(path);

	if (mig_streq(url->dialect, "sqlite")) {
		if (auth_len > 0) {
			fail(&p, NULL, 0,
			     "sqlite URLs take no host, user or port (use "
			     "sqlite:///relative/path.db, sqlite:////absolute/path.db or "
			     "sqlite:///:memory:)");
			goto done;
		}
	} else {
		if (memchr(path, '@', path_len)) {
			fail(&p, NULL, 0,
			     "unexpected '@' after the host (percent-encode '/' in a password "
			     "as %%2F, '@' in a database name as %%40)");
			goto done;
		}
		if (parse_authority(&p, url, rest, auth_len) < 0) {
			goto done;
		}
	}
	if (path_len > 1 &&
	    decode(&p, path + 1, path_len - 1, "database name", false, &url->database) < 0) {
		goto done;
	}
	if (mig_streq(url->dialect, "sqlite") && !url->database) {
		url->database = xstrdup(":memory:");
	}
	if (q && parse_query(&p, url, q + 1, strlen(q + 1)) < 0) {
		goto done;
	}
	*out = url;
	url = NULL;
	rc = 0;
done:
	mig_url_free(url);
	free(copy);
	return rc;
}

void mig_url_free(struct mig_url *url)
{
	if (!url) {
		return;
	}
	free(url->dialect);
	free(url->driver);
	free(url->scheme);
	free(url->user);
	free(url->password);
	free(url->host);
	free(url->database);
	for (size_t i = 0; i < url->params.n; i++) {
		free(url->params.v[i].key);
		free(url->params.v[i].value);
	}
	mig_vec_free(&url->params);
	free(url);
}

const char *mig_url_param(const struct mig_url *url, const char *key)
{
	const char *found = NULL;
	for (size_t i = 0; i < url->params.n; i++) {
		if (strcmp(url->params.v[i].key, key) == 0) {
			found = url->params.v[i].value; /* the last one wins, as in libpq */
		}
	}
	return found;
}

bool mig_url_is_memory(const struct mig_url *url)
{
	return mig_streq(url->dialect, "sqlite") &&
	       (!url->database || !*url->database || strcmp(url->database, ":memory:") == 0);
}

/* ---- printing ---- */

/* Append s percent-encoded: letters, digits, "-._~" and the characters in safe
 * stay as they are. */
static void encode(struct mig_str *out, const char *s, const char *safe)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-._~", c) || (c && strchr(safe, c))) {
			mig_str_addch(out, (char)c);
		} else {
			mig_str_addf(out, "%%%02X", c);
		}
	}
}

char *mig_url_masked(const struct mig_url *url)
{
	struct mig_str s = MIG_STR_INIT;
	bool sqlite = mig_streq(url->dialect, "sqlite");

	mig_str_addf(&s, "%s://", url->scheme ? url->scheme : url->dialect);
	if (!sqlite) {
		if (url->user || url->password) {
			encode(&s, url->user ? url->user : "", "!$&'()*+,;=");
			mig_str_add(&s, url->password ? ":***@" : "@");
		}
		if (url->host && strchr(url->host, ':')) {
			mig_str_addch(&s, '[');
			encode(&s, url->host, ":");
			mig_str_addch(&s, ']');
		} else if (url->host) {
			encode(&s, url->host, "!$&'()*+,;=");
		}
		if (url->port > 0) {
			mig_str_addf(&s, ":%d", url->port);
		}
	}
	if (url->database && (!sqlite || !mig_url_is_memory(url))) {
		mig_str_addch(&s, '/');
		encode(&s, url->database, "!$&'()*+,;=:/");
	} else if (sqlite) {
		mig_str_add(&s, "/:memory:");
	}
	for (size_t i = 0; i < url->params.n; i++) {
		const struct mig_url_param *prm = &url->params.v[i];
		mig_str_addch(&s, i == 0 ? '?' : '&');
		encode(&s, prm->key, "!$'()*+,;:/@");
		mig_str_addch(&s, '=');
		if (is_secret_key(prm->key, strlen(prm->key))) {
			mig_str_add(&s, "***");
		} else {
			encode(&s, prm->value ? prm->value : "", "!$'()*+,;:/@=");
		}
	}
	return mig_str_detach(&s);
}
