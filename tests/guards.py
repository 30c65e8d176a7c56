"""Guards against a hang: never a measurement.

A linear-time check feeds an input so long that a quadratic algorithm would run for minutes or
hours, and fails only when the run does not end within a generous limit that a linear run stays
far below. The limit of `time_limit` is on the processor time of this process (ITIMER_PROF,
SIGPROF), not on the time of the wall clock: another process on a busy machine does not take
anything from it, so a linear run never comes near it however many other runs share the machine.
The signal is delivered between bytecodes and inside the regular expression engine, which checks
for signals.

A wait for another process (`wait_limit`) spends no processor time of its own while it hangs, so
its limit is on the wall clock (ITIMER_REAL, SIGALRM); it is kept far above anything a run needs
on a busy machine, and is only there so that a hang fails the test instead of blocking the suite.
"""

from __future__ import annotations

import contextlib
import signal
from typing import Iterator


class Hang(AssertionError):
    """A run did not end within its guard."""


@contextlib.contextmanager
def _limit(timer: int, signum: int, seconds: float, message: str) -> Iterator[None]:
    def expire(signum, frame):
        raise Hang(message)

    previous = signal.signal(signum, expire)
    signal.setitimer(timer, seconds)
    try:
        yield
    finally:
        signal.setitimer(timer, 0)
        signal.signal(signum, previous)


def time_limit(seconds: float, what: str):
    """At most ``seconds`` of processor time for the block: a guard for a computation."""
    return _limit(signal.ITIMER_PROF, signal.SIGPROF, seconds,
                  f"{what}: still computing after {seconds:g} s of processor time "
                  "(linear time would take a fraction of that)")


def wait_limit(seconds: float, what: str):
    """At most ``seconds`` on the wall clock for the block: a guard for a wait on another process."""
    return _limit(signal.ITIMER_REAL, signal.SIGALRM, seconds,
                  f"{what}: still waiting after {seconds:g} s (a hang: the awaited event takes a fraction of that)")
