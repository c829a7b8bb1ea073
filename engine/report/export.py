"""Writing a report directory: ``report.html``, ``summary.md`` and the charts.

The one call a front end needs is :func:`export_report` (the window's end
screen and replay viewer, the ``report`` command).  The directory appears
whole or not at all: everything is written into a fresh temporary
directory beside the target, then renamed into place; any failure removes
the temporary directory and leaves whatever was there before untouched.

This module and :mod:`engine.report.charts` are the report's only I/O (the
purity test lists them); the timeline and the renderers stay pure.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from engine import ENGINE_VERSION
from engine.moves import Move
from engine.report import html, markdown
from engine.report.timeline import Annotation, Pushed, Report, ReportError, Source, build

HTML_NAME = "report.html"
MARKDOWN_NAME = "summary.md"
MANIFEST_NAME = "report-manifest.json"  # what a report wrote: the only files it may replace


class ExportError(ValueError):
    """The report cannot be written (a one-line message for the player)."""


# -- from a save's record -------------------------------------------------------
def source_from_record(record: Any, label: str = "") -> Source:
    """The line of play of a loaded save (:class:`engine.record.Record`).

    Moves still standing are the line of play; an undone move becomes an
    "undo" annotation where it was taken back; entries that keep the state
    (players' notes, bookmarks) become annotations; other entries that
    change the state (white-cell injects, overrides) become steps played
    through the entry itself.
    """
    header = record.header
    items: list[Any] = []
    line: list[int] = []  # indexes in ``items`` of the steps still standing
    for entry in record.entries:
        kind = type(entry).type
        effect = type(entry).effect
        if kind == "end":  # the save's own marker: the report shows the outcome itself
            continue
        if effect == "push":
            if kind == "move":
                items.append(Move.parse(entry.move))
            else:
                items.append(_pushed(entry, kind))
            line.append(len(items) - 1)
        elif effect == "pop":
            index = line.pop()
            undone = items[index]
            items[index] = _Undone(undone)  # it leaves the line of play
            items.append(Annotation(len(line), "undo", _actor(undone),
                                    f"{_describe(undone, record)} is taken back",
                                    audience=_undo_audience(undone, record)))
        else:
            after = _field(entry, "after_move", "move_index")
            after = after if isinstance(after, int) and not isinstance(after, bool) else len(line)
            kind_name = "bookmark" if _field(entry, "bookmark") else kind
            items.append(Annotation(after, kind_name, _field(entry, "author", "by", "faction"),
                                    _text(entry), _field(entry, "rationale") or "",
                                    _field(entry, "audience")))
    kept = tuple(i for i in items if not isinstance(i, _Undone))
    return Source(record.scenario, header.seed, header.turns, kept, label)


def notes_by_move(record: Any, faction: str | None = None) -> dict[int, list[Annotation]]:
    """The notes, bookmarks and undos of a loaded save that ``faction`` may read
    (None: the white cell, all), by the move they follow (0: before any move).

    For a replay viewer: show ``notes_by_move(record)[i]`` beside move ``i``.
    """
    out: dict[int, list[Annotation]] = {}
    for item in source_from_record(record).items:
        if isinstance(item, Annotation) and item.visible_to(faction):
            out.setdefault(item.after, []).append(item)
    return out


def _pushed(entry: Any, kind: str) -> Pushed:
    """A white-cell entry that changes the game, as a step of the report.

    An override carries the move it plays (read like any move, so a covert
    one stays covert in a seat's report); a ruling's values are for the white
    cell's eyes (they may name a track a seat may not know: the seat reads
    the ruling's public log lines instead).
    """
    text = _field(entry, "move")
    move = Move.parse(text) if isinstance(text, str) else None
    values = _field(entry, "values")
    seat_text = None
    if move is not None:
        shown, author = str(move), "white"  # read through the move: see timeline.build
    elif isinstance(values, dict):
        shown = "tracks set: " + ", ".join(f"{k} {v}" for k, v in values.items())
        seat_text, author = "the white cell sets tracks", "white"
    else:
        shown, author = _text(entry), _field(entry, "author", "by") or "white"
    return Pushed(kind, author, shown, entry.play, _field(entry, "rationale") or "",
                  _field(entry, "audience"), move, seat_text)


class _Undone:
    def __init__(self, item: Any) -> None:
        self.item = item


def _field(entry: Any, *names: str) -> Any:
    for name in names:
        value = getattr(entry, name, None)
        if value not in (None, ""):
            return value
    return None


def _text(entry: Any) -> str:
    text = _field(entry, "text", "summary")
    return str(text) if text is not None else entry.describe()


def _actor(item: Any) -> str | None:
    return item.faction if isinstance(item, Move) else item.author


def _describe(item: Any, record: Any) -> str:
    if isinstance(item, Move):
        return str(item)
    if item.move is not None:
        return f"{item.kind} of {item.move}"
    return f"{item.kind} ({item.text})"


def _undo_audience(item: Any, record: Any) -> str | None:
    """An undone covert move is known only to its author (and the white cell)."""
    move = item if isinstance(item, Move) else item.move
    if move is not None:
        kind = record.scenario.registry.kind(move.faction, move.kind)
        if kind.covert(move.args):
            return move.faction
    return item.audience if isinstance(item, Pushed) else None


def load_source(path: str | os.PathLike) -> Source:
    """Load and verify a save, as a report's source; :class:`ExportError` if unusable."""
    try:
        from engine import record as saves
    except ImportError:  # pragma: no cover - before the saves work lands
        raise ExportError("this engine cannot read save files yet") from None
    try:
        loaded = saves.load(path, verify=True)
    except saves.SaveError as err:
        raise ExportError(f"{path}: {err}") from None
    return source_from_record(loaded, Path(path).name)


# -- writing ------------------------------------------------------------------------
def render_files(report: Report) -> dict[str, bytes]:
    """Every file of the report directory, by name."""
    from engine.report import charts  # matplotlib only when a report is really drawn

    images = charts.render(report)
    titles = {name: charts.CHARTS.get(name.removesuffix(".png"), name) for name in images}
    footer = (f"Made by Crossroads {ENGINE_VERSION} from a replay of the game"
              + (f" ({report.label})" if report.label else "")
              + ". Self-contained: this page and its images read offline.")
    files = dict(images)
    files[HTML_NAME] = html.render(report, titles, footer).encode("utf-8")
    files[MARKDOWN_NAME] = markdown.render(report, titles).encode("utf-8")
    return files


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _replaceable(out: Path) -> str | None:
    """Why the existing ``out`` may not be replaced, or None: it must be empty,
    or hold exactly the files its manifest lists, each as that report wrote it."""
    try:
        names = {p.name: p for p in out.iterdir()}
    except OSError as err:
        return f"cannot read it: {err.strerror or err}"
    if not names:
        return None
    manifest = names.get(MANIFEST_NAME)
    if manifest is None:
        return "is not a Crossroads report (no report-manifest.json)"
    try:
        st = manifest.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > 1024 * 1024:
            raise ValueError
        doc = json.loads(manifest.read_bytes().decode("utf-8"))
        files = doc["files"]
        if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in files.items()):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "holds an unreadable report-manifest.json"
    for name, path in names.items():
        if name == MANIFEST_NAME:
            continue
        if name not in files:
            return f"holds {name!r:.60}, which no report wrote"
        try:
            st = path.lstat()
            if not stat.S_ISREG(st.st_mode) or _digest(path.read_bytes()) != files[name]:
                return f"holds {name!r:.60}, changed since the report wrote it"
        except OSError as err:
            return f"cannot read {name!r:.60}: {err.strerror or err}"
    return None


def write_report(files: dict[str, bytes], out_dir: str | os.PathLike) -> Path:
    """Write ``files`` as the directory ``out_dir``, all at once; return the HTML's path.

    A manifest (``report-manifest.json``: each file's name and SHA-256) is
    written with them.  An existing ``out_dir`` is replaced only if it is
    empty or holds nothing but an earlier report's files, unchanged, as its
    manifest lists them; anything else is refused in one line and nothing is
    deleted.
    """
    out = Path(out_dir)
    if out.exists() or out.is_symlink():
        if out.is_symlink() or not out.is_dir():
            raise ExportError(f"{out} exists and is not a directory")
        why = _replaceable(out)
        if why is not None:
            raise ExportError(f"{out} {why}: nothing was replaced; choose another --out")
    files = dict(files)
    files[MANIFEST_NAME] = (json.dumps({"files": {n: _digest(d) for n, d in sorted(files.items())}},
                                       indent=1) + "\n").encode()
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as err:
        raise ExportError(f"cannot write in {parent}: {err.strerror or err}") from None
    old = None
    try:
        for name, data in files.items():
            with open(tmp / name, "wb") as f:
                f.write(data)
        os.chmod(tmp, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.replace(out, old)
        os.replace(tmp, out)
    except BaseException as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists() and not out.exists():
            os.replace(old, out)  # put the earlier report back
        if isinstance(err, OSError):
            raise ExportError(f"cannot write {out}: {err.strerror or err}") from None
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out / HTML_NAME


def export_report(record_or_path: Any, out_dir: str | os.PathLike, faction: str | None = None) -> Path:
    """Turn a save into a report directory; return the path of its ``report.html``.

    ``record_or_path``: a save file's path, a loaded :class:`engine.record.Record`
    or a :class:`~engine.report.timeline.Source`.  ``faction``: a seat's
    report (only what that faction could see); None for the white cell's.
    Raises :class:`ExportError` / :class:`ReportError` (both ``ValueError``,
    one line) and writes nothing then.
    """
    if isinstance(record_or_path, Source):
        source = record_or_path
    elif isinstance(record_or_path, (str, os.PathLike)):
        source = load_source(record_or_path)
    else:
        source = source_from_record(record_or_path)
    report = build(source, faction)
    return write_report(render_files(report), out_dir)


# -- the debrief of a class: several tables' saves, one comparison -----------------
CLASS_FORMAT = "crossroads-class"  # the class file of ``host --tables N`` (engine/cli/classroom.py)
STUDY_ROWS = "games.csv"           # the rows of ``main.py study --out DIR``
MAX_STUDY_BYTES = 200 * 1024 * 1024


def _class_tables(path: Path) -> list[tuple[str, Path]] | None:
    """The tables a class file lists, or None if ``path`` is no class file."""
    from engine.record import SaveError, read_text
    try:  # never opens a named pipe or a device (it would block): read_text refuses them
        doc = json.loads(read_text(path, 1_000_000))
    except (SaveError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != CLASS_FORMAT:
        return None
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(
            isinstance(v, str) and "/" not in v and "\\" not in v and v not in ("", ".", "..")
            for v in tables.values()):
        raise ExportError(f"{path}: a class file with an unreadable list of tables")
    return [(str(tid), path.parent / name) for tid, name in tables.items()]


def table_saves(paths: list[str | os.PathLike]) -> list[tuple[str, Path]]:
    """(label, save) of every table named: saves, class files, or a folder
    (its class files' tables, else every save in it but token files and autosaves)."""
    out: list[tuple[str, Path]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[tuple[str, Path]] = []
            for p in sorted(path.glob("*.json")):
                found += _class_tables(p) or []
            if not found:
                found = [(p.stem, p) for p in sorted(path.glob("*.json"))
                         if not p.name.endswith(".tokens.json") and not p.name.startswith("autosave-")]
            if not found:
                raise ExportError(f"{path}: no saves in this folder")
            out += found
        elif not path.exists():
            raise ExportError(f"{path}: no such file")
        else:
            out += _class_tables(path) or [(path.stem, path)]
    seen: set[Path] = set()
    for _, p in out:  # the same table twice would be compared with itself
        if p.resolve() in seen:
            raise ExportError(f"{p}: named twice (a debrief compares different tables)")
        seen.add(p.resolve())
    labels = [label for label, _ in out]
    if len(set(labels)) != len(labels):  # two classes' t1: name them by file
        out = [(p.stem, p) for _, p in out]
    return out


def read_study(folder: str | os.PathLike) -> tuple[str, list[dict[str, str]]]:
    """A study's rows: ``DIR/games.csv`` (or a CSV file named directly)."""
    import csv
    path = Path(folder)
    if path.is_dir():
        path = path / STUDY_ROWS
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a named pipe would block: never opened
            raise ExportError(f"{path}: not a regular file (a study's rows are a CSV file)")
        if st.st_size > MAX_STUDY_BYTES:
            raise ExportError(f"{path}: too large for a study's rows")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file (a study's --out folder holds {STUDY_ROWS})") \
            from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ExportError(f"{path}: not a readable CSV ({err})") from None
    if not rows or not any(k.startswith(("score:", "track:")) for k in rows[0]):
        raise ExportError(f"{path}: no study rows (expected score:F and track:NAME columns)")
    return str(path), rows


def export_debrief(paths: list[str | os.PathLike], out_dir: str | os.PathLike,
                   study: str | os.PathLike | None = None) -> Path:
    """Several tables' saves into one debrief directory; return its ``report.html``."""
    from engine import record as saves
    from engine.report import charts, debrief

    tables = []
    for label, path in table_saves(paths):
        try:
            loaded = saves.load(path, verify=True)
        except saves.SaveError as err:
            raise ExportError(f"{path}: {err}") from None
        report = build(source_from_record(loaded, path.name), None)
        tables.append(debrief.Table(label, loaded.header.seats, report))
    where, rows = read_study(study) if study is not None else ("", [])
    try:
        d = debrief.build(tables, rows, where)
    except ValueError as err:
        raise ExportError(str(err)) from None
    files = charts.debrief(d.tables)
    titles = {name: charts.DEBRIEF_CHARTS[name] for name in files}
    footer = (f"Made by Crossroads {ENGINE_VERSION} from replays of {len(tables)} tables' saves"
              ". Self-contained: this page and its images read offline.")
    files[HTML_NAME] = debrief.render_html(d, titles, footer).encode("utf-8")
    files[MARKDOWN_NAME] = debrief.render_markdown(d, titles).encode("utf-8")
    return write_report(files, out_dir)


__all__ = ["ExportError", "ReportError", "export_debrief", "export_report", "load_source",
           "notes_by_move", "read_study", "render_files", "source_from_record", "table_saves",
           "write_report"]
