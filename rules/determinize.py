"""What the search AI may believe: possible worlds and how good they are.

The search (``engine/ai/mcts.py``) never touches the true state.  It gets a
faction's view and, for each simulation, asks :func:`determinize` for one
full board consistent with that view, sampling what the faction cannot see
with the bot's own generator:

* **the militias' arms and reserve of cells** (hidden from the others):
  arms guessed between 3 and 7, one to four covert cells;
* **covert militia cells** (hidden from all but the militias): their number
  is guessed (or known, twelve cells minus the pool and the open cells,
  when a view shows the reserve) but not their places, so they are dealt one by one to the militia sites,
  a site with open cells or US troops being likelier (crews go where there
  is work);
* **covert loyalists** look like professionals: each seemingly professional
  post is a covert loyalist with a prior chance (higher for the purged
  commands of the brief, lower for the key sites);
* **unknown attackers** (``?``) are the militias four times out of five,
  else ISIS (for the militias themselves, who know their own attacks, an
  unknown attacker is always ISIS);
* **the militias' attack orders** of this turn (rockets land in the
  resolution phase) are stripped from the others' views; a determinisation
  assumes none is pending (the attack shows once it lands) — a known
  simplification;
* **the event deck**: the remaining cards are known, their order is not.
  A turn draws the first card of its period (:func:`rules.events.draw`), so
  only the order of the cards of the periods a simulation can reach
  matters: with ``draws`` (the search's simulations end within that many
  turns) only those periods' cards are shuffled among their places, the
  others keep the view's order; without it the whole deck is shuffled;
* **the dice**: a fresh generator state from the bot's generator.

How good a board is for each faction is :mod:`rules.evaluate` (the
projected score).
"""

from __future__ import annotations

import attrs

from engine.rng import Rng
from rules.data import CARDS, period_of
from engine.state import GameState
from rules.board import (COMMANDS, COVERT, K_COVERT, K_MIL, K_US, KINDS, MIL, MILITIA_SITES, POOL,
                         PROFESSIONAL, TOTALS, UNKNOWN, Attack, Board, P, T)

# Prior chance that a post which looks professional hides a covert loyalist.
COVERT_PRIOR = {p: (0.4 if p in COMMANDS else 0.15) for p in P}
# Prior chance that an unknown attacker is the militias (else ISIS).
MILITIA_ATTACKER = 0.8


def determinize(view: GameState, faction: str, rng: Rng, draws: int | None = None) -> GameState:
    """A full state consistent with ``view`` (``faction``'s view)."""
    b: Board = view.board
    deck = tuple(rng.shuffled(b.deck)) if draws is None else _drawn_first(b.deck, view.ctx.turn, draws, rng)
    attacks = b.attacks
    if any(a.by == "?" for a in attacks):
        attacks = tuple(
            Attack(a.space, _attacker(faction, rng), a.lethal, a.attributed, a.turn) if a.by == "?" else a
            for a in attacks)
    changes = {"deck": deck, "attacks": attacks}
    if faction != MIL:
        pieces = list(b.pieces)
        open_cells = sum(pieces[s * KINDS + K_MIL] for s in range(len(pieces) // KINDS))
        room = TOTALS[POOL[MIL]] - open_cells
        if b.pool[POOL[MIL]] == UNKNOWN:  # the reserve is hidden too: guess 1 to 4 covert cells
            hidden = min(room, 1 + rng.below(4))
        else:
            hidden = room - b.pool[POOL[MIL]]
        if hidden > 0:
            weights = [1 + 2 * (pieces[s * KINDS + K_MIL] > 0) + (pieces[s * KINDS + K_US] > 0)
                       for s in MILITIA_SITES]
            total = sum(weights)
            for _ in range(hidden):
                k = rng.below(total)
                for s, w in zip(MILITIA_SITES, weights):
                    if k < w:
                        pieces[s * KINDS + K_COVERT] += 1
                        break
                    k -= w
        changes["pieces"] = tuple(pieces)
        pool = list(b.pool)
        pool[POOL[MIL]] = room - max(hidden, 0)
        changes["pool"] = tuple(pool)
        if b.tracks[T.ARMS] == UNKNOWN:  # the militias' war chest: guess 3 to 7
            tracks = list(b.tracks)
            tracks[T.ARMS] = 3 + rng.below(5)
            changes["tracks"] = tuple(tracks)
        changes["posts"] = tuple(
            COVERT if h == PROFESSIONAL and rng.random() < COVERT_PRIOR[p] else h
            for p, h in zip(P, b.posts))
    board = attrs.evolve(b, **changes)
    return GameState(view.ctx, board, rng.spawn().state)


def _drawn_first(deck: tuple[str, ...], turn: int, draws: int, rng: Rng) -> tuple[str, ...]:
    """``deck`` with the cards of the next ``draws`` turns' periods shuffled in their places."""
    periods = {period_of(t) for t in range(turn + 1, turn + 1 + draws)}
    if 0 in periods:  # past the last period the played cards are reshuffled: shuffle all
        return tuple(rng.shuffled(deck))
    places = [i for i, c in enumerate(deck) if CARDS[c]["period"] in periods]
    items = list(deck)
    for i, c in zip(places, rng.shuffled([deck[i] for i in places])):
        items[i] = c
    return tuple(items)


def _attacker(faction: str, rng: Rng) -> str:
    if faction == MIL:
        return "isis"
    return MIL if rng.random() < MILITIA_ATTACKER else "isis"
