"""Hjelp: keyboard shortcuts, search prefixes and «Om Kildefinner» (with the version), in the UI language.

The shortcut list is read from the window's actions, so it can never disagree with the real key bindings.
"""

from __future__ import annotations

import html
from importlib import metadata

from app.i18n import N_, tr
from app.qt import QDialog, QDialogButtonBox, QKeySequence, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

PREFIXES = (
    ("var:", N_("bare VAR-prosedyrer (primærkilden)")),
    ("regional:", N_("bare regionale prosedyrer")),
    ("lokal:", N_("bare lokale prosedyrer")),
    ("nb: / bokmål:", N_("bare dokumenter på bokmål")),
    ("nn: / nynorsk:", N_("bare dokumenter på nynorsk")),
    ("en:", N_("bare dokumenter på engelsk")),
    ("utgått: / alle:", N_("ta med utgåtte dokumenter")),
)
KEYS = (  # keys that are not menu actions
    ("↓ / ↑", N_("flytt i treffene (fra søkefeltet)")),
    ("Enter", N_("åpne det markerte treffet")),
    ("Esc", N_("tøm søkefeltet, eller tilbake til søkefeltet fra dokumentet")),
    ("/", N_("gå til søkefeltet")),
    ("Menytasten / Shift+F10", N_("meny for det markerte treffet")),
)


def version() -> str:
    try:
        return metadata.version("kildefinner")
    except metadata.PackageNotFoundError:
        return "?"


def shortcut_rows(actions) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        text = action.text().replace("&", "").rstrip(" …")
        if keys and text:
            rows.append((" / ".join(keys), text))
    return rows


def help_html(actions) -> str:
    def table(rows) -> str:
        cells = "".join(f"<tr><td style='padding-right:16px'><b>{html.escape(a)}</b></td>"
                        f"<td>{html.escape(b)}</td></tr>" for a, b in rows)
        return f"<table cellspacing='4'>{cells}</table>"

    intro = tr("Skriv et prefiks foran søkeordene, f.eks. «var: PVK» eller «nn: munnstell». Flere prefiks kan "
               "kombineres.")
    return (f"<h2>{html.escape(tr('Hurtigtaster'))}</h2>"
            + table(shortcut_rows(actions) + [(k, tr(v)) for k, v in KEYS])
            + f"<h2>{html.escape(tr('Søkeprefiks'))}</h2>"
            + f"<p>{html.escape(intro)}</p>"
            + table([(k, tr(v)) for k, v in PREFIXES]))


def show_help(parent: QWidget, actions) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("Hurtigtaster og søkeprefiks"))
    browser = QTextBrowser()
    browser.setHtml(help_html(actions))
    browser.setAccessibleName(tr("Hurtigtaster og søkeprefiks"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Lukk"))
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(560, 520)
    dialog.open()
    return dialog


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, tr("Om Kildefinner"),
                      tr("Kildefinner {version}", version=version()) + "\n\n"
                      + tr("Kildefinner finner sykepleieprosedyrer uten nettverk. Den nasjonale "
                           "VAR-prosedyren er primærkilden og vises først."))
