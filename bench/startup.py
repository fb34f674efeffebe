"""Start-up of the packaged (frozen) app against the unfrozen one: window, first lexical result, semantic ready.

    python -m bench.startup [--runs 5] [--frozen dist/kildefinner/kildefinner] [--unfrozen .venv/bin/kildefinner]

Each variant gets its own scratch home (config, cache, logs), one warm-up run (the first start, which builds
the demo index; reported separately) and then ``--runs`` measured starts. Times are wall clock from spawning
the process, read off the self-test's output lines as they appear (through a pty, so nothing is buffered):

    window     ``--measure-startup``: process start → main window shown (then it exits)
    index      ``--self-test``: → "index open" (demo index opened)
    lexical    → the first lexical result printed
    semantic   → "model ready" (embedding model loaded, hybrid search on)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pty
import select
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

MARKERS = {"index": "index open after", "lexical": "[lexical]", "semantic": "model ready after"}


def env_for(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "XDG_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    return env


def timed_lines(cmd: list[str], env: dict, timeout: float = 900) -> tuple[int, dict[str, float], float]:
    """Run ``cmd`` on a pty; return (exit code, {marker: seconds}, total seconds)."""
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    seen: dict[str, float] = {}
    buf = b""
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            now = time.perf_counter() - start
            text = buf.decode("utf-8", "replace")
            for name, marker in MARKERS.items():
                if name not in seen and marker in text:
                    seen[name] = now
            if "window shown after" in text and "window" not in seen:
                seen["window"] = now
        elif proc.poll() is not None:
            break
        if time.perf_counter() - start > timeout:
            proc.kill()
            break
    code = proc.wait()
    os.close(master)
    return code, seen, time.perf_counter() - start


def warm_up(exe: str, env: dict, home: Path, timeout: float = 3600) -> float:
    """First start: run the app (not the self-test, whose model timeout a busy machine can exceed) until the
    demo index has its vectors; returns the seconds that took."""
    index = home / ".cache" / "kildefinner" / "demo-index"
    start = time.perf_counter()
    proc = subprocess.Popen([exe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while time.perf_counter() - start < timeout and proc.poll() is None:
            time.sleep(2)
            try:
                snap = (index / "CURRENT").read_text(encoding="utf-8").strip()
                manifest = json.loads((index / "snapshots" / snap / "manifest.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if manifest.get("model") and (index / "demo-sources.json").is_file():
                time.sleep(5)  # let it write the stamp and attach the model
                return time.perf_counter() - start
        raise SystemExit(f"{exe}: the demo index got no vectors within {timeout:.0f} s")
    finally:
        proc.terminate()
        proc.wait()


def measure(label: str, exe: str, runs: int) -> dict:
    home = Path(tempfile.mkdtemp(prefix=f"kf-startup-{label}-"))
    env = env_for(home)
    try:
        first_total = warm_up(exe, env, home)
        print(f"{label}: first start (builds the demo index with vectors) {first_total:.0f} s", flush=True)
        rows: dict[str, list[float]] = {k: [] for k in ("window", *MARKERS)}
        for _ in range(runs):
            _, seen, _ = timed_lines([exe, "--measure-startup"], env)
            rows["window"].append(seen.get("window", float("nan")))
            code, seen, _ = timed_lines([exe, "--self-test"], env)
            print(f"{label}: run {seen}", flush=True)
            if code != 0:
                raise SystemExit(f"{label}: --self-test failed (exit {code})")
            for name in MARKERS:
                rows[name].append(seen.get(name, float("nan")))
        return {"first_run_s": first_total, "rows": rows}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--frozen", default="dist/kildefinner/kildefinner")
    p.add_argument("--unfrozen", default=".venv/bin/kildefinner")
    args = p.parse_args(argv)
    results = {label: measure(label, exe, args.runs)
               for label, exe in (("frozen", args.frozen), ("unfrozen", args.unfrozen)) if exe}
    print(f"\n{args.runs} starts each, p50 (min–max) seconds from process spawn; demo index already built\n")
    print("| variant | window shown | index open | first lexical result | semantic ready | first run (build demo) |")
    print("|---|---|---|---|---|---|")
    for label, r in results.items():
        cells = []
        for name in ("window", "index", "lexical", "semantic"):
            vals = [v for v in r["rows"][name] if not math.isnan(v)]
            cells.append(f"{statistics.median(vals):.2f} ({min(vals):.2f}–{max(vals):.2f})" if vals else "–")
        print(f"| {label} | " + " | ".join(cells) + f" | {r['first_run_s']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
