"""The exercise protocol: JSON text frames, each an object with a ``type``.

Every message from a client carries ``"v": 1`` and is checked strictly
before anything reads it: a known type, the fields of that type and no
others, each of the right JSON type and size.  A frame that fails gets a
one-line ``error`` reply (and is logged by the server); the connection stays
open unless the failure is about who the client is (hello) or a flood.

Client -> server::

    {"v": 1, "type": "hello", "token": "..."}             first, within 10 s
    {"v": 1, "type": "move", "move": "us:pass", "ref": "7", "at": 12}
    {"v": 1, "type": "seal", "moves": ["us:pass"], "ref": "8"}   sealed orders
    {"v": 1, "type": "ping"}
    white cell only:
    {"v": 1, "type": "pause"} / {"type": "resume"}
    {"v": 1, "type": "clock", "seconds": 60, "default": "pass" | "ai"}  (null: no clock)
    {"v": 1, "type": "inject", "card": "k1-rockets", "turn": 5}          (turn: scheduled)
    {"v": 1, "type": "inject", "text": "...", "effects": {"economy": -2}}
    {"v": 1, "type": "review", "on": true}
    {"v": 1, "type": "approve", "rationale": "..."}       (rationale: optional, kept as a note)
    {"v": 1, "type": "override", "tier": "fail", "rationale": "..."}
    {"v": 1, "type": "ruling", "values": {"escalation": 6}, "rationale": "..."}
    {"v": 1, "type": "sealed", "on": true}
    {"v": 1, "type": "show", "spectators": "none" | "public" | "all" | FACTION}
    every white-cell request but ping may name its tables (a server of several):
    {"v": 1, "type": "pause", "table": "t2"}   ("t1,t3", or "all")

Server -> client: ``welcome`` (who you are, the whole visible log), ``state``
(after every change: the situation as you may see it), ``ack`` (a move or
orders accepted, echoing ``ref``), ``error`` (one line), ``pong``.
"""

from __future__ import annotations

import json
from typing import Any

from engine.strict_json import DuplicateKeyError, unique_keys

VERSION = 1
MAX_FRAME = 16 * 1024           # bytes a client may send in one frame
MAX_SERVER_FRAME = 8 * 1024 * 1024  # what a client accepts from the server
HELLO_TIMEOUT = 10.0
RATE = 20.0                     # messages a second a connection may keep up
BURST = 40                      # ... and how many it may send at once

WHITE = "white"
SPECTATOR = "spectator"
CLOCK_DEFAULTS = ("pass", "ai")


class ProtocolError(ValueError):
    """A frame the server will not act on; ``str()`` is the one-line reply."""


# field -> (python types, required, max length for str/list/dict)
_S = (str,)
_N = (int, float)
SCHEMAS: dict[str, dict[str, tuple[tuple[type, ...], bool, int]]] = {
    "hello": {"token": (_S, True, 64)},
    "move": {"move": (_S, True, 200), "ref": (_S, False, 40), "at": ((int,), False, 0)},
    "seal": {"moves": ((list,), True, 4), "ref": (_S, False, 40)},
    "ping": {},
    "pause": {},
    "resume": {},
    "clock": {"seconds": (_N + (type(None),), True, 0), "default": (_S, False, 8)},
    "inject": {"card": (_S, False, 60), "text": (_S, False, 500), "effects": ((dict,), False, 40),
               "turn": ((int,), False, 0)},
    "review": {"on": ((bool,), True, 0)},
    "approve": {"rationale": (_S, False, 500)},
    "override": {"tier": (_S, True, 20), "rationale": (_S, True, 500)},
    "ruling": {"values": ((dict,), True, 40), "rationale": (_S, True, 500)},
    "sealed": {"on": ((bool,), True, 0)},
    "show": {"spectators": (_S, True, 20)},
}
for _kind, _schema in SCHEMAS.items():  # every request but hello may carry a ref, echoed back
    if _kind != "hello":
        _schema.setdefault("ref", (_S, False, 40))
PLAYER_TYPES = frozenset({"move", "seal", "ping"})
WHITE_TYPES = frozenset({"ping", "pause", "resume", "clock", "inject", "review", "approve",
                         "override", "ruling", "sealed", "show"})
