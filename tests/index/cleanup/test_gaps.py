"""The content-gap log: scrubbing of personal data, aggregation, retention, export and merge — on real files."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from index.cleanup import gaps
from index.cleanup.gaps import GapLog

TODAY = dt.date(2026, 12, 3)

PERSONAL = [
    "01019012345",  # national identity number
    "010190 12345",
    "pasient 010190 12345 sår",
    "født 01.01.1990",
    "f. 1.1.90",
    "diabetes 1. januar 1990",
    "ring pårørende 912 34 567",
    "+47 22 11 33 44",
    "tlf 22113344",
    "120390",  # date of birth, ddmmyy
    "rom 12345",  # any digit run longer than 4
]
KEPT = [("NEWS2 5", "news2 5"), ("Sondeernæring 1000 ml", "sondeernæring 1000 ml"),
        ("  PVK   barn ", "pvk barn"), ("insulin 4 IE", "insulin 4 ie"), ("CVK 2024", "cvk 2024")]


@pytest.mark.parametrize("query", PERSONAL)
def test_queries_that_may_hold_personal_data_are_never_stored(query, tmp_path):
    log = GapLog(tmp_path / gaps.FILE)
    assert gaps.normalise(query) is None
    assert not log.record(query, today=TODAY)
    assert not (tmp_path / gaps.FILE).exists() or query.casefold() not in (tmp_path / gaps.FILE).read_text()


@pytest.mark.parametrize(("query", "normalised"), KEPT)
def test_ordinary_clinical_queries_are_kept(query, normalised):
    assert gaps.normalise(query) == normalised


def test_aggregate_counts_per_query_with_the_week_only_and_drops_old_entries(tmp_path):
    path = tmp_path / gaps.FILE
    log = GapLog(path)
    log.record("Trakeostomi stell", today=TODAY - dt.timedelta(days=120))
    log.record("Pleie av nefrostomi", today=TODAY)
    log.record("pleie av  NEFROSTOMI", today=TODAY)
    text = path.read_text(encoding="utf-8")
    assert "trakeostomi" not in text  # past the 90-day retention
    assert log.gaps() == {"pleie av nefrostomi": gaps.Gap("pleie av nefrostomi", 2, "2026-W49")}
    assert "T" not in text.replace("W", "")  # no timestamps, no per-search lines


def test_export_and_merge_from_several_pcs(tmp_path):
    a, b = GapLog(tmp_path / "a.json"), GapLog(tmp_path / "b.json")
    for _ in range(3):
        a.record("nefrostomi", today=TODAY)
    b.record("nefrostomi", today=TODAY - dt.timedelta(days=7))
    b.record("hjertestarter barn", today=TODAY)
    assert a.export(tmp_path / "a.csv", today=TODAY) == 1 and b.export(tmp_path / "b.csv", today=TODAY) == 2
    with open(tmp_path / "b.csv", "a", encoding="utf-8", newline="") as fh:  # a hand-edited row
        csv.writer(fh).writerow(["pasient 01019012345", "9", "2026-W49"])
    merged = gaps.merge([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert merged == [gaps.Gap("nefrostomi", 4, "2026-W49"), gaps.Gap("hjertestarter barn", 1, "2026-W49")]


def test_cli_export_then_merged_gap_report_names_the_closest_var_procedures(tmp_path, capsys):
    from index import api
    from index.cli import main as cli
    from tests.helpers.corpus import DOCS, write_corpus

    api.build(tmp_path / "idx", write_corpus(tmp_path / "src", DOCS), use_model=False)
    files = []
    for pc, queries in (("a", ["venekateter barn", "venekateter barn"]), ("b", ["venekateter barn"])):
        log = tmp_path / pc / gaps.FILE
        for q in queries:
            GapLog(log).record(q)
        files.append(tmp_path / f"{pc}.csv")
        assert cli.main(["export-gaps", "--log", str(log), "--out", str(files[-1])]) == 0
    assert cli.main(["export-gaps", "--log", str(tmp_path / "none.json"), "--out", str(tmp_path / "x.csv")]) == 1
    out = tmp_path / "rapport"
    assert cli.main(["report", "--index", str(tmp_path / "idx"), "--out", str(out), "--gaps", *map(str, files)]) == 0
    with open(out / "gaps.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["query"], r["count"]) for r in rows] == [("venekateter barn", "3")]
    assert rows[0]["closest_var_ids"].split("; ")[0] == "t-var-pvk"
    assert "venekateter barn" in (out / "report.html").read_text(encoding="utf-8")
