#!/usr/bin/env bash
# Runs the browser journeys against the real server: builds the web app when its sources changed,
# serves the backend on a throwaway SQLite database, waits for it to be healthy, runs Playwright
# with Debian's Chromium, and always stops the server. Extra arguments go to `playwright test`.
set -euo pipefail

FRONTEND="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$FRONTEND/.." && pwd)"
PORT="${E2E_PORT:-8765}"
export E2E_BASE_URL="${E2E_BASE_URL:-http://127.0.0.1:$PORT}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "Chromium not found at $CHROMIUM_PATH: install Debian's package (apt-get install chromium)." >&2
  exit 1
fi

cd "$FRONTEND"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/index.html ] || [ -n "$(find src public index.html vite.config.ts package.json -newer dist/index.html -print -quit)" ]; then
  npm run build
fi

if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "Port $PORT is already in use; set E2E_PORT to a free port." >&2
  exit 1
fi

WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/e2e.XXXXXX")"
LOG="$WORKDIR/server.log"
export DATABASE_URL="sqlite:///$WORKDIR/e2e.sqlite3"
export FRONTEND_DIST="$FRONTEND/dist"

# Every journey comes from one client address; the per-client limits would throttle the suite
# itself. The limits have their own tests in the backend.
export RATE_LIMIT_CLASSIFY=off RATE_LIMIT_CREATE=off

# The server runs in its own process group so that stopping it also stops its worker.
setsid env PORT="$PORT" HOST=127.0.0.1 make -C "$REPO" --no-print-directory serve >"$LOG" 2>&1 &
SERVER_PID=$!

stop_server() {
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORKDIR"
}
trap stop_server EXIT INT TERM

echo "Waiting for the server at $E2E_BASE_URL ..."
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$E2E_BASE_URL/api/health/" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "The server exited before it was healthy:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done
if ! curl -fsS -o /dev/null "$E2E_BASE_URL/api/health/"; then
  echo "The server did not become healthy within 60 s:" >&2
  tail -n 50 "$LOG" >&2
  exit 1
fi

status=0
npx playwright test "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 40 lines) ---" >&2
  tail -n 40 "$LOG" >&2
fi
exit "$status"
