"""A fixed numbering of every move a scenario can ever make.

Learning libraries want a fixed action space; a scenario's moves have many
targets (a strike on any of eleven spaces, an appointment to any of nine
posts).  Every move kind declares its whole **domain** (every argument tuple
it can ever take, see :class:`engine.moves.MoveKind`), so the numbering is
simply: factions in the scenario's order, each faction's kinds in their
declaration order, each kind's domain in its own order.  It is built from
the registry when first asked for, so a rule that adds a kind or a target
renumbers everything consistently; the number of a move is stable as long
as the rules are.

The same numbering serves PettingZoo (one ``Discrete(N)`` space shared by
every agent, with a mask of the legal moves) and OpenSpiel (its distinct
actions), so an action id means the same move in both.
"""

from __future__ import annotations

from functools import lru_cache

from engine.moves import Move


class ActionTable:
    """Move <-> action id for one scenario."""

    def __init__(self, scenario) -> None:
        moves: list[Move] = []
        spans: dict[str, tuple[int, int]] = {}
        for faction in scenario.factions:
            first = len(moves)
            for kind in scenario.registry.kinds(faction):
                moves.extend(Move(faction, kind.name, args) for args in kind.domain)
            spans[faction] = (first, len(moves))
        self.moves: tuple[Move, ...] = tuple(moves)
        self.index: dict[Move, int] = {m: i for i, m in enumerate(self.moves)}
        if len(self.index) != len(self.moves):
            raise ValueError("two move kinds declare the same move")
        self.spans = spans  # faction -> [first, last) action ids

    def __len__(self) -> int:
        return len(self.moves)

    def action(self, move: Move) -> int:
        try:
            return self.index[move]
        except KeyError:
            raise ValueError(f"{move} is in no move kind's domain") from None

    def move(self, action: int) -> Move:
        if not 0 <= action < len(self.moves):
            raise ValueError(f"action {action} is not in 0..{len(self.moves) - 1}")
        return self.moves[action]

    def legal(self, game) -> list[int]:
        """Sorted action ids of the active faction's legal moves."""
        index = self.index
        return sorted([index[m] for m in game.legal_moves()])

    def text(self) -> str:
        lines = [f"actions: {len(self.moves)} (one Discrete space shared by every faction)", "",
                 "| ids | faction | kind | targets |", "|---|---|---|---|"]
        start = 0
        while start < len(self.moves):
            m = self.moves[start]
            end = start
            while end < len(self.moves) and (self.moves[end].faction, self.moves[end].kind) == (m.faction, m.kind):
                end += 1
            targets = ", ".join(" ".join(x.args) or "-" for x in self.moves[start:end])
            if len(targets) > 60:
                targets = targets[:57] + "..."
            lines.append(f"| {start}-{end - 1} | {m.faction} | {m.kind} | {targets} |")
            start = end
        return "\n".join(lines)


@lru_cache(maxsize=None)
def table(scenario) -> ActionTable:
    """The scenario's action table (built once per scenario object)."""
    return ActionTable(scenario)
