//! Events travel (issue #11) between three real nodes on loopback: two
//! national nodes publish cases, the regional node harvests them and holds a
//! forum whose agenda presents both (one by its harvested copy, one by its
//! global identifier), with an outcome and an action item. The national
//! nodes harvest the regional node's `kind:event` set: each shows the event
//! with its outcome as a read-only copy, and its own case shows "presented
//! at". The records are checked against the XSD (python xmlschema), the
//! online link never leaves the regional node, and a hostile peer's event
//! records are refused or kept as text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;
mod nodes;

use common::*;
use nodes::*;
use serde_json::{Value, json};

fn oai(port: u16, query: &str) -> String {
    let (status, _, body) = http_raw(port, "GET", &format!("/oai?{query}"), &[], None);
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// Validates every `<event>` of an OAI-PMH response against the native
/// schema, and the whole response against OAI-PMH's, with python xmlschema.
fn validate_with_xsd(dir: &TempDir, name: &str, xml: &str) {
    let file = dir.join(&format!("{name}.xml"));
    std::fs::write(&file, xml).unwrap();
    let specs = shared().join("specs/oai-pmh");
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../federation/schema/lumbung-case.xsd");
    let script = r#"
import sys, xmlschema
from xml.etree import ElementTree as ET
specs, xsd, path = sys.argv[1], sys.argv[2], sys.argv[3]
xml_ns = {"http://www.w3.org/XML/1998/namespace": specs + "/xml.xsd"}
native = xmlschema.XMLSchema(xsd, locations=xml_ns)
dc = xmlschema.XMLSchema(specs + "/oai_dc.xsd", locations={**xml_ns, "http://purl.org/dc/elements/1.1/": specs + "/simpledc20021212.xsd"})
root = ET.parse(path).getroot()
n = 0
for el in root.iter("{urn:lumbung:schema:case:1}event"):
    native.validate(el); n += 1
for el in root.iter("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"):
    dc.validate(el); n += 1
print(n)
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, specs.to_str().unwrap(), xsd.to_str().unwrap(), file.to_str().unwrap()])
        .output()
        .expect("python3 with xmlschema (tests/conformance/requirements.txt)");
    assert!(out.status.success(), "{name} does not validate: {}", String::from_utf8_lossy(&out.stderr));
    let n: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert!(n >= 1, "{name}: no event metadata validated");
}

/// Whether `html` holds `text` escaped, as `&lt;` or as askama's `&#60;`.
fn escaped(html: &str, text: &str) -> bool {
    let named = text.replace('<', "&lt;").replace('>', "&gt;");
    let numeric = text.replace('<', "&#60;").replace('>', "&#62;");
    html.contains(&named) || html.contains(&numeric)
}

fn copies(node: &Node) -> Vec<Value> {
    let list = node.api("GET", "/api/v1/events?when=all&limit=100", None);
    list["items"].as_array().unwrap().iter().filter(|e| e["origin"].is_object()).cloned().collect()
}

