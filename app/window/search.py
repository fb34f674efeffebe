"""The main window's search side: typing (debounced), results, the start page's index state, the keyboard.

A mixin of ``MainWindow``. The session runs each search in the background and the newest result wins; results
of a re-run (semantic search became ready) are held back by the results pane until the next keystroke.
"""

from __future__ import annotations

from app.errors import show_error
from app.i18n import tr
from app.qt import QEvent, Qt
from app.session import LOADING, READY, SearchOutcome


class WindowSearch:
    def _update_index_state(self, *_args) -> None:
        """The start page says which index is open and whether semantic search is ready (first-start help)."""
        s = self.session
        if s.engine is not None:
            self._no_index = ""
        if self._no_index:
            where = tr("Ingen indeks er åpen.")
        elif s.engine is None:
            where = tr("Åpner indeksen …") if not s.is_demo else tr("Gjør klar demoindeksen …")
        elif s.is_demo:
            where = tr("Åpen indeks: demoindeksen – oppdiktede eksempelprosedyrer som viser hvordan Kildefinner "
                       "virker (ikke til klinisk bruk).")
        else:
            where = tr("Åpen indeks: {folder}", folder=str(s.index_dir))
        if s.stats is not None and s.engine is not None:
            where += " " + tr("{n} dokumenter.", n=s.stats.documents)
        semantic = {LOADING: tr("Semantisk søk (søk på mening, ikke bare ord) lastes i bakgrunnen; ordsøk "
                                "virker allerede."),
                    READY: tr("Semantisk søk er klart: treffene kombinerer ordsøk og søk på mening.")}.get(
            s.semantic, tr("Semantisk søk er ikke tilgjengelig ({reason}); ordsøk virker.",
                           reason=tr(s.semantic_reason) if s.semantic_reason else "?"))
        self.results.set_index_state(text=f"{where}\n{semantic}", no_index=self._no_index)
        self.search_bar.set_unavailable(self._no_index)

    # -- searching ----------------------------------------------------------------------------------------
    def on_launch_request(self, request) -> None:
        """A search or document asked for by a link or a second start (``app.instance``): show it, in front."""
        if self.isVisible():
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
            self.raise_()
            self.activateWindow()
        if request.open:
            self.open_doc_id(request.open)
        elif request.search:
            self.set_query(request.search)
        else:
            self.focus_search()

    def set_query(self, text: str) -> None:
        self.left.setCurrentIndex(0)
        self.search_bar.field.setText(text)
        self.show_results()

    def on_text_changed(self, text: str) -> None:
        self._open_when_ready = False
        self.results.apply_pending()  # results held back are applied on the next keystroke
        if not text.strip():
            self.debounce.stop()
            self._query = ""
            self.session.cancel_search()
            self.results.show_start()
            return
        self.debounce.start()

    def on_filters_changed(self) -> None:
        if self.search_bar.field.text().strip():
            self.debounce.start()

    def on_debounced(self) -> None:
        self._query = self.search_bar.field.text().strip()
        if self._query and self.session.engine is None and self._no_index:
            self.results.show_no_index()
        elif self._query:
            self.session.search(self._query, self.search_bar.filters())

    def on_results(self, outcome: SearchOutcome) -> None:
        active = self.search_bar.filters_active()
        if outcome.rerun:
            if self.results.offer_outcome(outcome, filters_active=active, semantic=self.session.semantic):
                return
        else:
            self.results.show_outcome(outcome, filters_active=active, semantic=self.session.semantic,
                                      titles=outcome.titles)
        if self._open_when_ready:
            self._open_when_ready = False
            self.results.open_current()

    def on_semantic_changed(self, state: str, reason: str) -> None:
        self.status.set_semantic(state, reason)

    def focus_search(self) -> None:
        self.left.setCurrentIndex(0)
        self.show_results()
        self.search_bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.field.selectAll()

    # -- keyboard -----------------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if obj is self.search_bar.field:
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}[key]
                if self.debounce.isActive():
                    self.debounce.stop()
                    self.on_debounced()
                self.results.move(step)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.debounce.isActive():  # Enter before the results of what was typed: open when they come
                    self.debounce.stop()
                    self.on_debounced()
                    self._open_when_ready = bool(self._query)
                    return True
                return self.results.open_current()
            if key == Qt.Key.Key_Escape:
                if self.search_bar.field.text():
                    self.search_bar.field.clear()
                elif self.tablet and self.pages.currentWidget() is self.document:
                    self.go_back()
                return True
        elif obj is self.results.view and key == Qt.Key.Key_Escape:
            self.focus_search()
            return True
        elif obj is self.document.browser and key == Qt.Key.Key_Escape:
            if self.tablet:
                self.go_back()
                self.results.view.setFocus()
            else:
                self.focus_search()
            return True
        return False

    # -- index, settings, misc ----------------------------------------------------------------------------
    def on_index_failed(self, message: str, details: str) -> None:
        """No usable index: said in the UI language with what to do; the technical text is in the details."""
        self.status.set_stats(None, demo=self.session.is_demo)
        where = str(self.session.effective_index_dir)
        if self.session.engine is not None:  # a replacement failed; the open index keeps serving
            show_error(self, tr("Den nye indeksen kunne ikke åpnes; den forrige brukes fortsatt."),
                       f"{where}\n{message}\n\n{details}")
            return
        self._no_index = tr("Det finnes ingen brukbar indeks i {folder}. Velg Fil → Bygg indeks … for å lage "
                            "en fra mappene med prosedyrene, eller velg en annen indeksmappe i Fil → "
                            "Innstillinger.", folder=where)
        self._update_index_state()
        if self.search_bar.field.text().strip():
            self.results.show_no_index()
        show_error(self, tr("Indeksen kunne ikke åpnes."), f"{self._no_index}\n\n{message}\n\n{details}",
                   informative=self._no_index)
