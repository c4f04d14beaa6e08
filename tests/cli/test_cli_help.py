"""`lwtop --help` and each command's help are Dutch and complete; a wrong call is one Dutch line.

The commands are taken from the parser itself, so a command added later is held to the same.
"""

from __future__ import annotations

import argparse
import json

import pytest
from conftest import SAMPLE_DATA

from lwtop_toolkit.cli.main import main, root_parser

# argparse's English, which must not reach a coordinator.
ENGLISH = (
    "usage:",
    "options:",
    "optional arguments",
    "positional arguments",
    "show this help",
    "show program's version",
)
# Words of argparse's English error messages.
ENGLISH_ERRORS = ("error:", "usage", "required", "unrecognized", "invalid", "expected", "choose")


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of `lwtop`, by name."""
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


COMMANDS = sorted(commands(root_parser()))


def test_there_are_commands() -> None:
    assert {"validate", "preview", "bundle", "verify", "demo"} <= set(COMMANDS)


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 0
    return capsys.readouterr().out


def undocumented(parser: argparse.ArgumentParser) -> list[str]:
    """The arguments of `parser` (but its --help) without a help text."""
    return [
        "/".join(action.option_strings) or action.dest
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
        and not (action.help and action.help.strip())
    ]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_is_dutch_with_a_description_an_example_and_every_option_explained(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_of([name, "--help"], capsys)
    assert not [word for word in ENGLISH if word in text], text
    assert text.startswith(f"gebruik: lwtop {name} ")
    assert "opties:" in text
    parser = commands(root_parser())[name]
    assert parser.description and parser.description.strip()
    assert parser.epilog and f"  lwtop {name}" in parser.epilog  # an example of this command
    assert undocumented(parser) == []


def test_root_help_is_dutch_and_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(["--help"], capsys)
    assert not [word for word in ENGLISH if word in text], text
    assert text.startswith("gebruik: lwtop ")
    assert all(name in text for name in COMMANDS)
    assert undocumented(root_parser()) == []


@pytest.mark.parametrize(
    ("argv", "dutch"),
    [
        ([], "dit ontbreekt nog: OPDRACHT"),
        (["bestaat-niet"], "bestaat niet (kies uit"),
        (["validate", "x", "--bestaat-niet"], "onbekend: --bestaat-niet"),
        (["preview", "--old", "a"], "dit ontbreekt nog: --new"),
        (["validate", "--las", "geen-las", "x"], "--las: 'geen-las' bestaat niet (kies uit"),
        (["bundle", "--old"], "--old: hier hoort minstens één waarde bij"),
        (["demo", "--out"], "--out: hier hoort één waarde bij"),
        (["sample", "--out", "x", "--seed", "twee"], "ongeldige waarde 'twee'"),
    ],
)
def test_a_wrong_call_is_one_dutch_line_and_exit_2(
    argv: list[str], dutch: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("lwtop: ongeldige opdracht: ") and dutch in line, line
    assert not [word for word in ENGLISH_ERRORS if word in line.lower()], line


def test_validate_json_has_the_same_keys_with_and_without_las(
    capsys: pytest.CaptureFixture[str],
) -> None:
    export = str(SAMPLE_DATA / "magister" / "2026-2027")
    plain_status = main(["validate", "--json", export])
    plain = json.loads(capsys.readouterr().out)
    las_status = main(["validate", "--json", "--las", "magister", export])
    with_las = json.loads(capsys.readouterr().out)
    assert list(plain) == list(with_las)
    assert plain_status == las_status
    assert plain["las"] is None and with_las["las"]["code"] == "magister"
    assert plain["enrolled_twice"] == with_las["enrolled_twice"] == []
    assert plain["per_school"] == with_las["per_school"] == []
