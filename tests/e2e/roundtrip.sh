#!/bin/bash
# Round trip of the real schemas in ../shared/schemas (postgresql/*.sql on
# PostgreSQL, mysql/*.sql on MariaDB, sqlite/*.sql on SQLite). For each:
#
#   1. load it into database A with the database's own client;
#   2. `migrate reflect --output models/` on A: every object the model does not
#      represent is named in a warning, and the warnings are exactly the list
#      the database's own catalog gives (views, materialized views, triggers,
#      rules, functions, aggregates, procedures, domains, sequences no column
#      owns, partitions, partitioned and inheriting tables);
#   3. on an empty database B: `revision --autogenerate -m init`, `upgrade
#      head`, then `check` finds nothing pending;
#   4. the database's own dump of A and of B agree after the normalisations
#      below;
#   5. `downgrade base` leaves B with the version and history tables only
#      (and, on PostgreSQL, what pg-prelude made; on SQLite, its own
#      sqlite_sequence).
#
# Normalisations, each applied to both dumps unless it says otherwise:
#
# PostgreSQL (pg_dump --schema-only --no-owner, cut into its entries, one per
# "-- Name: …; Type: …" header):
#   pg-header        the text before the first entry and pg_dump's closing lines:
#                    session SETs, the server version and the random \restrict
#                    key, none of them schema.
#   pg-unmodelled    A only: the entries of the objects the warnings of step 2
#                    name, and the entries that belong to them (a partition's
#                    indexes, constraints and ATTACH lines, a materialized
#                    view's indexes): the model does not represent them, so B
#                    has none.
#                    That they are exactly those objects is asserted in step 2.
#   pg-public        A only: the entries of the schema public, its comment and
#                    its privileges (pagila revokes and grants on it): a
#                    schema's privileges and comment are outside the model, and
#                    B's public schema is the one CREATE DATABASE made.
#   pg-version       B only: the entries of migrate's version and history tables
#                    (the tables, the history id's sequence, their keys), which
#                    A does not have.
#   pg-prelude       the sequences that a column default calls (nextval) and the
#                    domains that a column has as its type are not represented
#                    by the model (reflect warns about them) but the reflected
#                    models use them, so B gets them from A's dump (their
#                    entries, run with psql) before the upgrade; they are then
#                    in both dumps, and downgrade base leaves them in B.
#   pg-partitioned   A only: a partitioned table is created by B as a plain table
#                    (the warning of step 2 says the partitioning is not kept), so
#                    " PARTITION BY …" and the ONLY that pg_dump writes for the
#                    indexes and foreign keys of a partitioned table are taken
#                    out of A's dump.
#   pg-inherits      an inheriting table is dumped by pg_dump as INHERITS
#                    (parent) without its inherited columns, while B (no
#                    inheritance in the model) has a plain table with all of
#                    them: in both dumps that table's CREATE TABLE entry and its
#                    column DEFAULT entries are replaced by its columns from
#                    information_schema (name, type, nullable, default, in
#                    order) and its check constraints from pg_constraint.
#   pg-order         entries sorted by their header (pg_dump orders some by OID,
#                    and B's objects were created in another order than A's).
#
# MariaDB (mariadb-dump --no-data --skip-comments --skip-triggers):
#   my-unmodelled    only base tables are named on the command line and triggers
#                    are skipped, so views, triggers and routines are not dumped:
#                    they are the objects the warnings of step 2 name.
#   my-version       the version and history tables are not named either (B
#                    only has them).
#   my-fk-index      MariaDB names the index it makes for a foreign key after
#                    the column when the constraint has no name in the CREATE
#                    TABLE (as in the original files), after the constraint when
#                    it has one (as B's, which carry the reflected names): such
#                    an index is written "KEY <fk CONSTRAINT>" in both dumps.
#   my-key-order     in each CREATE TABLE, the index lines and the constraint
#                    lines each sorted (MariaDB lists them in the order they were
#                    made; B's follow the models' order) and line-ending commas
#                    taken out.
#   my-charset       model limitation, for the schemas in MY_CHARSET_LIMITED only:
#                    reflect does not keep a table's own default character set
#                    and collation (sakila's tables are utf8mb3), so B's tables
#                    get the database's (utf8mb4); the DEFAULT CHARSET and
#                    COLLATE table options are taken out of both dumps, which
#                    also hides that the text columns differ in character set.
#   my-counter       AUTO_INCREMENT=N table options taken out (a counter, not
#                    schema; none is expected without data).
#
# SQLite (sqlite3 .schema): SQLite keeps every CREATE statement as it was typed
# (the original file's brackets, comments and layout), and B's were written by
# migrate, so the texts cannot match. The dump compared is sqlite3's own
# description of each table instead:
#   sq-describe      per table: PRAGMA table_xinfo (columns: type, NOT NULL,
#                    default, primary key position, hidden), index_list and
#                    index_xinfo (name, unique, origin, partial, columns, order,
#                    collation), foreign_key_list (columns, target, actions),
#                    whether the table has AUTOINCREMENT, and its CHECK clauses cut
#                    from the text with quotes ([ ], " ", ` `), case and spacing
#                    folded.
#   sq-rowid         an INTEGER PRIMARY KEY is the rowid, never NULL whether or
#                    not its text says NOT NULL (migrate writes it): its NOT NULL
#                    flag shows as "rowid".
#   sq-pk-null       model limitation: SQLite lets a PRIMARY KEY column other than
#                    the rowid hold NULL unless its text says NOT NULL (a known
#                    SQLite quirk, which northwind's TEXT keys have), while the
#                    model makes every primary key column NOT NULL: the NOT NULL
#                    flag of primary key columns shows as "pk".
#   sq-type          declared types in upper case without spaces (NUMERIC(10,2)
#                    and NUMERIC(10, 2) are one type), with DATETIME written
#                    TIMESTAMP, INT written INTEGER and DECIMAL written NUMERIC:
#                    a model limitation, since reflect reads these as the
#                    generic timestamp, integer and numeric (their documented
#                    synonyms), which migrate writes TIMESTAMP, INTEGER and
#                    NUMERIC (the same affinity; only the declared name
#                    differs; the test asserts that no one-column primary key
#                    is declared INT, which INTEGER would make the rowid).
#   sq-default-null  DEFAULT NULL is no default (reflect reads it so).
#   sq-fk-order      foreign keys listed by target table and column, not by
#                    their position in the text.
#   sq-unmodelled    A only: the views and triggers of .schema, which the
#                    warnings of step 2 name, are not part of the description.
#   sq-version       B only: the version and history tables are left out.

