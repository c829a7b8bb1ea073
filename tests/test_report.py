"""The after-action review: timeline, secrecy of seat reports, files, browser, CLI."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from engine.game import Game
from engine.moves import Move
from engine.report import html, markdown
from engine.report.export import ExportError, export_report, render_files, write_report
from engine.report.timeline import Annotation, ReportError, build, from_game_moves
from engine.seats import parse_seats
from engine.smoke import play_one
from rules.scenario import IRAQ_2020

S = IRAQ_2020


def _first_fitting_seed() -> int:
    """A 12-turn game in which the militias order rockets, recruit covertly and purge,
    and end with an unattributed attack of their own on the board (searched, so that
    a change of the rules does not silently drop what these tests need)."""
    for seed in range(1, 1000):
        game = play_one(S, seed, parse_seats("", S.factions))
        moves = [str(m) for m in game.history]
        if (game.ctx.termination == "time" and game.ctx.turn == 12
                and any(m.startswith("mil:rockets") for m in moves)
                and any(m.startswith("mil:recruit") and "covert" in m for m in moves)
                and any(m.startswith("mil:purge") for m in moves)
                and any(a.by == "mil" and not a.attributed for a in game.board.attacks)):
            return seed
    raise AssertionError("no seed of 1-999 plays the game these tests need")


SEED = _first_fitting_seed()


@pytest.fixture(scope="module")
def played() -> Game:
    game = play_one(S, SEED, parse_seats("", S.factions))
    assert game.ctx.termination == "time" and game.ctx.turn == 12
    return game


@pytest.fixture(scope="module")
def source(played):
    notes = [Annotation(3, "note", "us", 'Hold fire <b>until</b> the vote & "see"', audience="us"),
             Annotation(5, "note", "mil", "Rockets after the vote, not before", audience="mil"),
             Annotation(0, "inject", "white", "The facilitator reads the brief aloud"),
             Annotation(10, "override", "white", "The strike is ruled a partial success",
                        rationale="the evidence was declassified in time")]
    return from_game_moves(S, SEED, played.history, annotations=notes, label="seed8.json")


@pytest.fixture(scope="module")
def white(source):
    return build(source, None)


def replayed(played):
    """(game before, move, game after) for every move of ``played``."""
    return replayed_from(SEED, played.history)


def replayed_from(seed, moves):
    game = Game.new(S, seed)
    for move in moves:
        before = game.clone()
        game.apply(move)
        yield before, move, game.clone()


class TestTimeline:
    def test_every_move_is_a_step_in_its_turn(self, played, white):
        steps = white.steps
        assert [s.text for s in steps] == [str(m) for m in played.history]
        assert [b.turn for b in white.turns] == list(range(1, 13))
        for block in white.turns:
            assert all(s.turn == block.turn for s in block.steps)
            assert block.opening and block.band in ("continuity", "tougher love", "separation")

    def test_odds_are_those_at_the_time(self, played, white):
        checked = 0
        for step, (before, move, _) in zip(white.steps, replayed(played)):
            check = before.explain(move).check
            if check is None:
                assert step.odds is None
                continue
            checked += 1
            assert dict(step.odds.chances) == check.odds()
            assert step.odds.target == check.target
        assert checked > 10

    def test_scores_and_swings_are_recomputed_from_the_states(self, played, white):
        previous = {f: s.total for f, s in S.score(Game.new(S, SEED).board, None).items()}
        for step, (_, _, after) in zip(white.steps, replayed(played)):
            now = {f: s.total for f, s in S.score(after.board, None).items()}
            assert dict(step.scores) == now
            margin = lambda sc, f: sc[f] - max(v for g, v in sc.items() if g != f)  # noqa: E731
            deltas = {f: margin(now, f) - margin(previous, f) for f in S.factions}
            assert abs(step.swing) == max(abs(d) for d in deltas.values())
            previous = now

    def test_turning_points_are_the_largest_swings(self, white):
        swings = sorted((abs(s.swing) for s in white.steps), reverse=True)
        assert [abs(s.swing) for s in white.turning_points] == swings[:len(white.turning_points)]
        assert white.turning_points and white.turning_points[0].swing != 0

    def test_tracks_have_a_value_at_every_point(self, played, white):
        assert len(white.points) == len(played.history) + 1
        assert all(len(s.values) == len(white.points) for s in white.series)
        assert white.band is not None and white.band.key == "posture"
        final = {r.key: r.value for r in S.track_table(played.board)}
        assert {s.key: s.values[-1] for s in white.series} == final

    def test_outcome_and_breakdown(self, played, white):
        outcome = played.outcome()
        assert white.result == outcome.description and white.winners == outcome.winners
        for s in white.scores:
            assert (s.total, s.breakdown) == (outcome.scores[s.faction].total,
                                              outcome.scores[s.faction].breakdown)

    def test_notes_attach_to_their_moves(self, white):
        by_index = {s.index: s for s in white.steps}
        assert [a.text for a in by_index[3].notes] == ['Hold fire <b>until</b> the vote & "see"']
        assert by_index[10].notes[0].rationale == "the evidence was declassified in time"
        assert [a.kind for a in white.preface] == ["inject"]

    def test_injects_and_overrides_that_change_the_game_are_steps(self, played):
        from engine.game import LogLine
        from engine.report.timeline import Pushed, Source

        def inject(game):
            after = game.clone()
            after.last_log = (LogLine("Iran announces a ceasefire"),)
            return after

        items = (*played.history[:4],
                 Pushed("inject", "white", "Ceasefire announced", inject),
                 Pushed("override", "white", "The vote is annulled", inject,
                        rationale="quorum not met", audience="goi"),
                 *played.history[4:10])
        source = Source(S, SEED, 12, items)
        white = build(source, None)
        kinds = [s.kind for s in white.steps]
        assert kinds[4:6] == ["inject", "override"] and len(white.steps) == 12
        assert white.steps[5].rationale == "quorum not met"
        page = html.render(white, {})
        assert "White-cell inject" in page and "Rationale: quorum not met" in page
        us = _texts(build(source, "us"))
        assert "quorum not met" not in us and "The vote is annulled" not in us
        assert "Ceasefire announced" in us

    def test_an_unfinished_game_reports_where_it_stands(self, played):
        report = build(from_game_moves(S, SEED, played.history[:20]), "goi")
        assert not report.over and report.result.startswith("In progress")
        assert len(report.steps) == 20

    def test_a_move_that_does_not_replay_is_one_line(self, played):
        moves = list(played.history[:5]) + [Move.parse("us:strike highway preemptive")] * 3
        with pytest.raises(ReportError) as err:
            build(from_game_moves(S, SEED, moves), None)
        assert "cannot be replayed" in str(err.value) and "\n" not in str(err.value)
        with pytest.raises(ReportError):
            build(from_game_moves(S, SEED, []), "iran")


def _texts(report) -> str:
    return html.render(report, {}) + markdown.render(report, {})


@pytest.fixture(scope="module")
def secrets(played):
    covert_moves, secret_lines, public_lines = set(), {}, set()
    summaries = set()
    # The game's opening lines (turn 1's event card) are public too: the purge's private
    # "→ deniability −1" also stands inside an opening card's public change line.
    for line in Game.new(S, SEED).last_log:
        if line.audience is None:
            public_lines.add(line.text.strip())
        else:
            secret_lines.setdefault(line.audience, set()).add(line.text.strip())
    for before, move, after in replayed(played):
        kind = S.registry.kind(move.faction, move.kind)
        if kind.covert(move.args):
            covert_moves.add((move.faction, str(move)))
            summaries.add((move.faction, before.explain(move).summary))
        for line in after.last_log:
            if line.audience is None:
                public_lines.add(line.text.strip())
            else:
                secret_lines.setdefault(line.audience, set()).add(line.text.strip())
    assert {f for f, _ in covert_moves} == {"mil"}
    kinds = {m.split()[0] for _, m in covert_moves}
    assert {"mil:rockets", "mil:recruit", "mil:purge"} <= kinds
    return covert_moves, secret_lines, public_lines, summaries


class TestSeatReportKeepsSecrets:
    """A seat's report holds nothing another faction kept hidden (on the text itself)."""

    @pytest.mark.parametrize("reader", ["us", "goi", "pro"])
    def test_no_covert_move_no_secret_line(self, source, secrets, reader):
        covert_moves, secret_lines, public_lines, summaries = secrets
        text = _texts(build(source, reader))
        for faction, move in covert_moves:
            assert move not in text
        for faction, summary in summaries:
            assert summary not in text
        for audience, lines in secret_lines.items():
            for line in lines:
                if any(line in public for public in public_lines):
                    continue  # the same words were also said in public
                assert line not in text, (audience, line)
        assert "mil: a covert action" in text
        assert "Rockets after the vote" not in text  # the militias' private note
        assert f"seed {SEED}" not in text.lower()  # the seed would rebuild the deck and the dice

    def test_no_true_attacker_of_an_unattributed_attack(self, played, source):
        hidden = [a for a in played.board.attacks if not a.attributed and a.by == "mil"]
        assert hidden and all(a.turn == 12 for a in hidden)
        orders = [str(m) for before, m, _ in replayed(played)
                  if m.kind == "rockets" and before.ctx.turn == 12]
        assert orders
        white_text, us_text = _texts(build(source, None)), _texts(build(source, "us"))
        for order in orders:
            assert order in white_text and order not in us_text
        assert "the attacker is unknown" in us_text
        # The end-of-game situation: the white cell sees who fired, the US does not.
        assert "by mil (unattributed)" in white_text and "by mil (unattributed)" not in us_text
        assert "by unknown (unattributed)" in us_text
        if 2 in played.board.posts:  # a covert loyalist at the end
            assert "covert loyalist" in white_text and "covert loyalist" not in us_text
        # The militias read their own covert moves.
        covert = next(str(m) for m in played.history if m.faction == "mil" and m.kind == "purge")
        assert covert in _texts(build(source, "mil"))

    @pytest.mark.parametrize("seed", range(1, 13))
    def test_many_games(self, seed):
        game = play_one(S, seed, parse_seats("", S.factions))
        source = from_game_moves(S, seed, game.history)
        covert, secret, public = set(), set(), set()
        for line in Game.new(S, seed).last_log:  # the opening lines (turn 1's card)
            (public if line.audience is None else secret).add(line.text.strip())
        for _, move, after in replayed_from(seed, game.history):
            if S.registry.kind(move.faction, move.kind).covert(move.args):
                covert.add(str(move))
            for line in after.last_log:
                (public if line.audience is None else secret).add(line.text.strip())
        secret = {line for line in secret if not any(line in p for p in public)}
        for reader in ("us", "goi", "pro"):
            text = _texts(build(source, reader))
            assert not [m for m in covert if m in text]
            assert not [line for line in secret if line in text]

    def test_seat_reports_are_built_from_views_only(self, source, monkeypatch):
        """Scores and tracks come through Scenario.view: poison the true board's reading."""
        seen = []
        real = S.view

        def spy(board, faction):
            seen.append(faction)
            return real(board, faction)

        monkeypatch.setattr(S, "view", spy)
        build(source, "pro")
        assert seen and set(seen) == {"pro"}


