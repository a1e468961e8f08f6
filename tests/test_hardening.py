"""Hostile and broken input, interruptions, the offline guard, JupyterLab, HTML escaping, round trips.

Every bad input gets exit status 2 and one line on stderr naming the file (or
option) and the problem, never a traceback, and leaves the data directory
byte-identical; inputs a user would expect to work (a UTF-8 BOM, CRLF line
ends, an extra corpus.csv column) are accepted.
"""

from __future__ import annotations

import os
from pathlib import Path
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.request

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

from conftest import ROOT, make_data_dir, tree_digest
from rhetoric.cli import main
from rhetoric.data.folder import add_statements, load_corpus, validate_data
from rhetoric.store.atomic import LOCK_NAME

RHETORIC = str(Path(sys.executable).with_name("rhetoric"))


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- add: each case writes a statement file and returns the extra argv -----------------------

GOOD_FLAGS = ["--date", "2024-05-16", "--parties", "RU,CN"]


def add_case(content: bytes | str | None, *flags: str, name: str = "s.txt"):
    def setup(tmp: Path, data: Path) -> list[str]:
        path = tmp / name
        if content == "DIR":
            path.mkdir()
        elif content is not None:
            _write(path, content)
        return ["add", str(path), "--data", str(data), *(flags or GOOD_FLAGS)]

    return setup


