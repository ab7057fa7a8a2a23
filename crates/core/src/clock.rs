//! Time helpers: every timestamp Lumbung writes is UTC, to the millisecond.
//!
//! The clock can be moved forward for a whole process ([`set_offset`]), so
//! that a test can run schedules (check-ins falling due, leases running out)
//! a year from now without waiting. Nothing in production sets it.

use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

/// Milliseconds added to the system clock (0 unless a test moved it).
static OFFSET_MS: AtomicI64 = AtomicI64::new(0);

/// Moves this process's clock to the system time plus `offset` (tests only).
pub fn set_offset(offset: time::Duration) {
    OFFSET_MS.store(i64::try_from(offset.whole_milliseconds()).unwrap_or(0), Ordering::SeqCst);
}

fn system_now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    let offset = OFFSET_MS.load(Ordering::SeqCst);
    if offset == 0 { t } else { t.checked_add(time::Duration::milliseconds(offset)).unwrap_or(t) }
}

/// The current time in UTC, truncated to milliseconds so that it survives a
/// round trip through RFC 3339 text unchanged.
pub fn now() -> OffsetDateTime {
    let t = system_now();
    let ms = t.millisecond();
    t.replace_millisecond(ms).unwrap_or(t)
}

/// Today's date in UTC.
pub fn today() -> time::Date {
    system_now().date()
}
