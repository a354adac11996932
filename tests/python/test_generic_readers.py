"""Generic tools read a results file without plansim's code: xarray with the h5netcdf and netCDF4
engines (netCDF-C >= 4.9.1 for the groups with labels) names every axis from the HDF5 dimension scales and gives year, replicate and zone
coordinates; CF attributes (units, long_name, _FillValue, Conventions) are there; pandas gets a
long table from the Dataset."""
import math

import h5py
import numpy as np
import pytest
import xarray as xr

ENGINES = ["h5netcdf", "netcdf4"]
# Group -> dimensions of its series.
SERIES_DIMS = {
    "indicators": ("replicate", "year"),
    "events": ("replicate", "year"),
    "zones": ("replicate", "year", "zone"),
    "facilities": ("replicate", "year", "facility"),
    "scalars": ("replicate",),
    "synthesis": ("replicate", "marginal"),
}


# Groups that hold arrays of (fixed-length) strings: their labels, axes or tables.
STRING_ARRAY_GROUPS = {"zones", "facilities", "synthesis", "assumptions", "summary", "/"}


def engine_available(engine):
    module = {"h5netcdf": "h5netcdf", "netcdf4": "netCDF4"}[engine]
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def skip_unreadable(engine, group):
    """netCDF-C before 4.9.1 crashes (SIGSEGV) on arrays of HDF5 fixed-length strings
    (Unidata/netcdf-c#2159, fixed in 4.9.1); docs/hdf5-layout.md, Checksums, says so."""
    if not engine_available(engine):
        pytest.skip(f"xarray engine {engine} is not installed (tools/install-deps.sh)")
    if engine != "netcdf4" or group not in STRING_ARRAY_GROUPS:
        return
    import netCDF4
    version = tuple(int(part) for part in netCDF4.__netcdf4libversion__.split(".")[:3]
                    if part.isdigit())
    if version < (4, 9, 1):
        pytest.skip(f"netCDF-C {netCDF4.__netcdf4libversion__} cannot read arrays of fixed-length "
                    "strings (Unidata/netcdf-c#2159, fixed in 4.9.1)")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("group", list(SERIES_DIMS))
def test_every_group_opens_with_named_dims_and_coordinates(results_file, engine, group):
    skip_unreadable(engine, group)
    with xr.open_dataset(results_file, group=group, engine=engine) as ds, \
            h5py.File(results_file, "r") as f:
        years = f["years"][:]
        replicates = f["replicate"][:]
        assert list(ds["replicate"].values) == list(replicates)
        if "year" in SERIES_DIMS[group]:
            assert list(ds["year"].values) == list(years)
        assert ds.data_vars, f"/{group} has no series"
        for key, variable in ds.data_vars.items():
            if variable.dims[:1] != ("replicate",):
                continue  # a label that is not a coordinate (none today)
            assert variable.dims == SERIES_DIMS[group], f"/{group}/{key}"
            np.testing.assert_array_equal(variable.values, f[group][key][()])


@pytest.mark.parametrize("engine", ENGINES)
def test_zones_carry_keys_and_names_as_coordinates(results_file, engine):
    skip_unreadable(engine, "zones")
    with xr.open_dataset(results_file, group="zones", engine=engine) as zones, \
            h5py.File(results_file, "r") as f:
        keys = list(f["zones/zone_key"].asstr()[:])
        assert list(zones["zone"].values) == keys
        population = zones["population"]
        for name in ("zone_key", "zone_name_zh", "zone_name_en"):
            assert name in population.coords
        assert list(population.coords["zone_name_zh"].values) == list(
            f["zones/zone_name_zh"].asstr()[:])
        # Selection by label: a zone's 2025 mean equals the raw cell's mean.
        cell = float(population.sel(year=2025, zone=keys[0]).mean("replicate"))
        column = list(f["years"][:]).index(2025)
        assert cell == pytest.approx(float(f["zones/population"][:, column, 0].mean()), rel=1e-6)


def test_cf_attributes(results_file):
    with xr.open_dataset(results_file, group="indicators", engine="h5netcdf") as ds:
        population = ds["population"]
        assert population.attrs["units"] == "1"             # a count: dimensionless in UDUNITS
        assert population.attrs["unit"] == "persons"         # plansim's own unit stays
        assert population.attrs["long_name"] == "Resident population"
        rates = [v for v in ds.data_vars.values() if v.attrs.get("unit") == "%"]
        assert rates and all(v.attrs["units"] == "percent" for v in rates)
        per_thousand = [v for v in ds.data_vars.values() if v.attrs.get("unit") == "per 1000"]
        assert per_thousand and all(v.attrs["units"] == "1e-3" for v in per_thousand)
        # xarray moves _FillValue into the encoding when it decodes.
        assert math.isnan(population.encoding["_FillValue"])
    with h5py.File(results_file, "r") as f:
        assert f.attrs["Conventions"] == b"CF-1.8"               # fixed-length: bytes in h5py
        fill = f["zones/population"].attrs["_FillValue"]
        assert fill.dtype == np.float32 and np.isnan(fill)       # the variable's own type
        assert "_FillValue" not in f["events/births"].attrs      # integer counts have no gaps
        assert f["indicators/year"].attrs["CLASS"] == b"DIMENSION_SCALE"


