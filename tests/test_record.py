"""Saves, autosaves, replays and verification (engine/record.py).

The save is header + seed + log; these tests check that it is enough to
rebuild every position bit for bit, that hashes and snapshots catch any
change to it, that a killed game loses at most the turn in progress, and
that every bad file gets one line and exit code 2 without being touched.
"""

from __future__ import annotations

import json
import re
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import record as rec
from engine.game import Game
from engine.match import Match
from engine.record import (Autosaver, Record, Recorder, SaveError, VerifyError, load, load_match,
                           match_from)
from engine.seats import parse_seats
from rules.board import S, Attack
from rules.scenario import IRAQ_2020

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FORMAT1 = next(DATA.glob("save-format1-seed*.json"))  # see tests/data/make_fixtures.py
FORMAT2 = next(DATA.glob("save-format2-seed*.json"))  # see tests/data/make_fixtures.py
# Saves of the scenario's version 1 (one shuffled deck of every card), kept to
# check that they still load under the current rules.
SCENARIO1 = sorted(DATA.glob("save-scenario1-*.json"))
CREATED = "2020-01-03T09:15:00Z"
ALL_BOTS = "us=random,goi=random,mil=random,pro=random"
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
       "PYTHONDONTWRITEBYTECODE": "1"}

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def bot_game(seed: int, turns: int | None = None, seats: str = ALL_BOTS, stop: int | None = None,
             **kwargs) -> Recorder:
    """A recorded zero-player game, played to the end or ``stop`` moves."""
    r = Recorder.new(IRAQ_2020, seed, turns, parse_seats(seats, IRAQ_2020.factions), CREATED,
                     **kwargs)
    while not r.game.is_over() and (stop is None or len(r.record) < stop):
        r.apply(r.match.bot_choice().move)
    r.sync_bots()
    return r


def main_py(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=ENV,
                          input=stdin, capture_output=True, text=True, timeout=timeout)


@st.composite
def played(draw, max_turns: int = 3, max_steps: int = 40):
    """A record of a game whose every move (and undo) hypothesis chose."""
    seed = draw(st.integers(0, 2**32))
    turns = draw(st.integers(1, max_turns))
    seats = ",".join(f"{f}={draw(st.sampled_from(('human', 'random')))}"
                     for f in IRAQ_2020.factions)
    r = Recorder.new(IRAQ_2020, seed, turns, parse_seats(seats, IRAQ_2020.factions), CREATED)
    for _ in range(draw(st.integers(0, max_steps))):
        if r.game.is_over():
            break
        if r.record.can_undo() and draw(st.integers(0, 9)) == 0:
            r.undo()
            continue
        legal = r.game.legal_moves()
        r.apply(legal[draw(st.integers(0, len(legal) - 1))])
    return r


class TestStateHash:
    def test_an_enum_member_and_its_int_hash_alike(self):
        game = Game.new(IRAQ_2020, 3)
        board = game.board
        with_enum = game.state.__class__(game.ctx, board.__class__(
            board.tracks, board.pieces, board.pool, board.posts, (Attack(S.K1, "mil", True, False, 1),)),
            game.state.rng)
        with_int = game.state.__class__(game.ctx, board.__class__(
            board.tracks, board.pieces, board.pool, board.posts, (Attack(9, "mil", True, False, 1),)),
            game.state.rng)
        assert with_enum.digest() == with_int.digest()

    def test_a_snapshot_round_trip_keeps_the_hash(self):
        r = bot_game(5)
        for snap in r.record.snapshots:
            text = json.dumps(rec._conv.unstructure(snap.state))
            state = rec._structure(json.loads(text), rec.GameState, "state")
            board = rec._structure(state.board, IRAQ_2020.board_type, "board")
            assert rec.attrs.evolve(state, board=board).digest() == snap.state.digest()


