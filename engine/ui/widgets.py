"""Small widgets drawn by the project: buttons, cyclers, scroll lists, sliders.

Each widget owns a rectangle, draws itself with cached text, and answers
``handle(event) -> bool`` (True when it used the event).  A widget may carry
a tooltip; the app shows the tooltip of whatever the mouse rests on.
"""

from __future__ import annotations

from typing import Callable, Sequence

import pygame

from engine.ui import theme
from engine.ui.theme import Fonts


class Widget:
    tooltip: str = ""

    def __init__(self, rect=None) -> None:
        self.rect = pygame.Rect(rect or (0, 0, 0, 0))
        self.visible = True

    def handle(self, event: pygame.event.Event) -> bool:
        return False

    def draw(self, surface: pygame.Surface, fonts: Fonts) -> None:
        pass

    def tip_at(self, pos) -> str:
        return self.tooltip if self.visible and self.rect.collidepoint(pos) else ""


def clicked(event, rect: pygame.Rect) -> bool:
    return (event.type == pygame.MOUSEBUTTONUP and event.button == 1 and rect.collidepoint(event.pos))


class Button(Widget):
    """A labelled button; ``key`` is shown as a hint and named in the tooltip."""

    def __init__(self, label: str, action: Callable[[], None], key: str = "", tooltip: str = "",
                 rect=None, primary: bool = False, size: int = 14) -> None:
        super().__init__(rect)
        self.label = label
        self.action = action
        self.key = key
        self.tooltip = tooltip + (f"  [{key}]" if key else "")
        self.enabled = True
        self.primary = primary
        self.active = False  # a toggled-on look
        self.size = size
        self._pressed = False

    def handle(self, event) -> bool:
        if not self.visible:
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self._pressed = True
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            was, self._pressed = self._pressed, False
            if self.rect.collidepoint(event.pos) and was and self.enabled:
                self.action()
                return True
        return False

    def draw(self, surface, fonts) -> None:
        if not self.visible:
            return
        hover = self.rect.collidepoint(pygame.mouse.get_pos())
        if not self.enabled:
            bg, fg = theme.PANEL, theme.DIM
        elif self.primary:
            bg, fg = (theme.ACCENT if not hover else (245, 180, 40)), theme.INK
        elif self.active:
            bg, fg = theme.SELECT, theme.INK
        else:
            bg, fg = (theme.PANEL_HI if not hover else theme.LINE), theme.TEXT
        pygame.draw.rect(surface, bg, self.rect, border_radius=5)
        pygame.draw.rect(surface, theme.LINE, self.rect, 1, border_radius=5)
        label = fonts.fit(self.label, self.rect.w - 10, self.size, True)
        text = fonts.text(label, self.size, fg, True)
        surface.blit(text, text.get_rect(center=self.rect.center))


class Cycler(Widget):
    """A choice among options: click (or left/right arrows) to step through them."""

    def __init__(self, options: Sequence[tuple[str, str]], index: int = 0, rect=None,
                 tooltip: str = "", on_change: Callable[[str], None] | None = None) -> None:
        super().__init__(rect)
        self.options = list(options)  # (value, label)
        self.index = index
        self.tooltip = tooltip
        self.on_change = on_change

    @property
    def value(self) -> str:
        return self.options[self.index][0]

    def set(self, value: str) -> None:
        for i, (v, _) in enumerate(self.options):
            if v == value:
                self.index = i

    def step(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.options)
        if self.on_change:
            self.on_change(self.value)

    def handle(self, event) -> bool:
        if event.type == pygame.MOUSEBUTTONUP and self.rect.collidepoint(event.pos):
            if event.button == 1:
                self.step(-1 if event.pos[0] < self.rect.x + 24 else 1)
                return True
            if event.button == 3:
                self.step(-1)
                return True
        return event.type == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos)

    def draw(self, surface, fonts, focused: bool = False) -> None:
        hover = self.rect.collidepoint(pygame.mouse.get_pos())
        pygame.draw.rect(surface, theme.PANEL_HI if not hover else theme.LINE, self.rect, border_radius=5)
        pygame.draw.rect(surface, theme.SELECT if focused else theme.LINE, self.rect, 2 if focused else 1,
                         border_radius=5)
        for glyph, x in (("\u25c0", self.rect.x + 12), ("\u25b6", self.rect.right - 12)):
            t = fonts.text(glyph, 12, theme.MUTED)
            surface.blit(t, t.get_rect(center=(x, self.rect.centery)))
        label = fonts.fit(self.options[self.index][1], self.rect.w - 52, 15, True)
        t = fonts.text(label, 15, theme.TEXT, True)
        surface.blit(t, t.get_rect(center=self.rect.center))


