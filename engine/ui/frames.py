"""Off-screen frames of the map, as pixel arrays (for ``render_mode="rgb_array"``).

The research environment (``engine/envs/pz.py``) draws its frames here, with
the window's own map (:class:`engine.ui.mapview.MapView`), so the core keeps
away from pygame: it imports this module only when asked for a frame.
"""

from __future__ import annotations

import os

import pygame

from engine.ui.mapview import MapView, load_map
from engine.ui.theme import Fonts


class MapFrames:
    """Draws a scenario's board as seen by a faction (None: the white cell)."""

    def __init__(self, scenario, size: tuple[int, int] = (800, 560)) -> None:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        if not pygame.font.get_init():
            pygame.font.init()
        self.presentation = scenario.presentation()
        self.map = MapView(load_map(), scenario.factions, self.presentation.piece_kinds(), Fonts())
        self.surface = pygame.Surface(size)
        self.map.layout(self.surface.get_rect())

    def frame(self, board, faction: str | None = None):
        """The map of ``board`` as a (height, width, 3) uint8 array."""
        self.surface.fill((0, 0, 0))
        self.map.draw(self.surface, self.presentation.display(board, faction))
        return pygame.surfarray.array3d(self.surface).swapaxes(0, 1)
