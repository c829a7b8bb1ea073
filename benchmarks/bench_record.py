"""Benchmark: save, load and verify a full 12-turn game.

    python benchmarks/bench_record.py [--runs N] [--seed S]

Prints the median of ``N`` runs of each step, next to a baseline measured
in the same run (replaying the moves with no hashing, no JSON), and the
file size.  Targets (issue 4): verify at most 200 ms, file at most 256 KB.
Speed targets live here, never in timed unit tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.game import Game  # noqa: E402
from engine.moves import Move  # noqa: E402
from engine.record import Recorder, load, save  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402

VERIFY_TARGET_MS = 200
SIZE_TARGET_KB = 256


def full_game(first_seed: int) -> Recorder:
    """The first zero-player game from ``first_seed`` on that lasts all twelve turns."""
    seats = parse_seats("", IRAQ_2020.factions)
    for seed in range(first_seed, first_seed + 1000):
        r = Recorder.new(IRAQ_2020, seed, 12, seats, "2020-01-03T00:00:00Z")
        while not r.game.is_over():
            r.apply(r.match.bot_choice().move)
        if r.game.ctx.turn == 12:
            r.sync_bots()
            return r
    raise SystemExit("no twelve-turn game found")


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    r = full_game(args.seed)
    record = r.record
    moves = [Move.parse(m) for m in record.moves]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "game.json"
        save(record, path)
        size = path.stat().st_size

        def baseline() -> None:
            game = Game.new(IRAQ_2020, record.seed, record.header.turns)
            for move in moves:
                game.apply(move)

        loaded = load(path, verify=False)
        rows = [
            ("baseline: replay the moves (no hashes, no JSON)", median_ms(baseline, args.runs)),
            ("save: JSON + atomic write (fsync, rename)", median_ms(lambda: save(record, path), args.runs)),
            ("load: parse + validate + check snapshots", median_ms(lambda: load(path, verify=False), args.runs)),
            ("verify: replay from the seed, check every hash", median_ms(loaded.verify, args.runs)),
            ("load + verify (what replay --verify does)", median_ms(lambda: load(path), args.runs)),
            ("seek: load, then the start of turn 12", median_ms(
                lambda: load(path, verify=False).game_at_turn(12), args.runs)),
        ]
    base = rows[0][1]
    verify_ms = rows[3][1]
    print(f"Full game: seed {record.seed}, {len(record)} moves, 12 turns; median of {args.runs} runs")
    print(f"{'step':50s} {'median':>9s} {'x baseline':>11s}")
    for name, ms in rows:
        print(f"{name:50s} {ms:7.2f} ms {ms / base:10.1f}x")
    print(f"{'file size':50s} {size / 1024:6.1f} KB")
    ok_verify = verify_ms <= VERIFY_TARGET_MS
    ok_size = size <= SIZE_TARGET_KB * 1024
    print(f"targets: verify <= {VERIFY_TARGET_MS} ms: {'met' if ok_verify else 'MISSED'}; "
          f"file <= {SIZE_TARGET_KB} KB: {'met' if ok_size else 'MISSED'}")
    return 0 if ok_verify and ok_size else 1


if __name__ == "__main__":
    sys.exit(main())
