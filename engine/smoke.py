"""The smoke matrix: many zero-player games, and what happened in them.

A rule that never fires in real games is a bug even when its unit test
passes; this is how it shows.  ``run_matrix`` plays one game per seed with
bots in every chair and counts every move kind, every event card, every
ending and the spread of scores.  Pure: it returns numbers, the caller prints.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Iterable

import attrs

from engine.game import Game, Scenario
from engine.match import Match
from engine.seats import Seat


@attrs.define
class Matrix:
    games: int = 0
    moves: int = 0
    kinds: Counter = attrs.field(factory=Counter)
    cards: Counter = attrs.field(factory=Counter)
    endings: Counter = attrs.field(factory=Counter)
    winners: Counter = attrs.field(factory=Counter)
    last_turn: Counter = attrs.field(factory=Counter)
    scores: dict = attrs.field(factory=dict)
    finished: int = 0

    def unused_kinds(self, scenario: Scenario) -> list[str]:
        return [f"{k.faction}:{k.name}" for k in scenario.registry.kinds()
                if not self.kinds[f"{k.faction}:{k.name}"]]

    def unused_cards(self, scenario: Scenario) -> list[str]:
        return [c for c in scenario.event_ids() if not self.cards[c]]

    def table(self, scenario: Scenario) -> list[str]:
        out = [f"{self.games} games, {self.moves} moves, {self.finished} finished with an outcome",
               "", "Endings:"]
        out += [f"  {n:5d}  {end}" for end, n in self.endings.most_common()]
        out += ["", "Game length (turns):  " + "  ".join(f"{t}:{n}" for t, n in sorted(self.last_turn.items()))]
        out += ["", "Scores per faction:   mean  stdev   min  median   max   wins"]
        for f in scenario.factions:
            s = self.scores.get(f, [0])
            out.append(f"  {f:4s} {scenario.faction_names[f]:24s} {statistics.mean(s):5.1f} "
                       f"{statistics.pstdev(s):6.1f} {min(s):5d} {statistics.median(s):7.1f} "
                       f"{max(s):5d} {self.winners[f]:6d}")
        out += ["", "Move kinds used:"]
        for k in scenario.registry.kinds():
            key = f"{k.faction}:{k.name}"
            out.append(f"  {self.kinds[key]:6d}  {key}")
        out += ["", "Event cards drawn:"]
        for c in scenario.event_ids():
            out.append(f"  {self.cards[c]:6d}  {c}")
        return out


def play_one(scenario: Scenario, seed: int, seats: dict[str, Seat], turns: int | None = None) -> Game:
    game = Game.new(scenario, seed, turns)
    match = Match(game, seats, seed)
    while not game.is_over():
        game.apply(match.bot_choice().move)
    return game


def run_matrix(scenario: Scenario, seeds: Iterable[int], seats: dict[str, Seat]) -> Matrix:
    m = Matrix()
    for seed in seeds:
        game = play_one(scenario, seed, seats)
        m.games += 1
        m.moves += len(game.history)
        m.kinds.update(f"{mv.faction}:{mv.kind}" for mv in game.history)
        m.cards.update(scenario.events_played(game.board))
        outcome = game.outcome()
        m.endings[outcome.termination] += 1
        m.winners.update(outcome.winners)
        m.last_turn[game.ctx.turn] += 1
        m.finished += outcome is not None and outcome.termination in m.endings
        for f, score in outcome.scores.items():
            m.scores.setdefault(f, []).append(score.total)
    return m
