"""The demo index: where it lives, when it is out of date, and the copy with vectors built ahead of time.

A first start used to embed the demo corpus itself (minutes on a slow PC before semantic search was ready).
Now ``make run``'s set-up and ``make dist`` build it once, with vectors, into ``resources/demo-index``
(``python -m app.demo``); the first start copies that folder into the user's cache (a second, not minutes).
The copy is used only when it was built from exactly these demo sources and the app uses the bundled model;
otherwise the app falls back to building the demo index itself.

This module has no Qt import: ``python -m app.demo`` runs at build time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import sys
from pathlib import Path

import platformdirs

from app.config import APP_NAME
from index import api

log = logging.getLogger(__name__)

DEMO_STAMP = "demo-sources.json"
PREBUILT = "demo-index"
PREBUILT_MARKER = "prebuilt-with-the-bundled-model"  # portable: the bundle's model path differs from the checkout's


def demo_index_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo-index"


def prebuilt_dir() -> Path:
    return api.resources_dir() / PREBUILT


def demo_fingerprint(model_marker: str) -> str:
    """Content hash of the demo sources (and whether a model is there): a change means rebuild."""
    sources, manifest = api.demo_sources()
    digest = hashlib.sha256(model_marker.encode())
    files = [p for _, folder in sources if folder.is_dir() for p in sorted(folder.rglob("*")) if p.is_file()]
    for path in files + ([manifest] if manifest else []):
        digest.update(str(path.relative_to(api.resources_dir()).as_posix()).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / DEMO_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def model_hash() -> str:
    """The bundled ONNX graph's hash (``encoder.json``, no model load), "" without one: a prebuilt index made
    with another model or variant is stale (its vectors would not match, and search would be lexical)."""

    try:
        config = json.loads((api.default_model_dir() / "onnx" / "encoder.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(config.get("onnx_sha256", ""))


def prebuilt_is_current() -> bool:
    stamp = read_stamp(prebuilt_dir())
    return stamp.get("fingerprint") == demo_fingerprint(PREBUILT_MARKER) and stamp.get("model") == model_hash()


def install_prebuilt(target: Path, fingerprint: str) -> bool:
    """Copy the prebuilt demo index into ``target`` (replacing what is there); False if there is none."""
    source = prebuilt_dir()
    if not prebuilt_is_current():
        return False
    partial = target.with_name(target.name + ".copying")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    stamp = {**read_stamp(target), "fingerprint": fingerprint, "from": "prebuilt"}
    (target / DEMO_STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    log.info("demo index with vectors copied from %s", source)
    return True


def build_prebuilt(out: Path) -> None:
    """Build the demo index with vectors into ``out`` (replacing it) and stamp it with the sources' hash."""
    sources, manifest = api.demo_sources()
    tmp = out.with_name(out.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    api.build(tmp, sources, manifest=manifest, use_model=True)
    with api.Engine(tmp) as engine:
        built_with_model = engine.has_vectors
    if not built_with_model:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SystemExit("app.demo: the embedding model could not be loaded; run `make model` first")
    (tmp / DEMO_STAMP).write_text(json.dumps({"fingerprint": demo_fingerprint(PREBUILT_MARKER),
                                              "model": model_hash()}), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.demo",
                                description="Build the demo index with vectors once (make run / make dist).")
    p.add_argument("--out", type=Path, default=None, help="target folder (default: resources/demo-index)")
    args = p.parse_args(argv)
    out = args.out or prebuilt_dir()
    if args.out is None and prebuilt_is_current():
        print(f"{out} is up to date")
        return 0
    build_prebuilt(out)
    print(f"demo index with vectors written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
