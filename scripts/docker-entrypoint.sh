#!/bin/sh
# Container entry point. `web` migrates then serves; `worker` runs the background job worker.
set -eu
cd /app
if [ -z "${SECRET_KEY:-}" ]; then
  # No key given: make one once and keep it in the data volume, shared by web and worker.
  if [ ! -s var/secret_key ]; then
    python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
    chmod 600 var/secret_key
  fi
  SECRET_KEY=$(cat var/secret_key)
  export SECRET_KEY
fi
case "${1:-web}" in
  web)
    python backend/manage.py migrate --noinput
    # The first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or a log line saying how to make one.
    python backend/manage.py ensure_admin
    # Train the shipped local model now rather than inside the first classify request.
    python backend/manage.py train_triage --if-missing
    # uvicorn in WEB_CONCURRENCY processes, each on its own SO_REUSEPORT socket so connections
    # spread over them (scripts/serve_web.py); proxy headers from FORWARDED_ALLOW_IPS only, and
    # open event streams get 5 s to finish on stop.
    export FORWARDED_ALLOW_IPS="${FORWARDED_ALLOW_IPS:-127.0.0.1}"
    exec python scripts/serve_web.py --host 0.0.0.0 --port "${PORT:-8000}" \
      --workers "${WEB_CONCURRENCY:-2}"
    ;;
  worker)
    if [ -n "${IMAP_URL:-}" ]; then
      # The mailbox poller beside the job worker (it retries a failing server by itself); it
      # ends with the container when the worker, PID 1, stops.
      python backend/manage.py poll_mailbox &
    fi
    exec python backend/manage.py db_worker
    ;;
  *)
    exec "$@"
    ;;
esac
