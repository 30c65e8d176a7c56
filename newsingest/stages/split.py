"""From container members to records: the `split` stage.

A failure while one article is extracted, identified or hashed is that article's problem, never
the run's: it is caught at the article, the record is still written with what could be made of it
(the text as read, at worst) and a `problems` entry saying what failed, and the caller hears of
it as a `Problem` with the member's place.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from itertools import groupby, islice
from typing import Callable, Iterable, Iterator, Optional, TypeVar

from ..io.container import Member
from ..io.jsonl import dumps_record
from .dedup import text_hash
from ..errors import Problem
from .extract import Article, clean_body, extract_article
from .langid import UNDETERMINED, Identification, identify
from ..engines.pool import Jobs, ordered_map
from ..record import LanguageShare, Record, RecordProblem, Source
from .urls import publisher_name
from ..options import SplitOptions
from .ids import IdAllocator, container_label

__all__ = ["SplitOptions", "IdAllocator", "clean_body", "container_label", "member_to_record", "split_members", "split_lines"]

_T = TypeVar("_T")


DEFAULT = SplitOptions()


class _Failures:
    """What failed on one article, step by step: the record keeps each failure, the caller hears of it."""

    def __init__(self) -> None:
        self.items: list[RecordProblem] = []

    def step(self, name: str, work: Callable[[], _T], fallback: Callable[[], _T]) -> _T:
        try:
            return work()
        except Exception as exc:  # noqa: BLE001 - one article's failure must not end the run
            if os.environ.get("NEWSINGEST_DEBUG"):
                raise
            self.items.append(RecordProblem(stage="split", error=f"{name}: {type(exc).__name__}: {exc}"))
            return fallback()


def _extract(member: Member, options: SplitOptions, furniture: frozenset[str] = frozenset()) -> Article:
    return extract_article(
        member.body, keep_boilerplate=options.keep_boilerplate, furniture_lines=furniture, first_line=member.line + 1
    )


def _as_read(member: Member) -> Article:
    """The article as the container holds it: what a record keeps when extraction failed."""
    return Article(text=clean_body(member.body))


def _raw_hash(text: str) -> str:
    """A hash of the text's bytes, for a record whose dedup hash could not be computed."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def member_to_record(member: Member, record_id: str, article: Optional[Article] = None,
                     options: SplitOptions = DEFAULT) -> Record:
    """The record of a member. Extraction, language identification and hashing are each tried
    on their own: what fails is noted in `problems`, and the rest of the record is still made."""
    failures = _Failures()
    if article is None:
        article = failures.step("extraction", lambda: _extract(member, options), lambda: _as_read(member))
    # On the clean text, without furniture and captions: an English footer must not decide.
    found = failures.step("language identification", lambda: identify(article.text, options.languages),
                          lambda: Identification(UNDETERMINED, 0.0))
    digest = failures.step("hashing", lambda: text_hash(article.text), lambda: _raw_hash(article.text))
    return Record(
        id=record_id,
        text=article.text,
        title=article.title,
        language=found.language,
        language_score=found.score,
        languages=None if found.shares is None else [
            LanguageShare(language=language, share=share) for language, share in found.shares.items()
        ],
        url=article.url,
        publisher_url=article.publisher_url,
        publisher=article.publisher,
        date_published=article.date_published,
        captions=article.captions,
        boilerplate=article.boilerplate,
        hash=digest,
        source=Source(container=member.container, member=member.name, line=member.line),
        n_chars=len(article.text),
        truncated=member.truncated,
        encoding=member.encoding,
        problems=failures.items,
    )


def _record_of(task: tuple[Member, str, SplitOptions]) -> Record:
    member, record_id, options = task
    return member_to_record(member, record_id, options=options)


def _window_records(task: tuple[list[tuple[Member, str]], SplitOptions, int]) -> list[Record]:
    window, options, start = task
    learnt = _with_learnt_furniture([member for member, _ in window], options)
    records = [member_to_record(member, rid, article, options)
               for (member, article), (_, rid) in zip(learnt, window)]
    return records[start:]


# A record as a worker sends it back, ready to write: its JSONL line and, when something failed on
# it, its place and the failures (container, line, member, errors) to report; None when nothing did.
Line = tuple[bytes, Optional[tuple[str, int, Optional[str], tuple[str, ...]]]]


def _line(record: Record) -> Line:
    failures = None
    if record.problems:
        source = record.source
        failures = (source.container, source.line, source.member, tuple(p.error for p in record.problems))
    return dumps_record(record), failures


def _line_of(task: tuple[Member, str, SplitOptions]) -> Line:
    return _line(_record_of(task))


def _window_lines(task: tuple[list[tuple[Member, str]], SplitOptions, int]) -> list[Line]:
    return [_line(record) for record in _window_records(task)]


def _report(container: str, line: int, member: Optional[str], error: str, on_problem: Callable[[Problem], None]) -> None:
    on_problem(Problem(
        container, line, "record_failed",
        f"member {member!r}: {error}; the record is kept "
        "(text as read where extraction failed), with the failure in its `problems` — please report it",
    ))


def _reported(records: Iterable[Record], on_problem: Optional[Callable[[Problem], None]]) -> Iterator[Record]:
    """The records, each failure on one of them told to ``on_problem`` with the member's place."""
    for record in records:
        if on_problem is not None:
            for problem in record.problems:
                _report(record.source.container, record.source.line, record.source.member, problem.error, on_problem)
        yield record


