//! This device, the devices in your spaces, and pairing your own devices.

use std::path::Path;
use std::time::{Duration, Instant};

use kindred_core::Kindred;
use kindred_core::sync::AcceptOutcome;

use crate::CliError;
use crate::keys::{Keys, prepare_dir};
use crate::output;

use super::{fingerprint, transport};

pub(super) fn show_device(k: &mut Kindred, json: bool) -> Result<(), CliError> {
    let fp = fingerprint(k)?;
    if json {
        output::json(&serde_json::json!({
            "id": k.device().id,
            "name": k.device().name,
            "person": k.person_name(),
            "fingerprint": fp,
            "spaces": k.spaces(),
            "server": k.server()?,
        }))
    } else {
        println!("{}", k.device().name);
        if let Some(p) = k.person_name() {
            println!("  used by:     {p}");
        }
        println!("  fingerprint: {fp}");
        let places = output::Places::of(k);
        let kept: Vec<String> = k
            .spaces()
            .iter()
            .filter(|s| places.shown(s.kind.as_str()))
            .map(|s| places.name(&s.id, s.kind.as_str()))
            .collect();
        if !kept.is_empty() {
            println!("  keeps:       {}", kept.join("; "));
        }
        if let Some(server) = k.server()? {
            println!("  syncs with:  {server}");
        }
        Ok(())
    }
}

pub(super) fn rotate_wrap_key(k: &mut Kindred) -> Result<(), CliError> {
    let t = transport(k)?;
    let r = k.rotate_wrap_key(&t)?;
    println!(
        "This device has a new key for receiving space keys ({}); {} space(s) were told of it.",
        r.fingerprint,
        r.spaces.len()
    );
    Ok(())
}

pub(super) fn list(k: &mut Kindred, json: bool) -> Result<(), CliError> {
    let devices = k.devices()?;
    if json {
        return output::json(&devices);
    }
    if devices.is_empty() {
        println!("Nothing synced yet: set a server and run `kindred sync`.");
    }
    // One line per device, with where it is and what it may do there.
    let places = output::Places::of(k);
    let mut seen: Vec<(String, String, bool, Vec<String>)> = Vec::new();
    for d in devices.into_iter().filter(|d| places.shown(&d.space)) {
        let place = match d.space.as_str() {
            "personal" => "your own records",
            "caseload" => "your caseload",
            _ => "a share",
        };
        let what = format!("{place} ({})", d.role);
        match seen.iter_mut().find(|s| s.0 == d.fingerprint) {
            Some(s) => {
                if !s.3.contains(&what) {
                    s.3.push(what);
                }
            }
            None => seen.push((d.fingerprint, d.name, d.this_device, vec![what])),
        }
    }
    for (fingerprint, name, this_device, places) in seen {
        let me = if this_device { " (this device)" } else { "" };
        println!("{fingerprint}  {name}{me}: {}", places.join(", "));
    }
    Ok(())
}

