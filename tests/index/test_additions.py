"""What a local procedure adds to its VAR procedure: the sections with no counterpart, on a real lexical index
and in the report's ``additions.csv``."""

from __future__ import annotations

import csv

import pytest

from index import api
from index.report import CSV_COLUMNS, write
from tests.helpers.corpus import DOCS, write_corpus

WARD_SECTION = "Nøkkelkort og telefonliste på sengepost 7"
COPY = {
    "local/pvk-sengepost7.md": dict(
        id="t-lok-pvk7", title="Perifert venekateter (PVK) – innleggelse hos voksne, sengepost 7", source="local",
        owner="Sengepost 7, Fjordby sykehus (test)", language="nb", revised="2024-03-01",
        review_due="2027-03-01", keywords=["PVK", "venekateter"],
        body=DOCS["var/pvk.md"]["body"] + f"""
## {WARD_SECTION}
Nøkkelkortet til medisinrommet henger i vaktrommet. Ring vakthavende anestesisykepleier på
calling 4412 etter to mislykkede stikk, og bestill ultralyd fra mottaket."""),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("additions-corpus")
    folder = tmp_path_factory.mktemp("additions-index")
    api.build(folder, write_corpus(root, {**DOCS, **COPY}), use_model=False)
    engine = api.Engine(folder)
    yield engine
    engine.close()


def test_a_local_copy_adds_exactly_its_ward_section(engine):
    report = engine.report()
    row = next(r for r in report.overlaps if r.doc.doc_id == "t-lok-pvk7")
    assert row.other.doc_id == "t-var-pvk"
    assert row.overlap.additions == (WARD_SECTION,)


def test_additions_csv_lists_the_section_under_its_var_procedure(engine, tmp_path):
    write(engine.report(), tmp_path)
    with open(tmp_path / "additions.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS["additions.csv"]
    mine = [r for r in rows if r["doc_id"] == "t-lok-pvk7"]
    assert [(r["var_id"], r["section"], r["unit"]) for r in mine] == [("t-var-pvk", WARD_SECTION, "Sengepost 7")]
    assert "Hva de lokale prosedyrene tilfører" in (tmp_path / "report.html").read_text(encoding="utf-8")
