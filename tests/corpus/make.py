"""The corpus of hostile and broken inputs, each file named by its defect, with its outcome.

`CASES` holds every case: how to write the file and what a coordinator must get, as data:
`Refused` (`lwtop validate` ends with exit 2 and one Dutch line naming the file) or `Read`
(the pupils that reach the tables, and findings that must be among the output, as
(row, column, code)). `write_corpus(folder)` writes every file (and the `lwtop.toml` that gives
the pupil lists their BRIN and school year); run `python tests/corpus/make.py MAP` to look at it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `corpus` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import files as f

# A secret outside the input: an external entity that named it must never bring it in.
SECRET_FILE = "lwtop-geheim.txt"
SECRET = "GEHEIM-7f3a9c-NIET-LEZEN"


@dataclass(frozen=True)
class Refused:
    """Exit 2: one Dutch line that names the file and says why (these words, any case)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Read:
    """Read: `pupils` rows reach the tables; `findings` (row, column, code) are among the
    findings; `named` pupil rows are not in the tables but named in a finding."""

    pupils: int
    findings: frozenset[tuple[int | None, str, str]] = frozenset()
    named: tuple[int, ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    data: Callable[[Path], bytes | str]  # gets the corpus folder (for the secret's path)
    outcome: Refused | Read
    format: str | None = None
    encoding: str = "utf-8"


def _csv(**kwargs: Any) -> Callable[[Path], str]:
    return lambda folder: f.csv_text(f.pupil_rows(**kwargs))


def _rows(*changes: tuple[int, int, str]) -> list[list[object]]:
    """The clean list with cells changed: (pupil index, column index, value)."""
    rows = f.pupil_rows()
    for pupil, column, value in changes:
        rows[pupil + 1][column] = value
    return rows


def _findings(*items: tuple[int | None, str, str]) -> frozenset[tuple[int | None, str, str]]:
    return frozenset(items)


CASES: dict[str, Case] = {}


def case(
    name: str,
    data: Callable[[Path], bytes | str],
    outcome: Refused | Read,
    **options: Any,
) -> None:
    CASES[name] = Case(name, data, outcome, **options)


# --- nothing to read --------------------------------------------------------------------------
case("empty.csv", lambda _: b"", Refused(("leeg",)))
case("whitespace-only.csv", lambda _: " \r\n\t\r\n  \r\n", Refused(("leeg",)))
case("bom-only.csv", lambda _: b"\xef\xbb\xbf", Refused(("leeg",)))
case("header-only.csv", _csv(pupils=()), Read(0, _findings((None, "", "no-rows"))))
case("empty.xml", lambda _: b"", Refused(("leeg",)), format="edexml")

# --- not what the name says -------------------------------------------------------------------
case("binary.csv", lambda _: bytes(range(256)) * 64, Refused(("binaire",)))
case("pdf-named.xlsx", lambda _: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
     Refused(("PDF",)))  # fmt: skip
case("old-excel.xls", lambda _: f.cfb(["Root Entry", "Workbook"]), Refused((".xls",)))
case("password-protected.xlsx",
     lambda _: f.cfb(["Root Entry", "EncryptionInfo", "EncryptedPackage"]),
     Refused(("beveiligd met een wachtwoord",)))  # fmt: skip
case("csv-named.xlsx", lambda _: f.csv_text(f.pupil_rows()), Refused(("geen geldig Excel",)))
case("zip-bomb.xlsx", lambda _: f.zip_bomb(), Refused(("uitpakken",)))
case("zip-bomb-lying-sizes.xlsx", lambda _: f.lying_zip_bomb(), Refused(("niet te lezen",)))
case("truncated.xlsx", lambda _: f.workbook(f.pupil_rows())[:3000], Refused(("beschadigd",)))
case("no-workbook-inside.xlsx",
     lambda _: f.raw_zip([("data/inhoud.xml", f.deflate(b"<w/>"), f.crc(b"<w/>"), 4)]),
     Refused(("geen Excel-werkmap",)))  # fmt: skip

# --- CSV text that is broken or odd -----------------------------------------------------------
case("10000-columns.csv",
     lambda _: f.csv_text(f.pupil_rows(header=[*f.HEADER, *(f"Extra {n}" for n in range(9993))],
                                       pupils=[[*p, *([""] * 9993)] for p in f.PUPILS])),
     Read(4, _findings((1, "", "many-unknown-columns"))))  # fmt: skip
case("10mb-cell.csv", lambda _: f.csv_text(_rows((1, 1, "x" * 10_000_000))),
     Read(4, _findings((3, "achternaam", "cell-too-long"))))  # fmt: skip
case("unbalanced-quotes.csv",
     lambda _: f.csv_text(f.pupil_rows()).replace("1002;de Vries", '1002;"de Vries'),
     Refused(("rij 3", "aanhalingsteken")))  # fmt: skip
case("nul-bytes.csv", lambda _: f.csv_text(_rows((2, 1, "Öz\x00türk"))),
     Read(4, _findings((4, "achternaam", "control-characters"))))  # fmt: skip
case("control-characters.csv", lambda _: f.csv_text(_rows((0, 2, "An\x01na\x0b"))),
     Read(4, _findings((2, "roepnaam", "control-characters"))))  # fmt: skip
case("zero-width-and-no-break-spaces.csv",
     lambda _: f.csv_text(_rows((1, 0, "1002\u200b"), (1, 1, "de\u00a0Vries"),
                                (3, 1, "Bak\u2060ker"))),
     Read(4, _findings((3, "leerling_id", "invisible-characters"),
                       (3, "achternaam", "invisible-characters"))))  # fmt: skip
case("mixed-line-endings.csv",
     lambda _: "".join(f.csv_text([row], line_end=end) for row, end in
                       zip(_rows((3, 3, "31-02-2017")), ("\r\n", "\n", "\r", "\n", "\r\n"),
                           strict=True)),
     Read(4, _findings((5, "geboortedatum", "invalid-date"))))  # fmt: skip
case("utf-16.csv", lambda _: "\ufeff" + f.csv_text(f.pupil_rows(), delimiter="\t"),
     Read(4, _findings((None, "", "encoding-fallback"))), encoding="utf-16-le")  # fmt: skip
case("utf-16-no-bom.csv", lambda _: f.csv_text(f.pupil_rows(), delimiter="\t"),
     Read(4, _findings((None, "", "encoding-fallback"))), encoding="utf-16-le")  # fmt: skip
case("cp1252-with-utf8-bom.csv",
     lambda _: b"\xef\xbb\xbf" + f.csv_text(f.pupil_rows()).encode("cp1252"),
     Read(4, _findings((None, "", "encoding-fallback"))))  # fmt: skip
case("duplicate-columns.csv",
     _csv(header=[*f.HEADER[:3], "Achternaam", *f.HEADER[3:]],
          pupils=[[*p[:3], "Anders", *p[3:]] for p in f.PUPILS]),
     Read(4, _findings((1, "achternaam", "duplicate-column"))))  # fmt: skip
case("ragged-row.csv", lambda _: f.csv_text(_rows((1, 6, "4;extra;velden"))).replace('"', ""),
     Read(3, _findings((3, "", "malformed-row")), named=(3,)))  # fmt: skip
case("title-row-above-header.csv",
     lambda _: "Export leerlingen;;\r\n\r\n" + f.csv_text(_rows((3, 3, "31-02-2017"))),
     Read(4, _findings((1, "", "rows-above-header"),
                       (7, "geboortedatum", "invalid-date"))))  # fmt: skip
case("unnamed-column.csv",
     _csv(header=[*f.HEADER, ""],
          pupils=[[*p, "zie dossier" if p[0] == "1002" else ""] for p in f.PUPILS]),
     Read(4, _findings((3, "H", "unnamed-column"))))  # fmt: skip
case("truncated.csv", lambda _: f.csv_text(f.pupil_rows())[:-22],
     Read(4, _findings((5, "geboortedatum", "missing-value"))))  # fmt: skip
case("formula-injection.csv",
     lambda _: f.csv_text(_rows((0, 1, '=HYPERLINK("http://x.example";"klik")'),
                                (1, 2, "+31612345678"), (2, 1, "-Bakker"), (3, 2, "@SUM(A1)"))),
     Read(4))  # fmt: skip

# --- Excel sheets as people edit them ---------------------------------------------------------


def _merge_header(book: Any) -> None:
    sheet = book.active
    sheet.insert_rows(1)
    sheet["A1"] = "Leerling"
    sheet["D1"] = "Gegevens"
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:G1")


def _merged_name(book: Any) -> None:
    book.active.merge_cells("B1:C1")  # "Achternaam" over two columns, "Roepnaam" hidden


def _merged_group(book: Any) -> None:
    sheet = book.active
    sheet["F3"] = None
    sheet.merge_cells("F2:F3")  # one group cell for two pupils


def _title(book: Any) -> None:
    sheet = book.active
    sheet.insert_rows(1, amount=2)
    sheet["A1"] = "Leerlingenlijst De Regenboog, schooljaar 2026-2027"


def _hide_row(book: Any) -> None:
    book.active.row_dimensions[3].hidden = True


def _hidden_sheet(book: Any) -> None:
    extra = book.create_sheet("Oud")
    extra.append(list(f.HEADER))
    extra.append(["9001", "Verborgen", "Vera", "01-01-2017", "V", "4B", "4"])
    extra.sheet_state = "hidden"


def _totals(book: Any) -> None:
    sheet = book.active
    sheet.append([])
    sheet.append(["Totaal", None, None, None, None, None, "=COUNTA(A2:A5)"])


def _all_hidden(book: Any) -> None:
    book.active.sheet_state = "hidden"
    book.create_sheet("Leeg")


case("merged-group-header.xlsx",
     lambda _: f.workbook(_rows((3, 3, "31-02-2017")), prepare=_merge_header),
     Read(4, _findings((1, "", "rows-above-header"),
                       (6, "geboortedatum", "invalid-date"))))  # fmt: skip
case("merged-header-cells.xlsx", lambda _: f.workbook(f.pupil_rows(), prepare=_merged_name),
     Read(4, _findings((1, "B1:C1", "merged-header"),
                       (1, "roepnaam", "missing-column"))))  # fmt: skip
case("merged-cells.xlsx", lambda _: f.workbook(f.pupil_rows(), prepare=_merged_group),
     Read(4, _findings((2, "F2:F3", "merged-cells"))))  # fmt: skip
case("empty-first-row.xlsx", lambda _: f.workbook([[], *_rows((3, 3, "31-02-2017"))]),
     Read(4, _findings((6, "geboortedatum", "invalid-date"))))  # fmt: skip
case("title-row-above-header.xlsx",
     lambda _: f.workbook(_rows((3, 3, "31-02-2017")), prepare=_title),
     Read(4, _findings((1, "", "rows-above-header"),
                       (7, "geboortedatum", "invalid-date"))))  # fmt: skip
case("hidden-rows.xlsx", lambda _: f.workbook(f.pupil_rows(), prepare=_hide_row),
     Read(4, _findings((3, "", "hidden-row"))))  # fmt: skip
case("hidden-sheet.xlsx", lambda _: f.workbook(f.pupil_rows(), prepare=_hidden_sheet),
     Read(4, _findings((None, "", "hidden-sheet-skipped"))))  # fmt: skip
case("only-hidden-sheets.xlsx", lambda _: f.workbook(f.pupil_rows(), prepare=_all_hidden),
     Refused(("verborgen",)))  # fmt: skip
case("totals-row.xlsx", lambda _: f.workbook(f.pupil_rows(), prepare=_totals),
     Read(4, _findings((7, "", "totals-row-skipped"))))  # fmt: skip
case("empty-workbook.xlsx", lambda _: f.workbook([]), Refused(("geen gegevens",)))

# --- XML ------------------------------------------------------------------------------------------


def _entity(target: str) -> Callable[[Path], str]:
    def data(folder: Path) -> str:
        url = target if target.startswith("file:") else (folder / target).resolve().as_uri()
        doctype = f'<!DOCTYPE EDEX [<!ENTITY x SYSTEM "{url}">]>\n'
        return f.edex([f.edex_pupil("001", "&x;")], before_root=doctype)

    return data


# Billion laughs: ten levels of ten references, 10^9 times "lol" once expanded.
LAUGHS = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
)


