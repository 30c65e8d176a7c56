"""From container members to records: the `split` stage."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import Iterable, Iterator, Optional
from urllib.parse import urlsplit

from .container import Member
from .dedup import text_hash
from .extract import Article, clean_body, extract_article
from .langid import detect, language_shares
from .parallel import ordered_map
from .record import Record, Source

__all__ = ["SplitOptions", "IdAllocator", "clean_body", "member_to_record", "split_members"]


@dataclass(frozen=True)
class SplitOptions:
    """``keep_boilerplate``: leave `text` as in the container and only fill the metadata.
    ``languages``: restrict language identification to these codes.
    ``learn_furniture``: a line repeated verbatim in at least this many articles of one
    publisher (within a window of ``window`` articles) is furniture; 0 turns it off.
    ``encoding``: how the containers are decoded, ``auto`` or a codec name (newsingest.encoding)."""

    keep_boilerplate: bool = False
    learn_furniture: int = 0
    window: int = 1000
    languages: Optional[frozenset[str]] = None  # the candidates, when the corpus's languages are known
    encoding: str = "auto"


DEFAULT = SplitOptions()


def container_label(path: str) -> str:
    """The name that stands for a container in the ids of its unnamed members."""
    return "stdin" if path == "-" else os.path.basename(path)


def _extract(member: Member, options: SplitOptions, furniture: frozenset[str] = frozenset()) -> Article:
    return extract_article(
        member.body, keep_boilerplate=options.keep_boilerplate, furniture_lines=furniture, first_line=member.line + 1
    )


def member_to_record(member: Member, record_id: str, article: Optional[Article] = None,
                     options: SplitOptions = DEFAULT) -> Record:
    article = article or _extract(member, options)
    # On the clean text, without furniture and captions: an English footer must not decide.
    guess = detect(article.text, options.languages)
    shares = language_shares(article.text, options.languages, guess.language, guess.score)
    language, score = guess.language, guess.score
    if shares and next(iter(shares)) != language:  # the language of most paragraphs wins
        language = next(iter(shares))
        score = shares[language]
    return Record(
        id=record_id,
        text=article.text,
        title=article.title,
        language=language,
        language_score=score,
        languages=shares,
        url=article.url,
        publisher_url=article.publisher_url,
        publisher=article.publisher,
        date_published=article.date_published,
        captions=article.captions,
        boilerplate=article.boilerplate,
        hash=text_hash(article.text),
        source=Source(container=member.container, member=member.name, line=member.line),
        n_chars=len(article.text),
        truncated=member.truncated,
        encoding=member.encoding,
    )


class IdAllocator:
    """Hands out unique ids within one run: a repeated member name gets ``#2``, ``#3``, ..."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def __call__(self, member: Member) -> str:
        base = member.name if member.name is not None else f"{container_label(member.container)}#{member.ordinal}"
        count = self._counts.get(base, 0) + 1
        self._counts[base] = count
        if count == 1:
            return base
        candidate = f"{base}#{count}"
        while candidate in self._counts:  # `a#2` may also be a real member name
            count += 1
            candidate = f"{base}#{count}"
        self._counts[base] = count
        self._counts[candidate] = 1
        return candidate


def _record_of(task: tuple[Member, str, SplitOptions]) -> Record:
    member, record_id, options = task
    return member_to_record(member, record_id, options=options)


def _window_records(task: tuple[list[tuple[Member, str]], SplitOptions]) -> list[Record]:
    window, options = task
    learnt = _with_learnt_furniture([member for member, _ in window], options)
    return [member_to_record(member, rid, article, options) for (member, article), (_, rid) in zip(learnt, window)]


def split_members(
    members: Iterable[Member], ids: Optional[IdAllocator] = None, options: SplitOptions = DEFAULT, jobs: int = 1
) -> Iterator[Record]:
    """One record per member that has any text; empty members were reported by the reader.

    With ``jobs`` > 1 the articles are extracted on that many processes; the records and
    their order are the same.
    """
    ids = ids or IdAllocator()
    members = (m for m in members if m.body.strip())
    if options.learn_furniture <= 0:
        yield from ordered_map(_record_of, ((m, ids(m), options) for m in members), jobs)
        return
    windows = iter(lambda: [(m, ids(m)) for m in islice(members, options.window)], [])
    for records in ordered_map(_window_records, ((window, options) for window in windows), jobs, batch=1):
        yield from records


def _publisher_key(member: Member, article: Article) -> str:
    """Which articles share furniture: one publisher, told by name, link or container."""
    if article.publisher:
        return article.publisher
    for url in (article.url, article.publisher_url):
        if url:
            return urlsplit(url).netloc.lower().removeprefix("www.")
    return member.container


def _with_learnt_furniture(window: list[Member], options: SplitOptions) -> Iterator[tuple[Member, Article]]:
    """Extract a window of articles twice: the second time with lines learnt as furniture.

    A line standing verbatim in many articles of one publisher is the site's, not the
    story's (CCNet removes repeated paragraphs the same way); each article counts once.
    """
    first = [(member, _extract(member, options)) for member in window]
    counts: dict[str, Counter] = defaultdict(Counter)
    for member, article in first:
        lines = {line.strip() for line in article.text.split("\n") if 0 < len(line.strip()) <= 300}
        counts[_publisher_key(member, article)].update(lines)
    for member, article in first:
        repeated = counts[_publisher_key(member, article)]
        learnt = frozenset(
            line.strip() for line in article.text.split("\n") if repeated[line.strip()] >= options.learn_furniture
        )
        yield member, (_extract(member, options, learnt) if learnt else article)
