from newsingest.record import Record, Source
from newsingest.stats import CorpusStats, collect_stats


def make(lang, n, truncated=False):
    return Record(
        id=f"{lang}{n}", text="x" * n, language=lang, hash="0", n_chars=n, truncated=truncated,
        source=Source(container="c", member=None, line=1),
    )


def test_counts_by_language_most_first():
    stats = collect_stats([make("fa", 3), make("ar", 5), make("fa", 2, truncated=True)])
    assert stats.to_dict() == {
        "articles": 3,
        "chars": 10,
        "truncated": 1,
        "languages": {"fa": {"articles": 2, "chars": 5}, "ar": {"articles": 1, "chars": 5}},
    }


def test_merge_equals_one_pass():
    records = [make("fa", 3), make("ar", 5), make("id", 7), make("fa", 1)]
    merged = collect_stats(records[:2]).merge(collect_stats(records[2:]))
    assert merged.to_dict() == collect_stats(records).to_dict()
    assert CorpusStats().to_dict()["articles"] == 0
