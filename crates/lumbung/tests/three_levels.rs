//! Three real nodes on loopback — national, regional, international — and
//! the whole loop: a case is nominated and accepted at each level, its status
//! shows back on the national node, it is changed and then withdrawn at the
//! origin and both copies follow, and a regional case flows down into the
//! national node's search.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;
mod nodes;

use std::time::{Duration, Instant};

use common::*;
use nodes::*;
use serde_json::{Value, json};

impl Node {
    /// Accepts the one incoming nomination waiting here; returns the copy's id.
    fn accept_incoming(&self) -> String {
        let queue = self.api("GET", "/api/v1/nominations?direction=incoming&state=nominated", None);
        assert_eq!(queue.as_array().map(Vec::len), Some(1), "{}: {queue}", self.id);
        let n = &queue[0];
        assert!(n["note"].as_str().is_some_and(|t| !t.is_empty()), "the nominating note travels: {n}");
        self.api(
            "POST",
            &format!("/api/v1/nominations/{}/accept", n["id"].as_str().unwrap()),
            Some(json!({"note": "Welcome"})),
        );
        n["case_id"].as_str().unwrap().to_owned()
    }

    fn case(&self, id: &str) -> Value {
        self.api("GET", &format!("/api/v1/cases/{id}"), None)
    }
}

#[test]
fn cases_travel_up_and_knowledge_flows_back_down() {
    let dir = TempDir::new("three-levels");
    let (pn, pr, pi) = (free_port(), free_port(), free_port());
    // Each level harvests the nominations addressed to it from the level
    // below, and the national node learns back from both levels above.
    let national = node(
        &dir,
        "id.kemenpan",
        Some("asean.network"),
        &[("asean.network", pr, None), ("oecd.opsi", pi, None)],
        true,
        pn,
    );
    let regional = node(
        &dir,
        "asean.network",
        Some("oecd.opsi"),
        &[("id.kemenpan", pn, Some("nominated:asean.network"))],
        false,
        pr,
    );
    let international = node(&dir, "oecd.opsi", None, &[("asean.network", pr, Some("nominated:oecd.opsi"))], false, pi);

    // National → regional.
    let list = national.api("GET", "/api/v1/cases?country=ID&status=published&limit=1", None);
    let case = list["items"][0].clone();
    let id = case["id"].as_str().unwrap().to_owned();
    let global = format!("oai:id.kemenpan:case/{id}");
    national.api(
        "POST",
        &format!("/api/v1/cases/{id}/nominate"),
        Some(json!({"to": "asean.network", "note": "A model for the region"})),
    );
    let out = regional.harvest("id.kemenpan", Some("nominated:asean.network"));
    assert!(out.contains("1 new"), "{out}");
    let regional_copy = regional.accept_incoming();
    let copy = regional.case(&regional_copy);
    assert_eq!(copy["status"], "published");
    assert_eq!(copy["origin"]["identifier"], global.as_str());

    // Regional → international: the global identifier survives the hop.
    regional.api(
        "POST",
        &format!("/api/v1/cases/{regional_copy}/nominate"),
        Some(json!({"to": "oecd.opsi", "note": "Proven in three countries"})),
    );
    let out = international.harvest("asean.network", Some("nominated:oecd.opsi"));
    assert!(out.contains("1 new"), "{out}");
    let international_copy = international.accept_incoming();
    assert_eq!(international.case(&international_copy)["origin"]["identifier"], global.as_str());

    // The national node learns where its case stands, by the same pull.
    national.harvest("asean.network", None);
    national.harvest("oecd.opsi", None);
    let fed = national.api("GET", &format!("/api/v1/cases/{id}/federation"), None);
    let nodes: Vec<&str> =
        fed["published_at"].as_array().unwrap().iter().map(|p| p["node"].as_str().unwrap()).collect();
    assert_eq!(nodes, vec!["asean.network", "oecd.opsi"], "{fed}");
    let nomination = &fed["nominations"][0];
    assert_eq!((nomination["node"].as_str(), nomination["state"].as_str()), (Some("asean.network"), Some("accepted")));

    // A change at the origin reaches both copies.
    let mut edited = national.case(&id);
    edited["title"]["en"] = json!("Renamed at the origin");
    national.api("PUT", &format!("/api/v1/cases/{id}"), Some(edited));
    regional.harvest("id.kemenpan", Some("nominated:asean.network"));
    international.harvest("asean.network", Some("nominated:oecd.opsi"));
    assert_eq!(regional.case(&regional_copy)["title"]["en"], "Renamed at the origin");
    assert_eq!(international.case(&international_copy)["title"]["en"], "Renamed at the origin");

    // A regional case flows down into the national node's search.
    let created = regional.api(
        "POST",
        "/api/v1/cases",
        Some(json!({"original_language": "en", "title": {"en": "Zanzibarian ferry licensing across borders"}, "country": "PH"})),
    );
    let rid = created["id"].as_str().unwrap();
    regional.api("POST", &format!("/api/v1/cases/{rid}/submit"), None);
    regional.api("POST", &format!("/api/v1/cases/{rid}/publish"), None);
    national.harvest("asean.network", None);
    let start = Instant::now();
    loop {
        let (_, found) = http(pn, "GET", "/api/v1/search?q=zanzibarian", None, None);
        if found["total"] == 1 {
            assert_eq!(found["items"][0]["origin"], "asean.network", "{found}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "the regional case never reached national search: {found}");
        std::thread::sleep(Duration::from_millis(100));
    }

    // Withdrawn at the origin: both copies follow.
    national.api("POST", &format!("/api/v1/cases/{id}/archive"), None);
    let out = regional.harvest("id.kemenpan", Some("nominated:asean.network"));
    assert!(out.contains("1 withdrawn"), "{out}");
    let out = international.harvest("asean.network", Some("nominated:oecd.opsi"));
    assert!(out.contains("1 withdrawn"), "{out}");
    assert_eq!(http(pr, "GET", &format!("/api/v1/cases/{regional_copy}"), None, None).0, 404);
    assert_eq!(http(pi, "GET", &format!("/api/v1/cases/{international_copy}"), None, None).0, 404);
    for n in [&national, &regional, &international] {
        assert!(!n.data.is_empty());
    }
}
