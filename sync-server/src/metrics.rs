//! Prometheus text metrics: requests by route and status with latency
//! sums, storage calls with their time, refusals by code, live
//! connections. Counts and times only.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), (u64, f64)>>,
    refusals: Mutex<BTreeMap<String, u64>>,
    pub live_connections: AtomicI64,
    pub stored_changes: AtomicU64,
    /// Changes retention removed (folded into snapshots), and their bytes.
    pub pruned_changes: AtomicU64,
    pub pruned_bytes: AtomicU64,
    /// Storage calls and the time spent in them (microseconds).
    pub storage_calls: AtomicU64,
    pub storage_micros: AtomicU64,
}

impl Metrics {
    pub fn request(&self, route: &str, status: u16, seconds: f64) {
        let mut m = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let e = m.entry((route.to_owned(), status)).or_insert((0, 0.0));
        e.0 += 1;
        e.1 += seconds;
    }

    /// One storage call took `seconds` (including waiting for the backend).
    pub fn storage(&self, seconds: f64) {
        self.storage_calls.fetch_add(1, Ordering::Relaxed);
        self.storage_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    pub fn refusal(&self, code: &str) {
        *self
            .refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(code.to_owned())
            .or_insert(0) += 1;
    }

    /// The Prometheus text form.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# TYPE kindred_requests_total counter\n");
        out.push_str("# TYPE kindred_request_seconds_sum counter\n");
        for ((route, status), (n, secs)) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            out.push_str(&format!(
                "kindred_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}\n"
            ));
            out.push_str(&format!(
                "kindred_request_seconds_sum{{route=\"{route}\",status=\"{status}\"}} {secs:.6}\n"
            ));
        }
        out.push_str("# TYPE kindred_rejected_total counter\n");
        for (code, n) in self
            .refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            out.push_str(&format!(
                "kindred_rejected_total{{reason=\"{code}\"}} {n}\n"
            ));
        }
        out.push_str("# TYPE kindred_live_connections gauge\n");
        out.push_str(&format!(
            "kindred_live_connections {}\n",
            self.live_connections.load(Ordering::Relaxed)
        ));
        out.push_str("# TYPE kindred_storage_calls_total counter\n");
        out.push_str(&format!(
            "kindred_storage_calls_total {}\n",
            self.storage_calls.load(Ordering::Relaxed)
        ));
        out.push_str("# TYPE kindred_storage_seconds_sum counter\n");
        out.push_str(&format!(
            "kindred_storage_seconds_sum {:.6}\n",
            self.storage_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        for (name, v) in [
            ("kindred_pruned_changes_total", &self.pruned_changes),
            ("kindred_pruned_bytes_total", &self.pruned_bytes),
        ] {
            out.push_str(&format!(
                "# TYPE {name} counter\n{name} {}\n",
                v.load(Ordering::Relaxed)
            ));
        }
        out.push_str("# TYPE kindred_stored_changes_total counter\n");
        out.push_str(&format!(
            "kindred_stored_changes_total {}\n",
            self.stored_changes.load(Ordering::Relaxed)
        ));
        out
    }
}
