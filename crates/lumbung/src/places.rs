//! `lumbung places match`: official place codes for Indonesian cases stored
//! before cases had them, matched from their free-text region and city.

use anyhow::Result;

use crate::cli::{PlacesMatchArgs, load_config};

pub async fn run_match(args: PlacesMatchArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let store = config.open_store().await?;
    let report = config.app(&store).match_places(args.dry_run).await;
    store.close().await;
    let report = report?;
    let verb = if args.dry_run { "would get" } else { "got" };
    println!(
        "{} Indonesian cases had no official place code; {} {verb} one, {} did not match",
        report.without_code,
        report.matched,
        report.unmatched.len()
    );
    for (id, region, city) in report.unmatched {
        let said = [region, city].into_iter().flatten().collect::<Vec<_>>().join(", ");
        println!("  {id}  {}", if said.is_empty() { "(no region or city)".to_owned() } else { said });
    }
    Ok(())
}
