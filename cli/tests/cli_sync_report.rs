//! `kindred sync` against a real relay that fails one collection: every
//! collection is reported, the others still sync, and what was sent is
//! counted in changes.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Device, assert_plain};
use kindred_tests::server::ServerProcess;

#[test]
fn sync_reports_every_collection_when_the_relay_fails_one_and_counts_changes_sent() {
    let mut server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let worker = Device::on(&url, "laptop");
    worker.ok(&["contact", "add", "Sam"]);
    worker.ok(&["checkin", "add", "--mood", "3"]);
    worker.ok(&["sync"]);

    // Three contacts: three changes, sent together, counted as three.
    for name in ["Rae", "Jo", "Ali"] {
        worker.ok(&["contact", "add", name]);
    }
    let out = worker.ok(&["sync"]);
    assert!(
        out.contains("Your caseload: sent 3 changes, now up to date"),
        "{out}"
    );
    assert!(out.contains("Your own records: up to date"), "{out}");
    worker.ok(&["contact", "add", "Kim"]);
    let out = worker.ok(&["sync"]);
    assert!(
        out.contains("Your caseload: sent 1 change, now up to date"),
        "{out}"
    );

    // The relay breaks for the person's own records only.
    let status = worker.json(&["status", "--json"]);
    let personal = status
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "personal")
        .unwrap()["space"]
        .as_str()
        .unwrap()
        .to_owned();
    server.break_space(&personal);

    worker.ok(&["checkin", "add", "--mood", "4"]);
    worker.ok(&["contact", "add", "Lee"]);
    worker.ok(&["contact", "add", "Max"]);
    let out = worker.run(&["sync"]);
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout} {stderr}");
    assert!(
        stdout.contains("Your caseload: sent 2 changes, now up to date"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Your own records: did not sync this time (the sync server had a problem); \
             1 change kept here to send later"
        ),
        "{stdout}"
    );
    assert!(
        stderr.contains("Your own records did not sync; everything else synced"),
        "{stderr}"
    );
    assert_plain(&stdout);
    assert_plain(&stderr);
    // Nothing was lost: the change waits here.
    let status = worker.ok(&["status"]);
    assert!(
        status.contains("Your own records: 1 change waiting to sync"),
        "{status}"
    );
}
