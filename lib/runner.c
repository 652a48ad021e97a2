/* The runner: upgrade, downgrade, stamp and ensure-version, on a database or
 * as a script. It handles ops and revisions only; the SQL comes from the
 * dialect (ops through mig_render_op, the version and history tables through
 * dialects/version.c). */
#include "dialect.h"
#include "dialects/version.h"
#include "migrate/runner.h"
#include "revision.h"
#include "sha1.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The name of the migration lock every upgrade, downgrade and stamp holds. */
#define MIG_LOCK_NAME "migrate"

/* One step of the plan with its revision file, read before anything runs. */
struct item {
	struct mig_revision_file *file;
	char checksum[41];
};

/* Where a queued statement comes from: the step and op of the plan, or
 * NO_STEP for the version and history tables. */
#define NO_STEP ((size_t)-1)
struct queued {
	size_t step;
	size_t op;
};

/* A step's progress event that waits for the statements queued before it. */
struct mark {
	size_t pos; /* how many statements were queued before it */
	size_t step;
	bool end; /* MIG_RUN_STEP_END, else MIG_RUN_STEP_BEGIN */
};

struct run {
	struct mig_db *db; /* NULL: writing a script */
	const struct mig_dialect_impl *impl;
	const struct mig_revgraph *g;
	const struct mig_config *cfg;
	const struct mig_run_opts *opts;
	const char *vt_schema;
	const char *vt;
	bool tx_ddl;  /* the dialect's DDL is transactional */
	bool per_rev; /* transaction_per_migration */
	bool in_tx;
	/* a transaction was committed before the end of the run: what another
	 * run did in between must be read again at the next begin (SQLite holds
	 * its lock only while in a transaction) */
	bool recheck;
	bool ran; /* statements of a step or a stamp were sent */
	bool have_version, have_history;
	char *applied_by;

	struct mig_strlist rows;    /* the version rows as read */
	/* Inside a transaction, the version rows and history rows of the steps
	 * are written once, before the commit: nobody sees them earlier, and one
	 * UPDATE of the same row per step would cost PostgreSQL a longer chain
	 * of row versions each time. flushed is what the table holds. */
	struct mig_revlist flushed;
	MIG_VEC(struct mig_history_row) pending;
	struct mig_arena pending_arena;
	struct mig_revlist current; /* the version rows as revisions, kept up to date */
	struct mig_plan plan;
	struct item *items; /* plan.steps.n of them */
	struct mig_revlist final; /* upgrade: the rows the plan ends at (for a new plan) */

	/* the schema ops are rendered against */
	struct mig_schema *schema;
	bool stale; /* unknown since an sql op or an op that did not apply: reflect again */
	/* Where enums are written inline (no MIG_CAP_NATIVE_ENUMS), the database
	 * does not know their names: the named enums the revisions declare, kept
	 * beside reflection and added to each reflected schema. NULL when the
	 * plan does not need them. */
	struct mig_schema *declared;
	struct mig_reflect_opts ropts;

	/* Inside a transaction on a dialect with exec_batch, statements wait in
	 * queue and go to the database together (flush) when the runner needs
	 * its answer: before a reflection, a foreign key check, an sql op or the
	 * commit. queued says where each comes from, for the error; marks are
	 * the progress events of the steps, fired as the statements queued
	 * before them succeed. */
	struct mig_strlist queue;
	MIG_VEC(struct queued) queued;
	MIG_VEC(struct mark) marks;
	size_t marks_fired;
	size_t cur_step, cur_op; /* where the statements being queued come from */
	long step_t0;            /* when the step being reported began (us) */
	/* a flush failed and its error already names the step and the op */
	bool reported;
};

static int load_declared(struct run *r);
static int reflect(struct run *r);
static void step_begin(struct run *r, size_t i);
static void step_end(struct run *r, size_t i, long ms);
static void step_failed(struct run *r, size_t i, size_t op);

/* ---- small helpers ---- */

static long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void progress(struct run *r, enum mig_run_event ev, const struct mig_step *step, long ms,
		     const char *text)
{
	const struct mig_run_callbacks *cb = r->opts->cb;
	if (cb && cb->progress && r->db) {
		cb->progress(cb->arg, ev, step, ms, text);
	}
}

static void on_lock_wait(void *arg)
{
	struct run *r = arg;
	char *text;
	if (r->cfg->lock_timeout < 0) {
		text = xstrdup("waiting for the migration lock held by another process");
	} else {
		text = xasprintf("waiting for the migration lock held by another process "
				 "(up to %d s)",
				 r->cfg->lock_timeout);
	}
	progress(r, MIG_RUN_LOCK_WAIT, NULL, 0, text);
	free(text);
}

/* "user@host" of the process. */
static char *default_applied_by(void)
{
	const char *user = getenv("USER");
	char host[256] = "";
	if (!user || !*user) {
		struct passwd *pw = getpwuid(geteuid());
		user = pw ? pw->pw_name : "unknown";
	}
	if (gethostname(host, sizeof(host) - 1) != 0 || !*host) {
		strcpy(host, "localhost");
	}
	return xasprintf("%s@%s", user, host);
}

static void utc_now_text(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void join_revs(struct mig_str *out, const struct mig_revlist *l)
{
	if (!l->n) {
		mig_str_add(out, "<base>");
	}
	for (size_t i = 0; i < l->n; i++) {
		mig_str_addf(out, "%s%s", i ? ", " : "", l->v[i]->id);
	}
}

static void join_parents(struct mig_str *out, const struct mig_revision *rev)
{
	if (!rev->ndown) {
		mig_str_add(out, "<base>");
	}
	for (size_t i = 0; i < rev->ndown; i++) {
		mig_str_addf(out, "%s%s", i ? ", " : "", rev->down_revisions[i]);
	}
}

static void revlist_remove(struct mig_revlist *l, const struct mig_revision *r)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i] == r) {
			memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(l->v[0]));
			l->n--;
			return;
		}
	}
}

static void revlist_copy(struct mig_revlist *out, const struct mig_revlist *in)
{
	out->n = 0;
	for (size_t i = 0; i < in->n; i++) {
		mig_vec_push(out, in->v[i]);
	}
}

/* ---- public helpers ---- */

/* The git blob id of data into hex: the SHA-1 of "blob <length>\0" and
 * the data. */
