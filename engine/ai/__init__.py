"""Bots: every automated player implements one call.

``Bot.choose(decision, rng) -> Choice``: given what its faction may see
(``decision.view``), the legal moves and a seeded generator of its own, a
bot returns a move and, on request, why.  Bots never see the true state:
the only game they get is the faction's view, so they cannot cheat even
by accident.  Search bots rebuild possible worlds from that view.
"""

from __future__ import annotations

import abc
from typing import Any, Callable, Sequence

import attrs

from engine.moves import Move
from engine.rng import Rng
from engine.state import GameState


@attrs.frozen(slots=True)
class Decision:
    """Everything a bot may know when it is its turn to act."""

    scenario: Any                 # engine.game.Scenario
    faction: str
    view: GameState               # the faction's view: hidden things stripped
    legal: tuple[Move, ...]
    budget_s: float | None = None  # wall-clock limit, if any
    explain: bool = False          # fill Choice.candidates (costs a little time)
    # The front end's clock (``time.perf_counter``): the core never reads the
    # clock itself, so a bot can honour ``budget_s`` only when it is given one.
    clock: Callable[[], float] | None = None
    # Who sits in every chair, as seat texts (``(("us", "human"), ("goi",
    # "doctrine:balancing"), ...)``): public, as at a table.  A search may
    # model a rival by the bot in its seat.
    seats: tuple[tuple[str, str], ...] = ()
    # A front end's ``map`` over worker processes (``fn, items -> results``):
    # a search may spread independent trees over it.  None: one process.
    parallel: Callable[[Callable[[Any], Any], list[Any]], Any] | None = None


@attrs.frozen(slots=True)
class Candidate:
    """One move a bot weighed, with the numbers behind it (best first in a Choice).

    ``value`` is the bot's own score of the move (for a search: its mean
    reward, the chance to win when it uses a value model); ``values`` each
    faction's mean reward after the move; ``changes`` each faction's
    expected change of its margin over the best rival, in points, from the
    decision to the end of the simulations; ``visits`` how many simulations
    tried it; ``summary`` the move in words.
    """

    move: Move
    value: float
    reason: str
    visits: int = 0
    values: tuple[tuple[str, float], ...] = ()
    changes: tuple[tuple[str, float], ...] = ()
    summary: str = ""


@attrs.frozen(slots=True)
class Analysis:
    """What a search's values mean (``Choice.analysis``, when explaining).

    ``evaluation`` names the value (``"win chance"`` or ``"projected
    margin"``); ``before`` each faction's value at the decision, on the
    same scale as :attr:`Candidate.values`; ``margins_before`` each
    faction's projected margin over the best rival at the decision.
    """

    evaluation: str
    iterations: int
    trees: int
    before: tuple[tuple[str, float], ...]
    margins_before: tuple[tuple[str, float], ...] = ()


@attrs.frozen(slots=True)
class Choice:
    move: Move
    reason: str
    candidates: tuple[Candidate, ...] = ()
    analysis: Analysis | None = None

    def explain(self) -> list[str]:
        lines = [f"{self.move}: {self.reason}"]
        lines += [f"  {c.value:+.2f} {c.move} \u2014 {c.reason}" for c in self.candidates]
        return lines


class BotError(RuntimeError):
    """A bot could not decide: raised loudly, never a silent pass."""


class Bot(abc.ABC):
    name: str = "bot"

    @abc.abstractmethod
    def choose(self, decision: Decision, rng: Rng) -> Choice: ...


class RandomBot(Bot):
    """The baseline: a uniformly random kind of move, then random arguments.

    Choosing the kind first keeps a kind with many targets (a strike on any
    of eleven spaces) from crowding out one with none (a general strike).
    """

    name = "random"

    def choose(self, decision: Decision, rng: Rng) -> Choice:
        legal: Sequence[Move] = decision.legal
        if not legal:
            raise BotError(f"{decision.faction} has no legal move")
        # Legal moves come grouped by kind, in a stable order: find the groups.
        starts = [i for i in range(len(legal)) if i == 0 or legal[i].kind != legal[i - 1].kind]
        group = rng.below(len(starts))
        start = starts[group]
        end = starts[group + 1] if group + 1 < len(starts) else len(legal)
        move = legal[start + rng.below(end - start)]
        candidates: tuple[Candidate, ...] = ()
        if decision.explain:
            candidates = (Candidate(move, 1.0 / len(starts) / (end - start),
                                    f"one of {end - start} {move.kind} moves, "
                                    f"{move.kind} one of {len(starts)} kinds"),)
        return Choice(move, "chosen at random", candidates)