#[test]
fn a_regional_event_reaches_the_national_nodes_and_its_cases_show_where_they_were_presented() {
    let dir = TempDir::new("events-federation");
    let (pi, pp, pr) = (free_port(), free_port(), free_port());
    let indonesia = node(&dir, "id.kemenpan", None, &[("asean.network", pr, None)], false, pi);
    let philippines = node(&dir, "ph.dap", None, &[("asean.network", pr, None)], false, pp);
    let regional = node(&dir, "asean.network", None, &[("id.kemenpan", pi, None), ("ph.dap", pp, None)], false, pr);

    let mpp = indonesia.published("Mal Pelayanan Publik", "ID", 2019);
    let arta = philippines.published("Anti-Red Tape Authority", "PH", 2019);
    regional.harvest("id.kemenpan", None);
    regional.harvest("ph.dap", None);
    let list = regional.api("GET", "/api/v1/cases?limit=100", None);
    let mpp_copy = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"]["en"] == "Mal Pelayanan Publik")
        .expect("the Indonesian case is on the regional node")["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The regional forum: one session presents the harvested copy (its
    // local id there), the other the Philippine case by its global identifier.
    regional.api(
        "POST",
        "/api/v1/organisations",
        Some(json!({"id": "asean-secretariat", "name": {"en": "ASEAN Secretariat"}, "org_type": "international", "country": "ID"})),
    );
    let event = regional.api(
        "POST",
        "/api/v1/events",
        Some(json!({
            "title": "Asian Public Governance Forum <script>alert(1)</script>",
            "description": "Peer learning on **one-stop services**.",
            "kind": "forum", "level": "regional", "series": "apgf", "edition": 7,
            "starts_at": "2026-11-20T09:00", "duration_minutes": 480, "time_zone": "Asia/Makassar",
            "venue": "Trans Studio", "city": "Makassar", "country": "ID",
            "online_url": "https://meet.example/secret-room-4711",
            "organisers": ["asean-secretariat"], "countries": ["ID", "PH"],
            "registration_open": true, "capacity": 40,
            "sessions": [
                {"starts_at": "2026-11-20T09:30", "duration_minutes": 60, "title": "One-stop service malls",
                 "speakers": ["Dewi"], "cases": [mpp_copy]},
                {"starts_at": "2026-11-20T11:00", "duration_minutes": 60, "title": "Cutting red tape",
                 "cases": [format!("oai:ph.dap:case/{arta}")]}
            ]
        })),
    );
    let eid = event["id"].as_str().unwrap().to_owned();
    regional.api(
        "PUT",
        &format!("/api/v1/events/{eid}/outcome"),
        Some(json!({"summary": "Eight countries compared **service malls**.",
                    "minutes": "Notes <img src=x onerror=alert(2)> kept as text.",
                    "decisions": ["Publish a joint toolkit"], "version": event["version"]})),
    );
    let action = regional.api(
        "POST",
        &format!("/api/v1/events/{eid}/actions"),
        Some(json!({"what": "Draft the regional toolkit", "owner": "asean-secretariat", "due_on": "2027-03-01"})),
    );

    // What the regional node serves: the set, both formats, the XSD, and
    // nothing only registered participants see.
    let sets = oai(pr, "verb=ListSets");
    assert!(sets.contains("<setSpec>kind:event</setSpec>") && sets.contains("<setSpec>kind:case</setSpec>"));
    let dc = oai(pr, "verb=ListRecords&metadataPrefix=oai_dc&set=kind:event");
    assert!(dc.contains("<dc:type>Event</dc:type>"), "{dc}");
    assert!(dc.contains(&format!("oai:id.kemenpan:case/{mpp}")), "presented cases by global identifier: {dc}");
    let native = oai(pr, "verb=ListRecords&metadataPrefix=lumbung&set=kind:event");
    assert!(native.contains(&format!("<identifier>oai:asean.network:event/{eid}</identifier>")), "{native}");
    assert!(native.contains(&format!("<presents identifier=\"oai:id.kemenpan:case/{mpp}\"></presents>")), "{native}");
    assert!(native.contains(&format!("<presents identifier=\"oai:ph.dap:case/{arta}\"></presents>")));
    assert!(native.contains("<actionItem owner=\"ASEAN Secretariat\" due=\"2027-03-01\" status=\"open\">"));
    for xml in [&dc, &native] {
        assert!(!xml.contains("secret-room"), "the online link stays home: {xml}");
    }
    assert!(!oai(pr, "verb=ListRecords&metadataPrefix=lumbung").contains("<event "), "no set: case records only");
    let one = oai(pr, &format!("verb=GetRecord&metadataPrefix=lumbung&identifier=oai:asean.network:event/{eid}"));
    assert!(one.contains("<start timeZone=\"Asia/Makassar\">2026-11-20T09:00</start>"), "{one}");
    assert!(one.contains("<startUtc>2026-11-20T01:00:00Z</startUtc>"));
    validate_with_xsd(&dir, "regional-native", &native);
    validate_with_xsd(&dir, "regional-dc", &dc);

    // The national node harvests the event set: a copy with its outcome.
    let out = indonesia.harvest("asean.network", Some("kind:event"));
    assert!(out.contains("1 new") && out.contains("0 refused"), "{out}");
    let found = copies(&indonesia);
    assert_eq!(found.len(), 1, "{found:?}");
    let copy = &found[0];
    let cid = copy["id"].as_str().unwrap().to_owned();
    assert_eq!(copy["origin"]["node"], "asean.network");
    assert_eq!(copy["origin"]["identifier"], format!("oai:asean.network:event/{eid}"));
    assert_eq!(copy["outcome"]["decisions"], json!(["Publish a joint toolkit"]));
    assert_eq!(copy["origin"]["organisers"], json!(["ASEAN Secretariat"]));
    assert_eq!(copy["origin"]["action_items"][0]["what"], "Draft the regional toolkit");
    assert_eq!(copy["registration_open"], false);
    assert!(copy.get("online_url").is_none_or(Value::is_null), "{copy}");
    let html = indonesia.page(&format!("/events/{cid}"));
    assert!(html.contains("asean.network") && html.contains("Draft the regional toolkit"), "{html}");
    assert!(html.contains("<strong>service malls</strong>"), "the outcome's Markdown is rendered");
    assert!(!html.contains("<script>alert(1)") && escaped(&html, "<script>"), "a title stays text");
    assert!(!html.contains("onerror"), "harvested Markdown is sanitised");
    assert!(!html.contains("/events/{cid}/edit"), "a copy is not edited here");
    // The case presented there shows "presented at" on its origin node.
    let case = indonesia.page(&format!("/cases/{mpp}"));
    assert!(case.contains("Presented at") && case.contains(&format!("/events/{cid}")), "{case}");
    // The other national node: its own case, presented by global identifier.
    philippines.harvest("asean.network", Some("kind:event"));
    let pcopy = copies(&philippines)[0]["id"].as_str().unwrap().to_owned();
    let case = philippines.page(&format!("/cases/{arta}"));
    assert!(case.contains("Presented at") && case.contains(&format!("/events/{pcopy}")), "{case}");

    // A copy is kept by its origin: no outcome, action item or registration here.
    for (method, path, body) in [
        ("PUT", format!("/api/v1/events/{cid}/outcome"), Some(json!({"summary": "x", "version": 1}))),
        (
            "POST",
            format!("/api/v1/events/{cid}/actions"),
            Some(json!({"what": "x", "owner": "nobody", "due_on": "2027-01-01"})),
        ),
        ("POST", format!("/api/v1/events/{cid}/registration"), None),
    ] {
        let (status, body) = http(pi, method, &path, Some(&indonesia.token), body);
        assert!((400..500).contains(&status), "{method} {path}: {status} {body}");
    }

    // A change at the origin (the action item is done) travels with the
    // next harvest; a harvest with nothing new changes nothing.
    regional.api(
        "PUT",
        &format!("/api/v1/actions/{}", action["id"].as_str().unwrap()),
        Some(json!({"what": "Draft the regional toolkit", "owner": "asean-secretariat", "due_on": "2027-03-01",
                    "status": "done", "version": action["version"]})),
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = indonesia.harvest("asean.network", Some("kind:event"));
    assert!(out.contains("1 updated"), "{out}");
    assert_eq!(copies(&indonesia)[0]["origin"]["action_items"][0]["status"], "done");
    let out = indonesia.harvest("asean.network", Some("kind:event"));
    assert!(out.contains("0 new, 0 updated"), "{out}");
    // The case harvests keep their own state: the events' did not move it.
    let out = indonesia.harvest("asean.network", None);
    assert!(out.contains("0 refused"), "{out}");

    // The national node serves the copy onward with its origin identifier.
    let onward = oai(pi, "verb=ListRecords&metadataPrefix=lumbung&set=kind:event");
    assert!(onward.contains(&format!("<identifier>oai:asean.network:event/{eid}</identifier>")), "{onward}");
    assert!(onward.contains("<provenance"), "{onward}");
    validate_with_xsd(&dir, "national-onward", &onward);
    // The regional node sees its own event served back and copies nothing.
    let out = regional.harvest("id.kemenpan", Some("kind:event"));
    assert!(out.contains("0 new") && out.contains("own events"), "{out}");

    for n in [&indonesia, &philippines, &regional] {
        assert!(check(std::path::Path::new(&n.data)).problems.is_empty(), "{}", n.id);
    }
}

/// A peer that answers every request with the same page.
fn hostile_peer(body: String) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 8192];
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(body.as_bytes());
        }
    });
    port
}

