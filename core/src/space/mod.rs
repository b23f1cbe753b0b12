//! A space: one automerge document of records, and an index of them.
//!
//! Why an index: reading the whole document into structs costs about
//! 25 µs per object, so a 10k-record space would pay ~240 ms on every
//! write if it were hydrated each time. Instead a space reads every record
//! once when it is first opened, and after each edit re-reads only the
//! records that edit touched.
//!
//! The document root carries a schema version. A document from a newer
//! schema opens read-only: its records are shown as far as this version
//! understands them, and nothing is written that could disturb them.

pub(crate) mod edit;
pub(crate) mod fields;
pub(crate) mod guard;
pub(crate) mod plan_records;
pub(crate) mod records;
pub(crate) mod replay;
pub(crate) mod touched;
pub(crate) mod untrusted;

use std::collections::HashMap;

use automerge::{
    ActorId, Automerge, LoadOptions, ObjId, ObjType, OnPartialLoad, ROOT, ReadDoc,
    transaction::Transactable,
};

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::model::{CheckIn, Contact, ContactNote, Goal, stored_enum};
use crate::store::{Chunk, ChunkKind};
use fields::{get_i64, get_obj};
use records::*;

/// The schema version this build writes into a document's root.
pub const SCHEMA_VERSION: i64 = 1;

stored_enum!(
    /// What a space is for.
    SpaceKind, "space kind" {
        /// One person's own devices: goals and check-ins.
        Personal => "personal",
        /// One worker's devices: contacts and contact notes.
        Caseload => "caseload",
        /// A person and their worker (issue 4).
        Shared => "shared",
    }
);

/// The records of a space, by id.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Index {
    pub goals: HashMap<Id, Goal>,
    pub check_ins: HashMap<Id, CheckIn>,
    pub contacts: HashMap<Id, Contact>,
    pub notes: HashMap<Id, ContactNote>,
}

/// A record an edit touched, to be read again into the index.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Touched {
    pub collection: &'static str,
    pub id: Id,
}

/// A loaded space.
pub(crate) struct Space {
    pub id: String,
    pub kind: SpaceKind,
    pub doc: Automerge,
    pub read_only: bool,
    /// The last chunk read from or written to the store.
    pub last_seq: i64,
    /// Change chunks written since the last snapshot.
    pub chunks_since_snapshot: usize,
    pub index: Index,
}

impl std::fmt::Debug for Space {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Space")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("read_only", &self.read_only)
            .field("last_seq", &self.last_seq)
            .finish_non_exhaustive()
    }
}

/// The automerge actor of a device: its id bytes, so every change says
/// which device made it.
pub(crate) fn actor_for(device_id: &str) -> ActorId {
    ActorId::from(device_id.as_bytes())
}

/// The first change of a new space: schema version, kind, and the empty
/// collections. Only the space's creator writes it; every other device
/// receives it before writing, so no two devices ever create a collection
/// map under the same key.
pub(crate) fn genesis(kind: &SpaceKind, actor: ActorId) -> Result<Vec<u8>> {
    genesis_with(kind, actor, true)
}

/// A first change as the first versions made it (the four original
/// collections only): the fuzz harness's base document, whose corpus
/// builds on it, and tests of spaces made before the later collections.
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn genesis_v1(kind: &SpaceKind, actor: ActorId) -> Result<Vec<u8>> {
    genesis_with(kind, actor, false)
}

fn genesis_with(kind: &SpaceKind, actor: ActorId, later: bool) -> Result<Vec<u8>> {
    let mut doc = Automerge::new().with_actor(actor);
    let mut tx = doc.transaction();
    let built: std::result::Result<(), automerge::AutomergeError> = (|| {
        tx.put(ROOT, "schema", SCHEMA_VERSION)?;
        tx.put(ROOT, "kind", kind.as_str())?;
        for c in COLLECTIONS.into_iter().chain(UNINDEXED) {
            if kind_has(kind, c) && (later || COLLECTIONS.contains(&c)) {
                tx.put_object(ROOT, c, ObjType::Map)?;
            }
        }
        Ok(())
    })();
    built.map_err(|_| Error::Damaged {
        space: kind.as_str().to_owned(),
        what: "the new document could not be built".into(),
    })?;
    tx.commit();
    Ok(doc.save())
}

