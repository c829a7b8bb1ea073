"""The white cell's dashboard, driven by posted events under the dummy driver,
against a class of three tables on loopback; the tables' saves are read back."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

pygame = pytest.importorskip("pygame")

from engine.net.client import Client  # noqa: E402
from engine.net.hub import LocalClass  # noqa: E402
from engine.net.journal import Journal  # noqa: E402
from engine.ui.dashboard import DashboardScreen, month_of  # noqa: E402
from engine.ui.drive import click, key  # noqa: E402
from engine.ui.remote import open_remote  # noqa: E402
from engine.whitecell import InjectEntry, OverrideEntry, PauseEntry  # noqa: E402
from tests.helpers import SCENARIO, step_until  # noqa: E402

SEATS = "us=human,goi=random,mil=random,pro=random"


def type_text(app, text: str) -> None:
    for ch in text:
        key(app, pygame.K_a, unicode=ch)


def log_of(screen: DashboardScreen, tid: str) -> str:
    return "\n".join(screen.logs.get(tid, []))


class TestDashboard:
    def test_pause_one_table_inject_into_another_override_a_held_result(self, tmp_path):
        with LocalClass(3, SEATS, seed=4, folder=tmp_path) as cls:
            app = open_remote(Client(cls.url, cls.white))
            try:
                screen = app.top
                assert isinstance(screen, DashboardScreen) and screen.multi
                assert step_until(app, lambda: len(screen.tables) == 3
                                  and all("ctx" in f for f in screen.tables.values()))
                # 1. Pause table t1 (its card, then Pause: the target is "this table").
                click(app, screen.cards["t1"].center)
                assert screen.selected == "t1"
                click(app, screen.buttons["pause"].rect.center)
                assert step_until(app, lambda: screen.tables["t1"]["ctx"]["phase"] == "paused")
                assert "paused" in screen.alert_list("t1")
                # 2. A custom event into t2 only.
                click(app, screen.cards["t2"].center)
                click(app, screen.field.center)
                type_text(app, "Blackout in Basra")
                key(app, pygame.K_RETURN)
                click(app, screen.buttons["event"].rect.center)
                assert step_until(app, lambda: "Blackout in Basra" in log_of(screen, "t2"))
                # 3. Review on at t3; the US seat there plays a contested move; it is held.
                click(app, screen.cards["t3"].center)
                click(app, screen.buttons["review"].rect.center)
                assert step_until(app, lambda: screen.tables["t3"]["mode"]["review"])
                ref = cls.referee("t3")
                contested = next(str(m) for m in ref.game.legal_moves()
                                 if ref.game.explain(m).check is not None)

                async def play() -> None:
                    us = Client(cls.url, cls.tokens["t3"]["us"])
                    await us.connect()
                    await us.move(contested)
                    await us.close()
                cls.call(play())
                assert step_until(app, lambda: "review" in screen.tables["t3"])
                assert "result held for review" in screen.alert_list("t3")
                # An override without a rationale is not sent.
                sent = len(screen.sent)
                click(app, screen.buttons["override"].rect.center)
                assert "rationale is required" in screen.message
                app.step(5)
                assert len(screen.sent) == sent and "review" in screen.tables["t3"]
                click(app, screen.field.center)
                type_text(app, "No evidence the strike hit its target")
                key(app, pygame.K_ESCAPE)
                while screen.tier.value != "backfire":
                    click(app, (screen.tier.rect.right - 8, screen.tier.rect.centery))
                click(app, screen.buttons["override"].rect.center)
                assert step_until(app, lambda: "review" not in screen.tables["t3"]
                                  and screen.sent[-1:] == ["override"])
                assert screen.sent[-3:] == ["inject", "review", "override"]
                # 4. Review at t2 too: the US move there is approved, with a rationale.
                click(app, screen.cards["t2"].center)
                click(app, screen.buttons["review"].rect.center)
                assert step_until(app, lambda: screen.tables["t2"]["mode"]["review"])

                async def play2() -> str:
                    us = Client(cls.url, cls.tokens["t2"]["us"])
                    await us.connect()
                    await us.wait_for(lambda s: s.get("legal"))
                    move = us.state["legal"][0]
                    await us.move(move)
                    await us.close()
                    return move
                approved = cls.call(play2())
                assert step_until(app, lambda: "review" in screen.tables["t2"])
                click(app, screen.buttons["approve"].rect.center)
                assert "rationale is required" in screen.message
                click(app, screen.field.center)
                type_text(app, "Within the rules")
                click(app, screen.buttons["approve"].rect.center)
                assert step_until(app, lambda: "review" not in screen.tables["t2"]
                                  and screen.sent[-1:] == ["approve"])
                # nothing of it reached the other tables
                assert "Blackout in Basra" not in log_of(screen, "t1") + log_of(screen, "t3")
                assert screen.tables["t2"]["ctx"]["phase"] != "paused"
                assert screen.tables["t3"]["ctx"]["phase"] != "paused"
                pygame.image.save(app.screen, str(tmp_path / "dashboard.png"))
            finally:
                app.close()
            time.sleep(0.2)  # the last flush of the write-ahead logs
        entries = {tid: Journal.load(tmp_path / f"class-{tid}.json", SCENARIO)[0].entries
                   for tid in ("t1", "t2", "t3")}
        kinds = {tid: [type(e).__name__ for e in es if type(e).__name__ != "MoveEntry"]
                 for tid, es in entries.items()}
        assert kinds == {"t1": ["PauseEntry"], "t2": ["InjectEntry", "NoteEntry"],
                         "t3": ["OverrideEntry"]}
        [note] = [e for e in entries["t2"] if type(e).__name__ == "NoteEntry"]
        assert note.text == f"Approved {approved}: Within the rules"
        assert note.author == "white" and note.audience == "white"
        after = entries["t2"][entries["t2"].index(note) + 1]
        assert after.move == approved  # the note, then the move it approved
        [inject] = [e for e in entries["t2"] if isinstance(e, InjectEntry)]
        assert inject.text == "Blackout in Basra" and inject.effects
        [override] = [e for e in entries["t3"] if isinstance(e, OverrideEntry)]
        assert override.move == contested and override.tier == "backfire"
        assert override.rationale == "No evidence the strike hit its target"
        assert [e for e in entries["t1"] if isinstance(e, PauseEntry)]

    def test_a_single_exercise_white_cell_gets_the_dashboard_for_its_one_table(self):
        from tests.test_ui_remote import ServerThread
        from engine.net.protocol import WHITE
        with ServerThread() as ex:
            app = open_remote(Client(ex.url, ex.tokens[WHITE]))
            try:
                screen = app.top
                assert isinstance(screen, DashboardScreen) and not screen.multi
                assert step_until(app, lambda: "ctx" in screen.frame("t1"))
                click(app, screen.buttons["pause"].rect.center)
                assert step_until(app, lambda: screen.frame("t1")["ctx"]["phase"] == "paused")
                assert ex.referee.game.ctx.phase == "paused"
                click(app, screen.buttons["sealed"].rect.center)
                assert step_until(app, lambda: screen.frame("t1")["mode"]["sealed"])
                assert ex.referee.settings.sealed and screen.buttons["sealed"].active
                while screen.show.value != "none":
                    click(app, (screen.show.rect.right - 8, screen.show.rect.centery))
                click(app, screen.buttons["show"].rect.center)
                assert step_until(app, lambda: screen.frame("t1").get("show") == "none")
                assert ex.referee.settings.show == "none"
            finally:
                app.close()

    def test_month_names(self):
        assert month_of(1) == "January 2020" and month_of(12) == "December 2020"
        assert month_of(13) == "January 2021"


class TestDashboardLayout:
    """Review r1: at 960x640 the controls ran past the window (Spectators,
    Show, Ruling, Override off the right edge)."""

    @pytest.mark.parametrize("size", [(960, 640), (1024, 640), (1280, 800), (1920, 1080)])
    @pytest.mark.parametrize("tables", [1, 3, 4])
    def test_every_control_is_inside_the_window_and_none_overlaps(self, size, tables):
        from types import SimpleNamespace
        ids = [f"t{i}" for i in range(1, tables + 1)]
        link = SimpleNamespace(client=SimpleNamespace(
            welcome={"tables": ids} if tables > 1 else {}, url="ws://127.0.0.1:1"))
        screen = DashboardScreen(SimpleNamespace(scenario=SCENARIO), link)
        screen.layout(size)
        window = pygame.Rect(0, 0, *size)
        rects = [w.rect for w in screen.widgets()] + [screen.field]
        for rect in rects:
            assert screen.controls.contains(rect), (rect, screen.controls)
        assert window.contains(screen.controls) and window.contains(screen.detail)
        for i, a in enumerate(rects):
            assert a.w >= 64 and a.collidelist(rects[i + 1:]) == -1, a
        panels = [screen.detail, screen.controls, *screen.cards.values()]
        for i, a in enumerate(panels):
            assert window.contains(a) and a.h >= 60 and a.collidelist(panels[i + 1:]) == -1, a

    def test_the_latest_lines_name_moves_in_words(self):
        # Review r1: the table in full listed 'T1 mil:suppress basra'.
        from types import SimpleNamespace
        link = SimpleNamespace(client=SimpleNamespace(welcome={}, url="ws://127.0.0.1:1"))
        screen = DashboardScreen(SimpleNamespace(scenario=SCENARIO), link)
        screen.logs["t1"] = ["T1 mil:front border", "  \u2192 budget \u22121", "",
                             "T1 pro: a covert action"]
        assert screen.latest("t1", 10) == [
            "T1 Iran-aligned militias: " + SCENARIO.registry.kind("mil", "front").title,
            "  \u2192 budget \u22121", "T1 Protest movement: a covert action"]
        assert screen.latest("t1", 1) == ["T1 Protest movement: a covert action"]
        assert screen.latest("t1", 0) == []
