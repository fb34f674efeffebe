# Two commands on a fresh machine: `make run` and `make test`. Both create/refresh .venv and provision the model.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL_DIR := resources/models/multilingual-e5-small
MODEL_STAMP := $(MODEL_DIR)/.verified

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test test-slow lint bench model venv clean dist dist-check

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,provision]'
	touch $(STAMP)

model: $(MODEL_STAMP)

$(MODEL_STAMP): $(STAMP) index/embed/model.py index/embed/convert.py index/embed/export.py index/embed/q4.py index/embed/graph.py
	$(PY) -m index.embed.model provision --out $(MODEL_DIR)

# The demo index with vectors, built once here (and for the bundle) so a first start has hybrid search at once.
DEMO_INDEX_STAMP := resources/demo-index/demo-sources.json
DEMO_SOURCES := $(shell find resources/demo/var resources/demo/regional resources/demo/local -type f 2>/dev/null) \
	resources/demo/manifest.csv

$(DEMO_INDEX_STAMP): $(MODEL_STAMP) $(DEMO_SOURCES)
	$(PY) -m app.demo

run: $(STAMP) $(MODEL_STAMP) $(DEMO_INDEX_STAMP)
	$(VENV)/bin/kildefinner

# pytest exit 5 means "no tests collected": that is a failure here, said out loud.
test: $(STAMP) $(MODEL_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow" $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests" >&2; exit 1; fi; exit $$rc

test-slow: $(STAMP) $(MODEL_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m slow $(PYTEST_ARGS)

# ruff; mypy (its configuration in pyproject.toml says what it checks); the import contracts (layers, no Qt in index/).
lint: $(STAMP)
	$(VENV)/bin/ruff check app index bench tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP) $(MODEL_STAMP)
	$(PY) -m bench.quality
	$(PY) -m bench.speed
	$(PY) -m bench.ui_latency

# -- the one-folder bundle (build.spec; see docs/it-guide.md) --------------------------------------------
DIST_STAMP := $(VENV)/.installed-dist
BUNDLE := dist/kildefinner
# dist-check runs the bundle as on a clean PC: no network (a new network namespace where unshare works),
# a scratch home (no config, no cache), no Python or Qt environment variables but offscreen.
NONET := $(shell unshare -n true 2>/dev/null && echo unshare -n)
CHECK_HOME := build/dist-check-home
RUN := env -i PATH=/usr/bin:/bin HOME=$(abspath $(CHECK_HOME)) LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen $(NONET)

$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,provision,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP) $(MODEL_STAMP) $(DEMO_INDEX_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
	@du -sh $(BUNDLE)

# The procedure team's path (CLI build with the model, publish to a read-only share) and a ward PC's (the app's
# self-test on that share: first copy, open, lexical then hybrid searches, a document), then the CLI on the copy.
dist-check: dist
	chmod -R u+w $(CHECK_HOME) 2>/dev/null; rm -rf $(CHECK_HOME) && mkdir -p $(CHECK_HOME)
	@test -n "$(NONET)" || echo "note: unshare -n not available here; the check runs with the network up" >&2
	$(RUN) $(BUNDLE)/kildefinner-index build --demo --index $(CHECK_HOME)/index
	$(RUN) $(BUNDLE)/kildefinner-index search --index $(CHECK_HOME)/index --top 3 PVK
	$(RUN) $(BUNDLE)/kildefinner-index publish --index $(CHECK_HOME)/index --to $(CHECK_HOME)/share
	chmod -R a-w $(CHECK_HOME)/share
	$(RUN) $(BUNDLE)/kildefinner --self-test --index $(CHECK_HOME)/share
	$(RUN) $(BUNDLE)/kildefinner-index sync --from $(CHECK_HOME)/share --index $(CHECK_HOME)/copy
	$(RUN) $(BUNDLE)/kildefinner-index stats --index $(CHECK_HOME)/copy
	chmod -R u+w $(CHECK_HOME)/share
	@echo "dist-check passed: $(BUNDLE)"

clean:
	rm -rf $(VENV) build dist resources/models
