"""Overlap detection on real indexes built with the real model: verdicts, evidence, nynorsk↔bokmål, grouping."""

from __future__ import annotations

from index import build
from index.api import Engine
from index.records import SearchFilters


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
    hits = hybrid_engine.search("venflon", filters=SearchFilters(tiers=frozenset({"local"}))).hits
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
    build.build(tmp_path / "idx", [("var", tmp_path / "var"), ("local", tmp_path / "local")], embedder=embedder)
    engine = Engine(tmp_path / "idx")
    try:
        assert verdicts(engine)["l-fall-nn"][0] == "v-fall"
    finally:
        engine.close()


def test_lexical_only_snapshot_still_detects_copies(corpus, tmp_path):
    _, sources = corpus
    build.build(tmp_path / "idx", sources)
    engine = Engine(tmp_path / "idx")
    try:
        assert verdicts(engine).get("t-lok-pvk", ("",))[0] == "t-var-pvk"
    finally:
        engine.close()
