"""Set names and texts cannot hide C1 controls or bidi overrides (a name that reads differently than it is)."""

from __future__ import annotations

import json

import pytest

from app.sets import fileformat
from app.sets.fileformat import SetFileError
from app.sets.store import SetStore

HOSTILE = ["\u0085", "\u0080", "\u009b", "\u009f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
           "\u2067", "\u2068", "\u2069"]


def document(name: str, title: str = "Tittel") -> bytes:
    return json.dumps({"format": "kildesett", "version": 1, "set": {
        "name": name, "items": [{"type": "procedure", "doc_id": "d1", "title": title}]}}).encode()


@pytest.mark.parametrize("char", HOSTILE, ids=[f"U+{ord(c):04X}" for c in HOSTILE])
def test_a_file_with_c1_or_bidi_characters_is_refused(char):
    with pytest.raises(SetFileError, match="ugyldige tegn"):
        fileformat.parse(document(f"Uke 1{char}gnidnal"))
    with pytest.raises(SetFileError, match="ugyldige tegn"):
        fileformat.parse(document("Uke 1", title=f"PVK{char}exe.pdf"))


def test_ordinary_norwegian_text_still_passes():
    data = fileformat.parse(document("Nyansatt – «kirurgisk» uke 1–4 (æøå ÆØÅ é ü)"))
    assert data.name == "Nyansatt – «kirurgisk» uke 1–4 (æøå ÆØÅ é ü)"


def test_names_typed_in_the_app_are_stripped(tmp_path):
    store = SetStore(path=tmp_path / "sets.sqlite")
    made = store.create("Uke\u202e 1\u0085 \u2066kirurgisk\u2069")
    assert made.name == "Uke 1 kirurgisk"
    renamed = store.update(made.uid, name="\u202dNytt\u009b navn")
    assert renamed.name == "Nytt navn"
    store.close()
