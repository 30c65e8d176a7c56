"""Opening inputs (compression told by leading bytes) and writing outputs atomically.

An output file is written under no name at all while it grows (Linux's O_TMPFILE; elsewhere a
hidden temporary name beside it) and appears under its name only when it is complete, synced
to disk: a run that fails, is stopped by a signal or even killed never leaves a partial file,
and a file that exists survives a power cut.
"""

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
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterator, Optional, TypeVar, Union, cast

from ..errors import NewsingestError, Problem

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
from .formats import compression_of
from . import gz, zstd
from .places import AtomicObject, is_url, open_raw, temporary_name

# The byte order mark some tools write before UTF-8 text: allowed before the first line of an input.
UTF8_BOM = b"\xef\xbb\xbf"

# What a decompressor raises on a truncated or damaged stream.
CORRUPT_STREAM_ERRORS = (EOFError, OSError, lzma.LZMAError, zlib.error)

# A stream of bytes in, a stream of bytes out: a decompressing reader or a compressing writer.
_Opener = Callable[[BinaryIO], BinaryIO]

_MAGIC: tuple[tuple[bytes, _Opener], ...] = (
    (b"\x1f\x8b", lambda f: cast(BinaryIO, gzip.GzipFile(fileobj=f))),
    (b"BZh", lambda f: cast(BinaryIO, bz2.BZ2File(f))),
    (b"\xfd7zXZ\x00", lambda f: cast(BinaryIO, lzma.LZMAFile(f))),
    (zstd.MAGIC, zstd.reader),
)


class InputError(NewsingestError):
    """An input that cannot be read at all (closed standard input, a file that went away)."""


def standard_input() -> BinaryIO:
    """Standard input as a binary stream; a clear error when it was closed (`<&-`)."""
    if sys.stdin is None:
        raise InputError("cannot read standard input: it is closed — give an input file, or pipe data in")
    return sys.stdin.buffer


def read_past(readline: Callable[[int], bytes], held: list[bytes], chunk: int = 1 << 20) -> int:
    """The length of a line too long to hold, its rest read a piece at a time. ``held`` holds the
    start of the line, already read; it is emptied first, so that the start is not kept meanwhile."""
    line = held.pop()
    length = len(line)
    while not line.endswith(b"\n"):
        line = readline(chunk)
        if not line:
            break
        length += len(line)
    return length


def cannot_read(path: str, exc: OSError) -> InputError:
    return InputError(f"{path}: cannot read: {exc.strerror or exc}")


@contextlib.contextmanager
def reading(path: str, counted: Optional[Callable[[int], None]] = None) -> Iterator[BinaryIO]:
    """An input opened as `open_input` does, closed after the block (standard input stays open);
    a file that cannot be opened is an InputError naming it."""
    try:
        stream = open_input(path, counted)
    except OSError as exc:
        raise cannot_read(path, exc) from None
    try:
        yield stream
    finally:
        if path != "-":
            stream.close()


def open_input(path: str, counted: Optional[Callable[[int], None]] = None) -> BinaryIO:
    """Open a path, a URL, or standard input for ``-``, decompressing gzip, bz2, xz or zstd.

    The format is told by the leading bytes, not the name, because stdin has none. ``counted``
    is told of every piece of bytes taken from the input as stored (progress).
    """
    raw: BinaryIO = standard_input() if path == "-" else open_raw(path)
    if counted is not None:
        raw = cast(BinaryIO, Counted(raw, counted, owned=path != "-"))
    return open_stream(raw)


def open_stream(raw: BinaryIO) -> BinaryIO:
    """A binary stream, decompressed when its leading bytes say gzip, bz2, xz or zstd."""
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(cast(io.RawIOBase, raw))
    head = buffered.peek(6)[:6]
    opener = _decompressor(head)
    return opener(buffered) if opener else buffered


