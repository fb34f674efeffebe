"""Faults on real indexes: kill -9 at random points of a build, disk full, permission denied, a read-only
index folder, readers and a build at once, and damaged snapshot files.

Builds are lexical-only (no model) except where vectors are the point. Kills and resource limits happen in
child processes running the real code. As root, ``chmod`` does not stop writes, so the read-only test uses a
read-only bind mount there (and is skipped if mounting is not allowed).
``pytest -m slow`` adds more kill points (see ``test_kill_at_random_points_many``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.api import Engine
from index.builder import build
from index.errors import IndexCorruptError
from index.records import SearchMode
from index.store import snapshot
from index.store.lock import LOCK_NAME
from tests.helpers.corpus import write_corpus
from tests.helpers.paths import REPO

WORDS = ["skog", "fjell", "elv", "stein", "måne", "hav", "myr", "bre", "li", "vik"]  # one per build, searchable


def _child(script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args], check=False, cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _change(root: Path, n: int) -> None:
    """A visible change per build: one edited, one new document."""
    path = root / "var/blodtrykk.md"
    path.write_text(path.read_text("utf-8") + f"\nRevisjon {n}: mål også liggende.\n", "utf-8")
    word = WORDS[n]
    (root / f"local/ny-{n}.md").write_text(f"---\nid: t-ny-{n}\ntitle: Nattrapport {word}\nsource: local\n---\n"
                                           f"# Nattrapport {word}\n\nMuntlig rapport fra {word} ved vaktskifte.\n",
                                           encoding="utf-8")


def _serves(index_dir: Path, doc_id: str = "t-var-bt") -> str:
    """Open the index as the app does, search, and return the snapshot name that answered."""
    with Engine(index_dir) as engine:
        hits = engine.search("blodtrykksmåling", mode=SearchMode.LEXICAL).hits
        assert hits and hits[0].doc_id == doc_id, [h.doc_id for h in hits]
        return engine.snapshot.name


def _leftovers(index_dir: Path) -> list[str]:
    """Hidden files a build left behind; the build lock file stays by design (``index.store.lock``)."""
    if not index_dir.exists():
        return []
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(".") and p.name != LOCK_NAME)


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


# --- kill -9 at random points --------------------------------------------------------------------------------
# The child counts line events in the modules that write a snapshot and SIGKILLs itself at event N, so a seed
# picks any point: while parsing, inside the Whoosh commit, between the rename and the pointer switch, ...
_KILL_CHILD = """
    import json, os, signal, sys
    from pathlib import Path
    from index.builder import build
    from index.search import lexical
    from index.store import snapshot
    watched = {m.__file__ for m in (build, snapshot, lexical)}
    target, count = int(sys.argv[1]), 0
    def on_line(frame, event, arg):
        global count
        if event == "line":
            count += 1
            if count == target:
                os.kill(os.getpid(), signal.SIGKILL)
        return on_line
    sys.settrace(lambda frame, event, arg: on_line if frame.f_code.co_filename in watched else None)
    build.build(Path(sys.argv[2]), json.loads(sys.argv[3]))
    sys.settrace(None)
    print(count)
