#!/bin/bash
# migrate reflect on SQLite: real schemas (northwind, sakila) written as a
# folder of model files and as one stream, every view and trigger named in a
# warning, exclude_tables and the version table left out, and the refusals
# (a bad database, a folder that is not empty, an unknown format).

SRC=${MIGRATE_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$MIGRATE_E2E_LIB"
unset MIGRATE_CONFIG MIGRATE_URL

SCHEMAS=$SRC/../shared/schemas/sqlite
[[ -d $SCHEMAS ]] || e2e_fail "no folder '$SCHEMAS'"

# The warnings reflect must print for database $1: one per view and trigger,
# in name order, read with sqlite3 itself.
expected_warnings() {
	sqlite_sql "$1" "SELECT type, name, tbl_name FROM sqlite_master
		WHERE type IN ('view', 'trigger') ORDER BY name" |
		while IFS=$'\t' read -r type name table; do
			if [[ $type == view ]]; then
				echo "warning: view '$name' is not represented in the model (ignored by migrate)"
			else
				echo "warning: trigger '$name' on table '$table' is not represented in the model (ignored by migrate)"
			fi
		done
}

# The file each table of database $1 is written to, sorted, as ls prints them.
expected_files() {
	sqlite_sql "$1" "SELECT replace(name, ' ', '_') || '.yaml' FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'" | LC_ALL=C sort
}

for name in northwind sakila; do
	db=$T/$name.db
	sqlite3 -batch -bail "$db" <"$SCHEMAS/$name.sql"
	ntables=$(sqlite_sql "$db" "SELECT count(*) FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'")

	run migrate --url "sqlite:///$db" reflect --output "models-$name"
	assert_rc 0
	assert_out_eq "wrote $ntables tables to models-$name"
	assert_err_eq "$(expected_warnings "$db")"
	assert_eq "$(expected_files "$db")" "$(cd "models-$name" && LC_ALL=C ls)" \
		"files written for $name"

	# the stream is the same tables, in the same order, as the files
	run migrate --url "sqlite:///$db" reflect -
	assert_rc 0
	assert_err_eq "$(expected_warnings "$db")"
	stream=$(
		echo "tables:"
		for f in $(expected_files "$db"); do
			tail -n +2 "models-$name/$f"
		done
	)
	assert_eq "$stream" "$OUT" "the stream of $name and its files"
done

# one file, exactly
assert_file_eq models-northwind/Order_Details.yaml "tables:
  Order Details:
    columns:
      OrderID: {type: integer, nullable: false}
      ProductID: {type: integer, nullable: false}
      UnitPrice: {type: numeric, nullable: false, default: 0}
      Quantity: {type: integer, nullable: false, default: 1}
      Discount: {type: real, nullable: false, default: 0}
    primary_key: [OrderID, ProductID]
    checks:
      - {sql: \"[Discount]>=(0) AND [Discount]<=(1)\"}
      - {sql: \"[Quantity]>(0)\"}
      - {sql: \"[UnitPrice]>=(0)\"}
    foreign_keys:
      - {columns: [OrderID], references: {table: Orders, columns: [OrderID]}}
      - {columns: [ProductID], references: {table: Products, columns: [ProductID]}}"
assert_file_eq models-sakila/film_actor.yaml "tables:
  film_actor:
    columns:
      actor_id: {type: integer, nullable: false}
      film_id: {type: integer, nullable: false}
      last_update: {type: timestamp, nullable: false}
    primary_key: [actor_id, film_id]
    indexes:
      - {name: idx_fk_film_actor_actor, columns: [actor_id]}
      - {name: idx_fk_film_actor_film, columns: [film_id]}
    foreign_keys:
      - {name: fk_film_actor_actor, columns: [actor_id], references: {table: actor, columns: [actor_id]}, on_update: cascade}
      - {name: fk_film_actor_film, columns: [film_id], references: {table: film, columns: [film_id]}, on_update: cascade}"

# the default output is the stream; -q keeps the warnings off stderr
run migrate -q --url "sqlite:///$T/sakila.db" reflect
assert_rc 0
assert_err_eq ""
assert_out_contains "tables:
  actor:
    columns:
      actor_id: {type: integer, primary_key: true}"

# the configuration: url, exclude_tables and the version table
sqlite_sql "$T/northwind.db" "CREATE TABLE app_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
cat >migrate.ini <<EOF
[migrate]
url = sqlite:///%(here)s/northwind.db
version_table = app_version
exclude_tables = Customer*, Employee*, Order Details
EOF
run migrate reflect -o models-config
assert_rc 0
assert_out_eq "wrote 7 tables to models-config"
assert_eq "Categories.yaml
Orders.yaml
Products.yaml
Regions.yaml
Shippers.yaml
Suppliers.yaml
Territories.yaml" "$(cd models-config && LC_ALL=C ls)" "files written with exclude_tables"
rm migrate.ini

# refusals: a database that cannot be opened, a folder that is not empty, an
# unknown format, an extra argument
run migrate --url "sqlite:///$T/no/such/folder/x.db" reflect -o out
assert_rc 3
assert_err_contains "unable to open database file"
assert_no_file out

mkdir full
touch full/keep.yaml
run migrate --url "sqlite:///$T/sakila.db" reflect --output full
assert_rc 2
assert_out_eq ""
assert_err_eq "error: output folder 'full' is not empty (reflect writes only into a new or empty \
folder, so that no old model file is left beside the new ones)"
assert_eq "keep.yaml" "$(ls full)" "the folder that was not empty is unchanged"

touch afile
run migrate --url "sqlite:///$T/sakila.db" reflect --output afile
assert_rc 2
assert_err_eq "error: output 'afile' is not a folder"

run migrate --url "sqlite:///$T/sakila.db" reflect --format json
assert_rc 2
assert_err_eq "error: unknown format 'json' (reflect writes yaml)
usage: migrate reflect [[-o|--output] DIR|-] [--format yaml]"

run migrate --url "sqlite:///$T/sakila.db" reflect -o out extra
assert_rc 2
assert_err_eq "error: unexpected argument 'extra'
usage: migrate reflect [[-o|--output] DIR|-] [--format yaml]"

# an empty folder is fine
mkdir empty
run migrate --url "sqlite:///$T/sakila.db" reflect --output empty
assert_rc 0
assert_file_exists empty/actor.yaml

run migrate reflect --help
assert_rc 0
assert_out_contains "usage: migrate reflect [[-o|--output] DIR|-] [--format yaml]"

pass
