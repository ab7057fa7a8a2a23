//! Resources and collections: kept by curators and administrators, public
//! as soon as they are saved. An upload is checked from its content
//! (`lumbung_core::resource::detect`) before anything is written; its bytes
//! go under the data folder, then its row; a row that cannot be written
//! takes a file it brought with it away again.

use std::collections::HashSet;

use lumbung_core::resource::{self, StoredFile, UploadError};
use lumbung_core::workflow::Status;
use lumbung_core::{Actor, Collection, CollectionContent, Resource, ResourceContent, ValidationErrors, permissions};
use lumbung_store::Files;

use crate::{App, AppError};

/// A file sent with a new resource: the name it was sent under and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn require_editor(actor: Option<&Actor>) -> Result<(), AppError> {
    match actor {
        Some(a) if !permissions::can_manage_resources(a) => {
            Err(AppError::Forbidden("resources and collections are kept by curators and administrators".into()))
        }
        _ => Ok(()),
    }
}

/// Validation errors with more added, as one result.
fn merge(first: ValidationErrors, then: Result<(), ValidationErrors>) -> Result<(), AppError> {
    let mut all = first;
    if let Err(more) = then {
        all.errors.extend(more.errors);
    }
    all.into_result().map_err(AppError::Invalid)
}

impl App {
    /// The cases among `ids` that are published now, in the order given
    /// (at most a collection's worth), each read once.
    pub async fn published_cases(&self, ids: &[String]) -> Result<Vec<lumbung_core::Case>, AppError> {
        let mut out = Vec::new();
        for id in ids.iter().take(lumbung_core::collection::MAX_CASES + 1) {
            if let Some(c) = self.store.get_case(id).await?.filter(|c| c.status == Status::Published) {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The ids of the published cases of this node among `ids`.
    async fn published_among(&self, ids: &[String]) -> Result<HashSet<String>, AppError> {
        Ok(self.published_cases(ids).await?.into_iter().map(|c| c.id).collect())
    }

    async fn events_among(&self, ids: &[String]) -> Result<HashSet<String>, AppError> {
        let mut out = HashSet::new();
        for id in ids.iter().take(lumbung_core::validate::MAX_LIST) {
            if self.store.get_event(id).await?.is_some() {
                out.insert(id.clone());
            }
        }
        Ok(out)
    }

    /// The rules of a resource, its cases and events looked up first.
    async fn check_resource(
        &self,
        content: &ResourceContent,
        has_file: bool,
    ) -> Result<Result<(), ValidationErrors>, AppError> {
        let cases = self.published_among(&content.cases).await?;
        let events = self.events_among(&content.events).await?;
        Ok(resource::validate_resource(content, has_file, &|c| cases.contains(c), &|e| events.contains(e)))
    }

    /// Adds a resource: a link (`content.url`) or an uploaded file.
    /// `actor` None is the node itself (the demo).
    pub async fn create_resource(
        &self,
        actor: Option<&Actor>,
        content: ResourceContent,
        upload: Option<Upload>,
    ) -> Result<Resource, AppError> {
        require_editor(actor)?;
        let content = content.normalised();
        let mut errors = ValidationErrors::default();
        let mut kind = None;
        if let Some(u) = &upload {
            match resource::detect(&u.name, &u.bytes) {
                Ok(t) => kind = Some(t),
                Err(e @ (UploadError::Empty | UploadError::BadName(_))) => errors.add("file", "invalid", e.to_string()),
                Err(e) => return Err(AppError::Upload(e)),
            }
        }
        merge(errors, self.check_resource(&content, upload.is_some()).await?)?;
        let now = lumbung_core::clock::now();
        let mut r = Resource {
            id: ulid::Ulid::new().to_string(),
            content,
            file: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let mut created = None;
        if let (Some(u), Some(kind)) = (upload, kind) {
            let files = self.store.files();
            let size = u.bytes.len() as u64;
            let (sha256, new) = write_file(files, u.bytes).await?;
            if new {
                created = Some(sha256.clone());
            }
            r.file = Some(StoredFile { name: u.name, media_type: kind.media_type().to_owned(), size, sha256 });
        }
        if let Err(e) = self.store.create_resource(&r, actor.map(|a| a.account_id.as_str())).await {
            if let Some(sha) = created {
                self.remove_unused_file(&sha).await;
            }
            return Err(e.into());
        }
        Ok(r)
    }

    /// Changes a resource's description (its file stays) if `version` is current.
    pub async fn update_resource(
        &self,
        actor: &Actor,
        id: &str,
        version: i64,
        content: ResourceContent,
    ) -> Result<Resource, AppError> {
        require_editor(Some(actor))?;
        let current = self.store.resource(id).await?.ok_or(AppError::NotFound)?;
        let content = content.normalised();
        self.check_resource(&content, current.file.is_some()).await?.map_err(AppError::Invalid)?;
        Ok(self.store.update_resource(id, version, content, Some(&actor.account_id)).await?)
    }

    /// Removes a resource, and its file when no other resource uses it.
    pub async fn delete_resource(&self, actor: &Actor, id: &str, version: i64) -> Result<(), AppError> {
        require_editor(Some(actor))?;
        if let Some(sha) = self.store.delete_resource(id, version, Some(&actor.account_id)).await? {
            self.remove_unused_file(&sha).await;
        }
        Ok(())
    }

    async fn remove_unused_file(&self, sha256: &str) {
        match self.store.file_in_use(sha256).await {
            Ok(false) => {
                if let Err(e) = self.store.files().remove(sha256) {
                    tracing::warn!(error = %e, sha256, "cannot remove an unused file");
                }
            }
            Ok(true) => {}
            Err(e) => tracing::warn!(error = %e, sha256, "cannot tell whether a file is used; kept"),
        }
    }

    /// Adds a collection under `id` (a slug). `actor` None is the node itself.
    pub async fn create_collection(
        &self,
        actor: Option<&Actor>,
        id: String,
        content: CollectionContent,
    ) -> Result<Collection, AppError> {
        require_editor(actor)?;
        let content = content.normalised();
        let published = self.published_among(&content.cases).await?;
        lumbung_core::collection::validate_collection(Some(&id), &content, &|c| published.contains(c))?;
        let now = lumbung_core::clock::now();
        let c = Collection { id, content, version: 1, created_at: now, updated_at: now };
        self.store.create_collection(&c, actor.map(|a| a.account_id.as_str())).await?;
        Ok(c)
    }

    /// Replaces a collection's title, introduction and cases if `version` is current.
    pub async fn update_collection(
        &self,
        actor: &Actor,
        id: &str,
        version: i64,
        content: CollectionContent,
    ) -> Result<Collection, AppError> {
        require_editor(Some(actor))?;
        self.store.collection(id).await?.ok_or(AppError::NotFound)?;
        let content = content.normalised();
        let published = self.published_among(&content.cases).await?;
        lumbung_core::collection::validate_collection(None, &content, &|c| published.contains(c))?;
        Ok(self.store.update_collection(id, version, content, Some(&actor.account_id)).await?)
    }

    pub async fn delete_collection(&self, actor: &Actor, id: &str, version: i64) -> Result<(), AppError> {
        require_editor(Some(actor))?;
        Ok(self.store.delete_collection(id, version, Some(&actor.account_id)).await?)
    }
}

/// Writes the bytes under the data folder off the async threads.
async fn write_file(files: Files, bytes: Vec<u8>) -> Result<(String, bool), AppError> {
    tokio::task::spawn_blocking(move || files.put(&bytes))
        .await
        .map_err(|e| AppError::Internal(format!("writing a file: {e}")))?
        .map_err(|e| AppError::Internal(format!("cannot store the file: {e}")))
}
