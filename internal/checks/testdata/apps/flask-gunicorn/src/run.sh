#!/bin/sh
# Runs the app on the HOST and PORT of the environment.
set -eu
cd "$(dirname "$0")"
exec 2>&1
exec gunicorn --bind "${HOST:-127.0.0.1}:${PORT:-5000}" --access-logfile - server:app
