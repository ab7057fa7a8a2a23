//! `lumbung serve`: open the store and serve HTTP until Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use std::time::Duration;

use lumbung_search::SearchIndex;
use lumbung_store::Store;
use lumbung_web::AppState;

use crate::config::Config;

pub async fn run(config: Config) -> Result<()> {
    let store = config.open_store().await?;
    serve(config, store).await
}

/// Serves an opened store.
pub async fn serve(config: Config, store: Store) -> Result<()> {
    crate::harvest::check_peers(&config).await?;
    let search = open_search(&store).await?;
    let follower = search.follow(store.clone(), Duration::from_millis(200));
    let harvesters = crate::harvest::schedule(&config, store.clone());
    let notifier = crate::notify::spawn(&config, store.clone());
    let mailer = crate::mail::spawn(&config, store.clone(), crate::harvest::instance_name());
    let checkins = crate::checkins::schedule(&config, store.clone());
    let state = AppState::new(store.clone(), search, config.web_settings());
    let app = lumbung_web::router(state);
    let listener = tokio::net::TcpListener::bind(&config.server.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.addr))?;
    let addr = listener.local_addr()?;
    println!("Lumbung node '{}' serving http://{addr}/ (data: {})", config.node.id, config.server.data.display());
    tracing::info!(%addr, "listening");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await
        .context("server failed")?;
    follower.abort();
    checkins.abort();
    notifier.abort();
    for h in harvesters.into_iter().chain(mailer) {
        h.abort();
    }
    store.close().await;
    Ok(())
}

/// Opens the search index and brings it up to date with the store before
/// the node answers: writes made while no server ran (an import from the
/// command line) are picked up here.
pub async fn open_search(store: &Store) -> Result<SearchIndex> {
    let search =
        SearchIndex::open_for(store).context("cannot open the search index (is another lumbung process using it?)")?;
    let bar = crate::import::progress_bar(store.case_count().await? as u64);
    let behind = search.sync(store, &|read| bar.set_position(read as u64)).await?;
    bar.finish_and_clear();
    if behind > 0 {
        println!(
            "search index brought up to date ({behind} changes); {} published cases indexed",
            search.case_count()?
        );
    }
    Ok(search)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
