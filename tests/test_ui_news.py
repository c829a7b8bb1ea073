"""Turn summaries and call-outs beyond the solo window (issue 15): a networked seat
gets them from its own frames only (the fog of war), the white cell's dashboard
flags each table's moments, and the replay viewer marks the moments on its
slider and stops there when playing.  Driven by real pygame events under the
dummy video driver."""

from __future__ import annotations

import json
import os
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from engine.game import Game  # noqa: E402
from engine.net.fog import frame, visible_lines  # noqa: E402
from engine.net.referee import Referee, Settings  # noqa: E402
from engine.seats import parse_seats  # noqa: E402
from engine.ui.app import App  # noqa: E402
from engine.ui.drive import click, key  # noqa: E402
from engine.ui.news import NewsScreen  # noqa: E402
from engine.ui.remote import RemoteScreen, RemoteSession  # noqa: E402
from engine.ui.replay import ReplayScreen  # noqa: E402
from engine.ui.session import Replay, Session, entry_lines  # noqa: E402
from rules.scenario import IRAQ_2020  # noqa: E402
from tests.helpers import bot_move, pick_and_confirm  # noqa: E402

FACTIONS = IRAQ_2020.factions


class LocalLink:
    """The server's referee in this process, in place of the network thread: every change
    posts the frame the server would send this seat (``engine.net.fog.frame``, through
    JSON as on the wire), and a move sent is played by the referee, then its bots."""

    def __init__(self, ref: Referee, eyes: str) -> None:
        self.ref, self.eyes = ref, eyes
        self.inbox: list[tuple] = []
        self.log: list[str] = []
        self.at = 0
        self.client = None
        self.post()

    def post(self) -> None:
        sent = json.loads(json.dumps(frame(self.ref, self.eyes, self.ref.log[self.at:])))
        self.at = len(self.ref.log)
        self.log += sent["log"]
        self.inbox.append(("state", sent, list(self.log)))

    def play_bots(self) -> None:
        while (need := self.ref.advance()) is not None:
            faction = need[1][0]
            self.ref.bot_move(faction, self.ref.choose_now(faction), self.ref.game.ctx.moves)
            self.post()

    def move(self, text: str, at) -> None:
        self.ref.move(self.eyes, text, at=at)
        self.post()
        self.play_bots()

    def drain(self) -> list[tuple]:
        out, self.inbox = self.inbox, []
        return out

    def stop(self) -> None: ...


def seat_window(seed: int, size=(1280, 800), turns: int = 4):
    seats = parse_seats("us=human", FACTIONS, default="random")
    ref = Referee(Game.new(IRAQ_2020, seed, turns), seats, seed, lambda *entry: None, Settings())
    link = LocalLink(ref, "us")
    link.play_bots()
    app = App(size, scenario=IRAQ_2020, autosave=False, bot_delay=0.0, inline_bots=True)
    screen = RemoteScreen(app, link, RemoteSession(IRAQ_2020, "us", "us"))
    app.replace(screen)
    screen.update(0.0)
    return app, screen, ref


class TestNetworkSeat:
    def test_a_seat_gets_summaries_and_a_withdrawal_call_out_from_its_own_frames(self):
        """The US seat of an exercise: a summary when its turn comes back (the others'
        moves as it read them, the scores' change) and a call-out at a withdrawal vote's
        result, every line of them one the server sent this seat."""
        for seed in range(1, 30):
            app, screen, ref = seat_window(seed)
            try:
                summaries, callouts = [], []
                for _ in range(400):
                    app.step(1)
                    top = app.top
                    if isinstance(top, NewsScreen):
                        (summaries if top.kind == "summary" else callouts).append(top)
                        key(app, pygame.K_RETURN)
                        assert app.top is screen
                        continue
                    if "outcome" in screen.session.state:
                        break
                    if screen.my_turn():
                        pick_and_confirm(app, screen)
                votes = [c for c in callouts if c.title.startswith("Parliament")]
                if not (votes and summaries):
                    continue
                sent = set(screen.session.lines)
                secret = set(visible_lines(ref.log, "white")) - set(visible_lines(ref.log, "us"))
                for news in summaries + callouts:
                    for text, _, _ in news.list.rows:
                        assert text.strip() not in secret   # nothing this seat may not read
                rows = [t for t, _, _ in votes[0].list.rows]
                assert any(r.startswith("Parliament votes on withdrawing") and r in sent for r in rows)
                rows = [t for t, _, _ in summaries[0].list.rows]
                assert "Score since then" in rows
                names = [IRAQ_2020.faction_names[f] for f in ("goi", "mil", "pro")]
                assert any(r.startswith(n) for r in rows for n in names)
                assert screen.summaries_shown >= len(summaries)   # some join a call-out's overlay
                return
            finally:
                app.close()
        raise AssertionError("no exercise seat saw a withdrawal vote and a summary in 29 games")

    def test_the_news_overlay_keeps_taking_frames_and_can_be_turned_off(self):
        app, screen, ref = seat_window(1)
        try:
            screen.stops = False
            for _ in range(300):
                app.step(1)
                assert not isinstance(app.top, NewsScreen)
                if "outcome" in screen.session.state:
                    break
                if screen.my_turn():
                    pick_and_confirm(app, screen)
            # on: an overlay over a live seat window forwards the server's frames below it
            news = app.push(NewsScreen(app, "callout", "Test", [("a", "dim", None)], live=screen))
            version = screen.session.version
            screen.link.post()
            app.step(1)
            assert app.top is news and screen.session.version == version + 1
        finally:
            app.close()


