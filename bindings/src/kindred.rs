//! `Kindred`, the entry object: one device's data, opened with a storage
//! key the platform supplies (Android Keystore, iOS Keychain).

use std::sync::Arc;

use kindred_core::model as m;
use kindred_core::sync::{HttpTransport, SharedKindred};

use crate::changes::{self, ChangeEvent, ChangeListener, ListenerHandle, Listeners};
use crate::error::{FfiResult, KeyProviderError, KindredError};
use crate::records::*;
use crate::runtime::blocking;

/// Supplies the 32-byte storage key (implemented by the app: Android
/// Keystore, iOS Keychain). Never log what it returns. A failure (thrown
/// `KeyProviderException`, or any other exception) reaches the caller of
/// `create`/`open` as `KindredException.KeyUnavailable`, never a crash.
#[uniffi::export(with_foreign)]
pub trait KeyProvider: Send + Sync {
    fn storage_key(&self) -> Result<Vec<u8>, KeyProviderError>;
}

struct Keys(Arc<dyn KeyProvider>);

impl kindred_core::KeyProvider for Keys {
    fn storage_key(&self) -> Result<kindred_core::StorageKey, String> {
        let bytes = self.0.storage_key().map_err(|e| e.to_string())?;
        let bytes = zeroize::Zeroizing::new(bytes);
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| "the storage key must be 32 bytes".to_owned())?;
        Ok(kindred_core::StorageKey::from_bytes(arr))
    }
}

/// The core, shared with handles (invites, watches) that outlive a call.
/// Local calls hold its lock briefly; a sync pass holds it only for its
/// local steps, never while it waits for the relay (see
/// `kindred_core::sync::SharedKindred`).
pub(crate) type Shared = SharedKindred;

/// Runs a local call with the core held; `Closed` once the object was closed.
pub(crate) fn with<T>(
    inner: &Shared,
    f: impl FnOnce(&mut kindred_core::Kindred) -> FfiResult<T>,
) -> FfiResult<T> {
    let mut out = None;
    inner.with(|k| {
        out = Some(f(k));
        Ok(())
    })?;
    out.unwrap_or(Err(KindredError::Closed))
}

/// Runs `f` with the core held and no sync pass running: for the calls
/// that change who is in a space (pairing, invites, removals, ending a
/// share). These still hold the core while they talk to the relay.
pub(crate) fn exclusive<T>(
    inner: &Shared,
    f: impl FnOnce(&mut kindred_core::Kindred) -> FfiResult<T>,
) -> FfiResult<T> {
    let mut out = None;
    inner.exclusive(|k| {
        out = Some(f(k));
        Ok(())
    })?;
    out.unwrap_or(Err(KindredError::Closed))
}

pub(crate) fn transport(k: &kindred_core::Kindred) -> FfiResult<HttpTransport> {
    let url = k.server()?.ok_or_else(|| KindredError::Sync {
        message: "no sync server is set yet".into(),
    })?;
    Ok(HttpTransport::with_policy(
        &url,
        k.server_allows_insecure_http()?,
    )?)
}

/// The relay's transport, read under a short lock and built without it.
pub(crate) fn transport_of(inner: &Shared) -> FfiResult<HttpTransport> {
    let (url, allow) = with(inner, |k| {
        Ok((k.server()?, k.server_allows_insecure_http()?))
    })?;
    let url = url.ok_or_else(|| KindredError::Sync {
        message: "no sync server is set yet".into(),
    })?;
    Ok(HttpTransport::with_policy(&url, allow)?)
}

