/* Reading op lists from revision-file YAML (DESIGN §6). Private to lib/;
 * the writer is public (migrate/ops.h). */
#ifndef MIG_OPS_YAML_H
#define MIG_OPS_YAML_H

#include "ydoc.h"

/* Parse seq, a YAML sequence of single-key mappings ("- create_table: {…}"),
 * appending the ops to out. A null node is an empty list. Every problem goes
 * to d's diagnostics with its position; returns MIG_ERROR when there were
 * any (out then holds the ops that did parse). */
int mig_ops_parse(struct mig_ydoc *d, const yaml_node_t *seq, struct mig_oplist *out);

/* Attach to each op of ops from index first on, read from text (the whole
 * file, as parsed), the full-line "# …" comments directly above it, as its
 * note. */
void mig_ops_read_notes(struct mig_oplist *ops, size_t first, const char *text);

#endif
