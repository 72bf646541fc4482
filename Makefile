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

# make lab opens the student edition; make lab EDITION=instructor the one with solutions.
EDITION ?= student

.DEFAULT_GOAL := help
.PHONY: help figures handout site solutions test lint lab notebooks student bench lock format clean grade \
        hub-proxy hub-link

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The interpreter .venv is made with is recorded in the stamp. PYTHON=... given on the command
# line or in the environment that names another one rebuilds .venv with it; without PYTHON,
# make reuses .venv whichever Python made it.
PYTHON_CHECK = import os, sys; print(os.path.realpath(sys.executable), "%d.%d.%d" % sys.version_info[:3], sys.version_info >= (3, 11))
ifneq ($(filter command line environment environment override,$(origin PYTHON)),)
  PYTHON_NAMED := $(shell $(PYTHON) -c '$(PYTHON_CHECK)' 2>/dev/null)
  PYTHON_MADE := $(shell sed -n 's/^python: //p' $(STAMP) 2>/dev/null)
  ifneq ($(word 1,$(PYTHON_NAMED)),$(word 1,$(PYTHON_MADE)))
    $(STAMP): venv-python-changed
  endif
endif
.PHONY: venv-python-changed

$(STAMP): requirements.lock pyproject.toml $(wildcard tools/pyproject.toml)
	@# Which Python, and is it new enough: one line, before anything is installed.
	@found="$$($(PYTHON) -c '$(PYTHON_CHECK)' 2>/dev/null)" \
	  || { echo "error: PYTHON=$(PYTHON) is not a Python that runs here (cramplab needs Python 3.11 or newer)" >&2; exit 1; }; \
	  path="$${found%% *}"; version="$$(echo "$$found" | cut -d' ' -f2)"; \
	  case "$$found" in *' True') ;; \
	    *) echo "error: cramplab needs Python 3.11 or newer; PYTHON=$(PYTHON) is Python $$version ($$path)" >&2; exit 1 ;; esac; \
	  if [ -e $(VENV) ] && [ -n "$(filter venv-python-changed,$^)" ]; then \
	    made="$$(sed -n 's/^python: \([^ ]*\) \(.*\)/Python \2 (\1)/p' $@ 2>/dev/null)"; \
	    echo "Rebuilding $(VENV) with PYTHON=$(PYTHON) (Python $$version, $$path): it was made with $${made:-a Python it did not record}"; \
	    rm -rf $(VENV); \
	  fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv comes from the lock too, checked against its hashes; pip's own error shows if it fails.
	@$(BIN)/python -m uv --version 2>/dev/null | grep -q ' $(UV_VERSION) ' \
	  || { awk '/^uv==/{p=1} p{print} p&&!/\\$$/{exit}' requirements.lock > $(VENV)/uv.txt \
	       && $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	            -r $(VENV)/uv.txt; } \
	  || { echo "error: could not install uv $(UV_VERSION) from requirements.lock into $(VENV) (see pip's message above)" >&2; exit 1; }
	@echo "Installing the locked environment into $(VENV) ..."
	@$(BIN)/python -m uv pip sync --quiet --python $(BIN)/python requirements.lock
	@$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --no-deps -e . -e tools
	@# The course website's diagrams need mermaid's JavaScript: fetched now, with the packages,
	@# pinned by sha512, so that the site builds offline later (cramplab_tools.mermaid).
	@$(BIN)/python -m cramplab_tools mermaid
	@# The stamp records the interpreter (see PYTHON_MADE above).
	@$(BIN)/python -c '$(PYTHON_CHECK)' | awk '{print "python: " $$1 " " $$2}' > $@

# JupyterHub's proxy, for the hub test (tests/tools/test_classhub.py) and make bench: configurable-http-proxy
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
	@$(BIN)/python -m cramplab_tools figures

handout: $(STAMP)  ## Rebuild figures/handout.pdf from the committed figures
	@$(BIN)/python -m cramplab_tools handout

