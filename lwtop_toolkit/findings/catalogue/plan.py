"""Codes of the transition plan: rollover, year-to-year anomalies, the dossier list's scope."""

from __future__ import annotations

from lwtop_toolkit.findings.catalogue.code import Code

CODES: dict[str, Code] = {
    # --- the transition from last year to the new year --------------------------------------------
    "las-not-rolled-over": Code(
        "error",
        "LAS nog niet over naar het nieuwe schooljaar",
        "Het bestand van het nieuwe jaar bevat nog het oude schooljaar: {reason}. Het LAS zet "
        "de leerlingen pas na 1 augustus in hun nieuwe groepen en jaargroepen ({rollover}). "
        "Wacht tot de overgang in het LAS gedaan is, of richt daar eerst de nieuwe groepen "
        "in, maak dan een nieuwe export en lees die in als het nieuwe jaar.",
    ),
    "years-swapped": Code(
        "error",
        "Oud en nieuw verwisseld",
        "Vorig jaar en het nieuwe jaar lijken verwisseld: het bestand van vorig jaar noemt "
        "schooljaar {old_year}, dat van het nieuwe jaar {new_year}, een eerder jaar. Geef de "
        "export van {new_year} als vorig schooljaar en die van {old_year} als nieuw schooljaar, "
        "en lees ze opnieuw in. Tot dan zijn de doorstroom en de waarschuwingen per leerling "
        "niet te vertrouwen; ze worden niet getoond.",
    ),
    # An error, so the bundle waits: an export with some classes only (Magister "Kies de
    # gewenste Klassen", ESIS groups not made available for links) reads without a finding and
    # would close the dossiers of every pupil left out. Limits: HoldLimits (school_settings.py).
    "partial-export": Code(
        "error",
        "Export lijkt onvolledig: te veel leerlingen vertrekken",
        "Het nieuwe jaar mist leerlingen{where}: {reason}. In een gewoon jaar vertrekt 2 tot 8% "
        "van de leerlingen die niet uitstromen, verspreid over de groepen. Controleer de export "
        "van het nieuwe jaar: zijn bij het exporteren alle klassen aangevinkt (Magister: 'Kies "
        "de gewenste Klassen')? Zijn in ESIS alle groepen beschikbaar gesteld voor koppelingen? "
        "Is het de goede export (deze school, alle vestigingen, het nieuwe schooljaar)? Maak dan "
        "een volledige export en lees die opnieuw in. Vertrekken deze leerlingen echt (een "
        "locatie sluit), maak de bundel dan met --force (in de app: 'Ook maken als er fouten "
        "zijn'); het manifest legt vast dat de bundel ondanks deze melding is gemaakt, met deze "
        "aantallen. De grenzen staan onder [overgang] in {settings}.",
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
    # An error, so the bundle waits: a number whose name and birth date (or sex with either)
    # both changed is not a typo but, almost always, another child under a reused or mistyped
    # number, and the upload would hand that child the dossier (care notes, reports) of the
    # child who had the number. A true double correction of one child is rare; it goes through
    # with --force, recorded in the manifest.
    "same-number-other-child": Code(
        "error",
        "Zelfde nummer, ander kind",
        "Leerling '{value}' ({naam}) is gekoppeld aan leerling '{other}' van vorig jaar "
        "({other_naam}) via {via}, maar {differences}. Dat is geen tikfout: dit lijkt een ander "
        "kind onder hetzelfde nummer (opnieuw uitgegeven of verkeerd ingevoerd), en dan krijgt "
        "dit kind het dossier van het andere kind. Zoek in het LAS uit van wie dit nummer is, "
        "geef elk kind een eigen nummer en maak de export opnieuw. Is het echt hetzelfde kind "
        "(naam en geboortedatum verbeterd), maak de bundel dan met --force; dat wordt vastgelegd.",
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
        "Groep '{value}' krijgt maar {size:leerling}; minder dan {limit} is ongebruikelijk in "
        "het {sector}. Is dat de bedoeling, of ontbreken er leerlingen in de groep?",
    ),
    # --- the dossier list: which pupils have a dossier --------------------------------------------
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
}
