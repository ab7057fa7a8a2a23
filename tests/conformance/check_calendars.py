"""Checks Lumbung's iCalendar files with the icalendar package.

Usage: check_calendars.py FIRST.ics EDITED.ics CANCELLED.ics FEED.ics

FIRST is one event at 09:00 Asia/Makassar; EDITED the same event after an
edit; CANCELLED after it was cancelled; FEED a subscribable calendar that
holds it. Exits non-zero with a message on the first failure.
"""
import datetime
import sys

import icalendar


def parse(path):
    with open(path, "rb") as f:
        raw = f.read()
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, f"{path}: a line of {len(line)} octets"
    assert raw.endswith(b"\r\n"), f"{path}: lines end with CRLF"
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
    for e in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "LAST-MODIFIED", "URL", "STATUS"):
            assert prop in e, f"{path}: VEVENT without {prop}"
        tzid = e["DTSTART"].params.get("TZID")
        assert tzid in zones, f"{path}: DTSTART;TZID={tzid} has no VTIMEZONE ({zones})"
    return cal, events


def main(first, edited, cancelled, feed):
    _, [a] = parse(first)
    start = a.decoded("DTSTART")
    assert start.tzinfo is not None, "DTSTART keeps its zone"
    utc = start.astimezone(datetime.timezone.utc)
    assert (utc.hour, utc.minute) == (1, 0), f"09:00 Asia/Makassar is 01:00 UTC, not {utc}"
    assert str(a["DTSTART"].params["TZID"]) == "Asia/Makassar"
    assert "Makassar, \\; \\\\ forum" in a["SUMMARY"].to_ical().decode() or "," in str(a["SUMMARY"])
    _, [b] = parse(edited)
    assert str(b["UID"]) == str(a["UID"]), "the UID is stable"
    assert int(b["SEQUENCE"]) > int(a["SEQUENCE"]), "SEQUENCE grows after an edit"
    assert str(b["STATUS"]) == "CONFIRMED"
    _, [c] = parse(cancelled)
    assert str(c["STATUS"]) == "CANCELLED", "a cancelled event says so"
    assert int(c["SEQUENCE"]) > int(b["SEQUENCE"])
    _, events = parse(feed)
    assert any(str(e["UID"]) == str(a["UID"]) for e in events), "the feed holds the event"
    print(f"calendars: {len(events)} events in the feed; start {start.isoformat()} = {utc.isoformat()}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
