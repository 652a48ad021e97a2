/* Project templates: finding the templates folder, listing what it offers and
 * copying one into a new project folder without leaving half a copy behind. */
#include "config.h"
#include "migrate/templates.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- finding the templates folder ---- */

/* The folder of the running executable, or NULL when it cannot be known. */
static char *self_exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0) {
		return NULL;
	}
	buf[n] = '\0';
	return mig_path_dirname(buf);
}

/* realpath when it works (for tidy messages), else a copy. */
static char *tidy_path(const char *path)
{
	char *r = realpath(path, NULL);
	return r ? r : xstrdup(path);
}

int mig_templates_find_dir(char **out)
{
	const char *env = getenv("MIGRATE_TEMPLATES_DIR");
	char *exe = NULL, *p = NULL;
	int rc = 0;

	*out = NULL;
	if (env && *env) {
		if (!mig_path_is_dir(env)) {
			return mig_error(MIG_ECLASS_USAGE,
					 "cannot use MIGRATE_TEMPLATES_DIR '%s': not a directory",
					 env);
		}
		*out = xstrdup(env);
		return 0;
	}
	exe = self_exe_dir();
	if (exe) {
		/* an installed binary: <prefix>/bin/migrate beside <prefix>/share */
		p = mig_path_join(exe, "../share/migrate/templates");
		if (mig_path_is_dir(p)) {
			*out = tidy_path(p);
			goto done;
		}
		free(p);
		/* a binary in its meson build folder uses the templates it was built with */
		p = mig_path_join(exe, "build.ninja");
		if (mig_path_exists(p) && mig_path_is_dir(MIG_SOURCE_TEMPLATES_DIR)) {
			*out = xstrdup(MIG_SOURCE_TEMPLATES_DIR);
			goto done;
		}
	}
	if (mig_path_is_dir(MIG_TEMPLATES_DIR)) {
		*out = xstrdup(MIG_TEMPLATES_DIR);
	} else if (mig_path_is_dir(MIG_SOURCE_TEMPLATES_DIR)) {
		*out = xstrdup(MIG_SOURCE_TEMPLATES_DIR);
	} else {
		rc = mig_error(MIG_ECLASS_USAGE,
			       "cannot find the templates folder (looked in '%s' and '%s'); set "
			       "MIGRATE_TEMPLATES_DIR",
			       MIG_TEMPLATES_DIR, MIG_SOURCE_TEMPLATES_DIR);
	}
done:
	free(p);
	free(exe);
	return rc;
}

/* ---- listing ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of dir but "." and "..", sorted (mig_dir_list keeps only files). */
static int list_entries(const char *dir, struct mig_strlist *out)
{
	DIR *d = opendir(dir);
	if (!d) {
		return mig_error(MIG_ECLASS_OS, "cannot open directory '%s': %s", dir,
				 strerror(errno));
	}
	size_t start = out->n;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			mig_strlist_push(out, e->d_name);
		}
	}
	closedir(d);
	if (out->n > start) {
		qsort(out->v + start, out->n - start, sizeof(char *), cmp_str);
	}
	return 0;
}

/* First line of dir/README, trimmed; "" when there is none. */
static char *read_description(const char *dir)
{
	char *path = mig_path_join(dir, "README");
	char *text = NULL;
	char *r;
	if (mig_file_read(path, &text, NULL) < 0) {
		mig_error_clear();
		free(path);
		return xstrdup("");
	}
	text[strcspn(text, "\r\n")] = '\0';
	r = xstrdup(mig_strtrim(text));
	free(text);
	free(path);
	return r;
}

int mig_templates_list(const char *dir, struct mig_template_list *out)
{
	struct mig_strlist names = MIG_STRLIST_INIT;
	if (list_entries(dir, &names) < 0) {
		return MIG_ERROR;
	}
	for (size_t i = 0; i < names.n; i++) {
		if (names.v[i][0] == '.') {
			continue;
		}
		char *p = mig_path_join(dir, names.v[i]);
		if (mig_path_is_dir(p)) {
			struct mig_template t = { xstrdup(names.v[i]), read_description(p) };
			mig_vec_push(out, t);
		}
		free(p);
	}
	mig_strlist_release(&names);
	return 0;
}

void mig_template_list_release(struct mig_template_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].description);
	}
	mig_vec_free(l);
}

void mig_template_created_release(struct mig_template_created *c)
{
	mig_strlist_release(&c->dirs);
	mig_strlist_release(&c->files);
}

/* ---- copying ---- */

/* rm -rf without following symlinks; best effort, so that cleanup after a
 * failure keeps the message of the failure itself. */
static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		struct mig_strlist names = MIG_STRLIST_INIT;
		if (list_entries(path, &names) == 0) {
			for (size_t i = 0; i < names.n; i++) {
				char *p = mig_path_join(path, names.v[i]);
				remove_tree(p);
				free(p);
			}
		}
		mig_strlist_release(&names);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* rename that refuses to replace what exists (plain rename would replace an
 * empty folder that appeared meanwhile). */
static int rename_noreplace(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) {
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS) {
		return -1;
	}
