"""The white cell's acts at the engine level: injects, overrides, rulings,
pause and resume — each a log entry that replays exactly."""

from __future__ import annotations

import pytest

from engine import flow
from engine.game import Game
from engine.moves import IllegalMoveError, Move
from engine.record import Record
from engine.whitecell import (InjectEntry, MoveEntry, OverrideEntry, PauseEntry, ResumeEntry,
                              RulingEntry)
from rules.board import TRACK_IDS
from tests.helpers import SCENARIO


def new(seed: int = 3) -> Game:
    return Game.new(SCENARIO, seed)


def contested(game: Game) -> Move:
    """A legal move of the active faction that rolls dice as it resolves."""
    for move in game.legal_moves():
        if game.explain(move).check is not None:
            try:
                game.clone().apply_ruled(move, "fail", "probe")
            except ValueError:
                continue  # rolled later (rocket orders land at resolution)
            return move
    pytest.skip("no contested move here")


class TestInject:
    def test_custom_inject_moves_tracks_and_is_public(self):
        game = new()
        before = game.board.tracks[TRACK_IDS["economy"]]
        game.inject(text="Oil prices crash", effects=[("economy", -2)])
        assert game.board.tracks[TRACK_IDS["economy"]] == max(0, before - 2)
        assert all(line.audience is None for line in game.last_log)
        assert "Oil prices crash" in game.last_log[0].text

    def test_card_inject_leaves_the_deck(self):
        game = new()
        card = SCENARIO.inject_cards(game.board)[0]
        game.inject(card=card)
        assert card not in game.board.deck and card in game.board.discard
        assert game.active_faction is not None  # the turn goes on

    @pytest.mark.parametrize("card,text,effects,reason", [
        (None, "", [("economy", 1)], "text"),
        (None, "x", [], "at least one"),
        (None, "x", [("gold", 1)], "unknown track"),
        (None, "x", [("economy", 0)], "not 0"),
        (None, "x", [("economy", 99)], "whole number"),
        (None, "x", [("economy", 1), ("economy", 1)], "at most once"),
        ("no-such-card", "", [], "no card"),
    ])
    def test_bad_injects_are_refused_and_change_nothing(self, card, text, effects, reason):
        game = new()
        before = game.state_hash()
        with pytest.raises(ValueError, match=reason):
            game.inject(card, text, effects)
        assert game.state_hash() == before

    def test_an_inject_can_end_the_game(self):
        game = new()
        game.inject(text="War", effects=[("escalation", 10)])
        assert game.is_over() and game.outcome().termination == "war"

    def test_inject_while_paused_keeps_the_pause(self):
        game = new()
        game.pause()
        game.inject(text="Quiet news", effects=[("economy", 1)])
        assert game.ctx.phase == flow.PAUSED
        game.resume()
        assert game.ctx.phase == flow.ACTIONS


class TestOverride:
    def test_override_sets_the_tier_and_logs_the_rationale(self):
        game = new()
        move = contested(game)
        game.apply_ruled(move, "backfire", "the crowd was not there")
        text = "\n".join(line.text for line in game.last_log)
        assert "White cell override: the crowd was not there" in text
        assert "rules it a backfire" in text
        assert game.history[-1] == move

    def test_an_uncontested_move_has_no_result_to_override(self):
        game = new()
        move = Move(game.active_faction, "pass")
        before = game.state_hash()
        with pytest.raises(ValueError, match="rolls no dice"):
            game.apply_ruled(move, "fail", "why not")
        assert game.state_hash() == before

    def test_bad_tier_rationale_or_move_are_refused(self):
        game = new()
        move = contested(game)
        with pytest.raises(ValueError, match="unknown tier"):
            game.apply_ruled(move, "triumph", "x")
        with pytest.raises(ValueError, match="rationale"):
            game.apply_ruled(move, "fail", "  ")
        other = next(f for f in SCENARIO.factions if f != game.active_faction)
        with pytest.raises(IllegalMoveError):
            game.apply_ruled(Move(other, "pass"), "fail", "x")

    def test_ruling_sets_tracks_in_range_only(self):
        game = new()
        game.set_tracks([("escalation", 6)], "the strike was bigger than reported")
        assert game.board.tracks[TRACK_IDS["escalation"]] == 6
        with pytest.raises(ValueError, match="from 0 to 10"):
            game.set_tracks([("escalation", 11)], "x")
        with pytest.raises(ValueError, match="unknown track"):
            game.set_tracks([("mood", 1)], "x")


class TestReplay:
    def test_a_save_with_every_entry_type_verifies_hash_for_hash(self):
        game = new(11)
        record = Record.start(game, 11, "us=human,goi=human,mil=human,pro=human", "2020-01-03")

        def log(entry_cls, **fields):
            record.append(entry_cls(game.state_hash(), **fields), game)

        move = contested(game)
        game.apply_ruled(move, "success", "intelligence confirmed it")
        log(OverrideEntry, move=str(move), tier="success", rationale="intelligence confirmed it")
        game.pause()
        log(PauseEntry)
        game.inject(text="A sandstorm", effects=[("isis", 1)])
        log(InjectEntry, text="A sandstorm", effects={"isis": 1})
        game.resume()
        log(ResumeEntry)
        game.set_tracks([("momentum", 2)], "curfew")
        log(RulingEntry, values={"momentum": 2}, rationale="curfew")
        card = SCENARIO.inject_cards(game.board)[-1]
        game.inject(card=card)
        log(InjectEntry, card=card)
        while game.ctx.turn < 3:
            m = game.legal_moves()[0]
            game.apply(m)
            log(MoveEntry, move=str(m))
        # Through the file's JSON, replayed from the seed and every hash checked.
        again = Record.from_json(record.to_json())
        assert again.summary().entries == len(record)
        assert again.game_at(len(again)).state_hash() == game.state_hash()
        assert [e.type for e in again.entries[:6]] == ["override", "pause", "inject", "resume",
                                                       "ruling", "inject"]
        assert len(again.snapshots) >= 3

    def test_a_tampered_ruling_fails_verification(self):
        game = new(2)
        record = Record.start(game, 2, "us=human,goi=human,mil=human,pro=human", "2020-01-03")
        game.set_tracks([("economy", 1)], "a windfall")
        record.append(RulingEntry(game.state_hash(), values={"economy": 1},
                                  rationale="a windfall"), game)
        text = record.to_json().replace('"economy": 1', '"economy": 2')
        with pytest.raises(ValueError, match="does not match"):
            Record.from_json(text)
