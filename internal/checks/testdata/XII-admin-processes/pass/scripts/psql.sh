#!/bin/sh
set -eu
psql -h localhost -U app app
exec psql "$DATABASE_URL"
