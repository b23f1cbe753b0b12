//! Changing and deleting records across a share, on the in-memory relay:
//! a person's check-in edit stays hers, its delete takes the shared copy
//! too, a worker cannot change a check-in shared with them, a deleted
//! shared goal leaves the worker's list, and names resolve as people type
//! them (a share by the other person's name, a contact by theirs).
#![allow(clippy::unwrap_used)]

use kindred_core::model::{CheckInChanges, NewContact, RecordKind};
use kindred_core::{Error, Kindred};
use kindred_tests::devices::{check_in, device, goal, share};
use kindred_tests::memory_relay::MemoryRelay;

fn notes_of(k: &mut Kindred) -> Vec<Option<String>> {
    k.check_ins(None, None)
        .unwrap()
        .into_iter()
        .map(|c| c.note)
        .collect()
}

#[test]
fn edits_and_deletes_reach_what_they_should_and_nothing_else() {
    let relay = MemoryRelay::new();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut person = device(d1.path(), "person phone");
    let mut worker = device(d2.path(), "worker laptop");
    let c = person.add_check_in(&check_in(2, "a hard day")).unwrap();
    let g = person.add_goal(&goal("Get my own flat")).unwrap();
    share(&relay, &mut person, &mut worker);

    // Each side finds the share by the other person's name (here their
    // device's: the shares helper checks it; the CLI tests use people's).
    let on_person = person.resolve_share("Worker Laptop").unwrap();
    let on_worker = worker.resolve_share("person phone").unwrap();
    assert_eq!(on_person, on_worker);
    assert!(matches!(
        person.resolve_share("Kim"),
        Err(Error::NoneNamed {
            kind: RecordKind::Space
        })
    ));

    let today = time::OffsetDateTime::now_utc().date();
    person.share_check_ins(&on_person, today, today).unwrap();
    person.share_goal(&g, &on_person).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(notes_of(&mut worker), vec![Some("a hard day".into())]);

    // A worker cannot change or delete a check-in shared with them.
    let words = CheckInChanges {
        note: Some(Some("rewritten".into())),
        ..Default::default()
    };
    assert!(matches!(
        worker.update_check_in(&c, &words),
        Err(Error::NotYours { .. })
    ));
    assert!(matches!(
        worker.delete_check_in(&c),
        Err(Error::NotYours { .. })
    ));

    // The person's edit is hers: the shared copy stays as it was shared.
    person.update_check_in(&c, &words).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert_eq!(notes_of(&mut person), vec![Some("rewritten".into())]);
    assert_eq!(notes_of(&mut worker), vec![Some("a hard day".into())]);

    // Her delete takes the shared copy with it.
    person.delete_check_in(&c).unwrap();
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert!(notes_of(&mut person).is_empty());
    assert!(notes_of(&mut worker).is_empty());

    // A deleted shared goal leaves both lists; the worker saw who shared it.
    let origins = worker.origins().unwrap();
    assert_eq!(
        origins.get(&g),
        Some(&kindred_core::Origin::SharedBy("person phone".into()))
    );
    assert_eq!(person.delete_goal(&g).unwrap().title, "Get my own flat");
    person.sync(&relay).unwrap();
    worker.sync(&relay).unwrap();
    assert!(worker.goals(None).unwrap().is_empty());
    assert!(person.goals(None).unwrap().is_empty());

    // Contacts by name, ignoring case; the start of an id too.
    let jo = worker
        .add_contact(&NewContact {
            name: "Jo Bloggs".into(),
        })
        .unwrap();
    assert_eq!(worker.resolve_contact("jo bloggs").unwrap(), jo);
    assert_eq!(worker.resolve_contact(&jo.as_str()[..5]).unwrap(), jo);
    assert!(matches!(
        worker.resolve_contact(&jo.as_str()[..3]),
        Err(Error::PrefixTooShort { .. })
    ));
}
