#!/bin/bash
# Six `migrate upgrade head` started at once against one database (PostgreSQL,
# MariaDB, an SQLite file): the migration lock lets one of them apply the
# revisions while the others wait, then find nothing left to do. Every
# process exits 0, each revision runs exactly once (each adds one row to a
# log table), and the version table ends with one row naming the head.

. "$MIGRATE_E2E_LIB"
require_servers
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL

run migrate -q init proj
assert_rc 0
cd proj
V=$T/proj/migrations/versions
cat >"$V/a1000000000a_log.yaml" <<'EOF'
revision: a1000000000a
down_revision: null
branch_labels: []
depends_on: []
message: log
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table:
      name: log
      columns:
        id: {type: integer, primary_key: true}
        rev: {type: varchar(20), nullable: false}
  - sql: "INSERT INTO log (rev) VALUES ('a1')"
downgrade:
  - drop_table: {name: log}
EOF
# the slow one: the others start while it runs
cat >"$V/b2000000000b_slow.yaml" <<'EOF'
revision: b2000000000b
down_revision: a1000000000a
branch_labels: []
depends_on: []
message: slow
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - sql:
      postgresql: SELECT pg_sleep(0.5)
      mysql: DO SLEEP(0.5)
      sqlite: |
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)
        SELECT count(*) FROM n
  - bulk_insert: {table: log, rows: [{rev: b2}]}
downgrade:
  - sql: "DELETE FROM log WHERE rev = 'b2'"
EOF
cat >"$V/c3000000000c_more.yaml" <<'EOF'
revision: c3000000000c
down_revision: b2000000000b
branch_labels: []
depends_on: []
message: more
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table: {name: t3, columns: {id: {type: integer, primary_key: true}}}
  - sql: "INSERT INTO log (rev) VALUES ('c3')"
downgrade:
  - drop_table: {name: t3}
EOF

for d in postgresql mysql sqlite; do
	case $d in
	postgresql) url=$(pg_fresh_db migrate_e2e_concurrency) ;;
	mysql) url=$(my_fresh_db migrate_e2e_concurrency) ;;
	sqlite) url="sqlite:///$T/concurrency.db" ;;
	esac
	pids=()
	for i in 1 2 3 4 5 6; do
		migrate --url "$url" upgrade head >"$T/$d-$i.out" 2>"$T/$d-$i.err" &
		pids+=($!)
	done
	ran=0 waited=0
	for i in 1 2 3 4 5 6; do
		rc=0
		wait "${pids[i - 1]}" || rc=$?
		if ((rc != 0)); then
			cat "$T/$d-$i.out" "$T/$d-$i.err" >&2
		fi
		assert_eq 0 "$rc" "$d: process $i exit code"
		if grep -q '^Running upgrade' "$T/$d-$i.out"; then
			ran=$((ran + 1))
		fi
		if grep -q '^waiting for the migration lock held by another process (up to 60 s)$' \
			"$T/$d-$i.err"; then
			waited=$((waited + 1))
		fi
	done
	# one process applied the three revisions (they may have been split
	# between processes where the lock lasts a transaction, but each
	# revision ran once: the log says so)
	assert_eq 1 "$((ran >= 1))" "$d: some process ran the revisions"
	assert_eq 1 "$((waited >= 1))" "$d: some process waited for the lock"
	logq="SELECT rev, count(*) FROM log GROUP BY rev ORDER BY rev"
	verq="SELECT version_num FROM migrate_version"
	case $d in
	postgresql)
		log=$(pg_sql "$url" "$logq")
		ver=$(pg_sql "$url" "$verq")
		hist=$(pg_sql "$url" "SELECT count(*) FROM migrate_history")
		;;
	mysql)
		log=$(my_sql "$url" "$logq")
		ver=$(my_sql "$url" "$verq")
		hist=$(my_sql "$url" "SELECT count(*) FROM migrate_history")
		;;
	sqlite)
		log=$(sqlite_sql "${url#sqlite:///}" "$logq")
		ver=$(sqlite_sql "${url#sqlite:///}" "$verq")
		hist=$(sqlite_sql "${url#sqlite:///}" "SELECT count(*) FROM migrate_history")
		;;
	esac
	assert_eq "a1	1
b2	1
c3	1" "$log" "$d: each revision ran once"
	assert_eq "c3000000000c" "$ver" "$d: the version table"
	assert_eq "3" "$hist" "$d: migrate_history"
done

# ---- clean up ----
pg_sql postgres "DROP DATABASE migrate_e2e_concurrency WITH (FORCE)"
my_sql migrate_e2e_concurrency "DROP DATABASE migrate_e2e_concurrency"

pass
