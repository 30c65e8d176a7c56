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
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Callable, Iterable, Iterator, Optional

import numpy as np

from .parallel import ordered_map
from .record import Record

# --- the key ----------------------------------------------------------------------------------

# Letter variants that are one letter for deduplication.
_LETTER_FOLDS = {
    "\u064a": "\u06cc",  # ي Arabic yeh
    "\u0649": "\u06cc",  # ى alef maksura
    "\u0643": "\u06a9",  # ك Arabic kaf
    "\u06aa": "\u06a9",  # ڪ swash kaf
    "\u0629": "\u0647",  # ة teh marbuta: written ه as often as ة in scraped text
    "\u06d5": "\u0647",  # ە ae (what ۀ decomposes to)
    "\u0671": "\u0627",  # ٱ alef wasla (أ إ آ fold by losing their hamza or madda mark)
}


class _FoldTable(dict):
    """The translate table of the key, filled in for each character the first time it is met
    (building it for all of Unicode up front would cost every process a third of a second):
    marks, format characters and tatweel deleted; punctuation and white space to a space;
    digits of every script to 0-9; letter variants folded."""

    def __missing__(self, cp: int) -> object:
        ch = chr(cp)
        category = unicodedata.category(ch)
        if cp == 0x0640 or category in ("Mn", "Me", "Cf"):  # tatweel, marks, format characters
            value: object = None
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


def dedup_key(text: str) -> str:
    """Text with what is not content folded away; words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    # The table maps every space, control and punctuation character to " ", so runs of " " are
    # all there is to fold (a regex rather than split/join: no list of every word of a huge text).
    return _SPACE_RUNS.sub(" ", decomposed.translate(_FOLD_TABLE)).strip(" ")


def text_hash(text: str) -> str:
    """Hex digest (BLAKE2b, 128 bits) of the dedup key without its spaces.

    Spaces are left out because word boundaries are themselves typed differently
    (می‌شود, میشود, می شود), so only the sequence of folded letters counts.
    """
    return _key_digest(dedup_key(text)).hex()


# --- MinHash and LSH --------------------------------------------------------------------------



@dataclass(frozen=True)
class DedupOptions:
    """``threshold``: Jaccard similarity of word shingles from which two texts are duplicates.
    ``num_perm``: MinHash permutations (4 bytes each per document). ``shingle``: words per shingle.
    ``recall``: the probability with which LSH must bring a pair at ``threshold`` together."""

    threshold: float = 0.8
    num_perm: int = 64
    shingle: int = 5
    recall: float = 0.99

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")
        if not 1 <= self.num_perm <= 1024:
            raise ValueError(f"num_perm must be from 1 to 1024, not {self.num_perm}")


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

    Each word is hashed once (CRC-32: stable everywhere); a shingle's hash mixes the hashes of
    its words in order, for all shingles at once."""
    if len(key) <= _LIST_WORDS_UP_TO:
        words = key.split()
        word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    else:  # a huge text: 8 bytes a word, never a list of its words
        word_hashes = np.fromiter((zlib.crc32(m.group().encode("utf-8")) for m in _WORD.finditer(key)), dtype=np.uint64)
    if not word_hashes.size:
        return np.zeros(0, dtype=np.uint32)
    span = min(size, word_hashes.size)
    count = word_hashes.size - span + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(span):
        mixed = (mixed ^ word_hashes[offset : offset + count]) * _SHINGLE_MIX  # wraps mod 2**64
    return np.unique((mixed >> np.uint64(32)).astype(np.uint32))


