#!/bin/bash
# A run of three revisions whose second revision's third op fails. PostgreSQL
# and SQLite roll back: by default the database is exactly as before, with
# transaction_per_migration = true it is at the first revision. MariaDB
# commits DDL as it goes: the error lists the ops of the revision that ran,
# the one that failed and those that did not, the version table names the
# first revision, and migrate_history records the failure. On PostgreSQL the
# same with a DDL statement that fails inside a batch (pipeline mode).

. "$MIGRATE_E2E_LIB"
require_servers
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL

norm() {
	printf '%s' "$1" | sed -E 's/\(([0-9]+) ms\)/(N ms)/g'
}

run migrate -q init proj
assert_rc 0
cd proj
V=$T/proj/migrations/versions
cat >"$V/a1000000000a_one.yaml" <<'EOF'
revision: a1000000000a
down_revision: null
branch_labels: []
depends_on: []
message: one
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table: {name: t1, columns: {id: {type: integer, primary_key: true}}}
downgrade:
  - drop_table: {name: t1}
EOF
cat >"$V/b2000000000b_two.yaml" <<'EOF'
revision: b2000000000b
down_revision: a1000000000a
branch_labels: []
depends_on: []
message: two
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table: {name: t2, columns: {id: {type: integer, primary_key: true}}}
  - add_column: {table: t1, column: {name: x, type: integer}}
  - sql: INSERT INTO no_such_table VALUES (1)
  - create_index: {table: t1, name: ix_t1_x, columns: [x]}
downgrade:
  - drop_index: {table: t1, name: ix_t1_x}
  - drop_column: {table: t1, column: x}
  - drop_table: {name: t2}
EOF
cat >"$V/c3000000000c_three.yaml" <<'EOF'
revision: c3000000000c
down_revision: b2000000000b
branch_labels: []
depends_on: []
message: three
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table: {name: t3, columns: {id: {type: integer, primary_key: true}}}
downgrade:
  - drop_table: {name: t3}
EOF

PROGRESS="Running upgrade <base> -> a1000000000a, one ... done (N ms)
Running upgrade a1000000000a -> b2000000000b, two ... failed"
OP3="upgrade b2000000000b failed at op 3 of 4, sql ($V/b2000000000b_two.yaml:10:5)"

# ---- PostgreSQL ----
pg_tables() {
	pg_sql "$1" "SELECT string_agg(c.relname || '(' || (SELECT string_agg(attname, ','
		ORDER BY attnum) FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0
		AND NOT attisdropped) || ')', ' ' ORDER BY c.relname) FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')"
}
for mode in default per_migration; do
	url=$(pg_fresh_db migrate_e2e_failure)
	pg_sql "$url" "CREATE TABLE keep (id integer)"
	pg_sql "$url" "INSERT INTO keep VALUES (7)"
	run migrate -q --url "$url" ensure-version
	assert_rc 0
	before=$(pg_tables "$url")
	if [[ $mode == per_migration ]]; then
		printf 'transaction_per_migration = true\n' >>migrate.ini
	fi
	run migrate --url "$url" upgrade head
	assert_rc 3
	assert_eq "$PROGRESS" "$(norm "$OUT")"
	if [[ $mode == default ]]; then
		assert_err_eq "error: $OP3: postgresql error (42P01): relation \"no_such_table\" does not exist
  statement: INSERT INTO no_such_table VALUES (1)
the transaction was rolled back; the version table is empty (the database is at base)"
		assert_eq "$before" "$(pg_tables "$url")" "postgresql: the schema as before"
		assert_eq "keep(id) migrate_history(id,revision,direction,checksum,applied_at,applied_by,duration_ms,ops_done) migrate_history_pkc(id) migrate_version(version_num) migrate_version_pkc(version_num)" \
			"$before"
		assert_eq "" "$(pg_sql "$url" "SELECT version_num FROM migrate_version")"
		assert_eq "0" "$(pg_sql "$url" "SELECT count(*) FROM migrate_history")"
	else
		assert_err_eq "error: $OP3: postgresql error (42P01): relation \"no_such_table\" does not exist
  statement: INSERT INTO no_such_table VALUES (1)
the transaction was rolled back; the version table names a1000000000a"
		assert_eq "keep(id) migrate_history(id,revision,direction,checksum,applied_at,applied_by,duration_ms,ops_done) migrate_history_pkc(id) migrate_version(version_num) migrate_version_pkc(version_num) t1(id) t1_pkey(id)" \
			"$(pg_tables "$url")"
		assert_eq "a1000000000a" "$(pg_sql "$url" "SELECT version_num FROM migrate_version")"
		assert_eq "a1000000000a	up	1" "$(pg_sql "$url" \
			"SELECT revision, direction, ops_done FROM migrate_history")"
	fi
	assert_eq "7" "$(pg_sql "$url" "SELECT id FROM keep")"
