"""The search AI's evaluation: a *projected* score for every faction.

:func:`projected` is each faction's score (:mod:`rules.victory`) plus the
expected value of what is already in motion but not yet on the score
sheet.  The militias' and the protesters' points mostly arrive late (the
withdrawal stages, the completion bonus, a collapse), so a bare score
margin would tell a search bot in those chairs that nothing it does
matters.  Every term reads only tracks and pieces that the evaluated board
shows; the search evaluates its own determinisations, never the truth.

Terms, added only while the game goes on (a finished game is its score):

* **the withdrawal under way** — once complete it ends the game: the
  troops still in Iraq leave (for the militias, against the United
  States) and the withdrawal row of the sudden-death table is paid.  That
  is weighted by the chance of getting there: ``COMPLETE_CHANCE`` for an
  ordered withdrawal (scaled down when too few turns remain for two troops
  a turn to leave; each troop priced by :func:`rules.victory.troop_worth`), times ``IMPLEMENT_CHANCE`` for a passed motion the
  government must still order, times
  :func:`rules.parliament.pass_chance` of the blocs' inclinations for a
  tabled motion, voted this turn;
* **collapse** — legitimacy 0 after upkeep ends the game, with
  ``COLLAPSE_RISK`` of the legitimacy; and **war** — escalation 10 ends it,
  with ``WAR_RISK`` of the escalation.  Such an end is worth its row of the
  sudden-death table to a faction it would leave on top; a faction it
  would leave behind loses the game, so it counts the row's losses only
  and ``CUT_SHORT`` more (a bonus is no comfort in defeat: the militias
  must not start a war they would lose);
* **resources** — a little for each faction's unspent main resource while
  turns remain (it buys moves that score later), fading over the last
  three turns.

:func:`evaluate` turns the projections into margins over the best other
faction, because the winner is the top score.
"""

from __future__ import annotations

from engine.game import margins
from rules.board import COMPLETED, FACTIONS, GOI, K_US, MIL, MOTION_PASSED, NO_MOTION, PRO, US, T, on_map
from rules.parliament import inclinations, pass_chance
from rules.victory import COLLAPSE, SUDDEN_DEATH, WAR, WITHDRAWN, scores, troop_worth

# Worth of a unit of each faction's main resource while turns remain.
RESOURCE = {US: (T.CAPITAL, 0.3), GOI: (T.C2, 0.3), MIL: (T.ARMS, 0.3), PRO: (T.MOMENTUM, 0.15)}
WAR_RISK = {8: 0.2, 9: 0.45}
COLLAPSE_RISK = {0: 0.7, 1: 0.35, 2: 0.12}
IMPLEMENT_CHANCE = 0.35   # a passed motion is ordered out before the game ends
COMPLETE_CHANCE = 0.85    # an ordered withdrawal runs its course
CUT_SHORT = 2.0           # what a sudden end costs a faction it leaves behind


def projected(board, termination: str | None, turns_left: int = 12,
              now: dict | None = None) -> dict[str, float]:
    """Each faction's score plus the expected value of pending things
    (``now``: the board's scores, if already computed)."""
    totals = {f: float(s.total) for f, s in (now or scores(board, termination)).items()}
    if termination is not None:
        return totals
    t = board.tracks
    stage = t[T.WITHDRAWAL]
    if stage < COMPLETED and (stage or t[T.MOTION]):
        troops = on_map(board, K_US)
        # Two troops leave each upkeep once ordered: can it finish in time?
        p = COMPLETE_CHANCE * min(1.0, (turns_left + 1) / max(1, (troops + 1) // 2))
        if stage == NO_MOTION:
            p *= pass_chance(inclinations(board)) * IMPLEMENT_CHANCE
        elif stage == MOTION_PASSED:
            p *= IMPLEMENT_CHANCE if turns_left > 0 else 0.0
        for f in (US, MIL):
            totals[f] -= p * troops * troop_worth(f)
        for f, points in SUDDEN_DEATH[WITHDRAWN].items():
            totals[f] += p * points
    for ending, p in ((COLLAPSE, COLLAPSE_RISK.get(t[T.LEGITIMACY], 0.0)),
                      (WAR, WAR_RISK.get(t[T.ESCALATION], 0.0))):
        if p:
            final = {f: s.total for f, s in scores(board, ending).items()}
            top = max(final.values())
            for f, points in SUDDEN_DEATH[ending].items():
                totals[f] += p * (points if final[f] >= top else min(points, 0) - CUT_SHORT)
    if turns_left > 0:
        scale = min(1.0, turns_left / 3)
        for f, (track, worth) in RESOURCE.items():
            if t[track] > 0:
                totals[f] += scale * worth * t[track]
    return totals


def evaluate(board, termination: str | None, turns_left: int = 12) -> dict[str, float]:
    """Each faction's projected standing as a margin over the best other faction."""
    return margins(projected(board, termination, turns_left))


assert set(RESOURCE) == set(FACTIONS)
