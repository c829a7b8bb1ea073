"""Properties over random legal games (hypothesis, 200 examples each in CI).

* every track stays in its range, pieces are conserved, posts are valid;
* an illegal move is refused with a reason and leaves the state exactly unchanged;
* a faction's view never holds another faction's hidden information, and two
  states that differ only in hidden things look the same to it;
* the same seed and moves give the same game, hash for hash.
"""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import flow
from engine.game import Game
from engine.moves import IllegalMoveError, Move
from engine.rng import Rng
from helpers import SCENARIO, total_pieces
from rules.board import (COVERT, HI, K_COVERT, KINDS, LO, MIL, POOL, PROFESSIONAL, TOTALS, Attack,
                         S, T, at)

seeds = st.integers(min_value=0, max_value=10**6)
choices = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=120)


def play(seed: int, picks: list[int], check=None) -> Game:
    game = Game.new(SCENARIO, seed)
    for pick in picks:
        if game.is_over():
            break
        legal = game.legal_moves()
        assert legal, f"no legal move in phase {game.ctx.phase}"
        game.apply(legal[pick % len(legal)])
        if check:
            check(game)
    return game


def assert_invariants(game: Game) -> None:
    board = game.board
    for t, value in enumerate(board.tracks):
        assert LO[t] <= value <= HI[t], (t, value)
    assert total_pieces(board) == TOTALS
    assert min(board.pieces) >= 0 and min(board.pool) >= 0
    assert all(h in (0, 1, 2) for h in board.posts)
    # Only plain ints in the state (an IntEnum would hash differently after a save).
    for a in board.attacks:
        assert type(a.space) is int and type(a.turn) is int
    for space, _ in board.orders:
        assert type(space) is int
    assert all(type(v) is int for v in board.tracks + board.pieces + board.pool + board.posts)
    ctx = game.ctx
    assert ctx.phase in (flow.ACTIONS, flow.GAME_OVER)
    if ctx.phase == flow.ACTIONS:
        assert ctx.actions_left >= 1 and ctx.active_faction in SCENARIO.factions
        assert sorted(ctx.order) == sorted(SCENARIO.factions)
    else:
        assert ctx.termination is not None and game.outcome() is not None


class TestInvariants:
    @given(seeds, choices)
    def test_ranges_and_conservation_hold(self, seed, picks):
        play(seed, picks, assert_invariants)

    @given(seeds, choices, st.integers(0, 10**6), st.integers(0, 10**6))
    def test_illegal_moves_change_nothing(self, seed, picks, kind_pick, arg_pick):
        game = play(seed, picks)
        kinds = SCENARIO.registry.kinds()
        kind = kinds[kind_pick % len(kinds)]
        args = kind.domain[arg_pick % len(kind.domain)]
        move = Move(kind.faction, kind.name, args)
        if move in game.legal_moves():
            return
        before, history, digest = game.state, game.history, game.state_hash()
        try:
            game.apply(move)
        except IllegalMoveError as err:
            assert err.reasons and all(isinstance(r, str) and r for r in err.reasons)
        else:
            raise AssertionError(f"{move} was applied although not legal")
        assert game.state is before and game.history == history and game.state_hash() == digest

    @given(seeds, choices)
    def test_garbled_arguments_are_refused(self, seed, picks):
        game = play(seed, picks)
        if game.is_over():
            return
        faction = game.active_faction
        for kind in SCENARIO.registry.kinds(faction):
            move = Move(faction, kind.name, ("nowhere", "never"))
            reasons = game.refusals(move)
            assert reasons and "does not take" in reasons[0]


