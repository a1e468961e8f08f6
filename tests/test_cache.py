"""rhetoric.store.cache: sealed Arrow IPC entries; a damaged or foreign entry is never served."""

from __future__ import annotations

import hmac
import os
import shutil
import stat
import subprocess
import sys
import zlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from conftest import make_data_dir, parsed_imports
from rhetoric.cli import main
from rhetoric.store import arrow, cache, paths

KEY_A, KEY_B, KEY_C = "a" * 64, "b" * 64, "c" * 64


def _seal(data: bytes, secret: bytes | None = None) -> bytes:
    """``data`` sealed as the cache seals an entry: with this cache's secret, or another."""
    if secret is None:
        secret = bytes.fromhex((paths.cache_dir() / "key").read_text())
    return data + hmac.new(secret, data, digestmod="sha256").hexdigest().encode()


def _things() -> dict[str, pa.Table]:
    return {
        "numbers": pa.table({
            "ints": np.arange(7, dtype=np.int64),
            "small": np.asarray([1, -2, 3, 0, 0, 0, 9], dtype=np.int8),
            "flags": np.asarray([True, False, True, True, False, False, True]),
            "rates": np.linspace(0, 1, 7),
        }),
        "words": pa.table({"word": ["naïve", "“trust”", "", "U.S.", None]}),
        "empty": pa.table({"x": pa.array([], pa.int32())}),
    }  # fmt: skip


def test_tables_round_trip_exactly_and_open_with_pyarrow():
    tables = _things()
    cache.store("things", KEY_A, tables)
    back = cache.load("things", KEY_A)
    assert list(back) == list(tables)
    for name, table in tables.items():
        assert back[name].equals(table), name  # the same types and values
    path = paths.cache_dir() / "things" / f"{KEY_A}.arrow"
    data = path.read_bytes()
    assert data == _seal(data[:-64])
    secret = paths.cache_dir() / "key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600  # the owner's only
    with pa.ipc.open_file(pa.py_buffer(data[:-64])) as reader:  # an Arrow IPC file for anyone
        assert reader.read_all().column_names == ["numbers", "words", "empty"]
    assert not [p for p in path.parent.iterdir() if p.suffix != ".arrow"], "no temporary file left"
    assert sorted(p.name for p in paths.cache_dir().iterdir()) == ["key", "things"]


def test_only_plain_types_are_stored_or_served():
    with pytest.raises(TypeError, match="not a plain type"):
        cache.store("things", KEY_A, {"t": pa.table({"when": pa.array([1], pa.timestamp("s"))})})
    # a sealed entry that holds anything else is dropped, not served
    for odd in (
        pa.table({"bytes": pa.array([b"\x00"], pa.binary())}),  # not a table of rows
        pa.table({"n": [1, 2]}),
    ):
        body = pa.BufferOutputStream()
        with pa.ipc.new_file(body, odd.schema) as writer:
            writer.write_table(odd)
        data = body.getvalue().to_pybytes()
        path = paths.cache_dir() / "things" / f"{KEY_B}.arrow"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_seal(data))
        assert cache.load("things", KEY_B) is None
        assert not path.exists()


def test_pandas_tables_round_trip_as_the_pipeline_builds_them():
    frame = pd.DataFrame({
        "group": np.asarray(["a", "b", None], dtype=object),
        "count": np.asarray([1, 2, 3], dtype=np.int32),
        "rate": [0.5, np.nan, 1.0],
        "seen": [True, False, True],
        "kind": pd.Categorical.from_codes([1, 0, -1], categories=pd.Index(["x", "y"], dtype=object)),
    })  # fmt: skip
    back = arrow.frame(arrow.table(frame))
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    assert back["kind"].cat.categories.dtype == object  # as rhetoric.corpus.categorical makes them
    empty = pd.DataFrame({"document": [], "start": np.zeros(0, dtype=np.int64)})
    pd.testing.assert_frame_equal(arrow.frame(arrow.table(empty)), empty)


def test_keys_follow_inputs_and_code():
    one = cache.key("tokens", "some text", code="rhetoric.text.tokens")
    assert one == cache.key("tokens", "some text", code="rhetoric.text.tokens")
    assert one != cache.key("tokens", "other text", code="rhetoric.text.tokens")
    assert one != cache.key("tokens", "some text", code="rhetoric.text.themes")
    assert one != cache.key("stems", "some text", code="rhetoric.text.tokens")
    assert cache.key("k", "ab", "c", code="rhetoric.errors") != cache.key(
        "k", "a", "bc", code="rhetoric.errors"
    )


