"""Work that is committed when its block succeeds and dropped when it does not."""

from __future__ import annotations

from types import TracebackType
from typing import TypeVar

_Self = TypeVar("_Self", bound="CommitOrAbort")


class CommitOrAbort:
    """A context manager over ``close`` (the work is done: keep it) and ``abort`` (an error, a
    signal: drop what is half done, at once)."""

    def close(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
