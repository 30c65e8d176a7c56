"""No catastrophic backtracking: every regular expression of the package, and the functions that
run them, take time linear in the length of a line, also on adversarial lines.

Each pattern is fed lines built from its own alphabet (its literal characters and words, one
character of each kind its character sets tell apart, runs and alternations of them, label words
followed by long runs), each line long enough that a quadratic pattern would take far longer than
the guard. Nothing is timed: the guard (SIGALRM, which the regular expression engine checks) only
stops a run that hangs, and a linear pattern never comes near it, however busy the machine.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import pkgutil
import re
import types
from collections import deque
from functools import lru_cache

import pytest

import newsingest

from .guards import time_limit

try:
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

OPERATIONS = ("search", "match", "fullmatch", "findall")


# --- finding every pattern --------------------------------------------------------------------


def package_modules() -> list[types.ModuleType]:
    modules = [newsingest]
    for info in pkgutil.walk_packages(newsingest.__path__, "newsingest."):
        try:
            modules.append(importlib.import_module(info.name))
        except ImportError:  # an optional extra (dask) that is not installed
            continue
    return modules


def _patterns_in(value, found: dict, seen: dict, depth: int = 0) -> None:
    """Patterns held by a value: directly, in containers, in the package's objects, classes and closures."""
    if id(value) in seen or depth > 6:
        return
    seen[id(value)] = value  # kept alive, so that a temporary's id is not reused for another object
    if isinstance(value, re.Pattern):
        found[(value.pattern, value.flags)] = value
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            _patterns_in(item, found, seen, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _patterns_in(item, found, seen, depth + 1)
    elif isinstance(value, types.FunctionType):
        if value.__module__.startswith("newsingest"):
            for cell in value.__closure__ or ():
                try:
                    _patterns_in(cell.cell_contents, found, seen, depth + 1)
                except ValueError:  # an empty cell
                    pass
            _patterns_in(value.__defaults__ or (), found, seen, depth + 1)
    elif isinstance(value, type):
        if value.__module__.startswith("newsingest"):
            _patterns_in(dict(vars(value)), found, seen, depth + 1)
    elif type(value).__module__.startswith("newsingest"):
        state = getattr(value, "__dict__", None) or {
            slot: getattr(value, slot, None) for slot in getattr(type(value), "__slots__", ())
        }
        _patterns_in(dict(state), found, seen, depth + 1)


# Regular expressions built inside functions from their arguments or local names: the AST scan
# below cannot evaluate them, and each is reached as an object instead (say where).
BUILT_AT_RUN_TIME = {
    # _rx(): a helper that compiles extract's module-level patterns.
    ("newsingest.stages.extract", "pattern"),
    # regex_rule(): the compiled pattern lives in the rule's closure (rules are module-level tables).
    ("newsingest.stages.normalize.rules", "pattern"),
    # _Gated: the words' tree is the `_words` attribute of module-level _Gated objects.
    ("newsingest.stages.extract", "_trie(words)"),
    # _first_class(): the first characters of the line rules, in the module-level _RULE_GATES.
    ("newsingest.stages.extract", '"|".join(parts) or "(?!)"'),
    # Restorer.__init__: reached through default_restorer().
    ("newsingest.stages.normalize.zwnj", 'f"{lb}({spaced_prefix})[ \\u00a0]({tok}){la}"'),
    ("newsingest.stages.normalize.zwnj", 'f"[ \\u00a0](?<=[{_LETTERS}{ZWNJ}][ \\u00a0])(?=({right}){la})"'),
}
_RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}


def _inline_patterns(module: types.ModuleType, found: dict, unresolved: set) -> None:
    """Patterns written as arguments of re.* calls anywhere in a module's source, evaluated in its namespace."""
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
            and node.func.attr in _RE_CALLS and node.args
        ):
            continue
        flags_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
        if flags_node is None and node.func.attr == "compile" and len(node.args) > 1:
            flags_node = node.args[1]
        try:
            pattern = eval(compile(ast.Expression(node.args[0]), module.__name__, "eval"), vars(module))  # noqa: S307
            flags = eval(compile(ast.Expression(flags_node), module.__name__, "eval"), vars(module)) if flags_node else 0  # noqa: S307
        except NameError:
            unresolved.add((module.__name__, ast.get_source_segment(source, node.args[0])))
            continue
        compiled = re.compile(pattern, flags)
        found[(compiled.pattern, compiled.flags)] = compiled


