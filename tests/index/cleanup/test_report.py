"""The cleanup report and overlap grouping, on real indexes: the demo corpus (lexical-only, fast) and a small
corpus with vectors (nynorsk ↔ bokmål needs the embeddings)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from index import api
from index.builder import build
from index.cleanup.report import CSV_COLUMNS, HTML_FILE
from index.cli import main as cli
from tests.helpers.corpus import DOCS, write_corpus
from tests.helpers.paths import REPO

TODAY = dt.date(2026, 11, 25)  # the date the demo corpus README describes staleness against
DOCS_MD = REPO / "docs" / "report.md"
TRICKY_TITLE = "Nøkkelkort <script>x</script> & «sitat» <b>fet</b>"

EXTRA = {
    # a nynorsk local routine that repeats the bokmål VAR procedure t-var-bt
    "local/blodtrykk-nn.md": {
        "id": "t-lok-bt-nn", "title": "Blodtrykksmåling hjå vaksne, sengepost 2", "source": "local",
        "owner": "Vikøy sjukehus (test)", "unit": "Sengepost 2", "language": "nn", "revised": "2024-02-01",
        "review_due": "2027-02-01", "keywords": ["blodtrykk", "BT"],
        "body": """## Føremål
Korrekt blodtrykksmåling hjå vaksne pasientar.
## Framgangsmåte
Pasienten sit i ro i fem minutt. Vel rett storleik på mansjetten og plasser mansjetten på overarmen i
hjartehøgd. Pump opp og slepp lufta sakte medan du lyttar med stetoskop.
## Observasjonar
Ver merksam på svimmelheit og ortostatisk blodtrykksfall ved mobilisering."""},
    "local/nokkelkort.md": {
        "id": "t-lok-nokkel", "title": f'"{TRICKY_TITLE}"', "source": "local", "owner": "Kirurgisk post (test)",
        "language": "nb", "revised": "2024-01-01", "review_due": "2027-01-01", "keywords": ["nøkkel"],
        "body": """## Framgangsmåte
