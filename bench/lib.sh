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
