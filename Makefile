# Agora — every task a newcomer needs. `make demo` runs the app, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test` fails if the tests run less of the code than this (lines and branches, in %): 90.76 %
# without the slow tests on SQLite when it was set; the PostgreSQL run takes other branches.
COVERAGE_FLOOR ?= 89

.PHONY: help install demo server migrate seed test test-fast lint format messages check bench screenshots clean

help:
	@echo "make demo    set up, seed demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test    set up and run the whole test suite, with the coverage floor"
	@echo "make lint    ruff check + format check + makemigrations --check + mypy"
	@echo "make bench   run the benchmarks under bench/ (see docs/performance.md)"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtual environment: on Debian, install python3-venv"; exit 1; }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

demo: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_accounts
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

server: migrate
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# Coverage as configured in pyproject.toml ([tool.coverage.*]); the floor is COVERAGE_FLOOR above.
test: install
	$(PY) -m pytest --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR)

test-fast: install
	$(PY) -m pytest -x -q -m "not slow"

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m mypy

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Regenerate the catalogues of every app and the project, then compile them (needs gettext).
messages: install
	for dir in assembly proposals meetings questionnaires votes recommendations realtime; do \
	  (cd $$dir && ../$(PY) ../manage.py makemessages -l fr -l en --no-obsolete) || exit 1; done
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --ignore '.venv/*' --ignore 'var/*' \
	  --ignore 'assembly/*' --ignore 'proposals/*' --ignore 'meetings/*' --ignore 'questionnaires/*' --ignore 'votes/*' \
	  --ignore 'recommendations/*' --ignore 'realtime/*' --ignore 'bench/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

check: install
	$(PY) manage.py check

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) var

# Browser tests: Debian's Chromium (apt) and axe-core (npm), no browser download (scripts/install-browser.sh).
browser:
	bash scripts/install-browser.sh

e2e: install browser
	$(PY) -m pytest tests/e2e tests/chaos -q

screenshots: install browser
	$(PY) -m scripts.screenshots