/// A sync report as records, the listener told of what came in.
fn sync_records(
    listeners: &crate::changes::Listeners,
    report: kindred_core::sync::SyncReport,
) -> Vec<SpaceSyncRecord> {
    let pulled = report.spaces.iter().map(|s| s.pulled).sum();
    Kindred::notify_synced(listeners, pulled);
    let synced = report.spaces.into_iter().map(|s| SpaceSyncRecord {
        kind: s.kind,
        space: s.space,
        pushed: s.pushed,
        pulled: s.pulled,
        quarantined: s.quarantined,
        removed: s.removed,
        problem: None,
    });
    let failed = report.failed.into_iter().map(|f| SpaceSyncRecord {
        kind: f.kind,
        space: f.space,
        pushed: 0,
        pulled: 0,
        quarantined: 0,
        removed: false,
        problem: Some(f.error.to_string()),
    });
    synced.chain(failed).collect()
}

/// One device's Kindred data.
#[derive(uniffi::Object)]
pub struct Kindred {
    pub(crate) inner: Shared,
    pub(crate) listeners: Listeners,
}

impl Kindred {
    fn wrap(k: kindred_core::Kindred) -> Arc<Kindred> {
        Arc::new(Kindred {
            inner: SharedKindred::new(k),
            listeners: Listeners::default(),
        })
    }

    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut kindred_core::Kindred) -> FfiResult<T>,
    ) -> FfiResult<T> {
        with(&self.inner, f)
    }

    /// Runs blocking work on the FFI runtime with the core held and no
    /// sync pass running (membership changes).
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut kindred_core::Kindred) -> FfiResult<T> + Send + 'static,
    ) -> FfiResult<T> {
        let inner = self.inner.clone();
        blocking(move || exclusive(&inner, f)).await
    }

    /// A local write: on success, every listener hears of it (after the
    /// core's lock is released).
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut kindred_core::Kindred) -> FfiResult<T>,
    ) -> FfiResult<T> {
        let out = self.with(f)?;
        changes::notify(
            &self.listeners,
            ChangeEvent {
                local: true,
                changes: 1,
            },
        );
        Ok(out)
    }

    /// Tells every listener that a sync brought `pulled` changes.
    pub(crate) fn notify_synced(listeners: &Listeners, pulled: u64) {
        changes::notify(
            listeners,
            ChangeEvent {
                local: false,
                changes: pulled,
            },
        );
    }
}

#[uniffi::export]
impl Kindred {
    /// Sets up a new device in `data_dir`: identity, keys, personal and
    /// caseload spaces. (Not named `init`: Swift would need backticks.)
    #[uniffi::constructor]
    pub fn create(
        data_dir: String,
        keys: Arc<dyn KeyProvider>,
        device_name: String,
    ) -> FfiResult<Arc<Kindred>> {
        let k = kindred_core::Kindred::init(data_dir.as_ref(), &Keys(keys), &device_name)?;
        Ok(Self::wrap(k))
    }

    /// Sets up a device that will join another of the person's devices by
    /// pairing (no spaces of its own).
    #[uniffi::constructor]
    pub fn create_joining(
        data_dir: String,
        keys: Arc<dyn KeyProvider>,
        device_name: String,
    ) -> FfiResult<Arc<Kindred>> {
        let k = kindred_core::Kindred::init_joining(data_dir.as_ref(), &Keys(keys), &device_name)?;
        Ok(Self::wrap(k))
    }

    /// Opens the data in `data_dir`.
    #[uniffi::constructor]
    pub fn open(data_dir: String, keys: Arc<dyn KeyProvider>) -> FfiResult<Arc<Kindred>> {
        let k = kindred_core::Kindred::open(data_dir.as_ref(), &Keys(keys))?;
        Ok(Self::wrap(k))
    }

    /// Closes the data; every later call on this object fails with `Closed`.
    /// (Named apart from the generated `close()`, which frees the handle.)
    pub fn close_data(&self) {
        self.inner.close();
        changes::clear(&self.listeners);
    }

    pub fn device(&self) -> FfiResult<DeviceRecord> {
        self.with(|k| {
            let key = k.device_public_key()?;
            Ok(DeviceRecord {
                id: k.device().id.clone(),
                name: k.device().name.clone(),
                fingerprint: key.iter().take(8).map(|b| format!("{b:02x}")).collect(),
            })
        })
    }

