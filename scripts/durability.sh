#!/usr/bin/env bash
# Shows that an acknowledged write survives a crash. For each backend (a
# SQLite file; a PostgreSQL database created fresh on the local cluster):
#   - floods review intake with `haocha-bench loadgen --acked`, which lists every
#     review answered 201 and the work order it opened;
#   - meanwhile dispatches those work orders one by one through the API as
#     an operator, listing every dispatch answered 200;
#   - kills the server with SIGKILL at a random moment, DUR_KILLS times,
#     restarting it each time;
#   - restarts it once more, stops it, and checks in the database that every
#     listed review is there with its work order, and every listed dispatch
#     left its order dispatched.
# It prints a report and puts it in bench/RESULTS.md as the "Durability"
# section, leaving the rest of that file as it is. Exits non-zero if anything
# acknowledged is missing.
#
#   DUR_KILLS          kills per backend (20)
#   DUR_MIN_MS         shortest time between a healthy server and its kill (300)
#   DUR_MAX_MS         longest (3000)
#   DUR_CONCURRENCY    loadgen clients in flight (16)
#   DUR_BACKENDS       "sqlite postgres"
#   DUR_POSTGRES       server URL without database (postgres://haocha:haocha@127.0.0.1:5432)
#   DUR_POSTGRES_DB    database dropped and created for the run (haocha_durability)
#   DUR_PORT           the server's port on 127.0.0.1 (18490)
#   DUR_OUT            the results file (bench/RESULTS.md)
#   DUR_WORK           scratch folder (a new temporary one; removed unless DUR_KEEP=1)
#
# Needs go, curl, sqlite3 and psql.
set -euo pipefail
cd "$(dirname "$0")/.."

