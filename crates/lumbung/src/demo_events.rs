//! Demo events (issue #11): the three learning loops, past and upcoming — a
//! national innovation week (Asia/Jakarta), an Asian Public Governance Forum
//! edition (Asia/Manila) and an OPSI conference (Europe/Paris) — with agendas
//! presenting demo cases, outcomes, and action items done, open and overdue.
//! Dates are relative to today, so the demo always has both.

use anyhow::{Result, anyhow};
use lumbung_app::App;
use lumbung_core::event::{
    ActionItemContent, ActionStatus, EventContent, EventKind, EventLevel, EventStatus, Outcome, Session,
};
use lumbung_core::{Actor, Role};

fn session(start: String, minutes: i64, title: &str, speakers: &[&str], cases: Vec<String>) -> Session {
    Session {
        starts_at: start,
        duration_minutes: minutes,
        title: title.into(),
        speakers: speakers.iter().map(|s| (*s).to_owned()).collect(),
        cases,
    }
}

#[allow(clippy::too_many_arguments)]
fn content(
    title: &str,
    kind: EventKind,
    level: EventLevel,
    series: Option<(&str, i64)>,
    day: &str,
    minutes: i64,
    zone: &str,
    place: (&str, &str, &str),
) -> EventContent {
    EventContent {
        title: title.into(),
        description: None,
        kind,
        level,
        series: series.map(|(s, _)| s.to_owned()),
        edition: series.map(|(_, n)| n),
        starts_at: format!("{day}T09:00"),
        duration_minutes: minutes,
        time_zone: zone.into(),
        venue: Some(place.0.into()),
        city: Some(place.1.into()),
        country: Some(place.2.into()),
        online_url: None,
        organisers: Vec::new(),
        countries: Vec::new(),
        sessions: Vec::new(),
        registration_open: false,
        capacity: None,
        status: EventStatus::Scheduled,
    }
}