class TestRoundTrip:
    @SETTINGS
    @given(played())
    def test_save_then_load_gives_the_same_state_hash(self, r: Recorder):
        loaded = Record.from_json(r.record.to_json())
        end = len(loaded)
        assert loaded.game_at(end).state_hash() == r.game.state_hash()
        assert loaded.hashes == r.record.hashes
        assert loaded.header == r.record.header

    @SETTINGS
    @given(played(), st.data())
    def test_seeking_without_verifying_reaches_every_recorded_hash(self, r: Recorder, data):
        loaded = Record.from_json(r.record.to_json(), verify=False)
        positions = data.draw(st.lists(st.integers(0, len(loaded)), max_size=8))
        for p in positions:
            assert loaded.game_at(p).state_hash() == r.record.hash_at(p)

    def test_the_file_is_plain_json_with_one_entry_a_line(self, tmp_path):
        r = bot_game(7, save_path=tmp_path / "g.json")
        r.checkpoint()
        text = (tmp_path / "g.json").read_text()
        doc = json.loads(text)
        assert doc["header"]["format_version"] == rec.FORMAT_VERSION
        assert doc["log"][0] == {"type": "move", "move": r.record.moves[0],
                                 "hash": r.record.hashes[0]}
        assert sum(1 for line in text.splitlines() if '"type": "move"' in line) == \
            len(r.record.moves)
        assert [s["turn"] for s in doc["snapshots"]] == list(range(1, r.game.ctx.turn + 1))

    def test_a_resaved_record_is_byte_identical(self):
        text = Record.from_json(FORMAT2.read_text()).to_json()  # migrated to the current format
        assert Record.from_json(text).to_json() == text


class TestReplay:
    @SETTINGS
    @given(played(max_turns=4))
    def test_replaying_the_log_reproduces_every_recorded_hash(self, r: Recorder):
        summary = Record.from_json(r.record.to_json(), verify=False).verify()
        assert summary.entries == len(r.record)

    @SETTINGS
    @given(st.integers(0, 10**6), st.lists(st.sampled_from(("human", "random")), min_size=4,
                                           max_size=4))
    def test_any_seed_and_seats_replay_to_the_same_end(self, seed, kinds):
        seats = ",".join(f"{f}={k}" for f, k in zip(IRAQ_2020.factions, kinds))
        r = bot_game(seed, 4, seats=ALL_BOTS)
        r.record = Record(r.record.scenario, rec.attrs.evolve(r.record.header, seats=seats),
                          r.record.start_hash, r.record.entries, r.record.snapshots)
        loaded = Record.from_json(r.record.to_json())
        assert loaded.game_at(len(loaded)).state_hash() == r.game.state_hash()
        assert loaded.seats() == parse_seats(seats, IRAQ_2020.factions)

    def test_game_at_turn_is_the_start_of_that_turn(self):
        r = bot_game(21)
        for turn in range(1, r.game.ctx.turn + 1):
            game = r.record.game_at_turn(turn)
            assert game.ctx.turn == turn and game.ctx.phase == "actions" and game.ctx.active == 0
        with pytest.raises(IndexError, match="turn 99 is not in this game"):
            r.record.game_at_turn(99)

    def test_stepping_back_and_forth_is_consistent(self):
        loaded = Record.from_json(bot_game(8).record.to_json(), verify=False)
        for p in [len(loaded), 3, 4, 3, 0, len(loaded) - 1, len(loaded)]:
            game = loaded.game_at(p)
            assert game.state_hash() == loaded.hash_at(p)
            assert len(game.history) == len(loaded.entries[:p]) - \
                sum(1 for e in loaded.entries[:p] if e.type == "end")
        assert loaded.game_at(5).last_events[0].endswith(loaded.moves[4])

    def test_recording_goes_on_after_a_verify(self):
        r = bot_game(10, stop=10)
        r.record.verify()
        r.apply(r.match.bot_choice().move)
        assert Record.from_json(r.record.to_json()).hashes == r.record.hashes

    def test_a_game_at_a_position_is_independent_of_the_record(self):
        r = bot_game(9, stop=10)
        game = r.record.game_at(4)
        game.apply(game.legal_moves()[0])
        assert r.record.game_at(4).state_hash() == r.record.hash_at(4)


