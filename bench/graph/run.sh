#!/bin/bash
# The revision graph benchmark: `migrate heads` over 10,000 revision files (a
# linear chain, and a graph with 200 branch points and 200 merges), and
# Debian's `alembic heads` (python3-alembic, run by /usr/bin/python3) over the
# same graphs as Alembic revision scripts, timed side by side with hyperfine.
#
#   bench/graph/run.sh [BUILD_DIR]     (default: build; the binary is BUILD_DIR/migrate)
#
# Environment: COUNT (10000), RUNS (20 for migrate), ALEMBIC_RUNS (5),
# WORK (a temporary folder, removed at the end), RESULTS (where hyperfine's
# markdown tables go; default WORK).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
migrate=$(cd "$build" && pwd)/migrate
count=${COUNT:-10000}
runs=${RUNS:-20}
alembic_runs=${ALEMBIC_RUNS:-5}

[[ -x $migrate ]] || { echo "no migrate binary at $migrate: build first (meson setup build && ninja -C build)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
have_alembic=1
if ! /usr/bin/python3 -c 'import alembic' 2>/dev/null || [[ ! -x /usr/bin/alembic ]]; then
	echo "python3-alembic is not installed (apt-get install alembic): timing migrate only" >&2
	have_alembic=0
fi

work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/migrate-bench-graph.XXXXXX")}
results=${RESULTS:-$work}
mkdir -p "$results"
[[ -n ${WORK:-} ]] || trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "migrate: $("$migrate" --version)"
((have_alembic)) && echo "alembic: $(/usr/bin/python3 -c 'import alembic; print(alembic.__version__)')"
echo

for shape in linear branchy; do
	/usr/bin/python3 "$here/gen.py" --shape "$shape" --count "$count" "$work/$shape"
	# both must agree on the heads before anything is timed
	mh=$(cd "$work/$shape/migrate" && "$migrate" heads)
	if ((have_alembic)); then
		ah=$(cd "$work/$shape/alembic" && /usr/bin/alembic heads)
		if [[ $mh != "$ah" ]]; then
			echo "heads differ: migrate '$mh', alembic '$ah'" >&2
			exit 1
		fi
	fi
	echo "$shape heads: $mh"
	hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$results/$shape-migrate.md" \
		--command-name "migrate heads ($shape)" "$migrate -c $work/$shape/migrate/migrate.ini heads"
	if ((have_alembic)); then
		# side by side, for the ratio; alembic's warm-up run writes __pycache__,
		# as a user's second run would find it
		hyperfine -N --warmup 1 --runs "$alembic_runs" \
			--export-markdown "$results/$shape-both.md" \
			--command-name "migrate heads ($shape)" \
			"$migrate -c $work/$shape/migrate/migrate.ini heads" \
			--command-name "alembic heads ($shape)" \
			"/usr/bin/python3 /usr/bin/alembic -c $work/$shape/alembic/alembic.ini heads"
	fi
done
