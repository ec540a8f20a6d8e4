#!/bin/sh
# Starts the backing services that the tests of generated services need,
# PostgreSQL and Redis, on loopback, and prints the variables that name
# them, for eval:
#
#   eval "$(scripts/backing.sh)"   # then: go test ./...
#
# A variable already set is kept and its server left alone. Without the
# servers (not installed, or not root to start them) it prints nothing and
# the tests that need them skip; with TWELVE_REQUIRE_TOOLS set it fails.
#
# scripts/backing.sh stop stops the servers that an earlier run started
# itself (it names them in TWELVE_BACKING_STARTED), and leaves alone those
# that were running before: make test cleans up after itself.
set -eu
if [ "${1:-}" = stop ]; then
  for s in ${TWELVE_BACKING_STARTED:-}; do
    case "$s" in
    postgres:*) v=${s#postgres:}; pg_ctlcluster "${v%%:*}" "${v#*:}" stop >/dev/null 2>&1 || true ;;
    redis) redis-cli -p 6379 shutdown nosave >/dev/null 2>&1 || true ;;
    esac
  done
  exit 0
fi
started=""
pg_url="postgres://twelve:twelve@127.0.0.1:5432/twelve_test?sslmode=disable"
redis_url="redis://127.0.0.1:6379/0"
missing=""

say() { echo "backing: $*" >&2; }
as_postgres() { (cd / && su postgres -c "$1"); }

start_postgres() {
  if psql "$pg_url" -tAc 'SELECT 1' >/dev/null 2>&1; then
    return 0 # already set up
  fi
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    say "PostgreSQL is not installed (apt-get install postgresql)"
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "run as root to start PostgreSQL, or set TEST_DATABASE_URL"
    return 1
  fi
  # The first cluster of the newest version, as Debian's package made it:
  # it listens on localhost:5432 and takes passwords over TCP.
  cluster=$(pg_lsclusters -h | sort -rn | head -n 1)
  if [ -z "$cluster" ]; then
    say "no PostgreSQL cluster (pg_createcluster --start 15 main)"
    return 1
  fi
  version=$(echo "$cluster" | awk '{print $1}')
  name=$(echo "$cluster" | awk '{print $2}')
  port=$(echo "$cluster" | awk '{print $3}')
  if ! pg_ctlcluster "$version" "$name" status >/dev/null 2>&1; then
    pg_ctlcluster "$version" "$name" start >/dev/null
    started="$started postgres:$version:$name"
  fi
  pg_url="postgres://twelve:twelve@127.0.0.1:$port/twelve_test?sslmode=disable"
  as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'twelve'\"" | grep -q 1 ||
    as_postgres "psql -p $port -qc \"CREATE ROLE twelve LOGIN PASSWORD 'twelve'\""
  as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'twelve_test'\"" | grep -q 1 ||
    as_postgres "createdb -p $port -O twelve twelve_test"
  psql "$pg_url" -tAc 'SELECT 1' >/dev/null
}

start_redis() {
  if redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    say "Redis is not installed (apt-get install redis-server)"
    return 1
  fi
  redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save '' --appendonly no >/dev/null
  started="$started redis"
  i=0
  until redis-cli -u "$redis_url" ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 50 ]; then
      say "redis-server did not answer on 127.0.0.1:6379"
      return 1
    fi
    sleep 0.1
  done
}

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if start_postgres; then
    echo "export TEST_DATABASE_URL='$pg_url'"
  else
    missing="$missing TEST_DATABASE_URL"
  fi
fi
if [ -z "${TEST_REDIS_URL:-}" ]; then
  if start_redis; then
    echo "export TEST_REDIS_URL='$redis_url'"
  else
    missing="$missing TEST_REDIS_URL"
  fi
fi
echo "export TWELVE_BACKING_STARTED='${started# }'"
if [ -n "$missing" ] && [ -n "${TWELVE_REQUIRE_TOOLS:-}" ]; then
  say "cannot set$missing"
  exit 1
fi
exit 0
