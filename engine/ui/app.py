"""The game window: the main loop, a stack of screens, tooltips and the help overlay.

``run(args, seats)`` opens the window on the main menu, or on the game of
``play --load PATH``; ``replay(args, record)`` opens it on a save's replay.
Games are recorded and autosaved as in headless play (engine/record.py).  The loop reads
events, lets the top screen update and draws the stack; it never waits on a
bot (they think in a worker thread, see session.py).  Tests and the
screenshot command drive the same :class:`App` without a clock:
``app.step(n)`` runs n frames of simulated time and ``pygame.event.post``
feeds them real input.
"""

from __future__ import annotations

import os
import time
from typing import Callable

import pygame

from engine.ui import theme
from engine.ui.theme import Fonts

DEFAULT_SIZE = (1280, 800)
MIN_SIZE = (960, 640)
FPS = 60
# Idle: no input for IDLE_AFTER seconds and nothing moving on the top screen
# (no bot to wait for, no replay playing).  The loop then sleeps in
# ``pygame.event.wait`` for up to 1/IDLE_FPS of a second and wakes at once on
# input, so a window left open costs next to nothing (benchmarks/bench_ui.py).
IDLE_FPS = 8
IDLE_AFTER = 0.6
IDLE_REDRAW = 0.5    # seconds between redraws of an idle window (the caret blinks at 2 Hz)
TOOLTIP_DELAY = 0.45
# engine/cli/play.py opens the window on ``play --load PATH`` only when it can resume a save.
RESUMES_SAVES = True


class WindowError(RuntimeError):
    """The window cannot open (no display, no video driver)."""


class Screen:
    """One screen of the stack; ``opaque`` screens hide those below."""

    opaque = True

    def __init__(self, app: "App") -> None:
        self.app = app

    def layout(self, size: tuple[int, int]) -> None: ...

    def handle(self, event: pygame.event.Event) -> bool:
        return False

    def update(self, dt: float) -> None: ...

    def draw(self, surface: pygame.Surface) -> None: ...

    def tip_at(self, pos) -> str:
        return ""

    def help_lines(self) -> list[tuple[str, str]]:
        return []

    def closed(self) -> None:
        """Called when the screen leaves the stack."""

    def busy(self) -> bool:
        """True while something moves on its own (bots, a replay playing):
        the window then keeps its full frame rate."""
        return False


