/* Basics shared by every module: errors, allocation, string builder, arena,
 * string lists and small file helpers. */
#include "migrate/common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mig_verbosity = 1;

/* ---- errors ---- */

/* Per thread: a thread that works beside the main one (connecting while the
 * revision files are read) hands its error over with mig_error_take. */
static _Thread_local struct mig_str last_error = MIG_STR_INIT;
static _Thread_local enum mig_error_class last_class;

int mig_verror(enum mig_error_class klass, const char *fmt, va_list ap)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_vaddf(&s, fmt, ap);
	mig_str_release(&last_error);
	last_error = s;
	last_class = klass;
	return MIG_ERROR;
}

int mig_error(enum mig_error_class klass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mig_verror(klass, fmt, ap);
	va_end(ap);
	return MIG_ERROR;
}

int mig_error_code(int code, enum mig_error_class klass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mig_verror(klass, fmt, ap);
	va_end(ap);
	return code;
}

void mig_error_prefix(const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	mig_str_add(&s, ": ");
	mig_str_add(&s, last_error.buf);
	mig_str_release(&last_error);
	last_error = s;
}

const char *mig_error_last(void)
{
	return last_error.len ? last_error.buf : "unknown error";
}

enum mig_error_class mig_error_class_last(void)
{
	return last_class;
}

void mig_error_take(struct mig_saved_error *e)
{
	e->klass = last_class;
	e->msg = last_error.len ? mig_str_detach(&last_error) : NULL;
	mig_error_clear();
}

int mig_error_give(struct mig_saved_error *e, const char *suffix)
{
	const char *msg = e->msg ? e->msg : "unknown error";
	if (suffix && *suffix) {
		mig_error(e->klass, "%s\n%s", msg, suffix);
	} else {
		mig_error(e->klass, "%s", msg);
	}
	free(e->msg);
	e->msg = NULL;
	return MIG_ERROR;
}

void mig_error_clear(void)
{
	mig_str_release(&last_error);
	last_class = MIG_ECLASS_NONE;
}

int mig_error_exit_code(void)
{
	switch (last_class) {
	case MIG_ECLASS_DB:
		return MIG_EXIT_DB;
	case MIG_ECLASS_FILE:
		return MIG_EXIT_FILE;
	default:
		return MIG_EXIT_USAGE;
	}
}

/* ---- allocation ---- */

void mig_die(const char *fmt, ...)
{
	va_list ap;
	fputs("fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		mig_die("out of memory allocating %zu bytes", n);
	}
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p) {
		mig_die("out of memory allocating %zu bytes", nmemb * size);
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		mig_die("out of memory allocating %zu bytes", n);
	}
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct mig_str s = MIG_STR_INIT;
	mig_str_vaddf(&s, fmt, ap);
	return mig_str_detach(&s);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *r;
	va_start(ap, fmt);
	r = xvasprintf(fmt, ap);
	va_end(ap);
	return r;
}

/* ---- string builder ---- */

char mig_str_empty[1];

void mig_str_init(struct mig_str *s)
{
	s->buf = mig_str_empty;
	s->len = s->alloc = 0;
}

void mig_str_grow(struct mig_str *s, size_t extra)
{
	size_t need = s->len + extra + 1;
	if (need <= s->alloc) {
		return;
	}
	size_t na = s->alloc ? s->alloc : 64;
	while (na < need) {
		na *= 2;
	}
	if (s->alloc == 0) {
		s->buf = xmalloc(na);
		s->buf[0] = '\0';
	} else {
		s->buf = xrealloc(s->buf, na);
	}
	s->alloc = na;
}