"""


def _kill_build_at(index_dir: Path, sources, target: int) -> subprocess.CompletedProcess:
    return _child(_KILL_CHILD, str(target), str(index_dir), json.dumps([(t, str(p)) for t, p in sources]))


def _line_events(index_dir: Path, sources, scratch: Path) -> int:
    """How many line events a build from this state takes (measured on a copy)."""
    if index_dir.exists():
        shutil.copytree(index_dir, scratch)
    proc = _kill_build_at(scratch, sources, 0)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split()[-1])


def _built_then_changed(tmp_path: Path) -> tuple[list, Path, str]:
    """The test corpus built into tmp_path/ix, then one source file changed: (sources, index, first snapshot)."""
    root = tmp_path / "src"
    sources = write_corpus(root)
    ix = tmp_path / "ix"
    first = build.build(ix, sources).snapshot
    _change(root, 1)
    return sources, ix, first


def _kill_and_recover(tmp_path: Path, seeds: list[int]) -> None:
    sources, ix, first = _built_then_changed(tmp_path)
    total = _line_events(ix, sources, tmp_path / "count")
    for seed in seeds:
        target = random.Random(seed).randint(1, total)
        before = snapshot.current_dir(ix).name
        proc = _kill_build_at(ix, sources, target)
        assert proc.returncode == -9, (target, total, proc.stderr[-2000:])
        # The pointer names the old snapshot or the complete new one — never anything half-written.
        serving = _serves(ix)
        assert serving in (before, *(p.name for p in snapshot.snapshot_dirs(ix)))
        engine = Engine(ix)
        assert engine.fallback_reason == "", engine.fallback_reason
        engine.close()
    # The next build recovers without manual cleanup and carries the change.
    report = build.build(ix, sources)
    assert _leftovers(ix) == [], _leftovers(ix)
    assert report.snapshot != first and snapshot.current_dir(ix).name == report.snapshot
    engine = Engine(ix)
    assert engine.search("nattrapport fjell", mode=SearchMode.LEXICAL).hits[0].doc_id == "t-ny-1"
    engine.close()


def test_kill_at_random_points_keeps_serving_and_recovers(tmp_path):
    _kill_and_recover(tmp_path, seeds=[1, 2, 3, 4])


@pytest.mark.slow
def test_kill_at_random_points_many(tmp_path):
    _kill_and_recover(tmp_path, seeds=list(range(10, 40)))


def test_kill_during_first_build_then_build_recovers(tmp_path):
    sources = write_corpus(tmp_path / "src")
    ix = tmp_path / "ix"
    total = _line_events(ix, sources, tmp_path / "count")
    for seed in (5, 6):
        proc = _kill_build_at(ix, sources, random.Random(seed).randint(1, total))
        assert proc.returncode == -9, proc.stderr[-2000:]
    build.build(ix, sources)
    assert _leftovers(ix) == []
    _serves(ix)


# --- disk full, permission denied, read-only folder --------------------------------------------------------
_FSIZE_CHILD = """
    import json, resource, signal, sys
    from pathlib import Path
    from index.builder import build
    from index.errors import KildefinnerError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    try:
        build.build(Path(sys.argv[2]), json.loads(sys.argv[3]))
    except KildefinnerError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
    else:
        print(json.dumps({"error": None}))
"""


@pytest.mark.parametrize("limit", [1024, 8 * 1024, 24 * 1024])
def test_disk_full_during_build_gives_clear_error_and_old_snapshot_serves(tmp_path, limit):
    sources, ix, first = _built_then_changed(tmp_path)
    before = _listing(ix / "snapshots")
    proc = _child(_FSIZE_CHILD, str(limit), str(ix), json.dumps([(t, str(p)) for t, p in sources]))
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["error"] == "IndexWriteError", result
    assert "could not write the index" in result["message"] and "File too large" in result["message"]
    assert "previous index keeps serving" in result["message"]
    assert snapshot.current_dir(ix).name == first and _serves(ix) == first
    assert _listing(ix / "snapshots") == before  # nothing half-written left behind
    assert _leftovers(ix) == []
    build.build(ix, sources)  # with space again, the next build just works
    assert _serves(ix) != first


@pytest.fixture
def read_only():
    """Make a folder read-only: a read-only bind mount as root (``chmod`` does not bind root), ``chmod -R a-w``
    otherwise. Yields a function that does it and returns the error text a write will then give."""
    undo = []

    def make(folder: Path) -> str:
        if os.geteuid() != 0:
            for dirpath, _, filenames in os.walk(folder):
                for name in filenames:
                    os.chmod(os.path.join(dirpath, name), stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
                os.chmod(dirpath, 0o555)
            undo.append(lambda: [os.chmod(d, 0o755) for d, _, _ in os.walk(folder)])
            return "Permission denied"
        if shutil.which("mount") is None:
            pytest.skip("running as root without mount(8): cannot make a folder read-only")
        bound = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True, check=False)
        if bound.returncode != 0:
            pytest.skip(f"running as root and cannot bind-mount: {bound.stderr.decode(errors='replace')}")
        undo.append(lambda: subprocess.run(["umount", str(folder)], capture_output=True, check=False))
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, check=False)
        if ro.returncode != 0:
            pytest.skip(f"running as root and cannot remount read-only: {ro.stderr.decode(errors='replace')}")
        return "Read-only file system"

    yield make
    for step in reversed(undo):
        step()


_READ_ONLY_CHILD = """
    import json, sys
    from pathlib import Path
    from index.builder import build
    from index.api import Engine
    from index.errors import KildefinnerError
    ix = Path(sys.argv[1])
    engine = Engine(ix)
    hits = [h.doc_id for h in engine.search("blodtrykksmåling").hits]
    doc = engine.document(hits[0]).title
    stats = engine.stats().documents
    engine.close()
    try:
        build.build(ix, json.loads(sys.argv[2]))
        error = None
    except KildefinnerError as exc:
        error = [type(exc).__name__, str(exc)]
    print(json.dumps({"hits": hits, "doc": doc, "stats": stats, "build_error": error}))
