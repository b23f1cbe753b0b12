#!/usr/bin/env bash
# A short Kindred session on the embedded defaults: a relay server
# (SQLite, loopback, a free port) and two devices of one person, each a
# local sealed store. The phone writes a goal and a check-in, the tablet
# pairs with it (one-time code), both sync through the relay, and the
# relay sees only ciphertext. Everything lives in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --locked -p kindred-cli -p kindred-server
kindred=target/debug/kindred
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true' EXIT

target/debug/kindred-server --listen 127.0.0.1:0 --data "$work/server" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/server.out")
echo "relay: $url (data in $work/server)"

phone() { printf '\n[phone]  $ kindred %s\n' "$*"; "$kindred" --data-dir "$work/phone" "$@"; }
tablet() { printf '\n[tablet] $ kindred %s\n' "$*"; "$kindred" --data-dir "$work/tablet" "$@"; }

phone init --name "Sam's phone"
goal=$("$kindred" --data-dir "$work/phone" goal add "Walk to the park twice a week" --why "Fresh air helps me think" --area physical)
"$kindred" --data-dir "$work/phone" goal step add "$goal" "Find my walking shoes" >/dev/null
"$kindred" --data-dir "$work/phone" checkin add --mood 3 --tag sleep --note "Slow start, better by lunch" >/dev/null
phone goal list
phone server "$url"
phone sync

# Pairing: the phone shows a one-time code (and a QR code on a terminal);
# the tablet joins with it.
"$kindred" --data-dir "$work/phone" pair offer --timeout 60 >"$work/offer.out" 2>"$work/offer.err" &
offer_pid=$!
for _ in $(seq 50); do [ -s "$work/offer.out" ] && break; sleep 0.1; done
code=$(head -1 "$work/offer.out")
echo
echo "[phone]  shows the code ${code:0:24}... (and a QR code)"
tablet pair join "$code" --name "Sam's tablet"
wait "$offer_pid"
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