def _late_doctype(folder: Path) -> str:
    """A DOCTYPE beyond the first 64 KB that a reader looks at first (a long comment before)."""
    doctype = _entity(SECRET_FILE)(folder).split("\n", 2)[1]
    text = f.edex([f.edex_pupil("001", "&x;")], before_root="<!--" + "x" * 70_000 + "-->\n")
    return text.replace("<EDEX>", doctype + "\n<EDEX>", 1)


case("dtd.xml", lambda _: f.edex(before_root="<!DOCTYPE EDEX [<!ELEMENT EDEX ANY>]>\n"),
     Refused(("DOCTYPE",)))  # fmt: skip
case("external-entity-passwd.xml", _entity("file:///etc/passwd"), Refused(("DOCTYPE",)))
case("external-entity-secret.xml", _entity(SECRET_FILE), Refused(("DOCTYPE",)))
case("billion-laughs.xml",
     lambda _: f.edex([f.edex_pupil("001", "&l9;")], before_root=f"<!DOCTYPE EDEX [{LAUGHS}]>\n"),
     Refused(("DOCTYPE",)))  # fmt: skip
case("doctype-after-long-comment.xml", _late_doctype, Refused(("niet herkend",)), format="edexml")
case("xinclude.xml",
     lambda _: f.edex([f.edex_pupil("001", "Jansen", '<xi:include xmlns:xi="http://www.w3.org/'
                                    '2001/XInclude" href="file:///etc/passwd" parse="text"/>')]),
     Read(1))  # fmt: skip
