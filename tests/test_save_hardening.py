"""Saves against a careless user and a forger (issue 11).

Each numbered defect of the issue about files has its regression test here;
the hypothesis test mutates real saves and runs the commands in-process.
Format-2 files (no hash chain) are what an older engine accepted, so the
tests that need a file the old code would take write one in format 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import main
from engine import record as rec
from engine.game import Game
from engine.moves import Move
from engine.net.journal import Journal, new_key, read_private, tokens_path, write_private
from engine.net.referee import Referee, Settings
from engine.record import (Autosaver, Record, Recorder, SaveError, VerifyError, chain_of, load,
                           note_entry, read_key)
from engine.seats import parse_seats
from engine.whitecell import InjectEntry, PauseEntry, ResumeEntry
from tests.helpers import SCENARIO

CREATED = "2020-01-03T00:00:00Z"
DATA = Path(__file__).resolve().parent / "data"
FORMAT2 = next(DATA.glob("save-format2-seed*.json"))


def cli(*args: str) -> tuple[int, str, str]:
    """Run main.py's command in this process; a traceback fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main.main([str(a) for a in args])
        except SystemExit as exit_:
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


def refused(code: int, out: str, err: str, path: Path | None = None) -> str:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    if path is not None:
        assert str(path) in err
    return err


def short_game(seed: int = 5, turns: int = 3, moves: int = 20) -> Recorder:
    r = Recorder.new(SCENARIO, seed, turns, parse_seats("", SCENARIO.factions), CREATED)
    for _ in range(moves):
        if r.game.is_over():
            break
        r.apply(r.match.bot_choice().move)
    r.sync_bots()
    return r


def with_white_cell(r: Recorder) -> Recorder:
    """Pause, resume and an inject, played through the record like the server does."""
    for entry_cls, act in ((PauseEntry, "pause"), (ResumeEntry, "resume")):
        after = r.game.clone()
        getattr(after, act)()
        r.record.append(entry_cls(after.state_hash()), after)
        r.match.game = after
    card = SCENARIO.inject_cards(r.game.board)[0]
    after = r.game.clone()
    after.inject(card)
    r.record.append(InjectEntry(after.state_hash(), card=card), after)
    r.match.game = after
    r.record.annotate(note_entry(r.record, 2, "mil", "our cell moved at night"))
    return r


def as_format2(doc: dict) -> dict:
    """A current save written as format 2 (what the engine wrote before)."""
    doc = json.loads(json.dumps(doc))
    doc["header"]["format_version"] = 2
    doc.pop("chain", None)
    doc.pop("mac", None)
    doc["log"] = [e for e in doc["log"] if e["type"] != "end"]
    return doc


def rechain(doc: dict) -> dict:
    """Recompute the hash chain after an edit: what a forger without the key can do."""
    doc["chain"] = chain_of(doc["header"], doc["start_hash"], doc["log"], doc["bots"])
    doc.pop("mac", None)
    return doc


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc))  # ASCII: a lone surrogate is written as \udcff
    return path


# -- defect 2: a refused white-cell entry, under one error type, in every command -----
BAD_WHITE = {
    "resume while not paused": {"type": "resume"},
    "inject of an unknown card": {"type": "inject", "card": "no-such-card", "text": "",
                                  "effects": {}},
    "override with an unknown tier": {"type": "override", "move": "us:pass", "tier": "triumph",
                                      "rationale": "because"},
    "ruling of an unknown track": {"type": "ruling", "values": {"no_such_track": 3},
                                   "rationale": "because"},
}


class TestRefusedWhiteCellEntries:
    @pytest.mark.parametrize("name", list(BAD_WHITE))
    def test_every_command_refuses_in_one_line(self, name, tmp_path):
        r = short_game(moves=6)
        doc = as_format2(r.record.to_dict())
        item = dict(BAD_WHITE[name], hash=doc["log"][-1]["hash"])
        doc["log"].append(item)
        path = write(tmp_path / "bad.json", doc)
        before = path.read_bytes()
        commands = [("replay", path, "--headless", "--verify"),
                    ("replay", path, "--headless", "--to", "move:1"),
                    ("play", "--load", path, "--headless", "--no-autosave"),
                    ("note", path, "--move", "1", "--author", "us", "--text", "x"),
                    ("host", "--load", path, "--no-autosave", "--port", "0"),
                    ("report", path, "--out", tmp_path / "aar")]
        for args in commands:
            err = refused(*cli(*args), path)
            assert "cannot be replayed" in err or "does not match" in err, err
            assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


