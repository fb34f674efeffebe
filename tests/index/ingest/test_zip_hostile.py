"""Zip-based documents whose headers lie: memory stays bounded, the file is skipped with a clear reason.

(How much memory each hostile input takes is measured in ``bench/hostile_memory.py``, not asserted here.)
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from index.errors import ParseError
from index.ingest import zipcheck
from index.ingest.formats import MAX_DOCX_XML, parse_file
from tests.helpers.documents import docx_bytes

XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="x"><w:body>'


def lying_docx(real_size: int, claimed: int) -> bytes:
    """A DOCX whose word/document.xml inflates to ``real_size`` bytes but whose headers claim ``claimed``.

    The CRC is that of the claimed prefix, so a reader that stops at the declared size sees nothing wrong.
    """
    content = XML_HEAD + b" " * (real_size - len(XML_HEAD))
    good = docx_bytes([(None, "Vanlig tekst.")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == "word/document.xml" else src.read(info))
    data = bytearray(out.getvalue())
    name = b"word/document.xml"
    crc = zlib.crc32(content[:claimed])
    # Local headers: crc +14, sizes +18/+22, name +30; central directory: crc +16, sizes +20/+24, name +46.
    for signature, crc_at, size_at, name_at in ((b"PK\x03\x04", 14, 22, 30), (b"PK\x01\x02", 16, 24, 46)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            if data[at + name_at:at + name_at + len(name)] == name:
                struct.pack_into("<I", data, at + crc_at, crc)
                struct.pack_into("<I", data, at + size_at, claimed)
            at += 4
    return bytes(data)


def reason(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "x.docx"
    path.write_bytes(data)
    with pytest.raises(ParseError) as info:
        parse_file(path, rel="local/x.docx", tier_default="local")
    return info.value.reason


def test_a_header_that_understates_the_size_is_caught_while_inflating(tmp_path):
    data = lying_docx(64 * 1024 * 1024, claimed=1000)  # 64 MB of XML behind a "1 kB" header
    assert len(data) < 1024 * 1024
    assert "larger than its header says" in reason(tmp_path, data)


def test_honest_xml_past_the_xml_cap_is_refused(tmp_path):
    size = MAX_DOCX_XML + 1024 * 1024
    assert "XML parts unpack to more than" in reason(tmp_path, lying_docx(size, claimed=size))


def test_a_compression_word_never_uses_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("word/document.xml", XML_HEAD + b"</w:body></w:document>")
    assert "compression method" in reason(tmp_path, out.getvalue())


def test_a_truncated_member_is_a_broken_zip(tmp_path):
    data = docx_bytes([(None, "Vanlig tekst.")])
    assert reason(tmp_path, data[: len(data) // 2]) == "not a valid DOCX (broken zip)"


def test_ordinary_documents_still_pass_and_parse(tmp_path):
    data = docx_bytes([("Heading 1", "Hensikt"), (None, "Sikker innleggelse av venekateter.")])
    zipcheck.check(data, max_members=100, max_unpacked=10 * 2**20, max_xml=10 * 2**20)
    path = tmp_path / "ok.docx"
    path.write_bytes(data)
    assert "venekateter" in parse_file(path, rel="local/ok.docx", tier_default="local").text
