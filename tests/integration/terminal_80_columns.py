#!/usr/bin/env python3
"""Terminal output in a pseudo-terminal 80 columns wide (the compact layout).

Runs `plansim run`, `plansim compare` (2 and 5 files) and `plansim inspect` with stdout and stderr
on a pty of 80 x 24 and reads what a terminal would show:
- the progress line is rewritten in place (carriage return + erase line) and never wider than 79
  columns, so it cannot wrap: it never leaves a line of its own on the screen;
- no printed line is wider than 80 columns (display width: CJK characters take two).

Usage: terminal_80_columns.py PLANSIM_BINARY SOURCE_DIR
"""
import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import unicodedata

COLUMNS = 80


def width(text):
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d":
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def run_on_pty(argv, cwd):
    """Output (stdout + stderr) of argv run on a pty COLUMNS wide, and its exit status."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, COLUMNS, 0, 0))
    env = dict(os.environ)
    env.pop("COLUMNS", None)  # the width must come from the terminal itself
    process = subprocess.Popen(argv, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env,
                               close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    status = process.wait(timeout=300)
    return b"".join(chunks).decode("utf-8"), status


def screen_lines(output):
    """Lines a terminal keeps (after carriage returns and erase-line), and every segment written
    between two carriage returns (each must fit on one line)."""
    output = output.replace("\r\n", "\n")  # the pty's own newline translation
    kept, segments = [], []
    for raw in output.split("\n"):
        parts = raw.split("\r")
        for part in parts:
            part = part.replace("\x1b[K", "")
            segments.append(part)
        # Every rewrite ends with erase-to-end-of-line, so the last segment is what stays.
        kept.append(parts[-1].replace("\x1b[K", ""))
    return kept, segments


def main():
    binary, source = sys.argv[1], sys.argv[2]
    failures = []
    tmp = tempfile.mkdtemp(prefix="plansim-pty-")
    try:
        files = []
        for scenario in ["baseline", "combined", "tod", "school_places", "eldercare_beds"]:
            path = os.path.join(tmp, scenario + ".h5")
            files.append(path)
            argv = [binary, "run", os.path.join("scenarios", scenario + ".yaml"), "-o", path,
                    "--scale", "0.01", "--replicates", "2", "--set", "run.end=2025"]
            if scenario != "baseline":
                argv.append("--no-summary")
            output, status = run_on_pty(argv, source)
            if status != 0:
                failures.append(f"run {scenario}: exit status {status}\n{output}")
                continue
            if scenario == "baseline":
                kept, segments = screen_lines(output)
                updates = output.count("\r")
                if updates < 5:
                    failures.append(f"run: expected the progress line to be rewritten in place "
                                    f"(got {updates} carriage returns)")
                for segment in segments:
                    if "replicate " in segment and "year 20" in segment and \
                            width(segment) > COLUMNS - 1:
                        failures.append(f"run: a segment {width(segment)} columns wide: {segment!r}")
                progress = [line for line in kept if "year 20" in line and "replicate " in line]
                if progress:
                    failures.append(f"run: progress left lines on the screen: {progress!r}")
                if "Plan targets" not in output or "常住人口" not in output:
                    failures.append("run: summary or scorecard missing:\n" + output)
                check_width("run", kept, failures)
        for label, argv in [("compare 2 files", [binary, "compare"] + files[:2]),
                            ("compare 2 files, targets", [binary, "compare", "--view", "summary"]
                             + files[:2]),
                            ("compare 5 files", [binary, "compare"] + files),
                            ("compare 5 files, full", [binary, "compare", "--view", "full"] + files),
                            ("inspect", [binary, "inspect", files[0]])]:
            output, status = run_on_pty(argv, source)
            if status != 0:
                failures.append(f"{label}: exit status {status}\n{output}")
                continue
            kept, _ = screen_lines(output)
            check_width(label, kept, failures)
            if label == "compare 5 files" and "P(met) by scenario" not in output:
                failures.append("compare 5 files: not the summary view:\n" + output)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for failure in failures:
        print("FAIL:", failure)
    print(f"{0 if failures else 1} passed, {len(failures)} failed")
    return 1 if failures else 0


def check_width(label, lines, failures):
    """Every line fits, except log lines ([info] ...) and, in `inspect`, the provenance values
    (command line, file paths), which are printed whole so that they can be copied."""
    provenance = label == "inspect"
    for line in lines:
        if provenance and line.startswith("years "):
            provenance = False
        if provenance or "[info]" in line or "[warning]" in line:
            continue
        if width(line) > COLUMNS:
            failures.append(f"{label}: a line {width(line)} columns wide:\n{line}")


if __name__ == "__main__":
    sys.exit(main())
