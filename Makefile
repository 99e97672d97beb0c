# Two commands for a newcomer: `make run` and `make test`.
# The interpreter the venv is made with: the distribution's Python 3.11 when the machine has it
# with venv, else python3 from PATH; `make PYTHON=python3 ...` chooses. Debian's python3.11 is
# built with profile-guided optimisation and LTO and linked statically: the suite's tests took
# about 15% less CPU time on it than on a default pyenv build (a shared library, no PGO), run
# alternately (README, "Tests and CI").
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(shell for python in /usr/bin/python3.11 python3; do \
	$$python -c 'import ensurepip, venv' 2>/dev/null && { echo $$python; break; }; done) python3)
endif
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV := DJANGO_DEBUG=1
# The venv is made again when it was made with another interpreter, and its packages installed
# again when the requirements change.
INTERPRETER := $(shell $(PYTHON) -c 'import os, sys; print(os.path.realpath(sys.executable))')
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)-$(shell echo '$(INTERPRETER)' | cksum | cut -d' ' -f1)

.PHONY: install run demo test test-browser test-multiserver test-pg lint format messages bench clean

# The translation catalogues (locale/*/LC_MESSAGES/django.po) are compiled here, with Babel
# (scripts/messages.py): the .mo files are built, not committed, and need no GNU gettext. A .mo
# follows its .po; the venv (Babel) need only be there first, so a new venv leaves them be.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(STAMP) $(CATALOGUES)

locale/%.mo: locale/%.po | $(STAMP)
	$(BIN)/python scripts/messages.py

$(STAMP): requirements.txt requirements-dev.txt
	grep -qxF 'executable = $(INTERPRETER)' $(VENV)/pyvenv.cfg 2>/dev/null || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

demo: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py import_articles seeds/
	$(DEV) $(BIN)/python manage.py demo_accounts
	$(DEV) $(BIN)/python manage.py load_review seeds/review.yaml

# The development server, and beside it the worker that runs background tasks (imports of many
# files); Ctrl-C stops both.
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (log in at /review/ as editor or reviewer)"
	@$(DEV) $(BIN)/python manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# PYTEST_ARGS passes options through (CI: `make test PYTEST_ARGS=-rs`). The suite runs on every
# core (pytest-xdist; WORKERS=1 for one process), a test file to a worker (--dist loadfile): the
# tests of a file share its expensive fixtures (a chromium, two app servers) on one worker.
# Files are handed out longest first (tests/conftest.py), in that order: xdist would otherwise
# reorder them by their number of tests (--no-loadscope-reorder keeps it).
# (--dist loadgroup would not do: with pytest 9 it ignores xdist_group, a nodeid it can no
# longer rewrite.)
# Python may cache compiled modules (and pytest its rewritten test modules) even where the
# environment says not to: every worker and every manage.py the tests start reads them.
WORKERS ?= auto
test: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# Two app servers sharing PostgreSQL and Redis (tests/multiserver): uses DATABASE_URL and
# REDIS_URL when set, else starts throwaway ones (apt-get install -y postgresql redis-server).
test-multiserver: install
	$(BIN)/python -m pytest -m multiserver tests/multiserver

test-browser: install
	$(BIN)/python -m pytest -m browser

# The suite on PostgreSQL (Debian's postgresql package), in a throwaway cluster on loopback.
test-pg: install
	@dir=$$(mktemp -d); url=$$(scripts/pg.sh start $$dir 5439) || exit 1; \
	DATABASE_URL=$$url $(BIN)/python -m pytest -m "not browser"; rc=$$?; \
	scripts/pg.sh stop $$dir; rm -rf $$dir; exit $$rc

# Lint, format check, migrations in step with the models, and types (CI runs this too).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(BIN)/mypy

# Compile every catalogue again (install compiles those older than their .po).
messages: install
	$(BIN)/python scripts/messages.py --all

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Not part of CI: gunicorn + wrk at 1,000 and 100,000 claims on SQLite and PostgreSQL, cached and
# uncached, beside the floor and the bare-WSGI ceiling (bench/run.py says what it measures).
# Needs `apt-get install -y postgresql wrk` (and redis-server for a Redis cache); BENCH_SECONDS,
# BENCH_SIZES, BENCH_ENGINES, BENCH_MIX_URLS, BENCH_CACHE, BENCH_IMPORT_FILES tune it.
bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts bench/data bench/results
