"""Typing a query shows ranked results with badges and flags; VAR above its local variant."""

from __future__ import annotations

from app.qt import Qt
from app.search.results import ResultsModel, snippet_html
from app.search.results_pane import EMPTY, LIST, NONE
from index.records import Hit
from tests.app.conftest import search


def test_typing_shows_ranked_results_with_badges(qtbot, make_window):
    window = make_window()
    assert window.results.state == EMPTY
    hits = search(qtbot, window, "PVK")
    assert window.results.state == LIST
    ids = [h.doc_id for h in hits]
    assert "a-var-pvk" in ids and "a-lok-pvk" in ids
    assert ids.index("a-var-pvk") < ids.index("a-lok-pvk"), "the primary source must come first"
    assert hits[0].tier == "var"
    model = window.results.model
    badges = [model.data(model.index(r), ResultsModel.BadgeRole) for r in range(model.rowCount())]
    assert badges[0] == "Primærkilde · VAR"
    assert "Lokal" in badges
    assert window.results.count_label.text().endswith("treff")
    # the delegate paints without error and gives rows a real height
    assert window.results.view.sizeHintForRow(0) > 40
    window.grab()


def test_stale_flag_is_shown(qtbot, make_window):
    window = make_window()
    hits = search(qtbot, window, "munnstell")
    assert hits and hits[0].doc_id == "a-lok-munnstell"
    model = window.results.model
    flags = model.data(model.index(0), ResultsModel.FlagsRole)
    assert "Revisjon forfalt 2019-03-01" in flags
    assert "Revisjon forfalt 2019-03-01" in model.data(model.index(0), 0x0b)  # AccessibleTextRole


def test_superseded_flag_names_the_replacement(qtbot, make_window):
    window = make_window()
    window.search_bar.superseded_box.setChecked(True)
    hits = search(qtbot, window, "gammel rutine")
    row = next(i for i, h in enumerate(hits) if h.doc_id == "a-lok-pvk-gammel")
    model = window.results.model
    flags = model.data(model.index(row), ResultsModel.FlagsRole)
    assert any(f.startswith("Utgått – erstattet av Perifert venekateter") for f in flags), flags


def test_clearing_the_field_returns_to_the_start_page(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "PVK")
    window.search_bar.field.clear()
    assert window.results.state == EMPTY
    assert window.results.model.rowCount() == 0


def test_no_hits_page_and_example_chips(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "qqqxyzzy")
    assert window.results.state == NONE
    assert "qqqxyzzy" in window.results.none_label.text()
    window.search_bar.field.clear()
    qtbot.mouseClick(window.results.example_buttons[2], Qt.MouseButton.LeftButton)  # "trykksår"
    assert window.search_bar.field.text() == "trykksår"
    qtbot.waitUntil(lambda: window.results.state == LIST, timeout=10000)
    assert window.results.model.hit(0).doc_id == "a-var-trykksar"


def test_did_you_mean_is_clickable(qtbot, make_window):
    window = make_window()
    search(qtbot, window, "venflom")
    button = window.results.suggestion_button
    if not button.isVisible():
        return  # the engine made no suggestion for this corpus
    assert "venflon" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.search_bar.field.text() == "venflon"


def test_snippet_markup_is_escaped_and_bolded():
    text = "a PVK <b>x</b> & «venflon» i «sitat»"
    hit = Hit(doc_id="d", title="t", tier="var", owner="", unit="", language="nb", status="active", stale=False,
              review_due=None, revised=None, section="", snippet=text, path="", url="",
              marks=((2, 5), (text.index("venflon"), text.index("venflon") + 7)))
    assert snippet_html(hit) == "a <b>PVK</b> &lt;b&gt;x&lt;/b&gt; &amp; «<b>venflon</b>» i «sitat»"
