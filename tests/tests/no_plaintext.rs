//! Nothing a person writes is readable on disk without the key: no file
//! under the data directory contains a marker string, in UTF-8 or UTF-16,
//! neither while the store is open (WAL not yet checkpointed) nor after.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use kindred_core::Kindred;
use kindred_core::model::*;
use kindred_tests::test_key;

const MARKER: &str = "Quokka-Marker-8812";

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn forms() -> Vec<Vec<u8>> {
    let utf16le: Vec<u8> = MARKER
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let utf16be: Vec<u8> = MARKER
        .encode_utf16()
        .flat_map(|u| u.to_be_bytes())
        .collect();
    vec![MARKER.as_bytes().to_vec(), utf16le, utf16be]
}

fn assert_no_marker(dir: &Path, when: &str) {
    let files = files_under(dir);
    assert!(!files.is_empty());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for form in forms() {
            assert!(
                !bytes.windows(form.len()).any(|w| w == form.as_slice()),
                "{when}: {} holds the marker in plaintext",
                f.display()
            );
        }
    }
}

#[test]
fn no_file_under_the_data_dir_holds_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kindred::init(dir.path(), &test_key(), &format!("phone {MARKER}")).unwrap();
    let g = k
        .add_goal(&NewGoal {
            title: format!("Title {MARKER}"),
            why: Some(format!("Why {MARKER}")),
            ..Default::default()
        })
        .unwrap();
    k.add_step(&g, &format!("Step {MARKER}"), None).unwrap();
    k.add_progress(&g, &format!("Progress {MARKER}")).unwrap();
    k.add_check_in(&NewCheckIn {
        occurred_at: time::OffsetDateTime::now_utc(),
        mood: 2,
        energy: Some(3),
        tags: vec![MARKER.into()],
        note: Some(format!("Note {MARKER}")),
    })
    .unwrap();
    let c = k
        .add_contact(&NewContact {
            name: MARKER.into(),
        })
        .unwrap();
    let n = k
        .add_note(&NewContactNote {
            contact_id: c,
            contact_type: ContactType::Phone,
            setting: Setting::Home,
            start: time::OffsetDateTime::now_utc(),
            end: time::OffsetDateTime::now_utc(),
            goals_addressed: vec![MARKER.into()],
            peer_activities: vec![MARKER.into()],
            narrative: format!("Narrative {MARKER}"),
            own_words: Some(format!("Own words {MARKER}")),
            strengths: Some(MARKER.into()),
            next_steps: Some(MARKER.into()),
            next_contact: None,
            substance_use: true,
        })
        .unwrap();
    k.sign_note(&n).unwrap();
    k.add_addendum(&n, &format!("Addendum {MARKER}")).unwrap();

    // While open: the newest writes sit in the write-ahead log.
    assert_no_marker(dir.path(), "while open");
    k.compact(&kindred_core::SpaceKind::Personal).unwrap();
    drop(k);
    assert_no_marker(dir.path(), "after closing");

    // The marker is really there for someone with the key.
    let mut k = Kindred::open(dir.path(), &test_key()).unwrap();
    assert!(k.goal(&g).unwrap().title.contains(MARKER));
    assert!(k.device().name.contains(MARKER));
}
