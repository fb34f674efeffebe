"""Translations of the messages about a busy, full or damaged sets store and refused set names/imports.

Merged into ``app.i18n.sets_catalogue.SETS_CATALOGUE``; keyed by the bokmål source string, placeholders must match.
"""

FAULTS_CATALOGUE: dict[str, dict[str, str]] = {
    "nn": {
        "Settene er opptatt i et annet Kildefinner-vindu eller program. Ingenting er tapt; "
        "Kildefinner prøver igjen om litt.":
            "Setta er opptekne i eit anna Kildefinner-vindauge eller program. Ingenting er tapt; "
            "Kildefinner prøver igjen om litt.",
        "filen kan ikke skrives ({reason})":
            "fila kan ikkje skrivast ({reason})",
        "Settene kan bare leses nå: {reason}. Ingenting er tapt; endringer kan lagres igjen når det er ordnet.":
            "Setta kan berre lesast no: {reason}. Ingenting er tapt; endringar kan lagrast igjen når det er ordna.",
        "Endringen ble ikke lagret: {reason}. Settene er som før.":
            "Endringa vart ikkje lagra: {reason}. Setta er som før.",
        "disken er full":
            "disken er full",
        "disken er full eller utilgjengelig ({reason})":
            "disken er full eller utilgjengeleg ({reason})",
        "Settene kunne ikke leses eller lagres ({reason}). Ingenting er slettet.":
            "Setta kunne ikkje lesast eller lagrast ({reason}). Ingenting er sletta.",
        "Settene kan ikke vises nå heller ({reason}).":
            "Setta kan ikkje visast no heller ({reason}).",
        "Settene kan lagres igjen.":
            "Setta kan lagrast igjen.",
        "Settene dine":
            "Setta dine",
        "Ta vare på filen: IT kan kanskje hente settene ut av den.":
            "Ta vare på fila: IT kan kanskje hente setta ut av ho.",
        "Vis filen":
            "Vis fila",
        "OK":
            "OK",
        "Importerer settet … {done} av {total} punkter":
            "Importerer settet … {done} av {total} punkt",
        "Settet ble ikke importert ({reason}). Ingenting er endret.":
            "Settet vart ikkje importert ({reason}). Ingenting er endra.",
    },
    "en": {
        "Settene er opptatt i et annet Kildefinner-vindu eller program. Ingenting er tapt; "
        "Kildefinner prøver igjen om litt.":
            "The sets are in use by another Kildefinner window or program. Nothing is lost; "
            "Kildefinner tries again in a moment.",
        "filen kan ikke skrives ({reason})":
            "the file cannot be written ({reason})",
        "Settene kan bare leses nå: {reason}. Ingenting er tapt; endringer kan lagres igjen når det er ordnet.":
            "The sets are read-only for now: {reason}. Nothing is lost; changes can be saved again once this "
            "is fixed.",
        "Endringen ble ikke lagret: {reason}. Settene er som før.":
            "The change was not saved: {reason}. The sets are as they were.",
        "disken er full":
            "the disk is full",
        "disken er full eller utilgjengelig ({reason})":
            "the disk is full or unavailable ({reason})",
        "Settene kunne ikke leses eller lagres ({reason}). Ingenting er slettet.":
            "The sets could not be read or saved ({reason}). Nothing has been deleted.",
        "Settene kan ikke vises nå heller ({reason}).":
            "The sets cannot be shown now either ({reason}).",
        "Settene kan lagres igjen.":
            "The sets can be saved again.",
        "Settene dine":
            "Your sets",
        "Ta vare på filen: IT kan kanskje hente settene ut av den.":
            "Keep the file: IT may be able to recover the sets from it.",
        "Vis filen":
            "Show the file",
        "OK":
            "OK",
        "Importerer settet … {done} av {total} punkter":
            "Importing the set … {done} of {total} items",
        "Settet ble ikke importert ({reason}). Ingenting er endret.":
            "The set was not imported ({reason}). Nothing has changed.",
    },
}
