"""Shared helpers for the benchmarks: where the eval data is, corpus conversion, scoring with the
acceptance scorer (``../shared/eval/score.py``), and plain-text tables."""

from __future__ import annotations

import csv
import gzip
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
NURSING = EVAL / "nursing-nb"
OUT = REPO / "bench" / "out"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
_STATUS_FIELDS = {"VmRSS": "rss", "VmHWM": "peak", "RssAnon": "anon", "RssFile": "file"}


def memory_mb() -> dict[str, float]:
    """This process's memory from /proc/self/status, MB: rss (VmRSS), peak (VmHWM), anon and file pages."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in _STATUS_FIELDS:
            out[_STATUS_FIELDS[key]] = int(value.split()[0]) / 1024
    return out


def require_shared() -> None:
    if not (EVAL / "score.py").is_file():
        sys.exit(f"skipped: {EVAL} is absent (the shared eval material sits beside the repo)")


def machine() -> str:
    return f"{platform.node()} · {os.cpu_count()} cores · {platform.machine()} · Python {platform.python_version()}"


def score(run: Path, qrels: Path, docs_dir: Path, queries: Path | None = None) -> dict:
    cmd = [sys.executable, str(EVAL / "score.py"), str(run), str(qrels), str(docs_dir), "--json"]
    if queries is not None:
        cmd[5:5] = ["--queries", str(queries)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def write_run(path: Path, results: dict[str, list[tuple[str, float]]], tag: str) -> None:
    from index.cli.main import trec_lines

    with open(path, "w", encoding="utf-8") as fh:
        for qid, ranked in results.items():
            fh.writelines(trec_lines(qid, ranked, tag))


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def beir_to_folder(src: Path, dest: Path, *, language: str, keep: set[str] | None = None) -> Path:
    """Write a BEIR corpus (or the documents in ``keep``) as Markdown files with front matter (all tier
    'var'), once."""
    done = dest / ".complete"
    if done.exists():
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if src.suffix == ".gz" else open
    with opener(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if keep is not None and d["_id"] not in keep:
                continue
            title = (d.get("title") or d["text"][:80]).replace("\n", " ").replace('"', "'")
            (dest / f"{d['_id']}.md").write_text(
                f'---\nid: "{d["_id"]}"\ntitle: "{title}"\nsource: var\nlanguage: {language}\n---\n{d["text"]}\n',
                encoding="utf-8")
    done.touch()
    return dest


def beir_qrels(src: Path, dest: Path) -> Path:
    """BEIR qrels as the scorer's graded qrels. Graded sets (LiveQA-Med: 0–3) keep their grades; binary ones
    (NorQuAD: 1 = the passage with the answer) map relevant to grade 3, so Recall@10 (grade ≥ 2) and MRR@10
    (first grade 3) count it as the best answer it is."""
    rows = read_tsv(src)
    binary = max(int(r["score"]) for r in rows) <= 1
    with open(dest, "w", encoding="utf-8") as fh:
        fh.write("qid\tdoc_id\tgrade\n")
        for r in rows:
            grade = 3 * int(r["score"]) if binary else int(r["score"])
            fh.write(f"{r['query-id']}\t{r['corpus-id']}\t{grade}\n")
    return dest


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    return "\n".join([line, sep, *body])
