"""Translations of the start page, background build, no-index, held-back results and «Åpne original» strings
(merged into ``app.i18n.catalogue.CATALOGUE``; keyed by the bokmål source string)."""

UI_CATALOGUE: dict[str, dict[str, str]] = {
    "nn": {
        "Den nye indeksen er tatt i bruk: {new} nye eller endrede, {kept} uendrede, {skipped} hoppet over.":
            "Den nye indeksen er teken i bruk: {new} nye eller endra, {kept} uendra, {skipped} hoppa over.",
        "Den nye indeksen er tatt i bruk.": "Den nye indeksen er teken i bruk.",
        "Ingen dokumenter kunne leses fra mappene. Kildefinner leser PDF, Word (DOCX), HTML, Markdown og "
        "tekstfiler; sjekk at mappene inneholder slike filer.":
            "Ingen dokument kunne lesast frå mappene. Kildefinner les PDF, Word (DOCX), HTML, Markdown og "
            "tekstfiler; sjekk at mappene inneheld slike filer.",
        "Indeksen kunne ikke bygges. Den forrige indeksen brukes fortsatt.":
            "Indeksen kunne ikkje byggjast. Den førre indeksen blir framleis brukt.",
        "Indeksmappen kunne ikke skrives (full disk eller manglende skrivetilgang). Velg en annen indeksmappe "
        "eller frigjør plass.":
            "Indeksmappa kunne ikkje skrivast (full disk eller manglande skrivetilgang). Vel ei anna indeksmappe "
            "eller frigjer plass.",
        "Se detaljene for årsaken.": "Sjå detaljane for årsaka.",
        "Det finnes ingen brukbar indeks i {folder}. Velg Fil → Bygg indeks … for å lage en fra mappene med "
        "prosedyrene, eller velg en annen indeksmappe i Fil → Innstillinger.":
            "Det finst ingen brukbar indeks i {folder}. Vel Fil → Bygg indeks … for å lage ein frå mappene med "
            "prosedyrane, eller vel ei anna indeksmappe i Fil → Innstillingar.",
        "Semantisk søk er ikke tilgjengelig ({reason}); ordsøk virker.":
            "Semantisk søk er ikkje tilgjengeleg ({reason}); ordsøk verkar.",
        "Melding": "Melding",
        "Originalen åpnes i et annet program …": "Originalen blir opna i eit anna program …",
        "Indeksen kunne ikke åpnes.": "Indeksen kunne ikkje opnast.",
        "{n} dokumenter.": "{n} dokument.",
        "… og {n} til (se loggfilen).": "… og {n} til (sjå loggfila).",
        "Originalen ble ikke åpnet.": "Originalen vart ikkje opna.",
        "Ingen program på denne maskinen kunne åpne originalen.":
            "Ingen program på denne maskina kunne opne originalen.",
        "Den nye indeksen kunne ikke åpnes; den forrige brukes fortsatt.":
            "Den nye indeksen kunne ikkje opnast; den førre blir framleis brukt.",
        "En indeks bygges allerede; se fremdriften nederst i vinduet.":
            "Ein indeks blir allereie bygd; sjå framdrifta nedst i vindauget.",
        "Gjør klar demoindeksen …": "Gjer klar demoindeksen …",
        "Åpen indeks: demoindeksen – oppdiktede eksempelprosedyrer som viser hvordan Kildefinner virker (ikke "
        "til klinisk bruk).":
            "Open indeks: demoindeksen – oppdikta dømeprosedyrar som viser korleis Kildefinner verkar (ikkje "
            "til klinisk bruk).",
        "Åpen indeks: {folder}": "Open indeks: {folder}",
        "Semantisk søk (søk på mening, ikke bare ord) lastes i bakgrunnen; ordsøk virker allerede.":
            "Semantisk søk (søk på meining, ikkje berre ord) blir lasta i bakgrunnen; ordsøk verkar allereie.",
        "Semantisk søk er klart: treffene kombinerer ordsøk og søk på mening.":
            "Semantisk søk er klart: treffa kombinerer ordsøk og søk på meining.",
        "Be IT om et program som åpner {kind}-filer, eller les prosedyren her i Kildefinner.":
            "Be IT om eit program som opnar {kind}-filer, eller les prosedyren her i Kildefinner.",
        "slike": "slike",
        "tekst": "tekst",
        "Kildefinner åpner bare dokumenter og nettsider, ikke adresser av typen «{scheme}:».":
            "Kildefinner opnar berre dokument og nettsider, ikkje adresser av typen «{scheme}:».",
        "Kildefinner åpner bare dokumenter (PDF, Word, HTML, Markdown og tekst), ikke «{name}».":
            "Kildefinner opnar berre dokument (PDF, Word, HTML, Markdown og tekst), ikkje «{name}».",
        "Adressen peker på et program, og det åpner ikke Kildefinner.":
            "Adressa peikar på eit program, og det opnar ikkje Kildefinner.",
        "Søket finner ingenting fordi ingen indeks er åpen.": "Søket finn ingenting fordi ingen indeks er open.",
        "Oppdaterte treff er klare ({n}) – vis dem": "Oppdaterte treff er klare ({n}) – vis dei",
        "Vis oppdaterte treff": "Vis oppdaterte treff",
        "Treff fra semantisk søk eller en ny indeks er klare; listen endres ikke før du ber om det.":
            "Treff frå semantisk søk eller ein ny indeks er klare; lista blir ikkje endra før du ber om det.",
        "Egne prosedyrer: velg Fil → Bygg indeks … (Ctrl+B) og pek på mappene med dokumentene (PDF, Word, HTML, "
        "Markdown eller tekst). VAR-, regionale og lokale mapper velges hver for seg. Søket virker videre mens "
        "indeksen bygges.":
            "Eigne prosedyrar: vel Fil → Bygg indeks … (Ctrl+B) og peik på mappene med dokumenta (PDF, Word, "
            "HTML, Markdown eller tekst). VAR-, regionale og lokale mapper blir valde kvar for seg. Søket verkar "
            "vidare medan indeksen blir bygd.",
        "Legg inn egne prosedyrer …": "Legg inn eigne prosedyrar …",
        "Åpner Fil → Bygg indeks": "Opnar Fil → Bygg indeks",
        "Ingen indeks er åpen – velg Fil → Bygg indeks …": "Ingen indeks er open – vel Fil → Bygg indeks …",
        "Treffene vises i listen under feltet.": "Treffa blir viste i lista under feltet.",
        "ca. {n} min igjen": "ca. {n} min att",
        "ca. {n} s igjen": "ca. {n} s att",
        "Avbryt bygging": "Avbryt bygginga",
        "Avbryt byggingen av indeksen": "Avbryt bygginga av indeksen",
        "Avbryter byggingen …": "Avbryt bygginga …",
        "Bygger indeks: {stage}": "Byggjer indeks: {stage}",
        "Tøm søkefeltet": "Tøm søkjefeltet",
        "Tøm eierfilteret": "Tøm eigarfilteret",
        "Settet er tomt. Legg til prosedyrer fra søketreffene: høyreklikk et treff eller trykk Ctrl+Shift+D, "
        "eller bruk «☆ Legg til i sett …» over dokumentet.":
            "Settet er tomt. Legg til prosedyrar frå søkjetreffa: høgreklikk eit treff eller trykk Ctrl+Shift+D, "
            "eller bruk «☆ Legg til i sett …» over dokumentet.",
        "{n} prosedyre(r) er utgått uten at erstatningen finnes i indeksen; søk etter en nyere prosedyre eller "
        "fjern punktet.":
            "{n} prosedyre(ar) er utgått utan at erstatninga finst i indeksen; søk etter ein nyare prosedyre "
            "eller fjern punktet.",
        'Skriv et prefiks foran søkeordene, f.eks. «var: PVK» eller «nn: munnstell». Flere prefiks kan kombineres.':
            'Skriv eit prefiks framfor søkjeorda, t.d. «var: PVK» eller «nn: munnstell». Fleire prefiks kan kombinerast.',
        'bare VAR-prosedyrer (primærkilden)':
            'berre VAR-prosedyrar (primærkjelda)',
        'bare regionale prosedyrer':
            'berre regionale prosedyrar',
        'bare lokale prosedyrer':
            'berre lokale prosedyrar',
        'bare dokumenter på bokmål':
            'berre dokument på bokmål',
        'bare dokumenter på nynorsk':
            'berre dokument på nynorsk',
        'bare dokumenter på engelsk':
            'berre dokument på engelsk',
        'ta med utgåtte dokumenter':
            'ta med utgåtte dokument',
        'flytt i treffene (fra søkefeltet)':
            'flytt i treffa (frå søkjefeltet)',
        'åpne det markerte treffet':
            'opne det markerte treffet',
        'tøm søkefeltet, eller tilbake til søkefeltet fra dokumentet':
            'tøm søkjefeltet, eller tilbake til søkjefeltet frå dokumentet',
        'gå til søkefeltet':
            'gå til søkjefeltet',
        'meny for det markerte treffet':
            'meny for det markerte treffet',
        'Hurtigtaster og søkeprefiks':
            'Snarvegstastar og søkjeprefiks',
        'Kildefinner {version}':
            'Kildefinner {version}',
        'Søkeprefiks':
            'Søkjeprefiks',
        'Hurtigtaster':
            'Snarvegstastar',
        "sett":
            "sett",
        "avkrysset":
            "avkryssa",
        "Lagre sjekkliste med avkrysninger som PDF":
            "Lagre sjekkliste med avkryssingar som PDF",
        "Lagre sjekkliste med avkrysninger som PDF …":
            "Lagre sjekkliste med avkryssingar som PDF …",
        "Med dine avkrysninger og datoene de ble gjort, f.eks. til veilederen":
            "Med avkryssingane dine og datoane dei vart gjorde, t.d. til rettleiaren",
        "↑ Fra starten":
            "↑ Frå starten",
        "Til tittelen og starten av prosedyren (Ctrl+Home)":
            "Til tittelen og starten av prosedyren (Ctrl+Home)",
        "Les fra starten av prosedyren":
            "Les frå starten av prosedyren",
        "Viser avsnittet «{section}».":
            "Viser avsnittet «{section}».",
    },
    "en": {
        "Den nye indeksen er tatt i bruk: {new} nye eller endrede, {kept} uendrede, {skipped} hoppet over.":
            "The new index is in use: {new} new or changed, {kept} unchanged, {skipped} skipped.",
        "Den nye indeksen er tatt i bruk.": "The new index is in use.",
        "Ingen dokumenter kunne leses fra mappene. Kildefinner leser PDF, Word (DOCX), HTML, Markdown og "
        "tekstfiler; sjekk at mappene inneholder slike filer.":
            "No document could be read from the folders. Kildefinner reads PDF, Word (DOCX), HTML, Markdown and "
            "text files; check that the folders contain such files.",
        "Indeksen kunne ikke bygges. Den forrige indeksen brukes fortsatt.":
            "The index could not be built. The previous index is still in use.",
        "Indeksmappen kunne ikke skrives (full disk eller manglende skrivetilgang). Velg en annen indeksmappe "
        "eller frigjør plass.":
            "The index folder could not be written (disk full or no write access). Choose another index folder "
            "or free some space.",
        "Se detaljene for årsaken.": "See the details for the cause.",
        "Det finnes ingen brukbar indeks i {folder}. Velg Fil → Bygg indeks … for å lage en fra mappene med "
        "prosedyrene, eller velg en annen indeksmappe i Fil → Innstillinger.":
            "There is no usable index in {folder}. Choose File → Build index … to make one from the folders with "
            "the procedures, or choose another index folder in File → Settings.",
        "Semantisk søk er ikke tilgjengelig ({reason}); ordsøk virker.":
            "Semantic search is not available ({reason}); word search works.",
        "Melding": "Notice",
        "Originalen åpnes i et annet program …": "The original opens in another program …",
        "Indeksen kunne ikke åpnes.": "The index could not be opened.",
        "{n} dokumenter.": "{n} documents.",
        "… og {n} til (se loggfilen).": "… and {n} more (see the log file).",
        "Originalen ble ikke åpnet.": "The original was not opened.",
        "Ingen program på denne maskinen kunne åpne originalen.": "No program on this computer could open the original.",
        "Den nye indeksen kunne ikke åpnes; den forrige brukes fortsatt.":
            "The new index could not be opened; the previous one is still in use.",
        "En indeks bygges allerede; se fremdriften nederst i vinduet.":
            "An index is already being built; see the progress at the bottom of the window.",
        "Gjør klar demoindeksen …": "Preparing the demo index …",
        "Åpen indeks: demoindeksen – oppdiktede eksempelprosedyrer som viser hvordan Kildefinner virker (ikke "
        "til klinisk bruk).":
            "Open index: the demo index – fictional example procedures that show how Kildefinner works (not for "
            "clinical use).",
        "Åpen indeks: {folder}": "Open index: {folder}",
        "Semantisk søk (søk på mening, ikke bare ord) lastes i bakgrunnen; ordsøk virker allerede.":
            "Semantic search (search by meaning, not only words) is loading in the background; word search "
            "already works.",
        "Semantisk søk er klart: treffene kombinerer ordsøk og søk på mening.":
            "Semantic search is ready: results combine word search and search by meaning.",
        "Be IT om et program som åpner {kind}-filer, eller les prosedyren her i Kildefinner.":
            "Ask IT for a program that opens {kind} files, or read the procedure here in Kildefinner.",
        "slike": "such",
        "tekst": "text",
        "Kildefinner åpner bare dokumenter og nettsider, ikke adresser av typen «{scheme}:».":
            "Kildefinner only opens documents and web pages, not «{scheme}:» addresses.",
        "Kildefinner åpner bare dokumenter (PDF, Word, HTML, Markdown og tekst), ikke «{name}».":
            "Kildefinner only opens documents (PDF, Word, HTML, Markdown and text), not «{name}».",
        "Adressen peker på et program, og det åpner ikke Kildefinner.":
            "The address points to a program, and Kildefinner does not open programs.",
        "Søket finner ingenting fordi ingen indeks er åpen.": "The search finds nothing because no index is open.",
        "Oppdaterte treff er klare ({n}) – vis dem": "Updated results are ready ({n}) – show them",
        "Vis oppdaterte treff": "Show updated results",
        "Treff fra semantisk søk eller en ny indeks er klare; listen endres ikke før du ber om det.":
            "Results from semantic search or a new index are ready; the list does not change until you ask.",
        "Egne prosedyrer: velg Fil → Bygg indeks … (Ctrl+B) og pek på mappene med dokumentene (PDF, Word, HTML, "
        "Markdown eller tekst). VAR-, regionale og lokale mapper velges hver for seg. Søket virker videre mens "
        "indeksen bygges.":
            "Your own procedures: choose File → Build index … (Ctrl+B) and point to the folders with the "
            "documents (PDF, Word, HTML, Markdown or text). VAR, regional and local folders are chosen "
            "separately. Searching keeps working while the index is built.",
        "Legg inn egne prosedyrer …": "Add your own procedures …",
        "Åpner Fil → Bygg indeks": "Opens File → Build index",
        "Ingen indeks er åpen – velg Fil → Bygg indeks …": "No index is open – choose File → Build index …",
        "Treffene vises i listen under feltet.": "Results are shown in the list below the field.",
        "ca. {n} min igjen": "about {n} min left",
        "ca. {n} s igjen": "about {n} s left",
        "Avbryt bygging": "Cancel build",
        "Avbryt byggingen av indeksen": "Cancel building the index",
        "Avbryter byggingen …": "Cancelling the build …",
        "Bygger indeks: {stage}": "Building the index: {stage}",
        "Tøm søkefeltet": "Clear the search field",
        "Tøm eierfilteret": "Clear the owner filter",
        "Settet er tomt. Legg til prosedyrer fra søketreffene: høyreklikk et treff eller trykk Ctrl+Shift+D, "
        "eller bruk «☆ Legg til i sett …» over dokumentet.":
            "The set is empty. Add procedures from the search results: right-click a result or press "
            "Ctrl+Shift+D, or use «☆ Add to set …» above the document.",
        "{n} prosedyre(r) er utgått uten at erstatningen finnes i indeksen; søk etter en nyere prosedyre eller "
        "fjern punktet.":
            "{n} procedure(s) superseded, and the replacement is not in the index; search for a newer procedure "
            "or remove the item.",
        'Skriv et prefiks foran søkeordene, f.eks. «var: PVK» eller «nn: munnstell». Flere prefiks kan kombineres.':
            'Type a prefix before the search words, e.g. «var: PVK» or «nn: munnstell». Prefixes can be combined.',
        'bare VAR-prosedyrer (primærkilden)':
            'only VAR procedures (the primary source)',
        'bare regionale prosedyrer':
            'only regional procedures',
        'bare lokale prosedyrer':
            'only local procedures',
        'bare dokumenter på bokmål':
            'only documents in Bokmål',
        'bare dokumenter på nynorsk':
            'only documents in Nynorsk',
        'bare dokumenter på engelsk':
            'only documents in English',
        'ta med utgåtte dokumenter':
            'include superseded documents',
        'flytt i treffene (fra søkefeltet)':
            'move through the results (from the search field)',
        'åpne det markerte treffet':
            'open the highlighted result',
        'tøm søkefeltet, eller tilbake til søkefeltet fra dokumentet':
            'clear the search field, or back to it from the document',
        'gå til søkefeltet':
            'go to the search field',
        'meny for det markerte treffet':
            'menu for the highlighted result',
        'Hurtigtaster og søkeprefiks':
            'Keyboard shortcuts and search prefixes',
        'Kildefinner {version}':
            'Kildefinner {version}',
        'Søkeprefiks':
            'Search prefixes',
        'Hurtigtaster':
            'Keyboard shortcuts',
        "sett":
            "set",
        "avkrysset":
            "ticked",
        "Lagre sjekkliste med avkrysninger som PDF":
            "Save checklist with ticks as PDF",
        "Lagre sjekkliste med avkrysninger som PDF …":
            "Save checklist with ticks as PDF …",
        "Med dine avkrysninger og datoene de ble gjort, f.eks. til veilederen":
            "With your ticks and the dates they were made, e.g. for your supervisor",
        "↑ Fra starten":
            "↑ From the start",
        "Til tittelen og starten av prosedyren (Ctrl+Home)":
            "To the title and the start of the procedure (Ctrl+Home)",
        "Les fra starten av prosedyren":
            "Read the procedure from the start",
        "Viser avsnittet «{section}».":
            "Showing the section «{section}».",
    },
}
