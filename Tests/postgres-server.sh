#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 only, in a
# temporary folder, on a free port.
#
#   eval "$(Tests/postgres-server.sh start)"   # exports SIS_SYNC_TEST_POSTGRESQL (the URL)
#                                              # and SIS_SYNC_TEST_POSTGRESQL_FOLDER
#   Tests/postgres-server.sh stop [FOLDER]     # stops it and removes the folder
#
# initdb refuses root: as root the cluster runs as the user postgres.
# fsync is off (tests need no durability) unless SIS_SYNC_TEST_POSTGRESQL_FSYNC=on
# (Benchmarks/postgresql.sh).
set -euo pipefail

pgbin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres-server: no PostgreSQL server here (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$bin"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local bin folder port attempt
  bin=$(pgbin)
  folder=$(mktemp -d /tmp/sis-sync-postgres.XXXXXX)
  chmod 700 "$folder"
  [ "$(id -u)" = 0 ] && chown postgres "$folder"
  as_owner "$bin/initdb" -D "$folder/data" -A trust -U sis -E UTF8 --no-sync >"$folder/initdb.log" 2>&1 || {
    cat "$folder/initdb.log" >&2
    exit 1
  }
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    port_is_free "$port" || continue
    if as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/log" -w -t 30 start \
      -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=${SIS_SYNC_TEST_POSTGRESQL_FSYNC:-off} -c max_connections=200" >/dev/null; then
      echo "export SIS_SYNC_TEST_POSTGRESQL=postgresql://sis@127.0.0.1:$port/postgres"
      echo "export SIS_SYNC_TEST_POSTGRESQL_FOLDER=$folder"
      return 0
    fi
  done
  echo "postgres-server: could not start a cluster (log: $folder/log)" >&2
  exit 1
}

stop() {
  local folder=${1:-${SIS_SYNC_TEST_POSTGRESQL_FOLDER:-}}
  if [ -z "$folder" ] || [ ! -d "$folder/data" ]; then
    echo "postgres-server: no cluster folder given" >&2
    exit 1
  fi
  as_owner "$(pgbin)/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: Tests/postgres-server.sh start|stop [FOLDER]" >&2
    exit 2
    ;;
esac
