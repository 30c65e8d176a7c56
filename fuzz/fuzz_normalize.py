"""libFuzzer target (atheris): normalize_text on any text, in every language, with every option.

The first byte of an input picks the language, the digit policy and --strip-diacritics; the
rest is the text, as UTF-8 with undecodable bytes kept as lone surrogates (as JSON may carry
them). Normalizing must not raise and must be idempotent.

    make fuzz                                     # every target, FUZZ_SECONDS each
    .venv/bin/python fuzz/fuzz_normalize.py .fuzz/normalize -max_total_time=60 -max_len=4096
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports(include=["newsingest"]):
    from newsingest.stages.langid import KNOWN_LANGUAGES
    from newsingest.stages.normalize import DIGIT_POLICIES, Options, normalize_text

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _seeds import fuzz, seed_texts  # noqa: E402

LANGUAGES = sorted(KNOWN_LANGUAGES) + ["und", "xx"]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    choice, raw = data[0], data[1:]
    lang = LANGUAGES[choice % len(LANGUAGES)]
    options = Options(strip_diacritics=bool(choice & 0x80), digits=DIGIT_POLICIES[(choice >> 4) % len(DIGIT_POLICIES)])
    text = raw.decode("utf-8", "surrogateescape")
    once = normalize_text(text, lang, options)
    twice = normalize_text(once, lang, options)
    if twice != once:
        raise AssertionError(f"not idempotent for {lang} {options}: {text!r} -> {once!r} -> {twice!r}")


if __name__ == "__main__":
    fuzz(test_one_input, seed_texts)
