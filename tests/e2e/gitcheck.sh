#!/bin/bash
# The CI checks, in temporary git repositories built with the git CLI:
#   verify: an applied revision edited since, and one whose file is gone, on
#     an SQLite file, a PostgreSQL and a MariaDB database upgraded by the
#     runner (text, github and json exactly), and the fix it names;
#   check --base: a clean branch; a history rewrite (edited, deleted); heads
#     the branch adds; a stale branch (text, github and json exactly); and the
#     fixes the messages name;
#   check --offline: a model change without a revision (the op, and an
#     annotation at the model's line); raw sql ops (a note); no connection
#     attempted with a URL configured (a listener counts connections);
#   check --scratch on SQLite, PostgreSQL and MariaDB: what --offline cannot
#     follow, a model change, and nothing left behind;
#   check against a database: verify's findings and drift;
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

# rev ID DOWN MESSAGE: the revision file of ID, on DOWN (null for a root;
# "[a, b]" for a merge), creating table t_ID, and the model file that declares
# that table.
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
	cat >"models/t_$1.yaml" <<EOF
tables:
  t_$1:
    columns:
      id: {type: integer, primary_key: true}
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
	assert_out_eq ""
	assert_err_eq "note: the database has no migrate_history table, so there is nothing to verify (the next upgrade, downgrade or stamp creates it)"

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
	assert_out_eq "{\"verified\": 2, \"findings\": [
  {\"kind\": \"applied-changed\", \"severity\": \"error\", \"file\": \"$VB\", \"repo_file\": \"proj/$VB\", \"line\": 3, \"column\": null, \"message\": \"$msg\"}
], \"errors\": 1}"

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

# ---- check --base ----
C=cccc00000003
D=dddd00000004
M=eeee00000005
V=migrations/versions

