#!/usr/bin/env bash
# Measures Haocha against this machine's limit and writes bench/RESULTS.md.
#
# For each backend (a SQLite file; a PostgreSQL database created fresh):
#   (a) the raw ceiling: plain autocommit INSERTs of review rows straight
#       into the database (haocha-bench benchraw), same durability, same concurrency;
#   (b) Haocha's HTTP intake under haocha-bench loadgen at that concurrency;
#   (c) the ratio b/a;
#   (d) GET /api/v1/stats latency over each size of demo data, unfiltered
#       and filtered by unit and by item;
#   (e) the server's peak RSS (VmHWM) in each run;
#   (f) the evaluation index over the same data: the public pages (GET
#       /index, a district's and an agency's /units/{code}, a hall's page
#       over the quarter and the year with its window and workstation
#       rankings, an item's page), GET /api/v1/index?scope=S (its default
#       page of 1,000 members) for every public scope, GET
#       /api/v1/indicators of one member of each, and
#       GET /api/v1/stats of the single axes and pairs the pages use; each
#       path's first visit after the server started (and said ready) is
#       taken before any path is measured.
#
# Everything is overridable by environment, so a smoke test can run small:
#   BENCH_SIZES="20000" BENCH_DURATION=5s scripts/bench.sh
#
#   BENCH_SIZES             review counts for the stats runs ("1000000 10000000")
#   BENCH_DAYS              days the demo reviews are spread over (365)
#   BENCH_DURATION          length of each intake and raw run (20s)
#   BENCH_WARMUP            unmeasured run before each of them (2s; 0 = none)
#   BENCH_CONCURRENCY       the middle intake client count (16)
#   BENCH_STATS_REQUESTS    requests per stats query (200)
#   BENCH_STATS_CONCURRENCY clients in flight for stats (1: latency, not throughput)
#   BENCH_INDEX_REQUESTS    requests per index path, one client (100)
#   BENCH_UNIT, BENCH_ITEM  the unit and item of the filtered stats (310101, SHGA-001)
#   BENCH_BACKENDS          "sqlite postgres"
#   BENCH_ONLY              "intake", "stats" or "index": run that part alone (all by default);
#                           "index" rewrites only its own section of BENCH_OUT
#   BENCH_DB                with BENCH_ONLY=index: a SQLite file already loaded by 'haocha demo'
#                           to measure instead of loading each size (the server migrates it)
#   BENCH_PG_DB             the same for PostgreSQL: the URL of a database already loaded by
#                           'haocha demo' (and VACUUM ANALYZEd); with either of the two set, only
#                           the backends given one are measured. The server finds the database's
#                           master key as HAOCHA_KEY_FILE says (./haocha.key by default): export it
#   BENCH_CEILING_WRITERS   writer counts tried for each ceiling; the best median is kept ("1 4 16 64")
#   BENCH_CEILING_RUNS      runs of each ceiling at each writer count, whose median counts (3)
#   BENCH_INTAKE_CLIENTS    HTTP clients of the intake runs ("1 $BENCH_CONCURRENCY 64")
#   BENCH_REPEAT            rounds of the intake runs, alternating honest and flood, whose
#                           medians the table gives (3)
#   BENCH_BATCH             rows per transaction of the multi-row ceiling (16)
#   BENCH_POSTGRES          server URL without database (postgres://haocha:haocha@127.0.0.1:5432)
#   BENCH_POSTGRES_DB       database dropped and created for each run (haocha_bench)
#   BENCH_PORT              the server's port on 127.0.0.1 (18480)
#   BENCH_LOG_LEVEL         the server's HAOCHA_LOG_LEVEL (info, as shipped)
#   BENCH_OUT               where the table goes (bench/RESULTS.md)
#   BENCH_WORK              scratch folder (a new temporary one; removed unless BENCH_KEEP=1)
#
#   BENCH_SOURCES           loopback addresses of the honest runs (2000)
#   BENCH_DEVICES           browser identities of the honest runs, each paced (600000)
#   BENCH_NOW               the server's clock at start (last Wednesday 10:00 in the city; the real
#                           clock for BENCH_ONLY=index over BENCH_DB or BENCH_PG_DB)
#   BENCH_CITY_RATE         reviews a second of the intake database's past (2000)
#
# The ceilings are medians: single runs of the PostgreSQL ceiling gave
# from 3,555 to 6,000 rows/s on the same machine. Each of its commits waits
# for a WAL flush, and what else is written meanwhile weighs on it: after a
# checkpoint the first change of each page logs the whole page
# (full_page_writes), a checkpoint (every 5 minutes or 1 GB of WAL) or an
# autovacuum of the table the previous run filled falls at random into a
# later run, and other databases of a shared cluster and other work on the
# machine come and go. So each
# writer count runs BENCH_CEILING_RUNS times, in rounds that take the
# counts in turn (1, 4, 16, 64, 1, 4, ...), each run after the database is
# settled (settle: CHECKPOINT and VACUUM ANALYZE on PostgreSQL, a WAL
# checkpoint on SQLite, neither counted), and a ceiling is the median of its
# runs; the best writer count is the one with the best median. Each intake
# run is settled the same way before its warm-up, so that the ratio of
# intake to ceiling compares the two under the same conditions: before,
# the intake runs followed one another unsettled, the first after the
# city's past was loaded, and so each inherited the checkpoint, the
# autovacuum and the dirty pages of what ran before it, which no ceiling
# run did.
#
# The intake runs use the shipped review limits and fraud detectors: honest
# traffic from BENCH_SOURCES addresses and BENCH_DEVICES devices, and a
# flood from one address and one browser. The stats and index runs have the
# limits off. Needs go, jq, bc, sqlite3 and psql.
#
# After those rounds, at BENCH_CONCURRENCY clients, BENCH_REPEAT runs of a
# rotating flood ('haocha-bench loadgen --rotate --sources 254'): a new
# browser identity every request, from 254 addresses in turn, unpaced. Its
# row gives the server's CPU per request (accepted or refused alike) and
# the share held of what it stored. No per-identity limit refuses it: each
# address's network is refused in memory only past the address limit (300
# in ten minutes), so the first runs are mostly stored (and held, by the
# units' rates), and the later ones increasingly refused 429 (the errors
# column). It runs after the honest and flood rounds so that its stored
# reviews weigh on none of their figures.
#
# Honest traffic must look honest to the detectors, or the benchmark
# measures the path of held reviews. Each of its devices sends at most once
# in 150 s (under the device rule's five in ten minutes), so BENCH_DEVICES
# caps the rate at BENCH_DEVICES / 150 s (4,000/s). Each network stays
# under the address rule's 80 in ten minutes while the honest runs of one
# backend, all BENCH_REPEAT rounds together, send fewer than 80 x
# BENCH_SOURCES reviews (160,000): the held column shows when they did
# not. And a unit is judged against its own usual rate, learnt from four weeks of day
# rollups: the intake database is given, before the server starts, the
# rollups of a city that received BENCH_CITY_RATE reviews a second through
# its opening hours in the load generator's own mix ('haocha-bench
# history'), rather than review rows loaded through intake (a month at
# that rate is billions of rows; the detectors read only the rollups).
# The detectors are those of a server in service, only the city is as
# busy as the load (at that rate a unit's threshold is past the 1,024
# arrivals a unit's window keeps, so the unit rule does not fire, as it
# would not for a real city that busy).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-"1000000 10000000"}
DAYS=${BENCH_DAYS:-365}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-2s}
CONC=${BENCH_CONCURRENCY:-16}
STATS_REQUESTS=${BENCH_STATS_REQUESTS:-200}
INDEX_REQUESTS=${BENCH_INDEX_REQUESTS:-100}
STATS_CONC=${BENCH_STATS_CONCURRENCY:-1}
UNIT=${BENCH_UNIT:-310101}
ITEM=${BENCH_ITEM:-SHGA-001}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
ONLY=${BENCH_ONLY:-}
WRITERS=${BENCH_CEILING_WRITERS:-"1 4 16 64"}
CLIENTS=${BENCH_INTAKE_CLIENTS:-"1 $CONC 64"}
BATCH=${BENCH_BATCH:-16}
SOURCES=${BENCH_SOURCES:-2000}
DEVICES=${BENCH_DEVICES:-600000}
CITY_RATE=${BENCH_CITY_RATE:-2000}
# The halls' opening hours on a working day, city time: the server runs at
# this clock (HAOCHA_BENCH_NOW), so that no hall review is off hours.
CLOCK=${BENCH_NOW:-$(TZ=Asia/Shanghai date -d 'last wednesday' +%Y-%m-%dT10:00:00+08:00)}
# The index part alone over a database loaded before runs at the real
# clock, as a server in service does: the load wrote its reviews up to
# its own now and stamped what its work orders' day rollups count as of
# then, so a clock of last Wednesday saw days of reviews in its future and
# read every work order of every board from the orders themselves, the
# rollups counting only after the stamps (most of a 1,000,000 warm-up's CPU).
if [ "${BENCH_ONLY:-}" = index ] && [ -n "${BENCH_DB:-}${BENCH_PG_DB:-}" ] && [ -z "${BENCH_NOW:-}" ]; then
  CLOCK=$(date +%Y-%m-%dT%H:%M:%S%:z)
