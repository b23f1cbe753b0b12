//! Telling the app that data changed: any number of listeners, each
//! registered with its own handle, told after every local write and after
//! every sync that brought something in. Listeners are called after the
//! core's lock is released, so a listener may call back into the object.

use std::sync::{Arc, Mutex, Weak};

/// What changed: a write made on this device, or changes a sync brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ChangeEvent {
    /// True for a write made here (through this object).
    pub local: bool,
    /// How many changes (1 for a local write; the count a sync applied).
    pub changes: u64,
}

/// Told when data changed (implemented by the app to refresh its screens).
/// Called on the thread that made the change or ran the sync: hand the
/// work on to the UI thread, do not block.
#[uniffi::export(with_foreign)]
pub trait ChangeListener: Send + Sync {
    fn on_change(&self, event: ChangeEvent);
}

#[derive(Default)]
pub(crate) struct Registry {
    next: u64,
    listeners: Vec<(u64, Arc<dyn ChangeListener>)>,
}

/// The listeners of one `Kindred` object.
pub(crate) type Listeners = Arc<Mutex<Registry>>;

fn lock(l: &Mutex<Registry>) -> std::sync::MutexGuard<'_, Registry> {
    l.lock().unwrap_or_else(|p| p.into_inner())
}

/// Tells every listener (a copy of the list is taken first, so a listener
/// that adds or removes listeners does not deadlock).
pub(crate) fn notify(listeners: &Mutex<Registry>, event: ChangeEvent) {
    if event.changes == 0 {
        return;
    }
    let all: Vec<Arc<dyn ChangeListener>> = lock(listeners)
        .listeners
        .iter()
        .map(|(_, l)| l.clone())
        .collect();
    for l in all {
        l.on_change(event);
    }
}

pub(crate) fn add(listeners: &Listeners, listener: Arc<dyn ChangeListener>) -> Arc<ListenerHandle> {
    let mut r = lock(listeners);
    r.next += 1;
    let id = r.next;
    r.listeners.push((id, listener));
    Arc::new(ListenerHandle {
        id,
        registry: Arc::downgrade(listeners),
    })
}

pub(crate) fn clear(listeners: &Mutex<Registry>) {
    lock(listeners).listeners.clear();
}

/// One registered listener; `cancel()` (or freeing the handle) removes it.
#[derive(uniffi::Object)]
pub struct ListenerHandle {
    id: u64,
    registry: Weak<Mutex<Registry>>,
}

#[uniffi::export]
impl ListenerHandle {
    /// Stops telling this listener (and releases it).
    pub fn cancel(&self) {
        if let Some(r) = self.registry.upgrade() {
            lock(&r).listeners.retain(|(id, _)| *id != self.id);
        }
    }

    /// True while the listener is registered.
    pub fn is_active(&self) -> bool {
        self.registry
            .upgrade()
            .is_some_and(|r| lock(&r).listeners.iter().any(|(id, _)| *id == self.id))
    }
}

impl Drop for ListenerHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl std::fmt::Debug for ListenerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListenerHandle")
            .field("id", &self.id)
            .finish()
    }
}