def hide_differently(board, rng: Rng):
    """A board that differs from ``board`` only in what non-militia factions cannot see."""
    pieces = list(board.pieces)
    covert = sum(pieces[K_COVERT::KINDS])
    pieces[K_COVERT::KINDS] = [0] * len(S)
    for _ in range(covert):
        pieces[at(rng.below(len(S)), K_COVERT)] += 1
    posts = tuple(PROFESSIONAL if h == COVERT and rng.below(2) else
                  COVERT if h == PROFESSIONAL and rng.below(3) == 0 else h for h in board.posts)
    attacks = tuple(a if a.attributed else Attack(a.space, rng.choice(["mil", "isis", "iran"]),
                                                  a.lethal, False, a.turn) for a in board.attacks)
    deck = tuple(rng.shuffled(board.deck))
    orders = tuple((rng.below(len(S)), rng.choice(["harassment", "lethal"]))
                   for _ in range(rng.below(3)))
    tracks = list(board.tracks)
    tracks[T.ARMS] = rng.below(11)
    pool = list(board.pool)
    pool[POOL[MIL]] += rng.below(3)  # more cells in reserve (views never count them)
    return attrs.evolve(board, pieces=tuple(pieces), posts=posts, attacks=attacks, deck=deck,
                        orders=orders, tracks=tuple(tracks), pool=tuple(pool))


class TestHiddenInformation:
    @given(seeds, choices)
    def test_views_hold_no_secrets(self, seed, picks):
        game = play(seed, picks)
        for faction in SCENARIO.factions:
            view = game.view(faction).board
            assert game.view(faction).rng == 0
            assert list(view.deck) == sorted(game.board.deck)
            for a in view.attacks:
                assert a.attributed or a.by in ("?", faction)
            if faction != MIL:
                assert sum(view.pieces[K_COVERT::KINDS]) == 0
                assert COVERT not in view.posts

    @given(seeds, choices, st.integers(0, 10**6))
    def test_hidden_changes_are_invisible(self, seed, picks, salt):
        game = play(seed, picks)
        twin_board = hide_differently(game.board, Rng(salt))
        twin = Game(SCENARIO, attrs.evolve(game.state, board=twin_board, rng=salt))
        for faction in SCENARIO.factions:
            if faction == MIL:
                continue
            assert game.view(faction) == twin.view(faction)
            if game.active_faction == faction:
                # Legality and previews never depend on what the mover cannot see.
                assert game.legal_moves() == twin.legal_moves()
                for move in game.legal_moves():
                    assert game.explain(move).lines() == twin.explain(move).lines()

    @given(seeds, choices)
    def test_active_faction_sees_its_own_legal_moves(self, seed, picks):
        game = play(seed, picks)
        faction = game.active_faction
        if faction is None:
            return
        view_game = Game(SCENARIO, game.view(faction))
        if faction != MIL:
            assert view_game.legal_moves() == game.legal_moves()


class TestSecretLog:
    @given(seeds, choices)
    def test_public_lines_never_tell_a_covert_move(self, seed, picks):
        game = Game.new(SCENARIO, seed)
        for pick in picks:
            if game.is_over():
                break
            legal = game.legal_moves()
            move = legal[pick % len(legal)]
            game.apply(move)
            public = [line.text for line in game.last_log if line.audience is None]
            if game.public_move(move) != str(move):
                assert not any(str(move) in text for text in public)
                # Only the mover (or no player at all: the white cell's lines on ISIS's
                # own dice) may read anything but the public lines.
                assert all(line.audience in (None, move.faction)
                           or line.audience not in SCENARIO.factions for line in game.last_log)


class TestDeterminism:
    @settings(max_examples=50)
    @given(seeds, choices)
    def test_same_seed_same_hashes(self, seed, picks):
        hashes = []
        play(seed, picks, lambda g: hashes.append(g.state_hash()))
        again = []
        play(seed, picks, lambda g: again.append(g.state_hash()))
        assert hashes == again


class TestFastLegality:
    @given(seeds, choices)
    def test_fast_generators_agree_with_the_rules_reasons(self, seed, picks):
        game = play(seed, picks)
        board = game.board
        registry = SCENARIO.registry
        for faction in SCENARIO.factions:
            assert registry.legal(board, faction) == registry.legal_by_validation(board, faction)


class TestSecretTracks:
    @given(seeds, choices)
    def test_public_lines_never_mention_the_militias_arms(self, seed, picks):
        def check(game):
            for line in game.last_log:
                if line.audience in (None, "us", "goi", "pro"):
                    assert "arms and funds" not in line.text, line.text
        play(seed, picks, check)
