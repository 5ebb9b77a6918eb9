# ficlens: `make demo` to see it work, `make test` to check it. Everything lives in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLES := $(wildcard ficlens/samples/*.txt)

.PHONY: demo test lint eval bench train clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("ficlens needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## demo: install, import the sample stories into a demo library, serve it in the browser
DEMO_DB := $(VENV)/demo/library.sqlite3
demo: $(VENV)/.installed
	mkdir -p $(dir $(DEMO_DB))
	$(BIN)/ficlens import --db $(DEMO_DB) $(SAMPLES)
	$(BIN)/ficlens search --db $(DEMO_DB) 'tag:angst -fandom:sherlock'
	$(BIN)/ficlens search --db $(DEMO_DB) 'pair:"Arthur/Merlin" sort:words'
	$(BIN)/ficlens serve --db $(DEMO_DB)

## test: install the test extras, lint, run the whole test suite
test: $(VENV)/.installed-test lint
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check ficlens tests bench
	$(BIN)/ruff format --check ficlens tests bench

## eval: accuracy figures on ../shared/eval (PDNC and LitBank) and the labelled stories
eval: $(VENV)/.installed
	$(BIN)/ficlens eval quotes
	$(BIN)/ficlens eval speakers
	$(BIN)/ficlens eval characters
	$(BIN)/ficlens eval meaning

## bench: speed figures (each script prints what it measured; see the README)
bench: $(VENV)/.installed
	$(BIN)/python bench/bench_layout.py
	$(BIN)/python bench/bench_read.py
	$(BIN)/python bench/bench_analyze.py
	$(BIN)/python bench/bench_fandoms.py
	$(BIN)/python bench/bench_tags.py
	$(BIN)/python bench/bench_arc.py
	$(BIN)/python bench/bench_library.py --works 10000
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_corpus.py --words 120000

## train: retrain the speaker ranker on ../shared/eval (leave-one-novel-out figures first)
train: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/ficlens eval train-speakers

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