# -- defect 6: what loading checks --------------------------------------------------
def _note_on_999(doc):
    doc["log"].append({"type": "note", "after_move": 999, "author": "white", "text": "x",
                       "audience": None, "bookmark": False, "hash": doc["log"][-1]["hash"]})


def _note_text(text):
    def change(doc):
        doc["log"].append({"type": "note", "after_move": 1, "author": "white", "text": text,
                           "audience": None, "bookmark": False,
                           "hash": doc["log"][-1]["hash"]})
    return change


def _set_header(name, value):
    def change(doc):
        doc["header"][name] = value
    return change


UNCHECKED = {
    "note on a move that does not exist": (_note_on_999, "no move 999"),
    "control character in a note": (_note_text("bell\x07here"), "control character"),
    "lone surrogate in a note": (_note_text("x\udcffy"), "not valid Unicode"),
    "a huge created field": (_set_header("created", "2020" * 250_000), "header.created is too long"),
    "control character in created": (_set_header("created", "2020\x1b[2J"), "control character"),
    # 2**64 + 5 played seed 5's game (the generator keeps 64 bits): accepted as that game.
    "seed that wraps at 2**64": (_set_header("seed", 2**64 + 5), r"header.seed must be 0 to 2\*\*64-1"),
}


class TestWhatLoadingChecks:
    @pytest.mark.parametrize("name", list(UNCHECKED))
    def test_refused_in_one_line(self, name, tmp_path):
        change, message = UNCHECKED[name]
        doc = as_format2(short_game(moves=8).record.to_dict())
        change(doc)
        path = write(tmp_path / "bad.json", doc)
        with pytest.raises(SaveError, match=message):
            load(path)
        refused(*cli("replay", path, "--headless", "--verify"), path)

    def test_a_key_given_twice_is_refused(self, tmp_path):
        """Python keeps the last of two keys: "log": [] appended emptied the game."""
        text = json.dumps(as_format2(short_game(moves=8).record.to_dict()))
        path = tmp_path / "bad.json"
        path.write_text(text[:-1] + ', "log": [], "snapshots": []}')
        with pytest.raises(SaveError, match="'log' is given twice"):
            load(path)
        refused(*cli("replay", path, "--headless", "--verify"), path)

    def test_a_save_path_that_is_not_a_regular_file_is_refused_without_opening_it(self, tmp_path):
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        results = []
        worker = threading.Thread(target=lambda: results.append(
            cli("replay", fifo, "--headless", "--verify")), daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), "reading a named pipe hung"
        assert "named pipe" in refused(*results[0], fifo)
        for args, says in ((("play", "--load", fifo, "--headless", "--no-autosave"), "named pipe"),
                           (("play", "--headless", "--save", fifo, "--no-autosave"), "named pipe"),
                           # review c1: these four opened the pipe and hung
                           (("report", fifo, "--out", tmp_path / "r"), "named pipe"),
                           (("host", "--load", fifo, "--port", "0"), "named pipe"),
                           (("host", "--load", fifo, "--port", "0", "--tables", "2"),
                            "not a class file"),
                           (("study", fifo, "--out", tmp_path / "s"), "not a regular file")):
            results.clear()
            worker = threading.Thread(target=lambda: results.append(cli(*args)), daemon=True)
            worker.start()
            worker.join(10)
            assert not worker.is_alive(), f"{args} hung"
            assert says in refused(*results[0])
        with pytest.raises(SaveError, match="is a device"):
            load("/dev/zero")
        assert fifo.exists() and not fifo.is_file()


