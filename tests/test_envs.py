"""The research interfaces: PettingZoo environment, OpenSpiel game, OpenSpiel seat.

These need the optional extra ``pip install -e ".[rl]"`` (CI installs it);
without it they skip.  The action table and the observation layout
(rules/features.py) need nothing but the game and are tested always.
"""

from __future__ import annotations

import sys

import attrs
import pytest
from hypothesis import example, given, settings, strategies as st

from engine.envs.actions import ActionTable, table
from engine.game import Game
from engine.rng import Rng
from engine.state import GameState
from rules import features
from rules.board import (COVERT, K_COVERT, KINDS, MIL, MILITIA_SITES, POOL, PRO, PROFESSIONAL, US, GOI,
                         Attack, T, at)
from rules.scenario import IRAQ_2020

SC = IRAQ_2020
OTHERS = (US, GOI, PRO)


def played(seed: int, moves: int) -> Game:
    """A game after up to ``moves`` random legal moves."""
    game = Game.new(SC, seed)
    rng = Rng(seed + 7)
    for _ in range(moves):
        if game.is_over():
            break
        legal = game.legal_moves()
        game.apply(legal[rng.below(len(legal))])
    return game


def hide_more(game: Game, rng: Rng) -> Game:
    """The same game with everything the militias keep secret changed: covert
    cells moved in or out, arms and funds, a covert loyalist, an attack order,
    the author of every unattributed attack, the deck's order and the dice."""
    b = game.board
    pieces, pool, tracks = list(b.pieces), list(b.pool), list(b.tracks)
    space = MILITIA_SITES[rng.below(len(MILITIA_SITES))]
    if pool[POOL[MIL]] > 0:
        pieces[at(space, K_COVERT)] += 1
        pool[POOL[MIL]] -= 1
    else:
        # Every cell on the map, none covert at a militia site: nothing to move.
        src = next((s for s in MILITIA_SITES if pieces[at(s, K_COVERT)]), None)
        if src is not None:
            pieces[at(src, K_COVERT)] -= 1
            pool[POOL[MIL]] += 1
    tracks[T.ARMS] = (tracks[T.ARMS] + 1 + rng.below(5)) % 11
    posts = list(b.posts)
    professionals = [p for p, h in enumerate(posts) if h == PROFESSIONAL]
    if professionals:
        posts[professionals[rng.below(len(professionals))]] = COVERT
    attacks = tuple(a if a.attributed else attrs.evolve(a, by="isis" if a.by == MIL else MIL)
                    for a in b.attacks)
    board = attrs.evolve(b, pieces=tuple(pieces), pool=tuple(pool), tracks=tuple(tracks),
                         posts=tuple(posts), orders=b.orders + ((int(space), "lethal"),),
                         deck=tuple(rng.shuffled(b.deck)), attacks=attacks)
    return Game(SC, GameState(game.ctx, board, rng.spawn().state))


class TestActionTable:
    def test_built_from_every_kinds_domain(self):
        t = table(SC)
        assert len(t) == sum(len(k.domain) for k in SC.registry.kinds())
        assert [m.faction for m in t.moves] == sorted((m.faction for m in t.moves), key=SC.factions.index)
        for i, move in enumerate(t.moves):
            assert t.action(move) == i and t.move(i) == move
        with pytest.raises(ValueError):
            t.move(len(t))

    def test_a_new_kind_renumbers_consistently(self):
        """A rule that adds a kind shifts the later ids but keeps the table whole."""
        from engine.moves import MoveKind, MoveRegistry
        reg = MoveRegistry(SC.factions)
        for kind in SC.registry.kinds():
            reg.register(kind)
        extra = MoveKind(US, "extra", "Extra", (("a",), ("b",)), lambda b, a: [], None, None)
        reg.register(extra)
        fake = type("Fake", (), {"factions": SC.factions, "registry": reg})()
        t = ActionTable(fake)
        assert len(t) == len(table(SC)) + 2
        assert t.spans[US][1] == table(SC).spans[US][1] + 2
        assert str(t.moves[t.spans[US][1] - 1]) == "us:extra b"

    @settings(max_examples=25)
    @given(seed=st.integers(0, 10_000), moves=st.integers(0, 60))
    def test_every_legal_move_has_an_id_of_its_faction(self, seed, moves):
        game = played(seed, moves)
        t = table(SC)
        legal = t.legal(game)
        assert legal == sorted(set(legal))
        if game.active_faction is not None:
            lo, hi = t.spans[game.active_faction]
            assert legal and all(lo <= a < hi for a in legal)
            assert [t.move(a) for a in legal] == sorted(game.legal_moves(), key=t.action)


