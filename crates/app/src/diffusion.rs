//! Diffusion: recording and removing a case's replication links, and reading
//! both sides of them (what a case descends from, which cases descend from it).

use lumbung_core::diffusion::{self, LinkDetails, LinkKind};
use lumbung_core::{Actor, Case, RevisionAction, Status, ValidationErrors, permissions};
use lumbung_store::{CaseLink, Descendant, LinkSource};

use crate::{App, AppError};

/// A link as an author asks for it.
#[derive(Debug, Clone, Default)]
pub struct NewLink {
    /// replicates, adapts, scales_up or inspired_by.
    pub kind: String,
    /// The source: a case id on this node, a global identifier
    /// `oai:<node>:case/<id>`, or a case page URL.
    pub target: String,
    pub changes: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub year: Option<i64>,
}

/// Both sides of a case's links, as one reader may see them.
#[derive(Debug, Clone, Default)]
pub struct CaseLinks {
    /// What the case descends from.
    pub links: Vec<CaseLink>,
    /// Cases (here or harvested) that descend from it, with the adopter.
    pub adopted_by: Vec<(CaseLink, Case)>,
}

/// The longest target text accepted (a URL), in characters.
const MAX_TARGET: usize = 2_000;

impl App {
    /// The global identifier of a case as this node knows it: the origin's
    /// for a harvested copy, this node's for a local case.
    pub fn global_identifier(&self, case: &Case) -> String {
        match &case.origin {
            Some(o) => o.identifier.clone(),
            None => format!("oai:{}:case/{}", self.settings.node_id, case.id),
        }
    }

    /// A case's links and adopters, for `actor` (None: anonymous). NotFound
    /// when the case is not visible; adopters the actor may not see are left out.
    pub async fn case_links(&self, actor: Option<&Actor>, id: &str) -> Result<CaseLinks, AppError> {
        let case = self.visible_case(id, actor).await?;
        self.links_for(actor, &case).await
    }

    /// [`App::case_links`] for a case already read and checked.
    pub async fn links_for(&self, actor: Option<&Actor>, case: &Case) -> Result<CaseLinks, AppError> {
        let links = self.store.links_of(&case.id).await?;
        let adopted_by = self
            .store
            .adopters_of(&self.global_identifier(case))
            .await?
            .into_iter()
            .filter(|(_, c)| permissions::can_view_case(actor, c.status, c.owners()))
            .collect();
        Ok(CaseLinks { links, adopted_by })
    }

    /// The cases descended from `root` that `actor` may see, nearest
    /// generations first, each once and only under a parent that is kept
    /// (the root or an earlier descendant), at most `max_depth` generations
    /// and `max_nodes` cases; true when the cap cut the graph. One query
    /// however many cases the graph has.
    pub async fn descendants(
        &self,
        actor: Option<&Actor>,
        root: &Case,
        max_depth: usize,
        max_nodes: usize,
    ) -> Result<(Vec<Descendant>, bool), AppError> {
        let root_id = self.global_identifier(root);
        let prefix = format!("oai:{}:case/", self.settings.node_id);
        // Room for cases seen by several paths or hidden from this reader.
        let limit = i64::try_from(max_nodes.saturating_mul(4).saturating_add(1)).unwrap_or(i64::MAX);
        let rows = self.store.descendants(&root_id, &prefix, max_depth, limit).await?;
        let mut capped = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit;
        let mut kept_ids = std::collections::HashSet::from([root_id]);
        let mut seen_cases = std::collections::HashSet::from([root.id.clone()]);
        let mut out = Vec::new();
        for d in rows {
            let visible = Status::parse(&d.status).is_some_and(|s| {
                permissions::can_view_case(
                    actor,
                    s,
                    permissions::Owners {
                        author: d.created_by.as_deref(),
                        country: d.country.as_deref(),
                        organisation: d.owner_org.as_deref(),
                    },
                )
            });
            if !visible || !kept_ids.contains(&d.link.target_identifier) || seen_cases.contains(&d.link.case_id) {
                continue;
            }
            if out.len() >= max_nodes {
                capped = true;
                break;
            }
            seen_cases.insert(d.link.case_id.clone());
            kept_ids.insert(d.identifier.clone());
            out.push(d);
        }
        Ok((out, capped))
    }

