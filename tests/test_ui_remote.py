"""The window as a network client: a server on loopback (in a thread of this
process), one human seat joined through the window and driven by real pygame
events, the other seats played by the server's bots."""

from __future__ import annotations

import asyncio
import os
import threading

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from engine.game import Game  # noqa: E402
from engine.net.client import Client, JoinError  # noqa: E402
from engine.net.journal import new_tokens  # noqa: E402
from engine.net.protocol import SPECTATOR, WHITE  # noqa: E402
from engine.net.referee import Referee, Settings  # noqa: E402
from engine.net.server import Server  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from engine.ui.drive import key  # noqa: E402
from engine.ui.remote import RemoteScreen, open_remote  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402
from tests.helpers import pick_and_confirm, step_until  # noqa: E402

SEATS = "us=human,goi=random,mil=random,pro=random"


class ServerThread:
    """An exercise server on a free loopback port, its event loop in a daemon thread."""

    def __init__(self, seats: str = SEATS, seed: int = 5, turns: int | None = None,
                 **settings) -> None:
        self.seats = parse_seats(seats, IRAQ_2020.factions, default="human")
        self.referee = Referee(Game.new(IRAQ_2020, seed, turns), self.seats, seed, lambda *entry: None,
                               Settings(**settings))
        roles = [f for f, s in self.seats.items() if s.human] + [WHITE, SPECTATOR]
        self.tokens = new_tokens(roles)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: Server | None = None
        self.url = ""

    def call(self, coro, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __enter__(self) -> "ServerThread":
        async def start() -> int:
            self.server = Server(self.referee, self.tokens, ping_interval=None)
            return await self.server.start()
        self.url = f"ws://127.0.0.1:{self.call(start())}"
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.call(self.server.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)

    def history(self) -> tuple:
        async def read():
            async with self.server.lock:
                return tuple(self.referee.game.history)
        return self.call(read())

    def drop_connections(self) -> None:
        async def drop():
            for conn in list(self.server.conns):
                conn.ws.transport.abort()
        self.call(drop())

    def white(self, kind: str) -> None:
        async def send():
            c = Client(self.url, self.tokens[WHITE])
            await c.connect()
            try:
                await c.request(kind)
            finally:
                await c.close()
        self.call(send())


@pytest.fixture
def exercise():
    with ServerThread() as ex:
        yield ex


def open_window(ex: ServerThread, role: str = "us"):
    app = open_remote(Client(ex.url, ex.tokens[role]), (1280, 800))
    assert isinstance(app.top, RemoteScreen)
    return app, app.top


class TestRemoteWindow:
    def test_a_move_clicked_in_the_window_is_played_by_the_server(self, exercise):
        app, screen = open_window(exercise)
        try:
            assert step_until(app, screen.my_turn)
            s = screen.session
            # What is shown is the seat's view from the frame, with the server's legal moves.
            assert s.faction == "us" and s.state["you"] == "us"
            assert [str(m) for m in screen._legal] == s.state["legal"]
            assert screen.selected is None
            before = len(exercise.history())
            version = s.version
            move = pick_and_confirm(app, screen)
            # Sent: no more moves offered until the server's next frame (which may be here already).
            assert screen.sent == str(move) or len(exercise.history()) > before
            assert step_until(app, lambda: len(exercise.history()) > before)
            assert exercise.history()[before] == move
            # The window shows the server's next frame and the move's result.
            assert step_until(app, lambda: screen.sent is None and s.version > version)
            assert s.state["ctx"]["moves"] > before
            assert screen.mine and screen.news
            app.step(2)
            pygame.image.save(app.screen, "/tmp/crossroads-remote.png")
            # And it is our turn again after the bots (the server plays them).
            assert step_until(app, screen.my_turn)
        finally:
            app.close()

    def test_preview_is_computed_on_the_seats_view(self, exercise):
        app, screen = open_window(exercise)
        try:
            assert step_until(app, screen.my_turn)
            move = screen._legal[0]
            key(app, pygame.K_DOWN)
            assert screen.selected is not None
            view = Game(IRAQ_2020, exercise.referee.game.view("us"))
            assert screen._previews[screen.selected].lines() == \
                view.explain(screen.selected).lines()
            key(app, pygame.K_ESCAPE)
            assert screen.selected is None and move in screen._legal
        finally:
            app.close()

    def test_undo_is_off_and_errors_show_in_one_line(self, exercise):
        app, screen = open_window(exercise)
        try:
            assert step_until(app, screen.my_turn)
            key(app, pygame.K_z, pygame.KMOD_CTRL)
            assert screen.message == "Undo is off in exercises."
            # A move the server refuses (stale 'at'): its one-line reason is shown.
            screen.link.move(str(screen._legal[0]), at=-1)
            assert step_until(app, lambda: screen.message.startswith("Refused:"), 10)
            assert "\n" not in screen.message
        finally:
            app.close()

    def test_pause_and_reconnection_are_shown(self, exercise):
        app, screen = open_window(exercise)
        try:
            assert step_until(app, screen.my_turn)
            exercise.white("pause")
            assert step_until(app, lambda: "paused" in screen.status_text()[0])
            assert not screen.my_turn()
            exercise.white("resume")
            assert step_until(app, screen.my_turn)
            exercise.drop_connections()
            assert step_until(app, lambda: screen.reconnections == 1 and screen.my_turn(), 15)
            assert screen.connection == "connected"
            # While the server cannot be reached, the window says so and offers no move.
            screen.link.inbox.put(("status", "reconnecting", "cannot reach the server"))
            app.step(1)
            assert screen.status_text()[0].startswith("Reconnecting") and not screen.my_turn()
        finally:
            app.close()

    def test_a_short_game_played_to_the_end_in_the_window(self):
        with ServerThread(turns=1, seed=3) as ex:
            app, screen = open_window(ex)
            try:
                s = screen.session
                for _ in range(20):
                    assert step_until(app, lambda: screen.my_turn() or "outcome" in s.state)
                    if "outcome" in s.state:
                        break
                    pick_and_confirm(app, screen)
                assert "outcome" in s.state and not screen.my_turn()
                assert ex.referee.game.is_over()
                assert screen.status_text()[0] == "Connected \u00b7 game over"
                app.step(2)
                pygame.image.save(app.screen, "/tmp/crossroads-remote-over.png")
            finally:
                app.close()

    def test_the_turn_summary_comes_over_the_network(self):
        """Through the real server and client thread: when the seat's turn comes back, the
        summary of what its frames brought since its last move (issue 15)."""
        from engine.ui.news import NewsScreen
        with ServerThread(turns=3, seed=3) as ex:
            app, screen = open_window(ex)
            try:
                s = screen.session
                for _ in range(40):
                    assert step_until(app, lambda: screen.my_turn() or "outcome" in s.state
                                      or isinstance(app.top, NewsScreen))
                    if isinstance(app.top, NewsScreen):
                        news = app.top
                        assert news.live is screen
                        if news.kind == "summary":
                            rows = [t for t, _, _ in news.list.rows]
                            assert "Score since then" in rows and set(rows) - {"Score since then"}
                            return
                        key(app, pygame.K_RETURN)
                        continue
                    if "outcome" in s.state:
                        break
                    pick_and_confirm(app, screen)
                raise AssertionError("no summary in a three-turn exercise")
            finally:
                app.close()

    def test_a_spectator_watches_the_public_view(self, exercise):
        app = open_remote(Client(exercise.url, exercise.tokens[SPECTATOR]), (1280, 800))
        screen = app.top
        try:
            assert step_until(app, lambda: screen.session.game is not None)
            assert screen.session.faction is None and not screen.my_turn()
            app.step(3)
        finally:
            app.close()

    def test_a_wrong_token_is_refused_before_the_window_opens(self, exercise):
        with pytest.raises(JoinError):
            open_remote(Client(exercise.url, "not-a-token"), (1280, 800))
