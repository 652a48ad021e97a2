/* The revision graph: loading the version folders, checking the DAG, target
 * resolution, history ranges, upgrade/downgrade paths and Alembic-style
 * output. Every walk is linear in the size of the graph: marks live in
 * per-call byte arrays indexed by revision index, lookups go through hash
 * tables. */
#include "migrate/revgraph.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "revision.h"
#include "strmap.h"
#include "ydoc.h"

struct mig_revgraph {
	struct mig_arena arena;
	struct mig_arena job_arenas[2]; /* the strings of the files, one per loading thread */
	struct mig_revision *nodes;
	size_t n;
	struct mig_strmap ids;
	struct mig_strmap labels;
	struct mig_strlist dirs;
	struct mig_revlist heads;      /* by down_revision */
	struct mig_revlist real_heads; /* by down_revision and depends_on */
	struct mig_revlist bases;
};

/* Used through the const API: nodes are reached as const, but the graph's own
 * code fills them. */
#define NODE(g, i) (&(g)->nodes[(i)])

void mig_revlist_release(struct mig_revlist *l)
{
	mig_vec_free(l);
}

bool mig_revlist_same_set(const struct mig_revlist *a, const struct mig_revlist *b)
{
	if (a->n != b->n) {
		return false;
	}
	for (size_t i = 0; i < a->n; i++) {
		if (!mig_revlist_has(b, a->v[i])) {
			return false;
		}
	}
	return true;
}

bool mig_revlist_has(const struct mig_revlist *l, const struct mig_revision *r)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i] == r) {
			return true;
		}
	}
	return false;
}

static void revlist_add_unique(struct mig_revlist *l, const struct mig_revision *r)
{
	if (!mig_revlist_has(l, r)) {
		mig_vec_push(l, r);
	}
}

/* ---- loading ---- */

/* Read name (relative to the open folder dfd) into *buf (grown as needed).
 * Returns 0 or an errno value. No fstat: a read shorter than asked is the end
 * of a regular file, which saves one system call per file. */
static int read_at(int dfd, const char *name, char **buf, size_t *cap, size_t *len)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return errno;
	}
	if (*cap < 65536) {
		*cap = 65536;
		*buf = xrealloc(*buf, *cap);
	}
	size_t got = 0;
	for (;;) {
		size_t want = *cap - got - 1;
		ssize_t n = read(fd, *buf + got, want);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			int e = errno;
			close(fd);
			return e;
		}
		got += (size_t)n;
		if ((size_t)n < want) {
			break;
		}
		*cap *= 2;
		*buf = xrealloc(*buf, *cap);
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return 0;
}

static void diag_at(struct mig_diags *dg, const struct mig_pos *p, const char *path,
		    const char *fmt, ...) MIG_PRINTF(4, 5);

static void diag_at(struct mig_diags *dg, const struct mig_pos *p, const char *path,
		    const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_diags_addf(dg, path, p->line, p->column, "%s", s.buf);
	mig_str_release(&s);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Branch labels cover a branch: the labelled revision, its descendants, and
 * its ancestors down to (not including) the branch point or merge point it
 * grew from (Alembic's rule). Linear per declared label. */
static void propagate_labels(struct mig_revgraph *g)
{
	size_t nlabelled = 0;
	for (size_t i = 0; i < g->n; i++) {
		nlabelled += g->nodes[i].nbranch_labels;
	}
	if (!nlabelled) {
		return;
	}
	MIG_VEC(struct { size_t node; const char *label; }) pairs = { 0 };
	unsigned char *seen = xmalloc(g->n);
	size_t *stack = xmalloc(g->n * sizeof(*stack));
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		if (!r->nbranch_labels) {
			continue;
		}
		memset(seen, 0, g->n);
		size_t sp = 0;
		stack[sp++] = i;
		seen[i] = 1;
		while (sp) {
			struct mig_revision *x = NODE(g, stack[--sp]);
			for (size_t c = 0; c < x->nchildren; c++) {
				size_t ci = x->children[c]->index;
				if (!seen[ci]) {
					seen[ci] = 1;
					stack[sp++] = ci;
				}
			}
		}
		struct mig_revision *cur = r;
		while (cur->ndown == 1) {
			struct mig_revision *p = cur->parents[0];
			if (p->nchildren + p->ndependents > 1 || p->ndown > 1 || seen[p->index]) {
				break;
			}
			seen[p->index] = 1;
			cur = p;
		}
		for (size_t k = 0; k < g->n; k++) {
			if (!seen[k]) {
				continue;
			}
			for (size_t l = 0; l < r->nbranch_labels; l++) {
				mig_vec_grow(&pairs, 1);
				pairs.v[pairs.n].node = k;
				pairs.v[pairs.n].label = r->branch_labels[l];
				pairs.n++;
			}
		}
	}
	/* count per node, then fill sorted unique lists */
	size_t *count = xcalloc(g->n, sizeof(*count));
	for (size_t i = 0; i < pairs.n; i++) {
		count[pairs.v[i].node]++;
	}
	for (size_t i = 0; i < g->n; i++) {
		if (count[i]) {
			NODE(g, i)->labels = mig_arena_alloc(&g->arena, count[i] * sizeof(char *));
		}
	}
	for (size_t i = 0; i < pairs.n; i++) {
		struct mig_revision *r = NODE(g, pairs.v[i].node);
		bool dup = false;
		for (size_t j = 0; j < r->nlabels; j++) {
			if (strcmp(r->labels[j], pairs.v[i].label) == 0) {
				dup = true;
				break;
			}
		}
		if (!dup) {
			r->labels[r->nlabels++] = pairs.v[i].label;
		}
	}
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		if (r->nlabels > 1) {
			qsort(r->labels, r->nlabels, sizeof(char *), cmp_cstr);
		}
	}
	free(count);
	free(stack);
	free(seen);
	mig_vec_free(&pairs);
}

/* Report one cycle among the revisions Kahn's algorithm could not order. */
static void report_cycle(struct mig_revgraph *g, const unsigned char *done, struct mig_diags *dg)
{
	size_t start = 0;
	while (start < g->n && done[start]) {
		start++;
	}
	/* every unordered revision has an unordered parent or dependency: walk
	 * them until one repeats */
	size_t *step = xmalloc(g->n * sizeof(*step));
	size_t *at = xmalloc(g->n * sizeof(*at));
	for (size_t i = 0; i < g->n; i++) {
		at[i] = (size_t)-1;
	}
	size_t len = 0, cur = start;
	while (at[cur] == (size_t)-1) {
		at[cur] = len;
		step[len++] = cur;
		struct mig_revision *r = NODE(g, cur);
		size_t next = (size_t)-1;
		for (size_t k = 0; k < r->ndown && next == (size_t)-1; k++) {
			if (!done[r->parents[k]->index]) {
				next = r->parents[k]->index;
			}
		}
		for (size_t k = 0; k < r->ndeps && next == (size_t)-1; k++) {
			if (!done[r->deps[k]->index]) {
				next = r->deps[k]->index;
			}
		}
		cur = next;
	}
	/* the cycle is step[at[cur]] … step[len-1]; each names the next as its
	 * parent, so print it the other way round, parent -> child */
	size_t first = at[cur];
	struct mig_str s = MIG_STR_INIT;
	mig_str_add(&s, "cycle in the revision graph: ");
	for (size_t k = len; k > first; k--) {
		mig_str_addf(&s, "%s -> ", NODE(g, step[k - 1])->id);
	}
	mig_str_add(&s, NODE(g, step[len - 1])->id);
	/* report it at the revision of the cycle that comes first in file order */
	size_t lowest = step[first];
	for (size_t k = first; k < len; k++) {
		if (step[k] < lowest) {
			lowest = step[k];
		}
	}
	struct mig_revision *r = NODE(g, lowest);
	const struct mig_pos *p = r->ndown ? &r->pos_down_revision : &r->pos_depends_on;
	diag_at(dg, p, r->path, "%s", s.buf);
	mig_str_release(&s);
	free(at);
	free(step);
}

