"""«Åpne original»: which originals the app may hand to another program, and the one place it does so.

Only document types the app itself reads (PDF, DOCX, HTML, Markdown, text) are opened from files, by file name
(Windows picks the program by extension), so a document whose path or ``file:`` URL names ``x.exe`` on a share
is never started. Web addresses are opened unless they name a program or script.
"""

from __future__ import annotations

from app.i18n import N_, tr
from app.qt import QDesktopServices, QUrl

# «Åpne original» hands only these document types to another program (by file name: Windows opens a file by
# its extension). Web pages (http/https) are allowed unless the address names a program or script.
DOCUMENT_SUFFIXES = {".pdf": "PDF", ".docx": "Word", ".html": "HTML", ".htm": "HTML", ".md": "Markdown",
                     ".markdown": "Markdown", ".txt": N_("tekst")}
PROGRAM_SUFFIXES = {".exe", ".com", ".bat", ".cmd", ".msi", ".msp", ".ps1", ".psm1", ".vbs", ".vbe", ".js",
                    ".jse", ".wsf", ".wsh", ".hta", ".scr", ".pif", ".cpl", ".msc", ".lnk", ".url", ".reg",
                    ".jar", ".dll", ".sh", ".app", ".appimage", ".desktop", ".run", ".bin", ".py", ".pyw"}


def openable(url: QUrl) -> str:
    """"" when «Åpne original» may hand ``url`` to another program, else the reason (in the UI language)."""
    scheme = url.scheme().lower()
    suffix = "." + url.fileName().rsplit(".", 1)[-1].lower() if "." in url.fileName() else ""
    if scheme == "file":
        if suffix in DOCUMENT_SUFFIXES:
            return ""
        return tr("Kildefinner åpner bare dokumenter (PDF, Word, HTML, Markdown og tekst), ikke «{name}».",
                  name=url.fileName() or url.toString())
    if scheme in ("http", "https"):
        return tr("Adressen peker på et program, og det åpner ikke Kildefinner.") if suffix in PROGRAM_SUFFIXES \
            else ""
    return tr("Kildefinner åpner bare dokumenter og nettsider, ikke adresser av typen «{scheme}:».", scheme=scheme)


def open_url(url: QUrl) -> bool:
    """The only way the app hands something to another program; only ever called on a user's click, and only
    with what ``openable`` allows."""
    return not openable(url) and QDesktopServices.openUrl(url)
