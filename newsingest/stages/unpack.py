"""Writing a container's members back to files: the inverse of ``pack`` (docs/robustness.md).

A container may come from anywhere, so a member name is never trusted as a path:
names that could land outside the target folder (``..``, absolute and Windows
paths, control characters, device names) are refused, and no symbolic link
inside the folder is ever followed. Each file is written atomically.
"""

from __future__ import annotations

import contextlib
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..io.container import Member, ProblemHandler, raise_problem
from ..errors import NewsingestError, Problem
from ..io.streams import AtomicFile, default_mode

# Names Windows reserves for devices in every folder, with or without an extension.
WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{prefix}{n}" for prefix in ("COM", "LPT") for n in list("123456789") + ["¹", "²", "³"]]
)

# The reader's own remarks that do not apply to files: an empty file is a member
# like any other, and repeated names are reported below with what unpack does.
_NOT_PROBLEMS_HERE = frozenset({"empty_member", "duplicate_name"})


def generated_name(member: Member) -> str:
    """The file name of an unnamed member: its ordinal in the container."""
    return f"member-{member.ordinal:06d}.txt"


def unsafe_name(name: str) -> Optional[tuple[str, str]]:
    """(what is wrong, what to do) when ``name`` cannot be a path inside the target folder, else None."""
    for ch in name:
        if unicodedata.category(ch) == "Cc":
            return f"contains a control character (U+{ord(ch):04X})", "remove it from the name"
    if name.startswith(("\\\\", "//")):
        return "is a network path", "give a path relative to the folder"
    if len(name) >= 2 and name[1] == ":" and name[0].isascii() and name[0].isalpha():
        return "starts with a Windows drive", "give a path relative to the folder"
    if "\\" in name:
        return "contains a backslash (a Windows folder separator)", "use / between folders"
    if name.startswith("/"):
        return "is an absolute path", "give a path relative to the folder"
    for part in name.split("/"):
        if part == "":
            return "has an empty path part (// or a / at the end)", "remove the extra /"
        if part in (".", ".."):
            return f"has a {part!r} part", "give a path inside the folder without . or .. parts"
        if part.endswith((".", " ")):
            return f"has a part ending in a dot or a space ({part!r})", "rename that part"
        if part.split(".", 1)[0].rstrip(" ").upper() in WINDOWS_DEVICES:
            return f"has a part named after a Windows device ({part!r})", "rename that part"
    return None


@dataclass
class UnpackResult:
    """What an unpack did: files written and members skipped (each skip was reported)."""

    written: list[str] = field(default_factory=list)
    skipped: int = 0


def unpack_members(
    members: Iterable[Member],
    directory: str,
    force: bool = False,
    on_problem: ProblemHandler = raise_problem,
) -> UnpackResult:
    """Write each member's body to ``directory``/NAME, byte for byte as ``pack`` read it.

    A member that cannot be written safely is reported to ``on_problem`` (with the
    container line of its header) and skipped; the others are still written.
    An existing file is replaced only with ``force``; a symbolic link is never
    followed, only replaced (with ``force``) when it stands where the file goes.
    """
    try:
        os.makedirs(directory, exist_ok=True)
        root = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise NewsingestError(
            f"{directory}: cannot use as the output folder: {exc.strerror or exc} — give another -o DIR"
        ) from None
    result = UnpackResult()
    written_at: dict[str, int] = {}

    def skip(member: Member, kind: str, message: str) -> None:
        result.skipped += 1
        on_problem(Problem(member.container, member.line, kind, message))

    try:
        for member in members:
            name = member.name if member.name is not None else generated_name(member)
            if (why := unsafe_name(name)) is not None:
                what, fix = why
                skip(member, "unsafe_name", f"member name {name!r} {what}; member skipped — {fix}")
                continue
            if name in written_at:
                skip(
                    member, "duplicate_name",
                    f"member name {name!r} already written from line {written_at[name]}; "
                    "member skipped — rename one of them",
                )
                continue
            try:
                kind, message = _write_member(root, name, member.body.encode("utf-8"), force) or ("", "")
            except OSError as exc:
                kind, message = "write_failed", (
                    f"cannot write {name!r}: {exc.strerror or exc}; member skipped — "
                    "check the folder's permissions and free space"
                )
            if kind:
                skip(member, kind, message)
                continue
            written_at[name] = member.line
            result.written.append(name)
    finally:
        os.close(root)
    return result


def member_problems(on_problem: ProblemHandler) -> ProblemHandler:
    """The reader's problems that matter when unpacking (not empty members nor repeated names)."""

    def handle(problem: Problem) -> None:
        if problem.kind not in _NOT_PROBLEMS_HERE:
            on_problem(problem)

    return handle


def _write_member(root: int, name: str, data: bytes, force: bool) -> Optional[tuple[str, str]]:
    """Write ``data`` to ``name`` under the folder open as ``root``; (kind, message) when refused."""
    *folders, filename = name.split("/")
    parent = root
    opened: list[int] = []
    try:
        for depth, part in enumerate(folders):
            where = "/".join(folders[: depth + 1])
            info = _lstat(part, parent)
            if info is None:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, dir_fd=parent)
                info = _lstat(part, parent)
            if info is not None and stat.S_ISLNK(info.st_mode):
                return "symlink", (
                    f"{where!r} is a symbolic link in the folder; not followed, member {name!r} skipped — "
                    "remove the link or unpack into an empty folder"
                )
            if info is None or not stat.S_ISDIR(info.st_mode):
                return "not_a_folder", (
                    f"{where!r} exists and is not a folder; member {name!r} skipped — "
                    "move it away or unpack into an empty folder"
                )
            # O_NOFOLLOW: a link swapped in after the check above fails here instead of being followed.
            parent = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
            opened.append(parent)
        existing = _lstat(filename, parent)
        if existing is not None:
            if stat.S_ISDIR(existing.st_mode):
                return "not_a_file", f"{name!r} exists and is a folder; member skipped — move it away"
            if not force:
                return "exists", f"{name!r} already exists; not overwritten — use --force to replace it"
        _write_atomically(parent, filename, data)
        return None
    finally:
        for fd in reversed(opened):
            os.close(fd)


def _lstat(name: str, dir_fd: int) -> Optional[os.stat_result]:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _write_atomically(parent: int, filename: str, data: bytes) -> None:
    """The file complete and synced before it takes its name in the folder open as ``parent``
    (a link standing there is replaced, never followed); an existing file keeps its mode."""
    existing = _lstat(filename, parent)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None and stat.S_ISREG(existing.st_mode) else default_mode()
    with AtomicFile("", filename, mode, dir_fd=parent) as temp:
        assert temp.fd is not None  # an AtomicFile is open until it is closed or aborted
        with os.fdopen(temp.fd, "wb", closefd=False) as out:
            out.write(data)
