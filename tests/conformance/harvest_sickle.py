#!/usr/bin/env python3
"""Harvests a running Lumbung node with Sickle, a third-party OAI-PMH client,
and compares what it got with the identifiers expected.

    python3 tests/conformance/harvest_sickle.py http://127.0.0.1:8080 expected.json

expected.json: {"published": [oai identifiers...], "deleted": [oai identifiers...]}
(full identifiers, oai:<node>:case/<id>). The node must hold more records
than one OAI-PMH page.

Prints one line per check; exits 1 on the first failure.
"""

import json
import sys

from sickle import Sickle

from conformance import base_url_arg, check, require

USAGE = "usage: harvest_sickle.py BASE EXPECTED_IDS_FILE"


class CountingSickle(Sickle):
    """Sickle that remembers each response, to count pages and read tokens."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        self.responses.append((kwargs, response))
        return response


def first_token(sickle):
    """(completeListSize, cursor) of the first response's resumption token."""
    _, response = sickle.responses[0]
    el = response.xml.find(".//" + sickle.oai_namespace + "resumptionToken")
    require(el is not None, "the first page has no resumptionToken")
    return el.get("completeListSize"), el.get("cursor")


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def harvest(base, verb, prefix, method="GET", ignore_deleted=False):
    sickle = CountingSickle(base + "/oai", http_method=method, timeout=60)
    items = list(getattr(sickle, verb)(metadataPrefix=prefix, ignore_deleted=ignore_deleted))
    return sickle, items


def split(items, header=lambda x: x.header):
    live, dead = [], []
    for item in items:
        (dead if header(item).deleted else live).append(header(item).identifier)
    return live, dead


def compare(live, dead, expected):
    require(len(live) == len(set(live)), "an identifier came twice")
    require(len(dead) == len(set(dead)), "a deleted identifier came twice")
    want_live, want_dead = set(expected["published"]), set(expected["deleted"])
    missing, extra = want_live - set(live), set(live) - want_live
    require(not missing, f"{len(missing)} published record(s) not harvested, e.g. {sorted(missing)[:3]}")
    require(not extra, f"{len(extra)} unexpected record(s) harvested, e.g. {sorted(extra)[:3]}")
    require(set(dead) == want_dead, f"deleted records {sorted(dead)[:5]} != expected {sorted(want_dead)[:5]}")


def main():
    base = base_url_arg(sys.argv, USAGE)
    if len(sys.argv) != 3:
        print(USAGE, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[2], encoding="utf-8") as f:
        expected = json.load(f)
    total = len(expected["published"]) + len(expected["deleted"])
    print(f"     expected: {len(expected['published'])} published, {len(expected['deleted'])} deleted")

    with check("expected ids: at least one deleted record and no id both published and deleted"):
        require(expected["deleted"], "the expected file names no deleted record")
        require(not set(expected["published"]) & set(expected["deleted"]), "an id is both published and deleted")

    with check("Sickle Identify: protocol 2.0, deletedRecord persistent"):
        ident = Sickle(base + "/oai", timeout=60).Identify()
        require(ident.protocolVersion == "2.0", f"protocolVersion {ident.protocolVersion}")
        require(ident.deletedRecord == "persistent", f"deletedRecord {ident.deletedRecord}")

    with check("Sickle ListRecords oai_dc (GET, ignore_deleted=False): more than one page; ids as expected"):
        sickle, records = harvest(base, "ListRecords", "oai_dc")
        pages = len(sickle.responses)
        require(pages > 1, f"one page only ({len(records)} records): the harvest must span resumption tokens")
        size, cursor = first_token(sickle)
        require(size == str(total), f"completeListSize {size}, expected {total}")
        require(cursor == "0", f"first cursor {cursor}")
        require(len(records) == total, f"{len(records)} records, expected {total}")
        live, dead = split(records)
        compare(live, dead, expected)
        print(f"     {len(records)} records ({len(dead)} deleted) in {pages} pages")

    with check("oai_dc: every live record has a dc:title and dc:identifier; deleted ones no metadata"):
        for r in records:
            if r.deleted:
                require(r.xml.find(".//" + sickle.oai_namespace + "metadata") is None,
                        f"{r.header.identifier}: deleted with metadata")
                continue
            titles = [t for t in r.metadata.get("title", []) if t and t.strip()]
            require(titles, f"{r.header.identifier}: no title in {sorted(r.metadata)}")
            require(r.metadata.get("identifier"), f"{r.header.identifier}: no dc:identifier")

    with check("Sickle ListRecords lumbung (POST): ids as expected; every live record has a title"):
        sickle, records = harvest(base, "ListRecords", "lumbung", method="POST")
        require(len(sickle.responses) > 1, "one page only")
        live, dead = split(records)
        compare(live, dead, expected)
        for r in records:
            if r.deleted:
                continue
            container = r.xml.find(".//" + sickle.oai_namespace + "metadata")[0]
            require(local(container.tag) == "case", f"{r.header.identifier}: metadata root {container.tag}")
            titles = [el for el in container.iter() if local(el.tag) == "title" and "".join(el.itertext()).strip()]
            require(titles, f"{r.header.identifier}: no title in the lumbung record")
            require(r.metadata.get("title"), f"{r.header.identifier}: Sickle's metadata dict has no title")
        print(f"     {len(records)} records in {len(sickle.responses)} pages")

    with check("Sickle ListIdentifiers oai_dc: ids as expected"):
        sickle, headers = harvest(base, "ListIdentifiers", "oai_dc")
        live, dead = split(headers, header=lambda h: h)
        compare(live, dead, expected)

    with check("Sickle ListRecords with ignore_deleted=True: exactly the published records"):
        _, records = harvest(base, "ListRecords", "oai_dc", ignore_deleted=True)
        live, dead = split(records)
        require(not dead, "a deleted record came through")
        require(set(live) == set(expected["published"]), "published set differs")

    with check("Sickle GetRecord: a published record has metadata, a deleted one is a deleted header"):
        s = Sickle(base + "/oai", timeout=60)
        r = s.GetRecord(identifier=expected["published"][0], metadataPrefix="lumbung")
        require(not r.deleted and r.metadata, f"{expected['published'][0]}: {r}")
        r = s.GetRecord(identifier=expected["deleted"][0], metadataPrefix="oai_dc")
        require(r.deleted, f"{expected['deleted'][0]} is not deleted: {r}")

    print("all Sickle harvest checks passed")


if __name__ == "__main__":
    main()