    // ----- goals ---------------------------------------------------------

    pub fn add_goal(&self, goal: NewGoal) -> FfiResult<String> {
        self.write(|k| {
            let g = m::NewGoal {
                title: goal.title,
                why: goal.why,
                area: goal.area.as_deref().map(m::LifeArea::parse).transpose()?,
                target_date: opt_date(&goal.target_date)?,
            };
            Ok(k.add_goal(&g)?.to_string())
        })
    }

    pub fn goal(&self, id: String) -> FfiResult<GoalRecord> {
        self.with(|k| Ok(k.goal(&id_of(&id)?)?.into()))
    }

    /// Goals, oldest first; only those with `status` when given.
    pub fn goals(&self, status: Option<String>) -> FfiResult<Vec<GoalRecord>> {
        self.with(|k| {
            let s = status.as_deref().map(m::GoalStatus::parse).transpose()?;
            Ok(k.goals(s.as_ref())?.into_iter().map(Into::into).collect())
        })
    }

    pub fn update_goal(&self, id: String, changes: GoalChanges) -> FfiResult<()> {
        self.write(|k| {
            let pick =
                |v: Option<String>, clear: bool| if clear { Some(None) } else { v.map(Some) };
            let c = m::GoalChanges {
                title: changes.title,
                why: pick(changes.why, changes.clear_why),
                area: pick(changes.area, changes.clear_area)
                    .map(|a| a.as_deref().map(m::LifeArea::parse).transpose())
                    .transpose()?,
                target_date: pick(changes.target_date, changes.clear_target_date)
                    .map(|d| opt_date(&d))
                    .transpose()?,
            };
            Ok(k.update_goal(&id_of(&id)?, &c)?)
        })
    }

    /// active, paused, achieved or let_go; every status can change to every other.
    pub fn set_goal_status(&self, id: String, status: String) -> FfiResult<()> {
        self.write(|k| Ok(k.set_goal_status(&id_of(&id)?, &m::GoalStatus::parse(&status)?)?))
    }

    pub fn add_step(
        &self,
        goal_id: String,
        text: String,
        due: Option<String>,
    ) -> FfiResult<String> {
        self.write(|k| {
            Ok(k.add_step(&id_of(&goal_id)?, &text, opt_date(&due)?)?
                .to_string())
        })
    }

    pub fn set_step_done(&self, goal_id: String, step_id: String, done: bool) -> FfiResult<()> {
        self.write(|k| Ok(k.set_step_done(&id_of(&goal_id)?, &id_of(&step_id)?, done)?))
    }

    pub fn add_progress(&self, goal_id: String, note: String) -> FfiResult<String> {
        self.write(|k| Ok(k.add_progress(&id_of(&goal_id)?, &note)?.to_string()))
    }

    /// Deletes a goal with its steps and progress (from a share too, for
    /// everyone in it); returns it as it was, so the app can say what went.
    pub fn delete_goal(&self, id: String) -> FfiResult<GoalRecord> {
        self.write(|k| Ok(k.delete_goal(&id_of(&id)?)?.into()))
    }

    // ----- check-ins -----------------------------------------------------

    pub fn add_check_in(&self, check_in: NewCheckIn) -> FfiResult<String> {
        self.write(|k| {
            let c = m::NewCheckIn {
                occurred_at: match &check_in.occurred_at {
                    Some(t) => time_of(t)?,
                    None => time::OffsetDateTime::now_utc(),
                },
                mood: check_in.mood,
                energy: check_in.energy,
                tags: check_in.tags,
                note: check_in.note,
            };
            Ok(k.add_check_in(&c)?.to_string())
        })
    }

