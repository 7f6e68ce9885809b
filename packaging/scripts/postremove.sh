#!/bin/sh
# The database and the keys in /var/lib/haocha are never removed with the
# package, not even on purge: they are the city's records (docs/install.md).
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload || true
fi
