"""Root parallelism for the search AI: a ``map`` over worker processes.

A front end (the window) that lets an AI think on every core hands a
:class:`ProcessMap` to its matches (``Match.parallel``); the search
(``engine/ai/mcts.py``) then runs its independent trees side by side and
adds up their root statistics.  The search itself never creates a process,
and a level gives the same move with or without one (each tree has its own
generator and its own share of the iterations).  Headless tournaments play
whole games on every core instead, so they pass none.

Workers are started with ``spawn`` (a fresh interpreter: safe beside the
window's drawing thread and pygame) on the first call, and reused.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable


class ProcessMap:
    """``pm(fn, items) -> list``: ``fn`` over ``items`` in ``workers`` processes."""

    def __init__(self, workers: int = 2) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __call__(self, fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return list(self._pool.map(fn, items))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
