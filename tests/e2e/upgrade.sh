#!/bin/bash
# upgrade, downgrade, stamp and current on PostgreSQL, MariaDB and SQLite:
# revisions covering every op, applied and reverted, each state checked with
# the database's own client (psql, mariadb, sqlite3); step-by-step upgrades
# and downgrades; a history with a branch and a merge upgraded, downgraded one
# step at a time and stamped; the exact --sql script of a small range,
# written without a connection; and, on PostgreSQL, an enum value added by one
# revision and used by the next in one run.

. "$MIGRATE_E2E_LIB"
require_servers
unset MIGRATE_TEMPLATES_DIR MIGRATE_CONFIG MIGRATE_URL
export USER=tester

# Progress lines with their durations made fixed.
norm() {
	printf '%s' "$1" | sed -E 's/\(([0-9]+) ms\)/(N ms)/g'
}

url_of() {
	case $1 in
	postgresql) pg_fresh_db "$2" ;;
	mysql) my_fresh_db "$2" ;;
	sqlite) echo "sqlite:///$T/$2.db" ;;
	esac
}

# sql_of DIALECT URL SQL: a query with the database's own client.
sql_of() {
	case $1 in
	postgresql) pg_sql "$2" "$3" ;;
	mysql) my_sql "$2" "$3" ;;
	sqlite) sqlite_sql "${2#sqlite:///}" "$3" ;;
	esac
}

# ---- every op ----

run migrate -q init ops
assert_rc 0
cd ops
V=$T/ops/migrations/versions
cat >"$V/a1000000000a_schema.yaml" <<'EOF'
revision: a1000000000a
down_revision: null
branch_labels: []
depends_on: []
message: schema
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_enum: {name: status, values: [new, done]}
  - create_table:
      name: orgs
      comment: Organisations
      columns:
        id: {type: integer, primary_key: true}
        name: {type: varchar(100), nullable: false, unique: true}
        created_at: {type: timestamp, nullable: false, default: CURRENT_TIMESTAMP}
  - create_table:
      name: users
      columns:
        id: {type: integer, primary_key: true}
        org_id: {type: integer, references: orgs.id, on_delete: cascade}
        email: {type: varchar(255), nullable: false}
        status: {type: status, nullable: false, default: "'new'"}
        score: {type: "numeric(10,2)", default: "0"}
        note: {type: text, comment: free text}
  - create_index: {table: users, name: ix_users_email, columns: [email], unique: true}
  - bulk_insert:
      table: orgs
      rows:
        - {id: 1, name: "Acme"}
        - {id: 2, name: "O'Brien & Co"}
downgrade:
  - drop_table: {name: users}
  - drop_table: {name: orgs}
  - drop_enum: {name: status}
EOF
cat >"$V/b2000000000b_alter.yaml" <<'EOF'
revision: b2000000000b
down_revision: a1000000000a
branch_labels: []
depends_on: []
message: alter
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - add_column: {table: users, column: {name: age, type: integer, nullable: false, default: "0"}}
  - alter_column: {table: users, column: email, type: varchar(320), existing_type: varchar(255), existing_nullable: false}
  - alter_column: {table: users, column: note, new_name: remark, existing_type: text, existing_comment: free text}
  - create_unique_constraint: {table: users, name: uq_users_email_org, columns: [email, org_id]}
  - create_check_constraint: {table: users, name: ck_users_age, sql: "age >= 0"}
  - create_table_comment: {table: users, comment: Registered users, existing_comment: null}
  - add_enum_value: {name: status, value: archived, if_not_exists: true}
  - sql:
      postgresql: "UPDATE orgs SET name = name || '!' WHERE id = 1"
      mysql: "UPDATE orgs SET name = CONCAT(name, '!') WHERE id = 1"
      sqlite: "UPDATE orgs SET name = name || '!' WHERE id = 1"
downgrade:
  - sql:
      postgresql: "UPDATE orgs SET name = 'Acme' WHERE id = 1"
      mysql: "UPDATE orgs SET name = 'Acme' WHERE id = 1"
      sqlite: "UPDATE orgs SET name = 'Acme' WHERE id = 1"
  - drop_table_comment: {table: users, existing_comment: Registered users}
  - drop_constraint: {table: users, name: ck_users_age, type: check}
  - drop_constraint: {table: users, name: uq_users_email_org, type: unique}
  - alter_column: {table: users, column: remark, new_name: note, existing_type: text, existing_comment: free text}
  - alter_column: {table: users, column: email, type: varchar(255), existing_type: varchar(320), existing_nullable: false}
  - drop_column: {table: users, column: age}
