#!/usr/bin/env bash
# The package on this machine (run by .ci/run, as root): builds the .deb
# and the .rpm, installs the .deb with dpkg, checks its files, user and
# permissions, runs "haocha migrate" and a short "haocha serve" as the
# packaged user with the packaged configuration, verifies the systemd
# unit, and purges the package. systemd is not PID 1 here (a container),
# so "systemd-analyze verify" checks the unit but nothing starts it: the
# server runs under runuser instead, as the unit would run it.
# Safe to run again: the state it leaves in /var/lib/haocha is marked as
# its own and removed at the next run; a real server's is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "packaging/check.sh: $*" >&2; exit 1; }
mode() { stat -c '%U:%G %a' "$1"; }
state=/var/lib/haocha
marker=$state/.haocha-package-check

if dpkg -s haocha >/dev/null 2>&1 || [ -e $state ]; then
	[ -e $marker ] || fail "haocha is installed here, or $state exists, and not from this check: not touching it"
	dpkg --purge haocha >/dev/null
	rm -rf $state
fi
if ! command -v systemd-analyze >/dev/null; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi

PACKAGERS="deb rpm" packaging/build.sh
commit=$(git rev-parse HEAD)
deb=$(ls -t dist/haocha_*"${commit:0:10}"*.deb | head -1)
rpm=$(ls -t dist/haocha-*"${commit:0:10}"*.rpm | head -1)
[ -s "$rpm" ] || fail "no .rpm built"
dpkg -i "$deb" >/dev/null
touch $marker

# Files, the user and the permissions.
haocha version | grep -q "commit $commit go" || fail "haocha version: $(haocha version)"
[ "$(mode /usr/bin/haocha)" = "root:root 755" ] || fail "/usr/bin/haocha: $(mode /usr/bin/haocha)"
[ "$(mode /etc/haocha)" = "root:haocha 750" ] || fail "/etc/haocha: $(mode /etc/haocha)"
[ "$(mode /etc/haocha/haocha.env)" = "root:haocha 640" ] || fail "haocha.env: $(mode /etc/haocha/haocha.env)"
[ "$(mode $state)" = "haocha:haocha 750" ] || fail "$state: $(mode $state)"
grep -qx "/etc/haocha/haocha.env" /var/lib/dpkg/info/haocha.conffiles || fail "haocha.env is not a conffile"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd haocha) || fail "no haocha user"
[ "$uid" -lt 1000 ] && [ "$home" = $state ] && [ "$shell" = /usr/sbin/nologin ] ||
	fail "haocha user: uid $uid, home $home, shell $shell"
unit=/usr/lib/systemd/system/haocha.service
for want in User=haocha ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes StateDirectory=haocha \
	"ExecStart=/usr/bin/haocha serve --no-demo" EnvironmentFile=/etc/haocha/haocha.env; do
	grep -qx "$want" $unit || fail "the unit lacks $want"
done
# A value systemd does not understand is only a warning: any output fails.
verify=$(systemd-analyze verify $unit 2>&1) && [ -z "$verify" ] || fail "systemd-analyze verify: $verify"

# Migrate and serve as the packaged user with the packaged configuration
# (only the port is moved off 8080, which may be taken here). serve runs
# without --no-demo: the database the configuration names must stay
# empty of demo data all the same.
as_haocha() { runuser -u haocha -- sh -c 'umask 077; set -a; . /etc/haocha/haocha.env; set +a; exec "$@"' sh "$@"; }
as_haocha haocha migrate
[ "$(mode $state/haocha.db.key)" = "haocha:haocha 600" ] || fail "key file: $(mode $state/haocha.db.key)"
[ "$(mode $state/haocha.db)" = "haocha:haocha 600" ] || fail "database: $(mode $state/haocha.db)"
addr=127.0.0.1:18391
log=$(mktemp)
# The first line of the log is the server's pid, to stop it as systemd would.
timeout 120 runuser -u haocha -- sh -c 'echo $$; umask 077; set -a; . /etc/haocha/haocha.env; HAOCHA_ADDR='$addr'; exec haocha serve' >"$log" 2>&1 &
server=$!
ready=
for _ in $(seq 1 60); do
	if curl -fsS "http://$addr/healthz" >/dev/null 2>&1; then ready=1; break; fi
	sleep 1
done
stats=$(curl -fsS "http://$addr/api/v1/stats" || true)
kill -TERM "$(head -1 "$log")"
wait $server || fail "serve did not stop cleanly: $(cat "$log")"
[ -n "$ready" ] || fail "serve never answered /healthz: $(cat "$log")"
grep -q '"total":0[,}]' <<<"$stats" || fail "the packaged server's database is not empty (demo loaded?): $stats"
! grep -q "loading demo" "$log" || fail "the packaged server loaded the demo"
rm -f "$log"

# Purge: the program and its configuration go; the state stays (the
# city's records), then this check's own is removed.
dpkg --purge haocha >/dev/null
[ ! -e /usr/bin/haocha ] && [ ! -e /etc/haocha/haocha.env ] && [ ! -e $unit ] || fail "files left after purge"
[ -e $state/haocha.db.key ] || fail "purge removed the keys"
rm -rf $state
echo "packaging/check.sh: $deb and $rpm built; the .deb installed, served and purged"
