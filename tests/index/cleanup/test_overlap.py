"""Overlap detection on real indexes: verdicts, evidence, nynorsk↔bokmål, grouping, and incremental updates
(which must give what a full build of the same corpus gives)."""

from __future__ import annotations

import json
import logging
import random
import sqlite3
from pathlib import Path

import pytest

from index.api import Engine
from index.builder import build
from index.cleanup import overlap
from index.records import SearchFilters, SearchMode, Tier
from index.store import snapshot
from tests.helpers.corpus import DOCS, write_corpus


def verdicts(engine: Engine) -> dict[str, tuple[str, str]]:
    return {o.doc_id: (o.other_id, o.kind) for o in engine.snapshot.overlaps() if o.primary}


def test_local_copy_of_a_var_procedure_is_found_with_evidence(hybrid_engine):
    found = verdicts(hybrid_engine)
    assert found["t-lok-pvk"] == ("t-var-pvk", "full")
    assert "t-lok-rorpost" not in found  # a local-only routine: keep
    pair = next(o for o in hybrid_engine.snapshot.overlaps() if o.doc_id == "t-lok-pvk" and o.primary)
    assert pair.semantic > 0.8 and pair.lexical > 0
    assert any(t.lower() in ("venekateter", "natriumklorid", "pvk", "kateteret") for t in pair.shared_terms)
    assert pair.sections and all(0 < s.similarity <= 1.0001 for s in pair.sections)
    assert {s.heading for s in pair.sections} <= {"Hensikt", "Framgangsmåte", "Dokumentasjon"}


def test_var_procedure_comes_first_and_its_local_copy_is_labelled(hybrid_engine):
    hits = hybrid_engine.search("venflon innleggelse medisinsk sengepost", top=10).hits
    ids = [h.doc_id for h in hits]
    assert ids.index("t-var-pvk") < ids.index("t-lok-pvk")
    local = hits[ids.index("t-lok-pvk")]
    assert local.overlaps_id == "t-var-pvk" and local.overlap_kind == "full"
    assert local.overlaps_title.startswith("Perifert venekateter")


def test_flag_stays_when_the_var_procedure_is_filtered_out(hybrid_engine):
    hits = hybrid_engine.search("venflon", filters=SearchFilters(tiers=frozenset({Tier.LOCAL}))).hits
    local = next(h for h in hits if h.doc_id == "t-lok-pvk")
    assert local.overlaps_id == "t-var-pvk" and not local.grouped


NB_VAR = """---
id: v-fall
title: Forebygging av fall hos eldre pasienter i sykehus
source: var
language: nb
---
## Hensikt
Redusere risikoen for fall og skader hos eldre innlagte pasienter.
## Framgangsmåte
Vurder fallrisiko ved innkomst med et kartleggingsverktøy. Sørg for godt lys, sklisikre sko og ringeklokke
innen rekkevidde. Gå gjennom legemidler som øker risikoen for fall. Følg pasienten på toalettet om natten.
## Dokumentasjon
Dokumenter fallrisiko og tiltak i pleieplanen.
"""

NN_LOCAL = """---
id: l-fall-nn
title: Fallførebygging på sengepost
source: local
language: nn
---
## Føremål
Minske risikoen for fall og skadar hjå eldre pasientar som er innlagde.
## Framgangsmåte
Vurder fallrisiko ved innkomst med eit kartleggingsverktøy. Syt for godt lys, sklisikre sko og ringjeklokke
innan rekkjevidd. Gå gjennom legemiddel som aukar risikoen for fall. Følg pasienten på toalettet om natta.
## Dokumentasjon
Dokumenter fallrisiko og tiltak i pleieplanen.
"""

NB_OTHER = """---
id: v-sonde
title: Nasogastrisk sonde – innleggelse
source: var
language: nb
---
## Framgangsmåte
Mål sondelengden fra nesetipp via øreflipp til brystbenet. Før sonden inn gjennom nesen mens pasienten svelger.
Kontroller plasseringen med pH-måling av aspirat før bruk.
"""


