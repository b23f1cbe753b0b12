//! Writing everything out: JSON, CSV or the raw documents.

use std::path::{Path, PathBuf};

use kindred_core::Kindred;

use crate::CliError;
use crate::args::*;

/// Writes a file only this user can read (a file already there is made so
/// before anything is written to it).
pub(super) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let failed =
        |e: std::io::Error| CliError::Failed(format!("could not write {}: {e}", path.display()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(failed)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(failed)?;
    f.set_len(0).map_err(failed)?;
    f.write_all(bytes).map_err(failed)
}

pub(super) fn run(k: &mut Kindred, a: ExportArgs) -> Result<(), CliError> {
    let folder = |out: Option<PathBuf>, what: &str| -> Result<PathBuf, CliError> {
        let dir = out.ok_or_else(|| {
            CliError::Usage(format!(
                "--format {what} writes one file per kind: give --out DIR"
            ))
        })?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| CliError::Failed(format!("could not create {}: {e}", dir.display())))?;
        Ok(dir)
    };
    match a.format {
        Format::Json => {
            let e = k.export_json(a.include_sensitive)?;
            let text =
                serde_json::to_string_pretty(&e).map_err(|e| CliError::Failed(e.to_string()))?;
            match a.out {
                Some(path) => write_private(&path, text.as_bytes())?,
                None => println!("{text}"),
            }
            if e.substance_use_notes_left_out > 0 {
                eprintln!(
                    "{} notes marked as substance-use content were left out (add --include-sensitive to include them).",
                    e.substance_use_notes_left_out
                );
            }
        }
        Format::Csv => {
            let dir = folder(a.out, "csv")?;
            let left_out = k
                .export_json(a.include_sensitive)?
                .substance_use_notes_left_out;
            for f in k.export_csv(a.include_sensitive)? {
                write_private(&dir.join(f.name), f.contents.as_bytes())?;
            }
            eprintln!("Wrote CSV files to {}.", dir.display());
            if left_out > 0 {
                eprintln!("{left_out} notes marked as substance-use content were left out.");
            }
        }
        Format::Automerge => {
            let dir = folder(a.out, "automerge")?;
            for (name, bytes) in k.export_automerge(a.include_sensitive)? {
                write_private(&dir.join(name), &bytes)?;
            }
            eprintln!("Wrote the raw documents to {}.", dir.display());
        }
    }
    Ok(())
}
