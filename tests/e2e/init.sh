#!/bin/bash
# migrate init and list-templates: the exact project a template creates, the
# folders init refuses (leaving everything as it was), where templates are
# found, and a generated migrate.ini that the other commands accept.

SRC=${MIGRATE_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$MIGRATE_E2E_LIB"
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL

mkdir w
cd w

# The state of the working folder, to show that a refused init wrote nothing.
tree() {
	find . | LC_ALL=C sort
}

please="Please edit the database URL in 'proj/migrate.ini' before running migrations against \
a server (the default is a SQLite file beside it)."

# ---- a new folder ----
run migrate init proj
assert_rc 0
assert_out_eq "Creating directory 'proj' ... done
Creating directory 'proj/migrations' ... done
Creating directory 'proj/migrations/versions' ... done
Creating directory 'proj/models' ... done
Generating 'proj/migrate.ini' ... done
Generating 'proj/migrations/script.yaml.tmpl' ... done
Generating 'proj/migrations/versions/README' ... done
Generating 'proj/models/articles.yaml' ... done
Generating 'proj/models/organisations.yaml' ... done
Generating 'proj/models/users.yaml' ... done
$please"
assert_err_eq ""
assert_eq ".
./proj
./proj/migrate.ini
./proj/migrations
./proj/migrations/script.yaml.tmpl
./proj/migrations/versions
./proj/migrations/versions/README
./proj/models
./proj/models/articles.yaml
./proj/models/organisations.yaml
./proj/models/users.yaml" "$(tree)" "files created by init"
# the template's files byte for byte; its README (the description) stays behind
run diff -r "$SRC/templates/generic" proj
assert_rc 1
assert_out_eq "Only in $SRC/templates/generic: README"
assert_file_eq proj/migrations/script.yaml.tmpl 'revision: ${revision}
down_revision: ${down_revision}
branch_labels: ${branch_labels}
depends_on: ${depends_on}
message: ${message}
create_date: ${create_date}
upgrade: ${upgrades}
downgrade: ${downgrades}'
# the keys a new project sets; every other key is left commented at its default
assert_eq "url = sqlite:///%(here)s/app.db
script_location = %(here)s/migrations
models = %(here)s/models" "$(grep -v '^#' proj/migrate.ini | grep '=')" "keys set in migrate.ini"
assert_eq "[migrate]" "$(grep '^\[' proj/migrate.ini)" "sections of migrate.ini"
for key in url script_location models version_table version_table_schema file_template \
	truncate_slug_length timezone transaction_per_migration compare_type \
	compare_server_default include_schemas exclude_tables lock_timeout; do
	assert_contains "$(cat proj/migrate.ini)" "$key =" "key '$key' in migrate.ini"
done
assert_contains "$(cat proj/migrate.ini)" "# file_template = %%(rev)s_%%(slug)s"

# ---- refused: a folder that is not empty; nothing is written ----
mkdir full
echo keep >full/notes.txt
before=$(tree)
run migrate init full
assert_rc 2
assert_out_eq ""
assert_err_eq "error: directory 'full' exists and is not empty"
assert_eq "$before" "$(tree)" "nothing written"

# hidden files count: a fresh git checkout is not empty
mkdir -p repo/.git
run migrate init repo
assert_rc 2
assert_err_eq "error: directory 'repo' exists and is not empty"

# a file
before=$(tree)
run migrate init full/notes.txt
assert_rc 2
assert_err_eq "error: 'full/notes.txt' exists and is not a directory"
assert_eq "$before" "$(tree)" "nothing written"

# ---- unknown template: the available ones are listed, nothing is written ----
before=$(tree)
run migrate init newproj -t nope
assert_rc 2
assert_out_eq ""
assert_err_eq "error: unknown template 'nope' (available: ci, generic); see 'migrate list-templates'"
assert_no_file newproj
run migrate init newproj -t ../templates/generic
assert_rc 2
assert_err_eq "error: unknown template '../templates/generic' (available: ci, generic); see \
'migrate list-templates'"
assert_eq "$before" "$(tree)" "nothing written"

# ---- an existing empty folder (given with a trailing slash) ----
mkdir empty
run migrate init empty/ --template generic
assert_rc 0
assert_out_eq "Creating directory 'empty/migrations' ... done
Creating directory 'empty/migrations/versions' ... done
Creating directory 'empty/models' ... done
Generating 'empty/migrate.ini' ... done
Generating 'empty/migrations/script.yaml.tmpl' ... done
Generating 'empty/migrations/versions/README' ... done
Generating 'empty/models/articles.yaml' ... done
Generating 'empty/models/organisations.yaml' ... done
Generating 'empty/models/users.yaml' ... done
${please//proj/empty}"
run diff -r proj empty
assert_rc 0

# the current folder, when it is empty
mkdir here
cd here
run migrate init .
assert_rc 0
assert_out_contains "Generating './migrate.ini' ... done"
assert_file_exists migrate.ini
assert_eq "" "$(find . -name '.migrate-init*')" "no staging folder left"
cd ..

# ---- missing parents are created ----
run migrate -q init a/b/c
assert_rc 0
assert_out_eq ""
assert_file_exists a/b/c/migrations/versions/README
run migrate init x/y
assert_rc 0
assert_eq "Creating directory 'x' ... done
Creating directory 'x/y' ... done
Creating directory 'x/y/migrations' ... done" "$(head -3 <<<"$OUT")"
assert_eq "" "$(find . -name '*.tmp-*')" "no staging folder left"

# ---- usage ----
run migrate init
assert_rc 2
assert_err_eq "error: missing DIR
usage: migrate init DIR [-t TEMPLATE]"
run migrate init one two
assert_rc 2
assert_err_eq "error: unexpected argument 'two'
usage: migrate init DIR [-t TEMPLATE]"
run migrate init --help
assert_rc 0
assert_out_eq "usage: migrate init DIR [-t TEMPLATE]

create a project folder: migrate.ini, migrations/ and example models

options:
  -t, --template TEMPLATE   the template to copy (default: generic); see
                            'migrate list-templates'

DIR must not exist or be empty; missing parent folders are created. Nothing is
left behind when init fails."
run migrate --help
assert_rc 0
assert_out_contains "$(printf '  %-16s %s' init \
	'create a project folder: migrate.ini, migrations/ and example models')"
assert_out_contains "$(printf '  %-16s %s' list-templates \
	"list the templates 'migrate init' can copy")"

# ---- list-templates ----
run migrate list-templates
assert_rc 0
assert_out_eq "Available templates:

  ci       Continuous integration jobs for migrate checks.
  generic  Generic single-database configuration.

Templates are used via the 'init' command, e.g.:

  migrate init ./project -t generic"
run migrate list-templates extra
assert_rc 2
assert_err_eq "error: unexpected argument 'extra'
usage: migrate list-templates"

# ---- where templates come from ----
mkdir -p tpl/mine/sub tpl/bare
printf 'Mine, for the test.\nsecond line\n' >tpl/mine/README
echo 'a = 1' >tpl/mine/sub/file.ini
touch tpl/bare/x
MIGRATE_TEMPLATES_DIR=$PWD/tpl run migrate list-templates
assert_rc 0
assert_out_eq "Available templates:

  bare
  mine  Mine, for the test.

Templates are used via the 'init' command, e.g.:

  migrate init ./project -t bare"
MIGRATE_TEMPLATES_DIR=$PWD/tpl run migrate init m -t mine
assert_rc 0
assert_out_eq "Creating directory 'm' ... done
Creating directory 'm/sub' ... done
Generating 'm/sub/file.ini' ... done"
MIGRATE_TEMPLATES_DIR=$PWD/nowhere run migrate list-templates
assert_rc 2
assert_err_eq "error: cannot use MIGRATE_TEMPLATES_DIR '$PWD/nowhere': not a directory"

# an installed binary finds <prefix>/share/migrate/templates beside its bin/
mkdir -p inst/bin inst/share/migrate
cp "$MIGRATE_BIN" inst/bin/migrate
cp -r tpl inst/share/migrate/templates
run inst/bin/migrate list-templates
assert_rc 0
assert_out_contains "  mine  Mine, for the test."

# ---- the generated migrate.ini works, from any folder ----
mkdir elsewhere
cd elsewhere
run migrate -c ../proj/migrate.ini current
assert_rc 0
assert_not_contains "$ERR" "warning" "migrate.ini gives no warnings"
assert_no_file app.db
assert_file_exists ../proj/app.db
cd ..
assert_no_file app.db

pass
