""":mod:`rhetoric.store.cache`: the one cache of derived data. Deleting it only costs time.

The only module that touches the cache folder (:func:`rhetoric.store.paths.cache_dir`).

- **Format.** One entry is one NumPy ``.npz`` archive, ``<kind>/<key>.npz``,
  holding named arrays of plain numbers (booleans, integers, floats); text is
  stored as UTF-8 bytes with offsets (:func:`pack_strings`). Any entry opens
  with ``numpy.load(path, allow_pickle=False)``: nothing in the cache is ever
  run as code. This module reads an entry without copying it: the file is
  mapped read-only and each member (stored uncompressed) is a NumPy view of
  the mapping, checked against its ``.npy`` header. Entries are only ever
  replaced by renaming, so a mapped entry does not change under a reader.
- **Checksum.** The archive's zip comment is the CRC-32 of every byte before
  it (local headers, members, central directory, end record), in hex. An
  entry that is damaged, truncated or unreadable in any way is deleted and
  computed again; the first time this happens in a process, one warning line
  goes to stderr.
- **Keys.** One rule (:func:`key`): sha256 of the entry's kind, the source of
  the module that computes it and of every package module it imports (read
  from the import statements: :func:`code_closure`; no list of modules is kept
  anywhere), the versions of the libraries that shape its numbers, and its
  inputs.
- **Writing.** Entries are written whole under a temporary name and renamed
  (:func:`rhetoric.store.atomic.write_atomic`), never changed in place. A failure to
  write (read-only or full disk) is silent: the cache only saves time.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping
import contextlib
from functools import lru_cache
import hashlib
from importlib import metadata
import io
import mmap
from pathlib import Path
import re
import sys
import zipfile
import zlib

import numpy as np
import pandas as pd

from rhetoric.store import paths
from rhetoric.store.atomic import TEMP_PREFIX, remove_leftovers, write_atomic

__all__ = [
    "code_closure",
    "entries",
    "frame_from_arrays",
    "frame_to_arrays",
    "key",
    "load",
    "memo",
    "memo_frame",
    "pack_strings",
    "store",
    "unpack_strings",
]

Arrays = dict[str, np.ndarray]
#: Kinds of NumPy dtype an entry may hold: booleans, integers, floats (never objects).
_PLAIN_KINDS = "biuf"
_CHECKSUM_SIZE = 8  # hex digits of a CRC-32
#: Libraries whose version is part of every key (they shape tokens, numbers or tables).
_LIBRARIES = ("nltk", "numpy", "pandas", "scipy", "scikit-learn")
_warned = False
#: Readers of the ``.npy`` header versions ``np.savez`` writes.
_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


# -- keys --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _library_versions() -> bytes:
    return "".join(f"\0{name}={metadata.version(name)}" for name in _LIBRARIES).encode()


#: ``from rhetoric.x import a, b`` (parenthesised over lines too) and ``import rhetoric.x``
#: statements, wherever they stand (functions import lazily too).
_FROM = re.compile(r"^[ \t]*from[ \t]+(rhetoric(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)",
                   re.MULTILINE)  # fmt: skip
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#]*)", re.MULTILINE)


def _imported_modules(source: str) -> set[str]:
    """The ``rhetoric`` modules that a module's source imports, read from its import
    statements, never kept by hand. A plain reading of the lines (ten times faster than
    parsing, which every command would pay for): it may count a line of a docstring that
    looks like an import, which only makes a key more careful; the package imports
    absolutely only (ruff bans relative imports: TID252, "all"), and
    ``tests/test_cache.py`` checks that it finds every import the parser finds."""
    found = set()
    for module, names in _FROM.findall(source):
        found.add(module)
        for item in names.strip("()").split(","):
            name = item.split(" as ")[0].strip().rstrip("\\").strip()
            if name.isidentifier():
                found.add(f"{module}.{name}")  # a submodule, or a name lazily loaded
    for names in _IMPORT.findall(source):
        for item in names.split(","):
            module = item.split(" as ")[0].strip()
            if module == "rhetoric" or module.startswith("rhetoric."):
                found.add(module)
    return found


def _module_file(name: str) -> Path | None:
    """The source file of a ``rhetoric`` module or package, or None (a name, not a module)."""
    parts = name.split(".")[1:]
    relative = Path(*parts)
    candidates = (relative / "__init__.py",)
    if parts:
        candidates = (relative.with_suffix(".py"), *candidates)
    for candidate in candidates:
        path = paths.PACKAGE_DIR / candidate
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=64)
def _lazy_names(package: str) -> dict[str, str]:
    """The names a package's ``__init__`` imports on first use (its ``_EXPORTS`` and
    ``_MODULES`` mappings of name to module), so that ``from rhetoric.measures import
    keyness`` counts as importing :mod:`rhetoric.measures.rates`."""
    path = _module_file(package)
    if path is None or path.name != "__init__.py":
        return {}
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                and any(isinstance(t, ast.Name) and t.id in ("_EXPORTS", "_MODULES")
                        for t in node.targets)):  # fmt: skip
            for k, v in zip(node.value.keys, node.value.values, strict=True):
                if isinstance(k, ast.Constant) and isinstance(v, ast.Constant):
                    found[str(k.value)] = str(v.value)
    return found


def _parents(name: str) -> list[str]:
    """The packages a module's import runs first (``rhetoric.text`` for ``rhetoric.text.themes``)."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@lru_cache(maxsize=32)
