"""The document view: matched section first, highlighted terms, find, zoom, and no remote resources."""

from __future__ import annotations

from app.qt import Qt, QTextDocument, QUrl
from app.search.document import SafeBrowser
from tests.app.conftest import search


def open_first(qtbot, window, query: str):
    search(qtbot, window, query)
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    return window.document


def test_opening_a_document_jumps_to_the_matched_section(qtbot, make_window):
    window = make_window()
    window.resize(1000, 500)
    doc = open_first(qtbot, window, "kanyleboks")
    proc = doc.procedure
    assert proc.doc_id == "a-var-pvk"
    headings = [s.heading for s in proc.sections]
    wanted = headings.index("Avfall")
    assert window.history.current.section == "Avfall"
    assert doc.current_section == wanted
    assert doc.sections.currentRow() == wanted
    qtbot.waitUntil(lambda: doc.browser.verticalScrollBar().value() > 0, timeout=5000)
    # the query term is highlighted in the generated HTML, and section list clicks jump too
    assert "kanyleboks" in doc.browser.toHtml().lower()
    doc.on_section_clicked(doc.sections.item(0))
    assert doc.current_section == 0


def test_metadata_panel_and_copy(qtbot, make_window):
    window = make_window()
    doc = open_first(qtbot, window, "munnstell")
    labels = [doc.meta.itemAt(i, doc.meta.ItemRole.FieldRole).widget().text() for i in range(doc.meta.rowCount())]
    assert "Primærkilde · VAR" not in labels and "Lokal" in labels
    assert "Revisjon forfalt 2019-03-01" in labels
    assert "a-lok-munnstell" in labels
    doc.copy_title_button.click()
    from app.qt import QApplication

    assert QApplication.clipboard().text() == "Munnstell hjå pasientar som ikkje et"


def test_find_in_document_and_zoom(qtbot, make_window):
    window = make_window()
    doc = open_first(qtbot, window, "PVK")
    window.act_find.trigger()
    assert doc.find_bar.isVisible()
    qtbot.keyClicks(doc.find_bar.field, "stasebånd")
    assert doc.browser.textCursor().selectedText().lower() == "stasebånd"
    # the current match has its own colour (and underline), apart from the highlighted search terms
    (current,) = doc.browser.extraSelections()
    assert current.cursor.selectedText().lower() == "stasebånd"
    assert current.format.background().color().name() == "#ffa726" and current.format.fontUnderline()
    doc.find_bar.field.setText("finnesikkeher")
    assert doc.browser.extraSelections() == []
    assert doc.find_bar.status.text() == "Ikke funnet"
    size = doc.browser.font().pointSizeF()
    window.act_zoom_in.trigger()
    assert doc.browser.font().pointSizeF() > size
    window.act_zoom_reset.trigger()
    assert doc.browser.font().pointSizeF() == size


def test_document_view_loads_no_remote_resources(qtbot, make_window, http_trap):
    url, requests = http_trap
    window = make_window()
    doc = open_first(qtbot, window, "illustrasjon")
    assert doc.procedure.doc_id == "a-var-pvk"
    # the source's markup is shown as text, never as an element
    assert "<img" not in doc.browser.toHtml().replace("&lt;img", "")
    # even HTML that does reference a remote image is not fetched
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(f'<p>x</p><img src="{url}/direct.png"><a href="{url}/link">lenke</a>')
    browser.show()
    browser.grab()
    assert browser.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(f"{url}/y.png")) is None
    browser.setSource(QUrl(f"{url}/navigate"))
    assert requests == []
    assert browser.openLinks() is False and browser.openExternalLinks() is False


def test_open_original_hands_the_source_file_over_on_click(qtbot, make_window, app_sources, monkeypatch):
    opened = []
    monkeypatch.setattr("app.window.documents.open_url", lambda url: opened.append(url) or True)
    folders = {f"sources_{tier}": [str(folder)] for tier, folder in app_sources}
    window = make_window(**folders)
    doc = open_first(qtbot, window, "munnstell")
    assert opened == []  # nothing is opened by itself
    qtbot.mouseClick(doc.open_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].isLocalFile()
    assert opened[0].toLocalFile().endswith("local/munnstell-nn.md")


def test_opened_at_the_hit_the_start_stays_one_step_away(qtbot, make_window):
    """A document opened at the matched section says so; «Fra starten» (or Ctrl+Home) shows the title and start."""
    window = make_window()
    window.resize(1000, 500)
    doc = open_first(qtbot, window, "kanyleboks")
    bar = doc.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0 and doc.start_bar.isVisible(), timeout=5000)
    assert doc.start_label.text() == "Viser avsnittet «Avfall»."
    assert doc.start_button.text() == "↑ Fra starten" and doc.start_button.accessibleName()
    assert doc.title_label.isVisible() and "Perifert venekateter" in doc.title_label.text()
    qtbot.mouseClick(doc.start_button, Qt.MouseButton.LeftButton)
    assert bar.value() == 0 and not doc.start_bar.isVisible()
    assert doc.current_section == 0 and doc.sections.currentRow() == 0
    doc.on_section_clicked(doc.sections.item(doc.sections.count() - 1))  # away again: the bar comes back
    qtbot.waitUntil(lambda: doc.start_bar.isVisible(), timeout=2000)
    doc.browser.setFocus()
    qtbot.keyClick(doc.browser, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0 and not doc.start_bar.isVisible()
    search(qtbot, window, "blodtrykk")  # a document opened at its start shows no bar
    with qtbot.waitSignal(window.document_shown, timeout=10000):
        window.results.open_current()
    assert not doc.start_bar.isVisible()


def test_no_start_bar_for_the_first_section_under_a_short_introduction(qtbot, make_window):
    from index.records import Procedure, Section

    window = make_window()
    window.resize(1000, 400)
    doc = window.document
    steps = "\n".join(f"{i}. Trinn {i}: kontroller og dokumenter." for i in range(60))
    proc = Procedure(doc_id="x", title="Kort innledning", tier="var", path="x.md",
                     sections=(Section(heading="", text="Fiktiv prosedyre."), Section(heading="Hensikt", text=steps),
                               Section(heading="Framgangsmåte", text=steps)))
    doc.show_procedure(proc, section="Hensikt")
    qtbot.wait(50)
    assert doc.current_section == 1 and not doc.start_bar.isVisible()
    doc.show_procedure(proc, section="Framgangsmåte")
    qtbot.waitUntil(doc.start_bar.isVisible, timeout=2000)