#[test]
fn hostile_event_records_are_refused_or_kept_as_text() {
    let dir = TempDir::new("events-hostile");
    let record = |id: &str, inner: &str| {
        format!(
            "<record><header><identifier>oai:evil.node:event/{id}</identifier><datestamp>2026-11-26T09:00:00Z</datestamp></header>\
             <metadata><event xmlns=\"urn:lumbung:schema:case:1\" id=\"{id}\" version=\"1\">{inner}</event></metadata></record>"
        )
    };
    let good = "<title>Forum &lt;img src=x onerror=alert(1)&gt;</title><description>[x](javascript:alert(3)) &lt;script&gt;alert(4)&lt;/script&gt;</description><kind>forum</kind><level>regional</level>\
                <start timeZone=\"Asia/Jakarta\">2026-12-20T09:00</start><durationMinutes>60</durationMinutes><status>scheduled</status>\
                <organiser>Evil &lt;b&gt;Org&lt;/b&gt;</organiser><session start=\"2026-12-20T09:00\" durationMinutes=\"30\"><title>S</title>\
                <presents identifier=\"oai:evil.node:case/01KDVDNAZ89HAMTGG000000001\"/></session>\
                <created>2026-01-01T00:00:00Z</created><updated>2026-01-01T00:00:00Z</updated>";
    let long = "x".repeat(5_000);
    let body = format!(
        "<?xml version=\"1.0\"?><OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2026-11-26T10:00:00Z</responseDate><ListRecords>{}{}{}{}{}{}</ListRecords></OAI-PMH>",
        record("01KDVDNAZ89HAMTGG000000001", good),
        record("01KDVDNAZ89HAMTGG000000002", &good.replace("Asia/Jakarta", "Mars/Olympus")),
        record("01KDVDNAZ89HAMTGG000000003", &good.replace("<kind>forum</kind>", "<kind>rave</kind>")),
        record("01KDVDNAZ89HAMTGG000000004", &good.replace("<title>Forum", &format!("<title>{long}"))),
        record(
            "01KDVDNAZ89HAMTGG000000005",
            &good.replace(
                "<created>",
                "<actionItem owner=\"X\" due=\"someday\" status=\"open\">Do</actionItem><created>"
            )
        ),
        record("01KDVDNAZ89HAMTGG000000006", &good.replace("oai:evil.node:case/", "javascript:alert(5)//"))
    );
    let peer = hostile_peer(body);
    let port = free_port();
    let national = node(&dir, "id.kemenpan", None, &[], false, port);
    let out = lumbung(
        &["harvest", "--url", &format!("http://127.0.0.1:{peer}/oai"), "--set", "kind:event"],
        &national.config,
        None,
    );
    assert!(out.contains("6 records") && out.contains("1 new") && out.contains("5 refused"), "{out}");
    let found = copies(&national);
    assert_eq!(found.len(), 1, "{found:?}");
    let id = found[0]["id"].as_str().unwrap();
    let html = national.page(&format!("/events/{id}"));
    for bad in ["<img src=x", "javascript:", "<script>alert", "<b>Org</b>"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(escaped(&html, "Evil <b>Org</b>"), "a name stays text");
    assert!(check(std::path::Path::new(&national.data)).problems.is_empty());
}
