"""Notebooks never keep outputs: what a notebook showed (pupils' names) stays out of the project.

Two guards, each tested for real: the Jupyter server of `make lab` (the project's
jupyter_server_config.json) strips outputs on every save, autosave included; and the git filter
that `make setup` installs (nbstripout) strips them from anything staged.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

BIN = Path(sys.executable).parent
TOKEN = "lwtop-test-token"
PUPIL = "Jansen, Noor"


def _notebook_with_outputs() -> dict[str, Any]:
    """A notebook as JupyterLab saves it after Run All: outputs, counts, the widgets' state."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "widgets": {
                "application/vnd.jupyter.widget-state+json": {
                    "state": {"m1": {"state": {"value": f"<td>{PUPIL}</td>"}}},
                    "version_major": 2,
                    "version_minor": 0,
                }
            },
        },
        "cells": [
            {"cell_type": "markdown", "id": "a1", "metadata": {}, "source": "# Controle"},
            {
                "cell_type": "code",
                "id": "a2",
                "metadata": {},
                "execution_count": 7,
                "source": "plan.pupils.head()",
                "outputs": [
                    {
                        "output_type": "execute_result",
                        "execution_count": 7,
                        "metadata": {},
                        "data": {"text/plain": PUPIL, "text/html": f"<td>{PUPIL}</td>"},
                    },
                    {"output_type": "stream", "name": "stdout", "text": PUPIL + "\n"},
                ],
            },
        ],
    }


def _assert_without_outputs(text: str) -> None:
    assert PUPIL not in text
    notebook = json.loads(text)
    (code,) = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code["outputs"] == [] and code["execution_count"] is None
    assert "".join(code["source"]) == "plan.pupils.head()"  # the notebook itself is kept
    assert "widgets" not in notebook["metadata"]


# --- the Jupyter server of `make lab` ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def lab_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A Jupyter server with the project's config on a folder of notebooks; its base URL."""
    root = tmp_path / "notebooks"
    root.mkdir()
    env = dict(os.environ)
    for name in ("HOME", "TMPDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        folder = tmp_path / "scratch" / name.lower()
        folder.mkdir(parents=True)
        env[name] = str(folder)
    port = _free_port()
    command = [str(BIN / "jupyter"), "server", f"--config={REPO / 'jupyter_server_config.json'}"]
    command += [f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1", f"--port={port}"]
    command += [f"--IdentityProvider.token={TOKEN}", "--no-browser"]
    if os.getuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _request(base, "GET", "/api/status")
                break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Jupyter server did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield base, root
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _request(base: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"token {TOKEN}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def test_jupyterlab_saves_a_notebook_without_its_outputs(lab_server: tuple[str, Path]) -> None:
    """What an autosave sends (PUT of the whole notebook) reaches the disk without outputs."""
    base, root = lab_server
    model = {"type": "notebook", "format": "json", "content": _notebook_with_outputs()}
    _request(base, "PUT", "/api/contents/02_controle.ipynb", model)
    _assert_without_outputs((root / "02_controle.ipynb").read_text(encoding="utf-8"))
    other = {"type": "file", "format": "text", "content": PUPIL}
    _request(base, "PUT", "/api/contents/notities.txt", other)
    assert (root / "notities.txt").read_text(encoding="utf-8") == PUPIL  # only notebooks


# --- the git filter of `make setup` ----------------------------------------------------------


def _git(folder: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), GIT_CONFIG_NOSYSTEM="1")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def _project_copy(folder: Path) -> Path:
    """The files `make git-filter` works with, as in a checkout of the project."""
    folder.mkdir()
    for name in ("Makefile", ".gitattributes"):
        shutil.copy(REPO / name, folder / name)
    (folder / "notebooks").mkdir()
    return folder


def _make_git_filter(folder: Path, env: dict[str, str]) -> None:
    subprocess.run(
        ["make", "--no-print-directory", "git-filter", f"BIN={BIN}"],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )


def test_git_stages_a_notebook_without_its_outputs(tmp_path: Path, git_env: dict) -> None:
    clone = _project_copy(tmp_path / "clone")
    _git(clone, "init", "--quiet", env=git_env)
    _make_git_filter(clone, git_env)
    notebook = clone / "notebooks" / "02_controle.ipynb"
    notebook.write_text(json.dumps(_notebook_with_outputs(), indent=1), encoding="utf-8")
    _git(clone, "add", "notebooks/02_controle.ipynb", env=git_env)
    _assert_without_outputs(_git(clone, "show", ":notebooks/02_controle.ipynb", env=git_env))
    assert PUPIL in notebook.read_text(encoding="utf-8")  # the working copy is the user's


def test_outside_a_git_checkout_the_filter_is_not_installed(tmp_path: Path, git_env: dict) -> None:
    plain = _project_copy(tmp_path / "plain")
    _make_git_filter(plain, git_env)
    assert not (plain / ".git").exists()
