/* SHA-1, for git blob ids. Private to lib/. */
#ifndef MIG_SHA1_H
#define MIG_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct mig_sha1 {
	uint32_t h[5];
	uint64_t len; /* bytes hashed */
	unsigned char buf[64];
	size_t n; /* bytes waiting in buf */
};

void mig_sha1_init(struct mig_sha1 *c);
void mig_sha1_update(struct mig_sha1 *c, const void *data, size_t len);
void mig_sha1_final(struct mig_sha1 *c, unsigned char out[20]);

#endif
