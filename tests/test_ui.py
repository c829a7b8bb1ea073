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
from engine.record import load, load_match  # noqa: E402
from engine.ui import theme  # noqa: E402
from engine.ui.drive import click, key, play_one, wait_for_human  # noqa: E402
from engine.ui.files import FileScreen, SaveScreen  # noqa: E402
from engine.ui.end import EndScreen  # noqa: E402
from engine.ui.menu import MenuScreen, default_bot  # noqa: E402
from engine.ui.play import GameScreen, HandoverScreen  # noqa: E402
from engine.ui.replay import ReplayScreen  # noqa: E402
from engine.ui.session import Replay, Session, entry_lines  # noqa: E402
from engine.ui.shots import NAMES, scripted  # noqa: E402
from rules.board import MIL  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402
from tests.helpers import bot_move  # noqa: E402

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
            replay = Replay.of_moves(IRAQ_2020, seed, IRAQ_2020.default_turns, moves)
            for entry in replay.entries_upto(len(replay) - 1)[1:]:
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
            bot_move(session)
        headless = Game.new(IRAQ_2020, 11)
        match = Match(headless, seats, 11)
        while not headless.is_over():
            headless.apply(match.bot_choice().move)
        assert session.game.state_hash() == headless.state_hash()

    def test_undo_takes_back_the_last_human_move_and_the_replies(self):
        session = Session(IRAQ_2020, parse_seats("us=human", FACTIONS), 4)
        while not session.human_to_move():
            bot_move(session)
        before, n = session.game.state_hash(), len(session.entries)
        session.apply(session.legal()[0])
        assert session.undo()
        assert session.game.state_hash() == before and len(session.entries) == n
        assert session.record.entries[-1].type == "undo"  # through the recorder
        assert session.record.game_at(len(session.record)).state_hash() == before
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
    def test_a_real_save_stepped_back_and_forth_by_events(self, tmp_path):
        fixture = next((ROOT / "tests" / "data").glob("save-format2-seed*.json"))
        path = tmp_path / fixture.name
        path.write_bytes(fixture.read_bytes())
        record = load(path)
        a = App((1280, 800), seed=5, bot_delay=0.0, saves_dir=tmp_path)
        try:
            key(a, pygame.K_r)  # the menu's "Replay a save"
            files = a.top
            assert isinstance(files, FileScreen) and files.mode == "replay"
            assert [f.name for f in files.files] == [path.name]
            key(a, pygame.K_RETURN)
            screen = a.top
            assert isinstance(screen, ReplayScreen)
            replay = screen.replay
            assert len(replay) == len(record) + 1 and screen.index == 0

            def shown_log():
                return [row[0] for row in screen.log.rows]

            def expected_log(index, faction=None):
                return [line for i in range(index + 1)
                        for line in screen.entry_lines(replay.entry(i), faction)]

            for _ in range(5):
                key(a, pygame.K_RIGHT)
            assert screen.index == 5
            assert replay.game(5).state_hash() == record.hash_at(5)
            assert shown_log() == expected_log(5)
            key(a, pygame.K_LEFT)
            assert screen.index == 4 and shown_log() == expected_log(4)
            assert any(row[1] == theme.SELECT for row in screen.log.rows)  # the current move is lit
            # The top bar says where we are.
            assert screen.where_text().startswith(f"Move 4 of {len(record)}")
            # Turn jumps land on Record.turn_starts().
            starts = record.turn_starts()
            key(a, pygame.K_HOME)
            key(a, pygame.K_PAGEDOWN)
            assert screen.index == min(p for p in starts.values() if p > 0)
            key(a, pygame.K_t)
            assert screen.turn_of(screen.index) == 3 and screen.index == starts[3]
            key(a, pygame.K_PAGEUP)
            assert screen.index == starts[2]
            # The undo entry of the save: the move is shown taken back, the map is before it.
            undo_at = next(i for i, e in enumerate(record.entries, 1) if e.type == "undo")
            screen.seek(undo_at - 1)
            key(a, pygame.K_RIGHT)
            assert screen.index == undo_at
            assert shown_log()[-1].startswith("Undo: ") and shown_log()[-1].endswith("is taken back")
            assert replay.game(undo_at).state_hash() == record.hash_at(undo_at - 2)
            # The slider: a click in the middle lands mid-game.
            click(a, screen.slider.rect.center)
            assert abs(screen.index - (len(replay) - 1) / 2) <= 1
            start = screen.index
            key(a, pygame.K_SPACE)
            a.step(180)  # three seconds at one move a second
            key(a, pygame.K_SPACE)
            assert screen.index > start and not screen.playing
            assert shown_log() == expected_log(screen.index)
            key(a, pygame.K_END)
            assert replay.game(screen.index).state_hash() == record.hashes[-1]
            key(a, pygame.K_v)  # a faction's view: its log only
            assert screen.faction == FACTIONS[0] and shown_log() == expected_log(screen.index, FACTIONS[0])
            key(a, pygame.K_ESCAPE)
            assert isinstance(a.top, MenuScreen)
        finally:
            a.close()
        assert path.read_bytes() == fixture.read_bytes()  # only ever read

    def test_end_screen_replay_is_the_games_record(self, app):
        session = Session(IRAQ_2020, parse_seats("", FACTIONS), 9, turns=2)
        while not session.game.is_over():
            bot_move(session)
        replay = Replay.of_session(session)
        assert replay.record is session.record
        assert replay.game(len(replay) - 1).state_hash() == session.game.state_hash()
        assert replay.entry(3).reason  # bots' reasons come along
        screen = app.push(ReplayScreen(app, replay))
        key(app, pygame.K_END)
        assert screen.index == len(replay) - 1


