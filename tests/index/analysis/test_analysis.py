from index.analysis.analyzer import Analyzer, Vocabulary, fold, stem, words
from index.analysis.synonyms import SynonymTable


def test_fold_keeps_norwegian_letters_and_strips_other_accents():
    assert fold("Blærekateter på Café Ü") == "blærekateter på cafe u"
    assert fold("Sjukeheim ÄÖ") == "sjukeheim æø"


def test_inflected_forms_share_a_stem():
    assert stem("kateteret") == stem("kateter")
    assert stem("målinger") == stem("måling")
    assert stem("observasjonar") == stem("observasjoner")


def _vocab():
    v = Vocabulary()
    v.add_text("trykk sår trykksår forebygging blodtrykk måling blod trykk sår måling forebygging "
               "blodtrykk trykksår behandling behandling sår")
    return v


def test_compounds_split_against_the_vocabulary():
    v = _vocab()
    assert {"trykksår", "forebygging", "trykk", "sår"} <= set(v.split("trykksårforebygging"))
    assert {"blodtrykk", "måling"} <= set(v.split("blodtrykksmåling"))  # linking -s-
    assert v.split("prosedyre") == ()


def test_part_terms_let_parts_meet_the_whole_word():
    a = Analyzer(_vocab())
    assert stem("trykksår") in a.part_terms("Trykksårforebygging hos eldre")
    assert {stem("måling"), stem("blodtrykk")} <= set(a.part_terms("blodtrykksmåling"))


def test_words_drop_punctuation_and_overlong_tokens():
    assert words("PVK-innleggelse, 20G!") == ["pvk", "innleggelse", "20g"]
    assert words("x" * 100) == []


def test_synonym_groups_match_inflected_multiword_phrases():
    table = SynonymTable([["pvk", "perifert venekateter", "venflon"], ["kad", "urinkateter"]])
    [concept] = table.concepts("perifere venekateteret")
    assert concept.original == (stem("perifere"), stem("venekateteret"))
    assert (stem("pvk"),) in concept.alternatives and (stem("venflon"),) in concept.alternatives
    concepts = table.concepts("hvordan legge venflon")
    assert [c.surface for c in concepts] == ["legge", "venflon"]
    assert concepts[1].alternatives


def test_nynorsk_forms_meet_their_bokmal_forms():
    from index.analysis.analyzer import STOP_WORDS, stem

    pairs = [("sjukepleiar", "sykepleier"), ("sjukepleiarar", "sykepleiere"), ("førebygging", "forebygging"),
             ("leggje", "legge"), ("høgt", "høyt"), ("augedropar", "øyedråper"), ("sjukeheim", "sykehjem"),
             ("avdelingsleiar", "avdelingsleder"), ("svimmelheit", "svimmelhet"), ("innlegging", "innleggelse")]
    for nn, nb in pairs:
        assert stem(nn) == stem(nb), (nn, nb)
    assert {"ikkje", "noko", "korleis", "kva", "frå"} <= STOP_WORDS
    assert stem("handling") != stem("hånd")  # a bokmål word the rules leave alone
