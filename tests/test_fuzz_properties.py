"""Property tests on generated input: the container reader, pack/unpack/split round trips,
normalize idempotence and the container invariant (records + unreadable members = headers,
every line of every member in its record).

The examples per test are kept small for `make test`; for a long run:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz_properties.py --hypothesis-show-statistics
"""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsingest.testing.accounting import check_container
from newsingest.io.container import format_member, pack_file, read_container
from newsingest.stages.langid import KNOWN_LANGUAGES
from newsingest.stages.normalize import Options, normalize_record, normalize_text
from newsingest.stages.split import SplitOptions, split_members
from newsingest.stages.unpack import member_problems, unpack_members

LONG_EXAMPLES = 20_000
settings.register_profile(
    "long", max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
if LONG:
    settings.load_profile("long")


def examples(n: int) -> settings:
    """``n`` examples in the test suite, LONG_EXAMPLES in the long profile."""
    return settings(
        max_examples=LONG_EXAMPLES if LONG else n, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- container lines ---------------------------------------------------------------------------

_names = st.sampled_from(["a.txt", "a", "dir/b.txt", "ü ش", "x>>>y", "", "  spaced  "])
_exact_markers = st.one_of(
    _names.map(lambda n: f"<<<FILE {n}>>>" if n else "<<<FILE>>>"),
    _names.map(lambda n: f"<<<FILE: {n}>>>"),
    st.just("<<<END>>>"),
)
_odd_markers = st.sampled_from(
    [
        "<<<file a>>>", "<<<File: b>>>", "<<< FILE c >>>", "  <<<FILE d>>>", "\t<<<END>>>", "<<<end>>>",
        "<<< END >>>", "<<<END>>>  ", "<<<FILE>>>\t", "<<<FILEx>>>", "<<<END>>> trailing", "<<<", ">>>",
        "\\<<<END>>>", "\\\\<<<FILE e>>>", "<<<FILE\x00>>>", "<<<FILE \u200f\u05d0>>>",
    ]
)
_text_lines = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "", " ", "\t", "\ufeff", "\x00", "a\x00b", "\u200c\u200d\u200e\u200f\u202e", "ال\u064eكتاب",
            "👩\u200d💻 emoji", "\udc80"[:0] + "x", "e\u0301\u0301", "ꦗꦮ ᚠᛇᚻ ⴰⵣ", "منبع: http://x.ir/a",
            "(ANTARA) - Foto: ANTARA", "© 2024", "JAKARTA, 12 Januari 2024 -",
        ]
    ),
)
_line_ends = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])


@st.composite
def containers(draw, max_lines: int = 24) -> bytes:
    """Container bytes: random interleavings of exact and odd markers, blank and text lines,
    line ends of every kind, a BOM, NUL and bytes that are not UTF-8."""
    lines = draw(st.lists(st.one_of(_exact_markers, _exact_markers, _odd_markers, _text_lines), max_size=max_lines))
    out = bytearray(draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf"])))
    for line in lines:
        out += line.encode("utf-8", "surrogatepass") + draw(_line_ends).encode()
        if draw(st.integers(0, 20)) == 0:
            out += draw(st.binary(max_size=6))
    if draw(st.booleans()) and out.endswith(b"\n"):
        out = out[:-1]  # no line end at the end of the file
    return bytes(out)


def read(data: bytes):
    problems = []
    members = list(read_container(io.BytesIO(data), "c.txt", problems.append))
    return members, problems


@examples(400)
@given(containers())
def test_reader_never_raises_and_numbers_members_in_order(data):
    members, problems = read(data)
    assert [m.ordinal for m in members] == list(range(1, len(members) + 1))
    assert [m.line for m in members] == sorted(m.line for m in members)
    assert all(p.line is None or p.line >= 1 for p in problems)
    for m in members:
        # A name is what stands between the markers, control characters included
        # (`unpack` refuses those); it never spans a line.
        assert isinstance(m.body, str) and "\n" not in (m.name or "")


@examples(150)
@given(containers(max_lines=16))
def test_invariant_on_any_container(data):
    check_container(data)


@examples(60)
@given(containers(max_lines=16))
def test_invariant_with_boilerplate_kept(data):
    check_container(data, options=SplitOptions(keep_boilerplate=True))


# --- pack, unpack and split round trips --------------------------------------------------------

_tricky_lines = st.one_of(
    st.sampled_from(
        ["<<<END>>>", "<<<FILE x>>>", "\\<<<END>>>", "\\\\<<<FILE>>>", " <<<END>>>", "<<<end>>>", "", "\r", "\ufeff",
         "\x00", "\f<<<END>>>", "\v<<<FILE evil.txt>>>", "\r<<<END>>>", " \f\\<<<END>>>", "\t\v <<< file x >>>"]
    ),
    # any run of the white space a reader allows before a marker, then a marker, escaped or not
    st.tuples(st.text(alphabet=" \t\r\f\v", max_size=4), st.sampled_from(["", "\\", "\\\\"]),
              st.sampled_from(["<<<END>>>", "<<<FILE y>>>", "<<<End>>>"])).map("".join),
)
bodies = st.lists(st.one_of(st.text(), _tricky_lines), max_size=10).map("\n".join)
_part = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="/\\:"),
    min_size=1, max_size=12,
).filter(lambda s: s == s.strip() and not s.endswith(".") and s not in (".", ".."))
file_names = st.lists(_part, min_size=1, max_size=3).map("/".join).filter(lambda n: len(n.encode()) < 200)


