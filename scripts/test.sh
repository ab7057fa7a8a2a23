#!/usr/bin/env bash
# The README's test command: installs what the tests need and is missing, then
# runs every test. Written for a fresh Debian machine where it runs as root (or
# with sudo); idempotent, and quick when everything is already installed.
#
#   scripts/test.sh [extra cargo-nextest arguments]
#
# What it sets up:
#   - cargo-nextest (cargo install --locked)
#   - the Python packages of the third-party checks (tests/conformance/requirements.txt:
#     xmlschema, Sickle, feedparser, schemathesis), pinned
#   - Debian's chromium, nodejs and npm, and `npm ci` in tests/browser (Playwright + axe)
#   - PostgreSQL: a server answering on 127.0.0.1:5432 is used; otherwise Debian's
#     postgresql is installed if needed, started, and trusts local TCP connections of
#     user postgres. LUMBUNG_TEST_PG points the tests at it.
# Then it runs every test twice: on SQLite, and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

command -v cargo >/dev/null || { echo "cargo is missing: install Rust (https://rustup.rs) first"; exit 1; }

# cargo-nextest
if ! cargo nextest --version >/dev/null 2>&1; then
  say "installing cargo-nextest"
  cargo install cargo-nextest --locked
fi

# Python packages (pip for the python3 the tests run). Debian's own Python refuses
# system-wide pip installs (PEP 668); the tests' packages are pinned and only these.
python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
if ! python3 - tests/conformance/requirements.txt <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if line:
        name, wanted = line.split("==")
        assert version(name) == wanted, name
EOF
then
  say "installing the Python packages of tests/conformance/requirements.txt"
  pip_flags=(--quiet --disable-pip-version-check --root-user-action=ignore --no-warn-script-location)
  python3 -m pip install "${pip_flags[@]}" -r tests/conformance/requirements.txt 2>/dev/null ||
    python3 -m pip install "${pip_flags[@]}" --break-system-packages -r tests/conformance/requirements.txt
fi

# The browser tests: Debian's Chromium, Node with npm, Playwright (playwright-core,
# which downloads no browser) with axe.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt_install "${missing[@]}"
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "the browser tests need Node 20 or later (playwright-core); found $(node --version)"; exit 1; }
if ! (cd tests/browser && npm ls --silent >/dev/null 2>&1); then
  say "npm ci in tests/browser"
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

# PostgreSQL on 127.0.0.1:5432, for the store's PostgreSQL tests.
pg_answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ! pg_answers; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "installing postgresql"
    apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Local TCP connections of user postgres need no password (test machines only).
  if ! as_root grep -q '^host all postgres 127.0.0.1/32 trust' "$hba"; then
    as_root sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  fi
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
  pg_answers || { echo "PostgreSQL does not answer on 127.0.0.1:5432"; exit 1; }
fi
export LUMBUNG_TEST_PG="${LUMBUNG_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"

# The shared data the tests read must sit beside the checkout.
test -f ../shared/data/participedia/cases.csv || { echo "../shared/data/participedia is missing"; exit 1; }

# Every test on SQLite (the embedded default), then the whole suite again on
# PostgreSQL: each test's store (and each node the binary tests start) gets a
# database of its own there, dropped when the test ends.
say "cargo nextest run --workspace --locked (SQLite)"
cargo nextest run --workspace --locked "$@"
say "cargo nextest run --workspace --locked (PostgreSQL: LUMBUNG_TEST_BACKEND=postgres)"
LUMBUNG_TEST_BACKEND=postgres cargo nextest run --workspace --locked "$@"
