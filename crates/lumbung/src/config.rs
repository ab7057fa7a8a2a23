//! The node's configuration: built-in defaults, overridden by a TOML file,
//! then by `LUMBUNG_…` environment variables, then by command-line flags.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// A documented example configuration (`lumbung config example`). A test
/// proves it parses and matches the defaults.
pub const EXAMPLE: &str = r#"# Lumbung node configuration.
# Precedence: command-line flags > LUMBUNG_* environment variables > this file > defaults.

[node]
# Stable identifier of this node; part of every global case identifier
# (oai:<id>:case/<case-id>). Never change it once the node is public.  [LUMBUNG_NODE_ID]
id = "local"
# Display name.  [LUMBUNG_NODE_NAME]
name = "Lumbung"
# national, regional or international.  [LUMBUNG_NODE_LEVEL]
level = "national"
# Public base URL; https here makes session cookies Secure.  [LUMBUNG_BASE_URL]
base_url = "http://127.0.0.1:8080"
# Interface and content languages, first is the default.
languages = ["en", "id"]
# The administrator's address, published by OAI-PMH Identify.  [LUMBUNG_ADMIN_EMAIL]
admin_email = "admin@lumbung.example"
# Upstream nodes curators here may nominate cases to (each gets an OAI-PMH set
# nominated:<id> that the upstream harvests).  [LUMBUNG_UPSTREAMS, comma-separated]
upstreams = []

[server]
# Address to listen on.  [LUMBUNG_ADDR, --addr]
addr = "127.0.0.1:8080"
# Data folder (SQLite database and indexes).  [LUMBUNG_DATA, --data]
data = "./lumbung-data"

[store]
# Where the node's records live. Unset: SQLite in the data folder (nothing to
# install). A PostgreSQL URL lets several `lumbung serve` instances share one
# database; each keeps its search index in its own data folder.
#   [LUMBUNG_DATABASE, --database]
# database = "postgres://lumbung@127.0.0.1:5432/lumbung"
# Where uploaded resource files are kept. Unset: `files` in the data folder.
# Instances sharing one database must share this folder too (a shared volume).
#   [LUMBUNG_FILES]
# files = "/srv/lumbung/files"

[security]
# How long a browser session lasts, in days.
session_days = 14
# Failed sign-ins allowed per e-mail and per client address within the window.
login_max_failures = 5
login_window_minutes = 15

[oai]
# Records per OAI-PMH list page (ListRecords, ListIdentifiers).  [LUMBUNG_OAI_PAGE_SIZE]
page_size = 100

[jobs]
# Background jobs (scheduled harvests) run on one instance at a time: the one
# that claims a job holds a lease it renews while it works; if it dies, another
# instance claims the job once the lease has run out.
# Lease length in seconds.  [LUMBUNG_JOB_LEASE_SECONDS]
lease_seconds = 30
# How often an instance looks for due jobs, in seconds.  [LUMBUNG_JOB_POLL_SECONDS]
poll_seconds = 5

[checkins]
# Living cases: months between the check-ins that ask the owners of a
# published case whether it still runs (a case may set its own, 1 to 60).
interval_months = 12

[metrics]
# /metrics (Prometheus text format) answers to administrators' credentials and
# to this bearer token, for a scraper; to anyone else it does not exist.
#   [LUMBUNG_METRICS_TOKEN]
# token = "a-long-random-secret"

[mail]
# Outgoing mail (notifications, digests). Without a server nothing is sent and
# messages wait in the outbox until one is configured. The server as a URL:
#   smtp://host:25                      plain (a relay on this machine)
#   smtp://host:587?tls=required        STARTTLS
#   smtps://user:password@host:465      TLS from the start
#   [LUMBUNG_SMTP_URL]
# server = "smtp://127.0.0.1:25"
# The sender, as "Name <address>".  [LUMBUNG_MAIL_FROM]
from = "Lumbung <noreply@lumbung.example>"
# After a refused or unreachable server, the first retry in seconds; each
# further one waits twice as long, at most six hours.  [LUMBUNG_MAIL_RETRY_SECONDS]
retry_seconds = 60
# Tries before a message is given up (it stays in the outbox as failed).
max_attempts = 12

