# shellcheck shell=bash
# Helpers for the end-to-end tests, sourced by each tests/e2e/<name>.sh:
#
#   . "$MIGRATE_E2E_LIB"
#   require_servers                    # when the test uses PostgreSQL or MariaDB
#   run migrate init proj
#   assert_rc 0
#   ...
#   pass
#
# meson gives each test MIGRATE_BIN, MIGRATE_SOURCE_ROOT and MIGRATE_E2E_LIB;
# scripts/test (or scripts/test-servers) adds the MIGRATE_TEST_* variables.
# A test runs in its own temporary folder $T (also the working directory),
# removed on exit unless MIGRATE_E2E_KEEP=1. Every assertion counts one check;
# a failed one prints what differs and exits 1. A test must end with `pass`:
# one that exits 0 without it fails.

set -euo pipefail

# The test's own stderr, for messages from traps, which may run while run()
# has stderr redirected.
exec {E2E_STDERR}>&2

: "${MIGRATE_BIN:?MIGRATE_BIN is not set: run the e2e tests through meson test or scripts/test}"

E2E_NAME=$(basename "$0" .sh)
E2E_CHECKS=0
E2E_PASSED=0
T=$(mktemp -d "${TMPDIR:-/tmp}/migrate-e2e-$E2E_NAME.XXXXXX")
OUT=
ERR=
RC=

e2e_on_exit() {
	local rc=$?
	if ((rc == 0 && !E2E_PASSED)); then
		echo "e2e $E2E_NAME: FAIL: the test ended without calling pass" >&"$E2E_STDERR"
		rc=1
	fi
	if [[ ${MIGRATE_E2E_KEEP:-0} == 1 ]]; then
		echo "e2e $E2E_NAME: kept $T" >&"$E2E_STDERR"
	else
		cd /
		rm -rf "$T"
	fi
	exit "$rc"
}
trap e2e_on_exit EXIT
trap 'echo "e2e $E2E_NAME: killed by SIGINT" >&"$E2E_STDERR"; exit 130' INT
trap 'echo "e2e $E2E_NAME: killed by SIGTERM (a timeout?)" >&"$E2E_STDERR"; exit 143' TERM
# A command that fails outside an assertion ends the test (set -e): say which.
trap 'e2e_on_err $? "$LINENO" "$BASH_COMMAND"' ERR
e2e_on_err() {
	echo "e2e $E2E_NAME: FAIL at $(e2e_where "${BASH_SOURCE[1]}"):$2: exit code $1 from: $3" >&2
}

cd "$T"

# The migrate binary under test.
migrate() {
	"$MIGRATE_BIN" "$@"
}

# run CMD...: runs CMD with stdout in $OUT, stderr in $ERR and the exit code in
# $RC; never aborts the test. $OUT and $ERR lose their trailing newlines, as
# with $(...); the raw bytes stay in $T/.out and $T/.err.
run() {
	"$@" >"$T/.out" 2>"$T/.err" && RC=0 || RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
}

# Prints a failure with where it happened, then exits 1.
e2e_fail() {
	local i=1
	# The first caller outside this file is the line of the test that failed.
	while [[ ${BASH_SOURCE[i]:-} == "${BASH_SOURCE[0]}" ]]; do
		i=$((i + 1))
	done
	echo "e2e $E2E_NAME: FAIL at $(e2e_where "${BASH_SOURCE[i]:-?}"):${BASH_LINENO[i - 1]}: $*" >&2
	exit 1
}

