//! The bodies of the fuzz targets (issue 13), shared by the cargo-fuzz
//! crate in `fuzz/` and by the workspace test `tests/tests/fuzz_harness.rs`
//! that drives the same functions with arbitrary bytes in CI, so both run
//! the same code.
//!
//! Each target takes arbitrary bytes and feeds them to every decoder of
//! that kind through its public entry point (the one the relay's or a
//! member's bytes reach in the app). A target returns normally for any
//! input: a panic anywhere except inside the guard around automerge (see
//! `space::untrusted`) is a bug. Written against the public decode
//! functions, so a change of a wire type needs no change here.
//!
//! Not an API for the shells: nothing here touches a store on disk.

use kindred_protocol::invite::{InviteCode, InviteMessage};
use kindred_protocol::messages::*;
use kindred_protocol::pairing::{JoinReply, JoinRequest, Offer, unbase32};
use kindred_protocol::{ChangeEnvelope, LogEntry, Membership, SnapshotEnvelope, decode, encode};

use crate::space::untrusted::{self, Refused};
use crate::space::{Space, SpaceKind, actor_for, genesis_v1};
use crate::store::{Chunk, ChunkKind, StorageKey};

/// One fuzz target: its name (the cargo-fuzz target and the folder under
/// `fuzz/regressions/`) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, in the order `scripts/fuzz.sh all` runs them.
pub const TARGETS: &[Target] = &[
    ("wire", wire),
    ("log", log),
    ("envelope", envelope),
    ("invite", invite),
    ("pairing", pairing),
    ("sealed", sealed),
    ("engine", engine),
];

/// True while a thread is inside the guard around automerge: a fuzz
/// target's panic hook lets such a panic unwind (the engine contains it)
/// and aborts on any other.
pub fn in_guard() -> bool {
    untrusted::in_guard()
}

/// For a fuzz target's `init`: panics inside the guard unwind quietly
/// (the engine contains them, as it does in the app); every other panic
/// goes to the hook installed before (libFuzzer's, which aborts: a crash).
/// With `KINDRED_FUZZ_GUARDED=crash` guarded panics crash too, to find
/// inputs that panic automerge itself (kept under fuzz/regressions/).
pub fn install_panic_hook() {
    let crash_in_guard = std::env::var("KINDRED_FUZZ_GUARDED").is_ok_and(|v| v == "crash");
    let before = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if in_guard() && !crash_in_guard {
            return;
        }
        before(info)
    }));
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Every wire message a relay can send a device, or a device a relay.
pub fn wire(data: &[u8]) {
    let _ = decode::<ChallengeRequest>(data);
    let _ = decode::<Challenge>(data);
    let _ = decode::<TokenRequest>(data);
    let _ = decode::<Token>(data);
    let _ = decode::<LogHead>(data);
    let _ = decode::<PushResult>(data);
    let _ = decode::<SpaceList>(data);
    let _ = decode::<AckCursor>(data);
    let _ = decode::<RendezvousPost>(data);
    let _ = decode::<RendezvousMessages>(data);
    let _ = decode::<Hint>(data);
    let _ = decode::<ErrorBody>(data);
    if let Ok(m) = decode::<AppendLog>(data) {
        let _ = m.entry.verify_signature();
        let _ = Membership::genesis(&m.entry);
    }
    // An erasure: its entry and its snapshot, checked as the relay does
    // before its transaction.
    if let Ok(m) = decode::<EraseSpace>(data) {
        let _ = m.entry.verify_signature();
        let _ = m.snapshot.verify_signature();
        let _ = m.entry.epoch();
        assert!(
            decode::<EraseSpace>(&encode(&m)).is_ok(),
            "an erasure did not round-trip"
        );
    }
    // What was accepted encodes and is accepted again.
    if let Ok(p) = decode::<PullPage>(data) {
        assert!(
            decode::<PullPage>(&encode(&p)).is_ok(),
            "a pull page did not round-trip"
        );
    }
}

/// Membership log entries and pages of them, verified as a device does.
pub fn log(data: &[u8]) {
    if let Ok(e) = decode::<LogEntry>(data) {
        let _ = e.signing_bytes();
        let _ = e.hash();
        let _ = e.verify_signature();
        let _ = e.epoch();
        if let Ok(m) = Membership::genesis(&e) {
            let _ = m.check(&e);
        }
        assert!(
            decode::<LogEntry>(&encode(&e)).is_ok(),
            "a log entry did not round-trip"
        );
    }
    if let Ok(page) = decode::<LogPage>(data) {
        let _ = Membership::from_log(&page.entries);
        if let Some((first, rest)) = page.entries.split_first()
            && let Ok(mut m) = Membership::genesis(first)
        {
            for e in rest {
                let _ = m.apply(e);
            }
        }
    }
}

