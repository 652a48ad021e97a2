#!/bin/bash
# Revision files and the graph: a branchy history built with `migrate
# revision` and `migrate merge`, checked with heads, branches, history (and
# ranges), show, edit; post-write hooks; the exit codes of broken files (4)
# and bad usage (2).

. "$MIGRATE_E2E_LIB"
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL EDITOR VISUAL
export SOURCE_DATE_EPOCH=1795860000 # create_date 2026-11-28 10:00:00

run migrate -q init proj
assert_rc 0
cd proj
V=$T/proj/migrations/versions

# ---- the first revisions ----
run migrate revision -m "create users" --rev-id aaaa00000001
assert_rc 0
assert_out_eq "Generating $V/aaaa00000001_create_users.yaml ... done"
assert_file_eq "$V/aaaa00000001_create_users.yaml" "revision: aaaa00000001
down_revision: null
branch_labels: []
depends_on: []
message: create users
create_date: 2026-11-28 10:00:00.000000
upgrade: []
downgrade: []"

run migrate revision -m "Add e-mail: unique!" --rev-id bbbb00000002
assert_rc 0
assert_out_eq "Generating $V/bbbb00000002_add_e_mail_unique.yaml ... done"
assert_file_eq "$V/bbbb00000002_add_e_mail_unique.yaml" "revision: bbbb00000002
down_revision: aaaa00000001
branch_labels: []
depends_on: []
message: \"Add e-mail: unique!\"
create_date: 2026-11-28 10:00:00.000000
upgrade: []
downgrade: []"

# a branch with a label, a spliced second branch, a second base that depends
# on the trunk
run migrate -q revision -m "feature one" --rev-id cccc00000003 --branch-label feature
assert_rc 0
assert_out_eq ""
run migrate revision -m "hotfix" --rev-id dddd00000004 --head bbbb
assert_rc 2
assert_err_eq "error: revision 'bbbb00000002' is not a head revision; use --splice to create a new branch from it"
run migrate -q revision -m "hotfix" --rev-id dddd00000004 --head bbbb --splice
assert_rc 0
run migrate -q revision -m "audit" --rev-id ffff00000006 --head base --branch-label audit \
	--depends-on bbbb
assert_rc 0
assert_file_eq "$V/ffff00000006_audit.yaml" "revision: ffff00000006
down_revision: null
branch_labels: [audit]
depends_on: [bbbb00000002]
message: audit
create_date: 2026-11-28 10:00:00.000000
upgrade: []
downgrade: []"

run migrate revision -m "next"
assert_rc 2
assert_err_eq "error: multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge"

run migrate heads
assert_rc 0
assert_out_eq "cccc00000003 (feature) (head)
dddd00000004 (head)
ffff00000006 (audit) (head)"

run migrate branches
assert_rc 0
assert_out_eq "bbbb00000002 (branchpoint)
             -> cccc00000003 (feature) (head)
             -> dddd00000004 (head)"

run migrate history
assert_rc 0
assert_out_eq "bbbb00000002 -> cccc00000003 (feature) (head), feature one
bbbb00000002 -> dddd00000004 (head), hotfix
<base> (bbbb00000002) -> ffff00000006 (audit) (head), audit
aaaa00000001 -> bbbb00000002 (branchpoint), Add e-mail: unique!
<base> -> aaaa00000001, create users"

# ---- a merge ----
run migrate merge cccc dddd -m "merge feature and hotfix" --rev-id eeee00000005
assert_rc 0
assert_out_eq "Generating $V/eeee00000005_merge_feature_and_hotfix.yaml ... done"
assert_file_eq "$V/eeee00000005_merge_feature_and_hotfix.yaml" "revision: eeee00000005
down_revision: [cccc00000003, dddd00000004]
branch_labels: []
depends_on: []
message: merge feature and hotfix
create_date: 2026-11-28 10:00:00.000000
upgrade: []
downgrade: []"
run migrate merge ffff -m "one"
assert_rc 2
assert_err_eq "error: nothing to merge: the revisions given resolve to only ffff00000006"

run migrate heads
assert_out_eq "eeee00000005 (feature) (head)
ffff00000006 (audit) (head)"
run migrate heads --resolve-dependencies
assert_out_eq "eeee00000005 (feature) (head)
ffff00000006 (audit) (head)"

run migrate history
assert_out_eq "cccc00000003, dddd00000004 -> eeee00000005 (feature) (head) (mergepoint), merge feature and hotfix
bbbb00000002 -> cccc00000003 (feature), feature one
bbbb00000002 -> dddd00000004, hotfix
<base> (bbbb00000002) -> ffff00000006 (audit) (head), audit
aaaa00000001 -> bbbb00000002 (branchpoint), Add e-mail: unique!
<base> -> aaaa00000001, create users"

run migrate history -r bbbb:
assert_rc 0
assert_out_eq "cccc00000003, dddd00000004 -> eeee00000005 (feature) (head) (mergepoint), merge feature and hotfix
bbbb00000002 -> cccc00000003 (feature), feature one
bbbb00000002 -> dddd00000004, hotfix
aaaa00000001 -> bbbb00000002 (branchpoint), Add e-mail: unique!"
run migrate history -r dddd:
assert_out_eq "cccc00000003, dddd00000004 -> eeee00000005 (feature) (head) (mergepoint), merge feature and hotfix
bbbb00000002 -> dddd00000004, hotfix"
run migrate history -r :cccc
assert_out_eq "bbbb00000002 -> cccc00000003 (feature), feature one
aaaa00000001 -> bbbb00000002 (branchpoint), Add e-mail: unique!
<base> -> aaaa00000001, create users"
run migrate history -r -1:dddd
assert_out_eq "bbbb00000002 -> dddd00000004, hotfix
aaaa00000001 -> bbbb00000002 (branchpoint), Add e-mail: unique!"
run migrate history -r -1:feature@head
assert_rc 2
assert_err_eq "error: relative target '-1' is ambiguous: 'eeee00000005' is a merge point; use '<id>-N' from one of its down revisions"
run migrate history -r audit@base:
assert_out_eq "<base> (bbbb00000002) -> ffff00000006 (audit) (head), audit"
run migrate history -r aaaa:+1
assert_out_eq "aaaa00000001 -> bbbb00000002 (branchpoint), Add e-mail: unique!
<base> -> aaaa00000001, create users"

run migrate history -r cccc:dddd
assert_rc 2
assert_err_eq "error: revision 'cccc00000003' is not an ancestor of 'dddd00000004'"
run migrate history -r cccc
assert_rc 2
assert_err_eq "error: invalid range 'cccc': write [start]:[end], [start]: or :[end]"

run migrate history -r :aaaa -v
assert_out_eq "Rev: aaaa00000001
Parent: <base>
Path: $V/aaaa00000001_create_users.yaml

    create users

    Revision ID: aaaa00000001
    Revises:
    Create Date: 2026-11-28 10:00:00.000000"

