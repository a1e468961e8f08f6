""":mod:`rhetoric.errors`: the one exception type for bad user input.

Every refusal names the file, the problem and, where there is one, the fix, so
that the command line can print it as one readable line and exit with status 2.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["RhetoricInputError", "StudyRunError", "display_path", "first_problem"]


class RhetoricInputError(Exception):
    """Input the user can fix: a statement file, corpus.csv, a YAML file, an option.

    The message is one line: ``"<file>: <problem> (fix: <what to do>)"``.
    """


class StudyRunError(Exception):
    """A notebook failed while the study was run; names the notebook, cell and error."""


def display_path(path: str | Path) -> str:
    """Show ``path`` relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def first_problem(problems: list[str]) -> str:
    """The first of several problems as one line, saying how many more there are."""
    more = len(problems) - 1
    return problems[0] + (
        f" (and {more} more; run `rhetoric validate` to list all)" if more else ""
    )
