//! Which records a member's changes touched, read from their operations.
//!
//! Why not automerge's patches: to name the record a patch is about,
//! automerge's `PatchBuilder` finds each object's key in its parent by
//! walking every entry of the parent map. A record's parent is its
//! collection, so applying one check-in to a space of 10,000 check-ins
//! walked all 10,000 (about three quarters of applying a change, measured
//! by `apply_bench` under `perf`), and a live sync grew slower as the
//! space grew.
//!
//! A change's operations say which objects they write to. Each object's
//! place in the document comes from automerge's object index
//! (`ReadDoc::parents`, a lookup by the object's id, not a walk), so the
//! cost follows the size of the change, not of the space. Anything this
//! cannot read plainly (a change that does not decode, an object the
//! document does not hold, a write to the root's collections) asks for
//! every record to be read again: slower, never wrong.
//!
//! Run only on changes automerge has already applied to the document, so
//! every object they name is there.

use std::collections::HashMap;

use automerge::legacy::{Key, ObjectId};
use automerge::{Automerge, ObjId as ExId, Prop, ReadDoc};

use super::replay::change_chunks;
use super::{COLLECTIONS, Touched};
use crate::ids::Id;

/// What to read again into the index after changes applied.
#[derive(Debug, PartialEq)]
pub(crate) enum Reread {
    /// Only these records.
    Records(Vec<Touched>),
    /// Every record (the changes could not be read plainly).
    All,
}

/// Where an object sits: under which record, if any.
#[derive(Clone, Debug, PartialEq)]
enum Place {
    /// The document's root.
    Root,
    /// A collection map itself.
    Collection(&'static str),
    /// A record, or an object inside one.
    InRecord(&'static str, Id),
    /// Somewhere no record lives (the plan, the schema...).
    Elsewhere,
}

/// The records the applied `changes` (each a run of automerge change
/// chunks, as an envelope carries them) write to.
pub(crate) fn records_touched(doc: &Automerge, changes: &[&[u8]]) -> Reread {
    let outer = super::untrusted::enter_guard();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut places: HashMap<ObjectId, Place> = HashMap::new();
        let mut touched: Vec<Touched> = Vec::new();
        for bytes in changes {
            for chunk in change_chunks(bytes)? {
                let change = automerge::Change::try_from(chunk).ok()?;
                for op in change.decode().operations {
                    let place = match places.get(&op.obj) {
                        Some(p) => p.clone(),
                        None => {
                            let p = place_of(doc, &op.obj)?;
                            places.insert(op.obj.clone(), p.clone());
                            p
                        }
                    };
                    let record = match (place, &op.key) {
                        (Place::Root, Key::Map(k)) if COLLECTIONS.contains(&k.as_str()) => {
                            return None;
                        }
                        (Place::Collection(c), Key::Map(k)) => Some((c, Id::parse(k))),
                        (Place::InRecord(c, id), _) => Some((c, Some(id))),
                        _ => None,
                    };
                    if let Some((collection, Some(id))) = record
                        && !touched
                            .iter()
                            .any(|t| t.collection == collection && t.id == id)
                    {
                        touched.push(Touched { collection, id });
                    }
                }
            }
        }
        Some(touched)
    }));
    super::untrusted::leave_guard(outer);
    match result {
        Ok(Some(t)) => Reread::Records(t),
        _ => Reread::All,
    }
}

