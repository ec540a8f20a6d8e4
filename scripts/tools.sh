#!/bin/sh
# Installs the tools that twelve's tests and demo use, when they are
# missing: the shell linter (the generated run-app.sh must pass it),
# systemd-analyze (scores the generated unit), curl, make, and the
# PostgreSQL and Redis servers that the postgres and redis components' tests
# talk to (scripts/backing.sh starts them). Each entry is
# tool:debian-package. gosec, which must find nothing in the generated
# services, comes from the Go module proxy at a pinned version.
#
# scripts/tools.sh demo installs only what make demo needs (curl and make),
# so that a new user's first minute is not spent on the tests' tools.
set -eu
pairs="curl:curl make:make"
if [ "${1:-}" != demo ]; then
  gosec_version=v2.29.0
  gobin=$(go env GOBIN)
  [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
  if ! command -v gosec >/dev/null 2>&1 && [ ! -x "$gobin/gosec" ]; then
    echo "tools: installing gosec $gosec_version into $gobin" >&2
    go install "github.com/securego/gosec/v2/cmd/gosec@$gosec_version"
  fi
  pairs="$pairs shellcheck:shellcheck systemd-analyze:systemd pg_ctlcluster:postgresql psql:postgresql-client redis-server:redis-server"
fi
missing=""
for pair in $pairs; do
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
