#!/usr/bin/env bash
# The dialogue under load (issue #10), on a node with the demo content and
# CASES generated cases (default 100000):
#
#   bench/dialogue.sh [CASES]
#   BIN=target/debug/lumbung bench/dialogue.sh 2000     (checks the steps, not the figures)
#   Also: DUR (wrk, 10s), CONN (wrk connections, 2), WATCHERS (10000), POSTS (50),
#   INTERVAL (seconds between paced posts, 0.25), PORT.
#
# (a) A thread of 500 posts in a public room (10 pages of 50): p50/p99 of
#     rendering its pages, anonymous, through `lumbung serve` (thread pages are
#     not in the page cache: each request renders). Floor: p99 < 20 ms.
# (b) A room watched by 10,000 accounts: a post through the API, and the
#     notification follower (the leased job of `serve`, following the change
#     log) writing the 10,000 inbox entries. First 5 posts one at a time, each
#     timed from its POST returning to its 10,000th inbox row (the follower's
#     cursor, which passes a change with its last rows, read every 5 ms; the
#     rows are counted once it has); then 50 posts back to back, then 50 more
#     one every 0.25 s (each POST meets the follower writing the fan-out of
#     the ones before): the poster's request p50/p99, and for each post the
#     time from its POST returning to its last inbox row. Floors: inbox
#     entries within 2 s; the poster's p99 < 50 ms.
#
# Seeding is SQL on the SQLite file before the node serves (rooms, the thread
# and its 500 posts with their revisions, 10,000 accounts and their watching
# subscriptions): it writes no change-log entries, so it notifies nobody. The
# measured operations all go through the real HTTP server.
# Needs: sqlite3, python3, curl; wrk for (a) (else a loop of curl timings).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
BIN=${BIN:-target/release/lumbung}
DUR=${DUR:-10s}
CONN=${CONN:-2}
PORT=${PORT:-18411}
WATCHERS=${WATCHERS:-10000}
POSTS=${POSTS:-50}
INTERVAL=${INTERVAL:-0.25}
WORK=$(mktemp -d /tmp/lumbung-dialogue.XXXXXX)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in sqlite3 python3 curl; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install sqlite3 python3 curl)"; exit 1; }; done
[ -x "$BIN" ] || { echo "no $BIN: build it first (cargo build --release -p lumbung), or set BIN"; exit 1; }

DATA="$WORK/node"
DB="$DATA/lumbung.db"
L="http://127.0.0.1:$PORT"
echo "== a node with the demo content and $N generated cases ($(nproc) cores, $(uptime | sed 's/.*load/load/'); $BIN)"
started=$(date +%s)
$BIN demo --data "$DATA" --no-serve --generate "$N" > "$WORK/demo.log"
echo "  seeded by 'lumbung demo' in $(( $(date +%s) - started )) s"

# --- seeding (SQL) -----------------------------------------------------------
q() { sqlite3 -cmd '.timeout 10000' "$DB" "$@"; }
CURATOR=$(q "SELECT id FROM accounts WHERE email = 'curator@lumbung.example'")
CONTRIBUTOR=$(q "SELECT id FROM accounts WHERE email = 'contributor@lumbung.example'")
DELEGATE=$(q "SELECT id FROM accounts WHERE email = 'delegate@lumbung.example'")
CASE=$(q "SELECT id FROM cases WHERE status = 'published' ORDER BY id LIMIT 1")
[ -n "$CURATOR" ] && [ -n "$CONTRIBUTOR" ] && [ -n "$DELEGATE" ] && [ -n "$CASE" ] || { echo "the demo accounts or a published case are missing"; exit 1; }
T0='2025-06-01T08:00:00Z'
BIG=01BENCHTHREAD0000000000500
WATCHED=01BENCHTHREAD000000WATCHED
started=$(date +%s.%N)
q <<SQL
BEGIN;
INSERT INTO rooms (slug, kind, title, description, created_by, version, created_at, updated_at)
VALUES ('bench-public', 'public', 'Benchmark: a long conversation', 'Five hundred posts.', '$CURATOR', 1, '$T0', '$T0'),
       ('bench-watched', 'members', 'Benchmark: a watched room', 'Followed by $WATCHERS accounts.', '$CURATOR', 1, '$T0', '$T0');
