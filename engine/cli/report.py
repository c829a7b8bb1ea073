"""``report``: a save turned into an after-action review (HTML, charts, Markdown).

``python main.py report SAVE --out DIR [--faction F]`` writes ``DIR/report.html``
(self-contained: inline CSS, its PNG charts beside it), ``DIR/summary.md`` and
the charts.  A corrupt or unverifiable save is a one-line error (exit 2) and
no directory is written.
"""

from __future__ import annotations

import argparse
import sys

from engine.cli import CliError


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("report", description="Replay and verify a save, then write an after-action review: "
                                   "DIR/report.html (one self-contained page with its PNG charts "
                                   "beside it) and DIR/summary.md.")
    p.add_argument("path", metavar="SAVE", help="the save file")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="directory to write (created; an earlier report there is replaced)")
    p.add_argument("--faction", default=None, metavar="F",
                   help="a seat's report: only what faction F could see (e.g. us); "
                        "default: the white cell's, with everything")
    return p


def run(args: argparse.Namespace) -> int:
    from engine.report.export import export_report

    try:
        path = export_report(args.path, args.out, args.faction)
    except ValueError as err:
        raise CliError(str(err)) from None
    print(f"report written: {path}", file=sys.stdout)
    return 0
