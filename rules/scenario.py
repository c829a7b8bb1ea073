"""The scenario object the engine plays: *Iraq at the crossroads, January 2020*.

It ties the rule modules together behind :class:`engine.game.Scenario`:
setup from the data file, the event phase, capacity, resolution, upkeep,
victory, and ``view`` — the one place where hidden information is stripped.

What is hidden, and from whom
    * covert militia cells (their places), covert loyalists in key posts,
      the militias' attack orders for the turn, their arms and funds and
      their reserve of cells: seen only by the militias and the white cell
      (the others read "a covert action", and UNKNOWN for the numbers);
    * the author of an unattributed attack: seen only by its author (the
      militias know their own attacks, nobody knows ISIS's);
    * the order of the event deck: seen by nobody but the white cell (the
      remaining cards are known, so a view lists them sorted).
"""

from __future__ import annotations

import operator

import attrs

from engine.game import Scenario, Score, TrackReading
from engine.moves import Move
from engine.rng import Rng
from engine.state import GameState
from rules import (events, government, militia, parliament, people, posts, protests, sanctions,  # noqa: F401
                   strikes, text, upkeep, victory, waivers, withdrawal)
# After the rule modules, so the moves keep their declaration order.
from rules import determinize, doctrine, evaluate as evaluation, value  # noqa: E402  (registers the doctrine seats)
from rules.board import (COVERT, FACTION_NAMES, FACTIONS, GOI, K_COVERT, KINDS, MIL, POOL, PRO,
                         PROFESSIONAL, S, SPACE_IDS, TOTALS, TRACK_IDS, UNKNOWN, US, Attack, Board,
                         IraqDraft, POST_IDS, T, TRACKS, at, track_changes)
from rules.data import CARDS, DATA, HOLDER_IDS, PIECE_IDS
from rules.kinds import REGISTRY, declare

# The resource each faction husbands when it passes, and what gives it a
# second action each turn.
MAIN_RESOURCE = {US: T.CAPITAL, GOI: T.C2, MIL: T.ARMS, PRO: T.MOMENTUM}
SECOND_ACTION = {US: (T.CAPITAL, 3), GOI: (T.C2, 4), MIL: (T.ARMS, 3), PRO: (T.MOMENTUM, 5)}


def _declare_pass(faction: str) -> None:
    resource = MAIN_RESOURCE[faction]

    def effect(d, args, tier) -> None:
        d.add(resource, 1)

    declare(faction, "pass", "Pass", [()], effect=effect,
            summary=lambda b, a: f"Pass and husband resources (+1 {resource.name.lower()})")


for _faction in FACTIONS:
    _declare_pass(_faction)


