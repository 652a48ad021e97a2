/* The in-memory schema model (DESIGN §1): produced by the YAML model loader and
 * by every dialect's reflection, read by compare, changed by ops in memory.
 * Strings belong to the schema's arena; arrays are MIG_VECs freed with the
 * schema. */
#ifndef MIGRATE_SCHEMA_H
#define MIGRATE_SCHEMA_H

#include "migrate/common.h"

/* Generic type kinds (DESIGN §5). MIG_TYPE_OTHER keeps the raw text. */
enum mig_type_kind {
	MIG_TYPE_OTHER = 0,
	MIG_TYPE_SMALLINT,
	MIG_TYPE_INTEGER,
	MIG_TYPE_BIGINT,
	MIG_TYPE_BOOLEAN,
	MIG_TYPE_REAL,
	MIG_TYPE_FLOAT, /* double precision */
	MIG_TYPE_NUMERIC,
	MIG_TYPE_VARCHAR,
	MIG_TYPE_CHAR,
	MIG_TYPE_TEXT,
	MIG_TYPE_DATE,
	MIG_TYPE_TIME,
	MIG_TYPE_TIMESTAMP,
	MIG_TYPE_TIMESTAMPTZ,
	MIG_TYPE_INTERVAL,
	MIG_TYPE_BINARY,
	MIG_TYPE_JSON,
	MIG_TYPE_UUID,
	MIG_TYPE_ENUM, /* a named enum declared under enums: (name in enum_name) */
};

struct mig_type {
	enum mig_type_kind kind;
	int length;    /* varchar(n)/char(n)/binary(n): n; -1 when absent */
	int precision; /* numeric(p,s): p; time/timestamp(p): p; -1 when absent */
	int scale;     /* numeric(p,s): s; -1 when absent */
	const char *raw;       /* the text as written or reflected */
	const char *enum_name; /* MIG_TYPE_ENUM: the enum's name (possibly schema-qualified) */
	/* Inline enum values (MySQL ENUM('a','b') reflected, or an inline enum). */
	MIG_VEC(const char *) enum_values;
};

enum mig_fk_action {
	MIG_FK_NONE = 0, /* not given (database default, NO ACTION) */
	MIG_FK_NO_ACTION,
	MIG_FK_RESTRICT,
	MIG_FK_CASCADE,
	MIG_FK_SET_NULL,
	MIG_FK_SET_DEFAULT,
};

enum mig_tristate { MIG_UNSET = 0, MIG_FALSE = 1, MIG_TRUE = 2 };

/* Where a thing was declared (model or revision file), for messages. */
struct mig_pos {
	const char *file;
	unsigned line;
	unsigned column;
};

struct mig_column {
	const char *name;
	struct mig_type type;
	bool nullable;
	bool primary_key;      /* part of the table's primary key (column-level flag) */
	bool unique;           /* one-column unique constraint declared on the column */
	bool index;            /* one-column index declared on the column */
	const char *default_sql; /* SQL expression after DEFAULT, or NULL */
	enum mig_tristate autoincrement; /* UNSET: automatic for a single integer PK */
	bool identity;         /* GENERATED … AS IDENTITY */
	bool identity_always;  /* ALWAYS (true) or BY DEFAULT */
	long long identity_start;     /* 0 when not given */
	long long identity_increment; /* 0 when not given */
	const char *computed_sql; /* generated column expression, or NULL */
	bool computed_stored;
	/* FK shorthand (references: table.column) */
	const char *ref_table;
	const char *ref_column;
	enum mig_fk_action on_delete;
	enum mig_fk_action on_update;
	bool deferrable;
	bool initially_deferred;
	const char *collation;
	const char *comment;
	const char *on_update_sql; /* MySQL ON UPDATE CURRENT_TIMESTAMP, or NULL */
	struct mig_pos pos;
};

/* An index element: a column name or an expression. */
struct mig_index_elem {
	const char *column;     /* NULL when expression is set */
	const char *expression; /* SQL expression, or NULL */
	bool desc;
};

