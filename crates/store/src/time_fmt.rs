//! Timestamps as the store writes them: RFC 3339 text in UTC.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::StoreError;

pub fn fmt(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

pub fn parse(s: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| StoreError::Integrity(format!("bad timestamp '{s}': {e}")))
}
