"""How *Iraq at the crossroads* looks to a front end (see engine/display.py).

Everything here reads a board that ``Game.view(faction)`` already stripped,
so a covert cell or a covert loyalist appears only in the militias' (and the
white cell's) display.
"""

from __future__ import annotations

from engine.display import Badge, Card, Display, Gauge, Piece, Place, Presentation, Section
from engine.moves import Move
from rules.board import (COVERT, PROFESSIONAL, FACTION_NAMES, GOI, KINDS, LOYALIST, MIL, P, POST_IDS,
                         POST_NAMES, POST_SPACE, PRO, S, SPACE_IDS, SPACE_NAMES, SPACE_POST, TRACKS,
                         US, T, control, militia_posts)
from rules import events
from rules.data import CARDS, DATA
from rules import partners
from rules.people import PRESIDENT, SISTANI, SPEAKER, holder_text, short_name

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
PIECES = (("us", US, "US troops", False), ("goi", GOI, "Iraqi forces", False),
          ("mil", MIL, "militia cells", False), ("covert", MIL, "covert cells", True),
          ("pro", PRO, "crowds", False))
CONTROLS = (("professional", "professional forces"), ("contested", "contested"),
            ("militia", "militia"))
ATTACKERS = {"mil": ("M", "the militias"), "isis": ("IS", "ISIS"), "iran": ("IR", "Iran"),
             "?": ("?", "unknown")}

# What each gauge means, for the tooltip.
HINTS = {
    T.POSTURE: "The brief's question: continuity, tougher love, or separation (coalition leaves, "
               "cooperation and dollar access end, military options widen).",
    T.ESCALATION: "At 10: open war between the United States and Iran ends the game.",
    T.ISIS: "Grows while security cooperation is suspended or command is weak.",
    T.ELECTORAL: "Steps toward early elections under an independent commission.",
    T.LEGITIMACY: "If still 0 after upkeep, the government collapses and the game ends.",
    T.WITHDRAWAL: "A passed motion, then an order; completed withdrawal ends the game.",
    T.US_CASUALTIES: "Each costs the United States 2 points.",
    T.PRO_CASUALTIES: "Protesters killed since October 2019.",
}
BAD = {T.ESCALATION, T.ISIS, T.US_CASUALTIES, T.PRO_CASUALTIES, T.WITHDRAWAL, T.MOTIONS_FAILED}
SITUATION = (T.POSTURE, T.ESCALATION, "militia_posts", T.ELECTORAL, T.ISIS, T.ECONOMY,
             T.GOVERNMENT, T.WITHDRAWAL, T.ACCOUNTABILITY, T.US_CASUALTIES, T.PRO_CASUALTIES,
             T.WAIVER, T.COOPERATION, T.SANCTIONS)
RESOURCES = {US: (T.CAPITAL, T.COHESION), GOI: (T.BUDGET, T.LEGITIMACY, T.C2),
             MIL: (T.ARMS, T.DENIABILITY), PRO: (T.MOMENTUM, T.SUPPORT, T.NAJAF)}
PARLIAMENT = (T.BLOC_IRAN, T.BLOC_SADR, T.BLOC_MODERATE, T.BLOC_KURD, T.BLOC_SUNNI, T.MOTION,
              T.MOTIONS_FAILED)


def month(turn: int) -> str:
    first, year = DATA["scenario"]["first_month"].split()
    index = MONTHS.index(first) + max(turn, 1) - 1
    return f"{MONTHS[index % 12]} {int(year) + index // 12}"


# Shorter names for the values of some ordinal tracks, to fit a gauge.
SHORT_STEPS = {T.ELECTORAL: ("none", "law", "commission", "date set", "campaign", "held"),
               T.GOVERNMENT: ("caretaker", "nominee", "new"),
               T.WITHDRAWAL: ("none", "voted", "ordered", "done")}


def gauge(board, track: T) -> Gauge:
    spec = TRACKS[track]
    value = board.tracks[track]
    steps = SHORT_STEPS.get(track, spec.values)
    hint = HINTS.get(track, "")
    if value < spec.lo:  # a number this faction may not know
        return Gauge(track.name.lower(), spec.label, spec.lo, spec.lo, spec.hi, "?", (),
                     "Hidden from you: only the militias know it.", track in BAD)
    text = steps[value] if steps else str(value)
    if spec.values:
        hint = (hint + " " if hint else "") + "Steps: " + ", ".join(spec.values) + "."
    return Gauge(track.name.lower(), spec.label, value, spec.lo, spec.hi, text, steps, hint,
                 track in BAD)


def _posts_gauge(board) -> Gauge:
    held = militia_posts(board)
    return Gauge("militia_posts", "militia hold on the state", held, 0, len(P),
                 f"{held} of {len(P)} posts", (),
                 "Militia control of the state: key posts held by militia loyalists (those you can see).",
                 True)


def _place(board, space: S) -> Place:
    base = space * KINDS
    pieces = tuple(Piece(kind, owner, label, board.pieces[base + i], covert)
                   for i, (kind, owner, label, covert) in enumerate(PIECES) if board.pieces[base + i])
    badges = []
    for a in board.attacks:
        if a.space == space and a.turn >= board.turn - 1:
            mark, who = ATTACKERS.get(a.by, ("?", a.by))
            state = "attributed to" if a.attributed else "unattributed; you know it was" \
                if a.by != "?" else "unattributed, by"
            badges.append(Badge("attack", mark,
                                f"{'Lethal attack' if a.lethal else 'Harassing fire'} in turn {a.turn}, "
                                f"{state} {who}"))
    if board.sitins >> space & 1:
        badges.append(Badge("sitin", "S", "A sit-in holds the square"))
    if board.protected >> space & 1:
        badges.append(Badge("protected", "P", "Iraqi forces protect it this turn"))
    notes = []
    caption = CAPTIONS.get(space, "")
    here = [p for p in (SPACE_POST.get(space), COMMAND_AT.get(space)) if p is not None]
    for post in here:
        notes.append(f"Post: {POST_NAMES[post]} \u2014 {holder_text(board, post)}")
    if here:
        post = here[-1]
        if post in COMMAND_LABEL and board.posts[post] != PROFESSIONAL:
            caption = COMMAND_LABEL[post] + " purged"
        else:
            caption = short_name(board, post) + (" (sanctioned)" if "sanctioned" in holder_text(board, post)
                                                 else "")
    elif caption:
        notes.append(CAPTION_NOTES[space])
    if space == S.ASAD:
        notes.append("Coalition partners: " + (", ".join(partners.present(board)) or "none left"))
    return Place(space.name.lower(), SPACE_NAMES[space], control(board, space), pieces,
                 tuple(badges), tuple(notes), caption)


# Who the board names at each place: the post's holder (rules/people.py), the
# commands at the places in their area, and the brief's moderates where they act.
# (Al Asad is in Anbar; Taji north of Baghdad; the CTS fights ISIS around Kirkuk
# with the coalition; the national security adviser sits with the PM's office.)
COMMAND_AT = {S.ASAD: P.ANBAR_OPS, S.TAJI: P.BAGHDAD_OPS, S.K1: P.CTS, S.PMO: P.NSA}
COMMAND_LABEL = {P.ANBAR_OPS: "Anbar Ops", P.BAGHDAD_OPS: "Bgd Ops", P.CTS: "CTS"}
CAPTIONS = {S.PARLIAMENT: "Halbousi", S.NAJAF: "Sistani"}
CAPTION_NOTES = {S.PARLIAMENT: f"{SPEAKER} sets the agenda; {PRESIDENT} names the prime minister.",
                 S.NAJAF: f"{SISTANI} speaks through the Friday sermon."}


class IraqPresentation(Presentation):
    def display(self, board, faction: str | None) -> Display:
        situation = tuple(_posts_gauge(board) if t == "militia_posts" else gauge(board, t)
                          for t in SITUATION)
        sections = [Section("Situation", None, situation)]
        for owner, tracks in RESOURCES.items():
            sections.append(Section(FACTION_NAMES[owner], owner, tuple(gauge(board, t) for t in tracks)))
        sections.append(Section("Parliament: leaning to expel US forces", None,
                                tuple(gauge(board, t) for t in PARLIAMENT)))
        posts = tuple((POST_NAMES[p], holder_text(board, p),
                       "militia" if h in (LOYALIST, COVERT) else "professional")
                      for p, h in zip(P, board.posts))
        card = None
        if board.card:
            c = CARDS[board.card]
            effect = events.describe(board.card, public=faction not in (MIL, None))
            card = Card(c["title"], c["date"], f"{c['text']} [{effect}]")
        return Display(month(board.turn), tuple(sections), tuple(_place(board, s) for s in S),
                       posts, card, CONTROLS)

    def piece_kinds(self):
        return PIECES

    def places_of(self, move: Move) -> tuple[str, ...]:
        out = []
        if move.faction == PRO and move.kind == "march":
            out.append("tahrir")
        for arg in move.args:
            if arg in SPACE_IDS:
                out.append(arg)
            elif arg in POST_IDS and POST_IDS[arg] in POST_SPACE:
                out.append(POST_SPACE[POST_IDS[arg]].name.lower())
        return tuple(dict.fromkeys(out))


PRESENTATION = IraqPresentation()
