# ficlens: `make demo` to see it work, `make test` to check it. Everything lives in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLES := $(wildcard ficlens/samples/*.txt)

.PHONY: demo test lint eval bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("ficlens needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## demo: install, then analyse the bundled sample stories and show the reports
demo: $(VENV)/.installed
	$(BIN)/ficlens analyze $(SAMPLES)

## test: install the test extras, lint, run the whole test suite
test: $(VENV)/.installed-test lint
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check ficlens tests bench
	$(BIN)/ruff format --check ficlens tests bench

## eval: accuracy figures on ../shared/eval (PDNC and LitBank)
eval: $(VENV)/.installed
	$(BIN)/ficlens eval quotes
	$(BIN)/ficlens eval speakers
	$(BIN)/ficlens eval characters

## bench: speed figures (layout + quotes on the PDNC novels; the whole analysis)
bench: $(VENV)/.installed
	$(BIN)/python bench/bench_layout.py
	$(BIN)/python bench/bench_analyze.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
