/* Shared basics: error codes and messages, allocation wrappers, string builder,
 * growable vectors and the arena that schemas and revision graphs own. */
#ifndef MIGRATE_COMMON_H
#define MIGRATE_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define MIG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define MIG_NORETURN __attribute__((noreturn))
#else
#define MIG_PRINTF(f, a)
#define MIG_NORETURN
#endif

/* Return codes: 0 is success, negative is failure. */
enum mig_rc {
	MIG_OK = 0,
	MIG_ERROR = -1,     /* generic failure; see mig_error_last() */
	MIG_ENOTFOUND = -3, /* the thing asked for does not exist */
	MIG_EEXISTS = -4,   /* the thing to create exists already */
	MIG_EAMBIGUOUS = -5, /* a prefix or name matches several things */
	MIG_EMULTIHEAD = -6, /* "head" asked for, but there are several heads */
	MIG_ELOCKED = -7,   /* the migration lock could not be taken in time */
};

/* What kind of failure the last error was; cmd/ maps it to an exit code. */
enum mig_error_class {
	MIG_ECLASS_NONE = 0,
	MIG_ECLASS_USAGE,  /* bad arguments or configuration: exit 2 */
	MIG_ECLASS_DB,     /* database error: exit 3 */
	MIG_ECLASS_FILE,   /* revision or model file error: exit 4 */
	MIG_ECLASS_OS,     /* I/O and other system failures: exit 2 */
};

/* Exit codes of the migrate command (DESIGN §9). */
enum mig_exit {
	MIG_EXIT_OK = 0,
	MIG_EXIT_PENDING = 1,
	MIG_EXIT_USAGE = 2,
	MIG_EXIT_DB = 3,
	MIG_EXIT_FILE = 4,
};

/* Set the last error message (lowercase, no full stop, git style). Returns
 * MIG_ERROR so callers can write `return mig_error(...)`. */
int mig_error(enum mig_error_class klass, const char *fmt, ...) MIG_PRINTF(2, 3);
int mig_error_code(int code, enum mig_error_class klass, const char *fmt, ...)
	MIG_PRINTF(3, 4);
int mig_verror(enum mig_error_class klass, const char *fmt, va_list ap);
/* Prefix the current message with "prefix: " (for adding context once). */
void mig_error_prefix(const char *fmt, ...) MIG_PRINTF(1, 2);
const char *mig_error_last(void);
enum mig_error_class mig_error_class_last(void);
void mig_error_clear(void);
/* Take the error away (the thread is left without one), to give it back
 * later or to another thread (the error is per thread); give sets it again,
 * with suffix on a line of its own when not empty, and empties e. */
struct mig_saved_error {
	enum mig_error_class klass;
	char *msg;
};
void mig_error_take(struct mig_saved_error *e);
int mig_error_give(struct mig_saved_error *e, const char *suffix);
/* The exit code that matches the last error's class. */
int mig_error_exit_code(void);

/* Allocation: abort on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) MIG_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap);
MIG_NORETURN void mig_die(const char *fmt, ...) MIG_PRINTF(1, 2);

/* String builder. buf is never NULL; use the functions, not the fields. */
struct mig_str {
	char *buf;
	size_t len;
	size_t alloc;
};
extern char mig_str_empty[];
#define MIG_STR_INIT { mig_str_empty, 0, 0 }

void mig_str_init(struct mig_str *s);
void mig_str_grow(struct mig_str *s, size_t extra);
void mig_str_add(struct mig_str *s, const char *text);
void mig_str_addn(struct mig_str *s, const char *text, size_t n);
void mig_str_addch(struct mig_str *s, char c);
void mig_str_addf(struct mig_str *s, const char *fmt, ...) MIG_PRINTF(2, 3);
void mig_str_vaddf(struct mig_str *s, const char *fmt, va_list ap);
void mig_str_reset(struct mig_str *s);
void mig_str_setlen(struct mig_str *s, size_t len);
char *mig_str_detach(struct mig_str *s);
void mig_str_release(struct mig_str *s);
static inline const char *mig_str_cstr(const struct mig_str *s) { return s->buf; }
static inline size_t mig_str_len(const struct mig_str *s) { return s->len; }

/* Growable vector of any element type:
 *   MIG_VEC(struct mig_column) columns;  mig_vec_push(&columns, col); */
