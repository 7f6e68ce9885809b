#!/usr/bin/env bash
# Checks the alerting rules and runs their unit tests with promtool (run
# by .ci/run). Debian ships promtool only inside its prometheus package
# (96 MB installed with its web assets, and a server its install starts):
# when promtool is not on PATH, it is taken alone from that package's .deb
# into .ci/promtool (gitignored), with apt's own download.
set -euo pipefail
cd "$(dirname "$0")"
promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
	promtool=../../.ci/promtool/usr/bin/promtool
	if [ ! -x "$promtool" ]; then
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		chmod 755 "$tmp" # apt's download user writes there
		(cd "$tmp" && { apt-get download prometheus 2>/dev/null || { apt-get update -qq && apt-get download prometheus; }; })
		dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x"
		mkdir -p ../../.ci/promtool/usr/bin
		cp "$tmp/x/usr/bin/promtool" ../../.ci/promtool/usr/bin/
	fi
fi
"$promtool" check rules haocha-rules.yml
"$promtool" test rules haocha-rules_test.yml
