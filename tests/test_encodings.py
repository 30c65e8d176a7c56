"""Containers in UTF-8 (with and without a mark), UTF-16, UTF-32 and Windows-1256: read as they are,
the encoding recorded, and bytes that do not decode reported with their place, never dropped."""

import gzip
import io
import json

import pytest

from newsingest.engines.dask_split import plan, run_partition
from newsingest.io.container import read_container
from newsingest.io.encoding import PREFIX_BYTES, canonical, detect
from newsingest.stages.split import SplitOptions

from .conftest import write

PERSIAN = (
    "وزیر امور خارجه چین در سفر خود به مینسک با همتای بلاروسی خود دیدار و گفتگو کرد.\n"
    "دو طرف بر گسترش همکاری‌های اقتصادی و فرهنگی تاکید کردند و چند سند همکاری امضا شد."
)
ARABIC = (
    "أعلنت وزارة الخارجية الصينية أن البيان المشترك نص على أن الطرفين سيعملان معا للحفاظ على النظام الدولي.\n"
    "وقال رئيس الوزراء إن بكين مستعدة لتعزيز التعاون مع مينسك في الأمم المتحدة ومنظمة شنغهاي للتعاون."
)
def in_1256(text: str) -> str:
    """Persian as Windows-1256 can hold it: Arabic yeh for Persian yeh, a space for ZWNJ."""
    return text.replace("\u06cc", "\u064a").replace("\u200c", " ")


LATIN = "Perdana Menteri Tiongkok Li Qiang mengunjungi Belarus pada 22 Agustus."


def container_text(*bodies: str) -> str:
    return "".join(f"<<<FILE m{i}.txt>>>\n{body}\n<<<END>>>\n" for i, body in enumerate(bodies))


def split(invoke, tmp_path, data: bytes, via: str, *options: str):
    """Run `split` on ``data`` from a file or from `-`; (exit code, stderr with the path as FILE, records)."""
    if via == "file":
        path = write(tmp_path / "c.txt", data)
        result = invoke(["split", *options, path])
    else:
        path = "-"
        result = invoke(["split", *options, "-"], input=data)
    stderr = result.stderr.replace(path + ":", "FILE:")
    return result.exit_code, stderr, [json.loads(line) for line in result.stdout.splitlines()]


VIA = pytest.mark.parametrize("via", ["file", "stdin"])

# (bytes of the container, the encoding a record shows)
CLEAN = {
    "utf-8": (container_text(PERSIAN, LATIN).encode("utf-8"), "utf-8"),
    "utf-8 with BOM": (b"\xef\xbb\xbf" + container_text(PERSIAN, LATIN).encode("utf-8"), "utf-8"),
    "utf-16 LE with BOM": (b"\xff\xfe" + container_text(PERSIAN, LATIN).encode("utf-16-le"), "utf-16"),
    "utf-16 BE with BOM": (b"\xfe\xff" + container_text(PERSIAN, LATIN).encode("utf-16-be"), "utf-16"),
    "utf-32 LE with BOM": (b"\xff\xfe\x00\x00" + container_text(PERSIAN, LATIN).encode("utf-32-le"), "utf-32"),
    "utf-16 LE with BOM, CRLF": (
        b"\xff\xfe" + container_text(PERSIAN, LATIN).replace("\n", "\r\n").encode("utf-16-le"), "utf-16"
    ),
}


@VIA
@pytest.mark.parametrize("kind", sorted(CLEAN))
def test_clean_container_in_any_encoding_gives_the_same_records(invoke, tmp_path, kind, via):
    data, encoding = CLEAN[kind]
    code, stderr, records = split(invoke, tmp_path, data, via)
    assert (code, stderr) == (0, "")
    assert [r["encoding"] for r in records] == [encoding, encoding]
    assert [r["text"] for r in records] == [PERSIAN, LATIN]
    assert [r["language"] for r in records] == ["fa", "id"]
    assert [r["source"]["line"] for r in records] == [1, 5]


@VIA
@pytest.mark.parametrize("text,language", [(PERSIAN, "fa"), (ARABIC, "ar")], ids=["persian", "arabic"])
def test_windows_1256_is_recognised(invoke, tmp_path, text, language, via):
    data = container_text(in_1256(text)).encode("cp1256")
    code, stderr, records = split(invoke, tmp_path, data, via)
    assert (code, stderr) == (0, "")
    assert [(r["encoding"], r["text"], r["language"]) for r in records] == [
        ("windows-1256", in_1256(text), language)
    ]