def code_closure(module: str) -> tuple[Path, ...]:
    """The source files a result of ``module`` depends on: its own, and those of every
    ``rhetoric`` module it imports, directly or through others, and of their packages.

    Raises :class:`ValueError` when ``module`` is not a module of the package (a key
    that named no code would serve results of any code).
    """
    if _module_file(module) is None:
        raise ValueError(f"code={module!r}: not a module of the rhetoric package")
    seen: dict[str, Path] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:  # a name imported from a package: a lazily loaded one counts
            package, _, attribute = name.rpartition(".")
            if attribute in _lazy_names(package):
                todo.append(_lazy_names(package)[attribute])
            continue
        seen[name] = path
        todo.extend(_parents(name))
        todo.extend(_imported_modules(path.read_text(encoding="utf-8")))
    return tuple(seen[name] for name in sorted(seen))


@lru_cache(maxsize=32)
def _code_fingerprint(module: str) -> bytes:
    digest = hashlib.sha256()
    for path in code_closure(module):
        relative = path.relative_to(paths.PACKAGE_DIR).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes())
    digest.update(_library_versions())
    return digest.digest()


def key(kind: str, *inputs: str | bytes, code: str) -> str:
    """The cache key of an entry: sha256 over ``kind``, the source of ``code`` (the name of
    the module that computes the entry, e.g. ``__name__``) and of every package module it
    imports (:func:`code_closure`), the library versions, and ``inputs``.

    An entry made by other code or other inputs is never served: editing the
    code that produced it, or anything that code imports, changes the key.
    """
    digest = hashlib.sha256(kind.encode() + b"\0" + _code_fingerprint(code))
    for part in inputs:
        data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


# -- entries -----------------------------------------------------------------------------


def _encode(arrays: Mapping[str, np.ndarray]) -> memoryview:
    """The archive's bytes, its comment the CRC-32 of everything before it."""
    for name, array in arrays.items():
        if np.asarray(array).dtype.kind not in _PLAIN_KINDS:
            raise TypeError(f"cache: {name}: {np.asarray(array).dtype} is not a plain number type")
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = b"0" * _CHECKSUM_SIZE  # the comment's length is part of the checksum
    data = buffer.getbuffer()  # the archive in place, not a copy
    data[-_CHECKSUM_SIZE:] = f"{zlib.crc32(data[:-_CHECKSUM_SIZE]):08x}".encode("ascii")
    return data


def _decode(data: mmap.mmap) -> Arrays | None:
    """The arrays of an archive mapped in memory, or None if its checksum or anything else
    is wrong."""
    if len(data) <= _CHECKSUM_SIZE:
        return None
    body, stored = memoryview(data)[:-_CHECKSUM_SIZE], data[-_CHECKSUM_SIZE:]
    if f"{zlib.crc32(body):08x}".encode("ascii") != stored:
        return None
    try:
        data.seek(0)
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
        arrays = {m.filename.removesuffix(".npy"): _member(data, m) for m in members}
    except Exception:  # noqa: BLE001 - any unreadable entry is recomputed, whatever failed
        return None
    if any(array.dtype.kind not in _PLAIN_KINDS for array in arrays.values()):
        return None
    return arrays


def _member(data: mmap.mmap, member: zipfile.ZipInfo) -> np.ndarray:
    """One ``.npy`` member as a read-only view of the mapped archive: ``np.savez`` stores
    members uncompressed, so an array's bytes lie in the file as they lie in memory (what
    ``np.load`` would copy out)."""
    if member.compress_type != zipfile.ZIP_STORED or not member.filename.endswith(".npy"):
        raise ValueError(f"{member.filename}: not a stored .npy member")
    header = data[member.header_offset : member.header_offset + 30]
    name_size, extra_size = (
        int.from_bytes(header[26:28], "little"),
        int.from_bytes(header[28:30], "little"),
    )
    start = member.header_offset + 30 + name_size + extra_size
    stream = io.BytesIO(data[start : start + min(member.file_size, 65536)])
    version = np.lib.format.read_magic(stream)
    if version not in _HEADER_READERS:
        raise ValueError(f"{member.filename}: .npy format {version} not written by np.savez")
    shape, fortran, dtype = _HEADER_READERS[version](stream)
    count = int(np.prod(shape, dtype=np.int64))
    if stream.tell() + count * dtype.itemsize != member.file_size:
        raise ValueError(f"{member.filename}: size does not match its header")
    array = np.frombuffer(data, dtype=dtype, count=count, offset=start + stream.tell())
    return array.reshape(shape, order="F" if fortran else "C")


def _warn_once(path) -> None:
    global _warned
    if not _warned:
        _warned = True
        print(
            f"rhetoric: a damaged cache entry was dropped and is computed again ({path.name})",
            file=sys.stderr,
        )


