"""Nothing leaked: citizen numbers, postcodes and addresses planted in the input of every reader
appear in no output (tables, `validate --json`, `preview --json` and `--xlsx`, every member of the
bundle, the staff workbook, the staff links); no command touches the network; the app and
JupyterLab listen on 127.0.0.1 only; committed notebooks hold no outputs.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO
from corpus.outputs import all_text, written_files
from openpyxl import load_workbook

from lwtop_toolkit import load
from lwtop_toolkit.cli.main import main
from lwtop_toolkit.model import PRODUCT_ROLES, Tables
from lwtop_toolkit.samples.exports import EXPORTS
from lwtop_toolkit.samples.exports.edexml import write_edexml
from lwtop_toolkit.writers.importfiles import write_import_files

POSTCODE, STREET, TOWN = "9731 QX", "Geheimstraat", "Verstopdorp"


def bsn(seed: int) -> str:
    """A citizen number that passes the 11-proef (synthetic: derived from `seed`)."""
    while True:
        digits = [int(char) for char in f"{seed:08d}"[-8:]]
        total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
        if last < 10:
            number = "".join(map(str, digits)) + str(last)
            assert (total - last) % 11 == 0
            return number
        seed += 1


BSNS = [bsn(31_415_926 + 7 * n) for n in range(40)]
SECRETS = (*BSNS, POSTCODE, POSTCODE.replace(" ", ""), STREET, TOWN)


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command here runs without network: any attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network used: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- a small school, written as every LAS writes it, with sensitive columns planted ----------


def school(year: int) -> Tables:
    """Six pupils in two groups and two teachers, in school year `year`-`year + 1`."""
    names = ["Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer"]
    shift = year - 2026
    pupils = pd.DataFrame(
        {
            "leerling_id": [f"{1001 + n}" for n in range(6)],
            "achternaam": names,
            "roepnaam": ["Sem", "Noor", "Liam", "Emma", "Finn", "Julia"],
            "geboortedatum": pd.to_datetime(["2019-03-01", "2019-05-02", "2019-07-03",
                                             "2018-02-04", "2018-04-05", "2018-06-06"]),
            "geslacht": ["M", "V", "M", "V", "M", "V"],
            "jaargroep": [str(3 + shift)] * 3 + [str(4 + shift)] * 3,
            "groep_id": [f"G{year}-{3 + shift}"] * 3 + [f"G{year}-{4 + shift}"] * 3,
            "brin": "99ZZ",
            "vestiging": "00",
        }
    )  # fmt: skip
    ids = sorted(set(pupils["groep_id"]))
    groups = pd.DataFrame(
        {"groep_id": ids, "groepsnaam": [i.rsplit("-", 1)[1] for i in ids],
         "jaargroep": [i.rsplit("-", 1)[1] for i in ids], "soort": "stamgroep",
         "schooljaar": f"{year}-{year + 1}", "brin": "99ZZ", "vestiging": "00"}
    )  # fmt: skip
    staff = pd.DataFrame(
        {"medewerker_id": ["M1", "M2"], "achternaam": ["Mulder", "de Wit"],
         "roepnaam": ["Anna", "Tom"], "email": ["a.mulder@school.example", "t.wit@school.example"],
         "rol": [PRODUCT_ROLES[0], PRODUCT_ROLES[0]], "las_rol": ["Leerkracht", "Leerkracht"]}
    )  # fmt: skip
    links = pd.DataFrame({"medewerker_id": ["M1", "M2"], "groep_id": ids})
    return Tables.from_frames(
        groepen=groups, leerlingen=pupils, medewerkers=staff, medewerker_groepen=links
    )


SENSITIVE_COLUMNS = ("BSN", "Postcode", "Adres", "Woonplaats", "Notitie")


def _planted(number: int) -> list[str]:
    return [BSNS[number], POSTCODE, f"{STREET} {number + 1}", TOWN, f"woont {STREET} {number}"]


def _plant_csv(path: Path) -> None:
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252")
    delimiter = max((";", ",", "\t"), key=text.split("\n", 1)[0].count)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([*records[0], *SENSITIVE_COLUMNS])
    for number, record in enumerate(records[1:]):
        writer.writerow([*record, *_planted(number)])
    path.write_bytes(out.getvalue().encode(encoding))


def _plant_xlsx(path: Path) -> None:
    book = load_workbook(path)
    for sheet in book.worksheets:
        width = sheet.max_column
        for offset, header in enumerate(SENSITIVE_COLUMNS, start=1):
            sheet.cell(row=1, column=width + offset, value=header)
        for row in range(2, sheet.max_row + 1):
            for offset, value in enumerate(_planted(row), start=1):
                sheet.cell(row=row, column=width + offset, value=value).data_type = "s"
    book.save(path)


def _plant_xml(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    count = iter(range(10_000))

    def extra(match: re.Match[str]) -> str:
        number = next(count)
        return (
            f"{match[0]}<bsn>{BSNS[number]}</bsn><postcodenl>{POSTCODE.replace(' ', '')}"
            f"</postcodenl><adres>{STREET} {number}</adres><woonplaats>{TOWN}</woonplaats>"
        )

    text = re.sub(r"<(leerling|leerkracht) key=[^>]*>", extra, text)
    path.write_text(text, encoding="utf-8")


def write_planted(writer: str, tables: Tables, folder: Path) -> None:
    """`tables` as LAS `writer` exports them, with BSN, postcode and address columns added."""
    if writer == "importfiles":
        write_import_files(tables, folder)
    elif writer == "edexml":
        write_edexml(tables, folder / "EDEX.XML", aanmaakdatum=pd.Timestamp("2026-10-01"))
    else:
        EXPORTS[writer](tables, folder)
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if suffix == ".csv" and "structuur" not in path.name:
            _plant_csv(path)
        elif suffix == ".xlsx":
            _plant_xlsx(path)
        elif suffix == ".xml":
            _plant_xml(path)


WRITERS = ("importfiles", "magister", "somtoday", "eduarte", "schooloas", "edexml")


def _tables_text(tables: Tables) -> Iterator[str]:
    for _, frame in tables.items():
        yield frame.astype("string").fillna("").to_csv(index=False)


@pytest.mark.parametrize("writer", WRITERS)
def test_planted_citizen_numbers_and_addresses_reach_no_output(
    writer: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # folders named by their school year: a list export without one gets no staff workbook
    old, new = tmp_path / "oud" / "2025-2026", tmp_path / "nieuw" / "2026-2027"
    out = tmp_path / "uit"
    write_planted(writer, school(2025), old)
    write_planted(writer, school(2026), new)
    assert any(BSNS[0] in path.read_bytes().decode("cp1252", "replace")
               or path.suffix == ".xlsx" for path in new.iterdir())  # fmt: skip
    loaded = load([new])
    assert len(loaded.tables.leerlingen) == 6
    for text in _tables_text(loaded.tables):
        assert _leaks(text) == []
    dropped = loaded.findings["code"].isin(["sensitive-column-dropped", "sensitive-fields-dropped"])
    assert dropped.any()  # the coordinator is told what was left out

    pair = ["--old", str(old), "--new", str(new)]
    commands = [
        ["validate", str(new), "--json"],
        ["preview", *pair, "--json", "--xlsx", str(out / "overgang.xlsx")],
        ["bundle", *pair, "--out", str(out / "bundel"), "--force"],
        ["staff-sheet", *pair, "--out", str(out / "toewijzing.xlsx")],
    ]
    for command in commands:
        status = main(command)
        captured = capsys.readouterr()
        assert status in (0, 1), (command, captured.err)
        assert _leaks(captured.out + captured.err) == [], command
        if "--json" in command:
            json.loads(captured.out)  # one JSON document, nothing else
    files = written_files(out)
    assert {path.suffix for path in files} >= {".xlsx", ".zip", ".png", ".svg"}
    for path in files:
        assert _leaks(all_text(path)) == [], path


def test_a_bundle_names_no_folder_of_this_computer(tmp_path: Path) -> None:
    """A folder may name a person (`Documents/jansen/...`): the bundle names its files without
    their folders, in bevindingen.csv, the manifest and the audit workbook alike. The audit
    workbook used to show each finding's whole path."""
    import shutil

    from conftest import SAMPLE_DATA

    private = tmp_path / "Gebruikers" / "a.jansen" / "Documenten"
    for year in ("2025-2026", "2026-2027"):
        shutil.copytree(SAMPLE_DATA / year, private / year)
    stray = private / "2026-2027" / "leerlingen.csv"
    lines = stray.read_text(encoding="utf-8-sig").split("\n")
    lines.insert(2, lines[1] + ";extra")  # a finding about a line of this file
    stray.write_text("\n".join(lines), encoding="utf-8-sig")
    pair = ["--old", str(private / "2025-2026"), "--new", str(private / "2026-2027")]
    assert main(["bundle", *pair, "--out", str(tmp_path / "uit"), "--force"]) == 1
    (bundle,) = written_files(tmp_path / "uit")
    text = all_text(bundle)
    assert "malformed-row" in text and "leerlingen.csv" in text
    assert "jansen" not in text and str(tmp_path) not in text


