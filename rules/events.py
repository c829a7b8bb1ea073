"""The event deck: one card a turn, read from the scenario's data file.

The deck holds only what came after 2 January 2020, and only what nobody at
the table decides: Sistani's sermons, the oil price, the pandemic, ISIS,
foreign capitals.  It is built in periods (January–April, May–August,
September–December 2020): each period's cards are shuffled apart and as
many as the period has turns are stacked, in period order; the others are
set aside for this game.  A turn draws the first card of its own period.
Games longer than the periods reshuffle the played cards.

A card sets the turn's initiative order and applies its effects, possibly
depending on a track (``condition`` with ``then`` / ``otherwise`` blocks).
Cards obey the moves' gates (elections are held only under a new
government).  An unclaimed attack on a card is the usual suspect's on 1d6
1-4, the other group's (militias or ISIS) on 5-6: the card does not say.
Non-player actors — Iran, ISIS, Najaf, the coalition partners, the UN —
act through the cards and through upkeep.
"""

from __future__ import annotations

from engine.rng import Rng
from rules.board import (HOLDERS, MIL, NEW_GOVERNMENT, SECRET_TRACKS, PIECE_NAMES, POST_IDS, POST_NAMES, SPACE_IDS,
                         SPACE_NAMES, TRACK_IDS, TRACKS, IraqDraft, T)
from rules.data import CARDS, HOLDER_IDS, PERIODS, PIECE_IDS, period_of
from rules.government import ELECTIONS_HELD, elections_held


def build_deck(gen: Rng) -> tuple[str, ...]:
    """The game's deck: each period's cards shuffled apart, as many as it has turns."""
    deck: list[str] = []
    for i, period in enumerate(PERIODS, 1):
        cards = gen.shuffled(sorted(c for c, card in CARDS.items() if card["period"] == i))
        deck += cards[:period["last"] - period["first"] + 1]
    return tuple(deck)


def draw(d: IraqDraft, turn: int) -> str:
    """Take the turn's card off the deck: the first of the turn's period.

    Cards of a period already past (only a white-cell inject can leave one
    behind) are set aside; past the last period the played cards are
    reshuffled."""
    period = period_of(turn)
    if period:
        d.deck = tuple(c for c in d.deck if CARDS[c]["period"] >= period)
    if not d.deck:
        gen = Rng.from_state(d.rng)
        d.deck, d.discard = tuple(gen.shuffled(sorted(d.discard))), ()
        d.rng = gen.state
    card = next((c for c in d.deck if CARDS[c]["period"] == period), d.deck[0])
    d.deck = tuple(c for c in d.deck if c != card)
    d.card = card
    d.discard = d.discard + (card,)
    return card


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else f"\u2212{-n}"


def describe_block(block: dict, public: bool = False) -> str:
    """What an effect block does, in words generated from the block itself
    (``public``: leaving out the tracks only their owner may read)."""
    parts = []
    for name, value in block.get("set", {}).items():
        spec = TRACKS[TRACK_IDS[name]]
        if not (public and TRACK_IDS[name] in SECRET_TRACKS):
            parts.append(f"{spec.label} \u2192 {spec.values[value] if spec.values else value}")
    for name, delta in block.get("effects", {}).items():
        if not (public and TRACK_IDS[name] in SECRET_TRACKS):
            parts.append(f"{TRACKS[TRACK_IDS[name]].label} {_signed(delta)}")
    for key, sign in (("remove", -1), ("place", 1)):
        for item in block.get(key, ()):
            parts.append(f"{PIECE_NAMES[PIECE_IDS[item['piece']]]} {_signed(sign * item.get('n', 1))} "
                         f"at {SPACE_NAMES[SPACE_IDS[item['space']]]}")
    if "post" in block:
        post = block["post"]
        parts.append(f"{POST_NAMES[POST_IDS[post['post']]]} \u2192 {HOLDERS[HOLDER_IDS[post['holder']]]}")
    if "attack" in block:
        a = block["attack"]
        kind = "a lethal attack" if a.get("lethal") else "a harassment attack"
        who = {"mil": "the militias", "isis": "ISIS", "iran": "Iran"}[a["by"]]
        parts.append(f"{kind} on {SPACE_NAMES[SPACE_IDS[a['space']]]}"
                     + (f" by {who}" if a.get("attributed") else " (unclaimed)"))
    return ", ".join(parts)