class TestUndo:
    def test_an_undo_entry_pops_the_last_move(self):
        r = bot_game(13, stop=6)  # its sixth move is not covert
        before = r.record.hash_at(5)
        taken = r.record.moves[-1]
        game = r.undo()
        assert game.state_hash() == before
        assert r.record.entries[-1] == rec.UndoEntry(before)
        assert len(game.history) == 5 and len(r.record) == 7
        assert game.last_events == (f"Undo: {taken} is taken back",)

    def test_undoing_a_covert_move_keeps_it_covert_in_the_replay(self):
        r = Recorder.new(IRAQ_2020, 3, 12, parse_seats("", IRAQ_2020.factions), "2020-01-03T00:00:00Z")
        while True:
            game = r.game
            covert = [m for m in game.legal_moves() if game.public_move(m) != str(m)]
            if covert:
                r.apply(covert[0])
                break
            r.apply(r.match.bot_choice().move)
        taken = covert[0]
        r.undo()
        replayed = r.record.game_at(len(r.record))
        for faction in IRAQ_2020.factions:
            text = "\n".join(replayed.events_for(faction))
            assert (str(taken) in text) == (faction == taken.faction)
        assert str(taken) in "\n".join(replayed.events_for(None))

    def test_a_private_note_is_read_by_its_author_only(self):
        r = bot_game(12, stop=6)
        r.record.annotate(rec.note_entry(r.record, 3, "us", "why we struck"))
        replayed = r.record.game_at(len(r.record))
        assert any("why we struck" in t for t in replayed.events_for("us"))
        assert not any("why we struck" in t for t in replayed.events_for("mil"))

    def test_undo_twice_then_play_on_and_replay(self):
        r = bot_game(13, stop=9)
        r.undo()
        r.undo()
        assert r.game.state_hash() == r.record.hash_at(7)
        while not r.game.is_over():
            r.apply(r.match.bot_choice().move)
        loaded = Record.from_json(r.record.to_json())
        assert loaded.game_at(len(loaded)).state_hash() == r.game.state_hash()
        assert loaded.game_at(10).state_hash() == r.record.hash_at(8)
        assert loaded.summary().undos == 2
        assert [str(m) for m in loaded.game_at(len(loaded)).history] == \
            [str(m) for m in r.game.history]

    def test_undo_back_across_a_turn_seeks_through_the_right_snapshot(self):
        r = bot_game(14)
        start2 = r.record.turn_starts()[2]
        r2 = bot_game(14, stop=start2)
        r2.undo()
        assert r2.game.ctx.turn == 1
        r2.apply(r2.game.legal_moves()[-1])
        while not r2.game.is_over():
            r2.apply(r2.match.bot_choice().move)
        loaded = Record.from_json(r2.record.to_json(), verify=False)
        for p in range(len(loaded) + 1):
            assert loaded.game_at(p).state_hash() == loaded.hash_at(p)
        assert loaded.game_at_turn(2).ctx.turn == 2
        Record.from_json(r2.record.to_json()).verify()

    def test_nothing_to_undo(self):
        r = bot_game(15, stop=0)
        assert not r.record.can_undo()
        with pytest.raises(ValueError, match="no move to undo"):
            r.undo()

    def test_a_log_that_undoes_more_than_was_played_is_refused(self):
        doc = json.loads(bot_game(16, stop=1).record.to_json())
        doc["log"] += [{"type": "undo", "hash": doc["start_hash"]}] * 2
        with pytest.raises(SaveError, match="log entry 3: undo with no move left to undo"):
            Record.from_dict(doc)

    def test_the_terminal_undo_takes_back_the_humans_last_move(self, tmp_path):
        # us moves 1, then u (back to before it), then 1 again, then quits.
        out = main_py("play", "--headless", "--seed", "3", "--turns", "2", "--autosave-dir",
                      str(tmp_path), "--save", str(tmp_path / "g.json"), stdin="1\nu\n2\nq\n")
        assert out.returncode == 0, out.stderr   # q leaves cleanly (issue 15)
        assert "saved; resume with" in out.stdout
        loaded = load(tmp_path / "g.json")
        assert "undo" in [e.type for e in loaded.entries]
        assert loaded.entries[-1].type == "move"


