//! E-mail as the domain sees it: how often an account wants mail, and the
//! retry schedule of a message the mail server did not take.

use serde::{Deserialize, Serialize};

/// How often an account is sent mail about its notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailFrequency {
    /// A message for each notification, as it happens.
    Immediately,
    /// One message a day grouping the day's notifications by thread.
    #[default]
    Daily,
    /// One message a week, grouped the same way.
    Weekly,
    /// No mail; the inbox and the feed still have everything.
    Never,
}

impl MailFrequency {
    pub const ALL: [MailFrequency; 4] =
        [MailFrequency::Immediately, MailFrequency::Daily, MailFrequency::Weekly, MailFrequency::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            MailFrequency::Immediately => "immediately",
            MailFrequency::Daily => "daily",
            MailFrequency::Weekly => "weekly",
            MailFrequency::Never => "never",
        }
    }

    pub fn parse(s: &str) -> Option<MailFrequency> {
        MailFrequency::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Seconds between digests; none for the frequencies that send no digest.
    pub fn digest_every_seconds(self) -> Option<i64> {
        match self {
            MailFrequency::Daily => Some(86_400),
            MailFrequency::Weekly => Some(7 * 86_400),
            MailFrequency::Immediately | MailFrequency::Never => None,
        }
    }
}

/// When to try again after `attempts` failed tries (1 = the first failed):
/// `base` seconds, doubling each time, at most six hours; none once
/// `max_attempts` have failed (the message is given up and kept as failed).
pub fn retry_after_seconds(attempts: u32, base: u32, max_attempts: u32) -> Option<u64> {
    if attempts >= max_attempts {
        return None;
    }
    let doubled = u64::from(base.max(1)).saturating_mul(1u64 << attempts.saturating_sub(1).min(20));
    Some(doubled.min(6 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequencies_round_trip() {
        for f in MailFrequency::ALL {
            assert_eq!(MailFrequency::parse(f.as_str()), Some(f));
        }
        assert_eq!(MailFrequency::parse("hourly"), None);
        assert_eq!(MailFrequency::Weekly.digest_every_seconds(), Some(604_800));
        assert_eq!(MailFrequency::Immediately.digest_every_seconds(), None);
    }

    #[test]
    fn retries_back_off_and_give_up() {
        assert_eq!(retry_after_seconds(1, 30, 5), Some(30));
        assert_eq!(retry_after_seconds(2, 30, 5), Some(60));
        assert_eq!(retry_after_seconds(4, 30, 5), Some(240));
        assert_eq!(retry_after_seconds(5, 30, 5), None);
        assert_eq!(retry_after_seconds(19, 3600, 40), Some(6 * 3600), "capped at six hours");
        assert_eq!(retry_after_seconds(1, 0, 5), Some(1), "a zero base still waits");
    }
}
