//! `kindred`: the terminal shell over Kindred's core.
//!
//! A thin shell: it parses arguments (`args`), finds the storage key
//! (`keys`), calls the core (`commands`) and prints (`output`). Anything
//! the phone apps would also need lives in `kindred-core`.
//!
//! Exit codes: 0 success; 2 usage errors (what clap rejects, and input that
//! breaks a rule, such as a mood of 6 or an end before a start); 1 anything
//! else. Errors are one line on stderr, `kindred: <message>`.

mod args;
mod commands;
mod keys;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// A failure, sorted by exit code.
#[derive(Debug)]
pub enum CliError {
    /// Exit 2: the command line or its values were wrong.
    Usage(String),
    /// Exit 1: everything else.
    Failed(String),
}

impl From<kindred_core::Error> for CliError {
    fn from(e: kindred_core::Error) -> CliError {
        if e.is_invalid_input() {
            CliError::Usage(e.to_string())
        } else {
            CliError::Failed(e.to_string())
        }
    }
}

fn main() -> ExitCode {
    output::init_local_offset();
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(m)) => {
            eprintln!("kindred: {m}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(m)) => {
            eprintln!("kindred: {m}");
            ExitCode::from(1)
        }
    }
}
