"""How a rule module declares a kind of move.

Each rule module writes a move as a handful of plain functions:

* ``cost(board, args)`` — what it spends: ``[(T.CAPITAL, 1)]``;
* ``validate(board, args)`` — the reasons the rules refuse it (words);
* ``check(board, args)`` — the 2d6 :class:`~engine.checks.Check`, or None;
* ``effect(draft, args, tier)`` — what happens, ``tier`` being the check's
  outcome (None for uncontested moves);
* ``summary(board, args)`` — one line describing the move.

:func:`declare` turns them into an engine :class:`~engine.moves.MoveKind`:
affordability is checked for every kind in one place, the cost is paid
before the effect, the dice are rolled and logged, and the tracks that
moved are written to the log.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from engine.checks import Check
from engine.moves import MoveKind, MoveRegistry, Preview
from rules.board import FACTION_NAMES, TRACKS, IraqDraft, T

Args = tuple[str, ...]
Cost = Sequence[tuple[T, int]]

REGISTRY = MoveRegistry(FACTION_NAMES)


def _nothing(board, args: Args) -> list[str]:
    return []


def _no_check(board, args: Args) -> Check | None:
    return None


def cost_text(cost: Cost) -> str:
    return ", ".join(f"{n} {TRACKS[t].label}" for t, n in cost) or "no cost"


def declare(faction: str, name: str, title: str, domain: Iterable[Args], *,
            effect: Callable[[IraqDraft, Args, str | None], None],
            summary: Callable[[object, Args], str],
            validate: Callable[[object, Args], list[str]] = _nothing,
            cost: Cost | Callable[[object, Args], Cost] = (),
            check: Callable[[object, Args], Check | None] = _no_check,
            notes: Callable[[object, Args], Sequence[str]] | None = None,
            gate: Callable[[object], str | None] | None = None,
            options: Callable[[object], Iterable[Args]] | None = None,
            covert: Callable[[Args], bool] | None = None,
            roll_now: bool = True,
            usage: str = "") -> MoveKind:
    """Declare a kind of move for ``faction`` and register it.

    ``cost`` is either a fixed list of ``(track, amount)`` or a function of
    the board and arguments.  A fixed cost is checked once for the whole
    kind, which keeps legal-move generation fast; so is ``gate``, a reason
    the kind is unavailable whatever its arguments.  ``options`` is a fast
    generator of the legal arguments (see :class:`engine.moves.MoveKind`).
    ``covert`` tells which moves the other factions must not read;
    ``roll_now=False`` previews the check but leaves rolling it to a later
    phase (the effect then only records an order).
    """
    fixed = not callable(cost)
    fixed_cost: Cost = tuple(cost) if fixed else ()
    cost_of: Callable[[object, Args], Cost] = (lambda b, a: fixed_cost) if fixed else cost

    def unaffordable(board, spend: Cost) -> list[str]:
        tracks = board.tracks
        for track, n in spend:
            if tracks[track] < n:
                break
        else:
            return []
        return [f"needs {n} {TRACKS[track].label} (has {tracks[track]})"
                for track, n in spend if tracks[track] < n]

    def available(board) -> str | None:
        if fixed_cost:
            reasons = unaffordable(board, fixed_cost)
            if reasons:
                return "; ".join(reasons)
        return gate(board) if gate is not None else None

    if fixed:
        full_validate = validate
    else:
        def full_validate(board, args: Args) -> list[str]:
            return unaffordable(board, cost(board, args)) + validate(board, args)

    def preview(board, args: Args) -> Preview:
        extra = tuple(notes(board, args)) if notes else ()
        return Preview(summary(board, args), cost_text(cost_of(board, args)), check(board, args), extra)

    def resolve(draft: IraqDraft, args: Args) -> None:
        before = tuple(draft.tracks)
        c = check(draft, args) if roll_now else None  # odds quoted before paying = odds rolled
        for track, n in cost_of(draft, args):
            draft.add(track, -n)
        tier = draft.check(c) if c is not None else None
        effect(draft, args, tier)
        draft.log_changes(before)

    kind = MoveKind(faction, name, title, tuple(tuple(a) for a in domain), full_validate,
                    preview, resolve, available, usage,
                    args_free=fixed and validate is _nothing, options=options,
                    covert=covert or (lambda args: False))
    return REGISTRY.register(kind)
