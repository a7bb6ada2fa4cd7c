# Two entry points, as in the README: `make run` and `make test`. Both set up .venv/ first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: install run test lint bench demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Serves the app on http://localhost:8501. Without KIM_DB and without data/kim.duckdb it runs on
# the demo database data/demo.duckdb, which it creates on first start.
run: $(STAMP)
	@if [ -z "$$KIM_DB" ] && [ ! -f data/kim.duckdb ]; then \
		export KIM_DB=data/demo.duckdb; \
		[ -f "$$KIM_DB" ] || $(PY) -m demo --db "$$KIM_DB"; \
	fi; \
	exec $(PY) -m streamlit run server.py --server.port 8501 --server.address localhost

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

test: lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) tests/benchmark.py

demo: $(STAMP)
	$(PY) -m demo --db data/demo.duckdb

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
