"""The status bar: which index is open (snapshot date, documents per tier), semantic search state, offline."""

from __future__ import annotations

import datetime as dt
import time

from app.i18n import N_, tr
from app.qt import QLabel, QProgressBar, QPushButton, QSizePolicy, QStatusBar, Qt
from app.session import LOADING, READY
from index.records import IndexStats, Tier

STAGES = {"scan": N_("Leser mapper"), "parse": N_("Leser dokumenter"), "embed": N_("Beregner vektorer"),
          "write": N_("Skriver indeks")}


def snapshot_date(stats: IndexStats) -> str:
    try:
        return dt.datetime.fromisoformat(stats.built_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stats.built_at or stats.snapshot


class ElidedLabel(QLabel):
    """One line that shows as much of its text as fits and ends in "…" rather than being cut mid-word; the whole
    text stays in ``text()`` and the accessible name (large text on a tablet)."""

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self._full = ""

    def setText(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance("…") * 4)
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width(), 1))
        if shown != super().text():
            super().setText(shown)


class StatusBar(QStatusBar):
    def __init__(self, *, parent=None):
        super().__init__(parent)
        self.index_label = ElidedLabel()
        # The index summary gives way (elided, full text in its tooltip) so a narrow window is not held wide.
        self.index_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.compact = False
        self._narrow = False  # too narrow for the long texts (large text on a laptop): short ones, as on a tablet
        self.semantic_label = QLabel()
        self.offline_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.stage_label = QLabel()  # "Beregner vektorer · ca. 2 min igjen" next to the bar
        self.stage_label.hide()
        self.cancel_button = QPushButton()  # a build started from the app (Fil → Bygg indeks)
        self.cancel_button.hide()
        self._cancel = None
        self.cancel_button.clicked.connect(self.on_cancel)
        self.building = False
        self._stage_started = (None, 0.0)  # (stage, monotonic time): the time estimate is per stage
        self.addWidget(self.index_label, 1)
        self.addPermanentWidget(self.stage_label)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.cancel_button)
        self.addPermanentWidget(self.semantic_label)
        self.addPermanentWidget(self.offline_label)
        self._stats: IndexStats | None = None
        self._demo = False
        self._opening = True
        self._semantic = (LOADING, "")
        self._stage = ""
        self.retranslate()

    def set_stats(self, stats: IndexStats | None, *, demo: bool) -> None:
        self._stats, self._demo, self._opening = stats, demo, False
        if not self.building:
            self._stage = ""
            self.progress.hide()
            self.stage_label.hide()
        self._update_index()

    def start_build(self, *, cancel) -> None:
        """A build in the background: progress and Cancel stay here until ``end_build``."""
        self.building, self._cancel = True, cancel
        self._stage, self._stage_started = "scan", (None, 0.0)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.stage_label.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self._update_progress()

    def end_build(self) -> None:
        self.building, self._cancel, self._stage = False, None, ""
        self.progress.hide()
        self.stage_label.hide()
        self.cancel_button.hide()
        self._update_index()

    def on_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel()
            self.cancel_button.setEnabled(False)
            self.showMessage(tr("Avbryter byggingen …"))

    def time_left(self, done: int, total: int) -> str:
        """"ca. 3 min igjen" from this stage's pace so far ("" until there is a pace to go by)."""
        stage, started = self._stage_started
        if stage != self._stage or done <= 0:
            if stage != self._stage:
                self._stage_started = (self._stage, time.monotonic())
            return ""
        seconds = (time.monotonic() - started) / done * max(total - done, 0)
        if seconds < 5:
            return ""
        if seconds < 90:
            return tr("ca. {n} s igjen", n=round(seconds / 5) * 5)
        return tr("ca. {n} min igjen", n=round(seconds / 60))

    def set_opening(self) -> None:
        self._opening, self._stats = True, None
        self._update_index()

    def set_build_progress(self, stage: str, done: int, total: int) -> None:
        """Background (demo) build progress; hidden again when the new index's statistics arrive."""
        self._stage = stage
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.show()
        self.stage_label.show()
        self._left = self.time_left(done, total)
        self._update_progress()
        if self._stats is None:
            self._update_index()

    def set_semantic(self, state: str, reason: str) -> None:
        self._semantic = (state, reason)
        self._update_semantic()

    def _update_progress(self) -> None:
        stage = tr(STAGES.get(self._stage, self._stage))
        left = getattr(self, "_left", "") if self._stage else ""
        text = (tr("Bygger indeks: {stage}", stage=stage) if self.building else stage) + (f" · {left}" if left else "")
        self.stage_label.setText(text)
        self.progress.setFormat("%p%")
        self.progress.setToolTip(text)
        self.progress.setAccessibleName(tr("Fremdrift for indeksbygging: {stage}", stage=stage))

    def _update_index(self) -> None:
        s = self._stats
        if s is None:
            text = tr("Åpner indeksen …") if self._opening else tr("Ingen indeks åpen")
            if self._stage and not self.building:
                text = tr("Bygger demoindeksen: {stage} …", stage=tr(STAGES.get(self._stage, self._stage)))
            self.index_label.setText(text)
            self.index_label.setToolTip("")
            return
        tiers = s.by_tier
        text = tr("{name} {date} · {n} dokumenter: VAR {var}, regionale {reg}, lokale {loc}",
                  name=tr("Demoindeks") if self._demo else tr("Indeks"), date=snapshot_date(s), n=s.documents,
                  var=tiers.get(Tier.VAR, 0), reg=tiers.get(Tier.REGIONAL, 0), loc=tiers.get(Tier.LOCAL, 0))
        self.index_label.setText(text)
        self.index_label.setToolTip(text + "\n" + tr("Øyeblikksbilde {snapshot}; {stale} med forfalt revisjon, "
                                                     "{sup} utgåtte", snapshot=s.snapshot, stale=s.stale,
                                                     sup=s.superseded))

    def _update_semantic(self) -> None:
        state, reason = self._semantic
        if state == LOADING:
            text = tr("Semantisk søk: laster …")
            tip = tr("Språkmodellen lastes i bakgrunnen. Ordsøk virker allerede.")
            if reason:
                tip += f" ({tr(reason)})"
        elif state == READY:
            text = tr("Semantisk søk: klart")
            tip = tr("Treffene kombinerer ordsøk og semantisk søk.")
        else:
            text = tr("Semantisk søk: utilgjengelig")
            tip = tr("Bare ordsøk. Årsak: {reason}", reason=tr(reason) if reason else "?")
        self.semantic_label.setText(text)
        self.semantic_label.setToolTip(tip)
        self.semantic_label.setAccessibleName(text)
        self.semantic_label.setAccessibleDescription(tip)

    def set_compact(self, compact: bool) -> None:
        """Tablet mode: shorter permanent texts (the full ones stay in the tooltips)."""
        self.compact = compact
        self.retranslate()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        """Short texts when the long ones would leave the index summary less than ~40 characters."""
        metrics = self.fontMetrics()
        full = metrics.horizontalAdvance(tr("Frakoblet modus: ingen nettverk brukes") + self.semantic_label.text())
        narrow = self.width() < full + metrics.averageCharWidth() * 40
        if narrow != self._narrow:
            self._narrow = narrow
            self.retranslate()

    def retranslate(self) -> None:
        self.cancel_button.setText(tr("Avbryt bygging"))
        self.cancel_button.setAccessibleName(tr("Avbryt byggingen av indeksen"))
        full = tr("Frakoblet modus: ingen nettverk brukes")
        self.offline_label.setText(tr("Frakoblet") if self.compact or self._narrow else full)
        self.offline_label.setAccessibleName(full)
        self.offline_label.setToolTip(full + ". " + tr("Kildefinner søker bare i den lokale indeksen og kontakter "
                                                       "ingen tjenester på nettet."))
        self._update_progress()
        self._update_index()
        self._update_semantic()
