#!/bin/bash
# The CI checks, in temporary git repositories built with the git CLI:
#   verify: an applied revision edited since, and one whose file is gone, on
#     an SQLite file, a PostgreSQL and a MariaDB database upgraded by the
#     runner (text, github and json exactly), and the fix it names;
#   the ci template: `migrate init -t ci` copies the workflow files.
# Every revision file here has the same layout: line 1 "revision: <id>"
# (value at column 11), line 2 "down_revision: <id>" (column 16), line 3
# "message: …".

. "$MIGRATE_E2E_LIB"
require_servers
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL
export USER=tester

A=aaaa00000001
B=bbbb00000002

git() {
	command git -c user.name=tester -c user.email=tester@example.com -c commit.gpgsign=false \
		-c init.defaultBranch=main "$@"
}

# rev ID DOWN MESSAGE: the revision file of ID, on DOWN (null for a root),
# creating table t_ID.
rev() {
	cat >"migrations/versions/$1_rev.yaml" <<EOF
revision: $1
down_revision: $2
message: $3
upgrade:
  - create_table: {name: t_$1, columns: {id: {type: integer, primary_key: true}}}
downgrade:
  - drop_table: {name: t_$1}
EOF
}

# A repository with a project in proj/: A and B committed on main.
mkdir repo
cd repo
git init -q .
run migrate -q init proj
assert_rc 0
cd proj
rev $A null "create a"
rev $B $A "create b"
git add -A
git commit -q -m "two revisions"
VB=migrations/versions/${B}_rev.yaml

# ---- verify ----

# verify_on NAME URL QUERY DB: verify on a fresh database; QUERY DB SQL runs
# SQL with the database's own client.
verify_on() {
	local name=$1 url=$2 query=$3 db=$4 at by blob msg
	git checkout -q -f main

	run migrate --url "$url" verify
	assert_rc 0
	assert_out_eq "note: the database has no migrate_history table, so there is nothing to verify (the next upgrade, downgrade or stamp creates it)"

	run migrate --url "$url" -q upgrade head
	assert_rc 0
	run migrate --url "$url" verify
	assert_rc 0
	assert_out_eq "all 2 applied revisions match their files"

	# B's message edited after it was applied
	sed -i 's/^message: create b$/message: create table b/' "$VB"
	at=$("$query" "$db" "SELECT applied_at FROM migrate_history WHERE revision = '$B' AND direction = 'up'")
	by=$("$query" "$db" "SELECT applied_by FROM migrate_history WHERE revision = '$B' AND direction = 'up'")
	assert_eq "tester@$(hostname)" "$by" "$name: applied_by"
	blob=$(git rev-parse "HEAD:proj/$VB")
	assert_eq "$blob" "$("$query" "$db" "SELECT checksum FROM migrate_history WHERE revision = '$B'")" \
		"$name: the checksum is the blob id"
	msg="applied revision $B changed since it was applied on $at UTC by $by; restore it with 'git show ${blob:0:12} > $VB' and make the change in a new revision"
	run migrate --url "$url" verify
	assert_rc 1
	assert_out_eq "$VB:3: $msg"
	assert_err_eq ""
	run migrate --url "$url" verify --format github
	assert_rc 1
	assert_out_eq "::error file=proj/$VB,line=3::$msg"
	run migrate --url "$url" verify --format json
	assert_rc 1
	assert_out_eq "{
  \"verified\": 2,
  \"findings\": [
    {\"kind\": \"applied-changed\", \"severity\": \"error\", \"file\": \"$VB\", \"repo_file\": \"proj/$VB\", \"line\": 3, \"column\": null, \"message\": \"$msg\"}
  ],
  \"errors\": 1
}"

	# the fix it names
	eval "git show ${blob:0:12} > $VB"
	run migrate --url "$url" verify
	assert_rc 0
	assert_out_eq "all 2 applied revisions match their files"

	# the head's file removed
	rm "$VB"
	run migrate --url "$url" verify
	assert_rc 1
	assert_out_eq "applied revision $B has no revision file"
	run migrate --url "$url" verify --format github
	assert_rc 1
	assert_out_eq "::error::applied revision $B has no revision file"
	git checkout -q -f main
}

sqlite_query() {
	sqlite_sql "$1" "$2"
}
verify_on sqlite "sqlite:///$T/app.db" sqlite_query "$T/app.db"
verify_on postgresql "$(pg_fresh_db migrate_e2e_gitcheck)" pg_sql migrate_e2e_gitcheck
verify_on mysql "$(my_fresh_db migrate_e2e_gitcheck)" my_sql migrate_e2e_gitcheck

run migrate --url "sqlite:///$T/app.db" verify --format xml
assert_rc 2
assert_err_eq "error: unknown format 'xml' (use text, json or github)
usage: migrate verify [--format text|json|github]"

# ---- the ci template ----
cd "$T"
run migrate init -t ci ci-jobs
assert_rc 0
assert_out_eq "Creating directory 'ci-jobs' ... done
Creating directory 'ci-jobs/.github' ... done
Creating directory 'ci-jobs/.github/workflows' ... done
Generating 'ci-jobs/.github/workflows/migrate-check.yml' ... done
Generating 'ci-jobs/.gitlab-ci.yml' ... done"
assert_contains "$(cat ci-jobs/.github/workflows/migrate-check.yml)" \
	"run: migrate check --offline --base origin/main --format github"
assert_contains "$(cat ci-jobs/.github/workflows/migrate-check.yml)" "fetch-depth: 0"
assert_contains "$(cat ci-jobs/.gitlab-ci.yml)" "- migrate check --offline --base origin/main"

pass
