//! Changing what the other person may do in a share, through the
//! `kindred` command line against a real relay: `share role`, a reader
//! who cannot change roles, and an invite into a share the other person
//! is already in, which says what it changes before anyone says yes.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufReader, Write};
use std::time::Duration;

use common::{Device, assert_plain, line_of, stderr_of, wait_bounded};
use kindred_tests::server::ServerProcess;

const LIMIT: Duration = Duration::from_secs(60);

/// An invite (`create_args` after `invite create`) both sides say yes
/// to; returns what each side was told (stderr, then the last line).
fn invite(person: &Device, worker: &Device, create_args: &[&str]) -> (String, String) {
    let mut args = vec!["invite", "create", "--timeout", "60"];
    args.extend_from_slice(create_args);
    let mut create = person.spawn(&args);
    let mut create_out = BufReader::new(create.stdout.take().unwrap());
    let code = line_of(&mut create_out);
    let mut join = worker.spawn(&["invite", "join", &code, "--timeout", "60"]);
    let mut join_out = BufReader::new(join.stdout.take().unwrap());
    assert_eq!(line_of(&mut create_out), line_of(&mut join_out));
    create.stdin.take().unwrap().write_all(b"y\n").unwrap();
    join.stdin.take().unwrap().write_all(b"y\n").unwrap();
    let done_person = line_of(&mut create_out);
    let done_worker = line_of(&mut join_out);
    let person_ok = wait_bounded(&mut create, LIMIT).unwrap().success();
    let worker_ok = wait_bounded(&mut join, LIMIT).unwrap().success();
    let told_person = format!("{}\n{done_person}", stderr_of(&mut create));
    let told_worker = format!("{}\n{done_worker}", stderr_of(&mut join));
    assert!(person_ok && worker_ok, "{told_person}\n{told_worker}");
    (told_person, told_worker)
}

#[test]
fn share_role_changes_what_the_other_person_may_do_and_an_invite_says_what_it_changes() {
    let server = ServerProcess::start();
    let url = format!("http://{}", server.addr);
    let person = Device::on(&url, "person phone");
    let worker = Device::on(&url, "worker laptop");
    let goal = person.ok(&["goal", "add", "Walk to the shop"]);
    let goal = goal.trim();
    invite(&person, &worker, &["--role", "reader"]);
    person.ok(&["share", "goal", goal, "--with", "worker laptop"]);
    person.ok(&["sync"]);
    worker.ok(&["sync"]);

    // The reader cannot change roles, its own included.
    let out = worker.run(&["share", "role", "person phone", "writer"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("only the person who shared this can change what others may do in it"),
        "{err}"
    );
    assert_plain(&err);
    let refused = worker.run(&["goal", "step", "add", goal, "Find my shoes"]);
    assert!(!refused.status.success());

    // The person lets the worker add steps; the words say what changed.
    let said = person.ok(&["share", "role", "worker laptop", "writer"]);
    assert!(
        said.contains(
            "Changed: worker laptop can now read what is shared, add steps, progress and notes, and change the shared goals."
        ),
        "{said}"
    );
    assert!(
        said.contains("Before, they could read what is shared, but not change or add anything."),
        "{said}"
    );
    assert_plain(&said);
    let again = person.ok(&["share", "role", "worker laptop", "writer"]);
    assert!(
        again.starts_with("Nothing changed: worker laptop can already read"),
        "{again}"
    );
    let list = person.ok(&["share", "list"]);
    assert!(
        list.contains("worker laptop can read what is shared, add steps"),
        "{list}"
    );

    // The worker writes, and it reaches the person.
    worker.ok(&["sync"]);
    worker.ok(&["goal", "step", "add", goal, "Find my shoes"]);
    let synced = worker.ok(&["sync"]);
    assert!(synced.contains("sent 1 change"), "{synced}");
    person.ok(&["sync"]);
    let shown = person.ok(&["goal", "show", goal]);
    assert!(shown.contains("Find my shoes"), "{shown}");

    // Inviting the worker again, as a reader: before anyone says yes,
    // both sides read what it changes.
    let (told_person, told_worker) = invite(
        &person,
        &worker,
        &["--space", "worker laptop", "--role", "reader"],
    );
    let ask = told_person.find("Do they match?").unwrap();
    assert!(
        told_person[..ask].contains(
            "worker laptop can already read what is shared, add steps, progress and notes, and change the shared goals; \
             this will let them only read it from now on, not change or add anything."
        ),
        "{told_person}"
    );
    assert!(
        told_person.contains(
            "Changed: worker laptop can now read what is shared, but not change or add anything."
        ),
        "{told_person}"
    );
    let ask = told_worker.find("Do they match?").unwrap();
    assert!(
        told_worker[..ask].contains(
            "You are already in a share with person phone, where you can read what is shared, add steps"
        ),
        "{told_worker}"
    );
    assert!(
        told_worker[..ask].contains("it will let you only read it from now on"),
        "{told_worker}"
    );
    assert_plain(&told_person);
    assert_plain(&told_worker);

    // And the worker's next write is refused at once, in plain words,
    // while the share keeps syncing.
    worker.ok(&["sync"]);
    let out = worker.run(&["goal", "step", "add", goal, "Buy bread"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("to read, not to change"), "{err}");
    assert_plain(&err);
    person.ok(&["goal", "step", "add", goal, "Take the bus back"]);
    person.ok(&["sync"]);
    let synced = worker.ok(&["sync"]);
    assert!(synced.contains("received"), "{synced}");
    let shown = worker.ok(&["goal", "show", goal]);
    assert!(shown.contains("Take the bus back"), "{shown}");
}
