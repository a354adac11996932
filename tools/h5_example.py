#!/usr/bin/python3
"""Reads a plansim results file with h5py alone (pandas is used when installed).

    python3 tools/h5_example.py RESULTS.h5 [INDICATOR_KEY] [ZONE_KEY]

Prints the run's provenance (/meta), one indicator as a table indexed by year (one column per
replicate, plus the mean), and one zone panel (mean over replicates) with the zone names.
The layout is described in docs/hdf5-layout.md.
"""
import sys

try:
    import h5py
    import numpy as np
except ImportError as missing:
    print(f"h5_example.py needs h5py and numpy (Debian: python3-h5py): {missing}", file=sys.stderr)
    sys.exit(77)  # the conventional "skipped" status, so test drivers can tell it apart

try:
    import pandas as pd
except ImportError:  # h5py + numpy are enough; pandas only makes the tables nicer
    pd = None


def text(value):
    """h5py returns bytes (numpy.bytes_) for plansim's fixed-length string attributes and for
    string datasets read raw, str for the variable-length strings of older files."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def print_meta(f):
    meta = f["meta"].attrs
    print(f"scenario  {text(meta['scenario_name'])}   city  {text(meta['city_name'])}")
    print(f"engine    {text(meta['engine_version'])} (git {text(meta['git_sha'])}), "
          f"schema {int(meta['schema_version'])}")
    print(f"run       {int(meta['start_year'])}-{int(meta['end_year'])}, "
          f"{int(meta['replicates'])} replicate(s), seed {int(meta['seed'])}, "
          f"scale {float(meta['scale'])}, {int(meta['threads'])} thread(s), "
          f"{float(meta['wall_time_seconds']):.1f} s")
    print(f"command   {text(meta['command_line'])}")
    print(f"scenario sha256 {text(meta['scenario_sha256'])}")
    for path in meta["files_read"]:
        print(f"read      {text(path)}")


def print_indicator(f, key, years, replicates):
    dataset = f["indicators"][key]
    values = dataset[:]  # float64 [replicate, year]
    attrs = dataset.attrs
    print(f"\n{key}: {text(attrs['label_en'])} / {text(attrs['label_zh'])} "
          f"[{text(attrs['unit'])}]")
    if pd is not None:
        table = pd.DataFrame(values.T, index=pd.Index(years, name="year"),
                             columns=[f"replicate {r}" for r in replicates])
        table["mean"] = table.mean(axis=1)
        print(table.to_string(float_format=lambda v: f"{v:.6g}"))
    else:
        print("year  " + "  ".join(f"replicate {r}" for r in replicates) + "  mean")
        for column, year in enumerate(years):
            row = values[:, column]
            print(f"{year}  " + "  ".join(f"{v:.6g}" for v in row) + f"  {np.nanmean(row):.6g}")


def print_zone_panel(f, key, years):
    zones = f["zones"]
    names_zh = zones["zone_name_zh"].asstr()[:]
    names_en = zones["zone_name_en"].asstr()[:]
    dataset = zones[key]
    mean = dataset[:].mean(axis=0)  # float32 [replicate, year, zone] -> [year, zone]
    attrs = dataset.attrs
    print(f"\n{key}: {text(attrs['label_en'])} / {text(attrs['label_zh'])} "
          f"[{text(attrs['unit'])}], mean over replicates")
    labels = [f"{zh} {en}" for zh, en in zip(names_zh, names_en)]
    if pd is not None:
        table = pd.DataFrame(mean, index=pd.Index(years, name="year"), columns=labels)
        print(table.T.to_string(float_format=lambda v: f"{v:.6g}"))
    else:
        print("zone  " + "  ".join(str(y) for y in years))
        for z, label in enumerate(labels):
            print(f"{label}  " + "  ".join(f"{v:.6g}" for v in mean[:, z]))


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with h5py.File(argv[1], "r") as f:
        years = f["years"][:]
        replicates = f["replicate"][:]
        print_meta(f)
        # Axes (year, replicate, zone: HDF5 dimension scales) and zone labels are not series.
        def series(group):
            return sorted(k for k, d in group.items()
                          if d.attrs.get("CLASS") != b"DIMENSION_SCALE" and not k.startswith("zone_"))
        indicator_keys = series(f["indicators"])
        zone_keys = series(f["zones"])
        indicator = argv[2] if len(argv) > 2 else (indicator_keys[0] if indicator_keys else None)
        zone = argv[3] if len(argv) > 3 else (zone_keys[0] if zone_keys else None)
        if indicator is not None:
            print_indicator(f, indicator, years, replicates)
        if zone is not None:
            print_zone_panel(f, zone, years)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
