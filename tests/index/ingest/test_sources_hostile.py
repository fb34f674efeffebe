"""Hostile source folders: names that are not Unicode, links out of the tree, loops, FIFOs, devices.

Nothing stops the build, nothing outside the source folder is indexed, and nothing is dropped silently: every
skipped entry is reported with a printable path and a reason.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index import api
from index.ingest.sources import discover
from index.records import Tier

BODY = "---\nid: {id}\ntitle: {title}\nsource: local\n---\n## Framgangsmåte\n{text}\n"
posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and byte file names are POSIX here")


def doc(path: Path, doc_id: str, text: str = "Mål blodtrykket på overarmen mens pasienten sitter i ro.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BODY.format(id=doc_id, title=doc_id.title(), text=text), encoding="utf-8")
    return path


def skipped(report) -> dict[str, str]:
    return dict(report.skipped)


@posix_only
def test_a_file_name_that_is_not_utf8_is_skipped_and_reported_printably(tmp_path):
    src = tmp_path / "src"
    doc(src / "ok.md", "ok")
    raw = os.path.join(os.fsencode(src), b"pvk-\xff\xfe-r\xf8utine.md")  # Latin-1 'ø' from an old share
    with open(raw, "wb") as fh:
        fh.write(BODY.format(id="bad", title="Bad", text="Tekst om venekateter og annet.").encode())
    os.mkdir(os.path.join(os.fsencode(src), b"mappe-\xe6"))
    report = api.build(tmp_path / "index", [(Tier.LOCAL, src)], use_model=False)
    assert report.indexed == 1
    reasons = skipped(report)
    bad = next(k for k in reasons if "pvk-" in k)
    assert bad.endswith("pvk-\\xff\\xfe-r\\xf8utine.md") and "not valid Unicode" in reasons[bad]
    assert any(k.endswith("mappe-\\xe6") for k in reasons)
    manifest = next((tmp_path / "index" / "snapshots").iterdir()) / "manifest.json"
    assert "pvk-\\\\xff" in manifest.read_text(encoding="utf-8")  # valid UTF-8 JSON, the name escaped
    json.loads(manifest.read_text(encoding="utf-8"))


@posix_only
def test_links_leaving_the_source_folder_are_not_indexed(tmp_path):
    secret = doc(tmp_path / "elsewhere" / "hemmelig.md", "hemmelig", "Passordet til serveren er sommer2025.")
    src = tmp_path / "src"
    doc(src / "ok.md", "ok")
    doc(src / "inne" / "ekte.md", "ekte", "Stell av perifert venekateter hver dag.")
    (src / "lenke-ut.md").symlink_to(secret)
    (src / "lenke-inn.md").symlink_to(src / "inne" / "ekte.md")
    (src / "mappe-ut").symlink_to(secret.parent, target_is_directory=True)
    report = api.build(tmp_path / "index", [(Tier.LOCAL, src)], use_model=False)
    reasons = skipped(report)
    out = next(k for k in reasons if k.endswith("lenke-ut.md"))
    assert "outside the source folder" in reasons[out] and "hemmelig.md" in reasons[out]
    assert any(k.endswith("mappe-ut") and "not followed" in r for k, r in reasons.items())
    with api.Engine(tmp_path / "index") as engine:
        assert engine.search("passordet serveren sommer2025").hits == ()
        assert engine.search("venekateter").hits  # the link inside the tree is followed


@posix_only
def test_loops_dangling_links_and_fifos_are_reported_not_dropped(tmp_path):
    src = tmp_path / "src"
    doc(src / "ok.md", "ok")
    (src / "a.md").symlink_to(src / "b.md")
    (src / "b.md").symlink_to(src / "a.md")
    (src / "borte.md").symlink_to(src / "finnes-ikke.md")
    os.mkfifo(src / "rør.md")  # reading it would block the build forever
    files, problems = discover([(Tier.LOCAL, src)])
    assert [f.rel for f in files] == ["local/ok.md"]
    reasons = {Path(k).name: r for k, r in problems}
    assert reasons["a.md"] == reasons["b.md"] == "link loop"
    assert reasons["borte.md"].startswith("broken link")
    assert reasons["rør.md"].startswith("not a regular file")
    report = api.build(tmp_path / "index", [(Tier.LOCAL, src)], use_model=False)
    assert report.indexed == 1 and len(report.skipped) == 4


@posix_only
def test_a_device_is_reported(tmp_path):
    src = tmp_path / "src"
    doc(src / "ok.md", "ok")
    (src / "null.md").symlink_to("/dev/null")  # outside the tree anyway; the device check is the backstop
    (src / "z.txt").symlink_to("/dev/zero")
    _, problems = discover([(Tier.LOCAL, src)])
    reasons = {Path(k).name: r for k, r in problems}
    assert "outside the source folder" in reasons["null.md"] and "outside the source folder" in reasons["z.txt"]
