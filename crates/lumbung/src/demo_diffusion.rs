//! Demo replication chains (issue #12) between the demo content's cases: a
//! complaint channel scaled from a city to the nation and taken up in two
//! other countries, SMS reminders for mothers adapted across a border, flood
//! early warning spreading from one province to others, and a one-stop shop
//! adapting the public service malls (still under review, so editors see it).
//! The links are demo content (not real records), and so are the demo
//! check-ins below: cases confirmed this year, one not confirmed for two
//! years, and two discontinued innovations with their lessons.

use anyhow::{Result, anyhow};
use lumbung_app::{App, NewLink};
use lumbung_core::Actor;

/// (adopter, kind, source, country, region, year, what was changed).
type DemoLink =
    (&'static str, &'static str, &'static str, &'static str, Option<&'static str>, i32, Option<&'static str>);

pub const LINKS: [DemoLink; 7] = [
    // SP4N-LAPOR! scales up Bandung's citizen reporting app.
    (
        "01KDVDNBYG9HAMTGG000000002",
        "scales_up",
        "01KDVDNJS89HAMTGG000000009",
        "ID",
        None,
        2015,
        Some("One channel for every agency and region instead of one city's services."),
    ),
    // Bangkok's reporting platform and the Philippines' complaint handling draw on LAPOR!.
    (
        "01KDVDP5B09HAMTGG00000000W",
        "inspired_by",
        "01KDVDNBYG9HAMTGG000000002",
        "TH",
        Some("Bangkok"),
        2022,
        Some("A city platform routing reports to district offices."),
    ),
    ("01KDVDP2D89HAMTGG00000000S", "inspired_by", "01KDVDNBYG9HAMTGG000000002", "PH", None, 2019, None),
    // Cambodia's voice reminders adapt East Lombok's SMS reminders.
    (
        "01KDVDPC5R9HAMTGG000000013",
        "adapts",
        "01KDVDNSM09HAMTGG00000000G",
        "KH",
        None,
        2017,
        Some("Voice messages instead of text, for mothers who do not read."),
    ),
    // Flood early warning: Albay's community model taken up in West Java and the Mekong Delta.
    (
        "01KDVDNGTR9HAMTGG000000007",
        "adapts",
        "01KDVDP4BR9HAMTGG00000000V",
        "ID",
        Some("Jawa Barat"),
        2018,
        Some("Landslides as well as floods; village volunteers read the gauges."),
    ),
    ("01KDVDPA789HAMTGG000000011", "inspired_by", "01KDVDP4BR9HAMTGG00000000V", "VN", Some("Mekong Delta"), 2016, None),
    // Philippine local one-stop shops adapt the public service malls (under review).
    (
        "01KDVDP3CG9HAMTGG00000000T",
        "adapts",
        "01KDVDNCXR9HAMTGG000000003",
        "PH",
        None,
        2021,
        Some("Business permits only, online first."),
    ),
];

/// Records the demo links as the curator. Returns how many.
pub async fn seed(app: &App, curator: &Actor) -> Result<usize> {
    for (case, kind, source, country, region, year, changes) in LINKS {
        let link = NewLink {
            kind: kind.into(),
            target: source.into(),
            changes: changes.map(str::to_owned),
            country: Some(country.into()),
            region: region.map(str::to_owned),
            year: Some(i64::from(year)),
        };
        app.add_link(curator, case, link).await.map_err(|e| anyhow!("demo link {case} → {source}: {e}"))?;
    }
    Ok(LINKS.len())
}

/// Demo check-ins: (case, answer, what changed, discontinued on, reason,
/// lessons, years ago). Cases confirmed this year, one last confirmed two
/// years ago (it shows "not confirmed since"), two discontinued with lessons.
type DemoCheckin = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    i32,
);

pub const CHECKINS: [DemoCheckin; 7] = [
    ("01KDVDNCXR9HAMTGG000000003", "still_running", None, None, None, None, 0),
    ("01KDVDNBYG9HAMTGG000000002", "still_running", None, None, None, None, 0),
    (
        "01KDVDNAZ89HAMTGG000000001",
        "changed",
        Some("The budget portal now also shows spending per sub-district."),
        None,
        None,
        None,
        0,
    ),
    (
        "01KDVDNEW89HAMTGG000000005",
        "scaled_up",
        Some("From 30 villages to every village in the regency."),
        None,
        None,
        None,
        0,
    ),
    ("01KDVDNMQR9HAMTGG00000000B", "still_running", None, None, None, None, 2),
    (
        "01KDVDNKRG9HAMTGG00000000A",
        "discontinued",
        None,
        Some("2022-12-31"),
        Some("political_change"),
        Some(
            "A campaign tied to one regent ends with the regent: write the purchasing rule into a regional regulation early.",
        ),
        0,
    ),
    (
        "01KDVDNSM09HAMTGG00000000G",
        "discontinued",
        None,
        Some("2021-06-30"),
        Some("replaced"),
        Some(
            "Reminders worked; keeping a separate SMS system did not. Fold them into the national maternal health app from the start.",
        ),
        0,
    ),
];

/// Answers the demo check-ins as the curator. Returns how many.
pub async fn seed_checkins(app: &App, curator: &Actor) -> Result<usize> {
    let today = lumbung_core::clock::today();
    for (case, answer, what_changed, discontinued_on, reason, lessons, years_ago) in CHECKINS {
        let on = today.replace_year(today.year() - years_ago).unwrap_or(today);
        let a = lumbung_core::checkin::CheckinAnswer {
            answer: answer.into(),
            what_changed: what_changed.map(str::to_owned),
            discontinued_on: discontinued_on.map(str::to_owned),
            reason: reason.map(str::to_owned),
            lessons: lessons.map(str::to_owned),
        };
        app.check_in(curator, case, a, on).await.map_err(|e| anyhow!("demo check-in {case}: {e}"))?;
    }
    Ok(CHECKINS.len())
}
