"""The factions' briefings: what each wants, how it scores, its moves, its actions.

Every word but "what it wants" is read from the rules at run time
(``Scenario.briefing``, rules/briefing.py), on the board the reader may
see: the start position from the menu, the live game from the game screen.
Reachable from the menu (*Factions*), from a click on a score or a turn-order
chip, and from F2 anywhere.  ← → or the tabs switch faction; Esc closes.
"""

from __future__ import annotations

import pygame

from engine.ui import theme
from engine.ui.app import Screen
from engine.ui.paint import faction_chip
from engine.ui.widgets import Button, ScrollList


class BriefingScreen(Screen):
    opaque = False
    is_briefing = True

    def __init__(self, app, board_for, faction: str | None = None) -> None:
        """``board_for(faction)`` gives the board that faction may see."""
        super().__init__(app)
        sc = app.scenario
        self.factions = sc.factions
        self.board_for = board_for
        self.index = self.factions.index(faction) if faction in self.factions else 0
        self.list = ScrollList(size=14)
        self.tabs = [Button(sc.faction_names[f], lambda i=i: self.show(i), "",
                            f"The {sc.faction_names[f]}'s briefing.") for i, f in enumerate(self.factions)]
        self.close = Button("Close", self.app.pop, "Esc", "Back.", primary=True)
        self.show(self.index)

    def show(self, index: int) -> None:
        self.index = index % len(self.factions)
        f = self.factions[self.index]
        rows = []
        for heading, text in self.app.scenario.briefing(self.board_for(f), f):
            rows.append((heading, "header", None))
            rows.append((text, theme.TEXT, None))
            rows.append(("", "dim", None))
        self.list.set_rows(rows)
        self.list.scroll = 0
        for i, tab in enumerate(self.tabs):
            tab.active = i == self.index

    def layout(self, size) -> None:
        w, h = size
        bw, bh = min(820, w - 40), min(600, h - 40)
        self.box = pygame.Rect((w - bw) // 2, (h - bh) // 2, bw, bh)
        tw = (bw - 40 - 8 * (len(self.tabs) - 1)) // len(self.tabs)
        for i, tab in enumerate(self.tabs):
            tab.rect = pygame.Rect(self.box.x + 20 + i * (tw + 8), self.box.y + 52, tw, 32)
            tab.size = 13
        self.list.rect = pygame.Rect(self.box.x + 20, self.box.y + 96, bw - 40, bh - 96 - 62)
        self.close.rect = pygame.Rect(self.box.centerx - 80, self.box.bottom - 52, 160, 40)
        self.list._wrap_width = -1

    def widgets(self):
        return [("box", self.box), *[("tab", t.rect) for t in self.tabs], ("list", self.list.rect),
                ("close", self.close.rect)]

    def handle(self, event) -> bool:
        for tab in self.tabs:
            if tab.handle(event):
                return True
        if self.close.handle(event) or self.list.handle(event):
            return True
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_F2):
                self.app.pop()
            elif event.key in (pygame.K_RIGHT, pygame.K_TAB):
                self.show(self.index + 1)
            elif event.key == pygame.K_LEFT:
                self.show(self.index - 1)
            elif event.key in (pygame.K_DOWN, pygame.K_PAGEDOWN):
                self.list.scroll_by(3)
            elif event.key in (pygame.K_UP, pygame.K_PAGEUP):
                self.list.scroll_by(-3)
            return True
        return False

    def tip_at(self, pos) -> str:
        for b in [*self.tabs, self.close]:
            tip = b.tip_at(pos)
            if tip:
                return tip
        return ""

    def help_lines(self):
        return [("\u2190 \u2192  Tab", "another faction"), ("\u2191 \u2193, wheel", "scroll"),
                ("Esc, Enter, F2", "close the briefing")]

    def draw(self, surface) -> None:
        fonts = self.app.fonts
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 170))
        surface.blit(shade, (0, 0))
        pygame.draw.rect(surface, theme.PANEL, self.box, border_radius=8)
        pygame.draw.rect(surface, theme.ACCENT, self.box, 2, border_radius=8)
        f = self.factions[self.index]
        faction_chip(surface, fonts, self.index, (self.box.x + 30, self.box.y + 28), 9)
        title = fonts.fit(f"Briefing \u2014 {self.app.scenario.faction_names[f]}", self.box.w - 80, 20, True)
        surface.blit(fonts.text(title, 20, theme.ACCENT, True), (self.box.x + 48, self.box.y + 15))
        for tab in self.tabs:
            tab.draw(surface, fonts)
        self.list.draw(surface, fonts)
        self.close.draw(surface, fonts)
