#!/bin/bash
# Autogenerate on PostgreSQL, MariaDB and SQLite: scenarios of the form
# "database before, models after -> exact ops". Each scenario builds the
# database before with the database's own client (SQL) or with `migrate
# upgrade` of a hand-written revision, writes the model files after, and then
# on every database it names:
#
#   1. `migrate diff` prints exactly the expected upgrade ops (and, for rename
#      hints, exactly the expected hint on stderr);
#   2. `migrate revision --autogenerate` writes those ops (a scenario may also
#      give the exact downgrade ops it must write);
#   3. `migrate upgrade head` applies them and `migrate check` finds nothing
#      left to do;
#   4. `migrate downgrade -1` restores the database before, as its own client
#      describes it (pg_catalog, SHOW CREATE TABLE, sqlite_schema).
#
# A scenario whose models match the database expects no ops: then `diff`
# prints nothing, `revision --autogenerate` refuses and `check` is clean.
# The three databases run side by side, one fresh database per scenario.
# AUTOGEN_ONLY=REGEX runs only the scenarios whose names match (to debug one).
# After the table of scenarios come the flows that do not fit it: autogenerate
# refused off head, `check --format json`, `diff --sql`, --allow-empty.

. "$MIGRATE_E2E_LIB"
require_servers
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL
export SOURCE_DATE_EPOCH=1795860000 # create_date 2026-11-28 10:00:00
export USER=tester

DIALECTS=(postgresql mysql sqlite)
# The id of the hand-written revision that makes the database before, and of
# the revision autogenerate writes.
BEFORE_REV=b0000000000b
AUTO_REV=a0000000000a

# ---- the database side ----

# fresh_url DIALECT NAME: a new, empty database; prints its URL.
fresh_url() {
	case $1 in
	postgresql) pg_fresh_db "$2" ;;
	mysql) my_fresh_db "$2" ;;
	sqlite)
		rm -f "$T/db/$2.db"
		echo "sqlite:///$T/db/$2.db"
		;;
	esac
}

drop_db() {
	case $1 in
	postgresql)
		psql -X -q -d "$(e2e_pg_url postgres)" -c "SET client_min_messages TO warning" \
			-c "DROP DATABASE IF EXISTS \"$2\" WITH (FORCE)" >/dev/null
		;;
	mysql) my_sql "$2" "DROP DATABASE IF EXISTS \`$2\`" ;;
	sqlite) rm -f "$T/db/$2.db" ;;
	esac
}

# load_sql DIALECT URL FILE: runs a SQL script with the database's own client.
load_sql() {
	case $1 in
	postgresql) psql -X -q -v ON_ERROR_STOP=1 -d "$2" -f "$3" >/dev/null ;;
	mysql)
		e2e_parse_url "$2"
		e2e_mariadb "$2" -D "$E2E_URL_DB" <"$3"
		;;
	sqlite) sqlite3 -batch -bail "${2#sqlite:///}" <"$3" ;;
	esac
}

# catalog DIALECT URL: the schema as the database describes it, less the
# version and history tables:
# - PostgreSQL: every column (type, NOT NULL, default, identity, generated
#   expression, comment), constraint, index, table comment, enum and sequence,
#   from pg_catalog;
# - MariaDB: SHOW CREATE TABLE, one line per column, index or constraint,
#   without the AUTO_INCREMENT counter (which a downgrade does not turn back)
#   and line-ending commas, with its index lines and its constraint lines each
#   sorted (it lists them in the order they were created, which a drop and a
#   create change);
# - SQLite: sqlite3's own description of each table (PRAGMA table_xinfo,
#   index_list, index_xinfo, foreign_key_list, and the CHECK clauses of its
#   text with quotes, case and spacing folded), since SQLite keeps the text of
#   CREATE TABLE as written: by hand, by migrate, or edited by its own ALTER
#   TABLE. An INTEGER PRIMARY KEY is the rowid, never NULL whether or not the
#   text says NOT NULL: its NOT NULL flag shows as "rowid".
catalog() {
	case $1 in
	postgresql)
		pg_sql "$2" "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
			a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
			col_description(c.oid, a.attnum)
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
			AND c.relname NOT IN ('migrate_version', 'migrate_history')
			AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum"
		pg_sql "$2" "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = 'public'::regnamespace
			AND conrelid::regclass::text NOT IN ('migrate_version', 'migrate_history')
			ORDER BY 1, 2"
		pg_sql "$2" "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
			AND tablename NOT IN ('migrate_version', 'migrate_history') ORDER BY 1"
		pg_sql "$2" "SELECT relname, obj_description(oid, 'pg_class') FROM pg_class
			WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
			AND obj_description(oid, 'pg_class') IS NOT NULL ORDER BY 1"
		pg_sql "$2" "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
			FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1"
		pg_sql "$2" "SELECT relname FROM pg_class WHERE relkind = 'S'
			AND relnamespace = 'public'::regnamespace
			AND relname <> 'migrate_history_id_seq' ORDER BY 1"
		;;
	mysql)
		local t
		for t in $(my_sql "$2" "SELECT table_name FROM information_schema.tables
			WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
			AND table_name NOT IN ('migrate_version', 'migrate_history') ORDER BY 1"); do
			my_sql "$2" "SHOW CREATE TABLE \`$t\`" | sed -E 's/ AUTO_INCREMENT=[0-9]+//' |
				sed -e 's/\\n/\n/g' | sed -e 's/,$//' | awk '
					function flush(cmd) {
						if (cmd != "") { close(cmd) }
						group = ""
					}
					/^  (UNIQUE |FULLTEXT |SPATIAL )?KEY / || /^  CONSTRAINT / {
						g = ($0 ~ /^  CONSTRAINT /) ? "LC_ALL=C sort -s" : "LC_ALL=C sort"
						if (g != group) { flush(group); fflush(); group = g }
						print | group
						next
					}
					{ flush(group); print }
				'
		done
		;;
	sqlite)
		local db=${2#sqlite:///} t
		sqlite_sql "$db" "SELECT name FROM sqlite_schema WHERE type = 'table'
			AND name NOT IN ('migrate_version', 'migrate_history') ORDER BY name" >"$RUN_DIR/tables"
		while IFS= read -r t; do
			echo "table $t"
			sqlite_sql "$db" "SELECT 'column', cid, name, type,
				CASE WHEN pk = 1 AND upper(type) = 'INTEGER' AND (SELECT count(*)
					FROM pragma_table_info('$t') WHERE pk > 0) = 1 THEN 'rowid'
				ELSE \"notnull\" END, dflt_value, pk, hidden FROM pragma_table_xinfo('$t')"
			sqlite_sql "$db" "SELECT 'fk', id, seq, \"table\", \"from\", \"to\", on_update,
				on_delete, match FROM pragma_foreign_key_list('$t')"
			sqlite_sql "$db" "SELECT 'index', l.name, l.\"unique\", l.origin, l.partial,
				x.seqno, x.name, x.\"desc\", x.coll
				FROM pragma_index_list('$t') l, pragma_index_xinfo(l.name) x
				WHERE x.key ORDER BY l.name, x.seqno"
			sqlite_sql "$db" "SELECT 'index where', name, substr(sql, instr(upper(sql), ' WHERE '))
				FROM sqlite_schema WHERE type = 'index' AND tbl_name = '$t'
				AND instr(upper(sql), ' WHERE ') > 0 ORDER BY name"
			sqlite_sql "$db" "SELECT sql FROM sqlite_schema WHERE name = '$t'" | sq_checks
		done <"$RUN_DIR/tables"
		;;
	esac
}

# The CHECK clauses of CREATE TABLE text on stdin, one per line, with quotes,
# case and spacing folded, sorted.
sq_checks() {
	awk '
		{ text = text $0 " " }
		END {
			up = toupper(text)
			while ((i = index(up, "CHECK")) > 0) {
				rest = substr(text, i + 5)
				text = rest
				up = substr(up, i + 5)
				j = index(rest, "(")
				if (j == 0 || substr(rest, 1, j - 1) !~ /^[ \t]*$/) { continue }
				depth = 0; out = ""
				for (k = j; k <= length(rest); k++) {
					ch = substr(rest, k, 1)
					if (ch == "(") depth++
					if (ch == ")") depth--
					out = out ch
					if (depth == 0) break
				}
				print "check " out
			}
		}
	' | tr -d '[]"`' | tr 'A-Z' 'a-z' | tr -d ' \t' | LC_ALL=C sort
}

# run CMD...: lib.sh's run, with the output files in $RUN_DIR, so that the
# three databases' workers do not share them.
RUN_DIR=$T
run() {
	"$@" >"$RUN_DIR/.out" 2>"$RUN_DIR/.err" && RC=0 || RC=$?
	OUT=$(cat "$RUN_DIR/.out")
	ERR=$(cat "$RUN_DIR/.err")
}

