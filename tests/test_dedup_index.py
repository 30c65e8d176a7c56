"""`dedup --index DIR`: new records marked against an indexed corpus without reading it again."""

import json
import os
import random

import numpy as np
import pytest

from newsingest.io.jsonl import dumps_record
from newsingest.record import Record, Source
from newsingest.stages import dedup_index
from newsingest.stages.dedup import DedupOptions, _hash64, text_hash
from newsingest.stages.dedup_index import (
    MANIFEST, DedupIndex, SegmentData, ShingledIndex, dedup_indexed, write_segment,
)

_VOCAB = [f"kata{i}" for i in range(3000)]


def _text(seed, words=240):
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCAB) for _ in range(words)) + "."


def _near(text, seed):
    """The text with a few words changed: Jaccard of 5-shingles about 0.9."""
    words = text.split()
    rng = random.Random(seed)
    for at in rng.sample(range(len(words)), 3):
        words[at] = f"z{seed}{at % 9}"  # shorter than the word it replaces: the original is the longest
    return " ".join(words)


def _record(rid, text, lang="id", url=None, date=None):
    return Record(id=rid, text=text, language=lang, hash=text_hash(text), n_chars=len(text), url=url,
                  date_published=date, source=Source(container="c", member=rid, line=1))


def _jsonl(path, records):
    path.write_bytes(b"".join(dumps_record(r) for r in records))
    return os.fspath(path)


def _days():
    a, b, c, g, e = _text(1), _text(2), _text(3), _text(4), _text(5)
    day1 = [
        _record("d1/a", a, url="https://x/a"),
        _record("d1/a-retyped", a.upper()),  # exact copy within day 1 (as long: the first is kept)
        _record("d1/b", b),
        _record("d1/b-near", _near(b, 1)),  # near copy within day 1: its kept copy is d1/b
        _record("d1/c", c),
        _record("d1/g", g),
        _record("d1/alone", _text(6)),
    ]
    day2 = [
        _record("d2/a-again", a, url="https://x/a"),  # exact copy of an old kept copy; same story
        _record("d2/b-near", _near(b, 2)),  # near copy of an old kept copy
        _record("d2/b-near-again", _near(b, 3)),  # alike d1/b, not d1/b-near: the centre stays d1/b
        _record("d2/c-fa", c, lang="fa"),  # another language: never a duplicate
        _record("d2/e", e),
        _record("d2/e-copy", e),  # exact copies among the new records
        _record("d2/e-near", _near(e, 4)),
        _record("d2/g-longer", g + " tambahan kata di akhir berita ini."),  # longer near copy of an old loner
        _record("d1/alone", _text(7)),  # an id day 1 already has
    ]
    return day1, day2


def _marks(text):
    return [{k: r[k] for k in ("id", "dup_of", "dup_cluster", "dup_kind", "story")}
            for r in map(json.loads, text.splitlines())]


@pytest.mark.parametrize("new_from_stdin", [False, True])
def test_two_indexed_runs_mark_as_one_full_run_where_the_kept_copy_rule_allows(invoke, tmp_path, new_from_stdin):
    day1, day2 = _days()
    old, new = _jsonl(tmp_path / "day1.jsonl", day1), _jsonl(tmp_path / "day2.jsonl", day2)
    both = _jsonl(tmp_path / "both.jsonl", day1 + day2)
    index = os.fspath(tmp_path / "index")
    full = invoke(["dedup", both, "-q"])
    first = invoke(["dedup", old, "--index", index, "-q"])
    assert first.exit_code == 0, first.stderr
    assert first.stdout == invoke(["dedup", old, "-q"]).stdout  # a first run is a full run
    os.remove(old)  # the second run cannot read the old records
    if new_from_stdin:
        second = invoke(["dedup", "-", "--index", index, "-q"], input=(tmp_path / "day2.jsonl").read_bytes())
    else:
        second = invoke(["dedup", new, "--index", index, "-q"])
    assert second.exit_code == 1  # the repeated id is reported
    assert "id 'd1/alone' is the id of an earlier record too; written as 'd1/alone#2'" in second.stderr
    assert full.exit_code == 1
    incremental = _marks(first.stdout + second.stdout)
    expected = _marks(full.stdout)
    differences = {(i["id"], field): (i[field], e[field])
                   for i, e in zip(incremental, expected, strict=True) for field in i if i[field] != e[field]}
    assert differences == {
        # A full run keeps the longer copy, which came on day 2; the old copy was written as kept,
        # so it stays kept, and the new one is its duplicate.
        ("d1/g", "dup_cluster"): (None, "d2/g-longer"),
        ("d1/g", "dup_of"): (None, "d2/g-longer"),
        ("d1/g", "dup_kind"): (None, "near"),
        ("d2/g-longer", "dup_of"): ("d1/g", None),
        ("d2/g-longer", "dup_kind"): ("near", None),
        ("d2/g-longer", "dup_cluster"): ("d1/g", "d2/g-longer"),
        # Old records are never written again: the story day 2 joined is named in day 2's records only.
        ("d1/a", "story"): (None, "d1/a"),
    }
    by_id = {m["id"]: m for m in incremental}
    assert by_id["d2/a-again"] == {"id": "d2/a-again", "dup_of": "d1/a", "dup_cluster": "d1/a", "dup_kind": "exact",
                                   "story": "d1/a"}
    kept_b = by_id["d1/b-near"]["dup_cluster"]  # of d1/b and d1/b-near, the one day 1 kept
    assert by_id["d2/b-near"]["dup_of"] == by_id["d2/b-near-again"]["dup_of"] == kept_b
    assert by_id["d2/e-copy"]["dup_of"] == "d2/e" and by_id["d2/e-copy"]["dup_kind"] == "exact"
    assert by_id["d2/e-near"]["dup_of"] == "d2/e" and by_id["d2/e-near"]["dup_kind"] == "near"
    assert by_id["d2/c-fa"]["dup_of"] is None and by_id["d1/alone#2"]["dup_of"] is None