def test_nynorsk_local_copy_of_a_bokmal_var_procedure_is_found(tmp_path, embedder):
    (tmp_path / "var").mkdir()
    (tmp_path / "local").mkdir()
    (tmp_path / "var" / "fall.md").write_text(NB_VAR, encoding="utf-8")
    (tmp_path / "var" / "sonde.md").write_text(NB_OTHER, encoding="utf-8")
    (tmp_path / "local" / "fall-nn.md").write_text(NN_LOCAL, encoding="utf-8")
    build.build(tmp_path / "idx", [(Tier.VAR, tmp_path / "var"), (Tier.LOCAL, tmp_path / "local")], embedder=embedder)
    with Engine(tmp_path / "idx") as engine:
        assert verdicts(engine)["l-fall-nn"][0] == "v-fall"


def test_lexical_only_snapshot_still_detects_copies(corpus, tmp_path):
    _, sources = corpus
    build.build(tmp_path / "idx", sources)
    with Engine(tmp_path / "idx") as engine:
        assert verdicts(engine).get("t-lok-pvk", ("",))[0] == "t-var-pvk"


def test_search_verdicts_come_from_the_docstore_or_an_older_snapshots_overlap_file(corpus, tmp_path):
    _, sources = corpus
    build.build(tmp_path / "idx", sources)
    folder = snapshot.current_dir(tmp_path / "idx")
    con = sqlite3.connect(folder / "docs.sqlite")
    assert ("t-lok-pvk", "t-var-pvk") in {(d, o) for d, o, _ in con.execute("SELECT * FROM verdicts")}
    con.execute("DROP TABLE verdicts")  # as a snapshot written before the table existed
    con.commit()
    con.close()
    (folder / "manifest.json").write_text(json.dumps(
        {**json.loads((folder / "manifest.json").read_text()), "sizes": snapshot.file_sizes(folder)}))
    with Engine(tmp_path / "idx") as engine:
        local = next(h for h in engine.search("PVK", mode=SearchMode.LEXICAL).hits if h.doc_id == "t-lok-pvk")
        assert local.overlaps_id == "t-var-pvk"


# ------------------------------------------------------------------------------------------------ updates
FILLERS = 100  # documents on topics of their own: enough that a few changes stay under the refresh share


def _filler(n: int, tier: str) -> dict:
    rng = random.Random(n)
    syllables = ["ka", "te", "ro", "vi", "lin", "mor", "sa", "dex", "pra", "tol", "fen", "zol"]
    made_up = ["".join(rng.choice(syllables) for _ in range(4)) for _ in range(40)]
    return dict(id=f"t-fyll-{n:03d}", title=f"Rutine {' '.join(made_up[:3])}", source=tier,
                owner="Fyll (test)", language="nb", revised="2024-01-01", review_due="2027-01-01", keywords=[],
                body=f"## Framgangsmåte\n{' '.join(made_up)}.")


def _copy_of(var_rel: str, doc_id: str, title: str) -> dict:
    return dict(DOCS[var_rel], id=doc_id, title=title, source="local", owner="Kirurgisk post (test)",
                revised="2022-01-01")


def _region(root: Path, docs: dict, fillers: int = FILLERS) -> list[tuple[str, Path]]:
    all_docs = {**docs, **{f"{'var' if n % 5 == 0 else 'local'}/fyll-{n:03d}.md":
                           _filler(n, "var" if n % 5 == 0 else "local") for n in range(fillers)}}
    return write_corpus(root, all_docs)


def _pairs(index_dir: Path) -> set[tuple[str, str, str, bool]]:
    with Engine(index_dir) as engine:
        return {(o.doc_id, o.other_id, o.kind, o.primary) for o in engine.snapshot.overlaps()}


def _verdicts_at(index_dir: Path) -> dict[str, tuple[str, str]]:
    return {d: (o, k) for d, o, k, primary in _pairs(index_dir) if primary}


