#!/usr/bin/env bash
# Regenerates the upgrade fixture in cmd/haocha/testdata/upgrade: a
# database made by an earlier release of Haocha, on SQLite and on
# PostgreSQL, with a few rows of each main table (catalogue, accounts,
# transactions, reviews with a later review, a work order dispatched and
# replied to, so with steps and an audit trail), all written by that
# release's own binary through its command line and HTTP API.
# TestUpgradeFromFixture loads it and runs haocha migrate on it.
#
# Usage: scripts/upgrade-fixture.sh [COMMIT]
#   COMMIT  the release to build (default: the one in testdata/upgrade/COMMIT)
#   HAOCHA_FIXTURE_POSTGRES  URL of an EMPTY PostgreSQL database the script
#           may fill (required), e.g.
#           postgres://haocha:haocha@127.0.0.1:5432/haocha_fixture?sslmode=disable
# Needs git, go, curl, sqlite3 and pg_dump.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
out=$root/cmd/haocha/testdata/upgrade
commit=$(git -C "$root" rev-parse "${1:-$(cat "$out/COMMIT")}")
pg=${HAOCHA_FIXTURE_POSTGRES:?set HAOCHA_FIXTURE_POSTGRES to the URL of an empty PostgreSQL database}

work=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	git -C "$root" worktree remove --force "$work/old" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

git -C "$root" worktree add --detach "$work/old" "$commit" >/dev/null
(cd "$work/old" && go build -o "$work/haocha" ./cmd/haocha)
bin=$work/haocha
cd "$work" # serve on PostgreSQL writes its checkpoint file here

# The fixture's own master key: the audit trail is keyed with it, so the
# test needs it to verify the trail after the upgrade.
export HAOCHA_KEY_FILE=$out/haocha-key.txt
[ -f "$HAOCHA_KEY_FILE" ] || head -c 32 /dev/urandom | base64 >"$HAOCHA_KEY_FILE"
export HAOCHA_PASSWORD='fixture password, not a secret'

# fill DSN: the small demo, through the release's binary.
fill() {
	local db=$1 port=18093
	"$bin" migrate --db "$db" >/dev/null
	"$bin" import --db "$db" "$out/catalog.json" 2>/dev/null
	"$bin" user add --db "$db" --role operator --name op >/dev/null
	"$bin" user add --db "$db" --role handler --unit GA --name ga >/dev/null
	"$bin" user add --db "$db" --role integration --unit GA --unit SCJG --name feed >/dev/null
	local op ga feed
	op=$("$bin" user token --db "$db" --name op | tail -1)
	ga=$("$bin" user token --db "$db" --name ga | tail -1)
	feed=$("$bin" user token --db "$db" --name feed | tail -1)

	"$bin" serve --db "$db" --no-demo --addr 127.0.0.1:$port 2>"$work/serve.log" &
	server=$!
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	api() { # METHOD PATH TOKEN BODY
		curl -sf -X "$1" "http://127.0.0.1:$port$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d "$4"
	}
	local now accepted
	now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	accepted=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
	api POST /api/v1/transactions "$feed" '{"transactions":[
		{"number":"FX-T1","item":"GA-001","stages":["application","acceptance"],"unit":"GA","channel":"pc","applicant_kind":"person","accepted_at":"'"$accepted"'","finished_at":"'"$now"'"},
		{"number":"FX-T2","item":"SCJG-001","stages":["application"],"unit":"SCJG","channel":"pc","applicant_kind":"organisation","accepted_at":"'"$accepted"'","finished_at":"'"$now"'"}]}' >/dev/null
	api POST /api/v1/reviews "" '{"channel":"pc","item":"GA-001","stage":"application","stars":5,"anonymous":true,"transaction":"FX-T1"}' >/dev/null
	api POST /api/v1/reviews "" '{"channel":"pc","item":"SCJG-001","stage":"application","stars":2,"anonymous":true,"transaction":"FX-T2","comment":"材料退回三次"}' >/dev/null
	api POST /api/v1/reviews "" '{"channel":"pc","item":"SCJG-001","stage":"application","stars":4,"anonymous":true,"transaction":"FX-T2","later_review":true,"comment":"后来办好了"}' >/dev/null
	local order
	order=$(api POST /api/v1/reviews "" '{"channel":"pc","item":"GA-001","stage":"acceptance","stars":1,"anonymous":true,"comment":"网上预约后到现场仍要排队"}' |
		sed -n 's/.*"work_order":"\([^"]*\)".*/\1/p')
	api POST "/api/v1/orders/$order/dispatch" "$op" '{"unit":"GA","complexity":"simple","days":1}' >/dev/null
	api POST "/api/v1/orders/$order/reply" "$ga" '{"findings":"预约时段与现场叫号未打通","rectification":"预约号直接进入叫号","answer":"已整改"}' >/dev/null
	kill "$server"
	wait "$server" 2>/dev/null || true
	server=
}

rm -f "$work/fixture.db"
fill "$work/fixture.db"
sqlite3 "$work/fixture.db" .dump >"$out/sqlite.sql"

fill "$pg"
# pg_dump 15.14 and later fence a plain dump with psql's \restrict; the
# test loads the statements alone.
pg_dump --inserts --no-owner --no-acl --dbname="$pg" | grep -v '^\\\(un\)\?restrict ' >"$out/postgres.sql"

echo "$commit" >"$out/COMMIT"
echo "upgrade fixture made by $commit in $out"
