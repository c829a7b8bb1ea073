"""A study's rows turned into the report's numbers.  Pure: plain values in, plain values out.

The statistics, as the report explains them:

* **shares** (an ending, a faction's win) carry Wilson's 95% score interval
  for a binomial proportion;
* a **paired difference** compares two levels of one factor on the same
  seeds with every other factor held at the same level: the mean of the
  per-game differences, and its 95% interval mean ± 1.96·sd/√n (normal
  approximation; n is the number of pairs, hundreds in a real study);
* **what drives an ending** compares games that ended that way with all
  others, for each move kind (times played per month of the game) and
  event card (played or not), by the *standardised
  difference*: (mean in those games − mean in the rest) / the standard
  deviation over all games.  Above about 0.5 in size is a large separation
  (Cohen's rule of thumb); it shows association, not cause.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import attrs

from engine.stats import Z, wilson
from engine.study.spec import Factor, Study

def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def sd(values: Sequence[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))


def mean_ci(values: Sequence[float]) -> tuple[float, float, float]:
    m = mean(values)
    if len(values) < 2:
        return m, float("nan"), float("nan")
    half = Z * sd(values) / math.sqrt(len(values))
    return m, m - half, m + half


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile with linear interpolation between order statistics."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def value(row: dict[str, Any], outcome: str) -> float:
    """The number ``outcome`` (score:F, win:F, track:NAME, ending:NAME, turn) of a row."""
    if outcome == "turn":
        return float(row["turn"])
    kind, _, name = outcome.partition(":")
    if kind == "ending":
        return float(row["ending"] == name)
    return float(row[outcome])


@attrs.frozen(slots=True)
class Share:
    k: int
    n: int

    @property
    def p(self) -> float:
        return self.k / self.n if self.n else 0.0

    @property
    def ci(self) -> tuple[float, float]:
        return wilson(self.k, self.n)


@attrs.frozen(slots=True)
class CellSummary:
    index: int
    label: str
    levels: tuple[str, ...]
    n: int
    endings: dict[str, Share]
    winners: dict[str, Share]
    outcome: tuple[float, float, float]


@attrs.frozen(slots=True)
class Diff:
    """A paired difference: level − baseline of one factor, on one measure."""

    factor: str
    level: str
    baseline: str
    measure: str
    n: int
    mean: float
    lo: float
    hi: float
    where: str = "all cells"

    @property
    def excludes_zero(self) -> bool:
        return self.n >= 2 and (self.lo > 0 or self.hi < 0)


@attrs.frozen(slots=True)
class Band:
    """A monthly track under one level of the path factor: median and 10–90% band per month."""

    track: str
    level: str
    months: tuple[int, ...]
    median: tuple[float, ...]
    p10: tuple[float, ...]
    p90: tuple[float, ...]


@attrs.frozen(slots=True)
class Driver:
    ending: str
    feature: str
    mean_in: float
    mean_out: float
    std_diff: float


@attrs.frozen(slots=True)
class Analysis:
    study: Study
    n_games: int
    endings: tuple[str, ...]
    factions: tuple[str, ...]
    cells: tuple[CellSummary, ...]
    path: Factor | None
    finals: dict[str, dict[str, list[float]]]      # column -> path level -> values
    bands: tuple[Band, ...]
    diffs: tuple[Diff, ...]                         # pooled over the other factors
    by_cell: tuple[Diff, ...]                       # the path factor on the outcome, per other cell
    tornado: tuple[Diff, ...]                       # every factor level on the outcome, pooled
    drivers: dict[str, tuple[Driver, ...]]
    ending_counts: dict[str, int]


def level_label(factor: Factor, level: Any) -> str:
    text = str(level)
    if factor.kind == "seat" and text.startswith("doctrine:"):
        return text[len("doctrine:"):]
    return text


def cell_label(study: Study, levels: Iterable[Any]) -> str:
    return ", ".join(f"{f.name} {level_label(f, v)}" for f, v in zip(study.factors, levels)) or "all games"


def _factor_levels(study: Study, row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row[f.column]) for f in study.factors)


def paired(study: Study, rows: list[dict[str, Any]], k: int, level: Any, measure: str,
           where: dict[int, str] | None = None) -> list[tuple[str, float]]:
    """(other-levels label, level − baseline) per pair for factor ``k``."""
    factor = study.factors[k]
    base = str(factor.baseline)
    index: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        levels = _factor_levels(study, r)
        if levels[k] == base:
            index[(levels[:k] + levels[k + 1:], r["seed"])] = r
    out = []
    for r in rows:
        levels = _factor_levels(study, r)
        if levels[k] != str(level):
            continue
        others = levels[:k] + levels[k + 1:]
        partner = index.get((others, r["seed"]))
        if partner is not None:
            out.append((", ".join(others), value(r, measure) - value(partner, measure)))
    return out


def _diff(factor: Factor, level: Any, measure: str, values: list[float], where: str = "all cells") -> Diff:
    m, lo, hi = mean_ci(values)
    return Diff(factor.name, level_label(factor, level), level_label(factor, factor.baseline), measure,
                len(values), m, lo, hi, where)


def endings_of(rows: list[dict[str, Any]], study: Study) -> tuple[str, ...]:
    seen = sorted({r["ending"] for r in rows}, key=lambda e: (e != "time", e))
    return tuple(seen)


def analyse(study: Study, rows: list[dict[str, Any]], factions: Sequence[str]) -> Analysis:
    factions = tuple(factions)
    endings = endings_of(rows, study)
    by_cell: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_cell.setdefault(r["cell"], []).append(r)
    cells = []
    for c in study.cells:
        rs = by_cell.get(c.index, [])
        n = len(rs)
        cells.append(CellSummary(
            c.index, cell_label(study, c.levels), tuple(level_label(f, v) for f, v in zip(study.factors, c.levels)),
            n, {e: Share(sum(r["ending"] == e for r in rs), n) for e in endings},
            {f: Share(sum(int(r[f"win:{f}"]) for r in rs), n) for f in factions},
            mean_ci([value(r, study.outcome) for r in rs])))

    path = study.factors[0] if study.factors else None

    def path_level(r: dict[str, Any]) -> str:
        return level_label(path, r[path.column]) if path is not None else "all games"

    path_levels = [level_label(path, v) for v in path.levels] if path is not None else ["all games"]
    final_cols = [f"track:{t}" for t in study.monthly] + [f"score:{f}" for f in factions]
    finals = {col: {lv: [float(r[col]) for r in rows if path_level(r) == lv] for lv in path_levels}
              for col in final_cols}

    bands = []
    longest = max((c.turns for c in study.cells), default=study.turns)
    for track in study.monthly:
        for lv in path_levels:
            rs = [r for r in rows if path_level(r) == lv]
            months, med, p10, p90 = [], [], [], []
            for m in range(1, longest + 1):
                vals = [float(r[f"month:{m}:{track}"]) for r in rs
                        if r.get(f"month:{m}:{track}") not in (None, "")]
                if vals:
                    months.append(m)
                    med.append(quantile(vals, 0.5))
                    p10.append(quantile(vals, 0.1))
                    p90.append(quantile(vals, 0.9))
            bands.append(Band(track, lv, tuple(months), tuple(med), tuple(p10), tuple(p90)))

    measures = [study.outcome] + [f"score:{f}" for f in factions if f"score:{f}" != study.outcome] + \
        [f"win:{f}" for f in factions if f"win:{f}" != study.outcome] + \
        [f"ending:{e}" for e in endings if e != "time" and f"ending:{e}" != study.outcome]
    diffs, tornado, per_cell = [], [], []
    for k, factor in enumerate(study.factors):
        for level in factor.levels[1:]:
            for measure in measures:
                pairs = paired(study, rows, k, level, measure)
                d = _diff(factor, level, measure, [v for _, v in pairs])
                diffs.append(d)
                if measure == study.outcome:
                    tornado.append(d)
                    if k == 0 and len(study.factors) > 1:
                        groups: dict[str, list[float]] = {}
                        for label, v in pairs:
                            groups.setdefault(label, []).append(v)
                        for label, vals in groups.items():
                            per_cell.append(_diff(factor, level, measure, vals, label))

    drivers = {}
    features = [c for c in rows[0] if c.startswith(("moves:", "card:"))] if rows else []
    counts = {e: sum(r["ending"] == e for r in rows) for e in endings}
    for e in endings:
        if e == "time" or counts[e] == 0 or counts[e] == len(rows):
            continue
        found = []
        for feat in features:
            if feat.startswith("moves:"):  # per month played: a short game plays fewer moves
                xs = [float(r[feat]) / max(1, int(r["turn"])) for r in rows]
            else:
                xs = [float(r[feat]) for r in rows]
            spread = sd(xs)
            if spread == 0:
                continue
            inside = [x for x, r in zip(xs, rows) if r["ending"] == e]
            outside = [x for x, r in zip(xs, rows) if r["ending"] != e]
            found.append(Driver(e, feat, mean(inside), mean(outside), (mean(inside) - mean(outside)) / spread))
        found.sort(key=lambda d: (-abs(d.std_diff), d.feature))
        drivers[e] = tuple(found[:8])
    return Analysis(study, len(rows), endings, factions, tuple(cells), path, finals, tuple(bands),
                    tuple(diffs), tuple(per_cell), tuple(sorted(tornado, key=lambda d: -abs(d.mean)
                                                                 if not math.isnan(d.mean) else 0)),
                    drivers, counts)