EOF
cat >"$V/c3000000000c_more.yaml" <<'EOF'
revision: c3000000000c
down_revision: b2000000000b
branch_labels: []
depends_on: []
message: more
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table:
      name: tags
      columns:
        id: {type: integer, primary_key: true}
        user_id: {type: integer, nullable: false}
        label: varchar(40)
  - create_foreign_key: {table: tags, name: fk_tags_user, columns: [user_id], references: {table: users, columns: [id]}, on_delete: cascade}
  - rename_table: {name: tags, new_name: labels}
  - create_index: {table: users, name: ix_users_age, columns: [age]}
  - drop_index: {table: users, name: ix_users_email}
  - create_table:
      name: links
      columns:
        a: {type: integer, nullable: false}
        b: {type: integer, nullable: false}
  - create_primary_key: {table: links, name: pk_links, columns: [a, b]}
  - drop_constraint: {table: users, name: ck_users_age, type: check}
  - drop_table_comment: {table: users, existing_comment: Registered users}
  - drop_column: {table: users, column: score}
downgrade:
  - add_column: {table: users, column: {name: score, type: "numeric(10,2)", default: "0"}}
  - create_table_comment: {table: users, comment: Registered users, existing_comment: null}
  - create_check_constraint: {table: users, name: ck_users_age, sql: "age >= 0"}
  - drop_table: {name: links}
  - create_index: {table: users, name: ix_users_email, columns: [email], unique: true}
  - drop_index: {table: users, name: ix_users_age}
  - rename_table: {name: labels, new_name: tags}
  - drop_constraint: {table: tags, name: fk_tags_user, type: foreignkey}
  - drop_table: {name: tags}
EOF

UP_ALL="Creating table migrate_version
Creating table migrate_history
Running upgrade <base> -> a1000000000a, schema ... done (N ms)
Running upgrade a1000000000a -> b2000000000b, alter ... done (N ms)
Running upgrade b2000000000b -> c3000000000c, more ... done (N ms)"
DOWN_ALL="Running downgrade c3000000000c -> b2000000000b, more ... done (N ms)
Running downgrade b2000000000b -> a1000000000a, alter ... done (N ms)
Running downgrade a1000000000a -> <base>, schema ... done (N ms)"

# The schema as the database describes it: columns (type, not null, default,
# comment), constraints, indexes, table comments, enums.
catalog() {
	case $1 in
	postgresql)
		pg_sql "$2" "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
			a.attnotnull, pg_get_expr(d.adbin, d.adrelid), col_description(c.oid, a.attnum)
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
			AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum"
		pg_sql "$2" "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
		pg_sql "$2" "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
			ORDER BY 1"
		pg_sql "$2" "SELECT relname, obj_description(oid, 'pg_class') FROM pg_class
			WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
			AND obj_description(oid, 'pg_class') IS NOT NULL ORDER BY 1"
		pg_sql "$2" "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
			FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1"
		;;
	mysql)
		local t
		for t in $(my_sql "$2" "SHOW TABLES"); do
			my_sql "$2" "SHOW CREATE TABLE \`$t\`"
		done
		;;
	sqlite)
		sqlite_sql "${2#sqlite:///}" "SELECT type, name, tbl_name, sql FROM sqlite_master
			ORDER BY type DESC, name"
		;;
	esac
}

HEAD_postgresql="labels	id	integer	t	nextval('tags_id_seq'::regclass)	
labels	user_id	integer	t		
labels	label	character varying(40)	f		
links	a	integer	t		
links	b	integer	t		
migrate_history	id	integer	t	nextval('migrate_history_id_seq'::regclass)	
migrate_history	revision	character varying(32)	t		
migrate_history	direction	character varying(16)	t		
migrate_history	checksum	character varying(64)	f		
migrate_history	applied_at	timestamp without time zone	t		
migrate_history	applied_by	character varying(255)	f		
migrate_history	duration_ms	integer	f		
migrate_history	ops_done	integer	f		
migrate_version	version_num	character varying(32)	t		
orgs	id	integer	t	nextval('orgs_id_seq'::regclass)	
orgs	name	character varying(100)	t		
orgs	created_at	timestamp without time zone	t	CURRENT_TIMESTAMP	
users	id	integer	t	nextval('users_id_seq'::regclass)	
users	org_id	integer	f		
users	email	character varying(320)	t		
users	status	status	t	'new'::status	
users	remark	text	f		free text
users	age	integer	t	0	
labels	fk_tags_user	FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
labels	tags_pkey	PRIMARY KEY (id)
links	pk_links	PRIMARY KEY (a, b)
migrate_history	migrate_history_pkc	PRIMARY KEY (id)
migrate_version	migrate_version_pkc	PRIMARY KEY (version_num)
orgs	orgs_name_key	UNIQUE (name)
orgs	orgs_pkey	PRIMARY KEY (id)
users	uq_users_email_org	UNIQUE (email, org_id)
users	users_org_id_fkey	FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE
users	users_pkey	PRIMARY KEY (id)
ix_users_age	CREATE INDEX ix_users_age ON public.users USING btree (age)
migrate_history_pkc	CREATE UNIQUE INDEX migrate_history_pkc ON public.migrate_history USING btree (id)
migrate_version_pkc	CREATE UNIQUE INDEX migrate_version_pkc ON public.migrate_version USING btree (version_num)
orgs_name_key	CREATE UNIQUE INDEX orgs_name_key ON public.orgs USING btree (name)
orgs_pkey	CREATE UNIQUE INDEX orgs_pkey ON public.orgs USING btree (id)
pk_links	CREATE UNIQUE INDEX pk_links ON public.links USING btree (a, b)
tags_pkey	CREATE UNIQUE INDEX tags_pkey ON public.labels USING btree (id)
uq_users_email_org	CREATE UNIQUE INDEX uq_users_email_org ON public.users USING btree (email, org_id)
users_pkey	CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)
orgs	Organisations
status	new,done,archived"
BASE_postgresql="migrate_history	id	integer	t	nextval('migrate_history_id_seq'::regclass)	
migrate_history	revision	character varying(32)	t		
migrate_history	direction	character varying(16)	t		
migrate_history	checksum	character varying(64)	f		
migrate_history	applied_at	timestamp without time zone	t		
migrate_history	applied_by	character varying(255)	f		
migrate_history	duration_ms	integer	f		
migrate_history	ops_done	integer	f		
migrate_version	version_num	character varying(32)	t		
migrate_history	migrate_history_pkc	PRIMARY KEY (id)
migrate_version	migrate_version_pkc	PRIMARY KEY (version_num)
migrate_history_pkc	CREATE UNIQUE INDEX migrate_history_pkc ON public.migrate_history USING btree (id)
migrate_version_pkc	CREATE UNIQUE INDEX migrate_version_pkc ON public.migrate_version USING btree (version_num)"