for _kind in WHITE_TYPES - {"ping"}:  # which tables a request is for: "t2", "t1,t3" or "all"
    SCHEMAS[_kind]["table"] = (_S, False, 200)
SPECTATOR_TYPES = frozenset({"ping"})


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", int: "a number",
            float: "a number", bool: "true/false", type(None): "null"}.get(type(value), "?")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _unencodable(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` holds text UTF-8 cannot encode (a lone surrogate
    written as ``"\\udcff"`` in the JSON), in a key or a string at any depth."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if depth > 8:
        return False  # deeper than any schema allows: refused by the field checks
    if isinstance(value, dict):
        return any(_unencodable(k, depth + 1) or _unencodable(v, depth + 1)
                   for k, v in value.items())
    if isinstance(value, list):
        return any(_unencodable(v, depth + 1) for v in value)
    return False


def parse(raw: str | bytes) -> dict[str, Any]:
    """Decode and check one client frame; raise :class:`ProtocolError`.

    Every field is hostile until checked: the frame must be JSON text whose
    every string UTF-8 can encode (no lone surrogates: they would poison every
    reply that echoes them), an object with unique keys, a known type, and
    the fields of that type only, each of the right type and size."""
    if isinstance(raw, bytes):
        raise ProtocolError("binary frames are not accepted: send JSON text")
    if not isinstance(raw, str):
        raise ProtocolError("a frame is JSON text")
    try:
        msg = json.loads(raw, parse_constant=_no_constant, object_pairs_hook=unique_keys)
    except DuplicateKeyError:
        raise ProtocolError("a field is given twice") from None
    except (ValueError, RecursionError):
        raise ProtocolError("malformed JSON") from None
    if _unencodable(msg):
        raise ProtocolError("text that cannot be encoded (a lone surrogate): send UTF-8 text")
    if not isinstance(msg, dict):
        raise ProtocolError(f"a message is a JSON object, not {_json_type(msg)}")
    kind = msg.get("type")
    if not isinstance(kind, str) or kind not in SCHEMAS:
        raise ProtocolError(f"unknown message type {str(kind)[:40]!r}")
    if msg.get("v") != VERSION:
        raise ProtocolError(f"protocol version must be {VERSION}")
    schema = SCHEMAS[kind]
    for name in msg:
        if name not in schema and name not in ("type", "v"):
            raise ProtocolError(f"{kind}: unknown field {name[:40]!r}")
    for name, (types, required, limit) in schema.items():
        if name not in msg:
            if required:
                raise ProtocolError(f"{kind}: missing field {name!r}")
            continue
        value = msg[name]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ProtocolError(f"{kind}: {name} must not be {_json_type(value)}")
        if limit and isinstance(value, (str, list, dict)) and len(value) > limit:
            raise ProtocolError(f"{kind}: {name} is too long (at most {limit})")
    if kind == "seal" and not all(isinstance(m, str) and len(m) <= 200 for m in msg["moves"]):
        raise ProtocolError("seal: moves must be move texts")
    for key in ("effects", "values"):
        if key in msg and not all(isinstance(k, str) and len(k) <= 40 and type(v) is int
                                  for k, v in msg[key].items()):
            raise ProtocolError(f"{kind}: {key} maps track names to whole numbers")
    return msg


def encode(payload: dict[str, Any]) -> str:
    """One frame's text (compact, UTF-8 kept as is).

    Text UTF-8 cannot encode never reaches here from a client (:func:`parse`
    refuses it); should any come from elsewhere, the frame escapes it rather
    than failing every send that carries it."""
    text = json.dumps({"v": VERSION, **payload}, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps({"v": VERSION, **payload}, separators=(",", ":"))
    return text


def error(message: str, about: str | None = None, ref: str | None = None) -> str:
    line = (message.splitlines() or [""])[0][:300]
    payload: dict[str, Any] = {"type": "error", "message": line}
    if about:
        payload["about"] = about
    if ref is not None:
        payload["ref"] = ref
    return encode(payload)
