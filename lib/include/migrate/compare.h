/* Autogenerate (DESIGN §1): the declared schema (the model files) compared
 * with the reflected one (the live database), as the ops that make the
 * database match the models and the ops that undo them. */
#ifndef MIGRATE_COMPARE_H
#define MIGRATE_COMPARE_H

#include "migrate/common.h"
#include "migrate/db.h"
#include "migrate/ops.h"
#include "migrate/schema.h"

struct mig_compare_opts {
	bool compare_type;           /* compare column types (default true) */
	bool compare_server_default; /* compare server defaults (default true) */
	/* Tables that are neither compared nor dropped: globs (fnmatch) on name
	 * or schema.name, and the version and history tables (NULL: the
	 * defaults, migrate_version and migrate_history). */
	const struct mig_strlist *exclude_tables;
	const char *version_table;
	const char *history_table;
	/* Compare tables and enums of schemas other than the default (declared
	 * "billing.invoices"); without it they are left out, with a hint. */
	bool include_schemas;
	/* "old:new" renames to emit instead of a drop and a create: a table
	 * ("t_old:t_new") or a column ("table.c_old:c_new"). May be NULL. */
	const struct mig_strlist *renames;
};

/* The defaults above (both comparisons on, nothing excluded). */
void mig_compare_opts_init(struct mig_compare_opts *opts);

/* Append to upgrade the ops that turn reflected into declared on dialect
 * impl, in an order that can run (enums, renames, new tables in foreign key
 * order, constraint and index drops, columns, constraint and index creations,
 * table drops, enum drops), and to downgrade the exact inverse, whose drops
 * carry full definitions. The same inputs give the same ops. hints (may be
 * NULL) gets one line per thing worth telling the user (possible renames,
 * differences no op expresses); some ops carry a note for the revision file.
 * Errors: usage class for a bad rename, file class for what the models ask
 * that no op can do (removing a value from an enum). */
int mig_compare(const struct mig_dialect_impl *impl, const struct mig_schema *declared,
		const struct mig_schema *reflected, const struct mig_compare_opts *opts,
		struct mig_oplist *upgrade, struct mig_oplist *downgrade,
		struct mig_strlist *hints);

/* The normal forms compare uses, exposed for tests and tools. new strings. */
/* A SQL expression (check, index expression, computed column): casts,
 * identifier quotes, grouping parentheses, case and spacing outside string
 * literals folded. */
char *mig_compare_norm_expr(const char *sql);
/* A server default of a column of type t on dialect impl, or NULL when the
 * text means no default (NULL). */
char *mig_compare_norm_default(const struct mig_dialect_impl *impl, const struct mig_type *t,
			       const char *sql);
/* A column type as impl writes it, with the dialect's synonyms folded. */
char *mig_compare_norm_type(const struct mig_dialect_impl *impl, const struct mig_type *t,
			    const struct mig_schema *s);

#endif
