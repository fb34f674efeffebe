"""The search field and the filter panel (tier, language, stale, superseded, owner/unit).

The bar only reports what the user changed; debouncing and running the search are the window's job. Query
prefixes typed into the field (``var:``, ``lokal:``) are left in the text: the engine understands them.
"""

from __future__ import annotations

from app.flowlayout import FlowLayout
from app.i18n import tr
from app.qt import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.tablet import ClearButton
from index.records import SearchFilters, Tier

LANGUAGE_KEYS = ("nb", "nn")


def _flow(widgets) -> QWidget:
    box = QWidget()
    row = FlowLayout(box)
    for w in widgets:
        row.addWidget(w)
    return box


class SearchBar(QWidget):
    text_changed = Signal(str)
    filters_changed = Signal()

    def __init__(self, *, parent=None):
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.text_changed)
        self.filter_button = QPushButton()
        self.filter_button.setCheckable(True)
        self.filter_button.toggled.connect(self.on_filter_toggled)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.field_clear = ClearButton(self.field)
        row.addWidget(self.field, 1)
        row.addWidget(self.field_clear)
        row.addWidget(self.filter_button)

        self.panel = QWidget()
        grid = QGridLayout(self.panel)
        grid.setContentsMargins(0, 0, 0, 0)
        self.source_label = QLabel()
        self.tier_boxes = {t: QCheckBox() for t in Tier}
        self.language_label = QLabel()
        self.language_boxes = {lang: QCheckBox() for lang in LANGUAGE_KEYS}
        self.stale_box = QCheckBox()
        self.superseded_box = QCheckBox()
        self.owner_label = QLabel()
        self.owner_field = QLineEdit()
        self.owner_field.setClearButtonEnabled(True)
        self.owner_clear = ClearButton(self.owner_field)
        owner_row = QHBoxLayout()
        owner_row.setContentsMargins(0, 0, 0, 0)
        owner_row.addWidget(self.owner_field, 1)
        owner_row.addWidget(self.owner_clear)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset_filters)
        grid.addWidget(self.source_label, 0, 0)
        grid.addWidget(_flow(self.tier_boxes.values()), 0, 1, 1, 4)  # wraps at large text in a narrow column
        grid.addWidget(self.language_label, 1, 0)
        grid.addWidget(_flow(self.language_boxes.values()), 1, 1, 1, 4)
        # One option per row, so opening the panel never widens the results column (and squeezes the reader).
        grid.addWidget(self.stale_box, 2, 0, 1, 5)  # the whole width: a check box text cannot wrap
        grid.addWidget(self.superseded_box, 3, 0, 1, 5)
        grid.addWidget(self.owner_label, 4, 0)
        grid.addLayout(owner_row, 4, 1, 1, 4)
        grid.addWidget(self.reset_button, 5, 1, 1, 2)
        grid.setColumnStretch(4, 1)
        for box in (*self.tier_boxes.values(), *self.language_boxes.values(), self.stale_box,
                    self.superseded_box):
            box.toggled.connect(self.filters_changed)
        self.owner_field.textChanged.connect(self.filters_changed)
        self.filters_changed.connect(self._update_filter_button)
        self.panel.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.panel)
        self._set_defaults()
        self.retranslate()

    def _set_defaults(self) -> None:
        for box in (*self.tier_boxes.values(), *self.language_boxes.values(), self.stale_box):
            box.setChecked(True)
        self.superseded_box.setChecked(False)
        self.owner_field.clear()

    def filters(self) -> SearchFilters:
        tiers = {t for t, b in self.tier_boxes.items() if b.isChecked()}
        langs = {lang for lang, b in self.language_boxes.items() if b.isChecked()}
        return SearchFilters(
            # All or none ticked means "no restriction" (an empty result for "none" would only confuse).
            tiers=frozenset() if len(tiers) in (0, len(Tier)) else frozenset(tiers),
            languages=frozenset() if len(langs) in (0, len(LANGUAGE_KEYS)) else frozenset(langs),
            include_stale=self.stale_box.isChecked(),
            include_superseded=self.superseded_box.isChecked(),
            owner=self.owner_field.text().strip())

    def filters_active(self) -> bool:
        return self.filters() != SearchFilters()

    def reset_filters(self) -> None:
        was = self.filters_active()
        widgets = (*self.tier_boxes.values(), *self.language_boxes.values(), self.stale_box,
                   self.superseded_box, self.owner_field)
        for w in widgets:
            w.blockSignals(True)
        self._set_defaults()
        for w in widgets:
            w.blockSignals(False)
        if was:
            self.filters_changed.emit()
        self._update_filter_button()

    def on_filter_toggled(self, shown: bool) -> None:
        self.panel.setVisible(shown)

    def _update_filter_button(self) -> None:
        active = self.filters_active()
        self.filter_button.setText(tr("Filtre (på)") if active else tr("Filtre"))

    def set_touch(self, *, target: int) -> None:
        """Tablet mode (``target`` px, 0 = desktop): finger-sized clear buttons beside the fields."""
        for button in (self.field_clear, self.owner_clear):
            button.set_touch(target)

    def set_unavailable(self, reason: str) -> None:
        """No index open: the field says why a search finds nothing (``reason`` in the UI language)."""
        self._unavailable = reason
        self.retranslate()

    def retranslate(self) -> None:
        if getattr(self, "_unavailable", ""):
            self.field.setPlaceholderText(tr("Ingen indeks er åpen – velg Fil → Bygg indeks …"))
            self.field.setAccessibleDescription(self._unavailable)
        else:
            self.field.setPlaceholderText(tr("Søk i prosedyrer, f.eks. «PVK» eller «trykksår»  (Ctrl+K)"))
            self.field.setAccessibleDescription(tr("Treffene vises i listen under feltet."))
        self.field.setAccessibleName(tr("Søk i prosedyrer"))
        self.field.setToolTip(tr("Skriv for å søke. ↓ går til treffene, Enter åpner, Esc tømmer feltet. "
                                 "Prefiks: var:, regional:, lokal:, nn:, utgått:"))
        self._update_filter_button()
        self.filter_button.setAccessibleName(tr("Vis eller skjul filtre"))
        self.source_label.setText(tr("Kilde:"))
        self.tier_boxes[Tier.VAR].setText(tr("VAR (primærkilde)"))
        self.tier_boxes[Tier.REGIONAL].setText(tr("Regional"))
        self.tier_boxes[Tier.LOCAL].setText(tr("Lokal"))
        self.language_label.setText(tr("Språk:"))
        self.language_boxes["nb"].setText(tr("Bokmål"))
        self.language_boxes["nn"].setText(tr("Nynorsk"))
        self.stale_box.setText(tr("Ta med dokumenter med forfalt revisjon"))
        self.superseded_box.setText(tr("Ta med utgåtte dokumenter"))
        self.owner_label.setText(tr("Eier/enhet:"))
        self.owner_field.setPlaceholderText(tr("f.eks. sengepost 3"))
        self.owner_field.setAccessibleName(tr("Filtrer på eier eller enhet"))
        self.reset_button.setText(tr("Nullstill filtre"))
        # The line edits' own clear buttons (Qt's QToolButtons) have no name a screen reader could say.
        for field, name in ((self.field, tr("Tøm søkefeltet")), (self.owner_field, tr("Tøm eierfilteret"))):
            for button in [*field.findChildren(QToolButton), self.field_clear if field is self.field
                           else self.owner_clear]:
                button.setAccessibleName(name)
                button.setToolTip(name)
