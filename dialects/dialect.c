/* The dialect registry: the one place that knows which dialects were built.
 * Everything else finds a dialect by name through mig_dialect_find(). */
#include "dialect.h"

#include <string.h>

/* The dialects compiled in, in the order of the known list below. */
static const struct mig_dialect_impl *const built[] = {
#if MIG_HAVE_POSTGRESQL
	&mig_postgresql_impl,
#endif
#if MIG_HAVE_MYSQL
	&mig_mysql_impl,
#endif
#if MIG_HAVE_SQLITE
	&mig_sqlite_impl,
#endif
	NULL,
};

/* Every dialect migrate knows, built or not (so a left-out one is named as such). */
static const char *const known[] = { "postgresql", "mysql", "sqlite", NULL };

/* Their names, for mig_dialect_names(). */
static const char *const built_names[] = {
#if MIG_HAVE_POSTGRESQL
	"postgresql",
#endif
#if MIG_HAVE_MYSQL
	"mysql",
#endif
#if MIG_HAVE_SQLITE
	"sqlite",
#endif
	NULL,
};

int mig_dialect_find(const char *name, const struct mig_dialect_impl **out)
{
	*out = NULL;
	for (size_t i = 0; built[i]; i++) {
		if (mig_streq(built[i]->name, name)) {
			*out = built[i];
			return 0;
		}
	}
	for (size_t i = 0; known[i]; i++) {
		if (mig_streq(known[i], name)) {
			return mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_USAGE,
					      "dialect '%s' was disabled at build time", name);
		}
	}
	struct mig_str list = MIG_STR_INIT;
	for (size_t i = 0; known[i]; i++) {
		mig_str_addf(&list, "%s%s", i ? ", " : "", known[i]);
	}
	mig_error_code(MIG_ENOTFOUND, MIG_ECLASS_USAGE, "unknown dialect '%s' (known: %s)",
		       name ? name : "", list.buf);
	mig_str_release(&list);
	return MIG_ENOTFOUND;
}

const char *const *mig_dialect_names(void)
{
	return built_names;
}

const char *mig_dialect_name(const struct mig_dialect_impl *impl)
{
	return impl->name;
}

unsigned mig_dialect_caps(const struct mig_dialect_impl *impl)
{
	return impl->caps;
}

void mig_dialect_quote_ident(const struct mig_dialect_impl *impl, struct mig_str *out,
			     const char *ident)
{
	impl->quote_ident(out, ident);
}

void mig_dialect_quote_literal(const struct mig_dialect_impl *impl, struct mig_str *out,
			       const char *text)
{
	impl->quote_literal(out, text);
}
