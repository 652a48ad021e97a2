/* Database URLs (DESIGN §4): parsing, percent-decoding and masked printing. */
#ifndef MIGRATE_URL_H
#define MIGRATE_URL_H

#include "migrate/common.h"

struct mig_url_param {
	char *key;
	char *value;
};

struct mig_url {
	char *dialect;  /* canonical: "postgresql", "mysql" or "sqlite" */
	char *driver;   /* the "+driver" part as written, or NULL */
	char *scheme;   /* the scheme as written, e.g. "postgres" or "mariadb+mysqlclient" */
	char *user;     /* percent-decoded, or NULL */
	char *password; /* percent-decoded, or NULL; never print it */
	char *host;     /* without IPv6 brackets, or NULL */
	int port;       /* 0 when absent */
	char *database; /* percent-decoded; for sqlite the file path or ":memory:"; may be NULL */
	MIG_VEC(struct mig_url_param) params; /* query parameters, in order, decoded */
};

/* Parse text into a new URL. Usage-class error on malformed input. */
int mig_url_parse(struct mig_url **out, const char *text);
void mig_url_free(struct mig_url *url);
/* The value of query parameter key, or NULL. */
const char *mig_url_param(const struct mig_url *url, const char *key);
/* The URL as text with the password replaced by "***". New string. */
char *mig_url_masked(const struct mig_url *url);
/* Mask the password inside a URL given as text, even one that does not parse
 * (best effort); new string. */
char *mig_url_mask_text(const char *text);
/* True for an in-memory SQLite database. */
bool mig_url_is_memory(const struct mig_url *url);

#endif