# ---- scenarios ----
#
#   scenario NAME [DIALECT...]   starts one (on every database unless named)
#   before_ops                   stdin: the upgrade ops of a hand-written revision
#                                that makes the database before
#   before_sql DIALECT|all       stdin: SQL run by the database's own client; with
#                                `all`, @PK@ becomes the dialect's autoincrementing
#                                integer primary key
#   models                       stdin: models/schema.yaml after
#   ini                          stdin: lines added to [migrate] in migrate.ini
#   options ARG...               more arguments for diff and revision --autogenerate
#   expect DIALECT|all           stdin: the exact stdout of `migrate diff`
#   expect_err DIALECT|all       stdin: the exact stderr of `migrate diff`
#   expect_down DIALECT|all      stdin: the exact downgrade ops in the revision file
#   after_downgrade DIALECT|all  stdin: a sed script that turns the catalog before
#                                into the catalog after `downgrade -1`, for what a
#                                downgrade cannot undo (each use says why)
#
# A per-dialect text wins over `all`. A scenario without `expect` expects no ops.

S=$T/scenarios
mkdir -p "$S" "$T/db"
# Database names end in this run's own suffix, so that two runs on the same
# servers (two builds, two checkouts) do not drop each other's databases.
RUN_ID=$(printf '%s' "${T##*.}" | tr 'A-Z' 'a-z')
NSC=0
SC=

scenario() {
	NSC=$((NSC + 1))
	SC=$S/$(printf '%02d' "$NSC")-$1
	mkdir "$SC"
	shift
	if (($#)); then
		printf '%s\n' "$@" >"$SC/dialects"
	else
		printf '%s\n' "${DIALECTS[@]}" >"$SC/dialects"
	fi
}
before_ops() { cat >"$SC/before.ops"; }
before_sql() { cat >"$SC/before.$1.sql"; }
models() { cat >"$SC/models.yaml"; }
ini() { cat >"$SC/ini"; }
options() { printf '%s\n' "$@" >"$SC/options"; }
expect() { cat >"$SC/expect.$1"; }
expect_err() { cat >"$SC/err.$1"; }
expect_down() { cat >"$SC/down.$1"; }
after_downgrade() { cat >"$SC/after.$1"; }
# flow FUNC [DIALECT...]: a scenario that is a function, called with the
# dialect, a fresh database's URL and a new project folder (the working
# directory) on it.
flow() {
	scenario "$@"
	echo "$1" >"$SC/flow"
}

# sc_text SC KIND DIALECT: the scenario's text of that kind for the dialect
# (falling back to `all`), or nothing.
sc_text() {
	if [[ -f $1/$2.$3 ]]; then
		cat "$1/$2.$3"
	elif [[ -f $1/$2.all ]]; then
		cat "$1/$2.all"
	fi
}

# The SQL of `before_sql all` for a dialect.
sql_for() {
	local pk
	case $1 in
	postgresql) pk='SERIAL PRIMARY KEY' ;;
	mysql) pk='INT AUTO_INCREMENT PRIMARY KEY' ;;
	sqlite) pk='INTEGER PRIMARY KEY' ;;
	esac
	sed "s/@PK@/$pk/g" "$2"
}

# A project with the template's migrate.ini and script template, and no models.
run migrate -q init "$T/template"
assert_rc 0
rm -rf "$T/template/models"/*

# new_project DIR URL [INI_FILE]: a project in DIR on database URL.
new_project() {
	cp -r "$T/template" "$1"
	sed -i "s|^url = .*|url = $2|" "$1/migrate.ini"
	if [[ -n ${3:-} && -f $3 ]]; then
		sed -i "/^\[migrate\]/r $3" "$1/migrate.ini"
	fi
}

# write_revision DIR ID DOWN_REVISION OPS_FILE: a hand-written revision file.
write_revision() {
	{
		echo "revision: $2"
		echo "down_revision: $3"
		echo "branch_labels: []"
		echo "depends_on: []"
		echo "message: before"
		echo "create_date: 2026-11-28 10:00:00.000000"
		echo "upgrade:"
		sed 's/^/  /' "$4"
		echo "downgrade: []"
	} >"$1/migrations/versions/${2}_before.yaml"
}

# section FILE KEY: the lines of the top-level list KEY of a revision file,
# unindented by two spaces ("[]" for an empty list).
section() {
	awk -v key="$2" '
		$0 == key ":" { on = 1; next }
		$0 == key ": []" { print "[]"; exit }
		on && /^[^ #-]/ { exit }
		on { sub(/^  /, ""); print }
	' "$1"
}

# sc_db SC: the name of the scenario's database.
sc_db() {
	local name
	name=$(basename "$1")
	echo "ag_${name//-/_}_$RUN_ID"
}

# run_scenario DIALECT SC: one scenario on one database (in a subshell: the
# first failed assertion ends it).
run_scenario() {
	local d=$1 sc=$2 name db url p before after want opts=() rev
	name=$(basename "$sc")
	db=$(sc_db "$sc")
	p=$T/$d/$name
	url=$(fresh_url "$d" "$db")
	new_project "$p" "$url" "$sc/ini"
	cd "$p"
	[[ ! -f $sc/options ]] || mapfile -t opts <"$sc/options"
	if [[ -f $sc/flow ]]; then
		"$(cat "$sc/flow")" "$d" "$url" "$p"
		drop_db "$d" "$db"
		return 0
	fi

	if [[ -f $sc/before.ops ]]; then
		write_revision "$p" "$BEFORE_REV" null "$sc/before.ops"
		run migrate -q upgrade head
		assert_rc 0
	fi
	if [[ -f $sc/before.$d.sql ]]; then
		load_sql "$d" "$url" "$sc/before.$d.sql"
	elif [[ -f $sc/before.all.sql ]]; then
		sql_for "$d" "$sc/before.all.sql" >"$T/$d/before.sql"
		load_sql "$d" "$url" "$T/$d/before.sql"
	fi
	before=$(catalog "$d" "$url")
	cp "$sc/models.yaml" models/schema.yaml

	want=$(sc_text "$sc" expect "$d")
	run migrate diff "${opts[@]}"
	assert_rc 0
	assert_out_eq "$want"
	assert_err_eq "$(sc_text "$sc" err "$d")"

	rev=migrations/versions/${AUTO_REV}_auto.yaml
	if [[ -z $want ]]; then
		# nothing to do: no revision, and check is clean
		run migrate revision --autogenerate -m auto --rev-id "$AUTO_REV" "${opts[@]}"
		assert_rc 1
		assert_err_eq "error: no changes detected between the models and the database; use --allow-empty to write an empty revision"
		assert_no_file "$rev"
		run migrate check
		assert_rc 0
		assert_out_eq "no pending changes"
		[[ $before == "$(catalog "$d" "$url")" ]] || e2e_fail "the database changed"
		drop_db "$d" "$db"
		return 0
	fi

	run migrate -q revision --autogenerate -m auto --rev-id "$AUTO_REV" "${opts[@]}"
	assert_rc 0
	assert_file_exists "$rev"
	assert_eq "$want" "$(section "$rev" upgrade)" "the upgrade ops of the revision file"
	if [[ -n $(sc_text "$sc" down "$d") ]]; then
		assert_eq "$(sc_text "$sc" down "$d")" "$(section "$rev" downgrade)" \
			"the downgrade ops of the revision file"
	fi

	run migrate -q upgrade head
	assert_rc 0
	run migrate check
	assert_rc 0
	assert_out_eq "no pending changes"

	run migrate -q downgrade -1
	assert_rc 0
	after=$(catalog "$d" "$url")
	if [[ -n $(sc_text "$sc" after "$d") ]]; then
		sc_text "$sc" after "$d" >"$RUN_DIR/after.sed"
		before=$(printf '%s\n' "$before" | sed -f "$RUN_DIR/after.sed")
	fi
	assert_eq "$before" "$after" "the database after downgrade -1 (expected: before the upgrade)"
	drop_db "$d" "$db"
}

# run_dialect DIALECT: every scenario that names DIALECT, one after the other,
# each in its own subshell; a line "ok|FAIL NAME CHECKS" per scenario in
# $T/results.DIALECT, the failures' messages in $T/log.DIALECT.
run_dialect() {
	local d=$1 sc rc
	mkdir -p "$T/$d"
	RUN_DIR=$T/$d
	for sc in "$S"/*/; do
		sc=${sc%/}
		grep -qx "$d" "$sc/dialects" || continue
		[[ -z ${AUTOGEN_ONLY:-} || $(basename "$sc") =~ $AUTOGEN_ONLY ]] || continue
		(
			E2E_CHECKS=0
			run_scenario "$d" "$sc"
			echo "$E2E_CHECKS" >"$T/$d/checks"
		) >"$T/$d/log" 2>&1 && rc=0 || rc=$?
		if ((rc == 0)); then
			echo "ok $(basename "$sc") $(cat "$T/$d/checks")" >>"$T/results.$d"
		else
			echo "FAIL $(basename "$sc") 0" >>"$T/results.$d"
			# the database of a failed scenario stays only with MIGRATE_E2E_KEEP=1
			[[ ${MIGRATE_E2E_KEEP:-0} == 1 ]] || drop_db "$d" "$(sc_db "$sc")" || true
			{
				echo "==== $d: scenario $(basename "$sc")"
				cat "$T/$d/log"
			} >>"$T/log.$d"
		fi
	done
}

