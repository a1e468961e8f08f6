"""`rhetoric run`: executing the study on other data, failures, HTML reports."""

from __future__ import annotations

import json
from pathlib import Path
import re

import nbformat
import pytest

from conftest import ROOT, tree_digest
from conftest import write_notebook as _notebook
import prose
from rhetoric.cli import main
from rhetoric.errors import RhetoricInputError, StudyRunError
from rhetoric.measures.reuse import reuse_statements
from rhetoric.pipeline import process_corpus
from rhetoric.study.run import run_study
from synthetic import write_synthetic_corpus


def test_failing_cell_stops_the_run_and_leaves_outputs_untouched(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    good = _notebook(folder / "01_good.ipynb", "x = 1")
    bad = _notebook(folder / "02_bad.ipynb", "y = 2", "1 / 0")
    out = tmp_path / "out"
    (out / "notebooks").mkdir(parents=True)
    (out / "notebooks" / "01_good.ipynb").write_text("previous output", encoding="utf-8")
    (out / "figures").mkdir()
    (out / "figures" / "old.png").write_bytes(b"old")
    before = tree_digest(out)
    with pytest.raises(StudyRunError) as info:
        run_study(out_dir=out, notebooks=[good, bad], progress=False)
    message = str(info.value)
    assert "02_bad.ipynb: cell 3 failed: ZeroDivisionError: division by zero" in message
    assert "\n" not in message
    assert tree_digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".rhetoric-stage-")]


