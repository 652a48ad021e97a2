/* The column and table grammar shared by model files and revision files (one
 * parser for both, DESIGN §6). Private to lib/. */
#ifndef MIG_MODEL_PRIV_H
#define MIG_MODEL_PRIV_H

#include "ydoc.h"

/* Parse a column spec: a scalar (the type) or a mapping of the column grammar.
 * name may be NULL when allow_name is true and the mapping carries name:.
 * Problems go to d's diagnostics; returns MIG_ERROR when there were any. */
int mig_model_parse_column(struct mig_ydoc *d, struct mig_schema *s, const char *name,
			   const yaml_node_t *node, bool allow_name, struct mig_column *out);
/* Parse a table body mapping (columns, primary_key, indexes, unique, checks,
 * foreign_keys, comment, options) into t. extra_keys lists more keys the
 * caller handles itself (e.g. "name" in create_table); NULL for none. */
int mig_model_parse_table(struct mig_ydoc *d, struct mig_schema *s, struct mig_table *t,
			  const yaml_node_t *map, const char *const *extra_keys);
/* Parse one index / unique / check / foreign key item (the grammar of the
 * table lists, also used by create_index and create_*_constraint ops). */
int mig_model_parse_index(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
			  const char *const *extra_keys, struct mig_index *out);
int mig_model_parse_unique(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
			   const char *const *extra_keys, struct mig_unique *out);
int mig_model_parse_check(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
			  const char *const *extra_keys, struct mig_check *out);
int mig_model_parse_fk(struct mig_ydoc *d, struct mig_schema *s, const yaml_node_t *n,
		       const char *const *extra_keys, struct mig_foreign_key *out);
/* Resolve a type name against declared enums; called after all files load. */
void mig_model_resolve_types(struct mig_schema *s, struct mig_table *t);

/* Writers. Column: a flow mapping "{type: integer, nullable: false}" (the
 * shorthand "integer" when only the type is set and compact is true); with
 * name, "name: x" comes first inside the mapping. */
void mig_model_write_column(struct mig_str *out, const struct mig_column *c, bool with_name,
			    bool compact);
void mig_model_write_index(struct mig_str *out, const struct mig_index *ix);
void mig_model_write_unique(struct mig_str *out, const struct mig_unique *u);
void mig_model_write_check(struct mig_str *out, const struct mig_check *c);
void mig_model_write_fk(struct mig_str *out, const struct mig_foreign_key *fk);
/* The body of a table (the keys under its name), at indent level. */
void mig_model_write_table_body(struct mig_str *out, const struct mig_table *t, int indent);

#endif
