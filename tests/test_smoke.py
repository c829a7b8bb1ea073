"""The zero-player smoke matrix: 200 seeds, random seats, nothing may go unused.

A rule or an event that never fires in real games is a bug even if its unit
test passes.  ``python main.py smoke --games 200`` prints the same matrix.
"""

from __future__ import annotations

import pytest

from engine.seats import parse_seats
from engine.smoke import run_matrix
from helpers import SCENARIO


@pytest.fixture(scope="module")
def matrix():
    return run_matrix(SCENARIO, range(1, 201), parse_seats("", SCENARIO.factions))


@pytest.mark.slow
class TestSmokeMatrix:
    def test_every_game_finishes(self, matrix):
        assert matrix.games == 200 and matrix.finished == 200
        assert sum(matrix.endings.values()) == 200
        assert sum(matrix.last_turn.values()) == 200

    def test_every_move_kind_is_used(self, matrix):
        assert matrix.unused_kinds(SCENARIO) == []

    def test_every_event_card_is_drawn(self, matrix):
        assert matrix.unused_cards(SCENARIO) == []

    def test_every_ending_happens(self, matrix):
        assert set(matrix.endings) == {"time", "war", "collapse", "withdrawal"}

    def test_no_faction_is_shut_out(self, matrix):
        for faction in SCENARIO.factions:
            assert matrix.winners[faction] >= 10, matrix.winners
