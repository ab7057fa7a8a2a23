//! `lumbung serve`: open the store and serve HTTP until Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use lumbung_store::Store;
use lumbung_web::AppState;

use crate::config::Config;

pub async fn run(config: Config) -> Result<()> {
    let store = Store::open(&config.server.data).await.context("cannot open the store")?;
    serve(config, store).await
}

/// Serves an opened store.
pub async fn serve(config: Config, store: Store) -> Result<()> {
    let state = AppState::new(store.clone(), config.web_settings());
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
    store.close().await;
    Ok(())
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
