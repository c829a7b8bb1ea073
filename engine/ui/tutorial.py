"""The guided first game: a short scripted opening as the United States.

A coach over a real game (seed 7, the US against three quick doctrine bots)
points at the map, the tracks, the score, the list of moves, a move's odds
and consequences, Confirm, and the end of the turn, then leaves the player
in the game.  Steps that say "do it" wait for the player's own click (the
clicks go through to the game screen beneath); the others wait for Next.
Esc (or *Skip tutorial*) leaves the coach at any step, the game going on.
Reached from the menu's *Tutorial* (T).
"""

from __future__ import annotations

from typing import Callable

import attrs
import pygame

from engine.ui import theme
from engine.ui.app import Screen
from engine.ui.widgets import Button

SEED = 7


@attrs.frozen
class Step:
    title: str
    text: str
    target: str | None = None                          # an attribute of the game screen (a Rect)
    done: Callable[[object], bool] | None = None       # None: wait for Next


def _chosen(game) -> bool:
    return game.selected is not None


def _us_moved(game) -> bool:
    return any(m.faction == "us" for m in game.session.game.history)


def _turn_two(game) -> bool:
    return game.session.game.ctx.turn >= 2 or game.session.game.is_over()


STEPS = (
    Step("Welcome to Crossroads",
         "Iraq, January 2020. You play the United States; the AI plays the Iraqi government, the "
         "Iran-aligned militias and the protest movement. Twelve months, one event card a month, "
         "then each side acts. The highest score at the end wins."),
    Step("The map", "Each space shows who holds its security (green professional, yellow contested, "
         "hatched red militia) and the pieces there. Hover a space for details; click it to list "
         "only the moves that act there.", "map_rect"),
    Step("The tracks", "The situation (escalation, the militias' hold on the state, elections...), each "
         "faction's resources and the event card. Hover any row for what it means.", "left_rect"),
    Step("The score", "Every faction's score now, as you can see it, with its trend. Hover a row for the "
         "terms that earn it; click it (or press F2) for that faction's briefing.", "score_rect"),
    Step("Choose a move", "These are your legal moves, with the chance of at least a partial success. "
         "Click one now to preview it.", "moves_rect", _chosen),
    Step("Odds and consequences", "The preview gives the cost, the dice you need, and for each outcome "
         "(success, partial, failure, backfire) its chance and exactly what it changes, read from the "
         "rules. Scroll it with the wheel.", "preview_rect"),
    Step("Play it", "Click Confirm (or press Enter) to play the move. The dice roll and the result "
         "appears here and in the log.", "confirm_rect", _us_moved),
    Step("The rest of the month", "The others now move in this month's order (the chips at the top). "
         "Then upkeep pays income and the tracks drift, and a new card is drawn. When your turn comes "
         "back, a summary tells you what happened. Press Next and watch.", "order_rect"),
    Step("Your turn again", "That is the whole loop. F1 lists every shortcut, F2 opens the briefings, "
         "Why? shows the AI's reasons. The game goes on from here: good luck.", None, None),
)


