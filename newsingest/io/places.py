"""Where inputs and outputs are: a local path, or a URL read and written through fsspec.

A URL (`s3://bucket/key`, `gs://`, `hf://`, `memory://`, `file://`; `https://` and `http://` for
input only) needs the optional extra `newsingest[cloud]` (gs:// and hf:// need `gcsfs` and
`huggingface_hub` besides). Any other scheme, or a read-only scheme as an output, is a usage error
naming what is supported: never a local file or folder named after the URL.

An object is written atomically: under a hidden temporary key beside its name
(`.NAME.XXXXXXXX.tmp`), moved to its name once complete, and deleted when the run fails or is
stopped; a reader never finds half an object under the final name. Credentials and endpoints are
fsspec's and its backends' (for S3: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL,
AWS_PROFILE, ...).

Shards use the folder calls here (`makedirs`, `listdir`, `exists`, `join`, `read_bytes`,
`fingerprint`), which are plain `os` calls for a local path.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import secrets
from typing import Any, BinaryIO, Callable, Optional, TypeVar

from ..errors import MissingExtra, OptionsConflict

INPUT_SCHEMES = ("s3", "gs", "hf", "memory", "file", "https", "http")
OUTPUT_SCHEMES = ("s3", "gs", "hf", "memory", "file")
# What a scheme needs beyond the `cloud` extra.
_BACKENDS = {"gs": "gcsfs", "hf": "huggingface_hub"}
# Object stores have no folders: a key's prefix needs no making (and a missing bucket is not created).
_FOLDERS = ("memory", "file")
READ_BLOCK = 8 * 2**20  # bytes fetched at a time from a remote object

_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
# What tells a version of an object from another, by backend (S3, GCS, the Hugging Face Hub).
_VERSION_KEYS = ("ETag", "etag", "generation", "blob_id")
_NAME_BYTES = 160  # of a file's own name in its temporary name (a name may have 255 bytes at most)

T = TypeVar("T")


def scheme(path: str) -> Optional[str]:
    """The scheme of a URL (`s3`), lower case; None for a local path or ``-``."""
    match = _URL.match(path)
    return match.group(1).lower() if match else None


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``scheme://...``) rather than a local path."""
    return scheme(path) is not None


def temporary_name(name: str) -> str:
    """A hidden temporary name beside ``name``, short enough whatever the script of ``name``:
    the name is cut by bytes (a Persian letter takes two), never inside a character."""
    short = name.encode("utf-8", "surrogateescape")[:_NAME_BYTES].decode("utf-8", "ignore")
    return f".{short}.{secrets.token_hex(4)}.tmp"


# --- checks, before anything is read or written ------------------------------------------------------


def _schemes(schemes: tuple[str, ...]) -> str:
    return ", ".join(f"{name}://" for name in schemes)


def check_input(path: str) -> None:
    """A URL input whose scheme is supported, whose backend is installed and which exists
    (OptionsConflict or MissingExtra otherwise); a local path or ``-`` is not checked here."""
    if not is_url(path):
        return
    _check_readable(path)
    fs, inner = _filesystem(path)
    if not _remote(path, fs.isfile, inner):
        raise OptionsConflict(f"{path}: no such object — check the URL, and that the credentials "
                              "in use can see it")


def check_output(path: str) -> None:
    """A URL output whose scheme can be written and whose backend is installed (OptionsConflict or
    MissingExtra otherwise); a local path or ``-`` is not checked here."""
    kind = scheme(path)
    if kind is None:
        return
    if kind not in OUTPUT_SCHEMES:
        read_only = " (read only)" if kind in INPUT_SCHEMES else ""
        raise OptionsConflict(f"{path}: cannot write to {kind}:// URLs{read_only}; outputs are local paths, - or "
                              f"URLs {_schemes(OUTPUT_SCHEMES)}")
    _filesystem(path)


def _filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of a URL and the path inside it; MissingExtra without its backend."""
    kind = scheme(url) or "file"
    try:
        from fsspec.core import url_to_fs

        return url_to_fs(url)  # type: ignore[no-any-return]  # fsspec has no type hints
    except ImportError:
        extra = f" {_BACKENDS[kind]}" if kind in _BACKENDS else ""
        raise MissingExtra(f"{url}: {kind}:// URLs need fsspec and its {kind} backend: "
                           f"pip install 'newsingest[cloud]'{extra}") from None


def _remote(url: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A call of a file system backend; what it raises that is not an OSError (a refused
    credential, a client error) becomes one, with the backend's words."""
    try:
        return call(*args, **kwargs)
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - each backend has exceptions of its own
        raise OSError(f"{type(exc).__name__}: {exc}") from None


