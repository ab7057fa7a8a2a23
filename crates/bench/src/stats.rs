//! What one query returned, latency statistics, and small helpers.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

/// What a query returned, reduced to what the report compares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Matching cases.
    pub total: u64,
    /// Hits on the page (at most 20).
    pub hits: usize,
    /// Sum of the completeness facet's counts: every case has exactly one
    /// completeness value, so this equals `total` when facets are right.
    pub completeness_sum: u64,
    /// Distinct (facet, value) pairs with a count.
    pub facet_values: usize,
    /// SQL engines: time of the first-page statement and of the total-and-facets statement.
    pub split: Option<(Duration, Duration)>,
}

impl Outcome {
    /// From facet counts: facet name → value → count.
    pub fn from_counts(total: u64, hits: usize, facets: &BTreeMap<String, BTreeMap<String, u64>>) -> Outcome {
        Outcome {
            total,
            hits,
            completeness_sum: facets.get("completeness").map_or(0, |v| v.values().sum()),
            facet_values: facets.values().map(BTreeMap::len).sum(),
            split: None,
        }
    }
}

/// Per-query latencies and outcomes of one measured pass.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub latencies: Vec<Duration>,
    pub outcomes: Vec<Outcome>,
}

/// Latency summary of one pass.
#[derive(Debug, Clone, Copy)]
pub struct Latency {
    pub p50: Duration,
    pub p99: Duration,
    pub mean: Duration,
    pub max: Duration,
}

impl Latency {
    pub fn of(samples: &[Duration]) -> Latency {
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        let at = |p: f64| -> Duration {
            // Nearest rank: the smallest sample with at least p of the samples at or below it.
            let rank = ((p * sorted.len() as f64).ceil() as usize).max(1);
            sorted.get(rank - 1).copied().unwrap_or_default()
        };
        let sum: Duration = sorted.iter().sum();
        let mean = if sorted.is_empty() { Duration::ZERO } else { sum / sorted.len() as u32 };
        Latency { p50: at(0.50), p99: at(0.99), mean, max: sorted.last().copied().unwrap_or_default() }
    }

    /// Queries per second on one core: one query after another.
    pub fn qps(&self) -> f64 {
        if self.mean.is_zero() { 0.0 } else { 1.0 / self.mean.as_secs_f64() }
    }
}

pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 { format!("{ms:.2}") } else { format!("{ms:.1}") }
}

pub fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

/// Bytes of the files in a folder (and its sub-folders).
pub fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() { dir_size(&entry.path())? } else { meta.len() };
    }
    Ok(total)
}

/// A field of /proc/self/status in kB (VmRSS, VmHWM), 0 where unknown.
pub fn proc_status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field).and_then(|r| r.strip_prefix(':')).map(str::to_owned))
                .and_then(|r| r.split_whitespace().next().and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let l = Latency::of(&samples);
        assert_eq!(l.p50, Duration::from_millis(50));
        assert_eq!(l.p99, Duration::from_millis(99));
        assert_eq!(l.max, Duration::from_millis(100));
        assert_eq!(l.mean, Duration::from_micros(50_500));
        assert_eq!(Latency::of(&[]).p99, Duration::ZERO);
    }
}
