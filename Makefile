# Set-up is automatic: each target installs what it needs into .venv first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

PEERS := .venv-peers
# DATA=DIR points the evaluation at the development data (default: ../shared/dev).
DATA ?=
# REALDATA=DIR points the real-world extraction figures at a set built by benchmarks/realworld/build.py
# (default: benchmarks/realworld/data; when absent, a message says how to build it and eval goes on).
REALDATA ?=
# LANGDATA=DIR points the Malay/Indonesian/Pashto/short-record language-id figures at a set built by
# benchmarks/langid/build.py (default: benchmarks/langid/data; when absent, a message says how to build it).
LANGDATA ?=

.PHONY: run test eval bench fuzz hostile clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The package alone (for `make run`), and the package with its dev tools (for `make test`).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $(VENV)/.installed $@

# One stage of a pipeline shows its progress on a terminal (the others' bars would draw over it): -q on the others.
run: $(VENV)/.installed
	$(BIN)/newsingest split -q sample_corpus/*.txt | $(BIN)/newsingest normalize -q | $(BIN)/newsingest dedup | $(BIN)/newsingest stats

# The types first (mypy --strict, as pyproject.toml's [tool.mypy] says: one error fails the target),
# then the whole suite, in parallel: TEST_WORKERS processes (pytest-xdist; `auto`: one a core), each
# test sent to whichever is free. TEST_WORKERS=0 runs it in this process alone.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	$(BIN)/python -m mypy newsingest
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# Peers (hazm, shekar, datasketch) live in an environment of their own: never dependencies of newsingest.
$(PEERS)/.installed:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet --disable-pip-version-check hazm shekar datasketch langdetect \
		|| echo "peers: hazm, shekar or datasketch could not be installed; figures for newsingest only" >&2
	touch $@

# Each script notes the figures it measures in FIGURES; eval_summary.py prints them as one table at the end.
FIGURES := $(VENV)/eval-figures.jsonl
eval: export NEWSINGEST_FIGURES = $(abspath $(FIGURES))
eval: $(VENV)/.installed-dev $(PEERS)/.installed
	rm -f $(FIGURES)
	$(BIN)/python benchmarks/eval_normalize.py $(if $(DATA),--data $(DATA))
	$(BIN)/python benchmarks/eval_extract.py $(if $(DATA),--data $(DATA))
	$(BIN)/python benchmarks/eval_langid.py $(if $(DATA),--data $(DATA))
	$(BIN)/python benchmarks/eval_realworld.py $(if $(REALDATA),--data $(REALDATA))
	PYTHONPATH=. $(BIN)/python benchmarks/langid/baseline.py $(if $(LANGDATA),--data $(LANGDATA))
	$(BIN)/python benchmarks/eval_summary.py $(FIGURES)

# SIZES: the full table (every stage and the peer); GROWTH: the whole pipeline as the corpus grows.
# SIZES=10MB GROWTH=10MB,20MB for a quick run.
SIZES ?= 50MB
GROWTH ?= 50MB,100MB,200MB,400MB
bench: $(VENV)/.installed-dev $(PEERS)/.installed
	$(BIN)/python benchmarks/bench_dedup.py $(if $(DATA),--data $(DATA))
	$(BIN)/python benchmarks/bench_pipeline.py --sizes $(SIZES) --growth $(GROWTH) $(if $(DATA),--data $(DATA))

# The red-team matrix with real processes at full size (4 GiB and 1 GiB bombs, signals, 200,000
# records through dedup twice): docs/robustness.md. HOSTILE=word,word runs the cases naming one.
HOSTILE ?=
hostile: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/hostile.py $(if $(HOSTILE),--only $(HOSTILE))

# Each fuzz target runs FUZZ_SECONDS (libFuzzer's -max_total_time) on a corpus in .fuzz/, seeded from
# sample_corpus/ on the first run; a crash is saved as .fuzz/crashes/TARGET-crash-HASH.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := container normalize pipeline
$(VENV)/.installed-fuzz: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev,fuzz]'
	touch $(VENV)/.installed $(VENV)/.installed-dev $@

fuzz: $(VENV)/.installed-fuzz
	mkdir -p .fuzz/crashes
	for target in $(FUZZ_TARGETS); do \
		$(BIN)/python fuzz/fuzz_$$target.py .fuzz/$$target -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=.fuzz/crashes/$$target- || exit 1; \
	done

clean:
	rm -rf $(VENV) $(PEERS) build *.egg-info .pytest_cache .mypy_cache .hypothesis .fuzz