fi
TICK=$(getconf CLK_TCK)
PG=${BENCH_POSTGRES:-postgres://haocha:haocha@127.0.0.1:5432}
PG_DB=${BENCH_POSTGRES_DB:-haocha_bench}
PORT=${BENCH_PORT:-18480}
LOG_LEVEL=${BENCH_LOG_LEVEL:-info}
OUT=${BENCH_OUT:-bench/RESULTS.md}
REPEAT=${BENCH_REPEAT:-3}
CEILING_RUNS=${BENCH_CEILING_RUNS:-3}
WORK=${BENCH_WORK:-$(mktemp -d -t haocha-bench.XXXXXX)}
mkdir -p "$WORK" "$(dirname "$OUT")"

for tool in go jq psql bc; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done

BIN=$WORK/haocha
BENCH=$WORK/haocha-bench
URL=http://127.0.0.1:$PORT
SERVER_PID=
cleanup() {
  stop_server
  if [ "${BENCH_KEEP:-0}" != 1 ] && [ -z "${BENCH_WORK:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

log() { echo "bench: $*" >&2; }

# fresh_db BACKEND: print the DSN of a new, empty database.
fresh_db() {
  case $1 in
  sqlite)
    rm -f "$WORK"/bench.db "$WORK"/bench.db-wal "$WORK"/bench.db-shm
    echo "$WORK/bench.db"
    ;;
  postgres)
    psql -qX "$PG/postgres?sslmode=disable" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" >&2
    echo "$PG/$PG_DB?sslmode=disable"
    ;;
  *) log "unknown backend $1"; exit 1 ;;
  esac
}

