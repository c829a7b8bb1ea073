"""The command line as a user meets it: whole games, determinism, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RANDOM_SEATS = "us=random,goi=random,mil=random,pro=random"


def run(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED="random", SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


class TestHeadlessGame:
    def test_full_game_prints_moves_and_scores(self):
        result = run("play", "--headless", "--seed", "11", "--seats", RANDOM_SEATS)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "\u2014 Turn 1 \u2014" in out and "Event:" in out
        assert "Result:" in out and "Winner:" in out
        for faction in ("us", "goi", "mil", "pro"):
            assert f"\n  {faction} " in out
        assert result.stderr == ""

    def test_two_processes_give_byte_identical_output(self):
        # PYTHONHASHSEED=random: string hashing differs between the two processes.
        a = run("play", "--headless", "--seed", "23", "--seats", RANDOM_SEATS)
        b = run("play", "--headless", "--seed", "23", "--seats", RANDOM_SEATS)
        assert a.returncode == b.returncode == 0
        assert a.stdout == b.stdout
        c = run("play", "--headless", "--seed", "24", "--seats", RANDOM_SEATS)
        assert c.stdout != a.stdout

    def test_hashes_match_across_processes(self):
        code = ("import sys; sys.path.insert(0, '.');"
                "from engine.game import Game; from engine.match import Match;"
                "from engine.seats import parse_seats; from rules.scenario import IRAQ_2020 as S;"
                "g = Game.new(S, 5); m = Match(g, parse_seats('', S.factions), 5)\n"
                "while not g.is_over():\n"
                "    g.apply(m.bot_choice().move); print(g.state_hash())")
        env = dict(os.environ, PYTHONHASHSEED="random")
        outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               cwd=ROOT, env=env, timeout=60).stdout for _ in range(2)]
        assert outs[0] == outs[1] and len(outs[0].splitlines()) > 20


class TestHumanAtTheTerminal:
    def test_bad_numbers_reprompt_then_a_move_is_played(self):
        # 999 is out of range, "x" is not a number, ?1 explains, then 1 plays; EOF abandons.
        result = run("play", "--headless", "--seed", "3", "--seats", "us=human", "--turns", "1",
                     stdin="999\nx\n?1\n1\n")
        assert "Please type a number from 1 to" in result.stdout
        assert "Cost:" in result.stdout
        assert "Traceback" not in result.stderr
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("main.py play: error: input closed: game abandoned")
        assert "saved; resume with: python main.py play --headless --load" in lines[0]  # an abandoned game is kept

    @pytest.mark.parametrize("answer", ["\u00b2", "?\u00b2", "9" * 5000, "-1", "1.5", "\u0663"])
    def test_odd_answers_reprompt(self, answer):
        result = run("play", "--headless", "--seed", "3", "--seats", "us=human", "--turns", "1",
                     stdin=answer + "\n")
        assert "Please type a number" in result.stdout
        assert "Traceback" not in result.stderr and result.returncode == 1

    def test_closed_stdin_is_a_clear_error(self):
        env = dict(os.environ, SDL_VIDEODRIVER="dummy")
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "play", "--headless",
                                 "--seats", "us=human"], stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr

    def test_a_human_can_finish_a_game(self):
        result = run("play", "--headless", "--seed", "3", "--seats", "us=human", "--turns", "2",
                     stdin="1\n" * 200)
        assert result.returncode == 0, result.stderr
        assert "Result:" in result.stdout


class TestBadInput:
    @pytest.mark.parametrize("args,message", [
        (["play", "--headless", "--seats", "us=wizard"], "unknown seat kind"),
        (["play", "--headless", "--seats", "iran=random"], "unknown faction"),
        (["play", "--headless", "--seats", "us"], "malformed seat"),
        (["play", "--headless", "--seats", "us=random,us=human"], "seated twice"),
        (["play", "--headless", "--seats", "us=random:foo"], "takes no argument"),
        (["play", "--headless", "--seed", "-4"], "must not be negative"),
        (["play", "--headless", "--seed", "ten"], "whole number"),
        (["play", "--headless", "--turns", "0"], "at least 1"),
        (["play", "--headless", "--turns", "99"], "1 to 24 turns"),
        (["play", "--frobnicate"], "unrecognized arguments"),
        (["conquer"], "invalid choice"),
        (["smoke", "--games", "0"], "at least 1"),
        # Review c1: a seed of 2**64 was played and saved, and the save could not be read.
        (["play", "--headless", "--seed", str(2**64)], "a seed is 0 to 2**64-1"),
        (["host", "--seed", str(2**64 - 1), "--tables", "2", "--port", "0"],
         "a seed is at most 2**64-1"),
        (["join", "ws://127.0.0.1:1", "--token", "t", "--seed", "-1"], "must not be negative"),
        # Review c1: a tournament's length was checked in its workers, as a traceback.
        (["tournament", "--games", "1", "--turns", "99"], "1 to 24 turns"),
    ])
    def test_one_line_error_and_nonzero_exit(self, args, message):
        result = run(*args)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.stderr
        assert "Traceback" not in result.stderr

    def test_the_largest_seed_makes_a_save_that_loads(self, tmp_path):
        save = tmp_path / "big.json"
        played = run("play", "--headless", "--quiet", "--seed", str(2**64 - 1), "--turns", "1",
                     "--seats", RANDOM_SEATS, "--save", str(save), "--no-autosave")
        assert played.returncode == 0, played.stderr
        again = run("replay", "--verify", str(save))  # --verify prints OK, no window (review c1)
        assert again.returncode == 0 and again.stdout.startswith("OK: "), again.stderr

    def test_help_describes_every_option(self):
        top = run("--help")
        assert top.returncode == 0 and "play" in top.stdout
        play = run("play", "--help")
        for option in ("--headless", "--seed", "--seats", "--turns"):
            assert option in play.stdout


class TestNewcomerTerminal:
    """Issue 15: a compact status line, one's own result kept by the prompt, bot moves in
    sentences, q leaves cleanly with a resume command that works, seats and seeds said."""

    def test_q_saves_exits_0_and_the_hint_resumes(self, tmp_path):
        result = run("play", "--headless", "--seed", "3", "--seats", "us=human", "--turns", "2",
                     "--autosave-dir", str(tmp_path), stdin="1\nq\n")
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "T1/2 January 2020 \u00b7 United States:" in out and "score US " in out
        assert "Your last move (T1): " in out
        hint = out.strip().splitlines()[-1]
        assert hint.startswith("Game left (saved; resume with: python main.py play --headless --load ")
        command = hint.split("resume with: ")[1].rstrip(").").split()
        again = run(*command[2:], "--autosave-dir", str(tmp_path), stdin="q\n")
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("Resumed ")

    def test_bot_moves_are_sentences_not_codes(self):
        result = run("play", "--headless", "--seed", "11", "--seats", RANDOM_SEATS, "--turns", "1")
        moves = [line for line in result.stdout.splitlines() if line.startswith("T1 ")]
        assert moves and not any(":" in line.split()[1] and line.split()[1].count(":") == 1
                                 and line.split()[1].split(":")[0] in ("us", "goi", "mil", "pro")
                                 for line in moves)
        assert any(line.startswith("T1 Iraqi government: ") for line in moves)

    def test_unnamed_seats_keep_the_default_game_and_seeds_are_fresh(self):
        """Seats not named in --seats are the default game's (the US human, the others
        ai:normal), said on the first line; not random."""
        a = run("play", "--headless", "--seats", "us=random,goi=ai:easy", "--turns", "1", "--no-autosave")
        b = run("play", "--headless", "--seats", "us=random,goi=ai:easy", "--turns", "1", "--no-autosave")
        assert a.stdout.splitlines()[0] == "Seats: us=random,goi=ai:easy,mil=ai:normal,pro=ai:normal"
        first = [r.stdout.splitlines()[1] for r in (a, b)]
        assert all("seed " in line for line in first) and first[0] != first[1]

    def test_an_unnamed_seat_of_a_loaded_game_keeps_its_saved_seat(self, tmp_path):
        save = tmp_path / "g.json"
        run("play", "--headless", "--seed", "4", "--seats", RANDOM_SEATS, "--turns", "2", "--quiet",
            "--save", str(save), "--no-autosave")
        from engine.record import load_match
        from engine.seats import parse_seats
        match, _ = load_match(save, parse_seats("goi=ai:easy", ("us", "goi", "mil", "pro"), default=None))
        assert {f: str(s) for f, s in match.seats.items()} == {
            "us": "random", "goi": "ai:easy", "mil": "random", "pro": "random"}

    def test_help_lists_the_doctrine_seats(self):
        play = run("play", "--help")
        assert "doctrine" in play.stdout and "tougher_love" in play.stdout

    def test_a_failed_host_start_leaves_no_file(self, tmp_path):
        import socket
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen(1)
            port = busy.getsockname()[1]
            result = run("host", "--bind", "127.0.0.1", "--port", str(port), "--autosave-dir", str(tmp_path))
        assert result.returncode != 0 and "cannot listen" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert list(tmp_path.iterdir()) == []

    def test_a_withdrawal_vote_is_called_out_in_the_terminal(self):
        # The first seed whose random game brings a vote (seed 3 did before issue 14's
        # parliament rules; seeds 1, 2, 4, 5 do with them): searched, so that a change of
        # the rules cannot leave the test with no vote to look at.
        for seed in range(1, 10):
            result = run("play", "--headless", "--seed", str(seed), "--seats", RANDOM_SEATS)
            lines = result.stdout.splitlines()
            votes = [i for i, line in enumerate(lines)
                     if line.startswith("Parliament votes on withdrawing")]
            if votes:
                break
        callouts = [line for line in lines if line.startswith("*** Parliament ")]
        assert votes and len(callouts) == len(votes)
