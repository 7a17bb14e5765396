#!/usr/bin/env bash
# Serve the app with uvicorn and run the background job worker beside it; stopping one stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" backend/manage.py db_worker --verbosity 0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (API at /api/, docs at /api/docs/)"
.venv/bin/uvicorn --app-dir backend config.asgi:application \
  --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-1}" --proxy-headers --no-server-header --log-level "${UVICORN_LOG_LEVEL:-info}"
