"""The chunk matrix as dense search holds it: int8 codes with one scale per chunk, multiplied with the query
through onnxruntime's integer matrix product.

Why not float: the snapshot stores float16 (``vectors.npy``) and numpy has no fast float16 product, so search
used to keep a float32 copy beside it: 1.5 kB a chunk in all, 234 MB at 17k documents (103k chunks). The int8
codes are 384 bytes a chunk (39 MB at 17k) and MLAS (already in the app for the encoder) keeps one packed copy
of them for its integer product (+38 MB), made once when the matrix's session is; the product then costs less
than the float32 one did (bench/scale.py, dense scoring alone; docs/benchmarks.md).

Precision: each row, less the mean of all rows, is scaled to ±127 by its largest component; the query is
split into two 7-bit parts (its rounding and the rounding of what that left over), ~14 bits. Scores stay
within ~0.002 of the float32 product (tests/index/search/test_dense.py); the best 512 of each query are then
recomputed from the stored float16 rows (``exact_top``), so the top of the ranking is the float32 one: dense
and hybrid nDCG@10 unchanged on nursing-nb, NorQuAD and a LiveQA-Med subset (``python -m bench.memory
--quality``). 7-bit query codes, not 8: x86 CPUs without VNNI add pairs of uint8 × int8 products in 16 bits,
which saturates above 2 × 127 × 127 (a full uint8 range gave errors of 0.03).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

EXACT_TOP = 512  # the best scores of a query made exact from the stored rows (``exact_top``)
BLOCK_ROWS = 8192  # rows converted at a time while building: ~19 MB of float buffers, not a float32 copy
_ZERO = 64  # the query codes' zero point: codes 1..127 (see the module docstring)
# The one-node graph MatMulInteger(q uint8 [2, dim], m int8 [dim, chunks], zero point 64) → int32 [2, chunks],
# serialised: the app does not ship the ``onnx`` package that builds it (tests/index/search/test_dense.py does).
# ``m`` is an initializer (an empty placeholder here, each matrix's codes given to its session with
# ``add_initializer``): a constant right-hand side is packed for MLAS once, when the session is made, and not at
# every query as a graph input is (at 103k chunks 6.9 against 12.2 ms a product; the packed copy is +38 MB).
_GRAPH = (b'\x08\x08\x12\x0bkildefinner:\x83\x01\n#\n\x01q\n\x01m\n\x04zero\x12\x06scores"\rMatMulInteger\x12\x0c'
          b'chunk_scores*\x0b\x10\x02*\x01@B\x04zero*\t\x08\x00\x08\x00\x10\x03B\x01mZ\x16\n\x01q\x12\x11\n\x0f\x08\x02'
          b'\x12\x0b\n\x02\x08\x02\n\x05\x12\x03dimb\x1e\n\x06scores\x12\x14\n\x12\x08\x06\x12\x0e\n\x02\x08\x02\n\x08'
          b'\x12\x06chunksB\x04\n\x00\x10\r')


class ChunkMatrix:
    """``scores(query)`` ≈ ``matrix @ query`` for the float matrix it was built from."""

    def __init__(self, codes_t: np.ndarray, scales: np.ndarray, center: np.ndarray):
        """``codes_t``: int8 [dim, chunks] (transposed: the product's right-hand side), ``scales``: float32
        [chunks], ``center``: float32 [dim], the rows' mean, which the codes are relative to."""
        self.codes_t = np.ascontiguousarray(codes_t, dtype=np.int8)
        self.scales = np.ascontiguousarray(scales, dtype=np.float32)
        self.center = np.ascontiguousarray(center, dtype=np.float32)
        self._session: Any = None  # onnxruntime.InferenceSession holding the packed codes, made on first use
        self._session_lock = threading.Lock()
        self._codes_value: Any = None  # onnxruntime.OrtValue over ``codes_t``, which the session reads

    def __len__(self) -> int:
        return int(self.codes_t.shape[1])

    @classmethod
    def from_blocks(cls, blocks: Callable[[], Iterable[np.ndarray]], rows: int, dim: int) -> ChunkMatrix:
        """Quantise a matrix that ``blocks()`` hands over in consecutive row blocks (any float dtype), without
        ever holding a float copy of the whole. Read twice: once for the mean, once for the codes.

        Relative to the mean: e5's vectors share a large common direction (the mean of NorQuAD's chunk vectors
        has length 0.89), so what is left of each row is half as large and its rounding error half as large;
        the query's product with the mean is added back exactly."""
        total = np.zeros(dim, np.float64)
        for block in blocks():
            total += np.asarray(block, dtype=np.float32).sum(axis=0, dtype=np.float64)
        center = (total / max(rows, 1)).astype(np.float32)
        codes_t = np.empty((dim, rows), np.int8)
        scales = np.empty(rows, np.float32)
        start = 0
        for block in blocks():
            rest = np.asarray(block, dtype=np.float32) - center
            end = start + len(rest)
            if end > rows or rest.shape[1:] != (dim,):
                raise ValueError(f"blocks do not fit a {rows} × {dim} matrix")
            peak = np.abs(rest).max(axis=1, initial=0.0)
            scale = np.where(peak > 0, peak / 127, 1.0).astype(np.float32)
            codes_t[:, start:end] = np.rint(rest / scale[:, None]).astype(np.int8).T
            scales[start:end] = scale
            start = end
        if start != rows:
            raise ValueError(f"blocks hold {start} rows, expected {rows}")
        return cls(codes_t, scales, center)

    @classmethod
    def of(cls, matrix: np.ndarray) -> ChunkMatrix:
        rows, dim = matrix.shape
        return cls.from_blocks(lambda: (matrix[i:i + BLOCK_ROWS] for i in range(0, rows, BLOCK_ROWS)), rows, dim)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """float32 [chunks]: the query's dot product with every chunk."""
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if len(self) == 0:
            return np.zeros(0, np.float32)
        codes, steps = _query_codes(query)
        # int32 [2, chunks]; |values| ≤ 63 · 127 · dim < 2²⁴, exact in float32
        out = self._product().run(None, {"q": codes})[0].astype(np.float32)
        scores: np.ndarray = out[0]
        scores *= np.float32(steps[0])
        if steps[1]:
            scores += out[1] * np.float32(steps[1])
        scores *= self.scales
        scores += np.float32(self.center @ query)
        return scores

    def _product(self) -> Any:
        with self._session_lock:
            if self._session is None:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = 2
                options.inter_op_num_threads = 1
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as index.embed.onnx
                options.enable_cpu_mem_arena = False  # an arena keeps the per-call buffers (+29 MB at 103k chunks)
                options.log_severity_level = 3  # the placeholder's shape differs from the output's, by design
                # The session refers to this value (and it to the codes' buffer): both must live as long as it.
                self._codes_value = ort.OrtValue.ortvalue_from_numpy(self.codes_t)
                options.add_initializer("m", self._codes_value)
                self._session = ort.InferenceSession(_GRAPH, options, providers=["CPUExecutionProvider"])
            return self._session


def exact_top(scores: np.ndarray, query: np.ndarray, read_rows: Callable[[np.ndarray], np.ndarray],
              top: int = EXACT_TOP) -> np.ndarray:
    """``scores`` with its ``top`` best recomputed from the stored rows (``read_rows(sorted row numbers)``), in
    place. The int8 error (~0.0001 typical, 0.002 at most) is below e5's gaps between good documents but not
    always between the very best: LiveQA-Med dense nDCG@10 moved by −0.005 on 25 questions without this. The
    rows a query reads are a few hundred kB (~1 ms); which rows deserve it is decided by the int8 scores, whose
    error is far smaller than the distance from the top 512 chunks to the rest."""
    query = np.asarray(query, dtype=np.float32).reshape(-1)
    rows = (np.arange(len(scores)) if len(scores) <= top
            else np.sort(np.argpartition(scores, len(scores) - top)[-top:]))
    if len(rows):
        scores[rows] = np.asarray(read_rows(rows), dtype=np.float32) @ query
    return scores


def _query_codes(query: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """uint8 [2, dim] around ``_ZERO`` and their steps: query ≈ step₀·(codes₀ − 64) + step₁·(codes₁ − 64)."""
    codes = np.full((2, query.shape[0]), _ZERO, np.uint8)
    steps = [0.0, 0.0]
    rest = query
    for i in range(2):
        peak = float(np.abs(rest).max(initial=0.0))
        if peak == 0.0:
            break
        steps[i] = peak / (127 - _ZERO)
        ints = np.rint(rest / steps[i])
        codes[i] = (ints + _ZERO).astype(np.uint8)
        rest = rest - ints * steps[i]
    return codes, (steps[0], steps[1])
