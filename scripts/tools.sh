#!/bin/sh
# Installs the tools that twelve's tests and demo use, when they are
# missing: the shell linter (the generated run-app.sh must pass it),
# systemd-analyze (scores the generated unit), curl, make, and the
# PostgreSQL and Redis servers that the postgres and redis components' tests
# talk to (scripts/backing.sh starts them). Each entry is
# tool:debian-package.
set -eu
missing=""
for pair in shellcheck:shellcheck systemd-analyze:systemd curl:curl make:make pg_ctlcluster:postgresql psql:postgresql-client redis-server:redis-server; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
[ -z "$missing" ] && exit 0
echo "tools: installing$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "tools: run as root, or install$missing yourself" >&2
  exit 1
fi
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the list is intended
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
