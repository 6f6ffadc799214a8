#!/usr/bin/env bash
# Starts throwaway PostgreSQL and Redis servers on loopback for the
# multi-instance tests, and prints the URLs to export. Debian packages:
#   apt-get install -y postgresql redis-server
# Usage: eval "$(scripts/services.sh start)"   …   scripts/services.sh stop
set -euo pipefail
dir=${CTFG_SERVICES_DIR:-/tmp/ctfg-services}
pg_port=${CTFG_PG_PORT:-54329}
redis_port=${CTFG_REDIS_PORT:-63799}

pg_bin() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$v" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }
  echo "/usr/lib/postgresql/$v/bin"
}

as_pg() {
  # initdb refuses to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  command -v redis-server >/dev/null || { echo "Redis is not installed (apt-get install -y redis-server)" >&2; exit 1; }
  local bin; bin=$(pg_bin)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/pg" -U ctfg --auth=trust >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
      -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  fi
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --logfile "$dir/redis.log" >/dev/null
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "export CTFG_TEST_POSTGRES_URL=postgres://ctfg@127.0.0.1:$pg_port/postgres"
  echo "export CTFG_TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
}

stop() {
  local bin; bin=$(pg_bin)
  as_pg "$bin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
