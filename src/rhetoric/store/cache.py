""":mod:`rhetoric.store.cache`: the one cache of derived data. Deleting it only costs time.

The only module that touches the cache folder (:func:`rhetoric.store.paths.cache_dir`).

- **Format.** One entry is one file, ``<kind>/<key>.arrow``: named tables in one
  Arrow IPC file (:func:`rhetoric.store.arrow.write`: numbers, booleans and text
  only; nothing in the cache is ever run as code), then its seal. This module
  reads an entry without copying it: the file is mapped read-only and the tables'
  columns are views of the mapping. Entries are only ever replaced by renaming,
  so a mapped entry does not change under a reader.
- **Seal.** The last 64 bytes are the HMAC-SHA256, in hex, of every byte before
  them, under a random secret made once per cache folder (``key`` in it, readable
  by its owner only). An entry that is damaged, truncated, written by other code
  or copied from another cache, or unreadable in any way (a wrong seal, a layout
  :func:`rhetoric.store.arrow.decode` refuses) is deleted and computed again; the
  first time this happens in a process, one warning line goes to stderr. Only
  sealed bytes are ever decoded. Deleting ``key`` invalidates every entry.
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
import hmac
from importlib import metadata
import mmap
import os
from pathlib import Path
import re
import stat
import sys
import tempfile
from typing import BinaryIO

import pandas as pd
import pyarrow as pa

from rhetoric.store import arrow, paths
from rhetoric.store.atomic import TEMP_PREFIX, remove_leftovers, write_atomic

__all__ = ["SUFFIX", "code_closure", "entries", "key", "load", "memo", "memo_frame", "store"]

Tables = dict[str, pa.Table]
#: The name of an entry's file ends so.
SUFFIX = ".arrow"
_SEAL_SIZE = 64  # hex digits of an HMAC-SHA256
_SECRET_NAME = "key"  # in the cache folder: 64 hex digits, made once, owner-only
#: Libraries whose version is part of every key (they shape tokens, numbers or tables).
_LIBRARIES = (
    "nltk",
    "numpy",
    "pandas",
    "pyarrow",
    "pyicu-wheels",
    "PyICU",
    "pystemmer",
    "scipy",
    "scikit-learn",
)  # ICU from either distribution: the other is "absent"
_warned = False


# -- keys --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _library_versions() -> bytes:
    return "".join(f"\0{name}={_version(name)}" for name in _LIBRARIES).encode()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


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

    Parameters
    ----------
    module : str
        A dotted module name of the package, e.g. ``"rhetoric.text.tokens"``.

    Returns
    -------
    tuple of pathlib.Path
        The source files, sorted by module name; remembered for the rest of the process.
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

    Parameters
    ----------
    kind : str
        What the entry holds, e.g. ``"tokens"`` (hashed only).
    inputs : str or bytes
        What the entry is computed from, in order (text is hashed as UTF-8).
    code : str
        The name of the module that computes the entry; :class:`ValueError` is raised
        when it is not a module of the package (:func:`code_closure`).

    Returns
    -------
    str
        The key, 64 hexadecimal digits.
    """
    digest = hashlib.sha256(kind.encode() + b"\0" + _code_fingerprint(code))
    for part in inputs:
        data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


# -- entries -----------------------------------------------------------------------------


