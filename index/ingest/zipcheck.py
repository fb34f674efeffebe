"""Checking a zip-based document (DOCX) before any library unpacks it: memory stays bounded whatever the headers say.

A zip member declares its sizes, and a hostile file lies: ``zipfile.ZipFile.read`` inflates a member in one
call of up to 2 GiB before it cuts to the declared size, so a 1 MB file could take gigabytes. Here every
member is inflated by ``zlib`` in small pieces straight from the file's bytes, counting what comes out: more
than the member declares, more than the caps in total, a compression method Word never uses, or a DTD in an
XML part (entity expansion) rejects the file. A file that passes inflates to exactly its declared sizes, so
python-docx's own reads afterwards are bounded by the same caps.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator

_CHUNK = 256 * 1024
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DTD_RE = re.compile(rb"<!\s*(?:doctype|entity)", re.IGNORECASE)


BROKEN = "broken zip"


class ZipRejected(ValueError):
    """The archive is broken (``str()`` is ``BROKEN``) or hostile (``str()`` says why, after "DOCX ")."""


def check(data: bytes, *, max_members: int, max_unpacked: int, max_xml: int) -> None:
    """Raise ``ZipRejected`` unless ``data`` is a sane zip within the caps (bytes inflated, XML bytes)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))  # BytesIO shares the bytes until written: no copy
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ZipRejected(BROKEN) from None
    if len(infos) > max_members:
        raise ZipRejected(f"has more than {max_members} parts")
    if sum(i.file_size for i in infos) > max_unpacked:  # an honest bomb: no need to inflate anything
        raise ZipRejected(f"unpacks to more than {max_unpacked // 2**20} MB (zip bomb?)")
    total = xml_total = 0
    for info in infos:
        is_xml = info.filename.lower().endswith((".xml", ".rels"))
        size = 0
        tail = b""
        for piece in _inflate(data, info):
            size += len(piece)
            total += len(piece)
            xml_total += len(piece) if is_xml else 0
            if size > info.file_size:
                raise ZipRejected(f"part {info.filename!r} is larger than its header says (zip bomb?)")
            if total > max_unpacked:
                raise ZipRejected(f"unpacks to more than {max_unpacked // 2**20} MB (zip bomb?)")
            if xml_total > max_xml:
                raise ZipRejected(f"XML parts unpack to more than {max_xml // 2**20} MB (zip bomb?)")
            if is_xml:
                # NULs dropped: UTF-16 text then reads as ASCII, so "<!DOCTYPE" is found in either encoding
                window = tail + piece.replace(b"\x00", b"")
                if _DTD_RE.search(window):
                    raise ZipRejected("contains a document type definition (unsafe XML)")
                tail = window[-16:]
        if size != info.file_size:
            raise ZipRejected(BROKEN)  # shorter than its header says


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's uncompressed bytes in pieces of at most ``_CHUNK``."""
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise ZipRejected(BROKEN)
    fields = _LOCAL_HEADER.unpack(header)
    if fields[2] & 0x1:
        raise ZipRejected("is encrypted")
    begin = start + _LOCAL_HEADER.size + fields[9] + fields[10]
    raw = memoryview(data)[begin:begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise ZipRejected(BROKEN)
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), _CHUNK):
            yield bytes(raw[i:i + _CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ZipRejected(f"part {info.filename!r} uses a compression method Word does not use")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for i in range(0, len(raw), _CHUNK):
            pending = bytes(raw[i:i + _CHUNK])
            while pending:
                piece = inflater.decompress(pending, _CHUNK)  # never more than _CHUNK out per call
                pending = inflater.unconsumed_tail
                if piece:
                    yield piece
        if rest := inflater.flush():  # all input consumed: at most what zlib still holds back
            yield rest
    except zlib.error:
        raise ZipRejected(BROKEN) from None
