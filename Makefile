# BestQM: `make run` serves the embedded default; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
CHROMIUM ?= /usr/bin/chromium
DEMO_MEMBERS ?= 200
SCREENSHOTS ?= screenshots

.PHONY: install run test test-fast test-worker coverage lint format browser check clean screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Serve the site at http://127.0.0.1:8000 on an embedded SQLite database with demo data.
run: $(STAMP)
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo --members $(DEMO_MEMBERS) --seed 2026
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

## PNGs of the main pages at 1280 and 390 px (visitor, member, staff) into $(SCREENSHOTS)/,
## from a throw-away demo database served on a free port.
screenshots: $(STAMP) browser
	$(BIN)/python -m demo.screenshots --out $(SCREENSHOTS)

## Debian's Chromium for the browser tests (Playwright cannot download its own here).
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	echo "Installing Debian's chromium for the browser tests"; \
	if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	[ -x "$(CHROMIUM)" ] || { echo "chromium is still missing at $(CHROMIUM)" >&2; exit 1; }

## System checks (the privacy registry's among them), and migrations that match the models.
check: $(STAMP)
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

## The whole suite, browser tests included. Set DATABASE_URL to run it on PostgreSQL.
PYTEST ?= $(BIN)/pytest
test: $(STAMP) browser check
	$(PYTEST)

## The whole suite under coverage: reports the figure and fails under the floor
## (pyproject.toml, [tool.coverage.report] fail_under).
coverage: $(STAMP)
	$(BIN)/coverage erase
	$(MAKE) test PYTEST="$(BIN)/coverage run -m pytest"
	$(BIN)/coverage report

## Everything but the real-browser tests.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not e2e"

## A real Celery worker on Redis builds one export end to end. Set DATABASE_URL to
## PostgreSQL (the worker must see the test database); a missing Redis fails the run.
test-worker: $(STAMP)
	BESTQM_REQUIRE_BROKER=1 $(BIN)/pytest -m celery_worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .coverage htmlcov
