#!/usr/bin/env bash
# Pages against static files (issue #13): nginx serves the very bytes a
# Lumbung page is made of, in the same run, and wrk asks both.
#
#   bench/pages.sh [CASES]      (default 100000)
#   Also: DUR (wrk, 10s), ROUNDS (search page/API pairs, 3), BIG (keep the
#   large node's data there and use it again), ONLY=search (that part alone).
#
# Rows: an anonymous case page uncompressed and with gzip (nginx at
# gzip_comp_level 1), `/` and `/search` without a query, `/search?q=` against
# `/api/v1/search?q=` on the same queries, the API search on a 40-case node
# (one- and two-word queries), and signed-in pages (`/my/cases`, `/curate`).
# Needs: a release build, wrk, nginx (Debian's nginx-light), curl.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-100000}
BIN=target/release/lumbung
WORK=$(mktemp -d /tmp/lumbung-pages.XXXXXX)
chmod 755 "$WORK" # nginx's workers (www-data) read the static copies
DUR=${DUR:-10s}
ROUNDS=${ROUNDS:-3}
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk nginx curl; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install wrk nginx-light curl)"; exit 1; }; done
[ -x "$BIN" ] || cargo build --release -p lumbung

# CPU seconds (user + system) the server on port $1 has used so far.
cpu_of() {
  local pid
  pid=$(pgrep -f "serve --data .* --addr 127.0.0.1:$1" | head -n 1)
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$pid/stat"
}

rps() { # url [header] -> "req/s p99"
  local url=$1 header=${2:-}
  if [ -n "$header" ]; then
    wrk -t2 -c32 -d"$DUR" --latency -H "$header" "$url" > "$WORK/wrk"
  else
    wrk -t2 -c32 -d"$DUR" --latency "$url" > "$WORK/wrk"
  fi
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk")
  if [ -n "$non2xx" ]; then echo "non-2xx answers from $url: $non2xx" >&2; cat "$WORK/wrk" >&2; kill $$; fi
  printf '%s %s' "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk")" "$(awk '$1=="99%" {print $2}' "$WORK/wrk")"
}

row() { # label, ours "rps p99", anchor "rps p99" or -
  local label=$1 ours=$2 anchor=$3
  local o=${ours%% *} a=${anchor%% *}
  if [ "$anchor" = - ]; then
    printf '  %-46s %9s req/s (p99 %s)\n' "$label" "$o" "${ours#* }"
  else
    printf '  %-46s %9s req/s (p99 %s)   anchor %9s req/s   ratio %s\n' "$label" "$o" "${ours#* }" "$a" \
      "$(awk -v o="$o" -v a="$a" 'BEGIN {printf "%.2f", o / a}')"
  fi
}

serve() { # data, port
  $BIN serve --data "$1" --addr "127.0.0.1:$2" > "$WORK/serve.$2.log" 2>&1 &
  for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$2/readyz" >/dev/null && return; sleep 0.5; done
  echo "the server on $2 did not start"; cat "$WORK/serve.$2.log"; exit 1
}

echo "== a node with the demo content and $N generated cases ($(nproc) cores, $(uptime | sed 's/.*load/load/'))"
# BIG=DIR keeps the large node's data there and uses it again on the next run.
BIG=${BIG:-$WORK/big}
[ -d "$BIG/index" ] || $BIN demo --data "$BIG" --no-serve --generate "$N" > /dev/null
$BIN demo --data "$WORK/small" --no-serve > /dev/null
serve "$BIG" 18401
serve "$WORK/small" 18402

settle "$BIN serve --data"
L=http://127.0.0.1:18401
ID=$(curl -sf "$L/api/v1/cases?limit=1&country=ID" | sed -E 's/.*"id":"([0-9A-Z]{26})".*/\1/')

# The same bytes as static files for nginx.
mkdir -p "$WORK/www"
curl -sf "$L/cases/$ID" -o "$WORK/www/case.html"
curl -sf "$L/" -o "$WORK/www/home.html"
curl -sf "$L/search" -o "$WORK/www/search.html"
cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server { listen 127.0.0.1:18480; root $WORK/www; }
  server { listen 127.0.0.1:18481; root $WORK/www; gzip on; gzip_comp_level 1; gzip_min_length 0; }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.5
N0=http://127.0.0.1:18480
N1=http://127.0.0.1:18481
printf '  bytes: case page %s, home %s, browse %s\n' "$(wc -c < "$WORK/www/case.html")" "$(wc -c < "$WORK/www/home.html")" "$(wc -c < "$WORK/www/search.html")"