class TestObservation:
    def test_layout_is_contiguous_and_named(self):
        start = 0
        for seg in features.SEGMENTS:
            assert seg.start == start and seg.size > 0
            start += seg.size
        assert start == features.SIZE
        assert len({s.name for s in features.SEGMENTS}) == len(features.SEGMENTS)
        text = features.layout_text()
        assert all(f"| {s.name} |" in text for s in features.SEGMENTS)

    def test_layout_follows_the_rules_vocabulary(self):
        from rules.board import TRACKS
        from rules.data import CARDS
        assert features.SEGMENT["tracks"].size == len(TRACKS)
        assert features.SEGMENT["card"].size == len(CARDS)

    @settings(max_examples=40)
    @given(seed=st.integers(0, 10_000), moves=st.integers(0, 70), k=st.integers(0, 1000))
    @example(seed=182, moves=30, k=0)  # the pool empty, no covert cell at a militia site
    def test_hidden_things_do_not_reach_an_observation(self, seed, moves, k):
        game = played(seed, moves)
        twin = hide_more(game, Rng(k))
        for faction in OTHERS:
            assert (SC.observation(game.view(faction), faction)
                    == SC.observation(twin.view(faction), faction)), faction
        # The militias see their own secrets: the same change shows in theirs.
        assert SC.observation(game.view(MIL), MIL) != SC.observation(twin.view(MIL), MIL)

    @settings(max_examples=25)
    @given(seed=st.integers(0, 10_000), moves=st.integers(0, 70))
    def test_values_in_unit_range(self, seed, moves):
        game = played(seed, moves)
        for faction in SC.factions:
            vec = SC.observation(game.view(faction), faction)
            assert len(vec) == features.SIZE
            assert all(0.0 <= x <= 1.0 for x in vec)
            assert vec[features.SEGMENT["me"].start + SC.factions.index(faction)] == 1.0

    def test_unknown_arms_are_flagged_not_zeroed_silently(self):
        game = Game.new(SC, 3)
        i = features.SEGMENT["tracks_unknown"].start + T.ARMS
        assert SC.observation(game.view(US), US)[i] == 1.0
        assert SC.observation(game.view(MIL), MIL)[i] == 0.0


