"""The live score: every faction's points now, a sparkline of the game so far,
and the breakdown on hover — the end screen's terms, read from the scenario's
own scoring (``Scenario.score``) on what the watching faction can see.

Nothing here knows a scoring rule: the totals and the named terms come from
:meth:`engine.game.Game.scores_seen_by`, so a change to the victory module
shows up here without touching the window.
"""

from __future__ import annotations

import pygame

from engine.ui import theme
from engine.ui.paint import faction_chip

ROW = 18


def height(fonts, factions) -> int:
    return fonts.height(13, True) + 8 + ROW * len(factions) + 4


def breakdown_tip(session, faction: str, score, viewer: str | None) -> str:
    """The hover text of one faction's score: its terms, then what it wants."""
    name = session.name(faction)
    lines = [f"{name}: {score.total} points"]
    lines += ["  " + line for line in score.lines()]
    if viewer is not None:
        lines.append(f"(as the {session.name(viewer)} can see it: what is secret to you is not counted)")
    lines.append("Click for this faction's briefing.")
    return "\n".join(lines)


def sparkline(surface, rect: pygame.Rect, values: list[int], lo: int, hi: int, colour) -> None:
    if len(values) < 2:
        return
    span = max(1, hi - lo)
    n = len(values)
    pts = [(rect.x + i * (rect.w - 1) // (n - 1), rect.bottom - 1 - (v - lo) * (rect.h - 2) // span)
           for i, v in enumerate(values)]
    pygame.draw.lines(surface, colour, False, pts, 1)
    pygame.draw.circle(surface, colour, pts[-1], 2)


_cache: dict = {}


def draw(surface, fonts, rect: pygame.Rect, session, viewer: str | None) -> list[tuple[pygame.Rect, str, str, int]]:
    """Draw the score box in ``rect``; returns (row rect, tooltip, faction, total shown)
    for each faction.  Drawn once per position and viewer, then blitted."""
    key = (id(session), session.version, viewer, tuple(rect))
    hit = _cache.get("key") == key
    if not hit:
        box = pygame.Surface(rect.size)
        box.fill(theme.BG)
        rows = _render(box, fonts, box.get_rect(), session, viewer)
        _cache.update(key=key, box=box, rows=[(r.move(rect.topleft), t, f, n) for r, t, f, n in rows])
    surface.blit(_cache["box"], rect)
    return _cache["rows"]


def _render(surface, fonts, rect: pygame.Rect, session, viewer: str | None) -> list[tuple[pygame.Rect, str, str, int]]:
    sc = session.scenario
    scores = session.scores(viewer)
    trail = session.score_trail(viewer)
    pygame.draw.rect(surface, theme.PANEL, rect, border_radius=6)
    pygame.draw.rect(surface, theme.LINE, rect, 1, border_radius=6)
    best = max(s.total for s in scores.values())
    title = "Score now" + (f" \u2014 as the {session.name(viewer)} sees it" if viewer else "")
    surface.blit(fonts.text(fonts.fit(title, rect.w - 16, 13, True), 13, theme.ACCENT, True), (rect.x + 8, rect.y + 3))
    y = rect.y + fonts.height(13, True) + 6
    every = [v for point in trail for v in point.values()] or [0]
    lo, hi = min(every), max(every)
    spark_w = max(30, min(110, rect.w // 3))
    out = []
    for i, f in enumerate(sc.factions):
        row = pygame.Rect(rect.x + 4, y, rect.w - 8, ROW)
        score = scores[f]
        if f == viewer:
            pygame.draw.rect(surface, theme.PANEL_HI, row, border_radius=3)
        faction_chip(surface, fonts, i, (row.x + 9, row.centery), 5)
        total = fonts.text(f"{score.total}", 13, theme.TEXT, True)
        lead = score.total == best
        spark = pygame.Rect(row.right - spark_w - 4, row.y + 3, spark_w, ROW - 6)
        tx = spark.x - 8 - total.get_width()
        surface.blit(total, (tx, row.y + 1))
        label = sc.faction_names[f] + (" \u2605" if lead else "")
        surface.blit(fonts.text(fonts.fit(label, tx - row.x - 24, 12), 12, theme.TEXT if lead else theme.MUTED),
                     (row.x + 20, row.y + 2))
        sparkline(surface, spark, [p[f] for p in trail], lo, hi, theme.faction_colour(i))
        out.append((row, breakdown_tip(session, f, score, viewer), f, score.total))
        y += ROW
    return out
