"""The after-action review as plain values: what happened, turn by turn.

A report is built by *replaying* a game: the seed and the line of play are
the whole truth (as in a save), so every state before and after every move
is recomputed here rather than trusted from a file.  For each step the
builder records the move as the reader may read it, its odds *at the time*
(``explain`` on the position before the move), the log lines that followed,
the scores after it and how far it moved each faction's margin; for each
point of the game, every track; and, attached to the moves they concern,
players' notes, white-cell injects and overrides with their rationale.

The *reader* is a faction or None (the white cell, who sees everything).  A
seat's report is built only from what that seat could see: boards through
``Scenario.view``, log lines through their audience, other factions' covert
moves through ``Game.public_move``, odds computed on the reader's view,
scores reckoned from that view.  Nothing else of the true state is read,
and the seed (which would let anyone rebuild the deck order and the dice)
is left out.  Only the final result, announced to every player when the
game ends, comes from the true board.

Pure: no I/O, no clock.  Rendering is :mod:`engine.report.html`,
:mod:`engine.report.markdown` and :mod:`engine.report.charts`.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import attrs

from engine.game import Game, LogLine, Scenario, TrackReading, visible
from engine.moves import IllegalMoveError, InvalidMoveError, Move

WHITE_CELL = "white"  # the facilitator, as an author of notes, injects and overrides


class ReportError(ValueError):
    """The game cannot be turned into a report (a move that does not replay...)."""


# -- what the builder reads ---------------------------------------------------
@attrs.frozen(slots=True)
class Annotation:
    """A note, bookmark, inject, override or undo, attached after a step.

    ``after`` counts the steps on the line of play before it (0: before the
    first move).  ``audience`` None: everyone may read it; a faction id:
    that faction and the white cell only (a seat's private note).
    """

    after: int
    kind: str
    author: str | None
    text: str
    rationale: str = ""
    audience: str | None = None

    def visible_to(self, reader: str | None) -> bool:
        return reader is None or self.audience is None or self.audience == reader


@attrs.frozen(slots=True)
class Pushed:
    """A log entry that is not a plain move but changes the game (a white-cell
    inject, ruling, pause, or an override of a move's result): ``play``
    returns the game after it.

    ``move``: the move an override plays, read like any move (a seat reads
    another faction's covert move, and its rationale, as "a covert action"
    only).  ``seat_text``: what a seat reads instead of ``text`` (a ruling's
    values may name a track a seat may not know).  ``audience``: as for an
    annotation.
    """

    kind: str
    author: str | None
    text: str
    play: Callable[[Game], Game] = attrs.field(eq=False, repr=False)
    rationale: str = ""
    audience: str | None = None
    move: Move | None = None
    seat_text: str | None = None


Item = Move | Pushed | Annotation


@attrs.frozen(slots=True)
class Source:
    """A game to report on: the scenario, its start and the line of play."""

    scenario: Scenario
    seed: int
    turns: int
    items: tuple[Item, ...]
    label: str = ""  # where it came from (a file name), for the heading


# -- what the builder makes ------------------------------------------------------
@attrs.frozen(slots=True)
class Odds:
    """A check as it stood before the dice: name, target, modifiers, chances."""

    name: str
    target: int
    modifiers: tuple[str, ...]
    chances: tuple[tuple[str, float], ...]  # tier -> probability, best tier first


@attrs.frozen(slots=True)
class Step:
    """One step of the line of play: a move, or an inject / override."""

    index: int
    turn: int
    actor: str | None
    kind: str                     # "move", or the entry type ("inject", "override"...)
    text: str                     # as the reader may read it
    hidden: bool                  # another faction's covert move: only its existence is known
    summary: str
    cost: str
    odds: Odds | None
    lines: tuple[str, ...]        # what followed, as the reader may read it
    scores: tuple[tuple[str, int], ...]
    swing: int                    # change of the reader's margin (white cell: the largest)
    swing_faction: str | None     # whose margin moved by ``swing``
    ends_turn: bool
    rationale: str = ""
    notes: tuple[Annotation, ...] = ()


@attrs.frozen(slots=True)
class TurnBlock:
    turn: int
    band: str | None              # the band track's value when the turn opened
    opening: tuple[str, ...]      # the event phase's lines
    steps: tuple[Step, ...]


@attrs.frozen(slots=True)
class Series:
    """One track over the game: a value at each point (0: the start, i: after step i)."""

    key: str
    label: str
    owner: str | None
    lo: int
    hi: int
    steps: tuple[str, ...]
    values: tuple[int | None, ...]  # None where the reader could not know the value

    @property
    def known(self) -> bool:
        return any(v is not None for v in self.values)


@attrs.frozen(slots=True)
class FinalScore:
    faction: str
    name: str
    total: int
    breakdown: tuple[tuple[str, int], ...]


@attrs.frozen(slots=True)
class Report:
    title: str
    reader: str | None
    reader_name: str
    label: str
    seed: int | None              # None in a seat's report
    length: int                   # turns the game was set to last
    last_turn: int
    over: bool
    result: str                   # how it ended (or where it stands)
    winners: tuple[str, ...]
    scores: tuple[FinalScore, ...]
    factions: tuple[str, ...]
    faction_names: dict[str, str]
    preface: tuple[Annotation, ...]
    turns: tuple[TurnBlock, ...]
    points: tuple[int, ...]       # the turn at each point of the series
    series: tuple[Series, ...]
    band: Series | None
    turning_points: tuple[Step, ...]
    final_status: tuple[str, ...] = ()  # the situation at the end, as the reader sees it

    @property
    def steps(self) -> list[Step]:
        return [s for block in self.turns for s in block.steps]

    def name(self, who: str | None) -> str:
        if who is None or who == WHITE_CELL:
            return "White cell"
        return self.faction_names.get(who, who)


TURNING_POINTS = 5


# -- building ------------------------------------------------------------------
class _Reader:
    """What one reader can see of a game: the choke point of a seat's report."""

    def __init__(self, scenario: Scenario, reader: str | None) -> None:
        self.scenario = scenario
        self.reader = reader

    def board(self, game: Game):
        board = game.board
        return board if self.reader is None else self.scenario.view(board, self.reader)

    def lines(self, log: Iterable[LogLine]) -> tuple[str, ...]:
        return visible(log, self.reader)

    def can_read(self, move: Move) -> bool:
        """Whether the reader may read ``move`` itself (not just that it happened)."""
        if self.reader is None or move.faction == self.reader:
            return True
        kind = self.scenario.registry.kind(move.faction, move.kind)
        return not kind.covert(move.args)


def _odds(check) -> Odds | None:
    if check is None:
        return None
    chances = tuple(reversed(tuple(check.odds().items())))
    return Odds(check.name, check.target, tuple(str(m) for m in check.modifiers), chances)


def _margins(scores: dict[str, int]) -> dict[str, int]:
    out = {}
    for f, total in scores.items():
        rivals = [t for g, t in scores.items() if g != f]
        out[f] = total - (max(rivals) if rivals else 0)
    return out


def _split(lines: Sequence[str], banner: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lines before the turn's opening banner, and those after it (the
    banner itself is the report's "Turn N" heading)."""
    if banner is not None:
        for i, text in enumerate(lines):
            if text == banner:
                return tuple(lines[:i]), tuple(lines[i + 1:])
    return tuple(lines), ()


def build(source: Source, reader: str | None = None) -> Report:
    """Replay ``source`` and build the report ``reader`` may read (None: everything).

    Raises :class:`ReportError` (one line) if a move of the line of play is
    refused on replay.
    """
    scenario = source.scenario
    if reader is not None and reader not in scenario.factions:
        raise ReportError(f"unknown faction {reader!r} (factions: {', '.join(scenario.factions)})")
    try:
        game = Game.new(scenario, source.seed, source.turns)
    except ValueError as err:
        raise ReportError(str(err)) from None
    eyes = _Reader(scenario, reader)
    band_key = scenario.band_track()

    def readings(board) -> list[TrackReading]:
        return scenario.track_table(board)

    def score_of(board) -> dict[str, int]:
        return {f: s.total for f, s in scenario.score(board, None).items()}

    board = eyes.board(game)
    table = readings(board)
    values: list[list[int]] = [[r.value] for r in table]
    points = [game.ctx.turn]
    scores = score_of(board)
    margins = _margins(scores)

    start_lines = eyes.lines(game.last_log)
    _, opening = _split(start_lines, scenario.turn_banner(game.ctx.turn))

    def band_of(table_now: list[TrackReading]) -> str | None:
        for r in table_now:
            if r.key == band_key and r.lo <= r.value <= r.hi:
                return r.steps[r.value] if r.steps else str(r.value)
        return None

    notes: dict[int, list[Annotation]] = {}
    steps: list[Step] = []
    blocks: list[TurnBlock] = []
    current = {"turn": game.ctx.turn, "band": band_of(table), "opening": opening, "steps": []}

    for item in source.items:
        if isinstance(item, Annotation):
            if item.visible_to(reader):
                notes.setdefault(item.after, []).append(item)
            continue
        before_turn = game.ctx.turn
        if game.is_over():
            raise ReportError(f"step {len(steps) + 1} comes after the end of the game")
        move = item if isinstance(item, Move) else item.move
        summary = cost = rationale = ""
        odds = None
        hidden = False
        if move is not None:
            readable = eyes.can_read(move)
            hidden = not readable
            text = str(move) if readable else game.public_move(move)
            if readable:
                try:
                    kind = scenario.registry.kind(move.faction, move.kind)
                    # The odds as the mover saw them (the white cell: the mover's
                    # own view); a seat reads others' moves on its own view.
                    eyes_of = reader if reader is not None else move.faction
                    preview = kind.preview(scenario.view(game.board, eyes_of), move.args)
                except (InvalidMoveError, KeyError, IndexError, ValueError) as err:
                    raise ReportError(f"move {len(steps) + 1} ({move}) cannot be read: {err}") from None
                summary, cost, odds = preview.summary, preview.cost, _odds(preview.check)
            header = {f"T{before_turn} {move}", f"T{before_turn} {move.faction}: a covert action"}
        else:
            header = set()
        try:
            if isinstance(item, Move):
                game.apply(move)
            else:
                game = item.play(game)
        except (IllegalMoveError, InvalidMoveError, ValueError) as err:
            what = move if move is not None else item.text
            raise ReportError(f"step {len(steps) + 1} ({what}) cannot be replayed: {err}") from None
        if isinstance(item, Move):
            actor, kind_name = move.faction, "move"
        else:
            # A seat that may not read the move may not learn it was overridden either.
            kind_name = "move" if hidden else item.kind
            actor = move.faction if move is not None else item.author
            if move is None:
                text = item.text if reader is None or item.seat_text is None else item.seat_text
            if not hidden:
                rationale = item.rationale
            if item.audience is not None and reader not in (None, item.audience):
                text, rationale = f"{item.kind} by the white cell", ""
        lines = [t for t in eyes.lines(game.last_log) if t not in header]
        board = eyes.board(game)
        table = readings(board)
        for series, r in zip(values, table):
            series.append(r.value)
        points.append(game.ctx.turn)
        new_scores = score_of(board)
        new_margins = _margins(new_scores)
        if reader is not None:
            swing, swing_faction = new_margins[reader] - margins[reader], reader
        else:
            swing, swing_faction = 0, None
            for f in scenario.factions:
                delta = new_margins[f] - margins[f]
                if abs(delta) > abs(swing):
                    swing, swing_faction = delta, f
        scores, margins = new_scores, new_margins
        ends_turn = game.ctx.turn != before_turn
        own, next_opening = _split(lines, scenario.turn_banner(game.ctx.turn) if ends_turn else None)
        step = Step(len(steps) + 1, before_turn, actor, kind_name, text, hidden, summary, cost, odds,
                    own, tuple(new_scores.items()), swing, swing_faction, ends_turn, rationale)
        steps.append(step)
        current["steps"].append(step)
        if ends_turn:
            blocks.append(current)
            current = {"turn": game.ctx.turn, "band": band_of(table), "opening": next_opening,
                       "steps": []}
    blocks.append(current)

    # Notes attach to the step they follow; those after a turn's last step
    # stay on it.  A note beyond the end sticks to the last step.
    last = len(steps)
    by_step: dict[int, list[Annotation]] = {}
    for after, found in notes.items():
        by_step.setdefault(min(max(after, 0), last), []).extend(found)
    preface = tuple(by_step.pop(0, ()))
    steps_by_index = {s.index: attrs.evolve(s, notes=tuple(by_step.get(s.index, ())))
                      for s in steps}
    turn_blocks = []
    for b in blocks:
        if not b["steps"] and not b["opening"] and blocks[-1] is b and len(blocks) > 1:
            continue
        turn_blocks.append(TurnBlock(b["turn"], b["band"], tuple(b["opening"]),
                                     tuple(steps_by_index[s.index] for s in b["steps"])))
    final_steps = [steps_by_index[s.index] for s in steps]

    ranked = sorted((s for s in final_steps if s.swing), key=lambda s: (-abs(s.swing), s.index))
    turning = tuple(ranked[:TURNING_POINTS])

    outcome = game.outcome()
    if outcome is not None:
        result = outcome.description
        winners = outcome.winners
        final = outcome.scores  # announced to every player at the end
    else:
        result = f"In progress: turn {game.ctx.turn} of {game.ctx.last_turn}."
        winners = ()
        final = scenario.score(eyes.board(game), None)
    final_scores = tuple(FinalScore(f, scenario.faction_names[f], final[f].total, final[f].breakdown)
                         for f in scenario.factions)
    series = tuple(Series(r.key, r.label, r.owner, r.lo, r.hi, r.steps,
                          tuple(x if r.lo <= x <= r.hi else None for x in v))
                   for r, v in zip(table, values))
    band = next((s for s in series if s.key == band_key), None)
    return Report(
        title=scenario.title, reader=reader,
        reader_name="White cell" if reader is None else scenario.faction_names[reader],
        label=source.label, seed=source.seed if reader is None else None,
        length=game.ctx.last_turn, last_turn=game.ctx.turn, over=outcome is not None,
        result=result, winners=winners, scores=final_scores, factions=scenario.factions,
        faction_names=dict(scenario.faction_names), preface=preface, turns=tuple(turn_blocks),
        points=tuple(points), series=series, band=band, turning_points=turning,
        final_status=tuple(scenario.status_lines(eyes.board(game), reader)))


def from_game_moves(scenario: Scenario, seed: int, moves: Sequence[Move | str],
                    turns: int | None = None, annotations: Sequence[Annotation] = (),
                    label: str = "") -> Source:
    """A source from a seed and moves (tests, and games played without a save)."""
    items: list[Item] = [m if isinstance(m, Move) else Move.parse(m) for m in moves]
    items.extend(annotations)
    return Source(scenario, seed, scenario.default_turns if turns is None else turns,
                  tuple(items), label)
