"""Incremental overlap detection at scale: an update of 50 changed documents in the 17 000-document region.

    python -m bench.overlap_incremental [--changed 50] [--added 0] [--removed 0] [--seed 11] [--hybrid]

Starts from the synthetic corpus and index that ``bench/scale.py`` leaves in ``bench/out/scale/synthetic/``
(run it first), copied to ``bench/out/overlap-incremental/`` so that run stays untouched. Steps, one process:

1. **prime**: an update with nothing changed (the first build by a version with an overlap cache writes it);
2. **update**: ``--changed`` documents get a sentence appended (as bench/scale.py does), ``--added`` new local
   copies of random VAR procedures are written, ``--removed`` files deleted; the whole build and its overlap
   stage are timed;
3. **reference**: ``overlap.detect`` over the final corpus (a full recompute, the same as ``full=True``
   would run), timed, and compared with the update's verdicts (primary overlap per document).

``--hybrid`` uses ``index-hybrid`` (seeded random unit vectors for new chunks: embedding is not measured here,
bench/scale.py does that). The load average is printed with each figure: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np

from bench.common import OUT, machine, table
from index.analysis.analyzer import Analyzer, Vocabulary
from index.builder import build
from index.cleanup import overlap
from index.records import Tier
from index.store import snapshot

SOURCE = OUT / "scale" / "synthetic"
WORK = OUT / "overlap-incremental"


class RandomEmbedder:
    """Seeded random unit vectors under the snapshot's model name (overlap cost only, not embedding)."""

    def __init__(self, name: str, dim: int, seed: int, record: dict | None = None):
        self.name, self.dim, self._rng = name, dim, np.random.default_rng(seed)
        self.record = record  # the snapshot's encoder record, so its vectors are reused

    def encode_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = self._rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _copy(hybrid: bool) -> tuple[Path, list[tuple[str, Path]]]:
    src_index = SOURCE / ("index-hybrid" if hybrid else "index-lexical")
    if not (src_index / snapshot.POINTER).exists() or not (SOURCE / "src").is_dir():
        raise SystemExit(f"no synthetic corpus and index in {SOURCE}: run `python -m bench.scale` first")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    shutil.copytree(SOURCE / "src", WORK / "src")
    current = snapshot.current_dir(src_index)
    shutil.copytree(current, WORK / "index" / snapshot.SNAPSHOTS / current.name)
    shutil.copy(src_index / snapshot.POINTER, WORK / "index" / snapshot.POINTER)
    return WORK / "index", [(t, WORK / "src" / t) for t in Tier]


def _change(sources, *, changed: int, added: int, removed: int, seed: int) -> None:
    rng = random.Random(seed)
    files = sorted(p for _, folder in sources for p in folder.iterdir() if p.suffix in (".md", ".txt"))
    picked = rng.sample(files, changed + removed)
    for path in picked[:changed]:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\nRevidert rutine: kontroller {rng.randint(1, 99)} ganger.\n")
    for path in picked[changed:]:
        path.unlink()
    var = sorted((dict(sources)["var"]).glob("*.md"))
    for n, path in enumerate(rng.sample(var, added)):
        text = path.read_text(encoding="utf-8")
        text = text.replace("source: \"var\"", "source: \"local\"").replace(f"id: \"{path.stem}\"",
                                                                              f"id: \"bench-copy-{n:03d}\"")
        (dict(sources)["local"] / f"bench-copy-{n:03d}.md").write_text(text, encoding="utf-8")


def _timed_build(index_dir: Path, sources, embedder) -> tuple[float, float, object]:
    marks: dict[tuple[str, int], float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "overlap":
            marks[(stage, done)] = time.perf_counter()

    rep = build.build(index_dir, sources, embedder=embedder, progress=progress)
    return rep.seconds, marks[("overlap", 1)] - marks[("overlap", 0)], rep


def _verdicts(pairs) -> dict[str, tuple[str, str]]:
    return {o.doc_id: (o.other_id, o.kind) for o in pairs if o.primary}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changed", type=int, default=50)
    ap.add_argument("--added", type=int, default=0)
    ap.add_argument("--removed", type=int, default=0)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--hybrid", action="store_true")
    args = ap.parse_args()
    index_dir, sources = _copy(args.hybrid)
    snap = snapshot.Snapshot(snapshot.current_dir(index_dir))
    embedder = (RandomEmbedder(snap.manifest["model"], snap.manifest["dim"], args.seed, snap.manifest.get("encoder"))
                if args.hybrid else None)
    snap.close()
    rows = []
    mode = "hybrid" if args.hybrid else "lexical"
    print(f"{time.strftime('%Y-%m-%d %H:%M')} · {machine()} · {mode}", flush=True)

    load = _load()
    total, stage, rep = _timed_build(index_dir, sources, embedder)
    rows.append(["prime (nothing changed)", rep.indexed, f"{total:.1f}", f"{stage:.1f}", load])
    print(rows[-1], flush=True)

    _change(sources, changed=args.changed, added=args.added, removed=args.removed, seed=args.seed)
    load = _load()
    total, stage, rep = _timed_build(index_dir, sources, embedder)
    rows.append([f"update ({args.changed} changed, {args.added} added, {args.removed} removed)",
                 rep.indexed, f"{total:.1f}", f"{stage:.1f}", load])
    print(rows[-1], flush=True)

    snap = snapshot.Snapshot(snapshot.current_dir(index_dir))
    procs = [snap.procedure(i) for i in range(len(snap.docs))]
    vocab = Vocabulary.from_json(json.loads((snap.folder / "vocab.json").read_text(encoding="utf-8")))
    matrix, chunk_table = snap.vectors() or (None, None)
    matrix = None if matrix is None else matrix.astype(np.float32)
    load = _load()
    t0 = time.perf_counter()
    full = overlap.detect(procs, analyzer=Analyzer(vocab), vectors=matrix, chunk_table=chunk_table)
    rows.append(["overlap.detect alone (full)", len(procs), "", f"{time.perf_counter() - t0:.1f}", load])
    print(rows[-1], flush=True)
    mine, ref = _verdicts(snap.overlaps()), _verdicts(full)
    differ = sorted(d for d in set(mine) | set(ref) if mine.get(d) != ref.get(d))
    snap.close()

    print(table(["step", "docs parsed", "build s", "overlap s", "load 1/5/15"], rows))
    print(f"verdicts: {len(mine)} after the update, {len(ref)} by a full recompute, {len(differ)} differ"
          + (f": {' '.join(differ[:10])}" if differ else ""))


if __name__ == "__main__":
    main()
