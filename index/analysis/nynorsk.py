"""Nynorsk word forms mapped to their bokmål forms before stemming, at index and at query time.

Norway writes in two standards, and a nurse types the one she writes. Snowball's Norwegian stemmer is a bokmål
stemmer: ``sjukepleiar`` and ``sykepleier`` stem apart, as do ``førebygging``/``forebygging``, ``høgt``/``høyt``,
``leggje``/``legge``. Mapping nynorsk forms to bokmål before stemming makes a nynorsk query find a bokmål
procedure (and a nynorsk routine answer a bokmål query) on the lexical side; the dense side reads both already.

The table is the project's own, written from Norwegian grammar (Norsk Ordbok/Bokmålsordboka conventions), not
from any evaluation set: nursing vocabulary whose nynorsk and bokmål forms differ, plus a few regular
correspondences (``sjuk-`` → ``syk-``, ``-heit`` → ``-het``, ``-pleiar`` → ``-pleier``, ``-heim`` → ``-hjem``)
applied to words the table does not list. Forms shared by both standards, and words the stemmer already
brings together (``pasientar``/``pasienter``, ``uroleg``/``urolig``), need no entry. Input is folded (lower
case, accents stripped but æøå kept) as ``index.analysis.analyzer`` folds it.
"""

from __future__ import annotations

# nynorsk form → bokmål form (whole folded words).
WORDS: dict[str, str] = {
    # function words that are not stop words in the Snowball list
    "berre": "bare", "frå": "fra", "hjå": "hos", "utan": "uten", "saman": "sammen", "sjølv": "selv",
    "sjølve": "selve", "heile": "hele", "heil": "hel", "fleire": "flere", "fleirtal": "flertall",
    "nokre": "noen", "kvart": "hvert", "kvar": "hver", "kvarandre": "hverandre", "kvifor": "hvorfor",
    "korleis": "hvordan", "kva": "hva", "kven": "hvem", "ikkje": "ikke", "noko": "noe", "nokon": "noen",
    "mykje": "mye", "meir": "mer", "då": "da", "no": "nå", "enno": "ennå", "òg": "også", "ein": "en",
    "eit": "et", "tidleg": "tidlig", "tidlegare": "tidligere", "seinare": "senere", "seint": "sent",
    "sjeldan": "sjelden", "fyrst": "først", "fyrste": "første", "framleis": "fortsatt",
    # verbs
    "leggje": "legge", "leggjast": "legges", "setje": "sette", "setjast": "settes", "søkje": "søke",
    "følgje": "følge", "følgjer": "følger", "trengje": "trenge", "seie": "si", "seier": "sier", "sjå": "se",
    "gje": "gi", "gjev": "gir", "gjeve": "gitt", "vere": "være", "vore": "vært", "vert": "blir",
    "verte": "bli", "kjem": "kommer", "kome": "komme", "kjeme": "komme", "gjer": "gjør", "gjere": "gjøre",
    "tek": "tar", "teke": "tatt", "fekk": "fikk", "byte": "bytte", "byter": "bytter", "bytast": "byttes",
    "ete": "spise", "drikk": "drikker", "søv": "sover", "nytte": "bruke", "nyttar": "bruker",
    "nyttast": "brukes", "skildre": "beskrive", "skildrar": "beskriver", "auke": "øke", "aukar": "øker",
    "auka": "økt", "stengje": "stenge", "opne": "åpne", "reinse": "rense", "reingjere": "rengjøre",
    "reingjering": "rengjøring", "døy": "dø", "døyr": "dør", "døyande": "døende", "kastar": "kaster",
    "kvelje": "kvele", "svelgje": "svelge", "svelgjer": "svelger",
    # nouns
    "sjukepleiar": "sykepleier", "sjukepleiarar": "sykepleiere", "sjukepleiaren": "sykepleieren",
    "sjukepleie": "sykepleie", "sjukehus": "sykehus", "sjukehuset": "sykehuset", "sjukdom": "sykdom",
    "sjukdomar": "sykdommer", "sjuk": "syk", "sjuke": "syke", "sjukeheim": "sykehjem",
    "heimesjukepleie": "hjemmesykepleie", "heim": "hjem", "heime": "hjemme", "heimen": "hjemmet",
    "helsearbeidar": "helsearbeider", "helsefagarbeidar": "helsefagarbeider", "tilsett": "ansatt",
    "tilsette": "ansatte", "pårørande": "pårørende", "lækjar": "lege", "lækjarar": "leger", "born": "barn",
    "borna": "barna", "hovud": "hode", "hovudet": "hodet", "hjarte": "hjerte", "hjartet": "hjertet",
    "auge": "øye", "augo": "øyne", "auga": "øyet", "augedropar": "øyedråper", "augedråpar": "øyedråper",
    "drope": "dråpe", "dropar": "dråper", "dråpar": "dråper", "øyre": "øre", "nase": "nese", "hand": "hånd",
    "handa": "hånden", "handhygiene": "håndhygiene", "handvask": "håndvask",
    "handdesinfeksjon": "hånddesinfeksjon", "handsprit": "håndsprit", "hanskar": "hansker", "føter": "føtter",
    "føtene": "føttene", "bein": "ben", "beina": "bena", "huda": "huden", "morgon": "morgen",
    "morgonen": "morgenen", "veke": "uke", "veker": "uker", "veka": "uken", "gong": "gang",
    "gongen": "gangen", "gonger": "ganger", "innlegging": "innleggelse", "innlegginga": "innleggelsen",
    "utskriving": "utskrivning", "forstopping": "forstoppelse", "førebygging": "forebygging",
    "førebyggje": "forebygge", "førebyggjande": "forebyggende", "føremål": "formål", "føremålet": "formålet",
    "framgangsmåte": "fremgangsmåte", "framgangsmåten": "fremgangsmåten", "reinhald": "renhold", "vêr": "vær",
    "eining": "enhet", "einingar": "enheter", "eininga": "enheten", "avgjerd": "avgjørelse",
    "avgjerder": "avgjørelser", "svimmelheit": "svimmelhet", "tryggleik": "trygghet", "openheit": "åpenhet",
    "verknad": "virkning", "verknader": "virkninger", "biverknad": "bivirkning",
    "biverknader": "bivirkninger", "smertestillande": "smertestillende", "lindrande": "lindrende",
    "legemiddela": "legemidlene", "medisinar": "medisiner", "mengd": "mengde", "mengda": "mengden",
    "høgd": "høyde", "høgda": "høyden", "oksygenmetting": "oksygenmetning", "metting": "metning",
    "andedrett": "åndedrett", "straum": "strøm", "vatn": "vann", "vatnet": "vannet", "mjølk": "melk",
    "kjøt": "kjøtt", "væska": "væsken", "blæra": "blæren", "fallførebygging": "fallforebygging",
    "skadar": "skader",
    # adjectives and adverbs
    "høg": "høy", "høgt": "høyt", "høge": "høye", "høgare": "høyere", "låg": "lav", "lågt": "lavt",
    "låge": "lave", "lågare": "lavere", "gamal": "gammel", "gamalt": "gammelt", "open": "åpen",
    "ope": "åpent", "rein": "ren", "reint": "rent", "reine": "rene", "naudsynt": "nødvendig",
    "naudsynte": "nødvendige", "vanleg": "vanlig", "vanlegvis": "vanligvis", "mogleg": "mulig",
    "moglege": "mulige", "eigen": "egen", "eige": "eget", "eigne": "egne", "einskild": "enkelt",
    "einsleg": "enslig", "venleg": "vennlig", "forvirra": "forvirret", "veik": "svak", "veike": "svake",
}

# Regular correspondences for words the table does not list (compounds above all): (nynorsk, bokmål).
_PREFIXES = (("sjukepleie", "sykepleie"), ("sjukepleiar", "sykepleier"), ("sjukehus", "sykehus"),
             ("sjuk", "syk"), ("heimesjuke", "hjemmesyke"), ("førebygg", "forebygg"), ("handhyg", "håndhyg"),
             ("auge", "øye"), ("høg", "høy"), ("låg", "lav"))
_SUFFIXES = (("pleiarar", "pleiere"), ("pleiar", "pleier"), ("leiarar", "ledere"), ("leiar", "leder"),
             ("opphald", "opphold"), ("heimen", "hjemmet"), ("heim", "hjem"), ("heita", "heten"), ("heit", "het"),
             ("førebygging", "forebygging"), ("dropar", "dråper"))
_MIN_STEM = 3  # a correspondence needs this many letters besides the affix


def to_bokmal(word: str) -> str:
    """The bokmål form of a folded nynorsk word, or the word itself."""
    mapped = WORDS.get(word)
    if mapped is not None:
        return mapped
    for nn, nb in _SUFFIXES:
        if word.endswith(nn) and len(word) >= len(nn) + _MIN_STEM:
            return to_prefix(word[: -len(nn)]) + nb
    return to_prefix(word)


def to_prefix(word: str) -> str:
    for nn, nb in _PREFIXES:
        if word.startswith(nn) and len(word) >= len(nn) + _MIN_STEM:
            return nb + word[len(nn) :]
    return word