class TestResume:
    @SETTINGS
    @given(st.integers(0, 10**6), st.integers(1, 60))
    def test_a_resumed_game_continues_exactly_like_an_uninterrupted_one(self, seed, stop):
        whole = bot_game(seed, 6)
        part = bot_game(seed, 6, stop=stop)
        match = match_from(Record.from_json(part.record.to_json()))
        while not match.game.is_over():
            match.game.apply(match.bot_choice().move)
        assert match.game.history == whole.game.history
        assert match.game.state_hash() == whole.game.state_hash()

    def test_load_match_gives_the_match_and_its_record(self, tmp_path):
        r = bot_game(17, stop=12, save_path=tmp_path / "g.json")
        r.checkpoint()
        match, record = load_match(tmp_path / "g.json")
        assert isinstance(match, Match) and match.game.state_hash() == r.game.state_hash()
        assert {f: g.state for f, g in match.rngs.items()} == r.record.bots
        assert len(record) == 12

    def test_reseating_a_faction_gives_it_a_fresh_generator(self, tmp_path):
        r = bot_game(18, stop=12)
        seats = parse_seats("us=human", IRAQ_2020.factions)
        match = match_from(Record.from_json(r.record.to_json()), seats)
        assert "us" not in match.rngs and match.rngs["goi"].state == r.record.bots["goi"]

    def test_a_game_can_be_played_on_after_loading_and_saved_again(self, tmp_path):
        r = bot_game(19, stop=10)
        loaded = Record.from_json(r.record.to_json())
        recorder = Recorder(match_from(loaded), loaded, tmp_path / "g.json")
        while not recorder.game.is_over():
            recorder.apply(recorder.match.bot_choice().move)
        assert load(tmp_path / "g.json").summary().outcome is not None

    def test_play_load_resumes_headless(self, tmp_path):
        whole = main_py("play", "--headless", "--seed", "23", "--seats", ALL_BOTS, "--quiet",
                        "--no-autosave")
        r = bot_game(23, stop=20, save_path=tmp_path / "g.json")
        r.checkpoint()
        before = (tmp_path / "g.json").read_bytes()
        resumed = main_py("play", "--load", str(tmp_path / "g.json"), "--headless", "--quiet",
                          "--no-autosave")
        assert resumed.returncode == 0, resumed.stderr
        assert resumed.stdout == whole.stdout
        assert (tmp_path / "g.json").read_bytes() == before  # loading never writes

    def test_play_resume_takes_the_newest_autosave(self, tmp_path):
        bot_game(24, stop=20, autosaver=Autosaver(tmp_path)).checkpoint()
        out = main_py("play", "--resume", "--headless", "--autosave-dir", str(tmp_path))
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith(f"Resumed {tmp_path}")

    def test_load_refuses_seed_and_turns(self, tmp_path):
        out = main_py("play", "--load", str(FORMAT2), "--headless", "--seed", "2")
        assert out.returncode == 2 and "drop --seed and --turns" in out.stderr


