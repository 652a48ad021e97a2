/* YAML documents for model and revision files: loading with libyaml,
 * positioned diagnostics (path:line:column), typed access to nodes, and a
 * small deterministic writer. Private to lib/. */
#ifndef MIG_YDOC_H
#define MIG_YDOC_H

#include <yaml.h>

#include "migrate.h"

/* Diagnostics collected while reading files: every problem, not only the
 * first. They are reported in the order the files were read, and by line and
 * column within a file, whichever check found them. */
struct mig_diag_key {
	size_t file; /* index in files */
	unsigned line, column;
	size_t seq; /* order of arrival, for ties */
};
struct mig_diags {
	struct mig_strlist msgs; /* "path:line:column: message" */
	size_t nerrors;
	struct mig_strlist files; /* paths in the order they were read */
	MIG_VEC(struct mig_diag_key) keys; /* one per message */
};
#define MIG_DIAGS_INIT { MIG_STRLIST_INIT, 0, MIG_STRLIST_INIT, { NULL, 0, 0 } }
void mig_diags_addf(struct mig_diags *d, const char *path, unsigned line, unsigned col,
		    const char *fmt, ...) MIG_PRINTF(5, 6);
/* When there are errors, set one FILE-class error holding all of them (one
 * per line) and return MIG_ERROR; else 0. */
int mig_diags_finish(struct mig_diags *d);
/* Record that path is read now (mig_ydoc_load does it), for the order of
 * messages. */
void mig_diags_file(struct mig_diags *d, const char *path);
void mig_diags_release(struct mig_diags *d);

struct mig_ydoc {
	const char *path; /* borrowed */
	yaml_document_t doc;
	bool loaded;
	struct mig_diags *diags; /* borrowed; where problems go */
};

/* Parse text (len bytes) as one YAML document. A syntax error is added to
 * diags and returns MIG_ERROR. An empty file gives a document with no root. */
int mig_ydoc_load(struct mig_ydoc *d, const char *path, const char *text, size_t len,
		  struct mig_diags *diags);
void mig_ydoc_release(struct mig_ydoc *d);
yaml_node_t *mig_ydoc_root(struct mig_ydoc *d);

/* Add a diagnostic at node's position (1-based line and column). */
void mig_ydoc_err(struct mig_ydoc *d, const yaml_node_t *node, const char *fmt, ...)
	MIG_PRINTF(3, 4);
/* The position of node as a struct mig_pos (file string in arena). */
struct mig_pos mig_ydoc_pos(struct mig_ydoc *d, const yaml_node_t *node, struct mig_arena *a);

bool mig_ynode_is_map(const yaml_node_t *n);
bool mig_ynode_is_seq(const yaml_node_t *n);
bool mig_ynode_is_scalar(const yaml_node_t *n);
/* A scalar that means null: ~, null, Null, NULL or empty plain, or !!null. */
bool mig_ynode_is_null(const yaml_node_t *n);
/* Scalar text (NUL-terminated by libyaml), or NULL when not a scalar. */
const char *mig_ynode_str(const yaml_node_t *n);

/* Mapping iteration: for (size_t i = 0; i < mig_ymap_len(d, m); i++) { key/value } */
size_t mig_ymap_len(const yaml_node_t *map);
yaml_node_t *mig_ymap_key(struct mig_ydoc *d, const yaml_node_t *map, size_t i);
yaml_node_t *mig_ymap_value(struct mig_ydoc *d, const yaml_node_t *map, size_t i);
/* Value for a key (first match), or NULL. */
yaml_node_t *mig_ymap_get(struct mig_ydoc *d, const yaml_node_t *map, const char *key);
size_t mig_yseq_len(const yaml_node_t *seq);
yaml_node_t *mig_yseq_item(struct mig_ydoc *d, const yaml_node_t *seq, size_t i);

/* Report every key of map that is not in allowed (NULL-terminated), every
 * non-scalar key and every duplicate key. what names the mapping in messages
 * ("column 'id'"). Returns the number of problems. */
int mig_ymap_check_keys(struct mig_ydoc *d, const yaml_node_t *map, const char *const *allowed,
			const char *what);

/* Typed getters: each reports a positioned problem and returns MIG_ERROR when
 * the node has the wrong shape. */
int mig_ynode_bool(struct mig_ydoc *d, const yaml_node_t *n, const char *key, bool *out);
int mig_ynode_llong(struct mig_ydoc *d, const yaml_node_t *n, const char *key, long long *out);
/* A non-empty scalar string copied into the arena (null is an error). */
int mig_ynode_string(struct mig_ydoc *d, const yaml_node_t *n, const char *key,
		     struct mig_arena *a, const char **out);
/* A list of strings: a sequence of scalars, or a single scalar. */
int mig_ynode_strings(struct mig_ydoc *d, const yaml_node_t *n, const char *key,
		      struct mig_arena *a, void *vec /* MIG_VEC(const char *) * */);

/* ---- writer ---- */

/* Append s double-quoted, with \" \\ \n \t \r escaped, and the other
 * control characters as JSON writes them (\u00XX); with yaml, as YAML writes
 * them (\xXX) along with DEL and what YAML reads as a line break (NEL, LINE
 * SEPARATOR, PARAGRAPH SEPARATOR). */
void mig_quoted_string(struct mig_str *out, const char *s, bool yaml);
/* Append s as a YAML scalar: plain when that reads back as the same string,
 * else double-quoted with escapes. */
void mig_yaml_scalar(struct mig_str *out, const char *s);
/* Append a flow sequence of scalars: [a, b, "c d"]. */
void mig_yaml_flow_seq(struct mig_str *out, const char *const *items, size_t n);
/* Append n levels of two-space indentation. */
void mig_yaml_indent(struct mig_str *out, int level);

#endif
