"""plansim in Python (docs/python.md): check and run scenarios in this process, and read results
files into xarray Datasets with named dimensions and coordinates.

    import plansim
    plansim.check("scenarios/baseline.yaml", {"run.end": 2025})   # or raises plansim.InputError
    ds = plansim.run("scenarios/baseline.yaml", overrides={"run.end": 2025}, replicates=4)
    ds["population"].mean("replicate").sel(year=[2020, 2025])
    zones = plansim.open("results/baseline.h5", group="zones")  # [replicate, year, zone]
    zones["population"].sel(year=2035).mean("replicate").to_series()

Each variable keeps the file's attributes (unit, label_en, label_zh, description) and gets the
CF names xarray and plotting use: `units` and `long_name`. The Dataset's attributes are /meta.
A dataset whose checksum fails raises DamagedFileError (an OSError) naming the file and dataset.
open() needs h5py, numpy and xarray (Debian: python3-h5py, python3-xarray); check() and run()
also the compiled module _plansim, built by CMake with pybind11 (build/<preset>/python).
"""
import h5py
import numpy as np
import xarray as xr

__all__ = ["open", "check", "run", "InputError", "GROUPS", "DamagedFileError"]

# Group -> the dimensions of its series, after the leading replicate axis.
GROUPS = {
    "indicators": ("year",),
    "events": ("year",),
    "zones": ("year", "zone"),
    "facilities": ("year", "facility"),
    "scalars": (),
    "synthesis": ("marginal",),
}
# Datasets of a group that label an axis rather than hold a series.
# Axes (HDF5 dimension scales, schema 2) are skipped the same way.
_LABELS = {"zone_key", "zone_name_zh", "zone_name_en", "facility_id", "facility_name", "marginal",
           "year", "replicate", "zone", "facility"}


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.dtype.kind in "OSU":
        return [_text(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _attributes(obj):
    attrs = {name: _text(value) for name, value in obj.attrs.items()}
    if "unit" in attrs:
        attrs.setdefault("units", attrs["unit"])
    if "label_en" in attrs:
        attrs.setdefault("long_name", attrs["label_en"])
    return attrs


class DamagedFileError(OSError):
    """A dataset of a results file does not read back (e.g. its Fletcher32 checksum fails)."""


def _read(path, dataset):
    try:
        return dataset[()]
    except OSError as e:
        raise DamagedFileError(f"{path}: cannot read '{dataset.name}': {e} (the file is damaged)") \
            from e


def open(path, group="indicators"):  # noqa: A001 - the natural name, as xarray.open_dataset
    """The series of one group of a plansim results file as an xarray.Dataset, loaded in memory.

    group: "indicators" (default) or "events" [replicate, year]; "zones" [replicate, year, zone]
    with coordinates zone (key), zone_name_zh, zone_name_en; "facilities" [replicate, year,
    facility] with facility (id) and facility_name; "scalars" [replicate]; "synthesis"
    [replicate, marginal]. Coordinates year and replicate are always there.
    """
    if group not in GROUPS:
        raise ValueError(f"group must be one of {', '.join(GROUPS)}, not {group!r}")
    with h5py.File(path, "r") as f:
        coords = {"replicate": ("replicate", f["replicate"][:]), "year": ("year", f["years"][:])}
        g = f.get(group)
        if g is not None and group == "zones" and "zone_key" in g:
            coords["zone"] = ("zone", g["zone_key"].asstr()[:])
            coords["zone_name_zh"] = ("zone", g["zone_name_zh"].asstr()[:])
            coords["zone_name_en"] = ("zone", g["zone_name_en"].asstr()[:])
        if g is not None and group == "facilities" and "facility_id" in g:
            coords["facility"] = ("facility", g["facility_id"][:])
            coords["facility_name"] = ("facility", g["facility_name"].asstr()[:])
        if g is not None and group == "synthesis" and "marginal" in g:
            coords["marginal"] = ("marginal", g["marginal"].asstr()[:])
        variables = {}
        for key in (g.keys() if g is not None else []):
            if key in _LABELS or not isinstance(g[key], h5py.Dataset):
                continue
            dims = ("replicate",) + GROUPS[group]
            if g[key].ndim != len(dims):
                continue  # not a series of this group's shape
            variables[key] = (dims, _read(path, g[key]), _attributes(g[key]))
        attrs = _attributes(f["meta"]) if "meta" in f else {}
    used = {d for dims, _, _ in variables.values() for d in dims} | {"replicate", "year"}
    coords = {name: value for name, value in coords.items() if value[0] in used}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


# ---- check and run (the compiled module _plansim, built by CMake with pybind11) ----

class InputError(ValueError):
    """An invalid scenario, city config or override: nothing was run or written.

    `diagnostics` is the list of errors, each a dict with file, line, column, message and text
    (`file:line:col: error: message`, as `plansim check` prints them); str() is those lines."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d["text"] for d in self.diagnostics))


def _core():
    try:
        import _plansim
    except ImportError as error:
        raise ImportError(
            "plansim.check and plansim.run need the compiled module _plansim: build plansim with "
            "pybind11 (Debian pybind11-dev, python3-dev; tools/install-deps.sh) and put "
            "build/release/python on PYTHONPATH") from error
    return _plansim


def _override_list(overrides):
    """--set texts from {"run.end": 2030, ...} or ["run.end=2030", ...]."""
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        def text(value):
            if isinstance(value, bool):
                return "true" if value else "false"
            return str(value)
        return [f"{key}={text(value)}" for key, value in overrides.items()]
    return [str(item) for item in overrides]


def check(scenario, overrides=None):
    """Validates a scenario with its city config, as `plansim check SCENARIO --format json`.

    overrides: {"demography.fertility.tfr": 1.1} or ["demography.fertility.tfr=1.1"] (--set).
    Returns the check document (run settings, processes, notes, warnings, files read, city);
    raises InputError carrying every file:line:col diagnostic when the scenario is invalid."""
    import json
    document = json.loads(_core().check_json(str(scenario), _override_list(overrides)))
    if not document["ok"]:
        raise InputError(document["errors"])
    return document


def run(scenario, overrides=None, replicates=None, threads=0, seed=None, scale=None, output=None,
        group="indicators"):
    """Runs a scenario in this process and returns one group of its results (see open()).

    replicates, seed, scale: as plansim run's options (None: the scenario's); threads: 0 = all
    hardware threads; output: where the results file goes (None: a temporary file, removed
    after loading). Invalid input raises InputError (nothing runs); a failure while running or
    writing raises RuntimeError. Same scenario and seed give the same numbers as the command."""
    import os
    import tempfile
    check(scenario, overrides)  # every diagnostic at once, before anything runs
    with tempfile.TemporaryDirectory(prefix="plansim-") as scratch:
        path = str(output) if output is not None else os.path.join(scratch, "results.h5")
        status = _core().run(str(scenario), path, _override_list(overrides), replicates, seed,
                             scale, int(threads))
        if status != 0:
            raise RuntimeError(f"plansim run {scenario} failed (exit status {status})")
        return open(path, group=group)
