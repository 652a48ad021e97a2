/* Open-addressing (linear probing) string hash table. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a: short keys (revision ids), good enough spread, no setup. */
static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void rehash(struct mig_strmap *m, size_t cap)
{
	struct mig_strmap_slot *old = m->slots;
	size_t oldcap = m->cap;
	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].key) {
			continue;
		}
		size_t j = old[i].hash & (cap - 1);
		while (m->slots[j].key) {
			j = (j + 1) & (cap - 1);
		}
		m->slots[j] = old[i];
	}
	free(old);
}

void mig_strmap_reserve(struct mig_strmap *m, size_t expected)
{
	size_t cap = 16;
	while (cap < expected * 2) {
		cap *= 2;
	}
	if (cap > m->cap) {
		rehash(m, cap);
	}
}

void *mig_strmap_get(const struct mig_strmap *m, const char *key)
{
	if (!m->cap) {
		return NULL;
	}
	uint32_t h = hash_str(key);
	for (size_t j = h & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
		const struct mig_strmap_slot *s = &m->slots[j];
		if (!s->key) {
			return NULL;
		}
		if (s->hash == h && strcmp(s->key, key) == 0) {
			return s->value;
		}
	}
}

void *mig_strmap_put(struct mig_strmap *m, const char *key, void *value)
{
	if ((m->n + 1) * 2 > m->cap) {
		rehash(m, m->cap ? m->cap * 2 : 16);
	}
	uint32_t h = hash_str(key);
	size_t j = h & (m->cap - 1);
	for (;; j = (j + 1) & (m->cap - 1)) {
		struct mig_strmap_slot *s = &m->slots[j];
		if (!s->key) {
			break;
		}
		if (s->hash == h && strcmp(s->key, key) == 0) {
			return s->value;
		}
	}
	m->slots[j].key = key;
	m->slots[j].hash = h;
	m->slots[j].value = value;
	m->n++;
	return NULL;
}

void mig_strmap_release(struct mig_strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
