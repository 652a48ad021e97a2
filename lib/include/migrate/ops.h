/* The operation model (DESIGN §1, §6): what autogenerate produces, what
 * revision files carry, what the dialects render to SQL and what
 * mig_schema_apply() replays on an in-memory schema. */
#ifndef MIGRATE_OPS_H
#define MIGRATE_OPS_H

#include "migrate/common.h"
#include "migrate/schema.h"

/* Every op of a revision file, by its YAML name (Alembic's). */
enum mig_op_kind {
	MIG_OP_CREATE_TABLE = 0,
	MIG_OP_DROP_TABLE,
	MIG_OP_RENAME_TABLE,
	MIG_OP_ADD_COLUMN,
	MIG_OP_DROP_COLUMN,
	MIG_OP_ALTER_COLUMN,
	MIG_OP_CREATE_INDEX,
	MIG_OP_DROP_INDEX,
	MIG_OP_CREATE_PRIMARY_KEY,
	MIG_OP_CREATE_UNIQUE_CONSTRAINT,
	MIG_OP_CREATE_CHECK_CONSTRAINT,
	MIG_OP_CREATE_FOREIGN_KEY,
	MIG_OP_DROP_CONSTRAINT,
	MIG_OP_CREATE_TABLE_COMMENT,
	MIG_OP_DROP_TABLE_COMMENT,
	MIG_OP_CREATE_ENUM,
	MIG_OP_DROP_ENUM,
	MIG_OP_ADD_ENUM_VALUE,
	MIG_OP_BULK_INSERT,
	MIG_OP_SQL,
};
#define MIG_OP_KIND_COUNT (MIG_OP_SQL + 1)

/* "create_table"… */
const char *mig_op_kind_name(enum mig_op_kind k);
/* 0, or MIG_ENOTFOUND (no message set) for a name that is not an op. */
int mig_op_kind_parse(const char *name, enum mig_op_kind *out);

/* The type of constraint a create_* op makes or drop_constraint drops
 * (`type: primary|unique|check|foreignkey`). */
enum mig_constraint_type {
	MIG_CONSTRAINT_NONE = 0,
	MIG_CONSTRAINT_PRIMARY,
	MIG_CONSTRAINT_UNIQUE,
	MIG_CONSTRAINT_CHECK,
	MIG_CONSTRAINT_FOREIGNKEY,
};
const char *mig_constraint_type_name(enum mig_constraint_type t); /* "primary"… */

/* A text whose absence and null mean different things. set false: the key
 * was absent (not changing / not known). set true, value NULL: null (drop /
 * known to be none). set true, value non-NULL: that text. */
struct mig_optstr {
	bool set;
	const char *value;
};

/* alter_column: each change has an existing_* counterpart so the op can be
 * inverted and rendered where the whole column must be restated (MySQL
 * MODIFY). */
struct mig_alter_column {
	const char *new_name;          /* rename the column, or NULL */
	struct mig_type type;          /* new type; zeroed: unchanged (mig_type_is_set) */
	struct mig_type existing_type; /* zeroed: not known */
	enum mig_tristate nullable;    /* MIG_UNSET: unchanged */
	enum mig_tristate existing_nullable;
	struct mig_optstr default_sql; /* server default: set, or drop (value NULL) */
	struct mig_optstr existing_default;
	struct mig_optstr comment; /* set, or drop (value NULL) */
	struct mig_optstr existing_comment;
	const char *postgresql_using; /* USING expression for a type change, or NULL */
	enum mig_tristate existing_autoincrement;
	const char *existing_collation;
	const char *existing_server_onupdate; /* MySQL ON UPDATE expression */
};

/* Whether an alter_column type field is given. */
static inline bool mig_type_is_set(const struct mig_type *t)
{
	return t->raw || t->kind != MIG_TYPE_OTHER;
}

/* A scalar of a bulk_insert row. Plain YAML numbers and booleans keep their
 * kind; quoted scalars are strings. text is NULL for MIG_VALUE_NULL and
 * "true"/"false" for booleans. */
enum mig_value_kind {
	MIG_VALUE_NULL = 0,
	MIG_VALUE_STRING,
	MIG_VALUE_NUMBER,
	MIG_VALUE_BOOL,
};
struct mig_value {
	enum mig_value_kind kind;
	const char *text;
};

/* One dialect's text of a per-dialect sql op. */
struct mig_sql_text {
	const char *dialect; /* "postgresql", "mysql" or "sqlite" */
	const char *text;
};

/* One operation. Only the fields of its kind are used; the others are zero.
 * Strings and definitions belong to the oplist that holds the op. */
struct mig_op {
	enum mig_op_kind kind;
	struct mig_pos pos; /* where the op was read; pos.file NULL when built in code */
	const char *note;   /* free text written as "# …" lines above the op, or NULL */

	/* The table the op is about (every op but the enum ops and sql); for
	 * the enum ops, schema is the enum's schema. NULL schema: the default. */
	const char *schema;
	const char *table;
	/* The object's name: index (create_index, drop_index), constraint
	 * (create_* constraint ops, may be NULL; drop_constraint, NULL only for a
	 * primary key or when the definition is carried), enum (enum ops). */
	const char *name;

	/* create_table (always), drop_table (when the definition is carried). */
	struct mig_table *table_def;
	/* rename_table: the new name (the table stays in its schema). */
	const char *new_name;

