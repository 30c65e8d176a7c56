"""Incremental dedup: a folder of what dedup learnt about a corpus (`dedup --index DIR`), and new
records marked against it without reading the old ones again (docs/dedup.md, "Incremental dedup").

The index is a folder of segments, one per run, each a set of numpy files (memory-mapped when
read, so a lookup touches only the pages it needs) listed by a manifest, `index.json`:

    index.json                  {"format": "newsingest-dedup-index", "version": 1, "options": {...},
                                 "records": N, "segments": [{"name": ..., "start": ..., "records": ...}]}
    seg-00000-<token>/          the records start .. start + records - 1 of the corpus, in order
        lang.npy hash.npy chars.npy date.npy url.npy idhash.npy keep.npy cluster.npy sig.npy
        ids.bin ids_off.npy shingles.npy shingles_off.npy
        exact_key.npy exact_doc.npy     exact keys of the segment's new exact groups, sorted
        band_key.npy band_doc.npy       (bands, m): band keys of the segment's representatives, sorted
        url_key.npy url_first.npy url_kept.npy     per url: first record, first kept copy (or -1)
        id_sorted.npy                   the hashes of the ids written, sorted

A run writes its segment in a temporary folder, renames it into place and only then replaces the
manifest (itself written to a temporary file first): an interrupted run leaves the old manifest,
which does not list the half-written segment, so the index is as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from array import array
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional

import numpy as np

from ..errors import NewsingestError, OptionsConflict, Problem
from ..engines.pool import Jobs, ordered_map
from ..progress import NO_PROGRESS, Progress
from ..record import Record
from .dedup import (
    EVERY_PAIR_UP_TO, KINDS, PHASES, DedupOptions, DedupResult, Facts, LocalIndex, Marks, Spill, _hash64,
    _links, _preference, band_keys, choose_bands, equal_key_groups, jaccard, mark, record_facts, read_ids,
    report_problems, resolve, _UnionFind,
)

INDEX_FORMAT = "newsingest-dedup-index"
INDEX_VERSION = 1
MANIFEST = "index.json"
# Old representatives taken from one band key of one segment: a band group larger than this is a
# crowd of texts alike in one band (boilerplate); its earliest members stand for it, as a full run
# links a large band group as a star around its first member.
PROBE_LIMIT = EVERY_PAIR_UP_TO
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class DedupIndexError(NewsingestError):
    """A dedup index that cannot be read (damaged, or of a version this newsingest does not know)."""


def _options_of(options: DedupOptions) -> dict[str, Any]:
    bands, rows = choose_bands(options.threshold, options.num_perm, options.recall)
    return {"threshold": options.threshold, "num_perm": options.num_perm, "shingle": options.shingle,
            "recall": options.recall, "bands": bands, "rows": rows}


def exact_keys(lang: np.ndarray, hash_hi: np.ndarray, hash_lo: np.ndarray) -> np.ndarray:
    """One 64-bit key per document for its exact group (a match is confirmed on the full hash)."""
    key: np.ndarray = (lang.astype(np.uint64) * _GOLDEN) ^ hash_hi.astype(np.uint64)
    key = (key * np.uint64(0x100000001B3)) ^ hash_lo.astype(np.uint64)
    return key


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Segment:
    start: int
    n: int
    arrays: dict[str, np.ndarray]
    ids_blob: bytes


@dataclass
class Counters:
    """The work an incremental run did against the index (tests check it follows the new records)."""

    probes: int = 0  # binary searches into the index's sorted key arrays
    shingle_reads: int = 0  # old documents whose shingles were read to verify a pair
    facts_reads: int = 0  # old documents whose facts (keep, cluster, hash...) were read


# The arrays of a segment beside its per-record ones (`SegmentData`'s arrays), and what they hold.
_TABLES = {
    "ids_off": "where each record's id starts in ids.bin",
    "exact_key": "the keys of the segment's new exact groups, sorted", "exact_doc": "their representatives",
    "band_key": "(bands, m): the band keys of the segment's representatives, sorted", "band_doc": "their records",
    "url_key": "the segment's urls, sorted", "url_first": "the first record with each",
    "url_kept": "the first kept copy with each, or -1", "id_sorted": "the hashes of the ids written, sorted",
}


class DedupIndex:
    """An index folder, read: its manifest and memory-mapped segments (an empty index when the
    folder or its manifest does not exist yet)."""

    def __init__(self, directory: str, options: DedupOptions) -> None:
        self.directory = directory
        self.options = _options_of(options)
        self.bands, self.rows = self.options["bands"], self.options["rows"]
        self.segments: list[Segment] = []
        self.manifest: dict[str, Any] = {"format": INDEX_FORMAT, "version": INDEX_VERSION, "options": self.options,
                                         "records": 0, "segments": []}
        self.counters = Counters()
        path = os.path.join(directory, MANIFEST)
        if os.path.exists(directory) and not os.path.isdir(directory):
            raise OptionsConflict(f"--index {directory}: not a folder — give a folder (it is made if missing)")
        if not os.path.exists(path):
            return
        try:
            with open(path, encoding="utf-8") as f:
                manifest = json.load(f)
        except (OSError, ValueError) as exc:
            raise DedupIndexError(f"{path}: not a dedup index manifest ({exc}) — rebuild the index with a full "
                                  "`dedup --index` run into an empty folder") from exc
        if manifest.get("format") != INDEX_FORMAT or manifest.get("version") != INDEX_VERSION:
            raise DedupIndexError(f"{path}: a dedup index of format {manifest.get('format')!r} version "
                                  f"{manifest.get('version')!r}, this newsingest reads version {INDEX_VERSION} — "
                                  "rebuild the index with a full `dedup --index` run into an empty folder")
        made = manifest.get("options", {})
        if any(made.get(key) != self.options[key] for key in ("threshold", "num_perm", "shingle", "recall")):
            raise OptionsConflict(f"--index {directory} was made with --threshold {made.get('threshold')} "
                                  f"--num-perm {made.get('num_perm')}: give the same options (or a new index folder)")
        self.manifest = manifest
        for entry in manifest["segments"]:
            folder = os.path.join(directory, entry["name"])
            try:
                arrays = {name: np.load(os.path.join(folder, f"{name}.npy"), mmap_mode="r") for name in _ARRAYS}
                with open(os.path.join(folder, "ids.bin"), "rb") as f:
                    blob = f.read() if entry["records"] else b""
            except (OSError, ValueError) as exc:
                raise DedupIndexError(f"{folder}: a segment of the index cannot be read ({exc}) — rebuild the "
                                      "index with a full `dedup --index` run into an empty folder") from exc
            self.segments.append(Segment(int(entry["start"]), int(entry["records"]), arrays, blob))

    @property
    def n(self) -> int:
        return int(self.manifest["records"])

    def _segment(self, doc: int) -> Segment:
        starts = [s.start for s in self.segments]
        return self.segments[int(np.searchsorted(starts, doc, side="right")) - 1]

    def column(self, name: str, docs: np.ndarray) -> np.ndarray:
        """The values of one per-record array for these old documents."""
        self.counters.facts_reads += len(docs)
        out = []
        for doc in np.asarray(docs, dtype=np.int64).tolist():
            seg = self._segment(doc)
            out.append(seg.arrays[name][doc - seg.start])
        if not out:
            shape = self.segments[0].arrays[name].shape[1:] if self.segments else ()
            dtype = self.segments[0].arrays[name].dtype if self.segments else np.int64
            return np.zeros((0, *shape), dtype=dtype)
        return np.array(out)

    def shingles(self, doc: int) -> np.ndarray:
        self.counters.shingle_reads += 1
        seg = self._segment(doc)
        offsets = seg.arrays["shingles_off"]
        at = doc - seg.start
        return np.array(seg.arrays["shingles"][int(offsets[at]) : int(offsets[at + 1])])

    def id_of(self, doc: int) -> str:
        seg = self._segment(doc)
        offsets = seg.arrays["ids_off"]
        at = doc - seg.start
        return seg.ids_blob[int(offsets[at]) : int(offsets[at + 1])].decode("utf-8", "surrogatepass")

    def _probe(self, keys: np.ndarray, sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.counters.probes += len(keys)
        return np.searchsorted(sorted_keys, keys), np.searchsorted(sorted_keys, keys, side="right")

    def exact_match(self, key: np.ndarray, lang: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        """For each document, the old representative of its exact group (same language and hash), or -1."""
        found = np.full(len(key), -1, dtype=np.int64)
        for seg in self.segments:
            lo_at, hi_at = self._probe(key, seg.arrays["exact_key"])
            for i in np.flatnonzero((hi_at > lo_at) & (found < 0)).tolist():
                for j in range(int(lo_at[i]), int(hi_at[i])):
                    doc = int(seg.arrays["exact_doc"][j])
                    at = doc - seg.start
                    self.counters.facts_reads += 1
                    if (int(seg.arrays["lang"][at]) == int(lang[i]) and int(seg.arrays["hash"][at, 0]) == int(hi[i])
                            and int(seg.arrays["hash"][at, 1]) == int(lo[i])):
                        found[i] = doc
                        break
        return found

    def band_candidates(self, band: int, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which key, old document) for each old representative sharing one of ``keys`` in ``band``
        (at most PROBE_LIMIT a key and segment: the earliest)."""
        rows, docs = [], []
        for seg in self.segments:
            sorted_keys = seg.arrays["band_key"][band]
            lo_at, hi_at = self._probe(keys, sorted_keys)
            hits = np.flatnonzero(hi_at > lo_at)
            for i in hits.tolist():
                found = np.sort(np.asarray(seg.arrays["band_doc"][band][int(lo_at[i]) : int(hi_at[i])]))[:PROBE_LIMIT]
                rows.append(np.full(found.size, i, dtype=np.int64))
                docs.append(found.astype(np.int64))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(docs)

    def url_first(self, urls: np.ndarray, kept_only: bool) -> np.ndarray:
        """For each url hash, the first old record with it (the first kept copy with ``kept_only``), or -1."""
        first = np.full(len(urls), -1, dtype=np.int64)
        for seg in self.segments:
            lo_at, hi_at = self._probe(urls, seg.arrays["url_key"])
            hit = (hi_at > lo_at) & (urls != 0)
            values = np.asarray(seg.arrays["url_kept" if kept_only else "url_first"])
            for i in np.flatnonzero(hit & (first < 0)).tolist():
                value = int(values[int(lo_at[i])])
                if value >= 0:
                    first[i] = value
        return first

    def id_taken(self, hashes: np.ndarray) -> np.ndarray:
        taken = np.zeros(len(hashes), dtype=bool)
        for seg in self.segments:
            lo_at, hi_at = self._probe(hashes, seg.arrays["id_sorted"])
            taken |= hi_at > lo_at
        return taken


