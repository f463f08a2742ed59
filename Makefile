# NTM records: `make run` to use it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Everything make runs is development (run, tests, benchmarks, messages): DEBUG on unless set. A deployment
# that sets nothing has it off (settings.py).
export DEBUG ?= 1

.PHONY: run setup test test-e2e screenshots lint bench bench-scale bench-load messages clean-db help docs-preview

help:
	@echo "make run    - set everything up and serve http://$(HOST):$(PORT)/admin/ with demo data (and a background worker)"
	@echo "make setup  - the same without serving"
	@echo "make test   - install test tools and run the whole suite"
	@echo "make test-e2e - the clerks' workflows in a real browser (Chromium; screenshots in screenshots/)"
	@echo "make screenshots - run them and refresh the README's gallery in docs/screenshots/"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - import benchmark (benchmarks/README.md)"
	@echo "make bench-scale - the whole country's data in PostgreSQL, every admin page and report timed (benchmarks/README.md)"
	@echo "make bench-load - 50 simulated clerks against gunicorn on the national data set (benchmarks/README.md)"
	@echo "make messages - add new strings to the English catalogue (ntm_site/locale/en) and compile all catalogues"
	@echo "make docs-preview - render the demo's draft documents (.docx) to PNG with LibreOffice (after make setup)"

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
	$(PY) manage.py create_demo_users
	$(PY) manage.py collectstatic --no-input --verbosity 0

# The server and, beside it, the worker that runs background jobs (imports, large downloads: ntm_site/jobs);
# Ctrl-C stops both. NTM_TASKS_BACKEND=rq starts an RQ worker instead (README, "Background jobs").
ifeq ($(NTM_TASKS_BACKEND),rq)
WORKER ?= $(PY) manage.py rqworker default --job-class django_tasks_rq.Job
else
WORKER ?= $(PY) manage.py db_worker --no-reload
endif
run: setup
	@$(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Tiến trình chạy nền (pid $$worker) chạy cùng máy chủ; Ctrl-C dừng cả hai."; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Browser tests: Playwright drives the system's Chromium (no browser download) against a live server.
# They are left out of `make test` (pyproject addopts: -m "not e2e").
CHROMIUM ?= /usr/bin/chromium
E2E_ARGS ?=
test-e2e: $(VENV)/.dev
	@test -x $(CHROMIUM) || { echo "Browser tests need Chromium at $(CHROMIUM): apt-get install -y chromium"; exit 1; }
	E2E_CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest -m e2e e2e $(E2E_ARGS)

screenshots:
	rm -f docs/screenshots/*.png
	E2E_GALLERY=$(abspath docs/screenshots) $(MAKE) test-e2e E2E_ARGS="$(E2E_ARGS)"
	@ls -l docs/screenshots/

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# BENCH_ARGS="--smoke" (CI): 300 commune-years, one run, row counts checked instead of timings.
BENCH_ARGS ?=
bench: $(VENV)/.dev
	$(PY) benchmarks/import_bench.py $(BENCH_ARGS)

# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ntm_scale_bench) is created, migrated and filled once;
# SCALE_ARGS="--regenerate" rebuilds it, "--verbose" adds EXPLAIN ANALYZE of the slowest queries.
SCALE_ARGS ?=
# Measured as production runs: sessions through the shared Redis cache (docs/deployment.md).
# REDIS_URL= (empty) measures without it.
REDIS_URL ?= redis://127.0.0.1:6379/5
bench-scale: $(VENV)/.dev
	REDIS_URL=$(REDIS_URL) $(PY) benchmarks/scale_bench.py $(SCALE_ARGS)

# Locust against gunicorn (4 workers, 127.0.0.1:LOAD_PORT) on the scale benchmark's database, 5 minutes;
# LOAD_ARGS="-t 60s -u 12" for a short run.
LOAD_ARGS ?=
LOAD_PORT ?= 8105
bench-load: $(VENV)/.dev
	REDIS_URL=$(REDIS_URL) LOAD_PORT=$(LOAD_PORT) $(PY) benchmarks/load_bench.py $(LOAD_ARGS)

# The English catalogue gets the project's new strings (translate them in ntm_site/locale/en, then run this
# again); the vi catalogue only fills Django's and the apps' gaps and is never regenerated.
MESSAGES_SKIP := --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'var/*' --ignore 'e2e/*' --ignore 'benchmarks/*' \
	--ignore 'docs/*' --ignore '*/tests/*' --ignore conftest.py
messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l en --add-location file $(MESSAGES_SKIP)
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean-db:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm

# The demo's draft documents (.docx) rendered to PNG so a person can look at them; not part of `make test`.
# Needs LibreOffice Writer and poppler, which it does not install:
#   apt-get install -y libreoffice-writer-nogui poppler-utils fonts-liberation
# (Liberation Serif stands in for Times New Roman with the same metrics.) Reads the demo data of
# `make setup`; DOCS_ARGS=--samples renders the built-in sample figures instead.
DOCS_PREVIEW ?= var/docs-preview
DOCS_ARGS ?=
docs-preview:
	@command -v soffice >/dev/null 2>&1 || { echo "docs-preview cần LibreOffice: apt-get install -y libreoffice-writer-nogui"; exit 1; }
	@command -v pdftoppm >/dev/null 2>&1 || { echo "docs-preview cần poppler: apt-get install -y poppler-utils"; exit 1; }
	@test -x $(PY) || { echo "Chưa có $(VENV): chạy make setup trước (cài đặt và nạp dữ liệu mẫu)."; exit 1; }
	rm -rf $(DOCS_PREVIEW) && mkdir -p $(DOCS_PREVIEW)
	$(PY) manage.py render_documents --out $(DOCS_PREVIEW) $(DOCS_ARGS)
	soffice -env:UserInstallation=file://$(abspath $(DOCS_PREVIEW))/.lo-profile --headless \
		--convert-to pdf --outdir $(DOCS_PREVIEW) $(DOCS_PREVIEW)/*.docx >/dev/null
	rm -rf $(DOCS_PREVIEW)/.lo-profile
	for pdf in $(DOCS_PREVIEW)/*.pdf; do pdftoppm -png -r 80 "$$pdf" "$${pdf%.pdf}"; done
	@echo "Ảnh xem trước: $(DOCS_PREVIEW)/*.png"