static int link_graph(struct mig_revgraph *g, struct mig_diags *dg)
{
	mig_strmap_reserve(&g->ids, g->n);
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		struct mig_revision *prev = mig_strmap_put(&g->ids, r->id, r);
		if (prev) {
			diag_at(dg, &r->pos_revision, r->path,
				"duplicate revision id '%s' (also in '%s')", r->id, prev->path);
		}
	}
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		for (size_t l = 0; l < r->nbranch_labels; l++) {
			const char *label = r->branch_labels[l];
			if (mig_strmap_get(&g->ids, label)) {
				diag_at(dg, &r->pos_branch_labels, r->path,
					"branch label '%s' is also a revision id", label);
				continue;
			}
			struct mig_revision *prev = mig_strmap_put(&g->labels, label, r);
			if (prev && prev != r) {
				diag_at(dg, &r->pos_branch_labels, r->path,
					"branch label '%s' is already used by revision '%s' ('%s')",
					label, prev->id, prev->path);
			}
		}
	}
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		r->parents = mig_arena_alloc(&g->arena, (r->ndown + r->ndepends_on + 1) *
							       sizeof(*r->parents));
		r->deps = r->parents + r->ndown;
		for (size_t k = 0; k < r->ndown; k++) {
			struct mig_revision *p = mig_strmap_get(&g->ids, r->down_revisions[k]);
			if (!p) {
				diag_at(dg, &r->pos_down_revision, r->path,
					"down_revision '%s' names no revision",
					r->down_revisions[k]);
			}
			r->parents[k] = p;
		}
		for (size_t k = 0; k < r->ndepends_on; k++) {
			const char *d = r->depends_on[k];
			struct mig_revision *p = mig_strmap_get(&g->ids, d);
			if (!p) {
				p = mig_strmap_get(&g->labels, d);
			}
			if (!p) {
				diag_at(dg, &r->pos_depends_on, r->path,
					"depends_on '%s' names no revision or branch label", d);
				continue;
			}
			bool dup = p == r;
			for (size_t j = 0; j < r->ndeps && !dup; j++) {
				dup = r->deps[j] == p;
			}
			if (!dup) {
				r->deps[r->ndeps++] = p;
			}
		}
	}
	if (dg->nerrors) {
		return MIG_ERROR;
	}

	/* children and dependents: count, allocate, fill */
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		for (size_t k = 0; k < r->ndown; k++) {
			r->parents[k]->nchildren++;
		}
		for (size_t k = 0; k < r->ndeps; k++) {
			r->deps[k]->ndependents++;
		}
	}
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		size_t total = r->nchildren + r->ndependents;
		r->children =
			total ? mig_arena_alloc(&g->arena, total * sizeof(*r->children)) : NULL;
		r->dependents = r->children ? r->children + r->nchildren : NULL;
		r->nchildren = r->ndependents = 0;
	}
	for (size_t i = 0; i < g->n; i++) {
		struct mig_revision *r = NODE(g, i);
		for (size_t k = 0; k < r->ndown; k++) {
			struct mig_revision *p = r->parents[k];
			p->children[p->nchildren++] = r;
		}
		for (size_t k = 0; k < r->ndeps; k++) {
			struct mig_revision *p = r->deps[k];
			p->dependents[p->ndependents++] = r;
		}
	}

	/* cycles: Kahn's algorithm over both kinds of edges */
	size_t *indeg = xmalloc(g->n * sizeof(*indeg));
	size_t *queue = xmalloc(g->n * sizeof(*queue));
	unsigned char *done = xcalloc(g->n, 1);
	size_t qh = 0, qt = 0;
	for (size_t i = 0; i < g->n; i++) {
		indeg[i] = NODE(g, i)->ndown + NODE(g, i)->ndeps;
		if (!indeg[i]) {
			queue[qt++] = i;
		}
	}
	while (qh < qt) {
		struct mig_revision *r = NODE(g, queue[qh++]);
		done[r->index] = 1;
		for (size_t k = 0; k < r->nchildren + r->ndependents; k++) {
			size_t c = r->children[k]->index;
			if (--indeg[c] == 0) {
				queue[qt++] = c;
			}
		}
	}
	if (qt < g->n) {
		report_cycle(g, done, dg);
	}
	free(done);
	free(queue);
	free(indeg);
	if (dg->nerrors) {
		return MIG_ERROR;
	}

	propagate_labels(g);
	for (size_t i = 0; i < g->n; i++) {
		const struct mig_revision *r = NODE(g, i);
		if (mig_revision_is_head(r)) {
			mig_vec_push(&g->heads, r);
		}
		if (mig_revision_is_real_head(r)) {
			mig_vec_push(&g->real_heads, r);
		}
		if (mig_revision_is_base(r)) {
			mig_vec_push(&g->bases, r);
		}
	}
	return 0;
}

/* One share of the files to read and parse: a range of graph nodes. Each
 * share has its own arena, buffer and diagnostics, so shares can run on
 * threads (the parsers touch no global state). */
struct load_job {
	struct mig_revgraph *g;
	const char *file_template;
	const char *const *names; /* per node */
	const int *dfd;           /* per node: the open folder */
	const char *const *dir;   /* per node: the folder's path */
	size_t from, to;
	bool keep_text;
	struct mig_arena arena;
	struct mig_diags dg;
};

static void load_range(struct load_job *j)
{
	char *buf = NULL;
	size_t cap = 0;
	for (size_t k = j->from; k < j->to; k++) {
		const char *name = j->names[k], *dir = j->dir[k];
		struct mig_revision *r = NODE(j->g, k);
		size_t dl = strlen(dir), nl = strlen(name);
		bool slash = dl && dir[dl - 1] == '/';
		char *path = mig_arena_alloc(&j->arena, dl + 1 + nl + 1);
		memcpy(path, dir, dl);
		if (!slash) {
			path[dl++] = '/';
		}
		memcpy(path + dl, name, nl + 1);
		size_t len = 0;
		int e = read_at(j->dfd[k], name, &buf, &cap, &len);
		if (e) {
			memset(r, 0, sizeof(*r));
			mig_diags_addf(&j->dg, path, 0, 0, "cannot read: %s", strerror(e));
		} else if (mig_revision_parse_into(path, buf, len, &j->arena, &j->dg, r) == 0 &&
			   !mig_revision_name_matches(j->file_template, name, r->id)) {
			diag_at(&j->dg, &r->pos_revision, path,
				"revision '%s' does not match the file name '%s'", r->id, name);
		}
		r->index = k;
		r->path = path;
		if (!e && j->keep_text) {
			r->text = mig_arena_strndup(&j->arena, buf, len);
			r->text_len = len;
		}
	}
	free(buf);
}

static void *load_thread(void *arg)
{
	load_range(arg);
	mig_error_clear(); /* the thread's own error (none is set) dies with it */
	return NULL;
}

/* Files per thread below which a second thread costs more than it saves. */
#define LOAD_THREAD_MIN 256

static int load_dirs(struct mig_revgraph **out, const struct mig_strlist *dirs,
		     const char *file_template, bool keep_text)
{
	static const char *const suffixes[] = { ".yaml", NULL };
	struct mig_revgraph *g = xcalloc(1, sizeof(*g));
	struct mig_strlist *names = xcalloc(dirs->n ? dirs->n : 1, sizeof(*names));
	int *dfds = xcalloc(dirs->n ? dirs->n : 1, sizeof(*dfds));
	const char **flat = NULL, **dirof = NULL;
	int *dfdof = NULL;
	struct load_job jobs[2];
	size_t njobs = 0;
	struct mig_diags dg = MIG_DIAGS_INIT;
	int rc = MIG_ERROR;

	for (size_t d = 0; d < dirs->n; d++) {
		dfds[d] = -1;
	}
	for (size_t d = 0; d < dirs->n; d++) {
		mig_strlist_push(&g->dirs, dirs->v[d]);
		if (mig_dir_list(dirs->v[d], suffixes, &names[d]) < 0) {
			goto done;
		}
		dfds[d] = open(dirs->v[d], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfds[d] < 0) {
			mig_error(MIG_ECLASS_OS, "cannot open directory '%s': %s", dirs->v[d],
				  strerror(errno));
			goto done;
		}
		g->n += names[d].n;
	}
	g->nodes = xcalloc(g->n ? g->n : 1, sizeof(*g->nodes));
	flat = xcalloc(g->n ? g->n : 1, sizeof(*flat));
	dirof = xcalloc(g->n ? g->n : 1, sizeof(*dirof));
	dfdof = xcalloc(g->n ? g->n : 1, sizeof(*dfdof));
	for (size_t d = 0, k = 0; d < dirs->n; d++) {
		for (size_t i = 0; i < names[d].n; i++, k++) {
			flat[k] = names[d].v[i];
			dirof[k] = dirs->v[d];
			dfdof[k] = dfds[d];
		}
	}

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	njobs = ncpu >= 2 && g->n >= 2 * LOAD_THREAD_MIN ? 2 : 1;
	for (size_t t = 0; t < njobs; t++) {
		struct load_job *j = &jobs[t];
		memset(j, 0, sizeof(*j));
		j->g = g;
		j->file_template = file_template;
		j->names = flat;
		j->dfd = dfdof;
		j->dir = dirof;
		j->from = g->n * t / njobs;
		j->to = g->n * (t + 1) / njobs;
		j->keep_text = keep_text;
	}
	pthread_t th;
	bool threaded = njobs == 2 && pthread_create(&th, NULL, load_thread, &jobs[1]) == 0;
	load_range(&jobs[0]);
	if (threaded) {
		pthread_join(th, NULL);
	} else if (njobs == 2) {
		load_range(&jobs[1]);
	}
	size_t nerrors = 0;
	for (size_t t = 0; t < njobs; t++) {
		nerrors += jobs[t].dg.nerrors;
	}
	if (nerrors) {
		/* read again in one pass, so the messages come in file order */
		for (size_t t = 0; t < njobs; t++) {
			mig_diags_release(&jobs[t].dg);
			mig_arena_release(&jobs[t].arena);
		}
		njobs = 1;
		memset(&jobs[0].dg, 0, sizeof(jobs[0].dg));
		jobs[0].from = 0;
		jobs[0].to = g->n;
		load_range(&jobs[0]);
		mig_diags_finish(&jobs[0].dg);
		goto done;
	}
	if (link_graph(g, &dg) < 0) {
		mig_diags_finish(&dg);
		goto done;
	}
	*out = g;
	g = NULL;
	rc = 0;
done:
	for (size_t t = 0; t < njobs; t++) {
		mig_diags_release(&jobs[t].dg);
		if (g) {
			mig_arena_release(&jobs[t].arena);
		} else {
			/* the strings stay with the graph */
			(*out)->job_arenas[t] = jobs[t].arena;
		}
	}
	for (size_t d = 0; d < dirs->n; d++) {
		mig_strlist_release(&names[d]);
		if (dfds[d] >= 0) {
			close(dfds[d]);
		}
	}
	free(names);
	free(dfds);
	free(flat);
	free(dirof);
	free(dfdof);
	mig_diags_release(&dg);
	mig_revgraph_free(g);
	return rc;
}