# run_all: the scenarios on the three databases side by side, then a table of
# results; fails when a scenario failed anywhere.
run_all() {
	local d pids=() failed=0 status name checks
	for d in "${DIALECTS[@]}"; do
		: >"$T/results.$d"
		: >"$T/log.$d"
		run_dialect "$d" &
		pids+=($!)
	done
	for d in "${pids[@]}"; do
		wait "$d" || failed=1
	done
	for d in "${DIALECTS[@]}"; do
		while read -r status name checks; do
			E2E_CHECKS=$((E2E_CHECKS + checks))
			if [[ $status != ok ]]; then
				failed=1
				echo "e2e $E2E_NAME: scenario $name failed on $d" >&2
			fi
		done <"$T/results.$d"
	done
	if ((failed)); then
		for d in "${DIALECTS[@]}"; do
			if [[ -s $T/log.$d ]]; then
				cat "$T/log.$d" >&2
			fi
		done
		e2e_fail "some scenarios failed (above)"
	fi
	echo "e2e $E2E_NAME: $NSC scenarios; passed on PostgreSQL $(wc -l <"$T/results.postgresql")," \
		"on MariaDB $(wc -l <"$T/results.mysql"), on SQLite $(wc -l <"$T/results.sqlite")"
}

# ==== the scenarios ====

# ---- nothing to do ----
scenario nothing-to-do
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false, unique: true}
      created_at: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}
    indexes:
      - {columns: [created_at]}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false, unique: true}
      created_at: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}
    indexes:
      - {columns: [created_at]}
EOF

# ---- every column type and kind of default, created natively: no diff ----
# Each database's own spellings (synonyms, casts on defaults, the serial or
# AUTO_INCREMENT default, MariaDB's implicit foreign key index, a unique index
# standing for a unique constraint, lower-case referential actions) must
# compare equal to the generic model.
scenario every-type-unchanged
before_sql postgresql <<'EOF'
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE parent (id serial PRIMARY KEY, code character varying(10) NOT NULL UNIQUE);
CREATE TABLE everything (
  id int8 GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  parent_id int4 REFERENCES parent (id) on delete cascade on update set null,
  c_smallint int2 DEFAULT '-1',
  c_integer int4 NOT NULL DEFAULT '0',
  c_bigint int8 DEFAULT 5,
  c_boolean bool DEFAULT true,
  c_real float4 DEFAULT 1.5,
  c_float float8 DEFAULT 2.25,
  c_numeric decimal(10,2) DEFAULT 0.00,
  c_varchar character varying(40) DEFAULT 'it''s'::character varying,
  c_char character(3) DEFAULT 'abc',
  c_text text DEFAULT '',
  c_date date DEFAULT CURRENT_DATE,
  c_time time without time zone,
  c_timestamp timestamp without time zone DEFAULT now(),
  c_timestamptz timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
  c_binary bytea,
  c_json json,
  c_uuid uuid,
  c_enum mood NOT NULL DEFAULT 'happy'::mood,
  c_expr integer DEFAULT (1 + 2),
  c_null integer DEFAULT NULL
);
CREATE INDEX ix_everything_parent_id ON everything (parent_id);
EOF
before_sql mysql <<'EOF'
CREATE TABLE parent (id int(11) NOT NULL AUTO_INCREMENT, code varchar(10) NOT NULL,
  PRIMARY KEY (id), UNIQUE KEY code (code));
CREATE TABLE everything (
  id bigint(20) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id int(11),
  c_smallint smallint(6) DEFAULT '-1',
  c_integer int(11) NOT NULL DEFAULT '0',
  c_bigint bigint DEFAULT 5,
  c_boolean tinyint(1) DEFAULT 1,
  c_real float DEFAULT 1.5,
  c_float double DEFAULT 2.25,
  c_numeric decimal(10,2) DEFAULT 0.00,
  c_varchar varchar(40) DEFAULT 'it''s',
  c_char char(3) DEFAULT 'abc',
  c_text text DEFAULT '',
  c_date date DEFAULT curdate(),
  c_time time,
  c_timestamp datetime DEFAULT current_timestamp(),
  c_timestamptz timestamp NULL DEFAULT now(),
  c_binary blob,
  c_json json,
  c_uuid char(36),
  c_enum enum('happy','sad') NOT NULL DEFAULT 'happy',
  c_expr int DEFAULT (1 + 2),
  c_null int DEFAULT NULL,
  CONSTRAINT fk_everything_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
    on delete cascade on update set null
);
EOF
before_sql sqlite <<'EOF'
CREATE TABLE parent (id INTEGER PRIMARY KEY, code varchar(10) NOT NULL UNIQUE);
CREATE TABLE everything (
  id INTEGER PRIMARY KEY,
  parent_id int REFERENCES parent (id) on delete cascade on update set null,
  c_smallint SMALLINT DEFAULT -1,
  c_integer INTEGER NOT NULL DEFAULT '0',
  c_bigint BIGINT DEFAULT 5,
  c_boolean BOOLEAN DEFAULT true,
  c_real REAL DEFAULT 1.5,
  c_float FLOAT DEFAULT 2.25,
  c_numeric NUMERIC(10, 2) DEFAULT 0.00,
  c_varchar VARCHAR(40) DEFAULT 'it''s',
  c_char CHAR(3) DEFAULT 'abc',
  c_text TEXT DEFAULT '',
  c_date DATE DEFAULT CURRENT_DATE,
  c_time TIME,
  c_timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  c_timestamptz TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
  c_binary BLOB,
  c_json TEXT,
  c_uuid CHAR(36),
  c_enum VARCHAR(5) NOT NULL DEFAULT 'happy' CONSTRAINT mood CHECK (c_enum IN ('happy', 'sad')),
  c_expr INTEGER DEFAULT (1 + 2),
  c_null INTEGER DEFAULT NULL
);
CREATE INDEX ix_everything_parent_id ON everything (parent_id);
EOF
models <<'EOF'
enums:
  mood: [happy, sad]
tables:
  parent:
    columns:
      id: {type: integer, primary_key: true}
      code: {type: varchar(10), nullable: false, unique: true}
  everything:
    columns:
      id: {type: bigint, primary_key: true}
      parent_id: {type: integer, references: parent.id, on_delete: CASCADE, on_update: Set Null}
      c_smallint: {type: smallint, default: "-1"}
      c_integer: {type: integer, nullable: false, default: "0"}
      c_bigint: {type: bigint, default: "'5'"}
      c_boolean: {type: boolean, default: "true"}
      c_real: {type: real, default: "1.5"}
      c_float: {type: float, default: "2.25"}
      c_numeric: {type: "numeric(10,2)", default: "0.00"}
      c_varchar: {type: varchar(40), default: "'it''s'"}
      c_char: {type: char(3), default: "'abc'"}
      c_text: {type: text, default: "''"}
      c_date: {type: date, default: CURRENT_DATE}
      c_time: time
      c_timestamp: {type: timestamp, default: CURRENT_TIMESTAMP}
      c_timestamptz: {type: timestamptz, default: CURRENT_TIMESTAMP}
      c_binary: binary
      c_json: json
      c_uuid: uuid
      c_enum: {type: mood, nullable: false, default: "'happy'"}
      c_expr: {type: integer, default: "(1 + 2)"}
      c_null: {type: integer, default: "NULL"}
    indexes:
      - {columns: [parent_id]}
EOF

# ---- tables ----
scenario create-table
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
  tags:
    columns:
      id: {type: integer, primary_key: true}
      label: {type: varchar(40), nullable: false}
      user_id: {type: integer, nullable: false, references: users.id, on_delete: cascade}
    indexes:
      - {columns: [user_id]}
EOF
expect all <<'EOF'
- create_table:
    name: tags
    columns:
      id: {type: integer, primary_key: true}
      label: {type: varchar(40), nullable: false}
      user_id: {type: integer, nullable: false}
    indexes:
      - {name: ix_tags_user_id, columns: [user_id]}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}
EOF

scenario drop-table
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
- create_table:
    name: sessions
    columns:
      id: {type: integer, primary_key: true}
      token: {type: char(32), nullable: false, unique: true}
      started_at: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}
    indexes:
      - {name: ix_sessions_started_at, columns: [started_at]}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
expect all <<'EOF'
- drop_table: {name: sessions}
EOF

# A parent and a child, declared child first: the parent is created first.
scenario parent-child-order
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
  a_lines:
    columns:
      id: {type: integer, primary_key: true}
      order_id: {type: integer, nullable: false, references: z_orders.id, on_delete: cascade}
  z_orders:
    columns:
      id: {type: integer, primary_key: true}
      user_id: {type: integer, nullable: false, references: users.id}
EOF
expect all <<'EOF'
- create_table:
    name: z_orders
    columns:
      id: {type: integer, primary_key: true}
      user_id: {type: integer, nullable: false}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}}
- create_table:
    name: a_lines
    columns:
      id: {type: integer, primary_key: true}
      order_id: {type: integer, nullable: false}
    foreign_keys:
      - {columns: [order_id], references: {table: z_orders, columns: [id]}, on_delete: cascade}
EOF

# Two tables that reference each other: both are created, then the keys added.
scenario fk-cycle
before_ops <<'EOF'
- create_table:
    name: misc
    columns:
      id: {type: integer, primary_key: true}
