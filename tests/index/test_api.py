"""The engine facade (index/api.py) as the app and the CLI use it: build, open, search, document, stats and report
on a real temporary index of the test corpus, typed errors for a missing or damaged index, and lexical search
when no model can be loaded. Builds here are lexical-only (no model), so the module runs in seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from pathlib import Path

import pytest

from index import api
from index.api import Decision, DecisionStore, decisions_path
from index.errors import BuildCancelled, IndexCorruptError, IndexMissingError, KildefinnerError
from index.records import BuildReport, IndexStats, Procedure, SearchMode, SearchResult, Tier
from index.store import snapshot
from tests.helpers.corpus import DOCS, write_corpus


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def lexical_index(tmp_path_factory) -> tuple[Path, Path]:
    """(source root, index folder): the test corpus built through the facade without a model."""
    root = tmp_path_factory.mktemp("api-src")
    ix = tmp_path_factory.mktemp("api-ix")
    report = api.build(ix, write_corpus(root), use_model=False)
    assert isinstance(report, BuildReport) and report.indexed == len(DOCS) and report.skipped == ()
    return root, ix


@pytest.fixture
def engine(lexical_index):
    engine = api.open_index(lexical_index[1])
    yield engine
    engine.close()


def test_a_plain_index_folder_opens_in_place(lexical_index, engine, tmp_path):
    ix = lexical_index[1]
    assert engine.index_dir == ix and engine.snapshot.folder == snapshot.current_dir(ix)
    assert not api.is_published_share(ix, cache_root=tmp_path)
    assert not (tmp_path / "published").exists()  # nothing was copied for a plain folder
    assert engine.fallback_reason == ""


def test_stats_describe_the_lexical_index(engine):
    stats = engine.stats()
    assert isinstance(stats, IndexStats) and stats.snapshot == engine.snapshot.name
    assert stats.documents == len(DOCS) and (stats.model, stats.dim, stats.chunks) == ("", 0, 0)
    assert stats.by_tier == {"var": 3, "regional": 0, "local": 4}
    assert stats.by_language == {"nb": 6, "nn": 1}
    assert stats.superseded == 1
    # Past review: the nynorsk routine (2021) and the ward's PVK routine (2026-05); the superseded one not counted.
    assert 2 <= stats.stale <= 5
    assert dt.datetime.fromisoformat(stats.built_at).tzinfo is not None


def test_search_without_a_model_is_lexical_and_says_so(engine):
    assert not engine.semantic_ready and engine.embedder is None
    result = engine.search("perifert venekateter")
    assert isinstance(result, SearchResult) and result.mode == SearchMode.LEXICAL
    assert "lexical results only" in result.notice
    assert result.hits[0].doc_id == "t-var-pvk"  # the primary source first
    assert "t-lok-pvk" in [h.doc_id for h in result.hits]
    dense = engine.search("perifert venekateter", mode="dense")
    assert dense.mode == SearchMode.LEXICAL and [h.doc_id for h in dense.hits] == [h.doc_id for h in result.hits]
    lexical = engine.search("perifert venekateter", mode="lexical")
    assert lexical.notice == "" and [h.doc_id for h in lexical.hits] == [h.doc_id for h in result.hits]


def test_load_model_on_an_index_without_vectors_says_why(engine):
    assert engine.load_model() is False
    assert "no vectors" in engine.model_error
    assert engine.search("trykksår").mode == SearchMode.LEXICAL


def test_document_returns_the_procedure_and_an_unknown_id_is_a_clear_error(engine):
    doc = engine.document("t-var-bt")
    assert isinstance(doc, Procedure) and doc.title == DOCS["var/blodtrykk.md"]["title"]
    assert [s.heading for s in doc.sections] == ["Hensikt", "Framgangsmåte", "Observasjoner"]
    assert doc.path == "var/blodtrykk.md" and doc.review_due == dt.date(2028, 2, 1)
    with pytest.raises(KildefinnerError, match="'t-finnes-ikke'"):
        engine.document("t-finnes-ikke")


def test_searches_from_several_threads_answer_as_one_at_a_time(engine):
    queries = ["pvk", "blodtrykk", "trykksår", "rørpost", "munnstell", "urinkateter"]
    expected = {q: [h.doc_id for h in engine.search(q).hits] for q in queries}
    got: dict[tuple[int, str], list[str]] = {}

    def run(n: int) -> None:
        for q in queries:
            got[(n, q)] = [h.doc_id for h in engine.search(q).hits]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == {(n, q): expected[q] for n in range(4) for q in queries}


def test_a_missing_index_is_a_typed_error_naming_the_folder(tmp_path):
    for open_ in (api.Engine, api.open_index):
        with pytest.raises(IndexMissingError, match="no index at") as info:
            open_(tmp_path / "ingen")
        assert str(tmp_path / "ingen") in str(info.value) and isinstance(info.value, KildefinnerError)


def test_a_damaged_pointer_or_vocabulary_is_a_typed_error(lexical_index, tmp_path):
    ix = tmp_path / "ix"
    shutil.copytree(lexical_index[1], ix)
    vocab = snapshot.current_dir(ix) / "vocab.json"
    vocab.write_bytes(b"{" * vocab.stat().st_size)  # same size: only reading it finds the damage
    with pytest.raises(IndexCorruptError, match=r"vocab\.json damaged"):
        api.Engine(ix)
    (ix / snapshot.POINTER).write_text("../../etc\n", "utf-8")
    with pytest.raises(IndexCorruptError, match="names a snapshot that does not exist"):
        api.open_index(ix)


def test_build_without_a_loadable_model_still_builds_a_lexical_index(tmp_path, caplog):
    sources = write_corpus(tmp_path / "src")
    report = api.build(tmp_path / "ix", sources, model_path=tmp_path / "ingen-modell")
    assert report.indexed == len(DOCS)
    assert "building without vectors" in caplog.text and "ingen-modell" in caplog.text
    manifest = json.loads((snapshot.current_dir(tmp_path / "ix") / "manifest.json").read_text("utf-8"))
    assert manifest["model"] == "" and manifest["encoder"] is None
    engine = api.Engine(tmp_path / "ix")
    try:
        assert engine.search("pvk").hits[0].doc_id == "t-var-pvk"
    finally:
        engine.close()
    unknown = api.build(tmp_path / "ix2", sources, encoder="word2vec")  # an unknown encoder: lexical too
    assert unknown.indexed == len(DOCS)


def test_build_reports_progress_by_stage_and_a_false_answer_cancels(lexical_index, tmp_path):
    ix = tmp_path / "ix"
    shutil.copytree(lexical_index[1], ix)
    serving = snapshot.current_dir(ix)
    root = tmp_path / "src"
    sources = write_corpus(root)
    stages: list[str] = []

    def record(stage: str, done: int, total: int) -> None:
        assert 0 <= done <= total
        if not stages or stages[-1] != stage:
            stages.append(stage)

    api.build(ix, sources, use_model=False, progress=record, full=True)
    assert stages == ["scan", "parse", "overlap", "write"]
    rebuilt = snapshot.current_dir(ix)
    assert rebuilt != serving

    def cancel_at_overlap(stage: str, done: int, total: int) -> bool:
        return stage != "overlap"

    with pytest.raises(BuildCancelled):
        api.build(ix, sources, use_model=False, progress=cancel_at_overlap, full=True)
    assert snapshot.current_dir(ix) == rebuilt  # the previous snapshot keeps serving
    assert [p.name for p in ix.iterdir() if p.name.startswith(".building")] == []


def test_write_report_writes_its_files_and_changes_neither_sources_nor_index(lexical_index, engine, tmp_path):
    root, ix = lexical_index
    sources_before, index_before = _listing(root), _listing(ix)
    out = tmp_path / "rapport"
    paths = api.write_report(engine, out, today=dt.date(2026, 11, 25))
    assert paths and all(p.is_file() and p.parent == out for p in paths)
    assert {p.suffix for p in paths} == {".csv", ".html"}
    html = next(p for p in paths if p.suffix == ".html").read_text("utf-8")
    assert "t-lok-munnstell" in html and "2026-11-25" in html
    assert _listing(root) == sources_before and _listing(ix) == index_before


def test_demo_sources_name_the_shipped_demo_corpus():
    sources, manifest = api.demo_sources()
    assert [tier for tier, _ in sources] == ["var", "regional", "local"]
    assert all(folder.is_dir() and folder.parent == api.resources_dir() / "demo" for _, folder in sources)
    assert manifest is not None and manifest.name == "manifest.csv" and manifest.is_file()


def test_the_engine_answers_what_the_app_asks_without_its_snapshot(lexical_index, engine):
    """The app reads ids, titles, the serving version and decisions through Engine, never ``engine.snapshot``."""
    ids = {meta["id"] for meta in DOCS.values()}
    assert engine.doc_ids() == ids
    assert engine.doc_ids(Tier.VAR) == {meta["id"] for meta in DOCS.values() if meta["source"] == "var"}
    assert engine.title("t-var-pvk") == engine.document("t-var-pvk").title
    assert engine.title("finnes-ikke") is None
    assert engine.serving == engine.stats().snapshot and not engine.has_vectors
    # no decisions yet: none applied, and the file named is where the procedure team's decisions would go
    assert engine.decision("t-lok-pvk") is None
    assert engine.decisions_source() == decisions_path([(tier, lexical_index[0] / tier) for tier in ("var", "local")])


def test_the_engine_names_the_decisions_its_build_applied(tmp_path):
    sources = write_corpus(tmp_path / "src")
    store = DecisionStore(decisions_path(sources), user="kari")
    store.load()
    store.save({"t-lok-pvk": Decision("t-lok-pvk", "utfases", "t-var-pvk", dt.date(2027, 1, 31), "VAR dekker")})
    api.build(tmp_path / "ix", sources, use_model=False)
    with api.Engine(tmp_path / "ix") as engine:
        decided = engine.decision("t-lok-pvk")
        assert decided is not None and (decided.decision, decided.var_id) == ("utfases", "t-var-pvk")
        assert engine.decision("t-var-pvk") is None
        assert engine.decisions_source() == decisions_path(sources)