def _read(path) -> Arrays | None:
    """The arrays of one entry, mapped read-only (entries are replaced by renaming, never
    rewritten in place, so a mapped entry never changes)."""
    try:
        with open(path, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # unreadable, or empty (an empty file cannot be mapped)
        arrays = None
    else:
        arrays = _decode(data)
    if arrays is None:
        _warn_once(path)
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    return arrays


def load(kind: str, entry_key: str) -> Arrays | None:
    """The arrays stored under ``entry_key``, or None (missing, or damaged and now deleted)."""
    return _read(paths.cache_dir() / kind / f"{entry_key}.npz")


def entries(kind: str) -> Iterator[Arrays]:
    """Every intact entry of ``kind``, newest first (damaged ones are deleted on the way)."""
    folder = paths.cache_dir() / kind
    for path in _newest_first(folder.glob("*.npz") if folder.is_dir() else ()):
        arrays = _read(path)
        if arrays is not None:
            yield arrays


def store(
    kind: str, entry_key: str, arrays: Mapping[str, np.ndarray], *, keep: int | None = None
) -> None:
    """Store ``arrays`` under ``entry_key``; then keep only the ``keep`` newest entries of ``kind``.

    A failure to write is silent (the cache only saves time); temporary files
    are never left behind.
    """
    folder = paths.cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)  # temporary files of killed processes
        write_atomic(folder / f"{entry_key}.npz", _encode(arrays))
        if keep is not None:
            for old in _newest_first(folder.glob("*.npz"))[keep:]:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _newest_first(files: Iterable) -> list:
    dated = []
    for path in files:
        if path.name.startswith(TEMP_PREFIX):
            continue
        try:
            dated.append((path.stat().st_mtime_ns, path.name, path))
        except OSError:
            continue  # deleted meanwhile by another process
    return [path for _mtime, _name, path in sorted(dated, reverse=True)]


def memo(
    kind: str, entry_key: str, compute: Callable[[], Arrays], *, keep: int | None = 16
) -> Arrays:
    """``compute()``'s arrays, from the cache when stored under ``entry_key``, else stored there."""
    arrays = load(kind, entry_key)
    if arrays is None:
        arrays = compute()
        store(kind, entry_key, arrays, keep=keep)
    return arrays


# -- text and tables as plain arrays ------------------------------------------------------


def pack_strings(values: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as (UTF-8 bytes as uint8, end offset of each string as int64)."""
    strings = list(map(str, values))
    # one encode for all; the byte length of an ASCII string is its length
    sizes = [len(v) if v.isascii() else len(v.encode("utf-8")) for v in strings]
    ends = np.cumsum(np.asarray(sizes, dtype=np.int64))
    return np.frombuffer("".join(strings).encode("utf-8"), dtype=np.uint8), ends


def unpack_strings(data: np.ndarray, ends: np.ndarray) -> list[str]:
    """:func:`pack_strings` read back (raises ``UnicodeDecodeError`` on bytes it did not write)."""
    raw = data.tobytes()
    starts = np.concatenate([[0], ends[:-1]]).tolist() if len(ends) else []
    return [raw[s:e].decode("utf-8") for s, e in zip(starts, ends.tolist(), strict=True)]


def frame_to_arrays(frame: pd.DataFrame) -> Arrays:
    """A table of numbers and text as plain arrays (:func:`frame_from_arrays` reads it back)."""
    arrays: Arrays = {}
    names_data, names_ends = pack_strings(frame.columns)
    arrays["columns"], arrays["columns_ends"] = names_data, names_ends
    text = np.zeros(len(frame.columns), dtype=bool)
    for i, column in enumerate(frame.columns):
        values = frame[column]
        if values.dtype.kind in _PLAIN_KINDS:
            arrays[f"c{i}"] = values.to_numpy()
        else:
            text[i] = True
            arrays[f"c{i}"], arrays[f"c{i}_ends"] = pack_strings(values)
    arrays["text"] = text
    return arrays


def frame_from_arrays(arrays: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The table :func:`frame_to_arrays` stored (text columns as Python strings)."""
    names = unpack_strings(arrays["columns"], arrays["columns_ends"])
    columns = {}
    for i, name in enumerate(names):
        if arrays["text"][i]:
            strings = unpack_strings(arrays[f"c{i}"], arrays[f"c{i}_ends"])
            columns[name] = np.asarray(strings, dtype=object)
        else:
            columns[name] = arrays[f"c{i}"]
    return pd.DataFrame(columns, columns=names)


def memo_frame(kind: str, entry_key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``compute()``'s table, from the cache when stored under ``entry_key``, else stored there.

    For the callers of a measure (the command line): measures never read or write files.
    """
    stored = load(kind, entry_key)
    if stored is not None:
        try:
            return frame_from_arrays(stored)
        except (KeyError, IndexError, ValueError, UnicodeDecodeError):
            pass  # a checksum-valid entry of another layout: compute it again
    frame = compute()
    store(kind, entry_key, frame_to_arrays(frame), keep=16)
    return frame
