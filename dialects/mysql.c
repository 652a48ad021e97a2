/* The MySQL and MariaDB dialect, on the libmysqlclient API (libmariadb or
 * MySQL's own): connection, statements, transactions, the GET_LOCK migration
 * lock, quoting and catalog look-ups. */
#include "mysql.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>

#define MY_DEFAULT_PORT 3306
/* GET_LOCK refuses longer names on MySQL 5.7 and later. */
#define MY_LOCK_NAME_MAX 64

struct my_dialect {
	struct mig_db base;
	MYSQL *conn;
};

static struct my_dialect *my_from_db(struct mig_db *db)
{
	assert(db->impl == &mig_mysql_impl);
	return (struct my_dialect *)db;
}

static int my_error(struct my_dialect *my, const char *sql)
{
	return mig_db_error(mysql_error(my->conn), sql, "mysql error (%u)", mysql_errno(my->conn));
}

/* Send one statement; *res gets its result set, NULL for a statement without
 * one. */
static int my_run(struct my_dialect *my, const char *sql, MYSQL_RES **res)
{
	*res = NULL;
	my->base.query_count++;
	if (mysql_real_query(my->conn, sql, strlen(sql)) != 0) {
		return my_error(my, sql);
	}
	*res = mysql_store_result(my->conn);
	if (!*res && mysql_field_count(my->conn) != 0) {
		return my_error(my, sql);
	}
	/* a CALL sends more results after the first; the connection takes no
	 * other statement until they are read */
	int more;
	while ((more = mysql_next_result(my->conn)) == 0) {
		mysql_free_result(mysql_store_result(my->conn));
	}
	if (more > 0) {
		mysql_free_result(*res);
		*res = NULL;
		return my_error(my, sql);
	}
	return 0;
}

/* Run a statement that returns one integer (or NULL: *is_null). */
static int my_query_int(struct my_dialect *my, const char *sql, long long *out, bool *is_null)
{
	MYSQL_RES *res;
	int rc = MIG_ERROR;
	if (my_run(my, sql, &res) < 0) {
		return MIG_ERROR;
	}
	MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
	if (!row || mysql_num_fields(res) < 1) {
		mig_db_error(NULL, sql, "mysql returned no row where one was expected");
		goto done;
	}
	*is_null = row[0] == NULL;
	*out = row[0] ? strtoll(row[0], NULL, 10) : 0;
	rc = 0;
done:
	mysql_free_result(res);
	return rc;
}

/* The URL query keys the MySQL dialect understands. */
static const char *const my_params[] = {
	"charset", "connect_timeout", "read_default_file", "read_default_group", "unix_socket",
	NULL,
};

static int my_check_params(const struct mig_url *url)
{
	if (mig_db_check_params(url, my_params) < 0) {
		return MIG_ERROR;
	}
	const char *t = mig_url_param(url, "connect_timeout");
	if (t) {
		char *end;
		errno = 0;
		long v = strtol(t, &end, 10);
		if (errno || end == t || *end || v < 0 || v > INT_MAX) {
			return mig_error(MIG_ECLASS_USAGE,
					 "invalid mysql URL parameter connect_timeout '%s': "
					 "expected seconds",
					 t);
		}
	}
	return 0;
}

static void my_close(struct mig_db *db)
{
	struct my_dialect *my = my_from_db(db);
	mysql_close(my->conn);
	free(my);
}

