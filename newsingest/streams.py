"""Opening inputs (compression told by leading bytes) and writing outputs atomically."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import stat
import sys
import tempfile
import zlib
from typing import BinaryIO, Iterator

from .errors import NewsingestError

# What a decompressor raises on a truncated or damaged stream.
CORRUPT_STREAM_ERRORS = (EOFError, OSError, lzma.LZMAError, zlib.error)

_MAGIC = (
    (b"\x1f\x8b", lambda f: gzip.GzipFile(fileobj=f)),
    (b"BZh", bz2.BZ2File),
    (b"\xfd7zXZ\x00", lzma.LZMAFile),
)


def open_input(path: str) -> BinaryIO:
    """Open a path, or standard input for ``-``, decompressing gzip, bz2 or xz.

    The format is told by the leading bytes, not the name, because stdin has none.
    """
    raw: BinaryIO = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]
    head = buffered.peek(6)[:6]  # type: ignore[attr-defined]
    opener = _decompressor(head)
    return opener(buffered) if opener else buffered  # type: ignore[return-value]


def _decompressor(head: bytes):
    """The opener for a stream starting with ``head``, or None when it is not compressed."""
    return next((opener for magic, opener in _MAGIC if head.startswith(magic)), None)


def is_compressed(path: str) -> bool:
    """Whether a file is gzip, bz2 or xz, by its leading bytes."""
    with open(path, "rb") as handle:
        return _decompressor(handle.read(6)) is not None


def decode_line(raw: bytes, path: str, lineno: int, offset: int, on_problem) -> str:
    """A line decoded as UTF-8; bytes that are not UTF-8 are reported with their place and replaced."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        from .errors import Problem

        on_problem(
            Problem(
                path, lineno, "not_utf8",
                f"bytes that are not UTF-8 at column {exc.start + 1} (byte offset {offset + exc.start}); "
                "replaced with U+FFFD — convert the file to UTF-8 to keep them",
            )
        )
        return raw.decode("utf-8", "replace")


def read_text_lines(stream: BinaryIO, path: str, on_problem) -> Iterator[str]:
    """Lines of a UTF-8 stream without their line ends."""
    offset = 0
    for lineno, raw in enumerate(stream, 1):
        yield decode_line(raw, path, lineno, offset, on_problem).rstrip("\r\n")
        offset += len(raw)


def _compressor_for(path: str):
    if path.endswith(".gz"):
        # The name and mtime are fixed so that the same records give the same bytes;
        # without `filename` gzip would record the temporary file's random name.
        return lambda f: gzip.GzipFile(filename=path, fileobj=f, mode="wb", mtime=0)
    if path.endswith(".bz2"):
        return lambda f: bz2.BZ2File(f, mode="wb")
    if path.endswith(".xz"):
        return lambda f: lzma.LZMAFile(f, mode="wb")
    return None


class OutputError(NewsingestError):
    """Writing an output failed (a full disk, a path that cannot be written); the message says where."""

    def __init__(self, where: str, exc: OSError):
        super().__init__(f"cannot write to {where}: {exc.strerror or exc}")
        self.where = where
        self.errno = exc.errno


class _Guarded:
    """A binary stream whose write errors name the output (a read error must not pass for one)."""

    def __init__(self, stream: BinaryIO, where: str):
        self._stream = stream
        self._where = where

    def write(self, data) -> int:
        try:
            return self._stream.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self._where, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(self._where, exc) from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


def drop_stdout() -> None:
    """Point stdout at the null device: what is still buffered could not be written, and the
    interpreter's last flush must not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


@contextlib.contextmanager
def _naming(where: str) -> Iterator[None]:
    try:
        yield
    except (BrokenPipeError, OutputError):
        raise
    except OSError as exc:
        raise OutputError(where, exc) from None


def _is_special(path: str) -> bool:
    """Whether ``path`` is a device or a pipe (``/dev/null``, ``/dev/stdout``): written in place,
    never replaced by a rename."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def open_output(path: str) -> Iterator[BinaryIO]:
    """Write to ``path`` atomically (``-`` is stdout), compressing by its extension.

    Data goes to a temporary file beside ``path`` and is renamed into place only
    when the block ends without an exception, so a failed run never leaves a
    half-written file under the output name. A device or a pipe is written in place.
    A write that fails raises :class:`OutputError`, which names the output.
    """
    if path == "-":
        out = _Guarded(sys.stdout.buffer, "standard output")
        try:
            yield out  # type: ignore[misc]
            out.flush()
        except OutputError:
            drop_stdout()
            raise
        return
    if _is_special(path):
        with _naming(path):
            handle = open(path, "wb")  # noqa: SIM115
        with handle:
            guarded = _Guarded(handle, path)
            compress = _compressor_for(path)
            if compress is None:
                yield guarded  # type: ignore[misc]
            else:
                with _naming(path), compress(guarded) as stream:
                    yield stream
            guarded.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    with _naming(path):
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            guarded = _Guarded(raw, path)
            compress = _compressor_for(path)
            if compress is None:
                yield guarded  # type: ignore[misc]
            else:
                with compress(guarded) as stream:
                    yield stream
            guarded.flush()
        with _naming(path):
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give it the usual mode
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
