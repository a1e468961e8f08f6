"""environment.yml (for conda users) must list what pyproject.toml lists."""

from __future__ import annotations

from pathlib import Path
import re
import tomllib

import pytest
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


def test_one_version_and_licence_for_the_distribution_its_citation_and_changelog():
    from importlib import metadata

    import rhetoric

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert project["name"] == "rhetoric-study"  # "rhetoric" on PyPI is another project
    assert rhetoric.__version__ == project["version"] == str(citation["version"])
    assert metadata.version("rhetoric-study") == project["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {project['version']} " in changelog
    assert project["license"] == {"text": "MIT"} and citation["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


@pytest.mark.slow
def test_the_api_reference_builds_offline_without_a_warning(tmp_path):
    """`make docs`, as written in the Makefile, with this interpreter: pdoc's warnings are
    errors (-W error), and every module of the package gets its page."""
    import shutil
    import subprocess
    import sys

    from rhetoric.store import paths

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    out = tmp_path / "api"
    run = subprocess.run(["make", "-s", "-C", str(ROOT), "docs", f"DOCS_OUT={out}",
                          f"BIN={Path(sys.executable).parent}", "STAMP="],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "warn" not in (run.stdout + run.stderr).lower(), run.stdout + run.stderr
    modules = {
        ".".join(
            ("rhetoric", *p.relative_to(paths.PACKAGE_DIR).with_suffix("").parts)
        ).removesuffix(".__init__")
        for p in paths.PACKAGE_DIR.rglob("*.py")
        if p.name not in ("__main__.py", "_entry.py")
    }
    pages = {".".join(p.relative_to(out).with_suffix("").parts) for p in out.rglob("*.html")}
    assert modules <= pages, sorted(modules - pages)
    corpus = (out / "rhetoric" / "corpus.html").read_text(encoding="utf-8")
    assert "Parameters" in corpus and '<span class="nf">dfm' in corpus
    assert '<script src="http' not in corpus  # nothing loaded from the network