INSERT INTO room_members (room_slug, account_id, state, invited_by, created_at, updated_at)
VALUES ('bench-public', '$CURATOR', 'moderator', NULL, '$T0', '$T0'),
       ('bench-public', '$CONTRIBUTOR', 'member', '$CURATOR', '$T0', '$T0'),
       ('bench-public', '$DELEGATE', 'member', '$CURATOR', '$T0', '$T0');
INSERT INTO threads (id, kind, room_slug, case_id, title, created_by, locked, answered, post_count, last_post_at, version, created_at, updated_at)
VALUES ('$BIG', 'room', 'bench-public', NULL, 'Mal pelayanan publik: 500 posts of experience', '$CONTRIBUTOR', 0, 0, 500, '$T0', 1, '$T0', '$T0'),
       ('$WATCHED', 'room', 'bench-watched', NULL, 'Announcements', '$CURATOR', 0, 0, 0, '$T0', 1, '$T0', '$T0');
-- 500 posts: English and Indonesian, Markdown, a reply every fourth, a case card every tenth.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO posts (id, thread_id, position, author_id, reply_to, quote_of, language, body, version, created_at, created_ms, updated_at)
SELECT printf('01BENCHPOST%015d', i), '$BIG', i,
       CASE i % 3 WHEN 0 THEN '$CONTRIBUTOR' WHEN 1 THEN '$DELEGATE' ELSE '$CURATOR' END,
       CASE WHEN i > 1 AND i % 4 = 0 THEN printf('01BENCHPOST%015d', i - 1) END, NULL,
       CASE i % 2 WHEN 0 THEN 'id' ELSE 'en' END,
       CASE i % 2
         WHEN 0 THEN printf('Di kabupaten kami, **mal pelayanan publik** menggabungkan %d layanan dalam satu gedung. Antrean turun setelah kami memakai nomor antrean daring dan jadwal petugas yang tetap; yang sulit adalah berbagi data antardinas. %s', i, CASE WHEN i % 10 = 0 THEN 'Lihat juga case:$CASE.' ELSE '' END)
         ELSE printf('We opened a *one-stop service centre* with %d counters. Waiting times fell once tickets were issued online and staff rotas were fixed; sharing records between agencies was the hard part.%s', i, CASE WHEN i % 10 = 5 THEN ' See case:$CASE and https://example.org/report.' ELSE '' END)
       END,
       1, strftime('%Y-%m-%dT%H:%M:%SZ', '$T0', printf('+%d minutes', i)), 1748764800000 + i * 60000,
       strftime('%Y-%m-%dT%H:%M:%SZ', '$T0', printf('+%d minutes', i))
FROM n;
INSERT INTO post_revisions (post_id, version, language, body, edited_by, created_at)
SELECT id, 1, language, body, author_id, created_at FROM posts WHERE thread_id = '$BIG';
-- The watched room's thread has its first post.
INSERT INTO posts (id, thread_id, position, author_id, reply_to, quote_of, language, body, version, created_at, created_ms, updated_at)
VALUES ('01BENCHWATCHEDPOST00000001', '$WATCHED', 1, '$CURATOR', NULL, NULL, 'en', 'Announcements follow here.', 1, '$T0', 1748764800000, '$T0');
UPDATE threads SET post_count = 1 WHERE id = '$WATCHED';
-- $WATCHERS accounts watching the room (created before the posts, so each is notified).
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $WATCHERS)
INSERT INTO accounts (id, email, name, role, organisation_id, password_hash, disabled, version, created_at, updated_at)
SELECT printf('01BENCHWATCHER%012d', i), printf('watcher%05d@bench.example', i), printf('Watcher %d', i),
       'reader', NULL, NULL, 0, 1, '$T0', '$T0' FROM n;
INSERT INTO subscriptions (account_id, target, level, created_at)
SELECT id, 'room:bench-watched', 'watching', '$T0' FROM accounts WHERE id LIKE '01BENCHWATCHER%';
COMMIT;
SQL
printf '  seeded by SQL in %.1f s: %s posts in the long thread, %s accounts watching room:bench-watched\n' \
  "$(echo "$(date +%s.%N) - $started" | bc 2>/dev/null || echo 0)" \
  "$(q "SELECT count(*) FROM posts WHERE thread_id = '$BIG'")" \
  "$(q "SELECT count(*) FROM subscriptions WHERE target = 'room:bench-watched' AND level = 'watching'")"

