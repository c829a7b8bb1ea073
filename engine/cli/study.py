"""``study``: a policy study — many games under every combination of factors.

The study file's format is ``docs/studies.md``.  Rows go to
``DIR/study.sqlite`` as games finish (``--resume`` continues an interrupted
run), then to ``DIR/games.csv``, and the report to ``DIR/report.html`` and
``DIR/report.md``.
"""

from __future__ import annotations

import argparse

from engine.cli import CliError, nonneg_int, positive_int


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("study", description="Run a policy study: every cell (combination of the "
                       "factors' levels) plays N games on the same seeds; rows are kept in "
                       "DIR/study.sqlite as they arrive, exported to DIR/games.csv, and "
                       "reported in DIR/report.html and DIR/report.md.  Format: docs/studies.md.")
    p.add_argument("file", metavar="STUDY.toml", help="the study file")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--games", type=positive_int, default=None, help="games per cell (default: the file's)")
    p.add_argument("--first-seed", type=nonneg_int, default=None, help="first seed (default: the file's)")
    p.add_argument("--workers", type=positive_int, default=2, help="worker processes (default 2)")
    p.add_argument("--resume", action="store_true", help="continue the study already in DIR")
    p.add_argument("--cluster", default=None, metavar="ADDRESS",
                   help="play on a Dask cluster: its scheduler's address (tcp://HOST:8786), or "
                        "'local' for a local cluster of --workers processes (needs the [cluster] extra)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-report", action="store_true", help="rows and CSV only, no report")
    return p


def run(args: argparse.Namespace) -> int:
    from engine.study.backends import BackendError
    from engine.study.runner import StudyFileError, run_study
    from engine.study.storage import StorageError

    def summary(s, study) -> None:
        print(s.line(study) + f" -> {args.out}")

    try:
        run_study(args.file, args.out, games=args.games, first_seed=args.first_seed, workers=args.workers,
                  resume=args.resume, cluster=args.cluster, progress=not args.no_progress,
                  report=not args.no_report, on_summary=summary)
    except (StudyFileError, StorageError, BackendError) as err:
        raise CliError(str(err)) from None
    return 0