# -- PettingZoo ------------------------------------------------------------------
class TestPettingZoo:
    @pytest.fixture(autouse=True)
    def _needs_pettingzoo(self):
        pytest.importorskip("pettingzoo")

    def test_api_test(self):
        from pettingzoo.test import api_test
        from engine.envs.pz import env
        api_test(env(), num_cycles=200)

    def test_seed_test(self):
        from pettingzoo.test import seed_test
        from engine.envs.pz import env
        seed_test(env, num_cycles=200)

    def test_observation_is_the_faction_view_only(self):
        from engine.envs.pz import env
        e = env()
        e.reset(seed=4)
        for _ in range(20):
            agent = e.agent_selection
            mask = e.observe(agent)["action_mask"]
            e.step(int(mask.nonzero()[0][0]))
        before = {a: e.observe(a)["observation"].copy() for a in e.agents}
        e.game = hide_more(e.game, Rng(5))
        for a in OTHERS:
            assert (e.observe(a)["observation"] == before[a]).all(), a
        assert not (e.observe(MIL)["observation"] == before[MIL]).all()

    def test_a_game_ends_with_win_loss_rewards(self):
        from engine.envs.pz import env
        e = env(turns=3)
        e.reset(seed=11)
        totals = dict.fromkeys(e.possible_agents, 0.0)
        rng = Rng(2)
        for agent in e.agent_iter():
            obs, reward, term, trunc, info = e.last()
            totals[agent] += reward
            if term or trunc:
                e.step(None)
                continue
            legal = obs["action_mask"].nonzero()[0]
            assert len(legal) > 0
            e.step(int(legal[rng.below(len(legal))]))
        winners = e.game.outcome().winners
        assert totals == {a: (1.0 if a in winners else -1.0) for a in e.possible_agents}

    def test_shaped_reward_tracks_the_margin(self):
        from engine.envs.pz import env
        e = env(turns=2, shaped=True)
        e.reset(seed=5)
        start = e._margin()
        total = dict.fromkeys(e.possible_agents, 0.0)
        for agent in e.agent_iter():
            obs, reward, term, trunc, _ = e.last()
            total[agent] += reward
            e.step(None if term or trunc else int(obs["action_mask"].nonzero()[0][-1]))
        end = e._margin()
        winners = e.game.outcome().winners
        for a in e.possible_agents:
            terminal = 1.0 if a in winners else -1.0
            assert total[a] == pytest.approx((end[a] - start[a]) / 10 + terminal)

    def test_illegal_action_is_refused(self):
        from engine.envs.pz import env
        from engine.moves import IllegalMoveError
        e = env()
        e.reset(seed=1)
        other = next(f for f in SC.factions if f != e.agent_selection)
        with pytest.raises(IllegalMoveError):
            e.step(table(SC).spans[other][0])

    def test_render_text(self):
        from engine.envs.pz import env
        e = env(render_mode="ansi")
        e.reset(seed=1)
        assert "turn 1/12" in e.render()
        with pytest.raises(ValueError):
            env(render_mode="video")

    def test_render_rgb_array_is_the_map(self):
        from engine.envs.pz import env
        e = env(render_mode="rgb_array")
        e.reset(seed=1)
        frame = e.render()
        assert frame.shape == (560, 800, 3) and str(frame.dtype) == "uint8"
        assert len({tuple(px) for px in frame[::40, ::40].reshape(-1, 3)}) > 5  # a picture, not a blank


