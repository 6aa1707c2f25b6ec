# Recours — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: run test test-reliability setup web-deps system-deps train lock bench clean

run: setup
	$(PY) -m ops run

test: setup system-deps
	$(VENV)/bin/pytest --durations=25 $(PYTEST_ARGS)

# The reliability suite alone (also part of `make test`): back-office, failures, fuzz, fail-over, deploy files.
test-reliability: setup system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS) tests/test_backoffice.py tests/test_turns.py tests/test_deploy.py \
		tests/e2e/test_failures_e2e.py tests/e2e/test_outages_e2e.py tests/e2e/test_failover.py tests/e2e/test_fuzz.py

# Python environment from the committed lock, resolved for Rasa 3.6 (see README, "Installation"); the widget.
setup: $(STAMP) web-deps
$(STAMP): requirements.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@test -x $(PY) || uv venv --quiet $(VENV) -p python3.11
	uv pip sync --quiet --python $(PY) requirements.lock
	uv pip install --quiet --python $(PY) --no-deps -e .
	@touch $(STAMP)

# The demo page's chat widget libraries (socket.io-client, markdown-it; axe-core for the browser test; exact versions
# in web/package-lock.json), served by ops/web.py from web/node_modules: reinstalled when missing or older than the lock. --ignore-scripts: no package runs code here.
WEB_STAMP := web/node_modules/.package-lock.json
web-deps: $(WEB_STAMP)
$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null 2>&1 || bash scripts/system-deps.sh npm
	cd web && npm ci --no-audit --no-fund --ignore-scripts
	@touch $(WEB_STAMP)

# Servers the tests start themselves (PostgreSQL, Redis, Chromium), from Debian's packages when missing.
system-deps:
	@bash scripts/system-deps.sh

train: setup
	$(PY) -m ops train

# Regenerate the lock after changing requirements.in (resolution as if for Python 3.10: Rasa 3.6's range).
# jax/jaxlib: required by TensorFlow 2.12's metadata for TFLite's JAX converter only, which Rasa never uses;
# TensorFlow imports jax when present (1.6 s more at every start, 70 MB more per process), so it is not installed.
lock:
	uv pip compile --python-version 3.10 --python-platform linux --override overrides.txt \
		--no-emit-package jax --no-emit-package jaxlib requirements.in -o requirements.lock

bench: setup
	$(PY) -m bench

clean:
	rm -rf models var .pytest_cache
