"""The debrief of a class: several tables of one exercise, side by side.

An instructor who ran four tables wants one page to talk through: who sat
where, which path the US took at each table, how each ended and why, what
the white cell did at each, and whether a table's ending was ordinary or
rare.  Each table is replayed into the white cell's after-action report
(:func:`engine.report.timeline.build`, everything visible); this module
lines those reports up:

* the tables side by side — seats, the US path (every posture it took, with
  the turn), the ending, the winners and every score;
* the tracks of every table on shared charts (:func:`engine.report.charts.debrief`);
* each table's turning points (the biggest swings of its game);
* the white cell's interventions per table (injects, overrides, rulings,
  pauses) with their rationales;
* given a study's rows (``games.csv`` of ``main.py study``), where each
  table's final scores and tracks fall in the study's distribution.

Pure: reports and rows in, strings out.
"""

from __future__ import annotations

from html import escape
from typing import Iterable, Mapping, Sequence

import attrs

from engine.report.html import CSS
from engine.report.timeline import Report, Series, Step

# a table's colour on every chart and legend (engine/report/charts.py draws with these)
TABLE_COLOURS = ("#1f5fa8", "#c2541b", "#2f8f3a", "#8a3ea8", "#a8871f", "#1f8f8f", "#a81f4f",
                 "#555555", "#6a8f1f", "#1f2fa8")
INTERVENTIONS = ("inject", "override", "ruling", "pause", "resume", "timeout")
TURNING = 3      # turning points shown per table
EXTREME = 0.85   # a share of simulated games above (or below) which a result is called out


@attrs.frozen
class Table:
    """One table's game as the debrief reads it."""

    label: str
    seats: str
    report: Report


@attrs.frozen
class Placement:
    """Where one table's final value falls among a study's games."""

    table: str
    measure: str          # the study column (score:mil, track:escalation...)
    label: str            # in words
    value: int
    below: float          # share of the study's games that ended lower
    equal: float          # ... level with it
    games: int

    @property
    def rank(self) -> float:
        """The mid-rank share: below plus half the ties."""
        return self.below + self.equal / 2

    def sentence(self) -> str:
        if self.below == 1:
            return f"this table's {self.label} ({self.value}) ended above every simulated game"
        if self.below + self.equal == 0:
            return f"this table's {self.label} ({self.value}) ended below every simulated game"
        if self.below >= EXTREME:
            return (f"this table's {self.label} ({self.value}) ended above "
                    f"{self.below:.0%} of simulated games")
        above = 1 - self.below - self.equal
        if above >= EXTREME:
            return (f"this table's {self.label} ({self.value}) ended below "
                    f"{above:.0%} of simulated games")
        return (f"this table's {self.label} ({self.value}) is within the usual range "
                f"(above {self.below:.0%}, level with {self.equal:.0%})")


@attrs.frozen
class Debrief:
    title: str
    tables: tuple[Table, ...]
    factions: tuple[str, ...]
    faction_names: Mapping[str, str]
    placements: tuple[Placement, ...] = ()
    study: str = ""               # where the study's rows came from
    study_games: int = 0


def build(tables: Sequence[Table], study_rows: Sequence[Mapping[str, str]] = (),
          study: str = "") -> Debrief:
    """Line the tables up; with ``study_rows``, place each table's results in them."""
    if not tables:
        raise ValueError("a debrief needs at least one table")
    first = tables[0].report
    ids = {t.report.title for t in tables}
    if len(ids) != 1:
        raise ValueError("the saves are of different scenarios: " + ", ".join(sorted(ids)))
    placements = tuple(p for t in tables for p in place(t, same_seats(t, study_rows))) \
        if study_rows else ()
    return Debrief(first.title, tuple(tables), first.factions, dict(first.faction_names),
                   placements, study, len(study_rows))