class Iraq2020(Scenario):
    id = DATA["scenario"]["id"]
    version = DATA["scenario"]["version"]
    # Version 1 dealt every card in one shuffled deck, the December events
    # and the players' own decisions among them; version 2 had issue 14's
    # first scoring and doctrines (version 3: its refit, a month with American
    # dead is no quiet month, militiamen in the PM's office stall a
    # nomination; version 4: the government may condemn a US strike that
    # shamed it, and the starting positions were refit; version 5: a
    # withheld waiver costs blackouts and coalition cohesion, not budget,
    # deniability grows only in a month without any militia attack, and the
    # scores were refit).  Their saves replay under these rules.
    rebases_from = ("1", "2", "3", "4")
    title = DATA["scenario"]["title"]
    factions = FACTIONS
    faction_names = FACTION_NAMES
    default_turns = DATA["scenario"]["turns"]
    registry = REGISTRY
    board_type = Board

    def setup(self, rng: int) -> tuple[Board, int]:
        setup = DATA["setup"]
        tracks = [0] * len(T)
        for name, value in setup["tracks"].items():
            tracks[TRACK_IDS[name]] = value
        pieces = [0] * (len(S) * KINDS)
        for space, kinds in setup["pieces"].items():
            for kind, n in kinds.items():
                pieces[at(SPACE_IDS[space], PIECE_IDS[kind])] += n
        pool = list(TOTALS)
        for i, n in enumerate(pieces):
            pool[(0, 1, 2, 2, 3)[i % KINDS]] -= n
        holders = [0] * len(POST_IDS)
        for post, holder in setup["posts"].items():
            holders[POST_IDS[post]] = HOLDER_IDS[holder]
        gen = Rng.from_state(rng)
        deck = events.build_deck(gen)
        sanctioned = sum(people.bit(people.PERSON_IDS[p]) for p in people.SANCTIONED_AT_START)
        board = Board(tuple(tracks), tuple(pieces), tuple(pool), tuple(holders), deck=deck,
                      sanctioned=sanctioned)
        return board, gen.state

    def draft(self, board: Board, rng: int) -> IraqDraft:
        return IraqDraft(board, rng)

    def begin_turn(self, d: IraqDraft, turn: int) -> tuple[str, ...]:
        d.turn = turn
        card = events.draw(d, turn)
        d.log(self.turn_banner(turn))
        before = tuple(d.tracks)
        order = events.play_card(d, card)
        d.log_changes(before)  # what the card changed, in the log and the turn summary
        return order

    def capacity(self, board, faction: str) -> int:
        track, threshold = SECOND_ACTION[faction]
        return 2 if board.tracks[track] >= threshold else 1

    def resolution(self, d: IraqDraft) -> None:
        upkeep.resolution(d)

    def upkeep(self, d: IraqDraft, turn: int) -> None:
        upkeep.upkeep(d, turn)

    def sudden_death(self, board, end_of_turn: bool = False) -> str | None:
        return victory.sudden_death(board, end_of_turn)

    def score(self, board, termination: str | None) -> dict[str, Score]:
        return victory.scores(board, termination)

    def describe_termination(self, termination: str) -> str:
        return victory.TERMINATIONS[termination]

    def event_ids(self) -> tuple[str, ...]:
        return tuple(CARDS)

    def events_played(self, board: Board) -> tuple[str, ...]:
        return board.discard

    def describe_change(self, before: Board, after: Board, faction: str | None) -> list[str]:
        from rules.changes import describe_change
        return describe_change(before, after, faction)

    def briefing(self, board: Board, faction: str) -> list[tuple[str, str]]:
        from rules.briefing import briefing
        return briefing(board, faction)

    def moments(self, before: Board, after: Board, lines: tuple[str, ...]) -> list[tuple[str, list[str]]]:
        from rules.changes import moments
        return moments(before, after, lines)

    def status_lines(self, board: Board, faction: str | None) -> list[str]:
        return text.status_lines(board, faction)

    def track_table(self, board: Board) -> list[TrackReading]:
        tracks = board.tracks
        return [TrackReading(t.name.lower(), spec.label, tracks[t], spec.lo, spec.hi, spec.owner,
                             spec.values) for t, spec in TRACKS.items()]

    def band_track(self) -> str:
        return "posture"  # continuity, tougher love, separation: the brief's question

    def turn_banner(self, turn: int) -> str:
        return f"\u2014 Turn {turn} \u2014"

    # -- the search AI's hooks (rules/determinize.py, rules/evaluate.py, rules/doctrine.py) ------
    def determinize(self, view: GameState, faction: str, rng: Rng,
                    draws: int | None = None) -> GameState:
        return determinize.determinize(view, faction, rng, draws)

    def win_chances(self, state: GameState) -> dict[str, float] | None:
        ctx = state.ctx
        return value.win_chances(state.board, ctx.termination, ctx.last_turn - ctx.turn, ctx.last_turn)

    def seat_policy(self, faction: str, seat: str):
        return doctrine.seat_policy(faction, seat, self.view)

    def search_policy(self, faction: str):
        return doctrine.search_policy(faction, self.view)

    def legal_key(self, board: Board):
        # Legality never reads the deck or the discards: a search's
        # determinisations, which differ in the deck order, share the cache.
        return _legal_key(board)

    def evaluate(self, state: GameState) -> dict[str, float]:
        return evaluation.evaluate(state.board, state.ctx.termination,
                                    state.ctx.last_turn - state.ctx.turn)

    def rollout_move(self, board: Board, faction: str, rng: Rng) -> Move:
        return doctrine.rollout_move(board, faction)

    # -- the research interfaces' hooks (rules/features.py) -----------------
    def observation_layout(self) -> tuple:
        from rules import features  # it reads this module's starting board
        return features.SEGMENTS

    def observation(self, view: GameState, faction: str) -> list[float]:
        from rules import features
        return features.features(view, faction)

    def doctrines(self, faction: str) -> tuple[str, ...]:
        return tuple(d.name for d in doctrine.DOCTRINES[faction])

    def presentation(self):
        from rules.display import PRESENTATION
        return PRESENTATION

    def view(self, board: Board, faction: str | None) -> Board:
        if faction is None:
            return board
        return self._stripped(board, faction)

    def public_view(self, board: Board) -> Board:
        return self._stripped(board, None)

    def _stripped(self, board: Board, faction: str | None) -> Board:
        """``faction``'s view; None: no faction's (a spectator's)."""
        deck = tuple(sorted(board.deck))
        attacks = tuple(a if a.attributed or (faction is not None and a.by == faction)
                        else Attack(a.space, "?", a.lethal, False, a.turn) for a in board.attacks)
        if faction == MIL:
            return attrs.evolve(board, deck=deck, attacks=attacks)
        # Others see neither covert cells, covert loyalists nor attack orders.
        # Nor the militias' arms and funds or their reserve of cells: either
        # would tell which covert action they took, or how many cells hide.
        pieces = list(board.pieces)
        pieces[K_COVERT::KINDS] = _NO_COVERT
        tracks = list(board.tracks)
        tracks[T.ARMS] = UNKNOWN
        pool = list(board.pool)
        pool[POOL[MIL]] = UNKNOWN
        posts_seen = tuple(PROFESSIONAL if h == COVERT else h for h in board.posts)
        return Board(tuple(tracks), tuple(pieces), tuple(pool), posts_seen, attacks,
                     board.protected, board.sitins, board.flags, deck, board.card, board.discard,
                     board.turn, (), board.sanctioned, board.ousted, board.partners)

    # -- what-if studies ----------------------------------------------------
    def start_options(self) -> dict[str, tuple[int, int] | tuple[str, ...]]:
        options: dict[str, tuple[int, int] | tuple[str, ...]] = {
            f"track:{name}": (TRACKS[t].lo, TRACKS[t].hi) for name, t in TRACK_IDS.items()}
        options.update({f"post:{name}": tuple(HOLDER_IDS) for name in POST_IDS})
        return options

    def with_start(self, board: Board, start: tuple[tuple[str, object], ...]) -> Board:
        tracks, holders = list(board.tracks), list(board.posts)
        for key, value in start:
            kind, _, name = key.partition(":")
            if kind == "track":
                tracks[TRACK_IDS[name]] = value
            else:
                holders[POST_IDS[name]] = HOLDER_IDS[value]
        return attrs.evolve(board, tracks=tuple(tracks), posts=tuple(holders))

    # -- the white cell ------------------------------------------------------
    def tracks(self) -> dict[str, tuple[int, int]]:
        return {name: (TRACKS[t].lo, TRACKS[t].hi) for name, t in TRACK_IDS.items()}

    def inject_cards(self, board: Board) -> tuple[str, ...]:
        """Any card still in the deck (it is then played now, not drawn later)."""
        return tuple(sorted(board.deck))

    def inject(self, d: IraqDraft, card: str | None, text: str,
               effects: tuple[tuple[str, int], ...]) -> None:
        before = tuple(d.tracks)
        if card is not None:
            d.deck = tuple(c for c in d.deck if c != card)
            d.discard = d.discard + (card,)
            d.log("White cell inject: an event card out of turn")
            events.play_effects(d, card)  # the turn's initiative order stands
        else:
            d.log(f"White cell inject \u2014 {text.strip()}")
            for name, delta in effects:
                d.add(TRACK_IDS[name], delta)
        _log_changes(d, before)

    def set_tracks(self, d: IraqDraft, values: tuple[tuple[str, int], ...]) -> None:
        before = tuple(d.tracks)
        for name, value in values:
            d.set(TRACK_IDS[name], value)
        _log_changes(d, before)


def _log_changes(d: IraqDraft, before: tuple[int, ...]) -> None:
    """Log a white-cell change of tracks: the militias' arms only to them."""
    after = list(d.tracks)
    after[T.ARMS] = before[T.ARMS]
    public = track_changes(before, after)
    if public:
        d.log("  \u2192 " + public)
    if d.tracks[T.ARMS] != before[T.ARMS]:
        secret = [0] * len(before)
        secret[T.ARMS] = d.tracks[T.ARMS] - before[T.ARMS]
        d.log("  \u2192 " + track_changes([0] * len(before), secret), MIL)


_NO_COVERT = [0] * len(S)
# Every field of the board but the deck and the discards (see legal_key).
_legal_key = operator.attrgetter(*(a.name for a in attrs.fields(Board)
                                   if a.name not in ("deck", "discard")))
IRAQ_2020 = Iraq2020()
