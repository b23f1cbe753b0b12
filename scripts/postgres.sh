#!/usr/bin/env bash
# Starts the machine's PostgreSQL (Debian's cluster) for the tests and
# prints `export KINDRED_TEST_DATABASE_URL=...`; prints nothing when the
# URL is already set or no PostgreSQL can be started here. Used by
# scripts/test.sh; .ci/run installs the postgresql package first.
set -euo pipefail

if [ -n "${KINDRED_TEST_DATABASE_URL:-}" ]; then
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
  exit 0
fi
version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
[ -n "$version" ] || exit 0
if ! pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx main; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'kindred'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE USER kindred PASSWORD 'kindred' SUPERUSER\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'kindred_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O kindred kindred_test"
echo "export KINDRED_TEST_DATABASE_URL=postgres://kindred:kindred@127.0.0.1:5432/kindred_test"
