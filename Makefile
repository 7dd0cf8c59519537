# Haicang — two commands do all set-up: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell for p in python3.12 python3.13; do if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HAICANG_DATA_DIR ?= $(CURDIR)/var
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/haicang_test
PYTEST_WORKERS ?= 2

.PHONY: help install demo serve worker test lint typecheck test-sqlite test-postgres check-postgres bench bench-quick messages clean

help:
	@echo "make demo   - install, seed the demo world and serve it on http://127.0.0.1:8000"
	@echo "make test   - install, run ruff, mypy and the tests on SQLite and PostgreSQL"
	@echo "make bench / make bench-quick - benchmarks (full size / small)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Haicang needs Python 3.12 or 3.13 (python3.12 or python3.13 on PATH); neither was found." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.12') and run make again." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --constraint constraints.txt --editable '.[dev,rq]'
	@touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt (Debian package gettext) is needed to compile translations." >&2; exit 1; }
	@cd haicang && ../$(BIN)/haicang compilemessages --verbosity 0

demo: install
	$(BIN)/haicang demo

serve: install
	$(BIN)/haicang serve

worker: install
	$(BIN)/haicang worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy haicang bench

check-postgres: $(STAMP)
	@$(BIN)/python -c 'import sys, psycopg; url = sys.argv[1]; base = url.rsplit("/", 1)[0] + "/postgres"; \
	psycopg.connect(base, connect_timeout=5).close()' '$(TEST_DATABASE_URL)' 2>/dev/null || { \
	  echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL)." >&2; \
	  echo "Start it (e.g. 'pg_ctlcluster --skip-systemctl-redirect 15 main start') or set TEST_DATABASE_URL." >&2; \
	  exit 1; }

test-sqlite: install
	env -u DATABASE_URL HAICANG_DATA_DIR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install check-postgres
	DATABASE_URL=$(TEST_DATABASE_URL) HAICANG_DATA_DIR=$(CURDIR)/var/test-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: install lint typecheck check-postgres test-sqlite test-postgres

bench: install
	$(BIN)/python -m bench

bench-quick: install
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) var
