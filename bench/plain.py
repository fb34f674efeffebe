"""Plain references for retrieval quality, computed on the same corpus folder and queries as Kildefinner.

- **plain BM25F**: Whoosh, two fields (title, body), the corpus language's Snowball stemmer, the query's words
  OR-ed, Whoosh's BM25F with its defaults (B 0.75, K1 1.2), no field boosts;
- **plain e5**: the provisioned multilingual-e5-small through sentence-transformers, one vector per document
  (``passage: `` + title and text, its first 2 000 characters), cosine with ``query: `` + the question;
- **plain RRF**: reciprocal-rank fusion of the two (k = 60) over their top 100.

Nothing here is tuned: these are the anchors every quality figure is compared with (``bench/quality.py``).
Indexes and vectors are cached under ``bench/out/plain-*``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import yaml

from bench.common import OUT

DENSE_CHARS = 2000
RRF_K = 60
DEPTH = 100


def read_folder(folder: Path) -> list[tuple[str, str, str]]:
    """(doc_id, title, body) of every Markdown file with front matter in ``folder``."""
    out = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta, body = {}, text
        if text.startswith("---\n"):
            head, _, body = text[4:].partition("\n---\n")
            meta = yaml.safe_load(head) or {}
        out.append((str(meta.get("id", path.stem)), str(meta.get("title", "")), body))
    return out


def _key(docs: list[tuple[str, str, str]], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for d in docs:
        h.update("\0".join(d).encode())
    return h.hexdigest()[:16]


def bm25(docs: list[tuple[str, str, str]], queries: list[tuple[str, str]], language: str
         ) -> dict[str, list[tuple[str, float]]]:
    from whoosh import index as windex
    from whoosh import scoring
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup

    lang = "no" if language in ("nb", "nn") else "en"
    folder = OUT / f"plain-bm25-{_key(docs, lang)}"
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        analyzer = LanguageAnalyzer(lang)
        schema = Schema(doc_id=ID(stored=True), title=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer))
        ix = windex.create_in(folder, schema)
        with ix.writer(limitmb=256) as w:
            for doc_id, title, body in docs:
                w.add_document(doc_id=doc_id, title=title, body=body)
        (folder / ".complete").touch()
    ix = windex.open_dir(folder)
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
    out = {}
    with ix.searcher(weighting=scoring.BM25F()) as s:
        for qid, text in queries:
            q = parser.parse(" ".join(_plain_words(text)))
            out[qid] = [(hit["doc_id"], float(hit.score)) for hit in s.search(q, limit=DEPTH)]
    return out


def _plain_words(text: str) -> list[str]:
    """The query's words without query syntax (a question mark or a colon is not an operator here)."""
    import re

    return [w for w in re.findall(r"\w+", text) if w.upper() not in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")]


def e5(docs: list[tuple[str, str, str]], queries: list[tuple[str, str]], model_dir: Path
       ) -> dict[str, list[tuple[str, float]]]:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    cache = OUT / f"plain-e5-{_key(docs, str(model_dir))}.npy"
    if cache.exists():
        matrix = np.load(cache)
    else:
        texts = [f"{title}\n{body}"[:DENSE_CHARS] for _, title, body in docs]
        matrix = model.encode(texts, prompt="passage: ", batch_size=16, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
        np.save(cache, matrix)
    qv = model.encode([t for _, t in queries], prompt="query: ", batch_size=32, normalize_embeddings=True,
                      convert_to_numpy=True, show_progress_bar=False)
    ids = [d[0] for d in docs]
    out = {}
    for (qid, _), v in zip(queries, qv, strict=True):
        scores = matrix @ v
        top = np.argsort(-scores)[:DEPTH]
        out[qid] = [(ids[i], float(scores[i])) for i in top]
    return out


def rrf(*runs: dict[str, list[tuple[str, float]]], k: int = RRF_K) -> dict[str, list[tuple[str, float]]]:
    out = {}
    for qid in runs[0]:
        fused: dict[str, float] = {}
        for run in runs:
            for rank, (doc, _) in enumerate(run.get(qid, [])):
                fused[doc] = fused.get(doc, 0.0) + 1.0 / (k + rank + 1)
        out[qid] = sorted(fused.items(), key=lambda x: -x[1])[:DEPTH]
    return out
