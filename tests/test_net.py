"""Multiplayer exercises on loopback: protocol, fog of war on the bytes, bad
traffic, reconnection, a killed server, the white cell, a whole game.

Every test binds 127.0.0.1 on a free port and runs under an asyncio timeout.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from engine.ai import RandomBot
from engine.game import Game
from engine.net import fog
from engine.net.client import Client, JoinError, MoveRefused, play_bot
from engine.net.journal import Journal, new_tokens, read_private, tokens_path
from engine.net.protocol import MAX_FRAME, SPECTATOR, WHITE, ProtocolError, parse
from engine.net.referee import Referee, Settings
from engine.net.server import Server
from engine.rng import Rng
from engine.seats import format_seats, parse_seats
from engine.whitecell import InjectEntry, OverrideEntry, PauseEntry, ResumeEntry
from rules.board import COVERT, K_COVERT, KINDS, MIL
from tests.helpers import (ROOT, SCENARIO, free_port, kill_and_restart, refused_host, run,
                           start_host, stop_host)

FACTIONS = SCENARIO.factions
ALL_HUMAN = "us=human,goi=human,mil=human,pro=human"


class Exercise:
    """A server on a free loopback port, its referee, tokens and journal."""

    def __init__(self, tmp_path: Path | None = None, seats: str = ALL_HUMAN, seed: int = 5,
                 turns: int | None = None, **settings) -> None:
        self.seats = parse_seats(seats, FACTIONS, default="human")
        game = Game.new(SCENARIO, seed, turns)
        self.path = tmp_path / "exercise.json" if tmp_path else None
        self.journal = Journal.start(self.path, game, seed, format_seats(self.seats), "2020-01-03")
        self.referee = Referee(game, self.seats, seed, self.journal.append, Settings(**settings))
        roles = [f for f, s in self.seats.items() if s.human] + [WHITE, SPECTATOR]
        self.tokens = new_tokens(roles)
        self.server = Server(self.referee, self.tokens, ping_interval=None, journal=self.journal)
        self.clients: list[Client] = []

    async def __aenter__(self) -> "Exercise":
        port = await self.server.start()
        self.url = f"ws://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc) -> None:
        for client in self.clients:
            await client.close()
        await self.server.stop()

    async def join(self, role: str, **kw) -> Client:
        client = Client(self.url, self.tokens[role], **kw)
        await client.connect()
        self.clients.append(client)
        return client


def point(state: dict) -> tuple:
    c = state["ctx"]
    return (c["moves"], c["turn"], c["phase"], tuple(state.get("orders") or ()))


async def scripted(client: Client, prefer=lambda move: False, timeout: float = 30.0) -> dict:
    """A scripted player: on each turn, the first legal move it prefers, else the first."""
    last = None
    while True:
        state = await client.wait_for(
            lambda s: "outcome" in s or (client.my_turn(s) and point(s) != last), timeout)
        if "outcome" in state:
            return state
        last = point(state)
        legal = state["legal"]
        pick = next((m for m in legal if prefer(m)), legal[0])
        try:
            if state["mode"]["sealed"]:
                await client.seal([pick] * max(1, state.get("capacity", 1)))
            else:
                await client.move(pick, at=state["ctx"]["moves"])
        except MoveRefused:
            pass


def covert_first(move: str) -> bool:
    return "rockets" in move or "covert" in move or "purge" in move


# -- fog of war, on the bytes -------------------------------------------------------
class FogWatch:
    """Reads every frame the server sends against the true secrets of that moment."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.frames: Counter = Counter()
        self.secrets_seen: Counter = Counter()
        self.failures: list[str] = []
        server.tap = self.record

    def record(self, conn, text: str) -> None:
        """The server logs a tap's exception and carries on (one bad send must
        not stop a broadcast), so a leak is recorded here and asserted by
        ``clean()`` in the test itself."""
        try:
            self.check(conn, text)
        except AssertionError as err:
            self.failures.append(str(err))

    def clean(self) -> bool:
        assert not self.failures, f"{len(self.failures)} frames leaked: {self.failures[0]}"
        return True

    def check(self, conn, text: str) -> None:
        eyes = self.server.eyes_of(conn)
        if eyes in (WHITE, fog.ALL):
            return
        self.frames[eyes] += 1
        data = text.encode()
        frame = json.loads(text)
        if eyes == fog.NONE:
            assert "board" not in frame and "log" not in frame
            return
        faction = eyes if eyes in FACTIONS else None
        ref = self.server.referee
        game = ref.game
        board = frame.get("board")
        if board is not None:
            if faction != MIL:
                assert not any(board["pieces"][K_COVERT::KINDS]), "covert cells leaked"
                assert COVERT not in board["posts"], "a covert post leaked"
                assert board["orders"] == [], "rocket orders leaked"
            for attack in board["attacks"]:
                assert attack["attributed"] or attack["by"] in ("?", faction), "attacker leaked"
            assert board["deck"] == sorted(board["deck"]), "deck order leaked"
        secrets = []
        deck = list(game.board.deck)
        if len(deck) >= 2 and deck != sorted(deck):
            secrets.append(json.dumps(deck, separators=(",", ":"), ensure_ascii=False))
            secrets.append(json.dumps(deck, ensure_ascii=False))
        for move in game.history:
            if move.faction != faction and game.public_move(move) != str(move):
                secrets.append(str(move))
        public = {line.text for line in ref.log if line.audience is None}
        for line in ref.log:
            if line.audience not in (None, faction) and line.text not in public:
                secrets.append(line.text)
        if ref.pending is not None:
            secrets += [line.text for line in ref.pending.after.last_log
                        if line.text not in public and line.text.strip()]
        if ref.settings.sealed and ref.to_seal():
            secrets += [o for f, orders in ref.sealed.items() if f != faction for o in orders]
        for secret in secrets:
            if len(secret.strip()) > 3:
                self.secrets_seen[eyes] += 1
                assert secret.encode() not in data, f"{eyes} was sent a secret: {secret!r}"