struct mig_index {
	const char *name;
	MIG_VEC(struct mig_index_elem) elems;
	bool unique;
	const char *where; /* partial index predicate, or NULL */
	const char *using; /* btree, gin, fulltext… or NULL for the default */
	struct mig_pos pos;
};

struct mig_unique {
	const char *name;
	MIG_VEC(const char *) columns;
	bool deferrable;
	struct mig_pos pos;
};

struct mig_primary_key {
	const char *name; /* may be NULL */
	MIG_VEC(const char *) columns;
};

struct mig_foreign_key {
	const char *name;
	MIG_VEC(const char *) columns;
	const char *ref_schema; /* may be NULL */
	const char *ref_table;
	MIG_VEC(const char *) ref_columns;
	enum mig_fk_action on_delete;
	enum mig_fk_action on_update;
	bool deferrable;
	bool initially_deferred;
	/* MySQL: the index the server made itself for the key (reflection
	 * leaves it out of the table's indexes), or NULL */
	const char *index;
	struct mig_pos pos;
};

struct mig_check {
	const char *name; /* may be NULL when reflected unnamed */
	const char *sql;
	/* the column the check is written on, or NULL for a table check; MariaDB
	 * keeps such a check in the column's definition (named after it) */
	const char *column;
	struct mig_pos pos;
};

struct mig_table {
	const char *schema; /* NULL for the default schema */
	const char *name;
	const char *comment;
	MIG_VEC(struct mig_column) columns;
	struct mig_primary_key pk; /* pk.columns.n == 0: none */
	MIG_VEC(struct mig_index) indexes;
	MIG_VEC(struct mig_unique) uniques;
	MIG_VEC(struct mig_foreign_key) fks;
	MIG_VEC(struct mig_check) checks;
	const char *options; /* dialect table options (MySQL ENGINE=…), or NULL */
	struct mig_pos pos;
};

struct mig_enum {
	const char *schema;
	const char *name;
	MIG_VEC(const char *) values;
	struct mig_pos pos;
};

/* Objects the model does not represent (yet): recorded so nothing is
 * silently ignored; reflection warns about them. */
enum mig_object_kind {
	MIG_OBJ_VIEW,
	MIG_OBJ_MATERIALIZED_VIEW,
	MIG_OBJ_SEQUENCE,
	MIG_OBJ_TRIGGER,
	MIG_OBJ_FUNCTION,
	MIG_OBJ_PROCEDURE,
	MIG_OBJ_DOMAIN,
	MIG_OBJ_TYPE,
	MIG_OBJ_PARTITION,   /* a partition of a partitioned table */
	MIG_OBJ_INHERITANCE, /* a table that inherits another */
	MIG_OBJ_EXTENSION,
	MIG_OBJ_OTHER,
};

struct mig_object {
	enum mig_object_kind kind;
	const char *schema;
	const char *name;
	const char *detail; /* e.g. the table a trigger or partition belongs to */
	/* The definition as the database keeps it, or NULL when not read (SQLite
	 * triggers, which a table rebuild recreates). */
	const char *sql;
};

struct mig_naming_convention {
	const char *ix, *uq, *ck, *fk, *pk;
};

struct mig_schema {
	struct mig_arena arena;
	MIG_VEC(struct mig_table) tables;
	MIG_VEC(struct mig_enum) enums;
	MIG_VEC(struct mig_object) objects;
	struct mig_naming_convention naming;
	struct mig_strlist warnings; /* messages about what could not be represented */
};

struct mig_schema *mig_schema_new(void);
void mig_schema_free(struct mig_schema *s);
/* Deep copy (own arena). */
struct mig_schema *mig_schema_copy(const struct mig_schema *s);

/* Lookup by name; name may be "schema.table". NULL when absent. */
struct mig_table *mig_schema_find_table(const struct mig_schema *s, const char *schema,
					const char *name);
struct mig_enum *mig_schema_find_enum(const struct mig_schema *s, const char *schema,
				      const char *name);
