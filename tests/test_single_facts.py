"""Facts of the Arabic script are defined once, in newsingest/script.py: no copy anywhere else.

A second copy of "an Arabic letter", of the yeh/kaf fold or of the non-joining letters drifts from
the first (it did: two sets of non-joining letters, four yeh/kaf folds), so the source of the
package, tools/ and benchmarks/ is searched for them and every stray copy is named by file:line.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from newsingest.script import ARABIC_BLOCKS, NON_JOINING_LETTERS, PRESENTATION_FORM_BLOCKS

ROOT = Path(__file__).resolve().parent.parent
HOME = Path("newsingest/script.py")
SEARCHED = ("newsingest", "tools", "benchmarks", "fuzz")

# Places that may keep a code point of the script, each with the reason (none today).
ALLOWED: set[tuple[str, str]] = set()

_SCRIPT_BLOCKS = ARABIC_BLOCKS + PRESENTATION_FORM_BLOCKS


def _in_script(cp: int) -> bool:
    return any(start <= cp <= end for start, end in _SCRIPT_BLOCKS)


_SCRIPT_CHARS = "".join(chr(cp) for start, end in _SCRIPT_BLOCKS for cp in range(start, end + 1))
_SCRIPT_CHAR = f"[{re.escape(_SCRIPT_CHARS)}]"
# A code point written as a number: `\u0621`, `\u06FF` in a string, `0x0660` in code.
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\b0x([0-9a-fA-F]{4})\b")
# A range of letters of the script written with the letters themselves: `؀-ۿ`, `۰-۹`.
_LITERAL_RANGE = re.compile(f"{_SCRIPT_CHAR}-{_SCRIPT_CHAR}")
# The yeh/kaf fold, or its inverse, as a mapping or a replace: `"ي": "ی"`, `.replace("ك", "ک")`.
_Q = "[\"']"
_FOLD = re.compile(f"{_Q}[يىك]{_Q}\\s*[:,]\\s*{_Q}[یک]{_Q}|{_Q}[یک]{_Q}\\s*[:,]\\s*{_Q}[يك]{_Q}")
# A set of non-joining letters: six or more of them in a row, all different (no word is that).
_NON_JOINING_RUN = re.compile(f"[{re.escape(''.join(sorted(NON_JOINING_LETTERS)))}]{{6,}}")
# A ZWNJ or ZWJ given its own name again.
_NAMED_JOINER = re.compile(r"^\s*(?:ZWNJ|ZWJ)\s*=\s*[\"']")


def _code_only(source: str) -> list[str]:
    """The lines of ``source`` with comments and docstrings blanked: prose may show a range (۰-۹)."""
    lines = source.splitlines()
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type not in (tokenize.NL, tokenize.COMMENT)]
    blank = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT]
    starts = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
    for i, token in enumerate(tokens):  # a string that is a statement of its own is a docstring
        if (token.type == tokenize.STRING and (i == 0 or tokens[i - 1].type in starts)
                and i + 1 < len(tokens) and tokens[i + 1].type in (tokenize.NEWLINE, tokenize.ENDMARKER)):
            blank.append(token)
    for token in blank:
        (first, start), (last, end) = token.start, token.end
        for row in range(first, last + 1):
            line = lines[row - 1]
            left = start if row == first else 0
            right = end if row == last else len(line)
            lines[row - 1] = line[:left] + " " * (right - left) + line[right:]
    return lines


def stray_copies(source: str) -> list[tuple[int, str]]:
    """(line number, what) of every copy of a fact of script.py in Python source."""
    found = []
    for lineno, line in enumerate(_code_only(source), 1):
        for match in _ESCAPE.finditer(line):
            if _in_script(int(match.group(1) or match.group(2), 16)):
                found.append((lineno, match.group()))
        found += [(lineno, m.group()) for m in _LITERAL_RANGE.finditer(line)]
        found += [(lineno, m.group()) for m in _FOLD.finditer(line)]
        found += [(lineno, m.group()) for m in _NON_JOINING_RUN.finditer(line) if len(set(m.group())) >= 6]
        found += [(lineno, m.group().strip()) for m in _NAMED_JOINER.finditer(line)]
    return found


def _sources() -> list[Path]:
    return sorted(path for folder in SEARCHED for path in (ROOT / folder).rglob("*.py"))


def test_script_facts_are_defined_once():
    strays = []
    for path in _sources():
        relative = path.relative_to(ROOT)
        if relative == HOME:
            continue
        for lineno, what in stray_copies(path.read_text(encoding="utf-8")):
            if (relative.as_posix(), what) not in ALLOWED:
                strays.append(f"{relative}:{lineno}: {what}")
    assert not strays, "defined again outside newsingest/script.py; import it from there:\n" + "\n".join(strays)


def test_the_search_covers_the_modules_that_had_copies():
    searched = {path.relative_to(ROOT).as_posix() for path in _sources()}
    for module in ("stages/normalize/rules.py", "stages/normalize/zwnj.py", "stages/langid.py", "stages/dates.py",
                   "stages/dedup.py", "stages/extract.py", "errors.py"):
        assert f"newsingest/{module}" in searched
    assert "tools/build_fa_lexicon.py" in searched


@pytest.mark.parametrize(
    "line",
    [
        '_LETTERS = "\\u0621-\\u063A\\u0641-\\u064A"',
        "ARABIC = '[\\u0600-\\u06FF]'",
        'WORD = re.compile("[؀-ۿ]+")',
        '_DIGIT = r"[0-9۰-۹٠-٩]"',
        "for start, end in ((0xFB50, 0xFDFF), (0xFE70, 0xFEFE)):",
        "if cp == 0x0640:",
        '_FOLD = {"ي": "ی", "ى": "ی", "ك": "ک"}',
        "table = {'ك':'ک'}",
        'word = word.replace("ي", "ی")',
        '{"ک": "ك", "ی": "ي"}',
        'NON_JOINING = set("اآأإٱدذرزژوؤةۀءە")',
        'ZWNJ = "\\u200c"',
    ],
)
def test_a_copy_is_found(line):
    assert stray_copies(f"x = 1\n{line}\n") and stray_copies(f"x = 1\n{line}\n")[0][0] == 2


@pytest.mark.parametrize(
    "line",
    [
        '_LABELS = ("منبع", "المصدر", "ادوارد", "اردو زبان", "کد خبر")',
        "text.replace(ZWNJ, ' ')",
        'pattern = "[\\\\s\\u200c]?"',
        "_FOLD = {**YEH_KAF_FOLD, ZWNJ: ' '}",
        "# Arabic ي/ك unified to Persian ی/ک; digits ۰-۹ and ٠-٩",
        '"""Dates with Persian (۰-۹) and Arabic-Indic (٠-٩) digits."""',
        "ranges = '\\u0900-\\u0963'",
        "NON_JOINING = NON_JOINING_LETTERS",
    ],
)
def test_no_copy_is_found_in_ordinary_code(line):
    assert stray_copies(line) == []
