# Recours — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: run test setup system-deps train lock bench clean

run: setup
	$(PY) -m ops run

test: setup system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Python environment from the committed lock, resolved for Rasa 3.6 (see README, "Installation").
setup: $(STAMP)
$(STAMP): requirements.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@test -x $(PY) || uv venv --quiet $(VENV) -p python3.11
	uv pip install --quiet --python $(PY) --no-deps -r requirements.lock
	uv pip install --quiet --python $(PY) --no-deps -e .
	@touch $(STAMP)

# Servers the tests start themselves (PostgreSQL, Redis, Chromium), from Debian's packages when missing.
system-deps:
	@bash scripts/system-deps.sh

train: setup
	$(PY) -m ops train

# Regenerate the lock after changing requirements.in (resolution as if for Python 3.10: Rasa 3.6's range).
lock:
	uv pip compile --python-version 3.10 --python-platform linux --override overrides.txt \
		requirements.in -o requirements.lock

bench: setup
	$(PY) -m bench

clean:
	rm -rf models var .pytest_cache
