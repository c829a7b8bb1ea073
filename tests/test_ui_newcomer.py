"""What a newcomer needs in the window (issue 15): the live score, consequences in
the preview, turn summaries and call-outs, the briefing, the tutorial, layouts
that fit.  Driven by real pygame events under the dummy video driver."""

from __future__ import annotations

import os
import time

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
from tests.helpers import bot_move  # noqa: E402

FACTIONS = IRAQ_2020.factions


def solo_app(tmp_path, seed: int = 4, size=(1280, 800), seats: str = "us=human") -> App:
    return App(size, seats=parse_seats(seats, FACTIONS), seed=seed, bot_delay=0.0, saves_dir=tmp_path,
               inline_bots=True)


def new_game(app: App, stops: bool = False) -> GameScreen:
    """Start the game the menu offers (Return); with ``stops``, summaries and
    call-outs stop it as they do at a human's pace."""
    key(app, pygame.K_RETURN)
    screen = app.top
    assert isinstance(screen, GameScreen)
    screen.stops = stops or screen.stops
    return screen


def shown_scores(screen: GameScreen) -> dict[str, int]:
    return {faction: total for _, _, faction, total in screen._score_rows}


class TestLiveScore:
    def test_the_score_shown_is_the_engines_after_every_move_of_a_whole_game(self, tmp_path):
        app = solo_app(tmp_path)
        try:
            screen = new_game(app)
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
                    if isinstance(app.top, EndScreen):
                        break  # the last move drew the end screen over the board: checked below
                    # what the frame just drew, against the engine's scores for the viewer
                    assert shown_scores(screen) == {f: s.total for f, s in
                                                   game.scores_seen_by(screen.viewer()).items()}
                    checked += 1
            assert game.is_over() and checked > 20  # a whole game, however it ends
            # the end: the same numbers as the end screen's outcome, seen by the white cell
            assert {f: s.total for f, s in game.scores_seen_by(None).items()} == \
                {f: s.total for f, s in game.outcome().scores.items()}
        finally:
            app.close()

    def test_hovering_a_score_shows_its_breakdown(self, tmp_path):
        app = solo_app(tmp_path)
        try:
            screen = new_game(app)
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


def _move_lines(events, turn: int, move) -> list[str]:
    """What a move's resolution logged, without the move's own line, the dice and the ruling."""
    own = {f"T{turn} {move}", f"T{turn} {move.faction}: a covert action"}
    return [e.strip() for e in events if e not in own and ": rolled " not in e
            and "white cell rules it" not in e and "White cell override" not in e and e.strip()]


