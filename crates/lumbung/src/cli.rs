//! Command-line arguments (clap) and dispatch to the subcommands.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{Config, Overrides};

#[derive(Debug, Parser)]
#[command(name = "lumbung", version, about = "A node of Lumbung, the federated library of public-sector innovations")]
pub struct Cli {
    /// More log output.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the node over HTTP.
    Serve(ServeArgs),
    /// Fill an empty node with demo content and accounts, then serve it.
    Demo(DemoArgs),
    /// Import cases from JSON Lines or CSV.
    Import(ImportArgs),
    /// Export cases as JSON Lines or CSV.
    Export(ExportArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Verify the store's integrity and that the search index matches it.
    Check(CheckArgs),
    /// Rebuild the search index from the store.
    Reindex(DataArgs),
    /// Harvest an OAI-PMH repository (a configured peer, or any base URL once).
    Harvest(HarvestArgs),
    /// Write a consistent backup of the whole store (while the node serves).
    Backup(BackupArgs),
    /// Restore a backup into an empty store (either backend).
    Restore(RestoreArgs),
    /// Copy everything from one store into another (SQLite ⇄ PostgreSQL).
    MigrateStore(MigrateStoreArgs),
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Outgoing mail: a test message, the outbox.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Indonesia's official places (Kemendagri codes).
    #[command(subcommand)]
    Places(PlacesCommand),
}

#[derive(Debug, Subcommand)]
pub enum PlacesCommand {
    /// Give Indonesian cases stored without an official place code the one
    /// their region and city match (a revision each); lists what did not match.
    Match(PlacesMatchArgs),
}

#[derive(Debug, Args)]
pub struct PlacesMatchArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Only count; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Queue a test message to an address (the serving node sends it).
    Test(MailTestArgs),
    /// The outbox: messages queued, sent and given up, and the newest.
    Status(MailStatusArgs),
}

#[derive(Debug, Args)]
pub struct MailTestArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The address to send to.
    #[arg(long)]
    pub to: String,
}

#[derive(Debug, Args)]
pub struct MailStatusArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// How many of the newest messages to list.
    #[arg(long, default_value_t = 20)]
    pub limit: i64,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The backup file to write (JSON Lines).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Replace the contents of a store that is not empty.
    #[arg(long)]
    pub force: bool,
    /// A file written by `lumbung backup`.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct MigrateStoreArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The store to copy: a postgres:// or sqlite:// URL, or a data folder.
    #[arg(long)]
    pub from: String,
    /// The store to fill: a postgres:// or sqlite:// URL, or a data folder.
    #[arg(long)]
    pub to: String,
    /// Replace the contents of a target that is not empty.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct DataArgs {
    /// The node's data folder [env: LUMBUNG_DATA] [default: ./lumbung-data]
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// A TOML configuration file [env: LUMBUNG_CONFIG]
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The database: a postgres:// URL, or unset for SQLite in the data
    /// folder [env: LUMBUNG_DATABASE]
    #[arg(long)]
    pub database: Option<String>,
}

#[derive(Debug, Args)]
pub struct HarvestArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// A peer from the configuration.
    #[arg(long, conflicts_with = "url", required_unless_present = "url")]
    pub peer: Option<String>,
    /// Any OAI-PMH base URL, harvested once without configuring it.
    #[arg(long)]
    pub url: Option<String>,
    /// Only this set (e.g. country:ID).
    #[arg(long)]
    pub set: Option<String>,
    /// Everything, not only what changed since the last harvest.
    #[arg(long)]
    pub full: bool,
    /// Give up on a request to the peer after this many seconds.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Rebuild the search index if it differs from the store.
    #[arg(long)]
    pub repair: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on [env: LUMBUNG_ADDR] [default: 127.0.0.1:8080]
    #[arg(long)]
    pub addr: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Also generate this many synthetic published cases (for load tests).
    #[arg(long, default_value_t = 0)]
    pub generate: usize,
    /// Fill the node and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// jsonl (native, lossless) or csv.
    #[arg(long, value_enum)]
    pub format: Format,
    /// The file to import.
    pub file: PathBuf,
    /// CSV column mapping, repeated: FIELD=COLUMN (e.g. --map summary=description).
    /// Defaults fit the Participedia files: title=title, summary=description, source_url=url.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// Language of CSV text columns.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Workflow status given to CSV rows (JSON Lines records carry their own).
    #[arg(long, default_value = "published")]
    pub status: String,
    /// Refuse the whole file if any row is invalid (default: skip and report such rows).
    #[arg(long)]
    pub strict: bool,
    /// Records per transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// jsonl (native, lossless) or csv.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also export unpublished cases and private fields (a full copy for
    /// moving a node; keep it private).
    #[arg(long)]
    pub include_unpublished: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. The password is asked for, or read from standard input.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// reader, contributor, curator, delegate or admin.
    #[arg(long)]
    pub role: String,
    /// Organisation id.
    #[arg(long)]
    pub org: Option<String>,
    /// For a delegate: the country it represents (ISO 3166-1 alpha-2, e.g. ID).
    #[arg(long)]
    pub delegation: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an account; prints it as the last line.
    Create(TokenCreateArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[arg(long)]
    pub email: String,
    /// A label to recognise the token by.
    #[arg(long, default_value = "command line")]
    pub label: String,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a documented example configuration.
    Example,
    /// Print the configuration in effect (file, environment and flags merged).
    Show(DataArgs),
}

/// Loads the configuration for a command's data arguments.
pub fn load_config(data: &DataArgs, addr: Option<&str>) -> Result<Config> {
    Config::load(&Overrides {
        config_file: data.config.clone(),
        data: data.data.clone(),
        addr: addr.map(str::to_owned),
        database: data.database.clone(),
    })
}

pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let config = load_config(&args.data, args.addr.as_deref())?;
            crate::serve::run(config).await
        }
        Command::Demo(args) => crate::demo::run(args).await,
        Command::Import(args) => crate::import::run(args).await,
        Command::Export(args) => crate::export::run(args).await,
        Command::User(UserCommand::Add(args)) => crate::users::add(args).await,
        Command::Token(TokenCommand::Create(args)) => crate::users::create_token(args).await,
        Command::Check(args) => crate::check::run(args).await,
        Command::Reindex(args) => crate::check::reindex(args).await,
        Command::Harvest(args) => crate::harvest::run(args).await,
        Command::Backup(args) => crate::backup::backup(args).await,
        Command::Restore(args) => crate::backup::restore(args).await,
        Command::MigrateStore(args) => crate::backup::migrate_store(args).await,
        Command::Mail(MailCommand::Test(args)) => crate::mail::test(args).await,
        Command::Mail(MailCommand::Status(args)) => crate::mail::status(args).await,
        Command::Places(PlacesCommand::Match(args)) => crate::places::run_match(args).await,
        Command::Config(ConfigCommand::Example) => {
            print!("{}", crate::config::EXAMPLE);
            Ok(())
        }
        Command::Config(ConfigCommand::Show(args)) => {
            let mut config = load_config(&args, None)?;
            config.store.database = config.store.database.map(|url| lumbung_store::redact(&url));
            config.metrics.token = config.metrics.token.map(|_| "***".into());
            print!("{}", toml::to_string_pretty(&config)?);
            Ok(())
        }
    }
}
