#!/bin/sh
# Generates a service with twelve, builds it with its own Makefile, starts it
# through run-app.sh, talks to every endpoint under /-/, and stops it with
# SIGTERM: the main job of twelve, end to end.
# Usage: scripts/demo.sh [path/to/twelve]
set -eu
twelve=${1:-twelve}
dir=demo/myservice
port=${PORT:-8765}

rm -rf demo
mkdir demo
step() { printf '\n== %s\n' "$*"; }

step "twelve new myservice --module example.com/myservice --dir $dir --no-input"
"$twelve" new myservice --module example.com/myservice --dir "$dir" --no-input
ls -A "$dir"

step "make build (in $dir)"
make -C "$dir" build VERSION=v0.1.0-demo

step "./run-app.sh with PORT=$port"
(cd "$dir" && PORT=$port LOG_FORMAT=human SHUTDOWN_DELAY=1s exec ./run-app.sh) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

i=0
until curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 100 ]; then echo "demo: the service did not become ready" >&2; exit 1; fi
  sleep 0.1
done

for path in /-/healthy /-/ready /-/version /-/log-level "/hello?name=demo"; do
  step "GET $path"
  curl -sS -i -H 'X-Request-ID: demo-1' "http://127.0.0.1:$port$path"
  echo
done
step "GET /-/metrics (http_requests_total)"
curl -sS "http://127.0.0.1:$port/-/metrics" | grep '^http_requests_total'

step "SIGTERM"
kill -TERM "$pid"
if wait "$pid"; then
  echo "demo: the service exited 0 after SIGTERM"
else
  echo "demo: the service exited $? after SIGTERM" >&2
  exit 1
fi
trap - EXIT
step "done: the service is in $dir; run it yourself with: cd $dir && make run"
