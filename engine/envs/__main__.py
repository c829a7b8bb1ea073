"""``python -m engine.envs``: print the action table and the observation layout."""

from engine.envs.actions import table
from engine.scenarios import get

if __name__ == "__main__":
    sc = get("iraq-2020")
    layout = sc.observation_layout()
    print(table(sc).text())
    print()
    print(f"observation: {sum(len(s.labels) for s in layout)} floats in [0, 1]")
    print()
    print("| offset | size | segment | meaning |")
    print("|---:|---:|---|---|")
    for s in layout:
        print(f"| {s.start} | {len(s.labels)} | {s.name} | {s.doc} |")
