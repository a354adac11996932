#!/usr/bin/python3
"""Compares two plansim results files object by object; exit status 0 when they hold the same data.

    python3 tools/same_results.py A.h5 B.h5 [--ignore-meta NAME]...

Every group, dataset and attribute of A must exist in B and the other way round, with the same
element type, shape and bytes (NaN equals NaN of the same bit pattern). The provenance attributes
of /meta that describe how a run was made rather than what it computed are not compared:
git_sha, command_line, threads, ranks, wall_time_seconds and profile (add more with --ignore-meta).
Prints one line per difference (at most 50) and a count. Exit status 1 on any difference,
2 on a usage error. Used to check that two builds, thread or rank counts give the same results.
"""
import argparse
import sys

try:
    import h5py
    import numpy as np
except ImportError as missing:
    print(f"same_results.py needs h5py and numpy (Debian: python3-h5py): {missing}", file=sys.stderr)
    sys.exit(77)

DEFAULT_IGNORED_META = {"git_sha", "command_line", "threads", "ranks", "wall_time_seconds", "profile"}


def raw(value):
    """Bytes and type of a dataset or attribute value, comparable whatever its element type."""
    array = np.asarray(value)
    if array.dtype.names:  # compound: field by field (string fields hold pointers in raw bytes)
        return ("compound", array.dtype.names, [raw(array[field]) for field in array.dtype.names])
    if array.dtype.kind in "OS":  # strings by value: fixed-length (NUL-padded) or variable-length
        return ("strings", array.shape, [v if isinstance(v, bytes) else str(v).encode() for v in array.ravel()])
    return (array.dtype.str, array.shape, array.tobytes())


def collect(f):
    objects = {}
    f.visititems(lambda name, obj: objects.__setitem__("/" + name, obj))
    objects["/"] = f
    return objects


def compare(a_path, b_path, ignored_meta):
    differences = []
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        objects_a, objects_b = collect(a), collect(b)
        for name in sorted(set(objects_a) | set(objects_b)):
            if name not in objects_b:
                differences.append(f"{name}: only in {a_path}")
                continue
            if name not in objects_a:
                differences.append(f"{name}: only in {b_path}")
                continue
            oa, ob = objects_a[name], objects_b[name]
            if isinstance(oa, h5py.Dataset) != isinstance(ob, h5py.Dataset):
                differences.append(f"{name}: a dataset in one file, a group in the other")
                continue
            if isinstance(oa, h5py.Dataset):
                if oa.dtype != ob.dtype or oa.shape != ob.shape:
                    differences.append(f"{name}: {oa.dtype}{oa.shape} vs {ob.dtype}{ob.shape}")
                elif raw(oa[()]) != raw(ob[()]):
                    differences.append(f"{name}: values differ{first_difference(oa[()], ob[()])}")
            ignored = ignored_meta if name == "/meta" else set()
            keys = (set(oa.attrs) | set(ob.attrs)) - ignored
            for key in sorted(keys):
                if key not in ob.attrs or key not in oa.attrs:
                    differences.append(f"{name} @{key}: only in {a_path if key in oa.attrs else b_path}")
                elif raw(oa.attrs[key]) != raw(ob.attrs[key]):
                    differences.append(f"{name} @{key}: {oa.attrs[key]!r} vs {ob.attrs[key]!r}")
    return differences


def first_difference(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "O" or x.dtype.names or x.shape != y.shape:
        return ""
    flat_x, flat_y = x.ravel(), y.ravel()
    same = (flat_x == flat_y) | (np.isnan(flat_x) & np.isnan(flat_y)) if x.dtype.kind == "f" else flat_x == flat_y
    where = np.flatnonzero(~same)
    if where.size == 0:
        return " (bit patterns only)"
    i = where[0]
    return f" ({where.size} of {flat_x.size} cells; first at {np.unravel_index(i, x.shape)}: {flat_x[i]!r} vs {flat_y[i]!r})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--ignore-meta", action="append", default=[], metavar="NAME",
                        help="a further /meta attribute not to compare")
    args = parser.parse_args()
    try:
        differences = compare(args.a, args.b, DEFAULT_IGNORED_META | set(args.ignore_meta))
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for line in differences[:50]:
        print(line)
    if differences:
        print(f"{len(differences)} difference(s) between {args.a} and {args.b}")
        return 1
    print(f"same: {args.a} and {args.b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
