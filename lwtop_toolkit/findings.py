"""Findings: one frame for every problem in the data, a closed catalogue of codes, ToolkitError.

A finding is one row of a DataFrame with the columns of `FINDING_COLUMNS`. `row` is the row a
person sees when opening the source file (header = row 1), or an XML element's line. Every code
has one severity, a Dutch title and a Dutch message template that says how to fix it.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

import numpy as np
import pandas as pd

from lwtop_toolkit.model import SOURCE_FILE, SOURCE_ROW

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_LABELS: dict[str, str] = {"error": "fout", "warning": "waarschuwing", "info": "info"}
FINDING_COLUMNS: tuple[str, ...] = (
    "code",
    "severity",
    "message",
    "file",
    "table",
    "row",
    "column",
    "value",
)


@dataclass(frozen=True)
class Code:
    """One entry of the catalogue. `message` is a template over the finding's fields."""

    severity: Severity
    title: str
    message: str


# The closed catalogue. Templates may use {file} {table} {row} {column} {value} and the extra
# parameters a rule passes. Keep every message Dutch, concrete, and saying what to do.
CATALOGUE: dict[str, Code] = {
    # --- reading ---------------------------------------------------------------------------
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
        "Deze rij heeft {value} velden waar de kopregel er {expected} heeft (een scheidingsteken "
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
    # --- values ----------------------------------------------------------------------------
    "missing-value": Code(
        "error",
        "Waarde ontbreekt",
        "'{column}' is leeg. Vul het in de export in.",
    ),
    "duplicate-id": Code(
        "error",
        "Nummer dubbel",
        "'{value}' komt meer dan eens voor als {column}. Elk nummer mag maar één keer voorkomen.",
    ),
    "untrimmed-value": Code(
        "warning",
        "Spaties rond waarde",
        "'{value}' begint of eindigt met een spatie, of heeft dubbele spaties. Haal die weg in "
        "de export.",
    ),
    "value-too-long": Code(
        "error",
        "Waarde te lang",
        "'{value}' is langer dan {limit} tekens, het maximum voor {column}.",
    ),
    "invalid-date": Code(
        "error",
        "Geen geldige datum",
        "'{value}' is geen datum. Schrijf de datum als dd-mm-jjjj of jjjj-mm-dd.",
    ),
    "implausible-birth-date": Code(
        "error",
        "Geboortedatum onwaarschijnlijk",
        "Met geboortedatum {value} is de leerling op 1 oktober {age} jaar; verwacht is 2 tot "
        "25 jaar. Controleer de datum.",
    ),
    "invalid-code": Code(
        "error",
        "Onbekende code",
        "'{value}' is geen geldige waarde voor {column}; toegestaan: {allowed}.",
    ),
    "invalid-brin": Code(
        "error",
        "BRIN ongeldig",
        "'{value}' is geen BRIN-nummer: twee cijfers en twee hoofdletters, bijvoorbeeld 12AB.",
    ),
    "invalid-vestiging": Code(
        "error",
        "Vestiging ongeldig",
        "'{value}' is geen vestigingsnummer: twee cijfers (00 is de hoofdvestiging) of leeg.",
    ),
    "invalid-email": Code(
        "error",
        "E-mailadres ongeldig",
        "'{value}' is geen geldig e-mailadres.",
    ),
    "invalid-schooljaar": Code(
        "error",
        "Schooljaar ongeldig",
        "'{value}' is geen schooljaar. Schrijf het als 2026-2027.",
    ),
    "mixed-schooljaar": Code(
        "error",
        "Verschillende schooljaren",
        "De groepen horen bij verschillende schooljaren ({value}). Eén levering is één schooljaar.",
    ),
    # --- across tables ---------------------------------------------------------------------
    "unknown-group": Code(
        "error",
        "Groep onbekend",
        "Groep '{value}' staat niet in het groepenbestand. Voeg de groep toe of verbeter de "
        "groep van deze rij.",
    ),
    "not-a-stamgroep": Code(
        "error",
        "Geen stamgroep",
        "Groep '{value}' is een samengestelde groep; als groep_id hoort hier de stamgroep.",
    ),
    "unknown-staff": Code(
        "error",
        "Medewerker onbekend",
        "Medewerker '{value}' staat niet in het medewerkersbestand.",
    ),
    "duplicate-link": Code(
        "warning",
        "Koppeling dubbel",
        "Medewerker en groep zijn meer dan eens aan elkaar gekoppeld; één keer is genoeg.",
    ),
    "empty-group": Code(
        "warning",
        "Lege groep",
        "Stamgroep '{value}' heeft geen leerlingen. Is dat de bedoeling?",
    ),
    "pupil-without-group": Code(
        "warning",
        "Leerling zonder groep",
        "Leerling '{value}' heeft geen stamgroep en komt in geen enkele groep terecht.",
    ),
    "possible-duplicate-person": Code(
        "warning",
        "Mogelijk dubbele leerling",
        "Leerling '{value}' heeft dezelfde naam en geboortedatum als leerling '{other}' "
        "(rij {other_row}). Is dit één kind onder twee nummers?",
    ),
    "leading-zero-ids": Code(
        "warning",
        "Nummers verschillen in voorloopnullen",
        "'{value}' en '{other}' (rij {other_row}) verschillen alleen in voorloopnullen. "
        "Controleer of de export de nummers als tekst heeft bewaard.",
    ),
    "jaargroep-mismatch": Code(
        "warning",
        "Jaargroep wijkt af van groep",
        "De leerling staat in jaargroep {value}, de groep '{group}' in jaargroep "
        "{group_jaargroep}. Klopt de groep of de jaargroep?",
    ),
    # --- the upload bundle ------------------------------------------------------------------
    "bundle-exists": Code(
        "error",
        "Bundel bestaat al",
        "Er staat al een bundel met andere inhoud; die wordt niet overschreven: {reason}.",
    ),
    # --- LAS exports (issue 3): add reader codes below this line ----------------------------
    # EDEXML reader and LAS catalogue (readers/edexml.py, las.py)
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
        "{value} medewerkers hebben in de export geen rol en krijgen dus geen rol in TOP "
        "dossier. Geef ze een rol in het LAS, of wijs de rol toe bij het koppelen (stap 2).",
    ),
    "export-before-takeover": Code(
        "warning",
        "Export van vóór 1 augustus",
        "De export noemt schooljaar {value} maar is gemaakt op {created}, vóór {takeover}. De "
        "nieuwe groepen staan er mogelijk nog niet of niet volledig in: maak de export na "
        "{takeover} opnieuw.",
    ),
    # Tabular LAS exports: Magister, Somtoday, Eduarte, generic (readers/las_lists.py & co.)
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
        "'{value}' is geen leerjaar; verwacht 1 t/m 6 (of 11 t/m 16). Verbeter het leerjaar in "
        "het LAS.",
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
    "leerjaar-as-vo": Code(
        "info",
        "Leerjaar gelezen als VO-leerjaar",
        "De kolom leerjaar is gelezen als VO-leerjaar (leerjaar {value} wordt jaargroep 1{value}). "
        'Is dit een basisschool, koppel de kolom dan aan jaargroep: --map "Leerjaar=jaargroep".',
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
    # --- transition plan (issue 4): add plan codes below this line ---------------------------
    "las-not-rolled-over": Code(
        "error",
        "LAS nog niet over naar het nieuwe schooljaar",
        "Het bestand van het nieuwe jaar bevat nog het oude schooljaar: {reason}. Het LAS zet "
        "de leerlingen pas na 1 augustus in hun nieuwe groepen en jaargroepen (bij SchoolOAS en "
        "ParnasSys gebeurt dat vanzelf; bij andere LAS na de overgang of het klaarzetten in het "
        "LAS). Wacht tot de overgang in het LAS gedaan is, of richt daar eerst de nieuwe groepen "
        "in, maak dan een nieuwe export en lees die in als het nieuwe jaar.",
    ),
    "school-years-apart": Code(
        "warning",
        "Schooljaren volgen niet op elkaar",
        "Het oude bestand is van schooljaar {old_year}, het nieuwe van {value}. Lees als oud jaar "
        "de export van het schooljaar vlak vóór {value} in.",
    ),
    "no-pupils-matched": Code(
        "error",
        "Geen leerling terug te vinden",
        "Geen van de {old_count} leerlingen van het oude jaar komt terug onder de {new_count} "
        "van het nieuwe jaar. Zijn beide bestanden van dezelfde school, en hebben de "
        "leerlingnummers in beide jaren dezelfde vorm?",
    ),
    "matched-on-eckid": Code(
        "info",
        "Gekoppeld via ECK-iD",
        "Leerling '{value}' ({naam}) had vorig jaar nummer '{other}'; de leerling is via het "
        "ECK-iD teruggevonden. Controleer in het LAS of het nummer bewust veranderd is.",
    ),
    "matched-without-leading-zeros": Code(
        "warning",
        "Gekoppeld zonder voorloopnullen",
        "Leerling '{value}' ({naam}) heette vorig jaar '{other}': de nummers verschillen alleen "
        "in voorloopnullen en zijn als één leerling gekoppeld. Controleer of de export de "
        "nummers als tekst bewaart (Excel laat voorloopnullen weg).",
    ),
    "jaargroep-jump": Code(
        "warning",
        "Sprong van twee of meer jaargroepen",
        "Leerling '{leerling}' ({naam}) gaat van jaargroep {old} naar {value}. Klopt die "
        "versnelling? Zo niet: verbeter de jaargroep in het LAS.",
    ),
    "jaargroep-step-back": Code(
        "warning",
        "Terug naar een lagere jaargroep",
        "Leerling '{leerling}' ({naam}) gaat terug van jaargroep {old} naar {value}. Klopt dat? "
        "Zo niet: verbeter de jaargroep in het LAS.",
    ),
    "age-jaargroep-mismatch": Code(
        "warning",
        "Leeftijd past niet bij jaargroep",
        "Leerling '{leerling}' ({naam}) is op 1 oktober {age} jaar; in jaargroep {value} zijn "
        "leerlingen {age_min} tot en met {age_max} jaar. Controleer de geboortedatum en de "
        "jaargroep in het LAS.",
    ),
    "possible-id-change": Code(
        "warning",
        "Mogelijk één kind met een nieuw nummer",
        "Leerling '{value}' ({naam}) is nieuw en leerling '{other}' ({other_naam}, rij "
        "{other_row} van het oude jaar) is vertrokken; ze hebben dezelfde geboortedatum en "
        "bijna dezelfde naam. Is dit één kind? Geef het dan in het LAS het oude nummer terug "
        "of vul hetzelfde ECK-iD in, anders raakt het dossier van vorig jaar los.",
    ),
    "pupil-in-two-stamgroepen": Code(
        "error",
        "Leerling in twee stamgroepen",
        "Leerling '{leerling}' staat in twee stamgroepen ({groups}). Een leerling hoort in "
        "precies één stamgroep: haal de leerling in het LAS uit één van beide.",
    ),
    "group-too-large": Code(
        "warning",
        "Groep groot",
        "Groep '{value}' krijgt {size} leerlingen; meer dan {limit} is ongebruikelijk in het "
        "{sector}. Klopt de indeling, of zijn twee groepen samengevoegd?",
    ),
    "group-too-small": Code(
        "warning",
        "Groep klein",
        "Groep '{value}' krijgt maar {size} leerlingen; minder dan {limit} is ongebruikelijk in "
        "het {sector}. Is dat de bedoeling, of ontbreken er leerlingen in de groep?",
    ),
    "output-not-writable": Code(
        "error",
        "Bestand niet te schrijven",
        "Het bestand kan niet geschreven worden: {reason}. Is het nog geopend in Excel, of "
        "bestaat de map niet? Sluit het bestand of kies een andere plek.",
    ),
    # --- staff sheet (issue 5): the staff–group assignment workbook read back ----------------
    "staff-sheet-not-ours": Code(
        "error",
        "Werkmap zonder kenmerk",
        "De werkmap mist het verborgen tabblad met schooljaar, BRIN en groepenlijst: ze is niet "
        "met lwtop staff-sheet gemaakt, of dat tabblad is verwijderd. Maak een nieuwe werkmap "
        "met lwtop staff-sheet en vul die in.",
    ),
    "staff-sheet-other-school-year": Code(
        "error",
        "Werkmap van een andere school of een ander jaar",
        "Deze werkmap is gemaakt voor schooljaar {sheet_year}, BRIN {sheet_brin}; de gegevens "
        "van het nieuwe jaar zijn van schooljaar {year}, BRIN {brin}. Lees de werkmap van deze "
        "school en dit schooljaar in, of maak een nieuwe met lwtop staff-sheet.",
    ),
    "staff-sheet-no-school": Code(
        "error",
        "Werkmap van geen van de scholen",
        "deze werkmap hoort bij geen van de scholen van deze levering (schooljaar, BRIN of "
        "groepen anders). Geef per school de werkmap die lwtop staff-sheet voor die school "
        "maakte, of maak ze opnieuw.",
    ),
    "staff-sheets-one-school": Code(
        "error",
        "Twee werkmappen van één school",
        "deze werkmap is van dezelfde school als {other}. Geef per school één ingevulde werkmap.",
    ),
    "staff-sheets-not-apart": Code(
        "error",
        "Meerdere werkmappen",
        "Meerdere werkmappen (één per school) gaan elk met hun eigen school mee, en dat kan niet "
        "samen met een dossierlijst (--dossier) of met rijen uit een onbekend bestand. Bundel de "
        "scholen dan één voor één, elk met de eigen werkmap.",
    ),
    "staff-sheet-groups-changed": Code(
        "warning",
        "Groepenlijst veranderd",
        "De groepenlijst is niet meer die waarmee de werkmap gemaakt is: de export van het "
        "nieuwe jaar is sindsdien veranderd, of er zijn rijen veranderd. Zie de meldingen per "
        "rij; maak zo nodig een nieuwe werkmap met lwtop staff-sheet.",
    ),
    "staff-sheet-row-added": Code(
        "error",
        "Rij toegevoegd",
        "Groep '{value}' is geen stamgroep van het nieuwe jaar, of staat een tweede keer in de "
        "werkmap. Er mogen geen rijen bijkomen: haal deze rij weg. De leerkrachten van deze rij "
        "worden niet gekoppeld.",
    ),
    "staff-sheet-row-removed": Code(
        "error",
        "Rij verwijderd",
        "De rij van groep '{value}' ({name}) ontbreekt in de werkmap, dus de groep krijgt geen "
        "leerkracht. Zet de rij terug of maak een nieuwe werkmap met lwtop staff-sheet.",
    ),
    "staff-sheet-structure-changed": Code(
        "error",
        "Vaste kolom veranderd",
        "'{column}' is '{value}' in de werkmap, maar '{expected}' in de gegevens van het nieuwe "
        "jaar. De kolommen groep_id tot en met Aantal leerlingen mogen niet veranderen: zet "
        "'{expected}' terug, of maak een nieuwe werkmap met lwtop staff-sheet.",
    ),
    "staff-sheet-unknown-name": Code(
        "error",
        "Naam onbekend",
        "'{value}' is niemand uit de medewerkerslijst van het nieuwe jaar. Kies de leerkracht "
        "uit de keuzelijst van de cel.",
    ),
    "staff-sheet-ambiguous-name": Code(
        "error",
        "Naam niet eenduidig",
        "'{value}' past bij meer dan één medewerker ({matches}). Kies de juiste uit de "
        "keuzelijst: daar staat het nummer achter de naam.",
    ),
    "staff-sheet-name-mismatch": Code(
        "error",
        "Naam en nummer horen niet bij elkaar",
        "In '{value}' hoort het nummer {medewerker_id} bij {label}, niet bij deze naam. Kies de "
        "leerkracht opnieuw uit de keuzelijst.",
    ),
    "staff-not-linkable": Code(
        "error",
        "Medewerker niet te koppelen",
        "'{value}' kan niet aan een groep gekoppeld worden: {reason}. Kies een leerkracht uit de "
        "keuzelijst, of geef de medewerker eerst de rol TOP leerkracht in het LAS.",
    ),
    "staff-sheet-group-without-teacher": Code(
        "warning",
        "Groep zonder leerkracht",
        "Groep '{value}' heeft geen leerkracht. Kies in de werkmap minstens één leerkracht voor "
        "deze groep, of laat de groep bewust leeg.",
    ),
    "staff-of-other-school": Code(
        "warning",
        "Leerkracht van een andere school",
        "{label} is medewerker van {homes}, niet van school {school} van groep '{group}'. Met "
        "deze koppeling komt {label} in de uploadbundel van {school} en ziet de dossiers van "
        "die groep. Klopt dat (bijvoorbeeld iemand die op beide scholen werkt)? Zo niet: kies "
        "een leerkracht van {school}.",
    ),
    "staff-sheet-teacher-without-group": Code(
        "info",
        "Leerkracht zonder groep",
        "{value} heeft geen groep gekregen. Klopt dat (bijvoorbeeld een vakleerkracht of intern "
        "begeleider)? Zo niet: kies deze leerkracht bij een groep in de werkmap.",
    ),
    # --- hostile input (issue 8): sheets as people edit them, broken text, odd XML ------------
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
        "warning",
        "Samengevoegde cellen",
        "De cellen {column} zijn samengevoegd: alleen de eerste cel heeft de waarde '{value}', "
        "de andere zijn als leeg gelezen. Maak de samenvoeging ongedaan en vul elke cel.",
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
    # --- verification and worklists (issue 9) -------------------------------------------------
    "dossier-row-without-id": Code(
        "warning",
        "Dossierregel zonder leerlingnummer",
        "Deze rij van de dossierlijst heeft geen leerlingnummer en geen ECK-iD: de leerling is "
        "niet terug te vinden in de export en telt niet mee. Vul het leerlingnummer in.",
    ),
    "dossier-pupil-not-found": Code(
        "warning",
        "Dossierleerling in geen van beide exports",
        "Leerling '{value}' ({naam}) heeft een dossier, maar staat niet in de export van vorig "
        "jaar en niet in die van het nieuwe jaar. Is de leerling van school, sluit het dossier "
        "dan of draag het over; anders: controleer het leerlingnummer in de dossierlijst.",
    ),
    "worklist-not-ours": Code(
        "error",
        "Werklijst zonder kenmerk",
        "De werkmap mist het verborgen tabblad van lwtop: ze is niet met lwtop worklist gemaakt, "
        "of dat tabblad is verwijderd. Maak een nieuwe werklijst met lwtop worklist.",
    ),
    "worklist-invalid-answer": Code(
        "error",
        "Geen ja of nee",
        "'{value}' in de kolom {column} is geen ja of nee. Kies ja of nee uit de keuzelijst; tot "
        "dan telt de rij als open.",
    ),
    "worklist-open": Code(
        "warning",
        "Nog te doen",
        "{what}: nog niet klaar. Nog te doen: {todo}. Vul daarna in de werklijst ja in.",
    ),
    "worklist-row-removed": Code(
        "error",
        "Rij verwijderd uit de werklijst",
        "De rij van {what} ontbreekt in de werklijst en telt als open. Haal geen rijen weg: zet "
        "de rij terug of maak een nieuwe werklijst met lwtop worklist.",
    ),
    "worklist-row-unknown": Code(
        "error",
        "Onbekende rij in de werklijst",
        "'{value}' stond niet in de werklijst toen die gemaakt werd. Verander geen "
        "leerlingnummers of groepen en voeg geen rijen toe; maak zo nodig een nieuwe werklijst "
        "met lwtop worklist.",
    ),
    "verify-pupil-missing": Code(
        "error",
        "Leerling niet aangekomen",
        "Leerling '{value}' ({naam}, groep {group}) is niet aangekomen in Leerwinst/TOP dossier. "
        "{hint}",
    ),
    "verify-pupil-wrong-group": Code(
        "error",
        "Leerling in een andere groep",
        "Leerling '{value}' ({naam}) staat in het dossier in groep '{actual_group}', maar hoort "
        "in groep '{group}'. {hint}",
    ),
    "verify-pupil-unexpected": Code(
        "warning",
        "Leerling niet verwacht",
        "Leerling '{value}' ({naam}, groep {actual_group}) staat in het dossier, maar {reason}. "
        "Controleer of de leerling in het dossier hoort.",
    ),
    "verify-pupil-not-in-group": Code(
        "error",
        "Leerling niet in zijn samengestelde groep",
        "Leerling '{value}' ({naam}) hoort bij de samengestelde groep '{group}', maar staat er "
        "in het dossier niet in: wie aan die groep gekoppeld is, ziet het dossier van deze "
        "leerling niet. Zet de leerling alsnog in de groep (in het LAS, of in het dossier).",
    ),
    "verify-memberships-not-exported": Code(
        "warning",
        "Samengestelde groepen niet gecontroleerd",
        "De export uit het dossier noemt bij geen enkele leerling een samengestelde groep; de "
        "{value} plaatsen van leerlingen in samengestelde groepen zijn daarom niet gecontroleerd. "
        "Controleer ze in het dossier, of exporteer ook de samengestelde groepen.",
    ),
    "verify-group-missing": Code(
        "error",
        "Groep niet aangekomen",
        "Groep '{value}' ({count} leerlingen) ontbreekt in Leerwinst/TOP dossier. {hint}",
    ),
    "verify-group-extra": Code(
        "warning",
        "Groep niet verwacht",
        "Groep '{value}' staat in het dossier, maar niet bij de groepen van het nieuwe jaar. Is "
        "het een groep van vorig jaar of een opgeheven groep? Archiveer of verwijder hem dan.",
    ),
    "verify-staff-link-missing": Code(
        "error",
        "Medewerker niet gekoppeld",
        "Medewerker '{value}' ({naam}) is in het dossier niet gekoppeld aan groep '{group}'. "
        "Koppel de medewerker alsnog aan de groep (stap 2).",
    ),
}