run migrate history -r :bbbb --format json
assert_out_eq "[
  {\"revision\": \"bbbb00000002\", \"down_revisions\": [\"aaaa00000001\"], \"branch_labels\": [], \"depends_on\": [], \"message\": \"Add e-mail: unique!\", \"create_date\": \"2026-11-28 10:00:00.000000\", \"path\": \"$V/bbbb00000002_add_e_mail_unique.yaml\", \"is_head\": false, \"is_branch_point\": true, \"is_merge_point\": false},
  {\"revision\": \"aaaa00000001\", \"down_revisions\": [], \"branch_labels\": [], \"depends_on\": [], \"message\": \"create users\", \"create_date\": \"2026-11-28 10:00:00.000000\", \"path\": \"$V/aaaa00000001_create_users.yaml\", \"is_head\": false, \"is_branch_point\": false, \"is_merge_point\": false}
]"

# ---- show ----
run migrate show eeee
assert_rc 0
assert_out_eq "Rev: eeee00000005 (head) (mergepoint)
Merges: cccc00000003, dddd00000004
Branch names: feature
Path: $V/eeee00000005_merge_feature_and_hotfix.yaml

    merge feature and hotfix

    Revision ID: eeee00000005
    Revises: cccc00000003, dddd00000004
    Create Date: 2026-11-28 10:00:00.000000"
run migrate show bbbb00000002
assert_out_eq "Rev: bbbb00000002 (branchpoint)
Parent: aaaa00000001
Branches into: cccc00000003, dddd00000004
Path: $V/bbbb00000002_add_e_mail_unique.yaml

    Add e-mail: unique!

    Revision ID: bbbb00000002
    Revises: aaaa00000001
    Create Date: 2026-11-28 10:00:00.000000"
run migrate show audit@head --format json
assert_out_eq "[
  {\"revision\": \"ffff00000006\", \"down_revisions\": [], \"branch_labels\": [\"audit\"], \"depends_on\": [\"bbbb00000002\"], \"message\": \"audit\", \"create_date\": \"2026-11-28 10:00:00.000000\", \"path\": \"$V/ffff00000006_audit.yaml\", \"is_head\": true, \"is_branch_point\": false, \"is_merge_point\": false}
]"
run migrate heads --format json
assert_contains "$OUT" '"revision": "eeee00000005"'
assert_contains "$OUT" '"revision": "ffff00000006"'
run migrate show head
assert_rc 2
assert_err_eq "error: multiple heads are present for 'head': eeee00000005, ffff00000006; use 'heads', '<label>@head' or a revision id, or merge them with 'migrate merge heads'"
run migrate show zzzz
assert_rc 2
assert_err_eq "error: no such revision or branch 'zzzz'"
run migrate show abc
assert_rc 2
assert_err_eq "error: no such revision or branch 'abc' (a partial revision id needs at least four characters)"
run migrate show
assert_rc 2
assert_err_contains "error: missing the revision to show"

# ---- merge all heads, then one head again ----
run migrate -q merge heads -m "merge all" --rev-id abab00000007
assert_rc 0
run migrate heads
assert_out_eq "abab00000007 (audit, feature) (head)"
run migrate -q revision -m "after merge" --rev-id acac00000008
assert_rc 0
assert_file_exists "$V/acac00000008_after_merge.yaml"
run migrate history -r -1:
assert_out_eq "abab00000007 -> acac00000008 (audit, feature) (head), after merge
eeee00000005, ffff00000006 -> abab00000007 (audit, feature) (mergepoint), merge all"

# ---- usage errors ----
run migrate revision
assert_rc 2
assert_err_contains "error: missing -m MESSAGE"
run migrate revision -m x --rev-id "bad-id"
assert_rc 2
assert_err_eq "error: invalid revision id 'bad-id': use 1 to 32 letters, digits and underscores"
run migrate revision -m x --rev-id aaaa00000001
assert_rc 2
assert_err_eq "error: revision id 'aaaa00000001' already exists ('$V/aaaa00000001_create_users.yaml')"
run migrate revision -m x --branch-label feature
assert_rc 2
assert_err_eq "error: branch label 'feature' is already used by revision 'cccc00000003'"
run migrate revision -m x --depends-on nope
assert_rc 2
assert_err_eq "error: no such revision or branch 'nope'"
run migrate heads --format xml
assert_rc 2
assert_err_contains "error: unknown format 'xml' (use text or json)"
run migrate heads extra
assert_rc 2

# ---- edit ----
cat >"$T/ed.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T/edited"
EOF
chmod +x "$T/ed.sh"
EDITOR="$T/ed.sh" run migrate edit feature
assert_rc 0
assert_file_eq "$T/edited" "$V/cccc00000003_feature_one.yaml"
EDITOR= VISUAL="$T/ed.sh" run migrate edit head
assert_rc 0
assert_file_eq "$T/edited" "$V/acac00000008_after_merge.yaml"
EDITOR=false run migrate edit head
assert_rc 2
assert_err_eq "error: the editor 'false' exited with status 1"

# ---- post-write hooks ----
cat >>migrate.ini <<'EOF'

[post_write_hooks]
hooks = stamp
stamp.type = exec
stamp.executable = sh
stamp.options = -c "echo '# stamped' >> REVISION_SCRIPT_FILENAME"
EOF
run migrate revision -m "hooked" --rev-id adad00000009
assert_rc 0
assert_out_eq "Generating $V/adad00000009_hooked.yaml ... done
Running post write hook 'stamp' ...
  done"
assert_file_eq "$V/adad00000009_hooked.yaml" "revision: adad00000009
down_revision: acac00000008
branch_labels: []
depends_on: []
message: hooked
create_date: 2026-11-28 10:00:00.000000
upgrade: []
downgrade: []
# stamped"
sed -i 's/^stamp.executable = sh$/stamp.executable = false/' migrate.ini
run migrate revision -m "hook fails" --rev-id aeae00000010
assert_rc 2
assert_err_eq "error: post-write hook 'stamp' ('false') exited with status 1"
assert_file_exists "$V/aeae00000010_hook_fails.yaml"
sed -i '/^\[post_write_hooks\]/,$d' migrate.ini

# ---- broken files: exit 4 with path:line:column ----
printf 'revision: baad00000011\ndown_revision: aeae00000010\ncolour: red\nupgrade: []\ndowngrade: []\n' \
	>"$V/baad00000011_broken.yaml"
run migrate heads
assert_rc 4
assert_err_eq "error: $V/baad00000011_broken.yaml:3:1: unknown key 'colour' in revision file (expected one of: revision, down_revision, branch_labels, depends_on, message, create_date, transactional, upgrade, downgrade)"
printf 'revision: baad00000011\ndown_revision: 0000ffff0000\nupgrade: []\ndowngrade: []\n' \
	>"$V/baad00000011_broken.yaml"
run migrate history
assert_rc 4
assert_err_eq "error: $V/baad00000011_broken.yaml:2:16: down_revision '0000ffff0000' names no revision"
printf 'revision: baad00000012\ndown_revision: aeae00000010\nupgrade: []\ndowngrade: []\n' \
	>"$V/baad00000011_broken.yaml"
run migrate heads
assert_rc 4
assert_err_eq "error: $V/baad00000011_broken.yaml:1:11: revision 'baad00000012' does not match the file name 'baad00000011_broken.yaml'"
printf 'revision: baad00000011\ndown_revision: aeae00000010\nupgrade:\n  - drop_tabel: {name: x}\ndowngrade: []\n' \
	>"$V/baad00000011_broken.yaml"
run migrate heads
assert_rc 0
run migrate show baad
assert_rc 4
assert_err_contains "error: $V/baad00000011_broken.yaml:4:5: "
rm "$V/baad00000011_broken.yaml"

pass