static void blob_id(const char *data, size_t len, char *hex)
{
	struct mig_sha1 c;
	unsigned char id[20];
	char head[32];
	int n = snprintf(head, sizeof(head), "blob %zu", len);
	mig_sha1_init(&c);
	mig_sha1_update(&c, head, (size_t)n + 1);
	mig_sha1_update(&c, data, len);
	mig_sha1_final(&c, id);
	for (size_t i = 0; i < sizeof(id); i++) {
		hex[2 * i] = "0123456789abcdef"[id[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[id[i] & 15];
	}
	hex[40] = '\0';
}

int mig_run_checksum_data(const char *data, size_t len, char *hex)
{
	blob_id(data, len, hex);
	return 0;
}

int mig_run_checksum(const char *path, char *hex)
{
	char *data;
	size_t len;
	if (mig_file_read(path, &data, &len) < 0) {
		return MIG_ERROR;
	}
	int rc = mig_run_checksum_data(data, len, hex);
	free(data);
	return rc;
}

void mig_run_describe_step(struct mig_str *out, const struct mig_step *step)
{
	const struct mig_revision *rev = step->rev;
	if (step->upgrade) {
		mig_str_add(out, "Running upgrade ");
		join_parents(out, rev);
		mig_str_addf(out, " -> %s", rev->id);
	} else {
		mig_str_addf(out, "Running downgrade %s -> ", rev->id);
		join_parents(out, rev);
	}
	size_t n = strcspn(rev->message, "\n");
	if (n) {
		mig_str_add(out, ", ");
		mig_str_addn(out, rev->message, n);
	}
}

static const char *vt_name(const struct mig_config *cfg)
{
	return cfg->version_table && *cfg->version_table ? cfg->version_table : "migrate_version";
}

static const char *vt_schema(const struct mig_config *cfg)
{
	return cfg->version_table_schema && *cfg->version_table_schema
		       ? cfg->version_table_schema
		       : NULL;
}

int mig_run_read_versions(struct mig_db *db, const struct mig_config *cfg,
			  struct mig_strlist *out, bool *exists)
{
	struct mig_rows rows = MIG_ROWS_INIT;
	struct mig_str sql = MIG_STR_INIT;
	bool have = false;
	int rc = mig_db_table_exists(db, vt_schema(cfg), vt_name(cfg), &have);
	if (exists) {
		*exists = have;
	}
	if (rc < 0 || !have) {
		goto done;
	}
	mig_version_select_sql(mig_db_dialect(db), vt_schema(cfg), vt_name(cfg), &sql);
	rc = mig_db_query(db, sql.buf, &rows);
	if (rc < 0) {
		goto done;
	}
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *v = mig_rows_get(&rows, i, 0);
		if (v) {
			mig_strlist_push(out, v);
		}
	}
done:
	mig_rows_release(&rows);
	mig_str_release(&sql);
	return rc;
}

/* ---- statements: run them, or write them to the script ---- */

static void script_add(struct run *r, const char *text)
{
	struct mig_str *s = r->opts->script;
	if (mig_str_len(s)) {
		mig_str_addch(s, '\n');
	}
	mig_str_add(s, text);
	mig_str_addch(s, '\n');
}

static void fire_marks(struct run *r, size_t n);

static bool batching(const struct run *r)
{
	return r->db && r->in_tx && r->impl->exec_batch;
}

static int stmt(struct run *r, const char *sql)
{
	if (!r->db) {
		/* an sql op may end in its own ';' */
		size_t n = strlen(sql);
		while (n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' ||
			     sql[n - 1] == '\t' || sql[n - 1] == '\r')) {
			n--;
		}
		struct mig_str s = MIG_STR_INIT;
		mig_str_addn(&s, sql, n);
		mig_str_addch(&s, ';');
		script_add(r, s.buf);
		mig_str_release(&s);
		return 0;
	}
	if (batching(r)) {
		struct queued q = { r->cur_step, r->cur_op };
		mig_strlist_push(&r->queue, sql);
		mig_vec_push(&r->queued, q);
		return 0;
	}
	return mig_db_exec(r->db, sql);
}

/* A step's progress event: queued behind the statements that have to
 * succeed first, or fired now when none has to (a step's beginning waits
 * for the flush even then, so that its duration is the database's time). */
static void mark(struct run *r, size_t step, bool end)
{
	if (batching(r) && (r->queue.n || !end)) {
		struct mark m = { r->queue.n, step, end };
		mig_vec_push(&r->marks, m);
		return;
	}
	fire_marks(r, 0);
	if (end) {
		step_end(r, step, -1);
	} else {
		step_begin(r, step);
	}
}

/* Fire the marks that wait for no more than the first n queued statements. */
static void fire_marks(struct run *r, size_t n)
{
	while (r->marks_fired < r->marks.n && r->marks.v[r->marks_fired].pos <= n) {
		const struct mark *m = &r->marks.v[r->marks_fired++];
		if (m->end) {
			step_end(r, m->step, -1);
		} else {
			step_begin(r, m->step);
		}
	}
}

static void on_batch_done(void *arg, size_t i)
{
	fire_marks(arg, i + 1);
}

static void queue_clear(struct run *r)
{
	mig_strlist_release(&r->queue);
	r->queued.n = 0;
	r->marks.n = 0;
	r->marks_fired = 0;
}

/* Send the queued statements, firing the progress events as they succeed.
 * The error of a statement that fails names its step and op (the step is
 * reported failed); r->reported then tells the callers not to add to it. */
static int flush(struct run *r)
{
	struct mark next = { 0 };
	bool carry = false;
	size_t done = 0;
	int rc = 0;
	/* the step being rendered, none of whose statements is queued yet,
	 * begins with the next flush */
	if (r->marks.n > r->marks_fired && !r->marks.v[r->marks.n - 1].end &&
	    r->marks.v[r->marks.n - 1].pos == r->queue.n) {
		next = r->marks.v[--r->marks.n];
		carry = true;
	}
	fire_marks(r, 0);
	if (r->queue.n) {
		rc = r->impl->exec_batch(r->db, &r->queue, &done, on_batch_done, r);
	}
	fire_marks(r, done);
	if (rc < 0) {
		if (done < r->queued.n && r->queued.v[done].step != NO_STEP) {
			step_failed(r, r->queued.v[done].step, r->queued.v[done].op);
		}
		r->reported = true;
	}
	queue_clear(r);
	if (rc == 0 && carry) {
		next.pos = 0;
		mig_vec_push(&r->marks, next);
	}
	return rc;
}

static int tx_begin(struct run *r)
{
	if (!r->tx_ddl || r->in_tx) {
		return 0;
	}
	if (!r->db) {
		const char *before = mig_script_before_begin_sql(r->impl);
		int rc = before ? stmt(r, before) : 0;
		r->in_tx = true;
		return rc == 0 ? stmt(r, mig_script_begin_sql(r->impl)) : rc;
	}
	int rc = mig_db_begin(r->db);
	if (rc == 0) {
		r->in_tx = true;
	}
	return rc;
}

static int flush_pending(struct run *r);

static int tx_commit(struct run *r)
{
	if (!r->in_tx) {
		return 0;
	}
	if (r->db) {
		int rc = flush_pending(r);
		if (rc < 0) {
			return rc;
		}
	}
	r->in_tx = false;
	if (!r->db) {
		const char *after = mig_script_after_commit_sql(r->impl);
		int rc = stmt(r, mig_script_commit_sql(r->impl));
		return rc == 0 && after ? stmt(r, after) : rc;
	}
	return mig_db_commit(r->db);
}

/* ---- the version and history tables ---- */

static int create_table(struct run *r, struct mig_oplist *ops)
{
	struct mig_strlist sql = MIG_STRLIST_INIT;
	const struct mig_op *op = &ops->ops.v[ops->ops.n - 1];
	int rc = mig_render_op(r->impl, NULL, r->db == NULL, op, &sql);
	if (rc == 0 && r->db) {
		char *text = xasprintf("Creating table %s", op->table);
		progress(r, MIG_RUN_INFO, NULL, 0, text);
		free(text);
	}
	for (size_t i = 0; rc == 0 && i < sql.n; i++) {
		rc = stmt(r, sql.v[i]);
	}
	mig_strlist_release(&sql);
	return rc;
}

/* Whether the version table and migrate_history exist (a script assumes
 * that they do unless it starts from base). */
static int find_tables(struct run *r)
{
	int rc = mig_db_table_exists(r->db, r->vt_schema, r->vt, &r->have_version);
	if (rc == 0) {
		rc = mig_db_table_exists(r->db, r->vt_schema, MIG_HISTORY_TABLE, &r->have_history);
	}
	return rc;
}

/* Create the version table and migrate_history where they are missing. */
static int ensure_tables(struct run *r, bool version, bool history)
{
	struct mig_oplist ops;
	int rc = 0;

	mig_oplist_init(&ops);
	if (version && !r->have_version) {
		mig_version_table_op(r->vt_schema, r->vt, &ops);
		rc = create_table(r, &ops);
		r->have_version = rc == 0;
	}
	if (rc == 0 && history && !r->have_history) {
		mig_history_table_op(r->vt_schema, &ops);
		rc = create_table(r, &ops);
		r->have_history = rc == 0;
	}
	mig_oplist_release(&ops);
	return rc;
}

/* Read the version rows into r->rows and r->current. With lenient, rows that
 * name no revision are kept out of current instead of failing (stamp --purge). */
static int read_rows(struct run *r, bool lenient)
{
	struct mig_str sql = MIG_STR_INIT;
	struct mig_rows rows = MIG_ROWS_INIT;
	int rc = 0;
	mig_strlist_release(&r->rows);
	r->current.n = 0;
	if (r->have_version) {
		mig_version_select_sql(r->impl, r->vt_schema, r->vt, &sql);
		rc = mig_db_query(r->db, sql.buf, &rows);
		for (size_t i = 0; rc == 0 && i < rows.nrows; i++) {
			if (mig_rows_get(&rows, i, 0)) {
				mig_strlist_push(&r->rows, mig_rows_get(&rows, i, 0));
			}
		}
		mig_rows_release(&rows);
		mig_str_release(&sql);
	}
	if (rc < 0) {
		return rc;
	}
	if (!lenient) {
		rc = mig_revgraph_current(r->g, &r->rows, &r->current);
		revlist_copy(&r->flushed, &r->current);
		return rc;
	}
	for (size_t i = 0; i < r->rows.n; i++) {
		const struct mig_revision *rev = mig_revgraph_get(r->g, r->rows.v[i]);
		if (rev && !mig_revlist_has(&r->current, rev)) {
			mig_vec_push(&r->current, rev);
		}
	}
	return 0;
}