#endif
	if (mig_path_exists(to)) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/* Create a new folder named "<base>.tmp-XXXXXX" (mode 0777 less the umask, as
 * for any folder the user creates). Sets errno, not a message, on failure. */
static int make_stage_dir(const char *base, char **out)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 12);
	for (int attempt = 0; attempt < 100; attempt++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		char *p = xasprintf("%s.tmp-%06lx", base, (x >> 20) & 0xffffff);
		if (mkdir(p, 0777) == 0) {
			*out = p;
			return 0;
		}
		free(p);
		if (errno != EEXIST) {
			return -1;
		}
	}
	return -1;
}

/* Copy one regular file, keeping its permission bits; shown is the path that
 * messages name (where the file will end up). */
static int copy_file(const char *src, const char *dst, const char *shown, mode_t mode)
{
	char *data = NULL;
	size_t len = 0;
	int fd = -1;
	int rc = MIG_ERROR;

	if (mig_file_read(src, &data, &len) < 0) {
		goto done;
	}
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
	if (fd < 0) {
		mig_error(MIG_ECLASS_OS, "cannot create '%s': %s", shown, strerror(errno));
		goto done;
	}
	int e = mig_write_all(fd, data, len);
	if (e) {
		mig_error(MIG_ECLASS_OS, "cannot write '%s': %s", shown, strerror(e));
		goto done;
	}
	if (fsync(fd) != 0) {
		mig_error(MIG_ECLASS_OS, "cannot write '%s': %s", shown, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		rc = mig_error(MIG_ECLASS_OS, "cannot write '%s': %s", shown, strerror(errno));
	}
	free(data);
	return rc;
}

/* Copy the contents of folder src into the existing folder dst; shown is what
 * dst will be called once in place. At the top of a template, README (the
 * template's description) stays behind. */
static int copy_tree(const char *src, const char *dst, const char *shown, bool top,
		     struct mig_template_created *rec)
{
	struct mig_strlist names = MIG_STRLIST_INIT;
	char *s = NULL, *d = NULL, *sh = NULL;
	int rc = MIG_ERROR;

	if (list_entries(src, &names) < 0) {
		goto done;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct stat st;
		if (top && strcmp(names.v[i], "README") == 0) {
			continue;
		}
		free(s);
		free(d);
		free(sh);
		s = mig_path_join(src, names.v[i]);
		d = mig_path_join(dst, names.v[i]);
		sh = mig_path_join(shown, names.v[i]);
		if (stat(s, &st) != 0) {
			mig_error(MIG_ECLASS_OS, "cannot read '%s': %s", s, strerror(errno));
			goto done;
		}
		if (S_ISDIR(st.st_mode)) {
			if (mkdir(d, 0777) != 0) {
				mig_error(MIG_ECLASS_OS, "cannot create directory '%s': %s", sh,
					  strerror(errno));
				goto done;
			}
			mig_strlist_push(&rec->dirs, sh);
			if (copy_tree(s, d, sh, false, rec) < 0) {
				goto done;
			}
		} else if (S_ISREG(st.st_mode)) {
			if (copy_file(s, d, sh, st.st_mode) < 0) {
				goto done;
			}
			mig_strlist_push(&rec->files, sh);
		}
	}
	rc = 0;
done:
	free(s);
	free(d);
	free(sh);
	mig_strlist_release(&names);
	return rc;
}

/* dest without repeated or trailing slashes, so the paths shown read well. */
static char *tidy_dest(const char *dest)
{
	char *r = xstrdup(dest), *w = r;
	for (const char *p = dest; *p; p++) {
		if (!(*p == '/' && w > r && w[-1] == '/')) {
			*w++ = *p;
		}
	}
	if (w - r > 1 && w[-1] == '/') {
		w--;
	}
	*w = '\0';
	return r;
}

/* Whether a path has a "." or ".." component: below a missing folder those
 * cannot be resolved, so such a path is refused rather than guessed at. */
static bool has_dot_component(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
			return true;
		}
		p += n;
		while (*p == '/') {
			p++;
		}
	}
	return false;
}

/* dest and maybe some of its parents are missing: build the tree under a
 * temporary name beside the topmost missing one, then rename it into place. */
