"""Driving the window without a person: real input events, simulated time.

Used by the screenshot command, the benchmark and the tests.  Every action
goes through ``pygame.event.post`` — clicks on the map, on the list of
moves and on buttons, key presses — so what is exercised is exactly what a
player does.
"""

from __future__ import annotations

import pygame

from engine.ui.app import App


def click(app: App, pos, button: int = 1, frames: int = 1) -> None:
    pos = (int(pos[0]), int(pos[1]))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    app.step(frames)


def hover(app: App, pos, frames: int = 1) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(int(pos[0]), int(pos[1])), rel=(0, 0),
                                         buttons=(0, 0, 0)))
    app.step(frames)


def key(app: App, k: int, mod: int = 0, unicode: str = "", frames: int = 1) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=unicode, scancode=0))
    app.step(frames)


def wait_for_human(app: App, max_frames: int = 20000) -> bool:
    """Step until a human must move (after any hand-over) or the game screen is gone."""
    from engine.ui.play import GameScreen

    def ready() -> bool:
        top = app.top
        return not isinstance(top, GameScreen) or top.my_turn() or top.session.game.is_over() and top.ended
    return app.step_until(ready, max_frames)


def play_one(app: App, pick) -> bool:
    """Play one human move by clicking: a map space (to filter), the move's row, Confirm.

    ``pick(legal) -> Move`` chooses; falls back to keys when the row is off screen.
    """
    from engine.ui.play import GameScreen
    screen = app.top
    if not isinstance(screen, GameScreen) or not screen.my_turn():
        return False
    move = pick(screen._legal)
    places = screen.session.presentation.places_of(move)
    if places and places[0] in screen.map.boxes:
        click(app, screen.map.screen_box(places[0]).center)  # filter the list to that space
    rect = screen.moves.row_rect(move)
    if rect is None:
        screen.moves.scroll_to(move)
        app.step(1)
        rect = screen.moves.row_rect(move)
    if rect is not None:
        click(app, rect.center)
    else:  # walk the list with the keyboard
        for _ in range(200):
            if screen.selected == move:
                break
            key(app, pygame.K_DOWN)
    if screen.selected != move:
        raise AssertionError(f"could not select {move}")
    click(app, screen.confirm.rect.center)
    return True
