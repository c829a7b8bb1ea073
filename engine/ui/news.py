"""Turn summaries and call-outs: the window stops for what a player must not miss.

* A **call-out** stops the game at a moment that changes it — a withdrawal
  vote's result, a new government, a change of US posture, the brink of war
  or of collapse — named by the scenario (``Scenario.moments``), read from
  the tracks that moved and what the step logged.
* A **turn summary** greets a human seat when its turn comes back: what
  happened since its last move, by faction, the event card and what it
  changed, and how each score moved.

Both are overlays over the game screen; Enter, Space or a click continues.
The pace setting skips them ("instant"), and so does the screenshot/test
speed unless a test asks for them.
"""

from __future__ import annotations

import pygame

from engine.ui import theme
from engine.ui.app import Screen
from engine.ui.paint import faction_chip
from engine.ui.widgets import Button, ScrollList


def callouts(session, index: int, viewer: str | None) -> list[tuple[str, list[str]]]:
    """The moments of entry ``index`` (a move and what followed it) as ``viewer`` saw them."""
    if index <= 0 or index >= len(session.states):
        return []
    sc = session.scenario
    before, after = session.states[index - 1].board, session.states[index].board
    if viewer is not None:
        before, after = sc.view(before, viewer), sc.view(after, viewer)
    lines = tuple(session.entry_lines(session.entries[index], viewer))
    return sc.moments(before, after, lines)


def summary_rows(session, start: int, viewer: str | None) -> list[tuple[str, object, None]]:
    """What happened from entry ``start`` on, as ``viewer`` read it: turn by turn and
    faction by faction, the events with their effects, then the scores' changes."""
    sc = session.scenario
    lines = [line for i in range(max(1, start), len(session.entries))
             for line in session.entry_lines(session.entries[i], viewer)]
    rows = line_rows(lines)
    if 0 < start <= len(session.states) - 1:
        rows += score_rows(sc, _totals(session, start - 1, viewer),
                           _totals(session, len(session.states) - 1, viewer))
    return rows


def line_rows(lines) -> list[tuple[str, object, None]]:
    """Log lines as a summary's rows: turn headers, event cards, each faction's move,
    what it changed indented; the dice are left in the log."""
    rows: list[tuple[str, object, None]] = []
    for line in lines:
        text = line.strip()
        if line.startswith("\u2014 Turn"):
            rows.append((text, "header", None))
        elif line.startswith("Event:"):
            rows.append((text, theme.YELLOW, None))
        elif line.startswith("T") and ":" in line and not line.startswith("  "):
            rows.append((text.split(" ", 1)[1] if " " in text else text, theme.TEXT, None))
        elif ": rolled " in line:
            continue  # the dice are in the log; the summary keeps what changed
        else:
            rows.append(("  " + text, "dim", None))
    return rows


def score_rows(scenario, old: dict[str, int], new: dict[str, int]) -> list[tuple[str, object, None]]:
    """How each score moved from ``old`` to ``new`` (totals by faction)."""
    rows: list[tuple[str, object, None]] = [("Score since then", "header", None)]
    for f in scenario.factions:
        if f not in old or f not in new:
            continue
        d = new[f] - old[f]
        rows.append((f"  {scenario.faction_names[f]}: {old[f]} \u2192 {new[f]} ({d:+d})",
                     theme.GREEN if d > 0 else (theme.ORANGE if d < 0 else theme.MUTED), None))
    return rows


def callout_rows(found: list[tuple[str, list[str]]], prefix: str = "") -> list[tuple[str, object, None]]:
    """Call-outs' rows: the first headline is the title, later ones head their lines."""
    rows: list[tuple[str, object, None]] = []
    for i, (head, lines) in enumerate(found):
        if i or prefix:
            rows.append((prefix + head, "header", None))
        rows += [(line, theme.TEXT, None) for line in lines]
    return rows


def _totals(session, index: int, viewer) -> dict[str, int]:
    return session.score_trail(viewer)[index]


class NewsScreen(Screen):
    """An overlay: a headline, the rows under it, Continue."""

    opaque = False

    def __init__(self, app, kind: str, title: str, rows, faction_index: int | None = None,
                 live=None) -> None:
        super().__init__(app)
        self.kind = kind            # "callout" or "summary"
        self.title = title
        self.faction_index = faction_index
        self.list = ScrollList(size=13)
        self.list.set_rows(rows)
        self.ok = Button("Continue", self.app.pop, "Enter", "Back to the game.", primary=True)
        # A networked window's screen below keeps taking the server's frames while this
        # is up (the exercise does not wait); more news joins this overlay (:meth:`add`).
        self.live = live

    def add(self, rows) -> None:
        """More news for the same overlay (a networked game moved on while it was up)."""
        self.list.set_rows(list(self.list.rows) + list(rows))
        if self.app.size:
            self.layout(self.app.size)

    def update(self, dt: float) -> None:
        if self.live is not None:
            self.live.update(dt)

    def layout(self, size) -> None:
        w, h = size
        bw = min(720, w - 60)
        bh = min(h - 60, 170 + 19 * max(4, len(self.list.rows))) if self.kind == "summary" else \
            min(h - 80, 190 + 19 * max(2, len(self.list.rows)))
        self.box = pygame.Rect((w - bw) // 2, (h - bh) // 2, bw, bh)
        self.list.rect = pygame.Rect(self.box.x + 20, self.box.y + 64, bw - 40, bh - 64 - 66)
        self.ok.rect = pygame.Rect(self.box.centerx - 90, self.box.bottom - 54, 180, 40)

    def handle(self, event) -> bool:
        if self.ok.handle(event) or self.list.handle(event):
            return True
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_ESCAPE):
                self.app.pop()
            elif event.key == pygame.K_PAGEDOWN:
                self.list.scroll_by(self.list.visible_rows())
            elif event.key == pygame.K_PAGEUP:
                self.list.scroll_by(-self.list.visible_rows())
            return True
        return False

    def tip_at(self, pos) -> str:
        return self.ok.tip_at(pos)

    def help_lines(self):
        return [("Enter, Space, Esc", "continue the game"), ("PgUp PgDn, wheel", "scroll")]

    def widgets(self):
        return [("box", self.box), ("list", self.list.rect), ("continue", self.ok.rect)]

    def draw(self, surface) -> None:
        fonts = self.app.fonts
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 140))
        surface.blit(shade, (0, 0))
        colour = theme.YELLOW if self.kind == "callout" else theme.ACCENT
        pygame.draw.rect(surface, theme.PANEL, self.box, border_radius=8)
        pygame.draw.rect(surface, colour, self.box, 3 if self.kind == "callout" else 2, border_radius=8)
        x = self.box.x + 20
        if self.faction_index is not None:
            faction_chip(surface, fonts, self.faction_index, (x + 8, self.box.y + 30), 8)
            x += 26
        label = "What changed the game" if self.kind == "callout" else "Since your last move"
        surface.blit(fonts.text(label, 12, theme.MUTED, True), (x, self.box.y + 10))
        title = fonts.fit(self.title, self.box.right - x - 20, 20, True)
        surface.blit(fonts.text(title, 20, colour, True), (x, self.box.y + 26))
        self.list.draw(surface, fonts)
        self.ok.draw(surface, fonts)
