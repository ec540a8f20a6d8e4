#!/bin/sh
set -eu
psql -h db.prod.internal -U admin -c 'TRUNCATE sessions'
