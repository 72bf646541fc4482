# cramplab: every target bootstraps .venv from requirements.lock when the venv is
# missing or the lock changed (the stamp file), so a second run installs nothing.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements.lock)
# Fixed hash seed and build date: stored outputs and figure bytes must not vary.
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0

# Jupyter refuses to run as root unless told; containers and some classroom machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# make lab opens the student edition; make lab EDITION=instructor the one with solutions.
EDITION ?= student
LAB_DIR = $(or $(if $(filter student,$(EDITION)),student,),$(if $(filter instructor,$(EDITION)),notebooks,),$(error EDITION must be student or instructor, not '$(EDITION)'))

.DEFAULT_GOAL := help
.PHONY: help figures handout site solutions test lint lab notebooks student bench lock format clean \
        hub-proxy hub-link

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv comes from the lock too, checked against its hashes; pip's own error shows if it fails.
	@$(BIN)/python -m uv --version 2>/dev/null | grep -q ' $(UV_VERSION) ' \
	  || { awk '/^uv==/{p=1} p{print} p&&!/\\$$/{exit}' requirements.lock > $(VENV)/uv.txt \
	       && $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	            -r $(VENV)/uv.txt; } \
	  || { echo "error: could not install uv $(UV_VERSION) from requirements.lock into $(VENV) (see pip's message above)" >&2; exit 1; }
	@echo "Installing the locked environment into $(VENV) ..."
	@$(BIN)/python -m uv pip sync --quiet --python $(BIN)/python requirements.lock
	@$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@# The course website's diagrams need mermaid's JavaScript: fetched now, with the packages,
	@# pinned by sha512, so that the site builds offline later (cramplab.course.mermaid).
	@$(BIN)/python -m cramplab.course mermaid
	@touch $@

# JupyterHub's proxy, for the hub test (tests/course/test_classhub.py) and make bench: configurable-http-proxy
# from the npm registry, pinned with all its dependencies in deploy/proxy/package-lock.json
# (npm ci checks their hashes). Without npm it is left out and says so once; the hub test then
# skips, naming what to install (in CI it fails).
PROXY_DIR   := $(VENV)/share/cramplab/proxy
PROXY_STAMP := $(PROXY_DIR)/.installed
$(PROXY_STAMP): deploy/proxy/package.json deploy/proxy/package-lock.json | $(STAMP)
	@if command -v npm >/dev/null 2>&1; then \
	  rm -rf $(PROXY_DIR) && mkdir -p $(PROXY_DIR) \
	  && cp deploy/proxy/package.json deploy/proxy/package-lock.json $(PROXY_DIR)/ \
	  && npm ci --prefix $(PROXY_DIR) --omit=dev --no-audit --no-fund --loglevel=error >/dev/null \
	  && echo "configurable-http-proxy $$($(PROXY_DIR)/node_modules/.bin/configurable-http-proxy --version) in $(PROXY_DIR)" \
	  && touch $@; \
	else \
	  echo "note: no npm here, so JupyterHub's proxy is not installed and the hub test skips (sudo apt-get install nodejs npm)" >&2; \
	fi

figures: $(STAMP)  ## Regenerate every figure, the catalogue and the handout in figures/
	@$(BIN)/python -m cramplab.course figures

handout: $(STAMP)  ## Rebuild figures/handout.pdf from the committed figures
	@$(BIN)/python -m cramplab.course handout

site: $(STAMP)  ## Build the course website into build/site from the stored outputs (offline)
	@$(BIN)/python -m cramplab.course site

solutions: $(STAMP)  ## Write build/solutions.html, every exercise's solution (for teachers)
	@$(BIN)/python -m cramplab.course solutions

test: $(STAMP) $(PROXY_STAMP)  ## Run everything: unit tests, data, ruff, nbval (strict) on both editions, browser tests
	@$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

lint: $(STAMP)  ## Ruff over the package, tests and notebooks
	@$(BIN)/ruff check src tests notebooks site deploy conftest.py
	@$(BIN)/ruff format --check src tests notebooks site deploy conftest.py

format: $(STAMP)  ## Apply ruff's fixes and formatting
	@$(BIN)/ruff check --fix src tests notebooks site deploy conftest.py
	@$(BIN)/ruff format src tests notebooks site deploy conftest.py

lab: $(STAMP)  ## Open JupyterLab on the student edition (EDITION=instructor: with solutions)
	@echo "JupyterLab on $(LAB_DIR)/ (the $(EDITION) edition); start with 00_start_here.ipynb"
	@$(BIN)/jupyter lab --notebook-dir=$(LAB_DIR) --ServerApp.ip=127.0.0.1 --no-browser $(ROOT_FLAG)

notebooks: $(STAMP)  ## Re-execute every notebook in place to refresh its stored outputs
	@$(BIN)/python -m cramplab.course notebooks

student: $(STAMP)  ## Regenerate student/, the student edition (run after editing notebooks/)
	@$(BIN)/python -m cramplab.course student

bench: $(STAMP) $(PROXY_STAMP)  ## Time the course against the kernel-start floor; writes bench/results.json
	@$(BIN)/python -m cramplab.course bench

hub-proxy: $(PROXY_STAMP)  ## Install JupyterHub's proxy (configurable-http-proxy, needs npm) for the hub test

hub-link: $(STAMP)  ## Print the link that gives students the course on a hub: make hub-link HUB=https://...
	@$(BIN)/python -m cramplab.course hub-link --hub "$(HUB)" $(if $(REPO),--repo "$(REPO)") $(if $(BRANCH),--branch "$(BRANCH)")

lock:  ## Re-resolve requirements.lock from pyproject.toml (needs uv on PATH or in .venv)
	@$(BIN)/python -m uv pip compile pyproject.toml --extra dev --extra hub --python-version 3.11 \
	  --universal --fork-strategy fewest --generate-hashes --annotation-style line --quiet -o requirements.lock

clean:  ## Remove the venv and build leftovers (figures, data and both editions stay)
	rm -rf $(VENV) build src/*.egg-info
