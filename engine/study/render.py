"""A study report as Markdown and as one self-contained HTML page (the after-action
report's look: its stylesheet, inline; charts are PNG files beside the page).  Pure.

Both are built from the same sections, so every number appears identically
in each; every number traces to ``games.csv`` by the rules in
:mod:`engine.study.analysis`.
"""

from __future__ import annotations

import math
from html import escape

import attrs

from engine.report.html import CSS as REPORT_CSS
from engine.study.analysis import Analysis, Diff, Share

CSS = REPORT_CSS + """
.sig{background:#fff3c4;font-weight:bold}
.explain{color:#444;font-size:13px;max-width:900px}
table.wide td,table.wide th{font-size:12px;padding:3px 6px}
"""
MARK = "\u25c6"  # marks an interval that excludes zero


@attrs.frozen(slots=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    marked: tuple[bool, ...] = ()  # rows to highlight


@attrs.frozen(slots=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[tuple[str, str], ...] = ()   # (file, alt text)


def pct(share: Share) -> str:
    lo, hi = share.ci
    return f"{100 * share.p:.1f}% ({100 * lo:.1f}\u2013{100 * hi:.1f})"


def num(x: float, signed: bool = False) -> str:
    if math.isnan(x):
        return "\u2013"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def diff_cells(d: Diff) -> tuple[str, str, str]:
    interval = f"{num(d.lo, True)} to {num(d.hi, True)}"
    return str(d.n), num(d.mean, True), interval + (f" {MARK}" if d.excludes_zero else "")


def sections(a: Analysis, command: str, summary: str) -> list[Section]:
    s = a.study
    out: list[Section] = []
    intro = [s.description.replace("\n", " ").strip()] if s.description.strip() else []
    intro.append(f"{a.n_games} games in {len(s.cells)} cells, seeds {s.first_seed}\u2013"
                 f"{s.first_seed + s.games - 1} in every cell (so any two cells are paired game by game). "
                 f"Outcome of the comparisons and the tornado: **{s.outcome}**. Endings over all games: "
                 + ", ".join(f"{e} {a.ending_counts[e]}" for e in a.endings) + ".")
    intro.append(f"Made by `{command}`; {summary}. Every game is a row of `games.csv`.")
    out.append(Section("Study", tuple(intro)))

    head = ("cell", *[f.name for f in s.factors], "games", *[f"ending {e}" for e in a.endings],
            *[f"{f} wins" for f in a.factions], f"mean {s.outcome}")
    rows = tuple((str(c.index), *c.levels, str(c.n), *[pct(c.endings[e]) for e in a.endings],
                  *[pct(c.winners[f]) for f in a.factions],
                  f"{num(c.outcome[0])} ({num(c.outcome[1])}\u2013{num(c.outcome[2])})")
                 for c in a.cells)
    out.append(Section("Outcomes by cell", (
        "Share of games with each ending and each winner, with the 95% Wilson interval in brackets; "
        "a tie counts as a win for every tied faction. The mean outcome carries a 95% interval "
        "(mean \u00b1 1.96\u00b7sd/\u221an).",), (Table(head, rows),), (("outcomes.png", "Endings and winners by cell"),)))

    if s.factors:
        dh = ("factor", "level", "vs baseline", "measure", "pairs", "mean difference", "95% interval")
        drows = tuple((d.factor, d.level, d.baseline, d.measure, *diff_cells(d)) for d in a.diffs)
        tables = [Table(dh, drows, tuple(d.excludes_zero for d in a.diffs))]
        paragraphs = [
            "Each level of each factor against the factor's baseline (its first level), **paired**: a game "
            "is compared with the game on the same seed with the baseline level and every other factor "
            "the same, and the table gives the mean of those differences over all such pairs, with its "
            f"95% interval (mean \u00b1 1.96\u00b7sd/\u221an). {MARK} and a highlighted row: the interval "
            "excludes zero. Wins and endings are 0/1, so their differences are differences of shares."]
        if a.by_cell:
            bh = ("level", "vs baseline", "other factors", "pairs", f"mean difference in {s.outcome}",
                  "95% interval")
            brows = tuple((d.level, d.baseline, d.where, *diff_cells(d)) for d in a.by_cell)
            tables.append(Table(bh, brows, tuple(d.excludes_zero for d in a.by_cell)))
            paragraphs.append(f"The second table splits the {a.path.name} comparison on {s.outcome} "
                              "by the levels of the other factors.")
        out.append(Section("Compared with the baseline", tuple(paragraphs), tuple(tables)))

    out.append(Section("Final tracks and scores", (
        f"Distributions of the final values by {a.path.name if a.path else 'study'}, pooled over the other "
        "factors.",), (), (("finals.png", "Final values by path"),)))
    if a.bands:
        out.append(Section("Monthly trajectories", (
            "Each named track at the start of each month (after the month's event card): the median "
            "over the games still running, and the band from the 10th to the 90th percentile.",),
            (), (("trajectories.png", "Monthly trajectories"),)))
    if a.tornado:
        th = ("factor", "level", "vs baseline", "pairs", f"effect on {s.outcome}", "95% interval")
        trows = tuple((d.factor, d.level, d.baseline, *diff_cells(d)) for d in a.tornado)
        out.append(Section("Tornado: what moves the outcome", (
            f"Each factor level's paired effect on {s.outcome}, largest first (the same numbers as the "
            "comparison table). Faded bars: the interval includes zero.",),
            (Table(th, trows, tuple(d.excludes_zero for d in a.tornado)),), (("tornado.png", "Tornado chart"),)))

    paragraphs = [
        "For each ending other than the last month passing, the move kinds (times played per month "
        "of the game, so that short games compare with long ones) and event cards (played or not) that "
        "most separate the games ending that way from all the others. "
        "The statistic is the **standardised difference**: (mean in those games \u2212 mean in the "
        "others) \u00f7 the standard deviation over all games. A size above about 0.5 is a large "
        "separation; it shows what goes with an ending, not what causes it (a card drawn late "
        "is never played in a game that ends early)."]
    tables = []
    for e, found in a.drivers.items():
        tables.append(Table((f"{e} ({a.ending_counts[e]} of {a.n_games} games): move kind or card",
                             "mean in these games", "mean in the others",
                             "standardised difference"),
                            tuple((d.feature, num(d.mean_in), num(d.mean_out), num(d.std_diff, True))
                                  for d in found), tuple(abs(d.std_diff) >= 0.5 for d in found)))
    if not a.drivers:
        paragraphs.append("Every game ended the same way: nothing to separate.")
    out.append(Section("What drives the ending", tuple(paragraphs), tuple(tables)))
    return out


def markdown(a: Analysis, command: str, summary: str) -> str:
    lines = [f"# {a.study.title}", ""]
    for sec in sections(a, command, summary):
        lines += [f"## {sec.title}", ""]
        for p in sec.paragraphs:
            lines += [p, ""]
        for t in sec.tables:
            lines.append("| " + " | ".join(t.head) + " |")
            lines.append("|" + "---|" * len(t.head))
            for row in t.rows:
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
            lines.append("")
        for file, alt in sec.charts:
            lines += [f"![{alt}](charts/{file})", ""]
    return "\n".join(lines)


def _inline(text: str) -> str:
    """Escape, then render **bold** and `code` as the Markdown does."""
    out, parts = [], escape(text, quote=True).split("**")
    for i, part in enumerate(parts):
        code = part.split("`")
        part = "".join(f"<code>{c}</code>" if j % 2 else c for j, c in enumerate(code))
        out.append(f"<b>{part}</b>" if i % 2 else part)
    return "".join(out)


def html(a: Analysis, command: str, summary: str) -> str:
    e = escape
    body = [f"<h1>{e(a.study.title)}</h1>", f"<p class=\"sub\">Policy study \u2014 {a.n_games} games</p>"]
    for sec in sections(a, command, summary):
        body.append(f"<h2>{e(sec.title)}</h2>")
        body += [f"<p class=\"explain\">{_inline(p)}</p>" for p in sec.paragraphs]
        for t in sec.tables:
            body.append("<table class=\"wide\"><tr>" + "".join(f"<th>{e(h)}</th>" for h in t.head) + "</tr>")
            for i, row in enumerate(t.rows):
                cls = " class=\"sig\"" if t.marked and t.marked[i] else ""
                body.append(f"<tr{cls}>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
            body.append("</table>")
        if sec.charts:
            body.append("<div class=\"charts\">" + "".join(
                f"<img src=\"charts/{e(f)}\" alt=\"{e(alt)}\">" for f, alt in sec.charts) + "</div>")
    body.append("<footer>Crossroads policy study; rows in games.csv and study.sqlite; format: "
                "docs/studies.md.</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{e(a.study.title)}</title><style>{CSS}</style></head><body><main>\n"
            + "\n".join(body) + "\n</main></body></html>\n")
