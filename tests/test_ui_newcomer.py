"""What a newcomer needs in the window (issue 15): the live score, consequences in
the preview, turn summaries and call-outs, the briefing, the tutorial, layouts
that fit.  Driven by real pygame events under the dummy video driver."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from engine.seats import parse_seats  # noqa: E402
from engine.ui.app import App  # noqa: E402
from engine.ui.drive import hover, key, play_one, wait_for_human  # noqa: E402
from engine.ui.end import EndScreen  # noqa: E402
from engine.ui.play import GameScreen  # noqa: E402
from engine.ui.shots import scripted  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402

FACTIONS = IRAQ_2020.factions


def solo_app(tmp_path, seed: int = 4, size=(1280, 800), seats: str = "us=human") -> App:
    return App(size, seats=parse_seats(seats, FACTIONS), seed=seed, bot_delay=0.0, saves_dir=tmp_path)


def shown_scores(screen: GameScreen) -> dict[str, int]:
    return {faction: total for _, _, faction, total in screen._score_rows}


class TestLiveScore:
    def test_the_score_shown_is_the_engines_after_every_move_of_a_whole_game(self, tmp_path):
        app = solo_app(tmp_path)
        try:
            key(app, pygame.K_RETURN)  # Start new game
            screen = app.top
            assert isinstance(screen, GameScreen)
            game = screen.session.game
            checked, seen = 0, -1
            for _ in range(200_000):
                if isinstance(app.top, EndScreen):
                    break
                if screen.my_turn() and len(game.history) == seen:
                    play_one(app, scripted)
                app.step(1)
                game = screen.session.game
                if len(game.history) != seen:
                    seen = len(game.history)
                    # what the frame just drew, against the engine's scores for the viewer
                    assert shown_scores(screen) == {f: s.total for f, s in
                                                   game.scores_seen_by(screen.viewer()).items()}
                    checked += 1
            assert game.is_over() and checked > 40
            # the end: the same numbers as the end screen's outcome, seen by the white cell
            assert {f: s.total for f, s in game.scores_seen_by(None).items()} == \
                {f: s.total for f, s in game.outcome().scores.items()}
        finally:
            app.close()

    def test_hovering_a_score_shows_its_breakdown(self, tmp_path):
        app = solo_app(tmp_path)
        try:
            key(app, pygame.K_RETURN)
            screen = app.top
            wait_for_human(app)
            app.step(1)
            row = screen._score_rows[0][0]
            hover(app, row.center)
            tip = screen.tip_at(row.center)
            score = screen.session.game.scores_seen_by("us")["us"]
            assert f"{score.total} points" in tip
            for line in score.lines():  # every term of the victory module, live
                assert line in tip
        finally:
            app.close()
