"""`split --jobs N` gives the bytes and the reports of one process, in the same order, for containers
with odd members: empty ones, odd markers, bad bytes, members too large, CRLF line ends, repeated
names, stray text, articles whose processing fails, UTF-16 and Windows-1256 files; from a file and
from standard input, with and without learnt furniture."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from newsingest.cli import cli
from newsingest.engines.local import Local
from newsingest.io.sinks import StreamSink
from newsingest.options import SplitOptions
from newsingest.pipeline import split_files
from newsingest.pipeline.report import Report
from newsingest.stages import split as split_stage

ARTICLE = ("Sebuah artikel berita yang cukup panjang untuk menjadi satu catatan tersendiri, nomor {k}.\n"
           "Paragraf kedua {k} menceritakan kejadian di kota itu dengan banyak kata yang biasa dipakai.\n"
           "Baca juga: berita lain\n")


def _odd(k: int) -> str:
    """A member, odd one time in a few."""
    body = ARTICLE.format(k=k)
    kinds = [
        lambda: f"<<<FILE m{k}>>>\n{body}<<<END>>>\n",
        lambda: f"<<<FILE e{k}>>>\n  \n<<<END>>>\n",  # empty
        lambda: f"<<<file m{k}>>>\n{body}<<< END >>>\n",  # odd markers
        lambda: f"<<<FILE dup>>>\n{body}<<<END>>>\n",  # a repeated name
        lambda: f"stray text {k}\n<<<FILE m{k}>>>\n{body.replace('kota', 'kota BOOM')}<<<END>>>\n",  # stray text, a failing article
        lambda: f"<<<FILE big{k}>>>\n{body * 40}<<<END>>>\n",  # too large for --max-member-bytes
        lambda: f"<<<FILE m{k}>>>\n{body}",  # no <<<END>>>: truncated by the next header
        lambda: f"<<<FILE>>>\n\\<<<FILE not a marker>>>\n{body}<<<END>>>\n<<<END>>>\n",
    ]
    return kinds[k % len(kinds)]() if k % 3 else kinds[0]()


def _text(count: int) -> str:
    return "".join(_odd(k) for k in range(count))


@pytest.fixture(autouse=True)
def failing_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashing fails on articles holding BOOM (workers are forked: they see it too)."""
    real: Callable[[str], str] = getattr(split_stage, "text_hash")

    def text_hash(text: str) -> str:
        if "BOOM" in text:
            raise RuntimeError("boom")
        return real(text)

    monkeypatch.setattr(split_stage, "text_hash", text_hash)


def _containers(tmp_path: Path) -> list[tuple[str, bytes]]:
    text = _text(400)
    with_bad = text.encode("utf-8").replace(b"nomor 7.", b"nomor \xff7.").replace(b"nomor 15.", b"nomor \xe97.")
    return [
        ("lf.txt", with_bad),
        ("crlf.txt", text.replace("\n", "\r\n").encode("utf-8")),
        ("utf16.txt", _text(60).encode("utf-16")),
        ("cp1256.txt", _text(60).replace("artikel", "مقاله").encode("cp1256")),
    ]


@pytest.mark.parametrize("name", ["lf.txt", "crlf.txt", "utf16.txt", "cp1256.txt"])
def test_any_jobs_gives_the_records_and_reports_of_one_process(tmp_path: Path, name: str) -> None:
    data = dict(_containers(tmp_path))[name]
    path = tmp_path / name
    path.write_bytes(data)
    encoding = ["--encoding", "windows-1256"] if name == "cp1256.txt" else []
    runs = {}
    for jobs in ("1", "2", "3"):
        args = ["split", "--jobs", jobs, "--max-member-bytes", "2KiB", *encoding]
        from_file = CliRunner().invoke(cli, [*args, str(path)], catch_exceptions=False)
        from_stdin = CliRunner().invoke(cli, [*args, "-"], input=data, catch_exceptions=False)
        runs[jobs] = (from_file.exit_code, from_file.stdout, from_file.stderr,
                      from_stdin.exit_code, from_stdin.stdout, from_stdin.stderr)
    assert runs["2"] == runs["1"] and runs["3"] == runs["1"]
    code, out, err, *_ = runs["1"]
    assert code == 1 and out.count("\n") > 30
    kinds = ["is empty", "member name 'dup' already used", "larger than 2 KiB", "is still open",
             "RuntimeError: boom", "text outside any member"]
    assert [kind for kind in kinds if kind not in err] == []
    assert "read as <<<END>>>" in err and "read as <<<FILE m2>>>" in err
    if name == "lf.txt":
        assert f"{path}:" in err and "not UTF-8" in err
    assert err.count("\n") > 20


def test_learnt_furniture_windows_report_in_the_order_of_one_process(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text(_text(120), encoding="utf-8")

    def run(jobs: int) -> tuple[list[str], bytes]:
        shown: list[str] = []
        out = tmp_path / f"out{jobs}.jsonl"
        report = split_files([str(path)], SplitOptions(learn_furniture=2, window=7, max_member_bytes=2048),
                             StreamSink(str(out)), Local(jobs), Report(shown.append))
        report.finish()
        return shown, out.read_bytes()

    one = run(1)
    assert len(one[0]) > 20 and one[1].count(b"\n") > 30
    assert run(2) == one and run(3) == one
