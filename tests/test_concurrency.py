"""Nothing lost under concurrency, kills and a full disk (issue 20).

Several adds at once, an add during a run, a kill at every step of the output
swap, leftovers of killed processes, writing errors of the machine, text
hygiene (format characters, control characters on a terminal).
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
from pathlib import Path
import resource
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import TOY_STATEMENTS, make_data_dir, tree_digest, write_notebook
from rhetoric.cli import main
from rhetoric.data.folder import add_statements, load_corpus, validate_data
from rhetoric.errors import RhetoricEnvironmentError, RhetoricInputError
from rhetoric.pipeline import process_corpus
from rhetoric.store import atomic
from rhetoric.study.run import run_study

RHETORIC = str(Path(sys.executable).with_name("rhetoric"))
FORK = multiprocessing.get_context("fork")


def _statement(folder: Path, name: str, words: str) -> Path:
    path = folder / name
    path.write_text(f"The parties spoke of {words} and mutual trust.\n", encoding="utf-8")
    return path


def _add_when_released(barrier, data: Path, source: Path, results) -> None:
    barrier.wait()
    try:
        ids = add_statements([source], data_dir=data, date="2024-05-16", parties="RU,CN",
                             title="Joint statement", warn=lambda m: None)  # fmt: skip
        results.put(("ok", ids[0]))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _dead_pid() -> int:
    """The id of a process that has ended (and, for the moment, not been reused)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# -- several adds at once -------------------------------------------------------------------


@pytest.mark.slow
def test_adds_at_once_list_every_statement_exactly_once(tmp_path, data_dir):
    """Three adds released together, twenty times: each statement listed once, under the id
    its add printed; the same generated id taken by one and numbered for the others."""
    for repetition in range(20):
        sources = [_statement(tmp_path, f"r{repetition}-{i}.txt", f"item {repetition}-{i}")
                   for i in range(3)]  # fmt: skip
        barrier, results = FORK.Barrier(3), FORK.Queue()
        workers = [FORK.Process(target=_add_when_released, args=(barrier, data_dir, s, results))
                   for s in sources]  # fmt: skip
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
        assert [kind for kind, _ in outcomes] == ["ok"] * 3, outcomes
        listed = list(load_corpus(data_dir)["id"])
        assert len(listed) == len(set(listed)) == 3 + 3 * (repetition + 1)
        assert {new for _, new in outcomes} <= set(listed)
        assert validate_data(data_dir)[0] == []
    assert "2024-05-16-ru-cn-joint-statement-2" in listed


# -- an add during a run --------------------------------------------------------------------


def _counting_notebook(path: Path, seconds: float) -> Path:
    return write_notebook(
        path,
        "from rhetoric.pipeline import process_corpus\nimport time",
        f"time.sleep({seconds})\nprint('documents:', len(process_corpus().documents))",
    )


@pytest.mark.slow
def test_an_add_during_a_run_waits_and_the_run_reads_one_corpus(tmp_path, data_dir, capsys):
    notebooks = [_counting_notebook(tmp_path / f"0{i}_count.ipynb", 2) for i in (1, 2)]
    script = (
        "import sys; from pathlib import Path; from rhetoric.study.run import run_study; "
        "run_study(data_dir=Path(sys.argv[1]), out_dir=Path(sys.argv[2]), "
        "notebooks=[Path(p) for p in sys.argv[3:]], progress=False)"
    )
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-c", script, str(data_dir), str(out),
                            *map(str, notebooks)], stderr=subprocess.PIPE)  # fmt: skip
    while not any(p.name.startswith(".rhetoric-stage-") for p in out.glob(".*")):
        assert run.poll() is None, run.communicate()
        time.sleep(0.05)
    messages = []
    source = _statement(tmp_path, "late.txt", "a late addition")
    add_statements([source], data_dir=data_dir, date="2024-05-16", parties="RU,CN",
                   warn=messages.append)  # fmt: skip
    _, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    waited = capsys.readouterr().err
    assert "rhetoric: waiting for another rhetoric command to finish with" in waited
    printed = [
        (out / "notebooks" / n.name).read_text(encoding="utf-8").count("documents: 3")
        for n in notebooks
    ]
    assert printed == [1, 1]  # both notebooks saw the corpus before the add
    assert len(load_corpus(data_dir)) == 4