def test_cli_run_failure_is_one_line(tmp_path, capsys, monkeypatch):
    import shutil

    from rhetoric.store import paths

    study = tmp_path / "study"  # a study folder whose one notebook fails
    shutil.copytree(paths.DATA_DIR, study / "data", ignore=shutil.ignore_patterns(".*"))
    (study / "notebooks").mkdir()
    _notebook(study / "notebooks" / "01_bad.ipynb", "raise ValueError('no such group')")
    monkeypatch.setenv("RHETORIC_STUDY", str(study))
    code = main(["run", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "01_bad.ipynb: cell 2 failed: ValueError: no such group" in err
    assert "Traceback" not in err


_SAVE_A_FIGURE = """
import matplotlib.pyplot as plt
from rhetoric.study.figures import save_figure
fig, ax = plt.subplots(figsize=(3.5, 2))
ax.plot([1, 2, 3], [3, 1, 2])
ax.set_title("Trust")
import os
save_figure(fig, "99-line", figures_dir=os.environ["RHETORIC_FIGURES"], notebook="99_figure.ipynb",
            caption="A line.", fingerprint="0" * 16, parameters={})
"""


def test_run_writes_the_figures_and_only_the_notebooks_cells(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    source = _notebook(folder / "01_figure.ipynb", _SAVE_A_FIGURE, "x = 1")
    out = tmp_path / "out"
    run_study(out_dir=out, notebooks=[source], progress=False)
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "99-line.pdf", "99-line.png", "99-line.svg", "manifest.json"
    ]  # fmt: skip
    assert (out / "figures" / "99-line.pdf").read_bytes().startswith(b"%PDF")
    executed = nbformat.read(out / "notebooks" / "01_figure.ipynb", as_version=4)
    assert [c.id for c in executed.cells] == ["c0", "c1", "c2"]
    assert [c.execution_count for c in executed.cells[1:]] == [1, 2]


@pytest.mark.parametrize("argument", ["group_a", "color=red", "data_dir=/tmp"])
def test_cli_run_rejects_bad_parameters(argument, capsys):
    assert main(["run", "-p", argument]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "-p" in err


@pytest.mark.parametrize(
    ("argument", "named"),
    [
        ("group_a=XX-YY", "there are: RU-US, CN-RU"),
        ("group_b=us-russia", "the same dyad as group_a"),
        ("compare_by=nope", "use one of document, dyad, year"),
        ("where=kind=speech", "there are: news_article"),
        ("where=colour=red", "not a corpus.csv column"),
        ("themes_file=missing.yml", "no such file"),
        ("reprints=maybe", "use drop or keep"),
        ("where=dyad=RU-US", "every document that -p where keeps has the same dyad (RU-US)"),
        ("figure_style=font=No Such Typeface", "no font 'No Such Typeface' on this machine"),
        ("figure_style=size=40", "is not font=NAME or size=N"),
        ("figure_width=wide", "use double (7.2 in) or single (3.5 in)"),
    ],
)
def test_cli_run_checks_parameters_against_the_corpus_before_any_kernel(
    argument, named, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    started = []
    monkeypatch.setattr("rhetoric.study.run.execute_notebook", lambda *a, **k: started.append(a))
    extra = ["-p", "group_a=RU-US"] if argument.startswith("group_b") else []
    assert main(["run", "--out", str(tmp_path / "out"), *extra, "-p", argument]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err and argument.split("=")[0] in err
    assert not started and not (tmp_path / "out").exists()


def test_a_notebook_failing_on_bad_input_exits_2_and_version(tmp_path, capsys):
    folder = tmp_path / "nbs"
    folder.mkdir()
    bad = _notebook(folder / "01_bad.ipynb", "from rhetoric.errors import RhetoricInputError",
                    "raise RhetoricInputError('themes.yml: no theme trust')")  # fmt: skip
    with pytest.raises(RhetoricInputError, match=r"01_bad.ipynb: cell 3: themes.yml: no theme"):
        run_study(out_dir=tmp_path / "out", notebooks=[bad], progress=False)
    assert main(["--version"]) == 0 and capsys.readouterr().out.startswith("rhetoric 0.")


@pytest.mark.slow
def test_the_study_runs_on_about_200_documents_of_six_groups(tmp_path, monkeypatch):
    """195 statements, six groups (incl. single-party, three-party, one-document), other groups
    compared; the data folder given relative to the working directory, as a user types it."""
    write_synthetic_corpus(tmp_path / "data", scale=4)
    monkeypatch.chdir(tmp_path)
    data, out = Path("data"), tmp_path / "out"
    run_study(data_dir=data, out_dir=out, parameters={"group_a": "CN-US", "group_b": "CN-RU"}, html=True,
              progress=False)  # fmt: skip
    notebooks = sorted((out / "notebooks").glob("*.ipynb"))
    assert [p.name[:2] for p in notebooks] == ["01", "02", "03", "04", "05"]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and "group_a = 'CN-US'" in injected[0].source
        assert str(data) in injected[0].source
        for cell in nb.cells:
            assert all(o.output_type != "error" for o in cell.get("outputs", [])), path.name
    manifest = json.loads((out / "figures" / "manifest.json").read_text(encoding="utf-8"))[
        "figures"
    ]
    # ten figures, and one per statement whose text an article of its dyad reproduced (the
    # synthetic texts share template sentences, so coverage reproduces them by construction)
    processed = process_corpus(tmp_path / "data")
    covered = reuse_statements(processed)
    assert len(covered) > 20
    assert sorted(s for s in manifest if s.startswith("04-reuse-")) == sorted(
        f"04-reuse-{s}" for s in covered
    )
    assert len(manifest) == 10 + len(covered)
    assert {e["parameters"]["group_a"] for e in manifest.values()} == {"CN-US"}
    for stem in manifest:
        assert (out / "figures" / f"{stem}.png").stat().st_size > 10_000
    # at about 200 documents no label collides or runs past its figure
    assert {s: e["text_problems"] for s, e in manifest.items()} == {s: [] for s in manifest}
    # every executed notebook stays small enough to open and to review; no cell's output runs
    # past about 40 lines (a long table shows its top, the whole of it is a CSV)
    for path in notebooks:
        assert path.stat().st_size < 2_000_000, path.name
        assert {i: n for i, n in prose.output_lines(path).items() if n > 40} == {}, path.name
    sizes = (out / "figures" / "01-sizes.csv").read_text(encoding="utf-8").splitlines()
    assert len(sizes) == 1 + len(processed.documents)
    # the prose follows this corpus and these groups: no count, dyad, year or kind it lacks
    labels = {d: processed.parties.label(d) for d in processed.documents["dyad"]}
    assert prose.problems(notebooks, processed, labels, bundled=False) == []
    _static, shown = prose.prose(notebooks[3])
    n = processed.documents["dyad"].value_counts()
    assert (
        f"## US–China ({n['CN-US']} documents, 2001–2025) and Russia–China ({n['CN-RU']} " in shown
    )
    kinds = processed.documents["kind"].value_counts()
    assert (f"Kinds are mixed** ({kinds['joint_statement']} joint\\_statement, "
            f"{kinds['news_article']} news\\_article)") in shown  # fmt: skip
    # the notebooks say where numbers are undefined
    first = nbformat.read(notebooks[0], as_version=4)
    printed = "".join(o.get("text", "") for c in first.cells for o in c.get("outputs", []))
    assert "hold a single document (CN-IN-RU, IN-RU, US)" in printed
    assert "theme(s) with no hit in the corpus: space" in printed
    # with 14 and 17 documents the findings come from a document-level test, with verdicts
    summary = nbformat.read(notebooks[4], as_version=4)
    shown = "".join(str(o.get("data", {}).get("text/markdown", "")) + o.get("text", "")
                    for c in summary.cells for o in c.get("outputs", []))  # fmt: skip
    assert "*Test: studentized log rate ratio over " in shown
    assert "No group test is possible" not in shown and "higher in Russia–China" in shown
    # HTML reports: one per notebook, nothing loaded from the network
    reports = sorted((out / "reports").glob("*.html"))
    assert [p.stem for p in reports] == [p.stem for p in notebooks]
    for report in reports:
        html = report.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?://", html), (
            report.name
        )
        assert "<table" in html and "data:image/png;base64" in html
        assert "hl-ipython3" not in html  # for readers: no code cells unless asked for
    # no path of this machine that the user did not type, in any notebook or report
    for path in [*notebooks, *reports]:
        assert str(tmp_path) not in path.read_text(encoding="utf-8"), path.name
    # the project's own outputs were not touched
    assert (ROOT / "figures" / "manifest.json").is_file()


def test_html_reports_hide_the_code_unless_asked(tmp_path):
    from rhetoric.study.reports import write_html_reports

    folder = tmp_path / "nbs"
    folder.mkdir()
    source = _notebook(
        folder / "01_x.ipynb", "secret_variable_name = 41\nprint(secret_variable_name + 1)"
    )
    out = tmp_path / "out"
    run_study(out_dir=out, notebooks=[source], progress=False)
    executed = out / "notebooks" / "01_x.ipynb"
    (plain,) = write_html_reports([executed], tmp_path / "plain")
    (coded,) = write_html_reports([executed], tmp_path / "coded", code=True)
    assert "42" in plain.read_text(encoding="utf-8")
    assert "secret_variable_name" not in plain.read_text(encoding="utf-8")
    assert "secret_variable_name" in coded.read_text(encoding="utf-8")
    # printed output (KWIC lines) keeps its columns: it scrolls in its box, never wraps
    css = plain.read_text(encoding="utf-8")
    assert "body .jp-OutputArea-output pre { white-space: pre; overflow-x: auto;" in css
    assert "pre-wrap" not in css.split("body .jp-OutputArea-output pre", 1)[1].split("}")[0]


@pytest.mark.slow
def test_a_cell_that_flushes_mid_way_gives_one_stream_output(tmp_path):
    from conftest import write_notebook
    from rhetoric.study.run import execute_notebook

    source = write_notebook(
        tmp_path / "01_pauses.ipynb",
        "import sys, time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.3)\n"
        "print('warned', file=sys.stderr, flush=True)\ntime.sleep(0.3)\nprint('end')",
    )
    target = tmp_path / "out" / "01_pauses.ipynb"
    execute_notebook(source, target)
    _title, cell = json.loads(target.read_text(encoding="utf-8"))["cells"]
    streams = [(o["name"], "".join(o["text"])) for o in cell["outputs"]]
    assert streams == [("stdout", "0\n1\n2\nend\n"), ("stderr", "warned\n")]


def test_merged_streams_gives_one_stdout_then_one_stderr_between_other_outputs():
    from rhetoric.study.run import merged_streams

    def out(name, text):
        return {"output_type": "stream", "name": name, "text": text}

    figure = {"output_type": "display_data", "data": {}, "metadata": {}}
    outputs = [out("stdout", "a\n"), out("stdout", ["b", "\n"]), figure, out("stdout", "c"),
               out("stderr", "w"), out("stderr", "x"), out("stdout", "d")]  # fmt: skip
    expected = [out("stdout", "a\nb\n"), figure, out("stdout", "cd"), out("stderr", "wx")]
    assert merged_streams(outputs) == expected
    # the same text, flushed in another order by a busier kernel, gives the same outputs
    busier = [out("stdout", "a"), out("stdout", "\nb\n"), figure, out("stderr", "w"),
              out("stdout", "c"), out("stdout", "d"), out("stderr", "x")]  # fmt: skip
    assert merged_streams(busier) == expected


# -- only what rhetoric wrote is replaced or removed (issue 34) ------------------------------


def _figure_notebook(folder: Path, notebook: str, figure: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return _notebook(folder / notebook, _SAVE_A_FIGURE.replace("99-line", figure))


def test_a_run_keeps_the_users_files_that_look_like_outputs(tmp_path, capsys):
    source = _figure_notebook(tmp_path / "nbs", "01_figure.ipynb", "01-line")
    out = tmp_path / "out"
    mine = {"figures/01_budget.pdf": b"%PDF mine", "figures/01-my-notes.csv": b"a,b\n",
            "reports/01_my_report.html": b"<p>mine</p>", "notes.txt": b"mine"}  # fmt: skip
    for name, data in mine.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    run_study(out_dir=out, notebooks=[source], html=True, progress=False)
    assert {name: (out / name).read_bytes() for name in mine} == mine
    err = capsys.readouterr().err
    for name in ("figures/01_budget.pdf", "figures/01-my-notes.csv", "reports/01_my_report.html"):
        assert f"{name} looks like an output but is not in rhetoric-outputs.json; kept" in err
    record = json.loads((out / "rhetoric-outputs.json").read_text(encoding="utf-8"))
    assert record["files"] == [
        "figures/01-line.pdf", "figures/01-line.png", "figures/01-line.svg",
        "figures/manifest.json", "notebooks/01_figure.ipynb", "reports/01_figure.html",
    ]  # fmt: skip


def test_a_run_removes_only_the_outputs_of_the_last_run_it_did_not_make_again(tmp_path, capsys):
    out = tmp_path / "out"
    first = _figure_notebook(tmp_path / "a", "01_figure.ipynb", "01-old")
    run_study(out_dir=out, notebooks=[first], html=True, progress=False)
    assert (out / "figures" / "01-old.png").is_file() and (out / "reports").is_dir()
    (out / "figures" / "01-mine.png").write_bytes(b"mine")  # the user's, not recorded
    capsys.readouterr()
    second = _figure_notebook(tmp_path / "b", "01_figure.ipynb", "01-new")
    run_study(out_dir=out, notebooks=[second], progress=False)  # no --html this time
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "01-mine.png", "01-new.pdf", "01-new.png", "01-new.svg", "manifest.json"
    ]  # fmt: skip
    assert list((out / "reports").iterdir()) == []  # the old report described the old run
    err = capsys.readouterr().err
    assert "1 HTML reports of the previous run removed" in err
    assert "3 outputs of the previous run that this run did not make again removed" in err
    assert "01-mine.png looks like an output but is not in rhetoric-outputs.json; kept" in err


def test_a_file_not_written_by_a_run_where_an_output_goes_is_refused(tmp_path):
    out = tmp_path / "out"
    run_study(out_dir=out, notebooks=[_figure_notebook(tmp_path / "a", "01_a.ipynb", "01-a")],
              progress=False)  # fmt: skip
    (out / "figures" / "01-b.png").write_bytes(b"the user's own figure")
    before = tree_digest(out)
    with pytest.raises(RhetoricInputError, match=r"01-b.png: not written by rhetoric run"):
        run_study(out_dir=out, notebooks=[_figure_notebook(tmp_path / "b", "01_a.ipynb", "01-b")],
                  progress=False)  # fmt: skip
    assert tree_digest(out) == before


def test_a_link_out_of_the_output_folder_is_refused_before_any_kernel(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "02_budget.pdf").write_bytes(b"mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / "figures").symlink_to(elsewhere)
    source = _figure_notebook(tmp_path / "nbs", "01_figure.ipynb", "01-line")
    assert main(["run", "--out", str(out), "--data", str(ROOT / "data")]) == 2
    err = capsys.readouterr().err
    assert "figures: is a symbolic link" in err and err.count("\n") == 1
    with pytest.raises(RhetoricInputError, match="is a symbolic link"):
        run_study(out_dir=out, notebooks=[source], progress=False)
    assert [p.name for p in elsewhere.iterdir()] == ["02_budget.pdf"]
    assert sorted(p.name for p in out.iterdir()) == ["figures"]


def test_an_interrupt_the_notebook_never_answers_still_stops_the_run(monkeypatch):
    """Found by the fresh-clone run: an interrupt that reaches the kernel as it takes a cell
    up can leave nbclient waiting for a reply for ever (1 run in 3 of
    test_interrupted_run_leaves_previous_outputs[5.0] hung). After STOP_SECONDS the
    execution is cancelled, so the run still stops, and nbclient's cleanup runs."""
    import asyncio
    import os
    import signal
    import threading
    import time

    from rhetoric.study import run as run_module

    cleaned = []

    class Manager:
        def interrupt_kernel(self):  # lost: the kernel never answers
            return None

    class Client:
        on_cell_execute = None
        km = Manager()

        async def async_execute(self, **kwargs):
            self.on_notebook_start()
            try:
                await asyncio.Event().wait()  # a reply that never comes
            finally:
                cleaned.append("kernel shut down")

    monkeypatch.setattr(run_module, "STOP_SECONDS", 0.3)
    execution = run_module._Execution(Client())
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        execution.run()
    assert time.monotonic() - started < 5
    execution.thread.join(5)
    assert cleaned == ["kernel shut down"] and isinstance(execution.error, asyncio.CancelledError)


def test_a_notebook_run_again_gets_only_this_runs_parameters(tmp_path):
    """A notebook executed with -p once (its injected cell saved with it) and run again, with
    other values or none: the old injected cell goes, so the new values hold."""
    from rhetoric.study.run import execute_notebook

    folder = tmp_path / "nbs"
    folder.mkdir()
    source = _notebook(folder / "01_p.ipynb", "x = 1", "print(x)")
    nb = nbformat.read(source, as_version=4)
    nb.cells[1].metadata["tags"] = ["parameters"]  # cell 0 is the title
    nbformat.write(nb, source)
    first, second, third = (tmp_path / n / "01_p.ipynb" for n in ("a", "b", "c"))
    execute_notebook(source, first, parameters={"x": 2})
    execute_notebook(first, second, parameters={"x": 3})
    execute_notebook(second, third)
    for path, shown, injected in ((first, "2", 1), (second, "3", 1), (third, "1", 0)):
        executed = nbformat.read(path, as_version=4)
        tags = [c.metadata.get("tags", []) for c in executed.cells]
        assert sum("injected-parameters" in t for t in tags) == injected
        assert executed.cells[-1].outputs[0]["text"] == f"{shown}\n"
