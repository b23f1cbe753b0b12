#!/usr/bin/env bash
# A short `kindred` session on the embedded default (a local SQLite store
# in a temporary folder, nothing on the network): a person sets a goal and
# checks in, a worker writes and signs a contact note, then both export.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --locked -p kindred-cli
kindred=target/debug/kindred
export KINDRED_DATA_DIR="${KINDRED_DATA_DIR:-$(mktemp -d)/kindred}"
say() { printf '\n$ kindred %s\n' "$*"; "$kindred" "$@"; }

say init --name "Demo phone"
goal=$("$kindred" goal add "Walk to the park twice a week" --why "Fresh air helps me think" --area physical)
echo "(goal $goal)"
step=$("$kindred" goal step add "$goal" "Find my walking shoes")
"$kindred" goal step add "$goal" "Walk to the corner and back" >/dev/null
say goal step done "$goal" "$step"
say goal progress "$goal" "Went out on Tuesday, it felt good"
say goal show "$goal"
"$kindred" checkin add --mood 2 --tag sleep --note "Rough night" --at "$(date -d '2 days ago' +%Y-%m-%dT21:30:00%:z)" >/dev/null
"$kindred" checkin add --mood 4 --energy 3 --tag walk --tag friends --note "Coffee with Sam" >/dev/null
say checkin list
say checkin summary --weeks 2

contact=$("$kindred" contact add "Jordan")
note=$("$kindred" note add --contact "$contact" --type in_person --setting community \
  --start "$(date +%Y-%m-%dT10:00:00%:z)" --end "$(date +%Y-%m-%dT10:45:00%:z)" \
  --narrative "Met at the library. Jordan chose to talk about the housing forms." \
  --own-words "I feel better with a plan" --strengths "Kept the appointment" \
  --next-steps "Bring the forms on Friday")
say note sign "$note"
say note addendum "$note" "Jordan called to say the forms went in."
say note list --json
say export --format json --out "$KINDRED_DATA_DIR/export.json"
echo "exported to $KINDRED_DATA_DIR/export.json ($(wc -c < "$KINDRED_DATA_DIR/export.json") bytes)"
echo
echo "demo data is in $KINDRED_DATA_DIR (sealed: nothing there is readable without storage.key)"