# The poster's token, and limits that let one account post 55 times a minute.
TOKEN=$($BIN token create --data "$DATA" --email curator@lumbung.example 2>/dev/null | tail -1)
cat > "$WORK/lumbung.toml" <<TOML
[dialogue]
posts_per_minute = 1000
posts_per_hour = 10000
new_account_posts_per_minute = 1000
new_account_posts_per_hour = 10000
TOML

$BIN serve --data "$DATA" --addr "127.0.0.1:$PORT" --config "$WORK/lumbung.toml" > "$WORK/serve.log" 2>&1 &
for _ in $(seq 1200); do curl -sf "$L/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "$L/readyz" >/dev/null || { echo "the server did not start"; cat "$WORK/serve.log"; exit 1; }

# The generated cases left a change log of $N entries that the notification
# follower reads from the start: wait until it has caught up (and the node's
# other start-up work is done), so that what is measured is the dialogue, not
# that backlog. Its rate is a figure too.
head_seq=$(q "SELECT max(seq) FROM change_log")
started=$(date +%s)
for _ in $(seq 1800); do
  at=$(q "SELECT coalesce((SELECT seq FROM cursors WHERE name = 'notifications'), 0)")
  [ "$at" -ge "$head_seq" ] && break
  sleep 1
done
took=$(( $(date +%s) - started ))
echo "  the notification follower read the $head_seq entries of the start-up backlog in ${took} s"
sleep 5

# --- (a) the thread's pages --------------------------------------------------
echo "== (a) /threads/{id}?page=N of a 500-post thread (floor: p99 < 20 ms)"
for page in 1 5 10; do
  url="$L/threads/$BIG?page=$page"
  status=$(curl -s -o "$WORK/page.html" -w '%{http_code}' "$url")
  [ "$status" = 200 ] || { echo "GET $url: $status"; exit 1; }
  posts=$(grep -c 'class="post"' "$WORK/page.html" || true)
  if command -v wrk >/dev/null; then
    wrk -t1 -c"$CONN" -d"$DUR" --latency "$url" > "$WORK/wrk"
    non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk")
    [ -n "$non2xx" ] && { echo "non-2xx answers from $url: $non2xx"; cat "$WORK/wrk"; exit 1; }
    printf '  page %-2s (%s posts, %s bytes)  %6s req/s  p50 %-8s p99 %-8s (wrk -c%s %s)\n' "$page" "$posts" \
      "$(wc -c < "$WORK/page.html")" "$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk")" \
      "$(awk '$1=="50%" {print $2}' "$WORK/wrk")" "$(awk '$1=="99%" {print $2}' "$WORK/wrk")" "$CONN" "$DUR"
  else
    for _ in $(seq 300); do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n > "$WORK/times"
    printf '  page %-2s (%s posts, %s bytes)  p50 %.1fms p99 %.1fms (300 curl requests, one at a time; no wrk)\n' "$page" "$posts" \
      "$(wc -c < "$WORK/page.html")" "$(awk 'NR==150 {print $1 * 1000}' "$WORK/times")" "$(awk 'NR==297 {print $1 * 1000}' "$WORK/times")"
  fi
done

# --- (b) a post to a room watched by $WATCHERS accounts ----------------------
echo "== (b) posts to a room watched by $WATCHERS accounts (floors: inbox entries within 2 s; the poster's p99 < 50 ms)"
python3 - "$L" "$TOKEN" "$WATCHED" "$DB" "$WATCHERS" "$POSTS" "$INTERVAL" <<'PY'
import json, sqlite3, sys, threading, time, urllib.request

base, token, thread, db, watchers, posts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
interval = float(sys.argv[7])
# Autocommit, and every statement closed at once: each read sees the latest commit.
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10, check_same_thread=False, isolation_level=None)

def one(sql, args=()):
    cur = con.execute(sql, args)
    try:
        return cur.fetchone()[0]
    finally:
        cur.close()

