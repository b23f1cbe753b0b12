//! The five-year dataset the benchmarks share: 2,000 check-ins, 100 goals
//! of 10 steps, 300 contacts, 3,000 contact notes of about 1 KB, written
//! through the public API (every record a durable write).

use kindred_core::Kindred;
use kindred_core::model::*;
use time::{Duration as Span, OffsetDateTime};

use crate::Rng;

/// Roughly `approx_bytes` of plain words.
pub fn words(rng: &mut Rng, approx_bytes: usize) -> String {
    const W: &[&str] = &[
        "talked",
        "about",
        "the",
        "week",
        "walked",
        "library",
        "group",
        "plans",
        "housing",
        "shared",
        "story",
        "strengths",
        "called",
        "sister",
        "coffee",
        "park",
        "felt",
        "hopeful",
        "tired",
        "work",
        "bus",
        "appointment",
        "garden",
        "music",
        "sleep",
        "friends",
    ];
    let mut s = String::with_capacity(approx_bytes + 16);
    while s.len() < approx_bytes {
        s.push_str(W[rng.range(0, W.len() as u64) as usize]);
        s.push(' ');
    }
    s.trim_end().to_owned()
}

/// Writes the dataset into `k`.
pub fn five_years(k: &mut Kindred) -> Result<(), kindred_core::Error> {
    let mut rng = Rng::new(20_261_122);
    let start = OffsetDateTime::now_utc() - Span::days(5 * 365);
    let tags = ["sleep", "walk", "friends", "work", "family", "music"];
    for i in 0..2_000i64 {
        let n = rng.range(0, 3) as usize;
        k.add_check_in(&NewCheckIn {
            occurred_at: start + Span::hours(i * 21),
            mood: 1 + (rng.range(0, 5) as i64),
            energy: Some(1 + rng.range(0, 5) as i64),
            tags: tags[..n].iter().map(|t| t.to_string()).collect(),
            note: Some(words(&mut rng, 100)),
        })?;
    }
    for g in 0..100 {
        let id = k.add_goal(&NewGoal {
            title: format!("Goal {g}: {}", words(&mut rng, 30)),
            why: Some(words(&mut rng, 120)),
            area: Some(LifeArea::Social),
            target_date: None,
        })?;
        for s in 0..10 {
            k.add_step(&id, &format!("Step {s}: {}", words(&mut rng, 40)), None)?;
        }
    }
    let mut contacts = Vec::new();
    for c in 0..300 {
        contacts.push(k.add_contact(&NewContact {
            name: format!("Person {c}"),
        })?);
    }
    for i in 0..3_000i64 {
        let at = start + Span::hours(i * 14);
        k.add_note(&NewContactNote {
            contact_id: contacts[(i % 300) as usize].clone(),
            contact_type: ContactType::InPerson,
            setting: Setting::Community,
            start: at,
            end: at + Span::minutes(45),
            goals_addressed: vec!["housing".into()],
            peer_activities: vec!["walked to the library".into()],
            narrative: words(&mut rng, 700),
            own_words: Some(words(&mut rng, 150)),
            strengths: Some(words(&mut rng, 80)),
            next_steps: Some(words(&mut rng, 80)),
            next_contact: None,
            substance_use: i % 10 == 0,
        })?;
    }
    Ok(())
}