class TestFiles:
    def test_directory_is_complete_and_self_contained(self, white, tmp_path):
        out = write_report(render_files(white), tmp_path / "aar")
        names = sorted(p.name for p in (tmp_path / "aar").iterdir())
        assert names == ["report-manifest.json", "report.html", "resources.png", "situation.png",
                         "status.png", "summary.md"]
        page = out.read_text(encoding="utf-8")
        assert "<script" not in page and "http://" not in page and "https://" not in page
        for name in ("resources.png", "situation.png", "status.png"):
            assert f'src="{name}"' in page
            assert (tmp_path / "aar" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "&lt;b&gt;until&lt;/b&gt;" in page and "<b>until</b>" not in page
        assert "Rationale: the evidence was declassified in time" in page
        summary = (tmp_path / "aar" / "summary.md").read_text(encoding="utf-8")
        assert summary.startswith("# After-action review") and "## Turning points" in summary

    def test_a_failure_leaves_no_partial_report_and_the_old_one_intact(self, white, tmp_path):
        files = render_files(white)
        out = tmp_path / "aar"
        write_report(files, out)
        before = (out / "report.html").read_bytes()
        broken = dict(files)
        broken["sub/dir.png"] = b"x"  # cannot be written: no such subdirectory
        with pytest.raises(ExportError):
            write_report(broken, out)
        assert (out / "report.html").read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["aar"]
        with pytest.raises(ExportError):
            write_report(broken, tmp_path / "new")
        assert not (tmp_path / "new").exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["aar"]

    def test_refuses_to_replace_a_directory_that_is_not_a_report(self, white, tmp_path):
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "thesis.txt").write_text("precious")
        with pytest.raises(ExportError, match="not a Crossroads report"):
            write_report({"report.html": b""}, tmp_path / "mine")
        assert (tmp_path / "mine" / "thesis.txt").read_text() == "precious"

    def test_export_report_from_a_source(self, source, tmp_path):
        path = export_report(source, tmp_path / "us", "us")
        assert path.name == "report.html"
        assert "Seat report: United States" in path.read_text(encoding="utf-8")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class TestInABrowser:
    def test_chromium_renders_the_report(self, white, tmp_path):
        chromium = find_chromium()
        if chromium is None:
            pytest.skip("chromium not found on PATH (CI installs Debian's chromium: .ci/run)")
        PIL = pytest.importorskip("PIL.Image", reason="Pillow (a matplotlib dependency) missing")
        numpy = pytest.importorskip("numpy", reason="numpy (a matplotlib dependency) missing")
        page = write_report(render_files(white), tmp_path / "aar")
        shot = tmp_path / "screenshot.png"
        profile = tempfile.mkdtemp(dir=tmp_path)
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
             "--window-size=1280,2000", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120)
        assert shot.exists(), result.stderr[-2000:]
        image = PIL.open(shot).convert("RGB")
        assert image.size == (1280, 2000)
        pixels = numpy.asarray(image).reshape(-1, 3)
        colours = numpy.unique(pixels[::7], axis=0)
        assert len(colours) > 50, "the screenshot is blank"
        dark = (pixels.astype(int).sum(axis=1) < 700).mean()
        assert dark > 0.05, f"the screenshot is almost empty ({dark:.1%} non-white)"
        # The posture band (CSS) and the charts (PNG files beside the page) are drawn.
        present = {tuple(c) for c in numpy.unique(pixels, axis=0)}
        assert (0xCF, 0xE8, 0xCF) in present or (0xF8, 0xDF, 0xA8) in present
        keep = Path("/tmp/crossroads-report-screenshot.png")
        try:
            shutil.copy(shot, keep)  # for a human to look at
        except OSError:
            pass


