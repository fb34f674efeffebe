"""The runtime encoder: the provisioned ONNX graph through onnxruntime, text through ``tokenizers``.

This is what the app, the CLI's search and a ward PC's builds use. It never imports torch, transformers or
sentence-transformers (a test checks ``sys.modules``); the graph holds the whole model including mean pooling
and L2 normalisation, so a vector is ``session.run`` on the token ids and nothing else.

The folder (``<model>/onnx/``, written by ``index.embed.export``) holds ``model.onnx``, ``tokenizer.json`` and
``encoder.json`` (model name, variant, dimension, pooling, prompts, the graph's sha256).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Encoding

log = logging.getLogger(__name__)

# A query runs on two threads: on an idle 2-core machine that embeds a nursing-nb query in p50 13.9 / p95 19.9 ms
# against 23.4 / 33.9 on one thread (LiveQA-Med questions 19.4 / 29.4 against 33.6 / 49.1), and under load it was
# not slower either (docs/benchmarks.md, issue 14). Spinning stays off: it bought nothing measurable. More threads
# do not pay off for a few dozen tokens. Passage batches at build time are large enough to use more cores.
QUERY_THREADS = min(2, os.cpu_count() or 1)
BUILD_THREADS = max(1, min(4, os.cpu_count() or 1))
# Passages are sorted by length and cut into batches of at most this many tokens (padding included): short
# chunks share a batch, long ones go a few at a time, and nothing is padded to a long neighbour. Attention
# memory grows with batch × length²; 2048 tokens keep a batch's buffers at a few tens of MB.
BATCH_TOKENS = 2048
MAX_BATCH = 32


class OnnxEmbedder:
    """Vectors are float32, L2-normalised; ``encode_*`` are thread-safe (onnxruntime sessions are)."""

    backend = "onnx"

    def __init__(self, folder: str | Path):
        import onnxruntime  # noqa: F401 - fail here, with the folder named by the caller, if it is missing
        from tokenizers import Tokenizer

        self.path = Path(folder)
        self.config = json.loads((self.path / "encoder.json").read_text(encoding="utf-8"))
        self.name = self.config["model"]
        self.dim = int(self.config["dim"])
        self.variant = self.config["variant"]
        self.pooling = self.config["pooling"]
        self.file_hash = self.config["onnx_sha256"]
        prompts = self.config.get("prompts", {})
        self._query_prompt = prompts.get("query", "")
        self._passage_prompt = prompts.get("passage", "")
        self._tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(self.config["max_tokens"]))
        self._tokenizer.no_padding()
        self._pad_id = int(self.config.get("pad_token_id", 1))
        self._sessions: dict[int, Any] = {}  # onnxruntime.InferenceSession (untyped)
        self._lock = threading.Lock()
        self._session(QUERY_THREADS)  # load now: a broken graph fails the load, not the first search

    def __repr__(self) -> str:
        return f"OnnxEmbedder(name={self.name!r}, variant={self.variant!r}, dim={self.dim}, path='{self.path}')"

    @property
    def record(self) -> dict:
        """What a snapshot's manifest records about the vectors this encoder makes (``model_record``)."""
        return {"name": self.name, "variant": self.variant, "sha256": self.file_hash, "dim": self.dim,
                "pooling": self.pooling, "reference_sha256": self.config.get("reference_sha256", "")}

    def _session(self, threads: int) -> Any:
        """One session per thread count, made on first use: the app only ever makes the query session."""
        with self._lock:
            session = self._sessions.get(threads)
            if session is None:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = threads
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                # Busy-waiting worker threads steal the core the UI or another process needs.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                # The memory arena stays on: a query then reuses the buffers of the last one (wall p50 25 % lower
                # than allocating them anew, +2 MB RSS). Passage batches ask for the arena to be shrunk after
                # each run (``_shrink_arena``): otherwise it would keep the largest batch's buffers for the session's
                # lifetime (+900 MB after 32 passages of ~300 tokens, bench/memory.py).
                session = ort.InferenceSession(str(self.path / "model.onnx"), options,
                                               providers=["CPUExecutionProvider"])
                self._sessions[threads] = session
            return session

    def _run(self, encodings: list[Encoding], threads: int, *, shrink: bool = False) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, np.int64)
        mask = np.zeros((len(encodings), width), np.int64)
        for row, enc in enumerate(encodings):
            ids[row, :len(enc.ids)] = enc.ids
            mask[row, :len(enc.ids)] = 1
        out = self._session(threads).run(None, {"input_ids": ids, "attention_mask": mask},
                                         _shrink_arena() if shrink else None)[0]
        return np.asarray(out, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        texts = [texts] if isinstance(texts, str) else list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        encodings = self._tokenizer.encode_batch([self._query_prompt + t for t in texts])
        return np.vstack([self._run([e], QUERY_THREADS) for e in encodings])

    def encode_passages(self, texts: list[str], batch_tokens: int = BATCH_TOKENS) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([self._passage_prompt + t for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        start = 0
        while start < len(order):
            # Sorted ascending, so the batch's last member is its longest: grow while the padded size fits.
            end = start + 1
            while (end < len(order) and end - start < MAX_BATCH
                   and (end - start + 1) * len(encodings[order[end]].ids) <= batch_tokens):
                end += 1
            rows = order[start:end]
            out[rows] = self._run([encodings[i] for i in rows], BUILD_THREADS, shrink=True)
            start = end
        _trim_malloc()  # glibc keeps freed activation memory otherwise: a finished build would leave it held
        return out

    def token_count(self, text: str, *, query: bool) -> int:
        prompt = self._query_prompt if query else self._passage_prompt
        return len(self._tokenizer.encode(prompt + text).ids)


@functools.cache
def _shrink_arena() -> Any:
    """Run options that return the arena's unused memory when the run ends (onnxruntime.RunOptions)."""
    import onnxruntime as ort

    options = ort.RunOptions()
    options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return options


@functools.cache
def _malloc_trim() -> Callable[[int], object] | None:
    """glibc's ``malloc_trim``, or None (other platforms, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def _trim_malloc() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
