"""Drawing helpers shared by the screens: panels, dice, odds, gauges, text blocks."""

from __future__ import annotations

import re
from typing import Sequence

import attrs
import pygame

from engine.checks import TIERS
from engine.display import Gauge, Section
from engine.ui import theme
from engine.ui.theme import Fonts, draw_shape

ROLL = re.compile(r"^\s*(?P<name>.+?): rolled (?P<d1>\d)\+(?P<d2>\d) (?P<sign>[+\u2212-])(?P<net>\d+) = "
                  r"(?P<total>-?\d+) vs (?P<target>\d+) \u2192 (?P<tier>\w+)")


def panel(surface, rect, title: str = "", fonts: Fonts | None = None, colour=theme.PANEL) -> int:
    """A panel with an optional title; returns the y where content starts."""
    pygame.draw.rect(surface, colour, rect, border_radius=6)
    pygame.draw.rect(surface, theme.LINE, rect, 1, border_radius=6)
    if title and fonts:
        surface.blit(fonts.text(title, 14, theme.ACCENT, True), (rect.x + 10, rect.y + 6))
        return rect.y + 8 + fonts.height(14, True)
    return rect.y + 6


def text_block(surface, fonts: Fonts, lines: Sequence[tuple[str, object]], rect: pygame.Rect,
               y: int, size: int = 13) -> int:
    """Wrapped lines ``(text, colour)`` from ``y`` down, clipped to ``rect``; returns the next y."""
    lh = fonts.height(size)
    for text, colour in lines:
        bold = False
        if isinstance(colour, tuple) and len(colour) == 2 and isinstance(colour[1], bool):
            colour, bold = colour
        for line in fonts.wrap(text, rect.w - 20, size, bold):
            if y + lh > rect.bottom - 4:
                return y
            surface.blit(fonts.text(line, size, colour, bold), (rect.x + 10, y))
            y += lh
    return y


