#!/usr/bin/env bash
# Federation benchmark: a full OAI-PMH harvest of N records between two nodes
# on loopback, end to end (into the harvesting node's store and its search
# index), then an incremental harvest of 100 changed records.
#
#   bench/federation.sh [N]      (default 100000)
#
# Needs a release build and curl. Everything runs on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BIN=target/release/lumbung
PA=${PA:-18801}
PB=${PB:-18802}
WORK=$(mktemp -d /tmp/lumbung-fed-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || cargo build --release
now() { date +%s.%N; }
wait_ready() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.5; done; echo "node on $1 did not start"; exit 1; }

echo "== source node A: $N generated cases (page size 500)"
$BIN demo --data "$WORK/a" --no-serve --generate "$N" >/dev/null 2>&1
LUMBUNG_NODE_ID=a.node LUMBUNG_OAI_PAGE_SIZE=500 LUMBUNG_BASE_URL="http://127.0.0.1:$PA" \
  $BIN serve --data "$WORK/a" --addr "127.0.0.1:$PA" >"$WORK/a.log" 2>&1 &
wait_ready "$PA"
TOTAL=$(curl -s "http://127.0.0.1:$PA/api/v1/search?limit=1" | sed -E 's/.*"total":([0-9]+).*/\1/')

echo "== harvesting node B (serving, its index follows the change log)"
LUMBUNG_NODE_ID=b.node $BIN serve --data "$WORK/b" --addr "127.0.0.1:$PB" >"$WORK/b.log" 2>&1 &
wait_ready "$PB"
T0=$(now)
LUMBUNG_NODE_ID=b.node $BIN harvest --data "$WORK/b" --url "http://127.0.0.1:$PA/oai" | tail -1
T1=$(now)
while :; do
  got=$(curl -s "http://127.0.0.1:$PB/api/v1/search?limit=1" | sed -E 's/.*"total":([0-9]+).*/\1/')
  [ "$got" = "$TOTAL" ] && break
  sleep 0.2
done
T2=$(now)
awk -v n="$TOTAL" -v a="$T0" -v b="$T1" -v c="$T2" 'BEGIN {
  printf "full harvest into the store: %.1f s (%.0f records/s)\n", b-a, n/(b-a);
  printf "end to end, searchable on B: %.1f s (%.0f records/s)\n", c-a, n/(c-a) }'

echo "== incremental: 100 records changed at A"
TOKEN=$($BIN token create --data "$WORK/a" --email curator@lumbung.example 2>/dev/null | tail -1)
IDS=$(curl -s "http://127.0.0.1:$PA/api/v1/cases?limit=100&tag=generated" | grep -oE '"id":"[0-9A-Z]{26}"' | cut -d'"' -f4)
for id in $IDS; do
  body=$(curl -s "http://127.0.0.1:$PA/api/v1/cases/$id" | sed 's/"title":{"en":"/"title":{"en":"Changed /')
  curl -s -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    --data "$body" "http://127.0.0.1:$PA/api/v1/cases/$id"
done
T3=$(now)
LUMBUNG_NODE_ID=b.node $BIN harvest --data "$WORK/b" --url "http://127.0.0.1:$PA/oai" | tail -1
T4=$(now)
awk -v a="$T3" -v b="$T4" 'BEGIN { printf "incremental harvest: %.2f s\n", b-a }'
