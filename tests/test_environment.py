"""environment.yml (for conda users) must list what pyproject.toml lists."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT

CONDA_ONLY = {"python", "pip"}


def _name(spec: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", spec.strip(), maxsplit=1)[0]).lower()


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = set(), []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep.get("pip", [])
        else:
            conda.add(_name(dep))
    assert any(line.strip() == "-e ." for line in pip), (
        "environment.yml must install the project (pip: [-e .])"
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(dep) for dep in project["dependencies"]}
    assert not declared - conda, f"missing in environment.yml: {sorted(declared - conda)}"
    assert not conda - declared - CONDA_ONLY, (
        f"only in environment.yml: {sorted(conda - declared - CONDA_ONLY)}"
    )


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
