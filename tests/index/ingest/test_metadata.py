"""Source metadata (index/metadata.py): Norwegian field names, the file winning over the manifest row, dates in
the forms people and tools write them, and bad values reported as warnings with a default, never an exception.

Front matter read through the parsers is in test_formats.py; here the values arrive as the parsers hand them
over (strings from front matter, dates and numbers from DOCX/PDF properties and the manifest).
"""

from __future__ import annotations

import datetime as dt

import pytest

from index.builder import build
from index.ingest import metadata
from index.records import TIERS


def norm(file_meta: dict, extra: dict | None = None, *, rel: str = "local/x.md",
         tier_default: str = "local") -> tuple[dict, list[str]]:
    warnings: list[str] = []
    return metadata.normalise(file_meta, extra or {}, rel=rel, tier_default=tier_default, warnings=warnings), warnings


def test_norwegian_field_names_and_spellings_map_to_the_fields():
    meta, warnings = norm({"Tittel": "Sårstell", "Kilde": "Lokalt", "Språk": "Nynorsk", "Revidert": "2024-03-18",
                           "Neste revisjon": "18.03.2027", "Nøkkelord": "sår; stell", "Erstattet-av": "t-var-s",
                           "Eier": "Kirurgisk post", "Avdeling": "Post 3", "Lenke": "https://example.invalid/s"})
    assert warnings == []
    assert meta == {"title": "Sårstell", "doc_id": metadata.derived_id("local/x.md"), "tier": "local",
                    "owner": "Kirurgisk post", "unit": "Post 3", "language": "nn",
                    "revised": dt.date(2024, 3, 18), "review_due": dt.date(2027, 3, 18), "status": "active",
                    "keywords": ("sår", "stell"), "url": "https://example.invalid/s", "replaced_by": "t-var-s"}


def test_the_file_wins_and_the_manifest_fills_only_real_gaps():
    meta, warnings = norm({"title": "Fra fila", "owner": "~", "unit": " null ", "status": ""},
                          {"title": "Fra manifest", "owner": "Manifesteier", "unit": "Post 1", "status": "utgått",
                           "id": "m-1"})
    assert warnings == []
    # "~", "null" and "" are empty values (what YAML and spreadsheets write for "nothing"): the manifest fills them.
    assert (meta["title"], meta["owner"], meta["unit"], meta["status"], meta["doc_id"]) == \
        ("Fra fila", "Manifesteier", "Post 1", "superseded", "m-1")


@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2024, 3, 18), dt.date(2024, 3, 18)),  # the manifest and DOCX properties give dates
    (dt.datetime(2024, 3, 18, 23, 59), dt.date(2024, 3, 18)),
    ("2024-03-18", dt.date(2024, 3, 18)),
    ("2024-03-18 10:15:00+01:00", dt.date(2024, 3, 18)),
    ("2024-03-18T10:15:00Z", dt.date(2024, 3, 18)),
    ("1.2.2025", dt.date(2025, 2, 1)),  # day.month.year, as Norwegian spreadsheets write it
    ("29.02.2024", dt.date(2024, 2, 29)),
])
def test_dates_in_the_forms_people_and_tools_write_them(value, expected):
    meta, warnings = norm({"revised": value})
    assert meta["revised"] == expected and warnings == []


@pytest.mark.parametrize("value", ["29.02.2023", "2024-02-30", "2024/03/18", "03-18-2024", "mars 2024", "18.03.24",
                                   20240318, "2024-03-18-extra"])
def test_an_impossible_or_unknown_date_is_a_warning_and_no_date(value):
    meta, warnings = norm({"review_due": value})
    assert meta["review_due"] is None
    assert len(warnings) == 1 and "invalid date in 'review_due'" in warnings[0] and "YYYY-MM-DD" in warnings[0]


def test_a_list_or_mapping_where_one_value_belongs_is_a_warning():
    meta, warnings = norm({"title": ["a", "b"], "owner": {"navn": "x"}, "revised": ["2024-01-01"]})
    assert (meta["title"], meta["owner"], meta["revised"]) == ("", "", None)
    assert "'title' should be a single value; ignored" in warnings
    assert "'owner' should be a single value; ignored" in warnings
    assert any("invalid date in 'revised'" in w for w in warnings)


