"""Discovering source files: order, tiers, skipped files, manifests and stable keys (real folders in tmp_path)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from index.errors import ParseError
from index.ingest.formats import derived_id, parse_file
from index.ingest.sources import SourceFile, discover, file_hash, load_manifest, parse_source_arg
from index.records import Tier


def touch(root: Path, rel: str, text: str = "# Tittel\nTekst.\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rels(files: list[SourceFile]) -> list[str]:
    return [f.rel for f in files]


# --- source arguments -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("arg", "expected"), [
    ("var=/data/var", (Tier.VAR, Path("/data/var"))),
    ("regional=/data/reg", (Tier.REGIONAL, Path("/data/reg"))),
    ("local=/data/lok", (Tier.LOCAL, Path("/data/lok"))),
    ("Lokal=/data/lok", (Tier.LOCAL, Path("/data/lok"))),
    ("regionalt= /data/reg ", (Tier.REGIONAL, Path("/data/reg"))),
    ("/data/plain", (Tier.LOCAL, Path("/data/plain"))),
    ("/data/a=b", (Tier.LOCAL, Path("/data/a=b"))),
])
def test_parse_source_arg(arg, expected):
    assert parse_source_arg(arg) == expected


@pytest.mark.parametrize(("arg", "message"), [("nasjonal=/data", "unknown source tier 'nasjonal'"),
                                              ("var=", "no folder given"), ("  ", "empty source")])
def test_parse_source_arg_errors(arg, message):
    with pytest.raises(ValueError, match=message):
        parse_source_arg(arg)


# --- discovery -----------------------------------------------------------------------------------------------
def test_discovery_order_tiers_and_paths(tmp_path):
    for rel in ("var/b.md", "var/A.md", "var/sub/c.html", "var/sub/d.PDF", "local/x.txt", "local/y.docx"):
        touch(tmp_path, rel)
    files, problems = discover([(Tier.VAR, tmp_path / "var"), (Tier.LOCAL, tmp_path / "local")])
    assert problems == []
    assert rels(files) == ["var/A.md", "var/b.md", "var/sub/c.html", "var/sub/d.PDF", "local/x.txt", "local/y.docx"]
    assert [f.tier_default for f in files] == ["var"] * 4 + ["local"] * 2
    assert all(f.path.is_absolute() and f.path.is_file() and f.meta == {} for f in files)
    assert files[2].path == (tmp_path / "var/sub/c.html").resolve()


def test_hidden_temp_and_unsupported_files_are_skipped_silently(tmp_path):
    for rel in ("ok.md", ".skjult.md", ".git/config.md", "~$rapport.docx", ".~lock.rapport.docx#", "kopi.md~",
                "bilde.png", "notat.doc", "Thumbs.db", "manifest.csv", "~tmp/inne.md", "_ok/under.txt"):
        touch(tmp_path / "src", rel, "path,owner\n" if rel.endswith(".csv") else "# T\nTekst.\n")
    files, problems = discover([(Tier.LOCAL, tmp_path / "src")])
    assert rels(files) == ["local/_ok/under.txt", "local/ok.md"] and problems == []


def test_missing_folder_is_a_problem_not_an_exception(tmp_path):
    touch(tmp_path, "var/a.md")
    (tmp_path / "fil.md").write_text("x", encoding="utf-8")
    files, problems = discover([(Tier.VAR, tmp_path / "finnes-ikke"), (Tier.VAR, tmp_path / "var"),
                                (Tier.LOCAL, tmp_path / "fil.md")])
    assert rels(files) == ["var/a.md"]
    assert problems == [(str(tmp_path / "finnes-ikke"), "source folder not found"),
                        (str(tmp_path / "fil.md"), "source is not a folder")]


def test_two_folders_of_one_tier_get_distinct_stable_keys(tmp_path):
    touch(tmp_path, "avd1/pvk.md")
    touch(tmp_path, "avd2/pvk.md")
    sources = [(Tier.LOCAL, tmp_path / "avd1"), (Tier.LOCAL, tmp_path / "avd2")]
    first, _ = discover(sources)
    again, _ = discover(sources)
    assert rels(first) == rels(again) == ["local/pvk.md", "local/avd2/pvk.md"]


def test_stable_rel_paths_and_ids(tmp_path):
    touch(tmp_path, "var/Mappe/Prosedyre.md", "Bare tekst.\n")
    (sf,), _ = discover([(Tier.VAR, tmp_path / "var")])
    assert sf.rel == "var/Mappe/Prosedyre.md"
    p1 = parse_file(sf.path, rel=sf.rel, tier_default=sf.tier_default, extra_meta=sf.meta)
    p2 = parse_file(sf.path, rel=sf.rel, tier_default=sf.tier_default, extra_meta=sf.meta)
    assert p1.doc_id == p2.doc_id == derived_id("var/mappe/prosedyre.md") and p1.path == sf.rel


def test_unknown_tier_in_sources_is_a_caller_error(tmp_path):
    with pytest.raises(ValueError, match="unknown source tier"):
        discover([("nasjonal", tmp_path)])


def test_file_hash_is_sha256_of_content(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 500_000)
    assert file_hash(path) == hashlib.sha256(b"abc" * 500_000).hexdigest()


# --- manifest ------------------------------------------------------------------------------------------------
def test_manifest_merge_file_wins_manifest_fills_gaps(tmp_path):
    touch(tmp_path, "kilder/var/a.md", "---\ntitle: Fra fila\nsource: var\n---\nTekst.\n")
    touch(tmp_path, "kilder/lokal/sub/b.txt", "Notat\nTekst.\n")
    manifest = tmp_path / "meta" / "manifest.csv"
    manifest.parent.mkdir()
    manifest.write_text(
        "path,id,title,source,owner,unit,language,revised,review_due,status,keywords,url\n"
        "../kilder/var/a.md,m-a,Fra manifest,local,Eier A,,nb,2024-01-02,,,x;y,\n"
        "sub/b.txt,m-b,Manifesttittel,regional,Eier B,Post 1,nn,,,superseded,,\n", encoding="utf-8")
    files, problems = discover([(Tier.VAR, tmp_path / "kilder/var"), (Tier.LOCAL, tmp_path / "kilder/lokal")], manifest)
    assert problems == []
    a, b = (parse_file(f.path, rel=f.rel, tier_default=f.tier_default, extra_meta=f.meta) for f in files)
    assert (a.doc_id, a.title, a.tier, a.owner, a.keywords, str(a.revised)) == \
        ("m-a", "Fra fila", "var", "Eier A", ("x", "y"), "2024-01-02")
    assert (b.doc_id, b.title, b.tier, b.owner, b.unit, b.language, b.status) == \
        ("m-b", "Manifesttittel", "regional", "Eier B", "Post 1", "nn", "superseded")


def test_manifest_in_source_root_is_used_and_explicit_manifest_wins(tmp_path):
    src = tmp_path / "src"
    touch(src, "a.md")
    touch(src, "Undermappe/B.md")
    (src / "manifest.csv").write_text("path;owner;unit\na.md;Eier fra mappa;Enhet fra mappa\n"
                                      ".\\undermappe\\b.md;Eier B;\n", encoding="utf-8")
    explicit = tmp_path / "hoved.csv"
    explicit.write_text("path,owner\nlocal/a.md,Eier fra hovedmanifest\n", encoding="utf-8")
    files, problems = discover([(Tier.LOCAL, src)], explicit)
    assert problems == [] and rels(files) == ["local/a.md", "local/Undermappe/B.md"]
    assert files[0].meta == {"path": "local/a.md", "owner": "Eier fra hovedmanifest", "unit": "Enhet fra mappa"}
    assert files[1].meta == {"path": ".\\undermappe\\b.md", "owner": "Eier B"}


def test_manifest_with_bad_rows(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_bytes("\ufeffPath;Title;Erstattet av;Farge\n"
                     "a.md;Å tittel;b-1;rød\n"
                     ";Uten sti;;\n"
                     "a.md;Dobbel;;\n"
                     "c.md;For;mange;felt;her\n"
                     "\n"
                     "d.md;;;\n".encode())
    rows, problems = load_manifest(path)
    assert rows == {"a.md": {"path": "a.md", "title": "Å tittel", "replaced_by": "b-1"}, "d.md": {"path": "d.md"}}
    assert problems == [("manifest.csv:1", "unknown column(s) ignored: farge"),
                        ("manifest.csv:3", "no path given"),
                        ("manifest.csv:4", "duplicate row for 'a.md' (line 2 is used)"),
                        ("manifest.csv:5", "row has 5 fields but the header has 4")]


def test_manifest_in_windows_1252(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("path,owner\nsår.md,Sårpoliklinikken\n".encode("cp1252"))
    rows, problems = load_manifest(path)
    assert rows["sår.md"]["owner"] == "Sårpoliklinikken" and problems == []


@pytest.mark.parametrize("content", [b"title,owner\nx,y\n", b"", b"\x00\x01\x02" * 10])
def test_unusable_manifest_raises_parse_error(tmp_path, content):
    path = tmp_path / "m.csv"
    path.write_bytes(content)
    with pytest.raises(ParseError) as info:
        load_manifest(path)
    assert info.value.path == str(path)


def test_unusable_or_unmatched_manifest_is_reported_by_discover(tmp_path):
    touch(tmp_path, "src/a.md")
    (tmp_path / "src/manifest.csv").write_text("tittel\nx\n", encoding="utf-8")
    explicit = tmp_path / "m.csv"
    explicit.write_text("path\nfinnes-ikke.md\n", encoding="utf-8")
    files, problems = discover([(Tier.LOCAL, tmp_path / "src")], explicit)
    assert rels(files) == ["local/a.md"]
    assert problems == [(str(tmp_path / "src/manifest.csv"), "manifest has no 'path' column"),
                        (str(explicit), "manifest names a file that was not found: finnes-ikke.md")]
    _, problems = discover([(Tier.LOCAL, tmp_path / "src")], tmp_path / "mangler.csv")
    assert problems[0][0] == str(tmp_path / "mangler.csv") and problems[0][1].startswith("cannot read manifest")


def test_manifest_row_with_an_over_long_field_is_skipped(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('path,title\na.md,"' + "x" * 200_000 + '"\nb.md,B\n', encoding="utf-8")
    rows, problems = load_manifest(path)
    assert list(rows) == ["b.md"] and problems[0][0] == "m.csv:2" and "not valid CSV" in problems[0][1]