"""


def test_read_only_index_folder_serves_and_build_fails_clearly(tmp_path, read_only):
    sources, ix, first = _built_then_changed(tmp_path)
    reason = read_only(ix)
    before = _listing(ix)
    proc = _child(_READ_ONLY_CHILD, str(ix), json.dumps([(t, str(p)) for t, p in sources]))
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["hits"][0] == "t-var-bt" and result["doc"] and result["stats"] > 0
    kind, message = result["build_error"]
    assert kind == "IndexWriteError" and reason in message and "keeps serving" in message, message
    assert _listing(ix) == before  # neither searching nor the failed build wrote anything
    assert snapshot.current_dir(ix).name == first


def test_searching_writes_nothing_in_the_index_folder(corpus, tmp_path):
    """What makes a read-only share work, checked without chmod (which does not bind root)."""
    _, sources = corpus
    ix = tmp_path / "ix"
    build.build(ix, sources)
    before = _listing(ix)
    time.sleep(0.01)  # a write now would change an mtime
    engine = Engine(ix)
    for q in ("blodtrykk", "PVK", "var: venekateter", "nn: trykksår", "mente du"):
        engine.search(q, mode=SearchMode.LEXICAL)
    engine.document(engine.snapshot.docs[0].doc_id)
    engine.stats()
    engine.close()
    assert _listing(ix) == before


# --- readers and a build at once ------------------------------------------------------------------------------
_READER_CHILD = """
    import json, sys, time
    from pathlib import Path
    from index.api import Engine
    ix, stop = Path(sys.argv[1]), Path(sys.argv[2])
    searches = reopens = 0
    errors = []
    engine = Engine(ix)
    while not stop.exists() or searches < 20:
        try:
            if searches % 7 == 6:  # the app reopens after an update; in between it keeps an old snapshot open
                engine.close()
                engine = Engine(ix)
                reopens += 1
            hits = engine.search("blodtrykksmåling", mode="lexical").hits
            if not hits or hits[0].doc_id != "t-var-bt":
                errors.append(f"wrong hits: {[h.doc_id for h in hits]}")
            engine.document("t-var-bt")
            searches += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.01)
    engine.close()
    print(json.dumps({"searches": searches, "reopens": reopens, "errors": errors[:5]}))
