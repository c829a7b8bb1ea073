"""The brief's people: who holds each key post, and the politicians it names.

A post's holder is a person, not only a kind of holder.  Where the brief
names him, the board, the log and the reports do too:

* Faleh al-Fayyad, the national security adviser (a militia loyalist);
* Abu Muntadher al-Husseini (Badr), handed the security of the government
  centre days before the embassy attack;
* Ali Taqi, a Badr intelligence officer, director of Baghdad airport;
* the professional commanders purged under militia pressure: Abdul-Wahab
  al-Saadi (Counter Terrorism Service), Mahmoud al-Falahi (Anbar
  Operations Command) and Jalil al-Rubaie (Baghdad Operations Command).
  Their posts start held by loyalist replacements, in the open; whenever a
  professional holds one of these commands again, it is the purged
  commander restored.

Targeted sanctions (:mod:`rules.sanctions`) name a person: a loyalist who
holds a post, or one of the militia politicians of the brief's "far broader
list" (Hadi al-Amiri of Badr, who leads the Fatah bloc; Abu Fadak
al-Muhammadawi of Kataib Hezbollah; Qais al-Khazali of Asaib Ahl al-Haq,
already sanctioned in December 2019; Abu Mahdi al-Muhandis, designated in
2009 and the target of the US move at Baghdad airport, see
:mod:`rules.strikes`).  A sanction takes effect once per
person: ``Board.sanctioned`` holds one bit per person.  A named loyalist
removed from his post is gone for good (``Board.ousted``); a later loyalist
in that post is his unnamed successor.

President Barham Salih and Speaker Mohammed al-Halbousi act in the rules of
parliament and of the prime minister's nomination; Grand Ayatollah Ali
al-Sistani speaks from Najaf.
"""

from __future__ import annotations

from typing import NamedTuple

from rules.board import COVERT, LOYALIST, POST_NAMES, PROFESSIONAL, P


class Person(NamedTuple):
    id: str
    name: str
    role: str
    post: P | None      # the post he holds (loyalists) or was purged from (professionals)
    side: str           # "loyalist", "professional" or "politician"


PEOPLE: tuple[Person, ...] = (
    Person("fayyad", "Faleh al-Fayyad", "national security adviser", P.NSA, "loyalist"),
    Person("husseini", "Abu Muntadher al-Husseini", "Badr officer, security chief of the government centre",
           P.GZONE_SECURITY, "loyalist"),
    Person("taqi", "Ali Taqi", "Badr intelligence officer, director of Baghdad airport", P.AIRPORT,
           "loyalist"),
    Person("pmo_kh", "the Kataib Hezbollah guard commander", "security of the Prime Minister's office",
           P.PMO_SECURITY, "loyalist"),
    Person("airspace_kh", "the Kataib Hezbollah airspace officer", "airspace management", P.AIRSPACE,
           "loyalist"),
    Person("border_kh", "the Kataib Hezbollah border chief", "highway and border crossings", P.BORDER,
           "loyalist"),
    Person("cts_loyalist", "the loyalist replacement at the CTS", "Counter Terrorism Service command",
           P.CTS, "loyalist"),
    Person("baghdad_loyalist", "the loyalist replacement at Baghdad Operations", "Baghdad Operations Command",
           P.BAGHDAD_OPS, "loyalist"),
    Person("anbar_loyalist", "the loyalist replacement at Anbar Operations", "Anbar Operations Command",
           P.ANBAR_OPS, "loyalist"),
    Person("amiri", "Hadi al-Amiri", "Badr Organization leader, head of the Fatah bloc", None, "politician"),
    Person("abu_fadak", "Abu Fadak al-Muhammadawi", "Kataib Hezbollah commander", None, "politician"),
    Person("khazali", "Qais al-Khazali", "Asaib Ahl al-Haq leader", None, "politician"),
    Person("muhandis", "Abu Mahdi al-Muhandis", "Kataib Hezbollah founder, deputy head of the "
           "Popular Mobilization", None, "politician"),
    Person("saadi", "Abdul-Wahab al-Saadi", "Counter Terrorism Service head", P.CTS, "professional"),
    Person("rubaie", "Jalil al-Rubaie", "Baghdad Operations Command official", P.BAGHDAD_OPS,
           "professional"),
    Person("falahi", "Mahmoud al-Falahi", "Anbar Operations Command head", P.ANBAR_OPS, "professional"),
)
PERSON_IDS: dict[str, int] = {p.id: i for i, p in enumerate(PEOPLE)}
# The loyalist first named in each post, and the purged commander of each command.
LOYALIST_OF: dict[P, int] = {p.post: i for i, p in enumerate(PEOPLE) if p.side == "loyalist"}
COMMANDER_OF: dict[P, int] = {p.post: i for i, p in enumerate(PEOPLE) if p.side == "professional"}
SANCTIONABLE: tuple[int, ...] = tuple(i for i, p in enumerate(PEOPLE) if p.side != "professional")
# Sanctioned before the game begins: al-Khazali by the US Treasury on
# 6 December 2019, al-Muhandis designated a terrorist in 2009.
SANCTIONED_AT_START: tuple[str, ...] = ("khazali", "muhandis")
# The politicians in the game (not post holders) and the brief's moderates who act in the rules.
PRESIDENT = "President Barham Salih"
SPEAKER = "Speaker Mohammed al-Halbousi"
SISTANI = "Grand Ayatollah Ali al-Sistani"
PARTNERS: tuple[str, ...] = ("Australia", "Britain", "Canada", "France", "Italy")


def bit(person: int) -> int:
    return 1 << person


def in_office(b, person: int) -> bool:
    """Whether ``person`` (a loyalist) holds his post now, openly."""
    who = PEOPLE[person]
    return (who.side == "loyalist" and b.posts[who.post] == LOYALIST
            and not b.ousted & bit(person))


def holder_name(b, post: int) -> str:
    """Who holds ``post`` on board ``b`` (a view shows a covert loyalist as a professional)."""
    holder = b.posts[post]
    if holder == PROFESSIONAL:
        commander = COMMANDER_OF.get(P(post))
        return PEOPLE[commander].name if commander is not None else "a professional officer"
    if holder == COVERT:
        return "a covert loyalist"
    person = LOYALIST_OF[P(post)]
    if b.ousted & bit(person):
        return "a loyalist successor"
    return PEOPLE[person].name


def short_name(b, post: int) -> str:
    """A holder's name short enough for a box on the map: ``Taqi``, ``Saadi``."""
    name = holder_name(b, post)
    if name.startswith("the Kataib Hezbollah"):
        return "KH officer"
    if name.startswith("the loyalist replacement") or name == "a loyalist successor":
        return "loyalist"
    if name.startswith("a "):
        return name[2:]
    last = name.split()[-1]
    return last[3:] if last.startswith("al-") else last


def holder_text(b, post: int) -> str:
    """``Faleh al-Fayyad (militia loyalist, sanctioned)`` for the board and the log."""
    from rules.board import HOLDERS
    notes = [HOLDERS[b.posts[post]]]
    if b.posts[post] == LOYALIST:
        person = LOYALIST_OF[P(post)]
        if not b.ousted & bit(person) and b.sanctioned & bit(person):
            notes.append("sanctioned")
    elif P(post) in COMMANDER_OF and b.posts[post] == PROFESSIONAL:
        notes = ["restored"]  # every command starts purged: a professional there is back
    return f"{holder_name(b, post)} ({', '.join(notes)})"


def post_line(b, post: int) -> str:
    return f"{POST_NAMES[P(post)]}: {holder_text(b, post)}"