static int my_connect(struct mig_db **out, const struct mig_url *url)
{
	struct my_dialect *my = NULL;
	char *target = NULL;
	int rc = MIG_ERROR;

	if (my_check_params(url) < 0) {
		goto done;
	}
	my = xcalloc(1, sizeof(*my));
	my->base.impl = &mig_mysql_impl;
	my->conn = mysql_init(NULL);
	if (!my->conn) {
		mig_error(MIG_ECLASS_DB, "cannot initialise the mysql client library");
		goto done;
	}
	const char *charset = mig_url_param(url, "charset");
	if (!charset || !*charset) {
		charset = "utf8mb4";
	}
	const char *file = mig_url_param(url, "read_default_file");
	const char *group = mig_url_param(url, "read_default_group");
	const char *timeout = mig_url_param(url, "connect_timeout");
	mysql_options(my->conn, MYSQL_SET_CHARSET_NAME, charset);
	if (file && *file) {
		mysql_options(my->conn, MYSQL_READ_DEFAULT_FILE, file);
	}
	/* the [client] group of the usual option files (~/.my.cnf …) fills in what
	 * the URL leaves out, as for the mysql command */
	mysql_options(my->conn, MYSQL_READ_DEFAULT_GROUP, group && *group ? group : "client");
	if (timeout) {
		unsigned int secs = (unsigned int)strtoul(timeout, NULL, 10);
		mysql_options(my->conn, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
	}
	const char *sock = mig_url_param(url, "unix_socket");
	if (!mysql_real_connect(my->conn, url->host, url->user, url->password, url->database,
				url->port > 0 ? (unsigned int)url->port : 0,
				sock && *sock ? sock : NULL, 0)) {
		target = mig_db_describe_target(url, MY_DEFAULT_PORT);
		mig_db_error(mysql_error(my->conn), NULL, "cannot connect to mysql at %s", target);
		goto done;
	}
	/* an option file may name another default-character-set; the URL's wins */
	if (strcmp(mysql_character_set_name(my->conn), charset) != 0 &&
	    mysql_set_character_set(my->conn, charset) != 0) {
		target = mig_db_describe_target(url, MY_DEFAULT_PORT);
		mig_db_error(mysql_error(my->conn), NULL,
			     "cannot set character set '%s' on mysql at %s", charset, target);
		goto done;
	}
	*out = &my->base;
	my = NULL;
	rc = 0;
done:
	if (my) {
		mysql_close(my->conn);
		free(my);
	}
	free(target);
	return rc;
}

static int my_exec(struct mig_db *db, const char *sql)
{
	MYSQL_RES *res;
	int rc = my_run(my_from_db(db), sql, &res);
	mysql_free_result(res);
	return rc;
}

static int my_query(struct mig_db *db, const char *sql, struct mig_rows *out)
{
	MYSQL_RES *res;
	if (my_run(my_from_db(db), sql, &res) < 0) {
		return MIG_ERROR;
	}
	if (!res) {
		return 0;
	}
	size_t ncols = mysql_num_fields(res);
	size_t nrows = (size_t)mysql_num_rows(res);
	MYSQL_FIELD *fields = mysql_fetch_fields(res);
	out->ncols = ncols;
	out->colnames = mig_arena_alloc(&out->arena, (ncols ? ncols : 1) * sizeof(char *));
	out->cells = mig_arena_alloc(&out->arena, (nrows * ncols != 0 ? nrows * ncols : 1) *
							  sizeof(char *));
	for (size_t c = 0; c < ncols; c++) {
		out->colnames[c] = mig_arena_strdup(&out->arena, fields[c].name);
	}
	MYSQL_ROW row;
	size_t r = 0;
	while (r < nrows && (row = mysql_fetch_row(res)) != NULL) {
		unsigned long *lengths = mysql_fetch_lengths(res);
		for (size_t c = 0; c < ncols; c++) {
			if (row[c]) {
				out->cells[r * ncols + c] =
					mig_arena_strndup(&out->arena, row[c], lengths[c]);
			}
		}
		r++;
	}
	out->nrows = r;
	mysql_free_result(res);
	return 0;
}

static int my_begin(struct mig_db *db)
{
	return my_exec(db, "START TRANSACTION");
}

static int my_commit(struct mig_db *db)
{
	return my_exec(db, "COMMIT");
}

static int my_rollback(struct mig_db *db)
{
	return my_exec(db, "ROLLBACK");
}

static const char *my_server_version(struct mig_db *db)
{
	const char *v = mysql_get_server_info(my_from_db(db)->conn);
	return v ? v : "";
}

static void my_quote_literal(struct mig_str *out, const char *text);

/* GET_LOCK names are global to the server, while PostgreSQL's advisory locks
 * belong to one database: qualify the name with the database so the lock means
 * the same on both, and hash names GET_LOCK would find too long. */
static char *my_lock_name(struct my_dialect *my, const char *name)
{
	const char *dbname = my->base.url ? my->base.url->database : NULL;
	char *full = dbname && *dbname ? xasprintf("%s.%s", dbname, name) : xstrdup(name);
	if (strlen(full) > MY_LOCK_NAME_MAX) {
		uint64_t h = 14695981039346656037ull;
		for (const unsigned char *p = (const unsigned char *)full; *p; p++) {
			h ^= *p;
			h *= 1099511628211ull;
		}
		free(full);
		full = xasprintf("migrate:%016llx", (unsigned long long)h);
	}
	struct mig_str q = MIG_STR_INIT;
	my_quote_literal(&q, full);
	free(full);
	return mig_str_detach(&q);
}

static int my_lock(struct mig_db *db, const char *name, int timeout_s, void (*on_wait)(void *arg),
		   void *arg)
{
	struct my_dialect *my = my_from_db(db);
	char *lock = my_lock_name(my, name);
	char *sql = xasprintf("SELECT GET_LOCK(%s, 0)", lock);
	long long got = 0;
	bool is_null = false;
	int rc = MIG_ERROR;

	if (my_query_int(my, sql, &got, &is_null) < 0) {
		goto done;
	}
	if (!is_null && got == 0) {
		/* busy: say so, then let the server wait for the rest */
		if (on_wait) {
			on_wait(arg);
		}
		if (timeout_s != 0) {
			free(sql);
			sql = xasprintf("SELECT GET_LOCK(%s, %d)", lock,
					timeout_s < 0 ? -1 : timeout_s);
			if (my_query_int(my, sql, &got, &is_null) < 0) {
				goto done;
			}
		}
	}
	if (is_null) {
		mig_db_error(NULL, sql, "mysql could not take the migration lock '%s'", name);
		goto done;
	}
	if (got != 1) {
		rc = mig_db_lock_timed_out(name, timeout_s);
		goto done;
	}
	rc = 0;
done:
	free(sql);
	free(lock);
	return rc;
}

static int my_unlock(struct mig_db *db, const char *name)
{
	struct my_dialect *my = my_from_db(db);
	char *lock = my_lock_name(my, name);
	char *sql = xasprintf("SELECT RELEASE_LOCK(%s)", lock);
	long long released = 0;
	bool is_null = false;
	int rc = my_query_int(my, sql, &released, &is_null);
	if (rc == 0 && (is_null || released != 1)) {
		rc = mig_db_lock_not_held(name);
	}
	free(sql);
	free(lock);
	return rc;
}

static void my_quote_ident(struct mig_str *out, const char *ident)
{
	mig_db_quote_with(out, ident, '`');
}

/* Quotes are doubled, which every sql_mode reads the same way; a backslash is
 * doubled, which assumes NO_BACKSLASH_ESCAPES is off (the server default).
 * Newlines and other control characters stay as they are: a quoted string may
 * hold them, and escaping them would depend on the sql_mode too. */
static void my_quote_literal(struct mig_str *out, const char *text)
{
	mig_str_addch(out, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'' || *p == '\\') {
			mig_str_addch(out, *p);
		}
		mig_str_addch(out, *p);
	}
	mig_str_addch(out, '\'');
}