Nøkkelkortet til medisinrommet hentes i vaktrommet og leveres tilbake ved vaktskiftet."""},
}


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory):
    """The embedded demo corpus, lexical-only (seconds): stale, superseded, duplicates, local-only routines."""
    folder = tmp_path_factory.mktemp("demo-index")
    sources, manifest = api.demo_sources()
    api.build(folder, sources, manifest=manifest, use_model=False)
    engine = api.Engine(folder)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def vector_engine(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("overlap-corpus")
    sources = write_corpus(root, {**DOCS, **EXTRA})
    folder = tmp_path_factory.mktemp("overlap-index")
    build.build(folder, sources, embedder=embedder)
    engine = api.Engine(folder)
    assert engine.attach_embedder(embedder), engine.model_error
    yield engine
    engine.close()


def test_var_first_with_its_local_variant_right_under_it(vector_engine, demo_engine):
    for engine, query, var_id, local_id in ((vector_engine, "innleggelse av PVK", "t-var-pvk", "t-lok-pvk"),
                                            (demo_engine, "PVK innleggelse", "demo-var-001", "demo-lok-001")):
        hits = engine.search(query).hits
        ids = [h.doc_id for h in hits]
        assert ids[0] == var_id and ids[1] == local_id, ids
        variant = hits[1]
        assert variant.grouped and variant.overlaps_id == var_id and variant.overlap_kind == "full"
        assert variant.overlaps_title == hits[0].title
        assert not hits[0].grouped and not hits[0].overlaps_id


def test_nynorsk_local_routine_overlaps_its_bokmal_var_procedure(vector_engine):
    pairs = {(o.doc_id, o.other_id): o for o in vector_engine.snapshot.overlaps()}
    found = pairs.get(("t-lok-bt-nn", "t-var-bt"))
    assert found is not None and found.primary and found.kind in ("full", "partial"), pairs.keys()
    assert found.sections and found.shared_terms  # evidence a reviewer can judge
    report = vector_engine.report(today=TODAY)
    row = next(r for r in report.overlaps if r.doc.doc_id == "t-lok-bt-nn")
    assert (row.doc.language, row.other.language) == ("nn", "nb")
    assert "t-lok-bt-nn" not in {d.doc_id for d in report.local_only}
    assert {"t-lok-rorpost", "t-lok-nokkel"} <= {d.doc_id for d in report.local_only}


def test_report_sorts_the_demo_corpus_into_what_the_team_acts_on(demo_engine):
    report = demo_engine.report(today=TODAY)
    assert {d.doc_id for d in report.stale} == {"demo-lok-008", "demo-lok-015", "demo-lok-014"}
    assert report.stale[0].doc_id == "demo-lok-008"  # longest overdue first
    assert [d.doc_id for d in report.superseded] == ["demo-lok-010"]
    assert [(r.doc.doc_id, r.other.doc_id) for r in report.duplicates] == [("demo-lok-008", "demo-lok-009")]
    keep = {d.doc_id for d in report.local_only}
    assert {"demo-lok-003", "demo-lok-004", "demo-lok-005", "demo-lok-017"} <= keep
    assert not keep & {"demo-lok-001", "demo-lok-008", "demo-lok-010", "demo-lok-016"}
    assert all(d.tier != "var" for d in report.local_only)
    verdicts = [r for r in report.overlaps if r.overlap.primary]
    assert {(r.doc.doc_id, r.other.doc_id) for r in verdicts} >= {("demo-lok-001", "demo-var-001"),
                                                                   ("demo-lok-016", "demo-var-002")}
    full = [r.score for r in verdicts if r.kind == "full"]
    assert full == sorted(full, reverse=True)  # most certain first
    summary = {(m, g): n for m, g, n in report.summary()}
    assert summary[("documents", "all")] == 40
    assert summary[("documents_by_tier", "var")] == 16
    assert summary[("overlaps_by_kind", "duplicate")] == 1
    assert summary[("documents_by_status", "superseded")] == 1


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_cli_writes_a_self_contained_report_and_documented_csv_files(demo_engine, tmp_path, capsys):
    index_dir = demo_engine.index_dir
    before = {p: p.stat().st_mtime_ns for p in index_dir.rglob("*") if p.is_file()}
    out = tmp_path / "rapport"
    assert cli.main(["report", "--index", str(index_dir), "--out", str(out)]) == 0
    assert "wrote 9 files" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in index_dir.rglob("*") if p.is_file()} == before  # read-only

    documented = DOCS_MD.read_text(encoding="utf-8")
    rows = {}
    for name, columns in CSV_COLUMNS.items():
        data = read_csv(out / name)
        assert tuple(data[0]) == columns, name
        assert f"`{name}`" in documented
        for column in columns:
            assert re.search(rf"`{column}`", documented), (name, column)
        rows[name] = data[1:]
    assert len(rows["overlaps.csv"]) >= 10 and rows["superseded.csv"][0][0] == "demo-lok-010"
    overlaps = rows["overlaps.csv"]
    col = {c: i for i, c in enumerate(CSV_COLUMNS["overlaps.csv"])}
    # one row per document, its verdict a word the team acts on, its confidence on a 0–1 scale
    assert len({r[col["doc_id"]] for r in overlaps}) == len(overlaps)
    assert {r[col["verdict"]] for r in overlaps} <= {"phase_out", "review_local_addition"}
    for kind in ("full", "partial"):
        conf = [float(r[col["confidence"]]) for r in overlaps if r[col["kind"]] == kind]
        assert all(0.0 <= c <= 1.0 for c in conf) and conf == sorted(conf, reverse=True)
    assert all(float(r[col["confidence"]]) >= 0.5 for r in overlaps)  # 0.5 is the decision threshold
    # the real file behind every row; the unit where metadata or the owner string has one
    assert all(Path(r[col["path"]]).is_file() for r in overlaps)
    for r in overlaps:
        if "," in r[col["owner"]]:
            assert r[col["unit"]], r
    # every count from one computation: CSV rows, the summary, the HTML navigation, the CLI stats
    summary = {(m, g): int(n) for m, g, n in rows["summary.csv"]}
    assert summary[("overlaps_by_kind", "full")] + summary[("overlaps_by_kind", "partial")] == len(overlaps)
    assert summary.get(("documents_by_status", "stale"), 0) == len(rows["stale.csv"]) == demo_engine.stats().stale

    page = (out / HTML_FILE).read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("script") is None and soup.find("link") is None and soup.find("img") is None
    for tag in soup.find_all(attrs={"src": True}) + soup.find_all(attrs={"href": True}):
        value = tag.get("src") or tag.get("href")
        assert value.startswith("#"), value  # only in-page anchors: nothing to fetch
    assert "url(" not in soup.style.get_text() and "@import" not in soup.style.get_text()
    assert len(soup.find_all("svg")) >= 3
    for css, name in (("overlaps", "overlaps.csv"), ("duplicates", "duplicates.csv"), ("stale", "stale.csv"),
                      ("superseded", "superseded.csv"), ("local-only", "local_only.csv")):
        table = soup.find("table", class_=css)
        assert table is not None, css
        assert len(table.find("tbody").find_all("tr", recursive=False)) == len(rows[name]), css
    nav = soup.find("nav").get_text()
    assert f"Overlapp ({len(overlaps)})" in nav and f"Revisjon forfalt ({len(rows['stale.csv'])})" in nav
    for svg in soup.find_all("svg"):  # no label runs off the left edge of its chart
        for text in svg.find_all("text", attrs={"text-anchor": "end"}):
            label = text.get_text().replace(text.title.get_text(), "") if text.title else text.get_text()
            assert len(label) * 7.2 <= float(text["x"]), label
    first = soup.find("table", class_="overlaps").find("tbody").find("tr")
    assert "Felles nøkkelord" in first.get_text() and "Tittellikhet" in first.get_text()


def test_document_text_is_escaped_in_the_html(vector_engine, tmp_path):
    paths = api.write_report(vector_engine, tmp_path, today=TODAY)
    page = (tmp_path / HTML_FILE).read_text(encoding="utf-8")
    title = vector_engine.document("t-lok-nokkel").title
    assert "<script>" in title
    assert "<script" not in page and "<b>fet" not in page
    soup = BeautifulSoup(page, "html.parser")
    assert title in soup.find("table", class_="local-only").get_text()
    evidence = soup.find("table", class_="overlaps").find("table", class_="evidence")  # sections side by side
    assert evidence is not None and len(evidence.find_all("tr")) >= 2
    assert {p.name for p in paths} == {*CSV_COLUMNS, HTML_FILE}


def test_report_on_a_missing_index_exits_2(tmp_path, capsys):
    assert cli.main(["report", "--index", str(tmp_path / "nothing"), "--out", str(tmp_path / "out")]) == 2
    assert "no index" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
