# Quick start:  make run   (the main job: the recommendation report on the embedded sample usage)
#               make test  (the whole test suite)
# Each target does its own set-up: a .venv with pinned versions (constraints.txt).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench browser clean wheel-check

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/pai-cost report recommendation

# Chromium for the browser tests comes from Debian (never from `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "chromium not found and cannot be installed here: browser tests will be skipped"; fi; }

LINTED := pai_model tests benchmarks tools docs

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

# One worker per core (-n auto; an idle worker takes tests queued for a busy one), line
# coverage of the package printed (fully covered files skipped) and checked; the 30 slowest
# tests are listed.
TEST_OPTIONS := -n auto --dist worksteal --cov=pai_model --cov-report=term:skip-covered --cov-fail-under=92 \
	--durations=30

test: lint browser
	$(BIN)/python -m pytest $(TEST_OPTIONS)

# A wheel installed outside the checkout quotes the golden 157.88 from another folder.
wheel-check:
	PYTHON=$(PYTHON) tools/wheel_check.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_billing.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_planning.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_quote.py
	$(BIN)/python benchmarks/bench_focus.py
	$(BIN)/python benchmarks/bench_archive.py
	$(BIN)/python benchmarks/bench_recommend.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis
