"""Which section a hit opens on (real lexical index): procedure text, never the reference list."""

from index.api import Engine
from index.builder import build
from index.records import SearchMode
from tests.helpers.corpus import write_corpus

DOCS = {
    "var/stomi.md": dict(
        id="t-var-stomi", title="Stomistell – skift av stomipose", source="var", owner="VAR (test)",
        language="nb", revised="2025-01-10", review_due="2028-01-10", keywords=["stomi"],
        body="""Fiktiv prosedyre for testene.
## Hensikt
Skifte pose og plate slik at huden rundt stomien holder seg hel.
## Framgangsmåte
Fjern posen ovenfra, vask huden med lunkent vann og tørk. Mål stomien og klipp platen til.
## Referanser
Fiktiv forening (2023). Stomistell i praksis. Testforlaget.
Testesen, A. (2021). Stomistell for sykepleiere. Testforlaget."""),
}


def test_a_title_match_opens_the_procedure_not_its_references_or_preamble(tmp_path):
    build.build(tmp_path / "index", write_corpus(tmp_path / "src", DOCS))
    with Engine(tmp_path / "index") as engine:
        hit = engine.search("stomistell", mode=SearchMode.LEXICAL).hits[0]
        assert hit.doc_id == "t-var-stomi" and hit.section == "Hensikt", hit.section
        hit = engine.search("klippe plate", mode=SearchMode.LEXICAL).hits[0]
        assert hit.section == "Framgangsmåte"  # the words' own section when the text has them