def _closure(module: str) -> list[str]:
    return [p.relative_to(paths.PACKAGE_DIR).as_posix() for p in cache.code_closure(module)]


def test_the_code_of_a_key_is_read_from_the_imports():
    # reprints.py is imported only inside a function of clean.py
    assert "text/reprints.py" in _closure("rhetoric.text.clean")
    corpus = _closure("rhetoric.pipeline")
    assert {"pipeline.py", "text/clean.py", "text/reprints.py", "text/tokens.py",
            "text/themes.py", "data/folder.py", "corpus.py", "store/cache.py"} <= set(corpus)  # fmt: skip
    assert "text/__init__.py" in corpus and "__init__.py" in corpus  # packages run on import
    # tokens depend on the tokenizer, not on reprints, themes or any measure
    tokens = _closure("rhetoric.text.tokens")
    assert "text/tokens.py" in tokens
    assert not any(p.startswith(("measures/", "study/", "cli/")) for p in corpus + tokens)
    assert not {"text/reprints.py", "text/themes.py", "pipeline.py"} & set(tokens)
    # the theme-rates memo of the command line: the measure and what it imports
    assert {"measures/rates.py", "measures/inference.py", "corpus.py"} <= set(
        _closure("rhetoric.measures.rates")
    )


def test_the_reading_of_imports_misses_none_the_parser_finds():
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        missed = parsed_imports(source) - cache._imported_modules(source)
        assert not missed, (path.name, missed)
    tricky = (
        "from rhetoric.corpus import (\n    Corpus,\n    codes as c,  # a comment\n)\n"
        "def f():\n    import rhetoric.text.tokens as t, json\n"
        "    from rhetoric import errors\n"
    )
    assert cache._imported_modules(tricky) == parsed_imports(tricky) == {
        "rhetoric", "rhetoric.corpus", "rhetoric.corpus.Corpus", "rhetoric.corpus.codes",
        "rhetoric.text.tokens", "rhetoric.errors",
    }  # fmt: skip


