"""Sharded output: `part-00000.jsonl.gz`, ... written atomically, with a manifest for `--resume`.

A shard appears under its name only when it is complete (see `streams.atomic_file`). After each
shard the manifest (`_manifest.json`, also replaced atomically) records the shards, the options
that shape the records and, for each input, how many of its records they hold, so that an
interrupted run can go on where the last complete shard ended and give the same shards a whole
run would. A resume with other inputs or other options is refused.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import os
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import NewsingestError
from ..lifecycle import CommitOrAbort
from ..signals import checkpoint
from .streams import OutputError, atomic_file

MANIFEST = "_manifest.json"
DEFAULT_SHARD_SIZE = 256 * 10**6  # bytes of JSONL in a shard: `--shard-size 256MB`
SHARD_NAME = "part-{:05d}.jsonl.gz"
# Decimal units (KB, MB...), binary ones (KiB, MiB...), and single letters as GNU tools read
# them (`2G` is 2 GiB, as for `sort -S` or `head -c`).
_SIZE_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
               "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40,
               "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
MAX_SIZE = 2**62  # bytes: beyond any file, and still an exact integer everywhere


def parse_size(text: str) -> int:
    """`256MB`, `1GB`, `500KiB`, `2G` or a number of bytes, from 1 byte to MAX_SIZE."""
    value = text.strip().upper().replace(" ", "")
    number = value.rstrip("KMGTIB")
    unit = value[len(number) :]
    try:
        amount = float(number)
    except ValueError:
        amount = math.nan
    if not (amount > 0 and math.isfinite(amount)) or unit not in _SIZE_UNITS or amount * _SIZE_UNITS[unit] > MAX_SIZE:
        raise ValueError(f"not a size: {text!r} (write a positive size such as 256MB, 512MiB or 2G)")
    return max(1, int(amount * _SIZE_UNITS[unit]))


def _fingerprint(path: str) -> dict:
    if path == "-":
        return {"path": "-"}
    stat = os.stat(path)
    return {"path": path, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def shards_in(directory: str) -> Optional[int]:
    """How many shards the manifest of a shard folder lists (None when it cannot be read)."""
    try:
        with open(os.path.join(directory, MANIFEST), encoding="utf-8") as handle:
            return len(json.load(handle)["shards"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class _InputState:
    fingerprint: dict
    done: int = 0  # records of this input in complete shards
    complete: Optional[bool] = False  # None: complete once the shard being written is


class ManifestError(NewsingestError):
    """A shard folder that cannot be resumed: damaged, of another run, or of other options."""


@dataclass
class ShardedOutput(CommitOrAbort):
    """Writes JSONL lines into gzip shards of about ``shard_size`` bytes (uncompressed) in ``directory``.

    ``options``: what shapes the records (a JSON-ready dict), compared on ``resume``.
    """

    directory: str
    shard_size: int
    inputs: list[str]
    resume: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    _states: list[_InputState] = field(default_factory=list)
    _shards: list[dict] = field(default_factory=list)
    _current: Optional[Any] = None
    _stack: Optional[contextlib.ExitStack] = None
    _current_bytes: int = 0
    _current_counts: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.resume and "-" in self.inputs:
            raise NewsingestError("--resume needs input files: standard input cannot be read again")
        try:
            os.makedirs(self.directory, exist_ok=True)
        except OSError as exc:
            raise OutputError(self.directory, exc) from None
        fingerprints = [_fingerprint(p) for p in self.inputs]
        manifest_path = os.path.join(self.directory, MANIFEST)
        if self.resume and os.path.exists(manifest_path):
            manifest = self._read_manifest(manifest_path)
            saved = [entry["fingerprint"] for entry in manifest["inputs"]]
            if saved != fingerprints:
                raise ManifestError(
                    f"{self.directory}: the inputs differ from the interrupted run's; resume needs the same "
                    "inputs, unchanged, in the same order — or start afresh in an empty folder without --resume"
                )
            if manifest["shard_size"] != self.shard_size or manifest.get("options", {}) != self.options:
                raise ManifestError(
                    f"{self.directory}: the options differ from the interrupted run's "
                    f"({_differences(manifest, self.shard_size, self.options)}); resume with the same options "
                    "— or start afresh in an empty folder without --resume"
                )
            self._states = [_InputState(e["fingerprint"], e["done"], e["complete"]) for e in manifest["inputs"]]
            self._shards = manifest["shards"]
        else:
            existing = [n for n in os.listdir(self.directory) if n.startswith("part-") or n == MANIFEST]
            if existing:
                raise ManifestError(
                    f"{self.directory}: holds shards of another run ({existing[0]}, ...); "
                    "use --resume to go on with it, or an empty directory"
                )
            self._states = [_InputState(fp) for fp in fingerprints]
            self._write_manifest()

    def _read_manifest(self, path: str) -> dict:
        try:
            with open(path, encoding="utf-8") as handle:
                manifest = json.load(handle)
            for entry in manifest["inputs"]:
                entry["fingerprint"], entry["done"], entry["complete"]  # noqa: B018 - each must be there
            manifest["shards"], manifest["shard_size"]  # noqa: B018
            return manifest
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ManifestError(
                f"{path}: the manifest is damaged ({type(exc).__name__}: {exc}); the run cannot be resumed "
                "— start afresh in an empty folder without --resume"
            ) from None

    # --- what is already done -------------------------------------------------------------

    def skip(self, input_index: int) -> Optional[int]:
        """Records of an input already in complete shards; None when the whole input is done."""
        state = self._states[input_index]
        return None if state.complete else state.done

    # --- writing ----------------------------------------------------------------------------

    def write(self, input_index: int, line: bytes) -> None:
        checkpoint()
        if self._current is None:
            self._open()
        self._current.write(line)
        self._current_bytes += len(line)
        self._current_counts[input_index] = self._current_counts.get(input_index, 0) + 1
        if self._current_bytes >= self.shard_size:
            self._close_shard()

    def written_elsewhere(self, shards: list[tuple[str, int]]) -> None:
        """Shards written by others (the workers of a cluster), named and counted, in order: the
        manifest lists them, and every input is complete."""
        self._shards = [{"name": name, "records": records} for name, records in shards]
        for state in self._states:
            state.complete = True
        self._write_manifest()

    def input_done(self, input_index: int) -> None:
        """The input has no more records; it is complete once the shard holding its last ones is."""
        self._states[input_index].complete = None  # complete when the current shard closes
        if self._current is None:
            self._states[input_index].complete = True
            self._write_manifest()

    def close(self) -> None:
        if self._current is not None:
            self._close_shard()
        self._write_manifest()

    def abort(self) -> None:
        """Drop the shard being written; complete shards and the manifest stay for --resume."""
        stack, self._stack, self._current = self._stack, None, None
        if stack is not None:
            with contextlib.suppress(Exception):
                stack.__exit__(Exception, Exception("aborted"), None)


    # --- inside -------------------------------------------------------------------------------

    def _name(self) -> str:
        return SHARD_NAME.format(len(self._shards))

    def _open(self) -> None:
        name = self._name()
        stack = contextlib.ExitStack()
        raw = stack.enter_context(atomic_file(os.path.join(self.directory, name)))
        self._current = stack.enter_context(_guarded_gzip(raw, name, os.path.join(self.directory, name)))
        self._stack = stack
        self._current_bytes = 0
        self._current_counts = {}

    def _close_shard(self) -> None:
        name = self._name()
        stack, self._stack, self._current = self._stack, None, None
        stack.close()  # the gzip stream ends, the file is synced and renamed into place
        self._shards.append({"name": name, "records": sum(self._current_counts.values())})
        for index, count in self._current_counts.items():
            self._states[index].done += count
        for state in self._states:
            if state.complete is None:
                state.complete = True
        self._write_manifest()

    def _write_manifest(self) -> None:
        manifest = {
            "shard_size": self.shard_size,
            "options": self.options,
            "shards": self._shards,
            "inputs": [
                {"fingerprint": s.fingerprint, "done": s.done, "complete": bool(s.complete)} for s in self._states
            ],
        }
        with atomic_file(os.path.join(self.directory, MANIFEST)) as out:
            try:
                out.write(json.dumps(manifest, indent=1).encode("utf-8"))
            except OSError as exc:
                raise OutputError(os.path.join(self.directory, MANIFEST), exc) from None


@contextlib.contextmanager
def _guarded_gzip(raw, name: str, where: str):
    """A gzip stream whose failures name the shard (a full disk while it is written or finished)."""
    try:
        with gzip.GzipFile(filename=name, fileobj=raw, mode="wb", mtime=0) as stream:
            yield _Writes(stream, where)
    except OSError as exc:
        raise OutputError(where, exc) from None


class _Writes:
    def __init__(self, stream, where: str):
        self._stream, self._where = stream, where

    def write(self, data: bytes) -> None:
        try:
            self._stream.write(data)
        except OSError as exc:
            raise OutputError(self._where, exc) from None


def _differences(manifest: dict, shard_size: int, options: dict) -> str:
    saved = {"shard_size": manifest["shard_size"], **manifest.get("options", {})}
    now = {"shard_size": shard_size, **options}
    changed = [f"{key}: {saved.get(key)!r} then, {now.get(key)!r} now" for key in sorted(set(saved) | set(now))
               if saved.get(key) != now.get(key)]
    return "; ".join(changed)
