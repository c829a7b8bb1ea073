"""The whole game as one immutable value.

``GameState`` keeps the framework's turn context (:class:`Context`: turn,
phase, initiative order, active faction, actions left) apart from the
scenario's own ``board`` (tracks, spaces, pieces, posts, deck), and carries
the random generator's state, so a state is everything needed to continue.
Changing a state means building a new one; sharing is free, which is why
cloning a game costs nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

import attrs

from engine import flow


@attrs.frozen(slots=True)
class Context:
    """Turn context, owned by the engine (boardgame.io's ``ctx``)."""

    turn: int = 0
    last_turn: int = 12
    phase: str = flow.SETUP
    order: tuple[str, ...] = ()
    active: int = 0
    actions_left: int = 0
    paused_from: str | None = None
    termination: str | None = None
    moves: int = 0

    @property
    def active_faction(self) -> str | None:
        if self.phase != flow.ACTIONS or self.active >= len(self.order):
            return None
        return self.order[self.active]


@attrs.frozen(slots=True)
class GameState:
    """Context + the scenario's board + the dice generator's state."""

    ctx: Context
    board: Any
    rng: int

    def digest(self) -> str:
        """A stable fingerprint: equal on every machine for equal states.

        attrs' ``repr`` names every field and holds only ints, strings,
        booleans, None and tuples here, so it is canonical.
        """
        text = repr(self)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
