"""A match: a game plus who sits in each chair.

The window, the terminal, the tournament and the network server all drive
games the same way: ask the seat of the active faction for a move — a bot
through :class:`~engine.ai.Decision` built from that faction's view, a human
through whatever front end is in use — and apply it.  Each bot gets its own
generator, derived from the game's seed and its chair, so the same seed and
seats replay the same game.
"""

from __future__ import annotations

from typing import Callable

from engine.ai import Choice, Decision
from engine.game import Game
from engine.rng import Rng
from engine.seats import Seat


def bot_rng(seed: int, index: int) -> Rng:
    """The generator of the bot in chair ``index`` of a game seeded ``seed``."""
    return Rng(seed * 16 + index + 1)


class Match:
    def __init__(self, game: Game, seats: dict[str, Seat], seed: int,
                 clock: Callable[[], float] | None = None) -> None:
        self.game = game
        self.clock = clock  # the front end's clock, for bots' time limits
        self.seats = dict(seats)
        self.seed = seed
        factions = game.scenario.factions
        self.bots = {f: s.bot(f) for f, s in self.seats.items() if not s.human}
        self.rngs = {f: bot_rng(seed, factions.index(f)) for f in self.bots}
        # Who sits where is public (a search may model a rival's bot).
        self.public_seats = tuple((f, str(s)) for f, s in self.seats.items())
        # A front end's map over worker processes, for searches that use it.
        self.parallel: Callable | None = None

    @property
    def active(self) -> str | None:
        return self.game.active_faction

    def human_to_move(self) -> bool:
        faction = self.game.active_faction
        return faction is not None and self.seats[faction].human

    def decision(self, faction: str, budget_s: float | None = None, explain: bool = False) -> Decision:
        game = self.game
        return Decision(game.scenario, faction, game.view(faction), tuple(game.legal_moves()), budget_s,
                        explain, self.clock, self.public_seats, self.parallel)

    def bot_choice(self, budget_s: float | None = None, explain: bool = False) -> Choice:
        """Ask the active faction's bot for its move (does not apply it)."""
        faction = self.game.active_faction
        if faction is None or faction not in self.bots:
            raise RuntimeError(f"no bot to move (active: {faction})")
        return self.bots[faction].choose(self.decision(faction, budget_s, explain), self.rngs[faction])