int mig_revgraph_load(struct mig_revgraph **out, const struct mig_strlist *dirs,
		      const char *file_template)
{
	return load_dirs(out, dirs, file_template, false);
}

static int load_config(struct mig_revgraph **out, const struct mig_config *cfg, bool keep_text)
{
	struct mig_strlist dirs = MIG_STRLIST_INIT;
	mig_strlist_push_owned(&dirs, mig_config_versions_dir(cfg));
	int rc = load_dirs(out, &dirs, cfg->file_template, keep_text);
	mig_strlist_release(&dirs);
	return rc;
}

int mig_revgraph_load_config(struct mig_revgraph **out, const struct mig_config *cfg)
{
	return load_config(out, cfg, false);
}

int mig_revgraph_load_config_text(struct mig_revgraph **out, const struct mig_config *cfg)
{
	return load_config(out, cfg, true);
}

/* ---- loading from memory (the revision files of a git tree) ---- */

int mig_revgraph_load_blobs(struct mig_revgraph **out, const struct mig_revblob *files, size_t n,
			    const char *file_template)
{
	struct mig_revgraph *g = xcalloc(1, sizeof(*g));
	struct mig_diags dg = MIG_DIAGS_INIT;
	struct mig_arena *a = &g->job_arenas[0];
	char *text = NULL;
	int rc = MIG_ERROR;

	g->n = n;
	g->nodes = xcalloc(n ? n : 1, sizeof(*g->nodes));
	for (size_t k = 0; k < n; k++) {
		struct mig_revision *r = NODE(g, k);
		const char *path = mig_arena_strdup(a, files[k].path);
		const char *slash = strrchr(path, '/');
		const char *name = slash ? slash + 1 : path;
		/* the parser wants the text NUL-terminated; a blob is not */
		text = xrealloc(text, files[k].len + 1);
		memcpy(text, files[k].text, files[k].len);
		text[files[k].len] = '\0';
		if (mig_revision_parse_into(path, text, files[k].len, a, &dg, r) == 0 &&
		    !mig_revision_name_matches(file_template, name, r->id)) {
			diag_at(&dg, &r->pos_revision, path,
				"revision '%s' does not match the file name '%s'", r->id, name);
		}
		r->index = k;
		r->path = path;
	}
	if (dg.nerrors || link_graph(g, &dg) < 0) {
		mig_diags_finish(&dg);
		goto done;
	}
	*out = g;
	g = NULL;
	rc = 0;
done:
	free(text);
	mig_diags_release(&dg);
	mig_revgraph_free(g);
	return rc;
}

void mig_revgraph_free(struct mig_revgraph *g)
{
	if (!g) {
		return;
	}
	mig_arena_release(&g->arena);
	mig_arena_release(&g->job_arenas[0]);
	mig_arena_release(&g->job_arenas[1]);
	free(g->nodes);
	mig_strmap_release(&g->ids);
	mig_strmap_release(&g->labels);
	mig_strlist_release(&g->dirs);
	mig_revlist_release(&g->heads);
	mig_revlist_release(&g->real_heads);
	mig_revlist_release(&g->bases);
	free(g);
}

const struct mig_strlist *mig_revgraph_dirs(const struct mig_revgraph *g)
{
	return &g->dirs;
}

size_t mig_revgraph_count(const struct mig_revgraph *g)
{
	return g->n;
}

const struct mig_revision *mig_revgraph_at(const struct mig_revgraph *g, size_t i)
{
	return i < g->n ? NODE(g, i) : NULL;
}

const struct mig_revision *mig_revgraph_get(const struct mig_revgraph *g, const char *id)
{
	return mig_strmap_get(&g->ids, id);
}

const struct mig_revision *mig_revgraph_label(const struct mig_revgraph *g, const char *label)
{
	return mig_strmap_get(&g->labels, label);
}

static void copy_list(struct mig_revlist *out, const struct mig_revlist *in)
{
	for (size_t i = 0; i < in->n; i++) {
		mig_vec_push(out, in->v[i]);
	}
}

void mig_revgraph_heads(const struct mig_revgraph *g, bool real, struct mig_revlist *out)
{
	copy_list(out, real ? &g->real_heads : &g->heads);
}

void mig_revgraph_bases(const struct mig_revgraph *g, struct mig_revlist *out)
{
	copy_list(out, &g->bases);
}

/* ---- sets and orders ---- */

/* A set of revisions: one byte per revision. */
static unsigned char *set_new(const struct mig_revgraph *g)
{
	return xcalloc(g->n ? g->n : 1, 1);
}

/* Add the revisions of list and everything reachable from them to set:
 * upwards (down) their ancestors by down_revision, and by depends_on when
 * deps; else their descendants by children, and by dependents when deps. */
static void add_reachable(const struct mig_revgraph *g, unsigned char *set,
			  const struct mig_revision *const *list, size_t n, bool deps, bool down)
{
	size_t *stack = xmalloc((g->n ? g->n : 1) * sizeof(*stack));
	size_t sp = 0;
	for (size_t i = 0; i < n; i++) {
		if (!set[list[i]->index]) {
			set[list[i]->index] = 1;
			stack[sp++] = list[i]->index;
		}
	}
	while (sp) {
		const struct mig_revision *r = NODE(g, stack[--sp]);
		/* deps follow parents, dependents follow children */
		struct mig_revision **next = down ? r->parents : r->children;
		size_t nn = down ? r->ndown + (deps ? r->ndeps : 0)
				 : r->nchildren + (deps ? r->ndependents : 0);
		for (size_t k = 0; k < nn; k++) {
			size_t x = next[k]->index;
			if (!set[x]) {
				set[x] = 1;
				stack[sp++] = x;
			}
		}
	}
	free(stack);
}

static void add_ancestors(const struct mig_revgraph *g, unsigned char *set,
			  const struct mig_revision *const *list, size_t n, bool deps)
{
	add_reachable(g, set, list, n, deps, true);
}

static void add_descendants(const struct mig_revgraph *g, unsigned char *set,
			    const struct mig_revision *const *list, size_t n, bool deps)
{
	add_reachable(g, set, list, n, deps, false);
}

/* The revisions of set in history order: a revision comes out once all its
 * children and dependents in the set have; among those ready, the one made
 * ready last goes first, so the output follows one branch down until it
 * meets a revision another branch still needs (Alembic's topological sort,
 * in linear time). Ties start in file order. */
