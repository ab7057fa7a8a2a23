//! Time helpers: every timestamp Lumbung writes is UTC, to the millisecond.

use time::OffsetDateTime;

/// The current time in UTC, truncated to milliseconds so that it survives a
/// round trip through RFC 3339 text unchanged.
pub fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    let ms = t.millisecond();
    t.replace_millisecond(ms).unwrap_or(t)
}

/// Today's date in UTC.
pub fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}
