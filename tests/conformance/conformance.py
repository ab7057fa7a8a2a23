"""Helpers shared by the conformance scripts: HTTP, the JSON API, and how a
check reports itself (one line per check; the first failure ends the run).

Only the standard library is used here; the scripts bring the third-party
clients (xmlschema, sickle, feedparser) under test.
"""

import contextlib
import json
import os
import re
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# The repository root: this file is <repo>/tests/conformance/conformance.py.
REPO = Path(__file__).resolve().parents[2]

# A case id (ULID, Crockford base 32).
ULID = r"[0-9A-HJKMNP-TV-Z]{26}"
ULID_RE = re.compile(ULID)

# An optional curator or admin token (`lumbung token create`). With it the
# scripts also fetch the unpublished cases (drafts, submitted, returned,
# archived) and check, by id, that none of them is served.
TOKEN_ENV = "LUMBUNG_CONFORMANCE_TOKEN"

TIMEOUT = 60


class CheckFailed(Exception):
    """A check's expectation did not hold."""


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


@contextlib.contextmanager
def check(name):
    """Runs a block as one named check: prints `ok NAME`, or `FAIL NAME: why`
    and exits with status 1."""
    try:
        yield
    except CheckFailed as e:
        print(f"FAIL {name}: {e}", flush=True)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 - any surprise is a failure of this check
        print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        traceback.print_exc(file=sys.stdout)
        sys.exit(1)
    print(f"ok   {name}", flush=True)


def short(text, limit=600):
    """A response body cut to a readable length for a failure message."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text if len(text) <= limit else text[:limit] + f"... [{len(text)} chars]"


class Response:
    def __init__(self, status, headers, body, url):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    @property
    def content_type(self):
        return self.headers.get("Content-Type", "")

    def media_type(self):
        return self.content_type.split(";")[0].strip().lower()

    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


def http(method, url, body=None, headers=None):
    """One HTTP request; 4xx and 5xx answers are returned, not raised."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return Response(r.status, r.headers, r.read(), url)
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read(), url)


def get(url, headers=None):
    return http("GET", url, headers=headers)


def token():
    return os.environ.get(TOKEN_ENV) or None


def api_items(base, path, params=None, auth=None):
    """Every item of a paged list endpoint (`items`, `next` cursor)."""
    params = dict(params or {})
    params.setdefault("limit", "100")
    headers = {"Accept": "application/json"}
    if auth:
        headers["Authorization"] = f"Bearer {auth}"
    items = []
    cursor = None
    for _ in range(10_000):
        q = dict(params)
        if cursor:
            q["cursor"] = cursor
        r = get(f"{base}{path}?{urllib.parse.urlencode(q)}", headers)
        if r.status != 200:
            raise CheckFailed(f"GET {r.url} answered {r.status}: {short(r.body)}")
        page = r.json()
        items.extend(page["items"])
        cursor = page.get("next")
        if not cursor:
            return items
    raise CheckFailed(f"{path} kept returning a next cursor")


def published_cases(base, params=None):
    """Published cases as an anonymous reader sees them: {id: case}."""
    return {c["id"]: c for c in api_items(base, "/api/v1/cases", params)}


def unpublished_cases(base):
    """With a curator token: {id: status} of every case that is not published.
    None without a token."""
    t = token()
    if not t:
        return None
    items = api_items(base, "/api/v1/cases", {"status": "draft,submitted,returned,archived"}, auth=t)
    found = {c["id"]: c["status"] for c in items}
    for status in found.values():
        require(status != "published", "status=draft,... returned a published case")
    return found


def search_ids(base, params):
    """Ids of every hit of the search API for these parameters."""
    return {h["id"] for h in api_items(base, "/api/v1/search", params)}


def base_url_arg(argv, usage):
    if len(argv) < 2 or not argv[1].startswith(("http://", "https://")):
        print(usage, file=sys.stderr)
        sys.exit(2)
    return argv[1].rstrip("/")


def public_base(base):
    """The node's configured public base URL: LUMBUNG_BASE_URL when set, else
    the URL the script was given."""
    return (os.environ.get("LUMBUNG_BASE_URL") or base).rstrip("/")