def unfinished_save(path: Path, seed: int = 3, moves: int = 9) -> Path:
    """A save of a game in progress (the US human to move after a few bot moves)."""
    from engine.record import Recorder, save
    rec = Recorder.new(IRAQ_2020, seed, 4, parse_seats("us=human", FACTIONS), "2020-01-03T00:00:00Z")
    for _ in range(moves):
        game = rec.game
        move = game.legal_moves()[0] if rec.match.human_to_move() else rec.match.bot_choice().move
        rec.apply(move)
    while not rec.match.human_to_move():
        rec.apply(rec.match.bot_choice().move)
    rec.sync_bots()
    save(rec.record, path)
    return path


class TestSaves:
    def new_game(self, tmp_path, seats: str = "us=human", turns: int = 12, seed: int = 5) -> App:
        a = App((1280, 800), seats=parse_seats(seats, FACTIONS), seed=seed, bot_delay=0.0,
                saves_dir=tmp_path)
        a.top.length.set(str(turns))
        key(a, pygame.K_RETURN)
        assert any(isinstance(screen, GameScreen) for screen in a.stack)
        return a

    def save_by_events(self, a: App, name: str) -> Path:
        key(a, pygame.K_s, mod=pygame.KMOD_CTRL)
        box = a.top
        assert isinstance(box, SaveScreen)
        for _ in range(len(box.text)):
            key(a, pygame.K_BACKSPACE)
        for ch in name:
            key(a, 0, unicode=ch)
        key(a, pygame.K_RETURN)
        assert not isinstance(a.top, SaveScreen), box.message
        return Path(box.directory) / (name + ".json")

    def test_save_from_the_window_loads_back(self, tmp_path):
        a = self.new_game(tmp_path)
        try:
            screen = a.top
            for _ in range(3):
                wait_for_human(a)
                play_one(a, scripted)
            wait_for_human(a)
            path = self.save_by_events(a, "my game")
            assert path.exists() and "Saved to" in screen.message
            match, record = load_match(path)
            assert match.game.state_hash() == screen.session.game.state_hash()
            assert record.moves == [str(m) for m in screen.session.game.history]
            # Saving again under the same name asks first; the second Enter replaces it.
            play_one(a, scripted)
            wait_for_human(a)
            key(a, pygame.K_s, mod=pygame.KMOD_CTRL)
            box = a.top
            box.text = "my game"
            key(a, pygame.K_RETURN)
            assert a.top is box and "exists" in box.message
            key(a, pygame.K_RETURN)
            assert a.top is screen
            assert load(path).game_at(len(load(path))).state_hash() == screen.session.game.state_hash()
            # A name with a folder in it is refused in one line.
            key(a, pygame.K_s, mod=pygame.KMOD_CTRL)
            a.top.text = "../escape"
            key(a, pygame.K_RETURN)
            assert isinstance(a.top, SaveScreen) and "\n" not in a.top.message and a.top.message
            key(a, pygame.K_ESCAPE)
            assert a.top is screen and not (tmp_path.parent / "escape.json").exists()
        finally:
            a.close()

    def test_undo_in_a_solo_game_is_recorded_in_the_save(self, tmp_path):
        a = self.new_game(tmp_path)
        try:
            screen = a.top
            session = screen.session
            wait_for_human(a)
            before = session.game.state_hash()
            play_one(a, scripted)
            wait_for_human(a)  # the bots answer
            key(a, pygame.K_z, mod=pygame.KMOD_CTRL)
            assert session.game.state_hash() == before
            assert session.record.entries[-1].type == "undo"
            path = self.save_by_events(a, "undone")
            record = load(path)
            assert [e.type for e in record.entries].count("undo") >= 1
            assert record.game_at(len(record)).state_hash() == before
            assert record.summary().undos == sum(1 for e in session.record.entries if e.type == "undo")
        finally:
            a.close()

    def test_no_undo_in_hot_seat(self, tmp_path):
        a = self.new_game(tmp_path, "us=human,goi=human")
        try:
            session = next(x for x in a.stack if isinstance(x, GameScreen)).session
            assert not session.undo_allowed and not session.can_undo()
        finally:
            a.close()

    def test_autosave_after_a_turn(self, tmp_path):
        a = self.new_game(tmp_path, turns=3)
        try:
            session = a.top.session
            assert not list(tmp_path.glob("autosave-*.json"))
            while wait_for_human(a) and session.game.ctx.turn < 2:
                play_one(a, scripted)
            autosaves = sorted(tmp_path.glob("autosave-*.json"))
            assert len(autosaves) == 1 and "-t02-" in autosaves[0].name
            record = load(autosaves[0])
            assert record.game_at(len(record)).ctx.turn == 2
            assert record.hashes == session.record.hashes[:len(record)]
            assert session.last_autosave == autosaves[0]
        finally:
            a.close()

    def test_load_from_the_menu_lists_newest_first_and_refuses_bad_files(self, tmp_path):
        older = unfinished_save(tmp_path / "older.json")
        original = older.read_bytes()
        os.utime(older, (1_000_000_000, 1_000_000_000))
        bad = tmp_path / "bad.json"
        bad.write_text('{"header": {"format": "crossroads-save", "format_version": 2}}')
        a = App((1280, 800), seed=5, bot_delay=0.0, saves_dir=tmp_path)
        try:
            key(a, pygame.K_l)
            files = a.top
            assert isinstance(files, FileScreen) and files.mode == "load"
            assert [f.name for f in files.files] == ["bad.json", "older.json"]
            key(a, pygame.K_RETURN)  # the bad file: one line in the window, no crash
            assert a.top is files and a.running
            assert files.message.startswith("bad.json: ") and "\n" not in files.message
            assert bad.read_text() == '{"header": {"format": "crossroads-save", "format_version": 2}}'
            key(a, pygame.K_DOWN)
            assert files.message == ""
            row = files.list.row_rect(1)
            click(a, row.center)  # already chosen by the arrow key: a click opens it
            screen = a.top
            assert isinstance(screen, GameScreen) and isinstance(a.stack[0], MenuScreen)
            record = load(older)
            assert screen.session.game.state_hash() == record.hashes[-1]
            assert len(screen.session.entries) == len(record.moves) + 1  # the log, rebuilt
            wait_for_human(a)
            assert screen.my_turn()  # the game goes on
            play_one(a, scripted)
            assert screen.session.record.moves[:len(record.moves)] == record.moves
            assert older.read_bytes() == original
        finally:
            a.close()

    def test_play_load_opens_the_window_on_the_saved_game(self, tmp_path, monkeypatch):
        from engine.ui import app as app_module
        from main import main
        assert app_module.RESUMES_SAVES
        path = unfinished_save(tmp_path / "resume.json")
        original = path.read_bytes()
        seen = {}

        def fake_run(self):
            self.step(2)
            seen["top"] = self.top
            seen["hash"] = self.top.session.game.state_hash() if isinstance(self.top, GameScreen) else None
            seen["below"] = [type(s).__name__ for s in self.stack]
            self.close()
            return 0
        monkeypatch.setattr(App, "run", fake_run)
        assert main(["play", "--load", str(path), "--autosave-dir", str(tmp_path)]) == 0
        assert seen["hash"] == load(path).hashes[-1]
        assert seen["below"][0] == "MenuScreen"
        assert main(["replay", str(path)]) == 0
        assert isinstance(seen["top"], ReplayScreen) and seen["top"].replay.title == "resume.json"
        assert path.read_bytes() == original


