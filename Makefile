# Stet: `make demo` runs the bundled demo, `make test` the whole test suite.
# Both build .venv from scratch when it is missing or pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: demo test fuzz lint typecheck bench bench-quality docs chromium clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(STAMP)
	$(PY) -m scraper.demo

# The browser test drives Debian's Chromium; as root we install it, otherwise it is skipped.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: the browser test will be skipped"; \
	fi

test: $(STAMP) chromium
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

# Long fuzzing of clean_page and the feed/sitemap/robots parsers: FUZZ_EXAMPLES new random
# examples per property (the suite runs 25 fixed ones). make fuzz FUZZ_EXAMPLES=20000
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	STET_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_fuzz.py -p no:cacheprovider \
		-o timeout=0 -q --durations=0

lint: $(STAMP)
	$(VENV)/bin/ruff check scraper spiders tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# DATASET: the Zyte article-extraction benchmark (html/*.html.gz and ground-truth.json).
DATASET ?= ../shared/datasets/article-extraction
# WCXB: its development split's article pages (the test split is held out: never tune on it).
WCXB ?= ../shared/datasets/wcxb-dev

# Speed and size (issue 10): the 2,000-page site, the 200-site pass, storage on real
# templates and the 1M-version archive, each beside its baseline, in ONE table.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) tests/bench_all.py

# Quality: extraction, diffs and change detection, each beside its baselines.
bench-quality: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) tests/bench_extraction.py $(DATASET)
	$(PY) tests/bench_extraction.py $(WCXB)
	$(PY) tests/bench_diff.py
	$(PY) tests/bench_changes.py
	$(PY) tests/bench_realchanges.py
	$(PY) tests/bench_review.py
	$(PY) tests/bench_discovery.py --fast

docs: $(STAMP)
	$(VENV)/bin/cog -r README.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
