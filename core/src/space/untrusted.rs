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

    #[test]
    fn the_test_hook_panics_inside_the_guard() {
        PANIC_NEXT.with(|p| p.set(true));
        let mut doc = Automerge::new();
        assert_eq!(load_incremental(&mut doc, &[]), Err(Refused::Panicked));
        assert_eq!(load_incremental(&mut doc, &[]), Ok(()));
    }
}
