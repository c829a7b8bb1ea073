"""Where a study's rows live: SQLite in the output directory, then CSV.

Each finished batch of games is committed at once, so a run killed at any
moment keeps every game it finished and loses only those in flight; the
``study`` table keeps the normalised study, so ``--resume`` refuses to mix
rows of a different study into the directory.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterable

DB_NAME = "study.sqlite"
CSV_NAME = "games.csv"


class StorageError(Exception):
    """The output directory cannot hold this study (one line for the user)."""


def holds_games(path: Path) -> bool:
    """Whether the store at PATH holds a game (anything unreadable counts as yes)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(db.execute("SELECT EXISTS (SELECT 1 FROM games)").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return True


class Store:
    def __init__(self, out: Path, canonical: str, columns: list[str], resume: bool) -> None:
        self.path = Path(out) / DB_NAME
        if Path(out).exists() and not Path(out).is_dir():
            raise StorageError(f"--out {out}: a file, not a folder (choose a folder for the study)")
        # A study that stopped before its first game (a cluster that could not
        # be reached...) leaves an empty store: not a study to protect.
        if not resume and Path(out).is_dir():
            # Never write a study's games.csv, report or charts over files it did not write.
            others = sorted(p.name for p in Path(out).iterdir()
                            if p.name not in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"))
            if others and not (self.path.exists() and holds_games(self.path)):
                raise StorageError(f"{out} holds files no study wrote ({', '.join(others[:3])}"
                                   f"{', ...' if len(others) > 3 else ''}): nothing was "
                                   f"written; choose an empty or new --out")
        if self.path.exists() and not resume and holds_games(self.path):
            raise StorageError(f"{out} already holds a study ({DB_NAME}); add --resume to continue it, "
                               f"or choose another --out")
        try:
            Path(out).mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS study (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self.db.execute("CREATE TABLE IF NOT EXISTS games (cell INTEGER NOT NULL, seed TEXT NOT NULL, "
                            "row TEXT NOT NULL, PRIMARY KEY (cell, seed))")
            if not resume:  # the store holds no game (checked above): start it afresh
                with self.db:
                    self.db.execute("DELETE FROM study")
            stored = dict(self.db.execute("SELECT key, value FROM study"))
        except (OSError, sqlite3.Error) as err:
            raise StorageError(f"cannot use {self.path}: {err}") from None
        if stored:
            if stored.get("canonical") != canonical:
                raise StorageError(f"{out} holds rows of a different study (other cells, seeds or "
                                   f"length); resume it with the same file and --games/--first-seed")
        else:
            with self.db:
                self.db.executemany("INSERT INTO study VALUES (?, ?)",
                                    [("canonical", canonical), ("columns", json.dumps(columns))])

    def done(self) -> set[tuple[int, int]]:
        return {(cell, int(seed)) for cell, seed in self.db.execute("SELECT cell, seed FROM games")}

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        # Seeds reach 2^64-1, beyond SQLite's integers: stored as text.
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO games VALUES (?, ?, ?)",
                                [(r["cell"], str(r["seed"]), json.dumps(r)) for r in rows])

    def rows(self) -> list[dict[str, Any]]:
        rows = [json.loads(text) for (text,) in self.db.execute("SELECT row FROM games")]
        return sorted(rows, key=lambda r: (r["cell"], r["seed"]))

    def close(self) -> None:
        self.db.close()


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """Write the rows as CSV atomically (a temporary file, then a rename)."""
    tmp = Path(path).with_suffix(".csv.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    os.replace(tmp, path)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