#define MIG_VEC(type)                                                                              \
	struct {                                                                                   \
		type *v;                                                                           \
		size_t n;                                                                          \
		size_t alloc;                                                                      \
	}
#define mig_vec_grow(vec, extra)                                                                   \
	do {                                                                                       \
		if ((vec)->n + (extra) > (vec)->alloc) {                                           \
			size_t na_ = (vec)->alloc ? (vec)->alloc * 2 : 8;                          \
			while (na_ < (vec)->n + (extra))                                           \
				na_ *= 2;                                                          \
			(vec)->v = xrealloc((vec)->v, na_ * sizeof(*(vec)->v));                    \
			(vec)->alloc = na_;                                                        \
		}                                                                                  \
	} while (0)
#define mig_vec_push(vec, item)                                                                    \
	do {                                                                                       \
		mig_vec_grow(vec, 1);                                                              \
		(vec)->v[(vec)->n++] = (item);                                                     \
	} while (0)
#define mig_vec_free(vec)                                                                          \
	do {                                                                                       \
		free((vec)->v);                                                                    \
		(vec)->v = NULL;                                                                   \
		(vec)->n = (vec)->alloc = 0;                                                       \
	} while (0)

/* A list of strings (owned by the list unless noted). */
struct mig_strlist {
	char **v;
	size_t n;
	size_t alloc;
};
#define MIG_STRLIST_INIT { NULL, 0, 0 }
void mig_strlist_push(struct mig_strlist *l, const char *s); /* copies s */
void mig_strlist_push_owned(struct mig_strlist *l, char *s);
bool mig_strlist_has(const struct mig_strlist *l, const char *s);
void mig_strlist_release(struct mig_strlist *l);

/* Arena for many small allocations released together. */
struct mig_arena_block;
struct mig_arena {
	struct mig_arena_block *head;
	size_t total;
};
#define MIG_ARENA_INIT { NULL, 0 }
void *mig_arena_alloc(struct mig_arena *a, size_t n); /* zeroed, 16-byte aligned */
char *mig_arena_strdup(struct mig_arena *a, const char *s); /* NULL stays NULL */
char *mig_arena_strndup(struct mig_arena *a, const char *s, size_t n);
char *mig_arena_printf(struct mig_arena *a, const char *fmt, ...) MIG_PRINTF(2, 3);
void mig_arena_release(struct mig_arena *a);

/* Small helpers. */
bool mig_streq(const char *a, const char *b);      /* NULL-safe */
bool mig_strieq(const char *a, const char *b);     /* NULL-safe, ASCII case-insensitive */
bool mig_starts_with(const char *s, const char *prefix);
bool mig_ends_with(const char *s, const char *suffix);
/* s is a decimal number as SQL and YAML 1.2 write one: [-+]digits[.digits][e[-+]digits]
 * (digits on at least one side of the point). */
bool mig_is_decimal(const char *s);
char *mig_strtrim(char *s);                        /* in place; returns s moved past spaces */
void mig_str_lower(char *s);                       /* ASCII, in place */

/* Files. */
/* Read a whole file; the result is NUL-terminated. Sets an OS-class error. */
int mig_file_read(const char *path, char **out, size_t *len_out);
/* Write all of data to fd (again after EINTR); 0 or the errno value. */
int mig_write_all(int fd, const char *data, size_t len);
/* Write atomically: a temp file beside path, fsync, rename. */
int mig_file_write_atomic(const char *path, const char *data, size_t len);
bool mig_path_exists(const char *path);
bool mig_path_is_dir(const char *path);
/* mkdir -p */
int mig_mkdir_p(const char *path, unsigned mode);
/* Join two path parts with one '/'; returns a new string. */
char *mig_path_join(const char *a, const char *b);
/* Directory part of a path ("." when there is none); new string. */
char *mig_path_dirname(const char *path);
/* List the regular files in dir (names only, sorted) whose names end in one of
 * the suffixes (NULL-terminated list; NULL suffixes means all). */
int mig_dir_list(const char *dir, const char *const *suffixes, struct mig_strlist *out);

/* Verbosity for progress output done by cmd/ (lib/ only reads it). */
extern int mig_verbosity; /* 0 quiet, 1 normal, 2 verbose */

#endif