class ToolkitError(Exception):
    """The work cannot go on (an unreadable file, an unknown format). Carries one finding."""

    def __init__(self, code: str, *, file: str = "", **params: Any) -> None:
        self.finding = finding(code, file=file, **params)
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its finding (an error raised in a worker process reaches the caller)."""
        return (_rebuilt_error, (self.finding,))

    @property
    def message(self) -> str:
        """One Dutch line naming the file and the problem."""
        file = self.finding["file"]
        text = str(self.finding["message"])
        return f"{file}: {text}" if file else text


def _rebuilt_error(found: dict[str, Any]) -> ToolkitError:
    error = ToolkitError.__new__(ToolkitError)
    error.finding = found
    Exception.__init__(error, error.message)
    return error


def _render(code: str, fields: Mapping[str, Any]) -> str:
    template = CATALOGUE[code].message
    values = {key: ("" if _missing(value) else value) for key, value in fields.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError) as missing:  # a rule forgot a parameter: a developer's bug
        raise ValueError(f"finding {code!r} lacks parameter {missing}") from None


def finding(
    code: str,
    *,
    file: str = "",
    table: str = "",
    row: int | None = None,
    column: str = "",
    value: Any = "",
    **params: Any,
) -> dict[str, Any]:
    """One finding as a record; `params` fill the message template."""
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}")
    fields = {"file": file, "table": table, "row": row, "column": column, "value": value}
    message = _render(code, {**fields, **params})
    return {
        "code": code,
        "severity": CATALOGUE[code].severity,
        "message": message,
        "file": str(file),
        "table": table,
        "row": row,
        "column": column,
        "value": "" if value is None else str(value),
    }


def empty_findings() -> pd.DataFrame:
    """A Findings frame without rows (a copy of one made once: typing it costs ~2 ms, and a
    check of one school makes dozens)."""
    global _EMPTY_FINDINGS
    if _EMPTY_FINDINGS is None:
        _EMPTY_FINDINGS = frame([])
    return _EMPTY_FINDINGS.copy()


_EMPTY_FINDINGS: pd.DataFrame | None = None


def frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The Findings frame from records made by `finding`; always the same columns and dtypes."""
    return _typed(pd.DataFrame(list(records), columns=list(FINDING_COLUMNS)))


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    out = out.loc[:, list(FINDING_COLUMNS)].copy()
    for column in FINDING_COLUMNS:
        if column == "row":
            out[column] = out[column].astype("Int64")
        else:
            out[column] = out[column].fillna("").astype("str")
    return out


