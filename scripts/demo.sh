#!/usr/bin/env bash
# A short Kindred session on the embedded defaults: a relay server
# (SQLite, loopback, a free port) and two devices of one person, each a
# local sealed store. The phone writes a goal and a check-in, the tablet
# pairs with it (one-time code), both sync through the relay, and the
# relay sees only ciphertext. Everything lives in a temporary folder,
# removed at the end (set KINDRED_DEMO_KEEP=1 to keep it and look inside).
set -euo pipefail
cd "$(dirname "$0")/.."

# The first build compiles everything (a few minutes): cargo shows its
# progress on stderr rather than leaving the terminal silent.
echo "Building kindred and kindred-server (the first build takes a few minutes) ..."
cargo build --locked -p kindred-cli -p kindred-server
kindred=target/debug/kindred
work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "${KINDRED_DEMO_KEEP:-}" = 1 ]; then
        echo "Kept the demo's folder: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

target/debug/kindred-server --listen 127.0.0.1:0 --data "$work/server" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/server.out")
echo "relay: $url"

phone() { printf '\n[phone]  $ kindred %s\n' "$*"; "$kindred" --data-dir "$work/phone" "$@"; }
tablet() { printf '\n[tablet] $ kindred %s\n' "$*"; "$kindred" --data-dir "$work/tablet" "$@"; }

phone init --name "Sam's phone" --person Sam
goal=$("$kindred" --data-dir "$work/phone" goal add "Walk to the park twice a week" --why "Fresh air helps me think" --area physical 2>/dev/null)
"$kindred" --data-dir "$work/phone" goal step add "${goal:0:8}" "Find my walking shoes" >/dev/null 2>&1
"$kindred" --data-dir "$work/phone" checkin add --mood 3 --tag sleep --note "Slow start, better by lunch" --at yesterday >/dev/null 2>&1
phone goal list
phone server "$url"
phone sync

# Pairing: the phone shows a one-time code (and a QR code on a terminal);
# the tablet joins with it. Both then show the same short code, and the
# phone adds the tablet only when its person says yes: here `--yes` says
# it for her (a person at a terminal leaves it out and answers y/N).
"$kindred" --data-dir "$work/phone" pair offer --timeout 60 --yes >"$work/offer.out" 2>"$work/offer.err" &
offer_pid=$!
for _ in $(seq 50); do [ -s "$work/offer.out" ] && break; sleep 0.1; done
code=$(head -1 "$work/offer.out")
echo
echo "[phone]  shows the code ${code:0:24}... (and a QR code)"
tablet pair join "$code" --name "Sam's tablet" --person Sam
wait "$offer_pid"
grep -m1 "asks to join" "$work/offer.err" | sed 's/^/[phone]  /'
tail -1 "$work/offer.out"

tablet goal list
tablet checkin add --mood 4 --tag walk --note "Made it to the park" >/dev/null
tablet sync
phone sync
phone checkin list
phone status
phone devices
echo
echo "The relay's folder holds only ciphertext; each device's folder is sealed with its own key."
echo "(The demo's temporary folder is removed now.)"