def die(surface, rect: pygame.Rect, value: int) -> None:
    pygame.draw.rect(surface, (250, 248, 240), rect, border_radius=6)
    pygame.draw.rect(surface, theme.INK, rect, 2, border_radius=6)
    pips = {1: [(1, 1)], 2: [(0, 0), (2, 2)], 3: [(0, 0), (1, 1), (2, 2)],
            4: [(0, 0), (2, 0), (0, 2), (2, 2)], 5: [(0, 0), (2, 0), (1, 1), (0, 2), (2, 2)],
            6: [(0, 0), (2, 0), (0, 1), (2, 1), (0, 2), (2, 2)]}[value]
    step = rect.w / 4
    for cx, cy in pips:
        pygame.draw.circle(surface, theme.INK, (int(rect.x + step * (cx + 1)), int(rect.y + step * (cy + 1))),
                           max(2, rect.w // 10))


def roll_of(lines: Sequence[str]):
    for line in lines:
        m = ROLL.match(line)
        if m:
            return m
    return None

def resolution_block(surface, fonts: Fonts, rect: pygame.Rect, y: int,
                     lines: Sequence[str]) -> tuple[int, list[tuple[str, object]]]:
    """A move's resolution: the two dice and the outcome badge, then its other
    lines (the roll line itself is drawn as dice).  Returns the y below the
    dice and the text lines, for the caller to add to and draw."""
    roll = roll_of(lines)
    if roll is not None:
        size = 34
        d1 = pygame.Rect(rect.x + 12, y + 2, size, size)
        d2 = pygame.Rect(d1.right + 8, y + 2, size, size)
        die(surface, d1, int(roll["d1"]))
        die(surface, d2, int(roll["d2"]))
        tier = roll["tier"]
        sign = roll["sign"].replace("-", "\u2212")
        t = fonts.text(f"{roll['d1']}+{roll['d2']} {sign}{roll['net']} = {roll['total']} "
                       f"vs {roll['target']}", 14, theme.TEXT, True)
        surface.blit(t, (d2.right + 12, y + 2))
        badge = fonts.text(tier.upper(), 14, theme.INK, True)
        br = badge.get_rect(topleft=(d2.right + 12, y + 21)).inflate(10, 2)
        pygame.draw.rect(surface, theme.TIER_COLOURS.get(tier, theme.SKY), br, border_radius=4)
        surface.blit(badge, badge.get_rect(center=br.center))
        y += size + 8
    out: list[tuple[str, object]] = []
    for i, line in enumerate(lines):
        if roll is not None and line.strip().startswith(roll["name"] + ": rolled"):
            continue
        if i and (line.startswith("\u2014 Turn") or line.startswith("Event:")):
            break  # the next turn's lines are in the log
        col = theme.TEXT if i == 0 else (theme.SKY if "\u2192" in line else theme.MUTED)
        out.append((line.strip(), (col, i == 0)))
    return y, out



def odds_bar(surface, fonts: Fonts, rect: pygame.Rect, odds: dict[str, float]) -> None:
    """Four segments, success first, each labelled with its chance."""
    x = rect.x
    order = list(reversed(TIERS))
    for tier in order:
        w = round(rect.w * odds[tier])
        if w <= 0:
            continue
        seg = pygame.Rect(x, rect.y, w, rect.h)
        pygame.draw.rect(surface, theme.TIER_COLOURS[tier], seg)
        pct = f"{round(odds[tier] * 100)}%"
        t = fonts.text(pct, 12, theme.INK, True)
        if t.get_width() + 4 <= w:
            surface.blit(t, t.get_rect(center=seg.center))
        x += w
    pygame.draw.rect(surface, theme.INK, rect, 1)


def tier_legend(surface, fonts: Fonts, x: int, y: int, odds: dict[str, float], width: int) -> int:
    parts = [f"{t} {round(odds[t] * 100)}%" for t in reversed(TIERS)]
    cx = x
    for tier, part in zip(reversed(TIERS), parts):
        sw = pygame.Rect(cx, y + 3, 9, 9)
        pygame.draw.rect(surface, theme.TIER_COLOURS[tier], sw)
        t = fonts.text(part, 12, theme.TEXT)
        surface.blit(t, (cx + 12, y))
        cx += 12 + t.get_width() + 10
    return y + fonts.height(12)


def faction_chip(surface, fonts: Fonts, index: int, centre, r: int = 7) -> None:
    colour = theme.faction_colour(index)
    draw_shape(surface, theme.FACTION_SHAPES[index % len(theme.FACTION_SHAPES)], colour, centre, r,
               outline=theme.INK)


def _shrink(fonts: Fonts, text: str, width: int, size: int, bold: bool = False) -> tuple[str, int]:
    """``text`` whole at ``size`` or up to two points smaller; cut only if even that is too wide
    (a narrow window keeps its track names readable)."""
    for small in range(size, max(9, size - 2) - 1, -1):
        if fonts.width(text, small, bold) <= width:
            return text, small
    small = max(9, size - 2)
    return fonts.fit(text, width, small, bold), small


@attrs.frozen
class GaugeFit:
    """Where a track's row puts its parts in a given width: the name (never cut), the
    value's column ``bx`` (pips or a bar), the value's text and size, and on how many
    lines (2: the named value goes on a line of its own, right-aligned, rather than cut)."""

    label: str
    label_size: int
    bx: int
    pip_w: int
    value: str
    value_size: int
    lines: int


def gauge_fit(fonts: Fonts, gauge: Gauge, width: int, size: int = 12) -> GaugeFit:
    """Lay a track out in ``width`` pixels.  The name keeps its column (54% of the row) at
    up to two points smaller, else takes the room it needs; an ordinal track's value name
    goes beside its pips, moved left (as far as the name allows) or two points smaller if
    it must, and on a second line if even that does not fit: never cut mid-word."""
    col = width * 54 // 100
    label, lsize = gauge.label, size
    for small in range(size, size - 3, -1):
        lsize = small
        if fonts.width(label, small) <= col - 6:
            break
    bx = max(col, fonts.width(label, lsize) + 6)
    if not gauge.steps:
        shown = "?" if gauge.text == "?" else str(gauge.value)
        return GaugeFit(label, lsize, bx, 0, shown, size, 1)
    n = len(gauge.steps)
    pw = 12 if n <= 3 else 6
    pips = n * (pw + 2)
    low = fonts.width(label, lsize) + 6
    for vsize in range(size, size - 3, -1):
        need = pips + 4 + fonts.width(gauge.text, vsize, True)
        if bx + need <= width:
            return GaugeFit(label, lsize, bx, pw, gauge.text, vsize, 1)
        if width - need >= low:       # pips moved left, nearer the name
            return GaugeFit(label, lsize, width - need, pw, gauge.text, vsize, 1)
    value, vsize = _shrink(fonts, gauge.text, width, size, True)
    return GaugeFit(label, lsize, min(bx, width - pips), pw, value, vsize, 2)


def gauge_row(surface, fonts: Fonts, gauge: Gauge, rect: pygame.Rect, size: int = 12) -> dict:
    """A track: its name on the left, a bar (or the named value) on the right; ``rect`` is
    one line high (``gauge_fit(...).lines`` lines are drawn).  Returns what it drew: the
    name and the value as shown and their rectangles."""
    fit = gauge_fit(fonts, gauge, rect.w, size)
    lt = fonts.text(fit.label, fit.label_size, theme.MUTED)
    label_rect = lt.get_rect(topleft=(rect.x, rect.y + (size - fit.label_size)))
    surface.blit(lt, label_rect)
    bx = rect.x + fit.bx
    bw = rect.right - bx - 26
    drawn = {"label": fit.label, "value": fit.value, "label_rect": label_rect, "lines": fit.lines}
    if gauge.steps:
        n = len(gauge.steps)
        pw = fit.pip_w
        for i in range(n):
            pip = pygame.Rect(bx + i * (pw + 2), rect.y + 3, pw, rect.h - 6)
            on = i <= gauge.value if gauge.key not in ("posture", "waiver") else i == gauge.value
            pygame.draw.rect(surface, theme.SELECT if on else theme.PANEL_HI, pip, border_radius=2)
            pygame.draw.rect(surface, theme.LINE, pip, 1, border_radius=2)
        vt = fonts.text(fit.value, fit.value_size, theme.TEXT, True)
        if fit.lines == 1:
            at = (bx + n * (pw + 2) + 4, rect.y + (size - fit.value_size))
        else:
            at = (rect.right - vt.get_width(), rect.bottom + (size - fit.value_size))
        drawn["value_rect"] = vt.get_rect(topleft=at)
        surface.blit(vt, at)
        drawn["bar_rect"] = pygame.Rect(bx, rect.y + 3, n * (pw + 2) - 2, rect.h - 6)
        return drawn
    span = max(1, gauge.hi - gauge.lo)
    frac = (gauge.value - gauge.lo) / span
    bar = pygame.Rect(bx, rect.y + 4, bw, rect.h - 8)
    pygame.draw.rect(surface, theme.PANEL_HI, bar, border_radius=3)
    colour = theme.VERMILLION if gauge.bad else theme.SKY
    if frac > 0:
        pygame.draw.rect(surface, colour, (bar.x, bar.y, max(3, round(bar.w * frac)), bar.h), border_radius=3)
    # Quarter ticks make the value readable without the number.
    for k in range(1, 4):
        x = bar.x + bar.w * k // 4
        pygame.draw.line(surface, theme.BG, (x, bar.y), (x, bar.bottom - 1), 1)
    # A number the viewer may not know (the militias' arms, to the others) shows as "?".
    num = fonts.text(fit.value, size, theme.TEXT, True)
    drawn["value_rect"] = num.get_rect(topright=(rect.right, rect.y))
    surface.blit(num, drawn["value_rect"])
    drawn["bar_rect"] = bar
    return drawn


def section_height(fonts: Fonts, section: Section, row_h: int, width: int | None = None) -> int:
    """A section's height: its title and its tracks' lines (at ``width``: some take two)."""
    lines = len(section.gauges) if width is None else \
        sum(gauge_fit(fonts, g, width).lines for g in section.gauges)
    return fonts.height(13, True) + 4 + lines * row_h + 6
