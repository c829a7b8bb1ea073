"""A study report's charts (matplotlib, Agg), as PNG bytes by file name.

* ``outcomes.png`` — endings and winners by cell, shares with 95% intervals;
* ``finals.png`` — final values of the monthly tracks and every faction's score, by path (box plots);
* ``trajectories.png`` — each monthly track over the months: median and 10–90% band by path;
* ``tornado.png`` — each factor level's paired effect on the study's outcome, with its 95% interval.
"""

from __future__ import annotations

import io
import math
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (no pyplot: no global figure state)

from engine.study.analysis import Analysis  # noqa: E402

COLOURS = ("#1f5fa8", "#c2541b", "#2f8f3a", "#8a3ea8", "#a8871f", "#1f8f8f", "#a81f4f", "#555555")
ENDING_COLOURS = {"time": "#8c8c8c", "war": "#c0392b", "collapse": "#e0a030", "withdrawal": "#2f6fb0"}
DPI = 96


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _bars(ax, a: Analysis, groups: list[str], share, colour) -> None:
    n_cells = len(a.cells)
    width = 0.8 / max(1, len(groups))
    for j, g in enumerate(groups):
        xs, ps, lo, hi = [], [], [], []
        for i, c in enumerate(a.cells):
            s = share(c, g)
            l, h = s.ci
            xs.append(i - 0.4 + width * (j + 0.5))
            ps.append(s.p)
            lo.append(s.p - l)
            hi.append(h - s.p)
        ax.bar(xs, ps, width, color=colour(j, g), label=g, yerr=[lo, hi], ecolor="#333333",
               error_kw={"elinewidth": 0.6, "capsize": 1.5})
    ax.set_xticks(range(n_cells))
    ax.set_xticklabels([str(c.index) for c in a.cells], fontsize=7)
    ax.set_xlim(-0.6, n_cells - 0.4)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of games", fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    ax.legend(fontsize=7, ncol=len(groups), loc="upper right")


def outcomes(a: Analysis) -> bytes:
    fig = Figure(figsize=(11, 6.2))
    ax1, ax2 = fig.subplots(2, 1)
    _bars(ax1, a, list(a.endings), lambda c, e: c.endings[e],
          lambda j, e: ENDING_COLOURS.get(e, COLOURS[j % len(COLOURS)]))
    ax1.set_title("Endings by cell (95% Wilson intervals)", fontsize=10)
    _bars(ax2, a, list(a.factions), lambda c, f: c.winners[f], lambda j, f: COLOURS[j % len(COLOURS)])
    ax2.set_title("Winners by cell (ties count for every tied faction)", fontsize=10)
    ax2.set_xlabel("cell (see the table of cells)", fontsize=8)
    fig.tight_layout()
    return _png(fig)


def finals(a: Analysis) -> bytes:
    cols = list(a.finals)
    ncols = 3
    nrows = max(1, math.ceil(len(cols) / ncols))
    fig = Figure(figsize=(11, 2.6 * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, col in zip(axes, cols):
        data = a.finals[col]
        labels = list(data)
        ax.boxplot([data[lv] or [float("nan")] for lv in labels], showmeans=True, widths=0.6,
                   medianprops={"color": "#c2541b"},
                   meanprops={"marker": "D", "markersize": 4, "markerfacecolor": "#1f5fa8",
                              "markeredgecolor": "#1f5fa8"})
        ax.set_xticks(range(1, len(labels) + 1))
        ax.set_xticklabels(labels, fontsize=7)
        ax.set_title(f"final {col.replace(':', ' ')}", fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    for ax in axes[len(cols):]:
        ax.set_visible(False)
    fig.suptitle(f"Final values by {a.path.name if a.path else 'study'} (box: quartiles; "
                 f"line: median; diamond: mean)", fontsize=10)
    fig.tight_layout()
    return _png(fig)


def trajectories(a: Analysis) -> bytes:
    tracks = list(dict.fromkeys(b.track for b in a.bands))
    ncols = 2
    nrows = max(1, math.ceil(len(tracks) / ncols))
    fig = Figure(figsize=(11, 2.8 * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, track in zip(axes, tracks):
        for j, b in enumerate(x for x in a.bands if x.track == track):
            colour = COLOURS[j % len(COLOURS)]
            ax.fill_between(b.months, b.p10, b.p90, color=colour, alpha=0.15, linewidth=0)
            ax.plot(b.months, b.median, color=colour, linewidth=1.6, label=b.level)
        ax.set_title(f"{track} at the start of each month", fontsize=9)
        ax.set_xlabel("month", fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(color="#dddddd", linewidth=0.5)
        ax.legend(fontsize=7)
    for ax in axes[len(tracks):]:
        ax.set_visible(False)
    fig.suptitle("Monthly trajectories: median (line) and 10\u201390% band", fontsize=10)
    fig.tight_layout()
    return _png(fig)


def tornado(a: Analysis) -> bytes:
    diffs = [d for d in a.tornado if d.n > 0 and not math.isnan(d.mean)]
    fig = Figure(figsize=(9, 0.42 * len(diffs) + 1.4))
    ax = fig.subplots()
    labels = [f"{d.factor}: {d.level} (vs {d.baseline})" for d in diffs]
    ys = list(range(len(diffs)))[::-1]
    for y, d in zip(ys, diffs):
        colour = "#2f8f3a" if d.mean >= 0 else "#c0392b"
        ax.barh(y, d.mean, color=colour, alpha=0.85 if d.excludes_zero else 0.4, height=0.6)
        if not math.isnan(d.lo):
            ax.plot([d.lo, d.hi], [y, y], color="#222222", linewidth=1)
    ax.axvline(0, color="#222222", linewidth=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel(f"paired effect on {a.study.outcome} (mean difference; line: 95% interval)", fontsize=8)
    ax.set_title("Tornado: what each factor level changes, from the baseline", fontsize=10)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    fig.tight_layout()
    return _png(fig)


def render(a: Analysis) -> dict[str, bytes]:
    charts = {"outcomes.png": outcomes(a), "finals.png": finals(a)}
    if a.bands:
        charts["trajectories.png"] = trajectories(a)
    if a.tornado:
        charts["tornado.png"] = tornado(a)
    return charts
