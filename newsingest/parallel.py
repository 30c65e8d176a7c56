"""Running a per-item function on several processes, keeping input order and bounded memory.

The output of a stage is the same bytes whatever the number of jobs: items are cut into
batches, batches go to worker processes, and results come back in input order. At most
two batches a worker are in flight, so memory stays bounded however long the input.
A worker that dies (killed, out of memory) ends the run with a clear error, never a hang.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from .errors import NewsingestError

T = TypeVar("T")
R = TypeVar("R")

BATCH = 32


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class WorkerDied(NewsingestError):
    """A worker process ended without finishing its batch."""


def _apply(func: Callable[[T], R], batch: list[T]) -> list[R]:
    return [func(item) for item in batch]


def ordered_map(func: Callable[[T], R], items: Iterable[T], jobs: int = 1, batch: int = BATCH) -> Iterator[R]:
    """``func`` over ``items`` on ``jobs`` processes, results in input order.

    ``func`` must be picklable (a module-level function, or a partial of one).
    """
    if jobs <= 1:
        yield from map(func, items)
        return
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    iterator = iter(items)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            pending: deque = deque()
            while chunk := list(islice(iterator, batch)):
                pending.append(pool.submit(_apply, func, chunk))
                if len(pending) >= 2 * jobs:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    except BrokenProcessPool:
        raise WorkerDied(
            "a worker process died before finishing (was it killed, or out of memory?); "
            "no output file was completed — run again, with fewer --jobs if memory is short"
        ) from None
