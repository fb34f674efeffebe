"""A tiny corpus written for the tests (fictional, not clinical advice), laid out as source folders."""

from __future__ import annotations

from pathlib import Path

from index.records import Tier

DOCS = {
    "var/pvk.md": dict(
        id="t-var-pvk", title="Perifert venekateter (PVK) – innleggelse hos voksne", source="var",
        owner="VAR (test)", language="nb", revised="2025-01-10", review_due="2028-01-10",
        keywords=["PVK", "venekateter", "venetilgang"],
        body="""## Hensikt
Sikker innleggelse av perifert venekateter hos voksne pasienter som trenger intravenøs behandling.
## Utstyr
Venekateter i riktig størrelse, stasebånd, hudantiseptikum, transparent bandasje og skyllesprøyte.
## Framgangsmåte
Velg en egnet vene på underarmen. Desinfiser huden og la den tørke. Stram huden, stikk inn og før
kateteret inn i venen når tilbakeblødning sees. Fest med bandasje og skyll med natriumklorid.
## Dokumentasjon
Dokumenter tidspunkt, størrelse, innstikksted og antall forsøk i kurven."""),
    "local/pvk-med.md": dict(
        id="t-lok-pvk", title="PVK – innleggelse, medisinsk sengepost", source="local",
        owner="Medisinsk sengepost (test)", language="nb", revised="2023-05-01", review_due="2026-05-01",
        keywords=["PVK", "venflon"],
        body="""## Hensikt
Lokal rutine for innleggelse av perifert venekateter (venflon) på medisinsk sengepost.
## Framgangsmåte
Hent utstyr fra prosedyrerommet. Velg vene, desinfiser, stikk og fest kateteret. Skyll med natriumklorid.
## Dokumentasjon
Registrer kateteret i kurven med dato."""),
    "var/blodtrykk.md": dict(
        id="t-var-bt", title="Blodtrykksmåling, manuell og automatisk", source="var",
        owner="VAR (test)", language="nb", revised="2025-02-01", review_due="2028-02-01",
        keywords=["BT", "blodtrykk"],
        body="""## Hensikt
Korrekt blodtrykksmåling hos voksne.
## Framgangsmåte
Pasienten sitter i ro i fem minutter. Velg riktig mansjettstørrelse og plasser mansjetten på overarmen
i hjertehøyde. Pump opp og slipp luften langsomt mens du lytter med stetoskop.
## Observasjoner
Vær oppmerksom på svimmelhet og ortostatisk blodtrykksfall ved mobilisering."""),
    "var/trykksar.md": dict(
        id="t-var-trykksar", title="Trykksårforebygging hos sengeliggende", source="var",
        owner="VAR (test)", language="nb", revised="2025-03-01", review_due="2028-03-01",
        keywords=["trykksår", "decubitus", "leiring"],
        body="""## Hensikt
Forebygge trykkskader hos pasienter med nedsatt mobilitet.
## Framgangsmåte
Kartlegg risiko ved innkomst. Snu og leir pasienten etter fast plan, bruk trykkavlastende madrass og
inspiser huden over benete partier daglig.
## Dokumentasjon
Dokumenter risikovurdering og leieendringer."""),
    "local/rorpost.md": dict(
        id="t-lok-rorpost", title="Sending av blodprøver med rørpost", source="local",
        owner="Laboratoriet (test)", language="nb", revised="2024-06-01", review_due="2027-06-01",
        keywords=["rørpost", "prøvesending"],
        body="""## Hensikt
Lokal rutine for sending av prøveglass med rørposten fra sengeposten til laboratoriet.
## Framgangsmåte
Legg prøveglassene i en støtsikker hylse, lukk patronen og send til stasjon 12 (laboratoriet).
Ved feil på rørposten bæres prøvene."""),
    "local/munnstell-nn.md": dict(
        id="t-lok-munnstell", title="Munnstell hjå pasientar som ikkje et", source="local",
        owner="Sjukeheimsavdeling (test)", language="nn", revised="2020-01-01", review_due="2021-01-01",
        keywords=["munnstell", "munnhole"],
        body="""## Føremål
Halde munnhola rein og fuktig hjå pasientar som ikkje et eller drikk sjølv.
## Framgangsmåte
Bruk mjuk tannbørste og fuktige skumpinnar. Smør leppene med fuktighetskrem."""),
    "local/gammel-kad.md": dict(
        id="t-lok-kad-gammel", title="Urinkateter – gammel rutine", source="local",
        owner="Kirurgisk post (test)", language="nb", revised="2015-01-01", review_due="2018-01-01",
        status="superseded", replaced_by="t-var-pvk", keywords=["KAD", "urinkateter"],
        body="""## Framgangsmåte
Utgått rutine for innleggelse av urinkateter. Bruk den nasjonale prosedyren."""),
}


def front_matter(meta: dict) -> str:
    lines = ["---"]
    for k, v in meta.items():
        if k == "body":
            continue
        lines.append(f"{k}: [{', '.join(v)}]" if isinstance(v, list) else f"{k}: {v}")
    lines.append("---")
    return "\n".join(lines)


def write_corpus(root: Path, docs: dict | None = None) -> list[tuple[str, Path]]:
    """Write the corpus under ``root``; returns sources for the builder ([(tier, folder)])."""
    for rel, meta in (docs or DOCS).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{front_matter(meta)}\n# {meta['title']}\n\n{meta['body']}\n", encoding="utf-8")
    return [(tier, root / tier) for tier in (Tier.VAR, Tier.LOCAL) if (root / tier).is_dir()]


# A ward's copy of the VAR PVK procedure with one section of its own (what «Lokalt tillegg» is about).
WARD_SECTION = "Nøkkelkort og telefonliste på sengepost 7"
COPY = {
    "local/pvk-sengepost7.md": dict(
        id="t-lok-pvk7", title="Perifert venekateter (PVK) – innleggelse hos voksne, sengepost 7", source="local",
        owner="Sengepost 7, Fjordby sykehus (test)", language="nb", revised="2024-03-01",
        review_due="2027-03-01", keywords=["PVK", "venekateter"],
        body=DOCS["var/pvk.md"]["body"] + f"""
## {WARD_SECTION}
Nøkkelkortet til medisinrommet henger i vaktrommet. Ring vakthavende anestesisykepleier på
calling 4412 etter to mislykkede stikk, og bestill ultralyd fra mottaket."""),
}