/* The statements that change the version rows as a step says: an UPDATE per
 * row replaced, then one DELETE and one INSERT for the rest. */
static void version_sql(struct run *r, const struct mig_revlist *del, const struct mig_revlist *ins,
			struct mig_strlist *out)
{
	struct mig_str s = MIG_STR_INIT;
	size_t pairs = del->n < ins->n ? del->n : ins->n;
	const char **ids = xcalloc(del->n + ins->n + 1, sizeof(*ids));
	for (size_t i = 0; i < pairs; i++) {
		mig_version_update_sql(r->impl, r->vt_schema, r->vt, del->v[i]->id, ins->v[i]->id,
				       &s);
		mig_strlist_push_owned(out, mig_str_detach(&s));
	}
	if (del->n > pairs) {
		for (size_t i = pairs; i < del->n; i++) {
			ids[i - pairs] = del->v[i]->id;
		}
		mig_version_delete_sql(r->impl, r->vt_schema, r->vt, ids, del->n - pairs, &s);
		mig_strlist_push_owned(out, mig_str_detach(&s));
	}
	if (ins->n > pairs) {
		for (size_t i = pairs; i < ins->n; i++) {
			ids[i - pairs] = ins->v[i]->id;
		}
		mig_version_insert_sql(r->impl, r->vt_schema, r->vt, ids, ins->n - pairs, &s);
		mig_strlist_push_owned(out, mig_str_detach(&s));
	}
	free(ids);
	mig_str_release(&s);
}

/* A history row of this run: on a database, the client's time and user; in
 * a script, the server's clock and session user when it runs. */
static void history_row(struct run *r, struct mig_history_row *h, char *at, size_t atn,
			const char *rev, const char *direction, const char *checksum,
			long duration_ms, long ops_done)
{
	memset(h, 0, sizeof(*h));
	h->revision = rev;
	h->direction = direction;
	h->checksum = checksum && *checksum ? checksum : NULL;
	if (r->db) {
		utc_now_text(at, atn);
		h->applied_at = at;
		h->applied_by = r->applied_by;
		h->duration_ms = duration_ms;
	} else {
		h->applied_at = NULL;
		h->applied_by = r->opts->applied_by;
		h->duration_ms = -1;
	}
	h->ops_done = ops_done;
}

static int history_insert(struct run *r, const struct mig_history_row *rows, size_t n)
{
	struct mig_str s = MIG_STR_INIT;
	mig_history_insert_sql(r->impl, r->vt_schema, rows, n, &s);
	int rc = stmt(r, s.buf);
	mig_str_release(&s);
	return rc;
}

/* Write the version rows (as r->current says) and the history rows that the
 * steps of the transaction left pending. */
static int flush_pending(struct run *r)
{
	struct mig_revlist del = MIG_REVLIST_INIT, ins = MIG_REVLIST_INIT;
	struct mig_strlist sql = MIG_STRLIST_INIT;
	/* the steps' own statements first: their history rows wait for them */
	int rc = batching(r) ? flush(r) : 0;
	if (rc < 0) {
		return rc;
	}
	for (size_t i = 0; i < r->flushed.n; i++) {
		if (!mig_revlist_has(&r->current, r->flushed.v[i])) {
			mig_vec_push(&del, r->flushed.v[i]);
		}
	}
	for (size_t i = 0; i < r->current.n; i++) {
		if (!mig_revlist_has(&r->flushed, r->current.v[i])) {
			mig_vec_push(&ins, r->current.v[i]);
		}
	}
	version_sql(r, &del, &ins, &sql);
	for (size_t i = 0; rc == 0 && i < sql.n; i++) {
		rc = stmt(r, sql.v[i]);
	}
	/* in statements of a bounded size */
	for (size_t i = 0; rc == 0 && i < r->pending.n; i += 200) {
		size_t n = r->pending.n - i < 200 ? r->pending.n - i : 200;
		rc = history_insert(r, &r->pending.v[i], n);
	}
	if (rc == 0 && batching(r)) {
		rc = flush(r);
	}
	if (rc < 0) {
		mig_error_prefix("cannot record the run in the version table");
	} else {
		revlist_copy(&r->flushed, &r->current);
		r->pending.n = 0;
		mig_arena_release(&r->pending_arena);
	}
	mig_strlist_release(&sql);
	mig_revlist_release(&del);
	mig_revlist_release(&ins);
	return rc;
}

/* ---- planning ---- */

/* The plan of an upgrade from current to exactly the rows final (each step
 * after its down revisions; a parent row gives way to its child). */
static void plan_upgrade_to(const struct mig_revgraph *g, const struct mig_revlist *current,
			    const struct mig_revlist *final, struct mig_plan *out)
{
	struct mig_revlist revs = MIG_REVLIST_INIT;
	mig_revgraph_upgrade_revs(g, current, final, &revs);
	revlist_copy(&out->heads, current);
	for (size_t i = 0; i < revs.n; i++) {
		const struct mig_revision *rev = revs.v[i];
		struct mig_step st = { rev, true, MIG_REVLIST_INIT, MIG_REVLIST_INIT };
		for (size_t k = 0; k < rev->ndown; k++) {
			if (mig_revlist_has(&out->heads, rev->parents[k])) {
				mig_vec_push(&st.del, rev->parents[k]);
				revlist_remove(&out->heads, rev->parents[k]);
			}
		}
		mig_vec_push(&st.ins, rev);
		mig_vec_push(&out->heads, rev);
		mig_vec_push(&out->steps, st);
	}
	mig_revlist_release(&revs);
}

static void items_release(struct run *r)
{
	for (size_t i = 0; r->items && i < r->plan.steps.n; i++) {
		mig_revision_file_free(r->items[i].file);
	}
	free(r->items);
	r->items = NULL;
}

/* A file's content into buf, without setting the error. */
static bool read_quiet(const char *path, struct mig_str *buf)
{
	char chunk[16384];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return false;
	}
	mig_str_reset(buf);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno != EINTR) {
			close(fd);
			return false;
		}
		if (n > 0) {
			mig_str_addn(buf, chunk, (size_t)n);
		}
	}
	close(fd);
	return true;
}

/* One share of the plan's files, read and parsed on a thread of its own.
 * Nothing here sets the error, which is not per thread: a share that meets a
 * problem stops, and the files are then read again in one pass, which
 * reports it. */
struct load_job {
	struct run *r;
	size_t from, to;
	bool failed;
};

static void load_range(struct load_job *j)
{
	struct mig_str buf = MIG_STR_INIT;
	struct mig_diags dg = MIG_DIAGS_INIT;
	for (size_t i = j->from; i < j->to && !j->failed; i++) {
		const struct mig_revision *rev = j->r->plan.steps.v[i].rev;
		struct item *it = &j->r->items[i];
		/* the bytes the graph was read from, else the file again */
		const char *text = rev->text;
		size_t len = rev->text_len;
		if (!text) {
			j->failed = !read_quiet(rev->path, &buf);
			text = buf.buf;
			len = buf.len;
		}
		if (!j->failed) {
			blob_id(text, len, it->checksum);
			j->failed = mig_revision_parse_full_into(rev->path, text, len, &dg,
								 &it->file) < 0;
		}
	}
	mig_diags_release(&dg);
	mig_str_release(&buf);
}

static void *load_thread(void *arg)
{
	load_range(arg);
	mig_error_clear(); /* the thread's own error (none is set) dies with it */
	return NULL;
}

/* Files per thread below which a second thread costs more than it saves. */
#define LOAD_THREAD_MIN 128