def post(n):
    body = json.dumps({"body": f"Announcement {n}: the service centre opens at 08:00 from Monday.", "language": "en"}).encode()
    req = urllib.request.Request(f"{base}/api/v1/threads/{thread}/posts", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req) as res:
        payload = json.loads(res.read())
        status = res.status
    took = time.perf_counter() - start
    if status != 201:
        sys.exit(f"POST answered {status}")
    return payload["id"], took, time.perf_counter()

def count(post_id):
    return one("SELECT count(*) FROM notifications WHERE post_id = ?", (post_id,))

# A post's fan-out is complete when the follower's cursor has passed its
# change: the cursor moves past a change only in the transaction that writes
# its last inbox rows. Reading it is one row; counting a post's rows scans
# the notifications table (no index by post), which polled every 10 ms for
# 50 pending posts took a core from the server being measured.
def seq_of(post_id):
    return one("SELECT seq FROM change_log WHERE entity = 'post' AND entity_id = ?", (post_id,))

def cursor():
    return one("SELECT coalesce((SELECT seq FROM cursors WHERE name = 'notifications'), 0)")

def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]

# One at a time: each post's fan-out alone.
print("  one post at a time (POST returned -> its last inbox row):")
for n in range(1, 6):
    pid, took, returned = post(n)
    seq = seq_of(pid)
    while cursor() < seq:
        if time.perf_counter() - returned > 60:
            sys.exit(f"  post {pid}: only {count(pid)} inbox entries after 60 s")
        time.sleep(0.005)
    lag = time.perf_counter() - returned
    if count(pid) != watchers:
        sys.exit(f"  post {pid}: the cursor passed it with {count(pid)} inbox entries, not {watchers}")
    print(f"    post {n}: request {took * 1000:.1f} ms, {watchers} inbox entries {lag * 1000:.0f} ms after it returned")

# Many posts while the follower fans out: the poster's latency, and each
# post's time from its POST returning to its last inbox row. Back to back
# (each POST as soon as the last returned: the posts outrun the fan-out), then
# paced (one every INTERVAL seconds: every POST meets the follower writing).
def series(label, first, posts, interval):
    done_at, returned_at, times, ids, seqs = {}, {}, [], [], {}
    state = {"stop": False, "last": time.perf_counter()}
    def watch():
        while not state["stop"] or len(done_at) < len(ids):
            at = cursor()
            for pid in list(ids):
                if pid not in done_at and pid in seqs and seqs[pid] <= at:
                    done_at[pid] = time.perf_counter()
            time.sleep(0.005)
            if state["stop"] and time.perf_counter() - state["last"] > 120:
                break
    watcher = threading.Thread(target=watch)
    watcher.start()
    for n in range(first, first + posts):
        began = time.perf_counter()
        pid, took, returned = post(n)
        returned_at[pid] = returned
        seqs[pid] = seq_of(pid)
        ids.append(pid)
        times.append(took)
        if interval:
            time.sleep(max(0.0, interval - (time.perf_counter() - began)))
    state["last"] = time.perf_counter()
    state["stop"] = True
    watcher.join()
    lags = [done_at[p] - returned_at[p] for p in ids if p in done_at]
    missing = len(ids) - len(lags)
    print(f"  {posts} posts {label}: the poster's request p50 {pct(times, 50) * 1000:.1f} ms, p99 {pct(times, 99) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
    if lags:
        within = sum(1 for l in lags if l <= 2.0)
        print(f"    their inbox entries ({watchers} each) after the POST returned: p50 {pct(lags, 50) * 1000:.0f} ms, "
              f"p99 {pct(lags, 99) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms; {within}/{len(ids)} within 2 s")
    if missing:
        print(f"    {missing} posts did not reach {watchers} inbox entries within 120 s")
    short = [p for p in ids if p in done_at and count(p) != watchers]
    if short:
        sys.exit(f"    {len(short)} posts were passed by the cursor without {watchers} inbox entries")

series("back to back", 6, posts, 0)
series(f"one every {interval:g} s", 6 + posts, posts, interval)
total = one("SELECT count(*) FROM notifications n JOIN posts p ON p.id = n.post_id WHERE p.thread_id = ?", (thread,))
print(f"  inbox entries written for the watched room: {total} (expected {(5 + 2 * posts) * watchers})")
PY
