//! Cases and their workflow: start a draft, save content (also a
//! translation), take a workflow step.

use lumbung_core::{Actor, Case, CaseContent, RevisionAction, Status, Transition, permissions, validate, workflow};

use crate::{App, AppError};

impl App {
    /// The case with this id when `actor` may see it; NotFound otherwise, so
    /// that a draft's existence does not leak.
    pub async fn visible_case(&self, id: &str, actor: Option<&Actor>) -> Result<Case, AppError> {
        let case = self.store.get_case(id).await?.ok_or(AppError::NotFound)?;
        if !permissions::can_view_case(actor, case.status, case.owners()) {
            return Err(AppError::NotFound);
        }
        Ok(case)
    }

    /// Normalises case content and validates it against this node's organisations.
    pub async fn validate_content(&self, content: CaseContent) -> Result<CaseContent, AppError> {
        let orgs = self.store.organisation_ids().await?;
        // Lengths count as sent: a value over its limit is refused even when
        // trimming its edges would bring it under (the published schema's
        // maxLength says the same).
        let too_long: Vec<_> = match validate::validate_case(&content, &|id| orgs.contains(id)) {
            Err(e) => e.errors.into_iter().filter(|f| f.code == "too_long").collect(),
            Ok(()) => Vec::new(),
        };
        let content = content.normalised();
        let mut errors = match validate::validate_case(&content, &|id| orgs.contains(id)) {
            Err(e) => e,
            Ok(()) => validate::ValidationErrors::default(),
        };
        for f in too_long {
            if !errors.errors.iter().any(|e| e.field == f.field && e.code == f.code) {
                errors.errors.push(f);
            }
        }
        errors.into_result()?;
        Ok(content)
    }

    /// Validates `content` and stores it as a new draft owned by `actor`.
    pub async fn create_draft(&self, actor: &Actor, content: CaseContent) -> Result<Case, AppError> {
        if !permissions::can_create_case(actor) {
            return Err(AppError::Forbidden(
                "readers cannot write cases; ask an administrator for a contributor role".into(),
            ));
        }
        let content = delegation_country(actor, self.validate_content(content).await?)?;
        let mut case = Case::new(
            ulid::Ulid::new().to_string(),
            content,
            Status::Draft,
            Some(actor.account_id.clone()),
            lumbung_core::clock::now(),
        );
        // Delegates act by country; anyone else's organisation keeps the case with them.
        if actor.role != lumbung_core::Role::Delegate {
            case.owner_organisation = actor.organisation.clone();
        }
        self.store.create_case(&case, Some(&actor.account_id)).await?;
        Ok(case)
    }

    /// Replaces a case's content with `content` (validated here), when `actor`
    /// may edit it and `version` is current. A translation is a save too.
    pub async fn save_content(
        &self,
        actor: &Actor,
        id: &str,
        version: i64,
        content: CaseContent,
    ) -> Result<Case, AppError> {
        let content = self.validate_content(content).await?;
        self.store
            .update_case(id, Some(version), RevisionAction::Update, Some(&actor.account_id), None, |case: &mut Case| {
                if !permissions::can_view_case(Some(actor), case.status, case.owners()) {
                    return Err(AppError::NotFound);
                }
                if !permissions::can_edit_case(actor, case.status, case.owners()) {
                    return Err(AppError::Forbidden(format!("you may not edit a case that is {}", case.status)));
                }
                case.content = delegation_country(actor, content)?;
                Ok(())
            })
            .await
    }

    /// Takes a workflow step on a case the actor may see, checked by
    /// [`workflow::authorize`]; `comment` is kept in the case's history.
    pub async fn transition(
        &self,
        actor: &Actor,
        id: &str,
        version: Option<i64>,
        step: Transition,
        comment: Option<String>,
    ) -> Result<Case, AppError> {
        let comment = crate::clean_text("comment", comment, validate::MAX_SUMMARY)?;
        self.store
            .update_case(id, version, step.into(), Some(&actor.account_id), comment.as_deref(), |case: &mut Case| {
                if !permissions::can_view_case(Some(actor), case.status, case.owners()) {
                    return Err(AppError::NotFound);
                }
                let to = workflow::authorize(actor, case.owners(), case.status, step, comment.as_deref())?;
                case.status = to;
                Ok(())
            })
            .await
    }
}

/// A delegate writes its delegation's cases only: a case it writes without a
/// country becomes one of its country, and one of another country is
/// refused. Every other role writes any country's cases.
fn delegation_country(actor: &Actor, mut content: CaseContent) -> Result<CaseContent, AppError> {
    if actor.role != lumbung_core::Role::Delegate {
        return Ok(content);
    }
    let Some(delegation) = actor.delegation.as_deref() else {
        return Err(AppError::Forbidden(
            "this delegate account has no delegation country yet; ask an administrator to set it".into(),
        ));
    };
    if content.country.is_none() {
        content.country = Some(delegation.to_owned());
    }
    if !permissions::may_write_country(actor, content.country.as_deref()) {
        return Err(AppError::field(
            "country",
            "delegation",
            format!("a delegate of {delegation} writes cases of {delegation} only"),
        ));
    }
    Ok(content)
}

/// What [`App::match_places`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacesMatched {
    /// Indonesian cases that had no official place code.
    pub without_code: usize,
    /// Of those, the ones whose region and city matched one (now saved).
    pub matched: usize,
    /// The rest: (case id, region, city) as written.
    pub unmatched: Vec<(String, Option<String>, Option<String>)>,
}

impl App {
    /// Gives every Indonesian case stored without an official place code the
    /// one its free-text region and city match, as a revision of the case
    /// (a case saved since the field exists has one already). With `dry_run`
    /// it only counts.
    pub async fn match_places(&self, dry_run: bool) -> Result<PlacesMatched, AppError> {
        let mut report = PlacesMatched::default();
        for id in self.store.case_ids_of_country("ID").await? {
            let Some(case) = self.store.get_case(&id).await? else { continue };
            if case.content.place.is_some() {
                continue;
            }
            report.without_code += 1;
            let settled = case.content.clone().normalised();
            if settled.place.is_none() {
                report.unmatched.push((id, case.content.region, case.content.city));
                continue;
            }
            report.matched += 1;
            if dry_run {
                continue;
            }
            let comment = "official place code matched from the region and city";
            self.store
                .update_case(&id, None, RevisionAction::Update, None, Some(comment), |c: &mut Case| {
                    // Only the code and the names it fills change.
                    let settled = c.content.clone().normalised();
                    c.content.place = settled.place;
                    c.content.region = c.content.region.take().or(settled.region);
                    c.content.city = c.content.city.take().or(settled.city);
                    Ok::<(), AppError>(())
                })
                .await?;
        }
        Ok(report)
    }
}
