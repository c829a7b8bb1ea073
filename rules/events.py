"""The event deck: one card a turn, read from the scenario's data file.

A card sets the turn's initiative order and applies its effects, possibly
depending on a track (``condition`` with ``then`` / ``otherwise`` blocks).
Cards obey the moves' gates (elections are held only under a new
government).  An unclaimed attack on a card is the usual suspect's on 1d6
1-4, the other group's (militias or ISIS) on 5-6: the card does not say.
Non-player actors — Iran, ISIS, Najaf, the coalition partners, the UN —
act through the cards and through upkeep.
"""

from __future__ import annotations

from rules.board import NEW_GOVERNMENT, POST_IDS, SPACE_IDS, TRACK_IDS, IraqDraft, T
from rules.data import CARDS, HOLDER_IDS, PIECE_IDS
from rules.government import ELECTIONS_HELD, elections_held


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
    d.log(f"Event: {card['title']} ({card['date']}) \u2014 {card['text']}")
    before = d.tracks[T.ELECTORAL]
    apply_block(d, card)
    if "condition" in card:
        branch = "then" if condition_holds(d, card["condition"]) else "otherwise"
        apply_block(d, card.get(branch, {}))
    enforce_gates(d)
    if before < ELECTIONS_HELD <= d.tracks[T.ELECTORAL]:
        elections_held(d)
