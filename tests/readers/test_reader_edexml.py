"""The EDEXML reader: detection by content, the quirks of real exports, equivalence with the
import files, and hostile XML. Every EDEXML file here is synthetic, written by the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_DATA, where

from lwtop_toolkit import load, read
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.model import PRODUCT_ROLES, TABLE_COLUMNS
from lwtop_toolkit.readers import edexml, reader_for
from lwtop_toolkit.samples.exports.edexml import edexml_bytes, write_edexml, write_edexml_samples

SCHOOL = """<school>
    <schooljaar>2026-2027</schooljaar>
    <peildatum>2026-10-01</peildatum>
    <brincode>99ZZ</brincode>
    <dependancecode>00</dependancecode>
    <aanmaakdatum>2026-10-01T09:00:00</aanmaakdatum>
    <xsdversie>2.1</xsdversie>
  </school>"""
GROUPS = """<groepen>
    <groep key="G3"><naam>3</naam><jaargroep>3</jaargroep></groep>
    <groep key="G12"><naam>1/2</naam><jaargroep>C</jaargroep></groep>
    <samengestelde_groep key="PLUS"><naam>Plusklas</naam></samengestelde_groep>
  </groepen>"""
PUPIL = """<leerling key="001">
      <achternaam>Jansen</achternaam><roepnaam>Sem</roepnaam>
      <geboortedatum>2019-05-04</geboortedatum><geslacht>1</geslacht>
      <jaargroep>3</jaargroep><groep key="G3"/>
    </leerling>"""


def edex(
    tmp_path: Path,
    pupils: str = PUPIL,
    *,
    school: str = SCHOOL,
    rest: str = GROUPS,
    staff: str = "",
    name: str = "EDEX.XML",
    root: str = "EDEX",
    ns: str = "",
) -> Path:
    """Write a small EDEXML file; `root`/`ns` make it a UWLR document."""  # fmt: skip
    xmlns = f' xmlns="{ns}"' if ns else ""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<{root}{xmlns}>\n  {school}\n  {rest}\n  <leerlingen>\n    {pupils}\n  </leerlingen>\n"
        f"  {staff}\n</{root}>\n"
    )
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of `path` that contains `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def pupil(result_tables: pd.DataFrame, key: str) -> pd.Series:
    return result_tables.set_index("leerling_id").loc[key]


# --- detection ---------------------------------------------------------------------------------


def test_detects_edexml_by_its_root_not_by_its_name(tmp_path: Path) -> None:
    oddly_named = edex(tmp_path, name="export.dat")
    assert edexml.detect([oddly_named])
    assert reader_for([oddly_named]).name == "edexml"
    folder = tmp_path / "parnassys"
    folder.mkdir()
    edex(folder, name="edex.xml")
    assert edexml.detect([folder])
    not_edex = tmp_path / "EDEX.XML"
    not_edex.write_text('<?xml version="1.0"?>\n<dossier xmlns="urn:oso"><a/></dossier>\n')
    assert not edexml.detect([not_edex])
    csv = tmp_path / "leerlingen.csv"
    csv.write_text("leerling_id;achternaam\n1;Jansen\n", encoding="utf-8")
    assert not edexml.detect([csv])


def test_detects_a_uwlr_response_inside_a_soap_envelope(tmp_path: Path) -> None:
    body = edex(tmp_path, root="leerlinggegevens", ns=edexml.UWLR_NAMESPACE, name="inner.xml")
    inner = body.read_text(encoding="utf-8").split("\n", 1)[1]
    envelope = tmp_path / "antwoord.xml"
    envelope.write_text(
        '<?xml version="1.0"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<s:Body><leerlinggegevens_antwoord xmlns="{edexml.UWLR_NAMESPACE}">\n{inner}'
        "</leerlinggegevens_antwoord></s:Body></s:Envelope>\n",
        encoding="utf-8",
    )
    assert edexml.detect([envelope])
    result = read([envelope])
    assert result.format == "edexml"
    assert list(result.tables.leerlingen["leerling_id"]) == ["001"]
    assert set(result.tables.groepen["groep_id"]) == {"G3", "G12", "PLUS"}


# --- mapping and quirks ------------------------------------------------------------------------


def test_uwlr_namespace_reads_like_edexml(tmp_path: Path) -> None:
    path = edex(tmp_path, root="leerlinggegevens", ns=edexml.UWLR_NAMESPACE)
    result = read([path])
    assert result.format == "edexml"
    row = pupil(result.tables.leerlingen, "001")
    assert (row["achternaam"], row["groep_id"], row["brin"], row["vestiging"]) == (
        "Jansen", "G3", "99ZZ", "00",
    )  # fmt: skip


def test_groups_carry_school_brin_year_and_kind(tmp_path: Path) -> None:
    groups = read([edex(tmp_path)]).tables.groepen.set_index("groep_id")
    assert groups.loc["G3", ["jaargroep", "soort", "schooljaar", "brin", "vestiging"]].tolist() == [
        "3", "stamgroep", "2026-2027", "99ZZ", "00",
    ]  # fmt: skip
    assert groups.loc["G12", "jaargroep"] == ""  # `C`: a combination group
    assert groups.loc["PLUS", ["soort", "jaargroep"]].tolist() == ["samengestelde_groep", ""]


def test_children_in_any_order_and_empty_voorvoegsel(tmp_path: Path) -> None:
    shuffled = """<leerling key="002">
      <groep key="G3"/><jaargroep>3</jaargroep><roepnaam>Zoë</roepnaam>
      <samengestelde_groepen><samengestelde_groep key="PLUS"/></samengestelde_groepen>
      <geslacht>2</geslacht><voorvoegsel></voorvoegsel><geboortedatum>2019-02-01</geboortedatum>
      <voorletters-1>ZA</voorletters-1><achternaam>Visser</achternaam>
    </leerling>"""
    school_last = f"{GROUPS}\n  {SCHOOL}"  # the school block after the groups
    path = edex(tmp_path, shuffled, school="", rest=school_last)
    loaded = load([path])
    row = pupil(loaded.tables.leerlingen, "002")
    assert row[["achternaam", "tussenvoegsel", "roepnaam", "voorletters"]].tolist() == [
        "Visser", "", "Zoë", "Z.A.",
    ]  # fmt: skip
    assert row[["geslacht", "jaargroep", "groep_id", "samengestelde_groepen"]].tolist() == [
        "V", "3", "G3", "PLUS",
    ]  # fmt: skip
    assert row["geboortedatum"] == pd.Timestamp("2019-02-01")
    assert int(row["_row"]) == line_of(path, '<leerling key="002">')
    assert loaded.tables.groepen["schooljaar"].eq("2026-2027").all()
    assert not (loaded.findings["severity"] == "error").any(), loaded.findings


@pytest.mark.produces("roepnaam-from-voornamen")
def test_geslacht_codes_and_name_choices(tmp_path: Path) -> None:
    pupils = "\n".join(
        f'<leerling key="{key}"><achternaam>Bos</achternaam><roepnaam>{key}</roepnaam>'
        f'{gender}<jaargroep>3</jaargroep><groep key="G3"/></leerling>'
        for key, gender in (
            ("p0", "<geslacht>0</geslacht>"),
            ("p1", "<geslacht>1</geslacht>"),
            ("p2", "<geslacht>2</geslacht>"),
            ("p9", "<geslacht>9</geslacht>"),
            ("pn", ""),
        )
    )
    pupils += (
        '\n<leerling key="rn"><roepnaam>Alleen</roepnaam><jaargroep>3</jaargroep></leerling>'
        '\n<leerling key="vn"><achternaam>Assati</achternaam><voornamen>Ismaël Hassan'
        "</voornamen><voorletters-1>IH</voorletters-1><jaargroep>3</jaargroep></leerling>"
    )
    path = edex(tmp_path, pupils)
    result = read([path])
    table = result.tables.leerlingen.set_index("leerling_id")
    assert table.loc[["p0", "p1", "p2", "p9", "pn"], "geslacht"].tolist() == [
        "O", "M", "V", "X", "O",
    ]  # fmt: skip
    assert table.loc["rn", ["achternaam", "roepnaam"]].tolist() == ["", "Alleen"]
    assert table.loc["vn", ["roepnaam", "voorletters"]].tolist() == ["Ismaël", "I.H."]
    assert (path.name, line_of(path, 'key="vn"'), "roepnaam", "roepnaam-from-voornamen") in where(
        result.findings
    )


@pytest.mark.produces("dummy-key")
def test_keys_are_trimmed_and_dummy_keys_warned(tmp_path: Path) -> None:
    pupils = """<leerling key=" 003 "><achternaam>Kaya</achternaam><roepnaam>Elif</roepnaam>
      <jaargroep>3</jaargroep><groep key=" G3 "/></leerling>
    <leerling key="#17"><achternaam>Smit</achternaam><roepnaam>Daan</roepnaam>
      <jaargroep>3</jaargroep><groep key="G3"/></leerling>"""
    groups = GROUPS.replace('<groep key="G12">', '<groep key="#G12">')
    staff = '<leerkrachten><leerkracht key="#L1"><achternaam>Post</achternaam><rol>LRK</rol>'
    staff += "</leerkracht></leerkrachten>"
    path = edex(tmp_path, pupils, rest=groups, staff=staff)
    result = read([path])
    assert set(result.tables.leerlingen["leerling_id"]) == {"003", "#17"}
    assert pupil(result.tables.leerlingen, "003")["groep_id"] == "G3"
    found = where(result.findings)
    assert (path.name, line_of(path, 'key="#17"'), "leerling_id", "dummy-key") in found
    assert (path.name, line_of(path, 'key="#G12"'), "groep_id", "dummy-key") in found
    assert (path.name, line_of(path, 'key="#L1"'), "medewerker_id", "dummy-key") in found
    dummy = result.findings[result.findings["code"].eq("dummy-key")]
    assert set(dummy["severity"]) == {"warning"}


@pytest.mark.produces("invalid-date", "former-pupils-skipped")
def test_former_pupils_are_counted_not_kept(tmp_path: Path) -> None:
    pupils = (
        PUPIL
        + """
    <leerling key="old1"><achternaam>Hof</achternaam><roepnaam>Gradje</roepnaam>
      <jaargroep>H</jaargroep></leerling>
    <leerling key="old2"><achternaam>Dam</achternaam><roepnaam>Bas</roepnaam>
      <jaargroep>8</jaargroep><uitstroomdatum>2026-07-31</uitstroomdatum></leerling>
    <leerling key="stays"><achternaam>Vos</achternaam><roepnaam>Noa</roepnaam>
      <jaargroep>3</jaargroep><groep key="G3"/><uitstroomdatum>2027-01-31</uitstroomdatum>
    </leerling>
    <leerling key="unclear"><achternaam>Bos</achternaam><roepnaam>Kim</roepnaam>
      <jaargroep>3</jaargroep><groep key="G3"/><uitstroomdatum>binnenkort</uitstroomdatum>
    </leerling>"""
    )
    path = edex(tmp_path, pupils)
    result = read([path])
    assert set(result.tables.leerlingen["leerling_id"]) == {"001", "stays", "unclear"}
    unclear = (path.name, line_of(path, 'key="unclear"'), "uitstroomdatum", "invalid-date")
    assert unclear in where(result.findings)
    former = result.findings[result.findings["code"].eq("former-pupils-skipped")]
    assert len(former) == 1
    assert former.iloc[0]["severity"] == "info" and former.iloc[0]["value"] == "2"
    assert int(former.iloc[0]["row"]) == line_of(path, 'key="old1"')


@pytest.mark.produces("sensitive-fields-dropped")
def test_vendor_blocks_are_ignored_and_sensitive_fields_dropped(tmp_path: Path) -> None:
    pupils = """<leerling key="004" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <achternaam>Nguyen</achternaam><roepnaam>Linh</roepnaam><jaargroep>3</jaargroep>
      <geboortedatum>2019-03-03</geboortedatum><groep key="G3"/>
      <bsn>123456782</bsn><postcodenl>1234AB</postcodenl><land>NL</land>
      <gewicht_nieuw>0,3</gewicht_nieuw>
      <toevoegingen><blok xsi:type="LeverancierGeheimType"><code>X</code>
        <groep key="NOT-A-GROUP"/><achternaam>Niet dit</achternaam></blok></toevoegingen>
      <leverancier_veld>iets</leverancier_veld>
    </leerling>"""
    path = edex(tmp_path, pupils)
    loaded = load([path])
    row = pupil(loaded.tables.leerlingen, "004")
    assert (row["achternaam"], row["groep_id"]) == ("Nguyen", "G3")
    texts = loaded.tables.leerlingen.astype(str).to_string()
    assert "123456782" not in texts and "1234AB" not in texts
    dropped = loaded.findings[loaded.findings["code"].eq("sensitive-fields-dropped")]
    assert len(dropped) == 1 and dropped.iloc[0]["severity"] == "info"
    assert dropped.iloc[0]["value"] == "bsn, postcodenl, land, gewicht_nieuw"
    assert int(dropped.iloc[0]["row"]) == line_of(path, "<bsn>")
    assert not (loaded.findings["severity"] == "error").any(), loaded.findings


@pytest.mark.produces("staff-without-role")
def test_edexml_103_style_without_roles(tmp_path: Path) -> None:
    school = SCHOOL.replace("2.1", "1.03").replace("<peildatum>2026-10-01</peildatum>", "")
    staff = """<leerkrachten>
    <leerkracht key="LK1"><achternaam>Bemmel</achternaam><voorvoegsel>van</voorvoegsel>
      <voorletters-1>J</voorletters-1><groepen><groep key="G3"/></groepen></leerkracht>
  </leerkrachten>"""
    rest = '<groepen><groep key="G3"><naam>3</naam><jaargroep>3</jaargroep></groep></groepen>'
    path = edex(tmp_path, school=school, rest=rest, staff=staff)
    result = read([path])
    staff_row = result.tables.medewerkers.iloc[0]
    assert staff_row[["achternaam", "tussenvoegsel", "las_rol", "rol"]].tolist() == [
        "Bemmel", "van", "", "",
    ]  # fmt: skip
    assert result.tables.medewerker_groepen[["medewerker_id", "groep_id"]].values.tolist() == [
        ["LK1", "G3"]
    ]
    assert (path.name, line_of(path, 'key="LK1"'), "las_rol", "staff-without-role") in where(
        result.findings
    )


def test_staff_roles_for_the_school_and_per_group(tmp_path: Path) -> None:
    staff = """<leerkrachten>
    <leerkracht key="L1"><achternaam>Smit</achternaam><roepnaam>Marieke</roepnaam>
      <emailadres>m.smit@example.org</emailadres><rol>LRK</rol>
      <groepen><groep key="G3"><rol>IB</rol></groep><samengestelde_groep key="PLUS"/></groepen>
    </leerkracht>
    <leerkracht key="L2"><roepnaam>Uilke</roepnaam><achternaam>Veldman</achternaam>
      <rolomschrijving>Manusje van alles, ook conciërge</rolomschrijving>
      <groepen><groep key="G12"><rol>STA</rol><rol>OWA</rol></groep></groepen>
    </leerkracht>
  </leerkrachten>"""
    path = edex(tmp_path, staff=staff)
    result = read([path])
    staff_rows = result.tables.medewerkers.set_index("medewerker_id")
    assert staff_rows.loc["L1", ["las_rol", "rol", "email"]].tolist() == [
        "LRK,IB", "TOP leerkracht +", "m.smit@example.org",
    ]  # fmt: skip
    assert staff_rows.loc["L2", ["las_rol", "rol"]].tolist() == [
        "Manusje van alles ook conciërge,STA,OWA", "",
    ]  # fmt: skip
    links = result.tables.medewerker_groepen
    assert links[["medewerker_id", "groep_id"]].values.tolist() == [
        ["L1", "G3"], ["L1", "PLUS"], ["L2", "G12"],
    ]  # fmt: skip
    assert links["_row"].tolist() == [
        line_of(path, '<groep key="G3"><rol>IB'),
        line_of(path, 'samengestelde_groep key="PLUS"/></groepen>'),
        line_of(path, '<groep key="G12"><rol>STA'),
    ]


@pytest.mark.produces("invalid-schooljaar")
def test_school_year_after_the_schema_and_a_bad_one(tmp_path: Path) -> None:
    later = edex(
        tmp_path,
        PUPIL.replace("2019-", "2024-"),  # as old as groep 3 is in that year
        school=SCHOOL.replace("2026-2027", "2031-2032").replace("2026-", "2031-"),
    )
    assert not (read([later]).findings["severity"] == "error").any()
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = edex(bad_dir, school=SCHOOL.replace("2026-2027", "2026-2028"))
    found = where(read([bad]).findings)
    assert (bad.name, line_of(bad, "<schooljaar>"), "schooljaar", "invalid-schooljaar") in found


@pytest.mark.produces("vestiging-not-a-number")
def test_vestiging_keys_that_are_no_number(tmp_path: Path) -> None:
    rest = GROUPS + '\n  <vestigingen><vestiging key="VH"><naam>Huissen</naam></vestiging>'
    rest += '<vestiging key="99ZZ01"><naam>Bemmel</naam></vestiging></vestigingen>'
    pupils = PUPIL.replace('<groep key="G3"/>', '<groep key="G3"/><vestiging key="VH"/>')
    pupils += "\n" + PUPIL.replace('"001"', '"002"').replace(
        '<groep key="G3"/>', '<groep key="G3"/><vestiging key="99ZZ01"/>'
    )
    path = edex(tmp_path, pupils, rest=rest)
    result = read([path])
    table = result.tables.leerlingen.set_index("leerling_id")
    assert table.loc[["001", "002"], "vestiging"].tolist() == ["00", "01"]
    assert (
        path.name, line_of(path, 'vestiging key="VH"><naam>'), "vestiging",
        "vestiging-not-a-number",
    ) in where(result.findings)  # fmt: skip


@pytest.mark.produces("export-before-takeover")
def test_export_made_before_the_school_year_began(tmp_path: Path) -> None:
    early = SCHOOL.replace("2026-10-01T09:00:00", "2026-07-15T09:00:00")
    path = edex(tmp_path, school=early.replace("<peildatum>2026-10-01</peildatum>", ""))
    result = read([path])
    notes = result.findings[result.findings["code"].eq("export-before-takeover")]
    assert len(notes) == 1 and notes.iloc[0]["severity"] == "warning"
    assert int(notes.iloc[0]["row"]) == line_of(path, "<aanmaakdatum>")
    assert "15-07-2026" in notes.iloc[0]["message"]
    on_time = tmp_path / "on_time"
    on_time.mkdir()
    ok = edex(on_time, school=SCHOOL.replace("2026-10-01T09:00:00", "2026-08-01T00:00:00"))
    assert "export-before-takeover" not in set(read([ok]).findings["code"])


def test_a_bad_birth_date_is_a_finding_on_the_pupil(tmp_path: Path) -> None:
    path = edex(tmp_path, PUPIL.replace("2019-05-04", "2019-13-45"))
    result = read([path])
    assert (path.name, line_of(path, 'key="001"'), "geboortedatum", "invalid-date") in where(
        result.findings
    )


# --- the sample school: EDEXML equals the import files -----------------------------------------


@pytest.mark.parametrize("las", ["parnassys", "esis"])
@pytest.mark.parametrize("year", ["2025-2026", "2026-2027"])
def test_sample_export_gives_the_tables_of_the_import_files(las: str, year: str) -> None:
    expected = load([SAMPLE_DATA / year])
    actual = load([SAMPLE_DATA / las / year])
    assert actual.format == "edexml"
    assert actual.findings.empty, actual.findings
    for name, columns in TABLE_COLUMNS.items():
        keys = ["medewerker_id", "groep_id"] if name == "medewerker_groepen" else [columns[0]]
        left = expected.tables.canonical(name).sort_values(keys).reset_index(drop=True)
        right = actual.tables.canonical(name).sort_values(keys).reset_index(drop=True)
        assert len(left) == len(right), name
        for column in columns:
            if (name, column) == ("medewerkers", "rol"):
                # EDEXML carries the LAS role only; the product role comes from roles.py,
                # which agrees with the sample where it matters: the two product roles.
                product = left[column].isin(PRODUCT_ROLES)
                pd.testing.assert_series_equal(left[column][product], right[column][product])
                continue
            pd.testing.assert_series_equal(left[column], right[column], obj=f"{name}.{column}")


def test_committed_edexml_samples_match_a_fresh_generation(tmp_path: Path) -> None:
    paths = write_edexml_samples(tmp_path)
    assert len(paths) == 4
    for path in paths:
        committed = SAMPLE_DATA / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"regenerate {committed}"


def test_writer_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    tables = load([SAMPLE_DATA / "2025-2026"]).tables
    moment = dt.datetime(2025, 10, 1, 9, 0)
    first = edexml_bytes(tables, aanmaakdatum=moment)
    assert first == edexml_bytes(tables, aanmaakdatum=moment)
    assert b"<aanmaakdatum>2025-10-01T09:00:00</aanmaakdatum>" in first
    path = write_edexml(tables, tmp_path / "x" / "EDEX.XML", aanmaakdatum=moment)
    again = read([path]).tables
    assert again.canonical("leerlingen").equals(
        tables.canonical("leerlingen").set_index(again.leerlingen.index)
    )


def test_lwtop_validate_reads_the_sample_export(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE_DATA / "parnassys" / "2025-2026")]) == 0
    assert "EDEXML" in capsys.readouterr().out


# --- hostile XML -------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE EDEX [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>99ZZ</brincode></school>
<leerlingen><leerling key="1"><achternaam>&lol9;</achternaam></leerling></leerlingen></EDEX>
"""


