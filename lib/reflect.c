/* Reflection entry point: dispatches to the dialect and applies the options
 * that every dialect shares. */
#include "dialect.h"
#include "migrate/reflect.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

bool mig_reflect_excluded(const struct mig_reflect_opts *opts, const char *schema,
			  const char *name)
{
	const char *vt = opts && opts->version_table ? opts->version_table : "migrate_version";
	const char *ht = opts && opts->history_table ? opts->history_table : "migrate_history";
	if (strcmp(name, vt) == 0 || strcmp(name, ht) == 0) {
		return true;
	}
	if (!opts || !opts->exclude_tables) {
		return false;
	}
	char *qual = schema ? xasprintf("%s.%s", schema, name) : NULL;
	bool hit = false;
	for (size_t i = 0; i < opts->exclude_tables->n && !hit; i++) {
		const char *g = opts->exclude_tables->v[i];
		hit = fnmatch(g, name, 0) == 0 || (qual && fnmatch(g, qual, 0) == 0);
	}
	free(qual);
	return hit;
}

int mig_db_reflect(struct mig_db *db, const struct mig_reflect_opts *opts,
		   struct mig_schema **out)
{
	if (!db->impl->reflect) {
		return mig_error(MIG_ECLASS_DB, "reflection is not available for %s",
				 db->impl->name);
	}
	return db->impl->reflect(db, opts, out);
}
