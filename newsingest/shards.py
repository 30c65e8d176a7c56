"""Sharded output: `part-00000.jsonl.gz`, ... written atomically, with a manifest for `--resume`.

A shard appears under its name only when it is complete (written to a temporary file, then
renamed). After each shard the manifest (`_manifest.json`, also replaced atomically) records
the shards and, for each input, how many of its records they hold, so that an interrupted run
can go on where the last complete shard ended and give the same shards a whole run would.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Optional

from .errors import NewsingestError

MANIFEST = "_manifest.json"
_SIZE_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}


def parse_size(text: str) -> int:
    """`256MB`, `1GB`, `500KiB` or a number of bytes."""
    value = text.strip().upper().replace(" ", "")
    number = value.rstrip("KMGIB")
    unit = value[len(number) :]
    try:
        amount = float(number)
    except ValueError:
        amount = -1.0
    if amount <= 0 or unit not in _SIZE_UNITS:
        raise ValueError(f"not a size: {text!r} (write it like 256MB or 1GB)")
    return int(amount * _SIZE_UNITS[unit])


def _fingerprint(path: str) -> dict:
    if path == "-":
        return {"path": "-"}
    stat = os.stat(path)
    return {"path": path, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


@dataclass
class _InputState:
    fingerprint: dict
    done: int = 0  # records of this input in complete shards
    complete: bool = False


@dataclass
class ShardedOutput:
    """Writes JSONL lines into gzip shards of about ``shard_size`` bytes (uncompressed) in ``directory``."""

    directory: str
    shard_size: int
    inputs: list[str]
    resume: bool = False
    _states: list[_InputState] = field(default_factory=list)
    _shards: list[dict] = field(default_factory=list)
    _current: Optional[object] = None
    _current_tmp: Optional[str] = None
    _current_bytes: int = 0
    _current_counts: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        os.makedirs(self.directory, exist_ok=True)
        fingerprints = [_fingerprint(p) for p in self.inputs]
        manifest_path = os.path.join(self.directory, MANIFEST)
        if self.resume and "-" in self.inputs:
            raise NewsingestError("--resume needs input files: standard input cannot be read again")
        if self.resume and os.path.exists(manifest_path):
            with open(manifest_path, encoding="utf-8") as handle:
                manifest = json.load(handle)
            saved = [entry["fingerprint"] for entry in manifest["inputs"]]
            if saved != fingerprints or manifest["shard_size"] != self.shard_size:
                raise NewsingestError(
                    f"{self.directory}: the inputs or --shard-size differ from the interrupted run's; "
                    "resume needs the same inputs, in the same order — or start afresh without --resume"
                )
            self._states = [_InputState(e["fingerprint"], e["done"], e["complete"]) for e in manifest["inputs"]]
            self._shards = manifest["shards"]
        else:
            existing = [n for n in os.listdir(self.directory) if n.startswith("part-") or n == MANIFEST]
            if existing:
                raise NewsingestError(
                    f"{self.directory}: holds shards of another run ({existing[0]}, ...); "
                    "use --resume to go on with it, or an empty directory"
                )
            self._states = [_InputState(fp) for fp in fingerprints]
            self._write_manifest()

    # --- what is already done -------------------------------------------------------------

    def skip(self, input_index: int) -> Optional[int]:
        """Records of an input already in complete shards; None when the whole input is done."""
        state = self._states[input_index]
        return None if state.complete else state.done

    # --- writing ----------------------------------------------------------------------------

    def write(self, input_index: int, line: bytes) -> None:
        if self._current is None:
            self._open()
        self._current.write(line)
        self._current_bytes += len(line)
        self._current_counts[input_index] = self._current_counts.get(input_index, 0) + 1
        if self._current_bytes >= self.shard_size:
            self._close_shard()

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
        if self._current is not None:
            self._current.close()
            self._current = None
            if self._current_tmp and os.path.exists(self._current_tmp):
                os.unlink(self._current_tmp)

    def __enter__(self) -> "ShardedOutput":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    # --- inside -------------------------------------------------------------------------------

    def _name(self) -> str:
        return f"part-{len(self._shards):05d}.jsonl.gz"

    def _open(self) -> None:
        fd, self._current_tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{self._name()}.", suffix=".tmp")
        raw = os.fdopen(fd, "wb")
        self._current = gzip.GzipFile(filename=self._name(), fileobj=raw, mode="wb", mtime=0)
        self._current_raw = raw
        self._current_bytes = 0
        self._current_counts = {}

    def _close_shard(self) -> None:
        name = self._name()
        self._current.close()
        self._current_raw.close()
        os.chmod(self._current_tmp, 0o644)
        os.replace(self._current_tmp, os.path.join(self.directory, name))
        self._current = None
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
            "shards": self._shards,
            "inputs": [
                {"fingerprint": s.fingerprint, "done": s.done, "complete": bool(s.complete)} for s in self._states
            ],
        }
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".manifest.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1)
        os.chmod(tmp, 0o644)
        os.replace(tmp, os.path.join(self.directory, MANIFEST))