def _hostile_run(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["validate", *extra, str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lwtop: ")
    return captured.out + captured.err


@pytest.mark.produces("unsafe-xml")
@pytest.mark.parametrize("extra", [(), ("--format", "edexml"), ("--json",)])
def test_external_entity_is_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-7f3a9c-MARKER", encoding="utf-8")
    path = tmp_path / "EDEX.XML"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE EDEX [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        "<EDEX><school><schooljaar>2026-2027</schooljaar></school><leerlingen>"
        '<leerling key="1"><achternaam>&xxe;</achternaam></leerling></leerlingen></EDEX>\n',
        encoding="utf-8",
    )
    output = _hostile_run(path, capsys, *extra)
    assert "GEHEIM-7f3a9c-MARKER" not in output
    assert "uit veiligheid niet gelezen" in output
    with pytest.raises(Exception) as error:
        read([path])
    assert "GEHEIM" not in str(error.value)
    assert getattr(error.value, "finding", {}).get("code") == "unsafe-xml"


def test_billion_laughs_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "EDEX.XML"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    output = _hostile_run(path, capsys)
    assert "DOCTYPE" in output and "lollol" not in output


def test_a_plain_dtd_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "EDEX.XML"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE EDEX SYSTEM "EDEX.dtd">\n<EDEX><school/></EDEX>\n',
        encoding="utf-8",
    )
    assert "uit veiligheid niet gelezen" in _hostile_run(path, capsys, "--format", "edexml")


def test_broken_xml_is_one_dutch_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "EDEX.XML"
    path.write_text("<EDEX><school><schooljaar>2026-2027</schooljaar>\n<leerlingen>\n")
    assert "geen geldige XML" in _hostile_run(path, capsys)
