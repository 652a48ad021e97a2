/* A small open-addressing hash table from strings to pointers, for the
 * revision graph (ids and branch labels) and anything else that must look up
 * thousands of names without scanning. Keys are borrowed: they must outlive
 * the map (arena strings do). Private to lib/. */
#ifndef MIG_STRMAP_H
#define MIG_STRMAP_H

#include "migrate/common.h"

struct mig_strmap_slot {
	const char *key; /* NULL: empty */
	uint32_t hash;
	void *value;
};

struct mig_strmap {
	struct mig_strmap_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};
#define MIG_STRMAP_INIT { NULL, 0, 0 }

/* Size the table for about expected keys (optional; it grows by itself). */
void mig_strmap_reserve(struct mig_strmap *m, size_t expected);
/* The value stored for key, or NULL. */
void *mig_strmap_get(const struct mig_strmap *m, const char *key);
/* Store value for key unless key is there already. Returns the value that was
 * there (the map is then unchanged), or NULL after inserting. */
void *mig_strmap_put(struct mig_strmap *m, const char *key, void *value);
void mig_strmap_release(struct mig_strmap *m);

#endif
