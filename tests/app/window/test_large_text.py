"""200 % text on a 1366-px-wide laptop: after a document opens, the window still fits the screen and no text is
cut off (buttons and one-line labels at least as wide as their text; long lines wrap or end in "…")."""

from __future__ import annotations

import pytest

from app.qt import QAbstractButton, QApplication, QLabel, QPoint, QRect, QTabBar
from app.window.statusbar import ElidedLabel
from tests.app.conftest import search


def cut_off(window) -> list[str]:
    """Visible texts in ``window`` that do not fit their widget or stick out of the window."""
    problems = []
    frame = window.rect()
    for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
        if not widget.isVisible() or widget.window() is not window or not widget.text():
            continue
        where = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        name = f"{type(widget).__name__} «{widget.text()[:40]}»"
        if where.right() > frame.right() + 1:
            problems.append(f"{name} sticks out of the window ({where.right()} > {frame.right()})")
        wraps = isinstance(widget, QLabel) and (widget.wordWrap() or isinstance(widget, ElidedLabel))
        if not wraps and widget.width() < widget.minimumSizeHint().width():
            problems.append(f"{name} is {widget.width()} px wide for {widget.minimumSizeHint().width()} px of text")
    for bar in window.findChildren(QTabBar):
        if bar.isVisible():
            for i in range(bar.count()):
                if bar.tabRect(i).width() < bar.tabSizeHint(i).width():
                    problems.append(f"tab «{bar.tabText(i)}» is cut")
    return problems


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_200_percent_text_fits_a_1366_px_window_after_a_document_opens(qtbot, make_window, language):
    window = make_window(tablet_mode="off", font_scale=2.0, language=language)
    window.resize(1366, 768)
    search(qtbot, window, "kanyleboks")
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    window.resize(1366, 768)
    QApplication.processEvents()
    doc = window.document
    assert window.minimumSizeHint().width() <= 1366
    assert window.width() <= 1366
    qtbot.waitUntil(lambda: doc.start_bar.isVisible(), timeout=5000)
    QApplication.processEvents()
    assert cut_off(window) == []
    assert not doc.sections.horizontalScrollBar().isVisible()  # headings wrap in the narrow column
    assert not window.results.view.horizontalScrollBar().isVisible()


def test_status_bar_goes_short_rather_than_off_the_edge(qtbot, make_window):
    window = make_window(tablet_mode="off", font_scale=2.0)
    window.resize(900, 700)
    QApplication.processEvents()
    status = window.status
    assert status.offline_label.text() == "Frakoblet"
    assert status.offline_label.accessibleName() == "Frakoblet modus: ingen nettverk brukes"
    shown = QLabel.text(status.index_label)  # what is painted: ends in "…" when it does not fit
    assert shown.endswith("…") and status.index_label.text().startswith(shown[:-1])
    window.resize(1366, 700)
    window.config.set_user("font_scale", 1.0)
    window.apply_config()
    QApplication.processEvents()
    assert status.offline_label.text() == "Frakoblet modus: ingen nettverk brukes"
    assert cut_off(window) == []


def test_200_percent_text_sets_pane_and_filters_fit(qtbot, make_window):
    window = make_window(tablet_mode="off", font_scale=2.0)
    window.resize(1366, 768)
    pane = window.sets
    data = pane.editor.create_set("Nyansatt sykepleier – kirurgisk sengepost, uke 1–4", "Prosedyrer før første vakt")
    window.sets_actions.add_to(data.uid, search(qtbot, window, "PVK")[0])
    window.search_bar.filter_button.click()
    QApplication.processEvents()
    assert cut_off(window) == []  # the filter panel
    pane.refresh(select=data.uid)
    window.show_sets()
    window.resize(1366, 768)
    QApplication.processEvents()
    assert window.width() <= 1366
    assert cut_off(window) == []
