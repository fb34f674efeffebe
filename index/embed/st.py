"""The reference encoder: the sentence-transformers folder through sentence-transformers (torch).

Not on the app's path. It is the model pipeline's reference (provisioning verifies the ONNX vectors against
it; bench/embedding.py scores every ONNX variant against it) and the optional ``--encoder sentence-transformers``
for central builds on a bigger machine (a GPU is used when torch sees one). Same interface as
``index.embed.onnx.OnnxEmbedder``: ``name``, ``dim``, ``record``, ``encode_queries``, ``encode_passages``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

QUERY_THREADS = 1
BUILD_THREADS = max(1, min(4, os.cpu_count() or 1))
PASSAGE_BATCH = 16


class StEmbedder:
    """A loaded sentence-transformers model; vectors are float32, L2-normalised."""

    backend = "sentence-transformers"
    variant = "sentence-transformers"

    def __init__(self, path: str | Path):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        path = Path(path)
        if not (path / "modules.json").is_file():
            raise FileNotFoundError(f"not a sentence-transformers model folder (no modules.json): {path}")
        import torch
        from sentence_transformers import SentenceTransformer

        from index.embed.export import file_sha256

        self._torch = torch
        device = "cuda" if torch.cuda.is_available() else "cpu"
        self._st = SentenceTransformer(str(path), device=device, local_files_only=True,
                                       model_kwargs={"dtype": torch.float32})
        self.path = path
        # The folder name identifies the model; a package's generic "model" folder is named by its package.
        self.name = path.name if path.name.lower() != "model" else path.parent.name
        get_dim = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            raise ValueError(f"{path}: the model does not state its embedding dimension")
        self.dim = int(dim)
        weights = path / "model.safetensors"
        self.file_hash = file_sha256(weights) if weights.is_file() else ""
        prompts = getattr(self._st, "prompts", None) or {}
        self._query_prompt = "query" if prompts.get("query") else None
        self._passage_prompt = "passage" if prompts.get("passage") else None

    def __repr__(self) -> str:
        return f"StEmbedder(name={self.name!r}, dim={self.dim}, path='{self.path}')"

    @property
    def record(self) -> dict:
        return {"name": self.name, "variant": self.variant, "sha256": self.file_hash, "dim": self.dim,
                "pooling": "mean"}

    @property
    def tokenizer(self) -> Any:  # a transformers tokenizer
        return self._st.tokenizer

    def _encode(self, texts: str | list[str], prompt_name: str | None, batch_size: int, threads: int) -> np.ndarray:
        texts = [texts] if isinstance(texts, str) else list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        if self._torch.get_num_threads() != threads:
            self._torch.set_num_threads(threads)
        vecs = self._st.encode(texts, prompt_name=prompt_name or None, batch_size=batch_size, convert_to_numpy=True,
                               normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, batch_size=32, threads=QUERY_THREADS)

    def encode_passages(self, texts: list[str], batch_size: int = PASSAGE_BATCH) -> np.ndarray:
        # sentence-transformers sorts a call's texts by length and pads per batch itself.
        return self._encode(texts, self._passage_prompt, batch_size=batch_size, threads=BUILD_THREADS)
