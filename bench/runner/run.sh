#!/bin/bash
# The runner benchmark: 1,000 one-op revisions (bench/runner/gen.py) applied
# from an empty database with `migrate upgrade head`, and the same history as
# Alembic revision scripts with Debian's `alembic upgrade head`
# (python3-alembic and python3-psycopg2, run by /usr/bin/python3), on SQLite
# and on PostgreSQL, timed side by side with hyperfine. The database is
# emptied before every run (hyperfine --prepare).
#
#   bench/runner/run.sh [BUILD_DIR] [PG_URL]
#
# BUILD_DIR defaults to build (the binary is BUILD_DIR/migrate); PG_URL is a
# server URL whose database is left alone (default $MIGRATE_TEST_PG_URL, else
# postgresql://postgres@127.0.0.1:55432/postgres): the benchmark creates and
# drops the database bench_runner beside it. Without a PostgreSQL server the
# SQLite half still runs.
#
# On PostgreSQL two floors are timed too: the revisions' own statements sent
# by psql one at a time (one round trip each), and the same statements sent
# as one string (one round trip for all: the server's own time).
#
# Environment: COUNT (1000), RUNS (10 for migrate), ALEMBIC_RUNS (3),
# WORK (a temporary folder, removed at the end), RESULTS (where hyperfine's
# markdown tables go; default WORK).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
migrate=$(cd "$build" && pwd)/migrate
pg_admin=${2:-${MIGRATE_TEST_PG_URL:-postgresql://postgres@127.0.0.1:55432/postgres}}
pg_url=${pg_admin%/*}/bench_runner
count=${COUNT:-1000}
runs=${RUNS:-10}
alembic_runs=${ALEMBIC_RUNS:-3}

[[ -x $migrate ]] || { echo "no migrate binary at $migrate: build first (meson setup build && ninja -C build)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
have_alembic=1
if ! /usr/bin/python3 -c 'import alembic' 2>/dev/null || [[ ! -x /usr/bin/alembic ]]; then
	echo "python3-alembic is not installed (apt-get install alembic): timing migrate only" >&2
	have_alembic=0
fi
have_pg=1
if ! psql -X -q -d "$pg_admin" -c 'SELECT 1' >/dev/null 2>&1; then
	echo "no PostgreSQL server at $pg_admin: SQLite only" >&2
	have_pg=0
fi

work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/migrate-bench-runner.XXXXXX")}
results=${RESULTS:-$work}
mkdir -p "$results"
[[ -n ${WORK:-} ]] || trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "migrate: $("$migrate" --version)"
((have_alembic)) && echo "alembic: $(/usr/bin/python3 -c 'import alembic; print(alembic.__version__)')"
((have_pg)) && echo "server:  $(psql -X -A -t -d "$pg_admin" -c 'SHOW server_version')"
echo

/usr/bin/python3 "$here/gen.py" --count "$count" "$work/revs"
head=$(cd "$work/revs/migrate" && "$migrate" heads | cut -d' ' -f1)

pg_reset="psql -X -q -d '$pg_admin' -c 'DROP DATABASE IF EXISTS bench_runner WITH (FORCE)' -c 'CREATE DATABASE bench_runner' >/dev/null 2>&1"

# bench DIALECT URL RESET: check that both tools reach the head, then time them
bench() {
	local dialect=$1 url=$2 reset=$3
	local m="cd $work/revs/migrate && MIGRATE_URL='$url' $migrate -q upgrade head"
	local a="cd $work/revs/alembic && BENCH_URL='$url' /usr/bin/python3 /usr/bin/alembic -c alembic.ini upgrade head"
	eval "$reset"
	(eval "$m")
	[[ $(cd "$work/revs/migrate" && MIGRATE_URL=$url "$migrate" current) == "$head (head)" ]] ||
		{ echo "migrate did not reach the head on $dialect" >&2; exit 1; }
	if ((have_alembic)); then
		eval "$reset"
		(eval "$a") 2>/dev/null
		local ah
		ah=$(cd "$work/revs/alembic" && BENCH_URL=$url /usr/bin/alembic current 2>/dev/null)
		[[ $ah == "$head (head)" ]] || { echo "alembic did not reach the head on $dialect: $ah" >&2; exit 1; }
	fi
	hyperfine --warmup 1 --runs "$runs" --prepare "$reset" \
		--export-markdown "$results/$dialect-migrate.md" \
		--command-name "migrate upgrade head ($dialect)" "$m"
	if ((have_alembic)); then
		hyperfine --warmup 1 --runs "$alembic_runs" --prepare "$reset" \
			--export-markdown "$results/$dialect-both.md" \
			--command-name "migrate upgrade head ($dialect)" "$m" \
			--command-name "alembic upgrade head ($dialect)" "$a 2>/dev/null"
	fi
}

bench sqlite "sqlite:///$work/bench.db" "rm -f $work/bench.db"
if ((have_pg)); then
	bench postgresql "$pg_url" "$pg_reset"
	# the floor: the revisions' own statements (the --sql script without its
	# version and history rows), sent by psql one at a time in one transaction
	(cd "$work/revs/migrate" && MIGRATE_URL=$pg_url "$migrate" upgrade --sql head) |
		grep -v '^UPDATE "migrate_version"\|^INSERT INTO "migrate_history"' >"$work/ddl.sql"
	hyperfine --warmup 1 --runs "$runs" --prepare "$pg_reset" \
		--export-markdown "$results/postgresql-psql.md" \
		--command-name "psql -f (the DDL alone)" \
		"psql -X -q -v ON_ERROR_STOP=1 -d '$pg_url' -f $work/ddl.sql >/dev/null"
	# the server alone: the same statements as one string, in one round trip
	# (psql -c sends it as one simple query), so nothing waits on the client
	hyperfine --warmup 1 --runs "$runs" --prepare "$pg_reset" \
		--export-markdown "$results/postgresql-server.md" \
		--command-name "psql -c (the DDL alone, one round trip)" \
		"psql -X -q -v ON_ERROR_STOP=1 -d '$pg_url' -c \"\$(cat $work/ddl.sql)\" >/dev/null"
	eval "$pg_reset"
	psql -X -q -d "$pg_admin" -c 'DROP DATABASE IF EXISTS bench_runner WITH (FORCE)' >/dev/null 2>&1
fi
echo
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
