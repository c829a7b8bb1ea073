"""Victory: each faction's score, term by term, and the sudden-death endings.

Scores are short formulas of tracks that are on screen all game, so a
player always knows where they stand.  The highest score wins; ties share.
Each faction's terms are the brief's account of what it wants:

United States — a sovereign, stable Iraq, US persons safe, ISIS down,
    Iran's proxies contained: legitimacy of the Iraqi state, posts held by
    professionals, electoral progress, coalition cohesion, its troops still
    there; against: US persons harmed, ISIS, escalation, militia cells on
    the map, a bankrupt partner, and (sudden death) a collapse.
Iraqi government — survival, legitimacy, money, room between Washington
    and Tehran: legitimacy, budget, the energy waiver, the US partnership
    (the dollar), a new government; against: militia posts and ISIS.
Militias — the US out, de facto rule through the posts and the fronts,
    deniability, a weak or deadlocked government: posts held, front
    companies, deniability, US troops gone, deadlock under a caretaker (or
    a nominee never confirmed), a government short of legitimacy, the
    Americans they harm; against: accountability.  Their cells are a means,
    not an end: they score nothing by themselves.
Protest movement — the election law, an independent commission, early
    elections that relegitimise the state, accountability for the
    killings: electoral progress, elections held, accountability, a new
    government, public support and momentum (Najaf's backing helps them but
    scores nothing by itself); against: casualties.

The weights are fitted (``benchmarks/fit_scores.py``, within the signs and
bounds the brief sets) so that competent
play is balanced: every faction wins its share across the combinations of
the four doctrines, and a doctrine beats a random seat in its chair by a
wide margin (see README, "Scoring for competent play").
"""

from __future__ import annotations

from typing import Callable

from engine.game import Score
from rules.government import ELECTIONS_HELD
from rules.board import (CARETAKER, COMPLETED, GOI, GRANTED, K_MIL, K_US, MIL, NEW_GOVERNMENT, NOMINEE,
                         PRO, SEPARATION, TOTALS, US, P, T, militia_posts, on_map)

WAR, COLLAPSE, WITHDRAWN = "war", "collapse", "withdrawal"
TERMINATIONS = {
    "time": "The last month has passed: the scores decide.",
    WAR: "Open war between the United States and Iran.",
    COLLAPSE: "The Iraqi government collapses.",
    WITHDRAWN: "The last US forces have left Iraq.",
}

# Each faction's starting position: holding a position is harder than
# attacking one, so the status-quo powers start with more.
HANDICAP = {US: 51, GOI: 34, MIL: 0, PRO: 29}
SUDDEN_DEATH: dict[str, dict[str, int]] = {
    WAR: {US: -1, GOI: -1, MIL: -7, PRO: -2},
    COLLAPSE: {US: -12, GOI: -10, MIL: -3, PRO: 2},
    WITHDRAWN: {US: 0, GOI: -8, MIL: 2, PRO: -3},
}

Term = tuple[str, int, Callable[[object], int]]


def _t(track: T) -> Callable[[object], int]:
    return lambda b: b.tracks[track]


def _cells(b) -> int:
    return on_map(b, K_MIL)