class TestPreviewConsequences:
    """Every kind of move, whoever declared it: the preview's text for each outcome is
    what the rules do when the game plays that outcome (a white-cell ruling forces it)."""

    def test_every_kind_previews_what_the_rules_then_do(self):
        import random as pyrandom

        from engine.game import Game
        from engine.ui import preview as preview_text
        registry = IRAQ_2020.registry
        every = {(k.faction, k.name) for k in registry.kinds()}
        done: set = set()
        compared = 0
        for seed in range(1, 40):
            if done == every:
                break
            game = Game.new(IRAQ_2020, seed)
            pick = pyrandom.Random(seed)
            while not game.is_over():
                ctx = game.ctx
                legal = game.legal_moves()
                # a move that does not end the turn: its log is the move's alone
                if ctx.actions_left > 1 or ctx.active < len(ctx.order) - 1:
                    by_kind = {}
                    for m in legal:
                        by_kind.setdefault((m.faction, m.kind), m)
                    for key, move in by_kind.items():
                        if key in done:
                            continue
                        preview = game.explain(move, viewer=None)
                        for c in game.consequences(move, viewer=None):
                            twin = game.clone()
                            before = twin.board
                            if c.tier is None:
                                events = twin.apply(move)
                            elif c.later:  # rolled when the turn resolves: no ruling now
                                with pytest.raises(ValueError, match="rolls no dice"):
                                    twin.apply_ruled(move, c.tier, "test")
                                continue
                            else:
                                events = twin.apply_ruled(move, c.tier, "test")
                            if twin.is_over():
                                continue
                            expected = list(dict.fromkeys(
                                _move_lines(events, ctx.turn, move) + IRAQ_2020.describe_change(before, twin.board, None)))
                            assert list(c.lines) == expected, (move, c.tier)
                            compared += 1
                        # and the window's rows are those lines, tier by tier
                        rows = preview_text.rows(preview, game.consequences(move, viewer=None))
                        shown = preview_text.effect_lines(rows)
                        for c in game.consequences(move, viewer=None):
                            if c.dice is not None or c.tier is None:   # an impossible tier is only named
                                assert all(line in shown for line in c.lines)
                        done.add(key)
                game.apply(pick.choice(legal))
        assert done == every, f"kinds never legal in 39 random games: {sorted(every - done)}"
        assert compared > 60

    def test_the_window_preview_lists_each_outcome_with_its_dice(self, tmp_path):
        app = solo_app(tmp_path)
        try:
            screen = new_game(app)
            wait_for_human(app)
            seen_kinds = set()
            for move in list(screen._legal):
                if move.kind in seen_kinds:
                    continue
                seen_kinds.add(move.kind)
                screen.choose(move)
                app.step(1)
                text = [t for t, _, _ in screen.preview_list.rows]
                cons = screen.session.game.consequences(move)
                if cons[0].tier is None:
                    assert text[0].startswith("No dice")
                else:
                    heads = [t for t in text if t.split(" \u2014 ")[0] in
                             ("Success", "Partial success", "Failure", "Backfire")]
                    assert len(heads) == 4 and all("dice" in h or "impossible" in h for h in heads)
                for c in cons:
                    for line in (c.lines if c.dice is not None or c.tier is None else ()):
                        assert "  " + line in text
            assert len(seen_kinds) >= 3
        finally:
            app.close()


class TestSummariesAndCallouts:
    def test_a_withdrawal_vote_stops_the_game_with_a_callout(self, tmp_path):
        from engine.ui.news import NewsScreen

        def play_until_vote(seed: int) -> tuple[bool, int]:
            app = solo_app(tmp_path / str(seed), seed=seed, seats="us=human,goi=random,mil=random,pro=random")
            try:
                screen = new_game(app, stops=True)
                for _ in range(20_000):
                    top = app.top
                    if isinstance(top, NewsScreen):
                        if top.kind == "callout" and top.title.startswith("Parliament"):
                            rows = [t for t, _, _ in top.list.rows]
                            assert any(r.startswith("Parliament votes on withdrawing") for r in rows)
                            # the game waits: no bot moves while the call-out is up
                            moves = len(screen.session.game.history)
                            app.step(30)
                            assert len(screen.session.game.history) == moves and app.top is top
                            key(app, pygame.K_RETURN)
                            assert app.top is not top
                            return True, screen.summaries_shown
                        key(app, pygame.K_RETURN)  # continue past summaries and other call-outs
                        assert app.top is not top
                        continue
                    if isinstance(top, EndScreen) or screen.session.game.is_over():
                        break
                    if top is screen and screen.my_turn():
                        play_one(app, scripted)
                    app.step(1)
                return False, screen.summaries_shown
            finally:
                app.close()

        for seed in (3, 1, 2, *range(4, 12)):  # seed 3 votes in turn 1 as written; others if rules change
            voted, summaries = play_until_vote(seed)
            if voted:
                assert summaries > 0
                return
        raise AssertionError("no withdrawal vote call-out in 11 games")

    def test_a_summary_lists_the_others_moves_and_the_score_changes(self, tmp_path):
        from engine.ui.news import NewsScreen
        app = solo_app(tmp_path, seed=3)
        try:
            screen = new_game(app, stops=True)
            # Bounded by the clock, not by frames: the bots think in a thread, and under a
            # loaded machine 3000 frames could pass before they moved (a flaky failure).
            end = time.monotonic() + 120
            while time.monotonic() < end and not screen.session.game.is_over():
                if isinstance(app.top, NewsScreen) and app.top.kind == "summary":
                    break
                if screen.my_turn() and app.top is screen:
                    play_one(app, scripted)
                elif isinstance(app.top, NewsScreen):
                    key(app, pygame.K_RETURN)
                app.step(1)
                time.sleep(0.001)  # let the bot thread run
            news = app.top
            assert isinstance(news, NewsScreen) and news.kind == "summary"
            rows = [t for t, _, _ in news.list.rows]
            names = IRAQ_2020.faction_names
            assert any(r.startswith(names["goi"]) or r.startswith(names["mil"]) or r.startswith(names["pro"])
                       for r in rows)
            assert "Score since then" in rows
            key(app, pygame.K_SPACE)
            assert app.top is screen and screen.my_turn()
        finally:
            app.close()

    def test_the_instant_pace_skips_them(self, tmp_path):
        app = solo_app(tmp_path, seed=3)
        try:
            screen = new_game(app)
            app.bot_delay = None
            screen.speed = 3  # instant
            assert not screen.stopping()
            screen.speed = 1
            assert screen.stopping()
        finally:
            app.close()


