"""Deduplication: the dedup key and hash, MinHash signatures, LSH bands, clusters (docs/dedup.md).

The key folds everything that is not content, so the same article typed or
scraped differently (Arabic or Persian yeh, a lost ZWNJ, presentation forms,
other digits, other spacing) gets the same hash, and `normalize` never changes
a record's hash.

Near duplicates: MinHash over word shingles of the key, LSH banding chosen for
the user's threshold, and every candidate pair verified by its real Jaccard
similarity. Signatures live in one numpy array (4 bytes x permutations per
document), never in Python objects per band.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import tempfile
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, Callable, Iterable, Iterator, Optional, Protocol

import numpy as np

from ..errors import InputChanged, Problem
from ..options import DedupOptions as DedupOptions
from ..engines.pool import Jobs, ordered_map
from ..progress import NO_PROGRESS, Progress
from ..record import Record, RecordProblem
from ..script import DEDUP_FOLD, TATWEEL

# --- the key ----------------------------------------------------------------------------------

# Letter variants that are one letter for deduplication.
_LETTER_FOLDS = DEDUP_FOLD


class _FoldTable(dict[int, Optional[str]]):
    """The translate table of the key, filled in for each character the first time it is met
    (building it for all of Unicode up front would cost every process a third of a second):
    marks, format characters and tatweel deleted; punctuation and white space to a space;
    digits of every script to 0-9; letter variants folded."""

    def __missing__(self, cp: int) -> Optional[str]:
        ch = chr(cp)
        category = unicodedata.category(ch)
        if ch == TATWEEL or category in ("Mn", "Me", "Cf"):  # tatweel, marks, format characters
            value: Optional[str] = None
        elif category[0] in "PZ" or category == "Cc":
            value = " "
        elif category == "Nd":
            value = str(unicodedata.digit(ch))
        else:
            value = _LETTER_FOLDS.get(ch, ch)
        self[cp] = value
        return value


_FOLD_TABLE = _FoldTable()
_SPACE_RUNS = re.compile(" {2,}")


# The same table as an array over the Basic Multilingual Plane, filled from it as characters are
# met: the folded character's code point, _DELETED, or _UNSEEN. str.translate looks each character
# up in a dict (some 40 ns a character outside ASCII); the array maps a whole text at once.
_UNSEEN, _DELETED = -2, -1
_FOLD_ARRAY = np.full(0x10000, _UNSEEN, dtype=np.int32)
# Shorter or ASCII texts are translated: below this length the array's fixed cost is higher.
_ARRAY_FROM_CHARS = 200
_SPACE = ord(" ")


def _decomposed(text: str) -> str:
    return unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())


def _folded_points(decomposed: str) -> Optional[np.ndarray]:
    """The code points of the key of a decomposed text (`dedup_key`'s, through _FOLD_ARRAY), or
    None for a text the array does not cover (a character outside the Basic Multilingual Plane)."""
    points = np.frombuffer(decomposed.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if int(points.max()) >= 0x10000:
        return None
    mapped = _FOLD_ARRAY[points]
    unseen = mapped == _UNSEEN
    if unseen.any():
        for cp in np.unique(points[unseen]).tolist():
            value = _FOLD_TABLE[cp]
            _FOLD_ARRAY[cp] = _DELETED if value is None else ord(value)  # every value is one character
        mapped = _FOLD_ARRAY[points]
    kept = mapped[mapped != _DELETED]
    space = kept == _SPACE
    # A space after a space goes (runs of spaces become one), and so do the spaces at both ends.
    repeated = np.empty_like(space)
    repeated[0] = True
    repeated[1:] = space[:-1]
    kept = kept[~(space & repeated)]
    if len(kept) and kept[-1] == _SPACE:
        kept = kept[:-1]
    result: np.ndarray = kept
    return result


def _from_points(points: np.ndarray) -> str:
    return points.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def dedup_key(text: str) -> str:
    """Text with what is not content folded away; words separated by single spaces."""
    decomposed = _decomposed(text)
    if len(decomposed) >= _ARRAY_FROM_CHARS and not decomposed.isascii():
        points = _folded_points(decomposed)
        if points is not None:
            return _from_points(points)
    # The table maps every space, control and punctuation character to " ", so runs of " " are
    # all there is to fold (a regex rather than split/join: no list of every word of a huge text).
    return _SPACE_RUNS.sub(" ", decomposed.translate(_FOLD_TABLE)).strip(" ")


# What each character of the Basic Multilingual Plane leaves in the hash's key (its spaces left out)
# when it goes through _decomposed and _FOLD_TABLE on its own: one code point, nothing (_DELETED), or
# _APART when that is not one character or may differ within a text (a mark that canonical ordering
# could move before a letter kept, a surrogate); filled in as characters are met (_hash_image).
_APART = -3
_HASH_ARRAY = np.full(0x10000, _UNSEEN, dtype=np.int32)


def _hash_image(cp: int) -> int:
    """_HASH_ARRAY's value for ``cp``. The key of a text is the concatenation of its characters'
    keys where every character with a non-zero combining class, at either decomposition, leaves
    nothing: canonical ordering moves only such characters, so it changes nothing kept."""
    if 0xD800 <= cp < 0xE000:
        return _APART
    kept = []
    for part in unicodedata.normalize("NFKD", chr(cp)):
        image = ""
        for ch in unicodedata.normalize("NFKD", part.casefold()):
            folded = _FOLD_TABLE[ord(ch)]
            if folded is not None and folded != " ":
                if unicodedata.combining(ch):
                    return _APART
                image += folded
        if image and unicodedata.combining(part):
            return _APART
        kept.append(image)
    image = "".join(kept)
    if len(image) > 1:
        return _APART
    return ord(image) if image else _DELETED


def _hash_points(text: str) -> Optional[np.ndarray]:
    """The code points of the key of ``text`` without its spaces, character by character through
    _HASH_ARRAY (no normalization of the whole text), or None where a character is _APART or outside
    the Basic Multilingual Plane."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if int(points.max()) >= 0x10000:
        return None
    mapped = _HASH_ARRAY[points]
    if int(mapped.min()) < _DELETED:
        unseen = mapped == _UNSEEN
        if unseen.any():
            for cp in np.unique(points[unseen]).tolist():
                _HASH_ARRAY[cp] = _hash_image(cp)
            mapped = _HASH_ARRAY[points]
        if (mapped == _APART).any():
            return None
    kept: np.ndarray = mapped[mapped >= 0]
    return kept


def text_hash(text: str) -> str:
    """Hex digest (BLAKE2b, 128 bits) of the dedup key without its spaces.

    Spaces are left out because word boundaries are themselves typed differently
    (می‌شود, میشود, می شود), so only the sequence of folded letters counts.
    """
    if len(text) >= _ARRAY_FROM_CHARS and not text.isascii():
        kept = _hash_points(text)
        if kept is not None:
            return _digest(_from_points(kept)).hex()
    return _key_digest(dedup_key(text)).hex()


# --- MinHash and LSH --------------------------------------------------------------------------



def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that LSH with ``bands`` x ``rows`` makes a pair of this similarity a candidate."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def choose_bands(threshold: float, num_perm: int, recall: float = 0.99) -> tuple[int, int]:
    """(bands, rows) with bands x rows <= num_perm that find pairs at ``threshold`` with at least
    ``recall``, with as many rows as possible (fewer false candidates to verify)."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if candidate_probability(threshold, bands, rows) >= recall:
            best = (bands, rows)
    return best


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients of the hash functions, derived from their index so that every platform and
    numpy version agrees."""
    a, b = [], []
    for i in range(num_perm):
        digest = hashlib.blake2b(f"newsingest-minhash-{i}".encode(), digest_size=16).digest()
        a.append(int.from_bytes(digest[:8], "little") | 1)  # odd 64-bit multiplier
        b.append(int.from_bytes(digest[8:], "little"))
    return np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)


_SHINGLE_MIX = np.uint64(0x100000001B3)
_LIST_WORDS_UP_TO = 1_000_000  # characters of a key split into a list of words at once
_WORD = re.compile("[^ ]+")  # the key's words: it has single spaces between them


def shingle_hashes(key: str, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the key's word shingles (the whole key if it is shorter).

    Each word is hashed once (CRC-32 of its UTF-8 bytes: stable everywhere), by C calls over the
    key's bytes cut at its single spaces (no Python frame a word); a shingle's hash mixes the
    hashes of its words in order, for all shingles at once, in place."""
    if not key:
        return np.zeros(0, dtype=np.uint32)
    if len(key) <= _LIST_WORDS_UP_TO:
        try:
            data = key.encode("utf-8")
        except UnicodeEncodeError:  # word by word, so that the error is the one it always was
            data = None
        if data is not None:
            word_hashes = np.fromiter(map(zlib.crc32, data.split(b" ")), dtype=np.uint64)
        else:
            word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in key.split()), dtype=np.uint64)
    else:  # a huge text: 8 bytes a word, never a list of its words
        word_hashes = np.fromiter((zlib.crc32(m.group().encode("utf-8")) for m in _WORD.finditer(key)), dtype=np.uint64)
    if not word_hashes.size:
        return np.zeros(0, dtype=np.uint32)
    span = min(size, word_hashes.size)
    count = word_hashes.size - span + 1
    mixed = word_hashes[:count] * _SHINGLE_MIX  # (0 ^ first word) * mix; wraps mod 2**64
    for offset in range(1, span):
        np.bitwise_xor(mixed, word_hashes[offset : offset + count], out=mixed)
        np.multiply(mixed, _SHINGLE_MIX, out=mixed)
    mixed >>= np.uint64(32)
    hashes = np.sort(mixed.astype(np.uint32))
    if hashes.size > 1:  # np.unique of a sorted array, without its overhead
        first = np.empty(hashes.size, dtype=bool)
        first[0] = True
        np.not_equal(hashes[1:], hashes[:-1], out=first[1:])
        hashes = hashes[first]
    return hashes


def minhash(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash signature (uint32 x num_perm) of a set of shingle hashes."""
    if hashes.size == 0:
        return np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    a, b = _permutations(num_perm)
    # Multiply-shift hashing: (a*x + b) mod 2**64, high 32 bits (numpy's uint64 arithmetic wraps),
    # in place; the shift is monotone, so it is taken of the minimum rather than of every value.
    values = np.multiply.outer(hashes.astype(np.uint64), a)
    values += b
    signature: np.ndarray = (values.min(axis=0) >> np.uint64(32)).astype(np.uint32)
    return signature


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays."""
    if a.size == 0 and b.size == 0:
        return 1.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


# --- what dedup keeps of a record -------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What dedup keeps of a record, computed where the record is (on any process)."""

    language: str
    n_chars: int
    date: int  # ordinal of `date_published`, 0 when none
    url: int  # 64-bit hash of `url`, 0 when none
    digest: bytes  # of the dedup key, as `text_hash` hexes it
    signature: np.ndarray
    id_hash: int  # 64-bit hash of the id: ids that collide are found by it
    prior_cluster: int  # 64-bit hash of `dup_cluster` of a copy an earlier dedup kept, else 0
    error: Optional[str] = None  # why the facts could not be computed (the record then stands alone)


def record_facts(record: Record, options: "DedupOptions") -> Facts:
    """The facts of a record; a failure is caught here, on the record's own process, and the
    record then stands alone (its facts match no other's) with the failure noted."""
    try:
        key = dedup_key(record.text)
        url = _hash64(record.url) if record.url else 0
        signature = minhash(shingle_hashes(key, options.shingle), options.num_perm)
        digest, error = _key_digest(key), None
    except Exception as exc:  # noqa: BLE001 - one record's failure must not end the run
        if os.environ.get("NEWSINGEST_DEBUG"):
            raise
        alone = hashlib.shake_256(f"newsingest-failed:{record.id}".encode("utf-8", "surrogatepass"))
        digest, url, error = alone.digest(16), 0, f"{type(exc).__name__}: {exc}"
        signature = np.frombuffer(alone.digest(4 * options.num_perm), dtype=np.uint32).copy()
    prior = _hash64(record.dup_cluster) if record.dup_cluster and record.dup_of is None else 0
    # The length is the text's own, not `n_chars`: a record edited by hand may say anything there.
    return Facts(record.language, len(record.text), _date_ordinal(record.date_published), url, digest, signature,
                 _hash64(record.id), prior, error)


class Spill:
    """A column of fixed-size rows (``row`` values of ``dtype`` each) in an unnamed temporary file,
    gone when it is closed or the process ends, however it ends: written a block at a time, read
    back a row or a block at a time, never mapped (mapped pages would count as the process's)."""

    def __init__(self, dtype: Any, row: int = 1, directory: Optional[str] = None) -> None:
        self.dtype, self.row = np.dtype(dtype), row
        self.count = 0  # rows written
        self.directory = directory
        self._file = tempfile.TemporaryFile(prefix="newsingest-dedup-", dir=directory)
        self._row_bytes = self.dtype.itemsize * row

    def append(self, rows: np.ndarray) -> None:
        rows = np.ascontiguousarray(rows, dtype=self.dtype)
        self._file.write(rows.data.cast("B"))
        self.count += rows.size // self.row

    def flush(self) -> None:
        self._file.flush()

    def read(self, start: int, count: int) -> np.ndarray:
        """Rows ``start`` to ``start + count`` (a 1-D array when a row is one value)."""
        data = os.pread(self._file.fileno(), count * self._row_bytes, start * self._row_bytes)
        values = np.frombuffer(data, dtype=self.dtype)
        return values if self.row == 1 else values.reshape(-1, self.row)

    def rows(self, indices: Iterable[int]) -> np.ndarray:
        """These rows, in this order."""
        wanted = list(indices)
        out = np.empty((len(wanted), self.row), dtype=self.dtype)
        for at, i in enumerate(wanted):
            out[at] = self.read(i, 1)
        return out if self.row > 1 else out.reshape(-1)

    def blocks(self, size: Optional[int] = None) -> Iterator[np.ndarray]:
        """All the rows, a block of ``size`` rows (else about 1 MiB) at a time."""
        size = size or max(1, (1 << 20) // self._row_bytes)
        for start in range(0, self.count, size):
            yield self.read(start, min(size, self.count - start))

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.count,) if self.row == 1 else (self.count, self.row)

    def close(self) -> None:
        self._file.close()


class FactColumns:
    """Per-document facts in numpy buffers grown a block at a time: about 60 bytes plus the
    signature per document, never a Python object per document. With ``spill`` the signatures
    are written to it a block at a time and each document keeps instead its LSH band keys
    (``lsh``: bands, rows), 8 bytes a band: the few signatures `resolve` needs are read back.
    The ``cold`` columns (asked for once or twice a run) go to spill files of their own too."""

    BLOCK = 2_048
    FIELDS = {"hash_hi": np.uint64, "hash_lo": np.uint64, "lang": np.uint64, "chars": np.int64,
              "date": np.int32, "url": np.uint64, "id": np.uint64, "prior": np.uint64}

    def __init__(self, num_perm: int, lsh: Optional[tuple[int, int]] = None, spill: Optional[Spill] = None,
                 cold: Iterable[str] = ()) -> None:
        self.num_perm = num_perm
        self.lsh, self.spill = lsh, spill
        directory = spill.directory if spill is not None else None
        self.cold = {name: Spill(self.FIELDS[name], 1, directory) for name in cold}
        self._blocks: list[dict[str, np.ndarray]] = []
        self._used = 0
        self._sig = np.zeros((self.BLOCK, num_perm), dtype=np.uint32) if spill is not None else None
        self.count = 0
        self.errors: dict[int, str] = {}  # document index -> why its facts failed (rare)

    def add(self, facts: Facts) -> None:
        if not self._blocks or self._used == self.BLOCK:
            if self._blocks:
                self._seal()
            block: dict[str, np.ndarray] = {name: np.zeros(self.BLOCK, dtype=dtype)
                                            for name, dtype in self.FIELDS.items()}
            block["sig"] = self._sig if self._sig is not None else np.zeros((self.BLOCK, self.num_perm), np.uint32)
            self._blocks.append(block)
            self._used = 0
        block, i = self._blocks[-1], self._used
        block["hash_hi"][i] = int.from_bytes(facts.digest[:8], "little")
        block["hash_lo"][i] = int.from_bytes(facts.digest[8:16], "little")
        block["lang"][i] = _language_code(facts.language)
        block["chars"][i] = facts.n_chars
        block["date"][i] = facts.date
        block["url"][i] = facts.url
        block["id"][i] = facts.id_hash
        block["prior"][i] = facts.prior_cluster
        block["sig"][i] = facts.signature
        if facts.error is not None:
            self.errors[self.count] = facts.error
        self._used += 1
        self.count += 1

    def _seal(self) -> None:
        """With a spill: the last block's signatures to it, its band keys kept, its cold columns
        to their files."""
        block, used = self._blocks[-1], self._used
        if self.spill is not None and self.lsh is not None:
            sig = block.pop("sig")[:used]
            bands, rows = self.lsh
            keys = np.empty((bands, used), dtype=np.uint64)
            for band in range(bands):
                keys[band] = band_keys(sig, block["lang"][:used], band, rows)
            block["band"] = keys
            self.spill.append(sig)
        for name, spill in self.cold.items():
            spill.append(block.pop(name)[:used])

    def finish(self) -> dict[str, Any]:
        """The facts as whole arrays; the signatures stay in their blocks (``sig_blocks``), since
        joining them would hold every signature twice at once, or are in the spill file, and the
        band keys in their blocks (``band_blocks``: bands x documents each)."""
        if self._blocks:
            self._seal()
        sizes = [self.BLOCK] * (len(self._blocks) - 1) + [self._used] if self._blocks else []
        out: dict[str, Any] = {}
        for name, dtype in self.FIELDS.items():  # one column at a time: its blocks go as it is joined
            if name in self.cold:
                self.cold[name].flush()
                out[name] = self.cold[name]
                continue
            out[name] = (np.concatenate([b.pop(name)[:n] for b, n in zip(self._blocks, sizes)]) if sizes
                         else np.zeros(0, dtype))
        if self.spill is not None:
            self.spill.flush()
            out["band_blocks"] = [b["band"] for b in self._blocks]
        else:
            out["sig_blocks"] = [b["sig"][:n] for b, n in zip(self._blocks, sizes)]
        out["block"] = self.BLOCK
        out["errors"] = self.errors
        self._blocks, self._sig = [], None
        return out


def _key_digest(key: str) -> bytes:
    """What `text_hash` hexes: recomputed from the text, so records edited since `split` still count."""
    return _digest(key.replace(" ", ""))


def _digest(value: str) -> bytes:
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _hash64(value: str) -> int:
    return int.from_bytes(_digest(value)[:8], "little")


@lru_cache(maxsize=None)
def _language_code(language: str) -> int:
    """A language as a number that every process computes alike (keys are grouped across machines)."""
    return _hash64(language or "")


def _date_ordinal(value: Optional[str]) -> int:
    try:
        return datetime.date.fromisoformat(value[:10]).toordinal() if value else 0
    except ValueError:
        return 0


# --- what resolve asks of a corpus ----------------------------------------------------------------


class CorpusIndex(Protocol):
    """The questions `resolve` asks about a corpus: answered in one process by `LocalIndex`, and
    across a Dask cluster by `newsingest.dask_dedup.DaskIndex`, with the same answers."""

    n: int
    chars: np.ndarray  # text length of each document
    date: np.ndarray  # date ordinal of each document, 0 when none
    errors: dict[int, str]  # documents whose facts failed, and why
    signature_bytes: int

    @property
    def id_hashes(self) -> np.ndarray:
        """64-bit hash of each document's id."""

    @property
    def prior(self) -> np.ndarray:
        """64-bit hash of the `dup_cluster` an earlier dedup gave a kept copy, else 0."""

    def exact_groups(self) -> Iterable[np.ndarray]:
        """Index groups (two or more) of one language and one hash."""

    def url_groups(self) -> Iterable[np.ndarray]:
        """Index groups (two or more) with one url."""

    def band_pairs(self, members: np.ndarray, bands: int, rows: int, every_pair: bool) -> np.ndarray:
        """Pairs (a < b) of the ``members`` (a mask) that share a band key: each band group as a
        star around its first member, or with ``every_pair`` as all its pairs (star beyond
        EVERY_PAIR_UP_TO members)."""

    def similarities(self, pairs: np.ndarray) -> np.ndarray:
        """The real Jaccard similarity of each pair."""

    def signatures(self, indices: np.ndarray) -> np.ndarray:
        """The signatures of these documents, in this order."""

    def records_of(self, indices: Iterable[int]) -> dict[int, tuple[str, str, int]]:
        """(id, source container, source line) of these documents."""


# --- finding duplicates -------------------------------------------------------------------------


class _UnionFind:
    """Components whose root is always their smallest index, whatever order the unions come in."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return int(root)

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def roots(self) -> np.ndarray:
        n = self.parent.size
        return np.fromiter((self.find(i) for i in range(n)), dtype=np.int64, count=n)


KINDS = (None, "exact", "near")  # how a record is a duplicate of its kept copy

# Rounds of checking the kept copies against each other (see `resolve`); one or two suffice in practice.
_MAX_ROUNDS = 20
# A band group with more members than this is linked as a star: all its pairs would be quadratic.
EVERY_PAIR_UP_TO = 64


@dataclass
class DedupResult:
    """What `find_duplicates` learnt, for each document index."""

    n: int
    root: np.ndarray  # the cluster (connected component of verified pairs and exact copies), by its first index
    keep: np.ndarray  # the kept copy each document is a duplicate of (itself for a kept copy or a loner)
    cluster: np.ndarray  # the main kept copy of the document's cluster (`dup_cluster`), or -1 when alone
    kind: np.ndarray  # int8, an index into KINDS: how each document is a duplicate of its kept copy
    story: np.ndarray  # index of the first record written with the same url, or -1
    prior: np.ndarray  # bool: a kept copy alone here that keeps the `dup_cluster` an earlier dedup gave it
    renamed: dict[int, str]  # documents whose id is written qualified (`a#2`): their id was already taken
    errors: dict[int, str]  # documents whose facts failed, and why
    candidates: int  # candidate pairs that were verified
    verified: int  # of them, pairs whose real Jaccard similarity reached the threshold
    bands: int
    rows: int
    signature_bytes: int

    def referenced(self, start: int = 0, stop: Optional[int] = None) -> np.ndarray:
        """Indices whose ids records ``start`` to ``stop`` need: kept copies, main copies of their
        clusters and first records of their stories."""
        keep, cluster, story = self.keep[start:stop], self.cluster[start:stop], self.story[start:stop]
        own = np.arange(start, start + keep.size)
        return np.union1d(np.union1d(keep[keep != own], cluster[cluster >= 0]), story[story >= 0])

    def duplicates(self) -> tuple[int, int]:
        """How many documents are exact duplicates, and how many near duplicates, of a kept copy."""
        counts = np.bincount(self.kind, minlength=len(KINDS))
        return int(counts[KINDS.index("exact")]), int(counts[KINDS.index("near")])

    def marks(self, start: int, stop: int, ids: dict[int, str]) -> "Marks":
        """The marks of records ``start`` to ``stop`` (exclusive); ``ids`` has at least the ids of
        ``referenced(start, stop)``."""
        wanted = self.referenced(start, stop).tolist()
        return Marks(
            start, self.keep[start:stop], self.cluster[start:stop], self.kind[start:stop], self.story[start:stop],
            self.prior[start:stop], {i: self.renamed.get(i, ids[i]) for i in wanted},
            {i: name for i, name in self.renamed.items() if start <= i < stop},
            {i: error for i, error in self.errors.items() if start <= i < stop},
        )


def equal_key_groups(keys: list[np.ndarray]) -> Iterator[np.ndarray]:
    """Index groups (size >= 2) of equal rows over several key columns, each in index order.

    One sorted key column is held at a time, and a Python step is taken only for each group of
    two or more: besides the order, a few bytes a row."""
    if not keys or keys[0].size == 0:
        return
    order = np.lexsort(keys[::-1])
    same = np.ones(order.size - 1, dtype=bool)  # whether each sorted row equals the next
    for k in keys:
        column = k[order]
        same &= column[1:] == column[:-1]
        del column
    equal = np.flatnonzero(same)
    del same
    if not equal.size:
        return
    runs = np.flatnonzero(np.diff(equal, prepend=-2) != 1)  # where runs of `equal` begin
    ends = np.append(runs[1:], equal.size)
    for r, e in zip(runs.tolist(), ends.tolist()):
        yield order[equal[r] : equal[e - 1] + 2]


def band_keys(sig: np.ndarray, lang: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One 64-bit key per document for a band, mixing its rows and its language."""
    block = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
    key: np.ndarray = lang.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(band)
    for j in range(block.shape[1]):
        key = (key ^ block[:, j]) * np.uint64(0x100000001B3)
    return key


def group_pairs(groups: Iterable[np.ndarray], every_pair: bool = False) -> np.ndarray:
    """Each group as pairs of its first member with the others (pairs stay linear in a group's
    size) or, with ``every_pair``, as all its pairs (up to EVERY_PAIR_UP_TO members); all groups as
    one array of (a, b) rows, a < b, unique and sorted."""
    parts = []
    for group in groups:
        group = np.sort(group)
        if every_pair and group.size <= EVERY_PAIR_UP_TO:
            a, b = np.triu_indices(group.size, 1)
            parts.append(np.stack([group[a], group[b]], axis=1))
        else:
            parts.append(np.stack([np.full(group.size - 1, group[0]), group[1:]], axis=1))
    return unique_pairs(np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64))


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Rows (a, b) without repeats, in order: 16 bytes a pair, never a Python object per pair."""
    return np.unique(pairs.astype(np.int64).reshape(-1, 2), axis=0)


def _pair_keys(pairs: np.ndarray, width: int) -> np.ndarray:
    keys: np.ndarray = pairs[:, 0].astype(np.int64) * np.int64(width) + pairs[:, 1]
    return keys


class LocalIndex:
    """The records' facts in this process: what `resolve` asks of a corpus, answered here.
    ``size``: the bytes of one whole read of the records, for ``progress``.

    Per record it holds its text length and date (12 bytes) and its LSH band keys (8 bytes a band:
    96 with the defaults). The signatures, and the facts asked for once or twice (``COLD``: hash,
    language, url, id, earlier cluster), are in temporary files (``spill_dir``, else TMPDIR), read
    back when asked for: a column at a time, or the signatures of the members of small clusters.
    `close` removes the files (so does the end of the process, however it ends)."""

    COLD = ("hash_hi", "hash_lo", "lang", "url", "id", "prior")

    def __init__(self, records: Callable[[], Iterable[Record]], options: DedupOptions, jobs: Jobs = 1,
                 progress: Progress = NO_PROGRESS, size: Optional[int] = None,
                 spill_dir: Optional[str] = None) -> None:
        self.records, self.options = records, options
        progress.phase(PHASES["facts"], size)
        self._collect(ordered_map(partial(record_facts, options=options), records(), jobs), spill_dir, self.COLD)

    def _collect(self, facts: Iterable[Facts], spill_dir: Optional[str], cold: Iterable[str] = ()) -> None:
        options = self.options
        self.lsh = choose_bands(options.threshold, options.num_perm, options.recall)
        self.spilled = Spill(np.uint32, options.num_perm, spill_dir)
        columns = FactColumns(options.num_perm, self.lsh, self.spilled, cold)
        for item in facts:
            columns.add(item)
        self.data = columns.finish()
        self.n = self.data["chars"].size
        self.chars, self.date, self.errors = self.data["chars"], self.data["date"], self.data["errors"]
        self.signature_bytes = self.n * options.num_perm * 4  # in the temporary file

    def column(self, name: str) -> np.ndarray:
        """One column of facts (read back from its file when it is cold)."""
        value = self.data[name]
        return value.read(0, value.count) if isinstance(value, Spill) else value

    @property
    def id_hashes(self) -> np.ndarray:
        return self.column("id")

    @property
    def prior(self) -> np.ndarray:
        return self.column("prior")

    def close(self) -> None:
        self.spilled.close()
        for value in self.data.values():
            if isinstance(value, Spill):
                value.close()

    def exact_groups(self) -> Iterator[np.ndarray]:
        return equal_key_groups([self.column("lang"), self.column("hash_hi"), self.column("hash_lo")])

    def url_groups(self) -> Iterator[np.ndarray]:
        url = self.column("url")
        return (group for group in equal_key_groups([url]) if url[group[0]] != 0)

    def band_keys_of(self, band: int, members: np.ndarray, rows: Optional[int] = None) -> np.ndarray:
        """The keys of one band for the ``members`` (a mask), in index order: the keys kept, or, for
        another number of rows than the options', computed from the signatures read back."""
        keys, start = [], 0
        if rows is None or rows == self.lsh[1]:
            for block in self.data["band_blocks"]:
                keys.append(block[band][members[start : start + block.shape[1]]])
                start += block.shape[1]
        else:
            lang = self.column("lang")
            for sig in self.spilled.blocks(self.data["block"]):
                part = members[start : start + len(sig)]
                keys.append(band_keys(sig[part], lang[start : start + len(sig)][part], band, rows))
                start += len(sig)
        return np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)

    def band_pairs(self, members: np.ndarray, bands: int, rows: int, every_pair: bool = False) -> np.ndarray:
        if not self.n:
            return np.zeros((0, 2), dtype=np.int64)
        indices = np.flatnonzero(members)
        same = bands == self.lsh[0] and rows == self.lsh[1]
        pairs = [group_pairs((indices[group] for group in
                              equal_key_groups([self.band_keys_of(band, members, None if same else rows)])), every_pair)
                 for band in range(bands)]
        return unique_pairs(np.concatenate(pairs)) if pairs else np.zeros((0, 2), dtype=np.int64)

    def similarities(self, pairs: np.ndarray) -> np.ndarray:
        return _similarities(self.records, pairs, self.options, self.errors)

    def signatures(self, indices: np.ndarray) -> np.ndarray:
        return self.spilled.rows(np.asarray(indices).tolist())

    def records_of(self, indices: Iterable[int]) -> dict[int, tuple[str, str, int]]:
        return {index: (record.id, record.source.container, record.source.line)
                for index, record in records_at(self.records, sorted(set(indices)))}


def find_duplicates(
    records: Callable[[], Iterable[Record]], options: DedupOptions = DedupOptions(), jobs: Jobs = 1,
    drop: bool = False,
) -> DedupResult:
    """Read the records (``records()`` must give them afresh each time) and find exact and near
    duplicates within each language, and records sharing a URL. Signatures are computed on
    ``jobs`` processes. ``drop``: stories link only the records that will be written."""
    index = LocalIndex(records, options, jobs)
    try:
        return resolve(index, options, drop)
    finally:
        index.close()


# The phases of a dedup run, in order, as `progress` is told of them (the verifying ones may come
# again, once a round of checking kept copies against each other).
PHASES = {
    "copy": "copying the input",  # standard input or a pipe, to a temporary file: the engine's
    "facts": "reading and hashing",
    "candidates": "finding candidates",
    "verifying": "verifying candidates",
    "clusters": "clustering",
    "ids": "reading ids",
    "writing": "writing",
}


def resolve(index: CorpusIndex, options: DedupOptions, drop: bool = False, progress: Progress = NO_PROGRESS,
            size: Optional[int] = None) -> DedupResult:
    """Clusters, kept copies, stories and qualified ids from what ``index`` answers about the corpus.

    1. Exact copies (one language, one hash) form a group; its best member (longest text, earliest
       date, first) stands for it from here on.
    2. LSH proposes pairs of those: every pair that shares a band key (a band group of more than
       EVERY_PAIR_UP_TO texts is linked as a star around its first member); each is verified by
       its real Jaccard similarity. Clusters are the connected components of the verified pairs.
    3. In each cluster, kept copies are chosen most central first: a copy kept takes as its
       duplicates every group verified alike with it that no earlier kept copy took. A group
       alike with no kept copy becomes a kept copy itself, so every `dup_of` is a verified pair.
    4. Kept copies that share a band key are verified against each other too; a pair alike joins
       their clusters and step 3 runs again. So no two copies written by `--drop` are alike as
       far as LSH can see, and `dedup` of its own output finds nothing new.

    ``progress`` is told of each phase; ``size``: the bytes of one read of the records, when the
    index reads them here (a read to verify candidates reads them up to the last one it needs).
    """
    bands, rows = choose_bands(options.threshold, options.num_perm, options.recall)
    n = index.n
    chars, date = index.chars, index.date
    order = _preference(chars, date)
    exact = np.arange(n, dtype=np.int64)  # each document's group, by the group's best member
    for group in index.exact_groups():
        exact[group] = group[np.argmin(order[group])]
    sizes = np.bincount(exact, minlength=n)
    is_rep = exact == np.arange(n)

    progress.phase(PHASES["candidates"])
    pairs = index.band_pairs(is_rep, bands, rows, every_pair=True)
    progress.phase(PHASES["verifying"], size)
    similarity = index.similarities(pairs)
    for _ in range(_MAX_ROUNDS):
        progress.phase(PHASES["clusters"])
        alike = pairs[similarity >= options.threshold]
        cover, root = _cover(n, exact, sizes, alike, order, index.signatures, options.threshold)
        kept = is_rep & (cover == np.arange(n))  # the groups that will be written, loners included
        more = _without(index.band_pairs(kept, bands, rows, every_pair=True), pairs)
        del kept
        if not more.size:
            break
        progress.phase(PHASES["verifying"], size)
        more_similarity = index.similarities(more)
        pairs, similarity = _merged(pairs, similarity, more, more_similarity)
        if not (more_similarity >= options.threshold).any():
            break  # the pairs alike are those `cover` was made of
    else:  # the last round found more pairs alike
        alike = pairs[similarity >= options.threshold]
        del cover, root
        cover, root = _cover(n, exact, sizes, alike, order, index.signatures, options.threshold)
    del sizes, is_rep

    keep = cover[exact]
    duplicate = keep != np.arange(n)
    kind = np.zeros(n, dtype=np.int8)
    kind[duplicate] = np.where(exact[duplicate] == exact[keep[duplicate]], 1, 2)
    in_cluster = _in_cluster(root, exact)
    cluster = np.where(in_cluster, _main_kept(root, cover, exact, order), -1)
    del cover, exact, order
    written = ~duplicate if drop else np.ones(n, dtype=bool)
    story = np.full(n, -1, dtype=np.int64)
    for group in index.url_groups():
        group = group[written[group]]
        if group.size >= 2:
            story[group] = group.min()
    prior = _keeps_prior_cluster(index, written & ~in_cluster)
    renamed = _qualified_ids(index)
    return DedupResult(n, root, keep, cluster, kind, story, prior, renamed, dict(index.errors), len(pairs),
                       len(alike), bands, rows, index.signature_bytes)


