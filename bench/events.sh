#!/usr/bin/env bash
# Events at scale (issue #11): `/events`, `/events.ics` and `/events.atom` on
# a node with the demo content, N generated cases and E events.
#
#   bench/events.sh [CASES] [EVENTS]   (defaults 100000 and 1000; BIN=… for another
#                                       binary; DUR=10s, CONN=8; KEEP=1 keeps the folder)
#
# Seeding: `lumbung demo --generate N`, then E events created through the API
# as the curator (the real use case, eight at a time): every kind and level,
# five time zones, four countries, starts spread from 2024 to 2028 (so both
# lists, upcoming and past, are full), a third of them in a series with
# editions. Rows: each URL's throughput with CONN connections (wrk, anonymous,
# as readers and calendar clients get them), p50 and p99, and the bytes of one
# answer; then one request at a time for the page's own latency.
# Needs: a release build (or BIN), wrk, curl, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-100000}
E=${2:-1000}
BIN=${BIN:-target/release/lumbung}
WORK=$(mktemp -d /tmp/lumbung-events.XXXXXX)
DUR=${DUR:-10s}
CONN=${CONN:-8}
PORT=${PORT:-18441}
L=http://127.0.0.1:$PORT
bench_prelude

echo "== a node with the demo content, $N generated cases and $E events ($(nproc) cores, $(uptime | sed 's/.*load/load/'))"
demo_node "$N"

kinds=(forum conference workshop webinar study_visit peer_learning)
levels=(national regional international)
zones=(Asia/Jakarta Asia/Makassar Asia/Jayapura Asia/Manila Europe/Paris)
countries=(ID PH MY FR)
series=(apgf pekan-inovasi opsi-conference)
: > "$WORK/events"
for i in $(seq 1 "$E"); do
  z=$(( i % 5 ))
  year=$(( 2024 + i % 5 ))
  month=$(printf '%02d' $(( 1 + i % 12 )))
  day=$(printf '%02d' $(( 1 + i % 28 )))
  hour=$(printf '%02d' $(( 8 + i % 9 )))
  s=""
  if [ $(( i % 3 )) -eq 0 ]; then
    s=",\"series\":\"${series[$(( (i / 3) % 3 ))]}\",\"edition\":$year"
  fi
  printf '{"title":"Learning event %d on public service innovation","kind":"%s","level":"%s","starts_at":"%s-%s-%sT%s:00","duration_minutes":%d,"time_zone":"%s","city":"City %d","country":"%s","online_url":"https://meet.example.org/e%d","countries":["%s"],"registration_open":true%s}\n' \
    "$i" "${kinds[$(( i % 6 ))]}" "${levels[$(( i % 3 ))]}" "$year" "$month" "$day" "$hour" $(( 60 + 30 * (i % 8) )) \
    "${zones[$z]}" "$i" "${countries[$(( i % 4 ))]}" "$i" "${countries[$(( i % 4 ))]}" "$s" >> "$WORK/events"
done
create() {
  local code
  local out
  out=$(mktemp)
  code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary "$1" "$L/api/v1/events")
  [ "$code" = 201 ] || { echo "POST /api/v1/events: HTTP $code for $1: $(cat "$out")" >&2; rm -f "$out"; return 1; }
  rm -f "$out"
}
export -f create
export L TOKEN
started=$(date +%s.%N)
tr '\n' '\0' < "$WORK/events" | xargs -0 -P 8 -n 1 bash -c 'create "$1"' _
printf '  %s events created through the API in %.1f s\n' "$E" "$(echo "$(date +%s.%N) - $started" | bc)"
total=$(curl -sf "$L/api/v1/events?when=all&limit=1" | jq -r '.total')
echo "  /api/v1/events?when=all reports $total events (the demo's and these)"
settle "$BIN serve --data $WORK"

echo "== throughput (wrk -t2 -c$CONN -d$DUR, anonymous)"
printf '  %-42s %9s %9s %9s %10s\n' URL req/s p50 p99 bytes
row() {
  local path=$1 out
  local status
  status=$(curl -s -o "$WORK/body" -w '%{http_code}' "$L$path")
  [ "$status" = 200 ] || { echo "GET $path: $status"; exit 1; }
  out=$(wrk -t2 -c"$CONN" -d"$DUR" --latency "$L$path")
  if grep -q 'Non-2xx' <<< "$out"; then echo "non-2xx answers from $path"; echo "$out"; exit 1; fi
  printf '  %-42s %9s %9s %9s %10s\n' "$path" "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")" \
    "$(awk '$1=="50%" {print $2}' <<< "$out")" "$(awk '$1=="99%" {print $2}' <<< "$out")" "$(wc -c < "$WORK/body")"
}
row "/events"
row "/events?level=regional&country=ID"
row "/events.ics"
row "/events.ics?country=PH"
row "/events.atom"
row "/api/v1/events"

echo "== one request at a time (wrk -t1 -c1 -d$DUR): the answer's own latency"
for path in "/events" "/events.ics"; do
  out=$(wrk -t1 -c1 -d"$DUR" --latency "$L$path")
  printf '  %-42s p50 %-9s p99 %-9s (%s req/s)\n' "$path" "$(awk '$1=="50%" {print $2}' <<< "$out")" \
    "$(awk '$1=="99%" {print $2}' <<< "$out")" "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")"
done