    /// Check-ins whose own date is in `since..=until` (either open).
    pub fn check_ins(
        &self,
        since: Option<String>,
        until: Option<String>,
    ) -> FfiResult<Vec<CheckInRecord>> {
        self.with(|k| {
            Ok(k.check_ins(opt_date(&since)?, opt_date(&until)?)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Week-by-week look back over `weeks` weeks up to `today` (YYYY-MM-DD).
    pub fn weekly_summary(&self, weeks: u32, today: String) -> FfiResult<Vec<WeekRecord>> {
        self.with(|k| {
            Ok(k.weekly_summary(weeks, date_of(&today)?)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    // ----- contacts and notes --------------------------------------------

    pub fn add_contact(&self, name: String) -> FfiResult<String> {
        self.write(|k| Ok(k.add_contact(&m::NewContact { name })?.to_string()))
    }

    pub fn contacts(&self) -> FfiResult<Vec<ContactRecord>> {
        self.with(|k| {
            Ok(k.contacts()?
                .into_iter()
                .map(|c| ContactRecord {
                    id: c.id.to_string(),
                    name: c.name,
                    share_space: c.share_space,
                })
                .collect())
        })
    }

    pub fn add_note(&self, note: NewNote) -> FfiResult<String> {
        self.write(|k| {
            let n = m::NewContactNote {
                contact_id: id_of(&note.contact_id)?,
                contact_type: m::ContactType::parse(&note.contact_type)?,
                setting: m::Setting::parse(&note.setting)?,
                start: time_of(&note.start)?,
                end: time_of(&note.end)?,
                goals_addressed: note.goals_addressed,
                peer_activities: note.peer_activities,
                narrative: note.narrative,
                own_words: note.own_words,
                strengths: note.strengths,
                next_steps: note.next_steps,
                next_contact: opt_date(&note.next_contact)?,
                substance_use: note.substance_use,
            };
            Ok(k.add_note(&n)?.to_string())
        })
    }

    pub fn note(&self, id: String) -> FfiResult<NoteRecord> {
        self.with(|k| Ok(k.note(&id_of(&id)?)?.into()))
    }

    pub fn notes(&self, contact_id: Option<String>) -> FfiResult<Vec<NoteRecord>> {
        self.with(|k| {
            let c = contact_id.as_deref().map(id_of).transpose()?;
            Ok(k.notes(c.as_ref(), None, None)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Changes a draft note (the editor's autosave): every field can be
    /// set; `None` leaves a field as it is, a `clear_*` flag empties it.
    pub fn update_note(&self, id: String, changes: NoteChanges) -> FfiResult<()> {
        self.write(|k| {
            let pick =
                |v: Option<String>, clear: bool| if clear { Some(None) } else { v.map(Some) };
            let c = m::NoteChanges {
                contact_type: changes
                    .contact_type
                    .as_deref()
                    .map(m::ContactType::parse)
                    .transpose()?,
                setting: changes
                    .setting
                    .as_deref()
                    .map(m::Setting::parse)
                    .transpose()?,
                start: changes.start.as_deref().map(time_of).transpose()?,
                end: changes.end.as_deref().map(time_of).transpose()?,
                goals_addressed: changes.goals_addressed,
                peer_activities: changes.peer_activities,
                narrative: changes.narrative,
                own_words: pick(changes.own_words, changes.clear_own_words),
                strengths: pick(changes.strengths, changes.clear_strengths),
                next_steps: pick(changes.next_steps, changes.clear_next_steps),
                next_contact: pick(changes.next_contact, changes.clear_next_contact)
                    .map(|d| opt_date(&d))
                    .transpose()?,
                substance_use: changes.substance_use,
            };
            Ok(k.update_note(&id_of(&id)?, &c)?)
        })
    }

    pub fn sign_note(&self, id: String) -> FfiResult<()> {
        self.write(|k| Ok(k.sign_note(&id_of(&id)?)?))
    }

    pub fn add_addendum(&self, id: String, text: String) -> FfiResult<String> {
        self.write(|k| Ok(k.add_addendum(&id_of(&id)?, &text)?.to_string()))
    }

    /// The person's own words on a note shared with them.
    pub fn comment_note(&self, id: String, text: String) -> FfiResult<String> {
        self.write(|k| Ok(k.comment_note(&id_of(&id)?, &text)?.to_string()))
    }

    pub fn review_note(&self, id: String) -> FfiResult<()> {
        self.write(|k| Ok(k.review_note(&id_of(&id)?)?))
    }

    /// Shares a note into a shared space; a substance-use note only with
    /// `person_agreed`.
    pub fn share_note(&self, id: String, space: String, person_agreed: bool) -> FfiResult<()> {
        self.write(|k| Ok(k.share_note(&id_of(&id)?, &space, person_agreed)?))
    }

    // ----- export ----------------------------------------------------------

    /// Everything as JSON (notes flagged as substance use only if asked).
    pub fn export_json(&self, include_sensitive: bool) -> FfiResult<String> {
        self.with(|k| {
            let e = k.export_json(include_sensitive)?;
            serde_json::to_string_pretty(&e).map_err(|_| KindredError::Storage {
                message: "the export could not be written".into(),
            })
        })
    }

    // ----- sync --------------------------------------------------------------

    /// Sets the relay's address: https://, or http:// only for a relay on
    /// this computer; anything else is refused (`InvalidInput`, in words
    /// the settings screen shows) and nothing changes.
    pub fn set_server(&self, url: String) -> FfiResult<()> {
        self.with(|k| Ok(k.set_server(&url)?))
    }

    /// Same, allowing plain http:// on another computer when
    /// `allow_insecure_http` (an explicit setting, for a test network).
    pub fn set_server_allowing_http(
        &self,
        url: String,
        allow_insecure_http: bool,
    ) -> FfiResult<()> {
        self.with(|k| Ok(k.set_server_with(&url, allow_insecure_http)?))
    }

    pub fn server(&self) -> FfiResult<Option<String>> {
        self.with(|k| Ok(k.server()?))
    }

    /// One sync pass with the relay. The change listener hears of anything
    /// new that arrived.
    pub async fn sync(&self) -> FfiResult<Vec<SpaceSyncRecord>> {
        let listeners = self.listeners.clone();
        let inner = self.inner.clone();
        let report = blocking(move || {
            let t = transport_of(&inner)?;
            Ok(inner.sync(&t)?)
        })
        .await?;
        Ok(sync_records(&listeners, report))
    }

    /// Sends what waits, one round trip per space with something to send
    /// (after a local write; what others wrote comes with the live hint).
    pub async fn sync_pending(&self) -> FfiResult<Vec<SpaceSyncRecord>> {
        let listeners = self.listeners.clone();
        let inner = self.inner.clone();
        let report = blocking(move || {
            let t = transport_of(&inner)?;
            Ok(inner.sync_pending(&t)?)
        })
        .await?;
        Ok(sync_records(&listeners, report))
    }

    pub fn sync_status(&self) -> FfiResult<Vec<SyncStatusRecord>> {
        self.with(|k| Ok(k.sync_status()?.into_iter().map(Into::into).collect()))
    }

    pub fn devices(&self) -> FfiResult<Vec<DeviceInfoRecord>> {
        self.with(|k| {
            Ok(k.devices()?
                .into_iter()
                .map(|d| DeviceInfoRecord {
                    space: d.space,
                    name: d.name,
                    fingerprint: d.fingerprint,
                    role: d.role,
                    this_device: d.this_device,
                })
                .collect())
        })
    }

    /// Adds a listener told after every local write and every sync that
    /// brought changes. Any number may listen; each keeps its handle, and
    /// cancelling (or freeing) the handle removes that listener only.
    pub fn add_change_listener(&self, listener: Arc<dyn ChangeListener>) -> Arc<ListenerHandle> {
        changes::add(&self.listeners, listener)
    }
}

impl std::fmt::Debug for Kindred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kindred")
    }
}
