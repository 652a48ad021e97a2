# shellcheck shell=bash
# Installs the Debian packages that building and testing migrate need.
# Sourced by scripts/test and scripts/demo; call mig_deps_ensure.
#
# Only missing packages are installed, and apt-get runs only when something
# is missing, so a machine that has everything pays one dpkg query per package.

MIG_DEPS_PACKAGES=(
	# build
	meson ninja-build pkg-config gcc libc6-dev
	libpq-dev default-libmysqlclient-dev libsqlite3-dev libyaml-dev libgit2-dev libinih-dev
	libcmocka-dev
	# the databases the tests run against, and their own command-line tools
	postgresql postgresql-client mariadb-server mariadb-client sqlite3
	# what the scripts and tests call: git (checksums, --base), ss (free ports),
	# ps/kill (procps), diff (assertions), runuser/setsid (util-linux), python3
	# (reading meson's test log), valgrind
	git iproute2 procps diffutils findutils util-linux python3 valgrind
)

# Prints the packages of MIG_DEPS_PACKAGES that are not installed, one a line.
mig_deps_missing() {
	local p status
	for p in "${MIG_DEPS_PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		if [[ $status != "install ok installed" ]]; then
			printf '%s\n' "$p"
		fi
	done
}

# Installs whatever is missing. As root it runs apt-get; otherwise it prints
# the command to run and exits 2.
mig_deps_ensure() {
	local missing
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "deps: dpkg-query not found: this script installs packages on Debian only;" \
			"install the equivalent of: ${MIG_DEPS_PACKAGES[*]}" >&2
		exit 2
	fi
	mapfile -t missing < <(mig_deps_missing)
	if ((${#missing[@]} == 0)); then
		return 0
	fi
	if [[ $(id -u) != 0 ]]; then
		echo "deps: missing packages: ${missing[*]}" >&2
		echo "deps: install them with:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 2
	fi
	echo "deps: installing ${missing[*]}" >&2
	# Wait for a dpkg lock held by another apt run instead of failing at once.
	apt-get -o DPkg::Lock::Timeout=300 update >&2
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
		--no-install-recommends "${missing[@]}" >&2
	mapfile -t missing < <(mig_deps_missing)
	if ((${#missing[@]} != 0)); then
		echo "deps: still missing after apt-get install: ${missing[*]}" >&2
		exit 2
	fi
}
