#!/bin/sh
set -eu
exec 2>&1
exec "$(dirname "$0")/bin/server" "$@"