/* The plan's files being read on threads of their own (started[t]). */
struct loader {
	struct load_job jobs[2];
	pthread_t th[2];
	bool started[2];
};

/* Start reading the plan's files on two threads when there are many, so
 * that the caller can do something else meanwhile; load_finish waits for
 * them (or reads the files itself). */
static void load_start(struct run *r, struct loader *l)
{
	size_t n = r->plan.steps.n;
	memset(l, 0, sizeof(*l));
	r->items = xcalloc(n + 1, sizeof(*r->items));
	if (n < 2 * LOAD_THREAD_MIN || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		return;
	}
	for (size_t t = 0; t < 2; t++) {
		struct load_job j = { r, n * t / 2, n * (t + 1) / 2, false };
		l->jobs[t] = j;
		l->started[t] = pthread_create(&l->th[t], NULL, load_thread, &l->jobs[t]) == 0;
	}
}

/* Every file of the plan read, so that a broken file stops the run before
 * anything runs. A file the threads could not read or parse is read again
 * here, in plan order, so that the error is the one of the first such file. */
static int load_finish(struct run *r, struct loader *l)
{
	size_t n = r->plan.steps.n;
	bool threaded = false, failed = false;
	for (size_t t = 0; t < 2; t++) {
		if (l->started[t]) {
			pthread_join(l->th[t], NULL);
			threaded = true;
		} else if (l->jobs[t].r) {
			load_range(&l->jobs[t]);
			threaded = true;
		}
		failed = failed || l->jobs[t].failed;
	}
	if (threaded && !failed) {
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct mig_revision *rev = r->plan.steps.v[i].rev;
		char *data = NULL;
		size_t len;
		mig_revision_file_free(r->items[i].file);
		r->items[i].file = NULL;
		if (mig_file_read(rev->path, &data, &len) < 0) {
			return MIG_ERROR;
		}
		int rc = mig_run_checksum_data(data, len, r->items[i].checksum);
		if (rc == 0) {
			rc = mig_revision_parse_full(rev->path, data, len, &r->items[i].file);
		}
		free(data);
		if (rc < 0) {
			return MIG_ERROR;
		}
	}
	return 0;
}

static int load_items(struct run *r)
{
	struct loader l;
	load_start(r, &l);
	return load_finish(r, &l);
}

static int make_plan(struct run *r)
{
	int rc;
	const char *target = r->opts->ntargets ? r->opts->targets[0] : NULL;
	mig_plan_release(&r->plan);
	r->plan = (struct mig_plan)MIG_PLAN_INIT;
	if (r->opts->mode == MIG_RUN_UPGRADE) {
		rc = mig_revgraph_plan_upgrade(r->g, &r->current, target, &r->plan);
		if (rc == 0) {
			revlist_copy(&r->final, &r->plan.heads);
		}
	} else {
		rc = mig_revgraph_plan_downgrade(r->g, &r->current, target, &r->plan);
	}
	return rc;
}

/* After a commit in the middle of the run, read the version rows again when
 * the next transaction begins: with a lock that lasts only as long as a
 * transaction (SQLite), another run may have gone on in between. What is
 * left to do is planned again from what the table says. */
static int recheck(struct run *r, size_t *next)
{
	struct mig_revlist expected = MIG_REVLIST_INIT;
	int rc;
	r->recheck = false;
	revlist_copy(&expected, &r->current);
	rc = read_rows(r, false);
	if (rc < 0 || mig_revlist_same_set(&expected, &r->current)) {
		goto done;
	}
	if (r->opts->mode != MIG_RUN_UPGRADE) {
		struct mig_str s = MIG_STR_INIT;
		join_revs(&s, &r->current);
		rc = mig_error(MIG_ECLASS_DB,
			       "the version table changed while this downgrade was between two "
			       "transactions (it now names %s); run the downgrade again",
			       s.buf);
		mig_str_release(&s);
		goto done;
	}
	items_release(r);
	mig_plan_release(&r->plan);
	r->plan = (struct mig_plan)MIG_PLAN_INIT;
	plan_upgrade_to(r->g, &r->current, &r->final, &r->plan);
	rc = load_items(r);
	if (rc == 0) {
		rc = load_declared(r);
	}
	*next = 0;
	/* the schema changed under us too */
	r->stale = true;
done:
	mig_revlist_release(&expected);
	return rc;
}

/* ---- rendering and running ops ---- */

/* "create_index ix_users_email on users (path:line:column)", for lists of
 * ops. */
static void describe_op(struct mig_str *out, const struct mig_op *op, bool pos)
{
	const char *kind = mig_op_kind_name(op->kind);
	mig_str_add(out, kind);
	const char *table = op->table;
	struct mig_str q = MIG_STR_INIT;
	if (table) {
		if (op->schema) {
			mig_str_addf(&q, "%s.", op->schema);
		}
		mig_str_add(&q, table);
	}
	switch (op->kind) {
	case MIG_OP_CREATE_TABLE:
	case MIG_OP_DROP_TABLE:
	case MIG_OP_CREATE_TABLE_COMMENT:
	case MIG_OP_DROP_TABLE_COMMENT:
		mig_str_addf(out, " %s", q.buf);
		break;
	case MIG_OP_RENAME_TABLE:
		mig_str_addf(out, " %s to %s", q.buf, op->new_name ? op->new_name : "?");
		break;
	case MIG_OP_ADD_COLUMN:
		mig_str_addf(out, " %s.%s", q.buf,
			     op->column_def ? op->column_def->name
					    : (op->column ? op->column : "?"));
		break;
	case MIG_OP_DROP_COLUMN:
	case MIG_OP_ALTER_COLUMN:
		mig_str_addf(out, " %s.%s", q.buf, op->column ? op->column : "?");
		break;
	case MIG_OP_CREATE_INDEX:
	case MIG_OP_DROP_INDEX:
	case MIG_OP_CREATE_PRIMARY_KEY:
	case MIG_OP_CREATE_UNIQUE_CONSTRAINT:
	case MIG_OP_CREATE_CHECK_CONSTRAINT:
	case MIG_OP_CREATE_FOREIGN_KEY:
	case MIG_OP_DROP_CONSTRAINT:
		if (op->name) {
			mig_str_addf(out, " %s", op->name);
		}
		mig_str_addf(out, " on %s", q.buf);
		break;
	case MIG_OP_CREATE_ENUM:
	case MIG_OP_DROP_ENUM:
		mig_str_addf(out, " %s", op->name ? op->name : "?");
		break;
	case MIG_OP_ADD_ENUM_VALUE:
		mig_str_addf(out, " %s '%s'", op->name ? op->name : "?",
			     op->value ? op->value : "?");
		break;
	case MIG_OP_BULK_INSERT:
		mig_str_addf(out, " %s (%zu row%s)", q.buf, op->rows.n, op->rows.n == 1 ? "" : "s");
		break;
	case MIG_OP_SQL:
		break;
	}
	mig_str_release(&q);
	if (pos && op->pos.file) {
		mig_str_addf(out, " (%s:%u:%u)", op->pos.file, op->pos.line, op->pos.column);
	}
}

static bool is_enum_op(const struct mig_op *op)
{
	return op->kind == MIG_OP_CREATE_ENUM || op->kind == MIG_OP_DROP_ENUM ||
	       op->kind == MIG_OP_ADD_ENUM_VALUE;
}

/* A type that may name an enum (any type that is not a generic one). */
static bool maybe_enum(const struct mig_type *t)
{
	return t->kind == MIG_TYPE_ENUM || (t->kind == MIG_TYPE_OTHER && t->raw);
}

static bool op_uses_enums(const struct mig_op *op)
{
	if (is_enum_op(op)) {
		return true;
	}
	if (op->table_def) {
		for (size_t i = 0; i < op->table_def->columns.n; i++) {
			if (maybe_enum(&op->table_def->columns.v[i].type)) {
				return true;
			}
		}
	}
	return (op->column_def && maybe_enum(&op->column_def->type)) ||
	       (op->kind == MIG_OP_ALTER_COLUMN && maybe_enum(&op->alter.type));
}

/* Read the named enums of the applied revisions (r->current) when the
 * dialect writes enums inline and an op of the plan may need them. */
