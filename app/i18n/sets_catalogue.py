"""Translations of the bookmarks and onboarding-set strings, merged into ``app.i18n.catalogue.CATALOGUE``.

Kept apart so the sets feature is translated and reviewed in one place. Keyed by the bokmål source string;
placeholders must match the source.
"""

SETS_CATALOGUE: dict[str, dict[str, str]] = {
    "nn": {
        "Vis sett og bokmerker":
            "Vis sett og bokmerke",
        "Bokmerke (stjerne)":
            "Bokmerke (stjerne)",
        "Legg til i sett …":
            "Legg til i sett …",
        "Nytt sett …":
            "Nytt sett …",
        "Importer sett …":
            "Importer sett …",
        "Nytt sett med denne prosedyren …":
            "Nytt sett med denne prosedyren …",
        "&Sett":
            "&Sett",
        "«{title}» er lagt i Mine bokmerker.":
            "«{title}» er lagd i Mine bokmerke.",
        "«{title}» er fjernet fra Mine bokmerker.":
            "«{title}» er fjerna frå Mine bokmerke.",
        "«{title}» er lagt til i «{name}».":
            "«{title}» er lagd til i «{name}».",
        "«{title}» står allerede i «{name}».":
            "«{title}» står allereie i «{name}».",
        "«{title}» er fjernet fra «{name}».":
            "«{title}» er fjerna frå «{name}».",
        "Nytt sett":
            "Nytt sett",
        "f.eks. Nyansatt sykepleier – kirurgisk sengepost, uke 1–4":
            "t.d. Nytilsett sjukepleiar – kirurgisk sengepost, veke 1–4",
        "Navn på settet":
            "Namn på settet",
        "Hvem settet er for, og hvordan det skal brukes":
            "Kven settet er for, og korleis det skal brukast",
        "Beskrivelse av settet":
            "Skildring av settet",
        "Navn:":
            "Namn:",
        "Beskrivelse:":
            "Skildring:",
        "Eksporter sett":
            "Eksporter sett",
        "Kildefinner-sett (*.kildesett)":
            "Kildefinner-sett (*.kildesett)",
        "Settet er eksportert til {path}":
            "Settet er eksportert til {path}",
        "Importer sett":
            "Importer sett",
        "Settet «{name}» er importert ({n} punkter).":
            "Settet «{name}» er importert ({n} punkt).",
        "Kopiert til dine sett som «{name}».":
            "Kopiert til dine sett som «{name}».",
        "Lagre sjekkliste som PDF":
            "Lagre sjekkliste som PDF",
        "PDF (*.pdf)":
            "PDF (*.pdf)",
        "Sjekklisten er lagret som {path}":
            "Sjekklista er lagra som {path}",
        "Skriv ut sjekkliste":
            "Skriv ut sjekkliste",
        "Eksporter til fil (.kildesett) …":
            "Eksporter til fil (.kildesett) …",
        "Lagre sjekkliste som PDF …":
            "Lagre sjekkliste som PDF …",
        "Skriv ut sjekkliste …":
            "Skriv ut sjekkliste …",
        "Kopier til mine sett":
            "Kopier til mine sett",
        "Slett settet …":
            "Slett settet …",
        "{name} (kopi)":
            "{name} (kopi)",
        "Settet i «{file}» ble ikke importert. Ingenting er endret.":
            "Settet i «{file}» vart ikkje importert. Ingenting er endra.",
        "{n} nye punkter lagt til i «{name}».":
            "{n} nye punkt lagde til i «{name}».",
        "Settet finnes allerede":
            "Settet finst allereie",
        "Du har allerede et sett som heter «{name}».":
            "Du har allereie eit sett som heiter «{name}».",
        "Slå sammen legger til punktene du ikke har fra før. Nytt navn importerer settet som et eget sett.":
            "Slå saman legg til punkta du ikkje har frå før. Nytt namn importerer settet som eit eige sett.",
        "Slå sammen":
            "Slå saman",
        "Importer med nytt navn":
            "Importer med nytt namn",
        "navn":
            "namn",
        "beskrivelse":
            "skildring",
        "Filen er for stor til å være et sett (over {n} kB).":
            "Fila er for stor til å vere eit sett (over {n} kB).",
        "Filen er ikke en Kildefinner-settfil.":
            "Fila er ikkje ei Kildefinner-settfil.",
        "Filen mangler et gyldig versjonsnummer.":
            "Fila manglar eit gyldig versjonsnummer.",
        "Filen er laget av en nyere versjon av Kildefinner (format {v}); oppdater programmet for å åpne den.":
            "Fila er laga av ein nyare versjon av Kildefinner (format {v}); oppdater programmet for å opne ho.",
        "Ukjent filversjon {v}.":
            "Ukjend filversjon {v}.",
        "Filen mangler selve settet.":
            "Fila manglar sjølve settet.",
        "Feltet «{field}» er ugyldig.":
            "Feltet «{field}» er ugyldig.",
        "Feltet «{field}» må være en liste.":
            "Feltet «{field}» må vere ei liste.",
        "Settet har for mange punkter (over {n}).":
            "Settet har for mange punkt (over {n}).",
        "punktet er ikke et objekt":
            "punktet er ikkje eit objekt",
        "ukjent type punkt":
            "ukjend type punkt",
        "ukjent kildenivå «{tier}»":
            "ukjent kjeldenivå «{tier}»",
        "Feltet «{field}» må være tekst.":
            "Feltet «{field}» må vere tekst.",
        "Feltet «{field}» inneholder ugyldige tegn.":
            "Feltet «{field}» inneheld ugyldige teikn.",
        "Feltet «{field}» er for langt (over {n} tegn).":
            "Feltet «{field}» er for langt (over {n} teikn).",
        "Feltet «{field}» mangler.":
            "Feltet «{field}» manglar.",
        "Filen kunne ikke lagres: {reason}":
            "Fila kunne ikkje lagrast: {reason}",
        "Filen kunne ikke leses: {reason}":
            "Fila kunne ikkje lesast: {reason}",
        "Filen er ikke en Kildefinner-settfil (ikke UTF-8-tekst).":
            "Fila er ikkje ei Kildefinner-settfil (ikkje UTF-8-tekst).",
        "Filen er ikke en Kildefinner-settfil (for dypt nøstet).":
            "Fila er ikkje ei Kildefinner-settfil (for djupt nøsta).",
        "Filen er skadet eller ufullstendig (ugyldig JSON: {reason}).":
            "Fila er skadd eller ufullstendig (ugyldig JSON: {reason}).",
        "tittel":
            "tittel",
        "eier":
            "eigar",
        "merknad":
            "merknad",
        "Punkt {n} i settet er ugyldig: {reason}":
            "Punkt {n} i settet er ugyldig: {reason}",
        "overskrift":
            "overskrift",
        "ugyldig revisjonsdato":
            "ugyldig revisjonsdato",
        "samme sett som en annen fil":
            "same sett som ei anna fil",
        "Mine bokmerker":
            "Mine bokmerke",
        "{done} av {total} utført":
            "{done} av {total} utført",
        "Overskrift: {text}":
            "Overskrift: {text}",
        "Mine sett":
            "Mine sett",
        "Publisert av IT-avdelingen (kan ikke endres)":
            "Publisert av IT-avdelinga (kan ikkje endrast)",
        "Publisert sett, kan ikke endres":
            "Publisert sett, kan ikkje endrast",
        "Finnes ikke lenger i indeksen":
            "Finst ikkje lenger i indeksen",
        "Utført {date}":
            "Utført {date}",
        "Les alltid gjeldende versjon av prosedyren i Kildefinner; en utskrift kan bli utdatert.":
            "Les alltid gjeldande versjon av prosedyren i Kildefinner; ei utskrift kan bli utdatert.",
        "Kildefinner – opplæringssjekkliste":
            "Kildefinner – opplæringssjekkliste",
        "Skrevet ut {date}":
            "Skrive ut {date}",
        "Side {n} av {total}":
            "Side {n} av {total}",
        "Utskriften kunne ikke startes.":
            "Utskrifta kunne ikkje startast.",
        "PDF-filen kunne ikke lagres: {reason}":
            "PDF-fila kunne ikkje lagrast: {reason}",
        "Ny medarbeider":
            "Ny medarbeidar",
        "Veileder":
            "Rettleiar",
        "Avdeling/enhet":
            "Avdeling/eining",
        "Startdato":
            "Startdato",
        "Nr.":
            "Nr.",
        "Prosedyre":
            "Prosedyre",
        "Utført":
            "Utført",
        "Dato / signatur":
            "Dato / signatur",
        "Signatur veileder":
            "Signatur rettleiar",
        "Dato":
            "Dato",
        "Settet har ingen prosedyrer ennå.":
            "Settet har ingen prosedyrar enno.",
        "OBS":
            "OBS",
        "Merknad":
            "Merknad",
        "Punktet er allerede fjernet eller endret i et annet vindu. Listen er oppdatert.":
            "Punktet er allereie fjerna eller endra i eit anna vindauge. Lista er oppdatert.",
        "Settet må ha et navn.":
            "Settet må ha eit namn.",
        "Settet finnes ikke lenger (slettet i et annet vindu?).":
            "Settet finst ikkje lenger (sletta i eit anna vindauge?).",
        "Det finnes allerede et sett som heter «{name}».":
            "Det finst allereie eit sett som heiter «{name}».",
        "Settene er lagret av en nyere versjon av Kildefinner ({path}).":
            "Setta er lagra av ein nyare versjon av Kildefinner ({path}).",
        "Settene er opptatt i et annet Kildefinner-vindu. Prøv igjen om litt.":
            "Setta er opptekne i eit anna Kildefinner-vindauge. Prøv igjen om litt.",
        "Fremdrift: {done} av {total} utført":
            "Framdrift: {done} av {total} utført",
        "Settet «{name}» er slettet.":
            "Settet «{name}» er sletta.",
        "Punktet viser nå til «{title}».":
            "Punktet viser no til «{title}».",
        "Sett og bokmerker":
            "Sett og bokmerke",
        "Importer …":
            "Importer …",
        "Nullstill":
            "Nullstill",
        "Fjern alle avkrysninger i settet":
            "Fjern alle avkryssingar i settet",
        "▶ Gå gjennom":
            "▶ Gå gjennom",
        "Åpne prosedyrene i settet én etter én":
            "Opne prosedyrane i settet éin etter éin",
        "Rediger …":
            "Rediger …",
        "Del og skriv ut":
            "Del og skriv ut",
        "Punkter i settet":
            "Punkt i settet",
        "Dra for å endre rekkefølgen (eller Ctrl+↑/↓). Mellomrom krysser av, F2 skriver merknad, Delete fjerner.":
            "Dra for å endre rekkjefølgja (eller Ctrl+↑/↓). Mellomrom kryssar av, F2 skriv merknad, Delete fjernar.",
        "Settene kan ikke lagres på denne maskinen: {reason}":
            "Setta kan ikkje lagrast på denne maskina: {reason}",
        "Ingen sett valgt":
            "Ikkje noko sett valt",
        "Publisert av IT-avdelingen: kan ikke endres, men du kan krysse av, skrive ut og kopiere det til dine egne sett.":
            "Publisert av IT-avdelinga: kan ikkje endrast, men du kan kryssa av, skriva ut og kopiera det til dine eigne sett.",
        "{n} prosedyre(r) finnes ikke lenger i indeksen.":
            "{n} prosedyre(ar) finst ikkje lenger i indeksen.",
        "{n} prosedyre(r) er utgått; velg punktet og «Bytt til erstatningen».":
            "{n} prosedyre(ar) er utgått; vel punktet og «Byt til erstatninga».",
        "Settet «{name}» er opprettet.":
            "Settet «{name}» er oppretta.",
        "Rediger sett":
            "Rediger sett",
        "«{title}» er fjernet fra settet. Angre med «Angre».":
            "«{title}» er fjerna frå settet. Angre med «Angre».",
        "Erstatningen står allerede i settet; det utgåtte punktet er fjernet.":
            "Erstatninga står allereie i settet; det utgåtte punktet er fjerna.",
        "«{title}» finnes ikke lenger i indeksen. Punktet er beholdt slik at du ser hva settet inneholdt; fjern det eller erstatt det med en annen prosedyre.":
            "«{title}» finst ikkje lenger i indeksen. Punktet er halde på slik at du ser kva settet innehaldt; fjern det eller byt det ut med ein annan prosedyre.",
        "↑ Opp":
            "↑ Opp",
        "↓ Ned":
            "↓ Ned",
        "Merknad …":
            "Merknad …",
        "+ Overskrift …":
            "+ Overskrift …",
        "Bytt til erstatningen":
            "Byt til erstatninga",
        "Fjern":
            "Fjern",
        "Angre":
            "Angre",
        "Slett sett":
            "Slett sett",
        "Slette settet «{name}» med {n} punkter? Dette kan ikke angres.":
            "Slette settet «{name}» med {n} punkt? Dette kan ikkje angrast.",
        "Nullstill fremdrift":
            "Nullstill framdrift",
        "Fjerne alle avkrysninger i «{name}»?":
            "Fjerne alle avkryssingar i «{name}»?",
        "Filen med settene dine var skadet og er lagt til side ({path}). Nye sett lagres i en ny fil.":
            "Fila med setta dine var skadd og er lagd til side ({path}). Nye sett blir lagra i ei ny fil.",
        "Ny overskrift":
            "Ny overskrift",
        "Overskrift (f.eks. «Uke 1»), settes inn over valgt punkt:":
            "Overskrift (t.d. «Veke 1»), blir sett inn over valt punkt:",
        "Slett":
            "Slett",
        "Endre overskrift":
            "Endre overskrift",
        "Overskrift:":
            "Overskrift:",
        "Merknad til «{title}» (f.eks. «øves med veileder før selvstendig utførelse»):":
            "Merknad til «{title}» (t.d. «øvast med rettleiar før sjølvstendig utføring»):",
        "{set}: {n} av {total} – {title}":
            "{set}: {n} av {total} – {title}",
        "◀ Forrige":
            "◀ Førre",
        "Forrige prosedyre i settet (Alt+PgUp)":
            "Førre prosedyre i settet (Alt+PgUp)",
        "Neste ▶":
            "Neste ▶",
        "Neste prosedyre i settet (Alt+PgDown)":
            "Neste prosedyre i settet (Alt+PgDown)",
        "Avslutt gjennomgangen":
            "Avslutt gjennomgangen",
        "Gjennomgang av sett":
            "Gjennomgang av sett",
        "(finnes ikke lenger i indeksen)":
            "(finst ikkje lenger i indeksen)",
        "Merknad: {note}":
            "Merknad: {note}",
        "Søk":
            "Søk",
        "Legg prosedyren i Mine bokmerker eller et sett (Ctrl+D = bokmerke)":
            "Legg prosedyren i Mine bokmerke eller eit sett (Ctrl+D = bokmerke)",
        "★ I sett …":
            "★ I sett …",
        "☆ Legg til i sett …":
            "☆ Legg til i sett …",
    },
    "en": {
        "Vis sett og bokmerker":
            "Show sets and bookmarks",
        "Bokmerke (stjerne)":
            "Bookmark (star)",
        "Legg til i sett …":
            "Add to set …",
        "Nytt sett …":
            "New set …",
        "Importer sett …":
            "Import set …",
        "Nytt sett med denne prosedyren …":
            "New set with this procedure …",
        "&Sett":
            "S&ets",
        "«{title}» er lagt i Mine bokmerker.":
            "«{title}» was added to My bookmarks.",
        "«{title}» er fjernet fra Mine bokmerker.":
            "«{title}» was removed from My bookmarks.",
        "«{title}» er lagt til i «{name}».":
            "«{title}» was added to «{name}».",
        "«{title}» står allerede i «{name}».":
            "«{title}» is already in «{name}».",
        "«{title}» er fjernet fra «{name}».":
            "«{title}» was removed from «{name}».",
        "Nytt sett":
            "New set",
        "f.eks. Nyansatt sykepleier – kirurgisk sengepost, uke 1–4":
            "e.g. New nurse – surgical ward, weeks 1–4",
        "Navn på settet":
            "Name of the set",
        "Hvem settet er for, og hvordan det skal brukes":
            "Who the set is for, and how to use it",
        "Beskrivelse av settet":
            "Description of the set",
        "Navn:":
            "Name:",
        "Beskrivelse:":
            "Description:",
        "Eksporter sett":
            "Export set",
        "Kildefinner-sett (*.kildesett)":
            "Kildefinner sets (*.kildesett)",
        "Settet er eksportert til {path}":
            "The set was exported to {path}",
        "Importer sett":
            "Import set",
        "Settet «{name}» er importert ({n} punkter).":
            "The set «{name}» was imported ({n} items).",
        "Kopiert til dine sett som «{name}».":
            "Copied to your sets as «{name}».",
        "Lagre sjekkliste som PDF":
            "Save checklist as PDF",
        "PDF (*.pdf)":
            "PDF (*.pdf)",
        "Sjekklisten er lagret som {path}":
            "The checklist was saved as {path}",
        "Skriv ut sjekkliste":
            "Print checklist",
        "Eksporter til fil (.kildesett) …":
            "Export to file (.kildesett) …",
        "Lagre sjekkliste som PDF …":
            "Save checklist as PDF …",
        "Skriv ut sjekkliste …":
            "Print checklist …",
        "Kopier til mine sett":
            "Copy to my sets",
        "Slett settet …":
            "Delete the set …",
        "{name} (kopi)":
            "{name} (copy)",
        "Settet i «{file}» ble ikke importert. Ingenting er endret.":
            "The set in «{file}» was not imported. Nothing was changed.",
        "{n} nye punkter lagt til i «{name}».":
            "{n} new items added to «{name}».",
        "Settet finnes allerede":
            "The set already exists",
        "Du har allerede et sett som heter «{name}».":
            "You already have a set called «{name}».",
        "Slå sammen legger til punktene du ikke har fra før. Nytt navn importerer settet som et eget sett.":
            "Merge adds the items you do not have yet. New name imports the set as a separate set.",
        "Slå sammen":
            "Merge",
        "Importer med nytt navn":
            "Import with a new name",
        "navn":
            "name",
        "beskrivelse":
            "description",
        "Filen er for stor til å være et sett (over {n} kB).":
            "The file is too large to be a set (over {n} kB).",
        "Filen er ikke en Kildefinner-settfil.":
            "The file is not a Kildefinner set file.",
        "Filen mangler et gyldig versjonsnummer.":
            "The file has no valid version number.",
        "Filen er laget av en nyere versjon av Kildefinner (format {v}); oppdater programmet for å åpne den.":
            "The file was made by a newer version of Kildefinner (format {v}); update the program to open it.",
        "Ukjent filversjon {v}.":
            "Unknown file version {v}.",
        "Filen mangler selve settet.":
            "The file does not contain a set.",
        "Feltet «{field}» er ugyldig.":
            "The field «{field}» is invalid.",
        "Feltet «{field}» må være en liste.":
            "The field «{field}» must be a list.",
        "Settet har for mange punkter (over {n}).":
            "The set has too many items (over {n}).",
        "punktet er ikke et objekt":
            "the item is not an object",
        "ukjent type punkt":
            "unknown item type",
        "ukjent kildenivå «{tier}»":
            "unknown source tier «{tier}»",
        "Feltet «{field}» må være tekst.":
            "The field «{field}» must be text.",
        "Feltet «{field}» inneholder ugyldige tegn.":
            "The field «{field}» contains invalid characters.",
        "Feltet «{field}» er for langt (over {n} tegn).":
            "The field «{field}» is too long (over {n} characters).",
        "Feltet «{field}» mangler.":
            "The field «{field}» is missing.",
        "Filen kunne ikke lagres: {reason}":
            "The file could not be saved: {reason}",
        "Filen kunne ikke leses: {reason}":
            "The file could not be read: {reason}",
        "Filen er ikke en Kildefinner-settfil (ikke UTF-8-tekst).":
            "The file is not a Kildefinner set file (not UTF-8 text).",
        "Filen er ikke en Kildefinner-settfil (for dypt nøstet).":
            "The file is not a Kildefinner set file (nested too deeply).",
        "Filen er skadet eller ufullstendig (ugyldig JSON: {reason}).":
            "The file is damaged or incomplete (invalid JSON: {reason}).",
        "tittel":
            "title",
        "eier":
            "owner",
        "merknad":
            "note",
        "Punkt {n} i settet er ugyldig: {reason}":
            "Item {n} of the set is invalid: {reason}",
        "overskrift":
            "heading",
        "ugyldig revisjonsdato":
            "invalid revision date",
        "samme sett som en annen fil":
            "same set as another file",
        "Mine bokmerker":
            "My bookmarks",
        "{done} av {total} utført":
            "{done} of {total} done",
        "Overskrift: {text}":
            "Heading: {text}",
        "Mine sett":
            "My sets",
        "Publisert av IT-avdelingen (kan ikke endres)":
            "Published by the IT department (read-only)",
        "Publisert sett, kan ikke endres":
            "Published set, read-only",
        "Finnes ikke lenger i indeksen":
            "No longer in the index",
        "Utført {date}":
            "Done {date}",
        "Les alltid gjeldende versjon av prosedyren i Kildefinner; en utskrift kan bli utdatert.":
            "Always read the current version of the procedure in Kildefinner; a printout can go out of date.",
        "Kildefinner – opplæringssjekkliste":
            "Kildefinner – training checklist",
        "Skrevet ut {date}":
            "Printed {date}",
        "Side {n} av {total}":
            "Page {n} of {total}",
        "Utskriften kunne ikke startes.":
            "Printing could not be started.",
        "PDF-filen kunne ikke lagres: {reason}":
            "The PDF file could not be saved: {reason}",
        "Ny medarbeider":
            "New employee",
        "Veileder":
            "Supervisor",
        "Avdeling/enhet":
            "Department/unit",
        "Startdato":
            "Start date",
        "Nr.":
            "No.",
        "Prosedyre":
            "Procedure",
        "Utført":
            "Done",
        "Dato / signatur":
            "Date / signature",
        "Signatur veileder":
            "Supervisor's signature",
        "Dato":
            "Date",
        "Settet har ingen prosedyrer ennå.":
            "The set has no procedures yet.",
        "OBS":
            "Note",
        "Merknad":
            "Note",
        "Punktet er allerede fjernet eller endret i et annet vindu. Listen er oppdatert.":
            "The item was already removed or changed in another window. The list has been updated.",
        "Settet må ha et navn.":
            "The set needs a name.",
        "Settet finnes ikke lenger (slettet i et annet vindu?).":
            "The set no longer exists (deleted in another window?).",
        "Det finnes allerede et sett som heter «{name}».":
            "There is already a set called «{name}».",
        "Settene er lagret av en nyere versjon av Kildefinner ({path}).":
            "The sets were saved by a newer version of Kildefinner ({path}).",
        "Settene er opptatt i et annet Kildefinner-vindu. Prøv igjen om litt.":
            "The sets are busy in another Kildefinner window. Try again in a moment.",
        "Fremdrift: {done} av {total} utført":
            "Progress: {done} of {total} done",
        "Settet «{name}» er slettet.":
            "The set «{name}» was deleted.",
        "Punktet viser nå til «{title}».":
            "The item now points to «{title}».",
        "Sett og bokmerker":
            "Sets and bookmarks",
        "Importer …":
            "Import …",
        "Nullstill":
            "Reset",
        "Fjern alle avkrysninger i settet":
            "Clear all ticks in the set",
        "▶ Gå gjennom":
            "▶ Walk through",
        "Åpne prosedyrene i settet én etter én":
            "Open the procedures of the set one by one",
        "Rediger …":
            "Edit …",
        "Del og skriv ut":
            "Share and print",
        "Punkter i settet":
            "Items in the set",
        "Dra for å endre rekkefølgen (eller Ctrl+↑/↓). Mellomrom krysser av, F2 skriver merknad, Delete fjerner.":
            "Drag to change the order (or Ctrl+↑/↓). Space ticks, F2 writes a note, Delete removes.",
        "Settene kan ikke lagres på denne maskinen: {reason}":
            "Sets cannot be saved on this machine: {reason}",
        "Ingen sett valgt":
            "No set selected",
        "Publisert av IT-avdelingen: kan ikke endres, men du kan krysse av, skrive ut og kopiere det til dine egne sett.":
            "Published by the IT department: read-only, but you can tick items, print it and copy it to your own sets.",
        "{n} prosedyre(r) finnes ikke lenger i indeksen.":
            "{n} procedure(s) are no longer in the index.",
        "{n} prosedyre(r) er utgått; velg punktet og «Bytt til erstatningen».":
            "{n} procedure(s) are withdrawn; select the item and «Switch to the replacement».",
        "Settet «{name}» er opprettet.":
            "The set «{name}» was created.",
        "Rediger sett":
            "Edit set",
        "«{title}» er fjernet fra settet. Angre med «Angre».":
            "«{title}» was removed from the set. Undo with «Undo».",
        "Erstatningen står allerede i settet; det utgåtte punktet er fjernet.":
            "The replacement is already in the set; the withdrawn item was removed.",
        "«{title}» finnes ikke lenger i indeksen. Punktet er beholdt slik at du ser hva settet inneholdt; fjern det eller erstatt det med en annen prosedyre.":
            "«{title}» is no longer in the index. The item is kept so you can see what the set contained; remove it or replace it with another procedure.",
        "↑ Opp":
            "↑ Up",
        "↓ Ned":
            "↓ Down",
        "Merknad …":
            "Note …",
        "+ Overskrift …":
            "+ Heading …",
        "Bytt til erstatningen":
            "Switch to the replacement",
        "Fjern":
            "Remove",
        "Angre":
            "Undo",
        "Slett sett":
            "Delete set",
        "Slette settet «{name}» med {n} punkter? Dette kan ikke angres.":
            "Delete the set «{name}» with {n} items? This cannot be undone.",
        "Nullstill fremdrift":
            "Reset progress",
        "Fjerne alle avkrysninger i «{name}»?":
            "Clear all ticks in «{name}»?",
        "Filen med settene dine var skadet og er lagt til side ({path}). Nye sett lagres i en ny fil.":
            "The file with your sets was damaged and has been put aside ({path}). New sets are saved in a new file.",
        "Ny overskrift":
            "New heading",
        "Overskrift (f.eks. «Uke 1»), settes inn over valgt punkt:":
            "Heading (e.g. «Week 1»), inserted above the selected item:",
        "Slett":
            "Delete",
        "Endre overskrift":
            "Change heading",
        "Overskrift:":
            "Heading:",
        "Merknad til «{title}» (f.eks. «øves med veileder før selvstendig utførelse»):":
            "Note on «{title}» (e.g. «practise with a supervisor before doing it alone»):",
        "{set}: {n} av {total} – {title}":
            "{set}: {n} of {total} – {title}",
        "◀ Forrige":
            "◀ Previous",
        "Forrige prosedyre i settet (Alt+PgUp)":
            "Previous procedure in the set (Alt+PgUp)",
        "Neste ▶":
            "Next ▶",
        "Neste prosedyre i settet (Alt+PgDown)":
            "Next procedure in the set (Alt+PgDown)",
        "Avslutt gjennomgangen":
            "End the walk-through",
        "Gjennomgang av sett":
            "Walking through a set",
        "(finnes ikke lenger i indeksen)":
            "(no longer in the index)",
        "Merknad: {note}":
            "Note: {note}",
        "Søk":
            "Search",
        "Legg prosedyren i Mine bokmerker eller et sett (Ctrl+D = bokmerke)":
            "Put the procedure in My bookmarks or a set (Ctrl+D = bookmark)",
        "★ I sett …":
            "★ In sets …",
        "☆ Legg til i sett …":
            "☆ Add to set …",
    },
}

from app.i18n.sets_faults_catalogue import FAULTS_CATALOGUE

for _code, _table in FAULTS_CATALOGUE.items():
    SETS_CATALOGUE[_code].update(_table)
