"""The search AI's projected score (rules/evaluate.py)."""

from __future__ import annotations

import attrs
import pytest

from engine.game import Game
from rules import evaluate as ev
from rules.board import (GOI, MIL, MOTION_PASSED, ORDERED, PRO, US, T)
from rules.parliament import inclinations, pass_chance
from rules.scenario import IRAQ_2020 as SC
from rules.victory import COLLAPSE, SUDDEN_DEATH, WITHDRAWN, scores, troop_worth


def start():
    return Game.new(SC, 1).state.board


def with_tracks(board, **values):
    tracks = list(board.tracks)
    for name, v in values.items():
        tracks[T[name.upper()]] = v
    return attrs.evolve(board, tracks=tuple(tracks))


def totals(board, termination=None):
    return {f: float(s.total) for f, s in scores(board, termination).items()}


def test_finished_game_is_its_score():
    b = start()
    assert ev.projected(b, COLLAPSE, 3) == totals(b, COLLAPSE)


def test_margins_over_the_best_other():
    b = start()
    p = ev.projected(b, None, 12)
    m = ev.evaluate(b, None, 12)
    for f in p:
        assert m[f] == pytest.approx(p[f] - max(v for g, v in p.items() if g != f))


def test_quiet_board_adds_only_resources():
    b = with_tracks(start(), legitimacy=7, escalation=4, motion=0, withdrawal=0)
    base, p = totals(b), ev.projected(b, None, 12)
    for f, (track, worth) in ev.RESOURCE.items():
        assert p[f] == pytest.approx(base[f] + worth * b.tracks[track])
    assert ev.projected(b, None, 0) == base   # no turns left: resources are worthless


def _completion(board, f):
    """What a completed withdrawal would add to faction f's score now."""
    from rules.board import K_US, on_map
    troops = on_map(board, K_US)
    return SUDDEN_DEATH[WITHDRAWN][f] - troops * troop_worth(f)


def test_tabled_motion_is_worth_its_chance_to_end_in_a_withdrawal():
    b = with_tracks(start(), motion=0)
    tabled = with_tracks(b, motion=1)
    turns = 8
    p = (pass_chance(inclinations(b)) * ev.IMPLEMENT_CHANCE * ev.COMPLETE_CHANCE)
    for f in (US, GOI, MIL, PRO):
        gain = ev.projected(tabled, None, turns)[f] - ev.projected(b, None, turns)[f]
        assert gain == pytest.approx(p * _completion(b, f))
    assert 0 < ev.projected(tabled, None, turns)[MIL] - ev.projected(b, None, turns)[MIL] < _completion(b, MIL)


def test_withdrawal_stages_project_the_completion():
    passed = with_tracks(start(), withdrawal=MOTION_PASSED)
    ordered = with_tracks(start(), withdrawal=ORDERED)
    gains = {}
    for name, b in (("passed", passed), ("ordered", ordered)):
        gains[name] = ev.projected(b, None, 8)[MIL] - ev.projected(with_tracks(b, withdrawal=0), None, 8)[MIL]
    assert gains["ordered"] == pytest.approx(ev.COMPLETE_CHANCE * _completion(ordered, MIL))
    assert gains["passed"] == pytest.approx(ev.IMPLEMENT_CHANCE * gains["ordered"])
    p, base = ev.projected(ordered, None, 8), totals(ordered)
    late = ev.projected(ordered, None, 0)
    assert base[MIL] < late[MIL] < p[MIL]          # too few turns left to finish
    assert late[US] < base[US] and late[GOI] < base[GOI]


def test_collapse_risk_helps_only_whom_it_leaves_on_top():
    low = with_tracks(start(), legitimacy=0)
    p, base = ev.projected(low, None, 0), totals(low)
    final = totals(low, COLLAPSE)
    leaders = {f for f, v in final.items() if v == max(final.values())}  # a tie leaves each on top
    assert p[GOI] < base[GOI] - 4               # the government dreads it
    for f in (US, MIL, PRO):
        if f in leaders:
            assert p[f] == pytest.approx(base[f] + ev.COLLAPSE_RISK[0] * SUDDEN_DEATH[COLLAPSE][f])
        else:
            assert p[f] < base[f]               # cut short while behind: a loss


def test_war_risk_never_tempts_a_militia_that_would_lose():
    # A militia well behind (its deniability gone, its men documented) at the brink:
    b = with_tracks(start(), escalation=9, deniability=0, accountability=8)
    final = totals(b, "war")
    assert final[MIL] < max(final.values())
    assert ev.projected(b, None, 0)[MIL] < totals(b)[MIL]


def test_pure_and_view_only():
    b = start()
    view = SC.view(b, US)
    assert ev.evaluate(view, None, 5) == ev.evaluate(view, None, 5)