class TestAutosave:
    def test_one_autosave_per_turn_and_the_last_five_kept(self, tmp_path):
        r = bot_game(4, autosaver=Autosaver(tmp_path))   # seed 4's game lasts all twelve turns
        names = sorted(p.name for p in tmp_path.iterdir())
        assert len(names) == 5 and all(n.startswith("autosave-20200103T091500Z-iraq-2020-seed4-")
                                       for n in names)
        latest = Autosaver(tmp_path).latest()
        assert load(latest).hashes == r.record.hashes
        for path in tmp_path.iterdir():  # each autosave ends on a turn's start or the game's end
            record = load(path)
            game = record.game_at(len(record))
            assert game.is_over() or record.turn_starts()[game.ctx.turn] == len(record)

    def test_a_failed_write_leaves_the_old_file_and_no_litter(self, tmp_path, monkeypatch):
        path = tmp_path / "g.json"
        path.write_text("old")

        def broken(fd):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(rec.os, "fsync", broken)
        with pytest.raises(SaveError, match="No space left on device"):
            rec.write_atomic(path, "new")
        assert path.read_text() == "old"
        assert [p.name for p in tmp_path.iterdir()] == ["g.json"]

    def test_writes_are_atomic_renames(self, tmp_path, monkeypatch):
        calls = []
        real = os.replace
        monkeypatch.setattr(rec.os, "replace", lambda a, b: (calls.append((a, b)), real(a, b)))
        rec.write_atomic(tmp_path / "g.json", "{}")
        (src, dst), = calls
        assert Path(src).parent == tmp_path and Path(dst) == tmp_path / "g.json"

    def test_killed_mid_game_loses_at_most_the_turn_in_progress(self, tmp_path):
        seats = "us=random,goi=random,mil=random,pro=random"
        args = [sys.executable, str(ROOT / "main.py"), "play", "--headless", "--quiet",
                "--seed", "31", "--seats", seats, "--pace", "0.03", "--autosave-dir", str(tmp_path)]
        proc = subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while not list(tmp_path.glob("autosave-*.json")):
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "no autosave appeared"
                time.sleep(0.01)
            time.sleep(0.1)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        for path in tmp_path.glob("autosave-*.json"):  # every autosave left is whole
            load(path)
        latest = Autosaver(tmp_path).latest()
        record = load(latest)
        game = record.game_at(len(record))
        assert not game.is_over() and record.turn_starts()[game.ctx.turn] == len(record)
        resumed = main_py("play", "--load", str(latest), "--headless", "--quiet",
                          "--autosave-dir", str(tmp_path))
        whole = main_py("play", "--headless", "--quiet", "--seed", "31", "--seats", seats,
                        "--no-autosave")
        assert resumed.returncode == 0, resumed.stderr
        assert resumed.stdout == whole.stdout


def _doc() -> dict:
    return json.loads(FORMAT2.read_text())


def _bad(doc_change) -> str:
    doc = _doc()
    doc_change(doc)
    return json.dumps(doc)


def _set(path: str, value):
    def change(doc):
        *keys, last = path.split(".")
        node = doc
        for k in keys:
            node = node[int(k)] if k.isdigit() else node[k]
        node[int(last) if last.isdigit() else last] = value
    return change


def _tamper_move(doc):
    # Replace a government move with a pass: always legal, so only the hash betrays it.
    entry = next(e for e in doc["log"][10:]
                 if e.get("move", "").startswith("goi:") and e["move"] != "goi:pass")
    entry["move"] = "goi:pass"