# --- reading -------------------------------------------------------------------------------------------


def open_raw(path: str) -> BinaryIO:
    """The bytes of an input as they are stored: a local file, or a remote object read a block at
    a time (seekable where the backend allows). OSError when it cannot be read."""
    if not is_url(path):
        return open(path, "rb")  # noqa: SIM115
    _check_readable(path)
    fs, inner = _filesystem(path)
    return _remote(path, fs.open, inner, "rb", block_size=READ_BLOCK)  # type: ignore[no-any-return]  # fsspec: untyped


def _check_readable(path: str) -> None:
    kind = scheme(path)
    if kind not in INPUT_SCHEMES:
        raise OptionsConflict(f"{path}: cannot read {kind}:// URLs; inputs are local files, - or URLs "
                              f"{_schemes(INPUT_SCHEMES)}")


def read_bytes(path: str) -> bytes:
    """The whole of a small file or object (a manifest)."""
    with open_raw(path) as handle:
        return handle.read()


def fingerprint(path: str) -> dict[str, Any]:
    """What tells an input unchanged since an earlier run: its size and modification time (a local
    file), its size and version (an object: its ETag, generation or blob id, else its modification time)."""
    if path == "-":
        return {"path": "-"}
    if not is_url(path):
        info = os.stat(path)
        return {"path": path, "size": info.st_size, "mtime_ns": info.st_mtime_ns}
    fs, inner = _filesystem(path)
    with contextlib.suppress(AttributeError):
        fs.invalidate_cache(inner)
    info = _remote(path, fs.info, inner)
    version = next((str(info[key]) for key in _VERSION_KEYS if info.get(key)), None)
    if version is None:
        with contextlib.suppress(Exception):
            version = _remote(path, fs.modified, inner).isoformat()
    return {"path": path, "size": info.get("size"), "version": version}


# --- folders (of shards) ----------------------------------------------------------------------------------


def join(folder: str, name: str) -> str:
    return posixpath.join(folder, name) if is_url(folder) else os.path.join(folder, name)


def makedirs(folder: str) -> None:
    """A folder made if missing (on an object store, a prefix needs no making)."""
    if not is_url(folder):
        os.makedirs(folder, exist_ok=True)
        return
    check_output(folder)
    if scheme(folder) in _FOLDERS:
        fs, inner = _filesystem(folder)
        _remote(folder, fs.makedirs, inner.rstrip("/") or inner, exist_ok=True)


def exists(path: str) -> bool:
    if not is_url(path):
        return os.path.exists(path)
    fs, inner = _filesystem(path)
    with contextlib.suppress(AttributeError):
        fs.invalidate_cache(inner)
    return bool(_remote(path, fs.exists, inner))


def listdir(folder: str) -> list[str]:
    """The names in a folder (under a prefix); none when it does not exist yet."""
    if not is_url(folder):
        return os.listdir(folder)
    fs, inner = _filesystem(folder)
    inner = inner.rstrip("/")
    with contextlib.suppress(AttributeError):
        fs.invalidate_cache(inner)
    try:
        entries = _remote(folder, fs.ls, inner, detail=False)
    except FileNotFoundError:
        return []
    return sorted(posixpath.basename(str(entry).rstrip("/")) for entry in entries)


# --- atomic objects -----------------------------------------------------------------------------------------


class AtomicObject:
    """An object written under a hidden temporary key beside ``url``, then moved to ``url`` by
    `commit`; `discard` deletes the temporary key. Every failure is an OSError."""

    def __init__(self, url: str) -> None:
        check_output(url)
        self.url = url
        self._fs, self._final = _filesystem(url)
        parent, name = posixpath.split(self._final)
        self._temp = posixpath.join(parent, temporary_name(name))
        self.handle: BinaryIO = _remote(url, self._fs.open, self._temp, "wb")

    def commit(self) -> None:
        """The object complete under its name, the temporary key gone."""
        _remote(self.url, self.handle.close)
        _remote(self.url, self._fs.mv, self._temp, self._final)

    def discard(self) -> None:
        """The upload abandoned and the temporary key deleted, whatever state they are in."""
        discard = getattr(self.handle, "discard", None)
        with contextlib.suppress(Exception):
            if discard is not None:
                discard()  # a multipart upload is aborted, its buffer dropped
            with contextlib.suppress(AttributeError):
                self.handle.closed = True  # type: ignore[misc] # nothing more is sent on close
        with contextlib.suppress(Exception):
            if self._fs.exists(self._temp):
                self._fs.rm(self._temp)
