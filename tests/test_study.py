"""Policy studies (engine/study): study files, rows, backends, resume and the report."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from engine.game import Game
from engine.study import load_study, run_study
from engine.study.analysis import wilson
from main import main
from rules.scenario import IRAQ_2020 as S

ROOT = Path(__file__).resolve().parents[1]

SMALL = {
    "title": "small",
    "games": 3,
    "first_seed": 11,
    "turns": 4,
    "monthly": ["escalation", "legitimacy"],
    "outcome": "score:us",
    "seats": {"goi": "doctrine:balancing", "pro": "random"},
    "factors": [{"name": "US path", "seat": "us", "levels": ["doctrine:continuity", "doctrine:separation"]},
                {"seat": "mil", "levels": ["doctrine:entrench", "ai:easy"]}],
    "what_if": [{"name": "waiver", "start": "track:waiver", "levels": [2, 0]}],
}


def toml_text(study: dict) -> str:
    """A study dict as TOML (just what these tests need)."""
    def val(v):
        return json.dumps(v) if not isinstance(v, list) else "[" + ", ".join(map(val, v)) + "]"
    lines = [f"{k} = {val(v)}" for k, v in study.items() if not isinstance(v, (dict,)) and
             not (isinstance(v, list) and v and isinstance(v[0], dict))]
    for key, value in study.items():
        if isinstance(value, dict):
            lines.append(f"[{key}]")
            lines += [f"{k} = {val(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for table in value:
                lines.append(f"[[{key}]]")
                lines += [f"{k} = {val(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


# -- the start hook --------------------------------------------------------------------
class TestStartingValues:
    @settings(max_examples=40, deadline=None)
    @given(st.sampled_from(sorted(S.start_options())), st.data())
    def test_a_what_if_changes_that_value_and_nothing_else(self, key, data):
        allowed = S.start_options()[key]
        value = data.draw(st.integers(*allowed) if isinstance(allowed[0], int) else st.sampled_from(allowed))
        base, _ = S.setup(7)
        changed = S.with_start(base, ((key, value),))
        tracks = {t.key: t.value for t in S.track_table(changed)}
        before = {t.key: t.value for t in S.track_table(base)}
        kind, _, name = key.partition(":")
        if kind == "track":
            assert tracks[name] == value
            assert {k: v for k, v in tracks.items() if k != name} == \
                   {k: v for k, v in before.items() if k != name}
            assert changed.posts == base.posts
        else:
            assert tracks == before
            from rules.board import POST_IDS
            from rules.data import HOLDER_IDS
            assert changed.posts[POST_IDS[name]] == HOLDER_IDS[value]
            assert [h for i, h in enumerate(changed.posts) if i != POST_IDS[name]] == \
                   [h for i, h in enumerate(base.posts) if i != POST_IDS[name]]
        assert changed.pieces == base.pieces and changed.deck == base.deck

    def test_game_new_applies_them_before_the_first_card(self):
        plain = Game.new(S, 5)
        waived = Game.new(S, 5, start=[("track:cohesion", 2)])
        assert plain.board.deck == waived.board.deck
        assert {t.key: t.value for t in S.track_table(waived.board)}["cohesion"] != \
               {t.key: t.value for t in S.track_table(plain.board)}["cohesion"]

    @pytest.mark.parametrize("start", [[("track:waiver", 3)], [("track:nope", 1)],
                                       [("post:airspace", "militia")], [("track:waiver", "2")]])
    def test_bad_starting_values_are_refused(self, start):
        with pytest.raises(ValueError):
            Game.new(S, 5, start=start)


# -- refusing bad study files ------------------------------------------------------------
def with_change(path: str, value):
    study = json.loads(json.dumps(SMALL))
    node = study
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if k.isdigit() else node[k]
    last = keys[-1]
    if value is _DELETE:
        del node[last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return study


_DELETE = object()

BAD = [
    ("factors.0.seat", "usa", "factors[0].seat", "unknown faction 'usa'"),
    ("factors.0.levels", ["doctrine:nope"], "factors[0].levels[0]", "no doctrine 'nope'"),
    ("factors.1.levels", ["human"], "factors[1].levels[0]", "no human seats"),
    ("factors.0.levels", [], "factors[0].levels", "non-empty list"),
    ("what_if.0.levels", [], "what_if[0].levels", "non-empty list"),
    ("monthly", ["escalation", "escalaton"], "monthly[1]", "unknown track 'escalaton'"),
    # Review c1: a list or a table for a track name was a traceback (unhashable).
    ("monthly", [["escalation"]], "monthly[0]", "unknown track ['escalation']"),
    ("monthly", [{"a": 1}], "monthly[0]", "unknown track {'a': 1}"),
    ("what_if.0.start", "track:wiaver", "what_if[0].start", "unknown starting value"),
    ("what_if.0.start", "post:airfield", "what_if[0].start", "unknown starting value"),
    ("what_if.0.start", ["turns"], "what_if[0].start", "unknown starting value"),  # review c1
    ("what_if.0.levels", [2, 7], "what_if[0].levels[1]", "from 0 to 2"),
    ("first_seed", 2 ** 64 - 2, "first_seed", "2^64"),
    ("first_seed", -1, "first_seed", "0\u2026"),
    ("outcome", "score:usa", "outcome", "unknown score 'usa'"),
    ("seats.goi", "doctrine:tehran-leanin", "seats.goi", "no doctrine"),
    ("games", 0, "games", "at least 1"),
    ("turns", 30, "turns", "1 to 24"),
]


class TestRefusals:
    @pytest.mark.parametrize("path,value,key,words", BAD, ids=[b[2] + "=" + str(b[1])[:12] for b in BAD])
    def test_refused_before_any_game_in_one_line(self, tmp_path, capsys, path, value, key, words):
        study = tmp_path / "bad.toml"
        study.write_text(toml_text(with_change(path, value)), encoding="utf-8")
        out = tmp_path / "out"
        assert main(["study", str(study), "--out", str(out), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert f"{study}: {key}:" in err and words in err, err
        assert not out.exists()  # nothing ran, nothing written

    @pytest.mark.parametrize("text,key", [
        ('titel = "x"\n', "titel: unknown key"),
        ('[[factors]]\nseat = "us"\nlevel = ["doctrine"]\n', "factors[0].level: unknown key"),
        ('[[what_if]]\nstart = "turns"\nlevels = [12]\nname = "x"\nlevles = [1]\n', "what_if[0].levles"),
        ('games = 3\ngames = 4\n', "not valid TOML"),
        ('[[factors]]\nseat = "us"\nlevels = ["doctrine"]\n[[factors]]\nseat = "us"\nlevels = ["random"]\n',
         "varied by two factors"),
    ])
    def test_typos_and_syntax(self, tmp_path, capsys, text, key):
        study = tmp_path / "typo.toml"
        study.write_text(text, encoding="utf-8")
        assert main(["study", str(study), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and key in err and str(study) in err, err

    def test_missing_file(self, tmp_path, capsys):
        assert main(["study", str(tmp_path / "none.toml"), "--out", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "none.toml: cannot read" in err

    def test_the_command_line_seed_overflow_too(self, tmp_path, capsys):
        study = tmp_path / "s.toml"
        study.write_text(toml_text(SMALL), encoding="utf-8")
        assert main(["study", str(study), "--out", str(tmp_path / "o"), "--first-seed", str(2 ** 64 - 1)]) == 2
        assert "first_seed" in capsys.readouterr().err

    def test_the_shipped_studies_are_valid(self):
        for path in sorted((ROOT / "studies").glob("*.toml")):
            study = load_study(path)
            assert study.cells, path
        crossroads = load_study(ROOT / "studies/crossroads.toml")
        assert len(crossroads.cells) == 3 * 2 * 2 * 2
        assert crossroads.factors[0].levels == ("doctrine:continuity", "doctrine:tougher_love",
                                                 "doctrine:separation")
        what_if = load_study(ROOT / "studies/what-if.toml")
        assert len(what_if.what_ifs) >= 4


class TestCells:
    def test_cells_cross_the_factors_in_file_order(self):
        study = load_study(SMALL)
        assert len(study.cells) == 8
        assert [c.levels for c in study.cells[:3]] == [
            ("doctrine:continuity", "doctrine:entrench", 2), ("doctrine:continuity", "doctrine:entrench", 0),
            ("doctrine:continuity", "ai:easy", 2)]
        assert dict(study.cells[0].seats) == {"us": "doctrine:continuity", "goi": "doctrine:balancing",
                                              "mil": "doctrine:entrench", "pro": "random"}

    def test_one_at_a_time(self):
        study = dict(SMALL, design="one_at_a_time", factors=SMALL["factors"][:1],
                     what_if=[{"start": "track:waiver", "levels": [2, 1, 0]},
                              {"start": "post:airspace", "levels": ["loyalist", "professional"]},
                              {"start": "turns", "levels": [4, 2]}])
        cells = load_study(study).cells
        assert len(cells) == 2 * (1 + 2 + 1 + 1)
        assert [c.start for c in cells[:5]] == [
            (("track:waiver", 2), ("post:airspace", "loyalist")),
            (("track:waiver", 1), ("post:airspace", "loyalist")),
            (("track:waiver", 0), ("post:airspace", "loyalist")),
            (("track:waiver", 2), ("post:airspace", "professional")),
            (("track:waiver", 2), ("post:airspace", "loyalist"))]
        assert [c.turns for c in cells[:5]] == [4, 4, 4, 4, 2]


# -- rows, backends, determinism -----------------------------------------------------------
@pytest.fixture(scope="module")
def inline_rows():
    return run_study(SMALL, workers=1)


class TestRows:
    def test_one_tidy_row_per_game(self, inline_rows):
        assert len(inline_rows) == 8 * 3
        assert [(r["cell"], r["seed"]) for r in inline_rows] == [(c, s) for c in range(8) for s in (11, 12, 13)]
        cols = list(inline_rows[0])
        assert all(list(r) == cols for r in inline_rows)
        for col in ("ending", "turn", "score:us", "win:pro", "track:waiver", "moves:us:strike",
                    "month:1:escalation", "month:4:legitimacy", "level:US path", "level:mil",
                    "level:waiver"):
            assert col in cols, col
        assert all(r["ending"] in ("time", "war", "collapse", "withdrawal") for r in inline_rows)

    def test_rows_say_what_was_played(self, inline_rows):
        for r in inline_rows:
            game = Game.new(S, r["seed"], 4, start=[("track:waiver", int(r["level:waiver"]))])
            from engine.match import Match
            from engine.seats import parse_seats
            seats = parse_seats(f"us={r['level:US path']},goi=doctrine:balancing,mil={r['level:mil']},"
                                f"pro=random", S.factions)
            match = Match(game, seats, r["seed"])
            while not game.is_over():
                game.apply(match.bot_choice().move)
            outcome = game.outcome()
            assert r["ending"] == outcome.termination and r["turn"] == game.ctx.turn
            assert r["score:us"] == outcome.scores["us"].total
            assert r["win:goi"] == int("goi" in outcome.winners)
            assert sum(v for k, v in r.items() if k.startswith("moves:")) == len(game.history)
            break  # one full replay is enough here; determinism tests cover the rest

    def test_the_what_if_took_effect(self, inline_rows):
        first = {r["level:waiver"]: r["month:1:escalation"] for r in inline_rows if r["cell"] in (0, 1)}
        assert set(first) == {"2", "0"}
        assert any(r["track:waiver"] != s["track:waiver"] for r, s in zip(inline_rows[0:3], inline_rows[3:6]))

    def test_two_workers_give_the_same_rows(self, inline_rows):
        assert run_study(SMALL, workers=2) == inline_rows

    def test_a_local_dask_cluster_of_two_workers_gives_the_same_rows(self, inline_rows):
        pytest.importorskip("distributed", reason="the [cluster] extra is not installed")
        assert run_study(SMALL, workers=2, cluster="local") == inline_rows

    def test_an_unreachable_scheduler_is_one_line(self, tmp_path, capsys):
        pytest.importorskip("distributed", reason="the [cluster] extra is not installed")
        study = tmp_path / "s.toml"
        study.write_text(toml_text(dict(SMALL, games=1)), encoding="utf-8")
        code = main(["study", str(study), "--out", str(tmp_path / "o"), "--no-progress",
                     "--cluster", "tcp://127.0.0.1:9"])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and "Dask scheduler" in err, err


# -- storage and resume --------------------------------------------------------------------
RESUME = {"title": "resume", "games": 80, "first_seed": 5, "monthly": ["escalation"],
          "factors": [{"seat": "us", "levels": ["doctrine:continuity", "doctrine:tougher_love"]}]}


def stored(out: Path) -> int:
    try:
        db = sqlite3.connect(out / "study.sqlite")
        try:
            return db.execute("SELECT COUNT(*) FROM games").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


class TestResume:
    def test_resume_after_sigkill_gives_the_rows_of_an_uninterrupted_run(self, tmp_path):
        study = tmp_path / "resume.toml"
        study.write_text(toml_text(RESUME), encoding="utf-8")
        out = tmp_path / "run"
        env = dict(os.environ, MPLBACKEND="Agg", SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "study", str(study), "--out", str(out),
                                 "--workers", "2", "--no-progress", "--no-report"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while stored(out) < 16 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes, mid-run
        finally:
            proc.wait()
        kept = stored(out)
        assert 16 <= kept < 160, f"not killed mid-run ({kept} of 160 rows)"
        assert not (out / "games.csv").exists()
        summaries = []
        rows = run_study(study, out, resume=True, workers=2, report=False,
                         on_summary=lambda summary, _: summaries.append(summary))
        assert summaries[0].played == 160 - kept  # the kept games are not played again
        assert rows == run_study(RESUME, workers=1)
        with open(out / "games.csv", newline="", encoding="utf-8") as fh:
            assert len(list(csv.DictReader(fh))) == 160

    def test_an_existing_study_needs_resume_and_the_same_study(self, tmp_path, capsys):
        study = tmp_path / "s.toml"
        study.write_text(toml_text(dict(SMALL, games=1)), encoding="utf-8")
        out = tmp_path / "o"
        assert main(["study", str(study), "--out", str(out), "--no-progress", "--no-report"]) == 0
        capsys.readouterr()
        assert main(["study", str(study), "--out", str(out), "--no-progress", "--no-report"]) == 2
        assert "--resume" in capsys.readouterr().err
        assert main(["study", str(study), "--out", str(out), "--resume", "--games", "2", "--no-progress"]) == 2
        assert "different study" in capsys.readouterr().err
        assert main(["study", str(study), "--out", str(out), "--resume", "--no-progress", "--no-report"]) == 0
        assert "0 played now" in capsys.readouterr().out

    def test_a_study_stopped_before_its_first_game_can_be_started_again(self, tmp_path, capsys):
        # Review r1: --cluster at an address that cannot be reached left an
        # empty study.sqlite, and the same command without --resume was refused.
        study = tmp_path / "s.toml"
        study.write_text(toml_text(dict(SMALL, games=1)), encoding="utf-8")
        out = tmp_path / "o"
        assert main(["study", str(study), "--out", str(out), "--no-progress", "--no-report",
                     "--cluster", "tcp://127.0.0.1:1"]) == 2
        capsys.readouterr()
        assert main(["study", str(study), "--out", str(out), "--no-progress", "--no-report",
                     "--workers", "1", "--games", "2"]) == 0
        assert "played now" in capsys.readouterr().out

    def test_a_folder_of_other_files_is_refused_and_left_untouched(self, tmp_path, capsys):
        # Review r1: --out at a folder holding a user's games.csv or report.md
        # overwrote them without a word.
        study = tmp_path / "s.toml"
        study.write_text(toml_text(dict(SMALL, games=1)), encoding="utf-8")
        out = tmp_path / "mine"
        (out / "charts").mkdir(parents=True)
        files = {"games.csv": "my data", "report.md": "my notes", "charts/outcomes.png": "png"}
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
        assert main(["study", str(study), "--out", str(out), "--no-progress", "--workers", "1"]) == 2
        err = capsys.readouterr().err
        assert "holds files no study wrote (charts, games.csv, report.md)" in err
        assert err.count("\n") == 1
        assert sorted(p.name for p in out.iterdir()) == ["charts", "games.csv", "report.md"]
        for name, text in files.items():
            assert (out / name).read_text(encoding="utf-8") == text
        empty = tmp_path / "empty"
        empty.mkdir()
        assert main(["study", str(study), "--out", str(empty), "--no-progress", "--no-report",
                     "--workers", "1"]) == 0

    def test_out_naming_a_file_is_refused_in_one_line_and_the_file_kept(self, tmp_path, capsys):
        study = tmp_path / "s.toml"
        study.write_text(toml_text(dict(SMALL, games=1)), encoding="utf-8")
        afile = tmp_path / "notes.txt"
        afile.write_text("mine", encoding="utf-8")
        assert main(["study", str(study), "--out", str(afile), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert "a file, not a folder" in err and "Errno" not in err
        assert afile.read_text(encoding="utf-8") == "mine"


# -- the report ------------------------------------------------------------------------------
REPORT = {"title": "report test", "games": 12, "first_seed": 3, "turns": 8,
          "monthly": ["escalation", "cohesion"], "outcome": "score:us",
          "factors": [{"name": "US path", "seat": "us",
                       "levels": ["doctrine:continuity", "doctrine:separation"]}],
          "what_if": [{"name": "waiver", "start": "track:waiver", "levels": [2, 0]}]}


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("study") / "out"
    study = out.parent / "report.toml"
    study.write_text(toml_text(REPORT), encoding="utf-8")
    assert main(["study", str(study), "--out", str(out), "--workers", "2", "--no-progress"]) == 0
    return out


def csv_rows(out: Path) -> list[dict[str, str]]:
    with open(out / "games.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class TestReport:
    def test_directory(self, report_dir):
        for name in ("study.sqlite", "games.csv", "report.html", "report.md", "charts/outcomes.png",
                     "charts/finals.png", "charts/trajectories.png", "charts/tornado.png"):
            assert (report_dir / name).is_file(), name
        md = (report_dir / "report.md").read_text(encoding="utf-8")
        for title in ("Outcomes by cell", "Compared with the baseline", "Monthly trajectories",
                      "Tornado", "What drives the ending"):
            assert f"## {title}" in md

    def test_an_ending_share_recomputed_from_the_csv(self, report_dir):
        rows = [r for r in csv_rows(report_dir) if r["cell"] == "2"]  # separation, waiver 2
        assert len(rows) == 12
        k = sum(r["ending"] == "time" for r in rows)
        lo, hi = wilson(k, 12)
        expected = f"{100 * k / 12:.1f}% ({100 * lo:.1f}\u2013{100 * hi:.1f})"
        md = (report_dir / "report.md").read_text(encoding="utf-8")
        line = next(x for x in md.splitlines() if x.startswith("| 2 | separation | 2 |"))
        assert line.split(" | ")[4] == expected, line

    def test_a_paired_difference_recomputed_from_the_csv(self, report_dir):
        rows = csv_rows(report_dir)
        by = {(r["level:US path"], r["level:waiver"], r["seed"]): float(r["score:us"]) for r in rows}
        diffs = [by[("doctrine:separation", w, s)] - by[("doctrine:continuity", w, s)]
                 for (p, w, s) in by if p == "doctrine:continuity"]
        assert len(diffs) == 24
        m = sum(diffs) / len(diffs)
        sd = math.sqrt(sum((d - m) ** 2 for d in diffs) / (len(diffs) - 1))
        half = 1.96 * sd / math.sqrt(len(diffs))
        md = (report_dir / "report.md").read_text(encoding="utf-8")
        line = next(x for x in md.splitlines() if x.startswith("| US path | separation | continuity | score:us |"))
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[4] == "24" and cells[5] == f"{m:+.2f}"
        assert cells[6].startswith(f"{m - half:+.2f} to {m + half:+.2f}")
        assert cells[6].endswith("\u25c6") == (m - half > 0 or m + half < 0)

    def test_html_has_the_same_numbers_and_escapes(self, report_dir):
        page = (report_dir / "report.html").read_text(encoding="utf-8")
        md = (report_dir / "report.md").read_text(encoding="utf-8")
        for number in re.findall(r"\d+\.\d% \(\d+\.\d\u2013\d+\.\d\)", md)[:20]:
            assert number in page
        assert "<script" not in page
        assert "**" not in page and "*paired*" not in page  # Markdown emphasis rendered, not shown
        for src in re.findall(r'src="([^"]+)"', page):
            assert (report_dir / src).is_file(), src

    def test_chromium_renders_it_without_console_errors(self, report_dir, tmp_path):
        from tests.test_report import find_chromium
        chromium = find_chromium()
        if chromium is None:
            pytest.skip("chromium not found on PATH (CI installs Debian's chromium: .ci/run)")
        PIL = pytest.importorskip("PIL.Image", reason="Pillow (a matplotlib dependency) missing")
        numpy = pytest.importorskip("numpy", reason="numpy (a matplotlib dependency) missing")
        shot = tmp_path / "shot.png"
        profile = tempfile.mkdtemp(dir=tmp_path)
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}", f"--screenshot={shot}",
             "--window-size=1280,2400", (report_dir / "report.html").resolve().as_uri()],
            capture_output=True, text=True, timeout=120)
        assert shot.exists(), result.stderr[-2000:]
        console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
        assert not console, console
        image = numpy.asarray(PIL.open(shot).convert("RGB")).reshape(-1, 3)
        assert len(numpy.unique(image[::7], axis=0)) > 50, "the screenshot is blank"
        for png in (report_dir / "charts").glob("*.png"):
            with PIL.open(png) as im:
                assert im.size[0] > 400 and im.size[1] > 200


class TestStatistics:
    def test_what_drives_an_ending_is_the_standardised_difference_per_month(self):
        from engine.study.analysis import analyse
        study = load_study({"factors": [{"seat": "us", "levels": ["doctrine:continuity"]}], "games": 4})
        base = run_study({"factors": [{"seat": "us", "levels": ["doctrine:continuity"]}], "games": 1},
                         workers=1)[0]
        rows = []
        for seed, (ending, turn, strikes) in enumerate([("war", 2, 2), ("war", 4, 4), ("time", 12, 0),
                                                        ("time", 12, 12)], start=1):
            row = {k: (0 if k.startswith(("moves:", "card:")) else v) for k, v in base.items()}
            rows.append(dict(row, seed=seed, ending=ending, turn=turn, **{"moves:us:strike": strikes}))
        a = analyse(study, rows, S.factions)
        top = a.drivers["war"][0]
        rates = [1.0, 1.0, 0.0, 1.0]  # strikes per month
        m = sum(rates) / 4
        sd = math.sqrt(sum((x - m) ** 2 for x in rates) / 3)
        assert top.feature == "moves:us:strike" and len(a.drivers["war"]) == 1
        assert top.mean_in == 1.0 and top.mean_out == 0.5
        assert top.std_diff == pytest.approx((1.0 - 0.5) / sd)
        assert "time" not in a.drivers