done
sed -i '/^transaction_per_migration = true$/d' migrate.ini

# ---- PostgreSQL: a DDL statement that fails in a batch ----
# Inside a transaction, PostgreSQL gets the statements of the run in one
# round trip (pipeline mode); the one that fails is still named exactly, with
# its revision and op, and the revisions queued after it are not reported.
cd "$T"
run migrate -q init batch
assert_rc 0
cd batch
B=$T/batch/migrations/versions
cp "$V/a1000000000a_one.yaml" "$V/c3000000000c_three.yaml" "$B/"
cat >"$B/b2000000000b_two.yaml" <<'EOF'
revision: b2000000000b
down_revision: a1000000000a
branch_labels: []
depends_on: []
message: two
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table: {name: t2, columns: {id: {type: integer, primary_key: true}}}
  - add_column: {table: t1, column: {name: x, type: integer}}
  - create_index: {table: dup, name: ix_dup_v, columns: [v], unique: true}
  - create_index: {table: t1, name: ix_t1_x, columns: [x]}
downgrade:
  - drop_index: {table: t1, name: ix_t1_x}
  - drop_index: {table: dup, name: ix_dup_v}
  - drop_column: {table: t1, column: x}
  - drop_table: {name: t2}
EOF
for mode in default per_migration; do
	url=$(pg_fresh_db migrate_e2e_failure)
	pg_sql "$url" "CREATE TABLE dup (v integer)"
	pg_sql "$url" "INSERT INTO dup VALUES (1), (1)"
	run migrate -q --url "$url" ensure-version
	assert_rc 0
	before=$(pg_tables "$url")
	if [[ $mode == per_migration ]]; then
		printf 'transaction_per_migration = true\n' >>migrate.ini
		at="names a1000000000a"
	else
		at="is empty (the database is at base)"
	fi
	run migrate --url "$url" upgrade head
	assert_rc 3
	assert_eq "$PROGRESS" "$(norm "$OUT")"
	assert_err_eq "error: upgrade b2000000000b failed at op 3 of 4, create_index ix_dup_v on dup ($B/b2000000000b_two.yaml:10:5): postgresql error (23505): could not create unique index \"ix_dup_v\"
  detail: Key (v)=(1) is duplicated.
  statement: CREATE UNIQUE INDEX \"ix_dup_v\" ON \"dup\" (\"v\")
the transaction was rolled back; the version table $at"
	if [[ $mode == default ]]; then
		assert_eq "$before" "$(pg_tables "$url")" "postgresql: the schema as before"
		assert_eq "0" "$(pg_sql "$url" "SELECT count(*) FROM migrate_history")"
	else
		assert_eq "a1000000000a	up	1" "$(pg_sql "$url" \
			"SELECT revision, direction, ops_done FROM migrate_history")"
		assert_eq "dup(v) migrate_history(id,revision,direction,checksum,applied_at,applied_by,duration_ms,ops_done) migrate_history_pkc(id) migrate_version(version_num) migrate_version_pkc(version_num) t1(id) t1_pkey(id)" \
			"$(pg_tables "$url")"
	fi
	# once the data allows it, the same run goes through
	pg_sql "$url" "DELETE FROM dup"
	run migrate --url "$url" upgrade head
	assert_rc 0
	run migrate --url "$url" current
	assert_out_eq "c3000000000c (head)"
	assert_eq "t1(id,x) t2(id) t3(id)" "$(pg_sql "$url" "SELECT string_agg(c.relname || '('
		|| (SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
		WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped) || ')', ' '
		ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
		AND c.relkind = 'r' AND c.relname LIKE 't_'")"
done
sed -i '/^transaction_per_migration = true$/d' migrate.ini
cd "$T/proj"

# ---- SQLite ----
sq_tables() {
	sqlite_sql "$1" "SELECT group_concat(name || '(' || cols || ')', ' ') FROM (SELECT m.name,
		(SELECT group_concat(name, ',') FROM pragma_table_info(m.name)) AS cols
		FROM sqlite_master m WHERE m.type = 'table' ORDER BY m.name)"
}
for mode in default per_migration; do
	db=$T/failure-$mode.db
	url="sqlite:///$db"
	sqlite_sql "$db" "CREATE TABLE keep (id integer); INSERT INTO keep VALUES (7)"
	run migrate -q --url "$url" ensure-version
	assert_rc 0
	before=$(sq_tables "$db")
	if [[ $mode == per_migration ]]; then
		printf 'transaction_per_migration = true\n' >>migrate.ini
	fi
	run migrate --url "$url" upgrade head
	assert_rc 3
	assert_eq "$PROGRESS" "$(norm "$OUT")"
	if [[ $mode == default ]]; then
		assert_err_eq "error: $OP3: sqlite error: no such table: no_such_table
  statement: INSERT INTO no_such_table VALUES (1)