def _decompressor(head: bytes) -> Optional[_Opener]:
    """The opener for a stream starting with ``head``, or None when it is not compressed."""
    return next((opener for magic, opener in _MAGIC if head.startswith(magic)), None)


def is_compressed(path: str) -> bool:
    """Whether a file is gzip, bz2, xz or zstd, by its leading bytes."""
    with open(path, "rb") as handle:
        return _decompressor(handle.read(6)) is not None


# What a reader does with bytes that are not UTF-8 when it reads on: said the same way everywhere.
REPLACED_NOT_UTF8 = "; replaced with U+FFFD — convert the file to UTF-8 to keep them"


def bad_bytes_place(column: Optional[int], offset: int, more: int = 0) -> str:
    """Where bytes that do not decode are, in the words of every message about them."""
    where = f"at column {column} (byte offset {offset})" if column is not None else f"at byte offset {offset}"
    return where + (f" and {more} more on this line" if more else "")


def not_utf8(
    path: str, lineno: int, column: Optional[int], offset: int, what_to_do: str, more: int = 0
) -> Problem:
    """The one message for bytes that are not UTF-8, wherever they are found."""
    where = bad_bytes_place(column, offset, more)
    return Problem(path, lineno, "not_utf8", f"bytes that are not UTF-8 {where}{what_to_do}")


def decode_line(raw: bytes, path: str, lineno: int, offset: int, on_problem: Callable[[Problem], None]) -> str:
    """A line decoded as UTF-8; bytes that are not UTF-8 are reported with their place and replaced."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        on_problem(not_utf8(path, lineno, exc.start + 1, offset + exc.start, REPLACED_NOT_UTF8))
        return raw.decode("utf-8", "replace")


def read_text_lines(stream: BinaryIO, path: str, on_problem: Callable[[Problem], None]) -> Iterator[str]:
    """Lines of a UTF-8 stream without their line ends."""
    offset = 0
    for lineno, raw in enumerate(stream, 1):
        yield decode_line(raw, path, lineno, offset, on_problem).rstrip("\r\n")
        offset += len(raw)


def _compressor_for(path: str) -> Optional[_Opener]:
    """The compressor an output's name asks for (`formats.COMPRESSIONS`), None for none."""
    compression = compression_of(path)
    if compression == "gzip":
        return gz.writer  # no name, mtime 0: the same records give the same bytes (`io.gz`)
    if compression == "bz2":
        return lambda f: cast(BinaryIO, bz2.BZ2File(f, mode="wb"))
    if compression == "xz":
        return lambda f: cast(BinaryIO, lzma.LZMAFile(f, mode="wb"))
    if compression == "zstd":
        return zstd.writer
    return None


class OutputError(NewsingestError):
    """Writing an output failed (a full disk, a path that cannot be written); the message says where."""

    def __init__(self, where: str, exc: Union[OSError, str]):
        reason = exc if isinstance(exc, str) else (exc.strerror or str(exc))
        super().__init__(f"cannot write to {where}: {reason}")
        self.where = where
        self.errno = None if isinstance(exc, str) else exc.errno


_T = TypeVar("_T")