class Slider(Widget):
    """An integer between ``lo`` and ``hi``, dragged or clicked."""

    def __init__(self, lo: int, hi: int, value: int, on_change: Callable[[int], None], rect=None,
                 tooltip: str = "") -> None:
        super().__init__(rect)
        self.lo, self.hi, self.value = lo, hi, value
        self.on_change = on_change
        self.tooltip = tooltip
        self._drag = False
        self.ticks: list[int] = []
        self.marks: list[int] = []   # highlighted values (a replay's bookmarks)
        self.moments: list[int] = []  # values marked below the track (a replay's call-outs)

    def _value_at(self, x: int) -> int:
        if self.hi <= self.lo:
            return self.lo
        frac = (x - self.rect.x - 8) / max(1, self.rect.w - 16)
        return max(self.lo, min(self.hi, round(self.lo + frac * (self.hi - self.lo))))

    def _x_of(self, value: int) -> int:
        span = max(1, self.hi - self.lo)
        return int(self.rect.x + 8 + (value - self.lo) / span * (self.rect.w - 16))

    def handle(self, event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self._drag = True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._drag:
            self._drag = False
            self._set(self._value_at(event.pos[0]))
            return True
        elif event.type == pygame.MOUSEMOTION and self._drag:
            self._set(self._value_at(event.pos[0]))
        else:
            return False
        return True

    def _set(self, value: int) -> None:
        if value != self.value:
            self.value = value
            self.on_change(value)

    def draw(self, surface, fonts) -> None:
        cy = self.rect.centery
        pygame.draw.line(surface, theme.LINE, (self.rect.x + 8, cy), (self.rect.right - 8, cy), 4)
        for t in self.ticks:
            x = self._x_of(t)
            pygame.draw.line(surface, theme.MUTED, (x, cy - 7), (x, cy + 7), 1)
        for m in self.marks:
            x = self._x_of(m)
            top = self.rect.y
            pygame.draw.polygon(surface, theme.YELLOW, [(x - 5, top), (x + 5, top), (x, top + 7)])
        for m in self.moments:
            x = self._x_of(m)
            low = self.rect.bottom - 1
            pygame.draw.polygon(surface, theme.ORANGE, [(x, low - 8), (x + 5, low - 4), (x, low), (x - 5, low - 4)])
        x = self._x_of(self.value)
        pygame.draw.line(surface, theme.SELECT, (self.rect.x + 8, cy), (x, cy), 4)
        pygame.draw.circle(surface, theme.SELECT, (x, cy), 8)
        pygame.draw.circle(surface, theme.INK, (x, cy), 8, 1)


class ScrollList(Widget):
    """Rows of text in a scrolling box; rows may be headers, selectable or plain.

    A row is ``(text, style, key)``: style ``header``, ``item``, ``dim`` or a
    colour; ``key`` is what selecting the row returns (None: not selectable).
    The visible rows are rendered to a cached surface, redrawn only when the
    rows, the scroll or the selection change.
    """

    def __init__(self, rect=None, size: int = 13, on_select: Callable[[object], None] | None = None,
                 on_hover: Callable[[object], None] | None = None, stick_to_end: bool = False) -> None:
        super().__init__(rect)
        self.size = size
        self.rows: list[tuple[str, object, object]] = []
        self.scroll = 0
        self.selected: object = None
        self.hovered: object = None
        self.on_select = on_select
        self.on_hover = on_hover
        self.stick_to_end = stick_to_end
        self._surface: pygame.Surface | None = None
        self._dirty = True
        self._wrapped: list[tuple[str, object, object]] = []
        self._wrap_width = -1
        self._fonts: Fonts | None = None
        self._tips: dict[object, str] = {}

    # -- content ------------------------------------------------------------
    def set_rows(self, rows, tips: dict | None = None) -> None:
        at_end = self.scroll >= self.max_scroll() - 1
        self.rows = list(rows)
        self._tips = tips or {}
        self._wrap_width = -1
        self._dirty = True
        if self.stick_to_end and at_end:
            self.scroll = 10 ** 9

    def line_h(self) -> int:
        return self.size + 5

    def _wrap(self, fonts: Fonts) -> None:
        width = self.rect.w - 22
        if width == self._wrap_width and self._fonts is fonts:
            return
        self._fonts = fonts
        self._wrap_width = width
        out = []
        for text, style, key in self.rows:
            bold = style == "header"
            for i, line in enumerate(fonts.wrap(text, width - (8 if key is not None else 0), self.size, bold)):
                out.append((line, style, key))
        self._wrapped = out

    def max_scroll(self) -> int:
        return max(0, len(self._wrapped) - self.visible_rows())

    def visible_rows(self) -> int:
        return max(1, (self.rect.h - 6) // self.line_h())

    def scroll_to(self, key) -> None:
        for i, (_, _, k) in enumerate(self._wrapped):
            if k == key:
                if i < self.scroll or i >= self.scroll + self.visible_rows():
                    self.scroll = max(0, i - self.visible_rows() // 2)
                    self._dirty = True
                return

    def keys(self) -> list:
        return list(dict.fromkeys(k for _, _, k in self.rows if k is not None))

    def key_at(self, pos):
        if not self.rect.collidepoint(pos):
            return None
        i = self.scroll + (pos[1] - self.rect.y - 3) // self.line_h()
        if 0 <= i < len(self._wrapped):
            return self._wrapped[i][2]
        return None

    def row_rect(self, key) -> pygame.Rect | None:
        """Screen rectangle of the first line of row ``key`` if visible (for tests and tips)."""
        for i, (_, _, k) in enumerate(self._wrapped):
            if k == key:
                j = i - self.scroll
                if 0 <= j < self.visible_rows():
                    return pygame.Rect(self.rect.x + 4, self.rect.y + 3 + j * self.line_h(),
                                       self.rect.w - 20, self.line_h())
                return None
        return None

    def tip_at(self, pos) -> str:
        key = self.key_at(pos)
        return self._tips.get(key, "") if key is not None else ""

    # -- events -------------------------------------------------------------
    def handle(self, event) -> bool:
        if event.type == pygame.MOUSEWHEEL:
            if self.rect.collidepoint(pygame.mouse.get_pos()):
                self.scroll_by(-event.y * 3)
                return True
            return False
        if event.type == pygame.MOUSEMOTION:
            key = self.key_at(event.pos)
            if key != self.hovered:
                self.hovered = key
                self._dirty = True
                if self.on_hover:
                    self.on_hover(key)
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos):
            if event.button in (4, 5):
                self.scroll_by(3 if event.button == 5 else -3)
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.rect.collidepoint(event.pos):
            key = self.key_at(event.pos)
            if key is not None:
                self.select(key)
            return True
        return False

    def scroll_by(self, n: int) -> None:
        self.scroll = max(0, min(self.max_scroll(), self.scroll + n))
        self._dirty = True

    def select(self, key) -> None:
        self.selected = key
        self._dirty = True
        if self.on_select:
            self.on_select(key)

    def move_selection(self, delta: int) -> None:
        keys = self.keys()
        if not keys:
            return
        i = keys.index(self.selected) + delta if self.selected in keys else (0 if delta > 0 else len(keys) - 1)
        self.select(keys[max(0, min(len(keys) - 1, i))])
        self.scroll_to(self.selected)

    # -- drawing ------------------------------------------------------------
    def draw(self, surface, fonts) -> None:
        self._wrap(fonts)
        self.scroll = max(0, min(self.scroll, self.max_scroll()))
        if self._surface is None or self._surface.get_size() != self.rect.size:
            self._surface = pygame.Surface(self.rect.size)
            self._dirty = True
        if self._dirty:
            self._render(fonts)
            self._dirty = False
        surface.blit(self._surface, self.rect)

    def _render(self, fonts: Fonts) -> None:
        surf = self._surface
        surf.fill(theme.PANEL)
        lh = self.line_h()
        y = 3
        for line, style, key in self._wrapped[self.scroll: self.scroll + self.visible_rows()]:
            x = 6
            if key is not None:
                x = 14
                if key == self.selected:
                    pygame.draw.rect(surf, theme.SELECT, (2, y - 1, self.rect.w - 16, lh), border_radius=3)
                elif key == self.hovered:
                    pygame.draw.rect(surf, theme.PANEL_HI, (2, y - 1, self.rect.w - 16, lh), border_radius=3)
            if style == "header":
                colour, bold = theme.ACCENT, True
            elif style == "dim":
                colour, bold = theme.MUTED, False
            elif isinstance(style, tuple):
                colour, bold = style, False
            else:
                colour, bold = theme.TEXT, False
            if key is not None and key == self.selected:
                colour = theme.INK
            surf.blit(fonts.text(line, self.size, colour, bold), (x, y))
            y += lh
        total = len(self._wrapped)
        vis = self.visible_rows()
        if total > vis:
            track_h = self.rect.h - 6
            bar_h = max(20, track_h * vis // total)
            bar_y = 3 + (track_h - bar_h) * self.scroll // max(1, total - vis)
            pygame.draw.rect(surf, theme.LINE, (self.rect.w - 9, bar_y, 6, bar_h), border_radius=3)
        pygame.draw.rect(surf, theme.LINE, surf.get_rect(), 1)


# -- a one-line text entry in a modal box (save as, notes) ---------------------------
def entry_box(size, width: int) -> tuple[pygame.Rect, pygame.Rect]:
    """The centred box of a one-line entry dialog and its text field."""
    w, h = size
    box = pygame.Rect(0, 0, min(width, w - 40), 230)
    box.center = (w // 2, h // 2)
    return box, pygame.Rect(box.x + 20, box.y + 76, box.w - 40, 36)


def edit_line(event, text: str, limit: int) -> str | None:
    """``text`` after a key that edits it (backspace, a printable character), else None."""
    if event.key == pygame.K_BACKSPACE:
        return text[:-1]
    if event.unicode and event.unicode.isprintable() and len(text) < limit:
        return text + event.unicode
    return None


def draw_entry(surface: pygame.Surface, fonts: Fonts, now: float, box: pygame.Rect,
               field: pygame.Rect, title: str, about: str, text: str, message: str,
               bold: bool = False) -> None:
    """A shaded screen, the box with its title and line of help, the field with a
    blinking caret (the text's start elided when too long) and any error message."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 150))
    surface.blit(shade, (0, 0))
    b = box
    pygame.draw.rect(surface, theme.PANEL, b, border_radius=8)
    pygame.draw.rect(surface, theme.ACCENT, b, 2, border_radius=8)
    surface.blit(fonts.text(fonts.fit(title, b.w - 40, 20, True), 20, theme.ACCENT, True),
                 (b.x + 20, b.y + 14))
    surface.blit(fonts.text(fonts.fit(about, b.w - 40, 14), 14, theme.MUTED), (b.x + 20, b.y + 48))
    pygame.draw.rect(surface, theme.BG, field, border_radius=5)
    pygame.draw.rect(surface, theme.SELECT, field, 2, border_radius=5)
    caret = "\u258f" if int(now * 2) % 2 == 0 else " "
    shown = text + caret
    while len(shown) > 2 and fonts.width(shown, 16, bold) > field.w - 20:
        shown = "\u2026" + shown[2:]
    t = fonts.text(shown, 16, theme.TEXT, bold)
    surface.blit(t, (field.x + 10, field.centery - t.get_height() // 2))
    if message:
        m = fonts.text(fonts.fit(message, b.w - 40, 14), 14, theme.VERMILLION, True)
        surface.blit(m, (b.x + 20, field.bottom + 12))
