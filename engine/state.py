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

        Saves record it after every move, so it must depend on the values
        only: an ``IntEnum`` member and the plain int it equals (a rule may
        store either; a loaded save always has the int) hash alike.
        """
        text = repr(_plain(self))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


_SCALARS = frozenset({int, str, bool, float, type(None)})


def _plain(value: Any) -> Any:
    """``value`` as nested tuples of plain ints, strings, bools and None."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        for x in value:
            if type(x) not in _SCALARS:
                return tuple(map(_plain, value))
        return tuple(value)
    if isinstance(value, int):  # IntEnum and other int subclasses (bool is a scalar)
        return int(value)
    if attrs.has(kind):
        return tuple([_plain(getattr(value, f.name)) for f in attrs.fields(kind)])
    if kind is dict:
        return tuple(sorted((_plain(k), _plain(v)) for k, v in value.items()))
    raise TypeError(f"cannot fingerprint a {kind.__name__} in a game state")
