# Every target sets up what it needs: a virtualenv with torch's CPU build, then the project.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FILE ?= examples/article.md
# Test processes (pytest-xdist): one per core.
TEST_WORKERS ?= auto

.PHONY: install programs translate test lint bench bench-translate bench-summarize bench-cache \
	bench-folder bench-http bench-parallel bench-start container-test k8s-test soak clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: this machine has its CPU build on disk; an unpinned torch is a CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[torch,test]'
	touch $@

install: $(BIN)/.installed

## The main job: translate an article (downloads and converts the models the first time).
translate: install
	$(BIN)/depeche models pull translation
	$(BIN)/depeche translate $(FILE)

# The programs the tests start (redis-server, chromium, nginx, postgres, node with npm), installed
# with apt when missing and run as root; then the suite, on every core.
programs:
	bash .ci/programs

# The JavaScript clients the tests run against a live server (deepl-node, libretranslate).
NODE_CLIENTS := tests/node/node_modules/.package-lock.json
$(NODE_CLIENTS): tests/node/package.json tests/node/package-lock.json
	npm ci --prefix tests/node --no-audit --no-fund

test: programs install $(NODE_CLIENTS)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check service tests bench container deploy
	$(BIN)/ruff format --check service tests bench container deploy
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Benchmarks print their numbers (about 40 minutes in all on 2 cores); not part of `make test`.
bench: bench-translate bench-summarize bench-cache bench-folder bench-http bench-parallel bench-start

bench-translate bench-summarize bench-cache bench-folder bench-http bench-parallel bench-start: bench-%: install
	$(BIN)/python bench/$*.py

# Reliability under load, faults and hostile input (about 35 minutes; prints its figures).
soak: install
	$(BIN)/pip install -q -e '.[soak]'
	$(BIN)/python bench/soak/load.py
	$(BIN)/python bench/soak/faults.py
	$(BIN)/python bench/soak/durability.py

# Builds the Dockerfile and runs it (docker, or podman: the env file of a podman set-up is read
# here when present); not part of `make test`.
CONTAINERS_ENV ?= $(HOME)/.cache/depeche-containers/env.sh
container-test: install
	if [ -f $(CONTAINERS_ENV) ]; then . $(CONTAINERS_ENV); fi; $(BIN)/python container/check.py

# Renders the Kubernetes manifests with kustomize (kubectl's) and validates them against the API
# schemas of a current release, then plays the base's Deployment and Redis with podman (the
# image of `make container-test`); not part of `make test`.
k8s-test: install
	$(BIN)/pip install -q -e '.[k8s]'
	$(BIN)/python deploy/kubernetes/check.py
	if [ -f $(CONTAINERS_ENV) ]; then . $(CONTAINERS_ENV); fi; $(BIN)/python deploy/kubernetes/play.py

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
