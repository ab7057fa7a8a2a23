#!/usr/bin/env python3
"""OAI-PMH 2.0 conformance of a running Lumbung node.

    python3 tests/conformance/oai_validate.py http://127.0.0.1:8080

Every response is validated with `xmlschema` against the OAI-PMH schemas in
<repo>/../shared/specs/oai-pmh/ (plus oai_dc, simpledc, provenance, xml, and
Lumbung's own case schema), and its content is checked against the protocol:
Identify, ListMetadataFormats, ListSets, ListIdentifiers and ListRecords in
each format over every resumption page, GetRecord in each format, a deleted
record, selective harvesting by set and date, GET and POST, and every error
condition. The node must hold more records than one page and at least one
deleted record (a published case that was archived).

Optional environment:
  LUMBUNG_CONFORMANCE_TOKEN  a curator token: also checks, by id, that no
                             draft/submitted/returned case is served and that
                             the deleted records are exactly the archived cases
  LUMBUNG_BASE_URL           the node's configured base URL (default: BASE)
  LUMBUNG_NODE_ID            the node id expected in identifiers
  LUMBUNG_OAI_PAGE_SIZE      the node's page size: every page but the last must be full

Prints one line per check; exits 1 on the first failure.
"""

import datetime as dt
import os
import re
import sys
import urllib.parse
import warnings
import xml.etree.ElementTree as ET

import xmlschema

from conformance import (
    REPO,
    ULID,
    CheckFailed,
    api_items,
    check,
    http,
    public_base,
    published_cases,
    base_url_arg,
    get,
    require,
    short,
    token,
    unpublished_cases,
)

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
LUMBUNG = "urn:lumbung:schema:case:1"
NS = {"oai": OAI, "oai_dc": OAI_DC, "dc": DC, "lc": LUMBUNG}

SPECS = REPO.parent / "shared" / "specs" / "oai-pmh"
LUMBUNG_XSD = REPO / "crates" / "federation" / "schema" / "lumbung-case.xsd"
# namespace -> schema file, as ../shared/specs/oai-pmh/README.md explains
LOCATIONS = {
    OAI_DC: SPECS / "oai_dc.xsd",
    DC: SPECS / "simpledc20021212.xsd",
    "http://www.openarchives.org/OAI/2.0/provenance": SPECS / "provenance.xsd",
    "http://www.w3.org/XML/1998/namespace": SPECS / "xml.xsd",
    LUMBUNG: LUMBUNG_XSD,
}

PAGE_SIZE = int(os.environ.get("LUMBUNG_OAI_PAGE_SIZE") or 0)
SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
FORMATS = ("oai_dc", "lumbung")
SITE = None  # the node's public base URL, set in main()
# Error checks repeated with POST.
POST_ERRORS = (
    "badVerb: no verb",
    "badVerb: unknown",
    "badVerb: verb repeated",
    "badArgument: unknown argument to Identify",
    "badArgument: from later",
    "badResumptionToken: made-up",
    "cannotDisseminateFormat: GetRecord",
    "idDoesNotExist: GetRecord of an unknown",
    "noRecordsMatch: ListRecords",
)
SET_KINDS = ("country", "sector", "level", "origin", "kind")


def load_schema():
    for path in [SPECS / "OAI-PMH.xsd", *LOCATIONS.values()]:
        require(path.is_file(), f"schema file {path} is missing")
    with warnings.catch_warnings():
        # A failed import is only a warning in xmlschema; validation would then
        # fail later with "unavailable namespace". Fail here instead.
        warnings.simplefilter("error", xmlschema.XMLSchemaImportWarning)
        schema = xmlschema.XMLSchema(
            str(SPECS / "OAI-PMH.xsd"),
            locations={ns: str(p.resolve()) for ns, p in LOCATIONS.items()},
            allow="local",
        )
    for ns in [OAI, *LOCATIONS]:
        require(ns in schema.maps.namespaces, f"namespace {ns} was not loaded")
    require(f"{{{LUMBUNG}}}case" in schema.maps.elements, f"{LUMBUNG_XSD.name} declares no global element 'case'")
    require(f"{{{OAI_DC}}}dc" in schema.maps.elements, "oai_dc:dc is not declared")
    return schema