struct mig_column *mig_table_find_column(const struct mig_table *t, const char *name);
/* Whether the name lists a and b are the same names in the same order, and
 * whether names holds name (exact comparisons). */
bool mig_names_equal(const char *const *a, size_t na, const char *const *b, size_t nb);
bool mig_names_have(const char *const *names, size_t n, const char *name);
/* Move the foreign key column c declares on itself (references:, on_delete
 * …) into t's list as f, whose name, position and referenced table the
 * caller has set: the key gets c's column, referenced column and actions,
 * and c keeps none of them. */
void mig_table_take_column_fk(struct mig_table *t, struct mig_column *c,
			      struct mig_foreign_key *f);
struct mig_index *mig_table_find_index(const struct mig_table *t, const char *name);

/* Add a new empty table/enum (strings copied into the arena); returns it.
 * Pointers into the tables vector are invalidated by the next add. */
struct mig_table *mig_schema_add_table(struct mig_schema *s, const char *schema,
				       const char *name);
struct mig_enum *mig_schema_add_enum(struct mig_schema *s, const char *schema, const char *name);
/* Remove table by index, releasing its vectors. */
void mig_schema_remove_table(struct mig_schema *s, size_t i);

/* Release the vectors inside a table/column (strings are arena-owned). */
void mig_table_release(struct mig_table *t);
void mig_column_release(struct mig_column *c);
/* Deep copies using dst's arena for strings. */
void mig_table_copy(struct mig_schema *dst, struct mig_table *out, const struct mig_table *src);
void mig_column_copy(struct mig_schema *dst, struct mig_column *out, const struct mig_column *src);

/* "schema.name" or "name"; arena string. */
const char *mig_table_qualname(struct mig_schema *s, const struct mig_table *t);
/* Split "a.b" into schema "a" and name "b" (schema NULL when unqualified);
 * strings in the arena. */
void mig_split_qualname(struct mig_arena *a, const char *qual, const char **schema,
			const char **name);

/* Parse a generic or dialect type string ("varchar(255)", "numeric(10, 2)",
 * "order_status"). Enum names are resolved by the caller. Returns 0, or a
 * FILE-class error message without position ("invalid type 'varchar(x)'"). */
int mig_type_parse(struct mig_arena *a, const char *text, struct mig_type *out);
/* The canonical generic spelling ("varchar(255)", "numeric(10,2)", "timestamptz"). */
void mig_type_format(struct mig_str *out, const struct mig_type *t);
const char *mig_fk_action_name(enum mig_fk_action a); /* "cascade", "set null"… or NULL */
int mig_fk_action_parse(const char *text, enum mig_fk_action *out);
const char *mig_object_kind_name(enum mig_object_kind k);

/* Apply a naming convention template ("ix_%(table)s_%(columns)s") to produce
 * a name; arena string. kind is "ix", "uq", "ck", "fk", "pk". */
const char *mig_naming_apply(struct mig_arena *a, const char *tmpl, const char *table,
			     const char *const *columns, size_t ncolumns, const char *name,
			     const char *ref_table);

/* ---- reading SQL expression text (lib/sqltext.c) ----
 * The ANSI lexical rules the three dialects share: '…' strings, "…", `…`
 * and […] quoted names with doubled closing quotes. */
bool mig_sql_word_char(unsigned char c); /* a letter, digit, _, $ or non-ASCII byte */
/* Length of the quoted token at p ('x', "x", `x` or [x]), or 0 when it does
 * not close. */
size_t mig_sql_quoted_len(const char *p);
/* Append the text of the quoted token q of len bytes, quotes removed and
 * doubled quotes undone. */
void mig_sql_unquote(struct mig_str *out, const char *q, size_t len);
/* Whether the expression names the column name (bare or quoted, without
 * ASCII case), outside string literals and function names. */
bool mig_sql_names(const char *sql, const char *name);
/* Whether the expression names column and no other column of t (a CHECK that
 * goes with the column when it is dropped). */
bool mig_sql_names_only(const char *sql, const struct mig_table *t, const char *column);

#endif
