"""End of the game: how it ended, each faction's score and its breakdown."""

from __future__ import annotations

from pathlib import Path

import pygame

from engine.ui import saves, theme
from engine.ui.app import Screen
from engine.ui.notes import ReportJob, fit_message, report_dir
from engine.ui.paint import faction_chip, panel
from engine.ui.play import default_name
from engine.ui.session import Replay, Session
from engine.ui.widgets import Button


class EndScreen(Screen):
    def __init__(self, app, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.outcome = session.game.outcome()
        self.message = ""
        self.message_colour = theme.ORANGE
        self.job = ReportJob()
        # A solo game's report is the player's (what they could see); the game is over, so
        # the white cell's full report is offered too.  Hot-seat and bot games: the full one.
        self.player = session.humans[0] if len(session.humans) == 1 else None
        self.buttons = [
            Button("Replay", self.replay, "R", "Step through this game move by move.", primary=True),
            Button("Save", self.save, "S", "Save this game to a file (it was also autosaved)."),
            Button("Export report", lambda: self.export(self.player), "E",
                   "Write the after-action review (HTML, Markdown, charts)"
                   + (f" as {session.name(self.player)} saw the game." if self.player else
                      ": the white cell's, every secret shown.")),
        ]
        if self.player is not None:
            self.buttons.append(Button("Full report", lambda: self.export(None), "F",
                                       "Write the white cell's report: every faction's secrets shown."))
        self.buttons += [
            Button("New game", self.menu, "N", "Back to the main menu."),
            Button("Quit", lambda: app.quit(0), "Q", "Close the window."),
        ]

    def layout(self, size) -> None:
        w, h = size
        self.panel = pygame.Rect(40, 40, w - 80, h - 80)
        bw = min(150, (self.panel.w - 40) // len(self.buttons) - 12)
        x = self.panel.centerx - (len(self.buttons) * (bw + 12) - 12) // 2
        for b in self.buttons:
            b.rect = pygame.Rect(x, self.panel.bottom - 60, bw, 42)
            x += bw + 12

    def replay(self) -> None:
        from engine.ui.replay import ReplayScreen
        self.app.push(ReplayScreen(self.app, Replay.of_session(self.session)))

    def save(self) -> None:
        from engine.ui.files import SaveScreen

        def saved(path) -> None:
            self.message = f"Saved to {saves.short_path(path)}"
            self.message_colour = theme.ORANGE
        self.app.push(SaveScreen(self.app, self.session.recorder, default_name(self.session), saved))

    def report_stem(self) -> str:
        s = self.session
        return Path(s.recorder.save_path).stem if s.recorder.save_path else default_name(s)

    def export(self, faction: str | None) -> None:
        """Write the report in the worker thread; :meth:`update` shows where it went."""
        if self.job.busy:
            self.message, self.message_colour = "A report is being written…", theme.MUTED
            return
        out = report_dir(self.app.saves_dir, self.report_stem(), faction)
        if self.job.start(self.session.record, out, faction, self.report_stem()):
            whose = self.session.name(faction) if faction else "the white cell"
            self.message = f"Writing the report for {whose}…"
            self.message_colour = theme.MUTED

    def update(self, dt: float) -> None:
        done = self.job.poll()
        if done is not None:
            self.message = done
            self.message_colour = theme.GREEN if done.startswith("Report written") else theme.VERMILLION
        for b in self.buttons:
            if b.label in ("Export report", "Full report"):
                b.enabled = not self.job.busy

    def menu(self) -> None:
        from engine.ui.menu import MenuScreen
        self.app.reset_to(MenuScreen)

    def handle(self, event) -> bool:
        for b in self.buttons:
            if b.handle(event):
                return True
        if event.type == pygame.KEYDOWN:
            actions = {pygame.K_r: self.replay, pygame.K_s: self.save, pygame.K_n: self.menu,
                       pygame.K_e: lambda: self.export(self.player),
                       pygame.K_q: lambda: self.app.quit(0), pygame.K_ESCAPE: self.menu}
            if self.player is not None:
                actions[pygame.K_f] = lambda: self.export(None)
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
        lines = [("R", "replay this game"), ("S", "save it")]
        if self.player is not None:
            lines += [("E", f"export the report as {self.session.name(self.player)} saw the game"),
                      ("F", "export the full report (the white cell's: every secret)")]
        else:
            lines += [("E", "export the report (the white cell's: every secret)")]
        return lines + [("N or Esc", "main menu"), ("Q", "quit")]

    def terms_size(self, card_w: int, room: int) -> tuple[int, int]:
        """The largest size (13 down to 10) at which every card's terms fit ``room``, and the
        terms' indent (the points column)."""
        fonts = self.app.fonts
        points = [p for sc in self.outcome.scores.values() for _, p in sc.breakdown]
        for size in (13, 12, 11, 10):
            indent = 14 + max((fonts.width(f"{p:+d}", size, True) for p in points), default=24) + 8
            need = max((sum(len(fonts.wrap(label, card_w - indent - 12, size)) * fonts.height(size) + 2
                            for label, _ in sc.breakdown) for sc in self.outcome.scores.values()), default=0)
            if need <= room:
                return size, indent
        return 10, indent

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
        card_h = self.panel.bottom - 90 - y
        # Every term of every card, whole: the terms' size is the largest that fits them all.
        size, indent = self.terms_size(colw - 14, card_h - 92 - 6)
        self._cut = []   # terms that still did not fit (the layout test checks there are none)
        for i, f in enumerate(factions):
            score = o.scores[f]
            cx = x + i * colw
            card = pygame.Rect(cx, y, colw - 14, card_h)
            pygame.draw.rect(surface, theme.PANEL_HI, card, border_radius=6)
            pygame.draw.rect(surface, theme.YELLOW if score.total == best else theme.LINE, card,
                             2, border_radius=6)
            faction_chip(surface, fonts, i, (card.x + 16, card.y + 20), 8)
            name_size = next((n for n in (15, 14, 13, 12) if fonts.width(s.name(f), n, True) <= card.w - 40), 12)
            name = fonts.fit(s.name(f), card.w - 40, name_size, True)
            if name != s.name(f):
                self._cut.append(name)
            human = " (you)" if s.seats[f].human else f" ({s.seats[f]})"
            surface.blit(fonts.text(name, name_size, theme.TEXT, True), (card.x + 30, card.y + 10 + 15 - name_size))
            surface.blit(fonts.text(fonts.fit(human.strip(), card.w - 40, 12), 12, theme.MUTED),
                         (card.x + 30, card.y + 30))
            total = fonts.text(f"{score.total} points", 24, theme.TEXT, True)
            surface.blit(total, (card.x + 14, card.y + 52))
            yy = card.y + 92
            lh = fonts.height(size)
            for label, points in score.breakdown:
                lines = fonts.wrap(label, card.w - indent - 12, size)
                if yy + len(lines) * lh > card.bottom - 4:
                    self._cut.append(label)
                    continue
                colour = theme.GREEN if points > 0 else theme.ORANGE
                pt = fonts.text(f"{points:+d}", size, colour, True)
                surface.blit(pt, (card.x + 14, yy))
                for line in lines:
                    surface.blit(fonts.text(line, size, theme.TEXT), (card.x + indent, yy))
                    yy += lh
                yy += 2
        for b in self.buttons:
            b.draw(surface, fonts)
        if self.message:
            t = fonts.text(fit_message(fonts, self.message, self.panel.w - 40, 13), 13, self.message_colour)
            surface.blit(t, t.get_rect(midbottom=(self.panel.centerx, self.panel.bottom - 66)))
