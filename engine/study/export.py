"""Write a study's report into its directory: report.html, report.md, charts/*.png."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from engine import scenarios
from engine.study import charts, render
from engine.study.analysis import analyse
from engine.study.spec import Study


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_report(out: Path, study: Study, rows: list[dict[str, Any]], summary) -> Path:
    """Analyse ``rows`` and write the report; returns the HTML page's path."""
    sc = scenarios.get(study.scenario)
    a = analyse(study, rows, sc.factions)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    for name, data in charts.render(a).items():
        _write(out / "charts" / name, data)
    line = summary.stats(study)
    _write(out / "report.md", render.markdown(a, summary.command, line).encode("utf-8"))
    page = out / "report.html"
    _write(page, render.html(a, summary.command, line).encode("utf-8"))
    return page
