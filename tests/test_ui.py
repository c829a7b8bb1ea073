"""The game window, driven by real pygame events under the dummy video driver."""

from __future__ import annotations

import os
import re
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from engine.game import Game  # noqa: E402
from engine.match import Match  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from engine.ui.app import App  # noqa: E402
from engine.ui.drive import click, key, play_one, wait_for_human  # noqa: E402
from engine.ui.end import EndScreen  # noqa: E402
from engine.ui.menu import MenuScreen, default_bot  # noqa: E402
from engine.ui.play import GameScreen, HandoverScreen  # noqa: E402
from engine.ui.replay import ReplayScreen  # noqa: E402
from engine.ui.session import Replay, Session, entry_lines  # noqa: E402
from engine.ui.shots import NAMES, scripted  # noqa: E402
from rules.board import MIL  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FACTIONS = IRAQ_2020.factions


@pytest.fixture
def app():
    a = App((1280, 800), seed=5, bot_delay=0.0)
    yield a
    a.close()


def random_game(seed: int, moves: int = 10_000):
    game = Game.new(IRAQ_2020, seed)
    match = Match(game, parse_seats("", FACTIONS), seed)
    for _ in range(moves):
        if game.is_over():
            break
        move = match.bot_choice().move
        yield game, move, game.apply(move)


class TestPresentation:
    def test_hidden_things_only_in_the_militias_display(self):
        pres = IRAQ_2020.presentation()
        seen_covert = False
        for seed in (1, 2, 3):
            for game, _, _ in random_game(seed):
                for faction in FACTIONS:
                    display = pres.display(game.view(faction).board, faction)
                    covert = [p for place in display.places for p in place.pieces if p.covert]
                    if faction == MIL:
                        seen_covert |= bool(covert)
                    else:
                        assert not covert
                        assert all("covert" not in holder for _, holder, _ in display.posts)
        assert seen_covert

    def test_the_log_hides_covert_moves_from_the_others(self):
        hidden = 0
        for seed in range(1, 6):
            moves = [move for _, move, _ in random_game(seed)]
            replay = Replay(IRAQ_2020, seed, IRAQ_2020.default_turns, moves)
            for entry in replay.entries[1:]:
                if not entry.covert:
                    continue
                mover = entry.move.faction
                for faction in FACTIONS:
                    text = "\n".join(entry_lines(IRAQ_2020, entry, faction))
                    if faction == mover:
                        assert entry.summary in text
                    else:
                        hidden += 1
                        assert "a covert action" in text
                        assert str(entry.move) not in text and entry.summary not in text
                        assert not entry.seen_by(faction)
                assert entry.summary in "\n".join(entry_lines(IRAQ_2020, entry, None))
        assert hidden

    def test_places_of_moves_are_map_spaces(self):
        import json
        spaces = set(json.loads((ROOT / "assets" / "map.json").read_text())["spaces"])
        pres = IRAQ_2020.presentation()
        assert {p.id for p in pres.display(Game.new(IRAQ_2020, 1).view(None).board, None).places} == spaces
        for kind in IRAQ_2020.registry.kinds():
            from engine.moves import Move
            for args in kind.domain:
                assert set(pres.places_of(Move(kind.faction, kind.name, args))) <= spaces


class TestSession:
    def test_bots_in_the_worker_play_as_headless(self):
        seats = parse_seats("", FACTIONS)
        session = Session(IRAQ_2020, seats, 11)
        while not session.game.is_over():
            session.start_bot()
            got = None
            while got is None:
                got = session.poll_bot()
            session.apply_bot(*got)
        headless = Game.new(IRAQ_2020, 11)
        match = Match(headless, seats, 11)
        while not headless.is_over():
            headless.apply(match.bot_choice().move)
        assert session.game.state_hash() == headless.state_hash()

    def test_undo_takes_back_the_last_human_move_and_the_replies(self):
        session = Session(IRAQ_2020, parse_seats("us=human", FACTIONS), 4)
        while not session.human_to_move():
            session.start_bot()
            got = None
            while got is None:
                got = session.poll_bot()
            session.apply_bot(*got)
        before, n = session.game.state_hash(), len(session.entries)
        session.apply(session.legal()[0])
        assert session.undo()
        assert session.game.state_hash() == before and len(session.entries) == n
        assert not session.undo()

    def test_no_undo_in_hot_seat(self):
        session = Session(IRAQ_2020, parse_seats("us=human,goi=human", FACTIONS), 4)
        assert not session.undo_allowed