BAD_FILES = {
    "empty": ("", "the file is empty"),
    "blank": ("  \n", "the file is empty"),
    "truncated": (FORMAT2.read_text()[:2000], "not valid JSON, truncated or damaged"),
    "not an object": ("[1, 2]", "not a Crossroads save: the file holds a list"),
    "nested too deeply": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "foreign json": ('{"name": "x"}', 'not a Crossroads save: no "format"'),
    "not utf-8": (b"\xff\xfe\x00{".decode("latin-1"), "not UTF-8"),
    "nan": (re.sub(r'"seed": \d+', '"seed": NaN', FORMAT2.read_text()), "NaN is not a number"),
    "seed is a string": (_bad(_set("header.seed", "4")), "header.seed: invalid value for type, expected int"),
    "seed is a bool": (_bad(_set("header.seed", True)), "header.seed"),
    "header is a list": (_bad(_set("header", [])), 'not a Crossroads save: no "format"'),
    "log is an object": (_bad(_set("log", {})), "log must be a list"),
    "entry is a number": (_bad(_set("log.3", 5)), r"log\[3\] must be an object"),
    "entry of no type": (_bad(_set("log.3", {"hash": "0" * 32})), r"log\[3\] has an unknown type None"),
    "hash is a number": (_bad(_set("log.3.hash", 12)), r"log\[3\].hash: invalid value for type"),
    "hash is not hex": (_bad(_set("log.3.hash", "xyz")), r"log\[3\].hash must be a state hash"),
    "move is gibberish": (_bad(_set("log.3.move", "hello world")), "move 4: not a move"),
    "missing field": (_bad(lambda d: d["header"].pop("seats")), "header.seats: required field missing"),
    "extra field": (_bad(_set("header.colour", "red")), "extra fields found"),
    "negative seed": (_bad(_set("header.seed", -1)), r"header.seed must be 0 to 2\*\*64-1"),
    "bad seats": (_bad(_set("header.seats", "us=wizard")), "unknown seat kind"),
    "bot state": (_bad(_set("bots.goi", -3)), "bots.goi must be a generator state"),
    "unknown scenario": (_bad(_set("header.scenario", "iraq-1990")), "unknown scenario 'iraq-1990'"),
    "other scenario version": (_bad(_set("header.scenario_version", "0")),
                               f"the save is for iraq-2020 version 0, this engine plays version {IRAQ_2020.version}"),
    "newer format": (_bad(_set("header.format_version", 99)), "save format 99 is newer than this engine"),
    "format version is text": (_bad(_set("header.format_version", "2")), "format version must be a whole number"),
    "tampered move": (_bad(_tamper_move), r"^move \d+ \(goi:pass\)"),
    "tampered hash": (_bad(_set("log.20.hash", "0" * 32)),
                      r"^move 21 \(.*\): the state does not match the recorded hash"),
    "tampered seed": (_bad(_set("header.seed", 6)), "the starting position does not match the seed"),
    "tampered snapshot": (_bad(_set("snapshots.2.state.rng", 1)),
                          f"the snapshot of turn {_doc()['snapshots'][2]['turn']}"),
}


class TestBadFiles:
    @pytest.mark.parametrize("name", list(BAD_FILES))
    def test_each_bad_file_is_one_clear_line(self, name, tmp_path):
        text, message = BAD_FILES[name]
        path = tmp_path / "bad.json"
        path.write_bytes(text.encode("latin-1") if name == "not utf-8" else text.encode())
        before = path.read_bytes()
        with pytest.raises(SaveError) as err:
            load(path)
        assert len(str(err.value).splitlines()) == 1
        import re
        assert re.search(message, str(err.value)), str(err.value)
        assert path.read_bytes() == before

    def test_missing_file(self, tmp_path):
        with pytest.raises(SaveError, match="^no such file$"):
            load(tmp_path / "nope.json")

    def test_a_tampered_snapshot_is_refused_even_without_verifying(self):
        with pytest.raises(VerifyError, match=f"snapshot of turn {_doc()['snapshots'][2]['turn']}"):
            Record.from_json(BAD_FILES["tampered snapshot"][0], verify=False)

    @pytest.mark.parametrize("name", ["missing", "empty", "truncated", "seed is a string",
                                      "unknown scenario", "newer format", "tampered move"])
    def test_the_command_line_says_one_line_and_exits_2(self, name, tmp_path):
        path = tmp_path / "bad.json"
        if name != "missing":
            path.write_text(BAD_FILES[name][0])
            before = (path.read_bytes(), path.stat().st_mtime_ns)
        commands = [["replay", str(path), "--headless", "--verify"]]
        if name in ("missing", "truncated", "tampered move"):
            commands.append(["play", "--load", str(path), "--headless", "--no-autosave"])
        for args in commands:
            out = main_py(*args)
            assert out.returncode == 2, out
            assert out.stdout == "" and len(out.stderr.splitlines()) == 1, out.stderr
            assert "Traceback" not in out.stderr and str(path) in out.stderr
            if name != "missing":
                assert (path.read_bytes(), path.stat().st_mtime_ns) == before
        assert list(tmp_path.iterdir()) == ([] if name == "missing" else [path])