/// Adds the demo events; `actors` are the demo accounts. Returns how many.
pub async fn seed(app: &App, actors: &[Actor]) -> Result<usize> {
    let curator = actors.iter().find(|a| a.role == Role::Curator).ok_or_else(|| anyhow!("no demo curator"))?;
    let cases = app.store().published_case_ids(12).await?;
    let case = |i: usize| cases.get(i % cases.len().max(1)).cloned().into_iter().collect::<Vec<_>>();
    let year = lumbung_core::clock::today().year();
    let (last, next) = (year - 1, year + 1);
    let mut made = Vec::new();

    // National loop: the innovation week, last year's and next year's.
    let mut week = content(
        "Public Service Innovation Week",
        EventKind::Conference,
        EventLevel::National,
        Some(("pekan-inovasi", 1)),
        &format!("{last}-11-17"),
        3 * 24 * 60 - 15 * 60,
        "Asia/Jakarta",
        ("Balai Kartini", "Jakarta", "ID"),
    );
    week.description = Some(
        "The **national loop**: KemenPAN-RB, LAN, ministries, local governments and civil society share \
         what worked, in Indonesian and English."
            .into(),
    );
    week.organisers = vec!["kemenpan-rb".into(), "lan".into()];
    week.countries = vec!["ID".into()];
    week.sessions = vec![
        session(format!("{last}-11-17T09:30"), 90, "Opening: the Top Innovations", &["Deputy Minister"], case(0)),
        session(format!("{last}-11-18T10:00"), 60, "Complaint handling that answers", &["LAN"], case(1)),
    ];
    let past_week = app.create_event(Some(curator), week.clone()).await?;
    made.push(past_week.clone());
    let mut week_next = week.clone();
    week_next.edition = Some(2);
    week_next.starts_at = format!("{next}-11-16T09:00");
    week_next.sessions = vec![session(format!("{next}-11-16T09:30"), 90, "Opening", &["Deputy Minister"], case(2))];
    week_next.registration_open = true;
    week_next.capacity = Some(300);
    week_next.online_url = Some("https://meet.example.org/pekan-inovasi".into());
    made.push(app.create_event(Some(curator), week_next).await?);

    // Regional loop: the Asian Public Governance Forum.
    let mut apgf = content(
        "Asian Public Governance Forum",
        EventKind::Forum,
        EventLevel::Regional,
        Some(("apgf", 1)),
        &format!("{last}-06-10"),
        2 * 24 * 60 - 15 * 60,
        "Asia/Manila",
        ("Philippine International Convention Center", "Manila", "PH"),
    );
    apgf.description = Some("Practitioners of eight countries exchange experience and build capacity.".into());
    apgf.organisers = vec!["lan".into()];
    apgf.countries = ["ID", "PH", "MY", "TH", "VN", "KH", "LA", "TL"].iter().map(|c| (*c).to_owned()).collect();
    apgf.sessions = vec![
        session(
            format!("{last}-06-10T09:30"),
            75,
            "Peer review: digital service desks",
            &["Dr. Reyes", "Ibu Sari"],
            case(3),
        ),
        session(format!("{last}-06-11T14:00"), 60, "Replicating village innovations", &["Mr. Somchai"], case(4)),
    ];
    let past_apgf = app.create_event(Some(curator), apgf.clone()).await?;
    made.push(past_apgf.clone());
    let mut apgf_next = apgf.clone();
    apgf_next.edition = Some(2);
    apgf_next.starts_at = format!("{next}-06-09T09:00");
    apgf_next.venue = Some("Shangri-La".into());
    apgf_next.city = Some("Kuala Lumpur".into());
    apgf_next.country = Some("MY".into());
    apgf_next.time_zone = "Asia/Kuala_Lumpur".into();
    apgf_next.sessions =
        vec![session(format!("{next}-06-09T10:00"), 60, "What we did since Manila", &["Delegates"], case(5))];
    apgf_next.registration_open = true;
    apgf_next.capacity = Some(80);
    made.push(app.create_event(Some(curator), apgf_next).await?);

    // International loop: the OPSI conference, online too.
    let mut opsi = content(
        "OPSI Conference on Public Sector Innovation",
        EventKind::Conference,
        EventLevel::International,
        Some(("opsi-conference", 1)),
        &format!("{next}-06-23"),
        8 * 60,
        "Europe/Paris",
        ("OECD Conference Centre", "Paris", "FR"),
    );
    opsi.online_url = Some("https://meet.example.org/opsi".into());
    opsi.countries = vec!["FR".into(), "ID".into(), "PH".into()];
    opsi.sessions =
        vec![session(format!("{next}-06-23T11:00"), 45, "Learning loops across levels", &["OPSI"], case(6))];
    opsi.registration_open = true;
    made.push(app.create_event(Some(curator), opsi).await?);

    // What came out of the past ones.
    for (e, summary, decisions) in [
        (
            &past_week,
            "Twelve innovations were presented; three provinces will replicate the complaint desk.",
            vec!["Replicate the complaint desk in three provinces", "Hold the next week in November"],
        ),
        (
            &past_apgf,
            "Eight countries agreed to exchange peer reviews before the next forum.",
            vec!["Exchange peer reviews", "Meet in Kuala Lumpur"],
        ),
    ] {
        let outcome = Outcome {
            summary: Some(summary.into()),
            minutes: Some("## Minutes\n\n- Opening\n- Sessions\n- Closing and decisions".into()),
            decisions: decisions.into_iter().map(str::to_owned).collect(),
        };
        app.record_outcome(Some(curator), &e.id, e.version, outcome).await?;
    }
    let items = [
        (&past_week, "Publish the replication guide", "lan", format!("{last}-12-15"), ActionStatus::Done, case(1)),
        (
            &past_week,
            "Report the three provinces' progress",
            "kemenpan-rb",
            format!("{year}-01-31"),
            ActionStatus::Open,
            case(1),
        ),
        (
            &past_apgf,
            "Send the peer-review template to every delegation",
            "lan",
            format!("{last}-08-01"),
            ActionStatus::Done,
            Vec::new(),
        ),
        (
            &past_apgf,
            "Translate two cases into Bahasa Indonesia",
            "lan",
            format!("{next}-03-01"),
            ActionStatus::Open,
            case(3),
        ),
        (
            &past_apgf,
            "Drop the joint survey (merged into the peer reviews)",
            "kemenpan-rb",
            format!("{last}-09-01"),
            ActionStatus::Dropped,
            Vec::new(),
        ),
    ];
    for (e, what, owner, due_on, status, cases) in items {
        let content = ActionItemContent { what: what.into(), owner: owner.into(), due_on, status, cases };
        app.create_action_item(Some(curator), &e.id, content).await?;
    }
    // Some registrations for the upcoming ones.
    for a in actors.iter().filter(|a| matches!(a.role, Role::Reader | Role::Delegate)) {
        for e in made.iter().filter(|e| e.content.registration_open) {
            app.register_for_event(a, &e.id).await?;
        }
    }
    Ok(made.len())
}
