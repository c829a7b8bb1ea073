"""Report time for a full 12-turn game: the after-action review, charts included.

Run:  python benchmarks/bench_report.py [--runs N] [--seed S]

Prints medians as a table.  The baseline, measured in the same run, is
replaying the same game without building or rendering anything (the floor of
any report: every state must be recomputed), so the ratios travel across
machines.  Measured:

* replay only (baseline): ``Game.new`` and every move applied;
* timeline: the replay plus odds, scores, swings and track series (white cell);
* full report in process: timeline, three PNG charts, HTML, Markdown and the
  atomic write of the directory — what the window's "export report" costs;
* ``main.py report`` in a fresh process: the above plus Python's start-up,
  matplotlib's import and loading and verifying the save (when the saves
  module is present; otherwise the in-memory game is used).

Target (issue 7): under 3 s for a full 12-turn game, charts included.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.game import Game  # noqa: E402
from engine.report.export import export_report  # noqa: E402
from engine.report.timeline import build, from_game_moves  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from engine.smoke import play_one  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402


def median_s(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def write_save(game: Game, seed: int, path: Path) -> bool:
    """Record ``game`` as a save file, if this engine has the saves module."""
    try:
        from engine import record as saves
    except ImportError:
        return False
    fresh = Game.new(IRAQ_2020, seed)
    rec = saves.Record.start(fresh, seed, parse_seats("", IRAQ_2020.factions), "2020-01-03T09:00:00Z")
    for move in game.history:
        rec.apply(fresh, move)
    saves.save(rec, path)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=8, help="a seed whose random game lasts 12 turns")
    args = parser.parse_args()

    game = play_one(IRAQ_2020, args.seed, parse_seats("", IRAQ_2020.factions))
    if game.ctx.termination != "time":
        raise SystemExit(f"seed {args.seed} does not last 12 turns; pick another")
    source = from_game_moves(IRAQ_2020, args.seed, game.history)
    moves = game.history

    def replay() -> None:
        g = Game.new(IRAQ_2020, args.seed)
        for move in moves:
            g.apply(move)

    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    export_report(source, work / "warm")  # import matplotlib, fill its font cache
    baseline = median_s(replay, max(args.runs, 20))
    timeline = median_s(lambda: build(source, None), args.runs)
    full = median_s(lambda: export_report(source, work / "aar"), args.runs)
    seat = median_s(lambda: export_report(source, work / "aar-us", "us"), args.runs)

    save = work / "game.json"
    target = str(save) if write_save(game, args.seed, save) else None
    cli = None
    if target is not None:
        env = dict(os.environ, MPLBACKEND="Agg")
        cmd = [sys.executable, str(ROOT / "main.py"), "report", target, "--out", str(work / "cli")]
        cli = median_s(lambda: subprocess.run(cmd, check=True, capture_output=True, env=env), args.runs)

    rows = [("replay only (baseline)", baseline, ""),
            ("timeline (white cell)", timeline, ""),
            ("full report, white cell", full, "< 3 s"),
            ("full report, seat (us)", seat, "< 3 s")]
    if cli is not None:
        rows.append(("main.py report (new process)", cli, "< 3 s"))
    print(f"python benchmarks/bench_report.py --runs {args.runs} --seed {args.seed}   "
          f"({len(moves)} moves, 12 turns; medians; ratio to the baseline)")
    print(f"{'measure':32s} {'median':>10s} {'ratio':>7s}  target")
    for name, value, goal in rows:
        print(f"{name:32s} {value * 1000:8.0f} ms {value / baseline:7.0f}  {goal}")
    if cli is None:
        print("(no engine/record.py: the save-loading command line was not measured)")


if __name__ == "__main__":
    main()
