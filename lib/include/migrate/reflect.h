/* Reflection: the live database read into the schema model with a fixed,
 * small number of bulk catalog queries (never one query per table). */
#ifndef MIGRATE_REFLECT_H
#define MIGRATE_REFLECT_H

#include "migrate/db.h"
#include "migrate/schema.h"

struct mig_reflect_opts {
	const char *version_table;        /* left out of the result; "migrate_version" when NULL */
	const char *version_table_schema; /* may be NULL */
	const char *history_table;        /* also left out; "migrate_history" when NULL */
	bool include_schemas;             /* PostgreSQL: every non-system schema, qualified */
	const struct mig_strlist *exclude_tables; /* globs (fnmatch) on name or schema.name */
};

/* Reflect the database db is connected to. Objects the model cannot represent
 * are recorded in (*out)->objects and described in (*out)->warnings. */
int mig_db_reflect(struct mig_db *db, const struct mig_reflect_opts *opts,
		   struct mig_schema **out);
/* True when a table name matches one of the exclude globs. */
bool mig_reflect_excluded(const struct mig_reflect_opts *opts, const char *schema,
			  const char *name);

#endif
