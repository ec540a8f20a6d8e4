#!/bin/sh
# Fails on line 5 (the app runs in the background), line 6 (a PID file) and
# line 7 (no command execs the app).
exec >/dev/null 2>&1
./server &
echo $! > /tmp/server.pid
wait