    /// The case whose links `actor` would change: NotFound when they may not
    /// see it, Forbidden when they may not change its links, a conflict for
    /// harvested copies (their links are kept by their origin). Asked before
    /// reading a request body.
    pub async fn case_to_link(&self, actor: &Actor, id: &str) -> Result<Case, AppError> {
        let case = self.visible_case(id, Some(actor)).await?;
        if !permissions::can_manage_links(actor, case.owners()) {
            return Err(AppError::Forbidden("a case's owner, curators and administrators record its links".into()));
        }
        if let Some(o) = &case.origin {
            return Err(AppError::InvalidTransition(format!(
                "this case is a copy harvested from {}; its links are recorded there",
                o.node
            )));
        }
        Ok(case)
    }

    /// Records that case `id` descends from another case. The case gets a
    /// new version (its revision log says which link) and the link a
    /// change-log entry, in one transaction. A source named by a local id or
    /// page URL that is not a published case here is NotFound (after every
    /// field is valid).
    pub async fn add_link(&self, actor: &Actor, id: &str, req: NewLink) -> Result<CaseLink, AppError> {
        let case = self.case_to_link(actor, id).await?;
        let mut errors = ValidationErrors::default();
        let kind = LinkKind::parse(req.kind.trim());
        if kind.is_none() {
            let code = if req.kind.trim().is_empty() { "required" } else { "unknown_value" };
            errors.add("kind", code, "one of replicates, adapts, scales_up, inspired_by");
        }
        // A year out of i32's range is out of the allowed range too.
        let year = req.year.map(|y| i32::try_from(y).unwrap_or(i32::MIN));
        let details = LinkDetails {
            changes: crate::clean_text("changes", req.changes, usize::MAX)?,
            country: crate::clean_text("country", req.country, usize::MAX)?,
            region: crate::clean_text("region", req.region, usize::MAX)?,
            year,
        };
        diffusion::validate_details(&details, lumbung_core::clock::today().year(), &mut errors);
        let target = self.resolve_target(req.target.trim(), &mut errors).await?;
        if let Some(t) = &target {
            if !t.is_unknown() && t.identifier == self.global_identifier(&case) {
                errors.add("target", "self_link", "a case cannot descend from itself");
            }
        }
        let existing = self.store.links_of(id).await?;
        if existing.len() >= diffusion::MAX_LINKS_PER_CASE {
            errors.add("target", "too_many", format!("a case records at most {} links", diffusion::MAX_LINKS_PER_CASE));
        }
        let (Some(kind), Some(target), true) = (kind, target, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        // A well-formed reference to a case that is not here (or not
        // published) is a missing resource, reported once the fields are valid.
        if target.is_unknown() {
            return Err(AppError::NotFound);
        }
        if existing.iter().any(|l| l.target_identifier == target.identifier) {
            return Err(AppError::Duplicate(format!("this case already records a link to {}", target.identifier)));
        }
        let link = CaseLink {
            id: ulid::Ulid::new().to_string(),
            case_id: case.id.clone(),
            kind,
            target_identifier: target.identifier,
            target_case_id: target.case_id,
            target_url: target.url,
            target_title: target.title,
            changes: details.changes,
            country: details.country,
            region: details.region,
            year: details.year,
            source: LinkSource::Local,
            created_by: Some(actor.account_id.clone()),
            created_at: lumbung_core::clock::now(),
        };
        let comment = format!("link: {} {}", link.kind, link.target_identifier);
        let mut tx = self.store.begin().await?;
        let updated = tx
            .update_case(&case.id, None, RevisionAction::Update, Some(&actor.account_id), Some(&comment), |_| {
                Ok::<(), AppError>(())
            })
            .await?;
        tx.insert_link(&link, updated.version).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// Removes one of case `id`'s links.
    pub async fn remove_link(&self, actor: &Actor, id: &str, link_id: &str) -> Result<(), AppError> {
        let case = self.case_to_link(actor, id).await?;
        let link = self.store.link(&case.id, link_id).await?.ok_or(AppError::NotFound)?;
        let comment = format!("unlink: {} {}", link.kind, link.target_identifier);
        let mut tx = self.store.begin().await?;
        let updated = tx
            .update_case(&case.id, None, RevisionAction::Update, Some(&actor.account_id), Some(&comment), |_| {
                Ok::<(), AppError>(())
            })
            .await?;
        if !tx.delete_link(&case.id, link_id, updated.version, Some(&actor.account_id)).await? {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Finds the source case a link names; adds a field error (and returns
    /// None) when it cannot be named or found.
    async fn resolve_target(&self, t: &str, errors: &mut ValidationErrors) -> Result<Option<Target>, AppError> {
        const HOW: &str = "a case id, a global identifier oai:<node>:case/<id>, or a case page URL";
        if t.is_empty() {
            errors.add("target", "required", format!("name the source case: {HOW}"));
            return Ok(None);
        }
        if t.chars().count() > MAX_TARGET || t.chars().any(|c| c.is_control() || c.is_whitespace()) {
            errors.add("target", "invalid", format!("not {HOW}"));
            return Ok(None);
        }
        if diffusion::is_ulid(t) {
            return self.local_target(t, None).await;
        }
        if t.starts_with("oai:") {
            let Some((node, case_id)) = diffusion::parse_global_id(t) else {
                errors.add("target", "invalid", "a global identifier reads oai:<node>:case/<id>");
                return Ok(None);
            };
            if node == self.settings.node_id {
                return self.local_target(case_id, None).await;
            }
            return Ok(Some(match self.store.case_by_origin_identifier(t).await? {
                Some(copy) if copy.status == Status::Published => Target::from_case(t.to_owned(), &copy, None),
                _ => Target { identifier: t.to_owned(), case_id: None, url: None, title: None },
            }));
        }
        if t.starts_with("http://") || t.starts_with("https://") {
            let Some(case_id) = diffusion::case_id_in_url(t) else {
                errors.add("target", "invalid", "a case page URL ends in /cases/<id>");
                return Ok(None);
            };
            if self.store.get_case(case_id).await?.is_some_and(|c| c.origin.is_none()) {
                return self.local_target(case_id, Some(t)).await;
            }
            if let Some(copy) = self.store.case_by_origin_case_id(case_id).await? {
                if copy.status == Status::Published {
                    let identifier = self.global_identifier(&copy);
                    return Ok(Some(Target::from_case(identifier, &copy, Some(t))));
                }
            }
            return Ok(Some(Target::unknown()));
        }
        errors.add("target", "invalid", format!("not {HOW}"));
        Ok(None)
    }

    async fn local_target(&self, id: &str, url: Option<&str>) -> Result<Option<Target>, AppError> {
        match self.store.get_case(id).await? {
            Some(c) if c.status == Status::Published => {
                Ok(Some(Target::from_case(self.global_identifier(&c), &c, url)))
            }
            _ => Ok(Some(Target::unknown())),
        }
    }
}

/// A resolved link source.
struct Target {
    identifier: String,
    case_id: Option<String>,
    url: Option<String>,
    title: Option<String>,
}

impl Target {
    /// A well-formed reference to no published case known here.
    fn unknown() -> Target {
        Target { identifier: String::new(), case_id: None, url: None, title: None }
    }

    fn is_unknown(&self) -> bool {
        self.identifier.is_empty()
    }

    fn from_case(identifier: String, c: &Case, url: Option<&str>) -> Target {
        let title = c
            .content
            .title
            .best(&c.content.original_language, "en")
            .map(|t| t.chars().take(diffusion::MAX_TARGET_TITLE).collect::<String>());
        let url = url.map(str::to_owned).or_else(|| c.origin.as_ref().and_then(|o| o.url.clone()));
        Target { identifier, case_id: Some(c.id.clone()), url, title }
    }
}
