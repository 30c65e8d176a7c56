"""Running a per-item function on several processes, keeping input order and bounded memory.

The output of a stage is the same bytes whatever the number of jobs: items are cut into
batches (of ``batch`` items, or fewer weighing ``BATCH_WEIGHT`` together when the caller weighs
them), batches go to worker processes, and results come back in input order. At most ``AHEAD``
batches a worker are in flight, so memory stays bounded however long the input.

One pool serves a whole run (every input file), so a run of many small files does not pay for
starting processes again and again. Workers never outlive the run: when it ends in any way
other than success (an error, a signal, a reader that went away) they are ended at once, and
a worker whose parent dies (even by SIGKILL) ends itself. A worker that dies ends the run with
a clear error, never a hang.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing.process import BaseProcess
from typing import Callable, Iterable, Iterator, Optional, TypeVar, Union

from ..errors import NewsingestError
from ..lifecycle import CommitOrAbort
from ..signals import checkpoint

T = TypeVar("T")
R = TypeVar("R")

BATCH = 32
# A batch of weighed items (split's members: characters of their bodies) is closed at this weight:
# work sent in pieces of about the same cost, few enough that sending them costs little.
BATCH_WEIGHT = 1 << 17
# Batches a worker may have in flight: enough that a slow batch at the head of the line does not
# leave the other workers idle, few enough to bound memory.
AHEAD = 4
# A pool was ended at once in this process: nothing of it is worth waiting for at exit (`exit_now`).
ABORTED = False


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class WorkerDied(NewsingestError):
    """A worker process ended without finishing its batch."""

    def __init__(self) -> None:
        super().__init__(
            "a worker process died before finishing (was it killed, or out of memory?); "
            "no output file was completed — run again, with fewer --jobs if memory is short"
        )


def _apply(func: Callable[[T], R], batch: list[T]) -> list[R]:
    return [func(item) for item in batch]


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Make this worker end when ``parent`` does: the kernel's parent-death signal on Linux,
    else a thread that watches for the parent to go."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


_HELD = {signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back the stopping signals while worker processes are started: an exception from a
    signal handler in the middle of starting one leaves it unrecorded (and so never ended) and
    the process machinery half set up. The helper threads started here inherit the mask, so the
    signals come to the main thread once released."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(parent: int) -> None:
    # The parent handles Ctrl-C and ends its workers; a stopping signal sent to a worker alone
    # ends it (the parent then reports a worker that died).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held back while the parent started it
    _die_with(parent)


class Workers(CommitOrAbort):
    """The worker processes of one run, started when first needed (``jobs`` <= 1: none at all).

    Use it as a context manager: leaving the block on an exception or a signal ends the
    workers at once instead of waiting for the batches they hold.
    """

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs
        self._pool: Optional[ProcessPoolExecutor] = None
        self._others: set[Optional[int]] = set()  # child processes that were there before the pool's

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._others = {child.pid for child in multiprocessing.active_children()}
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork") if "fork" in methods else None
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
            )
        return self._pool

    def map(self, func: Callable[[T], R], items: Iterable[T], batch: int = BATCH,
            weigh: Optional[Callable[[T], int]] = None) -> Iterator[R]:
        """``func`` over ``items``, results in input order. ``func`` must be picklable (a
        module-level function, or a partial of one). ``weigh``: what an item costs (a batch
        holds at most ``batch`` items and closes once they weigh ``BATCH_WEIGHT``)."""
        if self.jobs <= 1:
            yield from map(func, items)
            return
        pending: deque[Future[list[R]]] = deque()
        try:
            for chunk in _batches(items, batch, weigh):
                checkpoint()
                if self._pool is None:
                    with _signals_held():  # the first batch starts the workers
                        pending.append(self._executor().submit(_apply, func, chunk))
                    continue
                pending.append(self._pool.submit(_apply, func, chunk))
                if len(pending) >= AHEAD * self.jobs:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool:
            self.abort()
            raise WorkerDied() from None
        except BaseException:  # an error, a signal, or the consumer stopped reading (GeneratorExit)
            if pending:
                self.abort()
            raise

    def abort(self) -> None:
        """End the workers now, whatever they are doing."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The pool's processes, and any it started but had not yet recorded when a signal came.
        by_pid: dict[Optional[int], BaseProcess] = {p.pid: p for p in getattr(pool, "_processes", {}).values()}
        by_pid.update((p.pid, p) for p in multiprocessing.active_children() if p.pid not in self._others)
        processes = list(by_pid.values())
        manager = getattr(pool, "_executor_manager_thread", None)
        calls = getattr(pool, "_call_queue", None)
        if calls is not None:  # its feeder may be stuck writing to workers that are gone: never wait for it
            calls.cancel_join_thread()
        for process in processes:
            if process.is_alive():
                process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        # The pool's own thread ends once it sees its workers gone; waited for here, so that it does
        # not close its wake-up pipe while the interpreter's exit writes to it ("Bad file descriptor").
        if manager is not None and manager is not threading.current_thread():
            manager.join(timeout=5)
        global ABORTED
        ABORTED = True

    def close(self) -> None:
        """Let the workers finish and end (after a run that succeeded)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)



def _batches(items: Iterable[T], batch: int, weigh: Optional[Callable[[T], int]]) -> Iterator[list[T]]:
    """``items`` in lists of ``batch``, or fewer that weigh ``BATCH_WEIGHT`` together."""
    iterator = iter(items)
    if weigh is None:
        while chunk := list(islice(iterator, batch)):
            yield chunk
        return
    chunk, weight = [], 0
    for item in iterator:
        chunk.append(item)
        weight += weigh(item)
        if weight >= BATCH_WEIGHT or len(chunk) >= batch:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


Jobs = Union[int, Workers]


def ordered_map(func: Callable[[T], R], items: Iterable[T], jobs: Jobs = 1, batch: int = BATCH,
                weigh: Optional[Callable[[T], int]] = None) -> Iterator[R]:
    """``func`` over ``items`` on ``jobs`` processes (a number, or the run's :class:`Workers`),
    results in input order (``batch`` and ``weigh``: as :meth:`Workers.map` cuts them)."""
    if isinstance(jobs, Workers):
        yield from jobs.map(func, items, batch, weigh)
        return
    with Workers(jobs) as workers:
        yield from workers.map(func, items, batch, weigh)