@examples(60)
@given(st.dictionaries(file_names, bodies, min_size=1, max_size=5))
def test_pack_then_unpack_gives_the_same_bytes(tmp_path_factory, files):
    from newsingest.stages.unpack import unsafe_name

    files = {name: body for name, body in files.items() if unsafe_name(name) is None}
    # A name that is also a folder of another (`a` and `a/b`) cannot be both on disk.
    files = {n: b for n, b in files.items() if not any(o.startswith(n + "/") for o in files)}
    assume(files)
    out = io.BytesIO()
    source = tmp_path_factory.mktemp("src")
    for name, body in sorted(files.items()):
        path = source / "f"
        path.write_bytes(body.encode("utf-8", "surrogatepass"))
        assert pack_file(name, str(path), out)
    target = tmp_path_factory.mktemp("out")
    problems = []
    stream = io.BytesIO(out.getvalue())
    result = unpack_members(read_container(stream, "c.txt", member_problems(problems.append)), str(target), False, problems.append)
    # NUL is text to pack (valid UTF-8); the reader still warns that the container holds it.
    assert [p.kind for p in problems] == (["binary_content"] if any("\x00" in b for b in files.values()) else [])
    assert sorted(result.written) == sorted(files)
    for name, body in files.items():
        assert (target / name).read_bytes() == body.encode("utf-8")


@examples(80)
@given(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(["a", "b/c.txt", "ش"])), bodies), max_size=4))
def test_pack_then_split_keeps_every_line(members):
    data = "".join(format_member(name, body) for name, body in members).encode("utf-8")
    accounting = check_container(data)
    assert accounting.headers == len(members)
    got = list(split_members(read_container(io.BytesIO(data), "c.txt", lambda p: None), options=SplitOptions(keep_boilerplate=True)))
    kept = [body for _, body in members if body.strip()]
    assert len(got) == len(kept)
    for record, body in zip(got, kept):
        text = body.replace("\r\n", "\n").replace("\r", "\n")
        assert record.text.strip("\n") in text


# --- normalize ---------------------------------------------------------------------------------

# Bidi controls, combining marks, emoji (with ZWJ sequences), scripts no profile knows, lone
# surrogates as JSON may carry them, Arabic-script text.
_hard_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200b\u200c\u200d\ufeff")
            + list("\u0301\u0308\u064b\u064e\u0651\u0670\u06ed\u20dd")
            + ["👍", "👩", "\u200d", "💻", "🇮", "🇷", "\ufe0f"]
            + list("ꦗꦮᚠᛇⴰⵣ𐌰𐌱ሀለ")
            + list("کیيكىةۀهٔ۱٢3 \n\t.،؟!")
        ),
        st.characters(),
    ),
    max_size=60,
)


@examples(400)
@given(_hard_text, st.sampled_from(sorted(KNOWN_LANGUAGES | {"und", "zz"})), st.booleans(), st.sampled_from(["keep", "latin", "native"]))
def test_normalize_is_idempotent_for_every_language(text, lang, strip, digits):
    options = Options(strip_diacritics=strip, digits=digits)
    once = normalize_text(text, lang, options)
    assert normalize_text(once, lang, options) == once


@examples(150)
@given(_hard_text, st.one_of(st.none(), _hard_text), st.sampled_from(["fa", "ar", "id", "ur", "und"]))
def test_normalize_record_is_idempotent_and_counts_match(text, title, lang):
    from newsingest.record import Record, Source

    record = Record(
        id="a", text=text, title=title, language=lang, hash="0", n_chars=len(text),
        source=Source(container="c", member="a", line=1),
    )
    once = normalize_record(record)
    twice = normalize_record(once)
    assert (twice.text, twice.title) == (once.text, once.title)
    assert once.n_chars == len(once.text)


# --- inputs that failed once -------------------------------------------------------------------


def test_zwnj_after_a_non_joining_letter_is_not_added_then_removed():
    """Found by fuzz/fuzz_normalize.py: `ۆ ترین` became `ۆ\u200cترین`, then `ۆترین` on a second
    pass, because the restorer took ۆ (and ۇ, ڈ, …) for a joining letter and the cleanup did not."""
    from newsingest.script import NON_JOINING_LETTERS

    for letter in sorted(NON_JOINING_LETTERS):
        for text in (f"ب{letter} ترین", f"{letter} ها", f"٧{letter} ترین"):
            once = normalize_text(text, "fa")
            assert normalize_text(once, "fa") == once, (letter, text, once)
    assert normalize_text("٧ۆ ترین", "fa") == "۷ۆترین"


def test_presentation_forms_that_compose_are_normalized_in_one_pass():
    """A ligature or a final form followed by a mark that composes with its letter (ﻼ + madda
    gives لآ, ﺂ + hamza below gives إٓ): composed before the letter rules and the ZWNJ restorer
    see it, so a second pass changes nothing."""
    for text, options in (("\ufea2\ufefc\u0653\ufb8c", Options()), ("\ufe82\u0655", Options(strip_diacritics=True))):
        for lang in ("fa", "ar", "ur", "id"):
            once = normalize_text(text, lang, options)
            assert normalize_text(once, lang, options) == once, (text, lang)