case("wrong-encoding-declaration.xml",
     lambda _: f.edex([f.edex_pupil("001", "Öztürk"), f.edex_pupil("002", "Müller")]).encode(
         "cp1252"),
     Read(2, _findings((1, "", "xml-encoding-mismatch"))))  # fmt: skip
case("latin1-declared-but-utf8.xml",
     lambda _: f.edex([f.edex_pupil("001", "Öztürk"), f.edex_pupil("002", "Müller")],
                      prolog='<?xml version="1.0" encoding="ISO-8859-1"?>\n'),
     Read(2, _findings((1, "", "xml-encoding-mismatch"))))  # fmt: skip
case("truncated.xml", lambda _: f.edex()[:-60], Refused(("afgebroken",)))
case("not-edexml.xml", lambda _: '<?xml version="1.0"?>\n<rss><channel/></rss>\n',
     Refused(("XML-bestand (<rss>)", "geen EDEXML")))  # fmt: skip

# --- formats we do not read: refused as what they are, with what to export instead ----------------
JSON_LIST = '[{"leerlingnummer": "1001", "achternaam": "Jansen", "groep": "3A"}]\n'
EXCEL_2003 = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
    'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>\n'
)
WEB_PAGE = "<html><body><table><tr><td>Leerlingnummer</td></tr></table></body></html>\n"
OPENDOCUMENT = b"application/vnd.oasis.opendocument.spreadsheet"
case("leerlingen.json", lambda _: JSON_LIST, Refused(("JSON-bestand", "als CSV")))
case("json-named.csv", lambda _: JSON_LIST, Refused(("JSON-bestand",)))
case("excel-2003.xml", lambda _: EXCEL_2003, Refused(("Excel 2003", ".xlsx")))
case("web-page-named.xls", lambda _: WEB_PAGE, Refused(("webpagina (HTML)", ".xlsx")))
case("opendocument.ods",
     lambda _: f.zip_of({"mimetype": OPENDOCUMENT, "content.xml": b"<office:document/>"}),
     Refused(("OpenDocument-rekenblad", ".xlsx")))  # fmt: skip
