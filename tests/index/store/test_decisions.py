"""Decisions next to the sources: validation with line numbers, atomic writes, two users at once, history, and
the build carrying them into the snapshot — on real files and real (lexical) indexes."""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing

import pytest

from index import api
from index.cli import main as cli
from index.records import Tier
from index.store import decisions
from index.store.decisions import Decision, DecisionConflictError, DecisionStore
from tests.helpers.corpus import DOCS, write_corpus

TODAY = dt.date(2026, 12, 3)


def test_the_file_sits_in_the_folder_that_holds_the_sources(tmp_path):
    sources = [(Tier.VAR, tmp_path / "var"), (Tier.LOCAL, tmp_path / "lokal")]
    assert decisions.decisions_path(sources) == tmp_path / "beslutninger.csv"
    assert decisions.decisions_path([(Tier.LOCAL, tmp_path / "lokal")]) == tmp_path / "beslutninger.csv"


def test_invalid_rows_are_reported_by_line_and_the_rest_applied():
    text = ("\ufeffdoc_id,decision,var_id,last_date,reason,decided_by,decided_on\n"
            "t-lok-pvk,utfases,t-var-pvk,2027-01-31,VAR dekker,kari,2026-12-01\n"  # 2: ok
            "nope,utfases,t-var-pvk,,,,\n"  # 3: unknown id
            "t-lok-pvk,beholdes,,,,,\n"  # 4: duplicate
            "t-lok-ror,slettes,,,,,\n"  # 5: wrong value
            "t-lok-munn,utfases,t-var-pvk,31.01.2027,,,\n"  # 6: bad date
            "t-lok-gammel,lokalt_tillegg,,,,,\n"  # 7: no VAR procedure named
            "\n"
            "t-lok-ror,Lokalt tillegg,t-var-bt,,bare avdelingens telefonliste,,\n")  # 9: ok (label accepted)
    known = {"t-lok-pvk", "t-lok-ror", "t-lok-munn", "t-lok-gammel", "t-var-pvk", "t-var-bt"}
    loaded = decisions.parse(text, known=known, var_ids={"t-var-pvk", "t-var-bt"})
    assert [line for line, _ in loaded.problems] == [3, 4, 5, 6, 7]
    assert "unknown document id 'nope'" in loaded.problems[0][1]
    assert "slettes" in loaded.problems[2][1] and "YYYY-MM-DD" in loaded.problems[3][1]
    assert loaded.decisions["t-lok-pvk"].last_date == dt.date(2027, 1, 31)
    assert loaded.decisions["t-lok-ror"].decision == "lokalt_tillegg"


