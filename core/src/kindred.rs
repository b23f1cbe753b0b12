//! `Kindred`: one device's data, opened with its storage key.
//!
//! This is the API every shell uses (the CLI now, the phone apps through
//! the FFI later). Each write is one local edit: validate the input, take
//! the store's write lock, catch up with anything another process stored,
//! apply one automerge transaction, append the change as a sealed chunk and
//! commit, then refresh only the touched records in the index. When a
//! write returns `Ok`, the edit is on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use automerge::transaction::Transactable;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::crypto::DeviceKeys;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::model::{
    CheckIn, Contact, ContactNote, Goal, GoalChanges, GoalStatus, NewCheckIn, NewContact,
    NewContactNote, NewGoal, NoteChanges, NoteStatus, RecordKind,
};
use crate::space::edit::Edit;
use crate::space::fields::{
    get_map_list, get_str, push_map, put_opt_date, put_opt_str, put_str, put_str_list, put_time,
};
use crate::space::records::{CHECK_INS, CONTACT_NOTES, CONTACTS, GOALS, Stamp};
use crate::space::{Index, Space, SpaceKind, actor_for, genesis};
use crate::store::{ChunkKind, KeyProvider, Store};

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "kindred.db";

/// Compact a space into one snapshot after this many change chunks.
pub const DEFAULT_COMPACT_AFTER: usize = 256;

pub(crate) const SIGNING_KEY: &str = "device_signing_ed25519";

/// The name of the key row holding a space's genesis nonce.
pub(crate) fn space_nonce_name(space: &str) -> String {
    format!("space-nonce/{space}")
}

/// A new space's id and the nonce its genesis will carry: the id is made
/// from them ([`kindred_protocol::space_id_for`]), so no relay can serve
/// another space under it.
fn new_space_id(owner: &kindred_protocol::DeviceKey) -> Result<(String, Vec<u8>)> {
    let mut nonce = vec![0u8; kindred_protocol::SPACE_NONCE_LEN];
    crate::ids::fill_random(&mut nonce)?;
    Ok((
        kindred_protocol::space_id_for(&nonce, owner).to_hex(),
        nonce,
    ))
}
pub(crate) const WRAP_SEED: &str = "device_wrap_x25519_seed";
/// Seeds of the wrapping keys this device replaced, 32 bytes each.
pub(crate) const RETIRED_WRAP_SEEDS: &str = "device_wrap_x25519_retired";

/// This device, as stored.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Device {
    pub id: String,
    pub name: String,
    /// The name of the person who uses it, if they gave one (see `names`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct SpaceDescriptor {
    pub kind: String,
    /// What this device calls the space (shared spaces: "with Jo").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A space this device holds, for listing.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SpaceInfo {
    pub id: String,
    pub kind: SpaceKind,
    /// A name for shared spaces ("with Jo"); none for the others.
    pub name: Option<String>,
    /// This device was removed from the space and keeps its copy locked
    /// (`sync::removal`): readable and exportable, not changed or synced.
    pub locked: bool,
}

/// Settings for opening a store.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Change chunks per space before they are compacted into a snapshot.
    pub compact_after: usize,
    /// At most this many local changes per envelope when pushing (`None`:
    /// as many as fit). Benchmarks use 1 to send every change on its own.
    pub max_changes_per_envelope: Option<usize>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            compact_after: DEFAULT_COMPACT_AFTER,
            max_changes_per_envelope: None,
        }
    }
}

/// One device's Kindred data.
pub struct Kindred {
    pub(crate) store: Store,
    pub(crate) device: Device,
    pub(crate) keys: DeviceKeys,
    pub(crate) spaces: Vec<SpaceInfo>,
    pub(crate) loaded: HashMap<String, Space>,
    pub(crate) options: OpenOptions,
    /// A bearer token for the relay, while it lasts.
    pub(crate) session: Option<crate::sync::Session>,
    /// Memberships already verified, by space, with the SHA-256 of the
    /// stored log they came from: a sync reads the log every time, and
    /// checking each entry's signature again is the costly part.
    pub(crate) verified:
        std::sync::Mutex<HashMap<String, ([u8; 32], kindred_protocol::Membership)>>,
    /// A pairing request shown to the person and waiting for her answer
    /// (kept in memory only: an offer lives minutes, and a restart drops it).
    pub(crate) pending_pair: Option<crate::sync::PendingPair>,
    /// The fresh start this device just stored on the relay with an
    /// erasure (space, snapshot), so it follows its own erasure without
    /// fetching back what it sent. Memory only: after a restart it pulls.
    pub(crate) own_fresh_start: Option<(String, kindred_protocol::SnapshotEnvelope)>,
    /// How long this device's requests to remove one of the person's
    /// devices wait (`sync::removal`).
    pub(crate) removal_wait: std::time::Duration,
}