# -- defect 7: what the hashes cover ------------------------------------------------------
def _edit_note_audience(doc):
    note = next(e for e in doc["log"] if e["type"] == "note")
    note["audience"] = None


def _edit_note_text(doc):
    note = next(e for e in doc["log"] if e["type"] == "note")
    note["text"] = "our cell was never there"


def _edit_note_author(doc):
    note = next(e for e in doc["log"] if e["type"] == "note")
    note["author"] = "us"


def _edit_seats(doc):
    doc["header"]["seats"] = "us=human,goi=random,mil=random,pro=random"


def _edit_bots(doc):
    doc["bots"]["goi"] = (doc["bots"]["goi"] + 1) % 2**64


def _cut_the_end(doc):
    """Moves cut off the end of a finished game, the rest untouched."""
    cut = max(i for i, e in enumerate(doc["log"]) if e["type"] == "move")
    doc["log"] = doc["log"][:cut]
    doc["snapshots"] = [s for s in doc["snapshots"] if s["at"] <= cut]


COVERED = {"a note made public": _edit_note_audience, "a note's text": _edit_note_text,
           "a note's author": _edit_note_author, "the seats": _edit_seats,
           "a bot's generator state": _edit_bots, "moves cut off the end": _cut_the_end}


@pytest.fixture(scope="module")
def finished():
    """A finished one-turn game with a note, as a save's dict (built once)."""
    r = short_game(turns=1, moves=200)
    assert r.game.is_over()
    r.record.annotate(note_entry(r.record, 2, "mil", "our cell moved at night"))
    return r.record.to_dict()


class TestWhatTheHashesCover:
    @pytest.mark.parametrize("name", list(COVERED))
    def test_an_edit_is_refused_even_without_verifying(self, name, finished, tmp_path):
        doc = json.loads(json.dumps(finished))
        COVERED[name](doc)
        path = write(tmp_path / "edited.json", doc)
        with pytest.raises(VerifyError, match="hash chain does not match"):
            load(path, verify=False)
        assert "hash chain" in refused(*cli("replay", path, "--headless", "--to", "move:1"), path)

    def test_a_finished_game_ends_with_an_end_entry(self, finished):
        assert finished["log"][-2]["type"] == "end" and finished["log"][-1]["type"] == "note"
        doc = json.loads(json.dumps(finished))
        _cut_the_end(doc)
        rechain(doc)  # cut and re-chained: the replay still sees the game is not over
        record = Record.from_dict(doc)
        assert not record.game_at(len(record)).is_over()
        doc = json.loads(json.dumps(finished))
        doc["log"] = [e for e in doc["log"] if e["type"] != "end"]
        rechain(doc)
        with pytest.raises(VerifyError, match="no end entry"):
            Record.from_dict(doc)

    def test_the_format_2_fixture_loads_and_is_rewritten_with_a_chain(self, tmp_path):
        record = load(FORMAT2)
        assert record.legacy
        path = tmp_path / "g.json"
        rec.save(record, path)
        doc = json.loads(path.read_text())
        assert doc["header"]["format_version"] == rec.FORMAT_VERSION == 3
        assert doc["chain"] == chain_of(doc["header"], doc["start_hash"], doc["log"], doc["bots"])
        assert [e["type"] for e in doc["log"]][-1] == "end"  # the fixture's game is over
        again = load(path)
        assert again.game_at(len(again)).state_hash() == record.game_at(len(record)).state_hash()

    def test_a_downgrade_to_format_2_cannot_keep_the_chain(self, finished):
        doc = json.loads(json.dumps(finished))
        doc["header"]["format_version"] = 2
        with pytest.raises(SaveError, match="format-2 save has no chain"):
            Record.from_dict(doc)


