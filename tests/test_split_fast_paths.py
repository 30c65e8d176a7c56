"""The faster ways `split` computes a record are the first ways to the last bit: each against
the code as first written, kept here as the reference."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest.stages import langid

# Letters of several scripts, digits, punctuation, white space of every kind, marks, a character
# outside the Basic Multilingual Plane: what paragraphs and script counts must all take alike.
_PIECES = st.sampled_from([
    "سلام", "دنیا", "الكتاب", "Hello", "dunia", "Привет", "中文", "한국어", "שלום", "ژ", "é", "a", "1", "۲", ".", "،",
    " ", "  ", "\n", "\n\n", "\n \n", "\r", "\u00a0", "\u2028", "\t", "\u200c", "\u064e", "😀", "\ud800",
])
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)


def _paragraphs_as_first_written(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [block for block in blocks if block.strip()]


def _chunks_as_first_written(blocks: list[str]) -> list[tuple[str, Counter[str]]]:
    chunks: list[tuple[str, Counter[str]]] = []
    current: list[str] = []
    current_counts: Counter[str] = Counter()
    size, script = 0, None
    for block in blocks:
        counts = langid.script_counts(block)
        block_script = counts.most_common(1)[0][0] if counts else script
        if current and (size >= langid.CHUNK_CHARS or block_script != script):
            chunks.append(("\n".join(current), current_counts))
            current, size, current_counts = [], 0, Counter()
        current.append(block)
        current_counts.update(counts)
        size += len(block)
        script = block_script
    if current:
        chunks.append(("\n".join(current), current_counts))
    return chunks


def _chunks_now(text: str) -> list[tuple[str, Counter[str]]]:
    tags = langid._tag_array(text)
    present = sorted({tag for tag in tags.tolist() if tag})
    return langid._chunks(text, tags, present)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_paragraphs_and_chunks_are_those_first_written(text: str) -> None:
    assert langid.paragraphs(text) == _paragraphs_as_first_written(text)
    expected = _chunks_as_first_written(_paragraphs_as_first_written(text))
    found = _chunks_now(text)
    assert [(chunk, list(counts.items())) for chunk, counts in found] == [
        (chunk, list(counts.items())) for chunk, counts in expected
    ]  # the order of the scripts too: it breaks ties


def test_long_paragraphs_make_several_chunks_with_ties_broken_alike() -> None:
    text = "\n\n".join(["ab سلام " * 40, "سلام ab " * 40, "Привет ab " * 80, "x", "سل ab"])
    assert len(_chunks_now(text)) >= 3
    assert [(c, list(n.items())) for c, n in _chunks_now(text)] == [
        (c, list(n.items())) for c, n in _chunks_as_first_written(_paragraphs_as_first_written(text))
    ]


def test_article_words_are_found_as_first_written() -> None:
    first_written = re.compile(f"(?<![{langid._WORD_LETTERS}])ال[{langid._WORD_LETTERS}]{{2,}}")
    for text in ["الكتاب والقلم", "بالكتاب ال الم الكتب", "xالكتاب", "الالالالا", "ال", " الكتاب.الدرس"]:
        assert langid._ARTICLE_WORD.findall(text) == first_written.findall(text)


def test_a_clear_arabic_script_text_with_a_latin_paragraph_keeps_its_shares() -> None:
    persian = "وزیر امور خارجه چین در دیدار با همتای روس خود اعلام کرد که پکن آماده ادامه همکاری با مسکو است. " * 8
    english = "The foreign minister of China said in a meeting with his Russian counterpart that talks go on. " * 8
    assert set(langid.language_shares(persian + "\n\n" + english, None, "fa", 0.95) or {}) == {"fa", "en"}
    assert langid.language_shares(persian + "\n\n" + persian, None, "fa", 0.95) is None


def _hash_as_first_written(text: str) -> str:
    from newsingest.stages import dedup

    return dedup._key_digest(dedup.dedup_key(text)).hex()


_HASH_PIECES = st.sampled_from([
    "سلام", "يك", "ة", "ـ", "\u200c", "\u064e", "\u0670", "ﻻ", "ﷲ", "Hello", "ß", "ẞ", "İ", "ﬁ", "Σ", "ς", "ᾳ", "\u0345",
    "\u0301", "\u0327", "\u05b0", "ά", "ϓ", "가", "ᄀ", "½", "²", "١", "۲", "५", "①", "ǅ", "Å", "Ⅳ", "\u00a0", " ", "\n",
    ".", "-", "😀", "\ud800", "\u1e9b\u0323", "\u0f73", "\u0f75", "\u0f81", "\u3099", "\uff76\uff9e",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_HASH_PIECES, min_size=1, max_size=120).map("".join))
def test_text_hash_is_the_hash_first_written(text: str) -> None:
    from newsingest.stages.dedup import text_hash

    padded = "بب" * 100 + text
    assert text_hash(padded) == _hash_as_first_written(padded)
    assert text_hash(text) == _hash_as_first_written(text)


def test_text_hash_of_every_character_of_the_basic_multilingual_plane() -> None:
    from newsingest.stages.dedup import text_hash

    padding = "بب" * 100
    for first in range(0, 0x10000, 16):  # each among its neighbours, after a mark and before one
        text = padding + "".join(f"{chr(cp)}\u0345\u0301{chr(cp)}a\u0301" for cp in range(first, first + 16))
        assert text_hash(text) == _hash_as_first_written(text), hex(first)
