/* Connections through a dialect: the generic mig_db_* calls dispatch through
 * db->impl; plus the error and description helpers dialects share. */
#include "dialect.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers for dialects ---- */

int mig_db_error(const char *driver_msg, const char *sql, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	if (driver_msg && *driver_msg) {
		size_t n = strlen(driver_msg);
		while (n > 0 && (driver_msg[n - 1] == '\n' || driver_msg[n - 1] == '\r' ||
				 driver_msg[n - 1] == ' ' || driver_msg[n - 1] == '\t')) {
			n--;
		}
		mig_str_add(&s, ": ");
		/* libpq indents continuation lines with a tab; use the indent of ours */
		for (size_t i = 0; i < n; i++) {
			if (driver_msg[i] == '\t' && i > 0 && driver_msg[i - 1] == '\n') {
				mig_str_add(&s, "  ");
			} else {
				mig_str_addch(&s, driver_msg[i]);
			}
		}
	}
	if (sql) {
		mig_str_add(&s, "\n  statement: ");
		mig_str_add(&s, sql);
	}
	mig_error(MIG_ECLASS_DB, "%s", s.buf);
	mig_str_release(&s);
	return MIG_ERROR;
}

/* A socket path the URL asks for: a host that is a path (PostgreSQL socket
 * folder, also as ?host=), or MySQL's ?unix_socket=. */
static const char *socket_path(const struct mig_url *url)
{
	const char *h = url->host;
	if (h && h[0] == '/') {
		return h;
	}
	h = mig_url_param(url, "host");
	if (h && h[0] == '/') {
		return h;
	}
	h = mig_url_param(url, "unix_socket");
	if (h && *h) {
		return h;
	}
	return NULL;
}

char *mig_db_describe_target(const struct mig_url *url, int default_port)
{
	struct mig_str s = MIG_STR_INIT;
	const char *sock = socket_path(url);
	const char *host = url->host && *url->host ? url->host : mig_url_param(url, "host");
	int port = url->port > 0 ? url->port : default_port;
	bool pg = mig_streq(url->dialect, "postgresql");

	if (sock) {
		/* a PostgreSQL socket folder holds one socket per port */
		mig_str_addf(&s, "socket %s", sock);
		if (pg && port > 0) {
			mig_str_addf(&s, ":%d", port);
		}
	} else if (!host || !*host) {
		/* both libpq and libmysqlclient use their default socket then */
		mig_str_add(&s, "default socket");
		if (pg && port > 0) {
			mig_str_addf(&s, ":%d", port);
		}
	} else {
		if (strchr(host, ':')) {
			mig_str_addf(&s, "[%s]", host);
		} else {
			mig_str_add(&s, host);
		}
		if (port > 0) {
			mig_str_addf(&s, ":%d", port);
		}
	}
	if (url->database && *url->database) {
		mig_str_addf(&s, "/%s", url->database);
	}
	return mig_str_detach(&s);
}

int mig_db_check_params(const struct mig_url *url, const char *const *known)
{
	for (size_t i = 0; i < url->params.n; i++) {
		const char *key = url->params.v[i].key;
		bool ok = false;
		for (size_t k = 0; known[k] && !ok; k++) {
			ok = strcmp(known[k], key) == 0;
		}
		if (ok) {
			continue;
		}
		struct mig_str list = MIG_STR_INIT;
		for (size_t k = 0; known[k]; k++) {
			mig_str_addf(&list, "%s%s", k ? ", " : "", known[k]);
		}
		mig_error(MIG_ECLASS_USAGE, "unknown %s URL parameter '%s' (known: %s)",
			  url->dialect, key, list.buf);
		mig_str_release(&list);
		return MIG_ERROR;
	}
	return 0;
}

int mig_db_lock_timed_out(const char *name, int timeout_s)
{
	return mig_error_code(MIG_ELOCKED, MIG_ECLASS_DB,
			      "timed out after %d s waiting for the migration lock '%s'", timeout_s,
			      name);
}

int mig_db_lock_not_held(const char *name)
{
	return mig_error(MIG_ECLASS_DB, "cannot release the migration lock '%s': not held", name);
}

void mig_db_quote_with(struct mig_str *out, const char *name, char q)
{
	mig_str_addch(out, q);
	for (const char *p = name; *p; p++) {
		if (*p == q) {
			mig_str_addch(out, q);
		}
		mig_str_addch(out, *p);
	}
	mig_str_addch(out, q);
}

/* ---- result sets ---- */

void mig_rows_release(struct mig_rows *r)
{
	if (!r) {
		return;
	}
	mig_arena_release(&r->arena);
	r->nrows = r->ncols = 0;
	r->colnames = NULL;
	r->cells = NULL;
}

