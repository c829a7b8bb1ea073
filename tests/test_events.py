"""The event deck: history once, in order (rules/events.py, rules/data/scenario.toml)."""

from __future__ import annotations

from engine.game import Game
from engine.rng import Rng
from engine.seats import parse_seats
from engine.smoke import play_one
from rules import events
from rules.board import IraqDraft, T
from rules.data import CARDS, HISTORY, PERIODS, START_DATE, card_month, period_of
from rules.scenario import IRAQ_2020

SEEDS = range(1000)


def _dealt(seed: int) -> list[str]:
    """The cards of a game of ``seed``, turn by turn, drawn as begin_turn draws them."""
    board, rng = IRAQ_2020.setup(Rng(seed).state)
    d = IraqDraft(board, rng)
    return [events.draw(d, turn) for turn in range(1, 13)]


class TestHistoryOnce:
    def test_the_start_state_holds_the_december_events(self):
        t = Game.new(IRAQ_2020, 1).board.tracks
        assert t[T.ELECTORAL] == 1 and t[T.US_CASUALTIES] == 1 and t[T.ESCALATION] == 4
        assert {e["id"] for e in HISTORY} >= {"election-law", "k1-rockets", "strikes-on-kh",
                                               "embassy-siege"}

    def test_no_card_repeats_an_event_the_start_state_holds_over_1000_seeds(self):
        history = {e["id"] for e in HISTORY}
        titles = {CARDS[c]["title"] for c in CARDS}
        for seed in SEEDS:
            dealt = _dealt(seed)
            assert not history & set(dealt), seed
            assert all(CARDS[c]["when"] > START_DATE for c in dealt), seed
        # and nothing of the old deck's December cards is left under another id
        assert not any("December 2019" in CARDS[c]["date"] or "2019" in CARDS[c]["when"]
                       for c in CARDS), titles

    def test_cards_come_out_within_their_period_over_1000_seeds(self):
        for seed in SEEDS:
            dealt = _dealt(seed)
            assert len(set(dealt)) == 12, seed  # no card twice in a year
            for turn, card in enumerate(dealt, 1):
                assert CARDS[card]["period"] == period_of(turn), (seed, turn, card)
                first, last = PERIODS[period_of(turn) - 1]["first"], PERIODS[period_of(turn) - 1]["last"]
                assert first <= card_month(CARDS[card]) <= last

    def test_real_games_draw_the_same_way(self):
        for seed in range(20):
            game = play_one(IRAQ_2020, seed, parse_seats("", IRAQ_2020.factions))
            played = IRAQ_2020.events_played(game.board)
            assert [CARDS[c]["period"] for c in played] == [period_of(t) for t in range(1, len(played) + 1)]

    def test_each_period_is_shuffled_apart_and_every_card_can_come(self):
        firsts = {_dealt(seed)[0] for seed in range(200)}
        assert firsts == {c for c in CARDS if CARDS[c]["period"] == 1}


class TestCardsSayWhatTheyDo:
    def test_the_log_prints_what_the_card_does(self):
        board, rng = IRAQ_2020.setup(Rng(3).state)
        for card in CARDS:
            d = IraqDraft(board, rng)
            events.play_effects(d, card)
            line = d.lines[0].text
            assert events.describe(card, public=True) in line
            if events.describe(card) != events.describe(card, public=True):
                assert any(events.describe(card) in x.text and x.audience == "mil" for x in d.lines)

    def test_every_effect_of_a_card_is_in_its_description(self):
        from rules.board import TRACKS
        from rules.data import TRACK_IDS
        for card_id, card in CARDS.items():
            text = events.describe(card_id)
            for block in (card, card.get("then", {}), card.get("otherwise", {})):
                for name in (*block.get("effects", {}), *block.get("set", {})):
                    assert TRACKS[TRACK_IDS[name]].label in text, (card_id, name)

    def test_no_card_is_a_players_decision(self):
        # What a faction chose in history is its move: the airport strike (US),
        # the resolution of 5 January (a vote), the prime minister (nomination).
        decided = {"airport-strike", "nonbinding-resolution", "allawi", "kadhimi", "taji-rockets",
                   "depot-strikes", "dora-raid", "strategic-dialogue", "waiver-short",
                   "embassy-closure", "election-date", "base-handover", "border-crossing", "hashimi"}
        assert not decided & set(CARDS)
