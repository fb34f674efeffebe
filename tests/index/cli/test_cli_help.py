"""The command line as IT meets it: every command's --help says what it and each option does (no stray
markup), and many searches share one process, so the model is loaded once, not per query."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

import pytest

from index.cli import main as cli
from tests.helpers.paths import REPO


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"": parser, **sub.choices}


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_and_option_is_described(name):
    parser = commands()[name]
    text = parser.format_help()
    assert parser.description and len(parser.description) > 20, name
    assert "`" not in text, text
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        assert action.help and len(action.help) > 8, (name, action.option_strings or action.dest)
    if name:
        assert "Exit codes" in text


def test_the_list_of_commands_says_what_each_does():
    r = subprocess.run([sys.executable, "-m", "index.cli", "--help"], cwd=REPO, capture_output=True, text=True,
                       check=False)
    assert r.returncode == 0
    for name in ("build", "search", "stats", "publish", "report", "sync", "decisions", "export-gaps"):
        line = next(ln for ln in r.stdout.splitlines() if ln.strip().startswith(name + " "))
        assert len(line.split(None, 1)[1]) > 20, line
    assert "`" not in r.stdout


def test_queries_on_stdin_share_one_model_load(hybrid_index, embedder, monkeypatch, capsys):
    import index.embed.model

    loads = []
    monkeypatch.setattr(index.embed.model, "load_embedder", lambda path=None: loads.append(path) or embedder)
    monkeypatch.setattr(sys, "stdin", io.StringIO("blodtrykk\n\ntrykksår\nrørpost\n"))
    assert cli.main(["search", "--index", str(hybrid_index), "--stdin", "--json", "--timings"]) == 0
    out, err = capsys.readouterr()
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == 3 and all(r["hits"] for r in results)
    assert [r["query"] for r in results] == ["blodtrykk", "trykksår", "rørpost"]
    assert len(loads) == 1  # one load for the three queries
    assert "model loaded in" in err and "3 queries searched in" in err


def test_a_real_process_answers_queries_line_by_line(corpus, tmp_path):
    _, sources = corpus
    ix = tmp_path / "ix"
    subprocess.run([sys.executable, "-m", "index.cli", "build", "--index", str(ix), "--no-model",
                    *[a for t, p in sources for a in ("--source", f"{t}={p}")]], cwd=REPO, check=True,
                   capture_output=True)
    r = subprocess.run([sys.executable, "-m", "index.cli", "search", "--index", str(ix), "--mode", "lexical",
                        "--stdin", "--top", "2"], cwd=REPO, capture_output=True, text=True, check=False,
                       input="blodtrykk\ntrykksår\n")
    assert r.returncode == 0, r.stderr
    assert [ln for ln in r.stdout.splitlines() if ln.startswith("# ")] == ["# blodtrykk", "# trykksår"]
    r = subprocess.run([sys.executable, "-m", "index.cli", "search", "--index", str(ix), "PVK", "--stdin"],
                       cwd=REPO, capture_output=True, text=True, check=False)
    assert r.returncode == 2 and "give a query, --stdin, or --queries" in r.stderr
