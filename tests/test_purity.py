"""The core stays pure: no I/O, no clock, no global random, no pygame.

engine/ (outside the front ends and the save machinery) and rules/ are
imported by the AI, the server and the tests; they must run headless and
replay bit for bit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRONT_ENDS = {"ui", "net", "cli"}
# Modules allowed to touch the disk or the clock: saves, benchmarks of bots' budgets, and
# the report's two output modules (charts render PNG bytes through matplotlib and io; export
# writes the report directory).  The report's timeline and text renderers stay in the pure core.
IO_MODULES = {"engine/record.py", "engine/scenarios.py",
              "engine/report/charts.py", "engine/report/export.py",
              # a study's runner, its SQLite/CSV store, its process pool or cluster, its report files
              "engine/study/runner.py", "engine/study/storage.py", "engine/study/backends.py",
              "engine/study/charts.py", "engine/study/export.py"}
# matplotlib is for charts of a report, and only there.
MATPLOTLIB_MODULES = {"engine/report/charts.py", "engine/study/charts.py"}
FORBIDDEN = {"pygame", "random", "time", "socket", "pickle", "marshal", "shelve", "subprocess",
             "threading", "datetime", "os", "io", "pathlib", "asyncio", "websockets"}


def core_files():
    for path in sorted((ROOT / "engine").rglob("*.py")) + sorted((ROOT / "rules").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        parts = rel.split("/")
        if len(parts) > 2 and parts[0] == "engine" and parts[1] in FRONT_ENDS:
            continue
        if rel in IO_MODULES:
            continue
        yield rel, path


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("rel,path", list(core_files()), ids=lambda x: x if isinstance(x, str) else "")
def test_core_module_is_pure(rel, path):
    bad = imported(path) & FORBIDDEN
    if rel == "engine/ai/mcts.py":
        bad.discard("time")  # a search may read the clock only to respect its time limit
    assert not bad, f"{rel} imports {sorted(bad)}"


def test_no_eval_or_pickle_anywhere():
    for path in list(ROOT.glob("*.py")) + list((ROOT / "engine").rglob("*.py")) + list((ROOT / "rules").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), f"{path}: {node.func.id}()"
        assert "import pickle" not in text, path


def test_pygame_only_in_the_window():
    for path in (ROOT / "engine").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("engine/ui/"):
            continue
        assert "pygame" not in imported(path), rel


def test_matplotlib_only_in_report_charts():
    for path in list(ROOT.glob("*.py")) + list((ROOT / "engine").rglob("*.py")) + \
            list((ROOT / "rules").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in MATPLOTLIB_MODULES:
            continue
        assert "matplotlib" not in imported(path), rel