@lru_cache(maxsize=None)
def all_patterns() -> tuple[dict, frozenset]:
    from newsingest.stages.normalize.zwnj import default_restorer

    found: dict = {}
    unresolved: set = set()
    seen: dict = {}
    for module in package_modules():
        _patterns_in(dict(vars(module)), found, seen)
        _inline_patterns(module, found, unresolved)
    _patterns_in(default_restorer(), found, seen)
    return found, frozenset(unresolved)


def test_every_pattern_is_found():
    found, unresolved = all_patterns()
    assert unresolved == BUILT_AT_RUN_TIME  # a new pattern built at run time: add where it is reached
    sources = {pattern for pattern, _ in found if isinstance(pattern, str)}
    assert len(found) >= 45
    assert r"<<<FILE(?:[: \t](?P<name>.*))?>>>" in sources  # module level
    assert r"[\W\d_]+" in sources  # an inline re.sub
    assert any(pattern.startswith("(?<![") and "[ \u00a0]" in pattern for pattern in sources)  # the restorer's
    from newsingest.stages.normalize.rules import ZWJ

    assert any(ZWJ in pattern for pattern in sources)  # lost_zwnj_marks, in a rule's closure


# --- adversarial lines from a pattern's own alphabet ----------------------------------------


_CATEGORY_SAMPLES = {
    "CATEGORY_DIGIT": "5۵",
    "CATEGORY_NOT_DIGIT": "aب",
    "CATEGORY_SPACE": " \t",
    "CATEGORY_NOT_SPACE": "aب.",
    "CATEGORY_WORD": "aب5_",
    "CATEGORY_NOT_WORD": " .-",
    "CATEGORY_LINEBREAK": "\n",
    "CATEGORY_NOT_LINEBREAK": "a ",
}


def _inside(name: str, arg) -> list:
    """The lists of parse-tree items a node of another kind holds (a group, a repeat, a branch...)."""
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return [arg[2]]
    if name == "SUBPATTERN":
        return [arg[-1]]
    if name == "BRANCH":
        return list(arg[1])
    if name in ("ASSERT", "ASSERT_NOT"):
        return [arg[1]]
    if name == "ATOMIC_GROUP":
        return [arg]
    if name == "GROUPREF_EXISTS":
        return [arg[1]] + ([arg[2]] if arg[2] is not None else [])
    return []