def test_the_bsn_helper_makes_valid_citizen_numbers() -> None:
    for number in BSNS:
        digits = [int(char) for char in number]
        assert len(digits) == 9
        weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
        assert sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 == 0


# --- where the app listens --------------------------------------------------------------------


# A recipe that starts a web server: Voila, Jupyter, or the app's launcher of Voila.
SERVERS = r"\b(voila|jupyter[ -](lab|notebook|server)|lwtop_toolkit\.ui\.serve)\b"


def _recipes(makefile: str) -> dict[str, str]:
    """{target: its recipe as one line} (continuation lines joined)."""
    joined = makefile.replace("\\\n", " ")
    recipes: dict[str, str] = {}
    target = ""
    for line in joined.splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+):", line)
        if match and not line.startswith("\t"):
            target = match[1]
            recipes.setdefault(target, "")
        elif line.startswith("\t") and target:
            recipes[target] += " " + line.strip()
    return recipes


def test_the_app_and_jupyterlab_listen_on_this_computer_only() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipes = _recipes(makefile)
    servers = {target: recipe for target, recipe in recipes.items() if re.search(SERVERS, recipe)}
    assert {"app", "lab"} <= set(servers), sorted(recipes)
    for target, recipe in servers.items():
        assert re.search(r"--(Voila\.|ServerApp\.)?ip=127\.0\.0\.1\b", recipe), target
    assert "0.0.0.0" not in makefile
    for name in ("voila.json", "jupyter_server_config.json"):
        config = REPO / name
        if config.exists():
            settings = json.loads(config.read_text(encoding="utf-8"))
            ips = [section.get("ip") for section in settings.values() if isinstance(section, dict)]
            assert ips and all(ip in (None, "127.0.0.1") for ip in ips), name


def test_committed_notebooks_hold_no_outputs() -> None:
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook.get("cells", []):
            assert not cell.get("outputs"), path.name


def test_the_app_ends_a_closed_pages_kernel_within_a_minute_and_uses_its_own_page() -> None:
    """voila.json: a kernel without a page is ended (culled) within a minute, an open page's never;
    the page is the app's own template (no CDN, Dutch) and `make app` starts it through the
    launcher that sweeps what a killed run left. The browser test checks both for real."""
    settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    culling = settings["MappingKernelManager"]
    assert culling["cull_idle_timeout"] > 0 and culling["cull_interval"] > 0
    assert culling["cull_idle_timeout"] + culling["cull_interval"] <= 60
    assert culling["cull_connected"] is False
    assert settings["VoilaConfiguration"]["template"] == "lwtop"
    assert settings["VoilaExporter"]["language_code"] == "nl"
    assert "lwtop_toolkit.ui.serve" in _recipes((REPO / "Makefile").read_text("utf-8"))["app"]
