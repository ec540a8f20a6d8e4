#!/bin/sh
set -eu
cd /opt/app
./worker --queue default
