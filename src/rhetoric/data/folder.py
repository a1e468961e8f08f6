""":mod:`rhetoric.data.folder`: the corpus on disk: load it, check it, add statements to it.

A data directory holds ``raw/<id>.txt`` (statements exactly as received, never
rewritten), ``corpus.csv`` (one row per statement), ``parties.yml``,
``themes.yml`` and ``boilerplate.yml``; see ``data/README.md``.

Raw files are decoded as UTF-8 (a byte-order mark is dropped), line ends are
normalised to ``\\n`` and a YAML front-matter block is skipped: that is the
*document text* every later stage, and every character offset, refers to.
"""

from __future__ import annotations

from collections.abc import Sequence
import contextlib
import csv
from dataclasses import dataclass, field
import datetime as dt
import hashlib
import io
import math
import os
from pathlib import Path
import re
import shutil
import sys

import pandas as pd

from rhetoric.data.kinds import DEFAULT_KINDS, Kinds, load_kinds
from rhetoric.data.outlets import load_outlets
from rhetoric.data.parties import PARTY_CODE, Parties, dyad_of, load_parties
from rhetoric.errors import Problem, RhetoricInputError, display_path, first_problem
from rhetoric.store import paths
from rhetoric.store.atomic import (
    environment_error,
    folder_lock,
    holds_lock,
    leftovers,
    make_folder,
    refuse_used_folder,
    remove_leftovers,
    staged,
    swap_in,
    write_file,
)
from rhetoric.store.inputs import input_bytes, inside, read_input
from rhetoric.store.yamlfile import parse_yaml
from rhetoric.text.versions import version_problems

__all__ = [
    "COLUMNS",
    "COLUMN_PATTERN",
    "FRAME_COLUMNS",
    "KINDS",
    "add_statements",
    "check_corpus",
    "corpus_fingerprint",
    "decode_statement",
    "document_text",
    "load_corpus",
    "split_front_matter",
    "validate_data",
    "write_data_folder",
]

