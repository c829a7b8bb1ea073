"""The map: outlines and space boxes from ``assets/map.json``, drawn in two layers.

The *static* layer — sea, countries, roads, towns, the Baghdad inset, pins —
is projected and drawn once per window size.  The *board* layer adds each
space's control (colour and pattern), label, markers and badges; it is
redrawn only when what it shows changes (a new display, highlight, hover or
selection).  A frame then costs one blit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import pygame

from engine.display import Display, Place
from engine.ui import theme
from engine.ui.theme import Fonts, draw_shape, ink_on, pattern

MAP_FILE = theme.ASSETS / "map.json"


class MapError(ValueError):
    """The map file is missing or does not fit the scenario."""


def load_map(path: Path = MAP_FILE) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise MapError(f"cannot read the map {path}: {err}") from None
    for key in ("size", "countries", "spaces"):
        if key not in data:
            raise MapError(f"map {path} has no {key!r}")
    return data


def _mix(a, b, t: float):
    return tuple(int(a[i] * (1 - t) + b[i] * t) for i in range(3))


class MapView:
    def __init__(self, data: dict, factions: Sequence[str], piece_kinds, fonts: Fonts) -> None:
        self.data = data
        self.factions = tuple(factions)
        self.piece_kinds = tuple(piece_kinds)
        self.fonts = fonts
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.scale = 1.0
        self.origin = (0.0, 0.0)
        self.boxes: dict[str, pygame.Rect] = {}
        self._static: pygame.Surface | None = None
        self._board: pygame.Surface | None = None
        self._board_key = None
        self._patterns: dict = {}
        # A small map folds its legend into a "Key" tab, opened while the pointer rests on it.
        self.legend_open = False
        self.legend_tab = pygame.Rect(0, 0, 0, 0)   # local coordinates of the tab (or the legend)
        # What the last board drew for each space (local coordinates): its name as drawn,
        # the name's plate, its box and its chips (markers and badges), for the layout test.
        self.drawn: dict[str, dict] = {}

    # -- geometry -----------------------------------------------------------
    def layout(self, rect: pygame.Rect) -> None:
        rect = pygame.Rect(rect)
        if rect == self.rect and self._static is not None:
            return
        self.rect = rect
        w, h = self.data["size"]
        self.scale = min(rect.w / w, rect.h / h)
        self.origin = ((rect.w - w * self.scale) / 2, (rect.h - h * self.scale) / 2)
        self.boxes = {}
        for sid, space in self.data["spaces"].items():
            pts = [self.to_local(p) for p in space["shape"]]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            self.boxes[sid] = pygame.Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        self._patterns = {}
        self._static = self._draw_static()
        self._board_key = None

    def to_local(self, point) -> tuple[int, int]:
        return (round(self.origin[0] + point[0] * self.scale), round(self.origin[1] + point[1] * self.scale))

    def space_at(self, pos) -> str | None:
        """The space under screen position ``pos``, if any."""
        x, y = pos[0] - self.rect.x, pos[1] - self.rect.y
        for sid, box in self.boxes.items():
            if box.collidepoint(x, y):
                return sid
        return None

    def screen_box(self, sid: str) -> pygame.Rect:
        return self.boxes[sid].move(self.rect.topleft)

    # -- the static layer ---------------------------------------------------
    def _draw_static(self) -> pygame.Surface:
        fonts = self.fonts
        surf = pygame.Surface(self.rect.size)
        surf.fill(theme.SEA)
        focus = self.data.get("focus")
        small = max(10, min(13, round(12 * self.scale / 0.55)))
        for country in self.data["countries"]:
            is_focus = country["iso"] == focus
            for ring in country["rings"]:
                pts = [self.to_local(p) for p in ring]
                if len(pts) < 3:
                    continue
                pygame.draw.polygon(surf, theme.FOCUS_LAND if is_focus else theme.LAND, pts)
                pygame.draw.lines(surf, theme.FOCUS_EDGE if is_focus else (92, 100, 112), True, pts,
                                  2 if is_focus else 1)
        # Neighbours' names, at the middle of their visible part.
        for country in self.data["countries"]:
            if country["iso"] == focus:
                continue
            if "label_at" in country:
                if country["label_at"] is None:
                    continue
                t = fonts.text(country["name"].upper(), small, (130, 138, 150), True)
                surf.blit(t, t.get_rect(center=self.to_local(country["label_at"])))
                continue
            pts = [self.to_local(p) for ring in country["rings"] for p in ring]
            inside = [p for p in pts if 10 < p[0] < self.rect.w - 60 and 10 < p[1] < self.rect.h - 10]
            if len(inside) < 3:
                continue
            cx = sum(p[0] for p in inside) / len(inside)
            cy = sum(p[1] for p in inside) / len(inside)
            t = fonts.text(country["name"].upper(), small, (130, 138, 150), True)
            surf.blit(t, t.get_rect(center=(int(cx), int(cy))))
        for road in self.data.get("roads", ()):
            pts = [self.to_local(p) for p in road["points"]]
            for a, b in zip(pts, pts[1:]):
                _dashed(surf, (150, 110, 70), a, b, 2, 8)
        for city in self.data.get("cities", ()):
            x, y = self.to_local(city["at"])
            pygame.draw.circle(surf, (110, 100, 90), (x, y), 3)
            t = fonts.text(city["name"], small - 1, (100, 92, 80))
            plate = pygame.Rect(x + 4, y - t.get_height() // 2, t.get_width() + 2, t.get_height())
            pygame.draw.rect(surf, theme.FOCUS_LAND, plate)   # readable over a road or junction
            surf.blit(t, (x + 5, y - t.get_height() // 2))
        inset = self.data.get("inset")
        if inset:
            ix, iy, iw, ih = inset["rect"]
            r = pygame.Rect(self.to_local((ix, iy)), (round(iw * self.scale), round(ih * self.scale)))
            ax, ay = self.to_local(inset["anchor"])
            pygame.draw.line(surf, (60, 60, 66), (ax, ay), (r.right - 12, r.y), 2)
            pygame.draw.rect(surf, (226, 218, 198), r, border_radius=6)
            river = [self.to_local(p) for p in inset.get("river", ())]
            if len(river) > 1:
                pygame.draw.lines(surf, (120, 170, 200), False, river, max(3, round(10 * self.scale)))
            pygame.draw.rect(surf, (60, 60, 66), r, 2, border_radius=6)
            t = fonts.text(inset.get("title", ""), small + 1, theme.INK, True)
            surf.blit(t, (r.x + 6, r.y + 4))
            _star(surf, (ax, ay), max(5, round(9 * self.scale / 0.55)), (60, 60, 66))
        for sid, space in self.data["spaces"].items():
            if space.get("pin"):
                px, py = self.to_local(space["pin"])
                box = self.boxes[sid]
                pygame.draw.line(surf, (60, 60, 66), (px, py), box.center, 1)
                pygame.draw.circle(surf, (60, 60, 66), (px, py), 4)
        for label in self.data.get("labels", ()):
            self._label(surf, label, small)
        credit = fonts.text("Outlines: Natural Earth", 10, (120, 128, 140))
        surf.blit(credit, (self.rect.w - credit.get_width() - 4, self.rect.h - credit.get_height() - 2))
        return surf

    def _label(self, surf, label: dict, small: int) -> None:
        """A name the spaces do not carry: a region (spaced capitals), a place or the capital."""
        kind = label.get("kind", "place")
        if kind == "region":
            t = self.fonts.text(" ".join(label["name"]), small + 1, (150, 132, 104), True)
        elif kind == "capital":
            t = self.fonts.text(label["name"], small + 1, theme.INK, True)
        else:
            t = self.fonts.text(label["name"], small - 1, (90, 80, 66))
        x, y = self.to_local(label["at"])
        align = label.get("align", "center")
        rect = t.get_rect(midleft=(x, y)) if align == "left" else (
            t.get_rect(midright=(x, y)) if align == "right" else t.get_rect(center=(x, y)))
        if kind != "region":
            pygame.draw.rect(surf, (226, 218, 198), rect.inflate(4, 0), border_radius=3)
        surf.blit(t, rect)

    # -- the board layer ----------------------------------------------------
    def draw(self, surface: pygame.Surface, display: Display | None, highlight=frozenset(),
             selected: str | None = None, hover: str | None = None) -> None:
        key = (display, frozenset(highlight), selected, hover, self.legend_open)
        if key != self._board_key or self._board is None:
            self._board = self._static.copy()
            if display is not None:
                self._draw_board(self._board, display, key[1], selected, hover)
            self._board_key = key
        surface.blit(self._board, self.rect)

    def _pattern(self, size, colour, kind):
        k = (size, colour, kind)
        tile = self._patterns.get(k)
        if tile is None:
            tile = pattern(size, (*colour, 150), kind)
            self._patterns[k] = tile
        return tile

    def _draw_board(self, surf, display: Display, highlight, selected, hover) -> None:
        styles = {cid: theme.CONTROL_STYLE[min(i, len(theme.CONTROL_STYLE) - 1)]
                  for i, (cid, _) in enumerate(display.controls)}
        for place in display.places:
            box = self.boxes.get(place.id)
            if box is None:
                continue
            self._draw_place(surf, place, box, styles, place.id in highlight, place.id == selected,
                             place.id == hover)
        self._draw_legend(surf, display, styles)

    def _draw_place(self, surf, place: Place, box: pygame.Rect, styles, lit, chosen, hovered) -> None:
        fonts = self.fonts
        colour, kind = styles.get(place.control, (theme.LINE, "plain"))
        fill = _mix(colour, (250, 248, 240), 0.62)
        pygame.draw.rect(surf, fill, box, border_radius=8)
        if kind != "plain":
            tile = self._pattern(box.size, colour, kind)
            inner = pygame.Surface(box.size, pygame.SRCALPHA)
            pygame.draw.rect(inner, (255, 255, 255, 255), inner.get_rect(), border_radius=8)
            inner.blit(tile, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
            surf.blit(inner, box)
        edge = theme.SELECT if lit else colour
        width = 3 if lit else 2
        if chosen:
            edge, width = (255, 255, 255), 4
        pygame.draw.rect(surf, edge, box, width, border_radius=8)
        if hovered and not chosen:
            pygame.draw.rect(surf, theme.INK, box.inflate(4, 4), 1, border_radius=9)
        name = self.data["spaces"][place.id]["label"]
        badges = _group_badges(place.badges)
        # The name first, whole: the largest size up to 16 that fits the box, never below 9
        # and never cut; a name wider than a small box overhangs it, centred on a plate.
        size = max(10, min(16, box.h * 30 // 100))
        while size > 9 and fonts.width(name, size, True) + 8 > box.w:
            size -= 1
        plate = fonts.text(name, size, theme.INK, True)
        room = box.w - 8
        r = max(5, min(11, box.h // 6, (box.h - plate.get_height() - 9) // 2))
        # Badges sit top right when the name leaves room, else in the bottom row.
        top_badges = plate.get_width() + 14 + len(badges) * (2 * r + 3) <= box.w
        if plate.get_width() + 12 <= box.w:
            at = plate.get_rect(topleft=(box.x + 7, box.y + 3))
        else:
            at = plate.get_rect(midtop=(box.centerx, box.y + 3))
        pygame.draw.rect(surf, _mix(fill, (255, 255, 255), 0.5), at.inflate(6, 0), border_radius=3)
        surf.blit(plate, at)
        drawn = {"name": name, "label": name, "label_rect": at.inflate(6, 0), "box": box.copy(), "chips": []}
        # Markers: one shape per kind of piece, its count inside.  In a crowded box they first
        # close up (gaps down to 2 px), then shrink, never below a 5 px radius (the size every
        # small box uses); what still does not fit is counted on a last chip ("+2", listed on hover).
        items = [("piece", piece) for piece in place.pieces] + \
            ([] if top_badges else [("badge", badge) for badge in badges])
        floor = min(r, 5)

        def reach(item, r: int) -> int:   # an attack's star reaches 3 px further; "+2" is a pill
            if item[0] == "more":
                return max(r, (fonts.width("+9", max(9, r + 2), True) + 5) // 2)
            return r + 3 if item[0] == "badge" and item[1][0] == "attack" else r

        def need(items, r: int, gap: int) -> int:
            return sum(2 * reach(item, r) for item in items) + (len(items) - 1) * gap
        gap = 5
        while need(items, r, gap) > room and gap > 2:
            gap -= 1
        while need(items, r, gap) > room and r > floor:
            r -= 1
        shown, more = items, 0
        while shown and need(shown + ([("more", None)] if more else []), r, gap) > room:
            shown, more = shown[:-1], more + 1
        left = box.x + 4
        y = box.bottom - r - 4
        for what, item in shown:
            x = left + reach((what, item), r)
            if what == "piece":
                self._marker(surf, item.faction, item.covert, item.count, (x, y), r)
                drawn["chips"].append(pygame.Rect(x - r, y - r, 2 * r, 2 * r))
            else:
                self._badge(surf, item[0], item[1], (x, y), r)
                drawn["chips"].append(_badge_rect(item[0], (x, y), r))
            left = x + reach((what, item), r) + gap
        if more:
            chip = pygame.Rect(left, y - r, 2 * reach(("more", None), r), 2 * r)
            pygame.draw.rect(surf, (250, 248, 240), chip, border_radius=3)
            pygame.draw.rect(surf, theme.INK, chip, 1, border_radius=3)
            t = fonts.text(f"+{more}", max(9, r + 2), theme.INK, True)
            surf.blit(t, t.get_rect(center=chip.center))
            drawn["chips"].append(chip)
            drawn["more"] = more
            left = chip.right + gap
        if place.caption:  # who holds the place, beside its pieces, on a plate
            small = max(10, size - 3)
            cap_x = left - gap + 4 if (shown or more) else box.x + 6   # 4 px after the last chip
            room_left = box.right - 5 - cap_x
            # whole, down to 9 px if it must; else cut, but only with four letters left
            # (the tooltip names the holder in full)
            text = place.caption
            while small > 9 and fonts.width(text, small) > room_left:
                small -= 1
            text = fonts.fit(text, room_left, small)
            if room_left >= 20 and (text == place.caption or len(text.rstrip("\u2026").strip()) >= 4):
                line = fonts.text(text, small, theme.INK)
                cap = line.get_rect(midleft=(cap_x, y))
                pygame.draw.rect(surf, _mix(fill, (255, 255, 255), 0.55), cap.inflate(4, 0), border_radius=3)
                surf.blit(line, cap)
                drawn["caption"], drawn["caption_rect"] = text, cap.inflate(4, 0)
        # Badges along the top right.
        if top_badges:
            bx = box.right - r - 4
            for kind, mark in badges:
                self._badge(surf, kind, mark, (bx, box.y + r + 3), r)
                drawn["chips"].append(_badge_rect(kind, (bx, box.y + r + 3), r))
                bx -= 2 * r + 3
        self.drawn[place.id] = drawn

    def _marker(self, surf, faction: str, covert: bool, count: int, centre, r: int) -> None:
        i = self.factions.index(faction) if faction in self.factions else 0
        colour = theme.faction_colour(i)
        shape = theme.FACTION_SHAPES[i % len(theme.FACTION_SHAPES)]
        if covert:
            draw_shape(surf, shape, (250, 248, 240), centre, r)
            draw_shape(surf, shape, colour, centre, r, 2)
            ink = colour
        else:
            draw_shape(surf, shape, colour, centre, r, outline=theme.INK)
            ink = ink_on(colour)
        t = self.fonts.text(str(count), max(9, r + 3), ink, True)
        dy = 2 if shape == "triangle" else 0
        surf.blit(t, t.get_rect(center=(centre[0], centre[1] + dy)))

    def _badge(self, surf, kind: str, mark: str, centre, r: int) -> None:
        colour = {"attack": theme.ORANGE, "sitin": theme.PURPLE, "protected": theme.GREEN}.get(kind, theme.SKY)
        if kind == "attack":
            _star(surf, centre, r + 3, colour)
        else:
            pygame.draw.circle(surf, colour, centre, r)
        pygame.draw.circle(surf, theme.INK, centre, r, 1) if kind != "attack" else None
        t = self.fonts.text(mark, max(8, r + 1), theme.INK, True)
        surf.blit(t, t.get_rect(center=centre))

    def folded(self) -> bool:
        return self.rect.w < 600 or self.rect.h < 500

    def legend_at(self, pos) -> bool:
        """Whether screen ``pos`` is on the legend's tab (or the open legend)."""
        return self.legend_tab.move(self.rect.topleft).collidepoint(pos)

    def _draw_legend(self, surf, display: Display, styles) -> None:
        fonts = self.fonts
        size = 11
        lh = fonts.height(size) + 2
        rows = len(display.controls) + len(self.piece_kinds) + 1
        w = 150
        rect = pygame.Rect(self.rect.w - w - 6, 6, w, rows * lh + 8)
        if self.folded() and not self.legend_open:
            t = fonts.text("Key ▾", 12, theme.TEXT, True)
            tab = pygame.Rect(self.rect.w - t.get_width() - 18, 6, t.get_width() + 12, t.get_height() + 4)
            pygame.draw.rect(surf, (24, 29, 38), tab, border_radius=4)
            surf.blit(t, (tab.x + 6, tab.y + 2))
            self.legend_tab = tab
            return
        self.legend_tab = rect
        panel = pygame.Surface(rect.size, pygame.SRCALPHA)
        panel.fill((24, 29, 38, 215))
        surf.blit(panel, rect)
        y = rect.y + 4
        for cid, label in display.controls:
            colour, kind = styles[cid]
            sw = pygame.Rect(rect.x + 6, y + 1, 22, lh - 4)
            pygame.draw.rect(surf, _mix(colour, (250, 248, 240), 0.62), sw)
            if kind != "plain":
                surf.blit(pattern(sw.size, colour, kind, 6), sw)
            pygame.draw.rect(surf, colour, sw, 2)
            surf.blit(fonts.text(label, size, theme.TEXT), (rect.x + 34, y))
            y += lh
        for kind, faction, label, covert in self.piece_kinds:
            self._marker(surf, faction, covert, 1, (rect.x + 17, y + lh // 2), 6)
            surf.blit(fonts.text(label, size, theme.TEXT), (rect.x + 34, y))
            y += lh
        _star(surf, (rect.x + 17, y + lh // 2), 8, theme.ORANGE)
        surf.blit(fonts.text("attack (? unattributed)", size, theme.TEXT), (rect.x + 34, y))


def _badge_rect(kind: str, centre, r: int) -> pygame.Rect:
    """The square a badge covers (an attack's star reaches 3 px further)."""
    reach = r + 3 if kind == "attack" else r
    return pygame.Rect(centre[0] - reach, centre[1] - reach, 2 * reach, 2 * reach)


def _group_badges(badges) -> list[tuple[str, str]]:
    """One marker per kind of badge: its mark, or how many when they differ."""
    groups: dict[str, list[str]] = {}
    for b in badges:
        groups.setdefault(b.kind, []).append(b.mark)
    return [(kind, marks[0] if len(set(marks)) == 1 else str(len(marks))) for kind, marks in groups.items()]


def _dashed(surf, colour, a, b, width: int, dash: int) -> None:
    ax, ay = a
    bx, by = b
    length = max(1.0, ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5)
    n = int(length // dash)
    for i in range(0, n, 2):
        t0, t1 = i / n, min(1.0, (i + 1) / n)
        pygame.draw.line(surf, colour, (ax + (bx - ax) * t0, ay + (by - ay) * t0),
                         (ax + (bx - ax) * t1, ay + (by - ay) * t1), width)


def _star(surf, centre, r: int, colour) -> None:
    import math
    x, y = centre
    pts = []
    for i in range(16):
        rr = r if i % 2 == 0 else r * 0.55
        a = math.pi * i / 8 - math.pi / 2
        pts.append((x + rr * math.cos(a), y + rr * math.sin(a)))
    pygame.draw.polygon(surf, colour, pts)
    pygame.draw.polygon(surf, theme.INK, pts, 1)