def for_rows(
    code: str,
    rows: pd.DataFrame,
    *,
    table: str,
    column: str = "",
    values: pd.Series | None = None,
    **params: Any,
) -> pd.DataFrame:
    """Findings of `code` for each row of `rows` (a slice of a canonical table).

    The file and row come from the provenance columns; the value from `values` (by label when
    its index holds every row of `rows`, e.g. a column of the whole table; else one per row, in
    order) or from `rows[column]`. A param given as a Series (indexed like `rows`) is
    taken per row. The message template is filled column by column, not row by row: a plan or
    an export of a million pupils can have hundreds of thousands of findings.
    """
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}")
    if rows.empty:
        return empty_findings()
    index = rows.index
    if values is None:
        values = rows[column] if column in rows else pd.Series("", index=index)
    files = rows[SOURCE_FILE] if SOURCE_FILE in rows else pd.Series("", index=index)
    source_rows = rows[SOURCE_ROW] if SOURCE_ROW in rows else pd.Series(pd.NA, index=index)
    numbers = pd.array(source_rows.to_numpy(dtype=object), dtype="Int64")
    value_text = _aligned(values, index).map(_text)
    fields: dict[str, Any] = {
        "file": files.to_numpy(dtype=object),
        "table": table,
        "row": pd.Series(numbers, index=index).map(lambda n: "" if n is pd.NA else str(n)),
        "column": column,
        "value": value_text,
    }
    for key, param in params.items():
        fields[key] = param.loc[index] if isinstance(param, pd.Series) else param
    message = np.full(len(index), "", dtype=object)
    for literal, name, _, _ in string.Formatter().parse(CATALOGUE[code].message):
        message = message + literal
        if name is None:
            continue
        if name not in fields:  # a rule forgot a parameter: a developer's bug
            raise ValueError(f"finding {code!r} lacks parameter {name!r}")
        message = message + _as_text(fields[name], len(index))
    out = pd.DataFrame(
        {
            "code": code,
            "severity": CATALOGUE[code].severity,
            "message": message,
            "file": _as_text(fields["file"], len(index)),
            "table": table,
            "row": numbers,
            "column": column,
            "value": value_text.to_numpy(dtype=object),
        }
    )
    return _typed(out)


