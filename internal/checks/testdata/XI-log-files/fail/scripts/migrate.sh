#!/bin/sh
# Fails on line 4: the output goes to a log file.
set -eu
bin/migrate up &>"$LOG_DIR/migrate.log"
