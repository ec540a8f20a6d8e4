#!/bin/sh
# Fails on line 6: the app starts without exec; "exec 2>&1" only redirects
# the shell's own output.
set -eu
exec 2>&1
./server --port "${PORT:-8000}" \
    --log-format json