def minhash(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash signature (uint32 x num_perm) of a set of shingle hashes."""
    if hashes.size == 0:
        return np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    a, b = _permutations(num_perm)
    # Multiply-shift hashing: (a*x + b) mod 2**64, high 32 bits (numpy's uint64 arithmetic wraps).
    values = (np.outer(hashes.astype(np.uint64), a) + b) >> np.uint64(32)
    return values.min(axis=0).astype(np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays."""
    if a.size == 0 and b.size == 0:
        return 1.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


# --- finding duplicates -------------------------------------------------------------------------


class _Columns:
    """Per-document facts in numpy buffers grown a block at a time: about 50 bytes plus the
    signature per document, never a Python object per document."""

    BLOCK = 2_048
    FIELDS = {"hash_hi": np.uint64, "hash_lo": np.uint64, "lang": np.uint64, "chars": np.int32,
              "date": np.int32, "url": np.uint64}

    def __init__(self, num_perm: int) -> None:
        self.num_perm = num_perm
        self._blocks: list[dict[str, np.ndarray]] = []
        self._used = 0

    def add(self, facts: "_Facts") -> None:
        language, n_chars, date, url, digest, signature = facts
        if not self._blocks or self._used == self.BLOCK:
            block = {name: np.zeros(self.BLOCK, dtype=dtype) for name, dtype in self.FIELDS.items()}
            block["sig"] = np.zeros((self.BLOCK, self.num_perm), dtype=np.uint32)
            self._blocks.append(block)
            self._used = 0
        block, i = self._blocks[-1], self._used
        block["hash_hi"][i] = int.from_bytes(digest[:8], "little")
        block["hash_lo"][i] = int.from_bytes(digest[8:], "little")
        block["lang"][i] = _language_code(language)
        block["chars"][i] = n_chars
        block["date"][i] = date
        block["url"][i] = url
        block["sig"][i] = signature
        self._used += 1

    def finish(self) -> dict[str, object]:
        """The facts as whole arrays; the signatures stay in their blocks (``sig_blocks``), since
        joining them would hold every signature twice at once."""
        sizes = [self.BLOCK] * (len(self._blocks) - 1) + [self._used] if self._blocks else []
        out: dict[str, object] = {
            name: np.concatenate([b[name][:n] for b, n in zip(self._blocks, sizes)]) if sizes else np.zeros(0, dtype)
            for name, dtype in self.FIELDS.items()
        }
        out["sig_blocks"] = [b["sig"][:n] for b, n in zip(self._blocks, sizes)]
        out["block"] = self.BLOCK
        self._blocks = []
        return out


_Facts = tuple  # (language, n_chars, date ordinal, url hash, key digest, signature)


def _facts(record: Record, options: "DedupOptions") -> _Facts:
    """What dedup keeps of a record: computed where the record is, on any process."""
    key = dedup_key(record.text)
    url = int.from_bytes(_digest(record.url)[:8], "little") if record.url else 0
    signature = minhash(shingle_hashes(key, options.shingle), options.num_perm)
    # The length is the text's own, not `n_chars`: a record edited by hand may say anything there.
    return record.language, len(record.text), _date_ordinal(record.date_published), url, _key_digest(key), signature


def _key_digest(key: str) -> bytes:
    """What `text_hash` hexes: recomputed from the text, so records edited since `split` still count."""
    return _digest(key.replace(" ", ""))


def _digest(value: str) -> bytes:
    return hashlib.blake2b(value.encode("utf-8"), digest_size=16).digest()


@lru_cache(maxsize=None)
def _language_code(language: str) -> int:
    """A language as a number that every process computes alike (keys are grouped across machines)."""
    return int.from_bytes(_digest(language or "")[:8], "little")


def _date_ordinal(value: Optional[str]) -> int:
    try:
        return datetime.date.fromisoformat(value[:10]).toordinal() if value else 0
    except ValueError:
        return 0


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


@dataclass
class DedupResult:
    """What `find_duplicates` learnt: for each document index, its cluster root and how it joined."""

    n: int
    root: np.ndarray  # cluster representative index (itself when alone)
    keep: np.ndarray  # the index of the kept copy of each document's cluster
    kind: np.ndarray  # int8, an index into KINDS: how each document is a duplicate of another
    story: np.ndarray  # index of the first record with the same url, or -1
    candidates: int  # candidate pairs that LSH proposed
    verified: int  # of them, pairs whose real Jaccard similarity reached the threshold
    bands: int
    rows: int
    signature_bytes: int

    def clustered(self) -> np.ndarray:
        """Whether each record is in a cluster of two or more."""
        if not hasattr(self, "_clustered"):
            self._clustered = (np.bincount(self.root, minlength=self.n) >= 2)[self.root] if self.n else np.zeros(0, bool)
        return self._clustered

    def referenced(self, start: int = 0, stop: Optional[int] = None) -> np.ndarray:
        """Indices whose ids records ``start`` to ``stop`` need: kept copies of their clusters
        and first records of their stories."""
        keep, story = self.keep[start:stop], self.story[start:stop]
        return np.union1d(keep[self.clustered()[start:stop]], story[story >= 0])

    def marks(self, start: int, stop: int, ids: dict[int, str]) -> "Marks":
        """The marks of records ``start`` to ``stop`` (exclusive); ``ids`` has at least theirs."""
        wanted = self.referenced(start, stop)
        return Marks(start, self.keep[start:stop], self.clustered()[start:stop], self.kind[start:stop],
                     self.story[start:stop], {int(i): ids[int(i)] for i in wanted})


def _groups(keys: list[np.ndarray]) -> Iterator[np.ndarray]:
    """Index groups (size >= 2) of equal rows over several key columns, each in index order."""
    if not keys or keys[0].size == 0:
        return
    order = np.lexsort(keys[::-1])
    sorted_keys = [k[order] for k in keys]
    change = np.zeros(order.size, dtype=bool)
    change[0] = True
    for k in sorted_keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], order.size)
    for s, e in zip(starts, ends):
        if e - s >= 2:
            yield order[s:e]


