# Shared by the bench scripts (source it).

# settle PATTERN: waits until the processes whose command line matches
# PATTERN use under 2 % of a core for five seconds in a row (at most 10
# minutes), and says how long that took. A node that has just started has
# background work (the notification follower reads the change log from the
# start, the lexicon is learned, merges settle): measuring then measures that.
settle() {
  local pids quiet=0 before after started
  started=$(date +%s)
  pids=$(pgrep -f "$1" | tr '\n' ' ')
  cpu() { for p in $pids; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
  before=$(cpu)
  for _ in $(seq 600); do
    sleep 1
    after=$(cpu)
    if [ $((after - before)) -le 2 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    before=$after
    [ $quiet -ge 5 ] && break
  done
  [ $quiet -ge 5 ] || echo "  (the servers never settled)"
  echo "  the servers settled $(( $(date +%s) - started )) s after starting ($(uptime | sed 's/.*load/load/'))"
}

# bench_prelude: what every script that starts a node needs first — the tools,
# the binary ($BIN), and a trap that stops the node and removes $WORK (kept
# with KEEP=1).
bench_prelude() {
  cleanup() {
    kill $(jobs -p) 2>/dev/null || true
    wait 2>/dev/null || true
    if [ -n "${KEEP:-}" ]; then echo "kept the node in $WORK"; else rm -rf "$WORK"; fi
  }
  trap cleanup EXIT
  for tool in wrk curl jq; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install wrk curl jq)"; exit 1; }; done
  [ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release -p lumbung, or BIN=target/debug/lumbung)"; exit 1; }
}

# demo_node N: a node in $WORK/node with the demo content and N generated
# cases, served on $PORT ($L) until settled; sets TOKEN (the curator's).
demo_node() {
  $BIN demo --data "$WORK/node" --no-serve --generate "$1" > /dev/null
  TOKEN=$($BIN token create --data "$WORK/node" --email curator@lumbung.example --label bench | tail -n 1)
  $BIN serve --data "$WORK/node" --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
  for _ in $(seq 1200); do curl -sf "$L/readyz" >/dev/null && break; sleep 0.5; done
  curl -sf "$L/readyz" >/dev/null || { echo "the server did not start"; cat "$WORK/serve.log"; exit 1; }
  settle "$BIN serve --data $WORK"
}
