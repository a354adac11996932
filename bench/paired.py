#!/usr/bin/env python3
"""Paired runs of two plansim binaries: what one change gains, measured on a busy machine.

    bench/paired.py OLD_PLANSIM NEW_PLANSIM [--reps N] [--threads T ...] [--json OUT]
                    [--scenario S] [-- plansim run options]

Runs OLD and NEW alternately (OLD, NEW, NEW, OLD, ... so that neither is always first) on the
same scenario (default scenarios/bench/demography.yaml, HDF5 written), N times each per thread
count, and prints for each: the median wall time, CPU time, peak RSS, the median of the per-pair
ratios NEW / OLD, and the load (1-minute load average before each run and the cores that other
processes kept busy during it, as bench/run_all.py measures them). The demography's step is
taken from --profile (its CPU seconds: the part of the run that the yearly passes cost).
Pairing makes the ratios meaningful when the absolute times are not: both binaries see the same
load within a pair. Exit status 0; nothing is asserted.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_all import busy_seconds, load_average  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def one_run(plansim, scenario, threads, options, tmp):
    out = os.path.join(tmp, "out.h5")
    timing = os.path.join(tmp, "time")
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing, plansim, "run", scenario,
           "--threads", str(threads), "-q", "--no-summary", "--profile", "-o", out] + options
    load = load_average()
    busy0 = busy_seconds()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"paired: failed: {' '.join(cmd)}")
    with open(timing) as f:
        wall, user, system, rss_kib = f.read().split()[-4:]
    wall, cpu = float(wall), float(user) + float(system)
    other = max(0.0, (busy_seconds() - busy0 - cpu) / wall) if wall > 0 else 0.0
    step_cpu = None
    for line in proc.stderr.splitlines():
        fields = line.split()
        if len(fields) >= 7 and fields[0] == "demography" and fields[1] == "step":
            step_cpu = float(fields[5])
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mib": int(rss_kib) / 1024,
            "demography_step_cpu_s": step_cpu, "load": load, "other_cores_busy": other}


def median_of(runs, key):
    values = [r[key] for r in runs if r[key] is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--reps", type=int, default=5, help="runs of each binary (default 5)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scenario", default=os.path.join(ROOT, "scenarios/bench/demography.yaml"))
    parser.add_argument("--json", help="write every run and the medians here")
    argv = sys.argv[1:]
    options = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    args.options = options
    report = {"old": args.old, "new": args.new, "scenario": args.scenario,
              "options": args.options, "by_threads": {}}
    keys = ["wall_s", "cpu_s", "demography_step_cpu_s", "peak_rss_mib"]
    print(f"{'threads':>7} {'binary':>6} " + " ".join(f"{k:>22}" for k in keys)
          + f" {'load':>5} {'others':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for threads in args.threads:
            runs = {"old": [], "new": []}
            for rep in range(args.reps):
                order = ("old", "new") if rep % 2 == 0 else ("new", "old")
                for which in order:
                    binary = args.old if which == "old" else args.new
                    runs[which].append(one_run(binary, args.scenario, threads, args.options, tmp))
            ratios = {k: statistics.median(
                n[k] / o[k] for o, n in zip(runs["old"], runs["new"]) if o[k] and n[k] is not None)
                for k in keys if all(r[k] for r in runs["old"] + runs["new"])}
            entry = {"runs": runs, "ratio_new_over_old": ratios}
            for which in ("old", "new"):
                medians = {k: median_of(runs[which], k) for k in keys + ["load", "other_cores_busy"]}
                entry[which] = medians
                print(f"{threads:>7} {which:>6} " + " ".join(
                    f"{medians[k]:>22.3f}" if medians[k] is not None else f"{'-':>22}" for k in keys)
                    + f" {medians['load']:>5.1f} {medians['other_cores_busy']:>6.2f}")
            print(f"{threads:>7} {'ratio':>6} " + " ".join(
                f"{ratios[k]:>22.3f}" if k in ratios else f"{'-':>22}" for k in keys))
            report["by_threads"][str(threads)] = entry
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