class TutorialScreen(Screen):
    """The coach: a box of text, the named part of the game screen outlined."""

    opaque = False

    def __init__(self, app, game) -> None:
        super().__init__(app)
        self.game = game
        self.index = 0
        self.finished = False
        self.skipped = False
        self.next = Button("Next", self.advance, "Enter", "The next step.", primary=True)
        self.skip = Button("Skip tutorial", self.leave, "Esc", "Leave the tutorial; the game goes on.")
        self.watching = False      # step 8: bots move until the US's turn comes back

    @property
    def step(self) -> Step:
        return STEPS[self.index]

    def advance(self) -> None:
        if self.step.done is not None and not self.step.done(self.game):
            return
        if self.index == 7 and not self.watching:
            self.watching = True   # let the month play out, then the last step
            return
        if self.index + 1 >= len(STEPS):
            self.finished = True
            self.app.pop()
            return
        self.index += 1

    def leave(self) -> None:
        self.skipped = True
        self.app.pop()

    def layout(self, size) -> None:
        w, h = size
        self.game.layout(size)
        bw = min(440, w - 40)
        self.box = pygame.Rect(0, 0, bw, 190)
        self._place_box()

    def _place_box(self) -> None:
        w, h = self.app.size
        target = self.target_rect()
        box = self.box
        if target is None:
            box.center = (w // 2, h // 2)
        else:
            box.center = (w // 2, h // 2)
            # beside the target, wherever there is room
            if target.right + box.w + 16 <= w:
                box.topleft = (target.right + 12, max(50, min(target.y, h - box.h - 10)))
            elif target.x - box.w - 16 >= 0:
                box.topleft = (target.x - box.w - 12, max(50, min(target.y, h - box.h - 10)))
            else:
                box.midtop = (w // 2, min(h - box.h - 10, max(50, target.bottom + 10)))
        self.next.rect = pygame.Rect(box.right - 110, box.bottom - 46, 96, 34)
        self.skip.rect = pygame.Rect(box.x + 14, box.bottom - 46, 130, 34)

    def target_rect(self) -> pygame.Rect | None:
        name = self.step.target
        g = self.game
        if name is None:
            return None
        if name == "moves_rect":
            return g.moves.rect
        if name == "confirm_rect":
            return g.confirm.rect
        if name == "order_rect":
            chips = [r for r, _ in g.chips]
            return chips[0].unionall(chips[1:]) if chips else g.top_rect
        return getattr(g, name)

    def waiting_for_player(self) -> bool:
        return self.step.done is not None and not self.step.done(self.game)

    def update(self, dt: float) -> None:
        g = self.game
        if self.watching:
            g.update(dt)   # the bots play; summaries and call-outs open above the coach
            if _turn_two(g) and g.my_turn() and self.app.top is self:
                self.watching = False
                self.index += 1
        elif not g.my_turn():
            g.update(dt)   # before the US's first move: the bots ahead of it in the order
        else:
            g.refresh()
        self._place_box()

    def handle(self, event) -> bool:
        if self.skip.handle(event):
            return True
        if not self.waiting_for_player() and not self.watching and self.next.handle(event):
            return True
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.leave()
                return True
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not self.waiting_for_player():
                self.advance()
                return True
        if self.waiting_for_player() or self.step.target == "map_rect" or (self.watching and self.game.my_turn()):
            return self.game.handle(event)   # the player's own clicks on the game
        return event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP)

    def tip_at(self, pos) -> str:
        return self.next.tip_at(pos) or self.skip.tip_at(pos) or self.game.tip_at(pos)

    def help_lines(self):
        return [("Enter", "next step"), ("Esc", "skip the tutorial (the game goes on)")]

    def widgets(self):
        return [("coach", self.box), ("next", self.next.rect), ("skip", self.skip.rect)]

    def draw(self, surface) -> None:
        fonts = self.app.fonts
        target = self.target_rect()
        if target is not None:
            pygame.draw.rect(surface, theme.YELLOW, target.inflate(6, 6), 3, border_radius=6)
        box = self.box
        pygame.draw.rect(surface, (250, 248, 236), box, border_radius=8)
        pygame.draw.rect(surface, theme.ACCENT, box, 3, border_radius=8)
        head = f"Tutorial {self.index + 1}/{len(STEPS)} \u2014 {self.step.title}"
        surface.blit(fonts.text(fonts.fit(head, box.w - 28, 15, True), 15, theme.INK, True), (box.x + 14, box.y + 10))
        y = box.y + 36
        text = self.step.text
        if self.watching and self.game.my_turn():
            text = "You have a second action this month: choose and confirm another move."
        elif self.watching:
            text = "The others are moving\u2026 (summaries and call-outs appear: Enter closes them)."
        elif self.waiting_for_player():
            text += "  (waiting for your click)"
        for line in fonts.wrap(text, box.w - 28, 13):
            if y > self.next.rect.y - fonts.height(13):
                break
            surface.blit(fonts.text(line, 13, theme.INK), (box.x + 14, y))
            y += fonts.height(13)
        self.skip.draw(surface, fonts)
        if not self.waiting_for_player() and not self.watching:
            self.next.label = "Finish" if self.index == len(STEPS) - 1 else "Next"
            self.next.draw(surface, fonts)


def start_tutorial(app) -> TutorialScreen:
    """A new game as the US against quick bots, with the coach on top."""
    from engine.seats import parse_seats
    from engine.ui.play import GameScreen
    sc = app.scenario
    spec = ",".join(f"{f}={'human' if f == 'us' else _quick_bot(sc, f)}" for f in sc.factions)
    session = app.new_session(parse_seats(spec, sc.factions), SEED, None)
    game = app.push(GameScreen(app, session))
    return app.push(TutorialScreen(app, game))


def _quick_bot(scenario, faction: str) -> str:
    doctrines = scenario.doctrines(faction)
    return f"doctrine:{doctrines[0]}" if doctrines else "random"