# -- defect 5: replay --to never shows a tampered save as fact ----------------------------
class TestReplayToVerifies:
    def test_the_window_opens_at_to_and_a_bad_to_is_one_line(self, tmp_path, monkeypatch):
        # Review c1: without --headless, --to was ignored, even one past the log's end.
        from engine.ui.app import App
        seen = {}

        def fake_run(self):
            seen["index"] = self.top.index
            self.close()
            return 0
        monkeypatch.setattr(App, "run", fake_run)
        path = tmp_path / "g.json"
        rec.save(short_game(moves=12).record, path)
        assert cli("replay", path, "--to", "move:7")[0] == 0 and seen["index"] == 7
        err = refused(*cli("replay", path, "--to", "move:99999"))
        assert "--to move:99999: the log has" in err

    def test_a_tampered_save_is_refused_by_replay_to(self, tmp_path):
        doc = as_format2(short_game(moves=20).record.to_dict())
        entry = next(e for e in doc["log"][5:] if e["type"] == "move"
                     and e["move"].startswith("goi:") and e["move"] != "goi:pass")
        entry["move"] = "goi:pass"
        path = write(tmp_path / "tampered.json", doc)
        err = refused(*cli("replay", path, "--headless", "--to", "move:2"), path)
        assert "does not match" in err or "cannot be replayed" in err


# -- defect 3: report --out never deletes what it did not write ------------------------
class TestReportOut:
    def test_a_folder_holding_report_html_and_other_files_is_kept(self, tmp_path):
        mine = tmp_path / "mine"
        mine.mkdir()
        (mine / "report.html").write_text("my own page")
        (mine / "thesis.txt").write_text("precious")
        save = tmp_path / "g.json"
        rec.save(short_game(moves=6).record, save)
        err = refused(*cli("report", save, "--out", mine))
        assert "not a Crossroads report" in err
        assert sorted(p.name for p in mine.iterdir()) == ["report.html", "thesis.txt"]
        assert (mine / "thesis.txt").read_text() == "precious"

    def test_an_earlier_report_is_replaced_but_not_one_with_added_files(self, tmp_path):
        save = tmp_path / "g.json"
        rec.save(short_game(moves=6).record, save)
        out = tmp_path / "aar"
        assert cli("report", save, "--out", out)[0] == 0
        assert (out / "report-manifest.json").is_file()
        assert cli("report", save, "--out", out)[0] == 0  # an earlier report: replaced
        (out / "my-notes.txt").write_text("mine")
        assert "which no report wrote" in refused(*cli("report", save, "--out", out))
        (out / "my-notes.txt").unlink()
        (out / "summary.md").write_text("edited by hand")
        assert "changed since" in refused(*cli("report", save, "--out", out))
        assert (out / "summary.md").read_text() == "edited by hand"


# -- defect 8: autosaves and temporary files ------------------------------------------------
class TestAutosaves:
    def test_two_games_of_the_same_seed_and_second_keep_their_autosaves(self, tmp_path):
        a, b = Autosaver(tmp_path), Autosaver(tmp_path)
        ra, rb = short_game(moves=1), short_game(moves=1)
        assert ra.record.header == rb.record.header
        pa = a.write(ra.record)
        for _ in range(8):
            rb.apply(rb.match.bot_choice().move)
            b.write(rb.record)
        assert pa.exists() and a.path_for(ra.record) != b.path_for(ra.record)
        assert len(b.saves_of(rb.record.header)) == b.keep

    def test_stale_temporary_files_are_cleaned_at_start(self, tmp_path):
        stale = tmp_path / ".autosave-x.json.abc123.tmp"
        fresh = tmp_path / ".autosave-y.json.def456.tmp"
        other = tmp_path / "notes.tmp"
        for path in (stale, fresh, other):
            path.write_text("{")
        old = time.time() - 3600
        os.utime(stale, (old, old))
        os.utime(other, (old, old))
        Autosaver(tmp_path)
        assert not stale.exists() and fresh.exists() and other.exists()

    def test_a_file_given_as_the_autosave_folder_is_refused_before_the_game(self, tmp_path):
        # Review c1: play ran a whole game, then failed to save it in two lines.
        taken = tmp_path / "taken.json"
        taken.write_text("mine")
        err = refused(*cli("play", "--headless", "--seats", "us=random", "--turns", "1",
                           "--autosave-dir", taken))
        assert f"--autosave-dir {taken}: not a folder" in err and taken.read_text() == "mine"
        # Nor a folder that cannot be made, for autosaves or --save (review c1: the game
        # was played to its end, then "could not be saved").
        for args, says in ((("--autosave-dir", taken / "sub"), "cannot write there"),
                           (("--save", taken / "sub" / "g.json"), "Not a directory")):
            code, out, err = cli("play", "--headless", "--seats", "us=random", "--turns", "1", *args)
            assert says in refused(code, out, err) and "Result:" not in out
        assert taken.read_text() == "mine"

    @pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
    def test_a_save_folder_that_takes_no_files_is_refused_before_the_game(self):
        # /proc exists and looks writable to root, but takes no new file (review c1).
        code, out, err = cli("play", "--headless", "--seats", "us=random", "--turns", "1",
                             "--save", "/proc/crossroads-test.json")
        assert "cannot write there" in refused(code, out, err) and "Result:" not in out

    def test_the_host_and_play_clean_their_save_folder_too(self, tmp_path):
        for args in (("host", "--load", tmp_path / "x.json", "--no-autosave"),
                     ("play", "--headless", "--save", tmp_path / "x.json", "--no-autosave",
                      "--load", tmp_path / "missing.json")):
            stale = tmp_path / ".x.json.abc123.tmp"
            stale.write_text("{")
            old = time.time() - 3600
            os.utime(stale, (old, old))
            refused(*cli(*args))
            assert not stale.exists()


