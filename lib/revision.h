/* Revision files, the parts the graph needs beyond the public header.
 * Private to lib/. */
#ifndef MIG_REVISION_PRIV_H
#define MIG_REVISION_PRIV_H

#include "migrate/revision.h"
#include "ydoc.h"

/* Parse the header of one file into r (zeroed first), adding every problem to
 * dg, so that a caller reading many files can report them all at once.
 * path must outlive r (an arena string). Returns MIG_ERROR when this file had
 * problems. */
int mig_revision_parse_into(const char *path, const char *text, size_t len, struct mig_arena *a,
			    struct mig_diags *dg, struct mig_revision *r);

/* mig_revision_parse_full with the problems added to dg instead of set as
 * the error, so that files can be parsed on several threads. Returns
 * MIG_ERROR (and *out untouched) when this file had problems. */
int mig_revision_parse_full_into(const char *path, const char *text, size_t len,
				 struct mig_diags *dg, struct mig_revision_file **out);

#endif