def test_a_corpus_edited_by_hand_during_a_run_stops_it(tmp_path, data_dir):
    edit = write_notebook(
        tmp_path / "01_edit.ipynb",
        f"open({str(data_dir / 'themes.yml')!r}, 'a').write('# edited\\n')",
    )
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "01-old.png").write_bytes(b"old")
    before = tree_digest(out)
    with pytest.raises(RhetoricInputError, match="changed while the study ran"):
        run_study(data_dir=data_dir, out_dir=out, notebooks=[edit], progress=False)
    assert tree_digest(out) == before


# -- the output swap ------------------------------------------------------------------------


def _outputs(folder: Path, version: str) -> None:
    for name in ("notebooks/01_a.ipynb", "notebooks/02_b.ipynb", "figures/01-x.png",
                 "figures/01-x.csv", "figures/manifest.json"):  # fmt: skip
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{version} {name}", encoding="utf-8")


def _swap_scene(tmp_path: Path) -> tuple[Path, dict, dict]:
    """An output folder with the old outputs (one figure the new run no longer makes, and a
    file of the user's); the digests of the old and of the new outputs."""
    out = tmp_path / "out"
    _outputs(out, "old")
    (out / "figures" / "01-gone.png").write_text("old, not made again", encoding="utf-8")
    (out / "notes.txt").write_text("the user's own file", encoding="utf-8")
    expected = tmp_path / "expected"
    _outputs(expected, "new")
    (expected / "notes.txt").write_text("the user's own file", encoding="utf-8")
    return out, tree_digest(out), tree_digest(expected)


def _stage_new(out: Path) -> tuple[Path, list[str], list[str]]:
    """A staging folder of this process with the new outputs; the names to place and remove."""
    stage = atomic.staging_folder(out)
    _outputs(stage / "new", "new")
    names = sorted(str(p.relative_to(stage / "new")) for p in (stage / "new").rglob("*")
                   if p.is_file())  # fmt: skip
    return stage, names, ["figures/01-gone.png"]


def _kill_at(step: int) -> None:
    """From now on in this (forked) process, SIGKILL at the ``step``-th os.replace, os.link
    or os.rename: every step of a swap."""
    count = [0]

    def counted(real):
        def call(*args, **kwargs):
            count[0] += 1
            if count[0] == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return call

    for name in ("replace", "link", "rename"):
        setattr(os, name, counted(getattr(os, name)))


def _swap_killed_at(out: Path, step: int) -> None:
    stage, names, remove = _stage_new(out)
    _kill_at(step)
    atomic.swap_in(stage, out, names, remove)
    os._exit(0)


@pytest.mark.parametrize("step", range(1, 15))
def test_a_kill_at_any_step_of_the_swap_leaves_old_or_new_outputs(step, tmp_path):
    """Killed at each step of the swap (the journal written; then for each of 5 files the old
    one kept as a link and the new one moved over it; then 1 old figure taken away): before
    the journal, nothing changed; after it, the next command completes the swap."""
    out, old, new = _swap_scene(tmp_path)
    child = FORK.Process(target=_swap_killed_at, args=(out, step))
    child.start()
    child.join(timeout=60)
    assert (child.exitcode == -signal.SIGKILL) == (step <= 12)
    [stage] = [p for p in out.iterdir() if p.name.startswith(".rhetoric-stage-")]
    assert atomic.remove_leftovers(out) == [stage]  # what the next command does first
    assert tree_digest(out) == (old if step == 1 else new)
    assert not stage.exists()


def _add_killed_at(data: Path, sources: list[Path], step: int) -> None:
    _kill_at(step)
    add_statements(sources, data_dir=data, date="2024-05-16", parties="RU,CN")
    os._exit(0)