def _stored_secret(path: Path) -> bytes | None:
    """The secret in ``path``, or None when there is none or it is damaged (not 64 hex
    digits in a regular file; never a link followed or a FIFO waited on)."""
    flags = (
        os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(path, flags)
        try:
            text = os.read(fd, _SEAL_SIZE + 1) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
        finally:
            os.close(fd)
    except OSError:
        return None
    return bytes.fromhex(text.decode("ascii")) if re.fullmatch(rb"[0-9a-f]{64}", text) else None


def _secret(folder: Path) -> bytes | None:
    """The secret that seals the entries of the cache in ``folder``, made (random, readable
    by its owner only) when there is none or it is damaged; None when it can be neither
    read nor made (then nothing is served or stored)."""
    path = folder / _SECRET_NAME
    secret = _stored_secret(path)
    if secret is not None:
        return secret
    try:  # a new secret: written whole under a temporary name (mode 0600), then linked
        remove_leftovers(folder)  # temporary files of killed processes
        fd, temp = tempfile.mkstemp(
            dir=folder, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp"
        )
    except OSError:
        return None
    secret = os.urandom(32)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret.hex().encode("ascii"))
        try:
            os.link(temp, path)
        except FileExistsError:
            made = _stored_secret(path)
            if made is not None:
                return made  # another process made one meanwhile: it wins
            os.replace(temp, path)  # a damaged one is replaced
        return secret
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


