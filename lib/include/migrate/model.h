/* Model files (DESIGN §5): the declared schema, loaded from YAML, and the
 * writer that turns any schema (e.g. a reflected one) back into model YAML. */
#ifndef MIGRATE_MODEL_H
#define MIGRATE_MODEL_H

#include "migrate/common.h"
#include "migrate/schema.h"

/* Load every *.yaml / *.yml below each path (files or folders, recursively,
 * in sorted order) into one schema. Every problem in every file is reported
 * as "path:line:column: message", one per line, in one FILE-class error. */
int mig_model_load(const struct mig_strlist *paths, struct mig_schema **out);
/* The same for one document given as text (path is used in messages). */
int mig_model_load_string(const char *path, const char *text, struct mig_schema **out);

/* Write schema as one model YAML stream (naming convention, enums, tables in
 * order). Deterministic: the same schema gives the same bytes. */
void mig_model_write(struct mig_str *out, const struct mig_schema *s);
/* Write one YAML document for a single table (and nothing else). */
void mig_model_write_table(struct mig_str *out, const struct mig_schema *s,
			   const struct mig_table *t);
/* Write schema as a folder of model files: _schema.yaml (naming convention and
 * enums, when any) and one <table>.yaml per table, each written atomically. */
int mig_model_write_dir(const struct mig_schema *s, const char *dir);

/* True when the model loader accepts t's type: a generic type, an enum
 * declared in s, or a database type it knows by name (anything else is
 * reported as an unknown type, most often a typo). For reflection, which must
 * write types the loader reads back. */
bool mig_model_type_known(const struct mig_schema *s, const struct mig_type *t);

/* Give names to unnamed indexes and constraints per the naming convention,
 * move column-level shorthands (primary_key, unique, index, references) into
 * the table-level lists. Done by the loader; exposed for schemas built in
 * code. */
void mig_table_normalize(struct mig_schema *s, struct mig_table *t);

#endif