# -- reading one table ---------------------------------------------------------------
def path_taken(report: Report) -> list[tuple[int, str]]:
    """The band track's values (the US posture) in order: (turn first held, label)."""
    band = report.band
    if band is None:
        return []
    out: list[tuple[int, str]] = []
    for turn, value in zip(report.points, band.values):
        if value is None:
            continue
        label = band.steps[value] if band.steps and 0 <= value < len(band.steps) else str(value)
        if not out or out[-1][1] != label:
            out.append((turn, label))
    return out


def path_words(report: Report) -> str:
    steps = path_taken(report)
    if not steps:
        return "—"
    return " → ".join(label if i == 0 else f"{label} (turn {turn})"
                      for i, (turn, label) in enumerate(steps))


def interventions(report: Report) -> list[Step]:
    return [s for s in report.steps if s.kind in INTERVENTIONS]


def white_notes(report: Report) -> list[tuple[int, str]]:
    """The white cell's notes (an approval's rationale...), with their turns."""
    return [(s.turn, a.text) for s in report.steps for a in s.notes
            if a.author == "white" and a.kind == "note"] + \
        [(1, a.text) for a in report.preface if a.author == "white" and a.kind == "note"]


def turning_points(report: Report, n: int = TURNING) -> list[Step]:
    return list(report.turning_points[:n])


def final_value(series: Series) -> int | None:
    known = [v for v in series.values if v is not None]
    return known[-1] if known else None


def final_values(report: Report) -> dict[str, int]:
    """Each faction's score and each track's last value, keyed as a study's columns."""
    out = {f"score:{s.faction}": s.total for s in report.scores}
    for series in report.series:
        value = final_value(series)
        if value is not None:
            out[f"track:{series.key}"] = value
    return out


def measure_label(report: Report, column: str) -> str:
    kind, _, key = column.partition(":")
    if kind == "score":
        return f"{report.faction_names.get(key, key)} score"
    for series in report.series:
        if series.key == key:
            return series.label
    return key


def same_seats(table: Table, rows: Sequence[Mapping[str, str]]) -> list[Mapping[str, str]]:
    """The study's games whose factor levels are this table's seats, where a
    factor's levels name one of them (``level:US path`` = ``doctrine:separation``
    for a table whose US seat played that doctrine); all rows otherwise."""
    seats = {part.partition("=")[2] for part in table.seats.split(",")}
    out = list(rows)
    for column in [c for c in (rows[0] if rows else {}) if c.startswith("level:")]:
        levels = {row.get(column) for row in out}
        mine = seats & levels
        if len(mine) == 1:
            value = mine.pop()
            out = [row for row in out if row.get(column) == value]
    return out


def place(table: Table, rows: Sequence[Mapping[str, str]]) -> list[Placement]:
    """Where each of the table's final values falls among ``rows`` (columns it shares)."""
    out = []
    for column, value in final_values(table.report).items():
        numbers = []
        for row in rows:
            text = row.get(column)
            if text in (None, ""):
                continue
            try:
                numbers.append(float(text))
            except ValueError:
                continue
        if not numbers:
            continue
        below = sum(1 for x in numbers if x < value) / len(numbers)
        equal = sum(1 for x in numbers if x == value) / len(numbers)
        out.append(Placement(table.label, column, measure_label(table.report, column), value,
                             below, equal, len(numbers)))
    return out


def notable(placements: Iterable[Placement]) -> list[Placement]:
    """The placements worth a sentence: rarer than :data:`EXTREME` either way."""
    return [p for p in placements if p.below >= EXTREME or 1 - p.below - p.equal >= EXTREME]


# -- HTML -------------------------------------------------------------------------------------
def _e(text: object) -> str:
    return escape(str(text), quote=True)


EXTRA_CSS = """
.tables{table-layout:fixed;width:100%}.tables td{font-size:13px;overflow-wrap:anywhere}.tables th{font-size:13px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:14px}
.card{border:1px solid #ccc;border-radius:4px;padding:8px 12px;background:#fcfcfc}
.card h3{margin:4px 0 8px}
.rare{background:#fff3c4}
"""


def _scores_cell(report: Report, faction: str) -> str:
    score = next((s for s in report.scores if s.faction == faction), None)
    if score is None:
        return "<td class=\"num\">—</td>"
    win = " class=\"num win\"" if faction in report.winners else " class=\"num\""
    return f"<td{win}>{score.total}</td>"