static void history_order(const struct mig_revgraph *g, const unsigned char *set,
			  struct mig_revlist *out)
{
	size_t *pending = xcalloc(g->n ? g->n : 1, sizeof(*pending));
	size_t *stack = xmalloc((g->n ? g->n : 1) * sizeof(*stack));
	size_t sp = 0;
	for (size_t i = 0; i < g->n; i++) {
		if (!set[i]) {
			continue;
		}
		const struct mig_revision *r = NODE(g, i);
		for (size_t k = 0; k < r->nchildren + r->ndependents; k++) {
			if (set[r->children[k]->index]) {
				pending[i]++;
			}
		}
	}
	for (size_t i = g->n; i > 0; i--) {
		if (set[i - 1] && !pending[i - 1]) {
			stack[sp++] = i - 1;
		}
	}
	while (sp) {
		const struct mig_revision *r = NODE(g, stack[--sp]);
		mig_vec_push(out, r);
		/* push in reverse so the first down_revision is taken next */
		for (size_t k = r->ndown + r->ndeps; k > 0; k--) {
			size_t p = r->parents[k - 1]->index;
			if (set[p] && --pending[p] == 0) {
				stack[sp++] = p;
			}
		}
	}
	free(stack);
	free(pending);
}

void mig_revgraph_walk(const struct mig_revgraph *g, struct mig_revlist *out)
{
	unsigned char *all = set_new(g);
	memset(all, 1, g->n);
	history_order(g, all, out);
	free(all);
}

/* ---- targets ---- */

static void join_ids(struct mig_str *s, const struct mig_revlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		mig_str_addf(s, "%s%s", i ? ", " : "", l->v[i]->id);
	}
}

static int multihead_error(const char *what, const struct mig_revlist *heads)
{
	struct mig_str s = MIG_STR_INIT;
	join_ids(&s, heads);
	mig_error_code(MIG_EMULTIHEAD, MIG_ECLASS_USAGE,
		       "multiple heads are present for '%s': %s; use 'heads', '<label>@head' or a "
		       "revision id, or merge them with 'migrate merge heads'",
		       what, s.buf);
	mig_str_release(&s);
	return MIG_EMULTIHEAD;
}

/* The revisions that share a line of descent with b: its ancestors and its
 * descendants by down_revision (and b). */
static unsigned char *lineage(const struct mig_revgraph *g, const struct mig_revision *b)
{
	unsigned char *set = set_new(g);
	add_ancestors(g, set, &b, 1, false);
	unsigned char *down = set_new(g);
	add_descendants(g, down, &b, 1, false);
	for (size_t i = 0; i < g->n; i++) {
		set[i] |= down[i];
	}
	free(down);
	return set;
}

/* A symbol: an exact id, an exact label (when allow_label), or a prefix of
 * at least four characters; with lin, prefix candidates outside it are
 * ignored. */
static int find_revision(const struct mig_revgraph *g, const char *sym, bool allow_label,
			 const unsigned char *lin, const struct mig_revision **out)
{
	const struct mig_revision *r = mig_strmap_get(&g->ids, sym);
	if (r) {
		*out = r;
		return 0;
	}
	if (allow_label && (r = mig_strmap_get(&g->labels, sym))) {
		*out = r;
		return 0;
	}
	size_t len = strlen(sym);
	if (len < 4) {
		return mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_USAGE,
				      "no such revision or branch '%s' (a partial revision id "
				      "needs at least four characters)",
				      sym);
	}
	struct mig_revlist found = MIG_REVLIST_INIT;
	for (size_t i = 0; i < g->n; i++) {
		if (strncmp(NODE(g, i)->id, sym, len) == 0 && (!lin || lin[i])) {
			mig_vec_push(&found, NODE(g, i));
		}
	}
	int rc = 0;
	if (found.n == 0) {
		rc = mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_USAGE,
				    "no such revision or branch '%s'", sym);
	} else if (found.n > 1) {
		struct mig_str s = MIG_STR_INIT;
		join_ids(&s, &found);
		rc = mig_error_code(MIG_EAMBIGUOUS, MIG_ECLASS_USAGE,
				    "multiple revisions start with '%s': %s", sym, s.buf);
		mig_str_release(&s);
	} else {
		*out = found.v[0];
	}
	mig_revlist_release(&found);
	return rc;
}

struct target {
	char *branch;       /* before '@', or NULL */
	char *symbol;       /* NULL or "" when only a relative part */
	bool relative;
	long steps;         /* with relative: +N or -N */
	const struct mig_revision *branch_rev; /* the revision branch names */
	unsigned char *lin; /* lineage of branch_rev */
};

static void target_release(struct target *t)
{
	free(t->branch);
	free(t->symbol);
	free(t->lin);
}

static bool is_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_') {
			return false;
		}
	}
	return true;
}

static bool exact_name(const struct mig_revgraph *g, const char *s)
{
	return mig_strmap_get(&g->ids, s) || mig_strmap_get(&g->labels, s);
}

static int parse_target(const struct mig_revgraph *g, const char *text, struct target *t)
{
	memset(t, 0, sizeof(*t));
	if (!*text) {
		return mig_error(MIG_ECLASS_USAGE, "empty revision target");
	}
	const char *rest = text;
	const char *at = exact_name(g, text) ? NULL : strchr(text, '@');
	if (at) {
		if (at == text || !at[1]) {
			return mig_error(MIG_ECLASS_USAGE, "invalid revision target '%s'", text);
		}
		t->branch = xstrndup(text, (size_t)(at - text));
		rest = at + 1;
		const struct mig_revision *b = mig_strmap_get(&g->labels, t->branch);
		if (!b) {
			b = mig_strmap_get(&g->ids, t->branch);
		}
		if (!b && strlen(t->branch) >= 4) {
			int rc = find_revision(g, t->branch, false, NULL, &b);
			if (rc == MIG_EAMBIGUOUS) {
				return rc;
			}
		}
		if (!b) {
			return mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_USAGE,
					      "no such branch '%s'", t->branch);
		}
		t->branch_rev = b;
		t->lin = lineage(g, b);
	}
	/* [symbol](+|-)digits, unless rest is exactly a name */
	if (!exact_name(g, rest)) {
		size_t n = strlen(rest);
		size_t d = n;
		while (d > 0 && isdigit((unsigned char)rest[d - 1])) {
			d--;
		}
		if (d < n && d > 0 && (rest[d - 1] == '+' || rest[d - 1] == '-') &&
		    is_word(rest, d - 1)) {
			errno = 0;
			long v = strtol(rest + d, NULL, 10);
			if (errno || v > 1000000) {
				return mig_error(MIG_ECLASS_USAGE, "invalid relative target '%s'",
						 text);
			}
			t->relative = true;
			t->steps = rest[d - 1] == '-' ? -v : v;
			t->symbol = xstrndup(rest, d - 1);
			return 0;
		}
	}
	t->symbol = xstrdup(rest);
	return 0;
}

/* Heads by down_revision within the branch (all of them without one). */
static void branch_heads(const struct mig_revgraph *g, const struct target *t,
			 struct mig_revlist *out)
{
	for (size_t i = 0; i < g->heads.n; i++) {
		if (!t->lin || t->lin[g->heads.v[i]->index]) {
			mig_vec_push(out, g->heads.v[i]);
		}
	}
}

/* A symbol that stands for one revision or base (*out NULL). */
static int resolve_symbol_one(const struct mig_revgraph *g, const struct target *t,
			      const char *text, const struct mig_revision **out)
{
	const char *sym = t->symbol;
	*out = NULL;
	if (strcmp(sym, "base") == 0) {
		return 0;
	}
	if (strcmp(sym, "head") == 0 || strcmp(sym, "heads") == 0) {
		struct mig_revlist h = MIG_REVLIST_INIT;
		branch_heads(g, t, &h);
		int rc = 0;
		if (h.n > 1) {
			rc = multihead_error(text, &h);
		} else if (h.n == 1) {
			*out = h.v[0];
		}
		mig_revlist_release(&h);
		return rc;
	}
	int rc = find_revision(g, sym, !t->branch, t->lin, out);
	if (rc < 0) {
		return rc;
	}
	if (t->lin && !t->lin[(*out)->index]) {
		return mig_error(MIG_ECLASS_USAGE, "revision '%s' is not a member of branch '%s'",
				 (*out)->id, t->branch);
	}
	return 0;
}

/* Walk steps up (children) or down (parents) from start (NULL: base). With
 * clamp, stop at the ends instead of failing. */
static int walk(const struct mig_revgraph *g, const struct mig_revision *start, long steps,
		const unsigned char *lin, bool clamp, const char *text,
		const struct mig_revision **out)
{
	const struct mig_revision *cur = start;
	bool at_base = start == NULL;
	long done = 0;
	long want = steps < 0 ? -steps : steps;
	for (; done < want; done++) {
		if (steps > 0) {
			struct mig_revlist next = MIG_REVLIST_INIT;
			if (at_base) {
				for (size_t i = 0; i < g->bases.n; i++) {
					if (!lin || lin[g->bases.v[i]->index]) {
						mig_vec_push(&next, g->bases.v[i]);
					}
				}
			} else {
				for (size_t i = 0; i < cur->nchildren; i++) {
					if (!lin || lin[cur->children[i]->index]) {
						mig_vec_push(&next, cur->children[i]);
					}
				}
			}
			if (next.n == 0) {
				mig_revlist_release(&next);
				if (clamp) {
					break;
				}
				if (at_base || start == NULL) {
					return mig_error(MIG_ECLASS_USAGE,
							 "relative target '%s' goes past the head: "
							 "only %ld step(s) up from base",
							 text, done);
				}
				return mig_error(MIG_ECLASS_USAGE,
						 "relative target '%s' goes past the head: only "
						 "%ld step(s) up from '%s'",
						 text, done, start->id);
			}
			if (next.n > 1) {
				struct mig_str s = MIG_STR_INIT;
				join_ids(&s, &next);
				mig_revlist_release(&next);
				if (at_base) {
					mig_error(MIG_ECLASS_USAGE,
						  "relative target '%s' is ambiguous: there are "
						  "several bases (%s); use '<label>@+N' or "
						  "'<id>+N'",
						  text, s.buf);
				} else {
					mig_error(MIG_ECLASS_USAGE,
						  "relative target '%s' is ambiguous: '%s' is a "
						  "branch point (%s); use '<label>@+N' or "
						  "'<id>+N'",
						  text, cur->id, s.buf);
				}
				mig_str_release(&s);
				return MIG_ERROR;
			}
			cur = next.v[0];
			at_base = false;
			mig_revlist_release(&next);
		} else {
			if (at_base) {
				if (clamp) {
					break;
				}
				return mig_error(MIG_ECLASS_USAGE,
						 "relative target '%s' goes past the base: only "
						 "%ld step(s) down from '%s'",
						 text, done, start->id);
			}
			if (cur->ndown > 1) {
				return mig_error(MIG_ECLASS_USAGE,
						 "relative target '%s' is ambiguous: '%s' is a "
						 "merge point; use '<id>-N' from one of its down "
						 "revisions",
						 text, cur->id);
			}
			if (cur->ndown == 0) {
				at_base = true;
				cur = NULL;
			} else {
				cur = cur->parents[0];
			}
		}
	}
	*out = at_base ? NULL : cur;
	return 0;
}

static int need_current(const char *text)
{
	return mig_error(MIG_ECLASS_USAGE, "target '%s' needs the database's current revision",
			 text);
}

static int resolve_parsed(const struct mig_revgraph *g, struct target *t, const char *text,
			  const struct mig_revlist *current, bool clamp, struct mig_revlist *out)
{
	const struct mig_revision *r = NULL;
	int rc;
	if (!t->relative) {
		const char *sym = t->symbol;
		if (strcmp(sym, "heads") == 0) {
			const struct mig_revlist *h = t->lin ? &g->heads : &g->real_heads;
			for (size_t i = 0; i < h->n; i++) {
				if (!t->lin || t->lin[h->v[i]->index]) {
					mig_vec_push(out, h->v[i]);
				}
			}
			return 0;
		}
		if (strcmp(sym, "current") == 0) {
			if (!current) {
				return need_current(text);
			}
			copy_list(out, current);
			return 0;
		}
		rc = resolve_symbol_one(g, t, text, &r);
		if (rc < 0) {
			return rc;
		}
		if (r) {
			mig_vec_push(out, r);
		}
		return 0;
	}

	const struct mig_revision *start = NULL;
	if (t->symbol && *t->symbol) {
		rc = resolve_symbol_one(g, t, text, &start);
		if (rc < 0) {
			return rc;
		}
	} else {
		/* relative to the current heads (the graph's without a database) */
		struct mig_revlist from = MIG_REVLIST_INIT;
		const struct mig_revlist *cur = current ? current : &g->heads;
		for (size_t i = 0; i < cur->n; i++) {
			if (!t->lin || t->lin[cur->v[i]->index]) {
				mig_vec_push(&from, cur->v[i]);
			}
		}
		if (t->lin && from.n == 0 && t->steps > 0) {
			/* the branch is not applied at its head: start from the
			 * highest applied revision on it, or base */
			unsigned char *applied = set_new(g);
			add_ancestors(g, applied, cur->v, cur->n, true);
			for (size_t i = 0; i < g->n; i++) {
				if (!applied[i] || !t->lin[i]) {
					continue;
				}
				bool tip = true;
				const struct mig_revision *x = NODE(g, i);
				for (size_t c = 0; c < x->nchildren && tip; c++) {
					size_t ci = x->children[c]->index;
					tip = !(applied[ci] && t->lin[ci]);
				}
				if (tip) {
					mig_vec_push(&from, x);
				}
			}
			free(applied);
		}
		if (from.n > 1) {
			struct mig_str s = MIG_STR_INIT;
			join_ids(&s, &from);
			mig_error(MIG_ECLASS_USAGE,
				  "relative target '%s' is ambiguous: there are several current "
				  "heads (%s); use '<label>@%+ld' or '<id>%+ld'",
				  text, s.buf, t->steps, t->steps);
			mig_str_release(&s);
			mig_revlist_release(&from);
			return MIG_ERROR;
		}
		start = from.n ? from.v[0] : NULL;
		mig_revlist_release(&from);
		if (!start && t->steps < 0) {
			if (clamp) {
				return 0;
			}
			return mig_error(MIG_ECLASS_USAGE,
					 "relative target '%s' goes past the base: nothing is "
					 "applied",
					 text);
		}
	}
	rc = walk(g, start, t->steps, t->steps > 0 ? t->lin : NULL, clamp, text, &r);
	if (rc < 0) {
		return rc;
	}
	if (r) {
		mig_vec_push(out, r);
	}
	return 0;
}

static int resolve_ex(const struct mig_revgraph *g, const char *text,
		      const struct mig_revlist *current, bool clamp, struct mig_revlist *out,
		      char **branch_out)
{
	struct target t;
	int rc = parse_target(g, text, &t);
	if (rc == 0) {
		rc = resolve_parsed(g, &t, text, current, clamp, out);
	}
	if (rc == 0 && branch_out) {
		*branch_out = t.branch;
		t.branch = NULL;
	}
	target_release(&t);
	return rc;
}

int mig_revgraph_resolve(const struct mig_revgraph *g, const char *target,
			 const struct mig_revlist *current, struct mig_revlist *out)
{
	struct mig_revlist tmp = MIG_REVLIST_INIT;
	int rc = resolve_ex(g, target, current, false, &tmp, NULL);
	if (rc == 0) {
		for (size_t i = 0; i < tmp.n; i++) {
			revlist_add_unique(out, tmp.v[i]);
		}
	}
	mig_revlist_release(&tmp);
	return rc;
}

int mig_revgraph_resolve_one(const struct mig_revgraph *g, const char *target,
			     const struct mig_revlist *current, const struct mig_revision **out)
{
	struct mig_revlist l = MIG_REVLIST_INIT;
	int rc = mig_revgraph_resolve(g, target, current, &l);
	if (rc == 0) {
		if (l.n > 1) {
			rc = multihead_error(target, &l);
		} else {
			*out = l.n ? l.v[0] : NULL;
		}
	}
	mig_revlist_release(&l);
	return rc;
}

int mig_revgraph_current(const struct mig_revgraph *g, const struct mig_strlist *ids,
			 struct mig_revlist *out)
{
	for (size_t i = 0; i < ids->n; i++) {
		const struct mig_revision *r = mig_strmap_get(&g->ids, ids->v[i]);
		if (!r) {
			return mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_FILE,
					      "the database is at revision '%s', which no revision "
					      "file defines",
					      ids->v[i]);
		}
		revlist_add_unique(out, r);
	}
	return 0;
}

/* ---- history ranges ---- */

static bool has_label(const struct mig_revision *r, const char *label)
{
	for (size_t l = 0; l < r->nlabels; l++) {
		if (strcmp(r->labels[l], label) == 0) {
			return true;
		}
	}
	return false;
}


int mig_revgraph_split_range(const char *range, char **from, char **to)
{
	const char *c = strchr(range, ':');
	if (!c) {
		return mig_error(MIG_ECLASS_USAGE,
				 "invalid range '%s': write [start]:[end], [start]: or :[end]",
				 range);
	}
	*from = c > range ? xstrndup(range, (size_t)(c - range)) : NULL;
	*to = c[1] ? xstrdup(c + 1) : NULL;
	return 0;
}

static bool is_bare_relative(const char *s)
{
	const char *p = strchr(s, '@');
	p = p ? p + 1 : s;
	if (*p != '+' && *p != '-') {
		return false;
	}
	p++;
	if (!*p) {
		return false;
	}
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			return false;
		}
	}
	return true;
}

