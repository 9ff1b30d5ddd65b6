#!/usr/bin/env bash
# Builds and installs pgvector into the machine's PostgreSQL from Debian's source package.
# Debian bookworm ships no pgvector binary for PostgreSQL 15, but trixie's source package builds
# against it in seconds. Idempotent: does nothing when the extension is already available.
set -euo pipefail

log() { echo "[install-pgvector] $*"; }

pg_major=$(pg_config --version 2>/dev/null | sed -E 's/^PostgreSQL ([0-9]+).*/\1/' || true)
if [ -z "$pg_major" ]; then
  pg_major=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || true)
fi
if [ -z "$pg_major" ]; then
  echo "[install-pgvector] no PostgreSQL server found under /usr/lib/postgresql; install one (apt-get install postgresql) or set TEST_DATABASE_URL" >&2
  exit 1
fi
sharedir="/usr/share/postgresql/$pg_major/extension"
if [ -f "$sharedir/vector.control" ]; then
  log "pgvector already installed for PostgreSQL $pg_major"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "[install-pgvector] pgvector is missing for PostgreSQL $pg_major and installing it needs root: run 'sudo $0'" >&2
  exit 1
fi

log "building pgvector for PostgreSQL $pg_major from Debian's source package"
export DEBIAN_FRONTEND=noninteractive
src_list=/etc/apt/sources.list.d/podflow-trixie-src.sources
if [ ! -f "$src_list" ]; then
  cat > "$src_list" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$pg_major" make gcc dpkg-dev >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source -qq pgvector >/dev/null 2>&1 || apt-get source pgvector
cd "$(find . -maxdepth 1 -type d -name 'pgvector-*' | head -1)"
make -s PG_CONFIG="/usr/lib/postgresql/$pg_major/bin/pg_config" >/dev/null
make -s PG_CONFIG="/usr/lib/postgresql/$pg_major/bin/pg_config" install >/dev/null
log "pgvector installed for PostgreSQL $pg_major"