def _band_keys(sig: np.ndarray, lang: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One 64-bit key per document for a band, mixing its rows and its language."""
    block = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
    key = lang.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(band)
    for j in range(block.shape[1]):
        key = (key ^ block[:, j]) * np.uint64(0x100000001B3)
    return key


def _star_pair_array(groups: Iterable[np.ndarray]) -> np.ndarray:
    """Each group as pairs of its first member with the others (pairs stay linear in a group's
    size), all groups as one array of (a, b) rows, a < b, unique and sorted."""
    parts = []
    for group in groups:
        group = np.sort(group)
        parts.append(np.stack([np.full(group.size - 1, group[0]), group[1:]], axis=1))
    return unique_pairs(np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64))


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Rows (a, b) without repeats, in order: 16 bytes a pair, never a Python object per pair."""
    return np.unique(pairs.astype(np.int64).reshape(-1, 2), axis=0)


def _pair_positions(pairs: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each row of ``wanted`` is in the sorted unique ``pairs``, or -1."""
    if not pairs.size or not wanted.size:
        return np.full(len(wanted), -1, dtype=np.int64)
    width = np.int64(max(pairs.max(), wanted.max()) + 1)
    keys, look = pairs[:, 0] * width + pairs[:, 1], wanted[:, 0] * width + wanted[:, 1]
    at = np.minimum(np.searchsorted(keys, look), keys.size - 1)
    return np.where(keys[at] == look, at, -1)


class _LocalIndex:
    """The records' facts in this process: what `_resolve` asks of a corpus, answered here
    (the Dask engine in `newsingest.cluster` answers the same questions across partitions)."""

    def __init__(self, records: Callable[[], Iterable[Record]], options: DedupOptions, jobs: int) -> None:
        self.records, self.options = records, options
        columns = _Columns(options.num_perm)
        for facts in ordered_map(partial(_facts, options=options), records(), jobs):
            columns.add(facts)
        self.data = columns.finish()
        self.n = self.data["lang"].size
        self.chars, self.date = self.data["chars"], self.data["date"]
        self.signature_bytes = sum(block.nbytes for block in self.data["sig_blocks"])

    def exact_groups(self) -> Iterator[np.ndarray]:
        return _groups([self.data["lang"], self.data["hash_hi"], self.data["hash_lo"]])

    def url_groups(self) -> Iterator[np.ndarray]:
        url = self.data["url"]
        return (group for group in _groups([url]) if url[group[0]] != 0)

    def candidate_pairs(self, is_rep: np.ndarray, bands: int, rows: int) -> np.ndarray:
        pairs = []
        for band in range(bands):
            keys, indices, start = [], [], 0
            for sig in self.data["sig_blocks"]:  # block by block: signatures are never copied whole
                mask = is_rep[start : start + len(sig)]
                keys.append(_band_keys(sig[mask], self.data["lang"][start : start + len(sig)][mask], band, rows))
                indices.append(np.flatnonzero(mask) + start)
                start += len(sig)
            if not keys:
                continue
            indices_all = np.concatenate(indices)
            pairs.append(_star_pair_array(indices_all[group] for group in _groups([np.concatenate(keys)])))
        return unique_pairs(np.concatenate(pairs)) if pairs else np.zeros((0, 2), dtype=np.int64)

    def similarities(self, pairs: np.ndarray) -> np.ndarray:
        return _similarities(self.records, pairs, self.options)

    def signatures(self, indices: np.ndarray) -> np.ndarray:
        block = self.data["block"]
        return np.stack([self.data["sig_blocks"][i // block][i % block] for i in indices])


def find_duplicates(
    records: Callable[[], Iterable[Record]], options: DedupOptions = DedupOptions(), jobs: int = 1
) -> DedupResult:
    """Read the records twice (``records()`` must give them afresh each time) and find
    exact and near duplicates within each language, and records sharing a URL.
    Signatures are computed on ``jobs`` processes."""
    return resolve(_LocalIndex(records, options, jobs), options)


def resolve(index, options: DedupOptions) -> DedupResult:
    """Clusters, kept copies and stories from what ``index`` answers about the corpus: ``n``,
    ``chars``, ``date``, ``exact_groups()``, ``candidate_pairs(is_rep, bands, rows)``,
    ``similarities(pairs)``, ``signatures(indices)``, ``url_groups()``, ``signature_bytes``.
    Holds a few numbers per document; the groups and the pairs are found by the index."""
    bands, rows = choose_bands(options.threshold, options.num_perm, options.recall)
    n = index.n
    union = _UnionFind(n)
    # Exact duplicates: equal hash within a language.
    for a, b in _star_pair_array(index.exact_groups()).tolist():
        union.union(a, b)
    # Near duplicates: LSH candidates among one representative of each exact group.
    exact_root = union.roots()
    pairs = index.candidate_pairs(exact_root == np.arange(n), bands, rows)  # sorted unique rows
    similarity = index.similarities(pairs)
    alike = pairs[similarity >= options.threshold]
    for a, b in alike.tolist():
        union.union(a, b)
    sizes = np.bincount(exact_root, minlength=n)
    rep_links = np.zeros(n, dtype=np.int64)  # members of other exact groups verified alike
    np.add.at(rep_links, alike[:, 0], sizes[alike[:, 1]])
    np.add.at(rep_links, alike[:, 1], sizes[alike[:, 0]])
    verified_links = sizes[exact_root] - 1 + rep_links[exact_root]  # exact copies are alike too

    root = union.roots()
    links = (verified_links, _links(root, exact_root, index.signatures, options.threshold))
    keep = _choose_kept(root, index.chars, index.date, links)
    # Joined through others, a copy may be less like the kept copy than the threshold: it
    # then stands apart (with its exact copies), so that every `dup_of` is a verified pair.
    near = np.flatnonzero(exact_root != exact_root[keep])
    rep_pairs = np.stack([np.minimum(exact_root[near], exact_root[keep[near]]),
                          np.maximum(exact_root[near], exact_root[keep[near]])], axis=1)
    at = _pair_positions(pairs, rep_pairs)
    value = np.where(at >= 0, similarity[np.maximum(at, 0)] if similarity.size else 0.0, 0.0)
    unknown = unique_pairs(rep_pairs[at < 0])
    if unknown.size:
        value[at < 0] = index.similarities(unknown)[_pair_positions(unknown, rep_pairs[at < 0])]
    apart = value < options.threshold
    root[near[apart]] = exact_root[near[apart]]
    keep = _choose_kept(root, index.chars, index.date, links)
    duplicate = keep != np.arange(n)
    kind = np.zeros(n, dtype=np.int8)
    kind[duplicate] = np.where(exact_root[duplicate] == exact_root[keep[duplicate]], 1, 2)
    story = np.full(n, -1, dtype=np.int64)
    for group in index.url_groups():
        story[group] = group.min()
    return DedupResult(n, root, keep, kind, story, len(pairs), len(alike), bands, rows, index.signature_bytes)


# Clusters larger than this are not compared member by member to find their centre.
_MAX_CENTRE_SEARCH = 64


def _links(
    root: np.ndarray, exact_root: np.ndarray, signatures: Callable[[np.ndarray], np.ndarray], threshold: float
) -> np.ndarray:
    """For each document, how many members of its cluster are like it, by their signatures'
    estimate (the real similarity to the kept copy is checked afterwards)."""
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


def _similarities(
    records: Callable[[], Iterable[Record]], pairs: np.ndarray, options: DedupOptions
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
    end, k = int(needed[-1]), 0
    for index, record in enumerate(records()):
        if index > end:
            break
        if needed[k] != index:
            continue
        k += 1
        shingles = shingle_hashes(dedup_key(record.text), options.shingle)
        lo, hi = np.searchsorted(b_sorted, index), np.searchsorted(b_sorted, index, side="right")
        for row in by_b[lo:hi].tolist():
            a = int(pairs[row, 0])
            result[row] = jaccard(held[a], shingles)
            if last[np.searchsorted(firsts, a)] == index:
                del held[a]
        at = np.searchsorted(firsts, index)
        if at < firsts.size and firsts[at] == index:
            held[index] = shingles
    return result


def _choose_kept(root: np.ndarray, chars: np.ndarray, date: np.ndarray, links: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The kept copy of each cluster: the one most like the others (verified like the most
    members, then estimated like the most), then the longest text, then the earliest stated
    date, then the first."""
    n = root.size
    verified, estimated = links
    date = np.where(date > 0, date, np.iinfo(np.int32).max)
    order = np.lexsort((np.arange(n), date, -chars.astype(np.int64), -estimated, -verified, root))
    sorted_roots = root[order]
    starts = np.flatnonzero(np.r_[True, sorted_roots[1:] != sorted_roots[:-1]]) if n else np.zeros(0, np.int64)
    return order[starts][np.searchsorted(sorted_roots[starts], root)]


def dedup_records(
    records: Callable[[], Iterable[Record]], options: DedupOptions = DedupOptions(), drop: bool = False,
    jobs: int = 1,
) -> Iterator[Record]:
    """Records in input order with `dup_of`, `dup_cluster`, `dup_kind` and `story` filled in;
    with ``drop``, only the kept copies. Reads the records four times."""
    result = find_duplicates(records, options, jobs)
    needed = set(result.referenced().tolist())
    ids = {index: record.id for index, record in enumerate(records()) if index in needed}
    yield from mark(records(), result.marks(0, result.n, ids), drop)


@dataclass
class Marks:
    """What dedup writes into the records ``start``, ``start + 1``, ...: small enough to send
    to the process that holds those records."""

    start: int
    keep: np.ndarray  # kept copy's index, for each record of the range
    clustered: np.ndarray  # whether each record of the range is in a cluster of two or more
    kind: np.ndarray  # an index into KINDS, for each record of the range
    story: np.ndarray  # the first record of the story, or -1, for each record of the range
    ids: dict[int, str]  # the ids of the kept copies and first stories the range refers to


def mark(records: Iterable[Record], marks: Marks, drop: bool = False) -> Iterator[Record]:
    """The records of ``marks``' range with their dedup fields; with ``drop``, only kept copies."""
    ids = marks.ids
    for index, record in enumerate(records, marks.start):
        kept = int(marks.keep[index - marks.start])
        is_duplicate = kept != index
        if drop and is_duplicate:
            continue
        story = int(marks.story[index - marks.start])
        yield record.model_copy(
            update={
                "dup_of": ids[kept] if is_duplicate else None,
                "dup_cluster": ids[kept] if marks.clustered[index - marks.start] else None,
                "dup_kind": KINDS[marks.kind[index - marks.start]],
                "story": ids[story] if story >= 0 else None,
            }
        )
