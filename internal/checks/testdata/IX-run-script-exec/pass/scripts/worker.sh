#!/bin/sh
set -eu
[ -n "${QUEUE:-}" ] && echo "queue: $QUEUE" >&2
cat <<MSG >&2
starting the worker & friends
MSG
case "${1:-jobs}" in
jobs) exec ./worker --queue jobs ;;
*) exec ./worker --queue "$1" ;;
esac
