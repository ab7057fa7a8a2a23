//! Replication links between real nodes on loopback: a national case on one
//! node is adapted by a case on another national node; after the harvests
//! the origin shows "adopted by", and an upstream node that harvests both
//! shows the link on both copies. The native records carrying the links are
//! checked against the XSD by the conformance tests; here the link travels.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;
mod nodes;

use common::*;
use nodes::*;
use serde_json::json;

#[test]
fn an_adoption_on_another_node_shows_on_the_origin_and_upstream() {
    let dir = TempDir::new("diffusion-federation");
    let (pa, pb, pu) = (free_port(), free_port(), free_port());
    let indonesia = node(&dir, "id.kemenpan", None, &[("my.mampu", pb, None)], false, pa);
    let malaysia = node(&dir, "my.mampu", None, &[("id.kemenpan", pa, None)], false, pb);
    let upstream = node(&dir, "asean.network", None, &[("id.kemenpan", pa, None), ("my.mampu", pb, None)], false, pu);

    let source = indonesia.published("Mal Pelayanan Publik", "ID", 2017);
    let global = format!("oai:id.kemenpan:case/{source}");
    let adopter = malaysia.published("Urban Transformation Centre", "MY", 2019);
    // Malaysia learns of the Indonesian case, and its curator records the adaptation.
    malaysia.harvest("id.kemenpan", None);
    let link = malaysia.api(
        "POST",
        &format!("/api/v1/cases/{adopter}/links"),
        Some(json!({"kind": "adapts", "target": global, "changes": "Run by the federal government", "country": "MY", "year": 2019})),
    );
    assert_eq!(link["target"], global.as_str());
    assert!(link["target_case_id"].is_string(), "the harvested copy is the target here: {link}");

    // The origin harvests the adopter and shows it as "adopted by".
    let out = indonesia.harvest("my.mampu", None);
    assert!(out.contains("new"), "{out}");
    let links = indonesia.api("GET", &format!("/api/v1/cases/{source}/links"), None);
    let adopters = links["adopted_by"].as_array().unwrap();
    assert_eq!(adopters.len(), 1, "{links}");
    assert_eq!(adopters[0]["title"], "Urban Transformation Centre");
    assert_eq!(adopters[0]["origin_node"], "my.mampu");
    assert_eq!(adopters[0]["link"]["kind"], "adapts");
    assert_eq!(adopters[0]["link"]["changes"], "Run by the federal government");
    assert_eq!(adopters[0]["link"]["source"], "harvested");
    let html = indonesia.page(&format!("/cases/{source}"));
    assert!(html.contains("Adopted by") && html.contains("Urban Transformation Centre"), "{html}");
    assert!(html.contains("on my.mampu"));

    // The upstream node harvests both: both copies show the link.
    upstream.harvest("id.kemenpan", None);
    upstream.harvest("my.mampu", None);
    let (_, list) = http(pu, "GET", "/api/v1/cases?limit=100", None, None);
    let id_of = |title: &str| -> String {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["title"]["en"] == title)
            .unwrap_or_else(|| panic!("{title} not upstream: {list}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (up_source, up_adopter) = (id_of("Mal Pelayanan Publik"), id_of("Urban Transformation Centre"));
    let links = upstream.api("GET", &format!("/api/v1/cases/{up_source}/links"), None);
    assert_eq!(links["adopted_by"].as_array().map(Vec::len), Some(1), "{links}");
    assert_eq!(links["adopted_by"][0]["link"]["case_id"], up_adopter.as_str());
    let links = upstream.api("GET", &format!("/api/v1/cases/{up_adopter}/links"), None);
    assert_eq!(links["links"][0]["target"], global.as_str());
    assert_eq!(links["links"][0]["target_case_id"], up_source.as_str());
    let html = upstream.page(&format!("/cases/{up_adopter}"));
    assert!(html.contains(&format!("href=\"/cases/{up_source}\"")), "the upstream copy links to the source's copy");
    assert!(upstream.page(&format!("/cases/{up_source}/diffusion")).contains("Urban Transformation Centre"));

    // The link is removed at the adopter's node: the next harvests follow.
    let link_id = link["id"].as_str().unwrap();
    let (status, _) =
        http(pb, "DELETE", &format!("/api/v1/cases/{adopter}/links/{link_id}"), Some(&malaysia.token), None);
    assert_eq!(status, 204);
    indonesia.harvest("my.mampu", None);
    upstream.harvest("my.mampu", None);
    for (node, id) in [(&indonesia, &source), (&upstream, &up_source)] {
        let links = node.api("GET", &format!("/api/v1/cases/{id}/links"), None);
        assert_eq!(links["adopted_by"], json!([]), "{}: {links}", node.id);
    }
    for n in [&indonesia, &malaysia, &upstream] {
        assert!(check(std::path::Path::new(&n.data)).problems.is_empty(), "{}", n.id);
    }
}
