"""Exercise server load on loopback: 4 seats, a white cell and 32 spectators.

``python benchmarks/bench_net.py [--games 3] [--spectators 32]``

The server runs as ``main.py host`` in its own process (saving after every
entry, as in a real exercise); the spectators run in a second process (they
are other machines in an exercise) and this one holds the seats and the
white cell.  Four seat
clients play random legal moves; the round trip of a move is the time from
sending it to receiving the state that includes it.  The baseline, measured
in the same run, applies the same moves in process: ``Game.apply`` alone,
then ``Game.apply`` plus building the frames for every pair of eyes (the
server's own work per move, without the network).

A class (``--tables 4``, issue 18): ``main.py host --tables 4`` serves four
tables of four seats and ``--class-spectators`` (8) spectators each from one
process and one port, with the class's white cell attached to every table;
all tables play at once and every move's round trip is timed as above.  The
single-table figure beside it is measured in the same run with the same
number of spectators.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.game import Game  # noqa: E402
from engine.moves import Move  # noqa: E402
from engine.net import fog  # noqa: E402
from engine.net.client import Client  # noqa: E402
from engine.net.referee import Referee  # noqa: E402
from engine.record import load  # noqa: E402
from engine.rng import Rng  # noqa: E402
from engine.seats import parse_seats  # noqa: E402

SEATS = "us=human,goi=human,mil=human,pro=human"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def start_host(save: Path, seed: int) -> tuple[subprocess.Popen, str, dict[str, str]]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", CROSSROADS_SAVES=str(save.parent))
    proc = subprocess.Popen([sys.executable, "main.py", "host", "--port", "0", "--save", str(save),
                             "--seed", str(seed), "--seats", SEATS], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    url, tokens = "", {}
    for line in proc.stdout:
        if line.startswith("Serving on "):
            url = line.split()[-1]
        words = line.split()
        if "--token" in words:
            role = words[1] if words[0] == "seat" else {"white": "white"}.get(words[0], "spectator")
            tokens[role] = words[-1]
        if line.startswith("  spectators"):
            break
    return proc, url, tokens


async def seat(client: Client, rng: Rng, rtts: list[float]) -> None:
    while True:
        state = await client.wait_for(lambda s: "outcome" in s or client.my_turn(s), 60)
        if "outcome" in state:
            return
        at = state["ctx"]["moves"]
        move = state["legal"][rng.below(len(state["legal"]))]
        start = time.perf_counter()
        await client.move(move, at=at)
        await client.wait_for(lambda s: s["ctx"]["moves"] > at, 10)
        rtts.append(time.perf_counter() - start)


async def one_game(seed: int, spectators: int, workdir: Path, rtts: list[float]) -> Path:
    save = workdir / f"bench-{seed}.json"
    proc, url, tokens = start_host(save, seed)
    try:
        crowd = subprocess.Popen([sys.executable, __file__, "--crowd", url, tokens["spectator"],
                                  str(spectators)], stdout=subprocess.PIPE, text=True)
        assert crowd.stdout.readline().strip() == "ready"
        clients = [Client(url, tokens[f]) for f in ("us", "goi", "mil", "pro")]
        white = Client(url, tokens["white"])
        for c in (*clients, white):
            await c.connect()
        await asyncio.gather(*(seat(c, Rng(seed * 10 + i), rtts) for i, c in enumerate(clients)))
        assert crowd.wait(30) == 0, "the spectators did not all see the end"
        for c in (*clients, white):
            await c.close()
    finally:
        proc.terminate()
        proc.wait(10)
    return save


def start_class(save: Path, seed: int, tables: int) -> tuple[subprocess.Popen, str, dict]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", CROSSROADS_SAVES=str(save.parent))
    proc = subprocess.Popen([sys.executable, "main.py", "host", "--port", "0", "--save", str(save),
                             "--seed", str(seed), "--seats", SEATS, "--tables", str(tables),
                             "--no-autosave"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    url, tokens, table = "", {}, ""
    for line in proc.stdout:
        words = line.split()
        if line.startswith("Serving on "):
            url = words[-1]
        elif line.startswith("Table "):
            table = words[1].rstrip(":")
        elif "--token" in words:
            token = words[words.index("--token") + 1]
            if words[0] == "white":
                tokens["white"] = token
            else:
                role = words[1] if words[0] == "seat" else "spectator"
                tokens.setdefault(table, {})[role] = token
        if line.startswith("Class ready"):
            break
    return proc, url, tokens


async def one_class(seed: int, tables: int, spectators: int, workdir: Path,
                    rtts: list[float]) -> None:
    proc, url, tokens = start_class(workdir / f"class-{seed}.json", seed, tables)
    try:
        ids = sorted(t for t in tokens if t != "white")
        crowd_proc = subprocess.Popen([sys.executable, __file__, "--crowd", url,
                                       ",".join(tokens[t]["spectator"] for t in ids),
                                       str(spectators)], stdout=subprocess.PIPE, text=True)
        assert crowd_proc.stdout.readline().strip() == "ready"
        white = Client(url, tokens["white"])
        await white.connect()
        clients = [Client(url, tokens[t][f]) for t in ids for f in ("us", "goi", "mil", "pro")]
        for c in clients:
            await c.connect()
        await asyncio.gather(*(seat(c, Rng(seed * 100 + i), rtts) for i, c in enumerate(clients)))
        assert crowd_proc.wait(60) == 0, "the spectators did not all see the end"
        for c in (*clients, white):
            await c.close()
    finally:
        proc.terminate()
        proc.wait(10)


def baseline(saves: list[Path]) -> tuple[list[float], list[float]]:
    """The same moves in process: apply alone, and apply + every frame."""
    applies, served = [], []
    for path in saves:
        record = load(path)
        sc = record.scenario
        moves = [Move.parse(e.move) for e in record.entries if e.type == "move"]
        game = Game.new(sc, record.header.seed, record.header.turns)
        for move in moves:
            start = time.perf_counter()
            game.apply(move)
            applies.append(time.perf_counter() - start)
        ref = Referee(Game.new(sc, record.header.seed, record.header.turns),
                      parse_seats(SEATS, sc.factions), record.header.seed)
        eyes = (*sc.factions, "white", fog.PUBLIC)
        for move in moves:
            start = time.perf_counter()
            mark = len(ref.log)
            ref.move(move.faction, str(move))
            for e in eyes:
                fog.frame(ref, e, ref.log[mark:])
            served.append(time.perf_counter() - start)
    return applies, served


async def crowd(url: str, token: str, n: int) -> int:
    """The spectators' process: join, say ready, watch to the end."""
    clients = [Client(url, t) for t in token.split(",") for _ in range(n)]  # n per token
    for c in clients:
        await c.connect()
    print("ready", flush=True)
    await asyncio.gather(*(c.wait_for(lambda s: "outcome" in s, 120) for c in clients))
    for c in clients:
        await c.close()
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--crowd"]:
        return asyncio.run(crowd(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=3)
    parser.add_argument("--spectators", type=int, default=32)
    parser.add_argument("--tables", type=int, default=4, help="tables of the class (0: none)")
    parser.add_argument("--class-spectators", type=int, default=8)
    args = parser.parse_args()
    rtts: list[float] = []
    single: list[float] = []
    classed: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        saves = [asyncio.run(one_game(seed, args.spectators, Path(tmp), rtts))
                 for seed in range(1, args.games + 1)]
        elapsed = time.perf_counter() - started
        applies, served = baseline(saves)
        if args.tables:
            for seed in range(1, args.games + 1):
                asyncio.run(one_game(100 + seed, args.class_spectators, Path(tmp), single))
                asyncio.run(one_class(200 + seed, args.tables, args.class_spectators, Path(tmp),
                                      classed))
    ms = 1000
    print(f"python benchmarks/bench_net.py --games {args.games} --spectators {args.spectators}"
          f"  ({elapsed:.1f} s, {len(rtts)} moves)")
    print(f"{'measure':<46}{'median':>10}{'p95':>10}  target")
    print(f"{'Game.apply in process (baseline)':<46}{statistics.median(applies) * ms:>8.3f}ms"
          f"{pct(applies, 95) * ms:>8.3f}ms")
    print(f"{'apply + frames for 6 eyes in process':<46}{statistics.median(served) * ms:>8.3f}ms"
          f"{pct(served, 95) * ms:>8.3f}ms")
    print(f"{'move round trip, 4 seats + white + ' + str(args.spectators) + ' spectators':<46}"
          f"{statistics.median(rtts) * ms:>8.3f}ms{pct(rtts, 95) * ms:>8.3f}ms  median < 20 ms")
    if args.tables:
        n = args.class_spectators
        print(f"{'move round trip, 1 table, 4 seats + ' + str(n) + ' spectators':<46}"
              f"{statistics.median(single) * ms:>8.3f}ms{pct(single, 95) * ms:>8.3f}ms"
              f"  ({len(single)} moves)")
        print(f"{f'move round trip, {args.tables} tables x (4 seats + {n} spect.)':<46}"
              f"{statistics.median(classed) * ms:>8.3f}ms{pct(classed, 95) * ms:>8.3f}ms"
              f"  ({len(classed)} moves; ratio {statistics.median(classed) / statistics.median(single):.2f})")
    return 0 if statistics.median(rtts) < 0.020 else 1


if __name__ == "__main__":
    sys.exit(main())