def _alphabet(pattern: re.Pattern) -> tuple[list[str], list[str], list[str]]:
    """(characters, literal words, one character of each literal or class in order) of a pattern,
    from its parse tree."""
    chars: list[str] = []
    words: list[str] = []
    representatives: list[str] = []

    def add(ch: str) -> None:
        if ch not in chars:
            chars.append(ch)
        if not first:
            first.append(ch)

    first: list[str] = []

    def walk(items) -> None:
        run = ""
        for op, arg in items:
            name = str(op)
            if first and first[0] not in representatives:
                representatives.append(first[0])
            first.clear()
            if name == "LITERAL":
                add(chr(arg))
                run += chr(arg)
                continue
            if name in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] == 0:
                walk(arg[2])  # an optional part (`[\s\u200c]?` in a label) does not end the word
                continue
            if len(run) >= 2:
                words.append(run)
            run = ""
            if name == "NOT_LITERAL":
                add("x" if chr(arg) != "x" else "y")
            elif name == "ANY":
                add("a")
            elif name == "IN":
                for in_op, in_arg in arg:
                    in_name = str(in_op)
                    if in_name == "LITERAL":
                        add(chr(in_arg))
                    elif in_name == "RANGE":
                        low, high = in_arg
                        for code in (low, (low + high) // 2, high):
                            add(chr(code))
                    elif in_name == "CATEGORY":
                        for ch in _CATEGORY_SAMPLES.get(str(in_arg), ""):
                            add(ch)
                    elif in_name == "NEGATE":
                        add("q")
            else:
                for items_inside in _inside(name, arg):
                    walk(items_inside)
        if len(run) >= 2:
            words.append(run)
        if first and first[0] not in representatives:
            representatives.append(first[0])
        first.clear()

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    return chars, list(dict.fromkeys(words)), representatives


_PREFIXES = ("http://", "www.", "<<<FILE ", "(", "1 ", "Foto: ", "منبع: ", "a@")


def _set_tests(pattern: re.Pattern) -> list:
    """One compiled test per character set of the pattern (literals, classes, categories, `.`):
    two characters that every one of them treats alike play the same part in any line."""
    sets: list = []

    def walk(items) -> None:
        for op, arg in items:
            name = str(op)
            if name in ("LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"):
                sets.append(sre_parse.SubPattern(sre_parse.State(), [(op, arg)]))
            for items_inside in _inside(name, arg):
                walk(items_inside)

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    tests = []
    for subpattern in sets:
        code = [(op, arg) for op, arg in subpattern.data]
        tests.append(_compiled_set(repr(code), pattern.flags, subpattern))
    return tests


def _compiled_set(key: str, flags: int, subpattern):
    from re import _compiler as sre_compile  # noqa: PLC0415 - Python 3.11+

    return sre_compile.compile(subpattern, flags)


def _subject(pattern: re.Pattern, text: str):
    """A line as the pattern takes it: bytes patterns get the text's UTF-8 bytes."""
    return text.encode("utf-8", "surrogatepass") if isinstance(pattern.pattern, bytes) else text


def _signature(tests: list, text: str) -> tuple:
    def matches(test, ch):
        subject = ch.encode("utf-8", "surrogatepass") if isinstance(test.pattern, bytes) else ch
        return test.fullmatch(subject) is not None

    return tuple(tuple(matches(test, ch) for test in tests) for ch in text)


def candidate_lines(pattern: re.Pattern) -> dict[str, "callable"]:
    """Named builders of a line of n characters that may make the pattern work hard: runs of one
    character, repeated words and pairs, and runs after a head (a word of the pattern, a usual
    prefix, one character), with and without a character that ends the match attempt.

    Characters (and heads) that every character set of the pattern treats alike give lines the
    pattern cannot tell apart: one of each kind is enough."""
    chars, words, representatives = _alphabet(pattern)
    tests = _set_tests(pattern)
    kinds: dict = {}
    for ch in [" ", *representatives, *chars]:
        kinds.setdefault(_signature(tests, ch), ch)
    runs = list(kinds.values())[:12]
    heads: dict = {}
    for head in [*words[:4], *_PREFIXES, *representatives[:6]]:
        heads.setdefault(_signature(tests, head), head)
    builders: dict = {}

    def fill(unit: str, n: int, head: str = "", tail: str = "") -> str:
        body = n - len(head) - len(tail)
        return head + (unit * (body // len(unit) + 1))[: max(body, 0)] + tail

    for ch in runs:
        builders[f"{ch!r}*n"] = lambda n, ch=ch: fill(ch, n)
    for word in words[:6]:
        builders[f"({word!r})*n"] = lambda n, w=word: fill(w, n)
        builders[f"({word!r}+' ')*n"] = lambda n, w=word: fill(w + " ", n)
    for head in list(heads.values())[:10]:
        for ch in runs[:6]:
            if ch != head:
                builders[f"{head!r}+{ch!r}*n"] = lambda n, h=head, ch=ch: fill(ch, n, head=h)
                builders[f"{head!r}+{ch!r}*n+'!'"] = lambda n, h=head, ch=ch: fill(ch, n, head=h, tail="!")
    for a in runs[:5]:
        for b in runs[:5]:
            if a != b:
                builders[f"({a + b!r})*n"] = lambda n, u=a + b: fill(u, n)
    builders["alphabet*n"] = lambda n: fill("".join(runs), n)
    return builders


# How the package's code calls a pattern: sub, subn, finditer and split scan the whole line like findall.
_SCANS = {"search": "search", "match": "match", "fullmatch": "fullmatch", "findall": "findall",
          "finditer": "findall", "sub": "findall", "subn": "findall", "split": "findall"}


@lru_cache(maxsize=None)
def _package_source() -> str:
    return "\n".join(inspect.getsource(module) for module in package_modules())


def operations(pattern: re.Pattern) -> tuple[str, ...]:
    """The operations the code applies to ``pattern``, found by the names it is bound to; all of
    them when the pattern is not called by name (passed to a helper, built at run time, inline)."""
    names = {  # by text and flags, not identity: a test may have imported a module afresh
        name for module in package_modules() for name, value in vars(module).items()
        if value is pattern or (isinstance(value, re.Pattern) and (value.pattern, value.flags) == (pattern.pattern,
                                                                                                   pattern.flags))
    }
    used = {
        _SCANS[method]
        for name in names
        for method in re.findall(rf"(?<![\w.]){re.escape(name)}\.(\w+)\(", _package_source())
        if method in _SCANS
    }
    return tuple(sorted(used)) or OPERATIONS


def _operation(pattern: re.Pattern, name: str):
    if name == "findall":  # every match, as sub and findall find them, without keeping them
        return lambda line: deque(pattern.finditer(line), maxlen=0)
    return getattr(pattern, name)



# Long enough that a pattern taking time quadratic in the line needs far longer than GUARD (a
# typical quadratic backtrack, `\s+x` searched in spaces, takes about 10 s at this length), short
# enough that the slowest linear pattern of the package takes a fraction of a second.
LINE = 60_000
GUARD = 6.0  # seconds: only a guard against a hang, some twenty times the slowest linear case


def _canonical(key) -> str:
    """The same text for a pattern in every process. A pattern built from a set of words lists
    them in an order that depends on the process's hash seed (PYTHONHASHSEED), and the workers
    of a parallel run (pytest-xdist) must collect the same tests in the same order."""
    pattern, flags = key
    text = pattern if isinstance(pattern, str) else pattern.decode("latin-1")
    return "".join(sorted(text)) + f"/{flags}"


def _pattern_ids():
    found, _ = all_patterns()
    keys = sorted(found, key=_canonical)
    assert len({_canonical(key) for key in keys}) == len(keys), "two patterns with one canonical text"
    return keys


def _pattern_id(key) -> str:
    """The pattern's start up to its first alternation or set (the part no hash seed reorders),
    and a digest of its canonical text."""
    text = key[0] if isinstance(key[0], str) else key[0].decode("latin-1")
    cut = min([i for i in (text.find("|"), text.find("[")) if i >= 0] + [40])
    if text.find("|") == cut and "(" in text[:cut]:
        cut = text.rindex("(", 0, cut)
    digest = hashlib.blake2b(_canonical(key).encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{text[:cut]}~{digest}"


@pytest.mark.parametrize("key", _pattern_ids(), ids=_pattern_id)
def test_pattern_is_linear_on_adversarial_lines(key):
    pattern = all_patterns()[0][key]
    ops = set(operations(pattern))
    # A scan (findall) makes every attempt a search makes, and a search every attempt a match
    # makes: only the widest of them is run. fullmatch is not covered (it must reach the end).
    if "findall" in ops:
        ops -= {"search", "match"}
    if "search" in ops:
        ops -= {"match"}
    for label, build in candidate_lines(pattern).items():
        line = _subject(pattern, build(LINE))
        for op in sorted(ops):
            with time_limit(GUARD, f"{pattern.pattern!r}.{op} on {label} at {LINE:,} characters"):
                _operation(pattern, op)(line)


# --- the functions that run them, on one long line ------------------------------------------

_WORDS_FA = "همکاری‌های بین‌المللی می شود (ایرنا) - عکس: منبع: http://example.ir/a ۱۴۰۲/۰۱/۰۱ "
_WORDS_LATIN = "JAKARTA (ANTARA) - Foto: ANTARA/Budi | Sumber: https://x.id/a 12 Januari 2024 ©  "
_WORDS_AR = "القاهرة (رويترز) - صورة أرشيفية: المصدر: ٢٠٢٤/٠١/٠٢ الحقوق محفوظة "
_LONG_LINES = {
    "fa words": lambda n: (_WORDS_FA * (n // len(_WORDS_FA) + 1))[:n],
    "latin words": lambda n: (_WORDS_LATIN * (n // len(_WORDS_LATIN) + 1))[:n],
    "ar words": lambda n: (_WORDS_AR * (n // len(_WORDS_AR) + 1))[:n],
    "spaces then a word": lambda n: " " * (n - 4) + "word",
    "one long word": lambda n: "ب" * n,
    "digits": lambda n: ("1234567890" * (n // 10 + 1))[:n],
    "separators": lambda n: (" - |" * (n // 4 + 1))[:n],
    "parentheses": lambda n: ("(" * n),
    "url": lambda n: "http://" + "a" * (n - 7),
    "at signs": lambda n: ("a@" * (n // 2 + 1))[:n],
}


def _functions():
    from newsingest.stages.dates import find_dates
    from newsingest.stages.extract import extract_article
    from newsingest.stages.langid import detect_language
    from newsingest.stages.normalize import normalize_text

    return {
        "extract_article": extract_article,
        "normalize_text fa": lambda line: normalize_text(line, "fa"),
        "normalize_text ar": lambda line: normalize_text(line, "ar"),
        "normalize_text id": lambda line: normalize_text(line, "id"),
        "find_dates": find_dates,
        "detect_language": detect_language,
    }


# A quadratic function (or a quadratic pattern inside one) needs hours on a line this long.
LONG_LINE = 300_000
FUNCTION_GUARD = 30.0  # seconds; the slowest function takes about a second


@pytest.mark.parametrize("function", sorted(_functions()))
@pytest.mark.parametrize("line", sorted(_LONG_LINES))
def test_function_is_linear_on_one_long_line(function, line):
    text = _LONG_LINES[line](LONG_LINE)
    with time_limit(FUNCTION_GUARD, f"{function} on {line} at {LONG_LINE:,} characters"):
        _functions()[function](text)