class TestWindow:
    def test_whole_game_as_the_us_against_three_ai_seats(self, app):
        menu = app.top
        assert isinstance(menu, MenuScreen)
        bot = default_bot()
        assert [c.value for c in menu.seat_cyclers.values()] == ["human", bot, bot, bot]
        click(app, menu.buttons[0].rect.center)  # Start new game
        screen = app.top
        assert isinstance(screen, GameScreen)
        used_keys = False
        moves = 0
        while wait_for_human(app) and isinstance(app.top, GameScreen):
            if not used_keys:  # the keyboard path once: Down selects, Enter confirms
                key(app, pygame.K_DOWN)
                assert screen.selected is not None
                key(app, pygame.K_RETURN)
                used_keys = True
            else:
                assert play_one(app, scripted)
            moves += 1
        assert app.step_until(lambda: isinstance(app.top, EndScreen), 3000)
        end = app.top
        assert end.outcome is not None and moves > 10
        assert set(end.outcome.scores) == set(FACTIONS)
        # The human's moves are in the log as the US saw them; the bots' too.
        session = screen.session
        assert sum(1 for e in session.entries if e.move and not e.by_bot) == moves
        assert any(e.by_bot for e in session.entries)
        click(app, end.buttons[0].rect.center)  # Replay
        assert isinstance(app.top, ReplayScreen)

    def test_map_click_filters_the_moves(self, app):
        key(app, pygame.K_RETURN)
        screen = app.top
        wait_for_human(app)
        move = next(m for m in screen._legal if screen.session.presentation.places_of(m))
        place = screen.session.presentation.places_of(move)[0]
        click(app, screen.map.screen_box(place).center)
        assert screen.filter == place
        listed = [k for k in screen.moves.keys()]
        assert listed and all(place in screen.session.presentation.places_of(m) for m in listed)
        key(app, pygame.K_ESCAPE)
        assert screen.filter is None

    def test_pause_speed_why_and_undo_keys(self, app):
        key(app, pygame.K_RETURN)
        screen = app.top
        wait_for_human(app)
        key(app, pygame.K_SPACE)
        assert screen.paused
        key(app, pygame.K_SPACE)
        assert not screen.paused
        key(app, pygame.K_w)
        assert screen.show_why
        before = screen.session.game.state_hash()
        play_one(app, scripted)
        key(app, pygame.K_z, mod=pygame.KMOD_CTRL)
        assert screen.session.game.state_hash() == before

    def test_hot_seat_hides_the_board_between_players(self, app):
        menu = app.top
        menu.seat_cyclers["goi"].set("human")
        key(app, pygame.K_RETURN)
        assert app.step_until(lambda: isinstance(app.top, HandoverScreen), 3000)
        first = app.top.faction
        key(app, pygame.K_RETURN)
        screen = app.top
        assert isinstance(screen, GameScreen) and screen.confirmed == first
        while wait_for_human(app) and isinstance(app.top, GameScreen) and screen.session.active == first:
            play_one(app, scripted)
        assert app.step_until(lambda: isinstance(app.top, HandoverScreen), 3000)
        handover = app.top
        assert handover.faction != first and handover.opaque
        click(app, handover.ready.rect.center)
        assert screen.confirmed == handover.faction and screen.viewer() == handover.faction

    def test_window_lays_out_again_when_resized(self, app):
        key(app, pygame.K_RETURN)
        screen = app.top
        old = screen.map_rect.copy()
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1600, h=1000, size=(1600, 1000)))
        app.step(2)
        assert app.screen.get_size() == (1600, 1000)
        assert screen.map_rect.w > old.w and screen.right_rect.right <= 1600
        assert screen.log_rect.bottom <= 1000

    def test_help_overlay_and_tooltips(self, app):
        key(app, pygame.K_F1)
        assert app.show_help
        key(app, pygame.K_ESCAPE)
        assert not app.show_help
        assert app.running
        tip = app.top.tip_at(app.top.buttons[0].rect.center)
        assert "Enter" in tip