static int load_declared(struct run *r)
{
	struct mig_revlist none = MIG_REVLIST_INIT, revs = MIG_REVLIST_INIT;
	bool needed = false;
	int rc = 0;
	if (!r->db || (r->impl->caps & MIG_CAP_NATIVE_ENUMS)) {
		return 0;
	}
	for (size_t i = 0; i < r->plan.steps.n && !needed; i++) {
		const struct mig_revision_file *f = r->items[i].file;
		const struct mig_oplist *ops = r->plan.steps.v[i].upgrade ? &f->upgrade
									   : &f->downgrade;
		for (size_t k = 0; k < ops->ops.n && !needed; k++) {
			needed = op_uses_enums(&ops->ops.v[k]);
		}
	}
	if (!needed) {
		return 0;
	}
	mig_schema_free(r->declared);
	r->declared = mig_schema_new();
	mig_revgraph_upgrade_revs(r->g, &none, &r->current, &revs);
	for (size_t i = 0; i < revs.n && rc == 0; i++) {
		struct mig_revision_file *f = NULL;
		rc = mig_revision_load_full(revs.v[i]->path, &f);
		for (size_t k = 0; rc == 0 && k < f->upgrade.ops.n; k++) {
			if (is_enum_op(&f->upgrade.ops.v[k]) &&
			    mig_schema_apply(r->declared, &f->upgrade.ops.v[k]) < 0) {
				mig_error_clear();
			}
		}
		mig_revision_file_free(f);
	}
	mig_revlist_release(&revs);
	return rc;
}

/* Add the declared enums a reflected schema does not name. */
static void merge_declared(struct run *r)
{
	for (size_t i = 0; r->declared && i < r->declared->enums.n; i++) {
		const struct mig_enum *d = &r->declared->enums.v[i];
		if (mig_schema_find_enum(r->schema, d->schema, d->name)) {
			continue;
		}
		struct mig_enum *e = mig_schema_add_enum(r->schema, d->schema, d->name);
		for (size_t k = 0; k < d->values.n; k++) {
			const char *v = mig_arena_strdup(&r->schema->arena, d->values.v[k]);
			mig_vec_push(&e->values, v);
		}
	}
}

/* Read the database's schema into r->schema. */
static int reflect(struct run *r)
{
	struct mig_schema *s = NULL;
	int rc = mig_db_reflect(r->db, &r->ropts, &s);
	if (rc == 0) {
		mig_schema_free(r->schema);
		r->schema = s;
		r->stale = false;
	}
	return rc;
}

/* The schema to render op against: reflected again first when it is stale
 * (an sql op needs none). NULL when unknown. */
static int schema_for(struct run *r, const struct mig_op *op, const struct mig_schema **out)
{
	*out = NULL;
	if (r->db && r->stale && op->kind != MIG_OP_SQL) {
		/* the database must have run what is queued before it is read */
		int rc = batching(r) ? flush(r) : 0;
		if (rc == 0) {
			rc = reflect(r);
		}
		if (rc < 0) {
			return rc;
		}
		merge_declared(r);
	}
	if (!r->stale) {
		*out = r->schema;
	}
	return 0;
}

/* Whether s records the SQL of a trigger (which a SQLite table rebuild
 * replays). */
static bool has_trigger_sql(const struct mig_schema *s)
{
	for (size_t i = 0; i < s->objects.n; i++) {
		if (s->objects.v[i].kind == MIG_OBJ_TRIGGER && s->objects.v[i].sql) {
			return true;
		}
	}
	return false;
}

/* Where a step failed, for the report. */
struct failure {
	size_t op;        /* index of the op that failed, or nops when not in an op */
	size_t stmt;      /* index of its statement that failed */
	size_t nstmts;    /* how many statements the op had (0: it failed to render) */
};

/* Run (or write) the ops of one step; *done counts the ops completed. */
static int run_ops(struct run *r, const struct mig_oplist *ops, size_t *done, struct failure *f)
{
	struct mig_strlist sql = MIG_STRLIST_INIT;
	int rc = 0;
	*done = 0;
	for (size_t i = 0; i < ops->ops.n; i++) {
		const struct mig_op *op = &ops->ops.v[i];
		const struct mig_schema *schema;
		f->op = i;
		f->stmt = 0;
		f->nstmts = 0;
		rc = schema_for(r, op, &schema);
		if (rc < 0) {
			goto done;
		}
		mig_strlist_release(&sql);
		rc = mig_render_op(r->impl, schema, r->db == NULL, op, &sql);
		if (rc < 0) {
			goto done;
		}
		f->nstmts = sql.n;
		r->cur_op = i;
		/* an sql op may hold several statements, which a batch cannot
		 * take: it runs on its own, after what is queued */
		bool alone = op->kind == MIG_OP_SQL && batching(r);
		if (alone) {
			rc = flush(r);
			if (rc < 0) {
				goto done;
			}
			fire_marks(r, 0); /* the step begins, if it had not */
		}
		for (size_t k = 0; k < sql.n; k++) {
			f->stmt = k;
			rc = alone ? mig_db_exec(r->db, sql.v[k]) : stmt(r, sql.v[k]);
			if (rc < 0) {
				goto done;
			}
		}
		if (r->declared && is_enum_op(op) && mig_schema_apply(r->declared, op) < 0) {
			mig_error_clear();
		}
		if (r->schema && !r->stale) {
			/* SQLite rewrites the triggers that name a renamed table:
			 * the SQL recorded for them is read again */
			bool triggers = op->kind == MIG_OP_RENAME_TABLE &&
					has_trigger_sql(r->schema);
			int arc = mig_schema_apply(r->schema, op);
			if (arc != 0) {
				/* an sql op, or an op the reflected schema does not
				 * fit: a database reads again, a script goes on with
				 * what it has */
				mig_error_clear();
				r->stale = r->db != NULL;
			} else if (triggers) {
				r->stale = r->db != NULL;
			}
		}
		(*done)++;
	}
	f->op = ops->ops.n;
done:
	mig_strlist_release(&sql);
	return rc;
}

/* The error of a step that failed outside a transaction (MySQL, or a
 * revision with transactional: false): which of its ops ran, which failed and
 * which did not, where the version table is, and what to do. */
static void report_partial(struct run *r, const struct mig_step *st, const struct mig_oplist *ops,
			   const struct failure *f, struct mig_str *s)
{
	const char *dir = st->upgrade ? "upgrade" : "downgrade";
	size_t n = ops->ops.n;
	if (f->op >= n) {
		mig_str_addf(s, "all %zu ops of %s ran, but the version table still names ", n,
			     st->rev->id);
		join_revs(s, &r->current);
		mig_str_addf(s, ": check the database, then run 'migrate stamp %s'", st->rev->id);
		return;
	}
	if (r->tx_ddl) {
		mig_str_addf(s, "revision %s is not transactional, so the ops before the failed "
				"one stay applied:\n",
			     st->rev->id);
	} else {
		mig_str_addf(s, "%s commits each DDL statement at once, so the ops before the "
				"failed one stay applied:\n",
			     r->impl->name);
	}
	mig_str_addf(s, "  ran:%s\n", f->op ? "" : " none");
	for (size_t i = 0; i < n; i++) {
		if (i == f->op) {
			mig_str_add(s, "  failed:\n");
		} else if (i == f->op + 1) {
			mig_str_add(s, "  not run:\n");
		}
		mig_str_addf(s, "    %zu. ", i + 1);
		describe_op(s, &ops->ops.v[i], true);
		if (i == f->op && f->nstmts > 1) {
			mig_str_addf(s, ", at statement %zu of %zu", f->stmt + 1, f->nstmts);
		}
		mig_str_addch(s, '\n');
	}
	mig_str_add(s, "the version table still names ");
	join_revs(s, &r->current);
	mig_str_addf(s, ", as before %s %s\n", dir, st->rev->id);
	/* the rows the step would have left */
	struct mig_revlist after = MIG_REVLIST_INIT;
	struct mig_str stamp = MIG_STR_INIT;
	revlist_copy(&after, &r->current);
	for (size_t i = 0; i < st->del.n; i++) {
		revlist_remove(&after, st->del.v[i]);
	}
	for (size_t i = 0; i < st->ins.n; i++) {
		mig_vec_push(&after, st->ins.v[i]);
	}
	for (size_t i = 0; i < after.n; i++) {
		mig_str_addf(&stamp, "%s%s", i ? " " : "", after.v[i]->id);
	}
	if (!after.n) {
		mig_str_add(&stamp, "base");
	}
	if (f->op == 0 && f->stmt == 0) {
		mig_str_addf(s, "nothing of %s ran: fix the failed op and run the %s again",
			     st->rev->id, dir);
	} else if (f->op == 0) {
		mig_str_addf(s,
			     "to go on: either reverse the statements of op 1 that ran, fix it and "
			     "run the %s again, or carry out the rest of the revision by hand and "
			     "run 'migrate stamp %s'",
			     dir, stamp.buf);
	} else {
		char range[48];
		if (f->op == 1) {
			snprintf(range, sizeof(range), "op 1");
		} else {
			snprintf(range, sizeof(range), "ops 1-%zu", f->op);
		}
		mig_str_addf(s,
			     "to go on: either reverse %s by hand, fix the failed op and run the "
			     "%s again, or carry out the rest of the revision by hand and run "
			     "'migrate stamp %s'",
			     range, dir, stamp.buf);
	}
	mig_str_release(&stamp);
	mig_revlist_release(&after);
}

