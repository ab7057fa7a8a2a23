#!/usr/bin/env bash
# Events at scale (issue #11): a node with the demo content, N generated
# cases and 1,000 events, then wrk on `/events` and `/events.ics`.
#
#   bench/events.sh [CASES]          (default 100000)
#   BIN=target/debug/lumbung bench/events.sh 500     (checks the seeding)
#
# The events are written through the real write path (POST /api/v1/events
# as the demo curator, four at a time): each is validated, its agenda's
# cases resolved and the change log written, as a curator's would be. They
# spread over 2024–2028 (past and upcoming), the three levels, six kinds,
# ten countries and five series, and each presents up to three of the
# node's cases. Rows: `/events` (upcoming, the default), `/events?when=past`
# filtered by level, `/events.ics` (every event) and `/events.ics?level=…`,
# anonymous (the page cache answers repeats) and signed in (no cache).
# Needs: wrk, curl; a release build unless BIN says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
EVENTS=${EVENTS:-1000}
BIN=${BIN:-target/release/lumbung}
WORK=$(mktemp -d /tmp/lumbung-events.XXXXXX)
DUR=${DUR:-10s}
PORT=${PORT:-18431}
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk curl; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install wrk curl)"; exit 1; }; done
[ -x "$BIN" ] || cargo build --release -p lumbung

rps() { # url [header] -> "req/s p99"
  local url=$1 header=${2:-}
  if [ -n "$header" ]; then
    wrk -t2 -c32 -d"$DUR" --latency -H "$header" "$url" > "$WORK/wrk"
  else
    wrk -t2 -c32 -d"$DUR" --latency "$url" > "$WORK/wrk"
  fi
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk")
  [ -n "$non2xx" ] && { echo "non-2xx answers from $url: $non2xx"; cat "$WORK/wrk"; exit 1; }
  printf '%s %s' "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk")" "$(awk '$1=="99%" {print $2}' "$WORK/wrk")"
}

row() { # label, "rps p99"
  printf '  %-52s %9s req/s (p99 %s)\n' "$1" "${2%% *}" "${2#* }"
}

echo "== a node with the demo content, $N generated cases and $EVENTS events ($(nproc) cores, $(uptime | sed 's/.*load/load/'))"
start=$(date +%s)
$BIN demo --data "$WORK/node" --no-serve --generate "$N" > /dev/null
echo "  demo and $N cases: $(( $(date +%s) - start )) s"
TOKEN=$($BIN token create --data "$WORK/node" --email curator@lumbung.example --label bench | tail -n 1)
$BIN serve --data "$WORK/node" --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
L=http://127.0.0.1:$PORT
for _ in $(seq 1200); do curl -sf "$L/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "$L/readyz" >/dev/null || { echo "the server did not start"; cat "$WORK/serve.log"; exit 1; }

# Case ids to present, from the API (published cases only).
curl -sf "$L/api/v1/cases?limit=100" | grep -oE '"id":"[0-9A-Z]{26}"' | cut -d'"' -f4 > "$WORK/cases"
ncases=$(wc -l < "$WORK/cases")
[ "$ncases" -gt 0 ] || { echo "no published cases to present"; exit 1; }
mapfile -t CASES < "$WORK/cases"

# One request body per event, then four writers.
levels=(national regional international)
kinds=(forum conference workshop webinar study_visit peer_learning)
countries=(ID PH MY TH VN SG KH LA MM BN)
zones=(Asia/Jakarta Asia/Manila Asia/Kuala_Lumpur Asia/Bangkok Asia/Ho_Chi_Minh Asia/Singapore Asia/Phnom_Penh Asia/Vientiane Asia/Yangon Asia/Brunei)
series=(apgf opsi-conference innovation-week peer-exchange capacity-school)
mkdir -p "$WORK/bodies"
for i in $(seq 0 $((EVENTS - 1))); do
  c=$((i % 10))
  year=$((2024 + i % 5)); month=$(( (i / 5) % 12 + 1 )); day=$(( (i / 60) % 28 + 1 ))
  a=${CASES[$((i % ncases))]}; b=${CASES[$(((i * 7 + 3) % ncases))]}; d=${CASES[$(((i * 13 + 5) % ncases))]}
  cs="\"$a\""; [ "$b" != "$a" ] && cs="$cs,\"$b\""
  printf '{"title":"Learning loop %d: public service innovation","description":"Edition %d of the **%s** series.","kind":"%s","level":"%s","series":"%s","edition":%d,"starts_at":"%04d-%02d-%02dT09:00","duration_minutes":480,"time_zone":"%s","city":"City %d","country":"%s","countries":["%s","ID"],"registration_open":true,"capacity":%d,"sessions":[{"starts_at":"%04d-%02d-%02dT09:30","duration_minutes":90,"title":"Cases","speakers":["Speaker %d"],"cases":[%s]},{"starts_at":"%04d-%02d-%02dT13:00","duration_minutes":60,"title":"Peer review","cases":["%s"]}]}\n' \
    "$i" "$((i / 5 + 1))" "${series[$((i % 5))]}" "${kinds[$((i % 6))]}" "${levels[$((i % 3))]}" "${series[$((i % 5))]}" "$((i / 5 + 1))" \
    "$year" "$month" "$day" "${zones[$c]}" "$i" "${countries[$c]}" "${countries[$(((c + 1) % 10))]}" "$((20 + i % 200))" \
    "$year" "$month" "$day" "$i" "$cs" "$year" "$month" "$day" "$d" > "$WORK/bodies/$i.json"
done
start=$(date +%s.%N)
export L TOKEN
ls "$WORK/bodies" | sed "s|^|$WORK/bodies/|" | xargs -P4 -n1 sh -c \
  'code=$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" --data-binary @"$0" "$L/api/v1/events"); [ "$code" = 201 ] || { echo "POST $0: $code"; exit 255; }'
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
total=$(curl -sf "$L/api/v1/events?when=all&limit=1" | grep -oE '"total":[0-9]+' | cut -d: -f2)
echo "  $EVENTS events written through the API in $took s; the node lists $total events"
[ "$total" -ge "$EVENTS" ] || { echo "expected at least $EVENTS events"; exit 1; }
printf '  bytes: /events %s, /events?when=past %s, /events.ics %s\n' \
  "$(curl -sf "$L/events" | wc -c)" "$(curl -sf "$L/events?when=past" | wc -c)" "$(curl -sf "$L/events.ics" | wc -c)"
grep -c '^BEGIN:VEVENT' <(curl -sf "$L/events.ics") | sed 's/^/  VEVENTs in \/events.ics: /'

jar="$WORK/jar"
curl -sf -c "$jar" -b "$jar" "$L/signin" -o /dev/null
csrf=$(awk '$6=="lumbung_csrf" {print $7}' "$jar")
curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$csrf&email=curator@lumbung.example&password=lumbung-demo&next=/" "$L/signin"
session=$(awk '$6=="lumbung_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "could not sign in"; exit 1; }

echo "== anonymous (the page cache answers repeats)"
row "/events" "$(rps "$L/events")"
row "/events?when=past&level=regional" "$(rps "$L/events?when=past&level=regional")"
row "/events.ics (every event)" "$(rps "$L/events.ics")"
row "/events.ics?level=national&country=ID" "$(rps "$L/events.ics?level=national&country=ID")"
echo "== signed in (no cache: every request reads the store)"
row "/events (curator)" "$(rps "$L/events" "Cookie: lumbung_session=$session")"
row "/events.ics (curator)" "$(rps "$L/events.ics" "Cookie: lumbung_session=$session")"
