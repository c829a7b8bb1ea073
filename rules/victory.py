"""Victory: each faction's score, term by term, and the sudden-death endings.

Scores are short formulas of tracks that are on screen all game, so a
player always knows where they stand.  The highest score wins; ties share.

United States
    + 16 (starting position), + coalition cohesion, + 3 × posts *not* held
    by militias, + 2 × electoral progress, + US troops in Iraq ÷ 3,
    − US persons harmed ÷ 2, − escalation, − ISIS pressure ÷ 2.
Iraqi government
    + 17 (starting position), + legitimacy, + budget ÷ 3, + 1 while the
    energy waiver is granted, + 3 while the US partnership lasts (no
    separation), + 2 per step toward a new government, − militia posts ÷ 2.
Militias
    + 1 (starting position), + posts they hold ÷ 2, + deniability (the
    shadow state prospers unseen), + 2 × front companies, + US troops gone
    from the map ÷ 3, + 1 for deadlock under a caretaker, − accountability ÷ 3.
Protest movement
    + 4 (starting position), + electoral progress, + accountability, + 1 for
    a new government, + public support ÷ 2, + momentum, + Najaf's backing ÷ 3,
    − protester casualties ÷ 3.

Sudden death adds its own table (war, collapse, withdrawal) to those.
"""

from __future__ import annotations

from engine.game import Score
from rules.board import (CARETAKER, COMPLETED, GOI, MIL, NEW_GOVERNMENT, PRO, SEPARATION, TOTALS, US, K_US,
                         GRANTED, P, T, militia_posts, on_map)

WAR, COLLAPSE, WITHDRAWN = "war", "collapse", "withdrawal"
TERMINATIONS = {
    "time": "The last month has passed: the scores decide.",
    WAR: "Open war between the United States and Iran.",
    COLLAPSE: "The Iraqi government collapses.",
    WITHDRAWN: "The last US forces have left Iraq.",
}
# Holding a position is harder than attacking one: the status-quo powers
# start with more points.  The weights reward what a faction builds by its
# own choices (the militias' deniability and fronts, the movement's
# momentum), so a faction that plays with a plan beats one that does not:
# each faction's first doctrine wins about 35-60 points more often than a
# random seat in its chair, and four random seats all still win their share
# (see the smoke matrix and the AI tables in the README).  Among four
# doctrines the US and the government share nearly all the wins.
HANDICAP = {US: 16, GOI: 17, MIL: 1, PRO: 4}
SUDDEN_DEATH: dict[str, dict[str, int]] = {
    WAR: {US: -3, GOI: -3, MIL: -3, PRO: 0},
    COLLAPSE: {US: -3, GOI: -5, MIL: 5, PRO: 0},
    WITHDRAWN: {US: 0, GOI: -3, MIL: 3, PRO: -2},
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
             ("3 \u00d7 posts held by professionals", 3 * (len(P) - held)),
             ("2 \u00d7 electoral progress", 2 * t[T.ELECTORAL]),
             ("US troops in Iraq \u00f7 3", on_map(b, K_US) // 3),
             ("US persons harmed \u00f7 2", -(t[T.US_CASUALTIES] // 2)),
             ("escalation", -t[T.ESCALATION]),
             ("ISIS pressure \u00f7 2", -(t[T.ISIS] // 2))],
        GOI: [("starting position", HANDICAP[GOI]),
              ("legitimacy", t[T.LEGITIMACY]),
              ("budget \u00f7 3", t[T.BUDGET] // 3),
              ("the energy waiver", 1 if t[T.WAIVER] == GRANTED else 0),
              ("the US partnership lasts", 3 if t[T.POSTURE] != SEPARATION else 0),
              ("2 \u00d7 progress to a new government", 2 * gov),
              ("militia posts \u00f7 2", -(held // 2))],
        MIL: [("starting position", HANDICAP[MIL]),
              ("posts held \u00f7 2", held // 2),
              ("deniability", t[T.DENIABILITY]),
              ("2 \u00d7 front companies", 2 * t[T.FRONTS]),
              ("US troops gone \u00f7 3", (TOTALS[0] - on_map(b, K_US)) // 3),
              ("deadlock under a caretaker", 1 if gov == CARETAKER else 0),
              ("accountability \u00f7 3", -(t[T.ACCOUNTABILITY] // 3))],
        PRO: [("starting position", HANDICAP[PRO]),
              ("electoral progress", t[T.ELECTORAL]),
              ("accountability", t[T.ACCOUNTABILITY]),
              ("a new government", 1 if gov == NEW_GOVERNMENT else 0),
              ("public support \u00f7 2", t[T.SUPPORT] // 2),
              ("momentum", t[T.MOMENTUM]),
              ("Najaf's backing \u00f7 3", t[T.NAJAF] // 3),
              ("protester casualties \u00f7 3", -(t[T.PRO_CASUALTIES] // 3))],
    }
    if termination in SUDDEN_DEATH:
        for faction, points in SUDDEN_DEATH[termination].items():
            out[faction].append((TERMINATIONS[termination].rstrip("."), points))
    return {f: _score(terms) for f, terms in out.items()}