/* ---- connections ---- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A deep copy of a parsed URL, freed with mig_url_free. */
static struct mig_url *url_dup(const struct mig_url *u)
{
	struct mig_url *c = xcalloc(1, sizeof(*c));
	c->dialect = dup_or_null(u->dialect);
	c->driver = dup_or_null(u->driver);
	c->scheme = dup_or_null(u->scheme);
	c->user = dup_or_null(u->user);
	c->password = dup_or_null(u->password);
	c->host = dup_or_null(u->host);
	c->port = u->port;
	c->database = dup_or_null(u->database);
	for (size_t i = 0; i < u->params.n; i++) {
		struct mig_url_param p = { dup_or_null(u->params.v[i].key),
					   dup_or_null(u->params.v[i].value) };
		mig_vec_push(&c->params, p);
	}
	return c;
}

/* Replace the password wherever a driver message repeats it. Drivers do not
 * do that today; this keeps it so if one ever starts. Very short passwords are
 * left alone: they would mask unrelated words. */
static void mask_password_in_error(const char *password)
{
	if (!password || strlen(password) < 3 || !strstr(mig_error_last(), password)) {
		return;
	}
	enum mig_error_class klass = mig_error_class_last();
	struct mig_str s = MIG_STR_INIT;
	const char *p = mig_error_last();
	const char *hit;
	size_t plen = strlen(password);
	while ((hit = strstr(p, password)) != NULL) {
		mig_str_addn(&s, p, (size_t)(hit - p));
		mig_str_add(&s, "***");
		p = hit + plen;
	}
	mig_str_add(&s, p);
	mig_error(klass, "%s", s.buf);
	mig_str_release(&s);
}

/* Connect with a URL the new connection then owns (freed on failure too). */
static int open_owned(struct mig_db **out, struct mig_url *url)
{
	const struct mig_dialect_impl *impl;
	struct mig_db *db = NULL;
	int rc;

	*out = NULL;
	rc = mig_dialect_find(url->dialect, &impl);
	if (rc < 0) {
		goto done;
	}
	rc = impl->connect(&db, url);
	if (rc < 0) {
		mask_password_in_error(url->password);
		goto done;
	}
	db->impl = impl;
	db->url = url;
	url = NULL;
	*out = db;
done:
	mig_url_free(url);
	return rc < 0 ? rc : 0;
}

int mig_db_open(struct mig_db **out, const char *url_text)
{
	struct mig_url *url;
	*out = NULL;
	if (mig_url_parse(&url, url_text) < 0) {
		return MIG_ERROR;
	}
	return open_owned(out, url);
}

int mig_db_open_url(struct mig_db **out, const struct mig_url *url)
{
	return open_owned(out, url_dup(url));
}

void mig_db_close(struct mig_db *db)
{
	if (!db) {
		return;
	}
	struct mig_url *url = db->url;
	db->impl->close(db);
	mig_url_free(url);
}

const struct mig_dialect_impl *mig_db_dialect(const struct mig_db *db)
{
	return db->impl;
}

int mig_db_exec(struct mig_db *db, const char *sql)
{
	return db->impl->exec(db, sql);
}

int mig_db_execf(struct mig_db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = db->impl->exec(db, sql);
	free(sql);
	return rc;
}

int mig_db_query(struct mig_db *db, const char *sql, struct mig_rows *out)
{
	*out = (struct mig_rows)MIG_ROWS_INIT;
	int rc = db->impl->query(db, sql, out);
	if (rc < 0) {
		mig_rows_release(out);
	}
	return rc;
}

int mig_db_begin(struct mig_db *db)
{
	int rc = db->impl->begin(db);
	if (rc == 0) {
		db->in_transaction = true;
	}
	return rc;
}

int mig_db_commit(struct mig_db *db)
{
	/* a failed COMMIT ends the transaction as well */
	db->in_transaction = false;
	return db->impl->commit(db);
}

int mig_db_rollback(struct mig_db *db)
{
	db->in_transaction = false;
	return db->impl->rollback(db);
}

const char *mig_db_server_version(struct mig_db *db)
{
	const char *v = db->impl->server_version(db);
	return v ? v : "";
}

int mig_db_lock(struct mig_db *db, const char *name, int timeout_s, void (*on_wait)(void *arg),
		void *arg)
{
	return db->impl->lock(db, name, timeout_s, on_wait, arg);
}

int mig_db_unlock(struct mig_db *db, const char *name)
{
	return db->impl->unlock(db, name);
}

int mig_db_table_exists(struct mig_db *db, const char *schema, const char *table, bool *out)
{
	*out = false;
	if (schema && !*schema) {
		schema = NULL;
	}
	return db->impl->table_exists(db, schema, table, out);
}

char *mig_db_quote_ident(struct mig_db *db, const char *ident)
{
	struct mig_str s = MIG_STR_INIT;
	db->impl->quote_ident(&s, ident);
	return mig_str_detach(&s);
}

char *mig_db_quote_literal(struct mig_db *db, const char *text)
{
	struct mig_str s = MIG_STR_INIT;
	db->impl->quote_literal(&s, text);
	return mig_str_detach(&s);
}
