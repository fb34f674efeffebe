"""Fixtures that write real source files (good and bad) at test time: DOCX, PDF and broken variants.

Nothing binary is committed; every file is generated into ``tmp_path``. Text is invented for the tests.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from tests.helpers.documents import docx_bytes, pdf_bytes


@pytest.fixture
def make_docx(tmp_path):
    def make(name: str, blocks, *, core: dict | None = None) -> Path:
        path = tmp_path / name
        path.write_bytes(docx_bytes(blocks, core=core))
        return path

    return make


@pytest.fixture
def make_pdf(tmp_path):
    def make(name: str, pages, **kwargs) -> Path:
        path = tmp_path / name
        path.write_bytes(pdf_bytes(pages, **kwargs))
        return path

    return make


@pytest.fixture
def encrypted_pdf(tmp_path) -> Path:
    """A PDF that needs a user password (RC4, which pypdf handles without extra packages)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Hensikt", "Hemmelig tekst."]]))))
    writer.encrypt(user_password="hemmelig", owner_password="eier", algorithm="RC4-128")
    path = tmp_path / "kryptert.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


@pytest.fixture
def corrupt_pdf(tmp_path) -> Path:
    path = tmp_path / "odelagt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(4000))
    return path


@pytest.fixture
def truncated_docx(tmp_path) -> Path:
    data = docx_bytes([("Heading 1", "Hensikt"), (None, "Tekst som blir kuttet.")])
    path = tmp_path / "kuttet.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture
def zip_bomb_docx(tmp_path) -> Path:
    """A few hundred kB on disk, over 200 MB unpacked."""
    path = tmp_path / "bombe.docx"
    chunk = b"\0" * (4 * 1024 * 1024)
    with (zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
          zf.open("word/document.xml", "w", force_zip64=True) as member):
        for _ in range(51):
            member.write(chunk)
    return path


@pytest.fixture
def entity_bomb_docx(tmp_path) -> Path:
    """A real DOCX whose main part declares exponentially expanding entities (billion laughs)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    good = docx_bytes([(None, "Vanlig tekst.")])
    path = tmp_path / "latter.docx"
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, _, rest = data.partition(b"?>")
                dtd = ("<!DOCTYPE w:document [" + "".join(entities) + "]>").encode()
                data = head + b"?>" + dtd + rest.replace(b"Vanlig tekst.", b"&lol9;")
            dst.writestr(info, data)
    return path
