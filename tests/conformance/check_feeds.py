#!/usr/bin/env python3
"""Atom feeds, sitemap and robots.txt of a running Lumbung node.

    python3 tests/conformance/check_feeds.py http://127.0.0.1:8080

Each feed is read with feedparser (a third-party client) and, since
feedparser forgives a lot, also parsed with xml.etree and checked against
RFC 4287 by hand. Entries must be published cases (compared with the JSON
API), the newest first for /feeds/cases.atom. The sitemap must use the 0.9
protocol and list every published case and nothing else; robots.txt must
name it.

Optional environment:
  LUMBUNG_BASE_URL  the node's configured base URL (default: BASE); links
                    and sitemap URLs must start with it

Prints one line per check; exits 1 on the first failure.
"""

import datetime as dt
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

from conformance import (
    ULID_RE,
    base_url_arg,
    check,
    get,
    public_base,
    published_cases,
    require,
    search_ids,
    short,
)

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
A = {"a": ATOM}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
W3C_DATE = re.compile(r"^\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?)?)?$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
CHANGEFREQ = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}
SEARCH_WORDS = ("health", "kesehatan", "pengaduan", "layanan", "digital")


def instant(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def fetch(base, path):
    r = get(base + path)
    require(r.status == 200, f"GET {path}: HTTP {r.status}: {short(r.body)}")
    return r


def case_id_of(entry_id, links):
    """The case an entry is about: the ULID in its alternate link, else in its id."""
    for text in [*links, entry_id]:
        m = ULID_RE.search(text or "")
        if m:
            return m.group(0)
    return None


def check_atom_xml(body, path, site):
    """RFC 4287 by hand; returns [(entry id, [alternate hrefs], published)]."""
    root = ET.fromstring(body)
    require(root.tag == f"{{{ATOM}}}feed", f"root element is {root.tag}, expected the Atom 1.0 {{{ATOM}}}feed")

    def one(parent, name, where):
        found = parent.findall(f"a:{name}", A)
        require(len(found) == 1, f"{where}: {len(found)} atom:{name} elements, RFC 4287 requires exactly one")
        return found[0]

    def text_construct(el, where):
        kind = el.get("type", "text")
        require(kind in ("text", "html", "xhtml"), f"{where}: type={kind!r}")
        require("".join(el.itertext()).strip(), f"{where}: empty")

    def date(el, where):
        require(RFC3339.match((el.text or "").strip()), f"{where}: {el.text!r} is not an RFC 3339 date-time")

    def person(el, where):
        name = el.findall("a:name", A)
        require(len(name) == 1 and (name[0].text or "").strip(), f"{where}: an author needs exactly one atom:name")

    def alternates(parent, where):
        seen = set()
        hrefs = []
        for link in parent.findall("a:link", A):
            require(link.get("href"), f"{where}: atom:link without href")
            if link.get("rel", "alternate") == "alternate":
                key = (link.get("type"), link.get("hreflang"))
                require(key not in seen, f"{where}: two alternate links with the same type and hreflang")
                seen.add(key)
                hrefs.append(link.get("href"))
        return hrefs

    fid = one(root, "id", "feed")
    require(IRI.match((fid.text or "").strip()), f"feed atom:id {fid.text!r} is not an absolute IRI")
    text_construct(one(root, "title", "feed"), "feed atom:title")
    date(one(root, "updated", "feed"), "feed atom:updated")
    alternates(root, "feed")
    selfs = [link.get("href") for link in root.findall("a:link", A) if link.get("rel") == "self"]
    require(len(selfs) == 1, f"feed has {len(selfs)} link rel=self")
    self_url = urllib.parse.urlsplit(selfs[0])
    asked = urllib.parse.urlsplit(path)
    require(self_url.scheme in ("http", "https"), f"rel=self {selfs[0]!r} is not an absolute URL")
    require(selfs[0].startswith(site + "/"), f"rel=self {selfs[0]!r} is not under the base URL {site}")
    require(self_url.path == asked.path, f"rel=self path {self_url.path!r}, the feed is at {asked.path!r}")
    require(
        sorted(urllib.parse.parse_qsl(self_url.query)) == sorted(urllib.parse.parse_qsl(asked.query)),
        f"rel=self query {self_url.query!r} differs from the request's {asked.query!r}",
    )
    feed_authors = root.findall("a:author", A)
    for a in feed_authors:
        person(a, "feed atom:author")

    entries = []
    for i, e in enumerate(root.findall("a:entry", A)):
        where = f"entry {i + 1}"
        eid = (one(e, "id", where).text or "").strip()
        where = f"entry {eid}"
        require(IRI.match(eid), f"{where}: atom:id is not an absolute IRI")
        text_construct(one(e, "title", where), f"{where} atom:title")
        date(one(e, "updated", where), f"{where} atom:updated")
        published = e.findall("a:published", A)
        require(len(published) <= 1, f"{where}: more than one atom:published")
        for p in published:
            date(p, f"{where} atom:published")
        hrefs = alternates(e, where)
        content = e.find("a:content", A)
        require(hrefs or content is not None, f"{where}: neither an alternate link nor content (RFC 4287 §4.1.1)")
        require(hrefs, f"{where}: no link to the case")
        for href in hrefs:
            require(href.startswith(site + "/"), f"{where}: link {href!r} is not under the base URL {site}")
        if content is not None and (content.get("src") or content.get("type", "text") not in ("text", "html", "xhtml")):
            require(e.find("a:summary", A) is not None, f"{where}: out-of-line or binary content needs a summary")
        authors = e.findall("a:author", A)
        for a in authors:
            person(a, f"{where} atom:author")
        require(feed_authors or authors or e.find("a:source/a:author", A) is not None,
                f"{where}: no atom:author in the entry or the feed (RFC 4287 §4.1.1)")
        entries.append((eid, hrefs, (published[0].text or "").strip() if published else None))
    ids = [eid for eid, _, _ in entries]
    require(len(ids) == len(set(ids)), "two entries share an atom:id")
    return entries


def check_feedparser(body, content_type):
    d = feedparser.parse(body, response_headers={"content-type": content_type})
    require(not d.bozo, f"feedparser: bozo ({d.get('bozo_exception')!r})")
    require(d.version == "atom10", f"feedparser reads it as {d.version!r}, not atom10")
    f = d.feed
    for key in ("id", "title", "updated"):
        require(f.get(key), f"feedparser: the feed has no {key}")
    require(any(link.get("rel") == "self" for link in f.get("links", [])), "feedparser: no link rel=self")
    feed_author = bool(f.get("author_detail") or f.get("authors"))
    for e in d.entries:
        for key in ("id", "title", "updated", "link"):
            require(e.get(key), f"feedparser: entry {e.get('id')} has no {key}")
        require(feed_author or e.get("author_detail") or e.get("authors"),
                f"feedparser: entry {e.get('id')} has no author, nor has the feed")
    return d


def main():
    base = base_url_arg(sys.argv, "usage: check_feeds.py BASE (e.g. http://127.0.0.1:8080)")
    site = public_base(base)
    published = published_cases(base)
    print(f"     {len(published)} published cases in the API")

    word = next((w for w in SEARCH_WORDS if search_ids(base, {"q": w})), SEARCH_WORDS[0])
    feeds = [
        ("/feeds/cases.atom", lambda: set(published), True),
        ("/feeds/cases.atom?country=ID", lambda: set(published_cases(base, {"country": "ID"})), True),
        ("/feeds/cases.atom?sector=health", lambda: set(published_cases(base, {"sector": "health"})), True),
        (f"/feeds/search.atom?q={word}", lambda: search_ids(base, {"q": word}), False),
        (f"/feeds/search.atom?q={word}&country=ID", lambda: search_ids(base, {"q": word, "country": "ID"}), False),
        ("/feeds/search.atom?sector=health&sort=newest", lambda: search_ids(base, {"sector": "health", "sort": "newest"}),
         False),
    ]
    for path, allowed_ids, newest_first in feeds:
        with check(f"GET {path}: 200, application/atom+xml; feedparser reads it without bozo"):
            r = fetch(base, path)
            require(r.media_type() == "application/atom+xml",
                    f"Content-Type {r.content_type!r}, expected application/atom+xml")
            d = check_feedparser(r.body, r.content_type)
        with check(f"{path}: RFC 4287 by hand (namespace, id, title, updated, self link, authors, entries)"):
            entries = check_atom_xml(r.body, path, site)
            require(len(entries) == len(d.entries), f"etree finds {len(entries)} entries, feedparser {len(d.entries)}")
        with check(f"{path}: entries are published cases matching the request ({len(entries)} entries)"):
            allowed = allowed_ids()
            require(not allowed or entries, f"the API has {len(allowed)} matching cases but the feed is empty")
            for eid, hrefs, _ in entries:
                cid = case_id_of(eid, hrefs)
                require(cid, f"entry {eid}: no case id in its id or links {hrefs}")
                require(cid in published, f"entry {eid} is case {cid}, which is not published")
                require(cid in allowed, f"entry {eid} is case {cid}, which the API does not give for this request")
        if newest_first and entries:
            with check(f"{path}: the newest published cases (by published_at) are the ones in the feed"):
                chosen = {case_id_of(eid, hrefs) for eid, hrefs, _ in entries}
                stamps = lambda ids: [instant(published[i]["published_at"]) for i in ids]  # noqa: E731
                oldest_in = min(stamps(chosen))
                left_out = [i for i in allowed if i not in chosen]
                newest_out = max(stamps(left_out), default=None)
                require(newest_out is None or newest_out <= oldest_in,
                        f"case published {newest_out} is left out while one published {oldest_in} is in: "
                        "not the newest cases")

    with check("GET /sitemap.xml: sitemap 0.9, every published case, nothing unpublished"):
        r = fetch(base, "/sitemap.xml")
        require(r.media_type() in ("application/xml", "text/xml"), f"Content-Type {r.content_type!r}")
        locs = sitemap_locs(base, site, r.body)
        found = {}
        for loc in locs:
            for cid in ULID_RE.findall(loc):
                found.setdefault(cid, loc)
        missing = set(published) - set(found)
        extra = set(found) - set(published)
        require(not missing, f"{len(missing)} published case(s) missing, e.g. {sorted(missing)[:3]}")
        require(not extra, f"URL(s) of unpublished cases listed, e.g. {[found[i] for i in sorted(extra)[:3]]}")
        print(f"     {len(locs)} URLs, {len(found)} of them cases")

    with check("GET /robots.txt: text/plain, names the sitemap"):
        r = fetch(base, "/robots.txt")
        require(r.media_type() == "text/plain", f"Content-Type {r.content_type!r}")
        maps = [m.strip() for m in re.findall(r"(?im)^\s*sitemap\s*:\s*(\S+)\s*$", r.text())]
        require(f"{site}/sitemap.xml" in maps, f"robots.txt names sitemaps {maps}, expected {site}/sitemap.xml")

    print("all feed, sitemap and robots.txt checks passed")


def sitemap_locs(base, site, body, depth=0):
    """Every <loc> of a urlset, following a sitemap index one level down."""
    root = ET.fromstring(body)
    require(root.tag in (f"{{{SITEMAP}}}urlset", f"{{{SITEMAP}}}sitemapindex"),
            f"root element {root.tag}, expected urlset or sitemapindex in {SITEMAP}")
    require(len(body) <= 50 * 1024 * 1024, "a sitemap file is larger than 50 MB")
    if root.tag == f"{{{SITEMAP}}}sitemapindex":
        require(depth == 0, "a sitemap index points to another index")
        children = root.findall(f"{{{SITEMAP}}}sitemap")
        require(children, "an empty sitemap index")
        require(len(children) <= 50_000, "more than 50,000 sitemaps in an index")
        locs = []
        for child in children:
            loc = one_loc(child, site)
            lastmod = child.findtext(f"{{{SITEMAP}}}lastmod")
            require(lastmod is None or W3C_DATE.match(lastmod.strip()), f"{loc}: lastmod {lastmod!r}")
            r = fetch(base, loc[len(site):])
            locs.extend(sitemap_locs(base, site, r.body, depth + 1))
        return locs
    urls = root.findall(f"{{{SITEMAP}}}url")
    require(len(urls) <= 50_000, f"{len(urls)} URLs in one sitemap, at most 50,000 allowed")
    locs = []
    for url in urls:
        loc = one_loc(url, site)
        for el in url:
            if el.tag.startswith(f"{{{SITEMAP}}}"):
                name = el.tag.split("}")[1]
                require(name in ("loc", "lastmod", "changefreq", "priority"), f"{loc}: unknown element {name}")
        lastmod = url.findtext(f"{{{SITEMAP}}}lastmod")
        require(lastmod is None or W3C_DATE.match(lastmod.strip()), f"{loc}: lastmod {lastmod!r} is not a W3C date")
        freq = url.findtext(f"{{{SITEMAP}}}changefreq")
        require(freq is None or freq.strip() in CHANGEFREQ, f"{loc}: changefreq {freq!r}")
        prio = url.findtext(f"{{{SITEMAP}}}priority")
        require(prio is None or 0.0 <= float(prio) <= 1.0, f"{loc}: priority {prio!r}")
        locs.append(loc)
    require(len(locs) == len(set(locs)), "a URL is listed twice")
    return locs


def one_loc(parent, site):
    locs = parent.findall(f"{{{SITEMAP}}}loc")
    require(len(locs) == 1, f"{len(locs)} <loc> in one entry")
    loc = (locs[0].text or "").strip()
    require(loc.startswith(site + "/"), f"<loc> {loc!r} is not an absolute URL under {site}")
    require(len(loc) < 2048, f"<loc> longer than 2,048 characters: {loc[:80]}...")
    return loc


if __name__ == "__main__":
    main()
