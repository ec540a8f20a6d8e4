#!/bin/sh
set -eu
export DATABASE_URL='postgres://backup:Tr0ub4dor-and-3@db.internal:5432/app'
exec ./bin/backup
