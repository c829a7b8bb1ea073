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


def _step(track, value: int) -> str:
    from rules.board import TRACKS
    spec = TRACKS[track]
    return spec.values[value] if spec.values else str(value)


def moments(before, after, lines: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """The turns of the story a player must not miss, as (headline, lines).

    Read from the tracks that moved (so any rule that moves them is covered)
    and from what the step logged: a withdrawal vote and its result, a new
    step toward a government, a change of US posture, of the withdrawal, a
    government on the brink (legitimacy 1 or less) and the brink of war
    (escalation 8 or more).
    """
    from rules.board import T
    tb, ta = before.tracks, after.tracks
    out: list[tuple[str, list[str]]] = []
    votes = [line.strip() for line in lines if line.strip().startswith("Parliament votes")]
    if votes:
        passed = any("PASSED" in v for v in votes)
        head = "Parliament votes to expel US forces" if passed else "Parliament rejects the withdrawal motion"
        body = votes + ([f"US withdrawal: {_step(T.WITHDRAWAL, ta[T.WITHDRAWAL])}"]
                        if ta[T.WITHDRAWAL] != tb[T.WITHDRAWAL] else [])
        out.append((head, body))
    elif ta[T.WITHDRAWAL] != tb[T.WITHDRAWAL]:
        out.append((f"US withdrawal: {_step(T.WITHDRAWAL, ta[T.WITHDRAWAL])}", []))
    if ta[T.GOVERNMENT] != tb[T.GOVERNMENT]:
        out.append((f"Government: {_step(T.GOVERNMENT, tb[T.GOVERNMENT])} \u2192 "
                    f"{_step(T.GOVERNMENT, ta[T.GOVERNMENT])}", []))
    if ta[T.POSTURE] != tb[T.POSTURE]:
        out.append((f"US posture: {_step(T.POSTURE, tb[T.POSTURE])} \u2192 {_step(T.POSTURE, ta[T.POSTURE])}", []))
    if ta[T.ESCALATION] >= 8 > tb[T.ESCALATION]:
        out.append((f"On the brink of war: US\u2013Iran escalation {ta[T.ESCALATION]} (war at 10)", []))
    if ta[T.LEGITIMACY] <= 1 < tb[T.LEGITIMACY]:
        out.append((f"The government totters: legitimacy {ta[T.LEGITIMACY]} (collapse at 0 after upkeep)", []))
    return out
