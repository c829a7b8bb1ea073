"""End of the game: how it ended, each faction's score and its breakdown."""

from __future__ import annotations

import pygame

from engine.ui import saves, theme
from engine.ui.app import Screen
from engine.ui.paint import faction_chip, panel
from engine.ui.session import Replay, Session
from engine.ui.widgets import Button


class EndScreen(Screen):
    def __init__(self, app, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.outcome = session.game.outcome()
        self.message = ""
        self.buttons = [
            Button("Replay", self.replay, "R", "Step through this game move by move.", primary=True),
            Button("Save", self.save, "S", "Save this game to a file (it was also autosaved)."),
            Button("New game", self.menu, "N", "Back to the main menu."),
            Button("Quit", lambda: app.quit(0), "Q", "Close the window."),
        ]

    def layout(self, size) -> None:
        w, h = size
        self.panel = pygame.Rect(40, 40, w - 80, h - 80)
        bw = 150
        x = self.panel.centerx - (len(self.buttons) * (bw + 12) - 12) // 2
        for b in self.buttons:
            b.rect = pygame.Rect(x, self.panel.bottom - 60, bw, 42)
            x += bw + 12

    def replay(self) -> None:
        from engine.ui.replay import ReplayScreen
        self.app.push(ReplayScreen(self.app, Replay.of_session(self.session)))

    def save(self) -> None:
        from engine.ui.files import SaveScreen
        from engine.ui.play import default_name

        def saved(path) -> None:
            self.message = f"Saved to {saves.short_path(path)}"
        self.app.push(SaveScreen(self.app, self.session.recorder, default_name(self.session), saved))

    def menu(self) -> None:
        from engine.ui.menu import MenuScreen
        self.app.reset_to(MenuScreen)

    def handle(self, event) -> bool:
        for b in self.buttons:
            if b.handle(event):
                return True
        if event.type == pygame.KEYDOWN:
            actions = {pygame.K_r: self.replay, pygame.K_s: self.save, pygame.K_n: self.menu,
                       pygame.K_q: lambda: self.app.quit(0), pygame.K_ESCAPE: self.menu}
            if event.key in actions:
                actions[event.key]()
                return True
        return False

    def tip_at(self, pos) -> str:
        for b in self.buttons:
            if b.tip_at(pos):
                return b.tip_at(pos)
        return ""

    def help_lines(self):
        return [("R", "replay this game"), ("S", "save it"), ("N or Esc", "main menu"), ("Q", "quit")]

    def draw(self, surface) -> None:
        fonts = self.app.fonts
        s = self.session
        o = self.outcome
        surface.fill(theme.BG)
        panel(surface, self.panel)
        x, y = self.panel.x + 30, self.panel.y + 22
        surface.blit(fonts.text("Game over", 30, theme.ACCENT, True), (x, y))
        y += 44
        surface.blit(fonts.text(o.description, 18, theme.TEXT), (x, y))
        y += 30
        winners = " and ".join(s.name(f) for f in o.winners)
        surface.blit(fonts.text(f"Winner: {winners}", 20, theme.YELLOW, True), (x, y))
        y += 44
        factions = s.scenario.factions
        cols = len(factions)
        colw = (self.panel.w - 60) // cols
        best = max(sc.total for sc in o.scores.values())
        for i, f in enumerate(factions):
            score = o.scores[f]
            cx = x + i * colw
            card = pygame.Rect(cx, y, colw - 14, self.panel.bottom - 90 - y)
            pygame.draw.rect(surface, theme.PANEL_HI, card, border_radius=6)
            pygame.draw.rect(surface, theme.YELLOW if score.total == best else theme.LINE, card,
                             2, border_radius=6)
            faction_chip(surface, fonts, i, (card.x + 16, card.y + 20), 8)
            name = fonts.fit(s.name(f), card.w - 40, 15, True)
            human = " (you)" if s.seats[f].human else f" ({s.seats[f]})"
            surface.blit(fonts.text(name, 15, theme.TEXT, True), (card.x + 30, card.y + 10))
            surface.blit(fonts.text(fonts.fit(human.strip(), card.w - 40, 12), 12, theme.MUTED),
                         (card.x + 30, card.y + 30))
            total = fonts.text(f"{score.total} points", 24, theme.TEXT, True)
            surface.blit(total, (card.x + 14, card.y + 52))
            yy = card.y + 92
            for label, points in score.breakdown:
                colour = theme.GREEN if points > 0 else theme.ORANGE
                pt = fonts.text(f"{points:+d}", 13, colour, True)
                surface.blit(pt, (card.x + 14, yy))
                for line in fonts.wrap(label, card.w - 64, 13):
                    surface.blit(fonts.text(line, 13, theme.TEXT), (card.x + 52, yy))
                    yy += fonts.height(13)
                yy += 2
        for b in self.buttons:
            b.draw(surface, fonts)
        if self.message:
            t = fonts.text(fonts.fit(self.message, self.panel.w - 40, 13), 13, theme.ORANGE)
            surface.blit(t, t.get_rect(midbottom=(self.panel.centerx, self.panel.bottom - 66)))
