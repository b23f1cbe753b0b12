//! Marker scans for the erasure tests (issue 14): what a device's or the
//! relay's files still hold, byte for byte.
//!
//! Content is sealed everywhere, so a plain-text marker never shows in a
//! file even before an erasure; what an erasure must remove is the sealed
//! rows themselves (whoever later holds a key must find nothing to open).
//! So the scans look for 32-byte pieces of the sealed bytes that existed
//! before, in the files after: the database, its write-ahead log and
//! index, free pages included.

use std::path::Path;

/// Every sealed row a device holds of one space's content (its chunks,
/// pending, sent and held changes, its epoch keys), as raw bytes.
pub fn device_rows(db: &Path, space: &str) -> Vec<Vec<u8>> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the device's database");
    let mut out = Vec::new();
    for sql in [
        "SELECT blob FROM chunks WHERE space_id = ?1",
        "SELECT blob FROM outbox WHERE space_id = ?1",
        "SELECT blob FROM sent WHERE space_id = ?1",
        "SELECT blob FROM held WHERE space_id = ?1",
        "SELECT blob FROM keys WHERE name LIKE 'epoch/' || ?1 || '/%'",
    ] {
        let mut stmt = conn.prepare(sql).expect("a query");
        let rows = stmt
            .query_map([space], |r| r.get::<_, Vec<u8>>(0))
            .expect("rows");
        out.extend(rows.map(|r| r.expect("a row")));
    }
    out
}

/// A SQLite database's files (the file, its write-ahead log and index).
pub fn sqlite_files(db: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        if let Ok(b) = std::fs::read(format!("{}{suffix}", db.display())) {
            all.extend(b);
        }
    }
    all
}

/// Every file under `dir`, end to end.
pub fn files_in(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for f in crate::server::files_under(dir) {
        if let Ok(b) = std::fs::read(&f) {
            all.extend(b);
        }
    }
    all
}

/// How many of `blobs` have a 32-byte piece in `hay` (0: none is left).
pub fn pieces_left(blobs: &[Vec<u8>], hay: &[u8]) -> usize {
    let pieces: std::collections::HashSet<&[u8]> =
        blobs.iter().flat_map(|b| b.chunks_exact(32)).collect();
    if pieces.is_empty() || hay.len() < 32 {
        return 0;
    }
    let mut found = std::collections::HashSet::new();
    for w in hay.windows(32) {
        if pieces.contains(w) {
            found.insert(w);
        }
    }
    blobs
        .iter()
        .filter(|b| b.chunks_exact(32).any(|c| found.contains(c)))
        .count()
}

/// Raw pages (live and dead tuples, free space) of a PostgreSQL relay's
/// tables in `schema`, through pageinspect: `tables` by name, or every
/// table of the schema when `None`; their TOAST tables too.
pub fn postgres_pages(url: &str, schema: &str, tables: Option<&[&str]>) -> Vec<u8> {
    use crate::server::psql;
    psql(url, "CREATE EXTENSION IF NOT EXISTS pageinspect");
    let names: Vec<String> = match tables {
        Some(t) => t.iter().map(|t| format!("{schema}.{t}")).collect(),
        None => psql(
            url,
            &format!(
                "SELECT string_agg(c.oid::regclass::text, ' ') FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = '{schema}' AND c.relkind = 'r'"
            ),
        )
        .split_whitespace()
        .map(str::to_owned)
        .collect(),
    };
    let mut all = Vec::new();
    for rel in names {
        let toast = psql(
            url,
            &format!("SELECT reltoastrelid::regclass FROM pg_class WHERE oid = '{rel}'::regclass"),
        );
        for r in [rel, toast].iter().filter(|r| !r.is_empty() && *r != "-") {
            let hex = psql(
                url,
                &format!(
                    "SELECT COALESCE(string_agg(encode(get_raw_page('{r}', g::int), 'hex'), ''), '')
                     FROM generate_series(0, pg_relation_size('{r}') / 8192 - 1) g"
                ),
            );
            all.extend(
                (0..hex.len() / 2)
                    .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0)),
            );
        }
    }
    all
}
