#!/usr/bin/env bash
# Runs the browser journeys against the real server: builds the web app when its sources changed,
# serves the backend twice (open mode and accounts mode) on throwaway SQLite databases, waits for
# both to be healthy, runs Playwright with Debian's Chromium, and always stops the servers. Extra
# arguments go to `playwright test`.
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

WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/e2e.XXXXXX")"
export FRONTEND_DIST="$FRONTEND/dist"

# Every journey comes from one client address; the per-client limits would throttle the suite
# itself. The limits have their own tests in the backend.
export RATE_LIMIT_CLASSIFY=off RATE_LIMIT_CREATE=off RATE_LIMIT_LOGIN_ACCOUNT=off RATE_LIMIT_LOGIN_ADDRESS=off

# Two servers, each on its own throwaway SQLite database: the seed's open contract on $PORT, and
# accounts mode (sign-in required, a first admin created at start) on $PORT+1.
ACCOUNTS_PORT=$((PORT + 1))
export E2E_ACCOUNTS_URL="${E2E_ACCOUNTS_URL:-http://127.0.0.1:$ACCOUNTS_PORT}"
export E2E_ADMIN_EMAIL="admin@e2e.example" E2E_ADMIN_PASSWORD="e2e-admin-Passw0rd!"
PIDS=()

start_server() {  # port, name, extra environment...
  local port=$1 name=$2
  shift 2
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    echo "Port $port is already in use; set E2E_PORT to a free port." >&2
    exit 1
  fi
  # Each server runs in its own process group so that stopping it also stops its worker.
  setsid env PORT="$port" HOST=127.0.0.1 DATABASE_URL="sqlite:///$WORKDIR/$name.sqlite3" "$@" \
    make -C "$REPO" --no-print-directory serve >"$WORKDIR/$name.log" 2>&1 &
  PIDS+=($!)
}

stop_servers() {
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  rm -rf "$WORKDIR"
}
trap stop_servers EXIT INT TERM

wait_healthy() {  # url, name
  echo "Waiting for the server at $1 ..."
  # Generous: on a loaded machine (a 2-core CI box running the suites alongside) the start-up
  # commands alone can take a minute.
  for _ in $(seq 1 360); do
    curl -fsS -o /dev/null "$1/api/health/" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "The server at $1 did not become healthy within 180 s:" >&2
  tail -n 50 "$WORKDIR/$2.log" >&2
  exit 1
}

start_server "$PORT" open ACCESS_MODE=open
start_server "$ACCOUNTS_PORT" accounts ACCESS_MODE=accounts \
  ADMIN_EMAIL="$E2E_ADMIN_EMAIL" ADMIN_PASSWORD="$E2E_ADMIN_PASSWORD"
wait_healthy "$E2E_BASE_URL" open
wait_healthy "$E2E_ACCOUNTS_URL" accounts

status=0
npx playwright test "$@" || status=$?
if [ "$status" -ne 0 ]; then
  for name in open accounts; do
    echo "--- $name server log (last 40 lines) ---" >&2
    tail -n 40 "$WORKDIR/$name.log" >&2
  done
fi
exit "$status"