#: corpus.csv columns, in file order. Extra columns are kept as document variables.
COLUMNS = ("id", "file", "title", "date", "parties", "kind", "outlet", "url", "language", "sha256")
#: The values of ``kind`` a data folder without kinds.yml accepts (:mod:`rhetoric.data.kinds`).
KINDS = DEFAULT_KINDS.all
#: Front-matter keys ``rhetoric add`` reads as metadata; any other becomes a corpus.csv column.
FRONT_MATTER_KEYS = (
    "id",
    "title",
    "date",
    "parties",
    "kind",
    "outlet",
    "source",
    "url",
    "language",
)
#: Another front-matter key becomes a corpus.csv column of that name (a document variable).
COLUMN_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Names that are not front-matter keys: columns rhetoric writes or derives.
RESERVED_COLUMNS = ("file", "sha256", "text", "year", "dyad", "dyad_label", "outlet_type",
                    "tokens", "document", "corpus", "group")  # fmt: skip
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The longest id (it names the statement's raw file; file systems allow 255 bytes).
MAX_ID_CHARS = 120
#: The longest title, outlet or url.
MAX_FIELD_CHARS = 2000
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
#: A statement larger than this is refused: it is a corpus, not a statement.
MAX_STATEMENT_BYTES = 10_000_000


# -- reading one statement ----------------------------------------------------------


def decode_statement(raw: bytes, *, source: str) -> str:
    """Decode a statement file's bytes to text with ``\\n`` line ends.

    UTF-8 only (a byte-order mark is dropped). Raises :class:`RhetoricInputError`
    for binary data (a NUL byte; UTF-16 text), other encodings, files with no text,
    and text that looks like HTML.

    Parameters
    ----------
    raw : bytes
        The file's bytes.
    source : str
        The file as error messages name it.

    Returns
    -------
    str
        The text, ``\\r\\n`` and ``\\r`` line ends made ``\\n``; a front-matter block is
        kept (:func:`split_front_matter`, :func:`document_text` take it off).
    """
    nul = raw.find(b"\x00")
    if nul >= 0:
        hint = (
            "UTF-16 text; save it as UTF-8"
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
            else f"a NUL byte at byte {nul:,}: a binary file, not plain text"
        )
        raise RhetoricInputError(f"{source}: {hint}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RhetoricInputError(
            f"{source}: not UTF-8 text (byte {exc.start}); save it as UTF-8 "
            "(e.g. `iconv -f latin1 -t utf-8`)"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise RhetoricInputError(f"{source}: the file has no text")
    head = text.lstrip()[:2000].lower()
    if (
        head.startswith(("<!doctype html", "<html"))
        or len(re.findall(r"</?(?:div|p|span|body|head|script)\b", head)) >= 3
    ):
        raise RhetoricInputError(
            f"{source}: looks like HTML, not text; save the article's text as a .txt file "
            "(e.g. copy it from the browser's reader view)"
        )
    return text


def _cut_front_matter(text: str, *, source: str) -> tuple[str | None, str]:
    """``(block, body)``: the YAML between leading ``---`` lines (None if there is none) and the rest."""
    if not text.startswith("---\n"):
        return None, text
    end = re.search(r"^---[ \t]*$", text[4:], flags=re.MULTILINE)
    if end is None:
        raise RhetoricInputError(
            f"{source}: front matter opened with '---' on line 1 is never closed; "
            "add a closing '---' line"
        )
    return text[4 : 4 + end.start()], text[4 + end.end() :].removeprefix("\n")


def split_front_matter(text: str, *, source: str) -> tuple[dict, str]:
    """Split a leading YAML front-matter block (between ``---`` lines) from the body.

    A block is read only when the text starts with the line ``---``; it ends at the
    next line that is ``---`` (trailing spaces allowed).

    Parameters
    ----------
    text : str
        A decoded statement (:func:`decode_statement`).
    source : str
        The file as error messages name it.

    Returns
    -------
    metadata : dict
        The block's ``key: value`` pairs as YAML reads them (dates stay strings);
        empty when there is no block, or an empty one.
    body : str
        The text after the closing ``---`` line (its line end dropped); all of
        ``text`` when there is no block.

    Raises
    ------
    RhetoricInputError
        If the block is never closed, is YAML that :mod:`rhetoric.store.yamlfile`
        refuses (not valid, or outside the plain subset it reads), or is not a mapping.
    """
    block, body = _cut_front_matter(text, source=source)
    if block is None:
        return {}, body
    meta = parse_yaml(block, source=f"{source} (front matter)", line_offset=1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RhetoricInputError(f"{source}: front matter must be 'key: value' lines")
    return dict(meta), body


#: The format characters (Unicode category Cf) as ranges of code points, as Unicode 14.0
#: (Python 3.11) has them; a test checks them against :mod:`unicodedata`.
FORMAT_CHARACTERS = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
_FORMAT = re.compile(
    "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in FORMAT_CHARACTERS) + "]"
)


def document_text(raw: bytes, *, source: str) -> str:
    """The text of a statement that analysis sees: decoded, front matter skipped, and
    without format characters.

    The front matter is cut without parsing it: ``rhetoric add`` parsed it on
    import, and corpus.csv pins the raw bytes by their sha256. Format characters
    (Unicode category Cf: zero-width space, zero-width joiner and non-joiner, word
    joiner, soft hyphen, byte-order mark, bidirectional controls) are invisible,
    and inside a word they would stop it matching (``tr\\u200dust`` is *trust* to
    a reader): they are taken out of the text analysed, and the raw file keeps them.

    Parameters
    ----------
    raw : bytes
        The bytes of a raw statement file.
    source : str
        The file as error messages name it.

    Returns
    -------
    str
        The document text: decoded as :func:`decode_statement` does, the front-matter
        block cut, format characters removed. Character offsets refer to it.

    Raises
    ------
    RhetoricInputError
        As :func:`decode_statement`, and for a front-matter block that is never closed.
    """
    text = _cut_front_matter(decode_statement(raw, source=source), source=source)[1]
    return text if text.isascii() else _FORMAT.sub("", text)


# -- checking ----------------------------------------------------------------------


def _date_problem(value: str) -> str | None:
    if not DATE_PATTERN.match(value):
        return f"date {value!r} is not YYYY-MM-DD"
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"date {value!r} does not exist"
    return None


def _parse_parties(value: str | Sequence[str]) -> list[str]:
    """Party codes from ``US;RU``, ``US,RU`` or a YAML list; anything else (a number, a
    mapping, a nested list) becomes one code that the parties.yml check then refuses."""
    if isinstance(value, str):
        items = re.split(r"[;,\s]+", value)
    elif isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        items = [str(v) for v in value]
    else:
        items = [str(value)]
    return [p.strip().upper() for p in items if p and p.strip()]


def _metadata_problems(
    row: dict, parties: Parties | None, kinds: Kinds = DEFAULT_KINDS
) -> list[str]:
    """Problems with one statement's metadata (shared by corpus.csv checks and add)."""
    problems = []
    if not ID_PATTERN.match(row["id"]):
        problems.append(
            f"id {row['id'][:60]!r} must be lowercase letters, digits and single '-' ([a-z0-9-]+)"
        )
    elif len(row["id"]) > MAX_ID_CHARS:
        problems.append(f"id {row['id'][:60] + '...'!r} is longer than {MAX_ID_CHARS} characters "
                        "(it names the raw file)")  # fmt: skip
    if not row["title"].strip():
        problems.append("title is empty")
    for name in ("title", "outlet", "url"):
        if len(str(row.get(name) or "")) > MAX_FIELD_CHARS:
            problems.append(f"{name} is longer than {MAX_FIELD_CHARS:,} characters "
                            f"({len(str(row[name])):,}; is it the text?)")  # fmt: skip
    problem = _date_problem(row["date"])
    if problem:
        problems.append(problem)
    codes = _parse_parties(row["parties"])
    if not codes:
        problems.append("no parties (give codes such as US;RU)")
    for code in codes:
        if not PARTY_CODE.match(code):
            problems.append(f"party code {code!r} is not 2-10 capital letters or digits")
        elif parties is not None and code not in parties.names:
            problems.append(f"party code {code!r} is not in parties.yml (add it there)")
    if len(set(codes)) != len(codes):
        problems.append("a party is listed twice")
    if row["kind"] not in kinds.all:
        problems.append(f"kind {row['kind']!r} is not one of {', '.join(kinds.all)} (kinds.yml "
                        "names the kinds)")  # fmt: skip
    if row["language"] and not LANGUAGE_PATTERN.match(row["language"]):
        problems.append(f"language {row['language']!r} is not an ISO 639 code such as 'en'")
    if row["url"] and not re.match(r"^https?://\S+$", row["url"]):
        problems.append(f"url {row['url']!r} is not an http(s) address")
    return problems


def _read_rows(corpus_file: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (line number, row) pairs of corpus.csv; raises on an unreadable file."""
    source = display_path(corpus_file)
    try:
        text = read_input(corpus_file, within=corpus_file.parent).decode("utf-8-sig")
    except IsADirectoryError:
        raise RhetoricInputError(f"{source}: is a folder, expected the corpus table") from None
    except FileNotFoundError:
        raise RhetoricInputError(
            f"{source}: file not found (fix: give the path of a data folder, "
            "or start one from the project's data/)"
        ) from None
    except UnicodeDecodeError:
        raise RhetoricInputError(f"{source}: not UTF-8 text; save it as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RhetoricInputError(f"{source}: file is empty; it needs the header line") from None
    except csv.Error as exc:
        raise RhetoricInputError(f"{source}: not valid CSV ({exc})") from None
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RhetoricInputError(
            f"{source}: missing column{'s' * (len(missing) > 1)} {', '.join(missing)} "
            f"(the header must name {', '.join(COLUMNS)})"
        )
    if len(set(header)) != len(header):
        raise RhetoricInputError(f"{source}: a column name appears twice in the header")
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise RhetoricInputError(
                    f"{source}: line {line} has {len(values)} fields, the header has "
                    f"{len(header)} (quote a value that contains a comma)"
                )
            rows.append((line, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    except csv.Error as exc:
        raise RhetoricInputError(
            f"{source}: not valid CSV near line {reader.line_num} ({exc})"
        ) from None
    return header, rows


def _raw_path(data_dir: Path, file: str) -> Path | None:
    """The raw file a corpus.csv row names, or None if it is not a plain path inside raw/.

    Checked on the text of the path (no ``..``, not absolute, under ``raw/``),
    and the file itself must not be a symbolic link, so nothing outside the
    data directory is ever read; cheaper than resolving every path.
    """
    if not file or "\\" in file:
        return None
    normal = os.path.normpath(file)
    if (
        os.path.isabs(normal)
        or normal.split(os.sep)[0] != paths.RAW_DIR
        or ".." in normal.split(os.sep)
    ):
        return None
    path = data_dir / normal
    return None if path.is_symlink() else path


@dataclass
class _RowCheck:
    """Checks corpus.csv rows one after another, remembering the ids, texts and files seen."""

    data_dir: Path
    source: str  # corpus.csv as shown in messages
    parties: Parties | None
    kinds: Kinds = DEFAULT_KINDS
    ids: dict[str, int] = field(default_factory=dict)  # id -> first line
    shas: dict[str, int] = field(default_factory=dict)  # sha256 -> first line
    listed: set[str] = field(default_factory=set)  # raw files listed
    shown_dir: str = field(init=False)  # the data directory as shown in messages

    def __post_init__(self):
        self.shown_dir = display_path(self.data_dir)

    def row(self, line: int, row: dict) -> tuple[list[Problem], str | None]:
        """Problems with one row (metadata, id, raw file), and its document text."""
        where, source = f"line {line}", self.source
        problems = [
            Problem(source, f"{where}: {p}", line)
            for p in _metadata_problems(row, self.parties, self.kinds)
        ]
        if row["id"] in self.ids:
            message = f"{where}: id {row['id']!r} duplicates line {self.ids[row['id']]}"
            problems.append(Problem(source, message, line))
        self.ids.setdefault(row["id"], line)
        raw = _raw_path(self.data_dir, row["file"])
        if raw is None:
            message = (
                f"{where}: file {row['file']!r} must be a path inside raw/, such as raw/<id>.txt"
            )
            return [*problems, Problem(source, message, line)], None
        if not (raw.exists() or raw.is_symlink()):
            message = (
                f"missing (listed on {source} line {line}; restore it from git or remove the row)"
            )
            return [*problems, Problem(display_path(raw), message)], None
        self.listed.add(os.path.normpath(row["file"]))
        found, text = self.raw(line, row, raw)
        return [*problems, *found], text

    def raw(self, line: int, row: dict, raw: Path) -> tuple[list[Problem], str | None]:
        """Problems with one row's raw file, and its document text (None if unreadable)."""
        where, source = f"line {line}", self.source
        try:
            data = read_input(raw, within=self.data_dir, limit=MAX_STATEMENT_BYTES)
        except RhetoricInputError as exc:
            return [exc.problem], None
        except (FileNotFoundError, IsADirectoryError):
            return [Problem(display_path(raw), "is not a file (listed on "
                            f"{source} line {line}; restore the file or remove the row)")], None  # fmt: skip
        sha = hashlib.sha256(data).hexdigest()
        problems = []
        if not SHA256_PATTERN.match(row["sha256"]):
            message = f"{where}: sha256 {row['sha256']!r} is not 64 hex digits"
            problems.append(Problem(source, message, line))
        elif sha != row["sha256"]:
            problems.append(Problem(display_path(raw), (
                f"sha256 differs from {source} line {line}: the raw file changed after import "
                "(restore it with `git checkout`, or add the new version as a new statement)")))  # fmt: skip
        if sha in self.shas:
            message = f"{where}: same text as line {self.shas[sha]} (duplicate statement)"
            problems.append(Problem(source, message, line))
        self.shas.setdefault(sha, line)
        try:
            return problems, document_text(data, source=f"{self.shown_dir}/{row['file']}")
        except RhetoricInputError as exc:
            return [*problems, exc.problem], None


def _stray_files(data_dir: Path, source: str, listed: set) -> list[Problem]:
    """Raw files that corpus.csv does not list: reported, but they do not block analysis."""
    raw_dir = data_dir / paths.RAW_DIR
    if not raw_dir.is_dir():
        return []
    message = f"not listed in {source} (import it with `rhetoric add`, or delete it)"
    return [
        Problem(display_path(path), message, blocking=False)
        for path in sorted(raw_dir.iterdir())
        if path.is_file() and not path.name.startswith(".")
        and os.path.join(paths.RAW_DIR, path.name) not in listed
    ]  # fmt: skip


@contextlib.contextmanager
def data_lock(data_dir: Path | str, *, exclusive: bool = False):
    """Hold the data folder's lock (:func:`rhetoric.store.atomic.folder_lock`): exclusive for
    ``rhetoric add``, shared for every command that reads the corpus, so that a reader
    sees the corpus before an add or after it, never half of one. What a killed add left
    (:func:`rhetoric.store.atomic.leftovers`) is cleared on the way in, under the exclusive
    lock: an add that had decided is completed, one that had not leaves nothing."""
    data_dir = Path(data_dir)
    folders = (data_dir, data_dir / paths.RAW_DIR)
    if not exclusive and not holds_lock(data_dir) and any(leftovers(f) for f in folders):
        with folder_lock(data_dir, exclusive=True):
            for folder in folders:
                remove_leftovers(folder)
    with folder_lock(data_dir, exclusive=exclusive):
        if exclusive:
            for folder in folders:
                remove_leftovers(folder)
        yield


def check_corpus(data_dir: Path) -> tuple[list[dict], list[Problem]]:
    """Check corpus.csv against ``raw/`` and parties.yml; list every problem.

    Read under the data folder's shared lock.

    Parameters
    ----------
    data_dir : pathlib.Path or str
        The data directory.

    Returns
    -------
    rows : list of dict
        The corpus.csv rows that have no problem, in file order: each column of the
        header (extra columns too) to its value, stripped, plus ``text`` (the
        document text, :func:`document_text`) and ``_line`` (the row's line in
        corpus.csv). Empty when corpus.csv cannot be read.
    problems : list of Problem
        Every :class:`~rhetoric.errors.Problem`: no such directory or corpus.csv, a
        corpus.csv or parties.yml that cannot be read, a missing raw file, a sha256
        mismatch, a duplicate id or text, a bad date, an unknown party code, malformed
        fields, and (``blocking=False``, not blocking analysis) a raw file not listed
        in corpus.csv. When parties.yml cannot be read, party codes are not checked
        against it.
    """
    with data_lock(data_dir):
        return _check_corpus(Path(data_dir))


def _check_corpus(data_dir: Path) -> tuple[list[dict], list[Problem]]:
    corpus_file = data_dir / paths.CORPUS_FILE
    source = display_path(corpus_file)
    if not data_dir.is_dir():
        return [], [
            Problem(display_path(data_dir), "no such data directory (fix: check its path)")
        ]
    if os.path.lexists(corpus_file) and not corpus_file.is_file():
        return [], [Problem(source, (
            "not a regular file (a folder, a FIFO, a device or a broken link); corpus.csv must "
            "be a file (fix: replace it by the corpus table)"))]  # fmt: skip
    if not corpus_file.is_file():
        return [], [Problem(source, (
            f"file not found, so {display_path(data_dir)} is not a data directory "
            "(fix: check its path, or copy the project's data/ as a start)"))]  # fmt: skip
    problems: list[Problem] = []
    try:
        parties = load_parties(data_dir / paths.PARTIES_FILE)
    except RhetoricInputError as exc:
        problems.append(exc.problem)
        parties = None
    try:
        kinds = load_kinds(data_dir / paths.KINDS_FILE)
    except RhetoricInputError as exc:
        problems.append(exc.problem)
        kinds = DEFAULT_KINDS
    try:
        load_outlets(data_dir / paths.OUTLETS_FILE)
    except RhetoricInputError as exc:
        problems.append(exc.problem)
    try:
        _, rows = _read_rows(corpus_file)
    except RhetoricInputError as exc:
        return [], [*problems, exc.problem]
    good, check = [], _RowCheck(data_dir, source, parties, kinds)
    declared = _declaration_problems({row.get("id", ""): row.get("reprint_of", "")
                                      for _line, row in rows})  # fmt: skip
    for doc, problem in version_problems({row.get("id", ""): (row.get("version_of") or "").strip()
                                          for _line, row in rows}).items():  # fmt: skip
        declared[doc] = f"{declared[doc]}; {problem}" if doc in declared else problem
    for line, row in rows:
        found, text = check.row(line, row)
        if row.get("id", "") in declared:
            found.append(Problem(source, f"line {line}: {declared[row['id']]}", line))
        problems.extend(found)
        if not found:
            good.append({**row, "text": text, "_line": line})
    return good, [*problems, *_stray_files(data_dir, source, check.listed)]


# -- loading -----------------------------------------------------------------------


def load_corpus(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load the corpus: one row per document, with its metadata and text.

    Parameters
    ----------
    data_dir : path, optional
        A data directory (default: the project's ``data/``).

    Returns
    -------
    pandas.DataFrame
        One row per statement, in corpus.csv order, indexed 0..n-1, with columns
        ``id``, ``title``, ``date`` (ISO ``YYYY-MM-DD`` string), ``year`` (int),
        ``parties`` (tuple of codes as listed), ``dyad`` (codes sorted and joined
        with ``-``), ``dyad_label`` (chart label from parties.yml), ``kind``,
        ``outlet`` (its name in outlets.yml when that lists its spelling),
        ``outlet_type`` (its type there, else corpus.csv's ``outlet_type`` column, else
        ""), ``url``, ``language`` (default
        ``en``), ``file`` (relative to
        the data directory), ``sha256`` (of the raw file), ``text`` (the
        document text: decoded, line ends ``\\n``, front matter skipped), then
        any extra corpus.csv columns as document variables.

    Raises
    ------
    RhetoricInputError
        If corpus.csv, a raw file or parties.yml has a problem; the message
        names the first and says how many there are (``rhetoric validate``
        lists them all).
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    rows, problems = check_corpus(data_dir)
    problems = [p for p in problems if p.blocking]
    if problems:
        raise RhetoricInputError(first_problem(problems))
    parties = load_parties(data_dir / paths.PARTIES_FILE)
    outlets = load_outlets(data_dir / paths.OUTLETS_FILE)
    records = []
    for row in rows:
        codes = tuple(_parse_parties(row["parties"]))
        outlet = outlets.name(row["outlet"]) if row["outlet"] else ""
        record = {
            "id": row["id"],
            "title": row["title"],
            "date": row["date"],
            "year": int(row["date"][:4]),
            "parties": codes,
            "dyad": dyad_of(codes),
            "dyad_label": parties.label(dyad_of(codes)),
            "kind": row["kind"],
            "outlet": outlet,
            "outlet_type": outlets.type(outlet) or row.get("outlet_type", ""),
            "url": row["url"],
            "language": row["language"] or "en",
            "file": row["file"],
            "sha256": row["sha256"],
            "text": row["text"],
        }
        record.update({k: v for k, v in row.items() if k not in record and not k.startswith("_")})
        records.append(record)
    columns = [
        "id",
        "title",
        "date",
        "year",
        "parties",
        "dyad",
        "dyad_label",
        "kind",
        "outlet",
        "outlet_type",
        "url",
        "language",
        "file",
        "sha256",
        "text",
    ]
    frame = pd.DataFrame.from_records(
        records, columns=columns + [k for k in (records[0] if records else {}) if k not in columns]
    )
    return frame


def corpus_fingerprint(data_dir: Path | str | None = None) -> str:
    """sha256 over corpus.csv, themes.yml, boilerplate.yml, kinds.yml and outlets.yml (the
    study's inputs besides raw/, which corpus.csv pins by hash). The first 16 hex digits.

    Read under the data folder's shared lock; a missing file counts as empty.

    Parameters
    ----------
    data_dir : pathlib.Path or str, optional
        The data directory (default: :func:`rhetoric.store.paths.default_data_dir`,
        ``$RHETORIC_DATA`` or the study folder's ``data/``).

    Returns
    -------
    str
        16 lowercase hex digits; they change when any of the five files does.
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    digest = hashlib.sha256()
    with data_lock(data_dir):
        for name in (paths.CORPUS_FILE, paths.THEMES_FILE, paths.BOILERPLATE_FILE,
                     paths.KINDS_FILE, paths.OUTLETS_FILE):  # fmt: skip
            digest.update(name.encode() + b"\0")
            digest.update(input_bytes(data_dir / name, within=data_dir))
            digest.update(b"\0")
    return digest.hexdigest()[:16]


# -- adding ------------------------------------------------------------------------


def _slug(text: str, *, words: int = 5, letters: int = 20) -> str:
    """The first ``words`` words of a title that are not small words, each cut to
    ``letters`` characters, for an id (so that a long title makes an id of bounded length)."""
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    stop = {"a", "an", "the", "of", "on", "and", "in", "to", "for", "with", "at", "by"}
    kept = [t[:letters] for t in tokens if t not in stop][:words]
    return "-".join(kept)


def _read_statement(file: Path, source: str) -> tuple[bytes, dict]:
    """The bytes of one file to add and its front matter; raise if it cannot be a statement."""
    if file.is_file() and file.stat().st_size > MAX_STATEMENT_BYTES:
        raise RhetoricInputError(
            f"{source}: {file.stat().st_size:,} bytes is larger than a statement can be "
            f"({MAX_STATEMENT_BYTES:,}); split it into one file per statement"
        )
    try:
        data = read_input(file, limit=MAX_STATEMENT_BYTES)
    except FileNotFoundError:
        raise RhetoricInputError(f"{source}: file not found") from None
    except IsADirectoryError:
        raise RhetoricInputError(f"{source}: not a regular file (a folder)") from None
    if not data.strip():
        raise RhetoricInputError(f"{source}: the file is empty")
    text = decode_statement(data, source=source)
    meta, body = split_front_matter(text, source=source)
    if not body.strip():
        raise RhetoricInputError(f"{source}: the file has front matter but no text")
    return data, meta


def _statement_row(
    file: Path, overrides: dict, parties: Parties, warn, kinds: Kinds = DEFAULT_KINDS
) -> tuple[dict, bytes]:
    """Read one file to add and build its corpus.csv row; raise on any problem."""
    source = display_path(file)
    data, meta = _read_statement(file, source)
    extra = _extra_columns(meta, source)
    if "outlet" not in meta and "source" in meta:
        meta["outlet"] = meta["source"]
    merged = {k: meta.get(k) for k in FRONT_MATTER_KEYS}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    for key, value in merged.items():
        if value is not None and key != "parties" and not isinstance(value, (str, int, float)):
            raise RhetoricInputError(f"{source}: front matter {key!r} must be a single value")
        if (
            key in meta
            and key not in ("parties", "date")
            and isinstance(value, bool | int | float)
        ):
            shown = str(value).lower() if isinstance(value, bool) else repr(value)
            raise RhetoricInputError(
                f"{source}: front matter {key!r} is read as {shown}, not as text (YAML reads "
                f'yes, no, on, off and numbers so); put it in quotes: {key}: "..."'
            )
    given = merged.get("parties")
    if isinstance(given, dict) or (
        isinstance(given, list | tuple) and not all(isinstance(p, str | int) for p in given)
    ):
        raise RhetoricInputError(
            f"{source}: front matter 'parties' must be party codes (US,RU or [US, RU])"
        )
    if merged.get("date") is None or not str(merged["date"]).strip():
        raise RhetoricInputError(
            f"{source}: no date (give the date, YYYY-MM-DD, or 'date:' in front matter)"
        )
    if merged.get("parties") in (None, "", []):
        raise RhetoricInputError(
            f"{source}: no parties (give the party codes, such as US,RU, or 'parties: [US, RU]' "
            "in front matter)"
        )
    row = _row_of(merged, file, data)
    problems = _metadata_problems(row, parties, kinds)
    if problems:
        raise RhetoricInputError(f"{source}: {problems[0]}")
    return {**row, **extra}, data


def _extra_columns(meta: dict, source: str) -> dict[str, str]:
    """The front-matter keys that are not :data:`FRONT_MATTER_KEYS`, as corpus.csv columns:
    a value as text (``true``/``false``, numbers as YAML read them); a name that cannot be a
    column, or a value that is not one value, raises (one line)."""
    extra = {}
    for key, value in meta.items():
        if key in FRONT_MATTER_KEYS:
            continue
        if not isinstance(key, str) or not COLUMN_PATTERN.match(key) or key in RESERVED_COLUMNS:
            raise RhetoricInputError(
                f"{source}: front matter key {str(key)[:40]!r} cannot be a corpus.csv column "
                "(lowercase letters, digits and _, a letter first, at most 40; not "
                f"{', '.join(RESERVED_COLUMNS)}); rename it"
            )
        if isinstance(value, list | dict):
            raise RhetoricInputError(f"{source}: front matter {key!r} must be a single value")
        text = (
            "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        )
        if len(text) > MAX_FIELD_CHARS or "\n" in text or "\r" in text:
            raise RhetoricInputError(
                f"{source}: front matter {key!r} must be one line of at most "
                f"{MAX_FIELD_CHARS:,} characters"
            )
        extra[key] = text.strip()
    return extra


def _row_of(merged: dict, file: Path, data: bytes) -> dict:
    """The corpus.csv row of a statement from its merged metadata (an id made if none)."""
    codes = _parse_parties(merged["parties"])
    date = str(merged["date"]).strip()
    title = str(merged.get("title") or "").strip() or file.stem.replace("_", " ")
    row = {
        "id": str(merged.get("id") or "").strip(),
        "file": "",
        "title": " ".join(title.split()),
        "date": date,
        "parties": ";".join(codes),
        "kind": str(merged.get("kind") or "joint_statement").strip(),
        "outlet": " ".join(str(merged.get("outlet") or "").split()),
        "url": str(merged.get("url") or "").strip(),
        "language": str(merged.get("language") or "en").strip().lower(),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if not row["id"]:
        row["id"] = "-".join(
            part for part in (date, "-".join(c.lower() for c in codes), _slug(title)) if part
        )
        row["_generated_id"] = True
    return row


def add_statements(
    files: Sequence[Path | str],
    *,
    data_dir: Path | str | None = None,
    title: str | None = None,
    date: str | None = None,
    parties: str | Sequence[str] | None = None,
    kind: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    id: str | None = None,
    language: str | None = None,
    warn=None,
) -> list[str]:
    """Import statement files into a data directory; all or nothing.

    Metadata comes from each file's front matter; keyword arguments override
    it for every file. Each file is copied byte for byte to ``raw/<id>.txt``
    and a row is appended to corpus.csv. Without an ``id``, one is made from
    date, party codes and title (``2025-05-08-ru-cn-joint-statement``), with a
    number appended if taken. ``kind`` defaults to ``joint_statement``,
    ``title`` to the file name, ``language`` to ``en``.

    Raises :class:`RhetoricInputError` (and writes nothing) if any file is
    refused: missing or empty, not UTF-8 text, no or impossible date, no parties
    or unknown ones, a bad id, the same text or id as a statement already in the
    corpus or earlier in the call, unsafe YAML; also if the corpus has a blocking
    problem before the add (``rhetoric validate`` lists them).

    Parameters
    ----------
    files : sequence of pathlib.Path or str
        The statement files: UTF-8 text, each with an optional YAML front-matter
        block (keys as :data:`FRONT_MATTER_KEYS`; ``source`` is read as ``outlet``
        when there is no ``outlet``; any other key, e.g. ``partial: true``, ``event``,
        ``reprint_of``, becomes a corpus.csv column of that name, the table rewritten
        with it when it is new, :data:`COLUMN_PATTERN`).
    data_dir : pathlib.Path or str, optional
        The data directory (default: :func:`rhetoric.store.paths.default_data_dir`,
        ``$RHETORIC_DATA`` or the study folder's ``data/``).
    title, date, parties, kind, outlet, url, language : str, optional
        Metadata for every file, overriding its front matter; None keeps the front
        matter's value or the default. ``date`` is ``YYYY-MM-DD``; ``parties`` party
        codes of parties.yml, as ``"US,RU"``, ``"US;RU"`` or a sequence of str;
        ``kind`` one of :data:`KINDS`. With no title anywhere, the file name without
        its suffix, ``_`` read as a space.
    id : str, optional
        The new statement's id (``[a-z0-9-]+``); only with one file.
    warn : callable, optional
        Called with each warning line; default prints it on stderr.

    Returns
    -------
    list of str
        The new ids, in the order of ``files``.
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    warn = warn or (lambda message: print(message, file=sys.stderr))
    if not files:
        raise RhetoricInputError("rhetoric add: no files given")
    if id is not None and len(files) > 1:
        raise RhetoricInputError(
            f"id={id!r} names one statement, but {len(files)} files were given"
        )
    overrides = {
        "title": title,
        "date": date,
        "parties": parties,
        "kind": kind,
        "outlet": outlet,
        "url": url,
        "id": id,
        "language": language,
    }
    # one add at a time: from the checks to the last rename, no other command sees the folder
    with data_lock(data_dir, exclusive=True):
        _check_writable(data_dir)
        existing, problems = check_corpus(data_dir)
        blocking = [p for p in problems if p.blocking]
        if blocking:
            first = blocking[0]
            note = " (the corpus must validate before adding; run `rhetoric validate`)"
            raise RhetoricInputError(Problem(first.file, first.message + note, first.line))
        new = _new_rows(data_dir, files, overrides, existing, warn)
        _write_added(data_dir, new)
    return [row["id"] for row, _data in new]


def _check_writable(data_dir: Path) -> None:
    """Refuse to add through a symbolic link that leads out of the data folder (``raw/``
    or corpus.csv): an add writes inside the data folder only."""
    for name in (paths.RAW_DIR, paths.CORPUS_FILE):
        path = data_dir / name
        if path.is_symlink() and not inside(path, data_dir):
            raise RhetoricInputError(
                f"{display_path(path)}: a symbolic link out of {display_path(data_dir)} (to "
                f"{os.path.realpath(path)}); rhetoric add writes only inside the data folder "
                "(replace the link by a folder or file of the data folder)"
            )


def _free_id(base: str, taken) -> str:
    """``base``, or ``base-2``, ``base-3``... the first that ``taken`` does not refuse."""
    candidate, n = base, 2
    while taken(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _new_rows(data_dir: Path, files, overrides: dict, existing: list[dict], warn):
    """The rows and bytes of the files to add; raise if any is refused (nothing written)."""
    party_table = load_parties(data_dir / paths.PARTIES_FILE)
    kinds = load_kinds(data_dir / paths.KINDS_FILE)
    ids = {row["id"] for row in existing}
    shas = {row["sha256"]: row["id"] for row in existing}
    raw_dir = data_dir / paths.RAW_DIR
    new: list[tuple[dict, bytes]] = []
    for file in files:
        row, data = _statement_row(Path(file), overrides, party_table, warn, kinds)
        source = display_path(file)
        if row["sha256"] in shas:
            raise RhetoricInputError(
                f"{source}: same text as statement {shas[row['sha256']]!r} already in the corpus"
            )
        if row.pop("_generated_id", False):
            row["id"] = _free_id(row["id"], lambda i: i in ids or (raw_dir / f"{i}.txt").exists())
        elif row["id"] in ids:
            raise RhetoricInputError(
                f"{source}: id {row['id']!r} is already in the corpus (choose another id)"
            )
        target = raw_dir / f"{row['id']}.txt"
        if target.exists():
            raise RhetoricInputError(
                f"{display_path(target)}: already exists but is not in corpus.csv "
                "(move it away, or choose another id)"
            )
        row["file"] = f"{paths.RAW_DIR}/{row['id']}.txt"
        ids.add(row["id"])
        shas[row["sha256"]] = row["id"]
        new.append((row, data))
    declared = {row["id"]: row.get("reprint_of", "") for row in existing}
    declared |= {row["id"]: row.get("reprint_of", "") for row, _data in new}
    sources = {row["id"]: file for (row, _data), file in zip(new, files, strict=True)}
    versions = {row["id"]: (row.get("version_of") or "").strip()
                for row in [*existing, *(row for row, _data in new)]}  # fmt: skip
    problems = {**version_problems(versions), **_declaration_problems(declared)}
    for doc, problem in problems.items():
        if doc in sources:
            raise RhetoricInputError(f"{display_path(sources[doc])}: {problem}")
    return new


def _declaration_problems(declared: dict[str, str]) -> dict[str, str]:
    """Problems of the reprints corpus.csv declares (``reprint_of`` by id): a target that is
    not another document, or declarations that go round in a circle."""
    problems = {}
    for doc, target in declared.items():
        target = (target or "").strip()
        if target and target != "none" and (target not in declared or target == doc):
            problems[doc] = (
                f"reprint_of {target[:60]!r} is not the id of another document (give the id of "
                "the text this one copies, or none to say it is no reprint)"
            )
    for doc, first in declared.items():
        seen, at = [doc], (first or "").strip()
        while at in declared and at not in seen and at not in problems:
            seen.append(at)
            at = (declared[at] or "").strip()
        if at == doc and doc not in problems:
            problems[doc] = (f"reprint_of goes round in a circle ({' -> '.join([*seen, doc])}); "
                             "one of them must be the original (leave its reprint_of empty)")  # fmt: skip
    return problems


def _write_added(data_dir: Path, new: list[tuple[dict, bytes]]) -> None:
    """Place the new raw files and the longer corpus.csv: all of them, or none.

    They are staged in the data folder and swapped in as one step
    (:func:`rhetoric.store.atomic.swap_in`, raw files first, corpus.csv last): a kill
    before the swap was decided leaves nothing (the staging folder is removed
    by the next command), one after it is completed by the next command.
    """
    corpus_file = data_dir / paths.CORPUS_FILE
    header, old_rows = _read_rows(corpus_file)
    original = read_input(corpus_file, within=data_dir)
    added = list(dict.fromkeys(k for row, _data in new for k in row
                               if k not in header and not k.startswith("_")))  # fmt: skip
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    if added:  # new document variables: the whole table again, with their columns
        header = [*header, *added]
        writer.writerow(header)
        for _line, row in old_rows:
            writer.writerow([row.get(column, "") for column in header])
        original = b""
    for row, _data in new:
        writer.writerow([row.get(column, "") for column in header])
    prefix = original if original.endswith(b"\n") or not original else original + b"\n"
    try:
        (data_dir / paths.RAW_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise environment_error(exc, data_dir / paths.RAW_DIR) from None
    names = [row["file"] for row, _data in new]
    with staged(data_dir) as stage:
        try:
            for (_row, data), name in zip(new, names, strict=True):
                write_file(stage / "new" / name, data, sync=True)
            write_file(stage / "new" / paths.CORPUS_FILE,
                       prefix + buffer.getvalue().encode("utf-8"), sync=True)  # fmt: skip
        except OSError as exc:  # the staging folder is ours: name the data folder
            raise environment_error(exc, data_dir, "add the statements") from None
        for name in names:
            if (data_dir / name).exists() or (data_dir / name).is_symlink():
                raise RhetoricInputError(
                    f"{display_path(data_dir / name)}: appeared while adding; nothing was added"
                )
        swap_in(stage, data_dir, [*names, paths.CORPUS_FILE])


# -- a data folder from a table -----------------------------------------------------

#: The columns of a DataFrame that :func:`write_data_folder` reads besides the text.
FRAME_COLUMNS = ("id", "title", "date", "parties", "kind", "outlet", "url", "language")


def _frame_value(value) -> object:
    """A cell as metadata: missing values (None, NaN, NaT) as None, lists kept (parties), a
    date or a timestamp at midnight as its ``YYYY-MM-DD`` text."""
    if isinstance(value, list | tuple):
        return list(value)
    if value is pd.NaT:
        return None
    if isinstance(value, dt.date) and (
        not isinstance(value, dt.datetime) or value.time() == dt.time(0)
    ):
        return value.strftime("%Y-%m-%d")
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _frame_extra_columns(frame: pd.DataFrame, text: str) -> list[str]:
    """The DataFrame's columns besides the text and :data:`FRAME_COLUMNS`: document variables
    for corpus.csv; a name that cannot be a column raises (one line)."""
    extra = [c for c in frame.columns if c != text and c not in FRAME_COLUMNS]
    for column in extra:
        if not COLUMN_PATTERN.match(column) or column in RESERVED_COLUMNS:
            raise RhetoricInputError(
                f"DataFrame: column {column[:40]!r} cannot be a corpus.csv column (lowercase "
                "letters, digits and _, a letter first, at most 40; not "
                f"{', '.join(RESERVED_COLUMNS)}); rename or drop it"
            )
    return extra


def _frame_rows(
    frame: pd.DataFrame, text: str, parties: Parties, kinds: Kinds = DEFAULT_KINDS
) -> list[tuple[dict, bytes]]:
    """The corpus.csv rows and raw bytes of a DataFrame's documents; one line for the first
    row that cannot be a document."""
    odd = [c for c in frame.columns if not isinstance(c, str)]
    if odd or isinstance(frame.columns, pd.MultiIndex):
        raise RhetoricInputError(
            f"DataFrame: column names must be text (found {odd[0]!r}); give each column one "
            "name, e.g. frame.columns = ['text', 'date', 'parties', ...]"
        )
    twice = frame.columns[frame.columns.duplicated()]
    if len(twice):
        raise RhetoricInputError(
            f"DataFrame: column {twice[0]!r} appears more than once; keep one"
        )
    if frame.empty:
        raise RhetoricInputError("DataFrame: no rows (a corpus needs at least one document)")
    missing = [c for c in (text, "date", "parties") if c not in frame.columns]
    extra = _frame_extra_columns(frame, text)
    if missing:
        raise RhetoricInputError(
            f"DataFrame: no column {', '.join(missing)} (a text column, date as YYYY-MM-DD and "
            "parties as codes such as 'US,RU' are needed; id, title, kind, outlet, url and "
            "language are read if present)"
        )
    rows, ids, shas = [], set(), {}
    for number, record in enumerate(frame.to_dict("records")):
        where = f"DataFrame row {number}"
        body = record[text]
        if not isinstance(body, str) or not body.strip():
            raise RhetoricInputError(f"{where}: {text!r} holds no text")
        data = body.encode("utf-8", errors="surrogatepass")
        if body.startswith("---"):  # after an empty block, so that no line is read as metadata
            data = b"---\n---\n" + data
        decode_statement(data, source=where)  # the checks of a statement file (NUL, HTML)
        merged = {c: _frame_value(record.get(c)) for c in FRAME_COLUMNS}
        for needed, example in (("date", "YYYY-MM-DD"), ("parties", "codes such as 'US,RU'")):
            if merged[needed] in (None, "", []):
                raise RhetoricInputError(f"{where}: no {needed} (give {example})")
        if isinstance(merged["date"], dt.datetime):  # not at midnight (_frame_value)
            raise RhetoricInputError(
                f"{where}: date {merged['date']} has a time of day; give the date (YYYY-MM-DD)"
            )
        merged["title"] = merged["title"] or f"row {number}"
        row = _row_of({**merged, "kind": merged["kind"] or "news_article"}, Path("x"), data)
        if row.pop("_generated_id", False):
            row["id"] = _free_id(row["id"], lambda i: i in ids)
        problems = _metadata_problems(row, parties, kinds)
        if row["id"] in ids:
            problems.append(f"id {row['id']!r} is taken by an earlier row")
        if row["sha256"] in shas:
            problems.append(f"same text as row {shas[row['sha256']]}")
        if problems:
            raise RhetoricInputError(f"{where}: {problems[0]}")
        row["file"] = f"{paths.RAW_DIR}/{row['id']}.txt"
        for column in extra:  # document variables, kept as corpus.csv columns
            value = _frame_value(record.get(column))
            row[column] = "" if value is None else str(value).lower() if isinstance(
                value, bool) else str(value)  # fmt: skip
        ids.add(row["id"])
        shas[row["sha256"]] = number
        rows.append((row, data))
    return rows


def write_data_folder(
    frame: pd.DataFrame, folder: Path | str, *, text: str = "text", defaults: Path | None = None
) -> Path:
    """Write a new data folder for the documents of ``frame``: one raw file per row (its
    ``text`` column, UTF-8) and corpus.csv from the metadata columns (:data:`FRAME_COLUMNS`;
    ``kind`` defaults to ``news_article``, ``title`` to ``row N``, ``id`` to one made from
    date, parties and title). parties.yml, themes.yml and boilerplate.yml are copied from
    ``defaults`` (the package's defaults if not given: those of the project's data/).
    Raises :class:`RhetoricInputError` with the first row that cannot be a document
    (nothing is written then).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per document: the ``text`` column, ``date`` (text, ``YYYY-MM-DD``)
        and ``parties`` (codes as ``"US,RU"``, ``"US;RU"`` or a list) are needed;
        ``id``, ``title``, ``kind``, ``outlet``, ``url`` and ``language`` (default
        ``en``) are read if present, a missing value (None, NaN) taking the default
        (the default title ``row N`` counts rows from 0).
    folder : pathlib.Path or str
        The data folder to write: new, or an empty folder; created with its parents.
        A path that holds anything raises :class:`RhetoricInputError`.
    text : str, default "text"
        The column holding each document's text.
    defaults : pathlib.Path or str, optional
        A data folder whose parties.yml, themes.yml and boilerplate.yml are copied;
        party codes are checked against its parties.yml (default:
        :data:`rhetoric.store.paths.SKELETON_DIR`).

    Returns
    -------
    pathlib.Path
        ``folder``: ``raw/<id>.txt`` per row, corpus.csv (:data:`COLUMNS`, rows in
        frame order) and the three YAML files.
    """
    folder = Path(folder)
    defaults = Path(defaults) if defaults is not None else paths.SKELETON_DIR
    refuse_used_folder(folder)
    # the file itself, not a link to it (the package's defaults link into the checkout's data/)
    parties = load_parties(Path(os.path.realpath(defaults / paths.PARTIES_FILE)))
    kinds = load_kinds(Path(os.path.realpath(defaults / paths.KINDS_FILE)))
    rows = _frame_rows(frame, text, parties, kinds)

    def fill(new: Path) -> None:
        (new / paths.RAW_DIR).mkdir(parents=True)
        for name in (paths.PARTIES_FILE, paths.THEMES_FILE, paths.BOILERPLATE_FILE):
            shutil.copyfile(defaults / name, new / name)
        for name in (paths.KINDS_FILE, paths.OUTLETS_FILE):  # optional files
            if (defaults / name).is_file():
                shutil.copyfile(defaults / name, new / name)
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        header = list(dict.fromkeys([*COLUMNS, *(k for row, _d in rows for k in row
                                                    if not k.startswith("_"))]))  # fmt: skip
        writer.writerow(header)
        for row, data in rows:
            (new / row["file"]).write_bytes(data)
            writer.writerow([row.get(column, "") for column in header])
        (new / paths.CORPUS_FILE).write_text(buffer.getvalue(), encoding="utf-8")

    return make_folder(folder, fill)


# -- validating a whole data directory ---------------------------------------------


def validate_data(data_dir: Path | str | None = None) -> tuple[list[Problem], str]:
    """Check a data directory: corpus.csv, raw/, parties.yml, themes.yml, boilerplate.yml.

    Parameters
    ----------
    data_dir : pathlib.Path or str, optional
        The data directory (default: :func:`rhetoric.store.paths.default_data_dir`,
        ``$RHETORIC_DATA`` or the study folder's ``data/``).

    Returns
    -------
    problems : list of Problem
        Every :class:`~rhetoric.errors.Problem` found (``str(problem)`` is its line
        naming the file, and the line): those of :func:`check_corpus` (non-blocking
        ones too), then those of themes.yml, then those of boilerplate.yml. Empty
        for a clean directory.
    summary : str
        One line for a clean directory,
        ``<dir>: ok: N statements (K dyads: ...), T themes, R boilerplate rules``
        (made in any case; it counts only the rows without problems).
    """
    from rhetoric.text.clean import check_boilerplate
    from rhetoric.text.themes import check_themes

    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    rows, problems = check_corpus(data_dir)
    themes, theme_problems = check_themes(data_dir / paths.THEMES_FILE)
    rules, rule_problems = check_boilerplate(data_dir / paths.BOILERPLATE_FILE)
    problems = [*problems, *theme_problems, *rule_problems]
    dyads = sorted({dyad_of(_parse_parties(row["parties"])) for row in rows})
    versions = sum(1 for row in rows if (row.get("version_of") or "").strip())
    summary = (
        f"{display_path(data_dir)}: ok: {len(rows)} statement{'s' * (len(rows) != 1)} "
        f"({len(dyads)} dyad{'s' * (len(dyads) != 1)}{': ' * bool(dyads)}{', '.join(dyads)}"
        + (f"; {versions} of them language version{'s' * (versions != 1)} of another, "
           "counted with it" if versions else "")
        + f"), {len(themes)} themes, {len(rules.rules)} boilerplate rules"
    )  # fmt: skip
    return problems, summary
