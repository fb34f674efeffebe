"""Peak memory of parsing each hostile input of the format fuzz tests, against plain small files.

    python -m bench.hostile_memory [--code DIR] [--only NAME,...] [--keep DIR]

Each input is written to a scratch folder, then parsed by ``index.ingest.formats.parse_file`` in a fresh interpreter
that prints VmHWM (peak resident memory) from /proc/self/status before and after the parse. ``--code`` runs
another checkout's ``index`` package (e.g. an export of main, for a before/after table); the inputs are made
by this script, the same for both. Target (issue 16): under 300 MB peak for every input.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

from bench.common import REPO, machine, table

XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="x"><w:body>'
PROBE = """
import json, re, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from index.errors import ParseError
from index.ingest.formats import parse_file

def hwm():
    text = open("/proc/self/status").read()
    return int(re.search(r"VmHWM:\\s+(\\d+)", text).group(1)) / 1024

before = hwm()
path = Path(sys.argv[2])
try:
    p = parse_file(path, rel="local/" + path.name, tier_default="local")
    outcome = f"parsed ({len(p.text)} chars)"
except ParseError as exc:
    outcome = "skipped: " + exc.reason
print(json.dumps({"before": before, "after": hwm(), "outcome": outcome}))
"""


def _docx(text: str = "Vanlig tekst.") -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Hensikt", 1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_document_xml(content: bytes, *, claimed: int | None = None) -> bytes:
    """A real DOCX with word/document.xml replaced; ``claimed`` makes its headers lie about the size."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == "word/document.xml" else src.read(info))
    data = bytearray(out.getvalue())
    if claimed is not None:
        name, crc = b"word/document.xml", zlib.crc32(content[:claimed])
        for signature, crc_at, size_at, name_at in ((b"PK\x03\x04", 14, 22, 30), (b"PK\x01\x02", 16, 24, 46)):
            at = 0
            while (at := data.find(signature, at)) >= 0:
                if data[at + name_at:at + name_at + len(name)] == name:
                    struct.pack_into("<I", data, at + crc_at, crc)
                    struct.pack_into("<I", data, at + size_at, claimed)
                at += 4
    return bytes(data)


def _spaces_xml(size: int) -> bytes:
    return XML_HEAD + b" " * (size - len(XML_HEAD))


def _paragraphs(size: int) -> bytes:
    ns = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    para = b"<w:p><w:r><w:t>Pasienten observeres hver time.</w:t></w:r></w:p>"
    body = para * ((size - 200) // len(para))
    return b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + ns + b"><w:body>" + body + b"</w:body></w:document>"


def _honest_bomb() -> bytes:
    out = io.BytesIO()
    with (zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
          zf.open("word/document.xml", "w", force_zip64=True) as member):
        for _ in range(51):
            member.write(b"\0" * (4 * 1024 * 1024))
    return out.getvalue()


def _entity_bomb() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    dtd = ("<!DOCTYPE w:document [" + "".join(entities) + "]>").encode()
    return _with_document_xml(b'<?xml version="1.0"?>' + dtd + b'<w:document xmlns:w="x">&lol9;</w:document>')


def _yaml_bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    return ("---\n" + "\n".join(lines) + "\ntitle: Bombe\n---\n# Bombe\nTekst.\n").encode()


def _deep_html() -> bytes:
    return b"<html><body>" + b"<div>" * 200_000 + b"Tekst" + b"</div>" * 200_000 + b"</body></html>"


def _broken_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    return data[: len(data) // 2] + b"%%garbage" * 1000


def _big(*, html: bool = False) -> bytes:
    """Just under the 50 MB file cap, as ``test_text_just_under_the_size_limit...`` writes it."""
    line = "Pasienten observeres hver time og vitale parametere dokumenteres i kurven. " * 4 + "\n"
    if html:
        line = f"<p>{line.strip()}</p>\n"
    body = (line * 1000).encode()
    return b"Stor prosedyre\n" + body * (45 * 2**20 // len(body) + 1)


INPUTS = {  # name → (file name, maker); the first two are the reference
    "small Markdown (reference)": ("ref.md", lambda: b"# PVK\n\n## Hensikt\nSikker innleggelse.\n"),
    "small DOCX (reference)": ("ref.docx", _docx),
    "DOCX zip bomb, honest headers (204 MB)": ("bomb.docx", _honest_bomb),
    "DOCX, header claims 1 kB, inflates 1 GiB": ("lying.docx",
                                                  lambda: _with_document_xml(_spaces_xml(2**30), claimed=1000)),
    "DOCX, header claims 1 kB, inflates 64 MB": ("lying64.docx",
                                                  lambda: _with_document_xml(_spaces_xml(64 * 2**20), claimed=1000)),
    "DOCX, honest 15 MB XML, one text node": ("xml15.docx", lambda: _with_document_xml(_spaces_xml(15 * 2**20))),
    "DOCX, honest 15 MB XML of paragraphs": ("paras15.docx", lambda: _with_document_xml(_paragraphs(15 * 2**20))),
    "DOCX, honest 20 MB XML (over the 16 MB XML cap)": ("xml20.docx",
                                                        lambda: _with_document_xml(_spaces_xml(20 * 2**20))),
    "DOCX entity bomb (billion laughs)": ("laughs.docx", _entity_bomb),
    "Markdown with YAML alias bomb": ("yaml.md", _yaml_bomb),
    "HTML nested 200 000 deep": ("deep.html", _deep_html),
    "truncated PDF with garbage": ("broken.pdf", _broken_pdf),
    "45 MB text file, one line": ("line.txt", lambda: ("Linje med tekst om prosedyrer. " * 1_500_000).encode()),
    "45 MB text file (as in test_formats)": ("big.txt", lambda: _big()),
    "45 MB Markdown file": ("big.md", lambda: _big()),
    "45 MB HTML file": ("big.html", lambda: _big(html=True)),
}


def probe(code: Path, path: Path) -> dict:
    try:
        proc = subprocess.run([sys.executable, "-c", PROBE, str(code), str(path)], capture_output=True, text=True,
                              timeout=1800, check=False)
    except subprocess.TimeoutExpired:
        return {"before": 0.0, "after": 0.0, "outcome": "timed out after 30 min"}
    if proc.returncode != 0:
        return {"before": 0.0, "after": 0.0, "outcome": f"crashed ({proc.returncode}): {proc.stderr[-200:]}"}
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose index package is measured")
    parser.add_argument("--only", default="", help="comma-separated file names (e.g. lying.docx,bomb.docx)")
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    args = parser.parse_args()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    folder = args.keep or Path(tempfile.mkdtemp(prefix="hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for label, (name, make) in INPUTS.items():
        if only and name not in only:
            continue
        path = folder / name
        if not path.exists():
            path.write_bytes(make())
        result = probe(args.code.resolve(), path)
        rows.append([label, f"{path.stat().st_size / 2**20:.2f}", f"{result['after']:.0f}",
                     f"{result['after'] - result['before']:.0f}", result["outcome"][:90]])
        print(f"{label}: {rows[-1][2]} MB peak", file=sys.stderr, flush=True)
        if not args.keep:
            path.unlink()
    print(f"{machine()} · code: {args.code}")
    print(table(["input", "file MB", "peak RSS MB", "parse adds MB", "outcome"], rows))
    if not args.keep:
        os.rmdir(folder)


if __name__ == "__main__":
    main()
