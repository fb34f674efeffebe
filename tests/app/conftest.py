"""Shared fixtures for the app tests: a small real index, isolated user dirs, and a window factory.

The index is built once per session from Markdown files written here (lexical-only, for speed). Every test
gets its own config/cache/log folders (platformdirs follows the XDG variables), so nothing touches the
developer's real settings.
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from tests.helpers.corpus import write_corpus

LONG_STEPS = "\n".join(f"{i}. Trinn {i} i framgangsmåten: kontroller, utfør og observer pasienten nøye."
                       for i in range(1, 41))


def doc(**meta) -> dict:
    return meta


def corpus_docs(trap_url: str) -> dict:
    return {
        "var/pvk.md": doc(
            id="a-var-pvk", title="Perifert venekateter (PVK) – innleggelse hos voksne", source="var",
            owner="VAR (test)", language="nb", revised="2025-01-10", review_due="2030-01-10",
            keywords=["PVK", "venekateter", "venflon"],
            body=f"""## Hensikt
Sikker innleggelse av perifert venekateter (venflon) hos voksne pasienter.
## Utstyr
Venekateter, stasebånd, hudantiseptikum og transparent bandasje.
## Framgangsmåte
{LONG_STEPS}
## Avfall
Brukte kanyler legges straks i gul kanyleboks. Kanyleboksen lukkes når den er full.
## Bilde
Illustrasjon: <img src="{trap_url}/pixel.png"> (skal aldri hentes)"""),
        "local/pvk-med.md": doc(
            id="a-lok-pvk", title="PVK – innleggelse, medisinsk sengepost", source="local",
            owner="Medisinsk sengepost (test)", unit="Sengepost 3", language="nb", revised="2024-05-01",
            review_due="2030-05-01", keywords=["PVK", "venflon"],
            body="""## Hensikt
Lokal rutine for innleggelse av perifert venekateter (venflon, PVK) på medisinsk sengepost.
## Framgangsmåte
Hent utstyr fra prosedyrerommet. Velg vene, desinfiser, stikk og fest kateteret."""),
        "regional/blodtrykk.md": doc(
            id="a-reg-bt", title="Blodtrykksmåling hos voksne", source="regional", owner="Helse Test (test)",
            language="nb", revised="2025-02-01", review_due="2030-02-01", keywords=["blodtrykk", "BT"],
            body="""## Framgangsmåte
Pasienten sitter i ro. Plasser mansjetten på overarmen i hjertehøyde og mål blodtrykket."""),
        "var/trykksar.md": doc(
            id="a-var-trykksar", title="Trykksårforebygging", source="var", owner="VAR (test)", language="nb",
            revised="2025-03-01", review_due="2030-03-01", keywords=["trykksår", "leiring"],
            body="""## Framgangsmåte
Kartlegg risiko for trykksår ved innkomst. Snu og leir pasienten etter fast plan."""),
        "local/munnstell-nn.md": doc(
            id="a-lok-munnstell", title="Munnstell hjå pasientar som ikkje et", source="local",
            owner="Sjukeheimen (test)", language="nn", revised="2016-03-01", review_due="2019-03-01",
            keywords=["munnstell", "munnhole"],
            body="""## Framgangsmåte
Bruk mjuk tannbørste og fuktige skumpinnar til munnstell. Smør leppene."""),
        "local/gammel-pvk.md": doc(
            id="a-lok-pvk-gammel", title="PVK – gammel rutine", source="local", owner="Kirurgisk post (test)",
            language="nb", revised="2015-01-01", review_due="2030-01-01", status="superseded",
            replaced_by="a-var-pvk", keywords=["PVK"],
            body="""## Framgangsmåte
Utgått rutine for innleggelse av perifert venekateter. Bruk den nasjonale prosedyren."""),
    }


class _Trap(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        _Trap.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def http_trap():
    """A local web server that records every request: the document view must never call it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Trap.hits
    server.shutdown()


@pytest.fixture(scope="session")
def app_sources(tmp_path_factory, http_trap):
    root = tmp_path_factory.mktemp("app-corpus")
    write_corpus(root, corpus_docs(http_trap[0]))
    return [(tier, root / tier) for tier in ("var", "regional", "local")]


@pytest.fixture(scope="session")
def app_index(tmp_path_factory, app_sources) -> Path:
    from index import api

    folder = tmp_path_factory.mktemp("app-index")
    api.build(folder, app_sources, use_model=False)
    return folder


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"),
                     ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_DIRS", "site")):
        (tmp_path / "xdg" / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(tmp_path / "xdg" / sub))
    yield tmp_path / "xdg"
    from app import errors
    from app.i18n import set_language

    errors.shown.clear()  # error boxes die with their test's window
    from app.qt import QApplication
    from app.window.mainwindow import system_font

    set_language("nb")
    from app.qt import QLocale

    QLocale.setDefault(QLocale.system())  # the window sets the UI language's number format application-wide
    if QApplication.instance() is not None:  # font scaling is application-wide: undo it
        QApplication.setFont(system_font())
        QApplication.processEvents()


@pytest.fixture
def make_window(qtbot, app_index):
    """make_window(index_dir=..., model_loader=..., semantic=False, **config flags) → an open MainWindow."""
    from app.config import Config
    from app.session import Session
    from app.tasks import TaskRunner
    from app.window.mainwindow import MainWindow

    made = []

    def make(*, index_dir=None, semantic=False, model_loader=None, start=True, **flags):
        flags.setdefault("tablet_mode", "off")
        config = Config(flags=flags)
        runner = TaskRunner()
        session = Session(runner=runner, index_dir=index_dir or app_index, semantic=semantic,
                          model_loader=model_loader)
        window = MainWindow(config=config, session=session)
        qtbot.addWidget(window)
        window.show()
        made.append(session)
        if start:
            session.start()
            qtbot.waitUntil(lambda: session.engine is not None, timeout=15000)
        return window

    yield make
    for session in made:
        session.shutdown()


def search(qtbot, window, text: str, *, clear: bool = True) -> list:
    """Type ``text`` into the search field key by key and wait for its results; returns the hits."""
    field = window.search_bar.field
    if clear:
        field.clear()
    field.setFocus()
    qtbot.keyClicks(field, text)
    qtbot.waitUntil(lambda: window.results.outcome is not None and window.results.outcome.query == text.strip()
                    and window.results.outcome.filters == window.search_bar.filters(), timeout=10000)
    return window.results.model.hits()