# -- signing: a forged exercise record ---------------------------------------------------------
def exercise(tmp_path: Path, key: bytes | None, moves: int = 12) -> tuple[Path, Referee]:
    seats = parse_seats("us=random,goi=random,mil=random,pro=random", SCENARIO.factions)
    game = Game.new(SCENARIO, 9, 2)
    save = tmp_path / "exercise.json"
    journal = Journal.start(save, game, 9, "us=random,goi=random,mil=random,pro=random", CREATED,
                            key=key)
    referee = Referee(game, seats, 9, journal.append, Settings())
    write_private(save, {"white": "t"}, referee.settings, [], {}, None, {},
                  mac_key=key.hex() if key else None)
    for _ in range(moves):
        need = referee.advance()
        if need is None:
            break
        faction = need[1][0]
        referee.bot_move(faction, referee.choose_now(faction), referee.game.ctx.moves)
    referee.pause()
    referee.resume()
    journal.write()
    return save, referee


class TestSignedRecords:
    def test_the_host_signs_and_the_key_stays_beside_the_tokens(self, tmp_path):
        key = new_key()
        save, _ = exercise(tmp_path, key)
        doc = json.loads(save.read_text())
        assert key.hex() not in save.read_text() and "mac_key" not in doc
        assert read_private(save)["mac_key"] == key.hex()
        assert read_key(tokens_path(save)) == key
        code, out, err = cli("replay", save, "--headless", "--verify", "--key", tokens_path(save))
        assert code == 0 and "signed with the host's key" in out, err

    def test_a_forged_record_is_refused_with_the_key_and_accepted_without(self, tmp_path):
        """Moves edited and every hash recomputed: only the key tells."""
        key = new_key()
        save, _ = exercise(tmp_path, key)
        genuine = json.loads(save.read_text())
        record = Record.from_dict(json.loads(json.dumps(genuine)))
        # The forger replays the same start with other moves, hashes and chain all honest.
        game = Game.new(SCENARIO, 9, 2)
        forged = Record.start(game, 9, record.header.seats, record.header.created)
        for _ in range(len(record.moves)):
            legal = game.legal_moves()
            forged.apply(game, legal[-1])
        assert forged.moves != record.moves
        doc = forged.to_dict()
        doc["mac"] = genuine["mac"]  # the genuine signature, copied over
        path = write(tmp_path / "forged.json", doc)
        code, out, _ = cli("replay", path, "--headless", "--verify")
        assert code == 0 and out.startswith("OK:")  # unkeyed hashes prove consistency only
        err = refused(*cli("replay", path, "--headless", "--verify", "--key", tokens_path(save)),
                      path)
        assert "signature does not match" in err
        del doc["mac"]
        path = write(tmp_path / "forged.json", doc)
        assert "not signed" in refused(*cli("replay", path, "--headless", "--verify", "--key",
                                            tokens_path(save)), path)

    def test_a_bad_key_file_is_one_line(self, tmp_path):
        save, _ = exercise(tmp_path, new_key(), moves=2)
        (tmp_path / "key.txt").write_text("not a key")
        assert "not a signing key" in refused(*cli("replay", save, "--headless", "--verify",
                                                   "--key", tmp_path / "key.txt"))

    def test_a_note_keeps_the_hosts_signature_or_is_refused(self, tmp_path):
        # Review r1: 'note' on a signed record dropped its signature without a
        # word; 'replay --verify --key' then said the genuine record was not signed.
        save, _ = exercise(tmp_path, new_key(), moves=4)
        before = save.read_bytes()
        err = refused(*cli("note", save, "--move", 1, "--author", "white", "--text", "Debrief"),
                      save)
        assert "signed by the host" in err and f"--key {tokens_path(save)}" in err
        other = tmp_path / "other.key"
        other.write_text(new_key().hex())
        assert "signature does not match" in refused(*cli(
            "note", save, "--move", 1, "--author", "white", "--text", "Debrief", "--key", other))
        assert save.read_bytes() == before
        code, out, err = cli("note", save, "--move", 1, "--author", "white", "--text", "Debrief",
                             "--key", tokens_path(save))
        assert code == 0, err
        code, out, err = cli("replay", save, "--headless", "--verify", "--key", tokens_path(save))
        assert code == 0 and "signed with the host's key" in out, err
        assert "Debrief" in save.read_text()