# A project at the root of its repository: main has A; feature adds B.
cd "$T"
run migrate -q init base
assert_rc 0
cd base
git init -q .
rm models/*.yaml
rev $A null "create a"
git add -A
git commit -q -m a
git checkout -q -b feature
rev $B $A "add b"
git add -A
git commit -q -m b
mb=$(git merge-base HEAD main)
mbs=${mb:0:12}

# a clean branch
run migrate check --offline --base main
assert_rc 0
assert_out_eq "this branch adds 1 revision to main (merge base $mbs):
  $A -> $B, add b
no pending changes"
assert_err_eq ""

# history rewrite: a revision of main edited on the branch
sed -i 's/^message: create a$/message: create table a/' "$V/${A}_rev.yaml"
rewrite="$V/${A}_rev.yaml:3: history rewrite: revision $A was edited, but it is in main (merge base $mbs) as it was; restore it with 'git checkout $mbs -- $V/${A}_rev.yaml' and make the change in a new revision"
run migrate check --offline --base main
assert_rc 1
assert_out_eq "this branch adds 1 revision to main (merge base $mbs):
  $A -> $B, add b
$rewrite"
git commit -q -a -m "rewrite a"
run migrate check --offline --base main --format github
assert_rc 1
assert_out_eq "this branch adds 1 revision to main (merge base $mbs):
  $A -> $B, add b
::error file=$V/${A}_rev.yaml,line=3::${rewrite#*:3: }"
# the fix it names
git checkout "$mbs" -- "$V/${A}_rev.yaml"
run migrate check --offline --base main
assert_rc 0

# ... and deleted: reported, then the graph fails to load
rm "$V/${A}_rev.yaml"
run migrate check --offline --base main
assert_rc 4
assert_out_eq "this branch adds 1 revision to main (merge base $mbs):
  $A -> $B, add b
$V/${A}_rev.yaml: history rewrite: revision $A was deleted, but it is in main (merge base $mbs); restore it with 'git checkout $mbs -- $V/${A}_rev.yaml'"
assert_err_eq "error: $T/base/$V/${B}_rev.yaml:2:16: down_revision '$A' names no revision"
git checkout "$mbs" -- "$V/${A}_rev.yaml"
git commit -q -m "restore a"

# heads: the branch adds a second one
rev $D $A "add d"
heads="multiple heads after merging with main: $B (this branch), $D (this branch); run 'migrate merge heads -m \"merge\"'"
run migrate check --offline --base main
assert_rc 1
assert_out_eq "this branch adds 2 revisions to main (merge base $mbs):
  $A -> $B, add b
  $A -> $D, add d
$V/${B}_rev.yaml:1:11: $heads
$V/${D}_rev.yaml:1:11: $heads"
# the fix it names
run migrate -q merge heads -m merge --rev-id $M
assert_rc 0
run migrate check --offline --base main
assert_rc 0
assert_out_eq "this branch adds 3 revisions to main (merge base $mbs):
  $A -> $B, add b
  $A -> $D, add d
  $B, $D -> $M, merge
no pending changes"
rm "$V/${D}_rev.yaml" "$V/${M}_merge.yaml" "models/t_$D.yaml"

# a stale branch: main moved on while the branch was open
git checkout -q main
rev $C $A "add c"
git add -A
git commit -q -m c
git checkout -q feature
stale="stale branch: revision $B is based on $A, which is no longer a head on main ($C is the head there); bring main into this branch and set down_revision: $C"
heads="multiple heads after merging with main: $B (this branch), $C (main); bring main into this branch and run 'migrate merge heads -m \"merge\"'"
run migrate check --offline --base main
assert_rc 1
assert_out_eq "this branch adds 1 revision to main (merge base $mbs):
  $A -> $B, add b
$V/${B}_rev.yaml:2:16: $stale
$V/${B}_rev.yaml:1:11: $heads
$V/${C}_rev.yaml:1:11: $heads"
run migrate check --offline --base main --format github
assert_rc 1
assert_out_eq "this branch adds 1 revision to main (merge base $mbs):
  $A -> $B, add b
::error file=$V/${B}_rev.yaml,line=2,col=16::$stale
::error file=$V/${B}_rev.yaml,line=1,col=11::$heads
::error file=$V/${C}_rev.yaml,line=1,col=11::$heads"
run migrate check --offline --base main --format json
assert_rc 1
assert_out_eq "{\"pending_ops\": [], \"pending_revisions\": null, \"hints\": [], \"ref\": \"main\", \"merge_base\": \"$mb\", \"added_revisions\": [
  {\"revision\": \"$B\", \"down_revisions\": [\"$A\"], \"message\": \"add b\", \"path\": \"$V/${B}_rev.yaml\"}
], \"findings\": [
  {\"kind\": \"stale-branch\", \"severity\": \"error\", \"file\": \"$V/${B}_rev.yaml\", \"repo_file\": \"$V/${B}_rev.yaml\", \"line\": 2, \"column\": 16, \"message\": \"$stale\"},
  {\"kind\": \"multiple-heads\", \"severity\": \"error\", \"file\": \"$V/${B}_rev.yaml\", \"repo_file\": \"$V/${B}_rev.yaml\", \"line\": 1, \"column\": 11, \"message\": \"${heads//\"/\\\"}\"},
  {\"kind\": \"multiple-heads\", \"severity\": \"error\", \"file\": \"$V/${C}_rev.yaml\", \"repo_file\": \"$V/${C}_rev.yaml\", \"line\": 1, \"column\": 11, \"message\": \"${heads//\"/\\\"}\"}
], \"errors\": 3}"
# the fix it names: main brought in, B based on C
git rebase -q main
sed -i "s/^down_revision: $A\$/down_revision: $C/" "$V/${B}_rev.yaml"
git commit -q -a -m "b on c"
run migrate check --offline --base main
assert_rc 0
assert_out_eq "this branch adds 1 revision to main (merge base $(git rev-parse --short=12 main)):
  $C -> $B, add b
no pending changes"

# ---- check --offline ----

# a model change without a revision: the op, and where the model says it
printf '      age: integer\n' >>"models/t_$B.yaml"
run migrate check --offline
assert_rc 1
assert_out_eq "the models differ from the schema the revisions produce (in memory); a new revision needs:
- add_column: {table: t_$B, column: {name: age, type: integer}}"
assert_err_eq ""
run migrate check --offline --format github
assert_rc 1
assert_out_eq "::error file=models/t_$B.yaml,line=5,col=7::model change without a revision: add_column 't_$B.age'
the models differ from the schema the revisions produce (in memory); a new revision needs:
- add_column: {table: t_$B, column: {name: age, type: integer}}"
git checkout -q -- models

# no server needed: a listener on the configured URL's port counts the
# connections made to it
cat >"$T/listen.py" <<'EOF'
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    with open(sys.argv[2], "a") as f:
        f.write("connection\n")
    c.close()
EOF
timeout 300 python3 "$T/listen.py" "$T/port" "$T/connections" &
listener=$!
for _ in $(seq 100); do
	[[ -f $T/port ]] && break
	sleep 0.1
done
nowhere="postgresql://nobody@127.0.0.1:$(cat "$T/port")/nothing"
MIGRATE_URL=$nowhere run migrate check --offline --base main
assert_rc 0
assert_out_eq "this branch adds 1 revision to main (merge base $(git rev-parse --short=12 main)):
  $C -> $B, add b
no pending changes"
assert_no_file "$T/connections"
# without --offline, check does connect (and fails: it is no server)
MIGRATE_URL=$nowhere run migrate check
assert_rc 3
assert_eq "connection" "$(cat "$T/connections")" "the listener saw the connection"
kill "$listener"
wait "$listener" 2>/dev/null || true

run migrate check --offline --scratch
assert_rc 2
assert_err_eq "error: --offline and --scratch exclude each other
usage: migrate check [--offline|--scratch] [--base REF] [--format text|json|github]"
MIGRATE_URL= run migrate -c /dev/null check --offline
assert_rc 2

# ---- check --scratch: what --offline cannot follow ----
cd "$T"
run migrate -q init scratch
assert_rc 0
cd scratch
rm models/*.yaml
rev $A null "create a"
cat >"$V/${B}_rev.yaml" <<EOF
revision: $B
down_revision: $A
message: raw sql
upgrade:
  - sql: CREATE TABLE made_by_sql (name VARCHAR(40))
downgrade:
  - sql: DROP TABLE made_by_sql
EOF
cat >models/made_by_sql.yaml <<EOF
tables:
  made_by_sql:
    columns:
      name: varchar(40)
EOF
run migrate check --offline
assert_rc 1
assert_out_eq "the models differ from the schema the revisions produce (in memory); a new revision needs:
- create_table:
    name: made_by_sql
    columns:
      name: varchar(40)"
assert_err_eq "note: 1 revision contains raw sql ops; the offline schema is approximate (use --scratch)"

# scratch_on URL COUNT: check --scratch on the server of URL; COUNT prints
# how many throwaway schemas or databases are left
scratch_on() {
	local url=$1 count=$2
	run migrate --url "$url" check --scratch
	assert_rc 0
	assert_out_eq "no pending changes"
	assert_err_eq ""
	assert_eq 0 "$($count)" "nothing left behind"
	printf '      note: text\n' >>models/made_by_sql.yaml
	run migrate --url "$url" check --scratch
	assert_rc 1
	assert_out_eq "the models differ from the schema the revisions produce (on a scratch database); a new revision needs:
- add_column: {table: made_by_sql, column: {name: note, type: text}}"
	assert_eq 0 "$($count)" "nothing left behind"
	cat >models/made_by_sql.yaml <<EOF
tables:
  made_by_sql:
    columns:
      name: varchar(40)
EOF
}
no_file() {
	[[ -e $T/scratch/app.db ]] && echo 1 || echo 0
}
pg_left() {
	pg_sql migrate_e2e_gitcheck "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'migrate_scratch%'"
}
my_left() {
	my_sql migrate_e2e_gitcheck "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'migrate_scratch%'"
}
scratch_on "sqlite:///$T/scratch/app.db" no_file
scratch_on "$(pg_fresh_db migrate_e2e_gitcheck)" pg_left
scratch_on "$(my_fresh_db migrate_e2e_gitcheck)" my_left

# ---- check against a database: verify and drift ----
url="sqlite:///$T/scratch/live.db"
run migrate --url "$url" -q upgrade head
assert_rc 0
run migrate --url "$url" check
assert_rc 0
assert_out_eq "no pending changes"
sqlite_sql live.db "CREATE TABLE stray (id integer)"
sum=$(git hash-object "$V/${A}_rev.yaml")
sed -i 's/^message: create a$/message: create table a/' "$V/${A}_rev.yaml"
at=$(sqlite_sql live.db "SELECT applied_at FROM migrate_history WHERE revision = '$A'")
run migrate --url "$url" check
assert_rc 1
assert_out_eq "$V/${A}_rev.yaml: applied revision $A changed since it was applied on $at UTC by tester@$(hostname) (it was blob $sum then); restore it as it was and make the change in a new revision
warning: drift: table 'stray' is in the database, but neither the revisions nor the models have it
the models differ from the database; 'migrate revision --autogenerate' would write:
- drop_table: {name: stray}"
assert_err_eq ""

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