case("apple.numbers",
     lambda _: f.zip_of({"Index/Document.iwa": b"\x00", "Metadata/Properties.plist": b"x"}),
     Refused(("Apple Numbers", "Excel")))  # fmt: skip
case("letter.docx", lambda _: f.zip_of({"word/document.xml": b"<w:document/>"}),
     Refused(("Word-document", "als CSV")))  # fmt: skip
case("word-97.doc", lambda _: f.cfb(["Root Entry", "WordDocument"]), Refused(("Word-document",)))
case("binary-excel.xlsb", lambda _: f.zip_of({"xl/workbook.bin": b"\x00"}),
     Refused((".xlsb", ".xlsx")))  # fmt: skip
# a zipped export is read as the app reads it (readers/files/archives.py), by every command
case("exports.zip", lambda _: f.zip_of({"leerlingen.csv": f.csv_text(f.pupil_rows()).encode()}),
     Read(4))  # fmt: skip
case("notes.txt", lambda _: "Leerlingen van groep 3\r\nAnna Jansen\r\nBram de Vries\r\n",
     Refused(("platte tekst zonder kolommen",)))  # fmt: skip
case("photo.csv", lambda _: b"\x89PNG\r\n\x1a\n" + bytes(200), Refused(("afbeelding",)))
case("tab-delimited.txt", lambda _: f.csv_text(f.pupil_rows(), delimiter="\t"), Read(4))


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every case into `folder` (and `lwtop.toml`, and the secret); {name: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lwtop.toml").write_text(f.SETTINGS, encoding="utf-8")
    (folder / SECRET_FILE).write_text(SECRET + "\n", encoding="utf-8")
    paths = {}
    for name, item in CASES.items():
        path = folder / name
        f.write(path, item.data(folder), item.encoding)
        paths[name] = path
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("gebruik: python tests/corpus/make.py MAP")
    written = write_corpus(Path(sys.argv[1]))
    print(f"{len(written)} bestanden geschreven in {sys.argv[1]}")
