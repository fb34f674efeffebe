"""The main window's reader side: preview and open hits, history, what Ctrl+D acts on, «Åpne original», copy.

A mixin of ``MainWindow``: documents are fetched by the session in the background and shown by the
``DocumentPane``; history entries are ``Place`` records.
"""

from __future__ import annotations

import logging

from app.cleanup.decisions import shown_decision
from app.errors import show_error
from app.i18n import tr
from app.qt import QApplication, Qt, QUrl
from app.search import dochtml
from app.search.history import Place
from app.search.originals import DOCUMENT_SUFFIXES, open_url, openable
from app.search.results import marked_terms
from index.records import Hit, Procedure, Tier

log = logging.getLogger("app.window.mainwindow")


class WindowDocuments:
    # -- documents ----------------------------------------------------------------------------------------
    def on_current_changed(self, hit: Hit | None) -> None:
        if hit is not None and not self.tablet:
            self.preview.start()
        else:
            self.preview.stop()

    def on_preview(self) -> None:
        """Wide window: the highlighted hit shows in the reader (no history entry, the focus stays put)."""
        hit = self.results.current_hit()
        shown = self.document.procedure
        if hit is None or self.tablet or (shown is not None and shown.doc_id == hit.doc_id):
            return
        terms = tuple(dochtml.highlight_terms(self._query, marked_terms(hit)))
        self._show_place(Place(query=self._query, doc_id=hit.doc_id, section=hit.section, terms=terms),
                         focus=False)

    def open_hit(self, hit: Hit) -> None:
        self.preview.stop()
        terms = tuple(dochtml.highlight_terms(self._query, marked_terms(hit)))
        self.history.visit(Place(query=self._query))
        place = Place(query=self._query, doc_id=hit.doc_id, section=hit.section, terms=terms)
        self.history.visit(place)
        self._show_place(place)

    def open_doc_id(self, doc_id: str) -> None:
        place = Place(query=self._query, doc_id=doc_id)
        self.history.visit(place)
        self._show_place(place)

    def _show_place(self, place: Place, *, focus: bool = True) -> None:
        if not place.doc_id:
            if self.search_bar.field.text().strip() != place.query:
                self.search_bar.field.setText(place.query)
            self.show_results()
            return

        def ready(proc: Procedure) -> None:
            titles = self.results.model.titles
            decision, var_title = shown_decision(self.session.engine, proc.doc_id)
            self.document.show_procedure(proc, section=place.section, terms=list(place.terms),
                                         replaced_title=titles.get(proc.replaced_by, ""), decision=decision,
                                         var_title=var_title)
            if self.tablet:
                self.pages.setCurrentWidget(self.document)
                self.document.jump_to_section(self.document.current_section)  # laid out anew when shown
            if focus:
                self.document.browser.setFocus(Qt.FocusReason.OtherFocusReason)
            self.document_shown.emit(proc.doc_id)

        def failed(exc: BaseException) -> None:
            show_error(self, tr("Dokumentet kunne ikke åpnes."), str(exc))

        self.session.fetch_document(place.doc_id, on_ready=ready, on_failure=failed, owner=self)

    def show_results(self) -> None:
        if self.tablet:
            self.pages.setCurrentWidget(self.results_box)

    def show_sets(self) -> None:
        self.left.setCurrentWidget(self.sets)
        self.show_results()
        self.sets.items_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def on_star_state(self, doc_id: str) -> None:
        self.document.set_starred(bool(self.sets_actions.holding(doc_id)))

    def set_target(self):
        """What Ctrl+D / Ctrl+Shift+D act on: the highlighted hit, unless the user is in the reader.

        "In the reader" means the focus is inside the document pane, or (tablet) the document page is showing,
        or the sets tab is in front. Otherwise the hit highlighted in the list (by ↓/↑ from the search field,
        a click, or the automatic first row) is what the user is looking at.
        """
        focus = QApplication.focusWidget()
        in_reader = (focus is not None and (focus is self.document or self.document.isAncestorOf(focus))) or \
            (self.tablet and self.pages.currentWidget() is self.document) or self.left.currentWidget() is self.sets
        hit = self.results.current_hit() if self.results.state == 1 else None
        if in_reader or hit is None:
            return self.document.procedure or hit
        return hit

    def go_back(self) -> None:
        place = self.history.back()
        if place is not None:
            self._show_place(place)
        elif self.tablet:
            self.show_results()

    def go_forward(self) -> None:
        place = self.history.forward()
        if place is not None:
            self._show_place(place)

    def on_find(self) -> None:
        if self.document.procedure is not None:
            if self.tablet:
                self.pages.setCurrentWidget(self.document)
            self.document.show_find()

    def on_open_original(self, proc: Procedure) -> None:
        folders = {t: self.config.get(f"sources_{t}") for t in Tier}
        path = self.session.original_file(proc, folders)
        url = QUrl.fromLocalFile(str(path)) if path is not None else QUrl(proc.url) if proc.url else None
        if url is None or not url.isValid():
            show_error(self, tr("Fant verken kildefilen eller en nettadresse for dette dokumentet."),
                       tr("Fil: {path}", path=proc.path))
            return
        refused = openable(url)
        if refused:
            log.warning("«Åpne original» refused for %s", url.toString())
            show_error(self, tr("Originalen ble ikke åpnet."), url.toString(), informative=refused)
            return
        if not open_url(url):
            kind = DOCUMENT_SUFFIXES.get("." + url.fileName().rsplit(".", 1)[-1].lower(), "")
            show_error(self, tr("Ingen program på denne maskinen kunne åpne originalen."), url.toString(),
                       informative=tr("Be IT om et program som åpner {kind}-filer, eller les prosedyren her i "
                                      "Kildefinner.", kind=tr(kind) if kind else tr("slike")))
            return
        self.status.showMessage(tr("Originalen åpnes i et annet program …"), 6000)

    def on_copy(self, what: str, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.status.showMessage(tr("Tittel kopiert") if what == "title" else tr("Lenke kopiert"), 4000)
