"""The "Rydding" (cleanup) window for the procedure team: overlaps with VAR, local copies, stale and superseded.

The same analysis as ``kildefinner-index report``, as a sortable, filterable table. A row opens both documents
side by side (``app.cleanup.compare``) or the document in the main window; "Eksporter" writes the HTML/CSV
report through the engine facade. The report is computed on the task runner; nothing here modifies sources.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from app.cleanup.compare import CompareDialog
from app.cleanup.decisions import DecisionDialog, writable_store
from app.cleanup.model import FILTERS, SCORE, CleanupFilter, CleanupModel, CleanupRow, rows_from_report
from app.errors import show_error
from app.i18n import tr
from app.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    Signal,
)
from index import api

log = logging.getLogger(__name__)


class CleanupView(QDialog):
    """Non-modal, so the team can search and read in the main window while working down the list."""

    loaded = Signal()  # the table is filled (tests, screenshots)
    exported = Signal(list)  # paths written
    open_requested = Signal(str)  # doc id: show it in the main window
    decided = Signal(dict)  # doc_id → Decision: saved to the decisions file

    def __init__(self, *, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.report = None
        self.compare: CompareDialog | None = None
        self.model = CleanupModel(parent=self)
        self.proxy = CleanupFilter(parent=self)
        self.proxy.setSourceModel(self.model)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.filter_label = QLabel()
        self.filter = QComboBox()
        self.filter.currentIndexChanged.connect(self.on_filter)
        self.search_field = QLineEdit()
        self.search_field.setClearButtonEnabled(True)
        self.search_field.textChanged.connect(self.proxy.set_text)
        self.search_field.textChanged.connect(self._count)
        self.count_label = QLabel()
        # Lines of the decisions file that cannot be applied (unknown id, wrong value, duplicate …): the build
        # skips them, so the team must see them where it decides.
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.hide()
        top = QHBoxLayout()
        top.addWidget(self.filter_label)
        top.addWidget(self.filter)
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # bulk decisions
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((150, 80, 300, 220, 280, 230)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.on_compare())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.compare_button = QPushButton()
        self.compare_button.clicked.connect(self.on_compare)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.on_open)
        self.decide_button = QPushButton()
        self.decide_button.clicked.connect(self.on_decide)
        self.store = None  # set on load where the decisions file can be written
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.on_export)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for b in (self.compare_button, self.open_button, self.decide_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.problems_label)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1200, 700)
        self.retranslate()
        self.filter.setCurrentIndex(list(FILTERS).index("overlaps"))
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------------------------
    def load(self) -> None:
        """Compute the report for the open index in the background and fill the table."""
        engine = self.session.engine
        if engine is None:
            self.count_label.setText(tr("Ingen indeks er åpen."))
            return
        self.count_label.setText(tr("Analyserer …"))
        # Serial lane: the report reads the same snapshot the searches read.
        self.session.runner.run(lambda _t: (engine.report(), writable_store(engine)), serial=True, owner=self,
                                name="cleanup-report", on_success=self.on_report,
                                on_failure=lambda exc: show_error(self, tr("Rapporten kunne ikke lages."), str(exc)))

    def on_report(self, result) -> None:
        report, self.store = result
        self.report = report
        self._show_problems()
        # the file as it is now where it can be read (the team's PC), else what the last build applied
        decided = self.store.base if self.store is not None else report.decisions
        self.model.set_rows(rows_from_report(report), decided)
        self.table.sortByColumn(SCORE, Qt.SortOrder.DescendingOrder)
        if self.proxy.rowCount():
            self.table.selectRow(0)
        self._count()
        self._update_buttons()
        self.loaded.emit()

    def _show_problems(self) -> None:
        problems = self.store.problems if self.store is not None else []
        if problems:
            lines = [tr("{file}: {n} linje(r) kan ikke brukes og hoppes over ved bygging:",
                        file=self.store.path.name, n=len(problems))]
            lines += [tr("linje {line}: {message}", line=line, message=message) for line, message in problems]
            self.problems_label.setText("\n".join(lines))
        self.problems_label.setVisible(bool(problems))

    # -- filtering ----------------------------------------------------------------------------------------
    def on_filter(self, index: int) -> None:
        self.proxy.set_filter(self.filter.itemData(index) or "all")
        self._count()

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(list(FILTERS).index(key))

    def _count(self, *_args) -> None:
        if self.report is not None:
            self.count_label.setText(tr("{shown} av {total} rader", shown=self.proxy.rowCount(),
                                        total=self.model.rowCount()))

    # -- rows ---------------------------------------------------------------------------------------------
    def current_row(self) -> CleanupRow | None:
        index = self.table.currentIndex()
        return index.data(CleanupModel.RowRole) if index.isValid() else None

    def visible_rows(self) -> list[CleanupRow]:
        return [self.proxy.index(r, 0).data(CleanupModel.RowRole) for r in range(self.proxy.rowCount())]

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.compare_button.setEnabled(row is not None and bool(row.other_id) and row.overlap is not None)
        self.open_button.setEnabled(row is not None)
        self.export_button.setEnabled(self.session.engine is not None)
        self.decide_button.setEnabled(self.store is not None and bool(self.selected_rows()))
        self.decide_button.setToolTip("" if self.store is not None else
                                      tr("Beslutninger kan bare registreres der kildemappen er skrivbar."))

    def selected_rows(self) -> list[CleanupRow]:
        rows = {i.row(): i.data(CleanupModel.RowRole) for i in self.table.selectionModel().selectedRows()}
        return [r for _, r in sorted(rows.items()) if r is not None]

    def on_decide(self) -> None:
        self.decide_rows(self.selected_rows())

    def decide_rows(self, rows: list[CleanupRow]) -> None:
        """Ask for one decision and save it for ``rows`` (the selection, or the side-by-side pair)."""
        if not rows or self.store is None:
            return
        dialog = DecisionDialog(count=len(rows), var_id=rows[0].other_id if rows[0].overlap else "", parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.decide(rows, dialog.template())

    def decide(self, rows: list[CleanupRow], template) -> None:
        """Save ``template`` (a Decision without doc_id) for every row, in the background."""
        store = self.store
        changes = {r.doc_id: replace(template, doc_id=r.doc_id,
                                     var_id=template.var_id or (r.other_id if r.overlap else ""))
                   for r in rows}

        def failed(exc: BaseException) -> None:
            show_error(self, tr("Beslutningene ble ikke lagret."), str(exc))
            self.load()  # read the file again (someone else's changes) before the next try

        def done(_after) -> None:
            self.count_label.setText(tr("Lagret {n} beslutninger i {file}; de gjelder fra neste bygging.",
                                        n=len(changes), file=str(store.path)))
            self.model.set_decisions(changes)
            self.decided.emit(changes)

        self.session.runner.run(lambda _t: store.save(changes), owner=self, name="cleanup-decide",
                                on_success=done, on_failure=failed)

    def on_compare(self) -> CompareDialog | None:
        row = self.current_row()
        if row is None or row.overlap is None:
            return None
        self.compare = CompareDialog(session=self.session, row=row, parent=self)
        self.compare.show()
        return self.compare

    def on_open(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_requested.emit(row.doc_id)

    # -- export -------------------------------------------------------------------------------------------
    def on_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Velg mappe for rapporten"))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write report.html and the CSV files into ``folder`` in the background."""
        engine = self.session.engine
        if engine is None:
            return
        self.export_button.setEnabled(False)

        def done(paths: list[Path]) -> None:
            self.export_button.setEnabled(True)
            self.count_label.setText(tr("Rapporten er lagret i {folder}", folder=str(folder)))
            self.exported.emit(paths)

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            show_error(self, tr("Rapporten kunne ikke lagres i {folder}.", folder=str(folder)), str(exc))

        self.session.runner.run(lambda _t: api.write_report(engine, folder), serial=True, owner=self,
                                name="cleanup-export", on_success=done, on_failure=failed)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Rydding – overlapp og opprydding"))
        self.intro.setText(tr("«VAR AS IS»: lokale prosedyrer som dekker samme oppgave som en VAR-prosedyre er "
                              "kandidater for utfasing. Dobbeltklikk en rad for å se begge dokumentene side om "
                              "side. Analysen endrer ingen kilder."))
        self.filter_label.setText(tr("Vis:"))
        current = self.filter.currentData()
        self.filter.blockSignals(True)
        self.filter.clear()
        for key, (label, _cats) in FILTERS.items():
            self.filter.addItem(tr(label), key)
        self.filter.setCurrentIndex(max(0, list(FILTERS).index(current) if current in FILTERS else 0))
        self.filter.blockSignals(False)
        self.search_field.setPlaceholderText(tr("Filtrer på tittel, eier, enhet eller nøkkelord"))
        self.compare_button.setText(tr("Side om side"))
        self.open_button.setText(tr("Åpne dokumentet"))
        self.decide_button.setText(tr("Beslutning …"))
        self.export_button.setText(tr("Eksporter rapport …"))
        self.close_button.setText(tr("Lukk"))
        self.model.retranslate()
        self._count()
        self._show_problems()
