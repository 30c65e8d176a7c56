"""Docs stay true to the code."""

from newsingest import container

from .conftest import ROOT

FORMAT_DOC = (ROOT / "docs" / "container-format.md").read_text(encoding="utf-8")


def test_every_container_problem_kind_is_documented():
    source = (ROOT / "newsingest" / "container.py").read_text()
    assert [k for k in container.PROBLEM_KINDS if source.count(f'"{k}"') < 2] == []  # declared and reported
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
