"""environment.yml (for conda users) must list what pyproject.toml lists."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT

CONDA_ONLY = {"python", "pip"}


def _name(spec: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", spec.strip(), maxsplit=1)[0]).lower()


def test_environment_yml_installs_the_pinned_project_with_its_test_dependencies():
    """Conda gives Python; pip installs the project with the dev extra (the test dependencies)
    under constraints.txt, which pins every dependency (the test below): the versions of a
    conda environment are those of .venv, so they cannot disagree."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert {_name(d) for d in conda} == CONDA_ONLY
    assert pip == ["-c constraints.txt", "-e .[dev]"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "dev" in project["optional-dependencies"]


def test_environment_yml_python_matches_requires_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and _name(d) == "python")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    assert python == "python=3.11"


def test_constraints_pin_every_runtime_dependency():
    pins = {
        _name(line)
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(d) for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    assert not wanted - pins, (
        f"not pinned in constraints.txt (run `make lock`): {sorted(wanted - pins)}"
    )
