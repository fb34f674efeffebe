"""Translations keyed by the bokmål source string (see ``app.i18n``). Placeholders must match the source."""

CATALOGUE: dict[str, dict[str, str]] = {
    "nn": {
        "Frakoblet":
            "Fråkopla",
        "Velg et treff for å lese prosedyren her.":
            "Vel eit treff for å lese prosedyren her.",
        "Bygger indeks":
            "Byggjer indeks",
        "Leser mapper …":
            "Les mapper …",
        "Avbryt":
            "Avbryt",
        "Indeksen er oppdatert: {new} nye eller endrede, {kept} uendrede, {skipped} hoppet over.":
            "Indeksen er oppdatert: {new} nye eller endra, {kept} uendra, {skipped} hoppa over.",
        "Bygg indeks fra mapper":
            "Bygg indeks frå mapper",
        "Indeksmappe":
            "Indeksmappe",
        "Indeksmappe:":
            "Indeksmappe:",
        "Bare endrede filer leses på nytt. Den åpne indeksen brukes til den nye er klar.":
            "Berre endra filer blir lesne på nytt. Den opne indeksen blir brukt til den nye er klar.",
        "Bygg":
            "Bygg",
        "Velg …":
            "Vel …",
        "Velg mappe":
            "Vel mappe",
        "Indeks bygget":
            "Indeks bygd",
        "Indeksen kunne ikke bygges.":
            "Indeksen kunne ikkje byggjast.",
        "mappe(r), skilt med ;":
            "mappe(r), skilde med ;",
        "Velg minst én mappe som finnes.":
            "Vel minst éi mappe som finst.",
        "Disse mappene finnes ikke: {folders}":
            "Desse mappene finst ikkje: {folders}",
        "Byggingen ble avbrutt. Den forrige indeksen brukes fortsatt.":
            "Bygginga vart avbroten. Den førre indeksen blir framleis brukt.",
        "Kilde":
            "Kjelde",
        "Språk":
            "Språk",
        "ID":
            "ID",
        "← Tilbake til treff":
            "← Tilbake til treff",
        "Tilbake til treff":
            "Tilbake til treff",
        "Åpne original":
            "Opne original",
        "Åpner kildefilen eller nettadressen i et annet program":
            "Opnar kjeldefila eller nettadressa i eit anna program",
        "Kopier lenke":
            "Kopier lenkje",
        "Kopier tittel":
            "Kopier tittel",
        "Større tekst":
            "Større tekst",
        "Større tekst (Ctrl++)":
            "Større tekst (Ctrl++)",
        "Mindre tekst":
            "Mindre tekst",
        "Mindre tekst (Ctrl+-)":
            "Mindre tekst (Ctrl+-)",
        "Avsnitt":
            "Avsnitt",
        "Avsnitt i dokumentet":
            "Avsnitt i dokumentet",
        "Om dokumentet":
            "Om dokumentet",
        "Dokumenttekst":
            "Dokumenttekst",
        "Finn i dokumentet:":
            "Finn i dokumentet:",
        "Finn i dokumentet":
            "Finn i dokumentet",
        "Forrige":
            "Førre",
        "Neste":
            "Neste",
        "Lukk søkelinjen":
            "Lukk søkjelinja",
        "Eier":
            "Eigar",
        "Enhet":
            "Eining",
        "Revidert":
            "Revidert",
        "Nøkkelord":
            "Nøkkelord",
        "Ikke funnet":
            "Ikkje funne",
        "(innledning)":
            "(innleiing)",
        "Neste revisjon":
            "Neste revisjon",
        "Revisjon forfalt {date}":
            "Revisjon forfallen {date}",
        "Status":
            "Status",
        "Utgått – erstattet av {title}":
            "Utgått – erstatta av {title}",
        "Utgått":
            "Utgått",
        "Kildefinner – feil":
            "Kildefinner – feil",
        "Detaljene er også skrevet til loggfilen: {path}":
            "Detaljane er òg skrivne til loggfila: {path}",
        "Feilmelding":
            "Feilmelding",
        "Noe gikk galt i Kildefinner. Du kan fortsette å bruke programmet; feilen er logget.":
            "Noko gjekk gale i Kildefinner. Du kan halde fram med å bruke programmet; feilen er logga.",
        "Kildefinner – prosedyresøk":
            "Kildefinner – prosedyresøk",
        "&Fil":
            "&Fil",
        "&Vis":
            "&Vis",
        "&Gå":
            "&Gå",
        "&Hjelp":
            "&Hjelp",
        "Bygg indeks …":
            "Bygg indeks …",
        "Innstillinger …":
            "Innstillingar …",
        "Avslutt":
            "Avslutt",
        "Søkefeltet":
            "Søkjefeltet",
        "Tilbake":
            "Tilbake",
        "Fremover":
            "Fram",
        "Normal tekststørrelse":
            "Normal tekststorleik",
        "Nettbrettmodus":
            "Nettbrettmodus",
        "Om Kildefinner":
            "Om Kildefinner",
        "Lukk":
            "Lukk",
        "Noen innstillinger ble ignorert, standardverdier brukes i stedet:":
            "Nokre innstillingar vart ignorerte, standardverdiar blir brukte i staden:",
        "Indeksen kunne ikke åpnes: {message}":
            "Indeksen kunne ikkje opnast: {message}",
        "Kildefinner finner sykepleieprosedyrer uten nettverk. Den nasjonale VAR-prosedyren er primærkilden og vises først.":
            "Kildefinner finn sjukepleieprosedyrar utan nettverk. Den nasjonale VAR-prosedyren er primærkjelda og blir vist først.",
        "Dokumentet kunne ikke åpnes.":
            "Dokumentet kunne ikkje opnast.",
        "Fant verken kildefilen eller en nettadresse for dette dokumentet.":
            "Fann verken kjeldefila eller ei nettadresse for dette dokumentet.",
        "Fil: {path}":
            "Fil: {path}",
        "Originalen kunne ikke åpnes.":
            "Originalen kunne ikkje opnast.",
        "Tittel kopiert":
            "Tittel kopiert",
        "Lenke kopiert":
            "Lenkje kopiert",
        "Endringer i språkmodellen brukes fra neste oppstart.":
            "Endringar i språkmodellen blir brukte frå neste oppstart.",
        "Søket feilet: {msg}":
            "Søket feila: {msg}",
        "revidert {date}":
            "revidert {date}",
        "Primærkilde · VAR":
            "Primærkjelde · VAR",
        "Regional":
            "Regional",
        "Lokal":
            "Lokal",
        "Best treff: {section}":
            "Beste treff: {section}",
        "Antall treff":
            "Tal på treff",
        "Ingen treff for «{query}».":
            "Ingen treff for «{query}».",
        "Ingen gode treff for «{query}». Det nærmeste indeksen har, står under.":
            "Ingen gode treff for «{query}». Det nærmaste indeksen har, står under.",
        "Nærmeste forslag":
            "Nærmaste forslag",
        "Prøv et kortere eller mer generelt ord, eller et synonym (f.eks. «venflon» for PVK).":
            "Prøv eit kortare eller meir generelt ord, eller eit synonym (t.d. «venflon» for PVK).",
        "Skriv i søkefeltet for å finne prosedyrer. Den nasjonale VAR-prosedyren (primærkilden) vises først; regionale og lokale varianter er merket.":
            "Skriv i søkjefeltet for å finne prosedyrar. Den nasjonale VAR-prosedyren (primærkjelda) blir vist først; regionale og lokale variantar er merkte.",
        "Prøv for eksempel:":
            "Prøv til dømes:",
        "Søketreff":
            "Søkjetreff",
        "Nullstill filtre":
            "Nullstill filter",
        "{n} treff":
            "{n} treff",
        "1 treff":
            "1 treff",
        "Mente du «{text}»?":
            "Meinte du «{text}»?",
        "Mente du {text}":
            "Meinte du {text}",
        "Viser treff for «{text}».":
            "Viser treff for «{text}».",
        "Viser ordtreff mens semantisk søk lastes.":
            "Viser ordtreff medan semantisk søk blir lasta.",
        "Filtrene dine kan skjule treff – prøv å nullstille dem.":
            "Filtera dine kan skjule treff – prøv å nullstille dei.",
        "Semantisk søk lastes fortsatt; da kan flere treff dukke opp.":
            "Semantisk søk blir framleis lasta; då kan fleire treff dukke opp.",
        "Semantisk søk er ikke tilgjengelig, så bare ordtreff vises.":
            "Semantisk søk er ikkje tilgjengeleg, så berre ordtreff blir viste.",
        "Søk i prosedyrer, f.eks. «PVK» eller «trykksår»  (Ctrl+K)":
            "Søk i prosedyrar, t.d. «PVK» eller «trykksår»  (Ctrl+K)",
        "Søk i prosedyrer":
            "Søk i prosedyrar",
        "Skriv for å søke. ↓ går til treffene, Enter åpner, Esc tømmer feltet. Prefiks: var:, regional:, lokal:, nn:, utgått:":
            "Skriv for å søkje. ↓ går til treffa, Enter opnar, Esc tømer feltet. Prefiks: var:, regional:, lokal:, nn:, utgått:",
        "Vis eller skjul filtre":
            "Vis eller skjul filter",
        "Kilde:":
            "Kjelde:",
        "VAR (primærkilde)":
            "VAR (primærkjelde)",
        "Språk:":
            "Språk:",
        "Bokmål":
            "Bokmål",
        "Nynorsk":
            "Nynorsk",
        "Ta med dokumenter med forfalt revisjon":
            "Ta med dokument med forfallen revisjon",
        "Ta med utgåtte dokumenter":
            "Ta med utgåtte dokument",
        "Eier/enhet:":
            "Eigar/eining:",
        "f.eks. sengepost 3":
            "t.d. sengepost 3",
        "Filtrer på eier eller enhet":
            "Filtrer på eigar eller eining",
        "Filtre (på)":
            "Filter (på)",
        "Filtre":
            "Filter",
        "Innstillinger":
            "Innstillingar",
        "(tom = demoindeksen)":
            "(tom = demoindeksen)",
        "(tom = modellen som følger med)":
            "(tom = modellen som følgjer med)",
        "Språkmodell:":
            "Språkmodell:",
        "Bruk semantisk søk (laster språkmodellen)":
            "Bruk semantisk søk (lastar språkmodellen)",
        "Nettbrettmodus:":
            "Nettbrettmodus:",
        "Språk i programmet:":
            "Språk i programmet:",
        "Tekststørrelse (faktor):":
            "Tekststorleik (faktor):",
        "Språkmodell":
            "Språkmodell",
        "Bruk semantisk søk":
            "Bruk semantisk søk",
        "Språk i programmet":
            "Språk i programmet",
        "Tekststørrelse":
            "Tekststorleik",
        "Automatisk":
            "Automatisk",
        "På":
            "På",
        "Av":
            "Av",
        "Låst av IT-avdelingen":
            "Låst av IT-avdelinga",
        "{name} {date} · {n} dokumenter: VAR {var}, regionale {reg}, lokale {loc}":
            "{name} {date} · {n} dokument: VAR {var}, regionale {reg}, lokale {loc}",
        "Øyeblikksbilde {snapshot}; {stale} med forfalt revisjon, {sup} utgåtte":
            "Augneblinksbilete {snapshot}; {stale} med forfallen revisjon, {sup} utgåtte",
        "Semantisk søk: laster …":
            "Semantisk søk: lastar …",
        "Bare ordsøk. Årsak: {reason}":
            "Berre ordsøk. Årsak: {reason}",
        "Frakoblet modus: ingen nettverk brukes":
            "Fråkopla modus: ingen nettverk blir brukt",
        "Kildefinner søker bare i den lokale indeksen og kontakter ingen tjenester på nettet.":
            "Kildefinner søkjer berre i den lokale indeksen og kontaktar ingen tenester på nettet.",
        "Fremdrift for indeksbygging: {stage}":
            "Framdrift for indeksbygging: {stage}",
        "Åpner indeksen …":
            "Opnar indeksen …",
        "Ingen indeks åpen":
            "Ingen indeks open",
        "Bygger demoindeksen: {stage} …":
            "Byggjer demoindeksen: {stage} …",
        "Semantisk søk: klart":
            "Semantisk søk: klart",
        "Semantisk søk: utilgjengelig":
            "Semantisk søk: utilgjengeleg",
        "Demoindeks":
            "Demoindeks",
        "Indeks":
            "Indeks",
        "Språkmodellen lastes i bakgrunnen. Ordsøk virker allerede.":
            "Språkmodellen blir lasta i bakgrunnen. Ordsøk verkar allereie.",
        "Treffene kombinerer ordsøk og semantisk søk.":
            "Treffa kombinerer ordsøk og semantisk søk.",
        "Leser dokumenter":
            "Les dokument",
        "Beregner vektorer":
            "Reknar ut vektorar",
        "Skriver indeks":
            "Skriv indeks",
        "slått av i innstillingene":
            "slått av i innstillingane",
        "ingen indeks er åpen":
            "ingen indeks er open",
        "beregner vektorer for demoindeksen":
            "reknar ut vektorar for demoindeksen",
        "språkmodellen kunne ikke lastes (se loggfilen)":
            "språkmodellen kunne ikkje lastast (sjå loggfila)",
        "Leser mapper":
            "Les mapper",
        "Regionale":
            "Regionale",
        "Lokale":
            "Lokale",
    },
    "en": {
        "Frakoblet":
            "Offline",
        "Velg et treff for å lese prosedyren her.":
            "Choose a result to read the procedure here.",
        "Bygger indeks":
            "Building index",
        "Leser mapper …":
            "Reading folders …",
        "Avbryt":
            "Cancel",
        "Indeksen er oppdatert: {new} nye eller endrede, {kept} uendrede, {skipped} hoppet over.":
            "The index is up to date: {new} new or changed, {kept} unchanged, {skipped} skipped.",
        "Bygg indeks fra mapper":
            "Build index from folders",
        "Indeksmappe":
            "Index folder",
        "Indeksmappe:":
            "Index folder:",
        "Bare endrede filer leses på nytt. Den åpne indeksen brukes til den nye er klar.":
            "Only changed files are read again. The open index stays in use until the new one is ready.",
        "Bygg":
            "Build",
        "Velg …":
            "Choose …",
        "Velg mappe":
            "Choose folder",
        "Indeks bygget":
            "Index built",
        "Indeksen kunne ikke bygges.":
            "The index could not be built.",
        "mappe(r), skilt med ;":
            "folder(s), separated by ;",
        "Velg minst én mappe som finnes.":
            "Choose at least one folder that exists.",
        "Disse mappene finnes ikke: {folders}":
            "These folders do not exist: {folders}",
        "Byggingen ble avbrutt. Den forrige indeksen brukes fortsatt.":
            "The build was cancelled. The previous index is still in use.",
        "Kilde":
            "Source",
        "Språk":
            "Language",
        "ID":
            "ID",
        "← Tilbake til treff":
            "← Back to results",
        "Tilbake til treff":
            "Back to results",
        "Åpne original":
            "Open original",
        "Åpner kildefilen eller nettadressen i et annet program":
            "Opens the source file or web address in another program",
        "Kopier lenke":
            "Copy link",
        "Kopier tittel":
            "Copy title",
        "Større tekst":
            "Larger text",
        "Større tekst (Ctrl++)":
            "Larger text (Ctrl++)",
        "Mindre tekst":
            "Smaller text",
        "Mindre tekst (Ctrl+-)":
            "Smaller text (Ctrl+-)",
        "Avsnitt":
            "Sections",
        "Avsnitt i dokumentet":
            "Sections of the document",
        "Om dokumentet":
            "About the document",
        "Dokumenttekst":
            "Document text",
        "Finn i dokumentet:":
            "Find in document:",
        "Finn i dokumentet":
            "Find in document",
        "Forrige":
            "Previous",
        "Neste":
            "Next",
        "Lukk søkelinjen":
            "Close the find bar",
        "Eier":
            "Owner",
        "Enhet":
            "Unit",
        "Revidert":
            "Revised",
        "Nøkkelord":
            "Keywords",
        "Ikke funnet":
            "Not found",
        "(innledning)":
            "(introduction)",
        "Neste revisjon":
            "Next review",
        "Revisjon forfalt {date}":
            "Review overdue since {date}",
        "Status":
            "Status",
        "Utgått – erstattet av {title}":
            "Withdrawn – replaced by {title}",
        "Utgått":
            "Withdrawn",
        "Kildefinner – feil":
            "Kildefinner – error",
        "Detaljene er også skrevet til loggfilen: {path}":
            "The details are also written to the log file: {path}",
        "Feilmelding":
            "Error message",
        "Noe gikk galt i Kildefinner. Du kan fortsette å bruke programmet; feilen er logget.":
            "Something went wrong in Kildefinner. You can keep using the program; the error has been logged.",
        "Kildefinner – prosedyresøk":
            "Kildefinner – procedure search",
        "&Fil":
            "&File",
        "&Vis":
            "&View",
        "&Gå":
            "&Go",
        "&Hjelp":
            "&Help",
        "Bygg indeks …":
            "Build index …",
        "Innstillinger …":
            "Settings …",
        "Avslutt":
            "Quit",
        "Søkefeltet":
            "Search field",
        "Tilbake":
            "Back",
        "Fremover":
            "Forward",
        "Normal tekststørrelse":
            "Normal text size",
        "Nettbrettmodus":
            "Tablet mode",
        "Om Kildefinner":
            "About Kildefinner",
        "Lukk":
            "Close",
        "Noen innstillinger ble ignorert, standardverdier brukes i stedet:":
            "Some settings were ignored; defaults are used instead:",
        "Indeksen kunne ikke åpnes: {message}":
            "The index could not be opened: {message}",
        "Kildefinner finner sykepleieprosedyrer uten nettverk. Den nasjonale VAR-prosedyren er primærkilden og vises først.":
            "Kildefinner finds nursing procedures without a network. The national VAR procedure is the primary source and is shown first.",
        "Dokumentet kunne ikke åpnes.":
            "The document could not be opened.",
        "Fant verken kildefilen eller en nettadresse for dette dokumentet.":
            "Found neither the source file nor a web address for this document.",
        "Fil: {path}":
            "File: {path}",
        "Originalen kunne ikke åpnes.":
            "The original could not be opened.",
        "Tittel kopiert":
            "Title copied",
        "Lenke kopiert":
            "Link copied",
        "Endringer i språkmodellen brukes fra neste oppstart.":
            "Changes to the language model take effect at the next start.",
        "Søket feilet: {msg}":
            "The search failed: {msg}",
        "revidert {date}":
            "revised {date}",
        "Primærkilde · VAR":
            "Primary source · VAR",
        "Regional":
            "Regional",
        "Lokal":
            "Local",
        "Best treff: {section}":
            "Best match: {section}",
        "Antall treff":
            "Number of results",
        "Ingen treff for «{query}».":
            "No results for “{query}”.",
        "Ingen gode treff for «{query}». Det nærmeste indeksen har, står under.":
            "No good matches for “{query}”. The closest the index has are below.",
        "Nærmeste forslag":
            "Closest suggestion",
        "Prøv et kortere eller mer generelt ord, eller et synonym (f.eks. «venflon» for PVK).":
            "Try a shorter or more general word, or a synonym (e.g. “venflon” for PVK).",
        "Skriv i søkefeltet for å finne prosedyrer. Den nasjonale VAR-prosedyren (primærkilden) vises først; regionale og lokale varianter er merket.":
            "Type in the search field to find procedures. The national VAR procedure (the primary source) is shown first; regional and local variants are marked.",
        "Prøv for eksempel:":
            "Try for example:",
        "Søketreff":
            "Search results",
        "Nullstill filtre":
            "Reset filters",
        "{n} treff":
            "{n} results",
        "1 treff":
            "1 result",
        "Mente du «{text}»?":
            "Did you mean “{text}”?",
        "Mente du {text}":
            "Did you mean {text}",
        "Viser treff for «{text}».":
            "Showing results for “{text}”.",
        "Viser ordtreff mens semantisk søk lastes.":
            "Showing word matches while semantic search loads.",
        "Filtrene dine kan skjule treff – prøv å nullstille dem.":
            "Your filters may hide results – try resetting them.",
        "Semantisk søk lastes fortsatt; da kan flere treff dukke opp.":
            "Semantic search is still loading; more results may appear then.",
        "Semantisk søk er ikke tilgjengelig, så bare ordtreff vises.":
            "Semantic search is not available, so only word matches are shown.",
        "Søk i prosedyrer, f.eks. «PVK» eller «trykksår»  (Ctrl+K)":
            "Search procedures, e.g. “PVK” or “trykksår”  (Ctrl+K)",
        "Søk i prosedyrer":
            "Search procedures",
        "Skriv for å søke. ↓ går til treffene, Enter åpner, Esc tømmer feltet. Prefiks: var:, regional:, lokal:, nn:, utgått:":
            "Type to search. ↓ moves to the results, Enter opens, Esc clears the field. Prefixes: var:, regional:, lokal:, nn:, utgått:",
        "Vis eller skjul filtre":
            "Show or hide filters",
        "Kilde:":
            "Source:",
        "VAR (primærkilde)":
            "VAR (primary source)",
        "Språk:":
            "Language:",
        "Bokmål":
            "Bokmål",
        "Nynorsk":
            "Nynorsk",
        "Ta med dokumenter med forfalt revisjon":
            "Include documents overdue for review",
        "Ta med utgåtte dokumenter":
            "Include withdrawn documents",
        "Eier/enhet:":
            "Owner/unit:",
        "f.eks. sengepost 3":
            "e.g. sengepost 3",
        "Filtrer på eier eller enhet":
            "Filter by owner or unit",
        "Filtre (på)":
            "Filters (on)",
        "Filtre":
            "Filters",
        "Innstillinger":
            "Settings",
        "(tom = demoindeksen)":
            "(empty = the demo index)",
        "(tom = modellen som følger med)":
            "(empty = the bundled model)",
        "Språkmodell:":
            "Language model:",
        "Bruk semantisk søk (laster språkmodellen)":
            "Use semantic search (loads the language model)",
        "Nettbrettmodus:":
            "Tablet mode:",
        "Språk i programmet:":
            "Interface language:",
        "Tekststørrelse (faktor):":
            "Text size (factor):",
        "Språkmodell":
            "Language model",
        "Bruk semantisk søk":
            "Use semantic search",
        "Språk i programmet":
            "Interface language",
        "Tekststørrelse":
            "Text size",
        "Automatisk":
            "Automatic",
        "På":
            "On",
        "Av":
            "Off",
        "Låst av IT-avdelingen":
            "Locked by the IT department",
        "{name} {date} · {n} dokumenter: VAR {var}, regionale {reg}, lokale {loc}":
            "{name} {date} · {n} documents: VAR {var}, regional {reg}, local {loc}",
        "Øyeblikksbilde {snapshot}; {stale} med forfalt revisjon, {sup} utgåtte":
            "Snapshot {snapshot}; {stale} overdue for review, {sup} withdrawn",
        "Semantisk søk: laster …":
            "Semantic search: loading …",
        "Bare ordsøk. Årsak: {reason}":
            "Word search only. Reason: {reason}",
        "Frakoblet modus: ingen nettverk brukes":
            "Offline mode: no network is used",
        "Kildefinner søker bare i den lokale indeksen og kontakter ingen tjenester på nettet.":
            "Kildefinner only searches the local index and contacts no online services.",
        "Fremdrift for indeksbygging: {stage}":
            "Index build progress: {stage}",
        "Åpner indeksen …":
            "Opening the index …",
        "Ingen indeks åpen":
            "No index open",
        "Bygger demoindeksen: {stage} …":
            "Building the demo index: {stage} …",
        "Semantisk søk: klart":
            "Semantic search: ready",
        "Semantisk søk: utilgjengelig":
            "Semantic search: unavailable",
        "Demoindeks":
            "Demo index",
        "Indeks":
            "Index",
        "Språkmodellen lastes i bakgrunnen. Ordsøk virker allerede.":
            "The language model is loading in the background. Word search already works.",
        "Treffene kombinerer ordsøk og semantisk søk.":
            "Results combine word search and semantic search.",
        "Leser dokumenter":
            "Reading documents",
        "Beregner vektorer":
            "Computing vectors",
        "Skriver indeks":
            "Writing index",
        "slått av i innstillingene":
            "turned off in the settings",
        "ingen indeks er åpen":
            "no index is open",
        "beregner vektorer for demoindeksen":
            "computing vectors for the demo index",
        "språkmodellen kunne ikke lastes (se loggfilen)":
            "the language model could not be loaded (see the log file)",
        "Leser mapper":
            "Reading folders",
        "Regionale":
            "Regional",
        "Lokale":
            "Local",
    },
}

# The bookmarks and onboarding-set strings live in their own table (app/i18n/sets_catalogue.py).
from app.i18n.sets_catalogue import SETS_CATALOGUE

for _code, _table in SETS_CATALOGUE.items():
    CATALOGUE.setdefault(_code, {}).update(_table)

# The cleanup ("Rydding") and overlap strings live in their own table (app/i18n/cleanup_catalogue.py).
from app.i18n.cleanup_catalogue import CLEANUP_CATALOGUE

for _code, _table in CLEANUP_CATALOGUE.items():
    CATALOGUE.setdefault(_code, {}).update(_table)

from app.i18n.ui_catalogue import UI_CATALOGUE

for _code, _table in UI_CATALOGUE.items():
    CATALOGUE.setdefault(_code, {}).update(_table)

from app.i18n.config_catalogue import CONFIG_CATALOGUE

for _code, _table in CONFIG_CATALOGUE.items():
    CATALOGUE.setdefault(_code, {}).update(_table)