if [ "${ONLY:-}" != search ]; then
echo "== pages against nginx on the same bytes (floor: ratio >= 0.33; gzip >= 0.5)"
row "/cases/{id}, uncompressed" "$(rps "$L/cases/$ID")" "$(rps "$N0/case.html")"
row "/cases/{id}, gzip" "$(rps "$L/cases/$ID" 'Accept-Encoding: gzip')" "$(rps "$N1/case.html" 'Accept-Encoding: gzip')"
row "/" "$(rps "$L/")" "$(rps "$N0/home.html")"
row "/search (no query)" "$(rps "$L/search")" "$(rps "$N0/search.html")"
fi

echo "== the search page against the API (floor: within 10 %; $ROUNDS interleaved rounds, the median ratio)"
# One run of wrk against the next differs by 10-15 % at these rates, so each
# pair is asked ROUNDS times in turn (page then API, API then page, ...) and
# the median of the rounds' ratios is the figure.
# Also the server's CPU time per request over each run (wrk's share of the
# two cores varies from run to run; the server's own cost per answer varies
# far less): page and API, microseconds.
measure() { # url header -> "req/s p99 cpu-us-per-request"
  local before after r
  before=$(cpu_of 18401)
  r=$(rps "$1" "$2")
  after=$(cpu_of 18401)
  printf '%s %s' "$r" "$(awk -v b="$before" -v a="$after" -v n="${r%% *}" -v d="${DUR%s}" 'BEGIN {printf "%.1f", (a - b) * 1e6 / (n * d)}')"
}
pair() { # label, page url, api url, [header]
  local label=$1 page=$2 api=$3 header=${4:-} ratios=() cpus=() p a
  for r in $(seq "$ROUNDS"); do
    # Which goes first alternates, so neither always runs on a warmer machine.
    if [ $((r % 2)) -eq 1 ]; then
      p=$(measure "$page" "$header")
      a=$(measure "$api" "$header")
    else
      a=$(measure "$api" "$header")
      p=$(measure "$page" "$header")
    fi
    ratios+=("$(awk -v o="${p%% *}" -v a="${a%% *}" 'BEGIN {printf "%.2f", o / a}')")
    cpus+=("$(awk -v o="${p##* }" -v a="${a##* }" 'BEGIN {printf "%.2f", a / o}')")
    printf '    %-44s page %6s req/s %5s us CPU   API %6s req/s %5s us CPU   ratio %s\n' "$label" "${p%% *}" "${p##* }" \
      "${a%% *}" "${a##* }" "${ratios[-1]}"
  done
  median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
  printf '  %-46s median ratio %s (by server CPU per request: %s)\n' "$label" \
    "$(printf '%s\n' "${ratios[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)"
}
for q in "complaint+handling" "pelayanan+publik" "desa"; do
  printf '  bytes of q=%s: page %s, API %s; gzip: page %s, API %s\n' "$q" \
    "$(curl -sf "$L/search?q=$q" | wc -c)" "$(curl -sf "$L/api/v1/search?q=$q" | wc -c)" \
    "$(curl -sf -H 'Accept-Encoding: gzip' "$L/search?q=$q" | wc -c)" \
    "$(curl -sf -H 'Accept-Encoding: gzip' "$L/api/v1/search?q=$q" | wc -c)"
  pair "/search?q=$q vs /api/v1/search" "$L/search?q=$q" "$L/api/v1/search?q=$q"
  pair "  the same, gzip (as browsers ask)" "$L/search?q=$q" "$L/api/v1/search?q=$q" 'Accept-Encoding: gzip'
done

[ "${ONLY:-}" = search ] && exit 0
echo "== /api/v1/search on the 40-case demo node (floor: >= 10,000 req/s)"
for q in "complaint" "pengaduan" "public+service" "bank+sampah"; do
  row "/api/v1/search?q=$q" "$(rps "http://127.0.0.1:18402/api/v1/search?q=$q")" -
done

echo "== signed-in pages (floor: >= 2,000 req/s)"
jar="$WORK/jar"
curl -sf -c "$jar" -b "$jar" "$L/signin" -o /dev/null
csrf=$(awk '$6=="lumbung_csrf" {print $7}' "$jar")
curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$csrf&email=curator@lumbung.example&password=lumbung-demo&next=/" "$L/signin"
session=$(awk '$6=="lumbung_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "could not sign in"; exit 1; }
row "/my/cases (curator)" "$(rps "$L/my/cases" "Cookie: lumbung_session=$session")" -
row "/curate (curator)" "$(rps "$L/curate" "Cookie: lumbung_session=$session")" -
