"""`kildefinner-index build` with source folders that are missing or hold nothing readable: a reason, and no
empty index folder left behind."""

from tests.helpers.processes import cli


def test_a_missing_source_folder_is_named_with_its_reason(tmp_path):
    ix = tmp_path / "ix"
    r = cli("build", "--index", ix, "--no-model", "--source", f"var={tmp_path / 'nonexistent'}")
    assert r.returncode == 2
    assert f"var={tmp_path / 'nonexistent'} does not exist" in r.stderr
    assert not ix.exists()


def test_a_folder_with_nothing_readable_says_so_and_leaves_no_index_folder(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "notes.xyz").write_text("not a procedure", encoding="utf-8")
    ix = tmp_path / "ix"
    r = cli("build", "--index", ix, "--no-model", "--source", f"var={src}")
    assert r.returncode == 1
    assert "no readable PDF, DOCX, HTML, Markdown or text file" in r.stderr
    assert not ix.exists()


def test_one_missing_folder_among_good_ones_is_a_warning(corpus, tmp_path):
    _, sources = corpus
    ix = tmp_path / "ix"
    args = [a for t, p in sources for a in ("--source", f"{t}={p}")]
    r = cli("build", "--index", ix, "--no-model", *args, "--source", f"local={tmp_path / 'gone'}")
    assert r.returncode == 0, r.stderr
    assert f"warning: source local={tmp_path / 'gone'} does not exist" in r.stderr