def _preference(chars: np.ndarray, date: np.ndarray) -> np.ndarray:
    """Each document's rank as a copy to keep among its exact copies: the longest text, then the
    earliest stated date, then the first in input order (rank 0 is the best of all)."""
    n = chars.size
    dated = np.where(date > 0, date, np.iinfo(np.int32).max)
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.lexsort((np.arange(n), dated, -chars.astype(np.int64)))] = np.arange(n)
    return ranks


def _in_cluster(root: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """Whether each document is in a cluster of two or more."""
    return np.bincount(root, minlength=root.size)[root] >= 2 if root.size else np.zeros(0, dtype=bool)


def _cover(
    n: int, exact: np.ndarray, sizes: np.ndarray, alike: np.ndarray, order: np.ndarray,
    signatures: Callable[[np.ndarray], np.ndarray], threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(cover, root): for each group representative, the kept copy that takes it (itself when
    kept); each document's cluster, by its first index."""
    union = _UnionFind(n)
    copies = np.flatnonzero(exact != np.arange(n))
    for a, b in zip(copies.tolist(), exact[copies].tolist()):
        union.union(a, b)
    del copies
    for a, b in alike.tolist():
        union.union(a, b)
    root = union.roots()
    del union
    # How central each group is: documents verified alike with it (its own copies, and the groups of
    # its verified pairs), then the signatures' estimate among its cluster's members.
    verified = sizes - 1
    np.add.at(verified, alike[:, 0], sizes[alike[:, 1]])
    np.add.at(verified, alike[:, 1], sizes[alike[:, 0]])
    estimated = _links(root, exact, signatures, threshold)
    cover = np.arange(n, dtype=np.int64)
    reps = np.flatnonzero((exact == np.arange(n)) & _in_cluster(root, exact))
    if not reps.size or not alike.size:
        return cover, root
    ranked = reps[np.lexsort((order[reps], -estimated[reps], -verified[reps]))]
    both = np.concatenate([alike, alike[:, ::-1]])
    both = both[np.argsort(both[:, 0], kind="stable")]
    starts = np.searchsorted(both[:, 0], ranked)  # each ranked group's neighbours (pairs, not documents)
    stops = np.searchsorted(both[:, 0], ranked, side="right")
    taken = np.zeros(n, dtype=bool)
    for rep, start, stop in zip(ranked.tolist(), starts.tolist(), stops.tolist()):
        if taken[rep]:
            continue
        taken[rep] = True
        neighbours = both[start:stop, 1]
        free = neighbours[~taken[neighbours]]
        cover[free] = rep
        taken[free] = True
    return cover, root


def _main_kept(root: np.ndarray, cover: np.ndarray, exact: np.ndarray, order: np.ndarray) -> np.ndarray:
    """For each document, the kept copy that names its cluster: of the cluster's kept copies, the
    one that took the most groups, then the best ranked."""
    n = root.size
    kept = np.flatnonzero((exact == np.arange(n)) & (cover == np.arange(n)))
    took = np.bincount(cover[exact == np.arange(n)], minlength=n)
    best = kept[np.lexsort((order[kept], -took[kept], root[kept]))]
    first = np.unique(root[best], return_index=True)
    main = np.full(n, -1, dtype=np.int64)
    main[first[0]] = best[first[1]]
    named: np.ndarray = main[root]
    return named


def _without(pairs: np.ndarray, known: np.ndarray) -> np.ndarray:
    """The rows of ``pairs`` that are not rows of ``known`` (both sorted and unique)."""
    if not pairs.size or not known.size:
        return pairs
    width = int(max(pairs.max(), known.max())) + 1
    return pairs[~np.isin(_pair_keys(pairs, width), _pair_keys(known, width))]


def _merged(
    pairs: np.ndarray, similarity: np.ndarray, more: np.ndarray, more_similarity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two sets of verified pairs as one, sorted."""
    joined = np.concatenate([pairs, more]) if pairs.size else more
    values = np.concatenate([similarity, more_similarity])
    order = np.lexsort((joined[:, 1], joined[:, 0])) if joined.size else np.zeros(0, dtype=np.int64)
    return joined[order].reshape(-1, 2), values[order]


def _keeps_prior_cluster(index: CorpusIndex, alone: np.ndarray) -> np.ndarray:
    """Kept copies alone in this run that an earlier dedup kept for a cluster, whose cluster id is
    still among the records: they keep their `dup_cluster` (the rest of the cluster was dropped),
    so that `dedup --drop` of its own output writes the same bytes."""
    prior: np.ndarray = alone & (index.prior != 0)
    if prior.any():
        known = np.sort(index.id_hashes)
        at = np.minimum(np.searchsorted(known, index.prior), max(known.size - 1, 0))
        prior &= known.size > 0
        prior &= known[at] == index.prior
    return prior


def _qualified_ids(index: CorpusIndex) -> dict[int, str]:
    """Documents whose id an earlier document already has, with the id they are written with:
    `id#2`, `id#3`, ... (as `split` names a repeated member), so that `dup_of`, `dup_cluster` and
    `story` each name one record, never a record itself."""
    suspects = [group for group in equal_key_groups([index.id_hashes])]
    if not suspects:
        return {}
    found = index.records_of(int(i) for group in suspects for i in group.tolist())
    known = np.sort(index.id_hashes)
    added: set[int] = set()

    def taken(name: str) -> bool:
        value = _hash64(name)
        at = int(np.searchsorted(known, np.uint64(value)))
        return value in added or (at < known.size and int(known[at]) == value)

    renamed: dict[int, str] = {}
    for group in suspects:
        seen: set[str] = set()
        for i in group.tolist():
            name = found[i][0]
            if name not in seen:
                seen.add(name)
                continue
            count = 2
            while taken(f"{name}#{count}"):
                count += 1
            renamed[i] = f"{name}#{count}"
            added.add(_hash64(renamed[i]))
    return renamed


# Clusters larger than this are not compared member by member to find their centre.
_MAX_CENTRE_SEARCH = 64


def _links(
    root: np.ndarray, exact_root: np.ndarray, signatures: Callable[[np.ndarray], np.ndarray], threshold: float
) -> np.ndarray:
    """For each document, how many members of its cluster are like it, by their signatures'
    estimate (a tie-breaker among copies verified alike with as many others)."""
    links = np.zeros(root.size, dtype=np.int64)
    sizes = np.bincount(root, minlength=root.size)
    searched = np.flatnonzero((sizes[root] >= 2) & (sizes[root] <= _MAX_CENTRE_SEARCH))
    searched = searched[np.argsort(root[searched], kind="stable")]
    groups = np.split(searched, np.flatnonzero(np.diff(root[searched])) + 1) if searched.size else []
    if not groups:
        return links
    wanted = np.sort(searched)
    fetched = signatures(wanted)  # one request for all of them: the signatures may be far away
    for group in groups:
        sigs = fetched[np.searchsorted(wanted, group)]
        alike = (sigs[:, None, :] == sigs[None, :, :]).mean(axis=2) >= threshold
        same = exact_root[group][:, None] == exact_root[group][None, :]
        links[group] = (alike | same).sum(axis=1) - 1
    return links


def records_at(records: Callable[[], Iterable[Record]], indices: Iterable[int]) -> Iterator[tuple[int, Record]]:
    """The records numbered ``indices`` (ascending) with their numbers, in one read as far as the
    last: by the records' own ``at`` where they have one (`io.inputs.RereadableRecords`, which
    does not parse the lines between), else by counting ``records()``."""
    at = getattr(records, "at", None)
    if at is not None:
        yield from at(indices)
        return
    from ..io.inputs import picked  # here, not above: `split` imports this module for its hash alone

    yield from picked(enumerate(records()), indices)


def read_ids(records: Callable[[], Iterable[Record]], needed: Iterable[int], start: int = 0) -> dict[int, str]:
    """The ids of the records numbered ``needed`` (``records()`` gives them from number ``start``)."""
    return {i + start: record.id for i, record in records_at(records, sorted(i - start for i in needed))}


def _similarities(
    records: Callable[[], Iterable[Record]], pairs: np.ndarray, options: DedupOptions,
    errors: Optional[dict[int, str]] = None,
) -> np.ndarray:
    """The real Jaccard similarity of each (a, b) row of ``pairs`` (a < b), in one more read
    of the records.

    A document's shingles are held only from where it is read to where its last partner is,
    so memory follows the pairs that are open at once, not all the documents in pairs."""
    result = np.zeros(len(pairs), dtype=np.float64)
    if not len(pairs):
        return result
    by_b = np.argsort(pairs[:, 1], kind="stable")
    b_sorted = pairs[by_b, 1]
    firsts = np.unique(pairs[:, 0])
    last = np.zeros(firsts.size, dtype=np.int64)  # the last partner of each first member
    np.maximum.at(last, np.searchsorted(firsts, pairs[:, 0]), pairs[:, 1])
    needed = np.union1d(firsts, b_sorted)
    held: dict[int, np.ndarray] = {}
    for index, record in records_at(records, needed.tolist()):
        shingles = record_shingles(record, options) if not errors or index not in errors else np.zeros(0, np.uint32)
        lo, hi = np.searchsorted(b_sorted, index), np.searchsorted(b_sorted, index, side="right")
        for row in by_b[lo:hi].tolist():
            a = int(pairs[row, 0])
            result[row] = jaccard(held[a], shingles) if held[a].size or shingles.size else 0.0
            if last[np.searchsorted(firsts, a)] == index:
                del held[a]
        at = np.searchsorted(firsts, index)
        if at < firsts.size and firsts[at] == index:
            held[index] = shingles
    return result


def record_shingles(record: Record, options: DedupOptions) -> np.ndarray:
    """The shingle hashes of a record (none when they cannot be computed: it then matches nothing)."""
    try:
        return shingle_hashes(dedup_key(record.text), options.shingle)
    except Exception:  # noqa: BLE001 - the failure was reported with the record's facts
        if os.environ.get("NEWSINGEST_DEBUG"):
            raise
        return np.zeros(0, dtype=np.uint32)


def dedup_records(
    records: Callable[[], Iterable[Record]], options: DedupOptions = DedupOptions(), drop: bool = False,
    jobs: Jobs = 1, on_problem: Optional[Callable[[Problem], None]] = None, progress: Progress = NO_PROGRESS,
    size: Optional[int] = None, on_duplicates: Optional[Callable[[int, int], None]] = None,
) -> Iterator[Record]:
    """Records in input order with `dup_of`, `dup_cluster`, `dup_kind` and `story` filled in;
    with ``drop``, only the kept copies. Reads the records three times or more. ``on_problem``
    hears of records whose facts failed and of ids qualified because another record had them;
    ``on_duplicates`` of how many exact and near duplicates there are; ``progress`` of each
    phase (``size``: the bytes of one read of the records)."""
    index = LocalIndex(records, options, jobs, progress, size)
    try:
        result = resolve(index, options, drop, progress, size)
        report_problems(result, index, on_problem)
    finally:
        index.close()
    del index  # its facts are not needed to write the records
    if on_duplicates is not None:
        on_duplicates(*result.duplicates())
    needed = set(result.referenced().tolist())
    ids: dict[int, str] = {}
    if needed:  # read as far as the last one
        progress.phase(PHASES["ids"], size)
        ids = read_ids(records, needed)
    progress.phase(PHASES["writing"], size)
    yield from mark(records(), result.marks(0, result.n, ids), drop)


def _failed_message(error: str, name: str) -> str:
    return (f"record {name!r}: dedup could not compute its facts ({error}); it is written unmarked, "
            "with the failure in its `problems` — please report it")


def _renamed_message(new: str, name: str) -> str:
    return (f"id {name!r} is the id of an earlier record too; written as {new!r}, so that dup_of and "
            "story name one record — give each split run its own --id-prefix")


def report_problems(result: DedupResult, index: CorpusIndex, on_problem: Optional[Callable[[Problem], None]]) -> None:
    """Tell ``on_problem`` of each record whose facts failed and of each qualified id."""
    if on_problem is None:
        return
    notes: list[tuple[int, str, Callable[[str], str]]] = [
        (i, "record_failed", partial(_failed_message, error)) for i, error in sorted(result.errors.items())
    ]
    notes += [(i, "id_collision", partial(_renamed_message, new)) for i, new in sorted(result.renamed.items())]
    where = index.records_of(sorted({i for i, _, _ in notes}))
    for i, kind, message in notes:
        name, container, line = where[i]
        on_problem(Problem(container, line, kind, message(name)))


@dataclass
class Marks:
    """What dedup writes into the records ``start``, ``start + 1``, ...: small enough to send
    to the process that holds those records."""

    start: int
    keep: np.ndarray  # kept copy's index, for each record of the range
    cluster: np.ndarray  # the cluster's main kept copy, or -1, for each record of the range
    kind: np.ndarray  # an index into KINDS, for each record of the range
    story: np.ndarray  # the first record of the story, or -1, for each record of the range
    prior: np.ndarray  # whether each record keeps the `dup_cluster` it came with
    ids: dict[int, str]  # the ids of the records the range refers to (qualified where renamed)
    renamed: dict[int, str]  # records of the range written with a qualified id
    errors: dict[int, str]  # records of the range whose facts failed


def mark(records: Iterable[Record], marks: Marks, drop: bool = False) -> Iterator[Record]:
    """The records of ``marks``' range with their dedup fields; with ``drop``, only kept copies."""
    ids = marks.ids
    size = len(marks.keep)
    for index, record in enumerate(records, marks.start):
        at = index - marks.start
        if at >= size:
            raise InputChanged(f"more records than on the first read (over {size:,}) — the input changed")
        kept = int(marks.keep[at])
        is_duplicate = kept != index
        if drop and is_duplicate:
            continue
        story = int(marks.story[at])
        cluster = int(marks.cluster[at])
        update: dict[str, Any] = {
            "dup_of": ids[kept] if is_duplicate else None,
            "dup_cluster": ids[cluster] if cluster >= 0 else (record.dup_cluster if marks.prior[at] else None),
            "dup_kind": KINDS[marks.kind[at]],
            "story": ids[story] if story >= 0 else None,
        }
        if index in marks.renamed:
            update["id"] = marks.renamed[index]
        if index in marks.errors:
            update["problems"] = [*record.problems, RecordProblem(stage="dedup", error=marks.errors[index])]
        yield record.model_copy(update=update)
