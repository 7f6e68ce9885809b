#!/bin/sh
# Haocha runs as its own system user, made before the files are unpacked
# so that /etc/haocha can be given to its group. Kept on removal: files
# it owns in /var/lib/haocha outlive the package.
set -e
if ! getent group haocha >/dev/null; then
	groupadd --system haocha
fi
if ! getent passwd haocha >/dev/null; then
	useradd --system --gid haocha --home-dir /var/lib/haocha --no-create-home \
		--shell /usr/sbin/nologin --comment "Haocha review service" haocha
fi
