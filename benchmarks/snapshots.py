"""Fetched snapshots of public repositories, read at a pinned commit: the one reader every
development-set builder of benchmarks/ uses (realworld/build.py, langid/build.py)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """A public repository a development set is built from, pinned to a commit, with its licence
    (as the set's manifest records it) and the language of its articles where it has one."""

    name: str
    repo: str  # owner/name on GitHub
    commit: str
    licence: str
    language: str = ""


class Missing(Exception):
    """A snapshot, commit or file the build needs is not there."""


class Snapshot:
    """Read-only access to one fetched snapshot at a pinned commit (git plumbing, no work tree)."""

    def __init__(self, git_dir: Path, commit: str):
        self.git_dir, self.commit = git_dir, commit
        if self._run("cat-file", "-e", f"{commit}^{{commit}}", check=False).returncode != 0:
            raise Missing(f"{git_dir}: commit {commit} is not in this snapshot")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", f"--git-dir={self.git_dir}", *args], capture_output=True, check=check)

    def paths(self, pattern: str) -> list[str]:
        out = self._run("ls-tree", "-r", "--name-only", "-z", self.commit).stdout.decode("utf-8")
        return sorted(p for p in out.split("\0") if p and re.fullmatch(pattern, p))

    def read(self, path: str) -> bytes:
        proc = self._run("show", f"{self.commit}:{path}", check=False)
        if proc.returncode != 0:
            raise Missing(f"{self.git_dir}: {path} is not in commit {self.commit}")
        return proc.stdout


def find_snapshot(mirrors: list[Path], repo: str, commit: str) -> Snapshot:
    """The snapshot of REPO among the --mirror paths (a git dir, a clone, or DIR/OWNER+NAME/repo):
    the first that holds the pinned commit."""
    slug = repo.replace("/", "+")
    for m in mirrors:
        for c in (m / slug / "repo", m / slug, m, m / "repo", m / ".git"):
            if (c / "objects").is_dir() and (c / "HEAD").exists():
                try:
                    return Snapshot(c, commit)
                except Missing:
                    continue
    raise Missing(f"no snapshot of {repo} at {commit} under " + ", ".join(map(str, mirrors)))
