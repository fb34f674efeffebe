"""Small helpers on an exported ONNX graph shared by the variants' surgery (``index.embed.export``,
``index.embed.q4``). Build-time only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import onnx

WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


def table_gather(graph: onnx.GraphProto) -> tuple[onnx.NodeProto, onnx.TensorProto]:
    """The word-embedding table's initializer and the one Gather that reads it."""
    init = next((i for i in graph.initializer if i.name.endswith(WORD_EMBEDDINGS) or i.name == WORD_EMBEDDINGS),
                None)
    if init is None:  # named by the exporter after the parameter; find the big 2-D table instead
        init = max(graph.initializer, key=lambda i: int(np.prod(i.dims)) if len(i.dims) == 2 else 0)
    gathers = [n for n in graph.node if n.op_type == "Gather" and n.input[0] == init.name]
    if len(gathers) != 1:
        raise ValueError(f"expected one Gather of the word-embedding table, found {len(gathers)}")
    return gathers[0], init


def onnx_float() -> int:
    from onnx import TensorProto

    return TensorProto.FLOAT
