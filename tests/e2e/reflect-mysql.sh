#!/bin/bash
# migrate reflect on MariaDB, on the shared sakila and employees schemas: each
# file loaded with the mariadb client into a fresh database, reflected into a
# folder and to stdout. The folder holds one file per table that the server
# lists (views are not tables), stderr names every view, trigger and routine
# in a warning (exactly those, checked against the server's own lists), and a
# foreign key's own index is not written as a declared index.
. "$MIGRATE_E2E_LIB"
require_servers

schemas=$MIGRATE_SOURCE_ROOT/../shared/schemas/mysql
IGNORED="is not represented in the model (ignored by migrate)"

# load NAME FILE: a fresh database NAME holding FILE; prints its URL.
load() {
	local url
	url=$(my_fresh_db "$1")
	e2e_mariadb "$url" "$1" <"$2" >/dev/null
	echo "$url"
}

# server_warnings DB: the warnings the server's catalog calls for, in the
# order reflect writes them (views, triggers, functions, procedures; by name).
server_warnings() {
	my_sql "$1" "SELECT CONCAT('warning: view ''', TABLE_NAME, ''' $IGNORED')
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
		AND TABLE_TYPE = 'VIEW' ORDER BY BINARY TABLE_NAME"
	my_sql "$1" "SELECT CONCAT('warning: trigger ''', TRIGGER_NAME, ''' on table ''',
		EVENT_OBJECT_TABLE, ''' $IGNORED') FROM information_schema.TRIGGERS
		WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY BINARY TRIGGER_NAME"
	my_sql "$1" "SELECT CONCAT('warning: ', LOWER(ROUTINE_TYPE), ' ''', ROUTINE_NAME,
		''' $IGNORED') FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
		ORDER BY ROUTINE_TYPE, BINARY ROUTINE_NAME"
}

# server_tables DB: the base tables, one a line, in byte order.
server_tables() {
	my_sql "$1" "SELECT TABLE_NAME FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'" | LC_ALL=C sort
}

# written DIR: the table files in DIR, one name a line, in byte order.
written() {
	(cd "$1" && ls -- *.yaml | grep -v '^_schema\.yaml$' | sed 's/\.yaml$//' | LC_ALL=C sort)
}

# ---- sakila ----
db=migrate_e2e_reflect_my_sakila
url=$(load "$db" "$schemas/sakila-jooq.sql")
run migrate --url "$url" reflect --output "$T/sakila"
assert_rc 0
assert_out_eq "wrote 16 tables to $T/sakila"
assert_err_eq "warning: view 'actor_info' $IGNORED
warning: view 'customer_list' $IGNORED
warning: view 'film_list' $IGNORED
warning: view 'nicer_but_slower_film_list' $IGNORED
warning: view 'sales_by_film_category' $IGNORED
warning: view 'sales_by_store' $IGNORED
warning: view 'staff_list' $IGNORED
warning: trigger 'del_film' on table 'film' $IGNORED
warning: trigger 'ins_film' on table 'film' $IGNORED
warning: trigger 'upd_film' on table 'film' $IGNORED
warning: function 'get_customer_balance' $IGNORED
warning: function 'inventory_held_by_customer' $IGNORED
warning: function 'inventory_in_stock' $IGNORED
warning: procedure 'film_in_stock' $IGNORED
warning: procedure 'film_not_in_stock' $IGNORED
warning: procedure 'rewards_report' $IGNORED"
assert_eq "$(server_warnings "$db")" "$ERR" "sakila: the warnings are not the server's list"
assert_eq "_schema.yaml actor.yaml address.yaml category.yaml city.yaml country.yaml \
customer.yaml film.yaml film_actor.yaml film_category.yaml film_text.yaml inventory.yaml \
language.yaml payment.yaml rental.yaml staff.yaml store.yaml" \
	"$(cd "$T/sakila" && LC_ALL=C ls | tr '\n' ' ' | sed 's/ $//')" "sakila: the files written"
assert_eq "$(server_tables "$db")" "$(written "$T/sakila")" \
	"sakila: the model files are not the tables"
assert_file_eq "$T/sakila/_schema.yaml" "enums:
  film_rating: [G, PG, PG-13, R, NC-17]"
assert_file_eq "$T/sakila/film_actor.yaml" "tables:
  film_actor:
    columns:
      actor_id: {type: int unsigned, nullable: false}
      film_id: {type: int unsigned, nullable: false}
      last_update: {type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP, \
server_onupdate: CURRENT_TIMESTAMP}
    primary_key: [actor_id, film_id]
    indexes:
      - {name: idx_fk_film_id, columns: [film_id]}
    foreign_keys:
      - {name: fk_film_actor_actor, columns: [actor_id], references: {table: actor, \
columns: [actor_id]}, on_update: cascade}
      - {name: fk_film_actor_film, columns: [film_id], references: {table: film, \
columns: [film_id]}, on_update: cascade}"

# the stream is the folder's files put together, and says the same on stderr
folder_err=$ERR
run migrate --url "$url" reflect
assert_rc 0
assert_eq "$folder_err" "$ERR" "sakila: the warnings differ between folder and stream"
joined=$(
	cat "$T/sakila/_schema.yaml"
	echo "tables:"
	while IFS= read -r table; do
		tail -n +2 "$T/sakila/$table.yaml"
	done < <(written "$T/sakila")
)
assert_eq "$joined" "$OUT" "sakila: the stream is not the folder"
# -q leaves the warnings out, not the model
run migrate -q --url "$url" reflect
assert_rc 0
assert_eq "" "$ERR" "sakila: -q still warns"
assert_eq "$joined" "$OUT" "sakila: -q changes the model"
my_sql "$db" "DROP DATABASE \`$db\`"

# ---- employees ----
db=migrate_e2e_reflect_my_employees
url=$(load "$db" "$schemas/employees.sql")
run migrate --url "$url" reflect --output "$T/employees"
assert_rc 0
assert_out_eq "wrote 6 tables to $T/employees"
assert_err_eq "warning: view 'current_dept_emp' $IGNORED
warning: view 'dept_emp_latest_date' $IGNORED"
assert_eq "$(server_warnings "$db")" "$ERR" "employees: the warnings are not the server's list"
assert_eq "_schema.yaml departments.yaml dept_emp.yaml dept_manager.yaml employees.yaml \
salaries.yaml titles.yaml" \
	"$(cd "$T/employees" && LC_ALL=C ls | tr '\n' ' ' | sed 's/ $//')" \
	"employees: the files written"
assert_eq "$(server_tables "$db")" "$(written "$T/employees")" \
	"employees: the model files are not the tables"
assert_file_eq "$T/employees/_schema.yaml" "enums:
  employees_gender: [M, F]"
# the server made the index dept_no for the unnamed foreign key on dept_no:
# it is the foreign key's, not a declared index
assert_eq "dept_no" "$(my_sql "$db" "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS
	WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dept_manager'
	AND INDEX_NAME <> 'PRIMARY'")" "employees: the server's index behind the foreign key"
assert_file_eq "$T/employees/dept_manager.yaml" "tables:
  dept_manager:
    columns:
      emp_no: {type: integer, nullable: false}
      dept_no: {type: char(4), nullable: false}
      from_date: {type: date, nullable: false}
      to_date: {type: date, nullable: false}
    primary_key: [emp_no, dept_no]
    foreign_keys:
      - {name: dept_manager_ibfk_1, columns: [emp_no], references: {table: employees, \
columns: [emp_no]}, on_delete: cascade}
      - {name: dept_manager_ibfk_2, columns: [dept_no], references: {table: departments, \
columns: [dept_no]}, on_delete: cascade}"
assert_file_eq "$T/employees/employees.yaml" "tables:
  employees:
    columns:
      emp_no: {type: integer, primary_key: true, autoincrement: false}
      birth_date: {type: date, nullable: false}
      first_name: {type: varchar(14), nullable: false}
      last_name: {type: varchar(16), nullable: false}
      gender: {type: employees_gender, nullable: false}
      hire_date: {type: date, nullable: false}"

# an output folder that is not empty is refused, and nothing is written
run migrate --url "$url" reflect --output "$T/employees"
assert_rc 2
assert_err_contains "error: output folder '$T/employees' is not empty"
my_sql "$db" "DROP DATABASE \`$db\`"
pass