# -- hypothesis: mutated real saves ---------------------------------------------------------------
def _real_saves() -> dict[str, bytes]:
    r = with_white_cell(short_game(seed=5, turns=2, moves=12))
    return {"local game": r.record.to_json().encode(),
            "format 2": FORMAT2.read_bytes()}


SAVES = _real_saves()
ORIGINAL = {name: load_text for name, load_text in
            ((n, Record.from_json(t.decode()).to_dict()) for n, t in SAVES.items())}


def _paths(value, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


_REPLACEMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False),
    st.text(max_size=20), st.just("x\udcff"), st.just("a\x07b"), st.just(""), st.just([]),
    st.just({}), st.just("0" * 32), st.just("us:pass"), st.just(2**64 + 7),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=3))


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SAVES)))
    raw = SAVES[name]
    how = draw(st.sampled_from(["flip", "truncate", "edit", "delete", "insert"]))
    if how == "flip":
        at = draw(st.integers(0, len(raw) - 1))
        bit = draw(st.integers(0, 7))
        raw = raw[:at] + bytes([raw[at] ^ (1 << bit)]) + raw[at + 1:]
    elif how == "truncate":
        raw = raw[:draw(st.integers(0, len(raw) - 1))]
    else:
        doc = json.loads(raw)
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        node = doc
        for k in path[:-1]:
            node = node[k]
        last = path[-1]
        if how == "edit":
            node[last] = draw(_REPLACEMENTS)
        elif how == "delete":
            del node[last]
        elif isinstance(node, list):
            node.insert(last, draw(_REPLACEMENTS))
        else:
            node[draw(st.text(max_size=6))] = draw(_REPLACEMENTS)
        raw = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    return name, raw


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_saves_are_refused_in_one_line_or_the_same_game(tmp_path_factory, case):
    name, raw = case
    path = tmp_path_factory.mktemp("fuzz") / "save.json"
    path.write_bytes(raw)
    for args in (("replay", path, "--headless", "--verify"),
                 ("replay", path, "--headless", "--to", "move:1")):
        code, out, err = cli(*args)
        assert "Traceback" not in err
        if code == 0:
            loaded = Record.from_json(path.read_text()).to_dict()
            if name == "format 2":
                # No chain in format 2: entries cut off the end go unseen (the
                # README says so); what is left must be the same game's start.
                n = len(loaded["log"])
                assert loaded["log"][:-1] == ORIGINAL[name]["log"][:n - 1]
                # engine_version, created and seats are information only (docs/save-format.md):
                # unchained and not replayed, they may vary; what the replay rests on may not.
                info = ("engine_version", "created", "seats")
                same = {k: v for k, v in loaded["header"].items() if k not in info}
                assert same == {k: v for k, v in ORIGINAL[name]["header"].items() if k not in info}
            else:
                assert loaded == ORIGINAL[name]
        else:
            refused(code, out, err, path)
        assert path.read_bytes() == raw