EOF
models <<'EOF'
tables:
  misc:
    columns:
      id: {type: integer, primary_key: true}
  departments:
    columns:
      id: {type: integer, primary_key: true}
      head_id: {type: integer, references: employees.id, on_delete: set null}
  employees:
    columns:
      id: {type: integer, primary_key: true}
      department_id: {type: integer, references: departments.id}
EOF
expect all <<'EOF'
- create_table:
    name: departments
    columns:
      id: {type: integer, primary_key: true}
      head_id: integer
- create_table:
    name: employees
    columns:
      id: {type: integer, primary_key: true}
      department_id: integer
    foreign_keys:
      - {columns: [department_id], references: {table: departments, columns: [id]}}
- create_foreign_key:
    table: departments
    columns: [head_id]
    references: {table: employees, columns: [id]}
    on_delete: set null
EOF

# Dropped tables go children first.
scenario drop-tables-with-fks
before_ops <<'EOF'
- create_table:
    name: keep
    columns:
      id: {type: integer, primary_key: true}
- create_table:
    name: b_parent
    columns:
      id: {type: integer, primary_key: true}
      name: varchar(20)
- create_table:
    name: a_child
    columns:
      id: {type: integer, primary_key: true}
      parent_id: {type: integer, nullable: false, references: b_parent.id}
EOF
models <<'EOF'
tables:
  keep:
    columns:
      id: {type: integer, primary_key: true}
EOF
expect all <<'EOF'
- drop_table: {name: a_child}
- drop_table: {name: b_parent}
EOF
# MariaDB names the index it adds for a foreign key after the constraint
# when CREATE TABLE names the constraint (as the downgrade does, with the
# reflected name), after the column when it does not (as the revision before).
after_downgrade mysql <<'EOF'
s/KEY `parent_id` (`parent_id`)/KEY `a_child_ibfk_1` (`parent_id`)/
EOF

# Two tables that reference each other, both dropped: the foreign key that
# points at the first is dropped, then the tables.
scenario drop-fk-cycle
before_ops <<'EOF'
- create_table:
    name: misc
    columns:
      id: {type: integer, primary_key: true}
- create_table:
    name: departments
    columns:
      id: {type: integer, primary_key: true}
      head_id: integer
- create_table:
    name: employees
    columns:
      id: {type: integer, primary_key: true}
      department_id: {type: integer, references: departments.id}
- create_foreign_key: {table: departments, name: fk_departments_head, columns: [head_id], references: {table: employees, columns: [id]}}
EOF
models <<'EOF'
tables:
  misc:
    columns:
      id: {type: integer, primary_key: true}
EOF
expect sqlite <<'EOF'
- drop_constraint:
    table: employees
    type: foreignkey
    columns: [department_id]
    references: {table: departments, columns: [id]}
- drop_table: {name: departments}
- drop_table: {name: employees}
EOF
expect postgresql <<'EOF'
- drop_constraint: {table: employees, name: employees_department_id_fkey, type: foreignkey}
- drop_table: {name: departments}
- drop_table: {name: employees}
EOF
expect mysql <<'EOF'
- drop_constraint: {table: employees, name: employees_ibfk_1, type: foreignkey}
- drop_table: {name: departments}
- drop_table: {name: employees}
EOF
# MariaDB's name for the index of a recreated foreign key (see
# drop-tables-with-fks).
after_downgrade mysql <<'EOF'
s/KEY `department_id` (`department_id`)/KEY `employees_ibfk_1` (`department_id`)/
EOF

# ---- columns ----
scenario add-columns
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      score: {type: integer, nullable: false, default: "0"}
      nickname: varchar(40)
EOF
expect all <<'EOF'
- add_column: {table: users, column: {name: score, type: integer, nullable: false, default: 0}}
- add_column: {table: users, column: {name: nickname, type: varchar(40)}}
EOF

scenario drop-columns
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      score: {type: integer, nullable: false, default: "0"}
      nickname: varchar(40)
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
expect all <<'EOF'
- drop_column: {table: users, column: nickname}
- drop_column: {table: users, column: score}
EOF
expect_down all <<'EOF'
- add_column: {table: users, column: {name: score, type: integer, nullable: false, default: 0}}
- add_column: {table: users, column: {name: nickname, type: varchar(40)}}
EOF

scenario nullable-to-not-null
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: varchar(255)
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: email
    existing_type: varchar(255)
    nullable: false
    existing_nullable: true
EOF

scenario not-null-to-nullable
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: varchar(255)
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: email
    existing_type: varchar(255)
    nullable: true
    existing_nullable: false
EOF

scenario varchar-30-to-50
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(30), nullable: false}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(50), nullable: false}
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: name
    type: varchar(50)
    existing_type: varchar(30)
    existing_nullable: false
EOF

scenario integer-to-bigint
before_ops <<'EOF'
- create_table:
    name: counters
    columns:
      id: {type: integer, primary_key: true}
      hits: {type: integer, nullable: false, default: "0"}
EOF
models <<'EOF'
tables:
  counters:
    columns:
      id: {type: integer, primary_key: true}
      hits: {type: bigint, nullable: false, default: "0"}
EOF
expect all <<'EOF'
- alter_column:
    table: counters
    column: hits
    type: bigint
    existing_type: integer
    existing_nullable: false
    existing_default: 0
EOF

scenario numeric-precision
before_ops <<'EOF'
- create_table:
    name: prices
    columns:
      id: {type: integer, primary_key: true}
      amount: "numeric(10,2)"
EOF
models <<'EOF'
tables:
  prices:
    columns:
      id: {type: integer, primary_key: true}
      amount: "numeric(12,4)"
EOF
expect all <<'EOF'
- alter_column:
    table: prices
    column: amount
    type: "numeric(12,4)"
    existing_type: "numeric(10,2)"
    existing_nullable: true
EOF

scenario timestamp-to-timestamptz
before_ops <<'EOF'
- create_table:
    name: events
    columns:
      id: {type: integer, primary_key: true}
      at: {type: timestamp, nullable: false}
EOF
models <<'EOF'
tables:
  events:
    columns:
      id: {type: integer, primary_key: true}
      at: {type: timestamptz, nullable: false}
EOF
expect all <<'EOF'
- alter_column:
    table: events
    column: at
    type: timestamptz
    existing_type: timestamp
    existing_nullable: false
EOF

# Type, nullable and default of one column in one op.
scenario column-several-changes
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      status: {type: varchar(10), default: "'new'"}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      status: {type: varchar(20), nullable: false}
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: status
    type: varchar(20)
    existing_type: varchar(10)
    nullable: false
    existing_nullable: true
    default: null
    existing_default: "'new'"
EOF
expect postgresql <<'EOF'
- alter_column:
    table: users
    column: status
    type: varchar(20)
    existing_type: varchar(10)
    nullable: false
    existing_nullable: true
    default: null
    existing_default: "'new'::character varying"
EOF

# ---- server defaults ----
scenario default-added
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      age: integer
      status: varchar(10)
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      age: {type: integer, default: "18"}
      status: {type: varchar(10), default: "'new'"}
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: age
    existing_type: integer
    existing_nullable: true
    default: 18
- alter_column:
    table: users
    column: status
    existing_type: varchar(10)
    existing_nullable: true
    default: "'new'"
EOF

scenario default-removed
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      age: {type: integer, default: "18"}
      created_at: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      age: integer
      created_at: {type: timestamp, nullable: false}
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: age
    existing_type: integer
    existing_nullable: true
    default: null
    existing_default: 18
- alter_column:
    table: users
    column: created_at
    existing_type: timestamp
    existing_nullable: false
    default: null
    existing_default: CURRENT_TIMESTAMP
EOF

scenario default-changed
before_ops <<'EOF'
- create_table:
    name: tickets
    columns:
      id: {type: integer, primary_key: true}
      status: {type: varchar(10), nullable: false, default: "'new'"}
      priority: {type: integer, default: "1"}
EOF
models <<'EOF'
tables:
  tickets:
    columns:
      id: {type: integer, primary_key: true}
      status: {type: varchar(10), nullable: false, default: "'open'"}
      priority: {type: integer, default: "3"}
EOF
expect all <<'EOF'
- alter_column:
    table: tickets
    column: status
    existing_type: varchar(10)
    existing_nullable: false
    default: "'open'"
    existing_default: "'new'"
- alter_column:
    table: tickets
    column: priority
    existing_type: integer
    existing_nullable: true
    default: 3
    existing_default: 1
EOF
expect postgresql <<'EOF'
- alter_column:
    table: tickets
    column: status
    existing_type: varchar(10)
    existing_nullable: false
    default: "'open'"
    existing_default: "'new'::character varying"
- alter_column:
    table: tickets
    column: priority
    existing_type: integer
    existing_nullable: true
    default: 3
    existing_default: 1
EOF

# ---- comments (SQLite keeps none: nothing to do there) ----
scenario table-comments
before_ops <<'EOF'
- create_table:
    name: a_changed
    comment: Old text
    columns:
      id: {type: integer, primary_key: true}
- create_table:
    name: b_added
    columns:
      id: {type: integer, primary_key: true}
- create_table:
    name: c_removed
    comment: Going away
    columns:
      id: {type: integer, primary_key: true}
