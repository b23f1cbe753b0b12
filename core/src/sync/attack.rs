//! Test hooks for the attack tests (feature `test-hooks`, never in a
//! release build): a device that misbehaves on purpose — a removed device
//! or a reader writing anyway, a writer forging a snapshot, an owner
//! wrapping different keys to different members. Each builds exactly what
//! a modified client could send; the tests then check that every other
//! device refuses it.

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use kindred_protocol::{Action, Bound, ChangeEnvelope, KeyFor, SnapshotEnvelope, key_confirmation};

use super::engine::space_id;
use super::membership::Step;
use super::transport::Transport;
use crate::crypto::{EpochKey, seal_change, seal_snapshot, wrap_epoch_key};
use crate::error::{Error, Result};
use crate::kindred::Kindred;

impl Kindred {
    /// The space's document with a root key `injected` set to `text`, as
    /// automerge bytes after the current document (the local copy is
    /// left as it was).
    fn injected_bytes(&mut self, space: &str, text: &str) -> Result<(Vec<u8>, Vec<u8>)> {
        self.space_by_id(space)?;
        let tx = self.store.begin()?;
        let s = self.loaded.get_mut(space).ok_or(Error::Document)?;
        let newer = tx.chunks_after(&s.id, s.kind.as_str(), s.last_seq)?;
        s.catch_up(newer)?;
        drop(tx);
        let heads = s.doc.get_heads();
        let mut fork = s.doc.fork();
        let mut t = fork.transaction();
        t.put(automerge::ROOT, "injected", text)
            .map_err(|_| Error::Document)?;
        t.commit();
        Ok((fork.save_after(&heads), fork.save()))
    }

    /// Seals a change setting `injected` under `epoch` with this device's
    /// next sequence and chain (recorded as sent, as a modified client that
    /// sent it would), without storing it anywhere.
    pub fn attack_seal_change(
        &mut self,
        space: &str,
        epoch: u32,
        text: &str,
    ) -> Result<ChangeEnvelope> {
        let sid = space_id(space)?;
        let key = self.epoch_key_of(space, epoch)?.ok_or(Error::Sync {
            what: "no key for that epoch",
        })?;
        let (bytes, _) = self.injected_bytes(space, text)?;
        let prev = self.load_sync_state(space)?.my_prev();
        let seq = self.load_sync_state(space)?.next_device_seq;
        let e = seal_change(&self.keys, sid, epoch, &key, seq, prev, &bytes)?;
        // A modified client that sent it numbers its next one after it.
        self.update_sync_state(space, |st| {
            st.next_device_seq = seq + 1;
            st.set_my_prev(e.hash());
        })?;
        Ok(e)
    }

    /// A snapshot of the document with `injected` set, signed by this
    /// device, under `epoch`, covering `covers`, listing `heads` (or the
    /// heads this device holds).
    pub fn attack_snapshot(
        &mut self,
        space: &str,
        epoch: u32,
        covers: u64,
        heads: Option<Vec<Bound>>,
        text: &str,
    ) -> Result<SnapshotEnvelope> {
        let sid = space_id(space)?;
        let key = self.epoch_key_of(space, epoch)?.ok_or(Error::Sync {
            what: "no key for that epoch",
        })?;
        let (_, doc) = self.injected_bytes(space, text)?;
        let heads = match heads {
            Some(h) => h,
            None => self.load_sync_state(space)?.heads(),
        };
        seal_snapshot(&self.keys, sid, epoch, &key, covers, heads, &doc)
    }

    /// The chain heads this device holds for a space.
    pub fn attack_heads(&self, space: &str) -> Result<Vec<Bound>> {
        Ok(self.load_sync_state(space)?.heads())
    }

    /// The `injected` text in this device's copy of a space, if any.
    pub fn attack_injected(&mut self, space: &str) -> Result<Option<String>> {
        self.space_by_id(space)?;
        let s = self.loaded.get(space).ok_or(Error::Document)?;
        Ok(s.doc
            .get(automerge::ROOT, "injected")
            .ok()
            .flatten()
            .and_then(|(v, _)| v.into_string().ok()))
    }

    /// Rotates a space's key as a dishonest owner would: every other member
    /// gets its own different key, while the entry confirms the key this
    /// device keeps.
    pub fn attack_split_rotate(&mut self, t: &dyn Transport, space: &str) -> Result<()> {
        let sid = space_id(space)?;
        let me = self.keys.device_key();
        self.append_to_log(t, space, |k, m| {
            let epoch = m.epoch + 1;
            let mine = EpochKey::generate()?;
            let keys = m
                .members
                .values()
                .map(|x| {
                    let key = if x.device == me {
                        EpochKey::from_slice(mine.0.as_ref()).ok_or(Error::Document)?
                    } else {
                        EpochKey::generate()?
                    };
                    Ok(KeyFor {
                        device: x.device,
                        key: wrap_epoch_key(&key, &sid, epoch, &x.device, &x.wrap_key)?,
                        sealed_label: kindred_protocol::Bytes(Vec::new()),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Step::Append(Action::Rotate {
                epoch,
                keys,
                bounds: k.bounds_now(space, m)?,
                confirm: key_confirmation(mine.0.as_ref(), &sid, epoch),
            }))
        })?;
        Ok(())
    }
}
