#!/bin/sh
set -eu
cd /opt/app
exec ./worker --queue default
