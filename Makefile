# Casserole — `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# pytest-xdist: one test process per core (each with its own test database and, for the browser suite,
# its own live server and Chromium). `make test WORKERS=0` runs in one process.
WORKERS ?= auto
XDIST := -n $(WORKERS)

.PHONY: run setup test test-unit test-browser test-postgres test-browser-postgres ci lint format assets messages makemessages check-messages bench clean

# The demo runs with DEBUG on (load_demo refuses otherwise); production never uses `make run`.
run: export DEBUG := 1
# Without a worker running beside it, the demo sends its emails (to the console) straight away.
run: export TASKS_BACKEND ?= django.tasks.backends.immediate.ImmediateBackend
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@echo "Serving Casserole at http://$(HOST)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST)

setup: $(STAMP) node_modules/.installed assets messages

$(STAMP): requirements.txt
	@PYBIN=$$(./scripts/find-python.sh) || exit 1; \
	  echo "Using $$PYBIN"; \
	  [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.installed
	mkdir -p static_build/css static_build/js static_build/govuk
	npx sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
	  assets/scss/main.scss static_build/css/main.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static_build/js/
	rm -rf static_build/govuk/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets static_build/govuk/assets
	rm -rf static_build/govuk/assets/fonts

messages: check-messages
	msgfmt --check -o locale/ja/LC_MESSAGES/django.mo locale/ja/LC_MESSAGES/django.po

# Fails when any interface string lacks a Japanese translation or is fuzzy. The catalogue is
# re-extracted from the code first, so a string added without a translation is caught too; when all
# is well the committed catalogue is put back untouched (the extraction only changes its dates).
check-messages: $(STAMP)
	@cp locale/ja/LC_MESSAGES/django.po $(VENV)/django.po.committed
	@DEBUG=1 $(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=node_modules \
	  --ignore=static_build --ignore=tests -v 0
	@stats=$$(msgfmt --statistics -o /dev/null locale/ja/LC_MESSAGES/django.po 2>&1); echo "ja: $$stats"; \
	  case "$$stats" in *untranslated*|*fuzzy*) \
	    echo "Japanese catalogue is incomplete: translate the entries above in locale/ja/LC_MESSAGES/django.po" >&2; exit 1;; esac
	@cp $(VENV)/django.po.committed locale/ja/LC_MESSAGES/django.po

makemessages: $(STAMP)
	$(PY) manage.py makemessages -l ja --no-obsolete --ignore=.venv --ignore=node_modules --ignore=static_build --ignore=tests

test: setup test-unit test-browser

test-unit:
	$(PY) -m pytest -p no:cacheprovider $(XDIST) --ignore=tests/browser -q

test-browser:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -p no:cacheprovider $(XDIST) tests/browser -q

# The non-browser suite again on PostgreSQL, where the database-specific behaviour lives (row locks,
# races, constraints, the nearby query); pytest-django creates and drops a throw-away test database.
# The browser suite proves the pages, not the database: `make test` runs it once, on SQLite.
test-postgres: setup
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -p no:cacheprovider $(XDIST) --ignore=tests/browser -q --create-db

# The browser suite on PostgreSQL too, for when a change to the pages touches database behaviour.
test-browser-postgres: setup
	DATABASE_URL=$(PG_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -p no:cacheprovider $(XDIST) tests/browser -q --create-db

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) bench/run.py
	$(PY) bench/impact.py
	$(PY) bench/signposting.py

clean:
	rm -rf $(VENV) node_modules static_build var