class TestScreenshotCommand:
    def test_saves_every_screen(self, tmp_path):
        from main import main
        assert main(["screenshot", "--out", str(tmp_path)]) == 0
        for name in NAMES:
            path = tmp_path / name
            assert path.exists()
            surf = pygame.image.load(str(path))
            w, h = (960, 640) if "960x640" in name else (1280, 800)
            assert surf.get_size() == (w, h)
            colours = {tuple(surf.get_at((x, y))) for x in range(0, w, 37) for y in range(0, h, 29)}
            assert len(colours) > 8, f"{name} looks blank"

    def test_bad_size_is_one_line(self, tmp_path, capsys):
        from main import main
        assert main(["screenshot", "--out", str(tmp_path), "--size", "huge"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--size" in err

    def test_help_and_readme_name_every_screen_it_saves(self, capsys):
        # Review r1: --help named 5 of the 15 screens, the README 14.
        from main import main
        with pytest.raises(SystemExit):
            main(["screenshot", "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert f"({len(NAMES)} files, {NAMES[0]} to {NAMES[-1]})" in text
        assert "dashboard" in text
        readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
        block = readme[readme.index("python main.py screenshot --out shots/"):]
        block = " ".join(block[:block.index("no window needed")].split())
        assert "dashboard" in block


class TestBoundaries:
    def test_pygame_only_in_engine_ui_and_main(self):
        pattern = re.compile(r"^\s*(import|from)\s+pygame", re.M)
        for path in list((ROOT / "engine").rglob("*.py")) + list((ROOT / "rules").rglob("*.py")):
            if "ui" in path.relative_to(ROOT / "engine").parts if path.is_relative_to(ROOT / "engine") else False:
                continue
            assert not pattern.search(path.read_text()), path


def wait_for_report(a: App, job, max_seconds: float = 60.0) -> int:
    """Step the window while the report is written; returns the frames drawn meanwhile."""
    import time
    frames = a.frames
    deadline = time.monotonic() + max_seconds
    while job.busy and time.monotonic() < deadline:
        a.step(1)
        time.sleep(0.005)
    a.step(1)  # the screen polls the finished job
    assert not job.busy
    return a.frames - frames


def solo_session_played_out(seed: int = 9, turns: int = 2) -> Session:
    session = Session(IRAQ_2020, parse_seats("us=human", FACTIONS), seed, turns=turns)
    while not session.game.is_over():
        if session.human_to_move():
            session.apply(session.legal()[0])
        else:
            bot_move(session)
    return session


class TestReportsAndNotes:
    def test_export_from_the_end_screen_writes_the_report(self, tmp_path):
        a = App((1280, 800), seed=5, bot_delay=0.0, saves_dir=tmp_path)
        try:
            session = solo_session_played_out()
            end = a.push(EndScreen(a, session))
            assert any(b.label == "Export report" for b in end.buttons)
            key(a, pygame.K_e)  # the player's report (the US's view)
            assert end.job.busy and "Writing" in end.message
            drawn = wait_for_report(a, end.job)
            assert drawn > 1  # the window kept drawing: the report is written off the loop
            assert end.message.startswith("Report written:"), end.message
            html = tmp_path / "reports" / f"{end.report_stem()}-us" / "report.html"
            assert html.is_file() and html.stat().st_size > 0
            assert str(Path(end.message.split(": ", 1)[1]).name) == "report.html"
            # The full report, by its button.
            full = next(b for b in end.buttons if b.label == "Full report")
            click(a, full.rect.center)
            wait_for_report(a, end.job)
            assert (tmp_path / "reports" / f"{end.report_stem()}-white" / "report.html").stat().st_size > 0
            assert {"E", "F"} <= {k for k, _ in end.help_lines()}
        finally:
            a.close()

    def test_a_failed_export_is_one_line(self, tmp_path):
        (tmp_path / "reports").write_text("not a folder", encoding="utf-8")
        a = App((1280, 800), seed=5, bot_delay=0.0, saves_dir=tmp_path)
        try:
            end = a.push(EndScreen(a, solo_session_played_out(turns=1)))
            key(a, pygame.K_e)
            wait_for_report(a, end.job)
            assert end.message.startswith("Report not written:") and "\n" not in end.message
            assert "Traceback" not in end.message
        finally:
            a.close()

    def test_a_note_in_a_game_is_saved_and_shown_in_the_replay(self, tmp_path):
        a = TestSaves().new_game(tmp_path, turns=3)
        try:
            screen = a.top
            session = screen.session
            for _ in range(2):
                wait_for_human(a)
                play_one(a, scripted)
            wait_for_human(a)  # the bots have answered: the note is on the US's last move
            mine = session.last_move_of("us")
            assert session.game.history[mine - 1].faction == "us" and mine < len(session.game.history)
            key(a, pygame.K_n)
            box = a.top
            assert box is not screen and box.title.startswith(f"Note on move {mine}")
            for ch in "Hold the bridges":
                key(a, 0, unicode=ch)
            key(a, pygame.K_RETURN)
            assert a.top is screen and f"on move {mine} saved" in screen.message
            key(a, pygame.K_b)
            for ch in "Turning point":
                key(a, 0, unicode=ch)
            key(a, pygame.K_TAB)  # public: every seat reads it
            key(a, pygame.K_RETURN)
            assert a.top is screen
            path = TestSaves().save_by_events(a, "noted")
        finally:
            a.close()
        record = load(path)
        notes = [e for e in record.entries if e.type == "note"]
        assert [(n.after_move, n.author, n.text, n.bookmark, n.audience) for n in notes] == [
            (mine, "us", "Hold the bridges", False, "us"), (mine, "us", "Turning point", True, None)]
        # The replay viewer, on the save read back: notes beside the move, bookmark on the slider.
        b = App((1280, 800), seed=5, bot_delay=0.0, saves_dir=tmp_path)
        try:
            replay = Replay(record, title=path.name)
            viewer = b.push(ReplayScreen(b, replay))
            at = replay.line_positions()[mine]
            assert viewer.slider.marks == [at]
            key(b, pygame.K_b)  # the next bookmark
            assert viewer.index == at
            b.step(1)
            texts = [row[0] for row in viewer.log.rows]
            assert any("Note (United States): Hold the bridges" in t for t in texts)
            assert any("Bookmark (United States): Turning point" in t for t in texts)
            # Another seat reads only the public bookmark.
            while viewer.faction != "goi":
                key(b, pygame.K_v)
            b.step(1)
            texts = [row[0] for row in viewer.log.rows]
            assert not any("Hold the bridges" in t for t in texts)
            assert any("Turning point" in t for t in texts)
            assert viewer.slider.marks == [at]
            # Export from the replay viewer: the watched seat's report.
            key(b, pygame.K_e)
            wait_for_report(b, viewer.job)
            assert viewer.message.startswith("Report written:"), viewer.message
            assert (tmp_path / "reports" / "noted-goi" / "report.html").stat().st_size > 0
        finally:
            b.close()