# -- the command line, on real save files --------------------------------------------
ROOT = Path(__file__).resolve().parents[1]


def run_main(*args: str) -> subprocess.CompletedProcess:
    import os
    import sys
    env = dict(os.environ, MPLBACKEND="Agg", SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, timeout=180, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def save_file(played, tmp_path_factory) -> Path:
    saves = pytest.importorskip("engine.record", reason="the saves work (issue 4) is not merged")
    game = Game.new(S, SEED)
    record = saves.Record.start(game, SEED, parse_seats("", S.factions), "2020-01-03T09:00:00Z")
    for move in played.history:
        record.apply(game, move)
    path = tmp_path_factory.mktemp("saves") / "seed8.json"
    saves.save(record, path)
    return path


class TestCommandLine:
    def test_report_of_a_save(self, save_file, tmp_path):
        result = run_main("report", str(save_file), "--out", str(tmp_path / "aar"))
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "aar" / "report.html").is_file()
        assert (tmp_path / "aar" / "summary.md").is_file()
        assert "from seed8.json" in (tmp_path / "aar" / "report.html").read_text(encoding="utf-8")

    @pytest.mark.parametrize("damage", ["truncate", "tamper", "garbage", "missing", "faction"])
    def test_a_bad_save_is_one_line_and_no_report(self, save_file, tmp_path, damage):
        bad = tmp_path / "bad.json"
        text = save_file.read_text(encoding="utf-8")
        args = []
        if damage == "truncate":
            bad.write_text(text[: len(text) // 2], encoding="utf-8")
        elif damage == "tamper":
            bad.write_text(_tamper(text), encoding="utf-8")
        elif damage == "garbage":
            bad.write_bytes(b"\x00\xff not a save")
        elif damage == "faction":
            bad.write_text(text, encoding="utf-8")
            args = ["--faction", "iran"]
        result = run_main("report", str(bad), "--out", str(tmp_path / "aar"), *args)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("main.py report: error:"), result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "aar").exists()
        assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["bad.json"])