"""


def test_two_readers_and_a_build_at_once(tmp_path):
    root = tmp_path / "src"
    sources = write_corpus(root)
    ix = tmp_path / "ix"
    build.build(ix, sources)
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(_READER_CHILD), str(ix), str(stop)],
                                cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for n in range(snapshot.KEEP_SNAPSHOTS + 3):  # enough builds that snapshots in use get pruned
            _change(root, n)
            build.build(ix, sources)
    finally:
        stop.touch()
        outputs = [r.communicate(timeout=120) for r in readers]
    for (out, err), reader in zip(outputs, readers, strict=True):
        assert reader.returncode == 0, err[-3000:]
        result = json.loads(out.strip().splitlines()[-1])
        assert result["errors"] == [] and result["searches"] >= 20, result
    assert _leftovers(ix) == [] and len(snapshot.snapshot_dirs(ix)) <= snapshot.KEEP_SNAPSHOTS
    engine = Engine(ix)
    assert {f"t-ny-{n}" for n in range(snapshot.KEEP_SNAPSHOTS + 3)} <= set(engine.snapshot.by_id)
    engine.close()


# --- damaged snapshot files ----------------------------------------------------------------------------------
def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _two_snapshots(tmp_path: Path) -> tuple[Path, str, Path]:
    sources, ix, good = _built_then_changed(tmp_path)
    build.build(ix, sources)
    return ix, good, snapshot.current_dir(ix)


def _whoosh_segment(folder: Path) -> Path:
    return next((folder / "whoosh").glob("*.seg"))


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda cur: _truncate(_whoosh_segment(cur)), ".seg is damaged"),
    (lambda cur: _whoosh_segment(cur).unlink(), ".seg is missing"),
    (lambda cur: _truncate(cur / "docs.sqlite"), "docs.sqlite is damaged"),
    (lambda cur: _truncate(cur / snapshot.OVERLAPS), "overlaps.json is damaged"),
    (lambda cur: (cur / snapshot.OVERLAPS).write_text("[{", encoding="utf-8"), "overlaps.json is damaged"),
    (lambda cur: (cur / "manifest.json").write_text("{", encoding="utf-8"), "manifest.json unreadable"),
], ids=["whoosh-truncated", "whoosh-missing", "docstore-truncated", "overlaps-truncated", "overlaps-garbage",
        "manifest-garbage"])
def test_damaged_snapshot_is_detected_at_open_and_previous_serves(tmp_path, damage, expected):
    ix, good, current = _two_snapshots(tmp_path)
    damage(current)
    engine = Engine(ix)
    assert engine.snapshot.name == good
    assert expected in engine.fallback_reason and current.name in engine.fallback_reason
    assert engine.search("blodtrykksmåling", mode=SearchMode.LEXICAL).hits[0].doc_id == "t-var-bt"
    engine.close()
    with pytest.raises(IndexCorruptError, match=r"is damaged|is missing|unreadable"):
        snapshot.Snapshot(current)
    build.build(ix, write_corpus(tmp_path / "src2"))  # a build over a damaged snapshot starts afresh
    engine = Engine(ix)
    assert engine.snapshot.name not in (good, current.name) and engine.fallback_reason == ""
    engine.close()


def test_no_good_snapshot_left_is_a_clear_error(tmp_path):
    ix, good, current = _two_snapshots(tmp_path)
    _truncate(_whoosh_segment(current))
    _truncate(ix / "snapshots" / good / "docs.sqlite")
    with pytest.raises(IndexCorruptError, match=r"\.seg is damaged \(\d+ bytes, the build wrote \d+\)"):
        Engine(ix)


def test_same_size_damage_to_whoosh_toc_falls_back(tmp_path):
    ix, good, current = _two_snapshots(tmp_path)
    toc = next((current / "whoosh").glob("*.toc"))
    data = bytearray(toc.read_bytes())
    data[len(data) // 3: len(data) // 3 + 32] = b"\xff" * 32
    toc.write_bytes(bytes(data))
    engine = Engine(ix)
    assert engine.snapshot.name == good
    engine.close()


@pytest.fixture
def hybrid_pair(hybrid_index, tmp_path):
    """A copy of the session's hybrid index with a second, older copy of its snapshot as the fallback."""
    ix = tmp_path / "ix"
    shutil.copytree(hybrid_index, ix)
    current = snapshot.current_dir(ix)
    older = current.parent / ("00000000T000000-" + current.name.split("-")[-1])
    shutil.copytree(current, older)
    return ix, older.name, current


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda cur: _truncate(cur / "vectors.npy"), "vectors.npy is damaged"),
    (lambda cur: _truncate(cur / "chunks.npy"), "chunks.npy is damaged"),
], ids=["vectors-truncated", "chunks-truncated"])
def test_damaged_vectors_are_detected_at_open(hybrid_pair, embedder, damage, expected):
    ix, good, current = hybrid_pair
    damage(current)
    engine = Engine(ix)
    assert engine.snapshot.name == good and expected in engine.fallback_reason
    assert engine.attach_embedder(embedder), engine.model_error
    assert engine.search("PVK").mode == "hybrid"
    engine.close()