class _Guarded:
    """A binary stream whose write errors name the output (a read error must not pass for one)."""

    def __init__(self, stream: BinaryIO, where: str):
        self._stream = stream
        self._where = where

    def write(self, data: bytes) -> int:
        return self._guarded(self._stream.write, data)

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    def _guarded(self, call: Callable[..., _T], *args: object) -> _T:
        try:
            return call(*args)
        except BrokenPipeError:  # the reader went away: not a failed write
            raise
        except OSError as exc:
            raise OutputError(self._where, exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def drop_stdout() -> None:
    """Point stdout at the null device: what is still buffered could not be written, and the
    interpreter's last flush must not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def standard_output() -> BinaryIO:
    """Standard output as a guarded binary stream; a clear error when it was closed (`>&-`)."""
    if sys.stdout is None:
        raise OutputError("standard output", "it is closed — give -o FILE, or leave standard output open")
    return cast(BinaryIO, _Guarded(sys.stdout.buffer, "standard output"))


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

    The file appears under ``path`` only when the block ends without an exception (see
    :func:`atomic_file`). A device or a pipe is written in place. A write that fails raises
    :class:`OutputError`, which names the output.
    """
    if path == "-":
        out = standard_output()
        try:
            yield out
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
            with _compressing(path, cast(BinaryIO, guarded)) as stream:
                yield stream
            guarded.flush()
        return
    with atomic_file(path) as raw, _compressing(path, cast(BinaryIO, _Guarded(raw, path))) as stream:
        yield stream


@contextlib.contextmanager
def _compressing(path: str, guarded: BinaryIO) -> Iterator[BinaryIO]:
    compress = _compressor_for(path)
    if compress is None:
        yield guarded
        return
    with _naming(path), compress(guarded) as stream:
        yield stream


# --- atomic files ---------------------------------------------------------------------------------

_AT_FDCWD = -100
_AT_SYMLINK_FOLLOW = 0x400


def default_mode() -> int:
    """The mode a new file gets: 0666 less the umask, as any program's new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _link_anonymous(fd: int, dir_fd: Optional[int], name: str) -> None:
    """Give the unnamed file open as ``fd`` a name (linkat through /proc, which follows the link)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    source = f"/proc/self/fd/{fd}".encode()
    target = os.fsencode(name)
    if libc.linkat(_AT_FDCWD, source, _AT_FDCWD if dir_fd is None else dir_fd, target, _AT_SYMLINK_FOLLOW) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


class AtomicFile:
    """A file written in full before it gets its name, then synced and renamed into place.

    On Linux it is created with O_TMPFILE (no name, so nothing is left behind even if the
    process is killed) and linked under a temporary name only to be renamed at once; elsewhere,
    or where the file system refuses that, it is written under a hidden temporary name.
    ``dir_fd``: the folder, as an open descriptor (names are then relative to it).
    """

    def __init__(self, directory: str, name: str, mode: int, dir_fd: Optional[int] = None):
        self.directory, self.name, self.mode, self.dir_fd = directory, name, mode, dir_fd
        self._temp: Optional[str] = None
        self.fd: Optional[int] = self._anonymous()
        if self.fd is None:
            self._temp = temporary_name(name)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            self.fd = os.open(self._path(self._temp), flags, 0o600, dir_fd=dir_fd)

    def _path(self, name: str) -> str:
        return name if self.dir_fd is not None else os.path.join(self.directory, name)

    def _anonymous(self) -> Optional[int]:
        flag = getattr(os, "O_TMPFILE", None)
        if flag is None or not os.path.isdir("/proc/self/fd"):
            return None
        try:
            where = "." if self.dir_fd is not None else self.directory
            return os.open(where, flag | os.O_WRONLY, 0o600, dir_fd=self.dir_fd)
        except OSError:  # a file system without O_TMPFILE: a named temporary file instead
            return None

    def commit(self) -> None:
        """Sync the data, set the mode, and put the file under its name (replacing what was there)."""
        fd = self.fd
        assert fd is not None  # open until it is closed, which comes after the commit
        os.fsync(fd)
        os.fchmod(fd, self.mode)
        if self._temp is None:
            temp = temporary_name(self.name)
            _link_anonymous(fd, self.dir_fd, self._path(temp))
            self._temp = temp
        os.replace(self._path(self._temp), self._path(self.name),
                   src_dir_fd=self.dir_fd, dst_dir_fd=self.dir_fd)
        self._temp = None
        _sync_folder(self.directory, self.dir_fd)

    def discard(self) -> None:
        """Remove the temporary file (a file without a name is gone once closed)."""
        if self._temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._path(self._temp), dir_fd=self.dir_fd)
            self._temp = None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        """Committed when the block succeeds, discarded when it does not; closed either way."""
        try:
            if exc_type is not None:
                self.discard()
                return
            try:
                self.commit()
            except BaseException:
                self.discard()
                raise
        finally:
            self.close()


