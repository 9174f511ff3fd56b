# Rabita — `make help` lists the targets. The README's quick start is `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
LOCK := requirements/dev.lock
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install system-deps browser-deps run serve migrate demo messages lint format check test test-postgres search-index elasticsearch test-elasticsearch worker lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

system-deps: ## Install the Debian packages the build needs (gettext, Node.js) when missing
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (e.g. sudo apt-get install$$missing)"; exit 1; fi; \
	fi

browser-deps: ## Install Debian's Chromium for the browser tests (needs root)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@chromium --version

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python $(LOCK) pyproject.toml
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip sync -q --python $(BIN)/python $(LOCK) || $(BIN)/python -m pip install -q -r $(LOCK)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: system-deps $(VENV)/.installed node_modules/.installed messages ## Install Python and front-end dependencies, build catalogues

messages: $(BIN)/python ## Compile the translation catalogues (.po -> .mo)
	@cd locale && ../$(BIN)/python ../manage.py compilemessages -v0

migrate: install ## Apply database migrations
	$(MANAGE) migrate --no-input -v0

demo: migrate ## Load the demo data (idempotent)
	$(MANAGE) load_demo_data

run: migrate ## Set up everything and serve http://127.0.0.1:8000 (HTTP and WebSocket)
	$(MANAGE) load_demo_data --if-empty
	$(MANAGE) runserver 127.0.0.1:8000

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django system checks and missing migrations
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

test: lint check ## Every check and test (browser tests skip, saying why, without Chromium)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

test-postgres: ## The test suite against PostgreSQL on 127.0.0.1:5432 (fresh database)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rabita} $(MAKE) test

search-index: migrate ## (Re)build the search index, with progress
	$(MANAGE) rebuild_search_index

elasticsearch: ## Start Elasticsearch 9 with docker compose (127.0.0.1:9200)
	docker compose up -d elasticsearch

test-elasticsearch: install ## Live Elasticsearch tests (ELASTICSEARCH_URL, default 127.0.0.1:9200)
	ELASTICSEARCH_URL=$${ELASTICSEARCH_URL:-http://127.0.0.1:9200} DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/pytest -m elasticsearch tests/search

worker: migrate ## Run the background task worker (TASK_BACKEND=database)
	TASK_BACKEND=database $(MANAGE) db_worker

cron: migrate ## Run the periodic jobs once (reminders, digests, message e-mails, expiries)
	$(MANAGE) run_periodic_jobs

lock: ## Re-resolve the locked dependencies from pyproject.toml
	$(BIN)/uv pip compile -q pyproject.toml --extra dev -p 3.11 -o requirements/dev.lock
	$(BIN)/uv pip compile -q pyproject.toml -p 3.11 -o requirements/base.lock

clean: ## Remove the virtualenv, node_modules, built files and the SQLite database
	rm -rf $(VENV) node_modules static_root media db.sqlite3* locale/*/LC_MESSAGES/*.mo
