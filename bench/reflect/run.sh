#!/usr/bin/env bash
# Reflection benchmark (PostgreSQL): `migrate reflect --output -` against
# SQLAlchemy's MetaData.reflect on one generated database of 5,000 tables.
#
#   bench/reflect/run.sh [URL]
#
# URL names a PostgreSQL server (default $MIGRATE_BENCH_PG_URL, then
# $MIGRATE_TEST_PG_URL); the database migrate_bench_reflect is created on it
# and dropped at the end (BENCH_KEEP=1 keeps it). $MIGRATE_BIN is the migrate
# binary (default build/migrate). BENCH_TABLES (5000), BENCH_RUNS (10, for
# migrate) and BENCH_SA_RUNS (3, for SQLAlchemy) change the sizes. Needs
# hyperfine, psql and Debian's python3-sqlalchemy and python3-psycopg2.
# Prints a Markdown section for bench/RESULTS.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
url=${1:-${MIGRATE_BENCH_PG_URL:-${MIGRATE_TEST_PG_URL:-}}}
migrate=${MIGRATE_BIN:-$root/build/migrate}
tables=${BENCH_TABLES:-5000}
runs=${BENCH_RUNS:-10}
sa_runs=${BENCH_SA_RUNS:-3}
db=migrate_bench_reflect

die() {
	echo "bench/reflect: $*" >&2
	exit 2
}

[[ -n $url ]] || die "no server: give a URL or set MIGRATE_BENCH_PG_URL"
[[ -x $migrate ]] || die "no migrate binary at '$migrate' (build it, or set MIGRATE_BIN)"
for tool in hyperfine psql; do
	command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install $tool)"
done
/usr/bin/python3 -c 'import sqlalchemy, psycopg2' 2>/dev/null ||
	die "SQLAlchemy not found (apt-get install python3-sqlalchemy python3-psycopg2)"

base=${url%%\?*}
dburl="${base%/*}/$db"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrate-bench-reflect.XXXXXX")
cleanup() {
	if [[ ${BENCH_KEEP:-0} != 1 ]]; then
		psql -X -q -d "$url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "bench/reflect: generating $tables tables into $db" >&2
psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
	-c "CREATE DATABASE $db" >/dev/null
/usr/bin/python3 "$here/gen.py" --tables "$tables" >"$tmp/schema.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$dburl" -f "$tmp/schema.sql" >/dev/null
# catalog statistics, as autovacuum keeps them on a database in use
psql -X -q -d "$dburl" -c "VACUUM ANALYZE" >/dev/null

# what each one finds, to show that both read the whole database
"$migrate" -q --url "$dburl" reflect --output - >"$tmp/models.yaml"
migrate_tables=$(grep -c '^  [^ ].*:$' "$tmp/models.yaml" || true)
sa_summary=$(/usr/bin/python3 "$here/sqlalchemy_reflect.py" "$dburl")

echo "bench/reflect: timing" >&2
hyperfine --warmup 2 --runs "$runs" --export-json "$tmp/migrate.json" \
	-n "migrate reflect" "'$migrate' -q --url '$dburl' reflect --output - >/dev/null" >&2
hyperfine --warmup 1 --runs "$sa_runs" --export-json "$tmp/sqlalchemy.json" \
	-n "SQLAlchemy MetaData.reflect" "/usr/bin/python3 '$here/sqlalchemy_reflect.py' '$dburl'" >&2

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
server=$(psql -X -At -d "$dburl" -c "SHOW server_version")
sa_version=$(/usr/bin/python3 -c 'import sqlalchemy; print(sqlalchemy.__version__)')
/usr/bin/python3 - "$tmp/migrate.json" "$tmp/sqlalchemy.json" <<PY
import json, sys
m = json.load(open(sys.argv[1]))["results"][0]
s = json.load(open(sys.argv[2]))["results"][0]
print("## Reflection (PostgreSQL)")
print()
print("- machine: $(nproc) CPUs, ${cpu:-unknown CPU}; PostgreSQL $server on the same machine")
print("- date: $(date -u +%Y-%m-%d)")
print("- database: bench/reflect/gen.py, $tables tables of 5 to 10 columns, foreign keys")
print("  with their indexes, unique, partial and expression indexes, checks, comments")
print("- found: migrate $migrate_tables tables; SQLAlchemy $sa_summary")
print("- command: bench/reflect/run.sh ($runs runs of migrate, $sa_runs of SQLAlchemy $sa_version)")
print()
print("| | mean | σ | min | max |")
print("|---|---|---|---|---|")
for name, r in (("\`migrate reflect --output -\`", m), ("SQLAlchemy \`MetaData.reflect\`", s)):
    print("| %s | %.3f s | %.3f s | %.3f s | %.3f s |"
          % (name, r["mean"], r["stddev"] or 0, r["min"], r["max"]))
print()
print("SQLAlchemy / migrate: %.1f× (target for migrate: under 1 s)" % (s["mean"] / m["mean"]))
PY
