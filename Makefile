# The two commands of the README: `make run` and `make test`. Both work on a fresh machine
# with Python 3.11+: they create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
PORT ?= 5000
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
# `make catalogs` compiles with this pybabel and installs nothing (production: pip install .).
PYBABEL ?= $(BIN)/pybabel

.PHONY: run test test-fast lint install catalogs messages bench clean

run: $(STAMP) $(CATALOGS)
	WAITLINE_ENV=development $(BIN)/flask --app app db upgrade
	WAITLINE_ENV=development $(BIN)/flask --app app demo load --if-empty
	WAITLINE_ENV=development $(BIN)/flask --app app run --host 127.0.0.1 --port $(PORT)

# The suite runs on every core (pytest-xdist); each worker has its own databases and servers.
# --dist worksteal: a worker that runs out of tests takes half of another's queue, so no test
# waits in one worker's queue while the other sits idle at the end of the run (the default
# hands each worker a fixed first chunk and never takes back what it was sent).
# PYTHONDONTWRITEBYTECODE is cleared: with it set (some machines do), every xdist worker
# compiles the whole project again at collection, about 4 s of CPU each.
test: $(STAMP) $(CATALOGS) $(VNU_JAR)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

# The unit tests and the integration tests on SQLite only: the quick loop while working. The
# tests marked slow (by their modules, or measured and listed in tests/conftest.py SLOW_TESTS)
# are left out here; `make test` runs them all.
test-fast: $(STAMP) $(CATALOGS)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n auto --dist worksteal tests/unit tests/integration -k "not postgresql" -m "not slow" $(PYTEST_ARGS)

# The gates CI runs before the tests: ruff (rules in pyproject.toml) and mypy --strict.
lint: $(STAMP)
	$(BIN)/python -m ruff check testimonials bench tests app.py migrations config
	$(BIN)/python -m mypy

install: $(STAMP) $(VNU_JAR)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

# The Nu HTML checker for tests/integration/web (runs on Java): npm's release of it, pinned.
$(VNU_JAR): $(STAMP)
	npm install --no-save --no-audit --no-fund --ignore-scripts --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION)
	touch $@

# Catalogues are compiled by the build, never by hand and never committed.
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -l $* -i $< -o $@

# Production: the catalogues compiled with the pybabel that `pip install .` brought (Babel is a
# runtime dependency), without the editable install and test dependencies that $(STAMP) makes.
catalogs:
	@test -x $(PYBABEL) || { echo "no $(PYBABEL): run python3 -m venv .venv && .venv/bin/pip install . first, or give PYBABEL=" >&2; exit 1; }
	$(PYBABEL) compile --use-fuzzy -d translations

# After changing user-facing strings: extract them and merge into each catalogue.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

bench: $(STAMP) $(CATALOGS)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