def test_vector_shape_not_matching_manifest_is_detected_without_size_list(hybrid_pair):
    """Snapshots from before the size list (or a hand-edited manifest) are still checked by the .npy headers."""
    ix, good, current = hybrid_pair
    manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    del manifest["sizes"]
    manifest["dim"] = 768
    (current / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    engine = Engine(ix)
    assert engine.snapshot.name == good and "does not match the manifest" in engine.fallback_reason
    engine.close()


# --- an incremental update re-embeds only what changed -----------------------------------------------------------
class _CountingEmbedder:
    """The real embedder, counting the passages it is asked to embed."""

    def __init__(self, real):
        self.name, self.dim, self.record, self._real, self.passages = real.name, real.dim, real.record, real, 0

    def encode_passages(self, texts):
        self.passages += len(texts)
        return self._real.encode_passages(texts)


def test_changed_section_reembeds_only_changed_chunks(hybrid_index, embedder, tmp_path):
    root = tmp_path / "src"
    sources = write_corpus(root)
    ix = tmp_path / "ix"
    shutil.copytree(hybrid_index, ix)
    engine = Engine(ix)
    before = {t for _, t in build.chunk_texts(engine.document("t-var-pvk"))}
    engine.close()
    path = root / "var/pvk.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("i kurven.", "i kurven og i pleieplanen."), "utf-8")  # last section only
    counting = _CountingEmbedder(embedder)
    report = build.build(ix, sources, embedder=counting)
    assert report.indexed == 1
    engine = Engine(ix)
    after = [t for _, t in build.chunk_texts(engine.document("t-var-pvk"))]
    changed = sum(t not in before for t in after)
    assert counting.passages == changed < len(after)  # the last section (and the whole-document chunk)
    assert engine.attach_embedder(embedder), engine.model_error
    fresh = embedder.encode_passages([t for _, t in build.chunk_texts(engine.document("t-var-pvk"))])
    matrix, table = engine.snapshot.vectors()
    rows = table[:, 0] == engine.snapshot.by_id["t-var-pvk"]
    assert list(table[rows, 1]) == [s for s, _ in build.chunk_texts(engine.document("t-var-pvk"))]
    assert (matrix[rows] * fresh).sum(axis=1).min() > 0.99  # reused vectors sit where they belong
    engine.close()


# --- hostile queries -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lexical_engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("qsrc")
    ix = tmp_path_factory.mktemp("qix")
    build.build(ix, write_corpus(root))
    engine = Engine(ix)
    yield engine
    engine.close()


_QUERY_BITS = ["title:*", "body:", "*", "?", '"', "(", ")", "[", "]", "{", "}", "AND", "OR", "NOT", "~2", "^3",
               "\\", "var:", "nn:", "utgått:", "\x00", "\u202e", "\ud800", "ﬁ", "İ", "ß", "🙂", "a" * 300, "-", "+"]


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(st.text(max_size=200),
                       st.lists(st.sampled_from(_QUERY_BITS) | st.text(max_size=8), max_size=30).map(" ".join)))
def test_hostile_queries_always_answer(lexical_engine, query):
    result = lexical_engine.search(query, mode=SearchMode.LEXICAL)
    assert result.mode == "lexical" and len(result.hits) <= 20


def test_very_long_query_is_cut_and_answers(lexical_engine):
    result = lexical_engine.search("blodtrykksmåling " * 5000, mode=SearchMode.LEXICAL)
    assert result.hits and result.hits[0].doc_id == "t-var-bt"