# load_demo DSN REVIEWS: the demo catalogue and REVIEWS reviews (0: the
# catalogue only); prints the seconds 'haocha demo' took.
load_demo() {
  local start end
  start=$(date +%s.%N)
  local db=$1
  # A bulk load into SQLite wants the indexes' pages in memory: give the
  # loading process (not the server measured later) a 512 MiB page cache.
  [[ $db == postgres* ]] || db="$db?_pragma=cache_size(-524288)"
  "$BIN" demo --db "$db" --reviews "$2" --days "$DAYS" >&2
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l | xargs printf '%.1f\n'
  if [[ $1 == postgres* ]]; then
    # What autovacuum would have done by the time a real table got this big;
    # not counted in the load time.
    psql -qX "$1" -c "VACUUM ANALYZE" >&2
  fi
}

# settle DSN: the database with nothing of the last run left to do, before
# a ceiling run: dirty pages written out at a checkpoint now, not during
# the run, so that the run logs every page it changes first in full, as
# every run does; dead rows vacuumed and statistics taken.
settle() {
  if [[ $1 == postgres* ]]; then
    psql -qX "$1" -c "CHECKPOINT" -c "VACUUM ANALYZE" >&2
  else
    sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  fi
}

# ceilings DSN NAME BATCH WRITERS...: benchraw with BATCH rows a
# transaction at each writer count, CEILING_RUNS times in rounds, each
# run settled first; leaves NAME-W.json, the median of W's runs, in WORK
# and prints "BEST W": the best median and its writer count.
ceilings() {
  local dsn=$1 name=$2 batch=$3 w run t best=0 bestw=
  shift 3
  for run in $(seq 1 "$CEILING_RUNS"); do
    for w in "$@"; do
      settle "$dsn"
      if [ "$WARMUP" != 0 ]; then
        "$BENCH" benchraw --db "$dsn" --batch "$batch" --concurrency "$w" --duration "$WARMUP" --json >/dev/null
      fi
      "$BENCH" benchraw --db "$dsn" --batch "$batch" --concurrency "$w" --duration "$DURATION" --json >"$WORK/$name-$w-$run.json"
      log "$name: $w writers, run $run of $CEILING_RUNS: $(jq .throughput "$WORK/$name-$w-$run.json") rows/s"
    done
  done
  for w in "$@"; do
    median "$WORK"/"$name"-"$w"-*[0-9].json >"$WORK/$name-$w.json"
    t=$(jq .throughput "$WORK/$name-$w.json")
    if [ "$(echo "$t > $best" | bc -l)" = 1 ]; then best=$t bestw=$w; fi
  done
  echo "$best $bestw"
}

# start_server DSN NAME [limits]: the server, with the review rate limits
# off unless the third argument is "limits" (then the shipped defaults).
start_server() {
  local dsn=$1 name=$2 review_rate=0 address_rate=0
  if [ "${3:-}" = limits ]; then review_rate=30 address_rate=300; fi
  HAOCHA_REVIEW_RATE=$review_rate HAOCHA_ADDRESS_RATE=$address_rate HAOCHA_BENCH_NOW=$CLOCK HAOCHA_LOG_LEVEL=$LOG_LEVEL \
    "$BIN" serve --db "$dsn" --addr "127.0.0.1:$PORT" --no-demo 2>"$WORK/serve-$name.log" &
  SERVER_PID=$!
  local started
  started=$(date +%s.%N)
  # Ready once the boards the pages draw are warm: minutes at 10M reviews
  # (an hour allowed), seconds when the last run stored them.
  for _ in $(seq 1 18000); do
    if "$BENCH" loadgen --url "$URL" --get /healthz --requests 1 --json 2>/dev/null | jq -e '.ok == 1' >/dev/null; then
      READY=$(echo "$(date +%s.%N) - $started" | bc -l | xargs printf '%.1f')
      log "$name: ready after $READY s"
      return
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  log "server did not start; its log:"
  tail -20 "$WORK/serve-$name.log" >&2
  exit 1
}