def _tamper(text: str) -> str:
    """Change one recorded state hash in the log: the save no longer verifies."""
    import json
    data = json.loads(text)
    entry = data["log"][len(data["log"]) // 2]
    entry["hash"] = ("0" if entry["hash"][0] != "0" else "1") + entry["hash"][1:]
    return json.dumps(data)


class TestNotes:
    def test_note_command_then_report(self, save_file, tmp_path):
        save = tmp_path / "game.json"
        shutil.copy(save_file, save)
        r1 = run_main("note", str(save), "--move", "5", "--author", "mil",
                      "--text", "Rockets after the vote, <not> before")
        r2 = run_main("note", str(save), "--move", "12", "--author", "white", "--bookmark",
                      "--public", "--text", "The vote turns here")
        r3 = run_main("note", str(save), "--move", "13", "--author", "white",
                      "--text", "Facilitator only: watch the militias")
        assert r3.returncode == 0, r3.stderr
        assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
        saves = pytest.importorskip("engine.record")
        record = saves.load(save)  # still verifies: notes keep the state
        notes = [e for e in record.entries if e.type == "note"]
        assert [(n.after_move, n.author, n.audience, n.bookmark) for n in notes] == \
            [(5, "mil", "mil", False), (12, "white", None, True), (13, "white", "white", False)]
        assert run_main("report", str(save), "--out", str(tmp_path / "w")).returncode == 0
        assert run_main("report", str(save), "--out", str(tmp_path / "us"),
                        "--faction", "us").returncode == 0
        white = (tmp_path / "w" / "report.html").read_text(encoding="utf-8")
        us = (tmp_path / "us" / "report.html").read_text(encoding="utf-8")
        assert "Rockets after the vote, &lt;not&gt; before" in white
        assert "Rockets after the vote" not in us  # the militias' private note
        assert "Facilitator only" in white and "Facilitator only" not in us
        for page in (white, us):
            assert "The vote turns here" in page and "<h2>Bookmarks</h2>" in page
            assert 'href="#step-12"' in page
        assert "The vote turns here" in (tmp_path / "us" / "summary.md").read_text(encoding="utf-8")

    @pytest.mark.parametrize("args,message", [
        (["--move", "9999", "--author", "us", "--text", "x"], "no move 9999"),
        (["--move", "3", "--author", "iran", "--text", "x"], "unknown author"),
        (["--move", "3", "--author", "us", "--text", "  "], "one line"),
        (["--move", "3", "--author", "us", "--text", "x" * 501], "one line"),
    ])
    def test_a_bad_note_changes_nothing(self, save_file, tmp_path, args, message):
        save = tmp_path / "game.json"
        shutil.copy(save_file, save)
        before = save.read_bytes()
        result = run_main("note", str(save), *args)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.stderr
        assert save.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]

    def test_a_note_on_a_damaged_save_changes_nothing(self, save_file, tmp_path):
        save = tmp_path / "game.json"
        save.write_text(_tamper(save_file.read_text(encoding="utf-8")), encoding="utf-8")
        before = save.read_bytes()
        result = run_main("note", str(save), "--move", "1", "--author", "us", "--text", "x")
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
        assert save.read_bytes() == before

    def test_undone_moves_and_notes_from_a_record(self, played):
        saves = pytest.importorskip("engine.record")
        from engine.report.export import source_from_record
        game = Game.new(S, SEED)
        record = saves.Record.start(game, SEED, parse_seats("", S.factions), "2020-01-03T09:00:00Z")
        for move in played.history[:6]:
            record.apply(game, move)
        game = record.undo()
        record.annotate(saves.note_entry(record, 5, "white", "Taken back after a ruling"))
        for move in played.history[5:]:
            record.apply(game, move)
        loaded = saves.Record.from_json(record.to_json())
        report = build(source_from_record(loaded), None)
        assert [s.text for s in report.steps] == [str(m) for m in played.history]
        step5 = report.steps[4]
        kinds = [a.kind for a in step5.notes]
        assert kinds == ["undo", "note"]
        assert step5.notes[0].text == f"{played.history[5]} is taken back"

    def test_notes_by_move_for_a_replay_viewer(self, save_file, tmp_path):
        saves = pytest.importorskip("engine.record")
        from engine.report.export import notes_by_move
        record = saves.load(save_file)
        record.annotate(saves.note_entry(record, 7, "goi", "Our line holds"))
        record.annotate(saves.note_entry(record, 7, "white", "Pause here", public=True,
                                         bookmark=True))
        assert [a.text for a in notes_by_move(record)[7]] == ["Our line holds", "Pause here"]
        assert [a.text for a in notes_by_move(record, "us")[7]] == ["Pause here"]
        assert [a.kind for a in notes_by_move(record, "goi")[7]] == ["note", "bookmark"]

    def test_notes_at_the_terminal(self, tmp_path):
        save = tmp_path / "t.json"
        result = subprocess.run(
            [__import__("sys").executable, str(ROOT / "main.py"), "play", "--headless", "--seed",
             "3", "--seats", "us=human", "--turns", "1", "--save", str(save)],
            input="1\nn We go first\nb Mark this\n" + "1\n" * 5, capture_output=True, text=True,
            timeout=120, cwd=ROOT)
        assert "Note on move 1 recorded" in result.stdout, result.stdout[-2000:] + result.stderr
        saves = pytest.importorskip("engine.record")
        notes = [e for e in saves.load(save).entries if e.type == "note"]
        assert [(n.text, n.author, n.bookmark) for n in notes] == \
            [("We go first", "us", False), ("Mark this", "us", True)]


