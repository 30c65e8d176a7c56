"""`unpack`: the inverse of `pack`, and never a file written outside its folder."""

import os

import pytest

from newsingest.stages.unpack import unsafe_name

from .conftest import write


def tree(root):
    """Every path under ``root`` with its kind and content, links as their targets (never followed)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                found[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[rel] = ("dir", None)
            else:
                with open(path, "rb") as handle:
                    found[rel] = ("file", handle.read())
    return found


def unpack_args(tmp_path, data: bytes, via: str, *extra, out="out"):
    """Arguments, stdin and the name in messages for `unpack` reading ``data`` from a file or `-`."""
    if via == "file":
        path = write(tmp_path / "c.txt", data)
        return ["unpack", path, "-o", str(tmp_path / out), *extra], None, path
    return ["unpack", "-", "-o", str(tmp_path / out), *extra], data, "-"


# --- round trip -------------------------------------------------------------------------------

FILES = {
    "a.txt": b"hello\r\nworld",
    "empty.txt": b"",
    "blank.txt": b"  \n\n",
    "sub/deeper/markers.txt": b"<<<END>>>\n\\<<<FILE x>>>\n  <<<FILE>>>\n\n",
    "sub/bom.txt": "\ufeffسلام\u200cها\n".encode(),
    "sub/nested/last line.txt": b"no newline at the end",
}


@pytest.mark.parametrize("via", ["file", "-"])
def test_pack_then_unpack_gives_the_same_files(invoke, tmp_path, via):
    source = tmp_path / "src"
    for name, data in FILES.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    packed = invoke(["pack", str(source)])
    assert (packed.exit_code, packed.stderr) == (0, "")
    args, stdin, _ = unpack_args(tmp_path, packed.stdout_bytes, via)
    result = invoke(args, input=stdin)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert tree(tmp_path / "out") == tree(source)


@pytest.mark.parametrize("via", ["file", "-"])
def test_unnamed_members_get_their_ordinal_as_name(invoke, tmp_path, via):
    args, stdin, _ = unpack_args(tmp_path, b"<<<FILE a.txt>>>\na\n<<<END>>>\n<<<FILE>>>\nb\n<<<END>>>\n", via)
    result = invoke(args, input=stdin)
    assert (result.exit_code, result.stderr) == (0, "")
    assert tree(tmp_path / "out") == {"a.txt": ("file", b"a"), "member-000002.txt": ("file", b"b")}


@pytest.mark.parametrize("via", ["file", "-"])
def test_existing_files_are_kept_unless_force(invoke, tmp_path, via):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").write_bytes(b"old")
    data = b"<<<FILE a.txt>>>\nnew\n<<<END>>>\n<<<FILE b.txt>>>\nb\n<<<END>>>\n"
    args, stdin, name = unpack_args(tmp_path, data, via)
    result = invoke(args, input=stdin)
    assert result.exit_code == 1
    assert result.stderr == f"{name}:1: 'a.txt' already exists; not overwritten — use --force to replace it\n"
    assert tree(tmp_path / "out") == {"a.txt": ("file", b"old"), "b.txt": ("file", b"b")}
    result = invoke(args + ["--force"], input=stdin)
    assert (result.exit_code, result.stderr) == (0, "")
    assert tree(tmp_path / "out") == {"a.txt": ("file", b"new"), "b.txt": ("file", b"b")}


def test_a_repeated_name_is_written_once(invoke, tmp_path):
    args, stdin, name = unpack_args(tmp_path, b"<<<FILE a>>>\n1\n<<<END>>>\n<<<FILE a>>>\n2\n<<<END>>>\n", "file")
    result = invoke(args, input=stdin)
    assert result.exit_code == 1
    assert result.stderr == f"{name}:4: member name 'a' already written from line 1; member skipped — rename one of them\n"
    assert tree(tmp_path / "out") == {"a": ("file", b"1")}


def test_container_problems_are_reported_and_a_truncated_member_still_written(invoke, tmp_path):
    args, stdin, name = unpack_args(tmp_path, b"<<<FILE a>>>\ncut short", "file")
    result = invoke(args, input=stdin)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{name}:2: end of file inside member 'a' (line 1); it is kept as truncated — add <<<END>>> at the end\n"
    )
    assert tree(tmp_path / "out") == {"a": ("file", b"cut short")}


def test_output_folder_that_cannot_be_made(invoke, tmp_path):
    (tmp_path / "file").write_bytes(b"")
    container = write(tmp_path / "c.txt", b"<<<FILE a>>>\na\n<<<END>>>\n")
    result = invoke(["unpack", container, "-o", str(tmp_path / "file" / "out")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"newsingest: {tmp_path / 'file' / 'out'}: cannot use as the output folder: Not a directory — give another -o DIR\n"
    )


# --- hostile names ----------------------------------------------------------------------------

SKIPPED = "member skipped"
HOSTILE = [
    ("../../etc/passwd", "has a '..' part; member skipped — give a path inside the folder without . or .. parts"),
    ("a/../../x", "has a '..' part; member skipped — give a path inside the folder without . or .. parts"),
    ("..", "has a '..' part; member skipped — give a path inside the folder without . or .. parts"),
    ("./a", "has a '.' part; member skipped — give a path inside the folder without . or .. parts"),
    ("/etc/passwd", "is an absolute path; member skipped — give a path relative to the folder"),
    ("/tmp", "is an absolute path; member skipped — give a path relative to the folder"),
    ("C:\\x", "starts with a Windows drive; member skipped — give a path relative to the folder"),
    ("c:x", "starts with a Windows drive; member skipped — give a path relative to the folder"),
    ("\\\\server\\x", "is a network path; member skipped — give a path relative to the folder"),
    ("//server/x", "is a network path; member skipped — give a path relative to the folder"),
    ("..\\..\\x", "contains a backslash (a Windows folder separator); member skipped — use / between folders"),
    ("a\\b", "contains a backslash (a Windows folder separator); member skipped — use / between folders"),
    ("a\x00b", "contains a control character (U+0000); member skipped — remove it from the name"),
    ("a\x1b[31mb", "contains a control character (U+001B); member skipped — remove it from the name"),
    ("a\tb", "contains a control character (U+0009); member skipped — remove it from the name"),
    ("a\x7f", "contains a control character (U+007F); member skipped — remove it from the name"),
    ("a\x85b", "contains a control character (U+0085); member skipped — remove it from the name"),
    ("a//b", "has an empty path part (// or a / at the end); member skipped — remove the extra /"),
    ("a/", "has an empty path part (// or a / at the end); member skipped — remove the extra /"),
    ("CON", "has a part named after a Windows device ('CON'); member skipped — rename that part"),
    ("con.txt", "has a part named after a Windows device ('con.txt'); member skipped — rename that part"),
    ("nul.tar.gz", "has a part named after a Windows device ('nul.tar.gz'); member skipped — rename that part"),
    ("sub/Aux", "has a part named after a Windows device ('Aux'); member skipped — rename that part"),
    ("PRN /x", "has a part ending in a dot or a space ('PRN '); member skipped — rename that part"),
    ("Com1.log", "has a part named after a Windows device ('Com1.log'); member skipped — rename that part"),
    ("lpt9", "has a part named after a Windows device ('lpt9'); member skipped — rename that part"),
    ("COM5 .txt", "has a part named after a Windows device ('COM5 .txt'); member skipped — rename that part"),
    ("name.", "has a part ending in a dot or a space ('name.'); member skipped — rename that part"),
    ("dir./x", "has a part ending in a dot or a space ('dir.'); member skipped — rename that part"),
    ("dir /x", "has a part ending in a dot or a space ('dir '); member skipped — rename that part"),
]


@pytest.mark.parametrize("via", ["file", "-"])
@pytest.mark.parametrize("name, why", HOSTILE, ids=[repr(n) for n, _ in HOSTILE])
def test_hostile_names_are_refused_and_nothing_is_written_outside(invoke, tmp_path, name, why, via):
    data = f"<<<FILE ok.txt>>>\nfine\n<<<END>>>\n<<<FILE {name}>>>\nroot:x:0:0\n<<<END>>>\n".encode()
    # DIR two levels down, so that even ../../ stays inside what the test watches.
    (tmp_path / "a" / "b").mkdir(parents=True)
    args, stdin, label = unpack_args(tmp_path, data, via, out="a/b/out")
    before = tree(tmp_path)
    result = invoke(args, input=stdin)
    assert result.exit_code == 1
    expected = f"{label}:4: member name {name!r} {why}\n"
    if "\x00" in name:  # the reader also says the container holds a NUL byte
        expected = f"{label}:4: binary content (NUL bytes); only <<<FILE>>> members in it are read — is this a container?\n" + expected
    assert result.stderr == expected
    after = tree(tmp_path)
    assert after.pop("a/b/out") == ("dir", None)
    assert after == {**before, "a/b/out/ok.txt": ("file", b"fine")}  # the good member only, nothing else anywhere


def test_every_windows_device_name_is_refused():
    devices = [f"COM{n}" for n in range(1, 10)] + [f"LPT{n}" for n in range(1, 10)] + ["CON", "PRN", "AUX", "NUL"]
    for device in devices:
        for name in (device, device.lower(), device.title() + ".txt", f"a/{device.lower()}.x.y"):
            assert unsafe_name(name) is not None, name
    for fine in ("CONTENT.txt", "console", "com10", "lpt0.txt", "nullable", "a/auxiliary", "con-1", "ok.txt", "a b/c.d"):
        assert unsafe_name(fine) is None, fine


@pytest.mark.parametrize("via", ["file", "-"])
def test_a_link_to_outside_inside_the_folder_is_never_followed(invoke, tmp_path, via):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"keep me")
    (tmp_path / "out").mkdir()
    os.symlink(outside, tmp_path / "out" / "evil")
    os.symlink(outside / "secret", tmp_path / "out" / "link.txt")
    data = (
        b"<<<FILE evil/new.txt>>>\nx\n<<<END>>>\n<<<FILE evil/secret>>>\nx\n<<<END>>>\n"
        b"<<<FILE link.txt>>>\nx\n<<<END>>>\n"
    )
    args, stdin, label = unpack_args(tmp_path, data, via)
    before = tree(tmp_path)
    result = invoke(args, input=stdin)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{label}:1: 'evil' is a symbolic link in the folder; not followed, member 'evil/new.txt' skipped"
        " — remove the link or unpack into an empty folder\n"
        f"{label}:4: 'evil' is a symbolic link in the folder; not followed, member 'evil/secret' skipped"
        " — remove the link or unpack into an empty folder\n"
        f"{label}:7: 'link.txt' already exists; not overwritten — use --force to replace it\n"
    )
    assert tree(tmp_path) == before
    # --force replaces the link itself with a file; what it pointed to is untouched.
    result = invoke(args + ["--force"], input=stdin)
    assert result.exit_code == 1
    after = tree(tmp_path)
    assert after["outside/secret"] == ("file", b"keep me")
    assert after["out/link.txt"] == ("file", b"x")
    assert {k: v for k, v in after.items() if k != "out/link.txt"} == {
        k: v for k, v in before.items() if k != "out/link.txt"
    }


def test_a_file_where_a_folder_should_be(invoke, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a").write_bytes(b"a file")
    args, stdin, label = unpack_args(tmp_path, b"<<<FILE a/b>>>\nx\n<<<END>>>\n<<<FILE c>>>\nc\n<<<END>>>\n", "file")
    result = invoke(args, input=stdin)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{label}:1: 'a' exists and is not a folder; member 'a/b' skipped — move it away or unpack into an empty folder\n"
    )
    assert tree(tmp_path / "out") == {"a": ("file", b"a file"), "c": ("file", b"c")}


def test_no_temporary_file_is_left_behind(invoke, tmp_path):
    args, stdin, _ = unpack_args(tmp_path, b"<<<FILE a/b.txt>>>\nx\n<<<END>>>\n", "file")
    assert invoke(args, input=stdin).exit_code == 0
    assert sorted(tree(tmp_path / "out")) == ["a", "a/b.txt"]