. "$MIGRATE_E2E_LIB"
require_servers
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL
export SOURCE_DATE_EPOCH=1795860000
export USER=tester

SCHEMAS=$MIGRATE_SOURCE_ROOT/../shared/schemas
# Database names end in this run's own suffix, so that two runs on the same
# servers do not drop each other's databases.
RUN_ID=$(printf '%s' "${T##*.}" | tr 'A-Z' 'a-z')
[[ -d $SCHEMAS ]] || e2e_fail "no schemas folder at '$SCHEMAS'"

run migrate -q init "$T/template"
assert_rc 0
rm -rf "$T/template/models"/*

# ---- PostgreSQL ----

# The warnings `migrate reflect` must give for database $1, from pg_catalog,
# sorted.
pg_expected_warnings() {
	pg_sql "$1" "
	WITH rel AS (
		SELECT c.oid, c.relkind, c.relispartition, c.relname,
			n.nspname || '.' || c.relname AS q
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
		AND n.nspname NOT LIKE 'pg\\_%'
	), ext AS (
		SELECT objid FROM pg_depend WHERE deptype = 'e'
	)
	SELECT format('warning: view %L is not represented in the model (ignored by migrate)', q)
		FROM rel WHERE relkind = 'v'
	UNION ALL
	SELECT format('warning: materialized view %L is not represented in the model (ignored by migrate)', q)
		FROM rel WHERE relkind = 'm'
	UNION ALL
	SELECT format('warning: sequence %L is not represented in the model (ignored by migrate)', q)
		FROM rel WHERE relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d
			WHERE d.classid = 'pg_class'::regclass AND d.objid = rel.oid
			AND d.deptype IN ('a', 'i'))
	UNION ALL
	SELECT format('warning: table %L is partitioned (PARTITION BY %s); the partitioning is not represented in the model',
			q, pg_get_partkeydef(oid))
		FROM rel WHERE relkind = 'p'
	UNION ALL
	SELECT format('warning: partition %L of table %L is not represented in the model (ignored by migrate)',
			rel.q, p.q)
		FROM rel JOIN pg_inherits i ON i.inhrelid = rel.oid JOIN rel p ON p.oid = i.inhparent
		WHERE rel.relispartition AND rel.relkind IN ('r', 'p')
	UNION ALL
	SELECT format('warning: table %L inherits from %L: the inheritance is not represented in the model (reflected as a plain table)',
			rel.q, p.q)
		FROM rel JOIN pg_inherits i ON i.inhrelid = rel.oid JOIN rel p ON p.oid = i.inhparent
		WHERE NOT rel.relispartition AND rel.relkind = 'r'
	UNION ALL
	SELECT format('warning: trigger %L on table %L is not represented in the model (ignored by migrate)',
			t.tgname, rel.q)
		FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND t.tgparentid = 0
	UNION ALL
	SELECT format('warning: rule %L on table %L is not represented in the model (ignored by migrate)',
			r.rulename, rel.q)
		FROM pg_rewrite r JOIN rel ON rel.oid = r.ev_class WHERE r.rulename <> '_RETURN'
	UNION ALL
	SELECT format('warning: %s %L is not represented in the model (ignored by migrate)',
			CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' ELSE 'function' END,
			n.nspname || '.' || p.proname)
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
		AND p.oid NOT IN (SELECT objid FROM ext)
	UNION ALL
	SELECT format('warning: domain %L is not represented in the model (ignored by migrate)',
			n.nspname || '.' || t.typname)
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		AND t.oid NOT IN (SELECT objid FROM ext)
	" | LC_ALL=C sort
}

# pg_entries: pg_dump output on stdin as one line per entry: its header
# "Type|Schema|Name", a tab, and its body with newlines as \n (pg-header: the
# text before the first entry and the closing lines are left out).
pg_entries() {
	awk '
		function flush() {
			if (key != "") {
				sub(/(\\n)+$/, "", body)
				print key "\t" body
			}
			key = ""; body = ""
		}
		/^-- Name: / {
			flush()
			line = substr($0, 10)
			n = split(line, f, "; ")
			name = f[1]; type = substr(f[2], 7); schema = substr(f[3], 9)
			key = type "|" schema "|" name
			skip = 2   # the "--" line and the blank line after the header
			next
		}
		key == "" { next }
		/^\\unrestrict / || /^-- PostgreSQL database dump complete/ { flush(); next }
		skip > 0 && (/^--$/ || /^$/) { skip--; next }
		/^--$/ || /^SET / { next }
		{ body = body (body == "" ? "" : "\\n") $0 }
		END { flush() }
	' | sed 's/\\n\(\\n\)*$//'
}

# pg_dump_of URL DROPS INHERITS: the normalised dump of a database; DROPS is a
# file of entry-matching patterns to leave out (pg-unmodelled), INHERITS a file
# of inheriting tables (pg-inherits).
pg_dump_of() {
	local url=$1 drops=$2 inherits=$3 t
	pg_dump --schema-only --no-owner "$url" | pg_entries >"$T/entries"
	# pg-unmodelled
	if [[ -s $drops ]]; then
		grep -v -F -f "$drops" "$T/entries" >"$T/entries.kept" || true
		mv "$T/entries.kept" "$T/entries"
	fi
	# pg-inherits
	while read -r t; do
		[[ -n $t ]] || continue
		grep -v -F -e "TABLE|public|$t	" -e "DEFAULT|public|$t " "$T/entries" \
			>"$T/entries.kept" || true
		mv "$T/entries.kept" "$T/entries"
		printf 'TABLE|public|%s\t(columns) %s (checks) %s\n' "$t" "$(pg_sql "$url" "
			SELECT string_agg(column_name || ' ' || data_type
				|| coalesce('(' || character_maximum_length || ')', '')
				|| CASE is_nullable WHEN 'NO' THEN ' NOT NULL' ELSE '' END
				|| coalesce(' DEFAULT ' || column_default, ''), ', ' ORDER BY ordinal_position)
			FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = '$t'")" "$(pg_sql "$url" "
			SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ', ' ORDER BY conname)
			FROM pg_constraint WHERE contype = 'c' AND conrelid = 'public.$t'::regclass")" \
			>>"$T/entries"
	done <"$inherits"
	# pg-partitioned
	sed -E -e 's/\)\\nPARTITION BY [^;]*;$/);/' \
		-e 's/ ON ONLY public\./ ON public./' \
		-e 's/^(FK CONSTRAINT\|[^	]*	)ALTER TABLE public\./\1ALTER TABLE ONLY public./' \
		"$T/entries" | LC_ALL=C sort # pg-order
}

# The entry patterns to leave out of A's dump (pg-unmodelled), one per line
# for grep -F, from the warnings in file $1: the object's own entry, and for a
# partition the entries on it (its constraints, indexes and ATTACH lines).
pg_drops() {
	local line kind obj rest
	while IFS= read -r line; do
		if [[ $line =~ ^warning:\ (view|materialized\ view|function|aggregate|procedure|domain|sequence)\ \'([^.]*)\.(.*)\'\ is\ not ]]; then
			kind=${BASH_REMATCH[1]^^}
			obj=${BASH_REMATCH[2]}\|${BASH_REMATCH[3]}
			case $kind in
			FUNCTION | AGGREGATE | PROCEDURE) printf '%s|%s(\n' "$kind" "$obj" ;;
			VIEW | 'MATERIALIZED VIEW')
				# the view, and the indexes on it
				printf '%s|%s\t\n ON %s.%s USING \n' "$kind" "$obj" "${BASH_REMATCH[2]}" \
					"${BASH_REMATCH[3]}"
				;;
			*) printf '%s|%s\t\n' "$kind" "$obj" ;;
			esac
		elif [[ $line =~ ^warning:\ (trigger|rule)\ \'(.*)\'\ on\ table\ \'([^.]*)\.(.*)\'\ is\ not ]]; then
			printf '%s|%s|%s %s\t\n' "${BASH_REMATCH[1]^^}" "${BASH_REMATCH[3]}" \
				"${BASH_REMATCH[4]}" "${BASH_REMATCH[2]}"
		elif [[ $line =~ ^warning:\ partition\ \'([^.]*)\.(.*)\'\ of\ table ]]; then
			obj=${BASH_REMATCH[1]}.${BASH_REMATCH[2]}
			rest=${BASH_REMATCH[1]}\|${BASH_REMATCH[2]}
			printf '|%s\t\n|%s \n ON %s \nATTACH PARTITION %s_\n' "$rest" "$rest" "$obj" "$obj"
		fi
	done <"$1"
}

# pg_prelude URL_A URL_B DIR (pg-prelude): the sequences and domains the
# warnings name, created in B from their entries in A's dump; their keys in
# DIR/prelude.
pg_prelude() {
	pg_drops "$3/reflect.err" | grep -E '^(SEQUENCE|DOMAIN)\|' >"$3/prelude" || true
	[[ -s $3/prelude ]] || return 0
	pg_dump --schema-only --no-owner "$1" | pg_entries | grep -F -f "$3/prelude" | cut -f 2- |
		sed 's/\\n/\n/g' >"$3/prelude.sql"
	psql -X -q -v ON_ERROR_STOP=1 -d "$2" -f "$3/prelude.sql" >/dev/null
}

pg_roundtrip() {
	local file=$1 name a b urla urlb p
	name=$(basename "$file" .sql)
	a=rt_a_${name//-/_}_$RUN_ID
	b=rt_b_${name//-/_}_$RUN_ID
	urla=$(pg_fresh_db "$a")
	urlb=$(pg_fresh_db "$b")
	psql -X -q -v ON_ERROR_STOP=1 -d "$urla" -f "$file" >/dev/null 2>"$T/load.err" ||
		e2e_fail "$name: loading into A failed: $(cat "$T/load.err")"
	p=$T/postgresql-$name
	roundtrip_steps postgresql "$name" "$urla" "$urlb" "$p" "$(pg_sql "$urla" "SELECT count(*)
		FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
		AND NOT relispartition")" pg_prelude

	pg_expected_warnings "$urla" >"$T/warnings.expected"
	assert_eq "$(cat "$T/warnings.expected")" "$(LC_ALL=C sort "$p/reflect.err")" \
		"$name: the warnings of migrate reflect"
	pg_drops "$p/reflect.err" | grep -v -F -x -f "$p/prelude" >"$T/drops" || true
	printf 'SCHEMA|-|public\t\nACL|-|SCHEMA public\t\nCOMMENT|-|SCHEMA public\t\n' \
		>>"$T/drops" # pg-public
	sed -nE "s/^warning: table '([^.]*)\.(.*)' inherits from .*/\2/p" "$p/reflect.err" \
		>"$T/inherits"
	printf '|public|migrate_version\n|public|migrate_history\n' >"$T/drops.b" # pg-version
	assert_eq "$(pg_dump_of "$urla" "$T/drops" "$T/inherits")" \
		"$(pg_dump_of "$urlb" "$T/drops.b" "$T/inherits")" "$name: pg_dump of A and B"

	roundtrip_down "$p"
	# the version and history tables, and what pg-prelude made
	assert_eq "$({
		printf '%s\n' migrate_history migrate_history_id_seq migrate_history_pkc \
			migrate_version migrate_version_pkc
		sed -n 's/^SEQUENCE|public|\(.*\)\t$/\1/p' "$p/prelude"
	} | LC_ALL=C sort)" "$(pg_sql "$urlb" "SELECT relname FROM pg_class
		WHERE relnamespace = 'public'::regnamespace ORDER BY relname COLLATE \"C\"")" \
		"$name: what downgrade base leaves in B"
	assert_eq "$(sed -n 's/^DOMAIN|public|\(.*\)\t$/\1/p' "$p/prelude" | LC_ALL=C sort)" \
		"$(pg_sql "$urlb" "SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace
		AND typtype IN ('e', 'd') ORDER BY typname COLLATE \"C\"")" "$name: types left in B"
	pg_sql postgres "DROP DATABASE \"$a\" WITH (FORCE)"
	pg_sql postgres "DROP DATABASE \"$b\" WITH (FORCE)"
}

