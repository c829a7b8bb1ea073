"""The main menu: seats, seed and length of a new game; load, replay, quit."""

from __future__ import annotations

import time

import pygame

from engine.seats import Seat, SeatError, parse_seat
from engine.ui import saves, theme
from engine.ui.app import Screen
from engine.ui.paint import faction_chip, panel
from engine.ui.widgets import Button, Cycler

AI_LEVELS = ("easy", "normal", "hard")


def seat_options(scenario, faction: str) -> list[tuple[str, str]]:
    """Every seat the engine accepts for ``faction``, as (spec, label).

    AI levels and the scenario's doctrines (``scenario.doctrines(faction)``,
    when the scenario has them) are offered only if the seat registry
    accepts them.
    """
    candidates = [("human", "Human")]
    candidates += [(f"ai:{level}", f"AI \u2014 {level}") for level in AI_LEVELS]
    doctrines = getattr(scenario, "doctrines", None)
    for name in (doctrines(faction) if callable(doctrines) else ()):
        candidates.append((f"doctrine:{name}", f"Doctrine \u2014 {name.replace('_', ' ')}"))
    candidates.append(("random", "Random moves"))
    out = []
    for spec, label in candidates:
        try:
            parse_seat(spec, faction)
        except SeatError:
            continue
        out.append((spec, label))
    return out


def default_bot() -> str:
    try:
        parse_seat("ai:normal", "us")
        return "ai:normal"
    except SeatError:
        return "random"


