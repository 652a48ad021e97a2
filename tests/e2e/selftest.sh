#!/bin/bash
# Checks the e2e helpers themselves: the temp folder, run and its captures,
# that failed assertions are detected, and fresh databases and SQL helpers on
# both test servers and on SQLite.
# shellcheck source=tests/e2e/lib.sh
. "$MIGRATE_E2E_LIB"
require_servers

# ---- the temp folder and the binary ----
assert_eq "$T" "$PWD" "tests run in \$T"
assert_contains "$T" "migrate-e2e-selftest." "temp folder name"
run migrate --version
assert_rc 0
assert_out_contains "migrate "
assert_eq "" "$ERR" "no stderr from --version"

# ---- run captures stdout, stderr and the exit code without aborting ----
run bash -c 'printf "one\ntwo\n"; echo oops >&2; exit 3'
assert_rc 3
assert_out_eq $'one\ntwo'
assert_err_eq "oops"
assert_err_contains "oop"
assert_not_contains "$OUT" "oops"
assert_file_eq "$T/.out" $'one\ntwo'
run true
assert_rc 0
assert_out_eq ""

# ---- every assertion fails when it should, with a message saying where ----
expect_failure() {
	local what=$1
	shift
	if ("$@") >/dev/null 2>"$T/fail.log"; then
		e2e_fail "$what did not fail"
	fi
	assert_contains "$(cat "$T/fail.log")" "FAIL at tests/e2e/selftest.sh:" \
		"$what names the failing line"
}
expect_failure "assert_eq" assert_eq "a" "b"
assert_contains "$(cat "$T/fail.log")" $'-a\n+b' "assert_eq prints a diff"
run bash -c 'echo out; echo err >&2; exit 1'
expect_failure "assert_rc" assert_rc 0
assert_contains "$(cat "$T/fail.log")" "exit code 1, expected 0"
expect_failure "assert_out_eq" assert_out_eq "other"
expect_failure "assert_err_eq" assert_err_eq "other"
expect_failure "assert_out_contains" assert_out_contains "nothing like it"
expect_failure "assert_err_contains" assert_err_contains "nothing like it"
expect_failure "assert_contains" assert_contains "haystack" "needle"
expect_failure "assert_not_contains" assert_not_contains "haystack" "hay"
expect_failure "assert_file_eq (missing)" assert_file_eq "$T/missing" ""
printf 'x\n' >"$T/x"
expect_failure "assert_file_eq (content)" assert_file_eq "$T/x" "y"
expect_failure "assert_file_exists" assert_file_exists "$T/missing"
expect_failure "assert_no_file" assert_no_file "$T/x"
# Patterns in a needle are taken literally.
expect_failure "assert_contains (literal)" assert_contains "abc" "a*"

# ---- a test that exits 0 without calling pass fails ----
printf '. "%s"\nassert_eq 1 1\n' "$MIGRATE_E2E_LIB" >"$T/no-pass.sh"
run bash "$T/no-pass.sh"
assert_rc 1
assert_err_contains "ended without calling pass"
# ... and a failing command outside an assertion says which.
printf '. "%s"\nfalse\npass\n' "$MIGRATE_E2E_LIB" >"$T/fails.sh"
run bash "$T/fails.sh"
assert_rc 1
assert_err_contains "fails.sh:2: exit code 1 from: false"

# ---- PostgreSQL ----
url=$(pg_fresh_db e2e_selftest)
assert_eq "${MIGRATE_TEST_PG_URL%/*}/e2e_selftest" "$url" "pg_fresh_db prints the URL"
pg_sql e2e_selftest "CREATE TABLE t (a integer, b text); INSERT INTO t VALUES (1, 'x'), (2, NULL)"
assert_eq $'1\tx\n2\t' "$(pg_sql e2e_selftest 'SELECT a, b FROM t ORDER BY a')" "pg_sql rows"
assert_eq "e2e_selftest" "$(pg_sql "$url" 'SELECT current_database()')" "pg_sql takes a URL"
url=$(pg_fresh_db e2e_selftest)
assert_eq "0" "$(pg_sql e2e_selftest "SELECT count(*) FROM pg_tables WHERE tablename = 't'")" \
	"pg_fresh_db drops what was there"
if (pg_sql e2e_selftest "SELECT * FROM no_such_table") 2>/dev/null; then
	e2e_fail "pg_sql did not fail on an error"
fi

# ---- MariaDB ----
url=$(my_fresh_db e2e_selftest)
assert_eq "${MIGRATE_TEST_MYSQL_URL%/*}/e2e_selftest" "$url" "my_fresh_db prints the URL"
my_sql e2e_selftest "CREATE TABLE t (a integer, b text); INSERT INTO t VALUES (1, 'x'), (2, NULL)"
assert_eq $'1\tx\n2\tNULL' "$(my_sql e2e_selftest 'SELECT a, b FROM t ORDER BY a')" "my_sql rows"
assert_eq "e2e_selftest" "$(my_sql "$url" 'SELECT DATABASE()')" "my_sql takes a URL"
url=$(my_fresh_db e2e_selftest)
assert_eq "0" "$(my_sql e2e_selftest "SELECT count(*) FROM information_schema.tables
	WHERE table_schema = 'e2e_selftest'")" "my_fresh_db drops what was there"
if (my_sql e2e_selftest "SELECT * FROM no_such_table") 2>/dev/null; then
	e2e_fail "my_sql did not fail on an error"
fi

# ---- SQLite ----
sqlite_sql "$T/a.db" "CREATE TABLE t (a integer, b text); INSERT INTO t VALUES (1, 'x'), (2, NULL)"
assert_eq $'1\tx\n2\t' "$(sqlite_sql "$T/a.db" 'SELECT a, b FROM t ORDER BY a')" "sqlite_sql rows"
if (sqlite_sql "$T/a.db" "SELECT * FROM no_such_table") 2>/dev/null; then
	e2e_fail "sqlite_sql did not fail on an error"
fi

pass