EOF
models <<'EOF'
tables:
  a_changed:
    comment: New text
    columns:
      id: {type: integer, primary_key: true}
  b_added:
    comment: "It's new"
    columns:
      id: {type: integer, primary_key: true}
  c_removed:
    columns:
      id: {type: integer, primary_key: true}
EOF
expect all <<'EOF'
- create_table_comment: {table: a_changed, comment: New text, existing_comment: Old text}
- create_table_comment: {table: b_added, comment: "It's new", existing_comment: null}
- drop_table_comment: {table: c_removed, existing_comment: Going away}
EOF
expect sqlite </dev/null

scenario column-comments
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false, comment: Login}
      age: integer
      note: {type: text, comment: Free text}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false, comment: Login address}
      age: {type: integer, comment: In years}
      note: text
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: email
    existing_type: varchar(255)
    existing_nullable: false
    comment: Login address
    existing_comment: Login
- alter_column:
    table: users
    column: age
    existing_type: integer
    existing_nullable: true
    comment: In years
- alter_column:
    table: users
    column: note
    existing_type: text
    existing_nullable: true
    comment: null
    existing_comment: Free text
EOF
expect sqlite </dev/null

# ---- indexes ----
scenario index-added
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      age: integer
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false, index: true}
      age: integer
    indexes:
      - {name: ix_users_age_email, columns: [age, email DESC]}
EOF
expect all <<'EOF'
- create_index: {table: users, name: ix_users_age_email, columns: [age, email DESC]}
- create_index: {table: users, name: ix_users_email, columns: [email]}
EOF

scenario index-dropped
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      age: integer
    indexes:
      - {name: ix_users_email, columns: [email]}
      - {name: ix_users_age_email, columns: [age, email]}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      age: integer
EOF
expect all <<'EOF'
- drop_index: {table: users, name: ix_users_age_email}
- drop_index: {table: users, name: ix_users_email}
EOF

scenario index-made-unique
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
    indexes:
      - {name: ix_users_email, columns: [email]}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
    indexes:
      - {name: ix_users_email, columns: [email], unique: true}
EOF
expect all <<'EOF'
- drop_index: {table: users, name: ix_users_email}
- create_index: {table: users, name: ix_users_email, columns: [email], unique: true}
EOF

# The same index name over other columns, or another order.
scenario index-columns-changed
before_ops <<'EOF'
- create_table:
    name: events
    columns:
      id: {type: integer, primary_key: true}
      kind: {type: varchar(20), nullable: false}
      at: {type: timestamp, nullable: false}
    indexes:
      - {name: ix_events_lookup, columns: [kind, at]}
      - {name: ix_events_at, columns: [at]}
EOF
models <<'EOF'
tables:
  events:
    columns:
      id: {type: integer, primary_key: true}
      kind: {type: varchar(20), nullable: false}
      at: {type: timestamp, nullable: false}
    indexes:
      - {name: ix_events_lookup, columns: [at, kind]}
      - {name: ix_events_at, columns: [at DESC]}
EOF
expect all <<'EOF'
- drop_index: {table: events, name: ix_events_lookup}
- drop_index: {table: events, name: ix_events_at}
- create_index: {table: events, name: ix_events_lookup, columns: [at, kind]}
- create_index: {table: events, name: ix_events_at, columns: [at DESC]}
EOF

scenario partial-index postgresql sqlite
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      deleted_at: timestamp
    indexes:
      - {name: ix_users_live_email, columns: [email], unique: true, where: "deleted_at IS NULL"}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      deleted_at: timestamp
    indexes:
      - {name: ix_users_live_email, columns: [email], unique: true, where: "deleted_at IS NULL AND email <> ''"}
      - {name: ix_users_deleted, columns: [deleted_at], where: "deleted_at IS NOT NULL"}
EOF
expect all <<'EOF'
- drop_index: {table: users, name: ix_users_live_email}
- create_index:
    table: users
    name: ix_users_live_email
    columns: [email]
    unique: true
    where: "deleted_at IS NULL AND email <> ''"
- create_index:
    table: users
    name: ix_users_deleted
    columns: [deleted_at]
    where: deleted_at IS NOT NULL
EOF

scenario expression-index postgresql sqlite
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      name: varchar(100)
    indexes:
      - {name: ix_users_lower_name, expressions: ["lower(name)"]}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      name: varchar(100)
    indexes:
      - {name: ix_users_lower_name, expressions: ["lower(name)"]}
      - {name: ix_users_lower_email, expressions: ["lower(email)"], unique: true}
EOF
expect all <<'EOF'
- create_index:
    table: users
    name: ix_users_lower_email
    expressions: [lower(email)]
    unique: true
EOF

# ---- unique constraints ----
# Unnamed, as in the template's models: the database names it.
scenario unique-added
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      org: {type: integer, nullable: false}
      handle: {type: varchar(40), nullable: false}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false, unique: true}
      org: {type: integer, nullable: false}
      handle: {type: varchar(40), nullable: false}
    unique:
      - {name: uq_users_org_handle, columns: [org, handle]}
EOF
expect all <<'EOF'
- create_unique_constraint: {table: users, name: uq_users_org_handle, columns: [org, handle]}
- create_unique_constraint: {table: users, columns: [email]}
EOF

scenario unique-dropped
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
    unique:
      - {name: uq_users_email, columns: [email]}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
expect all <<'EOF'
- drop_constraint: {table: users, name: uq_users_email, type: unique}
EOF

scenario unique-moved
before_ops <<'EOF'
- create_table:
    name: memberships
    columns:
      id: {type: integer, primary_key: true}
      org_id: {type: integer, nullable: false}
      user_id: {type: integer, nullable: false}
      role: {type: varchar(20), nullable: false}
    unique:
      - {name: uq_memberships_org_id_user_id, columns: [org_id, user_id]}
EOF
models <<'EOF'
naming_convention:
  uq: "uq_%(table)s_%(columns)s"
tables:
  memberships:
    columns:
      id: {type: integer, primary_key: true}
      org_id: {type: integer, nullable: false}
      user_id: {type: integer, nullable: false}
      role: {type: varchar(20), nullable: false}
    unique:
      - {columns: [user_id, role]}
EOF
expect all <<'EOF'
- drop_constraint: {table: memberships, name: uq_memberships_org_id_user_id, type: unique}
- create_unique_constraint:
    table: memberships
    name: uq_memberships_user_id_role
    columns: [user_id, role]
EOF

# ---- foreign keys ----
scenario fk-added
before_ops <<'EOF'
- create_table:
    name: orgs
    columns:
      id: {type: integer, primary_key: true}
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      org_id: integer
EOF
models <<'EOF'
tables:
  orgs:
    columns:
      id: {type: integer, primary_key: true}
  users:
    columns:
      id: {type: integer, primary_key: true}
      org_id: integer
    foreign_keys:
      - {name: fk_users_org, columns: [org_id], references: {table: orgs, columns: [id]}, on_delete: cascade}
EOF
expect all <<'EOF'
- create_foreign_key:
    table: users
    name: fk_users_org
    columns: [org_id]
    references: {table: orgs, columns: [id]}
    on_delete: cascade
EOF

scenario fk-dropped
before_ops <<'EOF'
- create_table:
    name: orgs
    columns:
      id: {type: integer, primary_key: true}
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      org_id: integer
    foreign_keys:
      - {name: fk_users_org, columns: [org_id], references: {table: orgs, columns: [id]}}
EOF
models <<'EOF'
tables:
  orgs:
    columns:
      id: {type: integer, primary_key: true}
  users:
    columns:
      id: {type: integer, primary_key: true}
      org_id: integer
EOF
expect all <<'EOF'
- drop_constraint: {table: users, name: fk_users_org, type: foreignkey}
EOF

scenario fk-on-delete-changed
before_ops <<'EOF'
- create_table:
    name: orgs
    columns:
      id: {type: integer, primary_key: true}
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      org_id: integer
    foreign_keys:
      - {name: fk_users_org, columns: [org_id], references: {table: orgs, columns: [id]}, on_delete: cascade}
EOF
models <<'EOF'
tables:
  orgs:
    columns:
      id: {type: integer, primary_key: true}
  users:
    columns:
      id: {type: integer, primary_key: true}
      org_id: integer
    foreign_keys:
      - {name: fk_users_org, columns: [org_id], references: {table: orgs, columns: [id]}, on_delete: set null}
EOF
expect all <<'EOF'
- drop_constraint: {table: users, name: fk_users_org, type: foreignkey}
- create_foreign_key:
    table: users
    name: fk_users_org
    columns: [org_id]
    references: {table: orgs, columns: [id]}
    on_delete: set null
EOF

scenario fk-on-update-changed
before_ops <<'EOF'
- create_table:
    name: countries
    columns:
      code: {type: char(2), primary_key: true}
- create_table:
    name: cities
    columns:
      id: {type: integer, primary_key: true}
      country: {type: char(2), nullable: false, references: countries.code, on_update: restrict}
EOF
models <<'EOF'
tables:
  countries:
    columns:
      code: {type: char(2), primary_key: true}
  cities:
    columns:
      id: {type: integer, primary_key: true}
      country: {type: char(2), nullable: false, references: countries.code, on_update: cascade}
