//! Applying bytes another member wrote: changes and snapshots pulled from
//! the relay, and held changes queued again on load.
//!
//! Why a guard: automerge has open panics on malformed input (issue 13).
//! A member's bytes that panic the CRDT library must not take the whole
//! sync down with them, nor leave the cursor stuck on the same envelope
//! for ever. Every load of member bytes runs under `catch_unwind`; a
//! panic comes back as [`Refused::Panicked`], which the caller quarantines
//! like any other envelope that fails its checks. The document a panic
//! interrupted may be half-changed, so the caller rebuilds it from what is
//! committed before going on (see `sync::pull`).
//!
//! This needs the library built with `panic = "unwind"` (the workspace
//! never sets `abort`; the mobile profile says `unwind` explicitly).

use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::{Automerge, PatchLog};

/// Why member bytes were not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Automerge refused them with an error.
    Invalid,
    /// Automerge panicked on them; the document must be rebuilt.
    Panicked,
}

impl Refused {
    /// The plain reason kept with a quarantined envelope.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Refused::Invalid => "not valid automerge",
            Refused::Panicked => {
                "its changes could not be read (they made the document reader fail)"
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Test-only: the next guarded load panics inside the guard. Unused by
    /// the attack tests, which use a real panicking input; it checks the
    /// guard's own recovery path without depending on automerge's bugs.
    pub(crate) static PANIC_NEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

thread_local! {
    static IN_GUARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while this thread runs member bytes through automerge (the fuzz
/// targets' panic hook lets only such panics unwind).
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn in_guard() -> bool {
    IN_GUARD.with(|g| g.get())
}

/// Marks this thread as reading member bytes (for code that runs its own
/// `catch_unwind`, like the person-only check); returns what to restore.
pub(crate) fn enter_guard() -> bool {
    IN_GUARD.with(|g| g.replace(true))
}

/// Restores what [`enter_guard`] returned.
pub(crate) fn leave_guard(outer: bool) {
    IN_GUARD.with(|g| g.set(outer));
}

fn guarded<T>(f: impl FnOnce() -> Result<T, automerge::AutomergeError>) -> Result<T, Refused> {
    let outer = IN_GUARD.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(|| {
        #[cfg(test)]
        if PANIC_NEXT.with(|p| p.replace(false)) {
            panic!("test hook: a panic inside the guard");
        }
        f()
    }));
    IN_GUARD.with(|g| g.set(outer));
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) => Err(Refused::Invalid),
        Err(_) => Err(Refused::Panicked),
    }
}

/// Applies one member's change bytes, logging what they touch.
pub(crate) fn apply_change(
    doc: &mut Automerge,
    bytes: &[u8],
    log: &mut PatchLog,
) -> Result<(), Refused> {
    guarded(|| doc.load_incremental_log_patches(bytes, log)).map(|_| ())
}

/// What trying a page's changes in one load did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Batch {
    /// Every change applied.
    Applied,
    /// Not tried, the document untouched: a change does not read as
    /// automerge changes, or builds on one neither the document nor the
    /// batch holds. Apply them one by one (which sets the bad one aside).
    NotTried,
    /// Automerge refused or panicked part way: the document may be
    /// half-changed. Rebuild it, then apply them one by one.
    Failed,
}

/// Applies several members' changes (each an envelope's opened bytes) in
/// one automerge load, logging what they touch: one splice of the
/// document's columns for the page, where a load per envelope splices
/// them once each (what made applying cost grow with the document).
///
/// Tried only when it cannot hide a bad envelope: every chunk of every
/// envelope must first parse on its own (checksum and all), and every
/// change must build only on changes the document or the batch holds, so
/// none waits silently in automerge's queue. If the load itself fails,
/// the caller rebuilds and goes one by one, so each envelope is judged
/// (and set aside) alone, as before.
pub(crate) fn apply_batch(doc: &mut Automerge, envelopes: &[&[u8]], log: &mut PatchLog) -> Batch {
    let parsed = guarded(|| {
        let mut changes = Vec::new();
        for bytes in envelopes {
            let Some(chunks) = super::replay::change_chunks(bytes) else {
                return Ok(None);
            };
            for chunk in chunks {
                match automerge::Change::try_from(chunk) {
                    Ok(c) => changes.push(c),
                    Err(_) => return Ok(None),
                }
            }
        }
        Ok(Some(changes))
    });
    let changes = match parsed {
        Ok(Some(c)) if !c.is_empty() => c,
        _ => return Batch::NotTried,
    };
    let made: std::collections::HashSet<automerge::ChangeHash> =
        changes.iter().map(|c| c.hash()).collect();
    let needed: Vec<automerge::ChangeHash> = changes
        .iter()
        .flat_map(|c| c.deps().iter().copied())
        .filter(|d| !made.contains(d))
        .collect();
    match guarded(|| Ok(automerge::ReadDoc::get_missing_deps(doc, &needed).is_empty())) {
        Ok(true) => {}
        _ => return Batch::NotTried,
    }
    match guarded(|| doc.apply_changes_log_patches(changes, log)) {
        Ok(()) if automerge::ReadDoc::get_missing_deps(doc, &[]).is_empty() => Batch::Applied,
        _ => Batch::Failed,
    }
}

/// Loads a member's snapshot (or held change) into the document.
pub(crate) fn load_incremental(doc: &mut Automerge, bytes: &[u8]) -> Result<(), Refused> {
    guarded(|| doc.load_incremental(bytes)).map(|_| ())
}

/// Loads a whole document from member bytes (the fuzz harness's snapshot
/// path, and a first pull's snapshot).
pub(crate) fn load(bytes: &[u8]) -> Result<Automerge, Refused> {
    guarded(|| Automerge::load(bytes))
}

/// Makes the patches a log recorded; `None` if automerge panicked.
pub(crate) fn make_patches(
    doc: &mut Automerge,
    log: &mut PatchLog,
) -> Option<Vec<automerge::Patch>> {
    let outer = IN_GUARD.with(|g| g.replace(true));
    let patches = catch_unwind(AssertUnwindSafe(|| doc.make_patches(log))).ok();
    IN_GUARD.with(|g| g.set(outer));
    patches
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `engine` fuzz target (scripts/fuzz.sh engine with
    /// KINDRED_FUZZ_GUARDED=crash): a change whose actor table does not
    /// match its ops; automerge 0.12 unwraps a failed actor lookup
    /// (op_set2/change/batch.rs) instead of returning an error.
    const PANICS_AUTOMERGE: &[u8] =
        include_bytes!("../../../fuzz/regressions/engine/automerge-unknown-actor-panic");

    fn panicking_bytes() -> Vec<u8> {
        crate::fuzz::with_checksums(PANICS_AUTOMERGE).unwrap_or_else(|| PANICS_AUTOMERGE.to_vec())
    }

    #[test]
    fn a_real_automerge_panic_is_contained() {
        // With its dependencies removed it panics on any document.
        let anywhere = crate::fuzz::without_deps(&panicking_bytes()).unwrap();
        let mut doc = Automerge::new();
        assert_eq!(
            apply_change(&mut doc, &anywhere, &mut PatchLog::active()),
            Err(Refused::Panicked)
        );
        let mut doc = crate::fuzz::base_doc();
        assert_eq!(
            apply_change(&mut doc, &panicking_bytes(), &mut PatchLog::active()),
            Err(Refused::Panicked)
        );
        assert!(!in_guard());
    }

    /// A base document and three changes on it from another device, each
    /// as an envelope would carry it.
    fn three_changes() -> (Automerge, Vec<Vec<u8>>) {
        use automerge::transaction::Transactable;
        let mut base = automerge::AutoCommit::new();
        base.put(automerge::ROOT, "schema", 1).unwrap();
        base.commit();
        let doc = Automerge::load(&base.save()).unwrap();
        let mut other = base.fork();
        let mut out = Vec::new();
        for n in 0..3 {
            let heads = other.get_heads();
            other.put(automerge::ROOT, format!("k{n}"), n).unwrap();
            other.commit();
            out.push(other.save_after(&heads));
        }
        (doc, out)
    }

    #[test]
    fn a_batch_applies_what_one_by_one_would() {
        let (doc, changes) = three_changes();
        let mut batched = doc.clone();
        let envelopes: Vec<&[u8]> = changes.iter().map(|c| &c[..]).collect();
        let got = apply_batch(&mut batched, &envelopes, &mut PatchLog::active());
        assert_eq!(got, Batch::Applied);
        let mut one_by_one = doc.clone();
        for c in &changes {
            apply_change(&mut one_by_one, c, &mut PatchLog::active()).unwrap();
        }
        assert_eq!(batched.get_heads(), one_by_one.get_heads());
    }

    #[test]
    fn a_bad_or_waiting_envelope_leaves_the_batch_untried_and_the_document_untouched() {
        let (doc, changes) = three_changes();
        let mut corrupt = changes[1].clone();
        let last = corrupt.len() - 1;
        corrupt[last] ^= 0xff;
        let heads = doc.get_heads();
        for envelopes in [
            // A corrupt envelope between good ones: its checksum fails.
            vec![&changes[0][..], &corrupt[..], &changes[2][..]],
            // Not automerge at all.
            vec![&changes[0][..], b"not automerge".as_slice()],
            // Builds on a change neither the document nor the batch has.
            vec![&changes[0][..], &changes[2][..]],
        ] {
            let mut d = doc.clone();
            assert_eq!(
                apply_batch(&mut d, &envelopes, &mut PatchLog::active()),
                Batch::NotTried
            );
            assert_eq!(d.get_heads(), heads);
        }
    }

    #[test]
    fn a_batch_automerge_refuses_is_reported_failed() {
        use automerge::transaction::Transactable;
        let (doc, changes) = three_changes();
        // Two different changes with the same actor and sequence number.
        let mut base = automerge::AutoCommit::load(&doc.save()).unwrap();
        base.set_actor(automerge::ActorId::from(&[7u8; 16][..]));
        let mut a = base
            .fork()
            .with_actor(automerge::ActorId::from(&[7u8; 16][..]));
        let mut b = base
            .fork()
            .with_actor(automerge::ActorId::from(&[7u8; 16][..]));
        let heads = a.get_heads();
        a.put(automerge::ROOT, "x", 1).unwrap();
        b.put(automerge::ROOT, "x", 2).unwrap();
        let (a, b) = (a.save_after(&heads), b.save_after(&heads));
        let mut d = doc.clone();
        let envelopes = [&changes[0][..], &a[..], &b[..]];
        assert_eq!(
            apply_batch(&mut d, &envelopes, &mut PatchLog::active()),
            Batch::Failed
        );
    }

    #[test]
    fn the_test_hook_panics_inside_the_guard() {
        PANIC_NEXT.with(|p| p.set(true));
        let mut doc = Automerge::new();
        assert_eq!(load_incremental(&mut doc, &[]), Err(Refused::Panicked));
        assert_eq!(load_incremental(&mut doc, &[]), Ok(()));
    }
}
