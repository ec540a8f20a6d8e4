#!/bin/sh
# Fails on line 3: the app's output goes to a log file.
exec ./server >> /var/log/server.log 2>&1