[dialogue]
# Posting limits per account, counted in the database (so they hold across
# instances); a post over a limit is refused with 429 and Retry-After, and the
# page keeps what was typed.
posts_per_minute = 6
posts_per_hour = 60
# Links (http:// or https://) one post may hold.
links_per_post = 10
# Stricter limits for accounts younger than a day.
new_account_posts_per_minute = 3
new_account_posts_per_hour = 20
new_account_links_per_post = 2
# Flags from different accounts that hide a post pending a moderator's review.
flags_to_hide = 3

[federation]
# When a copy accepted here changes at its origin, send it back to the
# curators' queue (true) or keep it published with the change (false).
rereview_changed_copies = false

# Peers this node harvests while it serves (repeat the table for each), e.g.
# the regional network's cases, so readers here find them marked as external.
# [[peers]]
# id = "asean.network"
# url = "https://asean.example.org/oai"   # the peer's OAI-PMH base URL
# set = "country:ID"                      # optional
# every_minutes = 60
# scheduled = true                        # false: only by `lumbung harvest --peer`
# events = true                           # with no set: its events (kind:event) too
"#;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub node: NodeConfig,
    pub server: ServerConfig,
    pub store: StoreConfig,
    pub security: SecurityConfig,
    pub jobs: JobsConfig,
    pub metrics: MetricsConfig,
    pub mail: MailConfig,
    pub oai: OaiConfig,
    pub federation: FederationConfig,
    pub peers: Vec<PeerConfig>,
    pub checkins: CheckinsConfig,
    pub dialogue: DialogueConfig,
}

/// Posting limits and the flag threshold of the dialogue (`[dialogue]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DialogueConfig {
    pub posts_per_minute: u32,
    pub posts_per_hour: u32,
    pub links_per_post: u32,
    pub new_account_posts_per_minute: u32,
    pub new_account_posts_per_hour: u32,
    pub new_account_links_per_post: u32,
    pub flags_to_hide: u32,
}

impl Default for DialogueConfig {
    fn default() -> Self {
        let d = lumbung_app::DialogueSettings::default();
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        DialogueConfig {
            posts_per_minute: n(d.posts_per_minute),
            posts_per_hour: n(d.posts_per_hour),
            links_per_post: n(d.links_per_post),
            new_account_posts_per_minute: n(d.new_posts_per_minute),
            new_account_posts_per_hour: n(d.new_posts_per_hour),
            new_account_links_per_post: n(d.new_links_per_post),
            flags_to_hide: u32::try_from(d.flags_to_hide).unwrap_or(u32::MAX),
        }
    }
}

impl DialogueConfig {
    /// The settings the application layer and the pages apply.
    pub fn settings(&self) -> lumbung_app::DialogueSettings {
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        lumbung_app::DialogueSettings {
            posts_per_minute: n(self.posts_per_minute),
            posts_per_hour: n(self.posts_per_hour),
            links_per_post: n(self.links_per_post),
            new_posts_per_minute: n(self.new_account_posts_per_minute),
            new_posts_per_hour: n(self.new_account_posts_per_hour),
            new_links_per_post: n(self.new_account_links_per_post),
            flags_to_hide: i64::from(self.flags_to_hide),
        }
    }
}

/// The check-in schedule of living cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckinsConfig {
    pub interval_months: u32,
}

impl Default for CheckinsConfig {
    fn default() -> Self {
        CheckinsConfig { interval_months: lumbung_core::checkin::DEFAULT_INTERVAL_MONTHS }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    pub rereview_changed_copies: bool,
}

/// A peer this node harvests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerConfig {
    pub id: String,
    pub url: String,
    #[serde(default)]
    pub set: Option<String>,
    #[serde(default = "default_every")]
    pub every_minutes: u32,
    /// Harvest on a schedule while serving (false: only `lumbung harvest --peer`).
    #[serde(default = "default_true")]
    pub scheduled: bool,
    /// A scheduled harvest of the whole repository (no `set`) also brings the
    /// peer's events (the `kind:event` set) after its cases.
    #[serde(default = "default_true")]
    pub events: bool,
}

fn default_true() -> bool {
    true
}

