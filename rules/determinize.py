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
* **the event deck**: the remaining cards are known, their order is not —
  shuffled;
* **the dice**: a fresh generator state from the bot's generator.

:func:`evaluate` scores a board for every faction at once: its score
(:mod:`rules.victory`) plus what the formula does not show yet — the
expected cost of a sudden death that is near (war at escalation 8+, a
collapse at legitimacy 1 or less, a withdrawal under way) and a little for
the resources a faction still has to spend — as a margin over the best
other faction, because the winner is the top score.
"""

from __future__ import annotations

import attrs

from engine.game import margins
from engine.rng import Rng
from engine.state import GameState
from rules.board import (COMMANDS, COVERT, FACTIONS, GOI, K_COVERT, K_MIL, K_US, KINDS, MIL,
                         MILITIA_SITES, ORDERED, POOL, PRO, PROFESSIONAL, TOTALS, UNKNOWN, US, Attack,
                         Board, P, T)
from rules.victory import COLLAPSE, SUDDEN_DEATH, WAR, WITHDRAWN, scores

# Prior chance that a post which looks professional hides a covert loyalist.
COVERT_PRIOR = {p: (0.4 if p in COMMANDS else 0.15) for p in P}
# Prior chance that an unknown attacker is the militias (else ISIS).
MILITIA_ATTACKER = 0.8


def determinize(view: GameState, faction: str, rng: Rng) -> GameState:
    """A full state consistent with ``view`` (``faction``'s view)."""
    b: Board = view.board
    deck = tuple(rng.shuffled(b.deck))
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


def _attacker(faction: str, rng: Rng) -> str:
    if faction == MIL:
        return "isis"
    return MIL if rng.random() < MILITIA_ATTACKER else "isis"


# Worth of a unit of each faction's main resource while turns remain.
RESOURCE = {US: (T.CAPITAL, 0.3), GOI: (T.C2, 0.3), MIL: (T.ARMS, 0.3), PRO: (T.MOMENTUM, 0.15)}
WAR_RISK = {8: 0.2, 9: 0.45}


def evaluate(board: Board, termination: str | None, turns_left: int = 12) -> dict[str, float]:
    """Each faction's standing as a margin over the best other faction."""
    totals = {f: float(s.total) for f, s in scores(board, termination).items()}
    if termination is None:
        t = board.tracks
        risks = []
        war = WAR_RISK.get(t[T.ESCALATION], 0.0)
        if war:
            risks.append((WAR, war))
        if t[T.LEGITIMACY] <= 1:
            risks.append((COLLAPSE, 0.6 if t[T.LEGITIMACY] == 0 else 0.25))
        if t[T.WITHDRAWAL] >= ORDERED:
            risks.append((WITHDRAWN, 0.6))
        for ending, p in risks:
            for f, points in SUDDEN_DEATH[ending].items():
                totals[f] += p * points
        if turns_left > 0:
            scale = min(1.0, turns_left / 3)
            for f, (track, worth) in RESOURCE.items():
                totals[f] += scale * worth * t[track]
    return margins(totals)


assert set(RESOURCE) == set(FACTIONS) and PRO in RESOURCE and GOI in RESOURCE
