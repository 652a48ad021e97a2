# shellcheck shell=bash
# Throwaway PostgreSQL and MariaDB servers for the tests. Sourced by
# scripts/test and scripts/test-servers.
#
#   mig_servers_start DIR   start both servers with their data, sockets and logs
#                           in DIR; sets and exports the MIGRATE_TEST_* variables
#                           and writes them to DIR/env as export lines
#   mig_servers_stop DIR    stop whatever of them runs from DIR, by PID
#
# Both listen on 127.0.0.1 only, on random free ports, with throwaway settings
# (fsync off). A missing server binary is an error: the tests never skip a
# database because the machine lacks it.

MIG_SERVERS_TIMEOUT=${MIG_SERVERS_TIMEOUT:-60}

mig_servers_log() {
	printf 'test-servers: %s\n' "$*" >&2
}

# Prints the last lines of a log file to stderr, for a failed start.
mig_servers_log_tail() {
	if [[ -f $1 ]]; then
		echo "---- last lines of $1 ----" >&2
		tail -n 40 "$1" >&2
		echo "----" >&2
	fi
}

# True when something listens on 127.0.0.1:PORT (or any address on that port).
mig_port_in_use() {
	local port=$1
	if command -v ss >/dev/null 2>&1; then
		[[ -n $(ss -Htln "sport = :$port" 2>/dev/null) ]] && return 0
	fi
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Prints a free TCP port below the kernel's ephemeral range (32768 and up), so
# that it cannot collide with the local end of an outgoing connection.
mig_free_port() {
	local port i
	for ((i = 0; i < 100; i++)); do
		port=$((20000 + RANDOM % 12000))
		if ! mig_port_in_use "$port"; then
			echo "$port"
			return 0
		fi
	done
	mig_servers_log "no free port found between 20000 and 32000"
	return 1
}

# True while PID names a live process (a zombie counts as gone).
mig_pid_alive() {
	local pid=$1 state
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)
	[[ $state != Z ]]
}

# Sends SIGTERM to PID and waits for it to exit; SIGKILL after the timeout.
# SIGTERM is sent again every two seconds: a server that is still starting
# may not have its handler in place yet and lose the first one.
mig_kill_wait() {
	local pid=$1 what=$2 i
	mig_pid_alive "$pid" || return 0
	for ((i = 0; i < MIG_SERVERS_TIMEOUT * 10; i++)); do
		if ((i % 20 == 0)); then
			kill -TERM "$pid" 2>/dev/null || true
		fi
		if ((i == 100)); then
			mig_servers_log "waiting for $what (pid $pid) to stop"
		fi
		mig_pid_alive "$pid" || return 0
		sleep 0.1
	done
	mig_servers_log "$what (pid $pid) did not stop after ${MIG_SERVERS_TIMEOUT}s: killing it"
	kill -KILL "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		mig_pid_alive "$pid" || return 0
		sleep 0.1
	done
	mig_servers_log "$what (pid $pid) is still running"
	return 1
}

# ---- PostgreSQL ----

# The bin folder of the PostgreSQL server: 15 (Debian 12's) when present,
# else the newest installed; $MIGRATE_PG_BINDIR overrides.
mig_pg_bindir() {
	local d
	if [[ -n ${MIGRATE_PG_BINDIR:-} ]]; then
		echo "$MIGRATE_PG_BINDIR"
		return 0
	fi
	if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
		echo /usr/lib/postgresql/15/bin
		return 0
	fi
	d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	if [[ -n $d && -x $d/initdb ]]; then
		echo "$d"
		return 0
	fi
	return 1
}

# Sets MIG_AS_PG to the prefix that runs a command as the owner of the
# PostgreSQL data: runuser -u postgres when we are root (initdb and postgres
# refuse to run as root), else nothing. A prefix rather than a function, so
# that redirections apply to the command alone: a trap that runs meanwhile
# prints to the script's own stdout and stderr, not into a log file.
mig_as_pg_prefix() {
	MIG_AS_PG=()
	if [[ $(id -u) == 0 ]]; then
		MIG_AS_PG=(runuser -u postgres --)
	fi
}

