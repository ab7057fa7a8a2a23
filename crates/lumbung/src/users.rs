//! `lumbung user add` and `lumbung token create`.

use std::io::BufRead;

use anyhow::{Context, Result, anyhow, bail};
use lumbung_app::{AppError, NewAccountRequest};
use lumbung_core::Role;

use crate::cli::{TokenCreateArgs, UserAddArgs, load_config};

pub async fn add(args: UserAddArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let role = Role::parse(&args.role)
        .ok_or_else(|| anyhow!("unknown role '{}': use reader, contributor, curator, delegate or admin", args.role))?;
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
        let again = rpassword::prompt_password("Again: ").context("cannot read the password")?;
        if first != again {
            bail!("the passwords differ");
        }
        first
    };
    let store = config.open_store().await?;
    let app = config.app(&store);
    // The same use case, with the same checks, as the API's and the admin page's.
    let req = NewAccountRequest {
        email: args.email,
        name: args.name,
        role,
        organisation: args.org,
        delegation: args.delegation,
        password,
    };
    let account = app.create_account(None, req).await;
    store.close().await;
    let account = account.map_err(explain)?;
    println!("added {} ({}) as {}, id {}", account.email, account.name, account.role, account.id);
    Ok(())
}

pub async fn create_token(args: TokenCreateArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let store = config.open_store().await?;
    let made = config.app(&store).create_token_for(&args.email, &args.label).await;
    store.close().await;
    let (account, token) = made.map_err(explain)?;
    eprintln!(
        "API token for {} ({}); send it as 'Authorization: Bearer <token>'. It is shown only once:",
        account.email, account.role
    );
    println!("{token}");
    Ok(())
}

/// An application error as the command line says it: each field error on a line.
pub fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errors) => anyhow!(
            "{}",
            errors.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("\n")
        ),
        other => anyhow!("{other}"),
    }
}
