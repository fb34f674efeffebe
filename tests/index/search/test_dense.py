"""The int8 chunk matrix (index.search.dense): its scores against the float32 product it replaced, on the
test corpus's real vectors and on random ones, and its reading of a snapshot's vectors."""

from __future__ import annotations

import numpy as np
import pytest

from index.errors import IndexCorruptError
from index.search import dense
from index.search.dense import ChunkMatrix, exact_top
from index.store import snapshot
from index.store.snapshot import DOC_CHUNK_SECTION


def _unit_rows(n: int, dim: int, seed: int, *, common: float = 0.0) -> np.ndarray:
    """Random unit rows; ``common`` adds a shared direction, as e5's vectors have."""
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(n, dim)).astype(np.float32) + common * rng.normal(size=dim).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_stored_graph_is_the_one_onnx_builds():
    onnx = pytest.importorskip("onnx")  # a development dependency; the app ships the serialised bytes
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["q", "m", "zero"], ["scores"])], "chunk_scores",
        [helper.make_tensor_value_info("q", TensorProto.UINT8, [2, "dim"])],
        [helper.make_tensor_value_info("scores", TensorProto.INT32, [2, "chunks"])],
        initializer=[helper.make_tensor("zero", TensorProto.UINT8, [], [64]),
                     helper.make_tensor("m", TensorProto.INT8, [0, 0], [])])  # each matrix's codes replace it
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="kildefinner")
    model.ir_version = 8
    onnx.checker.check_model(model)
    assert model.SerializeToString() == dense._GRAPH


@pytest.mark.parametrize("common", [0.0, 3.0])
def test_scores_are_close_to_the_float32_product(common):
    matrix = _unit_rows(3000, 384, seed=1, common=common)
    queries = _unit_rows(20, 384, seed=2, common=common)
    chunks = ChunkMatrix.of(matrix.astype(np.float16))
    for q in queries:
        exact = matrix @ q
        approx = chunks.scores(q)
        assert approx.dtype == np.float32 and approx.shape == exact.shape
        assert np.abs(approx - exact).max() < 0.004
        # Clear winners stay winners: the top 10 by the float32 product are in the int8 top 20.
        assert set(np.argsort(-exact)[:10]) <= set(np.argsort(-approx)[:20])


def test_extreme_values_do_not_saturate():
    """Rows and a query with one dominant component: the products that would overflow 16-bit pair sums with
    8-bit query codes (on CPUs without VNNI) stay exact."""
    matrix = np.zeros((4, 64), np.float32)
    matrix[:, 0] = [1.0, -1.0, 0.5, 0.0]
    matrix[:, 1] = [0.0, 0.0, 0.5, 1.0]
    query = np.zeros(64, np.float32)
    query[:2] = [1.0, 1.0]
    assert np.allclose(ChunkMatrix.of(matrix).scores(query), matrix @ query, atol=0.01)


def test_empty_and_zero_matrices():
    assert ChunkMatrix.of(np.zeros((0, 8), np.float16)).scores(np.ones(8)).shape == (0,)
    assert np.array_equal(ChunkMatrix.of(np.zeros((3, 8), np.float32)).scores(np.ones(8)), np.zeros(3))
    assert np.array_equal(ChunkMatrix.of(np.ones((3, 8), np.float32)).scores(np.zeros(8)), np.zeros(3))


def test_blocks_that_do_not_fit_are_refused():
    rows = np.ones((10, 4), np.float32)
    with pytest.raises(ValueError, match="10 rows, expected 12"):
        ChunkMatrix.from_blocks(lambda: [rows], 12, 4)
    with pytest.raises(ValueError, match="do not fit"):
        ChunkMatrix.from_blocks(lambda: [rows], 8, 4)


def test_the_search_ranks_chunks_as_the_float32_product_does(hybrid_engine, embedder):
    """On the test corpus's real vectors (read from the snapshot in small blocks): every chunk's score within
    0.002 of the float32 product, and each query's best document and best section the same."""
    snap = hybrid_engine.snapshot
    stored, table = snap.vectors()
    assert stored.dtype == np.float16  # the snapshot format is unchanged
    exact_matrix = stored.astype(np.float32)
    chunks = ChunkMatrix.from_blocks(lambda: snap.vector_blocks(7), len(table), stored.shape[1])
    for text in ("blodtrykksmåling", "skifte av perifert venekateter", "smertelindring etter operasjon",
                 "hand hygiene before patient contact"):
        q = embedder.encode_queries([text])[0]
        exact, approx = exact_matrix @ q, chunks.scores(q)
        assert np.abs(approx - exact).max() < 0.002
        assert table[np.argmax(approx), 0] == table[np.argmax(exact), 0]
        doc_rows = table[:, 0] == table[np.argmax(exact), 0]
        sections = doc_rows & (table[:, 1] != DOC_CHUNK_SECTION)
        if sections.any():
            best = np.flatnonzero(sections)
            assert best[np.argmax(approx[best])] == best[np.argmax(exact[best])]


def test_vector_blocks_read_back_the_stored_matrix(hybrid_index):
    snap = snapshot.Snapshot(snapshot.current_dir(hybrid_index))
    try:
        whole = np.load(snap.folder / "vectors.npy")
        blocks = list(snap.vector_blocks(5))
        assert [len(b) for b in blocks[:-1]] == [5] * (len(blocks) - 1)
        assert np.array_equal(np.concatenate(blocks), whole)
        assert np.array_equal(snap.chunk_table(), np.load(snap.folder / "chunks.npy"))
    finally:
        snap.close()


def test_exact_top_recomputes_the_best_scores_from_the_stored_rows():
    matrix = _unit_rows(2000, 64, seed=3, common=2.0)
    query = _unit_rows(1, 64, seed=4, common=2.0)[0]
    exact = matrix @ query
    asked = []

    def read_rows(rows):
        asked.append(rows)
        return matrix[rows].astype(np.float16)

    scores = exact_top(ChunkMatrix.of(matrix).scores(query), query, read_rows, top=50)
    assert len(asked) == 1 and len(asked[0]) == 50 and np.all(np.diff(asked[0]) > 0)  # sorted, once
    best = np.argsort(-exact)[:20]
    assert np.allclose(scores[best], exact[best], atol=1e-3)  # float16 storage, exact arithmetic
    assert list(np.argsort(-scores)[:20]) == list(best)
    small = exact_top(np.zeros(3, np.float32), query, lambda rows: matrix[rows], top=50)
    assert np.allclose(small, exact[:3])


def test_vector_rows_read_the_stored_rows(hybrid_index):
    snap = snapshot.Snapshot(snapshot.current_dir(hybrid_index))
    try:
        whole = np.load(snap.folder / "vectors.npy")
        rows = np.array([0, 3, len(whole) - 1])
        assert np.array_equal(snap.vector_rows(rows), whole[rows])
        assert np.array_equal(snap.vector_rows(rows[::-1]), whole[rows[::-1]])  # any order
        assert snap.vector_rows(np.array([], np.int64)).shape == (0, whole.shape[1])
        for outside in (len(whole), -1):
            with pytest.raises(IndexCorruptError, match="vector file damaged"):
                snap.vector_rows(np.array([0, outside]))
    finally:
        snap.close()