# (label, weight, reading): the term scores weight × reading.  The labels
# say what is counted; "÷ n" readings are whole numbers (rounded down).
TERMS: dict[str, list[Term]] = {
    US: [
        ("Iraqi legitimacy \u00f7 2", 5, lambda b: b.tracks[T.LEGITIMACY] // 2),
        ("posts held by professionals", 2, lambda b: len(P) - militia_posts(b)),
        ("electoral progress", 1, _t(T.ELECTORAL)),
        ("coalition cohesion \u00f7 2", 1, lambda b: b.tracks[T.COHESION] // 2),
        ("US troops in Iraq \u00f7 2", 1, lambda b: on_map(b, K_US) // 2),
        ("US persons harmed", -2, _t(T.US_CASUALTIES)),
        ("ISIS pressure \u00f7 2", -2, lambda b: b.tracks[T.ISIS] // 2),
        ("escalation \u00f7 2", -1, lambda b: b.tracks[T.ESCALATION] // 2),
        ("militia cells on the map \u00f7 3", -1, lambda b: _cells(b) // 3),
        ("a bankrupt partner", -2, lambda b: int(b.tracks[T.BUDGET] == 0)),
    ],
    GOI: [
        ("legitimacy", 4, _t(T.LEGITIMACY)),
        ("budget \u00f7 2", 3, lambda b: b.tracks[T.BUDGET] // 2),
        ("the energy waiver", 1, lambda b: int(b.tracks[T.WAIVER] == GRANTED)),
        ("the US partnership and the dollar", 3, lambda b: int(b.tracks[T.POSTURE] != SEPARATION)),
        ("progress to a new government", 5, _t(T.GOVERNMENT)),
        ("militia posts \u00f7 2", -2, lambda b: militia_posts(b) // 2),
        ("ISIS pressure \u00f7 3", -2, lambda b: b.tracks[T.ISIS] // 3),
    ],
    MIL: [
        ("posts held", 1, militia_posts),
        ("front companies", 4, _t(T.FRONTS)),
        ("deniability \u00f7 2", 5, lambda b: b.tracks[T.DENIABILITY] // 2),
        ("US troops gone \u00f7 2", 1, lambda b: (TOTALS[0] - on_map(b, K_US)) // 2),
        ("deadlock under a caretaker", 4, lambda b: int(b.tracks[T.GOVERNMENT] == CARETAKER)),
        ("a nominee not yet confirmed", 3, lambda b: int(b.tracks[T.GOVERNMENT] == NOMINEE)),
        ("a weak government (legitimacy 4 or less)", 5, lambda b: int(b.tracks[T.LEGITIMACY] <= 4)),
        ("US persons harmed \u00f7 2", 5, lambda b: b.tracks[T.US_CASUALTIES] // 2),
        ("accountability \u00f7 2", -1, lambda b: b.tracks[T.ACCOUNTABILITY] // 2),
    ],
    PRO: [
        ("electoral progress", 2, _t(T.ELECTORAL)),
        ("early elections held", 4, lambda b: int(b.tracks[T.ELECTORAL] >= ELECTIONS_HELD)),
        ("accountability", 1, _t(T.ACCOUNTABILITY)),
        ("a new government", 2, lambda b: int(b.tracks[T.GOVERNMENT] == NEW_GOVERNMENT)),
        ("public support \u00f7 2", 2, lambda b: b.tracks[T.SUPPORT] // 2),
        ("momentum \u00f7 2", 2, lambda b: b.tracks[T.MOMENTUM] // 2),
        ("Najaf's backing \u00f7 3", 0, lambda b: b.tracks[T.NAJAF] // 3),
        ("protester casualties \u00f7 3", -1, lambda b: b.tracks[T.PRO_CASUALTIES] // 3),
    ],
}


def troop_worth(faction: str) -> float:
    """About what one US troop on the map is worth to ``faction`` (the
    search's evaluation prices a withdrawal with it)."""
    for label, weight, _ in TERMS.get(faction, ()):
        if label.startswith("US troops in Iraq"):
            return weight / 2
        if label.startswith("US troops gone"):
            return -weight / 2
    return 0.0


def sudden_death(b, end_of_turn: bool = False) -> str | None:
    """Open war and a completed withdrawal end the game at once; the
    government collapses if its legitimacy is still 0 after upkeep."""
    t = b.tracks
    if t[T.ESCALATION] >= 10:
        return WAR
    if end_of_turn and t[T.LEGITIMACY] <= 0:
        return COLLAPSE
    if t[T.WITHDRAWAL] >= COMPLETED:
        return WITHDRAWN
    return None


def _label(label: str, weight: int) -> str:
    return label if abs(weight) == 1 else f"{abs(weight)} \u00d7 {label}"


def _score(terms: list[tuple[str, int]]) -> Score:
    kept = tuple((label, points) for label, points in terms if points)
    return Score(sum(p for _, p in kept), kept)


def scores(b, termination: str | None) -> dict[str, Score]:
    out = {}
    for faction, terms in TERMS.items():
        lines = [("starting position", HANDICAP[faction])]
        lines += [(_label(label, weight), weight * read(b)) for label, weight, read in terms]
        if termination in SUDDEN_DEATH:
            lines.append((TERMINATIONS[termination].rstrip("."), SUDDEN_DEATH[termination][faction]))
        out[faction] = _score(lines)
    return out
