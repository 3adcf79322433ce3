# Every target sets up what it needs: a .venv holding the exact, tested set (constraints.txt), with
# every extra, reinstalled only when pyproject.toml or constraints.txt changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SPEC_FILES := pyproject.toml constraints.txt
SPEC_HASH := $(shell $(PYTHON) -c "import hashlib;print(hashlib.sha256(b''.join(open(f,'rb').read() for f in '$(SPEC_FILES)'.split())).hexdigest()[:12])")
STAMP  := $(VENV)/.installed-$(SPEC_HASH)

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build test lint bench clean venv

venv: $(STAMP)

$(STAMP): $(SPEC_FILES)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,dask,mkdocs,properdocs,zensical]"
	@rm -f $(VENV)/.installed-*
	@touch $@

serve: $(STAMP)  ## Preview on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP)  ## Strict build into site/
	$(BIN)/mkdocs build --strict --site-dir site

test: $(STAMP)  ## All tests: units, site build, snippets, serve, browser (skipped without Chromium unless CI)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check site_tools snippets tests

bench: $(STAMP)  ## Side-by-side benchmarks (see bench/README.md)
	$(BIN)/python bench/run.py

clean:
	rm -rf site .cache