def test_pandas_long_table(results_file):
    with xr.open_dataset(results_file, group="zones", engine="h5netcdf") as zones:
        table = zones[["population"]].to_dataframe()
    assert list(table.index.names) == ["replicate", "year", "zone"]
    assert "zone_name_zh" in table.columns
    by_zone = table["population"].groupby(level=["year", "zone"]).mean().unstack("zone")
    assert by_zone.index[0] == 2020 and by_zone.shape[1] == zones.sizes["zone"]


def every_dataset(f):
    found = []
    f.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Dataset) else None)
    return found


def test_every_dataset_has_named_dimensions(results_file):
    """No phony dimensions anywhere: every axis of every dataset has a dimension scale, so that
    netCDF-4 readers name it (scalars have no axis)."""
    with h5py.File(results_file, "r") as f:
        for name in ("summary", "observed", "targets", "scorecard", "hindcast"):
            assert name in f, f"the fixture's run should write /{name}"
        unnamed = []
        for name in every_dataset(f):
            d = f[name]
            if d.attrs.get("CLASS") == b"DIMENSION_SCALE":
                continue
            unnamed += [f"/{name} axis {i}" for i in range(d.ndim) if len(d.dims[i]) == 0]
        assert not unnamed, unnamed


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("group", ["/", "meta", "summary", "observed", "targets", "assumptions"])
def test_every_other_group_opens(results_file, engine, group):
    skip_unreadable(engine, group)
    with xr.open_dataset(results_file, group=group, engine=engine) as ds:
        assert not [d for d in ds.dims if str(d).startswith("phony_dim")], ds.dims


def test_summary_and_observed_have_year_coordinates(results_file):
    with xr.open_dataset(results_file, group="summary", engine="h5netcdf") as summary, \
            xr.open_dataset(results_file, group="observed", engine="h5netcdf") as observed, \
            h5py.File(results_file, "r") as f:
        years = list(f["years"][:])
        population = summary["population"]
        assert population.dims == ("statistic", "year")
        assert list(summary["statistic"].values) == ["mean", "p05", "p95"]
        assert list(summary["year"].values) == years
        assert population.attrs["units"] == "1" and population.attrs["long_name"]
        np.testing.assert_array_equal(population.sel(statistic="mean").values,
                                      f["summary/population"][0, :])
        assert observed.data_vars, "/observed has no series"
        for key, variable in observed.data_vars.items():
            assert variable.dims == ("year",), key
            assert variable.attrs["long_name"] and "units" in variable.attrs
            assert math.isnan(variable.encoding["_FillValue"])
        assert list(observed["year"].values) == years


def test_scorecard_and_hindcast_open_as_tables(results_file):
    """The root's compound tables: xarray (h5netcdf) gives them with their axes, target (the
    target keys) and hindcast_row; pandas takes the records."""
    import pandas as pd
    with xr.open_dataset(results_file, engine="h5netcdf") as root, \
            h5py.File(results_file, "r") as f:
        card = root["scorecard"]
        assert card.dims == ("target",)
        keys = [k.decode() for k in f["scorecard"]["target_key"]]
        assert list(root["target"].values) == keys
        assert root["hindcast"].dims == ("hindcast_row",)
        assert root.sizes["hindcast_row"] == f["hindcast"].shape[0] > 0
        table = pd.DataFrame(card.values, index=pd.Index(root["target"].values, name="target"))
        np.testing.assert_array_equal(table["probability_met"].to_numpy(),
                                      f["scorecard"]["probability_met"])


def every_string_type(f):
    """(where, h5py type id) of every string type of the file: attributes, datasets, members."""
    found = []

    def add(type_id, where):
        if isinstance(type_id, h5py.h5t.TypeStringID):
            found.append((where, type_id))
        elif isinstance(type_id, h5py.h5t.TypeCompoundID):
            for i in range(type_id.get_nmembers()):
                add(type_id.get_member_type(i),
                    f"{where}.{type_id.get_member_name(i).decode()}")

    def visit(name, obj):
        for attribute in obj.attrs:
            add(obj.attrs.get_id(attribute).get_type(), f"/{name}@{attribute}")
        if isinstance(obj, h5py.Dataset):
            add(obj.id.get_type(), f"/{name}")

    for attribute in f.attrs:
        add(f.attrs.get_id(attribute).get_type(), f"/@{attribute}")
    f.visititems(visit)
    return found


def test_no_string_is_variable_length(results_file):
    """Nothing of plansim's in HDF5's global heap (no checksum there): every string attribute,
    label dataset and table column is fixed-length UTF-8, NUL-padded; labels are checksummed."""
    with h5py.File(results_file, "r") as f:
        strings = every_string_type(f)
        assert len(strings) > 500, len(strings)
        variable = [where for where, t in strings if t.is_variable_str()]
        assert not variable, variable
        # (CLASS and NAME of the dimension scales are HDF5's own, ASCII and NUL-terminated.)
        ours = [(where, t) for where, t in strings
                if not where.endswith("@CLASS") and not where.endswith("@NAME")]
        other = [where for where, t in ours
                 if t.get_cset() != h5py.h5t.CSET_UTF8 or t.get_strpad() != h5py.h5t.STR_NULLPAD]
        assert not other, other
        for name in ("zones/zone_name_zh", "facilities/facility_name", "scorecard", "hindcast"):
            assert f[name].fletcher32, f"/{name} has no Fletcher32 checksum"
        assert f["zones/zone_name_zh"].asstr()[0]          # .asstr() gives str
        assert isinstance(f["meta"].attrs["city_name"].decode(), str)
