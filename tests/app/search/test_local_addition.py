"""A «Lokalt tillegg» in the window: under its VAR procedure in the results, and the reader opens on (and marks)
the sections VAR does not cover — on a real index built with a decisions file beside its sources."""

from __future__ import annotations

from app.qt import QLabel
from app.search.results import hit_flags
from index import api
from index.store import decisions
from tests.app.conftest import search
from tests.helpers.corpus import COPY, DOCS, WARD_SECTION, write_corpus


def test_reader_opens_a_local_addition_on_what_var_lacks(qtbot, make_window, tmp_path):
    root = tmp_path / "share"
    sources = write_corpus(root, {**DOCS, **COPY})
    (root / decisions.FILE).write_text("doc_id,decision,var_id\nt-lok-pvk7,lokalt_tillegg,t-var-pvk\n",
                                       encoding="utf-8")
    api.build(tmp_path / "index", sources, use_model=False)
    window = make_window(index_dir=tmp_path / "index")
    hits = search(qtbot, window, "PVK innleggelse")
    row = [h.doc_id for h in hits].index("t-lok-pvk7")
    assert hits[row - 1].doc_id == "t-var-pvk"
    assert [f.text for f in hit_flags(hits[row], {})][-1] == \
        "Lokalt tillegg til: Perifert venekateter (PVK) – innleggelse hos voksne"

    window.results.view.setCurrentIndex(window.results.model.index(row))
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    doc = window.document
    headings = [s.heading for s in doc.procedure.sections]
    ward = headings.index(WARD_SECTION)
    assert doc.current_section == ward
    marked = [i for i in range(doc.sections.count()) if doc.sections.item(i).font().bold()]
    assert marked == [ward] and doc.sections.item(ward).text() == f"＋ {WARD_SECTION}"
    assert doc.sections.item(ward).toolTip() == "Ikke i VAR-prosedyren"
    labels = [w.text() for w in doc.findChildren(QLabel)]
    assert any("Lokalt tillegg til:" in t and 'href="doc:t-var-pvk"' in t for t in labels)
