"""The after-action review: a game turned into a report a team reads at the hotwash.

* :mod:`engine.report.timeline` replays a game and builds the report as
  plain values (pure; a seat's report sees only what the seat could see);
* :mod:`engine.report.html` and :mod:`engine.report.markdown` render it as
  text (pure);
* :mod:`engine.report.charts` draws the tracks with matplotlib (Agg) — the
  only module of the project that imports matplotlib;
* :mod:`engine.report.export` loads a save and writes the report directory
  atomically — :func:`export_report` is the one call a front end needs.
"""

from __future__ import annotations
