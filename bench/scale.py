"""Scale: a 17 000-document region and the real 18 000-passage LiveQA-Med corpus, against SQLite FTS5.

    python -m bench.scale [--corpora synthetic,liveqa-med] [--seed 7] [--docs 17000] [--embed-sample 500]
    python -m bench.scale --latency-only      # latency and RSS again on the indexes of the last full run

Per corpus, in one run:

- **lexical build** (``api.build(..., use_model=False)``, fresh folder): full time and docs/s;
- **embedding throughput** on ``--embed-sample`` documents (all their chunks), extrapolated to the corpus — the
  full embedded build is *not* run (tens of minutes to hours on 2 shared cores); the table says so;
- **hybrid index** at full size: built by ``index.builder.build`` with an embedder that returns the real vectors of the
  sampled chunks and seeded random unit vectors for the rest (same model name and dimension). The chunk matrix
  has the real shape, so dense latency, snapshot size and RSS are true to scale; hybrid *ranking* is not
  meaningful on it and is not measured here (bench/quality.py does that);
- **latency**, interleaved per query so both sides see the same machine load: Kildefinner lexical (top 10)
  vs SQLite FTS5 (same documents as stored in the snapshot, ``tokenize='porter unicode61'``, OR of the query's
  words, ``ORDER BY rank`` = bm25, top 10). The first pass over the query list (each query's first run in a
  fresh process) and the repeated passes (``--reps``) are reported apart: Kildefinner caches per-word score
  vectors. Then hybrid (top 10, query embedding included) with the real model;
- **incremental update** of 50 changed documents: lexical-only, and on the hybrid index with real embedding;
- **snapshot size** on disk, and **peak RSS** of a fresh process that opens the hybrid index, loads the model
  and runs every query in hybrid mode.

Queries: LiveQA-Med's 104 questions in NIST's paraphrase *and* the original (misspelled) wording; for the
synthetic corpus the nursing-nb dev queries (Norwegian, real-style). Everything is written under
``bench/out/scale/`` (gitignored). The synthetic corpus is regenerated from ``--seed`` on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import EVAL, NURSING, OUT, REPO, beir_to_folder, machine, memory_mb, read_tsv, table
from index import api
from index.builder import build as _build
from index.errors import ParseError
from index.ingest.formats import parse_file
from index.records import SearchMode, Tier
from index.store import snapshot

SCALE = OUT / "scale"
DEMO = REPO / "resources" / "demo"
CHANGED = 50
TOP = 10


# ----------------------------------------------------------------------------------------- synthetic corpus
HEADINGS_NB = ["Hensikt og omfang", "Ansvar", "Definisjoner", "Indikasjoner", "Kontraindikasjoner", "Utstyr",
               "Forberedelse", "Framgangsmåte", "Gjennomføring", "Observasjoner", "Komplikasjoner",
               "Etterarbeid", "Dokumentasjon", "Opplæring", "Hygiene og smittevern", "Referanser"]
HEADINGS_NN = ["Føremål og omfang", "Ansvar", "Definisjonar", "Utstyr", "Førebuing", "Framgangsmåte",
               "Gjennomføring", "Observasjonar", "Komplikasjonar", "Dokumentasjon", "Referansar"]
UNITS = ["Medisinsk sengepost", "Kirurgisk sengepost", "Ortopedisk post", "Barneavdelingen", "Kreftavdelingen",
         "Lungeposten", "Hjerteovervåkningen", "Intensivavdelingen", "Akuttmottaket", "Føde/barsel",
         "Geriatrisk post", "Nevrologisk post", "Dagkirurgisk enhet", "Hjemmesykepleien", "Sjukeheimen",
         "Rehabiliteringsposten", "Psykiatrisk akuttpost", "Infeksjonsposten", "Dialyseenheten", "Gastroposten"]
PLACES = ["Fjordby", "Nordvik", "Elvdal", "Strandheim", "Bjørkli", "Sørås", "Vestre Li", "Havnøy", "Moheim",
          "Granli", "Austbygd", "Lundamo", "Kvernes", "Solberg"]
SUBJECTS = ["Sykepleier", "Pasienten", "Helsefagarbeider", "Lege", "Ansvarlig sykepleier", "Fagutviklingssykepleier",
            "Pårørende", "Vakthavende lege", "Nattevakten", "Teamleder"]
VERBS = ["kontrollerer", "dokumenterer", "vurderer", "observerer", "skifter", "desinfiserer", "registrerer",
         "rapporterer", "klargjør", "fjerner", "måler", "følger opp", "informerer om", "avtaler"]
OBJECTS = ["innstikkstedet", "bandasjen", "vitale parametere", "væskebalansen", "smertescore", "blodsukkeret",
           "hudens tilstand", "kateteret", "legemiddellisten", "ernæringsstatus", "respirasjonsfrekvensen",
           "bevissthetsnivået", "temperaturen", "urinproduksjonen", "sårkanten", "infusjonshastigheten"]
WHEN = ["ved hver vakt", "minst to ganger i døgnet", "før og etter prosedyren", "ved innleggelse", "daglig",
        "hver fjerde time", "ved endret allmenntilstand", "før utskrivning", "etter avtale med lege",
        "ved mistanke om infeksjon", "i henhold til lokal rutine", "når pasienten er stabil"]
SYLLABLES = ["ka", "te", "ro", "vi", "lin", "mor", "sa", "dex", "pra", "tol", "fen", "zol", "mi", "nat", "ril",
             "gal", "ben", "cor", "tra", "pex", "ul", "ost", "amo", "ket", "ron"]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 20]


def _demo_material() -> dict:
    """Titles, keywords and sentences (by heading and language) from the demo corpus, parsed with the engine."""
    titles, keywords, by_heading, sentences = [], [], {}, {"nb": [], "nn": []}
    for tier in Tier:
        for path in sorted((DEMO / tier).iterdir()):
            try:
                p = parse_file(path, rel=f"{tier}/{path.name}", tier_default=tier)
            except ParseError as exc:
                print(f"  demo file not used: {exc}")
                continue
            lang = "nn" if p.language == "nn" else "nb"
            titles.append(p.title.split(",")[0].split(" – ")[0].strip())
            keywords.extend(p.keywords)
            for s in p.sections:
                found = _sentences(s.text)
                sentences[lang].extend(found)
                by_heading.setdefault((lang, s.heading.split(" › ")[0]), []).extend(found)
    return {"titles": sorted(set(titles)), "keywords": sorted(set(keywords)), "by_heading": by_heading,
            "sentences": sentences}


def _rare_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _sentence(rng: random.Random, mat: dict, lang: str, heading: str) -> str:
    r = rng.random()
    pool = mat["by_heading"].get((lang, heading))
    if r < 0.55 and pool:
        return rng.choice(pool)
    if r < 0.8:
        return rng.choice(mat["sentences"][lang] or mat["sentences"]["nb"])
    extra = f" ({_rare_word(rng).capitalize()} {rng.randint(1, 500)} mg)" if rng.random() < 0.3 else ""
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(WHEN)}{extra}."


def _document(rng: random.Random, mat: dict, n: int, tier: str) -> dict:
    lang = "nn" if rng.random() < 0.15 else "nb"
    topic = rng.choice(mat["titles"])
    unit = f"{rng.choice(UNITS)} {rng.randint(1, 9)}"
    place = rng.choice(PLACES)
    title = topic if tier == "var" else f"{topic}, {unit}"
    if rng.random() < 0.3:
        title += f" – {rng.choice(['voksne', 'barn', 'eldre', 'opplæring', 'sjekkliste', 'kortversjon'])}"
    headings = HEADINGS_NN if lang == "nn" else HEADINGS_NB
    n_sections = max(1, min(len(headings), int(rng.lognormvariate(1.6, 0.5))))
    chosen = sorted(rng.sample(range(len(headings)), n_sections))
    sections = []
    for h in chosen:
        n_sent = max(1, int(rng.lognormvariate(1.5 if tier != "var" else 1.9, 0.7)))
        sections.append((headings[h], " ".join(_sentence(rng, mat, lang, headings[h]) for _ in range(n_sent))))
    year = rng.randint(2015, 2026)
    return {
        "id": f"syn-{tier[:3]}-{n:05d}", "title": title, "source": tier, "language": lang,
        "owner": "VAR (syntetisk)" if tier == "var" else f"{unit}, {place} sykehus (syntetisk)",
        "unit": "" if tier == "var" else unit,
        "revised": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "review_due": f"{year + 3}-{rng.randint(1, 12):02d}-01",
        "status": "superseded" if rng.random() < 0.03 else "active",
        "keywords": rng.sample(mat["keywords"], k=min(len(mat["keywords"]), rng.randint(0, 6))),
        "sections": sections,
    }


def _near_duplicate(rng: random.Random, base: dict, n: int, tier: str) -> dict:
    """A local copy of another procedure: new owner and id, a few sentences dropped or swapped."""
    doc = dict(base, id=f"syn-{tier[:3]}-{n:05d}", source=tier, unit=f"{rng.choice(UNITS)} {rng.randint(1, 9)}")
    doc["owner"] = f"{doc['unit']}, {rng.choice(PLACES)} sykehus (syntetisk)"
    doc["title"] = f"{base['title'].split(',')[0]}, {doc['unit']}"
    sections = []
    for heading, text in base["sections"]:
        sents = _sentences(text) or [text]
        if len(sents) > 2 and rng.random() < 0.5:
            sents.pop(rng.randrange(len(sents)))
        if len(sents) > 2 and rng.random() < 0.3:
            i = rng.randrange(len(sents) - 1)
            sents[i], sents[i + 1] = sents[i + 1], sents[i]
        sections.append((heading, " ".join(sents)))
    doc["sections"] = sections
    return doc


def _write_doc(folder: Path, doc: dict, fmt: str) -> None:
    name = folder / f"{doc['id']}.{fmt}"
    if fmt == "md":
        kw = ", ".join(json.dumps(k, ensure_ascii=False) for k in doc["keywords"])
        head = "".join(f"{k}: {json.dumps(doc[k], ensure_ascii=False)}\n"
                       for k in ("id", "title", "source", "language", "owner", "unit", "revised", "review_due",
                                 "status"))
        body = "".join(f"\n## {h}\n\n{t}\n" for h, t in doc["sections"])
        name.write_text(f"---\n{head}keywords: [{kw}]\n---\n# {doc['title']}\n{body}", encoding="utf-8")
    elif fmt == "txt":  # manifest-less plain text: first line is the title, known headings on their own line
        body = "".join(f"\n{h}\n{t}\n" for h, t in doc["sections"])
        name.write_text(f"{doc['title']}\n{body}", encoding="utf-8")
    else:
        from html import escape

        body = "".join(f"<h2>{escape(h)}</h2><p>{escape(t)}</p>" for h, t in doc["sections"])
        name.write_text(f'<!DOCTYPE html><html lang="{doc["language"]}"><head><title>{escape(doc["title"])}'
                        f'</title><meta name="id" content="{doc["id"]}"><meta name="source" content="{doc["source"]}">'
                        f"</head><body><h1>{escape(doc['title'])}</h1>{body}</body></html>", encoding="utf-8")


def generate(dest: Path, *, docs: int, seed: int) -> list[tuple[str, Path]]:
    """Write the synthetic region (≈9 % VAR, 30 % regional, the rest local; 12 % of non-VAR near-duplicates)."""
    rng = random.Random(seed)
    mat = _demo_material()
    if dest.exists():
        shutil.rmtree(dest)
    n_var = round(docs * 1500 / 17000)
    n_regional = round((docs - n_var) * 0.3)
    plan = [("var", n_var), ("regional", n_regional), ("local", docs - n_var - n_regional)]
    written: list[dict] = []
    for tier, count in plan:
        folder = dest / tier
        folder.mkdir(parents=True)
        for n in range(count):
            if tier != "var" and written and rng.random() < 0.12:
                doc = _near_duplicate(rng, rng.choice(written), n, tier)
            else:
                doc = _document(rng, mat, n, tier)
            fmt = "md" if tier == "var" else rng.choices(["md", "txt", "html"], weights=[80, 10, 10])[0]
            _write_doc(folder, doc, fmt)
            written.append(doc)
    return [(tier, dest / tier) for tier, _ in plan]


# --------------------------------------------------------------------------------------------------- corpora
def _corpus(name: str, args) -> tuple[list[tuple[str, Path]], list[str]]:
    """(sources, queries) — sources are a private copy under bench/out/scale/ that this run may change."""
    src = SCALE / name / "src"
    if name == "synthetic":
        sources = generate(src, docs=args.docs, seed=args.seed)
        queries = [r["query"] for r in read_tsv(NURSING / "queries-dev.tsv")]
        return sources, queries
    ext = EVAL / "external" / name
    folder = beir_to_folder(ext / "corpus.jsonl.gz", OUT / f"corpus-{name}", language="en")
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(folder, src / "var")
    queries = []
    with open(ext / "queries.jsonl", encoding="utf-8") as fh:
        for line in fh:
            q = json.loads(line)
            queries.append(q["text"])
            original = (q.get("metadata") or {}).get("original_message")
            if original:
                queries.append(original)
    return [("var", src / "var")], queries


# ------------------------------------------------------------------------------------------------------ FTS5
def fts_build(db: Path, snap: snapshot.Snapshot) -> float:
    """The same documents as the snapshot stores them (title, keywords, headings and section text)."""
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, body, "
                "tokenize='porter unicode61')")
    rows = ((m.doc_id, m.title, " ".join(m.keywords) + "\n" +
             "\n".join(f"{h}\n{t}" for h, t in snap.sections(m.idx))) for m in snap.docs)
    con.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    con.commit()
    con.close()
    return time.perf_counter() - t0


def fts_query(text: str) -> str:
    words = dict.fromkeys(w for w in re.findall(r"\w+", text.lower()))
    return " OR ".join(f'"{w}"' for w in words)


# --------------------------------------------------------------------------------------------------- embedder
class SampledEmbedder:
    """Real vectors for texts in ``known``; a seeded random unit vector for anything else (see module doc)."""

    def __init__(self, real, known: dict[str, np.ndarray], seed: int):
        self.name, self.dim, self.record = real.name, real.dim, real.record
        self._known, self._rng = known, np.random.default_rng(seed)
        self.real_hits = self.filled = 0

    def encode_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = self._rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        for i, t in enumerate(texts):
            vec = self._known.get(t)
            if vec is not None:
                out[i] = vec
                self.real_hits += 1
            else:
                self.filled += 1
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def encode_queries(self, texts: list[str]) -> np.ndarray:  # never used for searching
        raise NotImplementedError


def embed_sample(embedder, snap: snapshot.Snapshot, n_docs: int, seed: int) -> dict:
    """Embed every chunk of ``n_docs`` random documents; chunks/s and docs/s, and the vectors by text."""
    rng = random.Random(seed)
    picked = rng.sample(range(len(snap.docs)), min(n_docs, len(snap.docs)))
    texts = [t for idx in picked for _, t in _build.chunk_texts(snap.procedure(idx))]
    embedder.encode_passages(texts[:32])  # warm
    t0 = time.perf_counter()
    vecs = np.concatenate([embedder.encode_passages(texts[i:i + 32]) for i in range(0, len(texts), 32)])
    seconds = time.perf_counter() - t0
    total_chunks = sum(len(_build.chunk_texts(snap.procedure(m.idx))) for m in snap.docs)
    return {"docs": len(picked), "chunks": len(texts), "seconds": seconds, "chunks_s": len(texts) / seconds,
            "docs_s": len(picked) / seconds, "total_chunks": total_chunks,
            "known": dict(zip(texts, vecs, strict=True))}


# -------------------------------------------------------------------------------------------------- helpers
def _pct(values: list[float]) -> tuple[float, float]:
    a = np.asarray(values) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def _du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _touch_docs(sources: list[tuple[str, Path]], n: int, seed: int) -> None:
    """Change ``n`` source files (a sentence appended), spread over the tiers."""
    files = sorted(p for _, folder in sources for p in folder.iterdir() if p.suffix in (".md", ".txt"))
    for path in random.Random(seed).sample(files, n):
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\nRevidert rutine: kontroller {random.Random(path.name).randint(1, 99)} ganger.\n")


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def rss_probe(index: Path, queries_file: Path) -> None:
    """Run in a fresh process: open, load the model, search every query hybrid; print peak RSS (MB)."""
    engine = api.Engine(index)
    opened = memory_mb()["rss"]
    assert engine.load_model(), engine.model_error
    loaded = memory_mb()["rss"]
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    for q in queries:
        engine.search(q, top=30, mode=SearchMode.HYBRID)
    # VmHWM, not ru_maxrss: Linux carries the forked parent's peak into ru_maxrss across exec, so a probe
    # started from this (large) benchmark process would report the benchmark's own peak.
    memory = memory_mb()
    print(json.dumps({"rss_mb": memory["peak"], "opened_mb": opened,
                      "loaded_mb": loaded, "after_mb": memory["rss"]}))


# ------------------------------------------------------------------------------------------------------- run
def _lexical_latency(engine, fts_db: Path, queries: list[str], reps: int) -> dict:
    """Kildefinner lexical vs FTS5, interleaved per query. Pass 1 is each query's first run in a fresh
    process (Kildefinner's per-word score cache holds only what earlier queries left); the ``reps`` later
    passes repeat the list, as a nurse refining a search does."""
    fts = sqlite3.connect(fts_db)
    sql = "SELECT doc_id, rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"

    def fts_search(q: str):
        expr = fts_query(q)
        return fts.execute(sql, (expr, TOP)).fetchall() if expr else []

    fts_search(queries[0])
    passes: list[tuple[list[float], list[float]]] = []
    for _ in range(1 + reps):
        kf_t, fts_t = [], []
        for q in queries:
            t = time.perf_counter()
            engine.search(q, top=TOP, mode=SearchMode.LEXICAL)
            kf_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            fts_search(q)
            fts_t.append(time.perf_counter() - t)
        passes.append((kf_t, fts_t))
    fts.close()
    return {"kf_lex_first": _pct(passes[0][0]), "fts_first": _pct(passes[0][1]),
            "kf_lex": _pct([t for kf, _ in passes[1:] for t in kf]),
            "fts": _pct([t for _, ft in passes[1:] for t in ft]), "lat_load": _load()}


def run(name: str, args, embedder) -> dict:
    print(f"\n=== {name} ===  load {_load()}", flush=True)
    base = SCALE / name
    base.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    sources, queries = _corpus(name, args)
    n_files = sum(1 for _, f in sources for _ in f.iterdir())
    print(f"[{name}] corpus: {n_files} files ({time.perf_counter() - t0:.1f} s), {len(queries)} queries", flush=True)
    r: dict = {"name": name, "files": n_files, "queries": len(queries)}
    (base / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")

    lex_dir = base / "index-lexical"
    shutil.rmtree(lex_dir, ignore_errors=True)
    rep = api.build(lex_dir, sources, use_model=False)
    r.update(docs=rep.indexed, lex_build_s=rep.seconds, skipped=len(rep.skipped))
    print(f"[{name}] lexical build: {rep.indexed} docs, {rep.seconds:.1f} s, {len(rep.skipped)} skipped  "
          f"load {_load()}", flush=True)
    engine = api.Engine(lex_dir)
    r["lex_size"] = _du(engine.snapshot.folder)
    r["fts_build_s"] = fts_build(base / "fts5.sqlite", engine.snapshot)
    r["fts_size"] = (base / "fts5.sqlite").stat().st_size
    r.update(_lexical_latency(engine, base / "fts5.sqlite", queries, args.reps))
    print(f"[{name}] lexical first pass p50/p95 {r['kf_lex_first'][0]:.1f}/{r['kf_lex_first'][1]:.1f} ms, FTS5 "
          f"{r['fts_first'][0]:.1f}/{r['fts_first'][1]:.1f} ms; repeated {r['kf_lex'][0]:.1f}/{r['kf_lex'][1]:.1f}"
          f" ms, FTS5 {r['fts'][0]:.1f}/{r['fts'][1]:.1f} ms  load {_load()}", flush=True)
    if args.profile:
        _profile(engine, queries, base / "profile-lexical.txt", mode=SearchMode.LEXICAL)
    snap_for_sample = engine.snapshot
    emb = embed_sample(embedder, snap_for_sample, args.embed_sample, args.seed) if embedder else None
    engine.close()

    _touch_docs(sources, CHANGED, args.seed)
    rep = api.build(lex_dir, sources, use_model=False)
    r["lex_incr_s"] = rep.seconds
    print(f"[{name}] lexical incremental: {rep.indexed} reparsed, {rep.seconds:.1f} s", flush=True)
    if args.profile:
        _touch_docs(sources, CHANGED, args.seed + 1)
        _profile_build(lex_dir, sources, base / "profile-incremental.txt")

    if emb is None:
        return r
    r["embed"] = {k: v for k, v in emb.items() if k != "known"}
    print(f"[{name}] embedding sample: {emb['chunks']} chunks of {emb['docs']} docs in {emb['seconds']:.1f} s "
          f"= {emb['chunks_s']:.1f} chunks/s; corpus has {emb['total_chunks']} chunks  load {_load()}", flush=True)

    hyb_dir = base / "index-hybrid"
    shutil.rmtree(hyb_dir, ignore_errors=True)
    sampled = SampledEmbedder(embedder, emb["known"], args.seed)
    rep = _build.build(hyb_dir, sources, embedder=sampled)
    r["hyb_build_s"] = rep.seconds
    r["hyb_real"] = sampled.real_hits
    engine = api.Engine(hyb_dir)
    assert engine.attach_embedder(embedder), engine.model_error
    r["hyb_size"] = _du(engine.snapshot.folder)
    r["chunks"] = int(engine.snapshot.vectors()[1].shape[0])
    r.update(_hybrid_latency(engine, embedder, queries, args.reps))
    print(f"[{name}] hybrid index {r['chunks']} chunks ({sampled.real_hits} real) built in {rep.seconds:.1f} s; "
          f"hybrid p50/p95 {r['hyb'][0]:.1f}/{r['hyb'][1]:.1f} ms (query embedding alone "
          f"{r['qemb'][0]:.1f}/{r['qemb'][1]:.1f})  load {_load()}", flush=True)
    _print_dense(name, r)
    if args.profile:
        _profile(engine, queries, base / "profile-hybrid.txt", mode=SearchMode.HYBRID)
    engine.close()

    _touch_docs(sources, CHANGED, args.seed + 2)
    rep = _build.build(hyb_dir, sources, embedder=embedder)
    r["hyb_incr_s"], r["hyb_incr_docs"] = rep.seconds, rep.indexed
    print(f"[{name}] hybrid incremental (real embedding): {rep.indexed} docs, {rep.seconds:.1f} s", flush=True)

    (base / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    return _rss_probe(name, hyb_dir, base / "queries.json", r)


def _hybrid_latency(engine, embedder, queries: list[str], reps: int) -> dict:
    """Hybrid p50/p95 over ``reps`` passes after a warm pass, the query embedding alone, and dense scoring
    alone (the query's product with every chunk), each with the int8 chunk matrix the app uses (its best 512
    scores made exact from the stored rows) and with the float32 product it replaced
    (``bench.app_memory.Float32Product``, no rescoring), interleaved per query."""
    from bench.app_memory import Float32Product
    from index.search import dense
    from index.search import searcher as searcher_module

    def as_is(scores, *_args, **_kwargs):
        return scores

    searcher = engine._searcher
    read_rows = engine.snapshot.vector_rows
    int8 = searcher.chunk_matrix()
    float32 = Float32Product(engine.snapshot.vectors()[0])
    for q in queries:
        engine.search(q, top=TOP, mode=SearchMode.HYBRID)
    vectors = embedder.encode_queries(queries)
    t: dict[str, list[float]] = {k: [] for k in ("hyb", "hyb_f32", "qemb", "dense", "dense_f32")}

    def timed(key: str, fn, *a, **kw) -> None:
        start = time.perf_counter()
        fn(*a, **kw)
        t[key].append(time.perf_counter() - start)

    for rep in range(reps):
        for i, q in enumerate(queries):
            order = (("hyb", int8), ("hyb_f32", float32))
            for key, matrix in order if (i + rep) % 2 == 0 else order[::-1]:  # alternate which goes first
                searcher._matrix = matrix
                searcher_module.exact_top = dense.exact_top if matrix is int8 else as_is
                timed(key, engine.search, q, top=TOP, mode=SearchMode.HYBRID)
            searcher._matrix, searcher_module.exact_top = int8, dense.exact_top
            timed("qemb", embedder.encode_queries, [q])
            timed("dense", lambda v: dense.exact_top(int8.scores(v), v, read_rows), vectors[i])
            timed("dense_f32", float32.scores, vectors[i])
    return {k: _pct(v) for k, v in t.items()}


def run_latency_only(name: str, args, embedder) -> dict:
    """Latency again (lexical vs FTS5, hybrid) and peak RSS on the indexes an earlier full run left in
    bench/out/scale/<corpus>/ — no rebuild, for re-measuring after a search-side change."""
    base = SCALE / name
    queries = json.loads((base / "queries.json").read_text(encoding="utf-8"))
    print(f"\n=== {name} (latency only) ===  load {_load()}", flush=True)
    engine = api.Engine(base / "index-hybrid")
    assert engine.attach_embedder(embedder), engine.model_error
    r: dict = {"name": name, "docs": len(engine.snapshot.docs), "queries": len(queries)}
    r.update(_lexical_latency(engine, base / "fts5.sqlite", queries, args.reps))
    r.update(_hybrid_latency(engine, embedder, queries, args.reps))
    engine.close()
    def ms(key: str) -> str:
        return f"{r[key][0]:.1f}/{r[key][1]:.1f} ms"

    print(f"[{name}] lexical first pass {ms('kf_lex_first')}, FTS5 {ms('fts_first')}; repeated {ms('kf_lex')}, "
          f"FTS5 {ms('fts')}; hybrid {ms('hyb')}, query embedding alone {ms('qemb')}  load {_load()}", flush=True)
    _print_dense(name, r)
    return _rss_probe(name, base / "index-hybrid", base / "queries.json", r)


def _print_dense(name: str, r: dict) -> None:
    def ms(key: str) -> str:
        return f"{r[key][0]:.1f}/{r[key][1]:.1f} ms"

    print(f"[{name}] int8 chunk matrix vs float32 product (p50/p95): hybrid {ms('hyb')} vs {ms('hyb_f32')}; "
          f"dense scoring alone {ms('dense')} vs {ms('dense_f32')}", flush=True)


def _rss_probe(name: str, hyb_dir: Path, qfile: Path, r: dict) -> dict:
    """Peak RSS of a fresh process that opens the index, loads the model and runs the queries hybrid."""
    out = subprocess.run([sys.executable, "-m", "bench.scale", "--rss-probe", str(hyb_dir), str(qfile)],
                         cwd=REPO, capture_output=True, text=True, check=True)
    r.update(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"[{name}] peak RSS (index open, model loaded, all queries hybrid): {r['rss_mb']:.0f} MB; current RSS "
          f"after open {r['opened_mb']:.0f}, after model load {r['loaded_mb']:.0f}, after queries "
          f"{r['after_mb']:.0f} MB", flush=True)
    return r


def _profile(engine, queries, out: Path, *, mode: str) -> None:
    from pyinstrument import Profiler

    prof = Profiler(interval=0.0005)
    prof.start()
    for q in queries:
        engine.search(q, top=TOP, mode=mode)
    prof.stop()
    out.write_text(prof.output_text(unicode=True, show_all=False), encoding="utf-8")
    print(f"  profile → {out}")


def _profile_build(index: Path, sources, out: Path) -> None:
    from pyinstrument import Profiler

    prof = Profiler(interval=0.002)
    prof.start()
    api.build(index, sources, use_model=False)
    prof.stop()
    out.write_text(prof.output_text(unicode=True, show_all=False), encoding="utf-8")
    print(f"  profile → {out}")


def report(results: list[dict]) -> None:
    print(f"\n{time.strftime('%Y-%m-%d')} · {machine()} · load {_load()}")
    rows = []
    for r in results:
        for label, kf, fts in (("first", "kf_lex_first", "fts_first"), ("repeated", "kf_lex", "fts")):
            if kf not in r:
                continue
            rows.append([r["name"], label, r["docs"], f"{r[kf][0]:.1f} / {r[kf][1]:.1f}",
                         f"{r[fts][0]:.1f} / {r[fts][1]:.1f}",
                         f"{r[kf][0] / r[fts][0]:.2f}× / {r[kf][1] / r[fts][1]:.2f}×",
                         f"{r['hyb'][0]:.1f} / {r['hyb'][1]:.1f}" if "hyb" in r and label == "repeated" else "–"])
    print(table(["corpus", "pass", "docs", "KF lexical p50/p95 ms", "FTS5 p50/p95 ms", "ratio p50/p95",
                 "hybrid p50/p95 ms"],
                rows))
    rows = []
    for r in (r for r in results if "lex_build_s" in r):
        e = r.get("embed")
        embed_s = e["total_chunks"] / e["chunks_s"] if e else 0
        rows.append([r["name"], f"{r['lex_build_s']:.0f} s ({r['docs'] / r['lex_build_s']:.0f} docs/s)",
                     f"{e['chunks_s']:.1f} chunks/s on {e['chunks']}" if e else "–",
                     f"{e['total_chunks']} chunks → {embed_s / 60:.0f} min" if e else "–",
                     (f"{(r['lex_build_s'] + embed_s) / 60:.0f} min "
                      f"({r['docs'] / (r['lex_build_s'] + embed_s):.1f} docs/s)") if e else "–",
                     f"{r['fts_build_s']:.0f} s"])
    print(table(["corpus", "lexical build (measured)", "embedding (sample)", "embedding (extrapolated)",
                 "full build (est.)", "FTS5 build"], rows))
    rows = [[r["name"], f"{r['lex_incr_s']:.1f} s", f"{r['hyb_incr_s']:.1f} s" if "hyb_incr_s" in r else "–",
             f"{r['lex_size'] / 2**20:.0f} MB", f"{r['hyb_size'] / 2**20:.0f} MB" if "hyb_size" in r else "–",
             f"{r['fts_size'] / 2**20:.0f} MB", f"{r['rss_mb']:.0f} MB" if "rss_mb" in r else "–"]
            for r in results if "lex_incr_s" in r]
    print(table(["corpus", "50-doc update lexical", "50-doc update hybrid", "snapshot lexical", "snapshot hybrid",
                 "FTS5 db", "peak RSS"], rows))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="synthetic,liveqa-med")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--docs", type=int, default=17000, help="synthetic corpus size")
    ap.add_argument("--embed-sample", type=int, default=500, help="documents embedded to measure throughput")
    ap.add_argument("--reps", type=int, default=1, help="repeated timed passes after the first")
    ap.add_argument("--no-model", action="store_true", help="lexical and FTS5 only")
    ap.add_argument("--latency-only", action="store_true",
                    help="latency and RSS again on the indexes of an earlier full run (no rebuild)")
    ap.add_argument("--profile", action="store_true", help="pyinstrument profiles into bench/out/scale/<corpus>/")
    ap.add_argument("--rss-probe", nargs=2, metavar=("INDEX", "QUERIES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rss_probe:
        rss_probe(Path(args.rss_probe[0]), Path(args.rss_probe[1]))
        return
    SCALE.mkdir(parents=True, exist_ok=True)
    embedder = None
    if not args.no_model:
        from index.embed.model import load_embedder

        embedder = load_embedder()
    run_one = run_latency_only if args.latency_only else run
    results = [run_one(name, args, embedder) for name in args.corpora.split(",")]
    out = SCALE / f"results-{'latency-' if args.latency_only else ''}{args.corpora.replace(',', '+')}.json"
    out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    report(results)


if __name__ == "__main__":
    main()
