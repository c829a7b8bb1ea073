"""Charts of a report: every track over the game, as PNG images (matplotlib, Agg).

The only module of the project that imports matplotlib, and it selects the
Agg backend before pyplot is ever touched, so it never needs a display.  It
returns image bytes; :mod:`engine.report.export` writes them.

Charts, from the report's series (points: the start, then after each step):

* each faction's resources (the tracks it owns), a panel each;
* the situation: shared tracks on a 0–10 scale;
* the status tracks: every other shared track, a lane each;

each with the band track (the US posture) shaded behind the lines and the
turns marked along the bottom.
"""

from __future__ import annotations

import io
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (no pyplot: no global figure state)

from engine.report.debrief import TABLE_COLOURS  # noqa: E402
from engine.report.timeline import Report, Series  # noqa: E402

BAND_COLOURS = ("#dcefdc", "#fbe8c0", "#f6cfcf", "#dcdcf0", "#eeeeee")
LINE_COLOURS = ("#1f5fa8", "#c2541b", "#2f8f3a", "#8a3ea8", "#a8871f", "#1f8f8f", "#a81f4f",
                "#555555", "#6a8f1f", "#1f2fa8")
DPI = 96


def _turn_ticks(ax, report: Report) -> None:
    ticks, labels, seen = [], [], set()
    for x, turn in enumerate(report.points):
        if turn not in seen:
            seen.add(turn)
            ticks.append(x)
            labels.append(f"T{turn}")
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_xlim(0, max(1, len(report.points) - 1))
    ax.grid(axis="x", color="#cccccc", linewidth=0.5)


def _band(ax, report: Report) -> list:
    """Shade the band track's spans; return legend handles."""
    band = report.band
    if band is None:
        return []
    handles, shown = [], set()
    start = 0
    values = band.values
    for x in range(1, len(values) + 1):
        if x == len(values) or values[x] != values[start]:
            value = values[start]
            if value is None:
                colour, label = BAND_COLOURS[-1], "not known"
            else:
                colour = BAND_COLOURS[min(value - band.lo, len(BAND_COLOURS) - 1)]
                label = band.steps[value] if band.steps else str(value)
            patch = ax.axvspan(start, max(x - 1, start) + (1 if x < len(values) else 0.0001),
                               color=colour, linewidth=0, zorder=0,
                               label=None if label in shown else f"{band.label}: {label}")
            if label not in shown:
                shown.add(label)
                handles.append(patch)
            start = x
    return handles


def _ys(values) -> list[float]:
    """Values to plot: an unknown value leaves a gap."""
    return [float("nan") if v is None else v for v in values]


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _legend(ax, band_handles: list, band_legend: bool = True) -> None:
    handles = ax.get_legend_handles_labels()[0][len(band_handles):]
    if band_legend:  # once per figure: every panel shades the same band
        handles += band_handles
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              handles=handles)


def _draw_lines(ax, report: Report, series: list[Series], title: str, band_legend: bool) -> None:
    band_handles = _band(ax, report)
    xs = range(len(report.points))
    for i, s in enumerate(series):
        label = s.label if s.known else f"{s.label} (not known to this seat)"
        ax.step(xs, _ys(s.values), where="post", color=LINE_COLOURS[i % len(LINE_COLOURS)],
                linewidth=1.8, label=label)
    lo = min(s.lo for s in series)
    hi = max(s.hi for s in series)
    ax.set_ylim(lo - 0.3, hi + 0.3)
    ax.set_title(title, fontsize=9, loc="left", y=1.0)  # a fixed y skips costly auto-placement
    ax.tick_params(axis="y", labelsize=7)
    _legend(ax, band_handles, band_legend)


def _lines(report: Report, groups: list[tuple[str, list[Series]]]) -> bytes:
    """One panel per group, sharing the turns along the bottom."""
    fig = Figure(figsize=(9.5, 2.1 * len(groups) + 0.4))
    axes = fig.subplots(len(groups), 1, squeeze=False, sharex=True)[:, 0]
    for i, (ax, (title, series)) in enumerate(zip(axes, groups)):
        _draw_lines(ax, report, series, title, band_legend=i == 0)
    _turn_ticks(axes[-1], report)
    fig.subplots_adjust(left=0.05, right=0.70, top=1 - 0.3 / fig.get_figheight(),
                        bottom=0.35 / fig.get_figheight(), hspace=0.35)
    return _png(fig)


def _lanes(report: Report, series: list[Series], title: str) -> bytes:
    """Small tracks as lanes of one panel: each step line scaled into its own row."""
    fig = Figure(figsize=(9.5, 0.42 * len(series) + 0.9))
    ax = fig.add_subplot()
    _band(ax, report)
    xs = range(len(report.points))
    n = len(series)
    last = len(report.points) - 1
    for i, s in enumerate(series):
        base = n - 1 - i
        span = max(1, s.hi - s.lo)
        ys = _ys(base + 0.12 + 0.76 * (v - s.lo) / span if v is not None else None
                 for v in s.values)
        ax.step(xs, ys, where="post", color=LINE_COLOURS[i % len(LINE_COLOURS)], linewidth=1.6)
        ax.axhline(base, color="#bbbbbb", linewidth=0.5)
        final = s.values[-1]
        text = ("not known" if final is None else s.steps[final] if s.steps
                else f"{final} of {s.hi}")
        ax.text(last + 0.5, base + 0.5, text, fontsize=7, va="center", ha="left")
    ax.set_ylim(0, n)
    ax.set_yticks([n - 1 - i + 0.5 for i in range(n)])
    ax.set_yticklabels([s.label for s in series], fontsize=7)
    ax.tick_params(axis="y", length=0)
    ax.set_title(title + " (each lane from its lowest to its highest value; final value at right)",
                 fontsize=9, loc="left", y=1.0)
    _turn_ticks(ax, report)
    fig.subplots_adjust(left=0.24, right=0.84, top=1 - 0.35 / fig.get_figheight(),
                        bottom=0.35 / fig.get_figheight())
    return _png(fig)