def _big(tmp: Path, data: Path) -> list[str]:
    path = tmp / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"The parties reaffirmed their trust. " * (50_000_000 // 36 + 1))
    return ["add", str(path), "--data", str(data), *GOOD_FLAGS]


def data_case(edit, *argv: str):
    def setup(tmp: Path, data: Path) -> list[str]:
        edit(data)
        return [*argv, "--data", str(data)]

    return setup


def _themes(text: str):
    return lambda data: _write(data / "themes.yml", text)


def _symlinked_raw(data: Path) -> None:
    target = data / "raw" / "2010-04-25-us-ru-elbe.txt"
    target.unlink()
    target.symlink_to("/etc/hostname")


def _linked_folder(data: Path) -> None:
    """A folder inside raw/ that is a link to a folder outside the data folder."""
    outside = data.parent / "outside"
    outside.mkdir()
    name = "2010-04-25-us-ru-elbe.txt"
    (data / "raw" / name).rename(outside / name)
    (data / "raw" / "elsewhere").symlink_to(outside)
    _replace(data / "corpus.csv", f"raw/{name}", f"raw/elsewhere/{name}")


def _fifo_themes(data: Path) -> None:
    (data / "themes.yml").unlink()
    os.mkfifo(data / "themes.yml")


def _fifo_statement(tmp: Path, data: Path) -> list[str]:
    os.mkfifo(tmp / "pipe.txt")
    return ["add", str(tmp / "pipe.txt"), "--data", str(data), *GOOD_FLAGS]


def _linked_raw(tmp: Path, data: Path) -> list[str]:
    (data / "raw").rename(tmp / "outside-raw")
    (data / "raw").symlink_to(tmp / "outside-raw")
    return add_case("A new statement on trust.")(tmp, data)


def _device_themes(tmp: Path, data: Path) -> list[str]:
    return ["run", "-p", "themes_file=/dev/zero", "--out", str(tmp / "out"), "--data", str(data)]


REFUSED = [
    # only regular files, only inside the data folder, no NUL bytes (issue 20)
    ("add-fifo", _fifo_statement, "pipe.txt: is a FIFO, not a regular file"),
    (
        "add-nul-late",
        add_case(b"Mutual trust. " * 1000 + b"\x00 more"),
        "a NUL byte at byte 14,000",
    ),
    ("add-linked-raw", _linked_raw, "rhetoric add writes only inside the data folder"),
    ("csv-linked-folder", data_case(_linked_folder, "validate"), "leads out of"),
    ("themes-fifo", data_case(_fifo_themes, "validate"), "themes.yml: is a FIFO"),
    ("run-themes-device", _device_themes, "zero: is a device or socket, not a regular file"),
    # rhetoric add
    ("add-empty", add_case(b""), "the file is empty"),
    ("add-whitespace", add_case(b" \n\t \n"), "the file is empty"),
    ("add-binary", add_case(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "a binary file"),
    ("add-latin1", add_case("Caf\xe9 diplomacy and trust.".encode("latin-1")), "not UTF-8 text"),
    ("add-utf16", add_case("Mutual trust.".encode("utf-16")), "UTF-16 text"),
    (
        "add-html",
        add_case("<!DOCTYPE html><html><body><p>Trust</p></body></html>"),
        "looks like HTML",
    ),
    (
        "add-html-fragment",
        add_case("<div><p>The parties</p><p>agreed</p></div>"),
        "looks like HTML",
    ),
    ("add-50mb", _big, "larger than a statement can be"),
    ("add-unclosed-front-matter", add_case("---\ndate: 2024-01-01\nText."), "never closed"),
    (
        "add-yaml-tag",
        add_case("---\ntitle: !!python/object/apply:os.system [ls]\n---\nText."),
        "unsafe or unknown YAML tag",
    ),
    ("add-front-matter-list", add_case("---\n- a\n- b\n---\nText."), "front matter must be"),
    ("add-front-matter-syntax", add_case("---\ntitle: [unclosed\n---\nText."), "(front matter)"),
    (
        "add-impossible-date",
        add_case("Text.", "--date", "2025-02-30", "--parties", "RU,CN"),
        "does not exist",
    ),
    (
        "add-word-date",
        add_case("Text.", "--date", "yesterday", "--parties", "RU,CN"),
        "is not YYYY-MM-DD",
    ),
    (
        "add-unknown-party",
        add_case("Text.", "--date", "2024-01-01", "--parties", "RU,ZZ"),
        "'ZZ' is not in parties.yml",
    ),
    ("add-no-parties", add_case("Text.", "--date", "2024-01-01"), "no parties"),
    (
        "add-id-dotdot",
        add_case("Text.", *GOOD_FLAGS, "--id", "../escape"),
        "must be lowercase letters",
    ),
    ("add-id-slash", add_case("Text.", *GOOD_FLAGS, "--id", "a/b"), "must be lowercase letters"),
    ("add-duplicate-text", None, "same text as statement"),
    (
        "add-duplicate-id",
        add_case("New text.", *GOOD_FLAGS, "--id", "2010-04-25-us-ru-elbe"),
        "already in the corpus",
    ),
    ("add-directory", add_case("DIR"), "not a regular file"),
    ("add-missing-file", add_case(None), "file not found"),
    (
        "add-bad-kind",
        add_case("Text.", *GOOD_FLAGS, "--kind", "tweet"),
        "kind 'tweet' is not one of",
    ),
    # corpus.csv
    (
        "csv-missing-column",
        data_case(lambda d: _replace(d / "corpus.csv", ",language,", ",lang,"), "validate"),
        "missing column language",
    ),
    (
        "csv-missing-file",
        data_case(lambda d: (d / "raw" / "2020-04-25-us-ru-elbe.txt").unlink(), "validate"),
        "missing (listed on",
    ),
    (
        "csv-edited-raw",
        data_case(lambda d: _write(d / "raw" / "2010-04-25-us-ru-elbe.txt", b"edited"), "corpus"),
        "sha256 differs",
    ),
    (
        "csv-not-utf8",
        data_case(lambda d: _write(d / "corpus.csv", b"id,file\n\xff\xfe\n"), "validate"),
        "not UTF-8",
    ),
    (
        "csv-field-count",
        data_case(
            lambda d: _write(d / "corpus.csv", (d / "corpus.csv").read_text() + "x,y\n"), "themes"
        ),
        "fields, the header has",
    ),
    ("csv-empty", data_case(lambda d: _write(d / "corpus.csv", b""), "validate"), "file is empty"),
    (
        "csv-absolute-path",
        data_case(
            lambda d: _replace(d / "corpus.csv", "raw/2010-04-25-us-ru-elbe.txt", "/etc/passwd"),
            "validate",
        ),
        "must be a path inside raw/",
    ),
    ("csv-symlinked-raw", data_case(_symlinked_raw, "validate"), "must be a path inside raw/"),
    (
        "csv-bad-date",
        data_case(lambda d: _replace(d / "corpus.csv", ",2025-05-08,", ",2025-02-30,"), "corpus"),
        "does not exist",
    ),
    # themes.yml
    (
        "themes-empty-theme",
        data_case(_themes("trust:\n  label: T\n  description: d\n  terms: []\n"), "validate"),
        "has no terms (line 1)",
    ),
    (
        "themes-duplicate-id",
        data_case(
            _themes(
                "a:\n  label: A\n  description: d\n  terms: [x]\na:\n  label: B\n  description: d\n  terms: [y]\n"
            ),
            "themes",
        ),
        "duplicate key 'a' (line 5)",
    ),
    (
        "themes-punctuation-term",
        data_case(_themes("a:\n  label: A\n  description: d\n  terms: ['...']\n"), "validate"),
        "has no letters or digits",
    ),
    (
        "themes-regex-term",
        data_case(
            _themes("a:\n  label: A\n  description: d\n  terms: ['trust|faith']\n"), "validate"
        ),
        "looks like a regular expression",
    ),
    (
        "themes-yaml-tag",
        data_case(_themes("a: !!python/name:os.system\n"), "themes"),
        "unsafe or unknown YAML tag",
    ),
    ("themes-empty-file", data_case(_themes(""), "terms"), "file is empty"),
    # boilerplate.yml and parties.yml
    (
        "boilerplate-bad-regex",
        data_case(
            lambda d: _write(d / "boilerplate.yml", "rules:\n  - id: x\n    pattern: '(oops'\n"),
            "validate",
        ),
        "not a valid regular expression",
    ),
    (
        "boilerplate-unknown-key",
        data_case(
            lambda d: _write(d / "boilerplate.yml", "rules:\n  - id: x\n    patern: a\n"),
            "clean",
            "2010-04-25-us-ru-elbe",
        ),
        "unknown key 'patern'",
    ),
    (
        "parties-not-mapping",
        data_case(lambda d: _write(d / "parties.yml", "- US\n- RU\n"), "validate"),
        "expected a mapping with a 'parties' section",
    ),
    # command-line options
    (
        "option-unknown-dyad",
        data_case(lambda d: None, "keyness", "--target", "CN-US"),
        "not a dyad in this corpus",
    ),
    (
        "option-unknown-by",
        data_case(lambda d: None, "themes", "--by", "party"),
        "not a document variable",
    ),
    (
        "option-regex-pattern",
        data_case(lambda d: None, "kwic", "co.*"),
        "looks like a regular expression",
    ),
    (
        "option-unknown-theme",
        data_case(lambda d: None, "kwic", "--theme", "nope"),
        "not in themes.yml",
    ),
    ("option-unknown-id", data_case(lambda d: None, "clean", "nope"), "no document 'nope'"),
    ("option-top-zero", data_case(lambda d: None, "terms", "--top", "0"), "must be 1 or more"),
    (
        "option-window-text",
        data_case(lambda d: None, "kwic", "trust", "--window", "wide"),
        "is not a whole number",
    ),
    (
        "option-bad-format",
        data_case(lambda d: None, "corpus", "--format", "xlsx"),
        "invalid choice",
    ),
    (
        "option-missing-data-dir",
        lambda tmp, data: ["validate", "--data", str(tmp / "nowhere")],
        "no such data directory",
    ),
]


def _duplicate_text(tmp: Path, data: Path) -> list[str]:
    copy = tmp / "copy.txt"
    copy.write_bytes((data / "raw" / "2010-04-25-us-ru-elbe.txt").read_bytes())
    return ["add", str(copy), "--data", str(data), "--date", "2010-04-25", "--parties", "US,RU"]


REFUSED = [
    (name, _duplicate_text if name == "add-duplicate-text" else setup, text)
    for name, setup, text in REFUSED
]


def test_at_least_thirty_refusals():
    assert len(REFUSED) >= 30


@pytest.mark.parametrize(("name", "setup", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    name, setup, message, tmp_path, data_dir, capsys
):
    argv = setup(tmp_path, data_dir)
    before = tree_digest(data_dir)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    if argv[0] == "validate":  # validate lists every problem, one line each, then the count
        assert lines[-1].endswith(("1 problem", "problems")), err
        assert len(lines) >= 2 and all(": " in line for line in lines[:-1]), err
    else:
        assert len(lines) == 1, err
    assert message in err, err
    assert "Traceback" not in err
    assert tree_digest(data_dir) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bom", "\ufeffMutual trust guides the parties.\n".encode()),
        ("crlf", b"Mutual trust.\r\nPartnership grows.\r\n"),
    ],
)
def test_bom_and_crlf_simply_work(name, content, tmp_path, data_dir, capsys):
    statement = _write(tmp_path / f"{name}.txt", content)
    assert main(["add", str(statement), "--data", str(data_dir), *GOOD_FLAGS, "--id", name]) == 0
    assert (data_dir / "raw" / f"{name}.txt").read_bytes() == content  # kept byte for byte
    text = load_corpus(data_dir).set_index("id").loc[name, "text"]
    assert not text.startswith("\ufeff") and "\r" not in text and text.startswith("Mutual trust")
    assert validate_data(data_dir)[0] == []


def test_the_command_never_shows_a_traceback(tmp_path, data_dir):
    """Through the installed console script, for an input that reaches deep into the pipeline."""
    _write(data_dir / "boilerplate.yml", "rules:\n  - id: x\n    pattern: '[unclosed'\n")
    result = subprocess.run(
        [RHETORIC, "themes", "--data", str(data_dir)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


# -- interruptions ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2, 1.6])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_add_leaves_all_or_nothing(delay, signum, tmp_path, data_dir):
    sources = []
    for i in range(400):
        sources.append(
            _write(
                tmp_path / f"s{i:03d}.txt",
                f"Statement {i} on mutual trust and partnership.\n" * 20,
            )
        )
    process = subprocess.Popen([RHETORIC, "add", *map(str, sources), "--data", str(data_dir), *GOOD_FLAGS],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    time.sleep(delay)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert validate_data(data_dir)[0] == []  # every listed file is whole, nothing half-added
    count = len(load_corpus(data_dir))
    assert count in (3, 403)
    leftovers = [
        p.name
        for p in data_dir.rglob("*")
        if (p.name.startswith(".rhetoric-") or p.suffix == ".tmp") and p.name != LOCK_NAME
    ]
    assert leftovers == []
    assert "Traceback" not in stderr.decode()


_STOP_DURING_IMPORT = """
import builtins, os, signal, sys
import rhetoric._entry as entry
moment, signum = sys.argv[1], int(sys.argv[2])
if moment == "first":  # right after the console script's first import
    os.kill(os.getpid(), signum)
    import pandas  # anything heavy: never reached
real_import = builtins.__import__
def stop_first(name, *args, **kwargs):  # the moment main() imports the command line
    if name == "rhetoric.cli.app":
        os.kill(os.getpid(), signum)
    return real_import(name, *args, **kwargs)
builtins.__import__ = stop_first
sys.argv = ["rhetoric", "--version"]
sys.exit(entry.main())
"""


@pytest.mark.parametrize("moment", ["first", "main"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_while_the_package_imports_is_one_line(signum, moment):
    run = subprocess.run([sys.executable, "-c", _STOP_DURING_IMPORT, moment, str(int(signum))],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert (run.returncode, run.stdout) == (130, ""), run.stderr
    assert run.stderr == "rhetoric: interrupted before starting; nothing was changed\n"


def test_after_the_command_sigterm_ends_the_process_with_no_traceback():
    code = (
        "import os, signal, sys\nimport rhetoric._entry as entry\n"
        "sys.argv = ['rhetoric', '--version']\nstatus = entry.main()\n"
        "os.kill(os.getpid(), signal.SIGTERM)\nprint('not reached')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == -signal.SIGTERM and run.stdout.startswith("rhetoric 0.")
    assert "not reached" not in run.stdout and run.stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2])
def test_ctrl_c_at_any_moment_of_a_command_is_never_a_traceback(delay, data_dir):
    process = subprocess.Popen([RHETORIC, "themes", "--data", str(data_dir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    lines = stderr.decode().strip().splitlines()
    assert "Traceback" not in stderr.decode()
    # stopped (one line, 130), or done before the signal came (0, or ended by it on the
    # way out, after the command had finished)
    assert (process.returncode, len(lines)) in ((130, 1), (0, 0), (-signal.SIGINT, 0)), lines


@pytest.mark.slow
@pytest.mark.parametrize("delay", [2.0, 5.0])
def test_interrupted_run_leaves_previous_outputs(delay, tmp_path, toy_data):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    _write(out / "figures" / "01-cleaning.png", b"previous figure")
    (out / "notebooks").mkdir()
    _write(out / "notebooks" / "01_corpus.ipynb", b"previous notebook")
    before = tree_digest(out)
    process = subprocess.Popen([RHETORIC, "run", "--data", str(toy_data), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert tree_digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".rhetoric-stage-")]
    assert process.returncode == 130, stderr.decode()
    assert stderr.decode().strip().splitlines() == [
        "rhetoric: interrupted; the output folder holds all of the previous outputs or all of the new ones"
    ]


def _sleeping_notebook(path, seconds):
    from conftest import write_notebook

    return write_notebook(path, "x = 1", f"import time; time.sleep({seconds})")


@pytest.mark.slow
def test_a_notebook_keeps_our_signal_handlers_and_stops_on_sigterm(tmp_path):
    """nbclient runs on a worker thread, so SIGTERM reaches our handler, which stops the
    notebook (its kernel shut down) within seconds, and our handler is still there after."""
    import threading

    from rhetoric.study.run import execute_notebook

    def ours(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, ours)
    try:
        quick = _sleeping_notebook(tmp_path / "01_quick.ipynb", 0)
        execute_notebook(quick, tmp_path / "out" / "01_quick.ipynb")
        assert signal.getsignal(signal.SIGTERM) is ours
        slow = _sleeping_notebook(tmp_path / "02_slow.ipynb", 120)
        timer = threading.Timer(4.0, os.kill, (os.getpid(), signal.SIGTERM))
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            execute_notebook(slow, tmp_path / "out" / "02_slow.ipynb")
        assert time.monotonic() - started < 40
        assert not (tmp_path / "out" / "02_slow.ipynb").exists()
        assert signal.getsignal(signal.SIGTERM) is ours
    finally:
        signal.signal(signal.SIGTERM, previous)


# -- offline guard, JupyterLab ---------------------------------------------------------------


def test_offline_guard_blocks_outside_connections():
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n"
        "except OSError as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "offline guard" in result.stdout
    with pytest.raises(OSError, match="offline guard"):
        socket.create_connection(("93.184.216.34", 80), timeout=2)


@pytest.mark.slow
def test_make_lab_serves_the_project_on_localhost():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    runtime = tempfile.mkdtemp()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": runtime, "JUPYTER_CONFIG_DIR": runtime}
    lab = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_ARGS=--port={port} --IdentityProvider.token={token} --ServerApp.port_retries=0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/contents?token={token}"
        deadline, listing = time.monotonic() + 120, None
        while time.monotonic() < deadline and listing is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    import json

                    listing = json.load(response)
            except OSError:
                assert lab.poll() is None, lab.stderr.read().decode()[-2000:]
                time.sleep(0.5)
        assert listing is not None, "JupyterLab did not answer in time"
        # rooted at the project: the notebooks, and the data and figures they read and write
        names = {item["name"] for item in listing["content"]}
        assert {"notebooks", "data", "figures", "README.md"} <= names
        url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
        with urllib.request.urlopen(url, timeout=5) as response:
            names = {item["name"] for item in json.load(response)["content"]}
        assert {"01_corpus.ipynb", "05_summary.ipynb"} <= names
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=wrong", timeout=5)
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.communicate(timeout=30)


# -- HTML escaping -----------------------------------------------------------------------------


@pytest.mark.slow
def test_html_report_escapes_statement_text(tmp_path):
    from nbclient import NotebookClient
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from rhetoric.study.reports import write_html_reports

    data = make_data_dir(
        tmp_path / "d", [("We trust <script>alert('x')</script> partners.", "2024-01-01", "US,RU")]
    )
    nb = new_notebook(cells=[new_code_cell(
        "from rhetoric.pipeline import process_corpus\nfrom rhetoric.measures.concordance import kwic\n"
        f"p = process_corpus({str(data)!r})\nkwic(p, 'trust', window=8)"
    )])  # fmt: skip
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    NotebookClient(nb, kernel_name="python3").execute()
    path = tmp_path / "05_probe.ipynb"
    nbformat.write(nb, path)
    (report,) = write_html_reports([path], tmp_path / "reports")
    html = report.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in html
    assert "<script>alert" not in html


# -- add + validate round trips ------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from(["\n", "\t"]),
    min_size=1,
    max_size=300,
).filter(lambda t: any(c.isalpha() for c in t) and not t.lstrip().lower().startswith(("<", "---")))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_TEXT,
    title=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        min_size=1,
        max_size=40,
    ).filter(lambda t: t.strip()),
    date=st.dates(
        min_value=__import__("datetime").date(1900, 1, 1),
        max_value=__import__("datetime").date(2100, 12, 31),
    ),
    parties=st.lists(
        st.sampled_from(["US", "RU", "CN", "IN", "EU"]), min_size=1, max_size=3, unique=True
    ),
    kind=st.sampled_from(["joint_statement", "news_article", "speech"]),
)
def test_whatever_valid_statement_is_added_validates_and_loads_back(
    text, title, date, parties, kind
):
    with tempfile.TemporaryDirectory() as tmp:
        data = make_data_dir(Path(tmp) / "d", [])
        source = _write(Path(tmp) / "s.txt", text)
        (new_id,) = add_statements([source], data_dir=data, title=title, date=date.isoformat(),
                                   parties=",".join(parties), kind=kind, warn=lambda m: None)  # fmt: skip
        assert validate_data(data)[0] == []
        row = load_corpus(data).set_index("id").loc[new_id]
        expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        # format characters (zero-width joiners, soft hyphens) are not in the analysed text
        expected = "".join(c for c in expected if unicodedata.category(c) != "Cf")
        assert row["text"] == expected
        assert (row["title"], row["date"], row["parties"], row["kind"]) == (
            " ".join(title.split()), date.isoformat(), tuple(parties), kind,
        )  # fmt: skip
        assert (data / "raw" / f"{new_id}.txt").read_bytes() == text.encode("utf-8")


_INTERRUPT_IN_A_FINALIZER = """
import os, signal, time
from rhetoric.store.atomic import stop_on_signals
class Late:
    def __del__(self):  # as the regex module's objects are, collected anywhere
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(100_000))  # the handler runs here, inside __del__
try:
    with stop_on_signals():
        Late()
        time.sleep(5)
        print("not interrupted")
except KeyboardInterrupt:
    print("interrupted")
"""


def test_an_interrupt_during_a_finalizer_still_stops_the_command_without_a_traceback():
    run = subprocess.run([sys.executable, "-c", _INTERRUPT_IN_A_FINALIZER], capture_output=True,
                         text=True, timeout=60, check=False)  # fmt: skip
    assert (run.stdout, run.stderr) == ("interrupted\n", "")


_INTERRUPT_TURNED_INTO_AN_IMPORT_ERROR = """
import os, signal, sys, time
import rhetoric.cli.app
import rhetoric._entry as entry
def command():  # as numpy's C import does when the interrupt comes while it runs
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt:
        raise ImportError('PyCapsule_Import could not import module "datetime"') from None
rhetoric.cli.app.main = command
sys.exit(entry.main())
"""


def test_an_interrupt_that_c_code_turns_into_another_error_is_still_one_line():
    run = subprocess.run([sys.executable, "-c", _INTERRUPT_TURNED_INTO_AN_IMPORT_ERROR],
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert (run.returncode, run.stderr) == (130, "rhetoric: interrupted\n")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="Linux /proc only")
def test_a_link_swapped_in_after_the_check_is_still_refused(tmp_path, monkeypatch):
    """The data folder's files are checked to lie inside it before they are opened and
    again on the open descriptor: a statement replaced by a link out of the folder between
    the check and the open is not read."""
    from rhetoric.errors import RhetoricInputError
    from rhetoric.store import inputs

    folder = tmp_path / "data"
    folder.mkdir()
    statement = _write(folder / "s.txt", "inside")
    secret = _write(tmp_path / "secret.txt", "outside")
    assert inputs.read_input(statement, within=folder) == b"inside"
    real_open = os.open

    def swap_then_open(path, *args, **kwargs):
        if Path(path) == statement:
            statement.unlink()
            statement.symlink_to(secret)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(inputs.os, "open", swap_then_open)
    with pytest.raises(RhetoricInputError, match=r"s\.txt: leads out of .* \(to .*secret\.txt\)"):
        inputs.read_input(statement, within=folder)


def test_a_new_study_without_statements_answers_every_command_in_lines(tmp_path, capsys):
    """Right after `rhetoric init`: every reading command answers (an empty table, or one
    line saying why not), never a traceback (themes raised a TypeError storing its empty
    tables)."""
    assert main(["init", str(tmp_path / "s")]) == 0
    data = str(tmp_path / "s" / "data")
    commands = [
        (["validate"], 0), (["corpus"], 0), (["themes"], 0), (["themes", "--by", "document"], 0),
        (["terms"], 0), (["keyness", "--target", "RU-US"], 2), (["similarity"], 2),
        (["kwic", "--theme", "trust"], 0), (["dispersion"], 0), (["duplicates"], 0),
        (["reuse"], 0), (["compare", "--a", "RU-US", "--b", "CN-RU"], 2),
    ]  # fmt: skip
    capsys.readouterr()
    for command, code in commands:
        assert main([*command, "--data", data]) == code, command
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.count("\n") <= 1, (command, err)
    assert main(["validate", "--data", data]) == 0
    assert "ok: 0 statements (0 dyads), 9 themes" in capsys.readouterr().out
