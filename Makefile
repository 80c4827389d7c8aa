# The two commands a new user needs: `make run` (build the graph of data/raw) and
# `make test` (the whole test suite). Both create .venv and install into it when needed,
# and are quick when nothing changed (a stamp file records the last install).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SYSSTAMP := $(VENV)/.sysdeps-stamp

.PHONY: run test lint sysdeps bench realdev clean lock wheel-check

# constraints.txt pins every version installed here and in CI; `make lock` refreshes it.
$(STAMP): setup.cfg pyproject.toml setup.py constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,tables]'
	@touch $(STAMP)

# Debian packages the tests use (headless Chromium, a CJK font, .doc converters).
$(SYSSTAMP): scripts/install-system-deps.sh
	@bash scripts/install-system-deps.sh
	@mkdir -p $(VENV) && touch $(SYSSTAMP)

sysdeps: $(SYSSTAMP)

run: $(STAMP)
	$(VENV)/bin/qmgraph build data/raw --out data/out

lint: $(STAMP)
	$(VENV)/bin/ruff check qmgraph tests bench scripts

test: $(STAMP) $(SYSSTAMP)
	$(VENV)/bin/ruff check qmgraph tests bench scripts
	$(PY) -m pytest
	bash scripts/ci-wheel-check.sh

# The wheel, installed into a fresh venv outside the checkout, run from another folder.
wheel-check: $(STAMP)
	bash scripts/ci-wheel-check.sh

# Re-resolve the newest versions setup.cfg allows and write them to constraints.txt.
lock:
	bash scripts/lock.sh

# The real documents of ../shared/realdev (not part of this repository): build them and
# score the graph against their gold annotations.
REALDEV ?= ../shared/realdev
realdev: $(STAMP)
	$(VENV)/bin/qmgraph build $(REALDEV)/raw --out data/out-realdev --no-cache --keep-going >/dev/null
	$(VENV)/bin/qmgraph evaluate --gold $(REALDEV)/gold.json --graph data/out-realdev/qmgraph.trig

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) data/out .pytest_cache
