"""Colours, fonts and cached text: the look of the window in one place.

The palette is Okabe and Ito's, safe for the common forms of colour
blindness; every faction also has its own marker *shape*, and control of a
space its own *pattern*, so nothing is told by colour alone.

Rendering text is the costliest thing a frame does, so every string is
rendered once per (text, size, colour, weight) and reused until the cache
fills.
"""

from __future__ import annotations

from pathlib import Path

import pygame

ASSETS = Path(__file__).resolve().parents[2] / "assets"

# Okabe-Ito
BLACK = (0, 0, 0)
ORANGE = (230, 159, 0)
SKY = (86, 180, 233)
GREEN = (0, 158, 115)
YELLOW = (240, 228, 66)
BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
PURPLE = (204, 121, 167)

# Faction i of a scenario gets colour i and shape i.
FACTION_COLOURS = (BLUE, GREEN, VERMILLION, PURPLE, ORANGE, SKY)
FACTION_SHAPES = ("square", "circle", "triangle", "diamond", "hexagon", "star")
# Control ids of a Display, by position: friendliest first.
CONTROL_STYLE = ((GREEN, "plain"), (YELLOW, "cross"), (VERMILLION, "hatch"))

BG = (24, 29, 38)
PANEL = (34, 41, 52)
PANEL_HI = (46, 55, 69)
LINE = (70, 80, 96)
TEXT = (232, 234, 237)
MUTED = (160, 170, 184)
DIM = (110, 118, 130)
ACCENT = ORANGE
SELECT = SKY
SEA = (29, 48, 66)
LAND = (64, 70, 80)
FOCUS_LAND = (214, 203, 176)
FOCUS_EDGE = (120, 104, 80)
INK = (30, 30, 34)
TIER_COLOURS = {"success": GREEN, "partial": SKY, "fail": ORANGE, "backfire": VERMILLION}


def faction_colour(index: int) -> tuple[int, int, int]:
    return FACTION_COLOURS[index % len(FACTION_COLOURS)]


def ink_on(colour) -> tuple[int, int, int]:
    """Black or white, whichever reads better on ``colour``."""
    r, g, b = colour[:3]
    return INK if 0.299 * r + 0.587 * g + 0.114 * b > 140 else (255, 255, 255)


class Fonts:
    """The two faces of the window, at any size, loaded once."""

    def __init__(self) -> None:
        self._faces: dict[tuple[int, bool], pygame.font.Font] = {}
        self._cache: dict[tuple, pygame.Surface] = {}
        self._wraps: dict[tuple, list[str]] = {}
        regular = ASSETS / "fonts" / "DejaVuSansCondensed.ttf"
        bold = ASSETS / "fonts" / "DejaVuSansCondensed-Bold.ttf"
        self._files = {False: regular if regular.exists() else None,
                       True: bold if bold.exists() else None}

    def face(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (size, bold)
        font = self._faces.get(key)
        if font is None:
            path = self._files[bold]
            font = pygame.font.Font(str(path) if path else None, size)
            if path is None and bold:
                font.set_bold(True)
            self._faces[key] = font
        return font

    def text(self, text: str, size: int = 14, colour=TEXT, bold: bool = False) -> pygame.Surface:
        key = (text, size, colour, bold)
        surf = self._cache.get(key)
        if surf is None:
            if len(self._cache) > 4000:
                self._cache.clear()
            surf = self.face(size, bold).render(text, True, colour)
            self._cache[key] = surf
        return surf

    def width(self, text: str, size: int = 14, bold: bool = False) -> int:
        return self.text(text, size, TEXT, bold).get_width()

    def height(self, size: int = 14, bold: bool = False) -> int:
        return self.face(size, bold).get_linesize()

    def wrap(self, text: str, width: int, size: int = 14, bold: bool = False) -> list[str]:
        """Break ``text`` into lines no wider than ``width`` pixels (cached)."""
        key = (text, width, size, bold)
        lines = self._wraps.get(key)
        if lines is None:
            if len(self._wraps) > 4000:
                self._wraps.clear()
            lines = self._wrap(text, width, size, bold)
            self._wraps[key] = lines
        return list(lines)

    def _wrap(self, text: str, width: int, size: int, bold: bool) -> list[str]:
        face = self.face(size, bold)
        lines: list[str] = []
        for para in text.split("\n"):
            indent = para[: len(para) - len(para.lstrip(" "))]
            words = para.split()
            line = indent
            for word in words:
                trial = (line + " " + word) if line.strip() else indent + word
                if face.size(trial)[0] <= width or not line.strip():
                    line = trial
                else:
                    lines.append(line)
                    line = indent + "  " + word
            lines.append(line)
        return lines

    def fit(self, text: str, width: int, size: int = 14, bold: bool = False) -> str:
        """``text`` cut with an ellipsis to fit ``width`` pixels."""
        face = self.face(size, bold)
        if face.size(text)[0] <= width:
            return text
        while text and face.size(text + "\u2026")[0] > width:
            text = text[:-1]
        return text.rstrip() + "\u2026"


def draw_shape(surface: pygame.Surface, shape: str, colour, centre, r: int, width: int = 0,
               outline=None) -> None:
    """A faction's marker shape, filled (``width`` 0) or outlined."""
    x, y = centre
    if shape == "square":
        rect = pygame.Rect(0, 0, 2 * r - 1, 2 * r - 1)
        rect.center = (x, y)
        pygame.draw.rect(surface, colour, rect, width, border_radius=2)
        if outline:
            pygame.draw.rect(surface, outline, rect, 1, border_radius=2)
        return
    if shape == "circle":
        pygame.draw.circle(surface, colour, (x, y), r, width)
        if outline:
            pygame.draw.circle(surface, outline, (x, y), r, 1)
        return
    if shape == "triangle":
        pts = [(x, y - r - 1), (x + r + 1, y + r - 1), (x - r - 1, y + r - 1)]
    elif shape == "diamond":
        pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    elif shape == "hexagon":
        pts = [(x - r, y), (x - r // 2, y - r), (x + r // 2, y - r), (x + r, y), (x + r // 2, y + r),
               (x - r // 2, y + r)]
    else:
        pts = [(x, y - r), (x + r // 3, y - r // 3), (x + r, y), (x + r // 3, y + r // 3), (x, y + r),
               (x - r // 3, y + r // 3), (x - r, y), (x - r // 3, y - r // 3)]
    pygame.draw.polygon(surface, colour, pts, width)
    if outline:
        pygame.draw.polygon(surface, outline, pts, 1)


def pattern(size: tuple[int, int], colour, kind: str, spacing: int = 7) -> pygame.Surface:
    """A transparent tile of hatching (``hatch``), cross-hatching (``cross``) or nothing."""
    surf = pygame.Surface(size, pygame.SRCALPHA)
    w, h = size
    if kind in ("hatch", "cross"):
        for k in range(-h, w, spacing):
            pygame.draw.line(surf, colour, (k, h), (k + h, 0), 2)
    if kind == "cross":
        for k in range(0, w + h, spacing):
            pygame.draw.line(surf, colour, (k, h), (k - h, 0), 1)
    return surf
