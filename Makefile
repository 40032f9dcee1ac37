# Everything runs from the project's own venv, installed from the pinned lock file,
# so a developer, CI and the Docker image get the same versions.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
GOLD   ?= ../shared/data/labeled_dev.jsonl $(wildcard data/labeled_extra_*.jsonl)
# labelled after the rules and model were written; never used for a choice, only reported
TEST   ?= $(wildcard data/labeled_test_*.jsonl)

.PHONY: venv run test browser lint openapi eval lock train bench load lemmas

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check -e . --no-deps
	touch $@

run: venv
	$(BIN)/vactag serve

test: venv browser
	$(BIN)/pytest

# tests/test_web.py drives the page in Debian's Chromium (Playwright with the system browser, no download).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ -z "$${VACTAG_CHROMIUM:-}" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	    else echo "tests/test_web.py needs Chromium: sudo apt-get install -y chromium (or set VACTAG_CHROMIUM)"; exit 1; fi; \
	fi

# Speed: in-process, cold start, RSS, spaCy baseline, profile, HTTP vs the no-op ceiling -> bench/RESULTS.md.
# Needs wrk (Debian) and the bench extra; not part of `make test`.
WRK := command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
LOAD_SECONDS ?= 60

bench: venv
	$(WRK)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[bench]"
	$(BIN)/python bench/bench.py

# Load and faults: LOAD_SECONDS at concurrency 32 on 2 workers, RSS flat, a worker SIGKILLed mid-load.
load: venv
	$(WRK)
	$(BIN)/python bench/load.py --duration $(LOAD_SECONDS)

lint: venv
	$(BIN)/ruff check service tests

openapi: venv
	$(BIN)/vactag openapi -o openapi.yaml

eval: venv
	$(BIN)/vactag eval $(GOLD) --split heldout --compare
	$(BIN)/vactag eval $(TEST) --split all --compare

# Rebuilds models/lemma-cache.json (word → lemma for the shared ads' frequent words; a warm cache at start-up).
lemmas: venv
	$(BIN)/python -m service.lemma_cache

# Regenerates models/<name>-<version>/ (weights + meta with held-out metrics) from the data; seeded.
train: venv
	$(BIN)/pip install -q --disable-pip-version-check scikit-learn scipy
	$(BIN)/python -m service.train --seed 13

# After changing dependencies in pyproject.toml: re-pin what the dev install resolves to.
# A throw-away venv, so the lock holds exactly what ".[dev]" resolves to today.
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install -q --disable-pip-version-check -e ".[dev]"
	.lockvenv/bin/pip freeze --exclude-editable > requirements.lock.new
	rm -rf .lockvenv && mv requirements.lock.new requirements.lock