int mig_revgraph_history(const struct mig_revgraph *g, const char *range,
			 const struct mig_revlist *current, struct mig_revlist *out)
{
	char *lo = NULL, *hi = NULL, *lo_branch = NULL;
	struct mig_revlist lower = MIG_REVLIST_INIT, upper = MIG_REVLIST_INIT;
	unsigned char *need = NULL;
	int rc = MIG_ERROR;
	if (!range) {
		mig_revgraph_walk(g, out);
		return 0;
	}
	if (mig_revgraph_split_range(range, &lo, &hi) < 0) {
		goto done;
	}
	const char *los = lo ? lo : "base", *his = hi ? hi : "heads";
	bool lo_rel = is_bare_relative(los), hi_rel = is_bare_relative(his);
	if (lo_rel && hi_rel) {
		mig_error(MIG_ECLASS_USAGE,
			  "invalid range '%s': at most one side may be relative to the other",
			  range);
		goto done;
	}
	if (hi_rel) {
		if (resolve_ex(g, los, current, true, &lower, &lo_branch) < 0 ||
		    resolve_ex(g, his, &lower, true, &upper, NULL) < 0) {
			goto done;
		}
	} else {
		if (resolve_ex(g, his, current, true, &upper, NULL) < 0 ||
		    resolve_ex(g, los, lo_rel ? &upper : current, true, &lower, &lo_branch) < 0) {
			goto done;
		}
	}
	need = set_new(g);
	add_ancestors(g, need, upper.v, upper.n, true);
	for (size_t i = 0; i < lower.n; i++) {
		if (!need[lower.v[i]->index]) {
			struct mig_str s = MIG_STR_INIT;
			join_ids(&s, &upper);
			mig_error(MIG_ECLASS_USAGE, "revision '%s' is not an ancestor of %s%s%s",
				  lower.v[i]->id, upper.n ? "'" : "", upper.n ? s.buf : "base",
				  upper.n ? "'" : "");
			mig_str_release(&s);
			goto done;
		}
	}
	if (lower.n) {
		unsigned char *below = set_new(g);
		add_ancestors(g, below, lower.v, lower.n, true);
		unsigned char *above = set_new(g);
		add_descendants(g, above, lower.v, lower.n, false);
		for (size_t i = 0; i < g->n; i++) {
			need[i] = need[i] && !below[i] && above[i];
		}
		for (size_t i = 0; i < lower.n; i++) {
			need[lower.v[i]->index] = 1;
		}
		free(above);
		free(below);
	} else if (lo_branch) {
		/* <label>@base: only the revisions of that branch (a revision id
		 * standing for the branch: its line of descent) */
		const struct mig_revision *b = NULL;
		unsigned char *lin = NULL;
		bool is_label = mig_revgraph_label(g, lo_branch) != NULL;
		if (!is_label) {
			if (find_revision(g, lo_branch, false, NULL, &b) < 0) {
				goto done;
			}
			lin = lineage(g, b);
		}
		for (size_t i = 0; i < g->n; i++) {
			bool on = is_label ? has_label(NODE(g, i), lo_branch) : lin[i];
			need[i] = need[i] && on;
		}
		free(lin);
	}
	history_order(g, need, out);
	rc = 0;
done:
	free(need);
	free(lo);
	free(hi);
	free(lo_branch);
	mig_revlist_release(&lower);
	mig_revlist_release(&upper);
	return rc;
}

/* ---- upgrade and downgrade ---- */

static void reverse(struct mig_revlist *l)
{
	for (size_t i = 0, j = l->n; i + 1 < j; i++, j--) {
		const struct mig_revision *t = l->v[i];
		l->v[i] = l->v[j - 1];
		l->v[j - 1] = t;
	}
}

int mig_revgraph_upgrade_revs(const struct mig_revgraph *g, const struct mig_revlist *current,
			      const struct mig_revlist *targets, struct mig_revlist *out)
{
	unsigned char *need = set_new(g);
	unsigned char *have = set_new(g);
	add_ancestors(g, need, targets->v, targets->n, true);
	add_ancestors(g, have, current->v, current->n, true);
	for (size_t i = 0; i < g->n; i++) {
		need[i] = need[i] && !have[i];
	}
	struct mig_revlist order = MIG_REVLIST_INIT;
	history_order(g, need, &order);
	reverse(&order);
	copy_list(out, &order);
	mig_revlist_release(&order);
	free(have);
	free(need);
	return 0;
}

int mig_revgraph_downgrade_revs(const struct mig_revgraph *g, const struct mig_revlist *current,
				const struct mig_revision *target, const char *branch,
				struct mig_revlist *out)
{
	unsigned char *active = set_new(g);
	unsigned char *drop = set_new(g);
	struct mig_revlist roots = MIG_REVLIST_INIT;
	int rc = MIG_ERROR;
	const struct mig_revision *branch_rev = NULL;
	if (branch) {
		branch_rev = mig_revgraph_label(g, branch);
		if (!branch_rev) {
			branch_rev = mig_revgraph_get(g, branch);
		}
		if (!branch_rev) {
			mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_USAGE, "no such branch '%s'",
				       branch);
			goto done;
		}
	}
	add_ancestors(g, active, current->v, current->n, true);
	if (!target) {
		for (size_t i = 0; i < g->n; i++) {
			const struct mig_revision *r = NODE(g, i);
			if (!branch_rev) {
				mig_vec_push(&roots, r);
			} else if (mig_revgraph_label(g, branch) ? has_label(r, branch)
							       : r == branch_rev) {
				mig_vec_push(&roots, r);
			}
		}
	} else {
		for (size_t i = 0; i < target->nchildren; i++) {
			mig_vec_push(&roots, target->children[i]);
		}
		if (branch_rev && roots.n > 1) {
			unsigned char *anc = set_new(g);
			add_ancestors(g, anc, &branch_rev, 1, false);
			size_t k = 0;
			for (size_t i = 0; i < roots.n; i++) {
				if (anc[roots.v[i]->index]) {
					roots.v[k++] = roots.v[i];
				}
			}
			roots.n = k;
			free(anc);
			if (!roots.n) {
				mig_error(MIG_ECLASS_USAGE,
					  "'%s@%s' is not a valid downgrade target from the "
					  "current head(s)",
					  branch, target->id);
				goto done;
			}
		}
	}
	add_descendants(g, drop, roots.v, roots.n, true);
	bool any = false;
	for (size_t i = 0; i < g->n; i++) {
		drop[i] = drop[i] && active[i];
		any = any || drop[i];
	}
	if (target && !any && !mig_revlist_has(current, target)) {
		struct mig_str s = MIG_STR_INIT;
		join_ids(&s, current);
		mig_error(MIG_ECLASS_USAGE,
			  "revision '%s' is not a valid downgrade target from the current head(s) "
			  "(%s)",
			  target->id, current->n ? s.buf : "base");
		mig_str_release(&s);
		goto done;
	}
	history_order(g, drop, out);
	rc = 0;
done:
	mig_revlist_release(&roots);
	free(drop);
	free(active);
	return rc;
}

void mig_plan_release(struct mig_plan *p)
{
	for (size_t i = 0; i < p->steps.n; i++) {
		mig_revlist_release(&p->steps.v[i].del);
		mig_revlist_release(&p->steps.v[i].ins);
	}
	mig_vec_free(&p->steps);
	mig_revlist_release(&p->heads);
}

static void list_remove(struct mig_revlist *l, const struct mig_revision *r)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i] == r) {
			memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(l->v[0]));
			l->n--;
			return;
		}
	}
}

int mig_revgraph_plan_upgrade(const struct mig_revgraph *g, const struct mig_revlist *current,
			      const char *target, struct mig_plan *out)
{
	struct mig_revlist targets = MIG_REVLIST_INIT, revs = MIG_REVLIST_INIT;
	int rc = mig_revgraph_resolve(g, target, current, &targets);
	if (rc < 0) {
		goto done;
	}
	mig_revgraph_upgrade_revs(g, current, &targets, &revs);
	copy_list(&out->heads, current);
	for (size_t i = 0; i < revs.n; i++) {
		const struct mig_revision *r = revs.v[i];
		struct mig_step st = { r, true, MIG_REVLIST_INIT, MIG_REVLIST_INIT };
		for (size_t k = 0; k < r->ndown; k++) {
			if (mig_revlist_has(&out->heads, r->parents[k])) {
				mig_vec_push(&st.del, r->parents[k]);
				list_remove(&out->heads, r->parents[k]);
			}
		}
		mig_vec_push(&st.ins, r);
		mig_vec_push(&out->heads, r);
		mig_vec_push(&out->steps, st);
	}
done:
	mig_revlist_release(&targets);
	mig_revlist_release(&revs);
	return rc;
}

