"""Docs stay true to the code."""

import re

from newsingest.io import container

from .conftest import ROOT

FORMAT_DOC = (ROOT / "docs" / "container-format.md").read_text(encoding="utf-8")


def test_every_container_problem_kind_is_documented():
    source = (ROOT / "newsingest" / "io" / "container.py").read_text()
    # Declared and reported (not_utf8 through the one helper that words it, `not_utf8(...)`).
    assert [k for k in container.PROBLEM_KINDS if source.count(f'"{k}"') + source.count(f"{k}(") < 2] == []
    assert [k for k in container.PROBLEM_KINDS if f"(`{k}`)" not in FORMAT_DOC] == []


def test_documented_example_container_reads_as_described():
    import io

    example = FORMAT_DOC.split("```", 2)[1].strip("\n").replace("...\n", "text\n")
    members = list(container.read_container(io.BytesIO(example.encode()), "doc"))
    assert [m.name for m in members] == ["000_article.txt", "001_article.txt"]
    assert members[0].body == "The first line of the article.\nMore lines."


def test_readme_quick_start_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make run" in quick and "make test" in quick


NORMALIZATION_DOC = (ROOT / "docs" / "normalization.md").read_text(encoding="utf-8")


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def _doc_examples():
    """Rows `| lang | [options |] `before` | `after` |` of the tables in docs/normalization.md."""
    for line in NORMALIZATION_DOC.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) in (3, 4) and re.fullmatch(r"[a-z]{2,3}", cells[0]) and cells[-1].startswith("`"):
            options = cells[1].strip("`") if len(cells) == 4 else ""
            yield cells[0], options, _unescape(cells[-2].strip("`")), _unescape(cells[-1].strip("`"))


def test_normalization_doc_examples_hold():
    from newsingest.stages.normalize import Options, normalize_text

    examples = list(_doc_examples())
    assert len(examples) >= 30
    for lang, options, before, after in examples:
        kwargs = {}
        if "--strip-diacritics" in options:
            kwargs["strip_diacritics"] = True
        if "--digits" in options:
            kwargs["digits"] = options.split("--digits ")[1].split()[0]
        assert normalize_text(before, lang, Options(**kwargs)) == after, (lang, options, before)


def test_every_rule_is_documented():
    from newsingest.stages.normalize import ARABIC_RULES, PERSIAN_RULES
    from newsingest.stages.normalize import rules as r

    names = {rule.name for rule in PERSIAN_RULES + ARABIC_RULES}
    names |= {r.strip_diacritics.name, r.digits_to_latin.name, r.digits_to_persian.name, r.digits_to_arabic.name}
    assert sorted(n for n in names if f"`{n}`" not in NORMALIZATION_DOC) == []


def test_readme_normalize_example_is_true(invoke):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ echo '", 1)[1]
    text, rest = block.split("' | newsingest normalize --plain --lang fa\n", 1)
    expected = rest.split("\n", 1)[0]
    result = invoke(["normalize", "--plain", "--lang", "fa"], input=text + "\n")
    assert result.stdout == expected + "\n"


def test_every_furniture_reason_is_documented():
    from newsingest.stages.extract import LINE_RULES

    source = (ROOT / "newsingest" / "stages" / "extract.py").read_text(encoding="utf-8")
    reasons = {reason for reason, _, _ in LINE_RULES} | set(re.findall(r'Furniture\("([a-z_]+)"', source))
    reasons |= {"title_repeat", "caption"}
    doc = (ROOT / "docs" / "extraction.md").read_text(encoding="utf-8")
    assert len(reasons) >= 20
    assert sorted(r for r in reasons if f"| `{r}`" not in doc) == []


def test_language_id_doc_states_the_thresholds_in_force():
    from newsingest.stages import langid

    doc = (ROOT / "docs" / "language-id.md").read_text(encoding="utf-8")
    assert f"fewer than {langid.MIN_LETTERS} letters" in doc
    assert f"first {langid.SAMPLE_CHARS} characters" in doc
    assert (f"at least {langid.SHORT_CLEAR_WORDS} of them, three\n   times as many as any other's, among them "
            f"{langid.SHORT_CLEAR_LONG_WORDS} different words of three letters or more") in doc
    assert f"at least {round(langid.MIXED_MIN_SHARE * 100)}% of the letters" in doc
    assert f"when the sum is above {langid.MALAY_THRESHOLD:g}" in doc
    assert f"10^-(sum − {langid.MALAY_THRESHOLD:g})" in doc
    assert f"The hand-written words count {langid.EVIDENCE_WEIGHT:g} each" in doc
    assert langid.WEAK_EVIDENCE == 0.5 and "count half of that" in doc
    assert f"`newsingest/resources/ms_id_words.tsv.gz`, {len(langid.malay_ratios()):,} words" in doc
    assert f"fewer than {langid.SHORT_WORDS}\nlower-case words in its first {langid.SHORT_WORDS_WITHIN} characters" in doc
