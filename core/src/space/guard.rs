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
