# NTM records: `make run` to use it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint bench messages clean-db help

help:
	@echo "make run    - set everything up and serve http://$(HOST):$(PORT)/admin/ with demo data"
	@echo "make setup  - the same without serving"
	@echo "make test   - install test tools and run the whole suite"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - import benchmark (benchmarks/README.md)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_divisions
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo
	$(PY) manage.py create_demo_admin
	$(PY) manage.py collectstatic --no-input --verbosity 0

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.dev
	$(PY) benchmarks/import_bench.py

messages: $(VENV)/.dev
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean-db:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm
