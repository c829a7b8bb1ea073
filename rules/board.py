"""The vocabulary of *Iraq at the crossroads, January 2020*.

Read this module first: it names the four factions, every track and its
range, the spaces of the map, the key posts inside the Iraqi state, the
pieces, and the immutable :class:`Board` that holds them all.

Everything numeric is a *track*: faction resources (the US's political
capital, the militias' arms and funds...) and the shared situation
(escalation, ISIS pressure, electoral progress...).  One tuple holds them,
indexed by :class:`T`, so a range check, a copy or a comparison is one
operation.  Pieces sit in spaces or in each faction's pool, and the two
always add up to the faction's fixed total.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

import attrs

from engine.game import Draft

# -- factions ----------------------------------------------------------------
US, GOI, MIL, PRO = "us", "goi", "mil", "pro"
FACTIONS: tuple[str, ...] = (US, GOI, MIL, PRO)
FACTION_NAMES = {
    US: "United States",
    GOI: "Iraqi government",
    MIL: "Iran-aligned militias",
    PRO: "Protest movement",
}


class TrackSpec(NamedTuple):
    label: str
    lo: int
    hi: int
    owner: str | None
    values: tuple[str, ...] = ()  # names of the values of an ordinal track


class T(enum.IntEnum):
    """Index of each track in ``Board.tracks``."""

    # United States
    CAPITAL = 0
    COHESION = enum.auto()
    POSTURE = enum.auto()
    # Iraqi government
    BUDGET = enum.auto()
    LEGITIMACY = enum.auto()
    C2 = enum.auto()
    # Militias
    ARMS = enum.auto()
    DENIABILITY = enum.auto()
    # Protest movement
    MOMENTUM = enum.auto()
    SUPPORT = enum.auto()
    NAJAF = enum.auto()
    # The situation
    ESCALATION = enum.auto()
    ISIS = enum.auto()
    ECONOMY = enum.auto()
    ELECTORAL = enum.auto()
    GOVERNMENT = enum.auto()
    WITHDRAWAL = enum.auto()
    MOTION = enum.auto()
    MOTIONS_FAILED = enum.auto()
    ACCOUNTABILITY = enum.auto()
    US_CASUALTIES = enum.auto()
    PRO_CASUALTIES = enum.auto()
    WAIVER = enum.auto()
    SANCTIONS = enum.auto()
    COOPERATION = enum.auto()
    DESIGNATION = enum.auto()
    FRONTS = enum.auto()
    # Parliament: each bloc's inclination to vote US forces out (0..4)
    BLOC_IRAN = enum.auto()
    BLOC_SADR = enum.auto()
    BLOC_MODERATE = enum.auto()
    BLOC_KURD = enum.auto()
    BLOC_SUNNI = enum.auto()


# Posture values
CONTINUITY, TOUGHER_LOVE, SEPARATION = 0, 1, 2
POSTURES = ("continuity", "tougher_love", "separation")
# Waiver values
WITHHELD, CONDITIONAL, GRANTED = 0, 1, 2
WAIVERS = ("withheld", "conditional", "granted")
# Broad sanctions values (a threat is a value of its own: it deters, see rules.sanctions)
NO_SANCTIONS, IN_FORCE, THREATENED = 0, 1, 2
# Government values
CARETAKER, NOMINEE, NEW_GOVERNMENT = 0, 1, 2
# Withdrawal values
NO_MOTION, MOTION_PASSED, ORDERED, COMPLETED = 0, 1, 2, 3
# Motion values: none, on the agenda (voted this turn), awaiting the Speaker
ON_AGENDA, AWAITING_SPEAKER = 1, 2

TRACKS: dict[T, TrackSpec] = {
    T.CAPITAL: TrackSpec("political capital", 0, 10, US),
    T.COHESION: TrackSpec("coalition cohesion", 0, 10, US),
    T.POSTURE: TrackSpec("US posture", 0, 2, US, ("continuity", "tougher love", "separation")),
    T.BUDGET: TrackSpec("budget", 0, 10, GOI),
    T.LEGITIMACY: TrackSpec("legitimacy", 0, 10, GOI),
    T.C2: TrackSpec("command and control", 0, 10, GOI),
    T.ARMS: TrackSpec("arms and funds", 0, 10, MIL),
    T.DENIABILITY: TrackSpec("deniability", 0, 10, MIL),
    T.MOMENTUM: TrackSpec("momentum", 0, 10, PRO),
    T.SUPPORT: TrackSpec("public support", 0, 10, PRO),
    T.NAJAF: TrackSpec("Najaf's backing", 0, 10, PRO),
    T.ESCALATION: TrackSpec("US\u2013Iran escalation", 0, 10, None),
    T.ISIS: TrackSpec("ISIS pressure", 0, 10, None),
    T.ECONOMY: TrackSpec("economy", 0, 10, None),
    T.ELECTORAL: TrackSpec("electoral progress", 0, 5, None,
                           ("none", "election law", "independent commission", "date set",
                            "campaign", "elections held")),
    T.GOVERNMENT: TrackSpec("government", 0, 2, None, ("caretaker", "nominee", "new government")),
    T.WITHDRAWAL: TrackSpec("US withdrawal", 0, 3, None,
                            ("none", "motion passed", "ordered", "completed")),
    T.MOTION: TrackSpec("withdrawal motion tabled", 0, 2, None,
                        ("no", "on the agenda", "awaiting the Speaker")),
    T.MOTIONS_FAILED: TrackSpec("failed withdrawal efforts", 0, 9, None),
    T.ACCOUNTABILITY: TrackSpec("accountability", 0, 10, None),
    T.US_CASUALTIES: TrackSpec("US persons harmed", 0, 10, None),
    T.PRO_CASUALTIES: TrackSpec("protester casualties", 0, 10, None),
    T.WAIVER: TrackSpec("energy waiver", 0, 2, None, WAIVERS),
    T.SANCTIONS: TrackSpec("broad sanctions", 0, 2, None, ("no", "in force", "threatened")),
    T.COOPERATION: TrackSpec("security cooperation", 0, 1, None, ("suspended", "active")),
    T.DESIGNATION: TrackSpec("allies designate Kataib Hezbollah", 0, 1, None, ("no", "yes")),
    T.FRONTS: TrackSpec("militia front companies", 0, 4, None),
    T.BLOC_IRAN: TrackSpec("Iran-aligned Shia bloc", 0, 4, None),
    T.BLOC_SADR: TrackSpec("Sadrist bloc", 0, 4, None),
    T.BLOC_MODERATE: TrackSpec("moderate Shia bloc", 0, 4, None),
    T.BLOC_KURD: TrackSpec("Kurdish blocs", 0, 4, None),
    T.BLOC_SUNNI: TrackSpec("Sunni blocs", 0, 4, None),
}
assert set(TRACKS) == set(T), "every track needs a spec"
TRACK_IDS: dict[str, T] = {t.name.lower(): t for t in T}
# Tracks only their owner may read (see rules.scenario's view): the militias' arms and funds.
SECRET_TRACKS: dict[T, str] = {T.ARMS: MIL}
LO = tuple(TRACKS[t].lo for t in T)
HI = tuple(TRACKS[t].hi for t in T)

BLOCS: tuple[T, ...] = (T.BLOC_IRAN, T.BLOC_SADR, T.BLOC_MODERATE, T.BLOC_KURD, T.BLOC_SUNNI)
SHIA_BLOCS: tuple[T, ...] = (T.BLOC_IRAN, T.BLOC_SADR, T.BLOC_MODERATE)


# -- map ---------------------------------------------------------------------
class S(enum.IntEnum):
    """Index of each space of the map."""

    PMO = 0
    GZONE = enum.auto()
    AIRPORT = enum.auto()
    TAHRIR = enum.auto()
    PARLIAMENT = enum.auto()
    HIGHWAY = enum.auto()
    AIRSPACE = enum.auto()
    ASAD = enum.auto()
    ERBIL = enum.auto()
    K1 = enum.auto()
    TAJI = enum.auto()
    BASRA = enum.auto()
    NAJAF = enum.auto()


SPACES: tuple[S, ...] = tuple(S)  # iterating a tuple is much cheaper than an enum
SPACE_IDS: dict[str, S] = {s.name.lower(): s for s in S}
SPACE_NAMES: dict[S, str] = {
    S.PMO: "Prime Minister's office",
    S.GZONE: "Government centre and US embassy",
    S.AIRPORT: "Baghdad International Airport",
    S.TAHRIR: "Tahrir Square",
    S.PARLIAMENT: "Parliament",
    S.HIGHWAY: "Iran\u2013Syria highway (al-Qaim)",
    S.AIRSPACE: "Iraqi airspace",
    S.ASAD: "Al Asad Air Base",
    S.ERBIL: "Erbil",
    S.K1: "K-1 Air Base (Kirkuk)",
    S.TAJI: "Camp Taji",
    S.BASRA: "Basra",
    S.NAJAF: "Najaf",
}
BAGHDAD: frozenset[S] = frozenset({S.PMO, S.GZONE, S.AIRPORT, S.TAHRIR, S.PARLIAMENT})
# Where a strike risks civilian casualties.
URBAN: frozenset[S] = BAGHDAD | {S.BASRA, S.NAJAF}
# Foreign facilities the government is bound to protect.
FACILITIES: tuple[S, ...] = (S.GZONE, S.AIRPORT, S.ASAD, S.ERBIL, S.K1, S.TAJI)
# Where US forces may be posted.
US_SITES: tuple[S, ...] = FACILITIES
# Where crowds gather.
PROTEST_SITES: tuple[S, ...] = (S.TAHRIR, S.PARLIAMENT, S.GZONE, S.PMO, S.BASRA, S.NAJAF)
# Where militia cells can operate.
MILITIA_SITES: tuple[S, ...] = (S.PMO, S.GZONE, S.AIRPORT, S.TAHRIR, S.PARLIAMENT, S.HIGHWAY,
                                S.ASAD, S.K1, S.TAJI, S.BASRA, S.NAJAF)


# -- key posts inside the state ----------------------------------------------
class P(enum.IntEnum):
    """Index of each key post in ``Board.posts``."""

    PMO_SECURITY = 0
    GZONE_SECURITY = enum.auto()
    AIRPORT = enum.auto()
    AIRSPACE = enum.auto()
    BORDER = enum.auto()
    NSA = enum.auto()
    CTS = enum.auto()
    BAGHDAD_OPS = enum.auto()
    ANBAR_OPS = enum.auto()


POSTS: tuple[P, ...] = tuple(P)
POST_IDS: dict[str, P] = {p.name.lower(): p for p in P}
POST_NAMES: dict[P, str] = {
    P.PMO_SECURITY: "security of the Prime Minister's office",
    P.GZONE_SECURITY: "security of the government centre",
    P.AIRPORT: "director of Baghdad airport",
    P.AIRSPACE: "airspace management",
    P.BORDER: "highway and border crossings",
    P.NSA: "national security adviser",
    P.CTS: "Counter Terrorism Service command",
    P.BAGHDAD_OPS: "Baghdad Operations Command",
    P.ANBAR_OPS: "Anbar Operations Command",
}
# The space whose security each post controls (if any).
POST_SPACE: dict[P, S] = {
    P.PMO_SECURITY: S.PMO, P.GZONE_SECURITY: S.GZONE, P.AIRPORT: S.AIRPORT,
    P.AIRSPACE: S.AIRSPACE, P.BORDER: S.HIGHWAY,
}
SPACE_POST: dict[S, P] = {s: p for p, s in POST_SPACE.items()}
# Commands purged of professionals, which capacity building can restore.
COMMANDS: tuple[P, ...] = (P.CTS, P.BAGHDAD_OPS, P.ANBAR_OPS, P.NSA)
# Key sites the militias seize outright (DESIGN: airport, highway, airspace, diplomatic district).
KEY_SITES: tuple[P, ...] = (P.AIRPORT, P.BORDER, P.AIRSPACE, P.GZONE_SECURITY, P.PMO_SECURITY)

PROFESSIONAL, LOYALIST, COVERT = 0, 1, 2
# A value a view shows for a number its faction may not know (the militias'
# arms and funds, and how many cells they hold in reserve).
UNKNOWN = -1
HOLDERS = ("professional", "militia loyalist", "covert loyalist")

# -- pieces ------------------------------------------------------------------
# Each space holds counts of five kinds of piece; Board.pieces is flat.
K_US, K_GOI, K_MIL, K_COVERT, K_PRO = range(5)
KINDS = 5
PIECE_NAMES = ("US troops", "Iraqi forces", "militia cells", "covert cells", "crowds")
# Pool index of each faction, and the piece kinds it owns.
POOL = {US: 0, GOI: 1, MIL: 2, PRO: 3}
KIND_POOL = (0, 1, 2, 2, 3)
TOTALS = (8, 8, 12, 12)  # pieces per faction: on the map + in the pool


def at(space: int, kind: int) -> int:
    """Index of ``kind`` of piece at ``space`` in the flat ``pieces`` tuple."""
    return space * KINDS + kind


# -- per-turn flags (bits of Board.flags) ------------------------------------
F_LETHAL = 1        # a lethal attack on US persons this turn
F_ATTACK = 2        # any attack on US persons this turn
F_STRIKE = 4        # a US strike this turn
F_KILLED = 8        # protesters killed this turn
F_PROTECTED = 16    # the government protected a foreign facility this turn
F_LAST_LETHAL = 32  # a lethal attack on US persons last turn
F_LAST_ATTACK = 64  # any attack on US persons last turn
F_AFFRONT = 128     # a US strike this turn cost the Iraqi state legitimacy
F_LAST_AFFRONT = 256  # such a strike last turn, not yet condemned
F_CONDEMNED = 512   # the government condemned a US strike this turn


@attrs.frozen(slots=True)
class Attack:
    """An attack marker.  ``by`` is hidden from others until ``attributed``."""

    space: int
    by: str          # "mil", "isis", "iran", or "?" in a view that may not know
    lethal: bool
    attributed: bool
    turn: int


@attrs.frozen(slots=True)
class Board:
    """The scenario's whole situation, immutable."""

    tracks: tuple[int, ...]
    pieces: tuple[int, ...]
    pool: tuple[int, int, int, int]
    posts: tuple[int, ...]
    attacks: tuple[Attack, ...] = ()
    protected: int = 0       # bitmask of spaces protected this turn
    sitins: int = 0          # bitmask of spaces held by a sit-in
    flags: int = 0
    deck: tuple[str, ...] = ()
    card: str | None = None
    discard: tuple[str, ...] = ()
    turn: int = 0
    orders: tuple[tuple[int, str], ...] = ()  # the militias' secret attack orders this turn
    # People (rules/people.py), one bit each: who has been sanctioned, and which
    # named loyalists have lost their post for good.
    sanctioned: int = 0
    ousted: int = 0
    # The CJTF-OIR partners still in the coalition, one bit each (rules/partners.py).
    partners: int = 0b11111


# -- reading a board (or a draft: both have the same fields) -------------------
def count(b, space: int, kind: int) -> int:
    return b.pieces[space * KINDS + kind]


def on_map(b, kind: int) -> int:
    pieces = b.pieces
    return sum(pieces[kind::KINDS])


def militia_posts(b) -> int:
    return sum(1 for h in b.posts if h != PROFESSIONAL)


def holds(b, post: int) -> bool:
    """Whether the militias hold ``post`` (openly or covertly)."""
    return b.posts[post] != PROFESSIONAL


def known_loyalist(b, post: int) -> bool:
    """Whether everyone knows the militias hold ``post`` (an open loyalist).

    The other factions' rules read only this: until he is unmasked, a covert
    loyalist counts as a professional in their rolls, their upkeep and their
    previews, so nothing they see betrays him.  He counts for the militias'
    own rolls and, at the end, for the score.
    """
    return b.posts[post] == LOYALIST


def known_posts(b) -> int:
    """How many posts everyone knows the militias hold."""
    return sum(1 for h in b.posts if h == LOYALIST)


def control(b, space: int) -> str:
    """Who controls the security of ``space``: professional, militia or contested.

    Spaces with a post follow the post's holder (a covert loyalist looks
    professional to anyone who may not see it).  Others follow the visible
    pieces: open militia cells against Iraqi forces.
    """
    post = SPACE_POST.get(space)
    if post is not None:
        return "militia" if b.posts[post] == LOYALIST or b.posts[post] == COVERT else "professional"
    mil = b.pieces[space * KINDS + K_MIL]
    goi = b.pieces[space * KINDS + K_GOI]
    if mil > goi:
        return "militia"
    if mil and mil == goi:
        return "contested"
    return "professional"


