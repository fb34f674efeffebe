"""Building, incremental updates, atomic switching, bad input and cancellation, on real indexes."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index.api import Engine
from index.builder import build
from index.errors import BuildCancelled, IndexCorruptError, IndexMissingError, NothingIndexedError
from index.records import Tier
from index.store import snapshot
from tests.helpers.corpus import DOCS
from tests.helpers.paths import REPO


def test_build_then_search_lexical(corpus, tmp_path):
    _, sources = corpus
    report = build.build(tmp_path / "ix", sources)
    assert report.indexed == len(DOCS) and not report.skipped
    engine = Engine(tmp_path / "ix")
    assert engine.stats().documents == len(DOCS)
    assert engine.search("rørpost").hits[0].doc_id == "t-lok-rorpost"
    engine.close()


def test_incremental_build_reparses_only_changed_files(corpus, tmp_path):
    root, sources = corpus
    ix = tmp_path / "ix"
    build.build(ix, sources)
    text = (root / "var/blodtrykk.md").read_text(encoding="utf-8")
    (root / "var/blodtrykk.md").write_text(text.replace("fem minutter", "fem minutter, helst ti"), "utf-8")
    (root / "local/rorpost.md").unlink()
    (root / "local/ny.md").write_text("---\nid: t-ny\ntitle: Nattevakt rapport\nsource: local\n---\n"
                                      "# Nattevakt rapport\n\nMuntlig rapport ved vaktskifte om natten.\n",
                                      encoding="utf-8")
    report = build.build(ix, sources)
    assert (report.indexed, report.removed) == (2, 1)
    assert report.reused == len(DOCS) - 2
    engine = Engine(ix)
    ids = {m.doc_id for m in engine.snapshot.docs}
    assert "t-lok-rorpost" not in ids and "t-ny" in ids
    assert engine.search("rørpost").hits == () or engine.search("rørpost").hits[0].doc_id != "t-lok-rorpost"
    assert engine.search("helst ti minutter").hits[0].doc_id == "t-var-bt"
    assert engine.search("nattevakt rapport").hits[0].doc_id == "t-ny"
    engine.close()
    # The word counts (compound splitting, spelling) updated from the previous ones equal a full count.
    build.build(tmp_path / "full", sources, full=True)
    assert _vocab(ix) == _vocab(tmp_path / "full")


def _vocab(ix: Path) -> dict:
    return json.loads((snapshot.current_dir(ix) / "vocab.json").read_text(encoding="utf-8"))


def test_build_skips_bad_files_and_reports_them(corpus, tmp_path):
    root, sources = corpus
    (root / "local/junk.md").write_bytes(b"\x00\x01\x02" * 500)
    (root / "local/broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "local/tom.txt").write_text("", encoding="utf-8")
    dup = (root / "local/pvk-med.md").read_text(encoding="utf-8")
    (root / "local/dup.md").write_text(dup, encoding="utf-8")
    report = build.build(tmp_path / "ix", sources)
    reasons = dict(report.skipped)
    assert set(reasons) == {"local/junk.md", "local/broken.docx", "local/tom.txt", "local/pvk-med.md"} or \
        set(reasons) == {"local/junk.md", "local/broken.docx", "local/tom.txt", "local/dup.md"}
    assert any("duplicate id" in r for r in reasons.values())
    assert report.indexed == len(DOCS)


def test_nothing_indexable_raises_and_keeps_no_snapshot(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "junk.txt").write_bytes(b"\x00" * 100)
    with pytest.raises(NothingIndexedError):
        build.build(tmp_path / "ix", [(Tier.LOCAL, src)])
    with pytest.raises(IndexMissingError):
        Engine(tmp_path / "ix")


def test_cancel_keeps_previous_snapshot(corpus, tmp_path):
    root, sources = corpus
    ix = tmp_path / "ix"
    first = build.build(ix, sources).snapshot
    (root / "var/blodtrykk.md").unlink()
    with pytest.raises(BuildCancelled):
        build.build(ix, sources, progress=lambda stage, done, total: stage != "write")
    assert snapshot.current_dir(ix).name == first
    assert not list(ix.glob(".building-*"))
    engine = Engine(ix)
    assert "t-var-bt" in engine.snapshot.by_id
    engine.close()


def test_killed_build_leaves_previous_snapshot_serving(corpus, tmp_path):
    root, sources = corpus
    ix = tmp_path / "ix"
    first = build.build(ix, sources).snapshot
    (root / "var/blodtrykk.md").write_text((root / "var/blodtrykk.md").read_text("utf-8") + "\nEndret.\n", "utf-8")
    # A child process starts a build and is killed (SIGKILL) in the middle of writing.
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from index.builder import build
        def progress(stage, done, total):
            if stage == "write":
                os.kill(os.getpid(), signal.SIGKILL)
        build.build(Path({str(ix)!r}), {[(str(t), str(p)) for t, p in sources]!r}, progress=progress)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, check=False)
    assert proc.returncode == -9
    assert list(ix.glob(".building-*")), "the killed build should have left its scratch folder"
    assert snapshot.current_dir(ix).name == first
    engine = Engine(ix)
    assert engine.search("blodtrykk").hits[0].doc_id == "t-var-bt"
    engine.close()
    # The next build recovers without manual cleanup.
    build.build(ix, sources)
    assert not list(ix.glob(".building-*"))


def test_damaged_current_snapshot_falls_back_to_previous(corpus, tmp_path):
    root, sources = corpus
    ix = tmp_path / "ix"
    build.build(ix, sources)
    (root / "local/ny.md").write_text("---\nid: t-ny2\ntitle: Ny\n---\nNy tekst om noe.\n", encoding="utf-8")
    build.build(ix, sources)
    current = snapshot.current_dir(ix)
    manifest = json.loads((current / "manifest.json").read_text())
    manifest["documents"] += 5
    (current / "manifest.json").write_text(json.dumps(manifest))
    engine = Engine(ix)
    assert engine.snapshot.folder != current and "manifest says" in engine.fallback_reason
    engine.close()
    (ix / "snapshots" / engine.snapshot.name / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError):
        Engine(ix)


def test_index_on_read_only_folder_serves(corpus, tmp_path):
    _, sources = corpus
    ix = tmp_path / "ix"
    build.build(ix, sources)
    for dirpath, _dirnames, filenames in os.walk(ix):
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o444)
        os.chmod(dirpath, 0o555)
    try:
        engine = Engine(ix)
        assert engine.search("trykksår").hits[0].doc_id == "t-var-trykksar"
        engine.close()
    finally:
        for dirpath, _dirnames, _filenames in os.walk(ix):
            os.chmod(dirpath, 0o755)


def test_document_ids_are_stable_across_rebuilds(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "uten-id.md").write_text("# Rutine uten id\n\nTekst om sengeskift.\n", encoding="utf-8")
    a = build.build(tmp_path / "a", [(Tier.LOCAL, src)])
    b = build.build(tmp_path / "b", [(Tier.LOCAL, src)], full=True)
    ea, eb = Engine(tmp_path / "a"), Engine(tmp_path / "b")
    assert [m.doc_id for m in ea.snapshot.docs] == [m.doc_id for m in eb.snapshot.docs]
    assert a.indexed == b.indexed == 1
    ea.close(), eb.close()
