"""The lock files are the dependencies of pyproject.toml, resolved: `make lock` keeps them in step."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    """{normalised name: version} of `name[extras]==version` requirements."""
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)", requirement.split("#")[0].strip())
        assert match, f"pyproject.toml pins every dependency with ==: {requirement!r}"
        pins[_name(match[1])] = match[2]
    return pins


def _locked(file_name: str) -> dict[str, tuple[str, int]]:
    """{normalised name: (version, number of hashes)} of a pip-compile lock file."""
    text = (ROOT / file_name).read_text(encoding="utf-8")
    locked = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1]):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", entry)
        if match:
            locked[_name(match[1])] = (match[2], entry.count("--hash=sha256:"))
    return locked


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize(
    ("file_name", "requirements"),
    [
        ("requirements.txt", PROJECT["dependencies"]),
        ("requirements-dev.txt", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_each_lock_file_holds_the_pinned_versions_of_pyproject_with_hashes(file_name, requirements):
    locked = _locked(file_name)
    wrong = {
        name: (version, locked.get(name, ("missing", 0))[0])
        for name, version in _pins(requirements).items()
        if locked.get(name, ("missing", 0))[0] != version
    }
    assert wrong == {}, f"run `make lock` after changing pyproject.toml: {wrong}"
    assert all(hashes for _version, hashes in locked.values()), "every locked package has its hashes"


def test_the_application_lock_is_part_of_the_development_lock():
    development = {name: version for name, (version, _hashes) in _locked("requirements-dev.txt").items()}
    application = {name: version for name, (version, _hashes) in _locked("requirements.txt").items()}
    assert application.items() <= development.items()
