"""Plain-text rendering of a board, for the terminal and for logs.

Works on any board a faction may see (a view), never reaching for what the
view has stripped.
"""

from __future__ import annotations

from rules.board import (FACTION_NAMES, KINDS, PIECE_NAMES, POST_NAMES, SPACE_NAMES, TRACKS,
                         P, S, T, control)
from rules.data import CARDS
from rules import partners
from rules.people import holder_text


def track_text(board, track: T) -> str:
    spec = TRACKS[track]
    value = board.tracks[track]
    if value < spec.lo:
        return f"{spec.label}: ?"
    return f"{spec.label}: {spec.values[value] if spec.values else value}"


def status_lines(board, faction: str | None) -> list[str]:
    lines = []
    if board.card:
        lines.append(f"Event: {CARDS[board.card]['title']}")
    for owner in (*FACTION_NAMES, None):
        name = FACTION_NAMES.get(owner, "Situation")
        items = [track_text(board, t) for t in T if TRACKS[t].owner == owner]
        lines.append(f"{name}: " + "; ".join(items))
    for space in S:
        counts = [f"{board.pieces[space * KINDS + k]} {PIECE_NAMES[k]}"
                  for k in range(KINDS) if board.pieces[space * KINDS + k]]
        lines.append(f"  {SPACE_NAMES[space]} [{control(board, space)}]: "
                     + (", ".join(counts) or "empty"))
    lines.append("Coalition partners: " + (", ".join(partners.present(board)) or "none"))
    lines.append("Posts: " + "; ".join(f"{POST_NAMES[p]} \u2014 {holder_text(board, p)}" for p in P))
    for a in board.attacks:
        who = a.by if a.attributed or a.by != "?" else "unknown"
        lines.append(f"  Attack at {SPACE_NAMES[S(a.space)]} (turn {a.turn}): "
                     f"{'lethal' if a.lethal else 'harassment'}, by {who}"
                     f"{'' if a.attributed else ' (unattributed)'}")
    return lines
