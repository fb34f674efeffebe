"""Parsing each source format into a Procedure, and every kind of bad input into a ParseError.

All files are real and written at test time (DOCX with python-docx, PDF with reportlab). Texts are invented.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import ParseError
from index.ingest import formats, sections
from index.ingest.formats import parse_file
from index.records import Procedure
from tests.helpers.paths import REPO

MD = """---
id: t-pvk-1
title: PVK – stell og observasjon
source: Lokal
owner: Medisinsk sengepost (test)
unit: Post 3
language: nob
revised: 2024-03-18
review_due: 2027-03-18
status: active
keywords: [PVK, venekateter; venflon, PVK]
url: https://prosedyrer.example.invalid/t-pvk-1
erstattet_av: t-pvk-2
---
# PVK – stell og observasjon

Kort innledning med **uthevet** og _kursiv_ tekst og en [lenke](https://example.invalid/x).
![bilde av kateter](https://example.invalid/bilde.png)

## Hensikt
Sikre at kateteret fungerer.

## Framgangsmåte
### Forberedelse
Finn fram `utstyr` til stell.

```
# dette er ikke en overskrift
kode_med_understrek
```

### Gjennomføring
Skift bandasje.

#### Detalj
Liten overskrift blir tekst.
"""


def write(tmp_path: Path, name: str, content, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode(encoding))
    return path


def parse(path: Path, rel: str | None = None, tier: str = "local", meta: dict | None = None) -> Procedure:
    return parse_file(path, rel=rel or f"{tier}/{path.name}", tier_default=tier, extra_meta=meta)


def fails(path: Path, **kwargs) -> str:
    with pytest.raises(ParseError) as info:
        parse(path, **kwargs)
    assert info.value.path == str(path)
    return info.value.reason


def heads(p: Procedure) -> list[str]:
    return [s.heading for s in p.sections]


# --- good input, per format ----------------------------------------------------------------------------------
def test_markdown_front_matter_sections_and_markup(tmp_path):
    p = parse(write(tmp_path, "pvk.md", MD), tier="var")
    assert (p.doc_id, p.title, p.tier, p.language, p.status) == ("t-pvk-1", "PVK – stell og observasjon",
                                                                  "local", "nb", "active")
    assert (p.owner, p.unit, p.url) == ("Medisinsk sengepost (test)", "Post 3",
                                        "https://prosedyrer.example.invalid/t-pvk-1")
    assert (p.revised, p.review_due) == (dt.date(2024, 3, 18), dt.date(2027, 3, 18))
    assert p.keywords == ("PVK", "venekateter", "venflon")
    assert p.replaced_by == "t-pvk-2"
    assert p.path == "var/pvk.md" and p.warnings == ()
    assert heads(p) == ["", "Hensikt", "Framgangsmåte › Forberedelse", "Framgangsmåte › Gjennomføring"]
    assert p.sections[0].text == "Kort innledning med uthevet og kursiv tekst og en lenke."
    assert "bilde" not in p.text and "example.invalid" not in p.text
    forberedelse = p.sections[2].text
    assert "Finn fram utstyr til stell." in forberedelse
    assert "# dette er ikke en overskrift" in forberedelse and "kode_med_understrek" in forberedelse
    assert p.sections[3].text == "Skift bandasje.\n\nDetalj\nLiten overskrift blir tekst."


def test_markdown_without_front_matter_uses_heading_and_derived_id(tmp_path):
    path = write(tmp_path, "sub/Blodtrykk.MD", "# Blodtrykksmåling\n\n## Utstyr\nMansjett og stetoskop.\n")
    p = parse(path, rel="var/sub/Blodtrykk.MD")
    assert p.title == "Blodtrykksmåling" and heads(p) == ["Utstyr"]
    assert p.doc_id == formats.derived_id("var/sub/blodtrykk.md") == parse(path, rel="var\\sub\\Blodtrykk.MD").doc_id
    assert p.doc_id.startswith("f-") and len(p.doc_id) == 14
    assert p.doc_id != parse(path, rel="var/annen/Blodtrykk.MD").doc_id


def test_html_metadata_sections_and_no_scripts_or_remote_content(tmp_path, no_network):
    html = """<!DOCTYPE html><html lang="nn"><head><title>Munnstell</title>
    <meta name="id" content="t-munn"><meta name="source" content="regionalt">
    <meta name="keywords" content="munnstell, munnhole"><meta name="author" content="Sjukeheim (test)">
    <meta name="revised" content="2023-01-02"><style>body { color: red }</style>
    <script src="https://cdn.example.invalid/x.js"></script></head>
    <body><h1>Munnstell</h1><p>Innleiing.</p><script>alert("skript")</script><noscript>Slå på JS</noscript>
    <!-- kommentar --><img src="https://example.invalid/bilde.png" alt="alt-tekst">
    <iframe src="https://example.invalid/ramme"></iframe>
    <h2>Føremål</h2><p>Halde munnhola rein.</p><p hidden>Skjult</p>
    <h3>Utstyr</h3><ul><li>Tannbørste</li><li>Skumpinnar</li></ul>
    <table><tr><td>Tid</td><td>Tiltak</td></tr></table><h4>Merk</h4><p>Liten overskrift.</p>
    <svg><text>svg-tekst</text></svg></body></html>"""
    p = parse(write(tmp_path, "munn.html", html))
    assert (p.doc_id, p.title, p.tier, p.language, p.owner) == ("t-munn", "Munnstell", "regional", "nn",
                                                                 "Sjukeheim (test)")
    assert p.keywords == ("munnhole",) or p.keywords == ("munnstell", "munnhole")
    assert p.revised == dt.date(2023, 1, 2)
    assert heads(p) == ["", "Føremål", "Utstyr"]
    assert p.sections[2].text.split("\n") == ["Tannbørste", "Skumpinnar", "Tid Tiltak", "Merk", "Liten overskrift."]
    for gone in ("skript", "color", "Slå på JS", "kommentar", "alt-tekst", "example.invalid", "Skjult", "svg-tekst"):
        assert gone not in p.text


def test_html_in_windows_1252(tmp_path):
    html = '<html><head><meta charset="windows-1252"><title>Sårstell</title></head><body><h2>Hensikt</h2>' \
           "<p>Rengjøring av sår på fot og hånd.</p></body></html>"
    p = parse(write(tmp_path, "sar.htm", html, encoding="cp1252"))
    assert p.title == "Sårstell" and "Rengjøring av sår på fot og hånd." in p.text
    assert "decoded as cp1252" in p.warnings


def test_pdf_text_layer_and_heading_detection(make_pdf):
    path = make_pdf("kateter.pdf", [["Urinkateter hos voksne", "Hensikt", "Hindre infeksjon ved kateter.",
                                     "Utstyr:", "Sterilt kateter og hansker."],
                                    ["2. Framgangsmåte", "Vask hendene. Legg inn kateteret.",
                                     "Dette er en vanlig linje om utstyr"]],
                    title="Urinkateter – innleggelse", author="Kirurgisk post (test)")
    p = parse(path, tier="regional")
    assert (p.title, p.owner, p.tier) == ("Urinkateter – innleggelse", "Kirurgisk post (test)", "regional")
    assert heads(p) == ["Urinkateter hos voksne", "Hensikt", "Utstyr", "Framgangsmåte"] or \
        heads(p) == ["Hensikt", "Utstyr", "Framgangsmåte"]
    assert "Dette er en vanlig linje om utstyr" in p.sections[-1].text


def test_pdf_without_metadata_takes_first_line_as_title(make_pdf):
    p = parse(make_pdf("a.pdf", [["Trykksår – forebygging", "Bakgrunn", "Snu pasienten ofte."]]))
    assert p.title == "Trykksår – forebygging" and heads(p) == ["Bakgrunn"] and p.warnings == ()


def test_pdf_page_cap_warns(make_pdf, monkeypatch):
    monkeypatch.setattr(formats, "MAX_PDF_PAGES", 2)
    p = parse(make_pdf("lang.pdf", [["Side en tekst"], ["Side to tekst"], ["Side tre tekst"]]))
    assert "Side to tekst" in p.text and "Side tre tekst" not in p.text
    assert any("only the first 2" in w for w in p.warnings)


def test_docx_styles_tables_and_core_properties(make_docx):
    path = make_docx("sonde.docx", [
        ("Title", "Ernæring via sonde"),
        (None, "Innledende tekst."),
        ("Heading 1", "Hensikt"), (None, "Sikker ernæring."),
        ("Heading 2", "Utstyr"), ("table", [["Utstyr", "Antall"], ["Sprøyte 50 ml", "2"]]),
        (None, "Framgangsmåte"), (None, "Kontroller sondeleie."),
        ("Heading 4", "Merknad"), (None, "Mer tekst."),
    ], core={"title": "Sondeernæring", "keywords": "sonde; ernæring, PEG", "author": "Regionalt fagråd (test)",
             "identifier": "t-sonde", "category": "Regional", "subject": "Ernæring", "language": "nb-NO"})
    p = parse(path)
    assert (p.doc_id, p.title, p.tier, p.owner, p.language) == ("t-sonde", "Sondeernæring", "regional",
                                                                 "Regionalt fagråd (test)", "nb")
    assert p.keywords == ("sonde", "ernæring", "PEG", "Ernæring") or p.keywords == ("sonde", "ernæring", "PEG")
    assert heads(p) == ["Ernæring via sonde", "Hensikt", "Utstyr", "Framgangsmåte"]
    assert "Utstyr | Antall\nSprøyte 50 ml | 2" in p.sections[2].text
    assert p.sections[3].text == "Kontroller sondeleie.\nMerknad\nMer tekst."


def test_docx_title_from_heading_when_no_properties(make_docx):
    p = parse(make_docx("x.docx", [("Heading 1", "Nattevakt rapport"), (None, "Muntlig rapport.")]))
    assert p.title == "Nattevakt rapport" and heads(p) == [""] and p.owner == ""


def test_docx_text_inside_content_controls_is_kept(tmp_path):
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    document = docx.Document()
    document.add_paragraph("Sondestell", style="Title")
    document.add_paragraph("Hensikt", style="Heading 2")
    inner = document.add_paragraph("Tekst i innholdskontroll.")
    sdt = etree.SubElement(document.element.body, qn("w:sdt"))
    etree.SubElement(sdt, qn("w:sdtPr"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    content.append(inner._p)  # moves the paragraph into the content control
    document.element.body.append(document.element.body.sectPr)  # keep section properties last
    path = tmp_path / "kontroll.docx"
    document.save(path)
    p = parse(path)
    assert p.title == "Sondestell" and heads(p) == ["Hensikt"]
    assert p.sections[0].text == "Tekst i innholdskontroll."


def test_txt_first_line_title_and_known_headings(tmp_path):
    text = "Håndhygiene\n\nIntro om hender.\n\nHensikt og omfang\nRene hender.\n\nGjennomføring:\nVask i 30 sekunder.\n"
    p = parse(write(tmp_path, "hand.txt", text))
    assert p.title == "Håndhygiene"
    assert heads(p) == ["", "Hensikt og omfang", "Gjennomføring"]
    assert p.sections[2].text == "Vask i 30 sekunder."


def test_txt_manifest_title_wins_over_first_line_and_fills_gaps(tmp_path):
    p = parse(write(tmp_path, "n.txt", "Notat\nTekst.\n"), meta={"title": "Fra manifest", "owner": "Eier",
                                                                 "revised": dt.date(2020, 1, 2), "path": "n.txt"})
    assert (p.title, p.owner, p.revised) == ("Fra manifest", "Eier", dt.date(2020, 1, 2))
    assert heads(p) == ["Notat"]


def test_file_metadata_wins_and_manifest_fills_gaps(tmp_path):
    path = write(tmp_path, "m.md", "---\ntitle: Fra fila\nsource: var\nowner: ''\n---\nTekst.\n")
    p = parse(path, meta={"title": "Fra manifest", "source": "local", "owner": "Manifesteier", "id": "m-1",
                          "keywords": "a;b", "status": "superseded", "replaced_by": "m-2"})
    assert (p.title, p.tier, p.owner, p.doc_id, p.keywords, p.status, p.replaced_by) == \
        ("Fra fila", "var", "Manifesteier", "m-1", ("a", "b"), "superseded", "m-2")


def test_text_is_truncated_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(sections, "MAX_TEXT_CHARS", 1000)
    p = parse(write(tmp_path, "lang.txt", "Tittel\n" + "ord " * 2000))
    assert len(p.text) <= 1100 and any("truncated" in w for w in p.warnings)


# --- metadata problems become warnings and defaults ----------------------------------------------------------
def test_invalid_metadata_gives_warnings_and_defaults(tmp_path):
    path = write(tmp_path, "d.md", "---\nid: 'ugyldig id med mellomrom'\nlanguage: de\nrevised: 2024-13-45\n"
                 "review_due: neste år\nstatus: utkast\nsource: nasjonal\nkeywords: {a: 1}\nurl: javascript:x\n"
                 "---\n# Tittel\nTekst.\n")
    p = parse(path, rel="local/d.md", tier="var")
    assert (p.doc_id, p.language, p.status, p.tier, p.revised, p.review_due, p.keywords, p.url) == \
        (formats.derived_id("local/d.md"), "nb", "active", "var", None, None, (), "")
    text = " | ".join(p.warnings)
    for part in ("invalid id", "unknown language 'de'", "invalid date in 'revised'", "invalid date in 'review_due'",
                 "unknown status 'utkast'", "unknown source 'nasjonal'", "keywords", "url"):
        assert part in text


@pytest.mark.parametrize(("given", "expected"), [("2024-03-18", dt.date(2024, 3, 18)),
                                                  ("18.03.2024", dt.date(2024, 3, 18)),
                                                  ("'2024-03-18T10:00:00'", dt.date(2024, 3, 18)),
                                                  ("2024-02-30", None), ("31.02.2024", None), ("2024", None)])
def test_dates(tmp_path, given, expected):
    p = parse(write(tmp_path, "d.md", f"---\ntitle: T\nrevised: {given}\n---\nTekst.\n"))
    assert p.revised == expected and (p.warnings == ()) == (expected is not None)


@pytest.mark.parametrize(("given", "expected"), [("no", "nb"), ("NOB", "nb"), ("nno", "nn"), ("nn-NO", "nn"),
                                                  ("en", "en"), ("nb_NO", "nb")])
def test_language_aliases(tmp_path, given, expected):
    p = parse(write(tmp_path, "l.md", f"---\nlanguage: {given}\ntitle: T\n---\nTekst.\n"))
    assert p.language == expected and p.warnings == ()


def test_id_too_long_falls_back(tmp_path):
    p = parse(write(tmp_path, "i.md", f"---\nid: {'x' * 101}\n---\n# T\nTekst.\n"), rel="var/i.md")
    assert p.doc_id == formats.derived_id("var/i.md") and any("invalid id" in w for w in p.warnings)


def test_missing_title_uses_prettified_file_name(tmp_path):
    p = parse(write(tmp_path, "sonde_ernaering-v2.md", "Bare tekst uten overskrift.\n"))
    assert p.title == "Sonde ernaering v2" and any("no title" in w for w in p.warnings)


def test_broken_front_matter_is_ignored_with_warning(tmp_path):
    p = parse(write(tmp_path, "y.md", "---\ntitle: [ikke lukket\n---\n# Overskrift\nTekst.\n"))
    assert p.title == "Overskrift" and "front matter is not valid YAML; ignored" in p.warnings


def test_yaml_alias_bomb_in_front_matter_is_harmless(tmp_path):
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    lines += ["keywords: [*i, *i]", "title: *i", "---", "Tekst."]
    p = parse(write(tmp_path, "bombe.md", "\n".join(lines)))
    assert p.keywords == () and len(p.title) < 200


def test_cp1252_text_decodes_with_warning(tmp_path):
    p = parse(write(tmp_path, "gammel.md", "# Sårbehandling\nFølg rutinen for åpne sår og blærer.\n", "cp1252"))
    assert p.title == "Sårbehandling" and "Følg rutinen for åpne sår og blærer." in p.text
    assert "decoded as cp1252" in p.warnings


def test_utf8_bom_and_utf16_bom(tmp_path):
    p = parse(write(tmp_path, "bom.txt", "\ufeffØvelse\nTekst med æøå.\n"))
    assert p.title == "Øvelse" and p.warnings == ()
    p = parse(write(tmp_path, "u16.txt", "\ufeffØvelse\nTekst med æøå.\n", "utf-16-le"))
    assert p.title == "Øvelse" and "Tekst med æøå." in p.text


# --- bad input: each raises ParseError with a plain reason ----------------------------------------------------
def test_corrupt_pdf(corrupt_pdf):
    assert fails(corrupt_pdf).startswith("not a readable PDF (")


def test_encrypted_pdf(encrypted_pdf):
    assert fails(encrypted_pdf) == "encrypted"


def test_pdf_without_text_layer(make_pdf):
    assert fails(make_pdf("skannet.pdf", [[None], []])) == "no text layer (scanned/image-only PDF?)"


def test_pdf_with_only_page_numbers_has_no_text_layer(make_pdf):
    assert fails(make_pdf("nummer.pdf", [[None, "1"], [None, "2"]])) == "no text layer (scanned/image-only PDF?)"


def test_broken_docx_zip(truncated_docx):
    assert fails(truncated_docx) == "not a valid DOCX (broken zip)"


def test_docx_zip_bomb(zip_bomb_docx):
    assert zip_bomb_docx.stat().st_size < 2 * 1024 * 1024
    assert "zip bomb" in fails(zip_bomb_docx)


def test_docx_entity_expansion_is_refused(entity_bomb_docx):
    assert "document type definition" in fails(entity_bomb_docx)


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    path = tmp_path / "ark.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hei.txt", "ikke word")
    assert fails(path).startswith("not a valid DOCX (")


@pytest.mark.parametrize("name", ["junk.txt", "junk.md", "junk.html"])
def test_binary_junk(tmp_path, name):
    assert fails(write(tmp_path, name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)) == "binary or unreadable text"


def test_control_character_junk_without_nul(tmp_path):
    junk = bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 40
    assert fails(write(tmp_path, "junk.txt", junk)) == "binary or unreadable text"


@pytest.mark.parametrize(("name", "content"), [("tom.txt", ""), ("blank.md", " \n\t\n"),
                                               ("fm.md", "---\ntitle: T\n---\n"),
                                               ("skript.html", "<html><script>x()</script></html>"),
                                               ("tom.docx", None)])
def test_empty_documents(tmp_path, make_docx, name, content):
    path = make_docx(name, [(None, "")]) if content is None else write(tmp_path, name, content)
    assert fails(path) == "empty document"


def test_file_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 1000)
    assert fails(write(tmp_path, "stor.txt", "Tittel\n" + "x" * 5000)).startswith("file too large (")


def test_unsupported_and_unreadable(tmp_path):
    assert fails(write(tmp_path, "a.rtf", "{\\rtf1}")).startswith("unsupported file type")
    (tmp_path / "mappe.md").mkdir()
    assert fails(tmp_path / "mappe.md").startswith("cannot read file")


def test_deeply_nested_html_does_not_crash(tmp_path):
    n = 100_000
    html = "<html><body>" + "<div>" * n + "<h2>Hensikt</h2><p>Dypt nede.</p>" + "</div>" * n + "</body></html>"
    path = write(tmp_path, "dyp.html", html)
    try:
        p = parse(path)
    except ParseError as exc:
        assert exc.path == str(path)
    else:
        assert "Dypt nede." in p.text


# --- property: arbitrary bytes never raise anything but ParseError -----------------------------------------
@settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000),
                      st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.lists(st.sampled_from(["---", "title: x", "# H", "<h2>", "</div>", "[a](b)", "**",
                                                "\x00", "æøå", "<!--", "```", "\n"]), max_size=60)
                      .map(lambda parts: "\n".join(parts).encode())),
       suffix=st.sampled_from([".md", ".html", ".txt"]))
def test_arbitrary_bytes_only_raise_parse_error(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _only_parse_error(path)


# --- hostile input, per parser (issue 7): fuzzed structure, not only random bytes --------------------------
# Each property: a Procedure or a ParseError with a reason, within the hypothesis deadline; nothing else.
def _only_parse_error(path: Path) -> None:
    try:
        p = parse(path)
    except ParseError as exc:
        assert exc.path == str(path) and exc.reason
    else:
        assert isinstance(p, Procedure) and p.sections and p.title


_FUZZ = settings(max_examples=40, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _mutations(base: bytes):
    """A real file with bytes flipped, a slice cut out or repeated, or cut short."""
    edits = st.lists(st.tuples(st.sampled_from(["flip", "cut", "repeat", "truncate"]),
                               st.integers(0, len(base) - 1), st.integers(1, 64), st.integers(0, 255)),
                     min_size=1, max_size=6)

    def apply(ops) -> bytes:
        data = bytearray(base)
        for op, at, length, value in ops:
            if not data:  # cut to nothing already: an empty file is a case of its own
                break
            at %= len(data)
            if op == "flip":
                data[at] = value
            elif op == "cut":
                del data[at:at + length]
            elif op == "repeat":
                data[at:at] = data[at:at + length] * 3
            else:
                del data[at:]
        return bytes(data)

    return edits.map(apply)


_PDF = None
_DOCX = None


def _real_pdf() -> bytes:
    global _PDF
    if _PDF is None:
        from tests.helpers.documents import pdf_bytes

        _PDF = pdf_bytes([["Urinkateter", "Hensikt", "Hindre infeksjon."], ["Framgangsmåte", "Vask hendene."]],
                         title="Urinkateter", author="Test")
    return _PDF


def _real_docx() -> bytes:
    global _DOCX
    if _DOCX is None:
        from tests.helpers.documents import docx_bytes

        _DOCX = docx_bytes([("Title", "Sondeernæring"), ("Heading 1", "Hensikt"), (None, "Sikker ernæring."),
                            ("table", [["Utstyr", "Antall"], ["Sprøyte", "2"]])], core={"title": "Sonde"})
    return _DOCX


@pytest.mark.parametrize(("suffix", "real"), [(".pdf", _real_pdf), (".docx", _real_docx)])
@_FUZZ
@given(data=st.data())
def test_mutated_binary_file_only_raises_parse_error(tmp_path, suffix, real, data):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data.draw(_mutations(real())))
    _only_parse_error(path)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_docx_runs = st.recursive(
    st.text(max_size=40).map(lambda t: "<w:r><w:t>" + t.replace("&", "&amp;").replace("<", "&lt;") + "</w:t></w:r>"),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map("".join),
        st.tuples(st.sampled_from(["Heading1", "Title", "Overskrift2", "Heading9", "", "x" * 300]), inner)
        .map(lambda s: f'<w:p><w:pPr><w:pStyle w:val="{s[0]}"/></w:pPr>{s[1]}</w:p>'),
        inner.map(lambda x: f"<w:tbl><w:tr><w:tc><w:p>{x}</w:p></w:tc></w:tr></w:tbl>"),
        inner.map(lambda x: f"<w:sdt><w:sdtContent>{x}</w:sdtContent></w:sdt>"),
        inner.map(lambda x: f"<w:p>{x}"),  # unclosed
    ), max_leaves=20)


@_FUZZ
@given(body=_docx_runs)
def test_docx_with_fuzzed_document_xml_only_raises_parse_error(tmp_path, body):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_real_docx())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "word/document.xml":
                content = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}'
                           f"</w:body></w:document>").encode()
            dst.writestr(info, content)
    path = tmp_path / "fuzz.docx"
    path.write_bytes(out.getvalue())
    _only_parse_error(path)


_yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=60),
              st.dates().map(str), st.just("2024-02-30"), st.just("*alias"), st.just("!!python/object:os.system")),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=15)
_META_KEYS = ["id", "title", "source", "owner", "unit", "language", "revised", "review_due", "status", "keywords",
              "url", "erstattet_av", "replaced_by", "tittel", ""]


@_FUZZ
@given(meta=st.dictionaries(st.sampled_from(_META_KEYS) | st.text(max_size=12), _yaml_values, max_size=8),
       body=st.text(max_size=300))
def test_fuzzed_front_matter_only_raises_parse_error(tmp_path, meta, body):
    import yaml

    try:
        front = yaml.safe_dump(meta, allow_unicode=True)
    except yaml.YAMLError:
        front = str(meta)
    path = tmp_path / "fuzz.md"
    path.write_bytes(f"---\n{front}---\n{body}\n".encode("utf-8", "surrogatepass"))
    _only_parse_error(path)


_TAGS = ["h1", "h2", "h3", "h4", "p", "div", "ul", "li", "table", "tr", "td", "script", "style", "svg", "br",
         "title", "meta", "html", "body", "head", "noscript", "template", "iframe", "pre", "b"]


@_FUZZ
@given(parts=st.lists(st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"), st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.text(max_size=30), st.sampled_from(['<meta name="id" content="x y">', '<meta charset="bogus-9">',
                                           "<!--", "-->", "<![CDATA[", "&#0;", "&#xD800;", "&nosuch;", "<a href=",
                                           '<html lang="zz-ZZ">', "<?php x ?>", "<!DOCTYPE x ["])), max_size=80))
def test_fuzzed_html_tag_soup_only_raises_parse_error(tmp_path, parts):
    path = tmp_path / "fuzz.html"
    path.write_bytes("".join(parts).encode("utf-8", "surrogatepass"))
    _only_parse_error(path)


_cells = st.one_of(st.text(max_size=30), st.sampled_from(['"', '""', ";", ",", "\n", "\r\n", "\x00", "\ufeff",
                                                         "2024-13-45", "var", "lokal", "../../etc/passwd"]))


@_FUZZ
@given(header=st.lists(st.sampled_from(["path", "id", "title", "source", "owner", "revised", "status", "keywords",
                                        "", "path"]) | st.text(max_size=8), max_size=8),
       rows=st.lists(st.lists(_cells, max_size=10), max_size=15),
       sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_fuzzed_manifest_csv_only_raises_parse_error(tmp_path, header, rows, sep, encoding):
    from index.ingest.sources import load_manifest

    text = "\n".join(sep.join(r) for r in [header, *rows])
    path = tmp_path / "manifest.csv"
    path.write_bytes(text.encode(encoding, "replace"))
    try:
        found, problems = load_manifest(path)
    except ParseError as exc:
        assert exc.path == str(path) and exc.reason
    else:
        assert isinstance(found, dict) and all(isinstance(p, tuple) and len(p) == 2 for p in problems)


def test_100_mb_text_file_is_refused_by_its_size(tmp_path):
    path = tmp_path / "stor.txt"
    with open(path, "wb") as fh:  # sparse: no 100 MB written to disk
        fh.truncate(100 * 1024 * 1024)
    assert fails(path).startswith("file too large (100 MB")


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_text_just_under_the_size_limit_parses_in_bounded_memory(tmp_path, suffix):
    """A 45 MB file: parsed, its text cut at MAX_TEXT_CHARS with a warning (memory: bench/memory.py)."""
    import subprocess
    import sys

    path = tmp_path / f"stor{suffix}"
    line = "Pasienten observeres hver time og vitale parametere dokumenteres i kurven. " * 4 + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Stor prosedyre\n")
        while fh.tell() < 45 * 1024 * 1024:
            fh.write(line * 1000)
    code = ("import sys\nfrom pathlib import Path\nfrom index.ingest.formats import parse_file\n"
            "p = parse_file(Path(sys.argv[1]), rel='local/x', tier_default='local')\n"
            "print(len(p.text), any('truncated' in w for w in p.warnings))\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         cwd=REPO, timeout=300).stdout.split()
    chars, truncated = int(out[0]), out[1] == "True"
    assert truncated and chars <= sections.MAX_TEXT_CHARS * 1.05
