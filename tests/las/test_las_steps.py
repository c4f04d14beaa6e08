"""The steps of a LAS that sets pupils ready, a line each, and the article's address a school
or board puts in `lwtop.toml` (`[artikelen]`), validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from lwtop_toolkit.findings import ToolkitError
from lwtop_toolkit.las import catalogue as las
from lwtop_toolkit.readers.school_settings import article_links

URL = "https://hulp.example.nl/artikel/overgang-esis"


@pytest.mark.parametrize("code", list(las.CATALOGUE))
def test_no_instruction_points_to_an_article_it_does_not_name(code: str) -> None:
    text = las.CATALOGUE[code].instruction("2026-2027")
    assert "artikel" not in text.lower()


def test_per_pupil_and_bulk_spell_out_their_steps_a_line_each() -> None:
    lines = las.get("esis").instruction_lines("2026-2027")
    assert lines[0] == "Actie vereist: Leerlingen per stuk klaarzetten en ophalen."
    steps = lines[1:]
    assert len(steps) >= 4 and [step[:2] for step in steps] == [f"{i}." for i in range(1, 6)]
    assert "Zet in ESIS regulier elke leerling" in steps[0] and "klaar" in steps[0]
    assert "Haal" in steps[1] and "op in Leerwinst/TOP dossier" in steps[1]
    assert "nieuwe groep" in steps[1]
    bulk = las.get("esis-sbo-so-vso").instruction_lines()[1:]
    assert "Selecteer in ESIS SBO/SO/VSO de nieuwe groepen" in bulk[0]
    assert any("Niet meenemen" in step for step in bulk)
    assert las.get("esis").instruction("2026-2027") == "\n".join(lines)


def test_the_article_of_a_las_is_shown_when_lwtop_toml_names_it(tmp_path: Path) -> None:
    (tmp_path / "lwtop.toml").write_text(f'[artikelen]\nesis = "{URL}"\n', encoding="utf-8")
    articles = article_links([tmp_path / "EDEX.XML"])
    assert articles == {"esis": URL}
    lines = las.get("esis").instruction_lines("2026-2027", articles)
    assert lines[-1] == f"Het artikel over de overgang in ESIS regulier: {URL}"
    assert las.get("magister").instruction_lines(None, articles)[-1].startswith("5.")
    assert las.get("esis").as_dict(None, articles)["article"] == URL
    (tmp_path / "elders").mkdir()
    assert article_links([tmp_path / "elders"]) == {}


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ('esis = "http://hulp.example.nl/a"', "https://"),
        ('esis = "hulp.example.nl/a"', "https://"),
        ('esis = "https://"', "https://"),
        ('esis = "https://hulp.example.nl/een spatie"', "https://"),
        ("esis = 3", "https://"),
        ('parnassys = "https://hulp.example.nl/a"', "onbekend LAS 'parnassys'"),
    ],
)
def test_a_wrong_article_address_is_one_dutch_line(tmp_path: Path, table: str, said: str) -> None:
    (tmp_path / "lwtop.toml").write_text(f"[artikelen]\n{table}\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as error:
        article_links([tmp_path])
    message = error.value.message
    assert said in message and "[artikelen]" in message and "\n" not in message
