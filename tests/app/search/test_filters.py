"""Filters narrow the results; query prefixes work through the engine."""

from __future__ import annotations

from app.search.results_pane import NONE
from tests.app.conftest import search


def test_tier_filter(qtbot, make_window):
    window = make_window()
    window.search_bar.filter_button.click()
    assert window.search_bar.panel.isVisible()
    hits = search(qtbot, window, "PVK")
    assert {h.tier for h in hits} >= {"var", "local"}
    window.search_bar.tier_boxes["var"].setChecked(False)
    hits = search(qtbot, window, "PVK")
    assert hits and all(h.tier != "var" for h in hits)
    assert window.search_bar.filter_button.text() == "Filtre (på)"


def test_language_stale_and_owner_filters(qtbot, make_window):
    window = make_window()
    bar = window.search_bar
    bar.language_boxes["nb"].setChecked(False)
    hits = search(qtbot, window, "munnstell")
    assert hits and all(h.language == "nn" for h in hits)
    bar.stale_box.setChecked(False)
    assert search(qtbot, window, "munnstell") == []
    assert window.results.state == NONE
    assert window.results.reset_button.isVisibleTo(window.results)
    window.results.reset_button.click()
    assert bar.filters() == type(bar.filters())()
    hits = search(qtbot, window, "PVK")
    bar.owner_field.setText("sengepost 3")
    hits = search(qtbot, window, "PVK")
    assert [h.doc_id for h in hits] == ["a-lok-pvk"]


def test_query_prefix(qtbot, make_window):
    window = make_window()
    hits = search(qtbot, window, "lokal: PVK")
    assert hits and all(h.tier == "local" for h in hits)


def test_opening_the_filters_does_not_squeeze_the_reader(qtbot, make_window):
    window = make_window()
    window.resize(1200, 728)
    qtbot.wait(50)
    before = window.splitter.sizes()
    window.search_bar.filter_button.click()
    qtbot.waitUntil(window.search_bar.panel.isVisible, timeout=2000)
    qtbot.wait(50)
    assert window.splitter.sizes() == before