the transaction was rolled back; the version table is empty (the database is at base)"
		assert_eq "$before" "$(sq_tables "$db")" "sqlite: the schema as before"
		assert_eq "keep(id) migrate_history(id,revision,direction,checksum,applied_at,applied_by,duration_ms,ops_done) migrate_version(version_num)" \
			"$before"
		assert_eq "" "$(sqlite_sql "$db" "SELECT version_num FROM migrate_version")"
		assert_eq "0" "$(sqlite_sql "$db" "SELECT count(*) FROM migrate_history")"
	else
		assert_err_eq "error: $OP3: sqlite error: no such table: no_such_table
  statement: INSERT INTO no_such_table VALUES (1)
the transaction was rolled back; the version table names a1000000000a"
		assert_eq "keep(id) migrate_history(id,revision,direction,checksum,applied_at,applied_by,duration_ms,ops_done) migrate_version(version_num) t1(id)" \
			"$(sq_tables "$db")"
		assert_eq "a1000000000a" "$(sqlite_sql "$db" "SELECT version_num FROM migrate_version")"
		assert_eq "a1000000000a	up	1" "$(sqlite_sql "$db" \
			"SELECT revision, direction, ops_done FROM migrate_history")"
	fi
	assert_eq "7" "$(sqlite_sql "$db" "SELECT id FROM keep")"
done
sed -i '/^transaction_per_migration = true$/d' migrate.ini

# ---- MariaDB: what ran stays, and the error says which ----
url=$(my_fresh_db migrate_e2e_failure)
run migrate --url "$url" upgrade head
assert_rc 3
assert_eq "Creating table migrate_version
Creating table migrate_history
$PROGRESS" "$(norm "$OUT")"
assert_err_eq "error: $OP3: mysql error (1146): Table 'migrate_e2e_failure.no_such_table' doesn't exist
  statement: INSERT INTO no_such_table VALUES (1)
mysql commits each DDL statement at once, so the ops before the failed one stay applied:
  ran:
    1. create_table t2 ($V/b2000000000b_two.yaml:8:5)
    2. add_column t1.x ($V/b2000000000b_two.yaml:9:5)
  failed:
    3. sql ($V/b2000000000b_two.yaml:10:5)
  not run:
    4. create_index ix_t1_x on t1 ($V/b2000000000b_two.yaml:11:5)
the version table still names a1000000000a, as before upgrade b2000000000b
to go on: either reverse ops 1-2 by hand, fix the failed op and run the upgrade again, or carry out the rest of the revision by hand and run 'migrate stamp b2000000000b'"
assert_eq "a1000000000a" "$(my_sql "$url" "SELECT version_num FROM migrate_version")"
assert_eq "migrate_history migrate_version t1 t2" "$(my_sql "$url" "SELECT GROUP_CONCAT(table_name
	ORDER BY table_name SEPARATOR ' ') FROM information_schema.tables
	WHERE table_schema = DATABASE()")"
assert_eq "id,x" "$(my_sql "$url" "SELECT GROUP_CONCAT(column_name ORDER BY ordinal_position)
	FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 't1'")"
sum_b=$(git hash-object "$V/b2000000000b_two.yaml")
assert_eq "a1000000000a	up	NULL	1
b2000000000b	up-failed	$sum_b	2" "$(my_sql "$url" "SELECT revision, direction,
	IF(direction = 'up', NULL, checksum), ops_done FROM migrate_history ORDER BY id")"

# the way out the error gives: finish the revision by hand, then stamp
my_sql "$url" "CREATE INDEX ix_t1_x ON t1 (x)"
run migrate --url "$url" stamp b2000000000b
assert_rc 0
assert_out_eq "Stamping a1000000000a -> b2000000000b"
run migrate --url "$url" upgrade head
assert_rc 0
assert_eq "Running upgrade b2000000000b -> c3000000000c, three ... done (N ms)" "$(norm "$OUT")"
run migrate --url "$url" current
assert_out_eq "c3000000000c (head)"

# ---- clean up ----
pg_sql postgres "DROP DATABASE migrate_e2e_failure WITH (FORCE)"
my_sql migrate_e2e_failure "DROP DATABASE migrate_e2e_failure"

pass