@pytest.mark.parametrize("step", range(1, 7))
def test_a_kill_at_any_step_of_an_add_leaves_all_or_nothing(step, tmp_path, data_dir):
    """Two statements added, killed at each step of the swap (journal; two raw files placed;
    corpus.csv kept and replaced): the next command finds 3 statements or 5, every listed
    file whole and no raw file unlisted, and nothing left behind."""
    sources = [_statement(tmp_path, f"k{i}.txt", f"kill {i}") for i in range(2)]
    child = FORK.Process(target=_add_killed_at, args=(data_dir, sources, step))
    child.start()
    child.join(timeout=60)
    assert (child.exitcode == -signal.SIGKILL) == (step <= 5)
    problems, _summary = validate_data(data_dir)  # the next command
    assert problems == []  # no half-added statement, no raw file without its row
    assert len(load_corpus(data_dir)) == (3 if step == 1 else 5)
    assert [p.name for p in data_dir.rglob(".rhetoric-*")] == [LOCK]


def test_an_error_during_the_swap_puts_every_old_file_back(tmp_path, monkeypatch):
    out, old, _new = _swap_scene(tmp_path)
    stage, names, remove = _stage_new(out)
    real, count = os.replace, [0]

    def replace(source, target):
        count[0] += 1
        if count[0] == 4:  # the journal, then two new files placed, and then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(RhetoricEnvironmentError, match="No space left on device; nothing was"):
        atomic.swap_in(stage, out, names, remove)
    monkeypatch.undo()
    assert not (stage / atomic.JOURNAL).exists()  # undone: nothing for a next command to do
    shutil.rmtree(stage)  # as run_study does with a staging folder without a journal
    assert tree_digest(out) == old


def test_a_folder_where_a_figure_goes_is_refused_before_anything_moves(tmp_path, toy_data):
    notebook = write_notebook(tmp_path / "01_a.ipynb", "print('hello')")
    out = tmp_path / "out"
    (out / "notebooks" / "01_a.ipynb").mkdir(parents=True)  # a folder in the way
    (out / "figures").mkdir()
    (out / "figures" / "01-old.png").write_bytes(b"old")
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    with pytest.raises(RhetoricEnvironmentError, match=r"01_a\.ipynb: is a folder where a file"):
        run_study(data_dir=toy_data, out_dir=out, notebooks=[notebook], progress=False)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if LOCK not in p.name) == [
        p for p in before if LOCK not in p
    ]