def test_a_name_a_package_loads_on_first_use_counts_as_its_module(tmp_path, monkeypatch):
    # `from rhetoric.measures import keyness` runs rhetoric/measures/rates.py
    package = tmp_path / "rhetoric"
    (package / "measures").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "measures" / "__init__.py").write_text(
        '_EXPORTS = {"keyness": "rhetoric.measures.rates"}\n', encoding="utf-8"
    )
    (package / "measures" / "rates.py").write_text("KEY = 1\n", encoding="utf-8")
    (package / "user.py").write_text("from rhetoric.measures import keyness\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    cache.code_closure.cache_clear()
    cache._lazy_names.cache_clear()
    try:
        found = [p.relative_to(package).as_posix() for p in cache.code_closure("rhetoric.user")]
        assert found == ["__init__.py", "measures/__init__.py", "measures/rates.py", "user.py"]
        with pytest.raises(ValueError, match="not a module of the rhetoric package"):
            cache.key("x", "input", code="rhetoric.usr")  # a typo never keys on no code
    finally:
        cache.code_closure.cache_clear()
        cache._lazy_names.cache_clear()
        cache._code_fingerprint.cache_clear()


_PROCESS = (
    "import sys; from rhetoric.pipeline import process_corpus; "
    "p = process_corpus(sys.argv[1], reprints='keep'); "
    "print(p.key, len(p.reprints), p.tokenized)"
)


@pytest.mark.slow
def test_editing_a_module_the_tables_import_recomputes_them(tmp_path):
    # a copy of the package, so that its reprints.py can be edited
    package = tmp_path / "copy" / "rhetoric"
    shutil.copytree(paths.PACKAGE_DIR, package, symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shared = "the two delegations agreed on a broad agenda of talks about trade and security"
    one = (f"{shared} while the ministers of both countries praised cooperation on energy, "
           "space research, culture and the shared memory of the war years.")  # fmt: skip
    two = (f"{shared} but observers in the capital doubted that sanctions, tariffs and the "
           "arms race would ease before the next summit in the autumn.")  # fmt: skip
    statements = [(one, "2020-01-01", "US,RU"), (two, "2020-01-02", "US,RU")]
    data = make_data_dir(tmp_path / "data", statements)
    env = {**os.environ, "PYTHONPATH": str(package.parent), "RHETORIC_CACHE": str(tmp_path / "c")}

    def process() -> list[str]:
        run = subprocess.run([sys.executable, "-c", _PROCESS, str(data)], env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        return run.stdout.split()

    key, pairs, tokenized = process()
    assert (pairs, tokenized) == ("0", "2")  # Jaccard of the two texts is under 0.5
    assert process() == [key, "0", "0"]  # served from the cache
    reprints = package / "text" / "reprints.py"
    source = reprints.read_text(encoding="utf-8")
    assert "DEFAULT_THRESHOLD = 0.5\n" in source
    reprints.write_text(source.replace("DEFAULT_THRESHOLD = 0.5\n", "DEFAULT_THRESHOLD = 0.05\n"),
                        encoding="utf-8")  # fmt: skip
    new_key, pairs, tokenized = process()
    # the tables are computed again (a new key, one pair at the new threshold); the tokens,
    # whose code does not import reprints.py, still come from the cache
    assert (new_key != key, pairs, tokenized) == (True, "1", "0")


def test_keep_deletes_the_oldest_entries():
    folder = paths.cache_dir() / "big"
    for i, key in enumerate((KEY_A, KEY_B, KEY_C)):
        cache.store("big", key, {"x": pa.table({"x": np.arange(i + 1)})}, keep=2)
        os.utime(folder / f"{key}.arrow", ns=(i * 10**9, i * 10**9))
    cache.store("big", KEY_C, {"x": pa.table({"x": np.arange(3)})}, keep=2)
    assert sorted(p.stem for p in folder.glob("*.arrow")) == [KEY_B, KEY_C]


def test_memo_computes_once():
    calls = []

    def compute():
        calls.append(1)
        return {"x": pa.table({"x": np.arange(3)})}

    for _ in range(3):
        assert cache.memo("m", KEY_A, compute)["x"].column("x").to_pylist() == [0, 1, 2]
    assert len(calls) == 1


def test_write_failure_only_costs_time(monkeypatch):
    import rhetoric.store.atomic

    def refuse(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr(rhetoric.store.atomic.tempfile, "mkstemp", refuse)
    cache.store("things", KEY_A, _things())
    assert cache.load("things", KEY_A) is None


# -- a damaged cache is never served -------------------------------------------------------

COMMANDS = [
    ["corpus", "--format", "csv"],
    ["themes", "--by", "document", "--format", "csv", "--draws", "200"],
    ["themes", "--by", "dyad", "--voice", "--format", "csv", "--draws", "200"],
    ["similarity", "--between", "contexts", "--format", "csv"],
    ["keyness", "--target", "RU-US", "--format", "csv"],
    ["kwic", "--theme", "trust", "--format", "csv"],
]


def _outputs(data, capsys) -> list[tuple[int, str]]:
    results = []
    for command in COMMANDS:
        code = main([*command, "--data", str(data)])
        captured = capsys.readouterr()
        results.append((code, captured.out))
    return results


def _damaged(data: bytes, offset: int, how: str) -> bytes:
    if how == "truncate":
        return data[:offset]
    flipped = bytearray(data)
    flipped[offset] ^= 0x5A
    return bytes(flipped)


@pytest.mark.slow
def test_damaged_entries_are_dropped_and_recomputed(toy_data, capsys, monkeypatch):
    """Flip or cut bytes at many offsets of every cache file: every command's output
    equals a fresh-cache run, nothing raises, and at most one warning line is printed."""
    expected = _outputs(toy_data, capsys)
    assert all(code == 0 for code, _out in expected)
    files = sorted(p for p in paths.cache_dir().rglob("*.arrow"))
    kinds = {p.parent.name for p in files}
    assert {"tokens", "corpus", "theme-rates"} <= kinds
    pristine = {p: p.read_bytes() for p in files}
    trials = 0
    for path, data in pristine.items():
        offsets = sorted(
            {0, 1, len(data) - 1, len(data) - 9, *range(7, len(data), len(data) // 9)}
        )
        for offset in offsets:
            for how in ("flip", "truncate"):
                monkeypatch.setattr(cache, "_warned", False)
                for other, original in pristine.items():  # the rest as they were
                    other.write_bytes(original)
                path.write_bytes(_damaged(data, offset, how))
                got = []
                for command in COMMANDS:
                    code = main([*command, "--data", str(toy_data)])
                    captured = capsys.readouterr()
                    got.append((code, captured.out))
                    assert captured.err.count("cache entry that is damaged") <= 1
                assert got == expected, (path.parent.name, offset, how)
                trials += 1
    assert trials > 50


def _plant(path, named: dict[str, pa.Table], *, names: list[str] | None = None) -> None:
    """Write ``named`` as the cache lays an entry out, sealed with this cache's secret, but
    without the writer's checks (``names``: the columns' names, repeated if wanted)."""
    columns = []
    for table in named.values():
        rows = table.to_struct_array().combine_chunks()
        columns.append(pa.LargeListArray.from_arrays(pa.array([0, len(rows)], pa.int64()), rows))
    one_row = pa.Table.from_arrays(columns, names=names or list(named))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, one_row.schema) as writer:
        writer.write_table(one_row)
    data = sink.getvalue().to_pybytes()
    # replaced by renaming, as the cache does: a process may still map the old file
    temp = path.with_name("planted.tmp")
    temp.write_bytes(_seal(data))
    os.replace(temp, path)


def test_a_sealed_entry_of_another_layout_is_computed_again(toy_data):
    from rhetoric.corpus import TABLES
    from rhetoric.pipeline import process_corpus

    expected = process_corpus(toy_data, reprints="keep")
    (path,) = (paths.cache_dir() / "corpus").glob("*.arrow")
    stored = process_corpus(toy_data, reprints="keep").to_arrow(TABLES[1:])
    tokens = stored["tokens"]
    unsigned = pa.DictionaryArray.from_arrays(
        pa.array([0, None] + [0] * (tokens.num_rows - 2), pa.uint8()), pa.array(["toy-0"])
    )
    planted = [
        ({"a": stored["cleaned"], "b": stored["cleaned"]}, ["cleaned", "cleaned"]),
        ({**stored, "tokens": tokens.drop_columns(["lower"])}, None),
        ({**stored, "tokens": tokens.set_column(0, "document", unsigned)}, None),
        ({**stored, "hits": stored["hits"].rename_columns(["x"] * stored["hits"].num_columns)},
         None),
    ]  # fmt: skip
    for named, names in planted:
        _plant(path, named, names=names)
        planted_bytes = path.read_bytes()
        again = process_corpus(toy_data, reprints="keep")
        assert path.read_bytes() != planted_bytes  # not served: computed and stored again
        for name in ("tokens", "sentences", "hits", "audit"):
            pd.testing.assert_frame_equal(getattr(again, name), getattr(expected, name))
    # a memoised table whose categories repeat a value cannot be read: computed again
    key = cache.key("frame", "x", code="rhetoric.store.cache")
    repeated = pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int8()), pa.array(["a", "a"]))
    (paths.cache_dir() / "frame").mkdir()
    _plant(paths.cache_dir() / "frame" / f"{key}.arrow", {"table": pa.table({"k": repeated})})
    frame = cache.memo_frame("frame", key, lambda: pd.DataFrame({"k": ["b"]}))
    assert frame["k"].tolist() == ["b"]


def test_an_entry_this_cache_did_not_seal_is_not_served(tmp_path, monkeypatch):
    """The battery's forgery: a memoised count 5 rewritten as 15 with a correct CRC-32 (the
    old trailer) was served. Neither a checksum, nor another cache's seal, nor a
    zstd-compressed body (13 kB that decode to 400 MB) is taken: only bytes sealed with
    this cache folder's secret are ever decoded."""
    key = cache.key("frame", "count", code="rhetoric.store.cache")
    path = paths.cache_dir() / "frame" / f"{key}.arrow"
    assert cache.memo_frame("frame", key, lambda: pd.DataFrame({"hits": [5]}))["hits"][0] == 5
    body = path.read_bytes()[:-64]
    forged = arrow.table(pd.DataFrame({"hits": [15]}))
    sink = pa.BufferOutputStream()
    arrow.write({"table": forged}, sink)
    forged_body = sink.getvalue().to_pybytes()
    zstd = pa.BufferOutputStream()
    with pa.ipc.new_file(zstd, pa.schema([("x", pa.int64())]),
                         options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:  # fmt: skip
        writer.write_table(pa.table({"x": np.zeros(10**6, np.int64)}))
    for planted in (
        forged_body + b"0" * 56 + f"{zlib.crc32(forged_body):08x}".encode(),  # a CRC
        forged_body + f"{zlib.crc32(forged_body):08x}".encode(),  # the old layout
        _seal(forged_body, secret=os.urandom(32)),  # another cache's seal
        _seal(zstd.getvalue().to_pybytes(), secret=os.urandom(32)),
        _seal(body)[:-1] + b"0",
    ):
        path.write_bytes(planted)
        frame = cache.memo_frame("frame", key, lambda: pd.DataFrame({"hits": [5]}))
        assert frame["hits"].tolist() == [5]
        assert path.read_bytes() == _seal(body)  # computed again and sealed anew
    # forgery that reads the secret is not stopped (SECURITY.md says so): the seal holds
    path.write_bytes(_seal(forged_body))
    assert cache.memo_frame("frame", key, lambda: pd.DataFrame({"hits": [5]}))["hits"][0] == 15
    # an entry copied into another cache folder is not served there
    other = tmp_path / "other"
    monkeypatch.setenv("RHETORIC_CACHE", str(other))
    (other / "frame").mkdir(parents=True)
    shutil.copy(path, other / "frame" / path.name)
    assert cache.memo_frame("frame", key, lambda: pd.DataFrame({"hits": [5]}))["hits"][0] == 5


@pytest.mark.parametrize("damage", ["short", "not hex", "fifo", "link", "gone"])
def test_a_damaged_secret_is_made_anew_and_nothing_is_served(damage, tmp_path):
    cache.store("things", KEY_A, _things())
    secret = paths.cache_dir() / "key"
    old = secret.read_text()
    secret.unlink()
    if damage == "short":
        secret.write_text(old[:-1])
    elif damage == "not hex":
        secret.write_text("g" * 64)
    elif damage == "fifo":
        os.mkfifo(secret)  # never opened for reading so that it blocks
    elif damage == "link":
        (tmp_path / "elsewhere").write_text(old)
        secret.symlink_to(tmp_path / "elsewhere")
    assert cache.load("things", KEY_A) is None
    made = secret.read_text()
    assert made != old and len(bytes.fromhex(made)) == 32
    assert not secret.is_symlink() and stat.S_IMODE(secret.stat().st_mode) == 0o600
    cache.store("things", KEY_A, _things())
    assert cache.load("things", KEY_A) is not None
    assert sorted(p.name for p in paths.cache_dir().iterdir()) == ["key", "things"]


def test_a_fifo_or_a_link_in_the_cache_is_dropped_not_read(tmp_path):
    """A FIFO with no writer would block a reader for ever: every entry is opened without
    blocking and without following a link, and only a regular file is read."""
    script = (
        "import os, sys; from pathlib import Path\n"
        "from rhetoric.store import cache, paths\n"
        "folder = paths.cache_dir() / 'things'; folder.mkdir(parents=True)\n"
        "os.mkfifo(folder / ('a' * 64 + '.arrow'))\n"
        "target = Path(sys.argv[1]); target.write_bytes(b'not an entry')\n"
        "(folder / ('b' * 64 + '.arrow')).symlink_to(target)\n"
        "print(cache.load('things', 'a' * 64), cache.load('things', 'b' * 64),\n"
        "      sorted(p.name for p in folder.iterdir()), target.exists())\n"
    )
    env = {**os.environ, "RHETORIC_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "elsewhere")], env=env,
                         capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    assert run.stdout.strip() == "None None [] True"
    assert run.stderr.count("cache entry that is damaged") == 1


def test_a_library_that_is_not_installed_is_absent_in_the_key():
    """ICU may come from pyicu-wheels or from PyICU (conda): the other is not installed."""
    from rhetoric.store.cache import _library_versions, _version

    assert _version("no-such-distribution-here") == "absent"
    assert b"\0pyicu-wheels=" in _library_versions() and b"\0PyICU=" in _library_versions()
