# SHVO-portalen: `make run` sets everything up and serves on http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup test-setup migrate demo lint typecheck mutation bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@set -e; boot=$$(bash .ci/python); echo "Python: $$boot"; \
	  [ -x $(PY) ] || "$$boot" -m venv $(VENV); \
	  $(PY) -m pip install --quiet --upgrade pip; \
	  $(PY) -m pip install --quiet -r requirements.lock
	@touch $@

# The portal serves its text editor (TinyMCE, from npm) itself: setup installs the npm packages too.
setup: $(VENV)/.installed node_modules/.installed

migrate: setup
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo

run: demo
	@echo "SHVO-portalen: http://$(HOST):$(PORT)/  (demoinloggningar i README.md)"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# npm packages (package.json): the text editor the pages use, and axe-core for the browser tests. npm comes from
# Debian's package when it is missing (as root; otherwise say what to install).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ]; then echo "Installerar: npm"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "Installera först (som root): apt-get install npm"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test-setup: setup node_modules/.installed
	@# Debian packages the tests need: Chromium (browser tests), poppler-utils (pdftotext), Liberation fonts (PDFs).
	@missing=""; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  fc-list 2>/dev/null | grep -qi "liberation sans" || missing="$$missing fonts-liberation"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then echo "Installerar:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "Installera först (som root): apt-get install$$missing"; exit 1; fi; \
	  fi

test: test-setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs over the rules (services, permissions); the files are listed in pyproject.toml.
typecheck: setup
	DJANGO_DEBUG=1 $(VENV)/bin/mypy

# Mutation testing of the permission and service modules against the rule tests ([tool.mutmut] in pyproject.toml;
# the demo world is seeded once per run, see the end of tests/conftest.py). Then: $(VENV)/bin/mutmut show <name>.
mutation: setup
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $${MUTMUT_CHILDREN:-2}
	$(VENV)/bin/mutmut results

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles media
