#!/bin/bash
# Connecting to each database (or saying exactly why not, without the
# password), and `migrate current` reading the version table without ever
# creating it, on SQLite, PostgreSQL and MariaDB.
. "$MIGRATE_E2E_LIB"
require_servers

# ---- connection failures: exit 3, the target named, the password never ----
run migrate --url 'postgresql://u:secret@127.0.0.1:1/db' current
assert_rc 3
assert_err_contains "error: cannot connect to postgresql at 127.0.0.1:1/db: "
assert_not_contains "$ERR" "secret"
assert_eq "" "$OUT" "nothing on stdout"

run migrate --url 'mysql://u:secret@127.0.0.1:1/db' current
assert_rc 3
assert_err_contains "error: cannot connect to mysql at 127.0.0.1:1/db: "
assert_not_contains "$ERR" "secret"

# ---- an unknown dialect is a usage error (the URL parser knows the schemes) ----
run migrate --url 'oracle://x/y' current
assert_rc 2
assert_err_eq "error: invalid database URL 'oracle://x/y': unknown scheme 'oracle' (expected \
postgresql, postgres, mysql, mariadb or sqlite, optionally with +driver)"

# ---- the command line ----
run migrate current --help
assert_rc 0
assert_out_contains "usage: migrate current [-v|--verbose]"
run migrate --url "sqlite:///$T/x.db" current extra
assert_rc 2
assert_err_contains "error: unexpected argument 'extra'"

# ---- SQLite ----
run migrate --url "sqlite:///$T/fresh.db" current
assert_rc 0
assert_out_eq ""
assert_eq "" "$ERR" "nothing on stderr"
assert_eq "" "$(sqlite_sql "$T/fresh.db" .tables)" "current creates no table"

sqlite_sql "$T/v.db" "CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL,
	PRIMARY KEY (version_num)); INSERT INTO migrate_version VALUES ('3f2a9c1b7d4e')"
run migrate --url "sqlite:///$T/v.db" current
assert_rc 0
assert_out_eq "3f2a9c1b7d4e"

# two heads (a branched history) print one line each
sqlite_sql "$T/v.db" "INSERT INTO migrate_version VALUES ('1a2b3c4d5e6f')"
run migrate --url "sqlite:///$T/v.db" current
assert_rc 0
assert_out_eq $'1a2b3c4d5e6f\n3f2a9c1b7d4e'

run migrate --url "sqlite:///$T/v.db" current --verbose
assert_rc 0
assert_out_eq "Current revision(s) for sqlite:///$T/v.db:"$'\n1a2b3c4d5e6f\n3f2a9c1b7d4e'

# --url beats $MIGRATE_URL, which is used without it
MIGRATE_URL='postgresql://u:secret@127.0.0.1:1/db' run migrate --url "sqlite:///$T/v.db" current
assert_rc 0
assert_out_eq $'1a2b3c4d5e6f\n3f2a9c1b7d4e'
MIGRATE_URL="sqlite:///$T/v.db" run migrate current
assert_rc 0
assert_out_eq $'1a2b3c4d5e6f\n3f2a9c1b7d4e'
MIGRATE_URL='postgresql://u:secret@127.0.0.1:1/db' run migrate current
assert_rc 3
assert_not_contains "$ERR" "secret"

# another version table, named in migrate.ini
sqlite_sql "$T/v.db" "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);
	INSERT INTO alembic_version VALUES ('abcdef012345')"
printf '[migrate]\nurl = sqlite:///%s/v.db\nversion_table = alembic_version\n' "$T" >"$T/migrate.ini"
run migrate current
assert_rc 0
assert_out_eq "abcdef012345"
rm "$T/migrate.ini"

# ---- PostgreSQL ----
url=$(pg_fresh_db e2e_connect)
run migrate --url "$url" current
assert_rc 0
assert_out_eq ""
assert_eq "0" "$(pg_sql e2e_connect "SELECT count(*) FROM pg_class WHERE relname = 'migrate_version'")" \
	"current creates no table"

pg_sql e2e_connect "CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL,
	PRIMARY KEY (version_num)); INSERT INTO migrate_version VALUES ('3f2a9c1b7d4e')"
run migrate --url "$url" current
assert_rc 0
assert_out_eq "3f2a9c1b7d4e"

# --verbose names the database with the password masked (the test server takes
# any password, or needs the one its URL has)
e2e_parse_url "$url"
pw=${E2E_URL_PASSWORD:-not-the-password}
hostport=${E2E_URL_HOST}${E2E_URL_PORT:+:$E2E_URL_PORT}
run migrate --url "postgresql://${E2E_URL_USER}:${pw}@${hostport}/e2e_connect" current -v
assert_rc 0
assert_out_eq "Current revision(s) for postgresql://${E2E_URL_USER}:***@${hostport}/e2e_connect:
3f2a9c1b7d4e"
assert_not_contains "$OUT$ERR" "$pw"

# version_table_schema: the table in another schema, the same name elsewhere ignored
pg_sql e2e_connect "CREATE SCHEMA meta; CREATE TABLE meta.migrate_version (version_num VARCHAR(32)
	NOT NULL); INSERT INTO meta.migrate_version VALUES ('0123456789ab')"
printf '[migrate]\nversion_table_schema = meta\n' >"$T/schema.ini"
run migrate -c "$T/schema.ini" --url "$url" current
assert_rc 0
assert_out_eq "0123456789ab"
pg_sql e2e_connect "DROP TABLE public.migrate_version"
run migrate --url "$url" current
assert_rc 0
assert_out_eq ""

# ---- MariaDB ----
url=$(my_fresh_db e2e_connect)
run migrate --url "$url" current
assert_rc 0
assert_out_eq ""
assert_eq "0" "$(my_sql e2e_connect "SELECT count(*) FROM information_schema.tables
	WHERE table_schema = 'e2e_connect'")" "current creates no table"

my_sql e2e_connect "CREATE TABLE migrate_version (version_num VARCHAR(32) NOT NULL,
	PRIMARY KEY (version_num)); INSERT INTO migrate_version VALUES ('3f2a9c1b7d4e')"
run migrate --url "$url" current
assert_rc 0
assert_out_eq "3f2a9c1b7d4e"

# a table whose name differs only in case is another table (unless the server
# folds table names to lower case)
if [[ $(my_sql e2e_connect "SELECT @@lower_case_table_names") == 0 ]]; then
	my_sql e2e_connect "RENAME TABLE migrate_version TO Migrate_Version"
	run migrate --url "$url" current
	assert_rc 0
	assert_out_eq ""
fi

# ---- clean up ----
pg_sql postgres "DROP DATABASE e2e_connect WITH (FORCE)"
my_sql e2e_connect "DROP DATABASE e2e_connect"

pass