class TestTutorial:
    def _start(self, tmp_path):
        from engine.ui.menu import MenuScreen
        from engine.ui.tutorial import TutorialScreen
        app = solo_app(tmp_path)
        assert isinstance(app.top, MenuScreen)
        button = next(b for b in app.top.buttons if b.label == "Tutorial")
        from engine.ui.drive import click
        click(app, button.rect.center)
        coach = app.top
        assert isinstance(coach, TutorialScreen)
        return app, coach

    def test_the_tutorial_runs_to_its_end_by_clicks(self, tmp_path):
        from engine.ui.drive import click
        from engine.ui.news import NewsScreen
        from engine.ui.tutorial import STEPS
        app, coach = self._start(tmp_path)
        game = coach.game
        try:
            seen = set()
            for _ in range(20_000):
                if coach.finished:
                    break
                if app.top is not coach:   # a summary or call-out above the coach
                    assert isinstance(app.top, NewsScreen)
                    key(app, pygame.K_RETURN)
                    continue
                seen.add(coach.index)
                if coach.waiting_for_player() or (coach.watching and game.my_turn()):
                    if not game.my_turn():
                        app.step(1)
                    elif game.selected is None:
                        move = scripted(game._legal)
                        game.moves.scroll_to(move)
                        app.step(1)
                        click(app, game.moves.row_rect(move).center)
                        assert game.selected == move
                    else:
                        click(app, game.confirm.rect.center)
                elif coach.watching:
                    app.step(1)
                else:
                    if coach.target_rect() is not None:  # the outlined part is on screen
                        assert app.screen.get_rect().contains(coach.target_rect())
                    click(app, coach.next.rect.center)
            assert coach.finished and not coach.skipped
            assert seen == set(range(len(STEPS)))
            assert app.top is game and game.session.game.ctx.turn >= 2 and game.my_turn()
        finally:
            app.close()

    def test_the_tutorial_can_be_skipped(self, tmp_path):
        from engine.ui.drive import click
        app, coach = self._start(tmp_path)
        try:
            click(app, coach.next.rect.center)
            assert coach.index == 1
            key(app, pygame.K_ESCAPE)
            assert coach.skipped and app.top is coach.game
            # the game goes on as an ordinary game
            wait_for_human(app)
            assert play_one(app, scripted)
        finally:
            app.close()


def screen_rects(screen) -> list[tuple[str, pygame.Rect]]:
    """Every rectangle a screen lays out: its Rect attributes and its widgets' rects
    (buttons, lists, cyclers, also inside lists), found by looking, so a new widget is
    checked without being named here."""
    out = []

    def add(name, value):
        if isinstance(value, tuple) and value and isinstance(value[0], pygame.Rect):
            value = value[0]   # (rect, what) pairs: the turn-order chips
        if isinstance(value, pygame.Rect):
            if value.w > 0 and value.h > 0:
                out.append((name, pygame.Rect(value)))
        elif hasattr(value, "rect") and isinstance(getattr(value, "rect", None), pygame.Rect) \
                and not isinstance(value, App) and value is not screen:
            add(name, value.rect)

    for name, value in vars(screen).items():
        if name.startswith("_") or name in ("app", "game", "game_screen", "map"):
            continue
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                add(f"{name}[{i}]", item)
        elif isinstance(value, dict):
            for k, item in value.items():
                add(f"{name}[{k}]", item)
        else:
            add(name, value)
    return out