@pytest.mark.parametrize(("field", "value", "expected", "warned"), [
    ("language", "klingon", "nb", "unknown language 'klingon'; using nb"),
    ("language", "nb-NO", "nb", None),
    ("language", "EN_gb", "en", None),
    ("status", "utkast", "active", "unknown status 'utkast'; using active"),
    ("status", "Gjeldande", "active", None),
    ("status", "OBSOLETE", "superseded", None),
    ("source", "nasjonal", "var", "unknown source 'nasjonal'; using var"),
    ("source", "Regionale", "regional", None),
])
def test_unknown_choices_fall_back_to_the_default_with_a_warning(field, value, expected, warned):
    meta, warnings = norm({field: value}, tier_default="var")
    assert meta["tier" if field == "source" else field] == expected
    assert warnings == ([warned] if warned else [])


def test_the_tier_comes_from_the_source_folder_unless_the_document_says_otherwise():
    assert norm({}, tier_default="var")[0]["tier"] == "var"
    assert norm({"source": "local"}, tier_default="var")[0]["tier"] == "local"
    assert norm({}, tier_default="ukjent")[0]["tier"] == "local"  # an unknown folder tier: the least authority
    assert all(metadata.tier_of(t.upper()) == t for t in TIERS) and metadata.tier_of("nasjonal") is None


def test_a_bad_id_falls_back_to_a_stable_id_from_the_path():
    meta, warnings = norm({"id": "har mellomrom!", "replaced_by": "også/ugyldig"}, rel="Lokal\\Sår.md")
    assert meta["doc_id"] == metadata.derived_id("lokal/sår.md")  # same file, any separator or case: same id
    assert meta["doc_id"].startswith("f-") and len(meta["doc_id"]) == 14
    assert meta["replaced_by"] == ""
    assert any(w.startswith("invalid id 'har mellomrom!'") and meta["doc_id"] in w for w in warnings)
    assert any(w.startswith("invalid replaced_by") and w.endswith("ignored") for w in warnings)
    assert norm({"id": 12345})[0]["doc_id"] == "12345"  # a numeric id from a spreadsheet is text


@pytest.mark.parametrize(("url", "kept"), [("HTTPS://example.invalid/a", True), ("file:///srv/p.pdf", True),
                                           ("javascript:alert(1)", False), ("www.example.invalid", False),
                                           ("mailto:a@example.invalid", False)])
def test_only_web_and_file_links_are_kept(url, kept):
    meta, warnings = norm({"url": url})
    assert meta["url"] == (url if kept else "")
    assert (warnings == []) == kept


def test_keywords_are_split_deduplicated_and_bounded():
    """(A non-text keyword is reported also when a PDF/DOCX subject joins the keywords: it once went unreported.)"""
    meta, warnings = norm({"keywords": ["PVK", "pvk; Venflon", 2024, dt.date(2024, 1, 2), {"a": 1}, "  ", "x" * 150],
                           "subject": "Venetilgang"})
    assert meta["keywords"] == ("PVK", "Venflon", "2024", "2024-01-02", "x" * 100, "Venetilgang")
    assert warnings == ["'keywords' contains a value that is not text; ignored"]
    many, _ = norm({"keywords": ";".join(f"ord{i}" for i in range(1000))})
    assert len(many["keywords"]) == 200


def test_a_title_is_one_line_and_bounded():
    meta, warnings = norm({"title": "  Sårstell\n\tetter\r\n operasjon " + "x" * 600})
    assert meta["title"].startswith("Sårstell etter operasjon x") and "\n" not in meta["title"]
    assert len(meta["title"]) <= 300 and warnings == []


def test_bad_metadata_reaches_the_build_report_and_the_document_is_still_indexed(tmp_path):
    src = tmp_path / "src" / "local"
    src.mkdir(parents=True)
    (src / "d.md").write_text("---\nid: t-d\ntitle: Drensstell\nrevised: 31.02.2024\nlanguage: tysk\n"
                              "keywords: [drens, {x: 1}]\n---\n# Drensstell\n\nSkift bandasje rundt drenet.\n",
                              encoding="utf-8")
    report = build.build(tmp_path / "ix", [("local", src)])
    assert report.indexed == 1 and report.skipped == ()
    messages = [msg for path, msg in report.warnings if path.endswith("d.md")]
    assert any("invalid date in 'revised'" in m for m in messages)
    assert any("unknown language 'tysk'" in m for m in messages)
    assert any("'keywords' contains a value that is not text" in m for m in messages)
