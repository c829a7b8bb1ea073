"""``report``: a save turned into an after-action review (HTML, charts, Markdown).

``python main.py report SAVE --out DIR [--faction F]`` writes ``DIR/report.html``
(self-contained: inline CSS, its PNG charts beside it), ``DIR/summary.md`` and
the charts.  A corrupt or unverifiable save is a one-line error (exit 2) and
no directory is written.

``python main.py report SAVE1 SAVE2 ... --out DIR [--study DIR]`` (or a
class file of ``host --tables``, or a folder of saves) writes one debrief
across the tables instead (:mod:`engine.report.debrief`).
"""

from __future__ import annotations

import argparse
import sys

from engine.cli import CliError


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("report", description="Replay and verify a save, then write an after-action review: "
                                   "DIR/report.html (one self-contained page with its PNG charts "
                                   "beside it) and DIR/summary.md.")
    p.add_argument("path", metavar="SAVE", nargs="+",
                   help="the save file; several saves, a class file of 'host --tables' or a "
                        "folder of saves: one debrief across the tables")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="directory to write (created; an earlier report there is replaced)")
    p.add_argument("--faction", default=None, metavar="F",
                   help="a seat's report: only what faction F could see (e.g. us); "
                        "default: the white cell's, with everything")
    p.add_argument("--study", metavar="DIR", default=None,
                   help="a debrief places each table's results among the games of a study "
                        "(the --out folder of 'main.py study', or its games.csv)")
    return p


def run(args: argparse.Namespace) -> int:
    from engine.report.export import export_report

    from pathlib import Path

    from engine.report.export import export_debrief
    one = args.path[0]
    several = len(args.path) > 1 or Path(one).is_dir() or args.study is not None \
        or _is_class(Path(one))
    try:
        if several:
            if args.faction:
                raise CliError("--faction is for one table's report, not a debrief")
            path = export_debrief(args.path, args.out, args.study)
        else:
            path = export_report(one, args.out, args.faction)
    except ValueError as err:
        raise CliError(str(err)) from None
    print(f"report written: {path}", file=sys.stdout)
    return 0


def _is_class(path) -> bool:
    from engine.report.export import _class_tables
    try:
        return _class_tables(path) is not None
    except ValueError:
        return True  # a broken class file: the debrief says what is wrong