# -- OpenSpiel -------------------------------------------------------------------
class TestOpenSpiel:
    @pytest.fixture(autouse=True)
    def _needs_openspiel(self):
        pytest.importorskip("pyspiel")

    @pytest.fixture
    def game(self):
        import pyspiel
        import engine.envs.spiel  # noqa: F401  (registers the game)
        return pyspiel.load_game("python_crossroads", {"turns": 4})

    def test_random_sim_test_with_serialisation(self, game):
        import pyspiel
        pyspiel.random_sim_test(game, num_sims=3, serialize=True, verbose=False)

    def test_full_length_game(self):
        import pyspiel
        import engine.envs.spiel  # noqa: F401
        pyspiel.random_sim_test(pyspiel.load_game("python_crossroads"), num_sims=1, serialize=True,
                                verbose=False)

    def test_replaying_the_history_rebuilds_the_state(self, game):
        import numpy as np
        rs = np.random.RandomState(3)
        state = game.new_initial_state()
        while not state.is_terminal():
            if state.is_chance_node():
                state.apply_action(int(rs.randint(game.max_chance_outcomes())))
            else:
                state.apply_action(int(rs.choice(state.legal_actions())))
        again = game.new_initial_state()
        for a in state.history():
            again.apply_action(a)
        assert again._gs.digest() == state._gs.digest()
        assert again.returns() == state.returns()
        assert sorted(state.returns()).count(1.0) >= 1

    def _midgame(self, game, seed=2, decisions=12):
        import numpy as np
        rs = np.random.RandomState(seed)
        state = game.new_initial_state()
        while (decisions or state.is_chance_node()) and not state.is_terminal():
            if state.is_chance_node():
                state.apply_action(int(rs.randint(game.max_chance_outcomes())))
            else:
                state.apply_action(int(rs.choice(state.legal_actions())))
                decisions -= 1
        return state

    def test_resample_keeps_the_information_state(self, game):
        import numpy as np
        state = self._midgame(game)
        rs = np.random.RandomState(0)
        for player in range(4):
            for _ in range(5):
                other = state.resample_from_infostate(player, rs.uniform)
                assert other.information_state_string(player) == state.information_state_string(player)
                assert other.information_state_tensor(player) == state.information_state_tensor(player)
                assert other.observation_tensor(player) == state.observation_tensor(player)
        # ...while the militias' hidden board is redrawn for the others.
        us = SC.factions.index(US)
        boards = {state.resample_from_infostate(us, rs.uniform)._gs.board for _ in range(10)}
        assert len(boards) > 1

    def test_tensors_hide_what_the_faction_cannot_see(self, game):
        state = self._midgame(game, seed=5)
        twin = state.clone()
        twin._gs = hide_more(Game(SC, state._gs), Rng(1)).state
        for faction in OTHERS:
            p = SC.factions.index(faction)
            assert twin.information_state_tensor(p) == state.information_state_tensor(p)
            assert twin.information_state_string(p) == state.information_state_string(p)
        m = SC.factions.index(MIL)
        assert twin.observation_tensor(m) != state.observation_tensor(m)

    def test_covert_moves_reach_the_others_as_covert(self, game):
        import pyspiel
        import engine.envs.spiel as spiel
        state = self._midgame(pyspiel.load_game("python_crossroads"), seed=9, decisions=30)
        covert = [(f, a) for f, a, public in state._seen if public < 0]
        if not covert:
            pytest.skip("no covert move in this sample")
        mover, action = covert[0]
        text = str(spiel.ACTIONS.move(action))
        for p, f in enumerate(SC.factions):
            assert (text in state.information_state_string(p)) == (f == mover)

    def test_action_strings(self, game):
        state = game.new_initial_state()
        assert state.action_to_string(-1, 3) == "seed 3"
        state.apply_action(3)
        state.apply_action(0)
        player = state.current_player()
        for a in state.legal_actions():
            assert state.action_to_string(player, a).startswith(SC.factions[player] + ":")

    def test_ismcts_plays(self, game):
        import numpy as np
        from open_spiel.python.algorithms import ismcts, mcts
        rs = np.random.RandomState(1)
        bot = ismcts.ISMCTSBot(game, mcts.RandomRolloutEvaluator(1, rs), 2.0, 8, random_state=rs,
                               allow_inconsistent_action_sets=True)
        state = self._midgame(game, decisions=3)
        assert bot.step(state) in state.legal_actions()


class TestOpenSpielSeat:
    def test_needs_the_extra(self, monkeypatch):
        from engine.seats import SeatError, parse_seat
        monkeypatch.setitem(sys.modules, "pyspiel", None)
        monkeypatch.delitem(sys.modules, "engine.envs.spiel", raising=False)
        with pytest.raises(SeatError, match=r"\[rl\]"):
            parse_seat("openspiel:ismcts", "mil")

    @pytest.mark.parametrize("arg", ["mcts", "ismcts:0", "ismcts:x", "ismcts:-3", "ismcts:1.5"])
    def test_bad_arguments(self, arg):
        pytest.importorskip("pyspiel")
        from engine.seats import SeatError, parse_seat
        with pytest.raises(SeatError):
            parse_seat(f"openspiel:{arg}", "mil")

    def test_bare_openspiel_is_ismcts(self):
        pytest.importorskip("pyspiel")
        from engine.seats import parse_seat
        bot = parse_seat("openspiel", "mil").bot("mil")
        assert bot.name == "openspiel:ismcts" and bot.simulations == 40

    def test_plays_a_legal_move_and_replays(self):
        pytest.importorskip("pyspiel")
        from engine.match import Match
        from engine.seats import parse_seats
        moves = []
        for _ in range(2):
            game = Game.new(SC, 8, turns=2)
            match = Match(game, parse_seats("mil=openspiel:ismcts:6", SC.factions, "doctrine"), 8)
            while not game.is_over():
                move = match.bot_choice().move
                assert move in game.legal_moves()
                game.apply(move)
            moves.append(game.history)
        assert moves[0] == moves[1]