def _update(index_dir: Path, sources, caplog, *, embedder=None) -> dict[str, tuple[str, str]]:
    """An incremental build that must take the update path; the verdicts it leaves."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="index.cleanup.overlap"):
        build.build(index_dir, sources, embedder=embedder)
    assert "the rest kept" in caplog.text, caplog.text
    return _verdicts_at(index_dir)


def test_update_gives_the_overlaps_of_a_full_build(tmp_path, caplog):
    root = tmp_path / "src"
    sources = _region(root, DOCS)
    build.build(tmp_path / "idx", sources)
    # one changed (now a copy of the blood-pressure procedure), one added copy, one VAR procedure removed
    write_corpus(root, {
        "local/rorpost.md": _copy_of("var/blodtrykk.md", "t-lok-rorpost", "BT-måling, post 3"),
        "local/trykksar-kir.md": _copy_of("var/trykksar.md", "t-lok-trykksar", "Trykksår, kirurgisk post"),
    })
    (root / "var" / "fyll-005.md").unlink()
    found = _update(tmp_path / "idx", sources, caplog)
    assert found["t-lok-rorpost"] == ("t-var-bt", "full")
    assert found["t-lok-trykksar"] == ("t-var-trykksar", "full")
    build.build(tmp_path / "full", sources, full=True)
    assert _pairs(tmp_path / "idx") == _pairs(tmp_path / "full")


def test_copy_loses_its_verdict_when_its_var_procedure_is_removed(tmp_path, caplog):
    root = tmp_path / "src"
    sources = _region(root, DOCS)
    build.build(tmp_path / "idx", sources)
    assert _verdicts_at(tmp_path / "idx")["t-lok-pvk"] == ("t-var-pvk", "full")
    (root / "var" / "pvk.md").unlink()
    found = _update(tmp_path / "idx", sources, caplog)
    assert found.get("t-lok-pvk", ("",))[0] != "t-var-pvk"
    assert not any("t-var-pvk" in pair[:2] for pair in _pairs(tmp_path / "idx"))


def test_new_var_procedure_is_found_for_existing_local_copies(tmp_path, caplog):
    root = tmp_path / "src"
    docs = {rel: d for rel, d in DOCS.items() if rel != "var/trykksar.md"}
    docs["local/trykksar-kir.md"] = _copy_of("var/trykksar.md", "t-lok-trykksar", "Trykksår, kirurgisk post")
    docs["local/leiring-med.md"] = _copy_of("var/trykksar.md", "t-lok-leiring", "Leiring og hudinspeksjon")
    sources = _region(root, docs)
    build.build(tmp_path / "idx", sources)
    before = _verdicts_at(tmp_path / "idx")
    assert before.get("t-lok-trykksar", ("",))[0] != "t-var-trykksar"
    write_corpus(root, {"var/trykksar.md": DOCS["var/trykksar.md"]})
    found = _update(tmp_path / "idx", sources, caplog)
    assert found["t-lok-trykksar"] == ("t-var-trykksar", "full")
    assert found["t-lok-leiring"] == ("t-var-trykksar", "full")
    assert found["t-lok-pvk"] == before["t-lok-pvk"]  # untouched documents keep their verdicts


@pytest.mark.slow
def test_new_var_procedure_is_found_in_a_hybrid_update(tmp_path, caplog, embedder):
    root = tmp_path / "src"
    docs = {rel: d for rel, d in DOCS.items() if rel != "var/trykksar.md"}
    docs["local/trykksar-kir.md"] = _copy_of("var/trykksar.md", "t-lok-trykksar", "Trykksår, kirurgisk post")
    sources = _region(root, docs, fillers=25)
    build.build(tmp_path / "idx", sources, embedder=embedder)
    write_corpus(root, {"var/trykksar.md": DOCS["var/trykksar.md"]})
    found = _update(tmp_path / "idx", sources, caplog, embedder=embedder)
    assert found["t-lok-trykksar"] == ("t-var-trykksar", "full")
    assert found["t-lok-pvk"] == ("t-var-pvk", "full")
    build.build(tmp_path / "full", sources, embedder=embedder, full=True)
    assert _pairs(tmp_path / "idx") == _pairs(tmp_path / "full")


def test_many_changes_and_full_builds_recompute_everything(tmp_path, caplog):
    root = tmp_path / "src"
    sources = _region(root, DOCS)
    build.build(tmp_path / "idx", sources)
    assert (snapshot.current_dir(tmp_path / "idx") / overlap.CACHE).is_file()
    for n in (1, 2, 3, 4, 6, 7):  # over 5 % of the corpus removed
        (root / "local" / f"fyll-{n:03d}.md").unlink()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="index.cleanup.overlap"):
        build.build(tmp_path / "idx", sources)
        assert "full computation" in caplog.text
        caplog.clear()
        (root / "local" / "fyll-008.md").unlink()
        build.build(tmp_path / "idx", sources, full=True)
        assert "full computation" in caplog.text