MY_TAIL=") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"
MY_HISTORY="migrate_history	CREATE TABLE \`migrate_history\` (\n  \`id\` int(11) NOT NULL AUTO_INCREMENT,\n  \`revision\` varchar(32) NOT NULL,\n  \`direction\` varchar(16) NOT NULL,\n  \`checksum\` varchar(64) DEFAULT NULL,\n  \`applied_at\` datetime NOT NULL,\n  \`applied_by\` varchar(255) DEFAULT NULL,\n  \`duration_ms\` int(11) DEFAULT NULL,\n  \`ops_done\` int(11) DEFAULT NULL,\n  PRIMARY KEY (\`id\`)\n) ENGINE=InnoDB AUTO_INCREMENT=@N@ DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
migrate_version	CREATE TABLE \`migrate_version\` (\n  \`version_num\` varchar(32) NOT NULL,\n  PRIMARY KEY (\`version_num\`)\n$MY_TAIL"
HEAD_mysql="labels	CREATE TABLE \`labels\` (\n  \`id\` int(11) NOT NULL AUTO_INCREMENT,\n  \`user_id\` int(11) NOT NULL,\n  \`label\` varchar(40) DEFAULT NULL,\n  PRIMARY KEY (\`id\`),\n  KEY \`fk_tags_user\` (\`user_id\`),\n  CONSTRAINT \`fk_tags_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE\n$MY_TAIL
links	CREATE TABLE \`links\` (\n  \`a\` int(11) NOT NULL,\n  \`b\` int(11) NOT NULL,\n  PRIMARY KEY (\`a\`,\`b\`)\n$MY_TAIL
${MY_HISTORY/@N@/4}
orgs	CREATE TABLE \`orgs\` (\n  \`id\` int(11) NOT NULL AUTO_INCREMENT,\n  \`name\` varchar(100) NOT NULL,\n  \`created_at\` datetime NOT NULL DEFAULT current_timestamp(),\n  PRIMARY KEY (\`id\`),\n  UNIQUE KEY \`name\` (\`name\`)\n) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='Organisations'
users	CREATE TABLE \`users\` (\n  \`id\` int(11) NOT NULL AUTO_INCREMENT,\n  \`org_id\` int(11) DEFAULT NULL,\n  \`email\` varchar(320) NOT NULL,\n  \`status\` enum('new','done','archived') NOT NULL DEFAULT 'new',\n  \`remark\` text DEFAULT NULL COMMENT 'free text',\n  \`age\` int(11) NOT NULL DEFAULT 0,\n  PRIMARY KEY (\`id\`),\n  UNIQUE KEY \`uq_users_email_org\` (\`email\`,\`org_id\`),\n  KEY \`org_id\` (\`org_id\`),\n  KEY \`ix_users_age\` (\`age\`),\n  CONSTRAINT \`users_ibfk_1\` FOREIGN KEY (\`org_id\`) REFERENCES \`orgs\` (\`id\`) ON DELETE CASCADE\n$MY_TAIL"
BASE_mysql="${MY_HISTORY/@N@/7}"

HEAD_sqlite="table	labels	labels	CREATE TABLE \"labels\" (
	\"id\" INTEGER NOT NULL PRIMARY KEY,
	\"user_id\" INTEGER NOT NULL,
	\"label\" VARCHAR(40),
	CONSTRAINT \"fk_tags_user\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE
)
table	links	links	CREATE TABLE \"links\" (
	\"a\" INTEGER NOT NULL,
	\"b\" INTEGER NOT NULL,
	CONSTRAINT \"pk_links\" PRIMARY KEY (\"a\", \"b\")
)
table	migrate_history	migrate_history	CREATE TABLE \"migrate_history\" (
	\"id\" INTEGER NOT NULL CONSTRAINT \"migrate_history_pkc\" PRIMARY KEY,
	\"revision\" VARCHAR(32) NOT NULL,
	\"direction\" VARCHAR(16) NOT NULL,
	\"checksum\" VARCHAR(64),
	\"applied_at\" TIMESTAMP NOT NULL,
	\"applied_by\" VARCHAR(255),
	\"duration_ms\" INTEGER,
	\"ops_done\" INTEGER
)
table	migrate_version	migrate_version	CREATE TABLE \"migrate_version\" (
	\"version_num\" VARCHAR(32) NOT NULL,
	CONSTRAINT \"migrate_version_pkc\" PRIMARY KEY (\"version_num\")
)
table	orgs	orgs	CREATE TABLE \"orgs\" (
	\"id\" INTEGER NOT NULL PRIMARY KEY,
	\"name\" VARCHAR(100) NOT NULL,
	\"created_at\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE (\"name\")
)
table	users	users	CREATE TABLE \"users\" (
	\"id\" INTEGER NOT NULL PRIMARY KEY,
	\"org_id\" INTEGER,
	\"email\" VARCHAR(320) NOT NULL,
	\"status\" VARCHAR(8) NOT NULL DEFAULT 'new',
	\"remark\" TEXT,
	\"age\" INTEGER NOT NULL DEFAULT 0,
	CONSTRAINT \"uq_users_email_org\" UNIQUE (\"email\", \"org_id\"),
	CONSTRAINT \"status\" CHECK (\"status\" IN ('new', 'done', 'archived')),
	FOREIGN KEY (\"org_id\") REFERENCES \"orgs\" (\"id\") ON DELETE CASCADE
)
index	ix_users_age	users	CREATE INDEX \"ix_users_age\" ON \"users\" (\"age\")
index	sqlite_autoindex_links_1	links	
index	sqlite_autoindex_migrate_version_1	migrate_version	
index	sqlite_autoindex_orgs_1	orgs	
index	sqlite_autoindex_users_1	users	"
BASE_sqlite="table	migrate_history	migrate_history	CREATE TABLE \"migrate_history\" (
	\"id\" INTEGER NOT NULL CONSTRAINT \"migrate_history_pkc\" PRIMARY KEY,
	\"revision\" VARCHAR(32) NOT NULL,
	\"direction\" VARCHAR(16) NOT NULL,
	\"checksum\" VARCHAR(64),
	\"applied_at\" TIMESTAMP NOT NULL,
	\"applied_by\" VARCHAR(255),
	\"duration_ms\" INTEGER,
	\"ops_done\" INTEGER
)
table	migrate_version	migrate_version	CREATE TABLE \"migrate_version\" (
	\"version_num\" VARCHAR(32) NOT NULL,
	CONSTRAINT \"migrate_version_pkc\" PRIMARY KEY (\"version_num\")
)
index	sqlite_autoindex_migrate_version_1	migrate_version	"

for d in postgresql mysql sqlite; do
	url=$(url_of $d migrate_e2e_upgrade)

	run migrate --url "$url" current
	assert_rc 0
	assert_out_eq ""
	run migrate --url "$url" upgrade head
	assert_rc 0
	assert_eq "$UP_ALL" "$(norm "$OUT")" "$d: upgrade head"
	assert_eq "" "$ERR" "$d: upgrade head stderr"
	run migrate --url "$url" current
	assert_out_eq "c3000000000c (head)"
	head=HEAD_$d
	assert_eq "${!head}" "$(catalog $d "$url")" "$d: the schema at head"
	assert_eq "1	Acme!
2	O'Brien & Co" "$(sql_of $d "$url" "SELECT id, name FROM orgs ORDER BY id")" "$d: rows"
	assert_eq "c3000000000c" "$(sql_of $d "$url" "SELECT version_num FROM migrate_version")"

	run migrate --url "$url" downgrade base
	assert_rc 0
	assert_eq "$DOWN_ALL" "$(norm "$OUT")" "$d: downgrade base"
	run migrate --url "$url" current
	assert_rc 0
	assert_out_eq ""
	base=BASE_$d
	assert_eq "${!base}" "$(catalog $d "$url")" "$d: the schema at base"

	# one step at a time
	for want in a1000000000a b2000000000b "c3000000000c (head)"; do
		run migrate -q --url "$url" upgrade +1
		assert_rc 0
		assert_out_eq ""
		run migrate --url "$url" current
		assert_out_eq "$want"
	done
	run migrate --url "$url" upgrade +1
	assert_rc 2
	assert_err_eq "error: relative target '+1' goes past the head: only 0 step(s) up from 'c3000000000c'"
	run migrate --url "$url" downgrade -1
	assert_rc 0
	assert_eq "Running downgrade c3000000000c -> b2000000000b, more ... done (N ms)" \
		"$(norm "$OUT")"
	run migrate --url "$url" current
	assert_out_eq "b2000000000b"
	run migrate --url "$url" downgrade a1000000000a
	assert_rc 0
	assert_eq "Running downgrade b2000000000b -> a1000000000a, alter ... done (N ms)" \
		"$(norm "$OUT")"
	run migrate --url "$url" upgrade b2000000000b
	assert_rc 0
	run migrate --url "$url" downgrade c3000000000c
	assert_rc 2
	assert_err_eq "error: revision 'c3000000000c' is not a valid downgrade target from the current head(s) (b2000000000b)"
	run migrate -q --url "$url" upgrade head
	assert_rc 0
	assert_eq "${!head}" "$(catalog $d "$url" | sed 's/AUTO_INCREMENT=14 /AUTO_INCREMENT=4 /')" \
		"$d: the schema at head again"

	# one history row per step, with the git blob id of the file
	sum_a=$(git hash-object "$V/a1000000000a_schema.yaml")
	sum_c=$(git hash-object "$V/c3000000000c_more.yaml")
	assert_eq "a1000000000a	up	$sum_a	tester	5
c3000000000c	up	$sum_c	tester	10
c3000000000c	down	$sum_c	tester	9
a1000000000a	down	$sum_a	tester	3" \
		"$(sql_of $d "$url" "SELECT revision, direction, checksum,
			substr(applied_by, 1, 6), ops_done FROM migrate_history
			WHERE revision IN ('a1000000000a', 'c3000000000c') ORDER BY id LIMIT 4")" \
		"$d: migrate_history"
	assert_eq "13" "$(sql_of $d "$url" "SELECT count(*) FROM migrate_history")"
done

# ---- a branch and a merge ----
#   a -> b -> c1 (left) -> f
#          \-> c2 (right) -/

cd "$T"
run migrate -q init graph
assert_rc 0
cd graph
G=$T/graph/migrations/versions
rev() {
	cat >"$G/$1_t.yaml" <<EOF
revision: $1
down_revision: $2
branch_labels: [$3]
depends_on: []
message: table $1
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table: {name: t_$1, columns: {id: {type: integer, primary_key: true}}}
downgrade:
  - drop_table: {name: t_$1}
EOF
}
rev a0000000000a null ""
rev b0000000000b a0000000000a ""
rev c1000000000c b0000000000b left
rev c2000000000c b0000000000b right
rev f0000000000f "[c1000000000c, c2000000000c]" ""

tables() {
	case $1 in
	postgresql) pg_sql "$2" "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM
		pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'" ;;
	mysql) my_sql "$2" "SELECT IFNULL(GROUP_CONCAT(table_name ORDER BY table_name SEPARATOR ' '), '')
		FROM information_schema.tables WHERE table_schema = DATABASE()
		AND table_name LIKE 't\\_%'" ;;
	sqlite) sqlite_sql "${2#sqlite:///}" "SELECT group_concat(name, ' ') FROM (SELECT name
		FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\' ORDER BY name)" ;;
	esac
}

for d in postgresql mysql sqlite; do
	url=$(url_of $d migrate_e2e_graph)
	run migrate -q --url "$url" upgrade c1000000000c
	assert_rc 0
	run migrate --url "$url" current
	assert_out_eq "c1000000000c (left)"
	assert_eq "t_a0000000000a t_b0000000000b t_c1000000000c" "$(tables $d "$url")"
	run migrate --url "$url" upgrade c2000000000c
	assert_rc 0
	assert_eq "Running upgrade b0000000000b -> c2000000000c, table c2000000000c ... done (N ms)" \
		"$(norm "$OUT")"
	run migrate --url "$url" current
	assert_out_eq "c1000000000c (left)
c2000000000c (right)"
	run migrate --url "$url" upgrade head
	assert_eq "Running upgrade c1000000000c, c2000000000c -> f0000000000f, table f0000000000f ... done (N ms)" \
		"$(norm "$OUT")"
	run migrate --url "$url" current
	assert_out_eq "f0000000000f (left, right) (head)"
	assert_eq "t_a0000000000a t_b0000000000b t_c1000000000c t_c2000000000c t_f0000000000f" \
		"$(tables $d "$url")"
	run migrate --url "$url" current --format json
	assert_out_eq "[
  {\"revision\": \"f0000000000f\", \"down_revisions\": [\"c1000000000c\", \"c2000000000c\"], \"branch_labels\": [\"left\", \"right\"], \"depends_on\": [], \"message\": \"table f0000000000f\", \"create_date\": \"2026-11-28 10:00:00.000000\", \"path\": \"$G/f0000000000f_t.yaml\", \"is_head\": true, \"is_branch_point\": false, \"is_merge_point\": true}
]"

	# down one step at a time
	run migrate --url "$url" downgrade -1
	assert_rc 2
	assert_err_eq "error: relative target '-1' is ambiguous: 'f0000000000f' is a merge point; use '<id>-N' from one of its down revisions"
	run migrate --url "$url" downgrade c2000000000c
	assert_eq "Running downgrade f0000000000f -> c1000000000c, c2000000000c, table f0000000000f ... done (N ms)" \
		"$(norm "$OUT")"
	run migrate --url "$url" current
	assert_out_eq "c1000000000c (left)
c2000000000c (right)"
	run migrate --url "$url" downgrade right@-1
	assert_eq "Running downgrade c2000000000c -> b0000000000b, table c2000000000c ... done (N ms)" \
		"$(norm "$OUT")"
	run migrate --url "$url" current
	assert_out_eq "c1000000000c (left)"
	assert_eq "t_a0000000000a t_b0000000000b t_c1000000000c" "$(tables $d "$url")"
	for want in b0000000000b a0000000000a ""; do
		run migrate -q --url "$url" downgrade -1
		assert_rc 0
		run migrate --url "$url" current
		assert_out_eq "$want"
	done
	assert_eq "" "$(tables $d "$url")"

	# stamp: the rows only
	run migrate --url "$url" stamp c1000000000c c2000000000c
	assert_rc 0
	assert_out_eq "Stamping <base> -> c1000000000c, c2000000000c"
	run migrate --url "$url" current
	assert_out_eq "c1000000000c (left)
c2000000000c (right)"
	run migrate --url "$url" stamp head
	assert_out_eq "Stamping c1000000000c, c2000000000c -> f0000000000f"
	assert_eq "" "$(tables $d "$url")"
	run migrate --url "$url" stamp base
	assert_out_eq "Stamping f0000000000f -> <base>"
	run migrate --url "$url" current
	assert_out_eq ""
	sql_of $d "$url" "INSERT INTO migrate_version (version_num) VALUES ('dead00000000')"
	run migrate --url "$url" current
	assert_rc 4
	assert_err_eq "error: the database is at revision 'dead00000000', which no revision file defines"
	run migrate --url "$url" stamp head
	assert_rc 4
	assert_err_eq "error: the database is at revision 'dead00000000', which no revision file defines
(stamp --purge replaces the rows without reading them)"
	run migrate --url "$url" stamp --purge left@head
	assert_rc 0
	assert_out_eq "Stamping <purged> -> f0000000000f"
	assert_eq "f0000000000f" "$(sql_of $d "$url" "SELECT version_num FROM migrate_version")"
	assert_eq "c1000000000c	stamp	0
c2000000000c	stamp	0
f0000000000f	stamp	0
base	stamp	0
f0000000000f	stamp	0" "$(sql_of $d "$url" "SELECT revision, direction, ops_done FROM migrate_history
		WHERE direction = 'stamp' ORDER BY id")"
done

# ---- --sql: the script of a range, without connecting ----
sum_b=$(git hash-object "$G/b0000000000b_t.yaml")
run migrate --url sqlite:///nowhere/x.db upgrade --sql a0000000000a:b0000000000b
assert_rc 0
assert_out_eq "PRAGMA foreign_keys = OFF;

BEGIN;

-- Running upgrade a0000000000a -> b0000000000b, table b0000000000b

CREATE TABLE \"t_b0000000000b\" (
	\"id\" INTEGER NOT NULL PRIMARY KEY
);

UPDATE \"migrate_version\" SET \"version_num\" = 'b0000000000b' WHERE \"version_num\" = 'a0000000000a';

INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", \"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES ('b0000000000b', 'up', '$sum_b', CURRENT_TIMESTAMP, NULL, NULL, 1);

COMMIT;

PRAGMA foreign_keys = ON;"
assert_no_file "$T/graph/nowhere"
run migrate --url postgresql://nobody@127.0.0.1:1/none upgrade --sql a0000000000a:b0000000000b
assert_rc 0
assert_out_eq "BEGIN;

-- Running upgrade a0000000000a -> b0000000000b, table b0000000000b

CREATE TABLE \"t_b0000000000b\" (
	\"id\" SERIAL NOT NULL,
	PRIMARY KEY (\"id\")
);

UPDATE \"migrate_version\" SET \"version_num\" = 'b0000000000b' WHERE \"version_num\" = 'a0000000000a';

INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", \"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES ('b0000000000b', 'up', '$sum_b', (now() AT TIME ZONE 'utc'), session_user, NULL, 1);

COMMIT;"
run migrate --url mysql://nobody@127.0.0.1:1/none downgrade --sql b0000000000b:a0000000000a
assert_rc 0
assert_out_eq "-- Running downgrade b0000000000b -> a0000000000a, table b0000000000b

DROP TABLE \`t_b0000000000b\`;

UPDATE \`migrate_version\` SET \`version_num\` = 'a0000000000a' WHERE \`version_num\` = 'b0000000000b';

INSERT INTO \`migrate_history\` (\`revision\`, \`direction\`, \`checksum\`, \`applied_at\`, \`applied_by\`, \`duration_ms\`, \`ops_done\`) VALUES ('b0000000000b', 'down', '$sum_b', UTC_TIMESTAMP(), USER(), NULL, 1);"

# the script from base creates the tables, and runs as it is
url=$(url_of sqlite migrate_e2e_script)
run migrate --url "$url" upgrade --sql heads
assert_rc 0
printf '%s\n' "$OUT" | sqlite3 -bail "${url#sqlite:///}"
run migrate --url "$url" current
assert_out_eq "f0000000000f (left, right) (head)"
assert_eq "t_a0000000000a t_b0000000000b t_c1000000000c t_c2000000000c t_f0000000000f" \
	"$(tables sqlite "$url")"
run migrate --url "$url" downgrade --sql base
assert_rc 2
assert_err_eq "error: downgrade with --sql needs a range 'from:to' (the revision the database is at, and the target)
usage: migrate downgrade TARGET [--sql]"
run migrate --url "$url" upgrade a0000000000a:b0000000000b
assert_rc 2
assert_err_eq "error: a range 'a0000000000a:b0000000000b' needs --sql
usage: migrate upgrade TARGET [--sql]"
run migrate --url "$url" stamp --sql f0000000000f:base
assert_rc 0
assert_out_eq "PRAGMA foreign_keys = OFF;

BEGIN;

-- Stamping f0000000000f -> <base>

DELETE FROM \"migrate_version\" WHERE \"version_num\" = 'f0000000000f';

INSERT INTO \"migrate_history\" (\"revision\", \"direction\", \"checksum\", \"applied_at\", \"applied_by\", \"duration_ms\", \"ops_done\") VALUES ('base', 'stamp', NULL, CURRENT_TIMESTAMP, NULL, NULL, 0);

COMMIT;

PRAGMA foreign_keys = ON;"

# a SQLite script with a table rebuild, applied where foreign keys are
# enforced: it turns enforcement off around its transaction, so the rebuild's
# DROP TABLE does not cascade to the rows that reference the table
cd "$T"
run migrate -q init fkscript
assert_rc 0
cd fkscript
F=$T/fkscript/migrations/versions
cat >"$F/f1000000000f_tables.yaml" <<'EOF'
revision: f1000000000f
down_revision: null
branch_labels: []
depends_on: []
message: tables
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_table: {name: parent, columns: {id: {type: integer, primary_key: true}, name: varchar(10)}}
  - create_table:
      name: child
      columns:
        id: {type: integer, primary_key: true}
        parent_id: {type: integer, references: parent.id, on_delete: cascade}
downgrade:
  - drop_table: {name: child}
  - drop_table: {name: parent}
EOF
cat >"$F/f2000000000f_widen.yaml" <<'EOF'
revision: f2000000000f
down_revision: f1000000000f
branch_labels: []
depends_on: []
message: widen
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - alter_column: {table: parent, column: name, type: varchar(20), existing_type: varchar(10)}
downgrade:
  - alter_column: {table: parent, column: name, type: varchar(10), existing_type: varchar(20)}
EOF
db=$T/fkscript.db
run migrate -q --url "sqlite:///$db" upgrade f1000000000f
assert_rc 0
sqlite_sql "$db" "INSERT INTO parent VALUES (1, 'p'); INSERT INTO child VALUES (10, 1), (11, 1)"
cp "$db" "$T/fkscript-bare.db"
run migrate --url "sqlite:///$db" upgrade --sql f1000000000f:head
assert_rc 0
assert_eq "PRAGMA foreign_keys = OFF;
BEGIN;
-- Running upgrade f1000000000f -> f2000000000f, widen
PRAGMA foreign_keys = OFF;
DROP TABLE \"parent\";
PRAGMA foreign_keys = ON;
COMMIT;
PRAGMA foreign_keys = ON;" "$(printf '%s\n' "$OUT" | grep -E '^(PRAGMA f|BEGIN|COMMIT|--|DROP)')"
printf 'PRAGMA foreign_keys = ON;\n%s\n' "$OUT" >"$T/fkscript.sql"
sqlite3 -bail "$db" <"$T/fkscript.sql"
assert_eq "10	1
11	1" "$(sqlite_sql "$db" "SELECT id, parent_id FROM child ORDER BY id")" "sqlite: the children survive"
assert_eq "VARCHAR(20)" "$(sqlite_sql "$db" "SELECT type FROM pragma_table_info('parent')
	WHERE name = 'name'")"
run migrate --url "sqlite:///$db" current
assert_out_eq "f2000000000f (head)"
# without its first line, the same script loses them
sed '2d' "$T/fkscript.sql" | sqlite3 -bail "$T/fkscript-bare.db"
assert_eq "0" "$(sqlite_sql "$T/fkscript-bare.db" "SELECT count(*) FROM child")"
cd "$T/graph"

# ensure-version: the tables, and nothing else
url=$(url_of sqlite migrate_e2e_ensure)
run migrate --url "$url" ensure-version
assert_rc 0
assert_out_eq "Creating table migrate_version
Creating table migrate_history"
run migrate --url "$url" ensure-version
assert_rc 0
assert_out_eq ""
assert_eq "migrate_history
migrate_version" "$(sqlite_sql "${url#sqlite:///}" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")"
run migrate --url "$url" upgrade
assert_rc 2
assert_err_eq "error: a target revision is required
usage: migrate upgrade TARGET [--sql]"
run migrate --url "$url" upgrade nope
assert_rc 2
assert_err_eq "error: no such revision or branch 'nope'"
run migrate --url "$url" upgrade --bogus head
assert_rc 2
assert_err_eq "error: unknown option '--bogus'
usage: migrate upgrade TARGET [--sql]"

# ---- PostgreSQL: a new enum value, used by the next revision of the run ----
# A value added by ALTER TYPE … ADD VALUE cannot be used before its
# transaction commits ("unsafe use of new value"): the run commits after the
# revision that adds it, and the next revision runs in a new transaction.
cd "$T"
run migrate -q init enums
assert_rc 0
cd enums
E=$T/enums/migrations/versions
cat >"$E/e1000000000e_mood.yaml" <<'EOF'
revision: e1000000000e
down_revision: null
branch_labels: []
depends_on: []
message: mood
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - create_enum: {name: mood, values: [sad, ok]}
  - create_table:
      name: people
      columns:
        id: {type: integer, primary_key: true}
        mood: {type: mood, nullable: false}
downgrade:
  - drop_table: {name: people}
  - drop_enum: {name: mood}
EOF
cat >"$E/e2000000000e_happy.yaml" <<'EOF'
revision: e2000000000e
down_revision: e1000000000e
branch_labels: []
depends_on: []
message: happy
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - add_enum_value: {name: mood, value: happy, after: ok}
downgrade: []
EOF
cat >"$E/e3000000000e_insert.yaml" <<'EOF'
revision: e3000000000e
down_revision: e2000000000e
branch_labels: []
depends_on: []
message: insert
create_date: 2026-11-28 10:00:00.000000
upgrade:
  - bulk_insert: {table: people, rows: [{id: 1, mood: happy}]}
  - create_table: {name: after_insert, columns: {id: {type: integer, primary_key: true}}}
downgrade:
  - drop_table: {name: after_insert}
  - sql: DELETE FROM people WHERE id = 1
EOF
url=$(pg_fresh_db migrate_e2e_enum)
# the type is committed before the run (a type created in the same
# transaction would let its new values be used at once)
run migrate -q --url "$url" upgrade e1000000000e
assert_rc 0
run migrate --url "$url" upgrade head
assert_rc 0
assert_eq "Running upgrade e1000000000e -> e2000000000e, happy ... done (N ms)
Running upgrade e2000000000e -> e3000000000e, insert ... done (N ms)" "$(norm "$OUT")"
assert_eq "" "$ERR"
assert_eq "1	happy" "$(pg_sql "$url" "SELECT id, mood FROM people")"
assert_eq "sad,ok,happy" "$(pg_sql "$url" "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder)
	FROM pg_enum WHERE enumtypid = 'mood'::regtype")"
assert_eq "e3000000000e" "$(pg_sql "$url" "SELECT version_num FROM migrate_version")"
assert_eq "e1000000000e	up	2
e2000000000e	up	1
e3000000000e	up	2" "$(pg_sql "$url" "SELECT revision, direction, ops_done FROM migrate_history
	ORDER BY id")"
# the script commits there too
run migrate --url "$url" upgrade --sql e1000000000e:head
assert_rc 0
assert_eq "BEGIN;
-- Running upgrade e1000000000e -> e2000000000e, happy
ALTER TYPE \"mood\" ADD VALUE 'happy' AFTER 'ok';
COMMIT;
BEGIN;
-- Running upgrade e2000000000e -> e3000000000e, insert
COMMIT;" "$(printf '%s\n' "$OUT" | grep -E '^(BEGIN|COMMIT|--|ALTER)')"

# ---- clean up ----
pg_sql postgres "DROP DATABASE migrate_e2e_upgrade WITH (FORCE)"
pg_sql postgres "DROP DATABASE migrate_e2e_graph WITH (FORCE)"
pg_sql postgres "DROP DATABASE migrate_e2e_enum WITH (FORCE)"
my_sql migrate_e2e_upgrade "DROP DATABASE migrate_e2e_upgrade"
my_sql migrate_e2e_graph "DROP DATABASE migrate_e2e_graph"

pass