/// Where `obj` sits in `doc`; `None` if the document does not hold it.
fn place_of(doc: &Automerge, obj: &ObjectId) -> Option<Place> {
    let id = match obj {
        ObjectId::Root => return Some(Place::Root),
        // The actor's index in this document is looked up by automerge
        // when the one given does not match.
        ObjectId::Id(op) => ExId::Id(op.counter(), op.actor().clone(), usize::MAX),
    };
    // `parents` unwraps a missing object: check it is there first.
    doc.object_type(&id).ok()?;
    let path = doc.parents(&id).ok()?.path();
    let key = |p: &Prop| match p {
        Prop::Map(k) => Some(k.clone()),
        Prop::Seq(_) => None,
    };
    let collection = match path.first() {
        Some((ExId::Root, p)) => key(p).and_then(|k| COLLECTIONS.iter().find(|c| **c == k)),
        _ => None,
    };
    let Some(collection) = collection else {
        return Some(Place::Elsewhere);
    };
    Some(match path.get(1) {
        None => Place::Collection(collection),
        Some((_, p)) => match key(p).and_then(|k| Id::parse(&k)) {
            Some(id) => Place::InRecord(collection, id),
            None => Place::Elsewhere,
        },
    })
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ActorId, AutoCommit, ObjType, ROOT};

    use super::*;
    use crate::space::records::{CHECK_INS, GOALS};

    fn id(n: u8) -> Id {
        Id::parse(&format!("{:032x}", n)).expect("an id")
    }

    /// A document with two check-ins and a goal with a list of steps, and
    /// a copy of it for another device to change.
    fn docs() -> (AutoCommit, AutoCommit) {
        let mut d = AutoCommit::new().with_actor(ActorId::from(&[1u8; 16][..]));
        d.put(ROOT, "schema", 1).unwrap();
        let c = d.put_object(ROOT, CHECK_INS, ObjType::Map).unwrap();
        for n in [1, 2] {
            let r = d.put_object(&c, id(n).as_str(), ObjType::Map).unwrap();
            d.put(&r, "mood", 3).unwrap();
        }
        let g = d.put_object(ROOT, GOALS, ObjType::Map).unwrap();
        let r = d.put_object(&g, id(3).as_str(), ObjType::Map).unwrap();
        let steps = d.put_object(&r, "steps", ObjType::List).unwrap();
        let step = d.insert_object(&steps, 0, ObjType::Map).unwrap();
        d.put(&step, "text", "call").unwrap();
        d.commit();
        let other = d.fork().with_actor(ActorId::from(&[2u8; 16][..]));
        (d, other)
    }

    fn apply(d: &mut AutoCommit, other: &mut AutoCommit) -> (Automerge, Vec<u8>) {
        let heads = d.get_heads();
        let bytes = other.save_after(&heads);
        let mut doc = Automerge::load(&d.save()).unwrap();
        doc.load_incremental(&bytes).unwrap();
        (doc, bytes)
    }

    fn obj(d: &AutoCommit, path: &[&str]) -> automerge::ObjId {
        let mut o = ROOT;
        for k in path {
            o = d.get(&o, *k).unwrap().unwrap().1;
        }
        o
    }

    fn touched(r: Reread) -> Vec<(&'static str, Id)> {
        match r {
            Reread::Records(t) => t.into_iter().map(|t| (t.collection, t.id)).collect(),
            Reread::All => panic!("expected records, got all"),
        }
    }

    #[test]
    fn a_field_a_new_record_a_deletion_and_a_nested_list_name_their_records() {
        let (mut d, mut other) = docs();
        let c = obj(&other, &[CHECK_INS]);
        let one = obj(&other, &[CHECK_INS, id(1).as_str()]);
        other.put(&one, "mood", 5).unwrap();
        other.delete(&c, id(2).as_str()).unwrap();
        let new = other.put_object(&c, id(4).as_str(), ObjType::Map).unwrap();
        let tags = other.put_object(&new, "tags", ObjType::List).unwrap();
        other.insert(&tags, 0, "walk").unwrap();
        let steps = obj(&other, &[GOALS, id(3).as_str(), "steps"]);
        let step = other.get(&steps, 0).unwrap().unwrap().1;
        other.put(&step, "text", "call Sam").unwrap();
        other.commit();
        let (doc, bytes) = apply(&mut d, &mut other);
        let got = touched(records_touched(&doc, &[&bytes]));
        assert_eq!(
            got,
            vec![
                (CHECK_INS, id(1)),
                (CHECK_INS, id(2)),
                (CHECK_INS, id(4)),
                (GOALS, id(3)),
            ]
        );
    }

    #[test]
    fn a_change_outside_any_record_touches_none() {
        let (mut d, mut other) = docs();
        let plan = other.put_object(ROOT, "plan_note", ObjType::Map).unwrap();
        other.put(&plan, "x", 1).unwrap();
        other.put(ROOT, "schema", 1).unwrap();
        other.commit();
        let (doc, bytes) = apply(&mut d, &mut other);
        assert_eq!(touched(records_touched(&doc, &[&bytes])), vec![]);
    }

    #[test]
    fn a_new_collection_or_unreadable_bytes_reread_everything() {
        let (mut d, mut other) = docs();
        let c = other.put_object(ROOT, CHECK_INS, ObjType::Map).unwrap();
        other.put_object(&c, id(9).as_str(), ObjType::Map).unwrap();
        other.commit();
        let (doc, bytes) = apply(&mut d, &mut other);
        assert_eq!(records_touched(&doc, &[&bytes]), Reread::All);
        assert_eq!(records_touched(&doc, &[b"not automerge"]), Reread::All);
        // A change naming an object this document does not hold.
        let (_, stranger) = docs();
        let mut stranger = stranger.with_actor(ActorId::from(&[3u8; 16][..]));
        let elsewhere = stranger.put_object(ROOT, "x", ObjType::Map).unwrap();
        stranger.commit();
        stranger.put(&elsewhere, "y", 1).unwrap();
        stranger.commit();
        let last = stranger
            .get_last_local_change()
            .unwrap()
            .raw_bytes()
            .to_vec();
        assert_eq!(records_touched(&doc, &[&last]), Reread::All);
    }
}