/// True if spaces of `kind` hold collection `c` (every kind holds the
/// first four, as before; the later ones only where they are used).
fn kind_has(kind: &SpaceKind, c: &str) -> bool {
    match c {
        PLAN_ITEMS | CRISIS_LINES | RESOURCES => {
            matches!(kind, SpaceKind::Personal | SpaceKind::Shared)
        }
        PLAN_SECTIONS | SUGGESTIONS | ANSWERS | CONTACT_PREFS => *kind == SpaceKind::Shared,
        PLANNED_CONTACTS => *kind == SpaceKind::Caseload,
        _ => true,
    }
}

impl Space {
    /// Builds a space from its stored chunks.
    pub(crate) fn load(
        id: String,
        kind: SpaceKind,
        chunks: Vec<Chunk>,
        actor: ActorId,
    ) -> Result<Space> {
        let label = kind.as_str().to_owned();
        let damaged = |what: &str| Error::Damaged {
            space: label.clone(),
            what: what.to_owned(),
        };
        let mut last_seq = 0;
        let mut chunks_since_snapshot = 0;
        // One load of everything: a snapshot followed by change chunks is a
        // valid automerge byte stream, and one load is much faster than a
        // load_incremental per chunk.
        let mut all = zeroize::Zeroizing::new(Vec::with_capacity(
            chunks.iter().map(|c| c.bytes.len()).sum(),
        ));
        for chunk in &chunks {
            all.extend_from_slice(&chunk.bytes);
            last_seq = chunk.seq;
            match chunk.kind {
                ChunkKind::Snapshot => chunks_since_snapshot = 0,
                ChunkKind::Changes => chunks_since_snapshot += 1,
            }
        }
        let mut doc = if all.is_empty() {
            Automerge::new()
        } else {
            Automerge::load_with_options(
                &all,
                LoadOptions::new().on_partial_load(OnPartialLoad::Error),
            )
            .map_err(|_| damaged("its document could not be read"))?
        };
        if !doc.get_missing_deps(&[]).is_empty() {
            return Err(damaged("some saved changes are missing"));
        }
        doc.set_actor(actor);
        let mut space = Space {
            id,
            kind,
            doc,
            read_only: false,
            last_seq,
            chunks_since_snapshot,
            index: Index::default(),
        };
        space.read_only = space.schema() > SCHEMA_VERSION;
        space.reindex_all();
        Ok(space)
    }

    /// The schema version in the document's root.
    pub(crate) fn schema(&self) -> i64 {
        get_i64(&self.doc, &ROOT, "schema").unwrap_or(SCHEMA_VERSION)
    }

    /// True once the document has its root (genesis): a space joined by
    /// pairing has none until its first sync.
    pub(crate) fn has_root(&self) -> bool {
        get_i64(&self.doc, &ROOT, "schema").is_some()
    }

    /// Applies chunks another writer stored after ours.
    pub(crate) fn catch_up(&mut self, chunks: Vec<Chunk>) -> Result<()> {
        if chunks.is_empty() {
            return Ok(());
        }
        for chunk in chunks {
            self.doc
                .load_incremental(&chunk.bytes)
                .map_err(|_| Error::Damaged {
                    space: self.kind.as_str().to_owned(),
                    what: "a saved change could not be read".into(),
                })?;
            self.last_seq = chunk.seq;
            match chunk.kind {
                ChunkKind::Snapshot => self.chunks_since_snapshot = 0,
                ChunkKind::Changes => self.chunks_since_snapshot += 1,
            }
        }
        self.read_only = self.schema() > SCHEMA_VERSION;
        self.reindex_all();
        Ok(())
    }

    /// The map object of a collection, if the document has it.
    pub(crate) fn collection(&self, name: &str) -> Option<ObjId> {
        get_obj(&self.doc, &ROOT, name, ObjType::Map)
    }

    /// Reads every record into the index, one `hydrate` per collection.
    /// A record's whole value (every field, known or not), to copy it into
    /// another space.
    pub(crate) fn record_value(
        &self,
        collection: &str,
        id: &Id,
    ) -> Option<automerge::hydrate::Value> {
        let coll = self.collection(collection)?;
        let obj = get_obj(&self.doc, &coll, id.as_str(), ObjType::Map)?;
        automerge::ReadDoc::hydrate(&self.doc, &obj, None).ok()
    }

