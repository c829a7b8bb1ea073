"""Each faction's briefing: what it wants, how it scores, what it can do.

Only the first paragraph (what the faction wants, in the brief's terms) is
written here; the rest is read from the rules at run time: the scoring
paragraph from the victory module's own rulebook text and its live terms
(``victory.scores``), the moves from the registry, the second action from
``SECOND_ACTION`` and the turn order from the event cards.  A change to any
of those shows up in the briefing without touching this file.
"""

from __future__ import annotations

import inspect

from rules import victory
from rules.board import FACTION_NAMES, GOI, MIL, PRO, TRACKS, US

WANTS = {
    US: "A sovereign, stable Iraq that keeps its partnership with the United States and its "
        "distance from Tehran; no US persons harmed; the coalition intact. Every lever (strikes, "
        "sanctions, the energy waiver, the posture) works through what the others then choose, "
        "and hurting the partner costs you too.",
    GOI: "To survive: keep legitimacy, sovereignty and the budget, keep both patrons paying (the US "
         "partnership and Iran's gas and power), and move toward a new government before the street "
         "or the militias bring this one down.",
    MIL: "US forces out of Iraq, the key posts of the state in loyal hands, and deadlock over "
         "reform: a shadow state that prospers unseen, funded by front companies, whose attacks "
         "are hard to attribute.",
    PRO: "Early elections under an independent commission, a new government and accountability "
         "for the killings of protesters, with Najaf's backing and without being crushed.",
}


def scoring_text(faction: str) -> str:
    """The victory module's own paragraph for ``faction`` (its rulebook text)."""
    doc = inspect.getdoc(victory) or ""
    name = FACTION_NAMES[faction]
    names = {name, name.split()[-1].capitalize()}   # "Iran-aligned militias" is "Militias" there
    lines = doc.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.strip() in names and not line.startswith(" "):
            for follow in lines[i + 1:]:
                if not follow.startswith(" ") or not follow.strip():
                    break
                out.append(follow.strip())
            break
    return " ".join(out)


def briefing(board, faction: str) -> list[tuple[str, str]]:
    """(heading, paragraph) sections of ``faction``'s briefing on ``board`` (its view)."""
    from rules.kinds import REGISTRY
    from rules.scenario import SECOND_ACTION
    from rules.data import CARDS
    name = FACTION_NAMES[faction]
    score = victory.scores(board, None)[faction]
    terms = ", ".join(f"{label} {'+' if points >= 0 else chr(0x2212)}{abs(points)}"
                      for label, points in score.breakdown)
    scoring = scoring_text(faction)
    how = (scoring + " " if scoring else "") + f"Now: {score.total} points ({terms})."
    kinds = [k.title for k in REGISTRY.kinds(faction) if k.name != "pass"]
    track, threshold = SECOND_ACTION[faction]
    firsts = sum(1 for c in CARDS.values() if c["order"][0] == faction)
    actions = (f"One action a turn, two while your {TRACKS[track].label} is {threshold} or more "
               f"(now {board.tracks[track] if board.tracks[track] >= 0 else '?'}). Each month's event card "
               f"sets who acts first: the {name} open {firsts} of the {len(CARDS)} cards. Passing "
               f"husbands your main resource (+1).")
    return [("What you want", WANTS[faction]),
            ("How you score", how),
            ("Your moves", "; ".join(kinds) + "."),
            ("Actions and turn order", actions)]