KILLS=${DUR_KILLS:-20}
MIN_MS=${DUR_MIN_MS:-300}
MAX_MS=${DUR_MAX_MS:-3000}
CONC=${DUR_CONCURRENCY:-16}
BACKENDS=${DUR_BACKENDS:-"sqlite postgres"}
PG=${DUR_POSTGRES:-postgres://haocha:haocha@127.0.0.1:5432}
PG_DB=${DUR_POSTGRES_DB:-haocha_durability}
PORT=${DUR_PORT:-18490}
OUT=${DUR_OUT:-bench/RESULTS.md}
WORK=${DUR_WORK:-$(mktemp -d -t haocha-durability.XXXXXX)}
mkdir -p "$WORK"

for tool in go curl sqlite3 psql; do
	command -v "$tool" >/dev/null || { echo "durability: $tool is needed" >&2; exit 1; }
done

BIN=$WORK/haocha
BENCH=$WORK/haocha-bench
URL=http://127.0.0.1:$PORT
SERVER_PID= LOADGEN_PID= DISPATCH_PID=
log() { echo "durability: $*" >&2; }

cleanup() {
	for pid in $LOADGEN_PID $DISPATCH_PID $SERVER_PID; do kill -9 "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ "${DUR_KEEP:-}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

log "building into $WORK"
go build -o "$BIN" ./cmd/haocha
go build -o "$BENCH" ./cmd/haocha-bench

# start_server DSN LOG: serve until /healthz answers 200; fails after 60s.
start_server() {
	HAOCHA_REVIEW_RATE=0 HAOCHA_ADDRESS_RATE=0 "$BIN" serve --db "$1" --addr "127.0.0.1:$PORT" --no-demo --no-scheduler 2>>"$2" &
	SERVER_PID=$!
	for _ in $(seq 1 600); do
		curl -fs -o /dev/null "$URL/healthz" && return
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	log "server did not come up; its log:"
	tail -20 "$2" >&2
	exit 1
}

# dispatch_loop TOKEN ACKED DISPATCHED NEXT: dispatches each work order
# listed in ACKED once, in order, from line NEXT (a file, kept up to date so
# that the next round goes on from there), and lists in DISPATCHED those
# answered 200. A line still being written is read next time.
dispatch_loop() {
	local next id number
	next=$(cat "$4" 2>/dev/null || true)
	next=${next:-1}
	while true; do
		while IFS=$'\t' read -r id number; do
			next=$((next + 1))
			[ -n "$number" ] || continue
			echo "$next" >"$4" # a builtin: reviews arrive faster than a process per line
			if curl -fs -o /dev/null --max-time 10 -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
				-d '{"unit":"310101","complexity":"simple","days":3}' "$URL/api/v1/orders/$number/dispatch"; then
				echo "$number" >>"$3"
			fi
		done < <(tail -n "+$next" "$2")
		echo "$next" >"$4"
		sleep 0.1
	done
}

# query BACKEND DSN SQL: one value.
query() {
	if [ "$1" = sqlite ]; then sqlite3 "$2" "$3"; else psql -qXtA "$2" -c "$3"; fi
}

# load BACKEND DSN TABLE FILE: FILE's lines, tab-separated, into TABLE.
load() {
	if [ "$1" = sqlite ]; then
		sqlite3 "$2" ".mode tabs" ".import $4 $3" "UPDATE $3 SET number = NULL WHERE number = '\\N'"
	else
		psql -qXtA "$2" -c "\\copy $3 FROM '$4' WITH (FORMAT text, NULL '\\N')"
	fi
}

REPORT=()
failed=0
for backend in $BACKENDS; do
	dir=$WORK/$backend
	mkdir -p "$dir"
	case $backend in
	sqlite) dsn=$dir/haocha.db ;;
	postgres)
		psql -qX "$PG/postgres?sslmode=disable" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" >&2
		dsn="$PG/$PG_DB?sslmode=disable"
		;;
	*) log "unknown backend $backend"; exit 1 ;;
	esac
	log "$backend: demo catalogue and an operator"
	"$BIN" demo --db "$dsn" --reviews 0 >"$dir/setup.log" 2>&1
	HAOCHA_PASSWORD=durability-only "$BIN" user add --db "$dsn" --role operator --name durability >>"$dir/setup.log" 2>&1
	token=$("$BIN" user token --db "$dsn" --name durability 2>>"$dir/setup.log" | tail -1)
	acked=$dir/acked.tsv dispatched=$dir/dispatched.txt
	: >"$acked"
	: >"$dispatched"

	start=$SECONDS
	for i in $(seq 1 "$KILLS"); do
		start_server "$dsn" "$dir/serve.log"
		"$BENCH" loadgen --url "$URL" --concurrency "$CONC" --duration 1h --seed "$i" --acked "$acked" >"$dir/loadgen-$i.log" 2>&1 &
		LOADGEN_PID=$!
		dispatch_loop "$token" "$acked" "$dispatched" "$dir/dispatch.next" &
		DISPATCH_PID=$!
		ms=$((MIN_MS + RANDOM % (MAX_MS - MIN_MS + 1)))
		sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
		kill -9 "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
		# What was in flight at the kill failed; only answers already read count.
		kill -TERM "$LOADGEN_PID"
		wait "$LOADGEN_PID" 2>/dev/null || true
		kill "$DISPATCH_PID"
		wait "$DISPATCH_PID" 2>/dev/null || true
		SERVER_PID= LOADGEN_PID= DISPATCH_PID=
		log "$backend: kill $i after ${ms}ms: $(wc -l <"$acked") reviews, $(wc -l <"$dispatched") dispatches acknowledged so far"
	done
	elapsed=$((SECONDS - start))

	# One more start: recovery after the last kill; then a clean stop.
	start_server "$dsn" "$dir/serve.log"
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=

	# Compare in the database. Reviews without a work order list "\N" so
	# that both loaders read a NULL.
	awk -F'\t' -v OFS='\t' '{ print $1, ($2 == "" ? "\\N" : $2) }' "$acked" >"$dir/acked.load"
	query "$backend" "$dsn" "CREATE TABLE durability_acked (id BIGINT, number TEXT); CREATE TABLE durability_dispatched (number TEXT)" >/dev/null
	load "$backend" "$dsn" durability_acked "$dir/acked.load"
	[ -s "$dispatched" ] && load "$backend" "$dsn" durability_dispatched "$dispatched"
	n_acked=$(query "$backend" "$dsn" "SELECT COUNT(*) FROM durability_acked")
	n_orders=$(query "$backend" "$dsn" "SELECT COUNT(*) FROM durability_acked WHERE number IS NOT NULL")
	n_dispatched=$(query "$backend" "$dsn" "SELECT COUNT(*) FROM durability_dispatched")
	lost_reviews=$(query "$backend" "$dsn" "SELECT COUNT(*) FROM durability_acked a LEFT JOIN reviews r ON r.id = a.id WHERE r.id IS NULL")
	lost_orders=$(query "$backend" "$dsn" "SELECT COUNT(*) FROM durability_acked a LEFT JOIN work_orders o ON o.number = a.number AND o.review = a.id WHERE a.number IS NOT NULL AND o.id IS NULL")
	lost_dispatches=$(query "$backend" "$dsn" "SELECT COUNT(*) FROM durability_dispatched d LEFT JOIN work_orders o ON o.number = d.number WHERE o.state IS NULL OR o.state = 'new'")
	stored=$(query "$backend" "$dsn" "SELECT COUNT(*) FROM reviews")
	query "$backend" "$dsn" "DROP TABLE durability_acked; DROP TABLE durability_dispatched" >/dev/null
	integrity=n/a
	[ "$backend" = sqlite ] && integrity=$(sqlite3 "$dsn" "PRAGMA integrity_check")

	verdict=yes
	if [ "$lost_reviews" != 0 ] || [ "$lost_orders" != 0 ] || [ "$lost_dispatches" != 0 ] || { [ "$backend" = sqlite ] && [ "$integrity" != ok ]; }; then
		verdict="**no**"
		failed=1
	fi
	REPORT+=("| $backend | $KILLS | ${elapsed}s | $n_acked | $lost_reviews | $n_orders | $lost_orders | $n_dispatched | $lost_dispatches | $stored | $integrity | $verdict |")
	log "$backend: $n_acked reviews and $n_dispatched dispatches acknowledged; lost $lost_reviews, $lost_orders, $lost_dispatches"
