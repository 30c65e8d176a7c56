"""A guard against a hang, for tests of linear time: never a measurement.

A linear-time check feeds an input so long that a quadratic algorithm would run for minutes or
hours, and fails only when the run does not end within a generous limit that a linear run, even
on a machine busy with other work, stays far below. The limit is an alarm (SIGALRM), delivered
between bytecodes and inside the regular expression engine, which checks for signals.
"""

from __future__ import annotations

import contextlib
import signal
from typing import Iterator


class Hang(AssertionError):
    """A run did not end within its guard."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    def expire(signum, frame):
        raise Hang(f"{what}: still running after {seconds:g} s (linear time would take a fraction of that)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
