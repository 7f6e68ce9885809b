#!/usr/bin/env bash
# The failover drill: Haocha on the multi-host DSN of the local Patroni
# cluster (scripts/ha.sh), flooded with reviews by many clients while an
# operator dispatches their work orders; the primary's postmaster is killed
# with SIGKILL, Patroni promotes the synchronous standby, the flood goes on;
# every acknowledged review and dispatch must be on the new primary, and the
# first review acknowledged by it must come within 15 s of the kill. Then
# the old primary rejoins as a standby (pg_rewind through Patroni when it
# must) and a switchover moves the primary again, checked the same way.
# Also run: the review-on-the-replica test and the unconfirmed-commit test.
#
# It puts the figures in bench/RESULTS.md as the "Failover drill" section,
# leaving the rest of that file as it is, and exits non-zero if the drill
# failed. Run as root (the cluster runs as user postgres; the tests signal
# its processes). Uses the cluster ha.sh started, or starts one and stops it
# at the end (HA_KEEP=1 leaves it running).
#
#   FAILOVER_OUT   the results file (bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${FAILOVER_OUT:-bench/RESULTS.md}
WORK=$(mktemp -d -t haocha-failover.XXXXXX)
started=
cleanup() {
	if [ -n "$started" ] && [ "${HA_KEEP:-}" != 1 ]; then scripts/ha.sh down >/dev/null 2>&1 || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

if ! curl -fs -o /dev/null http://127.0.0.1:8441/cluster && ! curl -fs -o /dev/null http://127.0.0.1:8442/cluster; then
	echo "failover: starting the cluster (scripts/ha.sh up)" >&2
	scripts/ha.sh up >&2
	started=1
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$SECONDS
rc=0
HAOCHA_TEST_HA=1 go test ./internal/hadrill -count=1 -v -timeout 15m 2>&1 | tee "$WORK/test.log" >&2 || rc=$?
elapsed=$((SECONDS - start))

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ":(exclude)$OUT" 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
verdict=passed
[ "$rc" = 0 ] || verdict="**failed**"
section=$WORK/section.md
{
	echo "## Failover drill"
	echo
	echo "Written by \`scripts/failover.sh\`; run it again rather than edit."
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, load average $load_before at the start" \
		"(a machine shared with other work: times are longer than on a quiet one); $(go env GOVERSION);" \
		"$(patroni --version 2>/dev/null), etcd $(etcd --version 2>/dev/null | head -1 | awk '{print $3}'), PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}');" \
		"Haocha commit $commit. The drill $verdict in ${elapsed}s."
	echo
	echo "Three Patroni nodes and one etcd on loopback (\`scripts/ha.sh\`: \`synchronous_mode: true\`," \
		"\`synchronous_mode_strict: true\`, \`primary_start_timeout: 0\`, \`loop_wait: 2\`, \`ttl: 20\`). One Haocha" \
		"in the test process on the multi-host DSN, 24 clients posting reviews (a 503 or a cut connection is" \
		"tried again), 4 operators dispatching their work orders. \"First 201\" is the first review acknowledged" \
		"that was sent once Patroni named the new leader, timed from the kill (or the switchover request)."
	echo
	echo '```'
	grep -h "DRILL\|the review was in the figures\|^--- \|^ok\|^FAIL" "$WORK/test.log" | sed 's/^ *//'
	echo '```'
} >"$section"

if [ -f "$OUT" ]; then
	awk '/^## Failover drill$/ { skip = 1; next } /^## / { skip = 0 } !skip' "$OUT" >"$WORK/rest.md"
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$WORK/rest.md"
	{ cat "$WORK/rest.md"; echo; cat "$section"; } >"$OUT"
else
	cp "$section" "$OUT"
fi
echo "failover: wrote the Failover drill section of $OUT" >&2
cat "$section"
exit "$rc"
