# Two commands on a fresh machine with only python3 and pip: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Prefect keeps its state (and its temporary server's database) inside the project, not in ~/.prefect.
export PREFECT_HOME ?= $(CURDIR)/.prefect
# A fresh PREFECT_HOME takes 17-19 s to start Prefect's temporary server, close to its default 20 s limit.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 90

.PHONY: run test lint bench soak eval serve clean setup docs browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "Installing fzzf and its dependencies into $(VENV) (about a minute, once)..."
	$(BIN)/pip install --quiet -e '.[test,bench,ocr]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/fzzf demo

test: lint browser
	$(BIN)/python -m pytest -q

# The HTML report is checked in a real headless browser: Debian's chromium-headless-shell (one apt package, no
# other download), installed here when missing, as root. Without root or apt-get it says how; the test then fails.
BROWSER := chromium-headless-shell
browser:
	@command -v $(BROWSER) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing $(BROWSER) for the HTML report's browser test (apt-get, once)..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q --no-install-recommends $(BROWSER) >/dev/null 2>&1 \
	      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $(BROWSER) >/dev/null; }; \
	  else \
	    echo "note: $(BROWSER) is missing; as root: apt-get install $(BROWSER) (the browser test needs it)"; \
	  fi; }

# Lint (ruff) and types (mypy over the package as the wheel lays it out); both configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m tests.support.typecheck

# Regenerate the generated docs (tests/meta/test_docgen.py fails when they are stale).
docs: $(STAMP)
	$(BIN)/python -m fzzf.warehouse.docgen

eval: $(STAMP)
	$(BIN)/python -m bench.eval
	$(BIN)/python -m bench.eval --corpus tests/holdout

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

# Two nights over the demo plus one hostile site per attack of issue #9, with a reader process; one table.
soak: $(STAMP)
	$(BIN)/python -m bench.soak

serve: $(STAMP)
	$(BIN)/fzzf serve --registry sites/registry.toml

clean:
	rm -rf $(VENV) .prefect exports warehouse/*.duckdb warehouse/archive
