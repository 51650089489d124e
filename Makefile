# KM Tracker: `make run` to try it, `make test` to check it. `make help` lists the rest.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Development-only values; production sets its own environment (see README).
DEV_ENV := DEBUG=1 SECRET_KEY=development-only-not-secret
HOST ?= 127.0.0.1
PORT ?= 8000
# What `make run` and `make sendtestmail` add: links in e-mail point at this server.
RUN_ENV = $(DEV_ENV) SITE_URL=http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install run sendtestmail test e2e lint format bench clean deploy-check loadtest backup restore

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

run: install  ## migrate, load the demo data and serve on http://$(HOST):$(PORT) with SQLite and a job worker
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo
	@echo "KM Tracker on http://$(HOST):$(PORT)/ — demo logins (password: kmtracker-demo):"
	@echo "  broker, lead, evaluator  (Bristol)     wm-broker  (West Midlands)"
	@echo "  admin  (site administrator: creates teams at http://$(HOST):$(PORT)/site/teams/)"
	@echo "E-mail stays in the outbox, for admin: http://$(HOST):$(PORT)/dev/outbox/ (make sendtestmail)"
	@echo
	$(RUN_ENV) $(PY) manage.py run_with_worker $(HOST):$(PORT)

# The address does not matter: with `make run`'s settings nothing leaves the machine.
TO ?= newcomer@example.org
sendtestmail: install  ## queue a test e-mail to TO=newcomer@example.org; make run's worker puts it in the outbox
	$(RUN_ENV) $(PY) manage.py send_test_mail $(TO) --team bristol

lint: install  ## ruff, mypy on the shared layers, Django's system checks, no missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/mypy
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

# Measurements on PostgreSQL (BENCH_PG), each in a database of its own per size: SCALE=large
# (1,000,000 activities), growth (100,000 then 1,000,000), small (3,000: proves it runs),
# or a number of activities. BENCH_ARGS passes options on (`bench/run.py --help`).
SCALE ?= large
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_ARGS ?=

bench: install  ## measure exports, report, list, logging and throughput with their references (SCALE=large|growth|small)
	BENCH_PG=$(BENCH_PG) $(PY) bench/run.py --scale $(SCALE) $(BENCH_ARGS)

deploy-check: install  ## production config on a fresh PostgreSQL: check --deploy, gunicorn, /healthz, two instances
	$(PY) deploy/check.py

# loadtest/run.py lists its variables: the server (LOADTEST_DATABASE_URL), how to restart
# it (LOADTEST_RESTART_COMMAND), the users and the scenarios.
LOADTEST_DURATION ?= 60
loadtest: install  ## 20 users on gunicorn and PostgreSQL for LOADTEST_DURATION=60 s, then with PostgreSQL restarted; checks every write
	LOADTEST_DURATION=$(LOADTEST_DURATION) $(PY) loadtest/run.py

# The database is DATABASE_URL's, else db.sqlite3; see kmtracker/backup.py.
BACKUP_DIR ?= backups
backup: install  ## copy the database into BACKUP_DIR=backups/ (pg_dump custom format, or SQLite's backup API)
	$(PY) -m kmtracker.backup backup --dir $(BACKUP_DIR)

restore: install  ## restore FILE=... into INTO=<database URL> (default DATABASE_URL), which must be empty unless FORCE=1
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/... [INTO=postgres://...] [FORCE=1]"; exit 2; }
	$(PY) -m kmtracker.backup restore "$(FILE)" $(if $(INTO),--into "$(INTO)") $(if $(filter 1,$(FORCE)),--force)

clean:  ## remove the virtual environment, npm packages and the SQLite database
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
