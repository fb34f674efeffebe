"""The entry point as a user starts it: --self-test and --measure-startup in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_app(tmp_path, *args, timeout=300):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_DIRS"):
        env[var] = str(tmp_path / var.lower())
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, check=False,
                          text=True, timeout=timeout)


def test_self_test_exits_zero(tmp_path):
    # Lexical only: a first-run demo build with vectors takes minutes on a small CPU; the real model is
    # covered by test_session.py::test_hybrid_search_with_the_real_model.
    proc = run_app(tmp_path, "--self-test", "--lexical-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test passed" in proc.stdout
    assert "'PVK':" in proc.stdout and "var " in proc.stdout


def test_window_shows_without_torch(tmp_path):
    proc = run_app(tmp_path, "--measure-startup", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "window shown after" in proc.stdout
    assert "torch imported: False" in proc.stdout


@pytest.mark.parametrize("argv", [
    ["kildefinner:search?q=PVK", "--index", "/tmp/evil"],
    ["--model", "/tmp/evil", "kildefinner:doc/var-009"],
    ["kildefinner:search?q=x", "--new-instance"],
    ["--", "kildefinner:search?q=x", "--lang=en"],
])
def test_a_link_must_come_alone(argv):
    from app.main import parse_args

    with pytest.raises(SystemExit) as stop:
        parse_args(argv)
    assert "only argument" in str(stop.value.code)


def test_a_link_alone_is_accepted_even_if_it_looks_like_an_option():
    from app.main import parse_args

    args = parse_args(["kildefinner:search?q=--index /tmp"])
    assert args.url == "kildefinner:search?q=--index /tmp" and args.index is None
    assert parse_args(["--index", "/x", "--search", "PVK"]).index == "/x"


def test_app_help_describes_every_option():
    import argparse

    from app.main import _parser

    parser = _parser()
    for action in parser._actions:
        if not isinstance(action, argparse._HelpAction):
            assert action.help and len(action.help) > 8, action.option_strings or action.dest
    assert "`" not in parser.format_help()
