#!/bin/sh
# Installs the tools that twelve's tests and demo use, when they are
# missing: the shell linter (the generated run-app.sh must pass it),
# systemd-analyze (scores the generated unit), curl, make, and the
# PostgreSQL and Redis servers that the postgres and redis components' tests
# talk to (scripts/backing.sh starts them). Each entry is
# tool:debian-package. gosec, which must find nothing in the generated
# services, and the linters staticcheck and govulncheck come from the Go
# module proxy at pinned versions.
#
# scripts/tools.sh demo installs only what make demo needs (curl and make),
# so that a new user's first minute is not spent on the tests' tools;
# scripts/tools.sh lint only what make lint needs.
set -eu
staticcheck_version=v0.8.2
govulncheck_version=v1.9.0
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
# goinstall PACKAGE VERSION installs PACKAGE@VERSION into gobin unless the
# binary there was built from that version.
goinstall() {
  have=$(go version -m "$gobin/${1##*/}" 2>/dev/null | awk '$1 == "mod" { print $3 }')
  [ "$have" = "$2" ] && return 0
  echo "tools: installing ${1##*/} $2 into $gobin" >&2
  go install "$1@$2"
}
case "${1:-}" in
demo) pairs="curl:curl make:make" ;;
lint) pairs="shellcheck:shellcheck jq:jq" ;;
*) pairs="curl:curl make:make shellcheck:shellcheck jq:jq systemd-analyze:systemd pg_ctlcluster:postgresql psql:postgresql-client redis-server:redis-server" ;;
esac
if [ "${1:-}" != demo ]; then
  goinstall honnef.co/go/tools/cmd/staticcheck "$staticcheck_version"
  goinstall golang.org/x/vuln/cmd/govulncheck "$govulncheck_version"
fi
if [ -z "${1:-}" ]; then
  gosec_version=v2.29.0
  if ! command -v gosec >/dev/null 2>&1 && [ ! -x "$gobin/gosec" ]; then
    echo "tools: installing gosec $gosec_version into $gobin" >&2
    go install "github.com/securego/gosec/v2/cmd/gosec@$gosec_version"
  fi
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
