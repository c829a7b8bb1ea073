"""Write the save fixtures of tests/test_record.py.  Run only on purpose:

    python tests/data/make_fixtures.py

The fixtures pin the rules and the state hash: when a rules change makes
them fail, bump the scenario's version (saves of the old version are then
refused with a clear message) rather than quietly regenerating them.  The
format-1 file is written in the old layout by hand, as engine 0.1 did.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from engine.record import Recorder  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from rules.scenario import IRAQ_2020 as SC  # noqa: E402

CREATED = "2020-01-03T00:00:00Z"


def format_1(first_seed: int = 11) -> None:
    """A zero-player game of all twelve turns, flat header, parallel moves and hashes."""
    for seed in range(first_seed, first_seed + 100):
        r = Recorder.new(SC, seed, 12, parse_seats("", SC.factions), CREATED)
        while not r.game.is_over():
            r.apply(r.match.bot_choice().move)
        if r.game.ctx.turn == 12:
            break
    rec = r.record
    doc = {"format": "crossroads-save", "version": 1, "engine": "0.1.0", "scenario": SC.id,
           "scenario_version": SC.version, "seed": seed, "turns": 12, "seats": rec.header.seats,
           "created": CREATED, "setup_hash": rec.start_hash, "moves": rec.moves,
           "hashes": rec.hashes[:len(rec.moves)]}   # format 1 had no closing entry
    (HERE / f"save-format1-seed{seed}.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(f"format 1: {rec.summary().line()}")


def format_2(first_seed: int = 4) -> None:
    """Six full turns, a human US (moves picked by a fixed rule), bots elsewhere, one undo."""
    for seed in range(first_seed, first_seed + 100):
        r = Recorder.new(SC, seed, 6, parse_seats("us=human", SC.factions), CREATED)
        undone = False
        while not r.game.is_over():
            game = r.game
            if game.active_faction == "us":
                legal = game.legal_moves()
                r.apply(legal[(len(game.history) * 7) % len(legal)])
                if game.ctx.turn == 2 and not undone:
                    r.undo()
                    undone = True
                    r.apply(r.game.legal_moves()[-1])
            else:
                r.apply(r.match.bot_choice().move)
        if r.game.ctx.turn == 6 and undone and len(r.record) >= 41:
            break
    r.sync_bots()
    # Written in format 2's layout, as engine 0.1 did: no hash chain, no closing entry.
    doc = json.loads(r.record.to_json())
    doc["header"]["format_version"] = 2
    doc.pop("chain", None)
    doc["log"] = [e for e in doc["log"] if e.get("type") != "end"]
    (HERE / f"save-format2-seed{seed}.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(f"format 2: {r.record.summary().line()}")


if __name__ == "__main__":
    format_1()
    format_2()
