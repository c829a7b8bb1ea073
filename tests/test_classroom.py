"""A class: several tables served from one port, one white cell for them all.

Loopback only.  The byte-level checks extend the single table's fog test
(tests/test_net.py FogWatch) across tables: a table's frames carry that
table's state and nothing of another table's.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
from pathlib import Path

import pytest

from engine.game import Game
from engine.net.client import Client, JoinError, MoveRefused
from engine.net.hub import Hub, table_of, table_tokens
from engine.net.journal import Journal, read_private
from engine.net.protocol import SPECTATOR, WHITE
from engine.net.referee import Referee, Settings
from engine.net.server import Server
from engine.seats import format_seats, parse_seats
from engine.whitecell import InjectEntry, MoveEntry, OverrideEntry, PauseEntry
from tests.helpers import (ROOT, SCENARIO, free_port, kill_and_restart, refused_host, run,
                           start_host, stop_host)
from tests.test_net import FogWatch, covert_first, scripted

FACTIONS = SCENARIO.factions


class Class:
    """A hub of tables on a free loopback port (seeds 5, 6, ...)."""

    def __init__(self, tmp_path: Path | None, n: int = 2, seats: str = "us=human,goi=human,"
                 "mil=human,pro=human", turns: int | None = None, **settings) -> None:
        self.seats = parse_seats(seats, FACTIONS, default="human")
        self.white = "white.class-token-for-tests"
        self.tables: dict[str, Server] = {}
        self.journals: dict[str, Journal] = {}
        self.tokens: dict[str, dict[str, str]] = {}
        for i in range(n):
            tid = f"t{i + 1}"
            game = Game.new(SCENARIO, 5 + i, turns)
            path = tmp_path / f"c-{tid}.json" if tmp_path else None
            journal = Journal.start(path, game, 5 + i, format_seats(self.seats), "2020-01-03")
            ref = Referee(game, self.seats, 5 + i, journal.append, Settings(**settings))
            roles = [f for f, s in self.seats.items() if s.human] + [SPECTATOR]
            tokens = {**table_tokens(tid, roles), WHITE: self.white}
            self.tables[tid] = Server(ref, tokens, ping_interval=None, journal=journal, table=tid)
            self.journals[tid], self.tokens[tid] = journal, tokens
        self.hub = Hub(self.tables, self.white, ping_interval=None)
        self.clients: list[Client] = []

    async def __aenter__(self) -> "Class":
        self.url = f"ws://127.0.0.1:{await self.hub.start()}"
        return self

    async def __aexit__(self, *exc) -> None:
        for client in self.clients:
            await client.close()
        await self.hub.stop()

    async def join(self, tid: str | None, role: str, **kw) -> Client:
        token = self.white if role == WHITE and tid is None else self.tokens[tid][role]
        client = Client(self.url, token, **kw)
        await client.connect()
        self.clients.append(client)
        return client


class CrossTableWatch:
    """Every frame a table's server sends: it names that table, passes the
    table's own fog check (FogWatch), and holds none of another table's
    secrets — its deck order, its state hash, log lines only it has."""

    def __init__(self, cls: Class) -> None:
        self.cls = cls
        self.fogs = {tid: FogWatch(server) for tid, server in cls.tables.items()}
        self.frames = {tid: 0 for tid in cls.tables}
        self.checked_against = {tid: 0 for tid in cls.tables}
        self.failures: list[str] = []  # the server logs a failing tap and goes on: kept here
        for tid, server in cls.tables.items():
            server.tap = (lambda tid: lambda conn, text: self.check(tid, conn, text))(tid)

    def check(self, tid: str, conn, text: str) -> None:
        try:
            self._check(tid, conn, text)
        except AssertionError as err:
            self.failures.append(str(err).splitlines()[0])
            raise

    def _check(self, tid: str, conn, text: str) -> None:
        frame = json.loads(text)
        if frame["type"] in ("state", "welcome"):
            assert frame["table"] == tid, "a frame without its table"
        if conn.role == WHITE:
            return  # the class's white cell sees every table
        self.fogs[tid].check(conn, text)
        self.frames[tid] += 1
        data = text.encode()
        mine = self.cls.tables[tid].referee
        own_lines = {line.text for line in mine.log}
        for other_id, other in self.cls.tables.items():
            if other_id == tid:
                continue
            ref = other.referee
            secrets = [ref.game.state_hash(), json.dumps(list(ref.game.board.deck),
                                                         separators=(",", ":"))]
            # A log line leaks as a whole JSON string; as a bare substring it may be
            # the start of a longer line of this table's own (two tables' track changes).
            lines = [json.dumps(line.text, ensure_ascii=False) for line in ref.log
                     if line.text not in own_lines and len(line.text) > 30]
            for secret in secrets[:2] + lines + list(self.cls.tokens[other_id].values()):
                self.checked_against[tid] += 1
                assert secret.encode() not in data, f"table {tid} was sent {other_id}'s {secret!r}"


class TestTokens:
    def test_a_table_token_names_its_table(self):
        tokens = table_tokens("t3", ["us", SPECTATOR])
        assert {table_of(t) for t in tokens.values()} == {"t3"}
        assert len(set(tokens.values())) == 2
        assert table_of("white.abc") == "white" and table_of("plain") == ""


class TestTwoTables:
    def test_each_table_is_sent_only_its_own_state(self):
        async def main():
            async with Class(None, 2, seats="us=human,goi=human,mil=random,pro=random",
                             turns=3) as cls:
                watch = CrossTableWatch(cls)
                white = await cls.join(None, WHITE)
                assert white.welcome["tables"] == ["t1", "t2"]
                players = []
                for tid in cls.tables:
                    await cls.join(tid, SPECTATOR)
                    for faction in ("us", "goi"):
                        players.append(await cls.join(tid, faction, keep_frames=True))
                try:
                    await asyncio.gather(*(scripted(p, covert_first) for p in players))
                finally:  # a leak may stall the game: say what leaked, not that it stalled
                    assert watch.failures == [], watch.failures[:3]
                    for p in players:
                        tables = {json.loads(f).get("table") for f in p.frames
                                  if json.loads(f)["type"] in ("state", "welcome")}
                        assert tables == {table_of(p.token)}, f"{p.token} was sent {tables}"
                await white.wait_tables(lambda t: all("outcome" in t[k] for k in ("t1", "t2")))
                finals = {tid: s.referee.game.state_hash() for tid, s in cls.tables.items()}
                assert finals["t1"] != finals["t2"]
                assert white.tables["t1"]["hash"] == finals["t1"]
                assert white.tables["t2"]["hash"] == finals["t2"]
                return watch
        watch = run(main(), 120)
        assert watch.failures == []
        for tid in ("t1", "t2"):
            assert watch.frames[tid] > 20
            assert watch.checked_against[tid] > 100
            assert sum(watch.fogs[tid].secrets_seen.values()) > 0

    def test_the_white_cells_inject_reaches_only_the_tables_it_names(self):
        async def main():
            async with Class(None, 3) as cls:
                white = await cls.join(None, WHITE)
                us = {tid: await cls.join(tid, "us") for tid in cls.tables}
                reply = await white.request("inject", text="Blackout in Basra",
                                            effects={"economy": -1}, table="t2")
                assert reply["tables"] == ["t2"]
                await white.request("inject", text="Najaf speaks", effects={"economy": 1},
                                    table="t1,t3")
                with pytest.raises(MoveRefused, match="name the table"):
                    await white.request("pause")
                with pytest.raises(MoveRefused, match="no table 't9'"):
                    await white.request("pause", table="t9")
                with pytest.raises(MoveRefused, match="one table at a time"):
                    await white.request("approve", table="all")
                await white.request("pause", table="t3")
                await us["t2"].wait_for(lambda s: any("Blackout" in line for line in us["t2"].log))
                await us["t3"].wait_for(lambda s: s["ctx"]["phase"] == "paused")
                await us["t1"].wait_for(lambda s: any("Najaf speaks" in line
                                                      for line in us["t1"].log))
                await white.request("ping")
                assert not any("Blackout" in line for line in us["t1"].log + us["t3"].log)
                assert not any("Najaf speaks" in line for line in us["t2"].log)
                assert "Blackout" in " ".join(white.table_logs["t2"])
                assert us["t1"].state["ctx"]["phase"] != "paused"
                # a seat's request naming another table is refused by the protocol
                await us["t1"].send_raw(json.dumps({"v": 1, "type": "pause", "table": "t2"}))
                await us["t1"].send_raw(json.dumps({"v": 1, "type": "move", "move": "us:pass",
                                                    "table": "t2"}))
                await us["t1"].request("ping")
                assert [e["message"] for e in us["t1"].errors] == [
                    "pause is not allowed for a seat", "move: unknown field 'table'"]
                return {tid: [type(e).__name__ for e in j.entries] for tid, j in cls.journals.items()}
        kinds = run(main())
        assert kinds["t2"].count("InjectEntry") == 1 and "PauseEntry" not in kinds["t2"]
        assert kinds["t1"].count("InjectEntry") == 1
        assert "PauseEntry" in kinds["t3"]

    def test_tokens_are_checked_per_table_and_the_white_token_is_held_once(self):
        async def main():
            async with Class(None, 2) as cls:
                await cls.join(None, WHITE)
                with pytest.raises(JoinError, match="in use"):
                    await Client(cls.url, cls.white).connect()
                forged = "t2." + cls.tokens["t1"]["us"].partition(".")[2]
                with pytest.raises(JoinError, match="unknown token"):
                    await Client(cls.url, forged).connect()
                with pytest.raises(JoinError, match="unknown token"):
                    await Client(cls.url, "t7.nothing").connect()
                us2 = await cls.join("t2", "us")
                assert us2.faction == "us" and us2.state["table"] == "t2"
        run(main())

    def test_override_on_one_table_is_recorded_in_its_save(self, tmp_path):
        async def main():
            async with Class(tmp_path, 2, review=True) as cls:
                white = await cls.join(None, WHITE)
                us = await cls.join("t1", "us")
                # The turn's card sets who moves first: the others pass until the US is up.
                others = {f: await cls.join("t1", f) for f in ("goi", "mil", "pro")}
                ref = cls.tables["t1"].referee
                while ref.game.active_faction != "us":
                    await others[ref.game.active_faction].move(f"{ref.game.active_faction}:pass",
                                                               at=ref.game.ctx.moves)
                    await white.wait_tables(lambda t: "review" in t.get("t1", {}))
                    await white.request("approve", table="t1")
                    await white.wait_tables(lambda t: "review" not in t["t1"])
                await us.wait_for(lambda s: s.get("legal"))
                pick = next(m for m in us.state["legal"] if "strike" in m or "sanction" in m)
                await us.move(pick, at=us.state["ctx"]["moves"])
                await white.wait_tables(lambda t: "review" in t.get("t1", {}))
                await white.request("override", tier="fail", rationale="Evidence was thin",
                                    table="t1")
                await white.wait_tables(lambda t: "review" not in t["t1"])
        run(main())
        t1 = Journal.load(tmp_path / "c-t1.json", SCENARIO)[0]
        t2 = Journal.load(tmp_path / "c-t2.json", SCENARIO)[0]
        overrides = [e for e in t1.entries if isinstance(e, OverrideEntry)]
        assert overrides and overrides[0].rationale == "Evidence was thin"
        assert not [e for e in t2.entries if not isinstance(e, MoveEntry)]


# -- a killed class server comes back from its saves ------------------------------------
def start_class(args: list[str], saves: Path) -> tuple[subprocess.Popen, dict[str, str]]:
    return start_host(args, saves, ready="Class ready")


class TestRestart:
    def test_killed_class_resumes_every_table_with_nothing_acknowledged_lost(self, tmp_path):
        port = free_port()
        path = tmp_path / "class.json"
        url = f"ws://127.0.0.1:{port}"
        proc, tokens = start_class(["--tables", "2", "--port", str(port), "--save", str(path),
                                    "--seed", "9", "--seats", "us=human,goi=human,mil=random,"
                                    "pro=random"], tmp_path)
        acked: dict[str, list[str]] = {"t1": [], "t2": []}
        picked: dict[str, str] = {}
        try:
            async def before():
                white = Client(url, tokens[WHITE])
                await white.connect()
                seats = {(tid, f): Client(url, tokens[f"{tid}/{f}"])
                         for tid in ("t1", "t2") for f in ("us", "goi")}
                for c in seats.values():
                    await c.connect()
                await white.request("inject", text="Blackout in Basra", effects={"economy": -1},
                                    table="t1")
                await white.wait_tables(lambda t: len(t) == 2)
                picked["card"] = white.tables["t2"]["board"]["deck"][-1]  # in t2's deck, for turn 12
                await white.request("inject", card=picked["card"], turn=12, table="t2")
                for _ in range(8):
                    for (tid, _f), c in seats.items():
                        if c.my_turn():
                            move = c.state["legal"][0]
                            await c.move(move, at=c.state["ctx"]["moves"])
                            acked[tid].append(move)  # acknowledged: move() returned
                    await asyncio.sleep(0.05)
                await white.request("ping")
                await asyncio.sleep(0.1)
                return {tid: white.tables[tid]["hash"] for tid in ("t1", "t2")}
            hashes = run(before(), 40)
            assert acked["t1"] and acked["t2"]
            proc, again = kill_and_restart(proc, ["--port", str(port), "--load", str(path)],
                                           tmp_path, ready="Class ready")
            assert again == tokens

            async def after():
                white = Client(url, tokens[WHITE])
                await white.connect()
                await white.wait_tables(lambda t: len(t) == 2)
                assert {tid: white.tables[tid]["hash"] for tid in ("t1", "t2")} == hashes
                assert white.tables["t2"]["schedule"][0]["card"] == picked["card"]
                assert any("Blackout" in line for line in white.table_logs["t1"])
                return True
            assert run(after(), 30)
        finally:
            stop_host(proc)
        for tid in ("t1", "t2"):
            journal, game, _ = Journal.load(tmp_path / f"class-{tid}.json", SCENARIO)
            assert game.state_hash() == hashes[tid]
            played = [e.move for e in journal.entries if isinstance(e, MoveEntry)]
            for move in acked[tid]:
                assert move in played, f"{tid}: acknowledged {move} lost"
            private = read_private(tmp_path / f"class-{tid}.json")
            assert private["tokens"][WHITE] == tokens[WHITE]
            journal.record.check_signature(bytes.fromhex(private["mac_key"]))  # host-signed
        t1 = Journal.load(tmp_path / "class-t1.json", SCENARIO)[0]
        assert [e.text for e in t1.entries if isinstance(e, InjectEntry)] == ["Blackout in Basra"]


class TestCommandLine:
    @pytest.mark.parametrize("args, message", [
        (["--tables", "0"], "at least 1"),
        (["--tables", "17"], "at most 16"),
        (["--tables", "x"], ""),
    ])
    def test_bad_table_counts(self, args, message, tmp_path):
        assert message in refused_host(*args)

    def test_load_with_another_number_of_tables_is_refused(self, tmp_path):
        # Review r1: 'host --load CLASS --tables 3' of a two-table class resumed
        # two tables and ignored the 3 without a word.
        path = tmp_path / "class.json"
        path.write_text(json.dumps({"format": "crossroads-class", "version": 1,
                                    "tables": {"t1": "c-t1.json", "t2": "c-t2.json"}}))
        before = sorted(tmp_path.iterdir())
        assert "a class of 2 tables, not 3" in refused_host("--load", path, "--tables", "3")
        assert sorted(tmp_path.iterdir()) == before

    def test_a_broken_class_file_is_one_line(self, tmp_path):
        path = tmp_path / "class.json"
        path.write_text(json.dumps({"format": "crossroads-class", "version": 1,
                                    "tables": {"t1": "../../etc/passwd"}}))
        assert "not a class file" in refused_host("--load", path)
        path.write_text(json.dumps({"format": "crossroads-class", "version": 1,
                                    "tables": {"t1": "missing.json"}}))
        assert "table t1" in refused_host("--load", path)
        # A class resumes in place: another --save is refused, not ignored.
        assert "leave out --save" in refused_host("--load", path, "--save", tmp_path / "x.json")


class TestConsole:
    def test_the_class_white_cell_console_names_tables(self):
        import io

        from engine.cli.join import white_console

        async def main():
            async with Class(None, 2) as cls:
                white = await cls.join(None, WHITE)
                lines = iter(["t2 pause", "pause", "all event \"Power cut\" economy=-1",
                              "status", "quit"])

                async def read() -> str:
                    await asyncio.sleep(0.05)
                    return next(lines) + "\n"
                out = io.StringIO()
                assert await white_console(white, out, read) == 0
                await white.request("ping")
                return out.getvalue(), cls
        text, cls = run(main())
        assert "[t1] " in text and "[t2] " in text
        assert "refused: pause: name the table (t1 to t2) or all" in text
        assert cls.tables["t2"].referee.game.ctx.phase == "paused"
        assert cls.tables["t1"].referee.game.ctx.phase != "paused"
        assert "t2: turn 1, paused by the white cell" in text
        for server in cls.tables.values():
            assert any("Power cut" in line.text for line in server.referee.log)
