"""Sharded output: `part-00000.jsonl.gz`, ... (or `part-00000.parquet`, ...) written atomically,
with a manifest for `--resume`.

A shard appears under its name only when it is complete (see `streams.atomic_file`). After each
shard the manifest (`.newsingest/manifest.json`, also replaced atomically) records the shards, the options
that shape the records and, for each input, how many of its records they hold, so that an
interrupted run can go on where the last complete shard ended and give the same shards a whole
run would. A resume with other inputs or other options is refused.

The manifest is in a hidden folder so that every loader of a folder of shards (`datasets`'
`data_dir`, DuckDB's and polars' `DIR/*`, a shell's or Python's glob) sees the shards only; the
`_manifest.json` beside the shards of newsingest 0.1 is still read by `--resume`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import NewsingestError
from ..lifecycle import CommitOrAbort
from ..signals import checkpoint
from .formats import JSONL, LineWriter, records_output, shard_name
from . import places
from .streams import OutputError, atomic_file

MANIFEST_FOLDER = ".newsingest"
MANIFEST = os.path.join(MANIFEST_FOLDER, "manifest.json")
OLD_MANIFEST = "_manifest.json"  # where newsingest 0.1 wrote it, beside the shards
DEFAULT_SHARD_SIZE = 256 * 10**6  # bytes of JSONL in a shard: `--shard-size 256MB`
# The units of a size, as users type them (case does not matter): decimal (KB, MB...), binary
# (KiB, MiB...), and single letters as GNU tools read them (`2G` is 2 GiB, as for `sort -S` or
# `head -c`). A number without a unit is bytes.
SIZE_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
              "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40,
              "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
MAX_SIZE = 2**62  # bytes: beyond any file, and still an exact integer everywhere
# Digits, maybe a decimal fraction, maybe spaces, then the unit: no sign, exponent or underscore.
_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?|\.[0-9]+) *([A-Za-z]*)")


def parse_size(text: str) -> int:
    """A size as users type it: `1000` (bytes), `100k`, `2G`, `512MiB`, `1GB`, `1.5GB`, from 1
    byte to MAX_SIZE; a fraction of a unit is rounded down to whole bytes (exactly: integers
    only). Refused: a fraction without a unit (`1.5`), scientific notation (`1e6`), signs, and
    whatever rounds down to 0."""
    match = _SIZE.fullmatch(text.strip()) if len(text) <= 64 else None
    unit = match[2].upper() if match else ""
    if match and unit in SIZE_UNITS:
        whole, _, fraction = match[1].partition(".")
        if not fraction or SIZE_UNITS[unit] > 1:
            scale = SIZE_UNITS[unit]
            size: int = int(whole or "0") * scale + int(fraction or "0") * scale // 10 ** len(fraction)
            if 1 <= size <= MAX_SIZE:
                return size
    raise ValueError(f"not a size: {text!r} (write a positive size such as 256MB, 512MiB or 2G)")


def shards_in(directory: str) -> Optional[int]:
    """How many shards the manifest of a shard folder lists (None when it cannot be read)."""
    try:
        return len(json.loads(places.read_bytes(places.join(directory, MANIFEST)))["shards"])
    except (OSError, ValueError, KeyError, TypeError, NewsingestError):
        return None


@dataclass
class _InputState:
    fingerprint: dict[str, Any]
    done: int = 0  # records of this input in complete shards
    complete: Optional[bool] = False  # None: complete once the shard being written is


class ManifestError(NewsingestError):
    """A shard folder that cannot be resumed: damaged, of another run, or of other options."""


@dataclass
class ShardedOutput(CommitOrAbort):
    """Writes JSONL lines into shards of about ``shard_size`` bytes of JSONL in ``directory``: gzip
    JSONL, or Parquet (``format``).

    ``options``: what shapes the records (a JSON-ready dict), compared on ``resume``; ``run``:
    the other options of this run, listed in the manifest's ``runs`` after those of the runs it
    resumes, with the version of newsingest.
    """

    directory: str
    shard_size: int
    inputs: list[str]
    resume: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    format: str = JSONL
    run: dict[str, Any] = field(default_factory=dict)
    _runs: list[dict[str, Any]] = field(default_factory=list)
    _states: list[_InputState] = field(default_factory=list)
    _shards: list[dict[str, Any]] = field(default_factory=list)
    _current: Optional[LineWriter] = None
    _stack: Optional[contextlib.ExitStack[Optional[bool]]] = None
    _current_bytes: int = 0
    _current_counts: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.resume and "-" in self.inputs:
            raise NewsingestError("--resume needs input files: standard input cannot be read again")
        try:
            places.makedirs(self.directory)
        except OSError as exc:
            raise OutputError(self.directory, exc) from None
        fingerprints = [places.fingerprint(p) for p in self.inputs]
        manifest_path = places.join(self.directory, MANIFEST)
        if not places.exists(manifest_path) and places.exists(places.join(self.directory, OLD_MANIFEST)):
            manifest_path = places.join(self.directory, OLD_MANIFEST)
        if self.resume and places.exists(manifest_path):
            manifest = self._read_manifest(manifest_path)
            saved = [entry["fingerprint"] for entry in manifest["inputs"]]
            if saved != fingerprints:
                raise ManifestError(
                    f"{self.directory}: the inputs differ from the interrupted run's; resume needs the same "
                    "inputs, unchanged, in the same order — or start afresh in an empty folder without --resume"
                )
            if (manifest["shard_size"] != self.shard_size or manifest.get("options", {}) != self.options
                    or manifest.get("format", JSONL) != self.format):
                raise ManifestError(
                    f"{self.directory}: the options differ from the interrupted run's "
                    f"({_differences(manifest, self.shard_size, self.options, self.format)}); resume with the "
                    "same options — or start afresh in an empty folder without --resume"
                )
            self._states = [_InputState(e["fingerprint"], e["done"], e["complete"]) for e in manifest["inputs"]]
            self._shards = manifest["shards"]
            self._runs = manifest.get("runs", [])
        else:
            existing = [n for n in places.listdir(self.directory)
                        if n.startswith("part-") or n in (MANIFEST_FOLDER, OLD_MANIFEST)]
            if existing:
                raise ManifestError(
                    f"{self.directory}: holds shards of another run ({existing[0]}, ...); "
                    "use --resume to go on with it, or an empty directory"
                )
            self._states = [_InputState(fp) for fp in fingerprints]
        from .. import __version__

        self._runs = [*self._runs, {"newsingest_version": __version__, "resume": self.resume, **self.run}]
        self._write_manifest()

    def _read_manifest(self, path: str) -> dict[str, Any]:
        try:
            manifest: dict[str, Any] = json.loads(places.read_bytes(path).decode("utf-8"))
            for entry in manifest["inputs"]:
                entry["fingerprint"], entry["done"], entry["complete"]  # noqa: B018 - each must be there
            manifest["shards"], manifest["shard_size"]  # noqa: B018
            if not isinstance(manifest.get("runs", []), list):
                raise TypeError("runs is not a list")
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
        current = self._current if self._current is not None else self._open()
        current.write(line)
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
        return shard_name(len(self._shards), self.format)

    def _open(self) -> LineWriter:
        stack = contextlib.ExitStack()
        current = self._current = stack.enter_context(
            records_output(places.join(self.directory, self._name()), self.format, self.options))
        self._stack = stack
        self._current_bytes = 0
        self._current_counts = {}
        return current

    def _close_shard(self) -> None:
        name = self._name()
        stack, self._stack, self._current = self._stack, None, None
        assert stack is not None  # called only while a shard is open
        stack.close()  # the shard is finished, synced and renamed into place
        self._shards.append({"name": name, "records": sum(self._current_counts.values())})
        for index, count in self._current_counts.items():
            self._states[index].done += count
        for state in self._states:
            if state.complete is None:
                state.complete = True
        self._write_manifest()

    def _write_manifest(self) -> None:
        manifest = {
            "format": self.format,
            "newsingest_version": self._runs[-1]["newsingest_version"],
            "runs": self._runs,
            "shard_size": self.shard_size,
            "options": self.options,
            "shards": self._shards,
            "inputs": [
                {"fingerprint": s.fingerprint, "done": s.done, "complete": bool(s.complete)} for s in self._states
            ],
        }
        where = places.join(self.directory, MANIFEST)
        try:
            places.makedirs(places.join(self.directory, MANIFEST_FOLDER))
        except OSError as exc:
            raise OutputError(where, exc) from None
        with atomic_file(where) as out:
            try:
                out.write(json.dumps(manifest, indent=1).encode("utf-8"))
            except OSError as exc:
                raise OutputError(where, exc) from None
        if not places.is_url(self.directory):
            with contextlib.suppress(FileNotFoundError):  # 0.1's manifest, now in its new place
                os.unlink(os.path.join(self.directory, OLD_MANIFEST))


def _differences(manifest: dict[str, Any], shard_size: int, options: dict[str, Any], format: str) -> str:
    saved = {"format": manifest.get("format", JSONL), "shard_size": manifest["shard_size"],
             **manifest.get("options", {})}
    now = {"format": format, "shard_size": shard_size, **options}
    changed = [f"{key}: {saved.get(key)!r} then, {now.get(key)!r} now" for key in sorted(set(saved) | set(now))
               if saved.get(key) != now.get(key)]
    return "; ".join(changed)