def test_a_third_run_sees_the_second_and_the_index_is_checked_against_the_options(invoke, tmp_path):
    day1, day2 = _days()
    index = os.fspath(tmp_path / "index")
    invoke(["dedup", _jsonl(tmp_path / "1.jsonl", day1), "--index", index, "-q"])
    invoke(["dedup", _jsonl(tmp_path / "2.jsonl", day2), "--index", index, "-q"])
    e = day2[4].text
    third = invoke(["dedup", _jsonl(tmp_path / "3.jsonl", [_record("d3/e", e), _record("d3/g", day1[5].text)]),
                    "--index", index, "-q"])
    assert third.exit_code == 0, third.stderr
    marks = _marks(third.stdout)
    assert [(m["dup_of"], m["dup_cluster"], m["dup_kind"]) for m in marks] == [
        ("d2/e", "d2/e", "exact"), ("d1/g", "d1/g", "exact")]
    assert json.loads((tmp_path / "index" / MANIFEST).read_text())["records"] == 7 + 9 + 2
    other = invoke(["dedup", os.fspath(tmp_path / "3.jsonl"), "--index", index, "--threshold", "0.9"])
    assert other.exit_code == 2
    assert "was made with --threshold 0.8 --num-perm 64: give the same options" in other.stderr


def test_index_with_a_scheduler_is_a_usage_error(invoke, tmp_path):
    path = _jsonl(tmp_path / "1.jsonl", _days()[0])
    result = invoke(["dedup", path, "--index", os.fspath(tmp_path / "i"), "--scheduler", "tcp://127.0.0.1:1",
                     "-o", os.fspath(tmp_path / "out") + "/"])
    assert result.exit_code == 2
    assert "--index goes with this machine's engine (leave out --scheduler" in result.stderr
    assert not (tmp_path / "i").exists()


def test_index_goes_with_jobs_drop_and_shards(invoke, tmp_path):
    import gzip

    day1, day2 = _days()
    old, new = _jsonl(tmp_path / "1.jsonl", day1), _jsonl(tmp_path / "2.jsonl", day2)
    for name, jobs in (("a", "2"), ("b", "1")):
        assert invoke(["dedup", old, "--index", os.fspath(tmp_path / name), "-q", "--jobs", jobs]).exit_code == 0
    out = tmp_path / "out"
    sharded = invoke(["dedup", new, "--index", os.fspath(tmp_path / "a"), "-q", "--jobs", "2", "--drop",
                      "-o", os.fspath(out) + "/"])
    single = invoke(["dedup", new, "--index", os.fspath(tmp_path / "b"), "-q", "--drop"])
    assert sharded.exit_code == single.exit_code == 1
    written = b"".join(gzip.decompress(shard.read_bytes()) for shard in sorted(out.glob("part-*.jsonl.gz")))
    assert written.decode() == single.stdout
    assert [m["id"] for m in _marks(single.stdout)] == ["d2/c-fa", "d2/e", "d1/alone#2"]