int mig_revgraph_plan_downgrade(const struct mig_revgraph *g, const struct mig_revlist *current,
				const char *target, struct mig_plan *out)
{
	struct mig_revlist t = MIG_REVLIST_INIT, revs = MIG_REVLIST_INIT;
	char *branch = NULL;
	unsigned char *applied = NULL;
	int rc = resolve_ex(g, target, current, false, &t, &branch);
	if (rc < 0) {
		goto done;
	}
	if (t.n > 1) {
		rc = multihead_error(target, &t);
		goto done;
	}
	rc = mig_revgraph_downgrade_revs(g, current, t.n ? t.v[0] : NULL, branch, &revs);
	if (rc < 0) {
		goto done;
	}
	applied = set_new(g);
	add_ancestors(g, applied, current->v, current->n, true);
	copy_list(&out->heads, current);
	for (size_t i = 0; i < revs.n; i++) {
		const struct mig_revision *r = revs.v[i];
		struct mig_step st = { r, false, MIG_REVLIST_INIT, MIG_REVLIST_INIT };
		applied[r->index] = 0;
		if (mig_revlist_has(&out->heads, r)) {
			mig_vec_push(&st.del, r);
			list_remove(&out->heads, r);
		}
		for (size_t k = 0; k < r->ndown; k++) {
			const struct mig_revision *p = r->parents[k];
			bool covered = mig_revlist_has(&out->heads, p);
			for (size_t c = 0; c < p->nchildren && !covered; c++) {
				covered = applied[p->children[c]->index];
			}
			if (!covered) {
				mig_vec_push(&st.ins, p);
				mig_vec_push(&out->heads, p);
			}
		}
		mig_vec_push(&out->steps, st);
	}
done:
	free(applied);
	free(branch);
	mig_revlist_release(&t);
	mig_revlist_release(&revs);
	return rc;
}

void mig_revgraph_version_rows(const struct mig_revgraph *g, const struct mig_revlist *revs,
			       struct mig_revlist *out)
{
	unsigned char *applied = set_new(g);
	add_ancestors(g, applied, revs->v, revs->n, true);
	for (size_t i = 0; i < g->n; i++) {
		if (!applied[i]) {
			continue;
		}
		const struct mig_revision *r = NODE(g, i);
		bool head = true;
		for (size_t c = 0; c < r->nchildren && head; c++) {
			head = !applied[r->children[c]->index];
		}
		if (head) {
			mig_vec_push(out, r);
		}
	}
	free(applied);
}

/* ---- output ---- */

static void add_comma_list(struct mig_str *out, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mig_str_addf(out, "%s%s", i ? ", " : "", v[i]);
	}
}

static void add_down(struct mig_str *out, const struct mig_revision *r)
{
	if (!r->ndown) {
		mig_str_add(out, "<base>");
	} else {
		add_comma_list(out, r->down_revisions, r->ndown);
	}
}

static size_t first_line_len(const char *s)
{
	return strcspn(s, "\n");
}

void mig_revision_format(struct mig_str *out, const struct mig_revision *r, unsigned flags)
{
	if (flags & MIG_REVFMT_PARENTS) {
		add_down(out, r);
		if (r->ndepends_on) {
			mig_str_add(out, " (");
			add_comma_list(out, r->depends_on, r->ndepends_on);
			mig_str_addch(out, ')');
		}
		mig_str_add(out, " -> ");
	}
	mig_str_add(out, r->id);
	if ((flags & MIG_REVFMT_BRANCHES) && r->nlabels) {
		mig_str_add(out, " (");
		add_comma_list(out, r->labels, r->nlabels);
		mig_str_addch(out, ')');
	}
	if (flags & MIG_REVFMT_HEAD) {
		if (mig_revision_is_real_head(r)) {
			mig_str_add(out, " (head)");
		} else if (mig_revision_is_head(r)) {
			mig_str_add(out, " (effective head)");
		}
	}
	if (flags & MIG_REVFMT_TREE) {
		if (mig_revision_is_branch_point(r)) {
			mig_str_add(out, " (branchpoint)");
		}
		if (mig_revision_is_merge_point(r)) {
			mig_str_add(out, " (mergepoint)");
		}
	}
	if (flags & MIG_REVFMT_DOC) {
		mig_str_add(out, ", ");
		mig_str_addn(out, r->message, first_line_len(r->message));
	}
}

void mig_revision_format_entry(struct mig_str *out, const struct mig_revision *r)
{
	mig_str_addf(out, "Rev: %s", r->id);
	if (mig_revision_is_head(r)) {
		mig_str_add(out, " (head)");
	}
	if (mig_revision_is_branch_point(r)) {
		mig_str_add(out, " (branchpoint)");
	}
	if (mig_revision_is_merge_point(r)) {
		mig_str_add(out, " (mergepoint)");
	}
	mig_str_add(out, mig_revision_is_merge_point(r) ? "\nMerges: " : "\nParent: ");
	add_down(out, r);
	mig_str_addch(out, '\n');
	if (r->ndepends_on) {
		mig_str_add(out, "Also depends on: ");
		add_comma_list(out, r->depends_on, r->ndepends_on);
		mig_str_addch(out, '\n');
	}
	if (mig_revision_is_branch_point(r)) {
		mig_str_add(out, "Branches into: ");
		for (size_t i = 0; i < r->nchildren; i++) {
			mig_str_addf(out, "%s%s", i ? ", " : "", r->children[i]->id);
		}
		mig_str_addch(out, '\n');
	}
	if (r->nlabels) {
		mig_str_add(out, "Branch names: ");
		add_comma_list(out, r->labels, r->nlabels);
		mig_str_addch(out, '\n');
	}
	mig_str_addf(out, "Path: %s\n\n", r->path);
	/* the message, then the header Alembic users know from the docstring */
	const char *m = r->message;
	while (*m) {
		size_t n = first_line_len(m);
		if (n) {
			mig_str_add(out, "    ");
			mig_str_addn(out, m, n);
		}
		mig_str_addch(out, '\n');
		m += n;
		if (*m == '\n') {
			m++;
		}
	}
	mig_str_addf(out, "\n    Revision ID: %s\n    Revises:", r->id);
	if (r->ndown) {
		mig_str_addch(out, ' ');
		add_comma_list(out, r->down_revisions, r->ndown);
	}
	mig_str_addch(out, '\n');
	mig_str_addf(out, "    Create Date: %s\n", r->create_date ? r->create_date : "");
}

void mig_json_string(struct mig_str *out, const char *s)
{
	if (!s) {
		mig_str_add(out, "null");
		return;
	}
	mig_quoted_string(out, s, false);
}

static void json_strings(struct mig_str *out, const char *const *v, size_t n)
{
	mig_str_addch(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i) {
			mig_str_add(out, ", ");
		}
		mig_json_string(out, v[i]);
	}
	mig_str_addch(out, ']');
}

void mig_revision_format_json(struct mig_str *out, const struct mig_revision *r)
{
	mig_str_add(out, "{\"revision\": ");
	mig_json_string(out, r->id);
	mig_str_add(out, ", \"down_revisions\": ");
	json_strings(out, r->down_revisions, r->ndown);
	mig_str_add(out, ", \"branch_labels\": ");
	json_strings(out, r->labels, r->nlabels);
	mig_str_add(out, ", \"depends_on\": ");
	json_strings(out, r->depends_on, r->ndepends_on);
	mig_str_add(out, ", \"message\": ");
	mig_json_string(out, r->message);
	mig_str_add(out, ", \"create_date\": ");
	mig_json_string(out, r->create_date);
	mig_str_add(out, ", \"path\": ");
	mig_json_string(out, r->path);
	mig_str_addf(out, ", \"is_head\": %s, \"is_branch_point\": %s, \"is_merge_point\": %s}",
		     mig_revision_is_head(r) ? "true" : "false",
		     mig_revision_is_branch_point(r) ? "true" : "false",
		     mig_revision_is_merge_point(r) ? "true" : "false");
}

/* ---- writing a new revision ---- */

static bool same_dir(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb ? strcmp(ra, rb) == 0 : strcmp(a, b) == 0;
	free(ra);
	free(rb);
	return same;
}

