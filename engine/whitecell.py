"""The white cell's acts as log entries that replay exactly.

A facilitator pauses and resumes the game, injects events, and overrides
adjudications.  Each act changes the game state, so each is an entry of the
game's log, like a move: a typed value with a stable JSON form (``{"type":
"inject", ...}``) whose :meth:`play` applies it to a game through the
:class:`~engine.game.Game` facade.  Replaying a log of moves and white-cell
entries from the seed rebuilds the game hash for hash.

Entry types (``effect`` says what an entry does to the line of play, as in
the save format: ``push`` a new state or ``keep`` the state)::

    {"type": "move", "move": "us:pass"}
    {"type": "pause"}                         {"type": "resume"}
    {"type": "inject", "card": "k1-rockets"}  # a deck card, out of turn
    {"type": "inject", "text": "...", "effects": {"economy": -2}}
    {"type": "override", "move": "us:strike qaim retaliatory", "tier": "fail",
     "rationale": "..."}                      # the move, its result ruled
    {"type": "ruling", "values": {"escalation": 6}, "rationale": "..."}
    {"type": "timeout", "faction": "goi", "default": "pass"}  # a note: keep

Every entry also carries ``hash``, the state hash after it.  The classes
subclass :class:`engine.record.Entry` and are registered with the save
format, which imports this module, so ``replay --verify`` replays them.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from engine.game import Game
from engine.moves import Move
from engine.record import Entry, MoveEntry, register_entry


@attrs.frozen(slots=True)
class PauseEntry(Entry):
    type: ClassVar[str] = "pause"
    effect: ClassVar[str] = "push"

    def play(self, game: Game) -> Game:
        after = game.clone()
        after.pause()
        return after

    def describe(self) -> str:
        return "the white cell pauses the game"


@attrs.frozen(slots=True)
class ResumeEntry(Entry):
    type: ClassVar[str] = "resume"
    effect: ClassVar[str] = "push"

    def play(self, game: Game) -> Game:
        after = game.clone()
        after.resume()
        return after

    def describe(self) -> str:
        return "the white cell resumes the game"


@attrs.frozen(slots=True)
class InjectEntry(Entry):
    """An event out of turn: a deck ``card``, or ``text`` and track ``effects``."""

    type: ClassVar[str] = "inject"
    effect: ClassVar[str] = "push"
    card: str = ""
    text: str = ""
    effects: dict[str, int] = attrs.field(factory=dict)

    def play(self, game: Game) -> Game:
        after = game.clone()
        after.inject(self.card or None, self.text, tuple(self.effects.items()))
        return after

    def describe(self) -> str:
        return f"inject {self.card}" if self.card else f"inject: {self.text}"


@attrs.frozen(slots=True)
class OverrideEntry(Entry):
    """A move whose result the white cell ruled: each check gives ``tier``."""

    type: ClassVar[str] = "override"
    effect: ClassVar[str] = "push"
    move: str = ""
    tier: str = ""
    rationale: str = ""

    def play(self, game: Game) -> Game:
        after = game.clone()
        after.apply_ruled(Move.parse(self.move), self.tier, self.rationale)
        return after

    def describe(self) -> str:
        return f"{self.move}, ruled a {self.tier}: {self.rationale}"


@attrs.frozen(slots=True)
class RulingEntry(Entry):
    """Tracks set by the white cell, with its written rationale."""

    type: ClassVar[str] = "ruling"
    effect: ClassVar[str] = "push"
    values: dict[str, int] = attrs.field(factory=dict)
    rationale: str = ""

    def play(self, game: Game) -> Game:
        after = game.clone()
        after.set_tracks(tuple(self.values.items()), self.rationale)
        return after

    def describe(self) -> str:
        return f"ruling: {self.rationale}"


@attrs.frozen(slots=True)
class TimeoutEntry(Entry):
    """A note: ``faction``'s clock ran out and ``default`` played for it."""

    type: ClassVar[str] = "timeout"
    effect: ClassVar[str] = "keep"
    faction: str = ""
    default: str = ""

    def describe(self) -> str:
        return f"{self.faction}'s clock ran out: {self.default}"


WHITE_CELL_TYPES: tuple[type[Entry], ...] = (PauseEntry, ResumeEntry, InjectEntry, OverrideEntry,
                                             RulingEntry, TimeoutEntry)
for _cls in WHITE_CELL_TYPES:
    register_entry(_cls)
__all__ = ["Entry", "MoveEntry", *(cls.__name__ for cls in WHITE_CELL_TYPES)]
