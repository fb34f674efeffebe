# Two commands on a fresh machine: `make run` and `make test`. Both create/refresh .venv and provision the model.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL_DIR := resources/models/multilingual-e5-small
MODEL_STAMP := $(MODEL_DIR)/.verified

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test test-slow lint bench model venv clean dist

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,provision]'
	touch $(STAMP)

model: $(MODEL_STAMP)

$(MODEL_STAMP): $(STAMP) index/model.py index/model_convert.py
	$(PY) -m index.model provision --out $(MODEL_DIR)

run: $(STAMP) $(MODEL_STAMP)
	$(VENV)/bin/kildefinner

# pytest exit 5 means "no tests collected": that is a failure here, said out loud.
test: $(STAMP) $(MODEL_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow" $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests" >&2; exit 1; fi; exit $$rc

test-slow: $(STAMP) $(MODEL_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m slow $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check app index bench tests

bench: $(STAMP) $(MODEL_STAMP)
	$(PY) -m bench.quality
	$(PY) -m bench.ui_latency

clean:
	rm -rf $(VENV) build dist resources/models