def layout_problems(screen, size) -> list[str]:
    """Rectangles past the window, and pairs that overlap without one holding the other."""
    window = pygame.Rect((0, 0), size)
    rects = screen_rects(screen)
    problems = [f"{n} {r} runs past the {size[0]}x{size[1]} window" for n, r in rects
                if not window.contains(r)]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            if ra.colliderect(rb) and not ra.contains(rb) and not rb.contains(ra):
                problems.append(f"{a} {ra} overlaps {b} {rb}")
    return problems


def map_problems(screen) -> list[str]:
    """Map names cut, ellipsised, off the map or over another space; chips (pieces and
    badges) outside their space; spaces of the Baghdad inset outside the inset."""
    from engine.ui.mapview import MapView
    view = getattr(screen, "map", None)
    if not isinstance(view, MapView):
        return []
    if not view.drawn:
        return [f"the map of {type(screen).__name__} drew no space"]
    problems = []
    area = pygame.Rect((0, 0), view.rect.size)
    inset = view.data.get("inset")
    frame = None
    if inset:
        ix, iy, iw, ih = inset["rect"]
        frame = pygame.Rect(view.to_local((ix, iy)), (round(iw * view.scale), round(ih * view.scale)))
    for sid, d in view.drawn.items():
        if d["label"] != d["name"] or "\u2026" in d["label"]:
            problems.append(f"map label {d['label']!r} is cut (the space is {d['name']!r})")
        if not area.contains(d["label_rect"]):
            problems.append(f"map label {d['name']!r} {d['label_rect']} runs past the map {area}")
        for other, o in view.drawn.items():
            if other != sid and (d["label_rect"].colliderect(o["box"])
                                 or d["label_rect"].colliderect(o["label_rect"])):
                problems.append(f"map label {d['name']!r} covers the space {o['name']!r}")
        for i, chip in enumerate(d["chips"]):
            if not d["box"].contains(chip):
                problems.append(f"a chip {chip} of {d['name']!r} spills out of its box {d['box']}")
            if min(chip.size) < 10:
                problems.append(f"a chip {chip} of {d['name']!r} is too small to read")
            if any(chip.colliderect(other) for other in d["chips"][i + 1:]):
                problems.append(f"a chip {chip} of {d['name']!r} covers another")
        caption = d.get("caption", "")
        if caption.endswith("\u2026") and len(caption[:-1].strip()) < 4:
            problems.append(f"{d['name']!r}'s caption {caption!r} is cut to nothing")
        if caption and (not d["box"].contains(d["caption_rect"])
                        or any(d["caption_rect"].colliderect(c) for c in d["chips"])):
            problems.append(f"{d['name']!r}'s caption {caption!r} leaves its box or covers a chip")
        x, y = view.data["spaces"][sid]["shape"][0]
        if inset and ix <= x <= ix + iw and iy <= y <= iy + ih and not frame.contains(d["box"]):
            problems.append(f"{d['name']!r} {d['box']} spills out of the Baghdad inset {frame}")
    return problems


def track_problems(drawn, panel: pygame.Rect, where: str = "") -> list[str]:
    """Track names and values cut or ellipsised, running out of the left panel, or over
    each other (``drawn``: the screen's ``_tracks_drawn``)."""
    problems, parts = [], []
    for g, d in drawn:
        want = g.text if g.steps else ("?" if g.text == "?" else str(g.value))
        if d["label"] != g.label or "\u2026" in d["label"]:
            problems.append(f"{where}track name {d['label']!r} is cut (the track is {g.label!r})")
        if d["value"] != want or "\u2026" in d["value"]:
            problems.append(f"{where}{g.label!r} shows {d['value']!r}, not {want!r}")
        own = [(name, d[name]) for name in ("label_rect", "bar_rect", "value_rect")]
        for name, r in own:
            if not panel.contains(r):
                problems.append(f"{where}{g.label!r}'s {name} {r} runs out of the panel {panel}")
        for i, (a, ra) in enumerate(own):
            for b, rb in own[i + 1:]:
                if ra.colliderect(rb):
                    problems.append(f"{where}{g.label!r}: its {a} {ra} overlaps its {b} {rb}")
        parts += [(g.label, r) for _, r in own]
    for i, (a, ra) in enumerate(parts):
        for b, rb in parts[i + 1:]:
            if a != b and ra.colliderect(rb):
                problems.append(f"{where}track {a!r} {ra} overlaps track {b!r} {rb}")
    return problems


def every_value_problems(screen, display) -> tuple[list[str], set[str]]:
    """Every value of every ordinal track (all at their first step, then their second...)
    drawn in the screen's left panel: the problems, and the sections some value left out."""
    import attrs

    from engine.ui.play import render_tracks
    fonts = screen.app.fonts
    most = max(len(g.steps) for sec in display.sections for g in sec.gauges)
    problems, left_out = [], set()
    for k in range(most):
        def at(g):
            if not g.steps:
                return g
            i = min(k, len(g.steps) - 1)
            return attrs.evolve(g, value=i, text=g.steps[i])
        sections = tuple(attrs.evolve(sec, gauges=tuple(at(g) for g in sec.gauges)) for sec in display.sections)
        drawn: list = []
        render_tracks(fonts, attrs.evolve(display, sections=sections), None, screen.session.scenario.factions
                      if hasattr(screen, "session") else screen.replay.scenario.factions,
                      screen.left_rect.size, not getattr(screen, "card_inline", False), drawn)
        shown = {g.label for g, _ in drawn}
        left_out |= {sec.title for sec in sections if not all(g.label in shown for g in sec.gauges)}
        moved = [(g, {n: v.move(screen.left_rect.topleft) if isinstance(v, pygame.Rect) else v
                      for n, v in d.items()}) for g, d in drawn]
        problems += track_problems(moved, screen.left_rect, f"step {k}: ")
    return problems, left_out


def every_screen(app: App, tmp_path):
    """Open every screen of the window in turn, yielding each (by real events)."""
    from engine.ui.briefing import BriefingScreen
    from engine.ui.drive import click
    from engine.ui.files import FileScreen, SaveScreen
    from engine.ui.menu import MenuScreen
    from engine.ui.news import NewsScreen, summary_rows
    from engine.ui.notes import NoteBox
    from engine.ui.play import HandoverScreen
    from engine.ui.replay import ReplayScreen
    from engine.ui.session import Replay
    from engine.ui.tutorial import TutorialScreen, start_tutorial
    yield app.top                                          # the menu
    key(app, pygame.K_F2)
    assert isinstance(app.top, BriefingScreen)
    yield app.top
    key(app, pygame.K_ESCAPE)
    coach = start_tutorial(app)
    app.step(1)
    assert isinstance(coach, TutorialScreen)
    yield coach
    for _ in range(8):
        if coach.waiting_for_player():
            break
        click(app, coach.next.rect.center)
        yield coach
    key(app, pygame.K_ESCAPE)
    game = app.top
    wait_for_human(app)
    game.choose(max(game._legal, key=lambda m: len(game.session.game.consequences(m))))
    app.step(1)
    yield game                                             # the game, a preview open
    play_one(app, scripted)
    wait_for_human(app)
    news = app.push(NewsScreen(app, "summary", "Turn", summary_rows(game.session, 1, "us")))
    yield news
    key(app, pygame.K_RETURN)
    key(app, pygame.K_n)
    assert isinstance(app.top, NoteBox)
    yield app.top
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_s, mod=pygame.KMOD_CTRL)
    assert isinstance(app.top, SaveScreen)
    yield app.top
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_o, mod=pygame.KMOD_CTRL)
    assert isinstance(app.top, FileScreen)
    yield app.top
    key(app, pygame.K_ESCAPE)
    app.push(HandoverScreen(app, game, "us"))
    yield app.top
    app.pop()
    while wait_for_human(app) and app.top is game:
        play_one(app, scripted)
    assert app.step_until(lambda: isinstance(app.top, EndScreen), 5000)
    yield app.top
    app.push(ReplayScreen(app, Replay.of_session(game.session)))
    yield app.top
    app.reset_to(MenuScreen)


