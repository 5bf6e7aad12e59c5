# Backprop Lab: two commands do all set-up.
#   make lab    create .venv, install the pinned course environment, start JupyterLab on the course
#   make test   create .venv, install the course and test environment, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8888
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test solved figures bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@# Editable install of grader/ only (an import finder maps just that package: solutions/ stays
	@# out of the environment, as it is in a student's).
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	@# rfc3987-syntax is an optional extra that costs ~1.4 s in every process importing nbformat.
	-$(BIN)/python -m pip uninstall -q -y rfc3987-syntax
	@# PyTorch is an optional test dependency: installed only if a local CPU wheel is on offer
	@# (a +cpu build is never fetched from PyPI), else the torch comparisons are skipped.
	-$(BIN)/python -m pip install --disable-pip-version-check -q "torch==2.13.0+cpu" 2>/dev/null \
	    || echo "PyTorch CPU wheel not available: torch comparisons will be skipped."
	touch $@

lab: $(VENV)/.installed
	$(BIN)/jupyter lab --ServerApp.ip=$(HOST) --ServerApp.port=$(PORT) --ServerApp.root_dir=$(CURDIR) \
	    --LabApp.default_url=/lab/tree/notebooks $(ROOT_FLAG)

test: $(VENV)/.installed
	$(BIN)/python -m grader solve --out build/solved
	$(BIN)/python -m pytest tests build/solved --nbval-lax --nbval-current-env $(PYTEST_ARGS)

solved: $(VENV)/.installed
	$(BIN)/python -m grader solve --out build/solved

figures: $(VENV)/.installed
	$(BIN)/python img/make_figures.py --embed

bench: $(VENV)/.installed
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf build release submitted autograded feedback gradebook.db .pytest_cache