# While the segment's files are written; once the segment is in place, before the manifest.
@pytest.mark.parametrize("where, at", [("_save", 3), ("_sync", 1)])
def test_an_interrupted_index_write_leaves_the_old_index(invoke, tmp_path, monkeypatch, where, at):
    day1, day2 = _days()
    index = tmp_path / "index"
    invoke(["dedup", _jsonl(tmp_path / "1.jsonl", day1), "--index", os.fspath(index), "-q"])
    before = {p.relative_to(index): p.read_bytes() for p in index.rglob("*") if p.is_file()}
    real, calls = getattr(dedup_index, where), []

    def interrupted(*args, **kwargs):
        calls.append(args)
        if len(calls) == at:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(dedup_index, where, interrupted)
    new = _jsonl(tmp_path / "2.jsonl", day2)
    result = invoke(["dedup", new, "--index", os.fspath(index), "-q", "-o", os.fspath(tmp_path / "out.jsonl")])
    assert result.exit_code != 0 and len(calls) == at
    monkeypatch.undo()
    after = {p.relative_to(index): p.read_bytes() for p in index.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if k in before} == before  # nothing of the old index changed
    assert json.loads((index / MANIFEST).read_text())["records"] == 7
    again = invoke(["dedup", new, "--index", os.fspath(index), "-q"])
    fresh = tmp_path / "fresh"
    invoke(["dedup", os.fspath(tmp_path / "1.jsonl"), "--index", os.fspath(fresh), "-q"])
    assert again.stdout == invoke(["dedup", new, "--index", os.fspath(fresh), "-q"]).stdout
    assert sorted(p.name[:9] for p in index.iterdir() if p.name != MANIFEST) == ["seg-00000", "seg-00001"]


def test_a_small_batch_against_a_million_indexed_records_does_work_in_proportion_to_the_batch(tmp_path):
    """The index is built through the index writer from synthetic facts, with a few real texts
    planted in it; a batch of new records probes it a fixed number of times per record."""
    options = DedupOptions(num_perm=16)
    n, planted_at = 1_000_000, [10, 500_000, 999_999]
    texts = [_text(100 + i) for i in range(len(planted_at))]
    real = ShingledIndex(lambda: iter([_record(f"old{i}", t) for i, t in zip(planted_at, texts)]), options)
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**32, size=(n, 16), dtype=np.uint32)
    hashes = rng.integers(0, 2**63, size=(n, 2), dtype=np.uint64)
    lang = np.full(n, real.data["lang"][0], dtype=np.uint64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    values = []
    for k, at in enumerate(planted_at):
        sig[at] = real.signatures(np.array([k]))[0]
        hashes[at] = (real.data["hash_hi"][k], real.data["hash_lo"][k])
    shingle_counts = np.zeros(n, dtype=np.int64)
    for k, at in enumerate(planted_at):
        shingle_counts[at] = real.shingle_offsets[k + 1] - real.shingle_offsets[k]
        values.append(real.shingles_of(k))
    offsets[1:] = np.cumsum(shingle_counts)
    ids = [f"old{i}" for i in range(n)]
    docs = np.arange(n, dtype=np.int64)
    index = DedupIndex(os.fspath(tmp_path / "big"), options)
    write_segment(os.fspath(tmp_path / "big"), index, SegmentData(
        0, lang, hashes, np.full(n, 1000, dtype=np.int64), np.zeros(n, dtype=np.int32), np.zeros(n, dtype=np.uint64),
        np.array([_hash64(i) for i in ids], dtype=np.uint64), docs, np.full(n, -1, dtype=np.int64), sig, ids,
        np.concatenate(values), offsets, docs, docs))
    del sig, hashes, ids

    batch = [_record("new-exact", texts[0]), _record("new-near", _near(texts[1], 9)), _record("new-other", _text(99))]
    batch += [_record(f"new{i}", _text(200 + i)) for i in range(20)]
    run = dedup_indexed(lambda: iter(batch), os.fspath(tmp_path / "big"), options)
    marked = {r.id: (r.dup_of, r.dup_kind) for r in run.records}
    assert marked["new-exact"] == ("old10", "exact") and marked["new-near"] == ("old500000", "near")
    assert sum(1 for v in marked.values() if v[0] is not None) == 2
    bands = DedupIndex(os.fspath(tmp_path / "big"), options).bands
    # Each new record: one exact probe, one url probe, one id probe, and a probe a band as a
    # representative: never a pass over the million old records.
    assert run.counters.probes <= len(batch) * (3 + bands)
    assert run.counters.shingle_reads <= 1  # only the one old record that is a candidate
    assert run.counters.facts_reads <= 10
    run.commit()
    assert json.loads((tmp_path / "big" / MANIFEST).read_text())["records"] == n + len(batch)
