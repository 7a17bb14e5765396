# Two commands matter: `make run` (set up and serve on SQLite, no key needed) and `make test`
# (set up, lint, and run every test). Everything else is a building block of those two.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= python3
UV_VERSION := 0.13.8
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
FAULTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/triagedesk_faults
# Labelled evaluation sets (not in the repository; see README "Evaluation sets"). Never trained on.
TRIAGE_EVAL_DIR ?= ../shared/data/triage-eval

UV := var/tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) backend/manage.py
PYTEST := $(VENV)/bin/pytest -n 2 --dist loadfile
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null)

export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: help run serve dev test lint format test-backend test-sqlite test-postgres test-frontend \
        test-e2e train worker seed bench bench-faults compose-check clean deps frontend

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

## ---- setup -------------------------------------------------------------------------------

$(UV):
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

deps: $(VENV)/.synced ## Create .venv and install the locked Python dependencies

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: ## Build the web app when its sources changed (needs Node.js 20+)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory frontend/dist/index.html; \
	else echo "npm not found: serving the API only (install Node.js 20+ for the web app)."; fi

## ---- run ---------------------------------------------------------------------------------

run: deps frontend serve ## Set everything up and serve on http://$(HOST):$(PORT)/ (SQLite by default)

serve: ## Migrate and serve with uvicorn plus the background worker (no setup)
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) ensure_admin
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) train_triage --if-missing
	HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

dev: deps ## Autoreloading backend on :$(PORT) and the Vite dev server on :5173
	$(MANAGE) migrate --noinput -v 0
	@trap 'kill 0' EXIT; \
	  (command -v npm >/dev/null && cd frontend && npm run dev) & \
	  $(VENV)/bin/uvicorn --app-dir backend config.asgi:application --reload --reload-dir backend \
	    --timeout-graceful-shutdown 2 \
	    --host $(HOST) --port $(PORT)

worker: deps ## Run the background job worker (retraining) on its own
	$(MANAGE) db_worker

train: deps ## Retrain the local triage model now
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) train_triage

seed: deps ## Load a small demo set of tickets
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) seed_tickets --demo

bench: deps ## Benchmarks at 10k/100k/1M tickets (PostgreSQL at TEST_DATABASE_URL); see bench/RESULTS.md
	$(PY) bench/run.py --database-url $(TEST_DATABASE_URL) $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-faults

.PHONY: bench-accounts eval-triage bench-triage-http

eval-triage: deps ## Triage quality: shipped model (no key) vs keyword rules on every evaluation set, learning curves; scratch VAR_DIR
	@export VAR_DIR=$$(mktemp -d) && \
	  $(MANAGE) migrate -v 0 && $(MANAGE) train_triage && \
	  $(MANAGE) evaluate_triage --csv $(TRIAGE_EVAL_DIR)/*.csv --providers chain,local,rules \
	    --learning-curve --steps 50,200,500 $(EVAL_ARGS) && \
	  $(PY) bench/triage_register_out.py

bench-triage-http: deps ## Classify latency over HTTP, 4 concurrent clients, 2 server processes; see bench/RESULTS.md
	$(PY) bench/triage_http.py --record $(BENCH_ARGS)

bench-accounts: deps ## Accounts at 1M tickets over 10,000 requesters: token lists, sign-in; see bench/RESULTS.md
	$(PY) bench/accounts.py --database-url $(TEST_DATABASE_URL) $(BENCH_ARGS)

.PHONY: bench-conversations

bench-conversations: deps ## A 200-message thread at 1M tickets / 5M messages (PostgreSQL); see bench/RESULTS.md
	$(PY) bench/conversations.py --database-url $(TEST_DATABASE_URL) $(BENCH_ARGS)

.PHONY: bench-mail

bench-mail: deps ## Webhook ingest rate and a 1,000-message mailbox drained with the poller killed (dovecot); see bench/RESULTS.md
	scripts/ensure-debian-packages.sh /usr/sbin/dovecot=dovecot-imapd
	$(PY) bench/mail.py --database-url $(TEST_DATABASE_URL) $(BENCH_ARGS)

bench-faults: deps ## Restart PostgreSQL under concurrent creates: zero acknowledged tickets lost (root)
	$(PY) bench/restart_loss.py --database-url $(FAULTS_DATABASE_URL)

## ---- quality -----------------------------------------------------------------------------

lint: deps ## ruff format --check, ruff check, mypy, import contracts; ESLint and tsc for the web app
	$(VENV)/bin/ruff format --check backend bench scripts
	$(VENV)/bin/ruff check backend bench scripts
	$(VENV)/bin/mypy backend
	PYTHONPATH=backend $(VENV)/bin/lint-imports --no-logo --no-cache
	@if [ -d frontend/src ]; then $(MAKE) --no-print-directory frontend/node_modules/.installed && \
	  cd frontend && npm run lint && npx tsc --noEmit; fi
	$(MAKE) --no-print-directory api-types-check

format: deps ## Apply ruff's formatting and autofixes
	$(VENV)/bin/ruff format backend bench scripts
	$(VENV)/bin/ruff check --fix backend bench scripts

.PHONY: api-types api-types-check

api-types: deps frontend/node_modules/.installed ## Regenerate frontend/src/types/api.ts from the backend's OpenAPI schema
	frontend/scripts/api-types.sh

api-types-check: deps frontend/node_modules/.installed
	frontend/scripts/api-types.sh --check

test: lint test-backend test-frontend test-e2e compose-check ## Lint and run every test

test-backend: test-sqlite test-postgres

test-sqlite: deps
	scripts/ensure-debian-packages.sh /usr/sbin/dovecot=dovecot-imapd
	@echo "== backend tests on SQLite =="
	DATABASE_URL= $(PYTEST) backend

test-postgres: deps
	scripts/ensure-debian-packages.sh /usr/sbin/dovecot=dovecot-imapd
	@echo "== backend tests on PostgreSQL ($(TEST_DATABASE_URL)) =="
	@if $(PY) scripts/pg_reachable.py "$(TEST_DATABASE_URL)"; then \
	  DATABASE_URL="$(TEST_DATABASE_URL)" REQUIRE_POSTGRES=1 $(PYTEST) backend; \
	elif [ -n "$$CI" ]; then echo "CI is set: PostgreSQL is required, not skipped." >&2; exit 1; \
	else echo "SKIPPED: PostgreSQL not reachable at $(TEST_DATABASE_URL) (set TEST_DATABASE_URL)."; fi

test-frontend: frontend/node_modules/.installed
	@echo "== web app component tests =="
	cd frontend && npm test

test-e2e: deps frontend
	@echo "== browser journeys (Chromium) =="
	scripts/ensure-debian-packages.sh /usr/bin/chromium=chromium
	frontend/e2e/run.sh

compose-check: deps ## Validate docker-compose.yml with the Compose v2 CLI (no engine needed)
	$(VENV)/bin/docker-compose config --quiet && echo "docker compose config: OK"

clean: ## Remove the virtualenv, build output and local data (var/)
	rm -rf $(VENV) var frontend/dist frontend/node_modules