# --- writing ----------------------------------------------------------------------------------


@dataclass
class EncodedIds:
    """The ids records are written with, as one UTF-8 blob and where each one ends: 8 bytes a
    record besides the id's own bytes, where a list of str would take some 60."""

    blob: bytearray = field(default_factory=bytearray)
    ends: array = field(default_factory=lambda: array("q"))  # type: ignore[type-arg]

    def append(self, name: str) -> None:
        self.blob += name.encode("utf-8", "surrogatepass")
        self.ends.append(len(self.blob))


def _written_ids(records: Callable[[], Iterable[Record]], n: int, renamed: dict[int, str], start: int) -> EncodedIds:
    """The ids of the first ``n`` records as they are written (``renamed`` by global index)."""
    ids = EncodedIds()
    for i, record in enumerate(records()):
        if i >= n:
            break
        ids.append(renamed.get(i + start, record.id))
    return ids


@dataclass
class SegmentData:
    """What one run adds to the index, for its records ``start`` .. ``start + n - 1``."""

    start: int
    lang: np.ndarray
    hash: np.ndarray  # (n, 2) uint64
    chars: np.ndarray
    date: np.ndarray
    url: np.ndarray
    idhash: np.ndarray  # of the id each record was written with
    keep: np.ndarray  # global index of each record's kept copy
    cluster: np.ndarray  # global index of the main kept copy of its cluster, or -1
    sig: np.ndarray | Spill  # (n, num_perm) uint32
    ids: list[str] | EncodedIds
    shingles: np.ndarray | Spill
    shingles_off: np.ndarray
    exact_reps: np.ndarray  # global indices of records that represent an exact group new to the index
    band_reps: np.ndarray  # global indices of the representatives put in the band tables
    # (band, local indices) -> their band keys, when they are known without the signatures
    band_keys: Optional[Callable[[int, np.ndarray], np.ndarray]] = None