def _side_by_side(d: Debrief) -> str:
    head = "".join(f"<th>{_e(t.label)}</th>" for t in d.tables)
    rows = [("Seed", [str(t.report.seed) for t in d.tables]),
            ("Seats", [t.seats.replace(",", ", ") for t in d.tables]),
            ("The US path", [path_words(t.report) for t in d.tables]),
            ("Ending", [f"{t.report.result} (turn {t.report.last_turn} of {t.report.length})"
                        for t in d.tables]),
            ("Winners", [", ".join(d.faction_names.get(w, w) for w in t.report.winners) or "—"
                         for t in d.tables]),
            ("White-cell interventions", [str(len(interventions(t.report))) for t in d.tables])]
    body = "".join(f"<tr><th>{_e(name)}</th>" + "".join(f"<td>{_e(v)}</td>" for v in values)
                   + "</tr>" for name, values in rows)
    for faction in d.factions:
        body += (f"<tr><th>{_e(d.faction_names.get(faction, faction))} score</th>"
                 + "".join(_scores_cell(t.report, faction) for t in d.tables) + "</tr>")
    return (f'<h2>The tables side by side</h2><table class="tables"><tr><th></th>{head}</tr>'
            f"{body}</table>")


def _step_line(report: Report, s: Step) -> str:
    who = report.name(s.actor)
    if s.kind != "move":
        who = f"{s.kind.capitalize()} ({who})" if s.actor else s.kind.capitalize()
    swing = ""
    if s.swing:
        side = "up" if s.swing > 0 else "down"
        swing = (f' <span class="swing {side}">{s.swing:+d} '
                 f"{_e(report.faction_names.get(s.swing_faction, s.swing_faction or ''))}</span>")
    rationale = f' <span class="rationale">— {_e(s.rationale)}</span>' if s.rationale else ""
    return (f"<li>Turn {s.turn}: <span class=\"who\">{_e(who)}</span>"
            f"<span class=\"mv\">{_e(s.text)}</span>{swing}{rationale}</li>")


def _per_table(d: Debrief) -> str:
    cards = []
    for t in d.tables:
        r = t.report
        tps = "".join(_step_line(r, s) for s in turning_points(r)) or "<li>none</li>"
        acts = interventions(r)
        ints = "".join(_step_line(r, s) for s in acts) + "".join(
            f"<li>Turn {turn}: <span class=\"who\">Note</span>{_e(text)}</li>"
            for turn, text in white_notes(r))
        ints = ints or "<li>none</li>"
        cards.append(f'<div class="card"><h3>{_e(t.label)}</h3>'
                     f"<p class=\"sub\">{_e(r.result)}</p>"
                     f"<b>Turning points</b><ol>{tps}</ol>"
                     f"<b>The white cell</b><ol>{ints}</ol></div>")
    return f'<h2>Turning points and the white cell, table by table</h2><div class="cols">{"".join(cards)}</div>'


RARE = ' class="rare"'


def _study(d: Debrief) -> str:
    if not d.study:
        return ""
    if not d.placements:
        return (f"<h2>Against the study</h2><p class=\"sub\">{_e(d.study)}: no column of its "
                f"{d.study_games} games matches these tables' scores or tracks.</p>")
    out = [f"<h2>Against the study</h2><p class=\"sub\">Where each table's final scores and "
           f"tracks fall among the {d.study_games} simulated games of {_e(d.study)}.</p>"]
    for t in d.tables:
        mine = [p for p in d.placements if p.table == t.label]
        rare = notable(mine)
        lines = "".join(f"<li>{_e(p.sentence())}</li>" for p in rare) or \
            "<li>every score and track within the usual range of the study</li>"
        rows = "".join(
            f"<tr{RARE if p in rare else ''}><td>{_e(p.label)}</td>"
            f"<td class=\"num\">{p.value}</td><td class=\"num\">{p.below:.0%}</td>"
            f"<td class=\"num\">{p.equal:.0%}</td></tr>"
            for p in mine if p.measure.startswith("score:") or p in rare)
        games = mine[0].games if mine else 0
        out.append(f"<h3>{_e(t.label)}</h3><p class=\"sub\">Against {games} games"
                   f"{' with the same seats' if games != d.study_games else ''}.</p>"
                   f"<ul>{lines}</ul><table><tr><th>measure</th>"
                   f"<th>this table</th><th>games below</th><th>games level</th></tr>{rows}"
                   f"</table>")
    return "".join(out)