# -- the protocol ----------------------------------------------------------------------
class TestProtocol:
    @pytest.mark.parametrize("raw,reason", [
        ("{nope", "malformed JSON"),
        ("[1, 2]", "JSON object"),
        ('{"v": 1, "type": "launch"}', "unknown message type"),
        ('{"type": "ping"}', "version"),
        ('{"v": 2, "type": "ping"}', "version"),
        ('{"v": 1, "type": "move"}', "missing field"),
        ('{"v": 1, "type": "move", "move": 3}', "must not be a number"),
        ('{"v": 1, "type": "move", "move": "us:pass", "x": 1}', "unknown field"),
        ('{"v": 1, "type": "review", "on": 1}', "must not be"),
        ('{"v": 1, "type": "seal", "moves": [1]}', "move texts"),
        ('{"v": 1, "type": "inject", "effects": {"economy": "a lot"}}', "whole numbers"),
        ('{"v": 1, "type": "hello", "token": "' + "x" * 100 + '"}', "too long"),
        ('{"v": 1, "type": "ping", "n": NaN}', "malformed JSON"),
        (b'{"v": 1, "type": "ping"}', "binary"),
    ])
    def test_bad_frames_are_refused_in_one_line(self, raw, reason):
        with pytest.raises(ProtocolError, match=reason) as err:
            parse(raw)
        assert "\n" not in str(err.value)

    def test_good_frames_pass(self):
        assert parse('{"v": 1, "type": "move", "move": "us:pass", "ref": "1", "at": 3}')["at"] == 3
        assert parse('{"v": 1, "type": "clock", "seconds": null}')["seconds"] is None


# -- a whole exercise ------------------------------------------------------------------
class TestEndToEnd:
    def test_full_game_with_bots_scripted_players_white_cell_inject_and_override(self, tmp_path):
        async def main():
            async with Exercise(tmp_path, seed=7) as ex:
                watch = FogWatch(ex.server)
                white = await ex.join(WHITE)
                crowd = [await ex.join(SPECTATOR) for _ in range(2)]
                seats = {f: await ex.join(f) for f in FACTIONS}
                # The white cell: a custom inject now, a deck card scheduled for turn 2,
                # a pause, and the review of results until one is overridden.
                await white.request("inject", text="Oil prices crash", effects={"economy": -2})
                last_card = white.state["board"]["deck"][-1]  # the white cell sees the order
                await white.request("inject", card=last_card, turn=2)
                await white.request("pause")
                ctx = ex.referee.game.ctx
                mover = ctx.order[ctx.active]
                with pytest.raises(MoveRefused, match="paused"):
                    await seats[mover].move(f"{mover}:pass")
                await white.request("resume")
                await white.request("review", on=True)

                async def white_cell():
                    overridden = 0
                    while not overridden:
                        state = await white.wait_for(lambda s: "review" in s or "outcome" in s, 30)
                        if "outcome" in state:
                            break
                        try:
                            await white.request("override", tier="success",
                                                rationale="the white cell judges the odds better")
                            overridden += 1
                        except MoveRefused:
                            await white.request("approve")
                    await white.request("review", on=False)
                    await white.wait_for(lambda s: "outcome" in s, 60)
                    return overridden

                players = [
                    play_bot(seats["goi"], RandomBot(), Rng(1), SCENARIO),
                    play_bot(seats["pro"], RandomBot(), Rng(2), SCENARIO),
                    scripted(seats["us"], lambda m: "strike" in m or "sanction" in m),
                    scripted(seats["mil"], covert_first),
                ]
                *finals, overridden = await asyncio.gather(*players, white_cell())
                assert overridden == 1
                assert all("outcome" in s for s in finals)
                for spectator in crowd:
                    await spectator.wait_for(lambda s: "outcome" in s)
                    assert spectator.state["outcome"] == finals[0]["outcome"]
                # Everyone read the inject and the override's rationale (or, for a
                # covert move, only its author did).
                for client in (*seats.values(), *crowd):
                    assert any("Oil prices crash" in line for line in client.log)
                assert any("White cell override" in line for line in white.log)
                assert watch.clean() and all(watch.frames[f] > 20 for f in FACTIONS)
                assert watch.secrets_seen["us"] > 0
                hash_at_end = ex.referee.game.state_hash()
                return hash_at_end

        hash_at_end = run(main(), 90)
        journal, game, _ = Journal.load(tmp_path / "exercise.json", SCENARIO)
        assert game.state_hash() == hash_at_end and game.is_over()
        kinds = Counter(type(e) for e in journal.entries)
        assert kinds[InjectEntry] == 2 and kinds[OverrideEntry] == 1
        assert kinds[PauseEntry] == 1 and kinds[ResumeEntry] == 1
        # The saved exercise verifies like any save, from its seed, hash for hash.
        done = subprocess.run([sys.executable, "main.py", "replay", "--headless", "--verify",
                               str(tmp_path / "exercise.json")], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0 and done.stdout.startswith("OK: "), done.stderr

    def test_sealed_orders_stay_secret_and_resolve_in_initiative_order(self, tmp_path):
        async def main():
            async with Exercise(tmp_path, seed=3, turns=4, sealed=True) as ex:
                watch = FogWatch(ex.server)
                spectator = await ex.join(SPECTATOR)
                seats = {f: await ex.join(f) for f in FACTIONS}
                finals = await asyncio.gather(
                    scripted(seats["mil"], covert_first), scripted(seats["us"]),
                    play_bot(seats["goi"], RandomBot(), Rng(4), SCENARIO),
                    play_bot(seats["pro"], RandomBot(), Rng(5), SCENARIO))
                assert all("outcome" in s for s in finals)
                assert watch.clean() and watch.secrets_seen["us"] > 0 and watch.frames[fog.PUBLIC] > 0
                await spectator.wait_for(lambda s: "outcome" in s)
        run(main())
        Journal.load(tmp_path / "exercise.json", SCENARIO)  # replays, hash for hash


# -- bad traffic -----------------------------------------------------------------------
async def game_goes_on(ex: Exercise, client: Client) -> None:
    """The seat to act can still play and everyone else hears of it."""
    watcher = await ex.join(SPECTATOR)
    before = ex.referee.game.ctx.moves
    state = await client.wait_for(lambda s: client.my_turn(s))
    await client.move(state["legal"][0])
    await watcher.wait_for(lambda s: s["ctx"]["moves"] > before)


class TestBadTraffic:
    SEATS = "us=human,goi=random,mil=random,pro=random"

    def _case(self, caplog, body, expect_log: str):
        caplog.set_level(logging.INFO, logger="crossroads.net")

        async def main():
            async with Exercise(seats=self.SEATS) as ex:
                us = await ex.join("us")
                await body(ex, us)
                await game_goes_on(ex, us)
                return ex.server.incidents
        incidents = run(main(), 30)
        assert any(expect_log in i for i in incidents), incidents
        assert any(expect_log in r.getMessage() for r in caplog.records)

    def test_malformed_json_gets_an_error_and_the_connection_stays(self, caplog):
        async def body(ex, us):
            intruder = await ex.join(SPECTATOR)
            await intruder.send_raw("{this is not json")
            await intruder.request("ping")  # still connected
            assert intruder.errors[-1]["message"] == "malformed JSON"
        self._case(caplog, body, "malformed JSON")

    def test_unknown_message_type(self, caplog):
        async def body(ex, us):
            await us.send_raw('{"v": 1, "type": "launch_missiles"}')
            await us.request("ping")
            assert "unknown message type" in us.errors[-1]["message"]
        self._case(caplog, body, "unknown message type")

    def test_oversized_frame_closes_the_connection(self, caplog):
        async def body(ex, us):
            spy = await ex.join(SPECTATOR)
            await spy.send_raw('{"v": 1, "type": "ping", "pad": "' + "x" * MAX_FRAME + '"}')
            await asyncio.wait_for(spy.closed.wait(), 5)
            assert spy.ws.close_code == 1009
        self._case(caplog, body, "frame too large")

    def test_wrong_token_is_refused(self, caplog):
        async def body(ex, us):
            with pytest.raises(JoinError, match="unknown token"):
                await Client(ex.url, "not-a-token").connect()
        self._case(caplog, body, "wrong token")

    def test_a_token_in_use_is_refused_and_the_live_seat_keeps_it(self, caplog):
        async def body(ex, us):
            with pytest.raises(JoinError, match="in use"):
                await Client(ex.url, ex.tokens["us"]).connect()
            await us.request("ping")
        self._case(caplog, body, "already in use")

    def test_a_move_for_another_faction_is_refused(self, caplog):
        async def body(ex, us):
            await us.wait_for(lambda s: us.my_turn(s))
            before = ex.referee.game.state_hash()
            with pytest.raises(MoveRefused, match="cannot move for goi"):
                await us.move("goi:pass")
            assert ex.referee.game.state_hash() == before
        self._case(caplog, body, "cannot move for goi")

    def test_white_cell_commands_from_a_seat_are_refused(self, caplog):
        async def body(ex, us):
            with pytest.raises(MoveRefused, match="not allowed"):
                await us.request("pause")
        self._case(caplog, body, "pause is not allowed")

    def test_a_flood_closes_the_connection(self, caplog):
        async def body(ex, us):
            flooder = await ex.join(SPECTATOR)
            for _ in range(300):
                try:
                    await flooder.send_raw('{"v": 1, "type": "ping"}')
                except Exception:
                    break
            await asyncio.wait_for(flooder.closed.wait(), 5)
            assert flooder.ws.close_code == 1008
        self._case(caplog, body, "flood")

    def test_hello_first_and_only_once(self, caplog):
        async def body(ex, us):
            raw = Client(ex.url, "")
            raw.ws = None
            from websockets.asyncio.client import connect
            async with connect(ex.url, proxy=None) as ws:
                await ws.send('{"v": 1, "type": "ping"}')
                reply = json.loads(await ws.recv())
                assert reply["type"] == "error" and "hello" in reply["message"]
            await us.send_raw(json.dumps({"v": 1, "type": "hello", "token": ex.tokens["us"]}))
            await us.request("ping")
            assert "not allowed" in us.errors[-1]["message"]
        self._case(caplog, body, "ping before hello")


# -- reconnection ------------------------------------------------------------------------
class TestReconnection:
    def test_dropped_client_rejoins_mid_turn_with_its_sealed_orders(self):
        async def main():
            async with Exercise(sealed=True) as ex:
                seats = {f: await ex.join(f) for f in FACTIONS}
                us = seats["us"]
                state = await us.wait_for(lambda s: s["legal"])
                orders = [state["legal"][-1]] * state["capacity"]
                await us.seal(orders)
                await us.drop()
                for f in ("goi", "mil"):
                    s = await seats[f].wait_for(lambda s: s["legal"])
                    await seats[f].seal([s["legal"][0]] * s["capacity"])
                welcome = await us.reconnect()
                assert welcome["orders"] == orders and "us" in welcome["sealed"]["in"]
                assert welcome["log"] == us.log and welcome["log"]  # the whole visible log
                s = await seats["pro"].wait_for(lambda s: s["legal"])
                await seats["pro"].seal([s["legal"][0]] * s["capacity"])
                await us.wait_for(lambda s: s["ctx"]["turn"] == 2 or "outcome" in s)
                assert str(ex.referee.game.history[
                    [m.faction for m in ex.referee.game.history].index("us")]) == orders[0]
        run(main())

    def test_a_move_sent_as_the_connection_drops_is_played_once(self):
        async def main():
            async with Exercise() as ex:
                seats = {f: await ex.join(f) for f in FACTIONS}
                first = ex.referee.game.active_faction
                client = seats[first]
                state = await client.wait_for(lambda s: s["legal"])
                sending = asyncio.create_task(client.move(state["legal"][0]))
                await asyncio.sleep(0)
                await client.drop()
                await client.reconnect()
                await asyncio.wait_for(sending, 5)
                assert client.outbox is None
                history = ex.referee.game.history
                assert len(history) == 1 and str(history[0]) == state["legal"][0]
        run(main())


# -- the white cell's clock, review and spectators ------------------------------------------
class TestWhiteCell:
    def test_the_clock_plays_the_default_for_a_silent_seat(self, tmp_path):
        async def main():
            async with Exercise(tmp_path) as ex:
                white = await ex.join(WHITE)
                first = ex.referee.game.active_faction
                await white.request("clock", seconds=0.2, default="pass")
                await white.wait_for(lambda s: s["ctx"]["moves"] >= 1, 5)
                assert str(ex.referee.game.history[0]) == f"{first}:pass"
                await white.request("clock", seconds=0.2, default="ai")
                await white.wait_for(lambda s: s["ctx"]["moves"] >= 3, 5)
                await white.request("clock", seconds=None)
        run(main())
        journal, _, _ = Journal.load(tmp_path / "exercise.json", SCENARIO)
        assert [e.type for e in journal.entries][:2] == ["timeout", "move"]

    def test_spectators_see_what_the_white_cell_shows(self):
        async def main():
            async with Exercise(seats="us=random,goi=random,mil=human,pro=random") as ex:
                watch = FogWatch(ex.server)
                white = await ex.join(WHITE)
                spectator = await ex.join(SPECTATOR)
                assert spectator.state["eyes"] == fog.PUBLIC
                await white.request("show", spectators="none")
                await spectator.wait_for(lambda s: s.get("shown") == "none")
                await white.request("show", spectators="us")
                await spectator.wait_for(lambda s: s.get("eyes") == "us")
                with pytest.raises(MoveRefused, match="show none"):
                    await white.request("show", spectators="everything")
                with pytest.raises(MoveRefused, match="not allowed"):
                    await spectator.request("pause")
                assert watch.clean() and watch.frames[fog.NONE] and watch.frames["us"]
        run(main())

    def test_review_holds_the_result_until_approved(self):
        async def main():
            async with Exercise(seats="us=human,goi=random,mil=random,pro=random",
                                review=True) as ex:
                white = await ex.join(WHITE)
                spectator = await ex.join(SPECTATOR)
                us = await ex.join("us")
                seen = -1
                while not us.my_turn():  # the bots' results are held too: approve them
                    held = await white.wait_for(
                        lambda s: us.my_turn() or ("review" in s and s["ctx"]["moves"] > seen))
                    if "review" in held and not us.my_turn():
                        seen = held["ctx"]["moves"]
                        await white.request("approve")
                state = await us.wait_for(lambda s: s["legal"])
                moves = state["ctx"]["moves"]
                await us.move(state["legal"][0])
                review = await white.wait_for(lambda s: "review" in s)
                assert review["review"]["move"] == state["legal"][0]
                assert ex.referee.game.ctx.moves == moves  # nothing revealed yet
                assert "review" in spectator.state["awaiting"]
                with pytest.raises(MoveRefused, match="review"):
                    await white.request("pause")
                await white.request("approve")
                await spectator.wait_for(lambda s: s["ctx"]["moves"] > moves)
                await white.request("ruling", values={"escalation": 4},
                                    rationale="tensions eased after talks")
                await spectator.wait_for(lambda s: any("tensions eased" in l for l in spectator.log))
        run(main())


# -- a killed server comes back from its autosave ----------------------------------------------
class TestRestart:
    def test_killed_server_resumes_from_its_autosave_with_the_same_tokens(self, tmp_path):
        port = free_port()
        save = tmp_path / "ex.json"
        url = f"ws://127.0.0.1:{port}"
        proc, tokens = start_host(["--port", str(port), "--save", str(save), "--seed", "9",
                                   "--seats", "us=human,goi=human,mil=random,pro=random"],
                                  tmp_path)
        picked: dict[str, str] = {}
        try:
            async def before():
                white = Client(url, tokens[WHITE])
                us, goi = Client(url, tokens["us"]), Client(url, tokens["goi"])
                for c in (white, us, goi):
                    await c.connect()
                await white.request("inject", text="Blackout in Basra", effects={"economy": -1})
                picked["card"] = white.state["board"]["deck"][-1]  # in this game's deck, for turn 12
                await white.request("inject", card=picked["card"], turn=12)
                for _ in range(6):
                    for c in (us, goi):
                        if c.my_turn():
                            await c.move(c.state["legal"][0], at=c.state["ctx"]["moves"])
                    await asyncio.sleep(0.05)
                await white.request("ping")
                await asyncio.sleep(0.1)
                return white.state["hash"], white.state["ctx"]["moves"]
            hash_before, moves = run(before(), 30)
            assert moves > 0
            assert stat_mode(tokens_path(save)) == 0o600
            proc, again = kill_and_restart(proc, ["--port", str(port), "--load", str(save)],
                                           tmp_path)
            assert again == tokens

            async def after():
                white = Client(url, tokens[WHITE])
                await white.connect()
                assert white.state["hash"] == hash_before
                assert white.state["schedule"][0]["card"] == picked["card"]
                us, goi = Client(url, tokens["us"]), Client(url, tokens["goi"])
                for c in (us, goi):
                    await c.connect()
                await asyncio.gather(scripted(us), scripted(goi))
                await white.wait_for(lambda s: "outcome" in s)
                return white.state["hash"]
            final = run(after(), 60)
        finally:
            stop_host(proc)
        journal, game, _ = Journal.load(save, SCENARIO)
        assert game.state_hash() == final
        assert read_private(save)["tokens"] == tokens
        assert list(tmp_path.glob("autosave-*.json")), "autosaved after each turn"


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# -- the command line -----------------------------------------------------------------------
class TestCommandLine:
    @pytest.mark.parametrize("args,message,code", [
        (["host", "--seats", "us=robot"], "unknown seat kind", 2),
        (["host", "--port", "70000"], "a port is 0 to 65535", 2),
        (["host", "--load", "/nonexistent/save.json"], "no such file", 2),
        (["host", "--clock", "0"], "clock runs", 2),
        (["join", "http://example.org", "--token", "x", "--headless"], "not a websocket address", 2),
        (["join", "ws://127.0.0.1:1", "--token", "x", "--headless"], "cannot reach", 1),
        (["join", "ws://127.0.0.1:1", "--token", "x", "--ai", "genius"], "unknown seat kind", 2),
    ])
    def test_bad_input_is_one_line_and_non_zero(self, args, message, code, tmp_path):
        proc = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=30,
                              env=dict(os.environ, CROSSROADS_SAVES=str(tmp_path)))
        assert proc.returncode == code  # 2 for the user's errors, 1 for a server out of reach
        assert message in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr

    @pytest.mark.parametrize("make, args, message", [
        # Review c1: a folder given as --save was called an existing save to resume.
        (lambda t: t, ["--save", "{t}"], "is a directory, not a save file"),
        (lambda t: t, ["--save", "{t}", "--tables", "2"], "is a directory, not a save file"),
        # A file as the autosave folder: refused at once, not after every autosave failed.
        (lambda t: (t / "f.json").write_text("x"), ["--autosave-dir", "{t}/f.json",
                                                    "--save", "{t}/new.json"], "not a folder"),
        # An exercise's save resumes in place: another --save is refused, not ignored.
        (lambda t: (t / "ex.tokens.json").write_text("{}"), ["--load", "{t}/ex.json", "--save",
                                                             "{t}/other.json"], "leave out --save"),
    ])
    def test_bad_files_for_host_are_one_line_and_exit_2(self, make, args, message, tmp_path):
        make(tmp_path)
        before = sorted(tmp_path.rglob("*"))
        assert message in refused_host(*[a.format(t=tmp_path) for a in args], saves=tmp_path)
        assert sorted(tmp_path.rglob("*")) == before  # nothing written

    def test_host_load_of_a_local_save_never_rewrites_it(self, tmp_path):
        # Review c1: 'host --load' of a local game's save rewrote that file in place as
        # an exercise's save (signed, white-cell entries, and a token file beside it).
        from engine.record import Recorder, save as write_save
        r = Recorder.new(SCENARIO, 3, 2, parse_seats("us=human,goi=random,mil=random,pro=random",
                                                     FACTIONS), "2020-01-03T00:00:00Z")
        for _ in range(5):
            r.apply(r.game.legal_moves()[0])
        mine = tmp_path / "mine.json"
        write_save(r.record, mine)
        original = mine.read_bytes()
        port = free_port()
        proc, tokens = start_host(["--port", str(port), "--load", str(mine), "--save",
                                   str(tmp_path / "ex.json")], tmp_path / "auto")
        try:
            async def join():
                white = Client(f"ws://127.0.0.1:{port}", tokens[WHITE])
                await white.connect()
                await white.request("pause")
                await white.request("ping")
            run(join(), 30)
        finally:
            out = stop_host(proc)
        assert proc.returncode == 0 and "host --load " + str(tmp_path / "ex.json") in out
        assert mine.read_bytes() == original and not tokens_path(mine).exists()
        journal, _, _ = Journal.load(tmp_path / "ex.json", SCENARIO)  # the exercise, apart
        played = [e.hash for e in r.record.entries]
        assert [e.hash for e in journal.entries[:len(played)]] == played  # where mine stopped
        assert journal.header.seed == 3 and read_private(tmp_path / "ex.json")["tokens"] == tokens
        assert isinstance(journal.entries[-1], PauseEntry)

    def test_a_refused_token_is_one_line_in_the_terminal_and_before_the_window(self, tmp_path):
        port = free_port()
        proc, tokens = start_host(["--port", str(port), "--save", str(tmp_path / "s.json")],
                                  tmp_path)
        try:
            for extra, message in ((["--token", "wrong", "--headless"], "unknown token"),
                                   (["--token", "wrong"], "unknown token")):  # the window's path
                env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
                done = subprocess.run([sys.executable, "main.py", "join",
                                       f"ws://127.0.0.1:{port}", *extra], cwd=ROOT, env=env,
                                      capture_output=True, text=True, timeout=30)
                # A user error: exit 2 as for every other (review c1: it was 1).
                assert done.returncode == 2 and message in done.stderr
                assert "Traceback" not in done.stderr
        finally:
            stop_host(proc)