/// Change and snapshot envelopes, alone and in pushes.
pub fn envelope(data: &[u8]) {
    if let Ok(e) = decode::<ChangeEnvelope>(data) {
        let _ = (e.key_info(), e.aad(), e.signing_bytes());
        let _ = e.verify_signature();
    }
    if let Ok(s) = decode::<SnapshotEnvelope>(data) {
        let _ = (s.key_info(), s.aad(), s.signing_bytes());
        let _ = s.verify_signature();
    }
    if let Ok(p) = decode::<Push>(data) {
        for e in &p.envelopes {
            let _ = e.verify_signature();
        }
    }
    let _ = decode::<PutSnapshot>(data);
}

/// Invite mailbox messages and typed invite codes.
pub fn invite(data: &[u8]) {
    let _ = decode::<InviteMessage>(data);
    if let Some(s) = text(data)
        && let Ok(code) = InviteCode::parse(s)
    {
        let _ = code.display();
        assert!(
            InviteCode::parse(&code.display()).is_ok(),
            "an invite code did not parse as displayed"
        );
    }
}

/// QR pairing: the offer as text (what a camera reads), the join request
/// and reply, and the mailbox opener they travel through.
pub fn pairing(data: &[u8]) {
    if let Some(s) = text(data) {
        let _ = Offer::from_text(s);
        let _ = crate::sync::parse_offer(s);
        let _ = unbase32(s);
    }
    let _ = decode::<Offer>(data);
    let _ = decode::<JoinRequest>(data);
    let _ = decode::<JoinReply>(data);
    let key = ring::aead::LessSafeKey::new(
        ring::aead::UnboundKey::new(&ring::aead::CHACHA20_POLY1305, &[7; 32])
            .expect("a 32-byte key"),
    );
    let _ = crate::sync::pairing::open(&key, data);
}

/// Sealed blobs of the local store, as if the file were altered: opened
/// for every table, and the plaintext decoders run on the bytes as well.
pub fn sealed(data: &[u8]) {
    crate::store::fuzz_open(&StorageKey::from_bytes([9; 32]), data);
    crate::sync::fuzz_plaintext(data);
    let sid = kindred_protocol::SpaceId([3; 16]);
    let dev = kindred_protocol::DeviceKey([4; 32]);
    let epoch_key = crate::crypto::EpochKey::from_slice(&[5; 32]).expect("32 bytes");
    let _ = crate::crypto::open_label(
        &epoch_key,
        &sid,
        &dev,
        &kindred_protocol::Bytes(data.to_vec()),
    );
}

thread_local! {
    static BASE: Vec<u8> = {
        let actor = actor_for("fuzz-base-device");
        // As the first versions made it: the corpus builds on these bytes.
        genesis_v1(&SpaceKind::Personal, actor).expect("a new document builds")
    };
}

/// The document the engine target applies bytes to: a new personal space.
#[cfg(test)]
pub(crate) fn base_doc() -> automerge::Automerge {
    automerge::Automerge::load(&BASE.with(|b| b.clone())).expect("the base loads")
}

fn base_space() -> Space {
    let bytes = BASE.with(|b| b.clone());
    Space::load(
        "fuzz".into(),
        SpaceKind::Personal,
        vec![Chunk {
            seq: 1,
            kind: ChunkKind::Snapshot,
            bytes: zeroize::Zeroizing::new(bytes),
        }],
        actor_for("fuzz-device"),
    )
    .expect("the base document loads")
}

/// The same bytes with every automerge chunk's checksum recomputed, if
/// any chunk header is there. A member writing malicious bytes computes
/// valid checksums; a fuzzer cannot (they are SHA-256), so without this
/// it would never get past automerge's first check.
pub fn with_checksums(data: &[u8]) -> Option<Vec<u8>> {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let mut out = data.to_vec();
    let mut at = 0usize;
    let mut fixed = false;
    while out.len() >= at + 10 && out[at..at + 4] == MAGIC {
        let (mut len, mut shift, mut i) = (0u64, 0u32, at + 9);
        loop {
            let b = *out.get(i)?;
            len |= u64::from(b & 0x7f).checked_shl(shift)?;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 56 {
                return fixed.then_some(out);
            }
        }
        let end = usize::try_from(len).ok().and_then(|l| i.checked_add(l))?;
        let end = end.min(out.len());
        let body_len = end - i;
        let mut header = vec![out[at + 8]];
        let mut n = body_len as u64;
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                header.push(b);
                break;
            }
            header.push(b | 0x80);
        }
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(&header);
        ctx.update(&out[i..end]);
        let digest = ctx.finish();
        out[at + 4..at + 8].copy_from_slice(&digest.as_ref()[..4]);
        fixed = true;
        at = end;
    }
    fixed.then_some(out)
}

