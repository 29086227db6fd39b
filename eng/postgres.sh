#!/usr/bin/env bash
# Installs (from Debian packages), starts and stops the local PostgreSQL server the EF Core store tests use.
#   eng/postgres.sh          install if missing, start the cluster on 127.0.0.1:5432, create role entrasync
#   eng/postgres.sh stop     stop the cluster
# Idempotent: running it twice is harmless. Needs root (CI and the dev machines run as root).
# The tests read ENTRASYNC_POSTGRES (default Host=127.0.0.1;Port=5432;Username=entrasync;Password=entrasync;Database=postgres).
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

cluster_version() {
  # The newest installed server version (Debian keeps one directory per major version).
  ls -1 /usr/lib/postgresql 2>/dev/null | sort -n | tail -1
}

run_as_postgres() {
  if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}

stop() {
  local version
  version=$(cluster_version)
  if [[ -n "$version" ]] && pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
    pg_ctlcluster "$version" main stop
    log "PostgreSQL $version stopped"
  fi
}

start() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$(cluster_version)" ]]; then
    if [[ $(id -u) -ne 0 ]]; then log "PostgreSQL is not installed and installing it needs root"; exit 1; fi
    log "installing PostgreSQL from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
  fi

  local version
  version=$(cluster_version)
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main"' | grep -q .; then
    pg_createcluster "$version" main >/dev/null
  fi

  # Loopback only, with password authentication for TCP (the Debian default for host lines is scram-sha-256).
  local conf="/etc/postgresql/$version/main/postgresql.conf"
  if ! grep -q "^listen_addresses = '127.0.0.1'" "$conf"; then
    echo "listen_addresses = '127.0.0.1'" >> "$conf"
  fi

  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
    pg_ctlcluster "$version" main start
  fi

  # Wait until it accepts connections (a fresh start takes a moment).
  for _ in $(seq 1 60); do
    if run_as_postgres psql -qtAc "select 1" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done

  if [[ "$(run_as_postgres psql -qtAc "select 1 from pg_roles where rolname = 'entrasync'")" != "1" ]]; then
    run_as_postgres psql -qc "create role entrasync login createdb password 'entrasync'" >/dev/null
  fi

  log "PostgreSQL $version running on 127.0.0.1:5432 (role entrasync)"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) log "usage: eng/postgres.sh [start|stop]"; exit 2 ;;
esac
