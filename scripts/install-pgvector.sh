#!/usr/bin/env bash
# Install pgvector into the running local PostgreSQL from Debian's own packages.
#
#   sudo scripts/install-pgvector.sh
#
# For Debian/Ubuntu machines whose PostgreSQL comes from the distribution and which have no
# `postgresql-NN-pgvector` package (that package, from apt.postgresql.org (PGDG) or a newer
# distribution, is the usual route: use it when you can). This script:
#   1. asks the running server whether the `vector` extension is available: if so, exits 0 at once;
#   2. apt-installs postgresql-server-dev-<major> (the major the running server reports) and build tools;
#   3. adds a source-only (`Types: deb-src`) entry for Debian's `trixie` suite, and `apt-get source pgvector`
#      (0.8.0-1 builds against PostgreSQL 15);
#   4. builds it with that major's pg_config and `make install`s it into the server's directories.
# No server restart is needed: `CREATE EXTENSION vector` works in any database afterwards.
#
# Connection: the usual libpq variables, defaulting to PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres.
# Optional: PGVECTOR_SOURCE_VERSION=0.8.0-1 (pin the Debian source version), PGVECTOR_SUITE=trixie,
#           PGVECTOR_MIRROR=http://deb.debian.org/debian, KEEP_BUILD_DIR=1 (keep the build directory).
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
SUITE="${PGVECTOR_SUITE:-trixie}"
MIRROR="${PGVECTOR_MIRROR:-http://deb.debian.org/debian}"
SOURCES_FILE="/etc/apt/sources.list.d/pgvector-${SUITE}-src.sources"

say() { printf '[install-pgvector] %s\n' "$*"; }
die() { printf '[install-pgvector] error: %s\n' "$*" >&2; exit 1; }

command -v psql >/dev/null || die "psql not found: install the PostgreSQL client (postgresql-client-NN)"

psql_q() { psql -X -q -t -A -d postgres -v ON_ERROR_STOP=1 -c "$1"; }

if ! server_version_num="$(psql_q 'SHOW server_version_num' 2>&1)"; then
  die "cannot reach PostgreSQL at ${PGUSER}@${PGHOST}:${PGPORT} (${server_version_num}); start it first, e.g. pg_ctlcluster <major> main start"
fi

vector_available() {
  [ "$(psql_q "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")" != "0" ]
}

if vector_available; then
  say "pgvector already available in PostgreSQL at ${PGHOST}:${PGPORT} ($(psql_q "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'")): nothing to do"
  exit 0
fi

major=$(( server_version_num / 10000 ))
[ "$major" -ge 10 ] || die "unsupported PostgreSQL version ${server_version_num}"
say "PostgreSQL ${major} at ${PGHOST}:${PGPORT} has no vector extension: building Debian's pgvector source package for it"

[ -r /etc/debian_version ] && command -v apt-get >/dev/null \
  || die "this script needs a Debian/Ubuntu system with apt (elsewhere, see https://github.com/pgvector/pgvector#installation)"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "run as root (apt-get and make install need it)"
  SUDO="sudo"
fi

# The extension must land where *this* server loads it from, so the server must be a local Debian
# package (postgresql-<major>), whose pg_config comes with postgresql-server-dev-<major>.
dpkg-query -W -f='${Status}' "postgresql-${major}" 2>/dev/null | grep -q 'install ok installed' \
  || die "package postgresql-${major} is not installed here: is ${PGHOST}:${PGPORT} a local Debian PostgreSQL?"

# 1. Source-only apt entry for the suite that carries pgvector (never used for binary packages).
if [ ! -f "$SOURCES_FILE" ]; then
  say "adding source-only apt entry ${SOURCES_FILE} (Types: deb-src, Suites: ${SUITE})"
  $SUDO tee "$SOURCES_FILE" >/dev/null <<EOF
# Added by scripts/install-pgvector.sh: sources only (apt-get source pgvector), no binary packages.
Types: deb-src
URIs: ${MIRROR}
Suites: ${SUITE}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
else
  say "source-only apt entry ${SOURCES_FILE} already present"
fi

say "apt-get update"
$SUDO apt-get update -qq

# 2. Headers and pg_config for the running major, and the build tools.
say "installing postgresql-server-dev-${major} and build tools"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 \
  "postgresql-server-dev-${major}" build-essential dpkg-dev ca-certificates

PG_CONFIG="/usr/lib/postgresql/${major}/bin/pg_config"
[ -x "$PG_CONFIG" ] || die "${PG_CONFIG} missing after installing postgresql-server-dev-${major}"
[ "$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')" = "$major" ] \
  || die "${PG_CONFIG} is not PostgreSQL ${major}: $("$PG_CONFIG" --version)"

# 3. Debian's pgvector source package.
build_dir="$(mktemp -d /tmp/pgvector-build.XXXXXX)"
cleanup() { if [ "${KEEP_BUILD_DIR:-0}" = "1" ]; then say "build directory kept: ${build_dir}"; else rm -rf "$build_dir"; fi; }
trap cleanup EXIT
# apt downloads as the unprivileged _apt user when it can write to the directory (no "unsandboxed" warning).
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$build_dir"; fi
spec="pgvector${PGVECTOR_SOURCE_VERSION:+=${PGVECTOR_SOURCE_VERSION}}"
say "apt-get source ${spec} (in ${build_dir})"
(cd "$build_dir" && apt-get source -qq "$spec") \
  || die "apt-get source ${spec} failed: is ${MIRROR} ${SUITE} reachable?"
src_dir="$(find "$build_dir" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
[ -n "$src_dir" ] || die "no unpacked pgvector source in ${build_dir}"

# 4. Build and install. OPTFLAGS= as Debian's own build does: no -march=native, so the installed
#    library keeps working if this machine's image moves to another CPU model.
jobs="$(nproc 2>/dev/null || echo 1)"
say "building $(basename "$src_dir") with ${PG_CONFIG}"
make -C "$src_dir" -s -j"$jobs" PG_CONFIG="$PG_CONFIG" OPTFLAGS=""
say "installing into $("$PG_CONFIG" --pkglibdir) and $("$PG_CONFIG" --sharedir)/extension"
$SUDO make -C "$src_dir" -s install PG_CONFIG="$PG_CONFIG" OPTFLAGS=""

vector_available || die "make install finished but the server still does not list the vector extension"
say "done: vector $(psql_q "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'") is available (CREATE EXTENSION vector)"