def _sync_folder(directory: str, dir_fd: Optional[int]) -> None:
    """Sync the folder, so that the new name itself survives a power cut."""
    with contextlib.suppress(OSError):
        fd = os.open(".", os.O_RDONLY, dir_fd=dir_fd) if dir_fd is not None else os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def output_path(path: str) -> str:
    """Where writing ``path`` really goes: through a symbolic link to the file it points to."""
    return os.path.realpath(path) if os.path.islink(path) else path


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[BinaryIO]:
    """A binary stream whose data appears at ``path`` only when the block ends without an exception.

    A symbolic link at ``path`` is written through (its target is replaced, the link stays). An
    existing file keeps its mode; a new one gets the usual mode (0666 less the umask). Errors
    raise :class:`OutputError` naming ``path``. A URL is written as a `places.AtomicObject`.
    """
    if is_url(path):
        with _naming(path):
            remote = AtomicObject(path)
        try:
            yield remote.handle
            with _naming(path):
                remote.commit()
        except BaseException:
            remote.discard()
            raise
        return
    target = output_path(path)
    directory, name = os.path.split(os.path.abspath(target))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = default_mode()
    with _naming(path):
        temp = AtomicFile(directory, name, mode)
    assert temp.fd is not None  # an AtomicFile is open until it is closed or aborted
    raw = os.fdopen(temp.fd, "wb", closefd=False)
    try:
        yield raw
        with _naming(path):
            raw.close()  # what is buffered is written: a full disk may show only now
            temp.commit()
    except BaseException:
        with contextlib.suppress(OSError):
            raw.close()
        temp.discard()
        raise
    finally:
        temp.close()


def spool(raw: BinaryIO, chunk: int = 1 << 20) -> BinaryIO:
    """A copy of a stream that can be read only once (a pipe, a FIFO, standard input) in an
    unnamed temporary file, read back from its start: nothing of it is left on disk when the
    process ends, however it ends."""
    copy = tempfile.TemporaryFile(prefix="newsingest-spool-")
    try:
        while data := raw.read(chunk):
            copy.write(data)
        copy.flush()
    except BaseException:
        copy.close()
        raise
    return copy


class RawReader(io.RawIOBase):
    """A raw binary reader; subclasses give `readinto`."""

    def readable(self) -> bool:
        return True


class Counted(RawReader):
    """A reader that tells ``counted`` how many bytes each read took from ``stream``; it closes
    ``stream`` when it is closed only if it ``owned`` it (standard input stays open)."""

    def __init__(self, stream: BinaryIO, counted: Callable[[int], None], owned: bool = True):
        self._stream = stream
        # typing.BinaryIO has no readinto, though every binary file (io.BufferedIOBase, RawIOBase) has
        self._read = getattr(stream, "readinto1", None) or stream.readinto  # type: ignore[attr-defined]
        self._counted = counted
        self._owned = owned

    def readinto(self, buffer: WriteableBuffer) -> int:
        size = self._read(buffer)  # one read at most: a pipe gives what it has
        if size:
            self._counted(size)
        return size or 0

    def close(self) -> None:
        if self._owned and not self.closed:
            self._stream.close()
        super().close()


class PositionalReader(RawReader):
    """A reader of an open file with a position of its own (``os.pread``), so that several readers
    of one spooled file never move each other's place."""

    def __init__(self, fd: int):
        self._fd = fd
        self._pos = 0

    def readinto(self, buffer: WriteableBuffer) -> int:
        with memoryview(buffer) as view:
            data = os.pread(self._fd, view.nbytes, self._pos)
            view[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        start = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: os.fstat(self._fd).st_size}[whence]
        self._pos = max(0, start + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos
