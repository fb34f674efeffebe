"""The engine's run-time boundaries, checked on real processes. Which module may import which (no Qt or app
under ``index/``, app and CLI through ``index.api`` only, layers without cycles) is a contract checked by
``lint-imports`` (``[tool.importlinter]`` in pyproject.toml, run by ``make lint``)."""

import subprocess
import sys

from index import api
from index.records import SearchMode
from tests.helpers.paths import REPO

# What a search must never load: the UI toolkit, and the model pipeline (the runtime encoder is ONNX).
NEVER_AT_RUN_TIME = ("PySide6", "shiboken6", "PyQt6", "torch", "transformers", "sentence_transformers")


def test_a_cli_search_with_the_model_loads_no_qt_and_no_torch(hybrid_index):
    code = ("import sys\n"
            "from index.cli.main import main\n"
            "assert main(['search', '--index', sys.argv[1], '--top', '3', 'PVK']) == 0\n"
            f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {NEVER_AT_RUN_TIME!r})\n"
            "assert not bad, bad\n")
    r = subprocess.run([sys.executable, "-c", code, str(hybrid_index)], cwd=REPO, capture_output=True, text=True,
                       check=False)
    assert r.returncode == 0, r.stderr
    assert "t-var-pvk" in r.stdout


def test_build_and_search_open_no_socket(no_network, corpus, tmp_path):
    _, sources = corpus
    api.build(tmp_path / "ix", sources, model_path=api.default_model_dir())
    with api.Engine(tmp_path / "ix") as engine:
        assert engine.load_model(api.default_model_dir()), engine.model_error
        assert engine.search("PVK").mode == SearchMode.HYBRID
