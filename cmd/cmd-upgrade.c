/* migrate upgrade TARGET [--sql]: apply the revisions up to TARGET. Also the
 * part that upgrade, downgrade, stamp and ensure-version share: options,
 * the graph, the connection or the script, and the progress lines. */
#include "migrate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void print_progress(void *arg, enum mig_run_event ev, const struct mig_step *step, long ms,
			   const char *text)
{
	if (mig_verbosity < 1) {
		return;
	}
	switch (ev) {
	case MIG_RUN_STEP_BEGIN:
		printf("%s ...", text);
		fflush(stdout);
		break;
	case MIG_RUN_STEP_END:
	case MIG_RUN_STEP_FAILED:
		printf(" %s\n", text);
		fflush(stdout);
		break;
	case MIG_RUN_LOCK_WAIT:
		fflush(stdout);
		fprintf(stderr, "%s\n", text);
		break;
	case MIG_RUN_INFO:
		printf("%s\n", text);
		fflush(stdout);
		break;
	}
}

/* The dialect the configured URL names, without connecting (--sql). */
static int offline_dialect(struct mig_ctx *ctx, const struct mig_dialect_impl **out)
{
	struct mig_url *url = NULL;
	int rc;
	if (!ctx->cfg.url || !*ctx->cfg.url) {
		return mig_error(MIG_ECLASS_USAGE,
				 "no database URL: --sql needs one to know the dialect to write; "
				 "pass --url, set $MIGRATE_URL, or set 'url' in migrate.ini");
	}
	rc = mig_url_parse(&url, ctx->cfg.url);
	if (rc == 0) {
		rc = mig_dialect_find(url->dialect, out);
	}
	mig_url_free(url);
	return rc;
}

/* "-1", "-12": a relative target, not an option. */
static bool relative(const char *a)
{
	return a[0] == '-' && a[1] && strspn(a + 1, "0123456789") == strlen(a + 1);
}

/* Connecting on a thread of its own; its error is handed over in err. */
struct opener {
	struct mig_ctx *ctx;
	int rc;
	struct mig_saved_error err;
};

static void *open_thread(void *arg)
{
	struct opener *o = arg;
	o->rc = mig_cmd_open_db(o->ctx);
	if (o->rc < 0) {
		mig_error_take(&o->err);
	}
	mig_error_clear(); /* the thread's own error dies with it */
	return NULL;
}

