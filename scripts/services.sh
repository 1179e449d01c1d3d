#!/usr/bin/env bash
# Start or stop the local services the test suite uses (MariaDB, Redis) without systemd.
# Usage: scripts/services.sh start|stop [STATE_DIR]
# Everything lives under STATE_DIR (default .ci-state); processes are stopped by PID only.
set -euo pipefail
action=${1:?usage: services.sh start|stop [STATE_DIR]}
state=$(realpath -m "${2:-.ci-state}")
db_dir=$state/mariadb
sock=$state/mariadb.sock
db_pid=$state/mariadb.pid
redis_pid=$state/redis.pid
db_port=${JURISGRAPH_TEST_MARIADB_PORT:-3306}
redis_port=${JURISGRAPH_TEST_REDIS_PORT:-6379}

start_mariadb() {
  if [ -f "$db_pid" ] && kill -0 "$(cat "$db_pid")" 2>/dev/null; then return; fi
  mkdir -p "$state"
  if [ ! -d "$db_dir/mysql" ]; then
    rm -rf "$db_dir"; mkdir -p "$db_dir"; chown -R mysql:mysql "$db_dir"
    mariadb-install-db --user=mysql --datadir="$db_dir" --auth-root-authentication-method=socket \
      --skip-test-db >"$state/mariadb-install.log" 2>&1
  fi
  chown -R mysql:mysql "$state"
  mariadbd --no-defaults --user=mysql --datadir="$db_dir" --socket="$sock" --pid-file="$db_pid" \
    --bind-address=127.0.0.1 --port="$db_port" --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci --skip-log-bin >"$state/mariadb.log" 2>&1 &
  for _ in $(seq 1 120); do
    if mariadb-admin --socket="$sock" -uroot ping >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  mariadb-admin --socket="$sock" -uroot ping >/dev/null
  mariadb --socket="$sock" -uroot <<SQL
CREATE USER IF NOT EXISTS 'jurisgraph'@'localhost' IDENTIFIED BY 'jurisgraph-test';
CREATE USER IF NOT EXISTS 'jurisgraph'@'127.0.0.1' IDENTIFIED BY 'jurisgraph-test';
GRANT ALL PRIVILEGES ON *.* TO 'jurisgraph'@'localhost';
GRANT ALL PRIVILEGES ON *.* TO 'jurisgraph'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
}

start_redis() {
  if [ -f "$redis_pid" ] && kill -0 "$(cat "$redis_pid")" 2>/dev/null; then return; fi
  mkdir -p "$state"
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save '' --appendonly no \
    --pidfile "$redis_pid" --logfile "$state/redis.log"
  for _ in $(seq 1 50); do
    if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then return; fi
    sleep 0.2
  done
  redis-cli -p "$redis_port" ping >/dev/null
}

stop_pid() {
  local file=$1
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$file"
}

case "$action" in
  start) start_mariadb; start_redis
         echo "JURISGRAPH_TEST_MARIADB_URL=mysql+pymysql://jurisgraph:jurisgraph-test@127.0.0.1:$db_port/?charset=utf8mb4"
         echo "JURISGRAPH_TEST_REDIS_URL=redis://127.0.0.1:$redis_port/0" ;;
  stop) stop_pid "$redis_pid"; stop_pid "$db_pid" ;;
  *) echo "usage: services.sh start|stop [STATE_DIR]" >&2; exit 2 ;;
esac
