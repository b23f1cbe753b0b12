//! What only the person may change in a space they share.
//!
//! A shared space has members who may all write: the person and their
//! worker. The log's roles say who may write at all; they cannot say
//! *what*. The person's plan, their answers to a worker's suggestions and
//! their contact preferences must be theirs alone ("the worker can only
//! suggest"), and the relay cannot enforce that: it sees only ciphertext.
//! So every device checks it, before applying a change from a device that
//! is not one of the person's own ([`kindred_protocol::Membership::person`]).
//!
//! How: automerge changes are lists of operations, each naming the object
//! it changes. The person-only collections ([`PERSON_ONLY`]) and every
//! object inside them are collected from the document as it is; a change
//! is refused if any of its operations
//! - puts or deletes a person-only collection at the document's root,
//! - changes one of those objects, or
//! - changes an object this document does not have and the change itself
//!   did not make (it could be inside one of them: refused rather than
//!   guessed; a real member's change only touches what it has seen, which
//!   arrives before it).
//!
//! Refused changes are set aside (quarantined) like any other change that
//! fails its checks, so a worker's device cannot write the plan even by
//! writing the document directly.

use std::collections::HashSet;

use automerge::{Automerge, ObjType, ROOT, ReadDoc};

use super::records::PERSON_ONLY;
use super::replay::change_chunks;

/// The ids (`counter@actor`) of every person-only object in `doc`.
pub(crate) fn person_only_objects(doc: &Automerge) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut stack = Vec::new();
    for c in PERSON_ONLY {
        // Every value the root holds under the name, conflicts included.
        for (value, id) in doc.get_all(ROOT, c).unwrap_or_default() {
            if let automerge::Value::Object(_) = value {
                stack.push(id);
            }
        }
    }
    while let Some(obj) = stack.pop() {
        out.insert(obj.to_string());
        let kind = doc.object_type(&obj).ok();
        let children: Vec<automerge::ObjId> = match kind {
            Some(ObjType::Map) | Some(ObjType::Table) => doc
                .map_range(&obj, ..)
                .flat_map(|item| {
                    let key = item.key.to_string();
                    doc.get_all(&obj, key.as_str()).unwrap_or_default()
                })
                .filter_map(|(v, id)| matches!(v, automerge::Value::Object(_)).then_some(id))
                .collect(),
            Some(ObjType::List) | Some(ObjType::Text) => (0..doc.length(&obj))
                .flat_map(|i| doc.get_all(&obj, i).unwrap_or_default())
                .filter_map(|(v, id)| matches!(v, automerge::Value::Object(_)).then_some(id))
                .collect(),
            None => Vec::new(),
        };
        stack.extend(children);
    }
    out
}

/// Why a change was refused.
pub(crate) const PERSON_ONLY_REASON: &str =
    "it changes what only the person can change (their plan, answers or contact preferences)";

/// True if the change bytes touch a person-only object of `doc` (whose
/// person-only objects are `owned`), or cannot be read to tell.
pub(crate) fn touches_person_only(doc: &Automerge, owned: &HashSet<String>, bytes: &[u8]) -> bool {
    let Some(chunks) = change_chunks(bytes) else {
        return true;
    };
    let outer = super::untrusted::enter_guard();
    let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut made: HashSet<String> = HashSet::new();
        for chunk in chunks {
            let Ok(change) = automerge::Change::try_from(chunk) else {
                return true;
            };
            let actor = change.actor_id().clone();
            let start = change.start_op().get();
            let expanded = change.decode();
            for (i, op) in expanded.operations.iter().enumerate() {
                let target = op.obj.to_string();
                if op.obj == automerge::legacy::ObjectId::Root {
                    if let automerge::legacy::Key::Map(k) = &op.key
                        && PERSON_ONLY.contains(&k.as_str())
                    {
                        return true;
                    }
                } else if owned.contains(&target)
                    || (!made.contains(&target) && doc.import(&target).is_err())
                {
                    return true;
                }
                if op.obj_type().is_some() {
                    made.insert(format!("{}@{}", start + i as u64, actor));
                }
            }
        }
        false
    }));
    super::untrusted::leave_guard(outer);
    verdict.unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ActorId, Automerge, ObjType, ROOT};

    use super::*;

    /// A change by another device (its actor) on top of `base`.
    fn change_on(
        base: &Automerge,
        actor: &str,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>),
    ) -> Vec<u8> {
        let mut doc = base.fork().with_actor(ActorId::from(actor.as_bytes()));
        let heads = doc.get_heads();
        let mut tx = doc.transaction();
        f(&mut tx);
        tx.commit();
        doc.save_after(&heads)
    }

    fn base() -> (Automerge, automerge::ObjId, automerge::ObjId) {
        let mut doc = Automerge::new().with_actor(ActorId::from(b"person".as_slice()));
        let mut tx = doc.transaction();
        let goals = tx.put_object(ROOT, "goals", ObjType::Map).unwrap();
        let plan = tx.put_object(ROOT, "plan_items", ObjType::Map).unwrap();
        let item = tx.put_object(&plan, "i1", ObjType::Map).unwrap();
        tx.put(&item, "text", "hers").unwrap();
        let g = tx.put_object(&goals, "g1", ObjType::Map).unwrap();
        tx.put(&g, "title", "a goal").unwrap();
        tx.commit();
        (doc, item, g)
    }

    #[test]
    fn changes_to_her_plan_are_caught_and_others_pass() {
        let (doc, item, g) = base();
        let owned = person_only_objects(&doc);
        assert!(owned.contains(&item.to_string()));
        let into_item = change_on(&doc, "worker", |tx| {
            tx.put(&item, "text", "theirs").unwrap()
        });
        assert!(touches_person_only(&doc, &owned, &into_item));
        let new_root = change_on(&doc, "worker", |tx| {
            tx.put_object(ROOT, "plan_items", ObjType::Map).unwrap();
        });
        assert!(touches_person_only(&doc, &owned, &new_root));
        let nested = change_on(&doc, "worker", |tx| {
            let l = tx.put_object(&item, "list", ObjType::List).unwrap();
            tx.insert(&l, 0, "x").unwrap();
        });
        assert!(touches_person_only(&doc, &owned, &nested));
        // Their own records, and objects they make, are theirs to write.
        let goal = change_on(&doc, "worker", |tx| {
            tx.put(&g, "title", "edited").unwrap();
            let s = tx
                .put_object(ROOT, "plan_suggestions", ObjType::Map)
                .unwrap();
            let r = tx.put_object(&s, "s1", ObjType::Map).unwrap();
            tx.put(&r, "text", "an idea").unwrap();
        });
        assert!(!touches_person_only(&doc, &owned, &goal));
        assert!(touches_person_only(&doc, &owned, b"not automerge"));
    }

    #[test]
    fn an_edit_to_a_record_deleted_meanwhile_is_not_refused() {
        // The worker edits a goal while the person deletes it: the
        // worker's change names an object this document deleted. Refusing
        // it would hold every later change of theirs.
        let (mut doc, _, g) = base();
        let edit = change_on(&doc, "worker", |tx| tx.put(&g, "title", "edited").unwrap());
        let mut tx = doc.transaction();
        let goals = match automerge::ReadDoc::get(&tx, ROOT, "goals").unwrap() {
            Some((_, id)) => id,
            None => panic!("goals"),
        };
        tx.delete(&goals, "g1").unwrap();
        tx.commit();
        let owned = person_only_objects(&doc);
        assert!(!touches_person_only(&doc, &owned, &edit));
    }
}