mig_pg_start() {
	local dir=$1 bin port attempt
	if ! bin=$(mig_pg_bindir) || [[ ! -x $bin/initdb || ! -x $bin/pg_ctl ]]; then
		mig_servers_log "PostgreSQL server not found (no initdb and pg_ctl in" \
			"${bin:-/usr/lib/postgresql/*/bin}): install the postgresql package"
		return 1
	fi
	mkdir -p "$dir/pg"
	if [[ $(id -u) == 0 ]]; then
		if ! id postgres >/dev/null 2>&1; then
			mig_servers_log "user 'postgres' not found: install the postgresql package"
			return 1
		fi
		chown postgres: "$dir/pg"
		if ! runuser -u postgres -- test -w "$dir/pg"; then
			mig_servers_log "user postgres cannot reach '$dir/pg': every parent folder must be" \
				"searchable by others (chmod 755)"
			return 1
		fi
	fi
	mig_servers_log "initdb $dir/pg/data"
	mig_as_pg_prefix
	if ! "${MIG_AS_PG[@]}" "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1; then
		mig_servers_log "initdb failed"
		mig_servers_log_tail "$dir/pg/initdb.log"
		return 1
	fi
	for ((attempt = 1; attempt <= 5; attempt++)); do
		port=$(mig_free_port) || return 1
		mig_servers_log "starting PostgreSQL on 127.0.0.1:$port"
		if LC_ALL=C.UTF-8 "${MIG_AS_PG[@]}" "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w \
			-t "$MIG_SERVERS_TIMEOUT" -o "-p $port -k '$dir/pg' -c listen_addresses=127.0.0.1 \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
			start >"$dir/pg/pg_ctl.log" 2>&1; then
			MIGRATE_TEST_PG_PORT=$port
			MIGRATE_TEST_PG_SOCKET_DIR=$dir/pg
			MIGRATE_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/postgres
			export MIGRATE_TEST_PG_PORT MIGRATE_TEST_PG_SOCKET_DIR MIGRATE_TEST_PG_URL
			return 0
		fi
		# Another process took the port between the check and the bind: retry.
		if grep -qi 'address already in use' "$dir/pg/log" 2>/dev/null; then
			mig_servers_log "port $port was taken meanwhile; retrying"
			mig_pg_stop "$dir"
			continue
		fi
		break
	done
	mig_servers_log "PostgreSQL did not start"
	mig_servers_log_tail "$dir/pg/pg_ctl.log"
	mig_servers_log_tail "$dir/pg/log"
	mig_pg_stop "$dir"
	return 1
}

mig_pg_stop() {
	local dir=$1 bin pid
	[[ -f $dir/pg/data/postmaster.pid ]] || return 0
	pid=$(head -n 1 "$dir/pg/data/postmaster.pid" 2>/dev/null || true)
	mig_pid_alive "$pid" || return 0
	if bin=$(mig_pg_bindir); then
		mig_as_pg_prefix
		"${MIG_AS_PG[@]}" "$bin/pg_ctl" -D "$dir/pg/data" -m fast -w -t "$MIG_SERVERS_TIMEOUT" stop \
			>>"$dir/pg/pg_ctl.log" 2>&1 || true
	fi
	mig_kill_wait "$pid" "postgres"
}

# ---- MariaDB ----

mig_my_start() {
	local dir=$1 port attempt pid i cmd state sock log_lines user_opt=()
	for cmd in mariadb-install-db mariadbd mariadb-admin mariadb; do
		if ! command -v "$cmd" >/dev/null 2>&1; then
			mig_servers_log "$cmd not found: install the mariadb-server package"
			return 1
		fi
	done
	if [[ $(id -u) == 0 ]]; then
		user_opt=(--user=root)
	fi
	mkdir -p "$dir/my"
	mig_servers_log "mariadb-install-db $dir/my/data"
	if ! mariadb-install-db --datadir="$dir/my/data" "${user_opt[@]}" \
		--auth-root-authentication-method=normal >"$dir/my/install.log" 2>&1; then
		mig_servers_log "mariadb-install-db failed"
		mig_servers_log_tail "$dir/my/install.log"
		return 1
	fi
	for ((attempt = 1; attempt <= 5; attempt++)); do
		port=$(mig_free_port) || return 1
		mig_servers_log "starting MariaDB on 127.0.0.1:$port"
		rm -f "$dir/my/pid" "$dir/my/launch.pid"
		log_lines=0
		if [[ -f $dir/my/mariadbd.log ]]; then
			log_lines=$(wc -l <"$dir/my/mariadbd.log")
		fi
		# In a session of its own, so that a Ctrl-C in the terminal reaches the
		# script, whose trap stops the server by PID, and not mariadbd: one
		# that gets SIGINT while starting ignores the SIGTERM that follows.
		# setsid runs mariadbd in its own process, or forks and waits for it
		# (-w) when it has to; either way $! is alive while mariadbd is, and
		# the pid file names mariadbd itself.
		# Its own tmpdir: temporary tables must not live where other programs
		# clean up (/tmp).
		mkdir -p "$dir/my/tmp"
		setsid -w mariadbd --datadir="$dir/my/data" --socket="$dir/my/sock" --port="$port" \
			--tmpdir="$dir/my/tmp" \
			--bind-address=127.0.0.1 "${user_opt[@]}" --pid-file="$dir/my/pid" \
			--log-error="$dir/my/mariadbd.log" --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
			--max-connections=300 --character-set-server=utf8mb4 \
			--collation-server=utf8mb4_general_ci \
			</dev/null >>"$dir/my/mariadbd.log" 2>&1 &
		pid=$!
		echo "$pid" >"$dir/my/launch.pid"
		state=timeout
		for ((i = 0; i < MIG_SERVERS_TIMEOUT * 5; i++)); do
			if ! mig_pid_alive "$pid"; then
				state=died
				break
			fi
			if mariadb-admin --protocol=tcp -h 127.0.0.1 -P "$port" -uroot --connect-timeout=2 \
				status >/dev/null 2>&1; then
				# Another server may hold the port and answer before ours fails
				# to bind it: make sure the answer comes from ours.
				sock=$(mariadb --protocol=tcp -h 127.0.0.1 -P "$port" -uroot -N -B \
					-e 'SELECT @@socket' 2>/dev/null || true)
				if [[ $sock == "$dir/my/sock" ]] && mig_pid_alive "$pid"; then
					MIGRATE_TEST_MYSQL_PORT=$port
					MIGRATE_TEST_MYSQL_SOCKET=$dir/my/sock
					MIGRATE_TEST_MYSQL_URL=mysql://root@127.0.0.1:$port/mysql
					export MIGRATE_TEST_MYSQL_PORT MIGRATE_TEST_MYSQL_SOCKET \
						MIGRATE_TEST_MYSQL_URL
					return 0
				fi
				state=taken
				break
			fi
			sleep 0.2
		done
		if [[ $state == died ]] && tail -n "+$((log_lines + 1))" "$dir/my/mariadbd.log" |
			grep -qiE 'address already in use|bind on tcp/ip port'; then
			state=taken
		fi
		if [[ $state == taken ]]; then
			mig_servers_log "port $port was taken meanwhile; retrying"
			mig_my_stop "$dir"
			continue
		fi
		break
	done
	if [[ $state == died ]]; then
		mig_servers_log "MariaDB exited while starting"
	else
		mig_servers_log "MariaDB did not start within ${MIG_SERVERS_TIMEOUT}s"
	fi
	mig_servers_log_tail "$dir/my/mariadbd.log"
	mig_my_stop "$dir"
	return 1
}