class _Sealed:
    """A binary file that keeps the HMAC of everything written to it."""

    def __init__(self, handle: BinaryIO, secret: bytes) -> None:
        self.handle, self.mac, self.closed = handle, hmac.new(secret, digestmod="sha256"), False

    def write(self, data) -> int:
        self.mac.update(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def tell(self) -> int:
        return self.handle.tell()


def _writer(tables: Mapping[str, pa.Table], secret: bytes) -> Callable[[BinaryIO], None]:
    """What writes an entry to an open file: the Arrow IPC file, then its seal in hex."""

    def write(handle: BinaryIO) -> None:
        body = _Sealed(handle, secret)
        arrow.write(tables, body)
        handle.write(body.mac.hexdigest().encode("ascii"))

    return write


def _decode(data: pa.Buffer, secret: bytes) -> Tables | None:
    """The tables of an entry mapped in memory, or None if its seal or anything else is
    wrong. Bytes that are not sealed with ``secret`` are never decoded."""
    if data.size <= _SEAL_SIZE:
        return None
    body = data.slice(0, data.size - _SEAL_SIZE)
    stored = data.slice(data.size - _SEAL_SIZE).to_pybytes()
    mac = hmac.new(secret, memoryview(body), digestmod="sha256")
    if not hmac.compare_digest(mac.hexdigest().encode("ascii"), stored):
        return None
    try:
        return arrow.decode(body)
    except Exception:  # noqa: BLE001 - sealed bytes of another layout (an older writer)
        return None


def _warn_once(path) -> None:
    global _warned
    if not _warned:
        _warned = True
        print(
            f"rhetoric: a cache entry that is damaged or was not written by this cache was dropped "
            f"and is computed again ({path.name})",
            file=sys.stderr,
        )


def _read(path) -> Tables | None:
    """The tables of one entry, mapped read-only (entries are replaced by renaming, never
    rewritten in place, so a mapped entry never changes). Anything but a regular file (a
    FIFO, a device, a link) is dropped like a damaged entry: opened without blocking and
    without following a link, it is never read."""
    flags = (
        os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError:  # unreadable, or a link (O_NOFOLLOW)
        fd = None
    tables = None
    if fd is not None:
        try:
            secret = _secret(path.parent.parent)
            if secret is not None and stat.S_ISREG(os.fstat(fd).st_mode):
                data = pa.py_buffer(mmap.mmap(fd, 0, access=mmap.ACCESS_READ))
                tables = _decode(data, secret)
        except (OSError, ValueError):  # unreadable, or empty (an empty file cannot be mapped)
            tables = None
        finally:
            os.close(fd)
    if tables is None:
        _warn_once(path)
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    return tables


def load(kind: str, entry_key: str) -> Tables | None:
    """The tables stored under ``entry_key``, or None (missing, or damaged and now deleted).

    Parameters
    ----------
    kind : str
        The kind of entry: the subfolder of the cache it is in.
    entry_key : str
        Its :func:`key`: the name of its file, without :data:`SUFFIX`.

    Returns
    -------
    dict of str to pyarrow.Table or None
        The tables by name, their columns views of the file mapped read-only; None
        when there is no such entry, or it was damaged or unreadable (and is now deleted).
    """
    return _read(paths.cache_dir() / kind / f"{entry_key}{SUFFIX}")


def entries(kind: str) -> Iterator[Tables]:
    """Every intact entry of ``kind``, newest first (damaged ones are deleted on the way).

    Parameters
    ----------
    kind : str
        The kind of entry: the subfolder of the cache it is in.

    Yields
    ------
    dict of str to pyarrow.Table
        The tables of one entry, by name.
    """
    folder = paths.cache_dir() / kind
    for path in _newest_first(folder.glob(f"*{SUFFIX}") if folder.is_dir() else ()):
        tables = _read(path)
        if tables is not None:
            yield tables


def store(
    kind: str, entry_key: str, tables: Mapping[str, pa.Table], *, keep: int | None = None
) -> None:
    """Store ``tables`` (by name) under ``entry_key``; then keep only the ``keep`` newest
    entries of ``kind``.

    A failure to write is silent (the cache only saves time); temporary files
    are never left behind.

    Parameters
    ----------
    kind : str
        The kind of entry: the subfolder of the cache it is in.
    entry_key : str
        Its :func:`key`: the name of its file, without :data:`SUFFIX`.
    tables : mapping of str to pyarrow.Table
        The tables, by name; a column of a type :func:`rhetoric.store.arrow.write` refuses
        raises its :class:`TypeError`.
    keep : int or None, default None
        How many entries of ``kind`` to keep, the last written (by the time of their file);
        None keeps all.
    """
    folder = paths.cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)  # temporary files of killed processes
        secret = _secret(folder.parent)
        if secret is None:
            return
        write_atomic(folder / f"{entry_key}{SUFFIX}", _writer(tables, secret))
        if keep is not None:
            for old in _newest_first(folder.glob(f"*{SUFFIX}"))[keep:]:
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
    kind: str, entry_key: str, compute: Callable[[], Tables], *, keep: int | None = 16
) -> Tables:
    """``compute()``'s tables, from the cache when stored under ``entry_key``, else stored there.

    Parameters
    ----------
    kind : str
        The kind of entry: the subfolder of the cache it is in.
    entry_key : str
        Its :func:`key`: the name of its file, without :data:`SUFFIX`.
    compute : callable
        Called with no arguments when the entry is not stored; returns the tables by name.
    keep : int or None, default 16
        How many entries of ``kind`` to keep after storing one (:func:`store`).

    Returns
    -------
    dict of str to pyarrow.Table
        The tables by name: as read from the cache, or as ``compute`` returned them.
    """
    tables = load(kind, entry_key)
    if tables is None:
        tables = compute()
        store(kind, entry_key, tables, keep=keep)
    return tables


def memo_frame(kind: str, entry_key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``compute()``'s table, from the cache when stored under ``entry_key``, else stored there.

    For the callers of a measure (the command line): measures never read or write files.
    The table comes back as :func:`rhetoric.store.arrow.frame` reads it, whether computed
    now or stored, so that a first run and a second one print the same. Storing it keeps
    the 16 last written entries of ``kind`` (:func:`store`).

    Parameters
    ----------
    kind : str
        The kind of entry: the subfolder of the cache it is in.
    entry_key : str
        Its :func:`key`: the name of its file, without :data:`SUFFIX`.
    compute : callable
        Called with no arguments when the entry is not stored; returns a pandas table.

    Returns
    -------
    pandas.DataFrame
        The table, without the index ``compute`` gave it.
    """
    stored = load(kind, entry_key)
    if stored is not None and list(stored) == ["table"]:
        with contextlib.suppress(Exception):  # a well-formed entry this code did not write
            return arrow.frame(stored["table"])
    table = arrow.table(compute())
    store(kind, entry_key, {"table": table}, keep=16)
    return arrow.frame(table)