void mig_str_addn(struct mig_str *s, const char *text, size_t n)
{
	mig_str_grow(s, n);
	memcpy(s->buf + s->len, text, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void mig_str_add(struct mig_str *s, const char *text)
{
	mig_str_addn(s, text, strlen(text));
}

void mig_str_addch(struct mig_str *s, char c)
{
	mig_str_grow(s, 1);
	s->buf[s->len++] = c;
	s->buf[s->len] = '\0';
}

void mig_str_vaddf(struct mig_str *s, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	/* format into the room there is; grow and format again when short */
	mig_str_grow(s, 64);
	va_copy(cp, ap);
	n = vsnprintf(s->buf + s->len, s->alloc - s->len, fmt, cp);
	va_end(cp);
	if (n < 0) {
		mig_die("vsnprintf failed");
	}
	if ((size_t)n >= s->alloc - s->len) {
		mig_str_grow(s, (size_t)n);
		vsnprintf(s->buf + s->len, s->alloc - s->len, fmt, ap);
	}
	s->len += (size_t)n;
}

void mig_str_addf(struct mig_str *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(s, fmt, ap);
	va_end(ap);
}

void mig_str_reset(struct mig_str *s)
{
	mig_str_setlen(s, 0);
}

void mig_str_setlen(struct mig_str *s, size_t len)
{
	if (s->alloc == 0) {
		return;
	}
	if (len > s->len) {
		mig_die("mig_str_setlen beyond end");
	}
	s->len = len;
	s->buf[len] = '\0';
}

char *mig_str_detach(struct mig_str *s)
{
	char *r = s->alloc ? s->buf : xstrdup("");
	mig_str_init(s);
	return r;
}

void mig_str_release(struct mig_str *s)
{
	if (s->alloc) {
		free(s->buf);
	}
	mig_str_init(s);
}

/* ---- string lists ---- */

void mig_strlist_push_owned(struct mig_strlist *l, char *s)
{
	mig_vec_push(l, s);
}

void mig_strlist_push(struct mig_strlist *l, const char *s)
{
	mig_strlist_push_owned(l, xstrdup(s));
}

bool mig_strlist_has(const struct mig_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0) {
			return true;
		}
	}
	return false;
}

void mig_strlist_release(struct mig_strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i]);
	}
	mig_vec_free(l);
}

/* ---- arena ---- */

struct mig_arena_block {
	struct mig_arena_block *next;
	size_t used;
	size_t size;
	_Alignas(16) unsigned char data[];
};

/* The first block of an arena, and the size its blocks double up to: an
 * arena that stays small (there is one per revision file read in full) takes
 * little memory. */
#define ARENA_FIRST 1024
#define ARENA_BLOCK 65536

void *mig_arena_alloc(struct mig_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct mig_arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		bool one_off = n > ARENA_BLOCK / 4;
		size_t sz = n;
		if (!one_off) {
			sz = !b ? ARENA_FIRST : b->size >= ARENA_BLOCK / 2 ? ARENA_BLOCK : 2 * b->size;
			while (sz < n) {
				sz *= 2;
			}
		}
		struct mig_arena_block *nb = xmalloc(sizeof(*nb) + sz);
		nb->used = 0;
		nb->size = sz;
		if (b && one_off) {
			/* a large one-off: keep the current block at the head */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
		a->total += sz;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *mig_arena_strndup(struct mig_arena *a, const char *s, size_t n)
{
	char *p = mig_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mig_arena_strdup(struct mig_arena *a, const char *s)
{
	return s ? mig_arena_strndup(a, s, strlen(s)) : NULL;
}

char *mig_arena_printf(struct mig_arena *a, const char *fmt, ...)
{
	struct mig_str s = MIG_STR_INIT;
	va_list ap;
	va_start(ap, fmt);
	mig_str_vaddf(&s, fmt, ap);
	va_end(ap);
	char *r = mig_arena_strndup(a, s.buf, s.len);
	mig_str_release(&s);
	return r;
}

void mig_arena_release(struct mig_arena *a)
{
	struct mig_arena_block *b = a->head;
	while (b) {
		struct mig_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}

/* ---- small helpers ---- */

bool mig_streq(const char *a, const char *b)
{
	if (!a || !b) {
		return a == b;
	}
	return strcmp(a, b) == 0;
}

bool mig_strieq(const char *a, const char *b)
{
	if (!a || !b) {
		return a == b;
	}
	return strcasecmp(a, b) == 0;
}

bool mig_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool mig_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool mig_is_decimal(const char *s)
{
	const char *p = s;
	bool digits = false;
	if (*p == '-' || *p == '+') {
		p++;
	}
	for (; isdigit((unsigned char)*p); p++) {
		digits = true;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			digits = true;
		}
	}
	if (!digits) {
		return false;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+') {
			p++;
		}
		if (!isdigit((unsigned char)*p)) {
			return false;
		}
		while (isdigit((unsigned char)*p)) {
			p++;
		}
	}
	return *p == '\0';
}

char *mig_strtrim(char *s)
{
	while (isspace((unsigned char)*s)) {
		s++;
	}
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1])) {
		s[--n] = '\0';
	}
	return s;
}

void mig_str_lower(char *s)
{
	for (; *s; s++) {
		*s = (char)tolower((unsigned char)*s);
	}
}

/* ---- files ---- */

int mig_file_read(const char *path, char **out, size_t *len_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct mig_str s = MIG_STR_INIT;
	if (fd < 0) {
		return mig_error(MIG_ECLASS_OS, "cannot open '%s': %s", path, strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return mig_error(MIG_ECLASS_OS, "cannot read '%s': Is a directory", path);
	}
	mig_str_grow(&s, st.st_size > 0 ? (size_t)st.st_size : 4096);
	for (;;) {
		mig_str_grow(&s, 4096);
		ssize_t n = read(fd, s.buf + s.len, s.alloc - s.len - 1);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			int e = errno;
			close(fd);
			mig_str_release(&s);
			return mig_error(MIG_ECLASS_OS, "cannot read '%s': %s", path, strerror(e));
		}
		if (n == 0) {
			break;
		}
		s.len += (size_t)n;
		s.buf[s.len] = '\0';
	}
	close(fd);
	if (len_out) {
		*len_out = s.len;
	}
	*out = mig_str_detach(&s);
	return 0;
}

int mig_write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return errno;
		}
		off += (size_t)n;
	}
	return 0;
}

int mig_file_write_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = MIG_ERROR;
	if (fd < 0) {
		mig_error(MIG_ECLASS_OS, "cannot create '%s': %s", tmp, strerror(errno));
		goto done;
	}
	int e = mig_write_all(fd, data, len);
	if (e) {
		mig_error(MIG_ECLASS_OS, "cannot write '%s': %s", tmp, strerror(e));
		close(fd);
		unlink(tmp);
		goto done;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		mig_error(MIG_ECLASS_OS, "cannot write '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		goto done;
	}
	if (rename(tmp, path) != 0) {
		mig_error(MIG_ECLASS_OS, "cannot rename '%s' to '%s': %s", tmp, path,
			  strerror(errno));
		unlink(tmp);
		goto done;
	}
	rc = 0;
done:
	free(tmp);
	return rc;
}

bool mig_path_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

bool mig_path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int mig_mkdir_p(const char *path, unsigned mode)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, mode) != 0 && errno != EEXIST) {
				mig_error(MIG_ECLASS_OS, "cannot create directory '%s': %s", p,
					  strerror(errno));
				free(p);
				return MIG_ERROR;
			}
			*s = '/';
		}
	}
	if (mkdir(p, mode) != 0 && errno != EEXIST) {
		mig_error(MIG_ECLASS_OS, "cannot create directory '%s': %s", p, strerror(errno));
		free(p);
		return MIG_ERROR;
	}
	free(p);
	return 0;
}

char *mig_path_join(const char *a, const char *b)
{
	if (!a || !*a) {
		return xstrdup(b);
	}
	if (b[0] == '/') {
		return xstrdup(b);
	}
	size_t la = strlen(a);
	return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *mig_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		return xstrdup(".");
	}
	if (slash == path) {
		return xstrdup("/");
	}
	return xstrndup(path, (size_t)(slash - path));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int mig_dir_list(const char *dir, const char *const *suffixes, struct mig_strlist *out)
{
	DIR *d = opendir(dir);
	if (!d) {
		return mig_error(MIG_ECLASS_OS, "cannot open directory '%s': %s", dir,
				 strerror(errno));
	}
	size_t start = out->n;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			continue;
		}
		bool ok = suffixes == NULL;
		for (size_t i = 0; suffixes && suffixes[i]; i++) {
			if (mig_ends_with(e->d_name, suffixes[i])) {
				ok = true;
				break;
			}
		}
		if (!ok) {
			continue;
		}
		if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN && e->d_type != DT_LNK) {
			continue;
		}
		mig_strlist_push(out, e->d_name);
	}
	closedir(d);
	if (out->n > start) {
		qsort(out->v + start, out->n - start, sizeof(char *), cmp_str);
	}
	return 0;
}