impl std::fmt::Debug for Kindred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kindred")
            .field("store", &self.store)
            .field("device", &self.device.id)
            .field("spaces", &self.spaces)
            .finish_non_exhaustive()
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn not_found(kind: RecordKind, id: &Id) -> Error {
    Error::NotFound {
        kind,
        id: id.to_string(),
    }
}

fn storage_key(keys: &dyn KeyProvider) -> Result<crate::store::StorageKey> {
    keys.storage_key().map_err(Error::KeyUnavailable)
}

impl Kindred {
    /// Path of the database inside `data_dir`.
    pub fn database_path(data_dir: &Path) -> PathBuf {
        data_dir.join(DATABASE_FILE)
    }

    /// Creates this device's store in `data_dir`: a device identity (id,
    /// name, Ed25519 signing key) and two spaces, personal and caseload.
    pub fn init(data_dir: &Path, keys: &dyn KeyProvider, device_name: &str) -> Result<Kindred> {
        Self::create(data_dir, keys, device_name, true)
    }

    /// Creates a store for a device that will join another device's spaces
    /// by pairing: a device identity and no spaces yet.
    pub fn init_joining(
        data_dir: &Path,
        keys: &dyn KeyProvider,
        device_name: &str,
    ) -> Result<Kindred> {
        Self::create(data_dir, keys, device_name, false)
    }

    fn create(
        data_dir: &Path,
        keys: &dyn KeyProvider,
        device_name: &str,
        with_spaces: bool,
    ) -> Result<Kindred> {
        let name =
            crate::model::check_text("device name", device_name, crate::model::limits::SHORT)?;
        std::fs::create_dir_all(data_dir).map_err(|source| Error::Io {
            context: "create the data folder",
            source,
        })?;
        let key = storage_key(keys)?;
        let path = Self::database_path(data_dir);
        let mut store = Store::create(&path, &key)?;
        let device = Device {
            id: Id::random()?.to_string(),
            name,
            person: None,
            created_at: now(),
        };
        let signing =
            ring::signature::Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
                .map_err(|_| Error::Random)?;
        let tx = store.begin()?;
        tx.put_meta(
            "device",
            &serde_json::to_vec(&device).map_err(|_| Error::Document)?,
        )?;
        tx.put_key(SIGNING_KEY, signing.as_ref())?;
        tx.put_key(WRAP_SEED, &DeviceKeys::new_wrap_seed()?)?;
        let owner = {
            use ring::signature::KeyPair;
            let pair = ring::signature::Ed25519KeyPair::from_pkcs8(signing.as_ref())
                .map_err(|_| Error::Random)?;
            let mut k = [0u8; 32];
            k.copy_from_slice(pair.public_key().as_ref());
            kindred_protocol::DeviceKey(k)
        };
        let kinds: &[SpaceKind] = if with_spaces {
            &[SpaceKind::Personal, SpaceKind::Caseload]
        } else {
            &[]
        };
        for kind in kinds {
            let (id, nonce) = new_space_id(&owner)?;
            tx.put_key(&space_nonce_name(&id), &nonce)?;
            let desc = SpaceDescriptor {
                kind: kind.as_str().to_owned(),
                name: None,
            };
            tx.insert_space(
                &id,
                &serde_json::to_vec(&desc).map_err(|_| Error::Document)?,
            )?;
            tx.append_chunk(
                &id,
                ChunkKind::Snapshot,
                &genesis(kind, actor_for(&device.id))?,
            )?;
        }
        tx.commit()?;
        drop(store);
        Self::open(data_dir, keys)
    }

    /// Opens the store in `data_dir` with default options.
    pub fn open(data_dir: &Path, keys: &dyn KeyProvider) -> Result<Kindred> {
        Self::open_with(data_dir, keys, OpenOptions::default())
    }

    /// Opens the store in `data_dir`. Spaces are read when first used.
    pub fn open_with(
        data_dir: &Path,
        keys: &dyn KeyProvider,
        options: OpenOptions,
    ) -> Result<Kindred> {
        let key = storage_key(keys)?;
        let mut store = Store::open(&Self::database_path(data_dir), &key)?;
        let device_bytes = store.meta("device")?.ok_or(Error::DatabaseDamaged)?;
        let device: Device = serde_json::from_slice(&device_bytes).map_err(|_| Error::Damaged {
            space: "device".into(),
            what: "the device record could not be read".into(),
        })?;
        let mut spaces = Vec::new();
        for (id, desc) in store.spaces()? {
            let desc: SpaceDescriptor =
                serde_json::from_slice(&desc).map_err(|_| Error::Damaged {
                    space: id.clone(),
                    what: "the space's description could not be read".into(),
                })?;
            spaces.push(SpaceInfo {
                id,
                kind: SpaceKind::from_stored(&desc.kind),
                name: desc.name,
                locked: false,
            });
        }
        let signing = store.key(SIGNING_KEY)?.ok_or(Error::DatabaseDamaged)?;
        let seed = match store.key(WRAP_SEED)? {
            Some(seed) => seed,
            None => {
                // Stores made before sync existed get their wrapping key now.
                let seed = DeviceKeys::new_wrap_seed()?;
                let tx = store.begin()?;
                tx.put_key(WRAP_SEED, &seed)?;
                tx.commit()?;
                seed
            }
        };
        let retired = store.key(RETIRED_WRAP_SEEDS)?.unwrap_or_default();
        let keys = DeviceKeys::load(&signing, &seed)?.with_retired(&retired)?;
        let mut k = Kindred {
            store,
            device,
            keys,
            spaces,
            loaded: HashMap::new(),
            options,
            session: None,
            verified: Default::default(),
            pending_pair: None,
            own_fresh_start: None,
            removal_wait: crate::sync::DEFAULT_REMOVAL_WAIT,
        };
        for i in 0..k.spaces.len() {
            let st = k.load_sync_state(&k.spaces[i].id)?;
            k.spaces[i].locked = st.removed && st.locked;
        }
        Ok(k)
    }