# Waits until the mariadbd of DIR answers on its socket, or PID is gone.
# mariadbd 10.11 can hang for good when SIGTERM arrives in a window of its
# startup, so it is only stopped once it is up.
mig_my_wait_ready() {
	local dir=$1 pid=$2 i
	for ((i = 0; i < MIG_SERVERS_TIMEOUT * 5; i++)); do
		mig_pid_alive "$pid" || return 0
		if mariadb-admin --socket="$dir/my/sock" -uroot --connect-timeout=1 ping \
			>/dev/null 2>&1; then
			return 0
		fi
		if ((i == 25)); then
			mig_servers_log "waiting for mariadbd (pid $pid) to finish starting before stopping it"
		fi
		sleep 0.2
	done
}

mig_my_stop() {
	local dir=$1 pid child f
	for f in "$dir/my/pid" "$dir/my/launch.pid"; do
		[[ -f $f ]] || continue
		pid=$(head -n 1 "$f" 2>/dev/null || true)
		mig_pid_alive "$pid" || continue
		mig_my_wait_ready "$dir" "$pid"
		# launch.pid may name a setsid that forked mariadbd: stop the child first.
		if [[ $f == */launch.pid ]]; then
			for child in $(pgrep -P "$pid" 2>/dev/null || true); do
				mig_kill_wait "$child" "mariadbd" || return 1
			done
		fi
		mig_kill_wait "$pid" "mariadbd" || return 1
	done
}

# ---- both ----

mig_servers_start() {
	local dir=$1
	if [[ $dir != /* ]]; then
		dir=$PWD/$dir
	fi
	if [[ -e $dir/pg || -e $dir/my ]]; then
		mig_servers_log "'$dir' already holds servers: stop them and use a new folder"
		return 1
	fi
	mkdir -p "$dir"
	chmod 755 "$dir"
	if ! mig_pg_start "$dir"; then
		return 1
	fi
	if ! mig_my_start "$dir"; then
		mig_pg_stop "$dir"
		return 1
	fi
	local env
	env=$(mig_servers_env)
	printf '%s\n' "$env" >"$dir/env"
	mig_servers_log "PostgreSQL on port $MIGRATE_TEST_PG_PORT, MariaDB on port" \
		"$MIGRATE_TEST_MYSQL_PORT"
}

# Prints the MIGRATE_TEST_* variables as export lines for eval.
mig_servers_env() {
	local v
	for v in MIGRATE_TEST_PG_URL MIGRATE_TEST_PG_PORT MIGRATE_TEST_PG_SOCKET_DIR \
		MIGRATE_TEST_MYSQL_URL MIGRATE_TEST_MYSQL_PORT MIGRATE_TEST_MYSQL_SOCKET; do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
}

mig_servers_stop() {
	local dir=$1 rc=0
	if [[ $dir != /* ]]; then
		dir=$PWD/$dir
	fi
	mig_my_stop "$dir" || rc=1
	mig_pg_stop "$dir" || rc=1
	return "$rc"
}