static int copy_into_missing(const char *src, const char *dest, struct mig_template_created *rec)
{
	char *top = xstrdup(dest), *parent = NULL, *stage = NULL, *inner = NULL;
	int rc = MIG_ERROR;

	for (;;) {
		parent = mig_path_dirname(top);
		if (strcmp(parent, top) == 0 || mig_path_exists(parent)) {
			break;
		}
		free(top);
		top = parent;
		parent = NULL;
	}
	if (!mig_path_is_dir(parent)) {
		mig_error(MIG_ECLASS_OS, "cannot create directory '%s': '%s' is not a directory",
			  dest, parent);
		goto done;
	}
	const char *slash = strrchr(top, '/');
	if (has_dot_component(dest + (slash ? (size_t)(slash - top) + 1 : 0))) {
		mig_error(MIG_ECLASS_USAGE, "cannot create directory '%s': '.' or '..' below a "
					    "missing directory",
			  dest);
		goto done;
	}
	if (make_stage_dir(top, &stage) < 0) {
		mig_error(MIG_ECLASS_OS, "cannot create directory '%s': %s", top, strerror(errno));
		goto done;
	}
	/* the missing folders from top down to dest, as they will be named */
	const char *rest = dest + strlen(top);
	mig_strlist_push(&rec->dirs, top);
	for (const char *p = rest + 1; *rest && (p = strchr(p, '/')) != NULL; p++) {
		mig_strlist_push_owned(&rec->dirs, xstrndup(dest, (size_t)(p - dest)));
	}
	if (*rest) {
		mig_strlist_push(&rec->dirs, dest);
	}
	inner = xasprintf("%s%s", stage, rest);
	if (mig_mkdir_p(inner, 0777) < 0) {
		goto done;
	}
	if (copy_tree(src, inner, dest, true, rec) < 0) {
		goto done;
	}
	if (rename_noreplace(stage, top) != 0) {
		mig_error(MIG_ECLASS_OS, "cannot create directory '%s': %s", top, strerror(errno));
		goto done;
	}
	free(stage);
	stage = NULL;
	rc = 0;
done:
	if (stage) {
		remove_tree(stage);
	}
	free(inner);
	free(stage);
	free(parent);
	free(top);
	return rc;
}

/* dest is an empty folder: build the tree in a hidden folder inside it (dest
 * is writable, its parent may not be), then move the entries out. */
static int copy_into_empty(const char *src, const char *dest, struct mig_template_created *rec)
{
	struct mig_strlist names = MIG_STRLIST_INIT, moved = MIG_STRLIST_INIT;
	char *base = mig_path_join(dest, ".migrate-init"), *stage = NULL;
	int rc = MIG_ERROR;

	if (make_stage_dir(base, &stage) < 0) {
		mig_error(MIG_ECLASS_OS, "cannot write in directory '%s': %s", dest, strerror(errno));
		goto done;
	}
	if (copy_tree(src, stage, dest, true, rec) < 0 || list_entries(stage, &names) < 0) {
		goto done;
	}
	for (size_t i = 0; i < names.n; i++) {
		char *from = mig_path_join(stage, names.v[i]);
		char *to = mig_path_join(dest, names.v[i]);
		int r = rename_noreplace(from, to);
		if (r != 0) {
			mig_error(MIG_ECLASS_OS, "cannot create '%s': %s", to, strerror(errno));
		} else {
			mig_strlist_push(&moved, to);
		}
		free(from);
		free(to);
		if (r != 0) {
			goto done;
		}
	}
	rc = 0;
done:
	if (rc < 0) {
		for (size_t i = 0; i < moved.n; i++) {
			remove_tree(moved.v[i]);
		}
	}
	if (stage) {
		remove_tree(stage);
	}
	mig_strlist_release(&moved);
	mig_strlist_release(&names);
	free(stage);
	free(base);
	return rc;
}

/* A template name is one plain folder name. */
static bool valid_name(const char *name)
{
	return name && *name && name[0] != '.' && !strchr(name, '/');
}

static int check_empty(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		return mig_error(MIG_ECLASS_OS, "cannot open directory '%s': %s", dir,
				 strerror(errno));
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			rc = mig_error_code(MIG_EEXISTS, MIG_ECLASS_USAGE,
					    "directory '%s' exists and is not empty", dir);
			break;
		}
	}
	closedir(d);
	return rc;
}

int mig_template_copy(const char *templates_dir, const char *name, const char *dest,
		      struct mig_template_created *created)
{
	struct mig_template_created rec = MIG_TEMPLATE_CREATED_INIT;
	char *dir = NULL, *src = NULL;
	struct stat st;
	int rc = MIG_ERROR;

	if (!dest || !*dest) {
		return mig_error(MIG_ECLASS_USAGE, "no directory given");
	}
	dir = tidy_dest(dest);
	if (valid_name(name)) {
		src = mig_path_join(templates_dir, name);
	}
	if (!src || !mig_path_is_dir(src)) {
		rc = mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_USAGE, "unknown template '%s'",
				    name ? name : "");
		goto done;
	}
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			rc = mig_error_code(MIG_EEXISTS, MIG_ECLASS_USAGE,
					    "'%s' exists and is not a directory", dir);
			goto done;
		}
		rc = check_empty(dir);
		if (rc == 0) {
			rc = copy_into_empty(src, dir, &rec);
		}
	} else if (errno == ENOENT) {
		rc = copy_into_missing(src, dir, &rec);
	} else {
		rc = mig_error(MIG_ECLASS_OS, "cannot access '%s': %s", dir, strerror(errno));
	}
	if (rc == 0 && created) {
		for (size_t i = 0; i < rec.dirs.n; i++) {
			mig_strlist_push(&created->dirs, rec.dirs.v[i]);
		}
		for (size_t i = 0; i < rec.files.n; i++) {
			mig_strlist_push(&created->files, rec.files.v[i]);
		}
	}
done:
	mig_template_created_release(&rec);
	free(src);
	free(dir);
	return rc;
}
