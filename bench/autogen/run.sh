#!/usr/bin/env bash
# Autogenerate benchmark (PostgreSQL): migrate against Alembic on the same
# generated schema (bench/autogen/gen.py), written as migrate model files and
# as SQLAlchemy tables for Alembic's env.py.
#
#   bench/autogen/run.sh [URL]
#
# For each size in BENCH_SIZES (default "1000 5000"):
#   (a) in sync: the schema loaded with psql (a transaction per 500 tables) into a
#       database; `migrate check` against `alembic revision --autogenerate`.
#       Alembic 1.8 (Debian's) has no `check` command; autogenerate is the
#       nearest: it compares the models with the database and writes a
#       revision, empty here. Each run starts without revision files.
#       `migrate diff` (the comparison alone: check also verifies the applied
#       revisions and looks for drift) is timed too.
#   (b) from empty: `migrate revision --autogenerate` against `alembic
#       revision --autogenerate` on an empty database (both write a revision
#       that creates every table).
# Both tools compare types and server defaults (migrate by default; Alembic
# with compare_type=True and compare_server_default=True in env.py). Before
# timing, the script checks that both find the loaded database in sync and
# that both write a revision with every table for the empty one.
#
# URL names a PostgreSQL server (default $MIGRATE_BENCH_PG_URL, then
# $MIGRATE_TEST_PG_URL); databases migrate_bench_autogen_{sync,empty} are
# created on it and dropped at the end (BENCH_KEEP=1 keeps them and the
# folder). $MIGRATE_BIN is the migrate binary (default build/migrate).
# BENCH_RUNS (10) and BENCH_ALEMBIC_RUNS (3) set the number of timed runs.
# Needs hyperfine, psql, Debian's alembic (/usr/bin/alembic, python3-alembic)
# and python3-psycopg2. Prints a Markdown section for bench/RESULTS.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
url=${1:-${MIGRATE_BENCH_PG_URL:-${MIGRATE_TEST_PG_URL:-}}}
migrate=${MIGRATE_BIN:-$root/build/migrate}
sizes=${BENCH_SIZES:-1000 5000}
runs=${BENCH_RUNS:-10}
al_runs=${BENCH_ALEMBIC_RUNS:-3}
python=/usr/bin/python3
alembic=/usr/bin/alembic

die() {
	echo "bench/autogen: $*" >&2
	exit 2
}

[[ -n $url ]] || die "no server: give a URL or set MIGRATE_BENCH_PG_URL"
[[ -x $migrate ]] || die "no migrate binary at '$migrate' (build it, or set MIGRATE_BIN)"
for tool in hyperfine psql $alembic; do
	command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install hyperfine postgresql-client alembic)"
done
$python -c 'import alembic, sqlalchemy, psycopg2' 2>/dev/null ||
	die "Alembic or psycopg2 not found (apt-get install python3-alembic python3-psycopg2)"
migrate=$(cd "$(dirname "$migrate")" && pwd)/$(basename "$migrate")

base=${url%%\?*}
sync_db=migrate_bench_autogen_sync
empty_db=migrate_bench_autogen_empty
sync_url="${base%/*}/$sync_db"
empty_url="${base%/*}/$empty_db"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrate-bench-autogen.XXXXXX")

drop_dbs() {
	psql -X -q -d "$url" -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $sync_db WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS $empty_db WITH (FORCE)" >/dev/null
}
cleanup() {
	if [[ ${BENCH_KEEP:-0} == 1 ]]; then
		echo "bench/autogen: kept $tmp and the databases" >&2
	else
		drop_dbs || true
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

fresh_db() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}

# SQLAlchemy wants its own spelling of the URL.
sa_url() {
	local u=$1
	u=${u#postgresql://}
	u=${u#postgres://}
	echo "postgresql+psycopg2://$u"
}

# A migrate project on URL $2 in folder $1, with the generated models.
migrate_project() {
	mkdir -p "$1/migrations/versions"
	cat >"$1/migrate.ini" <<EOF
[migrate]
url = $2
script_location = %(here)s/migrations
models = $gen/models
# Alembic's autogenerate makes its version table in the same database
exclude_tables = alembic_version
EOF
	cp "$root/templates/generic/migrations/script.yaml.tmpl" "$1/migrations/"
}

# An Alembic project on URL $2 in folder $1: Debian's generic template, with
# target_metadata from the generated module and types and server defaults
# compared, as migrate does.
alembic_project() {
	mkdir -p "$1/versions"
	cat >"$1/alembic.ini" <<EOF
[alembic]
script_location = %(here)s
prepend_sys_path = $gen
sqlalchemy.url = $(sa_url "$2")

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic

[formatter_generic]
format = %(levelname)s %(message)s
EOF
	cp /usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako "$1/"
	cat >"$1/env.py" <<'EOF'
from sqlalchemy import engine_from_config, pool

from alembic import context

from bench_models import metadata

config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section),
                                 prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata,
                      compare_type=True, compare_server_default=True)
    with context.begin_transaction():
        context.run_migrations()
EOF
}