def chart_groups(report: Report) -> list[tuple[str, str, list[Series]]]:
    """(group, title, series) of each panel; every track but the band is in one."""
    band_key = report.band.key if report.band else None
    groups: list[tuple[str, str, list[Series]]] = []
    for faction in report.factions:
        owned = [s for s in report.series if s.owner == faction and s.key != band_key]
        if owned:
            groups.append(("resources", f"{report.faction_names[faction]}: resources", owned))
    shared = [s for s in report.series if s.owner not in report.factions and s.key != band_key]
    scale = [s for s in shared if not s.steps and s.hi - s.lo >= 8]
    rest = [s for s in shared if s not in scale]
    if scale:
        groups.append(("situation", "The situation", scale))
    if rest:
        groups.append(("status", "Status tracks", rest))
    return groups


CHARTS = {"resources": "Each faction's resources", "situation": "The situation",
          "status": "Status tracks"}


def render(report: Report) -> dict[str, bytes]:
    """File name -> PNG bytes of every chart of ``report``."""
    groups = chart_groups(report)
    out = {}
    resources = [(title, series) for group, title, series in groups if group == "resources"]
    situation = [(title, series) for group, title, series in groups if group == "situation"]
    if resources:
        out["resources.png"] = _lines(report, resources)
    if situation:
        out["situation.png"] = _lines(report, situation)
    for group, title, series in groups:
        if group == "status":
            out["status.png"] = _lanes(report, series, title)
    return out


# -- the debrief of a class: every table on shared charts -------------------------------
def _table_x(report: Report) -> list[float]:
    """Each point's place on a turn axis: turn T's points spread over [T, T+1)."""
    counts: dict[int, int] = {}
    for turn in report.points:
        counts[turn] = counts.get(turn, 0) + 1
    seen: dict[int, int] = {}
    xs = []
    for turn in report.points:
        k = seen.get(turn, 0)
        seen[turn] = k + 1
        xs.append(turn + k / counts[turn])
    return xs


def debrief(tables) -> dict[str, bytes]:
    """Charts of a class's debrief (:mod:`engine.report.debrief`):
    ``tracks.png`` (each shared track, a panel, a line per table) and
    ``scores.png`` (each faction's final score, a bar per table)."""
    reports = [(t.label, t.report) for t in tables]
    first = reports[0][1]
    keys = [s.key for s in first.series if s.owner not in first.factions and s.hi - s.lo >= 3]
    if first.band is not None:
        keys.insert(0, first.band.key)
    keys = keys[:12]
    cols = 3
    rows = max(1, -(-len(keys) // cols))
    fig = Figure(figsize=(11.5, 2.3 * rows), dpi=DPI)
    for i, key in enumerate(keys):
        ax = fig.add_subplot(rows, cols, i + 1)
        label = key
        for j, (name, report) in enumerate(reports):
            series = next((s for s in report.series if s.key == key), None)
            if series is None:
                continue
            label = series.label
            ax.step(_table_x(report), _ys(series.values), where="post", linewidth=1.6,
                    color=TABLE_COLOURS[j % len(TABLE_COLOURS)], label=name)
            if series.steps:
                ax.set_yticks(range(series.lo, series.hi + 1))
                ax.set_yticklabels([s[:14] for s in series.steps], fontsize=7)
            ax.set_ylim(series.lo - 0.3, series.hi + 0.3)
        ax.set_title(label, fontsize=10)
        ax.tick_params(labelsize=8)
        ax.set_xlim(1, max(r.length for _, r in reports) + 1)
        ax.grid(True, alpha=0.3)
        if i == 0:
            ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    out = {"tracks.png": _png(fig)}
    fig = Figure(figsize=(9, 3.2), dpi=DPI)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / max(1, len(reports))
    for j, (name, report) in enumerate(reports):
        totals = {s.faction: s.total for s in report.scores}
        xs = [k + j * width for k in range(len(first.factions))]
        ax.bar(xs, [totals.get(f, 0) for f in first.factions], width,
               color=TABLE_COLOURS[j % len(TABLE_COLOURS)], label=name)
    ax.set_xticks([k + width * (len(reports) - 1) / 2 for k in range(len(first.factions))])
    ax.set_xticklabels([first.faction_names[f] for f in first.factions], fontsize=9)
    ax.set_ylabel("final score")
    ax.legend(fontsize=8)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    out["scores.png"] = _png(fig)
    return out


DEBRIEF_CHARTS = {"tracks.png": "The tracks of every table", "scores.png": "Final scores"}
