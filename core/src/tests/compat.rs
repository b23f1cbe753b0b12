//! Forward compatibility: what a newer version writes survives this one.

use super::*;
use crate::space::fields::{get_obj, get_str};
use crate::space::records::{CHECK_INS, GOALS};
use crate::{Error, SpaceKind};
use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT};

/// Writes, as a newer version would, an unknown field and an unknown
/// status on a goal, and a whole unknown collection.
fn write_as_newer_version(k: &mut Kindred, goal: &crate::Id, schema: Option<i64>) {
    k.edit(&SpaceKind::Personal, |_, e| {
        let goals = get_obj(e.tx, &ROOT, GOALS, ObjType::Map).unwrap();
        let g = get_obj(e.tx, &goals, goal.as_str(), ObjType::Map).unwrap();
        e.tx.put(&g, "status", "celebrating")?;
        e.tx.put(&g, "colour", "sunrise")?;
        let extra = e.tx.put_object(&g, "companions", ObjType::List)?;
        e.tx.insert(&extra, 0, "Rae")?;
        let plans = e.tx.put_object(ROOT, "wellness_plans", ObjType::Map)?;
        e.tx.put(&plans, "p1", "a plan")?;
        if let Some(v) = schema {
            e.tx.put(ROOT, "schema", v)?;
        }
        Ok(())
    })
    .unwrap();
}

fn raw_goal_field(k: &mut Kindred, goal: &crate::Id, field: &str) -> Option<String> {
    let bytes = k.document_bytes(&SpaceKind::Personal).unwrap();
    let doc = automerge::Automerge::load(&bytes).unwrap();
    let goals = get_obj(&doc, &ROOT, GOALS, ObjType::Map)?;
    let g = get_obj(&doc, &goals, goal.as_str(), ObjType::Map)?;
    get_str(&doc, &g, field)
}

#[test]
fn unknown_fields_and_values_survive_edits_load_and_save() {
    let (dir, mut k) = fresh();
    let g = k
        .add_goal(&NewGoal {
            title: "Garden".into(),
            ..Default::default()
        })
        .unwrap();
    write_as_newer_version(&mut k, &g, None);
    drop(k);

    let mut k = reopen(dir.path());
    assert!(!k.is_read_only(&SpaceKind::Personal).unwrap());
    let got = k.goal(&g).unwrap();
    assert_eq!(got.status, GoalStatus::Unknown("celebrating".into()));
    // Edit other fields of the same record, compact, reopen.
    k.update_goal(
        &g,
        &GoalChanges {
            title: Some("Vegetable garden".into()),
            ..Default::default()
        },
    )
    .unwrap();
    k.add_step(&g, "Buy seeds", None).unwrap();
    k.compact(&SpaceKind::Personal).unwrap();
    drop(k);

    let mut k = reopen(dir.path());
    let got = k.goal(&g).unwrap();
    assert_eq!(got.title, "Vegetable garden");
    assert_eq!(got.status.as_str(), "celebrating");
    assert_eq!(
        raw_goal_field(&mut k, &g, "colour").as_deref(),
        Some("sunrise")
    );
    assert_eq!(
        raw_goal_field(&mut k, &g, "status").as_deref(),
        Some("celebrating")
    );
    let bytes = k.document_bytes(&SpaceKind::Personal).unwrap();
    let doc = automerge::Automerge::load(&bytes).unwrap();
    assert!(get_obj(&doc, &ROOT, "wellness_plans", ObjType::Map).is_some());
    // JSON shows the unknown value as it is.
    let json = serde_json::to_value(k.goal(&g).unwrap()).unwrap();
    assert_eq!(json["status"], "celebrating");
}

#[test]
fn a_newer_schema_opens_read_only_and_is_not_rewritten() {
    let (dir, mut k) = fresh();
    let g = k
        .add_goal(&NewGoal {
            title: "Garden".into(),
            ..Default::default()
        })
        .unwrap();
    k.add_check_in(&check_in(4, "2026-03-01T09:00:00Z"))
        .unwrap();
    write_as_newer_version(&mut k, &g, Some(crate::SCHEMA_VERSION + 1));
    drop(k);

    let before = chunk_count(dir.path());
    let mut k = reopen_with(dir.path(), 1);
    assert!(k.is_read_only(&SpaceKind::Personal).unwrap());
    // Everything this version understands is readable.
    assert_eq!(k.goal(&g).unwrap().title, "Garden");
    assert_eq!(k.check_ins(None, None).unwrap().len(), 1);
    // Every write is refused with a message that says why.
    let err = k
        .add_check_in(&check_in(3, "2026-03-02T09:00:00Z"))
        .unwrap_err();
    assert!(matches!(err, Error::ReadOnly { .. }));
    assert!(err.to_string().contains("newer version"));
    assert!(matches!(
        k.set_goal_status(&g, &GoalStatus::Paused),
        Err(Error::ReadOnly { .. })
    ));
    // Compaction leaves the newer document alone.
    k.compact(&SpaceKind::Personal).unwrap();
    assert_eq!(chunk_count(dir.path()), before);
    // The other space is unaffected.
    assert!(!k.is_read_only(&SpaceKind::Caseload).unwrap());
    k.add_contact(&NewContact { name: "Sam".into() }).unwrap();
}

#[test]
fn records_from_elsewhere_with_odd_values_read_without_panicking() {
    let (_dir, mut k) = fresh();
    k.edit(&SpaceKind::Personal, |_, e| {
        let coll = get_obj(e.tx, &ROOT, CHECK_INS, ObjType::Map).unwrap();
        let c = e.tx.put_object(&coll, "odd1", ObjType::Map)?;
        e.tx.put(&c, "mood", "very good")?;
        e.tx.put(&c, "occurred_at", 12345_i64)?;
        e.tx.put(&c, "tags", "not a list")?;
        e.tx.put(&coll, "not-a-map", 7_i64)?;
        e.touched.push(crate::space::Touched {
            collection: CHECK_INS,
            id: crate::Id::parse("odd1").unwrap(),
        });
        Ok(())
    })
    .unwrap();
    let all = k.check_ins(None, None).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].mood, 3);
    assert!(all[0].tags.is_empty());
}
