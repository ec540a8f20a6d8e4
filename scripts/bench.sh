#!/bin/sh
# make bench: installs what the benchmarks compare against when missing
# (wrk, cookiecutter, with apt-get), then runs them. Usage:
# scripts/bench.sh TWELVE_BINARY [go run ./bench flags...]
set -eu
missing=""
for pair in wrk:wrk cookiecutter:cookiecutter taskset:util-linux make:make; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
if [ -n "$missing" ]; then
  echo "bench: installing$missing" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench: run as root, or install$missing yourself" >&2
    exit 1
  fi
  apt-get update -qq
  # shellcheck disable=SC2086 # word splitting of the list is intended
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
twelve=$1
shift
exec go run ./bench -twelve "$twelve" "$@"
