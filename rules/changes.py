"""The board's changes in words: pieces that came or went, posts that changed hands.

The tracks' changes are logged by the rules as they happen
(``IraqDraft.log_changes``); pieces and posts are not, so the preview's
consequences (engine/consequences.py) ask :func:`describe_change` for them.
Both boards are views of one faction, so nothing hidden is described.
"""

from __future__ import annotations

from rules.board import HOLDERS, KINDS, PIECE_NAMES, POST_NAMES, SPACE_NAMES, UNKNOWN, P, S


def describe_change(before, after, faction: str | None) -> list[str]:
    out = []
    for space in S:
        moved = []
        for kind in range(KINDS):
            i = space * KINDS + kind
            delta = after.pieces[i] - before.pieces[i]
            if delta:
                sign = "+" if delta > 0 else "\u2212"
                moved.append(f"{PIECE_NAMES[kind]} {sign}{abs(delta)}")
        if moved:
            out.append(f"{SPACE_NAMES[space]}: " + ", ".join(moved))
    for post in P:
        old, new = before.posts[post], after.posts[post]
        if old != new and UNKNOWN not in (old, new):
            out.append(f"{POST_NAMES[post]}: now held by a {HOLDERS[new]}")
    if len(after.attacks) > len(before.attacks):
        for a in after.attacks[len(before.attacks):]:
            out.append(f"an attack {'kills' if a.lethal else 'hits'} US persons at {SPACE_NAMES[S(a.space)]}")
    return out
