//! Replication links in harvested records: the `<descendsFrom>` elements of
//! a native record, read as untrusted input (each checked, sizes bounded, at
//! most [`MAX_LINKS_PER_CASE`] kept, bad ones dropped), and kept with the
//! harvested copy so that the source case's page here shows "adopted by".

use lumbung_core::RevisionAction;
use lumbung_core::diffusion::{self, LinkDetails, LinkKind, MAX_LINKS_PER_CASE, MAX_TARGET_TITLE};
use lumbung_store::{CaseLink, LinkSource, Store, StoreError, Tx};

use crate::dom::El;

/// A link as a harvested record carries it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarvestedLink {
    pub kind: LinkKind,
    pub identifier: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub changes: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub year: Option<i32>,
}

/// The longest URL kept, in bytes.
const MAX_URL: usize = 2_000;

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The links of a native `<case>` element whose record is `own_identifier`.
pub fn parse_links(case: &El, own_identifier: &str) -> Vec<HarvestedLink> {
    let this_year = lumbung_core::clock::today().year();
    let mut out: Vec<HarvestedLink> = Vec::new();
    for el in case.all("descendsFrom") {
        if out.len() >= MAX_LINKS_PER_CASE {
            break;
        }
        let Some(kind) = el.attr("kind").and_then(LinkKind::parse) else { continue };
        let Some(identifier) = el.attr("identifier").filter(|i| diffusion::parse_global_id(i).is_some()) else {
            continue;
        };
        if identifier == own_identifier || out.iter().any(|l| l.identifier == identifier) {
            continue;
        }
        let url = clean(el.attr("url")).filter(|u| {
            u.len() <= MAX_URL
                && (u.starts_with("https://") || u.starts_with("http://"))
                && !u.chars().any(|c| c.is_control() || c.is_whitespace())
        });
        let title = clean(el.attr("title"))
            .map(|t| t.chars().filter(|c| !c.is_control()).take(MAX_TARGET_TITLE).collect::<String>());
        let year = match el.attr("year").map(str::trim) {
            None | Some("") => None,
            Some(y) => match y.parse::<i32>() {
                Ok(y) => Some(y),
                Err(_) => continue,
            },
        };
        let details = LinkDetails {
            changes: clean(Some(el.text.as_str())),
            country: clean(el.attr("country")),
            region: clean(el.attr("region")),
            year,
        };
        let mut errors = lumbung_core::ValidationErrors::default();
        diffusion::validate_details(&details, this_year, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(identifier = own_identifier, %errors, "harvested link dropped");
            continue;
        }
        out.push(HarvestedLink {
            kind,
            identifier: identifier.to_owned(),
            url,
            title,
            changes: details.changes,
            country: details.country,
            region: details.region,
            year: details.year,
        });
    }
    out
}

fn same(stored: &[CaseLink], links: &[HarvestedLink]) -> bool {
    stored.len() == links.len()
        && stored.iter().zip(links).all(|(s, l)| {
            s.kind == l.kind
                && s.target_identifier == l.identifier
                && s.target_url == l.url
                && s.target_title == l.title
                && s.changes == l.changes
                && s.country == l.country
                && s.region == l.region
                && s.year == l.year
        })
}

/// Makes the links of harvested copy `copy_id` those of its newest record;
/// when they changed, the copy gets a new version (so nodes harvesting this
/// one see the change) in the same transaction. True when something changed.
pub async fn sync_links(
    store: &Store,
    copy_id: &str,
    links: &[HarvestedLink],
    own_node: &str,
) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let changed = sync_links_in(&mut tx, copy_id, links, own_node).await?;
    tx.commit().await?;
    Ok(changed)
}

/// [`sync_links`] inside the caller's transaction (a harvester that applies
/// a page in one transaction calls this for each copy it wrote or kept).
pub async fn sync_links_in(
    tx: &mut Tx,
    copy_id: &str,
    links: &[HarvestedLink],
    own_node: &str,
) -> Result<bool, StoreError> {
    let stored = tx.links_of(copy_id).await?;
    if same(&stored, links) {
        return Ok(false);
    }
    let now = lumbung_core::clock::now();
    let mut rows = Vec::with_capacity(links.len());
    for l in links {
        // The source's id here: a local case, or a copy of it.
        let local = diffusion::parse_global_id(&l.identifier).filter(|(node, _)| *node == own_node).map(|(_, id)| id);
        let target_case_id = tx.case_id_for(&l.identifier, local).await?;
        rows.push(CaseLink {
            id: ulid::Ulid::new().to_string(),
            case_id: copy_id.to_owned(),
            kind: l.kind,
            target_identifier: l.identifier.clone(),
            target_case_id,
            target_url: l.url.clone(),
            target_title: l.title.clone(),
            changes: l.changes.clone(),
            country: l.country.clone(),
            region: l.region.clone(),
            year: l.year,
            source: LinkSource::Harvested,
            created_by: None,
            created_at: now,
        });
    }
    let copy = tx
        .update_case::<StoreError, _>(
            copy_id,
            None,
            RevisionAction::Harvest,
            None,
            Some("replication links changed at the origin"),
            |_| Ok(()),
        )
        .await?;
    tx.replace_harvested_links(copy_id, &rows, copy.version).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_links_are_dropped_and_the_rest_bounded() {
        let mut xml = String::from("<case xmlns=\"urn:lumbung:schema:case:1\">");
        let good = "oai:my.kl:case/01HZX3K9V7Q2M5N8P4R6S1T0AB";
        xml.push_str(&format!("<descendsFrom kind=\"adapts\" identifier=\"{good}\" country=\"MY\" year=\"2020\" url=\"javascript:alert(1)\" title=\"T\">Smaller</descendsFrom>"));
        xml.push_str(&format!("<descendsFrom kind=\"adapts\" identifier=\"{good}\">twice</descendsFrom>"));
        xml.push_str("<descendsFrom kind=\"copies\" identifier=\"oai:a:case/01HZX3K9V7Q2M5N8P4R6S1T0AC\"/>");
        xml.push_str("<descendsFrom kind=\"adapts\" identifier=\"oai:a:case/nope\"/>");
        xml.push_str(
            "<descendsFrom kind=\"adapts\" identifier=\"oai:a:case/01HZX3K9V7Q2M5N8P4R6S1T0AD\" country=\"XX\"/>",
        );
        xml.push_str(
            "<descendsFrom kind=\"adapts\" identifier=\"oai:a:case/01HZX3K9V7Q2M5N8P4R6S1T0AE\" year=\"soon\"/>",
        );
        xml.push_str("<descendsFrom kind=\"adapts\" identifier=\"oai:self:case/01HZX3K9V7Q2M5N8P4R6S1T0AF\"/>");
        for i in 0..80 {
            xml.push_str(&format!(
                "<descendsFrom kind=\"inspired_by\" identifier=\"oai:b:case/01HZX3K9V7Q2M5N8P4R6S1{i:04}\"/>"
            ));
        }
        xml.push_str("</case>");
        let el = crate::dom::parse(xml.as_bytes()).unwrap();
        let links = parse_links(&el, "oai:self:case/01HZX3K9V7Q2M5N8P4R6S1T0AF");
        assert_eq!(links.len(), MAX_LINKS_PER_CASE);
        let first = links.first().unwrap();
        assert_eq!(first.identifier, good);
        assert_eq!(first.url, None);
        assert_eq!(first.changes.as_deref(), Some("Smaller"));
        assert_eq!(first.year, Some(2020));
        assert!(links.iter().skip(1).all(|l| l.identifier.starts_with("oai:b:")));
    }
}
