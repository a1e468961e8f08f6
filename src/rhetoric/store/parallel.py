""":mod:`rhetoric.store.parallel`: independent pieces of work on several processes.

Used where a corpus is large enough to pay for starting processes
(tokenizing documents, stemming a vocabulary, bootstrapping groups). Every
piece is a pure function of its arguments, and results come back in input
order, so the result is the same whatever the number of workers (tests
compare both paths).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
import os
import sys

__all__ = ["map_pieces", "worker_count"]


def worker_count(requested: int | None, work: float, threshold: float, pieces: int) -> int:
    """Processes to use: ``requested`` if given, else every core (at most 4) when there is
    at least ``threshold`` work in at least two pieces, else 1.

    Parameters
    ----------
    requested : int or None
        The number the caller asked for (less than 1 counts as 1); None lets the
        amount of work decide.
    work : float
        How much work there is, in the unit of ``threshold`` (e.g. characters).
    threshold : float
        The least work that pays for starting processes.
    pieces : int
        How many independent pieces the work is in.

    Returns
    -------
    int
        The number of processes, at least 1.
    """
    if requested is not None:
        return max(1, int(requested))
    if pieces < 2 or work < threshold:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def map_pieces(
    function: Callable, pieces: Sequence, *, workers: int, chunksize: int | None = None
) -> list:
    """``[function(*args) for args in pieces]``, on ``workers`` processes when more than one.

    ``function`` must be a module-level function (it is sent to the workers by
    name). On Linux the workers are forked, so they start with the modules the
    caller has already imported (NLTK, NumPy) instead of importing them again.

    Parameters
    ----------
    function : callable
        Called as ``function(*args)`` for each piece.
    pieces : sequence of tuple
        The arguments of each call.
    workers : int
        How many processes (no more than there are pieces); 1 or less, or fewer than two
        pieces, runs every call in this process.
    chunksize : int, optional
        How many pieces a worker is sent at a time; None: ``len(pieces) // (32 * workers)``,
        at least 1.

    Returns
    -------
    list
        The results, in the order of ``pieces``.
    """
    if workers <= 1 or len(pieces) < 2:
        return [function(*args) for args in pieces]
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    if chunksize is None:
        chunksize = max(1, len(pieces) // (workers * 32))  # small chunks balance the load
    with ProcessPoolExecutor(
        max_workers=min(workers, len(pieces)), mp_context=context, initializer=_one_thread
    ) as pool:
        return list(pool.map(_call, _with(function, pieces), chunksize=chunksize))


def _one_thread() -> None:
    """Workers already use every core between them: one BLAS thread each, not one per core."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _with(function: Callable, pieces: Iterable) -> Iterable:
    return ((function, args) for args in pieces)


def _call(job):
    function, args = job
    return function(*args)
