#!/usr/bin/env bash
# Serve the app with uvicorn and run the background job worker beside it; stopping one stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" backend/manage.py db_worker --verbosity 0 &
worker=$!
poller=
if [ -n "${IMAP_URL:-}" ]; then
  # The mailbox poller (mail app): files new mail every IMAP_POLL_INTERVAL seconds.
  "$PY" backend/manage.py poll_mailbox &
  poller=$!
fi
# Queues the SLA breach sweep for the worker every SLA_SWEEP_INTERVAL seconds.
"$PY" backend/manage.py sla_schedule --verbosity 0 &
scheduler=$!
trap 'kill "$worker" "$scheduler" $poller 2>/dev/null || true' EXIT INT TERM
# Workers: one per CPU on PostgreSQL, whose LISTEN/NOTIFY carries live events across processes;
# one on SQLite, where events stay inside the process that wrote them.
if [ -z "${WEB_CONCURRENCY:-}" ]; then
  case "${DATABASE_URL:-}" in
    postgres://* | postgresql://* | pgsql://* | postgis://*) WEB_CONCURRENCY="$(nproc 2>/dev/null || echo 1)" ;;
    *) WEB_CONCURRENCY=1 ;;
  esac
fi
echo "Serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (API at /api/, docs at /api/docs/)"
# uvicorn in WEB_CONCURRENCY processes, each on its own SO_REUSEPORT socket so connections spread
# over them (scripts/serve_web.py). Open event streams get 5 s to finish on stop; clients
# reconnect and resume (Last-Event-ID).
"$PY" scripts/serve_web.py --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
  --workers "$WEB_CONCURRENCY" --log-level "${UVICORN_LOG_LEVEL:-info}"
