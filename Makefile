# Backprop Lab: two commands do all set-up.
#   make lab    create .venv, install the pinned course environment, start JupyterLab on the course
#   make test   create .venv, install the course and test environment, run the whole test suite
#   make hub    start the course's JupyterHub on 127.0.0.1 (as root; docs/deploy.md)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8888
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test solved figures bench lock clean hub hub-env hub-proxy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt deploy/jupyterhub/requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	@# JupyterHub too: the hub test (tests/instructor/scenarios/test_hub.py) and `make hub` run it from here.
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt \
	    -r deploy/jupyterhub/requirements.txt -c constraints.txt
	@# Editable install of grader/ only (an import finder maps just that package: solutions/ stays
	@# out of the environment, as it is in a student's), with the instructor's extra.
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-build-isolation -c constraints.txt -e ".[instructor]"
	@# rfc3987-syntax is an optional extra that costs ~1.4 s in every process importing nbformat.
	-$(BIN)/python -m pip uninstall -q -y rfc3987-syntax
	@# PyTorch is an optional test dependency: installed only if a local CPU wheel is on offer
	@# (a +cpu build is never fetched from PyPI), else the torch comparisons are skipped.
	-$(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt "torch==2.13.0+cpu" 2>/dev/null \
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

# The course's JupyterHub (deploy/jupyterhub/, docs/deploy.md), for trying it on this machine:
#   sudo make hub HUB_INSTRUCTORS=alice HUB_STUDENTS=bob,carol     then open http://127.0.0.1:8000
# Users log in with their unix password. The users' environment (a separate virtualenv with a
# non-editable grader: nothing in it leads back to this checkout's solutions/), the exchange and
# the hub's state are made under build/hub/.
HUB_ENV      ?= build/hub/venv
HUB_STATE    ?= build/hub/state
HUB_EXCHANGE ?= build/hub/exchange
HUB_PORT     ?= 8000

hub-env: $(VENV)/.installed
	$(BIN)/python deploy/jupyterhub/prepare.py env $(HUB_ENV)

hub-proxy: $(VENV)/.installed
	$(BIN)/python deploy/jupyterhub/prepare.py proxy

hub: hub-env hub-proxy
	@test "$$(id -u)" = 0 || { echo "make hub starts servers as other users: run it as root (sudo make hub ...)"; exit 1; }
	@test -n "$(HUB_INSTRUCTORS)$(HUB_STUDENTS)" || \
	    { echo "usage: sudo make hub HUB_INSTRUCTORS=alice HUB_STUDENTS=bob,carol  (local unix accounts)"; exit 1; }
	$(BIN)/python deploy/jupyterhub/prepare.py exchange $(HUB_EXCHANGE)
	BACKPROP_HUB_INSTRUCTORS="$(HUB_INSTRUCTORS)" BACKPROP_HUB_STUDENTS="$(HUB_STUDENTS)" \
	BACKPROP_HUB_ENV=$(abspath $(HUB_ENV)) BACKPROP_HUB_STATE=$(abspath $(HUB_STATE)) \
	BACKPROP_LAB_EXCHANGE=$(abspath $(HUB_EXCHANGE)) BACKPROP_HUB_IP=127.0.0.1 BACKPROP_HUB_PORT=$(HUB_PORT) \
	    $(BIN)/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

# Pin every installed package (run after changing requirements.txt; keeps the optional torch pins).
lock: $(VENV)/.installed
	{ sed -n '/^#/p' constraints.txt; { $(BIN)/python -m pip freeze --exclude-editable; \
	  grep -i '^rfc3987-syntax==' constraints.txt; grep -i '^setuptools==' requirements.txt; } | sort -fu; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf build release submitted autograded feedback gradebook.db .pytest_cache