@VIA
def test_utf8_forced_on_a_windows_1256_file_reports_every_line_with_bad_bytes(invoke, tmp_path, via):
    data = container_text(in_1256("سلام دنیا") + "\nabc").encode("cp1256")
    code, stderr, records = split(invoke, tmp_path, data, via, "--encoding", "utf-8")
    assert code == 1
    # سلام دنیا in Windows-1256: 8 letters of one byte each, none UTF-8, each replaced on its own.
    assert stderr == (
        "FILE:2: bytes that are not UTF-8 at column 1 (byte offset 18) and 7 more on this line; "
        "replaced with U+FFFD — convert the file to UTF-8 to keep them\n"
    )
    assert records[0]["encoding"] == "utf-8"
    # Nothing lost: the line is kept, replaced, where a line of no letters goes (aside, as furniture).
    assert [b["text"] for b in records[0]["boilerplate"]] == ["\ufffd" * 4 + " " + "\ufffd" * 4]
    assert records[0]["text"] == "abc"


@VIA
def test_invalid_bytes_in_a_utf8_file_are_reported_with_their_offset(invoke, tmp_path, via):
    good = container_text(PERSIAN).encode("utf-8")
    data = good.replace("مینسک".encode(), "مین".encode() + b"\xff\xfe" + "سک".encode(), 1)
    offset = data.index(b"\xff")
    line_start = data.rindex(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8")) + 1
    code, stderr, records = split(invoke, tmp_path, data, via)
    assert code == 1
    assert stderr == (
        f"FILE:2: bytes that are not UTF-8 at column {column} (byte offset {offset}) and 1 more on this line; "
        "replaced with U+FFFD — convert the file to UTF-8 to keep them\n"
    )
    assert records[0]["encoding"] == "utf-8"  # a few bad bytes do not make a Persian UTF-8 file another code page
    assert "مین\ufffd\ufffdسک" in records[0]["text"]


@VIA
def test_invalid_bytes_in_a_utf16_file_are_reported_with_their_offset(invoke, tmp_path, via):
    body = b"\xff\xfe" + container_text("ab" + "\ud800" + "cd").encode("utf-16-le", "surrogatepass")
    code, stderr, records = split(invoke, tmp_path, body, via)
    offset = body.index(b"\x00\xd8")
    assert code == 1
    assert stderr == (
        f"FILE:2: bytes that are not utf-16 at column 3 (byte offset {offset}); replaced with U+FFFD "
        "— is the file in another encoding? Give it with --encoding\n"
    )
    assert [(r["text"], r["encoding"]) for r in records] == [("ab\ufffdcd", "utf-16")]


@VIA
def test_forced_encoding_is_used_and_recorded(invoke, tmp_path, via):
    data = container_text("café crème brûlée").encode("cp1252")  # too few bytes for auto to tell
    code, stderr, records = split(invoke, tmp_path, data, via, "--encoding", "cp1252")
    assert (code, stderr) == (0, "")
    assert [(r["text"], r["encoding"]) for r in records] == [("café crème brûlée", "windows-1252")]


def test_too_little_evidence_stays_utf8_and_is_reported(invoke, tmp_path):
    path = write(tmp_path / "c.txt", container_text("café").encode("cp1252"))
    result = invoke(["split", path])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2: bytes that are not UTF-8 at column 4 (byte offset 21); replaced with U+FFFD"
        " — convert the file to UTF-8 to keep them\n"
    )


@pytest.mark.parametrize(
    "name,message",
    [
        ("klingon", "unknown encoding 'klingon' — give a name such as utf-8, utf-16 or windows-1256"),
        ("cp037", "encoding 'cp037' cannot carry the container format (its line ends and markers are not ASCII "
                  "bytes) — convert the file to UTF-8"),
        ("rot13", "unknown encoding 'rot13' — give a name such as utf-8, utf-16 or windows-1256"),
        *[(codec, f"encoding {codec!r} cannot carry the container format (its line ends and markers are not ASCII "
                  "bytes) — convert the file to UTF-8") for codec in ("punycode", "unicode_escape", "utf-7")],
        *[(codec, f"encoding {codec!r} cannot be read a line at a time (it carries escapes or shifts from line to "
                  "line) — convert the file to UTF-8") for codec in ("idna", "hz", "iso2022_jp")],
    ],
)
def test_unusable_encoding_is_a_usage_error(invoke, tmp_path, name, message):
    path = write(tmp_path / "c.txt", container_text(LATIN).encode())
    result = invoke(["split", "--encoding", name, path])
    assert result.exit_code == 2
    assert result.stderr == (
        "Usage: cli split [OPTIONS] [INPUT]...\nTry 'cli split --help' for help.\n\n"
        f"Error: Invalid value for --encoding: {message}\n"
    )
    assert result.stdout == ""


def test_compressed_utf16_container(invoke, tmp_path):
    data = gzip.compress(b"\xff\xfe" + container_text(ARABIC).encode("utf-16-le"))
    code, stderr, records = split(invoke, tmp_path, data, "file")
    assert (code, stderr) == (0, "")
    assert [(r["text"], r["encoding"], r["language"]) for r in records] == [(ARABIC, "utf-16", "ar")]