class TestLayout:
    @pytest.mark.parametrize("size", [(960, 640), (1280, 800), (1920, 1080)])
    def test_no_widget_overlaps_another_or_leaves_the_window(self, tmp_path, size):
        app = solo_app(tmp_path, size=size)
        try:
            seen, problems, tracked = set(), [], set()
            for screen in every_screen(app, tmp_path):
                app.step(1)
                seen.add(type(screen).__name__)
                problems += [f"{type(screen).__name__}: {p}" for p in layout_problems(screen, size)]
                problems += [f"{type(screen).__name__}: {p}" for p in map_problems(screen)]
                if getattr(screen, "_cut", None):
                    problems.append(f"{type(screen).__name__}: cut or left out: {screen._cut}")
                if "\u2026" in getattr(screen, "_where_shown", ""):
                    problems.append(f"the replay's position is cut: {screen._where_shown!r}")
                if getattr(screen, "_tracks_drawn", None):
                    name = type(screen).__name__
                    problems += [f"{name}: {p}" for p in track_problems(screen._tracks_drawn, screen.left_rect)]
                    if name not in tracked:   # every value each ordinal track can show
                        tracked.add(name)
                        display = screen.session.display(screen.viewer()) if name == "GameScreen" else \
                            screen.replay.presentation.display(screen.replay.game(screen.index).board, None)
                        found, left_out = every_value_problems(screen, display)
                        problems += [f"{name}: {p}" for p in found]
                        if size != (960, 640) and name == "GameScreen":
                            assert not left_out, f"{left_out} only on hover at {size}"
            assert tracked == {"GameScreen", "ReplayScreen"}
            assert {"MenuScreen", "BriefingScreen", "TutorialScreen", "GameScreen", "NewsScreen", "NoteBox",
                    "SaveScreen", "FileScreen", "HandoverScreen", "EndScreen", "ReplayScreen"} <= seen
            assert not problems, "\n".join(problems)
        finally:
            app.close()

    @pytest.mark.parametrize("size", [(960, 640), (1024, 640), (1240, 800)])
    def test_the_top_bar_says_who_acts_whole_through_a_game(self, tmp_path, size):
        """While the AI acts (paused or not) and on the player's turn, every month of a game:
        the status is one of its whole forms (never cut), beside the chips and the buttons."""
        from engine.ui.news import NewsScreen
        app = solo_app(tmp_path, seed=5, size=size, seats="us=human,goi=random,mil=random,pro=random")
        try:
            key(app, pygame.K_RETURN)
            screen = app.top
            seen, problems = set(), []

            def check(paused: bool) -> None:
                s = screen.session
                if s.game.is_over():
                    return
                shown = screen._status_shown
                where = f"turn {s.game.ctx.turn}, {s.active}{' paused' if paused else ''}"
                if shown not in screen._status_options or not shown:
                    problems.append(f"{where}: the status reads {shown!r}, not one of {screen._status_options}")
                for rect in [screen.head_rect] + [r for r, _ in screen.chips] + [b.rect for b in screen.bar]:
                    if rect.colliderect(screen.status_rect):
                        problems.append(f"{where}: the status {screen.status_rect} overlaps {rect}")
                seen.add((s.game.ctx.turn, s.human_to_move(), paused))

            for _ in range(50_000):
                top = app.top
                if isinstance(top, EndScreen):
                    break
                if isinstance(top, NewsScreen):
                    key(app, pygame.K_RETURN)
                    continue
                if screen.my_turn():
                    check(False)
                    play_one(app, scripted)
                    continue
                app.step(1)
                if not screen.my_turn() and app.top is screen:
                    check(False)
                    if len(screen.session.game.history) % 3 == 0 and not screen.paused:
                        key(app, pygame.K_SPACE)   # paused: the bar says so too
                        check(True)
                        key(app, pygame.K_SPACE)
            assert not problems, "\n".join(problems[:20])
            turns = {t for t, _, _ in seen}
            assert turns >= set(range(1, 10)), turns   # the months to September (the longest name)
            assert {(h, p) for _, h, p in seen} == {(True, False), (False, False), (False, True)}
        finally:
            app.close()

    @pytest.mark.parametrize("size", [(960, 640), (1280, 800)])
    def test_the_end_screen_shows_every_term_of_a_long_breakdown(self, tmp_path, size):
        """The screenshot game's US card (nine terms, some of two lines) overflowed its card at
        960x640, over the buttons: every term drawn whole inside its card now."""
        import attrs

        from engine.game import Score
        from engine.ui.session import Session
        app = solo_app(tmp_path, size=size)
        try:
            session = Session(IRAQ_2020, parse_seats("", FACTIONS), 3, turns=1)
            while not session.game.is_over():
                bot_move(session)
            screen = app.push(EndScreen(app, session))
            terms = (("starting position", 66), ("4 \u00d7 Iraqi legitimacy \u00f7 2", 16),
                     ("2 \u00d7 electoral progress", 6), ("2 \u00d7 US troops in Iraq \u00f7 2", 4),
                     ("4 \u00d7 US persons harmed", -16), ("5 \u00d7 ISIS pressure \u00f7 2", -10),
                     ("escalation \u00f7 2", -5), ("3 \u00d7 militia cells on the map \u00f7 3", -6),
                     ("Open war between the United States and Iran", -3))
            scores = dict(screen.outcome.scores)
            scores["us"] = Score(sum(p for _, p in terms), terms)
            screen.outcome = attrs.evolve(screen.outcome, scores=scores)
            app.step(1)
            assert not screen._cut, screen._cut
            assert not layout_problems(screen, size)
        finally:
            app.close()

    def test_the_checker_finds_an_overlap(self, tmp_path):
        app = solo_app(tmp_path, size=(960, 640))
        try:
            menu = app.top
            assert not layout_problems(menu, (960, 640))
            menu.buttons[1].rect = menu.buttons[0].rect.move(10, 10)
            assert any("overlaps" in p for p in layout_problems(menu, (960, 640)))
            menu.buttons[1].rect = pygame.Rect(900, 600, 200, 40)
            assert any("runs past" in p for p in layout_problems(menu, (960, 640)))
        finally:
            app.close()


    @pytest.mark.parametrize("size", [(960, 640), (1280, 800)])
    def test_a_crowded_space_keeps_its_chips_legible_or_counts_them(self, tmp_path, size):
        """The Green Zone with one of every piece and every badge: each chip drawn is at
        least 10 px, inside the box, off the others, and those left out are counted."""
        import attrs

        from engine.display import Badge, Piece
        app = solo_app(tmp_path, size=size)
        try:
            key(app, pygame.K_RETURN)
            screen = app.top
            wait_for_human(app)
            app.step(1)
            display = screen.session.display(screen.viewer())
            kinds = screen.session.presentation.piece_kinds()
            attack, guard = Badge("attack", "M", "an attack"), Badge("protected", "P", "protected")
            for n in range(len(kinds) + 1):
                for badges in ((attack,), (attack, guard)):
                    pieces = tuple(Piece(k, f, label, 2, covert) for k, f, label, covert in kinds[:n])
                    crowded = attrs.evolve(display, places=tuple(
                        attrs.evolve(p, pieces=pieces, badges=badges) if p.id == "gzone" else p
                        for p in display.places))
                    screen.map.draw(app.screen, crowded)
                    found = [p for p in map_problems(screen) if "Green Zone" in p]
                    assert not found, (n, found)
                    d = screen.map.drawn["gzone"]
                    shown = len(d["chips"]) - (1 if d.get("more") else 0)
                    assert shown + d.get("more", 0) == n + len(badges), (n, badges, d)
                    if n <= 3 and len(badges) == 1:
                        # a real game's busiest Green Zone: US troops, Iraqi forces, militia
                        # cells and an attack, every one drawn
                        assert "more" not in d, (n, d)
        finally:
            app.close()

    def test_the_map_checker_finds_a_cut_name_and_a_spilled_chip(self, tmp_path):
        app = solo_app(tmp_path, size=(960, 640))
        try:
            key(app, pygame.K_RETURN)
            screen = app.top
            wait_for_human(app)
            app.step(1)
            assert not map_problems(screen)
            d = screen.map.drawn["parliament"]
            d["label"] = "Parliam\u2026"
            d["chips"].append(d["box"].move(d["box"].w - 4, 0).clip(d["box"].inflate(40, 0)))
            found = map_problems(screen)
            assert any("'Parliam\u2026' is cut" in p for p in found)
            assert any("spills out of its box" in p for p in found)
        finally:
            app.close()


