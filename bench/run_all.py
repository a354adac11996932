#!/usr/bin/env python3
"""Runs every benchmark of plansim and records medians with the machine's load.

Called by bench/run_all.sh (which builds first). Writes OUT/results.json (every measurement:
median, all repetitions, load) and OUT/results.md (the tables). OUT defaults to bench/.

Measurements:
  * the Google Benchmark programs build/release/bench/*_bench (medians of --reps repetitions);
  * end to end, with /usr/bin/time: the demography-only scenario (scenarios/bench/demography.yaml)
    and the full baseline at scale 1.0 on 1 and 2 threads, and the demography-only scenario at
    about 10 M and 100 M simulated persons (run.scale above 1), once each unless --reps-large.

Load: for each run, the 1-minute load average before it and the cores kept busy by *other*
processes during it (busy time of the machine from /proc/stat minus the run's own CPU time,
divided by its wall time). A figure is "quiet" when the other processes kept less than 0.1 core
busy; figures taken on a loaded machine are upper bounds on time.
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "release")
PLANSIM = os.path.join(BUILD, "plansim")
HZ = os.sysconf("SC_CLK_TCK")


def busy_seconds():
    """Seconds of CPU time the whole machine has spent busy (all cores) since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / HZ


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measured(cmd, **kwargs):
    """Runs cmd; returns (CompletedProcess, wall s, own CPU s, other cores busy, load before)."""
    load = load_average()
    busy0, cpu0, t0 = busy_seconds(), children_cpu(), time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    wall = time.monotonic() - t0
    cpu = children_cpu() - cpu0
    other = max(0.0, (busy_seconds() - busy0 - cpu) / wall) if wall > 0 else 0.0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"run_all: failed: {' '.join(cmd)}")
    return proc, wall, cpu, other, load


class Record:
    def __init__(self):
        self.measurements = []

    def add(self, name, metric, unit, values, loads, others, note=""):
        self.measurements.append({
            "name": name, "metric": metric, "unit": unit,
            "median": statistics.median(values), "values": values,
            "load": statistics.median(loads), "other_cores_busy": statistics.median(others),
            "note": note,
        })


def google_benchmarks(record, reps, only):
    programs = sorted(p for p in os.listdir(os.path.join(BUILD, "bench")) if p.endswith("_bench"))
    for program in programs:
        if only and not any(o in program for o in only):
            continue
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            cmd = [os.path.join(BUILD, "bench", program), f"--benchmark_repetitions={reps}",
                   f"--benchmark_out={out.name}", "--benchmark_out_format=json"]
            print(f"run_all: {program}", file=sys.stderr)
            _, _, _, other, load = measured(cmd)
            data = json.load(open(out.name))
        runs = {}
        for b in data["benchmarks"]:
            if b.get("run_type") != "iteration":
                continue
            runs.setdefault(b["run_name"], []).append(b)
        for name, items in runs.items():
            scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[items[0]["time_unit"]]
            loads, others = [load] * len(items), [other] * len(items)
            record.add(f"{program}/{name}", "real_time", "ms",
                       [b["real_time"] * scale for b in items], loads, others)
            record.add(f"{program}/{name}", "cpu_time", "ms",
                       [b["cpu_time"] * scale for b in items], loads, others)
            if "items_per_second" in items[0]:
                record.add(f"{program}/{name}", "items_per_second", "items/s",
                           [b["items_per_second"] for b in items], loads, others)
            for counter in ("bytes_per_person", "bytes_per_household"):
                if counter in items[0]:
                    record.add(f"{program}/{name}", counter, "B",
                               [b[counter] for b in items], loads, others)


def h5_persons(path):
    """(person-years, largest population) in simulated persons, from the results file."""
    import h5py
    with h5py.File(path, "r") as f:
        scale = float(f["meta"].attrs["scale"])
        population = f["indicators/population"][0]
        return float(population.sum()) * scale, float(population.max()) * scale


