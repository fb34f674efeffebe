"""What a local procedure adds to its VAR procedure: the sections with no counterpart, on a real lexical index
and in the report's ``additions.csv``."""

from __future__ import annotations

import csv

import pytest

from index import api
from index.cleanup.report import CSV_COLUMNS, write
from index.store import decisions
from tests.helpers.corpus import COPY, DOCS, WARD_SECTION, write_corpus


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


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    """The same corpus with the team's decisions: the ward copy is a «Lokalt tillegg» to the VAR procedure, and
    the tube-post routine one to the blood-pressure procedure (a pair the detector does not make)."""
    root = tmp_path_factory.mktemp("decided-corpus")
    folder = tmp_path_factory.mktemp("decided-index")
    sources = write_corpus(root, {**DOCS, **COPY})
    (root / decisions.FILE).write_text("doc_id,decision,var_id,last_date,reason,decided_by,decided_on\n"
                                       "t-lok-pvk7,lokalt_tillegg,t-var-pvk,,Behold sengepostens del,kari,\n"
                                       "t-lok-rorpost,lokalt_tillegg,t-var-bt,,,kari,\n", encoding="utf-8")
    api.build(folder, sources, use_model=False)
    engine = api.Engine(folder)
    yield engine
    engine.close()


def test_the_build_stores_the_sections_var_does_not_cover_with_the_decision(decided):
    ward = decided.document("t-lok-pvk7")
    got = decided.snapshot.decisions()["t-lok-pvk7"]
    # the same section the overlap evidence names (additions.csv), stored by number for search and the reader
    assert [ward.sections[i].heading for i in got.uncovered] == [WARD_SECTION]
    row = next(r for r in decided.report().overlaps if r.doc.doc_id == "t-lok-pvk7")
    assert row.overlap.additions == (WARD_SECTION,)
    # a pair the detector did not make is matched at build time too: nothing of the routine is in VAR's text
    assert decided.snapshot.decisions()["t-lok-rorpost"].uncovered == (0, 1)


def test_a_local_addition_is_shown_under_its_var_procedure_on_its_own_section(decided, engine):
    hits = decided.search("PVK innleggelse").hits
    ids = [h.doc_id for h in hits]
    at = ids.index("t-lok-pvk7")
    assert ids[at - 1] == "t-var-pvk"  # right under its VAR procedure
    hit = hits[at]
    assert (hit.decision, hit.overlaps_id, hit.grouped) == ("lokalt_tillegg", "t-var-pvk", True)
    assert hit.section == WARD_SECTION  # what VAR does not cover comes first
    # without the decision the same query lands on a section VAR covers (the preference is the decision's)
    undecided = next(h for h in engine.search("PVK innleggelse").hits if h.doc_id == "t-lok-pvk7")
    assert undecided.section != WARD_SECTION and undecided.decision == ""


def test_the_decision_names_the_parent_even_where_the_detector_found_none(decided):
    assert not any(o.doc_id == "t-lok-rorpost" for o in decided.snapshot.overlaps())
    hits = decided.search("blodprøver blodtrykksmåling").hits
    ids = [h.doc_id for h in hits]
    assert ids[:2] == ["t-var-bt", "t-lok-rorpost"]
    assert (hits[1].grouped, hits[1].decision, hits[1].overlaps_id) == (True, "lokalt_tillegg", "t-var-bt")
    # a query about the routine alone: its own relevance decides, the link to VAR stays on the hit
    alone = decided.search("rørpost").hits
    assert alone[0].doc_id == "t-lok-rorpost" and not alone[0].grouped and alone[0].overlaps_id == "t-var-bt"