done

pgver=$(psql -qXtA "$PG/postgres?sslmode=disable" -c "SHOW server_version" 2>/dev/null || echo "not reachable")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ":(exclude)$OUT" 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
section=$WORK/section.md
{
	echo "## Durability"
	echo
	echo "Written by \`scripts/durability.sh\`; run it again rather than edit."
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(go env GOVERSION); PostgreSQL $pgver; Haocha commit $commit."
	echo
	echo "\`haocha-bench loadgen\` floods \`POST /api/v1/reviews\` with $CONC clients and lists every review answered 201" \
		"(\`--acked\`) with its work order; an operator dispatches those orders one by one through" \
		"\`POST /api/v1/orders/{number}/dispatch\`, listing every 200. The server is killed with SIGKILL" \
		"$KILLS times per backend, each ${MIN_MS}–${MAX_MS} ms (at random) after it answers \`/healthz\`, and restarted;" \
		"then it is started once more and stopped, and the lists are compared with the database." \
		"Lost = acknowledged but not in the database (for a dispatch: the order still \`new\`)."
	echo
	echo "| backend | kills | time | reviews acked | lost | work orders acked | lost | dispatches acked | lost | reviews stored | SQLite integrity | nothing lost |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |"
	printf '%s\n' "${REPORT[@]}"
} >"$section"

# Replace this script's section of OUT, keeping everything else.
if [ -f "$OUT" ]; then
	awk '/^## Durability$/ { skip = 1; next } /^## / { skip = 0 } !skip' "$OUT" >"$WORK/rest.md"
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$WORK/rest.md"
	{ cat "$WORK/rest.md"; echo; cat "$section"; } >"$OUT"
else
	cp "$section" "$OUT"
fi
log "wrote the Durability section of $OUT"
cat "$section"
exit "$failed"
