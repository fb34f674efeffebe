"""Qt's own texts (dialog buttons, file dialogs, "Show Details…") in the UI language.

Qt ships no bokmål catalogue (and the bundle leaves Qt's translations out), so these few strings are
translated here by a ``QTranslator`` whose ``translate`` looks them up by Qt's English source text.
"""

from __future__ import annotations

from app.i18n import language
from app.qt import QCoreApplication, QTranslator

# English source text (as Qt writes it, & marks the shortcut) → (bokmål, nynorsk)
QT_TEXTS: dict[str, tuple[str, str]] = {
    "OK": ("OK", "OK"),
    "&OK": ("&OK", "&OK"),
    "Cancel": ("Avbryt", "Avbryt"),
    "&Cancel": ("&Avbryt", "&Avbryt"),
    "Close": ("Lukk", "Lukk"),
    "&Close": ("&Lukk", "&Lukk"),
    "&Yes": ("&Ja", "&Ja"),
    "&No": ("&Nei", "&Nei"),
    "Apply": ("Bruk", "Bruk"),
    "Reset": ("Tilbakestill", "Tilbakestill"),
    "Help": ("Hjelp", "Hjelp"),
    "Save": ("Lagre", "Lagre"),
    "&Save": ("&Lagre", "&Lagre"),
    "Open": ("Åpne", "Opne"),
    "&Open": ("&Åpne", "&Opne"),
    "&Choose": ("&Velg", "&Vel"),
    "Discard": ("Forkast", "Forkast"),
    "Show Details...": ("Vis detaljer …", "Vis detaljar …"),
    "Hide Details...": ("Skjul detaljer …", "Skjul detaljar …"),
    "Look in:": ("Se i:", "Sjå i:"),
    "&Look in:": ("&Se i:", "&Sjå i:"),
    "Files of &type:": ("Fil&type:", "Fil&type:"),
    "File &name:": ("Fil&navn:", "Fil&namn:"),
    "File name:": ("Filnavn:", "Filnamn:"),
    "Files of type:": ("Filtype:", "Filtype:"),
    "Directory:": ("Mappe:", "Mappe:"),
    "Back": ("Tilbake", "Tilbake"),
    "Forward": ("Fram", "Fram"),
    "Parent Directory": ("Overordnet mappe", "Overordna mappe"),
    "Create New Folder": ("Lag ny mappe", "Lag ny mappe"),
    "List View": ("Listevisning", "Listevising"),
    "Detail View": ("Detaljvisning", "Detaljvising"),
    "Name": ("Navn", "Namn"),
    "Size": ("Størrelse", "Storleik"),
    "Type": ("Type", "Type"),
    "Date Modified": ("Endret", "Endra"),
    "All Files (*)": ("Alle filer (*)", "Alle filer (*)"),
    "New Folder": ("Ny mappe", "Ny mappe"),
    "&Undo": ("&Angre", "&Angre"),
    "&Redo": ("&Gjør om", "&Gjer om"),
    "Cu&t": ("Klipp &ut", "Klypp &ut"),
    "&Copy": ("&Kopier", "&Kopier"),
    "&Paste": ("&Lim inn", "&Lim inn"),
    "Delete": ("Slett", "Slett"),
    "Select All": ("Merk alt", "Merk alt"),
    "Copy &Link Location": ("Kopier &lenkeadresse", "Kopier &lenkjeadresse"),
}


class QtStrings(QTranslator):
    """Answers Qt's lookups in the current UI language (English: Qt's own text)."""

    def translate(self, context, source, disambiguation=None, n=-1):
        pair = QT_TEXTS.get(source)
        lang = language()
        if pair is None or lang not in ("nb", "nn"):
            return None
        return pair[0 if lang == "nb" else 1]

    def isEmpty(self) -> bool:
        return False


_installed: list[QtStrings] = []


def install() -> None:
    """Once per application; the texts follow later language switches by themselves (looked up live)."""
    app = QCoreApplication.instance()
    if app is not None and not _installed:
        _installed.append(QtStrings(app))
        app.installTranslator(_installed[0])
