//! `kindred-server [--listen ADDR] [--data DIR] [--database-url URL]`: the
//! relay on its embedded default (SQLite in DIR), or on PostgreSQL. Prints `listening on http://ADDR`
//! once it accepts connections; stops cleanly on SIGTERM or ctrl-c.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use kindred_server::storage::postgres::PostgresStorage;
use kindred_server::storage::sqlite::SqliteStorage;
use kindred_server::storage::{Storage, StoreError, unix_now};
use kindred_server::{AppState, Config, router};

#[derive(Debug, Parser)]
#[command(
    name = "kindred-server",
    version,
    about = "Kindred's relay: stores sealed envelopes it cannot read."
)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "KINDRED_SERVER_LISTEN", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// Folder for the database.
    #[arg(
        long,
        global = true,
        env = "KINDRED_SERVER_DATA",
        default_value = "./kindred-server-data"
    )]
    data: PathBuf,
    /// PostgreSQL instead of the embedded SQLite (several instances can
    /// share one database), e.g. postgres://user:pass@host/db.
    #[arg(long, global = true, env = "KINDRED_DATABASE_URL")]
    database_url: Option<String>,
    /// Log as JSON lines.
    #[arg(long, env = "KINDRED_SERVER_JSON_LOGS")]
    json_logs: bool,
    #[command(subcommand)]
    command: Option<Command>,
    /// Retention: delete the changes a snapshot covers once that snapshot
    /// has been held this many days (0: at once). Unset: keep every change.
    /// Devices keep their own full copies either way.
    #[arg(long, env = "KINDRED_PRUNE_AFTER_DAYS")]
    prune_after_days: Option<u64>,
    /// How often retention runs, in seconds (tests shorten it).
    #[arg(
        long,
        env = "KINDRED_PRUNE_EVERY_SECS",
        default_value_t = 3600,
        hide = true
    )]
    prune_every_secs: u64,
    /// Token lifetime in seconds (tests shorten it).
    #[arg(long, env = "KINDRED_SERVER_TOKEN_TTL_SECS", hide = true)]
    token_ttl_secs: Option<u64>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// For operators: what is stored (sizes and counts only; the relay
    /// holds nothing else it could show).
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Debug, clap::Subcommand)]
enum Admin {
    /// Storage use per space.
    Usage {
        #[arg(long)]
        json: bool,
    },
    /// Retention once: delete the changes each space's snapshot covers,
    /// where that snapshot has been held at least this many days.
    Prune {
        #[arg(long)]
        after_days: u64,
    },
}

/// `admin usage`: one line per space, then the totals.
fn print_usage(storage: &dyn Storage, json: bool) -> Result<(), StoreError> {
    let rows = storage.usage()?;
    if json {
        let list: Vec<String> = rows
            .iter()
            .map(|(id, u)| {
                format!(
                    "{{\"space\":\"{}\",\"log_entries\":{},\"changes\":{},\"change_bytes\":{},\"snapshot_bytes\":{}}}",
                    id.to_hex(),
                    u.log_entries,
                    u.changes,
                    u.change_bytes,
                    u.snapshot_bytes
                )
            })
            .collect();
        println!("[{}]", list.join(","));
        return Ok(());
    }
    println!("space                             log  changes  change_bytes  snapshot_bytes");
    let (mut c, mut cb, mut sb) = (0u64, 0u64, 0u64);
    for (id, u) in &rows {
        println!(
            "{}  {:>3}  {:>7}  {:>12}  {:>14}",
            id.to_hex(),
            u.log_entries,
            u.changes,
            u.change_bytes,
            u.snapshot_bytes
        );
        c += u.changes;
        cb += u.change_bytes;
        sb += u.snapshot_bytes;
    }
    println!(
        "{} spaces, {c} changes, {cb} bytes of changes, {sb} bytes of snapshots",
        rows.len()
    );
    Ok(())
}

/// The file that marks a data folder as in use.
const LOCK_FILE: &str = "kindred-server.lock";

/// Claims the SQLite data folder for this process: one relay per folder,
/// since two would each believe they alone hand out sequence numbers and
/// tokens. The lock is the operating system's (released when the process
/// ends, however it ends), held by the returned file for the process's life.
fn claim_data_folder(dir: &std::path::Path) -> Result<std::fs::File, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("could not create the data folder {}: {e}", dir.display()))?;
    let path = dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("could not open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another kindred-server is already using the data folder {}; stop it first, or give this one its own --data folder",
            dir.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(format!("could not lock {}: {e}", path.display()))
        }
    }
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KINDRED_SERVER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    init_logs(args.json_logs);
    // Serving from SQLite: this process alone, for as long as it runs.
    let _folder_lock = if args.command.is_none() && args.database_url.is_none() {
        match claim_data_folder(&args.data) {
            Ok(f) => Some(f),
            Err(m) => {
                eprintln!("kindred-server: {m}");
                return std::process::ExitCode::from(1);
            }
        }
    } else {
        None
    };
    let opened: Result<Arc<dyn Storage>, StoreError> = match args.database_url.clone() {
        // Its own runtime drives the connections: build it off this one.
        Some(url) => tokio::task::spawn_blocking(move || PostgresStorage::connect(&url))
            .await
            .map_err(|_| StoreError::Backend("could not start the database pool".into()))
            .and_then(|r| r.map(|s| Arc::new(s) as Arc<dyn Storage>)),
        None => SqliteStorage::open(&args.data).map(|s| Arc::new(s) as Arc<dyn Storage>),
    };
    let storage = match opened {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kindred-server: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    if let Some(Command::Admin(admin)) = args.command {
        let s = storage.clone();
        let done = tokio::task::spawn_blocking(move || match admin {
            Admin::Usage { json } => print_usage(s.as_ref(), json),
            Admin::Prune { after_days } => {
                let before = unix_now().saturating_sub(after_days.saturating_mul(86_400));
                let p = s.prune(before)?;
                println!(
                    "pruned {} changes ({} bytes) covered by snapshots held at least {after_days} days",
                    p.changes, p.bytes
                );
                Ok(())
            }
        })
        .await;
        return match done {
            Ok(Ok(())) => std::process::ExitCode::SUCCESS,
            Ok(Err(e)) => {
                eprintln!("kindred-server: {e}");
                std::process::ExitCode::from(1)
            }
            Err(_) => std::process::ExitCode::from(1),
        };
    }
    let mut config = Config::default();
    if let Some(t) = args.token_ttl_secs {
        config.token_ttl_secs = t;
    }
    config.prune_after = args
        .prune_after_days
        .map(|d| std::time::Duration::from_secs(d.saturating_mul(86_400)));
    config.prune_every = std::time::Duration::from_secs(args.prune_every_secs.max(1));
    let backend = if args.database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let state = AppState::new(storage, config);
    state.spawn_retention();
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("kindred-server: could not listen on {}: {e}", args.listen);
            return std::process::ExitCode::from(1);
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!("listening on http://{addr}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    tracing::info!(%addr, backend, "kindred-server started");
    // Requests and answers are small: without TCP_NODELAY, Nagle's
    // algorithm and delayed ACKs add ~40 ms to a round trip.
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    if let Err(e) = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await
    {
        eprintln!("kindred-server: {e}");
        return std::process::ExitCode::from(1);
    }
    std::process::ExitCode::SUCCESS
}