class MenuScreen(Screen):
    def __init__(self, app, seats: dict[str, Seat] | None = None, seed: int = 1,
                 turns: int | None = None) -> None:
        super().__init__(app)
        sc = app.scenario
        self.factions = sc.factions
        bot = default_bot()
        self.seat_cyclers: dict[str, Cycler] = {}
        for f in self.factions:
            options = seat_options(sc, f)
            cyc = Cycler(options, tooltip=f"Who plays the {sc.faction_names[f]}: a human at this "
                                          "screen or a bot. Click the arrows or use \u2190 \u2192.")
            spec = str(seats[f]) if seats and f in seats else ("human" if f == self.factions[0] else bot)
            if spec == "random" and seats and all(str(s) in ("random", "human") for s in seats.values()):
                spec = bot  # the command line's default seats: offer the real AI
            cyc.set(spec)
            if cyc.value != spec:
                cyc.options.append((spec, spec))
                cyc.set(spec)
            self.seat_cyclers[f] = cyc
        self.seed_text = str(seed)
        lengths = [(str(n), f"{n} turn{'s' if n > 1 else ''}") for n in range(1, 25)]
        self.length = Cycler(lengths, tooltip="Length of the game in monthly turns (the scenario: 12).")
        self.length.set(str(turns or sc.default_turns))
        self.focus = 0  # index into seats (0..3), then seed (4), then length (5)
        self.message = ""
        self.buttons = [
            Button("Start new game", self.start, "Enter", "Begin a game with these seats.", primary=True,
                   size=16),
            Button("Load game", self.load, "L", "Resume a saved game or an autosave (newest first)."),
            Button("Replay a save", self.replay, "R", "Step through a saved game move by move."),
            Button("Tutorial", self.tutorial, "T", "A guided first turn as the United States: the map, "
                                                  "the tracks, a move's odds and effects, the score."),
            Button("Factions", lambda: app.open_briefing(), "F2", "What each faction wants, how it "
                                                                  "scores, its moves."),
            Button("Quit", lambda: app.quit(0), "Q", "Close the window."),
        ]
        self.new_seed = Button("New seed", self.roll_seed, "N", "Pick a fresh seed from the clock.")
        for b in self.buttons[1:3]:
            b.enabled = saves.available()
            if not b.enabled:
                b.tooltip = saves.unavailable_reason()
        self.seed_rect = pygame.Rect(0, 0, 0, 0)

    # -- layout -----------------------------------------------------------------
    def layout(self, size) -> None:
        w, h = size
        self.panel = pygame.Rect(0, 0, min(760, w - 80), 470 if h >= 700 else 440)
        self.panel.center = (w // 2, h // 2 + 40)
        x = self.panel.x + 250
        y = self.panel.y + 56
        for f in self.factions:
            self.seat_cyclers[f].rect = pygame.Rect(x, y, 260, 34)
            y += 44
        self.seed_rect = pygame.Rect(x, y + 10, 150, 34)
        self.new_seed.rect = pygame.Rect(x + 160, y + 10, 100, 34)
        self.length.rect = pygame.Rect(x, y + 58, 260, 34)
        bx = self.panel.right - 200
        by = self.panel.y + 56
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(bx, by + i * 50, 180, 40)

    def widgets(self):
        return [*self.seat_cyclers.values(), self.length, self.new_seed, *self.buttons]

    # -- actions ------------------------------------------------------------------
    def seats(self) -> dict[str, Seat]:
        return {f: parse_seat(c.value, f) for f, c in self.seat_cyclers.items()}

    def seed(self) -> int:
        return int(self.seed_text) if self.seed_text.isdigit() else 0

    def roll_seed(self) -> None:
        self.seed_text = str(time.time_ns() // 1000 % 1_000_000)

    def start(self) -> None:
        from engine.ui.play import GameScreen
        try:
            session = self.app.new_session(self.seats(), self.seed(), int(self.length.value))
        except (SeatError, ValueError) as err:
            self.message = str(err)
            return
        self.app.push(GameScreen(self.app, session))
        self.roll_seed()   # the next new game gets a fresh seed (this one's is in its save)

    def tutorial(self) -> None:
        from engine.ui.tutorial import start_tutorial
        start_tutorial(self.app)

    def load(self) -> None:
        if saves.available():
            from engine.ui.files import FileScreen
            self.app.push(FileScreen(self.app, "load"))

    def replay(self) -> None:
        if saves.available():
            from engine.ui.files import FileScreen
            self.app.push(FileScreen(self.app, "replay"))

    # -- events -------------------------------------------------------------------
    def handle(self, event) -> bool:
        for i, f in enumerate(self.factions):
            if self.seat_cyclers[f].handle(event):
                self.focus = i
                return True
        if self.length.handle(event):
            self.focus = len(self.factions) + 1
            return True
        for b in [self.new_seed, *self.buttons]:
            if b.handle(event):
                return True
        if event.type == pygame.MOUSEBUTTONUP and self.seed_rect.collidepoint(event.pos):
            self.focus = len(self.factions)
            return True
        if event.type != pygame.KEYDOWN:
            return False
        key = event.key
        n = len(self.factions)
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()
        elif key in (pygame.K_DOWN, pygame.K_TAB):
            self.focus = (self.focus + 1) % (n + 2)
        elif key == pygame.K_UP:
            self.focus = (self.focus - 1) % (n + 2)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            delta = 1 if key == pygame.K_RIGHT else -1
            if self.focus < n:
                self.seat_cyclers[self.factions[self.focus]].step(delta)
            elif self.focus == n + 1:
                self.length.step(delta)
        elif self.focus == n and key == pygame.K_BACKSPACE:
            self.seed_text = self.seed_text[:-1]
        elif self.focus == n and event.unicode.isdigit():
            self.seed_text = (self.seed_text + event.unicode).lstrip("0")[:9] or "0"
        elif key == pygame.K_n:
            self.roll_seed()
        elif key == pygame.K_l:
            self.load()
        elif key == pygame.K_r:
            self.replay()
        elif key == pygame.K_t:
            self.tutorial()
        elif key in (pygame.K_q, pygame.K_ESCAPE):
            self.app.quit(0)
        else:
            return False
        return True

    def tip_at(self, pos) -> str:
        for w in self.widgets():
            tip = w.tip_at(pos)
            if tip:
                return tip
        if self.seed_rect.collidepoint(pos):
            return "The seed fixes the dice and the event deck: the same seed and moves give the same game."
        return ""

    def help_lines(self):
        return [("\u2191 \u2193  Tab", "choose a row: a seat, the seed or the length"),
                ("\u2190 \u2192", "change the chosen seat or length"),
                ("digits, Backspace", "type the seed (seed row chosen)"),
                ("N", "new seed from the clock"),
                ("Enter", "start the game"), ("L", "load a saved game"),
                ("R", "replay a save"), ("T", "the tutorial: a guided first turn"), ("Q or Esc", "quit")]

    # -- drawing ------------------------------------------------------------------
    def draw(self, surface) -> None:
        fonts = self.app.fonts
        w, h = surface.get_size()
        surface.fill(theme.BG)
        title = fonts.text("CROSSROADS", 44, theme.ACCENT, True)
        surface.blit(title, title.get_rect(center=(w // 2, self.panel.y - 92)))
        sub = fonts.text(self.app.scenario.title, 22, theme.TEXT)
        surface.blit(sub, sub.get_rect(center=(w // 2, self.panel.y - 48)))
        panel(surface, self.panel)
        surface.blit(fonts.text("New game", 17, theme.ACCENT, True), (self.panel.x + 20, self.panel.y + 16))
        n = len(self.factions)
        for i, f in enumerate(self.factions):
            cyc = self.seat_cyclers[f]
            faction_chip(surface, fonts, i, (self.panel.x + 34, cyc.rect.centery), 8)
            name = fonts.text(self.app.scenario.faction_names[f], 15, theme.TEXT, i == self.focus)
            surface.blit(name, (self.panel.x + 52, cyc.rect.centery - name.get_height() // 2))
            cyc.draw(surface, fonts, focused=self.focus == i)
        lab = fonts.text("Seed", 15, theme.TEXT, self.focus == n)
        surface.blit(lab, (self.panel.x + 52, self.seed_rect.centery - lab.get_height() // 2))
        pygame.draw.rect(surface, theme.BG, self.seed_rect, border_radius=5)
        pygame.draw.rect(surface, theme.SELECT if self.focus == n else theme.LINE, self.seed_rect,
                         2 if self.focus == n else 1, border_radius=5)
        caret = "\u258f" if self.focus == n and int(self.app.now * 2) % 2 == 0 else ""
        st = fonts.text(self.seed_text + caret, 16, theme.TEXT, True)
        surface.blit(st, (self.seed_rect.x + 10, self.seed_rect.centery - st.get_height() // 2))
        self.new_seed.draw(surface, fonts)
        lab = fonts.text("Length", 15, theme.TEXT, self.focus == n + 1)
        surface.blit(lab, (self.panel.x + 52, self.length.rect.centery - lab.get_height() // 2))
        self.length.draw(surface, fonts, focused=self.focus == n + 1)
        for b in self.buttons:
            b.draw(surface, fonts)
        humans = sum(1 for c in self.seat_cyclers.values() if c.value == "human")
        note = ("No human seat: you will watch the bots play (the white cell's view)." if humans == 0 else
                "Solo game: you may undo your own last move." if humans == 1 else
                f"Hot-seat for {humans} players: a hand-over screen hides each side's secrets.")
        if self.app.autosave_dir is not None:
            note += f" Games autosave in {saves.short_path(self.app.autosave_dir)}/ after every turn."
        y = self.length.rect.bottom + 24
        for line in fonts.wrap(note, self.panel.w - 40, 14):
            surface.blit(fonts.text(line, 14, theme.MUTED), (self.panel.x + 20, y))
            y += fonts.height(14)
        if self.message:
            surface.blit(fonts.text(fonts.fit(self.message, self.panel.w - 40, 14), 14, theme.VERMILLION),
                         (self.panel.x + 20, y + 4))
        foot = fonts.text("New here? T: tutorial \u00b7 F2: the factions \u00b7 F1: help \u00b7 Map outlines: Natural Earth (public domain) \u00b7 "
                          "Font: DejaVu Sans Condensed", 12, theme.DIM)
        surface.blit(foot, foot.get_rect(center=(w // 2, h - 16)))
