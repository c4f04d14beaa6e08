"""Findings in the terminal are printed whole, wrapped to its width: the advice that ends a
message (its second half) was cut at 90 characters in every table but preview's."""

from __future__ import annotations

from pathlib import Path

import pytest

from lwtop_toolkit.cli.main import main

PUPILS = (
    "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;Geslacht;Groep;Jaargroep\n"
    "1001;Smit;Fleur;10-02-2020;V;3A;3\n"
    "1002;Boer;Sem;01-07-2020;M;3A;3\n"
)


def test_a_long_finding_is_printed_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # a narrow terminal: the message wraps, never cut
    (tmp_path / "leerlingen.csv").write_text(PUPILS, encoding="utf-8")
    (tmp_path / "lwtop.toml").write_text('brin = "99ZZ"\nschooljaar = "2026-2027"\n')
    (tmp_path / "notities.csv").write_text("Aantekening\nbellen met de ouders\n")
    assert main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    message_lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert message_lines and max(len(line) for line in message_lines) <= 80
    flowing = " ".join(out.split())
    whole = (
        "Dit bestand of werkblad is geen leerlingen- of personeelslijst en is niet ingelezen. "
        "Hoort het erbij, geef de kolommen dan herkenbare namen (Leerlingnummer, Klas, ...)."
    )
    assert whole in flowing
    assert "..." not in flowing.replace("Klas, ...", "")  # nothing cut off