_PER_RECORD = tuple(f.name for f in fields(SegmentData) if f.type in ("np.ndarray", "np.ndarray | Spill")
                    and f.name not in ("exact_reps", "band_reps"))
_ARRAYS = (*_PER_RECORD, *_TABLES)


@contextlib.contextmanager
def _rows_file(folder: str, name: str, dtype: Any, shape: tuple[int, ...]) -> Iterator[BinaryIO]:
    """An .npy file of this shape, its rows written in order by the caller: the bytes `np.save`
    writes for the whole array."""
    with open(os.path.join(folder, f"{name}.npy"), "wb") as f:
        np.lib.format.write_array_header_1_0(
            f, {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": shape})
        yield f
        f.flush()
        os.fsync(f.fileno())


def _save(folder: str, name: str, array: np.ndarray | Spill) -> None:
    with open(os.path.join(folder, f"{name}.npy"), "wb") as f:
        if isinstance(array, Spill):  # copied a block at a time: the bytes `np.save` writes
            np.lib.format.write_array_header_1_0(
                f, {"descr": np.lib.format.dtype_to_descr(array.dtype), "fortran_order": False, "shape": array.shape})
            for block in array.blocks():
                f.write(block.data.cast("B"))
        else:
            np.save(f, np.ascontiguousarray(array))
        f.flush()
        os.fsync(f.fileno())


def write_segment(directory: str, index: DedupIndex, data: SegmentData,
                  before_manifest: Optional[Callable[[], None]] = None) -> None:
    """Add ``data`` to the index at ``directory``: the segment is written in a temporary folder and
    renamed into place, then the manifest is replaced (written to a temporary file first).
    ``before_manifest``: called between the two (tests interrupt the write there)."""
    os.makedirs(directory, exist_ok=True)
    n = len(data.lang)
    bands, rows = index.bands, index.rows
    token = secrets.token_hex(4)
    name = f"seg-{len(index.segments):05d}-{token}"
    staging = os.path.join(directory, f".tmp-{name}")
    os.makedirs(staging)
    try:
        start = data.start
        for key in _PER_RECORD:
            _save(staging, key, getattr(data, key))
        if isinstance(data.ids, EncodedIds):
            blob = data.ids.blob
            _save(staging, "ids_off", np.concatenate([np.zeros(1, np.int64), np.frombuffer(data.ids.ends, np.int64)]))
        else:
            encoded = [i.encode("utf-8", "surrogatepass") for i in data.ids]
            blob = bytearray(b"".join(encoded))
            _save(staging, "ids_off", np.concatenate([[0], np.cumsum([len(e) for e in encoded], dtype=np.int64)])
                  .astype(np.int64))
        with open(os.path.join(staging, "ids.bin"), "wb") as f:
            f.write(blob)
        reps = data.exact_reps.astype(np.int64)
        local = reps - start
        ek = exact_keys(data.lang[local], data.hash[local, 0], data.hash[local, 1])
        order = np.argsort(ek, kind="stable")
        _save(staging, "exact_key", ek[order])
        _save(staging, "exact_doc", reps[order])
        band_reps = data.band_reps.astype(np.int64)
        local = band_reps - start
        with _rows_file(staging, "band_key", np.uint64, (bands, local.size)) as band_key, \
                _rows_file(staging, "band_doc", np.int64, (bands, local.size)) as band_doc:
            for band in range(bands):  # a band at a time: the tables are never whole in memory
                if data.band_keys is not None:
                    keys = data.band_keys(band, local)
                else:
                    assert isinstance(data.sig, np.ndarray)
                    keys = band_keys(data.sig[local], data.lang[local], band, rows)
                order = np.argsort(keys, kind="stable")
                band_key.write(np.ascontiguousarray(keys[order], dtype=np.uint64).data.cast("B"))
                band_doc.write(np.ascontiguousarray(band_reps[order], dtype=np.int64).data.cast("B"))
        url = data.url.astype(np.uint64)
        docs = np.arange(start, start + n, dtype=np.int64)
        kept = data.keep == docs
        with_url = np.flatnonzero(url != 0)
        keys, first_at = np.unique(url[with_url], return_index=True)
        url_first = docs[with_url][first_at]
        url_kept = np.full(keys.size, -1, dtype=np.int64)
        kept_with_url = with_url[kept[with_url]]
        kkeys, kfirst = np.unique(url[kept_with_url], return_index=True)
        url_kept[np.searchsorted(keys, kkeys)] = docs[kept_with_url][kfirst]
        _save(staging, "url_key", keys)
        _save(staging, "url_first", url_first)
        _save(staging, "url_kept", url_kept)
        _save(staging, "id_sorted", np.sort(data.idhash.astype(np.uint64)))
        final = os.path.join(directory, name)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _sync(directory)
    if before_manifest is not None:
        before_manifest()
    manifest = dict(index.manifest)
    manifest["options"] = index.options
    manifest["records"] = start + n
    manifest["segments"] = [*index.manifest["segments"], {"name": name, "start": start, "records": n}]
    temp = os.path.join(directory, f".{MANIFEST}.{token}.tmp")
    try:
        with open(temp, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, os.path.join(directory, MANIFEST))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync(directory)
    _remove_strays(directory, {entry["name"] for entry in manifest["segments"]})


def _sync(directory: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_strays(directory: str, listed: set[str]) -> None:
    """Segments an interrupted run left behind (never listed by the manifest)."""
    for entry in os.listdir(directory):
        if (entry.startswith("seg-") or entry.startswith(".tmp-seg-")) and entry not in listed:
            shutil.rmtree(os.path.join(directory, entry), ignore_errors=True)


# --- facts with shingles ----------------------------------------------------------------------


def _facts_and_shingles(record: Record, options: DedupOptions) -> tuple[Facts, np.ndarray]:
    facts = record_facts(record, options)
    if facts.error is not None:
        return facts, np.zeros(0, dtype=np.uint32)
    from .dedup import record_shingles

    return facts, record_shingles(record, options)


class ShingledIndex(LocalIndex):
    """`LocalIndex` that keeps every record's shingle hashes too, in a temporary file of
    ``spill_dir`` (4 bytes a shingle on disk, 8 bytes a record in memory): the index stores them,
    and pairs are verified from them without reading the records again."""

    def __init__(self, records: Callable[[], Iterable[Record]], options: DedupOptions, jobs: Jobs = 1,
                 progress: Progress = NO_PROGRESS, size: Optional[int] = None,
                 spill_dir: Optional[str] = None) -> None:
        self.records, self.options = records, options
        progress.phase(PHASES["facts"], size)
        self.shingle_values = Spill(np.uint32, 1, spill_dir)
        lengths = array("q", [0])

        def facts() -> Iterator[Facts]:
            total = 0
            for item, shingles in ordered_map(partial(_facts_and_shingles, options=options), records(), jobs):
                self.shingle_values.append(shingles)
                total += shingles.size
                lengths.append(total)
                yield item

        self._collect(facts(), spill_dir)
        self.shingle_values.flush()
        self.shingle_offsets = np.frombuffer(lengths, dtype=np.int64)

    def close(self) -> None:
        self.shingle_values.close()
        super().close()

    def shingles_of(self, i: int) -> np.ndarray:
        start = int(self.shingle_offsets[i])
        return self.shingle_values.read(start, int(self.shingle_offsets[i + 1]) - start)

    def similarities(self, pairs: np.ndarray) -> np.ndarray:
        result = np.zeros(len(pairs), dtype=np.float64)
        for row, (a, b) in enumerate(pairs.tolist()):
            sa, sb = self.shingles_of(a), self.shingles_of(b)
            result[row] = jaccard(sa, sb) if sa.size or sb.size else 0.0
        return result

    def band_keys_at(self, band: int, indices: np.ndarray) -> np.ndarray:
        """The keys of one band for these documents (distinct), in this order."""
        members = np.zeros(self.n, dtype=bool)
        members[indices] = True
        keys = np.empty(len(indices), dtype=np.uint64)
        keys[np.argsort(indices, kind="stable")] = self.band_keys_of(band, members)
        return keys


def _representatives(index: LocalIndex) -> np.ndarray:
    """Each document's exact group, by the group's best member (as `resolve` finds it)."""
    n = index.n
    order = _preference(index.chars, index.date)
    exact = np.arange(n, dtype=np.int64)
    for group in index.exact_groups():
        exact[group] = group[np.argmin(order[group])]
    return exact


# --- the runs -------------------------------------------------------------------------------------


@dataclass
class IndexedRun:
    """What an indexed dedup run gives its engine: the marked records to write, and the commit of
    the index, to call once the output is complete."""

    records: Iterator[Record]
    commit: Callable[[], None]
    counters: Counters


def dedup_indexed(
    records: Callable[[], Iterable[Record]], directory: str, options: DedupOptions = DedupOptions(),
    drop: bool = False, jobs: Jobs = 1, on_problem: Optional[Callable[[Problem], None]] = None,
    progress: Progress = NO_PROGRESS, size: Optional[int] = None,
    on_duplicates: Optional[Callable[[int, int], None]] = None,
) -> IndexedRun:
    """Records marked against the index at ``directory`` and among themselves (a full run when the
    index is empty), and the commit that adds them to the index."""
    index = DedupIndex(directory, options)
    local = ShingledIndex(records, options, jobs, progress, size)
    if index.n == 0:
        result = resolve(local, options, drop, progress, size)
        segment = _first_segment(local, result, records)
        start = 0
    else:
        result, segment = _resolve_against(index, local, options, drop, records, progress)
        start = index.n
    report_problems(_shifted(result, start), local, on_problem)
    if on_duplicates is not None:
        on_duplicates(*result.duplicates())
    ids = _marks_ids(result, index, records, start)
    for i, new in result.renamed.items():  # the segment's ids are written renamed already
        segment.idhash[i - start] = _hash64(new)
    progress.phase(PHASES["writing"], size)
    marks = result.marks(start, start + local.n, ids) if start == 0 else _marks(result, start, ids)
    def commit() -> None:
        try:
            write_segment(directory, index, segment)
        finally:
            local.close()

    return IndexedRun(mark(records(), marks, drop), commit, index.counters)


def _shifted(result: DedupResult, start: int) -> DedupResult:
    """The result with its renamed and errors by local index (for `report_problems`)."""
    if start == 0:
        return result
    return DedupResult(result.n, result.root, result.keep, result.cluster, result.kind, result.story, result.prior,
                       {i - start: v for i, v in result.renamed.items()}, {i - start: v for i, v in result.errors.items()},
                       result.candidates, result.verified, result.bands, result.rows, result.signature_bytes)


def _marks_ids(result: DedupResult, index: DedupIndex, records: Callable[[], Iterable[Record]],
               start: int) -> dict[int, str]:
    if start == 0:
        return read_ids(records, set(result.referenced().tolist()))
    keep, cluster, story = result.keep, result.cluster, result.story
    own = np.arange(start, start + keep.size)
    needed = set(np.union1d(np.union1d(keep[keep != own], cluster[cluster >= 0]), story[story >= 0]).tolist())
    ids = {i: index.id_of(i) for i in needed if i < start}
    ids.update(read_ids(records, {i for i in needed if i >= start}, start))
    return ids


def _marks(result: DedupResult, start: int, ids: dict[int, str]) -> Marks:
    keep, cluster, story = result.keep, result.cluster, result.story
    own = np.arange(start, start + keep.size)
    wanted = np.union1d(np.union1d(keep[keep != own], cluster[cluster >= 0]), story[story >= 0]).tolist()
    return Marks(start, keep, cluster, result.kind, story, result.prior,
                 {i: result.renamed.get(i, ids[i]) for i in wanted}, dict(result.renamed), dict(result.errors))


def _first_segment(local: ShingledIndex, result: DedupResult, records: Callable[[], Iterable[Record]]) -> SegmentData:
    exact = _representatives(local)
    reps = np.flatnonzero(exact == np.arange(local.n))
    ids = _written_ids(records, local.n, result.renamed, 0)
    return _segment_data(local, 0, result.keep, result.cluster, ids, reps, reps)


def _segment_data(local: ShingledIndex, start: int, keep: np.ndarray, cluster: np.ndarray, ids: EncodedIds,
                  exact_reps: np.ndarray, band_reps: np.ndarray) -> SegmentData:
    data = local.data
    return SegmentData(
        start, data["lang"], np.stack([data["hash_hi"], data["hash_lo"]], axis=1).reshape(-1, 2), data["chars"],
        data["date"], data["url"], data["id"].copy(), keep.astype(np.int64), cluster.astype(np.int64),
        local.spilled, ids, local.shingle_values, local.shingle_offsets,
        exact_reps.astype(np.int64) + start, band_reps.astype(np.int64) + start, local.band_keys_at,
    )


def _resolve_against(
    index: DedupIndex, local: ShingledIndex, options: DedupOptions, drop: bool,
    records: Callable[[], Iterable[Record]], progress: Progress,
) -> tuple[DedupResult, SegmentData]:
    """The new records (``local``, global indices from ``index.n``) marked against the index: the
    old records' marks stand as they were written; see docs/dedup.md for the rules."""
    start, n = index.n, local.n
    bands, rows = index.bands, index.rows
    data = local.data
    own = np.arange(n, dtype=np.int64)

    # 1. Exact copies of an old group: marked like the old group's representative.
    ek = exact_keys(data["lang"], data["hash_hi"], data["hash_lo"])
    old_rep = index.exact_match(ek, data["lang"], data["hash_hi"], data["hash_lo"])
    exact = _representatives(local)  # local groups, by their best member
    order = _preference(local.chars, local.date)
    matched = old_rep >= 0
    reps = np.flatnonzero((exact == own) & ~matched)  # new groups: they look for near copies

    # 2. Candidates: new representatives with old ones (probing the band tables), and among themselves.
    progress.phase(PHASES["candidates"])
    old_pairs = []
    for band in range(bands):
        which, docs = index.band_candidates(band, local.band_keys_at(band, reps))
        old_pairs.append(np.stack([reps[which], docs], axis=1))
    old = np.unique(np.concatenate(old_pairs), axis=0) if old_pairs else np.zeros((0, 2), dtype=np.int64)
    is_rep = np.zeros(n, dtype=bool)
    is_rep[reps] = True
    new_pairs = local.band_pairs(is_rep, bands, rows, every_pair=True)

    # 3. Verification by the real Jaccard similarity (old shingles from the index).
    progress.phase(PHASES["verifying"])
    old_sim = np.zeros(len(old), dtype=np.float64)
    for row, (a, doc) in enumerate(old.tolist()):
        sa, sb = local.shingles_of(a), index.shingles(doc)
        old_sim[row] = jaccard(sa, sb) if sa.size or sb.size else 0.0
    new_sim = local.similarities(new_pairs)
    old_alike = old[old_sim >= options.threshold]
    old_alike_sim = old_sim[old_sim >= options.threshold]
    new_alike = new_pairs[new_sim >= options.threshold]

    # 4. Kept copies. Old records keep their marks; a new group alike with an old kept copy is its
    # duplicate (the most alike, then the first); the others are chosen among themselves as a full run does.
    progress.phase(PHASES["clusters"])
    old_docs = np.unique(np.concatenate([old_rep[matched], old_alike[:, 1]]))
    old_keep = dict(zip(old_docs.tolist(), index.column("keep", old_docs).tolist()))
    old_cluster = dict(zip(old_docs.tolist(), index.column("cluster", old_docs).tolist()))

    def old_main(doc: int) -> int:
        return int(old_cluster[doc] if old_cluster[doc] >= 0 else old_keep[doc])

    cover = np.arange(n, dtype=np.int64) + start  # global kept copy of each new representative
    taken = np.zeros(n, dtype=bool)
    attached = np.full(n, -1, dtype=np.int64)  # the old cluster (by its main copy) each new group joins
    best: dict[int, tuple[float, int]] = {}
    for (a, doc), sim in zip(old_alike.tolist(), old_alike_sim.tolist()):
        main = old_main(doc)
        attached[a] = main if attached[a] < 0 else min(attached[a], main)
        if old_keep[doc] == doc and (a not in best or (-sim, doc) < (-best[a][0], best[a][1])):
            best[a] = (sim, doc)
    for a, (_, doc) in best.items():
        cover[a], taken[a] = doc, True

    union = _UnionFind(n)
    for a in np.flatnonzero(exact != own).tolist():
        union.union(a, int(exact[a]))
    for a, b in new_alike.tolist():
        union.union(a, b)
    root = union.roots()
    # A component joins the earliest old cluster any of its groups joined.
    comp_old = np.full(n, -1, dtype=np.int64)
    for a in np.flatnonzero(attached >= 0).tolist():
        r = root[a]
        comp_old[r] = attached[a] if comp_old[r] < 0 else min(comp_old[r], attached[a])
    sizes = np.bincount(exact, minlength=n)
    verified = sizes - 1
    np.add.at(verified, new_alike[:, 0], sizes[new_alike[:, 1]])
    np.add.at(verified, new_alike[:, 1], sizes[new_alike[:, 0]])
    np.add.at(verified, old_alike[:, 0], 1)
    estimated = _links(root, exact, local.signatures, options.threshold)
    in_component = np.bincount(root, minlength=n)[root] >= 2
    candidates_kept = reps[(in_component[reps] | (attached[reps] >= 0)) & ~taken[reps]]
    ranked = candidates_kept[np.lexsort((order[candidates_kept], -estimated[candidates_kept],
                                         -verified[candidates_kept]))]
    both = np.concatenate([new_alike, new_alike[:, ::-1]]) if new_alike.size else np.zeros((0, 2), dtype=np.int64)
    both = both[np.argsort(both[:, 0], kind="stable")]
    starts = np.searchsorted(both[:, 0], np.arange(n + 1))
    for rep in ranked.tolist():
        if taken[rep]:
            continue
        taken[rep] = True
        neighbours = both[starts[rep] : starts[rep + 1], 1]
        free = neighbours[~taken[neighbours]]
        cover[free] = rep + start
        taken[free] = True

    # 5. Each new record's kept copy, kind and cluster.
    keep = np.empty(n, dtype=np.int64)
    kind = np.zeros(n, dtype=np.int8)
    cluster = np.full(n, -1, dtype=np.int64)
    for i in np.flatnonzero(matched).tolist():
        doc = int(old_rep[i])
        keep[i] = old_keep[doc]
        kind[i] = KINDS.index("exact") if old_keep[doc] == doc else KINDS.index("near")
        cluster[i] = old_main(doc)
    new = np.flatnonzero(~matched)
    keep[new] = cover[exact[new]]
    dup = new[keep[new] != new + start]
    kind[dup] = np.where(keep[dup] == exact[dup] + start, KINDS.index("exact"), KINDS.index("near"))
    kept_reps = np.flatnonzero(~matched & (exact == own) & (cover == own + start))
    took = np.bincount(cover[reps][cover[reps] >= start] - start, minlength=n)
    main_of_root: dict[int, int] = {}
    for rep in kept_reps[np.lexsort((order[kept_reps], -took[kept_reps]))].tolist():
        main_of_root.setdefault(int(root[rep]), rep + start)
    for i in new.tolist():
        r = int(root[i])
        if comp_old[r] >= 0:
            cluster[i] = comp_old[r]
        elif in_component[i]:
            cluster[i] = main_of_root[r]

    # 6. Stories: the first record (written, with --drop) with the url, old ones first.
    duplicate = keep != own + start
    written = ~duplicate if drop else np.ones(n, dtype=bool)
    story = np.full(n, -1, dtype=np.int64)
    url = data["url"]
    old_first = index.url_first(url, kept_only=drop)
    for group in equal_key_groups([url]):
        if url[group[0]] == 0:
            continue
        group = group[written[group]]
        if group.size and old_first[group[0]] < 0 and group.size >= 2:
            story[group] = group.min() + start
    has_old = (old_first >= 0) & written & (url != 0)
    story[has_old] = old_first[has_old]

    # 7. Ids taken by an old record or an earlier new one are qualified; earlier cluster marks.
    renamed = _qualified_new_ids(index, local, records, start)
    # A record alone here that an earlier dedup kept for a cluster keeps its `dup_cluster` when
    # that cluster's id is among the records, old or new (as in a full run).
    prior = (cluster < 0) & ~duplicate & (local.prior != 0)
    if prior.any():
        known = np.sort(local.id_hashes)
        at = np.minimum(np.searchsorted(known, local.prior), max(known.size - 1, 0))
        prior &= (known[at] == local.prior) | index.id_taken(local.prior)
    result = DedupResult(n, root, keep, cluster, kind, story, prior, renamed,
                         {i + start: e for i, e in local.errors.items()}, len(old) + len(new_pairs),
                         len(old_alike) + len(new_alike), bands, rows, local.signature_bytes)
    ids = _written_ids(records, n, renamed, start)
    band_reps = reps
    exact_new = np.flatnonzero((exact == own) & ~matched)
    segment = _segment_data(local, start, keep, cluster, ids, exact_new, band_reps)
    return result, segment


def _qualified_new_ids(index: DedupIndex, local: ShingledIndex, records: Callable[[], Iterable[Record]],
                       start: int) -> dict[int, str]:
    """New records whose id an old record or an earlier new one already has: `id#2`, `id#3`, ..."""
    hashes = local.id_hashes
    old_taken = index.id_taken(hashes)
    repeated = np.zeros(len(hashes), dtype=bool)
    for group in equal_key_groups([hashes]):
        repeated[group] = True
    suspects = np.flatnonzero(old_taken | repeated)
    if not suspects.size:
        return {}
    names = read_ids(records, set(suspects.tolist()))
    known = np.sort(hashes)
    added: set[int] = set()

    def taken(name: str) -> bool:
        value = _hash64(name)
        at = int(np.searchsorted(known, np.uint64(value)))
        return (value in added or (at < known.size and int(known[at]) == value)
                or bool(index.id_taken(np.array([value], dtype=np.uint64))[0]))

    renamed: dict[int, str] = {}
    seen: set[str] = set()
    for i in suspects.tolist():
        name = names[i]
        if not old_taken[i] and name not in seen:
            seen.add(name)
            continue
        seen.add(name)
        count = 2
        while taken(f"{name}#{count}"):
            count += 1
        renamed[i + start] = f"{name}#{count}"
        added.add(_hash64(renamed[i + start]))
    return renamed