def _charts(charts: Mapping[str, str]) -> str:
    if not charts:
        return ""
    imgs = "".join(f'<h3>{_e(title)}</h3><img src="{_e(name)}" alt="{_e(title)}">'
                   for name, title in charts.items())
    return f'<h2>Charts</h2><div class="charts">{imgs}</div>'


def render_html(d: Debrief, charts: Mapping[str, str], footer: str = "") -> str:
    title = f"Debrief across tables — {d.title}"
    legend = "".join(f'<span style="border-left:14px solid {TABLE_COLOURS[i % len(TABLE_COLOURS)]}">'
                     f"{_e(t.label)}</span>" for i, t in enumerate(d.tables))
    body = (f"<h1>{_e(title)}</h1><p class=\"sub\">{len(d.tables)} tables, each replayed "
            f"from its save and verified; everything visible (the white cell's view).</p>"
            f'<p class="legend">{legend}</p>'
            + _side_by_side(d) + _charts(charts) + _per_table(d) + _study(d)
            + f"<footer>{_e(footer or 'Made by Crossroads from replays of the tables.')}</footer>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}{EXTRA_CSS}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


# -- Markdown ---------------------------------------------------------------------------------
def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(d: Debrief, charts: Mapping[str, str]) -> str:
    out = [f"# Debrief across tables — {d.title}", ""]
    out += ["| | " + " | ".join(_md(t.label) for t in d.tables) + " |",
            "|---|" + "---|" * len(d.tables)]
    out.append("| seed | " + " | ".join(str(t.report.seed) for t in d.tables) + " |")
    out.append("| seats | " + " | ".join(_md(t.seats) for t in d.tables) + " |")
    out.append("| the US path | " + " | ".join(_md(path_words(t.report)) for t in d.tables) + " |")
    out.append("| ending | " + " | ".join(_md(f"{t.report.result} (turn {t.report.last_turn})")
                                           for t in d.tables) + " |")
    out.append("| winners | " + " | ".join(_md(", ".join(t.report.winners) or "—")
                                            for t in d.tables) + " |")
    for faction in d.factions:
        cells = []
        for t in d.tables:
            score = next((s.total for s in t.report.scores if s.faction == faction), None)
            cells.append("—" if score is None else str(score))
        out.append(f"| {_md(d.faction_names.get(faction, faction))} score | " + " | ".join(cells)
                   + " |")
    out.append("")
    for name, title in charts.items():
        out += [f"![{_md(title)}]({name})", ""]
    for t in d.tables:
        r = t.report
        out += [f"## {t.label}", "", f"{r.result}", "", "Turning points:", ""]
        out += [f"- turn {s.turn}: {r.name(s.actor)} {s.text}" + (f" ({s.swing:+d})" if s.swing else "")
                for s in turning_points(r)] or ["- none"]
        out += ["", "The white cell:", ""]
        out += [f"- turn {s.turn}: {s.kind} {s.text}" + (f" — {s.rationale}" if s.rationale else "")
                for s in interventions(r)] + [f"- turn {turn}: note {text}"
                                              for turn, text in white_notes(r)] or ["- none"]
        if d.study:
            mine = [p for p in d.placements if p.table == t.label]
            games = mine[0].games if mine else 0
            same = " with the same seats" if games != d.study_games else ""
            out += ["", f"Against the study ({games} of its {d.study_games} games{same}):", ""]
            out += [f"- {p.sentence()}" for p in notable(mine)] \
                or ["- within the usual range on every score and track"]
        out.append("")
    return "\n".join(out)
