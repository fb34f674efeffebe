"""The command line with hostile names and unlucky set-ups: escapes shown not run, `| head`, shares, full disks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from index import api
from tests.helpers.paths import REPO
from tests.helpers.processes import cli

ESC_NAME = "\x1b]0;pwned\x07\x1b[2Jrutine\x9b31m.md"  # retitles and clears a terminal if printed raw


def test_control_characters_in_file_names_and_titles_are_printed_escaped(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    body = "Mål blodtrykket på overarmen mens pasienten sitter i ro, og noter verdien i kurven. " * 5
    (src / "ok.md").write_text(f"# Blodtrykk \x1b[31mrødt\x1b[0m\n\n{body}\n", encoding="utf-8")
    (src / ESC_NAME).write_bytes(b"\x00\x01binary\x00" * 100)  # unreadable: reported as skipped
    ix = tmp_path / "ix"
    r = cli("build", "--index", ix, "--no-model", "--source", f"local={src}")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stderr and "\x9b" not in r.stderr and "\x07" not in r.stderr
    assert "\\x1b]0;pwned\\x07\\x1b[2Jrutine\\x9b31m.md" in r.stderr
    r = cli("search", "--index", ix, "--mode", "lexical", "blodtrykk")
    assert r.returncode == 0, r.stderr
    assert "Blodtrykk" in r.stdout and "\x1b" not in r.stdout


def test_a_closed_pipe_ends_quietly(tmp_path, corpus):
    _, sources = corpus
    ix = tmp_path / "ix"
    api.build(ix, sources, use_model=False)
    proc = subprocess.Popen([sys.executable, "-m", "index.cli", "search", "--index", str(ix), "--mode", "lexical",
                             "blodtrykk"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head` that already has what it wants
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err
    assert proc.returncode == 1


def test_search_on_a_published_share_suggests_sync(tmp_path, corpus):
    _, sources = corpus
    ix, share = tmp_path / "ix", tmp_path / "share"
    api.build(ix, sources, use_model=False)
    api.publish(ix, share)
    r = cli("search", "--index", share, "--mode", "lexical", "blodtrykk")
    assert r.returncode == 2
    assert "published share" in r.stderr and "kildefinner-index sync --from" in r.stderr


FULL_DISK_SYNC = """
import resource, signal, sys
sys.path.insert(0, sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
from index.cli.main import main
sys.exit(main(["sync", "--from", sys.argv[2], "--index", sys.argv[3]]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_sync_onto_a_full_local_disk_says_so_not_unreachable(tmp_path, corpus):
    _, sources = corpus
    ix, share, local = tmp_path / "ix", tmp_path / "share", tmp_path / "local"
    api.build(ix, sources, use_model=False)
    api.publish(ix, share)
    r = subprocess.run([sys.executable, "-c", FULL_DISK_SYNC, str(REPO), str(share), str(local)],
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 1, r.stderr
    assert r.stdout.startswith("local-failed:") and "local disk is full" in r.stdout, r.stdout
    assert "unreachable" not in r.stdout and "share is fine" in r.stdout
    assert not [p for p in local.rglob("*") if p.name.startswith(".building-")]
    r = cli("sync", "--from", share, "--index", local)  # with space again it works
    assert r.returncode == 0 and r.stdout.startswith("updated"), r.stdout + r.stderr
    assert json.loads((share / "PUBLISHED").read_text())["version"] in r.stdout
