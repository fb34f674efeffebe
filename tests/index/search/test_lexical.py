"""The numpy BM25F scorer against Whoosh's own: same documents, same order, same scores.

The reference is Whoosh searching each phrasing with the same BM25F parameters, on a real index of the demo
corpus with a second segment and deleted documents.
"""

from __future__ import annotations

import shutil

import pytest
from whoosh import query as Q

from index.api import Engine, demo_sources
from index.builder import build
from index.search import lexical
from tests.helpers.corpus import write_corpus

QUERIES = [
    "pvk", "venflon", "skifte av perifert venekateter", "trykksår", "måling blodtrykk", "kad kvinne",
    "hlr voksen", "rørpost prøver", "sårbehandling etter operasjon", "ngs sonde plassering kontroll",
    "insulin subkutant injeksjon", "hygiene hender", "xyzzy", "news skår", "nyoperert pasient urolig om natta",
]


def whoosh_reference(lex: lexical.LexicalIndex, concepts, analyzer, limit: int) -> list[tuple[str, float]]:
    """Whoosh scores each phrasing (an AND over stems of an OR over the boosted fields); the best phrasing per
    concept and the sum over concepts are taken here. Not Whoosh's ``DisjunctionMax``: its matcher returns the
    max of its children's *current* scores even when they sit on different documents, so a document can get
    another document's score (whoosh-reloaded 2.7.5, ``DisjunctionMaxMatcher.score``)."""

    def phrase(stems, weight):
        per_word = [Q.Or([Q.Term(f, s, boost=b) for f, b in lexical.FIELD_BOOSTS.items()]) for s in stems]
        q = per_word[0] if len(per_word) == 1 else Q.And(per_word)
        q.boost = weight
        return q

    total: dict[str, float] = {}
    with lex._ix.searcher(weighting=lexical.weighting()) as s:
        for c in concepts:
            best: dict[str, float] = {}
            for stems, weight in lexical.phrasings(c, analyzer):
                for hit in s.search(phrase(stems, weight), limit=None):
                    best[hit["doc_id"]] = max(best.get(hit["doc_id"], 0.0), hit.score)
            for doc_id, score in best.items():
                total[doc_id] = total.get(doc_id, 0.0) + score
    return sorted(total.items(), key=lambda kv: -kv[1])[:limit]


@pytest.fixture(scope="module")
def updated_demo_index(tmp_path_factory):
    """The demo corpus built, then updated with some documents removed and one changed: two segments with
    deletions, as a ward PC's index looks after a few updates."""
    sources, manifest = demo_sources()
    root = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(manifest.parent, root)
    copied = [(tier, root / folder.name) for tier, folder in sources]
    manifest = root / manifest.name
    index_dir = tmp_path_factory.mktemp("index")
    build.build(index_dir, copied, manifest=manifest)
    files = sorted(p for _, folder in copied for p in folder.rglob("*.md"))
    for p in files[:3]:
        p.unlink()
    files[3].write_text(files[3].read_text(encoding="utf-8") + "\n\nTillegg: kontroller trykksår daglig.\n",
                        encoding="utf-8")
    build.build(index_dir, copied, manifest=manifest)
    return index_dir


def test_scores_equal_whoosh_bm25f(updated_demo_index):
    with Engine(updated_demo_index) as engine:
        searcher = engine._searcher
        lex = searcher.lexical
        assert len(lex._leaves) == 2 and not lex._live.all()  # the update wrote a segment and deleted documents
        for query in QUERIES:
            concepts = searcher.synonyms.concepts(query)
            if not concepts:
                continue
            ours = lex.search(concepts, searcher.analyzer, 20)
            ref = whoosh_reference(lex, concepts, searcher.analyzer, 20)
            assert dict(ours) == pytest.approx(dict(ref), rel=1e-5), query


def test_no_match_and_limit(updated_demo_index):
    with Engine(updated_demo_index) as engine:
        searcher = engine._searcher
        concepts = searcher.synonyms.concepts("xyzzy plugh")
        assert searcher.lexical.search(concepts, searcher.analyzer, 10) == []
        many = searcher.lexical.search(searcher.synonyms.concepts("pasient"), searcher.analyzer, 5)
        assert len(many) == 5
        assert [s for _, s in many] == sorted((s for _, s in many), reverse=True)


NAMED = {
    f"var/ct-{i}.md": dict(
        id=f"t-var-ct-{i}", title=title, source="var", owner="VAR (test)", language="nb", revised="2025-01-10",
        review_due="2028-01-10", keywords=[],
        body="## Hensikt\nForberedelse av pasienten til undersøkelsen og observasjon etterpå.")
    for i, title in enumerate(["CT av abdomen",
                               "CT av abdomen (også kalt computertomografi av buken, CT buk og bekken, "
                               "skiktröntgen av magen)"])
}


def test_a_title_that_also_lists_other_names_is_hardly_less_about_its_topic(tmp_path, monkeypatch):
    # Titles and keyword lists name the topic: BM25F normalises them by length less than text (FIELD_B), so the
    # longer title (the same topic with its other names) loses less of the topic word's score than body text
    # three times as long would.
    build.build(tmp_path / "index", write_corpus(tmp_path / "src", NAMED))

    def long_to_short() -> float:
        with Engine(tmp_path / "index") as engine:
            searcher = engine._searcher
            scores = dict(searcher.lexical.search(searcher.synonyms.concepts("abdomen"), searcher.analyzer, 10))
        return scores["t-var-ct-1"] / scores["t-var-ct-0"]

    ours = long_to_short()
    monkeypatch.setattr(lexical, "FIELD_B", {})  # every field normalised as text
    as_text = long_to_short()
    assert as_text < ours < 1.0