class TestMigration:
    def test_the_format_1_fixture_loads_verifies_and_gets_snapshots(self):
        record = load(FORMAT1)
        doc = json.loads(FORMAT1.read_text())
        assert doc["version"] == 1 and "log" not in doc
        assert record.moves == doc["moves"] and record.hashes == doc["hashes"]
        n = len(doc["moves"])
        assert record.summary().line().startswith(f"iraq-2020, seed {doc['seed']}: {n} moves")
        assert [s.turn for s in record.snapshots] == list(range(1, 13))
        assert record.game_at_turn(6).ctx.turn == 6
        assert record.bots == {}

    def test_migration_is_an_explicit_step_per_version(self):
        doc = json.loads(FORMAT1.read_text())
        assert rec.format_version(doc) == 1
        migrated = rec.MIGRATIONS[1](doc)
        assert rec.format_version(migrated) == 2
        assert migrated["log"][0] == {"type": "move", "move": doc["moves"][0],
                                      "hash": doc["hashes"][0]}

    def test_a_migrated_save_is_written_back_in_the_current_format(self, tmp_path):
        record = load(FORMAT1)
        rec.save(record, tmp_path / "g.json")
        again = json.loads((tmp_path / "g.json").read_text())
        assert again["header"]["format_version"] == rec.FORMAT_VERSION
        assert load(tmp_path / "g.json").hashes == record.hashes

    def test_a_damaged_format_1_save_is_refused_in_one_line(self):
        doc = json.loads(FORMAT1.read_text())
        doc["hashes"].pop()
        with pytest.raises(SaveError, match="moves and hashes must be lists of equal length"):
            Record.from_dict(doc)

    def test_the_format_1_fixture_replays_from_the_command_line(self):
        out = main_py("replay", str(FORMAT1), "--headless", "--verify")
        assert out.returncode == 0, out.stderr
        doc = json.loads(FORMAT1.read_text())
        n = len(doc["moves"])
        assert out.stdout.startswith(f"OK: iraq-2020, seed {doc['seed']}: {n} moves, {n} hashes "
                                     "and 12 snapshots")

    def test_the_format_2_fixture_still_verifies(self):
        # Its hashes pin the rules and the state hash: change either and this
        # fails; then bump the scenario version or the format, with a migration.
        summary = load(FORMAT2).summary()
        assert (summary.entries, summary.undos, summary.turn) == (len(_doc()["log"]), 1, 6)


def _saved_version(doc) -> str:
    """The scenario version a save was written under, in any save format."""
    return doc["header"]["scenario_version"] if "header" in doc else doc["scenario_version"]