def test_save_is_atomic_and_keeps_a_history(tmp_path):
    path = tmp_path / decisions.FILE
    store = DecisionStore(path, user="kari")
    store.load()
    store.save({"a": Decision("a", "utfases", "v1", dt.date(2027, 1, 1), "VAR dekker")}, today=TODAY)
    store.save({"a": Decision("a", "beholdes", reason="trengs likevel")}, today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([decisions.FILE, decisions.HISTORY])  # no temp/lock
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert [(r["doc_id"], r["decision"], r["decided_by"], r["decided_on"]) for r in rows] == [
        ("a", "beholdes", "kari", "2026-12-03")]
    history = list(csv.DictReader((tmp_path / decisions.HISTORY).read_text(encoding="utf-8").splitlines()))
    assert [r["decision"] for r in history] == ["utfases", "beholdes"]  # append-only


def test_a_save_keeps_the_lines_it_cannot_read_and_never_writes_over_a_broken_header(tmp_path):
    path = tmp_path / decisions.FILE
    path.write_text("doc_id,decision,var_id,last_date\n"
                    "a,Utfase,v1,\n"  # a typo made in a spreadsheet
                    "b,utfases,v1,31.01.2027\n"  # a date the way Norwegians write it
                    "c,utfases,v1,\n", encoding="utf-8")
    store = DecisionStore(path, user="kari")
    store.load()
    store.save({"d": Decision("d", "beholdes")}, today=TODAY)
    after = decisions.read(path)
    assert set(after.decisions) == {"c", "d"}
    assert [r["doc_id"] for r in after.rejected] == ["a", "b"]  # kept as written, still reported
    assert "a,Utfase,v1," in path.read_text(encoding="utf-8") and len(after.problems) == 2
    store.save({"a": Decision("a", "utfases", "v1")}, today=TODAY)  # deciding it anew replaces the bad line
    after = decisions.read(path)
    assert [r["doc_id"] for r in after.rejected] == ["b"] and after.decisions["a"].decision == "utfases"

    path.write_text("dokument;beslutning\nx;utfases\n", encoding="utf-8")  # saved with ';' by a spreadsheet
    store.load()
    with pytest.raises(decisions.DecisionError, match="missing column"):
        store.save({"d": Decision("d", "beholdes")}, today=TODAY)
    assert path.read_text(encoding="utf-8") == "dokument;beslutning\nx;utfases\n"


def test_two_users_editing_at_once_lose_nothing(tmp_path):
    path = tmp_path / decisions.FILE
    kari, ola = DecisionStore(path, user="kari"), DecisionStore(path, user="ola")
    kari.load()
    ola.load()
    kari.save({"a": Decision("a", "utfases", "v1")}, today=TODAY)
    # Ola's view is stale, but he decides another document: merged, Kari's row kept
    after = ola.save({"b": Decision("b", "beholdes")}, today=TODAY)
    assert set(after) == {"a", "b"} and after["a"].decided_by == "kari"
    # Kari (stale now) changes b, which Ola changed since she loaded: refused, nothing written
    before = path.read_text(encoding="utf-8")
    with pytest.raises(DecisionConflictError) as err:
        kari.save({"b": Decision("b", "utfases", "v2")}, today=TODAY)
    assert err.value.doc_ids == ("b",) and "reload" in str(err.value)
    assert path.read_text(encoding="utf-8") == before
    kari.load()
    assert kari.save({"b": Decision("b", "utfases", "v2")}, today=TODAY)["b"].decision == "utfases"


def _save_many(path: str, user: str, start: int) -> None:
    store = DecisionStore(decisions.Path(path), user=user)
    for i in range(start, start + 20):
        while True:
            store.load()
            try:
                store.save({f"d{i}": Decision(f"d{i}", "beholdes")})
                break
            except DecisionConflictError:
                continue


def test_two_processes_writing_at_once_lose_no_row(tmp_path):
    path = tmp_path / decisions.FILE
    procs = [multiprocessing.get_context("spawn").Process(target=_save_many, args=(str(path), u, s))
             for u, s in (("kari", 0), ("ola", 100))]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert set(decisions.read(path).decisions) == {f"d{i}" for i in (*range(20), *range(100, 120))}


def test_build_applies_valid_decisions_reports_the_rest_and_cli_round_trips(tmp_path, capsys):
    root = tmp_path / "share"
    sources = write_corpus(root, DOCS)
    (root / decisions.FILE).write_text(
        "doc_id,decision,var_id,last_date,reason,decided_by,decided_on\n"
        "t-lok-pvk,utfases,t-var-pvk,2026-01-31,VAR dekker,kari,2025-12-01\n"
        "t-finnes-ikke,beholdes,,,,,\n", encoding="utf-8")
    report = api.build(tmp_path / "idx", sources, use_model=False)
    assert ("beslutninger.csv:3", "unknown document id 't-finnes-ikke'") in report.warnings
    with api.Engine(tmp_path / "idx") as engine:
        got = engine.snapshot.decisions()
    assert set(got) == {"t-lok-pvk"} and got["t-lok-pvk"].var_id == "t-var-pvk"

    out = tmp_path / "eksport.csv"
    assert cli.main(["decisions", "export", "--source", f"var={root / 'var'}", "--source",
                     f"local={root / 'local'}", "--out", str(out)]) == 0
    assert "t-lok-pvk,utfases" in out.read_text(encoding="utf-8")
    incoming = tmp_path / "inn.csv"
    incoming.write_text("doc_id,decision,var_id\nt-lok-ror,beholdes,\nt-lok-munn,tja,\n", encoding="utf-8")
    assert cli.main(["decisions", "import", str(incoming), "--source", f"var={root / 'var'}", "--source",
                     f"local={root / 'local'}", "--user", "ola"]) == 1  # one bad line: reported, rest applied
    err = capsys.readouterr().err
    assert "inn.csv:3" in err and "tja" in err
    now = decisions.read(root / decisions.FILE).decisions
    # the row the build rejected stays in the file (the team fixes it); nothing is dropped on a write
    assert set(now) == {"t-lok-pvk", "t-lok-ror", "t-finnes-ikke"} and now["t-lok-ror"].decided_by == "ola"


def test_cli_check_reports_bad_lines_and_with_an_index_unknown_ids(tmp_path, capsys):
    root = tmp_path / "share"
    sources = write_corpus(root, DOCS)
    api.build(tmp_path / "idx", sources, use_model=False)
    path = root / decisions.FILE
    path.write_text("doc_id,decision,var_id,last_date\n"
                    "t-lok-pvk,utfases,t-var-pvk,2027-01-31\n"
                    "t-finnes-ikke,beholdes,,\n"
                    "t-lok-rorpost,lokalt_tillegg,t-lok-pvk,\n"
                    "t-lok-munnstell,utfases,,31.01.2027\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["decisions", "check", "--file", str(path)]) == 1  # the format alone: the bad date
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"{path}:5: t-lok-munnstell: bad date")
    assert cli.main(["decisions", "check", "--file", str(path), "--index", str(tmp_path / "idx")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [e.split(": ", 1)[0] for e in err] == [f"{path}:{n}" for n in (3, 4, 5)]
    assert "unknown document id 't-finnes-ikke'" in err[0] and "is not a VAR procedure" in err[1]


def test_round_trip_through_publish_to_a_second_machines_search(tmp_path):
    """Decided on the team's share → build → publish → a ward PC syncs: the badge shows, and after the last
    date the document leaves the default results but stays reachable by ``utgått:`` and by its id."""
    root = tmp_path / "share"
    sources = write_corpus(root, DOCS)
    store = DecisionStore(decisions.decisions_path(sources), user="kari")
    store.load()
    store.save({"t-lok-pvk": Decision("t-lok-pvk", "utfases", "t-var-pvk", dt.date(2026, 1, 31), "VAR dekker")})
    api.build(tmp_path / "idx", sources, use_model=False)
    api.publish(tmp_path / "idx", tmp_path / "publisert")
    with api.open_index(tmp_path / "publisert", cache_root=tmp_path / "avdeling") as ward:
        searcher = ward._searcher
        searcher.today = dt.date(2026, 1, 15)  # before the last date: shown, with the badge
        hit = next(h for h in ward.search("PVK venflon").hits if h.doc_id == "t-lok-pvk")
        assert (hit.decision, hit.overlaps_id, hit.decision_last_date) == ("utfases", "t-var-pvk",
                                                                          dt.date(2026, 1, 31))
        searcher.today = dt.date(2026, 2, 1)  # after it: gone from the default results only
        assert "t-lok-pvk" not in [h.doc_id for h in ward.search("PVK venflon").hits]
        assert "t-lok-pvk" in [h.doc_id for h in ward.search("utgått: PVK venflon").hits]
        assert "t-lok-pvk" in [h.doc_id for h in ward.search("t-lok-pvk").hits]


def test_progress_over_builds_reaches_the_report_and_summary(tmp_path):
    from index.cleanup.report import write

    root = tmp_path / "share"
    sources = write_corpus(root, DOCS)
    api.build(tmp_path / "idx", sources, use_model=False)
    store = DecisionStore(decisions.decisions_path(sources), user="kari")
    store.load()
    engine = api.Engine(tmp_path / "idx")
    candidate = engine.report().overlaps[0].doc.doc_id
    engine.close()
    store.save({candidate: Decision(candidate, "utfases", "t-var-pvk")})
    api.build(tmp_path / "idx", sources, use_model=False)
    with api.Engine(tmp_path / "idx") as engine:
        report = engine.report()
        write(report, tmp_path / "rapport")
    assert [e["utfases"] for e in report.progress] == [0, 1]
    assert report.progress[1]["not_assessed"] == report.progress[0]["not_assessed"] - 1
    rows = list(csv.reader((tmp_path / "rapport" / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert ["decisions_by_kind", "utfases", "1"] in rows
    assert [r[2] for r in rows if r[0] == "progress_utfases"] == ["0", "1"]
    page = (tmp_path / "rapport" / "report.html").read_text(encoding="utf-8")
    assert "Fremdrift per bygging" in page and "<polyline" in page
