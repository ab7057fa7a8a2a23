#!/usr/bin/env bash
# Diffusion at scale (issue #12): the graph of a case with 500 descendants
# and the map, on a node with the demo content and N generated cases.
#
#   bench/diffusion.sh [CASES]      (default 100000; BIN=… to use another binary;
#                                    KEEP=1 keeps the node's folder for a closer look)
#
# Seeding: `lumbung demo --generate N`, then 500 replication links recorded
# through the API as the curator (the real use case: each link is a revision
# of its adopter), eight at a time: a root case, 10 cases adapting it, 90
# adopting those, 400 adopting those (four generations, 500 descendants).
# Rows: `/cases/{root}/diffusion` one request at a time (the render's own
# latency, p50 and p99; floor p99 < 50 ms) as an anonymous reader, signed in
# (never served from the page cache) and anonymous with a changing query (a
# new cache key each time); its throughput with 8 connections; and `/map`
# throughput (anonymous, as readers get it, and signed in).
# Needs: a release build (or BIN), wrk, curl, jq.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-100000}
BIN=${BIN:-target/release/lumbung}
WORK=$(mktemp -d /tmp/lumbung-diffusion.XXXXXX)
DUR=${DUR:-10s}
PORT=${PORT:-18431}
L=http://127.0.0.1:$PORT
bench_prelude

echo "== a node with the demo content and $N generated cases ($(nproc) cores, $(uptime | sed 's/.*load/load/'))"
demo_node "$N"

# 501 published local cases, in the API's order.
ids=()
cursor=
while [ ${#ids[@]} -lt 501 ]; do
  page=$(curl -sf -H "Authorization: Bearer $TOKEN" "$L/api/v1/cases?status=published&limit=100&cursor=$cursor")
  mapfile -t got < <(jq -r '.items[] | select(.origin == null) | .id' <<< "$page")
  ids+=("${got[@]}")
  cursor=$(jq -r '.next // empty' <<< "$page")
  [ -n "$cursor" ] || break
done
[ ${#ids[@]} -ge 501 ] || { echo "only ${#ids[@]} published cases: run with at least 501"; exit 1; }
ROOT=${ids[0]}

# Adopter → source: generation 1 (10) adapts the root, generation 2 (90) one
# of generation 1, generation 3 (400) one of generation 2.
kinds=(replicates adapts scales_up inspired_by)
: > "$WORK/links"
for i in $(seq 1 500); do
  if [ "$i" -le 10 ]; then src=$ROOT
  elif [ "$i" -le 100 ]; then src=${ids[$(( (i - 11) % 10 + 1 ))]}
  else src=${ids[$(( (i - 101) % 90 + 11 ))]}
  fi
  printf '%s %s %s %s\n' "${ids[$i]}" "$src" "${kinds[$(( i % 4 ))]}" "$(( 2010 + i % 15 ))" >> "$WORK/links"
done
link() { # adopter source kind year
  local code
  code=$(curl -s -o "$WORK/link.$1" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"kind\":\"$3\",\"target\":\"$2\",\"year\":$4}" "$L/api/v1/cases/$1/links")
  [ "$code" = 201 ] || { echo "link $1 → $2: HTTP $code $(cat "$WORK/link.$1")" >&2; return 1; }
}
export -f link
export L TOKEN WORK
started=$(date +%s.%N)
xargs -P 8 -L 1 bash -c 'link "$@"' _ < "$WORK/links"
printf '  500 links recorded through the API in %.1f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"
descendants=$(curl -sf "$L/cases/$ROOT/diffusion" | grep -o '<tr><td><a href="/cases/' | wc -l)
echo "  /cases/$ROOT/diffusion lists $descendants descendants"
[ "$descendants" -eq 500 ] || { echo "expected 500 descendants in the table"; exit 1; }

jar="$WORK/jar"
curl -sf -c "$jar" -b "$jar" "$L/signin" -o /dev/null
csrf=$(awk '$6=="lumbung_csrf" {print $7}' "$jar")
curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$csrf&email=curator@lumbung.example&password=lumbung-demo&next=/" "$L/signin"
session=$(awk '$6=="lumbung_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "could not sign in"; exit 1; }
cat > "$WORK/changing.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?v=" .. n)
end
LUA

run() { # connections url [header|script] -> "req/s p50 p99"
  local c=$1 url=$2 extra=${3:-}
  local args=(-t1 -c"$c" -d"$DUR" --latency)
  [ "$c" -gt 1 ] && args=(-t2 -c"$c" -d"$DUR" --latency)
  case "$extra" in
    '') ;;
    *.lua) args+=(-s "$extra") ;;
    *) args+=(-H "$extra") ;;
  esac
  wrk "${args[@]}" "$url" > "$WORK/wrk"
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk")
  [ -n "$non2xx" ] && { echo "non-2xx answers from $url: $non2xx"; cat "$WORK/wrk"; exit 1; }
  printf '%s %s %s' "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk")" \
    "$(awk '$1=="50%" {print $2}' "$WORK/wrk")" "$(awk '$1=="99%" {print $2}' "$WORK/wrk")"
}
row() { # label "rps p50 p99"
  read -r rps p50 p99 <<< "$2"
  printf '  %-58s %7s req/s   p50 %8s   p99 %8s\n' "$1" "$rps" "$p50" "$p99"
}

G=$L/cases/$ROOT/diffusion
printf '  bytes: diffusion page %s, /map %s (gzip %s)\n' "$(curl -sf "$G" | wc -c)" "$(curl -sf "$L/map" | wc -c)" \
  "$(curl -sf -H 'Accept-Encoding: gzip' "$L/map" | wc -c)"
settle "$BIN serve --data $WORK"
echo "== /cases/{id}/diffusion, 500 descendants, one request at a time (floor: p99 < 50 ms)"
row "anonymous" "$(run 1 "$G")"
row "signed in (curator; never from the page cache)" "$(run 1 "$G" "Cookie: lumbung_session=$session")"
row "anonymous, a new query string each time" "$(run 1 "$G" "$WORK/changing.lua")"
echo "== throughput, 8 connections"
row "/cases/{id}/diffusion, signed in" "$(run 8 "$G" "Cookie: lumbung_session=$session")"
row "/map, anonymous" "$(run 8 "$L/map")"
row "/map, anonymous, gzip" "$(run 8 "$L/map" 'Accept-Encoding: gzip')"
row "/map, signed in" "$(run 8 "$L/map" "Cookie: lumbung_session=$session")"