/* ---- the steps ---- */

static const struct mig_oplist *step_ops(const struct run *r, size_t i)
{
	const struct mig_revision_file *f = r->items[i].file;
	return r->plan.steps.v[i].upgrade ? &f->upgrade : &f->downgrade;
}

/* The step's statements begin to run: say so. */
static void step_begin(struct run *r, size_t i)
{
	struct mig_str line = MIG_STR_INIT;
	r->step_t0 = now_us();
	mig_run_describe_step(&line, &r->plan.steps.v[i]);
	progress(r, MIG_RUN_STEP_BEGIN, &r->plan.steps.v[i], 0, line.buf);
	mig_str_release(&line);
}

/* The step's statements all ran: inside a transaction, its history row waits
 * for the commit (flush_pending). ms < 0: the time since step_begin. */
static void step_end(struct run *r, size_t i, long ms)
{
	const struct mig_step *st = &r->plan.steps.v[i];
	if (ms < 0) {
		ms = (now_us() - r->step_t0 + 500) / 1000;
	}
	if (r->db && r->in_tx) {
		struct mig_history_row h;
		char at[32];
		history_row(r, &h, at, sizeof(at), st->rev->id, st->upgrade ? "up" : "down",
			    r->items[i].checksum, ms, (long)step_ops(r, i)->ops.n);
		h.checksum = mig_arena_strdup(&r->pending_arena, h.checksum);
		h.applied_at = mig_arena_strdup(&r->pending_arena, h.applied_at);
		mig_vec_push(&r->pending, h);
	}
	if (r->db) {
		char *d = xasprintf("done (%ld ms)", ms);
		progress(r, MIG_RUN_STEP_END, st, ms, d);
		free(d);
	}
	/* nothing reads the step's ops any more: freed now, which in a batch
	 * is while the database runs the statements after them */
	mig_revision_file_free(r->items[i].file);
	r->items[i].file = NULL;
}

/* The step failed at op (nops: after its ops, in the foreign key check):
 * say so, and name the step and the op in the error. */
static void step_failed(struct run *r, size_t i, size_t op)
{
	const struct mig_step *st = &r->plan.steps.v[i];
	const struct mig_oplist *ops = step_ops(r, i);
	const char *dir = st->upgrade ? "upgrade" : "downgrade";
	long ms = (now_us() - r->step_t0 + 500) / 1000;
	progress(r, MIG_RUN_STEP_FAILED, st, ms, "failed");
	if (op < ops->ops.n) {
		struct mig_str s = MIG_STR_INIT;
		mig_str_addf(&s, "%s %s failed at op %zu of %zu, ", dir, st->rev->id, op + 1,
			     ops->ops.n);
		describe_op(&s, &ops->ops.v[op], true);
		mig_error_prefix("%s", s.buf);
		mig_str_release(&s);
	} else if (op == ops->ops.n) {
		mig_error_prefix("%s %s failed", dir, st->rev->id);
	}
}

/* Whether ops adds a value to an enum type. */
static bool adds_enum_value(const struct mig_oplist *ops)
{
	for (size_t i = 0; i < ops->ops.n; i++) {
		if (ops->ops.v[i].kind == MIG_OP_ADD_ENUM_VALUE) {
			return true;
		}
	}
	return false;
}

/* Run one step: its ops, the foreign key check, the version rows, the
 * history row. Inside a transaction on a dialect with exec_batch, the ops'
 * statements are only queued: they run, and the step's progress is told,
 * at the next flush. */
static int run_step(struct run *r, size_t i)
{
	const struct mig_step *st = &r->plan.steps.v[i];
	struct item *it = &r->items[i];
	const struct mig_oplist *ops = step_ops(r, i);
	struct mig_strlist vsql = MIG_STRLIST_INIT;
	struct failure f = { 0 };
	struct mig_history_row h;
	char at[32];
	size_t done = 0;
	long ms = -1;
	int rc;

	if (!r->db) {
		struct mig_str line = MIG_STR_INIT;
		mig_run_describe_step(&line, st);
		char *c = xasprintf("-- %s", line.buf);
		script_add(r, c);
		free(c);
		mig_str_release(&line);
	}
	r->ran = true;
	r->cur_step = i;
	mark(r, i, false);
	rc = run_ops(r, ops, &done, &f);
	if (rc == 0 && r->db && r->impl->verify) {
		f.op = ops->ops.n;
		rc = batching(r) ? flush(r) : 0;
		if (rc == 0) {
			rc = r->impl->verify(r->db);
		}
	}
	if (rc == 0 && !(r->db && r->in_tx)) {
		/* outside a transaction (or in a script): the version rows now */
		ms = (now_us() - r->step_t0 + 500) / 1000;
		version_sql(r, &st->del, &st->ins, &vsql);
		for (size_t k = 0; rc == 0 && k < vsql.n; k++) {
			rc = stmt(r, vsql.v[k]);
		}
		if (rc == 0) {
			history_row(r, &h, at, sizeof(at), st->rev->id, st->upgrade ? "up" : "down",
				    it->checksum, ms, (long)done);
			rc = history_insert(r, &h, 1);
		}
		if (rc < 0) {
			mig_error_prefix("%s %s: cannot record it in the version table",
					 st->upgrade ? "upgrade" : "downgrade", st->rev->id);
			f.op = ops->ops.n + 1;
		}
	}
	if (rc < 0 && !r->reported && batching(r)) {
		/* what is queued came first: a failure there is the one to report */
		struct mig_saved_error e;
		mig_error_take(&e);
		if (flush(r) < 0) {
			free(e.msg);
		} else {
			fire_marks(r, 0); /* this step's beginning */
			mig_error_give(&e, NULL);
		}
	}
	if (rc < 0 && !r->reported) {
		struct mig_str s = MIG_STR_INIT;
		struct mig_saved_error e;
		step_failed(r, i, f.op);
		mig_error_take(&e);
		if (r->db && !r->in_tx) {
			/* what ran stays: say so, in migrate_history too */
			ms = (now_us() - r->step_t0 + 500) / 1000;
			history_row(r, &h, at, sizeof(at), st->rev->id,
				    st->upgrade ? "up-failed" : "down-failed", it->checksum, ms,
				    (long)done);
			history_insert(r, &h, 1);
			report_partial(r, st, ops, &f, &s);
		}
		mig_error_give(&e, s.buf);
		mig_str_release(&s);
	}
	if (rc < 0) {
		goto done;
	}
	for (size_t k = 0; k < st->del.n; k++) {
		revlist_remove(&r->current, st->del.v[k]);
	}
	for (size_t k = 0; k < st->ins.n; k++) {
		mig_vec_push(&r->current, st->ins.v[k]);
	}
	if (!r->in_tx) {
		revlist_copy(&r->flushed, &r->current);
	}
	if (ms >= 0) {
		step_end(r, i, ms);
	} else {
		mark(r, i, true);
	}
done:
	r->cur_step = NO_STEP;
	mig_strlist_release(&vsql);
	return rc;
}

