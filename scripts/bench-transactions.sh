#!/usr/bin/env bash
# Measures transaction batches (办件) on this machine: SaveTransactions (the
# store's write) and POST /api/v1/transactions (from 1 and 4 clients), in
# batches of 1,000, on SQLite and PostgreSQL, each run BENCH_TXN_COUNT
# times, and writes the medians to the "Transaction batches" section of
# bench/RESULTS.md, keeping the rest of the file.
#
#   scripts/bench-transactions.sh
#
# Variables: BENCH_TXN_COUNT (3), BENCH_TXN_BATCHES (batches a run, 30),
# HAOCHA_TEST_POSTGRES (the PostgreSQL test database; the local one by
# default), BENCH_OUT (bench/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${BENCH_TXN_COUNT:-3}
BATCHES=${BENCH_TXN_BATCHES:-30}
OUT=${BENCH_OUT:-bench/RESULTS.md}
export HAOCHA_TEST_POSTGRES=${HAOCHA_TEST_POSTGRES:-postgres://haocha:haocha@127.0.0.1:5432/haocha_test?sslmode=disable}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

go test ./internal/store -run '^$' -bench 'SaveTransactions' -benchtime "${BATCHES}x" -count "$COUNT" | tee "$WORK/raw.txt"
go test ./internal/console -run '^$' -bench 'TransactionBatchHTTP' -benchtime "${BATCHES}x" -count "$COUNT" | tee -a "$WORK/raw.txt"
load=$(cut -d' ' -f1-3 /proc/loadavg)

# One row per benchmark: the median and the range of txn/s, the median CPU.
rows=$(awk '
  /^Benchmark/ {
    name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
    for (i = 2; i < NF; i++) { if ($(i+1) == "txn/s") rate = $i; if ($(i+1) == "cpu-µs/txn") cpu = $i }
    if (!(name in n)) order[++k] = name
    n[name]++; r[name, n[name]] = rate; c[name, n[name]] = cpu
  }
  function median(a, name, m,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[name, i] + 0
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    lo = v[1]; hi = v[m]
    return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END {
    for (x = 1; x <= k; x++) {
      name = order[x]
      mr = median(r, name, n[name]); rlo = lo; rhi = hi
      mc = median(c, name, n[name])
      printf "| %s | %.0f | %.0f – %.0f | %.1f | %s |\n", name, mr, rlo, rhi, mc, (mr >= 20000 ? "yes" : "**no**")
    }
  }' "$WORK/raw.txt")

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ":(exclude)$OUT" 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
section="$WORK/section.md"
{
  echo "## Transaction batches"
  echo
  echo "Written by \`scripts/bench-transactions.sh\`. $(date -u '+%Y-%m-%d %H:%M UTC'); Haocha commit $commit;" \
    "$(nproc) cores, load average at the end: $load. Batches of 1,000 new transactions, $BATCHES a run," \
    "$COUNT runs each, the median and the range of transactions per second (wall clock) and the median" \
    "CPU time of the test process per transaction (user + system; it holds the SQLite engine, the HTTP" \
    "server and the clients, not the PostgreSQL server). \`store\`: \`BenchmarkSaveTransactions\`" \
    "(internal/store), the store's write, one INSERT and one transaction per batch, a phone on every" \
    "fourth. \`http\`: \`BenchmarkTransactionBatchHTTP\` (internal/console), \`POST /api/v1/transactions\`" \
    "with the integration token, checked and resolved against the catalogue, from 1 and from 4 clients" \
    "at once. Goal: 20,000 transactions per second."
  echo
  echo "| benchmark | txn/s (median) | range | CPU µs / txn | ≥ 20,000 |"
  echo "| --- | ---: | ---: | ---: | :---: |"
  echo "$rows" | sed -E 's/^\| SaveTransactions\/([a-z]+) /| store, \1 /; s/^\| TransactionBatchHTTP\/([a-z]+)\/clients=([0-9]+) /| http, \1, \2 clients /'
} >"$section"

if [ -f "$OUT" ]; then
  awk '/^## Transaction batches$/ { skip = 1; next } /^## / { skip = 0 } !skip' "$OUT" >"$WORK/rest.md"
  { cat "$WORK/rest.md"; echo; cat "$section"; } >"$OUT"
else
  cp "$section" "$OUT"
fi
echo "wrote the Transaction batches section of $OUT"
