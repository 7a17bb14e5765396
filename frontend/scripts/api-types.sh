#!/usr/bin/env bash
# Generates src/types/api.ts from the backend's OpenAPI schema: drf-spectacular writes the schema
# (no database needed) to a temporary file, openapi-typescript turns it into types.
#   scripts/api-types.sh          rewrite src/types/api.ts when the schema changed
#   scripts/api-types.sh --check  change nothing; fail when the committed file is stale
set -euo pipefail

FRONTEND="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$FRONTEND/.." && pwd)"
TARGET="$FRONTEND/src/types/api.ts"
PYTHON="$REPO/.venv/bin/python"
OPENAPI_TYPESCRIPT="$FRONTEND/node_modules/.bin/openapi-typescript"

case "${1:-}" in
  "") check=false ;;
  --check) check=true ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if [ ! -x "$PYTHON" ]; then
  echo "No backend virtualenv at $REPO/.venv: run 'make deps' first." >&2
  exit 1
fi
if [ ! -x "$OPENAPI_TYPESCRIPT" ]; then
  echo "openapi-typescript is not installed: run 'npm ci' in frontend/ first." >&2
  exit 1
fi

WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/api-types.XXXXXX")"
trap 'rm -rf "$WORKDIR"' EXIT

"$PYTHON" "$REPO/backend/manage.py" spectacular --format openapi-json --file "$WORKDIR/schema.json"
"$OPENAPI_TYPESCRIPT" "$WORKDIR/schema.json" --output "$WORKDIR/api.ts" >/dev/null

if [ "$check" = true ]; then
  if ! diff -u --label "src/types/api.ts" --label "src/types/api.ts as the schema generates it" \
    "$TARGET" "$WORKDIR/api.ts" >"$WORKDIR/api.diff"; then
    head -n 60 "$WORKDIR/api.diff" >&2
    echo >&2
    echo "frontend/src/types/api.ts is stale: it differs from what the backend's OpenAPI schema generates." >&2
    echo "Run 'make api-types' (or 'npm run api-types' in frontend/), fix what tsc then reports, and commit." >&2
    exit 1
  fi
  echo "frontend/src/types/api.ts matches the backend's API schema."
elif cmp -s "$WORKDIR/api.ts" "$TARGET"; then
  echo "frontend/src/types/api.ts is up to date."
else
  cp "$WORKDIR/api.ts" "$TARGET"
  echo "Wrote frontend/src/types/api.ts; run 'npx tsc --noEmit' in frontend/ to see what the change breaks."
fi
