#!/usr/bin/env python3
"""Compares two benchmark records written by bench/run_all.sh (bench/results.json).

    bench/compare.py OLD.json NEW.json [--threshold 0.05]

For every measurement present in both files, prints the old and new medians and the ratio
new / old (time and memory: below 1 is better; throughput: above 1 is better), and marks each
change beyond the threshold as faster/slower (or smaller/larger). The cores other processes kept
busy during each measurement are shown (busy old/new), because figures taken on a loaded machine
are not comparable with figures taken on a quiet one. Exit status 0 always (regressions are for
people to judge, not a test to fail); 2 on unreadable input.
"""
import argparse
import json
import sys

# Whether a larger value of a unit is better.
HIGHER_IS_BETTER = {"items/s", "person-years/s", "persons/s", "households/s", "replicates/s"}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"{path}: error: {e}", file=sys.stderr)
        sys.exit(2)
    rows = {}
    for m in data.get("measurements", []):
        rows[(m["name"], m["metric"])] = m
    return data, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--threshold", type=float, default=0.05,
                        help="relative change reported as a change (default 0.05 = 5%%)")
    args = parser.parse_args()
    old_meta, old = load(args.old)
    new_meta, new = load(args.new)
    print(f"old: {args.old}  ({old_meta.get('git_sha', '?')}, {old_meta.get('date', '?')})")
    print(f"new: {args.new}  ({new_meta.get('git_sha', '?')}, {new_meta.get('date', '?')})")
    header = f"{'measurement':44} {'metric':16} {'old':>12} {'new':>12} {'new/old':>8}  {'busy old/new':>13}  verdict"
    print(header)
    print("-" * len(header))
    for key in sorted(set(old) & set(new)):
        o, n = old[key], new[key]
        if not o["median"]:
            continue
        ratio = n["median"] / o["median"]
        better_high = o.get("unit") in HIGHER_IS_BETTER
        verdict = ""
        if abs(ratio - 1) > args.threshold:
            improved = ratio > 1 if better_high else ratio < 1
            if o.get("unit", "").startswith(("B", "MiB")):
                verdict = "smaller" if improved else "LARGER"
            else:
                verdict = "faster" if improved else "SLOWER"
        load_text = (f"{o.get('other_cores_busy', float('nan')):.2f}/"
                     f"{n.get('other_cores_busy', float('nan')):.2f}")
        print(f"{key[0]:44} {key[1]:16} {o['median']:12.4g} {n['median']:12.4g} {ratio:8.3f}  "
              f"{load_text:>13}  {verdict}")
    for key in sorted(set(old) ^ set(new)):
        where = "old" if key in old else "new"
        print(f"{key[0]:44} {key[1]:16} only in {where}")


if __name__ == "__main__":
    main()
