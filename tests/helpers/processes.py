"""Running the engine's command line as a real process, from the repository root (so this checkout's code runs)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.paths import REPO


def cli(*args: object, check: bool = False) -> subprocess.CompletedProcess:
    """``python -m index.cli ARGS``: its exit code, standard output and error as text."""
    return subprocess.run([sys.executable, "-m", "index.cli", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, check=check)
