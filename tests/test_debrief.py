"""The debrief across tables: three tables' saves, one comparison page."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from engine.game import Game
from engine.net.journal import Journal
from engine.net.referee import Referee, Refused, Settings
from engine.report import debrief
from engine.report.export import ExportError, export_debrief, table_saves
from engine.seats import format_seats, parse_seats
from tests.helpers import SCENARIO

ROOT = Path(__file__).resolve().parents[1]
PATHS = ("continuity", "tougher_love", "separation")


def play_table(path: Path, seed: int, us: str) -> Referee:
    """A table played to its end by bots, with a white-cell inject at the
    fifth decision and an override of the first contested result after it."""
    seats = parse_seats(f"us=doctrine:{us},goi=random,mil=random,pro=random", SCENARIO.factions)
    game = Game.new(SCENARIO, seed)
    journal = Journal.start(path, game, seed, format_seats(seats), "2020-01-03")
    ref = Referee(game, seats, seed, journal.append, Settings())
    decisions, overridden = 0, False
    while not ref.game.is_over():
        if decisions >= 9 and not overridden or decisions == 7:
            ref.settings.review = True
        need = ref.advance()
        assert need is not None, "an all-bot table never waits"
        for faction in need[1]:
            bot, decision, rng = ref.decision(faction)
            ref.bot_move(faction, bot.choose(decision, rng).move, ref.game.ctx.moves)
        if ref.pending is not None and decisions == 7:
            ref.approve(f"Within the rules ({us})")
            ref.settings.review = False
        elif ref.pending is not None:
            try:
                ref.override("fail", "Evidence was thin")
                overridden = True
            except Refused:  # no dice rolled: nothing to override
                ref.approve()
            ref.settings.review = False
        decisions += 1
        if decisions == 5:
            ref.inject(None, f"Blackout in Basra ({us})", {"economy": -1})
    journal.write()
    assert overridden
    return ref


@pytest.fixture(scope="module")
def saves(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("class")
    out = []
    for i, us in enumerate(PATHS):
        path = folder / f"class-t{i + 1}.json"
        play_table(path, 21 + i, us)
        out.append(path)
    (folder / "class.json").write_text(json.dumps({
        "format": "crossroads-class", "version": 1, "created": "2020-01-03",
        "tables": {f"t{i + 1}": p.name for i, p in enumerate(out)}}))
    return out


def study_csv(folder: Path, values: dict[str, list[int]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    n = len(next(iter(values.values())))
    with open(folder / "games.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["cell", "seed", *values])
        writer.writeheader()
        for i in range(n):
            writer.writerow({"cell": 0, "seed": i + 1, **{k: v[i] for k, v in values.items()}})
    return folder


def tables_of(saves: list[Path]) -> list[debrief.Table]:
    from engine import record
    from engine.report.export import source_from_record
    from engine.report.timeline import build
    out = []
    for path in saves:
        loaded = record.load(path, verify=True)
        out.append(debrief.Table(path.stem, loaded.header.seats,
                                 build(source_from_record(loaded, path.name), None)))
    return out


class TestBuild:
    def test_tables_side_by_side_with_paths_endings_and_interventions(self, saves):
        d = debrief.build(tables_of(saves))
        assert [t.label for t in d.tables] == ["class-t1", "class-t2", "class-t3"]
        for table, us in zip(d.tables, PATHS):
            steps = debrief.path_taken(table.report)
            assert steps[0] == (1, "continuity"), "every table starts in continuity"
            if us != "continuity":
                assert len(steps) > 1, f"the {us} table never left continuity"
            kinds = [s.kind for s in debrief.interventions(table.report)]
            assert kinds.count("inject") == 1 and kinds.count("override") == 1
            texts = [s.text for s in debrief.interventions(table.report)]
            assert f"Blackout in Basra ({us})" in texts
            overrides = [s for s in debrief.interventions(table.report) if s.kind == "override"]
            assert overrides[0].rationale == "Evidence was thin"
        html = debrief.render_html(d, {"tracks.png": "Tracks"})
        for us in PATHS:
            assert f"Blackout in Basra ({us})" in html
        assert html.count("Evidence was thin") == 3
        for table, us in zip(d.tables, PATHS):
            [(turn, text)] = debrief.white_notes(table.report)
            assert text.startswith("Approved ") and text.endswith(f": Within the rules ({us})")
            assert text in html
        assert "<script" not in html

    def test_placement_in_a_study(self, saves):
        [table] = tables_of(saves[:1])
        mil = next(s.total for s in table.report.scores if s.faction == "mil")
        values = {"score:mil": [mil - 1] * 17 + [mil] * 2 + [mil + 1],
                  "track:escalation": list(range(20)), "score:us": [""] * 20}
        rows = [{k: str(v[i]) for k, v in values.items()} for i in range(20)]
        places = {p.measure: p for p in debrief.place(table, rows)}
        assert "score:us" not in places, "an empty column is no distribution"
        p = places["score:mil"]
        assert (p.below, p.equal, p.games) == (0.85, 0.1, 20)
        assert p.sentence().startswith("this table's Iran-aligned militias score")
        assert "above 85% of simulated games" in p.sentence()
        assert p in debrief.notable([p])
        esc = places["track:escalation"]
        assert esc.below == esc.value / 20


class TestSameSeats:
    def test_a_tables_seats_choose_the_study_cell(self, saves):
        tables = tables_of(saves)
        rows = [{"level:US path": f"doctrine:{us}", "level:goi": "doctrine:tehran",
                 "score:mil": str(i)} for i, us in enumerate(PATHS * 4)]
        for table, us in zip(tables, PATHS):
            cell = debrief.same_seats(table, rows)
            assert [r["level:US path"] for r in cell] == [f"doctrine:{us}"] * 4
        d = debrief.build(tables, rows, "study")
        assert {p.games for p in d.placements} == {4}
        assert "Against the study (4 of its 12 games with the same seats)" in \
            debrief.render_markdown(d, {})


class TestCommandLine:
    def run_main(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "main.py", "report", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=300,
                              env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"})

    def test_three_saves_and_a_study(self, saves, tmp_path):
        study = study_csv(tmp_path / "study", {"score:mil": list(range(-39, 0)) + [10 ** 6],  # any score is rare
                                               "track:escalation": [0] * 40})
        out = tmp_path / "debrief"
        proc = self.run_main(*map(str, saves), "--out", str(out), "--study", str(study))
        assert proc.returncode == 0, proc.stderr
        md = (out / "summary.md").read_text(encoding="utf-8")
        assert md.count("## class-t") == 3
        assert md.count("Against the study (40 of its 40 games)") == 3
        assert "of simulated games" in md or "usual range" in md
        page = (out / "report.html").read_text(encoding="utf-8")
        for src in re.findall(r'src="([^"]+)"', page):
            assert (out / src).is_file(), f"{src} missing"
        assert {"tracks.png", "scores.png"} <= {p.name for p in out.iterdir()}

    def test_a_class_file_or_its_folder_names_the_tables(self, saves):
        folder = saves[0].parent
        assert [label for label, _ in table_saves([folder / "class.json"])] == ["t1", "t2", "t3"]
        assert [label for label, _ in table_saves([folder])] == ["t1", "t2", "t3"]

    def test_a_table_named_twice_is_refused(self, saves):
        # Review r1: 'report A A' or a class file with one of its own tables
        # compared a table with itself, two columns under the same name.
        folder = saves[0].parent
        for paths in ([saves[0], saves[0]], [folder / "class.json", saves[1]],
                      [saves[0], folder / ".." / folder.name / saves[0].name]):
            with pytest.raises(ExportError, match="named twice"):
                table_saves(paths)
        assert len(table_saves([saves[0], saves[1]])) == 2

    @pytest.mark.parametrize("extra, message", [
        (["--faction", "us"], "--faction is for one table's report"),
        (["--study", "/nonexistent/study"], "no such file"),
    ])
    def test_bad_input_is_one_line(self, saves, tmp_path, extra, message):
        proc = self.run_main(*map(str, saves[:2]), "--out", str(tmp_path / "x"), *extra)
        assert proc.returncode == 2 and message in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "x").exists()

    def test_a_missing_or_broken_save_is_one_line(self, saves, tmp_path):
        broken = tmp_path / "broken.json"
        broken.write_text("{not json")
        for bad in (tmp_path / "nope.json", broken):
            proc = self.run_main(str(saves[0]), str(bad), "--out", str(tmp_path / "x"))
            assert proc.returncode == 2 and "Traceback" not in proc.stderr
            assert len(proc.stderr.strip().splitlines()) == 1
        with pytest.raises(ExportError, match="no study rows"):
            bad_study = tmp_path / "s"
            bad_study.mkdir()
            (bad_study / "games.csv").write_text("a,b\n1,2\n")
            export_debrief(saves, tmp_path / "y", bad_study)


class TestInABrowser:
    CONSOLE = re.compile(r":CONSOLE[:(]")

    def chromium(self, page: Path, shot: Path, tmp_path: Path) -> subprocess.CompletedProcess:
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if exe is None:
            pytest.skip("chromium not found on PATH (CI installs Debian's chromium: .ci/run)")
        profile = tempfile.mkdtemp(dir=tmp_path)
        return subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
             f"--screenshot={shot}", "--window-size=1280,2400", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120)

    def test_the_debrief_of_three_tables_opens_without_console_errors(self, saves, tmp_path):
        PIL = pytest.importorskip("PIL.Image", reason="Pillow (a matplotlib dependency) missing")
        # the check itself: a page that logs to the console is caught
        bad = tmp_path / "bad.html"
        bad.write_text("<!DOCTYPE html><script>console.error('boom')</script>")
        caught = self.chromium(bad, tmp_path / "bad.png", tmp_path)
        assert self.CONSOLE.search(caught.stderr), "console messages are not seen"
        page = export_debrief(saves, tmp_path / "debrief")
        shot = tmp_path / "debrief.png"
        result = self.chromium(page, shot, tmp_path)
        assert shot.exists(), result.stderr[-2000:]
        console = [line for line in result.stderr.splitlines() if self.CONSOLE.search(line)]
        assert console == [], console
        image = PIL.open(shot).convert("RGB")
        colours = image.getcolors(1 << 20)
        assert colours is not None and len(colours) > 50, "the screenshot is blank"
        # the tables' colours are drawn (legend swatches and chart lines)
        present = {c for _, c in colours}
        assert (0x1F, 0x5F, 0xA8) in present and (0xC2, 0x54, 0x1B) in present
        for name in ("tracks.png", "scores.png"):
            assert PIL.open(page.parent / name).size[0] > 500
        try:
            shutil.copy(shot, "/tmp/crossroads-debrief-screenshot.png")  # for a human to look at
        except OSError:
            pass
