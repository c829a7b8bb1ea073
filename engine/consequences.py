"""What each outcome of a move would change, read from the rules themselves.

A preview quotes the odds; a newcomer also needs the stakes.  Rather than
keep a second description of every move's effects (which would drift from
the code), :func:`consequences` resolves the move on a scratch copy of what
the mover can see, once per outcome tier, with the tier forced exactly as a
white-cell ruling forces it (``Draft.forced_tier``), and reports the lines
the rules log plus the board changes the scenario describes
(``Scenario.describe_change``).  Any kind a rule module declares is covered
without a word written for it.

Pure: no I/O, no clock; the scratch resolution uses a fixed generator state,
so effects that draw lots (rare) show one example draw, never the real
future dice.  A check that the rules roll later (an order rolled at the end
of the turn) is played out through the scenario's resolution phase on the
scratch copy, and marked so.
"""

from __future__ import annotations

from typing import Any

import attrs

from engine.checks import TIERS, Check
from engine.moves import Move

# The scratch generator state: any fixed number (the view's dice are unknown).
SCRATCH_RNG = 0x5EED
ROLL_MARK = ": rolled "
RULING_MARK = "the white cell rules it"


@attrs.frozen(slots=True)
class Consequence:
    """One outcome tier of a move (None: a move without dice) and what it changes."""

    tier: str | None
    lines: tuple[str, ...]          # the rules' own log lines and the board changes, in words
    later: bool = False             # rolled at the end of the turn, not at once
    dice: tuple[int, int] | None = None  # the 2d6 sums that give this tier (None: impossible)


def dice_bands(check: Check) -> dict[str, tuple[int, int] | None]:
    """For each tier, the range of the two dice's sum (2..12) that gives it."""
    out: dict[str, tuple[int, int] | None] = {}
    for tier in TIERS:
        sums = [s for s in range(2, 13) if check.resolve(s, 0) == tier]
        out[tier] = (min(sums), max(sums)) if sums else None
    return out


def _resolve(scenario, board, move: Move, tier: str | None, viewer: str | None):
    kind = scenario.registry.kind(move.faction, move.kind)
    draft = scenario.draft(board, SCRATCH_RNG)
    if kind.covert(move.args):
        draft.secret_to = move.faction
    draft.forced_tier = tier
    kind.resolve(draft, move.args)
    later = False
    if tier is not None and not draft.forced_used:
        draft.secret_to = None
        scenario.resolution(draft)   # the order is rolled when the turn resolves
        later = True
    draft.secret_to = None
    after, _ = draft.freeze()
    lines = [line.text.strip() for line in draft.lines
             if (line.audience is None or line.audience == viewer or viewer is None)
             and ROLL_MARK not in line.text and RULING_MARK not in line.text]
    lines += scenario.describe_change(board, after, viewer)
    return tuple(dict.fromkeys(line for line in lines if line)), later


def consequences(scenario, board: Any, move: Move, viewer: str | None) -> list[Consequence]:
    """Each tier's consequences of ``move`` on ``board`` (the mover's view), best first.

    A move without dice gives one :class:`Consequence` with ``tier`` None:
    what it certainly does.
    """
    kind = scenario.registry.kind(move.faction, move.kind)
    check = kind.preview(board, move.args).check
    if check is None:
        lines, _ = _resolve(scenario, board, move, None, viewer)
        return [Consequence(None, lines)]
    bands = dice_bands(check)
    out = []
    for tier in reversed(TIERS):
        lines, later = _resolve(scenario, board, move, tier, viewer)
        out.append(Consequence(tier, lines, later, bands[tier]))
    return out