/// Asks the person on this device whether the new device shows `code`
/// (y/N on stdin; anything else, or no terminal, is no).
fn ask_yes(name: &str, fingerprint: &str, code: &str) -> bool {
    use std::io::{BufRead, Write};
    eprintln!("A device called \"{name}\" ({fingerprint}) asks to join.");
    eprintln!("Code: {code}");
    eprint!("Does your new device show this same code? Add it? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim().to_lowercase().as_str(), "y" | "yes")
}

pub(super) fn pair_offer(k: &mut Kindred, timeout: u64, yes: bool) -> Result<(), CliError> {
    let t = transport(k)?;
    let server = k.server()?.unwrap_or_default();
    let offer = k.pair_offer(&server, Duration::from_secs(timeout))?;
    let text = offer.to_text();
    println!("{text}");
    if let Ok(code) = qrcode::QrCode::new(text.as_bytes()) {
        let qr = code
            .render::<qrcode::render::unicode::Dense1x2>()
            .quiet_zone(true)
            .build();
        eprintln!("{qr}");
    }
    eprintln!("On the new device, run: kindred pair join {text} --name NAME");
    eprintln!("Waiting up to {timeout} seconds ...");
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let mut rejected = 0;
    while Instant::now() < deadline {
        match k.pair_accept(&t, &offer) {
            Ok(AcceptOutcome::Asking(r)) => {
                let code = r.code.display();
                let ok = if yes {
                    eprintln!(
                        "A device called \"{}\" ({}) asks to join.",
                        r.name, r.fingerprint
                    );
                    eprintln!("Code: {code}");
                    eprintln!("Adding it without asking (--yes).");
                    true
                } else {
                    ask_yes(&r.name, &r.fingerprint, &code)
                };
                match k.pair_confirm(&t, &offer, ok)? {
                    AcceptOutcome::Joined(d) => {
                        println!("Paired with {} ({}).", d.name, d.fingerprint);
                        return Ok(());
                    }
                    _ => {
                        return Err(CliError::Failed(
                            "you said it is not your device, so no one was added. To pair a device of yours, run `kindred pair offer` again".into(),
                        ));
                    }
                }
            }
            Ok(AcceptOutcome::Joined(d)) => {
                println!("Paired with {} ({}).", d.name, d.fingerprint);
                return Ok(());
            }
            Ok(AcceptOutcome::Declined) => {
                return Err(CliError::Failed("no one was added".into()));
            }
            Ok(AcceptOutcome::Waiting { rejected: r }) => rejected += r,
            Err(kindred_core::Error::PairingExpired) => break,
            Err(kindred_core::Error::Unreachable) => {}
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let why = if rejected > 0 {
        format!("{rejected} device(s) tried with a wrong code; no one was added")
    } else {
        "no device joined in time; no one was added".into()
    };
    Err(CliError::Failed(why))
}

pub(super) fn pair_join(
    dir: &Path,
    pass: Option<&str>,
    payload: &str,
    name: &str,
    person: Option<&str>,
    timeout: u64,
    insecure_http: bool,
) -> Result<(), CliError> {
    let offer = kindred_protocol_offer(payload)?;
    // Before anything is written: a refused address leaves no folder.
    kindred_core::sync::check_relay_url(&offer, insecure_http)
        .map_err(kindred_core::Error::from)?;
    if let Some(p) = person {
        kindred_core::check_person_name(p)?;
    }
    prepare_dir(dir)?;
    if Kindred::database_path(dir).exists() {
        return Err(CliError::Failed(
            "this folder already holds Kindred data; join from a new --data-dir".into(),
        ));
    }
    let keys = Keys::create(dir, pass)?;
    let made = Kindred::init_joining(dir, &keys, name).and_then(|mut k| {
        if let Some(p) = person {
            k.set_person_name(p)?;
        }
        Ok(k)
    });
    let mut k = match made {
        Ok(k) => k,
        Err(e) => {
            keys.remove();
            return Err(e.into());
        }
    };
    k.set_server_with(&offer, insecure_http)?;
    let t = transport(&k)?;
    let offer = k.pair_join_request(&t, payload)?;
    eprintln!("Code: {}", k.pair_code(&offer).display());
    eprintln!(
        "Check that the other device shows this same code, and say yes there. Waiting for it ..."
    );
    let deadline = Instant::now() + Duration::from_secs(timeout);
    while Instant::now() < deadline {
        match k.pair_join_finish(&t, &offer) {
            Ok(Some(d)) => {
                println!("Joined {} ({}).", d.name, d.fingerprint);
                let goals = k.goals(None).map(|g| g.len()).unwrap_or(0);
                let check_ins = k.check_ins(None, None).map(|c| c.len()).unwrap_or(0);
                eprintln!(
                    "Synced: {}, {}.",
                    output::count(goals, "goal", "goals"),
                    output::count(check_ins, "check-in", "check-ins")
                );
                return Ok(());
            }
            Ok(None) | Err(kindred_core::Error::Unreachable) => {}
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(CliError::Failed(
        "the other device did not answer in time: the code may be used, expired or mistyped".into(),
    ))
}

/// The server named in an offer's text (checked again by the core).
fn kindred_protocol_offer(payload: &str) -> Result<String, CliError> {
    kindred_core::sync::offer_server(payload).map_err(CliError::from)
}
