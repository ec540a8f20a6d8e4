#!/bin/sh
# Starts the service. Procfile runners and systemd run this script; the
# Docker image runs the binary directly (distroless has no shell).
# Everything the service writes goes to stdout, where the platform
# collects it.
set -eu
exec 2>&1
exec "$(dirname "$0")/bin/billing" "$@"
