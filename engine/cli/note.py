"""``note``: attach a note (or a bookmark) to a move of a save.

``python main.py note SAVE --move 17 --author us --text "Why we struck"``
adds a note entry to the save's log (the state does not change, so every
hash still verifies) and rewrites the file atomically: on any error the
original is untouched.  A note is its author's own (a faction's notes are
the white cell's to read too) unless ``--public``, when every seat reads it.  Notes
show in the after-action review and in the replay viewer.
"""

from __future__ import annotations

import argparse

from engine.cli import CliError, nonneg_int

WHITE = "white"


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("note", description="Attach a note (or, with --bookmark, a bookmark) to a move of "
                                   "a save file; the file is verified first and rewritten "
                                   "atomically.")
    p.add_argument("path", metavar="SAVE", help="the save file (changed in place)")
    p.add_argument("--move", type=nonneg_int, required=True, metavar="N",
                   help="the move the note is about: 1 for the first move (0: before any move)")
    p.add_argument("--author", required=True, metavar="WHO",
                   help="a faction id (us, goi, mil, pro) or 'white' for the white cell")
    p.add_argument("--text", required=True, help="the note, one line")
    p.add_argument("--bookmark", action="store_true", help="mark the move as a bookmark")
    p.add_argument("--public", action="store_true",
                   help="let every seat read the note (default: the author's eyes only; the "
                        "white cell reads every note)")
    p.add_argument("--key", metavar="FILE",
                   help="a record the host signed: check its signature with the key in FILE (the "
                        "exercise's token file, SAVE.tokens.json) and sign it again with the "
                        "note; without it a signed record is refused, as the note would remove "
                        "the signature")
    return p


def run(args: argparse.Namespace) -> int:
    from engine import record as saves

    try:
        record = saves.load(args.path, verify=True)
    except saves.SaveError as err:
        raise CliError(f"{args.path}: {err}") from None
    if record.rebased is not None and record.rebased.lossy:
        raise CliError(f"{args.path}: {record.rebased.refusal()}")
    if args.key is not None:
        try:
            key = saves.read_key(args.key)
        except saves.SaveError as err:
            raise CliError(f"--key {args.key}: {err}") from None
        if record.mac is not None:
            try:
                record.check_signature(key)
            except saves.SaveError as err:
                raise CliError(f"{args.path}: {err}") from None
        record.signing_key = key
    elif record.mac is not None:
        from pathlib import Path
        tokens = Path(args.path).with_name(Path(args.path).stem + ".tokens.json")
        raise CliError(f"{args.path} is signed by the host and a note would remove the signature: "
                       f"add --key {tokens} to sign it again, or note a copy")
    try:
        entry = saves.note_entry(record, args.move, args.author, args.text,
                                 public=args.public, bookmark=args.bookmark)
        record.annotate(entry)
        saves.save(record, args.path)
    except saves.SaveError as err:
        raise CliError(str(err)) from None
    except ValueError as err:
        raise CliError(str(err)) from None
    what = "bookmark" if args.bookmark else "note"
    print(f"{what} added to move {args.move} of {args.path}")
    return 0