site: $(STAMP)  ## Build the course website into build/site from the stored outputs (offline)
	@$(BIN)/python -m cramplab_tools site

solutions: $(STAMP)  ## Write build/solutions.html, every exercise's solution (for teachers)
	@$(BIN)/python -m cramplab_tools solutions

test: $(STAMP) $(PROXY_STAMP)  ## Run everything: unit tests, data, ruff, nbval (strict) on both editions, browser tests, the class hub
	@$(BIN)/python -m pytest  # its options are pyproject.toml's, for plain pytest too

lint: $(STAMP)  ## Ruff over the package, tests and notebooks
	@$(BIN)/ruff check src tools tests notebooks site deploy conftest.py
	@$(BIN)/ruff format --check src tools tests notebooks site deploy conftest.py

format: $(STAMP)  ## Apply ruff's fixes and formatting
	@$(BIN)/ruff check --fix src tools tests notebooks site deploy conftest.py
	@$(BIN)/ruff format src tools tests notebooks site deploy conftest.py

lab: $(STAMP)  ## Open JupyterLab on the student edition (EDITION=instructor: with solutions)
	@$(BIN)/python -m cramplab_tools lab $(EDITION)

notebooks: $(STAMP)  ## Re-execute every notebook in place to refresh its stored outputs
	@$(BIN)/python -m cramplab_tools notebooks

student: $(STAMP)  ## Regenerate student/, the student edition (run after editing notebooks/)
	@$(BIN)/python -m cramplab_tools student

bench: $(STAMP) $(PROXY_STAMP)  ## Time the course (about 9 min) into build/bench/; RECORD=1: bench/results.json
	@$(BIN)/python -m cramplab_tools bench $(if $(filter 1,$(RECORD)),--record)

grade: $(STAMP)  ## Grade a class: make grade SUBMISSIONS=folder-or-zip [OUT=dir NOTEBOOKS=01,03 FORCE=1]
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-or-lms.zip [OUT=dir] [NOTEBOOKS=01,03] [FORCE=1]" >&2; exit 2; }
	@$(BIN)/python -m cramplab_tools grade "$(SUBMISSIONS)" $(if $(OUT),--out "$(OUT)") $(if $(NOTEBOOKS),--notebooks "$(NOTEBOOKS)") $(if $(filter 1,$(FORCE)),--force)

hub-proxy: $(PROXY_STAMP)  ## Install JupyterHub's proxy (configurable-http-proxy, needs npm) for the hub test

hub-link: $(STAMP)  ## Print the link that gives students the course on a hub: make hub-link HUB=https://...
	@$(BIN)/python -m cramplab_tools hub-link --hub "$(HUB)" $(if $(REPO),--repo "$(REPO)") $(if $(BRANCH),--branch "$(BRANCH)")

# Every extra, so that the lock pins all of them (a test checks the list against pyproject.toml).
# Versions already in requirements.lock are kept unless a changed requirement needs another:
# uv reads the output file's pins as preferences (add --upgrade to move everything up).
lock:  ## Re-resolve requirements.lock from pyproject.toml (needs uv on PATH or in .venv)
	@$(BIN)/python -m uv pip compile pyproject.toml \
	  --extra lab --extra course --extra test --extra site --extra browser --extra lint \
	  --extra build --extra dev --extra hub --python-version 3.11 \
	  --universal --fork-strategy fewest --generate-hashes --annotation-style line --quiet -o requirements.lock
	@# The same pins without hashes, for `pip install -c constraints.txt ".[lab]"` (README: a
	@# JupyterHub): pip refuses a constraint file with hashes for a package built from a folder.
	@{ echo '# The pins of requirements.lock without their hashes (written by make lock; do not edit).'; \
	   sed -e '/^ /d' -e '/^#/d' -e 's/ \\$$//' requirements.lock; } > constraints.txt

clean:  ## Remove the venv and build leftovers (figures, data and both editions stay)
	rm -rf $(VENV) build src/*.egg-info tools/*.egg-info
