"""Moves: small immutable values with a stable text form, and the registry
through which rule modules declare every kind of move.

A move is written like a chess move in UCI, ``faction:kind arg arg``::

    >>> Move.parse("us:strike qaim retaliatory")
    Move.parse('us:strike qaim retaliatory')
    >>> str(Move("goi", "vote", ("table",)))
    'goi:vote table'

Legality is checked once, at :meth:`engine.game.Game.apply`, with typed errors
that subclass :class:`ValueError`; a kind's ``resolve`` trusts its input.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Sequence

import attrs

_TOKEN = re.compile(r"^[a-z0-9_\-]+$")


class InvalidMoveError(ValueError):
    """The text is not a move at all (syntax, unknown faction or kind)."""


class IllegalMoveError(ValueError):
    """A well-formed move that the rules refuse in this position.

    ``reasons`` lists every rule that refused it, in words a player reads.
    """

    def __init__(self, move: "Move", reasons: Sequence[str]) -> None:
        self.move = move
        self.reasons = tuple(reasons)
        super().__init__(f"illegal move {move}: " + "; ".join(self.reasons))


@attrs.frozen(slots=True, repr=False)
class Move:
    """One faction's action: ``kind`` with positional ``args``."""

    faction: str
    kind: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = f"{self.faction}:{self.kind}"
        return " ".join((head, *self.args)) if self.args else head

    def __repr__(self) -> str:
        return f"Move.parse({str(self)!r})"

    @classmethod
    def parse(cls, text: str) -> "Move":
        """Parse ``faction:kind arg ...``; raises :class:`InvalidMoveError`."""
        if not isinstance(text, str):
            raise InvalidMoveError(f"a move is text, not {type(text).__name__}")
        parts = text.strip().split()
        if not parts or ":" not in parts[0]:
            raise InvalidMoveError(f"not a move: {text!r} (expected 'faction:kind args')")
        faction, _, kind = parts[0].partition(":")
        for token in (faction, kind, *parts[1:]):
            if not _TOKEN.match(token):
                raise InvalidMoveError(f"not a move: {text!r} (bad token {token!r})")
        return cls(faction, kind, tuple(parts[1:]))


@attrs.frozen(slots=True)
class Preview:
    """What a player sees before committing: cost, odds, consequences."""

    summary: str
    cost: str = "no cost"
    check: Any = None  # engine.checks.Check or None for uncontested moves
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        out = [self.summary, f"Cost: {self.cost}"]
        out.append(self.check.describe() if self.check is not None else "No dice: the outcome is certain.")
        out.extend(self.notes)
        return out


@attrs.frozen(slots=True, eq=False)
class MoveKind:
    """A kind of move, declared by a rule module.

    * ``domain`` — every argument tuple the kind can ever take (static);
    * ``available(board)`` — a fast gate: can the faction use the kind at all?
    * ``validate(board, args)`` — the reasons this exact move is refused now
      (empty when legal).  Legal moves are the domain filtered by it, so the
      two can never disagree;
    * ``preview(board, args)`` — cost, check and notes, shown before acting;
    * ``resolve(draft, args)`` — the effect, applied to a mutable draft;
    * ``args_free`` — True when ``validate`` never refuses once ``available``
      has passed, so every argument tuple of the domain is legal;
    * ``covert(args)`` — True when the move itself is secret: the others
      read only that the faction took a covert action;
    * ``options(board)`` — optional fast generator of the legal argument
      tuples, for kinds with many targets.  It must agree exactly with
      ``validate`` over the domain (a property test checks it on random
      positions); without it the domain is filtered by ``validate``.
    """

    faction: str
    name: str
    title: str
    domain: tuple[tuple[str, ...], ...]
    validate: Callable[[Any, tuple[str, ...]], list[str]]
    preview: Callable[[Any, tuple[str, ...]], Preview]
    resolve: Callable[[Any, tuple[str, ...]], None]
    available: Callable[[Any], str | None] = lambda board: None
    usage: str = ""
    args_free: bool = False
    options: Callable[[Any], Iterable[tuple[str, ...]]] | None = None
    covert: Callable[[tuple[str, ...]], bool] = lambda args: False


class MoveRegistry:
    """All kinds of a scenario, in a fixed declaration order.

    Each ``Move`` of a domain is built once and reused, so legal-move
    generation allocates nothing but the result list.
    """

    def __init__(self, factions: Iterable[str]) -> None:
        self.factions: tuple[str, ...] = tuple(factions)
        self._kinds: dict[tuple[str, str], MoveKind] = {}
        self._by_faction: dict[str, list[MoveKind]] = {f: [] for f in self.factions}
        self._moves: dict[tuple[str, str], list[tuple[tuple[str, ...], Move]]] = {}
        self._all: dict[tuple[str, str], list[Move]] = {}
        self._move_of: dict[tuple[str, str], dict[tuple[str, ...], Move]] = {}
        self._domains: dict[tuple[str, str], frozenset] = {}

    def register(self, kind: MoveKind) -> MoveKind:
        key = (kind.faction, kind.name)
        if kind.faction not in self._by_faction:
            raise ValueError(f"unknown faction {kind.faction!r} for move kind {kind.name!r}")
        if key in self._kinds:
            raise ValueError(f"move kind {kind.faction}:{kind.name} registered twice")
        self._kinds[key] = kind
        self._by_faction[kind.faction].append(kind)
        self._moves[key] = [(args, Move(kind.faction, kind.name, args)) for args in kind.domain]
        self._all[key] = [move for _, move in self._moves[key]]
        self._move_of[key] = dict(self._moves[key])
        self._domains[key] = frozenset(kind.domain)
        return kind

    def kind(self, faction: str, name: str) -> MoveKind:
        try:
            return self._kinds[(faction, name)]
        except KeyError:
            raise InvalidMoveError(f"unknown move kind {faction}:{name}") from None

    def kinds(self, faction: str | None = None) -> list[MoveKind]:
        if faction is None:
            return list(self._kinds.values())
        return list(self._by_faction[faction])

    def legal_by_validation(self, board: Any, faction: str) -> list[Move]:
        """The reference definition of legality: the domain filtered by the
        rules' reasons.  :meth:`legal` must always equal it."""
        out: list[Move] = []
        for kind in self._by_faction[faction]:
            for args, move in self._moves[(faction, kind.name)]:
                if not self.refusals(board, move):
                    out.append(move)
        return out

    def legal(self, board: Any, faction: str) -> list[Move]:
        out: list[Move] = []
        for kind in self._by_faction[faction]:
            if kind.available(board) is not None:
                continue
            if kind.args_free:
                out.extend(self._all[(faction, kind.name)])
                continue
            if kind.options is not None:
                move_of = self._move_of[(faction, kind.name)]
                out.extend(move_of[args] for args in kind.options(board))
                continue
            validate = kind.validate
            for args, move in self._moves[(faction, kind.name)]:
                if not validate(board, args):
                    out.append(move)
        return out

    def refusals(self, board: Any, move: Move) -> list[str]:
        """Reasons the rules refuse ``move`` on ``board`` (phase aside)."""
        kind = self._kinds.get((move.faction, move.kind))
        if kind is None:
            return [f"{move.faction} has no move called {move.kind!r}"]
        if move.args not in self._domains[(move.faction, move.kind)]:
            usage = f" (usage: {move.faction}:{move.kind} {kind.usage})" if kind.usage else ""
            return [f"{move.faction}:{move.kind} does not take {' '.join(move.args) or 'no arguments'}{usage}"]
        gate = kind.available(board)
        if gate is not None:
            return [gate]
        return kind.validate(board, move.args)
