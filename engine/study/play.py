"""One game of a study, turned into one tidy row.  Pure: what runs in a worker.

A job is a plain dict (cell number, seats, starting values, length, monthly
tracks: see :meth:`engine.study.spec.Cell.job`), so any backend can ship it
to another process or machine; a row is a plain dict of column -> value in a
fixed column order.  The same job and seed give the same row anywhere: the
game's dice and every bot's generator derive from the seed alone.
"""

from __future__ import annotations

from typing import Any

from engine.game import Game, Scenario
from engine.match import Match
from engine.seats import parse_seat

_SCENARIOS: dict[str, Scenario] = {}


def columns(sc: Scenario, factor_columns: list[str], monthly: list[str], turns: int) -> list[str]:
    """Every column of a row, in order (``turns``: the longest game of the study)."""
    cols = ["cell", "seed", *factor_columns, "ending", "turn"]
    for f in sc.factions:
        cols += [f"score:{f}", f"win:{f}"]
    cols += [f"track:{name}" for name in sc.tracks()]
    cols += [f"moves:{k.faction}:{k.name}" for k in sc.registry.kinds()]
    cols += [f"card:{c}" for c in sc.event_ids()]
    cols += [f"month:{m}:{name}" for name in monthly for m in range(1, turns + 1)]
    return cols


def _tracks(sc: Scenario, board) -> dict[str, int]:
    return {t.key: t.value for t in sc.track_table(board)}


def play(sc: Scenario, job: dict, seed: int) -> dict[str, Any]:
    """Play the job's game on ``seed`` with bots in every chair; its row
    (without the factor columns, which the runner adds from the cell)."""
    seats = {f: parse_seat(text, f) for f, text in job["seats"].items()}
    game = Game.new(sc, seed, job["turns"], tuple(tuple(s) for s in job["start"]))
    match = Match(game, seats, seed)
    monthly = job["monthly"]
    months: dict[int, dict[str, int]] = {}
    if monthly:
        months[game.ctx.turn] = _tracks(sc, game.board)
    while not game.is_over():
        game.apply(match.bot_choice().move)
        turn = game.ctx.turn
        if monthly and turn not in months and not game.is_over():
            months[turn] = _tracks(sc, game.board)
    outcome = game.outcome()
    row: dict[str, Any] = {"cell": job["cell"], "seed": seed, "ending": outcome.termination,
                           "turn": game.ctx.turn}
    for f in sc.factions:
        row[f"score:{f}"] = outcome.scores[f].total
        row[f"win:{f}"] = int(f in outcome.winners)
    for name, value in _tracks(sc, game.board).items():
        row[f"track:{name}"] = value
    counts: dict[str, int] = {}
    for mv in game.history:
        key = f"moves:{mv.faction}:{mv.kind}"
        counts[key] = counts.get(key, 0) + 1
    for k in sc.registry.kinds():
        key = f"moves:{k.faction}:{k.name}"
        row[key] = counts.get(key, 0)
    played = set(sc.events_played(game.board))
    for c in sc.event_ids():
        row[f"card:{c}"] = int(c in played)
    for name in monthly:
        for m in range(1, job["turns"] + 1):
            row[f"month:{m}:{name}"] = months[m][name] if m in months else None
    return row


def play_batch(scenario_id: str, job: dict, seeds: list[int]) -> list[dict[str, Any]]:
    """Several seeds of one cell (a worker's unit of work)."""
    sc = _SCENARIOS.get(scenario_id)
    if sc is None:
        from engine import scenarios
        sc = _SCENARIOS[scenario_id] = scenarios.get(scenario_id)
    return [play(sc, job, seed) for seed in seeds]