EOF
expect all <<'EOF'
- drop_constraint: {table: cities, name: cities_ibfk_1, type: foreignkey}
- create_foreign_key:
    table: cities
    columns: [country]
    references: {table: countries, columns: [code]}
    on_update: cascade
EOF
expect postgresql <<'EOF'
- drop_constraint: {table: cities, name: cities_country_fkey, type: foreignkey}
- create_foreign_key:
    table: cities
    columns: [country]
    references: {table: countries, columns: [code]}
    on_update: cascade
EOF
expect sqlite <<'EOF'
- drop_constraint:
    table: cities
    type: foreignkey
    columns: [country]
    references: {table: countries, columns: [code]}
    on_update: restrict
- create_foreign_key:
    table: cities
    columns: [country]
    references: {table: countries, columns: [code]}
    on_update: cascade
EOF
# MariaDB replaces the index of a foreign key added with a name by one named
# after the constraint (the downgrade adds it back with its reflected name).
after_downgrade mysql <<'EOF'
s/KEY `country` (`country`)/KEY `cities_ibfk_1` (`country`)/
EOF

scenario fk-deferrable postgresql sqlite
before_ops <<'EOF'
- create_table:
    name: nodes
    columns:
      id: {type: integer, primary_key: true}
      parent_id: integer
    foreign_keys:
      - {name: fk_nodes_parent, columns: [parent_id], references: {table: nodes, columns: [id]}}
EOF
models <<'EOF'
tables:
  nodes:
    columns:
      id: {type: integer, primary_key: true}
      parent_id: integer
    foreign_keys:
      - {name: fk_nodes_parent, columns: [parent_id], references: {table: nodes, columns: [id]}, deferrable: true, initially_deferred: true}
EOF
expect all <<'EOF'
- drop_constraint: {table: nodes, name: fk_nodes_parent, type: foreignkey}
- create_foreign_key:
    table: nodes
    name: fk_nodes_parent
    columns: [parent_id]
    references: {table: nodes, columns: [id]}
    deferrable: true
    initially_deferred: true
EOF

# ---- check constraints ----
scenario check-added
before_ops <<'EOF'
- create_table:
    name: products
    columns:
      id: {type: integer, primary_key: true}
      price: {type: "numeric(10,2)", nullable: false}
      qty: {type: integer, nullable: false}
EOF
models <<'EOF'
tables:
  products:
    columns:
      id: {type: integer, primary_key: true}
      price: {type: "numeric(10,2)", nullable: false}
      qty: {type: integer, nullable: false}
    checks:
      - {name: ck_products_price, sql: "price >= 0"}
      - {name: ck_products_qty, sql: "qty BETWEEN 0 AND 1000"}
EOF
expect all <<'EOF'
- create_check_constraint: {table: products, name: ck_products_price, sql: "price >= 0"}
- create_check_constraint: {table: products, name: ck_products_qty, sql: qty BETWEEN 0 AND 1000}
EOF

scenario check-dropped
before_ops <<'EOF'
- create_table:
    name: products
    columns:
      id: {type: integer, primary_key: true}
      price: {type: "numeric(10,2)", nullable: false}
    checks:
      - {name: ck_products_price, sql: "price >= 0"}
EOF
models <<'EOF'
tables:
  products:
    columns:
      id: {type: integer, primary_key: true}
      price: {type: "numeric(10,2)", nullable: false}
EOF
expect all <<'EOF'
- drop_constraint: {table: products, name: ck_products_price, type: check}
EOF

scenario check-expression-changed
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      age: integer
    checks:
      - {name: ck_users_age, sql: "age >= 0"}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      age: integer
    checks:
      - {name: ck_users_age, sql: "age >= 18"}
EOF
expect all <<'EOF'
- drop_constraint: {table: users, name: ck_users_age, type: check}
- create_check_constraint: {table: users, name: ck_users_age, sql: "age >= 18"}
EOF

# Unnamed checks are matched by their normalised expression: the database's
# spelling of an unchanged one is no diff, a changed one is dropped and added.
scenario check-unnamed
before_sql all <<'EOF'
CREATE TABLE items (
  id @PK@,
  qty INTEGER NOT NULL CHECK (qty >= 0),
  price INTEGER NOT NULL CHECK (price > 0)
);
EOF
models <<'EOF'
tables:
  items:
    columns:
      id: {type: integer, primary_key: true}
      qty: {type: integer, nullable: false}
      price: {type: integer, nullable: false}
    checks:
      - {sql: "(QTY >= 0)"}
      - {sql: "price > 1"}
EOF
expect all <<'EOF'
- drop_constraint: {table: items, name: price, type: check}
- create_check_constraint: {table: items, name: items_price_check, sql: "price > 1"}
EOF
expect postgresql <<'EOF'
- drop_constraint: {table: items, name: items_price_check, type: check}
- create_check_constraint: {table: items, name: items_price_check, sql: "price > 1"}
EOF
expect sqlite <<'EOF'
- drop_constraint: {table: items, type: check, sql: "price > 0"}
- create_check_constraint: {table: items, sql: "price > 1"}
EOF

# ---- primary keys ----
scenario pk-changed
before_ops <<'EOF'
- create_table:
    name: translations
    columns:
      code: {type: varchar(20), primary_key: true}
      lang: {type: char(2), nullable: false}
      text: text
EOF
models <<'EOF'
tables:
  translations:
    columns:
      code: {type: varchar(20), nullable: false}
      lang: {type: char(2), nullable: false}
      text: text
    primary_key: [code, lang]
EOF
expect all <<'EOF'
- drop_constraint: {table: translations, type: primary}
- create_primary_key: {table: translations, columns: [code, lang]}
EOF
expect postgresql <<'EOF'
- drop_constraint: {table: translations, name: translations_pkey, type: primary}
- create_primary_key: {table: translations, columns: [code, lang]}
EOF

scenario pk-added
before_ops <<'EOF'
- create_table:
    name: links
    columns:
      a: {type: integer, nullable: false}
      b: {type: integer, nullable: false}
EOF
models <<'EOF'
tables:
  links:
    columns:
      a: {type: integer, nullable: false}
      b: {type: integer, nullable: false}
    primary_key: {name: pk_links, columns: [a, b]}
EOF
expect all <<'EOF'
- create_primary_key: {table: links, name: pk_links, columns: [a, b]}
EOF

# Index and constraint drops come before the drop of their column.
scenario drop-column-with-index
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      handle: {type: varchar(40), nullable: false}
    indexes:
      - {name: ix_users_email, columns: [email]}
    unique:
      - {name: uq_users_handle, columns: [handle]}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
EOF
expect all <<'EOF'
- drop_constraint: {table: users, name: uq_users_handle, type: unique}
- drop_index: {table: users, name: ix_users_email}
- drop_column: {table: users, column: handle}
- drop_column: {table: users, column: email}
EOF

# ---- renames ----
# A column gone and one of the same type new: drop and add, with a note in the
# revision file and a hint on stderr.
scenario rename-hint-column
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      name: varchar(100)
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      full_name: varchar(100)
EOF
expect all <<'EOF'
# possible rename: replace these two ops with `alter_column: {table: users, column: name, new_name: full_name}` to keep the data
- add_column: {table: users, column: {name: full_name, type: varchar(100)}}
# possible rename: replace these two ops with `alter_column: {table: users, column: name, new_name: full_name}` to keep the data
- drop_column: {table: users, column: name}
EOF
expect_err all <<'EOF'
hint: possible rename of column 'users.name' to 'full_name': run again with --rename users.name:full_name to keep its data
EOF

scenario rename-hint-table
before_ops <<'EOF'
- create_table:
    name: people
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(100), nullable: false}
EOF
models <<'EOF'
tables:
  persons:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(100), nullable: false}
EOF
expect all <<'EOF'
# possible rename: replace these two ops with `rename_table: {name: people, new_name: persons}` to keep the data
- create_table:
    name: persons
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(100), nullable: false}
# possible rename: replace these two ops with `rename_table: {name: people, new_name: persons}` to keep the data
- drop_table: {name: people}
EOF
expect_err all <<'EOF'
hint: possible rename of table 'people' to 'persons': run again with --rename people:persons to keep its data
EOF

# Two columns renamed; the second keeps its default and comment.
scenario rename-column-option
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(100), nullable: false}
      status: {type: varchar(10), nullable: false, default: "'new'", comment: State}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      full_name: {type: varchar(100), nullable: false}
      state: {type: varchar(10), nullable: false, default: "'new'", comment: State}
EOF
options --rename users.name:full_name --rename users.status:state
expect all <<'EOF'
- alter_column:
    table: users
    column: name
    new_name: full_name
    existing_type: varchar(100)
    existing_nullable: false
- alter_column:
    table: users
    column: status
    new_name: state
    existing_type: varchar(10)
    existing_nullable: false
EOF
expect_down all <<'EOF'
- alter_column:
    table: users
    column: state
    new_name: status
    existing_type: varchar(10)
    existing_nullable: false
    existing_default: "'new'"
    existing_comment: State
- alter_column:
    table: users
    column: full_name
    new_name: name
    existing_type: varchar(100)
    existing_nullable: false
    existing_default: null
    existing_comment: null