@pytest.fixture(scope="module")
def exercise():
    saves = pytest.importorskip("engine.record")
    whitecell = pytest.importorskip("engine.whitecell")
    from engine.match import Match
    seats = parse_seats("", S.factions)
    game = Game.new(S, SEED)
    record = saves.Record.start(game, SEED, seats, "2020-01-03T09:00:00Z")
    match = Match(game, seats, SEED)
    done = set()
    while not game.is_over() and len(done) < 3:
        purge = [m for m in game.legal_moves() if m.kind == "purge"]
        after = game.clone()
        if game.active_faction == "mil" and purge and "override" not in done:
            after.apply_ruled(purge[0], "success", "Ruled <b>a success</b> after review")
            entry = whitecell.OverrideEntry(after.state_hash(), move=str(purge[0]),
                                            tier="success",
                                            rationale="Ruled <b>a success</b> after review")
            done.add("override")
        elif game.ctx.turn == 3 and "inject" not in done:
            after.inject(None, "Oil price crash", (("economy", -2),))
            entry = whitecell.InjectEntry(after.state_hash(), text="Oil price crash",
                                          effects={"economy": -2})
            done.add("inject")
        elif game.ctx.turn == 4 and "ruling" not in done:
            after.set_tracks((("arms", 2),), "A seized arms cache")
            entry = whitecell.RulingEntry(after.state_hash(), values={"arms": 2},
                                          rationale="A seized arms cache")
            done.add("ruling")
        else:
            record.apply(game, match.bot_choice().move)
            continue
        record.append(entry, after)
        game = match.game = after
    assert done == {"override", "inject", "ruling"}
    from engine.report.export import source_from_record
    return source_from_record(saves.Record.from_json(record.to_json()))


class TestExerciseSaves:
    """Saves of exercises: the white cell's overrides, injects and rulings (engine/whitecell.py)."""

    def test_the_white_cell_report_shows_them(self, exercise):
        report = build(exercise, None)
        kinds = {s.kind: s for s in report.steps if s.kind != "move"}
        assert set(kinds) == {"override", "inject", "ruling"}
        assert kinds["override"].rationale == "Ruled <b>a success</b> after review"
        assert kinds["ruling"].text == "tracks set: arms 2"
        page = html.render(report, {})
        assert "Ruled &lt;b&gt;a success&lt;/b&gt; after review" in page
        assert "Oil price crash" in page and "A seized arms cache" in page

    def test_a_seat_reads_the_public_part_only(self, exercise):
        text = _texts(build(exercise, "us"))
        assert "Oil price crash" in text and "A seized arms cache" in text  # announced to all
        assert "a success</b> after review" not in text and "a success&lt;/b&gt;" not in text
        assert "mil:purge" not in text and "arms 2" not in text
        mil = _texts(build(exercise, "mil"))
        assert "mil:purge" in mil and "a success&lt;/b&gt; after review" in mil