# The op lines of the revision Alembic wrote in folder $1 (op.… calls).
alembic_ops() {
	grep -c '^ *op\.' "$1"/versions/*.py || true
}

results=()
for n in $sizes; do
	echo "bench/autogen: $n tables" >&2
	gen=$tmp/gen$n
	$python "$here/gen.py" --tables "$n" "$gen"
	fresh_db "$sync_db"
	fresh_db "$empty_db"
	psql -X -q -v ON_ERROR_STOP=1 -d "$sync_url" -f "$gen/schema.sql" >/dev/null
	psql -X -q -d "$sync_url" -c "VACUUM ANALYZE" >/dev/null

	ms=$tmp/m-sync$n me=$tmp/m-empty$n as=$tmp/a-sync$n ae=$tmp/a-empty$n
	migrate_project "$ms" "$sync_url"
	migrate_project "$me" "$empty_url"
	alembic_project "$as" "$sync_url"
	alembic_project "$ae" "$empty_url"

	# what each finds
	(cd "$ms" && "$migrate" check >/dev/null) ||
		die "migrate check does not find the loaded database in sync"
	(cd "$as" && $alembic revision --autogenerate -m check >/dev/null 2>&1)
	[[ $(alembic_ops "$as") == 0 ]] ||
		die "alembic finds differences in the loaded database (see $as/versions)"
	rm -f "$as"/versions/*.py
	(cd "$me" && "$migrate" -q revision --autogenerate -m init)
	m_tables=$(grep -c '^  - create_table:' "$me"/migrations/versions/*.yaml)
	rm -f "$me"/migrations/versions/*.yaml
	(cd "$ae" && $alembic revision --autogenerate -m init >/dev/null 2>&1)
	a_tables=$(grep -c '^ *op\.create_table(' "$ae"/versions/*.py)
	rm -f "$ae"/versions/*.py
	[[ $m_tables == "$n" && $a_tables == "$n" ]] ||
		die "from empty: migrate wrote $m_tables create_table ops, alembic $a_tables (want $n)"

	echo "bench/autogen: timing $n tables" >&2
	hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/m-check$n.json" \
		-n "migrate check ($n)" "cd '$ms' && '$migrate' check >/dev/null" >&2
	hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/m-diff$n.json" \
		-n "migrate diff ($n)" "cd '$ms' && '$migrate' diff >/dev/null" >&2
	hyperfine --warmup 1 --runs "$al_runs" --export-json "$tmp/a-check$n.json" \
		--prepare "rm -f '$as'/versions/*.py" \
		-n "alembic revision --autogenerate, in sync ($n)" \
		"cd '$as' && $alembic revision --autogenerate -m check >/dev/null 2>&1" >&2
	hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/m-auto$n.json" \
		--prepare "rm -f '$me'/migrations/versions/*.yaml" \
		-n "migrate revision --autogenerate ($n)" \
		"cd '$me' && '$migrate' -q revision --autogenerate -m init" >&2
	hyperfine --warmup 1 --runs "$al_runs" --export-json "$tmp/a-auto$n.json" \
		--prepare "rm -f '$ae'/versions/*.py" \
		-n "alembic revision --autogenerate, empty ($n)" \
		"cd '$ae' && $alembic revision --autogenerate -m init >/dev/null 2>&1" >&2
	results+=("$n")
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
server=$(psql -X -At -d "$url" -c "SHOW server_version")
al_version=$($python -c 'import alembic; print(alembic.__version__)')
sa_version=$($python -c 'import sqlalchemy; print(sqlalchemy.__version__)')
mig_version=$("$migrate" --version)
$python - "$tmp" "${results[@]}" <<PY
import json, sys
tmp, sizes = sys.argv[1], sys.argv[2:]

def load(name):
    return json.load(open("%s/%s.json" % (tmp, name)))["results"][0]

def cell(r):
    return "%.3f s ± %.3f (min %.3f)" % (r["mean"], r["stddev"] or 0, r["min"])

print("## Autogenerate and check")
print()
print("\`bench/autogen/run.sh\` (generator: \`bench/autogen/gen.py\`): one schema written as")
print("migrate model files and as SQLAlchemy tables, 5 to 10 columns per table (integer,")
print("bigint, numeric, varchar, text, boolean, date, timestamptz), server defaults, NOT NULL")
print("columns, foreign keys to earlier tables with an index each, some unique constraints")
print("and indexes.")
print()
print("- machine: $(nproc) CPUs, ${cpu:-unknown CPU}; PostgreSQL $server on the same machine")
print("- date: $(date -u +%Y-%m-%d); $mig_version; Alembic $al_version with SQLAlchemy")
print("  $sa_version (Debian, /usr/bin/python3, /usr/bin/alembic), env.py with")
print("  compare_type=True and compare_server_default=True (migrate compares both by default)")
print("- hyperfine, 1 warm-up run, $runs runs of migrate and $al_runs of Alembic per cell")
print("- in sync: the schema loaded with psql; both tools find nothing to do. Alembic 1.8")
print("  has no \`check\` command: the nearest is \`alembic revision --autogenerate\`, which")
print("  compares and writes an empty revision (deleted before each run)")
print("- from empty: both write a revision that creates every table")
print()
print("| tables | | migrate | Alembic 1.8 | Alembic / migrate |")
print("|---:|---|---:|---:|---:|")
for n in sizes:
    for what, m, a in (("in sync: \`migrate check\` / \`alembic revision --autogenerate\`",
                        "m-check", "a-check"),
                       ("in sync: \`migrate diff\` / \`alembic revision --autogenerate\`",
                        "m-diff", "a-check"),
                       ("from empty: \`revision --autogenerate\`", "m-auto", "a-auto")):
        rm, ra = load(m + n), load(a + n)
        print("| %s | %s | %s | %s | %.1f× |" % (format(int(n), ","), what, cell(rm), cell(ra),
                                               ra["mean"] / rm["mean"]))
print()
print("Target: at least 20× faster than Alembic at 1,000 tables.")
PY