    /// Every record of a collection the index does not keep (read
    /// rarely), as hydrated maps by id.
    pub(crate) fn unindexed_records(&self, collection: &str) -> Vec<(Id, automerge::hydrate::Map)> {
        let Some(coll) = self.collection(collection) else {
            return Vec::new();
        };
        let Ok(automerge::hydrate::Value::Map(records)) = ReadDoc::hydrate(&self.doc, &coll, None)
        else {
            return Vec::new();
        };
        records
            .iter()
            .filter_map(|(key, value)| match (Id::parse(key), &value.value) {
                (Some(id), automerge::hydrate::Value::Map(m)) => Some((id, m.clone())),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn reindex_all(&mut self) {
        self.index = Index::default();
        for c in COLLECTIONS {
            let Some(coll) = self.collection(c) else {
                continue;
            };
            let Ok(automerge::hydrate::Value::Map(records)) =
                ReadDoc::hydrate(&self.doc, &coll, None)
            else {
                continue;
            };
            for (key, value) in records.iter() {
                if let (Some(id), automerge::hydrate::Value::Map(m)) =
                    (Id::parse(key), &value.value)
                {
                    self.index_one(c, id, View(m));
                }
            }
        }
    }

    /// Re-reads only the records that `patches` touch (logged while a
    /// pull's changes applied): each patch's path starts at a collection
    /// and a record id. A change to the root itself (a new collection, a
    /// schema bump) re-reads everything.
    pub(crate) fn reindex_patches(&mut self, patches: Vec<automerge::Patch>) {
        let mut touched: Vec<Touched> = Vec::new();
        for patch in patches {
            let key = |p: &automerge::Prop| match p {
                automerge::Prop::Map(k) => Some(k.clone()),
                automerge::Prop::Seq(_) => None,
            };
            let (collection, id) = match patch.path.as_slice() {
                [] => match &patch.action {
                    // A put or delete on a collection map itself.
                    automerge::PatchAction::PutMap { key, .. }
                    | automerge::PatchAction::DeleteMap { key } => {
                        if COLLECTIONS.contains(&key.as_str()) {
                            self.reindex_all();
                            return;
                        }
                        continue;
                    }
                    _ => continue,
                },
                [(_, coll)] => match (&patch.action, key(coll)) {
                    (
                        automerge::PatchAction::PutMap { key, .. }
                        | automerge::PatchAction::DeleteMap { key },
                        Some(c),
                    ) => (c, key.clone()),
                    _ => continue,
                },
                [(_, coll), (_, rec), ..] => match (key(coll), key(rec)) {
                    (Some(c), Some(r)) => (c, r),
                    _ => continue,
                },
            };
            let Some(collection) = COLLECTIONS.iter().find(|c| **c == collection) else {
                continue;
            };
            let Some(id) = Id::parse(&id) else { continue };
            if !touched
                .iter()
                .any(|t| t.collection == *collection && t.id == id)
            {
                touched.push(Touched { collection, id });
            }
        }
        self.reindex(&touched);
    }

    /// Reads the records an edit touched into the index.
    pub(crate) fn reindex(&mut self, touched: &[Touched]) {
        for t in touched {
            let Some(coll) = self.collection(t.collection) else {
                continue;
            };
            let record = get_obj(&self.doc, &coll, t.id.as_str(), ObjType::Map)
                .and_then(|obj| ReadDoc::hydrate(&self.doc, &obj, None).ok());
            match record {
                Some(automerge::hydrate::Value::Map(m)) => {
                    self.index_one(t.collection, t.id.clone(), View(&m))
                }
                _ => self.unindex(t.collection, &t.id),
            }
        }
    }

    fn index_one(&mut self, collection: &str, id: Id, view: View<'_>) {
        match collection {
            GOALS => {
                let r = read_goal(&id, view);
                self.index.goals.insert(id, r);
            }
            CHECK_INS => {
                let r = read_check_in(&id, view);
                self.index.check_ins.insert(id, r);
            }
            CONTACTS => {
                let r = read_contact(&id, view);
                self.index.contacts.insert(id, r);
            }
            CONTACT_NOTES => {
                let r = read_note(&id, view);
                self.index.notes.insert(id, r);
            }
            _ => {}
        }
    }

    fn unindex(&mut self, collection: &str, id: &Id) {
        match collection {
            GOALS => drop(self.index.goals.remove(id)),
            CHECK_INS => drop(self.index.check_ins.remove(id)),
            CONTACTS => drop(self.index.contacts.remove(id)),
            CONTACT_NOTES => drop(self.index.notes.remove(id)),
            _ => {}
        }
    }
}