EOF
expect_down postgresql <<'EOF'
- alter_column:
    table: users
    column: state
    new_name: status
    existing_type: varchar(10)
    existing_nullable: false
    existing_default: "'new'::character varying"
    existing_comment: State
- alter_column:
    table: users
    column: full_name
    new_name: name
    existing_type: varchar(100)
    existing_nullable: false
    existing_default: null
    existing_comment: null
EOF
expect_down sqlite <<'EOF'
- alter_column:
    table: users
    column: state
    new_name: status
    existing_type: varchar(10)
    existing_nullable: false
    existing_default: "'new'"
    existing_comment: null
- alter_column:
    table: users
    column: full_name
    new_name: name
    existing_type: varchar(100)
    existing_nullable: false
    existing_default: null
    existing_comment: null
EOF

# A renamed table that also gains a column.
scenario rename-table-option
before_ops <<'EOF'
- create_table:
    name: people
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(100), nullable: false}
EOF
models <<'EOF'
tables:
  persons:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(100), nullable: false}
      born: date
EOF
options --rename people:persons
expect all <<'EOF'
- rename_table: {name: people, new_name: persons}
- add_column: {table: persons, column: {name: born, type: date}}
EOF
expect_down all <<'EOF'
- drop_column: {table: persons, column: {name: born, type: date}}
- rename_table: {name: persons, new_name: people}
EOF

# ---- tables autogenerate leaves alone ----
scenario exclude-tables
ini <<'EOF'
exclude_tables = legacy_*, audit
EOF
before_sql all <<'EOF'
CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY, total INTEGER);
CREATE TABLE legacy_lines (id INTEGER PRIMARY KEY);
CREATE TABLE audit (id INTEGER PRIMARY KEY, what VARCHAR(100));
CREATE TABLE users (id @PK@, email VARCHAR(100) NOT NULL);
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(200), nullable: false}
  audit:
    columns:
      id: {type: integer, primary_key: true}
      what: varchar(200)
      extra: text
EOF
expect all <<'EOF'
- alter_column:
    table: users
    column: email
    type: varchar(200)
    existing_type: varchar(100)
    existing_nullable: false
EOF

# Another version table name: that table, and the history table, are not
# proposed for dropping.
scenario version-table-ignored
ini <<'EOF'
version_table = app_version
EOF
before_ops <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
EOF
models <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
  roles:
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(40), nullable: false}
EOF
expect all <<'EOF'
- create_table:
    name: roles
    columns:
      id: {type: integer, primary_key: true}
      name: {type: varchar(40), nullable: false}
EOF

# ---- enums ----
# PostgreSQL: a named type; MariaDB: an inline ENUM; SQLite: a CHECK.
scenario enum-created
before_ops <<'EOF'
- create_table:
    name: orders
    columns:
      id: {type: integer, primary_key: true}
EOF
models <<'EOF'
enums:
  order_status: [pending, paid, shipped]
tables:
  orders:
    columns:
      id: {type: integer, primary_key: true}
      status: {type: order_status, nullable: false, default: "'pending'"}
EOF
expect all <<'EOF'
- create_enum: {name: order_status, values: [pending, paid, shipped]}
- add_column:
    table: orders
    column: {name: status, type: order_status, nullable: false, default: "'pending'"}
EOF

scenario enum-value-added postgresql
before_ops <<'EOF'
- create_enum: {name: mood, values: [happy, sad]}
- create_table:
    name: people
    columns:
      id: {type: integer, primary_key: true}
      mood: mood
EOF
models <<'EOF'
enums:
  mood: [happy, ok, sad, angry]
tables:
  people:
    columns:
      id: {type: integer, primary_key: true}
      mood: mood
EOF
expect all <<'EOF'
- add_enum_value: {name: mood, value: ok, after: happy}
- add_enum_value: {name: mood, value: angry}
EOF
expect_err all <<'EOF'
hint: the upgrade adds 'ok' and 'angry' to enum 'mood', which the downgrade leaves: a value cannot be removed from an enum type without recreating it
EOF
# PostgreSQL cannot take a value out of an enum type: the downgrade leaves
# both (the hint says so).
after_downgrade all <<'EOF'
s/^mood	happy,sad$/mood	happy,ok,sad,angry/
EOF

scenario enum-dropped postgresql
before_ops <<'EOF'
- create_enum: {name: mood, values: [happy, sad]}
- create_table:
    name: people
    columns:
      id: {type: integer, primary_key: true}
      mood: mood
EOF
models <<'EOF'
tables:
  people:
    columns:
      id: {type: integer, primary_key: true}
EOF
expect all <<'EOF'
- drop_column: {table: people, column: mood}
- drop_enum: {name: mood}
EOF

# MariaDB keeps the values in the column type, SQLite in a CHECK.
scenario enum-inline-values mysql sqlite
before_ops <<'EOF'
- create_enum: {name: mood, values: [happy, sad]}
- create_table:
    name: people
    columns:
      id: {type: integer, primary_key: true}
      mood: {type: mood, nullable: false}
EOF
models <<'EOF'
enums:
  mood: [happy, sad, angry]
tables:
  people:
    columns:
      id: {type: integer, primary_key: true}
      mood: {type: mood, nullable: false}
EOF
expect all <<'EOF'
- add_enum_value: {name: people_mood, value: angry}
EOF
expect sqlite <<'EOF'
- add_enum_value: {name: mood, value: angry}
EOF
expect_err all <<'EOF'
hint: the upgrade adds 'angry' to enum 'people_mood', which the downgrade leaves: add_enum_value has no inverse (write one by hand if the value must go)
EOF
expect_err sqlite <<'EOF'
hint: the upgrade adds 'angry' to enum 'mood', which the downgrade leaves: add_enum_value has no inverse (write one by hand if the value must go)
EOF
# add_enum_value has no inverse (the hint says so), here as on PostgreSQL.
after_downgrade mysql <<'EOF'
s/enum('happy','sad')/enum('happy','sad','angry')/
EOF
after_downgrade sqlite <<'EOF'
s/^check(moodin('happy','sad'))$/check(moodin('happy','sad','angry'))/
EOF

# ---- computed and identity columns ----
scenario computed-column
before_ops <<'EOF'
- create_table:
    name: lines
    columns:
      id: {type: integer, primary_key: true}
      price: {type: integer, nullable: false}
      qty: {type: integer, nullable: false}
EOF
models <<'EOF'
tables:
  lines:
    columns:
      id: {type: integer, primary_key: true}
      price: {type: integer, nullable: false}
      qty: {type: integer, nullable: false}
      total: {type: integer, computed: {sql: "price * qty", stored: true}}
EOF
expect all <<'EOF'
- add_column:
    table: lines
    column: {name: total, type: integer, computed: {sql: "price * qty", stored: true}}
EOF

scenario computed-changed
before_ops <<'EOF'
- create_table:
    name: lines
    columns:
      id: {type: integer, primary_key: true}
      price: {type: integer, nullable: false}
      qty: {type: integer, nullable: false}
      total: {type: integer, computed: {sql: "price * qty", stored: true}}
EOF
models <<'EOF'
tables:
  lines:
    columns:
      id: {type: integer, primary_key: true}
      price: {type: integer, nullable: false}
      qty: {type: integer, nullable: false}
      total: {type: integer, computed: {sql: "price * qty + 1", stored: true}}
EOF
expect all <<'EOF'
# 'lines.total' is computed by another expression: it is dropped and added again
- drop_column: {table: lines, column: total}
- add_column:
    table: lines
    column: {name: total, type: integer, computed: {sql: "price * qty + 1", stored: true}}
EOF

scenario identity-column postgresql
before_ops <<'EOF'
- create_table:
    name: tickets
    columns:
      id: {type: integer, primary_key: true, autoincrement: false}
      title: text
EOF
models <<'EOF'
tables:
  tickets:
    columns:
      id: {type: integer, primary_key: true, autoincrement: false}
      title: text
      number: {type: bigint, nullable: false, identity: {always: true, start: 1000}}
EOF
expect all <<'EOF'
- add_column:
    table: tickets
    column: {name: number, type: bigint, nullable: false, identity: {always: true, start: 1000}}
EOF

# ---- a new table with everything on it ----
scenario create-table-full
before_ops <<'EOF'
- create_table:
    name: orgs
    columns:
      id: {type: integer, primary_key: true}
EOF
models <<'EOF'
naming_convention:
  ix: "ix_%(table)s_%(columns)s"
  uq: "uq_%(table)s_%(columns)s"
  ck: "ck_%(table)s_%(name)s"
  fk: "fk_%(table)s_%(columns)s_%(ref_table)s"
  pk: "pk_%(table)s"
tables:
  orgs:
    columns:
      id: {type: integer, primary_key: true}
  projects:
    comment: Work of an organisation
    columns:
      org_id: {type: integer, references: orgs.id, on_delete: cascade}
      code: {type: varchar(20), comment: Short code}
      title: {type: varchar(200), nullable: false}
      budget: {type: "numeric(12,2)", nullable: false, default: "0"}
      started_on: date
    primary_key: [org_id, code]
    indexes:
      - {columns: [started_on]}
    unique:
      - {columns: [org_id, title]}
    checks:
      - {name: budget_positive, sql: "budget >= 0"}
