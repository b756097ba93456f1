#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 only, in a
# temporary folder, on a free port.
#
#   eval "$(Tests/postgres-server.sh start)"   # exports SIS_SYNC_TEST_POSTGRESQL (the URL)
#                                              # and SIS_SYNC_TEST_POSTGRESQL_FOLDER
#   Tests/postgres-server.sh stop [FOLDER]     # stops it and removes the folder
#   Tests/postgres-server.sh restart FOLDER    # starts it again on its port (after a crash test killed it)
#
# Every role but one is trusted on loopback; the role sis_pw must give the
# password sis-pw-test-only (scram-sha-256), for the authentication tests.
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

run_server() {
  as_owner "$1/pg_ctl" -D "$2/data" -l "$2/log" -w -t 30 start \
    -o "-p $3 -k $2 -c listen_addresses=127.0.0.1 -c fsync=${SIS_SYNC_TEST_POSTGRESQL_FSYNC:-off} -c max_connections=200" >/dev/null
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
  # The first matching line wins: the password line goes before the trust lines.
  printf 'host all sis_pw 127.0.0.1/32 scram-sha-256\n%s\n' "$(cat "$folder/data/pg_hba.conf")" \
    >"$folder/data/pg_hba.conf.new"
  mv "$folder/data/pg_hba.conf.new" "$folder/data/pg_hba.conf"
  [ "$(id -u)" = 0 ] && chown postgres "$folder/data/pg_hba.conf"
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    port_is_free "$port" || continue
    if run_server "$bin" "$folder" "$port"; then
      echo "$port" >"$folder/port"
      "$bin/psql" "postgresql://sis@127.0.0.1:$port/postgres" -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE sis_pw LOGIN PASSWORD 'sis-pw-test-only'" >/dev/null
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

restart() {
  local folder=${1:-} attempt
  if [ -z "$folder" ] || [ ! -f "$folder/port" ]; then
    echo "postgres-server: no cluster folder given" >&2
    exit 1
  fi
  # A killed postmaster may stay a zombie until it is reaped, and its pid
  # in postmaster.pid and the socket's lock file then stops the new one:
  # wait, and a zombie is dead.
  local old
  old=$(head -1 "$folder/data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$old" ]; then
    for attempt in $(seq 1 50); do
      [ -e "/proc/$old" ] || break
      if [ "$(awk '{print $3}' "/proc/$old/stat" 2>/dev/null)" = Z ]; then
        rm -f "$folder/data/postmaster.pid" "$folder/.s.PGSQL.$(cat "$folder/port").lock"
        break
      fi
      sleep 0.1
    done
  fi
  run_server "$(pgbin)" "$folder" "$(cat "$folder/port")" || {
    echo "postgres-server: could not restart the cluster (log: $folder/log)" >&2
    exit 1
  }
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  restart) restart "${2:-}" ;;
  *)
    echo "usage: Tests/postgres-server.sh start | stop [FOLDER] | restart FOLDER" >&2
    exit 2
    ;;
esac