def _aligned(values: pd.Series, index: pd.Index) -> pd.Series:
    """`values` for the rows of `index`: by label when it has them all, else one per row."""
    if not values.index.equals(index) and values.index.is_unique and index.isin(values.index).all():
        values = values.loc[index]
    if len(values) != len(index):
        raise ValueError(f"{len(values)} values for {len(index)} rows")
    return pd.Series(values.to_numpy(dtype=object), index=index)


def _as_text(field: Any, count: int) -> np.ndarray:
    """A template field as texts, one per row, as `str.format` writes it (missing: "")."""
    if isinstance(field, (pd.Series, np.ndarray)):
        items = field.tolist() if isinstance(field, pd.Series) else list(field)
        return np.array(["" if _missing(item) else f"{item}" for item in items], dtype=object)
    return np.full(count, "" if _missing(field) else f"{field}", dtype=object)


def _missing(value: Any) -> bool:
    """None, NaN, NA or NaT: shown as nothing, never as "nan" in a Dutch message."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d-%m-%Y")
    return str(value)


def concat(parts: Iterable[pd.DataFrame | None]) -> pd.DataFrame:
    """Several Findings frames as one, in a stable order (as given); None parts are skipped."""
    found = [part for part in parts if part is not None and not part.empty]
    if not found:
        return empty_findings()
    return _typed(pd.concat(found, ignore_index=True))


def counts(findings: pd.DataFrame) -> dict[str, int]:
    """The number of findings per severity, every severity present."""
    tally = Counter(findings["severity"].tolist())  # value_counts: ~1 ms per school of a board
    return {severity: int(tally.get(severity, 0)) for severity in SEVERITIES}


def has_errors(findings: pd.DataFrame) -> bool:
    return bool((findings["severity"] == "error").any())


def sort(findings: pd.DataFrame) -> pd.DataFrame:
    """Errors first, then warnings, then info; within a severity by file and row."""
    order = findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    keyed = findings.assign(_order=order)
    keyed = keyed.sort_values(["_order", "file", "row", "code"], kind="stable", na_position="first")
    return keyed.drop(columns="_order").reset_index(drop=True)


def source_name(file: str) -> str:
    """A source file as a coordinator reads it: its own name (with the sheet, `werkmap.xlsx
    [Toewijzing]`), without the folders above it, which are private (they may name a person)."""
    if not file:
        return ""
    path, bracket, sheet = str(file).partition(" [")
    return PurePath(path).name + bracket + sheet


def source_names(files: pd.Series, among: Iterable[object] = ()) -> pd.Series:
    """`source_name` of each file, with its folder's name in front where files of that name
    come from several folders (of `files` and `among`, the files read): which school's
    `medewerkers.csv` in a board (`42AH/medewerkers.csv`)."""
    texts = files.fillna("").astype("str")
    distinct = [file for file in pd.unique(texts) if file]
    folders: dict[str, set[PurePath]] = {}
    for file in [*distinct, *(str(path) for path in among)]:
        folders.setdefault(source_name(file), set()).add(_folder(file))
    shown = {"": ""}
    for file in distinct:
        name = source_name(file)
        shown[file] = f"{_folder(file).name}/{name}" if len(folders[name]) > 1 else name
    return texts.map(shown)


def _folder(file: str) -> PurePath:
    """The folder of a source file (as `source_name` reads it: a sheet after ` [`)."""
    return PurePath(file.partition(" [")[0]).parent
