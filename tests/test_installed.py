"""Installed from a wheel (not editable), the tool works in a study folder of its own (issue 21).

The wheel is built from this checkout and installed into a separate folder, which goes first
on the path of every process (the commands and the notebook kernels), so the checkout's own
code and data are not what runs: `rhetoric init`, then add, validate, a table, the themes out
to quanteda and back, and the run.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT


def _rhetoric(env, cwd, *argv):
    return subprocess.run([sys.executable, "-m", "rhetoric", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


@pytest.mark.slow
def test_installed_from_a_wheel_it_works_in_a_study_folder(tmp_path):
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheel_dir),
                    str(ROOT)], check=True, capture_output=True)  # fmt: skip
    [wheel] = wheel_dir.glob("rhetoric_study-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")]),
           "RHETORIC_CACHE": str(tmp_path / "cache")}  # fmt: skip
    env.pop("RHETORIC_DATA", None)
    where = subprocess.run([sys.executable, "-c", "import rhetoric, sys; print(rhetoric.__file__)"],
                           env=env, cwd=tmp_path, capture_output=True, text=True, check=True)  # fmt: skip
    assert where.stdout.startswith(str(target))  # the installed copy, not the checkout
    # outside a study folder: one line saying what to do
    lost = _rhetoric(env, tmp_path, "validate")
    assert lost.returncode == 2 and "no such data directory" in lost.stderr
    made = _rhetoric(env, tmp_path, "init", "study")
    assert made.returncode == 0, made.stderr
    study = tmp_path / "study"
    assert sorted(p.name for p in study.iterdir()) == ["README.md", "data", "figures", "notebooks"]
    assert len(list((study / "notebooks").glob("0*.ipynb"))) == 5
    assert 'outputs": []' in (study / "notebooks" / "01_corpus.ipynb").read_text(encoding="utf-8")
    for raw, date, parties in (("2010-04-25-us-ru-elbe", "2010-04-25", "US,RU"),
                               ("2020-04-25-us-ru-elbe", "2020-04-25", "US,RU"),
                               ("2025-05-08-ru-cn-partnership", "2025-05-08", "RU,CN")):  # fmt: skip
        added = _rhetoric(env, study, "add", str(ROOT / "data" / "raw" / f"{raw}.txt"),
                          "--date", date, "--parties", parties, "--kind", "news_article")  # fmt: skip
        assert added.returncode == 0, added.stderr
    checked = _rhetoric(env, study, "validate")
    assert checked.returncode == 0 and "3 statements" in checked.stdout + checked.stderr
    terms = _rhetoric(env, study / "notebooks", "terms", "--by", "dyad", "--format", "csv")
    assert terms.returncode == 0 and "RU-US,trust," in terms.stdout  # from a subfolder too
    # the themes out to quanteda and back in: the same hits, so the run below is unchanged
    exported = _rhetoric(env, study, "lexicon", "export", "--out", "quanteda.yml")
    assert exported.returncode == 0, exported.stderr
    imported = _rhetoric(env, study, "lexicon", "import", "quanteda.yml", "--out",
                         "data/themes.yml", "--replace")  # fmt: skip
    assert imported.returncode == 0 and "9 themes" in imported.stderr, imported.stderr
    assert "exact: " in (study / "data" / "themes.yml").read_text(encoding="utf-8")
    ran = _rhetoric(env, study, "run")
    assert ran.returncode == 0, ran.stderr
    figures = sorted(p.name for p in (study / "figures").glob("*.png"))
    assert "01-cleaning.png" in figures and len(figures) >= 10
    executed = (study / "notebooks" / "05_summary.ipynb").read_text(encoding="utf-8")
    assert 'execution_count": 1' in executed
    assert not (ROOT / "figures" / "manifest.json").read_text(encoding="utf-8").count(str(study))
