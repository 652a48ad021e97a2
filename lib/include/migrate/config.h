/* migrate.ini (DESIGN §3), read with inih. */
#ifndef MIGRATE_CONFIG_H
#define MIGRATE_CONFIG_H

#include "migrate/common.h"

struct mig_hook {
	char *name;
	char *type;       /* "exec" */
	char *executable;
	char *options;    /* may contain REVISION_SCRIPT_FILENAME */
};

struct mig_config {
	char *path;            /* the ini file, or NULL when none was read */
	char *here;            /* folder of the ini file (absolute), "." without one */
	char *script_location; /* %(here)s expanded; relative paths are relative to here */
	struct mig_strlist models; /* files or folders, relative paths made relative to here */
	char *url;             /* after --url > $MIGRATE_URL > ini precedence; may be NULL */
	char *url_source;      /* "--url", "MIGRATE_URL" or "path:line" */
	char *version_table;   /* default "migrate_version" */
	char *version_table_schema; /* may be NULL */
	char *file_template;   /* default "%(rev)s_%(slug)s" (single %, after ini unescaping) */
	int truncate_slug_length; /* 40 */
	char *timezone;        /* "UTC" */
	bool transaction_per_migration;
	bool compare_type;
	bool compare_server_default;
	bool include_schemas;
	struct mig_strlist exclude_tables; /* globs */
	int lock_timeout;      /* seconds, 60 */
	MIG_VEC(struct mig_hook) hooks;
	struct mig_strlist warnings; /* "path:line: unknown key 'x'" etc., for cmd/ to print */
};

/* Fill cfg with defaults (no file). */
void mig_config_init(struct mig_config *cfg);
/* Find and load: explicit_path (-c), else $MIGRATE_CONFIG, else ./migrate.ini.
 * When none of those exists and required is false, cfg keeps its defaults.
 * url_override is --url (may be NULL); $MIGRATE_URL is read here.
 * Errors are usage class with "path:line: message". */
int mig_config_load(struct mig_config *cfg, const char *explicit_path, const char *url_override,
		    bool required);
void mig_config_release(struct mig_config *cfg);
/* Absolute or here-relative path of the versions folder: <script_location>/versions. */
char *mig_config_versions_dir(const struct mig_config *cfg);

#endif
