"""Loading a sentence-transformers model without its word-embedding table in memory.

The e5 vocabulary has 250 037 pieces: its word-embedding table is 384 MB as float32, most of the model, yet
a query looks up a dozen of its rows. The plain load upcasts the whole float16 file into float32 copies in
memory. The lean load computes in float32 all the same, but leaves the table in the weights file and reads
the rows a batch needs from it (``_TableRows``), then upcasts them; the other weights (86 MB) are float32 in
memory as before. float16 -> float32 is exact, so the vectors are bit-identical. The rows are read, not
memory-mapped: a mapping's touched pages count in RSS (the kernel maps a neighbourhood around each: +46 MB
after 100 queries) and would creep towards the whole table over a long session; read rows stay in the OS
page cache, outside the process.

``index.model`` uses this for every load it can (``word_embedding_entry`` says whether the layout allows it)
and falls back to the plain sentence-transformers load otherwise.
"""

from __future__ import annotations

import json
import logging
import struct
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_SAFETENSORS_DTYPES = {"F16": "float16", "BF16": "bfloat16", "F32": "float32"}


@dataclass(frozen=True)
class TableEntry:
    """Where the word-embedding table lies in a safetensors file."""

    file: Path
    key: str
    dtype: str          # torch dtype name, also the storage dtype of every floating tensor in the file
    shape: tuple[int, int]
    offset: int         # of the first byte, from the start of the file
    nbytes: int


def word_embedding_entry(weights: Path) -> TableEntry | None:
    """The table's place in ``weights`` (a single safetensors file), or None if the lean load does not apply."""
    try:
        with open(weights, "rb") as fh:
            header_len = struct.unpack("<Q", fh.read(8))[0]
            if header_len > 100_000_000:  # the format's own limit; anything bigger is not a safetensors file
                return None
            header = json.loads(fh.read(header_len))
        header.pop("__metadata__", None)
        tables = [k for k, v in header.items() if k.endswith("word_embeddings.weight") and len(v["shape"]) == 2]
        floats = {v["dtype"] for v in header.values() if v["dtype"].startswith(("F", "BF"))}
        # Loading in the file's own dtype must not round anything: one floating dtype, and one we know.
        if len(tables) != 1 or len(floats) != 1 or next(iter(floats)) not in _SAFETENSORS_DTYPES:
            return None
        entry = header[tables[0]]
        start, end = entry["data_offsets"]
        return TableEntry(file=weights, key=tables[0], dtype=_SAFETENSORS_DTYPES[entry["dtype"]],
                           shape=tuple(entry["shape"]), offset=8 + header_len + start, nbytes=end - start)
    except (OSError, ValueError, struct.error, AttributeError, KeyError, TypeError):
        return None  # unreadable or not the layout we expect: the plain load will say what is wrong


def lean_load(path: Path, table: TableEntry):
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import PreTrainedModel

    # Loaded in the file's dtype, transformers maps the weights rather than converting them: no full-size
    # float32 copy of the table ever exists, not even during the load.
    st_model = SentenceTransformer(str(path), device="cpu", local_files_only=True,
                                   model_kwargs={"dtype": getattr(torch, table.dtype)})
    hf_model = next(m for m in st_model.modules() if isinstance(m, PreTrainedModel))
    loaded = hf_model.get_input_embeddings()
    stored = _TableRows(table)
    probe = torch.linspace(0, table.shape[0] - 1, 16).long()
    if tuple(loaded.weight.shape) == table.shape and torch.equal(loaded.weight[probe], stored.rows(probe)):
        hf_model.set_input_embeddings(_stored_embedding(stored, padding_idx=loaded.padding_idx))
    else:  # not the table we think it is: keep the loaded one (upcast below like the rest)
        stored.close()
        log.warning("%s: %s does not match the loaded word embeddings; keeping them in memory", path, table.key)
    del loaded
    _drop_tokenizer_vocab_copy(st_model.tokenizer)   # first, so the upcast can reuse the memory
    st_model.to(torch.float32)  # the plain load's compute dtype; the stored table is no parameter: untouched
    return st_model


class _TableRows:
    """Rows of the word-embedding table, read from the weights file on demand (thread-safe).

    The file stays open for the model's lifetime: if the model folder is replaced meanwhile, rows still come
    from the file the model was loaded from, never a mix of two models.
    """

    def __init__(self, table: TableEntry):
        self.table = table
        self._row_bytes = table.nbytes // table.shape[0]
        self._file = open(table.file, "rb", buffering=0)  # noqa: SIM115 - held open on purpose (see above)
        weakref.finalize(self, self._file.close)
        self._lock = threading.Lock()

    def rows(self, ids):
        """The rows ``ids`` (a 1-D integer tensor) in the file's dtype, as a new ``(len(ids), dim)`` tensor."""
        import torch

        ids = ids.tolist()
        if ids and not 0 <= min(ids) <= max(ids) < self.table.shape[0]:
            raise IndexError(f"token id out of range for a {self.table.shape[0]}-row embedding table")
        size = self._row_bytes
        buf = bytearray(len(ids) * size)
        view = memoryview(buf)
        with self._lock:
            for i, row in enumerate(ids):
                self._file.seek(self.table.offset + row * size)
                if self._file.readinto(view[i * size:(i + 1) * size]) != size:
                    raise OSError(f"{self.table.file}: short read in the word-embedding table")
        if not buf:
            return torch.zeros((0, self.table.shape[1]), dtype=getattr(torch, self.table.dtype))
        return torch.frombuffer(buf, dtype=getattr(torch, self.table.dtype)).view(len(ids), self.table.shape[1])

    def close(self) -> None:
        self._file.close()


def _stored_embedding(stored: _TableRows, *, padding_idx: int | None):
    """An ``nn.Embedding`` stand-in over ``stored`` that returns float32 rows (a ``torch.nn.Module``)."""
    import torch

    class StoredEmbedding(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.stored = stored
            self.num_embeddings, self.embedding_dim = stored.table.shape
            self.padding_idx = padding_idx

        def forward(self, input_ids):
            unique, inverse = torch.unique(input_ids, return_inverse=True)
            return self.stored.rows(unique).to(torch.float32)[inverse]

        def extra_repr(self) -> str:
            return (f"{self.num_embeddings}, {self.embedding_dim}, read from {self.stored.table.file.name} "
                    f"({self.stored.table.dtype})")

    return StoredEmbedding()


def _drop_tokenizer_vocab_copy(tokenizer) -> None:
    """Free the Python copy of the vocabulary that transformers' XLM-R tokenizer keeps after construction.

    ``XLMRobertaTokenizer.__init__`` builds its Rust tokenizer from a list of 250 002 (piece, score) tuples and
    keeps the list as ``_vocab`` (~64 MB); nothing reads it afterwards (transformers 5.23, pinned).
    """
    vocab = getattr(tokenizer, "_vocab", None)
    if isinstance(vocab, list) and len(vocab) > 1000:
        del tokenizer._vocab
