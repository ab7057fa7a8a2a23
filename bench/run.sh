#!/usr/bin/env bash
# Lumbung benchmarks: import speed and memory, and API throughput under wrk.
#
#   bench/run.sh [CASES]      (default 100000)
#
# Needs: a release build (cargo build --release), GNU time and wrk
# (apt-get install -y time wrk). Everything runs on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BIN=target/release/lumbung
PORT=${PORT:-18181}
WORK=$(mktemp -d /tmp/lumbung-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
[ -x "$BIN" ] || cargo build --release

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  read -r secs kb < "$WORK/time"
  printf '%-46s %8.2f s   peak RSS %6d MB\n' "$label" "$secs" $((kb / 1024))
}

echo "== import ($(nproc) cores)"
measure "Participedia CSV import (2,258 rows)" \
  $BIN import --data "$WORK/p" --format csv ../shared/data/participedia/cases.csv
measure "generate $N cases (demo --generate)" \
  $BIN demo --data "$WORK/g" --no-serve --generate "$N"
$BIN export --data "$WORK/g" --format jsonl --out "$WORK/cases.jsonl" 2>/dev/null
printf '%-46s %8s MB\n' "JSON Lines file" $(( $(stat -c %s "$WORK/cases.jsonl") / 1048576 ))
measure "JSON Lines import of $(grep -c '"kind":"case"' "$WORK/cases.jsonl") cases" \
  $BIN import --data "$WORK/i" --format jsonl "$WORK/cases.jsonl"
measure "reindex (search index of every published case)" $BIN reindex --data "$WORK/i"
printf '%-46s %8s MB\n' "search index size" $(( $(du -sb "$WORK/i/index" | cut -f1) / 1048576 ))
measure "check of the imported node (store + index)" $BIN check --data "$WORK/i"
printf '%-46s %8s MB\n' "database size" $(( $(du -sb "$WORK/i" | cut -f1) / 1048576 ))

echo "== HTTP under wrk (2 threads, 64 connections, 20 s each)"
$BIN serve --data "$WORK/i" --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
ID=$(curl -sf "http://127.0.0.1:$PORT/api/v1/cases?limit=1&country=ID" | sed -E 's/.*"id":"([0-9A-Z]{26})".*/\1/')
for target in "/api/v1/cases/$ID" "/api/v1/cases?limit=20" "/api/v1/cases?country=ID&sector=health&limit=20" \
              "/api/v1/search?q=pelayanan+publik&lang=id" "/api/v1/search?q=citizens+budget&country=ID,PH" \
              "/" "/search?q=pelayanan+publik" "/cases/$ID"; do
  wrk -t2 -c64 -d20s --latency "http://127.0.0.1:$PORT$target" > "$WORK/wrk"
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk"); p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk")
  errors=$(grep -E "Non-2xx|Socket errors" "$WORK/wrk" | tr '\n' ' ' || true)
  printf 'GET %-44s %9s req/s  p50 %8s  p99 %8s %s\n' "$target" "$rps" "$p50" "$p99" "$errors"
done
rss=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status); hwm=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)
anon=$(awk '/RssAnon/ {print $2}' /proc/$SERVER/status); file=$(awk '/RssFile/ {print $2}' /proc/$SERVER/status)
printf 'server resident memory: %d MB now (%d MB heap, %d MB mapped files), %d MB peak\n' \
  $((rss / 1024)) $((anon / 1024)) $((file / 1024)) $((hwm / 1024))
