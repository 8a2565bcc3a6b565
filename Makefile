# Two entry points for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NOTEBOOK_STAMP := $(VENV)/.notebooks

.PHONY: setup demo test check bench contexts conformance notebooks

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e ".[issuer,postgres,image,verifier-web,verifier-pdf]" --group dev
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/blauwe-knop demo

check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check
	scripts/ensure-test-deps.sh
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python benchmarks/bench_proofs.py --rounds 10 --seconds 5
	$(BIN)/python benchmarks/bench_verifier.py
	$(BIN)/python benchmarks/bench_sd_jwt.py --rounds 10 --seconds 5

contexts: setup
	$(BIN)/python scripts/vendor_contexts.py

# The W3C suites, offline: SUITES is a folder of their checkouts (see scripts/conformance.py).
conformance: setup
	@test -n "$(SUITES)" || { echo "usage: make conformance SUITES=<folder of the W3C suites' checkouts>" >&2; exit 2; }
	$(BIN)/python scripts/conformance.py --suites "$(SUITES)"

$(NOTEBOOK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"
	touch $(NOTEBOOK_STAMP)

notebooks: $(NOTEBOOK_STAMP)
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)