def end_to_end(record, name, scenario, threads, reps, scale=None):
    walls, cpus, rss, others, loads = [], [], [], [], []
    person_years = persons = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        for _ in range(reps):
            cmd = ["/usr/bin/time", "-f", "%M", "-o", os.path.join(tmp, "time"), PLANSIM, "run",
                   scenario, "--threads", str(threads), "-q", "--no-summary", "-o", out]
            if scale is not None:
                cmd += ["--scale", str(scale)]
            print(f"run_all: {name} ({threads} thread(s))", file=sys.stderr)
            _, wall, cpu, other, load = measured(cmd)
            walls.append(wall)
            cpus.append(cpu)
            rss.append(int(open(os.path.join(tmp, "time")).read().split()[-1]) / 1024.0)
            others.append(other)
            loads.append(load)
            person_years, persons = h5_persons(out)
    key = f"e2e/{name}/threads={threads}"
    record.add(key, "wall", "s", walls, loads, others)
    record.add(key, "cpu", "s", cpus, loads, others)
    record.add(key, "peak_rss", "MiB", rss, loads, others)
    record.add(key, "peak_bytes_per_person", "B", [r * 1048576 / persons for r in rss], loads,
               others, note=f"largest population {persons:.0f} simulated persons")
    record.add(key, "person_years_per_second", "person-years/s",
               [person_years / w for w in walls], loads, others,
               note=f"{person_years:.0f} simulated person-years")
    record.add(key, "ns_per_person_year", "ns", [w * 1e9 / person_years for w in walls], loads,
               others)


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    compiler = "?"
    cache = os.path.join(BUILD, "CMakeCache.txt")
    if os.path.exists(cache):
        m = re.search(r"CMAKE_CXX_COMPILER:\w+=(.*)", open(cache).read())
        if m:
            compiler = subprocess.run([m.group(1), "--version"], capture_output=True,
                                      text=True).stdout.splitlines()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 1048576, 1),
            "os": platform.platform(), "compiler": compiler}


def git_sha():
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"], capture_output=True,
                       text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return r.stdout.strip() + ("-dirty" if dirty else "")


def write_markdown(path, data):
    m = data["machine"]
    quiet = [x for x in data["measurements"] if x["other_cores_busy"] < 0.1]
    lines = [
        "# Recorded benchmark results",
        "",
        f"Written by `bench/run_all.sh` on {data['date']} at {data['git_sha']}: {m['cpu']}, "
        f"{m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, {m['compiler']}, Release build. "
        f"Medians of {data['reps']} repetitions (the 10 M and 100 M runs: "
        f"{data['reps_large']}). Every row gives the 1-minute load average before its runs and "
        "the cores kept busy by other processes while they ran; "
        f"{len(quiet)} of {len(data['measurements'])} figures were taken with other processes "
        "using less than 0.1 core (quiet). Figures taken under load are upper bounds on time.",
        "",
        "Compare two records with `bench/compare.py OLD.json NEW.json`.",
        "",
        "| measurement | metric | median | unit | load avg | other cores busy | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for x in data["measurements"]:
        lines.append(f"| {x['name']} | {x['metric']} | {x['median']:.4g} | {x['unit']} | "
                     f"{x['load']:.2f} | {x['other_cores_busy']:.2f} | {x['note']} |")
    notes = data.get("notes_md")
    if notes:
        lines += ["", notes]
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions (default 5)")
    parser.add_argument("--reps-large", type=int, default=1,
                        help="repetitions of the 10 M and 100 M runs (default 1)")
    parser.add_argument("--no-large", action="store_true", help="skip the 10 M and 100 M runs")
    parser.add_argument("--only", nargs="*", default=[],
                        help="only the Google benchmarks whose name contains one of these")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end runs")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"),
                        help="folder for results.json and results.md (default bench/)")
    parser.add_argument("--notes", help="a Markdown file appended to results.md")
    args = parser.parse_args()

    record = Record()
    google_benchmarks(record, args.reps, args.only)
    demography = os.path.join(ROOT, "scenarios", "bench", "demography.yaml")
    baseline = os.path.join(ROOT, "scenarios", "baseline.yaml")
    if not args.no_e2e:
        for threads in (1, 2):
            end_to_end(record, "demography_only_scale_1", demography, threads, args.reps)
        for threads in (1, 2):
            end_to_end(record, "baseline_scale_1", baseline, threads, args.reps)
        if not args.no_large:
            # Zhongyuan has 962,642 residents: scale 10.4 ≈ 10 M, 104 ≈ 100 M simulated persons.
            end_to_end(record, "demography_only_10M", demography, 2, args.reps_large, 10.4)
            end_to_end(record, "demography_only_100M", demography, 2, args.reps_large, 104)

    data = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_sha": git_sha(), "machine": machine(), "reps": args.reps,
        "reps_large": args.reps_large, "measurements": record.measurements,
    }
    if args.notes:
        data["notes_md"] = open(args.notes, encoding="utf-8").read().strip()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    write_markdown(os.path.join(args.out, "results.md"), data)
    print(f"run_all: wrote {args.out}/results.json and results.md", file=sys.stderr)


if __name__ == "__main__":
    main()