class TestSavesListed:
    def test_saves_say_what_they_are_autosaves_group_and_junk_is_hidden(self, tmp_path):
        from engine.match import Match
        from engine.record import Autosaver, Recorder
        from engine.ui.saves import list_saves
        seats = parse_seats("us=random,goi=random,mil=random,pro=random", FACTIONS)
        for seed, turns in ((5, 3), (6, 2)):
            rec = Recorder.new(IRAQ_2020, seed, turns, seats, "2026-01-01T00:00:00Z",
                               autosaver=Autosaver(tmp_path))
            match = rec.match
            while not rec.game.is_over():
                rec.apply(match.bot_choice().move)
        (tmp_path / "exercise-x.tokens.json").write_text('{"tokens": {}}')
        (tmp_path / "notes.json").write_text('{"what": "someone else\'s file"}')
        (tmp_path / "damaged.json").write_text('{"header": {"format": "crossroads-save"')
        listed = list_saves(tmp_path)
        names = [f.name for f in listed]
        assert "exercise-x.tokens.json" not in names and "notes.json" not in names
        assert "damaged.json" in names          # ours but damaged: listed, says why
        autosaves = [f for f in listed if f.autosave]
        assert len(autosaves) == 2 and all(f.older >= 1 for f in autosaves)   # one per game
        every = [f for f in list_saves(tmp_path, every_autosave=True) if f.autosave]
        assert len(every) == sum(f.older + 1 for f in autosaves)
        for f in autosaves:   # each game finished: who won and the scores
            assert f.about.startswith("finished: ") and " won (" in f.about and "seed " in f.about