class Oai:
    """Requests to the provider; every answer is checked for HTTP status,
    media type, well-formedness, the schema, responseDate and request."""

    def __init__(self, base, schema, base_url):
        self.url = base + "/oai"
        self.schema = schema
        self.base_url = base_url  # the baseURL expected in <request> and Identify

    def raw(self, params, method="GET"):
        query = urllib.parse.urlencode(params)
        if method == "GET":
            return http("GET", f"{self.url}?{query}" if query else self.url)
        return http(
            "POST",
            self.url,
            body=query.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def __call__(self, params, method="GET"):
        r = self.raw(params, method)
        what = f"{method} /oai?{urllib.parse.urlencode(params)}"
        require(r.status == 200, f"{what}: HTTP {r.status} (OAI-PMH errors travel as HTTP 200): {short(r.body)}")
        require(
            r.media_type() == "text/xml",
            f"{what}: Content-Type {r.content_type!r}, OAI-PMH 2.0 §3.1.2.1 requires text/xml",
        )
        try:
            root = ET.fromstring(r.body)
        except ET.ParseError as e:
            raise CheckFailed(f"{what}: not well-formed XML ({e}): {short(r.body)}") from e
        errors = list(self.schema.iter_errors(root, use_location_hints=False))
        if errors:
            first = errors[0]
            raise CheckFailed(
                f"{what}: {len(errors)} schema error(s); first: {first.reason} at {first.path}\n"
                f"--- response ---\n{short(r.body, 3000)}"
            )
        require(root.tag == f"{{{OAI}}}OAI-PMH", f"{what}: root is {root.tag}")
        rd = root.findtext("oai:responseDate", namespaces=NS)
        require(SECONDS.match(rd or ""), f"{what}: responseDate {rd!r} is not UTC YYYY-MM-DDThh:mm:ssZ")
        req = root.find("oai:request", NS)
        require(
            (req.text or "").strip() == self.base_url,
            f"{what}: <request> is {req.text!r}, expected the baseURL {self.base_url!r}",
        )
        return Reply(root, what)


class Reply:
    def __init__(self, root, what):
        self.root = root
        self.what = what
        self.request = root.find("oai:request", NS)

    def errors(self):
        return [e.get("code") for e in self.root.findall("oai:error", NS)]

    def body(self, verb):
        codes = self.errors()
        require(not codes, f"{self.what}: expected a {verb} answer, got error(s) {codes}: {self.error_text()}")
        el = self.root.find(f"oai:{verb}", NS)
        require(el is not None, f"{self.what}: no <{verb}> element")
        return el

    def error_text(self):
        return "; ".join(f"{e.get('code')}: {(e.text or '').strip()}" for e in self.root.findall("oai:error", NS))

    def echoed(self, params):
        """The request element carries the request's arguments as attributes."""
        attrs = dict(self.request.attrib)
        want = dict(params)
        require(attrs == want, f"{self.what}: <request> attributes {attrs}, expected {want}")


def header_info(h):
    return {
        "identifier": h.findtext("oai:identifier", namespaces=NS),
        "datestamp": h.findtext("oai:datestamp", namespaces=NS),
        "deleted": h.get("status") == "deleted",
        "sets": [s.text for s in h.findall("oai:setSpec", NS)],
    }


def harvest(oai, verb, params, method="GET"):
    """Follows a list request over all its resumption pages, checking the
    token rules on each. Returns (items, pages), items being the <header>s
    (ListIdentifiers) or <record>s (ListRecords) in order."""
    items, pages, sizes = [], 0, []
    reply = oai(params, method)
    reply.echoed(params)
    complete = None
    token_params = None
    while True:
        pages += 1
        body = reply.body(verb)
        tag = {"ListIdentifiers": "oai:header", "ListRecords": "oai:record", "ListSets": "oai:set"}[verb]
        page = body.findall(tag, NS)
        require(page, f"{reply.what}: an empty list page (an empty list is the noRecordsMatch error)")
        rt = body.find("oai:resumptionToken", NS)
        if rt is not None:
            size = rt.get("completeListSize")
            require(size is not None, f"{reply.what}: resumptionToken has no completeListSize")
            require(rt.get("cursor") is not None, f"{reply.what}: resumptionToken has no cursor")
            require(
                int(rt.get("cursor")) == len(items),
                f"{reply.what}: cursor {rt.get('cursor')} but {len(items)} items were sent before this page",
            )
            require(complete is None or complete == int(size), f"{reply.what}: completeListSize changed")
            complete = int(size)
        elif pages > 1:
            raise CheckFailed(f"{reply.what}: the last page of an incomplete list lacks an empty resumptionToken")
        if token_params is not None:
            reply.echoed(token_params)
        items.extend(page)
        sizes.append(len(page))
        token = (rt.text or "").strip() if rt is not None else ""
        if not token:
            break
        require(pages < 10_000, "too many pages")
        token_params = [("verb", verb), ("resumptionToken", token)]
        reply = oai(token_params, method)
    if complete is not None:
        require(complete == len(items), f"{verb} {params}: completeListSize {complete} but {len(items)} items sent")
    if PAGE_SIZE and verb != "ListSets":
        for n, size in enumerate(sizes, 1):
            require(size == PAGE_SIZE or (n == len(sizes) and size <= PAGE_SIZE),
                    f"{verb} {params}: page {n} of {len(sizes)} holds {size} items, the page size is {PAGE_SIZE}")
    return items, pages


def strip_volatile(root):
    """A response with what legitimately differs between two equal requests
    removed: responseDate, and the resumption token's opaque value and expiry."""
    root = ET.fromstring(ET.tostring(root))
    rd = root.find("oai:responseDate", NS)
    root.remove(rd)
    for rt in root.iter(f"{{{OAI}}}resumptionToken"):
        rt.text = "TOKEN" if (rt.text or "").strip() else ""
        rt.attrib.pop("expirationDate", None)
    return ET.tostring(root)


def main():
    global SITE
    base = base_url_arg(sys.argv, "usage: oai_validate.py BASE (e.g. http://127.0.0.1:8080)")
    SITE = public_base(base)
    expected_base_url = SITE + "/oai"

    with check(f"load the OAI-PMH schemas from {SPECS} and {LUMBUNG_XSD.relative_to(REPO)}"):
        schema = load_schema()
    oai = Oai(base, schema, expected_base_url)

    # ---- Identify -------------------------------------------------------
    with check("Identify: valid; protocolVersion 2.0, baseURL, deletedRecord persistent, seconds granularity"):
        r = oai([("verb", "Identify")])
        r.echoed([("verb", "Identify")])
        ident = r.body("Identify")
        t = lambda name: (ident.findtext(f"oai:{name}", namespaces=NS) or "").strip()  # noqa: E731
        require(t("repositoryName"), "repositoryName is empty")
        require(t("baseURL") == expected_base_url, f"baseURL {t('baseURL')!r}, expected {expected_base_url!r}")
        require(t("protocolVersion") == "2.0", f"protocolVersion {t('protocolVersion')!r}")
        require(t("deletedRecord") == "persistent",
                f"deletedRecord is {t('deletedRecord')!r}, the contract says persistent")
        require(t("granularity") == "YYYY-MM-DDThh:mm:ssZ", f"granularity {t('granularity')!r}")
        earliest = t("earliestDatestamp")
        require(SECONDS.match(earliest), f"earliestDatestamp {earliest!r} does not have the repository's granularity")
        require(ident.findall("oai:adminEmail", NS), "no adminEmail")

    with check("POST Identify (form body) answers as GET does"):
        same_as_get(oai, [("verb", "Identify")])

    # ---- ListMetadataFormats ---------------------------------------------
    with check("ListMetadataFormats: valid; oai_dc and lumbung with their namespaces and schemas"):
        r = oai([("verb", "ListMetadataFormats")])
        r.echoed([("verb", "ListMetadataFormats")])
        check_formats(r.body("ListMetadataFormats"))

    with check("the lumbung schema URL ListMetadataFormats gives serves the XSD this validator uses"):
        lmf = oai([("verb", "ListMetadataFormats")]).body("ListMetadataFormats")
        url = next(f.findtext("oai:schema", namespaces=NS) for f in lmf.findall("oai:metadataFormat", NS)
                   if f.findtext("oai:metadataPrefix", namespaces=NS) == "lumbung")
        fetch_url = base + url[len(SITE):] if url.startswith(SITE + "/") else url
        r = get(fetch_url)
        require(r.status == 200, f"GET {fetch_url}: HTTP {r.status}")
        require(r.body == LUMBUNG_XSD.read_bytes(), f"{url} differs from {LUMBUNG_XSD.relative_to(REPO)}")

    # ---- ListSets ----------------------------------------------------------
    with check("ListSets: valid; country:, sector:, level:, origin:, kind: sets; country:ID, origin:<node>, kind:event"):
        set_items, _ = harvest(oai, "ListSets", [("verb", "ListSets")])
        sets = {}
        for s in set_items:
            spec = s.findtext("oai:setSpec", namespaces=NS)
            require(spec not in sets, f"setSpec {spec} listed twice")
            require((s.findtext("oai:setName", namespaces=NS) or "").strip(), f"set {spec} has an empty setName")
            require(spec.split(":")[0] in SET_KINDS, f"setSpec {spec} is none of {SET_KINDS}")
            require(len(spec.split(":")) == 2, f"setSpec {spec} is not kind:value")
            sets[spec] = s
        require("country:ID" in sets, "no set country:ID (the demo has Indonesian cases)")
        require("kind:case" in sets and "kind:event" in sets, "no kind:case and kind:event sets")
        for kind in SET_KINDS:
            require(any(k.startswith(kind + ":") for k in sets), f"no {kind}: set")

    # ---- the whole repository, headers only, in both formats ----------------
    harvested = {}
    for prefix in FORMATS:
        with check(f"ListIdentifiers metadataPrefix={prefix}: every page valid, cursor and completeListSize right"):
            headers, pages = harvest(oai, "ListIdentifiers", [("verb", "ListIdentifiers"), ("metadataPrefix", prefix)])
            require(
                pages > 1,
                f"all {len(headers)} records came in one page: the resumption checks need more records than "
                "the page size (seed more cases or set LUMBUNG_OAI_PAGE_SIZE lower)",
            )
            harvested[prefix] = [header_info(h) for h in headers]
            print(f"     {len(headers)} headers in {pages} pages")
    headers = harvested["oai_dc"]
    by_id = {h["identifier"]: h for h in headers}

    with check("ListIdentifiers: both formats list the same headers"):
        require(harvested["oai_dc"] == harvested["lumbung"], "oai_dc and lumbung lists differ")

    with check("identifiers are oai:<node>:case/<ULID>, unique; datestamps in seconds, not before earliestDatestamp"):
        require(len(by_id) == len(headers), "an identifier is listed twice")
        node = os.environ.get("LUMBUNG_NODE_ID") or headers[0]["identifier"].split(":")[1]
        id_re = re.compile(rf"^oai:{re.escape(node)}:case/({ULID})$")
        for h in headers:
            require(id_re.match(h["identifier"]), f"identifier {h['identifier']!r} is not oai:{node}:case/<ULID>")
            require(SECONDS.match(h["datestamp"] or ""), f"{h['identifier']}: datestamp {h['datestamp']!r}")
            require(h["datestamp"] >= earliest, f"{h['identifier']}: datestamp {h['datestamp']} < earliest {earliest}")
    case_id = lambda ident: ident.rsplit("/", 1)[1]  # noqa: E731
    live = [h for h in headers if not h["deleted"]]
    deleted = [h for h in headers if h["deleted"]]

    with check(f"sets of records: origin:{node} on local records, no origin:local, every setSpec in ListSets"):
        if node != "local":
            require("origin:local" not in sets, "ListSets lists origin:local; local cases belong in origin:<node id>")
        require(f"origin:{node}" in sets, f"ListSets lacks origin:{node}")
        for h in live:
            origins = [s for s in h["sets"] if s.startswith("origin:")]
            require(len(origins) == 1, f"{h['identifier']}: origin setSpecs {origins}, expected exactly one")
            if node != "local":
                require(origins != ["origin:local"], f"{h['identifier']} is in origin:local")
            for s in h["sets"]:
                require(s in sets, f"{h['identifier']}: setSpec {s} is not in ListSets")

    published = published_cases(base)
    with check("non-deleted records are exactly the published cases of GET /api/v1/cases (no draft is served)"):
        served = {case_id(h["identifier"]) for h in live}
        missing = set(published) - served
        extra = served - set(published)
        require(not missing, f"{len(missing)} published case(s) not served, e.g. {sorted(missing)[:3]}")
        require(not extra, f"{len(extra)} served record(s) are not published cases, e.g. {sorted(extra)[:3]}")

    with check("datestamps: a record's datestamp is not before its case was published (or last updated)"):
        for h in live:
            case = published[case_id(h["identifier"])]
            for field in ("published_at", "updated_at"):
                second = seconds(case[field])
                require(h["datestamp"] >= second,
                        f"{h['identifier']}: datestamp {h['datestamp']} is before its {field} {case[field]}")

    with check("deleted records: at least one; none is a published case"):
        require(
            deleted,
            "no header with status=\"deleted\": archive a published case first (POST /api/v1/cases/{id}/archive)",
        )
        for h in deleted:
            require(case_id(h["identifier"]) not in published, f"{h['identifier']} is deleted but published")

    unpublished = unpublished_cases(base)
    if unpublished is not None:
        with check("with a curator token: no draft/submitted/returned case is served; deleted records = archived cases"):
            hidden = {i for i, s in unpublished.items() if s != "archived"}
            archived = {i for i, s in unpublished.items() if s == "archived"}
            require(hidden, "the node has no unpublished case to test with")
            served_all = {case_id(h["identifier"]) for h in headers}
            leaked = hidden & served_all
            require(not leaked, f"unpublished case(s) served: {sorted(leaked)[:5]}")
            dead = {case_id(h["identifier"]) for h in deleted}
            require(dead == archived, f"deleted records {sorted(dead)[:5]} != archived cases {sorted(archived)[:5]}")
            for h in deleted:
                case = api_case(base, case_id(h["identifier"]))
                require(h["datestamp"] >= seconds(case["updated_at"]),
                        f"{h['identifier']}: datestamp {h['datestamp']} is before the case was archived "
                        f"({case['updated_at']}): incremental harvesters would miss the deletion")
        draft_id = sorted(i for i, s in unpublished.items() if s == "draft")
        if draft_id:
            draft_ident = f"oai:{node}:case/{draft_id[0]}"
            expect_error(oai, f"GetRecord of a draft ({draft_ident}) is idDoesNotExist", "idDoesNotExist",
                         [("verb", "GetRecord"), ("identifier", draft_ident), ("metadataPrefix", "oai_dc")])
    else:
        print("     (no LUMBUNG_CONFORMANCE_TOKEN: drafts checked only as 'served = published')")

    # ---- records in each format ------------------------------------------
    for prefix in FORMATS:
        with check(f"ListRecords metadataPrefix={prefix}: every page valid; headers as ListIdentifiers; metadata right"):
            records, pages = harvest(oai, "ListRecords", [("verb", "ListRecords"), ("metadataPrefix", prefix)])
            require(pages > 1, "one page only")
            got = [header_info(rec.find("oai:header", NS)) for rec in records]
            require(
                sorted(got, key=lambda h: h["identifier"]) == sorted(headers, key=lambda h: h["identifier"]),
                "ListRecords headers differ from ListIdentifiers headers",
            )
            for rec, h in zip(records, got):
                check_record(rec, h, prefix)
            print(f"     {len(records)} records in {pages} pages")

    with check("POST ListRecords first page and a resumption page answer as GET does"):
        same_as_get(oai, [("verb", "ListRecords"), ("metadataPrefix", "oai_dc")])
        first = oai([("verb", "ListRecords"), ("metadataPrefix", "oai_dc")])
        tok = first.body("ListRecords").findtext("oai:resumptionToken", namespaces=NS)
        require(tok, "no resumption token on the first page")
        same_as_get(oai, [("verb", "ListRecords"), ("resumptionToken", tok)])

    # ---- GetRecord --------------------------------------------------------
    sample = live[len(live) // 2]
    gone = deleted[0]
    for prefix in FORMATS:
        with check(f"GetRecord metadataPrefix={prefix} of a published case: valid, same header as in the list"):
            params = [("verb", "GetRecord"), ("identifier", sample["identifier"]), ("metadataPrefix", prefix)]
            r = oai(params)
            r.echoed(params)
            recs = r.body("GetRecord").findall("oai:record", NS)
            require(len(recs) == 1, f"{len(recs)} records")
            h = header_info(recs[0].find("oai:header", NS))
            require(h == sample, f"header {h} differs from the listed {sample}")
            check_record(recs[0], h, prefix)
        with check(f"GetRecord metadataPrefix={prefix} of an archived case: header status=deleted, no metadata"):
            params = [("verb", "GetRecord"), ("identifier", gone["identifier"]), ("metadataPrefix", prefix)]
            r = oai(params)
            r.echoed(params)
            rec = r.body("GetRecord").find("oai:record", NS)
            h = header_info(rec.find("oai:header", NS))
            require(h["deleted"], f"{gone['identifier']} is not status=deleted")
            require(h["identifier"] == gone["identifier"], "another identifier came back")
            require(rec.find("oai:metadata", NS) is None, "a deleted record carries metadata")

    with check("POST GetRecord answers as GET does"):
        same_as_get(oai, [("verb", "GetRecord"), ("identifier", sample["identifier"]), ("metadataPrefix", "lumbung")])

    with check("ListMetadataFormats with a published case's identifier: both formats"):
        params = [("verb", "ListMetadataFormats"), ("identifier", sample["identifier"])]
        r = oai(params)
        r.echoed(params)
        check_formats(r.body("ListMetadataFormats"))

    # ---- selective harvesting --------------------------------------------
    with check("sets: ListIdentifiers set=country:ID / sector:* / level:* match the API's filters"):
        for kind, api_key in (("country", "country"), ("sector", "sector"), ("level", "level")):
            choice = preferred_set(sets, kind, {"country": "ID", "sector": "health"}.get(kind))
            value = choice.split(":", 1)[1]
            params = [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("set", choice)]
            got, _ = harvest_or_empty(oai, params)
            ids = {case_id(h["identifier"]) for h in got if not h["deleted"]}
            want = set(published_cases(base, {api_key: value}))
            require(ids == want, f"set {choice}: {len(ids)} records, the API filter {api_key}={value} gives "
                                 f"{len(want)}; differ by {sorted(ids ^ want)[:5]}")
            for h in got:
                require(h["deleted"] or choice in h["sets"], f"{h['identifier']} in set {choice} lacks that setSpec")
            print(f"     set {choice}: {len(ids)} records")
        params = [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("set", f"origin:{node}")]
        got, _ = harvest_or_empty(oai, params)
        require({h["identifier"] for h in got if not h["deleted"]} == {h["identifier"] for h in live},
                f"set origin:{node} is not every local record")

    # ---- the second kind of record: events ------------------------------
    with check("set kind:event: every event of GET /api/v1/events, valid in both formats, none without the set"):
        events = {e["id"]: e for e in api_items(base, "/api/v1/events", {"when": "all"}, auth=token())}
        require(events, "the demo has events")
        for prefix in FORMATS:
            got, _ = harvest(oai, "ListRecords", [("verb", "ListRecords"), ("metadataPrefix", prefix), ("set", "kind:event")])
            ids = set()
            for rec in got:
                h = header_info(rec.find("oai:header", NS))
                require(re.fullmatch(rf"oai:{re.escape(node)}:event/{ULID}", h["identifier"]), f"{h['identifier']}")
                require(h["sets"] == ["kind:event"], f"{h['identifier']}: sets {h['sets']}")
                ids.add(h["identifier"].rsplit("/", 1)[1])
                md = list(rec.find("oai:metadata", NS))
                require(len(md) == 1, f"{h['identifier']}: {len(md)} elements in <metadata>")
                if prefix == "oai_dc":
                    types = [t.text for t in md[0].findall("dc:type", NS)]
                    require(types == ["Event"], f"{h['identifier']}: dc:type {types}")
                else:
                    require(md[0].tag == f"{{{LUMBUNG}}}event", f"{h['identifier']}: root {md[0].tag}")
                text = ET.tostring(rec, encoding="unicode")
                for e in events.values():
                    link = e.get("online_url")
                    require(not link or link not in text, f"{h['identifier']}: an online link left the node")
            require(ids == set(events), f"{prefix}: {len(ids)} event records, the API has {len(events)}")
            print(f"     {len(ids)} event records ({prefix})")
        require(all(":event/" not in h["identifier"] for h in headers), "an event record in the list without a set")
        first = sorted(events)[0]
        r = oai([("verb", "GetRecord"), ("metadataPrefix", "lumbung"), ("identifier", f"oai:{node}:event/{first}")])
        r.body("GetRecord")

    stamps = sorted({h["datestamp"] for h in headers})
    pivot = stamps[len(stamps) // 2]
    with check(f"from/until at seconds granularity (pivot {pivot}) select exactly the records in range, inclusive"):
        for args, keep in (
            ([("from", pivot)], lambda d: d >= pivot),
            ([("until", pivot)], lambda d: d <= pivot),
            ([("from", pivot), ("until", pivot)], lambda d: d == pivot),
        ):
            got, _ = harvest_or_empty(oai, [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), *args])
            want = {h["identifier"] for h in headers if keep(h["datestamp"])}
            require({h["identifier"] for h in got} == want, f"{args}: {len(got)} records, expected {len(want)}")
    day = pivot[:10]
    with check(f"from/until at day granularity ({day}) are accepted and inclusive"):
        for args, keep in (
            ([("from", day)], lambda d: d[:10] >= day),
            ([("until", day)], lambda d: d[:10] <= day),
        ):
            got, _ = harvest_or_empty(oai, [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), *args])
            want = {h["identifier"] for h in headers if keep(h["datestamp"])}
            got_ids = {header_info(r.find("oai:header", NS))["identifier"] for r in got}
            require(got_ids == want, f"{args}: {len(got_ids)} records, expected {len(want)}")

    # ---- errors ------------------------------------------------------------
    future = f"{dt.datetime.now(dt.timezone.utc).year + 2}-01-01"
    ghost = f"oai:{node}:case/01ARZ3NDEKTSV4RRFFQ69G5FAV"  # a well-formed id no case has
    errors = [
        ("badVerb: no verb", "badVerb", []),
        ("badVerb: unknown verb", "badVerb", [("verb", "ListEverything")]),
        ("badVerb: verb repeated", "badVerb", [("verb", "Identify"), ("verb", "Identify")]),
        ("badVerb: verb in the wrong case", "badVerb", [("verb", "identify")]),
        ("badArgument: ListRecords without metadataPrefix", "badArgument", [("verb", "ListRecords")]),
        ("badArgument: ListIdentifiers without metadataPrefix", "badArgument", [("verb", "ListIdentifiers")]),
        ("badArgument: GetRecord without identifier", "badArgument",
         [("verb", "GetRecord"), ("metadataPrefix", "oai_dc")]),
        ("badArgument: GetRecord without metadataPrefix", "badArgument",
         [("verb", "GetRecord"), ("identifier", sample["identifier"])]),
        ("badArgument: unknown argument to Identify", "badArgument", [("verb", "Identify"), ("foo", "bar")]),
        ("badArgument: unknown argument to ListRecords", "badArgument",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("colour", "red")]),
        ("badArgument: argument repeated", "badArgument",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("metadataPrefix", "oai_dc")]),
        ("badArgument: bad date (month 13)", "badArgument",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2020-13-45")]),
        ("badArgument: date-time without Z", "badArgument",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2020-01-01T00:00:00")]),
        ("badArgument: date-time finer than the granularity", "badArgument",
         [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("until", "2020-01-01T00:00:00.5Z")]),
        ("badArgument: from later than until", "badArgument",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2021-01-01"), ("until", "2020-01-01")]),
        ("badArgument: mixed granularities", "badArgument",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2020-01-01"),
          ("until", "2030-01-01T00:00:00Z")]),
        ("badArgument: resumptionToken with another argument", "badArgument",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("resumptionToken", tok)]),
        ("badArgument: ListSets with metadataPrefix", "badArgument", [("verb", "ListSets"), ("metadataPrefix", "oai_dc")]),
        ("badResumptionToken: made-up token", "badResumptionToken",
         [("verb", "ListRecords"), ("resumptionToken", "not-a-token-this-server-gave")]),
        ("badResumptionToken: ListIdentifiers with a made-up token", "badResumptionToken",
         [("verb", "ListIdentifiers"), ("resumptionToken", "AAAA0000")]),
        ("cannotDisseminateFormat: ListRecords metadataPrefix=marc21", "cannotDisseminateFormat",
         [("verb", "ListRecords"), ("metadataPrefix", "marc21")]),
        ("cannotDisseminateFormat: GetRecord metadataPrefix=marc21", "cannotDisseminateFormat",
         [("verb", "GetRecord"), ("identifier", sample["identifier"]), ("metadataPrefix", "marc21")]),
        ("idDoesNotExist: GetRecord of an unknown case", "idDoesNotExist",
         [("verb", "GetRecord"), ("identifier", ghost), ("metadataPrefix", "oai_dc")]),
        ("idDoesNotExist: GetRecord of a malformed identifier", "idDoesNotExist",
         [("verb", "GetRecord"), ("identifier", "not an identifier"), ("metadataPrefix", "oai_dc")]),
        ("idDoesNotExist: ListMetadataFormats of an unknown case", "idDoesNotExist",
         [("verb", "ListMetadataFormats"), ("identifier", ghost)]),
        (f"noRecordsMatch: ListRecords from={future}", "noRecordsMatch",
         [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", future)]),
        (f"noRecordsMatch: ListIdentifiers from={future}", "noRecordsMatch",
         [("verb", "ListIdentifiers"), ("metadataPrefix", "lumbung"), ("from", future)]),
        ("noRecordsMatch: until before the earliest datestamp", "noRecordsMatch",
         [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("until", "1990-01-01")]),
    ]
    syntax_errors = [
        # Values the schema's patterns refuse cannot be echoed in <request>
        # (metadataPrefixType, setSpecType): they are illegal syntax, badArgument.
        ("badArgument: empty metadataPrefix", "badArgument", [("verb", "ListRecords"), ("metadataPrefix", "")]),
        ("badArgument: metadataPrefix with illegal characters", "badArgument",
         [("verb", "ListIdentifiers"), ("metadataPrefix", "oai dc")]),
        ("badArgument: set with illegal characters", "badArgument",
         [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("set", "country: ID")]),
        ("badArgument: empty set", "badArgument", [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "")]),
    ]
    for name, code, params in errors:
        expect_error(oai, name, code, params)

    with check("POST with a form body gives the same errors as GET"):
        for name, _, params in errors:
            if name.startswith(POST_ERRORS):
                same_as_get(oai, params)

    for name, code, params in syntax_errors:
        expect_error(oai, name, code, params)

    print("all OAI-PMH checks passed")


def expect_error(oai, name, code, params):
    with check(name):
        r = oai(params)
        codes = r.errors()
        require(code in codes, f"expected error {code}, got {codes or 'no error'} {r.error_text()}")
        if code in ("badVerb", "badArgument"):
            # OAI-PMH 2.0 §3.2: after badVerb/badArgument, <request> carries the base URL only.
            require(not r.request.attrib, f"<request> has attributes {dict(r.request.attrib)} after {code}")
        else:
            # Any other error: <request> carries the request's arguments.
            r.echoed(params)


def same_as_get(oai, params):
    g = oai(params, "GET")
    p = oai(params, "POST")
    a, b = strip_volatile(g.root), strip_volatile(p.root)
    require(a == b, f"POST and GET differ for {params}:\nGET:  {short(a, 1200)}\nPOST: {short(b, 1200)}")


def harvest_or_empty(oai, params):
    """A selective list: its headers (ListIdentifiers) or records, or [] on noRecordsMatch."""
    r = oai(params)
    if r.errors() == ["noRecordsMatch"]:
        return [], 0
    verb = dict(params)["verb"]
    items, pages = harvest(oai, verb, params)
    if verb == "ListIdentifiers":
        return [header_info(h) for h in items], pages
    return items, pages


def preferred_set(sets, kind, value):
    if value and f"{kind}:{value}" in sets:
        return f"{kind}:{value}"
    return sorted(k for k in sets if k.startswith(kind + ":"))[0]


def check_formats(lmf):
    found = {}
    for f in lmf.findall("oai:metadataFormat", NS):
        found[f.findtext("oai:metadataPrefix", namespaces=NS)] = (
            f.findtext("oai:schema", namespaces=NS),
            f.findtext("oai:metadataNamespace", namespaces=NS),
        )
    require(set(FORMATS) <= set(found), f"formats {sorted(found)}, expected {FORMATS}")
    require(found["oai_dc"] == ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
            f"oai_dc is described as {found['oai_dc']}")
    require(found["lumbung"][1] == LUMBUNG, f"lumbung namespace {found['lumbung'][1]!r}, expected {LUMBUNG}")
    require(re.match(r"^https?://\S+\.xsd$", found["lumbung"][0] or ""),
            f"lumbung schema {found['lumbung'][0]!r} is not a URL of an .xsd")


def seconds(rfc3339):
    """An API timestamp as an OAI datestamp (UTC, whole seconds)."""
    t = dt.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).astimezone(dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def api_case(base, cid):
    r = get(f"{base}/api/v1/cases/{cid}", {"Authorization": f"Bearer {token()}", "Accept": "application/json"})
    require(r.status == 200, f"GET /api/v1/cases/{cid} with the token: HTTP {r.status}")
    return r.json()


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def check_record(rec, h, prefix):
    md = rec.find("oai:metadata", NS)
    if h["deleted"]:
        require(md is None, f"{h['identifier']}: deleted record with metadata")
        return
    require(md is not None, f"{h['identifier']}: no metadata")
    kids = list(md)
    require(len(kids) == 1, f"{h['identifier']}: {len(kids)} elements in <metadata>")
    if prefix == "oai_dc":
        dc = kids[0]
        require(dc.tag == f"{{{OAI_DC}}}dc", f"{h['identifier']}: oai_dc metadata root is {dc.tag}")
        titles = [t.text for t in dc.findall("dc:title", NS) if (t.text or "").strip()]
        require(titles, f"{h['identifier']}: no dc:title")
        page = f"{SITE}/cases/{h['identifier'].rsplit('/', 1)[1]}"
        found = [i.text for i in dc.findall("dc:identifier", NS)]
        require(page in found, f"{h['identifier']}: dc:identifier {found}, expected the case page {page}")
    else:
        case = kids[0]
        require(case.tag == f"{{{LUMBUNG}}}case", f"{h['identifier']}: lumbung metadata root is {case.tag}")
        titles = [t for t in case.iter() if local(t.tag) == "title" and "".join(t.itertext()).strip()]
        require(titles, f"{h['identifier']}: lumbung record has no title")


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as e:  # a failure outside a named check
        print(f"FAIL {e}")
        sys.exit(1)
