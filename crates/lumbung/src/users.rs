//! `lumbung user add` and `lumbung token create`.

use std::io::BufRead;

use anyhow::{Context, Result, anyhow, bail};
use lumbung_core::{Role, validate};
use lumbung_store::NewAccount;
use lumbung_web::auth::{MIN_PASSWORD, hash_password, new_secret};

use crate::cli::{TokenCreateArgs, UserAddArgs, load_config};

pub async fn add(args: UserAddArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let role = Role::parse(&args.role)
        .ok_or_else(|| anyhow!("unknown role '{}': use reader, contributor, curator, delegate or admin", args.role))?;
    let email = args.email.trim().to_lowercase();
    if !validate::valid_email(&email) {
        bail!("'{}' is not an e-mail address", args.email);
    }
    let name = args.name.trim().to_owned();
    if name.is_empty() {
        bail!("a name is required");
    }
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
    if password.chars().count() < MIN_PASSWORD {
        bail!("a password needs at least {MIN_PASSWORD} characters");
    }
    let store = config.open_store().await?;
    if let Some(org) = &args.org {
        if store.get_organisation(org).await?.is_none() {
            bail!("no organisation with id '{org}'");
        }
    }
    let hash = hash_password(&password).map_err(|e| anyhow!("{e}"))?;
    let account = store
        .create_account(NewAccount { email, name, role, organisation: args.org, password_hash: Some(hash) }, None)
        .await?;
    println!("added {} ({}) as {}, id {}", account.email, account.name, account.role, account.id);
    Ok(())
}

pub async fn create_token(args: TokenCreateArgs) -> Result<()> {
    let config = load_config(&args.data, None)?;
    let store = config.open_store().await?;
    let (account, _) = store
        .account_by_email(args.email.trim())
        .await?
        .ok_or_else(|| anyhow!("no account with e-mail {}", args.email))?;
    if account.disabled {
        bail!("the account {} is disabled", account.email);
    }
    let token = new_secret("lmb_");
    store.create_token(&account.id, &token, &args.label).await?;
    eprintln!(
        "API token for {} ({}); send it as 'Authorization: Bearer <token>'. It is shown only once:",
        account.email, account.role
    );
    println!("{token}");
    Ok(())
}
