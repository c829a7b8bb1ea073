"""Hostile traffic against a live exercise server on loopback (issue 11).

Each defect of the issue has its regression test here; the last test sends
hypothesis-generated hostile frames and checks that the exercise goes on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect

from engine.net.client import Client, JoinError, MoveRefused
from engine.net.protocol import MAX_FRAME, SCHEMAS, SPECTATOR, WHITE, ProtocolError, parse
from engine.net.referee import Refused
from tests.helpers import run
from tests.test_net import Exercise

BOTS = "us=human,goi=random,mil=random,pro=random"


def no_tracebacks(caplog) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


async def seat_plays(ex: Exercise, seat: Client) -> None:
    """The seat can still play a move, and everyone hears of it."""
    watcher = await ex.join(SPECTATOR)
    state = await seat.wait_for(lambda s: seat.my_turn(s), 20)
    before = state["ctx"]["moves"]
    await seat.move(state["legal"][0], at=before)
    await watcher.wait_for(lambda s: s["ctx"]["moves"] > before, 20)


async def white_pauses_and_resumes(ex: Exercise, white: Client) -> None:
    await white.request("pause")
    await white.wait_for(lambda s: s["ctx"]["phase"] == "paused")
    await white.request("resume")
    await white.wait_for(lambda s: s["ctx"]["phase"] != "paused")


class TestUnencodableText:
    def test_parse_refuses_a_lone_surrogate_anywhere(self):
        for frame in ('{"v":1,"type":"move","move":"us:pass","ref":"\\udcff"}',
                      '{"v":1,"type":"hello","token":"\\ud800"}',
                      '{"v":1,"type":"ping","ref":"a\\udfffb"}',
                      '{"v":1,"type":"inject","effects":{"\\udcff":1}}',
                      '{"v":1,"type":"seal","moves":["us:pass\\udcff"]}'):
            with pytest.raises(ProtocolError, match="cannot be encoded"):
                parse(frame)

    def test_parse_refuses_a_field_given_twice(self):
        with pytest.raises(ProtocolError, match="twice"):
            parse('{"v":1,"type":"ping","ref":"a","ref":"b"}')

    def test_a_surrogate_ref_on_a_legal_move_does_not_freeze_the_exercise(self, caplog):
        """Defect 1: the move was played, its ack could not be encoded, every
        later frame for the seat failed, it could not rejoin, and the white
        cell's next action closed its own connection."""
        caplog.set_level(logging.INFO)

        async def main():
            async with Exercise(seats=BOTS) as ex:
                white = await ex.join(WHITE)
                us = await ex.join("us")
                state = await us.wait_for(lambda s: us.my_turn(s))
                moves = ex.referee.game.ctx.moves
                frame = ('{"v":1,"type":"move","move":%s,"ref":"\\udcff"}'
                         % json.dumps(state["legal"][0]))
                await us.send_raw(frame)
                await us.request("ping")  # the connection stays
                assert "cannot be encoded" in us.errors[-1]["message"]
                assert ex.referee.game.ctx.moves == moves  # refused, not played
                await white_pauses_and_resumes(ex, white)
                await us.close()
                us2 = await ex.join("us")  # the seat can rejoin
                await seat_plays(ex, us2)
                await white_pauses_and_resumes(ex, white)
        run(main(), 40)
        no_tracebacks(caplog)

    def test_a_surrogate_in_a_token_or_a_ping_ref_is_a_clean_error(self, caplog):
        caplog.set_level(logging.INFO)

        async def main():
            async with Exercise(seats=BOTS) as ex:
                async with connect(ex.url, proxy=None) as ws:
                    await ws.send('{"v":1,"type":"hello","token":"\\udcff"}')
                    reply = json.loads(await ws.recv())
                    assert reply["type"] == "error" and "cannot be encoded" in reply["message"]
                spectator = await ex.join(SPECTATOR)
                await spectator.send_raw('{"v":1,"type":"ping","ref":"\\ud800"}')
                await spectator.request("ping")
                assert "cannot be encoded" in spectator.errors[-1]["message"]
                us = await ex.join("us")
                await seat_plays(ex, us)
        run(main(), 30)
        no_tracebacks(caplog)


