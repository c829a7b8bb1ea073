"""Build ``assets/map.json``, the board the window draws, from the reference data.

Run from the repository root after changing the layout below::

    python assets/source/build_map.py

Inputs (copied here from the project's reference data, public domain):
``iraq_region_110m.geojson`` — Natural Earth 1:110m admin-0 outlines of Iraq
and its neighbours; ``places.json`` — approximate coordinates of the places
the scenario names.  The output is plain JSON in *board units*: longitude and
latitude projected (equirectangular, true at 33°N) onto a 1000-unit-wide
board, so the window never projects anything at run time.

The board is a stylised area map: each space is a box placed at (or beside)
its place, with a pin at the real location; Baghdad's five sites, a few
kilometres apart, are drawn in an inset over the empty south-western desert.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "map.json"

LON0, LON1, LAT_TOP, LAT_BOTTOM = 38.4, 48.9, 37.7, 28.7
COS = math.cos(math.radians(33.2))
K = 1000.0 / ((LON1 - LON0) * COS)  # board units per degree of latitude
WIDTH, HEIGHT = 1000, round((LAT_TOP - LAT_BOTTOM) * K)

BOX_W, BOX_H = 164, 80           # a space's box, in board units
INSET = (6, 668, 520, 348)       # Baghdad inset: x, y, w, h

# Space id -> (short label, place name in places.json or (lat, lon), box centre or None = at the pin)
COUNTRY = {
    "airspace": ("Airspace", None, (118, 70)),
    "highway": ("Highway", "Al-Qaim (Syria border crossing)", (236, 318)),
    "asad": ("Al Asad", "Al Asad Air Base", (372, 458)),
    "erbil": ("Erbil", "Erbil", (640, 120)),
    "k1": ("K-1 Kirkuk", "K-1 Air Base (Kirkuk)", (450, 232)),
    "taji": ("Camp Taji", "Taji", (740, 420)),
    "najaf": ("Najaf", "Najaf", (600, 640)),
    "basra": ("Basra", "Basra", (880, 730)),
}
# Baghdad's sites: box centres inside the inset (inset-local units).
BAGHDAD = {
    "airport": ("Airport", "Baghdad International Airport", (84, 218)),
    "parliament": ("Parliament", "Council of Representatives (parliament)", (238, 118)),
    "pmo": ("PM's office", None, (258, 262)),
    "gzone": ("Green Zone", "US Embassy Baghdad", (428, 196)),
    "tahrir": ("Tahrir", "Tahrir Square", (420, 74)),
}
# Wider boxes for the sites that hold the most kinds of pieces (board units): the Green
# Zone holds US troops, Iraqi forces, militia cells and attacks at once, legible at 960x640.
BAGHDAD_W = {"gzone": 164}
# Where each neighbour's name is written (lat, lon), clear of the spaces.
NAME_AT = {"IRN": (34.6, 47.6), "SYR": (35.2, 39.6), "TUR": (37.45, 41.2), "JOR": None,
           "SAU": (29.0, 45.6), "KWT": (29.3, 47.6)}
CITIES = ("Mosul", "Kirkuk", "Karbala", "Nasiriyah", "Baqubah (Diyala)")
HIGHWAY = ("Mandali / Mehran border crossing", "Baqubah (Diyala)", "Baghdad", (33.42, 43.30),
           (34.13, 42.38), "Al-Qaim (Syria border crossing)")


def project(lon: float, lat: float) -> list[float]:
    return [round((lon - LON0) * COS * K, 1), round((LAT_TOP - lat) * K, 1)]


def box(cx: float, cy: float, w: float = BOX_W, h: float = BOX_H, r: float = 14) -> list[list[float]]:
    """A rounded rectangle as a polygon (corners of radius ``r``)."""
    pts = []
    corners = ((cx + w / 2 - r, cy - h / 2 + r, -90), (cx + w / 2 - r, cy + h / 2 - r, 0),
               (cx - w / 2 + r, cy + h / 2 - r, 90), (cx - w / 2 + r, cy - h / 2 + r, 180))
    for ox, oy, start in corners:
        for step in range(5):
            a = math.radians(start + step * 22.5)
            pts.append([round(ox + r * math.cos(a), 1), round(oy + r * math.sin(a), 1)])
    return pts


def smooth(ring: list[list[float]], rounds: int = 2) -> list[list[float]]:
    """Chaikin corner cutting: soften the 1:110m outline into a board-game coast."""
    for _ in range(rounds):
        out = []
        for i in range(len(ring) - 1):
            (x0, y0), (x1, y1) = ring[i], ring[i + 1]
            out.append([round(0.75 * x0 + 0.25 * x1, 1), round(0.75 * y0 + 0.25 * y1, 1)])
            out.append([round(0.25 * x0 + 0.75 * x1, 1), round(0.25 * y0 + 0.75 * y1, 1)])
        out.append(out[0])
        ring = out
    return ring


def main() -> None:
    geo = json.loads((HERE / "iraq_region_110m.geojson").read_text())
    places = json.loads((HERE / "places.json").read_text())

    def where(name):
        lat, lon = places[name] if isinstance(name, str) else name
        return project(lon, lat)

    countries = []
    for feature in geo["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [smooth([project(lon, lat) for lon, lat in poly[0]]) for poly in polys]
        iso = feature["properties"]["iso_a3"]
        entry = {"name": feature["properties"]["name"], "iso": iso, "rings": rings}
        if iso in NAME_AT:  # None: too little of it shows to carry a name
            entry["label_at"] = where(NAME_AT[iso]) if NAME_AT[iso] else None
        countries.append(entry)
    countries.sort(key=lambda c: c["iso"] == "IRQ")  # Iraq drawn last, on top

    spaces = {}
    for sid, (label, place, centre) in COUNTRY.items():
        pin = where(place) if place else None
        cx, cy = centre
        spaces[sid] = {"label": label, "shape": box(cx, cy), "centre": [cx, cy], "pin": pin,
                       "inset": False}
    ix, iy, iw, ih = INSET
    for sid, (label, place, (lx, ly)) in BAGHDAD.items():
        cx, cy = ix + lx, iy + ly
        spaces[sid] = {"label": label, "shape": box(cx, cy, BAGHDAD_W.get(sid, 148), 74), "centre": [cx, cy],
                       "pin": None, "inset": True}
    # The Tigris through the inset, schematic: it bends round the Green Zone.
    tigris = [[ix + x, iy + y] for x, y in ((330, 0), (345, 40), (318, 110), (300, 160), (318, 250),
                                            (372, 292), (452, 300), (500, 348))]
    data = {
        "credit": "Outlines: Natural Earth 1:110m admin-0 countries (public domain, "
                  "naturalearthdata.com), smoothed. Layout: Crossroads.",
        "size": [WIDTH, HEIGHT],
        "countries": countries,
        "focus": "IRQ",
        "spaces": spaces,
        "inset": {"rect": list(INSET), "title": "Baghdad", "anchor": where("Baghdad"),
                  "river": tigris},
        "cities": [{"name": name.split(" (")[0], "at": where(name)} for name in CITIES],
        "roads": [{"name": "Iran\u2013Syria highway", "points": [where(p) for p in HIGHWAY]}],
        # Names the spaces do not carry (board units, placed by hand where nothing else is).
        "labels": [{"name": "ANBAR", "at": [190.0, 455.0], "kind": "region", "align": "center"},
                   {"name": "Iran\u2013Syria crossing (al-Qaim)", "at": [250.0, 372.0], "kind": "place",
                    "align": "center"},
                   {"name": "Iran border (Mandali)", "at": [690.0, 470.0], "kind": "place", "align": "left"},
                   {"name": "Baghdad", "at": [556.0, 512.0], "kind": "capital", "align": "right"}],
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({WIDTH}\u00d7{HEIGHT} board units, {len(spaces)} spaces)")


if __name__ == "__main__":
    main()