# peak_rss: the running server's peak resident set, in MiB.
peak_rss() {
  awk '/^VmHWM:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

# cpu_ticks: the running server's user and system CPU time so far, in ticks.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}

# ms FILE: "p50 / p95 / p99" of a loadgen result.
ms() { jq -r '"\(.p50_ms) / \(.p95_ms) / \(.p99_ms)"' "$1"; }
# errs FILE: errors by status, or 0.
errs() { jq -r 'if (.errors | length) == 0 then "0" else (.errors | to_entries | map("\(.key): \(.value)") | join(", ")) end' "$1"; }
# median FILE...: one loadgen result whose every figure is the median of
# the files' (the middle one of an odd count, the lower middle of an even);
# errors by status likewise, a status missing from a run counting 0.
median() {
  jq -s '
    def med: sort | .[(length - 1) / 2 | floor];
    . as $runs
    | (map(.errors // {} | keys) | add // [] | unique) as $statuses
    | $runs[0] + (reduce ("throughput", "p50_ms", "p95_ms", "p99_ms", "requests", "ok",
        "cpu_review", "cpu_request", "client_cpu_us", "held_pct", "stored") as $k ({}; .[$k] = ($runs | map(.[$k]) | med)))
    + {errors: (reduce $statuses[] as $s ({}; .[$s] = ($runs | map(.errors[$s] // 0) | med)) | with_entries(select(.value > 0))),
       runs: ($runs | length)}' "$@"
}
commas() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
mark() { if [ "$1" = 1 ]; then echo "yes"; else echo "**no**"; fi; }

# sql DSN QUERY: the first value QUERY answers.
sql() {
  if [[ $1 == postgres* ]]; then psql -qXtA "$1" -c "$2"; else sqlite3 "$1" "$2"; fi
}

# index_runs BACKEND N DSN LOAD: the index part over the loaded data, one
# INDEX_ROWS line per request path.
index_runs() {
  local backend=$1 n=$2 dsn=$3 secs=$4 hall window ws stage district agency code paths=() p f p95 before after cpu
  local -A first=()
  # Members with reviews, so that no figure is of an empty member.
  hall=$(sql "$dsn" "SELECT hall FROM reviews WHERE hall IS NOT NULL LIMIT 1")
  window=$(sql "$dsn" "SELECT window_code FROM reviews WHERE window_code IS NOT NULL LIMIT 1")
  ws=$(sql "$dsn" "SELECT workstation FROM reviews WHERE workstation IS NOT NULL LIMIT 1")
  district=$(sql "$dsn" "SELECT code FROM units WHERE kind = 'district' ORDER BY code LIMIT 1")
  agency=$(sql "$dsn" "SELECT code FROM units WHERE kind = 'agency' ORDER BY code LIMIT 1")
  # A staff member's stats need a staff login (loadgen has none): not measured here.
  stage=$(sql "$dsn" "SELECT stage FROM reviews WHERE item = '$ITEM' LIMIT 1")
  # The public pages: a district's and an agency's, a hall's (its
  # windows and workstations ranked over the quarter, or the year), an
  # item's.
  paths+=("/index" "/units/$UNIT" "/units/$agency" "/halls/$hall" "/halls/$hall?period=year" "/items/$ITEM")
  for s in city district agency unit hall window workstation item stage channel centre; do
    paths+=("/api/v1/index?scope=$s")
  done
  for sc in "city city" "district $district" "agency $agency" "unit $UNIT" "hall $hall" "window $window" "workstation $ws" \
    "item $ITEM" "stage $stage" "channel app" "centre 12345"; do
    set -- $sc
    paths+=("/api/v1/indicators?scope=$1&code=$2")
  done
  # A year up to the server's today in the city (a period that is not
  # standard); the machine's own date may be a day behind it.
  paths+=("/api/v1/index?scope=city&from=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date -d "$CLOCK" +%F) -1 year" +%F)")
  paths+=("/api/v1/stats?hall=$hall" "/api/v1/stats?stage=$stage" "/api/v1/stats?workstation=$ws"
    "/api/v1/stats?item=$ITEM" "/api/v1/stats?channel=app"
    "/api/v1/stats?unit=$UNIT&item=$ITEM" "/api/v1/stats?item=$ITEM&stage=$stage" "/api/v1/stats?agency=SHGA&channel=app"
    "/api/v1/stats?district=$UNIT&channel=window")
  # How long the server took to say ready, and whether it started from
  # the boards its last run stored (the usual restart) or computed them all.
  local restored
  restored=$(sed -n 's/.*boards of the last run restored.* boards=\([0-9]*\).*/\1/p' "$WORK/serve-stats-$backend-$n.log" | tail -1)
  INDEX_NOTES+=("- $backend, $(commas "$n") reviews: ready ${READY} s after the server started, $(if [ -n "$restored" ]; then
    echo "$restored boards restored from the last run's"; else echo "no boards stored by a last run (every one computed)"; fi).")
  # Each path's first visit since the server started, before any path is
  # measured: what a first visitor waits for with the boards warmed at
  # start (and anything a page computes that they do not hold).
  for p in "${paths[@]}"; do
    first[$p]=$("$BENCH" loadgen --url "$URL" --get "$p" --requests 1 --concurrency 1 --json | jq .max_ms)
    log "$backend: $p first visit ${first[$p]} ms"
  done
  for p in "${paths[@]}"; do
    f="$WORK/index-$backend-$n-${p//[^a-zA-Z0-9]/_}.json"
    "$BENCH" loadgen --url "$URL" --get "$p" --requests 5 --concurrency 1 --json >/dev/null
    # The server's CPU over the measured requests, a figure the machine's
    # load does not inflate as it does the latencies (the boards' refresh
    # in the background included).
    before=$(cpu_ticks)
    "$BENCH" loadgen --url "$URL" --get "$p" --requests "$INDEX_REQUESTS" --concurrency 1 --json >"$f"
    after=$(cpu_ticks)
    cpu=$(echo "($after - $before) / $TICK * 1000000 / $INDEX_REQUESTS" | bc -l | xargs printf '%.0f')
    p95=$(jq .p95_ms "$f")
    INDEX_ROWS+=("| $backend | $(commas "$n") | \`$p\` | $(ms "$f") | $(mark "$(echo "$p95 < 50" | bc -l)") | ${first[$p]} | $(mark "$(echo "${first[$p]} < 1000" | bc -l)") | $(commas "$cpu") | $(errs "$f") | $secs |")
    log "$backend: $p p95 ${p95} ms"
  done
}

# intake_run BACKEND DSN KIND CLIENTS ROUND: one intake run against the
# running server, KIND honest, flood or rotate (the rotating flood), its
# figures in $WORK/intake-BACKEND-KIND-CLIENTS-ROUND.json.
intake_run() {
  local backend=$1 dsn=$2 kind=$3 c=$4 rep=$5 who top before after f stored held_n
  case $kind in
  honest) who=(--sources "$SOURCES" --devices "$DEVICES") ;;
  flood) who=() ;;
  rotate) who=(--sources 254 --rotate) ;;
  esac
  log "$backend: $kind intake with $c clients for $DURATION (round $rep of $REPEAT)"
  # Settled as each ceiling run is (settle, in the header), with the
  # server running: the run before, or the city's past loaded before the
  # first, leaves its dirty pages and dead rows to this one otherwise.
  settle "$dsn"
  # Each run its own seed: its devices are named by it, so that no
  # device of one run is paced against another's (device rule).
  if [ "$WARMUP" != 0 ] && [ $kind = honest ]; then
    RUN=$((RUN + 1))
    "$BENCH" loadgen --url "$URL" --concurrency "$c" --duration "$WARMUP" --seed "$RUN" --now "$CLOCK" \
      --sources "$SOURCES" --devices "$DEVICES" --json >/dev/null
  fi
  RUN=$((RUN + 1))
  # Held of stored: of the reviews this run stored (ids past the last
  # before it), those held by its end. Counting every held row instead
  # took in earlier reviews that this run's bursts held with them, and
  # could pass 100%.
  top=$(sql "$dsn" "SELECT COALESCE(MAX(id), 0) FROM reviews")
  before=$(cpu_ticks)
  f="$WORK/intake-$backend-$kind-$c-$rep.json"
  "$BENCH" loadgen --url "$URL" --concurrency "$c" --duration "$DURATION" --seed "$RUN" --now "$CLOCK" "${who[@]}" --json \
    >"$f.run"
  after=$(cpu_ticks)
  IFS='|' read -r stored held_n <<<"$(sql "$dsn" "SELECT COUNT(*), COUNT(held) FROM reviews WHERE id > $top")"
  # The run's own figures beside loadgen's: server CPU a review and a
  # request (µs), the share held (%), the reviews stored.
  jq --argjson ticks "$((after - before))" --argjson tick "$TICK" --argjson stored "$stored" --argjson held "$held_n" \
    '. + {cpu_review: ($ticks / $tick * 1e6 / ([.ok, 1] | max)), cpu_request: ($ticks / $tick * 1e6 / ([.requests, 1] | max)),
      held_pct: (100 * $held / ([$stored, 1] | max)), stored: $stored}' "$f.run" >"$f"
  log "$backend: $kind $(jq .throughput "$f")/s with $c clients, $(jq '.cpu_review | round' "$f") µs CPU a review," \
    "$(jq '.cpu_request | round' "$f") µs a request, $(jq '.held_pct | round' "$f")% held"
}

LOAD_START=$(uptime | sed 's/.*load average: /load average /')
log "building into $WORK"
go build -o "$BIN" ./cmd/haocha
go build -o "$BENCH" ./cmd/haocha-bench

INTAKE_ROWS=()
RUN=0 # loadgen runs so far: each its own seed
STATS_ROWS=()
INDEX_ROWS=()
INDEX_NOTES=()
for backend in $BACKENDS; do
  if [ "$ONLY" != stats ] && [ "$ONLY" != index ]; then
  # (a)–(c): a database holding the catalogue (and whatever reviews
  # 'demo --reviews 0' adds); each ceiling at its best writer count, then
  # intake at each client count, then the multi-row ceiling.
  dsn=$(fresh_db "$backend")
  load_demo "$dsn" 0 >/dev/null
  log "$backend: ceilings with $WRITERS writers, $CEILING_RUNS runs each of $DURATION"
  read -r best bestw <<<"$(ceilings "$dsn" "raw-$backend" 1 $WRITERS)"
  declare -A CEIL=()
  for w in $WRITERS; do CEIL[$w]=$(jq .throughput "$WORK/raw-$backend-$w.json"); done
  f="$WORK/raw-$backend-$bestw.json"
  ceil_desc=
  [ "$CEILING_RUNS" = 1 ] || ceil_desc=", median of $CEILING_RUNS"
  INTAKE_ROWS+=("| $backend | ceiling, 1 row a transaction, best of $WRITERS writers ($bestw)$ceil_desc | $best | $(ms "$f") | $(errs "$f") | | | | | |")
  # Honest traffic (many networks, many devices, each paced as a citizen)
  # and a flood (one address, one browser) side by side, on a server with
  # the shipped limits, at the halls' opening hours, in a database of its
  # own: the ceiling's rows, dated by the machine's clock, are none of the
  # city's past. The city has the past of one as busy as the load (above).
  dsn=$(fresh_db "$backend")
  load_demo "$dsn" 0 >/dev/null
  "$BENCH" history --db "$dsn" --rate "$CITY_RATE" --now "$CLOCK" >&2
  start_server "$dsn" "intake-$backend" limits
  # REPEAT rounds of every run, alternating (honest, flood, honest, ...),
  # each run's figures kept in a file of its own; the rows are their
  # medians (median below).
  for rep in $(seq 1 "$REPEAT"); do
  for c in $CLIENTS; do
    for kind in honest flood; do
      if [ $kind = flood ] && [ "$c" != "$CONC" ]; then continue; fi
      intake_run "$backend" "$dsn" "$kind" "$c" "$rep"
    done
  done
  done
  # The rotating flood's rounds, once the rounds above are done.
  for rep in $(seq 1 "$REPEAT"); do
    intake_run "$backend" "$dsn" rotate "$CONC" "$rep"
  done
  for c in $CLIENTS; do
    for kind in honest flood rotate; do
      if [ $kind != honest ] && [ "$c" != "$CONC" ]; then continue; fi
      f="$WORK/intake-$backend-$kind-$c.json"
      median "$WORK"/intake-"$backend"-"$kind"-"$c"-*[0-9].json >"$f"
      intake=$(jq .throughput "$f")
      cpu=$(jq '.cpu_review | round' "$f")
      per_req=$(jq '.cpu_request | round' "$f")
      client=$(jq '.client_cpu_us // 0 | round' "$f")
      held="$(jq '.held_pct | round' "$f")%"
      stored=$(jq '.stored | round' "$f")
      base=${CEIL[$c]:-$best}
      ratio=$(echo "$intake / ($base + ($base == 0))" | bc -l)
      case $kind in
      honest)
        goal="$cpu $(mark "$(echo "$cpu <= 150" | bc -l)")"
        desc="honest, $c clients, $SOURCES addresses, $DEVICES devices"
        ;;
      flood)
        goal="$per_req a request $(mark "$(echo "$per_req <= 50" | bc -l)")"
        desc="flood, $c clients, one address and browser"
        ;;
      rotate)
        # Mostly stored, not refused: the goal of a refused request is
        # not its own.
        goal="$per_req a request"
        desc="rotating flood, $c clients, a new browser every request from 254 addresses"
        ;;
      esac
      [ "$REPEAT" = 1 ] || desc="$desc, median of $REPEAT"
      INTAKE_ROWS+=("| $backend | $desc | $intake | $(ms "$f") | $(errs "$f") \
| $(printf '%.0f%%' "$(echo "$ratio * 100" | bc -l)") of $base ($c writers) | $goal | $client | $held of $stored | RSS_PLACEHOLDER |")
    done
  done
  rss=$(peak_rss)
  stop_server
  for i in $(seq 1 "$(( $(echo $CLIENTS | wc -w) + 2 ))"); do
    last=$((${#INTAKE_ROWS[@]} - i))
    INTAKE_ROWS[last]=${INTAKE_ROWS[last]/RSS_PLACEHOLDER/$rss $(mark "$(echo "$rss < 150" | bc -l)")}
  done
  log "$backend: multi-row ceilings, $BATCH rows a transaction, 1 and 4 writers"
  read -r bbest bbestw <<<"$(ceilings "$dsn" "batch-$backend" "$BATCH" 1 4)"
  f="$WORK/batch-$backend-$bbestw.json"
  INTAKE_ROWS+=("| $backend | ceiling, $BATCH rows a transaction, best of 1 and 4 writers ($bbestw)$ceil_desc | $bbest | $(ms "$f") | $(errs "$f") | | | | | |")
  fi
  [ "$ONLY" != intake ] || continue

  # (d)–(e): stats over each size of demo data, or over the database
  # loaded before for this backend.
  loaded=
  if [ -n "${BENCH_DB:-}${BENCH_PG_DB:-}" ]; then
    if [ "$backend" = sqlite ]; then loaded=${BENCH_DB:-}; else loaded=${BENCH_PG_DB:-}; fi
    if [ -z "$loaded" ]; then
      log "$backend: no database loaded before for it (BENCH_DB, BENCH_PG_DB): skipped"
      continue
    fi
    SIZES=$(sql "$loaded" "SELECT COUNT(*) FROM reviews")
  fi
  for n in $SIZES; do
    if [ -n "$loaded" ]; then
      dsn=$loaded secs="loaded before"
    else
      log "$backend: loading $n demo reviews over $DAYS days"
      dsn=$(fresh_db "$backend")
      secs="$(load_demo "$dsn" "$n")s"
    fi
    log "$backend: loaded in $secs"
    start_server "$dsn" "stats-$backend-$n"
    if [ "$ONLY" != stats ]; then
      index_runs "$backend" "$n" "$dsn" "$secs"
    fi
    if [ "$ONLY" = index ]; then
      stop_server
      continue
    fi
    for q in "" "?unit=$UNIT" "?item=$ITEM"; do
      f="$WORK/stats-$backend-$n-${q//[^a-zA-Z0-9]/_}.json"
      "$BENCH" loadgen --url "$URL" --get "/api/v1/stats$q" --requests 5 --concurrency 1 --json >/dev/null
      "$BENCH" loadgen --url "$URL" --get "/api/v1/stats$q" --requests "$STATS_REQUESTS" \
        --concurrency "$STATS_CONC" --json >"$f"
      p95=$(jq .p95_ms "$f")
      STATS_ROWS+=("| $backend | $(commas "$n") | ${q:-(none)} | $(ms "$f") | $(mark "$(echo "$p95 < 50" | bc -l)") \
| $(errs "$f") | $secs | RSS_PLACEHOLDER |")
    done
    rss=$(peak_rss)
    stop_server
    for i in 1 2 3; do
      last=$((${#STATS_ROWS[@]} - i))
      STATS_ROWS[last]=${STATS_ROWS[last]/RSS_PLACEHOLDER/$rss $(mark "$(echo "$rss < 200" | bc -l)")}
    done
    log "$backend: $n reviews done, peak RSS $rss MiB"
  done
done

LOAD=$(uptime | sed 's/.*load average: /load average /')

DATA_NOTE="Each size loaded fresh with \`haocha demo --reviews N --days $DAYS\`."
if [ -n "${BENCH_DB:-}${BENCH_PG_DB:-}" ]; then
  DATA_NOTE="One database loaded before with \`haocha demo --reviews N --days $DAYS\` and migrated by the server at start."
fi
# The index section, kept in a file: a full run puts it before Durability;
# BENCH_ONLY=index puts it in place of the last one and keeps the rest.
{
  echo "## Evaluation index latency"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); Haocha commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $(nproc) cores, load at the start:" \
    "$LOAD_START; at the end: $LOAD. $DATA_NOTE The server's clock at start: $CLOCK. $INDEX_REQUESTS requests per path, one" \
    "client, after 5 unmeasured; latency in ms, p50 / p95 / p99, to the last byte. Periods are the default 30 days up to" \
    "today unless the path says otherwise. Review counts come from the day rollups (review_rollups, one row per" \
    "axis, member, day, dimension set and shard; by origin since migration 0051), work-order counts from the order" \
    "rollups (migration 0215) for the days they hold, from the orders due for the others. The public pages (\`/index\`, \`/units/{code}\`), \`/api/v1/index\` and" \
    "\`/api/v1/indicators\` serve from internal/board's one-minute cache, warmed before the server says ready" \
    "(the boards of the standard periods and the pages' complaint themes); stats compute every request. The column" \
    "'first' is each path's first visit after the server started and said ready, all taken before any path is" \
    "measured. 'Server CPU a request' is the server's user and system CPU over the measured requests of the path" \
    "divided by them, what the boards' refresh in the background took meanwhile included: on a busy machine the" \
    "figure to compare, as the latencies measure the contention." \
    "\`/api/v1/index\` answers its default page, the first 1,000 members of the board." \
    "Goal: p95 under 50 ms and first visit under 1 s at 10,000,000 reviews."
  echo
  echo "| backend | reviews | path | latency | p95 < 50 ms | first visit (ms) | first < 1 s | server CPU a request (µs) | errors | demo load |"
  echo "| --- | ---: | --- | ---: | :---: | ---: | :---: | ---: | --- | ---: |"
  printf '%s\n' "${INDEX_ROWS[@]}"
  echo
  echo "Time to ready (\`GET /healthz\` 200: every board the pages draw held, restored or computed):"
  echo
  printf '%s\n' "${INDEX_NOTES[@]}"
} >"$WORK/index.md"
if [ "$ONLY" = index ]; then
  touch "$OUT"
  awk -v sec="$WORK/index.md" '
    /^## Evaluation index latency$/ { skip = 1; next }
    /^## / { skip = 0 }
    /^## Durability$/ && !done { while ((getline l < sec) > 0) print l; print ""; done = 1 }
    !skip { print }
    END { if (!done) { print ""; while ((getline l < sec) > 0) print l } }' "$OUT" >"$WORK/out.md"
  cp "$WORK/out.md" "$OUT"
  log "wrote the index section of $OUT"
  exit 0
fi
# A first intake-only run into a new file has no stats section to keep.
if [ "$ONLY" = intake ]; then touch "$OUT"; cp "$OUT" "$OUT.prev"; fi
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
pgver=$(psql -qXtA "$PG/postgres?sslmode=disable" -c "SHOW server_version" 2>/dev/null || echo "not reachable")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ":(exclude)$OUT" 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
# scripts/durability.sh and scripts/bench-transactions.sh keep their own sections at the end of the file.
durability=$(awk '/^## (Durability|Transaction batches)$/ { p = 1; print; next } /^## / { p = 0 } p' "$OUT" 2>/dev/null || true)

{
  echo "# Benchmark results"
  echo
  echo "Written by \`scripts/bench.sh\`; do not edit by hand, run the script again."
  if [ "$ONLY" = intake ]; then
    echo
    echo "**The intake part alone** (runs of $DURATION, backends $BACKENDS, \`BENCH_ONLY=intake\`); the stats" \
      "section below is kept from the previous run, with its own parameters."
  elif [ "$SIZES" != "1000000 10000000" ] || [ "$DURATION" != 20s ] || [ "$BACKENDS" != "sqlite postgres" ]; then
    echo
    echo "**A small run** (sizes $SIZES, runs of $DURATION, backends $BACKENDS), not the benchmark of record:" \
      "run \`scripts/bench.sh\` with its defaults for that."
  fi
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) × $cpu, $mem, $(uname -sr)"
  echo "- Go: $(go env GOVERSION); PostgreSQL: $pgver; Haocha commit $commit"
  echo "- Parameters: runs of $DURATION after a ${WARMUP} warm-up; stats: $STATS_REQUESTS requests" \
    "per query at concurrency $STATS_CONC after 5 unmeasured, demo reviews spread over $DAYS days; server log level $LOG_LEVEL;" \
    "intake with the shipped review limits and fraud rules, the server's clock at $CLOCK"
  echo
  echo "## Intake against the raw ceiling"
  echo
  echo "Ceiling: \`haocha-bench benchraw\`, one autocommit \`INSERT INTO reviews\` per review from each of $WRITERS" \
    "writers, each the median of $CEILING_RUNS runs (\`BENCH_CEILING_RUNS\`) taken in rounds over the writer counts," \
    "each run after a CHECKPOINT and VACUUM ANALYZE (SQLite: a WAL checkpoint), the best median kept (the 1-client intake row is compared with the 1-writer ceiling, others with the" \
    "ceiling at their own concurrency); rows made by the same generator as loadgen's payloads (SQLite: WAL," \
    "synchronous=FULL, a pool of as many connections as writers waiting on busy_timeout; PostgreSQL: default" \
    "synchronous_commit=on). The multi-row ceiling stores $BATCH rows with one INSERT a transaction: the most" \
    "a group commit of that size could do. Intake: \`haocha-bench loadgen\` posting to \`POST /api/v1/reviews\` with" \
    "$CLIENTS clients in turn against one server: honest traffic (\`--sources $SOURCES --devices $DEVICES\`, each" \
    "device at most once in 150 s) and, at $CONC clients, a flood (one address, one browser); only 201s count" \
    "as throughput. Each intake row gives the medians of $REPEAT runs (\`BENCH_REPEAT\`), taken in $REPEAT rounds" \
    "of every run in turn (honest, flood, honest, ...) on the same server, after the ceilings of the same" \
    "script run, each run settled first as each ceiling run is; each figure is its own median. The intake database has the past of a city receiving $CITY_RATE reviews a second, as day" \
    "rollups (\`haocha-bench history\`), which the relative detectors learn usual rates from. Latencies in ms," \
    "p50 / p95 / p99. CPU: the server's user + system time over the run" \
    "(/proc/PID/stat) divided by the reviews accepted (honest; goal ≤ 150 µs) or by all requests (flood," \
    "nearly all refused 429; goal ≤ 50 µs). loadgen CPU: the load generator's own user + system time over the" \
    "run (getrusage, its \`client_cpu_us\`) divided by all its requests, taken from the cores the server" \
    "runs on. The rotating flood (\`--rotate --sources 254\`: a new browser every" \
    "request, from 254 addresses in turn), in $REPEAT runs after all the others, passes the limits that count a" \
    "client until each address reaches the address limit: its CPU is per request, accepted or refused (429s" \
    "under errors). Held: of the reviews the run stored, those held by its end." \
    "Peak RSS: the server's over all intake runs, goal under 150 MiB."
  echo
  echo "Every acknowledged row is durable in every row. A single-row commit costs one WAL flush, so the" \
    "ceiling is bounded by the disk's sync rate (on SQLite, also by one writer at a time, the others" \
    "sleeping in the busy handler). Intake can pass it: it puts the reviews that arrive during a commit" \
    "into the next one (group commit). loadgen runs on the same $(nproc) cores as the server and the" \
    "database, and takes its share of them. Load on the machine at the end of the run: $LOAD."
  echo
  echo "| backend | run | rows or 201s per second | latency | errors | intake / ceiling | server CPU (µs): per review ≤ 150, per flood request ≤ 50 | loadgen CPU (µs) a request | held of stored | server peak RSS (MiB) < 150 |"
  echo "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${INTAKE_ROWS[@]}"
  echo
  if [ "$ONLY" = intake ]; then
    # The stats part was not run: keep what the last full run wrote.
    sed -n '/^## GET \/api\/v1\/stats latency/,$p' "$OUT.prev"
  else
  echo "## GET /api/v1/stats latency"
  echo
  echo "Each size loaded fresh with \`haocha demo --reviews N --days $DAYS\` (PostgreSQL then \`VACUUM ANALYZE\`, not counted in the load time)." \
    "Latency in ms, p50 / p95 / p99, to the last byte. Goal: p95 under 50 ms at 10,000,000 reviews;" \
    "peak RSS is the server's over all three queries."
  echo
  echo "| backend | reviews | filter | latency | p95 < 50 ms | errors | demo load | server peak RSS (MiB) < 200 |"
  echo "| --- | ---: | --- | ---: | :---: | --- | ---: | ---: |"
  printf '%s\n' "${STATS_ROWS[@]}"
  if [ "$ONLY" != stats ]; then
    echo
    cat "$WORK/index.md"
  fi
  if [ -n "$durability" ]; then
    echo
    printf '%s\n' "$durability"
  fi
  fi
} >"$OUT"
rm -f "$OUT.prev"
log "wrote $OUT"
cat "$OUT"
