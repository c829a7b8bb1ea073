"""AI factions: seats, legality, fairness, determinism, doctrine coverage, explanations."""

from __future__ import annotations

import ast
import collections
import pathlib

import attrs
import pytest
from hypothesis import given, settings, strategies as st

import main
from engine.ai import RandomBot
from engine.ai.mcts import END_SCALE, LEVELS, SearchBot, squash
from engine.cli.tournament import play_game, wilson
from engine.game import Game
from engine.match import Match
from engine.rng import Rng
from engine.seats import SeatError, parse_seat, parse_seats
from rules.board import MIL, US
from rules.doctrine import DOCTRINES, SEARCH_LINES, DoctrineBot
from rules.scenario import IRAQ_2020 as SC
from tests.helpers import advance, decision, hide_differently, militias_with_a_twin

ROOT = pathlib.Path(__file__).resolve().parent.parent


class TestSeats:
    def test_every_doctrine_is_a_seat(self):
        for faction, doctrines in DOCTRINES.items():
            for d in doctrines:
                seat = parse_seat(f"doctrine:{d.name}", faction)
                assert seat.bot(faction).doctrine is d
            assert parse_seat("doctrine", faction).bot(faction).doctrine is doctrines[0]

    def test_issue_names(self):
        seats = parse_seats("us=doctrine:tougher-love,goi=doctrine:tehran-leaning,"
                            "mil=doctrine:escalate,pro=doctrine:confrontational", SC.factions)
        assert seats["us"].bot("us").doctrine.name == "tougher_love"
        assert seats["goi"].bot("goi").doctrine.name == "tehran"

    @pytest.mark.parametrize("spec, words", [
        ("doctrine:bogus", "continuity, tougher_love, separation"),
        ("doctrine:peaceful", "continuity, tougher_love, separation"),
        ("ai:extreme", "easy, normal, hard"),
        ("ai", "easy, normal, hard"),
        ("random:x", "takes no argument"),
    ])
    def test_bad_names_list_the_choices(self, spec, words):
        with pytest.raises(SeatError) as err:
            parse_seats(f"us={spec}", SC.factions)
        assert words in str(err.value) and "\n" not in str(err.value)

    def test_unnamed_factions_take_the_default_table_or_are_left_out(self):
        """A table default gives each unnamed faction its own seat (play's default game);
        None leaves them out (a loaded game keeps its saved seats)."""
        table = {"us": "human", "goi": "ai:normal", "mil": "ai:normal", "pro": "doctrine"}
        seats = parse_seats("goi=ai:easy", SC.factions, default=table)
        assert {f: str(s) for f, s in seats.items()} == {
            "goi": "ai:easy", "us": "human", "mil": "ai:normal", "pro": "doctrine"}
        assert set(parse_seats("goi=ai:easy", SC.factions, default=None)) == {"goi"}
        assert {str(s) for s in parse_seats(" mil = random ", SC.factions, default="human").values()} \
            == {"human", "random"}

    def test_levels(self):
        for level in LEVELS:
            assert isinstance(parse_seat(f"ai:{level}", "mil").bot("mil"), SearchBot)

    def test_tournament_bad_arguments_exit_2(self, capsys):
        assert main.main(["tournament", "--games", "1", "--rotate", "ai:extreme"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "easy, normal, hard" in err
        assert main.main(["tournament", "--games", "1", "--rotate", "random", "--seats", "us=random"]) == 2
        with pytest.raises(SystemExit) as exit_:
            main.main(["tournament", "--games", "0"])
        assert exit_.value.code == 2


def small_search() -> SearchBot:
    return SearchBot(6, 2, name="ai:test")


BOT_MAKERS = {
    "random": lambda f: RandomBot(),
    **{f"doctrine:{d.name}": (lambda f, d=d: DoctrineBot(d)) for ds in DOCTRINES.values() for d in ds},
}


class TestLegality:
    """No bot ever submits an illegal move (Game.apply would raise, loudly)."""

    @settings(max_examples=25, deadline=None)
    @given(seed=st.integers(0, 2**31 - 1), data=st.data())
    def test_scripted_bots(self, seed, data):
        bots = {}
        for f in SC.factions:
            names = ["random"] + [f"doctrine:{d.name}" for d in DOCTRINES[f]]
            bots[f] = BOT_MAKERS[data.draw(st.sampled_from(names), label=f)](f)
        game = Game.new(SC, seed)
        rngs = {f: Rng(seed + i) for i, f in enumerate(SC.factions)}
        while not game.is_over():
            f = game.active_faction
            legal = game.legal_moves()
            move = bots[f].choose(decision(game), rngs[f]).move
            assert move in legal
            game.apply(move)

    @settings(max_examples=8, deadline=None)
    @given(seed=st.integers(0, 2**31 - 1), chair=st.sampled_from(("us", "goi", "mil", "pro")))
    def test_search_bot(self, seed, chair):
        game = Game.new(SC, seed, turns=3)
        bot, other, rng = small_search(), RandomBot(), Rng(seed)
        while not game.is_over():
            legal = game.legal_moves()
            move = (bot if game.active_faction == chair else other).choose(decision(game), rng).move
            assert move in legal
            game.apply(move)


class TestHiddenInformation:
    """Two true states differing only in what the faction cannot see give the
    same decision for the same seed."""

    @pytest.mark.parametrize("seed", [2, 5, 11])
    def test_same_view_same_decision(self, seed):
        game = advance(seed, 3)
        while game.active_faction == MIL:  # the militias see covert pieces
            game.apply(RandomBot().choose(decision(game), Rng(seed)).move)
        twin = hide_differently(game)
        assert twin.state.board != game.state.board
        f = game.active_faction
        assert twin.view(f) == game.view(f)
        bots = [SearchBot(30, 3), DoctrineBot(DOCTRINES[f][0]), RandomBot()]
        for bot in bots:
            a = bot.choose(decision(game, True), Rng(99))
            b = bot.choose(decision(twin, True), Rng(99))
            assert a == b, bot.name

    def test_militias_do_not_see_the_deck_or_dice(self):
        game, twin = militias_with_a_twin(4)
        assert twin.view(MIL) == game.view(MIL)
        assert SearchBot(30, 3).choose(decision(game), Rng(1)) == SearchBot(30, 3).choose(decision(twin), Rng(1))

    def test_determinisation_is_consistent_with_the_view(self):
        game = advance(9, 5)
        f = US if game.active_faction != US else "pro"
        view = game.view(f)
        rng = Rng(3)
        for _ in range(20):
            world = SC.determinize(view, f, rng)
            assert SC.view(world.board, f) == view.board
            assert sorted(world.board.deck) == sorted(game.state.board.deck)


class TestDeterminism:
    def test_same_seed_same_move(self):
        game = advance(7, 4)
        d = decision(game, explain=True)
        assert SearchBot(40, 3).choose(d, Rng(5)) == SearchBot(40, 3).choose(d, Rng(5))

    def test_time_cap_is_respected(self):
        ticks = iter(range(1000))
        game = advance(7, 4)
        d = attrs.evolve(decision(game), budget_s=2.5, clock=lambda: float(next(ticks)))
        bot = SearchBot(500, 3)
        bot.choose(d, Rng(1))
        assert bot.last_iterations == 3  # 0 at the start, 3 after three iterations

    @pytest.mark.parametrize("turn_end", [False, True])
    def test_rollouts_stop_at_the_end_of_the_turn(self, turn_end, monkeypatch):
        game = advance(3, 5)
        d = decision(game)
        turns = []
        real = SearchBot._rollout_move

        def spy(g, rng):
            turns.append(g.state.ctx.turn)
            return real(g, rng)

        monkeypatch.setattr(SearchBot, "_rollout_move", staticmethod(spy))
        SearchBot(30, 60, turn_end=turn_end, noise=0.0).choose(d, Rng(2))
        now = game.state.ctx.turn
        assert turns and min(turns) == now
        if turn_end:
            assert max(turns) == now       # never a move of the next turn
        else:
            assert max(turns) > now        # a long horizon runs on into later turns

    def test_whole_tournament_game_replays(self, monkeypatch):
        # play_game hands the bots the wall clock; under load ai:easy's time cap
        # (0.18 s) could fire and cut a search short.  A pinned clock that ticks
        # one microsecond a reading never reaches the cap, so the game is decided
        # by the seed alone, and the readings prove the bots were handed it.
        import engine.cli.tournament as tournament
        readings = []

        class PinnedTime:
            @staticmethod
            def perf_counter() -> float:
                readings.append(1)
                return len(readings) * 1e-6

        monkeypatch.setattr(tournament, "time", PinnedTime)
        seats = "us=ai:easy,goi=doctrine,mil=random,pro=doctrine:confrontational"
        a = play_game(seats, 3, 4)
        first = len(readings)
        b = play_game(seats, 3, 4)
        assert (a.scores, a.winners, a.moves, a.termination) == (b.scores, b.winners, b.moves, b.termination)
        assert len(readings) == 2 * first  # the same searches, read the clock as often
        assert first > 2 * sum(a.moves.values())  # the search itself read it, not only play_game
        assert len(readings) * 1e-6 < LEVELS["easy"].time_cap_s  # the cap never fired


# Every flowchart: the seat doctrines and the lines the searches follow.
FLOWCHARTS = [(f, d) for f, ds in DOCTRINES.items() for d in ds] + list(SEARCH_LINES.items())


class TestDoctrineCoverage:
    """A flowchart step that never fires in real games is a bug."""

    @pytest.mark.slow
    def test_every_step_fires(self):
        """Every step of every seat doctrine, and of the searches' own lines
        (played as the faction's bot against the same opponents)."""
        missing = []
        for faction, d in FLOWCHARTS:
            used: collections.Counter = collections.Counter()
            for opponents in ("random", "doctrine"):
                seats = parse_seats(f"{faction}=doctrine", SC.factions, default=opponents)
                for seed in range(1, 41):
                    game = Game.new(SC, seed)
                    match = Match(game, seats, seed)
                    match.bots[faction] = DoctrineBot(d)
                    while not game.is_over():
                        game.apply(match.bot_choice().move)
                    used.update(match.bots[faction].usage)
            missing += [f"{faction}:{d.name}:{s.name}" for s in d.steps if not used[s.name]]
        assert not missing

    def test_every_doctrine_ends_with_pass(self):
        for _, d in FLOWCHARTS:
            assert d.steps[-1].moves(None) == (("pass",),)
            assert len({s.name for s in d.steps}) == len(d.steps)

    def test_flowcharts_are_documented(self):
        import rules.doctrine as module
        for _, d in FLOWCHARTS:
            for i, step in enumerate(d.steps, 1):
                assert f"{i} {step.name}" in " ".join(module.__doc__.split()), (d.name, step.name)


class TestExplanations:
    def test_search_explains(self):
        game = advance(3, 2)
        choice = SearchBot(60, 3).choose(decision(game, explain=True), Rng(2))
        assert choice.candidates and choice.candidates[0].move == choice.move
        assert all(0.0 <= c.value <= 1.0 and "simulations" in c.reason for c in choice.candidates)
        assert len(choice.explain()) == 1 + len(choice.candidates)

    def test_doctrine_explains(self):
        game = advance(3, 0)
        f = game.active_faction
        choice = DoctrineBot(DOCTRINES[f][0]).choose(decision(game, explain=True), Rng(2))
        assert "step 1" in choice.candidates[0].reason or "step" in choice.reason
        assert choice.candidates[0].move == choice.move

    def test_squash(self):
        assert squash(-0.5, 2.0) == pytest.approx(0.5)
        assert squash(10, 2.0) > 0.99 and squash(-10, 2.0) < 0.01

    def test_a_finished_game_is_won_or_lost(self):
        # A tie is a win; losing by three points is as bad as by ten.
        assert squash(0, END_SCALE) > 0.7 and squash(-1, END_SCALE) < 0.3
        assert squash(-3, END_SCALE) - squash(-10, END_SCALE) < 0.01

    def test_plain_search_still_decides(self):
        # Without noise, prior or relative rewards the search is the textbook one.
        game = advance(5, 3)
        d = decision(game)
        bot = SearchBot(30, 3, noise=0.0, prior=0.0, relative=0.0)
        assert bot.choose(d, Rng(4)).move in d.legal


class TestTournament:
    def test_wilson(self):
        lo, hi = wilson(80, 100)
        assert 0.70 < lo < 0.80 < hi < 0.87
        assert wilson(0, 10)[0] == 0.0

    def test_small_run(self, capsys):
        assert main.main(["tournament", "--games", "2", "--rotate", "doctrine", "--no-progress"]) == 0
        out = capsys.readouterr().out
        assert out.count("| us ") == 4 and "doctrine:continuity" in out


class TestPurity:
    def test_search_reads_no_clock_and_no_global_random(self):
        for path in [ROOT / "engine/ai/mcts.py", ROOT / "engine/ai/__init__.py",
                     ROOT / "rules/doctrine.py", ROOT / "rules/determinize.py"]:
            tree = ast.parse(path.read_text())
            names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                     for a in n.names}
            modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert not ({"time", "random", "pickle"} & (names | modules)), path