def test_utf16_lines_longer_than_the_read_chunk_keep_characters_cut_at_chunk_ends(invoke, tmp_path):
    # An emoji is a surrogate pair; 3 bytes of padding put pairs across every read boundary.
    long_line = "x" + "👍🏽 سلام " * (PREFIX_BYTES // 8)
    text = container_text(long_line, PERSIAN)
    code, stderr, records = split(invoke, tmp_path, b"\xff\xfe" + text.encode("utf-16-le"), "file")
    assert (code, stderr) == (0, "")
    assert [r.pop("encoding") for r in records] == ["utf-16", "utf-16"]
    _, _, as_utf8 = split(invoke, tmp_path, text.encode("utf-8"), "file")
    assert [r.pop("encoding") for r in as_utf8] == ["utf-8", "utf-8"]
    assert records == as_utf8
    assert records[1]["text"] == PERSIAN


def test_windows_1256_beyond_the_detection_prefix(invoke, tmp_path):
    bodies = [f"{in_1256(PERSIAN)}\n{i}" for i in range(1000)]  # about 200 KB: detection sees only the first part
    data = container_text(*bodies).encode("cp1256")
    assert len(data) > 1.5 * PREFIX_BYTES
    code, stderr, records = split(invoke, tmp_path, data, "file")
    assert (code, stderr) == (0, "")
    assert {r.pop("encoding") for r in records} == {"windows-1256"}
    _, _, as_utf8 = split(invoke, tmp_path, container_text(*bodies).encode("utf-8"), "file")
    assert {r.pop("encoding") for r in as_utf8} == {"utf-8"}
    assert records == as_utf8 and len(records) == 1000


def test_pack_split_round_trip_is_unaffected(invoke, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = {"fa.txt": PERSIAN, "ar.txt": ARABIC + "\n", "id.txt": "\ufeff" + LATIN}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    packed = tmp_path / "dump.txt"
    assert invoke(["pack", str(folder), "-o", str(packed)]).exit_code == 0
    members = list(read_container(io.BufferedReader(io.BytesIO(packed.read_bytes())), "dump.txt"))
    assert {m.name: m.body for m in members} == texts
    assert {m.encoding for m in members} == {"utf-8"}


# --- the decision itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix,expected",
    [
        (b"", "utf-8"),
        (b"plain ascii\n", "utf-8"),
        (b"\xef\xbb\xbfabc", "utf-8"),
        (b"\xff\xfea\x00", "utf-16"),
        (b"\xfe\xff\x00a", "utf-16"),
        (b"\xff\xfe\x00\x00a\x00\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff\x00\x00\x00a", "utf-32"),
        (PERSIAN.encode("utf-8")[:-1], "utf-8"),  # a character cut by the end of the prefix is not a bad byte
        (ARABIC.encode("cp1256"), "windows-1256"),
        (bytes(range(256)) * 4, "utf-8"),  # binary: NUL bytes, no code page guessed
    ],
)
def test_detect(prefix, expected):
    assert detect(prefix) == expected
    assert detect(prefix) == detect(prefix)


@pytest.mark.parametrize(
    "name,expected",
    [("UTF8", "utf-8"), ("utf-8-sig", "utf-8"), ("cp1256", "windows-1256"), ("Windows-1256", "windows-1256"),
     ("latin-1", "iso8859-1"), ("utf_16", "utf-16"), ("UTF-16LE", "utf-16-le")],
)
def test_canonical_names(name, expected):
    assert canonical(name) == expected


def test_cluster_plan_keeps_a_utf16_container_in_one_partition(tmp_path):
    bodies = [f"{LATIN} {i}" for i in range(200)]
    utf16 = write(tmp_path / "u16.txt", b"\xff\xfe" + container_text(*bodies).encode("utf-16-le"))
    cp1256 = write(tmp_path / "ar.txt", container_text(*[f"{ARABIC} {i}" for i in range(200)]).encode("cp1256"))
    partitions = plan([utf16, cp1256], lambda problem: None, target=2000)
    assert [(p.path, p.encoding) for p in partitions if p.path == utf16] == [(utf16, "utf-16")]
    arabic = [p for p in partitions if p.path == cp1256]
    assert len(arabic) > 5 and {p.encoding for p in arabic} == {"windows-1256"}
    out = tmp_path / "out"
    out.mkdir()
    assert sum(run_partition(p, str(out / f"part-{p.index:05d}.jsonl.gz"), SplitOptions())[0]
               for p in partitions) == 400
    texts = []
    for p in partitions:
        with gzip.open(out / f"part-{p.index:05d}.jsonl.gz") as shard:
            texts += [json.loads(line)["text"] for line in shard]
    assert texts == bodies + [f"{ARABIC} {i}" for i in range(200)]