def test_the_end_entry_is_no_note_in_the_report_or_the_replay():
    from engine.report.export import notes_by_move, source_from_record
    r = short_game(turns=1, moves=200)
    assert r.record.entries[-1].type == "end"
    assert not any(getattr(i, "kind", None) == "end" for i in source_from_record(r.record).items)
    assert notes_by_move(r.record) == {}


# -- the host's token file: damage is one line, never a traceback mid-exercise ----------------
GOOD_PRIVATE = {"tokens": {"white": "w"},
                "settings": {"sealed": False, "review": True, "clock": 30.0,
                             "clock_default": "ai", "show": "public", "default_ai": "ai:normal"},
                "schedule": [{"turn": 3, "card": "", "text": "Blackout", "effects": {"economy": -1}}],
                "sealed": {"us": ["us:pass"]}, "sealed_round": [2, 0], "refs": {"us": "r1"}}
PRIVATE_PLACES = [("settings",), ("settings", "sealed"), ("settings", "clock"),
                  ("settings", "clock_default"), ("settings", "show"), ("schedule",),
                  ("schedule", 0), ("schedule", 0, "turn"), ("schedule", 0, "text"),
                  ("schedule", 0, "effects"), ("sealed",), ("sealed", "us"), ("sealed_round",),
                  ("refs",), ("refs", "us")]
_JSONISH = st.recursive(st.none() | st.booleans() | st.integers(-3, 10**6) | st.text(max_size=4)
                        | st.floats(allow_nan=False, allow_infinity=False),
                        lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PRIVATE_PLACES), _JSONISH)
@example(
    place=('settings',),
    value={'\n': None},
).via('discovered failure')
def test_a_damaged_token_file_restores_typed_values_or_is_refused(place, value):
    # Review c1: a schedule's turn "x" or a clock "abc" passed restore() and host --load
    # died later in a traceback.
    from engine.net.journal import JournalError, restore
    doc = json.loads(json.dumps(GOOD_PRIVATE))
    node = doc
    for key in place[:-1]:
        node = node[key]
    node[place[-1]] = value
    try:
        settings_, schedule, sealed, rnd, refs = restore(doc)
    except JournalError as err:
        assert "\n" not in str(err)
        return
    assert type(settings_.sealed) is bool and type(settings_.review) is bool
    assert settings_.clock is None or 0.1 <= settings_.clock <= 86400
    assert settings_.clock_default in ("pass", "ai") and isinstance(settings_.show, str)
    assert all(type(s.turn) is int and isinstance(s.text, str)
               and all(type(v) is int for _, v in s.effects) for s in schedule)
    assert all(isinstance(m, str) for o in sealed.values() for m in o)
    assert rnd is None or all(type(n) is int for n in rnd)
    assert all(isinstance(v, str) for v in refs.values())


def test_host_load_with_a_damaged_token_file_is_one_line(tmp_path):
    r = short_game(moves=4)
    save = tmp_path / "ex.json"
    rec.save(r.record, save)
    for place, value in ((("schedule", 0, "turn"), "x"), (("settings", "clock"), "abc")):
        doc = json.loads(json.dumps(GOOD_PRIVATE))
        node = doc
        for key in place[:-1]:
            node = node[key]
        node[place[-1]] = value
        tokens_path(save).write_text(json.dumps(doc))
        err = refused(*cli("host", "--load", save, "--port", "0", "--no-autosave"))
        assert "malformed token file" in err