LOCK = atomic.LOCK_NAME


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> tuple[Path, Path]:
    """A toy data folder and the outputs of one whole `rhetoric run --out` on it."""
    folder = tmp_path_factory.mktemp("finished")
    data = make_data_dir(folder / "toy", TOY_STATEMENTS)
    first = subprocess.run([RHETORIC, "run", "--data", str(data), "--out", str(folder / "out")],
                           capture_output=True, check=False)  # fmt: skip
    assert first.returncode == 0, first.stderr
    return data, folder / "out"


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.5, 3.0, 6.0, 9.0])
def test_a_killed_run_leaves_old_or_new_outputs_for_the_next_one(delay, tmp_path, finished_run):
    """SIGKILL at some moment of `rhetoric run --out` (the toy run takes about 10 s); the next
    command that touches the folder finds every previous output or every new one, and no
    staging folder."""
    data, out = tmp_path / "toy", tmp_path / "out"
    shutil.copytree(finished_run[0], data)
    shutil.copytree(finished_run[1], out)
    old = tree_digest(out)
    with (data / "themes.yml").open("a", encoding="utf-8") as themes:
        themes.write("\n# changed\n")  # new outputs differ: the fingerprint in the manifest
    process = subprocess.Popen([RHETORIC, "run", "--data", str(data), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(delay)
    process.kill()
    process.wait()
    atomic.remove_leftovers(out)
    after = tree_digest(out)
    if after != old:  # then every output is new: each figure made from the changed corpus
        manifest = json.loads((out / "figures" / "manifest.json").read_text(encoding="utf-8"))
        entries = manifest["figures"].values()
        assert len({e["corpus_fingerprint"] for e in entries}) == 1
        assert all(after[k] != old[k] for k in after if k.endswith((".ipynb", "manifest.json")))
        assert sorted(after) == sorted(old)
    assert not [p for p in out.iterdir() if p.name.startswith(".rhetoric-stage-")]


# -- leftovers ------------------------------------------------------------------------------


def test_leftovers_of_dead_processes_go_and_those_of_live_ones_stay(tmp_path, data_dir):
    dead, alive = _dead_pid(), os.getpid()
    raw = data_dir / "raw"
    (raw / f".rhetoric-{dead}-abc.tmp").write_bytes(b"half a statement")
    (data_dir / f".rhetoric-{dead}-def.tmp").write_bytes(b"half a corpus.csv")
    (raw / f".rhetoric-{alive}-ghi.tmp").write_bytes(b"being written")
    (raw / ".rhetoric-old-style.tmp").write_bytes(b"no process id: left alone")
    add_statements([_statement(tmp_path, "s.txt", "leftovers")], data_dir=data_dir,
                   date="2024-05-16", parties="RU,CN")  # fmt: skip
    left = sorted(p.name for p in data_dir.rglob(".rhetoric-*") if p.name != LOCK)
    assert left == [f".rhetoric-{alive}-ghi.tmp", ".rhetoric-old-style.tmp"]
    # a staging folder of a dead run without a journal: removed; one with a journal: completed
    out = tmp_path / "out"
    _outputs(out, "old")
    undecided = out / f".rhetoric-stage-{dead}-x"
    _outputs(undecided / "new", "half")
    decided = out / f".rhetoric-stage-{dead}-y"
    _outputs(decided / "new", "new")
    names = sorted(str(p.relative_to(decided / "new")) for p in (decided / "new").rglob("*")
                   if p.is_file())  # fmt: skip
    (decided / atomic.JOURNAL).write_text(json.dumps({"new": names, "remove": []}),
                                          encoding="utf-8")  # fmt: skip
    assert sorted(atomic.remove_leftovers(out)) == [undecided, decided]
    assert (out / "figures" / "01-x.png").read_text(encoding="utf-8") == "new figures/01-x.png"
    assert not undecided.exists() and not decided.exists()


@pytest.mark.parametrize(
    "journal",
    [
        '{"new": ["corpus.csv"',  # cut
        json.dumps({"new": ["../outside.txt"], "remove": []}),  # out of the folder
        json.dumps({"new": [], "remove": ["/etc/hosts"]}),
        json.dumps({"new": [3], "remove": []}),
        json.dumps(["corpus.csv"]),
        "\udcff",
    ],
)
def test_a_damaged_journal_is_one_line_and_changes_nothing(journal, tmp_path, data_dir, capsys):
    """A journal is written whole and renamed into place, so only damage or a hand makes a bad
    one: how far its swap got is unknown, so nothing moves and the user is told what to do."""
    (tmp_path / "outside.txt").write_text("mine", encoding="utf-8")
    stage = data_dir / f".rhetoric-stage-{_dead_pid()}-z"
    (stage / "new").mkdir(parents=True)
    (stage / "new" / "corpus.csv").write_text("id\n", encoding="utf-8")
    (stage / "new" / "outside.txt").write_text("planted", encoding="utf-8")
    (stage / "old").mkdir()
    (stage / atomic.JOURNAL).write_text(journal, encoding="utf-8", errors="surrogateescape")
    before = tree_digest(tmp_path)
    assert main(["validate", "--data", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "journal.json: not the record of a swap that rhetoric writes" in err
    assert f"put back what you need, then delete {stage.name}" in err
    assert tree_digest(tmp_path) == before
    with pytest.raises(RhetoricInputError):
        atomic.remove_leftovers(data_dir)
    assert tree_digest(tmp_path) == before


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="Linux /proc only")
def test_a_written_file_takes_the_umask_without_the_umask_being_changed(tmp_path, monkeypatch):
    """Reading the umask by setting it gave, for that moment, files made by other threads
    mode 0666: on Linux it is now read from /proc and never set."""
    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda mask: pytest.fail("umask changed"))
        path = atomic.write_temp(tmp_path, b"x")
        assert path.stat().st_mode & 0o777 == 0o640
    finally:
        monkeypatch.undo()
        os.umask(old)


# -- writing errors of the machine ----------------------------------------------------------


def _small_files():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


@pytest.mark.slow
def test_a_full_disk_is_one_line_exit_1_and_changes_nothing(tmp_path, data_dir):
    """A file size limit makes every write past 20 kB fail, as a full disk does."""
    source = tmp_path / "long.txt"
    source.write_text("The parties reaffirmed their mutual trust. " * 1000, encoding="utf-8")
    before = tree_digest(data_dir)
    result = subprocess.run([RHETORIC, "add", str(source), "--data", str(data_dir),
                             "--date", "2024-05-16", "--parties", "RU,CN"],
                            capture_output=True, text=True, preexec_fn=_small_files, check=False)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert (
        "cannot add the statements: File too large; nothing was changed (free some"
        in result.stderr
    )
    assert tree_digest(data_dir) == before
    assert not [p for p in data_dir.rglob(".rhetoric-*.tmp")]
    # an executed notebook too large to write: one line, no output changed
    notebook = write_notebook(tmp_path / "01_big.ipynb", "print('x' * 50_000)")
    script = (
        "import sys; from pathlib import Path; from rhetoric.cli.app import main; "
        "import rhetoric.study.run as n; n.study_notebooks = lambda d=None: [Path(sys.argv[1])]; "
        "sys.exit(main(['run', '--data', sys.argv[2], '--out', sys.argv[3]]))"
    )
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", script, str(notebook), str(data_dir), str(out)],
                            capture_output=True, text=True, preexec_fn=_small_files, check=False)  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{out}: cannot write the new outputs: File too large; nothing")
    assert sorted(p.name for p in out.iterdir()) == [atomic.LOCK_NAME]


# -- text hygiene ---------------------------------------------------------------------------


def test_format_characters_do_not_stop_a_word_matching(tmp_path, data_dir):
    text = "The parties spoke of mutual tr\u200dust and trust\u00adworthy part\u200bnership.\n"
    (tmp_path / "zwj.txt").write_text(text, encoding="utf-8")
    [new] = add_statements([tmp_path / "zwj.txt"], data_dir=data_dir, date="2024-05-16",
                           parties="RU,CN")  # fmt: skip
    assert (data_dir / "raw" / f"{new}.txt").read_text(encoding="utf-8") == text  # raw kept
    processed = process_corpus(data_dir, use_cache=False)
    assert processed.cleaned[new].startswith("The parties spoke of mutual trust and trustworthy")
    hits = processed.hits[processed.hits["document"] == new]
    assert sorted(hits["theme"]) == ["partnership", "trust", "trust"]


def test_control_characters_are_escaped_on_a_terminal_only(tmp_path, data_dir):
    import pty

    corpus = data_dir / "corpus.csv"
    corpus.write_text(
        corpus.read_text(encoding="utf-8").replace(
            "Putin and Trump Hail", "\x1b[2J\x1b[31mPutin\x1b[0m and Trump Hail", 1
        ),
        encoding="utf-8",
    )
    assert "\x1b[31m" in corpus.read_text(encoding="utf-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen([RHETORIC, "corpus", "--data", str(data_dir)],
                               stdout=follower, stderr=follower)  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 0
    os.close(leader)
    assert b"\x1b" not in shown and b"\\x1b[31mPutin" in shown
    piped = subprocess.run([RHETORIC, "corpus", "--data", str(data_dir), "--format", "csv"],
                           capture_output=True, check=True)  # fmt: skip
    assert b"\x1b[31mPutin" in piped.stdout  # a file or a pipe gets the exact text


def test_the_cli_shows_one_line_for_an_unnamed_writing_error(monkeypatch, capsys, data_dir):
    """An OSError no code put a path to (a write deep in a library) is one line, status 1."""

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("rhetoric.data.folder.validate_data", full)
    assert main(["validate", "--data", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(".: cannot write: No space left on device; nothing was changed (free")


def test_a_swap_never_writes_or_removes_through_a_link_to_a_folder(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "01-gone.png").write_text("the user's", encoding="utf-8")
    out.mkdir()
    (out / "figures").symlink_to(elsewhere)
    stage = atomic.staging_folder(out)
    (stage / "new" / "figures").mkdir(parents=True)
    (stage / "new" / "figures" / "01-x.png").write_text("new", encoding="utf-8")
    for new, remove in ((["figures/01-x.png"], []), ([], ["figures/01-gone.png"])):
        with pytest.raises(RhetoricInputError, match="figures: is a symbolic link"):
            atomic.swap_in(stage, out, new, remove)
    with pytest.raises(RhetoricInputError, match="not a path inside"):
        atomic.swap_in(stage, out, [], ["../elsewhere/01-gone.png"])
    assert [p.name for p in elsewhere.iterdir()] == ["01-gone.png"]
    assert not (stage / atomic.JOURNAL).exists()


@pytest.mark.parametrize("pid", ["ours", "1"])
def test_a_killed_swap_is_completed_though_its_pid_runs_again(pid, tmp_path):
    """A writer killed after deciding its swap, whose pid now belongs to a live process
    (pid 1 in a container is always alive; here also this very process): its staging folder's
    owner lock is free, so the next command completes the swap instead of waiting for ever."""
    out, _old, new = _swap_scene(tmp_path)
    child = FORK.Process(target=_swap_killed_at, args=(out, 3))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    [stage] = [p for p in out.iterdir() if p.name.startswith(".rhetoric-stage-")]
    reused = stage.with_name(f".rhetoric-stage-{os.getpid() if pid == 'ours' else 1}-reused")
    stage.rename(reused)
    assert atomic.remove_leftovers(out) == [reused]
    assert tree_digest(out) == new
    # a staging folder whose writer runs is left alone, whatever its name says
    live = atomic.staging_folder(out)
    assert atomic.leftovers(out) == []
    atomic.remove_leftovers(out)
    assert live.is_dir()


def _init_killed(target: Path, moment: str) -> None:
    from rhetoric.data import studyfolder

    if moment == "writing":  # killed while the notebooks are written
        studyfolder._clear = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
    else:
        _kill_at(1)  # killed at the rename that puts the study in place
    studyfolder.init_study(target)
    os._exit(0)


@pytest.mark.parametrize("moment", ["writing", "renaming"])
def test_a_killed_init_leaves_nothing_half_made_and_can_be_run_again(moment, tmp_path):
    from rhetoric.data.studyfolder import init_study

    target = tmp_path / "parent" / "study"
    child = FORK.Process(target=_init_killed, args=(target, moment))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    assert not target.exists()  # no half-made study folder to refuse the next init
    init_study(target)
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "data", "figures",
                                                        "notebooks"]  # fmt: skip
    assert [p.name for p in target.parent.iterdir()] == ["study"]  # the leftovers are gone


def test_any_command_completes_a_run_killed_in_its_swap(tmp_path, data_dir, monkeypatch, capsys):
    """A run into the study folder killed after deciding its swap: the next command of any
    kind (here `rhetoric corpus`) completes it first, so no reader finds outputs mixed."""
    out, _old, new = _swap_scene(tmp_path)
    child = FORK.Process(target=_swap_killed_at, args=(out, 4))  # two of five files placed
    child.start()
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    assert tree_digest(out) != new
    monkeypatch.setenv("RHETORIC_STUDY", str(out))
    assert main(["corpus", "--data", str(data_dir), "--format", "csv"]) == 0
    capsys.readouterr()
    assert tree_digest(out) == new
    assert not [p for p in out.iterdir() if p.name.startswith(".rhetoric-stage-")]