# A test file's path relative to the source tree (tests/e2e/x.sh), when it is
# in there.
e2e_where() {
	local root=${MIGRATE_SOURCE_ROOT:-} path
	path=$(realpath -m "$1" 2>/dev/null || echo "$1")
	root=$(realpath -m "${root:-/nonexistent}" 2>/dev/null || echo "$root")
	if [[ $path == "$root"/* ]]; then
		echo "${path#"$root"/}"
	else
		echo "$1"
	fi
}

# Prints a unified diff of two texts to stderr.
e2e_diff() {
	diff -u --label "expected" --label "actual" <(printf '%s\n' "$1") <(printf '%s\n' "$2") >&2 ||
		true
}

# Prints the stdout and stderr of the last run to stderr.
e2e_show_run() {
	{
		echo "--- exit code: $RC"
		echo "--- stdout:"
		printf '%s\n' "$OUT"
		echo "--- stderr:"
		printf '%s\n' "$ERR"
		echo "---"
	} >&2
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $1 != "$2" ]]; then
		e2e_diff "$1" "$2"
		e2e_fail "${3:-values differ}"
	fi
}

# assert_rc N: the exit code of the last run.
assert_rc() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $RC != "$1" ]]; then
		e2e_show_run
		e2e_fail "exit code $RC, expected $1"
	fi
}

# assert_out_eq TEXT: the whole stdout of the last run.
assert_out_eq() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $OUT != "$1" ]]; then
		e2e_diff "$1" "$OUT"
		[[ -z $ERR ]] || printf -- '--- stderr:\n%s\n' "$ERR" >&2
		e2e_fail "stdout differs"
	fi
}

# assert_err_eq TEXT: the whole stderr of the last run.
assert_err_eq() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $ERR != "$1" ]]; then
		e2e_diff "$1" "$ERR"
		e2e_fail "stderr differs"
	fi
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $1 != *"$2"* ]]; then
		printf -- '--- expected to contain:\n%s\n--- in:\n%s\n---\n' "$2" "$1" >&2
		e2e_fail "${3:-text not found}"
	fi
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $1 == *"$2"* ]]; then
		printf -- '--- expected not to contain:\n%s\n--- in:\n%s\n---\n' "$2" "$1" >&2
		e2e_fail "${3:-unexpected text found}"
	fi
}

# assert_out_contains TEXT: stdout of the last run contains TEXT.
assert_out_contains() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $OUT != *"$1"* ]]; then
		printf -- '--- expected stdout to contain:\n%s\n' "$1" >&2
		e2e_show_run
		e2e_fail "text not found in stdout"
	fi
}

# assert_err_contains TEXT: stderr of the last run contains TEXT.
assert_err_contains() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ $ERR != *"$1"* ]]; then
		printf -- '--- expected stderr to contain:\n%s\n' "$1" >&2
		e2e_show_run
		e2e_fail "text not found in stderr"
	fi
}

# assert_file_eq PATH TEXT: the file's content (less trailing newlines) is TEXT.
assert_file_eq() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [[ ! -f $1 ]]; then
		e2e_fail "no file '$1'"
	fi
	local actual
	actual=$(cat "$1")
	if [[ $actual != "$2" ]]; then
		e2e_diff "$2" "$actual"
		e2e_fail "content of '$1' differs"
	fi
}

# assert_file_exists PATH / assert_no_file PATH
assert_file_exists() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[[ -e $1 ]] || e2e_fail "no file '$1'"
}

assert_no_file() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[[ ! -e $1 ]] || e2e_fail "'$1' exists"
}

# Ends the test.
pass() {
	E2E_PASSED=1
	echo "e2e $E2E_NAME: $E2E_CHECKS checks passed"
	exit 0
}

# ---- databases ----

# Fails the test unless the test servers are there: e2e tests never skip a
# database.
require_servers() {
	local v missing=()
	for v in MIGRATE_TEST_PG_URL MIGRATE_TEST_MYSQL_URL; do
		[[ -n ${!v:-} ]] || missing+=("$v")
	done
	if ((${#missing[@]})); then
		e2e_fail "${missing[*]} not set: run the tests with scripts/test, or start servers with" \
			"eval \"\$(scripts/test-servers start DIR)\""
	fi
	for v in psql mariadb sqlite3; do
		command -v "$v" >/dev/null 2>&1 || e2e_fail "'$v' not found: run scripts/test once to install it"
	done
}

# Splits a URL scheme://[user[:password]@]host[:port]/database into
# E2E_URL_USER, E2E_URL_PASSWORD, E2E_URL_HOST, E2E_URL_PORT, E2E_URL_DB.
e2e_parse_url() {
	local rest=${1#*://} auth hostport
	E2E_URL_USER='' E2E_URL_PASSWORD=''
	if [[ $rest == *@* ]]; then
		auth=${rest%%@*}
		rest=${rest#*@}
		E2E_URL_USER=${auth%%:*}
		[[ $auth != *:* ]] || E2E_URL_PASSWORD=${auth#*:}
	fi
	hostport=${rest%%/*}
	E2E_URL_DB=
	[[ $rest != */* ]] || E2E_URL_DB=${rest#*/}
	E2E_URL_DB=${E2E_URL_DB%%\?*}
	E2E_URL_HOST=${hostport%:*}
	E2E_URL_PORT=
	[[ $hostport != *:* ]] || E2E_URL_PORT=${hostport##*:}
}

# The URL of database NAME (or NAME itself when it is a URL) on a test server.
e2e_db_url() {
	local base=$1 name=$2
	if [[ $name == *://* ]]; then
		echo "$name"
	else
		echo "${base%/*}/$name"
	fi
}

e2e_pg_url() {
	[[ -n ${MIGRATE_TEST_PG_URL:-} ]] || e2e_fail "MIGRATE_TEST_PG_URL is not set"
	e2e_db_url "$MIGRATE_TEST_PG_URL" "$1"
}

e2e_my_url() {
	[[ -n ${MIGRATE_TEST_MYSQL_URL:-} ]] || e2e_fail "MIGRATE_TEST_MYSQL_URL is not set"
	e2e_db_url "$MIGRATE_TEST_MYSQL_URL" "$1"
}

# pg_sql DB SQL: runs SQL on database DB (a name on the test server, or a URL)
# with psql; prints rows tab-separated, without a header; NULL prints empty.
pg_sql() {
	local url
	url=$(e2e_pg_url "$1")
	psql -X -A -t -q -v ON_ERROR_STOP=1 -F $'\t' -d "$url" -c "$2"
}

# pg_fresh_db NAME: (re)creates database NAME on the test PostgreSQL and
# prints its URL.
pg_fresh_db() {
	local admin
	admin=$(e2e_pg_url postgres)
	psql -X -q -v ON_ERROR_STOP=1 -d "$admin" -c "SET client_min_messages TO warning" \
		-c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" \
		-c "CREATE DATABASE \"$1\"" >&2
	e2e_pg_url "$1"
}

# Runs the mariadb client against the database URL $1 with the rest as options.
e2e_mariadb() {
	local url=$1 opts=()
	shift
	e2e_parse_url "$url"
	[[ -z $E2E_URL_USER ]] || opts+=(-u "$E2E_URL_USER")
	if [[ -n $E2E_URL_PASSWORD ]]; then
		MYSQL_PWD=$E2E_URL_PASSWORD mariadb --protocol=tcp -h "$E2E_URL_HOST" \
			-P "${E2E_URL_PORT:-3306}" "${opts[@]}" --default-character-set=utf8mb4 "$@"
	else
		mariadb --protocol=tcp -h "$E2E_URL_HOST" -P "${E2E_URL_PORT:-3306}" "${opts[@]}" \
			--default-character-set=utf8mb4 "$@"
	fi
}

# my_sql DB SQL: runs SQL on database DB (a name on the test server, or a URL)
# with the mariadb client; prints rows tab-separated, without a header (NULL
# prints as NULL, and tabs and newlines in values as \t and \n).
my_sql() {
	local url
	url=$(e2e_my_url "$1")
	e2e_parse_url "$url"
	e2e_mariadb "$url" -N -B -D "$E2E_URL_DB" -e "$2"
}

# my_fresh_db NAME: (re)creates database NAME on the test MariaDB and prints
# its URL.
my_fresh_db() {
	local url
	url=$(e2e_my_url "$1")
	e2e_mariadb "$url" -N -B -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\`" >&2
	echo "$url"
}

# sqlite_sql FILE SQL: runs SQL on an SQLite file with sqlite3; prints rows
# tab-separated, without a header.
sqlite_sql() {
	sqlite3 -batch -bail -noheader -separator $'\t' "$1" "$2"
}
