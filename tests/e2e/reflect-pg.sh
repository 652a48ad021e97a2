#!/bin/bash
# migrate reflect on PostgreSQL, on the shared real-world schemas: each file
# loaded with psql into a fresh database, reflected into a folder and to
# stdout. The folder holds one file per table that psql lists (partitions are
# not tables), the folder and the stream hold the same model text, and every
# view, materialized view, routine, trigger, domain and partition that psql's
# own catalog queries list is named in a warning: nothing is dropped silently.
. "$MIGRATE_E2E_LIB"
[[ -n ${MIGRATE_TEST_PG_URL:-} ]] ||
	e2e_fail "MIGRATE_TEST_PG_URL is not set: run the tests with scripts/test"
command -v psql >/dev/null 2>&1 || e2e_fail "'psql' not found: run scripts/test once to install it"

schemas=$MIGRATE_SOURCE_ROOT/../shared/schemas/postgresql
files=("$schemas"/*.sql)
((${#files[@]} >= 4)) || e2e_fail "no schema files in $schemas"

# expect_warnings DB KIND SQL: a warning "KIND 'schema.name' is not represented
# in the model (ignored by migrate)" for each name the query lists.
expect_warnings() {
	local db=$1 kind=$2 sql=$3 name
	while IFS= read -r name; do
		[[ -n $name ]] || continue
		assert_contains "$ERR" "warning: $kind '$name' is not represented in the model (ignored by migrate)" \
			"no warning for $kind '$name'"
	done < <(pg_sql "$db" "$sql")
}

for file in "${files[@]}"; do
	name=$(basename "$file" .sql)
	db=migrate_e2e_reflect_${name//-/_}
	url=$(pg_fresh_db "$db")
	psql -X -q -v ON_ERROR_STOP=1 -d "$url" -f "$file" >/dev/null

	run migrate --url "$url" reflect --output "$T/$name"
	assert_rc 0

	# one model file per table of public, as the catalog lists them
	tables=$(pg_sql "$db" "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace
		AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname COLLATE \"C\"")
	written=$(cd "$T/$name" && ls -- *.yaml | grep -v '^_schema\.yaml$' | sed 's/\.yaml$//' |
		LC_ALL=C sort)
	assert_eq "$tables" "$written" "$name: the model files are not the tables"
	enums=$(pg_sql "$db" "SELECT count(*) FROM pg_type WHERE typtype = 'e'
		AND typnamespace = 'public'::regnamespace")
	if ((enums > 0)); then
		assert_file_exists "$T/$name/_schema.yaml"
	else
		assert_no_file "$T/$name/_schema.yaml"
	fi
	folder_err=$ERR

	# the stream is the folder's files put together: _schema.yaml, then each
	# table's entry under one "tables:"
	run migrate --url "$url" reflect --output -
	assert_rc 0
	assert_eq "$folder_err" "$ERR" "$name: the warnings differ between folder and stream"
	{
		[[ ! -f $T/$name/_schema.yaml ]] || cat "$T/$name/_schema.yaml"
		echo "tables:"
		while IFS= read -r table; do
			tail -n +2 "$T/$name/$table.yaml"
		done <<<"$written"
	} >"$T/$name.joined"
	assert_eq "$(cat "$T/$name.joined")" "$OUT" "$name: the stream is not the folder"
	# the same database reflects to the same bytes
	first=$OUT
	run migrate --url "$url" reflect --output -
	assert_eq "$first" "$OUT" "$name: two reflections differ"

	# nothing dropped silently, per psql's own lists
	expect_warnings "$db" view "SELECT 'public.' || relname FROM pg_class
		WHERE relnamespace = 'public'::regnamespace AND relkind = 'v'"
	expect_warnings "$db" "materialized view" "SELECT 'public.' || relname FROM pg_class
		WHERE relnamespace = 'public'::regnamespace AND relkind = 'm'"
	expect_warnings "$db" function "SELECT DISTINCT 'public.' || proname FROM pg_proc
		WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'w')"
	expect_warnings "$db" aggregate "SELECT DISTINCT 'public.' || proname FROM pg_proc
		WHERE pronamespace = 'public'::regnamespace AND prokind = 'a'"
	expect_warnings "$db" domain "SELECT 'public.' || typname FROM pg_type
		WHERE typnamespace = 'public'::regnamespace AND typtype = 'd'"
	while IFS=$'\t' read -r trigger table; do
		[[ -n $trigger ]] || continue
		assert_contains "$ERR" "warning: trigger '$trigger' on table 'public.$table' is not represented" \
			"no warning for trigger '$trigger' on '$table'"
	done < <(pg_sql "$db" "SELECT t.tgname, c.relname FROM pg_trigger t
		JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND t.tgparentid = 0
		AND c.relnamespace = 'public'::regnamespace")
	while IFS=$'\t' read -r part parent; do
		[[ -n $part ]] || continue
		assert_contains "$ERR" "warning: partition 'public.$part' of table 'public.$parent' is not represented" \
			"no warning for partition '$part'"
	done < <(pg_sql "$db" "SELECT c.relname, p.relname FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
		WHERE c.relispartition AND c.relkind IN ('r', 'p')")
	while IFS=$'\t' read -r child parent; do
		[[ -n $child ]] || continue
		assert_contains "$ERR" "warning: table 'public.$child' inherits from 'public.$parent'" \
			"no warning for the inheritance of '$child'"
	done < <(pg_sql "$db" "SELECT c.relname, p.relname FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
		WHERE NOT c.relispartition AND c.relkind IN ('r', 'p')")
	# and stderr holds warnings only
	assert_eq "" "$(grep -v '^warning: ' <<<"$ERR" || true)" "$name: stderr has more than warnings"

	pg_sql postgres "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null
done
pass
