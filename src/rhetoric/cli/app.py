""":mod:`rhetoric.cli.app`: the ``rhetoric`` command: the parser made of every group's
commands, and how it ends.

Thin: each command parses its options, calls the package and prints
(:mod:`rhetoric.cli.common`). Errors a user can fix are one line on stderr and exit
status 2; a failure of the machine (a full disk, a read-only folder) is one line
and status 1; see ``rhetoric --help`` and design.md for the contract.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import re
import sys

from rhetoric.cli import data, files, lexicon, measures
from rhetoric.cli.common import EXIT_INPUT, Parser, safe_terminal, terminal_safe
from rhetoric.errors import RhetoricEnvironmentError, RhetoricInputError, StudyRunError
from rhetoric.store import paths
from rhetoric.store.atomic import (
    environment_error,
    folder_lock,
    leftovers,
    remove_leftovers,
    stop_on_signals,
)

__all__ = ["build_parser", "main", "option_wording"]

#: The groups of commands, in the order ``rhetoric --help`` lists them.
GROUPS = (data, measures, lexicon, files)
#: Library parameters whose option has another name.
_OPTION_OF = {"data_dir": "--data", "out_dir": "--out"}


def build_parser() -> argparse.ArgumentParser:
    """The ``rhetoric`` parser: one subcommand per declared command
    (:func:`rhetoric.cli.common.command`), its function as the ``handler`` default.

    Returns
    -------
    argparse.ArgumentParser
        A :class:`rhetoric.cli.common.Parser` with ``--version`` and the subcommands of
        :data:`GROUPS`, in order; one subcommand is required, its name parsed into
        ``command``.
    """
    parser = Parser(
        prog="rhetoric",
        description="Comparative rhetoric of joint statements: corpus, themes, measures, notebooks.",
    )
    from rhetoric import __version__

    parser.add_argument("--version", action="version", version=f"rhetoric {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for group in GROUPS:
        for declared in group.COMMANDS:
            p = sub.add_parser(declared.name, help=declared.help,
                               description=declared.description)  # fmt: skip
            declared.options(p)
            p.set_defaults(handler=declared.run)
    return parser


def option_wording(error: RhetoricInputError) -> str:
    """A library error in the command line's words: the parameters it names
    (:attr:`RhetoricInputError.parameters`), ``window=-1: must be 0 or more``, become the
    options that pass them on, ``--window -1: must be 0 or more``. Only a name that
    starts the message, or a part of it after ``": "`` or ``" and "``, is changed: a
    value that holds ``name=`` (``where='kind=x; date=2020'``) stays as it is.

    Parameters
    ----------
    error : RhetoricInputError
        The error a command raised.

    Returns
    -------
    str
        Its message, with ``name=value`` written ``--name value`` (``_`` in the name
        as ``-``; ``data_dir`` and ``out_dir`` as ``--data`` and ``--out``) for each
        parameter it names, where the rule above allows.
    """
    message = str(error)
    for name in error.parameters:
        option = _OPTION_OF.get(name, f"--{name.replace('_', '-')}")
        message = re.sub(rf"(?:^|(?<=: )|(?<= and )){re.escape(name)}=", f"{option} ", message)
    return message


def _complete_interrupted_run() -> None:
    """Complete the swap of a run into the study folder that was killed after deciding it
    (:func:`rhetoric.store.atomic.remove_leftovers`), so that no command, and no reader of
    the notebooks after it, finds old and new outputs mixed. Only a staging folder whose
    writer has ended is touched: a run in progress is left alone."""
    study = paths.study_dir()
    if study is not None and study.is_dir() and leftovers(study):
        with folder_lock(study, exclusive=True):
            remove_leftovers(study)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``rhetoric`` command line: parse the arguments, run the command, and end.

    Without ``--data``, a command other than ``run`` gets
    :func:`rhetoric.store.paths.default_data_dir`. An error is one line on stderr:
    an error the user can fix (:class:`~rhetoric.errors.RhetoricInputError`, its
    parameters worded as options by :func:`option_wording`), a failed study run or a
    failure of the machine. Control characters are escaped on a terminal
    (:func:`rhetoric.cli.common.safe_terminal`).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: the command's own (0 on success); 0 for ``--help``,
        ``--version`` and a reader that went away (a broken pipe); 2 for a usage
        error or a :class:`~rhetoric.errors.RhetoricInputError`; 1 for a
        :class:`~rhetoric.errors.StudyRunError` or a failure of the machine
        (:class:`OSError`); 130 when Ctrl-C or SIGTERM stops the command.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed in one line
        return int(exc.code or 0)
    if getattr(args, "data", None) is None and args.command != "run":
        args.data = paths.default_data_dir()
    try:
        # SIGTERM stops like Ctrl-C, so that clean-up code runs
        with stop_on_signals(), safe_terminal():
            _complete_interrupted_run()
            return args.handler(args)
    except RhetoricInputError as exc:
        print(terminal_safe(option_wording(exc)), file=sys.stderr)
        return EXIT_INPUT
    except (StudyRunError, RhetoricEnvironmentError) as exc:
        print(terminal_safe(str(exc)), file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        return 0
    except OSError as exc:  # the machine refused, where no code named the path
        print(terminal_safe(str(environment_error(exc, exc.filename or "."))), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.command == "run":
            after = "the output folder holds all of the previous outputs or all of the new ones"
        else:
            after = "no file was left half-written (`rhetoric validate` shows the corpus)"
        print(f"rhetoric: interrupted; {after}", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
