# Bianzhi: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# Installed packages come with their bytecode, so that each process the tests start (servers, workers, commands)
# does not compile them again: a shell with PYTHONDONTWRITEBYTECODE never caches it otherwise.
export UV_COMPILE_BYTECODE := 1
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
SCALE ?= county
# make wheelhouse: the interpreter whose wheels are fetched (the intranet server's Python minor version)
PYTHON ?= python3
WHEELHOUSE ?= wheelhouse
# make install OFFLINE=wheelhouse/ [VENV=…]: install from that folder, without network
OFFLINE ?=
# pytest-xdist workers (docs/decisions/0004-parallel-tests.md): one per core; WORKERS=0 runs in one process
WORKERS ?= auto
# the 25 slowest tests of each pass are listed at its end: where to look first when the run nears its 20 minutes
PYTEST := $(BIN)/pytest -q -n $(WORKERS) --durations=25

.PHONY: install demo test test-sqlite test-postgres smoke lint bench loadtest clean wheelhouse

ifeq ($(strip $(OFFLINE)),)
install: $(VENV)/.installed
else
# No network: a new virtual environment from the folder's wheels only (scripts/install-offline, docs/operations.md).
install:
	OFFLINE_WHEELHOUSE="$(OFFLINE)" PYTHON="$(PYTHON)" scripts/install-offline "$(VENV)"
endif

$(VENV)/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --locked --quiet
	@touch $@

demo: install
	$(BIN)/bianzhi demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: install
	@scripts/test-prerequisites
	@$(BIN)/python -m compileall -q -j 0 src tests bench >/dev/null
	$(MAKE) --no-print-directory lint test-sqlite test-postgres

# The whole suite on SQLite (a test database file per worker), browser tests included.
test-sqlite:
	env -u DATABASE_URL $(PYTEST)

# The whole suite again on real PostgreSQL: each worker starts and stops a server of its own.
test-postgres:
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  DATABASE_URL=postgres://postgres@localhost/bianzhi $(PYTEST); \
	elif [ "$$CI" = "true" ]; then echo "错误：CI 环境缺少 PostgreSQL" >&2; exit 1; \
	else echo "跳过：未安装 PostgreSQL，未运行 PostgreSQL 上的测试" >&2; fi

# A small demo county, then the integrity checks a deployment runs (the suite does the same in
# tests/core/test_cli.py::test_demo_then_check_then_audit_verify, so `make test` does not repeat it).
smoke:
	@rm -rf var/smoke && mkdir -p var/smoke
	cd var/smoke && env -u DATABASE_URL BIANZHI_HOME=$(CURDIR)/var/smoke $(CURDIR)/$(BIN)/bianzhi demo --no-serve --units 40
	cd var/smoke && env -u DATABASE_URL BIANZHI_HOME=$(CURDIR)/var/smoke $(CURDIR)/$(BIN)/bianzhi check
	cd var/smoke && env -u DATABASE_URL BIANZHI_HOME=$(CURDIR)/var/smoke $(CURDIR)/$(BIN)/bianzhi audit verify

# Every wheel and asset an intranet server needs, for copying there (needs network here): scripts/wheelhouse.
wheelhouse:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	PYTHON="$(PYTHON)" UV="$(UV)" scripts/wheelhouse "$(WHEELHOUSE)"

bench: install
	$(BIN)/python -m bench --scale $(SCALE) $(if $(DB),--db $(DB))

# locust against `bianzhi serve --workers 4` on the bench database of SCALE (docs/performance.md)
USERS ?= 50
SECONDS ?= 60
loadtest: install
	$(BIN)/python -m bench.loadtest --scale $(SCALE) --users $(USERS) --seconds $(SECONDS) $(if $(DB),--db $(DB))

clean:
	rm -rf $(VENV) var/smoke var/bench $(WHEELHOUSE)
