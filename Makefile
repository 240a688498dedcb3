# Everything runs inside a local virtualenv (.venv) so a fresh machine needs only Python.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint test-wordpress fuzz install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -rf out
	$(BIN)/migrator convert fixtures/sample-export.xml -o out

test: lint
	$(BIN)/python -m pytest -q

# ruff (lint and format) and mypy on the typed core, configured in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check migrator tests benchmarks
	$(BIN)/ruff format --check migrator tests benchmarks
	$(BIN)/mypy

# The opt-in suites against the real WordPress of ../shared/realwp (started first; it needs root
# and Debian, see its README): tests/wordpress.  Tests needing Hugo or Jekyll skip without them.
REALWP ?= ../shared/realwp
test-wordpress: $(STAMP)
	$(REALWP)/up.sh
	MIGRATOR_REALWP=1 $(BIN)/python -m pytest -q -rs tests/wordpress

# Ten minutes of fuzzing the readers and the renderer (docs/security.md).
fuzz: $(STAMP)
	timeout 700 $(BIN)/python tests/fuzz.py --seconds 600

clean:
	rm -rf $(VENV) out .pytest_cache