int mig_cmd_run(struct mig_ctx *ctx, const struct mig_cmd *cmd, enum mig_run_mode mode, int argc,
		char **argv)
{
	struct mig_revgraph *g = NULL;
	struct mig_str script = MIG_STR_INIT;
	struct mig_run_callbacks cb = { print_progress, NULL };
	struct mig_run_opts ro = { 0 };
	const struct mig_dialect_impl *impl = NULL;
	MIG_VEC(const char *) targets = { 0 };
	char *from = NULL, *to = NULL;
	bool sql = false, purge = false;
	int rc = 0;

	/* by hand rather than with getopt: relative targets such as -1 look
	 * like options */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++) {
				mig_vec_push(&targets, argv[i]);
			}
			break;
		}
		if (strcmp(a, "--sql") == 0) {
			sql = true;
		} else if (strcmp(a, "--purge") == 0 && mode == MIG_RUN_STAMP) {
			purge = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			mig_cmd_print_help(cmd, stdout);
			goto done;
		} else if (a[0] == '-' && a[1] && !relative(a)) {
			rc = mig_cmd_usage_error(cmd, "unknown option '%s'", a);
			goto done;
		} else {
			mig_vec_push(&targets, a);
		}
	}
	if (mode == MIG_RUN_ENSURE_VERSION && targets.n) {
		rc = mig_cmd_usage_error(cmd, "unexpected argument '%s'", targets.v[0]);
		goto done;
	}
	if ((mode == MIG_RUN_UPGRADE || mode == MIG_RUN_DOWNGRADE) && targets.n != 1) {
		rc = targets.n ? mig_cmd_usage_error(cmd, "unexpected argument '%s'", targets.v[1])
			       : mig_cmd_usage_error(cmd, "a target revision is required");
		goto done;
	}
	if (mode == MIG_RUN_STAMP && !targets.n) {
		rc = mig_cmd_usage_error(cmd, "a target revision is required");
		goto done;
	}
	/* a range from:to, for --sql */
	for (size_t i = 0; i < targets.n; i++) {
		if (!strchr(targets.v[i], ':')) {
			continue;
		}
		if (!sql) {
			rc = mig_cmd_usage_error(cmd, "a range '%s' needs --sql", targets.v[i]);
			goto done;
		}
		if (from || to || i != 0) {
			rc = mig_cmd_usage_error(cmd,
						 "only the first target may be a range 'from:to'");
			goto done;
		}
		if (mig_revgraph_split_range(targets.v[i], &from, &to) < 0) {
			rc = mig_cmd_fail();
			goto done;
		}
		if (!to) {
			rc = mig_cmd_usage_error(cmd, "the range '%s' has no end", targets.v[i]);
			goto done;
		}
		targets.v[i] = to;
	}
	if (sql && mode == MIG_RUN_DOWNGRADE && !from) {
		rc = mig_cmd_usage_error(cmd, "downgrade with --sql needs a range 'from:to' (the "
					      "revision the database is at, and the target)");
		goto done;
	}

	/* connecting (the server starting a session) and reading the revision
	 * files overlap; a broken file is still the error reported first */
	struct opener o = { ctx, 0, { MIG_ECLASS_NONE, NULL } };
	pthread_t th;
	bool threaded = !sql && pthread_create(&th, NULL, open_thread, &o) == 0;
	int grc = sql ? mig_revgraph_load_config(&g, &ctx->cfg)
		      : mig_revgraph_load_config_text(&g, &ctx->cfg);
	if (threaded) {
		pthread_join(th, NULL);
	}
	if (grc < 0) {
		free(o.err.msg);
		rc = mig_cmd_fail();
		goto done;
	}
	if (sql) {
		rc = offline_dialect(ctx, &impl);
	} else if (threaded) {
		rc = o.rc < 0 ? mig_error_give(&o.err, NULL) : 0;
	} else {
		rc = mig_cmd_open_db(ctx);
	}
	if (rc < 0) {
		rc = mig_cmd_fail();
		goto done;
	}
	ro.mode = mode;
	ro.targets = targets.v;
	ro.ntargets = targets.n;
	ro.purge = purge;
	ro.from = from;
	ro.script = sql ? &script : NULL;
	ro.cb = &cb;
	if (mig_run(sql ? NULL : ctx->db, impl, g, &ctx->cfg, &ro) < 0) {
		fflush(stdout);
		rc = mig_cmd_fail();
		goto done;
	}
	fputs(mig_str_cstr(&script), stdout);
done:
	mig_vec_free(&targets);
	free(from);
	free(to);
	mig_str_release(&script);
	mig_revgraph_free(g);
	return rc;
}

static int upgrade_exec(struct mig_ctx *ctx, int argc, char **argv)
{
	return mig_cmd_run(ctx, &cmd_upgrade_entry, MIG_RUN_UPGRADE, argc, argv);
}

const struct mig_cmd cmd_upgrade_entry = {
	.name = "upgrade",
	.usage = "upgrade TARGET [--sql]",
	.summary = "apply the revisions up to TARGET",
	.help = "options:\n"
		"  --sql   print the SQL script instead of running it (no connection); TARGET\n"
		"          may then be a range FROM:TO, else the script starts from base\n"
		"\n"
		"TARGET is a revision (id, prefix, label), head, heads, <label>@head, or relative\n"
		"(+1, <id>+2). The run holds the migration lock; by default it is one\n"
		"transaction where DDL is transactional (PostgreSQL, SQLite); set\n"
		"transaction_per_migration = true for one per revision. Prints one line per\n"
		"revision with its duration (-q: none).\n",
	.flags = MIG_CMD_NEEDS_CONFIG,
	.exec = upgrade_exec,
};