class App:
    def __init__(self, size: tuple[int, int] = DEFAULT_SIZE, *, seats=None, seed: int = 1,
                 turns: int | None = None, bot_delay: float | None = None, scenario=None,
                 saves_dir=None, autosave: bool = True, recorder=None,
                 inline_bots: bool = False) -> None:
        started = time.perf_counter()
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(350, 40)
        pygame.display.set_caption("Crossroads \u2014 Iraq at the crossroads, January 2020")
        self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        self.size = self.screen.get_size()
        self.fonts = Fonts()
        if scenario is None:
            from rules.scenario import IRAQ_2020 as scenario
        self.scenario = scenario
        from engine.ui import saves
        # Where the window lists and writes saves, and where games autosave (None: off).
        self.saves_dir = str(saves_dir if saves_dir is not None else saves.default_saves())
        self.autosave_dir = self.saves_dir if autosave else None
        # The game the command line prepared (``args.recorder``): the first new game uses it
        # when the menu still asks for the same one, so ``--save PATH`` is honoured.
        self.offered = recorder
        self.now = 0.0                 # seconds of (possibly simulated) time
        self.bot_delay = bot_delay     # None: the speed chosen in the window
        self.inline_bots = inline_bots # bots decide on the drawing thread (session.BotWorker)
        self.running = True
        self.exit_code = 0
        self.show_help = False
        self._tip_pos = (0, 0)
        self._tip_since = 0.0
        self.stack: list[Screen] = []
        self.frames = 0
        self.last_input = 0.0
        self._drawn_at = 0.0
        from engine.ui.menu import MenuScreen
        self.push(MenuScreen(self, seats, seed, turns))
        self.frame(0.0)
        self.startup_s = time.perf_counter() - started

    # -- the stack ------------------------------------------------------------
    @property
    def top(self) -> Screen:
        return self.stack[-1]

    def push(self, screen: Screen) -> Screen:
        screen.layout(self.size)
        self.stack.append(screen)
        return screen

    def pop(self) -> None:
        screen = self.stack.pop()
        screen.closed()
        if not self.stack:
            self.running = False

    def replace(self, screen: Screen) -> Screen:
        old = self.stack.pop()
        old.closed()
        return self.push(screen)

    def reset_to(self, screen_type: type) -> None:
        """Pop screens until one of ``screen_type`` is on top."""
        while self.stack and not isinstance(self.top, screen_type):
            self.pop()

    # -- games --------------------------------------------------------------------
    def new_session(self, seats, seed: int, turns: int | None):
        """A new recorded game: the command line's when it matches, else a fresh one."""
        from engine.ui import saves
        from engine.ui.session import Session
        offered, self.offered = self.offered, None
        if offered is not None and not offered.record.entries:
            h = offered.record.header
            if h.seed == seed and h.turns == (turns or self.scenario.default_turns) \
                    and dict(offered.match.seats) == dict(seats):
                return Session.of_recorder(offered)
        save_path = offered.save_path if offered is not None else None
        recorder = saves.new_recorder(self.scenario, seats, seed, turns, self.autosave_dir, save_path)
        return Session.of_recorder(recorder)

    def open_game(self, recorder, source: str = "") -> None:
        """Play on a loaded game: its screen goes on top of the main menu."""
        from engine.ui.menu import MenuScreen
        from engine.ui.play import GameScreen
        from engine.ui.session import Session
        session = Session.of_recorder(recorder, source)
        self.reset_to(MenuScreen)
        screen = self.push(GameScreen(self, session))
        if source:
            from pathlib import Path
            screen.flash(f"Loaded {Path(source).name}: turn {session.game.ctx.turn}, "
                         f"{len(session.game.history)} moves played")

    def open_briefing(self, faction: str | None = None) -> None:
        """The factions' briefings (engine/ui/briefing.py), on the board the player may see:
        the game on screen if there is one (as its viewer sees it), else the start."""
        from engine.ui.briefing import BriefingScreen
        board_for = None
        for screen in reversed(self.stack):
            source = getattr(screen, "briefing_board", None)
            if source is not None:
                board_for = source
                break
        if board_for is None:
            from engine.game import Game
            start = Game.new(self.scenario, 1)
            board_for = lambda f: start.view(f).board  # noqa: E731
        self.push(BriefingScreen(self, board_for, faction))

    def quit(self, code: int = 0) -> None:
        self.exit_code = code
        self.running = False

    # -- one frame --------------------------------------------------------------
    def frame(self, dt: float, draw: bool = True) -> None:
        """One frame: events, the top screen's update, and (unless ``draw`` is False:
        an idle frame with nothing new) drawing the stack."""
        self.now += dt
        events = pygame.event.get()
        for event in events:
            self.dispatch(event)
        if not self.running:
            return
        self.top.update(dt)
        if not self.running:
            return
        if draw or events:
            self.draw()
            pygame.display.flip()
            self._drawn_at = self.now
            self.frames += 1

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit(0)
            return
        if event.type == pygame.VIDEORESIZE:
            self.resize((event.w, event.h))
            return
        self.last_input = self.now
        if event.type == pygame.MOUSEMOTION:
            self._tip_pos = event.pos
            self._tip_since = self.now
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F1 or (event.key == pygame.K_SLASH and event.mod & pygame.KMOD_SHIFT) \
                    or getattr(event, "unicode", "") == "?":
                self.show_help = not self.show_help
                return
            if self.show_help and event.key == pygame.K_ESCAPE:
                self.show_help = False
                return
            if event.key == pygame.K_F2 and not getattr(self.top, "is_briefing", False):
                self.show_help = False
                self.open_briefing()
                return
        if self.show_help and event.type in (pygame.MOUSEBUTTONUP,):
            self.show_help = False
            return
        self.top.handle(event)

    def resize(self, size: tuple[int, int]) -> None:
        size = (max(MIN_SIZE[0], size[0]), max(MIN_SIZE[1], size[1]))
        if self.screen.get_size() != size:
            self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        self.size = self.screen.get_size()
        for screen in self.stack:
            screen.layout(self.size)

    def draw(self) -> None:
        first = len(self.stack) - 1
        while first > 0 and not self.stack[first].opaque:
            first -= 1
        for screen in self.stack[first:]:
            screen.draw(self.screen)
        if self.show_help:
            self.draw_help()
        else:
            self.draw_tooltip()

    def draw_tooltip(self) -> None:
        if self.now - self._tip_since < TOOLTIP_DELAY:
            return
        tip = self.top.tip_at(self._tip_pos)
        if not tip:
            return
        fonts = self.fonts
        lines = []
        for part in tip.split("\n"):
            lines += fonts.wrap(part, 380, 13)
        lh = fonts.height(13)
        w = max(fonts.width(line, 13) for line in lines) + 16
        h = lh * len(lines) + 10
        x, y = self._tip_pos[0] + 16, self._tip_pos[1] + 18
        x = min(x, self.size[0] - w - 4)
        if y + h > self.size[1] - 4:
            y = self._tip_pos[1] - h - 8
        rect = pygame.Rect(x, max(4, y), w, h)
        pygame.draw.rect(self.screen, (250, 248, 236), rect, border_radius=4)
        pygame.draw.rect(self.screen, theme.INK, rect, 1, border_radius=4)
        for i, line in enumerate(lines):
            self.screen.blit(fonts.text(line, 13, theme.INK), (rect.x + 8, rect.y + 5 + i * lh))

    def draw_help(self) -> None:
        fonts = self.fonts
        shade = pygame.Surface(self.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 190))
        self.screen.blit(shade, (0, 0))
        rows = self.top.help_lines() + [("F2", "the factions' briefings: what each wants, how it scores"),
                                         ("F1 or ?", "show or hide this help"),
                                         ("mouse rest", "a tooltip explains what is under the pointer")]
        lh = fonts.height(15) + 4
        w = 640
        h = 70 + lh * len(rows)
        rect = pygame.Rect((self.size[0] - w) // 2, max(10, (self.size[1] - h) // 2), w, h)
        pygame.draw.rect(self.screen, theme.PANEL, rect, border_radius=8)
        pygame.draw.rect(self.screen, theme.ACCENT, rect, 2, border_radius=8)
        self.screen.blit(fonts.text("Keyboard shortcuts", 20, theme.ACCENT, True), (rect.x + 20, rect.y + 14))
        hint = fonts.fit("New here? The menu's Tutorial plays a guided first turn.", w - 240, 13)
        self.screen.blit(fonts.text(hint, 13, theme.MUTED), (rect.x + 220, rect.y + 20))
        y = rect.y + 52
        for keys, what in rows:
            self.screen.blit(fonts.text(keys, 15, theme.TEXT, True), (rect.x + 24, y))
            self.screen.blit(fonts.text(fonts.fit(what, w - 230, 15), 15, theme.MUTED), (rect.x + 200, y))
            y += lh

    # -- driving --------------------------------------------------------------
    def idle(self) -> bool:
        """Nothing to animate: no recent input, the top screen not busy, and
        a tooltip (if any) already shown."""
        if self.now - self.last_input < IDLE_AFTER or self.top.busy():
            return False
        return not (0 <= self.now - self._tip_since < TOOLTIP_DELAY + 0.1)

    def run(self) -> int:
        """The main loop, until the window is closed; returns the exit code."""
        self.loop()
        self.close()
        return self.exit_code

    def loop(self, seconds: float | None = None) -> None:
        """Run frames in real time; ``seconds`` stops after that long (benchmarks)."""
        clock = pygame.time.Clock()
        clock.tick()
        started = time.perf_counter()
        while self.running:
            redraw = True
            if self.stack and self.idle():
                event = pygame.event.wait(1000 // IDLE_FPS)
                if event.type != pygame.NOEVENT:
                    pygame.event.post(event)
                dt = clock.tick() / 1000.0
                # nothing new: redraw once a second (a blinking caret, a clock) and on input
                redraw = self.now - self._drawn_at >= IDLE_REDRAW
            else:
                dt = clock.tick(FPS) / 1000.0
            self.frame(min(dt, 0.25), redraw)
            if seconds is not None and time.perf_counter() - started >= seconds:
                break

    def step(self, frames: int = 1, dt: float = 1 / FPS) -> None:
        """Run ``frames`` frames of simulated time (for tests and screenshots)."""
        for _ in range(frames):
            if not self.running:
                return
            self.frame(dt)

    def step_until(self, done: Callable[[], bool], max_frames: int = 2000, dt: float = 1 / FPS) -> bool:
        """Step until ``done()``; gives the bot thread a moment between frames."""
        for _ in range(max_frames):
            if done():
                return True
            if not self.running:
                return done()
            self.frame(dt)
            time.sleep(0)  # let the bot thread run
        return done()

    def close(self) -> None:
        while self.stack:
            self.stack.pop().closed()
        pygame.display.quit()


def _open(args, **kwargs) -> App:
    autosave_dir = getattr(args, "autosave_dir", None)
    try:
        return App(DEFAULT_SIZE, saves_dir=autosave_dir,
                   autosave=not getattr(args, "no_autosave", False), **kwargs)
    except pygame.error as err:
        pygame.quit()
        raise WindowError(f"cannot open the game window ({err})") from None


def run(args, seats) -> int:
    """Open the window (``python main.py``); returns the exit code.

    ``args.recorder`` (engine/cli/play.py) is the game to play: with
    ``--load`` the window opens on it; otherwise the menu offers it (its
    seats, seed and length) and a new game started there is recorded and
    autosaved in the autosave folder.
    """
    recorder = getattr(args, "recorder", None)
    seed = recorder.record.header.seed if recorder is not None else (getattr(args, "seed", None) or 1)
    app = _open(args, seats=seats, seed=seed, turns=getattr(args, "turns", None), recorder=recorder)
    if recorder is not None and getattr(args, "load", None) is not None:
        app.offered = None
        app.open_game(recorder, args.load)
    return app.run()


def replay(args, record, start: int = 0) -> int:
    """Open the window on the replay of a save (``python main.py replay PATH``),
    at log position ``start`` (``--to``)."""
    from pathlib import Path

    from engine.ui.replay import ReplayScreen
    from engine.ui.session import Replay
    app = _open(args)
    app.push(ReplayScreen(app, Replay(record, title=Path(args.path).name), start))
    return app.run()


def run_remote(client) -> int:
    """Open the window as the seat of ``client`` (``python main.py join URL --token T``).

    ``client`` is a :class:`engine.net.client.Client` not yet connected: it
    connects and runs in a background thread (engine/ui/remote.py), the
    window shows only what the server sends that seat.  Raises
    :class:`engine.net.client.JoinError` if the server refuses the token.
    """
    from engine.ui.remote import open_remote
    return open_remote(client).run()
