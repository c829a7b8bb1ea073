"""Running a study: read the file, play the cells' games, keep the rows, write the report."""

from __future__ import annotations

import os
import stat
import sys
import time
import tomllib
from pathlib import Path
from typing import Any, Callable

import attrs

from engine import scenarios
from engine.study import backends
from engine.study.play import columns as row_columns
from engine.study.spec import Study, StudyError, parse_study
from engine.study.storage import CSV_NAME, Store, write_csv


class StudyFileError(Exception):
    """A study file that cannot be read or is refused: one line naming the file and the key."""


@attrs.define
class Summary:
    games: int = 0          # rows in the result
    played: int = 0         # games played by this run (the rest were resumed)
    seconds: float = 0.0
    workers: int = 1
    backend: str = "local"
    command: str = "engine.study.run_study(...)"

    def stats(self, study: Study) -> str:
        rate = self.played / self.seconds if self.seconds > 0 else 0.0
        cells = len(study.cells)
        return (f"{self.games} games in {cells} {'cell' if cells == 1 else 'cells'} ({self.played} played now, "
                f"{self.seconds:.0f} s, {rate:.1f} games/s on {self.workers} "
                f"{'worker' if self.workers == 1 else 'workers'}, {self.backend})")

    def line(self, study: Study) -> str:
        return f"{study.title}: {self.stats(study)}"


def load_study(source: str | Path | dict, games: int | None = None, first_seed: int | None = None) -> Study:
    """Read and check a study (a file path or an already-parsed dict)."""
    if isinstance(source, dict):
        where, data, title = "study", source, "Study"
    else:
        where = str(source)
        try:
            if not stat.S_ISREG(os.stat(source).st_mode):  # a named pipe would block: not opened
                raise StudyFileError(f"{where}: not a regular file (a study is a TOML file)")
            text = Path(source).read_text(encoding="utf-8")
        except OSError as err:
            raise StudyFileError(f"{where}: cannot read: {err.strerror or err}") from None
        except UnicodeDecodeError:
            raise StudyFileError(f"{where}: not a UTF-8 text file") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise StudyFileError(f"{where}: not valid TOML: {err}") from None
        title = Path(source).stem
    sc_id = data.get("scenario", "iraq-2020") if isinstance(data, dict) else "iraq-2020"
    try:
        sc = scenarios.get(sc_id)
    except scenarios.UnknownScenarioError as err:
        raise StudyFileError(f"{where}: scenario: {err}") from None
    try:
        return parse_study(data, sc, games, first_seed, default_title=title)
    except StudyError as err:
        raise StudyFileError(f"{where}: {err}") from None


def study_columns(study: Study) -> list[str]:
    sc = scenarios.get(study.scenario)
    longest = max(c.turns for c in study.cells)
    return row_columns(sc, [f.column for f in study.factors], list(study.monthly), longest)


def _batch_size(games: int, workers: int, cluster: str | None) -> int:
    """Seeds per task: few enough to spread the work, enough to keep overhead low
    (a cluster's tasks cost more to ship; its size is not known here)."""
    if cluster is not None and cluster != "local":
        return max(1, min(16, games))
    return max(1, min(8, games // (4 * workers) or 1))


def run_study(source: str | Path | dict, out: str | Path | None = None, *, games: int | None = None,
              first_seed: int | None = None, workers: int = 1, resume: bool = False,
              cluster: str | None = None, progress: bool = False, report: bool = True,
              on_summary: Callable[[Summary, Study], None] | None = None) -> list[dict[str, Any]]:
    """Run a study and return its rows (one dict per game, sorted by cell and seed).

    ``out``: a directory for ``study.sqlite``, ``games.csv`` and the report
    (None: keep nothing on disk).  ``cluster``: a Dask scheduler address, or
    ``"local"`` for a LocalCluster of ``workers`` processes.
    """
    study = load_study(source, games, first_seed)
    cols = study_columns(study)
    store = Store(Path(out), study.canonical(), cols, resume) if out is not None else None
    try:
        done = store.done() if store is not None else set()
        rows: list[dict[str, Any]] = []
        size = _batch_size(study.games, workers, cluster)
        tasks = []
        for cell in study.cells:
            job = cell.job(study.monthly)
            todo = [s for s in study.seeds if (cell.index, s) not in done]
            tasks += [(study.scenario, job, todo[i:i + size]) for i in range(0, len(todo), size)]
        total = len(study.cells) * study.games
        levels = {c.index: {f.column: str(v) for f, v in zip(study.factors, c.levels)}
                  for c in study.cells}
        if cluster is not None:
            stream, backend = backends.run_dask(tasks, cluster, workers), f"Dask {cluster}"
        elif workers == 1:
            stream, backend = backends.run_inline(tasks), "this process"
        else:
            stream, backend = backends.run_processes(tasks, workers), "local processes"
        bar = None
        if progress:
            from tqdm import tqdm
            bar = tqdm(total=total, initial=len(done), unit="game", file=sys.stderr, dynamic_ncols=True,
                       desc=study.title[:30])
        start = time.perf_counter()
        played = 0
        try:
            for batch in stream:
                full = [_complete(r, levels[r["cell"]], cols) for r in batch]
                if store is not None:
                    store.add(full)
                else:
                    rows += full
                played += len(full)
                if bar is not None:
                    bar.update(len(full))
        finally:
            if bar is not None:
                bar.close()
        seconds = time.perf_counter() - start
        if store is not None:
            rows = store.rows()
        else:
            rows.sort(key=lambda r: (r["cell"], r["seed"]))
    finally:
        if store is not None:
            store.close()
    summary = Summary(len(rows), played, seconds, workers, backend,
                      _command(source, out, study))
    if out is not None:
        write_csv(Path(out) / CSV_NAME, cols, rows)
        if report:
            from engine.study.export import write_report
            write_report(Path(out), study, rows, summary)
    if on_summary is not None:
        on_summary(summary, study)
    return rows


def _command(source, out, study: Study) -> str:
    if isinstance(source, dict):
        return "engine.study.run_study({...})"
    return (f"python main.py study {source} --out {out} --games {study.games} "
            f"--first-seed {study.first_seed}")


def _complete(row: dict[str, Any], levels: dict[str, str], cols: list[str]) -> dict[str, Any]:
    merged = dict(row)
    merged.update(levels)
    return {c: merged.get(c) for c in cols}
