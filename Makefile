# KM Tracker: `make run` to try it, `make test` to check it. `make help` lists the rest.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Development-only values; production sets its own environment (see README).
DEV_ENV := DEBUG=1 SECRET_KEY=development-only-not-secret
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test e2e lint format bench clean deploy-check

help:  ## list the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed  ## create .venv and install pinned Python and npm packages

run: install  ## migrate, load the demo data and serve on http://$(HOST):$(PORT) with SQLite
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo
	@echo "KM Tracker on http://$(HOST):$(PORT)/ — demo logins (password: kmtracker-demo):"
	@echo "  broker, lead, evaluator  (Bristol)     wm-broker  (West Midlands)"
	@echo
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install  ## ruff, Django's system checks, and no missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

format: install  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Two workers: the machines this runs on have two cores. The browser tests (`make e2e`) run
# after the rest, in one process: they keep both cores busy themselves. BROWSER=0 skips them.
PYTEST_ARGS ?= -n 2 -m "not browser"
BROWSER ?= 1

test: lint  ## lint, then the whole suite, browser tests last (PostgreSQL when DATABASE_URL is set, else SQLite)
	$(BIN)/pytest $(PYTEST_ARGS) $(ARGS)
ifeq ($(BROWSER),1)
	@# Exit status 5: ARGS chose no browser test.
	$(BIN)/pytest -m browser $(ARGS) || [ $$? -eq 5 ]
endif

e2e: install  ## browser tests alone (Debian's Chromium at /usr/bin/chromium); screenshots in test-artifacts/screenshots/
	$(BIN)/pytest -m browser $(ARGS)

deploy-check: install  ## production config on a fresh PostgreSQL: check --deploy, gunicorn, /healthz, two instances
	$(PY) deploy/check.py

clean:  ## remove the virtual environment, npm packages and the SQLite database
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
