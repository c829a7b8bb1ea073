"""The report as one self-contained HTML page: inline CSS, no script, no network.

Images are the chart files written beside the page (``resources.png``...),
referenced by relative name, so the directory reads offline and can be
zipped or mailed as it is.  Every piece of text from the game is escaped.
Pure: returns a string.
"""

from __future__ import annotations

from html import escape

from engine.report.timeline import Annotation, Odds, Report, Step, TurnBlock

TIER_COLOURS = {"success": "#2f8f3a", "partial": "#9fbf3a", "fail": "#e0a030", "backfire": "#c0392b"}
BAND_COLOURS = ("#cfe8cf", "#f8dfa8", "#f0b8b8", "#d0d0ee", "#e4e4e4")
KIND_TITLES = {"note": "Note", "bookmark": "Bookmark", "inject": "White-cell inject",
               "override": "Override", "undo": "Undone", "rationale": "Rationale"}

CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;background:#f4f2ee;color:#222;
font-size:14px;line-height:1.4}
main{max-width:1180px;margin:0 auto;padding:24px 32px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #333;margin-top:32px;
padding-bottom:3px}h3{font-size:16px;margin:22px 0 6px;display:flex;gap:10px;align-items:center}
.sub{color:#555;margin:0 0 14px}.seat{display:inline-block;background:#333;color:#fff;border-radius:4px;
padding:2px 8px;font-size:12px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;
text-align:left}th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
.win{background:#fff3c4;font-weight:bold}
.breakdown{font-size:12px;color:#444;margin:0;padding-left:16px}
.band{display:flex;height:30px;border:1px solid #999;margin:6px 0 2px}
.band div{height:100%;font-size:11px;overflow:hidden;white-space:nowrap;padding:0 3px;
line-height:30px;box-sizing:border-box;border-right:1px solid rgba(0,0,0,.15)}
.ticks{position:relative;height:16px;font-size:11px;color:#555;margin-bottom:8px}
.ticks span{position:absolute;top:0}
.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #999;font-size:12px}
.charts img{max-width:100%;border:1px solid #ddd;margin:6px 0;display:block}
.opening{background:#f3f0e6;border-left:4px solid #a08c50;padding:6px 10px;margin:4px 0 8px;
font-size:13px}
ol.steps{list-style:none;padding:0;margin:0}
li.step{border:1px solid #ddd;border-left:5px solid #888;margin:6px 0;padding:6px 10px;
background:#fcfcfc}
li.step.hidden{background:#f0f0f0;color:#666}
.who{font-weight:bold;margin-right:6px}.mv{font-family:"DejaVu Sans Mono",monospace;
background:#eef;padding:0 4px;border-radius:3px}
.idx{color:#888;font-size:12px;margin-right:6px}
.summary{color:#333;margin-left:4px}.cost{color:#666;font-size:12px}
.oddsbar{display:flex;height:10px;width:260px;border:1px solid #999;margin:4px 0 0}
.oddsbar div{height:100%}
.odds{font-size:12px;color:#444}
.lines{font-family:"DejaVu Sans Mono",monospace;font-size:12px;white-space:pre-wrap;margin:4px 0 0;
color:#333}
.after{font-size:12px;color:#555;margin-top:3px}
.swing{display:inline-block;border-radius:3px;padding:0 5px;margin-left:6px;font-weight:bold}
.up{background:#d8f0d8;color:#1d5e25}.down{background:#f6d6d6;color:#8a1f1f}
.note{margin:5px 0 0;padding:4px 8px;border-radius:3px;font-size:13px}
.note.note,.note.bookmark{background:#fff8d6;border:1px solid #e6d27a}
.note.inject{background:#e3eefc;border:1px solid #8fb0e0}
.note.override{background:#fbe3f0;border:1px solid #d98cb5}
.note.undo{background:#eee;border:1px solid #bbb}
.rationale{font-style:italic}
.tp td{font-size:13px}
footer{color:#777;font-size:12px;margin-top:30px;border-top:1px solid #ccc;padding-top:8px}
"""

FACTION_COLOURS = ("#1f5fa8", "#2f8f3a", "#a8471f", "#8a3ea8", "#777777")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


class _Page:
    def __init__(self, report: Report, charts: dict[str, str]) -> None:
        self.r = report
        self.charts = charts
        self.colour = {f: FACTION_COLOURS[i % len(FACTION_COLOURS)]
                       for i, f in enumerate(report.factions)}

    def who(self, actor: str | None) -> str:
        colour = self.colour.get(actor, "#555")
        return f'<span class="who" style="color:{colour}">{_e(self.r.name(actor))}</span>'

    # -- sections ---------------------------------------------------------------
    def head(self) -> str:
        r = self.r
        seat = ("White cell report: everything, secrets included" if r.reader is None else
                f"Seat report: {r.reader_name} \u2014 only what the {r.reader_name} could see")
        facts = [f"{r.length} turns set, ended in turn {r.last_turn}" if r.over
                 else f"{r.length} turns set, now in turn {r.last_turn}",
                 f"{len(r.steps)} steps"]
        if r.seed is not None:
            facts.append(f"seed {r.seed}")
        if r.label:
            facts.append(f"from {r.label}")
        return (f"<h1>After-action review</h1><p class=\"sub\">{_e(r.title)} \u2014 "
                f"{_e(', '.join(facts))}</p><p><span class=\"seat\">{_e(seat)}</span></p>")

    def outcome(self) -> str:
        r = self.r
        out = ["<h2>Outcome</h2>", f"<p><strong>{_e(r.result)}</strong>"]
        if r.winners:
            out.append(" Winner: " + ", ".join(_e(r.name(w)) for w in r.winners) + ".")
        out.append("</p><table><tr><th>Faction</th><th>Score</th><th>Breakdown</th></tr>")
        for s in r.scores:
            cls = ' class="win"' if s.faction in r.winners else ""
            terms = "".join(f"<li>{points:+d} {_e(label)}</li>" for label, points in s.breakdown)
            out.append(f"<tr{cls}><td>{_e(s.name)}</td><td class=\"num\">{s.total}</td>"
                       f"<td><ul class=\"breakdown\">{terms}</ul></td></tr>")
        out.append("</table>")
        if r.reader is not None:
            out.append("<p class=\"sub\">The result is as announced to every player at the end. "
                       "Scores during the game are reckoned from what this seat could see.</p>")
        return "".join(out)

    def band(self) -> str:
        band = self.r.band
        if band is None or not band.values:
            return ""
        n = len(band.values)
        segs, start = [], 0
        for x in range(1, n + 1):
            if x == n or band.values[x] != band.values[start]:
                value = band.values[start]
                if value is None:
                    name, colour = "not known", BAND_COLOURS[-1]
                else:
                    name = band.steps[value] if band.steps else str(value)
                    colour = BAND_COLOURS[min(value - band.lo, len(BAND_COLOURS) - 1)]
                width = 100 * (x - start) / n
                segs.append(f'<div style="width:{width:.3f}%;background:{colour}" '
                            f'title="{_e(name)}">{_e(name)}</div>')
                start = x
        ticks, seen = [], set()
        for x, turn in enumerate(self.r.points):
            if turn not in seen:
                seen.add(turn)
                ticks.append(f'<span style="left:{100 * x / n:.3f}%">T{turn}</span>')
        legend = "".join(f'<span style="background:{BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)]}">'
                         f'{_e(name)}</span>' for i, name in enumerate(band.steps))
        return (f"<h2>{_e(band.label[:1].upper() + band.label[1:])} across the game</h2>"
                f'<div class="band">{"".join(segs)}</div><div class="ticks">{"".join(ticks)}</div>'
                f'<div class="legend">{legend}</div>')

    def turning_points(self) -> str:
        r = self.r
        out = ["<h2>Turning points</h2>"]
        if not r.turning_points:
            return out[0] + "<p>No single move shifted the score margins.</p>"
        whose = "the margin of the " + r.reader_name if r.reader else "a faction's margin"
        out.append(f"<p class=\"sub\">The moves that shifted {_e(whose)} most (margin: own score "
                   "minus the best rival's, recomputed after every move"
                   " and the end of turn it closed).</p>")
        out.append('<table class="tp"><tr><th>#</th><th>Turn</th><th>Who</th><th>Move</th>'
                   "<th>Swing</th><th>Scores after</th></tr>")
        for s in r.turning_points:
            out.append(f'<tr><td><a href="#step-{s.index}">{s.index}</a></td><td>{s.turn}</td>'
                       f"<td>{self.who(s.actor)}</td><td><span class=\"mv\">{_e(s.text)}</span></td>"
                       f"<td>{self.swing(s)}</td><td>{_e(self.scores(s))}</td></tr>")
        out.append("</table>")
        return "".join(out)

    def bookmarks(self) -> str:
        marks = [(s, a) for s in self.r.steps for a in s.notes if a.kind == "bookmark"]
        if not marks:
            return ""
        out = ["<h2>Bookmarks</h2><ul>"]
        for s, a in marks:
            out.append(f'<li><a href="#step-{s.index}">move {s.index}</a> (turn {s.turn}) \u2014 '
                       f"{_e(a.text)} <span class=\"cost\">({_e(self.r.name(a.author))})</span></li>")
        out.append("</ul>")
        return "".join(out)

    def charts_html(self) -> str:
        if not self.charts:
            return ""
        out = ["<h2>Tracks over the game</h2><div class=\"charts\">"]
        for name, title in self.charts.items():
            out.append(f"<h3>{_e(title)}</h3><img src=\"{_e(name)}\" alt=\"{_e(title)}\">")
        out.append("</div>")
        return "".join(out)

    # -- timeline -----------------------------------------------------------------
    def scores(self, step: Step) -> str:
        return " \u00b7 ".join(f"{f} {t}" for f, t in step.scores)

    def swing(self, step: Step) -> str:
        if not step.swing:
            return ""
        cls = "up" if step.swing > 0 else "down"
        sign = "+" if step.swing > 0 else "\u2212"
        return (f'<span class="swing {cls}">{_e(self.r.name(step.swing_faction))} margin '
                f"{sign}{abs(step.swing)}</span>")

    def odds(self, odds: Odds) -> str:
        bar = "".join(f'<div style="width:{p * 100:.2f}%;background:{TIER_COLOURS.get(t, "#888")}" '
                      f'title="{_e(t)} {round(p * 100)}%"></div>' for t, p in odds.chances)
        chances = ", ".join(f"{t} {round(p * 100)}%" for t, p in odds.chances)
        mods = "; ".join(odds.modifiers) or "no modifiers"
        return (f'<div class="oddsbar">{bar}</div><div class="odds">Odds at the time: '
                f"{_e(odds.name)}, 2d6 vs {odds.target} ({_e(mods)}) \u2014 {_e(chances)}</div>")

    def note(self, a: Annotation) -> str:
        title = KIND_TITLES.get(a.kind, a.kind.capitalize())
        author = f" by {_e(self.r.name(a.author))}" if a.author else ""
        rationale = (f'<br><span class="rationale">Rationale: {_e(a.rationale)}</span>'
                     if a.rationale else "")
        return (f'<div class="note {_e(a.kind)}"><strong>{_e(title)}{author}:</strong> '
                f"{_e(a.text)}{rationale}</div>")

    def step(self, s: Step) -> str:
        colour = self.colour.get(s.actor, "#555")
        cls = "step hidden" if s.hidden else "step"
        out = [f'<li class="{cls}" id="step-{s.index}" style="border-left-color:{colour}">',
               f'<span class="idx">{s.index}.</span>{self.who(s.actor)}']
        if s.kind != "move":
            out.append(f"<strong>{_e(KIND_TITLES.get(s.kind, s.kind.capitalize()))}:</strong> ")
        out.append(f'<span class="mv">{_e(s.text)}</span>')
        if s.summary:
            out.append(f'<span class="summary">{_e(s.summary)}</span>')
        if s.cost and s.cost != "no cost":
            out.append(f' <span class="cost">(cost: {_e(s.cost)})</span>')
        if s.rationale:
            out.append(f'<div class="note override"><span class="rationale">Rationale: '
                       f"{_e(s.rationale)}</span></div>")
        if s.odds is not None:
            out.append(self.odds(s.odds))
        if s.lines:
            out.append(f'<div class="lines">{_e(chr(10).join(s.lines))}</div>')
        end = " \u2014 end of the turn: resolution and upkeep above" if s.ends_turn else ""
        out.append(f'<div class="after">Scores after: {_e(self.scores(s))}{self.swing(s)}{_e(end)}</div>')
        out.extend(self.note(a) for a in s.notes)
        out.append("</li>")
        return "".join(out)

    def turn(self, block: TurnBlock) -> str:
        band = ""
        if block.band is not None and self.r.band is not None:
            value = self.r.band.steps.index(block.band) if block.band in self.r.band.steps else 0
            colour = BAND_COLOURS[min(value, len(BAND_COLOURS) - 1)]
            band = (f'<span class="legend"><span style="background:{colour}">'
                    f"{_e(self.r.band.label)}: {_e(block.band)}</span></span>")
        out = [f'<section id="turn-{block.turn}"><h3>Turn {block.turn} {band}</h3>']
        if block.opening:
            out.append(f'<div class="opening">{"<br>".join(_e(t) for t in block.opening)}</div>')
        out.append('<ol class="steps">')
        out.extend(self.step(s) for s in block.steps)
        out.append("</ol></section>")
        return "".join(out)

    def timeline(self) -> str:
        out = ["<h2>Timeline</h2>"]
        out.extend(self.note(a) for a in self.r.preface)
        out.extend(self.turn(b) for b in self.r.turns)
        return "".join(out)

    def final_status(self) -> str:
        if not self.r.final_status:
            return ""
        who = ("the white cell sees it, secrets included" if self.r.reader is None
               else f"as the {self.r.reader_name} sees it")
        return (f"<h2>The situation at the end</h2><p class=\"sub\">{_e(who[:1].upper() + who[1:])}."
                f'</p><div class="lines">{_e(chr(10).join(self.r.final_status))}</div>')

    def page(self, footer: str) -> str:
        r = self.r
        title = f"After-action review \u2014 {r.title} \u2014 {r.reader_name}"
        body = "".join([self.head(), self.outcome(), self.band(), self.turning_points(),
                        self.bookmarks(),
                        self.charts_html(), self.timeline(), self.final_status(),
                        f"<footer>{_e(footer)}</footer>"])
        return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{_e(title)}</title><style>{CSS}</style></head>"
                f"<body><main>{body}</main></body></html>\n")


def render(report: Report, charts: dict[str, str], footer: str = "") -> str:
    """The page; ``charts`` maps each image file name to its title."""
    return _Page(report, charts).page(footer or "Made by Crossroads from a replay of the game.")
