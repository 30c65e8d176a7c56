from newsingest.record import Boilerplate, Record, Source
from newsingest.stages.stats import CorpusStats, collect_stats, length_bin, publisher_of


def make(lang, n, truncated=False, **fields):
    return Record(
        id=f"{lang}{n}", text="x" * n, language=lang, hash="0", n_chars=n, truncated=truncated,
        source=Source(container="c", member=None, line=1), **fields,
    )


def test_counts_by_language_most_first():
    stats = collect_stats([make("fa", 3), make("ar", 5), make("fa", 2, truncated=True)])
    figures = stats.to_dict()
    assert figures["languages"] == {"fa": {"articles": 2, "chars": 5}, "ar": {"articles": 1, "chars": 5}}
    assert (figures["articles"], figures["chars"], figures["problems"]["truncated"]) == (3, 10, 1)


def test_every_figure_is_counted():
    records = [
        make("fa", 150, publisher="ایرنا", date_published="2024-05-01", normalization={"zwnj_restored": 3},
             boilerplate=[Boilerplate(text="نظر (0)", reason="comment_counter", line=9)], captions=["c"]),
        make("fa", 150, url="https://www.example.ir/a", dup_of="fa150", dup_cluster="fa150", dup_kind="exact",
             story="fa150", normalization={"zwnj_restored": 1, "persian_letters": 2}),
        make("und", 0, publisher_url="https://news.example.com/", languages={"fa": 0.6, "en": 0.4}),
    ]
    figures = collect_stats(records).to_dict()
    assert figures["publishers"] == {"example.ir": 1, "news.example.com": 1, "ایرنا": 1}
    assert figures["months"] == {"(no date)": 2, "2024-05": 1}
    assert figures["lengths"] == {"0-100": 1, "100-300": 2}
    assert figures["duplicates"] == {"exact": 1, "near": 0, "kept_in_cluster": 0, "in_story": 1}
    assert figures["normalization"] == {"zwnj_restored": 4, "persian_letters": 2}
    assert figures["boilerplate"] == {"comment_counter": 1} and figures["captions"] == 1
    assert figures["problems"] == {"truncated": 0, "language_und": 1, "empty_text": 1, "stage_failed": 0}
    assert figures["mixed_language_articles"] == 1


def test_merge_equals_one_pass():
    records = [make("fa", 3, publisher="a"), make("ar", 5, date_published="2020-01-02"), make("id", 7), make("fa", 1)]
    merged = collect_stats(records[:2]).merge(collect_stats(records[2:]))
    assert merged.to_dict() == collect_stats(records).to_dict()
    assert CorpusStats().to_dict()["articles"] == 0


def test_length_bins_and_publisher():
    assert [length_bin(n) for n in (0, 99, 100, 2999, 3000, 250_000)] == [
        "0-100", "0-100", "100-300", "1,000-3,000", "3,000-10,000", "100,000+"
    ]
    assert publisher_of(make("fa", 1)) == "(unknown)"