static int my_table_exists(struct mig_db *db, const char *schema, const char *table, bool *out)
{
	struct my_dialect *my = my_from_db(db);
	struct mig_str sql = MIG_STR_INIT;
	MYSQL_RES *res = NULL;
	int rc = MIG_ERROR;

	/* information_schema compares names without case: pick the exact name out
	 * of the rows unless the server folds table names (lower_case_table_names) */
	mig_str_add(&sql, "SELECT table_name, @@lower_case_table_names "
			  "FROM information_schema.tables WHERE table_schema = ");
	if (schema) {
		my_quote_literal(&sql, schema);
	} else {
		mig_str_add(&sql, "DATABASE()");
	}
	mig_str_add(&sql, " AND table_name = ");
	my_quote_literal(&sql, table);
	if (my_run(my, sql.buf, &res) < 0) {
		goto done;
	}
	MYSQL_ROW row;
	*out = false;
	while (res && (row = mysql_fetch_row(res)) != NULL) {
		bool folds = row[1] && strcmp(row[1], "0") != 0;
		if (row[0] && strcmp(row[0], table) == 0) {
			*out = true;
		} else if (row[0] && folds && mig_strieq(row[0], table)) {
			*out = true;
		}
	}
	rc = 0;
done:
	mysql_free_result(res);
	mig_str_release(&sql);
	return rc;
}

const struct mig_dialect_impl mig_mysql_impl = {
	.name = "mysql",
	.caps = 0, /* MySQL commits DDL implicitly; no schemas apart from databases */
	.connect = my_connect,
	.close = my_close,
	.exec = my_exec,
	.query = my_query,
	.begin = my_begin,
	.commit = my_commit,
	.rollback = my_rollback,
	.server_version = my_server_version,
	.lock = my_lock,
	.unlock = my_unlock,
	.table_exists = my_table_exists,
	.quote_ident = my_quote_ident,
	.quote_literal = my_quote_literal,
	.reflect = my_reflect,
	.render_op = my_render_op,
	.render_type = my_render_type,
};