class IraqDraft(Draft):
    """A mutable copy of a :class:`Board`, changed by the rules then frozen."""

    __slots__ = ("tracks", "pieces", "pool", "posts", "attacks", "protected", "sitins",
                 "flags", "deck", "card", "discard", "turn", "orders", "sanctioned", "ousted",
                 "partners")

    def __init__(self, board: Board, rng: int) -> None:
        super().__init__(rng)
        self.tracks = list(board.tracks)
        self.pieces = list(board.pieces)
        self.pool = list(board.pool)
        self.posts = list(board.posts)
        self.attacks = list(board.attacks)
        self.protected = board.protected
        self.sitins = board.sitins
        self.flags = board.flags
        self.deck = board.deck
        self.card = board.card
        self.discard = board.discard
        self.turn = board.turn
        self.orders = board.orders
        self.sanctioned = board.sanctioned
        self.ousted = board.ousted
        self.partners = board.partners

    def freeze(self) -> tuple[Board, int]:
        board = Board(tuple(self.tracks), tuple(self.pieces), tuple(self.pool), tuple(self.posts),
                      tuple(self.attacks), self.protected, self.sitins, self.flags, self.deck,
                      self.card, self.discard, self.turn, self.orders, self.sanctioned, self.ousted,
                      self.partners)
        return board, self.rng

    # -- tracks -------------------------------------------------------------
    def add(self, track: int, delta: int) -> int:
        """Move ``track`` by ``delta``, clamped to its range; return the change."""
        old = self.tracks[track]
        new = old + delta
        if new < LO[track]:
            new = LO[track]
        elif new > HI[track]:
            new = HI[track]
        self.tracks[track] = new
        return new - old

    def set(self, track: int, value: int) -> None:
        self.tracks[track] = min(HI[track], max(LO[track], value))

    def log_changes(self, before, prefix: str = "  \u2192 ", empty: str = "") -> None:
        """Log the tracks that moved since ``before``: the public ones for
        everyone, a secret track (the militias' arms) for its owner only."""
        if self.quiet:
            return
        after = self.tracks
        moved = [t for t, (old, new) in enumerate(zip(before, after)) if old != new]
        public = ", ".join(_change_text(t, before[t], after[t]) for t in moved
                           if t not in SECRET_TRACKS)
        if public or empty:
            self.log(prefix + (public or empty))
        for t in moved:
            owner = SECRET_TRACKS.get(t)
            if owner is not None:
                self.log(prefix + _change_text(t, before[t], after[t]), owner)

    # -- pieces -------------------------------------------------------------
    def place(self, kind: int, space: int, n: int = 1) -> int:
        """Move up to ``n`` pieces of ``kind`` from the pool to ``space``."""
        pool = KIND_POOL[kind]
        n = min(n, self.pool[pool])
        if n > 0:
            self.pool[pool] -= n
            self.pieces[space * KINDS + kind] += n
        return max(n, 0)

    def remove(self, kind: int, space: int, n: int = 1) -> int:
        """Return up to ``n`` pieces of ``kind`` at ``space`` to the pool."""
        i = space * KINDS + kind
        n = min(n, self.pieces[i])
        if n > 0:
            self.pieces[i] -= n
            self.pool[KIND_POOL[kind]] += n
        return max(n, 0)

    def move(self, kind: int, src: int, dst: int, n: int = 1) -> int:
        i, j = src * KINDS + kind, dst * KINDS + kind
        n = min(n, self.pieces[i])
        if n > 0:
            self.pieces[i] -= n
            self.pieces[j] += n
        return max(n, 0)

    # -- posts --------------------------------------------------------------
    def appoint(self, post: int, holder: int) -> None:
        if self.posts[post] == LOYALIST and holder != LOYALIST:
            # The named loyalist loses his post for good (rules/people.py).
            from rules.people import LOYALIST_OF
            self.ousted |= 1 << LOYALIST_OF[post]
        self.posts[post] = holder

    # -- attacks ------------------------------------------------------------
    def mark_attack(self, space: int, by: str, lethal: bool, attributed: bool = False) -> None:
        # Plain ints in the state: an IntEnum would print differently in the hash.
        self.attacks.append(Attack(int(space), by, lethal, attributed, self.turn))
        self.flags |= F_ATTACK | (F_LETHAL if lethal else 0)


_TRACK_LIST = tuple((int(t), TRACKS[t]) for t in T)


def _change_text(t: int, old: int, new: int) -> str:
    spec = _TRACK_LIST[t][1]
    if spec.values:
        return f"{spec.label} \u2192 {spec.values[new]}"
    delta = new - old
    return f"{spec.label} {'+' if delta > 0 else chr(0x2212)}{abs(delta)}"


def track_changes(before: list[int] | tuple[int, ...], after: list[int],
                  only: frozenset | None = None) -> str:
    """``legitimacy −1, escalation +2`` for every track that moved (of ``only``, if given)."""
    return ", ".join(_change_text(t, before[t], after[t]) for t in range(len(after))
                     if before[t] != after[t] and (only is None or t in only))