class TestNoStateLeftBehind:
    def test_a_failed_welcome_leaves_no_registration(self, caplog):
        """Defect 1 (second half): the connection was registered before its
        welcome, outside the handler's try/finally, so the seat was 'in use'
        for ever after one failure."""
        caplog.set_level(logging.INFO)

        async def main():
            async with Exercise(seats=BOTS) as ex:
                failed = []

                def tap(conn, text):
                    if conn.role == "us" and '"type":"welcome"' in text and not failed:
                        failed.append(conn)
                        raise RuntimeError("the welcome could not be sent")
                ex.server.tap = tap
                with pytest.raises(JoinError):
                    await Client(ex.url, ex.tokens["us"], open_timeout=3).connect()
                assert failed and "us" not in {c.role for c in ex.server.conns}
                assert ex.tokens["us"] not in ex.server.live
                us = await ex.join("us")
                await seat_plays(ex, us)
        run(main(), 30)

    def test_a_failed_send_to_one_connection_does_not_stop_the_others(self, caplog):
        caplog.set_level(logging.INFO)

        async def main():
            async with Exercise(seats=BOTS) as ex:
                broken = await ex.join(SPECTATOR)
                white = await ex.join(WHITE)

                def tap(conn, text):
                    if conn.ws.id == broken_id:
                        raise ConnectionError("this connection's buffer is full")
                broken_id = next(c.ws.id for c in ex.server.conns if c.role == SPECTATOR)
                ex.server.tap = tap
                us = await ex.join("us")
                await seat_plays(ex, us)
                await white_pauses_and_resumes(ex, white)
                assert any("could not send" in i for i in ex.server.incidents)
                del broken
        run(main(), 30)

    def test_a_rejoin_right_after_a_clean_close_is_accepted(self, monkeypatch):
        """Defect 8: while bots thought, the closed connection still held the
        token and the rejoin was refused as 'in use'."""
        from engine.ai import RandomBot

        def slow(self, decision, rng):
            time.sleep(0.3)
            return original(self, decision, rng)
        original = RandomBot.choose
        monkeypatch.setattr(RandomBot, "choose", slow)

        async def main():
            async with Exercise(seats=BOTS) as ex:
                us = await ex.join("us")
                while True:  # play until the move hands the turn to the bots
                    state = await us.wait_for(lambda s: us.my_turn(s), 20)
                    await us.move(state["legal"][0], at=state["ctx"]["moves"])
                    if ex.referee.game.active_faction != "us":
                        break
                await us.close()  # the bots are thinking now
                again = await ex.join("us")
                assert again.welcome["type"] == "welcome"
        run(main(), 30)


class TestReusedRef:
    def test_a_reused_ref_is_answered_only_for_the_same_move(self):
        """Defect 4: a reused ref was acknowledged and not played, even for
        another (even an invalid) move."""
        ex = Exercise(seats="us=human,goi=human,mil=human,pro=human")
        ref = ex.referee
        first = ref.game.active_faction
        legal = [str(m) for m in ref.game.legal_moves()]
        assert ref.move(first, legal[0], "r1") is True
        moves = ref.game.ctx.moves
        assert ref.move(first, legal[0], "r1") is False  # the resend: its original answer
        with pytest.raises(Refused, match="already used"):
            ref.move(first, f"{first}:no-such-move", "r1")
        with pytest.raises(Refused, match="already used"):
            ref.move(first, legal[-1], "r1")
        assert ref.game.ctx.moves == moves

    def test_a_restarted_client_first_move_is_played(self):
        async def main():
            async with Exercise(seats=BOTS) as ex:
                us = await ex.join("us")
                state = await us.wait_for(lambda s: us.my_turn(s), 20)
                await us.move(state["legal"][0])
                await us.close()
                restarted = await ex.join("us")
                state = await restarted.wait_for(lambda s: restarted.my_turn(s), 20)
                before = state["ctx"]["moves"]
                await restarted.move(state["legal"][0])
                assert ex.referee.game.ctx.moves > before
        run(main(), 40)


