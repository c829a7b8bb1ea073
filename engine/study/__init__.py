"""Policy studies: the scenario played many times under every combination of factors.

* :mod:`engine.study.spec` reads and checks a study file (``docs/studies.md``), pure;
* :mod:`engine.study.play` plays one game and makes its tidy row, pure;
* :mod:`engine.study.backends` plays the games here, on local processes or on Dask;
* :mod:`engine.study.storage` keeps the rows in SQLite as they arrive, exports CSV;
* :mod:`engine.study.analysis` turns rows into the report's numbers, pure;
* :mod:`engine.study.charts`, :mod:`engine.study.render` and :mod:`engine.study.export`
  draw, write and save the report.

For a notebook::

    from engine.study import run_study
    rows = run_study("studies/crossroads.toml", games=20, workers=2)
"""

from __future__ import annotations

from engine.study.runner import StudyFileError, load_study, run_study

__all__ = ["StudyFileError", "load_study", "run_study"]
