"""The layout keeps its promises: the CLI only parses and maps outcomes, the library never imports
click or rich, and docs/architecture.md names every module."""

import ast
import re

from .conftest import ROOT

PACKAGE = ROOT / "newsingest"
TERMINAL_SIDE = {"cli.py", "terminal.py"}


def _modules():
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                yield (node.module or ""), alias.name


def test_only_the_command_line_imports_click_and_rich():
    for path in _modules():
        if path.name in TERMINAL_SIDE and path.parent == PACKAGE:
            continue
        for module, _ in _imports(path):
            assert module.split(".")[0] not in {"click", "rich"}, f"{path.relative_to(ROOT)} imports {module}"


def test_the_command_line_calls_the_runner_and_does_no_work_itself():
    work = {"read_container", "read_records", "write_records", "open_input", "open_output", "Workers",
            "RereadableRecords", "ShardedOutput", "split_members", "normalize_records", "dedup_records",
            "collect_stats", "pack_file", "unpack_members", "dumps_record"}
    used = {name for _, name in _imports(PACKAGE / "cli.py")}
    assert not used & work
    assert {"split_files", "normalize_files", "dedup_files", "stats_files"} <= used


def test_every_module_is_in_the_architecture_page():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"[\w/]+\.py|[\w]+/", page))
    for path in _modules():
        relative = path.relative_to(PACKAGE)
        if relative.name == "__init__.py" and relative.parent != relative.parent.parent:
            assert f"{relative.parent.name}/" in named, f"docs/architecture.md does not name {relative.parent}/"
        else:
            assert relative.name in named, f"docs/architecture.md does not name {relative}"