# -- hypothesis: hostile frames against one live server ---------------------------------
class LiveServer:
    """An exercise served from its own event loop in a thread, for hypothesis."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.ex = Exercise(seats=BOTS)
        self.call(self.ex.__aenter__())

    def fresh_if_over(self) -> None:
        """A new exercise once the game has ended: every example needs a game to play."""
        if self.ex.referee.game.is_over():
            self.call(self.ex.__aexit__(None, None, None))
            self.ex = Exercise(seats=BOTS)
            self.call(self.ex.__aenter__())

    def call(self, coro, timeout: float = 30.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.call(self.ex.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="module")
def live():
    server = LiveServer()
    yield server
    server.stop()


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)
_types = st.sampled_from(sorted(SCHEMAS) + ["state", "welcome", "", "HELLO"])


@st.composite
def _schema_frame(draw):
    """A frame shaped like a real request, every field of any JSON type."""
    kind = draw(_types)
    fields = SCHEMAS.get(kind, {})
    msg = {"v": draw(st.sampled_from([1, 1, 1, 2, "1", None])), "type": kind}
    for name in fields:
        if draw(st.booleans()):
            msg[name] = draw(_json | st.sampled_from(["us:pass", "goi:pass", "k1-rockets"]))
    if draw(st.booleans()):
        msg[draw(st.text(max_size=6))] = draw(_json)
    return json.dumps(msg)


_surrogate = st.builds(lambda kind, field, cp: '{"v":1,"type":"%s","%s":"x\\u%04x"}'
                       % (kind, field, cp),
                       st.sampled_from(["ping", "move", "hello", "seal"]),
                       st.sampled_from(["ref", "move", "token", "type"]),
                       st.integers(0xD800, 0xDFFF))
_frames = st.one_of(
    _schema_frame(),
    _json.map(json.dumps),
    _surrogate,
    st.text(max_size=60),                                           # not JSON at all
    st.binary(max_size=40),                                         # binary frames
    st.integers(MAX_FRAME + 1, MAX_FRAME + 4000).map(lambda n: '{"v":1,"type":"ping","x":"'
                                                     + "x" * n + '"}'),   # oversized
    st.just('{"v":1,"type":"ping","ref":"a","ref":"b"}'),          # a field twice
    st.just("[" * 5000 + "]" * 5000),                                # deeply nested
)


async def _hostile(ex: Exercise, who: str, frames: list) -> None:
    """One hostile connection: maybe a hello, then the frames, then gone."""
    try:
        async with connect(ex.url, proxy=None, max_size=None, open_timeout=5) as ws:
            if who != "anonymous":
                token = ex.tokens.get(who, "not-a-token")
                await ws.send(json.dumps({"v": 1, "type": "hello", "token": token}))
            for frame in frames:
                await ws.send(frame)
            await asyncio.sleep(0.01)
    except Exception:  # the server may close it: that is its right
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(who=st.sampled_from(["anonymous", SPECTATOR, "wrong", "us"]),
       frames=st.lists(_frames, min_size=1, max_size=6))
def test_hostile_frames_never_stop_the_exercise(live, who, frames):
    live.fresh_if_over()
    ex = live.ex
    live.call(_hostile(ex, who, frames))

    async def legit():
        us = Client(ex.url, ex.tokens["us"], open_timeout=5)
        white = Client(ex.url, ex.tokens[WHITE], open_timeout=5)
        for _ in range(50):  # the hostile "us" connection may take a moment to close
            try:
                await us.connect()
                break
            except JoinError as err:
                if "in use" not in str(err):
                    raise
                await asyncio.sleep(0.05)
        await white.connect()
        try:
            if ex.referee.game.is_over():  # a hostile frame on the us token played the last move
                return
            await white_pauses_and_resumes(ex, white)
            state = await us.wait_for(lambda s: us.my_turn(s) or "outcome" in s, 20)
            if "outcome" not in state:
                before = state["ctx"]["moves"]
                try:
                    await us.move(state["legal"][0], at=before)
                except MoveRefused as err:  # a hostile frame on the us token played first
                    assert "moved on" in str(err)
                assert ex.referee.game.ctx.moves > before or ex.referee.game.is_over()
        finally:
            await us.close()
            await white.close()
    live.call(legit(), 40)
    assert not ex.server.incidents or not any("failed" in i and "bot" not in i
                                              for i in ex.server.incidents), ex.server.incidents
