"""The kildefinner-index command-line contract (used for acceptance)."""

import json

from tests.helpers.processes import cli


def test_build_search_batch_and_stats(corpus, tmp_path):
    _, sources = corpus
    ix = tmp_path / "ix"
    r = cli("build", "--index", ix, "--no-model", *[a for t, p in sources for a in ("--source", f"{t}={p}")])
    assert r.returncode == 0, r.stderr
    assert "indexed 7" in r.stdout
    r = cli("search", "--index", ix, "--mode", "lexical", "--json", "rørpost")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["hits"][0]["doc_id"] == "t-lok-rorpost"
    queries = tmp_path / "q.tsv"
    queries.write_text("qid\ttype\tquery\nq1\tx\tblodtrykk\nq2\tx\ttrykksår\n", encoding="utf-8")
    run = tmp_path / "run.txt"
    r = cli("search", "--index", ix, "--mode", "lexical", "--queries", queries, "--run", run, "--top", "3")
    assert r.returncode == 0, r.stderr
    lines = [ln.split() for ln in run.read_text().splitlines()]
    assert lines[0][:4] == ["q1", "Q0", "t-var-bt", "1"] and all(len(ln) == 6 for ln in lines)
    r = cli("stats", "--index", ix, "--json")
    assert json.loads(r.stdout)["documents"] == 7


def test_errors_have_clear_messages_and_exit_codes(tmp_path):
    r = cli("search", "--index", tmp_path / "nowhere", "PVK")
    assert r.returncode == 2 and "no index at" in r.stderr
    r = cli("build", "--index", tmp_path / "ix", "--source", "nasjonal=/tmp")
    assert r.returncode == 2 and "tier" in r.stderr.lower()
    empty = tmp_path / "empty"
    empty.mkdir()
    r = cli("build", "--index", tmp_path / "ix", "--no-model", "--source", f"local={empty}")
    assert r.returncode == 1 and "nothing could be indexed" in r.stderr
    r = cli("search", "--index", tmp_path / "ix")
    assert r.returncode == 2
