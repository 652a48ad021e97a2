/* Project templates: what `migrate init` copies (templates/<name>/ holds a
 * migrate.ini, a migrations/ folder and example models). */
#ifndef MIGRATE_TEMPLATES_H
#define MIGRATE_TEMPLATES_H

#include "migrate/common.h"

struct mig_template {
	char *name;        /* the folder name, e.g. "generic" */
	char *description; /* first line of its README; "" without one */
};

struct mig_template_list {
	struct mig_template *v;
	size_t n;
	size_t alloc;
};
#define MIG_TEMPLATE_LIST_INIT { NULL, 0, 0 }

/* What mig_template_copy created, as paths that start with the dest given
 * (so they read as the user typed them), parents before children. */
struct mig_template_created {
	struct mig_strlist dirs;  /* folders created, including dest when it was missing */
	struct mig_strlist files; /* files written */
};
#define MIG_TEMPLATE_CREATED_INIT { MIG_STRLIST_INIT, MIG_STRLIST_INIT }

/* The folder that holds the templates, first found of: $MIGRATE_TEMPLATES_DIR
 * (an error when it is set but not a folder); <exe dir>/../share/migrate/templates
 * (an installed, possibly relocated binary); the source tree when the binary
 * runs from its meson build folder; the installed MIG_TEMPLATES_DIR; the source
 * tree. New string in *out. */
int mig_templates_find_dir(char **out);

/* The templates in dir (each subfolder, sorted by name), appended to out. */
int mig_templates_list(const char *dir, struct mig_template_list *out);
void mig_template_list_release(struct mig_template_list *l);

/* Copy template name from templates_dir into dest, recursively (the
 * template's top-level README, its description, is not copied). dest must be
 * missing or an empty folder, otherwise a usage-class MIG_EEXISTS error. A
 * missing dest (and any missing parents) is built beside it under a temporary
 * name and renamed into place; into an existing empty folder the tree is built
 * in a hidden folder inside it and its entries are then moved out. Either way
 * nothing is left behind on failure. An unknown template is a usage-class
 * MIG_ENOTFOUND error. created may be NULL. */
int mig_template_copy(const char *templates_dir, const char *name, const char *dest,
		      struct mig_template_created *created);
void mig_template_created_release(struct mig_template_created *c);

#endif