/// The engine applying a member's opened envelope bytes to a space, the
/// way a pull does (`sync::pull`): counted, applied under the guard,
/// re-indexed from the records its operations touch (checked against a
/// read of every record) and from the patches; then the same bytes as a snapshot. Run on
/// the bytes as given and with their checksums made valid.
pub fn engine(data: &[u8]) {
    engine_once(data);
    if let Some(fixed) = with_checksums(data) {
        engine_once(&fixed);
    }
}

fn engine_once(data: &[u8]) {
    let _ = crate::sync::pull::changes_in(data);
    let mut space = base_space();
    let mut log = automerge::PatchLog::active();
    match untrusted::apply_change(&mut space.doc, data, &mut log) {
        Ok(()) => {
            // The records the change's operations name, read again, must
            // leave the index as a read of every record would.
            match crate::space::touched::records_touched(&space.doc, &[data]) {
                crate::space::touched::Reread::Records(t) => space.reindex(&t),
                crate::space::touched::Reread::All => space.reindex_all(),
            }
            let by_ops = std::mem::take(&mut space.index);
            space.reindex_all();
            assert!(
                by_ops == space.index,
                "re-reading the records a change touched left the index stale"
            );
            match untrusted::make_patches(&mut space.doc, &mut log) {
                Some(p) => space.reindex_patches(p),
                None => space.reindex_all(),
            }
        }
        Err(Refused::Panicked) => space = base_space(),
        Err(Refused::Invalid) => {}
    }
    let _ = space.schema();
    if let Ok(doc) = untrusted::load(data) {
        let mut s = base_space();
        s.doc = doc;
        s.reindex_all();
        let _ = s.schema();
    }
}

/// Inputs to start from: real bytes of each kind (a fuzzer's corpus, and
/// the proptest's mutations).
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "engine" => {
            let base = BASE.with(|b| b.clone());
            let mut doc = automerge::Automerge::load(&base).expect("the base loads");
            let heads = doc.get_heads();
            let mut tx = doc.transaction();
            let goals = automerge::ReadDoc::get(&tx, automerge::ROOT, "goals")
                .ok()
                .flatten()
                .map(|(_, id)| id);
            if let Some(goals) = goals {
                use automerge::transaction::Transactable;
                if let Ok(g) = tx.put_object(
                    &goals,
                    "0123456789abcdef0123456789abcdef",
                    automerge::ObjType::Map,
                ) {
                    let _ = tx.put(&g, "title", "walk to the shop");
                }
            }
            tx.commit();
            vec![base, doc.save_after(&heads)]
        }
        "sealed" => crate::store::fuzz_seeds(&StorageKey::from_bytes([9; 32])),
        "invite" => vec![b"ABCD-EFGH-JKLM".to_vec()],
        _ => Vec::new(),
    }
}

/// For the attack tests: plays a member whose app writes malicious bytes.
/// Queues `bytes` in this device's outbox for the space of `kind`, as if
/// they were a local change (the next sync seals and sends them; this
/// device does not apply them itself).
pub fn queue_member_bytes(
    k: &mut crate::Kindred,
    kind: &SpaceKind,
    bytes: &[u8],
) -> crate::Result<()> {
    let id = k
        .spaces
        .iter()
        .find(|s| &s.kind == kind)
        .map(|s| s.id.clone())
        .ok_or(crate::Error::Document)?;
    let tx = k.store.begin()?;
    tx.append_outbox(&id, bytes)?;
    tx.commit()
}

/// One automerge change chunk with its dependencies removed: it then
/// applies to any document (a change with no parents). For the attack
/// tests, which send a panicking change into a real space.
pub fn without_deps(chunk: &[u8]) -> Option<Vec<u8>> {
    // magic (4) checksum (4) type (1) len (LEB128) body; body starts with
    // the dependency count and the 32-byte hashes.
    let mut i = 9;
    while *chunk.get(i)? & 0x80 != 0 {
        i += 1;
    }
    let body = chunk.get(i + 1..)?;
    let n = *body.first()? as usize;
    let mut new_body = vec![0u8];
    new_body.extend_from_slice(body.get(1 + 32 * n..)?);
    let mut out = chunk.get(..9)?.to_vec();
    let mut len = new_body.len() as u64;
    loop {
        let b = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(&new_body);
    with_checksums(&out)
}

/// True if `bytes` make automerge itself panic when applied to a new
/// document (caught here): for the attack tests, to show the input they
/// send is a real panic and not merely malformed.
pub fn panics_automerge(bytes: &[u8]) -> bool {
    let mut doc = automerge::Automerge::new();
    untrusted::apply_change(&mut doc, bytes, &mut automerge::PatchLog::active())
        == Err(Refused::Panicked)
}
