#!/bin/sh
# Not a start script: it may run jobs in the background.
go build ./... &
go vet ./... &
wait