def _condition_text(cond: dict) -> str:
    label = TRACKS[TRACK_IDS[cond["track"]]].label
    values = TRACKS[TRACK_IDS[cond["track"]]].values

    def v(n: int) -> str:
        return values[n] if values else str(n)
    lo, hi = cond.get("at_least"), cond.get("at_most")
    spec = TRACKS[TRACK_IDS[cond["track"]]]
    if hi is not None and hi == spec.lo:
        lo = hi
    if lo is not None and lo == spec.hi:
        hi = lo
    if lo is not None and hi is not None:
        return f"{label} is {v(lo)}" if lo == hi else f"{label} is {v(lo)} to {v(hi)}"
    return f"{label} is {v(lo)} or more" if lo is not None else f"{label} is {v(hi)} or less"


def describe(card_id: str, public: bool = False) -> str:
    """Exactly what ``card_id`` does, generated from its data (log, rulebook, window).

    ``public`` leaves out the militias' arms and funds, which only they may
    read (the log gives them the full line)."""
    card = CARDS[card_id]
    out = describe_block(card, public) or "no change"
    if "condition" in card:
        cond = _condition_text(card["condition"])
        out += f"; if {cond}: " + (describe_block(card.get("then", {}), public) or "nothing more")
        if "otherwise" in card:
            out += "; otherwise: " + (describe_block(card["otherwise"], public) or "nothing more")
    return out


def _author(d: IraqDraft, by: str) -> str:
    """Who really fired an unclaimed attack on a card: usually the usual
    suspect, but on 5-6 the other one — so nobody can read it off the card."""
    if by == "iran" or d.d6() <= 4:
        return by
    return "isis" if by == "mil" else "mil"


def enforce_gates(d: IraqDraft) -> None:
    """Cards obey the same gates as moves: elections are held only under a
    new government."""
    if d.tracks[T.ELECTORAL] >= 5 and d.tracks[T.GOVERNMENT] != NEW_GOVERNMENT:
        d.set(T.ELECTORAL, 4)


def apply_block(d: IraqDraft, block: dict) -> None:
    for name, value in block.get("set", {}).items():
        d.set(TRACK_IDS[name], value)
    for name, delta in block.get("effects", {}).items():
        d.add(TRACK_IDS[name], delta)
    for item in block.get("remove", ()):
        d.remove(PIECE_IDS[item["piece"]], SPACE_IDS[item["space"]], item.get("n", 1))
    for item in block.get("place", ()):
        d.place(PIECE_IDS[item["piece"]], SPACE_IDS[item["space"]], item.get("n", 1))
    if "post" in block:
        d.appoint(POST_IDS[block["post"]["post"]], HOLDER_IDS[block["post"]["holder"]])
    if "attack" in block:
        a = block["attack"]
        attributed = bool(a.get("attributed"))
        by = a["by"] if attributed else _author(d, a["by"])
        d.mark_attack(SPACE_IDS[a["space"]], by, bool(a.get("lethal")), attributed)


def condition_holds(d, cond: dict) -> bool:
    value = d.tracks[TRACK_IDS[cond["track"]]]
    if "at_least" in cond and value < cond["at_least"]:
        return False
    if "at_most" in cond and value > cond["at_most"]:
        return False
    return True


def play_card(d: IraqDraft, card_id: str) -> tuple[str, ...]:
    """Apply ``card_id``'s effects to ``d``; return the turn's initiative order."""
    play_effects(d, card_id)
    return tuple(CARDS[card_id]["order"])


def play_effects(d: IraqDraft, card_id: str) -> None:
    """Log ``card_id`` and apply its effects (also how the white cell injects a card)."""
    card = CARDS[card_id]
    head = f"Event: {card['title']} ({card['date']}) \u2014 {card['text']}"
    full, public = describe(card_id), describe(card_id, public=True)
    d.log(f"{head} [{public}]")
    if full != public:  # the militias read what the card does to their arms and funds
        d.log(f"  For the militias: {full}.", MIL)
    before = d.tracks[T.ELECTORAL]
    apply_block(d, card)
    if "condition" in card:
        branch = "then" if condition_holds(d, card["condition"]) else "otherwise"
        apply_block(d, card.get(branch, {}))
    enforce_gates(d)
    if before < ELECTIONS_HELD <= d.tracks[T.ELECTORAL]:
        elections_held(d)
