""":mod:`rhetoric.errors`: problems found in the user's input, and the one exception type for them.

A check (``rhetoric validate``) returns every :class:`Problem` it finds as a
value; a command that cannot go on raises :class:`RhetoricInputError` with
the first one. Each names the file, the problem and, where there is one, the
fix, so that the command line can print it as one readable line and exit
with status 2. A failure of the machine rather than of the input (a full
disk) is a :class:`RhetoricEnvironmentError`: one line too, status 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

__all__ = [
    "Problem",
    "RhetoricEnvironmentError",
    "RhetoricInputError",
    "StudyRunError",
    "display_path",
    "first_problem",
]


#: A message that names a bad argument starts with it: ``window=-1: must be 0 or more``.
_NAMED = re.compile(r"([a-z_]+)=(?![^\s:]*/)")


@dataclass(frozen=True)
class Problem:
    """One problem with the user's input.

    Attributes
    ----------
    file : str
        The file it is in, as shown to the user (relative to the working
        directory when below it); empty for a problem with an option.
    message : str
        What is wrong and how to fix it (it may repeat the line, as printed).
    line : int or None
        1-based line in ``file``, where there is one.
    blocking : bool
        Whether it stops analysis (a raw file not listed in corpus.csv does not).
    """

    file: str
    message: str
    line: int | None = None
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message


class RhetoricInputError(ValueError):
    """Input the user can fix: a statement file, corpus.csv, a YAML file, an argument.

    Raised with a :class:`Problem` (kept as ``.problem``) or a one-line message
    ``"<file>: <problem> (fix: <what to do>)"``. A bad argument of a library
    function is named as the parameter it is (``window=-1: must be 0 or more``);
    the command line words it as its option (``--window -1: ...``). A
    :class:`ValueError`, so that code catching bad values catches it.
    """

    def __init__(self, problem: Problem | str, *, parameters: tuple[str, ...] | None = None):
        self.problem = problem if isinstance(problem, Problem) else Problem("", str(problem))
        super().__init__(str(self.problem))
        if parameters is None:  # a message that starts by naming its argument, not a path
            named = _NAMED.match(str(self.problem)) if not self.problem.file else None
            parameters = (named.group(1),) if named else ()
        #: The parameters the message names as ``name=value`` (the command line shows
        #: them as its options, ``--name value``).
        self.parameters = tuple(parameters)


class RhetoricEnvironmentError(OSError):
    """The machine refused: a full disk, a read-only folder, a quota. One line naming the
    path and what to free or change; the command line exits with status 1. (An
    :class:`OSError`, so that code which shrugs off writing errors, as the cache does,
    shrugs this off too; ``errno`` and ``strerror`` are those of the error behind it.)"""

    def __init__(self, message: str, errno: int | None = None, strerror: str | None = None):
        super().__init__(message)
        self.errno, self.strerror = errno, strerror

    def __str__(self) -> str:
        return str(self.args[0])


class StudyRunError(Exception):
    """A notebook failed while the study was run; names the notebook, cell and error."""


def display_path(path: str | Path) -> str:
    """Show ``path`` relative to the working directory when it lies below it.

    Parameters
    ----------
    path : str or pathlib.Path
        The path to show.

    Returns
    -------
    str
        ``path`` relative to the working directory (both with their symbolic links
        resolved) when it lies below it, else ``path`` as given.
    """
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def first_problem(problems: list[Problem]) -> Problem:
    """The first of several problems, saying how many more there are.

    Parameters
    ----------
    problems : list of Problem
        The problems found, at least one.

    Returns
    -------
    Problem
        The first problem, unchanged when it is the only one; else a copy whose message
        ends by saying how many more there are and that ``rhetoric validate`` lists them.
    """
    more = len(problems) - 1
    if not more:
        return problems[0]
    note = f" (and {more} more; run `rhetoric validate` to list all)"
    first = problems[0]
    return Problem(first.file, first.message + note, first.line, first.blocking)
