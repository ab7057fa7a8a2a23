//! `lumbung demo`: fill an empty node with demo content written for Lumbung
//! (organisations, bilingual cases in every workflow state, one account per
//! role), optionally generate synthetic cases for load tests, then serve.

use std::collections::HashSet;

use anyhow::{Result, anyhow};
use lumbung_app::{App, NewAccountRequest};
use lumbung_core::{Actor, Case, Role, Status, Transition};
use lumbung_store::{ImportMode, Store};

use crate::cli::{DemoArgs, load_config};
use crate::import::{Record, org_ids_in, progress_bar, scan_jsonl_in};

/// The demo content, written for Lumbung (not real records).
pub const CONTENT: &str = include_str!("../demo/content.jsonl");

/// The demo accounts' shared password.
pub const PASSWORD: &str = "lumbung-demo";

/// (e-mail, name, role, organisation) of the demo accounts.
/// A demo account: e-mail, name, role, organisation, and the country a
/// delegate represents.
type DemoAccount = (&'static str, &'static str, Role, Option<&'static str>, Option<&'static str>);

/// The demo's accounts; the delegate represents the Philippines.
pub const ACCOUNTS: [DemoAccount; 5] = [
    ("admin@lumbung.example", "Ayu Administrator", Role::Admin, None, None),
    ("curator@lumbung.example", "Citra Kurator", Role::Curator, Some("kemenpan-rb"), None),
    ("contributor@lumbung.example", "Budi Kontributor", Role::Contributor, None, None),
    ("delegate@lumbung.example", "Dewi Delegasi", Role::Delegate, None, Some("PH")),
    ("reader@lumbung.example", "Rina Pembaca", Role::Reader, None, None),
];

pub async fn run(args: DemoArgs) -> Result<()> {
    let config = load_config(&args.serve.data, args.serve.addr.as_deref())?;
    let store = config.open_store().await?;
    if store.is_empty().await? {
        let n = seed(&config.app(&store)).await?;
        println!("created a demo node in {} with {n} cases", config.server.data.display());
    } else {
        println!("{} already holds a node; serving it as it is", config.server.data.display());
    }
    if args.generate > 0 {
        generate(&store, args.generate).await?;
        store.optimize().await?;
    }
    println!("demo accounts (password '{PASSWORD}'):");
    for (email, _, role, _, _) in ACCOUNTS {
        println!("  {role:<12} {email}");
    }
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    crate::serve::serve(config, store).await
}

/// Fills an empty store with the demo content. Returns the number of cases.
pub async fn seed(app: &App) -> Result<usize> {
    let store = app.store();
    let mut records = Vec::new();
    let all_orgs: HashSet<String> = org_ids_in(&mut CONTENT.as_bytes())?;
    let scan = scan_jsonl_in(&mut CONTENT.as_bytes(), &all_orgs, &mut |_, r| {
        records.push(r);
        Ok(())
    })?;
    if let Some((line, reason)) = scan.rejected.first() {
        return Err(anyhow!("demo content line {line}: {reason}"));
    }
    let mut orgs: Vec<_> = records
        .iter()
        .filter_map(|r| if let Record::Organisation(o) = r { Some((**o).clone()) } else { None })
        .collect();
    orgs.sort_by_key(|o| o.content.parent.is_some());
    for org in &orgs {
        store.create_organisation(org, None).await?;
    }
    let mut actors = Vec::new();
    let mut accounts = Vec::new();
    for (email, name, role, org, delegation) in ACCOUNTS {
        let organisation = org.filter(|o| all_orgs.contains(*o)).map(str::to_owned);
        let account = app
            .create_account(
                None,
                NewAccountRequest {
                    email: email.into(),
                    name: name.into(),
                    role,
                    organisation,
                    delegation: delegation.map(str::to_owned),
                    password: PASSWORD.into(),
                },
            )
            .await
            .map_err(|e| anyhow!("demo account {email}: {e}"))?;
        actors.push(account.actor());
        accounts.push(account);
    }
    let find = |role: Role| actors.iter().find(|a| a.role == role).cloned();
    let curator = find(Role::Curator).ok_or_else(|| anyhow!("no demo curator"))?;
    let contributor = find(Role::Contributor).ok_or_else(|| anyhow!("no demo contributor"))?;
    let delegate = find(Role::Delegate).ok_or_else(|| anyhow!("no demo delegate"))?;
    let mut count = 0;
    for record in records {
        let Record::Case(case) = record else { continue };
        // The Philippine delegate wrote its country's cases, the contributor the rest.
        let author = if case.content.country == delegate.delegation { &delegate } else { &contributor };
        walk_workflow(app, *case, author, &curator).await?;
        count += 1;
    }
    crate::demo_events::seed(app, &actors).await?;
    crate::demo_diffusion::seed(app, &curator).await?;
    crate::demo_diffusion::seed_checkins(app, &curator).await?;
    crate::demo_dialogue::seed(app, &accounts).await?;
    crate::demo_resources::seed(app).await?;
    crate::demo_resources::seed_members(app, PASSWORD).await?;
    Ok(count)
}

/// Stores a demo case as a draft by `author`, then takes it through the
/// workflow to the status the content names, so its history is real.
async fn walk_workflow(app: &App, mut case: Case, author: &Actor, curator: &Actor) -> Result<()> {
    let target = case.status;
    case.status = Status::Draft;
    case.version = 1;
    case.published_at = None;
    case.created_by = Some(author.account_id.clone());
    app.store().create_case(&case, Some(&author.account_id)).await?;
    let steps: &[(Transition, bool, Option<&str>)] = match target {
        Status::Draft => &[],
        Status::Submitted => &[(Transition::Submit, false, None)],
        Status::Returned => &[
            (Transition::Submit, false, None),
            (
                Transition::Return,
                true,
                Some(
                    "Mohon lengkapi bagian hasil dengan data terbaru dan sumbernya. / Please add recent results with their sources.",
                ),
            ),
        ],
        Status::Published => &[(Transition::Submit, false, None), (Transition::Publish, true, None)],
        Status::Archived => &[
            (Transition::Submit, false, None),
            (Transition::Publish, true, None),
            (Transition::Archive, true, Some("Superseded.")),
        ],
    };
    for (step, by_curator, comment) in steps {
        let actor = if *by_curator { curator } else { author };
        app.transition(actor, &case.id, None, *step, comment.map(str::to_owned))
            .await
            .map_err(|e| anyhow!("demo case {}: {step:?}: {e}", case.id))?;
    }
    Ok(())
}

/// Adds `count` synthetic published cases, in batches of 1,000.
pub async fn generate(store: &Store, count: usize) -> Result<()> {
    let started = std::time::Instant::now();
    let bar = progress_bar(count as u64);
    let mut generator = ulid::Generator::new();
    let mut done = 0;
    let mut seed = 0x4c55_4d42;
    while done < count {
        let n = (count - done).min(1000);
        let batch = crate::generate::cases(seed, n, &mut generator);
        seed += 1;
        store.import_cases(&batch, ImportMode::ById, None).await?;
        done += n;
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    println!("generated {count} cases in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
