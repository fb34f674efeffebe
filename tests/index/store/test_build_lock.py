"""One build at a time per index: a second one says which build runs; a killed build's lock is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from index import api
from index.errors import BuildRunningError
from index.store.lock import LOCK_NAME
from tests.helpers.paths import REPO

HOLDER = """
import sys
sys.path.insert(0, sys.argv[1])
from index.store.lock import BuildLock
with BuildLock(sys.argv[2]):
    print("held", flush=True)
    sys.stdin.read()
"""


def holder(index_dir: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(REPO), str(index_dir)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_stops_at_once_and_names_the_running_one(tmp_path, corpus):
    _, sources = corpus
    index_dir = tmp_path / "index"
    running = holder(index_dir)
    try:
        with pytest.raises(BuildRunningError, match=rf"already running \(pid {running.pid} on .+, started 20"):
            api.build(index_dir, sources, use_model=False)
        assert not (index_dir / "snapshots").exists()  # nothing was built, nothing half-written
    finally:
        running.stdin.close()
        running.wait(timeout=30)
    report = api.build(index_dir, sources, use_model=False)  # free again once the first one ends
    assert report.indexed > 0


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_the_lock_of_a_killed_build_is_taken_over(tmp_path, corpus):
    _, sources = corpus
    index_dir = tmp_path / "index"
    killed = holder(index_dir)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert str(killed.pid) in (index_dir / LOCK_NAME).read_text()  # its note is still there: a stale lock
    report = api.build(index_dir, sources, use_model=False)
    assert report.indexed > 0
    assert (index_dir / LOCK_NAME).read_text() == ""  # released cleanly after the build