    /// This device.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Adds a space this device joined by pairing: empty until its first
    /// sync brings the document.
    pub(crate) fn add_joined_space(
        &mut self,
        id: &str,
        kind: SpaceKind,
        name: Option<String>,
        pin: crate::sync::JoinPin,
    ) -> Result<()> {
        let desc = SpaceDescriptor {
            kind: kind.as_str().to_owned(),
            name: name.clone(),
        };
        let state = crate::sync::joined_state(pin);
        let tx = self.store.begin()?;
        tx.insert_space(id, &serde_json::to_vec(&desc).map_err(|_| Error::Document)?)?;
        tx.put_sync_state(
            id,
            &serde_json::to_vec(&state).map_err(|_| Error::Document)?,
        )?;
        tx.commit()?;
        self.spaces.push(SpaceInfo {
            id: id.to_owned(),
            kind,
            name,
            locked: false,
        });
        Ok(())
    }

    /// Creates a new space of `kind` on this device (not yet on a relay).
    pub(crate) fn create_space(&mut self, kind: SpaceKind, name: Option<String>) -> Result<String> {
        let (id, nonce) = new_space_id(&self.keys.device_key())?;
        let desc = SpaceDescriptor {
            kind: kind.as_str().to_owned(),
            name: name.clone(),
        };
        let tx = self.store.begin()?;
        tx.put_key(&space_nonce_name(&id), &nonce)?;
        tx.insert_space(
            &id,
            &serde_json::to_vec(&desc).map_err(|_| Error::Document)?,
        )?;
        tx.append_chunk(
            &id,
            ChunkKind::Snapshot,
            &genesis(&kind, actor_for(&self.device.id))?,
        )?;
        tx.commit()?;
        self.spaces.push(SpaceInfo {
            id: id.clone(),
            kind,
            name,
            locked: false,
        });
        Ok(id)
    }

    /// This device's Ed25519 public key (its identity to other devices).
    pub fn device_public_key(&self) -> Result<Vec<u8>> {
        Ok(self.keys.device_key().0.to_vec())
    }

    /// The spaces this device holds.
    pub fn spaces(&self) -> &[SpaceInfo] {
        &self.spaces
    }

    /// The database file.
    pub fn database_file(&self) -> &Path {
        self.store.path()
    }

    /// True if a space was written by a newer version and is read-only.
    pub fn is_read_only(&mut self, kind: &SpaceKind) -> Result<bool> {
        Ok(self.space(kind)?.read_only)
    }

    pub(crate) fn space_id(&self, kind: &SpaceKind) -> Result<String> {
        self.spaces
            .iter()
            .find(|s| &s.kind == kind)
            .map(|s| s.id.clone())
            .ok_or_else(|| Error::NotFound {
                kind: RecordKind::Space,
                id: kind.as_str().to_owned(),
            })
    }

    fn space(&mut self, kind: &SpaceKind) -> Result<&mut Space> {
        let id = self.space_id(kind)?;
        self.space_by_id(&id)
    }

