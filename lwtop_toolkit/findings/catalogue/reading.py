"""Codes of reading: files, formats and headers, LAS exports, hostile input."""

from __future__ import annotations

from lwtop_toolkit.findings.catalogue.code import Code

CODES: dict[str, Code] = {
    # --- files, formats and headers ---------------------------------------------------------------
    "unreadable-file": Code(
        "error",
        "Bestand onleesbaar",
        "Het bestand kan niet gelezen worden: {reason}",
    ),
    "unknown-format": Code(
        "error",
        "Onbekend formaat",
        "Niet herkend als export of importbestand ({reason}). Controleer of dit de juiste "
        "export is, of kies zelf het LAS of het formaat (lwtop: --las of --format).",
    ),
    "encoding-fallback": Code(
        "info",
        "Tekencodering herkend",
        "Het bestand is geen UTF-8; gelezen als {value}. Controleer of letters als ë en ç "
        "goed overkomen.",
    ),
    "malformed-row": Code(
        "error",
        "Rij niet te lezen",
        "Deze rij heeft {value:veld} waar de kopregel er {expected} heeft (een scheidingsteken "
        "of aanhalingsteken te veel of te weinig). Herstel de rij in de export.",
    ),
    "missing-table": Code(
        "error",
        "Bestand ontbreekt",
        "Geen bestand met {table} gevonden. Lever de drie bestanden groepen, leerlingen en "
        "medewerkers aan.",
    ),
    "duplicate-table": Code(
        "error",
        "Bestand dubbel",
        "Meer dan één bestand met {table} gevonden ({value}). Laat er één over.",
    ),
    "missing-column": Code(
        "error",
        "Kolom ontbreekt",
        "De verplichte kolom '{column}' ontbreekt in de kopregel. Voeg de kolom toe of geef de "
        "kolom de naam '{column}'.",
    ),
    "duplicate-column": Code(
        "error",
        "Kolom dubbel",
        "De kolommen {value} betekenen allebei '{column}'. Laat er één over.",
    ),
    "unknown-column": Code(
        "info",
        "Kolom genegeerd",
        "De kolom '{value}' is onbekend en wordt niet gebruikt.",
    ),
    "unused-column": Code(
        "info",
        "Kolommen niet nodig",
        "Kolommen die de toolkit niet nodig heeft (bekend, niet ingelezen): {value}.",
    ),
    "unrecognised-list": Code(
        "error",
        "Lijst niet herkend",
        "{reason}. Het dichtst bij komt {format}: {found} van de {total} kolommen herkend, "
        "maar {missing}. Probeer: {advice}.",
    ),
    "sensitive-column-dropped": Code(
        "info",
        "Gevoelige gegevens weggelaten",
        "De kolommen {value} (burgerservicenummer, onderwijsnummer of adres) zijn niet "
        "ingelezen: het dossier heeft ze niet nodig.",
    ),
    "no-rows": Code(
        "error",
        "Geen rijen",
        "Het bestand met {table} heeft een kopregel maar geen gegevens.",
    ),
    # --- LAS exports: EDEXML (readers/edexml.py) and the takeover date (las/catalogue.py) ---------
    "unsafe-xml": Code(
        "error",
        "Onveilige XML",
        "Het bestand bevat {reason}. Zulke XML wordt uit veiligheid niet gelezen: maak de export "
        "opnieuw aan in het LAS en lever het bestand aan zoals het LAS het maakt.",
    ),
    "dummy-key": Code(
        "warning",
        "Tijdelijke sleutel",
        "'{value}' begint met #: het LAS gaf een tijdelijke sleutel, die over schooljaren heen "
        "niet te volgen is. Zorg in het LAS voor een vast nummer en maak de export opnieuw.",
    ),
    "former-pupils-skipped": Code(
        "info",
        "Oud-leerlingen niet ingelezen",
        "{value} oud-leerlingen (uitstroomdatum vóór {date} of jaargroep H) zijn niet "
        "ingelezen: ze zitten niet meer op school.",
    ),
    "inactive-pupils-skipped": Code(
        "info",
        "Niet-actieve leerlingen niet ingelezen",
        "Niet ingelezen: {value:leerling|leerlingen} die de export als niet actief aanmerkt "
        "({reason}), dus niet meer op school. Hoort een van hen er wel bij, zet de leerling dan "
        "in het LAS op actief en maak de export opnieuw.",
    ),
    "inactive-staff-skipped": Code(
        "info",
        "Medewerkers uit dienst niet ingelezen",
        "Niet ingelezen: {value:medewerker|medewerkers} die de export uit dienst meldt "
        "({reason}). Werkt een van hen nog op school, zet de medewerker dan in het LAS in dienst "
        "en maak de export opnieuw.",
    ),
    "activity-unknown": Code(
        "warning",
        "Actief of niet?",
        "In de kolom '{header}' staat '{value}': daaruit blijkt niet of de {who} actief is. "
        "De rijen met deze waarde zijn ingelezen als actief. Klopt dat niet, schrijf dan in het "
        "LAS ja of nee (of actief of inactief) en maak de export opnieuw.",
    ),
    "sensitive-fields-dropped": Code(
        "info",
        "Gevoelige gegevens weggelaten",
        "De velden {value} (burgerservicenummer, onderwijsnummer, postcode, land, gewicht of "
        "etniciteit) zijn niet ingelezen: het dossier heeft ze niet nodig.",
    ),
    "roepnaam-from-voornamen": Code(
        "info",
        "Roepnaam uit voornamen",
        "De export heeft geen roepnaam; de eerste voornaam '{value}' is als roepnaam genomen. "
        "Klopt dat niet, vul dan de roepnaam in het LAS in.",
    ),
    "vestiging-not-a-number": Code(
        "info",
        "Vestiging zonder vestigingsnummer",
        "De vestiging '{value}' heeft geen vestigingsnummer van twee cijfers als sleutel; de "
        "leerlingen ervan krijgen de vestiging van de school ('{fallback}').",
    ),
    "staff-without-role": Code(
        "info",
        "Medewerkers zonder rol",
        "Zonder rol in de export: {value:medewerker|medewerkers}, dus ook zonder rol in TOP "
        "dossier. Geef een rol in het LAS, of wijs de rol toe bij het koppelen (stap 2).",
    ),
    "export-before-takeover": Code(
        "warning",
        "Export van vóór 1 augustus",
        "De export noemt schooljaar {value} maar is gemaakt op {created}, vóór {takeover}. De "
        "nieuwe groepen staan er mogelijk nog niet of niet volledig in: maak de export na "
        "{takeover} opnieuw.",
    ),
    # --- tabular LAS exports: Magister, Somtoday, Eduarte, generic (readers/las_lists.py & co.) ---
    "file-not-read": Code(
        "warning",
        "Bestand in de map niet ingelezen",
        "Dit bestand staat in de map van de export maar is niet ingelezen: {reason} Hoort het "
        "bij de export (bijvoorbeeld de personeelslijst), lever het dan als CSV of als "
        "Excel-werkmap (.xlsx) aan.",
    ),
    "own-workbook": Code(
        "info",
        "Werkmap van de toolkit niet ingelezen",
        "Dit is {what}, geen export: het is niet ingelezen. {how}",
    ),
    "own-workbook-given": Code(
        "error",
        "Werkmap van de toolkit in plaats van een export",
        "Dit is {what}, geen export uit het LAS. {how}",
    ),
    "sheet-not-used": Code(
        "warning",
        "Bestand of blad niet gebruikt",
        "Dit bestand of werkblad is geen leerlingen- of personeelslijst en is niet ingelezen. "
        "Hoort het erbij, geef de kolommen dan herkenbare namen (Leerlingnummer, Klas, ...).",
    ),
    "no-pupil-list": Code(
        "error",
        "Geen leerlingenlijst",
        "Geen leerlingenlijst gevonden: geen tabel met een leerlingnummer en een klas, "
        "geboortedatum of leerjaar. Exporteer de leerlingen uit het LAS met die kolommen.",
    ),
    "mapped-column-missing": Code(
        "warning",
        "Gekoppelde kolom ontbreekt",
        "De kolom '{value}' uit de kolomkoppeling staat in geen enkele leerlingenlijst. "
        "Controleer de schrijfwijze in --map of in lwtop.toml.",
    ),
    "name-not-split": Code(
        "error",
        "Naam niet te splitsen",
        "'{value}' is niet te splitsen in achternaam en roepnaam: verwacht is 'Achternaam, "
        "Roepnaam'. Herstel de naam in het LAS of exporteer Achternaam en Roepnaam apart.",
    ),
    "name-character-lost": Code(
        "warning",
        "Letter verloren",
        "'{value}' bevat een vraagteken: waarschijnlijk ging een letter (zoals ş of ı) verloren "
        "bij een export in Windows-1252. Exporteer als UTF-8 of herstel de naam.",
    ),
    "geslacht-jm": Code(
        "info",
        "Geslacht als J/M",
        "De export schrijft het geslacht als J en M (jongen, meisje): M is gelezen als meisje "
        "(V) en J als jongen (M).",
    ),
    "invalid-leerjaar": Code(
        "error",
        "Leerjaar ongeldig",
        "'{value}' is geen groep of leerjaar; verwacht 0 t/m 8 (basisonderwijs), 1 t/m 6 (vo, "
        "mbo), 11 t/m 16, S of V. Verbeter het in het LAS.",
    ),
    "leerjaar-derived": Code(
        "warning",
        "Leerjaar afgeleid uit klasnaam",
        "De export heeft geen kolom Leerjaar: voor klas '{value}' is leerjaar {leerjaar} "
        "afgeleid uit de naam. Klopt dat niet, neem dan de kolom Leerjaar op in de export.",
    ),
    "leerjaar-not-derived": Code(
        "error",
        "Leerjaar onbekend",
        "De export heeft geen kolom Leerjaar en uit de klasnaam '{value}' is geen leerjaar af "
        "te leiden. Neem de kolom Leerjaar op in de export.",
    ),
    # the sector decides what a bare year 1-6 is (readers/sector.py)
    "leerjaar-as-vo": Code(
        "info",
        "Leerjaar 1 t/m 6 opgeslagen als 11 t/m 16",
        "Deze export is van een school voor {value}, {reason}. Daarom is leerjaar 1 t/m 6 "
        "opgeslagen als jaargroep 11 t/m 16, zoals EDEXML dat vastlegt. Klopt de onderwijssoort "
        'niet, kies hem dan met --sector po|so|vo|mbo of met sector = "po" in lwtop.toml.',
    ),
    "sector-unknown": Code(
        "error",
        "Onderwijssoort onbekend",
        "Uit de gegevens van {value} is niet op te maken of groep/leerjaar 1 t/m 6 basisonderwijs "
        "is of voortgezet onderwijs of mbo (dan wordt het jaargroep 11 t/m 16): {reason}. Kies de "
        'onderwijssoort met --sector po|so|vo|mbo, of zet sector = "vo" (of po, so, mbo) in '
        "lwtop.toml bij de export.",
    ),
    "sector-conflict": Code(
        "error",
        "Onderwijssoort tegenstrijdig",
        "De gegevens van {value} spreken elkaar tegen: {reason}. Groep/leerjaar 1 t/m 6 blijft "
        "daarom zoals het is. Kies de onderwijssoort met --sector po|so|vo|mbo, of zet "
        'sector = "vo" (of po, so, mbo) in lwtop.toml bij de export.',
    ),
    "leerjaar-not-in-sector": Code(
        "error",
        "Leerjaar past niet bij de onderwijssoort",
        "'{value}' is geen leerjaar in het {sector} (verwacht 1 t/m 6 of 11 t/m 16) en is niet "
        "ingelezen. Verbeter het leerjaar in het LAS, of kies de juiste onderwijssoort met "
        "--sector of met sector in lwtop.toml.",
    ),
    "group-case-merged": Code(
        "info",
        "Groepsnamen samengevoegd",
        "De groepen {value} verschillen alleen in hoofdletters en zijn gelezen als één groep "
        "'{group}'. Zijn het toch verschillende groepen, geef ze dan in het LAS verschillende "
        "namen.",
    ),
    "brin-from-path": Code(
        "info",
        "BRIN uit bestandsnaam",
        "De export noemt geen BRIN-nummer; {value} is genomen uit de naam '{source}'.",
    ),
    "brin-unknown": Code(
        "error",
        "BRIN onbekend",
        "De export noemt geen BRIN-nummer. Voeg een kolom BRIN toe, zet het nummer in de "
        'bestandsnaam (leerlingen-12AB.csv) of schrijf brin = "12AB" in lwtop.toml naast de '
        "export.",
    ),
    "schooljaar-from-path": Code(
        "info",
        "Schooljaar uit map- of bestandsnaam",
        "De export noemt geen schooljaar; {value} is genomen uit de naam '{source}'. Klopt dat "
        'niet, schrijf dan schooljaar = "2026-2027" in lwtop.toml naast de export.',
    ),
    "schooljaar-unknown": Code(
        "error",
        "Schooljaar onbekend",
        "De export noemt geen schooljaar. Voeg een kolom Schooljaar toe, zet het schooljaar in "
        'de map- of bestandsnaam (2026-2027) of schrijf schooljaar = "2026-2027" in lwtop.toml '
        "naast de export.",
    ),
    "unknown-mentor": Code(
        "warning",
        "Mentor onbekend",
        "Mentor '{value}' staat niet in de personeelslijst; de koppeling met klas '{group}' is "
        "niet gemaakt. Lever de personeelslijst mee of verbeter de docentcode.",
    ),
    "ambiguous-mentor": Code(
        "warning",
        "Mentor niet eenduidig",
        "Mentor '{value}' van klas '{group}' past bij meer medewerkers: {matches}. De koppeling "
        "is niet gemaakt. Noem de mentor met de docentcode, of koppel de klas zelf (stap 2).",
    ),
    "mentor-out-of-service": Code(
        "warning",
        "Mentor uit dienst",
        "Mentor '{value}' van klas '{group}' is uit dienst ({label}); de koppeling is niet "
        "gemaakt. Geef de klas in het LAS een mentor die in dienst is, of koppel de klas zelf "
        "(stap 2).",
    ),
    "mentors-without-staff": Code(
        "info",
        "Mentoren zonder personeelslijst",
        "De leerlingenlijst noemt mentoren, maar er is geen personeelslijst: mentoren zijn niet "
        "aan klassen gekoppeld. Lever de personeelslijst (code, naam, functie) mee.",
    ),
    "structure-records-skipped": Code(
        "info",
        "Regels niet nodig",
        "{count} regels van soort '{value}' zijn niet ingelezen: {reason}.",
    ),
    "unknown-record": Code(
        "warning",
        "Regel niet herkend",
        "Deze regel van het structuurbestand (soort '{value}') is niet herkend of te kort en is "
        "niet ingelezen.",
    ),
    # --- hostile input: sheets as people edit them, broken text, odd XML --------------------------
    "many-unknown-columns": Code(
        "info",
        "Veel kolommen genegeerd",
        "{count} kolommen zijn onbekend en worden niet gebruikt, waaronder {value}. Is de kopregel "
        "wel de eerste regel, en is het scheidingsteken goed?",
    ),
    "cell-too-long": Code(
        "error",
        "Cel te lang",
        "De cel in kolom '{column}' heeft {length} tekens; meer dan {limit} kan geen echte "
        "waarde zijn en is niet ingelezen (de cel is leeg gelaten). Herstel de cel in de export.",
    ),
    "control-characters": Code(
        "warning",
        "Onzichtbare tekens weggelaten",
        "De cel in kolom '{column}' bevatte onzichtbare stuurtekens (zoals NUL); die zijn "
        "weggelaten, de rest is gelezen als '{value}'. Controleer de waarde in de export.",
    ),
    "invisible-characters": Code(
        "info",
        "Onzichtbare tekens en harde spaties opgeschoond",
        "In kolom '{column}' hadden {count} cel(len) onzichtbare tekens (zero-width) of harde "
        "spaties, de eerste op rij {row}: de onzichtbare tekens zijn weggelaten, de harde "
        "spaties zijn gewone spaties geworden.",
    ),
    "rows-above-header": Code(
        "info",
        "Regels boven de kopregel overgeslagen",
        "De kopregel staat op rij {header_row}; de regels erboven ('{value}') zijn geen "
        "gegevens en zijn overgeslagen.",
    ),
    "unnamed-column": Code(
        "warning",
        "Kolom zonder kop",
        "Kolom {column} heeft gegevens maar geen naam in de kopregel; de kolom is niet gelezen. "
        "Geef de kolom een naam, of haal de gegevens weg als ze er niet horen.",
    ),
    "merged-header": Code(
        "warning",
        "Samengevoegde kopcellen",
        "De kopcellen {column} zijn samengevoegd: de kolommen {value} hebben daardoor geen eigen "
        "naam en zijn niet gelezen. Maak de samenvoeging ongedaan en geef elke kolom een naam.",
    ),
    "merged-cells": Code(
        "info",
        "Samengevoegde cellen ingevuld",
        "In kolom '{header}' zijn cellen samengevoegd ({value}): de waarde die Excel in zo'n "
        "blok toont, is in elke rij ervan ingevuld ({count} cellen). Controleer of dat klopt.",
    ),
    "merged-cells-across": Code(
        "warning",
        "Cellen over kolommen samengevoegd",
        "De cellen {column} zijn over meer kolommen samengevoegd: alleen de eerste kolom heeft "
        "de waarde '{value}', de andere kolommen zijn als leeg gelezen. Maak de samenvoeging "
        "ongedaan en vul elke cel.",
    ),
    "hidden-row": Code(
        "warning",
        "Verborgen rij ingelezen",
        "Rij {row} is verborgen in Excel maar is wel ingelezen. Controleer of deze rij erbij "
        "hoort; haal haar anders weg uit de export.",
    ),
    "hidden-sheet-skipped": Code(
        "warning",
        "Verborgen tabblad niet gelezen",
        "Het tabblad '{value}' is verborgen en is niet ingelezen. Hoort het erbij, maak het dan "
        "zichtbaar en lees het bestand opnieuw in.",
    ),
    "totals-row-skipped": Code(
        "info",
        "Totaalregel overgeslagen",
        "Rij {row} ('{value}') is een totaalregel, geen gegevens, en is overgeslagen.",
    ),
    "xml-encoding-mismatch": Code(
        "warning",
        "Tekencodering klopt niet",
        "Het bestand zegt zelf {declared} te zijn, maar is {value}; het is als {value} gelezen. "
        "Controleer of letters als ë en ç goed overkomen.",
    ),
}
