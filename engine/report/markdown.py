"""The report's Markdown summary: the outcome, the turning points, a line per
step and every note — short enough to paste into the exercise's minutes.
Pure: returns a string."""

from __future__ import annotations

from engine.report.timeline import Annotation, Report, Step


def _md(text: str) -> str:
    """Text safe inside Markdown (no stray emphasis, tables or HTML)."""
    out = []
    for ch in str(text):
        out.append("\\" + ch if ch in "\\`*_[]<>|#" else ch)
    return "".join(out).replace("\n", " ")


def _note(report: Report, a: Annotation) -> str:
    kind = {"inject": "White-cell inject", "override": "Override"}.get(a.kind, a.kind.capitalize())
    author = f" by {report.name(a.author)}" if a.author else ""
    rationale = f" — rationale: {_md(a.rationale)}" if a.rationale else ""
    return f"  - *{kind}{author}:* {_md(a.text)}{rationale}"


def _step(report: Report, s: Step) -> list[str]:
    odds = ""
    if s.odds is not None:
        odds = " — odds " + ", ".join(f"{t} {round(p * 100)}%" for t, p in s.odds.chances)
    swing = ""
    if s.swing:
        swing = f" — **{report.name(s.swing_faction)} margin {s.swing:+d}**"
    outcome = next((line.strip() for line in s.lines if "\u2192" in line and "vs" in line), "")
    outcome = f" — {_md(outcome)}" if outcome else ""
    kind = "" if s.kind == "move" else f"{s.kind}: "
    lines = [f"- {s.index}. {report.name(s.actor)}: {kind}`{s.text}`{odds}{outcome}{swing}"]
    if s.rationale:
        lines.append(f"  - *Rationale:* {_md(s.rationale)}")
    lines.extend(_note(report, a) for a in s.notes)
    return lines


def render(report: Report, charts: dict[str, str]) -> str:
    r = report
    seat = "white cell (everything)" if r.reader is None else f"seat of the {r.reader_name}"
    out = [f"# After-action review — {r.title}", "",
           f"Report for the {seat}. {len(r.steps)} steps; "
           + (f"ended in turn {r.last_turn} of {r.length}." if r.over else
              f"in progress, turn {r.last_turn} of {r.length}.")
           + (f" Seed {r.seed}." if r.seed is not None else ""), "",
           "## Outcome", "", _md(r.result) + (
               f" Winner: {', '.join(r.name(w) for w in r.winners)}." if r.winners else ""), "",
           "| Faction | Score | Breakdown |", "|---|---:|---|"]
    for s in r.scores:
        terms = "; ".join(f"{p:+d} {_md(label)}" for label, p in s.breakdown)
        out.append(f"| {s.name}{' (winner)' if s.faction in r.winners else ''} | {s.total} | {terms} |")
    out += ["", "## Turning points", ""]
    if r.turning_points:
        for s in r.turning_points:
            out.append(f"- move {s.index} (turn {s.turn}), {r.name(s.actor)}: `{s.text}` — "
                       f"{r.name(s.swing_faction)} margin {s.swing:+d}")
    else:
        out.append("No single move shifted the score margins.")
    marks = [(s, a) for s in r.steps for a in s.notes if a.kind == "bookmark"]
    if marks:
        out += ["", "## Bookmarks", ""]
        out += [f"- move {s.index} (turn {s.turn}): {_md(a.text)} ({r.name(a.author)})"
                for s, a in marks]
    if charts:
        out += ["", "## Charts", ""]
        out += [f"![{title}]({name})" for name, title in charts.items()]
    out += ["", "## Timeline", ""]
    out.extend(_note(r, a).strip() for a in r.preface)
    for block in r.turns:
        band = f" ({r.band.label}: {block.band})" if block.band and r.band else ""
        out += [f"### Turn {block.turn}{band}", ""]
        if block.opening:
            out += [f"> {_md(t)}  " for t in block.opening] + [""]
        for s in block.steps:
            out.extend(_step(r, s))
        out.append("")
    if r.final_status:
        out += ["## The situation at the end", "", "```", *r.final_status, "```"]
    return "\n".join(out).rstrip() + "\n"