class TestWhyInWords:
    def test_the_explanation_names_moves_and_changes_before_numbers(self):
        from engine.ai.explain import explain
        from engine.game import Game
        from engine.match import Match
        game = Game.new(IRAQ_2020, 3)
        match = Match(game, parse_seats("us=ai:easy,goi=doctrine:balancing,mil=random,pro=random", FACTIONS), 3)
        checked = 0
        while checked < 4:
            faction = game.active_faction
            board = game.view(faction).board
            choice = match.bot_choice(explain=True)
            why = explain(IRAQ_2020, board, faction, choice)
            lines = why.lines()
            summary = game.explain(choice.move).summary
            assert summary in lines[0]                   # the move in words first
            assert lines[-1] == f"The numbers: {choice.reason}"   # the statistics last
            chosen = [o for o in why.options if o.chosen]
            assert len(chosen) == 1 and chosen[0].expects   # what it expects to change
            # expected changes come from the rules: the most likely tier's lines
            cons = game.consequences(choice.move)
            assert any(all(line.lstrip("\u2192 ") in chosen[0].expects for line in c.lines) for c in cons)
            game.apply(choice.move)
            checked += 1

    def test_the_window_shows_it_under_why(self, tmp_path):
        app = solo_app(tmp_path, seats="us=human,goi=doctrine:balancing,mil=random,pro=random")
        try:
            screen = new_game(app)
            wait_for_human(app)
            play_one(app, scripted)
            wait_for_human(app)
            key(app, pygame.K_w)
            s = screen.session
            index = max(i for i, e in enumerate(s.entries) if e.by_bot)
            assert s.why[index].lines()[0].startswith(s.name(s.entries[index].move.faction) + " chose: ")
        finally:
            app.close()
