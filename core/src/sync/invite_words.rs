//! Roles in plain words, for the invite screens and the CLI: what someone
//! will be able to do, said before anyone says yes (kept apart from the
//! exchange in `invite.rs`, which is about keys).

use kindred_protocol::Role;

use crate::error::{Error, Result};

pub(crate) fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "owner",
        Role::Writer => "writer",
        Role::Reader => "reader",
        Role::Recovery => "recovery kit",
    }
}

/// What someone with `role` in a share can do, in plain words, to finish
/// "Sam will be able to …" or "You will be able to …". Shown before anyone
/// says yes to an invite.
pub fn role_in_words(role: Role) -> &'static str {
    match role {
        Role::Reader => "read what is shared, but not change or add anything",
        Role::Writer => {
            "read what is shared, add steps, progress and notes, and change the shared goals"
        }
        Role::Owner => "read and change everything that is shared, and invite or remove people",
        Role::Recovery => "bring everything back on a new device if all of them are lost",
    }
}

/// What changing someone's role from `before` to `after` does, in plain
/// words, to finish "this will …": about "them" (the other person), or
/// about "you" when `you`.
pub fn role_change_in_words(before: Role, after: Role, you: bool) -> String {
    let (them, they) = if you {
        ("you", "you")
    } else {
        ("them", "they")
    };
    match (before, after) {
        (a, b) if a == b => format!("change nothing: {they} keep what {they} can do now"),
        (Role::Reader, Role::Writer) => {
            format!("let {them} add steps, progress and notes, and change the shared goals too")
        }
        (Role::Reader, Role::Owner) => {
            format!("let {them} change everything that is shared, and invite or remove people too")
        }
        (Role::Writer, Role::Owner) => format!("let {them} invite or remove people too"),
        (Role::Writer, Role::Reader) => {
            format!("let {them} only read it from now on, not change or add anything")
        }
        (Role::Owner, Role::Writer) => format!(
            "stop {them} inviting or removing people; {they} can still add and change things"
        ),
        (Role::Owner, Role::Reader) => format!(
            "let {them} only read it from now on, not change or add anything, nor invite or remove people"
        ),
        _ => format!("let {them} {}", role_in_words(after)),
    }
}

/// Reads a role as typed: owner, writer or reader.
pub fn parse_role(s: &str) -> Result<Role> {
    match s.trim().to_ascii_lowercase().as_str() {
        "owner" => Ok(Role::Owner),
        "writer" => Ok(Role::Writer),
        "reader" => Ok(Role::Reader),
        _ => Err(Error::OutOfRange {
            field: "role",
            expected: "owner, writer or reader",
        }),
    }
}