class TestAiSeats:
    def test_search_bots_play_a_seat_remotely_and_on_the_server(self):
        from engine.cli.join import bot_seat

        async def main():
            async with Exercise(seats="us=human,goi=ai:easy,mil=random,pro=random",
                                turns=2) as ex:
                us = await ex.join("us")
                final = await play_bot(us, bot_seat("easy").bot("us"), Rng(3), SCENARIO)
                assert "outcome" in final
        run(main(), 120)


class TestTerminalClients:
    """Found by trying the consoles as a careless user would (review r1)."""

    @pytest.mark.parametrize("line, message", [
        ("clock abc", "clock: expected SECONDS (a number) or off, got 'abc'"),
        ("clock nan", "clock: expected SECONDS (a number) or off, got 'nan'"),
        ("inject hashimi soon", "inject: expected a turn number, got 'soon'"),
        ('event "Power cut" economy=-1 @x', "event: expected @TURN (a turn number), got 'x'"),
        ('ruling legitimacy=high "why"', "ruling: expected a whole number for legitimacy"),
        ("t2 clock 1e", "clock: expected SECONDS"),
    ])
    def test_the_white_console_names_a_bad_number_in_its_own_words(self, line, message):
        from engine.cli.join import white_request
        with pytest.raises(ValueError) as err:
            white_request(line)
        assert message in str(err.value) and "(type help)" in str(err.value)
        assert "convert" not in str(err.value) and "literal" not in str(err.value)

    def test_log_lines_name_the_faction_and_the_move_in_words(self):
        from engine.net.client import in_words
        assert in_words(SCENARIO, "T1 mil:front border") == \
            "T1 Iran-aligned militias: " + SCENARIO.registry.kind("mil", "front").title
        assert in_words(SCENARIO, "T2 mil: a covert action") == "T2 Iran-aligned militias: a covert action"
        for line in ("  → budget −1", "T1 xx:front border", "Event: A drone strike", "T1 us:nonsense"):
            assert in_words(SCENARIO, line) == line

    def test_q_in_a_seats_terminal_leaves_with_exit_0_and_how_to_rejoin(self):
        import io

        from engine.cli.join import headless

        async def main():
            async with Exercise(seed=2) as ex:  # a seed whose first card lets the US move first
                us = await ex.join("us")

                async def read() -> str:
                    return "q\n"
                out = io.StringIO()
                code = await headless(us, out, read)
                return code, out.getvalue(), us.token
        code, text, token = run(main())
        assert code == 0
        # The moves are listed in words, read on the seat's view, not as codes.
        listed = [line for line in text.splitlines() if line[:6].strip().rstrip(".").isdigit()]
        assert len(listed) > 10
        assert not any(re.match(r"\s*\d+\. (us|goi|mil|pro):", line) for line in listed), listed[:3]
        assert any("Higher Electoral Commission" in line for line in listed)
        assert f"rejoin with: python main.py join ws://127.0.0.1:" in text
        assert f"--token {token} --headless" in text
