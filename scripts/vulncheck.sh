#!/bin/sh
# Runs govulncheck (make tools installs it) on the module in the current
# folder: scripts/vulncheck.sh [govulncheck flags] packages.
#
# The vulnerability database is the one that golang.org/x/vulndb ships
# (data/osv), fetched from the Go module proxy at a pinned version, so that
# the check needs no host but the proxy and gives the same answer until the
# pin moves: bump vulndb_version to see newer reports.
#
# It fails on a vulnerability that the code calls in a module of go.mod:
# bump that module. One in the standard library is fixed by a newer Go, not
# by go.mod: it is printed as a warning, and fails the check only with
# VULNCHECK_STDLIB=1.
set -eu
vulndb_version=v0.0.0-20261105234957-e22db6528018
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
db=$(go mod download -json "golang.org/x/vulndb@$vulndb_version" | jq -r .Dir)/data/osv
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$gobin/govulncheck" -db "file://$db" -format json "$@" >"$out"
# One line per vulnerability that the code reaches: module, version, id, fix.
called=$(jq -r 'select(.finding.trace[0].function) | .finding
  | [.trace[0].module, .trace[0].version, .osv, .fixed_version] | @tsv' "$out" | sort -u)
tab=$(printf '\t')
modules=$(printf '%s\n' "$called" | grep -v "^stdlib$tab" | grep . || true)
stdlib=$(printf '%s\n' "$called" | grep "^stdlib$tab" || true)
if [ -n "$stdlib" ]; then
  ids=$(printf '%s\n' "$stdlib" | cut -f3 | paste -sd ' ' -)
  newest=$(printf '%s\n' "$stdlib" | cut -f4 | sort -V | tail -n 1)
  echo "govulncheck: warning: $(go env GOVERSION)'s standard library has vulnerabilities that this code calls, fixed in Go ${newest#v}: upgrade Go ($ids)"
fi
printf '%s\n' "$modules" | while IFS="$tab" read -r module version id fixed; do
  [ -z "$module" ] || echo "govulncheck: $id in $module@$version, called here: fixed in $fixed, bump it in go.mod"
done
if [ -n "$modules" ] || { [ -n "$stdlib" ] && [ "${VULNCHECK_STDLIB:-}" = 1 ]; }; then
  echo "govulncheck: details: $gobin/govulncheck -db file://$db -show traces $*"
  exit 1
fi