fn default_every() -> u32 {
    60
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OaiConfig {
    pub page_size: u32,
}

impl Default for OaiConfig {
    fn default() -> Self {
        OaiConfig { page_size: 100 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    pub id: String,
    pub name: String,
    pub level: String,
    pub base_url: String,
    pub languages: Vec<String>,
    pub admin_email: String,
    pub upstreams: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub addr: String,
    pub data: PathBuf,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// A `postgres://` or `sqlite://` URL; None is SQLite in the data folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Where uploaded files are kept; None is `files` in the data folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    pub from: String,
    pub retry_seconds: u32,
    pub max_attempts: u32,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            server: None,
            from: "Lumbung <noreply@lumbung.example>".into(),
            retry_seconds: 60,
            max_attempts: 12,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    pub lease_seconds: u32,
    pub poll_seconds: u32,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig { lease_seconds: 30, poll_seconds: 5 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    pub session_days: u32,
    pub login_max_failures: u32,
    pub login_window_minutes: u32,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            id: "local".into(),
            name: "Lumbung".into(),
            level: "national".into(),
            base_url: "http://127.0.0.1:8080".into(),
            languages: vec!["en".into(), "id".into()],
            admin_email: "admin@lumbung.example".into(),
            upstreams: Vec::new(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { addr: "127.0.0.1:8080".into(), data: PathBuf::from("./lumbung-data") }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig { session_days: 14, login_max_failures: 5, login_window_minutes: 15 }
    }
}

/// What the command line says, overriding file and environment.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub data: Option<PathBuf>,
    pub addr: Option<String>,
    pub database: Option<String>,
}

impl Config {
    /// Opens the node's store: the configured database, else SQLite in the data folder.
    pub async fn open_store(&self) -> Result<lumbung_store::Store> {
        let store = lumbung_store::Store::connect(&self.server.data, self.store.database.as_deref())
            .await
            .with_context(|| match &self.store.database {
                Some(url) => format!("cannot open the store at {}", lumbung_store::redact(url)),
                None => format!("cannot open the store in {}", self.server.data.display()),
            })?;
        Ok(match &self.store.files {
            Some(dir) => store.with_files_dir(dir.clone()),
            None => store,
        })
    }

    /// The application layer over an opened store, with this node's settings.
    pub fn app(&self, store: &lumbung_store::Store) -> lumbung_app::App {
        lumbung_app::App::new(
            store.clone(),
            lumbung_app::AppSettings {
                node_id: self.node.id.clone(),
                upstreams: self.node.upstreams.clone(),
                dialogue: self.dialogue.settings(),
                checkin_months: self.checkins.interval_months,
            },
        )
    }

    /// Loads defaults, the file (from `--config` or `LUMBUNG_CONFIG`), the
    /// environment, then the flags; and validates the result.
    pub fn load(flags: &Overrides) -> Result<Config> {
        Config::load_with_env(flags, &|k| std::env::var(k).ok())
    }

    pub fn load_with_env(flags: &Overrides, env: &dyn Fn(&str) -> Option<String>) -> Result<Config> {
        let file = flags.config_file.clone().or_else(|| env("LUMBUNG_CONFIG").map(PathBuf::from));
        let mut config = match file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(&path).with_context(|| format!("cannot read config {}", path.display()))?;
                Config::parse(&text).with_context(|| format!("config {}", path.display()))?
            }
            None => Config::default(),
        };
        if let Some(v) = env("LUMBUNG_NODE_ID") {
            config.node.id = v;
        }
        if let Some(v) = env("LUMBUNG_NODE_NAME") {
            config.node.name = v;
        }
        if let Some(v) = env("LUMBUNG_NODE_LEVEL") {
            config.node.level = v;
        }
        if let Some(v) = env("LUMBUNG_BASE_URL") {
            config.node.base_url = v;
        }
        if let Some(v) = env("LUMBUNG_UPSTREAMS") {
            config.node.upstreams = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        }
        if let Some(v) = env("LUMBUNG_ADMIN_EMAIL") {
            config.node.admin_email = v;
        }
        if let Some(v) = env("LUMBUNG_OAI_PAGE_SIZE") {
            config.oai.page_size =
                v.parse().map_err(|_| anyhow::anyhow!("LUMBUNG_OAI_PAGE_SIZE must be a whole number, not '{v}'"))?;
        }
        for (key, slot) in [
            ("LUMBUNG_JOB_LEASE_SECONDS", &mut config.jobs.lease_seconds),
            ("LUMBUNG_JOB_POLL_SECONDS", &mut config.jobs.poll_seconds),
        ] {
            if let Some(v) = env(key) {
                *slot = v.parse().map_err(|_| anyhow::anyhow!("{key} must be a whole number, not '{v}'"))?;
            }
        }
        if let Some(v) = env("LUMBUNG_ADDR") {
            config.server.addr = v;
        }
        if let Some(v) = env("LUMBUNG_DATA") {
            config.server.data = PathBuf::from(v);
        }
        if let Some(v) = env("LUMBUNG_METRICS_TOKEN").filter(|v| !v.is_empty()) {
            config.metrics.token = Some(v);
        }
        if let Some(v) = env("LUMBUNG_SMTP_URL").filter(|v| !v.is_empty()) {
            config.mail.server = Some(v);
        }
        if let Some(v) = env("LUMBUNG_MAIL_FROM").filter(|v| !v.is_empty()) {
            config.mail.from = v;
        }
        if let Some(v) = env("LUMBUNG_MAIL_RETRY_SECONDS") {
            config.mail.retry_seconds = v
                .parse()
                .map_err(|_| anyhow::anyhow!("LUMBUNG_MAIL_RETRY_SECONDS must be a whole number, not '{v}'"))?;
        }
        if let Some(v) = env("LUMBUNG_DATABASE").filter(|v| !v.is_empty()) {
            config.store.database = Some(v);
        }
        if let Some(v) = env("LUMBUNG_FILES").filter(|v| !v.is_empty()) {
            config.store.files = Some(PathBuf::from(v));
        }
        if let Some(v) = &flags.addr {
            config.server.addr = v.clone();
        }
        if let Some(v) = &flags.database {
            config.store.database = Some(v.clone());
        }
        if let Some(v) = &flags.data {
            config.server.data = v.clone();
        }
        config.validate()?;
        Ok(config)
    }

    /// Parses a TOML configuration, refusing unknown keys.
    pub fn parse(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text)?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        if !matches!(self.node.level.as_str(), "national" | "regional" | "international") {
            bail!("node.level must be national, regional or international, not '{}'", self.node.level);
        }
        let id_ok = !self.node.id.is_empty()
            && self.node.id.len() <= 64
            && self
                .node
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
        if !id_ok {
            bail!("node.id '{}' must be 1–64 of a-z, 0-9, '.', '-', '_'", self.node.id);
        }
        if !(1..=lumbung_core::checkin::MAX_INTERVAL_MONTHS).contains(&self.checkins.interval_months) {
            bail!("checkins.interval_months must be from 1 to {}", lumbung_core::checkin::MAX_INTERVAL_MONTHS);
        }
        if self.jobs.lease_seconds < 2 || self.jobs.poll_seconds == 0 {
            bail!("jobs.lease_seconds must be at least 2 and jobs.poll_seconds at least 1");
        }
        crate::mail::check_config(&self.mail)?;
        if let Some(url) = &self.store.database {
            lumbung_store::Backend::of_url(url).map_err(|e| anyhow::anyhow!("store.database: {e}"))?;
        }
        if self.server.addr.parse::<std::net::SocketAddr>().is_err() {
            bail!("server.addr '{}' is not an address such as 127.0.0.1:8080", self.server.addr);
        }
        if !(self.node.base_url.starts_with("http://") || self.node.base_url.starts_with("https://")) {
            bail!("node.base_url '{}' must start with http:// or https://", self.node.base_url);
        }
        for p in &self.peers {
            if p.id == self.node.id {
                bail!(
                    "peer '{}' has this node's own id: give the peer its own id, or this node another ({})",
                    p.id,
                    lumbung_federation::harvest::NODE_ID_SETTING
                );
            }
            if !(p.url.starts_with("http://") || p.url.starts_with("https://")) {
                bail!("peer '{}': url must start with http:// or https://", p.id);
            }
            if p.every_minutes == 0 {
                bail!("peer '{}': every_minutes must be at least 1", p.id);
            }
        }
        let d = &self.dialogue;
        if [d.posts_per_minute, d.posts_per_hour, d.new_account_posts_per_minute, d.new_account_posts_per_hour]
            .contains(&0)
        {
            bail!("dialogue: a posts_per_… limit of 0 would refuse every post; the least is 1");
        }
        if d.posts_per_minute > d.posts_per_hour || d.new_account_posts_per_minute > d.new_account_posts_per_hour {
            bail!("dialogue: posts per minute may not exceed posts per hour");
        }
        if d.flags_to_hide == 0 {
            bail!("dialogue.flags_to_hide must be at least 1");
        }
        if !(1..=1000).contains(&self.oai.page_size) {
            bail!("oai.page_size must be from 1 to 1000");
        }
        if !lumbung_core::validate::valid_email(&self.node.admin_email) {
            bail!("node.admin_email '{}' is not an e-mail address", self.node.admin_email);
        }
        if self.security.login_max_failures == 0 || self.security.session_days == 0 {
            bail!("security.session_days and security.login_max_failures must be at least 1");
        }
        Ok(())
    }

    /// The web layer's settings.
    pub fn web_settings(&self) -> lumbung_web::WebSettings {
        lumbung_web::WebSettings {
            node_name: self.node.name.clone(),
            node_id: self.node.id.clone(),
            secure_cookies: self.node.base_url.starts_with("https://"),
            session_ttl: Duration::from_secs(u64::from(self.security.session_days) * 24 * 3600),
            login_max_failures: self.security.login_max_failures,
            login_window: Duration::from_secs(u64::from(self.security.login_window_minutes) * 60),
            base_url: self.node.base_url.trim_end_matches('/').to_owned(),
            admin_email: self.node.admin_email.clone(),
            oai_page_size: i64::from(self.oai.page_size),
            upstreams: self.node.upstreams.clone(),
            peers: self
                .peers
                .iter()
                .map(|p| lumbung_web::PeerSetting {
                    id: p.id.clone(),
                    url: p.url.clone(),
                    set: p.set.clone(),
                    every_minutes: p.every_minutes,
                    scheduled: p.scheduled,
                })
                .collect(),
            metrics_token: self.metrics.token.clone(),
            dialogue: self.dialogue.settings(),
            default_language: self.node.languages.first().cloned().unwrap_or_else(|| "en".into()),
            checkin_months: self.checkins.interval_months,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_and_matches_the_defaults() {
        let parsed = Config::parse(EXAMPLE);
        assert!(parsed.is_ok(), "{parsed:?}");
        assert_eq!(parsed.ok(), Some(Config::default()));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(Config::parse("[server]\nadress = \"x\"").is_err());
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let dir = std::env::temp_dir().join(format!("lumbung-config-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("c.toml");
        let written = std::fs::write(
            &file,
            "[server]\naddr = \"127.0.0.1:1111\"\ndata = \"/from/file\"\n[node]\nid = \"id.file\"\n",
        );
        assert!(written.is_ok());
        let env = |k: &str| match k {
            "LUMBUNG_ADDR" => Some("127.0.0.1:2222".to_owned()),
            "LUMBUNG_NODE_ID" => Some("id.env".to_owned()),
            _ => None,
        };
        let flags = Overrides { config_file: Some(file), addr: Some("127.0.0.1:3333".into()), ..Default::default() };
        let c = Config::load_with_env(&flags, &env).ok();
        assert_eq!(c.as_ref().map(|c| c.server.addr.as_str()), Some("127.0.0.1:3333"));
        assert_eq!(c.as_ref().map(|c| c.node.id.as_str()), Some("id.env"));
        assert_eq!(c.as_ref().map(|c| c.server.data.clone()), Some(PathBuf::from("/from/file")));
    }

    #[test]
    fn dialogue_limits_come_from_the_file() {
        let c = Config::parse("[dialogue]\nposts_per_minute = 2\nflags_to_hide = 5\nnew_account_links_per_post = 0\n");
        let s = c.ok().map(|c| c.dialogue.settings());
        assert_eq!(s.as_ref().map(|s| (s.posts_per_minute, s.flags_to_hide, s.new_links_per_post)), Some((2, 5, 0)));
        assert_eq!(s.map(|s| s.posts_per_hour), Some(lumbung_app::DialogueSettings::default().posts_per_hour));
        let env = |_: &str| None;
        let dir = std::env::temp_dir().join(format!("lumbung-config-d-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("c.toml");
        assert!(std::fs::write(&file, "[dialogue]\nflags_to_hide = 0\n").is_ok());
        let flags = Overrides { config_file: Some(file), ..Default::default() };
        assert!(Config::load_with_env(&flags, &env).is_err(), "a threshold of 0 is refused");
    }

    #[test]
    fn bad_values_are_refused() {
        let env = |_: &str| None;
        let flags = Overrides { addr: Some("not an address".into()), ..Default::default() };
        assert!(Config::load_with_env(&flags, &env).is_err());
    }
}