    /// A space by id, loaded on first use.
    pub(crate) fn space_by_id(&mut self, id: &str) -> Result<&mut Space> {
        if !self.loaded.contains_key(id) {
            let kind = self
                .spaces
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.kind.clone())
                .ok_or_else(|| Error::NotFound {
                    kind: RecordKind::Space,
                    id: id.to_owned(),
                })?;
            let chunks = self.store.chunks_after(id, kind.as_str(), 0)?;
            let mut space = Space::load(
                id.to_owned(),
                kind.clone(),
                chunks,
                actor_for(&self.device.id),
            )?;
            let held = self.store.held(id)?;
            if !held.is_empty() {
                // Queued again; they apply once what they build on arrives.
                for bytes in &held {
                    // Member bytes: a panic must not stop the space opening.
                    if crate::space::untrusted::load_incremental(&mut space.doc, bytes)
                        == Err(crate::space::untrusted::Refused::Panicked)
                    {
                        let chunks = self.store.chunks_after(id, kind.as_str(), 0)?;
                        space = Space::load(
                            id.to_owned(),
                            kind.clone(),
                            chunks,
                            actor_for(&self.device.id),
                        )?;
                        break;
                    }
                }
                space.reindex_all();
            }
            self.loaded.insert(id.to_owned(), space);
        }
        self.loaded.get_mut(id).ok_or(Error::Document)
    }

    fn index(&mut self, kind: &SpaceKind) -> Result<&Index> {
        Ok(&self.space(kind)?.index)
    }

    /// Applies one local edit to the space of `kind`; see the module docs.
    /// `f` sees the index (caught up with the store) to check the edit, and
    /// the open transaction to make it. An error from `f` discards the
    /// transaction and writes nothing.
    pub(crate) fn edit<T>(
        &mut self,
        kind: &SpaceKind,
        f: impl FnOnce(&Index, &mut Edit<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        let id = self.space_id(kind)?;
        self.edit_in(&id, f)
    }

    /// [`Kindred::edit`] in the space with this id.
    pub(crate) fn edit_in<T>(
        &mut self,
        id: &str,
        f: impl FnOnce(&Index, &mut Edit<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        self.space_by_id(id)?;
        let id = id.to_owned();
        if self.spaces.iter().any(|s| s.id == id && s.locked) {
            return Err(Error::CopyLocked);
        }
        // A reader's write in a shared space would only be refused by the
        // relay later: refuse it now, in words, and keep nothing of it.
        if self
            .loaded
            .get(&id)
            .is_some_and(|s| s.kind == SpaceKind::Shared)
        {
            let me = self.keys.device_key();
            let reader = self
                .membership_of(&id)?
                .and_then(|m| m.role_of(&me))
                .is_some_and(|r| r == kindred_protocol::Role::Reader);
            if reader {
                return Err(Error::ReadOnlyShare);
            }
        }
        let space = self.loaded.get_mut(&id).ok_or(Error::Document)?;
        let tx = self.store.begin()?;
        let newer = tx.chunks_after(&space.id, space.kind.as_str(), space.last_seq)?;
        space.catch_up(newer)?;
        if space.read_only {
            return Err(Error::ReadOnly {
                space: space.kind.as_str().to_owned(),
            });
        }
        if !space.has_root() {
            return Err(Error::NotReady {
                space: space.kind.as_str().to_owned(),
            });
        }
        let heads = space.doc.get_heads();
        let Space { doc, index, .. } = &mut *space;
        let mut atx = doc.transaction();
        let mut edit = Edit {
            tx: &mut atx,
            stamp: Stamp {
                at: now(),
                device: &self.device.id,
            },
            touched: Vec::new(),
        };
        let out = match f(index, &mut edit) {
            Ok(out) => out,
            Err(e) => {
                atx.rollback();
                return Err(e);
            }
        };
        let touched = std::mem::take(&mut edit.touched);
        atx.commit();
        let bytes = space.doc.save_after(&heads);
        if bytes.is_empty() {
            return Ok(out);
        }
        // Spaces that exist on a relay also queue the change for pushing,
        // in the same transaction (read inside it: another process may
        // have started syncing the space since this one loaded it).
        let saved = tx
            .append_chunk(&space.id, ChunkKind::Changes, &bytes)
            .and_then(|seq| {
                if tx.sync_created(&space.id)? {
                    tx.append_outbox(&space.id, &bytes)?;
                }
                Ok(seq)
            })
            .and_then(|seq| tx.commit().map(|()| seq));
        match saved {
            Ok(seq) => {
                space.last_seq = seq;
                space.chunks_since_snapshot += 1;
                space.reindex(&touched);
            }
            Err(e) => {
                // The document holds a change the store does not: drop it
                // so the next read starts again from what is on disk.
                self.loaded.remove(&id);
                return Err(e);
            }
        }
        if self.options.compact_after > 0
            && space.chunks_since_snapshot >= self.options.compact_after
        {
            self.compact_in(&id)?;
        }
        Ok(out)
    }

    /// Replaces a space's chunks by one snapshot, in one transaction.
    pub fn compact(&mut self, kind: &SpaceKind) -> Result<()> {
        let id = self.space_id(kind)?;
        self.compact_in(&id)
    }

    /// Replaces one space's chunks (by id) by one snapshot.
    pub fn compact_space(&mut self, id: &str) -> Result<()> {
        self.compact_in(id)
    }

    fn compact_in(&mut self, id: &str) -> Result<()> {
        self.space_by_id(id)?;
        let space = self.loaded.get_mut(id).ok_or(Error::Document)?;
        let tx = self.store.begin()?;
        let newer = tx.chunks_after(&space.id, space.kind.as_str(), space.last_seq)?;
        space.catch_up(newer)?;
        if space.read_only {
            return Ok(());
        }
        let snapshot = space.doc.save();
        let seq = tx.compact(&space.id, space.last_seq, &snapshot)?;
        tx.commit()?;
        space.last_seq = seq;
        space.chunks_since_snapshot = 0;
        Ok(())
    }

    /// The saved automerge document of a space, readable by any automerge
    /// implementation.
    pub fn document_bytes(&mut self, kind: &SpaceKind) -> Result<Vec<u8>> {
        Ok(self.space(kind)?.doc.save())
    }

    // ----- goals -----------------------------------------------------------

    /// Adds a goal to the personal space; returns its id.
    pub fn add_goal(&mut self, goal: &NewGoal) -> Result<Id> {
        let g = goal.validate()?;
        self.edit(&SpaceKind::Personal, |_, e| {
            let (id, obj) = e.create(GOALS)?;
            put_str(e.tx, &obj, "title", &g.title)?;
            put_opt_str(e.tx, &obj, "why", g.why.as_deref())?;
            put_opt_str(e.tx, &obj, "area", g.area.as_ref().map(|a| a.as_str()))?;
            put_str(e.tx, &obj, "status", GoalStatus::Active.as_str())?;
            put_opt_date(e.tx, &obj, "target_date", g.target_date)?;
            e.tx.put_object(&obj, "steps", automerge::ObjType::List)?;
            e.tx.put_object(&obj, "progress", automerge::ObjType::List)?;
            Ok(id)
        })
    }

    /// The spaces of these kinds that have finished their first sync, in
    /// the order this device holds them (its own before shared ones).
    pub(crate) fn ready_spaces(&mut self, kinds: &[SpaceKind]) -> Result<Vec<String>> {
        let ids: Vec<String> = self
            .spaces
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .map(|s| s.id.clone())
            .collect();
        let mut out = Vec::new();
        for id in ids {
            if self.space_by_id(&id)?.has_root() {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The spaces goals live in: the personal space, then shared spaces.
    fn goal_spaces(&mut self) -> Result<Vec<String>> {
        self.ready_spaces(&[SpaceKind::Personal, SpaceKind::Shared])
    }

    /// The space holding a goal (personal, or a space it was shared into).
    pub(crate) fn goal_space(&mut self, id: &Id) -> Result<String> {
        for sp in self.goal_spaces()? {
            if self.space_by_id(&sp)?.index.goals.contains_key(id) {
                return Ok(sp);
            }
        }
        Err(not_found(RecordKind::Goal, id))
    }

    /// One goal.
    pub fn goal(&mut self, id: &Id) -> Result<Goal> {
        let sp = self.goal_space(id)?;
        self.space_by_id(&sp)?
            .index
            .goals
            .get(id)
            .cloned()
            .ok_or_else(|| not_found(RecordKind::Goal, id))
    }

    /// Goals, oldest first, optionally only those with `status`: this
    /// person's own and those shared with this device.
    pub fn goals(&mut self, status: Option<&GoalStatus>) -> Result<Vec<Goal>> {
        let mut out: Vec<Goal> = Vec::new();
        if !self.spaces.iter().any(|s| s.kind == SpaceKind::Personal) {
            // Reports "no personal space" the way every other call does.
            self.index(&SpaceKind::Personal)?;
        }
        for sp in self.goal_spaces()? {
            out.extend(
                self.space_by_id(&sp)?
                    .index
                    .goals
                    .values()
                    .filter(|g| status.is_none_or(|s| &g.status == s))
                    .cloned(),
            );
        }
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(out)
    }

    /// Changes a goal's title, why, life area or target date.
    pub fn update_goal(&mut self, id: &Id, changes: &GoalChanges) -> Result<()> {
        let c = changes.validate()?;
        let sp = self.goal_space(id)?;
        self.edit_in(&sp, |index, e| {
            if !index.goals.contains_key(id) {
                return Err(not_found(RecordKind::Goal, id));
            }
            let obj = e.update(GOALS, id)?;
            if let Some(t) = &c.title {
                put_str(e.tx, &obj, "title", t)?;
            }
            if let Some(w) = &c.why {
                put_opt_str(e.tx, &obj, "why", w.as_deref())?;
            }
            if let Some(a) = &c.area {
                put_opt_str(e.tx, &obj, "area", a.as_ref().map(|a| a.as_str()))?;
            }
            if let Some(d) = c.target_date {
                put_opt_date(e.tx, &obj, "target_date", d)?;
            }
            Ok(())
        })
    }

    /// Moves a goal to another status; every status can move to every other.
    pub fn set_goal_status(&mut self, id: &Id, status: &GoalStatus) -> Result<()> {
        if let GoalStatus::Unknown(_) = status {
            return GoalStatus::parse(status.as_str()).map(|_| ());
        }
        let sp = self.goal_space(id)?;
        self.edit_in(&sp, |index, e| {
            if !index.goals.contains_key(id) {
                return Err(not_found(RecordKind::Goal, id));
            }
            let obj = e.update(GOALS, id)?;
            put_str(e.tx, &obj, "status", status.as_str())?;
            Ok(())
        })
    }

    /// Adds a step at the end of a goal's steps; returns its id.
    pub fn add_step(&mut self, goal: &Id, text: &str, due: Option<Date>) -> Result<Id> {
        let text = crate::model::goal_step_text(text)?;
        let sp = self.goal_space(goal)?;
        self.edit_in(&sp, |index, e| {
            if !index.goals.contains_key(goal) {
                return Err(not_found(RecordKind::Goal, goal));
            }
            let obj = e.update(GOALS, goal)?;
            let step = push_map(e.tx, &obj, "steps")?;
            let id = Id::random()?;
            put_str(e.tx, &step, "id", id.as_str())?;
            put_str(e.tx, &step, "text", &text)?;
            put_opt_date(e.tx, &step, "due", due)?;
            Ok(id)
        })
    }

    /// Marks a step done now, or not done (`done = false`).
    pub fn set_step_done(&mut self, goal: &Id, step: &Id, done: bool) -> Result<()> {
        let sp = self.goal_space(goal)?;
        self.edit_in(&sp, |index, e| {
            let g = index
                .goals
                .get(goal)
                .ok_or_else(|| not_found(RecordKind::Goal, goal))?;
            let pos = g
                .steps
                .iter()
                .position(|s| &s.id == step)
                .ok_or_else(|| not_found(RecordKind::Step, step))?;
            let obj = e.update(GOALS, goal)?;
            let steps = get_map_list(e.tx, &obj, "steps");
            // The index and the document agree after catch-up; check anyway.
            let target = steps
                .into_iter()
                .nth(pos)
                .filter(|s| get_str(e.tx, s, "id").as_deref() == Some(step.as_str()))
                .ok_or_else(|| not_found(RecordKind::Step, step))?;
            if done {
                put_time(e.tx, &target, "done_at", e.stamp.at)?;
            } else {
                put_opt_str(e.tx, &target, "done_at", None)?;
            }
            Ok(())
        })
    }

    /// Adds a note on how a goal is going; returns its id.
    pub fn add_progress(&mut self, goal: &Id, note: &str) -> Result<Id> {
        let note = crate::model::goal_progress_note(note)?;
        let sp = self.goal_space(goal)?;
        self.edit_in(&sp, |index, e| {
            if !index.goals.contains_key(goal) {
                return Err(not_found(RecordKind::Goal, goal));
            }
            let obj = e.update(GOALS, goal)?;
            let entry = push_map(e.tx, &obj, "progress")?;
            let id = Id::random()?;
            put_str(e.tx, &entry, "id", id.as_str())?;
            put_time(e.tx, &entry, "at", e.stamp.at)?;
            put_str(e.tx, &entry, "note", &note)?;
            Ok(id)
        })
    }

    // ----- check-ins -------------------------------------------------------

    /// Records a check-in; returns its id.
    pub fn add_check_in(&mut self, check_in: &NewCheckIn) -> Result<Id> {
        let c = check_in.validate(now())?;
        self.edit(&SpaceKind::Personal, |_, e| {
            let (id, obj) = e.create(CHECK_INS)?;
            put_time(e.tx, &obj, "occurred_at", c.occurred_at)?;
            e.tx.put(&obj, "mood", i64::from(c.mood))?;
            if let Some(energy) = c.energy {
                e.tx.put(&obj, "energy", i64::from(energy))?;
            }
            put_str_list(e.tx, &obj, "tags", &c.tags)?;
            put_opt_str(e.tx, &obj, "note", c.note.as_deref())?;
            Ok(id)
        })
    }

    /// One check-in.
    pub fn check_in(&mut self, id: &Id) -> Result<CheckIn> {
        self.index(&SpaceKind::Personal)?;
        for sp in self.goal_spaces()? {
            if let Some(c) = self.space_by_id(&sp)?.index.check_ins.get(id) {
                return Ok(c.clone());
            }
        }
        Err(not_found(RecordKind::CheckIn, id))
    }

    /// Check-ins whose own local date falls in `since..=until` (either end
    /// open), in the order they happened.
    pub fn check_ins(&mut self, since: Option<Date>, until: Option<Date>) -> Result<Vec<CheckIn>> {
        if let (Some(s), Some(u)) = (since, until)
            && u < s
        {
            return Err(Error::RangeReversed);
        }
        // The person's own, then copies shared with this device (a copy of
        // one of her own check-ins is the same record: shown once).
        self.index(&SpaceKind::Personal)?;
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<CheckIn> = Vec::new();
        for sp in self.goal_spaces()? {
            for c in self.space_by_id(&sp)?.index.check_ins.values() {
                let d = c.occurred_at.date();
                if since.is_none_or(|s| d >= s)
                    && until.is_none_or(|u| d <= u)
                    && seen.insert(c.id.clone())
                {
                    out.push(c.clone());
                }
            }
        }
        out.sort_by(|a, b| (a.occurred_at, &a.id).cmp(&(b.occurred_at, &b.id)));
        Ok(out)
    }

    /// Weekly mood summaries for the `weeks` weeks (Monday to Sunday) up to
    /// and including the week of `today`, oldest first.
    pub fn weekly_summary(
        &mut self,
        weeks: u32,
        today: Date,
    ) -> Result<Vec<crate::summary::WeekSummary>> {
        let ranges = crate::summary::week_ranges(weeks, today)?;
        let first = ranges.first().map(|r| r.0);
        let check_ins =
            self.check_ins(first, Some(today.max(ranges.last().map_or(today, |r| r.1))))?;
        Ok(crate::summary::summarise(&ranges, &check_ins))
    }

    // ----- contacts and notes ---------------------------------------------

    /// Adds a contact to the caseload space; returns its id.
    pub fn add_contact(&mut self, contact: &NewContact) -> Result<Id> {
        let c = contact.validate()?;
        self.edit(&SpaceKind::Caseload, |_, e| {
            let (id, obj) = e.create(CONTACTS)?;
            put_str(e.tx, &obj, "name", &c.name)?;
            Ok(id)
        })
    }

    /// One contact.
    pub fn contact(&mut self, id: &Id) -> Result<Contact> {
        self.index(&SpaceKind::Caseload)?
            .contacts
            .get(id)
            .cloned()
            .ok_or_else(|| not_found(RecordKind::Contact, id))
    }

    /// Contacts by name.
    pub fn contacts(&mut self) -> Result<Vec<Contact>> {
        let mut out: Vec<Contact> = self
            .index(&SpaceKind::Caseload)?
            .contacts
            .values()
            .cloned()
            .collect();
        out.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
        Ok(out)
    }

    /// Adds a draft note about a contact; returns its id.
    pub fn add_note(&mut self, note: &NewContactNote) -> Result<Id> {
        let n = note.validate()?;
        self.edit(&SpaceKind::Caseload, |index, e| {
            if !index.contacts.contains_key(&n.contact_id) {
                return Err(not_found(RecordKind::Contact, &n.contact_id));
            }
            let (id, obj) = e.create(CONTACT_NOTES)?;
            put_str(e.tx, &obj, "contact_id", n.contact_id.as_str())?;
            put_str(e.tx, &obj, "type", n.contact_type.as_str())?;
            put_str(e.tx, &obj, "setting", n.setting.as_str())?;
            put_time(e.tx, &obj, "start", n.start)?;
            put_time(e.tx, &obj, "end", n.end)?;
            put_str_list(e.tx, &obj, "goals_addressed", &n.goals_addressed)?;
            put_str_list(e.tx, &obj, "peer_activities", &n.peer_activities)?;
            put_str(e.tx, &obj, "narrative", &n.narrative)?;
            put_opt_str(e.tx, &obj, "own_words", n.own_words.as_deref())?;
            put_opt_str(e.tx, &obj, "strengths", n.strengths.as_deref())?;
            put_opt_str(e.tx, &obj, "next_steps", n.next_steps.as_deref())?;
            put_opt_date(e.tx, &obj, "next_contact", n.next_contact)?;
            put_str(e.tx, &obj, "status", NoteStatus::Draft.as_str())?;
            e.tx.put(&obj, "substance_use", n.substance_use)?;
            e.tx.put_object(&obj, "addenda", automerge::ObjType::List)?;
            Ok(id)
        })
    }

    /// One note (the caseload's record and any shared copy, shown as one;
    /// see `collaboration`), with its signatures checked.
    pub fn note(&mut self, id: &Id) -> Result<ContactNote> {
        self.merged_note(id)
    }

    /// Notes, by start time, optionally about one contact and within a date
    /// range (the note's own local start date).
    pub fn notes(
        &mut self,
        contact: Option<&Id>,
        since: Option<Date>,
        until: Option<Date>,
    ) -> Result<Vec<ContactNote>> {
        if let (Some(s), Some(u)) = (since, until)
            && u < s
        {
            return Err(Error::RangeReversed);
        }
        let index = self.index(&SpaceKind::Caseload)?;
        if let Some(c) = contact
            && !index.contacts.contains_key(c)
        {
            return Err(not_found(RecordKind::Contact, c));
        }
        let mut out = Vec::new();
        for n in self.merged_notes()? {
            let d = n.start.date();
            if contact.is_none_or(|c| &n.contact_id == c)
                && since.is_none_or(|s| d >= s)
                && until.is_none_or(|u| d <= u)
            {
                out.push(n);
            }
        }
        out.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        Ok(out)
    }

    /// Changes a draft note. A signed note is never edited.
    pub fn update_note(&mut self, id: &Id, changes: &NoteChanges) -> Result<()> {
        let sp = self.note_space(id)?;
        self.edit_in(&sp, |index, e| {
            let current = index
                .notes
                .get(id)
                .ok_or_else(|| not_found(RecordKind::ContactNote, id))?;
            if current.status != NoteStatus::Draft {
                return Err(Error::NoteSigned { id: id.to_string() });
            }
            let c = changes.validate(current)?;
            let obj = e.update(CONTACT_NOTES, id)?;
            if let Some(v) = &c.contact_type {
                put_str(e.tx, &obj, "type", v.as_str())?;
            }
            if let Some(v) = &c.setting {
                put_str(e.tx, &obj, "setting", v.as_str())?;
            }
            if let Some(v) = c.start {
                put_time(e.tx, &obj, "start", v)?;
            }
            if let Some(v) = c.end {
                put_time(e.tx, &obj, "end", v)?;
            }
            if let Some(v) = &c.goals_addressed {
                put_str_list(e.tx, &obj, "goals_addressed", v)?;
            }
            if let Some(v) = &c.peer_activities {
                put_str_list(e.tx, &obj, "peer_activities", v)?;
            }
            if let Some(v) = &c.narrative {
                put_str(e.tx, &obj, "narrative", v)?;
            }
            for (key, v) in [
                ("own_words", &c.own_words),
                ("strengths", &c.strengths),
                ("next_steps", &c.next_steps),
            ] {
                if let Some(v) = v {
                    put_opt_str(e.tx, &obj, key, v.as_deref())?;
                }
            }
            if let Some(v) = c.next_contact {
                put_opt_date(e.tx, &obj, "next_contact", v)?;
            }
            if let Some(v) = c.substance_use {
                e.tx.put(&obj, "substance_use", v)?;
            }
            Ok(())
        })?;
        self.mirror_note(id)
    }

    /// Signs a draft note: its words are kept as they are from now on.
    /// The signer's key and an Ed25519 signature over the note's words go
    /// with it, so anyone it is shared with can see who signed, when, and
    /// that the words are as signed.
    pub fn sign_note(&mut self, id: &Id) -> Result<()> {
        let sp = self.note_space(id)?;
        let current = self
            .space_by_id(&sp)?
            .index
            .notes
            .get(id)
            .cloned()
            .ok_or_else(|| not_found(RecordKind::ContactNote, id))?;
        if current.status != NoteStatus::Draft {
            return Err(Error::NoteSigned { id: id.to_string() });
        }
        let at = now().replace_nanosecond(0).unwrap_or_else(|_| now());
        let name = self.label();
        let (key, sig) = self.note_signature(&current, &crate::model::format_time(at), &name);
        self.edit_in(&sp, |index, e| {
            let current = index
                .notes
                .get(id)
                .ok_or_else(|| not_found(RecordKind::ContactNote, id))?;
            if current.status != NoteStatus::Draft {
                return Err(Error::NoteSigned { id: id.to_string() });
            }
            let obj = e.update(CONTACT_NOTES, id)?;
            put_str(e.tx, &obj, "status", NoteStatus::Signed.as_str())?;
            put_time(e.tx, &obj, "signed_at", at)?;
            put_str(e.tx, &obj, "signed_by", e.stamp.device)?;
            put_str(e.tx, &obj, "signed_by_name", &name)?;
            put_str(e.tx, &obj, "signer_key", &key)?;
            put_str(e.tx, &obj, "signature", &sig)?;
            Ok(())
        })?;
        self.mirror_note(id)
    }

    /// Adds later words to a signed note; returns the addendum's id.
    pub fn add_addendum(&mut self, id: &Id, text: &str) -> Result<Id> {
        let text = crate::model::note_addendum_text(text)?;
        let sp = self.note_space(id)?;
        self.edit_in(&sp, |index, e| {
            let current = index
                .notes
                .get(id)
                .ok_or_else(|| not_found(RecordKind::ContactNote, id))?;
            if current.status == NoteStatus::Draft {
                return Err(Error::NoteNotSigned { id: id.to_string() });
            }
            let coll = e.update(CONTACT_NOTES, id)?;
            let entry = push_map(e.tx, &coll, "addenda")?;
            let aid = Id::random()?;
            put_str(e.tx, &entry, "id", aid.as_str())?;
            put_time(e.tx, &entry, "at", e.stamp.at)?;
            put_str(e.tx, &entry, "by", e.stamp.device)?;
            put_str(e.tx, &entry, "text", &text)?;
            Ok(aid)
        })
        .and_then(|aid| self.mirror_note(id).map(|()| aid))
    }

    /// True if the caseload holds a note flagged as substance-use content.
    pub fn has_sensitive_notes(&mut self) -> Result<bool> {
        Ok(self
            .index(&SpaceKind::Caseload)?
            .notes
            .values()
            .any(|n| n.substance_use))
    }
}
