#!/bin/sh
# Logs go to stdout; the platform collects them. Nothing here writes app.log.
echo "old versions wrote > app.log" >&2
LOG_FILE=app.log
cat old.log >/dev/null
exec ./server 2>&1