/* Run every step of the plan in the transactions DESIGN §8 describes. */
static int run_steps(struct run *r)
{
	int rc = load_declared(r);
	if (r->schema && !r->stale) {
		merge_declared(r);
	}
	for (size_t i = 0; rc == 0 && i < r->plan.steps.n; i++) {
		const struct mig_revision *rev = r->plan.steps.v[i].rev;
		bool tx = rev->transactional;
		if (r->tx_ddl && !tx) {
			/* outside any transaction: commit what is open */
			rc = tx_commit(r);
			if (rc < 0) {
				return rc;
			}
		} else if (r->tx_ddl && !r->in_tx) {
			rc = tx_begin(r);
			if (rc == 0 && r->recheck && r->db) {
				size_t next = i;
				rc = recheck(r, &next);
				if (rc == 0 && next != i) {
					i = (size_t)-1; /* the loop's i++ makes it 0 */
					continue;
				}
			}
			if (rc < 0) {
				return rc;
			}
		}
		/* PostgreSQL lets no statement use an enum value added in the
		 * same transaction (unsafe use of new value): the revisions after
		 * one that adds a value run in a new transaction */
		bool enum_commit = (r->impl->caps & MIG_CAP_NATIVE_ENUMS) &&
				   adds_enum_value(step_ops(r, i));
		rc = run_step(r, i);
		if (rc < 0) {
			return rc;
		}
		bool last = i + 1 == r->plan.steps.n;
		if (r->tx_ddl && !last && (r->per_rev || !tx || enum_commit)) {
			if (tx) {
				rc = tx_commit(r);
			}
			r->recheck = true;
			if (rc < 0) {
				return rc;
			}
		}
	}
	return rc;
}

/* ---- stamp ---- */

/* Whether a is b or an ancestor of b (by down revisions and dependencies). */
static bool ancestor_of(const struct mig_revgraph *g, const struct mig_revision *a,
			const struct mig_revision *b)
{
	struct mig_revlist none = MIG_REVLIST_INIT, one = MIG_REVLIST_INIT, anc = MIG_REVLIST_INIT;
	mig_vec_push(&one, b);
	mig_revgraph_upgrade_revs(g, &none, &one, &anc);
	bool yes = mig_revlist_has(&anc, a);
	mig_revlist_release(&one);
	mig_revlist_release(&anc);
	return yes;
}

/* The rows after stamping the targets, as Alembic stamps: each target
 * replaces the rows of its own line (its ancestors and descendants), rows on
 * unrelated branches stay, and base clears everything. */
static int stamp_rows(struct run *r, struct mig_revlist *out)
{
	struct mig_revlist targets = MIG_REVLIST_INIT, all = MIG_REVLIST_INIT;
	bool base = false;
	int rc = 0;
	for (size_t i = 0; i < r->opts->ntargets; i++) {
		struct mig_revlist one = MIG_REVLIST_INIT;
		rc = mig_revgraph_resolve(r->g, r->opts->targets[i], &r->current, &one);
		if (rc == 0 && one.n == 0) {
			if (strcmp(r->opts->targets[i], "base") == 0) {
				base = true;
			} else {
				rc = mig_error(MIG_ECLASS_USAGE,
					       "stamp: '%s' names no revision; to remove every "
					       "version row, stamp base",
					       r->opts->targets[i]);
			}
		}
		for (size_t k = 0; rc == 0 && k < one.n; k++) {
			if (!mig_revlist_has(&targets, one.v[k])) {
				mig_vec_push(&targets, one.v[k]);
			}
		}
		mig_revlist_release(&one);
		if (rc < 0) {
			goto done;
		}
	}
	revlist_copy(&all, &targets);
	for (size_t i = 0; !base && !r->opts->purge && i < r->current.n; i++) {
		const struct mig_revision *c = r->current.v[i];
		bool related = false;
		for (size_t k = 0; k < targets.n && !related; k++) {
			related = ancestor_of(r->g, c, targets.v[k]) ||
				  ancestor_of(r->g, targets.v[k], c);
		}
		if (!related) {
			mig_vec_push(&all, c);
		}
	}
	mig_revgraph_version_rows(r->g, &all, out);
done:
	mig_revlist_release(&targets);
	mig_revlist_release(&all);
	return rc;
}

static int run_stamp(struct run *r)
{
	struct mig_revlist rows = MIG_REVLIST_INIT, del = MIG_REVLIST_INIT, ins = MIG_REVLIST_INIT;
	struct mig_strlist sql = MIG_STRLIST_INIT;
	MIG_VEC(struct mig_history_row) hist = { 0 };
	char(*ats)[32] = NULL;
	char(*sums)[41] = NULL;
	struct mig_str s = MIG_STR_INIT;
	int rc = stamp_rows(r, &rows);
	if (rc < 0) {
		goto done;
	}
	if (r->opts->purge) {
		mig_version_delete_sql(r->impl, r->vt_schema, r->vt, NULL, 0, &s);
		mig_strlist_push_owned(&sql, mig_str_detach(&s));
		revlist_copy(&ins, &rows);
	} else {
		for (size_t i = 0; i < r->current.n; i++) {
			if (!mig_revlist_has(&rows, r->current.v[i])) {
				mig_vec_push(&del, r->current.v[i]);
			}
		}
		for (size_t i = 0; i < rows.n; i++) {
			if (!mig_revlist_has(&r->current, rows.v[i])) {
				mig_vec_push(&ins, rows.v[i]);
			}
		}
	}
	version_sql(r, &del, &ins, &sql);

	ats = xcalloc(ins.n + 1, sizeof(*ats));
	sums = xcalloc(ins.n + 1, sizeof(*sums));
	for (size_t i = 0; i < ins.n; i++) {
		struct mig_history_row h;
		rc = mig_run_checksum(ins.v[i]->path, sums[i]);
		if (rc < 0) {
			goto done;
		}
		history_row(r, &h, ats[i], sizeof(ats[i]), ins.v[i]->id, "stamp", sums[i], 0, 0);
		mig_vec_push(&hist, h);
	}
	if (!rows.n && (r->current.n || r->rows.n || r->opts->purge)) {
		struct mig_history_row h;
		history_row(r, &h, ats[0], sizeof(ats[0]), "base", "stamp", NULL, 0, 0);
		mig_vec_push(&hist, h);
	}

	rc = ensure_tables(r, true, true);
	if (rc < 0) {
		goto done;
	}
	join_revs(&s, &r->current);
	if (r->opts->purge && r->rows.n != r->current.n) {
		mig_str_reset(&s);
		mig_str_add(&s, "<purged>");
	}
	mig_str_add(&s, " -> ");
	join_revs(&s, &rows);
	char *info = xasprintf("Stamping %s", s.buf);
	mig_str_reset(&s);
	if (!r->db) {
		char *c = xasprintf("-- %s", info);
		script_add(r, c);
		free(c);
	}
	if (sql.n || hist.n) {
		progress(r, MIG_RUN_INFO, NULL, 0, info);
	}
	free(info);
	r->ran = true;
	for (size_t i = 0; rc == 0 && i < sql.n; i++) {
		rc = stmt(r, sql.v[i]);
	}
	if (rc == 0 && hist.n) {
		rc = history_insert(r, hist.v, hist.n);
	}
	if (rc == 0) {
		revlist_copy(&r->current, &rows);
		revlist_copy(&r->flushed, &rows);
	}
done:
	free(ats);
	free(sums);
	mig_vec_free(&hist);
	mig_str_release(&s);
	mig_strlist_release(&sql);
	mig_revlist_release(&rows);
	mig_revlist_release(&del);
	mig_revlist_release(&ins);
	return rc;
}

/* ---- the run ---- */

/* The schema the revisions up to current produce, for a script (no database
 * to reflect). Ops that do not fit leave it as it is: it is approximate
 * after sql ops anyway. */
