"""Signals that stop a run (Ctrl-C, SIGTERM, SIGHUP) as an exception, so that every way a run
ends goes through the same clean-up: temporary files removed, worker processes ended.

Exit codes follow the shell's convention, 128 + the signal's number: 130 for SIGINT, 143 for
SIGTERM, 129 for SIGHUP. SIGKILL cannot be caught: what it would leave behind is avoided by
other means (workers die with their parent; temporary files have no name until they are complete).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from types import FrameType
from typing import Iterator, Optional

# What each signal says when it stops a run.
STOPPING_SIGNALS: dict[int, str] = {
    signal.SIGINT: "interrupted",
    signal.SIGTERM: "terminated (SIGTERM)",
    **({signal.SIGHUP: "hung up (SIGHUP)"} if hasattr(signal, "SIGHUP") else {}),
}


class Stopped(BaseException):
    """A run stopped by a signal. A BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` on the way takes it for a failure of one record."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def message(self) -> str:
        return f"newsingest: {STOPPING_SIGNALS.get(self.signum, f'stopped by signal {self.signum}')}"


_requested: Optional[int] = None  # the signal that asked the run to stop, once one has


def checkpoint() -> None:
    """Raise :class:`Stopped` if a signal asked the run to stop. Called once a record by the
    loops that move records: the exception a signal handler raises is lost when the handler runs
    inside a finalizer (`Exception ignored in ...`), and this finds the request anyway."""
    if _requested is not None:
        raise Stopped(_requested)


@contextlib.contextmanager
def signals_stop_the_run() -> Iterator[None]:
    """While the block runs, a stopping signal raises :class:`Stopped` in the main thread (and
    is remembered for :func:`checkpoint`)."""
    global _requested
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    main = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        global _requested
        if os.getpid() != main:  # a worker forked before it could set its own handlers: just end
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        _requested = signum
        raise Stopped(signum)

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        # A Stopped raised inside a finalizer is lost there, not reported: checkpoint() raises it again.
        if not isinstance(info.exc_value, Stopped):
            hook(info)

    hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    for number in STOPPING_SIGNALS:
        previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sys.unraisablehook = hook
        _requested = None