# ---- MariaDB ----

my_expected_warnings() {
	my_sql "$1" "
	SELECT CONCAT('warning: view ''', table_name,
		''' is not represented in the model (ignored by migrate)')
		FROM information_schema.views WHERE table_schema = DATABASE()
	UNION ALL
	SELECT CONCAT('warning: trigger ''', trigger_name, ''' on table ''', event_object_table,
		''' is not represented in the model (ignored by migrate)')
		FROM information_schema.triggers WHERE trigger_schema = DATABASE()
	UNION ALL
	SELECT CONCAT('warning: ', LOWER(routine_type), ' ''', routine_name,
		''' is not represented in the model (ignored by migrate)')
		FROM information_schema.routines WHERE routine_schema = DATABASE()" | LC_ALL=C sort
}

# The schemas whose tables have a character set of their own (my-charset).
MY_CHARSET_LIMITED="sakila-jooq"

# The normalised dump of MariaDB database $1 of schema file $2.
my_dump_of() {
	local tables
	tables=$(my_sql "$1" "SELECT table_name FROM information_schema.tables
		WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
		AND table_name NOT IN ('migrate_version', 'migrate_history') ORDER BY 1")
	e2e_parse_url "$(e2e_my_url "$1")"
	# shellcheck disable=SC2086
	mariadb-dump --protocol=tcp -h "$E2E_URL_HOST" -P "${E2E_URL_PORT:-3306}" \
		${E2E_URL_USER:+-u "$E2E_URL_USER"} --no-data --skip-comments --skip-triggers \
		--skip-dump-date "$1" $tables | sed -E 's/ AUTO_INCREMENT=[0-9]+//' | my_fk_index_names |
		my_key_order | if [[ " $MY_CHARSET_LIMITED " == *" $2 "* ]]; then
			sed -E 's/^(\) ENGINE=[A-Za-z]+) DEFAULT CHARSET=[a-z0-9_]+ COLLATE=[a-z0-9_]+/\1/'
		else
			cat
		fi
}

# my-key-order: in each CREATE TABLE, the index lines and the constraint lines
# each sorted, and line-ending commas taken out (stdin to stdout).
my_key_order() {
	sed -E '/^  /s/,$//' | awk '
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
}

# my-fk-index: the index MariaDB makes for a foreign key, named after the
# column or after the constraint, written as "KEY <fk NAME>" (stdin to stdout).
my_fk_index_names() {
	awk '
		function flush(   i, j, m, name, cols, first) {
			for (i = 1; i <= n; i++) {
				if (match(lines[i], /^  KEY `[^`]*` \(.*\)/)) {
					name = lines[i]; sub(/^  KEY `/, "", name); sub(/`.*/, "", name)
					cols = lines[i]; sub(/^  KEY `[^`]*` /, "", cols); sub(/,$/, "", cols)
					first = cols; sub(/^\(`/, "", first); sub(/`.*/, "", first)
					for (j = 1; j <= n; j++) {
						if (lines[j] ~ /^  CONSTRAINT `[^`]*` FOREIGN KEY / &&
						    index(lines[j], "FOREIGN KEY " cols " REFERENCES") &&
						    (index(lines[j], "CONSTRAINT `" name "` ") == 3 || name == first)) {
							m = lines[j]; sub(/^  CONSTRAINT `/, "", m); sub(/`.*/, "", m)
							sub(/^  KEY `[^`]*`/, "  KEY <fk " m ">", lines[i])
							break
						}
					}
				}
				print lines[i]
			}
			n = 0
		}
		/^CREATE TABLE / { flush(); intable = 1 }
		intable { lines[++n] = $0; if (/^\) /) { intable = 0; flush() }; next }
		{ print }
		END { flush() }
	'
}

my_roundtrip() {
	local file=$1 name a b urla urlb p
	name=$(basename "$file" .sql)
	a=rt_a_${name//-/_}_$RUN_ID
	b=rt_b_${name//-/_}_$RUN_ID
	urla=$(my_fresh_db "$a")
	urlb=$(my_fresh_db "$b")
	e2e_parse_url "$urla"
	e2e_mariadb "$urla" -D "$a" <"$file" >/dev/null 2>"$T/load.err" ||
		e2e_fail "$name: loading into A failed: $(cat "$T/load.err")"
	p=$T/mysql-$name
	roundtrip_steps mysql "$name" "$urla" "$urlb" "$p" "$(my_sql "$a" "SELECT count(*)
		FROM information_schema.tables WHERE table_schema = DATABASE()
		AND table_type = 'BASE TABLE'")"

	assert_eq "$(my_expected_warnings "$a")" "$(LC_ALL=C sort "$p/reflect.err")" \
		"$name: the warnings of migrate reflect"
	assert_eq "$(my_dump_of "$a" "$name")" "$(my_dump_of "$b" "$name")" \
		"$name: mariadb-dump of A and B"

	roundtrip_down "$p"
	assert_eq "migrate_history
migrate_version" "$(my_sql "$b" "SELECT table_name FROM information_schema.tables
		WHERE table_schema = DATABASE() ORDER BY 1")" "$name: what downgrade base leaves in B"
	my_sql "$a" "DROP DATABASE \`$a\`"
	my_sql "$b" "DROP DATABASE \`$b\`"
}

# ---- SQLite ----

sq_expected_warnings() {
	sqlite_sql "$1" "
	SELECT 'warning: view ''' || name || ''' is not represented in the model (ignored by migrate)'
		FROM sqlite_schema WHERE type = 'view'
	UNION ALL
	SELECT 'warning: trigger ''' || name || ''' on table ''' || tbl_name
		|| ''' is not represented in the model (ignored by migrate)'
		FROM sqlite_schema WHERE type = 'trigger'" | LC_ALL=C sort
}

# The CHECK clauses of CREATE TABLE text on stdin, one per line, with quotes,
# case and spacing folded (sq-describe).
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
				print out
			}
		}
	' | tr -d '[]"`' | tr 'A-Z' 'a-z' | tr -d ' \t' | LC_ALL=C sort
}

# The description of SQLite database FILE (sq-describe): tables only.
sq_dump_of() {
	local db=$1 t
	# (names may hold spaces: Northwind's "Order Details")
	while IFS= read -r -u 3 t; do
		echo "table $t"
		sqlite_sql "$db" "SELECT 'column', cid, name,
			CASE WHEN upper(type) = 'DATETIME' THEN 'TIMESTAMP'
				WHEN upper(type) = 'INT' THEN 'INTEGER'
				WHEN upper(type) LIKE 'DECIMAL%'
					THEN 'NUMERIC' || substr(replace(upper(type), ' ', ''), 8)
				ELSE replace(upper(type), ' ', '') END,
			CASE WHEN pk = 1 AND upper(type) = 'INTEGER' AND (SELECT count(*)
				FROM pragma_table_info('$t') WHERE pk > 0) = 1 THEN 'rowid'
			WHEN pk > 0 THEN 'pk' ELSE \"notnull\" END,
			CASE WHEN upper(dflt_value) = 'NULL' THEN NULL ELSE dflt_value END, pk, hidden
			FROM pragma_table_xinfo('$t')"
		sqlite_sql "$db" "SELECT 'fk', \"table\", seq, \"from\", \"to\", on_update,
			on_delete, match FROM pragma_foreign_key_list('$t') ORDER BY 2, 3, 4"
		sqlite_sql "$db" "SELECT 'index', l.name, l.\"unique\", l.origin, l.partial,
			x.seqno, x.name, x.\"desc\", x.coll
			FROM pragma_index_list('$t') l, pragma_index_xinfo(l.name) x
			WHERE x.key ORDER BY l.name, x.seqno"
		sqlite_sql "$db" "SELECT 'autoincrement', sql LIKE '%AUTOINCREMENT%' FROM sqlite_schema
			WHERE name = '$t'"
		sqlite_sql "$db" "SELECT sql FROM sqlite_schema WHERE name = '$t'" | sq_checks |
			sed 's/^/check /'
	done 3< <(sqlite_sql "$db" "SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT IN ('migrate_version', 'migrate_history') ORDER BY name")
}

sq_roundtrip() {
	local file=$1 name a b p
	name=$(basename "$file" .sql)
	a=$T/rt_a_$name.db
	b=$T/rt_b_$name.db
	sqlite3 -batch -bail "$a" <"$file" >/dev/null 2>"$T/load.err" ||
		e2e_fail "$name: loading into A failed: $(cat "$T/load.err")"
	p=$T/sqlite-$name
	roundtrip_steps sqlite "$name" "sqlite:///$a" "sqlite:///$b" "$p" "$(sqlite_sql "$a" "SELECT
		count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'")"

	assert_eq "$(sq_expected_warnings "$a")" "$(LC_ALL=C sort "$p/reflect.err")" \
		"$name: the warnings of migrate reflect"
	# sq-type holds only when no one-column primary key is declared INT (which
	# INTEGER would make the rowid)
	assert_eq "" "$(sqlite_sql "$a" "SELECT m.name || '.' || p.name FROM sqlite_schema m,
		pragma_table_info(m.name) p WHERE m.type = 'table' AND p.pk > 0
		AND upper(p.type) = 'INT' AND (SELECT count(*) FROM pragma_table_info(m.name)
		WHERE pk > 0) = 1")" "$name: one-column INT primary keys"
	assert_eq "$(sq_dump_of "$a")" "$(sq_dump_of "$b")" "$name: the description of A and B"

	roundtrip_down "$p"
	assert_eq "table migrate_history
table migrate_version
index sqlite_autoindex_migrate_version_1" "$(sqlite_sql "$b" "SELECT type, name FROM sqlite_schema
		WHERE name <> 'sqlite_sequence' ORDER BY type DESC, name" | tr '\t' ' ')" \
		"$name: what downgrade base leaves in B (sqlite_sequence, SQLite's own, stays)"
}

# ---- the steps every database shares ----

# roundtrip_steps DIALECT NAME URL_A URL_B DIR TABLES [PRELUDE]: reflect A into
# DIR/models (the warnings in DIR/reflect.err), which must write TABLES tables,
# then PRELUDE URL_A URL_B DIR when given, then on B: autogenerate, upgrade,
# check.
roundtrip_steps() {
	local d=$1 name=$2 urla=$3 urlb=$4 p=$5 tables=$6
	cp -r "$T/template" "$p"
	sed -i "s|^url = .*|url = $urlb|" "$p/migrate.ini"
	cd "$p"
	run migrate --url "$urla" reflect --output models
	assert_rc 0
	assert_out_eq "wrote $tables tables to models"
	printf '%s\n' "$ERR" | sed '/^$/d' >"$p/reflect.err"
	[[ -z ${7:-} ]] || "$7" "$urla" "$urlb" "$p"

	run migrate -q revision --autogenerate -m init --rev-id 0000000000a1
	assert_rc 0
	assert_out_eq ""
	assert_eq "$tables" "$(grep -c '^  - create_table:' "$p/migrations/versions/0000000000a1_init.yaml")" \
		"$name: the create_table ops of the revision"
	run migrate -q upgrade head
	assert_rc 0
	run migrate check
	assert_rc 0
	assert_out_eq "no pending changes"
	cd "$T"
}

# roundtrip_down DIR: downgrade base in the project DIR.
roundtrip_down() {
	cd "$1"
	run migrate -q downgrade base
	assert_rc 0
	cd "$T"
}

for f in "$SCHEMAS"/postgresql/*.sql; do
	pg_roundtrip "$f"
done
for f in "$SCHEMAS"/mysql/*.sql; do
	my_roundtrip "$f"
done
for f in "$SCHEMAS"/sqlite/*.sql; do
	sq_roundtrip "$f"
done

pass