class TestSeatPace:
    def test_the_pace_button_turns_call_outs_and_summaries_off_and_on(self):
        """The seat's pace, as the solo window's: "normal" stops for the news, "instant"
        (the button, or +) never stops, and \u2212 brings them back."""
        app, screen, ref = seat_window(1, size=(960, 640))
        try:
            app.step(1)
            window = app.screen.get_rect()
            assert screen.pace.label == "Pace: normal" and screen.stopping()
            buttons = [b.rect for b in screen.bar]
            assert all(window.contains(r) for r in buttons)
            assert not any(a.colliderect(b) for i, a in enumerate(buttons) for b in buttons[i + 1:])
            click(app, screen.pace.rect.center)
            assert screen.pace.label == "Pace: instant" and not screen.stopping()
            moved = 0
            for _ in range(400):
                app.step(1)
                assert not isinstance(app.top, NewsScreen)
                if "outcome" in screen.session.state or moved == 4:
                    break
                if screen.my_turn():
                    pick_and_confirm(app, screen)
                    moved += 1
            assert moved == 4 and screen.summaries_shown == 0 and not screen.callouts_shown
            key(app, pygame.K_MINUS)
            assert screen.pace.label == "Pace: normal" and screen.stopping()
            for _ in range(400):
                app.step(1)
                if isinstance(app.top, NewsScreen) or "outcome" in screen.session.state:
                    break
                if screen.my_turn():
                    pick_and_confirm(app, screen)
            assert isinstance(app.top, NewsScreen) and screen.summaries_shown + len(screen.callouts_shown) > 0
            key(app, pygame.K_RETURN)
            assert app.top is screen
            key(app, pygame.K_PLUS)
            assert screen.pace.label == "Pace: instant" and not screen.stopping()
        finally:
            app.close()


def played(seed: int, turns: int = 3) -> Session:
    session = Session(IRAQ_2020, parse_seats("", FACTIONS), seed, turns=turns)
    while not session.game.is_over():
        bot_move(session)
    return session


def vote_replay() -> Replay:
    for seed in range(1, 40):
        replay = Replay.of_session(played(seed))
        if any(h.startswith("Parliament") for found in replay.moments(None).values() for h, _ in found):
            return replay
    raise AssertionError("no withdrawal vote in 39 short games")


class TestReplayMoments:
    def test_playing_stops_at_each_moment_with_its_call_out_then_plays_on(self):
        replay = vote_replay()
        moments = replay.moments(None)
        app = App((960, 640), scenario=IRAQ_2020, autosave=False, bot_delay=0.0, inline_bots=True)
        try:
            screen = app.push(ReplayScreen(app, replay))
            assert screen.slider.moments == sorted(moments)
            screen.speed = 3   # the fastest playback
            key(app, pygame.K_SPACE)
            stops = []
            for _ in range(5000):
                app.step(1)
                top = app.top
                if isinstance(top, NewsScreen):
                    assert not screen.playing and screen.index in moments
                    assert top.title == moments[screen.index][0][0]
                    stops.append((screen.index, [t for t, _, _ in top.list.rows]))
                    key(app, pygame.K_RETURN)
                    app.step(1)
                    assert app.top is screen and (screen.playing or screen.index == len(replay) - 1)
                elif screen.index == len(replay) - 1:
                    break
            assert [i for i, _ in stops] == sorted(moments)
            vote = next(rows for i, rows in stops if moments[i][0][0].startswith("Parliament")
                        or any(h.startswith("Parliament") for h, _ in moments[i]))
            assert any(r.startswith("Parliament votes on withdrawing") for r in vote)
        finally:
            app.close()

    def test_m_jumps_between_moments_and_each_view_reads_only_its_own_lines(self):
        replay = vote_replay()
        app = App((960, 640), scenario=IRAQ_2020, autosave=False, bot_delay=0.0, inline_bots=True)
        try:
            screen = app.push(ReplayScreen(app, replay))
            first = min(replay.moments(None))
            key(app, pygame.K_m)
            assert screen.index == first
            key(app, pygame.K_m, mod=pygame.KMOD_SHIFT)
            assert screen.index == max(replay.moments(None))   # wraps to the last
        finally:
            app.close()
        for faction in FACTIONS:
            for i, found in replay.moments(faction).items():
                read = entry_lines(replay.scenario, replay.entry(i), faction)
                for head, lines in found:
                    for line in lines:
                        if line.startswith("Parliament votes"):
                            assert line in [r.strip() for r in read]


class TestDashboardMoments:
    def test_the_white_cell_is_told_each_tables_moments(self):
        from types import SimpleNamespace

        from engine.ui.dashboard import DashboardScreen
        for seed in range(1, 30):
            seats = parse_seats("", FACTIONS, default="random")
            ref = Referee(Game.new(IRAQ_2020, seed, 3), seats, seed, lambda *entry: None, Settings())
            link = LocalLink(ref, "white")
            link.client = SimpleNamespace(welcome={}, url="local", tables={}, table_logs={})
            app = App((1280, 800), scenario=IRAQ_2020, autosave=False, bot_delay=0.0, inline_bots=True)
            try:
                board = DashboardScreen(app, link, IRAQ_2020)
                app.replace(board)
                said = []
                while (need := ref.advance()) is not None:
                    faction = need[1][0]
                    ref.bot_move(faction, ref.choose_now(faction), ref.game.ctx.moves)
                    link.post()
                    app.step(1)
                    if board.message and board.message not in said:
                        said.append(board.message)
                heads = [h for _, h, _ in board.moments.get("t1", [])]
                if not any(h.startswith("Parliament") for h in heads):
                    continue
                assert any(s.startswith("Parliament") for s in said)   # said as it happened
                assert app.top is board                                # without stopping the class
                return
            finally:
                app.close()
        raise AssertionError("no withdrawal vote at a white cell's table in 29 games")