/* The folder a new revision goes to. */
static int pick_dir(const struct mig_revgraph *g, const struct mig_revision_opts *o,
		    const struct mig_revlist *bases, char **out)
{
	if (o->version_path) {
		for (size_t i = 0; i < g->dirs.n; i++) {
			if (same_dir(o->version_path, g->dirs.v[i])) {
				*out = xstrdup(o->version_path);
				return 0;
			}
		}
		return mig_error(MIG_ECLASS_USAGE,
				 "version path '%s' is not one of the version folders (%s%s)",
				 o->version_path, g->dirs.n ? g->dirs.v[0] : "",
				 g->dirs.n > 1 ? ", …" : "");
	}
	if (g->dirs.n > 1 && bases->n) {
		*out = mig_path_dirname(bases->v[0]->path);
		return 0;
	}
	if (!g->dirs.n) {
		return mig_error(MIG_ECLASS_USAGE, "no version folder to write to");
	}
	*out = xstrdup(g->dirs.v[0]);
	return 0;
}

int mig_revision_generate(const struct mig_revgraph *g, const struct mig_config *cfg,
			  const struct mig_revision_opts *o, char **path_out)
{
	static const char *const default_head[] = { "head" };
	struct mig_revlist bases = MIG_REVLIST_INIT;
	struct mig_strlist deps = MIG_STRLIST_INIT;
	struct mig_str text = MIG_STR_INIT;
	struct mig_arena check = MIG_ARENA_INIT;
	char *id = NULL, *slug = NULL, *name = NULL, *dir = NULL, *path = NULL;
	char *script_dir = NULL, *tmpl_path = NULL, *tmpl = NULL;
	const char **down = NULL;
	int rc = MIG_ERROR;
	const char *message = o->message ? o->message : "";

	/* the id */
	if (o->rev_id) {
		if (mig_revision_check_id(o->rev_id) < 0) {
			goto done;
		}
		const struct mig_revision *dup = mig_revgraph_get(g, o->rev_id);
		if (dup) {
			rc = mig_error_code(MIG_EEXISTS, MIG_ECLASS_USAGE,
					    "revision id '%s' already exists ('%s')", o->rev_id,
					    dup->path);
			goto done;
		}
		if (mig_revgraph_label(g, o->rev_id)) {
			rc = mig_error_code(MIG_EEXISTS, MIG_ECLASS_USAGE,
					    "revision id '%s' is already a branch label",
					    o->rev_id);
			goto done;
		}
		id = xstrdup(o->rev_id);
	} else {
		do {
			free(id);
			id = NULL;
			if (mig_revision_new_id(&id) < 0) {
				goto done;
			}
		} while (mig_revgraph_get(g, id) || mig_revgraph_label(g, id));
	}

	/* what it is based on */
	const char *const *heads = o->nheads ? o->heads : default_head;
	size_t nheads = o->nheads ? o->nheads : 1;
	for (size_t i = 0; i < nheads; i++) {
		struct mig_revlist l = MIG_REVLIST_INIT;
		int r = mig_revgraph_resolve(g, heads[i], NULL, &l);
		if (r == MIG_EMULTIHEAD && !o->nheads) {
			mig_error_code(MIG_EMULTIHEAD, MIG_ECLASS_USAGE,
				       "multiple heads are present; please specify the head "
				       "revision on which the new revision should be based, or "
				       "perform a merge");
		}
		if (r < 0) {
			mig_revlist_release(&l);
			rc = r;
			goto done;
		}
		for (size_t k = 0; k < l.n; k++) {
			if (mig_revlist_has(&bases, l.v[k])) {
				mig_revlist_release(&l);
				mig_error(MIG_ECLASS_USAGE, "revision '%s' is named twice",
					  l.v[k]->id);
				goto done;
			}
			mig_vec_push(&bases, l.v[k]);
		}
		mig_revlist_release(&l);
	}
	if (o->merge && bases.n < 2) {
		struct mig_str s = MIG_STR_INIT;
		join_ids(&s, &bases);
		mig_error(MIG_ECLASS_USAGE, "nothing to merge: the revisions given resolve to %s%s",
			  bases.n ? "only " : "no revision", s.buf);
		mig_str_release(&s);
		goto done;
	}
	if (!o->splice) {
		for (size_t i = 0; i < bases.n; i++) {
			if (!mig_revision_is_head(bases.v[i])) {
				mig_error(MIG_ECLASS_USAGE,
					  "revision '%s' is not a head revision; use --splice to "
					  "create a new branch from it",
					  bases.v[i]->id);
				goto done;
			}
		}
	}

	/* labels and dependencies */
	for (size_t i = 0; i < o->nbranch_labels; i++) {
		const char *l = o->branch_labels[i];
		if (mig_revision_check_label(l) < 0) {
			goto done;
		}
		const struct mig_revision *owner = mig_revgraph_label(g, l);
		if (!owner) {
			owner = mig_revgraph_get(g, l);
		}
		if (owner || strcmp(l, id) == 0) {
			rc = mig_error_code(MIG_EEXISTS, MIG_ECLASS_USAGE,
					    "branch label '%s' is already used by revision '%s'", l,
					    owner ? owner->id : id);
			goto done;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(o->branch_labels[j], l) == 0) {
				mig_error(MIG_ECLASS_USAGE, "branch label '%s' is given twice", l);
				goto done;
			}
		}
	}
	for (size_t i = 0; i < o->ndepends_on; i++) {
		const char *d = o->depends_on[i];
		if (mig_revgraph_label(g, d)) {
			mig_strlist_push(&deps, d);
			continue;
		}
		const struct mig_revision *r;
		struct target t = { 0 };
		t.symbol = (char *)d;
		int e = resolve_symbol_one(g, &t, d, &r);
		if (e < 0) {
			rc = e;
			goto done;
		}
		if (!r) {
			mig_error(MIG_ECLASS_USAGE, "--depends-on '%s' names no revision", d);
			goto done;
		}
		if (!mig_strlist_has(&deps, r->id)) {
			mig_strlist_push(&deps, r->id);
		}
	}

	/* the file */
	struct mig_revision_date date;
	if (mig_revision_date_now(cfg->timezone, &date) < 0) {
		goto done;
	}
	slug = mig_revision_slug(message, cfg->truncate_slug_length);
	if (mig_revision_file_name(cfg->file_template, id, slug, &date, &name) < 0 ||
	    pick_dir(g, o, &bases, &dir) < 0) {
		goto done;
	}
	path = mig_path_join(dir, name);
	if (mig_path_exists(path)) {
		rc = mig_error_code(MIG_EEXISTS, MIG_ECLASS_USAGE, "'%s' exists already", path);
		goto done;
	}
	script_dir = mig_path_join(cfg->here, cfg->script_location);
	tmpl_path = mig_path_join(script_dir, "script.yaml.tmpl");
	if (mig_file_read(tmpl_path, &tmpl, NULL) < 0) {
		mig_error_prefix("cannot read the revision template");
		goto done;
	}
	down = xcalloc(bases.n + 1, sizeof(*down));
	for (size_t i = 0; i < bases.n; i++) {
		down[i] = bases.v[i]->id;
	}
	struct mig_revision_spec spec = {
		.id = id,
		.down_revisions = down,
		.ndown = bases.n,
		.branch_labels = o->branch_labels,
		.nbranch_labels = o->nbranch_labels,
		.depends_on = (const char *const *)deps.v,
		.ndepends_on = deps.n,
		.message = message,
		.create_date = date.text,
		.upgrades = o->upgrades,
		.downgrades = o->downgrades,
	};
	if (mig_revision_render(tmpl, tmpl_path, &spec, &text) < 0) {
		goto done;
	}
	if (text.len && text.buf[text.len - 1] != '\n') {
		mig_str_addch(&text, '\n');
	}
	/* what the template made must read back as this revision */
	struct mig_revision *back;
	if (mig_revision_parse(path, text.buf, text.len, &check, &back) < 0) {
		mig_error_prefix("the template '%s' gives an invalid revision file", tmpl_path);
		goto done;
	}
	if (!mig_streq(back->id, id) || back->ndown != bases.n ||
	    back->nbranch_labels != o->nbranch_labels || back->ndepends_on != deps.n) {
		mig_error(MIG_ECLASS_USAGE,
			  "the template '%s' does not write the revision's id, down_revision, "
			  "branch_labels and depends_on (use ${revision}, ${down_revision}, "
			  "${branch_labels} and ${depends_on})",
			  tmpl_path);
		goto done;
	}
	if (mig_file_write_atomic(path, text.buf, text.len) < 0) {
		goto done;
	}
	*path_out = path;
	path = NULL;
	rc = 0;
done:
	mig_revlist_release(&bases);
	mig_strlist_release(&deps);
	mig_str_release(&text);
	mig_arena_release(&check);
	free(id);
	free(slug);
	free(name);
	free(dir);
	free(path);
	free(script_dir);
	free(tmpl_path);
	free(tmpl);
	free(down);
	return rc;
}
