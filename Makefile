# thrudesk: every target bootstraps .venv by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.thrudesk-installed
ARGS   ?=

.PHONY: run test lint typecheck pytest bench bundle screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "thrudesk needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# Bytecode compiled ahead, as an installed program has it (an editable install has none, and
# a shell with PYTHONDONTWRITEBYTECODE would compile every module at every start).
BYTECODE := $(BIN)/python -m compileall -q thrudesk

run: $(STAMP)
	@$(BYTECODE)
	$(BIN)/thrudesk $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(ARGS)

test: lint typecheck pytest

bench: $(STAMP)
	@$(BYTECODE) benchmarks
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks $(ARGS)

# The one-folder program in dist/thrudesk/ (PyInstaller comes with the test extra);
# packaging/install-desktop.sh puts it in the desktop's menu.
bundle: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/thrudesk.spec

# Painted by the program on a fresh demo profile; needs a display (xvfb-run -a make screenshots).
screenshots: $(STAMP)
	$(BIN)/python -m thrudesk.tools.screenshots docs/screenshots

clean:
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache
