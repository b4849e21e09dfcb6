# The two commands of the README: `make demo` and `make test`.
# Both create (or reuse) .venv and install what they need, so a fresh machine with only
# Python 3.11 and pip is enough.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Re-install when a project file changes: the stamp records what was installed.
STAMP := $(VENV)/.assay-installed
PROJECT_FILES := pyproject.toml $(wildcard examples/shop/pyproject.toml)

.PHONY: demo test lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python $(PROJECT_FILES)
	$(BIN)/python -m pip install --quiet -e '.[dev,all]' $(if $(wildcard examples/shop/pyproject.toml),-e 'examples/shop[dev]')
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m examples.demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict src
	cd examples/shop/src && $(CURDIR)/$(BIN)/mypy --strict -p shop

# Two workers (CI has two cores); PYTEST_ARGS= runs serially, PYTEST_ARGS="-k x" narrows.
PYTEST_ARGS ?= -n 2
# pytest exits 5 when it collected no test: for us that is a failure, not a success.
pytest: $(STAMP)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	exit $$rc

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist
