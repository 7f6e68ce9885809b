#!/bin/sh
# On removal (deb: "remove"; rpm: 0 packages left), stop and disable the
# server; on upgrade leave it running for postinstall to restart.
set -e
case "$1" in
remove | 0)
	if [ -d /run/systemd/system ]; then
		systemctl disable --now haocha >/dev/null 2>&1 || true
	fi
	;;
esac