	/* add_column (always), drop_column (when the definition is carried). */
	struct mig_column *column_def;
	/* drop_column, alter_column: the column's name. */
	const char *column;
	/* alter_column */
	struct mig_alter_column alter;

	/* create_index (always), drop_index (when the definition is carried). */
	struct mig_index *index;

	/* create_primary_key, create_unique_constraint, create_check_constraint,
	 * create_foreign_key: the constraint type and its definition (the one
	 * pointer that matches); drop_constraint: the type, and the definition
	 * when carried. */
	enum mig_constraint_type constraint;
	struct mig_primary_key *pk;
	struct mig_unique *unique;
	struct mig_check *check;
	struct mig_foreign_key *fk;

	/* create_table_comment: the new text; create_table_comment and
	 * drop_table_comment: the text before the op when known. */
	const char *table_comment;
	struct mig_optstr existing_comment;

	/* create_enum (always), drop_enum (when carried): the values in order. */
	MIG_VEC(const char *) enum_values;
	/* add_enum_value: the value, where it goes (before or after another
	 * value, at most one; at the end when both are NULL), and whether an
	 * existing value is accepted. */
	const char *value;
	const char *before;
	const char *after;
	bool if_not_exists;

	/* bulk_insert: the column names (the keys of the rows, in the first
	 * row's order) and the rows, each an array of columns.n values in that
	 * order. */
	MIG_VEC(const char *) columns;
	MIG_VEC(struct mig_value *) rows;

	/* sql: one text for every dialect, or (sql NULL) one text per dialect. */
	const char *sql;
	MIG_VEC(struct mig_sql_text) sql_dialects;
};

/* Set the error "path:line:column: <op>: <message>" (without the position
 * when the op has none), the form every problem of an op as written takes.
 * mig_op_error sets a FILE-class error and returns MIG_ERROR;
 * mig_op_error_code sets one of class klass and returns code. */
int mig_op_error(const struct mig_op *op, const char *fmt, ...) MIG_PRINTF(2, 3);
int mig_op_error_code(const struct mig_op *op, int code, enum mig_error_class klass,
		      const char *fmt, ...) MIG_PRINTF(4, 5);

/* A list of ops that owns them and all their strings: pool's arena holds
 * every string and definition (pool has no tables of its own). */
struct mig_oplist {
	MIG_VEC(struct mig_op) ops;
	struct mig_schema pool;
};

void mig_oplist_init(struct mig_oplist *l);
void mig_oplist_release(struct mig_oplist *l);
/* Deep-copy op (whose strings and definitions may be borrowed from anywhere)
 * to the end of l; returns the stored op. Pointers into l->ops are
 * invalidated by the next push. An op built in code may leave schema/table,
 * name and column to its definition (table_def, index, pk/unique/check/fk,
 * column_def): the copy fills them from it. */
struct mig_op *mig_oplist_push(struct mig_oplist *l, const struct mig_op *op);
/* Append every op of src (deep copies). */
void mig_oplist_extend(struct mig_oplist *l, const struct mig_oplist *src);

/* The text of an sql op for one dialect (the generic text, or that
 * dialect's entry). A dialect missing from the op's mapping is a FILE-class
 * error naming the op's position. */
int mig_op_sql_text(const struct mig_op *op, const char *dialect, const char **out);

/* Apply one op to an in-memory schema (DESIGN §1). Returns 0, or
 * MIG_APPLY_OPAQUE for an sql op, whose effect the schema cannot follow (the
 * schema is then approximate); bulk_insert changes nothing and returns 0.
 * An op that does not fit the schema is a FILE-class error
 * "path:line:column: drop_table: no table 'x'" (MIG_ENOTFOUND or
 * MIG_EEXISTS where those fit); s is then unchanged. */
#define MIG_APPLY_OPAQUE 1
int mig_schema_apply(struct mig_schema *s, const struct mig_op *op);
/* Apply every op in order; *opaque (may be NULL) counts the sql ops. Stops
 * at the first error. */
int mig_schema_apply_all(struct mig_schema *s, const struct mig_oplist *ops, size_t *opaque);

/* Append to out the op that undoes op. before is the schema before op (may
 * be NULL); it fills what op does not carry (the definition of a dropped
 * table, column, index or constraint, the existing_* of alter_column). sql,
 * bulk_insert, add_enum_value and a drop that carries no definition when
 * before cannot supply one are FILE-class errors naming the op. */
int mig_op_invert(const struct mig_op *op, const struct mig_schema *before,
		  struct mig_oplist *out);
/* Append to out the ops that undo every op of ops, in reverse order. With
 * before, each op is inverted against the schema just before it (before
 * with the earlier ops applied). */
int mig_oplist_invert(const struct mig_oplist *ops, const struct mig_schema *before,
		      struct mig_oplist *out);

/* Parse one YAML document whose root is an op list (for tests and tools);
 * path is used in messages. Every problem is reported, one per line, in one
 * FILE-class error. Notes ("# …" lines above an op) are read too. */
int mig_ops_parse_string(const char *path, const char *text, struct mig_oplist *out);
/* Write ops as a YAML block sequence whose "- " sits at indent levels of
 * two spaces (DESIGN §6 style; deterministic). Nothing is written for an
 * empty list: the caller writes "upgrade: []". */
void mig_ops_write(struct mig_str *out, const struct mig_oplist *ops, int indent);

#endif
