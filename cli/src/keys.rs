//! Where the CLI keeps the storage key (the phone apps use the platform
//! keystore instead; see docs/crypto.md §2).
//!
//! - Default: 32 random bytes in `<data-dir>/storage.key`, mode 0600, in a
//!   0700 folder.
//! - With a passphrase: Argon2id (64 MiB, 3 passes, 1 lane) over the
//!   passphrase and a random salt; only the parameters and salt are kept,
//!   in `<data-dir>/passphrase.json`.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use kindred_core::{KeyProvider, StorageKey};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::CliError;

const KEY_FILE: &str = "storage.key";
const PASSPHRASE_FILE: &str = "passphrase.json";

/// Argon2id parameters, as stored next to the data.
#[derive(Debug, Serialize, Deserialize)]
struct KdfParams {
    kdf: String,
    version: u32,
    m_kib: u32,
    t: u32,
    p: u32,
    salt: String,
}

/// The key source of a data folder.
pub enum Keys {
    File(PathBuf),
    Passphrase {
        params: PathBuf,
        passphrase: Zeroizing<String>,
    },
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Keys::File(p) => f.debug_tuple("File").field(p).finish(),
            Keys::Passphrase { params, .. } => f
                .debug_struct("Passphrase")
                .field("params", params)
                .finish_non_exhaustive(),
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| CliError::Failed(format!("could not create {}: {e}", path.display())))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| CliError::Failed(format!("could not write {}: {e}", path.display())))
}

fn read_passphrase(var: Option<&str>) -> Result<Zeroizing<String>, CliError> {
    let var = var.ok_or_else(|| {
        CliError::Failed(
            "this data is locked with a passphrase: name the environment variable that holds it with --passphrase-env VAR".into(),
        )
    })?;
    match std::env::var(var) {
        Ok(p) if !p.is_empty() => Ok(Zeroizing::new(p)),
        _ => Err(CliError::Failed(format!(
            "the environment variable {var} is not set or is empty"
        ))),
    }
}

/// Makes the data folder private to this user.
pub fn prepare_dir(dir: &Path) -> Result<(), CliError> {
    fs::create_dir_all(dir)
        .map_err(|e| CliError::Failed(format!("could not create {}: {e}", dir.display())))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| CliError::Failed(format!("could not restrict {}: {e}", dir.display())))
}

impl Keys {
    /// Deletes the key file or passphrase settings this run created.
    pub fn remove(&self) {
        let path = match self {
            Keys::File(p) => p,
            Keys::Passphrase { params, .. } => params,
        };
        let _ = fs::remove_file(path);
    }

    /// Creates the key source for a new data folder.
    pub fn create(dir: &Path, passphrase_env: Option<&str>) -> Result<Keys, CliError> {
        let key_path = dir.join(KEY_FILE);
        let params_path = dir.join(PASSPHRASE_FILE);
        if key_path.exists() || params_path.exists() {
            return Err(CliError::Failed(
                "Kindred data already exists here; nothing was changed".into(),
            ));
        }
        match passphrase_env {
            None => {
                let key = StorageKey::generate().map_err(CliError::from)?;
                write_private(&key_path, key.expose())?;
                Ok(Keys::File(key_path))
            }
            Some(var) => {
                let passphrase = read_passphrase(Some(var))?;
                let mut salt = [0u8; 16];
                SystemRandom::new().fill(&mut salt).map_err(|_| {
                    CliError::Failed("the system random number generator failed".into())
                })?;
                let params = KdfParams {
                    kdf: "argon2id".into(),
                    version: 1,
                    m_kib: 64 * 1024,
                    t: 3,
                    p: 1,
                    salt: hex(&salt),
                };
                let json = serde_json::to_vec_pretty(&params)
                    .map_err(|e| CliError::Failed(e.to_string()))?;
                write_private(&params_path, &json)?;
                Ok(Keys::Passphrase {
                    params: params_path,
                    passphrase,
                })
            }
        }
    }

    /// The key source of an existing data folder.
    pub fn find(dir: &Path, passphrase_env: Option<&str>) -> Result<Keys, CliError> {
        let params_path = dir.join(PASSPHRASE_FILE);
        if params_path.exists() {
            return Ok(Keys::Passphrase {
                params: params_path,
                passphrase: read_passphrase(passphrase_env)?,
            });
        }
        let key_path = dir.join(KEY_FILE);
        if !key_path.exists() {
            return Err(CliError::Failed(
                "no Kindred data here yet: run `kindred init --name NAME` first".into(),
            ));
        }
        let mode = fs::metadata(&key_path)
            .map_err(|e| CliError::Failed(format!("could not read {}: {e}", key_path.display())))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(CliError::Failed(format!(
                "{} can be read by other users (mode {:o}); run `chmod 600` on it first",
                key_path.display(),
                mode & 0o777
            )));
        }
        Ok(Keys::File(key_path))
    }
}

impl KeyProvider for Keys {
    fn storage_key(&self) -> Result<StorageKey, String> {
        match self {
            Keys::File(path) => {
                let bytes = Zeroizing::new(
                    fs::read(path).map_err(|e| format!("the key file could not be read: {e}"))?,
                );
                let arr: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| "the key file is not 32 bytes long".to_owned())?;
                Ok(StorageKey::from_bytes(arr))
            }
            Keys::Passphrase { params, passphrase } => {
                let text = fs::read(params)
                    .map_err(|e| format!("the passphrase settings could not be read: {e}"))?;
                let p: KdfParams = serde_json::from_slice(&text)
                    .map_err(|_| "the passphrase settings are damaged".to_owned())?;
                if p.kdf != "argon2id" || p.version != 1 {
                    return Err("the passphrase settings use an unknown method".into());
                }
                let salt = unhex(&p.salt)
                    .ok_or_else(|| "the passphrase settings are damaged".to_owned())?;
                let argon = argon2::Argon2::new(
                    argon2::Algorithm::Argon2id,
                    argon2::Version::V0x13,
                    argon2::Params::new(p.m_kib, p.t, p.p, Some(32))
                        .map_err(|_| "the passphrase settings are out of range".to_owned())?,
                );
                let mut key = Zeroizing::new([0u8; 32]);
                argon
                    .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
                    .map_err(|_| "the key could not be derived from the passphrase".to_owned())?;
                Ok(StorageKey::from_bytes(*key))
            }
        }
    }
}
