"""Victory: each faction's score, term by term, and the sudden-death endings.

Scores are short formulas of tracks that are on screen all game, so a
player always knows where they stand.  The highest score wins; ties share.

United States
    + 12 (starting position), + coalition cohesion, + 2 × posts *not* held by militias,
    + 2 × electoral progress, + US troops in Iraq ÷ 2,
    − 2 × US persons harmed, − escalation ÷ 2, − ISIS pressure ÷ 2.
Iraqi government
    + 10 (starting position), + legitimacy, + budget ÷ 2, + the waiver (granted 2, conditional 1),
    + 1 while the US partnership lasts (no separation), + 2 per step toward
    a new government, − militia posts ÷ 3.
Militias
    + posts they hold ÷ 2, + US troops gone from the map ÷ 2, + 2 for deadlock under
    a caretaker (1 with a mere nominee), + 2 per step of the US withdrawal,
    − accountability ÷ 2.
Protest movement
    + electoral progress, + accountability ÷ 2, + 2 per step toward a new
    government, + public support ÷ 2, + momentum ÷ 2, + Najaf's backing ÷ 3,
    − protester casualties ÷ 3.

Sudden death adds its own table (war, collapse, withdrawal) to those.
"""

from __future__ import annotations

from engine.game import Score
from rules.board import (CARETAKER, COMPLETED, GOI, MIL, NOMINEE, PRO, SEPARATION, TOTALS, US, K_US,
                         GRANTED, CONDITIONAL, P, T, militia_posts, on_map)

WAR, COLLAPSE, WITHDRAWN = "war", "collapse", "withdrawal"
TERMINATIONS = {
    "time": "The last month has passed: the scores decide.",
    WAR: "Open war between the United States and Iran.",
    COLLAPSE: "The Iraqi government collapses.",
    WITHDRAWN: "The last US forces have left Iraq.",
}
# Holding a position is harder than attacking one: the status-quo powers
# start with points that the insurgent factions must erode.  Calibrated so
# that four random seats score alike on average (see the smoke matrix).
HANDICAP = {US: 12, GOI: 10, MIL: 0, PRO: 0}
SUDDEN_DEATH: dict[str, dict[str, int]] = {
    WAR: {US: -6, GOI: -4, MIL: 2, PRO: -3},
    COLLAPSE: {US: -3, GOI: -10, MIL: 3, PRO: 1},
    WITHDRAWN: {US: -2, GOI: 2, MIL: 5, PRO: 0},
}


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


def _score(terms: list[tuple[str, int]]) -> Score:
    kept = tuple((label, points) for label, points in terms if points)
    return Score(sum(p for _, p in kept), kept)


def scores(b, termination: str | None) -> dict[str, Score]:
    t = b.tracks
    held = militia_posts(b)
    gov = t[T.GOVERNMENT]
    out = {
        US: [("starting position", HANDICAP[US]),
             ("coalition cohesion", t[T.COHESION]),
             ("2 \u00d7 posts held by professionals", 2 * (len(P) - held)),
             ("2 \u00d7 electoral progress", 2 * t[T.ELECTORAL]),
             ("US troops in Iraq \u00f7 2", on_map(b, K_US) // 2),
             ("2 \u00d7 US persons harmed", -2 * t[T.US_CASUALTIES]),
             ("escalation \u00f7 2", -(t[T.ESCALATION] // 2)),
             ("ISIS pressure \u00f7 2", -(t[T.ISIS] // 2))],
        GOI: [("starting position", HANDICAP[GOI]),
              ("legitimacy", t[T.LEGITIMACY]),
              ("budget \u00f7 2", t[T.BUDGET] // 2),
              ("the energy waiver", {GRANTED: 2, CONDITIONAL: 1}.get(t[T.WAIVER], 0)),
              ("the US partnership lasts", 1 if t[T.POSTURE] != SEPARATION else 0),
              ("2 \u00d7 progress to a new government", 2 * gov),
              ("militia posts \u00f7 3", -(held // 3))],
        MIL: [("posts held \u00f7 2", held // 2),
              ("US troops gone \u00f7 2", (TOTALS[0] - on_map(b, K_US)) // 2),
              ("deadlock", 2 if gov == CARETAKER else 1 if gov == NOMINEE else 0),
              ("2 \u00d7 US withdrawal", 2 * t[T.WITHDRAWAL]),
              ("accountability \u00f7 2", -(t[T.ACCOUNTABILITY] // 2))],
        PRO: [("electoral progress", t[T.ELECTORAL]),
              ("accountability \u00f7 2", t[T.ACCOUNTABILITY] // 2),
              ("2 \u00d7 progress to a new government", 2 * gov),
              ("public support \u00f7 2", t[T.SUPPORT] // 2),
              ("momentum \u00f7 2", t[T.MOMENTUM] // 2),
              ("Najaf's backing \u00f7 3", t[T.NAJAF] // 3),
              ("protester casualties \u00f7 3", -(t[T.PRO_CASUALTIES] // 3))],
    }
    if termination in SUDDEN_DEATH:
        for faction, points in SUDDEN_DEATH[termination].items():
            out[faction].append((TERMINATIONS[termination].rstrip("."), points))
    return {f: _score(terms) for f, terms in out.items()}
