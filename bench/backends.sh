#!/usr/bin/env bash
# SQLite and PostgreSQL side by side on the same corpus (issue #9's figures):
# import time, single-case GET, list and search throughput, write throughput
# with 8 concurrent writers, and two instances against one on PostgreSQL.
#
#   bench/backends.sh [CASES]      (default 100000)
#
# Needs: a release build, wrk, GNU time, psql, and PostgreSQL on
# 127.0.0.1:5432 (user postgres, trust) — scripts/test.sh starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BIN=target/release/lumbung
PG_ADMIN=${LUMBUNG_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}
DB=lumbung_bench_$$
PG_URL="${PG_ADMIN%/*}/$DB"
WORK=$(mktemp -d /tmp/lumbung-backends.XXXXXX)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk psql; do command -v $tool >/dev/null || { echo "$tool is missing"; exit 1; }; done
[ -x "$BIN" ] || cargo build --release -p lumbung
psql -q "$PG_ADMIN" -c "CREATE DATABASE $DB" >/dev/null

timed() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  read -r secs kb < "$WORK/time"
  printf '%-52s %8.2f s   peak RSS %6d MB\n' "$label" "$secs" $((kb / 1024))
}

# A write: a new draft, as a contributor would start one.
cat > "$WORK/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
counter = 0
request = function()
  counter = counter + 1
  local body = '{"original_language":"id","title":{"id":"Inovasi pelayanan ' .. counter .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
EOF

load() { # label, port(s), path, connections, [script]
  local label=$1 ports=$2 path=$3 conns=$4 script=${5:-}
  local total=0 p99s="" pids=() threads=2
  [ "$(wc -w <<< "$ports")" -gt 1 ] && threads=1
  for port in $ports; do
    if [ -n "$script" ]; then
      wrk -t$threads -c"$conns" -d15s --latency -s "$script" "http://127.0.0.1:$port$path" > "$WORK/wrk.$port" &
    else
      wrk -t$threads -c"$conns" -d15s --latency "http://127.0.0.1:$port$path" > "$WORK/wrk.$port" &
    fi
    pids+=($!)
  done
  wait "${pids[@]}"
  for port in $ports; do
    local rps non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.$port")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.$port")
    total=$(awk -v a="$total" -v b="$rps" 'BEGIN {printf "%.0f", a + b}')
    p99s="$p99s $(awk '$1=="99%" {print $2}' "$WORK/wrk.$port")"
    [ -n "$non2xx" ] && p99s="$p99s (non-2xx $non2xx)"
  done
  printf '  %-50s %9s req/s  p99%s\n' "$label" "$total" "$p99s"
}

serve() { # data, port, database-or-empty
  local extra=()
  [ -n "$3" ] && extra=(--database "$3")
  $BIN serve --data "$1" --addr "127.0.0.1:$2" "${extra[@]}" > "$WORK/serve.$2.log" 2>&1 &
  for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$2/readyz" >/dev/null && return; sleep 0.5; done
  echo "the server on $2 did not start"; cat "$WORK/serve.$2.log"; exit 1
}

echo "== corpus: $N generated cases + the demo node ($(nproc) cores)"
$BIN demo --data "$WORK/src" --no-serve --generate "$N" > /dev/null
$BIN export --data "$WORK/src" --format jsonl --include-unpublished --out "$WORK/cases.jsonl" 2>/dev/null
CASES=$(grep -c '"kind":"case"' "$WORK/cases.jsonl")

for backend in sqlite postgres; do
  echo "== $backend"
  data="$WORK/$backend"
  db=""
  [ "$backend" = postgres ] && db="$PG_URL"
  args=(--data "$data")
  [ -n "$db" ] && args+=(--database "$db")
  timed "JSON Lines import of $CASES cases" $BIN import "${args[@]}" --format jsonl "$WORK/cases.jsonl"
  timed "reindex" $BIN reindex "${args[@]}"
  $BIN user add "${args[@]}" --email writer@bench.example --name Writer --role contributor --password-stdin \
    <<< "a-long-enough-password" > /dev/null
  TOKEN=$($BIN token create "${args[@]}" --email writer@bench.example 2>/dev/null | tail -1)
  export TOKEN
  serve "$data" 18301 "$db"
  ID=$(curl -sf "http://127.0.0.1:18301/api/v1/cases?limit=1&country=ID" | sed -E 's/.*"id":"([0-9A-Z]{26})".*/\1/')
  load "GET /api/v1/cases/{id}" 18301 "/api/v1/cases/$ID" 32
  load "GET /api/v1/cases?limit=20" 18301 "/api/v1/cases?limit=20" 32
  load "GET /api/v1/cases?country=ID&sector=health" 18301 "/api/v1/cases?country=ID&sector=health&limit=20" 32
  load "GET /api/v1/search?q=pelayanan+publik" 18301 "/api/v1/search?q=pelayanan+publik&lang=id" 32
  load "POST /api/v1/cases (8 concurrent writers)" 18301 "/api/v1/cases" 8 "$WORK/post.lua"
  if [ "$backend" = postgres ]; then
    serve "$WORK/pg-second" 18302 "$db"
      load "GET /api/v1/cases/{id}, two instances" "18301 18302" "/api/v1/cases/$ID" 16
    load "GET /api/v1/search?q=pelayanan+publik, two instances" "18301 18302" "/api/v1/search?q=pelayanan+publik&lang=id" 16
    load "POST /api/v1/cases, 8 writers over two instances" "18301 18302" "/api/v1/cases" 4 "$WORK/post.lua"
  fi
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  check_args=("${args[@]}")
  $BIN check "${check_args[@]}" | tail -1
done
