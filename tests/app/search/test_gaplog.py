"""Which searches count as unmet: settled queries with no hit or nothing opened (app.search.gaplog)."""

from __future__ import annotations

from app.search.gaplog import GapRecorder
from index.cleanup.gaps import GapLog


def test_typing_settles_once_and_an_opened_result_is_not_a_gap(tmp_path):
    log = GapLog(tmp_path / "gaps.json")
    rec = GapRecorder(log)
    for partial in ("n", "ne", "nef", "nefrostomi"):  # search-as-you-type: one query
        rec.on_results(partial, 0)
    rec.on_results("pvk", 4)  # a new search settles "nefrostomi": no hit → unmet
    rec.on_opened()  # a PVK result was opened: useful
    rec.on_results("trakeostomi", 3)  # settles "pvk" (useful, not counted)
    rec.flush()  # app closes: "trakeostomi" had hits but nothing opened → unmet
    assert set(log.gaps()) == {"nefrostomi", "trakeostomi"}