class TestReplay:
    def test_step_back_and_forth(self, app):
        session = Session(IRAQ_2020, parse_seats("", FACTIONS), 9, turns=4)
        while not session.game.is_over():
            session.start_bot()
            got = None
            while got is None:
                got = session.poll_bot()
            session.apply_bot(*got)
        replay = Replay.of(session)
        assert replay.games[-1].state_hash() == session.game.state_hash()
        screen = app.push(ReplayScreen(app, replay))
        app.step(1)
        for _ in range(5):
            key(app, pygame.K_RIGHT)
        assert screen.index == 5
        key(app, pygame.K_LEFT)
        assert screen.index == 4
        log_text = [row[0] for row in screen.log.rows]
        assert any(row[1] == pygame.Color(0, 0, 0) or row[1] for row in screen.log.rows)
        assert len(log_text) == sum(len(screen.entry_lines(e, None)) for e in replay.entries[:5])
        key(app, pygame.K_END)
        assert screen.index == len(replay) - 1
        key(app, pygame.K_HOME)
        assert screen.index == 0
        key(app, pygame.K_PAGEDOWN)
        assert screen.index == replay.turn_starts[1]
        key(app, pygame.K_PAGEDOWN)
        assert screen.index == replay.turn_starts[2]
        key(app, pygame.K_PAGEUP)
        assert screen.index == replay.turn_starts[1]
        # The slider: a click in the middle lands mid-game.
        click(app, screen.slider.rect.center)
        assert abs(screen.index - (len(replay) - 1) / 2) <= 1
        # Play, then pause.
        start = screen.index
        key(app, pygame.K_SPACE)
        app.step(180)  # three seconds at one move a second
        key(app, pygame.K_SPACE)
        assert screen.index > start and not screen.playing
        # The viewpoint hides secrets in a faction's view.
        key(app, pygame.K_v)
        assert screen.faction == FACTIONS[0]
        key(app, pygame.K_ESCAPE)
        assert not isinstance(app.top, ReplayScreen)


class TestScreenshotCommand:
    def test_saves_every_screen(self, tmp_path):
        from main import main
        assert main(["screenshot", "--out", str(tmp_path)]) == 0
        for name in NAMES:
            path = tmp_path / name
            assert path.exists()
            surf = pygame.image.load(str(path))
            assert surf.get_size() == (1280, 800)
            colours = {tuple(surf.get_at((x, y))) for x in range(0, 1280, 37) for y in range(0, 800, 29)}
            assert len(colours) > 8, f"{name} looks blank"

    def test_bad_size_is_one_line(self, tmp_path, capsys):
        from main import main
        assert main(["screenshot", "--out", str(tmp_path), "--size", "huge"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--size" in err


class TestBoundaries:
    def test_pygame_only_in_engine_ui_and_main(self):
        pattern = re.compile(r"^\s*(import|from)\s+pygame", re.M)
        for path in list((ROOT / "engine").rglob("*.py")) + list((ROOT / "rules").rglob("*.py")):
            if "ui" in path.relative_to(ROOT / "engine").parts if path.is_relative_to(ROOT / "engine") else False:
                continue
            assert not pattern.search(path.read_text()), path