EOF
expect all <<'EOF'
- create_table:
    name: projects
    comment: Work of an organisation
    columns:
      org_id: {type: integer, nullable: false}
      code: {type: varchar(20), nullable: false, comment: Short code}
      title: {type: varchar(200), nullable: false}
      budget: {type: "numeric(12,2)", nullable: false, default: 0}
      started_on: date
    primary_key: {name: pk_projects, columns: [org_id, code]}
    indexes:
      - {name: ix_projects_started_on, columns: [started_on]}
    unique:
      - {name: uq_projects_org_id_title, columns: [org_id, title]}
    checks:
      - {name: ck_projects_budget_positive, sql: "budget >= 0"}
    foreign_keys:
      - {name: fk_projects_org_id_orgs, columns: [org_id], references: {table: orgs, columns: [id]}, on_delete: cascade}
EOF

# ---- each database's own types, unchanged ----
scenario pg-types-unchanged postgresql
before_sql postgresql <<'EOF'
CREATE TABLE docs (
  id integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
  body jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip inet,
  words tsvector,
  took interval DEFAULT '00:05:00'::interval,
  amount numeric,
  label varchar,
  at timestamp(3) without time zone DEFAULT now(),
  at_tz timestamp(0) with time zone,
  code text COLLATE "C",
  total integer GENERATED ALWAYS AS (id * 2) STORED
);
CREATE INDEX ix_docs_body ON docs USING gin (body);
COMMENT ON TABLE docs IS 'Documents';
COMMENT ON COLUMN docs.body IS 'The document';
EOF
models <<'EOF'
tables:
  docs:
    comment: Documents
    columns:
      id: {type: integer, primary_key: true, identity: {always: true, start: 10, increment: 5}}
      body: {type: jsonb, nullable: false, default: "'{}'", comment: The document}
      ip: inet
      words: tsvector
      took: {type: interval, default: "'00:05:00'"}
      amount: numeric
      label: varchar
      at: {type: timestamp(3), default: CURRENT_TIMESTAMP}
      at_tz: timestamptz(0)
      code: {type: text, collation: C}
      total: {type: integer, computed: {sql: "id * 2", stored: true}}
    indexes:
      - {name: ix_docs_body, columns: [body], using: gin}
EOF

scenario mysql-types-unchanged mysql
before_sql mysql <<'EOF'
CREATE TABLE films (
  id smallint unsigned NOT NULL AUTO_INCREMENT,
  title varchar(255) NOT NULL,
  descr mediumtext,
  year year(4) DEFAULT NULL,
  rating enum('G','PG','R') DEFAULT 'G',
  features set('Trailers','Commentaries') DEFAULT NULL,
  length tinyint unsigned,
  code varchar(20) COLLATE utf8mb4_bin,
  updated_at timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  PRIMARY KEY (id),
  FULLTEXT KEY ft_films_title (title)
) COMMENT 'Films';
CREATE UNIQUE INDEX uq_films_code ON films (code);
EOF
models <<'EOF'
enums:
  films_rating: [G, PG, R]
tables:
  films:
    comment: Films
    columns:
      id: {type: smallint unsigned, primary_key: true, autoincrement: true}
      title: {type: varchar(255), nullable: false}
      descr: mediumtext
      year: year
      rating: {type: films_rating, default: "'G'"}
      features: set('Trailers','Commentaries')
      length: tinyint unsigned
      code: {type: varchar(20), collation: utf8mb4_bin, unique: true}
      updated_at: {type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP, server_onupdate: CURRENT_TIMESTAMP}
    indexes:
      - {name: ft_films_title, columns: [title], using: fulltext}
EOF

# ==== flows ====

# users(id, email) applied by a hand-written revision, and models that add a
# column and an index: the pending work of the flows below.
flow_setup_pending() {
	cat >"$T/$1/pending.ops" <<'EOF'
- create_table:
    name: users
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
	write_revision "$PWD" "$BEFORE_REV" null "$T/$1/pending.ops"
	cat >models/schema.yaml <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
      age: integer
    indexes:
      - {columns: [email], unique: true}
EOF
}

# Autogenerate compares with the database only when the database is at head.
flow_not_at_head() {
	local d=$1
	flow_setup_pending "$d"
	run migrate revision --autogenerate -m auto --rev-id "$AUTO_REV"
	assert_rc 1
	assert_out_eq ""
	assert_err_eq "error: the database is not up to date: run 'migrate upgrade head' first (current: base; head: $BEFORE_REV)"
	assert_no_file "migrations/versions/${AUTO_REV}_auto.yaml"
	run migrate check
	assert_rc 1
	assert_out_eq "the database is not at head: 1 revision not applied (run 'migrate upgrade head'):
  <base> -> $BEFORE_REV (head), before"
	run migrate -q upgrade head
	assert_rc 0
	run migrate -q revision --autogenerate -m auto --rev-id "$AUTO_REV"
	assert_rc 0
	assert_file_exists "migrations/versions/${AUTO_REV}_auto.yaml"
	# a revision written but not applied: the database is behind again
	run migrate revision --autogenerate -m again
	assert_rc 1
	assert_err_eq "error: the database is not up to date: run 'migrate upgrade head' first (current: $BEFORE_REV; head: $AUTO_REV)"
}
flow flow_not_at_head

# check: exit 1 with the ops, as text and as JSON; exit 0 once applied.
flow_check() {
	local d=$1
	flow_setup_pending "$d"
	run migrate -q upgrade head
	assert_rc 0
	run migrate check
	assert_rc 1
	assert_out_eq "the models differ from the database; 'migrate revision --autogenerate' would write:
- add_column: {table: users, column: {name: age, type: integer}}
- create_index: {table: users, name: ix_users_email, columns: [email], unique: true}"
	run migrate check --format json
	assert_rc 1
	assert_out_eq '{"pending_ops": [
  {"op": "add_column", "table": "users", "name": null, "column": "age", "yaml": "- add_column: {table: users, column: {name: age, type: integer}}\n", "note": null},
  {"op": "create_index", "table": "users", "name": "ix_users_email", "column": null, "yaml": "- create_index: {table: users, name: ix_users_email, columns: [email], unique: true}\n", "note": null}
], "pending_revisions": [], "hints": [], "findings": [], "errors": 0}'
	run migrate -q revision --autogenerate -m auto --rev-id "$AUTO_REV"
	assert_rc 0
	run migrate check --format json
	assert_rc 1
	assert_out_eq '{"pending_ops": null, "pending_revisions": [
  {"revision": "'"$AUTO_REV"'", "down_revisions": ["'"$BEFORE_REV"'"], "branch_labels": [], "depends_on": [], "message": "auto", "create_date": "2026-11-28 10:00:00.000000", "path": "'"$PWD/migrations/versions/${AUTO_REV}_auto.yaml"'", "is_head": true, "is_branch_point": false, "is_merge_point": false}
], "hints": [], "findings": [], "errors": 0}'
	run migrate -q upgrade head
	assert_rc 0
	run migrate check
	assert_rc 0
	assert_out_eq "no pending changes"
	run migrate check --format json
	assert_rc 0
	assert_out_eq '{"pending_ops": [], "pending_revisions": [], "hints": [], "findings": [], "errors": 0}'
}
flow flow_check

# diff --sql: the statements for this database, nothing written or run.
flow_diff_sql() {
	local d=$1 want
	flow_setup_pending "$d"
	run migrate -q upgrade head
	assert_rc 0
	run migrate diff --sql
	assert_rc 0
	case $d in
	postgresql)
		want='ALTER TABLE "users" ADD COLUMN "age" INTEGER;
CREATE UNIQUE INDEX "ix_users_email" ON "users" ("email");'
		;;
	mysql)
		want='ALTER TABLE `users` ADD COLUMN `age` INTEGER NULL;
CREATE UNIQUE INDEX `ix_users_email` ON `users` (`email`);'
		;;
	sqlite)
		want='ALTER TABLE "users" ADD COLUMN "age" INTEGER;
CREATE UNIQUE INDEX "ix_users_email" ON "users" ("email");'
		;;
	esac
	assert_out_eq "$want"
	assert_no_file "migrations/versions/${AUTO_REV}_auto.yaml"
	run migrate check
	assert_rc 1
}
flow flow_diff_sql

# --allow-empty writes a revision with no ops when there is nothing to do.
flow_allow_empty() {
	local d=$1
	flow_setup_pending "$d"
	run migrate -q upgrade head
	assert_rc 0
	cat >models/schema.yaml <<'EOF'
tables:
  users:
    columns:
      id: {type: integer, primary_key: true}
      email: {type: varchar(255), nullable: false}
EOF
	run migrate -q revision --autogenerate --allow-empty -m empty --rev-id "$AUTO_REV"
	assert_rc 0
	assert_file_eq "migrations/versions/${AUTO_REV}_empty.yaml" "revision: $AUTO_REV
down_revision: $BEFORE_REV
branch_labels: []
depends_on: []
message: empty
create_date: 2026-11-28 10:00:00.000000
upgrade: []
downgrade: []"
}
flow flow_allow_empty

run_all
pass
