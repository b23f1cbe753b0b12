//! Test helper: records check-ins in a loop and prints each id on stdout
//! once the write call has returned, until it is killed.
//!
//! Usage: `crash_writer DATA_DIR COMPACT_AFTER`

use std::io::Write;

use kindred_core::{Kindred, OpenOptions, model::NewCheckIn};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(compact)) = (args.next(), args.next()) else {
        eprintln!("usage: crash_writer DATA_DIR COMPACT_AFTER");
        std::process::exit(2);
    };
    let compact_after: usize = compact.parse().unwrap_or(16);
    let mut k = match Kindred::open_with(
        std::path::Path::new(&dir),
        &kindred_tests::test_key(),
        OpenOptions {
            compact_after,
            ..Default::default()
        },
    ) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("crash_writer: {e}");
            std::process::exit(1);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for n in 0u64.. {
        let c = NewCheckIn {
            occurred_at: time::OffsetDateTime::now_utc(),
            mood: (n % 5 + 1) as i64,
            energy: None,
            tags: vec!["crash-test".into()],
            note: Some(format!("write {n}")),
        };
        match k.add_check_in(&c) {
            Ok(id) => {
                // Reported only after the call returned Ok.
                if writeln!(out, "{id}").and_then(|()| out.flush()).is_err() {
                    return;
                }
            }
            Err(e) => {
                eprintln!("crash_writer: {e}");
                std::process::exit(1);
            }
        }
    }
}