class TestScenarioVersions:
    """A save of the scenario's version 1 (before the dated deck) loads: its log
    replays under the current rules, hashed afresh, up to the first move they refuse."""

    def test_the_version_1_fixtures_load_and_verify_under_the_current_rules(self):
        assert len(SCENARIO1) == 2
        for path in SCENARIO1:
            doc = json.loads(path.read_text())
            old = _saved_version(doc)
            assert old == "1" != IRAQ_2020.version
            record = load(path)
            assert record.header.scenario_version == IRAQ_2020.version
            assert record.verify().entries == len(record)
            old_moves = doc["moves"] if "moves" in doc else [e.get("move") for e in doc["log"]]
            assert [e.describe() for e in record.entries] == [
                m if m is not None else "undo" for m in old_moves[:len(record)]]

    @pytest.mark.parametrize("version", ["2", "3", "4"])
    def test_the_later_versions_fixtures_load_and_verify_under_the_current_rules(self, version):
        # Version 2: issue 14's first scoring; version 3: its refit; version 4:
        # the government's condemnation.  Their saves replay under the
        # current rules.
        paths = sorted(DATA.glob(f"save-scenario{version}-*.json"))
        assert len(paths) == 2
        for path in paths:
            doc = json.loads(path.read_text())
            old = _saved_version(doc)
            assert old == version != IRAQ_2020.version
            record = load(path)
            assert record.rebased is not None and record.header.scenario_version == IRAQ_2020.version
            assert record.verify().entries == len(record)

    def test_moves_the_current_rules_accept_all_carry_over_with_fresh_hashes(self):
        current = json.loads(FORMAT2.read_text())
        old = json.loads(FORMAT2.read_text())
        old["header"]["scenario_version"] = "1"
        for entry in old["log"]:
            entry["hash"] = "0" * 32
        old["snapshots"] = []
        record = Record.from_dict(old)
        assert record.rebased is not None and not record.rebased.lossy
        n = len(current["log"])
        assert record.hashes[:n] == [e["hash"] for e in current["log"]]
        assert all(e.type == "end" for e in record.entries[n:])  # format 3 closes a finished game
        assert record.summary().undos == 1

    def test_a_version_1_save_resaved_is_a_current_save(self, tmp_path):
        record = load(SCENARIO1[-1])
        rec.save(record, tmp_path / "g.json")
        doc = json.loads((tmp_path / "g.json").read_text())
        assert doc["header"]["scenario_version"] == IRAQ_2020.version
        assert load(tmp_path / "g.json").hashes == record.hashes

    def test_an_old_scenario_save_says_what_it_kept_and_is_never_rewritten_lossily(self, tmp_path):
        path = SCENARIO1[-1]
        doc = json.loads(path.read_text())
        record = load(path)
        total = sum(1 for e in doc["log"] if e.get("effect", "push") == "push" and e.get("move"))
        assert record.rebased is not None and record.rebased.total == total > record.rebased.kept
        copy = tmp_path / "old.json"
        copy.write_bytes(path.read_bytes())
        note = main_py("note", str(copy), "--move", "0", "--author", "us", "--text", "x")
        assert note.returncode == 2 and f"of its {total} moves" in note.stderr
        assert "Traceback" not in note.stderr and copy.read_bytes() == path.read_bytes()
        verify = main_py("replay", str(copy), "--headless", "--verify")
        assert verify.returncode == 2 and "cannot be checked" in verify.stderr
        assert len(verify.stderr.strip().splitlines()) == 1

    def test_an_unknown_old_version_is_still_refused(self):
        doc = json.loads(SCENARIO1[-1].read_text())
        doc["header"]["scenario_version"] = "0"
        with pytest.raises(SaveError, match="version 0, this engine plays version"):
            Record.from_dict(doc)


class TestReplayCommand:
    def test_verify_prints_ok_and_one_line(self):
        out = main_py("replay", str(FORMAT2), "--headless", "--verify")
        assert out.returncode == 0 and out.stderr == ""
        n = len(_doc()["log"])
        assert out.stdout.splitlines() == [
            f"OK: iraq-2020, seed {_doc()['header']['seed']}: {n - 1} moves (1 undone), {n} hashes and {len(_doc()['snapshots'])} snapshots match; "
            "game over at turn 6: " + load(FORMAT2).summary().outcome]

    def test_to_turn_and_to_move_print_the_state_there(self):
        record = load(FORMAT2)
        out = main_py("replay", str(FORMAT2), "--headless", "--to", "turn:3")
        lines = out.stdout.splitlines()
        game = record.game_at_turn(3)
        assert lines[0].startswith(f"Position {record.turn_starts()[3]} of {len(record)}: turn 3, actions")
        assert lines[1:] == IRAQ_2020.status_lines(game.board, None)
        out = main_py("replay", str(FORMAT2), "--headless", "--to", "move:40")
        assert out.stdout.startswith(f"Position 40 of {len(record)}: turn {record.game_at(40).ctx.turn}")

    @pytest.mark.parametrize("spec, message", [("turn:9", "turn:9: not in this game (turns 1-6"),
                                               ("move:99", f"the log has {len(_doc()['log'])} entries"),
                                               ("move:x", "expected turn:N or move:N"),
                                               ("5", "expected turn:N or move:N")])
    def test_bad_positions_are_one_line_and_exit_2(self, spec, message):
        out = main_py("replay", str(FORMAT2), "--headless", "--to", spec)
        assert out.returncode == 2 and message in out.stderr and len(out.stderr.splitlines()) == 1

    def test_the_transcript_replays_every_entry(self):
        out = main_py("replay", str(FORMAT2), "--headless")
        assert out.returncode == 0
        assert "is taken back" in out.stdout and out.stdout.count("\nT") >= len(_doc()["log"]) - 1
        assert "Result:" in out.stdout