def _reported_lines(lines: Iterable[Line], on_problem: Optional[Callable[[Problem], None]]) -> Iterator[bytes]:
    for line, failures in lines:
        if failures is not None and on_problem is not None:
            container, place, member, errors = failures
            for error in errors:
                _report(container, place, member, error, on_problem)
        yield line


def split_members(
    members: Iterable[Member], ids: Optional[Callable[[Member], str]] = None, options: SplitOptions = DEFAULT, jobs: Jobs = 1,
    on_problem: Optional[Callable[[Problem], None]] = None, skip: int = 0,
) -> Iterator[Record]:
    """One record per member that has any text; empty members were reported by the reader.

    ``members`` may come from several containers: furniture is learnt within one container at
    a time (told apart by ``Member.container``). ``skip``: the
    first members of the stream whose records are already written (`--resume`): they get their
    ids, and are read again only where the learnt furniture needs them. With ``jobs`` > 1 the
    articles are extracted on that many processes; the records and their order are the same.
    """
    yield from _reported(_split_work(members, ids, options, jobs, skip, _record_of, _window_records), on_problem)


def split_lines(
    members: Iterable[Member], ids: Optional[Callable[[Member], str]] = None, options: SplitOptions = DEFAULT, jobs: Jobs = 1,
    on_problem: Optional[Callable[[Problem], None]] = None, skip: int = 0,
) -> Iterator[bytes]:
    """The JSONL lines of `split_members`'s records (`dumps_record`), the same bytes, made where the
    records are: on the worker processes with ``jobs`` > 1, so that this process only writes them."""
    yield from _reported_lines(_split_work(members, ids, options, jobs, skip, _line_of, _window_lines), on_problem)


def _split_work(members: Iterable[Member], ids: Optional[Callable[[Member], str]], options: SplitOptions, jobs: Jobs,
                skip: int, one: Callable[[tuple[Member, str, SplitOptions]], _T],
                window: Callable[[tuple[list[tuple[Member, str]], SplitOptions, int]], list[_T]]) -> Iterator[_T]:
    """What ``one`` makes of each member with text (``window`` of each window of members, when
    furniture is learnt), in order, on ``jobs`` processes; the first ``skip`` members only take their ids."""
    ids = ids or IdAllocator(options.id_prefix)
    with_text = (m for m in members if m.has_text)
    if options.learn_furniture <= 0:
        if skip:
            for member in islice(with_text, skip):
                ids(member)
        return ordered_map(one, ((m, ids(m), options) for m in with_text), jobs, batch=_BATCH, weigh=_weight)
    return _windowed(with_text, ids, options, jobs, skip, window)


# Members a batch holds at most (`engines.pool`): batches close by the characters of their bodies.
_BATCH = 256


def _weight(task: tuple[Member, str, SplitOptions]) -> int:
    return len(task[0].body)


def _windowed(members: Iterator[Member], ids: Callable[[Member], str], options: SplitOptions, jobs: Jobs,
              skip: int, work: Callable[[tuple[list[tuple[Member, str]], SplitOptions, int]], list[_T]]) -> Iterator[_T]:
    """Records (what ``work`` makes of a window's) with furniture learnt in windows of ``options.window``
    members of one input, counted from its first member: the same windows whatever was written before a resume."""

    def tasks() -> Iterator[tuple[list[tuple[Member, str]], SplitOptions, int]]:
        done = 0
        for _, same_input in groupby(members, key=lambda m: m.container):
            while window := [(m, ids(m)) for m in islice(same_input, options.window)]:
                if done + len(window) <= skip:
                    done += len(window)
                    continue
                yield window, options, max(0, skip - done)
                done += len(window)

    for records in ordered_map(work, tasks(), jobs, batch=1):
        yield from records


def _publisher_key(member: Member, article: Article) -> str:
    """Which articles share furniture: one publisher, told by name, link or container."""
    return publisher_name(article.publisher, article.url, article.publisher_url) or member.container


def _with_learnt_furniture(window: list[Member], options: SplitOptions) -> Iterator[tuple[Member, Optional[Article]]]:
    """Extract a window of articles twice: the second time with lines learnt as furniture.

    A line standing verbatim in many articles of one publisher is the site's, not the
    story's (CCNet removes repeated paragraphs the same way); each article counts once.
    An article whose extraction fails is left to `member_to_record`, which notes the failure.
    """
    first: list[tuple[Member, Optional[Article]]] = []
    for member in window:
        try:
            first.append((member, _extract(member, options)))
        except Exception:  # noqa: BLE001 - member_to_record extracts it again and notes the failure
            if os.environ.get("NEWSINGEST_DEBUG"):
                raise
            first.append((member, None))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for member, article in first:
        if article is not None:
            lines = {line.strip() for line in article.text.split("\n") if 0 < len(line.strip()) <= 300}
            counts[_publisher_key(member, article)].update(lines)
    for member, article in first:
        if article is None:
            yield member, None
            continue
        repeated = counts[_publisher_key(member, article)]
        learnt = frozenset(
            line.strip() for line in article.text.split("\n") if repeated[line.strip()] >= options.learn_furniture
        )
        if not learnt:
            yield member, article
            continue
        try:
            yield member, _extract(member, options, learnt)
        except Exception:  # noqa: BLE001
            if os.environ.get("NEWSINGEST_DEBUG"):
                raise
            yield member, None
