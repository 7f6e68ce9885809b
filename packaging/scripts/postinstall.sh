#!/bin/sh
# The state directory exists before the first start, so that the
# administration commands (haocha migrate, user add) can run as haocha
# first; systemd's StateDirectory= keeps it the user's afterwards.
set -e
install -d -o haocha -g haocha -m 0750 /var/lib/haocha
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload
	# An upgrade restarts a running server on the new binary; a first
	# install waits for the operator to configure it and enable it.
	if systemctl is-active --quiet haocha; then
		systemctl restart haocha
	fi
fi
echo "haocha: configure /etc/haocha/haocha.env, then: systemctl enable --now haocha (see /usr/share/doc/haocha/install.md)"