static int offline_schema(struct run *r)
{
	struct mig_revlist none = MIG_REVLIST_INIT, revs = MIG_REVLIST_INIT;
	int rc = 0;
	r->schema = mig_schema_new();
	r->stale = false;
	mig_revgraph_upgrade_revs(r->g, &none, &r->current, &revs);
	for (size_t i = 0; i < revs.n; i++) {
		struct mig_revision_file *f = NULL;
		rc = mig_revision_load_full(revs.v[i]->path, &f);
		if (rc < 0) {
			break;
		}
		for (size_t k = 0; k < f->upgrade.ops.n; k++) {
			if (mig_schema_apply(r->schema, &f->upgrade.ops.v[k]) < 0) {
				mig_error_clear();
			}
		}
		mig_revision_file_free(f);
	}
	mig_revlist_release(&revs);
	return rc;
}

/* Where a script starts: the rows that mean opts->from is applied. */
static int offline_current(struct run *r)
{
	struct mig_revlist from = MIG_REVLIST_INIT;
	int rc = 0;
	if (r->opts->from) {
		rc = mig_revgraph_resolve(r->g, r->opts->from, NULL, &from);
		if (rc == 0) {
			mig_revgraph_version_rows(r->g, &from, &r->current);
		}
	}
	mig_revlist_release(&from);
	return rc;
}

static int run_offline(struct run *r)
{
	enum mig_run_mode mode = r->opts->mode;
	bool from_base;
	int rc;
	if (mode == MIG_RUN_DOWNGRADE && !r->opts->from) {
		return mig_error(MIG_ECLASS_USAGE,
				 "downgrade with --sql needs a range 'from:to' (the revision the "
				 "database is at, and the target)");
	}
	rc = offline_current(r);
	if (rc < 0) {
		return rc;
	}
	from_base = r->current.n == 0;
	/* a script that starts from base creates the tables; one that starts
	 * at a revision runs where they exist */
	r->have_version = r->have_history = !from_base || mode == MIG_RUN_DOWNGRADE;
	rc = tx_begin(r);
	if (rc < 0) {
		goto done;
	}
	if (mode == MIG_RUN_ENSURE_VERSION) {
		rc = ensure_tables(r, true, true);
		goto done;
	}
	if (mode == MIG_RUN_STAMP) {
		rc = run_stamp(r);
		goto done;
	}
	rc = make_plan(r);
	if (rc == 0) {
		rc = load_items(r);
	}
	if (rc == 0) {
		rc = ensure_tables(r, true, true);
	}
	if (rc == 0) {
		rc = offline_schema(r);
	}
	if (rc == 0) {
		rc = run_steps(r);
	}
done:
	if (rc == 0) {
		rc = tx_commit(r);
	}
	return rc;
}

static int run_online(struct run *r)
{
	enum mig_run_mode mode = r->opts->mode;
	bool locked = false;
	int rc;

	rc = mig_db_lock(r->db, MIG_LOCK_NAME, r->cfg->lock_timeout, on_lock_wait, r);
	if (rc < 0) {
		goto done;
	}
	locked = true;
	rc = tx_begin(r);
	if (rc == 0) {
		rc = find_tables(r);
	}
	if (rc < 0) {
		goto done;
	}
	if (mode == MIG_RUN_ENSURE_VERSION) {
		rc = ensure_tables(r, true, true);
		goto done;
	}
	rc = read_rows(r, mode == MIG_RUN_STAMP && r->opts->purge);
	if (rc == MIG_ENOTFOUND && mode == MIG_RUN_STAMP) {
		struct mig_saved_error e;
		mig_error_take(&e);
		mig_error_give(&e, "(stamp --purge replaces the rows without reading them)");
	}
	if (rc < 0) {
		goto done;
	}
	if (mode == MIG_RUN_STAMP) {
		rc = run_stamp(r);
		goto done;
	}
	/* plan and read every file before anything is created or run */
	rc = make_plan(r);
	if (rc == 0) {
		struct loader l;
		int reflected = 0;
		load_start(r, &l);
		if (l.started[0] || l.started[1]) {
			/* the schema the first op is rendered against, read while
			 * the files are (the version and history tables are not part
			 * of it, so it holds after ensure_tables) */
			reflected = reflect(r);
		}
		/* a broken file is the error to report, before the database's */
		rc = load_finish(r, &l);
		if (rc == 0) {
			rc = reflected;
		}
	}
	if (rc == 0 && (mode == MIG_RUN_UPGRADE || r->plan.steps.n)) {
		/* a downgrade creates no version table; a database that Alembic
		 * kept gets a history table */
		rc = ensure_tables(r, mode == MIG_RUN_UPGRADE, r->have_version ||
							  mode == MIG_RUN_UPGRADE);
	}
	if (rc == 0) {
		/* unless read above: reflected before the first op that needs it */
		r->stale = !r->schema;
		rc = run_steps(r);
	}
done:
	if (rc == 0) {
		rc = tx_commit(r);
	}
	if (rc < 0) {
		struct mig_saved_error e;
		struct mig_str s = MIG_STR_INIT;
		mig_error_take(&e);
		if (r->in_tx) {
			r->in_tx = false;
			mig_db_rollback(r->db);
			struct mig_strlist rows = MIG_STRLIST_INIT;
			bool exists = false;
			if (r->ran && mig_run_read_versions(r->db, r->cfg, &rows, &exists) == 0) {
				mig_str_add(&s, "the transaction was rolled back; the version "
						"table ");
				if (!exists) {
					mig_str_add(&s, "does not exist (the database is at base)");
				} else if (!rows.n) {
					mig_str_add(&s, "is empty (the database is at base)");
				} else {
					mig_str_add(&s, "names ");
					for (size_t i = 0; i < rows.n; i++) {
						mig_str_addf(&s, "%s%s", i ? ", " : "", rows.v[i]);
					}
				}
			}
			mig_strlist_release(&rows);
		}
		if (locked) {
			mig_db_unlock(r->db, MIG_LOCK_NAME);
		}
		mig_error_give(&e, s.buf);
		mig_str_release(&s);
	} else if (locked) {
		rc = mig_db_unlock(r->db, MIG_LOCK_NAME);
	}
	return rc;
}

int mig_run(struct mig_db *db, const struct mig_dialect_impl *impl, const struct mig_revgraph *g,
	    const struct mig_config *cfg, const struct mig_run_opts *opts)
{
	struct run r = { 0 };
	int rc;

	if (db) {
		impl = mig_db_dialect(db);
	} else if (!opts->script) {
		return mig_error(MIG_ECLASS_USAGE, "no database connection and no script to write");
	}
	if ((opts->mode == MIG_RUN_UPGRADE || opts->mode == MIG_RUN_DOWNGRADE) &&
	    opts->ntargets != 1) {
		return mig_error(MIG_ECLASS_USAGE, "%s takes exactly one target",
				 opts->mode == MIG_RUN_UPGRADE ? "upgrade" : "downgrade");
	}
	if (opts->mode == MIG_RUN_STAMP && opts->ntargets == 0) {
		return mig_error(MIG_ECLASS_USAGE, "stamp needs at least one target");
	}
	r.db = db;
	r.impl = impl;
	r.g = g;
	r.cfg = cfg;
	r.opts = opts;
	r.vt = vt_name(cfg);
	r.vt_schema = vt_schema(cfg);
	r.tx_ddl = (impl->caps & MIG_CAP_TRANSACTIONAL_DDL) != 0;
	r.cur_step = NO_STEP;
	r.per_rev = cfg->transaction_per_migration;
	r.applied_by = opts->applied_by ? xstrdup(opts->applied_by) : default_applied_by();
	r.ropts.version_table = r.vt;
	r.ropts.version_table_schema = r.vt_schema;
	r.ropts.history_table = MIG_HISTORY_TABLE;
	r.ropts.include_schemas = cfg->include_schemas;
	r.ropts.exclude_tables = &cfg->exclude_tables;

	rc = db ? run_online(&r) : run_offline(&r);

	items_release(&r);
	mig_plan_release(&r.plan);
	mig_revlist_release(&r.final);
	mig_revlist_release(&r.current);
	mig_revlist_release(&r.flushed);
	mig_vec_free(&r.pending);
	mig_arena_release(&r.pending_arena);
	mig_strlist_release(&r.rows);
	mig_strlist_release(&r.queue);
	mig_vec_free(&r.queued);
	mig_vec_free(&r.marks);
	mig_schema_free(r.schema);
	mig_schema_free(r.declared);
	free(r.applied_by);
	return rc;
}
